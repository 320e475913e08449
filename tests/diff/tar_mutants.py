# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""tar_mutants.py - header-level mutations of an uncompressed tar, for run.py.

mutate(raw, rng) returns (mutant bytes, a description). The tar is taken apart into entries
(extended headers, header, data) and one to three operators rewrite it, each aimed at one way
readers may resolve headers differently: numeric field encodings (spaces, NULs, base-256,
full-width digits, signs), checksums (signed sums, other layouts), magic and version, the
ustar prefix (also under GNU magic), pax 'x' and global 'g' headers with chosen keys and record
framing, GNU 'L'/'K' long names, several extended headers in a row or none after one, type
flags, sizes with matching and mismatching pax sizes, entries after the end marker, a second
concatenated archive, and random byte edits. Checksums are recomputed unless the operator is
about the checksum itself, so what is tested is how readers resolve headers. Many operators
keep the meaning (a pax path equal to the name, a name moved into the prefix, a number written
another way): those mutants must be accepted and extracted alike by every reader.
"""
BLOCK = 512
ZERO = bytes(BLOCK)

# Field offsets and widths of a header block.
NAME, MODE, UID, GID, SIZE, MTIME, CHKSUM, TYPE = (0, 100), (100, 8), (108, 8), (116, 8), \
    (124, 12), (136, 12), (148, 8), (156, 1)
LINK, MAGIC, UNAME, GNAME, DEVMAJ, DEVMIN, PREFIX = (157, 100), (257, 8), (265, 32), (297, 32), \
    (329, 8), (337, 8), (345, 155)
NUMERIC = {"mode": MODE, "uid": UID, "gid": GID, "size": SIZE, "mtime": MTIME,
           "devmajor": DEVMAJ, "devminor": DEVMIN}
POSIX_MAGIC = b"ustar\x0000"
GNU_MAGIC = b"ustar  \x00"


def pad(data):
    return data + bytes(-len(data) % BLOCK)


def get(h, f):
    return bytes(h[f[0]:f[0] + f[1]])


def put(h, f, v):
    assert len(v) <= f[1], (f, v)
    h[f[0]:f[0] + f[1]] = v.ljust(f[1], b"\0")


def num(h, f):
    s = get(h, f)
    if s[0] & 0x80:
        return int.from_bytes(s[1:], "big")
    s = s.split(b"\0")[0].strip()
    try:
        return int(s or b"0", 8)
    except ValueError:
        return 0


def octal(v, w):
    return b"%0*o\0" % (w - 1, v)


def fix_checksum(h):
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)


class Entry:
    def __init__(self, exts, hdr, data):
        self.exts = exts  # [(header bytearray, data bytes)]
        self.hdr = hdr
        self.data = data
        self.keep_sum = False

    def name(self):
        return get(self.hdr, NAME).split(b"\0")[0]


def parse(raw):
    """(entries, tail): tail is everything from the end-of-archive marker on."""
    entries, exts, off = [], [], 0
    while off + BLOCK <= len(raw):
        h = bytearray(raw[off:off + BLOCK])
        if h == ZERO:
            break
        size = num(h, SIZE)
        data = raw[off + BLOCK:off + BLOCK + size]
        off += BLOCK + -(-size // BLOCK) * BLOCK
        if h[156:157] in (b"x", b"L", b"g", b"K"):
            exts.append((h, data))
        else:
            entries.append(Entry(exts, h, data))
            exts = []
    return entries, raw[off:]


def serialize(entries, tail):
    out = []
    for e in entries:
        for h, d in e.exts:
            fix_checksum(h)
            out += [bytes(h), pad(d)]
        if not e.keep_sum:
            fix_checksum(e.hdr)
        out += [bytes(e.hdr), pad(e.data)]
    return b"".join(out) + tail


def template(magic=POSIX_MAGIC):
    h = bytearray(BLOCK)
    put(h, MODE, b"0000644\0")
    put(h, UID, b"0000000\0")
    put(h, GID, b"0000000\0")
    put(h, SIZE, octal(0, 12))
    put(h, MTIME, octal(1700000000, 12))
    h[257:265] = magic
    if magic == POSIX_MAGIC:
        put(h, DEVMAJ, b"0000000\0")
        put(h, DEVMIN, b"0000000\0")
    return h


def ext_header(kind, data, magic=None):
    h = template(magic or (GNU_MAGIC if kind in b"LK" else POSIX_MAGIC))
    put(h, NAME, b"././@LongLink" if kind in b"LK" else b"././@PaxHeader")
    h[156:157] = kind
    put(h, SIZE, octal(len(data), 12))
    return (h, data)


def record(key, value, fudge=0, lead=b""):
    body = b" " + key + b"=" + value + b"\n"
    n = len(body) + 1
    while len(b"%d" % n) + len(body) != n:
        n += 1
    return lead + b"%d" % (n + fudge) + body


def full_name(e):
    """The name an entry resolves to (pax path, L name, prefix/name), as the base wrote it."""
    for h, d in e.exts:
        if h[156:157] == b"x":
            for line in d.split(b"\n"):
                if b" path=" in line:
                    return line.split(b" path=", 1)[1]
        if h[156:157] == b"L":
            return d.split(b"\0")[0]
    pre = get(e.hdr, PREFIX).split(b"\0")[0] if get(e.hdr, MAGIC) == POSIX_MAGIC else b""
    return (pre + b"/" if pre else b"") + e.name()


# ---- operators: each takes (entries, tail, rng) and returns (entries, tail, description) --------

def pick(entries, rng, regular=False):
    cands = [e for e in entries if not regular or e.hdr[156:157] in (b"0", b"\0")]
    return rng.choice(cands or entries)


NUM_STYLES = ["zeros-nul", "zeros-space", "spaces-lead", "full-width", "nul-space", "short",
              "base256", "leading-nul", "tab-lead", "plus", "garbage-after", "all-nul",
              "all-space", "minus", "trailing-spaces", "digit-8", "no-digits-nul-space"]


def encode_num(v, w, style, rng):
    o = b"%o" % v
    if style == "zeros-nul":
        return b"%0*o\0" % (w - 1, v)
    if style == "zeros-space":
        return b"%0*o " % (w - 1, v)
    if style == "spaces-lead":
        return o.rjust(w - 1, b" ") + b"\0"
    if style == "full-width":
        return o.rjust(w, b"0")[-w:]
    if style == "nul-space":
        return o.rjust(w - 2, b"0") + b"\0 "
    if style == "short":
        return o + b"\0" * (w - len(o))
    if style == "base256":
        return b"\x80" + v.to_bytes(w - 1, "big")
    if style == "leading-nul":
        return b"\0" + o.rjust(w - 2, b"0") + b"\0"
    if style == "tab-lead":
        return b"\t" + o.rjust(w - 2, b"0") + b"\0"
    if style == "plus":
        return b"+" + o.rjust(w - 2, b"0") + b"\0"
    if style == "garbage-after":
        return o.rjust(w - 3, b"0") + b" " + bytes([rng.choice(b"x7\x01 ")]) + b"\0"
    if style == "all-nul":
        return bytes(w)
    if style == "all-space":
        return b" " * w
    if style == "minus":
        return b"-" + o.rjust(w - 2, b"0") + b"\0"
    if style == "trailing-spaces":
        return o + b" " * (w - len(o))
    if style == "digit-8":
        return b"8" + o.rjust(w - 2, b"0") + b"\0"
    return b"\0 " + o.rjust(w - 3, b"0") + b"\0"


def op_numeric(entries, tail, rng):
    e = pick(entries, rng)
    field = rng.choice(list(NUMERIC))
    f = NUMERIC[field]
    style = rng.choice(NUM_STYLES)
    enc = encode_num(num(e.hdr, f), f[1], style, rng)
    if len(enc) > f[1] and enc.endswith(b"\0"):
        enc = enc[:-1]  # the digits fill the field: no room for a terminator
    if len(enc) > f[1]:
        return entries, tail, "%s of %r has no room to be written %s" % (field, full_name(e),
                                                                        style)
    put(e.hdr, f, enc)
    return entries, tail, "%s of %r written %s" % (field, full_name(e), style)


def op_checksum(entries, tail, rng):
    e = pick(entries, rng)
    e.keep_sum = True
    h = e.hdr
    v = rng.choice(["signed", "wrong", "7digits", "spaces", "no-nul", "full", "leading-space"])
    if v == "signed":
        # A high byte makes the signed and unsigned sums differ; give the signed one.
        put(h, UNAME, b"r\xe9oot")
        h[148:156] = b" " * 8
        s = sum((c - 256 if c > 127 else c) for c in h)
        h[148:156] = b"%06o\0 " % (s & 0o777777)
    else:
        h[148:156] = b" " * 8
        s = sum(h)
        if v == "wrong":
            s += rng.choice([1, -1, 8, 64])
        h[148:156] = {"wrong": b"%06o\0 ", "7digits": b"%07o\0", "spaces": b"  %04o \0",
                      "no-nul": b"%06o  ", "full": b"%08o", "leading-space": b" %06o\0"}[v] % s
    return entries, tail, "checksum %s on %r" % (v, full_name(e))


def op_magic(entries, tail, rng):
    e = pick(entries, rng)
    m = rng.choice([POSIX_MAGIC, GNU_MAGIC, b"ustar\x00  ", b"ustar \x0000", bytes(8),
                    b"ustar\x00\x00\x00", b"ustar  \x00"[:6] + b"00", b"USTAR\x0000"])
    e.hdr[257:265] = m
    return entries, tail, "magic %r on %r" % (m, full_name(e))


def op_prefix(entries, tail, rng):
    """Moves part of the name into the prefix field (under either magic)."""
    e = pick(entries, rng)
    name = e.name()
    cuts = [i for i in range(len(name)) if name[i:i + 1] == b"/"]
    if not cuts:
        return entries, tail, "no prefix split possible"
    i = rng.choice(cuts)
    put(e.hdr, NAME, name[i + 1:])
    put(e.hdr, PREFIX, name[:i] + (b"/" if rng.random() < 0.1 else b""))
    gnu = rng.random() < 0.2
    if gnu:
        e.hdr[257:265] = GNU_MAGIC
        e.hdr[329:345] = bytes(16)
    return entries, tail, "%r split into prefix/name%s" % (name, " under GNU magic" if gnu else "")


def op_gnu_area(entries, tail, rng):
    e = pick(entries, rng)
    e.hdr[257:265] = GNU_MAGIC
    off = rng.choice([345, 357, 369, 386, 482, 483, 500])
    v = rng.choice([b"14524770400\0", b"single", b"\x01", b"0"])
    e.hdr[off:off + len(v)] = v
    return entries, tail, "GNU header of %r with %r at byte %d" % (full_name(e), v, off)


PAX_KEYS = [b"path", b"size", b"mtime", b"atime", b"ctime", b"uid", b"gid", b"uname", b"gname",
            b"comment", b"hdrcharset", b"linkpath", b"GNU.sparse.size", b"GNU.sparse.map",
            b"GNU.sparse.name", b"GNU.sparse.major", b"SCHILY.xattr.user.x",
            b"LIBARCHIVE.xattr.user.x", b"LIBARCHIVE.creationtime", b"SCHILY.devminor",
            b"charset", b"unknown.key", b"PATH", b"path "]


def pax_value(key, e, rng):
    name = full_name(e)
    size = len(e.data)
    if key in (b"path", b"GNU.sparse.name", b"PATH", b"path "):
        return rng.choice([name, name, name, b"./" + name, name + b"/", name + b"x",
                           name.replace(b"/", b"//"), b"", name + b"\0hidden",
                           name.rsplit(b"/", 1)[0] + b"/article.md",
                           name.rsplit(b"/", 1)[0] + b"/caf\xc3\xa9.txt", b"\xff" + name])
    if key in (b"size", b"GNU.sparse.size"):
        return rng.choice([b"%d" % size, b"%d" % size, b"%d" % (size + 1), b"0",
                           b"%d" % max(size - 1, 0), b"0%d" % size, b" %d" % size, b"%d " % size,
                           b"1e3", b"-1", b"%d" % (size + 512)])
    if key in (b"mtime", b"atime", b"ctime", b"LIBARCHIVE.creationtime"):
        return rng.choice([b"1700000000", b"1700000000.5", b"-1", b"1e9", b"17000000000000000000000",
                           b"1700000000.", b".5", b"abc", b"1700000000.123456789",
                           b"99999999999", b"-99999999999", b"9999999999999999999"])
    if key in (b"uid", b"gid"):
        return rng.choice([b"0", b"1000", b"4294967296", b"-1", b"01", b"99999999999999999999"])
    if key == b"hdrcharset":
        return rng.choice([b"ISO-IR 10646 2000 UTF-8", b"BINARY", b"UTF-8"])
    if key == b"linkpath":
        return rng.choice([b"/etc/passwd", name, b"x"])
    if key == b"GNU.sparse.map":
        return b"0,%d" % size
    return rng.choice([b"root", b"x\ny", b"caf\xc3\xa9", b"\xff\xfe", b"a=b", b"1.0"])


def op_pax(entries, tail, rng):
    """A pax 'x' header (or a 'g' header) with chosen keys before an entry."""
    e = pick(entries, rng)
    keys = [rng.choice(PAX_KEYS[:12]) if rng.random() < 0.8 else rng.choice(PAX_KEYS)
            for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.1:
        keys.append(keys[0])  # a repeated key
    recs = [record(k, pax_value(k, e, rng)) for k in keys]
    framing = rng.choice(["exact"] * 6 + ["len+1", "len-1", "lead0", "trailing-nul",
                                          "trailing-garbage", "no-newline", "empty"])
    if framing == "len+1":
        recs[-1] = record(keys[-1], pax_value(keys[-1], e, rng), 1)
    elif framing == "len-1":
        recs[0] = record(keys[0], pax_value(keys[0], e, rng), -1)
    elif framing == "lead0":
        recs[0] = record(keys[0], pax_value(keys[0], e, rng), 0, b"0")
    data = b"".join(recs)
    if framing == "trailing-nul":
        data += b"\0" * rng.randint(1, 20)
    elif framing == "trailing-garbage":
        data += b"garbage"
    elif framing == "no-newline":
        data = data[:-1]
    elif framing == "empty":
        data = b""
    kind = b"g" if rng.random() < 0.15 else b"x"
    magic = GNU_MAGIC if rng.random() < 0.05 else None
    where = rng.random()
    if kind == b"g" and where < 0.3:
        entries[0].exts.insert(0, ext_header(kind, data, magic))
        at = "first entry"
    elif where < 0.15 and e.exts:
        e.exts.append(ext_header(kind, data, magic))
        at = "after another extended header"
    elif where < 0.25:
        e.exts.insert(0, ext_header(kind, data, magic))
        at = "before the entry's own headers"
    else:
        e.exts = [ext_header(kind, data, magic)]
        at = "replacing the entry's extended headers"
    return entries, tail, "%s header %r (%s) on %r, %s" % (kind.decode(), data[:80], framing,
                                                          full_name(e), at)


def op_longname(entries, tail, rng):
    """A GNU 'L' (or 'K') header before an entry, alone or next to a pax header."""
    e = pick(entries, rng)
    name = full_name(e)
    v = rng.choice(["same", "same", "other", "no-nul", "extra-after-nul", "two-nuls", "empty",
                    "slash"])
    data = {"same": name + b"\0", "other": name.rsplit(b"/", 1)[0] + b"/other.txt\0",
            "no-nul": name, "extra-after-nul": name + b"\0junk", "two-nuls": name + b"\0\0",
            "empty": b"\0", "slash": name + b"/\0"}[v]
    kind = b"K" if rng.random() < 0.15 else b"L"
    h, d = ext_header(kind, data)
    n = rng.random()
    if n < 0.1:
        put(h, NAME, b"@LongLink")
    elif n < 0.15:
        h[257:265] = POSIX_MAGIC
    if rng.random() < 0.3:
        put(e.hdr, NAME, b"zzz/" + e.name()[-40:])
    where = rng.random()
    if where < 0.2 and e.exts:
        e.exts.append((h, d))
        at = "after the existing extended header"
    elif where < 0.35 and e.exts:
        e.exts.insert(0, (h, d))
        at = "before the existing extended header"
    elif where < 0.45:
        e.exts = [(h, d), ext_header(b"x", record(b"path", name))]
        at = "followed by a pax path"
    elif where < 0.5:
        e.exts = [(h, d), (bytearray(h), d)]
        at = "twice"
    else:
        e.exts = [(h, d)]
        at = "alone"
    return entries, tail, "%s name %s %r on %r, %s" % (kind.decode(), v, data[:60], name, at)


def op_type(entries, tail, rng):
    e = pick(entries, rng)
    old = e.hdr[156:157]
    t = rng.choice([b"0", b"\0", b"7", b"1", b"2", b"5", b"S", b"V", b"M", b"N", b"D", b"A",
                    b"g", b"x", b"L", b"K", b"9", b"\xff"])
    e.hdr[156:157] = t
    return entries, tail, "type %r -> %r on %r" % (old, t, full_name(e))


def op_slash(entries, tail, rng):
    e = pick(entries, rng)
    name = e.name()
    if name.endswith(b"/"):
        put(e.hdr, NAME, name.rstrip(b"/"))
    elif len(name) < 100:
        put(e.hdr, NAME, name + b"/")
    return entries, tail, "trailing slash toggled on %r (type %r)" % (name, e.hdr[156:157])


def op_size(entries, tail, rng):
    e = pick(entries, rng)
    old = len(e.data)
    how = rng.choice(["grow", "shrink", "header-only", "dir-data", "zero-header-pax"])
    if how == "grow":
        e.data += b"extra\n"
    elif how == "shrink" and e.data:
        e.data = e.data[:-1]
    elif how == "dir-data" and e.hdr[156:157] == b"5":
        e.data = b"hidden\n"
    if how == "header-only":
        put(e.hdr, SIZE, octal(old + rng.choice([1, 512, -1 if old else 1]), 12))
    else:
        put(e.hdr, SIZE, octal(len(e.data), 12))
    if how == "zero-header-pax" or rng.random() < 0.3:
        # the size in a pax header, the header's own size 0 or the same
        recs = record(b"size", b"%d" % len(e.data))
        if how == "zero-header-pax":
            put(e.hdr, SIZE, octal(0, 12))
        e.exts = [ext_header(b"x", recs)]
    return entries, tail, "size %s on %r (%d -> %d)" % (how, full_name(e), old, len(e.data))


def op_strings(entries, tail, rng):
    e = pick(entries, rng)
    f = rng.choice([NAME, LINK, UNAME, GNAME, PREFIX])
    s = get(e.hdr, f)
    n = s.find(b"\0")
    if n < 0 or n + 2 >= len(s):
        return entries, tail, "no room after the NUL"
    j = rng.randrange(n + 1, len(s))
    e.hdr[f[0] + j] = rng.choice(b"ax/\x01")
    return entries, tail, "byte after the NUL of the field at %d of %r" % (f[0], full_name(e))


def op_end(entries, tail, rng):
    """What follows the end-of-archive marker, or the marker itself."""
    v = rng.choice(["entry-after-end", "second-archive", "lone-zero", "no-end", "junk-after",
                    "ext-at-end", "one-zero-then-entry"])
    e = entries[-1]
    copy = serialize([Entry([(bytearray(h), d) for h, d in e.exts], bytearray(e.hdr), e.data)],
                     b"")
    if v == "entry-after-end":
        tail = ZERO * 2 + copy + tail[2 * BLOCK:]
    elif v == "second-archive":
        tail = tail + serialize(
            [Entry([], bytearray(x.hdr), x.data) for x in entries[-2:]], ZERO * 2)
    elif v == "lone-zero":
        tail = ZERO
    elif v == "no-end":
        tail = b""
    elif v == "junk-after":
        tail = ZERO * 2 + b"junk" + bytes(BLOCK - 4)
    elif v == "ext-at-end":
        entries = entries + [Entry([], bytearray(ext_header(b"x", record(b"mtime", b"1"))[0]),
                                   record(b"mtime", b"1"))]
    else:
        tail = ZERO + copy + ZERO * 2
    return entries, tail, "end: %s" % v


def op_rename(entries, tail, rng):
    """A regular file renamed to bytes readers might treat differently (an unlisted tag file is
    only a warning, so the bag stays valid), or its name spelled another way."""
    e = pick(entries, rng, regular=True)
    name = full_name(e)
    top, _, rest = name.partition(b"/")
    new = rng.choice([
        top + b"/a\\b.txt", top + b"/caf\xe9.txt", top + b"/x\x01y", top + b"/a:b*?.txt",
        top + b"/e\xcc\x81.txt", top + b"/\xed\xa0\x80", top + b"/trail. ", top + b"/ lead",
        b"./" + name, top + b"//" + rest, top + b"/./" + rest, b"/" + name, top + b"/../" + name,
        name + b"/.", top + b"/" + rest.upper(), top + b"/.", top + b"/" + b"n" * 256,
        top + b"/x\ny", top + b"/\xef\xbb\xbfbom"])
    if len(new) <= 100 and rng.random() < 0.7:
        put(e.hdr, NAME, new)
        put(e.hdr, PREFIX, b"")
        e.exts = []
    else:
        e.exts = [ext_header(b"x", record(b"path", new))]
    return entries, tail, "%r renamed %r" % (name, new)


def op_bytes(entries, tail, rng):
    e = pick(entries, rng)
    blocks = [e.hdr] + [h for h, d in e.exts]
    h = rng.choice(blocks)
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(BLOCK)
        h[pos] = rng.randrange(256)
    return entries, tail, "random bytes in a header of %r" % full_name(e)


OPS = [(op_numeric, 14), (op_checksum, 5), (op_magic, 5), (op_prefix, 10), (op_gnu_area, 4),
       (op_pax, 18), (op_longname, 12), (op_type, 6), (op_slash, 3), (op_size, 6),
       (op_strings, 3), (op_end, 6), (op_rename, 5), (op_bytes, 8)]


def mutate(raw, rng):
    entries, tail = parse(raw)
    descs = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        op = rng.choices([o for o, w in OPS], [w for o, w in OPS])[0]
        entries, tail, d = op(entries, tail, rng)
        descs.append(d)
    return serialize(entries, tail), "; ".join(descs)
