/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_sign.c - unit tests for src/lib/sign.c: key files, minisign-format signatures, and byte
 * comparison against committed test-key signatures, because minisign must read what we write. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "crypto/digest.h"
#include "crypto/sign.h"

/* What the committed signatures in tests/fixtures/keys were made with (see its README). */
#define REGRESS_TRUSTED   "artbag regression test signature\tfile:message.txt"
#define REGRESS_UNTRUSTED "signature by the artbag TEST KEY - for tests only"

/* ---- helpers ------------------------------------------------------------------------------ */

static char *committed(const char *name)
{
    static char path[4096];
    const char *dir = getenv("ARTBAG_FIXTURES");

    if (!dir)
        fail_msg("ARTBAG_FIXTURES is not set (it names <repo>/tests/fixtures)");
    snprintf(path, sizeof(path), "%s/keys/%s", dir, name);
    return path;
}

/* Where private_copies() put copies of the committed secret keys, removed at exit. */
static char keys_dir[256];

static void keys_dir_remove(void)
{
    DIR *d = opendir(keys_dir);
    struct dirent *de;
    char path[512];

    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        snprintf(path, sizeof(path), "%s/%s", keys_dir, de->d_name);
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            unlink(path);
    }
    closedir(d);
    rmdir(keys_dir);
}

/*
 * A committed file by name. Git keeps no file modes, so a committed secret key is checked out
 * readable by everyone, which artbag_seckey_load() refuses: secret keys (.key, .sec) are given
 * as private copies, mode 0600, as 'artbag keygen' makes them.
 */
static char *fixture(const char *name)
{
    static char copy[512];
    size_t len = strlen(name);
    char *src = committed(name);
    char buf[65536];
    ssize_t n;
    int in, out;

    if (len < 4 || (strcmp(name + len - 4, ".key") != 0 && strcmp(name + len - 4, ".sec") != 0))
        return src;
    if (!keys_dir[0]) {
        const char *base = getenv("TMPDIR");

        snprintf(keys_dir, sizeof(keys_dir), "%s/test_sign_keys.XXXXXX",
                 base && *base ? base : "/tmp");
        assert_non_null(mkdtemp(keys_dir));
        atexit(keys_dir_remove);
    }
    snprintf(copy, sizeof(copy), "%s/%s", keys_dir, name);
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return src; /* a missing fixture: the caller's check sees the original path fail */
    unlink(copy);
    out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    assert_true(out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0)
        assert_int_equal(write(out, buf, (size_t)n), n);
    assert_int_equal(n, 0);
    close(in);
    assert_int_equal(close(out), 0);
    return copy;
}

/* Reads path whole into b (NUL-terminated); fails the test when it cannot. */
static void slurp(const char *path, struct artbag_buf *b)
{
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f)
        fail_msg("cannot open '%s': %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(artbag_buf_append(b, chunk, n), ARTBAG_OK);
    assert_int_equal(ferror(f), 0);
    fclose(f);
    assert_int_equal(artbag_buf_append(b, "", 0), ARTBAG_OK);
}

/* Writes text to path, mode 0600 like a secret key, so only what is in it is under test. */
static void spew(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
}

/* The test passphrase: the first line of the committed file. Caller frees. */
static char *test_passphrase(void)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;

    slurp(fixture("test-passphrase.txt"), &b);
    b.data[strcspn(b.data, "\r\n")] = '\0';
    return artbag_buf_detach(&b, NULL);
}

static struct artbag_seckey *load_key(const char *name, const char *pass)
{
    struct artbag_seckey *k = NULL;
    struct artbag_error err = {0};

    if (artbag_seckey_load(fixture(name), pass, &k, &err) != ARTBAG_OK)
        fail_msg("loading '%s': %s", name, err.msg);
    return k;
}

static void load_pub(const char *name, struct artbag_pubkey *pub)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};

    slurp(fixture(name), &b);
    if (artbag_pubkey_parse(b.data, b.len, pub, &err) != ARTBAG_OK)
        fail_msg("parsing '%s': %s", name, err.msg);
    artbag_buf_release(&b);
}

/* Signs msg with k and the given comments; returns the signature text (caller releases). */
static void sign_text(const struct artbag_seckey *k, const char *msg, size_t len,
                      struct artbag_buf *out)
{
    struct artbag_error err = {0};

    if (artbag_sign_minisig(k, msg, len, "test", "tc", out, &err) != ARTBAG_OK)
        fail_msg("sign: %s", err.msg);
}

/* Parses text and verifies it over msg with pub; returns the status, message in err. */
static int check(const char *text, size_t tlen, const struct artbag_pubkey *pub, const void *msg,
                 size_t mlen, struct artbag_error *err)
{
    struct artbag_minisig s;
    int rc = artbag_minisig_parse(text, tlen, &s, err);

    if (rc == ARTBAG_OK)
        rc = artbag_minisig_verify(&s, pub, msg, mlen, err);
    artbag_minisig_release(&s);
    return rc;
}

/* A private temporary directory per test, kept when the test fails (the removal is skipped). */
struct tmp {
    char dir[256];
    char path[512];
};

static void tmp_make(struct tmp *t)
{
    const char *base = getenv("TMPDIR");

    snprintf(t->dir, sizeof(t->dir), "%s/test_sign.XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(t->dir));
}

static const char *tmp_path(struct tmp *t, const char *name)
{
    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
    return t->path;
}

static void tmp_remove(struct tmp *t)
{
    DIR *d = opendir(t->dir);
    struct dirent *de;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            assert_int_equal(unlink(tmp_path(t, de->d_name)), 0);
    closedir(d);
    assert_int_equal(rmdir(t->dir), 0);
}

static int exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

/* ---- key ids ------------------------------------------------------------------------------ */

static void test_keyid_hex(void **state)
{
    /* From a real minisign key: its file says "minisign public key DEE2CCD759B63E97". */
    static const unsigned char id[8] = {0x97, 0x3e, 0xb6, 0x59, 0xd7, 0xcc, 0xe2, 0xde};
    static const unsigned char small[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    char hex[17];

    (void)state;
    artbag_keyid_hex(id, hex);
    assert_string_equal(hex, "DEE2CCD759B63E97");
    /* Leading zeros are kept so every id prints as 16 digits. */
    artbag_keyid_hex(small, hex);
    assert_string_equal(hex, "0000000000000001");
}

/* ---- keygen and loading -------------------------------------------------------------------- */

static void test_keygen_encrypted(void **state)
{
    struct tmp t;
    struct artbag_error err = {0};
    struct artbag_pubkey pub, parsed, frompriv;
    struct artbag_buf text = ARTBAG_BUF_INIT;
    struct artbag_seckey *k = NULL;
    struct stat st;
    char *pass = test_passphrase();
    char hex[17], want[128], idhex[17], sha[ARTBAG_SHA256_HEX];
    const char *nl;

    (void)state;
    tmp_make(&t);
    assert_int_equal(artbag_keygen(tmp_path(&t, "k"), pass, &pub, &err), ARTBAG_OK);

    assert_int_equal(stat(tmp_path(&t, "k.key"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    slurp(t.path, &text);
    assert_non_null(strstr(text.data, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    assert_null(strstr(text.data, pass));
    artbag_buf_release(&text);

    /* The .pub file is minisign's: comment with the key id, then base64, nothing else. */
    slurp(tmp_path(&t, "k.pub"), &text);
    artbag_keyid_hex(pub.id, hex);
    snprintf(want, sizeof(want), "untrusted comment: minisign public key %s\n", hex);
    nl = strchr(text.data, '\n');
    assert_non_null(nl);
    assert_memory_equal(text.data, want, strlen(want));
    assert_int_equal(text.len, strlen(want) + 56 + 1);
    assert_string_equal(text.data + text.len - 1, "\n");
    assert_int_equal(artbag_pubkey_parse(text.data, text.len, &parsed, &err), ARTBAG_OK);
    assert_memory_equal(&parsed, &pub, sizeof(pub));
    artbag_buf_release(&text);

    /* The id is derived: the first 8 bytes of SHA-256 of the public key. */
    assert_int_equal(artbag_sha256_hex(pub.pk, sizeof(pub.pk), sha, &err), ARTBAG_OK);
    artbag_hex(pub.id, sizeof(pub.id), idhex);
    assert_memory_equal(idhex, sha, 16);

    assert_int_equal(artbag_seckey_load(tmp_path(&t, "k.key"), pass, &k, &err), ARTBAG_OK);
    artbag_seckey_pubkey(k, &frompriv);
    assert_memory_equal(&frompriv, &pub, sizeof(pub));
    artbag_seckey_free(k);

    free(pass);
    tmp_remove(&t);
}

static void test_keygen_unencrypted(void **state)
{
    struct tmp t;
    struct artbag_error err = {0};
    struct artbag_pubkey pub, frompriv;
    struct artbag_buf text = ARTBAG_BUF_INIT;
    struct artbag_seckey *k = NULL;
    struct stat st;

    (void)state;
    tmp_make(&t);
    assert_int_equal(artbag_keygen(tmp_path(&t, "plain"), NULL, &pub, &err), ARTBAG_OK);
    assert_int_equal(stat(tmp_path(&t, "plain.key"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    slurp(t.path, &text);
    assert_memory_equal(text.data, "-----BEGIN PRIVATE KEY-----\n", 28);
    artbag_buf_release(&text);

    assert_int_equal(artbag_seckey_load(tmp_path(&t, "plain.key"), NULL, &k, &err), ARTBAG_OK);
    artbag_seckey_pubkey(k, &frompriv);
    assert_memory_equal(&frompriv, &pub, sizeof(pub));
    artbag_seckey_free(k);
    /* A passphrase given for a plain key has nothing to open and is not an error. */
    assert_int_equal(artbag_seckey_load(t.path, "unused", &k, &err), ARTBAG_OK);
    artbag_seckey_free(k);

    /* An empty passphrase would look encrypted and protect nothing: the caller must choose. */
    assert_int_equal(artbag_keygen(tmp_path(&t, "empty"), "", NULL, &err), ARTBAG_EUSAGE);
    assert_false(exists(tmp_path(&t, "empty.key")));
    assert_false(exists(tmp_path(&t, "empty.pub")));
    tmp_remove(&t);
}

static void test_keygen_refuses_existing(void **state)
{
    struct tmp t;
    struct artbag_error err = {0};
    struct artbag_buf before = ARTBAG_BUF_INIT, after = ARTBAG_BUF_INIT;
    char target[512];

    (void)state;
    tmp_make(&t);
    assert_int_equal(artbag_keygen(tmp_path(&t, "k"), NULL, NULL, &err), ARTBAG_OK);
    slurp(tmp_path(&t, "k.key"), &before);

    assert_int_equal(artbag_keygen(tmp_path(&t, "k"), NULL, NULL, &err), ARTBAG_EIO);
    assert_int_equal(err.status, ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "k.key': already exists"));
    slurp(tmp_path(&t, "k.key"), &after);
    assert_int_equal(after.len, before.len);
    assert_memory_equal(after.data, before.data, before.len);

    /* Only the .pub is in the way: no key may be left behind without its public half. */
    spew(tmp_path(&t, "half.pub"), "not mine\n");
    assert_int_equal(artbag_keygen(tmp_path(&t, "half"), NULL, NULL, &err), ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "half.pub': already exists"));
    assert_false(exists(tmp_path(&t, "half.key")));
    artbag_buf_release(&after);
    slurp(tmp_path(&t, "half.pub"), &after);
    assert_string_equal(after.data, "not mine\n");

    /* A dangling symlink at the key's name is not followed. */
    snprintf(target, sizeof(target), "%s", tmp_path(&t, "elsewhere"));
    assert_int_equal(symlink(target, tmp_path(&t, "link.key")), 0);
    assert_int_equal(artbag_keygen(tmp_path(&t, "link"), NULL, NULL, &err), ARTBAG_EIO);
    assert_false(exists(tmp_path(&t, "elsewhere")));
    assert_false(exists(tmp_path(&t, "link.pub")));

    /* A directory that does not exist: an I/O error, nothing made. */
    assert_int_equal(artbag_keygen(tmp_path(&t, "no/such/dir/k"), NULL, NULL, &err), ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "cannot create"));

    artbag_buf_release(&before);
    artbag_buf_release(&after);
    tmp_remove(&t);
}

static void test_load_passphrases(void **state)
{
    struct artbag_error err = {0};
    struct artbag_seckey *k = NULL;
    struct artbag_pubkey pub, frompriv;
    char *pass = test_passphrase();

    (void)state;
    load_pub("test.pub", &pub);
    assert_int_equal(artbag_seckey_load(fixture("test.key"), pass, &k, &err), ARTBAG_OK);
    artbag_seckey_pubkey(k, &frompriv);
    assert_memory_equal(&frompriv, &pub, sizeof(pub));
    artbag_seckey_free(k);

    k = (struct artbag_seckey *)&err; /* must be reset to NULL on failure */
    assert_int_equal(artbag_seckey_load(fixture("test.key"), "not the passphrase", &k, &err),
                     ARTBAG_EREJECT);
    assert_null(k);
    assert_int_equal(err.status, ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "wrong passphrase"));
    assert_null(strstr(err.msg, "not the passphrase"));
    assert_null(strstr(err.msg, "BEGIN"));

    /* One character off still fails: nothing is trimmed or folded. */
    pass[strlen(pass) - 1] ^= 1;
    assert_int_equal(artbag_seckey_load(fixture("test.key"), pass, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "wrong passphrase"));

    assert_int_equal(artbag_seckey_load(fixture("test.key"), NULL, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "passphrase needed"));
    free(pass);
}

static void test_load_errors(void **state)
{
    struct tmp t;
    struct artbag_error err = {0};
    struct artbag_seckey *k = NULL;
    struct artbag_buf text = ARTBAG_BUF_INIT;
    char *pass = test_passphrase();

    (void)state;
    assert_int_equal(artbag_seckey_load(fixture("no-such.key"), NULL, &k, &err), ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "cannot open"));

    assert_int_equal(artbag_seckey_load(fixture("x25519.key"), NULL, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "not an Ed25519 PKCS#8 key"));
    /* A minisign secret key is not PKCS#8 either. */
    assert_int_equal(artbag_seckey_load(fixture("minisign-test.sec"), NULL, &k, &err),
                     ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "not an Ed25519 PKCS#8 key"));

    tmp_make(&t);
    spew(tmp_path(&t, "garbage.key"), "hello\n");
    assert_int_equal(artbag_seckey_load(t.path, pass, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "not an Ed25519 PKCS#8 key"));
    spew(tmp_path(&t, "empty.key"), "");
    assert_int_equal(artbag_seckey_load(t.path, pass, &k, &err), ARTBAG_EREJECT);

    /* A truncated encrypted key is a damaged file, not a wrong passphrase. */
    slurp(fixture("test.key"), &text);
    text.data[text.len / 2] = '\0';
    spew(tmp_path(&t, "cut.key"), text.data);
    assert_int_equal(artbag_seckey_load(t.path, pass, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "not an Ed25519 PKCS#8 key"));
    artbag_buf_release(&text);

    assert_int_equal(mkdir(tmp_path(&t, "dir.key"), 0700), 0);
    assert_int_equal(artbag_seckey_load(t.path, pass, &k, &err), ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "not a regular file"));
    assert_int_equal(rmdir(t.path), 0);
    assert_null(k);
    free(pass);
    tmp_remove(&t);
}

/* ---- signing and verifying ----------------------------------------------------------------- */

static void test_sign_verify_round_trip(void **state)
{
    struct artbag_seckey *k = load_key("test-nopass.key", NULL);
    struct artbag_buf out = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;
    struct artbag_minisig s;
    const char msg[] = "data/article.md\n";

    (void)state;
    artbag_seckey_pubkey(k, &pub);
    /* Appends: what the buffer held stays in front. */
    assert_int_equal(artbag_buf_puts(&out, "KEEP"), ARTBAG_OK);
    assert_int_equal(artbag_sign_minisig(k, msg, strlen(msg), NULL, "bag:x\ttime:1", &out, &err),
                     ARTBAG_OK);
    assert_memory_equal(out.data, "KEEPuntrusted comment: ", 23);
    assert_int_equal(artbag_minisig_parse(out.data + 4, out.len - 4, &s, &err), ARTBAG_OK);
    assert_int_equal(s.prehashed, 1);
    assert_memory_equal(s.id, pub.id, sizeof(pub.id));
    assert_string_equal(s.trusted_comment, "bag:x\ttime:1");
    assert_int_equal(artbag_minisig_verify(&s, &pub, msg, strlen(msg), &err), ARTBAG_OK);
    artbag_minisig_release(&s);
    assert_null(s.trusted_comment);
    artbag_buf_release(&out);

    /* The empty message and the empty trusted comment are both signable. */
    assert_int_equal(artbag_sign_minisig(k, NULL, 0, "u", NULL, &out, &err), ARTBAG_OK);
    assert_non_null(strstr(out.data, "\ntrusted comment: \n"));
    assert_int_equal(check(out.data, out.len, &pub, "", 0, &err), ARTBAG_OK);
    assert_int_equal(check(out.data, out.len, &pub, "x", 1, &err), ARTBAG_EREJECT);
    artbag_buf_release(&out);
    artbag_seckey_free(k);
}

static void test_verify_failures(void **state)
{
    struct artbag_seckey *k = load_key("test-nopass.key", NULL);
    struct artbag_buf out = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub, other, mixed;
    const char msg[] = "0123456789abcdef  data/article.md\n";
    char want[128], a[17], b[17];
    char *tc;

    (void)state;
    artbag_seckey_pubkey(k, &pub);
    load_pub("test.pub", &other);
    sign_text(k, msg, strlen(msg), &out);
    assert_int_equal(check(out.data, out.len, &pub, msg, strlen(msg), &err), ARTBAG_OK);

    /* A changed message. */
    assert_int_equal(
        check(out.data, out.len, &pub, "1123456789abcdef  data/article.md\n", strlen(msg), &err),
        ARTBAG_EREJECT);
    assert_string_equal(err.msg, "signature does not match");
    assert_int_equal(check(out.data, out.len, &pub, msg, strlen(msg) - 1, &err), ARTBAG_EREJECT);

    /* Another key: the ids differ, and the message names both. */
    assert_int_equal(check(out.data, out.len, &other, msg, strlen(msg), &err), ARTBAG_EREJECT);
    artbag_keyid_hex(pub.id, a);
    artbag_keyid_hex(other.id, b);
    snprintf(want, sizeof(want), "signature made by key ID %s, not %s", a, b);
    assert_string_equal(err.msg, want);

    /* The right id on the wrong key bytes: caught by the signature itself. */
    mixed = other;
    memcpy(mixed.id, pub.id, sizeof(mixed.id));
    assert_int_equal(check(out.data, out.len, &mixed, msg, strlen(msg), &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "signature does not match");

    /* Key bytes that are no curve point: rejected as not matching, not as an error. */
    memset(mixed.pk, 0xff, sizeof(mixed.pk));
    assert_int_equal(check(out.data, out.len, &mixed, msg, strlen(msg), &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "signature does not match");

    /* A changed trusted comment, of the same length and of another length. */
    tc = strstr(out.data, "trusted comment: tc\n");
    assert_non_null(tc);
    tc[17] = 'T';
    assert_int_equal(check(out.data, out.len, &pub, msg, strlen(msg), &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "trusted comment has been tampered with");
    tc[17] = 't';
    tc[18] = ' ';
    assert_int_equal(check(out.data, out.len, &pub, msg, strlen(msg), &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "trusted comment has been tampered with");
    tc[18] = 'c';

    /* The untrusted comment is not signed: changing it is allowed, as in minisign. */
    out.data[19] = 'X';
    assert_int_equal(check(out.data, out.len, &pub, msg, strlen(msg), &err), ARTBAG_OK);

    artbag_buf_release(&out);
    artbag_seckey_free(k);
}

/* Every strict prefix of a signature file is rejected, but for the one missing its last LF. */
static void test_minisig_truncated(void **state)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT, msg = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;

    (void)state;
    load_pub("test.pub", &pub);
    slurp(fixture("message.txt"), &msg);
    slurp(fixture("message.txt.test.minisig"), &sig);
    for (size_t i = 0; i + 1 < sig.len; i++) {
        char *cut = malloc(i ? i : 1); /* exact size, so ASan sees any read past the end */

        assert_non_null(cut);
        memcpy(cut, sig.data, i);
        if (check(cut, i, &pub, msg.data, msg.len, &err) != ARTBAG_EREJECT)
            fail_msg("a signature cut to %zu bytes was not rejected", i);
        free(cut);
    }
    assert_int_equal(check(sig.data, sig.len - 1, &pub, msg.data, msg.len, &err), ARTBAG_OK);
    artbag_buf_release(&sig);
    artbag_buf_release(&msg);
}

/*
 * Every byte replaced by each of a few others: whatever still parses and verifies must say
 * exactly what the original says (only the unsigned untrusted comment may change).
 */
static void test_minisig_garbled(void **state)
{
    static const char repl[] = {'A', 'z', '+', '=', '!', ' ', '\0', '\n', '\r'};
    struct artbag_buf sig = ARTBAG_BUF_INIT, msg = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;
    struct artbag_minisig orig, s;
    size_t accepted = 0;

    (void)state;
    load_pub("test.pub", &pub);
    slurp(fixture("message.txt"), &msg);
    slurp(fixture("message.txt.test.minisig"), &sig);
    assert_int_equal(artbag_minisig_parse(sig.data, sig.len, &orig, &err), ARTBAG_OK);
    for (size_t i = 0; i < sig.len; i++) {
        for (size_t r = 0; r < sizeof(repl); r++) {
            char *g;

            if (sig.data[i] == repl[r])
                continue;
            g = malloc(sig.len);
            assert_non_null(g);
            memcpy(g, sig.data, sig.len);
            g[i] = repl[r];
            if (artbag_minisig_parse(g, sig.len, &s, &err) == ARTBAG_OK) {
                if (artbag_minisig_verify(&s, &pub, msg.data, msg.len, &err) == ARTBAG_OK) {
                    accepted++;
                    assert_int_equal(s.prehashed, orig.prehashed);
                    assert_memory_equal(s.id, orig.id, sizeof(s.id));
                    assert_memory_equal(s.sig, orig.sig, sizeof(s.sig));
                    assert_memory_equal(s.global_sig, orig.global_sig, sizeof(s.global_sig));
                    assert_string_equal(s.trusted_comment, orig.trusted_comment);
                }
                artbag_minisig_release(&s);
            }
            free(g);
        }
    }
    /* The untrusted comment's edits did get through, so the loop did reach verification. */
    assert_true(accepted > 0);
    artbag_minisig_release(&orig);
    artbag_buf_release(&sig);
    artbag_buf_release(&msg);
}

static void test_minisig_crlf(void **state)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT, msg = ARTBAG_BUF_INIT, crlf = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;
    struct artbag_minisig s;

    (void)state;
    load_pub("test.pub", &pub);
    slurp(fixture("message.txt"), &msg);
    slurp(fixture("message.txt.test.minisig"), &sig);
    for (size_t i = 0; i < sig.len; i++)
        assert_int_equal(sig.data[i] == '\n' ? artbag_buf_puts(&crlf, "\r\n")
                                             : artbag_buf_append(&crlf, &sig.data[i], 1),
                         ARTBAG_OK);
    assert_int_equal(artbag_minisig_parse(crlf.data, crlf.len, &s, &err), ARTBAG_OK);
    assert_string_equal(s.trusted_comment, REGRESS_TRUSTED);
    assert_int_equal(artbag_minisig_verify(&s, &pub, msg.data, msg.len, &err), ARTBAG_OK);
    artbag_minisig_release(&s);
    /* Trailing empty lines are harmless; other trailing text is not. */
    assert_int_equal(artbag_buf_puts(&crlf, "\r\n\n"), ARTBAG_OK);
    assert_int_equal(check(crlf.data, crlf.len, &pub, msg.data, msg.len, &err), ARTBAG_OK);
    assert_int_equal(artbag_buf_puts(&crlf, "more\n"), ARTBAG_OK);
    assert_int_equal(check(crlf.data, crlf.len, &pub, msg.data, msg.len, &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "unexpected text after the signature");
    artbag_buf_release(&crlf);
    artbag_buf_release(&sig);
    artbag_buf_release(&msg);
}

/* Builds a signature file from parts, base64-encoding bin (n bytes) for the signature line. */
static void build_sig(struct artbag_buf *out, const char *l1, const unsigned char *bin, size_t n,
                      const char *l3, const char *l4)
{
    char b64[256];

    assert_true(n <= 180);
    EVP_EncodeBlock((unsigned char *)b64, bin, (int)n);
    artbag_buf_release(out);
    assert_int_equal(artbag_buf_printf(out, "%s\n%s\n%s\n%s\n", l1, b64, l3, l4), ARTBAG_OK);
}

static void expect_sig_error(const struct artbag_buf *b, const char *want)
{
    struct artbag_error err = {0};
    struct artbag_minisig s;

    assert_int_equal(artbag_minisig_parse(b->data, b->len, &s, &err), ARTBAG_EREJECT);
    assert_int_equal(err.status, ARTBAG_EREJECT);
    assert_null(s.trusted_comment);
    if (strstr(err.msg, want) == NULL)
        fail_msg("expected '%s', got '%s'", want, err.msg);
}

static void test_minisig_parse_errors(void **state)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT, b = ARTBAG_BUF_INIT, big = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_minisig s;
    unsigned char bin[80];
    char l4[128], line2[128];
    const char *l1 = "untrusted comment: x";

    (void)state;
    slurp(fixture("message.txt.test.minisig"), &sig);
    assert_int_equal(artbag_minisig_parse(sig.data, sig.len, &s, &err), ARTBAG_OK);
    memcpy(bin, "ED", 2);
    memcpy(bin + 2, s.id, 8);
    memcpy(bin + 10, s.sig, 64);
    EVP_EncodeBlock((unsigned char *)l4, s.global_sig, 64);
    artbag_minisig_release(&s);

    assert_int_equal(artbag_minisig_parse("", 0, &s, &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "empty signature file");

    build_sig(&b, l1, bin, 74, "trusted comment: t", l4);
    assert_int_equal(artbag_minisig_parse(b.data, b.len, &s, &err), ARTBAG_OK);
    artbag_minisig_release(&s);

    build_sig(&b, "untrusted comment x", bin, 74, "trusted comment: t", l4);
    expect_sig_error(&b, "first line does not start with 'untrusted comment: '");
    build_sig(&b, l1, bin, 74, "trusted comment t", l4);
    expect_sig_error(&b, "third line does not start with 'trusted comment: '");
    build_sig(&b, l1, bin, 73, "trusted comment: t", l4);
    expect_sig_error(&b, "signature line is not the base64 of 74 bytes");
    build_sig(&b, l1, bin, 75, "trusted comment: t", l4);
    expect_sig_error(&b, "signature line is not the base64 of 74 bytes");
    build_sig(&b, l1, bin, 74, "trusted comment: t", "AAAA");
    expect_sig_error(&b, "global signature line is not the base64 of 64 bytes");
    build_sig(&b, l1, bin, 74, "trusted comment: t", "");
    expect_sig_error(&b, "global signature line is not the base64 of 64 bytes");

    memcpy(bin, "Ed", 2); /* legacy: parses */
    build_sig(&b, l1, bin, 74, "trusted comment: t", l4);
    assert_int_equal(artbag_minisig_parse(b.data, b.len, &s, &err), ARTBAG_OK);
    assert_int_equal(s.prehashed, 0);
    artbag_minisig_release(&s);
    memcpy(bin, "EC", 2);
    build_sig(&b, l1, bin, 74, "trusted comment: t", l4);
    expect_sig_error(&b, "unsupported signature algorithm");
    memcpy(bin, "ed", 2);
    build_sig(&b, l1, bin, 74, "trusted comment: t", l4);
    expect_sig_error(&b, "unsupported signature algorithm");
    memcpy(bin, "ED", 2);

    /* Lines missing. */
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_puts(&b, "untrusted comment: x\n"), ARTBAG_OK);
    expect_sig_error(&b, "signature line missing");
    build_sig(&b, l1, bin, 74, "trusted comment: t", l4);
    b.len = (size_t)(strstr(b.data, "trusted comment: t") - b.data);
    expect_sig_error(&b, "trusted comment line missing");
    b.len += strlen("trusted comment: t\n");
    expect_sig_error(&b, "global signature line missing");

    /* A NUL or CR inside the trusted comment would be cut by minisign's line reader. */
    build_sig(&b, l1, bin, 74, "trusted comment: a\rb", l4);
    expect_sig_error(&b, "trusted comment holds a CR or NUL byte");
    build_sig(&b, l1, bin, 74, "trusted comment: ab", l4);
    *strstr(b.data, "ab\n") = '\0';
    expect_sig_error(&b, "trusted comment holds a CR or NUL byte");

    /* Long lines: the longest comments minisign reads back are accepted, no longer. */
    EVP_EncodeBlock((unsigned char *)line2, bin, 74);
    for (size_t n = 0; n < 8173; n++)
        assert_int_equal(artbag_buf_puts(&big, "a"), ARTBAG_OK);
    artbag_buf_release(&b);
    assert_int_equal(
        artbag_buf_printf(&b, "%s\n%s\ntrusted comment: %s\n%s\n", l1, line2, big.data, l4),
        ARTBAG_OK);
    assert_int_equal(artbag_minisig_parse(b.data, b.len, &s, &err), ARTBAG_OK);
    assert_int_equal(strlen(s.trusted_comment), 8173);
    artbag_minisig_release(&s);
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_puts(&big, "a"), ARTBAG_OK);
    assert_int_equal(
        artbag_buf_printf(&b, "%s\n%s\ntrusted comment: %s\n%s\n", l1, line2, big.data, l4),
        ARTBAG_OK);
    expect_sig_error(&b, "trusted comment too long");
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_printf(&b, "untrusted comment: %.1003s\n%s\n", big.data, line2),
                     ARTBAG_OK);
    expect_sig_error(&b, "trusted comment line missing"); /* 1003 is still fine */
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_printf(&b, "untrusted comment: %.1004s\n%s\n", big.data, line2),
                     ARTBAG_OK);
    expect_sig_error(&b, "untrusted comment too long");

    /* A megabyte on one line, and a megabyte of newlines. */
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_puts(&b, "untrusted comment: x\n"), ARTBAG_OK);
    for (size_t n = 0; n < 128; n++)
        assert_int_equal(artbag_buf_append(&b, big.data, 8192), ARTBAG_OK);
    expect_sig_error(&b, "signature line is not the base64 of 74 bytes");
    artbag_buf_release(&b);
    for (size_t n = 0; n < 1 << 20; n++)
        assert_int_equal(artbag_buf_append(&b, "\n", 1), ARTBAG_OK);
    expect_sig_error(&b, "first line does not start");

    artbag_buf_release(&big);
    artbag_buf_release(&b);
    artbag_buf_release(&sig);
}

static void test_sign_comment_limits(void **state)
{
    struct artbag_seckey *k = load_key("test-nopass.key", NULL);
    struct artbag_buf out = ARTBAG_BUF_INIT, big = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;

    (void)state;
    artbag_seckey_pubkey(k, &pub);
    assert_int_equal(artbag_buf_puts(&out, "KEEP"), ARTBAG_OK);
    assert_int_equal(artbag_sign_minisig(k, "m", 1, NULL, "two\nlines", &out, &err), ARTBAG_EUSAGE);
    assert_string_equal(err.msg, "trusted comment: must be one line");
    assert_int_equal(artbag_sign_minisig(k, "m", 1, "a\rb", "t", &out, &err), ARTBAG_EUSAGE);
    assert_string_equal(err.msg, "untrusted comment: must be one line");
    /* A refused call leaves the buffer as it was. */
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "KEEP");
    artbag_buf_release(&out);

    for (size_t n = 0; n < 8173; n++)
        assert_int_equal(artbag_buf_puts(&big, "t"), ARTBAG_OK);
    assert_int_equal(artbag_sign_minisig(k, "m", 1, NULL, big.data, &out, &err), ARTBAG_OK);
    assert_int_equal(check(out.data, out.len, &pub, "m", 1, &err), ARTBAG_OK);
    artbag_buf_release(&out);
    assert_int_equal(artbag_buf_puts(&big, "t"), ARTBAG_OK);
    assert_int_equal(artbag_sign_minisig(k, "m", 1, NULL, big.data, &out, &err), ARTBAG_EUSAGE);
    assert_null(out.data);

    big.data[1003] = '\0';
    assert_int_equal(artbag_sign_minisig(k, "m", 1, big.data, "t", &out, &err), ARTBAG_OK);
    assert_int_equal(check(out.data, out.len, &pub, "m", 1, &err), ARTBAG_OK);
    artbag_buf_release(&out);
    big.data[1003] = 't';
    big.data[1004] = '\0';
    assert_int_equal(artbag_sign_minisig(k, "m", 1, big.data, "t", &out, &err), ARTBAG_EUSAGE);

    artbag_buf_release(&out);
    artbag_buf_release(&big);
    artbag_seckey_free(k);
}

/* ---- minisign's own files ------------------------------------------------------------------ */

static void test_minisign_signatures(void **state)
{
    struct artbag_buf msg = ARTBAG_BUF_INIT, sig = ARTBAG_BUF_INIT, pubtext = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub;
    struct artbag_minisig s;
    char hex[17];

    (void)state;
    slurp(fixture("message.txt"), &msg);
    slurp(fixture("minisign-test.pub"), &pubtext);
    assert_int_equal(artbag_pubkey_parse(pubtext.data, pubtext.len, &pub, &err), ARTBAG_OK);
    /* minisign's ids are random: the one in the file is kept, as its comment line shows. */
    artbag_keyid_hex(pub.id, hex);
    assert_non_null(strstr(pubtext.data, hex));

    slurp(fixture("message.txt.minisign-legacy.minisig"), &sig);
    assert_int_equal(artbag_minisig_parse(sig.data, sig.len, &s, &err), ARTBAG_OK);
    assert_int_equal(s.prehashed, 0);
    assert_string_equal(s.trusted_comment, "minisign legacy test signature");
    assert_int_equal(artbag_minisig_verify(&s, &pub, msg.data, msg.len, &err), ARTBAG_OK);
    assert_int_equal(artbag_minisig_verify(&s, &pub, msg.data, msg.len - 1, &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "signature does not match");
    artbag_minisig_release(&s);
    artbag_buf_release(&sig);

    slurp(fixture("message.txt.minisign.minisig"), &sig);
    assert_int_equal(artbag_minisig_parse(sig.data, sig.len, &s, &err), ARTBAG_OK);
    assert_int_equal(s.prehashed, 1);
    assert_int_equal(artbag_minisig_verify(&s, &pub, msg.data, msg.len, &err), ARTBAG_OK);
    artbag_minisig_release(&s);

    artbag_buf_release(&sig);
    artbag_buf_release(&msg);
    artbag_buf_release(&pubtext);
}

static void expect_pub_error(const char *text, const char *want)
{
    struct artbag_error err = {0};
    struct artbag_pubkey pub;

    assert_int_equal(artbag_pubkey_parse(text, strlen(text), &pub, &err), ARTBAG_EREJECT);
    if (strstr(err.msg, want) == NULL)
        fail_msg("for '%.40s': expected '%s', got '%s'", text, want, err.msg);
}

static void test_pubkey_parse(void **state)
{
    struct artbag_buf b = ARTBAG_BUF_INIT, big = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    struct artbag_pubkey pub, want;
    unsigned char bin[44];
    char b64[64];
    const char *line = "RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Nyx";

    (void)state;
    load_pub("test.pub", &want);
    /* The bare base64 line, as `minisign -P` takes it, with or without its line ending. */
    assert_int_equal(artbag_pubkey_parse(line, strlen(line), &pub, &err), ARTBAG_OK);
    assert_memory_equal(&pub, &want, sizeof(pub));
    assert_int_equal(artbag_buf_printf(&b, "%s\r\n", line), ARTBAG_OK);
    assert_int_equal(artbag_pubkey_parse(b.data, b.len, &pub, &err), ARTBAG_OK);
    artbag_buf_release(&b);
    assert_int_equal(artbag_buf_printf(&b, "untrusted comment: k\r\n%s\r\n\r\n", line), ARTBAG_OK);
    assert_int_equal(artbag_pubkey_parse(b.data, b.len, &pub, &err), ARTBAG_OK);
    assert_memory_equal(&pub, &want, sizeof(pub));
    artbag_buf_release(&b);

    expect_pub_error("", "empty public key");
    expect_pub_error("untrusted comment: k\n", "no public key after the comment line");
    expect_pub_error("untrusted comment: k", "no public key after the comment line");
    expect_pub_error("hello", "public key is not the base64 of 42 bytes");
    expect_pub_error("RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Ny",
                     "not the base64 of 42 bytes");
    expect_pub_error("RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Nyx====",
                     "not the base64 of 42 bytes");
    expect_pub_error(" RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Nyx",
                     "not the base64 of 42 bytes");
    expect_pub_error("RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Ny*",
                     "not the base64 of 42 bytes");
    expect_pub_error("RWSxWjhIKYLxP9NaWnnaDy56gX/zp5gJsMVPysAfT7Knksqk4OU92Nyx\nmore\n",
                     "unexpected text after the public key");

    /* 41 and 43 bytes, and the right length under the wrong algorithm. */
    memset(bin, 0x41, sizeof(bin));
    memcpy(bin, "Ed", 2);
    EVP_EncodeBlock((unsigned char *)b64, bin, 41);
    expect_pub_error(b64, "not the base64 of 42 bytes");
    EVP_EncodeBlock((unsigned char *)b64, bin, 43);
    expect_pub_error(b64, "not the base64 of 42 bytes");
    EVP_EncodeBlock((unsigned char *)b64, bin, 42);
    assert_int_equal(artbag_pubkey_parse(b64, strlen(b64), &pub, &err), ARTBAG_OK);
    memcpy(bin, "ED", 2); /* signatures are "ED"; keys are always "Ed" */
    EVP_EncodeBlock((unsigned char *)b64, bin, 42);
    expect_pub_error(b64, "unsupported public key algorithm");

    for (size_t n = 0; n < 1004; n++)
        assert_int_equal(artbag_buf_puts(&big, "c"), ARTBAG_OK);
    assert_int_equal(artbag_buf_printf(&b, "untrusted comment: %s\n%s\n", big.data, line),
                     ARTBAG_OK);
    expect_pub_error(b.data, "untrusted comment too long");
    artbag_buf_release(&b);
    artbag_buf_release(&big);
}

/* ---- the regression test: committed key, committed expected bytes ---------------------------- */

static void regress(const char *keyname, const char *pass, const char *expected)
{
    struct artbag_seckey *k = load_key(keyname, pass);
    struct artbag_buf msg = ARTBAG_BUF_INIT, want = ARTBAG_BUF_INIT, got = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};

    slurp(fixture("message.txt"), &msg);
    slurp(fixture(expected), &want);
    assert_int_equal(
        artbag_sign_minisig(k, msg.data, msg.len, REGRESS_UNTRUSTED, REGRESS_TRUSTED, &got, &err),
        ARTBAG_OK);
    if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
        fail_msg("signature of message.txt by %s differs from %s:\n%s", keyname, expected,
                 got.data);
    artbag_buf_release(&msg);
    artbag_buf_release(&want);
    artbag_buf_release(&got);
    artbag_seckey_free(k);
}

static void test_regression_signatures(void **state)
{
    char *pass = test_passphrase();

    (void)state;
    regress("test.key", pass, "message.txt.test.minisig");
    regress("test-nopass.key", NULL, "message.txt.test-nopass.minisig");
    free(pass);
}

/* ---- arbitrary bytes ------------------------------------------------------------------------ */

static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random and randomly mutated inputs: the parsers may reject them, never crash or leak. */
static void test_parsers_arbitrary_bytes(void **state)
{
    struct artbag_buf sig = ARTBAG_BUF_INIT, pubtext = ARTBAG_BUF_INIT;
    struct artbag_error err;
    struct artbag_minisig s;
    struct artbag_pubkey pub;

    (void)state;
    slurp(fixture("message.txt.test.minisig"), &sig);
    slurp(fixture("test.pub"), &pubtext);
    for (int round = 0; round < 20000; round++) {
        const struct artbag_buf *seed = round & 1 ? &sig : &pubtext;
        size_t len = rng() % (seed->len + 16);
        char *buf = malloc(len ? len : 1);

        assert_non_null(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = i < seed->len && rng() % 8 ? seed->data[i] : (char)rng();
        if (artbag_minisig_parse(buf, len, &s, &err) == ARTBAG_OK)
            artbag_minisig_release(&s);
        (void)artbag_pubkey_parse(buf, len, &pub, &err);
        free(buf);
    }
    artbag_buf_release(&sig);
    artbag_buf_release(&pubtext);
}

/* The rules for the file, before its content: a secret key is private, a file, and secret. */
static void test_load_key_file_rules(void **state)
{
    static const mode_t refused[] = {0644, 0640, 0604, 0620, 0602, 0660, 0666};
    struct tmp t;
    struct artbag_error err = {0};
    struct artbag_seckey *k = NULL;
    struct artbag_buf text = ARTBAG_BUF_INIT;
    char want[1200];

    (void)state;
    tmp_make(&t);
    slurp(committed("test-nopass.key"), &text);
    spew(tmp_path(&t, "k.key"), text.data);
    artbag_buf_release(&text);
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(chmod(t.path, refused[i]), 0);
        assert_int_equal(artbag_seckey_load(t.path, NULL, &k, &err), ARTBAG_EIO);
        snprintf(want, sizeof(want), "'%s': readable or writable by others; run 'chmod 600 %s'",
                 t.path, t.path);
        assert_string_equal(err.msg, want);
        assert_null(k);
    }
    /* keygen's own mode, and stricter or owner-only ones, are fine. */
    for (mode_t m = 0400; m <= 0700; m += 0100) {
        if (!(m & 0400))
            continue;
        assert_int_equal(chmod(t.path, m), 0);
        assert_int_equal(artbag_seckey_load(t.path, NULL, &k, &err), ARTBAG_OK);
        artbag_seckey_free(k);
        k = NULL;
    }

    /* The public half given for the secret one says so, whatever its mode. */
    slurp(committed("test-nopass.pub"), &text);
    spew(tmp_path(&t, "k.pub"), text.data);
    assert_int_equal(chmod(t.path, 0644), 0);
    artbag_buf_release(&text);
    assert_int_equal(artbag_seckey_load(t.path, NULL, &k, &err), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "k.pub': a public key; signing needs the secret key"));

    /* A FIFO is refused at once: opened without blocking, then found not to be a file. */
    assert_int_equal(mkfifo(tmp_path(&t, "fifo.key"), 0600), 0);
    assert_int_equal(artbag_seckey_load(t.path, NULL, &k, &err), ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "not a regular file"));
    assert_null(k);
    tmp_remove(&t);
}

/* crypto/trust.c: one signature file checked against the trusted keys, or the key it carries. */
static void expect_outcome(const struct artbag_buf *sig, const char *msg,
                           const struct artbag_trust *t, int outcome, int trusted, const char *id)
{
    struct artbag_sigcheck s;

    assert_int_equal(artbag_minisig_check(sig->data, sig->len, msg, strlen(msg), t, &s), ARTBAG_OK);
    assert_int_equal(s.outcome, outcome);
    assert_int_equal(s.trusted, trusted);
    assert_string_equal(s.keyid, id);
    if (outcome == ARTBAG_SIG_MALFORMED || outcome == ARTBAG_SIG_BAD)
        assert_true(s.err.msg[0] != '\0');
    if (outcome == ARTBAG_SIG_MALFORMED)
        assert_null(s.trusted_comment);
    else
        assert_string_equal(s.trusted_comment, "tc");
    artbag_sigcheck_release(&s);
    assert_null(s.trusted_comment);
}

static void test_minisig_check(void **state)
{
    struct artbag_seckey *k = load_key("test-nopass.key", NULL);
    struct artbag_pubkey pub, other;
    struct artbag_trust t = {&pub, 1}, wrong = {&other, 1};
    struct artbag_buf carried = ARTBAG_BUF_INIT, bare = ARTBAG_BUF_INIT, lying = ARTBAG_BUF_INIT;
    struct artbag_buf junk = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    char b64[ARTBAG_PUB_B64_LEN + 1], comment[160], id[17];
    const char msg[] = "tagmanifest-sha256.txt's bytes\n";

    (void)state;
    artbag_seckey_pubkey(k, &pub);
    load_pub("test.pub", &other);
    artbag_keyid_hex(pub.id, id);
    artbag_pubkey_base64(&pub, b64);
    assert_int_equal(strlen(b64), ARTBAG_PUB_B64_LEN);
    snprintf(comment, sizeof(comment), "by %s, " ARTBAG_EMBED_TAG "%s", id, b64);
    assert_int_equal(artbag_sign_minisig(k, msg, strlen(msg), comment, "tc", &carried, &err),
                     ARTBAG_OK);
    sign_text(k, msg, strlen(msg), &bare);
    /* a signature that carries another key than the one that made it */
    artbag_pubkey_base64(&other, b64);
    snprintf(comment, sizeof(comment), "by %s, " ARTBAG_EMBED_TAG "%s", id, b64);
    assert_int_equal(artbag_sign_minisig(k, msg, strlen(msg), comment, "tc", &lying, &err),
                     ARTBAG_OK);
    assert_int_equal(artbag_buf_puts(&junk, "untrusted comment: x\nnot base64\n"), ARTBAG_OK);

    expect_outcome(&carried, msg, &t, ARTBAG_SIG_GOOD, 1, id);
    expect_outcome(&bare, msg, &t, ARTBAG_SIG_GOOD, 1, id);
    expect_outcome(&carried, msg, NULL, ARTBAG_SIG_GOOD, 0, id);
    expect_outcome(&carried, msg, &wrong, ARTBAG_SIG_GOOD, 0, id);
    expect_outcome(&bare, msg, NULL, ARTBAG_SIG_UNKNOWN_KEY, 0, id);
    expect_outcome(&bare, msg, &wrong, ARTBAG_SIG_UNKNOWN_KEY, 0, id);
    expect_outcome(&lying, msg, NULL, ARTBAG_SIG_UNKNOWN_KEY, 0, id);
    expect_outcome(&carried, "changed", &t, ARTBAG_SIG_BAD, 1, id);
    expect_outcome(&carried, "changed", NULL, ARTBAG_SIG_BAD, 0, id);
    expect_outcome(&junk, msg, &t, ARTBAG_SIG_MALFORMED, 0, "");
    artbag_buf_release(&carried);
    artbag_buf_release(&bare);
    artbag_buf_release(&lying);
    artbag_buf_release(&junk);
    artbag_seckey_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyid_hex),
        cmocka_unit_test(test_keygen_encrypted),
        cmocka_unit_test(test_keygen_unencrypted),
        cmocka_unit_test(test_keygen_refuses_existing),
        cmocka_unit_test(test_load_passphrases),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_key_file_rules),
        cmocka_unit_test(test_sign_verify_round_trip),
        cmocka_unit_test(test_minisig_check),
        cmocka_unit_test(test_verify_failures),
        cmocka_unit_test(test_minisig_truncated),
        cmocka_unit_test(test_minisig_garbled),
        cmocka_unit_test(test_minisig_crlf),
        cmocka_unit_test(test_minisig_parse_errors),
        cmocka_unit_test(test_sign_comment_limits),
        cmocka_unit_test(test_minisign_signatures),
        cmocka_unit_test(test_pubkey_parse),
        cmocka_unit_test(test_regression_signatures),
        cmocka_unit_test(test_parsers_arbitrary_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
