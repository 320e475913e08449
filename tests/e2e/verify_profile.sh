#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag verify --profile: artbag's own bundles follow artbag's own profiles; bags written the
# way other BagIt tools write them (plain shell and coreutils here, sharing no code with artbag)
# follow three third-party style profiles, and each way of breaking a rule is caught as a
# 'profile' problem naming it; a profile that is not one is refused before any bag is read.
. "$(dirname "$0")/lib.sh"

PROFILES=$ARTBAG_SRC/manifests
FX=$ARTBAG_SRC/tests/fixtures/profiles
APT=$FX/aptrust-like.json
BTR=$FX/btr-like.json
DEP=$FX/deposit-dir.json

# verify_fails RULE FILE... : verify exits 1 and its report names RULE in a profile problem.
verify_fails() {
    local rule=$1
    shift
    expect_exit 1 "$ARTBAG" verify "$@"
    assert_contains "$OUT" "FAIL" "verify $*"
    assert_contains "$OUT" "($rule)" "verify $*"
}

# ---- artbag's own bundles against artbag's own profiles ------------------------------------

expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --org 'City Archive' --mtime 1419206400
expect_exit 0 "$ARTBAG" verify --profile "$PROFILES/artbag-bag-profile.json" story.tar.gz
assert_contains "$OUT" "OK    story.tar.gz" "bundle against the bundle profile"
expect_exit_stdin 0 story.tar.gz "$ARTBAG" verify --profile "$PROFILES/artbag-bag-profile.json" -
expect_exit 0 "$ARTBAG" verify --json --profile "$PROFILES/artbag-bag-profile.json" story.tar.gz
echo "$OUT" >own.json
verify_schema_ok own.json
verify_json_check own.json 0 'b["valid"]' 'not b["problems"]' 'not b["warnings"]'

expect_exit 0 "$ARTBAG" pack "$ARTBAG_SRC/tests/fixtures/articles/front-matter.md" \
    "$ARTBAG_SRC/tests/fixtures/articles/crlf.md" -o coll.tar.gz --org 'City Archive' -q
expect_exit 0 "$ARTBAG" verify --profile "$PROFILES/artbag-collection-profile.json" coll.tar.gz
# Each declares its own profile, so each fails the other's.
verify_fails Bag-Info --profile "$PROFILES/artbag-bag-profile.json" coll.tar.gz
assert_contains "$OUT" "'BagIt-Profile-Identifier' does not name profile 'tag:artbag.org,2026:bagit-profile:bundle-1.2'" "collection, bundle profile"
verify_fails Bag-Info --profile "$PROFILES/artbag-collection-profile.json" story.tar.gz

# The profiles ask for a serialized bag: the same bag unpacked is not one.
mkdir own && tar -xzf story.tar.gz -C own
verify_fails Serialization --profile "$PROFILES/artbag-bag-profile.json" own/story
# ...and name the tar.gz the way bdbag and other tools look for it.
"$PY" - "$PROFILES/artbag-bag-profile.json" "$PROFILES/artbag-collection-profile.json" <<'EOF' ||
import json, sys
for f in sys.argv[1:]:
    p = json.load(open(f, encoding="utf-8"))
    assert "application/x-tar+gzip" in p["Accept-Serialization"], f
    assert "application/gzip" in p["Accept-Serialization"], f
EOF
    fail "artbag's profiles do not list application/x-tar+gzip"

# unpack --profile: a bag the profile rejects is not unpacked.
mkdir restored
expect_exit 0 "$ARTBAG" unpack --profile "$PROFILES/artbag-bag-profile.json" story.tar.gz -C restored -q
assert_dir_holds restored story
mkdir refused
expect_exit 1 "$ARTBAG" unpack --profile "$APT" story.tar.gz -C refused
assert_contains "$OUT" "(Accept-Serialization)" "unpack --profile"
assert_dir_holds refused

# ---- bags as other tools write them -------------------------------------------------------

# manifests BAG ALG...: writes manifest-ALG.txt over data/ and tagmanifest-ALG.txt over the
# other files for each ALG (coreutils' *sum, which prints what a manifest line is), after
# setting Payload-Oxum when bag-info.txt has one.
manifests() {
    local b=$1 a oxum
    shift
    rm -f "$b"/manifest-*.txt "$b"/tagmanifest-*.txt
    oxum=$(payload_oxum "$b")
    sed -i "s/^Payload-Oxum: .*/Payload-Oxum: $oxum/" "$b/bag-info.txt"
    for a in "$@"; do
        (cd "$b" && find data -type f | LC_ALL=C sort | xargs -r -d '\n' "${a}sum") >"$b/manifest-$a.txt"
    done
    for a in "$@"; do
        (cd "$b" && find . -type f ! -path './data/*' ! -name 'tagmanifest-*' | sed 's|^\./||' |
            LC_ALL=C sort | xargs -r -d '\n' "${a}sum") >"$b/tagmanifest-$a.txt"
    done
}

# mkbag BAG ID ALG...: a bag whose bag-info.txt (from stdin) follows BagIt-Profile-Identifier ID.
mkbag() {
    local b=$1 id=$2
    shift 2
    mkdir -p "$b/data/objects"
    printf 'The harbour reopened on Monday.\n' >"$b/data/objects/story.txt"
    printf 'Deposited by the Harbour Gazette.\n' >"$b/data/README.txt"
    printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$b/bagit.txt"
    { printf 'BagIt-Profile-Identifier: %s\n' "$id"; cat; } >"$b/bag-info.txt"
    manifests "$b" "$@"
}

# fresh NAME: a copy of the pristine bag src/NAME in work/NAME, for one mutation.
fresh() {
    rm -rf "work/$1" && mkdir -p work && cp -a "src/$1" "work/$1"
    W=work/$1
}

tarball() { tar -C "$(dirname "$1")" -cf "$2" "$(basename "$1")" || fail "tar $2"; }
tgz() { tar -C "$(dirname "$1")" -czf "$2" "$(basename "$1")" || fail "tar $2"; }
txz() { tar -C "$(dirname "$1")" -cJf "$2" "$(basename "$1")" || fail "tar $2"; }
zipped() { (cd "$(dirname "$1")" && zip -qr "$T/$2" "$(basename "$1")") || fail "zip $2"; }

mkdir src

# ---- an APTrust-like profile: an uncompressed tar with aptrust-info.txt -------------------

APT_ID=https://example.org/bagit-profiles/aptrust-like-v2.2.json
mkbag src/apt "$APT_ID" md5 sha256 <<EOF
Source-Organization: Harbour Gazette
Bagging-Date: 2026-11-30
Bag-Count: 1 of 1
Internal-Sender-Identifier: gazette-2014-12
Payload-Oxum: 0.0
EOF
printf 'Title: Harbour Gazette, December 2014\nAccess: Institution\n' >src/apt/aptrust-info.txt
manifests src/apt md5 sha256
fresh apt
tarball "$W" apt.tar
expect_exit 0 "$ARTBAG" verify --profile "$APT" apt.tar
assert_contains "$OUT" "OK    apt.tar" "aptrust-like"
expect_exit_stdin 0 apt.tar "$ARTBAG" verify --profile "$APT" -
tgz "$W" apt.tar.gz
verify_fails Accept-Serialization --profile "$APT" apt.tar.gz
assert_contains "$OUT" "serialized as tar+gzip (application/gzip)" "aptrust-like, tar.gz"
zipped "$W" apt.zip
verify_fails Accept-Serialization --profile "$APT" apt.zip
verify_fails Serialization --profile "$APT" "$W"
assert_contains "$OUT" "requires a serialized bag, and this is a directory" "aptrust-like, dir"

fresh apt
rm "$W/aptrust-info.txt" && manifests "$W" md5 sha256 && tarball "$W" t.tar
verify_fails Tag-Files-Required --profile "$APT" t.tar
assert_contains "$OUT" "'aptrust-info.txt': required by profile" "aptrust-info.txt missing"

fresh apt
: >"$W/fetch.txt" && manifests "$W" md5 sha256 && tarball "$W" t.tar
verify_fails Allow-Fetch.txt --profile "$APT" t.tar
assert_contains "$OUT" "'fetch.txt': not allowed by profile" "fetch.txt"

fresh apt
sed -i '/^Source-Organization/d' "$W/bag-info.txt" && manifests "$W" md5 sha256 && tarball "$W" t.tar
verify_fails Bag-Info --profile "$APT" t.tar
assert_contains "$OUT" "'bag-info.txt': 'Source-Organization' is required by profile '$APT_ID' (Bag-Info)" "required"

fresh apt
printf 'Bag-Count: 2 of 2\n' >>"$W/bag-info.txt" && manifests "$W" md5 sha256 && tarball "$W" t.tar
verify_fails Bag-Info --profile "$APT" t.tar
assert_contains "$OUT" "'Bag-Count' is given 2 times" "not repeatable"

fresh apt
sed -i 's/^BagIt-Version: 1.0/BagIt-Version: 0.96/' "$W/bagit.txt" && manifests "$W" md5 sha256 && tarball "$W" t.tar
verify_fails Accept-BagIt-Version --profile "$APT" t.tar
assert_contains "$OUT" "'bagit.txt': BagIt-Version 0.96 is not one profile" "bagit version"

fresh apt
manifests "$W" md5 sha224 && tarball "$W" t.tar
verify_fails Manifests-Allowed --profile "$APT" t.tar
assert_contains "$OUT" "'manifest-sha224.txt': a payload manifest profile" "manifest not allowed"
assert_contains "$OUT" "'tagmanifest-sha224.txt': a tag manifest profile" "tag manifest not allowed"

fresh apt
sed -i '/^BagIt-Profile-Identifier/d' "$W/bag-info.txt" && manifests "$W" md5 && tarball "$W" t.tar
verify_fails Bag-Info --profile "$APT" t.tar
assert_contains "$OUT" "'bag-info.txt': 'BagIt-Profile-Identifier' is required by profile '$APT_ID'" "no identifier"

# ---- a Beyond-the-Repository-like transfer profile: any container, fixed bag-info ---------

BTR_ID=https://example.org/bagit-profiles/transfer-v0.1.json
mkbag src/btr "$BTR_ID" md5 sha256 <<EOF
Source-Organization: Harbour Gazette
Contact-Name: Mina Okafor
Contact-Email: archive@gazette.example
Bagging-Date: 2026-11-30
Payload-Oxum: 0.0
Access-Restrictions: open
EOF
fresh btr
expect_exit 0 "$ARTBAG" verify --profile "$BTR" "$W"
tgz "$W" btr.tar.gz && zipped "$W" btr.zip && tarball "$W" btr.tar
expect_exit 0 "$ARTBAG" verify --profile "$BTR" btr.tar.gz btr.zip btr.tar
txz "$W" btr.tar.xz
verify_fails Accept-Serialization --profile "$BTR" btr.tar.xz
assert_contains "$OUT" "serialized as tar+xz (application/x-xz)" "btr, xz"

fresh btr
sed -i 's/^Access-Restrictions: open/Access-Restrictions: secret/' "$W/bag-info.txt" && manifests "$W" sha256
verify_fails "Bag-Info values" --profile "$BTR" "$W"
assert_contains "$OUT" "'Access-Restrictions' has a value profile '$BTR_ID' does not allow" "values"
assert_contains "$OUT" "(expected open, restricted, closed, got secret)" "values named"

fresh btr
manifests "$W" md5
verify_fails Manifests-Required --profile "$BTR" "$W"
assert_contains "$OUT" "'manifest-sha256.txt': required by profile '$BTR_ID' (Manifests-Required), but missing" "manifest required"

fresh btr
sed -i '/^Contact-Email/d' "$W/bag-info.txt" && manifests "$W" sha256
verify_fails Bag-Info --profile "$BTR" "$W"
assert_contains "$OUT" "'Contact-Email' is required" "contact email"

# ---- a deposit profile: directories only, sha512, named payload and tag files -------------

DEP_ID=https://example.org/bagit-profiles/news-deposit-v1.0.json
mkbag src/dep "$DEP_ID" sha512 <<EOF
Source-Organization: Harbour Gazette
Contact-Email: archive@gazette.example
Rights-Statement: http://rightsstatements.org/vocab/InC/1.0/
EOF
mkdir src/dep/deposit && printf 'agreement 2014-117\n' >src/dep/deposit/agreement.txt
manifests src/dep sha512
fresh dep
expect_exit 0 "$ARTBAG" verify --profile "$DEP" "$W"
tarball "$W" dep.tar
verify_fails Serialization --profile "$DEP" dep.tar
assert_contains "$OUT" "forbids serialization, and this bag was read from a tar" "forbidden"

fresh dep
printf 'x\n' >"$W/data/other.txt" && manifests "$W" sha512
verify_fails Payload-Files-Allowed --profile "$DEP" "$W"
assert_contains "$OUT" "'data/other.txt': a payload file profile" "payload allowed"

fresh dep
rm "$W/data/README.txt" && manifests "$W" sha512
verify_fails Payload-Files-Required --profile "$DEP" "$W"
assert_contains "$OUT" "'data/README.txt': required by profile" "payload required"

fresh dep
rm -r "$W/data/objects" && manifests "$W" sha512
verify_fails Payload-Files-Required --profile "$DEP" "$W"
assert_contains "$OUT" "'data/objects/': required by profile" "payload directory required"

fresh dep
printf 'notes\n' >"$W/notes.txt" && manifests "$W" sha512
verify_fails Tag-Files-Allowed --profile "$DEP" "$W"
assert_contains "$OUT" "'notes.txt': a tag file profile '$DEP_ID' does not allow" "tag file allowed"

fresh dep
manifests "$W" sha512 && rm "$W/tagmanifest-sha512.txt"
verify_fails Tag-Manifests-Required --profile "$DEP" "$W"

fresh dep
sed -i 's/^Source-Organization: .*/Source-Organization: Someone Else/' "$W/bag-info.txt" && manifests "$W" sha512
verify_fails "Bag-Info values" --profile "$DEP" "$W"

# Every departure at once is each its own finding.
fresh dep
printf 'x\n' >"$W/data/other.txt" && printf 'n\n' >"$W/notes.txt" && rm "$W/data/README.txt"
manifests "$W" sha512 sha256
tarball "$W" all.tar
expect_exit 1 "$ARTBAG" verify --json --profile "$DEP" all.tar
echo "$OUT" >all.json
verify_schema_ok all.json
verify_json_check all.json 0 'not b["valid"]' 'set(kinds) == {"profile"}' \
    'len(kinds) == 6' 'all("'"$DEP_ID"'" in p["message"] for p in b["problems"])'

# ---- Data-Empty, and a misspelt rule ------------------------------------------------------

cat >empty.json <<'EOF'
{"BagIt-Profile-Info": {"BagIt-Profile-Identifier": "urn:example:holey"},
 "Data-Empty": true, "Manifest-Required": ["md5"]}
EOF
mkdir -p src/holey/data
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >src/holey/bagit.txt
printf 'BagIt-Profile-Identifier: urn:example:holey\nPayload-Oxum: 0.0\n' >src/holey/bag-info.txt
: >src/holey/data/placeholder
manifests src/holey sha256
fresh holey
expect_exit 0 "$ARTBAG" verify --profile empty.json "$W"
assert_contains "$OUT" "WARN" "misspelt rule"
assert_contains "$OUT" "'Manifest-Required' is not a rule of BagIt Profiles 1.3 or 1.4; ignored" "misspelt rule"
printf 'not empty\n' >"$W/data/placeholder" && manifests "$W" sha256
verify_fails Data-Empty --profile empty.json "$W"
assert_contains "$OUT" "'data/placeholder': holds 10 bytes" "data empty"

# ---- profiles that are not ----------------------------------------------------------------

for bad in bad-not-json bad-no-info bad-wrong-type bad-contradiction; do
    expect_exit 2 "$ARTBAG" verify --profile "$FX/$bad.json" apt.tar btr.zip
    assert_stdout_empty
    assert_contains "$ERR" "artbag: verify: '$FX/$bad.json': " "$bad"
    # once, not once per bundle; then where the help is, as for every usage error
    [ "$(grep -c . "$T/stderr")" -eq 2 ] || fail "$bad: said more than once: [$ERR]"
    assert_eq "Try 'artbag verify --help'." "$(sed -n 2p "$T/stderr")" "$bad: second line"
    expect_exit 2 "$ARTBAG" verify --json --profile "$FX/$bad.json" apt.tar
    assert_stdout_empty
    expect_exit 2 "$ARTBAG" unpack --profile "$FX/$bad.json" apt.tar -C refused
    assert_dir_holds refused
done
assert_contains "$ERR" "'Manifests-Required' lists 'md5', which 'Manifests-Allowed' does not" "contradiction"
expect_exit 3 "$ARTBAG" verify --profile no-such.json apt.tar
assert_contains "$ERR" "'no-such.json': No such file or directory" "missing profile"
assert_stdout_empty
expect_exit 2 "$ARTBAG" verify --profile "$FX" apt.tar
assert_contains "$ERR" "a directory, not a profile" "directory as profile"
expect_exit 2 "$ARTBAG" verify --profile apt.tar apt.tar
assert_contains "$ERR" "'apt.tar': not JSON" "a bag as profile"
expect_exit 2 "$ARTBAG" verify --profile
