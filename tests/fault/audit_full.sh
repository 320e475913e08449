#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The ledger's filesystem fills up in the middle of an audit (a size-limited tmpfs): exit 3 with
# "disk full", every event recorded before it whole and the chain intact (check-ledger, sqlite3),
# no half event; once there is room again the next audit resumes and checks each bundle once.
# Needs mount (root); skipped (77) where not permitted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
mkdir arch small
mount -t tmpfs -o size=4m,mode=0755 tmpfs small 2>/dev/null || skip "cannot mount tmpfs here"
on_exit umount "'$T/small'"
for i in $(seq 1 40); do
    "$ARTBAG" pack "$ARTBAG_SEED" -o arch/b$i.tar.gz -q --title "Story $i" --url "https://example.org/$i" ||
        fail "pack $i"
done
L=$T/small/ledger.sqlite
expect_exit 0 "$ARTBAG" audit --ledger "$L" -q arch/b1.tar.gz
# Leave about 64 KiB: room for the audit to start and record a few events (each transaction
# writes several pages to the WAL), not for forty.
dd if=/dev/zero of=small/filler bs=4096 count=$(($(stat -f -c %a small) - 16)) 2>/dev/null
expect_exit 3 "$ARTBAG" audit --ledger "$L" -q -j 1 arch
assert_contains "$ERR" "artbag: audit: '$L': " "message names the ledger"
assert_contains "$ERR" "disk full" "message says why"
n=$(sqlite3 "$L" "SELECT count(*) FROM events") || fail "the ledger cannot be read after the failure"
[ "$n" -gt 1 ] || note "no event fitted before the disk was full"
[ "$n" -lt 41 ] || fail "every event fitted: the filesystem was not full"
assert_eq "ok" "$(sqlite3 "$L" "PRAGMA integrity_check")" "integrity after the failure"
assert_eq "$n" "$(sqlite3 "$L" "SELECT head_seq FROM chains WHERE head_seq > 0")" "the chain's head is the last whole event"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$L"

rm small/filler
expect_exit 0 "$ARTBAG" audit --ledger "$L" -q -j 1 arch
assert_contains "$OUT" "(resumed)" "the next audit resumes"
assert_eq "40|41" "$(sqlite3 "$L" "SELECT count(DISTINCT path) || '|' || count(*) FROM events")" \
    "each bundle checked once after the first audit of b1"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$L"
exit 0
