/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* show.c - reads what a bundle says about itself (bag-info, metadata.json, files and their
 * recorded digests) in one pass that skips payload bytes wherever the container allows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

#define KEPT_MAX ((size_t)64 * 1024 * 1024)

struct kept {
    char *path;
    struct artbag_buf text;
    int too_large;
};

/*
 * What show returns: the public struct first, then what was added since, reached through
 * functions, so a new field never moves one a caller compiled against (callers never allocate
 * a struct artbag_info: artbag_show() does).
 */
struct info_full {
    struct artbag_info pub;
    char *catalog; /* data/catalog.jsonl of a collection, or NULL */
};

struct collector {
    struct artbag_info *info;
    struct kept *kept; /* bagit.txt, bag-info.txt, manifests, data/metadata.json */
    size_t n_kept;
    struct kept *cur;
    int oom;
};

static int is_wanted(const char *path)
{
    int alg, is_tag;

    return strcmp(path, "bagit.txt") == 0 || strcmp(path, "bag-info.txt") == 0 ||
           strcmp(path, "data/metadata.json") == 0 || strcmp(path, "data/catalog.jsonl") == 0 ||
           artbag_signature_name(path) ||
           (!strchr(path, '/') && artbag_manifest_name(path, &alg, &is_tag) == 1 && !is_tag);
}

static int c_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    struct collector *c = ctx;
    struct artbag_info *info = c->info;

    (void)mtime;
    c->cur = NULL;
    if (type != ARTBAG_ENTRY_FILE)
        return ARTBAG_SKIP;
    if (strncmp(path, "data/", 5) == 0) {
        struct artbag_info_file *g =
            realloc(info->files, (info->n_files + 1) * sizeof(*info->files));

        if (!g)
            return ARTBAG_EIO;
        info->files = g;
        memset(&g[info->n_files], 0, sizeof(*g));
        g[info->n_files].bytes = size;
        if (!(g[info->n_files].path = strdup(path)))
            return ARTBAG_EIO;
        info->n_files++;
    }
    if (!is_wanted(path))
        return ARTBAG_SKIP;
    {
        struct kept *g = realloc(c->kept, (c->n_kept + 1) * sizeof(*c->kept));

        if (!g)
            return ARTBAG_EIO;
        c->kept = g;
        memset(&g[c->n_kept], 0, sizeof(*g));
        if (!(g[c->n_kept].path = strdup(path)))
            return ARTBAG_EIO;
        c->cur = &g[c->n_kept++];
    }
    return ARTBAG_OK;
}

static int c_data(void *ctx, const void *buf, size_t len)
{
    struct collector *c = ctx;
    struct kept *k = c->cur;

    if (!k || k->too_large)
        return ARTBAG_OK;
    if (k->text.len + len > KEPT_MAX) {
        k->too_large = 1;
        artbag_buf_release(&k->text);
        return ARTBAG_OK;
    }
    return artbag_buf_append(&k->text, buf, len) == ARTBAG_OK ? ARTBAG_OK : ARTBAG_EIO;
}

static int c_end(void *ctx)
{
    ((struct collector *)ctx)->cur = NULL;
    return ARTBAG_OK;
}

static struct kept *find_kept(struct collector *c, const char *path)
{
    for (size_t i = 0; i < c->n_kept; i++)
        if (strcmp(c->kept[i].path, path) == 0 && !c->kept[i].too_large)
            return &c->kept[i];
    return NULL;
}

/* The manifest to quote digests from: sha256 when there is one (what artbag writes and
 * sha256sum checks), else the strongest present. */
static struct kept *pick_manifest(struct collector *c, int *alg_out)
{
    static const int order[] = {ARTBAG_SHA256, ARTBAG_SHA512, ARTBAG_SHA384,
                                ARTBAG_SHA224, ARTBAG_SHA1,   ARTBAG_MD5};

    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        char name[32];
        struct kept *k;

        snprintf(name, sizeof(name), "manifest-%s.txt", artbag_alg_name(order[i]));
        if ((k = find_kept(c, name))) {
            *alg_out = order[i];
            return k;
        }
    }
    return NULL;
}

/* Who signed, as the signature files say; show checks nothing, verify --trust does. */
static int collect_signatures(struct collector *c)
{
    struct artbag_info *info = c->info;

    for (size_t i = 0; i < c->n_kept; i++) {
        struct artbag_minisig sig;
        struct artbag_signature *g;
        struct artbag_error ignored;
        const struct kept *k = &c->kept[i];

        if (!artbag_signature_name(k->path) || k->too_large)
            continue;
        g = realloc(info->signatures, (info->n_signatures + 1) * sizeof(*g));
        if (!g)
            return ARTBAG_EIO;
        info->signatures = g;
        g += info->n_signatures;
        memset(g, 0, sizeof(*g));
        if (!(g->file = strdup(k->path)))
            return ARTBAG_EIO;
        info->n_signatures++;
        if (artbag_minisig_parse(k->text.data ? k->text.data : "", k->text.len, &sig, &ignored) ==
            ARTBAG_OK) {
            artbag_keyid_hex(sig.id, g->keyid);
            g->trusted_comment = sig.trusted_comment;
            sig.trusted_comment = NULL;
            artbag_minisig_release(&sig);
        }
    }
    return ARTBAG_OK;
}

static int fill(struct collector *c, struct artbag_report *scratch, struct artbag_error *err)
{
    struct artbag_info *info = c->info;
    struct artbag_bagit_decl decl = {0};
    struct artbag_baginfo bi = {0};
    struct artbag_manifest m = {0};
    struct artbag_buf text = ARTBAG_BUF_INIT;
    const char *enc = "UTF-8";
    struct kept *k;
    int alg, rc = ARTBAG_OK;

    k = find_kept(c, "bagit.txt");
    if (!k) {
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': not a BagIt bag (no bagit.txt)",
                              info->path);
        goto cleanup;
    }
    if (artbag_bagit_txt_parse(k->text.data ? k->text.data : "", k->text.len, &decl, scratch) ==
            ARTBAG_OK &&
        decl.encoding)
        enc = decl.encoding;
    if ((k = find_kept(c, "data/metadata.json")) &&
        !(info->metadata_json = strdup(k->text.data ? k->text.data : ""))) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    if ((k = find_kept(c, "data/catalog.jsonl")) &&
        !(((struct info_full *)info)->catalog = strdup(k->text.data ? k->text.data : ""))) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    if ((k = find_kept(c, "bag-info.txt")) &&
        artbag_tagfile_decode(k->text.data ? k->text.data : "", k->text.len, enc, k->path, &text,
                              scratch) == ARTBAG_OK) {
        if ((rc = artbag_baginfo_parse(text.data ? text.data : "", text.len, &bi, scratch)))
            goto cleanup;
        info->bag_info = calloc(bi.n ? bi.n : 1, sizeof(*info->bag_info));
        if (!info->bag_info) {
            rc = ARTBAG_EIO;
            goto cleanup;
        }
        /* Take the strings over rather than copy them. */
        for (size_t i = 0; i < bi.n; i++) {
            info->bag_info[i].label = bi.elems[i].label;
            info->bag_info[i].value = bi.elems[i].value;
            bi.elems[i].label = bi.elems[i].value = NULL;
        }
        info->n_bag_info = bi.n;
    }
    artbag_buf_release(&text);
    if ((k = pick_manifest(c, &alg)) &&
        artbag_tagfile_decode(k->text.data ? k->text.data : "", k->text.len, enc, k->path, &text,
                              scratch) == ARTBAG_OK) {
        if ((rc = artbag_manifest_parse(text.data ? text.data : "", text.len, k->path, alg, 0,
                                        decl.major != 0, &m, scratch)))
            goto cleanup;
        for (size_t i = 0; i < info->n_files; i++)
            for (size_t j = 0; j < m.n; j++)
                if (strcmp(info->files[i].path, m.entries[j].path) == 0) {
                    info->files[i].algorithm = artbag_alg_name(alg);
                    info->files[i].digest = m.entries[j].digest;
                    m.entries[j].digest = NULL;
                    break;
                }
    }
    rc = collect_signatures(c);
cleanup:
    if (rc == ARTBAG_EIO)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    artbag_buf_release(&text);
    artbag_manifest_release(&m);
    artbag_baginfo_release(&bi);
    artbag_bagit_decl_release(&decl);
    return rc;
}

int artbag_show(const char *path, int input_fd, struct artbag_info **out, struct artbag_error *err)
{
    struct artbag_verify_options o;

    artbag_verify_options_init(&o);
    o.input_fd = input_fd;
    return artbag_show_limited(path, &o, out, err);
}

static int show_limited(const char *path, const struct artbag_verify_options *opts,
                        struct artbag_info **out, struct artbag_error *err);

/* The public call: the caller's options over our defaults (see artbag_options_adopt). */
int artbag_show_limited(const char *path, const struct artbag_verify_options *opts,
                        struct artbag_info **out, struct artbag_error *err)
{
    struct artbag_verify_options o;
    struct artbag_call call;
    int rc;

    *out = NULL;
    artbag_verify_options_init(&o);
    if ((rc = artbag_options_adopt(&o, sizeof(o), opts, "verify", err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "show", o.cancel, NULL, NULL);
    rc = show_limited(path, &o, out, err);
    artbag_call_leave(&call);
    return rc;
}

static int show_limited(const char *path, const struct artbag_verify_options *opts,
                        struct artbag_info **out, struct artbag_error *err)
{
    int input_fd = opts->input_fd;
    struct collector c = {0};
    struct artbag_sink sink = {&c, c_begin, c_data, c_end, NULL, NULL};
    struct artbag_report *scratch = NULL; /* show reports no problems: verify does */
    const char *name = input_fd >= 0 ? "<stdin>" : path;
    int rc;

    *out = NULL;
    c.info = calloc(1, sizeof(struct info_full));
    scratch = artbag_report_new(name);
    if (!c.info || !scratch || !(c.info->path = strdup(name))) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    rc = artbag_bag_read(input_fd >= 0 ? NULL : path, input_fd, opts, &sink, scratch, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (scratch->bag)
        c.info->bag = strdup(scratch->bag);
    for (size_t i = 0; i < scratch->n_problems; i++)
        if (strcmp(scratch->problems[i].kind, "archive") == 0 ||
            strcmp(scratch->problems[i].kind, "ambiguous") == 0) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': %s", name,
                                  scratch->problems[i].message);
            goto cleanup;
        }
    rc = fill(&c, scratch, err);
    if (rc == ARTBAG_OK) {
        *out = c.info;
        c.info = NULL;
    }
cleanup:
    for (size_t i = 0; i < c.n_kept; i++) {
        free(c.kept[i].path);
        artbag_buf_release(&c.kept[i].text);
    }
    free(c.kept);
    artbag_info_free(c.info);
    artbag_report_free(scratch);
    return rc;
}

void artbag_info_free(struct artbag_info *info)
{
    if (!info)
        return;
    for (size_t i = 0; i < info->n_bag_info; i++) {
        free(info->bag_info[i].label);
        free(info->bag_info[i].value);
    }
    for (size_t i = 0; i < info->n_files; i++) {
        free(info->files[i].path);
        free(info->files[i].digest);
    }
    for (size_t i = 0; i < info->n_signatures; i++) {
        free(info->signatures[i].file);
        free(info->signatures[i].trusted_comment);
    }
    free(info->signatures);
    free(info->bag_info);
    free(info->files);
    free(info->metadata_json);
    free(((struct info_full *)info)->catalog);
    free(info->bag);
    free(info->path);
    free(info);
}

const char *artbag_info_catalog(const struct artbag_info *info)
{
    return info ? ((const struct info_full *)info)->catalog : NULL;
}
