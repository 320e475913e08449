/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* signbag.c - signing a bag: the signature over its tag manifest, and adding one to an existing
 * bundle without touching its payload. (Checking signatures is verify.c's step, over keys and
 * signatures that crypto/trust.c reads.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops.h"

int artbag_key_generate(const char *name, const char *passphrase, char keyid[17],
                        struct artbag_error *err)
{
    struct artbag_pubkey pub;
    int rc = artbag_keygen(name, passphrase, &pub, err);

    if (rc == ARTBAG_OK && keyid)
        artbag_keyid_hex(pub.id, keyid);
    return rc;
}

int artbag_sign_tagmanifest(const struct artbag_seckey *k, const void *tagmanifest, size_t len,
                            const char *bag, int64_t when, struct artbag_buf *out,
                            struct artbag_error *err)
{
    struct artbag_pubkey pub;
    char b64[ARTBAG_PUB_B64_LEN + 1], id[17], date[32], untrusted[160], trusted[512 + 160];
    char safe_bag[256];
    time_t t = (time_t)when;
    struct tm tm;
    size_t i;

    artbag_seckey_pubkey(k, &pub);
    artbag_keyid_hex(pub.id, id);
    artbag_pubkey_base64(&pub, b64);
    /* The trusted comment is one line: a bag name cannot be allowed to break it. */
    for (i = 0; bag[i] && i < sizeof(safe_bag) - 1; i++)
        safe_bag[i] = (unsigned char)bag[i] < 0x20 || bag[i] == 0x7f ? '?' : bag[i];
    safe_bag[i] = '\0';
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return artbag_error_set(err, ARTBAG_EINTERNAL, "cannot format the signing time");
    snprintf(untrusted, sizeof(untrusted), "artbag signature by key %s, " ARTBAG_EMBED_TAG "%s", id,
             b64);
    snprintf(trusted, sizeof(trusted),
             "timestamp:%lld\tfile:" ARTBAG_SIGNED_FILE "\tbag:%s\tkey:%s\ttime:%s\tprehashed",
             (long long)when, safe_bag, id, date);
    return artbag_sign_minisig(k, tagmanifest, len, untrusted, trusted, out, err);
}

/* ---- adding a signature to a bundle ----------------------------------------------------- */

/* A small tag file held back until the signature can be written after it. */
struct held {
    char *rel;
    int64_t mtime;
    struct artbag_buf data;
    int written;
};

#define SIG_NAME_MAX 80 /* "signatures/tagmanifest-sha256.txt.KEYID.minisig" and more */

/*
 * The sink that copies the bundle while the checker reads it. Entries stream straight into the
 * new bundle, except the tag manifest and existing signatures, which are held until the first
 * payload entry (or the end) so the new signature can be placed beside them, before data/.
 * Every signature is written into signatures/, whichever location it was read from: one read
 * from the top of the bag (the bundle-1.0 layout) moves there with its bytes unchanged, since
 * it signs the tag manifest, not its own name.
 */
struct resign {
    struct artbag_report *r;
    const char *path;
    const struct artbag_seckey *key;
    int64_t now; /* the signing time: the signature's entry and its trusted comment */
    /* The copy keeps every entry's time: the bag's and signatures/'s own entries too. */
    int64_t root_mtime, sigdir_mtime;
    int have_root, have_sigdir;
    struct artbag_error *err;
    struct artbag_bundlew *w;
    struct held *held;
    size_t n_held;
    struct held *cur; /* being held, or NULL when the entry streams through */
    int signed_done;
    unsigned char mine[ARTBAG_KEYID_LEN]; /* our key id */
    char ours[SIG_NAME_MAX];              /* the name our signature takes */
    char (*used)[SIG_NAME_MAX];           /* signature names written so far */
    size_t n_used;
    int dir_written; /* signatures/ */
};

static int rs_used(const struct resign *rs, const char *name)
{
    for (size_t i = 0; i < rs->n_used; i++)
        if (strcmp(rs->used[i], name) == 0)
            return 1;
    return 0;
}

static int rs_write_as(struct resign *rs, const char *name, int64_t mtime, const void *data,
                       size_t len)
{
    char(*grown)[SIG_NAME_MAX] = realloc(rs->used, (rs->n_used + 1) * sizeof(*grown));
    int rc;

    if (!grown)
        return artbag_error_set(rs->err, ARTBAG_EIO, "out of memory");
    rs->used = grown;
    snprintf(rs->used[rs->n_used++], SIG_NAME_MAX, "%s", name);
    if (!rs->dir_written) {
        rs->dir_written = 1;
        if ((rc = artbag_bundlew_entry_at(rs->w, ARTBAG_SIGNATURE_DIR "/", 1, 0,
                                          rs->have_sigdir ? rs->sigdir_mtime : rs->now)))
            return rc;
    }
    if ((rc = artbag_bundlew_entry_at(rs->w, name, 0, len, mtime)))
        return rc;
    return artbag_bundlew_data(rs->w, data, len);
}

/*
 * Writes a signature held from the bundle into signatures/: under its own base name when that
 * is free, else under its signer's key id; our own key's earlier signature is dropped, since
 * ours replaces it, and so is a second one by the same key, which would need the same name.
 */
static int rs_write_sig(struct resign *rs, struct held *h)
{
    struct artbag_minisig old;
    struct artbag_error ignored;
    const char *base = strrchr(h->rel, '/') ? strrchr(h->rel, '/') + 1 : h->rel;
    char name[SIG_NAME_MAX], keyed[SIG_NAME_MAX] = "";
    int ours = 0;

    if (h->written)
        return ARTBAG_OK;
    h->written = 1;
    if (artbag_minisig_parse(h->data.data ? h->data.data : "", h->data.len, &old, &ignored) ==
        ARTBAG_OK) {
        char id[17];

        ours = memcmp(old.id, rs->mine, ARTBAG_KEYID_LEN) == 0;
        artbag_keyid_hex(old.id, id);
        snprintf(keyed, sizeof(keyed), ARTBAG_SIGNATURE_DIR "/" ARTBAG_SIGNED_FILE ".%s.minisig",
                 id);
        artbag_minisig_release(&old);
    }
    if (ours)
        return ARTBAG_OK;
    snprintf(name, sizeof(name), ARTBAG_SIGNATURE_DIR "/%s", base);
    if (rs_used(rs, name) || strcmp(name, rs->ours) == 0)
        snprintf(name, sizeof(name), "%s", keyed);
    if (!*name || rs_used(rs, name) || strcmp(name, rs->ours) == 0)
        return ARTBAG_OK;
    return rs_write_as(rs, name, h->mtime, h->data.data ? h->data.data : "", h->data.len);
}

static int rs_write_tm(struct resign *rs, struct held *h)
{
    int rc;

    if (h->written)
        return ARTBAG_OK;
    h->written = 1;
    rc = artbag_bundlew_entry_at(rs->w, h->rel, 0, h->data.len, h->mtime);
    return rc != ARTBAG_OK ? rc : artbag_bundlew_data(rs->w, h->data.data, h->data.len);
}

static int is_primary(const struct held *h)
{
    const char *base = strrchr(h->rel, '/') ? strrchr(h->rel, '/') + 1 : h->rel;

    return strcmp(base, ARTBAG_SIGNED_FILE ".minisig") == 0;
}

/* Writes the tag manifest, the signatures by other keys, and ours. */
static int rs_flush(struct resign *rs)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT;
    struct held *tm = NULL;
    int primary_taken = 0, rc;

    for (size_t i = 0; i < rs->n_held; i++)
        if (strcmp(rs->held[i].rel, ARTBAG_SIGNED_FILE) == 0)
            tm = &rs->held[i];
    if (!tm || rs->signed_done)
        return ARTBAG_OK;
    if ((rc = rs_write_tm(rs, tm)))
        return rc;
    /* Ours takes the first signature's name only when no other key's signature has it. */
    for (size_t i = 0; i < rs->n_held; i++) {
        struct artbag_minisig old;
        struct artbag_error ignored;
        struct held *h = &rs->held[i];

        if (h == tm || !is_primary(h))
            continue;
        if (artbag_minisig_parse(h->data.data ? h->data.data : "", h->data.len, &old, &ignored) !=
            ARTBAG_OK) {
            primary_taken = 1;
            continue;
        }
        primary_taken |= memcmp(old.id, rs->mine, ARTBAG_KEYID_LEN) != 0;
        artbag_minisig_release(&old);
    }
    if (primary_taken) {
        char id[17];

        artbag_keyid_hex(rs->mine, id);
        snprintf(rs->ours, sizeof(rs->ours),
                 ARTBAG_SIGNATURE_DIR "/" ARTBAG_SIGNED_FILE ".%s.minisig", id);
    } else {
        snprintf(rs->ours, sizeof(rs->ours), "%s", ARTBAG_SIGNATURE_FILE);
    }
    for (size_t i = 0; i < rs->n_held; i++)
        if (&rs->held[i] != tm && (rc = rs_write_sig(rs, &rs->held[i])))
            return rc;
    rc = artbag_sign_tagmanifest(rs->key, tm->data.data ? tm->data.data : "", tm->data.len,
                                 rs->r->bag ? rs->r->bag : "", rs->now, &sig, rs->err);
    if (rc == ARTBAG_OK)
        rc = rs_write_as(rs, rs->ours, rs->now, sig.data, sig.len);
    artbag_buf_release(&sig);
    rs->signed_done = rc == ARTBAG_OK;
    return rc;
}

/* The signatures/ directory's own entry, written again before the signatures that go in it. */
static int is_signature_dir(const char *path)
{
    static const char dir[] = ARTBAG_SIGNATURE_DIR;

    return strncmp(path, dir, sizeof(dir) - 1) == 0 &&
           (path[sizeof(dir) - 1] == '\0' || strcmp(path + sizeof(dir) - 1, "/") == 0);
}

static int rs_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    struct resign *rs = ctx;
    int rc;

    rs->cur = NULL;
    if (!rs->w) {
        rc = artbag_bundlew_open(&rs->w, rs->path, rs->r->bag ? rs->r->bag : "bag",
                                 rs->have_root ? rs->root_mtime : rs->now, 0, rs->err);
        if (rc == ARTBAG_OK)
            rc = artbag_bundlew_add(rs->w, "", NULL, 0); /* the bag's own directory entry */
        if (rc != ARTBAG_OK)
            return rc;
    }
    if (type == ARTBAG_ENTRY_DIR && is_signature_dir(path)) {
        rs->sigdir_mtime = mtime;
        rs->have_sigdir = 1;
        return ARTBAG_OK;
    }
    if (type == ARTBAG_ENTRY_FILE &&
        (strcmp(path, ARTBAG_SIGNED_FILE) == 0 || artbag_signature_name(path))) {
        struct held *g = realloc(rs->held, (rs->n_held + 1) * sizeof(*g));

        if (!g)
            return artbag_error_set(rs->err, ARTBAG_EIO, "out of memory");
        rs->held = g;
        rs->cur = &g[rs->n_held++];
        memset(rs->cur, 0, sizeof(*rs->cur));
        rs->cur->mtime = mtime;
        if (!(rs->cur->rel = strdup(path)))
            return artbag_error_set(rs->err, ARTBAG_EIO, "out of memory");
        return ARTBAG_OK;
    }
    if (type == ARTBAG_ENTRY_DIR || strchr(path, '/')) {
        rc = rs_flush(rs);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return artbag_bundlew_entry_at(rs->w, path, type == ARTBAG_ENTRY_DIR,
                                   type == ARTBAG_ENTRY_DIR ? 0 : size, mtime);
}

static int rs_data(void *ctx, const void *buf, size_t len)
{
    struct resign *rs = ctx;

    if (rs->cur)
        return artbag_buf_append(&rs->cur->data, buf, len) == ARTBAG_OK
                   ? ARTBAG_OK
                   : artbag_error_set(rs->err, ARTBAG_EIO, "out of memory");
    return artbag_bundlew_data(rs->w, buf, len);
}

static void rs_root(void *ctx, int64_t mtime)
{
    struct resign *rs = ctx;

    rs->root_mtime = mtime;
    rs->have_root = 1;
}

static int rs_end(void *ctx)
{
    ((struct resign *)ctx)->cur = NULL;
    return ARTBAG_OK;
}

/*
 * A signature vouches for what tagmanifest-sha256.txt lists, so a bag whose tag manifest leaves
 * a tag file out is not signed: the signer would seem to vouch for bytes nobody listed. It is
 * not rewritten to list them either, since that would extend the signature to whatever the
 * bundle happens to carry (a planted script, say) and break other keys' signatures over the
 * tag manifest as it was. The first such file is named, with the fix.
 */
static int refuse_uncovered(const struct artbag_report *r, const char *path,
                            struct artbag_error *err)
{
    const struct artbag_problem *first = NULL;
    size_t n = 0;

    for (size_t i = 0; i < r->n_problems; i++) {
        const struct artbag_problem *pr = &r->problems[i];

        if (pr->severity != ARTBAG_PROBLEM)
            continue;
        if (strcmp(pr->kind, "uncovered") != 0)
            return ARTBAG_OK; /* invalid for other reasons too: the report says it all */
        if (!first)
            first = pr;
        n++;
    }
    if (!first)
        return ARTBAG_OK;
    return artbag_error_set(err, ARTBAG_EREJECT,
                            "'%s': '%s'%s is not listed in " ARTBAG_SIGNED_FILE
                            ", so a signature would not cover it; list it there (e.g. "
                            "'sha256sum %s >> " ARTBAG_SIGNED_FILE "' in the bag) or remove it, "
                            "then archive the bag again and sign it",
                            path, first->path, n > 1 ? " (and more)" : "", first->path);
}

int artbag_sign(const char *path, const char *key_path, const char *passphrase,
                struct artbag_report **out, struct artbag_error *err)
{
    return artbag_sign_at(path, key_path, passphrase, -1, out, err);
}

int artbag_sign_at(const char *path, const char *key_path, const char *passphrase, int64_t when,
                   struct artbag_report **out, struct artbag_error *err)
{
    struct artbag_verify_options opts;
    struct artbag_pubkey pub;
    struct resign rs;
    struct artbag_sink sink = {&rs, rs_begin, rs_data, rs_end, NULL, rs_root};
    struct artbag_seckey *key = NULL;
    struct artbag_bagcheck *c = NULL;
    struct artbag_report *r = NULL;
    int rc;

    *out = NULL;
    memset(&rs, 0, sizeof(rs));
    artbag_verify_options_init(&opts);
    rc = artbag_seckey_load(key_path, passphrase, &key, err);
    if (rc != ARTBAG_OK)
        return rc;
    r = artbag_report_new(path);
    if (!r) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    rc = artbag_checker_new(&c, r, &opts, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    artbag_bagcheck_require_coverage(c);
    artbag_seckey_pubkey(key, &pub);
    memcpy(rs.mine, pub.id, ARTBAG_KEYID_LEN);
    rs.r = r;
    rs.path = path;
    rs.key = key;
    rs.now = when >= 0 ? when : (int64_t)time(NULL);
    rs.err = err;
    rc = artbag_verify_archive(path, -1, &opts, c, &sink, r, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (!r->valid && (rc = refuse_uncovered(r, path, err)) != ARTBAG_OK)
        goto cleanup;
    if (r->valid) {
        rc = rs_flush(&rs);
        if (rc == ARTBAG_OK && !rs.signed_done)
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': no " ARTBAG_SIGNED_FILE " to sign",
                                  path);
        /* Any signature not yet written (one that came after data/) goes last. */
        for (size_t i = 0; rc == ARTBAG_OK && i < rs.n_held; i++)
            rc = rs_write_sig(&rs, &rs.held[i]);
        if (rc == ARTBAG_OK)
            rc = artbag_bundlew_commit(rs.w, 1, NULL);
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    *out = r;
    r = NULL;
cleanup:
    artbag_bundlew_free(rs.w);
    for (size_t i = 0; i < rs.n_held; i++) {
        free(rs.held[i].rel);
        artbag_buf_release(&rs.held[i].data);
    }
    free(rs.held);
    free(rs.used);
    artbag_bagcheck_free(c);
    artbag_report_free(r);
    artbag_seckey_free(key);
    return rc;
}
