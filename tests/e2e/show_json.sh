#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag show --json prints one document that matches manifests/show.schema.json (checked with
# Python's jsonschema, keys in the schema's order) for artbag's bundles, signed or not, and for
# every other tool's bag the verify tests use, read from an archive, a directory or standard input; and the
# schema is strict enough to reject documents that break its promises.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SHOW_SCHEMA=$ARTBAG_SRC/manifests/show.schema.json
[ -r "$SHOW_SCHEMA" ] || fail "no schema at '$SHOW_SCHEMA'"

# show_schema_ok FILE [artbag]: FILE is one JSON document valid against show.schema.json, with
# every object's keys in the order the schema lists them; with "artbag", its metadata also
# follows metadata.schema.json (keys in that schema's order).
show_schema_ok() {
    "$PY" - "$SHOW_SCHEMA" "$SCHEMA" "$@" <<'PYEOF' || fail "'$1' does not validate against show.schema.json"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
meta_schema = json.load(open(sys.argv[2], encoding="utf-8"))
doc = json.load(open(sys.argv[3], encoding="utf-8"))
is_artbag = len(sys.argv) > 4 and sys.argv[4] == "artbag"
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = [("/".join(map(str, e.path)) or "(root)") + ": " + e.message
          for e in cls(schema).iter_errors(doc)]
def order(obj, sch, where):
    props = list(sch.get("properties", {}))
    if isinstance(obj, dict) and list(obj) != [k for k in props if k in obj]:
        errors.append("%s: keys in order %s, schema says %s" % (where, list(obj), props))
order(doc, schema, "(root)")
for i, e in enumerate(doc.get("bag_info", [])):
    order(e, schema["$defs"]["element"], "bag_info/%d" % i)
for i, f in enumerate(doc.get("files", [])):
    order(f, schema["$defs"]["file"], "files/%d" % i)
for i, g in enumerate(doc.get("signatures", [])):
    order(g, schema["$defs"]["signature"], "signatures/%d" % i)
if is_artbag:
    if not isinstance(doc.get("metadata"), dict):
        errors.append("metadata: an artbag bundle's is an object")
    else:
        mcls = jsonschema.validators.validator_for(meta_schema)
        errors += ["metadata/" + "/".join(map(str, e.path)) + ": " + e.message
                   for e in mcls(meta_schema).iter_errors(doc["metadata"])]
        order(doc["metadata"], meta_schema, "metadata")
for e in errors:
    print("schema: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
}

# show_json_check FILE EXPR...: each Python expression is true of the document d in FILE, with
# files the payload entries by path and info the bag-info elements as (label, value) pairs.
show_json_check() {
    "$PY" - "$@" <<'PYEOF' || fail "show --json output in '$1' fails: ${*:2}"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
files = {f["path"]: f for f in d["files"]}
info = [(e["label"], e["value"]) for e in d["bag_info"]]
bad = [e for e in sys.argv[2:] if not eval(e)]
if bad:
    print("not true: %s\nof: %s" % (bad, json.dumps(d, indent=1, ensure_ascii=False)), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}

# show_run SRC [artbag]: show --json SRC ('-' reads $STDIN_FROM) exits 0 and prints a valid
# document, left in $T/s.json.
show_run() {
    if [ "$1" = - ]; then
        expect_exit_stdin 0 "$STDIN_FROM" "$ARTBAG" show --json -
    else
        expect_exit 0 "$ARTBAG" show --json "$1"
    fi
    cp "$T/stdout" "$T/s.json"
    show_schema_ok "$T/s.json" "${2:-}"
}

mkdir b x

note "artbag bundles: file, extracted directory, standard input"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o b/story.tar.gz --mtime 1419206400 \
    --org "Test Archive" --meta "Contact-Name=Jane Roe" --meta "Contact-Name=John Doe" -q
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o b/plain.tgz --mtime 1419206400 -q
tar -xzf b/story.tar.gz -C x || fail "GNU tar could not extract story.tar.gz"
STDIN_FROM=b/story.tar.gz
for src in b/story.tar.gz x/story -; do
    want=$src
    [ "$src" = - ] && want="<stdin>"
    show_run "$src" artbag
    show_json_check "$T/s.json" 'd["bag"] == "story"' 'd["path"] == "'"$want"'"' \
        'sorted(files) == ["data/article.md", "data/metadata.json"]' \
        'all(f["algorithm"] == "sha256" for f in d["files"])' \
        'info[0] == ("Source-Organization", "Test Archive")' \
        'info[-2:] == [("Contact-Name", "Jane Roe"), ("Contact-Name", "John Doe")]' \
        '("BagIt-Profile-Identifier", "tag:artbag.org,2026:bagit-profile:bundle-1.2") in info'
done
# The document says what the bag holds: digests as sha256sum computes them, sizes as stored.
for f in data/article.md data/metadata.json; do
    show_json_check "$T/s.json" \
        'files["'"$f"'"]["digest"] == "'"$(sha256_of "x/story/$f")"'"' \
        'files["'"$f"'"]["bytes"] == '"$(size_of "x/story/$f")"
done
cmp -s <("$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["metadata"], sort_keys=True))' "$T/s.json") \
    <("$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True))' x/story/data/metadata.json) ||
    fail "metadata in show --json differs from data/metadata.json"
show_run b/plain.tgz artbag
show_json_check "$T/s.json" 'd["bag"] == "plain"' \
    'not any(l == "Source-Organization" for l, v in info)'
show_json_check "$T/s.json" 'd["signatures"] == []'

note "signed and counter-signed: signatures listed, not checked"
expect_exit 0 "$ARTBAG" keygen -o one --no-passphrase
id1=$(sed -n 's/^made key \([0-9A-F]*\):.*/\1/p' "$T/stdout")
expect_exit 0 "$ARTBAG" keygen -o two --no-passphrase
id2=$(sed -n 's/^made key \([0-9A-F]*\):.*/\1/p' "$T/stdout")
{ [ -n "$id1" ] && [ -n "$id2" ]; } || fail "keygen printed no key ids"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o b/signed.tar.gz --mtime 1419206400 --sign one.key -q
expect_exit 0 "$ARTBAG" sign b/signed.tar.gz --key two.key --no-passphrase -q
show_run b/signed.tar.gz artbag
show_json_check "$T/s.json" 'len(d["signatures"]) == 2' \
    'sorted(s["keyid"] for s in d["signatures"]) == sorted(["'"$id1"'", "'"$id2"'"])' \
    '"signatures/tagmanifest-sha256.txt.minisig" in [s["file"] for s in d["signatures"]]' \
    '"signatures/tagmanifest-sha256.txt.'"$id2"'.minisig" in [s["file"] for s in d["signatures"]]' \
    'all(s["trusted_comment"] for s in d["signatures"])' \
    'sorted(files) == ["data/article.md", "data/metadata.json"]'
cp "$T/s.json" "$T/signed.json"

note "other tools' bags: every manifest algorithm, encodings, folded lines, empty payload"
bagmaker valid v >"$T/valid.names"
n=0
while IFS= read -r name; do
    show_run "v/$name"
    show_json_check "$T/s.json" 'd["bag"] == "'"$name"'"' 'd["metadata"] is None'
    n=$((n + 1))
done <"$T/valid.names"
[ "$n" -ge 10 ] || fail "bagmaker.py made only $n valid bags"
show_run v/sha512-only
show_json_check "$T/s.json" 'd["files"] and all(f["algorithm"] == "sha512" for f in d["files"])'
show_run v/md5-only
show_json_check "$T/s.json" 'd["files"] and all(f["algorithm"] == "md5" for f in d["files"])'
show_run v/sha224-sha384
show_json_check "$T/s.json" 'd["files"] and all(f["algorithm"] == "sha384" for f in d["files"])'
show_run v/several
show_json_check "$T/s.json" 'd["files"] and all(f["algorithm"] == "sha256" for f in d["files"])'
show_run v/continuation
show_json_check "$T/s.json" \
    '("External-Description", "A long description that a BagIt tool folded onto a second line with spaces, and a third with a tab.") in info'
show_run v/latin1
show_json_check "$T/s.json" '("Contact-Name", "José Müller") in info'
show_run v/empty-payload
show_json_check "$T/s.json" 'd["files"] == []'
archive_bag v several b
for a in b/several.tar b/several.tar.gz b/several.zip; do
    show_run "$a"
    show_json_check "$T/s.json" 'd["bag"] == "several"' 'len(d["files"]) > 0'
done

note "what show prints as null or empty"
bagmaker base v base
cp -a v/base v/unlisted
printf 'not in any manifest\n' >v/unlisted/data/extra.txt
show_run v/unlisted
show_json_check "$T/s.json" 'files["data/extra.txt"]["algorithm"] is None' \
    'files["data/extra.txt"]["digest"] is None' 'files["data/extra.txt"]["bytes"] == 20'
cp -a v/base v/no-bag-info
rm v/no-bag-info/bag-info.txt
show_run v/no-bag-info
show_json_check "$T/s.json" 'd["bag_info"] == []'
cp -a v/base v/array-metadata
printf '[1, 2]\n' >v/array-metadata/data/metadata.json
show_run v/array-metadata
show_json_check "$T/s.json" 'd["metadata"] is None'
assert_contains "$ERR" "not a JSON object" "warning for a metadata.json that is not an object"

note "the schema rejects what show never prints"
"$PY" - "$SHOW_SCHEMA" "$T/signed.json" <<'PYEOF' || fail "show.schema.json accepts a broken document"
import copy, json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
good = json.load(open(sys.argv[2], encoding="utf-8"))
v = jsonschema.validators.validator_for(schema)(schema)
assert v.is_valid(good)
f = good["files"][0]
assert f["algorithm"] is not None, f
def mutated(change):
    d = copy.deepcopy(good)
    change(d)
    return d
bad = {
    "extra key": lambda d: d.update(extra=1),
    "no files": lambda d: d.pop("files"),
    "metadata a list": lambda d: d.update(metadata=[1]),
    "bag-info label empty": lambda d: d["bag_info"].append({"label": "", "value": "x"}),
    "bytes negative": lambda d: d["files"][0].update(bytes=-1),
    "digest without algorithm": lambda d: d["files"][0].update(algorithm=None),
    "algorithm without digest": lambda d: d["files"][0].update(digest=None),
    "digest of the wrong length": lambda d: d["files"][0].update(digest=f["digest"] + "00"),
    "digest not hex": lambda d: d["files"][0].update(digest="z" * len(f["digest"])),
    "unknown algorithm": lambda d: d["files"][0].update(algorithm="crc32"),
    "path outside data/": lambda d: d["files"][0].update(path="bagit.txt"),
    "no signatures": lambda d: d.pop("signatures"),
    "signature key id in lower case": lambda d: d["signatures"][0].update(keyid="0123456789abcdef"),
    "signature file not a signature": lambda d: d["signatures"][0].update(file="bagit.txt"),
    "signature with a verdict": lambda d: d["signatures"][0].update(valid=True),
}
accepted = [name for name, change in bad.items() if v.is_valid(mutated(change))]
for name in accepted:
    print("schema accepts a document with %s" % name, file=sys.stderr)
sys.exit(1 if accepted else 0)
PYEOF

note "a collection: its catalog under 'collection', valid against the schema"
mkdir -p coll
for i in 1 2 3; do
    sed "s|https://[^ )>]*|https://example.org/s/$i|" "$ARTBAG_SEED" | sed "0,/^# /s|^# .*|# Story $i|" >coll/s$i.md
done
"$ARTBAG" pack coll -o coll.tar.gz --mtime 1419206400 --title "Three stories" -q || fail "pack coll"
"$ARTBAG" show --json coll.tar.gz >coll.json || fail "show --json coll.tar.gz"
show_schema_ok coll.json
show_json_check coll.json 'd["collection"]["articles"] == 3' \
    '[c["title"] for c in d["collection"]["catalog"]] == ["Story 1", "Story 2", "Story 3"]' \
    'd["metadata"] is None'
"$ARTBAG" show --json b/story.tar.gz >one.json || fail "show --json b/story.tar.gz"
show_json_check one.json '"collection" not in d'
