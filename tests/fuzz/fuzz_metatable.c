/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_metatable.c - libFuzzer target for the --metadata-from reader (article/metatable.c):
 * CSV through libcsv and JSON Lines through jansson. The first byte picks how the file is
 * named (".csv", ".jsonl", or a name without an extension, so that the content decides), the
 * rest is the file. What the reader accepts must hold what its header promises, so the target
 * checks it and aborts otherwise: rows sorted by path, each path non-empty and once, no value
 * empty, no control character in a value but a description's line breaks, every row found by
 * its path; then each row is applied to an article's metadata as pack does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article/article.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const char *v, int field)
{
    if (!*v)
        abort(); /* an empty cell gives nothing, never "" */
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if ((*p < 0x20 || *p == 0x7f) && !(field == ARTBAG_META_DESCRIPTION && *p == '\n'))
            abort();
}

static void apply(const struct artbag_metarow *r)
{
    struct artbag_article_info info = {0};

    /* what an article may already say, for the row to override or keep */
    info.byline = strdup("By Ann Lee and Bo Chen");
    info.credit = strdup("AFP");
    if (artbag_metarow_apply(r, &info) == ARTBAG_OK)
        for (size_t i = 0; i < info.n_authors; i++)
            if (!info.authors[i] || !*info.authors[i])
                abort();
    artbag_article_info_release(&info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"meta.csv", "meta.jsonl", "meta"};
    struct artbag_metatable t;
    struct artbag_error err;
    char *copy;
    int jsonl;

    if (!size)
        return 0;
    copy = exact_copy(data + 1, size - 1);
    if (!copy)
        return 0;
    jsonl = artbag_metatable_is_jsonl(names[data[0] % 3], copy, size - 1);
    if (artbag_metatable_parse(copy, size - 1, jsonl, &t, &err) == ARTBAG_OK) {
        for (size_t i = 0; i < t.n; i++) {
            const struct artbag_metarow *r = &t.rows[i];

            if (!r->path || !*r->path || (i && strcmp(t.rows[i - 1].path, r->path) >= 0) ||
                artbag_metatable_find(&t, r->path) != r || r->line == 0)
                abort();
            check_value(r->path, -1);
            for (int f = 0; f < ARTBAG_META_N; f++)
                if (r->f[f])
                    check_value(r->f[f], f);
            apply(r);
        }
        artbag_metatable_release(&t);
    } else if (t.n || t.rows || !err.msg[0]) {
        abort(); /* a refusal leaves the table empty and says why */
    }
    free(copy);
    return 0;
}
