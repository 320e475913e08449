/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_shapes.c - libFuzzer target for the article shape readers in src/lib/article/ taken one by
 * one (the TOML subset, the line-by-line and YAML front-matter readers and the key maps, Jina
 * Reader's and pandoc's headers, Readwise's list, the date parser, the byline splitter, titles
 * and slugs), so that each is reached with any bytes, not only those the article reader's
 * choice of shape would hand it. The first byte picks the reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article/shapes.h"
#include "fuzz_blocks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void front_matter(const char *s, size_t n, int which)
{
    struct artbag_fm fm = {0};
    struct artbag_shape sh = {0};
    struct artbag_strv w = {0};
    struct artbag_error err;
    int reader_error;

    if (which == 0)
        artbag_fm_toml(s, n, &fm, &w);
    else if (which == 1)
        artbag_fm_lines(s, n, &fm);
    else
        artbag_fm_yaml(s, n, &fm, &reader_error, &err);
    artbag_fm_apply(&fm, &sh, &w);
    artbag_shape_release(&sh);
    artbag_fm_release(&fm);
    artbag_strv_release(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_shape sh = {0};
    struct artbag_strv w = {0}, names = {0};
    char *copy, *str, date[ARTBAG_DATE_MAX], slug[81], *out = NULL;
    int rc;

    if (!size)
        return 0;
    /* An exact-size copy without a NUL, so reading past the end is caught; and a C string for
     * the readers that take one. */
    copy = malloc(size - 1 ? size - 1 : 1);
    str = malloc(size);
    if (!copy || !str) {
        free(copy);
        free(str);
        return 0;
    }
    memcpy(copy, data + 1, size - 1);
    memcpy(str, data + 1, size - 1);
    str[size - 1] = '\0';
    switch (data[0] % 8) {
    case 0:
    case 1:
    case 2:
        front_matter(copy, size - 1, data[0] % 8);
        break;
    case 3:
        artbag_jina_read(copy, size - 1, &sh, &w, &rc);
        artbag_shape_release(&sh);
        artbag_pandoc_block_read(copy, size - 1, &sh, &w, &rc);
        artbag_shape_release(&sh);
        artbag_readwise_read(copy, size - 1, &sh);
        break;
    case 4:
        artbag_date_parse(copy, size - 1, date);
        if (strlen(str) == size - 1)
            artbag_citation_date(str, date);
        break;
    case 5:
        if (strlen(str) == size - 1) {
            artbag_byline_split(str, "Example Wire", &names);
            artbag_title_strip_site(str, "Example", str);
        }
        break;
    case 6:
        if (strlen(str) == size - 1) {
            artbag_slug(str, str, slug);
            artbag_url_is_web(str);
        }
        break;
    default:
        blocks_same(str, size - 1); /* NUL-terminated, as the reader's text is */
        artbag_markdownload_excerpt(copy, size - 1, &out);
        free(out);
        artbag_omnivore_original(copy, size - 1, &out);
        free(out);
        break;
    }
    artbag_shape_release(&sh);
    artbag_strv_release(&w);
    artbag_strv_release(&names);
    free(copy);
    free(str);
    return 0;
}
