/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * testutil.h - helpers the unit tests share. Include after <cmocka.h> (and its prerequisites):
 * a helper that cannot do its job fails the test rather than return an error to check.
 */
#ifndef ARTBAG_TESTUTIL_H
#define ARTBAG_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>

/*
 * The whole of the file at path, malloc'd and followed by a NUL that *len does not count (so
 * text fixtures can be used as strings too); free() it. Fails the test when path cannot be read.
 */
static inline unsigned char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL, *grown;
    size_t cap = 0, n = 0, got;

    if (!f)
        fail_msg("cannot open '%s'", path);
    do {
        if (n + 1 >= cap) {
            cap = cap ? cap * 2 : 4096;
            grown = realloc(p, cap);
            if (!grown)
                fail_msg("'%s': out of memory", path);
            p = grown;
        }
        got = fread(p + n, 1, cap - n - 1, f);
        n += got;
    } while (got);
    if (ferror(f))
        fail_msg("cannot read '%s'", path);
    fclose(f);
    p[n] = '\0';
    *len = n;
    return p;
}

#endif /* ARTBAG_TESTUTIL_H */
