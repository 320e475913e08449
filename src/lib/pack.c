/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* pack.c - packs one article into an artbag bundle: a BagIt bag in a reproducible .tar.gz,
 * written beside its final name and renamed into place only when complete. */
#define _GNU_SOURCE /* memrchr() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"

/*
 * Articles are text; anything larger than this is not an article but a mistake (a video passed
 * by accident), and the whole article is held in memory because the tag files that precede it
 * in the archive carry its digest.
 */
#define ARTICLE_MAX ((size_t)256 * 1024 * 1024)

#define ARTICLE_PATH  "data/article.md"
#define METADATA_PATH "data/metadata.json"
#define MEDIA_TYPE    "text/markdown; charset=utf-8"
#define ATTACH_DIR    "data/attachments/"

/* The largest time Bagging-Date can print as a four-digit year: 9999-12-31T23:59:59Z. */
#define MTIME_MAX 253402300799LL

void artbag_pack_options_init(struct artbag_pack_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->size = sizeof(*opts);
    opts->input_fd = -1;
}

/* Where the bundle goes and what its bag is called; all malloc'd. */
struct bundle_names {
    char *dir;  /* directory holding the bundle, for the temporary file and its fsync */
    char *base; /* file name of the bundle */
    char *bag;  /* base without .tar.gz / .tgz: the bag's top-level directory */
};

static void bundle_names_release(struct bundle_names *n)
{
    free(n->dir);
    free(n->base);
    free(n->bag);
}

/* Case-insensitively: a bundle named X.TAR.GZ (a FAT volume, a habit) is still a .tar.gz. */
static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);

    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

static int bundle_names_init(struct bundle_names *n, const char *path, struct artbag_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t keep;

    memset(n, 0, sizeof(*n));
    if (ends_with(base, ".tar.gz"))
        keep = strlen(base) - strlen(".tar.gz");
    else if (ends_with(base, ".tgz"))
        keep = strlen(base) - strlen(".tgz");
    else
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': bundle name must end in .tar.gz or .tgz",
                                path);
    if (keep == 0 || (keep == 1 && base[0] == '.') ||
        (keep == 2 && base[0] == '.' && base[1] == '.'))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': bundle name leaves no bag name", path);
    for (size_t i = 0; i < keep; i++)
        if ((unsigned char)base[i] < 0x20 || base[i] == 0x7f)
            return artbag_error_set(err, ARTBAG_EUSAGE,
                                    "'%s': bundle name contains a control character", path);
    if (slash)
        n->dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
    else
        n->dir = strdup(".");
    n->base = strdup(base);
    n->bag = strndup(base, keep);
    if (!n->dir || !n->base || !n->bag) {
        bundle_names_release(n);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    return ARTBAG_OK;
}

/* YYYY-MM-DD naming a real day of the Gregorian calendar. */
static int iso_date_valid(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return artbag_date_valid(atoi(s), atoi(s + 5), atoi(s + 8));
}

/* An absolute URL: a scheme, a colon, and no white space or control characters. */
static int url_valid(const char *s)
{
    const char *p = s;

    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':' || p[1] == '\0')
        return 0;
    for (; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/*
 * The bag-info labels artbag writes itself (artbag_baginfo_build): given again as extra
 * elements they would say two things, or contradict what was computed (Payload-Oxum), so they
 * are refused whatever their case (RFC 8493 labels are matched without regard to case). kind
 * names the option that sets the label, for the caller to turn into its own word for it.
 */
static int reserved_label(const char *label, struct artbag_error *err)
{
    static const struct {
        const char *label, *kind;
    } reserved[] = {
        {"Source-Organization", "reserved-org"},
        {"External-Identifier", "reserved-url"},
        {"External-Description", "reserved-title"},
        {"Bagging-Date", "reserved-mtime"},
        {"Payload-Oxum", "reserved"},
        {"Bag-Software-Agent", "reserved"},
        {"BagIt-Profile-Identifier", "reserved"},
    };

    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcasecmp(label, reserved[i].label) == 0) {
            int rc = artbag_error_set(err, ARTBAG_EUSAGE,
                                      "bag-info label '%s' is written by artbag itself", label);

            err->kind = reserved[i].kind;
            return rc;
        }
    return ARTBAG_OK;
}

/* The public bits are the internal ones (bit i = enum artbag_alg i), so masks pass unchanged. */
_Static_assert(ARTBAG_DIGEST_MD5 == 1u << ARTBAG_MD5 && ARTBAG_DIGEST_SHA1 == 1u << ARTBAG_SHA1 &&
                   ARTBAG_DIGEST_SHA224 == 1u << ARTBAG_SHA224 &&
                   ARTBAG_DIGEST_SHA256 == 1u << ARTBAG_SHA256 &&
                   ARTBAG_DIGEST_SHA384 == 1u << ARTBAG_SHA384 &&
                   ARTBAG_DIGEST_SHA512 == 1u << ARTBAG_SHA512 && ARTBAG_N_ALGS == 6,
               "ARTBAG_DIGEST_* must match enum artbag_alg");
#define ALL_DIGESTS ((1u << ARTBAG_N_ALGS) - 1)

int artbag_digests_parse(const char *list, unsigned *mask, struct artbag_error *err)
{
    unsigned got = 0;
    const char *p = list ? list : "";

    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char word[16];
        int alg = -1;

        /* Blanks around a name are a typing habit ("sha256, sha512"), not a new name. */
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0)
            return artbag_error_set(err, ARTBAG_EUSAGE,
                                    "empty digest name in '%s': expected names such as "
                                    "sha256,sha512",
                                    list ? list : "");
        if (len < sizeof(word)) {
            for (size_t i = 0; i < len; i++)
                word[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
            word[len] = '\0';
            alg = artbag_alg_from_name(word);
        }
        if (alg < 0)
            return artbag_error_set(err, ARTBAG_EUSAGE,
                                    "unknown digest '%.*s': expected md5, sha1, sha224, sha256, "
                                    "sha384 or sha512",
                                    (int)(len > 64 ? 64 : len), p);
        if (got & (1u << alg))
            return artbag_error_set(err, ARTBAG_EUSAGE, "digest '%.*s' given twice", (int)len, p);
        got |= 1u << alg;
        if (!end)
            break;
        p = end + 1;
    }
    *mask = got | ARTBAG_DIGEST_SHA256;
    return ARTBAG_OK;
}

unsigned artbag_digest_mask(const struct artbag_pack_options *o)
{
    return (o->digests & ALL_DIGESTS) | 1u << ARTBAG_SHA256;
}

int artbag_pack_options_check(const struct artbag_pack_options *o, struct artbag_error *err)
{
    if (o->url && !url_valid(o->url))
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "invalid URL '%s': expected an absolute URL such as https://...",
                                o->url);
    if (o->title && (!*o->title || strpbrk(o->title, "\r\n")))
        return artbag_error_set(err, ARTBAG_EUSAGE, "invalid title: must be one non-empty line");
    if (o->date && !iso_date_valid(o->date))
        return artbag_error_set(err, ARTBAG_EUSAGE, "invalid date '%s': expected YYYY-MM-DD",
                                o->date);
    if (o->digests & ~ALL_DIGESTS)
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "the digests option 0x%x is not an or of ARTBAG_DIGEST_*",
                                o->digests);
    if (o->have_mtime && (o->mtime < 0 || o->mtime > MTIME_MAX))
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "invalid mtime %lld: must be between 0 and %lld",
                                (long long)o->mtime, MTIME_MAX);
    if (o->org) {
        int rc = artbag_baginfo_check("Source-Organization", o->org, err);
        if (rc != ARTBAG_OK)
            return rc;
    }
    for (size_t i = 0; i < o->n_meta; i++) {
        int rc = artbag_baginfo_check(o->meta[i].label, o->meta[i].value, err);
        if (rc != ARTBAG_OK)
            return rc;
        if ((rc = reserved_label(o->meta[i].label, err)) != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

/*
 * Reads the whole article once, hashing as the bytes arrive, so the digest for the manifest
 * costs no second pass.
 */
static int article_read(int fd, const char *name, struct artbag_buf *out, struct artbag_digests *d,
                        struct artbag_error *err)
{
    struct artbag_multihash *h = NULL;
    struct stat st;
    char chunk[64 * 1024];
    int rc;

    if (fstat(fd, &st) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return artbag_error_set(err, ARTBAG_EIO, "'%s': is a directory", name);
    if (artbag_multihash_new(&h) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
    if ((rc = artbag_multihash_reset(h, d->mask)) != ARTBAG_OK) {
        rc = rc == ARTBAG_EIO ? artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name)
                              : artbag_error_set(err, ARTBAG_EINTERNAL,
                                                 "'%s': OpenSSL digest init failed", name);
        goto cleanup;
    }
    for (;;) {
        ssize_t n;

        if (artbag_cancelled()) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': interrupted", name);
            goto cleanup;
        }
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': read failed: %s", name, strerror(errno));
            goto cleanup;
        }
        if (n == 0)
            break;
        artbag_call_bytes((uint64_t)n);
        if (out->len + (size_t)n > ARTICLE_MAX) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': larger than %zu MiB; not an article",
                                  name, ARTICLE_MAX >> 20);
            goto cleanup;
        }
        if (artbag_buf_append(out, chunk, (size_t)n) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
            goto cleanup;
        }
        if (artbag_multihash_update(h, chunk, (size_t)n) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': OpenSSL digest failed", name);
            goto cleanup;
        }
    }
    rc = artbag_multihash_final(h, d->hex) == ARTBAG_OK
             ? ARTBAG_OK
             : artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': OpenSSL digest failed", name);
cleanup:
    artbag_multihash_free(h);
    return rc;
}

/* Replaces *field with a copy of value, when value is set. */
static int override(char **field, const char *value)
{
    char *copy;

    if (!value)
        return ARTBAG_OK;
    copy = strdup(value);
    if (!copy)
        return ARTBAG_EIO;
    free(*field);
    *field = copy;
    return ARTBAG_OK;
}

/* The in-memory files of the bag, built before a byte of the archive is written. */
struct bag_files {
    struct artbag_buf bagit;
    struct artbag_buf baginfo;
    struct artbag_manifests manifests;
    struct artbag_manifests tagmanifests;
    struct artbag_buf metadata;
};

static void bag_files_release(struct bag_files *f)
{
    artbag_buf_release(&f->bagit);
    artbag_buf_release(&f->baginfo);
    artbag_manifests_release(&f->manifests);
    artbag_manifests_release(&f->tagmanifests);
    artbag_buf_release(&f->metadata);
}

/*
 * The order manifests take in the archive and in each tag manifest: SHA-256 first, so a bag
 * with SHA-256 alone is what it always was, then the others strongest first.
 */
static const int manifest_order[ARTBAG_N_ALGS] = {ARTBAG_SHA256, ARTBAG_SHA512, ARTBAG_SHA384,
                                                  ARTBAG_SHA224, ARTBAG_SHA1,   ARTBAG_MD5};

void artbag_manifests_init(struct artbag_manifests *m, unsigned mask)
{
    memset(m, 0, sizeof(*m));
    m->mask = mask;
}

void artbag_manifests_release(struct artbag_manifests *m)
{
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        artbag_buf_release(&m->m[i]);
}

int artbag_manifests_add(struct artbag_manifests *m, const struct artbag_digests *d,
                         const char *path)
{
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if ((m->mask & (1u << i)) && artbag_manifest_add(&m->m[i], d->hex[i], path) != ARTBAG_OK)
            return ARTBAG_EIO;
    return ARTBAG_OK;
}

/* "manifest-sha512.txt" and the like, into name[32]. */
static void manifest_file(char name[32], int is_tag, int alg)
{
    snprintf(name, 32, "%smanifest-%s.txt", is_tag ? "tag" : "", artbag_alg_name(alg));
}

int artbag_tagmanifests_build(struct artbag_manifests *out, const struct artbag_buf *baginfo,
                              const struct artbag_buf *bagit, const struct artbag_manifests *m,
                              struct artbag_error *err)
{
    struct artbag_digests d = {m->mask, {{0}}};
    char name[32];

    /*
     * In the order the archive holds them, and every payload manifest in each: a tag manifest
     * never lists another (RFC 8493 section 2.2.1), so what tagmanifest-sha256.txt (the file
     * signatures sign) cannot list is vouched for through what the others list: see the
     * checker's coverage rule.
     */
    artbag_manifests_init(out, m->mask);
    if (artbag_digests_of(&d, baginfo->data, baginfo->len) != ARTBAG_OK)
        goto openssl;
    if (artbag_manifests_add(out, &d, "bag-info.txt") != ARTBAG_OK)
        goto oom;
    if (artbag_digests_of(&d, bagit->data, bagit->len) != ARTBAG_OK)
        goto openssl;
    if (artbag_manifests_add(out, &d, "bagit.txt") != ARTBAG_OK)
        goto oom;
    for (int k = 0; k < ARTBAG_N_ALGS; k++) {
        int alg = manifest_order[k];

        if (!(m->mask & (1u << alg)))
            continue;
        if (artbag_digests_of(&d, m->m[alg].data, m->m[alg].len) != ARTBAG_OK)
            goto openssl;
        manifest_file(name, 0, alg);
        if (artbag_manifests_add(out, &d, name) != ARTBAG_OK)
            goto oom;
    }
    return ARTBAG_OK;
openssl:
    return artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
oom:
    return artbag_error_set(err, ARTBAG_EIO, "out of memory");
}

int artbag_manifests_write(struct artbag_bundlew *w, const struct artbag_manifests *m,
                           const struct artbag_manifests *tm)
{
    char name[32];
    int rc;

    for (int t = 0; t < 2; t++) {
        const struct artbag_manifests *set = t ? tm : m;

        for (int k = 0; k < ARTBAG_N_ALGS; k++) {
            int alg = manifest_order[k];

            if (!(set->mask & (1u << alg)))
                continue;
            manifest_file(name, t, alg);
            rc = artbag_bundlew_add(w, name, set->m[alg].data, set->m[alg].len);
            if (rc != ARTBAG_OK)
                return rc;
        }
    }
    return ARTBAG_OK;
}

int artbag_baginfo_build(struct artbag_buf *out, const struct artbag_pack_options *o,
                         const char *ext_id, const char *desc, int64_t mtime, uint64_t bytes,
                         uint64_t files, const char *profile, struct artbag_error *err)
{
    char date[16], oxum[48], agent[64];
    time_t t = (time_t)mtime;
    struct tm tm;
    int rc;

    if (!gmtime_r(&t, &tm) || strftime(date, sizeof(date), "%Y-%m-%d", &tm) != 10)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "cannot format Bagging-Date");
    snprintf(oxum, sizeof(oxum), "%llu.%llu", (unsigned long long)bytes, (unsigned long long)files);
    snprintf(agent, sizeof(agent), "artbag %s", ARTBAG_VERSION_STRING);
    if ((o->org && (rc = artbag_baginfo_add(out, "Source-Organization", o->org, err))) ||
        (ext_id && (rc = artbag_baginfo_add(out, "External-Identifier", ext_id, err))) ||
        (rc = artbag_baginfo_add(out, "External-Description", desc, err)) ||
        (rc = artbag_baginfo_add(out, "Bagging-Date", date, err)) ||
        (rc = artbag_baginfo_add(out, "Payload-Oxum", oxum, err)) ||
        (rc = artbag_baginfo_add(out, "Bag-Software-Agent", agent, err)) ||
        (rc = artbag_baginfo_add(out, "BagIt-Profile-Identifier", profile, err)))
        return rc;
    for (size_t i = 0; i < o->n_meta; i++) {
        rc = artbag_baginfo_add(out, o->meta[i].label, o->meta[i].value, err);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

/*
 * n_atts attachments, stored[i] set for those written into this bundle (a duplicate of another
 * is listed in metadata.json but neither stored, counted nor in the manifests again).
 */
static int bag_files_build(struct bag_files *f, const struct artbag_article_info *info,
                           const struct artbag_buf *article, const struct artbag_digests *ad,
                           const struct artbag_attachment *atts, const int *stored, size_t n_atts,
                           const struct artbag_pack_options *o, int64_t mtime,
                           uint64_t *payload_bytes, uint64_t *payload_files,
                           struct artbag_error *err)
{
    struct artbag_payload_file pf = {ARTICLE_PATH, article->len, ad->hex[ARTBAG_SHA256], MEDIA_TYPE,
                                     NULL};
    struct artbag_digests md = {artbag_digest_mask(o), {{0}}};
    struct artbag_payload_file *apf = NULL;
    uint64_t files = 2;
    int rc;

    artbag_manifests_init(&f->manifests, md.mask);
    if (n_atts && !(apf = calloc(n_atts, sizeof(*apf))))
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    for (size_t i = 0; i < n_atts; i++)
        apf[i] = (struct artbag_payload_file){atts[i].path, atts[i].bytes, atts[i].sha256,
                                              atts[i].media_type, atts[i].given};
    rc = artbag_metadata_write_attached(&f->metadata, info, &pf, apf, n_atts, err);
    free(apf);
    if (rc != ARTBAG_OK)
        return rc;
    if (artbag_digests_of(&md, f->metadata.data, f->metadata.len) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
    *payload_bytes = (uint64_t)article->len + f->metadata.len;
    for (size_t i = 0; i < n_atts; i++)
        if (stored[i]) {
            *payload_bytes += atts[i].bytes;
            files++;
        }
    *payload_files = files;
    if (artbag_bagit_txt(&f->bagit) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    /* Only a bundle with attachments or manifests 1.2 does not allow names the profile that
     * allows them (bagit.h says why). */
    rc = artbag_baginfo_build(
        &f->baginfo, o, info->source_url, info->title, mtime, *payload_bytes, files,
        n_atts || artbag_digests_beyond_1_2(md.mask) ? ARTBAG_PROFILE_IDENTIFIER_1_3
                                                     : ARTBAG_PROFILE_IDENTIFIER,
        err);
    if (rc != ARTBAG_OK)
        return rc;
    if (artbag_manifests_add(&f->manifests, ad, ARTICLE_PATH) != ARTBAG_OK ||
        artbag_manifests_add(&f->manifests, &md, METADATA_PATH) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    for (size_t i = 0; i < n_atts; i++)
        if (stored[i] && artbag_manifests_add(&f->manifests, &atts[i].digests, atts[i].path))
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    return artbag_tagmanifests_build(&f->tagmanifests, &f->baginfo, &f->bagit, &f->manifests, err);
}

/*
 * Streams the attachments into a spool, which the commit appends after the article and its
 * metadata: each is read once, hashed as it is written, before the tag files that list its
 * digest, and the archive still holds the tag files first.
 */
static int attachments_write(struct artbag_bundlew *w, const struct artbag_attach_src *src,
                             size_t n, unsigned mask, struct artbag_attachment *atts, int *stored,
                             struct artbag_error *err)
{
    struct artbag_attacher *at = NULL;
    int rc = artbag_attacher_new(&at, mask, err);

    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_spool_begin(w);
    for (size_t i = 0; rc == ARTBAG_OK && i < n; i++)
        rc = artbag_attach_write(at, w, src[i].src, src[i].rel, &atts[i], &stored[i], err);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_spool_end(w);
    artbag_attacher_free(at);
    return rc;
}

/* Tag files first, so a verifier can check the whole bag in one streaming pass. */
static int bag_write(struct artbag_bundlew *w, const struct bag_files *f,
                     const struct artbag_buf *sig, const struct artbag_buf *article)
{
    int rc;

    if ((rc = artbag_bundlew_add(w, "", NULL, 0)) ||
        (rc = artbag_bundlew_add(w, "bag-info.txt", f->baginfo.data, f->baginfo.len)) ||
        (rc = artbag_bundlew_add(w, "bagit.txt", f->bagit.data, f->bagit.len)) ||
        (rc = artbag_manifests_write(w, &f->manifests, &f->tagmanifests)) ||
        (sig->len && ((rc = artbag_bundlew_add(w, ARTBAG_SIGNATURE_DIR "/", NULL, 0)) ||
                      (rc = artbag_bundlew_add(w, ARTBAG_SIGNATURE_FILE, sig->data, sig->len)))) ||
        (rc = artbag_bundlew_add(w, "data/", NULL, 0)) ||
        (rc = artbag_bundlew_add(w, ARTICLE_PATH, article->data ? article->data : "",
                                 article->len)) ||
        (rc = artbag_bundlew_add(w, METADATA_PATH, f->metadata.data, f->metadata.len)))
        return rc;
    return ARTBAG_OK;
}

/* Refuses to write the bundle over the article it is reading. */
static int same_file(int in_fd, const char *bundle)
{
    struct stat a, b;

    return fstat(in_fd, &a) == 0 && stat(bundle, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

int artbag_article_load(const char *name, int fd, const char *bundle_path,
                        const struct artbag_pack_options *opts, struct artbag_buf *article,
                        struct artbag_digests *d, struct artbag_article_info *info,
                        struct artbag_error *err)
{
    int own = 0, rc, bad_url;

    if (fd < 0) {
        fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
        own = 1;
    }
    if (bundle_path && same_file(fd, bundle_path)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "'%s': the bundle would replace the article",
                              bundle_path);
        goto cleanup;
    }
    d->mask = artbag_digest_mask(opts);
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        d->hex[i][0] = '\0';
    rc = article_read(fd, name, article, d, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    rc = artbag_article_parse((const unsigned char *)article->data, article->len, info, err);
    if (rc != ARTBAG_OK) {
        artbag_error_prefix(err, name);
        goto cleanup;
    }
    if (override(&info->title, opts->title) || override(&info->source_url, opts->url) ||
        override(&info->published, opts->date)) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    /* A title from the article is one line of text: a line break or other control character
     * (YAML's "a\nb", a block scalar) would break bag-info.txt, so the article is invalid
     * and a given title is what helps. */
    if (info->title && !opts->title) {
        for (const unsigned char *p = (const unsigned char *)info->title; *p; p++)
            if (*p < 0x20 || *p == 0x7f) {
                rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': the title contains %s", name,
                                      *p == '\n' || *p == '\r' ? "a line break"
                                                               : "a control character");
                err->kind = "bad-title";
                goto cleanup;
            }
    }
    /* Everything missing in one message, so one edit (or one rerun) fixes the article. The
     * kind tells the caller which overrides would help, since the library names no flags. */
    bad_url = !info->source_url || !url_valid(info->source_url);
    if (bad_url || !info->title) {
        char url[300] = "";

        if (!info->source_url)
            snprintf(url, sizeof(url), "no source URL%s", info->title ? " found" : "");
        else if (bad_url)
            snprintf(url, sizeof(url), "source URL '%.200s' is not an absolute URL%s",
                     info->source_url, info->title ? "" : ",");
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': %s%s%s", name, url,
                              bad_url && !info->title ? " and " : "",
                              info->title ? "" : "no title found");
        err->kind = !bad_url ? "no-title" : info->title ? "no-url" : "no-url-title";
    }
    /* The reader's doubts about an article that will be packed go to the caller, who prints
     * them or not; a title the options supply leaves no doubt about the title. */
    if (rc == ARTBAG_OK && opts->on_warning)
        for (size_t i = 0; i < info->n_warnings; i++)
            if (!opts->title || strcmp(info->warnings[i], "no title found") != 0)
                opts->on_warning(opts->warning_ctx, name, info->warnings[i]);
cleanup:
    if (own)
        close(fd);
    return rc;
}

int artbag_pack_loaded(const char *bundle_path, const char *bag,
                       const struct artbag_pack_options *opts, const struct artbag_seckey *key,
                       const struct artbag_buf *article, const struct artbag_digests *d,
                       const struct artbag_article_info *info, const struct artbag_attach_src *att,
                       size_t n_att, int bw_flags, struct artbag_pack_result *result,
                       struct artbag_error *err)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT;
    struct artbag_bundlew *w = NULL;
    struct bag_files files = {0};
    struct artbag_attachment *atts = NULL;
    int *stored = NULL;
    uint64_t payload_bytes = 0, payload_files = 0, bundle_bytes = 0;
    int64_t mtime = opts->have_mtime ? opts->mtime : (int64_t)time(NULL);
    int rc = ARTBAG_OK;

    /* Attachments first, into the spool, since the tag files carry their digests; without
     * any, the bundle is opened after the tag files are built, as it always was. */
    if (n_att) {
        atts = calloc(n_att, sizeof(*atts));
        stored = calloc(n_att, sizeof(*stored));
        if (!atts || !stored)
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        if (rc == ARTBAG_OK)
            rc = artbag_bundlew_open(&w, bundle_path, bag, mtime, bw_flags, err);
        if (rc == ARTBAG_OK && opts->threads)
            artbag_bundlew_set_threads(w, opts->threads);
        if (rc == ARTBAG_OK)
            rc = attachments_write(w, att, n_att, artbag_digest_mask(opts), atts, stored, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    rc = bag_files_build(&files, info, article, d, atts, stored, n_att, opts, mtime, &payload_bytes,
                         &payload_files, err);
    if (rc == ARTBAG_EUSAGE)
        rc = ARTBAG_EREJECT; /* a bad value read from the article, not from the caller */
    if (rc == ARTBAG_OK && key)
        rc =
            artbag_sign_tagmanifest(key, files.tagmanifests.m[ARTBAG_SHA256].data,
                                    files.tagmanifests.m[ARTBAG_SHA256].len, bag, mtime, &sig, err);
    if (rc == ARTBAG_OK && !w)
        rc = artbag_bundlew_open(&w, bundle_path, bag, mtime, bw_flags, err);
    if (rc == ARTBAG_OK && opts->threads && !n_att)
        artbag_bundlew_set_threads(w, opts->threads);
    if (rc == ARTBAG_OK)
        rc = bag_write(w, &files, &sig, article);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_commit(w, opts->force, &bundle_bytes);
    if (rc == ARTBAG_OK && result) {
        memset(result, 0, sizeof(*result));
        result->payload_bytes = payload_bytes;
        result->payload_files = payload_files;
        result->bundle_bytes = bundle_bytes;
        result->articles = 1;
    }
cleanup:
    for (size_t i = 0; atts && i < n_att; i++)
        artbag_attachment_release(&atts[i]);
    free(atts);
    free(stored);
    artbag_bundlew_free(w);
    artbag_buf_release(&sig);
    bag_files_release(&files);
    return rc;
}

/*
 * The attach option's files as data/attachments/<base name>. Two with one base name are refused
 * rather than renamed: a name made up by artbag would point nowhere the archivist knows, and
 * renaming one of the inputs is the archivist's call.
 */
static int attach_list(const struct artbag_pack_options *o, struct artbag_attach_src **out,
                       char ***rels, struct artbag_error *err)
{
    struct artbag_attach_src *a;
    char **r;
    int rc = ARTBAG_OK;

    *out = NULL;
    *rels = NULL;
    if (!o->n_attach)
        return ARTBAG_OK;
    a = calloc(o->n_attach, sizeof(*a));
    r = calloc(o->n_attach, sizeof(*r));
    *out = a;
    *rels = r;
    if (!a || !r)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    for (size_t i = 0; i < o->n_attach; i++) {
        const char *src = o->attach[i];
        size_t len = src ? strlen(src) : 0;
        const char *base;

        if (!src)
            return artbag_error_set(err, ARTBAG_EUSAGE, "attachment %zu has no name", i + 1);
        /* "dir/" names the directory, not an empty name */
        while (len > 1 && src[len - 1] == '/')
            len--;
        base = memrchr(src, '/', len) ? (const char *)memrchr(src, '/', len) + 1 : src;
        if (!(r[i] = malloc(sizeof(ATTACH_DIR) + (size_t)(src + len - base))))
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        sprintf(r[i], "%s%.*s", ATTACH_DIR, (int)(src + len - base), base);
        if ((rc = artbag_attach_name_check(r[i] + strlen(ATTACH_DIR), err)) != ARTBAG_OK) {
            artbag_error_prefix(err, src);
            return rc;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(r[j], r[i]) == 0)
                return artbag_error_set(err, ARTBAG_EUSAGE,
                                        "'%s' and '%s': two attachments named '%s'; rename one",
                                        a[j].src, src, r[i] + strlen(ATTACH_DIR));
        a[i].src = src;
        a[i].rel = r[i];
    }
    return ARTBAG_OK;
}

static void attach_list_free(struct artbag_attach_src *a, char **rels, size_t n)
{
    for (size_t i = 0; rels && i < n; i++)
        free(rels[i]);
    free(rels);
    free(a);
}

static int pack(const char *article_name, const char *bundle_path,
                const struct artbag_pack_options *opts, struct artbag_pack_result *result,
                struct artbag_error *err)
{
    struct artbag_attach_src *att = NULL;
    char **att_rels = NULL;
    struct artbag_article_info info = {0};
    struct artbag_buf article = ARTBAG_BUF_INIT;
    struct artbag_seckey *key = NULL;
    struct bundle_names names;
    struct artbag_digests digests;
    struct stat st;
    int rc;

    rc = bundle_names_init(&names, bundle_path, err);
    if (rc != ARTBAG_OK)
        return rc;
    rc = artbag_pack_options_check(opts, err);
    if (rc == ARTBAG_OK)
        rc = attach_list(opts, &att, &att_rels, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    /* Fail before reading anything when the answer is already known; publish() checks again
     * atomically for a bundle that appears meanwhile. */
    if (!opts->force && lstat(bundle_path, &st) == 0) {
        rc = artbag_error_set(err, ARTBAG_EIO,
                              "'%s': already exists; pass the force option to replace it",
                              bundle_path);
        goto cleanup;
    }
    /* A wrong passphrase should cost nothing: load the key before reading the article. */
    if (opts->sign_key) {
        rc = artbag_seckey_load(opts->sign_key, opts->passphrase, &key, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
    }

    rc = artbag_article_load(article_name, opts->input_fd, bundle_path, opts, &article, &digests,
                             &info, err);
    if (rc == ARTBAG_OK)
        rc = artbag_pack_loaded(bundle_path, names.bag, opts, key, &article, &digests, &info, att,
                                opts->n_attach, 0, result, err);
cleanup:
    attach_list_free(att, att_rels, opts->n_attach);
    artbag_seckey_free(key);
    artbag_buf_release(&article);
    artbag_article_info_release(&info);
    bundle_names_release(&names);
    return rc;
}

/* The public call: the caller's options over our defaults (see artbag_options_adopt), and the
 * call's token and progress for everything below. */
int artbag_pack(const char *article_name, const char *bundle_path,
                const struct artbag_pack_options *opts, struct artbag_pack_result *result,
                struct artbag_error *err)
{
    struct artbag_pack_options o;
    struct artbag_call call;
    int rc;

    artbag_pack_options_init(&o);
    if ((rc = artbag_options_adopt(&o, sizeof(o), opts, "pack", err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "pack", o.cancel, o.on_progress, o.progress_ctx);
    artbag_call_input(article_name, 0);
    rc = pack(article_name, bundle_path, &o, result, err);
    if (rc == ARTBAG_OK)
        artbag_call_done();
    artbag_call_leave(&call);
    return rc;
}
