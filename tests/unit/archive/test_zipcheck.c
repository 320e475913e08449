/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_zipcheck.c - unit tests for zipcheck.c: zips built here field by field are accepted when
 * every reader would read them alike, and each ambiguity of issue 11 (names, sizes, CRC-32,
 * method, flags, extra fields, layout, end records, attributes) is refused with its entry named,
 * from memory and through a descriptor alike. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "archive/archive.h"

#define MAXE 4

/* One entry as the builder writes it; the l_ and c_ fields override the local or central
 * header's value when set. */
struct tent {
    const char *name, *data;
    int deflate;
    uint32_t flags, eattr, made_by;
    const char *l_name;
    const char *l_extra, *c_extra; /* raw bytes, with lengths below */
    size_t l_extra_len, c_extra_len;
    int l_crc_flip, c_size_add, hidden_tail;
    int64_t c_offset; /* when non-zero: this central offset instead of the real one */
    const char *gap;  /* bytes written after the entry */
};

struct tzip {
    struct tent e[MAXE];
    int n;
    const char *prefix, *comment, *trailer;
    int dup_central, count_add, zip64;
};

static void put16(struct artbag_buf *b, uint32_t v)
{
    unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    assert_int_equal(artbag_buf_append(b, p, 2), ARTBAG_OK);
}

static void put32(struct artbag_buf *b, uint32_t v)
{
    put16(b, v & 0xffff);
    put16(b, v >> 16);
}

static void put64(struct artbag_buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

static void puts_(struct artbag_buf *b, const char *s, size_t n)
{
    if (n)
        assert_int_equal(artbag_buf_append(b, s, n), ARTBAG_OK);
}

/* Builds the zip into out (released by the caller). */
static void build(const struct tzip *z, struct artbag_buf *out)
{
    uint64_t offs[MAXE], cd_off, cd_len;
    unsigned char comp[4096];
    size_t clen[MAXE];
    unsigned char *cdata[MAXE];

    out->len = 0;
    if (z->prefix)
        puts_(out, z->prefix, strlen(z->prefix));
    for (int i = 0; i < z->n; i++) {
        const struct tent *e = &z->e[i];
        size_t dlen = strlen(e->data);
        const char *ln = e->l_name ? e->l_name : e->name;
        uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)e->data, (uInt)dlen);

        if (e->deflate) {
            z_stream zs = {0};

            assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
            zs.next_in = (unsigned char *)e->data;
            zs.avail_in = (uInt)dlen;
            zs.next_out = comp;
            zs.avail_out = sizeof(comp);
            assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
            clen[i] = sizeof(comp) - zs.avail_out;
            deflateEnd(&zs);
            if (e->hidden_tail) {
                memcpy(comp + clen[i], "hidden", 6);
                clen[i] += 6;
            }
            cdata[i] = malloc(clen[i]);
            memcpy(cdata[i], comp, clen[i]);
        } else {
            clen[i] = dlen;
            cdata[i] = (unsigned char *)strdup(e->data);
        }
        offs[i] = out->len;
        puts_(out, "PK\3\4", 4);
        put16(out, 20);
        put16(out, e->flags);
        put16(out, e->deflate ? 8 : 0);
        put32(out, 0);
        put32(out, crc ^ (e->l_crc_flip ? 1u : 0u));
        put32(out, (uint32_t)clen[i]);
        put32(out, (uint32_t)dlen);
        put16(out, (uint32_t)strlen(ln));
        put16(out, (uint32_t)e->l_extra_len);
        puts_(out, ln, strlen(ln));
        puts_(out, e->l_extra, e->l_extra_len);
        puts_(out, (const char *)cdata[i], clen[i]);
        if (e->gap)
            puts_(out, e->gap, strlen(e->gap));
    }
    cd_off = out->len;
    for (int k = 0; k < z->n + z->dup_central; k++) {
        int i = k < z->n ? k : 0;
        const struct tent *e = &z->e[i];
        size_t dlen = strlen(e->data);
        int z64 = z->zip64 && i == 0;

        puts_(out, "PK\1\2", 4);
        put16(out, e->made_by ? e->made_by : (3 << 8) | 20);
        put16(out, z64 ? 45 : 20);
        put16(out, e->flags);
        put16(out, e->deflate ? 8 : 0);
        put32(out, 0);
        put32(out, (uint32_t)crc32(0, (const unsigned char *)e->data, (uInt)dlen));
        put32(out, z64 ? 0xffffffffu : (uint32_t)(clen[i] + (size_t)e->c_size_add));
        put32(out, z64 ? 0xffffffffu : (uint32_t)dlen);
        put16(out, (uint32_t)strlen(e->name));
        put16(out, (uint32_t)(e->c_extra_len + (z64 ? 20 : 0)));
        put16(out, 0);
        put16(out, 0);
        put16(out, 0);
        put32(out, e->eattr);
        put32(out, e->c_offset ? (uint32_t)e->c_offset : (uint32_t)offs[i]);
        puts_(out, e->name, strlen(e->name));
        if (z64) {
            put16(out, 1);
            put16(out, 16);
            put64(out, dlen);
            put64(out, clen[i]);
        }
        puts_(out, e->c_extra, e->c_extra_len);
    }
    cd_len = out->len - cd_off;
    if (z->zip64) {
        uint64_t at = out->len;

        puts_(out, "PK\6\6", 4);
        put64(out, 44);
        put16(out, 45);
        put16(out, 45);
        put32(out, 0);
        put32(out, 0);
        put64(out, (uint64_t)(z->n + z->dup_central + (z->zip64 == 2)));
        put64(out, (uint64_t)(z->n + z->dup_central + (z->zip64 == 2)));
        put64(out, cd_len);
        put64(out, cd_off);
        puts_(out, "PK\6\7", 4);
        put32(out, 0);
        put64(out, at);
        put32(out, 1);
    }
    puts_(out, "PK\5\6", 4);
    put16(out, 0);
    put16(out, 0);
    put16(out, (uint32_t)(z->n + z->dup_central + z->count_add));
    put16(out, z->zip64 == 3 ? 0xffff : (uint32_t)(z->n + z->dup_central + z->count_add));
    put32(out, (uint32_t)cd_len);
    put32(out, (uint32_t)cd_off);
    put16(out, z->comment ? (uint32_t)strlen(z->comment) : 0);
    if (z->comment)
        puts_(out, z->comment, strlen(z->comment));
    if (z->trailer)
        puts_(out, z->trailer, strlen(z->trailer));
    for (int i = 0; i < z->n; i++)
        free(cdata[i]);
}

/* A valid bag-shaped zip: a directory, a stored file, a deflated file. */
static struct tzip base(void)
{
    struct tzip z = {.n = 3};

    z.e[0] = (struct tent){.name = "bag/", .data = "", .eattr = 040755u << 16 | 0x10};
    z.e[1] = (struct tent){.name = "bag/bagit.txt",
                           .data = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                           .eattr = 0100644u << 16};
    z.e[2] = (struct tent){.name = "bag/data/article.md",
                           .data = "An article, an article, an article, repeated to deflate.\n",
                           .deflate = 1,
                           .eattr = 0100644u << 16};
    return z;
}

/* Checks z from memory and through a descriptor: the same status and the same finding. */
static int check(const struct tzip *z, struct artbag_zipcheck *zc, struct artbag_error *err)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_zipcheck zc2;
    struct artbag_error err2;
    int rc, rc2, fd;

    build(z, &b);
    rc = artbag_zipcheck_mem(b.data, b.len, UINT64_MAX, zc, err);
    fd = memfd_create("zip", MFD_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
    rc2 = artbag_zipcheck_fd(fd, b.len, UINT64_MAX, &zc2, &err2);
    close(fd);
    assert_int_equal(rc, rc2);
    if (rc != ARTBAG_OK) {
        assert_string_equal(err->msg, err2.msg);
        assert_string_equal(zc->kind, zc2.kind);
    }
    artbag_zipcheck_release(&zc2);
    artbag_buf_release(&b);
    return rc;
}

/* z is refused, with kind and a message holding what, naming entry (NULL: none; "*": any). */
static void refused(const struct tzip *z, const char *kind, const char *entry, const char *what)
{
    struct artbag_zipcheck zc;
    struct artbag_error err;
    int rc = check(z, &zc, &err);

    if (rc != ARTBAG_EREJECT || !strstr(err.msg, what))
        fail_msg("expected a refusal with '%s', got %d: %s", what, rc,
                 rc == ARTBAG_OK ? "(accepted)" : err.msg);
    if (strcmp(zc.kind, kind) != 0)
        fail_msg("'%s': kind %s, expected %s", err.msg, zc.kind, kind);
    if (entry && strcmp(entry, "*") == 0)
        assert_non_null(zc.entry);
    else if (entry)
        assert_string_equal(zc.entry, entry);
    else
        assert_null(zc.entry);
    artbag_zipcheck_release(&zc);
}

static void test_valid(void **state)
{
    struct tzip z = base();
    struct artbag_zipcheck zc;
    struct artbag_error err;

    (void)state;
    assert_int_equal(check(&z, &zc, &err), ARTBAG_OK);
    assert_int_equal(zc.n, 3);
    assert_string_equal(zc.entries[0].name, "bag/");
    assert_int_equal(zc.entries[0].type, 'd');
    assert_string_equal(zc.entries[2].name, "bag/data/article.md");
    assert_int_equal(zc.entries[2].type, 'f');
    assert_int_equal(zc.entries[2].size, strlen(z.e[2].data));
    artbag_zipcheck_release(&zc);
    /* zip64 end records and a zip64 central entry, consistent: as valid */
    z.zip64 = 1;
    assert_int_equal(check(&z, &zc, &err), ARTBAG_OK);
    artbag_zipcheck_release(&zc);
    /* a UTF-8 flagged non-ASCII name, a comment, a matching Unicode Path field */
    z = base();
    z.e[1].name = "bag/caf\xc3\xa9.txt";
    z.e[1].flags = 0x800;
    z.comment = "a comment";
    z.e[2].c_extra = "\x75\x70\x18\x00\x01\x00\x00\x00\x00"
                     "bag/data/article.md";
    z.e[2].c_extra_len = 28;
    assert_int_equal(check(&z, &zc, &err), ARTBAG_OK);
    artbag_zipcheck_release(&zc);
    /* a Unix symbolic link is structurally fine: verify reports it as an unsafe entry */
    z = base();
    z.e[1].eattr = 0120777u << 16;
    assert_int_equal(check(&z, &zc, &err), ARTBAG_OK);
    assert_int_equal(zc.entries[1].type, 'l');
    artbag_zipcheck_release(&zc);
}

static void test_names(void **state)
{
    struct tzip z = base();

    (void)state;
    z.e[2].l_name = "bag/data/articlX.md";
    refused(&z, "ambiguous", "bag/data/article.md", "the local header names it");
    z = base();
    z.e[1].name = "bag/caf\xc3\xa9.txt";
    refused(&z, "ambiguous", "bag/caf\xc3\xa9.txt", "without the UTF-8 flag");
    z = base();
    z.e[1].name = "bag/cafe\xcc\x81.txt"; /* NFD: bsdtar extracts it as NFC */
    z.e[1].flags = 0x800;
    refused(&z, "ambiguous", "bag/cafe\xcc\x81.txt", "not in Unicode NFC");
    z = base();
    z.e[1].name = "bag/a\\b.txt";
    refused(&z, "ambiguous", "bag/a\\b.txt", "backslash");
    z = base();
    z.e[1].name = "bag/a\nb.txt";
    refused(&z, "ambiguous", "bag/a\nb.txt", "control character");
    z = base();
    z.e[2].c_extra = "\x75\x70\x18\x00\x01\x00\x00\x00\x00"
                     "bag/data/articlX.md";
    z.e[2].c_extra_len = 28;
    refused(&z, "ambiguous", "bag/data/article.md", "Unicode Path");
    z = base();
    z.dup_central = 1;
    z.e[0].name = "bag/bagit.txt/";
    z.e[0].eattr = 0;
    refused(&z, "ambiguous", "*", "have this name");
}

static void test_fields(void **state)
{
    struct tzip z = base();

    (void)state;
    z.e[2].l_crc_flip = 1;
    refused(&z, "ambiguous", "bag/data/article.md", "CRC-32 differs");
    z = base();
    z.e[2].c_size_add = 1;
    refused(&z, "ambiguous", "bag/data/article.md", "sizes differ");
    z = base();
    z.e[1].flags = 0x0001;
    refused(&z, "archive", "bag/bagit.txt", "encrypted");
    z = base();
    z.e[1].flags = 0x0040;
    refused(&z, "ambiguous", "bag/bagit.txt", "general purpose flags");
    z = base();
    z.e[2].hidden_tail = 1;
    refused(&z, "ambiguous", "bag/data/article.md", "hidden inside the entry");
    z = base();
    z.e[1].l_extra = "\x34\x12\x04\x00xxxx";
    z.e[1].l_extra_len = 8;
    refused(&z, "ambiguous", "bag/bagit.txt", "0x1234");
    z = base();
    z.e[1].c_extra = "\x55\x54\x05\x00\x01\x00\x00\x00\x00\x55\x54\x05\x00\x01\x00\x00\x00\x00";
    z.e[1].c_extra_len = 18;
    refused(&z, "ambiguous", "bag/bagit.txt", "appears twice");
    z = base();
    z.zip64 = 2; /* the zip64 end record counts one more entry than the end record */
    refused(&z, "ambiguous", NULL, "disagree");
}

static void test_layout(void **state)
{
    struct tzip z = base();

    (void)state;
    z.prefix = "#!/bin/sh\n";
    refused(&z, "ambiguous", "bag/", "before the first entry");
    z = base();
    z.e[1].gap = "PK\3\4hidden";
    refused(&z, "ambiguous", "bag/data/article.md", "hidden between");
    z = base();
    z.e[2].gap = "x";
    refused(&z, "ambiguous", NULL, "and the central directory");
    z = base();
    z.trailer = "junk";
    refused(&z, "ambiguous", NULL, "nothing may follow the end record");
    z = base();
    z.comment = "PK\5\6 a second end record";
    refused(&z, "archive", NULL, "comment");
    z = base();
    z.comment = "see PK\1\2 here";
    refused(&z, "ambiguous", NULL, "comment holds a zip signature");
    z = base();
    z.zip64 = 3; /* the end record: 0xffff entries in all, the real count on this disk */
    refused(&z, "archive", NULL, "on this disk");
    z = base();
    z.count_add = 1;
    refused(&z, "archive", NULL, "counts");
    z = base();
    z.dup_central = 1;
    refused(&z, "ambiguous", "*", "have this name");
    /* a central entry pointing into another entry's data */
    z = base();
    z.e[2].c_offset = 40;
    refused(&z, "ambiguous", "*", "inside");
}

static void test_types(void **state)
{
    struct tzip z = base();

    (void)state;
    z.e[1].eattr = 0x10;
    refused(&z, "ambiguous", "bag/bagit.txt", "DOS directory attribute");
    z = base();
    z.e[1].eattr = 040755u << 16;
    refused(&z, "ambiguous", "bag/bagit.txt", "is a directory's");
    z = base();
    z.e[0].eattr = 0100644u << 16;
    refused(&z, "ambiguous", "bag/", "not a directory's");
    z = base();
    z.e[1].eattr = 0120777u << 16;
    z.e[1].made_by = 20; /* MS-DOS: unzip makes the link, libarchive a file */
    refused(&z, "ambiguous", "bag/bagit.txt", "extractors disagree");
    z = base();
    z.e[1].eattr = 0020644u << 16;
    refused(&z, "ambiguous", "bag/bagit.txt", "neither");
    /* names from hosts whose names unzip rewrites */
    z = base();
    z.e[1].made_by = 2 << 8 | 20; /* VMS: unzip strips ";1" version suffixes */
    refused(&z, "ambiguous", "bag/bagit.txt", "made by host 2");
    z = base();
    z.e[1].name = "bag/caf\xc3\xa9.txt";
    z.e[1].flags = 0x800;
    z.e[1].made_by = 20; /* MS-DOS: unzip reads the name as CP437 despite the flag */
    refused(&z, "ambiguous", "bag/caf\xc3\xa9.txt", "OEM code page");
}

static void test_limits(void **state)
{
    struct artbag_zipcheck zc;
    struct artbag_error err;
    struct tzip z = base();
    struct artbag_buf b = ARTBAG_BUF_INIT;

    (void)state;
    build(&z, &b);
    assert_int_equal(artbag_zipcheck_mem(b.data, b.len, 10, &zc, &err), ARTBAG_EREJECT);
    assert_string_equal(zc.kind, "too-large");
    artbag_zipcheck_release(&zc);
    /* every truncation of a valid zip is refused, never read out of bounds */
    for (size_t n = 0; n < b.len; n++) {
        char *cut = malloc(n ? n : 1);

        memcpy(cut, b.data, n);
        assert_int_equal(artbag_zipcheck_mem(cut, n, UINT64_MAX, &zc, &err), ARTBAG_EREJECT);
        artbag_zipcheck_release(&zc);
        free(cut);
    }
    artbag_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),  cmocka_unit_test(test_names), cmocka_unit_test(test_fields),
        cmocka_unit_test(test_layout), cmocka_unit_test(test_types), cmocka_unit_test(test_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
