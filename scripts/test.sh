#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The whole test suite, in two stages on both cores:
#  1. installs missing packages, builds build/ and runs every ctest (unit, e2e, fuzz corpus
#     replay, fault, hostile, valgrind, install, lint, abi, and package, which builds the three
#     Debian packages in a tree of its own and runs lintian on them);
#  2. builds again with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/,
#     -DARTBAG_SANITIZE=ON, no recovery) and runs the suite there too, except the labels that
#     cannot run on a sanitized build (valgrind, install), those that do not test the build
#     (package builds its own tree, lint reads the sources), and the two hostile cases that
#     measure scale in time and memory (ASan's shadow memory would only measure ASan);
#  3. builds the command with ThreadSanitizer (build-tsan/, -DARTBAG_TSAN=ON) and runs its
#     threaded paths, including SIGINT mid-run, through tests/tsan/run.sh, which fails on any
#     ThreadSanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/build.sh
# A failure in stage 1 does not hide what stage 2 finds: both run, and either fails the script.
rc1=0
ctest --test-dir build --output-on-failure -j"$(nproc)" || rc1=$?
echo "test.sh: stage 1 (build/) $([ $rc1 -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"

start2=$(date +%s)
# Timeouts there are four times stage 1's; ARTBAG_TEST_TIMEOUT_SCALE=N overrides (a busier machine).
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DARTBAG_SANITIZE=ON \
    -DARTBAG_TEST_TIMEOUT_SCALE="${ARTBAG_TEST_TIMEOUT_SCALE:-}" >/dev/null
cmake --build build-asan -j"$(nproc)"
rc2=0
# intercept_strspn=0: md4c (the article reader's Markdown parser) calls strcspn once a line over
# the rest of the document, and with strict_string_checks ASan measures that whole rest every
# time: a 40 MB article took hours. artbag's own code calls neither strspn nor strcspn.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:intercept_strspn=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)" \
    -LE '^(valgrind|install|package|lint)$' -E '^hostile\.(bomb|many-entries)$' || rc2=$?
echo "test.sh: stage 2 (build-asan/, ASan+UBSan) $([ $rc2 -eq 0 ] && echo passed || echo FAILED)" \
    "in $(($(date +%s) - start2)) s"

start3=$(date +%s)
rc3=0
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DARTBAG_TSAN=ON >/dev/null
cmake --build build-tsan -j"$(nproc)" --target artbag
tests/tsan/run.sh "$PWD/build-tsan/artbag" || rc3=$?
echo "test.sh: stage 3 (build-tsan/, TSan) $([ $rc3 -eq 0 ] && echo passed || echo FAILED)" \
    "in $(($(date +%s) - start3)) s; all in $(($(date +%s) - start)) s"
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ]
