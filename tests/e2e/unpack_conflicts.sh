#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# unpack publishes exactly what it verified: every conflict while extracting (an entry twice, a
# file where a directory is needed, a directory entry over a file, names that differ only in
# case, a name the destination folds onto another) refuses the bag and leaves DIR as it was;
# --trust and --require-signature check the very bytes that are restored; --force replaces only
# a bag, and a bag named '.something' is refused. The bundles are built with Python's tarfile
# and hashlib, sharing no code with artbag.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

snapshot() { (cd "$1" && find . -printf '%p %y %s\n' | LC_ALL=C sort); }

# mkbag OUT.tar.gz|OUT.zip TOP ENTRY...: a bag whose members come in the order given, each ENTRY
# 'PATH=TEXT' (a file) or 'PATH/' (a directory). Every file outside the tag files is listed in
# manifest-sha256.txt (payload) or tagmanifest-sha256.txt (tag files), with its true digest.
mkbag() {
    "$PY" - "$@" <<'PY' || fail "could not build $1"
import hashlib, io, os, sys, tarfile
out, top, entries = sys.argv[1], sys.argv[2], sys.argv[3:]
files, order = {}, []
for e in entries:
    if e.endswith("/"):
        order.append((e.rstrip("/"), None))
    else:
        p, t = e.split("=", 1)
        order.append((p, t.encode()))
        files.setdefault(p, t.encode())
sha = lambda b: hashlib.sha256(b).hexdigest()
payload = [(p, b) for p, b in order if b is not None and p.startswith("data/")]
other = [(p, b) for p, b in order if b is not None and not p.startswith("data/")]
bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
manifest = "".join("%s  %s\n" % (sha(b), p) for p, b in payload).encode()
info = b"Bag-Software-Agent: unpack_conflicts.sh\n"
tags = [("bagit.txt", bagit), ("bag-info.txt", info), ("manifest-sha256.txt", manifest)] + other
tagm = "".join("%s  %s\n" % (sha(b), p) for p, b in tags).encode()
def add(tf, name, data):
    ti = tarfile.TarInfo(top + "/" + name)
    if data is None:
        ti.type = tarfile.DIRTYPE
        ti.mode = 0o755
        tf.addfile(ti)
    else:
        ti.size = len(data)
        ti.mode = 0o644
        tf.addfile(ti, io.BytesIO(data))
tags = [("bagit.txt", bagit), ("bag-info.txt", info), ("manifest-sha256.txt", manifest),
        ("tagmanifest-sha256.txt", tagm)]
if out.endswith(".zip"):
    import warnings, zipfile
    warnings.simplefilter("ignore")  # zipfile warns about a duplicate name, which is the point
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in tags + order:
            if data is None:
                zf.writestr(top + "/" + name + "/", b"")
            else:
                zf.writestr(top + "/" + name, data)
    sys.exit(0)
fmt = tarfile.GNU_FORMAT if os.environ.get("MKBAG_FORMAT") == "gnu" else tarfile.PAX_FORMAT
with tarfile.open(out, "w:gz", format=fmt) as tf:
    d = tarfile.TarInfo(top); d.type = tarfile.DIRTYPE; d.mode = 0o755; tf.addfile(d)
    for name, data in tags:
        add(tf, name, data)
    for p, b in order:
        add(tf, p, b)
PY
}

mkdir dest
# refused BUNDLE VERIFY-EXIT NEEDLE: verify exits VERIFY-EXIT; unpack exits 1, names NEEDLE and
# leaves DIR exactly as it was, from the file and from standard input alike.
refused() {
    local b=$1 vexit=$2 needle=$3 before
    before=$(snapshot dest)
    expect_exit "$vexit" "$ARTBAG" verify "$b"
    expect_exit 1 "$ARTBAG" unpack "$b" -C dest
    assert_contains "$OUT" "$needle" "unpack $b: the conflict named"
    assert_contains "$ERR" "nothing was unpacked" "unpack $b"
    assert_eq "$before" "$(snapshot dest)" "DIR after unpack $b"
    expect_exit_stdin 1 "$b" "$ARTBAG" unpack - -C dest
    assert_contains "$OUT" "$needle" "unpack - <$b: the conflict named"
    assert_eq "$before" "$(snapshot dest)" "DIR after unpack - <$b"
}

note "the generator's plain bag unpacks, so what follows is refused for its conflict alone"
mkbag plain.tar.gz b 'data/' 'data/a.md=alpha' 'data/sub/' 'data/sub/b.md=beta'
expect_exit 0 "$ARTBAG" unpack plain.tar.gz -C dest
assert_eq "alpha" "$(cat dest/b/data/a.md)" "plain bag restored"
rm -rf dest/b

note "a file where a directory is needed: data/x, then data/x/y (verify refuses it too: no file system holds both)"
mkbag file-then-under.tar.gz b 'data/x=one' 'data/x/y=two'
refused file-then-under.tar.gz 1 "'data/x' is a file in the bundle, not a directory"
expect_exit 1 "$ARTBAG" verify file-then-under.tar.gz
assert_contains "$OUT" "'data/x/y': 'data/x' is a file in the bundle, not a directory" "verify names it"
expect_exit_stdin 1 file-then-under.tar.gz "$ARTBAG" verify -
assert_contains "$OUT" "'data/x/y': 'data/x' is a file in the bundle, not a directory" "verify - names it"

mkbag file-then-under.zip b 'data/x=one' 'data/x/y=two'
refused file-then-under.zip 1 "'data/x' is a file in the bundle, not a directory"

note "the other order: data/x/y, then a file data/x"
mkbag under-then-file.tar.gz b 'data/x/y=two' 'data/x=one'
refused under-then-file.tar.gz 1 "a file entry, but 'data/x' is already a directory"

note "a directory entry where a file exists"
mkbag dir-over-file.tar.gz b 'data/x=one' 'data/x/'
refused dir-over-file.tar.gz 1 "a directory entry, but 'data/x' is already a file"

note "the same file twice: neither copy is chosen"
mkbag twice.tar.gz b 'data/a.md=alpha' 'data/a.md=evil'
refused twice.tar.gz 1 "'data/a.md' appears more than once"
mkbag twice.zip b 'data/a.md=alpha' 'data/a.md=evil'
expect_exit 1 "$ARTBAG" unpack twice.zip -C dest
# (verify's zip check refuses two central entries of one name before anything is extracted)
assert_contains "$OUT" "data/a.md'" "a zip with the same file twice"
assert_eq "" "$(listing dest)" "DIR after a zip with the same file twice"

note "names that differ only in case: verify warns, unpack refuses on every file system"
mkbag case.tar.gz b 'data/article.md=honest' 'data/Article.md=attacker'
refused case.tar.gz 0 "differs only in case from"
mkbag case.zip b 'data/article.md=honest' 'data/Article.md=attacker'
refused case.zip 0 "differs only in case from"
mkbag case-top.tar.gz b 'data/article.md=honest' 'Data/article.md=attacker'
refused case-top.tar.gz 0 "on a case-insensitive file system one would overwrite the other"
# (in a GNU header: a pax path in NFD is refused as ambiguous before unpack looks at it)
MKBAG_FORMAT=gnu mkbag case-nfc.tar.gz b "data/$(printf 'caf\xc3\xa9').md=nfc" "data/$(printf 'CAFE\xcc\x81').md=nfd-upper"
refused case-nfc.tar.gz 0 "differs only in case from"

# A destination that folds names (vfat, ext4 casefold, macOS) cannot be mounted here, so it is
# simulated with gdb: the name is put in the temporary tree just before the extractor makes it,
# and a stray file is put there just before the tree is checked.
if command -v gdb >/dev/null; then
    # under_gdb BREAK SHELL BUNDLE: runs unpack under gdb, running SHELL at the first BREAK.
    under_gdb() {
        # LeakSanitizer cannot run under ptrace: an ASan build checks leaks everywhere else.
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
            gdb -q -batch -ex 'set breakpoint pending on' -ex "break $1" -ex run \
                -ex "shell $2" -ex 'delete' -ex continue \
                --args "$ARTBAG" unpack "$3" -C dest >gdb.out 2>&1
        OUT=$(cat gdb.out)
    }
    before=$(snapshot dest)
    note "a folding destination: the name exists before the extractor creates it"
    under_gdb 'x_begin if $_streq(path, "data/a.md")' \
        "cd dest/.artbag-unpack-* && echo folded >data/a.md" plain.tar.gz
    assert_contains "$OUT" "already holds 'data/a.md' under another entry's name" "fold detected"
    assert_contains "$OUT" "nothing was unpacked" "fold refused"
    assert_eq "$before" "$(snapshot dest)" "DIR after a folded name"
    note "a folding destination: a directory exists before the extractor creates it"
    under_gdb x_begin "cd dest/.artbag-unpack-* && mkdir -p data" plain.tar.gz
    assert_contains "$OUT" "already holds 'data' under another entry's name" "fold of a directory"
    assert_eq "$before" "$(snapshot dest)" "DIR after a folded directory"
    note "the tree on disk is checked against what was extracted before it is published"
    under_gdb check_tree "cd dest/.artbag-unpack-* && echo stray >data/stray.md" plain.tar.gz
    assert_contains "$OUT" "'data/stray.md': on disk after extracting" "stray file found"
    assert_eq "$before" "$(snapshot dest)" "DIR after a stray file"
    under_gdb check_tree "cd dest/.artbag-unpack-* && echo longer >>data/a.md" plain.tar.gz
    assert_contains "$OUT" "bytes on disk, but 5 were extracted" "changed size found"
    under_gdb check_tree "rm dest/.artbag-unpack-*/data/sub/b.md" plain.tar.gz
    assert_contains "$OUT" "'data/sub/b.md': extracted, but not on disk afterwards" "loss found"
    assert_eq "$before" "$(snapshot dest)" "DIR after a lost file"
    note "a manifest after the files it lists: the second read must agree with what was restored"
    # md5 lists X and sha256 lists Y, so neither bundle verifies alone; only one that is X on
    # the first read and Y on the second (when the late sha256 manifest is known) passes both.
    "$PY" - <<'PY' || fail "could not build the two-read bundles"
import hashlib, io, tarfile
x, y = b"restored\n", b"checked\n"
bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
md5 = ("%s  data/a.md\n" % hashlib.md5(x).hexdigest()).encode()
sha = ("%s  data/a.md\n" % hashlib.sha256(y).hexdigest()).encode()
for out, content in (("first.tar.gz", x), ("second.tar.gz", y)):
    with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for name, data in (("bagit.txt", bagit), ("manifest-md5.txt", md5),
                           ("data/a.md", content), ("manifest-sha256.txt", sha)):
            ti = tarfile.TarInfo("late/" + name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
PY
    cp first.tar.gz late.tar.gz
    under_gdb artbag_bagcheck_rescan "cp second.tar.gz late.tar.gz" late.tar.gz
    assert_contains "$OUT" "the bundle changed while it was read" "a bundle changed between reads"
    assert_eq "$before" "$(snapshot dest)" "DIR after a bundle changed between reads"
    "$PY" - <<'PY' || fail "could not build the late-manifest bundle"
import hashlib, io, tarfile
x = b"restored\n"
bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
with tarfile.open("late-ok.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as tf:
    for name, data in (("bagit.txt", bagit),
                       ("manifest-md5.txt", ("%s  data/a.md\n" % hashlib.md5(x).hexdigest()).encode()),
                       ("data/a.md", x),
                       ("manifest-sha256.txt", ("%s  data/a.md\n" % hashlib.sha256(x).hexdigest()).encode())):
        ti = tarfile.TarInfo("late/" + name)
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
PY
    expect_exit 0 "$ARTBAG" unpack late-ok.tar.gz -C dest
    rm -rf dest/late
else
    note "no gdb: the simulated folding destination is not tested"
fi

note "--force replaces only a bag"
"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q || fail "pack failed"
mkdir dest/story && echo "mine" >dest/story/notes.txt
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C dest --force
assert_contains "$ERR" "'dest/story': already exists and is not a bag" "non-bag refused"
assert_eq "mine" "$(cat dest/story/notes.txt)" "the directory that is not a bag"
ln -s ../../story.tar.gz dest/story/bagit.txt
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C dest --force
assert_contains "$ERR" "is not a bag" "a bagit.txt that is a link is no bag"
rm dest/story/bagit.txt && echo "BagIt-Version: 1.0" >dest/story/bagit.txt
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C dest --force
[ -e dest/story/notes.txt ] && fail "--force did not replace the old bag"
rm -rf dest/story && echo "a file" >dest/story
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C dest --force
assert_eq "a file" "$(cat dest/story)" "a file under the bag's name"
rm dest/story

note "a bag whose name starts with '.' is refused, and an existing DIR/.ssh is untouched"
mkbag ssh.tar.gz .ssh 'data/authorized_keys=ssh-ed25519 AAAA attacker'
mkdir dest/.ssh && echo "ssh-ed25519 BBBB me" >dest/.ssh/authorized_keys
before=$(snapshot dest)
expect_exit 0 "$ARTBAG" verify ssh.tar.gz
for force in "" --force; do
    expect_exit 1 "$ARTBAG" unpack ssh.tar.gz -C dest $force
    assert_contains "$OUT" "bag name '.ssh' would be hidden; refusing" "hidden name $force"
    assert_eq "$before" "$(snapshot dest)" "DIR after a bag named .ssh $force"
done
rm -rf dest/.ssh

note "--trust and --require-signature, as verify's"
mkdir keys
expect_exit 0 "$ARTBAG" keygen -o keys/alice --no-passphrase
expect_exit 0 "$ARTBAG" keygen -o bob --no-passphrase
"$ARTBAG" pack "$ARTBAG_SEED" -o signed.tar.gz --mtime 1419206400 -q --sign keys/alice.key ||
    fail "pack --sign"
before=$(snapshot dest)
expect_exit 0 "$ARTBAG" unpack signed.tar.gz -C dest --trust keys/alice.pub --require-signature
[ -f dest/signed/tagmanifest-sha256.txt.minisig ] || [ -n "$(find dest/signed -name '*.minisig')" ] ||
    fail "the signature was not restored"
rm -rf dest/signed
expect_exit 0 "$ARTBAG" unpack signed.tar.gz -C dest --trust keys
rm -rf dest/signed
expect_exit_stdin 0 signed.tar.gz "$ARTBAG" unpack - -C dest --trust keys/alice.pub
rm -rf dest/signed
expect_exit 1 "$ARTBAG" unpack signed.tar.gz -C dest --trust bob.pub
assert_contains "$OUT" "no signature is by a trusted key" "another key"
assert_eq "$before" "$(snapshot dest)" "DIR after a bundle by another key"
expect_exit 1 "$ARTBAG" unpack story.tar.gz -C dest --require-signature
assert_contains "$OUT" "not signed" "unsigned, --require-signature"
assert_eq "$before" "$(snapshot dest)" "DIR after an unsigned bundle"
expect_exit 1 "$ARTBAG" unpack story.tar.gz -C dest --trust keys/alice.pub
assert_eq "$before" "$(snapshot dest)" "DIR after an unsigned bundle with --trust"
note "tampered after signing: the payload changed and every manifest rehashed to match"
mkdir t && tar -xzf signed.tar.gz -C t || fail "tar"
"$PY" - t/signed <<'PY' || fail "could not tamper"
import hashlib, os, sys
bag = sys.argv[1]
p = os.path.join(bag, "data/article.md")
data = open(p, "rb").read().replace(b"China", b"Chine", 1)
open(p, "wb").write(data)
import json
mp = os.path.join(bag, "data/metadata.json")
meta = json.load(open(mp, encoding="utf-8"))
meta["article"]["sha256"] = hashlib.sha256(data).hexdigest()
open(mp, "w", encoding="utf-8").write(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
def rehash(name):
    lines = []
    for line in open(os.path.join(bag, name), encoding="utf-8"):
        digest, path = line.rstrip("\n").split("  ", 1)
        lines.append("%s  %s\n" % (hashlib.sha256(open(os.path.join(bag, path), "rb").read()).hexdigest(), path))
    open(os.path.join(bag, name), "w", encoding="utf-8").writelines(lines)
rehash("manifest-sha256.txt")
rehash("tagmanifest-sha256.txt")
PY
tar -C t -czf tampered.tar.gz signed || fail "tar"
expect_exit 1 "$ARTBAG" unpack tampered.tar.gz -C dest --trust keys/alice.pub
assert_contains "$OUT" "signature does not match" "the broken signature named"
assert_eq "" "$(grep 'problem:' "$T/stdout" | grep -v -e 'signature does not match' -e 'trusted key')" \
    "the signature is the only problem"
assert_eq "$before" "$(snapshot dest)" "DIR after a tampered bundle"
expect_exit 3 "$ARTBAG" unpack signed.tar.gz -C dest --trust no-such.pub
assert_eq "$before" "$(snapshot dest)" "DIR after a missing trust file"
