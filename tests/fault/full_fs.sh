#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Output onto a full filesystem (a size-limited tmpfs), for pack and for unpack: exit 3, nothing
# under the final name, no temporary left (the failing run removes its own), the input untouched,
# and an existing bundle or bag kept whole. Needs mount (root); skipped (77) where not permitted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in full tight
mount -t tmpfs -o size=16k,mode=0755 tmpfs full 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/full'"
mount -t tmpfs -o size=256k,mode=0755 tmpfs tight 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/tight'"
cp "$ARTBAG_SEED" in/seed.md
big_article in/big.md 1 # about 1 MB: its bundle does not fit in 256k
"$ARTBAG" pack in/seed.md -o in/seed.tar.gz --mtime 0 -q || fail "pack seed"
"$ARTBAG" pack in/big.md -o in/big.tar.gz --mtime 0 -q || fail "pack big"
sha256sum in/* >inputs.sha256

fill() { dd if=/dev/zero of="$1/filler" bs=4096 2>/dev/null; [ "$(stat -f -c %a "$1")" -eq 0 ] || fail "could not fill '$1'"; }

note "pack: a bundle bigger than the filesystem (fails part way through)"
expect_exit 3 "$ARTBAG" pack in/big.md -o tight/x.tar.gz --mtime 0
assert_contains "$ERR" "artbag: pack: " "message"
assert_dir_holds tight
sha256sum --quiet -c inputs.sha256 || fail "an input changed"

note "pack: an already full filesystem"
fill full
expect_exit 3 "$ARTBAG" pack in/seed.md -o full/x.tar.gz --mtime 0
assert_dir_holds full filler
rm full/filler

note "unpack: a bag bigger than the filesystem (fails part way through)"
expect_exit 3 "$ARTBAG" unpack in/big.tar.gz -C tight
assert_contains "$ERR" "artbag: unpack: " "message"
assert_dir_holds tight
sha256sum --quiet -c inputs.sha256 || fail "a bundle changed"

note "unpack: an already full filesystem"
fill full
expect_exit 3 "$ARTBAG" unpack in/seed.tar.gz -C full
assert_dir_holds full filler
rm full/filler

note "unpack --force over an existing bag on a full filesystem keeps the old bag whole"
expect_exit 0 "$ARTBAG" unpack in/seed.tar.gz -C tight
mv tight/seed tight/big
(cd tight && find big -type f -exec sha256sum {} +) >old.sha256
expect_exit 3 "$ARTBAG" unpack in/big.tar.gz -C tight --force
assert_dir_holds tight big
(cd tight && sha256sum --quiet -c "$T/old.sha256") || fail "the old bag changed"
[ "$(find tight/big -type f | wc -l)" -eq "$(wc -l <old.sha256)" ] || fail "the old bag gained files"

note "sign: rewriting a bundle on a full filesystem keeps the bundle as it was"
"$ARTBAG" keygen -o key --no-passphrase >/dev/null || fail "keygen"
cp in/seed.tar.gz full/s.tar.gz
fill full
expect_exit 3 "$ARTBAG" sign full/s.tar.gz --key key.key
assert_contains "$ERR" "artbag: sign: " "message"
cmp -s in/seed.tar.gz full/s.tar.gz || fail "a failed sign changed the bundle"
assert_dir_holds full filler s.tar.gz
rm full/filler full/s.tar.gz

note "both work once there is room"
rm -rf tight/big
umount tight || fail "umount"
mount -t tmpfs -o size=8m,mode=0755 tmpfs tight || fail "mount a bigger tmpfs"
expect_exit 0 "$ARTBAG" pack in/big.md -o tight/x.tar.gz --mtime 0 -q
expect_exit 0 "$ARTBAG" unpack tight/x.tar.gz -C tight
assert_dir_holds tight x x.tar.gz
cmp -s in/big.md tight/x/data/article.md || fail "unpacked article differs"
exit 0
