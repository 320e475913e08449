/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* fuzz_blocks.h - the check the article fuzz targets share on blocks.c's shortcut. */
#ifndef ARTBAG_FUZZ_BLOCKS_H
#define ARTBAG_FUZZ_BLOCKS_H

#include <stdlib.h>
#include <string.h>

#include "article/shapes.h"

/* md4c stopped where the rest of the text is settled prose must find what md4c over all of it
 * finds: the same headings, with the same lines and text, and the same code lines. */
static inline void blocks_same(const char *s, size_t n)
{
    struct artbag_blocks b, all;

    if (artbag_blocks_read(s, n, &b) != ARTBAG_OK)
        return;
    if (artbag_blocks_read_all(s, n, &all) == ARTBAG_OK) {
        if (b.n_h != all.n_h || b.n_lines != all.n_lines ||
            (b.n_lines && memcmp(b.code, all.code, b.n_lines) != 0))
            abort();
        for (size_t i = 0; i < b.n_h; i++)
            if (b.h[i].level != all.h[i].level || b.h[i].first_line != all.h[i].first_line ||
                b.h[i].last_line != all.h[i].last_line || strcmp(b.h[i].text, all.h[i].text) != 0)
                abort();
        artbag_blocks_release(&all);
    }
    artbag_blocks_release(&b);
    /* and with the lines given, as the article reader gives them */
    {
        size_t n_lines = 1, k = 1, *starts;

        for (size_t i = 0; i < n; i++)
            n_lines += s[i] == '\n';
        if (!(starts = malloc(n_lines * sizeof(*starts))))
            return;
        starts[0] = 0;
        for (size_t i = 0; i < n; i++)
            if (s[i] == '\n')
                starts[k++] = i + 1;
        if (artbag_blocks_read_lines(s, n, starts, n_lines, &all) == ARTBAG_OK) {
            if (artbag_blocks_read(s, n, &b) == ARTBAG_OK) {
                if (b.n_h != all.n_h || b.n_lines != all.n_lines ||
                    (b.n_lines && memcmp(b.code, all.code, b.n_lines) != 0))
                    abort();
                artbag_blocks_release(&b);
            }
            artbag_blocks_release(&all);
        }
        free(starts);
    }
}

#endif /* ARTBAG_FUZZ_BLOCKS_H */
