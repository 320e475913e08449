#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# A read-only destination, for pack and for unpack: a read-only bind mount of a directory and a
# read-only tmpfs. Exit 3, nothing written, the input untouched. Needs mount (root); skipped (77)
# where not permitted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in rw robind rotmpfs
mount --bind rw robind 2>/dev/null || skip "cannot bind-mount here (needs root)"
on_exit umount "'$T/robind'"
mount -o remount,bind,ro robind 2>/dev/null || skip "cannot remount read-only here"
touch robind/probe 2>/dev/null && skip "read-only bind mount is writable here"
mount -t tmpfs -o size=1m,mode=0755 tmpfs rotmpfs 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/rotmpfs'"
mkdir rotmpfs/existing-dir
mount -o remount,ro rotmpfs 2>/dev/null || skip "cannot remount tmpfs read-only"
cp "$ARTBAG_SEED" in/seed.md
"$ARTBAG" pack in/seed.md -o in/seed.tar.gz --mtime 0 -q || fail "pack"
sha256sum in/* >inputs.sha256

for d in robind rotmpfs; do
    before=$(listing $d)
    note "$d: pack"
    expect_exit 3 "$ARTBAG" pack in/seed.md -o $d/x.tar.gz --mtime 0
    assert_contains "$ERR" "artbag: pack: " "message"
    assert_stdout_empty
    note "$d: pack --force"
    expect_exit 3 "$ARTBAG" pack in/seed.md -o $d/x.tar.gz --mtime 0 --force
    note "$d: unpack"
    expect_exit 3 "$ARTBAG" unpack in/seed.tar.gz -C $d
    assert_contains "$ERR" "artbag: unpack: " "message"
    note "$d: unpack from standard input"
    expect_exit_stdin 3 in/seed.tar.gz "$ARTBAG" unpack - -C $d
    assert_eq "$before" "$(listing $d)" "contents of $d"
    sha256sum --quiet -c inputs.sha256 || fail "an input changed"
done
assert_dir_holds rw
exit 0
