#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# abi_test.sh - the shared library keeps the ABI its SONAME promises: abidiff (abigail-tools)
# compares the built libartbag.so.N with the baseline tests/abi/libartbag.so.N.abi that
# scripts/abi-update.sh wrote with abidw. A removed function or a changed type that a public
# function reaches (a field added to an option struct the caller allocates, a changed
# parameter) fails; functions added since the baseline do not (--no-added-syms), as they break
# no existing caller. Only types from include/ count (--headers-dir), so internal types may
# change freely.
#
# Build flags do not matter: abidiff compares the types and symbols the DWARF describes, not
# abidw's text or the code, so -O0, -O2 and sanitizer builds compare equal (the baseline was
# dumped from an -O2 build). What it needs is debug information: without it (a Release build)
# the test is skipped (exit 77). Run by ctest (label abi), which sets the environment below.
TEST_NAME=abi_test
set -u
set -o pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
ARTBAG_SRC=${ARTBAG_SRC:-$(cd "$HERE/../.." && pwd)}
# shellcheck source=../messages.sh
. "$ARTBAG_SRC/tests/messages.sh"
LIB=${ARTBAG_LIB:?ARTBAG_LIB: the built shared library}
command -v abidiff >/dev/null 2>&1 || skip "no abidiff on PATH (Debian package abigail-tools)"
command -v readelf >/dev/null 2>&1 || skip "no readelf on PATH (Debian package binutils)"
[ -f "$LIB" ] || fail "no library '$LIB'"

soname=$(readelf -d "$LIB" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
[ -n "$soname" ] || fail "'$LIB' has no SONAME"
readelf -S "$LIB" | grep '\.debug_info' >/dev/null ||
    skip "'$LIB' has no debug information (build with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Debug)"
BASE=$ARTBAG_SRC/tests/abi/$soname.abi
[ -r "$BASE" ] || fail "no ABI baseline '$BASE' for $soname: after a deliberate SONAME bump, run scripts/abi-update.sh"
grep -q "soname='$soname'" "$BASE" || fail "'$BASE' is not a dump of $soname"

note "abidiff $BASE $LIB"
T=$(mktemp -d "${TMPDIR:-/tmp}/artbag-abi_test.XXXXXX") || exit 4
trap 'rm -rf "$T"' EXIT
abidiff --no-added-syms --fail-no-debug-info --suppressions "$ARTBAG_SRC/tests/abi/growth.suppr" \
    --headers-dir2 "$ARTBAG_SRC/include" "$BASE" "$LIB" >"$T/diff" 2>&1
rc=$?
cat "$T/diff"
# abidiff's status is a bit field: 1 error, 2 usage error, 4 an ABI change, 8 an incompatible one.
if [ $((rc & 3)) -ne 0 ]; then
    fail "abidiff could not compare (status $rc)"
fi
if [ "$rc" -ne 0 ]; then
    fail "the ABI of $soname changed (status $rc; above). Undo the change, or, if it is deliberate, bump the SONAME (project VERSION major) and run scripts/abi-update.sh"
fi
note "ok: $soname keeps the ABI of $(basename "$BASE")"
