#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Issue 15: pack says what the article reader read with doubt, as inspect does, on stderr as
# "artbag: pack: 'PATH': warning: ...", in all three modes (one article, a collection, --each),
# and still exits 0 and writes a bundle that verifies; -q silences the warnings; an article the
# reader has no doubt about gets none.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SHAPES=$ARTBAG_SRC/tests/fixtures/shapes
cp "$SHAPES/trafilatura-2.1.md" odd.md # "title: A: B" unquoted: read line by line
cp "$SHAPES/trafilatura-2.2.md" clean.md
WARN="artbag: pack: 'odd.md': warning: front matter is not valid YAML; read line by line"

# What inspect says is what pack must say.
expect_exit 0 "$ARTBAG" inspect odd.md --json
assert_contains "$OUT" "front matter is not valid YAML; read line by line" "inspect of odd.md"

note "one article"
expect_exit 0 "$ARTBAG" pack odd.md -o one.tar.gz --mtime 0
assert_contains "$ERR" "$WARN" "pack odd.md"
assert_eq 1 "$(grep -c ': warning: ' "$T/stderr")" "warnings for one article"
expect_exit 0 "$ARTBAG" verify one.tar.gz

note "one article, -q"
expect_exit 0 "$ARTBAG" pack odd.md -o quiet.tar.gz --mtime 0 -q
assert_stderr_empty
[ -s quiet.tar.gz ] || fail "pack -q wrote no bundle"

note "an article without doubts"
expect_exit 0 "$ARTBAG" pack clean.md -o clean.tar.gz --mtime 0 -q
assert_stderr_empty
expect_exit 0 "$ARTBAG" pack clean.md -o clean2.tar.gz --mtime 0
grep -q ': warning: ' "$T/stderr" && fail "a warning for clean.md: [$ERR]"

note "a collection"
expect_exit 0 "$ARTBAG" pack clean.md odd.md -o col.tar.gz --mtime 0
assert_contains "$ERR" "$WARN" "pack collection"
assert_eq 1 "$(grep -c ': warning: ' "$T/stderr")" "warnings for the collection"
expect_exit 0 "$ARTBAG" verify col.tar.gz

note "--each"
expect_exit 0 "$ARTBAG" pack --each clean.md odd.md -O each --mtime 0 -j 2
assert_contains "$ERR" "$WARN" "pack --each"
assert_eq 1 "$(grep -c ': warning: ' "$T/stderr")" "warnings for --each"
assert_eq 2 "$(find each -name '*.tar.gz' | wc -l)" "bundles written by --each"

note "a title from --title leaves no 'no title found'"
printf 'Text without a heading.\n' > untitled.md
expect_exit 1 "$ARTBAG" inspect untitled.md --json
assert_contains "$OUT" "no title found" "inspect of untitled.md"
expect_exit 0 "$ARTBAG" pack untitled.md -o untitled.tar.gz --title Given --url https://example.org/a
grep -q ': warning: ' "$T/stderr" && fail "a warning with --title given: [$ERR]"
true
