/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* gzwrite.c - deflates the tar stream on several threads into consecutive gzip members, one per
 * fixed-size block, with fixed headers, so equal input gives equal bundle bytes everywhere. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "archive/gz.h"
#include "archive/archive.h"

/*
 * The blocks are deflated with libdeflate rather than zlib: each block is one whole buffer in
 * and one whole member out, which is the job libdeflate is built for (htslib's BGZF uses it
 * the same way), and it does it several times faster than zlib's streaming deflate at the
 * same or a smaller size (tests/bench/RESULTS.md has the figures). Level 6 is gzip's own
 * default and the usual balance of speed and size for text.
 */
#define GZW_LEVEL 6
/* RFC 1952 defines XFL 2 for the slowest level and 4 for the fastest, 0 for everything else. */
#define GZW_XFL 0
/* OS 3 (Unix) is fixed rather than left to how the library was built or where artbag runs. */
#define GZW_OS          3
#define GZW_MAX_THREADS 64
/* A small bundle never needs a whole block; its buffer grows from here. */
#define GZW_FIRST_CAP (64 * 1024)

struct gzw_slot {
    unsigned char *in;
    size_t in_len, in_cap;
    unsigned char *out; /* the whole gzip member */
    size_t out_len, out_cap;
    int status; /* ARTBAG_OK, or why deflating failed */
};

struct artbag_gzw {
    int fd;
    const char *name; /* borrowed: the file named in messages */
    int threads;
    /*
     * A ring of 2n blocks bounds memory: blocks are numbered in stream order, nfill is the one
     * being filled and [nwritten, nfill) are queued, being deflated or waiting to be written.
     * Block k lives in slots[k % nslots]; the pool (threads.c) deflates them in order.
     */
    struct gzw_slot *slots;
    size_t nslots;
    uint64_t nfill, nwritten;
    struct artbag_pool pool;
    int finished;
    int failed; /* a write failed: refuse to go on, the first error said why */
};

int artbag_gz_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    return n > GZW_MAX_THREADS ? GZW_MAX_THREADS : (int)n;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/*
 * Deflates one block into one complete gzip member. Everything here depends on the block's
 * bytes alone (a fresh raw deflate stream, no dictionary), which is what makes the output the
 * same whichever thread, and however many, did the work.
 */
static void gzw_deflate_block(struct libdeflate_compressor *zc, struct gzw_slot *sl)
{
    size_t room = libdeflate_deflate_compress_bound(zc, sl->in_len);
    size_t need = ARTBAG_GZ_HEADER + room + ARTBAG_GZ_TRAILER;
    unsigned char *h;
    size_t dlen;

    sl->status = ARTBAG_OK;
    if (sl->out_cap < need) {
        unsigned char *p = realloc(sl->out, need);

        if (!p) {
            sl->status = ARTBAG_EIO;
            return;
        }
        sl->out = p;
        sl->out_cap = need;
    }
    /* The bound guarantees the whole block fits; 0 would mean it did not. */
    dlen = libdeflate_deflate_compress(zc, sl->in, sl->in_len, sl->out + ARTBAG_GZ_HEADER, room);
    if (dlen == 0) {
        sl->status = ARTBAG_EINTERNAL;
        return;
    }
    sl->out_len = ARTBAG_GZ_HEADER + dlen + ARTBAG_GZ_TRAILER;
    h = sl->out;
    /* mtime 0 and no name keep the header free of anything about this run. */
    h[0] = 0x1f;
    h[1] = 0x8b;
    h[2] = 8;    /* CM: deflate */
    h[3] = 0x04; /* FLG: FEXTRA only */
    put_le32(h + 4, 0);
    h[8] = GZW_XFL;
    h[9] = GZW_OS;
    h[10] = 8; /* XLEN, little-endian */
    h[11] = 0;
    h[12] = ARTBAG_GZ_SI1;
    h[13] = ARTBAG_GZ_SI2;
    h[14] = 4; /* LEN */
    h[15] = 0;
    put_le32(h + 16, (uint32_t)sl->out_len);
    put_le32(h + ARTBAG_GZ_HEADER + dlen, libdeflate_crc32(0, sl->in, sl->in_len));
    put_le32(h + ARTBAG_GZ_HEADER + dlen + 4, (uint32_t)sl->in_len);
}

/* A thread's compressor: raw deflate, since the gzip header and trailer are ours to write. */
static void *gzw_state_new(void)
{
    return libdeflate_alloc_compressor(GZW_LEVEL);
}

static void gzw_state_free(void *state)
{
    if (state)
        libdeflate_free_compressor(state);
}

static void gzw_run(void *ctx, void *state, size_t slot)
{
    struct artbag_gzw *g = ctx;

    gzw_deflate_block(state, &g->slots[slot]);
}

static const struct artbag_pool_ops gzw_ops = {gzw_state_new, gzw_state_free, gzw_run};

int artbag_gzw_new(struct artbag_gzw **out, int fd, const char *name, struct artbag_error *err)
{
    struct artbag_gzw *g = calloc(1, sizeof(*g));

    *out = NULL;
    if (!g)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
    g->fd = fd;
    g->name = name;
    g->threads = artbag_gz_default_threads();
    *out = g;
    return ARTBAG_OK;
}

void artbag_gzw_set_threads(struct artbag_gzw *g, int n)
{
    if (g->slots)
        return;
    if (n <= 0)
        n = artbag_gz_default_threads();
    g->threads = n > GZW_MAX_THREADS ? GZW_MAX_THREADS : n;
}

static int gzw_oom(struct artbag_gzw *g, struct artbag_error *err)
{
    g->failed = 1;
    return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", g->name);
}

/*
 * Writes out the oldest block once it is deflated. Without wait, returns 1 at once when it is
 * not. With wait, and no thread to do it, deflates it here. While threads work, this thread
 * takes no block: it alone refills the ring and writes it out, so a block of its own would
 * leave the threads idle behind a full ring, and n threads already use the n cores asked for.
 */
static int gzw_write_next(struct artbag_gzw *g, int wait, struct artbag_error *err)
{
    size_t k = (size_t)(g->nwritten % g->nslots);
    struct gzw_slot *sl = &g->slots[k];
    int rc = ARTBAG_OK;

    if (!artbag_pool_wait(&g->pool, k, wait))
        return 1;
    /* Only this thread touches a deflated slot until it queues it again. */
    if (sl->status == ARTBAG_EIO)
        return gzw_oom(g, err);
    if (sl->status != ARTBAG_OK) {
        g->failed = 1;
        return artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': deflate failed", g->name);
    }
    if (artbag_write_all(g->fd, sl->out, sl->out_len) < 0) {
        g->failed = 1;
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': write failed: %s", g->name, strerror(errno));
    }
    sl->in_len = 0;
    g->nwritten++;
    return rc;
}

/* Queues the block being filled, writes whatever is ready, and makes room for the next. */
static int gzw_submit(struct artbag_gzw *g, int more, struct artbag_error *err)
{
    int rc;

    artbag_pool_queue(&g->pool);
    g->nfill++;
    /* Threads only pay off for a stream longer than one block, which a single article's bundle
     * rarely is. */
    if (more && g->threads > 1)
        artbag_pool_start(&g->pool, g->threads);
    while (g->nwritten < g->nfill && (rc = gzw_write_next(g, 0, err)) != 1)
        if (rc != ARTBAG_OK)
            return rc;
    while (g->nfill - g->nwritten >= g->nslots)
        if ((rc = gzw_write_next(g, 1, err)) != ARTBAG_OK)
            return rc;
    return ARTBAG_OK;
}

static int gzw_alloc_slots(struct artbag_gzw *g, struct artbag_error *err)
{
    /* Two blocks per thread keep every thread busy while the oldest waits to be written. */
    g->nslots = g->threads > 1 ? 2 * (size_t)g->threads : 1;
    g->slots = calloc(g->nslots, sizeof(*g->slots));
    if (!g->slots || artbag_pool_init(&g->pool, g->nslots, &gzw_ops, g) != ARTBAG_OK)
        return gzw_oom(g, err);
    return ARTBAG_OK;
}

int artbag_gzw_write(struct artbag_gzw *g, const void *buf, size_t len, struct artbag_error *err)
{
    const unsigned char *p = buf;
    int rc;

    if (g->failed || g->finished)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s': write after the gzip stream failed or ended", g->name);
    if (!g->slots && (rc = gzw_alloc_slots(g, err)) != ARTBAG_OK)
        return rc;
    while (len > 0) {
        struct gzw_slot *sl = &g->slots[g->nfill % g->nslots];
        size_t k = ARTBAG_GZ_BLOCK - sl->in_len;

        if (k > len)
            k = len;
        if (sl->in_cap < sl->in_len + k) {
            size_t cap = sl->in_cap ? sl->in_cap : GZW_FIRST_CAP;
            unsigned char *q;

            while (cap < sl->in_len + k)
                cap *= 2;
            if (cap > ARTBAG_GZ_BLOCK)
                cap = ARTBAG_GZ_BLOCK;
            if (!(q = realloc(sl->in, cap)))
                return gzw_oom(g, err);
            sl->in = q;
            sl->in_cap = cap;
        }
        memcpy(sl->in + sl->in_len, p, k);
        sl->in_len += k;
        p += k;
        len -= k;
        if (sl->in_len == ARTBAG_GZ_BLOCK && (rc = gzw_submit(g, 1, err)) != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

int artbag_gzw_finish(struct artbag_gzw *g, struct artbag_error *err)
{
    int rc;

    if (g->finished)
        return ARTBAG_OK;
    if (g->failed)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': the gzip stream failed", g->name);
    if (!g->slots && (rc = gzw_alloc_slots(g, err)) != ARTBAG_OK)
        return rc;
    /* The last block is whatever is left; an empty stream still needs one (empty) member to
     * be gzip at all. No end-of-file member follows: the tar's own end marker shows whether a
     * bundle was cut at a member boundary. */
    if (g->slots[g->nfill % g->nslots].in_len > 0 || g->nfill == 0)
        if ((rc = gzw_submit(g, 0, err)) != ARTBAG_OK)
            return rc;
    while (g->nwritten < g->nfill)
        if ((rc = gzw_write_next(g, 1, err)) != ARTBAG_OK)
            return rc;
    g->finished = 1;
    return ARTBAG_OK;
}

void artbag_gzw_free(struct artbag_gzw *g)
{
    if (!g)
        return;
    /* The threads go first: they may still be deflating into the slots. */
    artbag_pool_destroy(&g->pool);
    for (size_t i = 0; g->slots && i < g->nslots; i++) {
        free(g->slots[i].in);
        free(g->slots[i].out);
    }
    free(g->slots);
    free(g);
}
