#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# A zip means one thing: verify reads it through its central directory, as every extractor does,
# from a file and from standard input alike (a stream is copied to a temporary file within
# --max-bytes first), and refuses, with the same verdict both ways and the entry named, each
# structure readers resolve differently (issue 11, classes 1 and 2): a central entry pointing at
# a local header hidden after another entry, local and central names that differ, a symbolic
# link (which a stream reader could not see), a name without the UTF-8 flag. unzip and Python's
# zipfile confirm what the forged zips would have extracted.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

MUT=$ARTBAG_SRC/tests/diff
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o ours.tar.gz --mtime 0 -q
mkdir dir && tar -xzf ours.tar.gz -C dir || fail "tar cannot read the bundle"
bag=$(ls dir)
(cd dir && bsdtar --format zip -cf ../good.zip "$bag") || fail "bsdtar could not make a zip"

# forge OUT KIND: a mutant of good.zip made with the differential test's zip model.
forge() {
    "$PY" - good.zip "$1" "$2" "$MUT" <<'PY' || fail "could not forge $2"
import sys, zlib
sys.path.insert(0, sys.argv[4])
import zip_mutants as zm
z = zm.parse(open(sys.argv[1], "rb").read())
kind = sys.argv[3]
art = [e for e in z.entries if e.c_name.endswith(b"data/article.md")][0]
if kind == "hidden":
    # the central directory points at a stored local header hidden after the last entry;
    # read from its local headers the zip still shows the original article
    data = b"forged article\n"
    host = z.entries[z.local_order[-1]]
    host.hidden = zm.hidden_entry(art, art.c_name, data)
    hi = z.entries.index(host)
    art.off_over = lambda offs: offs[("hidden", hi)]
    art.c_method, art.c_flags = 0, art.c_flags & ~8
    art.c_crc, art.c_csize, art.c_usize = zlib.crc32(data), len(data), len(data)
elif kind == "names":
    art.l_name = art.c_name.replace(b"article.md", b"articlf.md")
elif kind == "symlink":
    art.eattr = 0o120777 << 16
    art.made_by = 3 << 8 | 20
elif kind == "cp437":
    art.l_name = art.c_name = art.c_name.replace(b"article", b"artic\xe9")
elif kind in ("upath-desc", "upath-desc-utf8"):
    # a Unicode Path field that repeats the ASCII name of bagit.txt, written here without a data
    # descriptor, while the other files keep theirs (bsdtar writes one on every file)
    import struct
    tag = [e for e in z.entries if e.c_name.endswith(b"/bagit.txt")][0]
    tag.desc = b""
    tag.l_flags &= ~8
    tag.c_flags &= ~8
    tag.l_crc, tag.l_csize, tag.l_usize = tag.c_crc, tag.c_csize, tag.c_usize
    # unzip refuses the zip only when no other extra field is there (as Python writes zips)
    for e in z.entries:
        e.l_extra = e.c_extra = b""
    tag.l_extra = tag.c_extra = struct.pack("<HHBI", 0x7075, 5 + len(tag.c_name), 1,
                                            zlib.crc32(tag.c_name)) + tag.c_name
    if kind == "upath-desc-utf8":
        tag.l_flags |= 0x800
        tag.c_flags |= 0x800
open(sys.argv[2], "wb").write(zm.build(z))
PY
}

# both EXIT FILE [PATTERN...]: verify FILE and FILE on stdin exit EXIT, each PATTERN in both.
both() {
    local want=$1 f=$2 p
    shift 2
    expect_exit "$want" "$ARTBAG" verify "$f"
    local from_file=$OUT$ERR
    expect_exit_stdin "$want" "$f" "$ARTBAG" verify -
    for p in "$@"; do
        grep -qF -- "$p" <<<"$from_file" || fail "verify $f: no '$p' in: $from_file"
        grep -qF -- "$p" <<<"$OUT$ERR" || fail "verify - <$f: no '$p' in: $OUT$ERR"
    done
}

note "a valid zip, from a file and from standard input; unpack from standard input too"
both 0 good.zip
mkdir out
expect_exit_stdin 0 good.zip "$ARTBAG" unpack -q - -C out
cmp out/"$bag"/data/article.md dir/"$bag"/data/article.md || fail "unpack from stdin restored other bytes"

note "a central entry pointing at a hidden local header: refused both ways, unzip shows why"
forge hidden.zip hidden
unzip -p hidden.zip "$bag/data/article.md" | grep -q "forged article" ||
    fail "the forgery does not work: unzip does not extract the hidden entry"
both 1 hidden.zip "hidden between"
mkdir out2
expect_exit_stdin 1 hidden.zip "$ARTBAG" unpack -q - -C out2
[ -z "$(ls out2)" ] || fail "a refused unpack left files behind"

note "local and central names differ: refused both ways"
forge names.zip names
both 1 names.zip "$bag/data/article.md" "the local header names it"

note "a symbolic link: an unsafe entry, the same verdict from a file and from standard input"
forge symlink.zip symlink
both 1 symlink.zip "symbolic link"

note "a non-ASCII name without the UTF-8 flag (as Info-ZIP zip writes it): refused both ways"
forge cp437.zip cp437
both 1 cp437.zip "without the UTF-8 flag"

note "a Unicode Path field without the UTF-8 flag, data descriptors elsewhere: unzip refuses it"
forge upath-desc.zip upath-desc
expect_exit 12 unzip -tq upath-desc.zip
assert_contains "$OUT$ERR" "overlapped components" "unzip's own refusal (the reason for the rule)"
both 1 upath-desc.zip "$bag/bagit.txt" "Unicode Path extra field (0x7075) without the UTF-8 flag"
forge upath-desc-utf8.zip upath-desc-utf8
expect_exit 0 unzip -tq upath-desc-utf8.zip
both 0 upath-desc-utf8.zip

note "a zip on standard input larger than --max-bytes: refused (exit 3), never read from its local headers"
expect_exit_stdin 3 good.zip "$ARTBAG" verify --max-bytes 1000 -
grep -q "larger than --max-bytes" <<<"$ERR" || fail "no --max-bytes message: $ERR"

note "a zip whose manifests follow the payload: valid from standard input too"
"$PY" - dir/"$bag" late.zip <<'PY' || fail "could not write late.zip"
import os, sys, zipfile
top = sys.argv[1]
name = os.path.basename(top)
files = []
for d, _, fs in os.walk(top):
    files += [os.path.join(d, f) for f in fs]
# payload first, tag files after
files.sort(key=lambda p: (not os.path.relpath(p, top).startswith("data/"), p))
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED, strict_timestamps=False) as z:
    for p in files:
        z.write(p, os.path.join(name, os.path.relpath(p, top)))
PY
both 0 late.zip

note "non-ASCII names already in NFC and byte-identical to the manifest: no normalisation warning"
mkdir -p nfc/bag/data
printf 'x\n' >"nfc/bag/data/caf$(printf '\xc3\xa9').txt"
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >nfc/bag/bagit.txt
(cd nfc/bag && sha256sum data/* >manifest-sha256.txt)
(cd nfc && bsdtar --format zip -cf ../nfc-bsdtar.zip bag) || fail "bsdtar zip"
for z in nfc-bsdtar.zip; do
    # the C locale of a cron job, where libarchive's name conversion used to get in the way
    LC_ALL=C expect_exit 0 "$ARTBAG" verify "$z"
    assert_contains "$OUT" "OK    $z" "a zip of NFC names in the C locale"
    expect_exit_stdin 0 "$z" "$ARTBAG" verify -
    assert_contains "$OUT" "OK    " "the same zip on stdin"
done

note "a name in NFD: unzip extracts its bytes, bsdtar converts it to NFC, so it is refused"
mkdir -p nfd/bag/data
nfd_name="data/cafe$(printf '\xcc\x81').txt"
printf 'x\n' >"nfd/bag/$nfd_name"
cp nfc/bag/bagit.txt nfd/bag/
(cd nfd/bag && sha256sum data/* >manifest-sha256.txt)
(cd nfd && "$PY" -c 'import os, sys, zipfile
with zipfile.ZipFile("../nfd.zip", "w") as z:
    for d, _, fs in os.walk("bag"):
        for f in fs: z.write(os.path.join(d, f))') || fail "python zip"
mkdir nfd-bsdtar && (cd nfd-bsdtar && bsdtar -xf ../nfd.zip) || fail "bsdtar -x"
[ ! -e "nfd-bsdtar/bag/$nfd_name" ] || fail "bsdtar kept the NFD name: the rule is not needed"
both 1 nfd.zip "not in Unicode NFC"
