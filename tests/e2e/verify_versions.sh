#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Version-aware manifest rules (RFC 8493 and the 0.97 draft), on bags made by hand the way other
# tools write them: each rule as a directory, a .tar.gz and on standard input.
#  - "./data/x" is a relative path inside the bag (RFC 8493 2.1.3): a warning, never "outside";
#  - md5sum's binary-mode "*data/x" and an identical line twice: warnings in 0.97, invalid in 1.0;
#  - a 1.0 manifest that wrote '%' raw (bagit-python, bagit-java): the file found under the
#    literal name, with a warning;
#  - bag-info.txt (RFC 8493 2.2.2): white space before the colon and a repeated Payload-Oxum,
#    Bagging-Date, Bag-Size or Bag-Count are invalid in 1.0 and allowed (or a warning) in 0.97.
. "$(dirname "$0")/lib.sh"

# make_bag DIR VERSION MANIFEST-LINES...: a bag holding data/50%25off.txt and data/b.txt, whose
# sha256 manifest is the given lines (%A and %B stand for the two files' digests).
make_bag() {
    local dir=$1 version=$2 a b
    shift 2
    mkdir -p "$dir/data"
    printf 'fifty\n' >"$dir/data/50%25off.txt"
    printf 'bee\n' >"$dir/data/b.txt"
    a=$(sha256_of "$dir/data/50%25off.txt")
    b=$(sha256_of "$dir/data/b.txt")
    printf 'BagIt-Version: %s\nTag-File-Character-Encoding: UTF-8\n' "$version" >"$dir/bagit.txt"
    printf '%b' "${BAGINFO:-Payload-Oxum: 10.2\n}" >"$dir/bag-info.txt"
    printf '%s\n' "$@" | sed "s/%A/$a/; s/%B/$b/" >"$dir/manifest-sha256.txt"
    tar -C "$(dirname "$dir")" -czf "$dir.tar.gz" "$(basename "$dir")"
}

# expect_verdict BAG EXIT WORD MESSAGE: every container gives EXIT, a line starting with WORD
# and MESSAGE on the report.
expect_verdict() {
    local bag=$1 code=$2 word=$3 msg=$4
    expect_exit "$code" "$ARTBAG" verify "$bag"
    assert_contains "$OUT" "$word " "verdict for $bag"
    assert_contains "$OUT" "$msg" "report for $bag"
    expect_exit "$code" "$ARTBAG" verify "$bag.tar.gz"
    assert_contains "$OUT" "$msg" "report for $bag.tar.gz"
    expect_exit_stdin "$code" "$bag.tar.gz" "$ARTBAG" verify -
    assert_contains "$OUT" "$msg" "report for $bag.tar.gz on stdin"
}

make_bag dotslash 1.0 '%A  data/50%2525off.txt' '%B  ./data/b.txt'
expect_verdict dotslash 0 WARN "'./data/b.txt' starts with './'; read as the relative path 'data/b.txt'"

make_bag star097 0.97 '%A *data/50%25off.txt' '%B *data/b.txt'
expect_verdict star097 0 WARN "'*' before 'data/b.txt' is md5sum's binary-mode marker"
make_bag star10 1.0 '%A *data/50%2525off.txt' '%B  data/b.txt'
expect_verdict star10 1 FAIL "starts with md5sum's binary-mode marker '*', which BagIt 1.0 does not allow"

make_bag dup097 0.97 '%A  data/50%25off.txt' '%B  data/b.txt' '%B  data/b.txt'
expect_verdict dup097 0 WARN "'data/b.txt' listed twice alike (first on line 2)"
make_bag dup10 1.0 '%A  data/50%2525off.txt' '%B  data/b.txt' '%B  data/b.txt'
expect_verdict dup10 1 FAIL "'data/b.txt' listed twice (first on line 2)"

# '%' written raw in a 1.0 manifest: "data/50%25off.txt" decodes to data/50%off.txt, which is
# not there; the file of that literal name is.
make_bag literal 1.0 '%A  data/50%25off.txt' '%B  data/b.txt'
expect_verdict literal 0 WARN "found only under that name taken literally"
# ...but never when the decoded name exists: then it is that file, checked as such.
make_bag decoded 1.0 '%A  data/50%25off.txt' '%B  data/b.txt'
printf 'other\n' >decoded/data/50%off.txt
tar -C . -czf decoded.tar.gz decoded
expect_verdict decoded 1 FAIL "sha256 mismatch"

# bag-info.txt's form, by version.
BAGINFO='Payload-Oxum : 10.2\n' make_bag colon10 1.0 '%A  data/50%2525off.txt' '%B  data/b.txt'
expect_verdict colon10 1 FAIL "line 1: white space before the colon of 'Payload-Oxum', which BagIt 1.0 does not allow"
BAGINFO='Payload-Oxum : 10.2\n' make_bag colon097 0.97 '%A  data/50%25off.txt' '%B  data/b.txt'
expect_verdict colon097 0 "OK  " "2 files, 10 bytes"
BAGINFO='Payload-Oxum:10.2\n' make_bag nospace10 1.0 '%A  data/50%2525off.txt' '%B  data/b.txt'
expect_verdict nospace10 0 WARN "line 1: no space after the colon of 'Payload-Oxum'"
BAGINFO='Bagging-Date: 2024-01-01\nPayload-Oxum: 10.2\nbagging-date: 2024-01-02\n' \
    make_bag twice10 1.0 '%A  data/50%2525off.txt' '%B  data/b.txt'
expect_verdict twice10 1 FAIL "'Bagging-Date' given 2 times (first on line 1); it describes the bag once"
BAGINFO='Bagging-Date: 2024-01-01\nPayload-Oxum: 10.2\nBagging-Date: 2024-01-02\n' \
    make_bag twice097 0.97 '%A  data/50%25off.txt' '%B  data/b.txt'
expect_verdict twice097 0 WARN "'Bagging-Date' given 2 times"
# Other elements may repeat, as RFC 8493 says.
BAGINFO='Payload-Oxum: 10.2\nContact-Name: A\nContact-Name: B\n' \
    make_bag repeat10 1.0 '%A  data/50%2525off.txt' '%B  data/b.txt'
expect_verdict repeat10 0 "OK  " "2 files, 10 bytes"

# Only MD5 or SHA-1 manifests: a warning in 1.0 (RFC 8493 2.4 asks for sha256 or sha512),
# nothing in 0.97.
mkdir -p weak10/data weak097/data
for b in weak10 weak097; do
    printf 'x\n' >$b/data/x
    (cd $b && md5sum data/x >manifest-md5.txt && sha1sum data/x >manifest-sha1.txt)
done
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >weak10/bagit.txt
printf 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n' >weak097/bagit.txt
expect_exit 0 "$ARTBAG" verify weak10
assert_contains "$OUT" "warning: only MD5 or SHA-1 payload manifests" "md5+sha1 in 1.0"
expect_exit 0 "$ARTBAG" verify weak097
assert_contains "$OUT" "OK    weak097" "md5+sha1 in 0.97"
(cd weak10 && sha256sum data/x >manifest-sha256.txt)
expect_exit 0 "$ARTBAG" verify weak10
assert_contains "$OUT" "OK    weak10" "md5+sha1+sha256 in 1.0"
