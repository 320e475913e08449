/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* sign.c - Ed25519 keys and minisign-format signatures through OpenSSL libcrypto, so that another
 * archive can check artbag's signatures with minisign, and artbag can check minisign's. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "crypto/sign.h"
#include "util/fs.h"

#define SIGALG         "Ed" /* minisign's public keys, and its legacy signatures over the message */
#define SIGALG_HASHED  "ED" /* signatures over the BLAKE2b-512 of the message */
#define COMMENT_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "

/*
 * minisign reads each line with fgets() into a buffer of COMMENTMAXBYTES (1024) or
 * TRUSTEDCOMMENTMAXBYTES (8192) and refuses a line that does not fit with its newline, so
 * these are the longest comments it can read back; artbag neither writes nor accepts longer.
 */
#define UNTRUSTED_MAX (1024 - sizeof(COMMENT_PREFIX) - 1)
#define TRUSTED_MAX   (8192 - sizeof(TRUSTED_PREFIX) - 1)

#define PK_LEN      32
#define SIG_LEN     64
#define PUBKEY_BIN  (2 + ARTBAG_KEYID_LEN + PK_LEN)  /* "Ed" || key id || public key */
#define SIGLINE_BIN (2 + ARTBAG_KEYID_LEN + SIG_LEN) /* "ED" || key id || signature */
#define B64_LEN(n)  (4 * (((n) + 2) / 3))

/* A key file is a few hundred bytes; the cap keeps a wrong path from being read whole. */
#define KEYFILE_MAX 65536

/* scrypt at the cost `openssl pkcs8 -scrypt` uses (16 MiB), inside OpenSSL's default maxmem. */
#define SCRYPT_N    16384
#define SCRYPT_R    8
#define SCRYPT_P    1
#define SCRYPT_SALT 16

struct artbag_seckey {
    EVP_PKEY *pkey; /* OpenSSL wipes the private key when the EVP_PKEY is freed */
    struct artbag_pubkey pub;
};

void artbag_keyid_hex(const unsigned char id[ARTBAG_KEYID_LEN], char out[17])
{
    uint64_t v = 0;

    for (size_t i = ARTBAG_KEYID_LEN; i-- > 0;)
        v = (v << 8) | id[i];
    snprintf(out, 17, "%016" PRIX64, v);
}

/* ---- base64, always through OpenSSL ------------------------------------------------------- */

static int b64_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/* out holds B64_LEN(n) + 1 bytes. */
static void b64_encode(const unsigned char *in, size_t n, char *out)
{
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/*
 * Decodes exactly n bytes from s. Only the canonical, padded encoding of n bytes is accepted,
 * checked by encoding the result again, so one signature has one text: EVP_DecodeBlock() alone
 * would skip white space, ignore the unused low bits and not say how much padding it met.
 */
static int b64_decode_exact(const char *s, size_t slen, unsigned char *out, size_t n)
{
    unsigned char tmp[B64_LEN(SIGLINE_BIN) / 4 * 3];
    char again[B64_LEN(SIGLINE_BIN) + 1];
    size_t want = B64_LEN(n);

    if (n > sizeof(tmp) || slen != want)
        return -1;
    for (size_t i = 0; i < slen; i++)
        if (!b64_char((unsigned char)s[i]) && s[i] != '=')
            return -1;
    if (EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)slen) != (int)(want / 4 * 3))
        return -1;
    b64_encode(tmp, n, again);
    if (memcmp(again, s, slen) != 0)
        return -1;
    memcpy(out, tmp, n);
    return 0;
}

/* ---- lines -------------------------------------------------------------------------------- */

struct lines {
    const char *p;
    size_t left;
};

/* Takes the next line without its LF and one CR before it (CRLF files); 0 at the end. */
static int next_line(struct lines *l, const char **line, size_t *n)
{
    const char *nl;

    if (l->left == 0)
        return 0;
    *line = l->p;
    nl = memchr(l->p, '\n', l->left);
    if (nl) {
        *n = (size_t)(nl - l->p);
        l->p = nl + 1;
        l->left -= *n + 1;
    } else {
        *n = l->left;
        l->p += l->left;
        l->left = 0;
    }
    if (*n > 0 && (*line)[*n - 1] == '\r')
        (*n)--;
    return 1;
}

/* A CR or NUL inside a line would be cut off by minisign's reader, so it is never accepted. */
static int line_clean(const char *s, size_t n)
{
    return !memchr(s, '\r', n) && !memchr(s, '\0', n);
}

static int has_prefix(const char *s, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);

    return n >= pl && memcmp(s, prefix, pl) == 0;
}

/* Nothing but empty lines may follow the last line a format defines. */
static int only_blank_lines(struct lines *l)
{
    const char *line;
    size_t n;

    while (next_line(l, &line, &n))
        if (n > 0)
            return 0;
    return 1;
}

/* ---- Ed25519 through EVP ------------------------------------------------------------------ */

/* Ed25519 is one-shot in OpenSSL: EVP_DigestSign() with no digest, the message whole. */
static int ed25519_sign(EVP_PKEY *pkey, const unsigned char *m, size_t n,
                        unsigned char sig[SIG_LEN])
{
    static const unsigned char empty[1];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t siglen = SIG_LEN;
    int ok;

    ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
         EVP_DigestSign(ctx, sig, &siglen, n ? m : empty, n) == 1 && siglen == SIG_LEN;
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* 1 valid, 0 not valid (a key OpenSSL will not import is not valid either), -1 no memory. */
static int ed25519_verify(const unsigned char pk[PK_LEN], const unsigned char sig[SIG_LEN],
                          const unsigned char *m, size_t n)
{
    static const unsigned char empty[1];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY *pkey;
    int ok;

    if (!ctx)
        return -1;
    pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, PK_LEN);
    ok = pkey && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
         EVP_DigestVerify(ctx, sig, SIG_LEN, n ? m : empty, n) == 1;
    EVP_PKEY_free(pkey);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

static int blake2b512(const void *m, size_t n, unsigned char out[64])
{
    unsigned int len = 0;

    return EVP_Digest(m, n, out, &len, EVP_blake2b512(), NULL) == 1 && len == 64 ? 0 : -1;
}

/* The public half of pkey, with the key id artbag derives: SHA-256(pk), first 8 bytes. */
static int pubkey_from_pkey(EVP_PKEY *pkey, struct artbag_pubkey *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t len = PK_LEN;

    if (EVP_PKEY_get_raw_public_key(pkey, out->pk, &len) != 1 || len != PK_LEN)
        return -1;
    if (EVP_Digest(out->pk, PK_LEN, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        return -1;
    memcpy(out->id, md, ARTBAG_KEYID_LEN);
    return 0;
}

/* ---- key generation ----------------------------------------------------------------------- */

/* Appends the PKCS#8 PEM of pkey to bio: encrypted (scrypt, AES-256-CBC) when pass is set. */
static int private_pem(BIO *bio, EVP_PKEY *pkey, const char *pass)
{
    PKCS8_PRIV_KEY_INFO *p8inf = NULL;
    X509_ALGOR *pbe = NULL;
    X509_SIG *p8 = NULL;
    int rc = -1;

    if (!pass) {
        rc = PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) == 1 ? 0 : -1;
        goto cleanup;
    }
    /*
     * Not PEM_write_bio_PrivateKey(..., EVP_aes_256_cbc(), ...): OpenSSL 3.0 derives that key
     * with PBKDF2 at 2048 iterations, cheap to guess at; scrypt makes each guess cost 16 MiB.
     */
    p8inf = EVP_PKEY2PKCS8(pkey);
    pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, SCRYPT_SALT, NULL, SCRYPT_N, SCRYPT_R,
                                SCRYPT_P);
    if (!p8inf || !pbe)
        goto cleanup;
    p8 = PKCS8_set0_pbe(pass, (int)strlen(pass), p8inf, pbe);
    if (!p8)
        goto cleanup;
    pbe = NULL; /* p8 owns it now */
    rc = PEM_write_bio_PKCS8(bio, p8) == 1 ? 0 : -1;
cleanup:
    X509_SIG_free(p8);
    X509_ALGOR_free(pbe);
    PKCS8_PRIV_KEY_INFO_free(p8inf);
    return rc;
}

static char *path_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    char *p = malloc(n + s + 1);

    if (p) {
        memcpy(p, name, n);
        memcpy(p + n, suffix, s + 1);
    }
    return p;
}

/* Creates path with O_EXCL, so an existing key is never overwritten or followed as a link. */
static int create_excl(const char *path, mode_t mode, struct artbag_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

    if (fd < 0) {
        if (errno == EEXIST)
            artbag_error_set(err, ARTBAG_EIO, "'%s': already exists", path);
        else
            artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create: %s", path, strerror(errno));
    }
    return fd;
}

/* Writes, fsyncs and closes fd; always closes it. */
static int write_close(int fd, const char *path, const void *buf, size_t len,
                       struct artbag_error *err)
{
    int failed = artbag_write_all(fd, buf, len) != 0 || fsync(fd) != 0;
    int saved = errno;

    if (close(fd) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot write: %s", path, strerror(saved));
    return ARTBAG_OK;
}

int artbag_keygen(const char *name, const char *passphrase, struct artbag_pubkey *pub,
                  struct artbag_error *err)
{
    struct artbag_buf pubtext = ARTBAG_BUF_INIT;
    struct artbag_pubkey pk;
    unsigned char bin[PUBKEY_BIN];
    char b64[B64_LEN(PUBKEY_BIN) + 1], hex[17];
    char *keypath = NULL, *pubpath = NULL, *pem = NULL;
    EVP_PKEY_CTX *pctx = NULL;
    EVP_PKEY *pkey = NULL;
    BIO *bio = NULL;
    int kfd = -1, pfd = -1, made_key = 0, made_pub = 0, rc;
    long pemlen;

    if (passphrase && (!*passphrase || strlen(passphrase) > INT_MAX)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE, "empty or oversized passphrase");
        goto cleanup;
    }
    keypath = path_with(name, ".key");
    pubpath = path_with(name, ".pub");
    if (!keypath || !pubpath) {
        rc = artbag_error_set(err, ARTBAG_EIO, "keygen: out of memory");
        goto cleanup;
    }
    pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
    if (!pctx || EVP_PKEY_keygen_init(pctx) != 1 || EVP_PKEY_keygen(pctx, &pkey) != 1 ||
        pubkey_from_pkey(pkey, &pk) != 0) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "keygen: OpenSSL could not make a key");
        goto cleanup;
    }

    /* Both files are complete in memory before either is created. secmem: the PEM is secret. */
    bio = BIO_new(BIO_s_secmem());
    if (!bio || private_pem(bio, pkey, passphrase) != 0 ||
        (pemlen = BIO_get_mem_data(bio, &pem)) <= 0) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "keygen: OpenSSL could not encode the key");
        goto cleanup;
    }
    memcpy(bin, SIGALG, 2);
    memcpy(bin + 2, pk.id, ARTBAG_KEYID_LEN);
    memcpy(bin + 2 + ARTBAG_KEYID_LEN, pk.pk, PK_LEN);
    b64_encode(bin, sizeof(bin), b64);
    artbag_keyid_hex(pk.id, hex);
    if (artbag_buf_printf(&pubtext, COMMENT_PREFIX "minisign public key %s\n%s\n", hex, b64) !=
        ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "keygen: out of memory");
        goto cleanup;
    }

    kfd = create_excl(keypath, 0600, err);
    if (kfd < 0) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    made_key = 1;
    pfd = create_excl(pubpath, 0644, err);
    if (pfd < 0) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    made_pub = 1;
    rc = write_close(kfd, keypath, pem, (size_t)pemlen, err);
    kfd = -1;
    if (rc == ARTBAG_OK) {
        rc = write_close(pfd, pubpath, pubtext.data, pubtext.len, err);
        pfd = -1;
    }
    if (rc == ARTBAG_OK && pub)
        *pub = pk;
cleanup:
    if (kfd >= 0)
        close(kfd);
    if (pfd >= 0)
        close(pfd);
    /* Nothing half made stays behind: a key without its .pub is as bad as a torn key. */
    if (rc != ARTBAG_OK && made_key)
        unlink(keypath);
    if (rc != ARTBAG_OK && made_pub)
        unlink(pubpath);
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(pctx);
    artbag_buf_release(&pubtext);
    free(keypath);
    free(pubpath);
    ERR_clear_error();
    return rc;
}

/* ---- loading a secret key ----------------------------------------------------------------- */

int artbag_key_file_open(const char *path, struct stat *st, struct artbag_error *err)
{
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

    if (fd < 0) {
        artbag_error_set(err, ARTBAG_EIO, "'%s': cannot open: %s", path, strerror(errno));
        return -1;
    }
    /* A FIFO or device would block or never end; a key is always a file. */
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        artbag_error_set(err, ARTBAG_EIO, "'%s': not a regular file", path);
        return -1;
    }
    return fd;
}

/* Reads a small file whole; the caller wipes and frees *out, since it may hold a plain key. */
static int read_key_file(const char *path, unsigned char **out, size_t *len, struct stat *st,
                         struct artbag_error *err)
{
    unsigned char *buf = NULL;
    size_t n = 0;
    int fd, rc = ARTBAG_OK;

    *out = NULL;
    *len = 0;
    fd = artbag_key_file_open(path, st, err);
    if (fd < 0)
        return ARTBAG_EIO;
    buf = malloc(KEYFILE_MAX + 1);
    if (!buf) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
        goto cleanup;
    }
    for (;;) {
        ssize_t r = read(fd, buf + n, KEYFILE_MAX + 1 - n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': cannot read: %s", path, strerror(errno));
            goto cleanup;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > KEYFILE_MAX) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': too large for a key file", path);
            goto cleanup;
        }
    }
    *out = buf;
    *len = n;
    buf = NULL;
cleanup:
    if (buf) {
        OPENSSL_cleanse(buf, n);
        free(buf);
    }
    close(fd);
    return rc;
}

/* What decode_key() found. */
enum key_verdict {
    KEY_OK,
    KEY_NOT_ED25519,
    KEY_NEEDS_PASSPHRASE,
    KEY_WRONG_PASSPHRASE,
    KEY_TOO_COSTLY,
    KEY_NOMEM
};

/*
 * The most work a key file may ask for to open it: 16 times the scrypt cost keygen uses (N*r*p,
 * which is both memory and time), and as many PBKDF2 iterations as take about as long. A key
 * file comes from wherever the caller got it; its parameters must not make sign spend minutes
 * or gigabytes before the passphrase is even tried.
 */
#define KDF_SCRYPT_MAX ((uint64_t)16 * SCRYPT_N * SCRYPT_R * SCRYPT_P)
#define KDF_PBKDF2_MAX ((uint64_t)10 * 1000 * 1000)

/* KEY_OK when the key derivation p8 asks for is within the ceilings, else KEY_TOO_COSTLY. */
static enum key_verdict kdf_cost(const X509_SIG *p8)
{
    const X509_ALGOR *alg;
    PBE2PARAM *pbe2 = NULL;
    SCRYPT_PARAMS *sp = NULL;
    PBKDF2PARAM *kdf = NULL;
    enum key_verdict v = KEY_OK;
    uint64_t n = 0, r = 0, p = 0, iter = 0;

    X509_SIG_get0(p8, &alg, NULL);
    if (OBJ_obj2nid(alg->algorithm) != NID_pbes2)
        return KEY_OK; /* PKCS#5 v1 schemes: a fixed, small cost */
    pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
    if (!pbe2)
        return KEY_OK; /* malformed: OpenSSL refuses it as it decrypts */
    switch (OBJ_obj2nid(pbe2->keyfunc->algorithm)) {
    case NID_id_scrypt:
        sp = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter);
        if (!sp || ASN1_INTEGER_get_uint64(&n, sp->costParameter) != 1 ||
            ASN1_INTEGER_get_uint64(&r, sp->blockSize) != 1 ||
            ASN1_INTEGER_get_uint64(&p, sp->parallelizationParameter) != 1 || !n || !r || !p ||
            n > KDF_SCRYPT_MAX || r > KDF_SCRYPT_MAX || p > KDF_SCRYPT_MAX ||
            n * r > KDF_SCRYPT_MAX || n * r * p > KDF_SCRYPT_MAX)
            v = KEY_TOO_COSTLY;
        break;
    case NID_id_pbkdf2:
        kdf = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), pbe2->keyfunc->parameter);
        if (!kdf || ASN1_INTEGER_get_uint64(&iter, kdf->iter) != 1 || iter > KDF_PBKDF2_MAX)
            v = KEY_TOO_COSTLY;
        break;
    default:
        break;
    }
    SCRYPT_PARAMS_free(sp);
    PBKDF2PARAM_free(kdf);
    PBE2PARAM_free(pbe2);
    return v;
}

/* Decodes the first PKCS#8 PEM block in text (plain, or encrypted under passphrase). */
static enum key_verdict decode_key(const unsigned char *text, size_t len, const char *passphrase,
                                   EVP_PKEY **out)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    char *pemname = NULL, *header = NULL;
    long derlen = 0;
    BIO *bio = NULL;
    X509_SIG *p8 = NULL;
    PKCS8_PRIV_KEY_INFO *p8inf = NULL;
    enum key_verdict v = KEY_NOT_ED25519;

    *out = NULL;
    bio = BIO_new_mem_buf(text, (int)len);
    if (!bio) {
        v = KEY_NOMEM;
        goto cleanup;
    }
    /* Text before the BEGIN line is skipped, which lets test keys carry a warning comment. */
    if (PEM_read_bio(bio, &pemname, &header, &der, &derlen) != 1 || derlen <= 0 ||
        (header && *header))
        goto cleanup;
    p = der;
    if (strcmp(pemname, PEM_STRING_PKCS8) == 0) {
        if (!passphrase) {
            v = KEY_NEEDS_PASSPHRASE;
            goto cleanup;
        }
        p8 = d2i_X509_SIG(NULL, &p, derlen);
        if (!p8 || p != der + derlen || strlen(passphrase) > INT_MAX)
            goto cleanup;
        if ((v = kdf_cost(p8)) != KEY_OK)
            goto cleanup;
        v = KEY_NOT_ED25519;
        /* The envelope parsed, so a failure to open it is the passphrase, not the file. */
        p8inf = PKCS8_decrypt(p8, passphrase, (int)strlen(passphrase));
        if (!p8inf) {
            v = KEY_WRONG_PASSPHRASE;
            goto cleanup;
        }
    } else if (strcmp(pemname, PEM_STRING_PKCS8INF) == 0) {
        p8inf = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, derlen);
        if (!p8inf || p != der + derlen)
            goto cleanup;
    } else {
        goto cleanup;
    }
    *out = EVP_PKCS82PKEY(p8inf);
    if (*out && EVP_PKEY_get_id(*out) == EVP_PKEY_ED25519) {
        v = KEY_OK;
    } else {
        EVP_PKEY_free(*out);
        *out = NULL;
    }
cleanup:
    PKCS8_PRIV_KEY_INFO_free(p8inf); /* clears the key octets it holds */
    X509_SIG_free(p8);
    BIO_free(bio);
    OPENSSL_clear_free(der, derlen > 0 ? (size_t)derlen : 0);
    OPENSSL_free(pemname);
    OPENSSL_free(header);
    ERR_clear_error();
    return v;
}

int artbag_seckey_load(const char *path, const char *passphrase, struct artbag_seckey **out,
                       struct artbag_error *err)
{
    unsigned char *text = NULL;
    size_t textlen = 0;
    EVP_PKEY *pkey = NULL;
    struct artbag_seckey *k = NULL;
    struct artbag_pubkey pub;
    struct artbag_error ignored;
    struct stat st;
    int rc;

    *out = NULL;
    rc = read_key_file(path, &text, &textlen, &st, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    /* The two files keygen makes sit side by side; taking one for the other is easy. */
    if (artbag_pubkey_parse((const char *)text, textlen, &pub, &ignored) == ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EREJECT,
                              "'%s': a public key; signing needs the secret key (the .key file "
                              "'artbag keygen' wrote beside it)",
                              path);
        goto cleanup;
    }
    /* As ssh does: a secret others can read is no longer secret, and one others can write
     * could be swapped for theirs. Refused before it is even decrypted. */
    if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
        rc = artbag_error_set(err, ARTBAG_EIO,
                              "'%s': readable or writable by others; run 'chmod 600 %s'", path,
                              path);
        goto cleanup;
    }
    switch (decode_key(text, textlen, passphrase, &pkey)) {
    case KEY_OK:
        break;
    case KEY_NOT_ED25519:
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': not an Ed25519 PKCS#8 key", path);
        goto cleanup;
    case KEY_NEEDS_PASSPHRASE:
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': key is encrypted: passphrase needed",
                              path);
        goto cleanup;
    case KEY_WRONG_PASSPHRASE:
        rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': wrong passphrase", path);
        goto cleanup;
    case KEY_TOO_COSTLY:
        rc = artbag_error_set(err, ARTBAG_EREJECT,
                              "'%s': its passphrase is stretched far beyond what artbag keygen "
                              "uses (over 16 times the work); refusing to spend that on it",
                              path);
        goto cleanup;
    case KEY_NOMEM:
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
        goto cleanup;
    }
    k = calloc(1, sizeof(*k));
    if (!k) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
        goto cleanup;
    }
    if (pubkey_from_pkey(pkey, &k->pub) != 0) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': OpenSSL could not read the key", path);
        goto cleanup;
    }
    k->pkey = pkey;
    pkey = NULL;
    *out = k;
    k = NULL;
cleanup:
    artbag_seckey_free(k);
    EVP_PKEY_free(pkey);
    if (text) {
        OPENSSL_cleanse(text, textlen);
        free(text);
    }
    ERR_clear_error();
    return rc;
}

void artbag_seckey_free(struct artbag_seckey *k)
{
    if (!k)
        return;
    EVP_PKEY_free(k->pkey);
    OPENSSL_cleanse(k, sizeof(*k));
    free(k);
}

void artbag_seckey_pubkey(const struct artbag_seckey *k, struct artbag_pubkey *out)
{
    *out = k->pub;
}

/* ---- public keys -------------------------------------------------------------------------- */

int artbag_pubkey_parse(const char *text, size_t len, struct artbag_pubkey *out,
                        struct artbag_error *err)
{
    struct lines l = {text, len};
    unsigned char bin[PUBKEY_BIN];
    const char *line;
    size_t n;

    memset(out, 0, sizeof(*out));
    if (!next_line(&l, &line, &n))
        return artbag_error_set(err, ARTBAG_EREJECT, "empty public key");
    /* minisign's key files have a comment line; `minisign -P` takes the bare base64 line. */
    if (has_prefix(line, n, COMMENT_PREFIX)) {
        if (n - strlen(COMMENT_PREFIX) > UNTRUSTED_MAX)
            return artbag_error_set(err, ARTBAG_EREJECT, "untrusted comment too long");
        if (!next_line(&l, &line, &n))
            return artbag_error_set(err, ARTBAG_EREJECT, "no public key after the comment line");
    }
    if (b64_decode_exact(line, n, bin, sizeof(bin)) != 0)
        return artbag_error_set(err, ARTBAG_EREJECT, "public key is not the base64 of %d bytes",
                                PUBKEY_BIN);
    if (memcmp(bin, SIGALG, 2) != 0)
        return artbag_error_set(err, ARTBAG_EREJECT, "unsupported public key algorithm");
    if (!only_blank_lines(&l))
        return artbag_error_set(err, ARTBAG_EREJECT, "unexpected text after the public key");
    /* minisign's own keys have random ids: take the id as written, never re-derive it. */
    memcpy(out->id, bin + 2, ARTBAG_KEYID_LEN);
    memcpy(out->pk, bin + 2 + ARTBAG_KEYID_LEN, PK_LEN);
    return ARTBAG_OK;
}

/* ---- signatures --------------------------------------------------------------------------- */

/* A comment is written on one line that minisign can read back. */
static int comment_check(const char *c, size_t max, const char *what, struct artbag_error *err)
{
    if (strpbrk(c, "\r\n"))
        return artbag_error_set(err, ARTBAG_EUSAGE, "%s: must be one line", what);
    if (strlen(c) > max)
        return artbag_error_set(err, ARTBAG_EUSAGE, "%s: longer than %zu bytes", what, max);
    return ARTBAG_OK;
}

/* buf gets sig || trusted comment, what the global signature covers. Caller frees. */
static unsigned char *global_message(const unsigned char sig[SIG_LEN], const char *tc, size_t tlen)
{
    unsigned char *buf = malloc(SIG_LEN + tlen);

    if (buf) {
        memcpy(buf, sig, SIG_LEN);
        if (tlen)
            memcpy(buf + SIG_LEN, tc, tlen);
    }
    return buf;
}

int artbag_sign_minisig(const struct artbag_seckey *k, const void *msg, size_t len,
                        const char *untrusted_comment, const char *trusted_comment,
                        struct artbag_buf *out, struct artbag_error *err)
{
    unsigned char hash[64], bin[SIGLINE_BIN], global[SIG_LEN];
    unsigned char *gm = NULL;
    char sig64[B64_LEN(SIGLINE_BIN) + 1], global64[B64_LEN(SIG_LEN) + 1];
    size_t tlen, orig = out->len;
    int rc;

    if (!untrusted_comment)
        untrusted_comment = "signature from artbag secret key";
    if (!trusted_comment)
        trusted_comment = "";
    rc = comment_check(untrusted_comment, UNTRUSTED_MAX, "untrusted comment", err);
    if (rc == ARTBAG_OK)
        rc = comment_check(trusted_comment, TRUSTED_MAX, "trusted comment", err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    tlen = strlen(trusted_comment);
    memcpy(bin, SIGALG_HASHED, 2);
    memcpy(bin + 2, k->pub.id, ARTBAG_KEYID_LEN);
    if (blake2b512(msg, len, hash) != 0 ||
        ed25519_sign(k->pkey, hash, sizeof(hash), bin + 2 + ARTBAG_KEYID_LEN) != 0) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "sign: OpenSSL could not sign");
        goto cleanup;
    }
    gm = global_message(bin + 2 + ARTBAG_KEYID_LEN, trusted_comment, tlen);
    if (!gm) {
        rc = artbag_error_set(err, ARTBAG_EIO, "sign: out of memory");
        goto cleanup;
    }
    if (ed25519_sign(k->pkey, gm, SIG_LEN + tlen, global) != 0) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "sign: OpenSSL could not sign");
        goto cleanup;
    }
    b64_encode(bin, sizeof(bin), sig64);
    b64_encode(global, sizeof(global), global64);
    if (artbag_buf_printf(out, COMMENT_PREFIX "%s\n%s\n" TRUSTED_PREFIX "%s\n%s\n",
                          untrusted_comment, sig64, trusted_comment, global64) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "sign: out of memory");
cleanup:
    free(gm);
    OPENSSL_cleanse(hash, sizeof(hash));
    ERR_clear_error();
    if (rc != ARTBAG_OK && out->data) {
        out->len = orig;
        out->data[orig] = '\0';
    }
    return rc;
}

int artbag_minisig_parse(const char *text, size_t len, struct artbag_minisig *out,
                         struct artbag_error *err)
{
    struct lines l = {text, len};
    unsigned char bin[SIGLINE_BIN], global[SIG_LEN];
    const char *line, *tc;
    size_t n, tlen;

    memset(out, 0, sizeof(*out));
    if (!next_line(&l, &line, &n))
        return artbag_error_set(err, ARTBAG_EREJECT, "empty signature file");
    if (!has_prefix(line, n, COMMENT_PREFIX))
        return artbag_error_set(err, ARTBAG_EREJECT,
                                "first line does not start with '" COMMENT_PREFIX "'");
    if (n - strlen(COMMENT_PREFIX) > UNTRUSTED_MAX)
        return artbag_error_set(err, ARTBAG_EREJECT, "untrusted comment too long");

    if (!next_line(&l, &line, &n))
        return artbag_error_set(err, ARTBAG_EREJECT, "signature line missing");
    if (b64_decode_exact(line, n, bin, sizeof(bin)) != 0)
        return artbag_error_set(err, ARTBAG_EREJECT, "signature line is not the base64 of %d bytes",
                                SIGLINE_BIN);
    if (memcmp(bin, SIGALG_HASHED, 2) == 0)
        out->prehashed = 1;
    else if (memcmp(bin, SIGALG, 2) != 0)
        return artbag_error_set(err, ARTBAG_EREJECT, "unsupported signature algorithm");

    if (!next_line(&l, &line, &n))
        return artbag_error_set(err, ARTBAG_EREJECT, "trusted comment line missing");
    if (!has_prefix(line, n, TRUSTED_PREFIX))
        return artbag_error_set(err, ARTBAG_EREJECT,
                                "third line does not start with '" TRUSTED_PREFIX "'");
    tlen = n - strlen(TRUSTED_PREFIX);
    if (tlen > TRUSTED_MAX)
        return artbag_error_set(err, ARTBAG_EREJECT, "trusted comment too long");
    if (!line_clean(line, n))
        return artbag_error_set(err, ARTBAG_EREJECT, "trusted comment holds a CR or NUL byte");
    tc = line + strlen(TRUSTED_PREFIX);

    if (!next_line(&l, &line, &n))
        return artbag_error_set(err, ARTBAG_EREJECT, "global signature line missing");
    if (b64_decode_exact(line, n, global, SIG_LEN) != 0)
        return artbag_error_set(err, ARTBAG_EREJECT,
                                "global signature line is not the base64 of %d bytes", SIG_LEN);
    if (!only_blank_lines(&l))
        return artbag_error_set(err, ARTBAG_EREJECT, "unexpected text after the signature");

    /* Allocated last, so that no rejection above has anything to free. */
    out->trusted_comment = malloc(tlen + 1);
    if (!out->trusted_comment)
        return artbag_error_set(err, ARTBAG_EIO, "signature: out of memory");
    memcpy(out->trusted_comment, tc, tlen);
    out->trusted_comment[tlen] = '\0';
    memcpy(out->id, bin + 2, ARTBAG_KEYID_LEN);
    memcpy(out->sig, bin + 2 + ARTBAG_KEYID_LEN, SIG_LEN);
    memcpy(out->global_sig, global, SIG_LEN);
    return ARTBAG_OK;
}

void artbag_minisig_release(struct artbag_minisig *s)
{
    free(s->trusted_comment);
    memset(s, 0, sizeof(*s));
}

int artbag_minisig_verify(const struct artbag_minisig *s, const struct artbag_pubkey *pub,
                          const void *msg, size_t len, struct artbag_error *err)
{
    const char *tc = s->trusted_comment ? s->trusted_comment : "";
    unsigned char hash[64];
    unsigned char *gm = NULL;
    char have[17], want[17];
    int rc, ok;

    if (memcmp(s->id, pub->id, ARTBAG_KEYID_LEN) != 0) {
        artbag_keyid_hex(s->id, have);
        artbag_keyid_hex(pub->id, want);
        rc = artbag_error_set(err, ARTBAG_EREJECT, "signature made by key ID %s, not %s", have,
                              want);
        goto cleanup;
    }
    if (s->prehashed) {
        if (blake2b512(msg, len, hash) != 0) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "verify: OpenSSL could not hash");
            goto cleanup;
        }
        ok = ed25519_verify(pub->pk, s->sig, hash, sizeof(hash));
    } else {
        ok = ed25519_verify(pub->pk, s->sig, msg, len);
    }
    if (ok != 1) {
        rc = ok < 0 ? artbag_error_set(err, ARTBAG_EIO, "verify: out of memory")
                    : artbag_error_set(err, ARTBAG_EREJECT, "signature does not match");
        goto cleanup;
    }
    gm = global_message(s->sig, tc, strlen(tc));
    if (!gm) {
        rc = artbag_error_set(err, ARTBAG_EIO, "verify: out of memory");
        goto cleanup;
    }
    ok = ed25519_verify(pub->pk, s->global_sig, gm, SIG_LEN + strlen(tc));
    if (ok != 1) {
        rc = ok < 0
                 ? artbag_error_set(err, ARTBAG_EIO, "verify: out of memory")
                 : artbag_error_set(err, ARTBAG_EREJECT, "trusted comment has been tampered with");
        goto cleanup;
    }
    rc = ARTBAG_OK;
cleanup:
    free(gm);
    return rc;
}
