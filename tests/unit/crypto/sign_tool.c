/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* sign_tool.c - a test-only command line over src/lib/sign.c, so sign_interop.sh can hand
 * artbag's signatures to minisign and minisign's to artbag; never installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/sign.h"

#define TRUSTED_DEFAULT "artbag sign_tool test signature"

/* Reads a whole (test-sized) file into b; returns ARTBAG_OK or a status with err set. */
static int slurp(const char *path, struct artbag_buf *b, struct artbag_error *err)
{
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot open", path);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (artbag_buf_append(b, chunk, n) != ARTBAG_OK) {
            fclose(f);
            return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
        }
    }
    if (ferror(f)) {
        fclose(f);
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot read", path);
    }
    fclose(f);
    if (!b->data && artbag_buf_append(b, "", 0) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
    return ARTBAG_OK;
}

/*
 * The passphrase is the file's first line without its line ending; "-" means no passphrase.
 * *pass is wiped and freed by pass_free().
 */
static int read_pass(const char *path, char **pass, struct artbag_error *err)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    int rc;

    *pass = NULL;
    if (strcmp(path, "-") == 0)
        return ARTBAG_OK;
    rc = slurp(path, &b, err);
    if (rc == ARTBAG_OK) {
        b.data[strcspn(b.data, "\r\n")] = '\0';
        *pass = b.data;
    } else if (b.data) {
        OPENSSL_cleanse(b.data, b.len);
        artbag_buf_release(&b);
    }
    return rc;
}

static void pass_free(char *pass)
{
    if (pass) {
        OPENSSL_cleanse(pass, strlen(pass));
        free(pass);
    }
}

static int write_file(const char *path, const struct artbag_buf *b, struct artbag_error *err)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create", path);
    if (fwrite(b->data, 1, b->len, f) != b->len) {
        fclose(f);
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot write", path);
    }
    if (fclose(f) != 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot write", path);
    return ARTBAG_OK;
}

static int cmd_keygen(char **argv, struct artbag_error *err)
{
    struct artbag_pubkey pub;
    char *pass = NULL, hex[17];
    int rc;

    rc = read_pass(argv[1], &pass, err);
    if (rc == ARTBAG_OK)
        rc = artbag_keygen(argv[0], pass, &pub, err);
    if (rc == ARTBAG_OK) {
        artbag_keyid_hex(pub.id, hex);
        printf("key ID %s\n", hex);
    }
    pass_free(pass);
    return rc;
}

/* sign KEY PASSFILE MSG OUT [TRUSTED_COMMENT [UNTRUSTED_COMMENT]] */
static int cmd_sign(int argc, char **argv, struct artbag_error *err)
{
    struct artbag_buf msg = ARTBAG_BUF_INIT, sig = ARTBAG_BUF_INIT;
    struct artbag_seckey *k = NULL;
    char *pass = NULL;
    int rc;

    rc = read_pass(argv[1], &pass, err);
    if (rc == ARTBAG_OK)
        rc = artbag_seckey_load(argv[0], pass, &k, err);
    pass_free(pass);
    if (rc == ARTBAG_OK)
        rc = slurp(argv[2], &msg, err);
    if (rc == ARTBAG_OK)
        rc = artbag_sign_minisig(k, msg.data, msg.len, argc > 5 ? argv[5] : NULL,
                                 argc > 4 ? argv[4] : TRUSTED_DEFAULT, &sig, err);
    if (rc == ARTBAG_OK)
        rc = write_file(argv[3], &sig, err);
    artbag_seckey_free(k);
    artbag_buf_release(&msg);
    artbag_buf_release(&sig);
    return rc;
}

/* verify PUBFILE MSG SIG */
static int cmd_verify(char **argv, struct artbag_error *err)
{
    struct artbag_buf pubtext = ARTBAG_BUF_INIT, msg = ARTBAG_BUF_INIT, sigtext = ARTBAG_BUF_INIT;
    struct artbag_minisig sig = {0};
    struct artbag_pubkey pub;
    int rc;

    rc = slurp(argv[0], &pubtext, err);
    if (rc == ARTBAG_OK && (rc = artbag_pubkey_parse(pubtext.data, pubtext.len, &pub, err)))
        artbag_error_prefix(err, argv[0]);
    if (rc == ARTBAG_OK)
        rc = slurp(argv[1], &msg, err);
    if (rc == ARTBAG_OK)
        rc = slurp(argv[2], &sigtext, err);
    if (rc == ARTBAG_OK && (rc = artbag_minisig_parse(sigtext.data, sigtext.len, &sig, err)))
        artbag_error_prefix(err, argv[2]);
    if (rc == ARTBAG_OK && (rc = artbag_minisig_verify(&sig, &pub, msg.data, msg.len, err)))
        artbag_error_prefix(err, argv[2]);
    if (rc == ARTBAG_OK)
        printf("signature and trusted comment verified\ntrusted comment: %s\n",
               sig.trusted_comment);
    artbag_minisig_release(&sig);
    artbag_buf_release(&pubtext);
    artbag_buf_release(&msg);
    artbag_buf_release(&sigtext);
    return rc;
}

int main(int argc, char **argv)
{
    struct artbag_error err = {0};
    int rc;

    if (argc == 4 && strcmp(argv[1], "keygen") == 0) {
        rc = cmd_keygen(argv + 2, &err);
    } else if (argc >= 6 && argc <= 8 && strcmp(argv[1], "sign") == 0) {
        rc = cmd_sign(argc - 2, argv + 2, &err);
    } else if (argc == 5 && strcmp(argv[1], "verify") == 0) {
        rc = cmd_verify(argv + 2, &err);
    } else {
        fprintf(stderr,
                "usage: sign_tool keygen NAME PASSFILE|-\n"
                "       sign_tool sign KEY PASSFILE|- MSG OUT.minisig [TRUSTED [UNTRUSTED]]\n"
                "       sign_tool verify PUBFILE MSG SIG\n");
        return 2;
    }
    if (rc != ARTBAG_OK)
        fprintf(stderr, "sign_tool: %s\n", err.msg);
    return -rc;
}
