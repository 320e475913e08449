#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Signed bundles: artbag's signatures pass minisign -V, minisign's pass artbag verify, and each
# way a signed bundle can be wrong fails with its own message and exit 1. Keys come from
# tests/fixtures/keys, which are for tests only.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v minisign >/dev/null || skip "minisign is not installed"
KEYS=$ARTBAG_SRC/tests/fixtures/keys
PASS=$KEYS/test-passphrase.txt

# extract BUNDLE DIR: GNU tar extraction into DIR; sets B to the bag directory.
unpack_to() { rm -rf "$2" && mkdir "$2" && tar -xzf "$1" -C "$2" || fail "tar -xzf $1"; B=$2/$(ls "$2"); }

# minisign_ok DIR PUBFILE SIGFILE: minisign itself accepts SIGFILE over DIR's tag manifest.
minisign_ok() {
    minisign -V -q -p "$2" -m "$1/tagmanifest-sha256.txt" -x "$1/$3" ||
        fail "minisign rejects $3 in $1 with $2"
}

note "keygen: files, modes, refusal to overwrite, openssl reads the key"
expect_exit 0 "$ARTBAG" keygen -o alice --passphrase-file "$PASS"
assert_eq 600 "$(stat -c %a alice.key)" "secret key mode"
head -1 alice.pub | grep -q '^untrusted comment: minisign public key [0-9A-F]\{16\}$' ||
    fail "alice.pub is not a minisign public key"
openssl pkey -in alice.key -passin "file:$PASS" -noout || fail "openssl cannot read alice.key"
cp alice.key alice.key.orig
expect_exit 3 "$ARTBAG" keygen -o alice --no-passphrase
cmp alice.key alice.key.orig || fail "keygen touched an existing key"
expect_exit 0 "$ARTBAG" keygen -o bob --no-passphrase
expect_exit 2 "$ARTBAG" keygen -o carol </dev/null # no terminal and no passphrase source
[ -e carol.key ] && fail "keygen without a passphrase made a key"

note "pack --sign: minisign accepts the signature; verify reports the signer"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q \
    --sign alice.key --passphrase-file "$PASS"
unpack_to story.tar.gz x
minisign_ok "$B" alice.pub signatures/tagmanifest-sha256.txt.minisig
(cd "$B" && sha256sum --strict -c manifest-sha256.txt tagmanifest-sha256.txt >/dev/null) ||
    fail "a signed bundle no longer passes sha256sum -c"
alice_id=$(head -1 alice.pub | awk '{print $NF}')
expect_exit 0 "$ARTBAG" verify story.tar.gz
assert_contains "$OUT" "signed by key $alice_id (not trusted)" "untrusted signer reported"
expect_exit 0 "$ARTBAG" verify --trust alice.pub story.tar.gz
assert_contains "$OUT" "signed by key $alice_id (trusted)" "trusted signer reported"
mkdir trustdir && cp alice.pub trustdir/ && expect_exit 0 "$ARTBAG" verify --trust trustdir story.tar.gz
expect_exit 0 "$ARTBAG" verify --json --trust alice.pub story.tar.gz
"$PY" -c '
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
s = b["signatures"]
assert len(s) == 1 and s[0]["valid"] and s[0]["trusted"] and s[0]["keyid"] == sys.argv[2], s
assert "bag:story" in s[0]["trusted_comment"], s
' "$T/stdout" "$alice_id" || fail "verify --json signatures"
expect_exit 0 "$ARTBAG" show story.tar.gz
assert_contains "$OUT" "signatures/tagmanifest-sha256.txt.minisig: key $alice_id" "show lists the signature"

note "sign: a counter-signature keeps the first; both pass minisign"
cp story.tar.gz before.tar.gz
expect_exit 0 "$ARTBAG" sign story.tar.gz --key bob.key
bob_id=$(head -1 bob.pub | awk '{print $NF}')
unpack_to story.tar.gz y
minisign_ok "$B" alice.pub signatures/tagmanifest-sha256.txt.minisig
minisign_ok "$B" bob.pub "signatures/tagmanifest-sha256.txt.$bob_id.minisig"
for f in data/article.md data/metadata.json manifest-sha256.txt tagmanifest-sha256.txt; do
    cmp "$B/$f" "x/story/$f" || fail "sign changed $f"
done
expect_exit 0 "$ARTBAG" verify --trust bob.pub --trust alice.pub story.tar.gz
assert_contains "$OUT" "signed by key $bob_id (trusted)" "co-signer reported"
expect_exit 0 "$ARTBAG" sign story.tar.gz --key bob.key
unpack_to story.tar.gz z
assert_eq 2 "$(ls "$B"/signatures/*.minisig | wc -l)" "re-signing by the same key replaced its signature"

note "minisign's own signature over an artbag tag manifest passes artbag verify"
unpack_to before.tar.gz m
rm "$B/signatures/tagmanifest-sha256.txt.minisig"
minisign -S -s "$KEYS/minisign-test.sec" -m "$B/tagmanifest-sha256.txt" \
    -x "$B/signatures/tagmanifest-sha256.txt.minisig" -t "made by minisign" </dev/null >/dev/null ||
    fail "minisign -S"
expect_exit 0 "$ARTBAG" verify --trust "$KEYS/minisign-test.pub" "$B"
assert_contains "$OUT" "(trusted)" "minisign signature trusted"
expect_exit 0 "$ARTBAG" verify "$B"
assert_contains "$OUT" "cannot be checked without its public key" "no key, no claim"

note "each failure has its own message and exit 1"
# reject TARGET MESSAGE [verify options]: verify exits 1 and says MESSAGE.
reject() {
    local target=$1 msg=$2
    shift 2
    expect_exit 1 "$ARTBAG" verify "$@" "$target"
    assert_contains "$OUT" "$msg" "$target"
}
unpack_to before.tar.gz c1 # a changed payload byte
sed -i 's/China/Chine/' "$B/data/article.md"
reject "$B" "sha256 mismatch" --trust alice.pub
unpack_to before.tar.gz c2 # a changed manifest with the tag manifest recomputed
sed -i 's/^a/b/' "$B/manifest-sha256.txt"
(cd "$B" && sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt)
reject "$B" "signature" --trust alice.pub
assert_contains "$OUT" "key $alice_id" "names the key whose signature broke"
reject before.tar.gz "no signature is by a trusted key" --trust bob.pub
unpack_to before.tar.gz c3 # truncated signature
head -c 100 "x/story/signatures/tagmanifest-sha256.txt.minisig" \
    >"$B/signatures/tagmanifest-sha256.txt.minisig"
reject "$B" "not a minisign signature"
unpack_to before.tar.gz c4 # garbled signature byte
sed -i '2s/^\(....\)./\1A/;2s/^\(.....\)./\1B/' "$B/signatures/tagmanifest-sha256.txt.minisig"
cmp -s "$B/signatures/tagmanifest-sha256.txt.minisig" x/story/signatures/tagmanifest-sha256.txt.minisig &&
    fail "garbling did not change the signature"
reject "$B" "signature" --trust alice.pub
"$ARTBAG" pack "$FIXTURES/byline.md" -o other.tar.gz --mtime 1419206400 -q \
    --url https://example.org/other --sign alice.key --passphrase-file "$PASS" || fail "pack other"
unpack_to before.tar.gz c5 # a signature over another bag's tag manifest
tar -xzf other.tar.gz -O other/signatures/tagmanifest-sha256.txt.minisig \
    >"$B/signatures/tagmanifest-sha256.txt.minisig"
reject "$B" "signature does not match" --trust alice.pub
reject "$B" "signature does not match"
"$ARTBAG" pack "$FIXTURES/byline.md" -o unsigned.tar.gz -q --url https://example.org/u || fail "pack"
reject unsigned.tar.gz "not signed" --require-signature
expect_exit 0 "$ARTBAG" verify unsigned.tar.gz

note "a wrong passphrase fails cleanly and prints no key material"
echo "not the passphrase" >wrong.txt
for cmd in "pack $ARTBAG_SEED -o w.tar.gz --sign alice.key --passphrase-file wrong.txt" \
    "sign before.tar.gz --key alice.key --passphrase-file wrong.txt"; do
    # shellcheck disable=SC2086 # split the command on purpose
    "$ARTBAG" $cmd >"$T/stdout" 2>"$T/stderr"
    rc=$?
    [ $rc -eq 1 ] || [ $rc -eq 3 ] || fail "$cmd: exit $rc"
    assert_contains "$(cat "$T/stderr")" "wrong passphrase" "$cmd"
    grep -q -- "-----BEGIN\|PRIVATE" "$T/stdout" "$T/stderr" && fail "$cmd printed key material"
done
[ -e w.tar.gz ] && fail "pack with a wrong passphrase wrote a bundle"
cmp before.tar.gz x.orig 2>/dev/null || true
unpack_to before.tar.gz w
assert_eq 1 "$(ls "$B"/signatures/*.minisig | wc -l)" "failed sign left the bundle as it was"

note "an invalid bundle is not signed"
cp c1/story -r badbag && tar -czf bad.tar.gz badbag 2>/dev/null
cp bad.tar.gz bad.orig.tar.gz
expect_exit 1 "$ARTBAG" sign bad.tar.gz --key bob.key
cmp bad.tar.gz bad.orig.tar.gz || fail "sign changed an invalid bundle"
