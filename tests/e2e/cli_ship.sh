#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# The rough edges of issue 17, each checked end to end: a bare --progress means always and its
# line is erased (\r, erase to end) before results and at the end; verify -r and audit find bag
# directories as well as archives, and an empty search says so (exit 1); paths print as given,
# without doubled slashes; unpack defaults to the current directory, names a missing
# destination as the destination, and restores directories' times as well as files'.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q || fail "pack"
mkdir -p arch/2014/bags arch/empty
cp story.tar.gz arch/2014/
tar -xzf story.tar.gz -C arch/2014/bags || fail "tar x"

note "a bare --progress means always; its line is erased, never left standing"
expect_exit 0 "$ARTBAG" verify --progress arch/2014/story.tar.gz story.tar.gz
assert_contains "$ERR" "verify: 2/2" "bare --progress, not a terminal"
# the meter's last drawing is followed by its erasure
[ "$(tail -c 4 "$T/stderr" | od -An -c | tr -d ' ')" = '\r033[K' ] ||
    fail "stderr does not end by erasing the meter: $(od -c "$T/stderr" | tail -3)"
expect_exit 0 "$ARTBAG" verify --progress=never arch/2014/story.tar.gz story.tar.gz
assert_stderr_empty
cp story.tar.gz bad.tar.gz
printf 'x' | dd of=bad.tar.gz bs=1 seek=100 conv=notrunc 2>/dev/null
# On a terminal (stdout and stderr the same), what shows on each line after the last carriage
# return must never be a stale meter: results and messages start where the meter was.
cat >onatty.py <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
seen = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
sys.exit(os.waitstatus_to_exitcode(status))
PY
expect_exit 3 $PY onatty.py "$ARTBAG" verify --progress story.tar.gz bad.tar.gz arch/2014/story.tar.gz nothere.tar.gz
grep -c 'verify: [0-9]/4' "$T/stdout" >/dev/null || fail "no meter on the terminal"
# the line a terminal shows: what follows the last \r, erase-to-end removed
$PY - "$T/stdout" <<'PY' || fail "a stale meter line on the terminal"
import re, sys
data = open(sys.argv[1], "rb").read().decode()
for line in data.split("\n"):
    shown = line.split("\r")[-1] if not line.endswith("\r") else line.rstrip("\r").split("\r")[-1]
    # a drawn meter stays only if nothing erased it: shown text starting with "verify: N/M"
    shown = shown.replace("\x1b[K", "")
    if re.match(r"verify: \d+/\d+", shown):
        print("stale:", repr(line))
        sys.exit(1)
PY
assert_contains "$(cat "$T/stdout")" "FAIL  bad.tar.gz" "the invalid one's result"
assert_contains "$(cat "$T/stdout")" "nothere.tar.gz" "the missing one's message"

note "verify -r finds bag directories and archives, paths as given"
expect_exit 0 "$ARTBAG" verify -r arch/
assert_eq "$(printf 'OK    arch/2014/bags/story: 2 files, 2648 bytes, sha256\nOK    arch/2014/story.tar.gz: 2 files, 2648 bytes, sha256')" \
    "$(sed 's/ ([^)]*)//' "$T/stdout" | sed -n '1,2p' | sed 's/, [0-9]* bytes/, 2648 bytes/')" "verify -r arch/"
grep -q '//' "$T/stdout" && fail "a doubled slash: $OUT"
expect_exit 0 "$ARTBAG" verify -r arch///
grep -q '//' "$T/stdout" && fail "a doubled slash: $OUT"
assert_eq 2 "$(grep -c '^OK' "$T/stdout")" "bundles found under arch///"
# a bag directory given to -r is itself checked
expect_exit 0 "$ARTBAG" verify -r arch/2014/bags/story
assert_eq 1 "$(grep -c '^OK    arch/2014/bags/story:' "$T/stdout")" "-r on a bag"

note "an empty search says so, exit 1, and the rest is still checked"
expect_exit 1 "$ARTBAG" verify -r arch/empty
assert_eq "artbag: verify: no bundles or bags found under 'arch/empty'" "$ERR" "empty -r"
assert_stdout_empty
expect_exit 1 "$ARTBAG" verify -r arch/empty/ story.tar.gz
assert_contains "$ERR" "no bundles or bags found under 'arch/empty/'" "empty -r beside a bundle"
assert_contains "$OUT" "OK    story.tar.gz" "the bundle beside an empty -r"
expect_exit 1 "$ARTBAG" audit --ledger ledger.sqlite arch/empty
assert_eq "artbag: audit: no bundles or bags found under 'arch/empty'" "$ERR" "empty audit"
expect_exit 0 "$ARTBAG" audit --ledger ledger.sqlite -q arch/
assert_contains "$OUT" "2 bundles found" "audit finds the archive and the bag"

note "unpack: the current directory by default; a missing destination is named as one"
mkdir here
(cd here && "$ARTBAG" unpack ../story.tar.gz >../out.txt 2>&1) || fail "unpack without -C: $(cat out.txt)"
[ -f here/story/bagit.txt ] || fail "unpack without -C did not unpack into ."
assert_eq "unpacked '../story.tar.gz' into './story' (2 files, 2648 bytes)" "$(sed 's/, [0-9]* bytes)/, 2648 bytes)/' out.txt)" "unpack's line"
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C nowhere
assert_eq "artbag: unpack: destination 'nowhere': No such file or directory" "$ERR" "missing destination"
mkdir there
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C there//
assert_contains "$OUT" "into 'there/story'" "unpack -C there//"

note "unpack restores directories' times, the bag's own included"
mkdir stamped
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C stamped
for d in stamped/story stamped/story/data; do
    assert_eq 1419206400 "$(stat -c %Y "$d")" "time of '$d'"
done
assert_eq 1419206400 "$(stat -c %Y stamped/story/data/article.md)" "time of a file"
# a bundle whose directories carry other times than its files: each gets its own
mkdir -p src/b/data/sub && cp -r here/story/. src/b/ && mkdir -p src/b/data/sub
rmdir src/b/data/sub
touch -d @1000000000 src/b/data/article.md src/b/data/metadata.json src/b/*.txt
touch -d @1100000000 src/b/data
touch -d @1200000000 src/b
tar -C src -czf times.tar.gz --sort=name b || fail "tar c"
mkdir t2
expect_exit 0 "$ARTBAG" unpack times.tar.gz -C t2
assert_eq 1200000000 "$(stat -c %Y t2/b)" "the bag directory's time"
assert_eq 1100000000 "$(stat -c %Y t2/b/data)" "data/'s time"
assert_eq 1000000000 "$(stat -c %Y t2/b/data/article.md)" "a file's time"

note "pack -o - writes the bundle to standard output, named after the article"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o - --mtime 1419206400
cp "$T/stdout" piped.tar.gz
assert_contains "$ERR" "into standard output" "pack -o - says where it went, on stderr"
bag=$(basename "$ARTBAG_SEED" .md)
assert_eq "$bag/" "$(tar -tzf piped.tar.gz | head -1)" "bag of pack -o -"
expect_exit 0 "$ARTBAG" verify piped.tar.gz
"$ARTBAG" pack "$ARTBAG_SEED" -o "$bag.tar.gz" --mtime 1419206400 -q || fail "pack to a file"
cmp piped.tar.gz "$bag.tar.gz" || fail "-o - differs from the same bundle packed to a file"
"$ARTBAG" pack - -o - --mtime 1419206400 -q <"$ARTBAG_SEED" >stdin.tar.gz || fail "pack - -o -"
assert_eq "article/" "$(tar -tzf stdin.tar.gz | head -1)" "bag of pack - -o -"
ls -a /tmp "${TMPDIR:-/tmp}" | grep -q '^\.artbag-pack-' && fail "pack -o - left its temporary directory"

note "output names in any case; --name names the bag apart from the file"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o UPPER.TAR.GZ --mtime 1419206400
assert_eq "UPPER/" "$(tar -tzf UPPER.TAR.GZ | head -1)" "bag of UPPER.TAR.GZ"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o Up.TGZ -q
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o named.tar.gz --name story-2014 --mtime 1419206400
assert_eq "story-2014/" "$(tar -tzf named.tar.gz | head -1)" "--name"
expect_exit 0 "$ARTBAG" verify named.tar.gz
expect_exit 3 "$ARTBAG" pack "$ARTBAG_SEED" -o named.tar.gz --name other
assert_contains "$ERR" "'named.tar.gz': already exists" "--name onto an existing bundle"
assert_eq "story-2014/" "$(tar -tzf named.tar.gz | head -1)" "the existing bundle kept"
expect_exit 0 "$ARTBAG" pack "$ARTBAG_SEED" -o named.tar.gz --name other --force
assert_eq "other/" "$(tar -tzf named.tar.gz | head -1)" "--name --force"
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o n2.tar.gz --name a/b
expect_exit 2 "$ARTBAG" pack "$ARTBAG_SEED" -o n2.zip --name ok
ls -a | grep -q '^\.artbag-pack-' && fail "--name left its temporary directory"

note "pack reports every missing field at once"
mkdir -p in/sub
printf 'just a body\n' >in/bare.md
expect_exit 1 "$ARTBAG" pack in/bare.md -o bare.tar.gz
assert_eq "artbag: pack: 'in/bare.md': no source URL and no title found; pass --url and --title" "$ERR" "both missing"
expect_exit 1 "$ARTBAG" pack in/bare.md -o bare.tar.gz --title T
assert_eq "artbag: pack: 'in/bare.md': no source URL found; pass --url" "$ERR" "URL missing"
expect_exit 1 "$ARTBAG" pack in/bare.md -o bare.tar.gz --url https://example.org/x
assert_eq "artbag: pack: 'in/bare.md': no title found; pass --title" "$ERR" "title missing"

note "pack --each: -O made when missing; reruns pack only what is missing"
cp "$ARTBAG_SEED" in/a.md
sed 's|https://[^ )>]*|https://example.org/other/story|' "$ARTBAG_SEED" >in/sub/b.md
ln -s "$ARTBAG_SEED" in/linked.md
ln -s nowhere in/dangling.md
rm in/bare.md
expect_exit 1 "$ARTBAG" pack --each in -O made/here --mtime 1419206400 --skip-bad
[ -d made/here ] || fail "-O made/here was not made"
assert_contains "$ERR" "'in/dangling.md'" "a dangling link is named, not dropped"
assert_contains "$ERR" "1 articles skipped" "only the dangling link skipped"
n=$(find made/here -name '*.tar.gz' | wc -l)
assert_eq 3 "$n" "bundles of a.md, linked.md (followed) and sub/b.md"
rm in/dangling.md
sha256sum made/here/*.tar.gz >before.sha
# without --skip-existing the first existing bundle stops the batch
expect_exit 3 "$ARTBAG" pack --each in -O made/here -j 1
assert_contains "$ERR" "already exists; pass --force to replace it, or --skip-existing to keep it" "rerun without --skip-existing"
expect_exit 3 "$ARTBAG" pack --each in -O made/here// -j 1
assert_contains "$ERR" "'made/here/" "-O made/here/ as given"
grep -q '//' "$T/stderr" && fail "a doubled slash: $ERR"
# --skip-bad names an existing bundle and goes on (exit 1), no longer stopping there
expect_exit 1 "$ARTBAG" pack --each in -O made/here --skip-bad
assert_eq 3 "$(grep -c 'already exists.*(skipped)' "$T/stderr")" "--skip-bad on existing bundles"
sha256sum -c --quiet before.sha || fail "a rerun changed an existing bundle"
sed 's|https://[^ )>]*|https://example.org/third/story|' "$ARTBAG_SEED" >in/sub/c.md
expect_exit 0 "$ARTBAG" pack --each in -O made/here --skip-existing --mtime 1419206400
assert_eq "packed 1 articles into 'made/here' (3 already there, kept)" "$OUT" "--skip-existing rerun"
assert_eq 4 "$(find made/here -name '*.tar.gz' | wc -l)" "bundles after the rerun"
sha256sum -c --quiet before.sha || fail "--skip-existing changed an existing bundle"
expect_exit 0 "$ARTBAG" pack --each in -O made/here --skip-existing
assert_eq "packed 0 articles into 'made/here' (4 already there, kept)" "$OUT" "nothing new"
expect_exit 2 "$ARTBAG" pack in/a.md -o x.tar.gz --skip-existing

note "show of a collection says it is one: articles, the first titles, its own bag-info"
mkdir many
for i in $(seq 10 21); do
    sed "s|https://[^ )>]*|https://example.org/s/$i|" "$ARTBAG_SEED" | sed "0,/^# /s|^# .*|# Story $i|" >many/s$i.md
done
"$ARTBAG" pack many -o many.tar.gz --mtime 1419206400 --title "Twelve stories" --org "City Archive" -q ||
    fail "pack many"
expect_exit 0 "$ARTBAG" show many.tar.gz
assert_contains "$OUT" "collection: 12 articles (data/catalog.jsonl)" "show of a collection"
assert_eq 10 "$(grep -c '^  2014-12-22  Story 1[0-9]$' "$T/stdout")" "titles shown by default"
assert_contains "$OUT" "  ... and 2 more (--all shows every one)" "what is left out is said"
assert_contains "$OUT" "  External-Description: Twelve stories" "the collection's own bag-info"
assert_contains "$OUT" "  Source-Organization: City Archive" "the collection's own bag-info"
grep -q '^metadata:' "$T/stdout" && fail "a collection shown as 'not an artbag bundle': $OUT"
expect_exit 0 "$ARTBAG" show --all many.tar.gz
assert_eq 12 "$(grep -c '^  2014-12-22  Story [12][0-9]$' "$T/stdout")" "--all titles"
assert_eq 25 "$(grep -c '^  data/' "$T/stdout")" "--all files"
# one article: no collection line
expect_exit 0 "$ARTBAG" show story.tar.gz
grep -q '^collection:' "$T/stdout" && fail "one article shown as a collection"
true
