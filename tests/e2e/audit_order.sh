#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# A finished check is committed as soon as it finishes, not after a slower one that was due
# before it: otherwise checks finished behind one long check would sit uncommitted, and an audit
# killed then would lose them all, not only the checks in progress. The report still lists the
# bundles in the order due.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
L=$T/ledger.sqlite
q() { sqlite3 -batch "$L" "$@" || fail "sqlite3 $*"; }

# a-slow sorts first, so it is due first and taken first: a bag directory whose one payload file
# is 1 GiB (sparse: quick to make, slow to hash), listed with a wrong digest.
mkdir -p arch/a-slow/data
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >arch/a-slow/bagit.txt
truncate -s 1G arch/a-slow/data/big || skip "no sparse file"
printf '%064d  data/big\n' 0 >arch/a-slow/manifest-sha256.txt
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/b1.tar.gz -q --title "Story"
for i in 2 3 4 5 6; do cp arch/b1.tar.gz arch/b$i.tar.gz; done

"$ARTBAG" audit --ledger "$L" -j 2 arch >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "expected exit 1 (an invalid bundle): $(cat "$T/err")"
assert_eq 7 "$(q "SELECT count(*) FROM events")" "one event per bundle"
slow_ms=$(q "SELECT duration_ms FROM events WHERE path LIKE '%/a-slow'")
first=$(q "SELECT substr(path, length(path) - 5) FROM events ORDER BY id LIMIT 1")
# The five small checks take a few ms each on the other worker.
if [ "$first" = "a-slow" ] && [ "$slow_ms" -lt 1000 ]; then
    skip "the slow bag took only $slow_ms ms: too quick to tell"
fi
[ "$first" != "a-slow" ] ||
    fail "the checks finished during a $slow_ms ms check waited for it to be committed"
assert_eq "invalid" "$(q "SELECT outcome FROM events WHERE path LIKE '%/a-slow'")" "the slow bag"
# The report, in the order due all the same.
assert_eq "a-slow b1 b2 b3 b4 b5 b6" \
    "$(sed -n 's|^  new  *.*/\([^/]*\)$|\1|p' "$T/out" | sed 's/\.tar\.gz$//' | tr '\n' ' ' | sed 's/ $//')" \
    "the report's order"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$L"
exit 0
