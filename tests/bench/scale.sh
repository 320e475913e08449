#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# scale.sh - the scale figures of issue 13: costs that must stay linear however a batch is
# shaped. Each is a ratio between two runs of artbag in the same session on inputs of the same
# size that differ only in the shape under test, with the target and PASS or MISS. It reports,
# it does not gate: the exit status is 0 whatever the figures are.
#
# usage: tests/bench/scale.sh [N_ARTICLES]   (default 40000)
#   slugs: packing N articles that all want the same slug (made unique as -2, -3, ...) against
#          N articles with distinct slugs; target <= 1.5.
#   depth: unpacking a chain of 2,000 nested directories with a file in each against a chain of
#          1,000: linear cost gives 2, entries x depth gives 4; target <= 2.5.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
artbag=${ARTBAG:-$repo/build/artbag}
n=${1:-40000}
work=$(mktemp -d "${TMPDIR:-/tmp}/artbag-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

# articles DIR SAME: N small articles; SAME=1 gives all of them one source URL (one slug).
articles() {
    mkdir -p "$1"
    python3 - "$1" "$2" "$n" <<'PY'
import os, sys
d, same, n = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
for i in range(n):
    url = "https://example.org/news/story" if same else "https://example.org/news/story-%d" % i
    with open(os.path.join(d, "a%06d.md" % i), "w") as f:
        f.write("---\ntitle: Story %d\nsource: %s\n---\n\nText of story %d.\n" % (i, url, i))
PY
}

# best_ms CMD...: the fastest of three runs, in milliseconds
best_ms() {
    local best= t0 t1 ms
    for _ in 1 2 3; do
        rm -f "$work/out.tar.gz"
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "scale.sh: failed: $*" >&2; echo 0; return; }
        t1=$(date +%s%N)
        ms=$(((t1 - t0) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}

articles "$work/distinct" 0
articles "$work/same" 1
d=$(best_ms "$artbag" pack "$work/distinct" -o "$work/out.tar.gz" -q)
s=$(best_ms "$artbag" pack "$work/same" -o "$work/out.tar.gz" -q)
r=$(awk -v a="$s" -v b="$d" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
v=$(awk -v r="$r" 'BEGIN { print (r > 0 && r <= 1.5) ? "PASS" : "MISS" }')
printf '%-58s %10s %10s %6s %6s %s\n' figure "artbag" baseline ratio target result
printf '%-58s %8s ms %8s ms %6s %6s %s\n' "pack $n articles, one slug vs distinct slugs" "$s" "$d" "$r" "<=1.5" "$v"

# deep paths: a bag whose entries are data/d/f, data/d/d/f, ... (depth k at entry k)
deep() {
    python3 - "$1" "$2" <<'PY'
import hashlib, io, sys, tarfile
depth, out = int(sys.argv[1]), sys.argv[2]
files, p = {}, "data"
for i in range(depth):
    p += "/d"
    files[p + "/f"] = b"%d\n" % i
man = "".join("%s  %s\n" % (hashlib.sha256(b).hexdigest(), k) for k, b in files.items()).encode()
size = sum(len(b) for b in files.values())
tags = {"bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": b"Payload-Oxum: %d.%d\n" % (size, len(files)), "manifest-sha256.txt": man}
with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as t:
    for k, b in list(tags.items()) + list(files.items()):
        ti = tarfile.TarInfo("bag/" + k)
        ti.size = len(b)
        t.addfile(ti, io.BytesIO(b))
PY
}
unpack_ms() {
    local best= t0 ms
    for _ in 1 2 3; do
        rm -rf "$work/dest" && mkdir "$work/dest"
        t0=$(date +%s%N)
        "$artbag" unpack "$1" -C "$work/dest" -q || { echo 0; return; }
        ms=$((($(date +%s%N) - t0) / 1000000))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}
deep 1000 "$work/d1000.tar.gz"
deep 2000 "$work/d2000.tar.gz"
a=$(unpack_ms "$work/d2000.tar.gz")
b=$(unpack_ms "$work/d1000.tar.gz")
r=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
v=$(awk -v r="$r" 'BEGIN { print (r > 0 && r <= 2.5) ? "PASS" : "MISS" }')
printf '%-58s %8s ms %8s ms %6s %6s %s\n' "unpack 2,000 nested levels vs 1,000" "$a" "$b" "$r" "<=2.5" "$v"
