#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""Writes BagIt bags (RFC 8493) laid out the way other BagIt tools write them, for the verify
end-to-end tests; it shares no code with artbag, so the two can disagree.

  bagmaker.py valid OUT          every valid bag as OUT/NAME/, plus OUT/NAME.order: the bag's
                                 members (relative to OUT, directories before their content,
                                 NUL-separated) in the archive order that bag is meant to have;
                                 prints the names, one a line
  bagmaker.py base OUT NAME      one plain bag OUT/NAME/ (md5 + sha256, tag manifests too) to
                                 mutate, plus its .order
  bagmaker.py rehash BAG [--oxum]
                                 after a mutation: recomputes the digest on every line of every
                                 manifest from the files as they are now (paths kept; lines for
                                 absent files left alone), tag manifests last; --oxum also
                                 rewrites Payload-Oxum. Only for UTF-8, LF bags such as 'base'.
  bagmaker.py add BAG DISKPATH LISTEDPATH TEXT
                                 writes TEXT to BAG/DISKPATH, lists it as LISTEDPATH (which may
                                 be spelled differently) in every payload manifest, then rehashes
                                 with --oxum. Only for UTF-8, LF bags such as 'base'.
  bagmaker.py hostile BAG OUT.tar KIND
                                 a tar of BAG with one hostile member (python tarfile): abs,
                                 dotdot, symlink, hardlink, fifo, chardev, blockdev, dup, twotop
  bagmaker.py manifest-gnu BAG MANIFEST
                                 prints MANIFEST (decoded with bagit.txt's encoding, paths
                                 percent-decoded) as GNU coreutils '*sum -c' reads it; lines whose
                                 path holds a newline, CR or backslash are left out, because
                                 coreutils escapes those differently
"""
import hashlib
import io
import os
import sys
import tarfile

ALGS = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]


def enc_path(p):
    """RFC 8493 2.1.3: only CR, LF and % are percent-encoded in manifest paths."""
    return p.replace("%", "%25").replace("\n", "%0A").replace("\r", "%0D")


def dec_path(p):
    out, i = [], 0
    while i < len(p):
        t = p[i:i + 3]
        if t == "%25":
            out.append("%")
        elif t.upper() == "%0A":
            out.append("\n")
        elif t.upper() == "%0D":
            out.append("\r")
        else:
            out.append(p[i])
            i += 1
            continue
        i += 3
    return "".join(out)


def digest(alg, data):
    return hashlib.new(alg, data).hexdigest()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def text(lines, enc="utf-8", eol="\n"):
    return "".join(line + eol for line in lines).encode(enc)


class Bag:
    """A bag being made: payload files, tag files and the options that shape them."""

    def __init__(self, name, algs=("sha256",), tagalgs=None, enc="UTF-8", eol="\n",
                 version="1.0"):
        self.name = name
        self.algs = list(algs)
        self.tagalgs = list(algs if tagalgs is None else tagalgs)
        self.enc = enc
        self.pyenc = {"UTF-8": "utf-8", "ISO-8859-1": "latin-1", "UTF-16": "utf-16"}[enc]
        self.eol = eol
        self.version = version
        self.payload = {}  # path under data/ -> bytes
        self.dirs = []  # extra (empty) directories, relative to the bag
        self.info = []  # bag-info lines, before Payload-Oxum
        self.tagfiles = {}  # other tag files: relative path -> bytes
        self.fetch = []  # fetch.txt lines
        self.order = None  # callable(members) -> members, or None for tag files first

    def add(self, path, data):
        self.payload["data/" + path] = data

    def write(self, out):
        root = os.path.join(out, self.name)
        files = {}
        for p, d in self.payload.items():
            files[p] = d
        os.makedirs(os.path.join(root, "data"), exist_ok=True)
        for d in self.dirs:
            os.makedirs(os.path.join(root, d), exist_ok=True)
        files["bagit.txt"] = text(["BagIt-Version: " + self.version,
                                   "Tag-File-Character-Encoding: " + self.enc], "utf-8", self.eol)
        octets = sum(len(d) for d in self.payload.values())
        info = self.info + ["Payload-Oxum: %d.%d" % (octets, len(self.payload))]
        files["bag-info.txt"] = text(info, self.pyenc, self.eol)
        if self.fetch:
            files["fetch.txt"] = text(self.fetch, self.pyenc, self.eol)
        for p, d in self.tagfiles.items():
            files[p] = d
        for alg in self.algs:
            lines = ["%s  %s" % (digest(alg, d), enc_path(p))
                     for p, d in sorted(self.payload.items())]
            files["manifest-%s.txt" % alg] = text(lines, self.pyenc, self.eol)
        tags = sorted(p for p in files if not p.startswith("data/"))
        for alg in self.tagalgs:
            lines = ["%s  %s" % (digest(alg, files[p]), enc_path(p)) for p in tags]
            files["tagmanifest-%s.txt" % alg] = text(lines, self.pyenc, self.eol)
        for p, d in files.items():
            write(os.path.join(root, p), d)
        members = members_of(root)
        if self.order:
            members = self.order(members)
        with open(os.path.join(out, self.name + ".order"), "wb") as f:
            for m in members:
                f.write(os.fsencode(os.path.join(self.name, m)) + b"\0")


def members_of(root):
    """Tag files first (top level, then tag directories), then data/: artbag's own order."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        if rel != ".":
            out.append(rel + "/")
        for f in sorted(filenames):
            out.append(f if rel == "." else os.path.join(rel, f))

    def key(m):
        top = m.split("/")[0]
        return (2 if top == "data" else 1 if "/" in m else 0, m)
    return [""] + sorted(out, key=key)


def manifests_last(members):
    """Payload, then the manifests: every digest must come from a second pass."""
    def key(m):
        base = m.split("/")[-1]
        if m.startswith("data"):
            return 1
        if base.startswith("manifest-") or base.startswith("tagmanifest-"):
            return 2
        return 0
    return sorted(members, key=key)


def payload_first(members):
    def key(m):
        return 0 if m == "" else 1 if m.startswith("data") else 2
    return sorted(members, key=key)


def sample_payload(b):
    b.add("hello.txt", b"Hello, BagIt.\n")
    b.add("sub/dir/numbers.csv", b"".join(b"%d,%d\n" % (i, i * i) for i in range(400)))
    b.add("binary.bin", bytes(range(256)) * 37)
    b.add("empty.txt", b"")


def valid_bags():
    bags = []

    def new(name, **kw):
        b = Bag(name, **kw)
        b.info = ["Source-Organization: Example Archive", "Bagging-Date: 2026-01-15",
                  "Bag-Software-Agent: bagmaker.py"]
        bags.append(b)
        return b

    sample_payload(new("sha512-only", algs=["sha512"]))
    sample_payload(new("md5-only", algs=["md5"]))
    sample_payload(new("several", algs=["md5", "sha1", "sha256", "sha512"]))
    sample_payload(new("sha224-sha384", algs=["sha224", "sha384"], tagalgs=["sha384"]))
    sample_payload(new("crlf", algs=["sha256", "md5"], eol="\r\n"))
    sample_payload(new("cr-only", algs=["sha1"], eol="\r"))
    b = new("latin1", algs=["sha256"], enc="ISO-8859-1")
    b.info.append("Contact-Name: José Müller")
    b.info.append("External-Description: Café crème, naïve façade")
    b.add("café.txt", "crème brûlée\n".encode("utf-8"))
    sample_payload(b)
    b = new("utf16", algs=["sha256", "md5"], enc="UTF-16")
    b.info.append("Contact-Name: Zoë Ωmega")
    b.add("naïve.txt", b"utf-16 tag files\n")
    sample_payload(b)
    b = new("continuation", algs=["sha256"])
    b.info += ["External-Description: A long description that a BagIt tool folded",
               "  onto a second line with spaces,",
               "\tand a third with a tab.",
               "Internal-Sender-Description: one",
               "   two"]
    sample_payload(b)
    b = new("fetch-present", algs=["sha256"])
    sample_payload(b)
    b.fetch = ["https://example.org/files/hello.txt 14 data/hello.txt",
               "https://example.org/files/binary.bin - data/binary.bin"]
    b = new("percent", algs=["sha256", "sha512"])
    b.add("100%.txt", b"percent\n")
    b.add("a%41b.txt", b"not %41, a literal percent sign then 41\n")
    b.add("%0A.txt", b"literal %0A in the name\n")
    b.add("line\nbreak.txt", b"newline in the name\n")
    b.add("carriage\rreturn.txt", b"CR in the name\n")
    b.add("with space.txt", b"space\n")
    b.add("trailing space .txt", b"trailing space before the dot\n")
    b = new("non-ascii", algs=["sha256"])
    b.add("café.txt", b"NFC e-acute\n")
    b.add("中文/文件.txt", "中文内容\n".encode("utf-8"))
    b.add("Ελληνικά.md", b"greek\n")
    b.add("emoji-\U0001F600.txt", b"smile\n")
    b = new("nested", algs=["sha256"])
    b.add("outer.txt", b"outer payload\n")
    inner = {"bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
             "bag-info.txt": b"Payload-Oxum: 6.1\n",
             "data/x.txt": b"inner\n"}
    inner["manifest-sha256.txt"] = ("%s  data/x.txt\n" % digest("sha256", b"inner\n")).encode()
    inner["tagmanifest-sha256.txt"] = "".join(
        "%s  %s\n" % (digest("sha256", inner[p]), p)
        for p in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")).encode()
    for p, d in inner.items():
        b.add("inner-bag/" + p, d)
    b = new("tag-dirs", algs=["sha256"])
    sample_payload(b)
    b.tagfiles["meta/extra.txt"] = b"an extra tag file in a tag directory\n"
    b.tagfiles["meta/deeper/notes.txt"] = b"notes\n"
    b.tagfiles["README.txt"] = b"a tag file at the top\n"
    b = new("bagit-0.97", algs=["md5", "sha256"], version="0.97")
    sample_payload(b)
    b = new("empty-payload", algs=["sha256"])
    b = new("empty-dir", algs=["sha256"])
    sample_payload(b)
    b.dirs = ["data/empty", "data/sub/also-empty"]
    b = new("manifests-last", algs=["md5", "sha512"], tagalgs=["sha256"])
    sample_payload(b)
    b.add("big.bin", bytes((i * 7 + 3) % 251 for i in range(300000)))
    b.order = manifests_last
    b = new("payload-first", algs=["sha1", "sha256"])
    sample_payload(b)
    b.order = payload_first
    return bags


def base_bag(name):
    b = Bag(name, algs=["md5", "sha256"], tagalgs=["sha256", "md5"])
    b.info = ["Source-Organization: Example Archive", "Bagging-Date: 2026-01-15"]
    sample_payload(b)
    b.add("notes/readme.md", b"# Notes\n\nSome notes.\n")
    return b


def rehash(bag, oxum):
    tagdata = lambda p: open(os.path.join(bag, p), "rb").read()
    if oxum:
        files = []
        for dirpath, _, names in os.walk(os.path.join(bag, "data")):
            files += [os.path.join(dirpath, n) for n in names]
        value = "%d.%d" % (sum(os.path.getsize(f) for f in files), len(files))
        lines = tagdata("bag-info.txt").decode().split("\n")
        lines = ["Payload-Oxum: " + value if line.startswith("Payload-Oxum:") else line
                 for line in lines]
        write(os.path.join(bag, "bag-info.txt"), "\n".join(lines).encode())
    names = sorted(os.listdir(bag), key=lambda n: n.startswith("tagmanifest-"))
    for name in names:
        for prefix in ("manifest-", "tagmanifest-"):
            if name.startswith(prefix) and name.endswith(".txt"):
                alg = name[len(prefix):-4]
                out = []
                for line in tagdata(name).decode().split("\n"):
                    if not line:
                        continue
                    d, p = line.split(None, 1)
                    f = os.path.join(bag, dec_path(p))
                    if os.path.isfile(f):
                        d = digest(alg, open(f, "rb").read())
                    out.append("%s  %s\n" % (d, p))
                write(os.path.join(bag, name), "".join(out).encode())


def add(bag, diskpath, listed, data):
    write(os.path.join(bag, diskpath), data)
    for name in os.listdir(bag):
        if name.startswith("manifest-") and name.endswith(".txt"):
            with open(os.path.join(bag, name), "ab") as f:
                f.write(("%s  %s\n" % (digest(name[9:-4], data), enc_path(listed))).encode())
    rehash(bag, True)


def hostile(bag, out, kind):
    name = os.path.basename(os.path.normpath(bag))
    extra = []

    def member(arcname, type_=tarfile.REGTYPE, data=b"", **kw):
        ti = tarfile.TarInfo(arcname)
        ti.type = type_
        ti.size = len(data) if type_ == tarfile.REGTYPE else 0
        ti.mode = 0o755 if type_ == tarfile.DIRTYPE else 0o644
        ti.mtime = 1767225600
        for k, v in kw.items():
            setattr(ti, k, v)
        extra.append((ti, data if type_ == tarfile.REGTYPE else None))

    if kind == "abs":
        member("/tmp/artbag-e2e-abs.txt", data=b"absolute\n")
    elif kind == "dotdot":
        member(name + "/data/../../escaped.txt", data=b"escape\n")
    elif kind == "symlink":
        member(name + "/data/link", tarfile.SYMTYPE, linkname="/etc/passwd")
    elif kind == "hardlink":
        member(name + "/data/hard", tarfile.LNKTYPE, linkname=name + "/data/hello.txt")
    elif kind == "fifo":
        member(name + "/data/fifo", tarfile.FIFOTYPE)
    elif kind == "chardev":
        member(name + "/data/null", tarfile.CHRTYPE, devmajor=1, devminor=3)
    elif kind == "blockdev":
        member(name + "/data/sda", tarfile.BLKTYPE, devmajor=8, devminor=0)
    elif kind == "dup":
        member(name + "/data/hello.txt", data=b"Hello, tampered\n")
    elif kind == "twotop":
        member("second-bag/", tarfile.DIRTYPE)
        member("second-bag/x.txt", data=b"x\n")
    else:
        sys.exit("bagmaker: unknown hostile kind '%s'" % kind)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for dirpath, dirnames, filenames in os.walk(bag):
            dirnames.sort()
            rel = os.path.relpath(dirpath, os.path.dirname(os.path.normpath(bag)))
            t.add(dirpath, rel, recursive=False)
            for f in sorted(filenames):
                t.add(os.path.join(dirpath, f), os.path.join(rel, f), recursive=False)
        for ti, data in extra:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)


def manifest_gnu(bag, manifest):
    enc = "utf-8"
    for line in open(os.path.join(bag, "bagit.txt"), "rb").read().decode().splitlines():
        if line.startswith("Tag-File-Character-Encoding:"):
            enc = {"ISO-8859-1": "latin-1", "UTF-16": "utf-16"}.get(line.split(": ", 1)[1],
                                                                      "utf-8")
    data = open(os.path.join(bag, manifest), "rb").read().decode(enc).lstrip("\ufeff")
    out = sys.stdout.buffer
    for line in data.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line:
            continue
        d, p = line.split(None, 1)
        p = dec_path(p)
        if "\n" in p or "\r" in p or "\\" in p:
            continue
        out.write(("%s  %s\n" % (d, p)).encode("utf-8"))


def main(argv):
    if len(argv) >= 3 and argv[1] == "valid":
        for b in valid_bags():
            b.write(argv[2])
            print(b.name)
    elif len(argv) == 4 and argv[1] == "base":
        base_bag(argv[3]).write(argv[2])
    elif len(argv) in (3, 4) and argv[1] == "rehash":
        rehash(argv[2], argv[3:] == ["--oxum"])
    elif len(argv) == 6 and argv[1] == "add":
        add(argv[2], argv[3], argv[4], argv[5].encode())
    elif len(argv) == 5 and argv[1] == "hostile":
        hostile(argv[2], argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "manifest-gnu":
        manifest_gnu(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
