#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# install_test.sh - installs the build with `cmake --install BUILD --prefix TMP/p` and checks
# every installed file: the command runs, the shared library has its SONAME and exports only
# the API, the static library links, the header is the source's, artbag.pc points into the
# prefix, the man page formats without a warning and documents every option each command's
# --help lists, the bash completion offers the same options, share/artbag/ holds manifests/.
# The command is linked with the shared library and has no run path, so it runs here with
# LD_LIBRARY_PATH. Then it builds tests/install/example.c against the installed tree with
# `pkg-config --cflags --libs artbag` (and `--static`), and runs it on the sample article. Works in its own temp directory (kept on failure); exits 77 only when a tool it
# needs is missing. Run by ctest (label install), which sets the environment below.
TEST_NAME=install_test
BINDIR=${ARTBAG_BINDIR:-bin}
LIBDIR=${ARTBAG_LIBDIR:-lib}
INCLUDEDIR=${ARTBAG_INCLUDEDIR:-include}
DATADIR=${ARTBAG_DATADIR:-share}
MANDIR=${ARTBAG_MANDIR:-share/man}
CMAKE_COMMAND=${CMAKE_COMMAND:-cmake}
CC=${CC:-cc}
# shellcheck source-path=SCRIPTDIR source=harness.sh
. "$(dirname "$0")/harness.sh"
LIB_REAL=${ARTBAG_LIB_REAL:-libartbag.so.$ARTBAG_VERSION}
LIB_SONAME=${ARTBAG_LIB_SONAME:-libartbag.so.${ARTBAG_VERSION%%.*}}
LIB_LINK=${ARTBAG_LIB_LINK:-libartbag.so}
LIB_STATIC=${ARTBAG_LIB_STATIC:-libartbag.a}
# The build configuration, which names one file of the CMake package (noconfig when none).
CONFIG=${ARTBAG_CONFIG:-}
CONFIG=${CONFIG,,}
CONFIG=${CONFIG:-noconfig}

# Commands in artbag's command table that the man page and the completion may not document yet,
# while other work adds them (none now). Any other undocumented command fails the test, and so
# does a command listed here once it is documented.
PENDING_COMMANDS=""

need "$CMAKE_COMMAND" cmake
need pkg-config pkgconf
need "$CC" gcc
need readelf binutils
need nm binutils
need ar binutils
need groff groff-base
[ -d "$ARTBAG_BUILD" ] || fail "no build directory '$ARTBAG_BUILD' (set ARTBAG_BUILD)"
[ -r "$ARTBAG_SEED" ] || fail "no sample article at '$ARTBAG_SEED'"
for d in "$BINDIR" "$LIBDIR" "$INCLUDEDIR" "$DATADIR" "$MANDIR"; do
    case $d in
    /*) fail "install directory '$d' is absolute: it would not go under the test's prefix" ;;
    esac
done

P=$T/p
note "cmake --install $ARTBAG_BUILD --prefix $P"
"$CMAKE_COMMAND" --install "$ARTBAG_BUILD" --prefix "$P" >"$T/install.log" 2>&1 || {
    cat "$T/install.log" >&2
    fail "cmake --install failed"
}

note "exactly the expected files"
{
    printf '%s\n' "$BINDIR/artbag" "$INCLUDEDIR/artbag.h" "$LIBDIR/$LIB_STATIC" \
        "$LIBDIR/$LIB_LINK" "$LIBDIR/$LIB_SONAME" "$LIBDIR/$LIB_REAL" \
        "$LIBDIR/pkgconfig/artbag.pc" "$MANDIR/man1/artbag.1.gz" \
        "$DATADIR/bash-completion/completions/artbag" \
        "$LIBDIR/cmake/artbag/artbagConfig.cmake" "$LIBDIR/cmake/artbag/artbagConfigVersion.cmake" \
        "$LIBDIR/cmake/artbag/artbagTargets.cmake" "$LIBDIR/cmake/artbag/artbagTargets-$CONFIG.cmake"
    (cd "$ARTBAG_SRC/manifests" && find . -type f -printf "$DATADIR/artbag/%P\n")
} | LC_ALL=C sort -u >"$T/expected.list"
(cd "$P" && find . ! -type d -printf '%P\n') | LC_ALL=C sort >"$T/installed.list"
diff -u "$T/expected.list" "$T/installed.list" >&2 ||
    fail "installed files differ from the expected list (- expected, + installed)"

note "bin/artbag"
A=$P/$BINDIR/artbag
L=$P/$LIBDIR
# The installed command has no run path (below): it finds the installed library this way.
export LD_LIBRARY_PATH=$L
[ -x "$A" ] || fail "'$A' is not executable"
got=$("$A" --version) || fail "installed artbag --version failed"
[ "$got" = "artbag $ARTBAG_VERSION" ] || fail "artbag --version says [$got]"
"$A" --help >"$T/help.txt" || fail "installed artbag --help exited non-zero"
readelf -d "$A" >"$T/artbag.dyn" || fail "readelf -d '$A'"
has "(NEEDED).*\[$LIB_SONAME\]" "$T/artbag.dyn" ||
    fail "the command does not need $LIB_SONAME; it is meant to use the shared library"
has -E 'RPATH|RUNPATH' "$T/artbag.dyn" && fail "installed artbag has a run path: $(grep -E 'RPATH|RUNPATH' "$T/artbag.dyn")"
ldd "$A" | has "$LIB_SONAME => $L/$LIB_SONAME " || fail "installed artbag does not load the installed $LIB_SONAME"

note "the shared library: $LIB_REAL, SONAME $LIB_SONAME, links"
if [ ! -f "$L/$LIB_REAL" ] || [ -L "$L/$LIB_REAL" ]; then
    fail "'$LIB_REAL' is not a regular file"
fi
[ "$(readlink "$L/$LIB_SONAME")" = "$LIB_REAL" ] || fail "'$LIB_SONAME' does not link to '$LIB_REAL'"
[ "$(readlink "$L/$LIB_LINK")" = "$LIB_SONAME" ] || fail "'$LIB_LINK' does not link to '$LIB_SONAME'"
readelf -d "$L/$LIB_REAL" >"$T/lib.dyn" || fail "readelf -d '$LIB_REAL'"
soname=$(sed -n 's/.*(SONAME).*\[\(.*\)\]$/\1/p' "$T/lib.dyn")
[ "$soname" = "$LIB_SONAME" ] || fail "SONAME of '$LIB_REAL' is [$soname], expected [$LIB_SONAME]"
if command -v objdump >/dev/null 2>&1; then
    # Into a variable first: under pipefail, grep -q leaving at the first match can kill
    # objdump with SIGPIPE in the middle of its output, and the pipeline then fails.
    od=$(objdump -p "$L/$LIB_REAL") || fail "objdump -p $L/$LIB_REAL"
    grep -Eq "^ +SONAME +$LIB_SONAME\$" <<<"$od" ||
        fail "objdump -p does not show SONAME $LIB_SONAME"
fi
grep -E 'RPATH|RUNPATH' "$T/lib.dyn" | has -F "$ARTBAG_BUILD" &&
    fail "installed library still has a run path into the build directory"
# The API is what the header marks ARTBAG_API; everything else stays hidden.
sed -n 's/^ARTBAG_API [^(]*[ *]\(artbag_[a-z_0-9]*\)(.*/\1/p' "$P/$INCLUDEDIR/artbag.h" |
    LC_ALL=C sort -u >"$T/api.list"
[ "$(wc -l <"$T/api.list")" -ge 10 ] || fail "found only $(wc -l <"$T/api.list") functions in artbag.h"
nm -D --defined-only "$L/$LIB_REAL" | awk '$2 ~ /^[TWDBRV]$/ {print $3}' | sed 's/@.*//' |
    LC_ALL=C sort -u >"$T/exported.list"
diff -u "$T/api.list" "$T/exported.list" >&2 ||
    fail "the shared library exports other symbols than artbag.h's ARTBAG_API functions (- header, + library)"

note "the static library"
ar t "$L/$LIB_STATIC" >"$T/ar.list" || fail "ar t '$LIB_STATIC'"
[ -s "$T/ar.list" ] || fail "'$LIB_STATIC' holds no members"
nm --defined-only "$L/$LIB_STATIC" 2>/dev/null | awk '$2 == "T" {print $3}' | LC_ALL=C sort -u >"$T/static.list"
missing=$(LC_ALL=C comm -23 "$T/api.list" "$T/static.list")
[ -z "$missing" ] || fail "'$LIB_STATIC' does not define: $missing"

note "the header"
cmp -s "$ARTBAG_SRC/include/artbag.h" "$P/$INCLUDEDIR/artbag.h" ||
    fail "installed artbag.h differs from include/artbag.h"

note "artbag.pc"
export PKG_CONFIG_PATH=$L/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
# pc ARGS...: pkg-config ARGS artbag, without the trailing blank pkgconf prints.
pc() {
    local out
    out=$(pkg-config "$@" artbag) || fail "pkg-config $* artbag failed"
    printf '%s\n' "${out%"${out##*[! ]}"}"
}
if pkg-config --help 2>&1 | has -- --validate; then
    pkg-config --validate artbag || fail "pkg-config --validate artbag"
fi
[ "$(pc --modversion)" = "$ARTBAG_VERSION" ] || fail "pkg-config --modversion is not $ARTBAG_VERSION"
[ "$(pc --variable=prefix)" = "$P" ] || fail "artbag.pc prefix is [$(pc --variable=prefix)], expected [$P]"
[ "$(pc --variable=libdir)" = "$L" ] || fail "artbag.pc libdir is [$(pc --variable=libdir)]"
[ "$(pc --variable=includedir)" = "$P/$INCLUDEDIR" ] || fail "artbag.pc includedir is wrong"
[ "$(pc --variable=manifestsdir)" = "$P/$DATADIR/artbag" ] || fail "artbag.pc manifestsdir is wrong"
[ -r "$(pc --variable=manifestsdir)/show.schema.json" ] || fail "no schemas in manifestsdir"
# Only artbag's own flags: pkg-config adds the Cflags of Requires.private modules, and one
# (libutf8proc's -DUTF8PROC_EXPORTS) is a define for building that library, not for using ours.
[ "$(pc --cflags)" = "-I$P/$INCLUDEDIR" ] || fail "pkg-config --cflags artbag says [$(pc --cflags)]"
pc --static --cflags | has -e '-D[A-Z0-9_]*UTF8PROC' && fail "pkg-config --static --cflags leaks [$(pc --static --cflags)]"
[ "$(pc --libs)" = "-L$L -lartbag" ] || fail "pkg-config --libs artbag says [$(pc --libs)]"
grep -rqF "$ARTBAG_BUILD/" "$L/pkgconfig/artbag.pc" && fail "artbag.pc names the build directory"

note "the manual page: gzip -9n of doc/artbag.1"
# M: the page decompressed, which the checks below read.
M=$T/artbag.1
gzip -dc "$P/$MANDIR/man1/artbag.1.gz" >"$M" || fail "artbag.1.gz is not gzip"
cmp -s "$M" "$ARTBAG_SRC/doc/artbag.1" || fail "artbag.1.gz does not hold doc/artbag.1"
read -r -a hdr < <(od -An -tu1 -N8 "$P/$MANDIR/man1/artbag.1.gz")
[ $((hdr[3] & 8)) -eq 0 ] && [ "${hdr[*]:4:4}" = "0 0 0 0" ] || fail "artbag.1.gz keeps a name or time stamp"

note "share/artbag holds manifests/"
diff -r "$ARTBAG_SRC/manifests" "$P/$DATADIR/artbag" >&2 ||
    fail "share/artbag differs from manifests/"

# The commands and options artbag's own help lists: "COMMAND OPTION..." lines, one a command.
note "what --help says"
sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$T/help.txt" >"$T/all-commands.list"
[ -s "$T/all-commands.list" ] || fail "no commands in artbag --help"
: >"$T/commands.list"
while read -r c; do
    case " $PENDING_COMMANDS " in
    *" $c "*)
        echo "note: '$c' is not documented yet (PENDING_COMMANDS)"
        continue
        ;;
    esac
    echo "$c" >>"$T/commands.list"
done <"$T/all-commands.list"
for c in $PENDING_COMMANDS; do
    grep -qx "$c" "$T/all-commands.list" || continue
    grep -q "^\.SS \"artbag $c" "$M" &&
        fail "'$c' is documented now: remove it from PENDING_COMMANDS in $0"
done
# help_options COMMAND: the options (short and long) COMMAND's --help lists, one a line.
help_options() {
    "$A" help "$1" >"$T/help-$1.txt" || fail "artbag help $1 exited non-zero"
    "$A" "$1" --help | cmp -s - "$T/help-$1.txt" || fail "'artbag $1 --help' differs from 'artbag help $1'"
    sed -n '/^options:/,/^$/p' "$T/help-$1.txt" | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' |
        tr -d ',' | tr ' ' '\n' | sed '/^$/d' | LC_ALL=C sort -u
}
: >"$T/all-options.list"
while read -r c; do
    help_options "$c" >"$T/opts-$c.list"
    # "artbag help" has no options section; its -h/--help work all the same, and the
    # completion offers them.
    if [ "$c" = help ]; then
        printf '%s\n' --help -h >"$T/complete-$c.list"
    else
        [ -s "$T/opts-$c.list" ] || fail "no options found in 'artbag help $c'"
        cp "$T/opts-$c.list" "$T/complete-$c.list"
    fi
    cat "$T/opts-$c.list" >>"$T/all-options.list"
done <"$T/commands.list"
printf '%s\n' --help -h --version -V >>"$T/all-options.list"
LC_ALL=C sort -u -o "$T/all-options.list" "$T/all-options.list"

note "man page: formats without warnings, documents every command and option"
groff -man -Tutf8 -ww -z "$M" >"$T/groff.out" 2>&1 || fail "groff -man failed on artbag.1"
[ -s "$T/groff.out" ] && { cat "$T/groff.out" >&2; fail "groff -ww warns about artbag.1"; }
groff -man -Tutf8 -P-cbou "$M" 2>/dev/null | sed 's/\xe2\x80\x90/-/g' >"$T/man.txt"
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 MAN_KEEP_FORMATTING='' man -l "$P/$MANDIR/man1/artbag.1.gz" >"$T/man-l.txt" 2>"$T/man-l.err" ||
        fail "man -l artbag.1 failed: $(cat "$T/man-l.err")"
    [ -s "$T/man-l.err" ] && fail "man -l artbag.1 complains: $(cat "$T/man-l.err")"
    grep -q "^NAME" "$T/man-l.txt" || fail "man -l does not render a NAME section"
else
    echo "note: no man (man-db); checked with groff only"
fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES \
    "SEE ALSO" BUGS; do
    grep -q "^$s\$" "$T/man.txt" || fail "man page has no $s section"
done
grep -q '^artbag \\- ' "$M" || fail "man page NAME line is not 'artbag \\- ...'"
while read -r c; do
    grep -q "^\.SS \"artbag $c" "$M" || fail "man page has no subsection for 'artbag $c'"
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' "$T/man.txt" | has -E "^ +artbag $c( |\$)" ||
        fail "man page SYNOPSIS lacks 'artbag $c'"
    # Each option of the command appears in the command's own subsection.
    sed -n "/^   artbag $c/,/^   artbag /p" "$T/man.txt" >"$T/man-$c.txt"
    while read -r o; do
        grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$T/man-$c.txt" ||
            fail "man page: 'artbag $c' does not document $o"
    done <"$T/opts-$c.list"
done <"$T/commands.list"
for code in 0 1 2 3 4; do
    sed -n '/^EXIT STATUS/,/^ENVIRONMENT/p' "$T/man.txt" | has -E "^       $code +[A-Z]" ||
        fail "man page EXIT STATUS does not explain exit code $code"
done
# And the other way: every artbag option the man page names exists (pkg-config's are allowed).
sed -n '/^SYNOPSIS/,/^ENVIRONMENT/p' "$T/man.txt" | grep -oE -- '(^|[^a-z-])--[a-z][a-z-]*' |
    grep -oE -- '--[a-z-]+' | LC_ALL=C sort -u >"$T/man-options.list"
LC_ALL=C comm -23 "$T/man-options.list" "$T/all-options.list" | grep -vxE -- '--(cflags|libs|variable)' \
    >"$T/unknown.list"
[ -s "$T/unknown.list" ] && fail "man page names options no --help lists: $(tr '\n' ' ' <"$T/unknown.list")"

note "bash completion"
C=$P/$DATADIR/bash-completion/completions/artbag
bash -n "$C" || fail "bash -n: syntax error in the completion"
if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -s bash "$C" >&2 || fail "shellcheck complains about the completion"
fi
mkdir -p cw/dir cw/another
for f in a.tar.gz b.zip c.txt d.tgz e.tar.xz k.key k.pub; do : >"cw/$f"; done
# complete WORD...: what the completion offers for the command line "WORD..." (the last word
# being completed), sorted, one a line; run in a clean bash without bash-completion.
complete_words() {
    (cd cw && bash --norc --noprofile -c '
        . "$1"; shift
        complete -p artbag | grep -q -- "-F _artbag" || exit 9
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _artbag artbag "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' complete "$C" "$@") | sed '/^$/d' | LC_ALL=C sort -u
}
expect_completion() { # WANT-FILE WORD...
    local want=$1
    shift
    complete_words "$@" >"$T/got.list" || fail "completion failed for '$*'"
    diff -u "$want" "$T/got.list" >&2 || fail "completion of '$*' (- expected, + offered)"
}
LC_ALL=C sort "$T/commands.list" >"$T/want.list"
expect_completion "$T/want.list" artbag ""
printf '%s\n' -h --help -V --version | LC_ALL=C sort >"$T/want.list"
expect_completion "$T/want.list" artbag -
while read -r c; do
    expect_completion "$T/complete-$c.list" artbag "$c" -
done <"$T/commands.list"
printf '%s\n' a.tar.gz another b.zip d.tgz dir e.tar.xz >"$T/want.list"
for c in verify unpack show sign; do
    expect_completion "$T/want.list" artbag "$c" ""
done
expect_completion "$T/want.list" artbag verify --json a.tar.gz ""
printf '%s\n' another dir >"$T/want.list"
expect_completion "$T/want.list" artbag unpack a.tar.gz -C ""
expect_completion "$T/want.list" artbag unpack a.tar.gz --directory ""
printf '%s\n' a.tar.gz another d.tgz dir >"$T/want.list"
expect_completion "$T/want.list" artbag pack story.md -o ""
expect_completion "$T/want.list" artbag pack story.md --output = ""
printf '%s\n' a.tar.gz another b.zip c.txt d.tgz dir e.tar.xz k.key k.pub >"$T/want.list"
expect_completion "$T/want.list" artbag pack ""
expect_completion "$T/want.list" artbag sign a.tar.gz --passphrase-file ""
printf '%s\n' another dir k.key >"$T/want.list"
expect_completion "$T/want.list" artbag pack story.md --sign ""
expect_completion "$T/want.list" artbag sign a.tar.gz --key ""
expect_completion "$T/want.list" artbag sign a.tar.gz -k ""
printf '%s\n' another dir k.pub >"$T/want.list"
expect_completion "$T/want.list" artbag verify --trust ""
printf '%s\n' another dir >"$T/want.list"
expect_completion "$T/want.list" artbag keygen -o ""
: >"$T/want.list"
expect_completion "$T/want.list" artbag pack story.md --url ""
printf '%s\n' pack >"$T/want.list"
expect_completion "$T/want.list" artbag help pa

note "example.c built against the installed tree with pkg-config"
cflags=$(pc --cflags)
libs=$(pc --libs)
# shellcheck disable=SC2086 # pkg-config's output is meant to split
"$CC" -std=c11 -Wall -Wextra -Werror -pedantic -o example "$HERE/example.c" $cflags $libs ||
    fail "could not build example.c with: $CC $cflags $libs"
# shellcheck disable=SC2086
"$CC" -std=c11 $cflags -M "$HERE/example.c" | tr -s '[:space:]\134' '\n' | has "^$P/$INCLUDEDIR/artbag.h\$" ||
    fail "example.c did not compile against the installed artbag.h"
readelf -d example | has "NEEDED.*\[$LIB_SONAME\]" || fail "example does not need $LIB_SONAME"
LD_LIBRARY_PATH=$L ldd ./example | has "$LIB_SONAME => $L/$LIB_SONAME " ||
    fail "with LD_LIBRARY_PATH, example does not load the installed $LIB_SONAME"
mkdir out cli
LD_LIBRARY_PATH=$L ./example "$ARTBAG_SEED" out/story.tar.gz >"$T/example.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || {
    cat "$T/example.out" >&2
    fail "example exited $rc on the sample article"
}
cat "$T/example.out"
grep -qx "libartbag $ARTBAG_VERSION" "$T/example.out" || fail "example: wrong library version"
grep -q '^verify: valid, 2 files' "$T/example.out" || fail "example: the bundle did not verify"
grep -q "^show: bag 'story', title 'China condemns" "$T/example.out" || fail "example: show"
"$A" verify out/story.tar.gz >/dev/null || fail "installed artbag rejects the example's bundle"
# The library through the API and the command with the same inputs make the same bytes.
"$A" pack "$ARTBAG_SEED" -o cli/story.tar.gz --org "Example Archive" --mtime 1419206400 -q ||
    fail "installed artbag pack failed"
cmp -s out/story.tar.gz cli/story.tar.gz || fail "example's bundle differs from artbag pack's"
LD_LIBRARY_PATH=$L ./example no-such-article.md out/x.tar.gz >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "example on a missing article exited $rc, expected 3"

note "example.c linked with the static library, artbag.pc's Requires.private and Libs.private"
# Not `pkg-config --static --libs artbag`: that also asks for the static dependencies of
# libarchive (-lacl -lzstd -llz4 ...), whose -dev packages libarchive-dev does not pull in. Here
# libartbag.a is linked with the shared libraries of what it needs, which is what artbag.pc's
# private fields must name completely.
mapfile -t reqs < <(pc --print-requires-private | awk '{print $1}')
[ "${#reqs[@]}" -gt 0 ] || fail "artbag.pc has no Requires.private"
privlibs=$(sed -n 's/^Libs\.private: *//p' "$L/pkgconfig/artbag.pc")
deplibs="$(pkg-config --libs "${reqs[@]}") $privlibs" || fail "pkg-config --libs ${reqs[*]} failed"
# shellcheck disable=SC2086
"$CC" -std=c11 -Wall -Wextra -Werror -o example-static "$HERE/example.c" $cflags "$L/$LIB_STATIC" \
    $deplibs || fail "could not link example.c with $LIB_STATIC and: $deplibs"
readelf -d example-static | has "\[$LIB_SONAME\]" && fail "example-static still needs $LIB_SONAME"
./example-static "$ARTBAG_SEED" out/static.tar.gz >"$T/example-static.out" 2>&1 || {
    cat "$T/example-static.out" >&2
    fail "example-static failed on the sample article"
}
grep -q '^verify: valid' "$T/example-static.out" || fail "example-static: the bundle did not verify"

note "ok: $(wc -l <"$T/installed.list") files installed and checked"
