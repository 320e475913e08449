/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* pack.c - packs one article into an artbag bundle: a BagIt bag in a reproducible .tar.gz,
 * written beside its final name and renamed into place only when complete. */
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
static int article_read(int fd, const char *name, struct artbag_buf *out,
                        char hex[ARTBAG_SHA256_HEX], struct artbag_error *err)
{
    struct artbag_sha256 *h = NULL;
    struct stat st;
    char chunk[64 * 1024];
    int rc;

    if (fstat(fd, &st) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return artbag_error_set(err, ARTBAG_EIO, "'%s': is a directory", name);
    rc = artbag_sha256_new(&h, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
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
        rc = artbag_sha256_update(h, chunk, (size_t)n, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    rc = artbag_sha256_final(h, hex, err);
cleanup:
    artbag_sha256_free(h);
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
    struct artbag_buf manifest;
    struct artbag_buf tagmanifest;
    struct artbag_buf metadata;
};

static void bag_files_release(struct bag_files *f)
{
    artbag_buf_release(&f->bagit);
    artbag_buf_release(&f->baginfo);
    artbag_buf_release(&f->manifest);
    artbag_buf_release(&f->tagmanifest);
    artbag_buf_release(&f->metadata);
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

int artbag_tagmanifest_build(struct artbag_buf *out, const struct artbag_buf *baginfo,
                             const struct artbag_buf *bagit, const struct artbag_buf *manifest,
                             struct artbag_error *err)
{
    char hex[ARTBAG_SHA256_HEX];
    int rc;

    /* In the order the archive holds them. */
    if ((rc = artbag_sha256_hex(baginfo->data, baginfo->len, hex, err)) ||
        artbag_manifest_add(out, hex, "bag-info.txt") ||
        (rc = artbag_sha256_hex(bagit->data, bagit->len, hex, err)) ||
        artbag_manifest_add(out, hex, "bagit.txt") ||
        (rc = artbag_sha256_hex(manifest->data, manifest->len, hex, err)) ||
        artbag_manifest_add(out, hex, "manifest-sha256.txt"))
        return rc ? rc : artbag_error_set(err, ARTBAG_EIO, "out of memory");
    return ARTBAG_OK;
}

static int bag_files_build(struct bag_files *f, const struct artbag_article_info *info,
                           const struct artbag_buf *article, const char *article_hex,
                           const struct artbag_pack_options *o, int64_t mtime,
                           uint64_t *payload_bytes, struct artbag_error *err)
{
    struct artbag_payload_file pf = {ARTICLE_PATH, article->len, article_hex, MEDIA_TYPE};
    char meta_hex[ARTBAG_SHA256_HEX];
    int rc;

    rc = artbag_metadata_write(&f->metadata, info, &pf, err);
    if (rc != ARTBAG_OK)
        return rc;
    rc = artbag_sha256_hex(f->metadata.data, f->metadata.len, meta_hex, err);
    if (rc != ARTBAG_OK)
        return rc;
    *payload_bytes = (uint64_t)article->len + f->metadata.len;
    if (artbag_bagit_txt(&f->bagit) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    rc = artbag_baginfo_build(&f->baginfo, o, info->source_url, info->title, mtime, *payload_bytes,
                              2, ARTBAG_PROFILE_IDENTIFIER, err);
    if (rc != ARTBAG_OK)
        return rc;
    if (artbag_manifest_add(&f->manifest, article_hex, ARTICLE_PATH) != ARTBAG_OK ||
        artbag_manifest_add(&f->manifest, meta_hex, METADATA_PATH) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    return artbag_tagmanifest_build(&f->tagmanifest, &f->baginfo, &f->bagit, &f->manifest, err);
}

/* Tag files first, so a verifier can check the whole bag in one streaming pass. */
static int bag_write(struct artbag_bundlew *w, const struct bag_files *f,
                     const struct artbag_buf *sig, const struct artbag_buf *article)
{
    int rc;

    if ((rc = artbag_bundlew_add(w, "", NULL, 0)) ||
        (rc = artbag_bundlew_add(w, "bag-info.txt", f->baginfo.data, f->baginfo.len)) ||
        (rc = artbag_bundlew_add(w, "bagit.txt", f->bagit.data, f->bagit.len)) ||
        (rc = artbag_bundlew_add(w, "manifest-sha256.txt", f->manifest.data, f->manifest.len)) ||
        (rc = artbag_bundlew_add(w, "tagmanifest-sha256.txt", f->tagmanifest.data,
                                 f->tagmanifest.len)) ||
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
                        char hex[ARTBAG_SHA256_HEX], struct artbag_article_info *info,
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
    rc = article_read(fd, name, article, hex, err);
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
                       const struct artbag_buf *article, const char *hex,
                       const struct artbag_article_info *info, int bw_flags,
                       struct artbag_pack_result *result, struct artbag_error *err)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT;
    struct artbag_bundlew *w = NULL;
    struct bag_files files = {0};
    uint64_t payload_bytes = 0, bundle_bytes = 0;
    int64_t mtime = opts->have_mtime ? opts->mtime : (int64_t)time(NULL);
    int rc;

    rc = bag_files_build(&files, info, article, hex, opts, mtime, &payload_bytes, err);
    if (rc == ARTBAG_EUSAGE)
        rc = ARTBAG_EREJECT; /* a bad value read from the article, not from the caller */
    if (rc == ARTBAG_OK && key)
        rc = artbag_sign_tagmanifest(key, files.tagmanifest.data, files.tagmanifest.len, bag, mtime,
                                     &sig, err);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_open(&w, bundle_path, bag, mtime, bw_flags, err);
    if (rc == ARTBAG_OK && opts->threads)
        artbag_bundlew_set_threads(w, opts->threads);
    if (rc == ARTBAG_OK)
        rc = bag_write(w, &files, &sig, article);
    if (rc == ARTBAG_OK)
        rc = artbag_bundlew_commit(w, opts->force, &bundle_bytes);
    if (rc == ARTBAG_OK && result) {
        memset(result, 0, sizeof(*result));
        result->payload_bytes = payload_bytes;
        result->payload_files = 2;
        result->bundle_bytes = bundle_bytes;
        result->articles = 1;
    }
    artbag_bundlew_free(w);
    artbag_buf_release(&sig);
    bag_files_release(&files);
    return rc;
}

static int pack(const char *article_name, const char *bundle_path,
                const struct artbag_pack_options *opts, struct artbag_pack_result *result,
                struct artbag_error *err)
{
    struct artbag_article_info info = {0};
    struct artbag_buf article = ARTBAG_BUF_INIT;
    struct artbag_seckey *key = NULL;
    struct bundle_names names;
    char article_hex[ARTBAG_SHA256_HEX];
    struct stat st;
    int rc;

    rc = bundle_names_init(&names, bundle_path, err);
    if (rc != ARTBAG_OK)
        return rc;
    rc = artbag_pack_options_check(opts, err);
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

    rc = artbag_article_load(article_name, opts->input_fd, bundle_path, opts, &article, article_hex,
                             &info, err);
    if (rc == ARTBAG_OK)
        rc = artbag_pack_loaded(bundle_path, names.bag, opts, key, &article, article_hex, &info, 0,
                                result, err);
cleanup:
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
