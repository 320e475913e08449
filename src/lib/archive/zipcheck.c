/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* zipcheck.c - a strict structural check of a zip file, so that what verify reads through the
 * central directory is exactly what every extractor (unzip, Python zipfile, 7-Zip, libarchive)
 * reads: one end record where all of them look, local headers that agree with the central
 * directory, entries that tile the file with no byte hidden or shared, and no header
 * combination that readers resolve differently. Deflate data is inflated with zlib. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "archive/archive.h"

#define EOCD_LEN    22
#define EOCD64_LEN  56
#define LOCATOR_LEN 20
#define CENTRAL_LEN 46
#define LOCAL_LEN   30
#define COMMENT_MAX 65535
#define CD_MAX      ((uint64_t)64 << 20) /* no bag needs a bigger index */
#define U32_MAX     0xffffffffu
#define ZBUF        (64 * 1024)
#define VERSION_MAX 45 /* zip64; unzip 6 refuses entries that need more */
#define FLAG_CRYPT  0x0001
#define FLAG_DESC   0x0008
#define FLAG_UTF8   0x0800
/* deflate options (1, 2), data descriptor (3), UTF-8 names (11): anything else is encryption,
 * patch data or a reserved bit, which readers handle differently or not at all */
#define FLAGS_OK (0x0002 | 0x0004 | FLAG_DESC | FLAG_UTF8)

struct zsrc {
    const unsigned char *mem; /* or */
    int fd;
    uint64_t size;
};

struct cent {
    const unsigned char *name;
    size_t name_len;
    uint32_t flags, method, crc, made_by, needed, ext, internal;
    uint64_t csize, usize, offset, end;
    int type;
};

struct ctx {
    struct zsrc src;
    struct artbag_zipcheck *zc;
    struct artbag_error *err;
    uint64_t max_bytes;
    unsigned char *cd;
    struct cent *ents;
    size_t n;
    unsigned char *zbuf;
    /* the first entry without the UTF-8 flag that carries a Unicode Path field (0x7075), in
     * either header, and whether any entry has a data descriptor: see check() */
    const struct cent *upath_unflagged;
    int any_desc;
};

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static uint64_t le64(const unsigned char *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Reads n bytes at off: ARTBAG_OK, ARTBAG_EREJECT when the file ends first, ARTBAG_EIO. */
static int zread(struct ctx *x, uint64_t off, void *buf, size_t n)
{
    size_t got = 0;

    if (off > x->src.size || n > x->src.size - off)
        return ARTBAG_EREJECT;
    if (x->src.mem) {
        memcpy(buf, x->src.mem + off, n);
        return ARTBAG_OK;
    }
    while (got < n) {
        ssize_t r = pread(x->src.fd, (char *)buf + got, n - got, (off_t)(off + got));

        if (r < 0 && errno == EINTR && !artbag_cancelled())
            continue;
        if (r < 0)
            return artbag_error_set(x->err, ARTBAG_EIO, "read failed: %s", strerror(errno));
        if (r == 0)
            return ARTBAG_EREJECT; /* shrank under us */
        got += (size_t)r;
    }
    return ARTBAG_OK;
}

/* Records why the zip is refused: kind "archive" (broken), "truncated" (the file ends before its
 * end record: a cut download) or "ambiguous" (readers differ). */
static int bad(struct ctx *x, const char *kind, const struct cent *e, const char *fmt, ...)
    ARTBAG_PRINTF(4, 5);

static int bad(struct ctx *x, const char *kind, const struct cent *e, const char *fmt, ...)
{
    va_list ap;

    x->zc->kind = kind;
    free(x->zc->entry);
    x->zc->entry = e ? artbag_memdup_str(e->name, e->name_len) : NULL;
    va_start(ap, fmt);
    vsnprintf(x->err->msg, sizeof(x->err->msg), fmt, ap);
    va_end(ap);
    x->err->status = ARTBAG_EREJECT;
    return ARTBAG_EREJECT;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        size_t k;
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            k = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i <= k)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k + 1;
    }
    return 1;
}

static int has_sig(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (p[i] == 'P' && p[i + 1] == 'K' && p[i + 2] < 9 && p[i + 3] < 9 && p[i + 2] && p[i + 3])
            return 1;
    return 0;
}

/* What an entry's extra field said, for the checks that need both headers. */
struct extras {
    const unsigned char *z64;
    size_t z64_len;
    int has_xl;
    uint32_t xl_bitmap, xl_made_by, xl_internal, xl_ext;
};

/*
 * Parses an extra field: well-formed records only, no id twice (readers take the first or the
 * last), only the ids mainstream writers use, a Unicode Path (0x7075) only when it repeats the
 * header's name, and libarchive's "xl" field (0x6c78) only with the central directory's values.
 */
static int parse_extra(struct ctx *x, const struct cent *e, const unsigned char *p, size_t len,
                       const char *where, struct extras *out)
{
    uint32_t seen[32];
    size_t nseen = 0;

    memset(out, 0, sizeof(*out));
    for (size_t off = 0; off < len;) {
        uint32_t id, sz;
        const unsigned char *d;

        if (len - off < 4)
            return bad(x, "ambiguous", e, "the %s extra field ends in a partial record", where);
        id = le16(p + off);
        sz = le16(p + off + 2);
        d = p + off + 4;
        if (len - off - 4 < sz)
            return bad(x, "ambiguous", e,
                       "the %s extra field 0x%04x runs past the end of the extra data", where,
                       (unsigned)id);
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == id)
                return bad(x, "ambiguous", e, "the %s extra field 0x%04x appears twice", where,
                           (unsigned)id);
        if (nseen == sizeof(seen) / sizeof(*seen))
            return bad(x, "ambiguous", e, "too many %s extra fields", where);
        seen[nseen++] = id;
        switch (id) {
        case 0x0001: /* zip64 sizes and offset */
            out->z64 = d;
            out->z64_len = sz;
            break;
        case 0x7075: /* Info-ZIP Unicode Path: unzip and libarchive prefer it to the name */
            if (sz < 5 || d[0] != 1 || sz - 5 != e->name_len || memcmp(d + 5, e->name, sz - 5))
                return bad(x, "ambiguous", e,
                           "the %s Unicode Path extra field (0x7075) names it '%.*s', which "
                           "some extractors use instead of the header's name",
                           where, sz >= 5 ? (int)(sz - 5) : 0, sz >= 5 ? (const char *)d + 5 : "");
            if (!(e->flags & FLAG_UTF8) && !x->upath_unflagged)
                x->upath_unflagged = e;
            /* unzip 6 may take such an entry for an overlapping one (a "zip bomb") when a data
             * descriptor follows it, and refuse the archive: seen with the field in either
             * header */
            if (e->flags & FLAG_DESC)
                return bad(x, "ambiguous", e,
                           "a Unicode Path extra field (0x7075) on an entry with a data "
                           "descriptor, which unzip may refuse as overlapping");
            break;
        case 0x6c78: { /* libarchive's "xl": central-directory fields in the local header */
            size_t need = 1;

            if (sz < 1 || (d[0] & ~7u))
                return bad(x, "ambiguous", e, "an 'xl' extra field (0x6c78) of unknown layout");
            out->has_xl = 1;
            out->xl_bitmap = d[0];
            if (d[0] & 1)
                out->xl_made_by = sz >= need + 2 ? le16(d + need) : 0, need += 2;
            if (d[0] & 2)
                out->xl_internal = sz >= need + 2 ? le16(d + need) : 0, need += 2;
            if (d[0] & 4)
                out->xl_ext = sz >= need + 4 ? le32(d + need) : 0, need += 4;
            if (sz != need)
                return bad(x, "ambiguous", e, "an 'xl' extra field (0x6c78) of unknown layout");
            break;
        }
        case 0x000a: /* NTFS times */
        case 0x5455: /* extended timestamp */
        case 0x5855: /* Info-ZIP Unix, old */
        case 0x7875: /* Info-ZIP Unix uid/gid */
        case 0x6375: /* Info-ZIP Unicode Comment */
        case 0xcafe: /* jar marker */
            break;
        default:
            return bad(x, "ambiguous", e,
                       "an extra field of type 0x%04x in the %s header, which some extractors "
                       "interpret",
                       (unsigned)id, where);
        }
        off += 4 + sz;
    }
    return ARTBAG_OK;
}

/* Type and consistency of the name, the DOS attributes and the Unix mode. */
static int check_type(struct ctx *x, struct cent *e)
{
    int dir = e->name[e->name_len - 1] == '/';
    uint32_t host = e->made_by >> 8, ftype = (e->ext >> 16) & 0170000;

    e->type = dir ? 'd' : 'f';
    if ((e->ext & 0x10) && !dir)
        return bad(x, "ambiguous", e,
                   "the DOS directory attribute is set but the name does not end in '/' "
                   "(7-Zip makes a directory, other extractors a file)");
    if (ftype == 0)
        goto sizes;
    if (dir != (ftype == 0040000))
        return bad(x, "ambiguous", e,
                   dir ? "the name ends in '/' but the Unix mode (0%o) is not a directory's"
                       : "the Unix mode (0%o) is a directory's but the name does not end in '/'",
                   (unsigned)(e->ext >> 16));
    if (ftype == 0120000 && host == 3) {
        e->type = 'l'; /* reported by verify as an unsafe entry */
    } else if (ftype != 0100000 && ftype != 0040000) {
        return bad(x, "ambiguous", e,
                   "the Unix mode 0%o (made by host %u) is neither a file's nor a "
                   "directory's; extractors disagree on what it is",
                   (unsigned)(e->ext >> 16), (unsigned)host);
    }
sizes:
    if (dir && e->usize != 0)
        return bad(x, "archive", e, "a directory entry holding %llu bytes of data",
                   (unsigned long long)e->usize);
    return ARTBAG_OK;
}

static int check_name(struct ctx *x, struct cent *e)
{
    int ascii = 1;

    if (e->name_len == 0)
        return bad(x, "archive", NULL, "an entry with an empty name");
    for (size_t i = 0; i < e->name_len; i++) {
        unsigned c = e->name[i];

        if (c < 0x20 || c == 0x7f || c == '\\')
            return bad(x, "ambiguous", e,
                       "the name holds a control character or a backslash, which extractors "
                       "treat differently");
        if (c >= 0x80)
            ascii = 0;
    }
    /* unzip rewrites names from some hosts (VMS versions, Acorn file types, OEM code pages),
     * whatever the UTF-8 flag says: only the hosts whose names every reader takes as they are */
    switch (e->made_by >> 8) {
    case 0:  /* MS-DOS, FAT */
    case 3:  /* Unix */
    case 11: /* NTFS */
    case 14: /* VFAT */
    case 19: /* OS X */
        break;
    default:
        return bad(x, "ambiguous", e, "made by host %u, whose names unzip rewrites on extraction",
                   (unsigned)(e->made_by >> 8));
    }
    if (!ascii && (e->made_by >> 8 == 0 || e->made_by >> 8 == 11))
        return bad(x, "ambiguous", e,
                   "a non-ASCII name made by host %u (MS-DOS or NTFS): unzip converts it from "
                   "an OEM code page even with the UTF-8 flag, other extractors do not",
                   (unsigned)(e->made_by >> 8));
    if (!ascii && !(e->flags & FLAG_UTF8))
        return bad(x, "ambiguous", e,
                   "a non-ASCII name without the UTF-8 flag (bit 11): Python reads it as "
                   "CP437, other extractors as raw bytes");
    if (!ascii && !utf8_valid(e->name, e->name_len))
        return bad(x, "archive", e, "the name is not valid UTF-8");
    if (!ascii) {
        /* libarchive (bsdtar) converts a UTF-8 name to Unicode NFC as it reads it, while unzip,
         * 7-Zip and Python keep the bytes: a name in another form has two meanings. */
        char *name = artbag_memdup_str((const char *)e->name, e->name_len);
        char *nfc = name ? artbag_utf8_nfc(name) : NULL;
        int same = nfc && strcmp(nfc, name) == 0;

        free(name);
        free(nfc);
        if (!nfc)
            return artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
        if (!same)
            return bad(x, "ambiguous", e,
                       "the name is not in Unicode NFC: bsdtar extracts it under another name "
                       "than unzip");
    }
    return ARTBAG_OK;
}

/* Parses central entry i at cd[pos]; returns its length through *len. */
static int parse_central(struct ctx *x, size_t i, uint64_t pos, uint64_t cd_len, size_t *len)
{
    const unsigned char *p = x->cd + pos;
    struct cent *e = &x->ents[i];
    uint32_t nlen, elen, clen, disk;
    struct extras ex;
    size_t z = 0;
    int rc;

    if (cd_len - pos < CENTRAL_LEN || memcmp(p, "PK\1\2", 4) != 0)
        return bad(x, "archive", NULL, "central directory entry %zu: bad signature", i + 1);
    nlen = le16(p + 28);
    elen = le16(p + 30);
    clen = le16(p + 32);
    if (cd_len - pos - CENTRAL_LEN < (uint64_t)nlen + elen + clen)
        return bad(x, "archive", NULL, "central directory entry %zu runs past its end", i + 1);
    *len = CENTRAL_LEN + nlen + elen + clen;
    memset(e, 0, sizeof(*e));
    e->made_by = le16(p + 4);
    e->needed = le16(p + 6);
    e->flags = le16(p + 8);
    e->method = le16(p + 10);
    e->crc = le32(p + 16);
    e->csize = le32(p + 20);
    e->usize = le32(p + 24);
    disk = le16(p + 34);
    e->internal = le16(p + 36);
    e->ext = le32(p + 38);
    e->offset = le32(p + 42);
    e->name = p + CENTRAL_LEN;
    e->name_len = nlen;
    if ((rc = check_name(x, e)) != ARTBAG_OK)
        return rc;
    if ((rc = parse_extra(x, e, p + CENTRAL_LEN + nlen, elen, "central", &ex)) != ARTBAG_OK)
        return rc;
    /* zip64: exactly the fields the header marks as too large, in the standard order */
    {
        uint64_t *f[3] = {&e->usize, &e->csize, &e->offset};
        size_t need = 0;

        for (int k = 0; k < 3; k++)
            need += *f[k] == U32_MAX ? 8 : 0;
        need += disk == 0xffff ? 4 : 0;
        if (need != (ex.z64 ? ex.z64_len : 0))
            return bad(x, "ambiguous", e,
                       "the central zip64 extra field holds %zu bytes where the header calls "
                       "for %zu",
                       ex.z64 ? ex.z64_len : (size_t)0, need);
        for (int k = 0; k < 3; k++)
            if (*f[k] == U32_MAX) {
                *f[k] = le64(ex.z64 + z);
                z += 8;
            }
        if (disk == 0xffff)
            disk = le32(ex.z64 + z);
    }
    if (disk != 0)
        return bad(x, "archive", e, "the entry starts on disk %u: multi-disk archives are not read",
                   (unsigned)disk);
    if (e->flags & FLAG_CRYPT)
        return bad(x, "archive", e, "an encrypted entry");
    if (e->flags & ~FLAGS_OK)
        return bad(x, "ambiguous", e,
                   "general purpose flags 0x%04x, which extractors read "
                   "differently",
                   (unsigned)e->flags);
    if (e->method != 0 && e->method != 8)
        return bad(x, "archive", e,
                   "compression method %u: only stored (0) and deflate (8) are read by every "
                   "extractor",
                   (unsigned)e->method);
    if (e->needed > VERSION_MAX)
        return bad(x, "ambiguous", e, "it needs zip version %u.%u, which not every extractor has",
                   (unsigned)e->needed / 10, (unsigned)e->needed % 10);
    if (e->method == 0 && e->csize != e->usize)
        return bad(x, "archive", e, "a stored entry whose sizes differ (%llu and %llu bytes)",
                   (unsigned long long)e->csize, (unsigned long long)e->usize);
    if (ex.has_xl && (((ex.xl_bitmap & 1) && ex.xl_made_by != e->made_by) ||
                      ((ex.xl_bitmap & 4) && ex.xl_ext != e->ext)))
        return bad(x, "ambiguous", e, "its 'xl' extra field (0x6c78) disagrees with its header");
    return check_type(x, e);
}

/*
 * Inflates (or reads) one entry's data, [start, start + csize): it must end exactly there and
 * give usize bytes with the central CRC-32, so no byte inside an entry goes unread.
 */
static int check_data(struct ctx *x, const struct cent *e, uint64_t start)
{
    z_stream zs;
    uint64_t left = e->csize, out = 0;
    uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
    unsigned char *in = x->zbuf, *obuf = x->zbuf + ZBUF;
    int rc = ARTBAG_OK, zr = Z_OK;

    if (e->method == 0) {
        while (left > 0) {
            size_t n = left < ZBUF ? (size_t)left : ZBUF;

            if ((rc = zread(x, start + (e->csize - left), in, n)) != ARTBAG_OK)
                return rc;
            crc = (uint32_t)crc32(crc, in, (uInt)n);
            out += n;
            left -= n;
        }
        goto sums;
    }
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, -15) != Z_OK)
        return artbag_error_set(x->err, ARTBAG_EINTERNAL, "zlib inflateInit2 failed");
    while (zr != Z_STREAM_END) {
        if (artbag_cancelled()) {
            rc = artbag_error_set(x->err, ARTBAG_EIO, "interrupted");
            goto cleanup;
        }
        if (zs.avail_in == 0) {
            size_t n = left < ZBUF ? (size_t)left : ZBUF;

            if (n == 0) {
                rc = bad(x, "archive", e,
                         "the deflate data does not end within its compressed size (%llu bytes)",
                         (unsigned long long)e->csize);
                goto cleanup;
            }
            if ((rc = zread(x, start + (e->csize - left), in, n)) != ARTBAG_OK)
                goto cleanup;
            left -= n;
            zs.next_in = in;
            zs.avail_in = (uInt)n;
        }
        zs.next_out = obuf;
        zs.avail_out = ZBUF;
        zr = inflate(&zs, Z_NO_FLUSH);
        if (zr == Z_MEM_ERROR) {
            rc = artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
            goto cleanup;
        }
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            rc = bad(x, "archive", e, "corrupt deflate data: %s",
                     zs.msg ? zs.msg : "inflate failed");
            goto cleanup;
        }
        crc = (uint32_t)crc32(crc, obuf, (uInt)(ZBUF - zs.avail_out));
        out += ZBUF - zs.avail_out;
        if (out > e->usize) {
            rc = bad(x, "archive", e, "the data inflates to more than its size (%llu bytes)",
                     (unsigned long long)e->usize);
            goto cleanup;
        }
    }
    if (zs.avail_in > 0 || left > 0) {
        rc = bad(x, "ambiguous", e,
                 "the deflate data ends %llu bytes before its compressed size; those bytes are "
                 "hidden inside the entry",
                 (unsigned long long)(zs.avail_in + left));
        goto cleanup;
    }
sums:
    if (out != e->usize)
        rc = bad(x, "archive", e, "the data is %llu bytes, the central directory says %llu",
                 (unsigned long long)out, (unsigned long long)e->usize);
    else if (crc != e->crc)
        rc = bad(x, "archive", e, "CRC-32 mismatch (central directory %08x, data %08x)",
                 (unsigned)e->crc, (unsigned)crc);
cleanup:
    if (e->method != 0)
        inflateEnd(&zs);
    return rc;
}

/* A local header field must equal the central one, or be 0 when a data descriptor follows. */
static int local_agrees(const struct cent *e, uint64_t local, uint64_t central)
{
    return local == central || ((e->flags & FLAG_DESC) && local == 0);
}

/* Checks the local header, data and descriptor of e; sets e->end. */
static int check_local(struct ctx *x, struct cent *e, uint64_t limit)
{
    unsigned char h[LOCAL_LEN], *var = NULL;
    uint32_t nlen, elen, flags, method;
    uint64_t csize, usize, start;
    struct extras ex;
    int rc, z64 = 0;

    if (limit - e->offset < LOCAL_LEN)
        return bad(x, "archive", e, "its local header runs into the central directory");
    if ((rc = zread(x, e->offset, h, LOCAL_LEN)) != ARTBAG_OK)
        return rc;
    if (memcmp(h, "PK\3\4", 4) != 0)
        return bad(x, "archive", e, "no local header at offset %llu",
                   (unsigned long long)e->offset);
    flags = le16(h + 6);
    method = le16(h + 8);
    csize = le32(h + 18);
    usize = le32(h + 22);
    nlen = le16(h + 26);
    elen = le16(h + 28);
    if (limit - e->offset - LOCAL_LEN < (uint64_t)nlen + elen)
        return bad(x, "archive", e, "its local header runs into the central directory");
    if (!(var = malloc((size_t)nlen + elen + 1)))
        return artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
    if ((rc = zread(x, e->offset + LOCAL_LEN, var, (size_t)nlen + elen)) != ARTBAG_OK)
        goto cleanup;
    if (nlen != e->name_len || memcmp(var, e->name, nlen) != 0) {
        rc = bad(x, "ambiguous", e,
                 "the local header names it '%.*s' (libarchive reads one name, unzip the other)",
                 (int)nlen, (const char *)var);
        goto cleanup;
    }
    if (le16(h + 4) > VERSION_MAX) {
        rc = bad(x, "ambiguous", e, "the local header needs zip version %u.%u",
                 (unsigned)le16(h + 4) / 10, (unsigned)le16(h + 4) % 10);
        goto cleanup;
    }
    if (flags != e->flags) {
        rc = bad(x, "ambiguous", e,
                 "general purpose flags differ: local header 0x%04x, central directory 0x%04x",
                 (unsigned)flags, (unsigned)e->flags);
        goto cleanup;
    }
    if (method != e->method) {
        rc = bad(x, "ambiguous", e,
                 "compression method differs: local header %u, central directory %u",
                 (unsigned)method, (unsigned)e->method);
        goto cleanup;
    }
    if ((rc = parse_extra(x, e, var + nlen, elen, "local", &ex)) != ARTBAG_OK)
        goto cleanup;
    if (ex.has_xl && (((ex.xl_bitmap & 1) && ex.xl_made_by != e->made_by) ||
                      ((ex.xl_bitmap & 2) && ex.xl_internal != e->internal) ||
                      ((ex.xl_bitmap & 4) && ex.xl_ext != e->ext))) {
        rc = bad(x, "ambiguous", e,
                 "the local 'xl' extra field (0x6c78) gives other attributes than the central "
                 "directory");
        goto cleanup;
    }
    /* zip64 in a local header: both sizes, as the spec says, when either is marked */
    if (csize == U32_MAX || usize == U32_MAX) {
        if (csize != U32_MAX || usize != U32_MAX || !ex.z64 || ex.z64_len != 16) {
            rc = bad(x, "ambiguous", e,
                     "the local header marks its sizes as zip64 without a zip64 extra field "
                     "holding both");
            goto cleanup;
        }
    }
    if (ex.z64) {
        uint64_t zu, zc;

        if (ex.z64_len != 16) {
            rc = bad(x, "ambiguous", e, "a local zip64 extra field of %zu bytes", ex.z64_len);
            goto cleanup;
        }
        zu = le64(ex.z64);
        zc = le64(ex.z64 + 8);
        if (!local_agrees(e, zu, e->usize) || !local_agrees(e, zc, e->csize)) {
            rc = bad(x, "ambiguous", e,
                     "the local zip64 sizes (%llu, %llu) differ from the central directory's "
                     "(%llu, %llu)",
                     (unsigned long long)zc, (unsigned long long)zu, (unsigned long long)e->csize,
                     (unsigned long long)e->usize);
            goto cleanup;
        }
        if (csize == U32_MAX)
            csize = zc, usize = zu;
        z64 = 1;
    }
    if (!local_agrees(e, csize, e->csize) || !local_agrees(e, usize, e->usize)) {
        rc = bad(x, "ambiguous", e,
                 "sizes differ: local header %llu/%llu bytes, central directory %llu/%llu "
                 "(compressed/uncompressed)",
                 (unsigned long long)csize, (unsigned long long)usize, (unsigned long long)e->csize,
                 (unsigned long long)e->usize);
        goto cleanup;
    }
    if (!local_agrees(e, le32(h + 14), e->crc)) {
        rc = bad(x, "ambiguous", e, "CRC-32 differs: local header %08x, central directory %08x",
                 (unsigned)le32(h + 14), (unsigned)e->crc);
        goto cleanup;
    }
    start = e->offset + LOCAL_LEN + nlen + elen;
    if (limit - start < e->csize) {
        rc = bad(x, "archive", e, "its data runs into the next entry or the central directory");
        goto cleanup;
    }
    e->end = start + e->csize;
    if (e->flags & FLAG_DESC) {
        /* optional signature, CRC-32, then 4-byte sizes (8-byte when the entry is zip64) */
        unsigned char d[24];
        size_t have = limit - e->end < sizeof(d) ? (size_t)(limit - e->end) : sizeof(d);
        size_t off = 0, w = z64 ? 8 : 4;

        if ((rc = zread(x, e->end, d, have)) != ARTBAG_OK)
            goto cleanup;
        if (have >= 4 && memcmp(d, "PK\7\10", 4) == 0)
            off = 4;
        if (have < off + 4 + 2 * w || le32(d + off) != e->crc ||
            (w == 8 ? le64(d + off + 4) : le32(d + off + 4)) != e->csize ||
            (w == 8 ? le64(d + off + 4 + w) : le32(d + off + 4 + w)) != e->usize) {
            rc = bad(x, "ambiguous", e,
                     "its data descriptor is missing or disagrees with the central directory");
            goto cleanup;
        }
        e->end += off + 4 + 2 * w;
    }
    rc = check_data(x, e, start);
cleanup:
    free(var);
    return rc;
}

static int cmp_offset(const void *a, const void *b)
{
    const struct cent *x = *(struct cent *const *)a, *y = *(struct cent *const *)b;

    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Names compared without a trailing '/': "d/" and "d" are the same path on disk. */
static int cmp_name(const void *a, const void *b)
{
    const struct cent *x = *(struct cent *const *)a, *y = *(struct cent *const *)b;
    size_t lx = x->name_len - (x->name[x->name_len - 1] == '/');
    size_t ly = y->name_len - (y->name[y->name_len - 1] == '/');
    int c = memcmp(x->name, y->name, lx < ly ? lx : ly);

    return c ? c : (lx > ly) - (lx < ly);
}

static int check(struct ctx *x)
{
    unsigned char tail[EOCD_LEN + COMMENT_MAX], loc[LOCATOR_LEN], z[EOCD64_LEN];
    uint64_t size = x->src.size, tail_at, eocd = 0, n_total, cd_off, cd_len, cd_end, pos;
    uint64_t total_usize = 0;
    size_t tail_len, i;
    struct cent **order = NULL;
    int rc, found = 0;

    /* A zip's end record is its last bytes, so a file cut short has none: all such cases are
     * one "truncated", which says what happened, and not a verdict on a zip half seen. */
    if (size < EOCD_LEN)
        return bad(x, "truncated", NULL,
                   "truncated zip archive at byte %llu: no end of central directory record",
                   (unsigned long long)size);
    tail_at = size > sizeof(tail) ? size - sizeof(tail) : 0;
    tail_len = (size_t)(size - tail_at);
    if ((rc = zread(x, tail_at, tail, tail_len)) != ARTBAG_OK)
        return rc == ARTBAG_EREJECT ? bad(x, "archive", NULL, "the file shrank while read") : rc;
    /* The last signature, as every reader searches backwards from the end. */
    for (size_t k = tail_len - EOCD_LEN + 1; k-- > 0;)
        if (memcmp(tail + k, "PK\5\6", 4) == 0) {
            eocd = tail_at + k;
            found = 1;
            break;
        }
    if (!found)
        return bad(x, "truncated", NULL,
                   "truncated zip archive at byte %llu: no end of central directory record",
                   (unsigned long long)size);
    {
        const unsigned char *e = tail + (eocd - tail_at);
        uint64_t clen = le16(e + 20), n_disk = le16(e + 8);
        uint32_t disk = le16(e + 4), cd_disk = le16(e + 6);

        if (eocd + EOCD_LEN + clen != size)
            return bad(x, eocd + EOCD_LEN + clen < size ? "ambiguous" : "archive", NULL,
                       "the end record's comment is %llu bytes, but %llu bytes follow the "
                       "record: nothing may follow the end record but its comment",
                       (unsigned long long)clen, (unsigned long long)(size - eocd - EOCD_LEN));
        if (has_sig(e + EOCD_LEN, (size_t)clen))
            return bad(x, "ambiguous", NULL, "the archive comment holds a zip signature");
        n_total = le16(e + 10);
        cd_len = le32(e + 12);
        cd_off = le32(e + 16);
        cd_end = eocd;
        if (eocd >= LOCATOR_LEN && (rc = zread(x, eocd - LOCATOR_LEN, loc, LOCATOR_LEN)) == 0 &&
            memcmp(loc, "PK\6\7", 4) == 0) {
            uint64_t z_at = le64(loc + 8);

            if (le32(loc + 4) != 0 || le32(loc + 16) > 1)
                return bad(x, "archive", NULL, "a multi-disk archive (zip64 locator)");
            if (z_at > eocd - LOCATOR_LEN || eocd - LOCATOR_LEN - z_at != EOCD64_LEN ||
                zread(x, z_at, z, EOCD64_LEN) != ARTBAG_OK || memcmp(z, "PK\6\6", 4) != 0 ||
                le64(z + 4) != EOCD64_LEN - 12)
                return bad(x, "ambiguous", NULL,
                           "the zip64 end record is not right before its locator, or has "
                           "extensible data");
            if (le32(z + 16) != 0 || le32(z + 20) != 0 || le64(z + 24) != le64(z + 32))
                return bad(x, "archive", NULL, "a multi-disk archive (zip64 end record)");
            if ((n_total != 0xffff && n_total != le64(z + 32)) ||
                (n_disk != 0xffff && n_disk != le64(z + 24)) ||
                (cd_len != U32_MAX && cd_len != le64(z + 40)) ||
                (cd_off != U32_MAX && cd_off != le64(z + 48)))
                return bad(x, "ambiguous", NULL,
                           "the end record and the zip64 end record disagree on the central "
                           "directory");
            n_total = n_disk = le64(z + 32);
            cd_len = le64(z + 40);
            cd_off = le64(z + 48);
            cd_end = z_at;
        } else if (rc == ARTBAG_EIO) {
            return rc;
        }
        /* 7-Zip takes differing counts for a multi-disk archive even beside zip64 records */
        if (le16(e + 8) != le16(e + 10))
            return bad(x, "archive", NULL,
                       "the end record counts %u entries on this disk and %u in all",
                       (unsigned)le16(e + 8), (unsigned)le16(e + 10));
        if (disk != 0 || cd_disk != 0 || n_disk != n_total)
            return bad(x, "archive", NULL, "a multi-disk archive");
    }
    if (cd_off > cd_end || cd_end - cd_off != cd_len)
        return bad(x, "ambiguous", NULL,
                   "the central directory (%llu bytes at offset %llu) does not end where the "
                   "end record begins (offset %llu)",
                   (unsigned long long)cd_len, (unsigned long long)cd_off,
                   (unsigned long long)cd_end);
    if (cd_len > CD_MAX)
        return bad(x, "archive", NULL, "a central directory larger than %llu bytes",
                   (unsigned long long)CD_MAX);
    if (n_total == 0 || n_total > cd_len / CENTRAL_LEN)
        return bad(x, "archive", NULL,
                   "the end record counts %llu entries, which a central directory of %llu "
                   "bytes cannot hold",
                   (unsigned long long)n_total, (unsigned long long)cd_len);
    /* Another end signature inside the central directory could be taken by a reader that
     * searches differently; the window searched above covers it. */
    for (uint64_t k = cd_off > tail_at ? cd_off : tail_at; k + 4 <= eocd; k++)
        if (memcmp(tail + (k - tail_at), "PK\5\6", 4) == 0)
            return bad(x, "ambiguous", NULL,
                       "a second end of central directory signature at offset %llu",
                       (unsigned long long)k);
    x->cd = malloc((size_t)cd_len + 1);
    x->ents = calloc((size_t)n_total, sizeof(*x->ents));
    order = calloc((size_t)n_total, sizeof(*order));
    if (!x->cd || !x->ents || !order) {
        rc = artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    if ((rc = zread(x, cd_off, x->cd, (size_t)cd_len)) != ARTBAG_OK)
        goto cleanup;
    for (pos = 0, i = 0; pos < cd_len; i++) {
        size_t len = 0;

        if (i == n_total) {
            rc = bad(x, "ambiguous", NULL,
                     "the end record counts %llu entries, the central directory holds more",
                     (unsigned long long)n_total);
            goto cleanup;
        }
        if ((rc = parse_central(x, i, pos, cd_len, &len)) != ARTBAG_OK)
            goto cleanup;
        pos += len;
        order[i] = &x->ents[i];
    }
    x->n = i;
    if (i != n_total) {
        rc = bad(x, "ambiguous", NULL,
                 "the end record counts %llu entries, the central directory holds %zu",
                 (unsigned long long)n_total, i);
        goto cleanup;
    }
    qsort(order, x->n, sizeof(*order), cmp_name);
    for (i = 1; i < x->n; i++)
        if (cmp_name(&order[i - 1], &order[i]) == 0) {
            rc = bad(x, "ambiguous", order[i],
                     "two central directory entries have this name; extractors keep one or "
                     "the other");
            goto cleanup;
        }
    for (i = 0; i < x->n; i++) {
        total_usize += x->ents[i].usize;
        if (total_usize < x->ents[i].usize || total_usize > x->max_bytes) {
            rc = bad(x, "too-large", &x->ents[i],
                     "unpacked data exceeds the limit of %llu bytes (the max_bytes option)",
                     (unsigned long long)x->max_bytes);
            goto cleanup;
        }
    }
    /* The entries must tile [0, cd_off): each starts where the one before ended. */
    qsort(order, x->n, sizeof(*order), cmp_offset);
    pos = 0;
    for (i = 0; i < x->n; i++) {
        struct cent *e = order[i];

        if (e->offset < pos) {
            rc = bad(x, "ambiguous", e, "its local header at offset %llu lies inside '%.*s'",
                     (unsigned long long)e->offset, (int)order[i - 1]->name_len,
                     (const char *)order[i - 1]->name);
            goto cleanup;
        }
        if (e->offset > pos) {
            rc = bad(x, "ambiguous", e,
                     i ? "%llu bytes hidden between the previous entry and this one"
                       : "%llu bytes before the first entry (prepended data)",
                     (unsigned long long)(e->offset - pos));
            goto cleanup;
        }
        if (e->offset >= cd_off) {
            rc = bad(x, "archive", e, "its local header offset points into the central directory");
            goto cleanup;
        }
        if ((rc = check_local(x, e, cd_off)) != ARTBAG_OK)
            goto cleanup;
        pos = e->end;
    }
    if (pos != cd_off) {
        rc = bad(x, "ambiguous", NULL,
                 "%llu bytes hidden between the last entry and the central directory",
                 (unsigned long long)(cd_off - pos));
        goto cleanup;
    }
    /* Debian's unzip 6 (its zip-bomb check) refuses as "overlapped components" every zip in
     * which an entry without the UTF-8 flag has a Unicode Path field and any entry has a data
     * descriptor, wherever each is; other extractors read it. Found by the 100,000-mutant
     * differential run; the rule is the whole class that run's probes mapped out. */
    for (i = 0; i < x->n; i++)
        x->any_desc |= (x->ents[i].flags & FLAG_DESC) != 0;
    if (x->upath_unflagged && x->any_desc) {
        rc = bad(x, "ambiguous", x->upath_unflagged,
                 "a Unicode Path extra field (0x7075) without the UTF-8 flag, in a zip with data "
                 "descriptors: unzip refuses such a zip as overlapping, other extractors read it");
        goto cleanup;
    }
    /* Hand the entries out in central-directory order. */
    x->zc->entries = calloc(x->n, sizeof(*x->zc->entries));
    if (!x->zc->entries) {
        rc = artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < x->n; i++) {
        struct artbag_zipentry *o = &x->zc->entries[i];

        o->name = artbag_memdup_str(x->ents[i].name, x->ents[i].name_len);
        if (!o->name) {
            rc = artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
            goto cleanup;
        }
        o->size = x->ents[i].usize;
        o->type = x->ents[i].type;
        x->zc->n = i + 1;
    }
    rc = ARTBAG_OK;
cleanup:
    free(order);
    return rc;
}

static int run(struct ctx *x)
{
    int rc;

    memset(x->zc, 0, sizeof(*x->zc));
    x->zbuf = malloc(2 * ZBUF);
    if (!x->zbuf)
        return artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
    rc = check(x);
    if (rc != ARTBAG_OK && x->zc->entries) {
        struct artbag_zipcheck keep = {.kind = x->zc->kind, .entry = x->zc->entry};

        x->zc->entry = NULL;
        artbag_zipcheck_release(x->zc);
        *x->zc = keep;
    }
    free(x->zbuf);
    free(x->cd);
    free(x->ents);
    return rc;
}

int artbag_zipcheck_fd(int fd, uint64_t size, uint64_t max_bytes, struct artbag_zipcheck *zc,
                       struct artbag_error *err)
{
    struct ctx x = {{NULL, fd, size}, zc, err, max_bytes, NULL, NULL, 0, NULL, NULL, 0};

    return run(&x);
}

int artbag_zipcheck_mem(const void *buf, size_t len, uint64_t max_bytes, struct artbag_zipcheck *zc,
                        struct artbag_error *err)
{
    struct ctx x = {{buf, -1, len}, zc, err, max_bytes, NULL, NULL, 0, NULL, NULL, 0};

    return run(&x);
}

void artbag_zipcheck_release(struct artbag_zipcheck *zc)
{
    for (size_t i = 0; i < zc->n; i++)
        free(zc->entries[i].name);
    free(zc->entries);
    free(zc->entry);
    memset(zc, 0, sizeof(*zc));
}
