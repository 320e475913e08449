/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * crypto/sign.h - keys and signatures: Ed25519 key pairs, minisign-format signatures, and the
 * set of public keys a verifier trusts.
 *
 * It may use: util/util.h, util/fs.h (key files are read and written here, created with O_EXCL
 * and mode 0600) and OpenSSL's libcrypto. It knows nothing of bags or archives: what is signed is
 * a byte string, and recording an outcome in a verify report is the operations' job (signbag.c).
 */
#ifndef ARTBAG_CRYPTO_SIGN_H
#define ARTBAG_CRYPTO_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---- sign.c: Ed25519 keys and minisign-format signatures (OpenSSL libcrypto) ----------- */

#define ARTBAG_KEYID_LEN 8

/* A public key as minisign writes it: algorithm "Ed", an 8-byte key id, 32 bytes of key. */
struct artbag_pubkey {
    unsigned char id[ARTBAG_KEYID_LEN];
    unsigned char pk[32];
};

/* A loaded secret key; the key material is wiped when freed. */
struct artbag_seckey;

/*
 * Prints a key id the way minisign does (16 upper-case hex digits of the id read as a
 * little-endian 64-bit number), into out[17].
 */
void artbag_keyid_hex(const unsigned char id[ARTBAG_KEYID_LEN], char out[17]);

/*
 * Makes an Ed25519 key pair. Writes name.key (the secret key as PKCS#8 PEM, encrypted with
 * AES-256-CBC under scrypt/PBKDF2 from passphrase when passphrase is non-NULL, plain PKCS#8
 * otherwise, created with O_EXCL and mode 0600, so `openssl pkey` reads it) and name.pub (the
 * public key in minisign's two-line format). Neither file may exist. Fills *pub when non-NULL.
 * Returns ARTBAG_OK, ARTBAG_EIO (a file exists, cannot write), ARTBAG_EINTERNAL.
 */
int artbag_keygen(const char *name, const char *passphrase, struct artbag_pubkey *pub,
                  struct artbag_error *err);

/*
 * Opens a key, passphrase or trust file for reading: without blocking, and only a regular file
 * (a FIFO would hang, a device never end). Fills *st. The descriptor, or -1 with err set
 * (ARTBAG_EIO).
 */
struct stat;
int artbag_key_file_open(const char *path, struct stat *st, struct artbag_error *err);

/*
 * Loads name.key; a wrong passphrase is ARTBAG_EREJECT ("wrong passphrase"), never a crash, and
 * so is a public key given in its place. A key that group or others may read or write is
 * ARTBAG_EIO, with the chmod that fixes it.
 */
int artbag_seckey_load(const char *path, const char *passphrase, struct artbag_seckey **out,
                       struct artbag_error *err);
void artbag_seckey_free(struct artbag_seckey *k);
/* The public half of a secret key. */
void artbag_seckey_pubkey(const struct artbag_seckey *k, struct artbag_pubkey *out);

/*
 * Parses a minisign public key: the file (an "untrusted comment:" line, then base64) or the
 * bare base64 line. ARTBAG_OK or ARTBAG_EREJECT with what is wrong.
 */
int artbag_pubkey_parse(const char *text, size_t len, struct artbag_pubkey *out,
                        struct artbag_error *err);

/*
 * Signs msg in minisign's format (prehashed: algorithm "ED", BLAKE2b-512 of msg; a global
 * signature over the signature and the trusted comment) and appends the four-line signature
 * file to out. trusted_comment is one line, without the "trusted comment: " prefix.
 */
int artbag_sign_minisig(const struct artbag_seckey *k, const void *msg, size_t len,
                        const char *untrusted_comment, const char *trusted_comment,
                        struct artbag_buf *out, struct artbag_error *err);

/* What a signature file says, before it is checked against any key. */
struct artbag_minisig {
    int prehashed;                      /* "ED" (1) or legacy "Ed" (0) */
    unsigned char id[ARTBAG_KEYID_LEN]; /* the signer's key id */
    unsigned char sig[64];
    char *trusted_comment; /* malloc'd, without the prefix */
    unsigned char global_sig[64];
};

/* Parses a minisign signature file; ARTBAG_EREJECT says what is malformed. */
int artbag_minisig_parse(const char *text, size_t len, struct artbag_minisig *out,
                         struct artbag_error *err);
void artbag_minisig_release(struct artbag_minisig *s);

/*
 * Checks a parsed signature over msg with pub: key ids equal, the signature over msg (or its
 * BLAKE2b-512 when prehashed), and the global signature over sig || trusted comment.
 * ARTBAG_OK when valid; ARTBAG_EREJECT with "signature made by key ID ..., not ..." or
 * "signature does not match" or "trusted comment has been tampered with".
 */
int artbag_minisig_verify(const struct artbag_minisig *s, const struct artbag_pubkey *pub,
                          const void *msg, size_t len, struct artbag_error *err);

/* ---- trust.c: the keys a verifier trusts, and one signature checked against them -------- */

/*
 * An artbag signature's untrusted comment ends with ARTBAG_EMBED_TAG and the signer's public key
 * line (ARTBAG_PUB_B64_LEN characters), so a verifier without the key can still tell a damaged
 * signature from a sound one. artbag_pubkey_base64() writes that line (and its NUL).
 */
#define ARTBAG_PUB_B64_LEN 56 /* base64 of "Ed" || key id (8) || key (32) */
#define ARTBAG_EMBED_TAG   "public key "
void artbag_pubkey_base64(const struct artbag_pubkey *pub, char out[ARTBAG_PUB_B64_LEN + 1]);

/* Keys a verifier trusts, loaded from .pub files and directories of them. */
struct artbag_trust {
    struct artbag_pubkey *keys;
    size_t n;
};
int artbag_trust_load(const char *const *paths, size_t n, struct artbag_trust *t,
                      struct artbag_error *err);
void artbag_trust_release(struct artbag_trust *t);

/* What checking one signature file found. */
enum {
    ARTBAG_SIG_MALFORMED,   /* not a minisign signature: err says why */
    ARTBAG_SIG_UNKNOWN_KEY, /* by a key neither trusted nor carried in the signature */
    ARTBAG_SIG_BAD,         /* does not match: err says why */
    ARTBAG_SIG_GOOD,
};
struct artbag_sigcheck {
    int outcome;           /* ARTBAG_SIG_* */
    int trusted;           /* the key is one of the trusted ones */
    char keyid[17];        /* "" when malformed */
    char *trusted_comment; /* malloc'd, or NULL */
    struct artbag_error err;
};

/*
 * Checks the signature file (text, len) over msg against the trusted keys t (may be NULL) or,
 * for a signer not among them, the public key the signature carries. ARTBAG_OK with *out
 * filled; release it with artbag_sigcheck_release() in every case.
 */
int artbag_minisig_check(const char *text, size_t len, const void *msg, size_t msg_len,
                         const struct artbag_trust *t, struct artbag_sigcheck *out);
void artbag_sigcheck_release(struct artbag_sigcheck *s);

#endif /* ARTBAG_CRYPTO_SIGN_H */
