#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
# artbag unpack restores only what verifies: a valid bundle lands at DIR/<bag>, identical to
# what GNU tar extracts; every invalid or hostile bundle leaves DIR exactly as it was and
# writes nothing outside it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

# State of a directory tree, hidden files included, for before/after comparisons.
snapshot() { (cd "$1" && find . -printf '%p %y %s\n' | LC_ALL=C sort); }

"$ARTBAG" pack "$ARTBAG_SEED" -o story.tar.gz --mtime 1419206400 -q || fail "pack failed"

note "a valid bundle is restored, identical to GNU tar's extraction"
mkdir dest ref
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C dest
assert_contains "$OUT" "unpacked 'story.tar.gz' into 'dest/story'" "unpack summary"
tar -xzf story.tar.gz -C ref || fail "GNU tar could not extract"
diff -r ref/story dest/story || fail "unpacked tree differs from GNU tar's"
assert_eq "$(stat -c %Y dest/story/data/article.md)" 1419206400 "restored mtime"
assert_eq "$(listing dest)" "story " "nothing but the bag in DIR"
(cd dest/story && sha256sum --strict -c manifest-sha256.txt >/dev/null) ||
    fail "sha256sum -c rejects the unpacked bag"

note "an existing bag is kept without --force and replaced with it"
echo "local note" >dest/story/extra.txt
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C dest
assert_contains "$ERR" "already exists; pass --force" "refusal message"
[ -f dest/story/extra.txt ] || fail "existing bag was touched without --force"
expect_exit 0 "$ARTBAG" unpack story.tar.gz -C dest --force
[ -f dest/story/extra.txt ] && fail "--force did not replace the old bag"
assert_eq "$(listing dest)" "story " "no leftovers after --force"

note "standard input"
rm -rf dest/story
expect_exit_stdin 0 story.tar.gz "$ARTBAG" unpack - -C dest
diff -r ref/story dest/story || fail "stdin unpack differs"

note "usage and I/O errors"
expect_exit 2 "$ARTBAG" unpack -C dest
expect_exit 2 "$ARTBAG" unpack ref/story -C dest
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C no-such-dir
expect_exit 3 "$ARTBAG" unpack no-such.tar.gz -C dest

# Invalid and hostile bundles, built with Python's tarfile from the valid bag.
mkdir hostile outside
"$PY" - "$T/ref/story" "$T/hostile" "$T/outside" <<'PY' || fail "could not build hostile bundles"
import io, os, sys, tarfile
src, out, outside = sys.argv[1:4]

def base(tf, prefix="story"):
    for root, dirs, files in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(root, src)
        name = prefix if rel == "." else prefix + "/" + rel
        tf.add(root, arcname=name, recursive=False)
        for f in sorted(files):
            tf.add(os.path.join(root, f), arcname=name + "/" + f)

def blob(tf, name, data, **kw):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    for k, v in kw.items():
        setattr(ti, k, v)
    tf.addfile(ti, io.BytesIO(data))

def special(tf, name, kind, target=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.linkname = target
    tf.addfile(ti)

cases = {
    "traversal": lambda tf: blob(tf, "story/../escaped.txt", b"x"),
    "deep-traversal": lambda tf: blob(tf, "story/data/../../../escaped.txt", b"x"),
    "absolute": lambda tf: blob(tf, outside + "/absolute.txt", b"x"),
    "symlink": lambda tf: special(tf, "story/data/link", tarfile.SYMTYPE, outside),
    "symlink-then-write": lambda tf: (special(tf, "story/data/dir", tarfile.SYMTYPE, outside),
                                      blob(tf, "story/data/dir/through.txt", b"x")),
    "hardlink": lambda tf: special(tf, "story/data/hard", tarfile.LNKTYPE, "story/bagit.txt"),
    "fifo": lambda tf: special(tf, "story/data/fifo", tarfile.FIFOTYPE),
    "chardev": lambda tf: special(tf, "story/data/null", tarfile.CHRTYPE),
    "duplicate": lambda tf: blob(tf, "story/data/article.md", b"other content\n"),
    "second-top-dir": lambda tf: blob(tf, "other/file.txt", b"x"),
    "changed-byte": None,
}
for name, extra in cases.items():
    with tarfile.open(os.path.join(out, name + ".tar.gz"), "w:gz", format=tarfile.PAX_FORMAT) as tf:
        if extra is None:
            data = open(os.path.join(src, "data/article.md"), "rb").read().replace(b"China", b"Chine", 1)
            for root, dirs, files in os.walk(src):
                dirs.sort()
                rel = os.path.relpath(root, src)
                n = "story" if rel == "." else "story/" + rel
                tf.add(root, arcname=n, recursive=False)
                for f in sorted(files):
                    p = os.path.join(root, f)
                    if n + "/" + f == "story/data/article.md":
                        blob(tf, n + "/" + f, data)
                    else:
                        tf.add(p, arcname=n + "/" + f)
        else:
            base(tf)
            extra(tf)
PY

rm -rf dest && mkdir dest
before=$(snapshot dest)
outside_before=$(snapshot outside)
for b in hostile/*.tar.gz; do
    note "refused: $(basename "$b")"
    expect_exit 1 "$ARTBAG" unpack "$b" -C dest
    assert_contains "$ERR" "nothing was unpacked" "refusal of $b"
    assert_eq "$before" "$(snapshot dest)" "DIR after $b"
    assert_eq "$outside_before" "$(snapshot outside)" "outside DIR after $b"
    [ -e "$T/escaped.txt" ] && fail "$b wrote outside DIR"
done

note "--max-bytes stops a bundle larger than allowed, leaving nothing"
expect_exit 3 "$ARTBAG" unpack story.tar.gz -C dest --max-bytes 1K
assert_contains "$ERR" "could not check within the limits (raise with --max-bytes)" "limit named"
assert_eq "$before" "$(snapshot dest)" "DIR after --max-bytes"

note "a full filesystem fails cleanly with exit 3"
if [ "$(id -u)" -eq 0 ] && mkdir small && mount -t tmpfs -o size=8k tmpfs small 2>/dev/null; then
    on_exit "umount '$T/small'"
    head -c 20000 /dev/urandom >big.md
    printf '# Big\n\nCitation: Big (2020, May 1) retrieved 2 May 2020 from https://example.org/big\n' >>big.md
    "$ARTBAG" pack big.md -o big.tar.gz -q --url https://example.org/big 2>/dev/null ||
        { printf '# Big\n\n' >big.md; head -c 30000 /dev/zero | tr '\0' 'a' >>big.md;
          "$ARTBAG" pack big.md -o big.tar.gz -q --url https://example.org/big || fail "pack big"; }
    expect_exit 3 "$ARTBAG" unpack big.tar.gz -C small
    assert_eq "" "$(listing small)" "full filesystem left files behind"
else
    note "cannot mount a tmpfs here: full-filesystem case not run"
fi
