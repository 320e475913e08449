#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Ledgers artbag audit must refuse: a file that is not an SQLite database, another
# application's database, an artbag ledger of a newer schema, a read-only ledger and one another
# process holds locked. Each: a clear error naming the file, exit 3, and the ledger exactly as
# it was (its bytes, and its events as the sqlite3 CLI counts them).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
mkdir arch
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/one.tar.gz -q --mtime 0

# refused LEDGER MESSAGE [extra args]: audit, check-ledger and export all exit 3 and say MESSAGE;
# the ledger's bytes (its file and the WAL beside it; the -shm index is SQLite's scratch) are
# unchanged.
refused() {
    local l=$1 msg=$2 before after
    shift 2
    before=$(cat "$l" "$l-wal" 2>/dev/null | sha256sum)
    expect_exit 3 "$ARTBAG" audit --ledger "$l" --wait 1 "$@" arch
    assert_contains "$ERR" "artbag: audit: '$l': $msg" "audit on $l"
    assert_stdout_empty
    expect_exit 3 "$ARTBAG" audit check-ledger --ledger "$l" --wait 1
    assert_contains "$ERR" "'$l': " "check-ledger on $l"
    expect_exit 3 "$ARTBAG" audit export --format csv --ledger "$l" --wait 1
    assert_contains "$ERR" "'$l': " "export on $l"
    after=$(cat "$l" "$l-wal" 2>/dev/null | sha256sum)
    assert_eq "$before" "$after" "bytes of $l after the refusals"
}

note "not a database"
printf 'one.tar.gz\ntwo.tar.gz\n' >list.txt
refused "$T/list.txt" "not an artbag ledger (not an SQLite database)"
head -c 4096 /dev/urandom >random.bin
refused "$T/random.bin" "not an artbag ledger"

note "another application's database"
sqlite3 other.db "CREATE TABLE bundles (path TEXT); INSERT INTO bundles VALUES ('x')" || fail "sqlite3"
refused "$T/other.db" "not an artbag ledger"
sqlite3 othermeta.db "CREATE TABLE meta (key, value); INSERT INTO meta VALUES ('application', 'not us'); PRAGMA user_version = 1" ||
    fail "sqlite3"
refused "$T/othermeta.db" "not an artbag ledger"

note "a directory"
mkdir dir.sqlite
expect_exit 3 "$ARTBAG" audit --ledger "$T/dir.sqlite" arch
assert_contains "$ERR" "not an artbag ledger (not a regular file)" "a directory"

note "a newer schema"
expect_exit 0 "$ARTBAG" audit --ledger "$T/newer.sqlite" arch -q
sqlite3 newer.sqlite "PRAGMA user_version = 2" || fail "sqlite3"
n=$(sqlite3 newer.sqlite "SELECT count(*) FROM events")
refused "$T/newer.sqlite" "ledger schema version 2 is newer than this artbag understands (1)"
assert_eq "$n" "$(sqlite3 newer.sqlite "SELECT count(*) FROM events")" "events of the newer ledger"

note "locked by another process"
expect_exit 0 "$ARTBAG" audit --ledger "$T/locked.sqlite" arch -q
n=$(sqlite3 locked.sqlite "SELECT count(*) FROM events")
mkfifo hold
# sqlite3 holds a write transaction until its input ends.
sqlite3 locked.sqlite <hold &
holder=$!
exec 7>hold
on_exit "exec 7>&-; wait $holder"
echo "BEGIN IMMEDIATE; INSERT INTO audits (started, agent, host, roots, shard) VALUES ('x', 'x', 'x', 'x', 'x');" >&7
sleep 0.5
start=$(date +%s)
expect_exit 3 "$ARTBAG" audit --ledger "$T/locked.sqlite" --wait 1 arch
assert_contains "$ERR" "artbag: audit: '$T/locked.sqlite': the ledger is locked by another process (waited 1000 ms)" "locked"
assert_stdout_empty
[ $(($(date +%s) - start)) -le 10 ] || fail "--wait 1 waited far longer"
# Readers are not blocked by the writer (WAL): check and export work meanwhile.
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$T/locked.sqlite" --wait 1
echo "ROLLBACK;" >&7
exec 7>&-
wait $holder
assert_eq "$n" "$(sqlite3 locked.sqlite "SELECT count(*) FROM events")" "events of the locked ledger"
expect_exit 0 "$ARTBAG" audit --ledger "$T/locked.sqlite" arch -q

note "one audit at a time per ledger"
# Another audit holds the ledger (here a Python process taking the same flock(2) lock):
# refused after --wait.
"$PY" -c 'import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(120)' locked.sqlite held >/dev/null 2>&1 &
locker=$!
on_exit "kill $locker 2>/dev/null; wait $locker 2>/dev/null"
for _ in $(seq 100); do [ -e held ] && break; sleep 0.1; done
[ -e held ] || fail "the lock holder did not start"
n=$(sqlite3 locked.sqlite "SELECT count(*) FROM events")
expect_exit 3 "$ARTBAG" audit --ledger "$T/locked.sqlite" --wait 1 arch
assert_contains "$ERR" "artbag: audit: '$T/locked.sqlite': the ledger is in use by another audit or merge" "in use"
assert_stdout_empty
expect_exit 3 "$ARTBAG" audit merge "$T/locked.sqlite" "$T/ro.sqlite" --wait 1
assert_contains "$ERR" "'$T/locked.sqlite': the ledger is in use by another audit or merge" "merge into a ledger in use"
# Readers (check, export) do not take it.
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$T/locked.sqlite" --wait 1
kill $locker
wait $locker 2>/dev/null
assert_eq "$n" "$(sqlite3 locked.sqlite "SELECT count(*) FROM events")" "events of the ledger in use"
# Two audits started together: the second waits for the first, then runs as an audit of its
# own. (Without the lock both resumed the same unfinished audit and recorded every bundle twice
# under it.)
for i in 1 2 3; do expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o "arch/c$i.tar.gz" -q --title "C $i"; done
"$ARTBAG" audit --ledger "$T/both.sqlite" -j 1 -q arch >a1.out 2>&1 &
p1=$!
"$ARTBAG" audit --ledger "$T/both.sqlite" -j 1 -q arch >a2.out 2>&1 &
p2=$!
wait $p1 || fail "first concurrent audit: $(cat a1.out)"
wait $p2 || fail "second concurrent audit: $(cat a2.out)"
assert_eq "2" "$(sqlite3 both.sqlite "SELECT count(*) FROM audits WHERE finished IS NOT NULL")" "two finished audits"
assert_eq "4|4" "$(sqlite3 both.sqlite "SELECT group_concat(c, '|') FROM (SELECT count(*) AS c FROM events GROUP BY audit)")" "each audit recorded each bundle once"
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$T/both.sqlite"
rm arch/c?.tar.gz

note "read-only"
expect_exit 0 "$ARTBAG" audit --ledger "$T/ro.sqlite" arch -q
n=$(sqlite3 ro.sqlite "SELECT count(*) FROM events")
if [ "$(id -u)" -ne 0 ]; then
    chmod a-w ro.sqlite
    refused "$T/ro.sqlite" "the ledger is read-only"
else
    # root writes through file modes: a read-only bind mount of the ledger's directory instead.
    mkdir rodir rodir.mnt
    mv ro.sqlite rodir/
    mount --bind rodir rodir.mnt 2>/dev/null || skip "cannot bind-mount here to make a read-only ledger"
    on_exit umount "'$T/rodir.mnt'"
    mount -o remount,bind,ro rodir.mnt 2>/dev/null || skip "cannot remount read-only here"
    before=$(sha256sum rodir/ro.sqlite)
    expect_exit 3 "$ARTBAG" audit --ledger "$T/rodir.mnt/ro.sqlite" --wait 1 arch
    assert_contains "$ERR" "artbag: audit: '$T/rodir.mnt/ro.sqlite': " "read-only ledger"
    assert_contains "$ERR" "read-only" "read-only ledger says so"
    assert_eq "$before" "$(sha256sum rodir/ro.sqlite)" "bytes of the read-only ledger"
    assert_eq "$n" "$(sqlite3 -readonly rodir/ro.sqlite "SELECT count(*) FROM events")" "its events"
fi
exit 0
