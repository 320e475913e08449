#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# One pack per article variant seen in real captures (tests/fixtures/e2e/, all invented text):
# each must make a valid bag whose metadata.json holds what the article says, and the
# command-line flags must override what was read and land in bag-info.txt in order.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MTIME=1788134400 # 2026-08-31T00:00:00Z
U=https://news.example.org
mkdir out
n=0

# variant FIXTURE EXPECTED-JSON [flags...]: packs tests/fixtures/e2e/FIXTURE, checks the bag and
# that metadata.json holds EXPECTED-JSON, and that bag-info.txt repeats its title and URL.
variant() {
    local fixture=$1 expected=$2 name
    shift 2
    n=$((n + 1))
    name=$n-${fixture%.md}
    note "$fixture"
    [ -r "$FIXTURES/$fixture" ] || fail "no fixture '$FIXTURES/$fixture'"
    pack_ok "$FIXTURES/$fixture" "out/$name.tar.gz" --mtime $MTIME -q "$@"
    json_subset "$BAG/data/metadata.json" <<<"$expected"
    assert_eq "$(json_get "$BAG/data/metadata.json" title | "$PY" -c 'import json,sys; print(json.load(sys.stdin))')" \
        "$(bag_info_value "$BAG" External-Description)" "$fixture: External-Description"
    assert_eq "$(json_get "$BAG/data/metadata.json" source_url | "$PY" -c 'import json,sys; print(json.load(sys.stdin))')" \
        "$(bag_info_value "$BAG" External-Identifier)" "$fixture: External-Identifier"
    assert_eq 2026-08-31 "$(bag_info_value "$BAG" Bagging-Date)" "$fixture: Bagging-Date"
    assert_eq "$(payload_oxum "$BAG")" "$(bag_info_value "$BAG" Payload-Oxum)" "$fixture: Payload-Oxum"
}

# field_has FIELD TEXT: the last bag's metadata.json FIELD (a string) contains TEXT.
field_has() {
    local v
    v=$(json_get "$BAG/data/metadata.json" "$1")
    assert_contains "$v" "$2" "$1"
}

variant heading-after-blank-lines.md '{
  "title": "Harbour town tests floating seawall made of recycled nets",
  "published": "2026-03-03", "byline": null,
  "source_url": "'$U'/2026-03-harbour-floating-seawall.html",
  "retrieved": "2026-03-04", "credit": "Example Wire", "dois": []}'
field_has citation "Harbour town tests floating seawall made of recycled nets (2026, March 3)"
field_has rights "This document is subject to copyright."

variant byline.md '{
  "title": "Night-flying moths found to navigate by city glow",
  "published": "2026-08-31", "byline": "by Tamsin Ferreira-Lund",
  "source_url": "'$U'/2026-08-moths-city-glow.html",
  "retrieved": "2026-09-02", "credit": "Example Wire"}'

variant science-x-credit.md '{
  "title": "Soil microbes trade nitrogen for sugar on a schedule",
  "published": "2026-05-14", "byline": null,
  "source_url": "'$U'/2026-05-soil-microbes-schedule.html",
  "retrieved": "2026-05-15", "credit": "Science X Network"}'

variant bold-citation.md '{
  "title": "Volunteers map every bench in a mid-sized city",
  "published": "2026-04-02",
  "source_url": "'$U'/2026-04-volunteers-map-benches.html",
  "retrieved": "2026-04-03", "credit": "Example Wire"}'
field_has citation "Volunteers map every bench in a mid-sized city (2026, April 2)"
case $(json_get "$BAG/data/metadata.json" citation) in *'**'*) fail "citation keeps the bold markup" ;; esac

variant one-line-citation.md '{
  "title": "Old lighthouse lens returns to its tower after restoration",
  "published": "2026-06-09",
  "source_url": "'$U'/2026-06-lighthouse-lens-returns.html",
  "retrieved": "2026-06-10", "credit": "Example Wire"}'
field_has citation "retrieved 10 June 2026 from"

variant bare-url-citation.md '{
  "title": "Glacier meltwater lakes counted from orbit for the first time",
  "published": "2026-07-21",
  "source_url": "'$U'/2026-07-glacier-lakes-orbit.html",
  "retrieved": "2026-07-22", "credit": "Example Wire"}'

variant no-citation.md '{
  "title": "Community orchard plants a hundred heritage apple trees",
  "published": "2026-10-05",
  "source_url": "https://archive.example.net/orchard?id=7&lang=en",
  "retrieved": null, "citation": null, "credit": "Example Wire", "dois": []}' \
    --url 'https://archive.example.net/orchard?id=7&lang=en'

variant more-information.md '{
  "title": "Tiny sensors reveal how sea grass breathes at night",
  "published": "2026-02-11",
  "source_url": "'$U'/2026-02-sea-grass-breathes.html",
  "retrieved": "2026-02-12",
  "dois": ["10.5555/jir.2026.0142", "10.5555/dis-77.3"]}'

variant journal-information.md '{
  "title": "Honeybees learn to count past four in lab trials",
  "published": "2026-09-08",
  "source_url": "'$U'/2026-09-honeybees-count.html",
  "retrieved": "2026-09-09", "credit": "Example Wire", "dois": []}'

variant provided-by.md '{
  "title": "Student-built satellite sends back its first photograph",
  "published": "2026-11-17",
  "source_url": "'$U'/2026-11-student-satellite-photo.html",
  "retrieved": "2026-11-18", "credit": "Northbridge Polytechnic", "dois": []}'
field_has rights "This document is subject to copyright."

variant front-matter-source.md '{
  "title": "Rooftop gardens cool a city block by two degrees",
  "published": "2026-06-30",
  "source_url": "'$U'/2026-06-rooftop-gardens-cool.html"}'

variant front-matter-url.md '{
  "title": "Ferry timetable rewritten by commuters'"'"' own survey",
  "published": "2026-01-19",
  "source_url": "'$U'/2026-01-ferry-timetable-survey.html"}'

variant crlf.md '{
  "title": "Rail line reopens after landslide clearance",
  "published": "2026-12-01", "byline": null,
  "source_url": "'$U'/2026-12-rail-line-reopens.html",
  "retrieved": "2026-12-02", "credit": "Example Wire"}'
grep -q $'\r' "$BAG/data/metadata.json" && fail "crlf.md: a carriage return reached metadata.json"
grep -q $'\r' "$BAG/bag-info.txt" && fail "crlf.md: a carriage return reached bag-info.txt"

variant bom.md '{
  "title": "Library lends out telescopes to stargazers",
  "published": "2026-01-07",
  "source_url": "'$U'/2026-01-library-telescopes.html",
  "retrieved": "2026-01-08", "credit": "Example Wire"}'

variant non-ascii.md '{
  "title": "β-testers say “quiet mode” works — 新しい機能 praised",
  "published": "2026-03-27", "byline": "by Zoë Ångström-Nakamura",
  "source_url": "'$U'/2026-03-quiet-mode-%E2%80%94.html",
  "retrieved": "2026-03-28", "credit": "Ünïcode Nachrichten"}'

note "flags override what was read and fill bag-info.txt in order"
variant byline.md '{
  "title": "A title given on the command line — ünïcode",
  "published": "2020-02-29", "byline": "by Tamsin Ferreira-Lund",
  "source_url": "https://override.example.net/a?b=c",
  "retrieved": "2026-09-02"}' \
    --title 'A title given on the command line — ünïcode' --url 'https://override.example.net/a?b=c' \
    --date 2020-02-29 --org 'Example Archive of the Press' \
    --meta Contact-Name=Ada --meta 'Internal-Sender-Description=one=two' --meta Contact-Name=Bob
cat >"$T/bag-info.expected" <<EOF
Source-Organization: Example Archive of the Press
External-Identifier: https://override.example.net/a?b=c
External-Description: A title given on the command line — ünïcode
Bagging-Date: 2026-08-31
Payload-Oxum: $(payload_oxum "$BAG")
Bag-Software-Agent: $AGENT
BagIt-Profile-Identifier: $PROFILE_ID
Contact-Name: Ada
Internal-Sender-Description: one=two
Contact-Name: Bob
EOF
diff -u "$T/bag-info.expected" "$BAG/bag-info.txt" >&2 || fail "bag-info.txt with every flag differs"

note "flags override YAML front matter too"
variant front-matter-source.md '{
  "title": "Overridden", "published": "2001-01-01",
  "source_url": "https://override.example.net/fm"}' \
    --title Overridden --date 2001-01-01 --url https://override.example.net/fm
exit 0
