#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# run_e2e.sh SCRIPT...: runs end-to-end test scripts (tests/e2e/SCRIPT.sh) with every artbag
# command under valgrind memcheck. A memory error or a leak makes that artbag exit 99, which the
# script sees as a wrong exit code, so the test fails and valgrind's report is in its output.
# Exits 77 (skip) when valgrind is not installed. ARTBAG is the binary to wrap.
set -u
E2E=$(cd "$(dirname "$0")/../e2e" && pwd)
: "${ARTBAG:?set ARTBAG to the artbag binary}"
command -v valgrind >/dev/null || { echo "SKIP: valgrind not installed" >&2; exit 77; }
W=$(mktemp -d "${TMPDIR:-/tmp}/artbag-valgrind.XXXXXX") || exit 4
trap 'rm -rf "$W"' EXIT
# The wrapper must be one executable path: the scripts check [ -x "$ARTBAG" ].
cat >"$W/artbag" <<WRAP
#!/bin/sh
exec valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \\
    --track-fds=no -q "$ARTBAG" "\$@"
WRAP
chmod +x "$W/artbag"
status=0
for s in "$@"; do
    echo "== $s under valgrind"
    # the scripts' own timeout guards, scaled for a command that runs tens of times slower
    ARTBAG=$W/artbag ARTBAG_TIMEOUT_SCALE=$((${ARTBAG_TIMEOUT_SCALE:-1} * 20)) bash "$E2E/$s.sh" || { echo "FAIL: $s under valgrind" >&2; status=1; }
done
exit $status
