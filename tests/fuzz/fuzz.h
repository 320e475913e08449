/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* fuzz.h - what the fuzz targets share. */
#ifndef ARTBAG_FUZZ_H
#define ARTBAG_FUZZ_H

#include <stdlib.h>
#include <string.h>

/* An exact-size copy, so reading past len is caught even where a buffer holds a NUL there. */
static inline char *exact_copy(const void *p, size_t n)
{
    char *c = malloc(n ? n : 1);

    if (c && n)
        memcpy(c, p, n);
    return c;
}

#endif /* ARTBAG_FUZZ_H */
