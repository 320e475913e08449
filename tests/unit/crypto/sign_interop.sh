#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# sign_interop.sh - checks src/lib/sign.c against the real minisign: minisign accepts artbag's
# signatures and artbag accepts minisign's, as issue 5 promises another archive.
#
# Usage: SIGN_TOOL=<build>/sign_tool [ARTBAG_FIXTURES=<repo>/tests/fixtures] sign_interop.sh
# Exit 0 when every check passes, 1 when one fails, 77 (skip) when minisign is not installed.
set -u

tool=${SIGN_TOOL:-${1:-}}
if ! command -v minisign >/dev/null 2>&1; then
    echo "skip: minisign is not installed (Debian package minisign)"
    exit 77
fi
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "sign_interop.sh: set SIGN_TOOL to the built sign_tool" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sign_interop.XXXXXX") || exit 1
failed=0
n=0

ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    failed=1
    echo "not ok $n - $1"
    [ -s "$work/out" ] && sed 's/^/#   /' "$work/out"
}
# expect STATUS DESCRIPTION COMMAND...: runs COMMAND, which must exit with STATUS.
expect() {
    local want=$1 what=$2 rc
    shift 2
    "$@" >"$work/out" 2>&1
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok "$what"; else not_ok "$what (exit $rc, wanted $want)"; fi
}

cd "$work" || exit 1
printf 'artbag TEST passphrase for interop\n' >pass
printf 'wrong passphrase\n' >wrongpass
# Something shaped like what artbag signs: a tag manifest.
printf '%s  bag-info.txt\n%s  bagit.txt\n' \
    "$(printf %064d 1)" "$(printf %064d 2)" >tagmanifest-sha256.txt
cp tagmanifest-sha256.txt changed.txt
printf 'x' >>changed.txt

# 1. artbag keys and signatures, checked by minisign.
for kind in enc plain; do
    pf=pass
    [ "$kind" = plain ] && pf=-
    expect 0 "$kind: sign_tool keygen" "$tool" keygen "art-$kind" "$pf"
    pub=$(sed -n 2p "art-$kind.pub")
    expect 0 "$kind: sign_tool sign" "$tool" sign "art-$kind.key" "$pf" \
        tagmanifest-sha256.txt "art-$kind.minisig" "$(printf 'bag:b\ttime:1')"
    expect 0 "$kind: minisign -V -P accepts artbag's signature" \
        minisign -V -P "$pub" -m tagmanifest-sha256.txt -x "art-$kind.minisig"
    expect 0 "$kind: minisign -V -p (artbag's .pub file) -H (prehashed only) accepts it" \
        minisign -V -H -p "art-$kind.pub" -m tagmanifest-sha256.txt -x "art-$kind.minisig"
    expect 1 "$kind: minisign rejects it over a changed file" \
        minisign -V -P "$pub" -m changed.txt -x "art-$kind.minisig"
    expect 0 "$kind: sign_tool verify accepts it" \
        "$tool" verify "art-$kind.pub" tagmanifest-sha256.txt "art-$kind.minisig"
done
expect 0 "openssl pkey reads the encrypted key with the passphrase" \
    openssl pkey -in art-enc.key -passin file:pass -noout
expect 1 "openssl pkey refuses it with a wrong passphrase" \
    openssl pkey -in art-enc.key -passin file:wrongpass -noout
expect 1 "sign_tool sign refuses a wrong passphrase" \
    "$tool" sign art-enc.key wrongpass tagmanifest-sha256.txt never.minisig
expect 3 "sign_tool keygen refuses an existing key (exit 3: output exists)" "$tool" keygen art-enc -

# The longest comments artbag writes are ones minisign still reads.
long_tc=$(head -c 8173 /dev/zero | tr '\0' t)
long_uc=$(head -c 1003 /dev/zero | tr '\0' u)
expect 0 "sign_tool signs with the longest comments" "$tool" sign art-plain.key - \
    tagmanifest-sha256.txt long.minisig "$long_tc" "$long_uc"
expect 0 "minisign accepts the longest comments" \
    minisign -V -p art-plain.pub -m tagmanifest-sha256.txt -x long.minisig
expect 0 "sign_tool signs a UTF-8 trusted comment" "$tool" sign art-plain.key - \
    tagmanifest-sha256.txt utf8.minisig "$(printf 'bag:Z\303\274rich\tsigner:\345\214\227')"
expect 0 "minisign accepts the UTF-8 trusted comment" \
    minisign -V -p art-plain.pub -m tagmanifest-sha256.txt -x utf8.minisig

# 2. minisign's keys and signatures, checked by artbag.
expect 0 "minisign -G -W makes a key pair" minisign -G -W -p ms.pub -s ms.sec
expect 0 "minisign signs (prehashed)" \
    minisign -S -s ms.sec -m tagmanifest-sha256.txt -x ms.minisig -t "trusted"
expect 0 "minisign signs (legacy, -l)" \
    minisign -S -l -s ms.sec -m tagmanifest-sha256.txt -x ms-legacy.minisig -t "legacy"
expect 0 "sign_tool verify accepts minisign's prehashed signature" \
    "$tool" verify ms.pub tagmanifest-sha256.txt ms.minisig
expect 0 "sign_tool verify accepts minisign's legacy signature" \
    "$tool" verify ms.pub tagmanifest-sha256.txt ms-legacy.minisig
expect 1 "sign_tool verify rejects minisign's signature over a changed file" \
    "$tool" verify ms.pub changed.txt ms.minisig
expect 1 "sign_tool verify rejects minisign's signature under an artbag key" \
    "$tool" verify art-plain.pub tagmanifest-sha256.txt ms.minisig

# 3. The committed regression signatures are ones minisign accepts.
fixtures=${ARTBAG_FIXTURES:-}
if [ -n "$fixtures" ] && [ -d "$fixtures/keys" ]; then
    for k in test test-nopass; do
        expect 0 "minisign accepts the committed message.txt.$k.minisig" \
            minisign -V -p "$fixtures/keys/$k.pub" -m "$fixtures/keys/message.txt" \
            -x "$fixtures/keys/message.txt.$k.minisig"
    done
fi

echo "1..$n"
if [ "$failed" -ne 0 ]; then
    echo "# failed; files kept in $work"
    exit 1
fi
rm -rf "$work"
exit 0
