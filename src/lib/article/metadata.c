/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* metadata.c - writing data/metadata.json, the article's metadata as JSON that
 * manifests/metadata.schema.json describes, through jansson so the escaping is never ours. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "article/article.h"

/*
 * Makes a JSON string of s, or null when s is NULL, into *v. jansson refuses strings that are
 * not UTF-8 and reports that the same way as running out of memory, so on failure we try again
 * without the check to tell the two apart: a bad string is the caller's input, not our fault.
 * what names the field in messages.
 */
static int new_string(const char *s, const char *what, json_t **v, struct artbag_error *err)
{
    json_t *probe;

    *v = s ? json_string(s) : json_null();
    if (*v)
        return ARTBAG_OK;
    probe = json_stringn_nocheck(s, strlen(s));
    if (!probe)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata field '%s'", what);
    json_decref(probe);
    return artbag_error_set(err, ARTBAG_EREJECT, "metadata field '%s' is not valid UTF-8", what);
}

/* Sets obj[key] to s as a JSON string, or to null when s is NULL. */
static int set_string(json_t *obj, const char *key, const char *s, struct artbag_error *err)
{
    json_t *v;
    int rc = new_string(s, key, &v, err);

    if (rc != ARTBAG_OK)
        return rc;
    /* json_object_set_new() releases v even when it fails. */
    if (json_object_set_new(obj, key, v) != 0)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata field '%s'", key);
    return ARTBAG_OK;
}

static int set_new(json_t *obj, const char *key, json_t *v, struct artbag_error *err)
{
    /* json_object_set_new() takes v even when it fails, so NULL and failure share one path. */
    if (!v || json_object_set_new(obj, key, v) != 0)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata field '%s'", key);
    return ARTBAG_OK;
}

static int add_dois(json_t *root, const struct artbag_article_info *info, struct artbag_error *err)
{
    json_t *dois = json_array();
    size_t i;
    int rc;

    /* Attach first so that root owns the array and one json_decref(root) frees everything. */
    rc = set_new(root, "dois", dois, err);
    if (rc != ARTBAG_OK)
        return rc;
    for (i = 0; i < info->n_dois; i++) {
        json_t *v;

        if (!info->dois || !info->dois[i])
            return artbag_error_set(err, ARTBAG_EINTERNAL, "doi %zu of %zu is missing", i + 1,
                                    info->n_dois);
        rc = new_string(info->dois[i], "dois", &v, err);
        if (rc != ARTBAG_OK)
            return rc;
        if (json_array_append_new(dois, v) != 0)
            return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata field 'dois'");
    }
    return ARTBAG_OK;
}

/* A list of strings as a JSON array, set only when it has items. */
static int add_list(json_t *root, const char *key, char **v, size_t n, struct artbag_error *err)
{
    json_t *a;
    size_t i;
    int rc;

    if (!n)
        return ARTBAG_OK;
    a = json_array();
    rc = set_new(root, key, a, err);
    for (i = 0; rc == ARTBAG_OK && i < n; i++) {
        json_t *item;

        rc = new_string(v[i], key, &item, err);
        if (rc == ARTBAG_OK && json_array_append_new(a, item) != 0)
            rc =
                artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata field '%s'", key);
    }
    return rc;
}

/* A string set only when the article gave it. */
static int add_optional(json_t *root, const char *key, const char *s, struct artbag_error *err)
{
    return s ? set_string(root, key, s, err) : ARTBAG_OK;
}

/*
 * The fields profile bundle-1.2 added (issue 15), each present only when the article gives it,
 * so a bundle of an article that says none of them is the same as before.
 */
static int add_read_fields(json_t *root, const struct artbag_article_info *info,
                           struct artbag_error *err)
{
    int rc = add_list(root, "authors", info->authors, info->n_authors, err);

    if (rc == ARTBAG_OK)
        rc = add_optional(root, "modified", info->modified, err);
    if (rc == ARTBAG_OK)
        rc = add_optional(root, "description", info->description, err);
    if (rc == ARTBAG_OK)
        rc = add_optional(root, "language", info->language, err);
    if (rc == ARTBAG_OK)
        rc = add_list(root, "tags", info->tags, info->n_tags, err);
    if (rc == ARTBAG_OK)
        rc = add_optional(root, "site_name", info->site_name, err);
    if (rc == ARTBAG_OK)
        rc = add_optional(root, "captured_with", info->captured_with, err);
    return rc;
}

/* One payload file as {path, given_path (when set), bytes, sha256, media_type}, into *out. */
static int payload_object(const struct artbag_payload_file *file, json_t **out,
                          struct artbag_error *err)
{
    json_t *article = json_object();
    int rc = ARTBAG_OK;

    /* The schema requires these to be strings; a NULL here is a bug in the caller. */
    if (!file->path || !file->sha256 || !file->media_type) {
        json_decref(article);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "payload file description is incomplete");
    }
    /* json_int_t is signed 64-bit; no real file comes near the limit, but never wrap silently. */
    if (file->bytes > (uint64_t)INT64_MAX) {
        json_decref(article);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "payload size is too large for JSON");
    }
    if (!article)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata");
    rc = set_string(article, "path", file->path, err);
    if (rc == ARTBAG_OK && file->given_path)
        rc = set_string(article, "given_path", file->given_path, err);
    if (rc == ARTBAG_OK)
        rc = set_new(article, "bytes", json_integer((json_int_t)file->bytes), err);
    if (rc == ARTBAG_OK)
        rc = set_string(article, "sha256", file->sha256, err);
    if (rc == ARTBAG_OK)
        rc = set_string(article, "media_type", file->media_type, err);
    if (rc != ARTBAG_OK) {
        json_decref(article);
        return rc;
    }
    *out = article;
    return ARTBAG_OK;
}

static int add_article(json_t *root, const struct artbag_payload_file *file,
                       struct artbag_error *err)
{
    json_t *article = NULL;
    int rc = payload_object(file, &article, err);

    return rc == ARTBAG_OK ? set_new(root, "article", article, err) : rc;
}

/* The original captures kept beside the article; absent when none, so old bundles stay. */
static int add_attachments(json_t *root, const struct artbag_payload_file *atts, size_t n,
                           struct artbag_error *err)
{
    json_t *a;
    int rc;

    if (!n)
        return ARTBAG_OK;
    a = json_array();
    rc = set_new(root, "attachments", a, err);
    for (size_t i = 0; rc == ARTBAG_OK && i < n; i++) {
        json_t *item = NULL;

        rc = payload_object(&atts[i], &item, err);
        if (rc == ARTBAG_OK && json_array_append_new(a, item) != 0)
            rc = artbag_error_set(err, ARTBAG_EIO,
                                  "out of memory writing metadata field 'attachments'");
    }
    return rc;
}

static int add_packager(json_t *root, struct artbag_error *err)
{
    json_t *packager = json_object();
    int rc;

    rc = set_new(root, "packager", packager, err);
    if (rc == ARTBAG_OK)
        rc = set_string(packager, "name", "artbag", err);
    if (rc == ARTBAG_OK)
        rc = set_string(packager, "version", ARTBAG_VERSION_STRING, err);
    return rc;
}

int artbag_metadata_write(struct artbag_buf *out, const struct artbag_article_info *info,
                          const struct artbag_payload_file *file, struct artbag_error *err)
{
    return artbag_metadata_write_attached(out, info, file, NULL, 0, err);
}

int artbag_metadata_write_attached(struct artbag_buf *out, const struct artbag_article_info *info,
                                   const struct artbag_payload_file *file,
                                   const struct artbag_payload_file *atts, size_t n_atts,
                                   struct artbag_error *err)
{
    json_t *root = NULL;
    char *text = NULL;
    size_t start = out->len;
    int rc;

    /* The schema makes the title the one field that can never be null; pack.c checks for it. */
    if (!info || !file || !info->title || !*info->title)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "metadata has no title");

    root = json_object();
    if (!root)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata");

    /* Insertion order is output order (jansson keeps it and JSON_PRESERVE_ORDER asks for it), so
     * this sequence is the document's key order and must match the schema's. */
    rc = set_string(root, "title", info->title, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "published", info->published, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "byline", info->byline, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "source_url", info->source_url, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "retrieved", info->retrieved, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "credit", info->credit, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "citation", info->citation, err);
    if (rc == ARTBAG_OK)
        rc = set_string(root, "rights", info->rights, err);
    if (rc == ARTBAG_OK)
        rc = add_read_fields(root, info, err);
    if (rc == ARTBAG_OK)
        rc = add_dois(root, info, err);
    if (rc == ARTBAG_OK)
        rc = add_article(root, file, err);
    if (rc == ARTBAG_OK)
        rc = add_attachments(root, atts, n_atts, err);
    if (rc == ARTBAG_OK)
        rc = add_packager(root, err);
    if (rc != ARTBAG_OK)
        goto cleanup;

    /* No JSON_ENSURE_ASCII: the file is UTF-8 and readers should see the text, not escapes. */
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata");
        goto cleanup;
    }
    if (artbag_buf_puts(out, text) != ARTBAG_OK || artbag_buf_puts(out, "\n") != ARTBAG_OK) {
        if (out->data) {
            out->len = start;
            out->data[start] = '\0';
        }
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory writing metadata");
        goto cleanup;
    }
    rc = ARTBAG_OK;

cleanup:
    free(text);
    json_decref(root);
    return rc;
}
