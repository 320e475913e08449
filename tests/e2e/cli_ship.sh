#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The rough edges of issue 17, each checked end to end: a bare --progress means always and its
# line is erased (\r, erase to end) before results and at the end; verify -r and audit find bag
# directories as well as archives, and an empty search says so (exit 1); paths print as given,
# without doubled slashes; unpack defaults to the current directory, names a missing
# destination as the destination, and restores directories' times as well as files'.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q || fail "pack"
mkdir -p arch/2014/bags arch/empty
cp story.tar.gz arch/2014/
tar -xzf story.tar.gz -C arch/2014/bags || fail "tar x"

note "a bare --progress means always; its line is erased, never left standing"
expect_exit 0 "$ARTBAG" verify --progress arch/2014/story.tar.gz story.tar.gz
assert_contains "$ERR" "verify: 2/2" "bare --progress, not a terminal"
# the meter's last drawing is followed by its erasure
[ "$(tail -c 4 "$T/stderr" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
    fail "stderr does not end by erasing the meter: $(od -c "$T/stderr" | tail -3)"
expect_exit 0 "$ARTBAG" verify --progress=never arch/2014/story.tar.gz story.tar.gz
assert_stderr_empty
cp story.tar.gz bad.tar.gz
printf 'x' | dd of=bad.tar.gz bs=1 seek=100 conv=notrunc 2>/dev/null
# On a terminal (stdout and stderr the same), what shows on each line after the last carriage
# return must never be a stale meter: results and messages start where the meter was.
cat >onatty.py <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
PY
expect_exit 3 $PY onatty.py "$ARTBAG" verify --progress story.tar.gz bad.tar.gz arch/2014/story.tar.gz nothere.tar.gz
grep -c 'verify: [0-9]/4' "$T/stdout" >/dev/null || fail "no meter on the terminal"
# the line a terminal shows: what follows the last \r, erase-to-end removed
$PY - "$T/stdout" <<'PY' || fail "a stale meter line on the terminal"
import re, sys
data = open(sys.argv[1], "rb").read().decode()
for line in data.split("\n"):
    shown = line.split("\r")[-1] if not line.endswith("\r") else line.rstrip("\r").split("\r")[-1]
    # a drawn meter stays only if nothing erased it: shown text starting with "verify: N/M"
    shown = shown.replace("\x1b[K", "")
    if re.match(r"verify: \d+/\d+", shown):
        print("stale:", repr(line))
        sys.exit(1)
PY
assert_contains "$(cat "$T/stdout")" "FAIL  bad.tar.gz" "the invalid one's result"
assert_contains "$(cat "$T/stdout")" "nothere.tar.gz" "the missing one's message"

note "verify -r finds bag directories and archives, paths as given"
expect_exit 0 "$ARTBAG" verify -r arch/
assert_eq "$(printf 'OK    arch/2014/bags/story: 2 files, 2648 bytes, sha256\nOK    arch/2014/story.tar.gz: 2 files, 2648 bytes, sha256')" \
    "$(sed 's/ ([^)]*)//' "$T/stdout" | sed -n '1,2p' | sed 's/, [0-9]* bytes/, 2648 bytes/')" "verify -r arch/"
grep -q '//' "$T/stdout" && fail "a doubled slash: $OUT"
expect_exit 0 "$ARTBAG" verify -r arch///
grep -q '//' "$T/stdout" && fail "a doubled slash: $OUT"
assert_eq 2 "$(grep -c '^OK' "$T/stdout")" "bundles found under arch///"
# a bag directory given to -r is itself checked
expect_exit 0 "$ARTBAG" verify -r arch/2014/bags/story
assert_eq 1 "$(grep -c '^OK    arch/2014/bags/story:' "$T/stdout")" "-r on a bag"

note "an empty search says so, exit 1, and the rest is still checked"
expect_exit 1 "$ARTBAG" verify -r arch/empty
assert_eq "artbag: verify: no bundles or bags found under 'arch/empty'" "$ERR" "empty -r"
assert_stdout_empty
expect_exit 1 "$ARTBAG" verify -r arch/empty/ story.tar.gz
assert_contains "$ERR" "no bundles or bags found under 'arch/empty/'" "empty -r beside a bundle"
assert_contains "$OUT" "OK    story.tar.gz" "the bundle beside an empty -r"
expect_exit 1 "$ARTBAG" audit --ledger ledger.sqlite arch/empty
assert_eq "artbag: audit: no bundles or bags found under 'arch/empty'" "$ERR" "empty audit"
expect_exit 0 "$ARTBAG" audit --ledger ledger.sqlite -q arch/
assert_contains "$OUT" "2 bundles found" "audit finds the archive and the bag"

note "unpack: the current directory by default; a missing destination is named as one"
mkdir here
(cd here && "$ARTBAG" unpack ../story.tar.gz >../out.txt 2>&1) || fail "unpack without -C: $(cat out.txt)"
[ -f here/story/bagit.txt ] || fail "unpack without -C did not unpack into ."
assert_eq "unpacked '../story.tar.gz' into './story' (2 files, 2648 bytes)" "$(sed 's/, [0-9]* bytes)/, 2648 bytes)/' out.txt)" "unpack's line"
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C nowhere
assert_eq "artbag: unpack: destination 'nowhere': No such file or directory" "$ERR" "missing destination"
mkdir there
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C there//
assert_contains "$OUT" "into 'there/story'" "unpack -C there//"

note "unpack restores directories' times, the bag's own included"
mkdir stamped
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C stamped
for d in stamped/story stamped/story/data; do
    assert_eq 1419206400 "$(stat -c %Y "$d")" "time of '$d'"
done
assert_eq 1419206400 "$(stat -c %Y stamped/story/data/article.md)" "time of a file"
# a bundle whose directories carry other times than its files: each gets its own
mkdir -p src/b/data/sub && cp -r here/story/. src/b/ && mkdir -p src/b/data/sub
rmdir src/b/data/sub
touch -d @1000000000 src/b/data/article.md src/b/data/metadata.json src/b/*.txt
touch -d @1100000000 src/b/data
touch -d @1200000000 src/b
tar -C src -czf times.tar.gz --sort=name b || fail "tar c"
mkdir t2
expect_exit 0 "$ARTBAG" unpack times.tar.gz -C t2
assert_eq 1200000000 "$(stat -c %Y t2/b)" "the bag directory's time"
assert_eq 1100000000 "$(stat -c %Y t2/b/data)" "data/'s time"
assert_eq 1000000000 "$(stat -c %Y t2/b/data/article.md)" "a file's time"
true
