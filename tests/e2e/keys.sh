#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Key files are taken only as what they must be: a passphrase file holding a NUL byte is refused
# (it would end the passphrase early), a secret key that group or others may read or write is
# refused with the chmod that fixes it (as ssh does), a public key given for the secret one says
# so, a FIFO as a key, passphrase or trust file is refused at once instead of hanging, and a key
# file whose passphrase stretching asks for more than 16 times keygen's work is refused before
# any of that work is done.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q || fail "pack failed"
sha256sum story.tar.gz >story.sha256
unchanged() { sha256sum --quiet -c story.sha256 || fail "$1: the bundle changed"; }

note "keygen's own keys (mode 0600) work"
printf 'ab\n' >ab.txt
expect_exit 0 "$ARTBAG" keygen -o alice --passphrase-file ab.txt
assert_eq 600 "$(stat -c %a alice.key)" "keygen's mode"
expect_exit 0 "$ARTBAG" keygen -o plain --no-passphrase
cp story.tar.gz signed.tar.gz
expect_exit 0 "$ARTBAG" sign signed.tar.gz --key alice.key --passphrase-file ab.txt
expect_exit 0 "$ARTBAG" verify signed.tar.gz --trust alice.pub --require-signature
chmod 400 alice.key
expect_exit 0 "$ARTBAG" sign signed.tar.gz --key alice.key --passphrase-file ab.txt
chmod 600 alice.key

note "a passphrase file with a NUL byte is refused, not cut short at it"
printf 'ab\0cd\n' >nul.txt
expect_exit 2 "$ARTBAG" sign story.tar.gz --key alice.key --passphrase-file nul.txt
assert_contains "$ERR" "'nul.txt': the passphrase holds a NUL byte" "NUL named"
unchanged "a NUL passphrase"
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o nul.tar.gz --sign alice.key --passphrase-file nul.txt
[ -e nul.tar.gz ] && fail "pack with a NUL passphrase wrote a bundle"
expect_exit 2 "$ARTBAG" keygen -o carol --passphrase-file nul.txt
[ -e carol.key ] && fail "keygen with a NUL passphrase made a key"
printf '\0\n' >nul-only.txt
expect_exit 2 "$ARTBAG" keygen -o carol --passphrase-file nul-only.txt
[ -e carol.key ] && fail "keygen with a NUL passphrase made a key"

note "a secret key that group or others may read or write is refused"
for mode in 644 640 604 620 602 660 666; do
    chmod "$mode" alice.key
    expect_exit 3 "$ARTBAG" sign story.tar.gz --key alice.key --passphrase-file ab.txt
    assert_contains "$ERR" "'alice.key': readable or writable by others; run 'chmod 600 alice.key'" \
        "mode $mode"
    unchanged "key mode $mode"
done
chmod 644 plain.key
expect_exit 3 "$ARTBAG" pack "$ARTBAG_SEED" -o open.tar.gz --sign plain.key
assert_contains "$ERR" "run 'chmod 600 plain.key'" "pack --sign"
[ -e open.tar.gz ] && fail "pack with an open key wrote a bundle"
note "...before asking for a passphrase"
expect_exit 3 "$ARTBAG" sign story.tar.gz --key alice.key </dev/null
assert_contains "$ERR" "run 'chmod 600 alice.key'" "no prompt for an open key"
chmod 600 alice.key plain.key

note "a public key where the secret key belongs says so"
expect_exit 1 "$ARTBAG" sign story.tar.gz --key alice.pub --no-passphrase
assert_contains "$ERR" "'alice.pub': a public key; signing needs the secret key" ".pub as key"
unchanged "a .pub as the key"

note "FIFOs as key, passphrase or trust files are refused at once"
mkfifo fifo.key fifo.txt fifo.pub
mkdir trustdir && mkfifo trustdir/x.pub
expect_exit 3 timeout "$(secs 10)" "$ARTBAG" sign story.tar.gz --key fifo.key --no-passphrase
assert_contains "$ERR" "'fifo.key': not a regular file" "FIFO key"
expect_exit 3 timeout "$(secs 10)" "$ARTBAG" sign story.tar.gz --key fifo.key
assert_contains "$ERR" "'fifo.key': not a regular file" "FIFO key, passphrase asked"
expect_exit 3 timeout "$(secs 10)" "$ARTBAG" sign story.tar.gz --key alice.key --passphrase-file fifo.txt
assert_contains "$ERR" "'fifo.txt': not a regular file" "FIFO passphrase"
expect_exit 3 timeout "$(secs 10)" "$ARTBAG" keygen -o dave --passphrase-file fifo.txt
[ -e dave.key ] && fail "keygen with a FIFO passphrase made a key"
for cmd in verify "unpack -C ."; do
    # shellcheck disable=SC2086 # cmd is two words on purpose
    expect_exit 3 timeout "$(secs 10)" "$ARTBAG" $cmd signed.tar.gz --trust fifo.pub
    assert_contains "$ERR" "'fifo.pub': not a regular file" "FIFO trust file, $cmd"
    # shellcheck disable=SC2086
    expect_exit 3 timeout "$(secs 10)" "$ARTBAG" $cmd signed.tar.gz --trust trustdir
    assert_contains "$ERR" "'trustdir/x.pub': not a regular file" "FIFO in a trust directory, $cmd"
done
unchanged "FIFOs"
[ -e signed ] && fail "unpack with a FIFO trust file unpacked"
note "a key file asking for far more stretching than keygen's is refused at once"
command -v openssl >/dev/null || fail "openssl is needed to make keys with chosen parameters"
openssl genpkey -algorithm ed25519 -out raw.pem 2>/dev/null || fail "openssl genpkey"
printf 'secret\n' >secret.txt
# openssl's own scrypt default (keygen's cost): accepted
openssl pkcs8 -topk8 -in raw.pem -scrypt -passout pass:secret -out normal.key || fail "pkcs8"
# p = 300: 300 times the work; PBKDF2 with 50 million iterations. (A larger N*r cannot be made
# here: openssl refuses to spend that memory itself.)
openssl pkcs8 -topk8 -in raw.pem -scrypt -scrypt_N 16384 -scrypt_r 8 -scrypt_p 300 \
    -passout pass:secret -out slow-p.key || fail "pkcs8 p"
openssl pkcs8 -topk8 -in raw.pem -v2 aes-256-cbc -iter 50000000 -passout pass:secret \
    -out slow-pbkdf2.key || fail "pkcs8 iter"
chmod 600 ./*.key
cp story.tar.gz costly.tar.gz
expect_exit 0 "$ARTBAG" sign costly.tar.gz --key normal.key --passphrase-file secret.txt
for k in slow-p slow-pbkdf2; do
    start=$(date +%s)
    expect_exit 1 "$ARTBAG" sign story.tar.gz --key $k.key --passphrase-file secret.txt
    assert_contains "$ERR" "'$k.key': its passphrase is stretched far beyond what artbag keygen uses" "$k"
    # refused before deriving anything: well under the minutes the parameters ask for
    [ $(($(date +%s) - start)) -lt 20 ] || fail "$k: took $(($(date +%s) - start)) s to refuse"
done
unchanged "costly keys"
true
