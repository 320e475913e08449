#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Standard input is read once: a bag whose manifests come before and after the payload (GNU
# tar's order for a bag with two algorithms) must still be verified correctly from stdin, by
# hashing with every algorithm a later manifest may use; and a stream that truly cannot be
# checked in one pass is "could not check" (exit 3, one message), never a FAIL per file.
. "$(dirname "$0")/lib.sh"

mkdir -p bag/data/sub
for i in 1 2 3; do printf 'file %d\n' "$i" >"bag/data/sub/f$i.txt"; done
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bag/bagit.txt
printf 'Payload-Oxum: 21.3\n' >bag/bag-info.txt
(cd bag && md5sum data/sub/* >manifest-md5.txt && sha256sum data/sub/* >manifest-sha256.txt)
tagm() { (cd bag && sha256sum "$@" >tagmanifest-sha256.txt); }

# serialize NAME MEMBER...: bag as a .tar.gz with its members in exactly this order.
serialize() {
    local name=$1
    shift
    tar -czf "$name.tar.gz" --no-recursion "$@" || fail "tar $name"
}
payload=(bag/data bag/data/sub bag/data/sub/f1.txt bag/data/sub/f2.txt bag/data/sub/f3.txt)

both_ok() { # NAME: valid from the file and from stdin
    expect_exit 0 "$ARTBAG" verify "$1.tar.gz"
    expect_exit_stdin 0 "$1.tar.gz" "$ARTBAG" verify -
    assert_contains "$OUT" "md5+sha256" "algorithms of $1 on stdin"
}

# The tag manifest first announces both payload manifests; manifest-sha256.txt comes last.
tagm bagit.txt bag-info.txt manifest-md5.txt manifest-sha256.txt
serialize announced bag bag/tagmanifest-sha256.txt bag/bagit.txt bag/bag-info.txt \
    bag/manifest-md5.txt "${payload[@]}" bag/manifest-sha256.txt
both_ok announced

# No tag manifest before the payload: every algorithm is computed.
serialize unannounced bag bag/bagit.txt bag/bag-info.txt bag/manifest-md5.txt "${payload[@]}" \
    bag/manifest-sha256.txt bag/tagmanifest-sha256.txt
both_ok unannounced

# Digests really are checked under both: a damaged file fails from stdin too, by both.
cp -a bag bad
printf 'x' >>bad/data/sub/f2.txt
(cd bad && tar -czf ../bad.tar.gz --no-recursion -C .. bad bad/bagit.txt bad/bag-info.txt \
    bad/manifest-md5.txt bad/data bad/data/sub bad/data/sub/f1.txt bad/data/sub/f2.txt \
    bad/data/sub/f3.txt bad/manifest-sha256.txt bad/tagmanifest-sha256.txt)
expect_exit_stdin 1 bad.tar.gz "$ARTBAG" verify -
assert_contains "$OUT" "'data/sub/f2.txt': md5 mismatch" "md5 checked on stdin"
assert_contains "$OUT" "'data/sub/f2.txt': sha256 mismatch" "late sha256 checked on stdin"

# A tag manifest that announces only manifest-md5.txt, then the payload, then
# manifest-sha256.txt: from a file, valid (the tag manifest's omission is a warning); from
# stdin the sha256 digests were never computed: exit 3 and one message.
tagm bagit.txt bag-info.txt manifest-md5.txt
serialize misannounced bag bag/tagmanifest-sha256.txt bag/bagit.txt bag/bag-info.txt \
    bag/manifest-md5.txt "${payload[@]}" bag/manifest-sha256.txt
expect_exit 0 "$ARTBAG" verify misannounced.tar.gz
expect_exit_stdin 3 misannounced.tar.gz "$ARTBAG" verify -
assert_stdout_empty
assert_contains "$ERR" "cannot be checked in one pass: 'manifest-sha256.txt' comes after 3 of the files it lists" "one-pass message"
assert_eq 1 "$(wc -l <"$T/stderr")" "lines on stderr"
expect_exit_stdin 3 misannounced.tar.gz "$ARTBAG" verify --json -
verify_schema_ok "$T/stdout"
assert_contains "$OUT" '"kind": "unverifiable"' "--json of a stream that cannot be checked"

note "a pipe that delivers the first bytes alone: the format is sniffed across short reads"
"$ARTBAG" pack -q "$ARTBAG_SEED" --url https://example.org/a -o sniff.tar.gz || fail "pack"
for first in 1 2 5 11; do
    expect_exit 0 sh -c "{ head -c $first sniff.tar.gz; sleep 0.2; tail -c +$((first + 1)) sniff.tar.gz; } | \"\$0\" verify -" "$ARTBAG"
    assert_contains "$OUT" "OK    <stdin>" "a bundle whose first $first bytes came alone"
done
