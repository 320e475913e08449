#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Verify's memory is a fixed budget plus a table of the bag's names (issue 12, "Bounded cost"):
# the peak RSS of verifying a 200,000-file bag, less that of a 1,000-file bag, divided by the
# 199,000 files between them, is what each payload file costs. Issue 12 asks for at most 200
# bytes (a 1,000,000-article collection, 2,000,000 files, within 512 MiB), in either order of
# tag files and payload. It was 709 bytes before the entry table was made compact, then 406
# (tags first) and 430 (payload first) while manifests were held as text and parsed at the end;
# parsed as they stream into an arena-held table, about 155 and 190.
. "$(dirname "$0")/lib.sh"

LIMIT=200
# A bag whose payload streams before its manifests: each file is hashed with sha256 and sha512
# before a manifest says which one is needed, so its entry holds both digests.
LIMIT_PAYLOAD_FIRST=200

sanitized && skip "$ARTBAG is built with AddressSanitizer: its memory is not artbag's"

# make_bag N OUT [payload-first]: N payload files named as a collection names them, each listed
# in manifest-sha256.txt; tag files first, as artbag and most writers put them, or last.
make_bag() {
    "$PY" - "$1" "$2" "${3:-}" <<'PYEOF' || fail "python could not build the $1-file bag"
import gzip, hashlib, io, sys, tarfile

n, out, payload_first = int(sys.argv[1]), sys.argv[2], sys.argv[3] == "payload-first"
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
    def add(name, data):
        ti = tarfile.TarInfo("bag/" + name)
        ti.size, ti.mtime = len(data), 0
        t.addfile(ti, io.BytesIO(data))
    files = [("data/%04d/article-%06d.md" % (i // 1000, i), b"article %d\n" % i) for i in range(n)]
    manifest = "".join("%s  %s\n" % (hashlib.sha256(d).hexdigest(), p) for p, d in files).encode()
    bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = b"Payload-Oxum: %d.%d\n" % (sum(len(d) for _, d in files), n)
    tags = [("bagit.txt", bagit), ("bag-info.txt", info), ("manifest-sha256.txt", manifest)]
    tags.append(("tagmanifest-sha256.txt",
                 "".join("%s  %s\n" % (hashlib.sha256(d).hexdigest(), p) for p, d in tags).encode()))
    for p, d in (files + tags if payload_first else tags + files):
        add(p, d)
with open(out, "wb") as f:
    f.write(gzip.compress(raw.getvalue(), 1))
PYEOF
}

# peak_kb BUNDLE: verify's peak RSS in KB; the bag must verify
peak_kb() {
    /usr/bin/time -f '%M' -o "$T/rss" "$ARTBAG" verify -q -j 1 "$1" >"$T/stdout" 2>"$T/stderr" ||
        fail "verify rejected $1: $(head -c 300 "$T/stderr")"
    tail -1 "$T/rss"
}

# per_file ORDER LIMIT: bytes of peak RSS a payload file, from a 1,000- and a 200,000-file bag
# in that order of tag files and payload; fails over LIMIT. Leaves the big bag as big-ORDER.tar.gz.
per_file() {
    local order=$1 limit=$2 small big n
    make_bag 1000 "small-$order.tar.gz" "$order"
    make_bag 200000 "big-$order.tar.gz" "$order"
    small=$(peak_kb "small-$order.tar.gz")
    big=$(peak_kb "big-$order.tar.gz")
    n=$(((big - small) * 1024 / 199000))
    echo "verify_memory: $order: $small KB for 1,000 files, $big KB for 200,000: $n bytes a payload file (limit $limit, target 200)"
    [ "$n" -le "$limit" ] ||
        fail "verify costs $n bytes of peak RSS a payload file, $order (limit $limit)"
    rm "small-$order.tar.gz"
}
per_file tags-first "$LIMIT"
per_file payload-first "$LIMIT_PAYLOAD_FIRST"
rm big-payload-first.tar.gz
mv big-tags-first.tar.gz big.tar.gz

# The cost is measured on a bag verify checked, not one it gave up on: a changed byte is found.
"$PY" - big.tar.gz <<'PYEOF' || fail "python could not corrupt the bag"
import gzip, sys
raw = bytearray(gzip.decompress(open(sys.argv[1], "rb").read()))
i = raw.rindex(b"article 199999\n")
raw[i] = ord("A")
open("bad.tar.gz", "wb").write(gzip.compress(bytes(raw), 1))
PYEOF
expect_exit 1 "$ARTBAG" verify -j 1 bad.tar.gz
assert_contains "$ERR$OUT" "'data/0199/article-199999.md': sha256 mismatch" "the changed file"
echo "verify_memory: ok"
