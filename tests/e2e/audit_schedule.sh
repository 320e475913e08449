#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Spreading audits over nights: --due checks only bundles whose last good check is older, the
# oldest first, and any bundle changed since (size, mtime); --max-bytes and --budget stop
# cleanly and the next audit resumes; an audit killed with SIGKILL loses at most the bundle in
# progress, leaves an intact ledger, and is resumed without checking any bundle twice.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
L=$T/ledger.sqlite
q() { sqlite3 -batch "$L" "$@" || fail "sqlite3 $*"; }

mkdir arch
for n in a b c; do
    expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/$n.tar.gz -q --title "Story $n"
done
ARCH=$(cd arch && pwd -P)

note "--due: oldest first"
# Checked one at a time, a second apart: c the longest ago, then a, then b.
for n in c a b; do
    expect_exit 0 "$ARTBAG" audit --ledger "$L" arch/$n.tar.gz -q
    sleep 1.1
done
expect_exit 0 "$ARTBAG" audit --ledger "$L" --due 1d arch -q
assert_contains "$OUT" "3 bundles found, 0 due, 0 checked" "nothing is due a day later"
base=$(q "SELECT max(id) FROM events")
expect_exit 0 "$ARTBAG" audit --ledger "$L" --due 1s -j 1 arch -q
assert_contains "$OUT" "3 bundles found, 3 due, 3 checked" "all due after a second"
assert_eq "c a b" "$(q "SELECT path FROM events WHERE id > $base ORDER BY id" | sed 's|.*/||; s|\.tar\.gz||' | tr '\n' ' ' | sed 's/ $//')" \
    "order of the due checks"
note "--due: a bundle changed since its last check is due at once"
touch -d '2001-01-01' arch/b.tar.gz
expect_exit 0 "$ARTBAG" audit --ledger "$L" --due 1d arch -q
assert_contains "$OUT" "3 bundles found, 1 due, 1 checked" "the changed bundle"
assert_eq "$ARCH/b.tar.gz" "$(q "SELECT path FROM events ORDER BY id DESC LIMIT 1")" "the changed one checked"

note "--max-bytes: stops after that much, the next audit resumes"
rm "$L"
# The smallest bundle's size: the bundles differ by a byte or two (titles, compression), and
# twice the smallest lets exactly two checks start whichever order they run in (a budget is
# checked before a check starts: the second starts below it, the third at or above it).
size=$(for n in a b c; do size_of arch/$n.tar.gz; done | sort -n | head -n 1)
expect_exit 0 "$ARTBAG" audit --ledger "$L" --max-bytes 1 -j 1 arch -q
assert_contains "$OUT" "3 bundles found, 3 due, 1 checked" "one bundle within --max-bytes 1"
assert_contains "$OUT" "stopped: the budget ran out with 2 due bundles unchecked" "says it stopped"
assert_eq "1|" "$(q "SELECT id || '|' || coalesce(finished, '') FROM audits")" "the audit is left unfinished"
expect_exit 0 "$ARTBAG" audit --ledger "$L" -j 1 arch -q
assert_contains "$OUT" "audit 1 (resumed): 3 bundles found, 2 due, 2 checked" "resumed"
assert_eq "3|3|1" "$(q "SELECT count(*) || '|' || count(DISTINCT path) || '|' || count(DISTINCT audit) FROM events")" \
    "each bundle checked once, in one audit"
[ -n "$(q "SELECT finished FROM audits WHERE id = 1")" ] || fail "the resumed audit did not finish"
expect_exit 0 "$ARTBAG" audit --ledger "$L" --max-bytes "$((size * 2))" -j 1 arch -q
assert_contains "$OUT" "audit 2: 3 bundles found, 3 due, 2 checked" "two bundles within two bundles' bytes"

note "--budget: a budget already spent starts nothing more after the first check"
mkdir big
head -c 3000000 /dev/urandom | base64 -w 76 >big.md.body
{ head -n 5 "$ARTBAG_SEED"; cat big.md.body; } >big.md
for i in 1 2 3 4 5 6; do
    expect_exit 0 "$ARTBAG" pack big.md -o big/b$i.tar.gz -q --title "Big $i" --url "https://example.org/$i"
done
expect_exit 0 "$ARTBAG" audit --ledger "$T/budget.sqlite" --budget 1s -j 1 big -q
# Six bundles of 4 MB each take more than a second here only on a slow machine: either way no
# check starts after the budget, and what is recorded is whole.
case $OUT in
*"6 checked"*) note "the machine checked all six within a second" ;;
*"stopped: the budget ran out"*) ;;
*) fail "--budget: [$OUT]" ;;
esac
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$T/budget.sqlite"

note "SIGKILL half way: the ledger is intact and the next audit resumes"
rm -f "$T/kill.sqlite"
for i in 1 2 3 4 5 6; do cp big/b$i.tar.gz big/c$i.tar.gz; done
"$ARTBAG" audit --ledger "$T/kill.sqlite" -j 1 big -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do
    n=$(sqlite3 "$T/kill.sqlite" "SELECT count(*) FROM events" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 1 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(sqlite3 "$T/kill.sqlite" "SELECT count(*) FROM events")
[ "$n" -ge 1 ] || fail "no event was recorded before the kill"
[ "$n" -lt 12 ] || skip "the audit finished before it could be killed"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$T/kill.sqlite"
expect_exit 0 "$ARTBAG" audit --ledger "$T/kill.sqlite" -j 2 big -q
assert_contains "$OUT" "audit 1 (resumed): 12 bundles found, $((12 - n)) due, $((12 - n)) checked" "resumed after the kill"
assert_eq "12|12" "$(sqlite3 "$T/kill.sqlite" "SELECT count(*) || '|' || count(DISTINCT path) FROM events")" \
    "every bundle checked exactly once"
exit 0
