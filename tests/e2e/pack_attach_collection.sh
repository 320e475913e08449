#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Page bundles in collections (issue 15): a directory holding one article and other files (as
# Hugo and Obsidian keep them) packs those files, subfolders too, as that article's attachments
# under data/<slug>/attachments/; identical bytes are stored once and both articles' metadata
# point at the one path; a directory with several articles keeps its other files out, with a
# warning. Checked with GNU tar, sha256sum -c from inside the bag, python3 and artbag verify.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p in/post1/images in/post1/.obsidian in/post2 in/multi out
cp "$ARTBAG_SEED" in/post1/index.md
printf -- '---\ntitle: Second\nsource: https://example.org/b/second\n---\n# Second\n\nbody\n' >in/post2/index.md
printf -- '---\ntitle: M1\nsource: https://example.org/m1\n---\nbody\n' >in/multi/a.md
printf -- '---\ntitle: M2\nsource: https://example.org/m2\n---\nbody\n' >in/multi/b.md
echo notes >in/multi/notes.txt
printf '<!DOCTYPE html>\n<html><head><title>one</title></head><body>one</body></html>\n' >in/post1/page.html
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82' >in/post1/images/fig.png
cp in/post1/images/fig.png in/post2/fig.png # the same bytes in two page bundles
printf '%%PDF-1.4\n%%%%EOF\n' >in/post2/scan.pdf
echo '{"editor": "state"}' >in/post1/.obsidian/workspace.json # an editor's, not the capture's
sha256sum $(find in -type f | sort) >"$T/inputs.sha256"
SLUG1=2014-12-china-condemns-cyber-terrorism-sony

note "a collection of two page bundles and a directory of two articles"
expect_exit 0 "$ARTBAG" pack in -o out/coll.tar.gz --mtime 1419206400
assert_contains "$OUT" "packed 4 articles into 'out/coll.tar.gz'" "summary"
assert_eq "artbag: pack: 'in/multi': warning: holds 2 articles, so its other files (such as 'notes.txt') are not attachments: a page bundle is a directory with one article" \
    "$ERR" "warning for the directory with several articles"
extract out/coll.tar.gz out
(cd "$BAG" && sha256sum --strict -c manifest-sha256.txt) >"$T/c.out" ||
    fail "sha256sum -c manifest-sha256.txt rejects the collection"
(cd "$BAG" && sha256sum --quiet --strict -c tagmanifest-sha256.txt) ||
    fail "sha256sum -c tagmanifest-sha256.txt rejects the collection"
assert_eq 12 "$(grep -c ': OK$' "$T/c.out")" "payload files sha256sum -c checked"
assert_eq "$(payload_oxum "$BAG")" "$(bag_info_value "$BAG" Payload-Oxum)" "Payload-Oxum"
assert_eq "tag:artbag.org,2026:bagit-profile:collection-1.2" "$(bag_info_value "$BAG" BagIt-Profile-Identifier)" \
    "a collection with attachments names profile collection-1.2"
assert_eq 1 "$(tar -tzf out/coll.tar.gz | grep -c 'fig\.png$')" "the shared image is stored once"
assert_eq 0 "$(tar -tzf out/coll.tar.gz | grep -c -e obsidian -e notes.txt)" "hidden files and a multi-article directory's files"
"$PY" - "$BAG" in "$SLUG1" <<'PY' || fail "metadata.json's attachments in the collection"
import hashlib, json, os, sys
bag, src, slug1 = sys.argv[1:4]
def meta(slug):
    return json.load(open(os.path.join(bag, "data", slug, "metadata.json"), encoding="utf-8"))
def check(a, path_in_src, stored_path, mt, given=None):
    data = open(os.path.join(src, path_in_src), "rb").read()
    want = {"path": stored_path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "media_type": mt}
    if given:
        want["given_path"] = given
    assert a == want, a
    assert open(os.path.join(bag, stored_path), "rb").read() == data, stored_path
fig = "data/%s/attachments/images/fig.png" % slug1
one = meta(slug1)["attachments"]
assert len(one) == 2, one
check(one[0], "post1/images/fig.png", fig, "image/png")
check(one[1], "post1/page.html", "data/%s/attachments/page.html" % slug1, "text/html")
two = meta("second")["attachments"]
assert len(two) == 2, two
# points at post1's stored copy, and keeps the name post2 gave it
check(two[0], "post2/fig.png", fig, "image/png", "data/second/attachments/fig.png")
check(two[1], "post2/scan.pdf", "data/second/attachments/scan.pdf", "application/pdf")
assert not os.path.exists(os.path.join(bag, "data/second/attachments/fig.png"))
for slug in ("m1", "m2"):
    assert "attachments" not in meta(slug), slug
PY
for d in "$BAG"/data/*/; do validate_metadata "$d/metadata.json"; done
expect_exit 0 "$ARTBAG" verify out/coll.tar.gz
expect_exit 0 "$ARTBAG" verify --profile "$ARTBAG_SRC/manifests/artbag-collection-profile-1.2.json" out/coll.tar.gz
sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed"

note "the same bytes for any -j; -q keeps the warning to itself"
mkdir again
expect_exit 0 "$ARTBAG" pack in -o again/coll.tar.gz --mtime 1419206400 -j 1 -q
assert_stderr_empty
cmp -s out/coll.tar.gz again/coll.tar.gz || fail "two packs of the collection differ"

note "--each: a page bundle's files become its bundle's data/attachments/"
expect_exit 0 "$ARTBAG" pack --each in -O each --mtime 1419206400 -q
extract each/second.tar.gz each/x
(cd "$BAG" && sha256sum --quiet --strict -c manifest-sha256.txt) || fail "sha256sum -c on second.tar.gz"
assert_eq "second/data/attachments/fig.png second/data/attachments/scan.pdf" \
    "$(tar -tzf each/second.tar.gz | grep attachments/ | tr '\n' ' ' | sed 's/ $//')" "--each attachments"
assert_eq "$PROFILE_ID" "$(tar -xzOf each/m1.tar.gz m1/bag-info.txt | sed -n 's/^BagIt-Profile-Identifier: //p')" \
    "an --each bundle without attachments keeps bundle-1.2"
expect_exit 0 "$ARTBAG" verify each/second.tar.gz each/$SLUG1.tar.gz each/m1.tar.gz

note "attachments with --digest: every manifest lists them, each checked by coreutils"
expect_exit 0 "$ARTBAG" pack in -o out/dig.tar.gz --mtime 1419206400 --digest sha512,md5 -q
extract out/dig.tar.gz out
for alg in sha256 sha512 md5; do
    (cd "$BAG" && "${alg}sum" --quiet --strict -c "manifest-$alg.txt") || fail "${alg}sum -c on the collection"
    (cd "$BAG" && "${alg}sum" --quiet --strict -c "tagmanifest-$alg.txt") || fail "${alg}sum -c on its tag manifest"
    assert_eq 12 "$(wc -l <"$BAG/manifest-$alg.txt")" "manifest-$alg.txt lines"
done
assert_eq 3 "$(grep -c '/attachments/' "$BAG/manifest-md5.txt")" "the md5 manifest lists the attachments"
expect_exit 0 "$ARTBAG" verify --profile "$ARTBAG_SRC/manifests/artbag-collection-profile-1.2.json" out/dig.tar.gz
assert_contains "$OUT" "sha256+sha512+md5" "verify checks the three"

note "a page bundle file whose name a bag cannot hold: the article is refused by name"
mkdir -p bad/post
printf -- '---\ntitle: Bad\nsource: https://example.org/bad\n---\nbody\n' >bad/post/index.md
printf x >"bad/post/a$(printf '\t')b.html"
mkdir -p bad/ok
printf -- '---\ntitle: Ok\nsource: https://example.org/ok\n---\nbody\n' >bad/ok/index.md
expect_exit 1 "$ARTBAG" pack bad -o out/bad.tar.gz
assert_contains "$ERR" "'bad/post/a\\x09b.html': 'a\\x09b.html': attachment name contains a control character" "bad name"
[ ! -e out/bad.tar.gz ] || fail "a bundle was left after a refused page bundle"
expect_exit 1 "$ARTBAG" pack bad -o out/bad.tar.gz --skip-bad
assert_contains "$ERR" "(skipped)" "--skip-bad passes over the page bundle"
expect_exit 0 "$ARTBAG" verify out/bad.tar.gz
case "$(ls -A out)" in *artbag-tmp* | *artbag-spool*) fail "a temporary file was left behind" ;; esac
echo ok
