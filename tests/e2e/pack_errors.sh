#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Every way pack can refuse: the exit code, the message, nothing on stdout, no bundle and no
# temporary file left in the output directory, and the input untouched.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in out
cp "$FIXTURES/no-citation.md" in/no-url.md
cp "$FIXTURES/no-title.md" in/no-title.md
: >in/empty.md
printf '# Title\n\nbody \377 more\n' >in/bad-ff.md           # 0xff at 14
printf '# T\303(\n' >in/bad-lead.md                            # lead byte, no continuation, at 3
printf '# A\n\300\257\n' >in/bad-overlong.md                   # overlong '/' at 4
printf '# A\n\355\240\200\n' >in/bad-surrogate.md              # UTF-16 surrogate at 4
printf '# A\n\342\202' >in/bad-truncated.md                    # sequence cut off by EOF at 4
printf '\357\273\277# A\n\377\n' >in/bad-after-bom.md          # BOM, then 0xff at 7
cp "$ARTBAG_SEED" in/good.md
sha256sum in/* >"$T/inputs.sha256"

# refuse CODE MESSAGE ARTICLE [flags...]: pack ARTICLE to out/x.tar.gz and expect exit CODE, the
# first stderr line to be MESSAGE (or, if MESSAGE ends in '*', to start with the rest), empty
# stdout, the output directory as it was and every input unchanged.
refuse() {
    local code=$1 msg=$2 before first
    shift 2
    before=$(listing out)
    expect_exit "$code" "$ARTBAG" pack "$@"
    assert_stdout_empty
    first=$(head -n 1 "$T/stderr")
    case $msg in
    *'*') case $first in "${msg%'*'}"*) ;; *) fail "stderr: expected [$msg], got [$first]" ;; esac ;;
    *) assert_eq "$msg" "$first" "message of 'artbag pack $*'" ;;
    esac
    assert_eq "$before" "$(listing out)" "output directory after 'artbag pack $*'"
    sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed after 'artbag pack $*'"
}

P='artbag: pack:'

note "rejected articles (exit 1)"
refuse 1 "$P 'in/no-url.md': no source URL found; pass --url" in/no-url.md -o out/x.tar.gz
refuse 1 "$P 'in/no-title.md': no title found; pass --title" in/no-title.md -o out/x.tar.gz \
    --url https://news.example.org/x
refuse 1 "$P 'in/empty.md': empty file" in/empty.md -o out/x.tar.gz
refuse 1 "$P 'in/empty.md': empty file" in/empty.md -o out/x.tar.gz \
    --url https://news.example.org/x --title T
refuse 1 "$P 'in/bad-ff.md': invalid UTF-8 at byte offset 14" in/bad-ff.md -o out/x.tar.gz
refuse 1 "$P 'in/bad-lead.md': invalid UTF-8 at byte offset 3" in/bad-lead.md -o out/x.tar.gz
refuse 1 "$P 'in/bad-overlong.md': invalid UTF-8 at byte offset 4" in/bad-overlong.md -o out/x.tar.gz
refuse 1 "$P 'in/bad-surrogate.md': invalid UTF-8 at byte offset 4" in/bad-surrogate.md -o out/x.tar.gz
refuse 1 "$P 'in/bad-truncated.md': invalid UTF-8 at byte offset 4" in/bad-truncated.md -o out/x.tar.gz
refuse 1 "$P 'in/bad-after-bom.md': invalid UTF-8 at byte offset 7" in/bad-after-bom.md -o out/x.tar.gz
# Invalid UTF-8 is rejected even when the flags supply everything the reader would look for.
refuse 1 "$P 'in/bad-ff.md': invalid UTF-8 at byte offset 14" in/bad-ff.md -o out/x.tar.gz \
    --url https://news.example.org/x --title T

note "rejected articles from stdin"
expect_exit_stdin 1 in/empty.md "$ARTBAG" pack - -o out/x.tar.gz
assert_stdout_empty
assert_contains "$ERR" "$P '" "stdin empty message"
assert_contains "$ERR" "': empty file" "stdin empty message"
assert_dir_holds out
expect_exit_stdin 1 in/no-url.md "$ARTBAG" pack - -o out/x.tar.gz
assert_contains "$ERR" "': no source URL found; pass --url" "stdin no-URL message"
assert_dir_holds out

note "unreadable inputs (exit 3)"
refuse 3 "$P 'in/missing.md': No such file or directory" in/missing.md -o out/x.tar.gz
# A directory is a collection (issue 4): its first bad article stops the pack, named.
refuse 1 "$P 'in/bad-after-bom.md': invalid UTF-8 at byte offset 7" in -o out/x.tar.gz

note "outputs that cannot be written (exit 3)"
refuse 3 "$P *" in/good.md -o nowhere/x.tar.gz
[ -e nowhere ] && fail "pack created the missing output directory"
printf 'precious\n' >out/x.tar.gz
sha256sum out/x.tar.gz >"$T/existing.sha256"
refuse 3 "$P 'out/x.tar.gz': already exists; pass --force to replace it" in/good.md -o out/x.tar.gz
sha256sum --quiet -c "$T/existing.sha256" || fail "the existing bundle changed"
refuse 3 "$P 'out/x.tar.gz': already exists; pass --force to replace it" in/good.md -o out/x.tar.gz -q
# A failure with --force keeps the old file too.
refuse 1 "$P 'in/no-url.md': no source URL found; pass --url" in/no-url.md -o out/x.tar.gz --force
sha256sum --quiet -c "$T/existing.sha256" || fail "a failed --force pack changed the existing bundle"
rm out/x.tar.gz

note "bad option values (exit 2)"
for d in 2014-13-01 2014-02-30 2014-12-32 14-12-22 2014/12/22 2014-12-2 yesterday ''; do
    refuse 2 "$P *" in/good.md -o out/x.tar.gz --date "$d"
done
for m in abc 12x '' 1.5 0x10 99999999999999999999999999; do
    refuse 2 "$P *" in/good.md -o out/x.tar.gz --mtime "$m"
done
refuse 2 "$P *" in/good.md -o out/x.tar.gz --meta NoEqualsSign
refuse 2 "$P *" in/good.md -o out/x.tar.gz --meta =no-label
# Nothing given on the command line may add or break lines in bag-info.txt.
refuse 2 "$P *" in/good.md -o out/x.tar.gz --meta 'Bad:Label=x'
refuse 2 "$P *" in/good.md -o out/x.tar.gz --meta $'Label=one\nInjected: two'
refuse 2 "$P *" in/good.md -o out/x.tar.gz --title $'Title\nInjected: two'
refuse 2 "$P *" in/good.md -o out/x.tar.gz --url ''
refuse 2 "$P *" in/good.md -o out/.tar.gz
refuse 2 "$P *" in/good.md -o out/x.zip
refuse 2 "$P *" in/good.md -o out/x.tar

note "missing or extra arguments (exit 2)"
refuse 2 "$P *" in/good.md
refuse 2 "$P *" -o out/x.tar.gz
# Two articles are a collection (issue 4): the one without a URL stops it, named.
refuse 1 "$P 'in/no-url.md': no source URL found; pass --url" in/good.md in/no-url.md -o out/x.tar.gz
refuse 2 "$P *" in/good.md -o
refuse 2 "$P *" in/good.md -o out/x.tar.gz --url

note "unknown options (exit 2, and where the help is on stderr)"
for opt in --bogus -Z --URL; do
    refuse 2 "$P *" in/good.md -o out/x.tar.gz "$opt"
    grep -qx "Try 'artbag pack --help'." "$T/stderr" || fail "no pointer to the help for 'artbag pack ... $opt': [$ERR]"
done

assert_dir_holds out
exit 0
