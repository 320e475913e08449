/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* fuzz_article.c - libFuzzer target for the article reader (artbag_article_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article/article.h"
#include "fuzz_blocks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_article_info info = {0};
    struct artbag_error err;
    /* An exact-size copy, so that reading past len is caught even where the caller's buffer
     * (a struct artbag_buf) would have had a NUL there. */
    unsigned char *copy = calloc(1, size ? size : 1);

    if (!copy)
        return 0;
    if (size)
        memcpy(copy, data, size);
    artbag_article_parse(copy, size, &info, &err);
    artbag_article_info_release(&info);
    artbag_utf8_check(copy, size, &err);
    /* md4c reads the byte after its input (see shapes.h): the reader's text is NUL-terminated */
    {
        char *text = malloc(size + 1);

        if (text) {
            if (size)
                memcpy(text, data, size);
            text[size] = '\0';
            blocks_same(text, size);
            free(text);
        }
    }
    free(copy);
    return 0;
}
