#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Packs the sample article and checks the bundle with tools that know nothing of artbag: GNU tar,
# bsdtar, sha256sum, gzip, od and Python's json/jsonschema; then compares its manifests with the
# golden copies in manifests/golden/ so any change to the format shows up here.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MTIME=1419206400 # 2014-12-22T00:00:00Z
URL=https://phys.org/news/2014-12-china-condemns-cyber-terrorism-sony.html
TITLE="China condemns 'cyber terrorism' in wake of Sony attack"
NAME=china-cyber

note "pack the sample"
mkdir out
pack_ok "$ARTBAG_SEED" out/$NAME.tar.gz --mtime $MTIME
assert_eq 1 "$(wc -l <"$T/stdout")" "lines on stdout after a successful pack"
assert_stderr_empty
assert_dir_holds out $NAME.tar.gz

note "metadata.json"
json_subset "$BAG/data/metadata.json" <<EOF
{"title": "China condemns 'cyber terrorism' in wake of Sony attack",
 "published": "2014-12-22",
 "byline": null,
 "source_url": "$URL",
 "retrieved": "2024-05-24",
 "credit": "AFP",
 "dois": [],
 "article": {"path": "data/article.md"},
 "packager": {"name": "artbag", "version": "0.2.0"}}
EOF
citation=$(json_get "$BAG/data/metadata.json" citation)
assert_contains "$citation" "China condemns 'cyber terrorism' in wake of Sony attack (2014, December 22)" "citation"
assert_contains "$citation" "retrieved 24 May 2024 from" "citation"
assert_contains "$citation" "$URL" "citation"
rights=$(json_get "$BAG/data/metadata.json" rights)
assert_contains "$rights" "This document is subject to copyright." "rights"
case $rights in *"<p>"* | *"</p>"*) fail "rights still holds markup: $rights" ;; esac
media=$(json_get "$BAG/data/metadata.json" article | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["media_type"])')
assert_contains "$media" "text/markdown" "article.media_type"

note "bag-info.txt"
oxum=$(payload_oxum "$BAG")
assert_eq "$(($(size_of "$ARTBAG_SEED") + $(size_of "$BAG/data/metadata.json"))).2" "$oxum" "recomputed Payload-Oxum"
cat >"$T/bag-info.expected" <<EOF
External-Identifier: $URL
External-Description: $TITLE
Bagging-Date: 2014-12-22
Payload-Oxum: $oxum
Bag-Software-Agent: $AGENT
BagIt-Profile-Identifier: $PROFILE_ID
EOF
diff -u "$T/bag-info.expected" "$BAG/bag-info.txt" >&2 || fail "bag-info.txt differs"

note "archive order, ownership, modes and times (GNU tar)"
TZ=UTC tar --numeric-owner --full-time -tvzf out/$NAME.tar.gz >"$T/gnu.list" ||
    fail "tar -tvzf failed"
cat >"$T/gnu.expected" <<EOF
drwxr-xr-x 0/0 2014-12-22 00:00:00 $NAME/
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/bag-info.txt
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/bagit.txt
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/manifest-sha256.txt
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/tagmanifest-sha256.txt
drwxr-xr-x 0/0 2014-12-22 00:00:00 $NAME/data/
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/data/article.md
-rw-r--r-- 0/0 2014-12-22 00:00:00 $NAME/data/metadata.json
EOF
awk '{ print $1, $2, $4, $5, $6 }' "$T/gnu.list" | diff -u "$T/gnu.expected" - >&2 ||
    fail "GNU tar listing differs"
# Sizes in the listing are the extracted files' sizes.
awk '$1 ~ /^-/ { print $6, $3 }' "$T/gnu.list" | while read -r path size; do
    [ "$size" = "$(size_of "$BAG/../$path")" ] || fail "listed size of '$path' is $size"
done || exit 1

note "the same with bsdtar"
bsdtar --numeric-owner -tvf out/$NAME.tar.gz >"$T/bsd.list" || fail "bsdtar -tvf failed"
awk '{ print $1, $3 "/" $4, $9 }' "$T/bsd.list" | diff -u <(awk '{ print $1, $2, $5 }' "$T/gnu.expected") - >&2 ||
    fail "bsdtar listing differs"

note "gzip: header without mtime or name, stream intact, POSIX tar inside"
gzip -t out/$NAME.tar.gz || fail "gzip -t failed"
read -r -a hdr < <(od -An -tu1 -N10 out/$NAME.tar.gz)
assert_eq "31 139 8" "${hdr[*]:0:3}" "gzip magic and method"
assert_eq 0 $((hdr[3] & 8)) "gzip FLG.FNAME bit"
assert_eq "0 0 0 0" "${hdr[*]:4:4}" "gzip MTIME bytes 4-7"
magic=$(gzip -dc out/$NAME.tar.gz | od -An -c -j257 -N8 | tr -d ' ')
assert_eq 'ustar\000' "$magic" "POSIX ustar/pax magic at offset 257"

note "golden manifests (manifests/golden/)"
for m in manifest-sha256.txt tagmanifest-sha256.txt; do
    golden=$ARTBAG_SRC/manifests/golden/sample-$m
    [ -r "$golden" ] || fail "no golden file '$golden'"
    diff -u "$golden" "$BAG/$m" >&2 || fail "$m differs from $golden"
done

note "-q prints nothing; .tgz names the bag too"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o out/quiet.tgz --mtime $MTIME -q
assert_stdout_empty
assert_stderr_empty
mkdir q
tar -xzf out/quiet.tgz -C q || fail "tar could not extract quiet.tgz"
assert_dir_holds q quiet
cmp -s "$BAG/data/metadata.json" q/quiet/data/metadata.json || fail "metadata.json depends on the bundle name"

note "without --mtime or SOURCE_DATE_EPOCH, Bagging-Date is today (UTC)"
before=$(date -u +%F)
pack_ok "$ARTBAG_SEED" out/today.tar.gz
after=$(date -u +%F)
got=$(bag_info_value "$BAG" Bagging-Date)
[ "$got" = "$before" ] || [ "$got" = "$after" ] || fail "Bagging-Date: expected $before, got $got"
