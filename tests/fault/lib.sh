# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Helpers for the fault tests, on top of the end-to-end helpers (temp directory per test, kept
# on failure; expect_exit, assert_dir_holds, discrepancy ...).
# shellcheck source-path=SCRIPTDIR source=../e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

# The temporary names artbag may leave after a crash, as extended regular expressions: pack's
# beside the bundle, unpack's inside the destination. The <pid>- part is what lets the next run
# tell a dead writer's file from a live one's; names without it are still recognisable.
pack_temp_re() { printf '^\\.%s\\.artbag-tmp-([1-9][0-9]*-)?[A-Za-z0-9]{6}$' "$(printf %s "$1" | sed 's/[.[\*^$]/\\&/g')"; }
# shellcheck disable=SC2034 # used by the scripts that source this file
UNPACK_TEMP_RE='^\.artbag-unpack-([1-9][0-9]*-)?[A-Za-z0-9]{6}$'

# The names in DIR that are neither in the list given nor match the regular expression RE.
# strays DIR RE NAME...
strays() {
    local dir=$1 re=$2 n
    shift 2
    while IFS= read -r n; do
        case " $* " in *" $n "*) continue ;; esac
        printf %s "$n" | grep -Eq "$re" && continue
        echo "$n"
    done < <(find "$dir" -mindepth 1 -maxdepth 1 -printf '%f\n')
}

# temps DIR RE: the names in DIR that match RE.
temps() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -E "$2" || true; }

# wait_for_name DIR RE TIMEOUT-SECONDS: waits until a name matching RE exists in DIR.
wait_for_name() {
    local i
    for ((i = 0; i < $3 * 100; i++)); do
        [ -n "$(temps "$1" "$2")" ] && return 0
        sleep 0.01
    done
    return 1
}

# slow_feed FILE CUT: writes FILE's first CUT bytes, waits 1.5 s, then the rest: a writer that
# stalls mid-stream, for killing a reader while it waits.
slow_feed() {
    head -c "$2" "$1"
    sleep 1.5
    tail -c +$(($2 + 1)) "$1"
}

# kill_after SECONDS PID: SIGKILL for PID after SECONDS, then reaps it.
kill_after() {
    sleep "$1"
    kill -9 "$2" 2>/dev/null
    wait "$2" 2>/dev/null
}

# big_article FILE MB: a valid article of about MB megabytes that gzip cannot shrink much.
big_article() {
    {
        printf '# A long article\n\nJanuary 1 2026\n\n'
        head -c $(($2 * 750000)) /dev/urandom | base64 -w 76
        printf '\nCitation: A long article (2026, January 1)  \n'
        printf 'retrieved 2 January 2026 from <https://news.example.org/long.html>\n'
    } >"$1"
}
