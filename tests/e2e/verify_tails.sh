#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# What follows the compressed stream of a serialized bag: nothing (valid, no warning, also for a
# bag that spans many read chunks), garbage (invalid, for every compression, read from a file
# and from standard input), or zero padding (tolerated with a warning where the format's own
# tool tolerates it: gzip, bzip2 and xz's stream padding; zstd refuses it, as zstd -d does).
# lzma, lzip, compress and lz4 bags (bsdtar's) verify clean and refuse garbage too.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in
# About 400 KB of text: the compressed streams span several of verify's 64 KiB reads.
"$PY" - in/long.md <<'PY' || fail "could not write the article"
import random, sys
rnd = random.Random(1952)
words = "the archive court minister river report city record bag seal letter".split()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("---\ntitle: A long record\nurl: https://example.org/news/long-record\n---\n\n")
    for _ in range(5000):
        f.write(" ".join(rnd.choice(words) for _ in range(12)) + ".\n")
PY
expect_exit 0 "$ARTBAG" pack in/long.md -o ours.tar.gz --mtime 0 -q
gzip -dc ours.tar.gz >bag.tar || fail "gzip cannot read the bundle"
gzip -c bag.tar >bag.tar.gz
bzip2 -c bag.tar >bag.tar.bz2
xz -c bag.tar >bag.tar.xz
zstd -q -c bag.tar >bag.tar.zst
head -c 512 /dev/zero >zeros

# check FILE EXIT [TEXT]: verify FILE, and FILE on standard input, exit EXIT; TEXT, when given,
# is in both reports.
check() {
    expect_exit "$2" "$ARTBAG" verify "$1"
    [ -z "${3:-}" ] || assert_contains "$OUT" "$3" "verify '$1'"
    expect_exit_stdin "$2" "$1" "$ARTBAG" verify -
    [ -z "${3:-}" ] || assert_contains "$OUT" "$3" "verify - < '$1'"
}

for f in ours.tar.gz bag.tar.gz bag.tar.bz2 bag.tar.xz bag.tar.zst; do
    note "$f: as made, with garbage after it, with zeros after it"
    check "$f" 0
    case $OUT in *warning*) fail "'$f' as made gets a warning: $OUT" ;; esac
    cat "$f" >"junk-$f" && printf 'garbage\n' >>"junk-$f"
    cat "$f" zeros >"zeros-$f"
    case $f in
    *.gz)
        check "junk-$f" 1 "trailing data after the gzip stream"
        check "zeros-$f" 0 "zero bytes follow the compressed stream"
        ;;
    *.bz2)
        check "junk-$f" 1 "trailing data after the bzip2 stream"
        check "zeros-$f" 0 "zero bytes follow the compressed stream"
        ;;
    *.xz)
        # verify decodes xz itself (liblzma, with a memory limit), so it tells garbage after the
        # stream (checked and rejected) from a second stream cut short (could not check), where
        # `xz -t` says "Unexpected end of input" for both.
        check "junk-$f" 1 "trailing data after the xz stream"
        { cat "$f" && head -c 8 "$f"; } >"cut2-$f"
        check "cut2-$f" 3
        assert_contains "$ERR" "truncated xz stream at byte $(size_of "cut2-$f")" "verify - <cut2-$f"
        printf 'garbage, more than an xz stream header\n' >>"junk-$f"
        check "junk-$f" 1
        # two xz streams that split the tar in the middle of a file, as concatenating
        # compressed parts makes them: one tar
        xz -dc "$f" >split.tar
        { head -c 100000 split.tar | xz -c && tail -c +100001 split.tar | xz -c; } >"two-$f"
        xz -t "two-$f" || fail "xz -t refuses two concatenated streams"
        check "two-$f" 0
        xz -t "zeros-$f" || fail "xz -t refuses stream padding"
        check "zeros-$f" 0
        ;;
    *.zst)
        check "junk-$f" 1
        zstd -q -t "zeros-$f" 2>/dev/null && fail "zstd -t accepts zeros after a frame"
        check "zeros-$f" 1
        ;;
    esac
done

note "other compressions libarchive reads (bsdtar makes them): clean verifies, garbage does not"
for opt in --lzma --lzip -Z --lz4; do
    f=bag-${opt##*-}.tar
    bsdtar "$opt" -cf "$f" @bag.tar || fail "bsdtar $opt cannot write '$f'"
    check "$f" 0
    case $OUT in *warning*) fail "'$f' as made gets a warning: $OUT" ;; esac
    cat "$f" >"junk-$f" && printf 'garbage\n' >>"junk-$f"
    check "junk-$f" 1
done
