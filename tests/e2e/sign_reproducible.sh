#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Signing is reproducible: sign and counter-sign keep every entry's time (the bag's own
# directory and signatures/ included) and take the signature's time (its entry, and the
# timestamp in its trusted comment) from --mtime or SOURCE_DATE_EPOCH, so the same bundle signed
# by the same key at two wall-clock times gives the same bytes. And keygen: --force replaces a
# pair only once the new one is whole, and the terminal prompt names the key it is asking for.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

"$ARTBAG" keygen -o alice --no-passphrase >/dev/null || fail "keygen alice"
"$ARTBAG" keygen -o bob --no-passphrase >/dev/null || fail "keygen bob"
mkdir one two
for d in one two; do
    "$ARTBAG" pack "$ARTBAG_SEED" -o $d/story.tar.gz --mtime 1419206400 -q || fail "pack $d"
done
times() { tar -tvzf "$1" --full-time | awk '{print $4, $5, $6}'; }

note "sign --mtime and SOURCE_DATE_EPOCH, a second apart on the wall clock: the same bytes"
expect_exit 0 "$ARTBAG" sign one/story.tar.gz --key alice.key --no-passphrase --mtime 1500000000
sleep 1.1
SOURCE_DATE_EPOCH=1500000000 expect_exit 0 "$ARTBAG" sign two/story.tar.gz --key alice.key --no-passphrase
cmp one/story.tar.gz two/story.tar.gz || fail "signed at the same --mtime, the bundles differ"
# --mtime wins over SOURCE_DATE_EPOCH, as in pack
cp one/story.tar.gz over.tar.gz
SOURCE_DATE_EPOCH=1 expect_exit 0 "$ARTBAG" sign over.tar.gz --key alice.key --no-passphrase --mtime 1500000000
cmp one/story.tar.gz over.tar.gz || fail "--mtime did not win over SOURCE_DATE_EPOCH"

note "every entry keeps its time; the signature's time is the one given"
times one/story.tar.gz >t.txt
grep -v 'signatures/' t.txt | grep -v '^2014-12-22 00:00:00 ' && fail "an entry lost its time"
grep -c '^2017-07-14 02:40:00 .*signatures/' t.txt | grep -qx 2 || fail "signatures/ and its file: $(cat t.txt)"
expect_exit 0 "$ARTBAG" verify --json --trust alice.pub one/story.tar.gz
assert_contains "$OUT" 'timestamp:1500000000' "trusted comment's timestamp"
assert_contains "$OUT" 'time:2017-07-14T02:40:00Z' "trusted comment's time"

note "counter-signing: the same, and the first signature's entries keep their times"
expect_exit 0 "$ARTBAG" sign one/story.tar.gz --key bob.key --no-passphrase --mtime 1600000000
sleep 1.1
expect_exit 0 env SOURCE_DATE_EPOCH=1600000000 "$ARTBAG" sign two/story.tar.gz --key bob.key --no-passphrase
cmp one/story.tar.gz two/story.tar.gz || fail "counter-signed at the same time, the bundles differ"
times one/story.tar.gz >t2.txt
grep -q '^2017-07-14 02:40:00 .*signatures/$' t2.txt || fail "signatures/ lost its time: $(cat t2.txt)"
grep -q '^2017-07-14 02:40:00 .*signatures/tagmanifest-sha256.txt.minisig$' t2.txt ||
    fail "alice's signature lost its time"
grep -q '^2020-09-13 12:26:40 .*\.minisig$' t2.txt || fail "bob's signature: $(cat t2.txt)"
expect_exit 0 "$ARTBAG" verify --trust alice.pub --trust bob.pub --require-signature one/story.tar.gz

note "without a time given, the signature takes the clock's (and stays valid)"
"$ARTBAG" pack "$ARTBAG_SEED" -o now.tar.gz --mtime 1419206400 -q || fail "pack now"
before=$(date +%s)
expect_exit 0 "$ARTBAG" sign now.tar.gz --key alice.key --no-passphrase
expect_exit 0 "$ARTBAG" verify --json --trust alice.pub now.tar.gz
ts=$(printf '%s' "$OUT" | sed -n 's/.*timestamp:\([0-9]*\).*/\1/p' | head -1)
[ "$ts" -ge "$before" ] || fail "unstamped signature's time $ts before $before"
expect_exit 2 "$ARTBAG" sign now.tar.gz --key alice.key --no-passphrase --mtime -5
SOURCE_DATE_EPOCH=soon expect_exit 2 "$ARTBAG" sign now.tar.gz --key alice.key --no-passphrase

note "keygen --force replaces a pair; without it an existing pair is kept"
cp alice.key alice.key.old
expect_exit 3 "$ARTBAG" keygen -o alice --no-passphrase
assert_eq "artbag: keygen: 'alice.key': already exists; pass --force to replace the pair" "$ERR" "keygen onto a pair"
cmp alice.key alice.key.old || fail "keygen without --force changed alice.key"
expect_exit 0 "$ARTBAG" keygen -o alice --no-passphrase --force
cmp -s alice.key alice.key.old && fail "keygen --force kept the old key"
assert_eq 600 "$(stat -c %a alice.key)" "mode of the replaced key"
cp one/story.tar.gz forced.tar.gz
expect_exit 0 "$ARTBAG" sign forced.tar.gz --key alice.key --no-passphrase
expect_exit 0 "$ARTBAG" verify --trust alice.pub --require-signature forced.tar.gz
# a failing --force (an empty passphrase file) leaves the old pair as it was
cp alice.key alice.key.old
cp alice.pub alice.pub.old
: >empty.txt
expect_exit 2 "$ARTBAG" keygen -o alice --passphrase-file empty.txt --force
cmp alice.key alice.key.old && cmp alice.pub alice.pub.old || fail "a failed --force changed the pair"
ls -a | grep -q '^\.artbag-keygen' && fail "a failed --force left its temporary directory"

note "the terminal prompt names the key file"
printf 'secret\n' >secret.txt
"$ARTBAG" keygen -o carol --passphrase-file secret.txt >/dev/null || fail "keygen carol"
cat >onatty.py <<'PY'
import os, pty, sys, termios, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen = b""
answered = 0
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if seen.count(b": ") > answered and seen.rstrip(b" ").endswith(b":"):
        # answer once echo is off: artbag flushes what was typed before (TCSAFLUSH)
        for _ in range(2000):
            if not termios.tcgetattr(fd)[3] & termios.ECHO:
                break
            time.sleep(0.01)
        time.sleep(0.05)
        os.write(fd, b"secret\n")
        answered += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
cp one/story.tar.gz tty.tar.gz
expect_exit 0 $PY onatty.py "$ARTBAG" sign tty.tar.gz --key carol.key
assert_contains "$OUT" "passphrase for 'carol.key': " "sign's prompt"
expect_exit 0 $PY onatty.py "$ARTBAG" keygen -o dave
assert_contains "$OUT" "passphrase for 'dave.key': " "keygen's prompt"
assert_contains "$OUT" "passphrase for 'dave.key' again: " "keygen's second prompt"
expect_exit 0 "$ARTBAG" sign tty.tar.gz --key dave.key --passphrase-file secret.txt
# without a terminal, the message names the key too
expect_exit 2 setsid "$ARTBAG" sign tty.tar.gz --key carol.key
assert_contains "$ERR" "passphrase of 'carol.key'" "no terminal"
true
