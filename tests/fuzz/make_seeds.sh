#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Makes the seed corpora in tests/fuzz/corpus/<target>/ from the test fixtures: articles, the
# tag files of small bags, keys and signatures, and small bundles packed by build/artbag (or
# $ARTBAG). Seeds are named seed-*; run.sh's merges later rename what they keep to SHA-1 names.
#
#   tests/fuzz/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ARTBAG=${ARTBAG:-$ROOT/build/artbag}
FX=$ROOT/tests/fixtures
C=$ROOT/tests/fuzz/corpus
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -x "$ARTBAG" ] || { echo "make_seeds.sh: no artbag at '$ARTBAG'; build first" >&2; exit 3; }
mkdir -p "$C"/{article,manifest,baginfo,sign,verify,profile,tarcheck}

# flagged OUT FLAGBYTE FILE: OUT gets the flag byte (octal escape) followed by FILE.
# shellcheck disable=SC2059 # the flag byte is an octal escape in the format
flagged() { { printf "$2"; cat "$3"; } >"$1"; }

for f in "$FX"/articles/*.md "$FX"/seed/*.md; do
    cp "$f" "$C/article/seed-$(basename "$f")"
done

# Bundles of a few fixture articles, and their tag files.
n=0
for f in "$FX"/seed/*.md "$FX"/articles/front-matter.md "$FX"/articles/more-information-dois.md \
    "$FX"/articles/crlf.md; do
    n=$((n + 1))
    "$ARTBAG" pack "$f" -o "$T/b$n.tar.gz" --url https://example.org/a --mtime 1419206400 \
        --org 'City Archive' --meta 'Contact-Name=A. Archivist' -q
    cp "$T/b$n.tar.gz" "$C/verify/seed-bundle-$n.tar.gz"
    mkdir "$T/x$n" && tar -xzf "$T/b$n.tar.gz" -C "$T/x$n"
done
bag=$T/x1/b1
# Flag bytes: manifest: bits 0-2 algorithm (3 = sha256), bit 3 tag manifest, bit 4 BagIt 0.97.
flagged "$C/manifest/seed-manifest-sha256" '\003' "$bag/manifest-sha256.txt"
flagged "$C/manifest/seed-tagmanifest-sha256" '\013' "$bag/tagmanifest-sha256.txt"
printf '\003%s  data/a%%0Ab%%25c%%0d.txt\n%s *data/x y\r\n' "$(printf %064d 0)" \
    "$(printf %064x 255)" >"$C/manifest/seed-encoded-paths"
printf '\000%s  data/a.txt\n%s data/b.txt\n' "$(printf %032d 1)" "$(printf %032d 2)" \
    >"$C/manifest/seed-md5"
printf '\025%s  data/%%25literal\n' "$(printf %0128d 3)" >"$C/manifest/seed-sha512-097"
# baginfo: bits 0-2 pick the encoding (0 UTF-8, 1 ISO-8859-1, 2 UTF-16), bit 3 BagIt 0.97.
flagged "$C/baginfo/seed-bag-info" '\000' "$bag/bag-info.txt"
flagged "$C/baginfo/seed-bagit" '\000' "$bag/bagit.txt"
printf '\000BagIt-Version: 0.97\r\nTag-File-Character-Encoding: ISO-8859-1\r\n' >"$C/baginfo/seed-bagit-097"
printf '\001Source-Organization: Caf\351 Archive\nExternal-Description: a long\n  folded value\n\tand more\nPayload-Oxum: 3619.2\n' \
    >"$C/baginfo/seed-latin1"
{ printf '\002'; printf 'Payload-Oxum: 12.1\nBag-Size: 1 KB\n' | iconv -f UTF-8 -t UTF-16; } \
    >"$C/baginfo/seed-utf16"
printf '\000https://example.org/a.txt 12 data/a.txt\nhttps://example.org/b - data/b%%20c%%0A.txt\n' \
    >"$C/baginfo/seed-fetch"

for f in "$FX"/keys/*.pub "$FX"/keys/*.minisig; do
    cp "$f" "$C/sign/seed-$(basename "$f")"
done
sed -n 2p "$FX/keys/test.pub" >"$C/sign/seed-bare-pubkey"

# A few other containers verify reads: plain tar, zip, bzip2 and xz of the first bag.
(cd "$T/x1" && tar --format=gnu -cf "$C/verify/seed-bag.tar" b1 &&
    tar -cjf "$C/verify/seed-bag.tar.bz2" b1 && tar -cJf "$C/verify/seed-bag.tar.xz" b1 &&
    bsdtar --format zip -cf "$C/verify/seed-bag.zip" b1)
# profile: flag byte (bits 0-1 container, 2-5 compression), the profile, NUL, bag-info.txt, NUL,
# the file list. Each profile over a bag that breaks a few of its rules and one that follows
# artbag's.
profile_seed() { # OUT FLAGBYTE PROFILE BAGINFO FILES
    # shellcheck disable=SC2059
    { printf "$2"; cat "$3"; printf '\0%s\0%s' "$4" "$5"; } >"$1"
}
files=$'bagit.txt\nbag-info.txt\nmanifest-sha256.txt\ntagmanifest-sha256.txt\ndata/article.md\ndata/metadata.json'
odd=$'bagit.txt\nbag-info.txt\nmanifest-md5.txt\ntagmanifest-sha1.txt\nfetch.txt\nDPN/dpnRegistry\naptrust-info.txt\ndata/README.txt\ndata/objects/a\ndata/\n\nmanifest-.txt'
for f in "$ROOT"/manifests/artbag-*-profile.json "$FX"/profiles/*.json; do
    n=$(basename "$f" .json)
    profile_seed "$C/profile/seed-$n" '\005' "$f" "$(cat "$bag/bag-info.txt")" "$files"
    profile_seed "$C/profile/seed-$n-odd" '\122' "$f" \
        $'BagIt-Profile-Identifier: x\nSource-Organization: York University\nBag-Count: 1\nBag-Count: 2' "$odd"
done
# tarcheck: one bag as each writer verify must accept serializes it (plain tar, end marker only),
# and the forms it must refuse that issue 11 names: GNU 'L' then pax path, a global header.
end_only() { head -c "$(($(stat -c %s "$1") - $2))" "$1" >"$3"; }
gzip -dc "$T/b1.tar.gz" >"$T/artbag.tar"
(cd "$T/x1" && tar --format=gnu -cf "$T/gnu.tar" b1 && tar --format=pax -cf "$T/pax.tar" b1 &&
    bsdtar -cf "$T/bsdtar.tar" b1)
for w in artbag gnu pax bsdtar; do
    # drop the zero padding past the two end blocks: it adds bytes, not coverage
    python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); e=len(d.rstrip(b"\0")); e+=-e%512; sys.stdout.buffer.write(d[:e]+bytes(1024))' \
        "$T/$w.tar" >"$C/tarcheck/seed-$w.tar"
done
python3 - "$C/tarcheck" <<'PY'
import io, sys, tarfile
for fmt, name in ((tarfile.PAX_FORMAT, "tarfile-pax"), (tarfile.GNU_FORMAT, "tarfile-gnu")):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=fmt) as t:
        i = tarfile.TarInfo("bag/" + "n" * 120 + "/caf\u00e9.txt"); i.size = 3
        t.addfile(i, io.BytesIO(b"abc"))
    open("%s/seed-%s.tar" % (sys.argv[1], name), "wb").write(b.getvalue()[:-8192 + 1024] if len(b.getvalue()) > 10240 else b.getvalue())
def hdr(name, kind, size, magic=b"ustar\x0000"):
    h = bytearray(512); h[:len(name)] = name; h[100:108] = b"0000644\0"; h[108:116] = h[116:124] = b"0000000\0"
    h[124:136] = b"%011o\0" % size; h[136:148] = b"14524770400\0"; h[156:157] = kind; h[257:265] = magic
    h[148:156] = b" " * 8; h[148:156] = b"%06o\0 " % sum(h); return bytes(h)
pad = lambda d: d + bytes(-len(d) % 512)
L = b"bag/long\0"; x = b"16 path=bag/pax\n"
open(sys.argv[1] + "/seed-L-then-pax.tar", "wb").write(
    hdr(b"././@LongLink", b"L", len(L), b"ustar  \0") + pad(L) + hdr(b"p", b"x", len(x)) + pad(x) +
    hdr(b"bag/f", b"0", 0) + bytes(1024))
open(sys.argv[1] + "/seed-global.tar", "wb").write(
    hdr(b"g", b"g", len(x)) + pad(x) + hdr(b"bag/f", b"0", 0) + bytes(1024))
PY
du -sh "$C"
