/* digest.c - SHA-256 through OpenSSL's EVP interface; artbag never implements a hash itself. */
#include <stdlib.h>

#include <openssl/evp.h>

#include "internal.h"

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

    if (!EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
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
    if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
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
