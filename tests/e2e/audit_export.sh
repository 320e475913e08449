#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag audit export: PREMIS 3.0 XML that xmllint validates against the Library of Congress
# schema (tests/fixtures/premis/), checked element by element against the data dictionary's
# semantic units for a fixity-check event; CSV that Python's csv module reads back field for
# field as the sqlite3 CLI sees the ledger; JSON Lines; --since.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || skip "no sqlite3 command (scripts/deps.sh installs it)"
command -v xmllint >/dev/null || skip "no xmllint (libxml2-utils; scripts/deps.sh installs it)"
XSD=$ARTBAG_SRC/tests/fixtures/premis/premis-v3-0.xsd
[ -r "$XSD" ] || fail "no PREMIS schema at '$XSD'"
L=$T/ledger.sqlite

# A valid bundle, an invalid one (a payload byte changed), a name with XML's special characters
# and a missing bundle, so every outcome and escape is exported.
mkdir arch m
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/good.tar.gz -q --mtime 0
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o 'arch/a&b <"c">.tar.gz' -q --title "Odd name"
tar -xzf arch/good.tar.gz -C m || fail "extract"
printf 'X' | dd of=m/good/data/article.md bs=1 seek=10 conv=notrunc status=none
tar -czf arch/bad.tar.gz -C m good || fail "re-tar"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o arch/gone.tar.gz -q --title "Gone"
expect_exit 1 "$ARTBAG" audit --ledger "$L" arch -q
rm arch/gone.tar.gz
expect_exit 1 "$ARTBAG" audit --ledger "$L" arch -q
total=$(sqlite3 "$L" "SELECT count(*) FROM events")
checks=$(sqlite3 "$L" "SELECT count(*) FROM events WHERE outcome != 'missing'")
assert_eq "8|7" "$total|$checks" "events in the ledger"

note "PREMIS 3.0"
expect_exit 0 "$ARTBAG" audit export --format premis --ledger "$L"
assert_stderr_empty
cp "$T/stdout" premis.xml
xmllint --noout --schema "$XSD" premis.xml 2>xmllint.err || {
    cat xmllint.err >&2
    fail "the PREMIS export does not validate against premis-v3-0.xsd"
}
sqlite3 -json "$L" "SELECT * FROM events WHERE outcome != 'missing' ORDER BY id" >events.json
AGENT=$AGENT "$PY" - premis.xml events.json <<'PY' || fail "PREMIS export, element by element"
import json, os, sys
import xml.etree.ElementTree as ET
NS = {"p": "http://www.loc.gov/premis/v3"}
root = ET.parse(sys.argv[1]).getroot()
rows = json.load(open(sys.argv[2]))
assert root.get("version") == "3.0"
events = root.findall("p:event", NS)
assert len(events) == len(rows), (len(events), len(rows))
objects = {(o.find("p:objectIdentifier/p:objectIdentifierType", NS).text,
            o.find("p:objectIdentifier/p:objectIdentifierValue", NS).text)
           for o in root.findall("p:object", NS)}
agents = {a.find("p:agentIdentifier/p:agentIdentifierValue", NS).text: a
          for a in root.findall("p:agent", NS)}
agent = os.environ["AGENT"]
assert agents[agent].find("p:agentType", NS).text == "software"
assert agents[agent].find("p:agentVersion", NS).text == agent.split(" ", 1)[1]
for ev, row in zip(events, rows):
    t = ev.find("p:eventType", NS)
    # The Library of Congress preservation vocabulary's term for a fixity check.
    assert t.text == "fixity check", t.text
    assert t.get("valueURI") == "http://id.loc.gov/vocabulary/preservation/eventType/fix"
    assert t.get("authorityURI") == "http://id.loc.gov/vocabulary/preservation/eventType"
    assert ev.find("p:eventIdentifier/p:eventIdentifierValue", NS).text == row["hash"]
    assert ev.find("p:eventDateTime", NS).text == row["time"]
    assert ev.find("p:eventOutcomeInformation/p:eventOutcome", NS).text == row["outcome"]
    note = ev.find("p:eventOutcomeInformation/p:eventOutcomeDetail/p:eventOutcomeDetailNote", NS)
    assert (note is not None) == (row["problems"] != "[]"), row
    if row["outcome"] == "invalid":
        assert "checksum-mismatch" in note.text, note.text
    assert row["path"] in ev.find("p:eventDetailInformation/p:eventDetail", NS).text
    la = ev.find("p:linkingAgentIdentifier", NS)
    assert la.find("p:linkingAgentIdentifierValue", NS).text == row["agent"]
    assert la.find("p:linkingAgentIdentifierValue", NS).text in agents
    role = la.find("p:linkingAgentRole", NS)
    assert role.text == "executing program"
    assert role.get("valueURI") == \
        "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole/exe", role.attrib
    lo = [(x.find("p:linkingObjectIdentifierType", NS).text,
           x.find("p:linkingObjectIdentifierValue", NS).text)
          for x in ev.findall("p:linkingObjectIdentifier", NS)]
    assert lo[0] == ("artbag tag manifest SHA-256", row["identity"]), lo
    assert lo[0] in objects, lo
    if row["external_identifier"]:
        assert ("BagIt External-Identifier", row["external_identifier"]) in lo, lo
PY

note "CSV"
expect_exit 0 "$ARTBAG" audit export --format csv --ledger "$L"
cp "$T/stdout" events.csv
sqlite3 -json "$L" "SELECT * FROM events ORDER BY id" >all.json
"$PY" - events.csv all.json <<'PY' || fail "CSV export"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
want = json.load(open(sys.argv[2]))
assert len(rows) == len(want), (len(rows), len(want))
for r, w in zip(rows, want):
    for k, v in w.items():
        if k == "audit":
            continue
        assert r[k] == ("" if v is None else str(v)), (k, r[k], v)
assert any("&" in r["path"] and '"' in r["path"] for r in rows)
PY

note "JSON Lines"
expect_exit 0 "$ARTBAG" audit export --format jsonl --ledger "$L"
cp "$T/stdout" events.jsonl
"$PY" - events.jsonl all.json <<'PY' || fail "JSON Lines export"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = json.load(open(sys.argv[2]))
assert len(lines) == len(want)
for line, w in zip(lines, want):
    d = json.loads(line)
    assert d["problems"] == json.loads(w["problems"])
    for k in ("id", "seq", "time", "path", "outcome", "identity", "hash", "prev", "size"):
        assert d[k] == w[k], (k, d[k], w[k])
PY

note "--since"
expect_exit 0 "$ARTBAG" audit export --format jsonl --since 2999-01-01 --ledger "$L"
assert_stdout_empty
expect_exit 0 "$ARTBAG" audit export --format csv --since "$(date -u +%Y-%m-%d)" --ledger "$L"
assert_eq "$((total + 1))" "$(grep -c $'\r$' "$T/stdout")" "rows since today"
first=$(sqlite3 "$L" "SELECT time FROM events WHERE id = 5")
expect_exit 0 "$ARTBAG" audit export --format jsonl --since "${first:0:16}Z" --ledger "$L"
[ "$(wc -l <"$T/stdout")" -ge $((total - 4)) ] || fail "--since a time"
for bad in 2026-13-01 yesterday 2026-01-01T25:00Z 2026-01-01T10:00; do
    expect_exit 2 "$ARTBAG" audit export --format csv --since "$bad" --ledger "$L"
    assert_contains "$ERR" "'$bad' is not a date" "--since $bad"
done
expect_exit 2 "$ARTBAG" audit export --ledger "$L"
assert_contains "$ERR" "needs --format" "no format"
expect_exit 2 "$ARTBAG" audit export --format xml --ledger "$L"
exit 0
