#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# A corruption test: bytes flipped at 300 offsets of a sample .tar.gz bundle and the bundle cut
# at 100 lengths (offsets spread over the file, fixed by a seed). artbag verify must never crash
# or hang (a flipped copy exits 0 or 1 within 10 s; whenever it says OK, GNU tar must extract
# exactly the original content), and every cut copy is "could not check" (exit 3) with the one
# message "truncated gzip stream at byte N", N its length (issue 12).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

SEED=20260115
mkdir orig bad got
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o sample.tar.gz --mtime 1419206400 -q
tar -xzf sample.tar.gz -C orig || fail "GNU tar could not extract the sample"
expect_exit 0 "$ARTBAG" verify sample.tar.gz

note "make 300 flipped and 100 truncated copies (seed $SEED)"
"$PY" - sample.tar.gz bad $SEED <<'PYEOF' || fail "could not make the corrupt copies"
import random, sys
data = open(sys.argv[1], "rb").read()
rnd = random.Random(int(sys.argv[3]))
n = len(data)
for i in range(300):
    # one offset in each of 300 equal slices, so the header, the deflate stream and the
    # trailer are all hit
    off = min(n - 1, i * n // 300 + rnd.randrange(max(1, n // 300)))
    d = bytearray(data)
    d[off] ^= rnd.randrange(1, 256)
    open("%s/flip-%03d-at-%d.tar.gz" % (sys.argv[2], i, off), "wb").write(d)
for i in range(100):
    cut = min(n - 1, i * n // 100 + rnd.randrange(max(1, n // 100)))
    open("%s/cut-%03d-at-%d.tar.gz" % (sys.argv[2], i, cut), "wb").write(data[:cut])
PYEOF
[ "$(find bad -type f | wc -l)" -eq 400 ] || fail "expected 400 corrupt copies"

note "verify each cut copy, from the file and from standard input"
for f in bad/cut-*.tar.gz; do
    n=$(size_of "$f")
    for how in file stdin; do
        if [ $how = file ]; then
            timeout "$(secs 10)" "$ARTBAG" verify -q "$f" >"$T/out" 2>&1
        else
            timeout "$(secs 10)" "$ARTBAG" verify -q - <"$f" >"$T/out" 2>&1
        fi
        rc=$?
        [ $rc -eq 3 ] || fail "verify exited $rc on '$f' ($how), not 3: $(head -c 300 "$T/out")"
        [ "$(wc -l <"$T/out")" -eq 1 ] || fail "more than one line for '$f' ($how): $(head -c 300 "$T/out")"
        # One byte does not say gzip (its magic number is two): no format at all.
        want="truncated gzip stream at byte $n\$"
        [ "$n" -ge 2 ] || want="not an archive or bag"
        grep -q "$want" "$T/out" ||
            fail "'$f' ($how): not '$want': $(cat "$T/out")"
    done
done

note "verify each flipped copy"
ok=0
rejected=0
for f in bad/flip-*.tar.gz; do
    timeout "$(secs 10)" "$ARTBAG" verify -q "$f" >"$T/out" 2>&1
    rc=$?
    case $rc in
    0)
        ok=$((ok + 1))
        rm -rf got/*
        # GNU tar stops at a bad gzip CRC or length only after extracting, so the content is
        # compared either way; a difference is a hard failure, a refusal a discrepancy.
        tar -xzf "$f" -C got 2>"$T/tar.err" ||
            discrepancy "verify said OK for '$f' but GNU tar refuses it: $(grep -m1 gzip "$T/tar.err")"
        diff -r orig got >&2 || fail "verify said OK for '$f' but its content differs from the original"
        ;;
    1) rejected=$((rejected + 1)) ;;
    124) fail "verify hung on '$f' (killed after 10 s)" ;;
    *) fail "verify exited $rc on '$f': $(head -c 300 "$T/out")" ;;
    esac
done
note "$ok said OK (content identical), $rejected rejected"
[ "$rejected" -ge 200 ] || fail "only $rejected of 300 flipped copies rejected"

discrepancies_end
