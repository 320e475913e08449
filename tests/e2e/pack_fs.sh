#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Writing safely: a read-only destination and a full filesystem must fail with exit 3 and leave
# nothing behind, not even a temporary file. Needs mount (root); skipped (77) where not permitted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir rw ro full tight in
mount --bind rw ro 2>/dev/null || skip "cannot bind-mount here (needs root)"
on_exit umount "'$T/ro'"
mount -o remount,bind,ro ro 2>/dev/null || skip "cannot remount read-only here"
touch ro/probe 2>/dev/null && skip "read-only bind mount is writable (root bypasses it here)"
mount -t tmpfs -o size=16k,mode=0755 tmpfs full 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/full'"
mount -t tmpfs -o size=16k,mode=0755 tmpfs tight 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/tight'"
cp "$ARTBAG_SEED" in/seed.md

# An article too big for 16k even compressed: random base64, which gzip cannot shrink below
# three quarters of its size.
{
    printf '# A long article that will not fit\n\nJanuary 1 2026\n\n---\n\n'
    head -c 60000 /dev/urandom | base64 -w 76
    printf '\nCitation: A long article that will not fit (2026, January 1)  \n'
    printf 'retrieved 2 January 2026 from <https://news.example.org/long.html>\n'
} >in/big.md
sha256sum in/* >"$T/inputs.sha256"

# cannot_write DIR ARTICLE [EXPECTED-CONTENTS...]
cannot_write() {
    local dir=$1 article=$2
    shift 2
    expect_exit 3 "$ARTBAG" pack "$article" -o "$dir/x.tar.gz" --mtime 0
    assert_stdout_empty
    assert_contains "$(head -n 1 "$T/stderr")" "artbag: pack: " "message"
    assert_dir_holds "$dir" "$@"
    sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed"
}

note "read-only destination"
cannot_write ro in/seed.md
assert_dir_holds rw

note "filesystem too small for the bundle (fails part way through)"
cannot_write tight in/big.md

note "filesystem already full"
dd if=/dev/zero of=full/filler bs=4096 2>/dev/null
[ "$(stat -f -c %a full)" -eq 0 ] || fail "could not fill the tmpfs"
cannot_write full in/seed.md filler

note "--force over an existing bundle on a full filesystem keeps the old one"
rm full/filler
expect_exit 0 "$ARTBAG" pack in/seed.md -o full/x.tar.gz --mtime 0 -q
sha256sum full/x.tar.gz >"$T/old.sha256"
dd if=/dev/zero of=full/filler bs=4096 2>/dev/null
expect_exit 3 "$ARTBAG" pack in/big.md -o full/x.tar.gz --mtime 0 --force
assert_stdout_empty
assert_dir_holds full filler x.tar.gz
sha256sum --quiet -c "$T/old.sha256" || fail "a failed --force pack changed the existing bundle"

note "and the same article fits when there is room"
umount tight || fail "umount tmpfs"
mount -t tmpfs -o size=1m,mode=0755 tmpfs tight || fail "mount a bigger tmpfs"
expect_exit 0 "$ARTBAG" pack in/big.md -o tight/x.tar.gz --mtime 0 -q
assert_dir_holds tight x.tar.gz
gzip -t tight/x.tar.gz || fail "bundle on tmpfs is corrupt"
exit 0
