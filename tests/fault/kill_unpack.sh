#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# SIGKILL during unpack, at several points: while it waits on a slow pipe mid-bundle and while
# it extracts a large bundle. After each kill: no directory under the bag's name, or a complete
# bag (the kill came after the rename); anything else in DIR is a recognisable temporary; the
# bundle untouched; and the next run removes the temporary and unpacks.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in dest
big_article in/big.md 40
"$ARTBAG" pack in/big.md -o in/big.tar.gz --mtime 0 -q || fail "pack failed"
sha256sum in/* >inputs.sha256
size=$(size_of in/big.tar.gz)

after_kill() {
    local how=$1 s
    sha256sum --quiet -c inputs.sha256 || fail "$how: the bundle changed"
    s=$(strays dest "$UNPACK_TEMP_RE" big)
    [ -z "$s" ] || fail "$how: unrecognisable files left: $s"
    if [ -e dest/big ]; then
        note "$how: the kill came after the rename; the bag must be whole"
        (cd dest/big && sha256sum --quiet --strict -c manifest-sha256.txt) ||
            fail "$how: a bag under the final name does not check"
        rm -rf dest/big
    fi
    left=$(temps dest "$UNPACK_TEMP_RE")
    [ -n "$left" ] && note "$how: left ${left//$'\n'/ }"
    expect_exit 0 "$ARTBAG" unpack in/big.tar.gz -C dest
    s=$(listing dest)
    [ "$s" = "big " ] || discrepancy "$how: the next unpack did not remove the temporary: $s"
    rm -rf dest/big dest/.artbag-unpack-*
}

note "killed while it waits on a slow pipe: 0.2, 0.5 and 0.8 s"
for t in 0.2 0.5 0.8; do
    slow_feed in/big.tar.gz $((size / 2)) | "$ARTBAG" unpack - -C dest >/dev/null &
    kill_after "$t" $!
    after_kill "slow pipe, kill at ${t}s"
done

note "killed while extracting from a file, at several points"
for t in 0.02 0.05 0.1 0.2 0.4; do
    "$ARTBAG" unpack in/big.tar.gz -C dest >/dev/null &
    kill_after "$t" $!
    after_kill "file, kill at ${t}s"
done

note "--force over an existing bag, killed mid-way: the old bag survives whole"
"$ARTBAG" pack "$ARTBAG_SEED" -o in/old.tar.gz --mtime 0 -q || fail "pack"
mkdir old
(cd old && tar -xzf ../in/old.tar.gz) || fail "tar"
mv old/old dest/big
slow_feed in/big.tar.gz $((size / 2)) | "$ARTBAG" unpack - -C dest --force >/dev/null &
kill_after 0.5 $!
{ [ -f dest/big/data/article.md ] && cmp -s dest/big/data/article.md "$ARTBAG_SEED"; } ||
    fail "the old bag was changed by a killed --force unpack"
s=$(strays dest "$UNPACK_TEMP_RE" big)
[ -z "$s" ] || fail "unrecognisable files left: $s"
expect_exit 0 "$ARTBAG" unpack in/big.tar.gz -C dest --force
cmp -s dest/big/data/article.md in/big.md || fail "--force did not restore the new bag"
[ "$(listing dest)" = "big " ] ||
    discrepancy "--force: the next unpack did not remove the temporary: $(listing dest)"
discrepancies_end
exit 0
