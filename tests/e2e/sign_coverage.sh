#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# What a signature covers, and where it lives (issue 11). With --trust or --require-signature
# every file outside data/ but the signatures themselves must be listed in the signed
# tagmanifest-sha256.txt; each way of leaving one out is made by mutating a signed bundle and
# signing the mutant again, so the signature is sound and coverage is the only fault. Signatures
# live in signatures/, where minisign finds them and bagit-java's manifest rule does not trip;
# bundles signed before that (tests/fixtures/bundles/signed-1.0.tar.gz, made by artbag with the
# bundle-1.0 profile) still verify, and sign moves their signatures unchanged.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v minisign >/dev/null || skip "minisign is not installed"
KEYS=$ARTBAG_SRC/tests/fixtures/keys
PASS=$KEYS/test-passphrase.txt
OLD=$ARTBAG_SRC/tests/fixtures/bundles/signed-1.0.tar.gz
MS_PUB=$KEYS/minisign-test.pub
SIG=signatures/tagmanifest-sha256.txt.minisig
id_of() { head -1 "$1" | grep -o '[0-9A-F]\{16\}' | tail -1; }
# Secret keys are used from private copies: a key others can read is refused, and a checkout
# need not keep a file's mode.
cp "$KEYS/test.key" "$KEYS/test-nopass.key" . || fail "copying the test keys"
chmod 600 test.key test-nopass.key || fail "chmod the test keys"
TEST_ID=$(id_of "$KEYS/test.pub")
NOPASS_ID=$(id_of "$KEYS/test-nopass.pub")

# bagit_java_names BAG: bagit-java (gov.loc bagit 5) reads every top-level file named
# "manifest-*" or "tagmanifest-*" as a manifest and takes its algorithm from the name, so any
# other file of that form makes it throw. This is that rule, as a name check.
bagit_java_names() {
    local f n
    for f in "$1"/*; do
        n=$(basename "$f")
        case $n in
        tagmanifest-* | manifest-*)
            [[ $n =~ ^(tag)?manifest-[a-z0-9]+\.txt$ ]] ||
                fail "'$n' at the top of $1: bagit-java would take it for a manifest and throw"
            ;;
        esac
    done
}

# fresh DIR BUNDLE: extracts BUNDLE into DIR (emptied first); sets B to the bag.
fresh() {
    rm -rf "$1"
    mkdir "$1" || fail "mkdir $1"
    tar -xzf "$2" -C "$1" || fail "tar -xzf $2"
    B=$1/$(ls "$1")
}

# resign BAG: minisign signs the bag's tag manifest again, at the signature's usual name, so
# the signature is sound whatever was changed.
resign() {
    rm -f "$1/$SIG"
    mkdir -p "$1/signatures"
    minisign -S -s "$KEYS/minisign-test.sec" -m "$1/tagmanifest-sha256.txt" -x "$1/$SIG" \
        -t "test signature" </dev/null >/dev/null || fail "minisign -S in $1"
}

# only_uncovered JSON FILE: the report's one bundle is invalid only because FILE is not
# covered, and its signature is sound and trusted.
only_uncovered() {
    "$PY" - "$1" "$2" <<'EOF' || fail "verify --json: '$2' should be the one fault"
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
bad = [p for p in b["problems"]]
assert not b["valid"], b
assert [(p["kind"], p["path"]) for p in bad] == [("uncovered", sys.argv[2])], bad
assert b["signatures"] and all(s["valid"] and s["trusted"] for s in b["signatures"]), b
EOF
}

unpack_has_trust=0
"$ARTBAG" unpack --help 2>/dev/null | grep -q -- '--trust' && unpack_has_trust=1

note "pack --sign: signatures/, minisign -V, bagit-java's names, a tag manifest that lists all"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q \
    --sign test.key --passphrase-file "$PASS"
fresh x story.tar.gz
[ -f "$B/$SIG" ] || fail "pack --sign wrote no $SIG"
ls "$B"/*.minisig 2>/dev/null && fail "pack --sign left a signature at the top of the bag"
minisign -V -q -p "$KEYS/test.pub" -m "$B/tagmanifest-sha256.txt" -x "$B/$SIG" ||
    fail "minisign -V rejects $SIG"
bagit_java_names "$B"
assert_eq "bag-info.txt bagit.txt manifest-sha256.txt " \
    "$(sed 's/^[0-9a-f]\{64\}  //' "$B/tagmanifest-sha256.txt" | tr '\n' ' ')" \
    "the signed tag manifest lists every tag file"
assert_eq "tag:artbag.org,2026:bagit-profile:bundle-1.2" \
    "$(bag_info_value "$B" BagIt-Profile-Identifier)" "profile"
expect_exit 0 "$ARTBAG" verify --trust "$KEYS/test.pub" --require-signature story.tar.gz
assert_contains "$OUT" "signed by key $TEST_ID (trusted)" "pack --sign"
expect_exit_stdin 0 story.tar.gz "$ARTBAG" verify --trust "$KEYS/test.pub" --require-signature -
[ "${ERR}" = "" ] || fail "warnings on a clean signed bundle: $ERR"

# A signed collection is laid out the same way.
mkdir col && cp "$FIXTURES/byline.md" "$FIXTURES/crlf.md" col/
expect_exit 0 "$ARTBAG" pack col -o col.tar.gz -q --sign test.key --passphrase-file "$PASS"
fresh xc col.tar.gz
[ -f "$B/$SIG" ] || fail "a signed collection has no $SIG"
bagit_java_names "$B"
expect_exit 0 "$ARTBAG" verify --trust "$KEYS/test.pub" --require-signature col.tar.gz

note "every file outside data/ must be covered: each mutant fails with --trust, from a file and stdin"
# check_case NAME FILE MUTATION: MUTATION runs in the bag; FILE is the one it leaves uncovered.
case_n=0
check_case() {
    local name=$1 file=$2 mutation=$3 m
    case_n=$((case_n + 1))
    m=m$case_n
    fresh "$m" story.tar.gz
    (cd "$B" && eval "$mutation") || fail "$name: mutation failed"
    resign "$B"
    tar -czf "$m.tar.gz" -C "$m" story || fail "tar -czf $m.tar.gz"
    cp "$m.tar.gz" "$m.orig.tar.gz"
    for input in file stdin; do
        for opts in "--trust $MS_PUB --require-signature" "--trust $MS_PUB" "--require-signature"; do
            # shellcheck disable=SC2086 # the options split on purpose
            if [ $input = file ]; then
                expect_exit 1 "$ARTBAG" verify $opts "$m.tar.gz"
            else
                expect_exit_stdin 1 "$m.tar.gz" "$ARTBAG" verify $opts -
            fi
            assert_contains "$OUT" "problem: '$file': not covered by the signature" \
                "$name ($input, $opts)"
        done
    done
    expect_exit 1 "$ARTBAG" verify --json --trust "$MS_PUB" "$m.tar.gz"
    only_uncovered "$T/stdout" "$file"
    # Checked without a key to trust, the bag is valid, and says what the signature misses.
    expect_exit 0 "$ARTBAG" verify "$m.tar.gz"
    assert_contains "$OUT" "warning: '$file': not covered by the signature" "$name (no --trust)"
    expect_exit_stdin 0 "$m.tar.gz" "$ARTBAG" verify -
    assert_contains "$OUT" "warning: '$file': not covered by the signature" "$name (stdin)"
    # unpack checks with the same rule.
    if [ $unpack_has_trust = 1 ]; then
        mkdir "$m.dest"
        expect_exit 1 "$ARTBAG" unpack "$m.tar.gz" -C "$m.dest" --trust "$MS_PUB"
        assert_contains "$OUT$ERR" "'$file': not covered by the signature" "$name (unpack)"
        assert_dir_holds "$m.dest"
    fi
    # sign refuses it, names the file and the fix, and leaves the bundle as it was.
    expect_exit 1 "$ARTBAG" sign "$m.tar.gz" --key test-nopass.key --no-passphrase
    assert_contains "$ERR" "'$file'" "$name (sign names the file)"
    assert_contains "$ERR" "is not listed in tagmanifest-sha256.txt, so a signature would not cover it; list it there" \
        "$name (sign says how to fix it)"
    cmp -s "$m.tar.gz" "$m.orig.tar.gz" || fail "$name: a refused sign changed the bundle"
}
check_case "a file at the top" README.txt 'echo "run me" >README.txt'
check_case "a nested tag file" extra/run.sh 'mkdir extra && printf "#!/bin/sh\nrm -rf ~\n" >extra/run.sh'
# shellcheck disable=SC2016 # expanded in the bag, by eval
check_case "fetch.txt" fetch.txt \
    'printf "https://example.org/a.md %s data/article.md\n" "$(stat -c %s data/article.md)" >fetch.txt'
check_case "Data/ is not data/" Data/x 'mkdir Data && echo evil >Data/x'
check_case "Data/article.md beside data/article.md" Data/article.md \
    'mkdir Data && echo evil >Data/article.md'
check_case "a tag manifest without the payload manifest" manifest-sha256.txt \
    'sed -i "/  manifest-sha256.txt\$/d" tagmanifest-sha256.txt'
check_case "a tag manifest without bag-info.txt" bag-info.txt \
    'sed -i "/  bag-info.txt\$/d" tagmanifest-sha256.txt'
check_case "a tag manifest without bagit.txt" bagit.txt \
    'sed -i "/  bagit.txt\$/d" tagmanifest-sha256.txt'

note "a tag manifest of another algorithm is covered through what it lists"
# RFC 8493 forbids tagmanifest-sha256.txt to list it; it holds nothing but digests of covered
# files, each checked, so it needs no listing (pack --digest writes such bags, and
# tests/e2e/pack_digest.sh has one that lists a planted file stay uncovered).
fresh m512 story.tar.gz
(cd "$B" && sha512sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha512.txt) ||
    fail "sha512sum"
resign "$B"
tar -czf m512.tar.gz -C m512 story || fail "tar -czf m512.tar.gz"
for opts in "--trust $MS_PUB --require-signature" "--trust $MS_PUB" "--require-signature" ""; do
    # shellcheck disable=SC2086 # the options split on purpose
    expect_exit 0 "$ARTBAG" verify $opts m512.tar.gz
    assert_contains "$OUT" "m512.tar.gz: 2 files" "tagmanifest-sha512.txt ($opts)"
    case $OUT in *uncovered* | *"not covered"*) fail "tagmanifest-sha512.txt reported: $OUT" ;; esac
done
expect_exit 0 "$ARTBAG" sign m512.tar.gz --key test-nopass.key --no-passphrase
check_case "another file in signatures/" signatures/notes.txt \
    'mkdir -p signatures && echo hi >signatures/notes.txt'
check_case "a signature-like name in a subdirectory" \
    signatures/old/tagmanifest-sha256.txt.minisig \
    'mkdir -p signatures/old && cp signatures/tagmanifest-sha256.txt.minisig signatures/old/'
check_case "a key id in lower case is not a signature name" \
    signatures/tagmanifest-sha256.txt.0123456789abcdef.minisig \
    'cp signatures/tagmanifest-sha256.txt.minisig signatures/tagmanifest-sha256.txt.0123456789abcdef.minisig'

note "the fix sign suggests works: list the file, and the bundle signs and verifies"
fresh fix m1.tar.gz
(cd "$B" && sha256sum README.txt >>tagmanifest-sha256.txt) || fail "sha256sum"
rm -rf "${B:?}/signatures"
tar -czf fixed.tar.gz -C fix story || fail "tar"
expect_exit 0 "$ARTBAG" sign fixed.tar.gz --key test-nopass.key --no-passphrase
expect_exit 0 "$ARTBAG" verify --trust "$KEYS/test-nopass.pub" --require-signature fixed.tar.gz
[ "$ERR" = "" ] || fail "the fixed bundle still warns: $ERR"

note "bundle-1.0: signatures at the top still verify, and still must cover every tag file"
[ -r "$OLD" ] || fail "no fixture $OLD"
fresh o "$OLD"
for f in tagmanifest-sha256.txt.minisig "tagmanifest-sha256.txt.$NOPASS_ID.minisig"; do
    [ -f "$B/$f" ] || fail "the fixture is not in the old layout: no $f at the top"
done
assert_eq "tag:artbag.org,2026:bagit-profile:bundle-1.0" \
    "$(bag_info_value "$B" BagIt-Profile-Identifier)" "the fixture's profile"
expect_exit 0 "$ARTBAG" verify --trust "$KEYS/test.pub" --trust "$KEYS/test-nopass.pub" \
    --require-signature "$OLD"
assert_contains "$OUT" "signed by key $TEST_ID (trusted)" "old primary signature"
assert_contains "$OUT" "signed by key $NOPASS_ID (trusted)" "old counter-signature"
[ "$ERR" = "" ] || fail "an old signed bundle warns: $ERR"
expect_exit_stdin 0 "$OLD" "$ARTBAG" verify --trust "$KEYS/test.pub" --require-signature -
echo planted >"$B/README.txt"
tar -czf old-mut.tar.gz -C o signed-1.0 || fail "tar"
expect_exit 1 "$ARTBAG" verify --trust "$KEYS/test.pub" old-mut.tar.gz
assert_contains "$OUT" "problem: 'README.txt': not covered by the signature" "old layout"
# A bag naming bundle-1.0 is still held to the artbag bundle rules: its metadata.json must
# agree with bag-info.txt (manifests recomputed, signatures dropped, so only that is wrong).
fresh o2 "$OLD"
sed -i 's|"source_url": "https://example.org/|"source_url": "https://example.com/|' \
    "$B/data/metadata.json"
rm "$B"/*.minisig
(cd "$B" && sha256sum data/article.md data/metadata.json >manifest-sha256.txt &&
    sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt) || fail "sha256sum"
expect_exit 1 "$ARTBAG" verify "$B"
assert_contains "$OUT" "source_url disagrees with bag-info.txt" "bundle-1.0 metadata still checked"

note "sign on a bundle-1.0 bundle: old signatures move into signatures/ byte for byte"
cp "$OLD" old.tar.gz
expect_exit 0 "$ARTBAG" keygen -o carol --no-passphrase
carol_id=$(id_of carol.pub)
expect_exit 0 "$ARTBAG" sign old.tar.gz --key carol.key --no-passphrase
fresh o3 old.tar.gz
ls "$B"/*.minisig 2>/dev/null && fail "sign left signatures at the top of an old bundle"
bagit_java_names "$B"
cmp "$B/$SIG" "o/signed-1.0/tagmanifest-sha256.txt.minisig" ||
    fail "the old primary signature did not move unchanged"
cmp "$B/signatures/tagmanifest-sha256.txt.$NOPASS_ID.minisig" \
    "o/signed-1.0/tagmanifest-sha256.txt.$NOPASS_ID.minisig" ||
    fail "the old counter-signature did not move unchanged"
for k in test:$SIG test-nopass:signatures/tagmanifest-sha256.txt.$NOPASS_ID.minisig \
    carol:signatures/tagmanifest-sha256.txt.$carol_id.minisig; do
    pub=${k%%:*}.pub
    [ -f "$pub" ] || pub=$KEYS/$pub
    minisign -V -q -p "$pub" -m "$B/tagmanifest-sha256.txt" -x "$B/${k#*:}" ||
        fail "minisign rejects ${k#*:} after sign moved it"
done
assert_eq 3 "$(find "$B" -name '*.minisig' | wc -l)" "three signatures after signing"
expect_exit 0 "$ARTBAG" verify --trust carol.pub --trust "$KEYS/test.pub" \
    --trust "$KEYS/test-nopass.pub" --require-signature old.tar.gz
[ "$(grep -c '(trusted)' "$T/stdout")" = 3 ] || fail "not all three signatures trusted: $OUT"
# Signing an old bundle with a key that signed it already replaces that signature.
cp "$OLD" old2.tar.gz
expect_exit 0 "$ARTBAG" sign old2.tar.gz --key test-nopass.key --no-passphrase
fresh o4 old2.tar.gz
assert_eq "tagmanifest-sha256.txt.$NOPASS_ID.minisig tagmanifest-sha256.txt.minisig " \
    "$(listing "$B/signatures")" "one signature per key"
cmp -s "$B/signatures/tagmanifest-sha256.txt.$NOPASS_ID.minisig" \
    "o/signed-1.0/tagmanifest-sha256.txt.$NOPASS_ID.minisig" &&
    fail "the same key's old signature was kept, not replaced"
bagit_java_names "$B"

note "signatures at both locations and after data/: sign gives each its own name"
fresh both story.tar.gz
minisign -S -s "$KEYS/minisign-test.sec" -m "$B/tagmanifest-sha256.txt" \
    -x "$B/tagmanifest-sha256.txt.minisig" -t "old place" </dev/null >/dev/null || fail "minisign -S"
# data/ first, signatures last: they reach sign after it has written its own.
(cd both && tar -czf ../both.tar.gz story/data story/bag-info.txt story/bagit.txt \
    story/manifest-sha256.txt story/tagmanifest-sha256.txt story/tagmanifest-sha256.txt.minisig \
    story/signatures) || fail "tar"
expect_exit 0 "$ARTBAG" verify --trust "$MS_PUB" --trust "$KEYS/test.pub" both.tar.gz
expect_exit 0 "$ARTBAG" sign both.tar.gz --key test-nopass.key --no-passphrase
fresh both2 both.tar.gz
ls "$B"/*.minisig 2>/dev/null && fail "a signature stayed at the top"
bagit_java_names "$B"
assert_eq 3 "$(find "$B/signatures" -name '*.minisig' | wc -l)" "three signatures, three names"
expect_exit 0 "$ARTBAG" verify --trust "$MS_PUB" --trust "$KEYS/test.pub" \
    --trust "$KEYS/test-nopass.pub" --require-signature both.tar.gz
[ "$(grep -c '(trusted)' "$T/stdout")" = 3 ] || fail "not all three signatures trusted: $OUT"
[ "$ERR" = "" ] || fail "warnings after signing: $ERR"

[ $unpack_has_trust = 1 ] || note "unpack has no --trust yet: its refusal was not tested"
