#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Verifying a bundle large enough that hashing moves to its own thread (past 4 MiB) and its
# gzip members are inflated in parallel: the verdict and every finding are the same as with
# -j 1, where one thread does everything, for artbag's own bundle, GNU tar's, and a directory;
# a damaged file far into the stream is named; unpack agrees.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir -p in out
# 160 articles of about 60 KB: 9.6 MB of payload, ten gzip members.
"$PY" - in <<'PY' || fail "could not write the articles"
import os, random, sys
rnd = random.Random(8493)
words = "archive record fixity bag manifest digest court minister report city river".split()
for i in range(160):
    body = []
    while sum(len(l) for l in body) < 60000:
        body.append(" ".join(rnd.choice(words) for _ in range(12)) + ".\n")
    with open(os.path.join(sys.argv[1], "a%03d.md" % i), "w", encoding="utf-8") as f:
        f.write("---\ntitle: Article %d\nurl: https://example.org/news/a%03d\n"
                "date: 2026-01-%02d\n---\n\n# Article %d\n\n" % (i, i, 1 + i % 28, i))
        f.write("".join(body))
PY
expect_exit 0 "$ARTBAG" pack in -o out/big.tar.gz --mtime 1419206400 -q
[ "$(gzip -dc out/big.tar.gz | wc -c)" -gt 8000000 ] || fail "the bundle is too small to test threads"

# same_findings BUNDLE EXIT: verify --json with the default threads and with -j 1 exits EXIT
# both times and reports the same findings; leaves the default run's document in $T/def.json.
same_findings() {
    expect_exit "$2" "$ARTBAG" verify --json "$1"
    cp "$T/stdout" "$T/def.json"
    expect_exit "$2" "$ARTBAG" verify --json -j 1 "$1"
    cp "$T/stdout" "$T/one.json"
    "$PY" - "$T/def.json" "$T/one.json" <<'PY' || fail "'$1': findings differ between -j 1 and the default"
import json, sys
a, b = (json.load(open(p, encoding="utf-8"))["bundles"][0] for p in sys.argv[1:3])
assert a == b, (a, b)
PY
}

note "an intact collection: valid with threads and with -j 1, alike"
same_findings out/big.tar.gz 0
verify_json_check "$T/def.json" 0 'b["valid"]' 'b["files"] == 321' 'not kinds'

note "one byte changed in the last article: named, with both digests"
tar -xzf out/big.tar.gz -C out || fail "GNU tar cannot extract the bundle"
last=$(tail -n 1 out/big/data/catalog.jsonl | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["slug"])')
f=out/big/data/$last/article.md
[ -f "$f" ] || fail "no '$f'"
printf 'X' | dd of="$f" bs=1 seek=30000 conv=notrunc status=none
first=$(head -n 1 out/big/data/catalog.jsonl | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["slug"])')
rm "out/big/data/$first/metadata.json"
echo extra >out/big/data/unlisted.txt
tar -C out -czf out/damaged.tar.gz big
for b in out/damaged.tar.gz out/big; do
    same_findings "$b" 1
    verify_json_check "$T/def.json" 0 'not b["valid"]' \
        "any(p['kind'] == 'checksum-mismatch' and p['path'] == 'data/$last/article.md' for p in b['problems'])" \
        "any(p['kind'] == 'missing-file' and p['path'] == 'data/$first/metadata.json' for p in b['problems'])" \
        "any(p['kind'] == 'unlisted-file' and p['path'] == 'data/unlisted.txt' for p in b['problems'])" \
        "'oxum-mismatch' in kinds" 'len(b["problems"]) == 4'
done

note "unpack refuses the damaged bundle and leaves the destination empty"
mkdir out/dest
expect_exit 1 "$ARTBAG" unpack out/damaged.tar.gz -C out/dest
assert_contains "$OUT$ERR" "data/$last/article.md" "unpack names the damaged file"
assert_eq "" "$(listing out/dest)" "destination after a refused unpack"
