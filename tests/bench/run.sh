#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# run.sh - the collection figures of issue 4 ("Figures to reach"): artbag against the standard
# tools on one deterministic corpus, every baseline measured in the same run, each figure printed
# as a ratio to its named baseline with the target and PASS or MISS. It reports, it does not
# gate: the exit status is 0 whatever the figures are.
#
# usage: tests/bench/run.sh [--quick] [--reader] [N_ARTICLES]
#   N_ARTICLES  articles in the corpus (default 20000; --quick: 2000 and a 256 MiB big file
#               instead of 2 GiB)
#   --reader    only figure 6, the article reader's share of pack (and the pack it divides by)
# environment:
#   ARTBAG   the artbag binary (default: build/artbag of this checkout)
#   GZ_TOOL  artbag's gzip layer as a filter (default: build/tests/bench/gz_tool)
#   READER_BENCH  the article reader alone (default: build/tests/bench/reader_bench)
#   RUNS     runs per measurement, the fastest counts (default 3)
#   TMPDIR   the corpus is cached in ${TMPDIR:-/tmp}/artbag-bench/ (it is deterministic, so a
#            cached copy is the same bytes); everything else goes to a temporary directory there
#            that is removed at the end
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
artbag=${ARTBAG:-$repo/build/artbag}
gz_tool=${GZ_TOOL:-$repo/build/tests/bench/gz_tool}
reader_bench=${READER_BENCH:-$repo/build/tests/bench/reader_bench}
only_reader=
runs=${RUNS:-3}
n=20000
big=$((2 * 1024 * 1024 * 1024))
big_name="2 GiB"
for arg in "$@"; do
    case $arg in
    --quick) n=2000; big=$((256 * 1024 * 1024)); big_name="256 MiB" ;;
    --reader) only_reader=1 ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]* | '') echo "run.sh: bad argument '$arg' (usage: run.sh [--quick] [--reader] [N_ARTICLES])" >&2; exit 0 ;;
    *) n=$arg ;;
    esac
done

missing=
for t in tar gzip pigz bsdtar sha256sum python3 df awk; do
    command -v "$t" > /dev/null || missing="$missing $t"
done
[ -x /usr/bin/time ] || missing="$missing /usr/bin/time"
[ -x "$artbag" ] || missing="$missing $artbag"
[ -x "$gz_tool" ] || missing="$missing $gz_tool"
[ -x "$reader_bench" ] || missing="$missing $reader_bench"
if [ -n "$missing" ]; then
    echo "run.sh: not found:$missing (build first: cmake --build build)" >&2
    exit 0
fi

cache=${TMPDIR:-/tmp}/artbag-bench
mkdir -p "$cache"
work=$(mktemp -d "$cache/run.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 0' INT TERM
t_start=$(date +%s)

# Others may rebuild build/ while this runs: measure private copies, so every figure comes from
# the same binary, and say which one it was.
src_desc="$artbag, built $(date -u -r "$artbag" '+%Y-%m-%d %H:%M:%S UTC')"
if git -C "$repo" rev-parse --short HEAD > /dev/null 2>&1; then
    src_desc="$src_desc, checkout at $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src include 2> /dev/null || echo ' + uncommitted changes in src/')"
fi
cp "$artbag" "$work/artbag" && cp "$gz_tool" "$work/gz_tool" && cp "$reader_bench" "$work/reader_bench" ||
    { echo "run.sh: cannot copy the binaries" >&2; exit 0; }
artbag=$work/artbag
gz_tool=$work/gz_tool
reader_bench=$work/reader_bench

# The corpus: N articles under $cdir/articles/<section>/<batch>/, made once and cached. The
# generator's version is in the name, so a changed generator never meets an old cache.
cdir=$cache/corpus-v1-$n
if [ ! -e "$cdir/.done" ]; then
    echo "building the corpus of $n articles in $cdir ..."
    rm -rf "$cdir"
    mkdir -p "$cdir"
    python3 "$here/make_corpus.py" articles "$cdir/articles" "$n" 1 || { echo "run.sh: corpus failed"; exit 0; }
    touch "$cdir/.done"
fi
cd "$cdir" || exit 0
find articles -type f -name '*.md' | LC_ALL=C sort > "$work/list"
n_files=$(wc -l < "$work/list")
corpus_bytes=$(tr '\n' '\0' < "$work/list" | xargs -0 cat | wc -c)

# time_cmd NAME CMD: runs the shell command CMD once; sets T_WALL and T_CPU (ms) and T_RSS (KB,
# "Maximum resident set size" of /usr/bin/time -v: the command itself when CMD starts with
# exec) and T_RC.
time_cmd() {
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/time" bash -c "$2" > "$work/$1.out" 2> "$work/$1.err"
    T_RC=$?
    t1=$(date +%s%N)
    T_WALL=$(((t1 - t0) / 1000000))
    read -r T_CPU T_RSS < <(awk -F': ' '
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { m = $2 }
        END { printf "%d %d\n", (u + s) * 1000, m }' "$work/time")
    if [ "$T_RC" -ne 0 ] && [ -z "${rc[$1]:-}" ]; then
        rc[$1]=$T_RC
        echo "  note: '$1' exited $T_RC: $(head -c 300 "$work/$1.err" | tr '\n' ' ')"
    fi
}

# bench NAME=CMD...: every command once per round, rounds interleaved (a neighbour's burst of CPU
# then hurts all of them alike), keeping each one's fastest wall time (and that run's CPU) and
# its highest RSS. prep[NAME], when set, runs before each run of NAME, outside the timing.
declare -A best cpu rss rc prep
bench() {
    local r spec name
    for r in $(seq "$runs"); do
        for spec in "$@"; do
            name=${spec%%=*}
            if [ -n "${prep[$name]:-}" ]; then bash -c "${prep[$name]}"; fi
            sync
            time_cmd "$name" "${spec#*=}"
            if [ -z "${best[$name]:-}" ] || [ "$T_WALL" -lt "${best[$name]}" ]; then
                best[$name]=$T_WALL
                cpu[$name]=$T_CPU
            fi
            if [ -z "${rss[$name]:-}" ] || [ "$T_RSS" -gt "${rss[$name]}" ]; then
                rss[$name]=$T_RSS
            fi
        done
    done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
# verdict VALUE OP TARGET [NAME...]: PASS or MISS, or FAILED when a named command failed.
verdict() {
    local v=$1 op=$2 t=$3 k
    shift 3
    for k in "$@"; do
        if [ -n "${rc[$k]:-}" ]; then echo "FAILED(exit ${rc[$k]})"; return; fi
    done
    awk -v v="$v" -v t="$t" -v op="$op" 'BEGIN {
        ok = (op == "<=") ? (v <= t) : (v >= t); print (v == "n/a") ? "n/a" : (ok ? "PASS" : "MISS") }'
}
table=$work/table
# row FIGURE MEASURED BASELINE RATIO TARGET RESULT
row() { printf '%-44s %-24s %-24s %8s %8s  %s\n' "$@" | tee -a "$table"; }
ms() { echo "${best[$1]} ms (cpu ${cpu[$1]})"; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# How much of the machine this run had: two single-threaded gzips at once against one. 1.00
# means two free cores; near 2.00 means other work left about one, and then no 2-thread
# figure can show a gain.
calibrate() {
    bench "p_one$1=gzip -1 -c '$work/probe' > /dev/null" \
          "p_two$1=gzip -1 -c '$work/probe' > /dev/null & gzip -1 -c '$work/probe' > /dev/null; wait"
    ratio "${best[p_two$1]}" "${best[p_one$1]}"
}
tar -cf - articles 2> /dev/null | head -c 20000000 > "$work/probe"

echo "artbag bench: $("$artbag" --version 2>&1) ($src_desc), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes:"
ps -eo pcpu=,ni=,comm= --sort=-pcpu | head -4 | awk '{ printf "    %5s%% cpu  nice %3s  %s\n", $1, $2, $3 }'
cal_start=$(calibrate a)
echo "cores free: two single-threaded gzips at once took $cal_start x one (1.00: two free cores; 2.00: one)"
echo "corpus: $n_files articles, $corpus_bytes bytes ($(mib "$corpus_bytes")) in $cdir/articles; best of $runs runs"
echo

# 1. pack the collection.
prep[pack_ab]="rm -f '$work/ab/articles.tar.gz'"
prep[pack_ab1]="rm -f '$work/ab1/articles.tar.gz'"
mkdir -p "$work/ab" "$work/ab1"
echo "1. packing the collection ..."
if [ -n "$only_reader" ]; then
    bench "pack_ab=exec '$artbag' pack articles -o '$work/ab/articles.tar.gz' -q --mtime 0"
else
    bench "pack_ab=exec '$artbag' pack articles -o '$work/ab/articles.tar.gz' -q --mtime 0" \
          "pack_pigz=tar -cf - articles | pigz -p 2 > '$work/pigz.tar.gz'" \
          "pack_tgz=tar -czf '$work/tgz.tar.gz' articles" \
          "pack_ab1=exec '$artbag' pack articles -o '$work/ab1/articles.tar.gz' -q --mtime 0 -j 1"
fi

# 6. the article reader's share of pack (issue 15: at most 5%). reader_bench reads every article
# into memory, then times artbag_article_parse() over all of them: the fastest of RUNS passes,
# in CPU time (CLOCK_PROCESS_CPUTIME_ID), so that a neighbour's burst on this shared machine is
# not counted as the reader's. It is divided by pack's wall time (figure 1, same run), not by
# pack's CPU time: collect.c reads, parses and hashes the articles one after another on the
# calling thread while the bundle writer deflates on the others, so every millisecond the
# reader takes is a millisecond on pack's critical path, and pack's CPU time (which adds the
# deflate threads' work) would make the reader's share look about half of what it costs.
echo "6. reading the articles alone ..."
reader_line=$("$reader_bench" -n "$runs" "$work/list" 2> "$work/reader.err") ||
    echo "  note: reader_bench failed: $(head -c 300 "$work/reader.err")"
[ -s "$work/reader.err" ] && echo "  note: reader_bench: $(head -c 300 "$work/reader.err" | tr '\n' ' ')"
read -r reader_cpu reader_wall _ _ reader_cold < <(echo "${reader_line:-0 0 0 0 0}")
# Figure 6's two rows: the reader's CPU time (warm, as pack meets each article right after
# reading it) and, for information, the same read cold from memory.
reader_rows() {
    local r
    r=$(ratio "$reader_cpu" "${best[pack_ab]}")
    row "6 reader cpu vs pack collection wall" "$reader_cpu ms (wall $reader_wall)" "$(ms pack_ab)" "$r" "<= 0.05" "$(verdict "$r" '<=' 0.05 pack_ab)"
    row "  reader from memory, not cache" "$reader_cold ms" "$(ms pack_ab)" "$(ratio "$reader_cold" "${best[pack_ab]}")" "-" "info"
}
if [ -n "$only_reader" ]; then
    : > "$table"
    echo
    row "figure" "artbag" "baseline" "ratio" "target" "result"
    reader_rows
    echo
    echo "(best of $runs; reader: CPU ms of one pass of artbag_article_parse over the $n_files articles in memory;"
    echo " cores free at the start: $cal_start; whole run $(($(date +%s) - t_start)) s)"
    exit 0
fi
bundle=$work/ab/articles.tar.gz
s_ab=$(stat -c %s "$bundle" 2> /dev/null || echo 0)
s_tgz=$(stat -c %s "$work/tgz.tar.gz")
u_ab=$(gzip -dc "$bundle" 2> /dev/null | wc -c)
u_tar=$(gzip -dc "$work/tgz.tar.gz" | wc -c)
# The bundle's own tar stream through gzip -6, as tar -czf of the bag would compress it: what
# artbag's gzip layer (1 MiB members on two threads) costs or saves, apart from the content.
s_same=$(gzip -dc "$bundle" 2> /dev/null | gzip -c | wc -c)
cmp -s "$bundle" "$work/ab1/articles.tar.gz" || echo "  note: pack -j 1 and -j 2 bundles differ"
gzip -t "$bundle" 2> /dev/null || echo "  note: gzip -t rejects artbag's bundle"

# 2. verify the collection. The sha256sum manifest is made here, outside the timing.
tr '\n' '\0' < "$work/list" | xargs -0 sha256sum > "$work/plain.sha256"
prep[ver_xz]="rm -rf '$work/x' && mkdir '$work/x'"
echo "2. verifying the collection ..."
bench "ver_ab=exec '$artbag' verify -q '$bundle'" \
      "ver_bsd=bsdtar -xOf '$work/pigz.tar.gz' | sha256sum" \
      "ver_xz=tar -xzf '$work/pigz.tar.gz' -C '$work/x' && cd '$work/x' && sha256sum -c --quiet '$work/plain.sha256'" \
      "ver_bsdab=bsdtar -xOf '$bundle' | sha256sum"
rm -rf "$work/x"

# 2b. what a payload file costs verify in memory (issue 12: at most 200 bytes, so that a
# 1,000,000-article collection verifies in 512 MiB): the collection's peak RSS on one thread
# less that of a bag of its first 100 articles, over the payload files between them.
mkdir -p "$work/few"
head -100 "$work/list" | tr '\n' '\0' | xargs -0 cp --parents -t "$work/few"
(cd "$work/few" && "$artbag" pack articles -o "$work/few.tar.gz" -q --mtime 0) ||
    echo "  note: packing the first 100 articles failed"
rm -rf "$work/few"
payload_files() { tar -tzf "$1" 2> /dev/null | grep -E '(^|/)data/.*[^/]$' | wc -l; }
p_all=$(payload_files "$bundle")
p_few=$(payload_files "$work/few.tar.gz")
bench "mem_all=exec '$artbag' verify -q -j 1 '$bundle'" \
      "mem_few=exec '$artbag' verify -q -j 1 '$work/few.tar.gz'"
mem_per=$(awk -v a="${rss[mem_all]}" -v b="${rss[mem_few]}" -v n=$((p_all - p_few)) \
    'BEGIN { if (n > 0) printf "%d", (a - b) * 1024 / n; else print "n/a" }')
# 1,000,000 articles of this collection's payload files per article, on the same fixed part.
mem_proj=$(awk -v per="$mem_per" -v few="${rss[mem_few]}" -v p="$p_all" -v n="$n_files" \
    'BEGIN { if (per != "n/a" && n > 0) printf "%d", few * 1024 + per * p / n * 1000000; else print "n/a" }')

# 3. verify a big single-file bag, serialized by artbag's parallel gzip writer (members verify
# can inflate in parallel) and by gzip (one member: the sequential path).
echo "3. verifying a $big_name single-file bag ..."
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
big_skip=
if [ "$free_kb" -lt $((8 * 1024 * 1024)) ]; then
    big_skip="SKIPPED: not enough disk ($(awk -v k="$free_kb" 'BEGIN { printf "%.1f", k / 1048576 }') GiB free in $work, 8 GiB needed)"
    echo "  $big_skip"
else
    mkdir -p "$work/big/bag/data"
    printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' > "$work/big/bag/bagit.txt"
    python3 "$here/make_corpus.py" bigfile articles "$work/big/bag/data/article.md" "$big"
    (cd "$work/big/bag" && sha256sum data/article.md > manifest-sha256.txt)
    printf 'Payload-Oxum: %s.1\n' "$big" > "$work/big/bag/bag-info.txt"
    (cd "$work/big/bag" && sha256sum bagit.txt bag-info.txt manifest-sha256.txt > tagmanifest-sha256.txt)
    (cd "$work/big" && tar -cf - bag | "$gz_tool" -c -j 2 > par.tar.gz) || echo "  note: gz_tool failed"
    (cd "$work/big" && tar -cf - bag | gzip -c > seq.tar.gz)
    rm -rf "$work/big/bag"
    bench "big_par=exec '$artbag' verify -q '$work/big/par.tar.gz'" \
          "big_seq=exec '$artbag' verify -q '$work/big/seq.tar.gz'"
    s_par=$(stat -c %s "$work/big/par.tar.gz")
    s_seq=$(stat -c %s "$work/big/seq.tar.gz")
    rm -rf "$work/big"
fi

# 4. one bundle per article against a shell loop of tar -czf and sha256sum per article.
prep[each_ab]="rm -rf '$work/each' && mkdir '$work/each'"
prep[each_loop]="rm -rf '$work/loop' && mkdir '$work/loop'"
echo "4. packing one bundle per article ..."
bench "each_ab=exec '$artbag' pack --each articles -O '$work/each' -q --mtime 0" \
      "each_loop=while IFS= read -r f; do b=\${f##*/}; b=\${b%.md}; tar -czf '$work/loop/'\$b.tar.gz \"\$f\" && sha256sum \"\$f\" > '$work/loop/'\$b.sha256; done < '$work/list'"
rm -rf "$work/loop"
n_each=$(find "$work/each" -name '*.tar.gz' | wc -l)
[ "$n_each" -eq "$n_files" ] || echo "  note: pack --each wrote $n_each bundles for $n_files articles"

# 5. verify the first 1,000 of those bundles on two threads and on one.
(cd "$work/each" && ls | LC_ALL=C sort | grep '\.tar\.gz$' | head -1000) > "$work/small"
n_small=$(wc -l < "$work/small")
echo "5. verifying $n_small small bundles ..."
bench "small_j2=cd '$work/each' && exec '$artbag' verify -j 2 -q \$(cat '$work/small')" \
      "small_j1=cd '$work/each' && exec '$artbag' verify -j 1 -q \$(cat '$work/small')"
rm -rf "$work/each"

cal_end=$(calibrate b)
echo
echo "cores free at the end: two gzips at once took $cal_end x one; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
: > "$table"
row "figure" "artbag" "baseline" "ratio" "target" "result"
r=$(ratio "${best[pack_ab]}" "${best[pack_pigz]}")
row "1 pack collection: time vs tar|pigz -p 2" "$(ms pack_ab)" "$(ms pack_pigz)" "$r" "<= 1.10" "$(verdict "$r" '<=' 1.10 pack_ab)"
r=$(ratio "${best[pack_ab]}" "${best[pack_tgz]}")
row "  time vs tar -czf (about 0.45 wanted)" "$(ms pack_ab)" "$(ms pack_tgz)" "$r" "-" "info"
r=$(ratio "${best[pack_ab1]}" "${best[pack_ab]}")
row "  artbag pack -j 1 vs -j 2 (default)" "$(ms pack_ab1)" "$(ms pack_ab)" "$r" "-" "info"
r=$(ratio "$s_ab" "$s_tgz")
row "  size: bundle vs tar -czf" "$s_ab B" "$s_tgz B" "$r" "<= 1.02" "$(verdict "$r" '<=' 1.02 pack_ab)"
r=$(ratio "$u_ab" "$u_tar")
row "  uncompressed: bundle's tar vs plain tar" "$u_ab B" "$u_tar B" "$r" "-" "info"
# The least any bag of this layout can be: tar -czf's bytes plus the three SHA-256 digests per
# article that the layout requires and tar -czf lacks (the manifest's lines for article.md and
# metadata.json, the catalog's sha256), 32 bytes each, since a digest is 256 random bits that
# no compressor shrinks. Nothing else (paths, metadata, headers) is counted, so the true floor
# is higher still.
r=$(ratio "$s_ab" "$s_same")
row "  size: bundle vs its tar through gzip -6" "$s_ab B" "$s_same B" "$r" "-" "info"
floor=$((s_tgz + 3 * 32 * n))
r=$(ratio "$floor" "$s_tgz")
row "  floor: tar -czf + 3 digests per article" "$floor B" "$s_tgz B" "$r" "-" "info"
r=$(ratio "${best[ver_ab]}" "${best[ver_bsd]}")
row "2 verify collection vs bsdtar -xOf|sha256sum" "$(ms ver_ab)" "$(ms ver_bsd)" "$r" "<= 0.60" "$(verdict "$r" '<=' 0.60 ver_ab)"
r=$(ratio "${best[ver_ab]}" "${best[ver_xz]}")
row "  vs tar -xzf + sha256sum -c" "$(ms ver_ab)" "$(ms ver_xz)" "$r" "<= 0.30" "$(verdict "$r" '<=' 0.30 ver_ab ver_xz)"
r=$(ratio "${best[ver_ab]}" "${best[ver_bsdab]}")
row "  vs bsdtar -xOf BUNDLE|sha256sum" "$(ms ver_ab)" "$(ms ver_bsdab)" "$r" "-" "info"
row "  verify memory per payload file, -j 1" "$mem_per B" "200 B" "$(ratio "$mem_per" 200)" "<= 200 B" "$(verdict "$mem_per" '<=' 200 mem_all mem_few)"
if [ "$mem_proj" = n/a ]; then
    row "  projected: 1,000,000 articles" "n/a" "512 MiB" "n/a" "<= 512 MiB" "n/a"
else
    row "  projected: 1,000,000 articles" "$(mib "$mem_proj")" "512 MiB" "$(ratio "$mem_proj" 536870912)" "<= 512 MiB" "$(verdict "$mem_proj" '<=' 536870912 mem_all mem_few)"
fi
if [ -n "$big_skip" ]; then
    row "3 verify $big_name bag: peak RSS" "-" "-" "-" "<= 32 MiB" "$big_skip"
else
    row "3 verify $big_name bag, parallel gzip: RSS" "$(mib $((rss[big_par] * 1024)))" "32 MiB" "$(ratio "${rss[big_par]}" 32768)" "<= 32 MiB" "$(verdict "${rss[big_par]}" '<=' 32768 big_par)"
    row "  single-member gzip -c: RSS" "$(mib $((rss[big_seq] * 1024)))" "32 MiB" "$(ratio "${rss[big_seq]}" 32768)" "<= 32 MiB" "$(verdict "${rss[big_seq]}" '<=' 32768 big_seq)"
    row "  time: parallel vs single-member" "$(ms big_par)" "$(ms big_seq)" "$(ratio "${best[big_par]}" "${best[big_seq]}")" "-" "info"
    row "  sizes: gz_tool -j 2 vs gzip -c" "$s_par B" "$s_seq B" "$(ratio "$s_par" "$s_seq")" "-" "info"
fi
r=$(ratio "${best[each_ab]}" "${best[each_loop]}")
row "4 pack --each vs loop tar -czf + sha256sum" "$(ms each_ab)" "$(ms each_loop)" "$r" "<= 0.333" "$(verdict "$r" '<=' 0.333 each_ab each_loop)"
r=$(ratio "${best[small_j2]}" "${best[small_j1]}")
row "5 verify $n_small bundles: -j 2 vs -j 1" "$(ms small_j2)" "$(ms small_j1)" "$r" "<= 0.556" "$(verdict "$r" '<=' 0.556 small_j2 small_j1)"
reader_rows
echo
echo "(ratio = artbag / baseline, wall times, best of $runs; cpu = user + system ms of that run;"
echo " cores free: $cal_start at the start, $cal_end at the end; whole run $(($(date +%s) - t_start)) s)"
exit 0
