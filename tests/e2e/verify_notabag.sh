#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# Not a bag, not readable (issue 12): garbage, a Markdown file, an empty file, a directory that
# is no bag, an archive made from inside the bag directory, and a download cut short in any
# container (gzip, bzip2, xz, zstd, zip, plain tar mid-entry or before its end blocks) could not
# be checked: exit 3 and one line naming the file and what it is, from a file and on standard
# input alike, and in --json one problem of kind not-a-bag or truncated, valid and complete
# false. Corruption inside a whole stream (a bad gzip CRC, a changed byte) stays a verdict,
# exit 1; so does a bag that lost only its bagit.txt (the conformance suite's
# invalid/missing-bagit.txt). `verify -r` reports each and exits 3.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# unchecked FILE KIND TEXT [STDIN-TEXT]: verify FILE, and FILE on standard input, exit 3 with
# exactly one line "artbag: verify: 'NAME': TEXT" on stderr and nothing on stdout; --json gives
# one problem of KIND, valid and complete false, and matches the schema.
unchecked() {
    local f=$1 kind=$2 text=$3 name how
    for how in file stdin; do
        if [ $how = file ]; then
            name=$f
            expect_exit 3 "$ARTBAG" verify "$f"
        else
            name='<stdin>'
            text=${4:-$3}
            expect_exit_stdin 3 "$f" "$ARTBAG" verify -
        fi
        assert_stdout_empty
        assert_eq "artbag: verify: '$name': $text" "$ERR" "the one message for '$f' ($how)"
        if [ $how = file ]; then
            expect_exit 3 "$ARTBAG" verify --json "$f"
        else
            expect_exit_stdin 3 "$f" "$ARTBAG" verify --json -
        fi
        cp "$T/stdout" "$T/j.json"
        verify_schema_ok "$T/j.json"
        NB_MSG="'$name': $text" verify_json_check "$T/j.json" 0 \
            'not b["valid"] and not b["complete"] and not b["fixity"]' "kinds == ['$kind']" \
            'b["problems"][0]["message"] == __import__("os").environ["NB_MSG"]'
    done
}

expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q
mkdir x
tar -xzf story.tar.gz -C x || fail "GNU tar could not extract the bundle"
gzip -dc story.tar.gz >story.tar
(cd x && "$PY" - story ../story.zip <<'PY') || fail "could not zip the bag"
import os, sys, zipfile
top, out = sys.argv[1:3]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        z.write(dirpath, dirpath + "/")
        for n in sorted(filenames):
            z.write(os.path.join(dirpath, n))
PY
expect_exit 0 "$ARTBAG" verify story.zip

note "not an archive or bag: garbage, Markdown, an empty file, a gzipped Markdown file"
# 0xff starts no compressed format libarchive knows, so the rest is random
{ printf '\377' && head -c 5000 /dev/urandom; } >garbage.bin
cp "$ARTBAG_SEED" story.md
: >empty.tar.gz
printf 'short\n' >short.tar
gzip -nc story.md >story.md.gz
for f in garbage.bin story.md; do
    unchecked "$f" not-a-bag "not an archive or bag"
done
unchecked empty.tar.gz not-a-bag "an empty file, not an archive or bag"
unchecked short.tar not-a-bag "not an archive or bag (shorter than one tar header)"
unchecked story.md.gz not-a-bag "not an archive or bag (gzip-compressed data that is not a tar)"
head -c 1024 /dev/zero >empty.tar
unchecked empty.tar not-a-bag "not a bag: an archive with nothing in it"

note "a directory that is no bag, and one on standard input"
mkdir notes
cp story.md notes/
expect_exit 3 "$ARTBAG" verify notes
assert_eq "artbag: verify: 'notes': not a bag: no bagit.txt" "$ERR" "a directory that is no bag"
expect_exit 3 "$ARTBAG" verify --json notes
verify_schema_ok "$T/stdout"
cp "$T/stdout" "$T/j.json"
verify_json_check "$T/j.json" 0 'not b["valid"] and not b["complete"]' 'kinds == ["not-a-bag"]'
expect_exit 3 "$ARTBAG" verify - <x
assert_contains "$ERR" "'<stdin>': a directory, not an archive" "a directory on standard input"
assert_eq 1 "$(wc -l <"$T/stderr")" "lines for a directory on standard input"
tar -czf notes.tar.gz notes
unchecked notes.tar.gz not-a-bag "not a bag: no bagit.txt"

note "a bag that lost only its bagit.txt is a damaged bag: checked and rejected"
cp -a x/story nobagit
rm nobagit/bagit.txt
expect_exit 1 "$ARTBAG" verify nobagit
assert_contains "$OUT" "'bagit.txt': missing" "a bag without bagit.txt"

note "made from inside the bag directory: tar -C bag . , bare names, zip"
tar -C x/story -czf inside.tgz .
unchecked inside.tgz not-a-bag "made from inside the bag's directory ('./bagit.txt' is at the top of the archive), but a serialized bag holds the bag's directory, named after the bag (RFC 8493 section 4.2); make it from the directory above: 'tar -C PARENT -czf inside.tgz BAG'" \
    "made from inside the bag's directory ('./bagit.txt' is at the top of the archive), but a serialized bag holds the bag's directory, named after the bag (RFC 8493 section 4.2); make it from the directory above: 'tar -C PARENT -czf BAG.tar.gz BAG'"
tar -C x/story -cf inside.tar bagit.txt bag-info.txt data manifest-sha256.txt tagmanifest-sha256.txt
expect_exit 3 "$ARTBAG" verify inside.tar
assert_contains "$ERR" "made from inside the bag's directory ('bagit.txt' is at the top" "bare names"
assert_contains "$ERR" "'tar -C PARENT -cf inside.tar BAG'" "the command for a plain tar"
(cd x/story && "$PY" -c '
import os, sys, zipfile
with zipfile.ZipFile("../../inside.zip", "w") as z:
    for d, ds, fs in os.walk("."):
        for n in sorted(fs):
            z.write(os.path.join(d, n), os.path.relpath(os.path.join(d, n)))
') || fail "could not zip from inside"
expect_exit 3 "$ARTBAG" verify inside.zip
assert_contains "$ERR" "'cd PARENT && zip -r inside.zip BAG'" "the command for a zip"
# A tar of some other directory from inside it: the command is said, the bag is not claimed.
tar -C notes -czf notes-inside.tgz .
expect_exit 3 "$ARTBAG" verify notes-inside.tgz
assert_contains "$ERR" "made from inside a directory ('./' is at the top" "a directory from inside"

note "cut short: gzip at several points, bzip2, xz, zstd, zip, tar mid-entry and before its end"
size=$(size_of story.tar.gz)
for cut in 2 10 100 $((size / 2)) $((size - 8)) $((size - 1)); do
    head -c "$cut" story.tar.gz >"cut-$cut.tar.gz"
    unchecked "cut-$cut.tar.gz" truncated "truncated gzip stream at byte $cut"
done
for c in bzip2 xz zstd; do
    "$c" -q -c story.tar >"story.tar.$c"
    n=$(($(size_of "story.tar.$c") * 2 / 3))
    head -c "$n" "story.tar.$c" >"cut.tar.$c"
    unchecked "cut.tar.$c" truncated "truncated $c stream at byte $n"
done
n=$(($(size_of story.zip) - 30))
head -c "$n" story.zip >cut.zip
unchecked cut.zip truncated "truncated zip archive at byte $n: no end of central directory record"
# Where GNU tar puts the last entry's data and the end-of-archive marker.
read -r mid end < <("$PY" - story.tar <<'PY'
import sys, tarfile
last = tarfile.open(sys.argv[1]).getmembers()[-1]
print(last.offset_data + 100, last.offset_data + (last.size + 511) // 512 * 512)
PY
)
head -c "$mid" story.tar >mid-entry.tar
unchecked mid-entry.tar truncated "truncated tar archive at byte $mid"
head -c "$end" story.tar >no-end.tar
unchecked no-end.tar truncated "truncated tar archive at byte $end, without its end-of-archive marker"
gzip -nc no-end.tar >no-end.tar.gz
unchecked no-end.tar.gz truncated "truncated tar archive: the gzip stream is whole, but the tar in it ends at byte $end, without its end-of-archive marker"
# GNU tar agrees that these are cut short.
tar -tf mid-entry.tar >/dev/null 2>&1 && fail "GNU tar reads mid-entry.tar whole"

note "corruption inside a whole stream stays a verdict: exit 1"
"$PY" - story.tar.gz <<'PY' || fail "could not corrupt the CRC"
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[-8] ^= 0xff  # the last member's CRC-32
open("bad-crc.tar.gz", "wb").write(d)
PY
expect_exit 1 "$ARTBAG" verify bad-crc.tar.gz
expect_exit_stdin 1 bad-crc.tar.gz "$ARTBAG" verify -
"$PY" - story.tar <<'PY' || fail "could not change the article"
import sys, tarfile
d = bytearray(open(sys.argv[1], "rb").read())
m = [m for m in tarfile.open(sys.argv[1]).getmembers() if m.name.endswith("/data/article.md")][0]
d[m.offset_data + 10] ^= 0x20
open("changed.tar", "wb").write(d)
PY
expect_exit 1 "$ARTBAG" verify changed.tar
assert_contains "$OUT" "'data/article.md': sha256 mismatch" "a changed byte"

note "verify -r: each reported, the good still checked, exit 3"
mkdir -p tree/a tree/b
cp story.tar.gz tree/a/good.tar.gz
cp cut-100.tar.gz tree/a/cut.tar.gz
cp story.md tree/b/story.tar.gz
cp empty.tar.gz tree/b/empty.tar
expect_exit 3 "$ARTBAG" verify -r tree
assert_contains "$OUT" "OK    tree/a/good.tar.gz" "the good bundle in the tree"
assert_eq "artbag: verify: 'tree/a/cut.tar.gz': truncated gzip stream at byte 100
artbag: verify: 'tree/b/empty.tar': an empty file, not an archive or bag
artbag: verify: 'tree/b/story.tar.gz': not an archive or bag" "$ERR" "every unreadable bundle, once, in order"
expect_exit 3 "$ARTBAG" verify --json -r tree
cp "$T/stdout" "$T/j.json"
verify_schema_ok "$T/j.json"
verify_json_check "$T/j.json" 0 'kinds == ["truncated"]'
verify_json_check "$T/j.json" 1 'b["valid"]'
verify_json_check "$T/j.json" 2 'kinds == ["not-a-bag"]'
verify_json_check "$T/j.json" 3 'kinds == ["not-a-bag"]'
echo "verify_notabag: ok"
