#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Issue 15: every capture-tool shape in tests/fixtures/shapes/ packs into a bundle whose
# metadata.json holds what NAME.expected.json says (url as source_url; a field absent there is
# absent, or null for the keys schema 1.0 always writes), validates against the schema, and
# verifies. The optional fields are profile bundle-1.2's: a bag naming bundle-1.1 may not carry
# them, nor RFC 3339 dates.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SHAPES=$ARTBAG_SRC/tests/fixtures/shapes
n=0
for md in "$SHAPES"/*.md; do
    name=$(basename "$md" .md)
    [ "$name" = README ] && continue
    exp=$SHAPES/$name.expected.json
    n=$((n + 1))
    flags=()
    # A shape that gives no URL needs one from the command line, as the archivist would give.
    "$PY" -c 'import json,sys; sys.exit(0 if "url" in json.load(open(sys.argv[1])) else 1)' "$exp" ||
        flags=(--url https://archive.example/given)
    if ! "$PY" -c 'import json,sys; sys.exit(0 if "title" in json.load(open(sys.argv[1])) else 1)' "$exp"; then
        note "$name: no title, refused"
        expect_exit 1 "$ARTBAG" pack "$md" -o "$name.tar.gz" "${flags[@]}" -q
        assert_contains "$ERR" "'$md': no title found; pass --title" "$name"
        [ -e "$name.tar.gz" ] && fail "$name: a bundle was written"
        continue
    fi
    note "$name"
    pack_ok "$md" "$name.tar.gz" --mtime 1419206400 "${flags[@]}" -q
    validate_metadata "$BAG/data/metadata.json"
    expect_exit 0 "$ARTBAG" verify "$name.tar.gz"
    "$PY" - "$exp" "$BAG/data/metadata.json" "${#flags[@]}" <<'EOF' || fail "$name: metadata.json differs"
import json, sys
exp = json.load(open(sys.argv[1], encoding="utf-8"))
got = json.load(open(sys.argv[2], encoding="utf-8"))
url_given = sys.argv[3] != "0"
fields = ["title", "url", "byline", "published", "modified", "retrieved", "description",
          "language", "site_name", "captured_with", "authors", "tags"]
bad = []
for f in fields:
    key = "source_url" if f == "url" else f
    want = exp.get(f)
    if f == "url" and url_given:
        want = "https://archive.example/given"
    have = got.get(key)
    if have != want:
        bad.append("%s: expected %s, got %s" % (key, json.dumps(want, ensure_ascii=False),
                                                json.dumps(have, ensure_ascii=False)))
for b in bad:
    print("metadata.json " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
done
[ "$n" -ge 19 ] || fail "only $n fixtures in $SHAPES"

note "bundle-1.1 may not carry the new fields; bundle-1.2 may"
pack_ok "$SHAPES/hugo-yaml.md" hugo.tar.gz --url https://archive.example/hugo -q
expect_exit 0 "$ARTBAG" verify "$BAG"
rehash() {
    (cd "$BAG" && sha256sum data/article.md data/metadata.json >manifest-sha256.txt &&
        sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt) ||
        fail "sha256sum"
}
sed -i 's/bagit-profile:bundle-1.2/bagit-profile:bundle-1.1/' "$BAG/bag-info.txt"
rehash
expect_exit 1 "$ARTBAG" verify "$BAG"
assert_contains "$OUT" 'unknown key "authors"' "1.1 and authors"
assert_contains "$OUT" '"published" must be YYYY-MM-DD or null' "1.1 and an RFC 3339 date"

note "bundle-1.2: the new fields are checked"
pack_ok "$SHAPES/hugo-yaml.md" hugo2.tar.gz --url https://archive.example/hugo -q
"$PY" - "$BAG/data/metadata.json" <<'EOF' || fail "python"
import json, sys
p = sys.argv[1]
d = json.load(open(p, encoding="utf-8"))
d["authors"] = []
d["modified"] = "2024-05-23T09:00:00"
d["language"] = ""
json.dump(d, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
EOF
rehash
expect_exit 1 "$ARTBAG" verify "$BAG"
assert_contains "$OUT" '"authors" must be a non-empty array' "empty authors"
assert_contains "$OUT" '"modified" must be YYYY-MM-DD or RFC 3339 with a zone' "zone-less time"
assert_contains "$OUT" '"language" must be a non-empty string' "empty language"

note "a Cyrillic title and a Chinese URL make readable slugs, not percent-escapes"
mkdir -p col
cp "$SHAPES/jina-reader.md" col/
# The TOML article with a source whose path names nothing, so its title makes the slug.
sed "2i source = 'https://example.ru/'" "$SHAPES/hugo-toml.md" >col/hugo-toml.md
expect_exit 0 "$ARTBAG" pack col -o col.tar.gz -q
tar -tzf col.tar.gz >list.txt || fail "tar"
grep -qx 'col/data/干旱预警/article.md' list.txt || fail "no Chinese slug: $(cat list.txt)"
# (slugs stop at 80 bytes, so the title's end is cut, at a character boundary)
grep -qx 'col/data/как-в-новосибирске-спасают-старые-киноплён/article.md' list.txt ||
    fail "no Cyrillic slug: $(cat list.txt)"
expect_exit 0 "$ARTBAG" verify col.tar.gz
