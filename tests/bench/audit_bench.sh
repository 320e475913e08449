#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# audit_bench.sh - issue 16's audit figures, each printed against its target with PASS or MISS:
#   1. auditing N bundles costs at most 1.05 x `verify -r -j 2` on the same bundles (the issue's
#      figure: wall time, on bundles of about 3.5 KB); also the CPU time (user + sys, all
#      threads) of both, and what the ledger costs per event in CPU time
#   1b. the same on B bundles of about 360 KB (an article with its images), wall and CPU
#   2. the ledger grows by at most 1 KiB per event
#   3. an audit in which nothing is due, over a ledger of M entries, finishes in under 2 s
# It reports, it does not gate: the exit status is 0 whatever the figures are. Wall times swing
# with the machine's load (and the ledger's few fsyncs with the disk's); CPU times much less.
#
# usage: tests/bench/audit_bench.sh [N_BUNDLES [M_ENTRIES [B_BUNDLES]]]
#   (defaults 1000, 100000 and 300; B_BUNDLES 0 skips 1b)
# environment: ARTBAG (default build/artbag), RUNS (runs per timing, fastest counts; default 3),
#   INSTR=1 (also count instructions with valgrind's callgrind: minutes more),
#   TMPDIR (work directory parent; removed at the end)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
artbag=${ARTBAG:-$repo/build/artbag}
seed=$repo/tests/fixtures/seed/china-condemns-cyber-terrorism.md
runs=${RUNS:-3}
n=${1:-1000}
m=${2:-100000}
nb=${3:-300}
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
# both NAME1 CMD1 -- NAME2 CMD2: RUNS rounds, the two commands in turn; sets NAME_w and NAME_c
# to the command's fastest wall time and its smallest CPU time (user + sys), in seconds.
both() {
    local n1=$1 n2 a=() b=() t w c k bw bc
    shift
    while [ "$1" != -- ]; do a+=("$1"); shift; done
    shift
    n2=$1
    shift
    b=("$@")
    for k in "$n1" "$n2"; do printf -v "${k}_w" 1e9; printf -v "${k}_c" 1e9; done
    for _ in $(seq "$runs"); do
        for k in "$n1" "$n2"; do
            if [ "$k" = "$n1" ]; then
                t=$( { TIMEFORMAT='%R %U %S'; time "${a[@]}" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
            else
                t=$( { TIMEFORMAT='%R %U %S'; time "${b[@]}" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
            fi
            read -r w c < <(awk '{ print $1, $2 + $3 }' <<<"$t")
            bw=${k}_w
            bc=${k}_c
            printf -v "$bw" %s "$(awk -v a="$w" -v b="${!bw}" 'BEGIN { print (a < b ? a : b) }')"
            printf -v "$bc" %s "$(awk -v a="$c" -v b="${!bc}" 'BEGIN { print (a < b ? a : b) }')"
        done
    done
}
a_w='' a_c='' v_w='' v_c=''
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "PASS" : "MISS") }'; }
# instr LABEL DIR COUNT: with INSTR=1 and valgrind, the instructions (user space, all threads,
# callgrind) of verify -r -j 2 and of an audit into a new ledger over DIR, which the load does not
# change as it does times; and the ledger's per event. Slow: about 50 x the runs above.
instr() {
    local vi ai v
    [ "${INSTR:-0}" = 1 ] || return 0
    command -v valgrind >/dev/null || { echo "   instructions: no valgrind"; return 0; }
    valgrind --tool=callgrind --callgrind-out-file="$w/cg.v" -q "$artbag" verify -q -j 2 -r "$2" \
        >/dev/null 2>&1
    rm -f "$w"/li.sqlite*
    valgrind --tool=callgrind --callgrind-out-file="$w/cg.a" -q "$artbag" audit -q -j 2 \
        --ledger "$w/li.sqlite" "$2" >/dev/null 2>&1
    vi=$(sed -n 's/^totals: //p' "$w/cg.v")
    ai=$(sed -n 's/^totals: //p' "$w/cg.a")
    [ -n "$vi" ] && [ -n "$ai" ] || { echo "   instructions: callgrind failed"; return 0; }
    # per event with the audit's fixed cost (about 3 M) spread over them: judged from 300 on
    v=$([ "$3" -ge 300 ] && verdict $(( (ai - vi) / $3 )) 300000 || echo "too few events to judge")
    echo "   $1 instructions: audit $((ai / 1000000)) M vs verify $((vi / 1000000)) M:" \
        "$(ratio "$ai" "$vi") x; the ledger: $(( (ai - vi) / $3 / 1000 )) k per event" \
        "(proposed target <= 300 k): $v"
    rm -f "$w"/cg.v "$w"/cg.a "$w"/li.sqlite*
}

echo "audit_bench: $n bundles, a ledger of $m entries, fastest of $runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p arch
for i in $(seq "$n"); do
    d=arch/$((i % 50))
    mkdir -p "$d"
    "$artbag" pack "$seed" -o "$d/b$i.tar.gz" -q --mtime 0 --title "Story $i" \
        --url "https://example.org/$i" || exit 0
done

# 1. The ledger's cost over verify's, both with two bundles at once. A fresh ledger each run,
#    so every bundle is checked and recorded.
both v "$artbag" verify -q -j 2 -r arch -- a sh -c 'rm -f "$1"*; "$2" audit -q -j 2 --ledger "$1" arch' _ "$w/l.sqlite" "$artbag"
r=$(ratio "$a_w" "$v_w")
echo "1. audit $a_w s vs verify -r -j 2 $v_w s: ${r} x (target <= 1.05): $(verdict "$r" 1.05)"
echo "   CPU: audit $a_c s vs verify $v_c s: $(ratio "$a_c" "$v_c") x; the ledger:" \
    "$(awk -v a="$a_c" -v v="$v_c" -v n="$n" 'BEGIN { printf "%.0f", (a - v) * 1e6 / n }') us of CPU per event"
instr 1. arch "$n"

# 1b. The same on bundles of about 360 KB: an article with 480 KB of text that does not compress
#     much (base64 of random bytes, a stand-in for its images).
if [ "$nb" -gt 0 ]; then
    python3 -c 'import base64, random, sys
random.seed(1)
sys.stdout.write(open(sys.argv[1]).read() + "\n\n" + "\n\n".join(
    base64.b64encode(random.randbytes(3000)).decode() for _ in range(120)) + "\n")' "$seed" >big.md
    mkdir -p big
    for i in $(seq "$nb"); do
        d=big/$((i % 20))
        mkdir -p "$d"
        "$artbag" pack big.md -o "$d/b$i.tar.gz" -q --mtime 0 --title "Story $i" \
            --url "https://example.org/$i" || exit 0
    done
    both v "$artbag" verify -q -j 2 -r big -- a sh -c 'rm -f "$1"*; "$2" audit -q -j 2 --ledger "$1" big' _ "$w/lb.sqlite" "$artbag"
    r=$(ratio "$a_w" "$v_w")
    rc=$(ratio "$a_c" "$v_c")
    echo "1b. $nb bundles of $(( $(du -sk big | cut -f1) / nb )) KiB: audit $a_w s vs verify $v_w s: ${r} x" \
        "(target <= 1.05): $(verdict "$r" 1.05); CPU $a_c s vs $v_c s: ${rc} x: $(verdict "$rc" 1.05)"
    instr 1b. big "$nb"
    rm -rf big big.md lb.sqlite*
fi

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
echo "audit_bench: load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
