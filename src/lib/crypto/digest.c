/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* digest.c - SHA-256 and the other manifest digests through OpenSSL's EVP interface; artbag
 * never implements a hash itself. */
#include <stdlib.h>

#include <pthread.h>

#include <openssl/evp.h>

#include "crypto/digest.h"

static const EVP_MD *multihash_md(int alg);

struct artbag_sha256 {
    EVP_MD_CTX *ctx;
};

void artbag_hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int artbag_sha256_hex(const void *buf, size_t len, char hex[ARTBAG_SHA256_HEX],
                      struct artbag_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (!EVP_Digest(buf, len, md, &mdlen, multihash_md(ARTBAG_SHA256), NULL) || mdlen != 32)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "sha256: OpenSSL digest failed");
    artbag_hex(md, mdlen, hex);
    return ARTBAG_OK;
}

int artbag_sha256_new(struct artbag_sha256 **out, struct artbag_error *err)
{
    struct artbag_sha256 *h = calloc(1, sizeof(*h));

    *out = NULL;
    if (!h)
        return artbag_error_set(err, ARTBAG_EIO, "sha256: out of memory");
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || !EVP_DigestInit_ex(h->ctx, multihash_md(ARTBAG_SHA256), NULL)) {
        artbag_sha256_free(h);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "sha256: OpenSSL digest init failed");
    }
    *out = h;
    return ARTBAG_OK;
}

int artbag_sha256_update(struct artbag_sha256 *h, const void *buf, size_t len,
                         struct artbag_error *err)
{
    if (!EVP_DigestUpdate(h->ctx, buf, len))
        return artbag_error_set(err, ARTBAG_EINTERNAL, "sha256: OpenSSL digest update failed");
    return ARTBAG_OK;
}

int artbag_sha256_final(struct artbag_sha256 *h, char hex[ARTBAG_SHA256_HEX],
                        struct artbag_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    if (!EVP_DigestFinal_ex(h->ctx, md, &mdlen) || mdlen != 32)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "sha256: OpenSSL digest final failed");
    artbag_hex(md, mdlen, hex);
    return ARTBAG_OK;
}

void artbag_sha256_free(struct artbag_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

/* Indexed by enum artbag_alg: the names OpenSSL fetches them by. */
static const char *const md_names[ARTBAG_N_ALGS] = {"MD5",    "SHA1",   "SHA224",
                                                    "SHA256", "SHA384", "SHA512"};
static EVP_MD *fetched[ARTBAG_N_ALGS];
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

/*
 * OpenSSL 3 looks an algorithm up in its provider store on every EVP_DigestInit_ex given
 * EVP_sha256() and the like (an "implicit fetch", with locks and a property query): about 20,000
 * instructions, more than hashing a small tag file. Fetched once here and kept for the process;
 * they are never freed, since OpenSSL's own exit handler may run first and nothing would be
 * gained (the pointers stay reachable).
 */
static void fetch_all(void)
{
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        fetched[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
}

static const EVP_MD *multihash_md(int alg)
{
    static const EVP_MD *(*const legacy[ARTBAG_N_ALGS])(void) = {
        EVP_md5, EVP_sha1, EVP_sha224, EVP_sha256, EVP_sha384, EVP_sha512};

    if (alg < 0 || alg >= ARTBAG_N_ALGS)
        return NULL;
    pthread_once(&fetch_once, fetch_all);
    /* A fetch that failed (a provider configuration without it) falls back to the implicit
     * fetch, which then reports the failure where the digest is used. */
    return fetched[alg] ? fetched[alg] : legacy[alg]();
}

struct artbag_multihash {
    unsigned mask;
    /* Made when an algorithm is first asked for (pack hashes each article with a fresh one,
     * mostly for sha256 alone), then kept across files: allocation is not per file. */
    EVP_MD_CTX *ctx[ARTBAG_N_ALGS];
};

int artbag_multihash_new(struct artbag_multihash **out)
{
    struct artbag_multihash *m = calloc(1, sizeof(*m));

    *out = m;
    return m ? ARTBAG_OK : ARTBAG_EIO;
}

int artbag_multihash_reset(struct artbag_multihash *m, unsigned mask)
{
    m->mask = 0;
    for (int i = 0; i < ARTBAG_N_ALGS; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!m->ctx[i] && !(m->ctx[i] = EVP_MD_CTX_new()))
            return ARTBAG_EIO;
        if (!EVP_DigestInit_ex(m->ctx[i], multihash_md(i), NULL))
            return ARTBAG_EINTERNAL;
    }
    m->mask = mask;
    return ARTBAG_OK;
}

int artbag_multihash_update(struct artbag_multihash *m, const void *buf, size_t len)
{
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if ((m->mask & (1u << i)) && !EVP_DigestUpdate(m->ctx[i], buf, len))
            return ARTBAG_EINTERNAL;
    return ARTBAG_OK;
}

int artbag_multihash_final(struct artbag_multihash *m, char hex[][ARTBAG_HEX_MAX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n;

    for (int i = 0; i < ARTBAG_N_ALGS; i++) {
        if (!(m->mask & (1u << i)))
            continue;
        if (!EVP_DigestFinal_ex(m->ctx[i], md, &n))
            return ARTBAG_EINTERNAL;
        artbag_hex(md, n, hex[i]);
    }
    m->mask = 0;
    return ARTBAG_OK;
}

void artbag_multihash_free(struct artbag_multihash *m)
{
    if (!m)
        return;
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        EVP_MD_CTX_free(m->ctx[i]);
    free(m);
}

int artbag_digests_of(struct artbag_digests *d, const void *buf, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;

    for (int i = 0; i < ARTBAG_N_ALGS; i++) {
        if (!(d->mask & (1u << i)))
            continue;
        if (!EVP_Digest(buf, len, md, &n, multihash_md(i), NULL))
            return ARTBAG_EINTERNAL;
        artbag_hex(md, n, d->hex[i]);
    }
    return ARTBAG_OK;
}
