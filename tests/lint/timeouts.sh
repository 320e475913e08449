#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Every test timeout scales (issue 17: the sanitizer stage failed on a busy two-core machine by
# timing out): ctest TIMEOUTs come from ARTBAG_TIMEOUT_* (scaled for sanitized builds, valgrind
# and -DARTBAG_TEST_TIMEOUT_SCALE), never a bare number, and the end-to-end scripts' own
# `timeout` guards go through lib.sh's secs(), which applies ARTBAG_TIMEOUT_SCALE.
set -u
cd "${ARTBAG_SRC:?}" || exit 1
bad=0
if grep -rnE 'TIMEOUT +[0-9]' --include=CMakeLists.txt tests CMakeLists.txt; then
    echo "FAIL(lint.timeouts): a ctest TIMEOUT above is a bare number; use \${ARTBAG_TIMEOUT_SHORT} or _LONG" >&2
    bad=1
fi
if grep -nE '(^|[^a-z_])timeout +(-[a-z] +[0-9]+ +)*[0-9]+ ' tests/e2e/*.sh tests/valgrind/*.sh; then
    echo "FAIL(lint.timeouts): a timeout guard above is a bare number; use \$(secs N) from lib.sh" >&2
    bad=1
fi
exit $bad
