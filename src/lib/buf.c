/* buf.c - a growing byte buffer for building tag files and JSON in memory before they are
 * written, since tag files are small and must be complete before their digests are known. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int buf_reserve(struct artbag_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return ARTBAG_EIO;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return ARTBAG_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return ARTBAG_EIO;
    b->data = p;
    b->cap = cap;
    return ARTBAG_OK;
}

int artbag_buf_append(struct artbag_buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ARTBAG_OK;
}

int artbag_buf_puts(struct artbag_buf *b, const char *s)
{
    return artbag_buf_append(b, s, strlen(s));
}

int artbag_buf_printf(struct artbag_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n) != ARTBAG_OK)
        return ARTBAG_EIO;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ARTBAG_OK;
}

char *artbag_buf_detach(struct artbag_buf *b, size_t *len)
{
    char *p = b->data;

    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void artbag_buf_release(struct artbag_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
