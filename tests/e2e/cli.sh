#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The command line around the verbs: help on stdout with exit 0, the version, and usage on stderr
# with exit 2 for anything artbag does not know.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

help_ok() { # ARGS...: help on stdout, exit 0, nothing on stderr
    expect_exit 0 "$ARTBAG" "$@"
    [ -s "$T/stdout" ] || fail "'artbag $*' printed no help on stdout"
    assert_stderr_empty
    grep -qi usage "$T/stdout" || fail "'artbag $*' help has no usage line: [$OUT]"
}

usage_error() { # ARGS...: usage on stderr, exit 2, nothing on stdout
    expect_exit 2 "$ARTBAG" "$@"
    assert_stdout_empty
    grep -qi usage "$T/stderr" || fail "'artbag $*' printed no usage on stderr: [$ERR]"
    grep -q '^artbag: ' "$T/stderr" || fail "'artbag $*': no 'artbag: ' message on stderr: [$ERR]"
}

note "--version"
expect_exit 0 "$ARTBAG" --version
assert_eq "artbag 0.2.0" "$OUT" "--version"
assert_eq 1 "$(wc -l <"$T/stdout")" "--version lines"
assert_stderr_empty

note "help"
help_ok --help
assert_contains "$OUT" pack "artbag --help lists the verbs"
help_ok -h
help_ok help
help_ok help pack
pack_help=$OUT
for opt in --url --title --date --org --meta --mtime --force -o -q; do
    assert_contains "$pack_help" "$opt" "artbag help pack"
done
help_ok pack -h
assert_eq "$pack_help" "$OUT" "'artbag pack -h' vs 'artbag help pack'"
help_ok pack --help
assert_eq "$pack_help" "$OUT" "'artbag pack --help' vs 'artbag help pack'"
# -h wins wherever it appears, before anything is read or written.
help_ok pack "$ARTBAG_SEED" -o "$T/x.tar.gz" -h
[ -e "$T/x.tar.gz" ] && fail "'pack ... -h' wrote a bundle"

note "unknown verbs and options"
usage_error frobnicate
usage_error --bogus
usage_error -Z

note "help for a verb that does not exist"
expect_exit 2 "$ARTBAG" help frobnicate
assert_stdout_empty
assert_contains "$ERR" "'frobnicate'" "'artbag help frobnicate' message"

note "no arguments at all"
"$ARTBAG" >"$T/stdout" 2>"$T/stderr"
rc=$?
[ "$rc" -eq 2 ] || fail "'artbag' alone: expected exit 2, got $rc"
grep -qi usage "$T/stderr" || fail "'artbag' alone printed no usage on stderr"
assert_dir_holds "$T" stderr stdout

note "unknown option to a verb"
usage_error pack --bogus
exit 0
