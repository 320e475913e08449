#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Findings are capped per kind and per bag, with exact counts: a bag with thousands of problems
# gets a report of bounded size whose text says how many more there were and whose --json
# counts every one. The verdict never depends on the cap.
. "$(dirname "$0")/lib.sh"

mkdir -p bag/data
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bag/bagit.txt
for i in $(seq 1 250); do printf '%d' "$i" >"bag/data/u$i"; done   # 250 unlisted files
for i in $(seq 1 1500); do                                          # 1500 missing files
    printf '%064d  data/missing/m%d\n' 0 "$i"
done >bag/manifest-sha256.txt
tar -czf bag.tar.gz bag

for input in bag bag.tar.gz; do
    expect_exit 1 "$ARTBAG" verify "$input"
    assert_contains "$OUT" "... and 150 more 'unlisted-file' problems (250 in all; the first 100 are shown)" "text, $input"
    assert_contains "$OUT" "... and 1400 more 'missing-file' problems (1500 in all; the first 100 are shown)" "text, $input"
    n=$(grep -c "^  problem: '" <<<"$OUT")
    assert_eq 200 "$n" "problems listed in the text of $input"
    expect_exit 1 "$ARTBAG" verify --json "$input"
    verify_schema_ok "$T/stdout"
    $PY - "$T/stdout" <<'PY' || fail "--json counts of $input"
import json, sys
b = json.load(open(sys.argv[1]))["bundles"][0]
c = {(x["kind"], x["severity"]): (x["total"], x["omitted"]) for x in b["counts"]}
assert c[("unlisted-file", "problem")] == (250, 150), c
assert c[("missing-file", "problem")] == (1500, 1400), c
kept = {}
for p in b["problems"]:
    kept[p["kind"]] = kept.get(p["kind"], 0) + 1
for (kind, sev), (total, omitted) in c.items():
    if sev == "problem":
        assert kept.get(kind, 0) == total - omitted, (kind, kept, c)
assert not b["valid"]
PY
done

