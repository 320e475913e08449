/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_hasher.c - unit tests for hasher.c: the hashing thread gives every file the digests the
 * same bytes get when hashed in place, whatever the sizes of files and writes, including files
 * larger than its ring, and stops cleanly with work left. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "crypto/digest.h"

#define ALL ((1u << ARTBAG_N_ALGS) - 1)

struct result {
    unsigned mask;
    int calls;
    char hex[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];
};

static int record(void *target, unsigned mask, char hex[][ARTBAG_HEX_MAX])
{
    struct result *r = target;

    r->mask = mask;
    r->calls++;
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if (mask & (1u << i))
            memcpy(r->hex[i], hex[i], ARTBAG_HEX_MAX);
    return ARTBAG_OK;
}

static int refuse(void *target, unsigned mask, char hex[][ARTBAG_HEX_MAX])
{
    (void)target;
    (void)mask;
    (void)hex;
    return ARTBAG_EIO;
}

/* A deterministic byte pattern that differs between files. */
static void fill(unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
}

/* The digests of buf hashed in place, the way the checker does without a thread. */
static void expect(const unsigned char *buf, size_t n, unsigned mask, char hex[][ARTBAG_HEX_MAX])
{
    struct artbag_multihash *m = NULL;

    assert_int_equal(artbag_multihash_new(&m), ARTBAG_OK);
    assert_int_equal(artbag_multihash_reset(m, mask), ARTBAG_OK);
    assert_int_equal(artbag_multihash_update(m, buf, n), ARTBAG_OK);
    assert_int_equal(artbag_multihash_final(m, hex), ARTBAG_OK);
    artbag_multihash_free(m);
}

/* Files of many sizes (empty, tiny, odd, past the 4 MiB ring), written in pieces of varying
 * size, each with its own algorithms; every one must match the in-place digests. */
static void test_matches_in_place(void **state)
{
    static const size_t sizes[] = {0,       1,      7,        511,     4096,    65536,
                                   262143,  262145, 1048576,  4194303, 4194304, 4194305,
                                   9000001, 3,      12345678, 100,     0,       777777};
    enum { N = sizeof(sizes) / sizeof(sizes[0]) };
    struct result *got = calloc(N, sizeof(*got));
    struct artbag_hasher *h = NULL;
    unsigned char *buf = malloc(12345678);

    (void)state;
    assert_non_null(got);
    assert_non_null(buf);
    assert_int_equal(artbag_hasher_new(&h, record), ARTBAG_OK);
    for (size_t f = 0; f < N; f++) {
        unsigned mask = f % 3 == 0 ? ALL : (1u << ARTBAG_SHA256) | (f % 2 ? 1u : 0u);
        size_t off = 0, step = 1 + f * 9973;

        fill(buf, sizes[f], (uint32_t)f);
        artbag_hasher_begin(h, &got[f], mask);
        while (off < sizes[f]) {
            size_t k = sizes[f] - off < step ? sizes[f] - off : step;

            artbag_hasher_data(h, buf + off, k);
            off += k;
            step = step * 3 % 1000003 + 1;
        }
        artbag_hasher_end(h);
    }
    assert_int_equal(artbag_hasher_drain(h), ARTBAG_OK);
    for (size_t f = 0; f < N; f++) {
        char want[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];
        unsigned mask = got[f].mask;

        assert_int_equal(got[f].calls, 1);
        assert_int_equal(mask, f % 3 == 0 ? ALL : (1u << ARTBAG_SHA256) | (f % 2 ? 1u : 0u));
        fill(buf, sizes[f], (uint32_t)f);
        expect(buf, sizes[f], mask, want);
        for (int i = 0; i < ARTBAG_N_ALGS; i++)
            if (mask & (1u << i))
                assert_string_equal(got[f].hex[i], want[i]);
    }
    /* A second drain with nothing new returns at once, and the thread takes more work. */
    assert_int_equal(artbag_hasher_drain(h), ARTBAG_OK);
    artbag_hasher_begin(h, &got[0], 1u << ARTBAG_SHA256);
    artbag_hasher_data(h, "abc", 3);
    artbag_hasher_end(h);
    assert_int_equal(artbag_hasher_drain(h), ARTBAG_OK);
    assert_int_equal(got[0].calls, 2);
    assert_string_equal(got[0].hex[ARTBAG_SHA256],
                        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    artbag_hasher_free(h);
    free(buf);
    free(got);
}

/* Many small files, as in a collection: far more messages than the ring holds at once. */
static void test_many_small_files(void **state)
{
    enum { N = 50000 };
    struct result *got = calloc(N, sizeof(*got));
    struct artbag_hasher *h = NULL;
    unsigned char buf[300];

    (void)state;
    assert_non_null(got);
    assert_int_equal(artbag_hasher_new(&h, record), ARTBAG_OK);
    for (size_t f = 0; f < N; f++) {
        fill(buf, f % sizeof(buf), (uint32_t)f);
        artbag_hasher_begin(h, &got[f], 1u << ARTBAG_SHA256);
        artbag_hasher_data(h, buf, f % sizeof(buf));
        artbag_hasher_end(h);
    }
    assert_int_equal(artbag_hasher_drain(h), ARTBAG_OK);
    for (size_t f = 0; f < N; f += 997) {
        char want[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];

        fill(buf, f % sizeof(buf), (uint32_t)f);
        expect(buf, f % sizeof(buf), 1u << ARTBAG_SHA256, want);
        assert_int_equal(got[f].calls, 1);
        assert_string_equal(got[f].hex[ARTBAG_SHA256], want[ARTBAG_SHA256]);
    }
    artbag_hasher_free(h);
    free(got);
}

/* A callback's failure is reported by the drain, not lost. */
static void test_failure_reported(void **state)
{
    struct artbag_hasher *h = NULL;
    int target;

    (void)state;
    assert_int_equal(artbag_hasher_new(&h, refuse), ARTBAG_OK);
    artbag_hasher_begin(h, &target, 1u << ARTBAG_SHA256);
    artbag_hasher_data(h, "x", 1);
    artbag_hasher_end(h);
    assert_int_equal(artbag_hasher_drain(h), ARTBAG_EIO);
    artbag_hasher_free(h);
}

/* Freed with megabytes still unhashed (an error stopped the reader): no hang, no leak. */
static void test_free_abandons_work(void **state)
{
    struct result r = {0};
    struct artbag_hasher *h = NULL;
    unsigned char *buf = malloc(3 * 1024 * 1024);

    (void)state;
    assert_non_null(buf);
    memset(buf, 'a', 3 * 1024 * 1024);
    assert_int_equal(artbag_hasher_new(&h, record), ARTBAG_OK);
    for (int i = 0; i < 5; i++) {
        artbag_hasher_begin(h, &r, ALL);
        artbag_hasher_data(h, buf, 3 * 1024 * 1024);
    }
    artbag_hasher_free(h);
    artbag_hasher_free(NULL);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_in_place),
        cmocka_unit_test(test_many_small_files),
        cmocka_unit_test(test_failure_reported),
        cmocka_unit_test(test_free_abandons_work),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
