/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* profile.c - reads a BagIt Profile (bagit-profiles 1.3.0, with 1.4.0's payload and fetch rules)
 * and judges what a checked bag was found to be against it: pure, over bytes and facts. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bagit/bagit.h"

struct strlist {
    const char **v; /* borrowed from the JSON document */
    size_t n;
    int present;
};

struct tagrule {
    const char *label;
    int required, repeatable;
    struct strlist values; /* empty: any value */
};

enum { SER_OPTIONAL, SER_REQUIRED, SER_FORBIDDEN };

struct artbag_profile {
    json_t *doc;
    const char *id;
    struct tagrule *tags;
    size_t n_tags;
    struct strlist manifests_required, manifests_allowed;
    struct strlist tagmanifests_required, tagmanifests_allowed;
    struct strlist tagfiles_required, tagfiles_allowed;
    struct strlist payload_required, payload_allowed;
    struct strlist accept_serialization, accept_version;
    int allow_fetch, fetch_required, data_empty, serialization;
    struct strlist ignored; /* keys artbag does not know, said as warnings */
};

/* The rules artbag applies; anything else at the top level is reported as ignored. */
static const char *const known_keys[] = {
    "BagIt-Profile-Info",
    "Bag-Info",
    "Manifests-Required",
    "Manifests-Allowed",
    "Tag-Manifests-Required",
    "Tag-Manifests-Allowed",
    "Allow-Fetch.txt",
    "Fetch.txt-Required",
    "Data-Empty",
    "Serialization",
    "Accept-Serialization",
    "Accept-BagIt-Version",
    "Tag-Files-Required",
    "Tag-Files-Allowed",
    "Payload-Files-Required",
    "Payload-Files-Allowed",
};

void artbag_profile_free(struct artbag_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_tags; i++)
        free(p->tags[i].values.v);
    free(p->tags);
    free(p->manifests_required.v);
    free(p->manifests_allowed.v);
    free(p->tagmanifests_required.v);
    free(p->tagmanifests_allowed.v);
    free(p->tagfiles_required.v);
    free(p->tagfiles_allowed.v);
    free(p->payload_required.v);
    free(p->payload_allowed.v);
    free(p->accept_serialization.v);
    free(p->accept_version.v);
    free(p->ignored.v);
    json_decref(p->doc);
    free(p);
}

const char *artbag_profile_id(const struct artbag_profile *p)
{
    return p->id;
}

static int push(struct strlist *l, const char *s)
{
    const char **g = realloc(l->v, (l->n + 1) * sizeof(*g));

    if (!g)
        return ARTBAG_EIO;
    l->v = g;
    l->v[l->n++] = s;
    return ARTBAG_OK;
}

/* A list of strings under key, or absent. */
static int get_list(json_t *obj, const char *key, struct strlist *out, struct artbag_error *err)
{
    json_t *a = json_object_get(obj, key), *v;
    size_t i;

    if (!a)
        return ARTBAG_OK;
    if (!json_is_array(a))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s' must be a list of strings", key);
    out->present = 1;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v))
            return artbag_error_set(err, ARTBAG_EUSAGE, "'%s' must be a list of strings", key);
        if (push(out, json_string_value(v)) != ARTBAG_OK)
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    return ARTBAG_OK;
}

static int get_bool(json_t *obj, const char *key, int dflt, int *out, struct artbag_error *err)
{
    json_t *v = json_object_get(obj, key);

    *out = dflt;
    if (!v)
        return ARTBAG_OK;
    if (!json_is_boolean(v))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s' must be true or false", key);
    *out = json_is_true(v);
    return ARTBAG_OK;
}

static int list_has(const struct strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

/* fnmatch without FNM_PATHNAME: '*' crosses '/', as bagit-profile's Python validator has it, so
 * the default ["*"] allows every tag file wherever it is. */
static int matches_any(const struct strlist *pats, const char *path)
{
    for (size_t i = 0; i < pats->n; i++)
        if (fnmatch(pats->v[i], path, 0) == 0)
            return 1;
    return 0;
}

/* A required entry that no allowed pattern covers ("data/src/" is covered by "data/src/x*"). */
static const char *uncovered(const struct strlist *required, const struct strlist *allowed)
{
    if (!allowed->present)
        return NULL;
    for (size_t i = 0; i < required->n; i++) {
        const char *r = required->v[i];
        size_t n = strlen(r);
        int ok = matches_any(allowed, r);

        for (size_t k = 0; !ok && n && r[n - 1] == '/' && k < allowed->n; k++)
            ok = strncmp(allowed->v[k], r, n) == 0;
        if (!ok)
            return r;
    }
    return NULL;
}

static int parse_baginfo(struct artbag_profile *p, json_t *bi, struct artbag_error *err)
{
    const char *label;
    json_t *def;
    int rc;

    if (!bi)
        return ARTBAG_OK;
    if (!json_is_object(bi))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'Bag-Info' must be an object");
    p->tags = calloc(json_object_size(bi) + 1, sizeof(*p->tags));
    if (!p->tags)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    json_object_foreach(bi, label, def)
    {
        struct tagrule *t = &p->tags[p->n_tags++];
        char where[300];
        const char *k;

        /* artbag_error_prefix() quotes it: "'Bag-Info': 'LABEL': ..." */
        json_t *v;

        snprintf(where, sizeof(where), "Bag-Info': '%.200s", label);
        if (!json_is_object(def))
            return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': must be an object", where);
        t->label = label;
        if ((rc = get_bool(def, "required", 0, &t->required, err)) ||
            (rc = get_bool(def, "repeatable", 1, &t->repeatable, err)) ||
            (rc = get_list(def, "values", &t->values, err)))
            return rc == ARTBAG_EUSAGE ? artbag_error_prefix(err, where) : rc;
        /* "description" is for people; anything else is not in the specification. */
        json_object_foreach(def, k, v)
        {
            if (strcmp(k, "required") && strcmp(k, "repeatable") && strcmp(k, "values") &&
                strcmp(k, "description") && push(&p->ignored, k) != ARTBAG_OK)
                return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        }
    }
    return ARTBAG_OK;
}

int artbag_profile_parse(const char *json, size_t len, struct artbag_profile **out,
                         struct artbag_error *err)
{
    struct artbag_profile *p;
    json_error_t jerr;
    json_t *info, *id, *ser;
    const char *key, *bad;
    json_t *v;
    int rc;

    *out = NULL;
    if (!(p = calloc(1, sizeof(*p))))
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    p->doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!p->doc) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "not JSON: line %d: %s", jerr.line, jerr.text);
        goto fail;
    }
    if (!json_is_object(p->doc)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "not a BagIt profile: not a JSON object");
        goto fail;
    }
    info = json_object_get(p->doc, "BagIt-Profile-Info");
    if (!json_is_object(info)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              info ? "'BagIt-Profile-Info' must be an object"
                                   : "not a BagIt profile: no 'BagIt-Profile-Info'");
        goto fail;
    }
    id = json_object_get(info, "BagIt-Profile-Identifier");
    if (!json_is_string(id) || !*json_string_value(id)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'BagIt-Profile-Info' has no 'BagIt-Profile-Identifier' string");
        goto fail;
    }
    p->id = json_string_value(id);
    if ((rc = parse_baginfo(p, json_object_get(p->doc, "Bag-Info"), err)) ||
        (rc = get_list(p->doc, "Manifests-Required", &p->manifests_required, err)) ||
        (rc = get_list(p->doc, "Manifests-Allowed", &p->manifests_allowed, err)) ||
        (rc = get_list(p->doc, "Tag-Manifests-Required", &p->tagmanifests_required, err)) ||
        (rc = get_list(p->doc, "Tag-Manifests-Allowed", &p->tagmanifests_allowed, err)) ||
        (rc = get_list(p->doc, "Tag-Files-Required", &p->tagfiles_required, err)) ||
        (rc = get_list(p->doc, "Tag-Files-Allowed", &p->tagfiles_allowed, err)) ||
        (rc = get_list(p->doc, "Payload-Files-Required", &p->payload_required, err)) ||
        (rc = get_list(p->doc, "Payload-Files-Allowed", &p->payload_allowed, err)) ||
        (rc = get_list(p->doc, "Accept-Serialization", &p->accept_serialization, err)) ||
        (rc = get_list(p->doc, "Accept-BagIt-Version", &p->accept_version, err)) ||
        (rc = get_bool(p->doc, "Allow-Fetch.txt", 1, &p->allow_fetch, err)) ||
        (rc = get_bool(p->doc, "Fetch.txt-Required", 0, &p->fetch_required, err)) ||
        (rc = get_bool(p->doc, "Data-Empty", 0, &p->data_empty, err)))
        goto fail;
    p->serialization = SER_OPTIONAL;
    if ((ser = json_object_get(p->doc, "Serialization"))) {
        const char *s = json_string_value(ser);

        if (s && strcmp(s, "required") == 0) {
            p->serialization = SER_REQUIRED;
        } else if (s && strcmp(s, "forbidden") == 0) {
            p->serialization = SER_FORBIDDEN;
        } else if (!s || strcmp(s, "optional") != 0) {
            rc = artbag_error_set(err, ARTBAG_EUSAGE,
                                  "'Serialization' must be \"forbidden\", \"required\" or "
                                  "\"optional\"");
            goto fail;
        }
    }
    /* A profile no bag can satisfy is the profile's fault, not every bag's: say so once. */
    if (p->serialization == SER_REQUIRED && !p->accept_serialization.n) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'Serialization' is \"required\" but 'Accept-Serialization' lists "
                              "no MIME type");
        goto fail;
    }
    if (p->accept_version.present && !p->accept_version.n) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "'Accept-BagIt-Version' lists no version");
        goto fail;
    }
    if (p->fetch_required && !p->allow_fetch) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'Fetch.txt-Required' is true but 'Allow-Fetch.txt' is false");
        goto fail;
    }
    for (size_t i = 0; p->manifests_allowed.present && i < p->manifests_required.n; i++)
        if (!list_has(&p->manifests_allowed, p->manifests_required.v[i])) {
            rc = artbag_error_set(err, ARTBAG_EUSAGE,
                                  "'Manifests-Required' lists '%s', which 'Manifests-Allowed' "
                                  "does not",
                                  p->manifests_required.v[i]);
            goto fail;
        }
    for (size_t i = 0; p->tagmanifests_allowed.present && i < p->tagmanifests_required.n; i++)
        if (!list_has(&p->tagmanifests_allowed, p->tagmanifests_required.v[i])) {
            rc = artbag_error_set(err, ARTBAG_EUSAGE,
                                  "'Tag-Manifests-Required' lists '%s', which "
                                  "'Tag-Manifests-Allowed' does not",
                                  p->tagmanifests_required.v[i]);
            goto fail;
        }
    if ((bad = uncovered(&p->tagfiles_required, &p->tagfiles_allowed))) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'Tag-Files-Required' lists '%s', which no 'Tag-Files-Allowed' "
                              "pattern matches",
                              bad);
        goto fail;
    }
    if ((bad = uncovered(&p->payload_required, &p->payload_allowed))) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'Payload-Files-Required' lists '%s', which no "
                              "'Payload-Files-Allowed' pattern matches",
                              bad);
        goto fail;
    }
    json_object_foreach(p->doc, key, v)
    {
        int known = 0;

        for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
            known |= strcmp(key, known_keys[i]) == 0;
        if (!known && push(&p->ignored, key) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            goto fail;
        }
    }
    *out = p;
    return ARTBAG_OK;
fail:
    artbag_profile_free(p);
    return rc;
}

/* ---- judging ------------------------------------------------------------------------------ */

/*
 * What each container verify reads is called, as MIME types. A gzip-compressed tar is the
 * gzip type (RFC 6713) and the names tools give a compressed tar; it is not application/x-tar,
 * which is an uncompressed tar (Python's mimetypes, and so bagit-profile's validator, call a
 * ".tar.gz" file application/x-tar by its name; artbag goes by what the bytes are).
 */
struct sertype {
    int container, compression;
    const char *name;        /* for messages */
    const char *const *mime; /* NULL-terminated; the first is the one messages name */
};
static const char *const mime_tar[] = {"application/x-tar", "application/tar", NULL};
static const char *const mime_tgz[] = {"application/gzip",       "application/x-gzip",
                                       "application/x-tar+gzip", "application/tar+gzip",
                                       "application/x-gtar",     "application/x-compressed-tar",
                                       "application/x-tgz",      NULL};
static const char *const mime_tbz[] = {"application/x-bzip2", "application/x-bzip",
                                       "application/x-tar+bzip2",
                                       "application/x-bzip-compressed-tar", NULL};
static const char *const mime_txz[] = {"application/x-xz", "application/x-tar+xz",
                                       "application/x-xz-compressed-tar", NULL};
static const char *const mime_tzst[] = {"application/zstd", "application/x-zstd",
                                        "application/x-tar+zstd",
                                        "application/x-zstd-compressed-tar", NULL};
static const char *const mime_tlzma[] = {"application/x-lzma", "application/x-lzma-compressed-tar",
                                         NULL};
static const char *const mime_tlz[] = {"application/x-lzip", NULL};
static const char *const mime_tlz4[] = {"application/x-lz4", NULL};
static const char *const mime_tz[] = {"application/x-compress", NULL};
static const char *const mime_zip[] = {"application/zip", "application/x-zip",
                                       "application/x-zip-compressed", NULL};
static const char *const mime_none[] = {NULL};
static const struct sertype sertypes[] = {
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_NONE, "tar", mime_tar},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "tar+gzip", mime_tgz},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_BZIP2, "tar+bzip2", mime_tbz},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_XZ, "tar+xz", mime_txz},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_ZSTD, "tar+zstd", mime_tzst},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_LZMA, "tar+lzma", mime_tlzma},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_LZIP, "tar+lzip", mime_tlz},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_LZ4, "tar+lz4", mime_tlz4},
    {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_COMPRESS, "tar+compress", mime_tz},
    {ARTBAG_CONTAINER_ZIP, ARTBAG_COMPRESSION_NONE, "zip", mime_zip},
};

static const struct sertype *sertype_of(int container, int compression)
{
    static const struct sertype other = {0, 0, "an archive of another kind", mime_none};

    for (size_t i = 0; i < sizeof(sertypes) / sizeof(sertypes[0]); i++)
        if (sertypes[i].container == container && sertypes[i].compression == compression)
            return &sertypes[i];
    return &other;
}

/* "a, b, c" of a list, cut short to fit out. */
static void join(const struct strlist *l, char *out, size_t size)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < l->n && used < size; i++) {
        int k = snprintf(out + used, size - used, "%s%s", i ? ", " : "", l->v[i]);

        if (k < 0)
            break;
        used += (size_t)k;
    }
    if (used >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
}

struct judge {
    const struct artbag_profile *p;
    struct artbag_report *r;
    /* per entry of the required lists: seen */
    unsigned char *man_seen, *tagman_seen, *tagfile_seen, *payload_seen;
    uint64_t payload_files, first_size;
    char *first; /* the first payload file, when Data-Empty may need to name it */
    int have_fetch;
};

#define FIND(sev, path, exp, act, ...)                                                             \
    do {                                                                                           \
        if (artbag_report_add(j->r, sev, "profile", path, exp, act, __VA_ARGS__) != ARTBAG_OK)     \
            return ARTBAG_EIO;                                                                     \
    } while (0)

/* The algorithm of a top-level "PREFIXALG.txt", copied into alg; 0 when name is not one. */
static int manifest_alg(const char *name, const char *prefix, char *alg, size_t size)
{
    size_t np = strlen(prefix), n = strlen(name);

    if (strncmp(name, prefix, np) != 0 || n < np + 5 || strcmp(name + n - 4, ".txt") != 0 ||
        strchr(name, '/') || n - np - 4 >= size)
        return 0;
    memcpy(alg, name + np, n - np - 4);
    alg[n - np - 4] = '\0';
    return 1;
}

/* BagIt's own tag files, which Tag-Files-Allowed does not govern (bagit-profile's validator). */
static int bagit_own(const char *path)
{
    char alg[64];

    return strcmp(path, "bagit.txt") == 0 || strcmp(path, "bag-info.txt") == 0 ||
           strcmp(path, "fetch.txt") == 0 || manifest_alg(path, "manifest-", alg, sizeof(alg)) ||
           manifest_alg(path, "tagmanifest-", alg, sizeof(alg));
}

static void mark(const struct strlist *l, unsigned char *seen, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            seen[i] = 1;
}

/* A required "dir/" is there when a file lies below it. */
static void mark_dirs(const struct strlist *l, unsigned char *seen, const char *path)
{
    for (size_t i = 0; i < l->n; i++) {
        size_t n = strlen(l->v[i]);

        if (n && l->v[i][n - 1] == '/' && strncmp(path, l->v[i], n) == 0)
            seen[i] = 1;
    }
}

static int judge_file(void *arg, const char *path, uint64_t size)
{
    struct judge *j = arg;
    const struct artbag_profile *p = j->p;
    char alg[64];

    if (strncmp(path, "data/", 5) == 0) {
        if (!j->payload_files++) {
            j->first_size = size;
            if (p->data_empty && size && !(j->first = strdup(path)))
                return ARTBAG_EIO;
        }
        mark(&p->payload_required, j->payload_seen, path);
        mark_dirs(&p->payload_required, j->payload_seen, path);
        if (p->payload_allowed.present && !matches_any(&p->payload_allowed, path))
            FIND(ARTBAG_PROBLEM, path, NULL, NULL,
                 "a payload file profile '%s' does not allow (Payload-Files-Allowed)", p->id);
        return ARTBAG_OK;
    }
    mark(&p->tagfiles_required, j->tagfile_seen, path);
    if (strcmp(path, "fetch.txt") == 0)
        j->have_fetch = 1;
    if (manifest_alg(path, "manifest-", alg, sizeof(alg))) {
        mark(&p->manifests_required, j->man_seen, alg);
        if (p->manifests_allowed.present && !list_has(&p->manifests_allowed, alg))
            FIND(ARTBAG_PROBLEM, path, NULL, NULL,
                 "a payload manifest profile '%s' does not allow (Manifests-Allowed)", p->id);
    } else if (manifest_alg(path, "tagmanifest-", alg, sizeof(alg))) {
        mark(&p->tagmanifests_required, j->tagman_seen, alg);
        if (p->tagmanifests_allowed.present && !list_has(&p->tagmanifests_allowed, alg))
            FIND(ARTBAG_PROBLEM, path, NULL, NULL,
                 "a tag manifest profile '%s' does not allow (Tag-Manifests-Allowed)", p->id);
    } else if (!bagit_own(path) && p->tagfiles_allowed.present &&
               !matches_any(&p->tagfiles_allowed, path)) {
        FIND(ARTBAG_PROBLEM, path, NULL, NULL,
             "a tag file profile '%s' does not allow (Tag-Files-Allowed)", p->id);
    }
    return ARTBAG_OK;
}

static int judge_baginfo(struct judge *j, const struct artbag_baginfo *info)
{
    const struct artbag_profile *p = j->p;
    size_t n = 0;
    int declared = 0;

    /* The specification's one rule for every profile: the bag names the profile it follows
     * (the label may repeat, one per profile). */
    for (size_t i = 0; info && i < info->n; i++)
        if (strcasecmp(info->elems[i].label, "BagIt-Profile-Identifier") == 0) {
            n++;
            declared |= strcmp(info->elems[i].value, p->id) == 0;
        }
    if (!n)
        FIND(ARTBAG_PROBLEM, "bag-info.txt", p->id, NULL,
             "'BagIt-Profile-Identifier' is required by profile '%s' (Bag-Info)", p->id);
    else if (!declared)
        FIND(ARTBAG_PROBLEM, "bag-info.txt", p->id,
             artbag_baginfo_get(info, "BagIt-Profile-Identifier"),
             "'BagIt-Profile-Identifier' does not name profile '%s' (Bag-Info)", p->id);
    for (size_t t = 0; t < p->n_tags; t++) {
        const struct tagrule *rule = &p->tags[t];
        size_t count = 0;

        for (size_t i = 0; info && i < info->n; i++) {
            const struct artbag_baginfo_elem *el = &info->elems[i];

            /* Labels compare as artbag reads bag-info.txt everywhere: ASCII case aside. */
            if (strcasecmp(el->label, rule->label) != 0)
                continue;
            count++;
            if (rule->values.n && !list_has(&rule->values, el->value)) {
                char allowed[256];

                join(&rule->values, allowed, sizeof(allowed));
                FIND(ARTBAG_PROBLEM, "bag-info.txt", allowed, el->value,
                     "line %zu: '%s' has a value profile '%s' does not allow (Bag-Info values)",
                     el->line, el->label, p->id);
            }
        }
        if (!count && rule->required)
            FIND(ARTBAG_PROBLEM, "bag-info.txt", NULL, NULL,
                 "'%s' is required by profile '%s' (Bag-Info)", rule->label, p->id);
        if (count > 1 && !rule->repeatable)
            FIND(ARTBAG_PROBLEM, "bag-info.txt", NULL, NULL,
                 "'%s' is given %zu times, but profile '%s' does not let it repeat (Bag-Info)",
                 rule->label, count, p->id);
    }
    return ARTBAG_OK;
}

static int judge_missing(struct judge *j, const struct strlist *l, const unsigned char *seen,
                         const char *prefix, const char *rule)
{
    for (size_t i = 0; i < l->n; i++) {
        char name[300];

        if (seen[i])
            continue;
        snprintf(name, sizeof(name), "%s%s%s", prefix, l->v[i], *prefix ? ".txt" : "");
        FIND(ARTBAG_PROBLEM, name, NULL, NULL, "required by profile '%s' (%s), but missing",
             j->p->id, rule);
    }
    return ARTBAG_OK;
}

static int judge_serialization(struct judge *j, int container, int compression)
{
    const struct artbag_profile *p = j->p;
    const struct sertype *st;
    char accepted[512];
    int ok = 0;

    if (container == ARTBAG_CONTAINER_UNKNOWN)
        return ARTBAG_OK; /* the reader did not say: no verdict rather than a guess */
    if (container == ARTBAG_CONTAINER_DIR) {
        if (p->serialization == SER_REQUIRED)
            FIND(ARTBAG_PROBLEM, NULL, NULL, NULL,
                 "profile '%s' requires a serialized bag, and this is a directory "
                 "(Serialization)",
                 p->id);
        return ARTBAG_OK;
    }
    st = sertype_of(container, compression);
    if (p->serialization == SER_FORBIDDEN) {
        FIND(ARTBAG_PROBLEM, NULL, NULL, st->name,
             "profile '%s' forbids serialization, and this bag was read from %s%s "
             "(Serialization)",
             p->id, st->mime[0] ? "a " : "", st->name);
        return ARTBAG_OK;
    }
    /* Optional with no list says nothing about the format. */
    if (!p->accept_serialization.n)
        return ARTBAG_OK;
    for (size_t i = 0; i < p->accept_serialization.n && !ok; i++)
        for (size_t k = 0; st->mime[k] && !ok; k++)
            ok = strcasecmp(p->accept_serialization.v[i], st->mime[k]) == 0;
    if (!ok) {
        join(&p->accept_serialization, accepted, sizeof(accepted));
        FIND(ARTBAG_PROBLEM, NULL, accepted, st->mime[0] ? st->mime[0] : st->name,
             "serialized as %s (%s), which profile '%s' does not accept (Accept-Serialization)",
             st->name, st->mime[0] ? st->mime[0] : "no MIME type artbag knows", p->id);
    }
    return ARTBAG_OK;
}

int artbag_profile_judge(const struct artbag_profile *p, const struct artbag_profile_facts *f,
                         struct artbag_report *r)
{
    struct judge jj, *j = &jj;
    int rc = ARTBAG_EIO;

    memset(j, 0, sizeof(*j));
    j->p = p;
    j->r = r;
    /* One byte per entry of each required list (+1: calloc(0) may return NULL). */
    if (!(j->man_seen = calloc(p->manifests_required.n + 1, 1)) ||
        !(j->tagman_seen = calloc(p->tagmanifests_required.n + 1, 1)) ||
        !(j->tagfile_seen = calloc(p->tagfiles_required.n + 1, 1)) ||
        !(j->payload_seen = calloc(p->payload_required.n + 1, 1)))
        goto cleanup;
    for (size_t i = 0; i < p->ignored.n; i++)
        if (artbag_report_add(r, ARTBAG_WARNING, "profile", NULL, NULL, NULL,
                              "profile '%s': '%s' is not a rule of BagIt Profiles 1.3 or 1.4; "
                              "ignored",
                              p->id, p->ignored.v[i]) != ARTBAG_OK)
            goto cleanup;
    if (f->each_file && f->each_file(f->files_ctx, judge_file, j) != ARTBAG_OK)
        goto cleanup;
    if (judge_baginfo(j, f->info) != ARTBAG_OK ||
        judge_missing(j, &p->manifests_required, j->man_seen, "manifest-", "Manifests-Required") !=
            ARTBAG_OK ||
        judge_missing(j, &p->tagmanifests_required, j->tagman_seen, "tagmanifest-",
                      "Tag-Manifests-Required") != ARTBAG_OK ||
        judge_missing(j, &p->tagfiles_required, j->tagfile_seen, "", "Tag-Files-Required") !=
            ARTBAG_OK ||
        judge_missing(j, &p->payload_required, j->payload_seen, "", "Payload-Files-Required") !=
            ARTBAG_OK)
        goto cleanup;
    if (j->have_fetch && !p->allow_fetch &&
        artbag_report_add(r, ARTBAG_PROBLEM, "profile", "fetch.txt", NULL, NULL,
                          "not allowed by profile '%s' (Allow-Fetch.txt)", p->id) != ARTBAG_OK)
        goto cleanup;
    if (!j->have_fetch && p->fetch_required &&
        artbag_report_add(r, ARTBAG_PROBLEM, "profile", "fetch.txt", NULL, NULL,
                          "required by profile '%s' (Fetch.txt-Required), but missing",
                          p->id) != ARTBAG_OK)
        goto cleanup;
    if (p->data_empty && j->payload_files > 1) {
        char n[24];

        snprintf(n, sizeof(n), "%llu", (unsigned long long)j->payload_files);
        if (artbag_report_add(r, ARTBAG_PROBLEM, "profile", "data", "1", n,
                              "holds %llu files, but profile '%s' asks for an empty payload: no "
                              "file or one of zero bytes (Data-Empty)",
                              (unsigned long long)j->payload_files, p->id) != ARTBAG_OK)
            goto cleanup;
    } else if (p->data_empty && j->payload_files == 1 && j->first_size) {
        char n[24];

        snprintf(n, sizeof(n), "%llu", (unsigned long long)j->first_size);
        if (artbag_report_add(r, ARTBAG_PROBLEM, "profile", j->first, "0", n,
                              "holds %llu bytes, but profile '%s' asks for an empty payload: no "
                              "file or one of zero bytes (Data-Empty)",
                              (unsigned long long)j->first_size, p->id) != ARTBAG_OK)
            goto cleanup;
    }
    if (p->accept_version.n) {
        char have[32], accepted[256];

        if (f->have_version)
            snprintf(have, sizeof(have), "%d.%d", f->major, f->minor);
        join(&p->accept_version, accepted, sizeof(accepted));
        if ((!f->have_version || !list_has(&p->accept_version, have)) &&
            artbag_report_add(r, ARTBAG_PROBLEM, "profile", "bagit.txt", accepted,
                              f->have_version ? have : NULL,
                              "BagIt-Version %s is not one profile '%s' accepts "
                              "(Accept-BagIt-Version)",
                              f->have_version ? have : "unknown", p->id) != ARTBAG_OK)
            goto cleanup;
    }
    if (judge_serialization(j, f->container, f->compression) != ARTBAG_OK)
        goto cleanup;
    rc = ARTBAG_OK;
cleanup:
    free(j->man_seen);
    free(j->tagman_seen);
    free(j->tagfile_seen);
    free(j->payload_seen);
    free(j->first);
    return rc;
}
