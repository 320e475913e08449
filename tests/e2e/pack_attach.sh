#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# pack --attach (issue 15): original captures kept beside the article under data/attachments/,
# listed in metadata.json with libmagic's media type, size and sha256; checked with python3,
# GNU tar and sha256sum -c from inside the bag (the bagit-style check); verify finds a
# metadata.json that disagrees with the bag; bad attachments leave no bundle; a file of
# several hundred MiB is streamed in bounded memory and comes back whole.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

P='artbag: pack:'
mkdir in out
cp "$ARTBAG_SEED" in/a.md
printf '<!DOCTYPE html>\n<html><head><title>capture</title></head><body><p>hi</p></body></html>\n' >in/page.html
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n' >in/scan.pdf
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82' >in/figure.png
cp in/page.html in/same.html
sha256sum in/* >"$T/inputs.sha256"

# packed ARTICLE BUNDLE [flags...]: packs (exit 0), extracts with GNU tar into a fresh directory
# (BAG), checks metadata.json against the schema and both manifests with sha256sum. check_bag
# (lib.sh) expects exactly the two files of a bundle without attachments.
packed() {
    local article=$1 bundle=$2 dir
    shift 2
    expect_exit 0 "$ARTBAG" pack "$article" -o "$bundle" "$@"
    dir=$(mktemp -d "$T/x.XXXXXX")
    extract "$bundle" "$dir"
    validate_metadata "$BAG/data/metadata.json"
    cmp -s "$article" "$BAG/data/article.md" || fail "data/article.md differs from the input"
    (cd "$BAG" && sha256sum --quiet --strict -c tagmanifest-sha256.txt) ||
        fail "sha256sum -c tagmanifest-sha256.txt failed in '$BAG'"
}

note "three captures: each stored under data/attachments/, typed, sized and hashed"
packed in/a.md out/x.tar.gz --mtime 1419206400 --attach in/page.html --attach in/scan.pdf \
    --attach in/figure.png
assert_contains "$OUT" "(5 files," "summary counts the attachments"
"$PY" - "$BAG" in <<'PY' || fail "metadata.json's attachments"
import hashlib, json, os, sys
bag, src = sys.argv[1:3]
meta = json.load(open(os.path.join(bag, "data/metadata.json"), encoding="utf-8"))
want = [("page.html", "text/html"), ("scan.pdf", "application/pdf"), ("figure.png", "image/png")]
got = meta["attachments"]
assert len(got) == 3, got
assert list(meta).index("attachments") == list(meta).index("article") + 1, list(meta)
for (name, mt), a in zip(want, got):
    data = open(os.path.join(src, name), "rb").read()
    assert list(a) == ["path", "bytes", "sha256", "media_type"], a
    assert a["path"] == "data/attachments/" + name, a
    assert a["media_type"] == mt, a
    assert a["bytes"] == len(data), a
    assert a["sha256"] == hashlib.sha256(data).hexdigest(), a
    assert open(os.path.join(bag, a["path"]), "rb").read() == data, a["path"]
PY
assert_eq "tag:artbag.org,2026:bagit-profile:bundle-1.3" "$(bag_info_value "$BAG" BagIt-Profile-Identifier)" \
    "a bundle with attachments names profile bundle-1.3"
assert_eq "$(payload_oxum "$BAG")" "$(bag_info_value "$BAG" Payload-Oxum)" "Payload-Oxum"
# The bagit-style check, with nothing of artbag: every payload file, attachments included.
(cd "$BAG" && sha256sum --strict -c manifest-sha256.txt) >"$T/c.out" ||
    fail "sha256sum -c manifest-sha256.txt rejects the bag"
assert_eq 5 "$(grep -c ': OK$' "$T/c.out")" "files sha256sum -c checked"
# Tag files first in the archive, attachments after the article and its metadata.
assert_eq "x/ x/bag-info.txt x/bagit.txt x/manifest-sha256.txt x/tagmanifest-sha256.txt x/data/ x/data/article.md x/data/metadata.json x/data/attachments/page.html x/data/attachments/scan.pdf x/data/attachments/figure.png" \
    "$(tar -tzf out/x.tar.gz | tr '\n' ' ' | sed 's/ $//')" "archive order"
expect_exit 0 "$ARTBAG" verify out/x.tar.gz
expect_exit 0 "$ARTBAG" verify --profile "$ARTBAG_SRC/manifests/artbag-bag-profile-1.3.json" out/x.tar.gz
mkdir restored
expect_exit 0 "$ARTBAG" unpack out/x.tar.gz -C restored -q
cmp -s in/scan.pdf restored/x/data/attachments/scan.pdf || fail "unpack: scan.pdf differs"
expect_exit 0 "$ARTBAG" show out/x.tar.gz
assert_contains "$OUT" "data/attachments/figure.png" "show lists the attachments"

note "signed with attachments: the signature covers the tag files that list them"
expect_exit 0 "$ARTBAG" keygen -o key --no-passphrase
mkdir signed
expect_exit 0 "$ARTBAG" pack in/a.md -o signed/x.tar.gz --attach in/scan.pdf --sign key.key -q
expect_exit 0 "$ARTBAG" verify --trust key.pub --require-signature signed/x.tar.gz

note "a bundle naming profile bundle-1.2 may not carry attachments (manifests rebuilt)"
mkdir old
tar -xzf out/x.tar.gz -C old
sed -i 's/bagit-profile:bundle-1.3/bagit-profile:bundle-1.2/' old/x/bag-info.txt
(cd old/x && sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt)
tar --sort=name -czf out/old.tar.gz -C old x
expect_exit 1 "$ARTBAG" verify out/old.tar.gz
assert_contains "$OUT$ERR" 'unknown key "attachments"' "bundle-1.2 with attachments"
rm out/old.tar.gz

note "the same bytes under two names are stored once; both items point at the stored file, the copy keeps its name"
packed in/a.md out/dup.tar.gz --mtime 1419206400 --attach in/page.html --attach in/same.html
assert_eq "data/attachments/page.html data/attachments/page.html" \
    "$("$PY" -c 'import json,sys; print(" ".join(a["path"] for a in json.load(open(sys.argv[1]))["attachments"]))' "$BAG/data/metadata.json")" \
    "paths of identical attachments"
assert_eq "- data/attachments/same.html" \
    "$("$PY" -c 'import json,sys; print(" ".join(a.get("given_path", "-") for a in json.load(open(sys.argv[1]))["attachments"]))' "$BAG/data/metadata.json")" \
    "given_path: on the copy only"
[ ! -e "$BAG/data/attachments/same.html" ] || fail "an identical attachment was stored twice"
expect_exit 0 "$ARTBAG" verify out/dup.tar.gz

note "without attachments, nothing changes: profile bundle-1.2, no attachments key"
pack_ok in/a.md out/plain.tar.gz --mtime 1419206400
assert_eq "$PROFILE_ID" "$(bag_info_value "$BAG" BagIt-Profile-Identifier)" "profile without attachments"
assert_eq '"<missing>"' "$(json_get "$BAG/data/metadata.json" attachments)" "no attachments key"

note "the same inputs give the same bytes"
mkdir again
expect_exit 0 "$ARTBAG" pack in/a.md -o again/x.tar.gz --mtime 1419206400 --attach in/page.html \
    --attach in/scan.pdf --attach in/figure.png
cmp -s out/x.tar.gz again/x.tar.gz || fail "two packs with attachments differ"

# forge BUNDLE BAG KEY VALUE: BUNDLE with attachments[1].KEY set to VALUE (a JSON value) in
# metadata.json and the manifests rebuilt to match, as out/forged.tar.gz: only verify's own look
# at the attachment list can find it.
forge() {
    rm -rf forged && mkdir forged && tar -xzf "$1" -C forged
    "$PY" - "forged/$2" "$3" "$4" <<'PY' || fail "forging"
import hashlib, json, os, sys
bag, key, value = sys.argv[1:4]
p = os.path.join(bag, "data/metadata.json")
meta = json.load(open(p, encoding="utf-8"))
meta["attachments"][1][key] = json.loads(value)
open(p, "w", encoding="utf-8").write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
def manifest(paths):
    return "".join("%s  %s\n" % (hashlib.sha256(open(os.path.join(bag, f), "rb").read()).hexdigest(), f) for f in paths)
lines = [l.split("  ", 1)[1].rstrip("\n") for l in open(os.path.join(bag, "manifest-sha256.txt"))]
open(os.path.join(bag, "manifest-sha256.txt"), "w").write(manifest(lines))
open(os.path.join(bag, "tagmanifest-sha256.txt"), "w").write(manifest(["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]))
PY
    tar --sort=name -czf out/forged.tar.gz -C forged "$2"
}

note "verify: metadata.json's attachment digest must agree with the bag (manifests rebuilt)"
forge out/x.tar.gz x sha256 "\"$(printf '0%.0s' $(seq 64))\""
expect_exit 1 "$ARTBAG" verify out/forged.tar.gz
assert_contains "$OUT$ERR" '"attachments[1].sha256" disagrees with '"'"'data/attachments/scan.pdf'"'" "finding"

note "verify: a copy's given_path must be a place under data/ the bag does not hold"
for given in '"data/attachments/page.html"' '"data/article.md"' '"bag-info.txt"' 7 \
    '"data/attachments/../../bag-info.txt"' '"data//same.html"' '"data/./same.html"'; do
    forge out/dup.tar.gz dup given_path "$given"
    expect_exit 1 "$ARTBAG" verify out/forged.tar.gz
    assert_contains "$OUT$ERR" '"attachments[1].given_path" must be a path under data/ that the bag does not hold' \
        "given_path $given"
done

# refuse CODE MESSAGE [pack args...]: exit CODE, MESSAGE on stderr's first line, no bundle and
# no temporary file left, inputs unchanged.
refuse() {
    local code=$1 msg=$2 before
    shift 2
    before=$(listing out)
    expect_exit "$code" "$ARTBAG" pack "$@"
    assert_eq "$msg" "$(head -n 1 "$T/stderr")" "message of 'artbag pack $*'"
    assert_eq "$before" "$(listing out)" "output directory after 'artbag pack $*'"
    sha256sum --quiet -c "$T/inputs.sha256" || fail "an input changed after 'artbag pack $*'"
}

note "bad attachments: a clear message naming the file, exit non-zero, no bundle"
refuse 3 "$P 'in/missing.warc': No such file or directory" in/a.md -o out/bad.tar.gz --attach in/missing.warc
mkdir in/dir
refuse 2 "$P 'in/dir': attachment is not a regular file" in/a.md -o out/bad.tar.gz --attach in/dir
mkfifo in/fifo
# (under timeout: opened without O_NONBLOCK, a FIFO with no writer would wait for ever)
expect_exit 2 timeout "$(secs 30)" "$ARTBAG" pack in/a.md -o out/bad.tar.gz --attach in/fifo
assert_eq "$P 'in/fifo': attachment is not a regular file" "$(head -n 1 "$T/stderr")" "a FIFO"
[ ! -e out/bad.tar.gz ] || fail "a bundle was left after a FIFO"
mkdir in/other
cp in/scan.pdf in/other/page.html
refuse 2 "$P 'in/page.html' and 'in/other/page.html': two attachments named 'page.html'; rename one" \
    in/a.md -o out/bad.tar.gz --attach in/page.html --attach in/other/page.html
printf 'x' >"in/new
line"
refuse 2 "$P 'in/new\\x0aline': 'new\\x0aline': attachment name contains a control character or a backslash" \
    in/a.md -o out/bad.tar.gz --attach "in/new
line"
printf 'x' >"$(printf 'in/cafe\xcc\x81.html')"
refuse 2 "$(printf "%s 'in/cafe\xcc\x81.html': 'cafe\xcc\x81.html': attachment name is not in Unicode NFC; rename the file" "$P")" \
    in/a.md -o out/bad.tar.gz --attach "$(printf 'in/cafe\xcc\x81.html')"
# A size that says 0 and bytes that follow: the file changed while it was read.
refuse 3 "$P '/proc/self/status': changed while packing" in/a.md -o out/bad.tar.gz --attach /proc/self/status
if [ "$(id -u)" -ne 0 ]; then
    cp in/page.html in/locked.html
    chmod 000 in/locked.html
    refuse 3 "$P 'in/locked.html': Permission denied" in/a.md -o out/bad.tar.gz --attach in/locked.html
    chmod 644 in/locked.html
else
    note "(root reads any file mode 000: a file whose read fails stands in for it)"
    refuse 3 "$P '/proc/self/mem': read failed: Input/output error" in/a.md -o out/bad.tar.gz --attach /proc/self/mem
fi
refuse 2 "$P --attach is for one article; in a collection, keep each article's files beside it in a directory of its own (a page bundle)" \
    in/a.md in/a.md -o out/bad.tar.gz --attach in/page.html
case "$(ls -A out)" in *artbag-tmp*) fail "a temporary file was left behind" ;; esac

note "a large capture is streamed: small peak memory, and it comes back whole"
BIG_MIB=${ARTBAG_ATTACH_BIG_MIB:-384}
avail=$(df -Pm "$T" | awk 'NR == 2 { print $4 }')
if [ "$avail" -lt $((BIG_MIB + 256)) ]; then
    note "(only $avail MiB free: the large case is skipped)"
else
    # Sparse but not all zeros: a random MiB at the start and one at the end.
    head -c 1048576 /dev/urandom >in/big.warc
    truncate -s $(((BIG_MIB - 1) * 1048576)) in/big.warc
    head -c 1048576 /dev/urandom >>in/big.warc
    big_sum=$(sha256sum <in/big.warc | cut -d' ' -f1)
    timeout "$(secs 600)" /usr/bin/time -f '%M' -o "$T/rss" "$ARTBAG" pack in/a.md -o out/big.tar.gz \
        --attach in/big.warc -q || fail "pack of a ${BIG_MIB} MiB attachment failed"
    rss_kib=$(tail -n 1 "$T/rss")
    note "peak RSS packing a ${BIG_MIB} MiB attachment: $rss_kib KiB"
    [ "$rss_kib" -lt 65536 ] || fail "peak RSS $rss_kib KiB: the attachment was not streamed"
    assert_eq "$big_sum" "$(tar -xzOf out/big.tar.gz big/data/attachments/big.warc | sha256sum | cut -d' ' -f1)" \
        "the large attachment round-trips"
    assert_eq "$big_sum" "$("$PY" -c 'import json,sys,tarfile; t=tarfile.open(sys.argv[1]); print(json.load(t.extractfile("big/data/metadata.json"))["attachments"][0]["sha256"])' out/big.tar.gz)" \
        "metadata.json's digest of the large attachment"
    timeout "$(secs 600)" "$ARTBAG" verify out/big.tar.gz >/dev/null || fail "verify of the large bundle"
fi
echo ok
