#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Runs every libFuzzer target for SECONDS each (two at a time by default, niced), then merges
# the inputs that add coverage into tests/fuzz/corpus/<target>/ (libFuzzer -merge=1, which
# also drops inputs that add nothing) and leaves any crash in tests/fuzz/crashes/<target>/.
#
#   tests/fuzz/run.sh SECONDS [TARGET...]      e.g. tests/fuzz/run.sh 600
#
# Builds the targets in build-fuzz/ with clang (-DARTBAG_FUZZ=ON: coverage instrumentation,
# ASan and UBSan in the library and the harness). Environment: ARTBAG_FUZZ_JOBS (parallel
# targets, default 2), ARTBAG_FUZZ_FLAGS (extra libFuzzer flags), ARTBAG_DIFF_COUNT (mutants per
# container for the differential runs after a run of every target; default 100000, 0 skips).
# Exits 1 when a target crashed or a differential run found a disagreement.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

usage() { echo "usage: tests/fuzz/run.sh SECONDS [article|shapes|metatable|manifest|baginfo|sign|verify|profile|zipcheck|tarcheck ...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
SECS=$1
shift
case $SECS in '' | *[!0-9]*) usage ;; esac
TARGETS=("$@")
ALL=$((${#TARGETS[@]} == 0))
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(article metatable manifest baginfo sign verify profile zipcheck tarcheck)
JOBS=${ARTBAG_FUZZ_JOBS:-2}
BUILD=$ROOT/build-fuzz
FUZZ=$ROOT/tests/fuzz
WORK=$BUILD/fuzz-work

command -v clang >/dev/null || { echo "run.sh: clang is needed (Debian: clang, libclang-rt-dev)" >&2; exit 3; }

# -O1 with assertions on (no -DNDEBUG): the usual trade between speed and finding bugs.
CC=clang cmake -S . -B "$BUILD" -DARTBAG_FUZZ=ON -DARTBAG_WERROR=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target "${TARGETS[@]/#/fuzz_}" >/dev/null

# fuzz_one T: runs target T until SECONDS have passed, starting again after each crash (its
# input is saved as crashes/T/crash-<sha1>), then merges the new inputs into corpus/T.
fuzz_one() {
    local t=$1 bin=$BUILD/tests/fuzz/fuzz_$1 end left rc crashed=0
    local log=$WORK/$t.log
    rm -rf "${WORK:?}/$t" "$WORK/$t.merged"
    mkdir -p "$WORK/$t" "$FUZZ/corpus/$t" "$FUZZ/crashes/$t"
    : >"$log"
    end=$(($(date +%s) + SECS))
    while left=$((end - $(date +%s))) && [ "$left" -gt 0 ]; do
        rc=0
        # shellcheck disable=SC2086 # ARTBAG_FUZZ_FLAGS is a list of flags
        ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            nice -n 10 "$bin" -max_total_time="$left" -timeout=30 -rss_limit_mb=2048 \
            -artifact_prefix="$FUZZ/crashes/$t/" -print_final_stats=1 \
            ${ARTBAG_FUZZ_FLAGS:-} "$WORK/$t" "$FUZZ/corpus/$t" >>"$log" 2>&1 || rc=$?
        [ "$rc" -eq 0 ] && break
        crashed=1
        echo "run.sh: $t stopped with exit $rc; see $log and $FUZZ/crashes/$t/" >&2
        sleep 1
    done
    # A fresh minimal corpus from the old one and this run's finds.
    mkdir -p "$WORK/$t.merged"
    nice -n 10 "$bin" -merge=1 -timeout=30 -rss_limit_mb=2048 "$WORK/$t.merged" \
        "$FUZZ/corpus/$t" "$WORK/$t" >>"$log" 2>&1 || { echo "run.sh: $t: merge failed" >&2; return 1; }
    if [ -n "$(ls -A "$WORK/$t.merged")" ]; then
        rm -rf "${FUZZ:?}/corpus/$t"
        mv "$WORK/$t.merged" "$FUZZ/corpus/$t"
    fi
    echo "run.sh: $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" |
        awk '{s+=$2} END {print s+0}') runs, corpus now $(find "$FUZZ/corpus/$t" -type f | wc -l) files"
    return $crashed
}

mkdir -p "$WORK"
status=0
pids=()
for t in "${TARGETS[@]}"; do
    [ -x "$BUILD/tests/fuzz/fuzz_$t" ] || { echo "run.sh: no target '$t'" >&2; exit 2; }
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || status=1; done
    fuzz_one "$t" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
du -sh "$FUZZ/corpus"

# The long differential runs of issue 11 (tests/diff) when every target ran: 100,000 mutants
# per container, fixed seed; whatever verify accepts must extract alike with GNU tar, bsdtar,
# busybox, 7-Zip and Python (tar), unzip, Python, 7-Zip and bsdtar (zip). They need the ordinary
# build (build/artbag); ARTBAG_DIFF_COUNT=0 skips them.
if [ "$ALL" -eq 1 ] && [ "${ARTBAG_DIFF_COUNT:-100000}" -gt 0 ]; then
    export ARTBAG=${ARTBAG:-$ROOT/build/artbag}
    export ARTBAG_SEED=$ROOT/tests/fixtures/seed/china-condemns-cyber-terrorism.md
    [ -x "$ARTBAG" ] || { echo "run.sh: no artbag at '$ARTBAG' for the diff runs" >&2; exit 3; }
    # Runs of an hour must test one build: the command and the libartbag it loads (by RUNPATH,
    # from build/) are copied first, so that rebuilding build/ meanwhile changes nothing here.
    frozen=$(mktemp -d "${TMPDIR:-/tmp}/artbag-diff-bin.XXXXXX") || exit 3
    trap 'rm -rf "$frozen"' EXIT
    cp "$ARTBAG" "$frozen/artbag.bin" || exit 3
    lib=$(ldd "$ARTBAG" | awk '/libartbag\.so/ { print $3 }')
    [ -z "$lib" ] || cp -L "$lib" "$frozen/$(basename "$lib")" || exit 3
    printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$frozen" "$frozen/artbag.bin" >"$frozen/artbag"
    chmod +x "$frozen/artbag"
    export ARTBAG=$frozen/artbag
    echo "run.sh: diff runs with a copy of $(LD_LIBRARY_PATH=$frozen "$frozen/artbag.bin" --version) in $frozen"
    for c in tar zip; do
        nice -n 10 python3 "$ROOT/tests/diff/run.py" --container $c \
            --count "${ARTBAG_DIFF_COUNT:-100000}" --seed 7 --jobs "$JOBS" || status=1
    done
fi
exit $status
