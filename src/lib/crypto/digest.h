/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * crypto/digest.h - digests: SHA-256 and the manifest algorithms through OpenSSL's EVP interface,
 * several at once over one stream, and on a thread of their own (hasher.c).
 *
 * It may use: util/util.h and OpenSSL's libcrypto. It knows nothing of bags, archives or keys and
 * never implements a hash itself. The pure bag layer (bagit/) may include this header, but not
 * crypto/sign.h: checking a bag needs digests, never keys.
 */
#ifndef ARTBAG_CRYPTO_DIGEST_H
#define ARTBAG_CRYPTO_DIGEST_H

#include <stddef.h>

#include "util/util.h"

/* The checksum algorithms manifests may use; the order is fixed (it indexes tables). */
enum artbag_alg {
    ARTBAG_MD5,
    ARTBAG_SHA1,
    ARTBAG_SHA224,
    ARTBAG_SHA256,
    ARTBAG_SHA384,
    ARTBAG_SHA512,
    ARTBAG_N_ALGS
};

/* ---- digest.c: SHA-256 through OpenSSL ------------------------------------------------- */

#define ARTBAG_SHA256_HEX 65 /* 64 digits and a NUL */

/* hex gets the lower-case SHA-256 of buf. Returns ARTBAG_OK or ARTBAG_EINTERNAL. */
int artbag_sha256_hex(const void *buf, size_t len, char hex[ARTBAG_SHA256_HEX],
                      struct artbag_error *err);

/* A SHA-256 computed as bytes stream past, so no input is read twice to be hashed. */
struct artbag_sha256;
int artbag_sha256_new(struct artbag_sha256 **out, struct artbag_error *err);
int artbag_sha256_update(struct artbag_sha256 *h, const void *buf, size_t len,
                         struct artbag_error *err);
/* Writes the digest into hex; the context can then only be freed. */
int artbag_sha256_final(struct artbag_sha256 *h, char hex[ARTBAG_SHA256_HEX],
                        struct artbag_error *err);
void artbag_sha256_free(struct artbag_sha256 *h);

/*
 * Several digests of one stream at once (bit i of mask = enum artbag_alg i), so a file listed in
 * manifests of several algorithms is still read once. Defined below enum artbag_alg's users.
 */
#define ARTBAG_HEX_MAX 129 /* sha512: 128 digits and a NUL */
struct artbag_multihash;
int artbag_multihash_new(struct artbag_multihash **out);
/* Starts a new stream hashed with the algorithms in mask: ARTBAG_OK, ARTBAG_EIO without memory
 * (an algorithm's context is made when first asked for), ARTBAG_EINTERNAL when OpenSSL fails. */
int artbag_multihash_reset(struct artbag_multihash *m, unsigned mask);
int artbag_multihash_update(struct artbag_multihash *m, const void *buf, size_t len);
/* hex[i] gets the digest for each algorithm i in the mask. */
int artbag_multihash_final(struct artbag_multihash *m, char hex[][ARTBAG_HEX_MAX]);
void artbag_multihash_free(struct artbag_multihash *m);

/* One file's digests, one for each algorithm in mask. */
struct artbag_digests {
    unsigned mask;
    char hex[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];
};
/* d->hex gets the digests of buf for the algorithms in d->mask, in memory and in one call.
 * ARTBAG_OK, or ARTBAG_EINTERNAL when OpenSSL fails. */
int artbag_digests_of(struct artbag_digests *d, const void *buf, size_t len);

/* Lower-case hex of n bytes into out, which holds 2n+1 characters. */
void artbag_hex(const unsigned char *bytes, size_t n, char *out);

/* ---- hasher.c: hashing files on a thread of its own ------------------------------------ */

/*
 * Called on the hashing thread when a file's digests are ready, with the target given to
 * artbag_hasher_begin(); returns ARTBAG_OK, or an error that the next drain reports.
 */
typedef int artbag_hasher_done_fn(void *target, unsigned mask, char hex[][ARTBAG_HEX_MAX]);
struct artbag_hasher;
/* Starts the hashing thread. ARTBAG_EIO when memory or a thread is not to be had. */
int artbag_hasher_new(struct artbag_hasher **out, artbag_hasher_done_fn *done);
/* A file to hash with the algorithms in mask; its bytes follow, then artbag_hasher_end(). The
 * bytes are copied, so the caller's buffers are free again on return. */
void artbag_hasher_begin(struct artbag_hasher *h, void *target, unsigned mask);
void artbag_hasher_data(struct artbag_hasher *h, const void *buf, size_t len);
void artbag_hasher_end(struct artbag_hasher *h);
/* Waits until every file handed over is hashed and its callback has run: only then are the
 * results the callbacks stored safe to read. ARTBAG_EIO if any hashing failed. */
int artbag_hasher_drain(struct artbag_hasher *h);
/* Stops the thread, abandoning what is not hashed yet. */
void artbag_hasher_free(struct artbag_hasher *h);

#endif /* ARTBAG_CRYPTO_DIGEST_H */
