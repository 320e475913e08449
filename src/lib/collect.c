/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* collect.c - many articles at once: one collection bag holding them all, or one bundle per
 * article on several threads. Each article is read once and hashed as it is read. */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <fts.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ops.h"

#define SLUG_MAX   80
#define MEDIA_TYPE "text/markdown; charset=utf-8"

void artbag_collection_options_init(struct artbag_collection_options *o)
{
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->glob = "*.md";
}

/* ---- slugs ----------------------------------------------------------------------------- */

/* artbag_slug() is in article/url.c: it decodes URLs and keeps Unicode letters. */

/* ---- the list of articles -------------------------------------------------------------- */

struct list {
    char **paths;
    unsigned char *walked; /* found in a directory walk: it may be a page bundle's article */
    char **bundle;         /* its page bundle's directory (page_bundles()), or NULL */
    size_t n, cap;
};

static int list_add_walked(struct list *l, const char *path, int walked)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **g = realloc(l->paths, cap * sizeof(*g));
        unsigned char *w;

        if (!g)
            return ARTBAG_EIO;
        l->paths = g;
        if (!(w = realloc(l->walked, cap)))
            return ARTBAG_EIO;
        l->walked = w;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return ARTBAG_EIO;
    l->walked[l->n] = (unsigned char)walked;
    l->n++;
    return ARTBAG_OK;
}

static int list_add(struct list *l, const char *path)
{
    return list_add_walked(l, path, 0);
}

static void list_release(struct list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
        if (l->bundle)
            free(l->bundle[i]);
    }
    free(l->paths);
    free(l->walked);
    free(l->bundle);
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

/*
 * Collects the files below dir whose names match glob, in byte order. A link whose name matches
 * is taken too, and followed when its article is read (a dangling one, or one to a directory,
 * then fails there by name: never dropped in silence); links are never walked into. fts(3)
 * walks without recursion; each path is spelled dir "/" the path below it (dir's own trailing
 * slashes dropped), so messages name files as given.
 */
static int walk(struct list *l, struct list *others, const char *dir, const char *glob,
                struct artbag_error *err)
{
    char *const roots[] = {(char *)dir, NULL};
    size_t len = strlen(dir);
    /* fts joins a child to a root that ends in '/' without another one */
    size_t skip = len - (len && dir[len - 1] == '/') + 1, dlen = len;
    FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, by_name);
    FTSENT *e;
    int rc = ARTBAG_OK;

    if (!fts)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    while (rc == ARTBAG_OK) {
        char path[PATH_MAX];
        const char *rel;

        errno = 0;
        if (!(e = fts_read(fts))) {
            if (errno)
                rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
            break;
        }
        if (e->fts_info == FTS_DP)
            continue;
        if (e->fts_level == 0) {
            if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR || e->fts_info == FTS_NS)
                rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(e->fts_errno));
            continue;
        }
        rel = e->fts_path + skip;
        if ((size_t)snprintf(path, sizeof(path), "%.*s/%s", (int)dlen, dir, rel) >= sizeof(path)) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s/%s': path too long", dir, rel);
            break;
        }
        switch (e->fts_info) {
        case FTS_DNR:
        case FTS_ERR:
        case FTS_NS:
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(e->fts_errno));
            break;
        case FTS_F:
        case FTS_SL:
        case FTS_SLNONE:
            if (fnmatch(glob, e->fts_name, 0) == 0) {
                if (list_add_walked(l, path, 1) != ARTBAG_OK)
                    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            } else if (others && e->fts_info == FTS_F && e->fts_name[0] != '.' &&
                       list_add(others, path) != ARTBAG_OK) {
                rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            }
            break;
        default: /* directories are entered; links, devices and the rest are not articles */
            break;
        }
    }
    fts_close(fts);
    return rc;
}

static int page_bundles(struct list *l, const struct list *others,
                        const struct artbag_pack_options *po, struct artbag_error *err);

static int expand(struct list *l, const char *const *inputs, size_t n,
                  const struct artbag_collection_options *co, const struct artbag_pack_options *po,
                  struct artbag_error *err)
{
    struct list others = {0};
    int rc = ARTBAG_OK;

    for (size_t i = 0; i < n; i++) {
        struct stat st;

        /* A missing or unreadable input is left to the article loader, which names it. */
        if (stat(inputs[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = walk(l, &others, inputs[i], co->glob ? co->glob : "*.md", err);
        else
            rc = list_add(l, inputs[i]) == ARTBAG_OK
                     ? ARTBAG_OK
                     : artbag_error_set(err, ARTBAG_EIO, "out of memory");
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    if (l->n == 0)
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "no articles found");
    else
        rc = page_bundles(l, &others, po, err);
cleanup:
    list_release(&others);
    return rc;
}

/* ---- page bundles ---------------------------------------------------------------------- */

static int by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The length of path's directory part ("in/a" of "in/a/x.md"), 0 when it has none. */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? (size_t)(slash - path) : 0;
}

/* Whether path lies below the directory dir (dlen bytes). */
static int below(const char *path, const char *dir, size_t dlen)
{
    return strncmp(path, dir, dlen) == 0 && path[dlen] == '/';
}

/*
 * A walked directory holding exactly one article, and none in its subdirectories, is that
 * article's page bundle (as Hugo and Obsidian keep them): its other files, in subdirectories
 * too (Hugo keeps a bundle's resources in folders), are the article's attachments. In byte
 * order every path below one directory forms one run, so an article is alone in its directory
 * tree exactly when neither neighbour in that order lies below the same directory: one sort,
 * not a comparison of every pair. A directory with several articles keeps its other files out
 * of the bag, and the pack options' on_warning says so.
 */
static int page_bundles(struct list *l, const struct list *others,
                        const struct artbag_pack_options *po, struct artbag_error *err)
{
    char **sorted = NULL, **dirs = NULL;
    size_t n = 0, nd = 0;
    int rc = ARTBAG_OK;

    if (!(l->bundle = calloc(l->n, sizeof(*l->bundle))) ||
        !(sorted = malloc(l->n * sizeof(*sorted))) || !(dirs = malloc(l->n * sizeof(*dirs))))
        goto oom;
    for (size_t i = 0; i < l->n; i++)
        if (l->walked[i])
            sorted[n++] = l->paths[i];
    if (!n)
        goto cleanup;
    qsort(sorted, n, sizeof(*sorted), by_path);
    for (size_t i = 0; i < l->n; i++) {
        char **at;
        size_t k, d;

        if (!l->walked[i] || !(d = dir_len(l->paths[i])))
            continue;
        at = bsearch(&l->paths[i], sorted, n, sizeof(*sorted), by_path);
        k = (size_t)(at - sorted);
        if ((k > 0 && below(sorted[k - 1], l->paths[i], d)) ||
            (k + 1 < n && below(sorted[k + 1], l->paths[i], d))) {
            dirs[nd++] = l->paths[i]; /* shares its directory tree */
            continue;
        }
        if (!(l->bundle[i] = strndup(l->paths[i], d)))
            goto oom;
    }
    /* The other files of a directory that holds several articles directly: one warning per
     * directory, naming one of them, rather than dropping them in silence. */
    if (po->on_warning && others->n && nd) {
        const char *last = NULL;
        size_t last_len = 0;

        for (size_t i = 0; i < others->n; i++) {
            const char *f = others->paths[i];
            size_t d = dir_len(f), count = 0;
            char msg[ARTBAG_ERROR_MAX], where[ARTBAG_ERROR_MAX];

            if (last && d == last_len && strncmp(f, last, d) == 0)
                continue;
            /* a directory's files come one after another: counted once per run of them */
            last = f;
            last_len = d;
            for (size_t j = 0; j < nd; j++)
                count += dir_len(dirs[j]) == d && strncmp(dirs[j], f, d) == 0;
            if (count < 2)
                continue;
            snprintf(where, sizeof(where), "%.*s", (int)d, f);
            snprintf(msg, sizeof(msg),
                     "holds %zu articles, so its other files (such as '%s') are not "
                     "attachments: a page bundle is a directory with one article",
                     count, f + d + 1);
            po->on_warning(po->warning_ctx, where, msg);
        }
    }
    goto cleanup;
oom:
    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
cleanup:
    free(sorted);
    free(dirs);
    return rc;
}

/* A page bundle's files as attachments: sources, their names in the bag, and the pairs. */
struct attach_set {
    struct artbag_attach_src *v;
    char **src, **rel;
    size_t n, cap;
};

static void attach_set_release(struct attach_set *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->src[i]);
        free(a->rel[i]);
    }
    free(a->src);
    free(a->rel);
    free(a->v);
    memset(a, 0, sizeof(*a));
}

static int attach_set_add(struct attach_set *a, const char *src, const char *prefix,
                          const char *rel)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        char **s = realloc(a->src, cap * sizeof(*s)), **r;
        struct artbag_attach_src *v;

        if (!s)
            return ARTBAG_EIO;
        a->src = s;
        if (!(r = realloc(a->rel, cap * sizeof(*r))))
            return ARTBAG_EIO;
        a->rel = r;
        if (!(v = realloc(a->v, cap * sizeof(*v))))
            return ARTBAG_EIO;
        a->v = v;
        a->cap = cap;
    }
    a->src[a->n] = strdup(src);
    a->rel[a->n] = malloc(strlen(prefix) + strlen(rel) + 1);
    if (!a->src[a->n] || !a->rel[a->n]) {
        free(a->src[a->n]);
        free(a->rel[a->n]);
        return ARTBAG_EIO;
    }
    sprintf(a->rel[a->n], "%s%s", prefix, rel);
    a->n++;
    for (size_t i = 0; i < a->n; i++) /* the arrays may have moved */
        a->v[i] = (struct artbag_attach_src){a->src[i], a->rel[i]};
    return ARTBAG_OK;
}

/*
 * The files of the page bundle dir other than its article, in byte order, named prefix + their
 * path below dir. Hidden files and folders (.DS_Store, .obsidian/) are an editor's, not the
 * capture's, and are left out; a link is taken when it leads to a regular file. Every part of
 * a name must be one a bag can hold (artbag_attach_name_check), else the article is refused
 * before a byte of it is written.
 */
static int bundle_files(const char *dir, const char *article, const char *prefix,
                        struct attach_set *out, struct artbag_error *err)
{
    char *const roots[] = {(char *)dir, NULL};
    size_t skip = strlen(dir) + 1;
    FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    FTSENT *e;
    int rc = ARTBAG_OK;

    if (!fts)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    while (rc == ARTBAG_OK && (e = fts_read(fts))) {
        const char *rel = e->fts_path + skip;
        struct stat st;

        if (e->fts_level == 0 || e->fts_info == FTS_DP)
            continue;
        if (e->fts_name[0] == '.') {
            if (e->fts_info == FTS_D)
                fts_set(fts, e, FTS_SKIP);
            continue;
        }
        if (e->fts_info == FTS_DNR || e->fts_info == FTS_ERR || e->fts_info == FTS_NS) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", e->fts_path, strerror(e->fts_errno));
            break;
        }
        if (e->fts_info == FTS_D || strcmp(e->fts_path, article) == 0)
            continue;
        if (!(e->fts_info == FTS_F ||
              (e->fts_info == FTS_SL && stat(e->fts_path, &st) == 0 && S_ISREG(st.st_mode))))
            continue;
        for (const char *part = rel; rc == ARTBAG_OK && part;) {
            const char *end = strchr(part, '/');
            char name[NAME_MAX + 1];

            snprintf(name, sizeof(name), "%.*s", end ? (int)(end - part) : (int)strlen(part), part);
            rc = artbag_attach_name_check(name, err);
            part = end ? end + 1 : NULL;
        }
        if (rc != ARTBAG_OK) {
            artbag_error_prefix(err, e->fts_path);
            rc = err->status = ARTBAG_EREJECT; /* the page bundle's, as a bad article is */
            break;
        }
        if (attach_set_add(out, e->fts_path, prefix, rel) != ARTBAG_OK)
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    fts_close(fts);
    return rc;
}

/* ---- unique names ---------------------------------------------------------------------- */

/*
 * The slugs taken so far, in an open-addressing table, each with the next suffix to try when it
 * is taken again: so a thousand articles with one slug cost a thousand probes, not a million.
 */
struct names {
    struct name_slot {
        char *name;    /* NULL: empty */
        unsigned next; /* the next "-k" to try for this base */
    } * slots;
    size_t n, cap; /* cap a power of two, or 0 */
};

static struct name_slot *names_find(const struct names *s, const char *name)
{
    size_t j;

    if (!s->cap)
        return NULL;
    for (j = artbag_hash_bytes(name, strlen(name)) & (s->cap - 1); s->slots[j].name;
         j = (j + 1) & (s->cap - 1))
        if (strcmp(s->slots[j].name, name) == 0)
            return &s->slots[j];
    return NULL;
}

/* Adds name (not present); returns its slot, or NULL without memory. */
static struct name_slot *names_add(struct names *s, const char *name)
{
    size_t j;

    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        struct name_slot *slots = calloc(ncap, sizeof(*slots));

        if (!slots)
            return NULL;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i].name)
                continue;
            for (j = artbag_hash_bytes(s->slots[i].name, strlen(s->slots[i].name)) & (ncap - 1);
                 slots[j].name; j = (j + 1) & (ncap - 1))
                ;
            slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = ncap;
    }
    for (j = artbag_hash_bytes(name, strlen(name)) & (s->cap - 1); s->slots[j].name;
         j = (j + 1) & (s->cap - 1))
        ;
    if (!(s->slots[j].name = strdup(name)))
        return NULL;
    s->slots[j].next = 2;
    s->n++;
    return &s->slots[j];
}

/*
 * Makes slug unique among the names taken so far by appending -2, -3, ... in the order articles
 * come, as before; the base remembers how far its suffixes got.
 */
static int names_take(struct names *s, char slug[SLUG_MAX + 16])
{
    char base[SLUG_MAX + 1];
    struct name_slot *b = names_find(s, slug);
    unsigned k;

    if (!b)
        return names_add(s, slug) ? ARTBAG_OK : ARTBAG_EIO;
    snprintf(base, sizeof(base), "%s", slug);
    /* A candidate can be taken already as an article's own slug ("a-2"): then try the next. */
    for (k = b->next;; k++) {
        snprintf(slug, SLUG_MAX + 16, "%s-%u", base, k);
        if (!names_find(s, slug))
            break;
    }
    b->next = k + 1; /* before names_add, which may move the slots */
    return names_add(s, slug) ? ARTBAG_OK : ARTBAG_EIO;
}

static void names_release(struct names *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i].name);
    free(s->slots);
}

/* Whose article would the files be? A page bundle says so by where they are. */
static int attach_refused(struct artbag_error *err)
{
    int rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "the attach option is for one article; in a collection, keep each "
                              "article's files beside it in a directory of its own (a page "
                              "bundle)");

    err->kind = "attach-collection";
    return rc;
}

/* ---- one collection bag ---------------------------------------------------------------- */

static int catalog_line(struct artbag_buf *out, const char *slug,
                        const struct artbag_article_info *info, const char *hex)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s?, s:s, s:s}", "slug", slug, "title", info->title, "published",
                  info->published, "source_url", info->source_url, "sha256", hex);
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    int rc = line && artbag_buf_puts(out, line) == ARTBAG_OK && artbag_buf_puts(out, "\n") == 0
                 ? ARTBAG_OK
                 : ARTBAG_EIO;

    free(line);
    json_decref(o);
    return rc;
}

struct collection {
    struct artbag_bundlew *w;
    struct artbag_attacher *at;        /* made at the first page bundle: one libmagic, one table */
    struct artbag_manifests manifests; /* one per algorithm asked for */
    struct artbag_buf catalog;
    struct names slugs;
    uint64_t bytes, files, articles, skipped;
};

/*
 * Adds one article's text and metadata to the spooled payload. The article's directory gets no
 * tar entry of its own: neither BagIt nor any tar reader needs one (they create parents as they
 * go, as unpack does), and 20,000 of them cost 10 MB to inflate and 1.2% of the bundle's size.
 * The bag's own directory and data/ keep theirs.
 */
/*
 * Streams a page bundle's files into the collection beside its article, each once (identical
 * bytes anywhere in the collection are stored once: attach.c), and lists them for metadata.json
 * and the manifest. A failure here is never the article's alone: entries are already written,
 * and a tar cannot take them back, so the collection stops.
 */
static int collect_attachments(struct collection *col, const struct attach_set *set,
                               struct artbag_attachment *atts, int *stored,
                               struct artbag_payload_file *apf, struct artbag_error *err)
{
    int rc = ARTBAG_OK;

    if (!col->at)
        rc = artbag_attacher_new(&col->at, col->manifests.mask, err);
    for (size_t i = 0; rc == ARTBAG_OK && i < set->n; i++) {
        rc = artbag_attach_write(col->at, col->w, set->v[i].src, set->v[i].rel, &atts[i],
                                 &stored[i], err);
        if (rc != ARTBAG_OK)
            break;
        apf[i] = (struct artbag_payload_file){atts[i].path, atts[i].bytes, atts[i].sha256,
                                              atts[i].media_type, atts[i].given};
        if (stored[i]) {
            if (artbag_manifests_add(&col->manifests, &atts[i].digests, atts[i].path) != ARTBAG_OK)
                rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            col->bytes += atts[i].bytes;
            col->files++;
        }
    }
    return rc;
}

static int collect_one(struct collection *col, const char *path, const char *bundle,
                       const struct artbag_pack_options *po, const struct artbag_metarow *row,
                       int *article_fault, uint64_t *read_bytes, struct artbag_error *err)
{
    struct artbag_article_info info = {0};
    struct artbag_buf article = ARTBAG_BUF_INIT, meta = ARTBAG_BUF_INIT;
    struct artbag_digests ad, md = {col->manifests.mask, {{0}}};
    char slug[SLUG_MAX + 16], arel[SLUG_MAX + 64], mrel[SLUG_MAX + 64], prefix[SLUG_MAX + 64];
    struct artbag_payload_file pf = {arel, 0, ad.hex[ARTBAG_SHA256], MEDIA_TYPE, NULL};
    struct artbag_pack_options own = *po;
    struct attach_set set = {0};
    struct artbag_attachment *atts = NULL;
    struct artbag_payload_file *apf = NULL;
    int *stored = NULL;
    int rc;

    /* url, title and date are the collection's own (External-Identifier, -Description), not
     * every article's: given to each, they made every catalog title the collection's. */
    own.url = own.title = own.date = NULL;
    if (row) { /* its own, from --metadata-from: checked when the table was read */
        own.url = row->f[ARTBAG_META_URL];
        own.title = row->f[ARTBAG_META_TITLE];
        own.date = row->f[ARTBAG_META_DATE];
    }
    rc = artbag_article_load(path, -1, NULL, &own, &article, &ad, &info, err);
    *article_fault = rc != ARTBAG_OK;
    *read_bytes = article.len;
    if (rc == ARTBAG_OK && row && artbag_metarow_apply(row, &info) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (rc != ARTBAG_OK)
        goto cleanup;
    artbag_slug(info.source_url, info.title, slug);
    if (names_take(&col->slugs, slug) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    snprintf(arel, sizeof(arel), "data/%s/article.md", slug);
    snprintf(mrel, sizeof(mrel), "data/%s/metadata.json", slug);
    snprintf(prefix, sizeof(prefix), "data/%s/attachments/", slug);
    pf.bytes = article.len;
    /* The page bundle's files are listed (and their names judged) before anything is written,
     * so a bad name is the article's fault and skip_bad can pass over it. */
    if (bundle && (rc = bundle_files(bundle, path, prefix, &set, err)) != ARTBAG_OK) {
        *article_fault = rc == ARTBAG_EREJECT;
        goto cleanup;
    }
    if (set.n &&
        (!(atts = calloc(set.n, sizeof(*atts))) || !(stored = calloc(set.n, sizeof(*stored))) ||
         !(apf = calloc(set.n, sizeof(*apf))))) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    if ((rc = artbag_bundlew_add(col->w, arel, article.data ? article.data : "", article.len)) ||
        (set.n && (rc = collect_attachments(col, &set, atts, stored, apf, err))) ||
        (rc = artbag_metadata_write_attached(&meta, &info, &pf, apf, set.n, err)))
        goto cleanup;
    if (artbag_digests_of(&md, meta.data, meta.len) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
        goto cleanup;
    }
    if ((rc = artbag_bundlew_add(col->w, mrel, meta.data, meta.len)))
        goto cleanup;
    if (artbag_manifests_add(&col->manifests, &ad, arel) != ARTBAG_OK ||
        artbag_manifests_add(&col->manifests, &md, mrel) != ARTBAG_OK ||
        catalog_line(&col->catalog, slug, &info, ad.hex[ARTBAG_SHA256]) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    col->bytes += article.len + meta.len;
    col->files += 2;
    col->articles++;
cleanup:
    for (size_t i = 0; atts && i < set.n; i++)
        artbag_attachment_release(&atts[i]);
    free(atts);
    free(stored);
    free(apf);
    attach_set_release(&set);
    artbag_buf_release(&meta);
    artbag_buf_release(&article);
    artbag_article_info_release(&info);
    return rc;
}

/*
 * What a failure does: stops everything, or with skip_bad, when the article itself was at
 * fault (unreadable, not UTF-8, no title...), is named and passed over. A full disk or an
 * existing bundle is never the article's fault.
 */
static int bad_article(const struct artbag_collection_options *co, const char *path, int rc,
                       int article_fault, struct artbag_error *err, uint64_t *skipped)
{
    if (!(co->skip_bad & ~ARTBAG_SKIP_EXISTING) || !article_fault || artbag_cancelled())
        return rc;
    (*skipped)++;
    if (co->on_skip)
        co->on_skip(co->ctx, path, err);
    return ARTBAG_OK;
}

/* The largest --metadata-from file read: a row per article, so far more than any corpus. */
#define METATABLE_MAX (256u << 20)

/*
 * Reads co->metadata_from into t, checks each row's url, title and date as the pack options
 * are checked, finds each article's row (rows[i] for l->paths[i], NULL for none) and reports
 * the match through co->on_metadata. Without metadata_from, *rows stays NULL.
 */
static int metadata_load(const struct artbag_collection_options *co, const struct list *l,
                         struct artbag_metatable *t, struct artbag_metarow ***rows,
                         struct artbag_error *err)
{
    const char *name = co->metadata_from;
    struct artbag_buf buf = ARTBAG_BUF_INIT;
    const char **unmatched = NULL;
    size_t n_unmatched = 0, matched = 0;
    char chunk[65536];
    int fd = -1, rc = ARTBAG_OK;
    ssize_t got;

    *rows = NULL;
    if (!name)
        return ARTBAG_OK;
    if ((fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
    while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
            goto cleanup;
        }
        if (buf.len + (size_t)got > METATABLE_MAX) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': larger than %u MiB", name,
                                  METATABLE_MAX >> 20);
            goto cleanup;
        }
        if (artbag_buf_append(&buf, chunk, (size_t)got) != ARTBAG_OK)
            goto oom;
    }
    rc = artbag_metatable_parse(buf.data ? buf.data : "", buf.len,
                                artbag_metatable_is_jsonl(name, buf.data, buf.len), t, err);
    if (rc != ARTBAG_OK) {
        artbag_error_prefix(err, name);
        goto cleanup;
    }
    for (size_t i = 0; i < t->n; i++) {
        struct artbag_pack_options own;
        const struct artbag_metarow *r = &t->rows[i];

        artbag_pack_options_init(&own);
        own.url = r->f[ARTBAG_META_URL];
        own.title = r->f[ARTBAG_META_TITLE];
        own.date = r->f[ARTBAG_META_DATE];
        if ((rc = artbag_pack_options_check(&own, err)) != ARTBAG_OK) {
            char why[ARTBAG_ERROR_MAX];

            memcpy(why, err->msg, sizeof(why));
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': line %zu: %s", name, r->line, why);
            goto cleanup;
        }
    }
    if (!(*rows = calloc(l->n ? l->n : 1, sizeof(**rows))))
        goto oom;
    for (size_t i = 0; i < l->n; i++)
        if (((*rows)[i] = artbag_metatable_find(t, l->paths[i])))
            (*rows)[i]->matched = 1;
    if (t->n && !(unmatched = calloc(t->n, sizeof(*unmatched))))
        goto oom;
    for (size_t i = 0; i < t->n; i++) {
        if (t->rows[i].matched)
            matched++;
        else
            unmatched[n_unmatched++] = t->rows[i].path;
    }
    if (co->on_metadata)
        co->on_metadata(co->ctx, name, t->n, matched, unmatched, n_unmatched);
    goto cleanup;
oom:
    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
cleanup:
    if (fd >= 0)
        close(fd);
    free(unmatched);
    artbag_buf_release(&buf);
    return rc;
}

static int pack_collection(const char *const *inputs, size_t n_inputs, const char *bundle_path,
                           const struct artbag_pack_options *po,
                           const struct artbag_collection_options *co,
                           struct artbag_pack_result *result, struct artbag_error *err)
{
    struct collection col;
    struct list l = {0};
    struct artbag_buf bagit = ARTBAG_BUF_INIT, baginfo = ARTBAG_BUF_INIT;
    struct artbag_buf sig = ARTBAG_BUF_INIT;
    struct artbag_manifests tm;
    struct artbag_digests cd = {artbag_digest_mask(po), {{0}}};
    struct artbag_seckey *key = NULL;
    struct artbag_metatable table = {0};
    struct artbag_metarow **rows = NULL;
    char desc[96], bag[PATH_MAX];
    const char *base = strrchr(bundle_path, '/') ? strrchr(bundle_path, '/') + 1 : bundle_path;
    uint64_t done_bytes = 0, bundle_bytes = 0;
    int64_t mtime = po->have_mtime ? po->mtime : (int64_t)time(NULL);
    size_t blen = strlen(base);
    struct stat st;
    int rc;

    memset(&col, 0, sizeof(col));
    artbag_manifests_init(&col.manifests, cd.mask);
    artbag_manifests_init(&tm, 0);
    /* X.TAR.GZ is as much a .tar.gz as x.tar.gz (pack.c matches the same way) */
    if (blen > 7 && strcasecmp(base + blen - 7, ".tar.gz") == 0)
        blen -= 7;
    else if (blen > 4 && strcasecmp(base + blen - 4, ".tgz") == 0)
        blen -= 4;
    else
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': bundle name must end in .tar.gz or .tgz",
                                bundle_path);
    snprintf(bag, sizeof(bag), "%.*s", (int)blen, base);
    rc = artbag_pack_options_check(po, err);
    if (rc == ARTBAG_OK && po->n_attach)
        rc = attach_refused(err);
    if (rc != ARTBAG_OK)
        return rc;
    if (!po->force && lstat(bundle_path, &st) == 0)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s': already exists; pass the force option to replace it",
                                bundle_path);
    if (po->sign_key && (rc = artbag_seckey_load(po->sign_key, po->passphrase, &key, err)))
        return rc;
    rc = expand(&l, inputs, n_inputs, co, po, err);
    if (rc == ARTBAG_OK)
        rc = metadata_load(co, &l, &table, &rows, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    rc = artbag_bundlew_open(&col.w, bundle_path, bag, mtime, 0, err);
    if (rc == ARTBAG_OK && po->threads)
        artbag_bundlew_set_threads(col.w, po->threads);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_spool_begin(col.w);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_add(col.w, "data/", NULL, 0);
    for (size_t i = 0; rc == ARTBAG_OK && i < l.n; i++) {
        uint64_t got = 0;
        int fault = 0;

        /* Progress counts the bytes the article load read: no second look at the file. */
        rc = collect_one(&col, l.paths[i], l.bundle[i], po, rows ? rows[i] : NULL, &fault, &got,
                         err);
        if (rc != ARTBAG_OK)
            rc = bad_article(co, l.paths[i], rc, fault, err, &col.skipped);
        done_bytes += got;
        if (co->on_progress)
            co->on_progress(co->ctx, i + 1, l.n, done_bytes);
        artbag_call_items(i + 1, l.n, done_bytes);
    }
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (col.articles == 0) {
        rc = artbag_error_set(err, ARTBAG_EREJECT, "no article could be packed");
        goto cleanup;
    }
    /* The catalog closes the payload: one JSON line per article, for finding one quickly. */
    if (artbag_digests_of(&cd, col.catalog.data, col.catalog.len) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
        goto cleanup;
    }
    if ((rc = artbag_bundlew_add(col.w, "data/catalog.jsonl", col.catalog.data, col.catalog.len)) ||
        (rc = artbag_bundlew_spool_end(col.w)))
        goto cleanup;
    if (artbag_manifests_add(&col.manifests, &cd, "data/catalog.jsonl") != ARTBAG_OK ||
        artbag_bagit_txt(&bagit) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    col.bytes += col.catalog.len;
    col.files++;
    snprintf(desc, sizeof(desc), "artbag collection of %llu articles",
             (unsigned long long)col.articles);
    if ((rc = artbag_baginfo_build(&baginfo, po, po->url, po->title ? po->title : desc, mtime,
                                   col.bytes, col.files,
                                   col.at || artbag_digests_beyond_1_2(col.manifests.mask)
                                       ? ARTBAG_COLLECTION_PROFILE_IDENTIFIER_1_2
                                       : ARTBAG_COLLECTION_PROFILE_IDENTIFIER,
                                   err)) ||
        (rc = artbag_tagmanifests_build(&tm, &baginfo, &bagit, &col.manifests, err)) ||
        (key && (rc = artbag_sign_tagmanifest(key, tm.m[ARTBAG_SHA256].data,
                                              tm.m[ARTBAG_SHA256].len, bag, mtime, &sig, err))))
        goto cleanup;
    if ((rc = artbag_bundlew_add(col.w, "", NULL, 0)) ||
        (rc = artbag_bundlew_add(col.w, "bag-info.txt", baginfo.data, baginfo.len)) ||
        (rc = artbag_bundlew_add(col.w, "bagit.txt", bagit.data, bagit.len)) ||
        (rc = artbag_manifests_write(col.w, &col.manifests, &tm)) ||
        (sig.len && ((rc = artbag_bundlew_add(col.w, ARTBAG_SIGNATURE_DIR "/", NULL, 0)) ||
                     (rc = artbag_bundlew_add(col.w, ARTBAG_SIGNATURE_FILE, sig.data, sig.len)))) ||
        (rc = artbag_bundlew_commit(col.w, po->force, &bundle_bytes)))
        goto cleanup;
    if (result) {
        result->payload_bytes = col.bytes;
        result->payload_files = col.files;
        result->bundle_bytes = bundle_bytes;
        result->articles = col.articles;
        result->skipped = col.skipped;
    }
cleanup:
    artbag_attacher_free(col.at);
    artbag_bundlew_free(col.w);
    artbag_manifests_release(&col.manifests);
    artbag_buf_release(&col.catalog);
    names_release(&col.slugs);
    artbag_buf_release(&bagit);
    artbag_buf_release(&baginfo);
    artbag_manifests_release(&tm);
    artbag_buf_release(&sig);
    artbag_seckey_free(key);
    free(rows);
    artbag_metatable_release(&table);
    list_release(&l);
    return rc;
}

/* ---- one bundle per article, on several threads ---------------------------------------- */

struct each {
    const struct list *l;
    const char *outdir;
    const struct artbag_pack_options *po;
    const struct artbag_collection_options *co;
    const struct artbag_seckey *key;    /* loaded once: scrypt per article would dominate */
    struct artbag_metarow *const *rows; /* each article's --metadata-from row, or NULL */
    pthread_mutex_t lock;               /* guards everything below, and the callbacks */
    size_t next;
    struct names taken;
    uint64_t done, bytes, packed, skipped, kept; /* kept: existing, ARTBAG_SKIP_EXISTING */
    int failed;                                  /* the first hard failure stops the others */
    struct artbag_error err;
    int rc;
};

/* The reader's warnings from a worker, passed on one at a time under the lock. */
static void each_warning(void *ctx, const char *path, const char *warning)
{
    struct each *e = ctx;

    pthread_mutex_lock(&e->lock);
    e->po->on_warning(e->po->warning_ctx, path, warning);
    pthread_mutex_unlock(&e->lock);
}

static int each_one(struct each *e, const char *path, const char *page_bundle,
                    const struct artbag_metarow *row, int *article_fault, struct artbag_error *err,
                    uint64_t *bytes)
{
    struct attach_set set = {0};
    struct artbag_article_info info = {0};
    struct artbag_buf article = ARTBAG_BUF_INIT;
    struct artbag_pack_options po = *e->po;
    struct artbag_digests digests;
    char slug[SLUG_MAX + 16], bundle[PATH_MAX];
    struct stat st;
    int rc;

    /* The slug needs the article's metadata: read it once here, and pack from memory. */
    if (row) { /* its own, from --metadata-from: checked when the table was read */
        po.url = row->f[ARTBAG_META_URL] ? row->f[ARTBAG_META_URL] : po.url;
        po.title = row->f[ARTBAG_META_TITLE] ? row->f[ARTBAG_META_TITLE] : po.title;
        po.date = row->f[ARTBAG_META_DATE] ? row->f[ARTBAG_META_DATE] : po.date;
    }
    if (po.on_warning) {
        po.on_warning = each_warning;
        po.warning_ctx = e;
    }
    rc = artbag_article_load(path, -1, NULL, &po, &article, &digests, &info, err);
    *article_fault = rc != ARTBAG_OK;
    if (rc == ARTBAG_OK && row && artbag_metarow_apply(row, &info) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (rc != ARTBAG_OK)
        goto cleanup;
    artbag_slug(info.source_url, info.title, slug);
    pthread_mutex_lock(&e->lock);
    rc = names_take(&e->taken, slug);
    pthread_mutex_unlock(&e->lock);
    if (rc != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    {
        size_t dlen = strlen(e->outdir);

        /* "out/" as given: its bundles are out/x.tar.gz in every message, not out//x.tar.gz */
        while (dlen > 1 && e->outdir[dlen - 1] == '/')
            dlen--;
        snprintf(bundle, sizeof(bundle), "%.*s%s%s.tar.gz", (int)dlen, e->outdir,
                 e->outdir[dlen - 1] == '/' ? "" : "/", slug);
    }
    /* Found before the work, and the article's to answer for: skip_bad names and passes it
     * over, ARTBAG_SKIP_EXISTING passes it over quietly, so a rerun packs only what is new. */
    if (!po.force && lstat(bundle, &st) == 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': already exists", bundle);
        err->kind = "exists";
        *article_fault = 2;
        goto cleanup;
    }
    if (page_bundle &&
        (rc = bundle_files(page_bundle, path, "data/attachments/", &set, err)) != ARTBAG_OK) {
        *article_fault = rc == ARTBAG_EREJECT;
        goto cleanup;
    }
    po.threads = 1; /* the workers are the parallelism; one small bundle each */
    po.attach = NULL;
    po.n_attach = 0;
    rc = artbag_pack_loaded(bundle, slug, &po, e->key, &article, &digests, &info, set.v, set.n,
                            ARTBAG_BUNDLEW_BATCH, NULL, err);
    *bytes = article.len;
cleanup:
    attach_set_release(&set);
    artbag_buf_release(&article);
    artbag_article_info_release(&info);
    return rc;
}

static void *each_worker(void *arg)
{
    struct each *e = arg;
    struct artbag_error err;

    for (;;) {
        uint64_t bytes = 0;
        size_t i;
        int rc, fault = 0;

        pthread_mutex_lock(&e->lock);
        if (e->failed || e->next == e->l->n || artbag_cancelled()) {
            pthread_mutex_unlock(&e->lock);
            return NULL;
        }
        i = e->next++;
        pthread_mutex_unlock(&e->lock);
        memset(&err, 0, sizeof(err));
        rc = each_one(e, e->l->paths[i], e->l->bundle[i], e->rows ? e->rows[i] : NULL, &fault, &err,
                      &bytes);
        pthread_mutex_lock(&e->lock);
        if (rc != ARTBAG_OK && fault == 2 && (e->co->skip_bad & ARTBAG_SKIP_EXISTING)) {
            if (e->co->on_skip)
                e->co->on_skip(e->co->ctx, e->l->paths[i], &err);
            e->kept++;
            rc = ARTBAG_OK;
        } else if (rc != ARTBAG_OK)
            rc = bad_article(e->co, e->l->paths[i], rc, fault, &err, &e->skipped);
        else
            e->packed++;
        if (rc != ARTBAG_OK && !e->failed) {
            e->failed = 1;
            e->rc = rc;
            e->err = err;
        }
        e->done++;
        e->bytes += bytes;
        if (e->co->on_progress)
            e->co->on_progress(e->co->ctx, e->done, e->l->n, e->bytes);
        /* From the workers, one at a time under the lock: the header says so. */
        if (e->po->on_progress) {
            struct artbag_progress p = {"pack", e->l->paths[i], e->bytes, 0, e->done, e->l->n};

            e->po->on_progress(e->po->progress_ctx, &p);
        }
        pthread_mutex_unlock(&e->lock);
    }
}

static int pack_each(const char *const *inputs, size_t n_inputs, const char *outdir,
                     const struct artbag_pack_options *po,
                     const struct artbag_collection_options *co, int threads,
                     struct artbag_pack_result *result, struct artbag_error *err)
{
    struct list l = {0};
    struct artbag_seckey *key = NULL;
    struct artbag_metatable table = {0};
    struct artbag_metarow **rows = NULL;
    struct each e;
    pthread_t tid[64];
    struct stat st;
    int n = 0, rc;

    memset(&e, 0, sizeof(e));
    rc = artbag_pack_options_check(po, err);
    if (rc == ARTBAG_OK && po->n_attach)
        rc = attach_refused(err);
    if (rc != ARTBAG_OK)
        return rc;
    if (stat(outdir, &st) < 0 || !S_ISDIR(st.st_mode))
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", outdir,
                                errno && !S_ISDIR(st.st_mode) ? strerror(errno)
                                                              : "not a directory");
    if (po->sign_key && (rc = artbag_seckey_load(po->sign_key, po->passphrase, &key, err)))
        return rc;
    rc = expand(&l, inputs, n_inputs, co, po, err);
    if (rc == ARTBAG_OK)
        rc = metadata_load(co, &l, &table, &rows, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    e.key = key;
    e.rows = rows;
    /* Once for the whole directory, not once per bundle; see ARTBAG_BUNDLEW_BATCH. */
    (void)artbag_remove_stale_dir_temps(outdir, NULL);
    if (threads <= 0)
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    e.l = &l;
    e.outdir = outdir;
    e.po = po;
    e.co = co;
    pthread_mutex_init(&e.lock, NULL);
    /* The calling thread works too: -j 1 starts no thread at all. */
    for (n = 0; n < threads - 1; n++)
        if (artbag_thread_start(&tid[n], each_worker, &e) != ARTBAG_OK)
            break;
    each_worker(&e);
    for (int i = 0; i < n; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&e.lock);
    /* The bundles' names are durable once the directory is: one sync for all of them. */
    if (e.packed && !e.failed) {
        int dfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dfd < 0 || (fsync(dfd) < 0 && errno != EINVAL)) {
            e.failed = 1;
            e.rc = artbag_error_set(&e.err, ARTBAG_EIO, "'%s': fsync failed: %s", outdir,
                                    strerror(errno));
        }
        if (dfd >= 0)
            close(dfd);
    }
    if (e.failed) {
        rc = e.rc;
        *err = e.err;
    } else if (artbag_cancelled()) {
        rc = artbag_error_set(err, ARTBAG_EIO, "interrupted");
    } else if (e.packed == 0 && e.kept == 0) { /* a rerun with nothing new is no failure */
        rc = artbag_error_set(err, ARTBAG_EREJECT, "no article could be packed");
    }
    if (result) {
        memset(result, 0, sizeof(*result));
        result->articles = e.packed;
        result->skipped = e.skipped;
        result->payload_bytes = e.bytes;
    }
cleanup:
    names_release(&e.taken);
    free(rows);
    artbag_metatable_release(&table);
    list_release(&l);
    artbag_seckey_free(key);
    return rc;
}

/* The public calls: the caller's options over our defaults, and the call's token and progress
 * (see call.c) for everything below. */
static int adopt_both(struct artbag_pack_options *po, const struct artbag_pack_options *po_in,
                      struct artbag_collection_options *co,
                      const struct artbag_collection_options *co_in, struct artbag_error *err)
{
    int rc;

    artbag_pack_options_init(po);
    artbag_collection_options_init(co);
    if ((rc = artbag_options_adopt(po, sizeof(*po), po_in, "pack", err)) != ARTBAG_OK)
        return rc;
    return artbag_options_adopt(co, sizeof(*co), co_in, "collection", err);
}

int artbag_pack_collection(const char *const *inputs, size_t n_inputs, const char *bundle_path,
                           const struct artbag_pack_options *po,
                           const struct artbag_collection_options *co,
                           struct artbag_pack_result *result, struct artbag_error *err)
{
    struct artbag_pack_options p;
    struct artbag_collection_options c;
    struct artbag_call call;
    int rc;

    if ((rc = adopt_both(&p, po, &c, co, err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "pack", p.cancel, p.on_progress, p.progress_ctx);
    rc = pack_collection(inputs, n_inputs, bundle_path, &p, &c, result, err);
    artbag_call_leave(&call);
    return rc;
}

int artbag_pack_each(const char *const *inputs, size_t n_inputs, const char *outdir,
                     const struct artbag_pack_options *po,
                     const struct artbag_collection_options *co, int threads,
                     struct artbag_pack_result *result, struct artbag_error *err)
{
    struct artbag_pack_options p;
    struct artbag_collection_options c;
    struct artbag_call call;
    int rc;

    if ((rc = adopt_both(&p, po, &c, co, err)) != ARTBAG_OK)
        return rc;
    /* No progress through the scope: the workers report themselves (each_worker). */
    artbag_call_enter(&call, "pack", p.cancel, NULL, NULL);
    rc = pack_each(inputs, n_inputs, outdir, &p, &c, threads, result, err);
    artbag_call_leave(&call);
    return rc;
}
