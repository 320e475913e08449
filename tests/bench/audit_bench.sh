#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# audit_bench.sh - issue 16's audit figures, each printed against its target with PASS or MISS:
#   1. auditing N bundles costs at most 1.05 x `verify -r -j 2` on the same bundles
#   2. the ledger grows by at most 1 KiB per event
#   3. an audit in which nothing is due, over a ledger of M entries, finishes in under 2 s
# It reports, it does not gate: the exit status is 0 whatever the figures are.
#
# usage: tests/bench/audit_bench.sh [N_BUNDLES [M_ENTRIES]]   (defaults 1000 and 100000)
# environment: ARTBAG (default build/artbag), RUNS (runs per timing, fastest counts; default 3),
#   TMPDIR (work directory parent; removed at the end)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
artbag=${ARTBAG:-$repo/build/artbag}
seed=$repo/tests/fixtures/seed/china-condemns-cyber-terrorism.md
runs=${RUNS:-3}
n=${1:-1000}
m=${2:-100000}
command -v sqlite3 >/dev/null || { echo "audit_bench: needs sqlite3" >&2; exit 0; }
w=$(mktemp -d "${TMPDIR:-/tmp}/artbag-audit-bench.XXXXXX") || exit 0
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 0

# fastest CMD...: the fastest wall time of RUNS runs, in seconds.
fastest() {
    local best= t
    for _ in $(seq "$runs"); do
        t=$( { TIMEFORMAT=%R; time "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
        best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
    done
    echo "$best"
}
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "PASS" : "MISS") }'; }

echo "audit_bench: $n bundles, a ledger of $m entries, fastest of $runs"
mkdir -p arch
for i in $(seq "$n"); do
    d=arch/$((i % 50))
    mkdir -p "$d"
    "$artbag" pack "$seed" -o "$d/b$i.tar.gz" -q --mtime 0 --title "Story $i" \
        --url "https://example.org/$i" || exit 0
done

# 1. The ledger's cost over verify's, both with two bundles at once. A fresh ledger each run,
#    so every bundle is checked and recorded.
v=$(fastest "$artbag" verify -q -j 2 -r arch)
a=$(fastest sh -c 'rm -f "$1"*; "$2" audit -q -j 2 --ledger "$1" arch' _ "$w/l.sqlite" "$artbag")
r=$(awk -v a="$a" -v v="$v" 'BEGIN { printf "%.3f", a / v }')
echo "1. audit $a s vs verify -r -j 2 $v s: ${r} x (target <= 1.05): $(verdict "$r" 1.05)"

# 2. Growth per event, over audits after the first (schema and first pages excluded).
rm -f l.sqlite*
"$artbag" audit -q -j 2 --ledger l.sqlite arch >/dev/null
s1=$(stat -c %s l.sqlite)
"$artbag" audit -q -j 2 --ledger l.sqlite arch >/dev/null
s2=$(stat -c %s l.sqlite)
g=$(( (s2 - s1) / n ))
echo "2. the ledger grows $g bytes per event (target <= 1024): $(verdict "$g" 1024)"

# 3. Nothing due: a ledger of m entries (n real bundles, the rest of its history as earlier
#    audits' events of the same bundles, copied in SQL), walked and compared in full.
sqlite3 l.sqlite "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;
  WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ($m / $n))
  INSERT INTO events (audit, chain, seq, prev, hash, time, duration_ms, agent, host, path, size,
    mtime, identity, identity_file, external_identifier, payload_oxum, outcome, problems)
  SELECT audit, 'bench', k.i * 1000000 + id, prev, hash, '2000-01-01T00:00:00.000Z',
    duration_ms, agent, host, path, size, mtime, identity, identity_file, external_identifier,
    payload_oxum, outcome, problems FROM events, k WHERE chain != 'bench' LIMIT $m" ||
    { echo "3. could not grow the ledger"; exit 0; }
e=$(sqlite3 l.sqlite "SELECT count(*) FROM events")
t=$(fastest "$artbag" audit -q --due 90d --ledger l.sqlite arch)
echo "3. nothing due over $e ledger entries: $t s (target < 2): $(verdict "$t" 2)"
exit 0
