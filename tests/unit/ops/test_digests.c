/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_digests.c - unit tests for pack --digest: artbag_digests_parse() takes the names RFC 8493
 * gives and refuses, by name, every word that is unknown, empty or repeated; the digests of one
 * buffer match known vectors; and the tag manifests list bag-info.txt, bagit.txt and every
 * payload manifest (never a tag manifest), each with its own algorithm's digest. */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"

static void parses(const char *list, unsigned want)
{
    struct artbag_error err = {0};
    unsigned mask = 0xdead;

    if (artbag_digests_parse(list, &mask, &err) != ARTBAG_OK)
        fail_msg("'%s' refused: %s", list, err.msg);
    if (mask != want)
        fail_msg("'%s': mask 0x%x, want 0x%x", list, mask, want);
}

/* The list is refused as a usage error whose message holds word; the mask is untouched. */
static void refuses(const char *list, const char *word)
{
    struct artbag_error err = {0};
    unsigned mask = 0xdead;

    assert_int_equal(artbag_digests_parse(list, &mask, &err), ARTBAG_EUSAGE);
    assert_int_equal(err.status, ARTBAG_EUSAGE);
    if (!strstr(err.msg, word))
        fail_msg("'%s': message '%s' does not name '%s'", list ? list : "(null)", err.msg, word);
    assert_int_equal(mask, 0xdead);
}

static void test_parse_good(void **state)
{
    (void)state;
    parses("sha256", ARTBAG_DIGEST_SHA256);
    /* sha256 is always there, named or not */
    parses("sha512", ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA512);
    parses("sha256,sha512", ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA512);
    parses("md5,sha1", ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_MD5 | ARTBAG_DIGEST_SHA1);
    parses("sha384,sha224", ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA384 | ARTBAG_DIGEST_SHA224);
    parses("SHA512, md5", ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA512 | ARTBAG_DIGEST_MD5);
    parses("md5,sha1,sha224,sha256,sha384,sha512", 0x3f);
}

static void test_parse_bad(void **state)
{
    (void)state;
    refuses("sha3", "'sha3'");
    refuses("sha256,blake2b", "'blake2b'");
    refuses("sha-256", "'sha-256'");
    refuses("sha512,sha512", "'sha512' given twice");
    refuses("sha256,SHA256", "'SHA256' given twice");
    refuses("md5,sha1,md5", "'md5' given twice");
    refuses("", "empty digest name");
    refuses("sha256,", "empty digest name");
    refuses(",sha512", "empty digest name");
    refuses("sha256,,sha512", "empty digest name");
    refuses(NULL, "empty digest name");
    refuses("sha512sha512sha512sha512", "'sha512sha512sha512sha512'");
}

static void test_options_check(void **state)
{
    struct artbag_pack_options o;
    struct artbag_error err = {0};

    (void)state;
    artbag_pack_options_init(&o);
    assert_int_equal(o.digests, 0);
    assert_int_equal(artbag_digest_mask(&o), ARTBAG_DIGEST_SHA256);
    o.digests = ARTBAG_DIGEST_SHA512 | ARTBAG_DIGEST_MD5;
    assert_int_equal(artbag_pack_options_check(&o, &err), ARTBAG_OK);
    assert_int_equal(artbag_digest_mask(&o),
                     ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA512 | ARTBAG_DIGEST_MD5);
    o.digests = 0x40;
    assert_int_equal(artbag_pack_options_check(&o, &err), ARTBAG_EUSAGE);
}

static void test_digests_of(void **state)
{
    struct artbag_digests d = {0x3f, {{0}}};

    (void)state;
    assert_int_equal(artbag_digests_of(&d, "abc", 3), ARTBAG_OK);
    assert_string_equal(d.hex[ARTBAG_MD5], "900150983cd24fb0d6963f7d28e17f72");
    assert_string_equal(d.hex[ARTBAG_SHA1], "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_string_equal(d.hex[ARTBAG_SHA256],
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_string_equal(d.hex[ARTBAG_SHA512],
                        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    assert_int_equal(strlen(d.hex[ARTBAG_SHA224]), 56);
    assert_int_equal(strlen(d.hex[ARTBAG_SHA384]), 96);
}

/* The line for path in manifest text m, or fails. */
static const char *line_for(const struct artbag_buf *m, const char *path, char *digest)
{
    const char *p = m->data;
    size_t plen = strlen(path);

    while (p && p < m->data + m->len) {
        const char *nl = memchr(p, '\n', (size_t)(m->data + m->len - p));
        const char *sp = memchr(p, ' ', (size_t)(nl - p));

        if (sp && (size_t)(nl - sp - 2) == plen && memcmp(sp + 2, path, plen) == 0) {
            memcpy(digest, p, (size_t)(sp - p));
            digest[sp - p] = '\0';
            return p;
        }
        p = nl + 1;
    }
    fail_msg("'%s' not listed", path);
    return NULL;
}

static void test_tagmanifests(void **state)
{
    const unsigned mask = ARTBAG_DIGEST_SHA256 | ARTBAG_DIGEST_SHA512 | ARTBAG_DIGEST_MD5;
    struct artbag_manifests m, tm;
    struct artbag_buf baginfo = ARTBAG_BUF_INIT, bagit = ARTBAG_BUF_INIT;
    struct artbag_digests a = {mask, {{0}}}, want = {mask, {{0}}};
    struct artbag_error err = {0};
    const char *order[] = {"bag-info.txt", "bagit.txt", "manifest-sha256.txt",
                           "manifest-sha512.txt", "manifest-md5.txt"};
    const int algs[] = {ARTBAG_SHA256, ARTBAG_SHA512, ARTBAG_MD5};

    (void)state;
    assert_int_equal(artbag_buf_puts(&baginfo, "Bagging-Date: 2014-12-22\n"), ARTBAG_OK);
    assert_int_equal(artbag_bagit_txt(&bagit), ARTBAG_OK);
    assert_int_equal(artbag_digests_of(&a, "text", 4), ARTBAG_OK);
    artbag_manifests_init(&m, mask);
    assert_int_equal(artbag_manifests_add(&m, &a, "data/article.md"), ARTBAG_OK);
    for (size_t k = 0; k < 3; k++) {
        char line[200];

        snprintf(line, sizeof(line), "%s  data/article.md\n", a.hex[algs[k]]);
        assert_int_equal(m.m[algs[k]].len, strlen(line));
        assert_memory_equal(m.m[algs[k]].data, line, strlen(line));
    }
    assert_int_equal(m.m[ARTBAG_SHA1].len, 0);
    assert_int_equal(artbag_tagmanifests_build(&tm, &baginfo, &bagit, &m, &err), ARTBAG_OK);
    assert_int_equal(tm.mask, mask);
    for (size_t k = 0; k < 3; k++) {
        const struct artbag_buf *t = &tm.m[algs[k]];
        const char *prev = NULL;
        size_t lines = 0;

        for (size_t i = 0; i < t->len; i++)
            lines += t->data[i] == '\n';
        assert_int_equal(lines, 5);
        assert_null(memmem(t->data, t->len, "tagmanifest", 11));
        for (size_t j = 0; j < 5; j++) {
            char got[ARTBAG_HEX_MAX];
            const struct artbag_buf *of = j == 0 ? &baginfo : j == 1 ? &bagit : &m.m[algs[j - 2]];
            const char *at = line_for(t, order[j], got);

            /* in the archive's order, each with this manifest's algorithm */
            assert_true(!prev || at > prev);
            prev = at;
            assert_int_equal(artbag_digests_of(&want, of->data, of->len), ARTBAG_OK);
            assert_string_equal(got, want.hex[algs[k]]);
        }
    }
    artbag_manifests_release(&tm);
    /* SHA-256 alone: the three lines artbag has always written. */
    m.mask = ARTBAG_DIGEST_SHA256;
    assert_int_equal(artbag_tagmanifests_build(&tm, &baginfo, &bagit, &m, &err), ARTBAG_OK);
    assert_int_equal(tm.mask, ARTBAG_DIGEST_SHA256);
    assert_null(memmem(tm.m[ARTBAG_SHA256].data, tm.m[ARTBAG_SHA256].len, "sha512", 6));
    assert_int_equal(tm.m[ARTBAG_SHA512].len, 0);
    artbag_manifests_release(&tm);
    artbag_manifests_release(&m);
    artbag_buf_release(&baginfo);
    artbag_buf_release(&bagit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),    cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_options_check), cmocka_unit_test(test_digests_of),
        cmocka_unit_test(test_tagmanifests),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
