#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag verify --json prints one document that matches manifests/verify.schema.json (checked
# with Python's jsonschema, keys in the schema's order) for valid, invalid, unreadable and
# standard-input bundles; and verify's exit codes are 0 valid, 1 invalid, 2 usage, 3 unreadable
# (also not a bag, or cut short: verify_notabag.sh has the whole class).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# json_run WANT-EXIT ARGS...: verify --json ARGS exits WANT-EXIT and prints a valid document,
# left in $T/j.json.
json_run() {
    local want=$1
    shift
    expect_exit "$want" "$ARTBAG" verify --json "$@"
    cp "$T/stdout" "$T/j.json"
    verify_schema_ok "$T/j.json"
}

mkdir b
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o b/good.tar.gz --mtime 1419206400 -q
bagmaker base b base
bagmaker valid b >/dev/null
cp -a b/base b/bad
printf 'x' >>b/bad/data/hello.txt
head -c 1000 b/good.tar.gz >b/cut.tar.gz
printf 'not an archive at all\n' >b/text.tar.gz

note "valid: exit 0"
json_run 0 b/good.tar.gz
verify_json_check "$T/j.json" 0 'b["valid"] and b["path"] == "b/good.tar.gz" and b["bag"] == "good"'
assert_stderr_empty
json_run 0 b/base b/several b/utf16 b/manifests-last
verify_json_check "$T/j.json" 3 'b["valid"] and b["algorithms"] == ["md5", "sha512"]'
json_run 0 --fast b/good.tar.gz
verify_json_check "$T/j.json" 0 'b["valid"] and not b["fixity"]'
json_run 0 b/nested
expect_exit 0 "$ARTBAG" verify b/good.tar.gz
assert_contains "$OUT" "OK" "text report"

note "standard input"
json_run 0 - <b/good.tar.gz
verify_json_check "$T/j.json" 0 'b["valid"] and b["path"] == "<stdin>" and b["bag"] == "good"'
json_run 1 b/base - b/bad <b/good.tar.gz
verify_json_check "$T/j.json" 1 'b["valid"]'
verify_json_check "$T/j.json" 2 'not b["valid"]'

note "invalid: exit 1, every bundle still reported"
json_run 1 b/bad
verify_json_check "$T/j.json" 0 'not b["valid"] and b["complete"]' '"checksum-mismatch" in kinds' \
    '"oxum-mismatch" in kinds'
json_run 1 b/good.tar.gz b/bad
verify_json_check "$T/j.json" 0 'b["valid"]'
verify_json_check "$T/j.json" 1 'not b["valid"]'
note "cut short or not a bag: exit 3, and the others still checked"
json_run 3 b/good.tar.gz b/bad b/cut.tar.gz b/text.tar.gz
verify_json_check "$T/j.json" 0 'b["valid"]'
verify_json_check "$T/j.json" 1 'not b["valid"] and b["complete"]'
verify_json_check "$T/j.json" 2 'not b["valid"] and not b["complete"] and kinds == ["truncated"]'
verify_json_check "$T/j.json" 3 'not b["valid"] and not b["complete"] and kinds == ["not-a-bag"]'
"$PY" -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["bundles"]) == 4' "$T/j.json" ||
    fail "expected 4 bundles in the document"
expect_exit 1 "$ARTBAG" verify b/bad
assert_contains "$OUT" "FAIL" "text report"

note "unreadable: exit 3, and the others still checked"
json_run 3 b/good.tar.gz b/no-such-bundle.tar.gz b/bad
verify_json_check "$T/j.json" 0 'b["valid"]'
verify_json_check "$T/j.json" 1 'not b["valid"] and b["path"] == "b/no-such-bundle.tar.gz" and kinds == ["io"]'
verify_json_check "$T/j.json" 2 'not b["valid"]'
json_run 3 b/no-such-bundle.tar.gz
expect_exit 3 "$ARTBAG" verify b/no-such-bundle.tar.gz
assert_contains "$ERR" "no-such-bundle.tar.gz" "message for an unreadable bundle"
expect_exit 3 "$ARTBAG" verify b/bad b/no-such-dir/
if [ "$(id -u)" -ne 0 ]; then
    cp b/good.tar.gz b/locked.tar.gz
    chmod 000 b/locked.tar.gz
    json_run 3 b/locked.tar.gz
fi

note "usage: exit 2, nothing on stdout"
for args in "" "--no-such-option b/good.tar.gz" "--max-bytes" "--max-bytes 0 b/good.tar.gz" \
    "--max-bytes -5 b/good.tar.gz" "--max-bytes lots b/good.tar.gz" "--max-bytes 5Q b/good.tar.gz" \
    "- -" "--json"; do
    # shellcheck disable=SC2086 # the arguments are meant to split
    expect_exit 2 "$ARTBAG" verify $args </dev/null
    assert_stdout_empty
    assert_contains "$ERR" "artbag: verify" "usage message for 'verify $args'"
done
expect_exit 0 "$ARTBAG" verify --help
assert_contains "$OUT" "--max-bytes" "verify --help"
expect_exit 0 "$ARTBAG" verify --max-bytes 64G -q b/good.tar.gz
assert_stdout_empty
