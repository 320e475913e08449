#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Python reads bundles: tarfile with "r:gz" (seekable), and as a stream from a pipe through the
# gzip module ("r|" over gzip.open), which the README gives as the way to stream a bundle in
# Python. tarfile's own "r|gz" cannot: Debian 12's Python reads a gzip header's extra field
# through the decompressor and stops at the end of the first gzip member, and bundles have
# both (the member lengths in the extra field are what lets verify inflate on several threads).
. "$(dirname "$0")/lib.sh"

mkdir arts
for i in 1 2 3; do cp "$ARTBAG_SEED" "arts/a$i.md"; done
head -c 3000000 /dev/zero | tr '\0' x >>arts/a3.md # several gzip members' worth
expect_exit 0 "$ARTBAG" pack arts -o coll.tar.gz --url https://example.org/c --title C -q
$PY -c '
import sys, zlib
data, n = open(sys.argv[1], "rb").read(), 0
while data:
    d = zlib.decompressobj(31)
    d.decompress(data)
    data, n = d.unused_data, n + 1
assert n >= 2, n' coll.tar.gz || fail "the bundle is one gzip member: the test would prove nothing"
mkdir gnu
tar -xzf coll.tar.gz -C gnu || fail "GNU tar"
for mode in seekable pipe; do
    $PY - "$mode" coll.tar.gz gnu <<'PY' || fail "Python ($mode) does not read the bundle as GNU tar does"
import gzip, os, sys, tarfile
mode, bundle, ref = sys.argv[1:4]
seen = {}
def take(t):
    for m in t:
        if m.isfile():
            seen[m.name] = t.extractfile(m).read()
if mode == "seekable":
    with tarfile.open(bundle, "r:gz") as t:
        take(t)
else:
    with open(bundle, "rb") as f, gzip.open(f) as g, tarfile.open(fileobj=g, mode="r|") as t:
        take(t)
want = {}
for d, _, fs in os.walk(ref):
    for n in fs:
        p = os.path.join(d, n)
        want[os.path.relpath(p, ref)] = open(p, "rb").read()
assert seen == want, (sorted(seen), sorted(want))
assert len(want) >= 8
PY
done
