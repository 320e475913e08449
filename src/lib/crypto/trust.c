/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* trust.c - the public keys a verifier trusts, and the check of one minisign signature against
 * them (or against the key an artbag signature carries), as an outcome for the caller to record. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "crypto/sign.h"

#define PUB_FILE_MAX (64 * 1024)

/* minisign's public key line: base64 of "Ed", the key id and the key, through OpenSSL. */
void artbag_pubkey_base64(const struct artbag_pubkey *pub, char out[ARTBAG_PUB_B64_LEN + 1])
{
    unsigned char bin[2 + ARTBAG_KEYID_LEN + 32];

    bin[0] = 'E';
    bin[1] = 'd';
    memcpy(bin + 2, pub->id, ARTBAG_KEYID_LEN);
    memcpy(bin + 2 + ARTBAG_KEYID_LEN, pub->pk, 32);
    EVP_EncodeBlock((unsigned char *)out, bin, (int)sizeof(bin));
}

static int trust_add_file(struct artbag_trust *t, const char *path, struct artbag_error *err)
{
    struct artbag_pubkey key, *grown;
    char buf[PUB_FILE_MAX + 1];
    size_t n = 0;
    struct stat st;
    int fd = artbag_key_file_open(path, &st, err);

    if (fd < 0)
        return ARTBAG_EIO;
    while (n < sizeof(buf)) {
        ssize_t r = read(fd, buf + n, sizeof(buf) - n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    /* Read whole, so nothing past a limit can hide after the key. */
    if (n > PUB_FILE_MAX || artbag_pubkey_parse(buf, n, &key, err) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': not a minisign public key", path);
    grown = realloc(t->keys, (t->n + 1) * sizeof(*grown));
    if (!grown)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
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

/* The public key an artbag signature carries in its untrusted comment, if any. */
static int embedded_key(const char *text, size_t len, struct artbag_pubkey *out)
{
    const char *nl = memchr(text, '\n', len);
    size_t first = nl ? (size_t)(nl - text) : len;
    const char *p;
    struct artbag_error ignored;
    char line[ARTBAG_PUB_B64_LEN + 1];

    for (p = text; p + strlen(ARTBAG_EMBED_TAG) + ARTBAG_PUB_B64_LEN <= text + first; p++)
        if (memcmp(p, ARTBAG_EMBED_TAG, strlen(ARTBAG_EMBED_TAG)) == 0) {
            memcpy(line, p + strlen(ARTBAG_EMBED_TAG), ARTBAG_PUB_B64_LEN);
            line[ARTBAG_PUB_B64_LEN] = '\0';
            return artbag_pubkey_parse(line, ARTBAG_PUB_B64_LEN, out, &ignored) == ARTBAG_OK ? 0
                                                                                             : -1;
        }
    return -1;
}

int artbag_minisig_check(const char *text, size_t len, const void *msg, size_t msg_len,
                         const struct artbag_trust *t, struct artbag_sigcheck *out)
{
    struct artbag_minisig sig;
    struct artbag_pubkey embedded;
    const struct artbag_pubkey *key = NULL;

    memset(out, 0, sizeof(*out));
    if (artbag_minisig_parse(text, len, &sig, &out->err) != ARTBAG_OK) {
        out->outcome = ARTBAG_SIG_MALFORMED;
        return ARTBAG_OK;
    }
    artbag_keyid_hex(sig.id, out->keyid);
    for (size_t i = 0; t && i < t->n && !key; i++)
        if (memcmp(t->keys[i].id, sig.id, ARTBAG_KEYID_LEN) == 0) {
            key = &t->keys[i];
            out->trusted = 1;
        }
    if (!key && embedded_key(text, len, &embedded) == 0 &&
        memcmp(embedded.id, sig.id, ARTBAG_KEYID_LEN) == 0)
        key = &embedded;
    if (!key)
        out->outcome = ARTBAG_SIG_UNKNOWN_KEY;
    else if (artbag_minisig_verify(&sig, key, msg, msg_len, &out->err) != ARTBAG_OK)
        out->outcome = ARTBAG_SIG_BAD;
    else
        out->outcome = ARTBAG_SIG_GOOD;
    out->trusted_comment = sig.trusted_comment;
    sig.trusted_comment = NULL;
    artbag_minisig_release(&sig);
    return ARTBAG_OK;
}

void artbag_sigcheck_release(struct artbag_sigcheck *s)
{
    free(s->trusted_comment);
    s->trusted_comment = NULL;
}
