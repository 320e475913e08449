/* gzwrite.c - deflates the tar stream on several threads into consecutive gzip members, one per
 * fixed-size block, with fixed headers, so equal input gives equal bundle bytes everywhere. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "gz.h"
#include "internal.h"

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

enum { SLOT_FILLING, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

struct gzw_slot {
    unsigned char *in;
    size_t in_len, in_cap;
    unsigned char *out; /* the whole gzip member */
    size_t out_len, out_cap;
    int state;
    int status; /* ARTBAG_OK, or why deflating failed */
};

struct artbag_gzw {
    int fd;
    const char *name; /* borrowed: the file named in messages */
    int threads;
    /*
     * A ring of 2n blocks bounds memory: blocks are numbered in stream order, nfill is the one
     * being filled, [njob, nfill) wait for a thread, [nwritten, njob) are being deflated or
     * wait to be written. Block k lives in slots[k % nslots].
     */
    struct gzw_slot *slots;
    size_t nslots;
    uint64_t nfill, njob, nwritten;
    pthread_mutex_t mu;
    pthread_cond_t work; /* a block was queued, or stop was set */
    pthread_cond_t done; /* a block was deflated */
    pthread_t *tids;
    int nworkers, stop;
    int alive; /* threads that can still take work */
    /* the calling thread's, for when no thread works (n = 1, or none started) */
    struct libdeflate_compressor *zc;
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

/*
 * With g->mu held: takes the oldest queued block, if any, and deflates it with zc, the lock
 * dropped meanwhile. Returns 1 when it did a block, 0 when none was waiting.
 */
static int gzw_run_one(struct artbag_gzw *g, struct libdeflate_compressor *zc)
{
    struct gzw_slot *sl;

    if (g->njob == g->nfill)
        return 0;
    sl = &g->slots[g->njob++ % g->nslots];
    sl->state = SLOT_BUSY;
    pthread_mutex_unlock(&g->mu);
    gzw_deflate_block(zc, sl);
    pthread_mutex_lock(&g->mu);
    sl->state = SLOT_DONE;
    pthread_cond_broadcast(&g->done);
    return 1;
}

/* A thread without a deflate state leaves; once none is left the caller deflates alone. */
static void *gzw_worker_gone(struct artbag_gzw *g)
{
    pthread_mutex_lock(&g->mu);
    g->alive--;
    pthread_cond_broadcast(&g->done);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

static void *gzw_worker(void *arg)
{
    struct artbag_gzw *g = arg;
    struct libdeflate_compressor *zc = libdeflate_alloc_compressor(GZW_LEVEL);

    if (!zc)
        return gzw_worker_gone(g);
    pthread_mutex_lock(&g->mu);
    while (!g->stop)
        if (!gzw_run_one(g, zc))
            pthread_cond_wait(&g->work, &g->mu);
    pthread_mutex_unlock(&g->mu);
    libdeflate_free_compressor(zc);
    return NULL;
}

/*
 * Starts the threads once a stream proves longer than one block. A thread that fails to start
 * only costs speed.
 */
static void gzw_start_pool(struct artbag_gzw *g)
{
    g->tids = calloc((size_t)g->threads, sizeof(*g->tids));
    if (!g->tids)
        return;
    pthread_mutex_lock(&g->mu);
    while (g->nworkers < g->threads &&
           artbag_thread_start(&g->tids[g->nworkers], gzw_worker, g) == ARTBAG_OK)
        g->nworkers++;
    g->alive = g->nworkers;
    pthread_mutex_unlock(&g->mu);
}

int artbag_gzw_new(struct artbag_gzw **out, int fd, const char *name, struct artbag_error *err)
{
    struct artbag_gzw *g = calloc(1, sizeof(*g));

    *out = NULL;
    if (!g)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
    g->fd = fd;
    g->name = name;
    g->threads = artbag_gz_default_threads();
    if (pthread_mutex_init(&g->mu, NULL) != 0) {
        free(g);
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create a mutex", name);
    }
    pthread_cond_init(&g->work, NULL);
    pthread_cond_init(&g->done, NULL);
    /* Raw deflate: the gzip header and trailer are ours to write. */
    if (!(g->zc = libdeflate_alloc_compressor(GZW_LEVEL))) {
        artbag_gzw_free(g);
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
    }
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
    struct gzw_slot *sl = &g->slots[g->nwritten % g->nslots];
    int rc = ARTBAG_OK;

    pthread_mutex_lock(&g->mu);
    while (sl->state != SLOT_DONE) {
        if (!wait) {
            pthread_mutex_unlock(&g->mu);
            return 1;
        }
        if (g->alive > 0 || !gzw_run_one(g, g->zc))
            pthread_cond_wait(&g->done, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
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
    sl->state = SLOT_FILLING;
    g->nwritten++;
    return rc;
}

/* Queues the block being filled, writes whatever is ready, and makes room for the next. */
static int gzw_submit(struct artbag_gzw *g, int more, struct artbag_error *err)
{
    int rc;

    pthread_mutex_lock(&g->mu);
    g->slots[g->nfill % g->nslots].state = SLOT_QUEUED;
    g->nfill++;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->mu);
    /* Threads only pay off for a stream longer than one block, which a single article's bundle
     * rarely is. */
    if (more && g->threads > 1 && !g->tids)
        gzw_start_pool(g);
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
    if (!g->slots)
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
    if (g->tids) {
        artbag_threads_stop(&g->mu, &g->work, &g->stop, g->tids, g->nworkers);
        free(g->tids);
    }
    for (size_t i = 0; g->slots && i < g->nslots; i++) {
        free(g->slots[i].in);
        free(g->slots[i].out);
    }
    free(g->slots);
    if (g->zc)
        libdeflate_free_compressor(g->zc);
    pthread_cond_destroy(&g->work);
    pthread_cond_destroy(&g->done);
    pthread_mutex_destroy(&g->mu);
    free(g);
}
