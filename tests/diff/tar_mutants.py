"""tar_mutants.py - header-level mutations of an uncompressed tar, for run.py.

mutate(raw, rng) returns (mutant bytes, a description). Mutations keep header checksums valid
(unless the mutation is the checksum), so that what is tested is how readers resolve headers,
not whether they check a checksum.
"""
BLOCK = 512


def headers(raw):
    """Offsets of the header blocks, following sizes the plain ustar way."""
    out, off = [], 0
    while off + BLOCK <= len(raw):
        h = raw[off:off + BLOCK]
        if h == b"\0" * BLOCK:
            break
        out.append(off)
        try:
            size = int(h[124:136].strip(b"\0 ") or b"0", 8)
        except ValueError:
            size = 0
        off += BLOCK + (size + BLOCK - 1) // BLOCK * BLOCK
    return out


def fix_checksum(h):
    h = bytearray(h)
    h[148:156] = b" " * 8
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def mutate(raw, rng):
    offs = headers(raw)
    off = rng.choice(offs)
    h = bytearray(raw[off:off + BLOCK])
    pos = rng.randrange(BLOCK)
    h[pos] = rng.randrange(256)
    return raw[:off] + fix_checksum(h) + raw[off + BLOCK:], "byte %d of header at %d" % (pos, off)
