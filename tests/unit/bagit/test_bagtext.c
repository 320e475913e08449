/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_bagtext.c - unit tests for the RFC 8493 tag-file formats in src/lib/bagtext.c, comparing
 * exact bytes because other BagIt tools and sha256sum read what these functions write. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bagit/bagit.h"

/* Encodes path into a fresh buffer and checks the result byte for byte. */
static void check_encode(const char *path, const char *want)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;

    assert_int_equal(artbag_path_encode(&b, path), ARTBAG_OK);
    assert_non_null(b.data);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(b.data[b.len], '\0');
    artbag_buf_release(&b);
}

static void test_encode_percent(void **state)
{
    (void)state;
    check_encode("data/100%.md", "data/100%25.md");
    /* An already-encoded sequence must be encoded again, or decoding would not round-trip. */
    check_encode("data/%0A", "data/%250A");
}

static void test_encode_cr(void **state)
{
    (void)state;
    check_encode("data/a\rb", "data/a%0Db");
}

static void test_encode_lf(void **state)
{
    (void)state;
    check_encode("data/a\nb", "data/a%0Ab");
}

static void test_encode_plain_path_unchanged(void **state)
{
    (void)state;
    /* Spaces, tabs, '#', '+' and the like are not in RFC 8493's list and must pass through. */
    check_encode("data/article.md", "data/article.md");
    check_encode("data/a b\t#+?&=.md", "data/a b\t#+?&=.md");
    check_encode("", "");
}

static void test_encode_all_three_and_utf8(void **state)
{
    (void)state;
    /* "Zürich 北京" stays as its UTF-8 bytes; only %, CR and LF change, wherever they are. */
    check_encode("%data/Z\xc3\xbcrich\r\n\xe5\x8c\x97\xe4\xba\xac%",
                 "%25data/Z\xc3\xbcrich%0D%0A\xe5\x8c\x97\xe4\xba\xac%25");
}

static void test_encode_appends(void **state)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;

    (void)state;
    assert_int_equal(artbag_buf_puts(&b, "x "), ARTBAG_OK);
    assert_int_equal(artbag_path_encode(&b, "a%"), ARTBAG_OK);
    assert_string_equal(b.data, "x a%25");
    artbag_buf_release(&b);
}

static void test_manifest_line_bytes(void **state)
{
    static const char hex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static const char want[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                               "  data/article.md\n"
                               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
                               "  data/50%25\n";
    struct artbag_buf b = ARTBAG_BUF_INIT;

    (void)state;
    assert_int_equal(artbag_manifest_add(&b, hex, "data/article.md"), ARTBAG_OK);
    assert_int_equal(artbag_manifest_add(&b, hex, "data/50%"), ARTBAG_OK);
    assert_int_equal(b.len, sizeof(want) - 1);
    assert_memory_equal(b.data, want, b.len);
    artbag_buf_release(&b);
}

static void test_bagit_txt_bytes(void **state)
{
    static const char want[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    struct artbag_buf b = ARTBAG_BUF_INIT;

    (void)state;
    assert_int_equal(artbag_bagit_txt(&b), ARTBAG_OK);
    assert_int_equal(b.len, sizeof(want) - 1);
    assert_memory_equal(b.data, want, b.len);
    artbag_buf_release(&b);
}

static void test_baginfo_add_accepted(void **state)
{
    static const char want[] =
        "Source-Organization: Example News\n"
        "External-Description: Caf\xc3\xa9 \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu\n"
        "Contact Name: \n"
        "Note: a: b\tc\n";
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};

    (void)state;
    assert_int_equal(artbag_baginfo_add(&b, "Source-Organization", "Example News", &err),
                     ARTBAG_OK);
    /* UTF-8 in a value is fine: bagit.txt declares the tag files UTF-8. */
    assert_int_equal(artbag_baginfo_add(&b, "External-Description",
                                        "Caf\xc3\xa9 \xe2\x80\x94 d\xc3\xa9j\xc3\xa0 vu", &err),
                     ARTBAG_OK);
    /* Inner white space in a label and an empty value are both allowed by RFC 8493. */
    assert_int_equal(artbag_baginfo_add(&b, "Contact Name", "", &err), ARTBAG_OK);
    /* A colon or a tab inside a value is text, not structure. */
    assert_int_equal(artbag_baginfo_add(&b, "Note", "a: b\tc", &err), ARTBAG_OK);
    assert_int_equal(b.len, sizeof(want) - 1);
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(err.status, ARTBAG_OK);
    artbag_buf_release(&b);
}

static void test_baginfo_check_accepted(void **state)
{
    (void)state;
    assert_int_equal(artbag_baginfo_check("Bagging-Date", "2026-01-02", NULL), ARTBAG_OK);
    assert_int_equal(artbag_baginfo_check("Titel-\xc3\x9c", "x", NULL), ARTBAG_OK);
}

/*
 * Checks that label/value is refused with ARTBAG_EUSAGE and msg, both by the check and by add,
 * and that add leaves the buffer untouched.
 */
static void check_rejected(const char *label, const char *value, const char *msg)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};

    assert_int_equal(artbag_baginfo_check(label, value, &err), ARTBAG_EUSAGE);
    assert_int_equal(err.status, ARTBAG_EUSAGE);
    assert_string_equal(err.msg, msg);

    memset(&err, 0, sizeof(err));
    assert_int_equal(artbag_buf_puts(&b, "Keep: me\n"), ARTBAG_OK);
    assert_int_equal(artbag_baginfo_add(&b, label, value, &err), ARTBAG_EUSAGE);
    assert_int_equal(err.status, ARTBAG_EUSAGE);
    assert_string_equal(err.msg, msg);
    assert_string_equal(b.data, "Keep: me\n");
    artbag_buf_release(&b);

    /* Without an error struct the status must still come back. */
    assert_int_equal(artbag_baginfo_check(label, value, NULL), ARTBAG_EUSAGE);
}

static void test_baginfo_rejects_empty_label(void **state)
{
    (void)state;
    check_rejected("", "x", "bag-info label is empty");
    check_rejected(NULL, "x", "bag-info label is empty");
}

static void test_baginfo_rejects_colon(void **state)
{
    (void)state;
    check_rejected("Foo:Bar", "x", "bag-info label 'Foo:Bar' contains ':'");
    check_rejected("Foo:", "x", "bag-info label 'Foo:' contains ':'");
}

static void test_baginfo_rejects_control(void **state)
{
    (void)state;
    /* The message shows the control character escaped so that it stays on one line. */
    check_rejected("Foo\nBar", "x", "bag-info label 'Foo\\x0ABar' contains a control character");
    check_rejected("Foo\rBar", "x", "bag-info label 'Foo\\x0DBar' contains a control character");
    check_rejected("Foo\tBar", "x", "bag-info label 'Foo\\x09Bar' contains a control character");
    check_rejected("Foo\x7f", "x", "bag-info label 'Foo\\x7F' contains a control character");
    check_rejected("\x01", "x", "bag-info label '\\x01' contains a control character");
}

static void test_baginfo_rejects_edge_space(void **state)
{
    (void)state;
    check_rejected(" Title", "x", "bag-info label ' Title' starts or ends with white space");
    check_rejected("Title ", "x", "bag-info label 'Title ' starts or ends with white space");
    check_rejected(" ", "x", "bag-info label ' ' starts or ends with white space");
    /* A leading tab is refused too, as a control character. */
    check_rejected("\tTitle", "x", "bag-info label '\\x09Title' contains a control character");
}

static void test_baginfo_rejects_line_break_in_value(void **state)
{
    (void)state;
    check_rejected("Title", "one\ntwo", "bag-info value for 'Title' contains a line break");
    check_rejected("Title", "one\rtwo", "bag-info value for 'Title' contains a line break");
    check_rejected("Title", "trailing\n", "bag-info value for 'Title' contains a line break");
    check_rejected("Title", NULL, "bag-info value for 'Title' is missing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_percent),
        cmocka_unit_test(test_encode_cr),
        cmocka_unit_test(test_encode_lf),
        cmocka_unit_test(test_encode_plain_path_unchanged),
        cmocka_unit_test(test_encode_all_three_and_utf8),
        cmocka_unit_test(test_encode_appends),
        cmocka_unit_test(test_manifest_line_bytes),
        cmocka_unit_test(test_bagit_txt_bytes),
        cmocka_unit_test(test_baginfo_add_accepted),
        cmocka_unit_test(test_baginfo_check_accepted),
        cmocka_unit_test(test_baginfo_rejects_empty_label),
        cmocka_unit_test(test_baginfo_rejects_colon),
        cmocka_unit_test(test_baginfo_rejects_control),
        cmocka_unit_test(test_baginfo_rejects_edge_space),
        cmocka_unit_test(test_baginfo_rejects_line_break_in_value),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
