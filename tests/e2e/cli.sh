#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The command line around the verbs: help on stdout with exit 0, the version, and for anything
# artbag does not know exit 2 with two lines on stderr, what is wrong and where the help is (as
# git and tar do), never the whole help: the same for every usage error of every verb.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

help_ok() { # ARGS...: help on stdout, exit 0, nothing on stderr
    expect_exit 0 "$ARTBAG" "$@"
    [ -s "$T/stdout" ] || fail "'artbag $*' printed no help on stdout"
    assert_stderr_empty
    grep -qi usage "$T/stdout" || fail "'artbag $*' help has no usage line: [$OUT]"
}

usage_error() { # ARGS...: exit 2, nothing on stdout, "artbag: ..." and "Try ..." on stderr
    local try="Try 'artbag --help'."
    case ${1-} in
    pack | verify | unpack | show | keygen | sign | audit | help) try="Try 'artbag $1 --help'." ;;
    esac
    expect_exit 2 "$ARTBAG" "$@"
    assert_stdout_empty
    assert_eq 2 "$(wc -l <"$T/stderr")" "lines on stderr of 'artbag $*' [$ERR]"
    sed -n 1p "$T/stderr" | grep -q '^artbag: ' || fail "'artbag $*': no 'artbag: ' line: [$ERR]"
    assert_eq "$try" "$(sed -n 2p "$T/stderr")" "second line of 'artbag $*'"
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
usage_error
assert_eq "artbag: no command given" "$(sed -n 1p "$T/stderr")" "'artbag' alone"
assert_dir_holds "$T" stderr stdout

note "every usage error of every verb: one line, then where the help is"
for verb in pack verify unpack show keygen sign audit help; do
    usage_error $verb --bogus
    assert_contains "$ERR" "'--bogus'" "$verb --bogus"
    usage_error $verb -Z
done
usage_error help frobnicate
usage_error help pack sign
# missing values, bad values, missing operands, conflicts, and what the library finds
# meaningless (a bundle name without .tar.gz): all the same shape
usage_error pack "$ARTBAG_SEED" -o
usage_error pack "$ARTBAG_SEED"
usage_error pack
usage_error pack "$ARTBAG_SEED" -o x.tar.gz --mtime yesterday
usage_error pack "$ARTBAG_SEED" -o x.tar.gz -j 0
usage_error pack "$ARTBAG_SEED" -o x.tar.gz --progress=sometimes
usage_error pack "$ARTBAG_SEED" -o x.tar.gz --meta novalue
usage_error pack "$ARTBAG_SEED" -o x.tar.gz --url 'not a url'
usage_error pack "$ARTBAG_SEED" -o x.zip
usage_error pack --each "$ARTBAG_SEED" -o x.tar.gz
usage_error pack "$ARTBAG_SEED" -o x.tar.gz --passphrase-file p
usage_error verify
usage_error verify --max-bytes lots x.tar.gz
usage_error verify - -
usage_error verify -j 99 x.tar.gz
usage_error unpack
usage_error unpack a.tar.gz b.tar.gz
usage_error show
usage_error show --max-depth 0 x.tar.gz
usage_error keygen
usage_error keygen -o k extra
usage_error keygen -o k --no-passphrase --passphrase-file p
usage_error sign
usage_error sign x.tar.gz
usage_error sign x.tar.gz --mtime soon --key k.key
usage_error audit
usage_error audit --due never .
usage_error audit export
usage_error audit merge out.sqlite
usage_error frobnicate
usage_error --bogus
assert_dir_holds "$T" stderr stdout
exit 0
