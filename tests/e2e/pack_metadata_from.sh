#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# pack --metadata-from (issue 15): per-article values for a collection or --each, from CSV or
# JSON Lines keyed by each article's path, checked in the bags with tar, python and sha256sum.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

P='artbag: pack:'
mkdir arts out
cp "$ARTBAG_SEED" arts/seed.md
printf -- '---\ntitle: Second story\nurl: https://example.org/news/second\ndate: 2019-05-04\n---\nbody\n' >arts/second.md
printf '# Third story\n\nNo citation, so no source URL of its own.\n' >arts/third.md
cat >m.csv <<'CSV'
path,url,title,date,byline,description
arts/third.md,https://example.org/news/third,"Third, with ""quotes""",2021-03-04,By Ann Lee and Bob Roe,"Two lines,
of description"
arts/second.md,,,2020-02-29,,
gone/missing.md,https://example.org/gone,,,,
CSV
sha256sum m.csv arts/* >"$T/inputs.sha256"

note "a directory: the rows fill and override, the unmatched row is named, the count is said"
expect_exit 0 "$ARTBAG" pack arts -o c.tar.gz --metadata-from m.csv --mtime 0
assert_contains "$ERR" "$P warning: 'm.csv': no article 'gone/missing.md' for its row" "unmatched"
assert_contains "$ERR" "$P metadata from 'm.csv': 2 of 3 rows matched" "count"
mkdir x && tar -xzf c.tar.gz -C x || fail "tar could not extract c.tar.gz"
(cd x/c && sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt) ||
    fail "sha256sum -c on c.tar.gz"
"$PY" - x/c/data <<'PY' || fail "metadata.json does not hold the table's values"
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
m = {p.parent.name: json.loads(p.read_text()) for p in d.glob("*/metadata.json")}
assert sorted(m) == ["2014-12-china-condemns-cyber-terrorism-sony", "second", "third"], sorted(m)
t = m["third"]
assert t["title"] == 'Third, with "quotes"', t
assert t["source_url"] == "https://example.org/news/third" and t["published"] == "2021-03-04", t
assert t["byline"] == "By Ann Lee and Bob Roe" and t["authors"] == ["Ann Lee", "Bob Roe"], t
assert t["description"] == "Two lines,\nof description", t
s = m["second"]  # empty cells keep the article's own; the date is the table's
assert s["title"] == "Second story" and s["source_url"] == "https://example.org/news/second", s
assert s["published"] == "2020-02-29", s
seed = m["2014-12-china-condemns-cyber-terrorism-sony"]  # no row: untouched
assert seed["published"] == "2014-12-22", seed
cat = [json.loads(l) for l in (d / "catalog.jsonl").read_text().splitlines()]
assert {c["slug"]: c["title"] for c in cat}["third"] == 'Third, with "quotes"', cat
PY
"$ARTBAG" verify c.tar.gz >/dev/null || fail "artbag verify c.tar.gz"

note "without the table, the third article has no source URL and the pack fails"
expect_exit 1 "$ARTBAG" pack arts -o out/no.tar.gz
assert_contains "$ERR" "'arts/third.md': no source URL found; pass --url" "no table"

note "-T lists: the path as the list gives it; -q keeps the count quiet unless a row is lost"
printf 'arts/third.md\narts/second.md\n' >list
sed 's#^gone/missing.md.*##' m.csv >m2.csv
expect_exit 0 "$ARTBAG" pack -T list -o t.tar.gz --metadata-from m2.csv -q
assert_eq "" "$ERR" "stderr with -q and every row matched"
expect_exit 0 "$ARTBAG" pack -T list -o t2.tar.gz --metadata-from m.csv -q
assert_eq "$P warning: 'm.csv': no article 'gone/missing.md' for its row
$P metadata from 'm.csv': 2 of 3 rows matched" "$ERR" "stderr with -q and a row lost"

note "--each with JSON Lines (by content, any extension), authors as a list"
printf '{"path": "arts/third.md", "url": "https://example.org/news/third", "authors": ["A B", "C D"]}\n\n{"path": "arts/second.md", "title": "Second, retitled"}\n' >m.txt
expect_exit 0 "$ARTBAG" pack --each arts/third.md arts/second.md -O each --metadata-from m.txt -j 2
assert_contains "$ERR" "$P metadata from 'm.txt': 2 of 2 rows matched" "each count"
assert_eq "second.tar.gz third.tar.gz " "$(listing each)" "--each bundles"
mkdir e && tar -xzf each/third.tar.gz -C e && tar -xzf each/second.tar.gz -C e ||
    fail "tar could not extract the --each bundles"
assert_eq '["A B", "C D"]' "$(json_get e/third/data/metadata.json authors)" "authors"
assert_eq '"Second, retitled"' "$(json_get e/second/data/metadata.json title)" "each title"
assert_eq "https://example.org/news/third" "$(bag_info_value e/third External-Identifier)" "each url"
(cd e/third && sha256sum --quiet -c manifest-sha256.txt) || fail "sha256sum -c on third.tar.gz"

note "a bad table is refused before anything is written: file and line named"
bad() { # CODE MESSAGE TABLE-CONTENT
    printf '%b' "$3" >bad.csv
    expect_exit "$1" "$ARTBAG" pack arts -o out/bad.tar.gz --metadata-from bad.csv
    assert_eq "$2" "$(head -n 1 "$T/stderr")" "message for [$3]"
    assert_eq "" "$(listing out)" "output directory after a bad table"
}
bad 1 "$P 'bad.csv': line 2: invalid URL 'example.org/x': expected an absolute URL such as https://..." \
    'path,url\narts/third.md,example.org/x\n'
bad 1 "$P 'bad.csv': line 3: invalid date '2021-02-30': expected YYYY-MM-DD" \
    'path,date\narts/seed.md,2021-02-03\narts/third.md,2021-02-30\n'
bad 1 "$P 'bad.csv': line 1: unknown column 'titel' (known: path, url, title, date, byline, authors, description, language, rights, credit, site_name, retrieved, modified)" \
    'path,titel\narts/third.md,x\n'
bad 1 "$P 'bad.csv': line 2: 3 fields, the header has 2" 'path,title\narts/third.md,a,b\n'
bad 1 "$P 'bad.csv': line 3: 'arts/third.md' has a row already" \
    'path,title\narts/third.md,A\narts/third.md,B\n'
bad 1 "$P 'bad.csv': line 2: 'title' contains a line break" 'path,title\narts/third.md,"a\nb"\n'
bad 1 "$P 'bad.csv': line 2: a quoted field is still open at the end" 'path,title\narts/third.md,"a\n'
expect_exit 3 "$ARTBAG" pack arts -o out/bad.tar.gz --metadata-from nosuch.csv
assert_eq "$P 'nosuch.csv': No such file or directory" "$(head -n 1 "$T/stderr")" "missing table"

note "one article takes --url/--title/--date, not a table"
expect_exit 2 "$ARTBAG" pack arts/third.md -o out/one.tar.gz --metadata-from m.csv
assert_eq "$P --metadata-from is for several articles; for one, pass --url, --title and --date" \
    "$(head -n 1 "$T/stderr")" "one article"
assert_eq "" "$(listing out)" "output directory after the refusals"
sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed"
echo ok
