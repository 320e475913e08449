#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The Library of Congress BagIt conformance suite (tests/fixtures/bagit-conformance-suite.tar.gz,
# public domain / CC0, kept byte for byte, CRLF included) as a test of verify's verdicts:
# every bag in valid/ is valid, every bag in warning/ valid with a warning on the report, every
# bag in invalid/ and linux-only/ invalid; as a directory, as .tar.gz, as .zip and as .tar.gz
# on standard input. windows-only/ is not run: those names mean nothing special on Linux.
#
# Two warning bags cannot be reproduced on Linux and are expected to fail (exit 1), each for the
# reason given in KNOWN below; that they fail, and why, is checked too.

# shellcheck source=../e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

SUITE=$ARTBAG_SRC/tests/fixtures/bagit-conformance-suite.tar.gz
declare -A KNOWN=(
    # Made on a case-insensitive file system: the manifest lists data/hello.txt and
    # data/HELLO.txt, but the suite holds only one file, so on Linux data/HELLO.txt is missing.
    [v0.97/warning/duplicate-file-with-different-case]="'data/HELLO.txt': listed in manifest-sha512.txt but missing"
    # The manifest lists data/.DS_Store, a file the suite's own archive does not hold (it was
    # lost where the suite was packed), so on Linux it is missing and Payload-Oxum disagrees.
    [v0.97/warning/special-system-files]="'data/.DS_Store': listed in manifest-sha512.txt but missing"
)

mkdir suite
tar -xzf "$SUITE" -C suite || fail "cannot extract $SUITE"
cd suite/bagit-conformance-suite || fail "unexpected layout of $SUITE"

bad=0
checked=0
# judge WHAT EXPECT CODE OUTPUT: EXPECT is valid, warning or invalid
judge() {
    local what=$1 expect=$2 code=$3 out=$4 known=${KNOWN[${1%% *}]:-}
    checked=$((checked + 1))
    if [ -n "$known" ]; then
        if [ "$code" -ne 1 ] || ! grep -qF -- "$known" <<<"$out"; then
            echo "FAIL: $what: expected to fail on Linux with \"$known\" (exit $code)" >&2
            bad=$((bad + 1))
        fi
        return
    fi
    case $expect in
    valid) [ "$code" -eq 0 ] && return ;;
    warning) [ "$code" -eq 0 ] && grep -q '^WARN ' <<<"$out" && return ;;
    invalid) [ "$code" -eq 1 ] && grep -q '^FAIL ' <<<"$out" && return ;;
    esac
    echo "FAIL: $what: expected $expect, exit $code:" >&2
    sed 's/^/    /' <<<"$out" | head -8 >&2
    bad=$((bad + 1))
}

for dir in v*/valid/* v*/warning/* v*/invalid/* v*/linux-only/*; do
    [ -d "$dir" ] || continue
    case $dir in
    */valid/*) expect=valid ;;
    */warning/*) expect=warning ;;
    *) expect=invalid ;;
    esac
    name=$(basename "$dir")
    ser=$T/ser/${dir%/*}
    mkdir -p "$ser"
    # Serialized as other tools would: the bag directory as the archive's one top directory.
    tar -C "$(dirname "$dir")" -czf "$ser/$name.tar.gz" "$name" || fail "tar $dir"
    (cd "$(dirname "$dir")" && /usr/bin/python3 - "$name" "$ser/$name.zip" <<'PY'
import os, sys, zipfile
top, out = sys.argv[1:3]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        z.write(dirpath, dirpath + "/")
        for n in sorted(filenames):
            z.write(os.path.join(dirpath, n))
PY
    ) || fail "zip $dir"
    out=$("$ARTBAG" verify "$dir" 2>&1)
    judge "$dir (directory)" $expect $? "$out"
    out=$("$ARTBAG" verify "$ser/$name.tar.gz" 2>&1)
    judge "$dir (.tar.gz)" $expect $? "$out"
    out=$("$ARTBAG" verify "$ser/$name.zip" 2>&1)
    judge "$dir (.zip)" $expect $? "$out"
    out=$("$ARTBAG" verify - <"$ser/$name.tar.gz" 2>&1)
    judge "$dir (.tar.gz on stdin)" $expect $? "$out"
done

[ "$checked" -ge 200 ] || fail "only $checked verdicts checked: the suite's layout changed?"
[ "$bad" -eq 0 ] || fail "$bad of $checked verdicts disagree with the conformance suite"
echo "conformance: $checked verdicts agree with the LoC BagIt conformance suite"
