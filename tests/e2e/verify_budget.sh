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
