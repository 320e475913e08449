/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * util/util.h - the bottom layer of libartbag: errors, growing buffers, a seeded hash for
 * in-memory tables, worker threads and the ordered pool, the one UTF-8 validator.
 *
 * It may use: libc, pthreads and utf8proc (for UTF-8) only. It never prints, never exits, touches
 * no file (that is util/fs.h) and knows nothing of bags, archives, keys or articles: every other
 * layer builds on it.
 */
#ifndef ARTBAG_UTIL_H
#define ARTBAG_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "artbag.h"

#if defined(__GNUC__)
#define ARTBAG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ARTBAG_PRINTF(f, a)
#endif

/* ---- error.c ---------------------------------------------------------------------------- */

/* Fills err (when non-NULL) with status and the formatted message; returns status. */
int artbag_error_set(struct artbag_error *err, int status, const char *fmt, ...)
    ARTBAG_PRINTF(3, 4);

/*
 * Puts "'subject': " in front of the message already in err, so a pure parser's message can be
 * given the name of the file it was parsing. Returns err->status (ARTBAG_OK when err is NULL).
 */
int artbag_error_prefix(struct artbag_error *err, const char *subject);

/* Non-zero once artbag_cancel() was called, or the token of the call this thread works for
 * was triggered: loops that move bytes stop with "interrupted". */
int artbag_cancelled(void);

/* ---- call.c: one public call's token, progress and options ------------------------------ */

/* A public call's scope, on its stack; see call.c. */
struct artbag_call {
    struct artbag_call *outer;
    const struct artbag_cancel_token *cancel;
    artbag_progress_fn fn; /* NULL unless the outermost scope of the thread */
    void *ctx;
    struct artbag_progress p;
    uint64_t reported;
};

void artbag_call_enter(struct artbag_call *c, const char *operation,
                       struct artbag_cancel_token *cancel, artbag_progress_fn fn, void *ctx);
void artbag_call_leave(struct artbag_call *c);
/* The token this thread's work answers to (its call's, or the one it adopted), or NULL. */
const struct artbag_cancel_token *artbag_call_token(void);
/* In a thread a call started: answer to t (threads.c does this for every thread). */
void artbag_call_adopt(const struct artbag_cancel_token *t);
/* Progress of the current call: what is read and how big it is (0: unknown), bytes read,
 * items (articles, bundles) done, and the final report. No-ops without a callback. */
void artbag_call_input(const char *path, uint64_t bytes_total);
void artbag_call_bytes(uint64_t n);
void artbag_call_items(uint64_t done, uint64_t total, uint64_t bytes);
void artbag_call_done(void);
/*
 * Copies the caller's options src (NULL: keep dst) over dst, which holds our defaults and is
 * dst_size bytes: only the first src->size bytes, so a caller built against an older, smaller
 * struct gets the defaults for the fields it does not know. ARTBAG_EUSAGE when src->size is 0
 * (not initialised); what ("pack", "verify", ...) names the _init function in the message.
 */
int artbag_options_adopt(void *dst, size_t dst_size, const void *src, const char *what,
                         struct artbag_error *err);

/* ---- buf.c: a growing byte buffer ------------------------------------------------------- */

struct artbag_buf {
    char *data; /* always NUL-terminated when non-NULL; len excludes the NUL */
    size_t len;
    size_t cap;
};

#define ARTBAG_BUF_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Appends; returns ARTBAG_OK or ARTBAG_EIO when out of memory (the buffer is then unchanged). */
int artbag_buf_append(struct artbag_buf *b, const void *p, size_t n);
int artbag_buf_puts(struct artbag_buf *b, const char *s);
int artbag_buf_printf(struct artbag_buf *b, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
/*
 * Room for element n of the array arr, which has room for *cap elements of size bytes: arr
 * itself while n < *cap, else arr grown to twice its capacity (first elements the first time)
 * with *cap updated. NULL when out of memory or when the size would overflow, with arr and *cap
 * untouched (the caller still owns and frees arr).
 */
void *artbag_array_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first);

/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char *artbag_buf_detach(struct artbag_buf *b, size_t *len);
void artbag_buf_release(struct artbag_buf *b);

/* A hash of n bytes for in-memory tables, seeded per process (never stored or printed). */
uint64_t artbag_hash_bytes(const void *p, size_t n);

/* A NUL-terminated copy of the n bytes at p, which need not hold a NUL (strndup would look
 * for one past them); NULL without memory. */
char *artbag_memdup_str(const void *p, size_t n);

/* 1 when the n bytes at p are all zero: the padding tar and compressed streams may end with. */
int artbag_all_zero(const unsigned char *p, size_t n);

/* n bytes for people: "64 GiB", "1 MiB", "4 KiB" when exact, else "N bytes". */
void artbag_size_str(uint64_t n, char out[32]);

/* ---- threads.c: starting and stopping worker threads ---------------------------------- */

/* Starts fn(arg) on a new thread with every signal blocked in it. ARTBAG_EIO if it cannot. */
int artbag_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);
/* Sets *stop under mu, wakes every thread waiting on wake, and joins the n threads. */
void artbag_threads_stop(pthread_mutex_t *mu, pthread_cond_t *wake, int *stop,
                         const pthread_t *tids, int n);

/*
 * An ordered pool: the owner fills slots of a ring in order and queues them; threads work them
 * (deflate or inflate one block) with a state of their own each; the owner takes the results in
 * the same order. Slot k of the stream is slot k % nslots of the ring. gzwrite.c and instream.c
 * keep their blocks in arrays of nslots beside it.
 */
enum { ARTBAG_POOL_IDLE, ARTBAG_POOL_QUEUED, ARTBAG_POOL_BUSY, ARTBAG_POOL_DONE };
struct artbag_pool_ops {
    void *(*state_new)(void);        /* one worker's state (a compressor); NULL: no memory */
    void (*state_free)(void *state); /* takes NULL */
    /* Works one slot; touches only that slot's data and state, so any thread can run it. */
    void (*run)(void *ctx, void *state, size_t slot);
};
struct artbag_pool {
    const struct artbag_pool_ops *ops;
    void *ctx;
    int *state; /* per slot, one of ARTBAG_POOL_*; under mu */
    size_t nslots;
    uint64_t nqueued, njob; /* [njob, nqueued) wait for a thread */
    void *own;              /* the owner's state, for when no thread works */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *tids;
    int nworkers, alive, stop, live;
};
/* Sets p up with the owner's state (no thread yet). ARTBAG_EIO without memory. */
int artbag_pool_init(struct artbag_pool *p, size_t nslots, const struct artbag_pool_ops *ops,
                     void *ctx);
/* Starts up to n threads, once; one that fails to start only costs speed. */
void artbag_pool_start(struct artbag_pool *p, int n);
/* Queues the next slot in stream order, its data ready. */
void artbag_pool_queue(struct artbag_pool *p);
/* Returns 1 once slot is done: the owner's alone again, and done until it is queued anew.
 * Without block, 0 when it is not done yet. With no thread to do it, the owner works the
 * queue itself. */
int artbag_pool_wait(struct artbag_pool *p, size_t slot, int block);
/* Stops the threads and frees the pool; safe on a pool never set up (zeroed). */
void artbag_pool_destroy(struct artbag_pool *p);

/* ---- utf8.c: the one UTF-8 validator ------------------------------------------------ */

/* Offset of the first byte that is not well-formed UTF-8 (RFC 3629), or len when all are. */
size_t artbag_utf8_invalid_at(const unsigned char *buf, size_t len);

/*
 * Checks that buf is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
 * Returns ARTBAG_OK or ARTBAG_EREJECT with "invalid UTF-8 at byte offset N".
 */
int artbag_utf8_check(const unsigned char *buf, size_t len, struct artbag_error *err);

#endif /* ARTBAG_UTIL_H */
