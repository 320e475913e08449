/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * inspect.c - what pack would record for an article, without writing a bundle: the metadata.json
 * pack would write, whether pack would take the article, and every warning the reader gave, as
 * one JSON object, so a batch can be checked before it is packed.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ops.h"

/* metadata.json as pack writes it; pack.c's names for the article inside the bag. */
#define ARTICLE_PATH "data/article.md"
#define MEDIA_TYPE   "text/markdown; charset=utf-8"

/*
 * The metadata object for info. artbag_metadata_write() refuses an untitled article (pack never
 * writes one), so an article without a title is written with a placeholder that becomes null:
 * the archivist still sees every other field that was read.
 */
static int metadata_of(struct artbag_article_info *info, const struct artbag_buf *article,
                       const char *hex, json_t **out, struct artbag_error *err)
{
    struct artbag_payload_file pf = {ARTICLE_PATH, article->len, hex, MEDIA_TYPE, NULL};
    struct artbag_buf text = ARTBAG_BUF_INIT;
    char *title = info->title, placeholder[] = "-";
    json_error_t jerr;
    int rc;

    if (!title)
        info->title = placeholder;
    rc = artbag_metadata_write(&text, info, &pf, err);
    info->title = title;
    if (rc != ARTBAG_OK)
        goto cleanup;
    *out = json_loadb(text.data, text.len, JSON_DECODE_ANY, &jerr);
    if (!*out) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    if (!title && json_object_set_new(*out, "title", json_null()) != 0)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
cleanup:
    artbag_buf_release(&text);
    return rc;
}

int artbag_inspect(const char *path, const struct artbag_pack_options *opts, char **json,
                   struct artbag_error *err)
{
    struct artbag_pack_options defaults;
    struct artbag_article_info info = {0};
    struct artbag_buf article = ARTBAG_BUF_INIT;
    struct artbag_error problem = {0};
    struct artbag_digests digests = {0, {""}};
    json_t *root = NULL, *meta = NULL, *warnings;
    int rc, load;
    size_t i;

    *json = NULL;
    /* The caller's options as this library knows them (a caller built against an older header
     * has a shorter struct), without on_warning: the warnings go into the JSON instead. */
    artbag_pack_options_init(&defaults);
    if ((rc = artbag_options_adopt(&defaults, sizeof(defaults), opts, "pack", err)) != ARTBAG_OK)
        return rc;
    defaults.on_warning = NULL;
    opts = &defaults;
    rc = artbag_pack_options_check(opts, err);
    if (rc != ARTBAG_OK)
        return rc;
    load =
        artbag_article_load(path, opts->input_fd, NULL, opts, &article, &digests, &info, &problem);
    /* Could not read it: that is no verdict on the article. */
    if (load != ARTBAG_OK && load != ARTBAG_EREJECT) {
        *err = problem;
        rc = load;
        goto cleanup;
    }
    root = json_object();
    warnings = json_array();
    if (!root || json_object_set_new(root, "path", json_string(path)) != 0 ||
        json_object_set_new(root, "valid", json_boolean(load == ARTBAG_OK)) != 0 ||
        json_object_set_new(root, "problem",
                            load == ARTBAG_OK ? json_null() : json_string(problem.msg)) != 0 ||
        json_object_set_new(root, "warnings", warnings) != 0)
        goto oom;
    for (i = 0; i < info.n_warnings; i++)
        if (json_array_append_new(warnings, json_string(info.warnings[i])) != 0)
            goto oom;
    /* An article refused before it was read (empty, not UTF-8) has no metadata to show. */
    if (*digests.hex[ARTBAG_SHA256] &&
        (info.title || info.source_url || info.published || info.n_warnings)) {
        rc = metadata_of(&info, &article, digests.hex[ARTBAG_SHA256], &meta, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
        if (json_object_set_new(root, "metadata", meta) != 0)
            goto oom;
    } else if (json_object_set_new(root, "metadata", json_null()) != 0) {
        goto oom;
    }
    *json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!*json)
        goto oom;
    rc = load;
    if (load == ARTBAG_EREJECT)
        *err = problem;
    goto cleanup;
oom:
    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
cleanup:
    json_decref(root);
    artbag_article_info_release(&info);
    artbag_buf_release(&article);
    return rc;
}
