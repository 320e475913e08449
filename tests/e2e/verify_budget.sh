#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# What verify keeps in memory of a bag's tag files is bounded in all, not only per file: a bag
# of many large signature files is not held whole, and a manifest of an algorithm artbag does
# not know is never held at all. Peak memory measured with /usr/bin/time.
. "$(dirname "$0")/lib.sh"

mkdir -p bag/data
printf 'x\n' >bag/data/x
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bag/bagit.txt
(cd bag && sha256sum data/x >manifest-sha256.txt)

# measure CMD...: runs CMD (any exit) with its output in $OUT and its peak memory in $MIB (MiB)
measure() {
    /usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/stdout" 2>"$T/stderr"
    OUT=$(cat "$T/stdout")
    MIB=$(($(tail -1 "$T/rss") / 1024))
}

# Three 60 MiB signature files (kept for checking, each under the 64 MiB a tag file may have):
# together over the 160 MiB budget, so the third is not read, and said so.
mkdir bag/signatures
for id in 0000000000000001 0000000000000002 0000000000000003; do
    head -c $((60 * 1024 * 1024)) /dev/zero >"bag/signatures/tagmanifest-sha256.txt.$id.minisig"
done
(cd bag && sha256sum bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt)
tar -czf sigs.tar.gz bag
# (180 MiB of zeros gzip past the ratio ceiling, which is not what this measures)
measure "$ARTBAG" verify -j 1 --max-ratio 0 sigs.tar.gz
assert_contains "$OUT" "tagmanifest-sha256.txt.0000000000000003.minisig': not read: the tag files kept for checking would exceed the limit in all" "the third large signature file"
sanitized || [ "$MIB" -lt 200 ] || fail "verify held $MIB MiB for 180 MiB of signature files (budget 160)"
rm -r bag/signatures bag/tagmanifest-sha256.txt

# A 100 MiB manifest of an unknown algorithm: a warning, and not held.
head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >bag/manifest-whirlpool.txt
tar -czf unknown.tar.gz bag
measure "$ARTBAG" verify -j 1 --max-ratio 0 unknown.tar.gz
assert_contains "$OUT" "'manifest-whirlpool.txt': uses an algorithm artbag does not know" "warning"
sanitized || [ "$MIB" -lt 64 ] || fail "verify held $MIB MiB for a manifest it does not read"

# A payload manifest is read as it streams, not held: larger than the 64 MiB a held tag file may
# be (a 1,000,000-article collection's is 190 MB) it is still read. Here 17,000 lines naming
# files of 4,000-byte paths (68 MiB) that the bag does not have: each is reported missing
# (counted past the cap), and nothing says the manifest is too large.
rm -f bag/manifest-whirlpool.txt
"$PY" - bag/manifest-sha256.txt <<'PY' || fail "could not write the large manifest"
import sys
comp = "c" * 249
with open(sys.argv[1], "a") as f:
    for i in range(17000):
        f.write("%064x  data/%s/%s/%09d\n" % (i, "/".join([comp] * 15), "d" * 200, i))
PY
[ "$(stat -c %s bag/manifest-sha256.txt)" -gt $((64 << 20)) ] || fail "the manifest is not over 64 MiB"
# (bagit.txt first, as artbag writes it: a manifest before it is held until it comes)
tar -czf big-manifest.tar.gz --no-recursion bag bag/bagit.txt bag/manifest-sha256.txt bag/data bag/data/x
measure "$ARTBAG" verify --json -j 1 --max-ratio 0 big-manifest.tar.gz
verify_json_check "$T/stdout" 0 'not b["valid"]' '"too-large" not in kinds' \
    'any(c["kind"] == "missing-file" and c["total"] == 17000 for c in b["counts"])'
sanitized || [ "$MIB" -lt 200 ] || fail "verify held $MIB MiB for 17,000 names of 4,000 bytes"

# What a streamed manifest may cost is bounded instead: lines (each may name a file not seen
# yet) by --max-entries, and a line by 64 KiB, which no line naming a restorable path reaches.
measure "$ARTBAG" verify -j 1 --max-ratio 0 --max-entries 10000 big-manifest.tar.gz
assert_contains "$OUT" "'manifest-sha256.txt': lists more than 10000 files, more entries than --max-entries allows a bundle; not read" "--max-entries bounds a manifest's lines"
(cd bag && sha256sum data/x >manifest-sha256.txt)
head -c $((70 * 1024)) /dev/zero | tr '\0' 'a' >>bag/manifest-sha256.txt
printf '\n' >>bag/manifest-sha256.txt
tar -czf long-line.tar.gz --no-recursion bag bag/bagit.txt bag/manifest-sha256.txt bag/data bag/data/x
expect_exit 1 "$ARTBAG" verify --max-ratio 0 long-line.tar.gz
assert_contains "$OUT" "'manifest-sha256.txt': line 2 is longer than 64 KiB" "a manifest line over 64 KiB"
