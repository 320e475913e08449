/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_attach.c - unit tests for src/lib/attach.c: attachment names, streaming with one read,
 * libmagic's types, deduplication by digest, and files that are not what they seemed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops.h"

static char dir[] = "/tmp/artbag-test-attach-XXXXXX";

static void put(const char *name, const void *data, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static const char *in(const char *name)
{
    static char path[4][256];
    static int k;

    k = (k + 1) % 4;
    snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
    return path[k];
}

static void test_names(void **state)
{
    struct artbag_error err = {0};

    (void)state;
    assert_int_equal(artbag_attach_name_check("page.html", &err), ARTBAG_OK);
    assert_int_equal(artbag_attach_name_check("caf\xc3\xa9.warc", &err), ARTBAG_OK); /* NFC */
    assert_int_equal(artbag_attach_name_check("", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check(".", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check("..", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check("a\nb", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check("a\x7f", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check("a\\b", &err), ARTBAG_EUSAGE);
    assert_int_equal(artbag_attach_name_check("caf\xc3", &err), ARTBAG_EUSAGE);
    /* e + combining acute (NFD): the same name as the NFC one on some systems */
    assert_int_equal(artbag_attach_name_check("cafe\xcc\x81.warc", &err), ARTBAG_EUSAGE);
    assert_non_null(strstr(err.msg, "NFC"));
}

static void test_stream_type_dedup(void **state)
{
    static const char html[] = "<!DOCTYPE html><html><head><title>t</title></head><body>x</body>"
                               "</html>\n";
    static const char pdf[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    struct artbag_attachment a = {0}, b = {0}, c = {0}, d = {0}, e = {0};
    struct artbag_attacher *at = NULL;
    struct artbag_bundlew *w = NULL;
    struct artbag_error err = {0};
    char other[sizeof(html)];
    int stored = -1;

    (void)state;
    memcpy(other, html, sizeof(html));
    other[sizeof(html) - 3] = '!'; /* same size, other bytes */
    put("page.html", html, sizeof(html) - 1);
    put("copy.html", html, sizeof(html) - 1);
    put("other.html", other, sizeof(html) - 1);
    put("doc.pdf", pdf, sizeof(pdf) - 1);
    put("empty", "", 0);
    assert_int_equal(artbag_attacher_new(&at, 0, &err), ARTBAG_OK);
    assert_int_equal(artbag_bundlew_open(&w, in("out.tar.gz"), "out", 0, 0, &err), ARTBAG_OK);

    assert_int_equal(artbag_attach_write(at, w, in("page.html"), "data/attachments/page.html", &a,
                                         &stored, &err),
                     ARTBAG_OK);
    assert_int_equal(stored, 1);
    assert_string_equal(a.path, "data/attachments/page.html");
    assert_string_equal(a.media_type, "text/html");
    assert_int_equal(a.bytes, sizeof(html) - 1);
    {
        char want[ARTBAG_SHA256_HEX];

        assert_int_equal(artbag_sha256_hex(html, sizeof(html) - 1, want, &err), ARTBAG_OK);
        assert_string_equal(a.sha256, want);
    }
    /* The same bytes under another name: stored once, pointing at the first. */
    assert_int_equal(artbag_attach_write(at, w, in("copy.html"), "data/attachments/copy.html", &b,
                                         &stored, &err),
                     ARTBAG_OK);
    assert_int_equal(stored, 0);
    assert_string_equal(b.path, "data/attachments/page.html");
    assert_string_equal(b.sha256, a.sha256);
    assert_string_equal(b.media_type, "text/html");
    /* The same size, other bytes: stored. */
    assert_int_equal(artbag_attach_write(at, w, in("other.html"), "data/attachments/other.html", &c,
                                         &stored, &err),
                     ARTBAG_OK);
    assert_int_equal(stored, 1);
    assert_string_equal(c.path, "data/attachments/other.html");
    assert_string_not_equal(c.sha256, a.sha256);
    assert_int_equal(
        artbag_attach_write(at, w, in("doc.pdf"), "data/attachments/doc.pdf", &d, &stored, &err),
        ARTBAG_OK);
    assert_string_equal(d.media_type, "application/pdf");
    assert_int_equal(
        artbag_attach_write(at, w, in("empty"), "data/attachments/empty", &e, &stored, &err),
        ARTBAG_OK);
    assert_int_equal(e.bytes, 0);
    assert_string_equal(e.sha256,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    artbag_attachment_release(&a);
    artbag_attachment_release(&b);
    artbag_attachment_release(&c);
    artbag_attachment_release(&d);
    artbag_attachment_release(&e);
    artbag_bundlew_free(w);
    artbag_attacher_free(at);
}

static void test_refusals(void **state)
{
    struct artbag_attachment a = {0};
    struct artbag_attacher *at = NULL;
    struct artbag_bundlew *w = NULL;
    struct artbag_error err = {0};
    int stored;

    (void)state;
    assert_int_equal(artbag_attacher_new(&at, 0, &err), ARTBAG_OK);
    assert_int_equal(artbag_bundlew_open(&w, in("bad.tar.gz"), "bad", 0, 0, &err), ARTBAG_OK);
    assert_int_equal(artbag_attach_write(at, w, dir, "data/attachments/x", &a, &stored, &err),
                     ARTBAG_EUSAGE);
    assert_non_null(strstr(err.msg, "not a regular file"));
    assert_null(a.path);
    assert_int_equal(
        artbag_attach_write(at, w, in("missing"), "data/attachments/x", &a, &stored, &err),
        ARTBAG_EIO);
    assert_non_null(strstr(err.msg, "missing"));
    /* A file whose size says 0 but which has bytes: it changed, as far as the header knows. */
    assert_int_equal(
        artbag_attach_write(at, w, "/proc/self/status", "data/attachments/s", &a, &stored, &err),
        ARTBAG_EIO);
    assert_string_equal(err.msg, "'/proc/self/status': changed while packing");
    assert_null(a.path);
    artbag_bundlew_free(w);
    artbag_attacher_free(at);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_stream_type_dedup),
        cmocka_unit_test(test_refusals),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
