/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* error.c - filling the caller's struct artbag_error, the library's one way of reporting. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define CUT "[...]"

int artbag_error_set(struct artbag_error *err, int status, const char *fmt, ...)
{
    char *full;
    va_list ap;
    int n;

    if (!err)
        return status;
    err->status = status;
    err->kind = NULL;
    va_start(ap, fmt);
    n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    /* Too long for the message (a path of thousands of bytes): keep its start and its end,
     * which says what went wrong, and cut the middle. */
    if (n >= (int)sizeof(err->msg) && (full = malloc((size_t)n + 1))) {
        size_t head = 256, tail = sizeof(err->msg) - head - sizeof(CUT);

        va_start(ap, fmt);
        vsnprintf(full, (size_t)n + 1, fmt, ap);
        va_end(ap);
        memcpy(err->msg + head, CUT, sizeof(CUT) - 1);
        memcpy(err->msg + head + sizeof(CUT) - 1, full + (size_t)n - tail, tail + 1);
        free(full);
    }
    return status;
}

int artbag_error_prefix(struct artbag_error *err, const char *subject)
{
    char old[ARTBAG_ERROR_MAX];
    int n;

    if (!err)
        return ARTBAG_OK;
    memcpy(old, err->msg, sizeof(old));
    n = snprintf(err->msg, sizeof(err->msg), "'%s': ", subject);
    /* A message cut short still names its subject, which matters more than its tail. */
    if (n >= 0 && (size_t)n < sizeof(err->msg))
        snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, "%.*s",
                 (int)(sizeof(err->msg) - (size_t)n - 1), old);
    return err->status;
}

const char *artbag_version(void)
{
    return ARTBAG_VERSION_STRING;
}

/*
 * Set from a signal handler, read by the loops that move bytes on every thread. A lock-free
 * atomic is what C11 lets a handler write and other threads read alike; a volatile
 * sig_atomic_t is safe only within the thread the signal interrupts (ThreadSanitizer reports
 * the race).
 */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "artbag_cancel() needs a lock-free atomic int");
static atomic_int cancel_requested;

void artbag_cancel(void)
{
    atomic_store_explicit(&cancel_requested, 1, memory_order_relaxed);
}

int artbag_cancelled(void)
{
    return atomic_load_explicit(&cancel_requested, memory_order_relaxed) != 0 ||
           artbag_cancel_token_triggered(artbag_call_token());
}
