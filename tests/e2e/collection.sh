#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Collections: many articles into one bag (data/<slug>/..., data/catalog.jsonl) checked with GNU
# tar and sha256sum; --each into one bundle per article on several threads; -T lists with and
# without --null; --skip-bad; and verify -r / -j over the results, in input order.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p in/a/b out each
cp "$ARTBAG_SEED" in/seed.md
cp "$FIXTURES/byline.md" "$FIXTURES/bold-citation.md" "$FIXTURES/non-ascii.md" in/a/
cp "$FIXTURES/crlf.md" "$FIXTURES/bom.md" in/a/b/
cp "$FIXTURES/bold-citation.md" in/a/b/same-url.md # same source URL: its slug gets -2
echo "not an article" >in/a/notes.txt              # not *.md: not taken
sha256sum -b $(find in -type f | sort) >inputs.sha256

note "a directory becomes one collection bag"
expect_exit 0 "$ARTBAG" pack in -o out/coll.tar.gz --mtime 1419206400 --org "Test Archive"
assert_contains "$OUT" "packed 7 articles into 'out/coll.tar.gz'" "summary"
tar -xzf out/coll.tar.gz -C out || fail "GNU tar cannot extract the collection"
# Only the bag and data/ are directory entries; GNU tar made the articles' directories itself.
assert_eq "coll/ coll/data/" "$(tar -tvzf out/coll.tar.gz | awk '$1 ~ /^d/ { print $6 }' | tr '\n' ' ' | sed 's/ $//')" \
    "directory entries of a collection"
(cd out/coll && sha256sum --strict -c manifest-sha256.txt tagmanifest-sha256.txt >/dev/null) ||
    fail "sha256sum -c rejects the collection"
"$PY" - out/coll in <<'PY' || fail "collection layout"
import hashlib, json, os, sys
bag, src = sys.argv[1:3]
lines = [json.loads(l) for l in open(os.path.join(bag, "data/catalog.jsonl"), encoding="utf-8")]
assert len(lines) == 7, len(lines)
slugs = [l["slug"] for l in lines]
assert len(set(slugs)) == 7, slugs
assert "2014-12-china-condemns-cyber-terrorism-sony" in slugs, slugs
dup = [s for s in slugs if s.endswith("-2")]
assert len(dup) == 1, slugs
for l in lines:
    d = os.path.join(bag, "data", l["slug"])
    art = open(os.path.join(d, "article.md"), "rb").read()
    meta = json.load(open(os.path.join(d, "metadata.json"), encoding="utf-8"))
    assert hashlib.sha256(art).hexdigest() == l["sha256"] == meta["article"]["sha256"]
    assert meta["article"]["path"] == "data/%s/article.md" % l["slug"], meta["article"]
    assert meta["title"] == l["title"] and meta["source_url"] == l["source_url"]
# every input article is in the bag byte for byte
want = sorted(hashlib.sha256(open(os.path.join(r, f), "rb").read()).hexdigest()
              for r, _, fs in os.walk(src) for f in fs if f.endswith(".md"))
assert sorted(l["sha256"] for l in lines) == want
info = open(os.path.join(bag, "bag-info.txt"), encoding="utf-8").read()
assert "BagIt-Profile-Identifier: tag:artbag.org,2026:bagit-profile:collection-1.1" in info
assert "Source-Organization: Test Archive" in info
PY
# Tag files come before the payload, so verify needs one pass.
first_data=$(tar -tzf out/coll.tar.gz | grep -n '^coll/data/' | head -1 | cut -d: -f1)
last_tag=$(tar -tzf out/coll.tar.gz | grep -n '^coll/[^/]*\.txt$' | tail -1 | cut -d: -f1)
[ "$last_tag" -lt "$first_data" ] || fail "tag files do not precede data/"
expect_exit 0 "$ARTBAG" verify out/coll.tar.gz
assert_contains "$OUT" "15 files" "verify counts 7x2 files and the catalog"

note "slugs made unique in input order: -2, -3, ..., passing over names an article already took"
mkdir -p slugs/in
for i in 1 2 3 4 5; do
    printf -- '---\ntitle: Story %d\nsource: https://example.org/news/story\n---\n\nText %d.\n' "$i" "$i" \
        >"slugs/in/a$i.md"
done
# a0 takes "story-3" as its own slug before any duplicate of "story" needs it
printf -- '---\ntitle: Other\nsource: https://example.org/news/story-3\n---\n\nText.\n' >slugs/in/a0.md
expect_exit 0 "$ARTBAG" pack slugs/in -o slugs/s.tar.gz -q
got=$(tar -xzOf slugs/s.tar.gz s/data/catalog.jsonl | $PY -c '
import json, sys
print(" ".join(json.loads(l)["slug"] for l in sys.stdin))')
assert_eq "story-3 story story-2 story-4 story-5 story-6" "$got" "slugs of a0.md, a1.md ... a5.md"

note "the same input gives the same bytes, whatever -j"
mkdir out/j1 out/j2
expect_exit 0 "$ARTBAG" pack in -o out/j1/coll.tar.gz --mtime 1419206400 --org "Test Archive" -j 1 -q
expect_exit 0 "$ARTBAG" pack in -o out/j2/coll.tar.gz --mtime 1419206400 --org "Test Archive" -j 2 -q
cmp out/j1/coll.tar.gz out/j2/coll.tar.gz || fail "-j 1 and -j 2 differ"
cmp out/j1/coll.tar.gz out/coll.tar.gz || fail "-j 1 and the default differ"

note "progress: on stderr when asked (and by default only on a terminal)"
mkdir out/p
expect_exit 0 "$ARTBAG" pack in -o out/p/a.tar.gz -q --progress=always
assert_contains "$ERR" "pack: 7/7," "final progress line"
expect_exit 0 "$ARTBAG" pack in -o out/p/b.tar.gz -q
assert_stderr_empty
expect_exit 2 "$ARTBAG" pack in -o out/p/c.tar.gz --progress=sometimes

note "-T lists, newline and NUL separated; --glob"
find in -name '*.md' | sort >list.txt
expect_exit 0 "$ARTBAG" pack -T list.txt -o out/list.tar.gz -q
find in -name '*.md' -print0 | sort -z >list0
expect_exit 0 "$ARTBAG" pack -T - --null -o out/list0.tar.gz -q <list0
expect_exit 3 "$ARTBAG" pack -T no-such-list -o out/x.tar.gz
assert_contains "$ERR" "'no-such-list': No such file or directory" "missing list"
expect_exit 3 "$ARTBAG" pack -T in -o out/x.tar.gz
assert_contains "$ERR" "'in': read failed" "list that is a directory"
expect_exit 0 "$ARTBAG" pack in --glob 'b*.md' -o out/glob.tar.gz
assert_contains "$OUT" "packed 3 articles" "--glob b*.md takes byline, bold-citation, bom"

note "a bad article stops the pack, or with --skip-bad is named and passed over"
mkdir bad && cp in/seed.md bad/ && printf '# T\n\377\n' >bad/broken.md
expect_exit 1 "$ARTBAG" pack bad -o out/bad.tar.gz
assert_contains "$ERR" "'bad/broken.md': invalid UTF-8" "stop message"
[ -e out/bad.tar.gz ] && fail "a stopped pack left a bundle"
expect_exit 1 "$ARTBAG" pack bad -o out/bad.tar.gz --skip-bad
assert_contains "$ERR" "'bad/broken.md': invalid UTF-8 at byte offset 4 (skipped)" "skip message"
assert_contains "$ERR" "1 articles skipped" "skip count"
expect_exit 0 "$ARTBAG" verify out/bad.tar.gz

note "--each: one bundle per article, named by slug"
expect_exit 0 "$ARTBAG" pack --each in -O each -j 2 --mtime 1419206400
assert_contains "$OUT" "packed 7 articles into 'each'" "--each summary"
assert_eq 7 "$(ls each/*.tar.gz | wc -l)" "bundles made"
[ -f each/2014-12-china-condemns-cyber-terrorism-sony.tar.gz ] || fail "slug-named bundle"
mkdir each1 && expect_exit 0 "$ARTBAG" pack --each in -O each1 -j 1 --mtime 1419206400 -q
for f in each/*.tar.gz; do cmp "$f" "each1/$(basename "$f")" || fail "--each -j 1/-j 2 differ: $f"; done
expect_exit 3 "$ARTBAG" pack --each in -O each -j 2 # bundles exist: not the articles' fault
assert_contains "$ERR" "already exists" "--each refuses to overwrite"
expect_exit 2 "$ARTBAG" pack --each in -o x.tar.gz
expect_exit 2 "$ARTBAG" pack in -O each

note "verify -r and -j: every bundle, results in input order"
cp out/coll.tar.gz each/zz-collection.tar.gz
# not a bundle at all: could not check, exit 3 (issue 12), and the others still reported
printf 'junk' >each/zz-junk.tar.gz
expect_exit 3 "$ARTBAG" verify -r each -j 2 --json
"$PY" - "$T/stdout" <<'PY' || fail "verify -r -j"
import json, sys
b = json.load(open(sys.argv[1]))["bundles"]
paths = [x["path"] for x in b]
assert paths == sorted(paths), paths
assert len(b) == 9, len(b)
assert [x["valid"] for x in b].count(False) == 1 and not b[-1]["valid"], [x["valid"] for x in b]
PY
expect_exit 3 "$ARTBAG" verify -r each -j 1 -q
assert_contains "$ERR" "'each/zz-junk.tar.gz': not an archive or bag" "-q says the failure"
[ "$(grep -c '^OK' "$T/stdout")" -eq 0 ] || fail "-q printed OK lines"

note "inputs untouched"
sha256sum -c --quiet inputs.sha256 || fail "an input changed"
