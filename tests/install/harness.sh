# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The set-up install_test.sh and deb_test.sh share: strict shell, a fixed locale, the source
# tree's paths, fail/skip/note/need, and a temp directory of their own (kept on failure) that
# they work in. The sourcing script sets TEST_NAME first. (Not tests/e2e/lib.sh: these tests
# check an installed tree and a package, not build/artbag, which that file insists on.)
set -u
set -o pipefail
# grep -q in a pipeline can quit before the writer is done, and pipefail would call that
# SIGPIPE a failure: has() reads everything.
has() { grep "$@" >/dev/null; }
export LC_ALL=C.UTF-8 TZ=UTC
# An inherited DESTDIR would send the installation outside the temp directory.
unset DESTDIR SOURCE_DATE_EPOCH LD_LIBRARY_PATH

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARTBAG_SRC=${ARTBAG_SRC:-$(cd "$HERE/../.." && pwd)}
ARTBAG_BUILD=${ARTBAG_BUILD:-$ARTBAG_SRC/build}
ARTBAG_SEED=${ARTBAG_SEED:-$ARTBAG_SRC/tests/fixtures/seed/china-condemns-cyber-terrorism.md}
ARTBAG_VERSION=${ARTBAG_VERSION:-0.2.0}

# shellcheck source=../messages.sh
. "$HERE/../messages.sh"
need() { command -v "$1" >/dev/null 2>&1 || skip "no '$1' on PATH (Debian package $2)"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/artbag-$TEST_NAME.XXXXXX") || exit 4
_finish() {
    local rc=$?
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then
        rm -rf "$T"
    else
        echo "$TEST_NAME: kept $T for inspection" >&2
    fi
    exit "$rc"
}
trap _finish EXIT
cd "$T" || exit 4
