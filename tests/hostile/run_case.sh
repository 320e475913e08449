#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# run_case.sh CASE: builds the hostile bundle CASE (make.py) from a freshly packed valid bag and
# checks that artbag verify rejects it (exit 1; exit 3 for a bomb over a budget) and artbag
# unpack refuses it (the same), with
# nothing written inside the destination nor anywhere outside it, the bundle untouched, and a
# verdict that cannot be forged by the names inside (no raw control characters in the output).
# A few cases have their own limits on time and memory; see the case statement below.
HOSTILE_DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../e2e/lib.sh
. "$HOSTILE_DIR/../e2e/lib.sh"
CASE=${1:?usage: run_case.sh CASE}
TEST_NAME=hostile.$CASE
MAKE=$HOSTILE_DIR/make.py

mkdir src bundles work work/dest work/outside work/cwd
echo secret >work/outside/secret
"$ARTBAG" pack "$ARTBAG_SEED" -o src/story.tar.gz --mtime 1419206400 -q || fail "pack failed"
tar -xzf src/story.tar.gz -C src || fail "tar"
B=$T/bundles/$CASE.tar.gz
start=$(date +%s.%N)
"$PY" "$MAKE" "$CASE" "$T/src/story" "$T/work/outside" "$B" || fail "make.py $CASE failed"
note "$CASE: $(size_of "$B") bytes, made in $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
sha256sum "$B" >bundle.sha256

# Everything under work/, with sizes, modes and the content of regular files, for before/after.
state() { (cd "$T/work" && find . -printf '%p %y %s %m %l\n' | LC_ALL=C sort &&
    find . -type f -exec sha256sum {} + | LC_ALL=C sort); }
# No C0 control character but LF and TAB, no DEL, no C1 in the output: a name must not be able
# to forge a line of the verdict or drive the terminal.
clean_output() {
    if LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]' "$1"; then
        discrepancy "$2: output holds raw control characters from a name: $(LC_ALL=C grep -aP '[\x00-\x08\x0b-\x1f\x7f]' "$1" | head -c 300 | od -c | head -5 | tr -s ' ')"
    fi
    # The bundle's own verdict starts "OK    BUNDLE: " (only in the cases where it is valid).
    if grep -a '^OK ' "$1" | grep -avqF "OK    $B: "; then
        discrepancy "$2: a name forged an 'OK' line in the output: $(grep -a '^OK ' "$1" | grep -avF "OK    $B: " | head -3)"
    fi
}
# Wall time and peak RSS of a command (getrusage of the waited-for child, as GNU time reports).
TIME=("$PY" -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("%.2f s, %d KiB peak RSS\n" % (time.time() - t, u.ru_maxrss))
sys.exit(rc if rc >= 0 else 128 - rc)
' "$T/time")
# run LABEL WANT cmd...: runs cmd in work/cwd (so a relative escape lands in work/), records
# time and peak memory, and checks the exit code.
run() {
    local label=$1 want=$2 rc
    shift 2
    rm -f "$T/time"
    (cd "$T/work/cwd" && "${TIME[@]}" "$@") >"$T/out" 2>"$T/err"
    rc=$?
    [ -s "$T/time" ] && note "$label: $(tail -n 1 "$T/time")"
    if [ "$rc" -ne "$want" ]; then
        head -c 2000 "$T/out" >&2
        head -c 2000 "$T/err" >&2
        fail "$label: expected exit $want, got $rc"
    fi
}
peak_kib() { [ -s "$T/time" ] && tail -n 1 "$T/time" | sed 's/.*, \([0-9]*\) KiB.*/\1/' || echo 0; }
secs() { [ -s "$T/time" ] && tail -n 1 "$T/time" | sed 's/ s,.*//' | cut -d. -f1 || echo 0; }

before=$(state)
VERIFY_OPTS=()
JSON_OPTS=()
UNPACK_OPTS=()
STDIN_UNPACK=1
WANT=1 # checked and rejected; 3 for a bundle over a budget (not judged: README, "Limits")
REFUSAL="nothing was unpacked"
DEST=$T/work/dest
case $CASE in
long-path | long-component)
    # A bag whose only oddity is a 4096-byte path (PATH_MAX counts the NUL, so no single system
    # call can name it) or a 256-byte name (over NAME_MAX). RFC 8493 does not forbid them, but
    # no POSIX file system can restore them, so verify rejects them (unsafe-entry) and unpack
    # with it, before anything is written: the same as every other case here.
    ;;
long-manifest-line)
    # 100 MB of one manifest line compresses past the ratio ceiling; without it, the tag-file
    # limit is what this case tests.
    VERIFY_OPTS=(--max-ratio 0)
    UNPACK_OPTS=(--max-ratio 0)
    ;;
bomb)
    # 10^10 zero bytes under a forged digest: past 64 MiB the ratio ceiling (1000) stops verify
    # and unpack alike, exit 3, in bounded memory and without writing 10 GB.
    WANT=3
    REFUSAL="could not check within the limits (raise with --max-ratio)"
    ;;
many-entries)
    # A million entries: unpack creates each file before the verdict. A tmpfs destination keeps
    # that from measuring the disk's fsync rate (see tests/README.md).
    if mount -t tmpfs -o size=1g,mode=0755 tmpfs "$DEST" 2>/dev/null; then
        on_exit umount "'$DEST'"
        before=$(state)
    fi
    STDIN_UNPACK=0 # the same million files again would add half a minute and nothing new
    ;;
esac

run "verify" "$WANT" "$ARTBAG" verify "${VERIFY_OPTS[@]}" "$B"
cp "$T/out" verify.out
clean_output verify.out "verify"
case $CASE in
bomb)
    [ "$(peak_kib)" -lt 65536 ] || fail "verify of the bomb took $(peak_kib) KiB, over 64 MiB"
    grep -q 'could not check within the limits (raise with --max-ratio)' "$T/err" || fail "bomb not stopped by the ratio ceiling: $(head -c 500 "$T/err")"
    ;;
many-entries)
    # A bound that catches cost growing faster than the entries (minutes, not seconds), not a
    # speed figure: those are tests/bench/'s, and a busy machine must give a slow pass here.
    [ "$(secs)" -lt 300 ] || discrepancy "verify of 1,000,000 entries took $(secs) s (over 300 s)"
    ;;
esac
run "verify --json" "$WANT" "$ARTBAG" verify --json "${VERIFY_OPTS[@]}" "${JSON_OPTS[@]}" "$B"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); b=d["bundles"][0]; assert not b["valid"] and b["problems"], b' "$T/out" ||
    fail "verify --json is not an invalid verdict with problems"
note "problem kinds: $("$PY" -c 'import json,sys; print(" ".join(sorted(set(p["kind"] for p in json.load(open(sys.argv[1]))["bundles"][0]["problems"]))))' "$T/out")"

run "unpack" "$WANT" "$ARTBAG" unpack "${UNPACK_OPTS[@]}" "$B" -C "$DEST"
assert_contains "$(cat "$T/err")" "$REFUSAL" "unpack's refusal"
clean_output "$T/out" "unpack stdout"
[ "$CASE" = bomb ] && { [ "$(peak_kib)" -lt 65536 ] || fail "unpack of the bomb took $(peak_kib) KiB, over 64 MiB"; }
[ "$CASE" = many-entries ] && { [ "$(secs)" -lt 300 ] || discrepancy "unpack of 1,000,000 entries took $(secs) s (over 300 s)"; }

# shellcheck disable=SC2016 # the inner script's variables are its own
[ "$STDIN_UNPACK" -eq 1 ] && run "unpack from standard input" "$WANT" bash -c 'a=$1 d=$2 b=$3; shift 3; exec "$a" unpack "$@" - -C "$d" <"$b"' \
    _ "$ARTBAG" "$DEST" "$B" "${UNPACK_OPTS[@]}"

after=$(state)
if [ "$before" != "$after" ]; then
    diff <(echo "$before") <(echo "$after") | head -20 >&2
    fail "something was written inside the destination or outside it"
fi
[ -e "$T/escaped.txt" ] || [ -e "$T/x" ] || [ -e "$T/work/escaped.txt" ] || [ -e "$T/work/x" ] &&
    fail "a file escaped"
sha256sum --quiet -c bundle.sha256 || fail "the bundle changed"
discrepancies_end
exit 0
