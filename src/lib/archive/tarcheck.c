/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * tarcheck.c - a strict streaming validator of tar headers, run over the same decompressed bytes
 * libarchive reads, so verify accepts only header combinations that every mainstream reader
 * (GNU tar, bsdtar/libarchive, Python tarfile, busybox, 7-Zip) resolves to the same entries.
 *
 * It never extracts anything: it parses headers and extended headers, skips data by arithmetic,
 * and queues one resolved entry (name bytes, type, size, offset) per real entry for the caller
 * to compare with what libarchive returned. Everything outside the accepted set is refused with
 * a message naming the entry and what readers would do differently.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/archive.h"

#define BLOCK 512
/* Extended headers hold a path (at most 4095 bytes is restorable) and a few short records. */
#define EXT_MAX (64 * 1024)

enum { S_HEADER, S_EXT, S_SKIP, S_END, S_FAILED };

/* What the pending pax header said; reset at each entry. */
struct pax {
    char *path;
    size_t path_len;
    int has_size;
    uint64_t size;
    int linkpath;
};

struct artbag_tarcheck {
    int state;
    uint64_t pos;             /* bytes consumed so far */
    unsigned char hdr[BLOCK]; /* a header block being gathered */
    size_t have;              /* bytes in hdr */
    unsigned char *ext;       /* an extended header's data being gathered */
    size_t ext_len, ext_need; /* gathered, expected */
    uint64_t skip;            /* data and padding still to skip */
    int pending;              /* 0, 'x' or 'L': the extended header before the entry */
    uint64_t entry_off;       /* offset of the entry's first header (extended or not) */
    char ext_name[101];       /* the pending extended header's own name, for messages */
    struct pax pax;           /* from a pending 'x' */
    char *longname;           /* from a pending 'L' */
    size_t longname_len;
    uint64_t end_zeros;          /* zero bytes from the end-of-archive marker on */
    struct artbag_tarentry *q;   /* parsed entries not yet taken */
    size_t q_head, q_len, q_cap; /* a ring */
    struct artbag_tarentry taken;
    const char *kind;
    char *err_path;
    char msg[256];
};

int artbag_tarcheck_new(struct artbag_tarcheck **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? ARTBAG_OK : ARTBAG_EIO;
}

static void pax_reset(struct pax *p)
{
    free(p->path);
    memset(p, 0, sizeof(*p));
}

void artbag_tarcheck_free(struct artbag_tarcheck *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->q_len; i++)
        free(t->q[(t->q_head + i) % t->q_cap].name);
    free(t->q);
    free(t->taken.name);
    free(t->ext);
    free(t->longname);
    pax_reset(&t->pax);
    free(t->err_path);
    free(t);
}

/* Records the refusal; the validator then ignores the rest of the stream. */
static int fail(struct artbag_tarcheck *t, const char *kind, const char *path, size_t path_len,
                const char *fmt, ...) ARTBAG_PRINTF(5, 6);

static int fail(struct artbag_tarcheck *t, const char *kind, const char *path, size_t path_len,
                const char *fmt, ...)
{
    va_list ap;

    t->state = S_FAILED;
    t->kind = kind;
    free(t->err_path);
    t->err_path = NULL;
    if (path && path_len) {
        /* Cut at a NUL or at 255 bytes: the message names the entry, it need not be whole. */
        size_t n = strnlen(path, path_len < 255 ? path_len : 255);

        t->err_path = n ? artbag_memdup_str(path, n) : NULL;
    }
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
    va_end(ap);
    return ARTBAG_EREJECT;
}

/* What to call the entry a pending extended header belongs to: the name it gives, if any. */
static const char *pending_name(const struct artbag_tarcheck *t)
{
    return t->pax.path ? t->pax.path : t->longname ? t->longname : t->ext_name;
}

/* A NUL-terminated (or full) string field: its length, or -1 when bytes follow its NUL. */
static long str_field(const unsigned char *p, size_t w)
{
    size_t n = strnlen((const char *)p, w);

    for (size_t i = n; i < w; i++)
        if (p[i])
            return -1;
    return (long)n;
}

/*
 * A numeric field: optional leading spaces, octal digits, then only spaces and NULs. That is the
 * form every reader parses alike; GNU tar skips a leading NUL and tabs, Python strips any
 * whitespace and stops at the first NUL, busybox takes whatever strtoull takes ("-1", "+7"),
 * so anything looser means different numbers to different readers.
 */
static const char *octal_field(const unsigned char *p, size_t w, int may_be_empty, uint64_t *v)
{
    size_t i = 0, start;

    *v = 0;
    if (p[0] & 0x80)
        return "a base-256 (binary) number, a GNU extension that busybox and older readers "
               "take as garbage and that no writer needs below 8 GiB";
    while (i < w && p[i] == ' ')
        i++;
    start = i;
    while (i < w && p[i] >= '0' && p[i] <= '7') {
        *v = *v * 8 + (uint64_t)(p[i] - '0'); /* at most 12 digits: no overflow */
        i++;
    }
    if (i == start) {
        if (may_be_empty && artbag_all_zero(p, w))
            return NULL;
        return "a numeric field without octal digits";
    }
    while (i < w && (p[i] == ' ' || p[i] == '\0'))
        i++;
    if (i != w)
        return "a numeric field with bytes other than octal digits, spaces and NULs";
    return NULL;
}

static int is_decimal(const char *s, size_t n, size_t max_digits)
{
    if (!n || n > max_digits || (n > 1 && s[0] == '0'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* A pax time: [-]digits[.digits], as GNU tar, bsdtar and Python write it. */
static int is_pax_time(const char *s, size_t n)
{
    size_t i = 0, d = 0;

    if (n && s[0] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, d++;
    if (!d || d > 11)
        return 0;
    if (i == n)
        return 1;
    if (s[i++] != '.')
        return 0;
    for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        d++;
    return i == n && d > 0 && d <= 9;
}

/*
 * One pax extended header's records: exactly "LEN KEY=VALUE\n" end to end, LEN the decimal
 * length of the whole record without leading zeros. Only keys that say nothing readers could
 * take differently are accepted; the rest are refused by name.
 */
static int parse_pax(struct artbag_tarcheck *t, const char *d, size_t n)
{
    static const char *const plain[] = {"mtime",   "atime",      "ctime", "LIBARCHIVE.creationtime",
                                        "uid",     "gid",        "uname", "gname",
                                        "comment", "hdrcharset", "size",  "path",
                                        "linkpath"};
    unsigned seen = 0;
    size_t off = 0;

    while (off < n) {
        const char *rec = d + off, *sp, *eq, *key, *val;
        size_t len = 0, i, klen, vlen, k;

        for (i = 0; off + i < n && rec[i] >= '0' && rec[i] <= '9' && i < 8; i++)
            len = len * 10 + (size_t)(rec[i] - '0');
        if (!i || rec[0] == '0' || off + i >= n || rec[i] != ' ')
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "a pax record at byte %zu without a decimal length and a space", off);
        sp = rec + i;
        if (len > n - off || len < i + 4 || rec[len - 1] != '\n')
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "a pax record at byte %zu whose length does not end it at a newline", off);
        key = sp + 1;
        eq = memchr(key, '=', (size_t)(rec + len - 1 - key));
        if (!eq || eq == key)
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "a pax record at byte %zu without 'key='", off);
        klen = (size_t)(eq - key);
        val = eq + 1;
        vlen = (size_t)(rec + len - 1 - val);
        for (k = 0; k < sizeof(plain) / sizeof(*plain); k++)
            if (strlen(plain[k]) == klen && memcmp(plain[k], key, klen) == 0)
                break;
        if (k == sizeof(plain) / sizeof(*plain))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%.*s' is not one every reader applies alike (only path, "
                        "size, times, uid, gid, uname, gname, comment and hdrcharset are "
                        "accepted)",
                        (int)(klen > 64 ? 64 : klen), key);
        if (seen & (1u << k))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' given twice in one header: readers keep either", plain[k]);
        seen |= 1u << k;
        if (!vlen)
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' with an empty value, which some readers take as unset "
                        "and others as empty",
                        plain[k]);
        if (memchr(val, '\0', vlen))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' with a NUL in its value, where C readers stop", plain[k]);
        if (artbag_utf8_check((const unsigned char *)val, vlen, NULL) != ARTBAG_OK)
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' whose value is not UTF-8", plain[k]);
        /* Python searches the whole header for "hdrcharset=", values included. */
        if (strcmp(plain[k], "path") != 0 && memchr(val, '\n', vlen))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' with a newline in its value", plain[k]);
        if ((!strcmp(plain[k], "mtime") || !strcmp(plain[k], "atime") ||
             !strcmp(plain[k], "ctime") || !strcmp(plain[k], "LIBARCHIVE.creationtime")) &&
            !is_pax_time(val, vlen))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' is not a time ([-]seconds[.fraction])", plain[k]);
        if ((!strcmp(plain[k], "uid") || !strcmp(plain[k], "gid")) && !is_decimal(val, vlen, 9))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax key '%s' is not a decimal number below 10^9", plain[k]);
        if (!strcmp(plain[k], "hdrcharset") &&
            (vlen != 23 || memcmp(val, "ISO-IR 10646 2000 UTF-8", 23) != 0))
            return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                        "pax hdrcharset other than UTF-8: readers decode names differently");
        if (!strcmp(plain[k], "size")) {
            if (!is_decimal(val, vlen, 15))
                return fail(t, "ambiguous", t->ext_name, sizeof(t->ext_name),
                            "pax size is not a decimal number");
            t->pax.has_size = 1;
            for (size_t j = 0; j < vlen; j++)
                t->pax.size = t->pax.size * 10 + (uint64_t)(val[j] - '0');
        }
        if (!strcmp(plain[k], "linkpath"))
            t->pax.linkpath = 1;
        if (!strcmp(plain[k], "path")) {
            t->pax.path = artbag_memdup_str(val, vlen);
            if (!t->pax.path)
                return ARTBAG_EIO;
            t->pax.path_len = vlen;
            /* libarchive (bsdtar) converts a pax path to Unicode NFC as it reads it, while
             * GNU tar, busybox, 7-Zip and Python keep the bytes: a name in another form would
             * be extracted under two different names. A ustar or GNU long name is not
             * converted by anyone, so only the pax path has to be in NFC already. */
            char *nfc = artbag_utf8_nfc(t->pax.path);
            int same = nfc && strcmp(nfc, t->pax.path) == 0;
            free(nfc);
            if (!nfc) /* the value was checked to be UTF-8 above: only memory is short */
                return ARTBAG_EIO;
            if (!same)
                return fail(t, "ambiguous", val, vlen,
                            "pax path is not in Unicode NFC: bsdtar extracts it under another "
                            "name than GNU tar");
        }
        off += len;
    }
    return ARTBAG_OK;
}

/* A GNU 'L' longname: the name, NUL-terminated within the data, only NULs after it. */
static int parse_longname(struct artbag_tarcheck *t, const unsigned char *d, size_t n)
{
    size_t len = strnlen((const char *)d, n);

    if (len == n)
        return fail(t, "ambiguous", (const char *)d, n,
                    "a GNU long name not terminated by a NUL within its size");
    if (!len || !artbag_all_zero(d + len, n - len))
        return fail(t, "ambiguous", (const char *)d, len,
                    "a GNU long name that is empty or has bytes after its NUL");
    t->longname = artbag_memdup_str(d, len);
    if (!t->longname)
        return ARTBAG_EIO;
    t->longname_len = len;
    return ARTBAG_OK;
}

static int queue(struct artbag_tarcheck *t, char *name, size_t len, int type, uint64_t size,
                 uint64_t data_off)
{
    struct artbag_tarentry *e;

    if (t->q_len == t->q_cap) {
        size_t cap = t->q_cap ? t->q_cap * 2 : 16;
        struct artbag_tarentry *g = malloc(cap * sizeof(*g));

        if (!g) {
            free(name);
            return ARTBAG_EIO;
        }
        for (size_t i = 0; i < t->q_len; i++)
            g[i] = t->q[(t->q_head + i) % t->q_cap];
        free(t->q);
        t->q = g;
        t->q_head = 0;
        t->q_cap = cap;
    }
    e = &t->q[(t->q_head + t->q_len++) % t->q_cap];
    e->name = name;
    e->name_len = len;
    e->type = type;
    e->size = size;
    e->header_off = t->entry_off;
    e->data_off = data_off;
    return ARTBAG_OK;
}

/* Whether the last component of a name (trailing slashes aside) is "." or "..". */
static int dot_last(const char *s, size_t n)
{
    size_t start;

    while (n > 1 && s[n - 1] == '/')
        n--;
    for (start = n; start > 0 && s[start - 1] != '/'; start--)
        ;
    return (n - start == 1 && s[start] == '.') ||
           (n - start == 2 && s[start] == '.' && s[start + 1] == '.');
}

static const char *refused_type(int c)
{
    switch (c) {
    case 'g':
        return "a pax global header ('g'), which readers apply to different entries or ignore";
    case 'K':
        return "a GNU long link name ('K')";
    case 'S':
        return "a GNU sparse file ('S'), which readers that do not know it extract as its map";
    case 'V':
        return "a GNU volume label ('V')";
    case 'M':
        return "a GNU multi-volume continuation ('M')";
    case 'N':
        return "an old GNU long-names entry ('N')";
    case 'D':
        return "a GNU incremental directory dump ('D')";
    case '7':
        return "a contiguous file ('7'), which some readers extract and others skip";
    default:
        return NULL;
    }
}

/* One complete, non-zero header block at offset t->pos - BLOCK. */
static int header(struct artbag_tarcheck *t, const unsigned char *h)
{
    static const struct {
        size_t off, w;
        int may_be_empty;
        const char *what;
    } nums[] = {{100, 8, 0, "mode"},    {108, 8, 0, "uid"},    {116, 8, 0, "gid"},
                {124, 12, 0, "size"},   {136, 12, 0, "mtime"}, {329, 8, 1, "devmajor"},
                {337, 8, 1, "devminor"}};
    const char *name = (const char *)h, *why;
    uint64_t sum = 0, want, size = 0, v;
    int64_t ssum = 0;
    long nlen, plen = 0;
    int gnu, type = h[156], kind;
    char *resolved = NULL;
    size_t rlen;
    int rc;

    if (t->pending == 0)
        t->entry_off = t->pos - BLOCK;
    nlen = str_field(h, 100);
    /* The checksum field counts as eight spaces; a plain loop the compiler vectorises, since
     * this runs once per entry (a million times for some collections). */
    for (size_t i = 0; i < BLOCK; i++)
        sum += h[i];
    for (size_t i = 148; i < 156; i++)
        sum += (uint64_t)' ' - h[i];
    if (octal_field(h + 148, 8, 0, &want) || want != sum) {
        for (size_t i = 0; i < BLOCK; i++)
            ssum += i >= 148 && i < 156 ? ' ' : (signed char)h[i];
        if (!octal_field(h + 148, 8, 0, &want) && (int64_t)want == ssum)
            return fail(t, "ambiguous", name, 100,
                        "a header checksum valid only as a signed sum (old Sun tar), which "
                        "POSIX readers refuse");
        return fail(t, "archive", name, 100,
                    "bad header checksum at byte %llu (not a tar header, or corrupt)",
                    (unsigned long long)(t->pos - BLOCK));
    }
    if (memcmp(h + 257,
               "ustar\0"
               "00",
               8) == 0)
        gnu = 0;
    else if (memcmp(h + 257, "ustar  \0", 8) == 0)
        gnu = 1;
    else
        return fail(t, "ambiguous", name, 100,
                    "a header with neither POSIX nor GNU magic (pre-POSIX or unknown tar), "
                    "which readers resolve differently");
    /* GNU keeps atime, ctime, an offset and sparse data where POSIX keeps the name's prefix:
     * Python takes that area as a prefix whatever the magic says. */
    if (gnu ? !artbag_all_zero(h + 345, BLOCK - 345) : !artbag_all_zero(h + 500, BLOCK - 500))
        return fail(t, "ambiguous", name, 100,
                    gnu ? "a GNU header with data in its atime/ctime/sparse area, which Python "
                          "reads as a name prefix"
                        : "a header with data in its padding");
    if (nlen < 0)
        return fail(t, "ambiguous", name, 100, "a name field with bytes after its NUL");
    if (str_field(h + 157, 100) < 0 || str_field(h + 265, 32) < 0 || str_field(h + 297, 32) < 0 ||
        (!gnu && (plen = str_field(h + 345, 155)) < 0))
        return fail(t, "ambiguous", name, 100,
                    "a link name, owner or prefix field with bytes after its NUL");
    for (size_t i = 0; i < sizeof(nums) / sizeof(*nums); i++) {
        why = octal_field(h + nums[i].off, nums[i].w, nums[i].may_be_empty, &v);
        if (why)
            return fail(t, "ambiguous", name, 100, "%s: %s", nums[i].what, why);
        if (nums[i].off == 124)
            size = v;
    }

    if (type == 'x' || type == 'L') {
        if (t->pending)
            return fail(t, "ambiguous", pending_name(t), 255,
                        "an extended header ('%c') followed by another ('%c'): readers apply "
                        "either, both or neither",
                        t->pending, type);
        if (type == 'x' && gnu)
            return fail(t, "ambiguous", name, 100, "a pax header ('x') with GNU magic");
        if (type == 'L' && (gnu == 0 || strcmp(name, "././@LongLink") != 0))
            return fail(t, "ambiguous", name, 100,
                        "a GNU long name ('L') not as GNU tar writes it (GNU magic, name "
                        "'././@LongLink')");
        if (size > EXT_MAX)
            return fail(t, "ambiguous", name, 100, "an extended header larger than %d bytes",
                        EXT_MAX);
        if (str_field(h + 157, 100) != 0)
            return fail(t, "ambiguous", name, 100, "an extended header with a link name");
        t->pending = type;
        memcpy(t->ext_name, name, 100);
        t->ext_name[100] = '\0';
        t->ext_need = (size_t)size;
        t->ext_len = 0;
        if (!t->ext && !(t->ext = malloc(EXT_MAX ? EXT_MAX : 1)))
            return ARTBAG_EIO;
        t->state = S_EXT;
        if (size == 0) {
            t->state = S_HEADER;
            return type == 'x' ? parse_pax(t, "", 0) : parse_longname(t, t->ext, 0);
        }
        return ARTBAG_OK;
    }
    if (type == '0' || type == '\0')
        kind = ARTBAG_TARENTRY_FILE;
    else if (type == '5')
        kind = ARTBAG_TARENTRY_DIR;
    else if (type == '1' || type == '2' || type == '3' || type == '4' || type == '6')
        kind = ARTBAG_TARENTRY_OTHER; /* verify reports these as unsafe entries */
    else if ((why = refused_type(type)))
        return fail(t, "ambiguous", name, 100, "%s", why);
    else
        return fail(t, "ambiguous", name, 100,
                    "an entry of unknown type 0x%02x, which some readers extract as a file and "
                    "others skip",
                    type);

    /* The name every reader resolves: pax path, else GNU long name, else prefix/name. */
    if (t->pax.path) {
        resolved = t->pax.path;
        rlen = t->pax.path_len;
        t->pax.path = NULL;
    } else if (t->longname) {
        resolved = t->longname;
        rlen = t->longname_len;
        t->longname = NULL;
    } else {
        rlen = (size_t)nlen + (plen ? (size_t)plen + 1 : 0);
        resolved = malloc(rlen + 1);
        if (!resolved)
            return ARTBAG_EIO;
        if (plen) {
            memcpy(resolved, h + 345, (size_t)plen);
            resolved[plen] = '/';
        }
        memcpy(resolved + (plen ? plen + 1 : 0), name, (size_t)nlen);
        resolved[rlen] = '\0';
    }
    rc = ARTBAG_EREJECT;
    if (!rlen)
        fail(t, "ambiguous", name, 100, "an entry without a name");
    else if (t->pax.has_size && t->pax.size != size)
        fail(t, "ambiguous", resolved, rlen,
             "pax size %llu differs from the header's %llu: readers take either",
             (unsigned long long)t->pax.size, (unsigned long long)size);
    else if (t->pax.linkpath && type != '1' && type != '2')
        fail(t, "ambiguous", resolved, rlen, "a pax linkpath on an entry that is not a link");
    else if (kind == ARTBAG_TARENTRY_FILE &&
             (resolved[rlen - 1] == '/' || (type == '\0' && nlen && name[nlen - 1] == '/')))
        fail(t, "ambiguous", resolved, rlen,
             "a regular file whose name ends in '/', which readers make a directory (Python "
             "looks at the header's own name field)");
    else if (dot_last(resolved, rlen))
        fail(t, "ambiguous", resolved, rlen,
             "a name ending in '.' or '..' as its last component, which readers resolve to "
             "the directory itself, refuse or create");
    else if (kind != ARTBAG_TARENTRY_FILE && size != 0)
        fail(t, "ambiguous", resolved, rlen,
             "a %s with data (size %llu), which readers skip differently",
             kind == ARTBAG_TARENTRY_DIR ? "directory" : "link or special file",
             (unsigned long long)size);
    else if (kind == ARTBAG_TARENTRY_FILE && str_field(h + 157, 100) != 0)
        fail(t, "ambiguous", resolved, rlen, "a regular file with a link name");
    else
        rc = ARTBAG_OK;
    if (rc != ARTBAG_OK) {
        free(resolved);
        return rc;
    }
    t->pending = 0;
    pax_reset(&t->pax);
    rc = queue(t, resolved, rlen, kind, size, t->pos);
    if (rc != ARTBAG_OK)
        return rc;
    t->skip = (size + BLOCK - 1) / BLOCK * BLOCK;
    t->state = t->skip ? S_SKIP : S_HEADER;
    return ARTBAG_OK;
}

int artbag_tarcheck_feed(struct artbag_tarcheck *t, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    int rc = ARTBAG_OK;

    while (n > 0 && rc == ARTBAG_OK) {
        size_t take = 0;

        switch (t->state) {
        case S_FAILED:
            return ARTBAG_OK; /* the refusal is already recorded */
        case S_SKIP:
            take = t->skip < n ? (size_t)t->skip : n;
            t->skip -= take;
            if (!t->skip)
                t->state = S_HEADER;
            break;
        case S_HEADER:
            take = BLOCK - t->have < n ? BLOCK - t->have : n;
            memcpy(t->hdr + t->have, p, take);
            t->have += take;
            if (t->have < BLOCK)
                break;
            t->have = 0;
            t->pos += take;
            p += take;
            n -= take;
            take = 0;
            if (!artbag_all_zero(t->hdr, BLOCK)) {
                rc = header(t, t->hdr);
            } else if (t->pending) {
                rc = fail(t, "ambiguous", pending_name(t), 255,
                          "an extended header ('%c') followed by the end of the archive, not "
                          "by its entry",
                          t->pending);
            } else {
                t->state = S_END;
                t->end_zeros = BLOCK;
            }
            break;
        case S_EXT:
            take = t->ext_need - t->ext_len < n ? t->ext_need - t->ext_len : n;
            memcpy(t->ext + t->ext_len, p, take);
            t->ext_len += take;
            if (t->ext_len < t->ext_need)
                break;
            t->skip = (BLOCK - t->ext_need % BLOCK) % BLOCK;
            t->state = t->skip ? S_SKIP : S_HEADER;
            rc = t->pending == 'x' ? parse_pax(t, (const char *)t->ext, t->ext_len)
                                   : parse_longname(t, t->ext, t->ext_len);
            break;
        case S_END:
            take = n;
            if (!artbag_all_zero(p, n))
                rc = fail(t, "archive", NULL, 0,
                          "data after the end-of-archive marker (entries or a second archive "
                          "that readers stopping at the marker never see)");
            t->end_zeros += n;
            break;
        }
        t->pos += take;
        p += take;
        n -= take;
    }
    return rc == ARTBAG_EIO ? ARTBAG_EIO : ARTBAG_OK;
}

int artbag_tarcheck_finish(struct artbag_tarcheck *t)
{
    if (t->state == S_FAILED)
        return ARTBAG_EREJECT;
    if (t->state == S_END && t->end_zeros >= 2 * BLOCK)
        return ARTBAG_OK;
    if (t->pending)
        return fail(t, "ambiguous", pending_name(t), 255,
                    "an extended header ('%c') at the end of the stream, not followed by its "
                    "entry",
                    t->pending);
    return fail(t, "archive", NULL, 0,
                "the tar ends without its end-of-archive marker (truncated)");
}

int artbag_tarcheck_next(struct artbag_tarcheck *t, struct artbag_tarentry *e)
{
    free(t->taken.name);
    memset(&t->taken, 0, sizeof(t->taken));
    if (!t->q_len)
        return 0;
    t->taken = t->q[t->q_head];
    t->q_head = (t->q_head + 1) % t->q_cap;
    t->q_len--;
    *e = t->taken;
    return 1;
}

const char *artbag_tarcheck_error(const struct artbag_tarcheck *t, const char **kind,
                                  const char **path)
{
    if (t->state != S_FAILED)
        return NULL;
    if (kind)
        *kind = t->kind;
    if (path)
        *path = t->err_path;
    return t->msg;
}
