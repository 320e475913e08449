#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Bag-info hygiene and collections (issue 15): --meta cannot give a label artbag writes itself,
# a front-matter title with a line break or NUL makes the article invalid (never a cut-short
# title), and per-article --url/--title/--date are refused when they would overwrite every
# article's own value.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

P='artbag: pack:'
mkdir in out
cp "$ARTBAG_SEED" in/good.md
cp "$ARTBAG_SEED" in/other.md
printf -- '---\ntitle: "a\\nb"\nurl: https://example.org/x\n---\nbody\n' >in/nl.md
printf -- '---\ntitle: "a\\rb"\nurl: https://example.org/x\n---\nbody\n' >in/cr.md
printf -- '---\ntitle: "a\\0b"\nurl: https://example.org/x\n---\nbody\n' >in/nul.md
printf -- '---\ntitle: "a\\x00b"\nurl: https://example.org/x\n---\nbody\n' >in/nul-x.md
printf -- '---\ntitle: "a\\tb"\nurl: https://example.org/x\n---\nbody\n' >in/tab.md
printf -- '---\ntitle: |\n  first\n  second\nurl: https://example.org/x\n---\nbody\n' >in/block.md
printf -- '---\ntitle: "a\\u0001b"\nurl: https://example.org/x\n---\nbody\n' >in/ctl.md
printf -- '---\ntitle: T\nauthor: ["Ann\\0 Lee"]\nurl: https://example.org/x\n---\nbody\n' >in/nul-author.md
printf -- '---\ntitle: T\nauthor: {name: "Ann\\0 Lee"}\nurl: https://example.org/x\n---\nbody\n' >in/nul-name.md
sha256sum in/* >"$T/inputs.sha256"

# refuse CODE MESSAGE [pack args...]: exit CODE, first stderr line MESSAGE, nothing written,
# inputs unchanged; a usage error also points at the help.
refuse() {
    local code=$1 msg=$2 before
    shift 2
    before=$(listing out)
    expect_exit "$code" "$ARTBAG" pack "$@"
    assert_stdout_empty
    assert_eq "$msg" "$(head -n 1 "$T/stderr")" "message of 'artbag pack $*'"
    if [ "$code" = 2 ]; then
        assert_eq "Try 'artbag pack --help'." "$(sed -n 2p "$T/stderr")" "help pointer of $*"
    fi
    assert_eq "$before" "$(listing out)" "output directory after 'artbag pack $*'"
    sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed after 'artbag pack $*'"
}

note "--meta refuses every label artbag writes, whatever its case, naming what sets it"
L="bag-info label"
refuse 2 "$P $L 'External-Identifier' is written by artbag itself; --meta cannot give it: pass --url" \
    in/good.md -o out/x.tar.gz --meta External-Identifier=https://example.org/other
refuse 2 "$P $L 'external-description' is written by artbag itself; --meta cannot give it: pass --title" \
    in/good.md -o out/x.tar.gz --meta external-description=X
refuse 2 "$P $L 'SOURCE-ORGANIZATION' is written by artbag itself; --meta cannot give it: pass --org" \
    in/good.md -o out/x.tar.gz --meta SOURCE-ORGANIZATION=X
refuse 2 "$P $L 'Bagging-Date' is written by artbag itself; --meta cannot give it: pass --mtime" \
    in/good.md -o out/x.tar.gz --meta Bagging-Date=2020-01-01
for label in Payload-Oxum payload-oxum Bag-Software-Agent BagIt-Profile-Identifier; do
    refuse 2 "$P $L '$label' is written by artbag itself; --meta cannot give it" \
        in/good.md -o out/x.tar.gz --meta "$label=1"
done
note "the same for collections and --each"
refuse 2 "$P $L 'Payload-Oxum' is written by artbag itself; --meta cannot give it" \
    in/good.md in/other.md -o out/c.tar.gz --meta Payload-Oxum=1.1
refuse 2 "$P $L 'Payload-Oxum' is written by artbag itself; --meta cannot give it" \
    --each in/good.md -O out --meta Payload-Oxum=1.1
note "a label that merely looks alike is the user's own, kept in bag-info.txt"
expect_exit 0 "$ARTBAG" pack in/good.md -o ok.tar.gz -q --meta External-Identifier-Note=n \
    --meta Bag-Group-Identifier=g
mkdir ok && tar -xzf ok.tar.gz -C ok || fail "tar could not extract ok.tar.gz"
assert_eq "n" "$(bag_info_value ok/ok External-Identifier-Note)" "extra label"
assert_eq "g" "$(bag_info_value ok/ok Bag-Group-Identifier)" "Bag-Group-Identifier"
assert_eq 1 "$(grep -ci '^Payload-Oxum:' ok/ok/bag-info.txt)" "one Payload-Oxum"
(cd ok/ok && sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt) ||
    fail "sha256sum -c on ok.tar.gz"

note "a front-matter title with a line break, a NUL or a control character is an invalid article"
refuse 1 "$P 'in/nl.md': the title contains a line break; pass --title" in/nl.md -o out/x.tar.gz
refuse 1 "$P 'in/cr.md': the title contains a line break; pass --title" in/cr.md -o out/x.tar.gz
refuse 1 "$P 'in/block.md': the title contains a line break; pass --title" in/block.md -o out/x.tar.gz
refuse 1 "$P 'in/tab.md': the title contains a control character; pass --title" in/tab.md -o out/x.tar.gz
refuse 1 "$P 'in/ctl.md': the title contains a control character; pass --title" in/ctl.md -o out/x.tar.gz
for f in nul nul-x; do
    refuse 1 "$P 'in/$f.md': front matter value of 'title' contains a NUL character; pass --title" \
        "in/$f.md" -o out/x.tar.gz
done
note "a NUL anywhere else in YAML front matter: an invalid article, no name cut short"
for f in nul-author nul-name; do
    refuse 1 "$P 'in/$f.md': front matter holds a NUL character" "in/$f.md" -o out/x.tar.gz
done
note "in a collection too, and --skip-bad names it and goes on"
refuse 1 "$P 'in/nul.md': front matter value of 'title' contains a NUL character; pass --title" \
    in/good.md in/nul.md -o out/c.tar.gz
expect_exit 1 "$ARTBAG" pack in/good.md in/nl.md -o skip.tar.gz --skip-bad -q
assert_contains "$ERR" "$P 'in/nl.md': the title contains a line break; pass --title (skipped)" "skip"
note "--title mends it, and the title is the one given"
expect_exit 0 "$ARTBAG" pack in/nl.md -o mended.tar.gz -q --title "A mended title"
mkdir m && tar -xzf mended.tar.gz -C m || fail "tar could not extract mended.tar.gz"
assert_eq '"A mended title"' "$(json_get m/mended/data/metadata.json title)" "mended title"

note "per-article values are refused when they would overwrite every article's own"
W="is one article's; with"
refuse 2 "$P --url $W --each it would replace every article's own (give each its own with --metadata-from FILE)" \
    --each in/good.md in/other.md -O out --url https://example.org/x
refuse 2 "$P --title $W --each it would replace every article's own (give each its own with --metadata-from FILE)" \
    --each in/good.md -O out --title T
refuse 2 "$P --date $W --each it would replace every article's own (give each its own with --metadata-from FILE)" \
    --each in/good.md -O out --date 2020-01-01
refuse 2 "$P --date $W several articles it would replace every article's own (give each its own with --metadata-from FILE)" \
    in/good.md in/other.md -o out/c.tar.gz --date 2020-01-01
refuse 2 "$P --date $W several articles it would replace every article's own (give each its own with --metadata-from FILE)" \
    in -o out/c.tar.gz --date 2020-01-01
printf 'in/good.md\n' >list
refuse 2 "$P --date $W several articles it would replace every article's own (give each its own with --metadata-from FILE)" \
    -T list -o out/c.tar.gz --date 2020-01-01

note "a collection's --url and --title are its own, and every article keeps its values"
mkdir arts && cp "$ARTBAG_SEED" arts/a.md &&
    printf -- '---\ntitle: Second story\nurl: https://example.org/news/second\ndate: 2019-05-04\n---\nbody\n' >arts/b.md
expect_exit 0 "$ARTBAG" pack arts -o coll.tar.gz -q --url https://example.org/c --title "The collection"
mkdir c && tar -xzf coll.tar.gz -C c || fail "tar could not extract coll.tar.gz"
assert_eq "https://example.org/c" "$(bag_info_value c/coll External-Identifier)" "collection id"
assert_eq "The collection" "$(bag_info_value c/coll External-Description)" "collection description"
"$PY" - c/coll/data <<'PY' || fail "articles lost their own values in the collection"
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
m = {p.parent.name: json.loads(p.read_text()) for p in d.glob("*/metadata.json")}
b = [v for v in m.values() if v["title"] == "Second story"]
assert len(m) == 2 and len(b) == 1, m
assert b[0]["source_url"] == "https://example.org/news/second" and b[0]["published"] == "2019-05-04", b
assert all(v["title"] != "The collection" and v["source_url"] != "https://example.org/c" for v in m.values())
PY
(cd c/coll && sha256sum --quiet -c manifest-sha256.txt) || fail "sha256sum -c on coll.tar.gz"
echo ok
