/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_bagparse.c - unit tests for the RFC 8493 tag-file readers in src/lib/bagparse.c: what
 * well-formed bags of every flavour parse to, and that each rule violation is reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bagit/bagit.h"

/* A string literal as (pointer, length), so literals may hold NUL bytes. */
#define LIT(s) s, sizeof(s) - 1

#define D32  "0123456789abcdef0123456789abcdef"
#define D40  D32 "01234567"
#define D64  D32 D32
#define D128 D64 D64

static struct artbag_report *report(void)
{
    struct artbag_report *r = artbag_report_new("test.tar.gz");

    assert_non_null(r);
    return r;
}

/* Asserts that r holds exactly one finding, of this severity and kind, mentioning substr. */
static void check_one(const struct artbag_report *r, int severity, const char *kind,
                      const char *path, const char *substr)
{
    const struct artbag_problem *p;

    assert_int_equal(r->n_problems, 1);
    p = &r->problems[0];
    assert_int_equal(p->severity, severity);
    assert_string_equal(p->kind, kind);
    if (path)
        assert_string_equal(p->path, path);
    if (!strstr(p->message, substr))
        fail_msg("message '%s' does not contain '%s'", p->message, substr);
    /* A warning leaves the bag valid; a problem makes it invalid. */
    assert_int_equal(r->valid, severity == ARTBAG_WARNING);
    assert_int_equal(r->n_warnings, severity == ARTBAG_WARNING);
}

static void check_clean(const struct artbag_report *r)
{
    if (r->n_problems)
        fail_msg("unexpected finding: %s", r->problems[0].message);
    assert_int_equal(r->valid, 1);
}

/* ---- algorithms and manifest names ------------------------------------------------------ */

static void test_alg_names(void **state)
{
    static const char *names[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
    static const size_t hex[] = {32, 40, 56, 64, 96, 128};

    (void)state;
    for (int i = 0; i < ARTBAG_N_ALGS; i++) {
        assert_int_equal(artbag_alg_from_name(names[i]), i);
        assert_string_equal(artbag_alg_name(i), names[i]);
        assert_int_equal(artbag_alg_hex_len(i), hex[i]);
    }
    assert_int_equal(artbag_alg_from_name("SHA256"), -1);
    assert_int_equal(artbag_alg_from_name("sha-256"), -1);
    assert_int_equal(artbag_alg_from_name(""), -1);
    assert_int_equal(artbag_alg_from_name(NULL), -1);
    assert_null(artbag_alg_name(-1));
    assert_null(artbag_alg_name(ARTBAG_N_ALGS));
    assert_int_equal(artbag_alg_hex_len(-1), 0);
    assert_int_equal(artbag_alg_hex_len(ARTBAG_N_ALGS), 0);
}

static void test_manifest_name(void **state)
{
    int alg = 99, tag = 99;

    (void)state;
    assert_int_equal(artbag_manifest_name("manifest-sha256.txt", &alg, &tag), 1);
    assert_int_equal(alg, ARTBAG_SHA256);
    assert_int_equal(tag, 0);
    assert_int_equal(artbag_manifest_name("tagmanifest-md5.txt", &alg, &tag), 1);
    assert_int_equal(alg, ARTBAG_MD5);
    assert_int_equal(tag, 1);
    assert_int_equal(artbag_manifest_name("manifest-sha3-256.txt", &alg, &tag), 2);
    assert_int_equal(alg, -1);
    assert_int_equal(tag, 0);
    assert_int_equal(artbag_manifest_name("tagmanifest-SHA512.txt", &alg, &tag), 2);
    assert_int_equal(alg, -1);
    assert_int_equal(tag, 1);
    assert_int_equal(
        artbag_manifest_name("manifest-averyveryverylongalgorithmname.txt", &alg, &tag), 2);
    assert_int_equal(artbag_manifest_name("manifest-.txt", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("manifest-md5.txt.bak", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("manifest-md5", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("manifest-a/md5.txt", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("data/manifest-md5.txt", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("bagit.txt", &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name(NULL, &alg, &tag), 0);
    assert_int_equal(artbag_manifest_name("manifest-sha1.txt", NULL, NULL), 1);
}

/* ---- bagit.txt -------------------------------------------------------------------------- */

static void check_bagit_ok(const char *buf, size_t len, int major, int minor, const char *enc)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    assert_int_equal(artbag_bagit_txt_parse(buf, len, &d, r), ARTBAG_OK);
    check_clean(r);
    assert_int_equal(d.major, major);
    assert_int_equal(d.minor, minor);
    assert_string_equal(d.encoding, enc);
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_valid(void **state)
{
    (void)state;
    check_bagit_ok(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"), 1, 0, "UTF-8");
    check_bagit_ok(LIT("BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n"), 1, 0,
                   "UTF-8");
    check_bagit_ok(LIT("BagIt-Version: 1.0\rTag-File-Character-Encoding: ISO-8859-1\r"), 1, 0,
                   "ISO-8859-1");
    /* BagIt 0.97 bags declare themselves the same way. */
    check_bagit_ok(LIT("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"), 0, 97,
                   "UTF-8");
}

/* Parses bagit.txt expecting status rc and exactly one finding. */
static void check_bagit_bad(const char *buf, size_t len, int rc, int severity, const char *substr)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    assert_int_equal(artbag_bagit_txt_parse(buf, len, &d, r), rc);
    check_one(r, severity, "bagit-txt", "bagit.txt", substr);
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_no_final_newline(void **state)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    (void)state;
    assert_int_equal(artbag_bagit_txt_parse(LIT("BagIt-Version: 1.0\n"
                                                "Tag-File-Character-Encoding: UTF-8"),
                                            &d, r),
                     ARTBAG_OK);
    check_one(r, ARTBAG_WARNING, "bagit-txt", "bagit.txt", "line 2: no line ending");
    assert_string_equal(d.encoding, "UTF-8");
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_bom(void **state)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    (void)state;
    assert_int_equal(artbag_bagit_txt_parse(LIT("\xef\xbb\xbf"
                                                "BagIt-Version: 1.0\n"
                                                "Tag-File-Character-Encoding: UTF-8\n"),
                                            &d, r),
                     ARTBAG_OK);
    check_one(r, ARTBAG_PROBLEM, "bagit-txt", "bagit.txt", "byte-order mark");
    /* The declaration is still understood, so the verifier can go on and say more. */
    assert_int_equal(d.major, 1);
    assert_string_equal(d.encoding, "UTF-8");
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_wrong_order(void **state)
{
    (void)state;
    check_bagit_bad(LIT("Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "'BagIt-Version' must come before");
}

static void test_bagit_two_spaces(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version:  1.0\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 1: expected exactly one space after the colon");
}

static void test_bagit_tab_after_colon(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding:\tUTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 2: expected exactly one space after the colon");
}

static void test_bagit_no_space(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version:1.0\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 1: expected exactly one space after the colon");
}

static void test_bagit_label_case(void **state)
{
    (void)state;
    check_bagit_bad(LIT("bagit-version: 1.0\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "label 'bagit-version' should be 'BagIt-Version'");
}

static void test_bagit_space_before_colon(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 1: white space before the colon");
}

static void test_bagit_space_before_label(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\n Tag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 2: white space before the label");
}

static void test_bagit_trailing_space(void **state)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    (void)state;
    assert_int_equal(artbag_bagit_txt_parse(
                         LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8 \n"), &d, r),
                     ARTBAG_OK);
    check_one(r, ARTBAG_PROBLEM, "bagit-txt", "bagit.txt", "line 2: trailing white space");
    assert_string_equal(d.encoding, "UTF-8");
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_extra_line(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nColour: red\n"),
                    ARTBAG_OK, ARTBAG_PROBLEM, "line 3: unexpected line 'Colour: red'");
}

static void test_bagit_empty_line(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\n\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 2: empty line");
    check_bagit_bad(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 3: empty line");
}

static void test_bagit_twice(void **state)
{
    (void)state;
    check_bagit_bad(
        LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nBagIt-Version: 0.97\n"),
        ARTBAG_OK, ARTBAG_PROBLEM, "line 3: 'BagIt-Version' given twice");
}

static void test_bagit_bad_version(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_EREJECT,
                    ARTBAG_PROBLEM, "line 1: version '1' is not of the form M.N");
    check_bagit_bad(LIT("BagIt-Version: 1.x\nTag-File-Character-Encoding: UTF-8\n"), ARTBAG_EREJECT,
                    ARTBAG_PROBLEM, "version '1.x'");
    check_bagit_bad(LIT("BagIt-Version: 12345678901.0\nTag-File-Character-Encoding: UTF-8\n"),
                    ARTBAG_EREJECT, ARTBAG_PROBLEM, "is not of the form M.N");
}

static void test_bagit_missing_encoding(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\n"), ARTBAG_EREJECT, ARTBAG_PROBLEM,
                    "no 'Tag-File-Character-Encoding' line");
}

static void test_bagit_empty_encoding(void **state)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    (void)state;
    assert_int_equal(
        artbag_bagit_txt_parse(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding:\n"), &d, r),
        ARTBAG_EREJECT);
    assert_int_equal(r->n_problems, 2);
    assert_non_null(strstr(r->problems[1].message, "line 2: empty encoding"));
    assert_null(d.encoding);
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

static void test_bagit_empty_file(void **state)
{
    (void)state;
    check_bagit_bad(LIT(""), ARTBAG_EREJECT, ARTBAG_PROBLEM, "empty file");
}

static void test_bagit_nul(void **state)
{
    (void)state;
    check_bagit_bad(LIT("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n\0\n"), ARTBAG_OK,
                    ARTBAG_PROBLEM, "line 3: contains a NUL byte");
}

static void test_bagit_utf16_is_rejected(void **state)
{
    struct artbag_report *r = report();
    struct artbag_bagit_decl d;

    (void)state;
    /* bagit.txt is always UTF-8; a UTF-16 one cannot be read at all. */
    assert_int_equal(artbag_bagit_txt_parse(LIT("\xff\xfe"
                                                "B\0a\0g\0I\0t\0\n\0"),
                                            &d, r),
                     ARTBAG_EREJECT);
    assert_int_equal(r->valid, 0);
    assert_true(r->n_problems >= 1);
    artbag_bagit_decl_release(&d);
    artbag_report_free(r);
}

/* ---- tag-file encodings ----------------------------------------------------------------- */

static void check_decode(const char *buf, size_t len, const char *enc, const char *want,
                         size_t want_len)
{
    struct artbag_report *r = report();
    struct artbag_buf out = ARTBAG_BUF_INIT;

    assert_int_equal(artbag_tagfile_decode(buf, len, enc, "bag-info.txt", &out, r), ARTBAG_OK);
    check_clean(r);
    assert_int_equal(out.len, want_len);
    assert_memory_equal(out.data, want, want_len);
    artbag_buf_release(&out);
    artbag_report_free(r);
}

static void test_decode_utf8(void **state)
{
    (void)state;
    check_decode(LIT("Title: caf\xc3\xa9\n"), "UTF-8", LIT("Title: caf\xc3\xa9\n"));
    check_decode(LIT("Title: caf\xc3\xa9\n"), "utf-8", LIT("Title: caf\xc3\xa9\n"));
    /* A BOM is dropped, in any encoding. */
    check_decode(LIT("\xef\xbb\xbfTitle: x\n"), "UTF-8", LIT("Title: x\n"));
    check_decode(LIT(""), "UTF-8", LIT(""));
}

static void test_decode_latin1(void **state)
{
    (void)state;
    check_decode(LIT("Title: caf\xe9\n"), "ISO-8859-1", LIT("Title: caf\xc3\xa9\n"));
    check_decode(LIT("Title: caf\xe9\n"), "Latin-1", LIT("Title: caf\xc3\xa9\n"));
    check_decode(LIT("Title: caf\xe9\n"), "latin1", LIT("Title: caf\xc3\xa9\n"));
}

static void test_decode_utf16_bom(void **state)
{
    (void)state;
    /* "é\n" as UTF-16 with each byte-order mark; iconv's "UTF-16" reads the mark. */
    check_decode(LIT("\xff\xfe\xe9\x00\n\x00"), "UTF-16", LIT("\xc3\xa9\n"));
    check_decode(LIT("\xfe\xff\x00\xe9\x00\n"), "UTF-16", LIT("\xc3\xa9\n"));
    /* With the byte order named, the mark decodes as U+FEFF, which is dropped. */
    check_decode(LIT("\xff\xfe\xe9\x00\n\x00"), "UTF-16LE", LIT("\xc3\xa9\n"));
    check_decode(LIT("\xfe\xff\x00\xe9\x00\n"), "UTF-16BE", LIT("\xc3\xa9\n"));
}

static void test_decode_appends(void **state)
{
    struct artbag_report *r = report();
    struct artbag_buf out = ARTBAG_BUF_INIT;

    (void)state;
    assert_int_equal(artbag_buf_puts(&out, "old"), ARTBAG_OK);
    assert_int_equal(artbag_tagfile_decode(LIT("\xe9"), "ISO-8859-1", "x", &out, r), ARTBAG_OK);
    assert_string_equal(out.data, "old\xc3\xa9");
    artbag_buf_release(&out);
    artbag_report_free(r);
}

/* Decodes expecting a rejection that leaves out as it was. */
static void check_decode_bad(const char *buf, size_t len, const char *enc, const char *substr)
{
    struct artbag_report *r = report();
    struct artbag_buf out = ARTBAG_BUF_INIT;

    assert_int_equal(artbag_buf_puts(&out, "kept"), ARTBAG_OK);
    assert_int_equal(artbag_tagfile_decode(buf, len, enc, "bag-info.txt", &out, r), ARTBAG_EREJECT);
    check_one(r, ARTBAG_PROBLEM, "encoding", "bag-info.txt", substr);
    assert_string_equal(out.data, "kept");
    artbag_buf_release(&out);
    artbag_report_free(r);
}

static void test_decode_unknown_encoding(void **state)
{
    (void)state;
    check_decode_bad(LIT("x"), "KLINGON-8", "unknown encoding 'KLINGON-8'");
    /* iconv would read these as "the locale's" and "skip what fails". */
    check_decode_bad(LIT("x"), "", "unknown encoding ''");
    check_decode_bad(LIT("x"), "UTF-8//IGNORE", "unknown encoding 'UTF-8//IGNORE'");
    check_decode_bad(LIT("x"), NULL, "unknown encoding");
}

static void test_decode_invalid_utf8(void **state)
{
    (void)state;
    check_decode_bad(LIT("abc\xff"), "UTF-8", "invalid UTF-8 at byte offset 3");
    check_decode_bad(LIT("a\xc0\xaf"), "UTF-8", "invalid UTF-8 at byte offset 1");
    check_decode_bad(LIT("ab\xed\xa0\x80"), "UTF-8", "invalid UTF-8 at byte offset 2");
    /* glibc's iconv lets this one (past U+10FFFF) through, so it is checked by hand. */
    check_decode_bad(LIT("\xf4\x90\x80\x80"), "UTF-8", "invalid UTF-8 at byte offset 0");
    check_decode_bad(LIT("ok\xe2\x82"), "UTF-8", "invalid UTF-8 at byte offset 2");
}

static void test_decode_invalid_utf16(void **state)
{
    (void)state;
    check_decode_bad(LIT("A\x00\x00\xd8"
                         "A\x00"),
                     "UTF-16LE", "invalid byte sequence for encoding 'UTF-16LE' at byte offset 2");
    check_decode_bad(LIT("A\x00"
                         "B"),
                     "UTF-16LE",
                     "incomplete byte sequence for encoding 'UTF-16LE' at byte offset 2");
}

static void test_decode_not_unicode(void **state)
{
    (void)state;
    check_decode_bad(LIT("\x00\x00\x00\x41\x00\x11\x00\x00"), "UCS-4",
                     "not Unicode at byte offset 1");
}

/* ---- bag-info.txt ----------------------------------------------------------------------- */

static void test_baginfo_valid(void **state)
{
    struct artbag_report *r = report();
    struct artbag_baginfo b;

    (void)state;
    assert_int_equal(artbag_baginfo_parse(LIT("Source-Organization: AFP\n"
                                              "External-Description: one\n"
                                              "\ttwo\n"
                                              "    three  \n"
                                              "Payload-Oxum: 279.2\n"
                                              "Contact-Email: a@b.example\n"
                                              "Contact-Email: c@d.example\n"
                                              "Note: a: b: c\n"
                                              "Empty:\n"),
                                          &b, r),
                     ARTBAG_OK);
    check_clean(r);
    assert_int_equal(b.n, 7);
    assert_string_equal(b.elems[0].label, "Source-Organization");
    assert_string_equal(b.elems[0].value, "AFP");
    assert_string_equal(b.elems[1].value, "one two three");
    assert_string_equal(b.elems[2].label, "Payload-Oxum");
    assert_string_equal(b.elems[5].value, "a: b: c");
    assert_string_equal(b.elems[6].label, "Empty");
    assert_string_equal(b.elems[6].value, "");
    assert_string_equal(artbag_baginfo_get(&b, "payload-oxum"), "279.2");
    assert_string_equal(artbag_baginfo_get(&b, "CONTACT-EMAIL"), "a@b.example");
    assert_null(artbag_baginfo_get(&b, "Bagging-Date"));
    assert_null(artbag_baginfo_get(NULL, "x"));
    artbag_baginfo_release(&b);
    artbag_report_free(r);
}

static void test_baginfo_line_endings(void **state)
{
    static const struct {
        const char *buf;
        size_t len;
    } cases[] = {
        {LIT("A: 1\r\nB: 2\r\n  more\r\n")},
        {LIT("A: 1\rB: 2\r  more\r")},
        {LIT("A: 1\nB: 2\r\n  more\r")},
        {LIT("A: 1\nB: 2\n\tmore")},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct artbag_report *r = report();
        struct artbag_baginfo b;

        assert_int_equal(artbag_baginfo_parse(cases[i].buf, cases[i].len, &b, r), ARTBAG_OK);
        check_clean(r);
        assert_int_equal(b.n, 2);
        assert_string_equal(b.elems[0].value, "1");
        assert_string_equal(b.elems[1].value, "2 more");
        artbag_baginfo_release(&b);
        artbag_report_free(r);
    }
}

static void test_baginfo_097_spacing(void **state)
{
    struct artbag_report *r = report();
    struct artbag_baginfo b;

    (void)state;
    /* Before 1.0, white space around the colon was allowed and is not part of label or value. */
    assert_int_equal(artbag_baginfo_parse(LIT("Bag-Size  :\t 4 KB\nX:y\n"), &b, r), ARTBAG_OK);
    check_clean(r);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.elems[0].label, "Bag-Size");
    assert_string_equal(b.elems[0].value, "4 KB");
    assert_string_equal(b.elems[1].label, "X");
    assert_string_equal(b.elems[1].value, "y");
    /* The form is recorded, for the checker to judge by the bag's version. */
    assert_int_equal(b.elems[0].form, ARTBAG_BAGINFO_WS_BEFORE_COLON);
    assert_int_equal(b.elems[0].line, 1);
    assert_int_equal(b.elems[1].form, ARTBAG_BAGINFO_NO_WS_AFTER);
    assert_int_equal(b.elems[1].line, 2);
    artbag_baginfo_release(&b);
    artbag_report_free(r);
    r = report();
    assert_int_equal(artbag_baginfo_parse(LIT("A: b\n  c\nD:\tx\nE:\n"), &b, r), ARTBAG_OK);
    assert_int_equal(b.n, 3);
    assert_int_equal(b.elems[0].form, 0);
    assert_int_equal(b.elems[1].form, 0);
    assert_int_equal(b.elems[1].line, 3);
    assert_int_equal(b.elems[2].form, 0); /* an empty value needs no space */
    artbag_baginfo_release(&b);
    artbag_report_free(r);
}

static void test_baginfo_latin1_file(void **state)
{
    struct artbag_report *r = report();
    struct artbag_buf utf8 = ARTBAG_BUF_INIT;
    struct artbag_baginfo b;

    (void)state;
    assert_int_equal(artbag_tagfile_decode(LIT("Title: Caf\xe9 de Flore\r\n"
                                               "Source-Organization: Le Monde\r\n"),
                                           "ISO-8859-1", "bag-info.txt", &utf8, r),
                     ARTBAG_OK);
    assert_int_equal(artbag_baginfo_parse(utf8.data, utf8.len, &b, r), ARTBAG_OK);
    check_clean(r);
    assert_string_equal(artbag_baginfo_get(&b, "Title"), "Caf\xc3\xa9 de Flore");
    artbag_baginfo_release(&b);
    artbag_buf_release(&utf8);
    artbag_report_free(r);
}

static void test_baginfo_utf16_file(void **state)
{
    struct artbag_report *r = report();
    struct artbag_buf utf8 = ARTBAG_BUF_INIT;
    struct artbag_baginfo b;

    (void)state;
    /* "T: é\n" in UTF-16LE with its byte-order mark. */
    assert_int_equal(artbag_tagfile_decode(LIT("\xff\xfeT\x00:\x00 \x00\xe9\x00\n\x00"), "UTF-16",
                                           "bag-info.txt", &utf8, r),
                     ARTBAG_OK);
    assert_int_equal(artbag_baginfo_parse(utf8.data, utf8.len, &b, r), ARTBAG_OK);
    check_clean(r);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.elems[0].label, "T");
    assert_string_equal(b.elems[0].value, "\xc3\xa9");
    artbag_baginfo_release(&b);
    artbag_buf_release(&utf8);
    artbag_report_free(r);
}

/* Parses bag-info expecting one finding and n_elems elements. */
static void check_baginfo_bad(const char *buf, size_t len, int severity, const char *substr,
                              size_t n_elems)
{
    struct artbag_report *r = report();
    struct artbag_baginfo b;

    assert_int_equal(artbag_baginfo_parse(buf, len, &b, r), ARTBAG_OK);
    check_one(r, severity, "bag-info", "bag-info.txt", substr);
    assert_int_equal(b.n, n_elems);
    artbag_baginfo_release(&b);
    artbag_report_free(r);
}

static void test_baginfo_no_colon(void **state)
{
    (void)state;
    check_baginfo_bad(LIT("A: 1\nno colon here\n  and its continuation\nB: 2\n"), ARTBAG_PROBLEM,
                      "line 2: 'no colon here' is not of the form 'Label: value'", 2);
}

static void test_baginfo_empty_label(void **state)
{
    (void)state;
    check_baginfo_bad(LIT("A: 1\n: orphan\n"), ARTBAG_PROBLEM, "line 2: empty label", 1);
}

static void test_baginfo_leading_continuation(void **state)
{
    (void)state;
    check_baginfo_bad(LIT("  stray\nA: 1\n"), ARTBAG_PROBLEM,
                      "line 1: continuation line with no element before it", 1);
}

static void test_baginfo_empty_line(void **state)
{
    (void)state;
    check_baginfo_bad(LIT("A: 1\n\nB: 2\n"), ARTBAG_WARNING, "line 2: empty line", 2);
    check_baginfo_bad(LIT("A: 1\n \t\nB: 2\n"), ARTBAG_WARNING, "line 2: empty line", 2);
}

static void test_baginfo_nul(void **state)
{
    (void)state;
    check_baginfo_bad(LIT("A: 1\nB: x\0y\n"), ARTBAG_PROBLEM, "line 2: contains a NUL byte", 1);
}

static void test_oxum(void **state)
{
    static const char *bad[] = {"",
                                "1",
                                ".1",
                                "1.",
                                "1.2.3",
                                "+1.2",
                                "-1.2",
                                " 1.2",
                                "1.2 ",
                                "1 .2",
                                "0x1.2",
                                "a.b",
                                "1,2",
                                "18446744073709551616.1",
                                "1.18446744073709551616"};
    uint64_t bytes = 7, files = 7;

    (void)state;
    assert_int_equal(artbag_oxum_parse("279.2", &bytes, &files), 0);
    assert_int_equal(bytes, 279);
    assert_int_equal(files, 2);
    assert_int_equal(artbag_oxum_parse("18446744073709551615.0", &bytes, &files), 0);
    assert_true(bytes == UINT64_MAX);
    assert_int_equal(files, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bytes = files = 7;
        if (artbag_oxum_parse(bad[i], &bytes, &files) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(bytes, 7);
    }
    assert_int_equal(artbag_oxum_parse(NULL, &bytes, &files), -1);
}

/* ---- path decoding ---------------------------------------------------------------------- */

static void check_path_decode(const char *enc, const char *want)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;

    assert_int_equal(artbag_path_decode(enc, strlen(enc), &b), ARTBAG_OK);
    assert_non_null(b.data);
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    artbag_buf_release(&b);
}

static void test_path_decode(void **state)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;

    (void)state;
    check_path_decode("data/100%25.md", "data/100%.md");
    check_path_decode("data/a%0Ab%0ac", "data/a\nb\nc");
    check_path_decode("data/a%0Db%0dc", "data/a\rb\rc");
    /* Only those three: %20, %2F and the like are names, not escapes. */
    check_path_decode("data/a%20b%2Fc%41", "data/a%20b%2Fc%41");
    check_path_decode("data/%2525", "data/%25");
    check_path_decode("%", "%");
    check_path_decode("a%2", "a%2");
    check_path_decode("a%0", "a%0");
    check_path_decode("%25", "%");
    check_path_decode("", "");
    /* It appends, and honours the length rather than a NUL. */
    assert_int_equal(artbag_buf_puts(&b, "x/"), ARTBAG_OK);
    assert_int_equal(artbag_path_decode("a%25b%25", 7, &b), ARTBAG_OK);
    assert_string_equal(b.data, "x/a%b%2");
    artbag_buf_release(&b);
}

/* ---- manifests -------------------------------------------------------------------------- */

static struct artbag_report *parse_manifest(const char *buf, size_t len, const char *name, int alg,
                                            int is_tag, struct artbag_manifest *m)
{
    struct artbag_report *r = report();

    assert_int_equal(artbag_manifest_parse(buf, len, name, alg, is_tag, 1, m, r), ARTBAG_OK);
    assert_int_equal(m->alg, alg);
    assert_int_equal(m->is_tag, is_tag);
    return r;
}

static void test_manifest_sha256(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(LIT(D64 "  data/article.md\n" D64 " data/metadata.json\n"),
                       "manifest-sha256.txt", ARTBAG_SHA256, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 2);
    assert_string_equal(m.entries[0].path, "data/article.md");
    assert_string_equal(m.entries[0].digest, D64);
    assert_string_equal(m.entries[1].path, "data/metadata.json");
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

/* BagIt 0.97 did not percent-encode: "%25" there is three characters of a file name. */
static void test_manifest_097_paths_are_literal(void **state)
{
    static const char text[] = "d41d8cd98f00b204e9800998ecf8427e  data/100%25 sure.txt\n";
    struct artbag_manifest m;
    struct artbag_report *r = report();

    (void)state;
    assert_int_equal(artbag_manifest_parse(LIT(text), "manifest-md5.txt", ARTBAG_MD5, 0, 0, &m, r),
                     ARTBAG_OK);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.entries[0].path, "data/100%25 sure.txt");
    artbag_manifest_release(&m);
    assert_int_equal(artbag_manifest_parse(LIT(text), "manifest-md5.txt", ARTBAG_MD5, 0, 1, &m, r),
                     ARTBAG_OK);
    assert_string_equal(m.entries[0].path, "data/100% sure.txt");
    assert_true(r->valid);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_upper_hex(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(LIT("0123456789ABCDEF0123456789abcdef0123456789AbCdEf0123456789aBcDeF"
                           " data/a\n"),
                       "manifest-sha256.txt", ARTBAG_SHA256, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.entries[0].digest, D64);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_line_endings(void **state)
{
    static const struct {
        const char *buf;
        size_t len;
    } cases[] = {
        {LIT(D32 " data/a\r\n" D32 " data/b\r\n")},
        {LIT(D32 " data/a\r" D32 " data/b\r")},
        {LIT(D32 " data/a\n" D32 " data/b\r")},
        {LIT(D32 " data/a\r" D32 " data/b")},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct artbag_manifest m;
        struct artbag_report *r =
            parse_manifest(cases[i].buf, cases[i].len, "manifest-md5.txt", ARTBAG_MD5, 0, &m);

        check_clean(r);
        assert_int_equal(m.n, 2);
        assert_string_equal(m.entries[0].path, "data/a");
        assert_string_equal(m.entries[1].path, "data/b");
        artbag_manifest_release(&m);
        artbag_report_free(r);
    }
}

static void test_manifest_sha512_md5_sha1(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(LIT(D128 " data/a\n"), "manifest-sha512.txt", ARTBAG_SHA512, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 1);
    assert_string_equal(m.entries[0].digest, D128);
    artbag_manifest_release(&m);
    artbag_report_free(r);

    r = parse_manifest(LIT(D32 " data/a\n"), "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 1);
    artbag_manifest_release(&m);
    artbag_report_free(r);

    r = parse_manifest(LIT(D40 " data/a\n"), "manifest-sha1.txt", ARTBAG_SHA1, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 1);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_paths_with_spaces(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* Any run of spaces and tabs separates; everything after it, to the line end, is the path.
     */
    r = parse_manifest(LIT(D32 " \t data/my article.md\n" D32 "\tdata/ lead\n" D32
                               " data/trail \n" D32 " data/a\tb\n"),
                       "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 4);
    assert_string_equal(m.entries[0].path, "data/my article.md");
    assert_string_equal(m.entries[1].path, "data/ lead");
    assert_string_equal(m.entries[2].path, "data/trail ");
    assert_string_equal(m.entries[3].path, "data/a\tb");
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_percent_decoding(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(
        LIT(D32 " data/100%25\n" D32 " data/a%0Ab\n" D32 " data/a%0db\n" D32 " data/a%20b\n"),
        "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 4);
    assert_string_equal(m.entries[0].path, "data/100%");
    assert_string_equal(m.entries[1].path, "data/a\nb");
    assert_string_equal(m.entries[2].path, "data/a\rb");
    assert_string_equal(m.entries[3].path, "data/a%20b");
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_tag(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(LIT(D64 " bagit.txt\n" D64 " bag-info.txt\n" D64 " manifest-sha256.txt\n" D64
                               " meta/notes.txt\n"),
                       "tagmanifest-sha256.txt", ARTBAG_SHA256, 1, &m);
    check_clean(r);
    assert_int_equal(m.n, 4);
    assert_string_equal(m.entries[2].path, "manifest-sha256.txt");
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_unknown_alg(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* No algorithm, no length to check; hex is still required. */
    r = parse_manifest(LIT("abc data/a\n"), "manifest-foo.txt", -1, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 1);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_final_newline_only(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* One line ending at the end of the file does not make an empty line. */
    r = parse_manifest(LIT(D32 " data/a\r\n"), "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_clean(r);
    artbag_manifest_release(&m);
    artbag_report_free(r);
    r = parse_manifest(LIT(""), "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_clean(r);
    assert_int_equal(m.n, 0);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

/* Parses a manifest expecting one finding and n_entries entries kept. */
static void check_manifest_bad(const char *buf, size_t len, int alg, int is_tag, int severity,
                               const char *substr, size_t n_entries)
{
    const char *name = is_tag ? "tagmanifest-x.txt" : "manifest-x.txt";
    struct artbag_manifest m;
    struct artbag_report *r = parse_manifest(buf, len, name, alg, is_tag, &m);

    check_one(r, severity, "manifest", name, substr);
    assert_int_equal(m.n, n_entries);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_digest_length(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    r = parse_manifest(LIT(D64 " data/a\n" D32 "0123456789abcdef0123456789abcde data/b\n"),
                       "manifest-sha256.txt", ARTBAG_SHA256, 0, &m);
    check_one(r, ARTBAG_PROBLEM, "manifest", "manifest-sha256.txt",
              "line 2: digest has 63 hex digits, expected 64 for sha256");
    assert_string_equal(r->problems[0].expected, "64");
    assert_string_equal(r->problems[0].actual, "63");
    assert_int_equal(m.n, 1);
    artbag_manifest_release(&m);
    artbag_report_free(r);
    /* An sha256 digest in an md5 manifest is the wrong length too. */
    check_manifest_bad(LIT(D64 " data/a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: digest has 64 hex digits, expected 32 for md5", 0);
}

static void test_manifest_not_hex(void **state)
{
    (void)state;
    check_manifest_bad(LIT("0123456789abcdef0123456789abcdeg data/a\n"), ARTBAG_MD5, 0,
                       ARTBAG_PROBLEM,
                       "line 1: digest '0123456789abcdef0123456789abcdeg' is not hexadecimal", 0);
}

static void test_manifest_no_path(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 "\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: '" D32 "' is not of the form 'DIGEST PATH'", 0);
    check_manifest_bad(LIT(D32 "  \t\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "is not of the form 'DIGEST PATH'", 0);
}

static void test_manifest_leading_space(void **state)
{
    (void)state;
    check_manifest_bad(LIT(" " D32 " data/a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: ' " D32 " data/a' is not of the form 'DIGEST PATH'", 0);
}

static void test_manifest_absolute(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " /etc/passwd\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: '/etc/passwd' is an absolute path", 0);
    check_manifest_bad(LIT(D32 " /bagit.txt\n"), ARTBAG_MD5, 1, ARTBAG_PROBLEM,
                       "line 1: '/bagit.txt' is an absolute path", 0);
}

static void test_manifest_outside_data(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/a\n" D32 " ../etc/passwd\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 2: '../etc/passwd' is outside data/", 1);
    check_manifest_bad(LIT(D32 " bagit.txt\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'bagit.txt' is outside data/", 0);
    check_manifest_bad(LIT(D32 " data\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data' is outside data/", 0);
}

/* A 0.97 (or older) bag: paths as written, no percent-decoding. */
static struct artbag_report *parse_manifest_097(const char *buf, size_t len, int is_tag,
                                                struct artbag_manifest *m)
{
    struct artbag_report *r = report();

    assert_int_equal(artbag_manifest_parse(buf, len,
                                           is_tag ? "tagmanifest-md5.txt" : "manifest-md5.txt",
                                           ARTBAG_MD5, is_tag, 0, m, r),
                     ARTBAG_OK);
    return r;
}

static void test_manifest_binary_marker(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* md5sum's '*' is not BagIt 1.0 syntax: the line is refused. */
    check_manifest_bad(LIT(D32 " *data/a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: '*data/a' starts with md5sum's binary-mode marker '*'", 0);
    /* In 0.97, which tools wrote with md5sum, it is read without the marker, with a warning. */
    r = parse_manifest_097(LIT(D32 " *data/a\n"), 0, &m);
    check_one(r, ARTBAG_WARNING, "manifest", "manifest-md5.txt",
              "line 1: '*' before 'data/a' is md5sum's binary-mode marker");
    assert_int_equal(m.n, 1);
    assert_string_equal(m.entries[0].path, "data/a");
    artbag_manifest_release(&m);
    artbag_report_free(r);
    r = parse_manifest_097(LIT(D32 " *bagit.txt\n"), 1, &m);
    check_one(r, ARTBAG_WARNING, "manifest", "tagmanifest-md5.txt", "binary-mode marker");
    assert_string_equal(m.entries[0].path, "bagit.txt");
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_dot_slash(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* RFC 8493 2.1.3: "./data/x" is a relative path to data/x, never "outside data/". */
    for (int encoded = 0; encoded < 2; encoded++) {
        r = report();
        assert_int_equal(artbag_manifest_parse(LIT(D32 " ./data/a b\n" D32 " ././data/c\n"),
                                               "manifest-md5.txt", ARTBAG_MD5, 0, encoded, &m, r),
                         ARTBAG_OK);
        assert_int_equal(r->n_problems, 2);
        assert_int_equal(r->n_warnings, 2);
        assert_non_null(strstr(r->problems[0].message, "read as the relative path 'data/a b'"));
        assert_int_equal(m.n, 2);
        assert_string_equal(m.entries[0].path, "data/a b");
        assert_string_equal(m.entries[1].path, "data/c");
        assert_null(m.entries[0].raw);
        artbag_manifest_release(&m);
        artbag_report_free(r);
    }
    /* What the "./" leads to is still checked. */
    check_manifest_bad(LIT(D32 " ./../data/a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "'../data/a' is outside data/", 0);
}

static void test_manifest_raw_kept(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* The literal form is kept when decoding changed the name, for the checker's fallback. */
    r = parse_manifest(LIT(D32 " data/50%25off.txt\n" D32 " data/plain\n"), "manifest-md5.txt",
                       ARTBAG_MD5, 0, &m);
    check_clean(r);
    assert_string_equal(m.entries[0].path, "data/50%off.txt");
    assert_string_equal(m.entries[0].raw, "data/50%25off.txt");
    assert_null(m.entries[1].raw);
    artbag_manifest_release(&m);
    artbag_report_free(r);
    /* 0.97 does not decode, so there is nothing to fall back to. */
    r = parse_manifest_097(LIT(D32 " data/50%25off.txt\n"), 0, &m);
    check_clean(r);
    assert_string_equal(m.entries[0].path, "data/50%25off.txt");
    assert_null(m.entries[0].raw);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_dotdot(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/../../etc/passwd\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data/../../etc/passwd' has a '..' component", 0);
    check_manifest_bad(LIT(D32 " meta/..\n"), ARTBAG_MD5, 1, ARTBAG_PROBLEM,
                       "line 1: 'meta/..' has a '..' component", 0);
}

static void test_manifest_dot(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/./a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data/./a' has a '.' component", 0);
}

static void test_manifest_empty_component(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data//a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data//a' has an empty component", 0);
    check_manifest_bad(LIT(D32 " data/a/\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data/a/' has an empty component", 0);
}

static void test_manifest_backslash(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/sub\\a.txt\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: 'data/sub\\a.txt' contains a backslash", 0);
}

static void test_manifest_duplicate(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/a.txt\n" D32 " data/b.txt\n" D32 " data/a.txt\n"), ARTBAG_MD5,
                       0, ARTBAG_PROBLEM, "line 3: 'data/a.txt' listed twice (first on line 1)", 2);
    /* Duplicates are found after decoding: both lines name "data/%". */
    check_manifest_bad(LIT(D32 " data/%\n" D32 " data/%25\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 2: 'data/%' listed twice", 1);
    /* 1.0 refuses even an identical second line. */
    check_manifest_bad(LIT(D32 " data/a\n" D32 " data/a\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 2: 'data/a' listed twice", 1);
}

static void test_manifest_duplicate_097(void **state)
{
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* 0.97: the same line twice is a warning (digests compared without regard to case)... */
    r = parse_manifest_097(LIT(D32 " data/a\n0123456789ABCDEF0123456789ABCDEF data/a\n"), 0, &m);
    check_one(r, ARTBAG_WARNING, "manifest", "manifest-md5.txt",
              "line 2: 'data/a' listed twice alike (first on line 1)");
    assert_int_equal(m.n, 1);
    artbag_manifest_release(&m);
    artbag_report_free(r);
    /* ...but two different digests for one file are still a problem. */
    r = parse_manifest_097(
        LIT(D32 " data/a\n" D32 " data/b\nffffffffffffffffffffffffffffffff data/a\n"), 0, &m);
    check_one(r, ARTBAG_PROBLEM, "manifest", "manifest-md5.txt",
              "line 3: 'data/a' listed twice (first on line 1)");
    assert_int_equal(m.n, 2);
    artbag_manifest_release(&m);
    artbag_report_free(r);
}

static void test_manifest_many_entries(void **state)
{
    struct artbag_buf text = ARTBAG_BUF_INIT;
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    /* Enough lines to make the duplicate index grow several times. */
    for (int i = 0; i < 5000; i++)
        assert_int_equal(artbag_buf_printf(&text, D32 " data/f%d\n", i), ARTBAG_OK);
    assert_int_equal(artbag_buf_puts(&text, D32 " data/f4321\n"), ARTBAG_OK);
    r = parse_manifest(text.data, text.len, "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_one(r, ARTBAG_PROBLEM, "manifest", "manifest-md5.txt",
              "line 5001: 'data/f4321' listed twice (first on line 4322)");
    assert_int_equal(m.n, 5000);
    assert_string_equal(m.entries[4999].path, "data/f4999");
    artbag_manifest_release(&m);
    artbag_report_free(r);
    artbag_buf_release(&text);
}

static void test_manifest_tag_lists_payload(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " bagit.txt\n" D32 " data/a\n"), ARTBAG_MD5, 1, ARTBAG_PROBLEM,
                       "line 2: 'data/a' is a payload file", 1);
}

static void test_manifest_tag_lists_tagmanifest(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " tagmanifest-sha256.txt\n" D32 " manifest-md5.txt\n"), ARTBAG_MD5,
                       1, ARTBAG_PROBLEM, "line 1: 'tagmanifest-sha256.txt' is a tag manifest", 1);
}

static void test_manifest_empty_line(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/a\n\n" D32 " data/b\n"), ARTBAG_MD5, 0, ARTBAG_WARNING,
                       "line 2: empty line", 2);
    check_manifest_bad(LIT(D32 " data/a\n\n"), ARTBAG_MD5, 0, ARTBAG_WARNING, "line 2: empty line",
                       1);
    check_manifest_bad(LIT(D32 " data/a\r\n\r\n"), ARTBAG_MD5, 0, ARTBAG_WARNING,
                       "line 2: empty line", 1);
}

static void test_manifest_nul(void **state)
{
    (void)state;
    check_manifest_bad(LIT(D32 " data/a\0.txt\n" D32 " data/b\n"), ARTBAG_MD5, 0, ARTBAG_PROBLEM,
                       "line 1: contains a NUL byte", 1);
}

static void test_manifest_long_line(void **state)
{
    size_t n = 1 << 20;
    char *big = malloc(n);
    struct artbag_manifest m;
    struct artbag_report *r;

    (void)state;
    assert_non_null(big);
    memset(big, 'g', n);
    r = parse_manifest(big, n, "manifest-md5.txt", ARTBAG_MD5, 0, &m);
    check_one(r, ARTBAG_PROBLEM, "manifest", "manifest-md5.txt", "...' is not of the form");
    /* The message quotes only the start of a huge line. */
    assert_true(strlen(r->problems[0].message) < 300);
    artbag_manifest_release(&m);
    artbag_report_free(r);
    free(big);
}

/* ---- fetch.txt -------------------------------------------------------------------------- */

static void test_fetch_valid(void **state)
{
    struct artbag_report *r = report();
    struct artbag_fetch f;

    (void)state;
    assert_int_equal(artbag_fetch_parse(LIT("https://example.org/a.jpg 1024 data/a.jpg\r\n"
                                            "http://example.org/b -\tdata/my b%0A.txt\r\n"
                                            "ftp://x/y 0 data/c%20d\r\n"),
                                        1, &f, r),
                     ARTBAG_OK);
    check_clean(r);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.entries[0].url, "https://example.org/a.jpg");
    assert_true(f.entries[0].length == 1024);
    assert_string_equal(f.entries[0].path, "data/a.jpg");
    assert_true(f.entries[1].length == -1);
    assert_string_equal(f.entries[1].path, "data/my b\n.txt");
    assert_true(f.entries[2].length == 0);
    assert_string_equal(f.entries[2].path, "data/c%20d");
    artbag_fetch_release(&f);
    artbag_report_free(r);
}

static void check_fetch_bad(const char *buf, size_t len, int severity, const char *substr,
                            size_t n_entries)
{
    struct artbag_report *r = report();
    struct artbag_fetch f;

    assert_int_equal(artbag_fetch_parse(buf, len, 1, &f, r), ARTBAG_OK);
    check_one(r, severity, "fetch", "fetch.txt", substr);
    assert_int_equal(f.n, n_entries);
    artbag_fetch_release(&f);
    artbag_report_free(r);
}

static void test_fetch_missing_field(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a data/a\n"), ARTBAG_PROBLEM,
                    "line 1: 'https://x/a data/a' is not of the form 'URL LENGTH PATH'", 0);
}

static void test_fetch_relative_url(void **state)
{
    (void)state;
    check_fetch_bad(LIT("a.jpg 1 data/a\n"), ARTBAG_PROBLEM,
                    "line 1: 'a.jpg' is not an absolute url", 0);
    check_fetch_bad(LIT("1http://x 1 data/a\n"), ARTBAG_PROBLEM, "is not an absolute url", 0);
}

static void test_fetch_bad_length(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a 12a data/a\n"), ARTBAG_PROBLEM,
                    "line 1: length '12a' is neither a number of bytes nor '-'", 0);
    check_fetch_bad(LIT("https://x/a -5 data/a\n"), ARTBAG_PROBLEM, "length '-5'", 0);
    check_fetch_bad(LIT("https://x/a 9223372036854775808 data/a\n"), ARTBAG_PROBLEM,
                    "length '9223372036854775808'", 0);
}

static void test_fetch_outside_data(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a 1 bag-info.txt\n"), ARTBAG_PROBLEM,
                    "line 1: 'bag-info.txt' is outside data/", 0);
    check_fetch_bad(LIT("https://x/a 1 data/../x\n"), ARTBAG_PROBLEM, "has a '..' component", 0);
}

static void test_fetch_duplicate(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a 1 data/a\nhttps://y/a 1 data/a\n"), ARTBAG_PROBLEM,
                    "line 2: 'data/a' listed twice (first on line 1)", 1);
}

static void test_fetch_empty_line(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a 1 data/a\n\nhttps://x/b - data/b\n"), ARTBAG_WARNING,
                    "line 2: empty line", 2);
}

static void test_fetch_nul(void **state)
{
    (void)state;
    check_fetch_bad(LIT("https://x/a\0 1 data/a\n"), ARTBAG_PROBLEM, "line 1: contains a NUL byte",
                    0);
}

/* ---- Unicode forms ---------------------------------------------------------------------- */

static void test_nfc(void **state)
{
    char *s;

    (void)state;
    s = artbag_utf8_nfc("caf"
                        "e\xcc\x81");
    assert_non_null(s);
    assert_string_equal(s, "caf\xc3\xa9");
    free(s);
    s = artbag_utf8_nfc("");
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    assert_null(artbag_utf8_nfc("bad\xff"));
    assert_null(artbag_utf8_nfc(NULL));
}

static void test_casefold(void **state)
{
    char *a, *b;

    (void)state;
    a = artbag_utf8_casefold("Stra\xc3\x9f"
                             "e");
    assert_non_null(a);
    assert_string_equal(a, "strasse");
    free(a);
    /* Decomposed "É" and composed "é" fold to the same composed string. */
    a = artbag_utf8_casefold("E\xcc\x81T\xc3\x89");
    b = artbag_utf8_casefold("\xc3\xa9t\xc3\xa9");
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    assert_string_equal(a, "\xc3\xa9t\xc3\xa9");
    free(a);
    free(b);
    assert_null(artbag_utf8_casefold("\xed\xa0\x80"));
    assert_null(artbag_utf8_casefold(NULL));
    /* The ASCII fast path agrees with utf8proc: plain lower case, nothing else touched. */
    a = artbag_utf8_casefold("Data/Sub Dir/README-2.TXT");
    assert_non_null(a);
    assert_string_equal(a, "data/sub dir/readme-2.txt");
    free(a);
    a = artbag_utf8_casefold("");
    assert_non_null(a);
    assert_string_equal(a, "");
    free(a);
}

/* ---- robustness ------------------------------------------------------------------------- */

/* A small deterministic generator, so a failure here can be replayed exactly. */
static uint32_t next_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void test_random_bytes(void **state)
{
    /* Bytes that matter to the parsers, often, so random inputs reach deep paths. */
    static const char alphabet[] = "\n\r\t :.%/\\-*0aAfF25dD\0\xc3\xa9\xff\xfe";
    uint32_t seed = 0x9e3779b9u;
    char buf[512];

    (void)state;
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = next_rand(&seed) % sizeof(buf);
        struct artbag_report *r = report();
        struct artbag_bagit_decl d;
        struct artbag_baginfo b;
        struct artbag_manifest m;
        struct artbag_fetch f;
        struct artbag_buf out = ARTBAG_BUF_INIT;
        int rc;

        for (size_t i = 0; i < len; i++) {
            uint32_t x = next_rand(&seed);

            buf[i] = (x & 0x300) ? alphabet[x % (sizeof(alphabet) - 1)] : (char)(x >> 24);
        }
        rc = artbag_bagit_txt_parse(buf, len, &d, r);
        assert_true(rc == ARTBAG_OK || rc == ARTBAG_EREJECT);
        artbag_bagit_decl_release(&d);
        rc = artbag_tagfile_decode(buf, len, iter % 2 ? "UTF-16" : "UTF-8", "x", &out, r);
        assert_true(rc == ARTBAG_OK || rc == ARTBAG_EREJECT);
        artbag_buf_release(&out);
        assert_int_equal(artbag_baginfo_parse(buf, len, &b, r), ARTBAG_OK);
        artbag_baginfo_release(&b);
        assert_int_equal(
            artbag_manifest_parse(buf, len, "manifest-md5.txt", iter % 3 - 1, iter % 2, 1, &m, r),
            ARTBAG_OK);
        for (size_t i = 0; i < m.n; i++)
            assert_int_equal(strncmp(m.entries[i].path, "..", 2) == 0, 0);
        artbag_manifest_release(&m);
        assert_int_equal(artbag_fetch_parse(buf, len, 1, &f, r), ARTBAG_OK);
        artbag_fetch_release(&f);
        assert_int_equal(artbag_path_decode(buf, len, &out), ARTBAG_OK);
        artbag_buf_release(&out);
        artbag_report_free(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alg_names),
        cmocka_unit_test(test_manifest_name),
        cmocka_unit_test(test_bagit_valid),
        cmocka_unit_test(test_bagit_no_final_newline),
        cmocka_unit_test(test_bagit_bom),
        cmocka_unit_test(test_bagit_wrong_order),
        cmocka_unit_test(test_bagit_two_spaces),
        cmocka_unit_test(test_bagit_tab_after_colon),
        cmocka_unit_test(test_bagit_no_space),
        cmocka_unit_test(test_bagit_label_case),
        cmocka_unit_test(test_bagit_space_before_colon),
        cmocka_unit_test(test_bagit_space_before_label),
        cmocka_unit_test(test_bagit_trailing_space),
        cmocka_unit_test(test_bagit_extra_line),
        cmocka_unit_test(test_bagit_empty_line),
        cmocka_unit_test(test_bagit_twice),
        cmocka_unit_test(test_bagit_bad_version),
        cmocka_unit_test(test_bagit_missing_encoding),
        cmocka_unit_test(test_bagit_empty_encoding),
        cmocka_unit_test(test_bagit_empty_file),
        cmocka_unit_test(test_bagit_nul),
        cmocka_unit_test(test_bagit_utf16_is_rejected),
        cmocka_unit_test(test_decode_utf8),
        cmocka_unit_test(test_decode_latin1),
        cmocka_unit_test(test_decode_utf16_bom),
        cmocka_unit_test(test_decode_appends),
        cmocka_unit_test(test_decode_unknown_encoding),
        cmocka_unit_test(test_decode_invalid_utf8),
        cmocka_unit_test(test_decode_invalid_utf16),
        cmocka_unit_test(test_decode_not_unicode),
        cmocka_unit_test(test_baginfo_valid),
        cmocka_unit_test(test_baginfo_line_endings),
        cmocka_unit_test(test_baginfo_097_spacing),
        cmocka_unit_test(test_baginfo_latin1_file),
        cmocka_unit_test(test_baginfo_utf16_file),
        cmocka_unit_test(test_baginfo_no_colon),
        cmocka_unit_test(test_baginfo_empty_label),
        cmocka_unit_test(test_baginfo_leading_continuation),
        cmocka_unit_test(test_baginfo_empty_line),
        cmocka_unit_test(test_baginfo_nul),
        cmocka_unit_test(test_oxum),
        cmocka_unit_test(test_path_decode),
        cmocka_unit_test(test_manifest_sha256),
        cmocka_unit_test(test_manifest_upper_hex),
        cmocka_unit_test(test_manifest_097_paths_are_literal),
        cmocka_unit_test(test_manifest_line_endings),
        cmocka_unit_test(test_manifest_sha512_md5_sha1),
        cmocka_unit_test(test_manifest_paths_with_spaces),
        cmocka_unit_test(test_manifest_percent_decoding),
        cmocka_unit_test(test_manifest_tag),
        cmocka_unit_test(test_manifest_unknown_alg),
        cmocka_unit_test(test_manifest_final_newline_only),
        cmocka_unit_test(test_manifest_digest_length),
        cmocka_unit_test(test_manifest_not_hex),
        cmocka_unit_test(test_manifest_no_path),
        cmocka_unit_test(test_manifest_leading_space),
        cmocka_unit_test(test_manifest_absolute),
        cmocka_unit_test(test_manifest_outside_data),
        cmocka_unit_test(test_manifest_binary_marker),
        cmocka_unit_test(test_manifest_dot_slash),
        cmocka_unit_test(test_manifest_raw_kept),
        cmocka_unit_test(test_manifest_duplicate_097),
        cmocka_unit_test(test_manifest_dotdot),
        cmocka_unit_test(test_manifest_dot),
        cmocka_unit_test(test_manifest_empty_component),
        cmocka_unit_test(test_manifest_backslash),
        cmocka_unit_test(test_manifest_duplicate),
        cmocka_unit_test(test_manifest_many_entries),
        cmocka_unit_test(test_manifest_tag_lists_payload),
        cmocka_unit_test(test_manifest_tag_lists_tagmanifest),
        cmocka_unit_test(test_manifest_empty_line),
        cmocka_unit_test(test_manifest_nul),
        cmocka_unit_test(test_manifest_long_line),
        cmocka_unit_test(test_fetch_valid),
        cmocka_unit_test(test_fetch_missing_field),
        cmocka_unit_test(test_fetch_relative_url),
        cmocka_unit_test(test_fetch_bad_length),
        cmocka_unit_test(test_fetch_outside_data),
        cmocka_unit_test(test_fetch_duplicate),
        cmocka_unit_test(test_fetch_empty_line),
        cmocka_unit_test(test_fetch_nul),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_casefold),
        cmocka_unit_test(test_random_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
