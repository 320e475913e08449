/* signbag.c - signatures as tag files of a bag: making them, checking them against trusted
 * keys, and adding one to an existing bundle without touching its payload. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/evp.h>

#include "internal.h"

#define PUB_B64_LEN  56 /* base64 of "Ed" || key id (8) || key (32) */
#define PUB_FILE_MAX (64 * 1024)
#define EMBED_TAG    "public key "

int artbag_signature_name(const char *name)
{
    static const char prefix[] = ARTBAG_SIGNED_FILE ".";
    size_t n = strlen(name), p = sizeof(prefix) - 1;

    if (strcmp(name, ARTBAG_SIGNATURE_FILE) == 0)
        return 1;
    if (n != p + 16 + strlen(".minisig") || strncmp(name, prefix, p) != 0 ||
        strcmp(name + p + 16, ".minisig") != 0)
        return 0;
    for (size_t i = p; i < p + 16; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'A' && name[i] <= 'F')))
            return 0;
    return 1;
}

/* minisign's public key line: base64 of "Ed", the key id and the key, through OpenSSL. */
static void pubkey_base64(const struct artbag_pubkey *pub, char out[PUB_B64_LEN + 1])
{
    unsigned char bin[2 + ARTBAG_KEYID_LEN + 32];

    bin[0] = 'E';
    bin[1] = 'd';
    memcpy(bin + 2, pub->id, ARTBAG_KEYID_LEN);
    memcpy(bin + 2 + ARTBAG_KEYID_LEN, pub->pk, 32);
    EVP_EncodeBlock((unsigned char *)out, bin, (int)sizeof(bin));
}

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
    char b64[PUB_B64_LEN + 1], id[17], date[32], untrusted[160], trusted[512 + 160];
    char safe_bag[256];
    time_t t = (time_t)when;
    struct tm tm;
    size_t i;

    artbag_seckey_pubkey(k, &pub);
    artbag_keyid_hex(pub.id, id);
    pubkey_base64(&pub, b64);
    /* The trusted comment is one line: a bag name cannot be allowed to break it. */
    for (i = 0; bag[i] && i < sizeof(safe_bag) - 1; i++)
        safe_bag[i] = (unsigned char)bag[i] < 0x20 || bag[i] == 0x7f ? '?' : bag[i];
    safe_bag[i] = '\0';
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return artbag_error_set(err, ARTBAG_EINTERNAL, "cannot format the signing time");
    snprintf(untrusted, sizeof(untrusted), "artbag signature by key %s, " EMBED_TAG "%s", id, b64);
    snprintf(trusted, sizeof(trusted),
             "timestamp:%lld\tfile:" ARTBAG_SIGNED_FILE "\tbag:%s\tkey:%s\ttime:%s\tprehashed",
             (long long)when, safe_bag, id, date);
    return artbag_sign_minisig(k, tagmanifest, len, untrusted, trusted, out, err);
}

/* ---- trust ----------------------------------------------------------------------------- */

static int trust_add_file(struct artbag_trust *t, const char *path, struct artbag_error *err)
{
    struct artbag_pubkey key, *grown;
    char buf[PUB_FILE_MAX];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (artbag_pubkey_parse(buf, n, &key, err) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': not a minisign public key", path);
    grown = realloc(t->keys, (t->n + 1) * sizeof(*grown));
    if (!grown)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
    t->keys = grown;
    t->keys[t->n++] = key;
    return ARTBAG_OK;
}

static int trust_add_dir(struct artbag_trust *t, const char *dir, struct artbag_error *err)
{
    struct dirent **names = NULL;
    size_t before = t->n;
    int n = scandir(dir, &names, NULL, alphasort), rc = ARTBAG_OK;

    if (n < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        char path[4096];

        if (rc == ARTBAG_OK && len > 4 && strcmp(names[i]->d_name + len - 4, ".pub") == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            rc = trust_add_file(t, path, err);
        }
        free(names[i]);
    }
    free(names);
    if (rc == ARTBAG_OK && t->n == before)
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "'%s': no public keys (*.pub) there", dir);
    return rc;
}

int artbag_trust_load(const char *const *paths, size_t n, struct artbag_trust *t,
                      struct artbag_error *err)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        int rc;

        if (stat(paths[i], &st) < 0)
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", paths[i], strerror(errno));
        else
            rc = S_ISDIR(st.st_mode) ? trust_add_dir(t, paths[i], err)
                                     : trust_add_file(t, paths[i], err);
        if (rc != ARTBAG_OK) {
            artbag_trust_release(t);
            return rc;
        }
    }
    return ARTBAG_OK;
}

void artbag_trust_release(struct artbag_trust *t)
{
    free(t->keys);
    t->keys = NULL;
    t->n = 0;
}

/* ---- checking -------------------------------------------------------------------------- */

/* The public key an artbag signature carries in its untrusted comment, if any. */
static int embedded_key(const char *text, size_t len, struct artbag_pubkey *out)
{
    const char *nl = memchr(text, '\n', len);
    size_t first = nl ? (size_t)(nl - text) : len;
    const char *p;
    struct artbag_error ignored;
    char line[PUB_B64_LEN + 1];

    for (p = text; p + strlen(EMBED_TAG) + PUB_B64_LEN <= text + first; p++)
        if (memcmp(p, EMBED_TAG, strlen(EMBED_TAG)) == 0) {
            memcpy(line, p + strlen(EMBED_TAG), PUB_B64_LEN);
            line[PUB_B64_LEN] = '\0';
            return artbag_pubkey_parse(line, PUB_B64_LEN, out, &ignored) == ARTBAG_OK ? 0 : -1;
        }
    return -1;
}

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

int artbag_signature_check(struct artbag_report *r, const char *file, const char *text, size_t len,
                           const void *tagmanifest, size_t tm_len, const struct artbag_trust *t)
{
    struct artbag_minisig sig;
    struct artbag_pubkey embedded;
    const struct artbag_pubkey *key = NULL;
    struct artbag_error err;
    char id[17];
    int trusted = 0, rc;

    if (artbag_minisig_parse(text, len, &sig, &err) != ARTBAG_OK) {
        rc = add_signature(r, file, "", 0, 0, NULL);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_PROBLEM, "signature", file, NULL, NULL,
                                   "not a minisign signature: %s", err.msg);
        return rc;
    }
    artbag_keyid_hex(sig.id, id);
    for (size_t i = 0; t && i < t->n && !key; i++)
        if (memcmp(t->keys[i].id, sig.id, ARTBAG_KEYID_LEN) == 0) {
            key = &t->keys[i];
            trusted = 1;
        }
    if (!key && embedded_key(text, len, &embedded) == 0 &&
        memcmp(embedded.id, sig.id, ARTBAG_KEYID_LEN) == 0)
        key = &embedded;
    if (!key) {
        rc = add_signature(r, file, id, 0, 0, sig.trusted_comment);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_WARNING, "signature", file, NULL, NULL,
                                   "signed by key %s, which cannot be checked without its "
                                   "public key (pass --trust)",
                                   id);
    } else if (artbag_minisig_verify(&sig, key, tagmanifest, tm_len, &err) != ARTBAG_OK) {
        rc = add_signature(r, file, id, 0, trusted, sig.trusted_comment);
        if (rc == ARTBAG_OK)
            rc = artbag_report_add(r, ARTBAG_PROBLEM, "signature", file, NULL, NULL, "key %s: %s",
                                   id, err.msg);
    } else {
        rc = add_signature(r, file, id, 1, trusted, sig.trusted_comment);
    }
    artbag_minisig_release(&sig);
    return rc;
}
