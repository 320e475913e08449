#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# pack --digest: one article, a collection and --each get one manifest and one tag manifest per
# algorithm, which coreutils (sha256sum, sha512sum, sha1sum, md5sum ...) check from inside the
# extracted bag; a sha256-only pack is byte for byte a pack without --digest; a changed digest in
# manifest-sha512.txt fails verify by name; signed bundles still verify with --trust and pass
# minisign -V, while a tag manifest listing an unsigned file does not; bad lists exit 2.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

ARTICLES=$ARTBAG_SRC/tests/fixtures/articles
PROFILES=$ARTBAG_SRC/manifests
ALGS=sha256,sha512,sha1,md5
MT=(--mtime 1419206400)

# sum_tool ALG: the coreutils command that checks ALG's manifests.
sum_tool() { case $1 in md5) echo md5sum ;; *) echo "${1}sum" ;; esac; }

# check_digests BAG ALG...: manifest-ALG.txt and tagmanifest-ALG.txt for exactly the ALGs; each
# payload manifest lists the same files, each tag manifest lists bag-info.txt, bagit.txt and
# every payload manifest (no tag manifest), and each passes ALG's coreutils checker in BAG.
check_digests() {
    local bag=$1 alg want_tag
    shift
    want_tag=$(printf '%s\n' bag-info.txt bagit.txt; for alg in "$@"; do echo "manifest-$alg.txt"; done)
    assert_eq "$(for alg in "$@"; do echo "manifest-$alg.txt tagmanifest-$alg.txt"; done | tr ' ' '\n' | sort)" \
        "$(cd "$bag" && printf '%s\n' *manifest-* | sort)" "manifests in $bag"
    for alg in "$@"; do
        (cd "$bag" && "$(sum_tool "$alg")" --quiet --strict -c "manifest-$alg.txt") ||
            fail "$(sum_tool "$alg") -c manifest-$alg.txt failed in $bag"
        (cd "$bag" && "$(sum_tool "$alg")" --quiet --strict -c "tagmanifest-$alg.txt") ||
            fail "$(sum_tool "$alg") -c tagmanifest-$alg.txt failed in $bag"
        assert_eq "$(sed 's/^[0-9a-f]*  //' "$bag/manifest-sha256.txt")" \
            "$(sed 's/^[0-9a-f]*  //' "$bag/manifest-$alg.txt")" "files in manifest-$alg.txt"
        assert_eq "$want_tag" "$(sed 's/^[0-9a-f]*  //' "$bag/tagmanifest-$alg.txt")" \
            "files in tagmanifest-$alg.txt"
    done
}

# tar_order BUNDLE: the entry names, one a line, bag directory stripped.
tar_order() { tar -tzf "$1" | sed 's|^[^/]*/||'; }

# retar BUNDLE FILE SED: rewrites FILE in the bag with the sed script SED, entry order and
# everything else kept, with python3's tarfile.
retar() {
    "$PY" - "$@" <<'EOF' || fail "could not rewrite $2 in $1"
import io, re, subprocess, sys, tarfile
path, name, script = sys.argv[1:4]
members = []
with tarfile.open(path, "r:gz") as t:
    for m in t.getmembers():
        data = t.extractfile(m).read() if m.isfile() else None
        if data is not None and m.name.split("/", 1)[-1] == name:
            data = subprocess.run(["sed", script], input=data, capture_output=True, check=True).stdout
            m.size = len(data)
        members.append((m, data))
with tarfile.open(path, "w:gz") as t:
    for m, data in members:
        t.addfile(m, io.BytesIO(data) if data is not None else None)
EOF
}

note "one article: a manifest and a tag manifest per algorithm, in the archive's tag-first order"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o one.tar.gz "${MT[@]}" --digest "$ALGS" -q
assert_stderr_empty
assert_eq "$(printf '%s\n' '' bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt \
    manifest-sha1.txt manifest-md5.txt tagmanifest-sha256.txt tagmanifest-sha512.txt \
    tagmanifest-sha1.txt tagmanifest-md5.txt data/ data/article.md data/metadata.json)" \
    "$(tar_order one.tar.gz)" "entry order"
expect_exit 0 "$ARTBAG" verify one.tar.gz
assert_contains "$OUT" "OK    one.tar.gz: 2 files" "verify"
assert_contains "$OUT" "sha256+sha512+sha1+md5" "verify names the algorithms"
extract one.tar.gz x1
check_digests "$BAG" sha256 sha512 sha1 md5
# The profile, too: md5 and sha1 are beyond bundle-1.2, so the bag names bundle-1.3, which
# allows the four, and the 1.2 document (unchanged) refuses it.
assert_eq "tag:artbag.org,2026:bagit-profile:bundle-1.3" \
    "$(sed -n 's/^BagIt-Profile-Identifier: //p' "$BAG/bag-info.txt")" "profile named"
expect_exit 0 "$ARTBAG" verify --profile "$PROFILES/artbag-bag-profile-1.3.json" one.tar.gz
expect_exit 1 "$ARTBAG" verify --profile "$PROFILES/artbag-bag-profile.json" one.tar.gz

note "sha512 alone is within bundle-1.2: the bag names it, and its document accepts the bag"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o s512.tar.gz "${MT[@]}" --digest sha512 -q
extract s512.tar.gz x512
assert_eq "tag:artbag.org,2026:bagit-profile:bundle-1.2" \
    "$(sed -n 's/^BagIt-Profile-Identifier: //p' "$BAG/bag-info.txt")" "sha512 names 1.2"
expect_exit 0 "$ARTBAG" verify --profile "$PROFILES/artbag-bag-profile.json" s512.tar.gz

note "the other two RFC 8493 names, sha384 and sha224, in any case and with blanks"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o six.tar.gz "${MT[@]}" -q \
    --digest 'SHA384, sha224' --digest sha512
expect_exit 0 "$ARTBAG" verify six.tar.gz
extract six.tar.gz x6
check_digests "$BAG" sha256 sha512 sha384 sha224

note "a collection and --each"
expect_exit 0 "$ARTBAG" pack "$ARTICLES/front-matter.md" "$ARTICLES/crlf.md" "$ARTBAG_SEED" \
    -o coll.tar.gz "${MT[@]}" --digest "$ALGS" -q
expect_exit 0 "$ARTBAG" verify coll.tar.gz
assert_contains "$OUT" "sha256+sha512+sha1+md5" "collection verify"
expect_exit 0 "$ARTBAG" verify --profile "$PROFILES/artbag-collection-profile-1.2.json" coll.tar.gz
# In one pass from standard input: the tag manifests, read first, say which digests to compute.
expect_exit_stdin 0 coll.tar.gz "$ARTBAG" verify -
assert_contains "$OUT" "OK    <stdin>: 7 files" "collection from stdin"
extract coll.tar.gz xc
check_digests "$BAG" sha256 sha512 sha1 md5
assert_eq 7 "$(wc -l <"$BAG/manifest-md5.txt")" "collection md5 lines (3 articles x 2 + catalog)"
assert_eq "$(printf '%s\n' bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt \
    manifest-sha1.txt manifest-md5.txt tagmanifest-sha256.txt tagmanifest-sha512.txt \
    tagmanifest-sha1.txt tagmanifest-md5.txt)" \
    "$(tar_order coll.tar.gz | sed -n '2,11p')" "collection tag files first"

expect_exit 0 "$ARTBAG" pack --each "$ARTICLES/front-matter.md" "$ARTICLES/crlf.md" -O each \
    "${MT[@]}" --digest "$ALGS" -j 2 -q
n=0
for b in each/*.tar.gz; do
    expect_exit 0 "$ARTBAG" verify "$b"
    assert_contains "$OUT" "sha256+sha512+sha1+md5" "--each verify $b"
    extract "$b" "xe$n"
    check_digests "$BAG" sha256 sha512 sha1 md5
    n=$((n + 1))
done
assert_eq 2 "$n" "--each bundles"

note "sha256 alone is what pack always wrote, byte for byte"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o plain.tar.gz "${MT[@]}" -q
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o named.tar.gz --name plain "${MT[@]}" -q --digest sha256
cmp plain.tar.gz named.tar.gz || fail "--digest sha256 changed the bundle"
expect_exit 0 "$ARTBAG" pack "$ARTICLES/front-matter.md" "$ARTICLES/crlf.md" -o c1.tar.gz "${MT[@]}" -q
mkdir c2 && expect_exit 0 "$ARTBAG" pack "$ARTICLES/front-matter.md" "$ARTICLES/crlf.md" \
    -o c2/c1.tar.gz "${MT[@]}" -q --digest SHA256
cmp c1.tar.gz c2/c1.tar.gz || fail "--digest sha256 changed the collection"
expect_exit 0 "$ARTBAG" pack --each "$ARTICLES/crlf.md" -O e1 "${MT[@]}" -q
expect_exit 0 "$ARTBAG" pack --each "$ARTICLES/crlf.md" -O e2 "${MT[@]}" -q --digest sha256
for b in e1/*.tar.gz; do
    cmp "$b" "e2/${b#e1/}" || fail "--digest sha256 changed $b"
done
extract plain.tar.gz xp
check_digests "$BAG" sha256

note "a changed digest in manifest-sha512.txt fails verify, naming the manifest"
cp one.tar.gz bad.tar.gz
retar bad.tar.gz manifest-sha512.txt '1s/^./0/;1s/^0\(.\)/1\1/'
mkdir xb
tar -xzf bad.tar.gz -C xb || fail "GNU tar cannot read the rewritten bundle"
cmp -s xb/one/manifest-sha512.txt x1/one/manifest-sha512.txt && fail "retar changed nothing"
cmp -s xb/one/manifest-sha256.txt x1/one/manifest-sha256.txt || fail "retar changed more"
expect_exit 1 "$ARTBAG" verify bad.tar.gz
assert_contains "$OUT" "FAIL" "verify of a changed sha512 digest"
assert_contains "$OUT" "'data/article.md': sha512 mismatch" "the payload file and algorithm named"
assert_contains "$OUT" "'manifest-sha512.txt': " "the changed manifest named"

note "signed: verify --trust and minisign -V; the other tag manifests are covered through what they list"
expect_exit 0 "$ARTBAG" keygen -o k --no-passphrase
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o signed.tar.gz "${MT[@]}" --digest "$ALGS" -q --sign k.key
expect_exit 0 "$ARTBAG" verify --trust k.pub signed.tar.gz
assert_contains "$OUT" "(trusted)" "signed multi-digest bundle, trusted"
expect_exit 0 "$ARTBAG" verify --require-signature signed.tar.gz
if command -v minisign >/dev/null; then
    extract signed.tar.gz xs
    minisign -V -q -p k.pub -m "$BAG/tagmanifest-sha256.txt" \
        -x "$BAG/signatures/tagmanifest-sha256.txt.minisig" || fail "minisign -V rejects the signature"
else
    note "minisign is not installed: its check is skipped"
fi
expect_exit 0 "$ARTBAG" pack "$ARTICLES/front-matter.md" "$ARTICLES/crlf.md" -o scoll.tar.gz \
    "${MT[@]}" --digest "$ALGS" -q --sign k.key
expect_exit 0 "$ARTBAG" verify --trust k.pub scoll.tar.gz
# sign on an unsigned bundle, which verifies it with coverage required first
cp one.tar.gz later.tar.gz
expect_exit 0 "$ARTBAG" sign later.tar.gz --key k.key -q
expect_exit 0 "$ARTBAG" verify --trust k.pub later.tar.gz

# A tag manifest of another algorithm that lists a file the signature does not cover is not
# vouched for: both it and the file are uncovered.
cp signed.tar.gz planted.tar.gz
"$PY" - planted.tar.gz <<'EOF' || fail "could not plant a file"
import hashlib, io, sys, tarfile
path = sys.argv[1]
evil = b"#!/bin/sh\necho owned\n"
out = []
with tarfile.open(path, "r:gz") as t:
    for m in t.getmembers():
        data = t.extractfile(m).read() if m.isfile() else None
        if m.name.endswith("/tagmanifest-sha512.txt"):
            data += ("%s  evil.sh\n" % hashlib.sha512(evil).hexdigest()).encode()
            m.size = len(data)
            e = tarfile.TarInfo(m.name.rsplit("/", 1)[0] + "/evil.sh")
            e.size, e.mtime, e.mode = len(evil), m.mtime, 0o644
            out.append((m, data))
            out.append((e, evil))
            continue
        out.append((m, data))
with tarfile.open(path, "w:gz") as t:
    for m, data in out:
        t.addfile(m, io.BytesIO(data) if data is not None else None)
EOF
expect_exit 1 "$ARTBAG" verify --trust k.pub planted.tar.gz
assert_contains "$OUT" "'evil.sh': not covered by the signature" "planted file"
assert_contains "$OUT" "'tagmanifest-sha512.txt': not covered by the signature" \
    "a tag manifest listing an uncovered file"
expect_exit 0 "$ARTBAG" verify planted.tar.gz # unsigned trust asked for: warnings only
assert_contains "$OUT" "warning: 'tagmanifest-sha512.txt': not covered" "warned without --trust"

# A changed line in a covered-through tag manifest is a mismatch, whatever the signature says.
cp signed.tar.gz tmbad.tar.gz
retar tmbad.tar.gz tagmanifest-sha1.txt '1s/^./0/;1s/^0\(.\)/1\1/'
expect_exit 1 "$ARTBAG" verify --trust k.pub tmbad.tar.gz
assert_contains "$OUT" "'bag-info.txt': sha1 mismatch" "changed tag manifest line"

note "bad --digest lists are usage errors naming the word"
for bad in sha3 sha256,sha3 sha512,sha512 'sha256,' '' 'sha-256' 'md5,,sha1'; do
    expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o never.tar.gz --digest "$bad"
    [ -e never.tar.gz ] && fail "--digest '$bad' wrote a bundle"
done
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o never.tar.gz --digest sha3
assert_contains "$ERR" "artbag: pack: --digest: unknown digest 'sha3'" "unknown name"
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o never.tar.gz --digest sha512,SHA512
assert_contains "$ERR" "'SHA512' given twice" "repeated name"
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o never.tar.gz --digest sha512 --digest sha512
assert_contains "$ERR" "'sha512' given twice" "repeated across --digest"
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o never.tar.gz --digest 'sha256,'
assert_contains "$ERR" "empty digest name" "empty name"
expect_exit 2 "$ARTBAG" pack --each "$ARTBAG_SEED" -O never --digest whirlpool
assert_contains "$ERR" "'whirlpool'" "--each"
[ -e never ] && fail "--each with a bad --digest made its directory"
expect_exit 0 "$ARTBAG" pack --help
assert_contains "$OUT" "--digest ALG" "--help lists --digest"
exit 0
