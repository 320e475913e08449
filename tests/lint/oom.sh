#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# oom.sh - running out of memory is one status everywhere in libartbag: ARTBAG_EIO ("could not
# do the job"; the caller may retry), never ARTBAG_EINTERNAL (a bug) or anything else. Checks
# every artbag_error_set() call, and every `status = ...` beside a message, whose text says
# "out of memory" (a call may span two lines). Run by ctest (label lint); prints each offending
# line and exits 1.
set -u
export LC_ALL=C
SRC=${ARTBAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$SRC" || exit 4

bad=$(find src/lib -name '*.c' -print0 | sort -z | xargs -0 awk '
    FNR == 1 { prev = "" }
    # The line that says "out of memory" and the line before it hold the status.
    /"[^"]*out of memory[^"]*"/ {
        both = prev $0
        if (both ~ /ARTBAG_E[A-Z]+/ && both !~ /ARTBAG_EIO/)
            printf "%s:%d: %s\n", FILENAME, FNR, $0
    }
    { prev = $0 }')
if [ -n "$bad" ]; then
    printf '%s\n' "$bad"
    echo "oom: out of memory must be ARTBAG_EIO (include/artbag.h, enum artbag_status)" >&2
    exit 1
fi
n=$(grep -rl --include='*.c' 'out of memory' src/lib | wc -l)
[ "$n" -gt 0 ] || { echo "oom: found no 'out of memory' at all: is this the source tree?" >&2; exit 4; }
echo "oom: every out-of-memory status in $n files is ARTBAG_EIO"
