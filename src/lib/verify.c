/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* verify.c - the verify operation: loads the keys and the profile, has archive/ read the bag into
 * the checker (bagit/), then runs the signature step over what the checker kept and concludes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

/* No profile in use is more than a few KiB; the cap keeps a wrong file from being slurped. */
#define PROFILE_MAX ((size_t)4 * 1024 * 1024)

int artbag_profile_load(const char *path, struct artbag_profile **out, struct artbag_error *err)
{
    struct artbag_buf text = ARTBAG_BUF_INIT;
    char chunk[8192];
    struct stat st;
    ssize_t n;
    int fd, rc = ARTBAG_OK;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': a directory, not a profile", path);
    }
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
            break;
        }
        if (text.len + (size_t)n > PROFILE_MAX) {
            rc = artbag_error_set(err, ARTBAG_EUSAGE, "'%s': larger than %zu MiB; not a profile",
                                  path, PROFILE_MAX >> 20);
            break;
        }
        if (artbag_buf_append(&text, chunk, (size_t)n) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            break;
        }
    }
    close(fd);
    if (rc == ARTBAG_OK) {
        rc = artbag_profile_parse(text.data ? text.data : "", text.len, out, err);
        if (rc != ARTBAG_OK)
            artbag_error_prefix(err, path);
    }
    artbag_buf_release(&text);
    return rc;
}

int artbag_profile_check(const char *path, struct artbag_error *err)
{
    struct artbag_profile *p;
    int rc = artbag_profile_load(path, &p, err);

    artbag_profile_free(p);
    return rc;
}

/* ---- the checker and what it is checked against ---------------------------------------- */

struct checker_keys {
    struct artbag_trust trust;
    struct artbag_profile *profile;
    int require_signature;
};

static void checker_keys_free(void *p)
{
    struct checker_keys *k = p;

    if (!k)
        return;
    artbag_trust_release(&k->trust);
    artbag_profile_free(k->profile);
    free(k);
}

int artbag_checker_new(struct artbag_bagcheck **out, struct artbag_report *r,
                       const struct artbag_verify_options *o, struct artbag_error *err)
{
    struct checker_keys *k = calloc(1, sizeof(*k));
    int rc;

    *out = NULL;
    if (!k)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    /* Keys are loaded before a byte of the bundle is read: a bad --trust is the caller's. */
    rc = artbag_trust_load(o->trust, o->n_trust, &k->trust, err);
    if (rc == ARTBAG_OK && o->profile)
        rc = artbag_profile_load(o->profile, &k->profile, err);
    if (rc == ARTBAG_OK)
        rc = artbag_bagcheck_new(out, r, o, err);
    if (rc != ARTBAG_OK) {
        checker_keys_free(k);
        return rc;
    }
    k->require_signature = o->require_signature;
    /* Whoever relies on a signature relies on what the tag manifest lists. */
    if (k->trust.n || k->require_signature)
        artbag_bagcheck_require_coverage(*out);
    artbag_bagcheck_set_profile(*out, k->profile);
    artbag_bagcheck_attach(*out, k, checker_keys_free);
    return ARTBAG_OK;
}

/* ---- the signature step ------------------------------------------------------------------ */

static int add_signature(struct artbag_report *r, const char *file, const char *id, int valid,
                         int trusted, const char *comment)
{
    struct artbag_signature *g = realloc(r->signatures, (r->n_signatures + 1) * sizeof(*g));

    if (!g)
        return ARTBAG_EIO;
    r->signatures = g;
    g += r->n_signatures;
    memset(g, 0, sizeof(*g));
    snprintf(g->keyid, sizeof(g->keyid), "%s", id);
    g->valid = valid;
    g->trusted = trusted;
    g->file = strdup(file);
    g->trusted_comment = comment ? strdup(comment) : NULL;
    if (!g->file || (comment && !g->trusted_comment)) {
        free(g->file);
        free(g->trusted_comment);
        return ARTBAG_EIO;
    }
    r->n_signatures++;
    return ARTBAG_OK;
}

/*
 * Checks one signature file over the tag manifest (crypto/trust.c) and records the outcome in
 * r: a struct artbag_signature, and a "signature" problem when it is malformed or does not match.
 */
static int signature_check(struct artbag_report *r, const char *file, const char *text, size_t len,
                           const void *tagmanifest, size_t tm_len, const struct artbag_trust *t)
{
    struct artbag_sigcheck s;
    int rc;

    artbag_minisig_check(text, len, tagmanifest, tm_len, t, &s);
    switch (s.outcome) {
    case ARTBAG_SIG_MALFORMED:
        rc = add_signature(r, file, "", 0, 0, NULL);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_PROBLEM, "signature", file, NULL, NULL,
                                   "not a minisign signature: %s", s.err.msg);
        break;
    case ARTBAG_SIG_UNKNOWN_KEY:
        rc = add_signature(r, file, s.keyid, 0, 0, s.trusted_comment);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_WARNING, "signature", file, NULL, NULL,
                                   "signed by key %s, which cannot be checked without its "
                                   "public key (pass the trust option)",
                                   s.keyid);
        break;
    case ARTBAG_SIG_BAD:
        rc = add_signature(r, file, s.keyid, 0, s.trusted, s.trusted_comment);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_PROBLEM, "signature", file, NULL, NULL, "key %s: %s",
                                   s.keyid, s.err.msg);
        break;
    default:
        rc = add_signature(r, file, s.keyid, 1, s.trusted, s.trusted_comment);
        break;
    }
    artbag_sigcheck_release(&s);
    return rc;
}

struct sig_step {
    struct artbag_report *r;
    const struct artbag_trust *trust;
    int have_tm;
    const char *tm;
    size_t tm_len;
};

static int sig_one(void *arg, const char *path, int not_kept, const char *text, size_t len)
{
    struct sig_step *st = arg;

    if (!st->have_tm)
        return artbag_report_add(st->r, ARTBAG_PROBLEM, "signature", path, NULL, NULL,
                                 "signs " ARTBAG_SIGNED_FILE ", which is missing");
    if (not_kept)
        return artbag_report_add(
            st->r, ARTBAG_PROBLEM, "signature", path, NULL, NULL,
            not_kept == ARTBAG_KEPT_OVER_TOTAL
                ? "not read: the tag files kept for checking would exceed the limit in all"
                : "too large for a signature");
    return signature_check(st->r, path, text, len, st->tm, st->tm_len, st->trust) == ARTBAG_OK
               ? ARTBAG_OK
               : ARTBAG_EIO;
}

int artbag_checker_conclude(struct artbag_bagcheck *c, struct artbag_report *r)
{
    const struct checker_keys *k = artbag_bagcheck_attached(c);
    struct sig_step st = {r, k ? &k->trust : NULL, 0, NULL, 0};
    size_t trusted = 0, before = r->n_signatures;
    int rc;

    if (!artbag_bagcheck_pending(c))
        return ARTBAG_OK;
    st.have_tm = artbag_bagcheck_signed_file(c, &st.tm, &st.tm_len);
    if ((rc = artbag_bagcheck_each_signature(c, sig_one, &st)) != ARTBAG_OK)
        return ARTBAG_EIO;
    for (size_t i = before; i < r->n_signatures; i++)
        trusted += r->signatures[i].valid && r->signatures[i].trusted;
    if (r->n_signatures == before && k && k->require_signature)
        rc = artbag_report_add(r, ARTBAG_PROBLEM, "unsigned", NULL, NULL, NULL,
                               "the bundle is not signed (the require_signature option)");
    else if (k && k->trust.n && !trusted)
        rc = artbag_report_add(r, ARTBAG_PROBLEM, "untrusted", NULL, NULL, NULL,
                               r->n_signatures == before
                                   ? "the bundle is not signed, and the trust option asks for a "
                                     "signature by a trusted key"
                                   : "no signature is by a trusted key");
    if (rc != ARTBAG_OK)
        return ARTBAG_EIO;
    return artbag_bagcheck_conclude(c);
}

/* ---- the operation ------------------------------------------------------------------------ */

int artbag_verify_archive(const char *path, int fd, const struct artbag_verify_options *o,
                          struct artbag_bagcheck *c, const struct artbag_sink *extract,
                          struct artbag_report *r, struct artbag_error *err)
{
    int rc = artbag_archive_check(path, fd, o, c, extract, r, err);

    if (rc == ARTBAG_OK && artbag_checker_conclude(c, r) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", r->path);
    return rc;
}

/*
 * Input that is no bag at all, a bag cut short, or a stream that could not be checked in one
 * pass has no verdict: that is "could not check" (ARTBAG_EIO, one message, err->kind saying
 * which), never a bag found wanting with a finding for each file it lacks.
 */
static int unchecked(const char *path, const struct artbag_report *r, struct artbag_error *err)
{
    /* too-large: a bag directory whose files pass --max-bytes (archives stop in the reader) */
    static const char *const kinds[] = {"truncated", "not-a-bag", "unverifiable", "too-large"};

    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        const struct artbag_problem *p = NULL;
        int counted = 0;

        /* (a too-large tag file is a verdict; only the --max-bytes stop names its limit) */
        for (size_t i = 0; !p && i < r->n_problems; i++)
            if (r->problems[i].severity == ARTBAG_PROBLEM &&
                strcmp(r->problems[i].kind, kinds[k]) == 0 && (k != 3 || r->problems[i].expected))
                p = &r->problems[i];
        for (size_t i = 0; !p && k != 3 && i < r->n_counts; i++)
            counted |= strcmp(r->counts[i].kind, kinds[k]) == 0;
        if (!p && !counted)
            continue;
        if (!p) /* past the report's cap on findings: the kind alone */
            artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, kinds[k]);
        else if (k == 2)
            artbag_error_set(err, ARTBAG_EIO,
                             "'%s': cannot be checked in one pass: '%s' %s; verify the file "
                             "instead of standard input",
                             path, p->path, p->message);
        else if (k == 3)
            artbag_error_set(err, ARTBAG_EIO,
                             "'%s': more than %s bytes of files (at '%s'); could not check "
                             "within the limits (raise with the max_bytes option)",
                             path, p->expected, p->path ? p->path : "");
        else
            artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, p->message);
        err->kind = k == 3 ? "limits" : kinds[k];
        return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

static int verify(const char *path, const struct artbag_verify_options *opts,
                  struct artbag_report **out, struct artbag_error *err)
{
    struct artbag_report *r = NULL;
    struct artbag_bagcheck *c = NULL;
    struct stat st;
    int rc;

    *out = NULL;
    if (opts->input_fd < 0 && stat(path, &st) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
    artbag_call_input(path, opts->input_fd < 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
    r = artbag_report_new(path);
    if (!r) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    rc = artbag_checker_new(&c, r, opts, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (opts->input_fd < 0 && S_ISDIR(st.st_mode)) {
        artbag_bagcheck_set_container(c, ARTBAG_CONTAINER_DIR, ARTBAG_COMPRESSION_NONE);
        rc = artbag_dir_check(path, c, r, err);
        if (rc == ARTBAG_OK && artbag_checker_conclude(c, r) != ARTBAG_OK)
            rc = artbag_cancelled()
                     ? artbag_error_set(err, ARTBAG_EIO, "'%s': interrupted", path)
                     : artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
    } else {
        if (opts->input_fd < 0 && access(path, R_OK) < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
            goto cleanup;
        }
        rc = artbag_verify_archive(opts->input_fd >= 0 ? NULL : path, opts->input_fd, opts, c, NULL,
                                   r, err);
    }
    if (rc == ARTBAG_OK)
        rc = unchecked(path, r, err);
    if (rc == ARTBAG_OK) {
        *out = r;
        r = NULL;
    }
cleanup:
    artbag_bagcheck_free(c);
    artbag_report_free(r);
    return rc;
}

/* The public call: the caller's options over our defaults (see artbag_options_adopt), and the
 * call's token and progress for everything below. */
int artbag_verify(const char *path, const struct artbag_verify_options *opts,
                  struct artbag_report **out, struct artbag_error *err)
{
    struct artbag_verify_options o;
    struct artbag_call call;
    int rc;

    *out = NULL;
    artbag_verify_options_init(&o);
    if ((rc = artbag_options_adopt(&o, sizeof(o), opts, "verify", err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "verify", o.cancel, o.on_progress, o.progress_ctx);
    rc = verify(path, &o, out, err);
    if (rc == ARTBAG_OK)
        artbag_call_done();
    artbag_call_leave(&call);
    return rc;
}

int artbag_is_bundle_name(const char *name)
{
    static const char *const ends[] = {".tar.gz",  ".tgz",    ".tar",     ".zip",
                                       ".tar.bz2", ".tar.xz", ".tar.zst", ".tbz2"};
    size_t n = strlen(name);

    if (name[0] == '.') /* our own unfinished temporary files, and hidden files */
        return 0;
    for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
        size_t k = strlen(ends[i]);

        if (n > k && strcmp(name + n - k, ends[i]) == 0)
            return 1;
    }
    return 0;
}
