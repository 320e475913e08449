# SPDX-License-Identifier: Apache-2.0
# Copyright 2026 The artbag authors
"""zip_mutants.py - header-level mutations of a zip, for run.py.

mutate(raw, rng) returns (mutant bytes, a description). The zip is parsed into a model (each
entry's local header, data, data descriptor and central header; the bytes around them; the end
records) so that a mutation can change one field and the rest is written back consistently, or
deliberately not (stale offsets, wrong counts). Mutations cover every field a local and a central
header share (name, sizes, CRC-32, method, flags, extra fields incl. zip64 and the Unicode Path
0x7075), where entries lie (overlapping, pointing into another entry's data, bytes between
entries, prepended, after the end record), the end records (counts, zip64, a second end record
in the comment), external attributes (symbolic link, directory and DOS bits, hosts), and random
byte edits. Some mutations keep the zip valid (stored instead of deflate, a data descriptor,
zip64, reordered entries) so that readers are compared on accepted bundles too.
"""
import struct
import zlib

LOCAL = struct.Struct("<4sHHHHHIIIHH")
CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
EOCD = struct.Struct("<4sHHHHIIH")
EOCD64 = struct.Struct("<4sQHHIIQQQQ")
LOCATOR = struct.Struct("<4sIQI")
U32 = 0xFFFFFFFF


class Entry:
    pass


class Zip:
    pass


def parse(raw):
    z = Zip()
    e_at = raw.rindex(b"PK\5\6")
    (_, z.disk, z.cd_disk, z.n_disk, z.n_total, z.cd_size, z.cd_off,
     clen) = EOCD.unpack_from(raw, e_at)
    z.comment = raw[e_at + 22:e_at + 22 + clen]
    z.zip64 = False
    z.prefix = b""
    z.cd_gap = b""
    z.trailer = b""
    z.eocd_over = {}      # EOCD fields to write as given instead of computed
    z.z64_over = {}
    z.entries = []
    pos = z.cd_off
    for _ in range(z.n_total):
        f = CENTRAL.unpack_from(raw, pos)
        e = Entry()
        (_, e.made_by, e.c_ver, e.c_flags, e.c_method, e.c_time, e.c_date, e.c_crc, e.c_csize,
         e.c_usize, nlen, elen, comlen, e.c_disk, e.iattr, e.eattr, e.offset) = f
        p = pos + CENTRAL.size
        e.c_name = raw[p:p + nlen]
        e.c_extra = raw[p + nlen:p + nlen + elen]
        e.c_comment = raw[p + nlen + elen:p + nlen + elen + comlen]
        pos = p + nlen + elen + comlen
        lf = LOCAL.unpack_from(raw, e.offset)
        (_, e.l_ver, e.l_flags, e.l_method, e.l_time, e.l_date, e.l_crc, e.l_csize, e.l_usize,
         lnlen, lelen) = lf
        p = e.offset + LOCAL.size
        e.l_name = raw[p:p + lnlen]
        e.l_extra = raw[p + lnlen:p + lnlen + lelen]
        d = p + lnlen + lelen
        csize = e.c_csize
        e.data = raw[d:d + csize]
        e.desc = b""
        e.gap = b""
        e.hidden = None   # a whole local header + data hidden in the gap after this entry
        e.off_over = None
        z.entries.append(e)
    # descriptors: what lies between one entry's data and the next local header
    ordered = sorted(z.entries, key=lambda e: e.offset)
    for i, e in enumerate(ordered):
        end = e.offset + LOCAL.size + len(e.l_name) + len(e.l_extra) + len(e.data)
        nxt = ordered[i + 1].offset if i + 1 < len(ordered) else z.cd_off
        e.desc = raw[end:nxt]
    z.order = list(range(len(z.entries)))        # central order
    z.local_order = sorted(range(len(z.entries)), key=lambda i: z.entries[i].offset)
    z.dup = []                                    # central entries written twice
    return z


def extra(fid, data):
    return struct.pack("<HH", fid, len(data)) + data


def local_bytes(e):
    return LOCAL.pack(b"PK\3\4", e.l_ver, e.l_flags, e.l_method, e.l_time, e.l_date, e.l_crc & U32,
                      e.l_csize & U32, e.l_usize & U32, len(e.l_name), len(e.l_extra)) + e.l_name + e.l_extra


def central_bytes(e, off):
    return CENTRAL.pack(b"PK\1\2", e.made_by, e.c_ver, e.c_flags, e.c_method, e.c_time, e.c_date,
                        e.c_crc & U32, e.c_csize & U32, e.c_usize & U32, len(e.c_name), len(e.c_extra),
                        len(e.c_comment), e.c_disk, e.iattr, e.eattr, off & U32) + \
        e.c_name + e.c_extra + e.c_comment


def build(z):
    out = bytearray(z.prefix)
    offs = {}
    for i in z.local_order:
        e = z.entries[i]
        offs[i] = len(out)
        out += local_bytes(e) + e.data + e.desc
        if e.hidden is not None:
            offs[("hidden", i)] = len(out)
            out += e.hidden
        out += e.gap
    out += z.cd_gap
    cd_off = len(out)
    for i in z.order + z.dup:
        e = z.entries[i]
        off = e.off_over(offs) if e.off_over else offs[i]
        out += central_bytes(e, off)
    cd_size = len(out) - cd_off
    n = len(z.order) + len(z.dup)
    f = dict(disk=0, cd_disk=0, n_disk=n, n_total=n, cd_size=cd_size, cd_off=cd_off)
    if z.zip64:
        g = dict(f, **z.z64_over)
        z64_at = len(out)
        out += EOCD64.pack(b"PK\6\6", 44, 45, 45, g["disk"], g["cd_disk"], g["n_disk"],
                           g["n_total"], g["cd_size"], g["cd_off"])
        out += LOCATOR.pack(b"PK\6\7", 0, z.z64_over.get("at", z64_at), z.z64_over.get("disks", 1))
        f = dict(f, n_disk=0xFFFF, n_total=0xFFFF, cd_size=U32, cd_off=U32) \
            if z.z64_over.get("mark", True) else f
    f.update(z.eocd_over)
    out += EOCD.pack(b"PK\5\6", f["disk"], f["cd_disk"], f["n_disk"] & 0xFFFF,
                     f["n_total"] & 0xFFFF, f["cd_size"] & U32, f["cd_off"] & U32,
                     len(z.comment) & 0xFFFF)
    out += z.comment + z.trailer
    return bytes(out)


# ---- helpers -------------------------------------------------------------------------------

def pick(rng, z, files_only=False):
    cands = [i for i, e in enumerate(z.entries) if not files_only or not e.c_name.endswith(b"/")]
    return rng.choice(cands or list(range(len(z.entries))))


def plain(e):
    """The entry's uncompressed bytes, or None when they cannot be had."""
    try:
        if e.c_method == 0:
            return e.data
        if e.c_method == 8:
            return zlib.decompress(e.data, -15)
    except zlib.error:
        pass
    return None


def deflate(b, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()


def set_both(e, field, value):
    setattr(e, "l_" + field, value)
    setattr(e, "c_" + field, value)


def restore(e, data, method):
    """Re-encodes entry e consistently: data is the uncompressed content."""
    e.data = deflate(data) if method == 8 else data
    set_both(e, "method", method)
    set_both(e, "crc", zlib.crc32(data))
    set_both(e, "usize", len(data))
    set_both(e, "csize", len(e.data))
    if e.l_flags & 8:
        e.desc = b"PK\7\x08" + struct.pack("<III", e.c_crc, e.c_csize, e.c_usize)


NAME_EDITS = ["flip", "other", "case", "dotslash", "double-slash", "trailing-slash", "backslash",
              "nonascii", "nonascii-utf8", "control", "dotdot", "absolute", "nul", "longer",
              "shorter", "space", "empty"]


def name_variant(rng, name, z):
    k = rng.choice(NAME_EDITS)
    n = bytearray(name)
    if k == "flip" and n:
        i = rng.randrange(len(n))
        n[i] = rng.choice(b"abcdexyz_-.0123456789")
    elif k == "other":
        return rng.choice([e.c_name for e in z.entries]), k
    elif k == "case":
        n = bytearray(name.swapcase())
    elif k == "dotslash":
        i = name.find(b"/")
        n = bytearray(name[:i + 1] + b"./" + name[i + 1:]) if i >= 0 else bytearray(b"./" + name)
    elif k == "double-slash":
        n = bytearray(name.replace(b"/", b"//", 1))
    elif k == "trailing-slash":
        n = bytearray(name[:-1] if name.endswith(b"/") else name + b"/")
    elif k == "backslash":
        n = bytearray(name.replace(b"/", b"\\", 1))
    elif k == "nonascii":
        n = bytearray(name + b"\xe9")
    elif k == "nonascii-utf8":
        n = bytearray(name + "é".encode())
    elif k == "control":
        n = bytearray(name + rng.choice([b"\n", b"\r", b"\x01", b"\x7f"]))
    elif k == "dotdot":
        n = bytearray(b"../" + name)
    elif k == "absolute":
        n = bytearray(b"/" + name)
    elif k == "nul" and n:
        n[rng.randrange(len(n))] = 0
    elif k == "longer":
        n = bytearray(name + b"x")
    elif k == "shorter" and len(n) > 1:
        n = n[:-1]
    elif k == "space":
        n = bytearray(name + b" ")
    elif k == "empty":
        n = bytearray()
    return bytes(n), k


# ---- mutations -----------------------------------------------------------------------------

def m_name(rng, z):
    e = z.entries[pick(rng, z)]
    where = rng.choice(["local", "central", "both", "both+utf8"])
    new, k = name_variant(rng, e.c_name, z)
    if where in ("local", "both", "both+utf8"):
        e.l_name = new
    if where in ("central", "both", "both+utf8"):
        e.c_name = new
    if where == "both+utf8":
        e.l_flags |= 0x800
        e.c_flags |= 0x800
    return "name %s %s: %r" % (where, k, new)


def m_size(rng, z):
    e = z.entries[pick(rng, z)]
    field = rng.choice(["l_csize", "l_usize", "c_csize", "c_usize", "csize", "usize"])
    old = getattr(e, field if field[1] == "_" else "c_" + field)
    new = rng.choice([0, old + 1, max(old - 1, 0), old + rng.randrange(1, 200), U32,
                      rng.randrange(1 << 32)])
    if field in ("csize", "usize"):
        set_both(e, field, new)
    else:
        setattr(e, field, new)
    return "%s of %r: %d -> %d" % (field, e.c_name, old, new)


def m_crc(rng, z):
    e = z.entries[pick(rng, z)]
    field = rng.choice(["l_crc", "c_crc", "crc", "zero-local"])
    if field == "zero-local":
        e.l_crc = 0
    elif field == "crc":
        set_both(e, "crc", e.c_crc ^ (1 << rng.randrange(32)))
    else:
        setattr(e, field, getattr(e, field) ^ (1 << rng.randrange(32)))
    return "crc %s of %r" % (field, e.c_name)


def m_method(rng, z):
    e = z.entries[pick(rng, z, files_only=True)]
    how = rng.choice(["restore-stored", "restore-deflate", "local", "central", "both", "both"])
    if how.startswith("restore"):
        data = plain(e)
        if data is None:
            return "method: nothing"
        restore(e, data, 0 if how == "restore-stored" else 8)
        return "%s %r" % (how, e.c_name)
    m = rng.choice([0, 8, 1, 6, 9, 12, 14, 93, 95, 98, 99])
    if how in ("local", "both"):
        e.l_method = m
    if how in ("central", "both"):
        e.c_method = m
    return "method %s of %r -> %d" % (how, e.c_name, m)


def m_flags(rng, z):
    e = z.entries[pick(rng, z)]
    bit = rng.choice([0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15])
    how = rng.choice(["local", "central", "both"])
    if how in ("local", "both"):
        e.l_flags ^= 1 << bit
    if how in ("central", "both"):
        e.c_flags ^= 1 << bit
    return "flag bit %d %s of %r" % (bit, how, e.c_name)


def m_descriptor(rng, z):
    """Data descriptors: added properly (valid), or disagreeing, or misplaced."""
    e = z.entries[pick(rng, z)]
    sig = rng.random() < 0.7
    wide = rng.random() < 0.2
    crc, cs, us = e.c_crc, e.c_csize, e.c_usize
    k = rng.choice(["ok", "ok", "zero-local", "bad-crc", "bad-size", "missing", "no-flag",
                    "local-only-flag"])
    if k == "bad-crc":
        crc ^= 1
    if k == "bad-size":
        us += 1
    fmt = "<IQQ" if wide else "<III"
    desc = (b"PK\7\x08" if sig else b"") + struct.pack(fmt, crc, cs, us)
    if wide:
        e.l_extra += extra(1, struct.pack("<QQ", e.c_usize, e.c_csize))
        e.l_csize = e.l_usize = U32
    if k != "missing":
        e.desc = desc
    if k != "no-flag":
        e.l_flags |= 8
        if k != "local-only-flag":
            e.c_flags |= 8
    if k == "zero-local":
        e.l_crc = e.l_csize = e.l_usize = 0
        if wide:
            e.l_extra = e.l_extra[:-16] + struct.pack("<QQ", 0, 0)
    return "descriptor %s (sig %s, zip64 %s) on %r" % (k, sig, wide, e.c_name)


def m_zip64(rng, z):
    k = rng.choice(["central", "central", "local", "both", "eocd", "eocd", "eocd-bad",
                    "central-short", "central-long", "central-unmarked", "central-wrong"])
    e = z.entries[pick(rng, z)]
    if k in ("central", "both"):
        e.c_extra += extra(1, struct.pack("<QQ", e.c_usize, e.c_csize))
        e.c_usize = e.c_csize = U32
    if k in ("local", "both"):
        e.l_extra += extra(1, struct.pack("<QQ", e.l_usize, e.l_csize))
        e.l_usize = e.l_csize = U32
    if k == "central-short":
        e.c_extra += extra(1, struct.pack("<Q", e.c_usize))
        e.c_usize = e.c_csize = U32
    if k == "central-long":
        e.c_extra += extra(1, struct.pack("<QQQ", e.c_usize, e.c_csize, 0))
        e.c_usize = U32
    if k == "central-unmarked":
        e.c_extra += extra(1, struct.pack("<QQ", e.c_usize + 5, e.c_csize + 5))
    if k == "central-wrong":
        e.c_extra += extra(1, struct.pack("<QQ", e.c_usize + 1, e.c_csize))
        e.c_usize = e.c_csize = U32
    if k.startswith("eocd"):
        z.zip64 = True
        if k == "eocd-bad":
            key = rng.choice(["n_total", "n_disk", "cd_size", "cd_off", "disk", "at", "disks",
                              "mark"])
            z.z64_over[key] = {"mark": False, "disks": 2}.get(key, rng.randrange(1, 100))
            return "zip64 eocd with %s overridden" % key
    return "zip64 %s on %r" % (k, e.c_name)


def m_extra(rng, z):
    e = z.entries[pick(rng, z)]
    where = rng.choice(["l", "c", "both"])
    k = rng.choice(["upath-same", "upath-other", "upath-other", "xl", "xl-bad", "unknown",
                    "dup", "truncated", "ut", "ntfs", "ux"])
    name = e.c_name
    if k == "upath-same":
        f = extra(0x7075, b"\1" + struct.pack("<I", zlib.crc32(name)) + name)
    elif k == "upath-other":
        other = name_variant(rng, name, z)[0]
        f = extra(0x7075, b"\1" + struct.pack("<I", zlib.crc32(name)) + other)
    elif k == "xl":
        f = extra(0x6c78, struct.pack("<BHHI", 7, e.made_by, e.iattr, e.eattr))
    elif k == "xl-bad":
        f = extra(0x6c78, struct.pack("<BHHI", 7, 3 << 8, 0, (0o120777 << 16)))
    elif k == "unknown":
        f = extra(rng.choice([0x000d, 0x0017, 0x9901, 0x1234, 0x0000]), b"\0" * 8)
    elif k == "dup":
        f = extra(0x5455, b"\1" + struct.pack("<I", 1700000000)) * 2
    elif k == "truncated":
        f = struct.pack("<HH", 0x5455, 40) + b"\1\2\3"
    elif k == "ut":
        f = extra(0x5455, b"\1" + struct.pack("<I", 1700000000))
    elif k == "ntfs":
        f = extra(0x000a, b"\0" * 4 + struct.pack("<HH", 1, 24) + b"\0" * 24)
    else:
        f = extra(0x7875, b"\1\4" + struct.pack("<I", 1000) + b"\4" + struct.pack("<I", 1000))
    if where in ("l", "both"):
        e.l_extra += f
    if where in ("c", "both"):
        e.c_extra += f
    return "extra %s in %s of %r" % (k, where, name)


def hidden_entry(e, name, content):
    """A whole local header and stored data, as a forger hides one."""
    h = LOCAL.pack(b"PK\3\4", 20, e.l_flags & 0x800, 0, e.l_time, e.l_date, zlib.crc32(content),
                   len(content), len(content), len(name), 0) + name
    return h + content


def m_layout(rng, z):
    k = rng.choice(["point-into", "point-at-other", "hidden-local", "hidden-local", "gap",
                    "gap-zero", "prefix", "cd-gap", "trailer", "trailer-zero", "reorder-local",
                    "reorder-central", "dup-central", "dup-central-count", "drop-central"])
    i = pick(rng, z)
    e = z.entries[i]
    if k == "point-into":
        j = pick(rng, z)
        delta = rng.randrange(1, 60)
        e.off_over = lambda offs, j=j, d=delta: offs[j] + d
        return "%r's central offset points %d bytes into entry %d" % (e.c_name, delta, j)
    if k == "point-at-other":
        j = pick(rng, z)
        e.off_over = lambda offs, j=j: offs[j]
        return "%r's central offset points at entry %d" % (e.c_name, j)
    if k == "hidden-local":
        # the attack of issue 11: the central directory points at a local header hidden after
        # another entry, whose bytes differ from the visible one's
        host = z.entries[pick(rng, z)]
        data = (plain(e) or b"") + b"forged\n"
        host.hidden = hidden_entry(e, e.c_name, data)
        hi = z.entries.index(host)
        how = rng.choice(["central", "central-consistent", "none"])
        if how != "none":
            e.off_over = lambda offs, hi=hi: offs[("hidden", hi)]
        if how == "central-consistent":
            e.c_method = 0
            e.c_crc, e.c_csize, e.c_usize = zlib.crc32(data), len(data), len(data)
            e.c_flags &= ~8
        return "hidden local header after entry %d, central of %r %s" % (hi, e.c_name, how)
    if k in ("gap", "gap-zero"):
        e.gap = b"\0" * rng.randrange(1, 40) if k == "gap-zero" else bytes(
            rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        return "%d bytes after %r" % (len(e.gap), e.c_name)
    if k == "prefix":
        z.prefix = rng.choice([b"#!/bin/sh\nexit 0\n", b"\0" * 512, b"MZ" + b"\0" * 62])
        return "prepended %d bytes" % len(z.prefix)
    if k == "cd-gap":
        z.cd_gap = b"\0" * rng.randrange(1, 30)
        return "bytes before the central directory"
    if k in ("trailer", "trailer-zero"):
        z.trailer = b"\0" * rng.randrange(1, 600) if k == "trailer-zero" else b"junk\n"
        return "%d bytes after the end record" % len(z.trailer)
    if k == "reorder-local":
        rng.shuffle(z.local_order)
        return "local entries reordered"
    if k == "reorder-central":
        rng.shuffle(z.order)
        return "central entries reordered"
    if k == "dup-central":
        z.dup.append(i)
        return "central entry %r twice" % e.c_name
    if k == "dup-central-count":
        z.dup.append(i)
        z.eocd_over = {"n_total": len(z.order), "n_disk": len(z.order)}
        return "central entry %r twice, counted once" % e.c_name
    z.order.remove(i)
    return "central entry %r dropped" % e.c_name


def m_eocd(rng, z):
    k = rng.choice(["comment", "comment-eocd", "comment-eocd", "comment-sig", "comment-len",
                    "n_total", "n_disk", "both-counts", "cd_size", "cd_off", "disk", "cd_disk"])
    if k == "comment":
        z.comment = b"an archive comment"
    elif k == "comment-eocd":
        # a second end record inside the comment, pointing at the same central directory or
        # at nothing
        fake = EOCD.pack(b"PK\5\6", 0, 0, 1, 1, 46, 0, rng.choice([0, 5]))
        z.comment = rng.choice([b"", b"x"]) + fake + rng.choice([b"", b"tail"])
    elif k == "comment-sig":
        z.comment = b"see PK\3\4 here"
    elif k == "comment-len":
        z.comment = b"abc"
        z.trailer = b"def"
    elif k in ("n_total", "n_disk", "both-counts"):
        n = len(z.order) + len(z.dup)
        d = rng.choice([-1, 1, 0x10000])
        if k in ("n_total", "both-counts"):
            z.eocd_over["n_total"] = max(n + d, 0)
        if k in ("n_disk", "both-counts"):
            z.eocd_over["n_disk"] = max(n + d, 0)
    elif k in ("disk", "cd_disk"):
        z.eocd_over[k] = 1
    else:
        z.eocd_over[k] = rng.randrange(0, 1 << 16)
    return "end record %s" % k


def m_attrs(rng, z):
    e = z.entries[pick(rng, z)]
    host = rng.choice([0, 3, 3, 3, 10, 11, 16, 19, 30])
    mode = rng.choice([0o120777, 0o120777, 0o040755, 0o100644, 0o100000, 0o010644, 0o020644,
                       0o060644, 0o140644, 0o000644, 0o170000, 0])
    dos = rng.choice([0, 0x10, 0x01, 0x20])
    e.made_by = (host << 8) | (e.made_by & 0xFF)
    e.eattr = (mode << 16) | dos
    return "attributes of %r: host %d, mode 0%o, dos 0x%x" % (e.c_name, host, mode, dos)


def m_version(rng, z):
    e = z.entries[pick(rng, z)]
    v = rng.choice([10, 20, 45, 46, 51, 63, 99, 0x0314])
    where = rng.choice(["l", "c", "both"])
    if where in ("l", "both"):
        e.l_ver = v
    if where in ("c", "both"):
        e.c_ver = v
    return "version needed %d in %s of %r" % (v, where, e.c_name)


def m_data(rng, z):
    e = z.entries[pick(rng, z, files_only=True)]
    data = plain(e)
    k = rng.choice(["hidden-tail", "recompress", "truncate", "flip", "stored-hidden"])
    if data is None:
        return "data: nothing"
    if k == "hidden-tail":
        restore(e, data, 8)
        e.data += b"hidden bytes"
        set_both(e, "csize", len(e.data))
    elif k == "recompress":
        restore(e, data, 8)
        e.data = deflate(data, rng.choice([0, 1, 9]))
        set_both(e, "csize", len(e.data))
    elif k == "truncate" and e.data:
        e.data = e.data[:-1]
        set_both(e, "csize", len(e.data))
    elif k == "flip" and e.data:
        b = bytearray(e.data)
        b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        e.data = bytes(b)
    elif k == "stored-hidden":
        restore(e, data, 0)
        e.data += b"PK\5\6" + b"\0" * 18
        set_both(e, "csize", len(e.data))
    return "data %s of %r" % (k, e.c_name)


def m_bytes(rng, raw):
    b = bytearray(raw)
    sigs = [i for i in range(len(b) - 4) if b[i:i + 2] == b"PK" and b[i + 2] in (1, 3, 5, 6, 7)]
    n = rng.choice([1, 1, 2, 3])
    where = []
    for _ in range(n):
        at = rng.choice(sigs) + rng.randrange(46) if rng.random() < 0.8 else rng.randrange(len(b))
        at = min(at, len(b) - 1)
        b[at] = rng.randrange(256)
        where.append(at)
    return bytes(b), "bytes %s" % where


MUTATIONS = [m_name, m_name, m_size, m_crc, m_method, m_flags, m_descriptor, m_zip64, m_zip64,
             m_extra, m_extra, m_layout, m_layout, m_layout, m_eocd, m_attrs, m_attrs, m_version,
             m_data]


def mutate(raw, rng):
    if rng.random() < 0.12:
        return m_bytes(rng, raw)
    z = parse(raw)
    descs = []
    for _ in range(rng.choice([1, 1, 1, 2])):
        descs.append(rng.choice(MUTATIONS)(rng, z))
    out = build(z)
    if rng.random() < 0.05:
        out, d = m_bytes(rng, out)
        descs.append(d)
    return out, "; ".join(descs)
