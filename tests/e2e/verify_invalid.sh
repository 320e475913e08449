#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# For every rule artbag verify enforces (RFC 8493 and the issue), a variant made by mutating a
# valid bag is rejected (exit 1) with the right problem kind in --json output, as a directory
# and as a .tar.gz; hostile archives (made with Python's tarfile) are refused; warnings that do
# not make a bag invalid leave exit 0; and every problem is reported, not only the first.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

mkdir src v a
bagmaker base src base
(cd src && tar --format=pax -czf base.tar.gz --no-recursion --null -T base.order) || fail "tar base"
expect_exit 0 "$ARTBAG" verify src/base src/base.tar.gz

# variant NAME: copies the valid base bag to v/NAME (the bag directory is named NAME too) and
# sets V to it; the caller then changes one thing.
variant() {
    rm -rf "v/$1"
    cp -a src/base "v/$1" || fail "cp"
    V=v/$1
}

# verdict WANT-EXIT TARGET [OPTIONS...] -- EXPR...: verify --json OPTIONS TARGET exits WANT-EXIT
# and every EXPR holds (see verify_json_check); a mismatch is recorded and the run goes on, so
# one run shows every case artbag gets wrong. The document is left in $T/r.json.
verdict() {
    local want=$1 target=$2 rc opts=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        opts+=("$1")
        shift
    done
    shift
    "$ARTBAG" verify --json "${opts[@]}" "$target" >"$T/r.json" 2>"$T/r.err"
    rc=$?
    if [ $rc -ne "$want" ]; then
        discrepancy "$target ${opts[*]}: expected exit $want, got $rc: $(tr '\n' ' ' <"$T/r.json" | tr -s ' ' | cut -c1-400) $(head -c 200 "$T/r.err")"
        return 1
    fi
    if ! (verify_json_check "$T/r.json" 0 "$@") 2>"$T/r.why"; then
        discrepancy "$target ${opts[*]}: $(tr '\n' ' ' <"$T/r.why" | tr -s ' ' | cut -c1-600)"
        return 1
    fi
    return 0
}

# rejected KIND [EXPR...]: the variant $V, as a directory and as a .tar.gz, is invalid with a
# problem of KIND.
rejected() {
    local kind=$1 name
    shift
    name=$(basename "$V")
    tar --format=pax -czf "a/$name.tar.gz" -C v "$name" || fail "tar $name"
    verdict 1 "$V" -- 'not b["valid"]' "'$kind' in kinds" "$@"
    verdict 1 "a/$name.tar.gz" -- 'not b["valid"]' "'$kind' in kinds" "$@"
    unpack_refused "a/$name.tar.gz"
}

# unpack_refused BUNDLE: artbag unpack refuses it with exit 1 and leaves the destination empty.
mkdir udest
unpack_refused() {
    local rc
    "$ARTBAG" unpack "$1" -C udest >"$T/u.out" 2>"$T/u.err"
    rc=$?
    [ $rc -eq 1 ] || discrepancy "unpack $1: expected exit 1, got $rc: $(head -c 300 "$T/u.err")"
    [ -z "$(ls -A udest)" ] || discrepancy "unpack $1 left files in DIR: $(ls -A udest)"
    rm -rf udest && mkdir udest
}

# edit FILE PYTHON: rewrites FILE's bytes d as the Python expression PYTHON says.
edit() {
    "$PY" - "$1" "$2" <<'EOF' || fail "edit $1"
import sys
d = open(sys.argv[1], "rb").read()
d = eval(sys.argv[2])
open(sys.argv[1], "wb").write(d)
EOF
}

note "payload: changed byte, missing file, unlisted file"
variant changed-byte
edit "$V/data/hello.txt" 'd.replace(b"Hello", b"Jello")'
rejected checksum-mismatch 'kinds.count("checksum-mismatch") == 2' \
    'all(p["path"] == "data/hello.txt" and p["expected"] and p["actual"] and p["expected"] != p["actual"] for p in b["problems"])'
variant missing-file
rm "$V/data/sub/dir/numbers.csv"
rejected missing-file 'not b["complete"]' '"oxum-mismatch" in kinds'
variant extra-file
echo extra >"$V/data/extra.txt"
rejected unlisted-file 'any(p["path"] == "data/extra.txt" for p in b["problems"])'
variant one-manifest-only
edit "$V/manifest-md5.txt" 'b"".join(l for l in d.splitlines(True) if b"binary.bin" not in l)'
bagmaker rehash "$V"
rejected unlisted-file 'kinds == ["unlisted-file"]' 'b["problems"][0]["path"] == "data/binary.bin"'

note "payload manifests: twice, outside data/, a directory, bad digest, none at all"
variant listed-twice
edit "$V/manifest-sha256.txt" 'd + d.splitlines(True)[0]'
bagmaker rehash "$V"
rejected manifest 'kinds == ["manifest"]'
variant outside-data
edit "$V/manifest-sha256.txt" 'd + d.split(b" ")[0] + b"  bagit.txt\n"'
bagmaker rehash "$V"
rejected manifest 'kinds == ["manifest"]'
variant listed-dir
edit "$V/manifest-sha256.txt" 'd + d.split(b" ")[0] + b"  data/sub/dir\n"'
bagmaker rehash "$V"
rejected manifest 'kinds == ["manifest"]'
variant short-digest
edit "$V/manifest-sha256.txt" 'd[:10] + d[11:]'
# not rehashed, which would repair the digest: the tag manifests now disagree too
rejected manifest 'any(p["kind"] == "manifest" and p["expected"] == "64" and p["actual"] == "63" for p in b["problems"])' \
    'set(kinds) == {"manifest", "checksum-mismatch", "unlisted-file"}'
variant no-payload-manifest
rm "$V"/manifest-*.txt
edit "$V/tagmanifest-sha256.txt" 'b"".join(l for l in d.splitlines(True) if b" manifest-" not in l)'
edit "$V/tagmanifest-md5.txt" 'b"".join(l for l in d.splitlines(True) if b" manifest-" not in l)'
rejected manifest

note "bagit.txt: missing, BOM, extra line, wrong order, two spaces, 0.97 is fine"
variant no-bagit-txt
rm "$V/bagit.txt"
rejected missing-file 'any(p["path"] == "bagit.txt" for p in b["problems"])'
for m in bom extra-line order two-spaces; do
    variant bagit-$m
    case $m in
    bom) edit "$V/bagit.txt" 'b"\xef\xbb\xbf" + d' ;;
    extra-line) edit "$V/bagit.txt" 'd + b"Extra-Label: x\n"' ;;
    order) edit "$V/bagit.txt" 'b"".join(reversed(d.splitlines(True)))' ;;
    two-spaces) edit "$V/bagit.txt" 'd.replace(b": ", b":  ", 1)' ;;
    esac
    bagmaker rehash "$V"
    rejected bagit-txt 'set(kinds) == {"bagit-txt"}'
done

note "encodings: unknown name, bytes invalid for the declared one"
variant bad-encoding-name
edit "$V/bagit.txt" 'd.replace(b"UTF-8", b"NO-SUCH-CHARSET-42")'
bagmaker rehash "$V"
rejected encoding
variant invalid-utf8
edit "$V/bag-info.txt" 'd + b"Contact-Name: Jos\xe9\n"'
bagmaker rehash "$V"
rejected encoding 'set(kinds) == {"encoding"}'

note "bag-info.txt: malformed line, Payload-Oxum malformed and wrong"
variant baginfo-no-colon
edit "$V/bag-info.txt" 'd + b"this line has no colon\n"'
bagmaker rehash "$V"
rejected bag-info 'kinds == ["bag-info"]'
variant oxum-malformed
edit "$V/bag-info.txt" 'd.replace(b"Payload-Oxum: ", b"Payload-Oxum: 12x")'
bagmaker rehash "$V"
rejected bag-info 'kinds == ["bag-info"]'
variant oxum-wrong
edit "$V/bag-info.txt" 'd.replace(b"Payload-Oxum: ", b"Payload-Oxum: 1")'
bagmaker rehash "$V"
rejected oxum-mismatch 'kinds == ["oxum-mismatch"]'

note "tag manifests: wrong digest, listing a payload file or a tag manifest, not listing a manifest"
variant tag-digest
edit "$V/bag-info.txt" 'd + b"Contact-Name: Someone\n"'
rejected checksum-mismatch 'kinds == ["checksum-mismatch"] * 2' \
    'all(p["path"] == "bag-info.txt" for p in b["problems"])'
variant tag-lists-payload
edit "$V/tagmanifest-sha256.txt" 'd + b"0" * 64 + b"  data/hello.txt\n"'
bagmaker rehash "$V"
rejected manifest 'kinds == ["manifest"]'
variant tag-lists-tag
edit "$V/tagmanifest-sha256.txt" 'd + b"0" * 64 + b"  tagmanifest-md5.txt\n"'
bagmaker rehash "$V"
rejected manifest 'kinds == ["manifest"]'
variant tag-misses-manifest
edit "$V/tagmanifest-sha256.txt" 'b"".join(l for l in d.splitlines(True) if b"manifest-md5" not in l)'
bagmaker rehash "$V"
verdict 0 "$V" -- 'b["valid"]' 'wkinds == ["tagmanifest"]'

note "fetch.txt with a file not yet fetched"
variant fetch-absent
printf 'https://example.org/remote.bin 5 data/remote.bin\n' >"$V/fetch.txt"
for alg in md5 sha256; do
    printf '%s  data/remote.bin\n' "$(printf 'hello' | "${alg}sum" | cut -d' ' -f1)" >>"$V/manifest-$alg.txt"
done
bagmaker rehash "$V"
rejected fetch 'not b["complete"]' 'kinds == ["fetch"]' '"1 files to fetch" in b["problems"][0]["message"]'

note "serialized bags: two top-level directories, unsafe and duplicate entries"
for kind in twotop abs dotdot symlink hardlink fifo chardev blockdev dup; do
    bagmaker hostile src/base "a/hostile-$kind.tar" "$kind"
    case $kind in
    twotop) want=layout ;;
    dup) want=duplicate-entry ;;
    *) want=unsafe-entry ;;
    esac
    verdict 1 "a/hostile-$kind.tar" -- 'not b["valid"]' "'$want' in kinds"
    gzip -kn "a/hostile-$kind.tar"
    verdict 1 "a/hostile-$kind.tar.gz" -- 'not b["valid"]' "'$want' in kinds"
    unpack_refused "a/hostile-$kind.tar.gz"
done

note "broken streams: truncated gzip, garbage after the gzip stream and after the tar end"
size=$(size_of src/base.tar.gz)
head -c $((size - 40)) src/base.tar.gz >a/truncated.tar.gz
# A cut file is not a verdict on the bag: could not check (exit 3), one finding (issue 12).
verdict 3 a/truncated.tar.gz -- 'not b["valid"]' 'kinds == ["truncated"]' \
    "b['problems'][0]['message'].endswith('truncated gzip stream at byte $((size - 40))')"
{ cat src/base.tar.gz; printf 'GARBAGE AFTER THE GZIP STREAM'; } >a/gz-garbage.tar.gz
verdict 1 a/gz-garbage.tar.gz -- 'not b["valid"]' '"archive" in kinds'
{ gzip -dc src/base.tar.gz; printf 'GARBAGE AFTER THE TAR END%.0s' {1..40}; } | gzip -n >a/tar-garbage.tar.gz
verdict 1 a/tar-garbage.tar.gz -- 'not b["valid"]' '"archive" in kinds'
gzip -dc src/base.tar.gz >a/base.tar
{ cat a/base.tar; printf 'GARBAGE AFTER THE TAR END%.0s' {1..40}; } >a/tar-garbage.tar
verdict 1 a/tar-garbage.tar -- 'not b["valid"]' '"archive" in kinds'
verdict 1 - -- 'not b["valid"]' '"archive" in kinds' <a/tar-garbage.tar

note "--max-bytes"
# Over the budget a bag is not judged (exit 3, one message naming the flag, kind "limits" in
# --json), whether an archive or a directory.
verdict 3 src/base.tar.gz --max-bytes 4K -- 'not b["valid"]' \
    'any("could not check within the limits (raise with --max-bytes)" in p["message"] for p in b["problems"])'
verdict 3 src/base --max-bytes 4K -- 'not b["valid"]' 'kinds == ["limits"]'
verdict 0 src/base.tar.gz --max-bytes 1M -- 'b["valid"]'

note "warnings only: NFC/NFD names, names differing only in case"
variant nfd
bagmaker add "$V" "$(printf 'data/cafe\xcc\x81.txt')" "$(printf 'data/caf\xc3\xa9.txt')" "NFD on disk"
verdict 0 "$V" -- 'b["valid"]' 'set(wkinds) == {"normalization"}'
# In a GNU or ustar header nobody converts the name, so the tar is what the directory is.
tar --format=gnu -czf a/nfd.tar.gz -C v nfd
verdict 0 a/nfd.tar.gz -- 'b["valid"]' 'set(wkinds) == {"normalization"}'
# bsdtar converts a pax path to NFC and GNU tar does not: two readers, two names (issue 11).
tar --format=pax -czf a/nfd-pax.tar.gz -C v nfd
verdict 1 a/nfd-pax.tar.gz -- 'not b["valid"]' '"ambiguous" in kinds'
verdict 1 - -- 'not b["valid"]' '"ambiguous" in kinds' <a/nfd-pax.tar.gz
variant case
bagmaker add "$V" data/README.txt data/README.txt "upper"
bagmaker add "$V" data/readme.txt data/readme.txt "lower"
verdict 0 "$V" -- 'b["valid"]' 'wkinds == ["case-collision"]'
expect_exit 0 "$ARTBAG" verify "$V"
assert_contains "$OUT" "WARN" "text report of a bag with a warning"

note "artbag bundle whose metadata.json was altered and its manifests recomputed"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o a/story.tar.gz --mtime 1419206400 -q
mkdir story
tar -xzf a/story.tar.gz -C story || fail "extract story"
edit story/story/data/metadata.json 'd.replace(b"https://phys.org/", b"https://evil.example/")'
bagmaker rehash story/story --oxum
(cd story/story && sha256sum --quiet -c manifest-sha256.txt && sha256sum --quiet -c tagmanifest-sha256.txt) ||
    fail "the altered bundle's manifests do not match"
tar --format=pax -czf a/story-altered.tar.gz -C story story
verdict 1 story/story -- 'kinds == ["metadata"]'
verdict 1 a/story-altered.tar.gz -- 'kinds == ["metadata"]'

note "--fast: completeness and Payload-Oxum only"
variant fast-changed
edit "$V/data/hello.txt" 'd.replace(b"Hello", b"Jello")'
verdict 0 "$V" --fast -- 'b["valid"]' 'not b["fixity"]'
expect_exit 0 "$ARTBAG" verify --fast "$V"
assert_contains "$OUT" "NOT a fixity check" "--fast text output"
variant fast-missing
rm "$V/data/hello.txt"
verdict 1 "$V" --fast -- 'not b["valid"]' '"missing-file" in kinds'

note "every problem is reported, not only the first"
variant three
edit "$V/manifest-md5.txt" 'b""'
bagmaker rehash "$V"
edit "$V/data/hello.txt" 'd.replace(b"Hello", b"Jello")'
edit "$V/data/binary.bin" 'b"\xff" + d[1:]'
edit "$V/data/sub/dir/numbers.csv" 'd.replace(b"0,0", b"9,9")'
rm "$V/manifest-md5.txt"
edit "$V/tagmanifest-sha256.txt" 'b"".join(l for l in d.splitlines(True) if b"manifest-md5" not in l)'
edit "$V/tagmanifest-md5.txt" 'b"".join(l for l in d.splitlines(True) if b"manifest-md5" not in l)'
rejected checksum-mismatch 'len(b["problems"]) == 3' 'kinds == ["checksum-mismatch"] * 3' \
    'sorted(p["path"] for p in b["problems"]) == ["data/binary.bin", "data/hello.txt", "data/sub/dir/numbers.csv"]'
expect_exit 1 "$ARTBAG" verify "$V"
assert_eq 3 "$(grep -c '  problem: ' "$T/stdout")" "problem lines in the text report"

discrepancies_end
