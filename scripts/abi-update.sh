#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# abi-update.sh [BUILD-DIR] - writes the ABI baseline tests/abi/libartbag.so.N.abi that the abi
# test (tests/abi/abi_test.sh) compares the library with, from BUILD-DIR's libartbag.so (default
# build/, which must have debug information: RelWithDebInfo or Debug), and removes the baselines
# of other SONAMEs.
#
# Run it deliberately, never to make a failing abi test pass:
#  - after an incompatible change, together with the SONAME bump (project VERSION's major in
#    CMakeLists.txt, which is the SOVERSION): the old SONAME's baseline goes, the new one's comes;
#  - at a release, to record the functions added since the last baseline, so that removing one
#    of them later fails the test too.
# Commit the result with a message that says which of the two it is.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}
command -v abidw >/dev/null || { echo "abi-update: no abidw (Debian package abigail-tools; scripts/deps.sh)" >&2; exit 3; }
shopt -s nullglob
libs=("$B"/libartbag.so.*.*.*)
[ "${#libs[@]}" -eq 1 ] || { echo "abi-update: expected one libartbag.so.X.Y.Z in '$B', found ${#libs[@]}: build first" >&2; exit 3; }
lib=${libs[0]}
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p')
[ -n "$soname" ] || { echo "abi-update: '$lib' has no SONAME" >&2; exit 3; }
readelf -S "$lib" | grep '\.debug_info' >/dev/null ||
    { echo "abi-update: '$lib' has no debug information: configure with -DCMAKE_BUILD_TYPE=RelWithDebInfo" >&2; exit 3; }
out=tests/abi/$soname.abi
# Only public types (--headers-dir include); file names without this machine's directories
# (--short-locs: abidiff needs the locations to tell public types from private ones, and with
# --no-show-locs it silently filters out every change to them); type ids from hashes, so a
# refresh without an ABI change gives a small diff or none.
abidw --headers-dir "$PWD/include" --drop-private-types --no-corpus-path --no-comp-dir-path \
    --short-locs --type-id-style hash "$lib" >"$out.tmp"
mv "$out.tmp" "$out"
for old in tests/abi/*.abi; do
    [ "$old" = "$out" ] || { git rm -q --ignore-unmatch "$old" 2>/dev/null || true; rm -f "$old"; echo "abi-update: removed $old"; }
done
echo "abi-update: wrote $out from $lib"
