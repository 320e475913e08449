/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* instream.c - the decompressed byte stream of a serialized bag. gzip is inflated here,
 * artbag's own members whole with libdeflate on several threads, any other gzip with zlib's
 * streaming inflate, so a corrupt, truncated or garbage-trailed
 * gzip file is an error rather than a quiet end of data; xz is decoded here with liblzma, which
 * libarchive gives no memory limit; other compressions go through libarchive's filters. */
#define _GNU_SOURCE /* O_TMPFILE, mkostemp, asprintf */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <libdeflate.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "archive/gz.h"
#include "archive/archive.h"

#define IN_CHUNK (64 * 1024)

struct artbag_instream {
    int fd, own_fd;
    const char *name;
    int kind;
    /* bytes read to sniff the format, handed out before the descriptor is read again; enough for
     * a zstd frame header's window fields */
    unsigned char head[18];
    size_t head_len, head_pos;
    int eof; /* the descriptor is exhausted */
    /* gzip */
    z_stream zs;
    int zs_live, member_done;
    unsigned char *in;
    /* bytes read to look at a member's header, for zlib before the descriptor */
    unsigned char *pend;
    size_t pend_len;
    int gz_threads;
    struct gzr *par; /* artbag's own members, inflated in parallel; NULL for other gzip */
    /* everything else */
    struct archive *raw;
    /* The last two chunks handed to libarchive (it may peek past a stream's end into the
     * next one), and how many bytes it was given in all, to find what it left unread. */
    struct artbag_lastbufs raw_bufs;
    int raw_ended;
    int trailing_zeros;
    /* xz, decoded here: libarchive runs liblzma without a memory limit, and a 763 KB file may
     * ask for a 4 GiB dictionary */
    lzma_stream lz;
    int lz_live, lz_ended;
    /* zstd, decoded here too: libarchive lets libzstd allocate any window up to 128 MiB, and
     * only artbag's decoder can hold every frame (not just the first) to max_window */
    ZSTD_DStream *zd;
    ZSTD_inBuffer zin;
    size_t zd_hint; /* 0 between frames: the last call ended one */
    /* budgets (artbag_instream_set_limits) and what was spent */
    /* consumed: read from the descriptor so far (where a truncated file ended) */
    uint64_t consumed, delivered, padding;
    uint64_t max_bytes, max_window;
    int window_checked, over;
};

/* Reads from the sniffed head first, then the descriptor. */
static ssize_t src_read(struct artbag_instream *s, void *buf, size_t n)
{
    if (s->head_pos < s->head_len) {
        size_t k = s->head_len - s->head_pos;

        if (k > n)
            k = n;
        memcpy(buf, s->head + s->head_pos, k);
        s->head_pos += k;
        return (ssize_t)k;
    }
    for (;;) {
        ssize_t r = read(s->fd, buf, n);

        if (r < 0 && errno == EINTR && !artbag_cancelled())
            continue;
        if (r == 0)
            s->eof = 1;
        if (r > 0) {
            s->consumed += (uint64_t)r;
            artbag_call_bytes((uint64_t)r);
        }
        return r;
    }
}

/* The one message for a compressed stream the file ended inside: where it ended, and the kind
 * that makes verify say "could not check" rather than judge a bag it saw only part of. */
static int truncated(struct artbag_instream *s, const char *what, struct artbag_error *err)
{
    artbag_error_set(err, ARTBAG_EREJECT, "truncated %s stream at byte %llu", what,
                     (unsigned long long)s->consumed);
    if (err)
        err->kind = "truncated";
    return ARTBAG_EREJECT;
}

/* The compression the first bytes announce, for a message: libarchive forgets its filter's
 * name once the filter has failed. */
static const char *head_filter(const struct artbag_instream *s)
{
    static const struct {
        const char *magic;
        size_t len;
        const char *name;
    } known[] = {
        {"BZh", 3, "bzip2"},
        {"\xfd"
         "7zXZ",
         5, "xz"},
        {"\x28\xb5\x2f\xfd", 4, "zstd"},
        {"LZIP", 4, "lzip"},
        {"\x04\x22\x4d\x18", 4, "lz4"},
        {"\x1f\x9d", 2, "compress"},
        {"\x5d\x00\x00", 3, "lzma"},
    };

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (s->head_len >= known[i].len && memcmp(s->head, known[i].magic, known[i].len) == 0)
            return known[i].name;
    return "compressed";
}

/* libarchive's filters say "truncated bzip2 input", "Truncated zstd input", or for xz "No
 * progress is possible": taken for a truncation only once the file has really ended. */
static int raw_error(struct artbag_instream *s, struct artbag_error *err)
{
    const char *msg = archive_error_string(s->raw);

    if (s->eof && msg && (strcasestr(msg, "truncated") || strstr(msg, "No progress is possible")))
        return truncated(s, head_filter(s), err);
    return artbag_error_set(err, ARTBAG_EREJECT, "%s", msg ? msg : "unreadable stream");
}

/*
 * Zero padding after a compressed stream produces nothing, so no ratio catches it, and from a
 * pipe it may never end: it is charged to the byte budget with what was handed out.
 */
static int pad_charge(struct artbag_instream *s, uint64_t n, struct artbag_error *err)
{
    char lim[32];

    s->padding += n;
    if (n)
        s->trailing_zeros = 1;
    if (s->delivered + s->padding <= s->max_bytes)
        return ARTBAG_OK;
    s->over = 1;
    artbag_size_str(s->max_bytes, lim);
    return artbag_error_set(err, ARTBAG_EIO,
                            "more than %s decompressed (with the zero padding after the "
                            "compressed stream); could not check within the limits (raise with "
                            "the max_bytes option)",
                            lim);
}

static int window_over(struct artbag_instream *s, const char *what, uint64_t need,
                       struct artbag_error *err)
{
    char lim[32], got[32];

    s->over = 1;
    artbag_size_str(s->max_window, lim);
    artbag_size_str(need, got);
    return artbag_error_set(err, ARTBAG_EIO,
                            "the %s stream asks for %s of decoder memory (dictionary or window), "
                            "more than %s; could not check within the limits (raise with "
                            "the max_window option)",
                            what, got, lim);
}

static la_ssize_t raw_read_cb(struct archive *a, void *ud, const void **buf)
{
    struct artbag_instream *s = ud;
    unsigned char *b = artbag_lastbufs_next(&s->raw_bufs);
    ssize_t n = src_read(s, b, IN_CHUNK);

    if (n < 0) {
        archive_set_error(a, errno, "read failed: %s", strerror(errno));
        return -1;
    }
    artbag_lastbufs_filled(&s->raw_bufs, (size_t)n);
    *buf = b;
    return n;
}

int artbag_lastbufs_init(struct artbag_lastbufs *l, size_t size)
{
    memset(l, 0, sizeof(*l));
    l->buf[0] = malloc(size);
    l->buf[1] = malloc(size);
    return l->buf[0] && l->buf[1] ? ARTBAG_OK : ARTBAG_EIO;
}

unsigned char *artbag_lastbufs_next(struct artbag_lastbufs *l)
{
    return l->buf[l->cur ^= 1];
}

void artbag_lastbufs_filled(struct artbag_lastbufs *l, size_t n)
{
    l->len[l->cur] = n;
    l->given += n;
}

int artbag_lastbufs_tail_zero(const struct artbag_lastbufs *l, uint64_t consumed, int *any)
{
    uint64_t left = l->given > consumed ? l->given - consumed : 0;

    *any = left > 0;
    /* The unconsumed bytes end the newer buffer, and may begin in the older one. */
    for (int k = 0; k < 2 && left > 0; k++) {
        int b = l->cur ^ k;
        size_t take = left < l->len[b] ? (size_t)left : l->len[b];

        if (!artbag_all_zero(l->buf[b] + l->len[b] - take, take))
            return 0;
        left -= take;
    }
    return left > 0 ? -1 : 1;
}

void artbag_lastbufs_release(struct artbag_lastbufs *l)
{
    free(l->buf[0]);
    free(l->buf[1]);
    memset(l, 0, sizeof(*l));
}

/*
 * Once libarchive's decompressor reports the end of its stream: whatever of the file it did
 * not consume must be zero padding (noted), as for gzip. bzip2 in particular stops at the end
 * of its last stream and ignores what follows; a fixity check must not.
 */
static int raw_check_end(struct artbag_instream *s, struct artbag_error *err)
{
    int any, nonzero;
    ssize_t n;

    nonzero = artbag_lastbufs_tail_zero(&s->raw_bufs, (uint64_t)archive_filter_bytes(s->raw, -1),
                                        &any) != 1;
    if (any)
        s->trailing_zeros = 1;
    while (!nonzero && (n = src_read(s, s->in, IN_CHUNK)) != 0) {
        int rc;

        if (n < 0)
            return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
        nonzero = !artbag_all_zero(s->in, (size_t)n);
        if (!nonzero && (rc = pad_charge(s, (uint64_t)n, err)) != ARTBAG_OK)
            return rc;
    }
    if (nonzero)
        return artbag_error_set(err, ARTBAG_EREJECT, "trailing data after the %s stream",
                                archive_filter_name(s->raw, 0));
    return ARTBAG_OK;
}

/* ---- artbag's own gzip members, inflated in parallel ---------------------------------- */

#define GZR_FIXED 12 /* the fixed header fields and XLEN */
#define GZR_MSG   192

/* What the next member turned out to be (or a negative status). */
enum { PROBE_OURS, PROBE_OTHER, PROBE_EOF };
/* Why reading members stopped: the file ended cleanly, zlib takes over, or an error. */
enum { GZR_READING, GZR_END, GZR_HANDOVER, GZR_FAILED };

struct gzr_slot {
    unsigned char *comp; /* the whole member as read */
    size_t comp_len, comp_cap;
    unsigned char *out;
    size_t out_len, out_cap;
    uint64_t offset; /* of the member in the file, for messages */
    int status;
    char msg[GZR_MSG];
};

struct gzr {
    int threads;
    /*
     * Members are numbered in file order: [ndeliver, nread) are in slots[k % nslots], read and
     * queued for the pool (threads.c) to inflate; pos bytes of member ndeliver have been handed
     * out. 2n slots keep n threads busy while the oldest member is being delivered.
     */
    struct gzr_slot *slots;
    size_t nslots;
    uint64_t nread, ndeliver;
    size_t pos;
    uint64_t offset;   /* file offset of the next member */
    int probed, probe; /* s->pend holds the next member's header, probed as probe */
    uint32_t probe_size;
    int state;
    struct artbag_error stop_err; /* why, for GZR_FAILED, once the members before are out */
    struct artbag_pool pool;
};

static uint32_t get_le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get_le32(const unsigned char *p)
{
    return get_le16(p) | get_le16(p + 2) << 16;
}

/* Reads n bytes unless the file ends first; the count read, or -1 with errno. */
static ssize_t read_full(struct artbag_instream *s, unsigned char *buf, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = src_read(s, buf + got, n - got);

        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/*
 * Reads the next member's header into s->pend (the fixed part and the extra field) and says
 * whether it is one of ours: gzip, FEXTRA with our size subfield, no reserved flag. Anything
 * else, including a short or odd header, is left to zlib, which reports it exactly as for a
 * foreign file. A size field no member of ours can have is an error here.
 */
static int gzr_probe(struct artbag_instream *s, uint32_t *size, struct artbag_error *err)
{
    unsigned char *h = s->pend;
    uint32_t xlen;
    ssize_t n;

    s->pend_len = 0;
    n = read_full(s, h, GZR_FIXED);
    if (n < 0)
        goto ioerr;
    s->pend_len = (size_t)n;
    if (n == 0)
        return PROBE_EOF;
    if (n < GZR_FIXED || h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || (h[3] & 0xe0) ||
        !(h[3] & 0x04))
        return PROBE_OTHER;
    xlen = get_le16(h + 10);
    n = read_full(s, h + GZR_FIXED, xlen);
    if (n < 0)
        goto ioerr;
    s->pend_len += (size_t)n;
    if ((size_t)n < xlen)
        return PROBE_OTHER;
    for (uint32_t off = 0; off + 4 <= xlen;) {
        const unsigned char *f = h + GZR_FIXED + off;
        uint32_t len = get_le16(f + 2);

        if (off + 4 + len > xlen)
            break;
        if (f[0] == ARTBAG_GZ_SI1 && f[1] == ARTBAG_GZ_SI2 && len == 4) {
            *size = get_le32(f + 4);
            /* At least the header, an empty deflate block and the trailer. */
            if (*size < GZR_FIXED + xlen + 2 + ARTBAG_GZ_TRAILER || *size > ARTBAG_GZ_MEMBER_MAX)
                return artbag_error_set(err, ARTBAG_EREJECT,
                                        "corrupt gzip stream: member size field says %lu bytes",
                                        (unsigned long)*size);
            return PROBE_OURS;
        }
        off += 4 + len;
    }
    return PROBE_OTHER;
ioerr:
    return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
}

static void gzr_fail(struct gzr_slot *sl, int status, const char *what)
{
    sl->status = status;
    snprintf(sl->msg, sizeof(sl->msg), "corrupt gzip stream: %s (member at byte offset %llu)", what,
             (unsigned long long)sl->offset);
}

/*
 * Inflates one member and checks it whole: the deflate data must end exactly where the size
 * field says the trailer starts, and inflate to exactly ISIZE bytes, no more than a block,
 * with the trailer's CRC-32. Touches only the slot and zd, so any thread can run it.
 */
static void gzr_inflate(struct libdeflate_decompressor *zd, struct gzr_slot *sl)
{
    const unsigned char *p = sl->comp;
    size_t end = sl->comp_len - ARTBAG_GZ_TRAILER; /* the probe made sure this is past XLEN */
    size_t off = GZR_FIXED + get_le16(p + 10);
    uint32_t crc = get_le32(p + end), isize = get_le32(p + end + 4);
    size_t used = 0, got = 0;
    int flg = p[3];
    enum libdeflate_result zr;

    sl->status = ARTBAG_OK;
    sl->out_len = 0;
    for (int bit = 0x08; bit <= 0x10; bit <<= 1) { /* FNAME, then FCOMMENT */
        if (!(flg & bit))
            continue;
        while (off < end && p[off])
            off++;
        if (off++ >= end)
            return gzr_fail(sl, ARTBAG_EREJECT, "member size field does not match its data");
    }
    if (flg & 0x02) {
        if (off + 2 > end)
            return gzr_fail(sl, ARTBAG_EREJECT, "member size field does not match its data");
        if (get_le16(p + off) != (libdeflate_crc32(0, p, off) & 0xffff))
            return gzr_fail(sl, ARTBAG_EREJECT, "header crc mismatch");
        off += 2;
    }
    if (isize > ARTBAG_GZ_BLOCK)
        return gzr_fail(sl, ARTBAG_EREJECT, "member inflates to more than a block");
    if (sl->out_cap < (size_t)isize) {
        unsigned char *q = realloc(sl->out, isize);

        if (!q) {
            sl->status = ARTBAG_EIO;
            snprintf(sl->msg, sizeof(sl->msg), "out of memory");
            return;
        }
        sl->out = q;
        sl->out_cap = isize;
    }
    /* Room for exactly ISIZE bytes: a member that would inflate to more is caught as such
     * (insufficient space), never cut short. */
    zr = libdeflate_deflate_decompress_ex(zd, p + off, end - off, sl->out, isize, &used, &got);
    if (zr == LIBDEFLATE_INSUFFICIENT_SPACE)
        return gzr_fail(sl, ARTBAG_EREJECT, "incorrect length check");
    if (zr != LIBDEFLATE_SUCCESS)
        return gzr_fail(sl, ARTBAG_EREJECT, "invalid deflate data");
    if (used != end - off)
        return gzr_fail(sl, ARTBAG_EREJECT, "member size field does not match its data");
    if (got != isize)
        return gzr_fail(sl, ARTBAG_EREJECT, "incorrect length check");
    if (libdeflate_crc32(0, sl->out, isize) != crc)
        return gzr_fail(sl, ARTBAG_EREJECT, "incorrect data check");
    sl->out_len = isize;
}

static void *gzr_state_new(void)
{
    return libdeflate_alloc_decompressor();
}

static void gzr_state_free(void *state)
{
    if (state)
        libdeflate_free_decompressor(state);
}

static void gzr_run(void *ctx, void *state, size_t slot)
{
    struct gzr *g = ctx;

    gzr_inflate(state, &g->slots[slot]);
}

static const struct artbag_pool_ops gzr_ops = {gzr_state_new, gzr_state_free, gzr_run};

static void gzr_free(struct gzr *g)
{
    if (!g)
        return;
    /* The threads go first: they may still be inflating into the slots. */
    artbag_pool_destroy(&g->pool);
    for (size_t i = 0; g->slots && i < g->nslots; i++) {
        free(g->slots[i].comp);
        free(g->slots[i].out);
    }
    free(g->slots);
    free(g);
}

/*
 * Looks at the first member: when it claims to be one of ours, the parallel reader is set up
 * (the header kept for it, or a lying size field kept for the first read to report); otherwise
 * its header bytes wait in s->pend for zlib.
 */
static int gzr_open(struct artbag_instream *s, struct artbag_error *err)
{
    struct gzr *g;
    int probe;

    /* Room for the longest header the probe reads: the fixed part and a 64 KiB extra field. */
    s->pend = malloc(GZR_FIXED + 65535);
    g = calloc(1, sizeof(*g));
    if (!s->pend || !g) {
        free(g);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    s->par = g;
    probe = gzr_probe(s, &g->probe_size, &g->stop_err);
    if (probe == ARTBAG_EIO)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", s->name, g->stop_err.msg);
    if (probe == PROBE_OTHER || probe == PROBE_EOF) {
        s->par = NULL;
        gzr_free(g);
        return ARTBAG_OK;
    }
    g->probed = 1;
    g->probe = probe;
    return ARTBAG_OK;
}

/* Reads one member of ours, whose header the probe left in s->pend, into the next slot. */
static int gzr_read_member(struct artbag_instream *s, struct gzr *g, struct artbag_error *err)
{
    struct gzr_slot *sl = &g->slots[g->nread % g->nslots];
    size_t size = g->probe_size;
    ssize_t n;

    if (sl->comp_cap < size) {
        unsigned char *q = realloc(sl->comp, size);

        if (!q)
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        sl->comp = q;
        sl->comp_cap = size;
    }
    memcpy(sl->comp, s->pend, s->pend_len);
    n = read_full(s, sl->comp + s->pend_len, size - s->pend_len);
    if (n < 0)
        return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
    if ((size_t)n < size - s->pend_len)
        return truncated(s, "gzip", err);
    sl->comp_len = size;
    sl->offset = g->offset;
    g->offset += size;
    s->pend_len = 0;
    artbag_pool_queue(&g->pool);
    g->nread++;
    /* Threads only pay off once there is a second member, which a small bundle lacks. */
    if (g->nread == 2 && g->threads > 1)
        artbag_pool_start(&g->pool, g->threads);
    return ARTBAG_OK;
}

/*
 * Reads members ahead until the ring is full or the members stop. Reading is sequential and
 * cheap; errors wait in g->stop_err until the members before them have been delivered.
 */
static void gzr_fill(struct artbag_instream *s, struct gzr *g)
{
    while (g->state == GZR_READING && g->nread - g->ndeliver < g->nslots) {
        int rc;

        if (!g->probed) {
            g->probe = gzr_probe(s, &g->probe_size, &g->stop_err);
            g->probed = 1;
        }
        g->probed = 0;
        if (g->probe == PROBE_EOF) {
            g->state = GZR_END;
        } else if (g->probe == PROBE_OTHER) {
            g->state = GZR_HANDOVER;
        } else if (g->probe != PROBE_OURS) {
            g->state = GZR_FAILED;
        } else if ((rc = gzr_read_member(s, g, &g->stop_err)) != ARTBAG_OK) {
            g->state = GZR_FAILED;
        }
    }
}

/*
 * Hands out the inflated members in file order. Returns bytes, 0 at the end, or a negative
 * status; at the end *handover says whether the rest of the file is for zlib.
 */
static ssize_t gzr_read(struct artbag_instream *s, unsigned char *buf, size_t n, int *handover,
                        struct artbag_error *err)
{
    struct gzr *g = s->par;

    if (n == 0)
        return 0;
    if (!g->slots) {
        g->threads = s->gz_threads > 0 ? s->gz_threads : artbag_gz_default_threads();
        g->nslots = g->threads > 1 ? 2 * (size_t)g->threads : 1;
        g->slots = calloc(g->nslots, sizeof(*g->slots));
        if (!g->slots || artbag_pool_init(&g->pool, g->nslots, &gzr_ops, g) != ARTBAG_OK) {
            /* Nothing is read yet: the next call fails the same way. */
            free(g->slots);
            g->slots = NULL;
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        }
    }
    for (;;) {
        struct gzr_slot *sl;
        size_t k;

        gzr_fill(s, g);
        if (g->ndeliver == g->nread) {
            *handover = g->state == GZR_HANDOVER;
            if (g->state == GZR_END || g->state == GZR_HANDOVER)
                return 0;
            if (err)
                *err = g->stop_err;
            return g->stop_err.status;
        }
        sl = &g->slots[g->ndeliver % g->nslots];
        /* Without threads (one asked for, or none could start) the members are inflated
         * here; with them, this thread keeps to reading ahead and handing out. */
        artbag_pool_wait(&g->pool, (size_t)(g->ndeliver % g->nslots), 1);
        if (sl->status != ARTBAG_OK) {
            /* Stop reading and keep failing: nothing after a bad member is delivered. */
            artbag_error_set(&g->stop_err, sl->status, "%s", sl->msg);
            g->state = GZR_FAILED;
            if (err)
                *err = g->stop_err;
            return g->stop_err.status;
        }
        k = sl->out_len - g->pos;
        if (k > n)
            k = n;
        if (k > 0) /* an empty member has no buffer at all */
            memcpy(buf, sl->out + g->pos, k);
        g->pos += k;
        if (g->pos == sl->out_len) {
            /* The slot is the reader's to refill: the pool only takes queued slots. */
            g->ndeliver++;
            g->pos = 0;
        }
        if (k > 0)
            return (ssize_t)k;
    }
}

/* ---- xz, decoded with liblzma under a memory limit ----------------------------------- */

/* What liblzma may allocate: an LZMA2 decoder with a max_window dictionary, and room for the
 * filters before it (BCJ, delta) and the stream's bookkeeping. */
static uint64_t xz_memlimit(const struct artbag_instream *s)
{
    lzma_options_lzma o;
    lzma_filter f[2] = {{LZMA_FILTER_LZMA2, &o}, {LZMA_VLI_UNKNOWN, NULL}};
    uint64_t m;

    lzma_lzma_preset(&o, 6);
    o.dict_size = s->max_window > (3u << 30) ? (3u << 30) : (uint32_t)s->max_window;
    m = lzma_raw_decoder_memusage(f);
    return (m == UINT64_MAX ? s->max_window : m) + ((uint64_t)1 << 20);
}

/* One .xz stream; each stream of a concatenated file gets a decoder of its own. */
static int xz_start(struct artbag_instream *s, struct artbag_error *err)
{
    if (s->lz_live)
        lzma_end(&s->lz);
    s->lz_live = 0;
    memset(&s->lz, 0, sizeof(s->lz));
    if (lzma_stream_decoder(&s->lz, xz_memlimit(s), 0) != LZMA_OK)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "liblzma could not start a decoder");
    s->lz_live = 1;
    s->lz_ended = 0;
    return ARTBAG_OK;
}

/*
 * After an xz stream: another may follow (the format allows concatenation), with zero stream
 * padding between or after; anything else is trailing data, as for gzip. 1 at a clean end.
 */
static int xz_next_stream(struct artbag_instream *s, struct artbag_error *err)
{
    for (;;) {
        uint64_t zeros = 0;
        int rc;

        if (s->lz.avail_in == 0) {
            ssize_t n = src_read(s, s->in, IN_CHUNK);

            if (n < 0)
                return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
            if (n == 0)
                return 1;
            s->lz.next_in = s->in;
            s->lz.avail_in = (size_t)n;
        }
        if (artbag_all_zero(s->lz.next_in, s->lz.avail_in)) { /* the common case, fast */
            zeros = s->lz.avail_in;
            s->lz.next_in += s->lz.avail_in;
            s->lz.avail_in = 0;
        }
        while (s->lz.avail_in && s->lz.next_in[0] == 0) {
            s->lz.next_in++;
            s->lz.avail_in--;
            zeros++;
        }
        if ((rc = pad_charge(s, zeros, err)) != ARTBAG_OK)
            return rc;
        if (s->lz.avail_in == 0)
            continue;
        if (s->lz.next_in[0] != 0xfd)
            return artbag_error_set(err, ARTBAG_EREJECT, "trailing data after the xz stream");
        {
            /* a new decoder for the next stream, fed and filling where the last one was */
            const uint8_t *in = s->lz.next_in;
            size_t avail = s->lz.avail_in, avail_out = s->lz.avail_out;
            uint8_t *out = s->lz.next_out;

            if ((rc = xz_start(s, err)) != ARTBAG_OK)
                return rc;
            s->lz.next_in = in;
            s->lz.avail_in = avail;
            s->lz.next_out = out;
            s->lz.avail_out = avail_out;
        }
        return ARTBAG_OK;
    }
}

/* The largest window log within max_window (at least zstd's own minimum of 2^10). */
static int zstd_window_log(const struct artbag_instream *s)
{
    int log = 10;

    while (log < 31 && ((uint64_t)1 << (log + 1)) <= s->max_window)
        log++;
    return log;
}

static int zstd_start(struct artbag_instream *s, struct artbag_error *err)
{
    s->zd = ZSTD_createDStream();
    if (!s->zd)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (ZSTD_isError(ZSTD_DCtx_setParameter(s->zd, ZSTD_d_windowLogMax, zstd_window_log(s))))
        return artbag_error_set(err, ARTBAG_EINTERNAL, "libzstd refused a window limit");
    s->zin.src = s->in;
    s->zin.size = s->zin.pos = 0;
    return ARTBAG_OK;
}

/* What went wrong in a zstd stream, as the other decoders say it. */
static int zstd_error(struct artbag_instream *s, size_t zr, struct artbag_error *err)
{
    char lim[32];

    switch (ZSTD_getErrorCode(zr)) {
    case ZSTD_error_frameParameter_windowTooLarge:
        s->over = 1;
        artbag_size_str(s->max_window, lim);
        return artbag_error_set(err, ARTBAG_EIO,
                                "a zstd frame asks for a window of more than %s of decoder "
                                "memory; could not check within the limits (raise with "
                                "the max_window option)",
                                lim);
    case ZSTD_error_memory_allocation:
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    case ZSTD_error_prefix_unknown:
        /* no frame where the last one ended (the first was sniffed): zstd -d refuses it too */
        return artbag_error_set(err, ARTBAG_EREJECT, "trailing data after the zstd stream");
    default:
        return artbag_error_set(err, ARTBAG_EREJECT, "corrupt zstd stream: %s",
                                ZSTD_getErrorName(zr));
    }
}

/* Decodes zstd frames one after another (libzstd skips skippable frames), each held to the
 * window limit; the file may end only between frames. */
static ssize_t zstd_read(struct artbag_instream *s, void *buf, size_t n, struct artbag_error *err)
{
    ZSTD_outBuffer out = {buf, n, 0};

    while (out.pos == 0) {
        size_t zr;

        if (s->zin.pos == s->zin.size) {
            ssize_t got = src_read(s, s->in, IN_CHUNK);

            if (got < 0)
                return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
            if (got == 0) {
                if (s->zd_hint != 0) /* inside a frame */
                    return truncated(s, "zstd", err);
                return 0;
            }
            s->zin.src = s->in;
            s->zin.size = (size_t)got;
            s->zin.pos = 0;
        }
        zr = ZSTD_decompressStream(s->zd, &out, &s->zin);
        if (ZSTD_isError(zr))
            return zstd_error(s, zr, err);
        s->zd_hint = zr;
    }
    return (ssize_t)out.pos;
}

static ssize_t xz_read(struct artbag_instream *s, void *buf, size_t n, struct artbag_error *err)
{
    s->lz.next_out = buf;
    s->lz.avail_out = n;
    while (s->lz.avail_out == n) {
        lzma_ret lr;

        if (s->lz_ended) {
            int rc = xz_next_stream(s, err);

            if (rc == 1)
                break;
            if (rc != ARTBAG_OK)
                return rc;
        }
        if (s->lz.avail_in == 0 && !s->eof) {
            ssize_t got = src_read(s, s->in, IN_CHUNK);

            if (got < 0)
                return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
            s->lz.next_in = s->in;
            s->lz.avail_in = (size_t)got;
        }
        lr = lzma_code(&s->lz, s->eof && s->lz.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
        switch (lr) {
        case LZMA_OK:
            break;
        case LZMA_STREAM_END:
            s->lz_ended = 1;
            break;
        case LZMA_MEMLIMIT_ERROR:
            return window_over(s, "xz", lzma_memusage(&s->lz), err);
        case LZMA_MEM_ERROR:
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        case LZMA_BUF_ERROR:
            return truncated(s, "xz", err);
        case LZMA_FORMAT_ERROR:
            return artbag_error_set(err, ARTBAG_EREJECT, "corrupt xz stream: not in .xz format");
        case LZMA_OPTIONS_ERROR:
            return artbag_error_set(err, ARTBAG_EREJECT, "corrupt xz stream: unsupported options");
        default:
            return artbag_error_set(err, ARTBAG_EREJECT, "corrupt xz stream: %s",
                                    lr == LZMA_DATA_ERROR ? "data is corrupt" : "check failed");
        }
    }
    return (ssize_t)(n - s->lz.avail_out);
}

/*
 * libarchive decodes .lzma and lzip without a limit of ours: their headers say what dictionary
 * the decoder will allocate, and a stream asking for more than max_window is refused before it
 * is decoded. (xz and zstd are decoded here, every block and frame under the limit.)
 */
static int window_check(struct artbag_instream *s, struct artbag_error *err)
{
    const unsigned char *h = s->head;
    uint64_t need = 0;
    const char *what = NULL;

    s->window_checked = 1;
    if (!s->raw)
        return ARTBAG_OK;
    switch (archive_filter_code(s->raw, 0)) {
    case ARCHIVE_FILTER_LZMA:
        if (s->head_len >= 5) {
            what = "lzma";
            need = get_le32(h + 1);
        }
        break;
    case ARCHIVE_FILTER_LZIP:
        if (s->head_len >= 6) {
            uint64_t base = (uint64_t)1 << (h[5] & 0x1f);

            what = "lzip";
            need = base - (base / 16) * (h[5] >> 5);
        }
        break;
    default:
        break;
    }
    if (what && need > s->max_window)
        return window_over(s, what, need, err);
    return ARTBAG_OK;
}

void artbag_instream_set_limits(struct artbag_instream *s, uint64_t max_bytes, uint64_t max_window)
{
    s->max_bytes = max_bytes;
    s->max_window = max_window;
    if (s->lz_live)
        lzma_memlimit_set(&s->lz, xz_memlimit(s));
    if (s->zd)
        ZSTD_DCtx_setParameter(s->zd, ZSTD_d_windowLogMax, zstd_window_log(s));
}

int artbag_instream_over(const struct artbag_instream *s)
{
    return s->over;
}

uint64_t artbag_instream_consumed(const struct artbag_instream *s)
{
    return s->consumed;
}

uint64_t artbag_instream_padding(const struct artbag_instream *s)
{
    return s->padding;
}

int artbag_instream_open(struct artbag_instream **out, const char *path, int fd,
                         struct artbag_error *err)
{
    struct artbag_instream *s = calloc(1, sizeof(*s));
    const char *name = path ? path : "<stdin>";
    int rc;

    *out = NULL;
    if (!s || !(s->in = malloc(IN_CHUNK))) {
        free(s);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    s->max_bytes = ARTBAG_DEFAULT_MAX_BYTES;
    s->max_window = ARTBAG_DEFAULT_MAX_WINDOW;
    s->name = name;
    s->fd = fd;
    if (path) {
        s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (s->fd < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
            goto fail;
        }
        s->own_fd = 1;
    }
    {
        struct stat st;

        /* `verify - <DIR` reads a directory: say so rather than "Is a directory". */
        if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': a directory, not an archive%s", name,
                                  path ? ""
                                       : ": name a bag directory as an argument, not on "
                                         "standard input");
            if (err)
                err->kind = "not-a-bag";
            goto fail;
        }
    }
    /* Sniff: a short read from a pipe, or a file shorter than the head, is fine: the rest
     * follows. head_pos stays at the end of what was sniffed so far, or src_read would hand
     * the head's own first bytes back into it after a short read. */
    while (s->head_len < sizeof(s->head) && !s->eof) {
        ssize_t n;

        s->head_pos = s->head_len;
        n = src_read(s, s->head + s->head_len, sizeof(s->head) - s->head_len);
        if (n < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': read failed: %s", name, strerror(errno));
            goto fail;
        }
        s->head_len += (size_t)n;
    }
    s->head_pos = 0;
    if (s->head_len == 0) {
        /* Nothing to sniff: not a bag in any container (and no reader's "unrecognized"). */
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': an empty file, not an archive or bag",
                              name);
        if (err)
            err->kind = "not-a-bag";
        goto fail;
    }
    if (s->head_len >= 4 && memcmp(s->head, "PK\003\004", 4) == 0) {
        s->kind = ARTBAG_INSTREAM_ZIP;
    } else if (s->head_len >= 2 && s->head[0] == 0x1f && s->head[1] == 0x8b) {
        s->kind = ARTBAG_INSTREAM_GZIP;
        /* 15 + 16: gzip wrapper only, so the CRC-32 and length in each trailer are checked. */
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "zlib inflateInit2 failed");
            goto fail;
        }
        s->zs_live = 1;
        if ((rc = gzr_open(s, err)) != ARTBAG_OK)
            goto fail;
    } else if (s->head_len >= 6 && memcmp(s->head,
                                          "\xfd"
                                          "7zXZ\0",
                                          6) == 0) {
        s->kind = ARTBAG_INSTREAM_OTHER;
        if ((rc = xz_start(s, err)) != ARTBAG_OK)
            goto fail;
    } else if (s->head_len >= 4 && memcmp(s->head, "\x28\xb5\x2f\xfd", 4) == 0) {
        s->kind = ARTBAG_INSTREAM_OTHER;
        if ((rc = zstd_start(s, err)) != ARTBAG_OK)
            goto fail;
    } else {
        s->kind = ARTBAG_INSTREAM_OTHER;
        s->raw = archive_read_new();
        if (!s->raw || artbag_lastbufs_init(&s->raw_bufs, IN_CHUNK) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            goto fail;
        }
        archive_read_support_filter_all(s->raw);
        archive_read_support_format_raw(s->raw);
        {
            struct archive_entry *ae;

            if (archive_read_open(s->raw, s, NULL, raw_read_cb, NULL) != ARCHIVE_OK ||
                archive_read_next_header(s->raw, &ae) != ARCHIVE_OK) {
                rc = raw_error(s, err);
                artbag_error_prefix(err, name);
                goto fail;
            }
        }
    }
    *out = s;
    return ARTBAG_OK;
fail:
    artbag_instream_close(s);
    return rc;
}

int artbag_instream_kind(const struct artbag_instream *s)
{
    return s->kind;
}

void artbag_instream_set_threads(struct artbag_instream *s, int n)
{
    s->gz_threads = n;
}

int artbag_instream_trailing_zeros(const struct artbag_instream *s)
{
    return s->trailing_zeros;
}

/* Refills zlib's input; 0 at end of file. */
static ssize_t gz_fill(struct artbag_instream *s, struct artbag_error *err)
{
    ssize_t n;

    if (s->pend_len > 0) {
        s->zs.next_in = s->pend;
        s->zs.avail_in = (uInt)s->pend_len;
        n = (ssize_t)s->pend_len;
        s->pend_len = 0;
        return n;
    }
    n = src_read(s, s->in, IN_CHUNK);

    if (n < 0)
        return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
    s->zs.next_in = s->in;
    s->zs.avail_in = (uInt)n;
    return n;
}

/*
 * After a gzip member: another member may follow (concatenated gzip is still gzip), or the
 * file ends. Zero bytes (tape or block padding) are tolerated and noted; anything else is
 * trailing garbage, which a fixity check must not pass over.
 */
static int gz_next_member(struct artbag_instream *s, struct artbag_error *err)
{
    for (;;) {
        if (s->zs.avail_in == 0) {
            ssize_t n = gz_fill(s, err);

            if (n < 0)
                return ARTBAG_EIO;
            if (n == 0)
                return 1; /* clean end */
        }
        if (s->zs.next_in[0] == 0x1f && !s->trailing_zeros) {
            inflateReset(&s->zs);
            s->member_done = 0;
            return ARTBAG_OK;
        }
        {
            uint64_t zeros = 0;
            int rc;

            if (artbag_all_zero(s->zs.next_in, s->zs.avail_in)) { /* the common case, fast */
                zeros = s->zs.avail_in;
                s->zs.next_in += s->zs.avail_in;
                s->zs.avail_in = 0;
            }
            while (s->zs.avail_in && s->zs.next_in[0] == 0) {
                s->zs.next_in++;
                s->zs.avail_in--;
                zeros++;
            }
            if ((rc = pad_charge(s, zeros, err)) != ARTBAG_OK)
                return rc;
        }
        if (s->zs.avail_in)
            return artbag_error_set(err, ARTBAG_EREJECT, "trailing data after the gzip stream");
    }
}

static ssize_t gz_read(struct artbag_instream *s, void *buf, size_t n, struct artbag_error *err)
{
    uInt want = (uInt)(n > (1u << 30) ? (1u << 30) : n);

    s->zs.next_out = buf;
    s->zs.avail_out = want;
    while (s->zs.avail_out > 0) {
        int zr;

        /* Hand over what this member produced before looking past it, so data is never lost
         * to an error about what follows. */
        if (s->member_done && s->zs.avail_out < want)
            break;
        if (s->member_done) {
            int rc = gz_next_member(s, err);

            if (rc < 0)
                return rc;
            if (rc == 1)
                break;
        }
        if (s->zs.avail_in == 0) {
            ssize_t got = gz_fill(s, err);

            if (got < 0)
                return ARTBAG_EIO;
            if (got == 0)
                return truncated(s, "gzip", err);
        }
        zr = inflate(&s->zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            s->member_done = 1;
        else if (zr == Z_MEM_ERROR)
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return artbag_error_set(err, ARTBAG_EREJECT, "corrupt gzip stream: %s",
                                    s->zs.msg ? s->zs.msg : "inflate failed");
        /* Return what we have rather than block for more input on a pipe. */
        if (s->zs.avail_out < want && s->zs.avail_in == 0)
            break;
    }
    return (ssize_t)(want - s->zs.avail_out);
}

static ssize_t instream_read(struct artbag_instream *s, void *buf, size_t n,
                             struct artbag_error *err);

ssize_t artbag_instream_read(struct artbag_instream *s, void *buf, size_t n,
                             struct artbag_error *err)
{
    ssize_t got;

    if (s->over) /* a budget is not spent twice: the stream stays stopped */
        return artbag_error_set(err, ARTBAG_EIO, "over its limits");
    if (!s->window_checked && window_check(s, err) != ARTBAG_OK)
        return ARTBAG_EIO;
    got = instream_read(s, buf, n, err);
    if (got > 0)
        s->delivered += (uint64_t)got;
    return got;
}

static ssize_t instream_read(struct artbag_instream *s, void *buf, size_t n,
                             struct artbag_error *err)
{
    la_ssize_t got;

    if (artbag_cancelled())
        return artbag_error_set(err, ARTBAG_EIO, "interrupted");
    if (s->kind == ARTBAG_INSTREAM_GZIP && s->par) {
        int handover = 0;
        ssize_t r = gzr_read(s, buf, n, &handover, err);

        if (!handover)
            return r;
        /* Something other than our members follows them: zlib reads it as it reads any gzip
         * file, as if the previous member had just ended. */
        gzr_free(s->par);
        s->par = NULL;
        s->member_done = 1;
    }
    if (s->kind == ARTBAG_INSTREAM_GZIP)
        return gz_read(s, buf, n, err);
    if (s->kind == ARTBAG_INSTREAM_ZIP)
        return src_read(s, buf, n);
    if (s->lz_live)
        return xz_read(s, buf, n, err);
    if (s->zd)
        return zstd_read(s, buf, n, err);
    if (s->raw_ended)
        return 0;
    got = archive_read_data(s->raw, buf, n);
    if (got < 0)
        return raw_error(s, err);
    if (got == 0) {
        int rc;

        s->raw_ended = 1;
        if ((rc = raw_check_end(s, err)) != ARTBAG_OK)
            return rc;
    }
    return got;
}

/* An unlinked temporary file in $TMPDIR (or /tmp), read-write. */
static int spool_file(struct artbag_error *err)
{
    const char *dir = getenv("TMPDIR");
    char *tmpl = NULL;
    int fd;

    if (!dir || !*dir)
        dir = "/tmp";
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    /* file systems without O_TMPFILE: a named file, unlinked at once */
    if (asprintf(&tmpl, "%s/artbag-spool.XXXXXX", dir) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    fd = mkostemp(tmpl, O_CLOEXEC);
    if (fd < 0)
        fd = artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create a temporary file: %s", dir,
                              strerror(errno));
    else
        unlink(tmpl);
    free(tmpl);
    return fd;
}

int artbag_instream_spool(struct artbag_instream *s, uint64_t max, int *fd,
                          struct artbag_error *err)
{
    uint64_t total = 0;
    struct stat st;
    int out = -1, rc;

    *fd = -1;
    /* A regular file named on the command line is read in place, from its first byte. */
    if (s->own_fd && fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        *fd = fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
        if (*fd < 0)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", s->name, strerror(errno));
        return ARTBAG_OK;
    }
    /* A stream: its zip can only be read through the central directory at its end, so it is
     * copied first, within the limit on what verify reads. */
    if ((out = spool_file(err)) < 0)
        return out;
    for (;;) {
        ssize_t n = src_read(s, s->in, IN_CHUNK);

        if (n < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': read failed: %s", s->name,
                                  strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (total > max) {
            rc = artbag_error_set(
                err, ARTBAG_EIO,
                "'%s': a zip read from a stream is copied to a temporary file "
                "to be read through its central directory, and this one is "
                "larger than the max_bytes option (%llu bytes); verify the file itself "
                "or raise the max_bytes option",
                s->name, (unsigned long long)max);
            goto fail;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, s->in + done, (size_t)(n - done));

            if (w < 0 && errno == EINTR && !artbag_cancelled())
                continue;
            if (w < 0) {
                rc = artbag_error_set(err, ARTBAG_EIO,
                                      "'%s': cannot copy the zip to a temporary file: %s", s->name,
                                      strerror(errno));
                goto fail;
            }
            done += w;
        }
    }
    *fd = out;
    return ARTBAG_OK;
fail:
    close(out);
    return rc;
}

void artbag_instream_close(struct artbag_instream *s)
{
    if (!s)
        return;
    if (s->zs_live)
        inflateEnd(&s->zs);
    gzr_free(s->par);
    free(s->pend);
    if (s->raw)
        archive_read_free(s->raw);
    if (s->lz_live)
        lzma_end(&s->lz);
    ZSTD_freeDStream(s->zd);
    artbag_lastbufs_release(&s->raw_bufs);
    if (s->own_fd)
        close(s->fd);
    free(s->in);
    free(s);
}

int artbag_instream_compression(const struct artbag_instream *s)
{
    if (s->kind == ARTBAG_INSTREAM_GZIP)
        return ARTBAG_COMPRESSION_GZIP;
    if (s->lz_live)
        return ARTBAG_COMPRESSION_XZ;
    if (s->zd)
        return ARTBAG_COMPRESSION_ZSTD;
    if (s->kind != ARTBAG_INSTREAM_OTHER || !s->raw)
        return ARTBAG_COMPRESSION_NONE;
    switch (archive_filter_code(s->raw, 0)) {
    case ARCHIVE_FILTER_NONE:
        return ARTBAG_COMPRESSION_NONE;
    case ARCHIVE_FILTER_GZIP:
        return ARTBAG_COMPRESSION_GZIP;
    case ARCHIVE_FILTER_BZIP2:
        return ARTBAG_COMPRESSION_BZIP2;
    case ARCHIVE_FILTER_XZ:
        return ARTBAG_COMPRESSION_XZ;
    case ARCHIVE_FILTER_LZMA:
        return ARTBAG_COMPRESSION_LZMA;
    case ARCHIVE_FILTER_ZSTD:
        return ARTBAG_COMPRESSION_ZSTD;
    case ARCHIVE_FILTER_LZIP:
        return ARTBAG_COMPRESSION_LZIP;
    case ARCHIVE_FILTER_LZ4:
        return ARTBAG_COMPRESSION_LZ4;
    case ARCHIVE_FILTER_COMPRESS:
        return ARTBAG_COMPRESSION_COMPRESS;
    default:
        return ARTBAG_COMPRESSION_OTHER;
    }
}
