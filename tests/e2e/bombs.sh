#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Issue 13, "Bounded by construction": bundles of a few KB built here to make verify, unpack and
# show spend without limit (gigabytes of zeros in bzip2, a 4 GiB xz dictionary, a 128 MiB zstd
# window, a file of 4 GiB to unpack, 200,000 directory entries, a 200-level path, zeros for ever
# after the bag) stop within their budget: exit 3 and one message naming the flag that raises
# it, measured by the child's peak RSS (getrusage, via /usr/bin/time), bytes written (an
# RLIMIT_FSIZE that kills the writer past the bound, and a tmpfs of 16 MiB when the machine lets
# us mount one), what is left in the destination, and wall time (generous: a busy machine).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SCALE=${ARTBAG_TIMEOUT_SCALE:-1}
sanitized && SCALE=$((SCALE * 4))
SECS_MAX=$((30 * SCALE)) # each bomb, which unbounded runs for minutes or for ever
RSS_MAX=64               # MiB: the decoder budget, for bags whose names table is small

# measure WANT CMD...: runs CMD, which must exit WANT, with $OUT/$ERR, $SECS and $MIB (peak RSS)
measure() {
    local want=$1 got
    shift
    # timeout: an unbounded run must fail here, not hang the suite
    /usr/bin/time -f '%e %M' -o "$T/time" timeout -k 5 $((SECS_MAX + 5)) "$@" >"$T/stdout" 2>"$T/stderr"
    got=$?
    OUT=$(cat "$T/stdout")
    ERR=$(cat "$T/stderr")
    read -r SECS MIB < <(tail -1 "$T/time")
    SECS=${SECS%.*}
    MIB=$((MIB / 1024))
    echo "   $SECS s, $MIB MiB: ${*:1:3}... -> $got"
    [ "$got" -eq "$want" ] || fail "$* exited $got, not $want: $(head -c 400 "$T/stderr")"
    [ "$SECS" -le "$SECS_MAX" ] || fail "$* took $SECS s (bound $SECS_MAX)"
}
# within_rss: the last measured run kept to the decoder budget (not measurable under ASan)
within_rss() { sanitized || [ "$MIB" -le "$RSS_MAX" ] || fail "peak RSS $MIB MiB > $RSS_MAX MiB: $1"; }
# one_message FLAG: stderr is the single line of an over-budget refusal naming FLAG
one_message() {
    [ "$(wc -l <"$T/stderr")" -eq 1 ] || fail "more than one message: $ERR"
    assert_contains "$ERR" "could not check within the limits (raise with $1)" "the limit named"
}
# dest_clean DIR: an unpack left nothing in DIR, not even its temporary directory
dest_clean() { [ -z "$(ls -A "$1")" ] || fail "unpack left $(ls -A "$1") in $1"; }

expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz -q --mtime 0
gzip -dc story.tar.gz >story.tar || fail "gzip"
head -c $((64 << 20)) /dev/zero | bzip2 -9 >z64.bz2 || fail "bzip2" # 64 MiB of zeros in 79 bytes
# zeros_bz2 N: N x 64 MiB of zeros as concatenated bzip2 streams (bzip2 -d reads them as one)
zeros_bz2() { for _ in $(seq "$1"); do cat z64.bz2; done; }

note "bzip2: 4 GiB of zeros after the tar's end in $(($(bzip2 -c story.tar | wc -c) + 64 * 79)) bytes"
{ bzip2 -c story.tar && zeros_bz2 64; } >pad.tar.bz2
[ "$(bzip2 -dc pad.tar.bz2 | wc -c)" -gt $((4 << 30)) ] || fail "the fixture is not 4 GiB"
measure 3 "$ARTBAG" verify pad.tar.bz2
one_message --max-ratio
within_rss "bzip2 padding"
measure 3 "$ARTBAG" show pad.tar.bz2
one_message --max-ratio
measure 3 "$ARTBAG" verify --max-ratio 0 --max-bytes 256M pad.tar.bz2
one_message --max-bytes
assert_contains "$ERR" "more than 256 MiB decompressed" "the byte budget"
measure 3 "$ARTBAG" show --max-ratio 0 --max-bytes 256M pad.tar.bz2
one_message --max-bytes
expect_exit_stdin 3 pad.tar.bz2 "$ARTBAG" verify -
note "a little padding (2 MiB) is a warning, and the bag is still valid"
{ cat story.tar && head -c $((2 << 20)) /dev/zero; } | bzip2 >pad2m.tar.bz2
measure 0 "$ARTBAG" verify pad2m.tar.bz2
assert_contains "$OUT" "zero bytes follow the tar's end-of-archive marker" "padding warning"
expect_exit 0 "$ARTBAG" verify --json pad2m.tar.bz2
verify_json_check "$T/stdout" 0 'b["valid"]' '"padding" in wkinds'

note "zeros for ever: /dev/zero, and a bag followed by /dev/zero on standard input"
# an empty tar as far as the eye can see: not a bag (exit 3), said at once, not after 64 GiB
measure 3 "$ARTBAG" verify /dev/zero
assert_contains "$ERR" "'/dev/zero': not a bag" "/dev/zero"
for f in story.tar story.tar.gz; do
    measure 3 bash -c "cat $f /dev/zero 2>/dev/null | '$ARTBAG' verify --max-bytes 512M -"
    one_message --max-bytes
done

note "unpack: a 4 GiB file of zeros in the bag; what reaches the destination is bounded"
"$PY" - story.tar prefix.tar <<'PYEOF' || fail "python could not write the tar header"
import io, sys, tarfile
raw = io.BytesIO()
t = tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT)
with tarfile.open(sys.argv[1]) as src:
    for m in src.getmembers():
        t.addfile(m, src.extractfile(m) if m.isfile() else None)
big = tarfile.TarInfo(m.name.split("/")[0] + "/data/zeros.bin")
big.size = 4 << 30
raw.write(big.tobuf(format=tarfile.USTAR_FORMAT))
open(sys.argv[2], "wb").write(raw.getvalue())  # no end marker: the 4 GiB of zeros, then it
PYEOF
{ bzip2 -c prefix.tar && zeros_bz2 64 && head -c 10240 /dev/zero | bzip2; } >big.tar.bz2
echo "   big.tar.bz2: $(wc -c <big.tar.bz2) bytes"
mkdir dest
# Past 96 MiB in one file the kernel stops the writer (SIGXFSZ): unbounded, it writes 4 GiB.
measure 3 prlimit --fsize=$((96 << 20)) "$ARTBAG" unpack big.tar.bz2 -C dest
one_message --max-ratio
dest_clean dest
measure 3 prlimit --fsize=$((160 << 20)) "$ARTBAG" unpack --max-ratio 0 --max-bytes 128M big.tar.bz2 -C dest
one_message --max-bytes
dest_clean dest
if [ "$(id -u)" -eq 0 ] && mkdir small && mount -t tmpfs -o size=16m tmpfs small 2>/dev/null; then
    on_exit "umount '$T/small'"
    note "unpack into 16 MiB of free space stops before the disk fills"
    measure 3 "$ARTBAG" unpack --max-ratio 0 big.tar.bz2 -C small
    assert_contains "$ERR" "does not fit in 'small'" "free space named"
    dest_clean small
    [ "$(df --output=used -B1 small | tail -1)" -lt $((1 << 20)) ] || fail "the tmpfs kept data"
    head -c $((20 << 20)) /dev/urandom >small.bin
    expect_exit 3 "$ARTBAG" unpack small.bin -C small
    assert_contains "$ERR" "the bundle alone is larger than the" "checked before writing"
    dest_clean small
else
    note "(not root, or no tmpfs: the free-space check is not exercised)"
fi

note "xz: a block header asking for a 4 GiB dictionary, over 160 MiB of zeros"
{ cat story.tar && head -c $((160 << 20)) /dev/zero; } | xz -0 -T1 >plain.tar.xz || fail "xz"
"$PY" - plain.tar.xz dict4g.tar.xz <<'PYEOF' || fail "python could not patch the xz block header"
import sys, zlib
b = bytearray(open(sys.argv[1], "rb").read())
hs = (b[12] + 1) * 4                       # the block header follows the 12-byte stream header
h = b[12:12 + hs]
assert h[1] == 0 and h[2] == 0x21 and h[3] == 1, "xz -0 -T1 writes one LZMA2 filter, no sizes"
h[4] = 40                                  # LZMA2 dictionary property 40: 4 GiB - 1
h[-4:] = zlib.crc32(bytes(h[:-4])).to_bytes(4, "little")
b[12:12 + hs] = h
open(sys.argv[2], "wb").write(b)
PYEOF
xz -t plain.tar.xz || fail "xz -t"
measure 3 "$ARTBAG" verify --max-ratio 0 dict4g.tar.xz
one_message --max-window
within_rss "xz 4 GiB dictionary"
measure 3 "$ARTBAG" show --max-ratio 0 dict4g.tar.xz
one_message --max-window
mkdir d2 && measure 3 "$ARTBAG" unpack --max-ratio 0 dict4g.tar.xz -C d2 && dest_clean d2
note "xz -9 (a 64 MiB dictionary) is within the default"
xz -9 -T1 -c story.tar >nine.tar.xz
measure 0 "$ARTBAG" verify nine.tar.xz

note "zstd: a 128 MiB window over 160 MiB of zeros"
{ cat story.tar && head -c $((160 << 20)) /dev/zero; } | zstd -q -1 --long=27 >w128.tar.zst
measure 3 "$ARTBAG" verify --max-ratio 0 w128.tar.zst
one_message --max-window
within_rss "zstd 128 MiB window"
measure 0 "$ARTBAG" verify --max-ratio 0 --max-window 128M --max-bytes 1G story.tar
note "zstd: a small first frame, then a frame with a 128 MiB window (every frame is held)"
head -c 10240 story.tar | zstd -q -1 >frames.tar.zst
{ tail -c +10241 story.tar && head -c $((160 << 20)) /dev/zero; } | zstd -q -1 --long=27 >>frames.tar.zst
zstd -q -t frames.tar.zst || fail "zstd -t refuses the two frames"
measure 3 "$ARTBAG" verify --max-ratio 0 frames.tar.zst
one_message --max-window
within_rss "zstd 128 MiB window in a second frame"

note "200,000 directory entries in $(printf '%s' '.tar.zst'), with --max-entries 50000"
"$PY" - <<'PYEOF' | zstd -q -3 >dirs.tar.zst || fail "python could not write the entries"
import sys, tarfile
out = sys.stdout.buffer
ti = tarfile.TarInfo("x")
ti.type, ti.mode = tarfile.DIRTYPE, 0o755
for i in range(200000):
    ti.name = "story/data/d%07d" % i
    out.write(ti.tobuf(format=tarfile.USTAR_FORMAT))
out.write(bytes(10240))
PYEOF
measure 3 "$ARTBAG" verify --max-entries 50000 dirs.tar.zst
one_message --max-entries
assert_contains "$ERR" "more than 50000 entries" "the count"
within_rss "200,000 entries"
measure 3 "$ARTBAG" show --max-entries 50000 dirs.tar.zst
one_message --max-entries
# (each directory made costs this machine's disk milliseconds to make and to remove again)
mkdir d3 && measure 3 "$ARTBAG" unpack --max-entries 2000 dirs.tar.zst -C d3 && dest_clean d3
one_message --max-entries

note "a path 200 levels deep (default --max-depth 128); 128 levels is within it"
# deep_tar N OUT: the story bag with one more file N directories below the bag's top
deep_tar() {
    "$PY" - story.tar "$1" "$2" <<'PYEOF' || fail "python could not write the deep tar"
import io, sys, tarfile
n = int(sys.argv[2])
with tarfile.open(sys.argv[1]) as src, tarfile.open(sys.argv[3], "w", format=tarfile.PAX_FORMAT) as t:
    for m in src.getmembers():
        t.addfile(m, src.extractfile(m) if m.isfile() else None)
    ti = tarfile.TarInfo(m.name.split("/")[0] + "/data/" + "d/" * (n - 2) + "f")
    ti.size = 2
    t.addfile(ti, io.BytesIO(b"x\n"))
PYEOF
}
deep_tar 200 deep200.tar
deep_tar 128 deep128.tar
measure 3 "$ARTBAG" verify deep200.tar
one_message --max-depth
mkdir d4 && measure 3 "$ARTBAG" unpack deep200.tar -C d4 && dest_clean d4
measure 3 "$ARTBAG" show deep200.tar
one_message --max-depth
measure 1 "$ARTBAG" verify deep128.tar # an unlisted file: judged, not refused
assert_contains "$OUT" "not listed in manifest-sha256.txt" "judged"
measure 0 "$ARTBAG" verify --max-depth 3 story.tar.gz

echo "bombs: ok"
