/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_utf8.c - the one UTF-8 validator (util/utf8.c): what RFC 3629 forbids is refused at the
 * offset of the sequence that starts it, whatever surrounds it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

struct bad_case {
    const char *what;
    const char *bytes;
};

static const struct bad_case bad[] = {
    {"lone continuation", "\x80"},       {"C0 overlong", "\xC0\xAF"},
    {"C1 overlong", "\xC1\xBF"},         {"E0 overlong", "\xE0\x80\xAF"},
    {"F0 overlong", "\xF0\x80\x80\xAF"}, {"surrogate D800", "\xED\xA0\x80"},
    {"surrogate DFFF", "\xED\xBF\xBF"},  {"past U+10FFFF", "\xF4\x90\x80\x80"},
    {"F5 lead", "\xF5\x80\x80\x80"},     {"FF", "\xFF"},
    {"truncated two", "\xC3"},           {"truncated three", "\xE2\x82"},
    {"truncated four", "\xF0\x9F\x98"},  {"bad second", "\xE2\x28\xA1"},
    {"bad third", "\xE2\x82\x28"},       {"bad fourth", "\xF0\x9F\x98\x28"},
};

static void test_valid(void **state)
{
    static const char *const good[] = {"",
                                       "plain ASCII",
                                       "caf\xC3\xA9",
                                       "\xE2\x82\xAC",
                                       "\xF0\x9F\x98\x80",
                                       "\xEF\xBF\xBF",
                                       "\xED\x9F\xBF",
                                       "\xEE\x80\x80",
                                       "\xF4\x8F\xBF\xBF",
                                       "\xC2\x80"};
    struct artbag_error err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        size_t n = strlen(good[i]);

        assert_int_equal(artbag_utf8_invalid_at((const unsigned char *)good[i], n), n);
        assert_int_equal(artbag_utf8_check((const unsigned char *)good[i], n, &err), ARTBAG_OK);
    }
    /* NUL is a character like any other */
    assert_int_equal(artbag_utf8_invalid_at((const unsigned char *)"a\0b", 3), 3);
}

static void test_invalid(void **state)
{
    struct artbag_error err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned char buf[64];
        size_t n = strlen(bad[i].bytes), len;

        /* alone, then after "ab" and before "cd": the offset is where the sequence starts */
        if (artbag_utf8_invalid_at((const unsigned char *)bad[i].bytes, n) != 0)
            fail_msg("%s: not refused at 0", bad[i].what);
        memcpy(buf, "ab", 2);
        memcpy(buf + 2, bad[i].bytes, n);
        memcpy(buf + 2 + n, "cd", 2);
        len = n + 4;
        if (artbag_utf8_invalid_at(buf, len) != 2)
            fail_msg("%s: not refused at 2", bad[i].what);
        assert_int_equal(artbag_utf8_check(buf, len, &err), ARTBAG_EREJECT);
        assert_string_equal(err.msg, "invalid UTF-8 at byte offset 2");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
