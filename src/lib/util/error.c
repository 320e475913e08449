/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* error.c - filling the caller's struct artbag_error, the library's one way of reporting. */
#include <signal.h>
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

/* Set from a signal handler, read by the loops that move bytes. */
static volatile sig_atomic_t cancel_requested;

void artbag_cancel(void)
{
    cancel_requested = 1;
}

int artbag_cancelled(void)
{
    return cancel_requested != 0 || artbag_cancel_token_triggered(artbag_call_token());
}
