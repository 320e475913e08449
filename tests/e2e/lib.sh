# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Shared helpers for the end-to-end tests: each test sources this file, works in its own temp
# directory (kept on failure, removed on success) and checks artbag's results with independent
# tools (GNU tar, bsdtar, sha256sum, gzip, od, /usr/bin/python3).

set -u
set -o pipefail
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ARTBAG_SRC=${ARTBAG_SRC:-$(cd "$E2E_DIR/../.." && pwd)}
ARTBAG=${ARTBAG:-$ARTBAG_SRC/build/artbag}
ARTBAG_SEED=${ARTBAG_SEED:-$ARTBAG_SRC/../shared/seed/china-condemns-cyber-terrorism.md}
# shellcheck disable=SC2034 # these are for the scripts that source this file
FIXTURES=$ARTBAG_SRC/tests/fixtures/e2e
SCHEMA=$ARTBAG_SRC/manifests/metadata.schema.json
PY=/usr/bin/python3
# shellcheck disable=SC2034
PROFILE_ID='tag:artbag.org,2026:bagit-profile:bundle-1.2'
# shellcheck disable=SC2034
AGENT='artbag 0.2.0'
TEST_NAME=$(basename "$0" .sh)

# Commands to run before the temp directory goes (e.g. umount), last registered first.
_cleanups=()
on_exit() { _cleanups=("$*" "${_cleanups[@]}"); }

_finish() {
    local rc=$? c
    for c in "${_cleanups[@]}"; do eval "$c" || true; done
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then
        rm -rf "$T"
    else
        echo "$TEST_NAME: kept $T for inspection" >&2
    fi
    exit "$rc"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/artbag-e2e-$TEST_NAME.XXXXXX") || exit 4
trap _finish EXIT
cd "$T" || exit 4

# shellcheck source=../messages.sh
. "$E2E_DIR/../messages.sh"

[ -x "$ARTBAG" ] || fail "no artbag binary at '$ARTBAG' (build first, or set ARTBAG)"
[ -r "$ARTBAG_SEED" ] || fail "no sample article at '$ARTBAG_SEED' (set ARTBAG_SEED)"

# The guard for a command that might hang: `timeout $(secs 10) cmd` gives it 10 s on a plain
# build, scaled (ARTBAG_TIMEOUT_SCALE) for sanitized builds and valgrind, so a busy machine
# gives a slow pass rather than a failure.
TIMEOUT_SCALE=${ARTBAG_TIMEOUT_SCALE:-1}
secs() { echo $(($1 * TIMEOUT_SCALE)); }

# expect_exit CODE cmd...: runs cmd, capturing stdout in $T/stdout and stderr in $T/stderr (also
# in $OUT and $ERR); fails unless it exits with CODE.
expect_exit() {
    local want=$1 got
    shift
    "$@" >"$T/stdout" 2>"$T/stderr"
    got=$?
    OUT=$(cat "$T/stdout")
    ERR=$(cat "$T/stderr")
    if [ "$got" -ne "$want" ]; then
        echo "command: $*" >&2
        echo "--- stdout:" >&2
        cat "$T/stdout" >&2
        echo "--- stderr:" >&2
        cat "$T/stderr" >&2
        fail "expected exit $want, got $got"
    fi
}

# Like expect_exit, with stdin from a file: expect_exit_stdin CODE FILE cmd...
expect_exit_stdin() {
    local want=$1 in=$2
    shift 2
    expect_exit "$want" "$@" <"$in"
}

assert_eq() { # EXPECTED ACTUAL WHAT
    [ "$1" = "$2" ] || fail "$3: expected [$1], got [$2]"
}

assert_contains() { # HAYSTACK NEEDLE WHAT
    case $1 in
    *"$2"*) ;;
    *) fail "$3: [$1] does not contain [$2]" ;;
    esac
}

assert_stdout_empty() { [ -s "$T/stdout" ] && fail "stdout not empty: [$OUT]"; return 0; }
assert_stderr_empty() { [ -s "$T/stderr" ] && fail "stderr not empty: [$ERR]"; return 0; }

# The names in DIR, sorted, on one line.
listing() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' '; }

# Fails unless DIR holds exactly the names given (none: empty), so a stray temp file shows up.
assert_dir_holds() {
    local dir=$1 got want
    shift
    got=$(listing "$dir")
    want=$(printf '%s\n' "$@" | sed '/^$/d' | LC_ALL=C sort | tr '\n' ' ')
    assert_eq "$want" "$got" "contents of '$dir'"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# True when $ARTBAG is built with AddressSanitizer, whose shadow memory and quarantine make its
# peak memory say nothing about artbag's own.
sanitized() { grep -q __asan_init "$ARTBAG"; }
size_of() { stat -c %s "$1"; }

# The base name of a bundle path, i.e. the bag's directory name inside.
bag_name() {
    local b
    b=$(basename "$1")
    b=${b%.tar.gz}
    echo "${b%.tgz}"
}

# extract BUNDLE DIR: unpacks with GNU tar into DIR and sets BAG to the bag directory.
extract() {
    mkdir -p "$2" || fail "mkdir '$2'"
    tar -xzf "$1" -C "$2" || fail "GNU tar could not extract '$1'"
    BAG=$2/$(bag_name "$1")
    [ -d "$BAG" ] || fail "no top-level directory '$(bag_name "$1")/' in '$1'"
}

# check_bag BAG ARTICLE: the checks every bundle must pass, whatever the article.
check_bag() {
    local bag=$1 article=$2 top
    top=$(listing "$bag/..")
    assert_eq "$(basename "$bag") " "$top" "top level of the archive"
    assert_dir_holds "$bag" bag-info.txt bagit.txt data manifest-sha256.txt tagmanifest-sha256.txt
    assert_dir_holds "$bag/data" article.md metadata.json
    (cd "$bag" && sha256sum --quiet --strict -c manifest-sha256.txt) ||
        fail "sha256sum -c manifest-sha256.txt failed in '$bag'"
    (cd "$bag" && sha256sum --quiet --strict -c tagmanifest-sha256.txt) ||
        fail "sha256sum -c tagmanifest-sha256.txt failed in '$bag'"
    assert_eq "$(printf '%s\n' data/article.md data/metadata.json)" \
        "$(sed 's/^[0-9a-f]\{64\}  //' "$bag/manifest-sha256.txt")" "paths in manifest-sha256.txt"
    assert_eq "$(printf '%s\n' bag-info.txt bagit.txt manifest-sha256.txt)" \
        "$(sed 's/^[0-9a-f]\{64\}  //' "$bag/tagmanifest-sha256.txt")" \
        "paths in tagmanifest-sha256.txt"
    cmp -s "$article" "$bag/data/article.md" || fail "data/article.md differs from the input"
    printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$T/bagit.expected"
    cmp -s "$T/bagit.expected" "$bag/bagit.txt" || fail "bagit.txt is not the exact expected bytes"
    validate_metadata "$bag/data/metadata.json"
    json_subset "$bag/data/metadata.json" <<EOF
{"article": {"path": "data/article.md", "bytes": $(size_of "$article"),
             "sha256": "$(sha256_of "$article")"},
 "packager": {"name": "artbag", "version": "0.2.0"}}
EOF
}

# Payload-Oxum recomputed from the extracted files: total bytes "." number of files in data/.
payload_oxum() {
    local bytes=0 n=0 f
    while IFS= read -r -d '' f; do
        bytes=$((bytes + $(size_of "$f")))
        n=$((n + 1))
    done < <(find "$1/data" -type f -print0)
    echo "$bytes.$n"
}

# bag_info_value BAG LABEL: the value of the first element with that label.
bag_info_value() {
    sed -n "s/^$2: //p" "$1/bag-info.txt" | head -n 1
}

# validate_metadata FILE: metadata.json against manifests/metadata.schema.json.
validate_metadata() {
    [ -r "$SCHEMA" ] || fail "no schema at '$SCHEMA'"
    "$PY" - "$SCHEMA" "$1" <<'EOF' || fail "'$1' does not validate against the schema"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
checker = getattr(cls, "FORMAT_CHECKER", None)
errors = sorted(cls(schema, format_checker=checker).iter_errors(doc), key=lambda e: list(e.path))
# The schema promises its key order is the document's; json.load keeps the file's order.
order = [k for k in schema.get("properties", {}) if k in doc]
if list(doc) != order:
    print("schema: keys in order %s, expected %s" % (list(doc), order), file=sys.stderr)
    errors.append(None)
for e in [e for e in errors if e is not None]:
    print("schema: %s: %s" % ("/".join(map(str, e.path)) or "(root)", e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
}

# json_subset FILE <<< EXPECTED: every key in the EXPECTED JSON object (recursively for objects)
# has exactly that value in FILE; other keys are not looked at.
json_subset() {
    local expected
    expected=$(cat)
    "$PY" - "$1" "$expected" <<'EOF' || fail "'$1' does not hold the expected values"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
want = json.loads(sys.argv[2])
bad = []
def walk(w, g, path):
    for k, v in w.items():
        p = path + [k]
        if not isinstance(g, dict) or k not in g:
            bad.append("%s: missing" % ".".join(p))
        elif isinstance(v, dict):
            walk(v, g[k], p)
        elif g[k] != v or type(g[k]) is not type(v):
            bad.append("%s: expected %s, got %s" % (".".join(p), json.dumps(v, ensure_ascii=False),
                                                    json.dumps(g[k], ensure_ascii=False)))
walk(want, doc, [])
for b in bad:
    print("metadata.json " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

# json_get FILE KEY: prints the value of the top-level KEY as JSON (so null prints as null).
json_get() {
    "$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1], encoding="utf-8")).get(sys.argv[2], "<missing>"), ensure_ascii=False))' "$1" "$2"
}

# pack_ok ARTICLE BUNDLE [flags...]: packs (exit 0), extracts into a fresh directory, runs
# check_bag, and leaves the bag directory in BAG.
pack_ok() {
    local article=$1 bundle=$2
    shift 2
    expect_exit 0 "$ARTBAG" pack "$article" -o "$bundle" "$@"
    [ -f "$bundle" ] || fail "pack reported success but '$bundle' does not exist"
    local dir
    dir=$(mktemp -d "$T/x.XXXXXX")
    extract "$bundle" "$dir"
    check_bag "$BAG" "$article"
}

# ---- helpers for the verify tests ------------------------------------------------------------

BAGMAKER=$E2E_DIR/bagmaker.py
# shellcheck disable=SC2034
VERIFY_SCHEMA=$ARTBAG_SRC/manifests/verify.schema.json

# verify_schema_ok FILE: FILE is one JSON document valid against manifests/verify.schema.json, with
# every object's keys in the order the schema lists them.
verify_schema_ok() {
    "$PY" - "$VERIFY_SCHEMA" "$1" <<'PYEOF' || fail "'$1' does not validate against verify.schema.json"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
doc = json.loads(text)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = [("/".join(map(str, e.path)) or "(root)") + ": " + e.message
          for e in cls(schema).iter_errors(doc)]
def order(obj, sch, where):
    props = list(sch.get("properties", {}))
    if list(obj) != [k for k in props if k in obj]:
        errors.append("%s: keys in order %s, schema says %s" % (where, list(obj), props))
order(doc, schema, "(root)")
for i, b in enumerate(doc["bundles"]):
    order(b, schema["$defs"]["bundle"], "bundles/%d" % i)
    for k in ("warnings", "problems"):
        for j, p in enumerate(b.get(k, [])):
            order(p, schema["$defs"]["finding"], "bundles/%d/%s/%d" % (i, k, j))
for e in errors:
    print("schema: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
PYEOF
}


# bagmaker ARGS...: runs tests/e2e/bagmaker.py (see its docstring).
bagmaker() { "$PY" "$BAGMAKER" "$@" || fail "bagmaker.py $* failed"; }

# archive_bag SRC NAME DEST: makes DEST/NAME.tar (GNU tar, gnu format), DEST/NAME.tar.gz (GNU
# tar, pax format) and DEST/NAME.zip (bsdtar) of the bag SRC/NAME, with its members in the order
# SRC/NAME.order gives (NUL-separated, as bagmaker.py writes it), NAME/ the only top level.
archive_bag() {
    local src=$1 name=$2 dest
    dest=$(cd "$3" && pwd) || fail "no directory '$3'"
    [ -r "$src/$name.order" ] || fail "no member order '$src/$name.order'"
    tar --format=gnu -cf "$dest/$name.tar" --no-recursion --null -C "$src" -T "$src/$name.order" ||
        fail "GNU tar could not make $name.tar"
    tar --format=pax -czf "$dest/$name.tar.gz" --no-recursion --null -C "$src" -T "$src/$name.order" ||
        fail "GNU tar could not make $name.tar.gz"
    (cd "$src" && bsdtar --format zip -cf "$dest/$name.zip" -n --null -T "$name.order") ||
        fail "bsdtar could not make $name.zip"
}

# verify_json_check FILE INDEX EXPR...: each Python expression EXPR is true of bundle INDEX of the
# --json document in FILE, with b the bundle, kinds the problem kinds and wkinds the warning kinds.
verify_json_check() {
    "$PY" - "$@" <<'PYEOF' || fail "verify --json output in '$1' fails: ${*:3}"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
b = doc["bundles"][int(sys.argv[2])]
kinds = [p["kind"] for p in b["problems"]]
wkinds = [p["kind"] for p in b["warnings"]]
bad = [e for e in sys.argv[3:] if not eval(e)]
if bad:
    print("not true: %s\nof: %s" % (bad, json.dumps(b, indent=1, ensure_ascii=False)), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}

# Known discrepancies between artbag and RFC 8493 or the issue, found by a test and owned by
# code outside the test: collected with discrepancy, printed and failed on by discrepancies_end,
# so they are never silently skipped.
_discrepancies=()
discrepancy() {
    echo "DISCREPANCY($TEST_NAME): $*" >&2
    _discrepancies+=("$*")
}
discrepancies_end() {
    local d
    [ "${#_discrepancies[@]}" -eq 0 ] && return 0
    echo "FIXME($TEST_NAME): ${#_discrepancies[@]} known discrepancies, each a failure:" >&2
    for d in "${_discrepancies[@]}"; do echo "  - $d" >&2; done
    exit 1
}
