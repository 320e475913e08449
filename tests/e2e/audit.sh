#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag audit on real bundles made with artbag pack: one ledger event per check, each with the
# identity that GNU tar and sha256sum find independently, the schema and chain as the sqlite3
# CLI and Python (not artbag) read them, and the change report for every kind of change: new,
# moved, duplicate, replaced, failing, recovered, missing. Exit status as documented.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
L=$T/ledger.sqlite
q() { sqlite3 -batch "$L" "$@" || fail "sqlite3 $*"; }
audit() { "$ARTBAG" audit --ledger "$L" -j 2 "$@"; }

# Bundles: two articles, one bag directory (an extracted bundle), one bundle below sub/.
mkdir -p arch/sub art stash
cp "$ARTBAG_SEED" art/one.md
sed 's/^# China condemns/# Beijing condemns/' "$ARTBAG_SEED" >art/two.md
cmp -s art/one.md art/two.md && fail "could not make a second article"
expect_exit 0 "$ARTBAG" pack art/one.md -o arch/one.tar.gz -q --mtime 0
expect_exit 0 "$ARTBAG" pack art/two.md -o arch/sub/two.tar.gz -q --mtime 0
expect_exit 0 "$ARTBAG" pack art/one.md -o stash/dirbag.tar.gz -q --mtime 0 --title "Dir bag"
tar -xzf stash/dirbag.tar.gz -C arch || fail "extract dirbag"
ARCH=$(cd arch && pwd -P)

note "first audit: every bundle new and valid"
expect_exit 0 audit arch
assert_contains "$OUT" "3 bundles found, 3 due, 3 checked (3 valid, 0 invalid, 0 unreadable)" "summary"
for b in one.tar.gz sub/two.tar.gz dirbag; do
    assert_contains "$OUT" "new        $ARCH/$b" "new $b"
done
assert_eq "wal" "$(q 'PRAGMA journal_mode')" "journal mode"
assert_eq "1" "$(q 'PRAGMA user_version')" "schema version"
assert_eq "artbag ledger|1" "$(q "SELECT a.value || '|' || s.value FROM meta a, meta s WHERE a.key = 'application' AND s.key = 'schema'")" "meta"
assert_eq "3" "$(q "SELECT count(*) FROM events WHERE outcome = 'valid' AND problems = '[]'")" "valid events"

# The identity, found without artbag: the SHA-256 of tagmanifest-sha256.txt as stored.
mkdir x
tar -xzf arch/one.tar.gz -C x || fail "extract one"
want_id=$(sha256_of x/one/tagmanifest-sha256.txt)
assert_eq "$want_id|tagmanifest-sha256.txt|$(bag_info_value x/one External-Identifier)|$(bag_info_value x/one Payload-Oxum)|$(size_of arch/one.tar.gz)|$(stat -c %Y arch/one.tar.gz)" \
    "$(q "SELECT identity || '|' || identity_file || '|' || external_identifier || '|' || payload_oxum || '|' || size || '|' || mtime FROM events WHERE path = '$ARCH/one.tar.gz'")" \
    "identity and facts of one.tar.gz"
assert_eq "$(sha256_of arch/dirbag/tagmanifest-sha256.txt)" \
    "$(q "SELECT identity FROM events WHERE path = '$ARCH/dirbag'")" "identity of the bag directory"
assert_eq "$AGENT|$(hostname)" "$(q "SELECT DISTINCT agent || '|' || host FROM events")" "agent"
q "SELECT time FROM events" | grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' &&
    fail "an event time is not ISO 8601 UTC"

# Every chain, recomputed from the sqlite3 CLI's JSON by the documented canonical form.
check_chain() {
    sqlite3 -json "$L" "SELECT * FROM events ORDER BY chain, seq" >events.json || fail "sqlite3 -json"
    sqlite3 -json "$L" "SELECT * FROM chains" >chains.json || fail "sqlite3 -json chains"
    "$PY" - events.json chains.json <<'PY' || fail "the chain does not verify independently"
import hashlib, json, re, sys
events = json.load(open(sys.argv[1])) if open(sys.argv[1]).read().strip() else []
heads = {c["chain"]: c for c in json.load(open(sys.argv[2]))}
keys = ["agent", "chain", "duration_ms", "external_identifier", "host", "identity",
        "identity_file", "mtime", "outcome", "path", "payload_oxum", "prev", "problems", "seq",
        "size", "time"]
prev = {}
for e in events:
    canon = json.dumps({k: e[k] for k in keys}, sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False)
    canon = re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), canon)
    h = hashlib.sha256(canon.encode()).hexdigest()
    assert h == e["hash"], ("hash", e["id"], h, e["hash"])
    assert e["prev"] == prev.get(e["chain"], "0" * 64), ("link", e["id"])
    assert e["seq"] == (prev_seq := len([x for x in events if x["chain"] == e["chain"] and x["seq"] < e["seq"]]) + 1), ("seq", e["id"])
    prev[e["chain"]] = h
for c, head in heads.items():
    assert head["head_hash"] == prev.get(c, "0" * 64), ("head", c)
PY
}
check_chain

note "nothing changed: no changes, exit 0"
expect_exit 0 audit arch -q
assert_eq "audit 2: 3 bundles found, 3 due, 3 checked (3 valid, 0 invalid, 0 unreadable), $(($(size_of arch/one.tar.gz) + $(size_of arch/sub/two.tar.gz)))" \
    "$(echo "$OUT" | sed 's/ bytes$//')" "a quiet audit of unchanged bundles"

note "moved, and a duplicate copy"
mv arch/sub/two.tar.gz arch/two-moved.tar.gz
cp arch/one.tar.gz arch/sub/one-copy.tar.gz
expect_exit 0 audit arch -q
assert_contains "$OUT" "moved      $ARCH/two-moved.tar.gz (was $ARCH/sub/two.tar.gz)" "moved"
assert_contains "$OUT" "duplicate  $ARCH/one.tar.gz (2 copies of ${want_id:0:16}...)" "duplicate"
assert_contains "$OUT" "duplicate  $ARCH/sub/one-copy.tar.gz (2 copies" "duplicate copy"
assert_contains "$OUT" "new        $ARCH/sub/one-copy.tar.gz" "the copy is new"
case $OUT in *missing*) fail "a moved bundle was reported missing: $OUT" ;; esac
assert_eq "missing" "$(q "SELECT outcome FROM events WHERE path = '$ARCH/sub/two.tar.gz' ORDER BY id DESC LIMIT 1")" \
    "the old path of a moved bundle is recorded as gone"

note "replaced: same path, another valid bundle"
expect_exit 0 "$ARTBAG" pack art/two.md -o arch/sub/one-copy.tar.gz -q --force --title "Replacement"
expect_exit 1 audit arch -q
assert_contains "$OUT" "replaced   $ARCH/sub/one-copy.tar.gz" "replaced"
case $OUT in *duplicate*) fail "no duplicates are left, yet: $OUT" ;; esac

note "failing: a payload byte changed; then recovered"
cp arch/one.tar.gz stash/one.good
mkdir m && tar -xzf arch/one.tar.gz -C m || fail "extract"
printf 'X' | dd of=m/one/data/article.md bs=1 seek=10 conv=notrunc status=none
tar -czf arch/one.tar.gz -C m one || fail "re-tar"
expect_exit 1 audit arch -q
assert_contains "$OUT" "FAIL  $ARCH/one.tar.gz" "the failing check is printed"
assert_contains "$OUT" "failing (was valid) $ARCH/one.tar.gz" "failing"
assert_contains "$OUT" "1 invalid" "count of invalid"
assert_contains "$(q "SELECT problems FROM events WHERE path = '$ARCH/one.tar.gz' ORDER BY id DESC LIMIT 1")" \
    '"kind":"checksum-mismatch","path":"data/article.md"' "the problem is recorded"
cp stash/one.good arch/one.tar.gz
expect_exit 0 audit arch -q
assert_contains "$OUT" "recovered  $ARCH/one.tar.gz" "recovered"

note "missing"
rm -r arch/dirbag
expect_exit 1 audit arch --json
"$PY" - "$T/stdout" "$ARCH" <<'PY' || fail "audit --json"
import json, sys
d = json.load(open(sys.argv[1]))
arch = sys.argv[2]
assert [c for c in d["changes"] if c["kind"] == "missing"] == [
    {"kind": "missing", "path": arch + "/dirbag", "old_path": None,
     "identity": d["changes"][0]["identity"]}], d
assert d["found"] == 3 and d["checked"] == 3 and d["valid"] == 3, d
assert [e["outcome"] for e in d["events"]] == ["valid"] * 3, d
PY
# Gone is said once: the next audit does not report it again.
expect_exit 0 audit arch -q
case $OUT in *missing*) fail "missing reported twice: $OUT" ;; esac

note "the default ledger: \$XDG_STATE_HOME/artbag, else ~/.local/state/artbag"
XDG_STATE_HOME=$T/state expect_exit 0 "$ARTBAG" audit -q arch
[ -f state/artbag/ledger.sqlite ] || fail "no ledger in \$XDG_STATE_HOME/artbag"
assert_eq 700 "$(stat -c %a state/artbag)" "mode of the state directory made"
mkdir home
expect_exit 0 env -u XDG_STATE_HOME HOME="$T/home" "$ARTBAG" audit -q arch
[ -f home/.local/state/artbag/ledger.sqlite ] || fail "no ledger in ~/.local/state/artbag"
expect_exit 0 env XDG_STATE_HOME=relative HOME="$T/home" "$ARTBAG" audit -q arch
assert_contains "$OUT" "audit 2:" "a relative XDG_STATE_HOME is ignored, as the spec says"
expect_exit 2 env -u XDG_STATE_HOME -u HOME "$ARTBAG" audit -q arch
assert_contains "$ERR" "no ledger: neither XDG_STATE_HOME nor HOME is an absolute path" "no default"

note "unreadable: a bundle whose path is longer than PATH_MAX"
mkdir deep
"$PY" - <<'PY' || fail "cannot make the deep tree"
import os, shutil
os.chdir("deep")
for i in range(2100):
    os.mkdir("d")
    os.chdir("d")
shutil.copy("/dev/null", "far.tar.gz")
PY
expect_exit 1 "$ARTBAG" audit --ledger deep.sqlite -q deep
assert_contains "$OUT" "0 valid, 0 invalid, 1 unreadable" "counted as unreadable"
assert_contains "$OUT" ": unreadable: " "said"
assert_eq "unreadable|io" "$(sqlite3 deep.sqlite "SELECT outcome || '|' || json_extract(problems, '\$[0].kind') FROM events")" \
    "recorded as unreadable"
assert_contains "$(sqlite3 deep.sqlite "SELECT json_extract(problems, '\$[0].message') FROM events")" \
    "File name too long" "the reason is recorded"

check_chain
expect_exit 0 "$ARTBAG" audit check-ledger --ledger "$L"
assert_contains "$OUT" "every chain intact" "check-ledger"
n=$(q "SELECT count(*) FROM events")
assert_contains "$OUT" ": $n events" "events counted"

note "history rewritten behind artbag's back: check-ledger names the first broken link"
sqlite3 "$L" "UPDATE events SET outcome = 'invalid' WHERE id = 2" 2>/dev/null && fail "an event could be updated"
cp "$L" forged.sqlite
sqlite3 forged.sqlite "DROP TRIGGER events_no_update; UPDATE events SET outcome = 'invalid' WHERE id = 2" ||
    fail "forge"
expect_exit 1 "$ARTBAG" audit check-ledger --ledger forged.sqlite
assert_contains "$OUT" "event 2 (seq 2) was changed after it was written" "forged event named"
exit 0
