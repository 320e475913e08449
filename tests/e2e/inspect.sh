#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag inspect says what pack would record, and every warning, without writing a bundle: its
# metadata is byte for byte what pack writes into data/metadata.json (compared with python3's
# json), its verdict is pack's, and it never writes a file.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SHAPES=$ARTBAG_SRC/tests/fixtures/shapes
# The harness keeps its own files in $T; the articles live apart, so that nothing new appears.
mkdir w && cd w || fail "mkdir"
cp "$SHAPES/trafilatura-2.1.md" "$SHAPES/obsidian-web-clipper.md" "$SHAPES/hugo-toml.md" \
    "$SHAPES/markdownload-no-frontmatter.md" .
cp "$ARTBAG_SEED" seed.md
printf '\xff\xfe not UTF-8\n' >bad.md
before=$(listing .)

note "--json: one object per article; valid ones exit 0"
expect_exit 0 "$ARTBAG" inspect --json trafilatura-2.1.md obsidian-web-clipper.md seed.md
assert_eq 3 "$(wc -l <"$T/stdout")" "one line per article"
"$PY" - "$T/stdout" <<'PYEOF' || fail "inspect --json"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [l["path"] for l in lines] == ["trafilatura-2.1.md", "obsidian-web-clipper.md", "seed.md"]
t, o, s = lines
for l in lines:
    assert list(l) == ["path", "valid", "problem", "warnings", "metadata"], list(l)
    assert l["valid"] is True and l["problem"] is None, l
assert t["warnings"] == ["front matter is not valid YAML; read line by line"], t["warnings"]
assert t["metadata"]["captured_with"] == "trafilatura"
assert t["metadata"]["authors"] == ["Ana Lúcia Ferreira", "Tomás Oliveira"]
assert o["warnings"] == [] and o["metadata"]["title"] == 'China condemns "cyber terrorism" after Sony attack'
assert s["metadata"]["title"] == "China condemns 'cyber terrorism' in wake of Sony attack"
PYEOF

note "what inspect shows is what pack writes"
for a in trafilatura-2.1.md obsidian-web-clipper.md seed.md; do
    expect_exit 0 "$ARTBAG" inspect --json "$a"
    echo "$OUT" >"$a.inspect"
    pack_ok "$a" "p-${a%.md}.tar.gz" -q
    "$PY" - "$a.inspect" "$BAG/data/metadata.json" <<'PYEOF' || fail "$a: inspect and pack disagree"
import json, sys
i = json.load(open(sys.argv[1], encoding="utf-8"))["metadata"]
p = json.load(open(sys.argv[2], encoding="utf-8"))
assert i == p and list(i) == list(p), (i, p)
PYEOF
done
rm -f p-*.tar.gz ./*.inspect

note "invalid articles: exit 1, the reason, the warnings, the fields that were read"
expect_exit 1 "$ARTBAG" inspect --json hugo-toml.md markdownload-no-frontmatter.md bad.md seed.md
"$PY" - "$T/stdout" <<'PYEOF' || fail "inspect --json, invalid"
import json, sys
h, m, b, s = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert h["valid"] is False and h["problem"] == "'hugo-toml.md': no source URL found", h
assert h["metadata"]["published"] == "2024-05-21T10:32:00+07:00"
assert m["valid"] is False and m["warnings"] == ["no title found"], m
assert m["metadata"]["title"] is None
assert b["valid"] is False and b["metadata"] is None
assert b["problem"] == "'bad.md': invalid UTF-8 at byte offset 0", b["problem"]
assert s["valid"] is True
PYEOF
note "text output"
expect_exit 1 "$ARTBAG" inspect trafilatura-2.1.md hugo-toml.md
assert_contains "$OUT" "trafilatura-2.1.md: valid" "verdict"
assert_contains "$OUT" "  captured with: trafilatura" "tool"
assert_contains "$OUT" "  authors:       Ana Lúcia Ferreira; Tomás Oliveira" "authors"
assert_contains "$OUT" "  warning:       'trafilatura-2.1.md': front matter is not valid YAML; read line by line" "warning"
assert_contains "$OUT" "hugo-toml.md: invalid" "invalid verdict"
assert_contains "$OUT" "  problem:       'hugo-toml.md': no source URL found" "problem"

note "--url, --title, --date as pack takes them, for one article"
expect_exit 0 "$ARTBAG" inspect --json --url https://example.org/ferry --date 2020-02-29 hugo-toml.md
assert_contains "$OUT" '"source_url":"https://example.org/ferry"' "--url"
assert_contains "$OUT" '"published":"2020-02-29"' "--date"
expect_exit 2 "$ARTBAG" inspect --url https://example.org/ hugo-toml.md seed.md
assert_contains "$ERR" "describe one article" "--url with two"
expect_exit 2 "$ARTBAG" inspect --date 2020-02-30 seed.md
expect_exit 2 "$ARTBAG" inspect
expect_exit 2 "$ARTBAG" inspect --nope seed.md
expect_exit 0 "$ARTBAG" inspect -h
assert_contains "$OUT" "usage: artbag inspect" "help"

note "standard input; a missing file is exit 3 and the others are still inspected"
expect_exit_stdin 0 seed.md "$ARTBAG" inspect --json -
assert_contains "$OUT" '"path":"-"' "stdin"
expect_exit 3 "$ARTBAG" inspect --json missing.md seed.md
assert_contains "$ERR" "'missing.md': No such file or directory" "missing"
assert_contains "$OUT" '"path":"seed.md"' "the next article"

note "inspect wrote nothing"
assert_eq "$before" "$(listing .)" "directory unchanged"
