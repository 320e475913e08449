#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag verify says valid (exit 0) for every artbag bundle and for bags laid out the way other
# BagIt tools write them (tests/e2e/bagmaker.py), each as a directory, tar, tar.gz and zip and
# from standard input; and on every valid bag the manifests agree with coreutils' sha256sum and
# friends, which know nothing of artbag.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MTIME=1788134400

# Zip entries flagged UTF-8 with non-ASCII names come back without a name from libarchive when
# the C library's locale is "C" (artbag never calls setlocale): a discrepancy in src/cli or
# src/lib/verify.c, recorded rather than hidden. Bags whose zip form hits it:
KNOWN_ZIP_NAMES=" latin1 utf16 non-ascii "
# Zips verify refuses by design (README, "What verify promises"): names holding a newline or CR,
# which unzip filters out of the names it extracts, so extractors would make other files.
AMBIGUOUS_ZIP=" percent "

# valid_ok LABEL [--stdin FILE] ARGS...: verify --json ARGS says every bundle valid, with no
# problems and no warnings but the one for a 1.0 bag with only MD5 or SHA-1 manifests
# (verify_versions.sh checks when it is given); leaves the document in $T/v.json.
valid_ok() {
    local label=$1 rc
    shift
    if [ "$1" = --stdin ]; then
        "$ARTBAG" verify --json - <"$2" >"$T/v.json" 2>"$T/v.err"
    else
        "$ARTBAG" verify --json "$@" >"$T/v.json" 2>"$T/v.err"
    fi
    rc=$?
    if [ $rc -ne 0 ] || ! (verify_json_check "$T/v.json" 0 'b["valid"] and b["complete"]' \
        'b["fixity"]' 'not b["problems"]' \
        'all(w["message"].startswith("only MD5 or SHA-1 payload manifests") for w in b["warnings"])' \
        ) 2>"$T/v.why"; then
        case $label in
        *.zip*)
            case $KNOWN_ZIP_NAMES in *" ${label%%.zip*} "*)
                discrepancy "$label: expected valid (exit 0), got exit $rc: $(tr '\n' ' ' <"$T/v.json" | tr -s ' ' | cut -c1-300)"
                return 1
                ;;
            esac
            ;;
        esac
        cat "$T/v.why" "$T/v.err" >&2
        cat "$T/v.json" >&2
        fail "$label: expected a valid bag, got exit $rc"
    fi
    return 0
}

# manifests_agree BAG: every manifest-ALG.txt agrees with coreutils' ALGsum on every payload file:
# ALGsum -c passes inside the bag, and ALGsum over every file under data/ gives exactly the
# manifest's lines. Names holding a newline, CR or backslash are left out of both sides
# (bagmaker.py manifest-gnu says why); verify still checks them above.
manifests_agree() {
    local bag=$1 m alg
    for m in "$bag"/manifest-*.txt; do
        alg=${m##*/manifest-}
        alg=${alg%.txt}
        bagmaker manifest-gnu "$bag" "${m##*/}" >"$T/gnu.sum"
        # coreutils refuses a list with no lines, and a bag with no payload has nothing to check
        if [ -s "$T/gnu.sum" ] || [ -n "$(find "$bag/data" -type f -print -quit)" ]; then
            (cd "$bag" && "${alg}sum" --strict --quiet -c "$T/gnu.sum") ||
                fail "${alg}sum -c ${m##*/} failed in '$bag'"
        fi
        (cd "$bag" && find data -type f -print0 | grep -zPv '[\n\r\\\\]' |
            xargs -0 -r "${alg}sum") | LC_ALL=C sort >"$T/disk.sum"
        LC_ALL=C sort "$T/gnu.sum" | diff -u - "$T/disk.sum" >&2 ||
            fail "${m##*/} of '$bag' disagrees with ${alg}sum over the files in data/"
    done
}

note "artbag bundles: the seed and every e2e article"
mkdir out x
for a in "$ARTBAG_SRC"/tests/fixtures/seed/*.md "$FIXTURES"/*.md; do
    n=$(basename "$a" .md)
    if ! "$ARTBAG" pack "$a" -o "out/$n.tar.gz" --mtime $MTIME -q 2>/dev/null; then
        # articles with no source URL or title need them on the command line
        expect_exit 0 "$ARTBAG" pack "$a" -o "out/$n.tar.gz" --mtime $MTIME -q \
            --url "https://news.example.org/$n" --title "Title of $n"
    fi
    valid_ok "$n.tar.gz" "out/$n.tar.gz"
    verify_json_check "$T/v.json" 0 'b["algorithms"] == ["sha256"]' 'b["files"] == 2' \
        'b["bag"] == "'"$n"'"'
    valid_ok "$n.tar.gz from stdin" --stdin "out/$n.tar.gz"
    extract "out/$n.tar.gz" "x/$n"
    valid_ok "$n extracted" "$BAG"
    (cd "$BAG" && sha256sum --quiet --strict -c manifest-sha256.txt) || fail "sha256sum -c in '$BAG'"
done
expect_exit 0 "$ARTBAG" verify out/*.tar.gz
assert_eq "$(find out -name '*.tar.gz' | wc -l)" "$(grep -c '^OK ' "$T/stdout")" "OK lines for all bundles"
expect_exit 0 "$ARTBAG" verify -q out/*.tar.gz
assert_stdout_empty

note "bags from other tools (bagmaker.py), as directory, tar, tar.gz, zip and stdin"
mkdir bags arch
bagmaker valid bags >"$T/names"
[ "$(wc -l <"$T/names")" -ge 19 ] || fail "bagmaker.py made too few bags"
while read -r n; do
    archive_bag bags "$n" arch
    valid_ok "$n" "bags/$n"
    files=$(find "bags/$n/data" -type f -printf x | wc -c)
    verify_json_check "$T/v.json" 0 "b['files'] == $files" "b['bag'] == '$n'" \
        "sorted(b['algorithms']) == sorted('$(find "bags/$n" -maxdepth 1 -name 'manifest-*.txt' -printf '%f ' | sed 's/manifest-//g; s/\.txt//g')'.split())"
    for f in "$n.tar" "$n.tar.gz" "$n.zip"; do
        case "$f $AMBIGUOUS_ZIP" in "$n.zip "*" $n "*)
            for how in "arch/$f" -; do
                rc=0
                "$ARTBAG" verify --json "$how" <"arch/$f" >"$T/v.json" 2>"$T/v.err" || rc=$?
                assert_eq 1 "$rc" "exit of verify $how for $f"
                verify_json_check "$T/v.json" 0 "kinds == ['ambiguous']"
            done
            continue
            ;;
        esac
        valid_ok "$f" "arch/$f" && verify_json_check "$T/v.json" 0 "b['files'] == $files"
        valid_ok "$f from stdin" --stdin "arch/$f" && verify_json_check "$T/v.json" 0 "b['files'] == $files"
    done
    manifests_agree "bags/$n"
done <"$T/names"

note "several bundles of every kind in one run"
expect_exit 0 "$ARTBAG" verify -q bags/sha512-only arch/several.tar arch/crlf.tar.gz arch/sha512-only.zip out/no-title.tar.gz
assert_stdout_empty

discrepancies_end
