#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Same article, flags and time => the same bundle, byte for byte: whatever the output directory,
# the way the time is given (--mtime or SOURCE_DATE_EPOCH), the way the article arrives (path,
# relative path, stdin file, pipe), the umask or the time zone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MTIME=1419206400
B=seed.tar.gz
mkdir a b c d e f g h i

same() { # DIR WHAT: DIR/$B must equal a/$B
    cmp a/$B "$1/$B" >&2 || fail "$2 gives a different bundle"
}

note "reference pack with --mtime"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o a/$B --mtime $MTIME -q

note "again into another directory"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o b/$B --mtime $MTIME -q
same b "a second pack into another directory"

note "SOURCE_DATE_EPOCH instead of --mtime"
expect_exit 0 env SOURCE_DATE_EPOCH=$MTIME "$ARTBAG" pack "$ARTBAG_SEED" -o c/$B -q
same c "SOURCE_DATE_EPOCH=$MTIME"

note "--mtime wins over SOURCE_DATE_EPOCH"
expect_exit 0 env SOURCE_DATE_EPOCH=1 "$ARTBAG" pack "$ARTBAG_SEED" -o d/$B --mtime $MTIME -q
same d "--mtime with another SOURCE_DATE_EPOCH"

note "stdin from a file"
expect_exit_stdin 0 "$ARTBAG_SEED" "$ARTBAG" pack - -o e/$B --mtime $MTIME -q
same e "'-' with stdin redirected from the article"

note "stdin from a pipe"
# shellcheck disable=SC2002 # the point is a pipe, which cannot seek
cat "$ARTBAG_SEED" | "$ARTBAG" pack - -o f/$B --mtime $MTIME -q >"$T/stdout" 2>"$T/stderr" ||
    fail "pack from a pipe failed: $(cat "$T/stderr")"
same f "'-' with the article piped in"

note "a relative path from another working directory"
cp "$ARTBAG_SEED" g/article.md
(cd g && "$ARTBAG" pack article.md -o ../g/$B --mtime $MTIME -q) || fail "relative pack failed"
same g "a relative article path"

note "umask 077 and another time zone"
(umask 077 && TZ=Pacific/Kiritimati "$ARTBAG" pack "$ARTBAG_SEED" -o h/$B --mtime $MTIME -q) ||
    fail "pack under umask 077 failed"
same h "umask 077 with TZ=Pacific/Kiritimati"

note "--force over an existing bundle"
printf 'old\n' >i/$B
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o i/$B --mtime $MTIME -q --force
same i "--force over an older file"
assert_dir_holds i $B

note "a different --mtime gives a different bundle"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o "$T/other.tar.gz" --mtime $((MTIME + 86400)) -q
cmp -s a/$B "$T/other.tar.gz" && fail "--mtime does not reach the bundle"
exit 0
