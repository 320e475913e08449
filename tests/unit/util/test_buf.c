/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_buf.c - the growing byte buffer and artbag_array_grow (util/buf.c), which every list in
 * the library grows through: capacity doubles from the first size, elements survive each move,
 * and a size that would overflow is refused with the array left as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

static void test_grow_doubles(void **state)
{
    size_t cap = 0, *v = NULL;

    (void)state;
    for (size_t n = 0; n < 1000; n++) {
        size_t was = cap, *g = artbag_array_grow(v, &cap, n, sizeof(*g), 16);

        assert_non_null(g);
        assert_true(n < cap);
        if (n < was)
            assert_ptr_equal(g, v); /* no move while there is room */
        assert_true(cap == 16 || cap == 2 * was || cap == was);
        v = g;
        v[n] = n * 7;
    }
    assert_int_equal(cap, 1024);
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(v[n], n * 7);
    free(v);
}

static void test_grow_first_zero(void **state)
{
    size_t cap = 0;
    char *v = artbag_array_grow(NULL, &cap, 0, 1, 0);

    (void)state;
    assert_non_null(v); /* a first size of 0 still makes room for one */
    assert_int_equal(cap, 1);
    free(v);
}

static void test_grow_overflow(void **state)
{
    size_t cap = 4, before;
    char *v = malloc(4 * 64), *g;

    (void)state;
    assert_non_null(v);
    memset(v, 'x', 4 * 64);
    before = cap;
    /* 8 elements of 2^61 bytes: the product wraps to 0, which realloc would happily "grow" to */
    g = artbag_array_grow(v, &cap, 4, (SIZE_MAX >> 3) + 1, 16);
    assert_null(g);
    assert_int_equal(cap, before);
    /* a count past SIZE_MAX / 2: doubling would wrap */
    cap = SIZE_MAX / 2 + 1;
    assert_null(artbag_array_grow(v, &cap, SIZE_MAX / 2 + 1, 1, 16));
    assert_int_equal(cap, SIZE_MAX / 2 + 1);
    assert_int_equal(v[4 * 64 - 1], 'x'); /* still the caller's, untouched */
    free(v);
}

static void test_buf(void **state)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    size_t len;
    char *s;

    (void)state;
    assert_int_equal(artbag_buf_append(&b, "", 0), ARTBAG_OK);
    assert_string_equal(b.data, ""); /* NUL-terminated even when empty */
    for (int i = 0; i < 300; i++)
        assert_int_equal(artbag_buf_printf(&b, "%d,", i % 10), ARTBAG_OK);
    assert_int_equal(b.len, 600);
    assert_int_equal(b.data[600], '\0');
    assert_memory_equal(b.data + 590, "5,6,7,8,9,", 10);
    s = artbag_buf_detach(&b, &len);
    assert_int_equal(len, 600);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
    artbag_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_doubles),
        cmocka_unit_test(test_grow_first_zero),
        cmocka_unit_test(test_grow_overflow),
        cmocka_unit_test(test_buf),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
