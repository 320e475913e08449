#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# gz_bench.sh - artbag's parallel gzip writer and reader against gzip and pigz on one text corpus,
# each figure printed as a ratio against a baseline measured in the same run.
#
# usage: gz_bench.sh GZ_TOOL [MEGABYTES] [RUNS]
#   GZ_TOOL    the gz_tool binary (build/tests/bench/gz_tool)
#   MEGABYTES  size of the article-like tar stream (default 200)
#   RUNS       each command runs this often and the fastest run counts (default 3), so a
#              neighbour's burst of CPU does not decide a figure
# The corpus is cached as $GZ_BENCH_CACHE (default /tmp/artbag-gz-corpus-MB.tar): it is
# deterministic, so a cached copy is the same bytes.
set -euo pipefail

tool=${1:?usage: gz_bench.sh GZ_TOOL [MEGABYTES] [RUNS]}
mb=${2:-200}
runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
seed_article=$here/../fixtures/seed/china-condemns-cyber-terrorism.md
corpus=${GZ_BENCH_CACHE:-/tmp/artbag-gz-corpus-$mb.tar}

for t in gzip pigz python3; do
    command -v "$t" > /dev/null || { echo "gz_bench: '$t' not found" >&2; exit 77; }
done
[ -x /usr/bin/time ] || { echo "gz_bench: /usr/bin/time not found" >&2; exit 77; }
work=$(mktemp -d /tmp/artbag-gz-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -s "$corpus" ]; then
    python3 "$here/gz_corpus.py" "$mb" 1 "$seed_article" > "$corpus.tmp"
    mv "$corpus.tmp" "$corpus"
fi

# time_ms CMD: "WALL CPU", the wall and CPU (user + system) times of the shell command CMD in
# milliseconds. CPU over wall shows how many cores a command really got.
time_ms() {
    /usr/bin/time -f '%e %U %S' -o "$work/time" bash -c "$1"
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$work/time"
}

# Runs every command once per round, rounds interleaved, keeping each one's fastest time: a
# neighbour's burst of CPU then hurts all of them alike rather than whichever ran during it.
# bench NAME=CMD...
declare -A best cpu
bench() {
    local r spec name ms c
    for r in $(seq "$runs"); do
        for spec in "$@"; do
            name=${spec%%=*}
            read -r ms c < <(time_ms "${spec#*=}")
            if [ -z "${best[$name]:-}" ] || [ "$ms" -lt "${best[$name]}" ]; then
                best[$name]=$ms
                cpu[$name]=$c
            fi
        done
    done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# How much of the machine this run had: two gzips at once against one. 1.0 means two free
# cores; near 2.0 means other work left about one, and no -j 2 figure can then show a gain.
head -c 20000000 "$corpus" > "$work/probe"
bench "p_one=gzip -1 -c '$work/probe' > /dev/null" \
      "p_two=gzip -1 -c '$work/probe' > /dev/null & gzip -1 -c '$work/probe' > /dev/null; wait"

in=$corpus
bench "c_gzip=gzip -6 -c '$in' > '$work/gzip.gz'" \
      "c_pigz=pigz -6 -p 2 -c '$in' > '$work/pigz.gz'" \
      "c_j1='$tool' -c -j 1 < '$in' > '$work/j1.gz'" \
      "c_j2='$tool' -c -j 2 < '$in' > '$work/j2.gz'"
cmp -s "$work/j1.gz" "$work/j2.gz" || { echo "gz_bench: -j 1 and -j 2 differ" >&2; exit 1; }
gzip -dc "$work/j2.gz" | cmp -s - "$in" || { echo "gz_bench: gzip -dc differs" >&2; exit 1; }
"$tool" -d -j 2 < "$work/j2.gz" | cmp -s - "$in" || { echo "gz_bench: reader differs" >&2; exit 1; }

bench "d_gzip=gzip -dc '$work/gzip.gz' > /dev/null" \
      "d_pigz=pigz -dc '$work/gzip.gz' > /dev/null" \
      "d_j1='$tool' -d -j 1 < '$work/j2.gz' > /dev/null" \
      "d_j2='$tool' -d -j 2 < '$work/j2.gz' > /dev/null" \
      "d_seq='$tool' -d -j 2 < '$work/gzip.gz' > /dev/null"
s_in=$(stat -c %s "$in")
s_gzip=$(stat -c %s "$work/gzip.gz")
s_pigz=$(stat -c %s "$work/pigz.gz")
s_ours=$(stat -c %s "$work/j2.gz")

# row LABEL KEY BASE1 BASE2: a command's wall and CPU milliseconds and its wall time as a ratio
# to each baseline's.
row() {
    printf '%-34s %9s %9s %12s %12s\n' "$1" "${best[$2]}" "${cpu[$2]}" \
        "$(ratio "${best[$2]}" "${best[$3]}")" "$(ratio "${best[$2]}" "${best[$4]}")"
}

echo "corpus: $s_in bytes of article-like tar, best of $runs runs, $(nproc) CPUs"
echo "cores free: two gzips at once took $(ratio "${best[p_two]}" "${best[p_one]}") x one" \
    "(1.00: two free cores; 2.00: one)"
echo
printf '%-34s %9s %9s %12s %12s\n' "compress" "wall ms" "cpu ms" "x gzip -6" "x pigz -p2"
row "gzip -6" c_gzip c_gzip c_pigz
row "pigz -6 -p 2" c_pigz c_gzip c_pigz
row "artbag -j 1" c_j1 c_gzip c_pigz
row "artbag -j 2" c_j2 c_gzip c_pigz
echo
printf '%-34s %9s %9s %12s %12s\n' "inflate" "wall ms" "cpu ms" "x gzip -dc" "x pigz -dc"
row "gzip -dc" d_gzip d_gzip d_pigz
row "pigz -dc" d_pigz d_gzip d_pigz
row "artbag -j 1" d_j1 d_gzip d_pigz
row "artbag -j 2" d_j2 d_gzip d_pigz
row "artbag, gzip's file (sequential)" d_seq d_gzip d_pigz
echo
printf '%-34s %12s %14s\n' "size" "bytes" "x gzip -6"
printf '%-34s %12s %14s\n' "gzip -6" "$s_gzip" 1.0000
printf '%-34s %12s %14s\n' "pigz -6 -p 2" "$s_pigz" "$(awk -v a="$s_pigz" -v b="$s_gzip" 'BEGIN { printf "%.4f", a / b }')"
printf '%-34s %12s %14s\n' "artbag (1 MiB blocks)" "$s_ours" "$(awk -v a="$s_ours" -v b="$s_gzip" 'BEGIN { printf "%.4f", a / b }')"
