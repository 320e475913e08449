#!/usr/bin/env bash
# scale.sh - the scale figures of issue 13: costs that must stay linear however a batch is
# shaped. Each is a ratio between two runs of artbag in the same session on inputs of the same
# size that differ only in the shape under test, with the target and PASS or MISS. It reports,
# it does not gate: the exit status is 0 whatever the figures are.
#
# usage: tests/bench/scale.sh [N_ARTICLES]   (default 40000)
#   slugs: packing N articles that all want the same slug (made unique as -2, -3, ...) against
#          N articles with distinct slugs; target <= 1.5.
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
