/* error.c - filling the caller's struct artbag_error, the library's one way of reporting. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

int artbag_error_set(struct artbag_error *err, int status, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return status;
    err->status = status;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
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
    return cancel_requested != 0;
}
