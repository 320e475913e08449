/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* hasher.c - hashes a stream of files on a thread of its own, so that verifying one large bundle
 * spreads its work over the cores: the inflating threads feed the reading thread, which parses
 * the tar and hands each file's bytes here instead of hashing them itself. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/digest.h"

/*
 * The bytes wait in one ring buffer, written by the reading thread and read by the hashing one.
 * 4 MiB holds several tar blocks' worth of files, enough that neither side waits for the other
 * at every file, and bounds memory whatever the bundle holds.
 */
#define RING_SIZE ((size_t)4 * 1024 * 1024)
/* The longest piece of data one message carries; a longer write is cut into pieces. */
#define PIECE_MAX ((size_t)256 * 1024)
/* Written bytes are handed over in batches of about this much, to lock once per batch. */
#define PUBLISH_AT ((size_t)64 * 1024)

enum { MSG_BEGIN = 1, MSG_DATA, MSG_END, MSG_PAD };

/* Every message starts at a multiple of 8 in the ring; data follows its header. */
struct msg {
    uint32_t type;
    uint32_t len;  /* MSG_DATA: bytes that follow; MSG_PAD: bytes to skip, header included */
    unsigned mask; /* MSG_BEGIN */
    void *target;  /* MSG_BEGIN: handed to the done callback */
};

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

struct artbag_hasher {
    unsigned char *ring;
    artbag_hasher_done_fn *done;
    /*
     * Positions count bytes ever written or consumed, so head <= tail always and tail - head is
     * the fill. The writer alone moves wtail (written, maybe not yet handed over) and tail (handed
     * over); the hashing thread alone moves head. tail and head change under mu only.
     */
    size_t head, tail, wtail;
    size_t head_seen; /* the writer's last look at head */
    pthread_mutex_t mu;
    pthread_cond_t filled;  /* tail moved, or stop */
    pthread_cond_t drained; /* head moved */
    pthread_t tid;
    int started, stop;
    int failed; /* the hashing thread hit an error (no memory); set under mu */
    /* the hashing thread's own */
    struct artbag_multihash *mh;
    void *target;
    unsigned mask;
};

/* The hashing thread: takes whatever has been handed over and works through it unlocked. */
static void *hasher_main(void *arg)
{
    struct artbag_hasher *h = arg;
    char hex[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];

    pthread_mutex_lock(&h->mu);
    for (;;) {
        size_t head, tail;
        int failed;

        while (h->head == h->tail && !h->stop)
            pthread_cond_wait(&h->filled, &h->mu);
        if (h->stop)
            break; /* whatever is left unhashed is abandoned */
        head = h->head;
        tail = h->tail;
        failed = h->failed;
        pthread_mutex_unlock(&h->mu);
        while (head < tail) {
            size_t off = head % RING_SIZE;
            struct msg m;

            /* A message never straddles the end: the writer pads, or leaves less than a
             * header, which means the same. */
            if (RING_SIZE - off < sizeof(m)) {
                head += RING_SIZE - off;
                continue;
            }
            memcpy(&m, h->ring + off, sizeof(m));
            switch (m.type) {
            case MSG_BEGIN:
                h->target = m.target;
                h->mask = m.mask;
                if (!failed && artbag_multihash_reset(h->mh, m.mask) != ARTBAG_OK)
                    failed = 1;
                head += ALIGN8(sizeof(m));
                break;
            case MSG_DATA:
                if (!failed &&
                    artbag_multihash_update(h->mh, h->ring + off + sizeof(m), m.len) != ARTBAG_OK)
                    failed = 1;
                head += ALIGN8(sizeof(m) + m.len);
                break;
            case MSG_END:
                if (!failed && (artbag_multihash_final(h->mh, hex) != ARTBAG_OK ||
                                h->done(h->target, h->mask, hex) != ARTBAG_OK))
                    failed = 1;
                head += ALIGN8(sizeof(m));
                break;
            default: /* MSG_PAD */
                head += m.len;
                break;
            }
        }
        pthread_mutex_lock(&h->mu);
        h->head = head;
        h->failed = failed;
        pthread_cond_signal(&h->drained);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int artbag_hasher_new(struct artbag_hasher **out, artbag_hasher_done_fn *done)
{
    struct artbag_hasher *h = calloc(1, sizeof(*h));

    *out = NULL;
    if (!h)
        return ARTBAG_EIO;
    h->done = done;
    if (!(h->ring = malloc(RING_SIZE)) || artbag_multihash_new(&h->mh) != ARTBAG_OK) {
        artbag_multihash_free(h->mh);
        free(h->ring);
        free(h);
        return ARTBAG_EIO;
    }
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->filled, NULL);
    pthread_cond_init(&h->drained, NULL);
    if (artbag_thread_start(&h->tid, hasher_main, h) != ARTBAG_OK) {
        artbag_hasher_free(h);
        return ARTBAG_EIO;
    }
    h->started = 1;
    *out = h;
    return ARTBAG_OK;
}

/* Hands everything written so far to the hashing thread. */
static void publish(struct artbag_hasher *h)
{
    pthread_mutex_lock(&h->mu);
    h->tail = h->wtail;
    h->head_seen = h->head;
    pthread_cond_signal(&h->filled);
    pthread_mutex_unlock(&h->mu);
}

/*
 * Makes room for a message of n bytes (header included, a multiple of 8) that does not cross
 * the ring's end, padding to the end when it would; returns where to write it.
 */
static unsigned char *reserve(struct artbag_hasher *h, size_t n)
{
    for (;;) {
        size_t off = h->wtail % RING_SIZE;
        size_t contiguous = RING_SIZE - off;
        size_t need = contiguous < n ? contiguous + n : n;

        if (RING_SIZE - (h->wtail - h->head_seen) >= need) {
            if (contiguous < n) {
                /* Pad to the end; too little room for a header means the same to the reader. */
                if (contiguous >= sizeof(struct msg)) {
                    struct msg pad = {MSG_PAD, (uint32_t)contiguous, 0, NULL};

                    memcpy(h->ring + off, &pad, sizeof(pad));
                }
                h->wtail += contiguous;
                off = 0;
            }
            return h->ring + off;
        }
        /* Full as far as the writer knows: hand over what is written, wait for the reader. */
        pthread_mutex_lock(&h->mu);
        h->tail = h->wtail;
        pthread_cond_signal(&h->filled);
        while (RING_SIZE - (h->wtail - h->head) < need)
            pthread_cond_wait(&h->drained, &h->mu);
        h->head_seen = h->head;
        pthread_mutex_unlock(&h->mu);
    }
}

static void put(struct artbag_hasher *h, const struct msg *m, const void *data, size_t len)
{
    size_t n = ALIGN8(sizeof(*m) + len);
    unsigned char *p = reserve(h, n);

    memcpy(p, m, sizeof(*m));
    if (len)
        memcpy(p + sizeof(*m), data, len);
    h->wtail += n;
    if (h->wtail - h->tail >= PUBLISH_AT)
        publish(h);
}

void artbag_hasher_begin(struct artbag_hasher *h, void *target, unsigned mask)
{
    struct msg m = {MSG_BEGIN, 0, mask, target};

    put(h, &m, NULL, 0);
}

void artbag_hasher_data(struct artbag_hasher *h, const void *buf, size_t len)
{
    const unsigned char *p = buf;

    while (len > 0) {
        size_t k = len < PIECE_MAX ? len : PIECE_MAX;
        struct msg m = {MSG_DATA, (uint32_t)k, 0, NULL};

        put(h, &m, p, k);
        p += k;
        len -= k;
    }
}

void artbag_hasher_end(struct artbag_hasher *h)
{
    struct msg m = {MSG_END, 0, 0, NULL};

    put(h, &m, NULL, 0);
}

int artbag_hasher_drain(struct artbag_hasher *h)
{
    int failed;

    publish(h);
    pthread_mutex_lock(&h->mu);
    while (h->head != h->tail)
        pthread_cond_wait(&h->drained, &h->mu);
    h->head_seen = h->head;
    failed = h->failed;
    pthread_mutex_unlock(&h->mu);
    return failed ? ARTBAG_EIO : ARTBAG_OK;
}

void artbag_hasher_free(struct artbag_hasher *h)
{
    if (!h)
        return;
    if (h->started)
        artbag_threads_stop(&h->mu, &h->filled, &h->stop, &h->tid, 1);
    pthread_cond_destroy(&h->filled);
    pthread_cond_destroy(&h->drained);
    pthread_mutex_destroy(&h->mu);
    artbag_multihash_free(h->mh);
    free(h->ring);
    free(h);
}
