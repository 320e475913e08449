#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
#
# spdx.sh - every source file, header, script, CMake file, template and manual page in the tree
# names its licence (an "SPDX-License-Identifier: Apache-2.0" line and a "Copyright YEAR The
# artbag authors" line within its first 10 lines), so a file added later without them fails
# here rather than shipping unlicensed. Data the tests read byte for byte is listed in
# spdx-exclude.txt with the reason; the vendored conformance suite keeps its own CC0 notice.
# Looks at the files git tracks (or every file, outside a git checkout). Run by ctest (label
# lint); prints each offending file and exits 1.
set -u
set -o pipefail
export LC_ALL=C
SRC=${ARTBAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
EXCLUDE=${SPDX_EXCLUDE:-$SRC/tests/lint/spdx-exclude.txt}
cd "$SRC" || exit 4

mapfile -t globs < <(sed -e 's/[[:space:]]*#.*//' -e '/^$/d' "$EXCLUDE")
[ "${#globs[@]}" -gt 0 ] || { echo "spdx: no exclusions read from '$EXCLUDE'" >&2; exit 4; }

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    list() { git ls-files -z --cached --others --exclude-standard; }
else
    list() { find . -path ./.git -prune -o -path './build*' -prune -o -type f -printf '%P\0'; }
fi

# is_source PATH: a file that must carry the header, judged by name, or by a #! first line.
is_source() {
    case ${1##*/} in
    *.c | *.h | *.sh | *.bash | *.py | *.cmake | *.in | *.mk | CMakeLists.txt | Makefile | *.[1-8]) return 0 ;;
    esac
    case $1 in
    contrib/bash-completion/*) return 0 ;;
    esac
    [ "$(head -c 2 -- "$1" 2>/dev/null)" = '#!' ]
}

checked=0
bad=0
while IFS= read -r -d '' f; do
    [ -f "$f" ] || continue # deleted in the work tree but still in the index
    skip=0
    for g in "${globs[@]}"; do
        # shellcheck disable=SC2053 # the right-hand side is a glob on purpose
        [[ $f == $g ]] && { skip=1; break; }
    done
    [ "$skip" -eq 0 ] && is_source "$f" || continue
    checked=$((checked + 1))
    head -n 10 -- "$f" >"${TMPDIR:-/tmp}/spdx.$$" || exit 4
    missing=
    grep -q 'SPDX-License-Identifier: Apache-2\.0\b' "${TMPDIR:-/tmp}/spdx.$$" ||
        missing="SPDX-License-Identifier: Apache-2.0"
    grep -Eq 'Copyright (\(C\) )?[0-9]{4}(-[0-9]{4})? The artbag authors' "${TMPDIR:-/tmp}/spdx.$$" ||
        missing="${missing:+$missing and }Copyright line"
    if [ -n "$missing" ]; then
        echo "spdx: '$f': no $missing in its first 10 lines"
        bad=$((bad + 1))
    fi
done < <(list)
rm -f "${TMPDIR:-/tmp}/spdx.$$"

# A pattern that stops matching anything would hide nothing, but a check that checks nothing
# would pass forever: demand a plausible number of files.
if [ "$checked" -lt 50 ]; then
    echo "spdx: only $checked files checked; is '$SRC' the source tree?" >&2
    exit 4
fi
if [ "$bad" -gt 0 ]; then
    echo "spdx: $bad of $checked files lack the licence header (see tests/lint/spdx.sh)" >&2
    exit 1
fi
echo "spdx: $checked files carry SPDX-License-Identifier: Apache-2.0"
