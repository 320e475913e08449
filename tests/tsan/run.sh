#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# ThreadSanitizer stage of scripts/test.sh: runs artbag's threaded paths with a build made with
# -DARTBAG_TSAN=ON and fails on any ThreadSanitizer report. The paths: a collection packed and
# --each packed on two threads, verify -r and audit on two threads, and audits and packs stopped
# by SIGINT mid-run (the cancel flag is written in a signal handler and read on every thread;
# the handler must leave errno as it found it). Every command's stderr is scanned, and the
# runtime's own exit code for a report (66) fails too.
#
# usage: tests/tsan/run.sh PATH/TO/TSAN/artbag
# shellcheck source-path=SCRIPTDIR source=../e2e/lib.sh
ARTBAG=${1:?usage: run.sh PATH/TO/TSAN/artbag}
export ARTBAG
. "$(dirname "$0")/../e2e/lib.sh"
export TSAN_OPTIONS="exitcode=66 halt_on_error=0 second_deadlock_stack=1 suppressions=$E2E_DIR/../tsan/suppressions.txt"

reports=0
# tsan_check NAME RC: a report in NAME's stderr (or exit 66) counts against the stage.
tsan_check() {
    if [ "$2" -eq 66 ] || grep -q 'WARNING: ThreadSanitizer' "$T/$1.err"; then
        echo "FAIL(tsan): $1: ThreadSanitizer reported (exit $2):" >&2
        sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' "$T/$1.err" | head -60 >&2
        reports=$((reports + 1))
    fi
}

# tsan_run NAME CMD...: runs CMD with its output kept, then tsan_check.
tsan_run() {
    local name=$1 rc
    shift
    "$@" >"$T/$name.out" 2>"$T/$name.err"
    rc=$?
    tsan_check "$name" "$rc"
    return "$rc"
}

# tsan_interrupt NAME DELAY CMD...: as tsan_run, with SIGINT DELAY seconds after the start.
tsan_interrupt() {
    local name=$1 delay=$2 pid rc
    shift 2
    "$@" >"$T/$name.out" 2>"$T/$name.err" &
    pid=$!
    sleep "$delay"
    kill -INT "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    tsan_check "$name" "$rc"
    echo "tsan: $name: exit $rc"
    irc=$rc
}

mkdir -p arts big
for i in $(seq 60); do
    { cat "$ARTBAG_SEED"; echo "Copy $i."; } >"arts/a$i.md"
done
truncate -s 768M big.warc # a sparse capture: long enough to check that a SIGINT lands mid-run

note "packs and checks on two threads"
tsan_run pack_collection "$ARTBAG" pack arts -o coll.tar.gz -j 2 -q || fail "pack of the collection"
tsan_run pack_each "$ARTBAG" pack --each arts -O each -j 2 -q || fail "pack --each"
tsan_run verify_r "$ARTBAG" verify -j 2 -q -r each || fail "verify -r"
tsan_run verify_coll "$ARTBAG" verify -j 2 coll.tar.gz -q || fail "verify of the collection"
tsan_run audit "$ARTBAG" audit each --ledger l.sqlite -j 2 -q || fail "audit"
tsan_run audit_again "$ARTBAG" audit each --ledger l.sqlite -j 2 -q || fail "second audit"

note "stopped by SIGINT"
tsan_run pack_big "$ARTBAG" pack "$ARTBAG_SEED" --attach big.warc -o big/big.tar.gz -q ||
    fail "pack with a large attachment"
cp each/*.tar.gz big/
tsan_interrupt audit_int 0.5 "$ARTBAG" audit big --ledger l2.sqlite -j 2 -q
tsan_interrupt verify_int 0.5 "$ARTBAG" verify -j 2 big/big.tar.gz -q
tsan_interrupt pack_int 0.5 "$ARTBAG" pack "$ARTBAG_SEED" --attach big.warc -o int.tar.gz -q
[ "$irc" -ne 130 ] || [ ! -e int.tar.gz ] ||
    fail "an interrupted pack left its bundle under the final name"

[ "$reports" -eq 0 ] || fail "$reports run(s) with ThreadSanitizer reports"
echo ok
