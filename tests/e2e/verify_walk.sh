#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# verify -r walks any tree it is given: no depth makes it crash (the walk holds no stack frame or
# descriptor per level), and every path it cannot verify, such as one longer than PATH_MAX, is
# reported with a non-zero exit, never passed over in silence (a corrupt bundle below it would
# otherwise go unreported with -q). Links are not followed.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o good.tar.gz -q
mkdir top
# 2,100 levels of "d/": a path of 4,200 bytes, past PATH_MAX (4096) about halfway down.
$PY - <<'PY' || fail "cannot make the deep tree"
import os, shutil
os.chdir("top")
for i in range(2100):
    os.mkdir("d")
    os.chdir("d")
    if i == 99:
        shutil.copy("../" * 100 + "../good.tar.gz", "shallow.tar.gz")
shutil.copy("/dev/null", "deep.tar.gz")  # a bundle no walk limited to PATH_MAX can reach
PY
ln -s ../good.tar.gz top/link.tar.gz

expect_exit 3 "$ARTBAG" verify -r top -q
assert_contains "$ERR" "File name too long" "the path too long to verify is reported"
# The shallow bundle is verified, and valid: with -q only the long path is said.
assert_stdout_empty
expect_exit 3 "$ARTBAG" verify -r top
assert_contains "$OUT" "OK    top/d/d/" "the shallow bundle, 100 levels down"
assert_contains "$OUT" "/shallow.tar.gz" "the shallow bundle's name"
case $OUT in *link.tar.gz*) fail "a symbolic link was followed" ;; esac
