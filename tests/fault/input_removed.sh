#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The input removed or cut short while pack reads it. pack either succeeds with exactly the bytes
# it read (the bundle verifies and its article is those bytes) or fails cleanly (no bundle, no
# temporary); never a partial or inconsistent bundle.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir in out
big_article in/big.md 40
cp in/big.md big.orig
RE=$(pack_temp_re x.tar.gz)

# outcome HOW RC: pack exited RC; check the result is all or nothing. Sets GOT to the article
# the bundle holds (empty when none).
outcome() {
    local how=$1 rc=$2 s
    s=$(strays out "$RE" x.tar.gz)
    [ -z "$s" ] || fail "$how: unrecognisable files left: $s"
    [ -z "$(temps out "$RE")" ] || fail "$how: pack exited ($rc) but left a temporary: $(listing out)"
    GOT=
    if [ "$rc" -eq 0 ]; then
        [ -f out/x.tar.gz ] || fail "$how: exit 0 but no bundle"
        expect_exit 0 "$ARTBAG" verify out/x.tar.gz
        mkdir -p x
        tar -xzf out/x.tar.gz -C x || fail "$how: tar"
        GOT=x/x/data/article.md
    else
        [ -e out/x.tar.gz ] && fail "$how: pack failed ($rc) but left a bundle"
        note "$how: pack failed cleanly (exit $rc)"
    fi
    return 0
}
clean() { rm -rf out/* out/.[!.]* x; }

note "the input file removed while pack reads it: the open file is read to its end"
cp big.orig in/victim.md
"$ARTBAG" pack in/victim.md -o out/x.tar.gz --mtime 0 -q &
pid=$!
sleep 0.05
rm in/victim.md
wait "$pid"
outcome "rm" $?
[ -n "$GOT" ] && { cmp -s "$GOT" big.orig || fail "rm: the bundle does not hold the whole input"; }
clean

note "the input truncated while pack reads it: whatever was read, consistently"
for t in 0.01 0.05 0.2; do
    cp big.orig in/victim.md
    "$ARTBAG" pack in/victim.md -o out/x.tar.gz --mtime 0 -q --url https://e.org/x --title T &
    pid=$!
    sleep "$t"
    : >in/victim.md
    wait "$pid"
    outcome "truncate at ${t}s" $?
    # What was read is a prefix of the original: verify already proved it matches its manifest.
    if [ -n "$GOT" ]; then
        n=$(size_of "$GOT")
        cmp -s -n "$n" "$GOT" big.orig || fail "truncate: the article is not a prefix of the input"
    fi
    clean
done

note "a FIFO whose writer dies part way, and the FIFO removed: pack packs what came"
for n in 1000 3000000; do
    mkfifo in/fifo
    "$ARTBAG" pack in/fifo -o out/x.tar.gz --mtime 0 -q --url https://e.org/x --title T &
    pid=$!
    ( (
        exec >in/fifo
        rm ../in/fifo 2>/dev/null || rm "$T/in/fifo"
        head -c "$n" big.orig
        exit 0 # the writer goes away part way: pack sees end of file
    ) ) 2>/dev/null
    wait "$pid"
    outcome "fifo cut after $n bytes" $?
    if [ -n "$GOT" ]; then
        assert_eq "$n" "$(size_of "$GOT")" "bytes packed from the fifo"
        cmp -s -n "$n" "$GOT" big.orig || fail "fifo: the article is not what was written"
    fi
    rm -f in/fifo
    clean
done

note "a pipe cut mid-way: the same from standard input"
head -c 2000000 big.orig | "$ARTBAG" pack - -o out/x.tar.gz --mtime 0 -q --url https://e.org/x --title T
outcome "pipe" $?
[ -n "$GOT" ] && assert_eq 2000000 "$(size_of "$GOT")" "bytes packed from the pipe"
clean
exit 0
