#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""make.py CASE BAGDIR OUTSIDE OUT: writes the hostile bundle CASE to OUT (a .tar.gz).

BAGDIR is a valid bag named "story" (what artbag packs); OUTSIDE is a directory the bundle
tries to reach. Each case keeps the rest of the bag valid and, where a careless reader could be
fooled, forges the manifests to match, so the hostile entry is what must be caught. Big cases
are made by streaming: nothing near their unpacked size is ever held or stored.
"""
import hashlib
import io
import os
import sys
import tarfile
import zlib

case, bagdir, outside, out = sys.argv[1:5]
TOP = "story"
GZ_LEVEL = 6


def read(rel):
    with open(os.path.join(bagdir, rel), "rb") as f:
        return f.read()


def sha(b):
    return hashlib.sha256(b).hexdigest()


class Bag:
    """The valid bag's files, in artbag's order, with manifests rebuilt on write."""

    def __init__(self):
        self.payload = {"data/article.md": read("data/article.md"),
                        "data/metadata.json": read("data/metadata.json")}
        self.listed = dict((p, sha(b)) for p, b in self.payload.items())
        self.baginfo = read("bag-info.txt")
        self.oxum = None  # (bytes, files) to forge Payload-Oxum
        self.alg = "sha256"  # of the payload manifest (listed digests must match)

    def tag_files(self):
        info = self.baginfo
        if self.oxum:
            lines = [l for l in info.split(b"\n") if not l.startswith(b"Payload-Oxum:")]
            lines.insert(0, b"Payload-Oxum: %d.%d" % self.oxum)
            info = b"\n".join(lines)
        manifest = b"".join(b"%s  %s\n" % (d.encode(), enc(p)) for p, d in self.listed.items())
        bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
        tags = [("bag-info.txt", info), ("bagit.txt", bagit), ("manifest-%s.txt" % self.alg, manifest)]
        tagm = b"".join(b"%s  %s\n" % (sha(b).encode(), n.encode()) for n, b in tags)
        return tags + [("tagmanifest-sha256.txt", tagm)]


def enc(p):
    if isinstance(p, str):
        p = p.encode("utf-8", "surrogateescape")
    return p.replace(b"%", b"%25").replace(b"\n", b"%0A").replace(b"\r", b"%0D")


def ti(name, size=0, kind=tarfile.REGTYPE, link="", mode=None):
    t = tarfile.TarInfo(name)
    t.size = size
    t.type = kind
    t.linkname = link
    t.mode = mode if mode is not None else (0o755 if kind == tarfile.DIRTYPE else 0o644)
    t.mtime = 1419206400
    return t


def write_bag(bag, extra_before_data=(), extra_after=(), fmt=tarfile.PAX_FORMAT):
    """The bag as artbag lays it out, plus extra (TarInfo, bytes-or-None) entries."""
    with tarfile.open(out, "w:gz", format=fmt, compresslevel=GZ_LEVEL,
                      encoding="utf-8", errors="surrogateescape") as tf:
        tf.addfile(ti(TOP, kind=tarfile.DIRTYPE))
        for n, b in bag.tag_files():
            tf.addfile(ti(TOP + "/" + n, len(b)), io.BytesIO(b))
        for t, b in extra_before_data:
            tf.addfile(t, io.BytesIO(b) if b is not None else None)
        tf.addfile(ti(TOP + "/data", kind=tarfile.DIRTYPE))
        for p, b in bag.payload.items():
            tf.addfile(ti(TOP + "/" + p, len(b)), io.BytesIO(b))
        for t, b in extra_after:
            tf.addfile(t, io.BytesIO(b) if b is not None else None)


def f(name, data):
    return (ti(name, len(data)), data)


def special(name, kind, link=""):
    return (ti(name, kind=kind, link=link), None)


bag = Bag()
x = b"pwned\n"
secret = os.path.join(outside, "secret")

if case == "dotdot":
    write_bag(bag, extra_after=[f(TOP + "/../escaped.txt", x)])
elif case == "deep-dotdot":
    write_bag(bag, extra_after=[f(TOP + "/data/../../../escaped.txt", x)])
elif case == "bag-dotdot-dotdot":
    write_bag(bag, extra_after=[f(TOP + "/../../x", x)])
elif case == "leading-dotdot":
    write_bag(bag, extra_after=[f("../" + TOP + "/data/x.txt", x)])
elif case == "absolute":
    write_bag(bag, extra_after=[f(os.path.join(outside, "absolute.txt"), x)])
elif case == "absolute-listed":
    # An absolute name that strips to a listed, valid-looking payload file.
    bag.payload["data/abs.txt"] = x
    bag.listed["data/abs.txt"] = sha(x)
    del bag.payload["data/abs.txt"]
    write_bag(bag, extra_after=[f("/" + TOP + "/data/abs.txt", x)])
elif case == "symlink":
    write_bag(bag, extra_after=[special(TOP + "/data/link", tarfile.SYMTYPE, outside)])
elif case == "symlink-relative":
    write_bag(bag, extra_after=[special(TOP + "/data/link", tarfile.SYMTYPE, "../../../outside/secret")])
elif case == "symlink-then-write":
    # data/dir -> OUTSIDE, then data/dir/through.txt written through it, listed with its real
    # digest so that the only thing wrong is the link.
    bag.listed["data/dir/through.txt"] = sha(x)
    write_bag(bag, extra_after=[special(TOP + "/data/dir", tarfile.SYMTYPE, outside),
                                f(TOP + "/data/dir/through.txt", x)])
elif case == "symlink-top":
    # The bag's own directory is a link to OUTSIDE, and every file goes through it.
    with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        tf.addfile(ti(TOP, kind=tarfile.SYMTYPE, link=outside))
        for n, b in bag.tag_files():
            tf.addfile(ti(TOP + "/" + n, len(b)), io.BytesIO(b))
        for p, b in bag.payload.items():
            tf.addfile(ti(TOP + "/" + p, len(b)), io.BytesIO(b))
elif case == "hardlink":
    bag.listed["data/hard"] = sha(read("bagit.txt"))
    write_bag(bag, extra_after=[special(TOP + "/data/hard", tarfile.LNKTYPE, TOP + "/bagit.txt")])
elif case == "hardlink-outside-then-write":
    # A hard link to a file outside, then a regular file of the same name: a reader that opens
    # the existing name for writing would overwrite the outside file.
    bag.listed["data/h"] = sha(x)
    write_bag(bag, extra_after=[special(TOP + "/data/h", tarfile.LNKTYPE, secret),
                                f(TOP + "/data/h", x)])
elif case == "fifo":
    write_bag(bag, extra_after=[special(TOP + "/data/fifo", tarfile.FIFOTYPE)])
elif case == "chardev":
    t = ti(TOP + "/data/null", kind=tarfile.CHRTYPE)
    t.devmajor, t.devminor = 1, 3
    write_bag(bag, extra_after=[(t, None)])
elif case == "blockdev":
    t = ti(TOP + "/data/disk", kind=tarfile.BLKTYPE)
    t.devmajor, t.devminor = 7, 0
    write_bag(bag, extra_after=[(t, None)])
elif case == "duplicate":
    # The same name twice with different content; the manifest matches the first copy, which a
    # reader keeping the last would then overwrite.
    write_bag(bag, extra_after=[f(TOP + "/data/article.md", b"other content\n")])
elif case == "duplicate-tag":
    # bagit.txt twice: a second declaration after the first was accepted.
    write_bag(bag, extra_after=[f(TOP + "/bagit.txt", b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n")])
elif case == "bomb":
    # 10^10 zero bytes, forged digest, compressed to ~10 MB: tar header + tag files in one gzip
    # member, then 40 identical members of 250,000,000 zeros each (a gzip stream may hold many
    # members), then the tar padding and end. Made in seconds, stored in megabytes.
    total, chunk = 10 ** 10, 250_000_000
    bag.listed = {"data/zeros.bin": "0" * 64}
    bag.oxum = (total, 1)
    bag.payload = {}
    head = io.BytesIO()
    with tarfile.open(fileobj=head, mode="w", format=tarfile.PAX_FORMAT) as tf:
        tf.addfile(ti(TOP, kind=tarfile.DIRTYPE))
        for n, b in bag.tag_files():
            tf.addfile(ti(TOP + "/" + n, len(b)), io.BytesIO(b))
        tf.addfile(ti(TOP + "/data", kind=tarfile.DIRTYPE))
        buf = tf.fileobj  # write the zeros.bin header only; its data follows in other members
        t = ti(TOP + "/data/zeros.bin", total)
        # As libarchive (artbag's writer) writes a size past 8 GiB: a pax size and
        # the same size in all 12 octal digits of the header. Python leaves the header's 0,
        # which readers without pax size (busybox) take at its word, so verify refuses that.
        hdr = bytearray(t.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape"))
        last = len(hdr) - 512
        hdr[last + 124:last + 136] = b"%012o" % total
        hdr[last + 148:last + 156] = b" " * 8
        hdr[last + 148:last + 156] = b"%06o\0 " % sum(hdr[last:])
        buf.write(bytes(hdr))
        tf.offset = buf.tell()
        tf.closed = True  # no end-of-archive blocks here
    def member(data, level=GZ_LEVEL):
        c = zlib.compressobj(level, zlib.DEFLATED, 31)
        return c.compress(data) + c.flush()
    zeros = member(bytes(chunk), 9)
    with open(out, "wb") as o:
        o.write(member(head.getvalue()))
        for _ in range(total // chunk):
            o.write(zeros)
        o.write(member(bytes(1024)))  # total is a multiple of 512: no padding, then the end
elif case == "many-entries":
    # 1,000,000 empty files in 1000 directories, all listed with their (correct) digest, and a
    # forged Payload-Oxum. md5 keeps the manifest (49 MB) under verify's 64 MiB tag-file limit.
    # Tar headers are written by hand from a template: tarfile would take minutes.
    n_dirs, per = 1000, 1000
    empty = hashlib.md5(b"").hexdigest()
    bag.alg = "md5"
    bag.payload = {}
    names = ["data/d%03d/f%03d" % (d, i) for d in range(n_dirs) for i in range(per)]
    bag.listed = dict((p, empty) for p in names)
    bag.oxum = (0, 999_999)
    tmpl = bytearray(ti("x").tobuf(tarfile.USTAR_FORMAT))
    def header(name, kind):
        h = bytearray(tmpl)
        h[0:100] = name.encode().ljust(100, b"\0")
        h[156:157] = kind
        if kind == b"5":
            h[100:108] = b"0000755\0"
        h[148:156] = b"        "
        h[148:156] = b"%06o\0 " % sum(h)
        return bytes(h)
    c = zlib.compressobj(1, zlib.DEFLATED, 31)
    with open(out, "wb") as o:
        head = io.BytesIO()
        with tarfile.open(fileobj=head, mode="w", format=tarfile.PAX_FORMAT) as tf:
            tf.addfile(ti(TOP, kind=tarfile.DIRTYPE))
            for n, b in bag.tag_files():
                tf.addfile(ti(TOP + "/" + n, len(b)), io.BytesIO(b))
            tf.addfile(ti(TOP + "/data", kind=tarfile.DIRTYPE))
            tf.closed = True
        o.write(c.compress(head.getvalue()))
        for d in range(n_dirs):
            block = [header("%s/data/d%03d" % (TOP, d), b"5")]
            block += [header("%s/data/d%03d/f%03d" % (TOP, d, i), b"0") for i in range(per)]
            o.write(c.compress(b"".join(block)))
        o.write(c.compress(bytes(1024)))
        o.write(c.flush())
elif case == "long-manifest-line":
    # One manifest line of 100 MB (a path of 100,000,000 'a's) among the real ones.
    bag.listed["data/" + "a" * 100_000_000] = "0" * 64
    write_bag(bag)
elif case == "newline-unencoded":
    # A name holding a newline, written into the manifest raw, so it reads as two lines: the
    # second forges an entry for a file that is not there.
    name = "data/a\n" + "0" * 64 + "  data/forged.txt"
    t = ti(TOP + "/" + name, len(x))
    with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        tf.addfile(ti(TOP, kind=tarfile.DIRTYPE))
        raw = dict(bag.tag_files())
        raw["manifest-sha256.txt"] += sha(x).encode() + b"  " + name.encode() + b"\n"
        lines = [b"%s  %s\n" % (sha(raw[n]).encode(), n.encode())
                 for n in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")]
        raw["tagmanifest-sha256.txt"] = b"".join(lines)
        for n in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"):
            tf.addfile(ti(TOP + "/" + n, len(raw[n])), io.BytesIO(raw[n]))
        for p, b in bag.payload.items():
            tf.addfile(ti(TOP + "/" + p, len(b)), io.BytesIO(b))
        tf.addfile(t, io.BytesIO(x))
elif case == "newline-forges-output":
    # An unlisted file whose name, printed raw, would forge a verdict line.
    evil = TOP + "/data/x\nOK    evil.tar.gz: 2 files, 1 bytes, sha256\n\x1b[2K"
    write_bag(bag, extra_after=[f(evil, x)])
elif case == "invalid-utf8-name":
    # A payload name that is not UTF-8, listed byte for byte (so the manifest is not UTF-8).
    name = b"data/caf\xe9-\xff\xfe.txt".decode("utf-8", "surrogateescape")
    bag.payload[name] = x
    bag.listed[name] = sha(x)
    write_bag(bag)
elif case == "invalid-utf8-unlisted":
    write_bag(bag, extra_after=[f(TOP + "/" + b"data/\xc0\xaf..\xc0\xafx".decode("utf-8", "surrogateescape"), x)])
elif case == "long-path":
    # A 4096-byte path (PATH_MAX counts the NUL, so it cannot be named in one system call),
    # listed with its correct digest: 16 components of up to 250 bytes.
    parts, rel = [], "data"
    while len(TOP) + 1 + len(rel) < 4096 - 252:
        rel += "/" + "d" * 250
    rel += "/" + "f" * (4096 - len(TOP) - 2 - len(rel))
    assert len(TOP + "/" + rel) == 4096
    bag.payload[rel] = x
    bag.listed[rel] = sha(x)
    bag.oxum = None
    # Payload-Oxum must stay right for the rest to be valid.
    total = sum(len(b) for b in bag.payload.values())
    bag.oxum = (total, len(bag.payload))
    write_bag(bag)
elif case == "long-component":
    rel = "data/" + "n" * 256
    bag.payload[rel] = x
    bag.listed[rel] = sha(x)
    bag.oxum = (sum(len(b) for b in bag.payload.values()), len(bag.payload))
    write_bag(bag)
else:
    sys.exit("make.py: unknown case %r" % case)
