#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Output that cannot lie: names come from bundles, so every character that would act on the
# terminal instead of showing itself is escaped in text output: C0 and DEL (\xNN), C1 controls
# such as CSI U+009B and the bidirectional overrides, isolates and marks (\uNNNN), and bytes
# that are not UTF-8 (\xNN). --json carries the names as they are (JSON escapes them itself).
. "$(dirname "$0")/lib.sh"

mkdir -p bag/data
# One file per hostile character, each unlisted, so each name is printed in a finding.
names=(
    $'c1-\xc2\x9b31m-csi'
    $'rlo-\xe2\x80\xaetxt.exe'
    $'lri-\xe2\x81\xa6x\xe2\x81\xa9'
    $'lrm-\xe2\x80\x8e'
    $'bad-\xff\xfe'
    $'tab-\t-nl'
)
for n in "${names[@]}"; do printf 'x' >"bag/data/$n"; done
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bag/bagit.txt
: >bag/manifest-sha256.txt
tar -czf bag.tar.gz bag

for input in bag bag.tar.gz; do
    expect_exit 1 "$ARTBAG" verify "$input"
    LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]' "$T/stdout" && fail "raw C0 control in output"
    LC_ALL=C grep -qP '\xc2[\x80-\x9f]' "$T/stdout" && fail "raw C1 control in output"
    LC_ALL=C grep -qP '\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$T/stdout" &&
        fail "raw bidirectional control in output"
    LC_ALL=C grep -qP '\xff' "$T/stdout" && fail "raw invalid UTF-8 byte in output"
    for want in 'c1-\u009b31m-csi' 'rlo-\u202etxt.exe' 'lri-\u2066x\u2069' 'lrm-\u200e' \
        'bad-\xff\xfe' 'tab-\x09-nl'; do
        assert_contains "$OUT" "data/$want" "escaped name in the report of $input"
    done
done
# Ordinary non-ASCII names are shown as they are.
printf 'x' >"bag/data/Núñez"
expect_exit 1 "$ARTBAG" verify bag
assert_contains "$OUT" "data/Núñez" "a plain non-ASCII name"
