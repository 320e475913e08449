/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* utf8.c - the one UTF-8 validator of libartbag (articles, tag files, tar names), over utf8proc,
 * which refuses overlongs, surrogates and values past U+10FFFF as RFC 3629 does. */
#include <string.h>

#include <utf8proc.h>

#include "util/util.h"

size_t artbag_utf8_invalid_at(const unsigned char *buf, size_t len)
{
    size_t i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;

        /* ASCII needs no decoding, and manifests of millions of lines and articles are mostly
         * ASCII: 32 bytes at a time, then 8, while no high bit is set. */
        const uint64_t high = UINT64_C(0x8080808080808080);
        uint64_t a, b, c, d;

        /* four words in registers (an array of four went through the stack) */
        while (i + 32 <= len) {
            memcpy(&a, buf + i, 8);
            memcpy(&b, buf + i + 8, 8);
            memcpy(&c, buf + i + 16, 8);
            memcpy(&d, buf + i + 24, 8);
            if ((a | b | c | d) & high)
                break;
            i += 32;
        }
        while (i + 8 <= len && (memcpy(&a, buf + i, 8), !(a & high)))
            i += 8;
        if (i == len)
            break;
        if (buf[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8proc_iterate(buf + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0)
            return i;
        i += (size_t)n;
    }
    return len;
}

int artbag_utf8_check(const unsigned char *buf, size_t len, struct artbag_error *err)
{
    size_t bad = artbag_utf8_invalid_at(buf, len);

    if (bad < len)
        return artbag_error_set(err, ARTBAG_EREJECT, "invalid UTF-8 at byte offset %zu", bad);
    return ARTBAG_OK;
}
