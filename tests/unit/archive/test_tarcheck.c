/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * test_tarcheck.c - the tar header validator: what real writers produce is accepted and resolved
 * to the names readers agree on; every ambiguous combination is refused, naming the ambiguity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "archive/archive.h"

#define BLOCK 512

struct tarb {
    unsigned char p[64 * BLOCK];
    size_t len;
};

/* Appends n bytes padded to a block. */
static void add(struct tarb *b, const void *p, size_t n)
{
    assert_true(b->len + n + BLOCK <= sizeof(b->p));
    memcpy(b->p + b->len, p, n);
    memset(b->p + b->len + n, 0, (BLOCK - n % BLOCK) % BLOCK);
    b->len += n + (BLOCK - n % BLOCK) % BLOCK;
}

static void checksum(unsigned char *h)
{
    unsigned sum = 0;

    memset(h + 148, ' ', 8);
    for (int i = 0; i < BLOCK; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
}

/* A header as GNU tar (gnu) or libarchive (POSIX) writes it. */
static void header(unsigned char *h, const char *name, char type, uint64_t size, int gnu)
{
    memset(h, 0, BLOCK);
    memcpy(h, name, strlen(name) < 100 ? strlen(name) : 100);
    memcpy(h + 100, "0000644", 8);
    memcpy(h + 108, "0000000", 8);
    memcpy(h + 116, "0000000", 8);
    snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)(size & 077777777777));
    memcpy(h + 136, "14524770400 ", 12);
    h[156] = (unsigned char)type;
    memcpy(h + 257,
           gnu ? "ustar  \0"
               : "ustar\0"
                 "00",
           8);
    if (!gnu) {
        memcpy(h + 329, "0000000", 8);
        memcpy(h + 337, "0000000", 8);
    }
    checksum(h);
}

static void entry(struct tarb *b, const char *name, char type, const char *data, int gnu)
{
    unsigned char h[BLOCK];
    size_t n = data ? strlen(data) : 0;

    header(h, name, type, n, gnu);
    add(b, h, BLOCK);
    if (n)
        add(b, data, n);
}

/* An extended header (x, g, L or K) with its data. */
static void ext(struct tarb *b, char type, const void *data, size_t n)
{
    unsigned char h[BLOCK];

    header(h, type == 'L' || type == 'K' ? "././@LongLink" : "././@PaxHeader", type, n,
           type == 'L' || type == 'K');
    add(b, h, BLOCK);
    if (n)
        add(b, data, n);
}

static void pax(struct tarb *b, const char *records)
{
    ext(b, 'x', records, strlen(records));
}

static void end(struct tarb *b)
{
    unsigned char z[2 * BLOCK] = {0};

    add(b, z, sizeof(z));
}

/* A bag-shaped start: the top directory and one file. */
static void start(struct tarb *b)
{
    b->len = 0;
    entry(b, "bag/", '5', NULL, 0);
    entry(b, "bag/bagit.txt", '0', "BagIt-Version: 1.0\n", 0);
}

/*
 * Feeds b in uneven pieces (so headers and records straddle feeds), then finishes. Returns the
 * validator for inspection; msg and kind get its refusal, or NULL.
 */
static struct artbag_tarcheck *run(const struct tarb *b, const char **msg, const char **kind)
{
    struct artbag_tarcheck *t;
    size_t off = 0, step = 1;

    assert_int_equal(artbag_tarcheck_new(&t), ARTBAG_OK);
    while (off < b->len) {
        size_t n = step < b->len - off ? step : b->len - off;

        assert_int_equal(artbag_tarcheck_feed(t, b->p + off, n), ARTBAG_OK);
        off += n;
        step = step * 3 % 1021 + 1;
    }
    artbag_tarcheck_finish(t);
    *kind = NULL;
    *msg = artbag_tarcheck_error(t, kind, NULL);
    return t;
}

static void refused(const struct tarb *b, const char *kind, const char *words)
{
    const char *msg, *k;
    struct artbag_tarcheck *t = run(b, &msg, &k);

    if (!msg || !strstr(msg, words) || strcmp(k, kind) != 0)
        fail_msg("wanted %s '%s', got %s '%s'", kind, words, k ? k : "-", msg ? msg : "accepted");
    artbag_tarcheck_free(t);
}

/* Accepted, and the entry after the two of start() is name with type and size. */
static void accepted(const struct tarb *b, const char *name, int type, uint64_t size)
{
    const char *msg, *k;
    struct artbag_tarcheck *t = run(b, &msg, &k);
    struct artbag_tarentry e;

    if (msg)
        fail_msg("refused: %s: %s", k, msg);
    assert_int_equal(artbag_tarcheck_next(t, &e), 1);
    assert_string_equal(e.name, "bag/");
    assert_int_equal(e.type, ARTBAG_TARENTRY_DIR);
    assert_int_equal(e.header_off, 0);
    assert_int_equal(artbag_tarcheck_next(t, &e), 1);
    assert_string_equal(e.name, "bag/bagit.txt");
    assert_int_equal(e.size, 19);
    assert_int_equal(e.header_off, BLOCK);
    assert_int_equal(e.data_off, 2 * BLOCK);
    if (name) {
        assert_int_equal(artbag_tarcheck_next(t, &e), 1);
        assert_string_equal(e.name, name);
        assert_int_equal(e.name_len, strlen(name));
        assert_int_equal(e.type, type);
        assert_int_equal(e.size, size);
        assert_int_equal(e.header_off, 3 * BLOCK);
    }
    assert_int_equal(artbag_tarcheck_next(t, &e), 0);
    artbag_tarcheck_free(t);
}

static struct tarb B;

static void test_writers(void **state)
{
    unsigned char h[BLOCK];
    char name[300];

    (void)state;
    start(&B); /* libarchive / artbag */
    end(&B);
    accepted(&B, NULL, 0, 0);

    start(&B); /* GNU tar --format=gnu: magic "ustar  ", empty device fields, 'L' */
    B.len = 0;
    entry(&B, "bag/", '5', NULL, 1);
    entry(&B, "bag/bagit.txt", '0', "BagIt-Version: 1.0\n", 1);
    memset(name, 'n', 200);
    memcpy(name, "bag/", 4);
    name[200] = '\0';
    ext(&B, 'L', name, 201);
    entry(&B, name, '0', "x", 1);
    end(&B);
    accepted(&B, name, ARTBAG_TARENTRY_FILE, 1);

    start(&B); /* pax path, with GNU tar's times */
    pax(&B, "30 mtime=1796038247.738725773\n15 path=bag/é\n");
    entry(&B, "bag/PaxHeaders/x", '0', "ab", 0);
    end(&B);
    accepted(&B, "bag/é", ARTBAG_TARENTRY_FILE, 2);

    start(&B); /* ustar prefix and name */
    header(h, "file.txt", '0', 0, 0);
    memcpy(h + 345, "bag/sub", 7);
    checksum(h);
    add(&B, h, BLOCK);
    end(&B);
    accepted(&B, "bag/sub/file.txt", ARTBAG_TARENTRY_FILE, 0);

    start(&B); /* a pax size equal to the header's (libarchive past 8 GiB writes both) */
    pax(&B, "9 size=3\n");
    entry(&B, "bag/f", '0', "abc", 0);
    end(&B);
    accepted(&B, "bag/f", ARTBAG_TARENTRY_FILE, 3);

    start(&B); /* links and devices pass, as others: verify reports them as unsafe */
    entry(&B, "bag/link", '2', NULL, 0);
    end(&B);
    accepted(&B, "bag/link", ARTBAG_TARENTRY_OTHER, 0);
}

static void test_checksum_and_magic(void **state)
{
    unsigned char h[BLOCK];

    (void)state;
    start(&B);
    header(h, "bag/f", '0', 0, 0);
    h[148] ^= 1;
    add(&B, h, BLOCK);
    end(&B);
    refused(&B, "archive", "bad header checksum");

    start(&B); /* valid only as a signed sum */
    header(h, "bag/f", '0', 0, 0);
    h[265] = 0xe9;
    {
        int s = 0;

        memset(h + 148, ' ', 8);
        for (int i = 0; i < BLOCK; i++)
            s += (signed char)h[i];
        snprintf((char *)h + 148, 8, "%06o", s);
        h[155] = ' ';
    }
    add(&B, h, BLOCK);
    end(&B);
    refused(&B, "ambiguous", "signed sum");

    const char *magics[] = {"\0\0\0\0\0\0\0\0", "ustar\0  ",
                            "ustar \0"
                            "0",
                            "USTAR\0"
                            "00"};
    for (size_t i = 0; i < sizeof(magics) / sizeof(*magics); i++) {
        start(&B);
        header(h, "bag/f", '0', 0, 0);
        memcpy(h + 257, magics[i], 8);
        checksum(h);
        add(&B, h, BLOCK);
        end(&B);
        refused(&B, "ambiguous", "neither POSIX nor GNU magic");
    }

    /* GNU magic with something in the atime/ctime/sparse area Python takes as a prefix */
    for (int off = 345; off < BLOCK; off += 37) {
        start(&B);
        header(h, "bag/f", '0', 0, 1);
        h[off] = 'x';
        checksum(h);
        add(&B, h, BLOCK);
        end(&B);
        refused(&B, "ambiguous", "atime/ctime/sparse area");
    }
}

static void test_numbers(void **state)
{
    static const struct {
        size_t off, w;
        const char *v;
        const char *why; /* NULL: accepted */
    } cases[] = {
        {124, 12, "  0000000001", NULL},
        {124, 12, "000000000001", NULL},
        {124, 12, "1\0\0\0\0\0\0\0\0\0\0", NULL},
        {124, 12, "01 \0\0\0\0\0\0\0\0", NULL},
        {100, 8, "000644 \0", NULL},
        {329, 8, "\0\0\0\0\0\0\0\0", NULL},
        {124, 12, "\0000000000001", "without octal digits"},
        {124, 12, "\t0000000001\0", "without octal digits"},
        {124, 12, "+0000000001\0", "without octal digits"},
        {124, 12, "-0000000001\0", "without octal digits"},
        {124, 12, "          \0\0", "without octal digits"},
        {124, 12, "0000000001 x", "other than octal digits"},
        {124, 12, "00000000018\0", "other than octal digits"},
        {124, 12, "\x80\0\0\0\0\0\0\0\0\0\0\1", "base-256"},
        {136, 12, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "base-256"},
        {100, 8, "\0\0\0\0\0\0\0\0", "without octal digits"},
        {108, 8, "0000 0 \0", "other than octal digits"},
    };
    unsigned char h[BLOCK];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        start(&B);
        header(h, "bag/f", '0', 1, 0);
        memcpy(h + cases[i].off, cases[i].v, cases[i].w);
        checksum(h);
        add(&B, h, BLOCK);
        add(&B, "x", 1);
        end(&B);
        if (cases[i].why)
            refused(&B, "ambiguous", cases[i].why);
        else
            accepted(&B, "bag/f", ARTBAG_TARENTRY_FILE, 1);
    }
}

static void test_types(void **state)
{
    const char *types = "gKSVMND7Az\x80";
    unsigned char h[BLOCK];

    (void)state;
    for (const char *t = types; *t; t++) {
        start(&B);
        entry(&B, "bag/f", *t, NULL, 0);
        end(&B);
        refused(&B, "ambiguous", *t == 'A' || *t == 'z' || *t == '\x80' ? "unknown type" : "('");
    }
    start(&B);
    entry(&B, "bag/d/", '5', "data", 0);
    end(&B);
    refused(&B, "ambiguous", "directory with data");
    start(&B);
    entry(&B, "bag/l", '1', "data", 0);
    end(&B);
    refused(&B, "ambiguous", "link or special file with data");
    start(&B);
    entry(&B, "bag/f/", '0', "data", 0);
    end(&B);
    refused(&B, "ambiguous", "ends in '/'");
    start(&B); /* Python makes a '\0' entry a directory by its header name, pax path or not */
    pax(&B, "15 path=bag/ff\n");
    entry(&B, "bag/ff/", '\0', NULL, 0);
    end(&B);
    refused(&B, "ambiguous", "ends in '/'");
    start(&B);
    header(h, "bag/f", '0', 0, 0);
    memcpy(h + 157, "target", 6);
    checksum(h);
    add(&B, h, BLOCK);
    end(&B);
    refused(&B, "ambiguous", "regular file with a link name");
    start(&B);
    header(h, "bag/f", '0', 0, 0);
    memcpy(h + 60, "x", 1); /* after the name's NUL */
    checksum(h);
    add(&B, h, BLOCK);
    end(&B);
    refused(&B, "ambiguous", "name field with bytes after its NUL");
    start(&B);
    entry(&B, "", '0', NULL, 0);
    end(&B);
    refused(&B, "ambiguous", "without a name");
    const char *dots[] = {"bag/f/.", "bag/d/./", "bag/..", "."};
    for (size_t i = 0; i < sizeof(dots) / sizeof(*dots); i++) {
        start(&B);
        entry(&B, dots[i], dots[i][strlen(dots[i]) - 1] == '/' ? '5' : '0', NULL, 0);
        end(&B);
        refused(&B, "ambiguous", "ending in '.' or '..'");
    }
}

static void test_extended_sequences(void **state)
{
    (void)state;
    start(&B); /* GNU long name, then a pax path: libarchive and GNU tar differ (issue 11) */
    ext(&B, 'L', "bag/long\0", 9);
    pax(&B, "16 path=bag/pax\n");
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "followed by another");
    start(&B);
    pax(&B, "16 path=bag/pax\n");
    ext(&B, 'L', "bag/long\0", 9);
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "followed by another");
    start(&B);
    pax(&B, "16 path=bag/pax\n");
    pax(&B, "16 path=bag/pbx\n");
    entry(&B, "bag/f", '0', NULL, 0);
    end(&B);
    refused(&B, "ambiguous", "followed by another");
    start(&B);
    ext(&B, 'L', "bag/long\0", 9);
    ext(&B, 'L', "bag/lonh\0", 9);
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "followed by another");
    start(&B); /* a pax global header carrying a path (issue 11) */
    ext(&B, 'g', "16 path=bag/pax\n", 16);
    entry(&B, "bag/f", '0', NULL, 0);
    end(&B);
    refused(&B, "ambiguous", "global header");
    start(&B);
    ext(&B, 'K', "target\0", 7);
    entry(&B, "bag/f", '2', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "long link");
    start(&B); /* followed by the end marker */
    pax(&B, "16 path=bag/pax\n");
    end(&B);
    refused(&B, "ambiguous", "followed by the end of the archive");
    start(&B); /* followed by nothing at all */
    pax(&B, "16 path=bag/pax\n");
    refused(&B, "ambiguous", "not followed by its entry");
    start(&B); /* 'L' not NUL-terminated, bytes after its NUL, not as GNU tar writes it */
    ext(&B, 'L', "bag/long", 8);
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "not terminated by a NUL");
    start(&B);
    ext(&B, 'L', "bag/long\0x", 10);
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "bytes after its NUL");
    start(&B);
    {
        unsigned char h[BLOCK];

        header(h, "././@LongLink", 'L', 9, 0);
        add(&B, h, BLOCK);
        add(&B, "bag/long", 9);
    }
    entry(&B, "bag/f", '0', NULL, 1);
    end(&B);
    refused(&B, "ambiguous", "not as GNU tar writes it");
}

static void test_pax_records(void **state)
{
    static const struct {
        const char *rec;
        const char *why; /* NULL: accepted */
        size_t len;      /* 0: strlen(rec) */
    } cases[] = {
        {"15 path=bag/pax\n", "does not end it at a newline", 0},
        {"13 path=bag/pax\n", "does not end it at a newline", 0},
        {"016 path=bag/pax\n", "without a decimal length", 0},
        {"16 path=bag/pax\nxx", "without a decimal length", 0},
        {"16 path=bag/pax\n\0\0\0\0", "without a decimal length", 20},
        {"16 path=bag/pax\n16 path=bag/pbx\n", "given twice", 0},
        {"19 linkpath=/etc/x\n", "linkpath on an entry that is not a link", 0},
        {"21 GNU.sparse.size=1\n", "'GNU.sparse.size' is not one", 0},
        {"25 SCHILY.xattr.user.x=1\n", "'SCHILY.xattr.user.x' is not one", 0},
        {"16 charset=UTF8\n", "'charset' is not one", 0},
        {"21 hdrcharset=BINARY\n", "hdrcharset other than UTF-8", 0},
        {"38 hdrcharset=ISO-IR 10646 2000 UTF-8\n", NULL, 0},
        {"8 path=\n", "empty value", 0},
        {"18 path=bag/a\0b/c\n", "NUL", 18},
        {"16 path=bag/\xff\xfex\n", "not UTF-8", 0},
        {"20 path=bag/e\xcc\x81.txt\n", "not in Unicode NFC", 0},
        {"9 size=4\n", "pax size 4 differs from the header's 0", 0},
        {"11 size=00\n", "not a decimal number", 0},
        {"11 mtime=x\n", "not a time", 0},
        {"24 mtime=99999999999999\n", "not a time", 0},
        {"12 uid=1000\n", NULL, 0},
        {"19 uid=99999999999\n", "below 10^9", 0},
        {"15 uname=a\nb=1\n", "newline", 0},
        {"17 comment=hello\n", NULL, 0},
        {"5 a=\n", "'a' is not one", 0},
        {"4 =\n", "does not end it", 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const char *r = cases[i].rec;
        size_t n = cases[i].len ? cases[i].len : strlen(r);

        start(&B);
        ext(&B, 'x', r, n);
        entry(&B, "bag/f", '0', NULL, 0);
        end(&B);
        if (cases[i].why)
            refused(&B, "ambiguous", cases[i].why);
        else
            accepted(&B, "bag/f", ARTBAG_TARENTRY_FILE, 0);
    }
}

static void test_end(void **state)
{
    unsigned char z[BLOCK] = {0};
    struct tarb second;

    (void)state;
    start(&B); /* an entry after the end marker */
    end(&B);
    entry(&B, "bag/hidden", '0', "x", 0);
    end(&B);
    refused(&B, "archive", "after the end-of-archive marker");
    start(&B); /* a second archive concatenated */
    end(&B);
    start(&second);
    end(&second);
    memcpy(B.p + B.len, second.p, second.len);
    B.len += second.len;
    refused(&B, "archive", "after the end-of-archive marker");
    start(&B); /* one zero block, then an entry: readers stop at the lone block */
    add(&B, z, BLOCK);
    entry(&B, "bag/hidden", '0', "x", 0);
    end(&B);
    refused(&B, "archive", "after the end-of-archive marker");
    start(&B);
    add(&B, z, BLOCK);
    refused(&B, "archive", "without its end-of-archive marker");
    start(&B);
    refused(&B, "archive", "without its end-of-archive marker");
    start(&B); /* padding zeros after the marker are what tar writes */
    end(&B);
    end(&B);
    accepted(&B, NULL, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writers),
        cmocka_unit_test(test_checksum_and_magic),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_extended_sequences),
        cmocka_unit_test(test_pax_records),
        cmocka_unit_test(test_end),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
