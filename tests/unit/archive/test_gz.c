/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_gz.c - unit tests for the parallel gzip writer (gzwrite.c) and the gzip paths of
 * instream.c: identical bytes at every thread count, readable by gzip and tar, and every
 * corruption, truncation or lie rejected, from a file and from a pipe. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "archive/gz.h"

#define B ARTBAG_GZ_BLOCK

/* Each test works in its own temporary directory, removed only when the test passed. */
struct fixture {
    char dir[64];
    int passed;
};

static char *tpath(void **state, const char *name)
{
    static char path[256];
    struct fixture *f = *state;

    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    return path;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/test_gz.XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    if (f->passed) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
        if (system(cmd) != 0)
            return -1;
    } else {
        fprintf(stderr, "test_gz: kept %s\n", f->dir);
    }
    free(f);
    return 0;
}

/* Runs a shell command in the test's directory; its exit status. */
static int run(void **state, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
static int run(void **state, const char *fmt, ...)
{
    struct fixture *f = *state;
    char cmd[1024];
    va_list ap;
    int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", f->dir);

    va_start(ap, fmt);
    assert_true(vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap) < (int)sizeof(cmd) - n);
    va_end(ap);
    return system(cmd);
}

static void passed(void **state)
{
    ((struct fixture *)*state)->passed = 1;
}

/* ---- data ---------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Incompressible bytes, or article-like words that deflate the way bundles do. */
static unsigned char *make_data(int text, size_t len, uint64_t seed)
{
    static const char *words[] = {"the",   "of",          "and",     "cyber",  "attack", "Sony",
                                  "China", "ministry",    "said",    "Monday", "in",     "a",
                                  "to",    "statement",   "North",   "Korea",  "film",   "that",
                                  "was",   "researchers", "climate", "2014",   "AFP",    "with"};
    unsigned char *p = malloc(len ? len : 1);
    uint64_t x = seed * 2654435761u + 88172645463325252ull;
    size_t i = 0;

    assert_non_null(p);
    while (i < len) {
        uint64_t r = rng_next(&x);

        if (!text) {
            p[i++] = (unsigned char)(r >> 32);
            continue;
        }
        const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
        for (size_t k = 0; w[k] && i < len; k++)
            p[i++] = (unsigned char)w[k];
        if (i < len)
            p[i++] = (r >> 40) % 17 == 0 ? '\n' : ((r >> 40) % 11 == 0 ? '.' : ' ');
    }
    return p;
}

static void write_file(const char *path, const void *p, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_int_equal(artbag_write_all(fd, p, len), 0);
    assert_int_equal(close(fd), 0);
}

/* Compresses p with the writer on threads threads, writing in uneven pieces as tar does. */
static unsigned char *gzw_compress(const unsigned char *p, size_t len, int threads,
                                   const char *path, size_t *out_len)
{
    struct artbag_error err = {0};
    struct artbag_gzw *g;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t off = 0, step = 10240 - 7;

    assert_true(fd >= 0);
    assert_int_equal(artbag_gzw_new(&g, fd, path, &err), ARTBAG_OK);
    artbag_gzw_set_threads(g, threads);
    while (off < len) {
        size_t k = len - off < step ? len - off : step;

        assert_int_equal(artbag_gzw_write(g, p + off, k, &err), ARTBAG_OK);
        off += k;
        step = step * 3 % 300007 + 1;
    }
    assert_int_equal(artbag_gzw_finish(g, &err), ARTBAG_OK);
    artbag_gzw_free(g);
    assert_int_equal(close(fd), 0);
    return test_read_file(path, out_len);
}

/* ---- reading through instream, from a file or a pipe ---------------------------------- */

struct feeder {
    int fd;
    const unsigned char *p;
    size_t len;
};

/* Writes into the pipe in small pieces, so the reader sees short reads; stops when refused. */
static void *feed(void *arg)
{
    struct feeder *fd = arg;
    size_t off = 0;

    while (off < fd->len) {
        size_t k = fd->len - off < 4099 ? fd->len - off : 4099;
        ssize_t n = write(fd->fd, fd->p + off, k);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    close(fd->fd);
    return NULL;
}

struct decoded {
    int rc; /* ARTBAG_OK or the failing status */
    unsigned char *data;
    size_t len;
    int zeros;
    char msg[ARTBAG_ERROR_MAX];
};

/* Reads the gzip in bytes through artbag_instream: from path, or through a pipe when NULL. */
static void decode(const char *path, const unsigned char *bytes, size_t len, int threads,
                   struct decoded *d)
{
    struct artbag_error err = {0};
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_instream *s = NULL;
    struct feeder fe;
    pthread_t tid;
    int pfd[2] = {-1, -1};
    static unsigned char tmp[100003];
    ssize_t n = 0;

    memset(d, 0, sizeof(*d));
    if (path) {
        write_file(path, bytes, len);
    } else {
        assert_int_equal(pipe(pfd), 0);
        fe.fd = pfd[1];
        fe.p = bytes;
        fe.len = len;
        assert_int_equal(pthread_create(&tid, NULL, feed, &fe), 0);
    }
    d->rc = artbag_instream_open(&s, path, pfd[0], &err);
    if (d->rc == ARTBAG_OK) {
        assert_int_equal(artbag_instream_kind(s), ARTBAG_INSTREAM_GZIP);
        artbag_instream_set_threads(s, threads);
        while ((n = artbag_instream_read(s, tmp, sizeof(tmp), &err)) > 0)
            assert_int_equal(artbag_buf_append(&b, tmp, (size_t)n), ARTBAG_OK);
        d->rc = (int)n;
        if (n < 0) {
            /* A failed stream keeps failing rather than resuming past the damage. */
            assert_true(artbag_instream_read(s, tmp, sizeof(tmp), &err) < 0);
        }
        d->zeros = artbag_instream_trailing_zeros(s);
    }
    snprintf(d->msg, sizeof(d->msg), "%s", err.msg);
    artbag_instream_close(s);
    if (!path) {
        close(pfd[0]);
        pthread_join(tid, NULL);
    }
    if (!b.data)
        artbag_buf_append(&b, "", 0);
    d->data = (unsigned char *)artbag_buf_detach(&b, &d->len);
}

/* Every way of reading (file, pipe; 1, 2 and 4 threads) gives back want exactly. */
static void check_decodes(void **state, const unsigned char *gz, size_t gz_len,
                          const unsigned char *want, size_t want_len)
{
    static const int threads[] = {1, 2, 4};

    for (int via_pipe = 0; via_pipe < 2; via_pipe++)
        for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
            struct decoded d;

            decode(via_pipe ? NULL : tpath(state, "in.gz"), gz, gz_len, threads[t], &d);
            if (d.rc != ARTBAG_OK)
                fail_msg("decode (pipe %d, %d threads): %s", via_pipe, threads[t], d.msg);
            assert_int_equal(d.len, want_len);
            assert_memory_equal(d.data, want, want_len);
            free(d.data);
        }
}

/*
 * Every way of reading gz fails with the status of a rejected input, and with a message
 * containing must when that is not NULL.
 */
static void check_rejects_msg(void **state, const unsigned char *gz, size_t gz_len,
                              const char *what, const char *must)
{
    static const int threads[] = {1, 2, 4};

    for (int via_pipe = 0; via_pipe < 2; via_pipe++)
        for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
            struct decoded d;

            decode(via_pipe ? NULL : tpath(state, "bad.gz"), gz, gz_len, threads[t], &d);
            free(d.data);
            if (d.rc == ARTBAG_OK)
                fail_msg("%s accepted (pipe %d, %d threads)", what, via_pipe, threads[t]);
            assert_int_equal(d.rc, ARTBAG_EREJECT);
            assert_true(d.msg[0] != '\0');
            if (must && !strstr(d.msg, must))
                fail_msg("%s: message \"%s\" lacks \"%s\"", what, d.msg, must);
        }
}

static void check_rejects(void **state, const unsigned char *gz, size_t gz_len, const char *what)
{
    check_rejects_msg(state, gz, gz_len, what, NULL);
}

/* Member boundaries of a file of ours, read from the size subfields: starts[0..n], n returned. */
static size_t members(const unsigned char *gz, size_t len, size_t *starts, size_t max)
{
    size_t n = 0, off = 0;

    while (off < len) {
        assert_true(n < max);
        assert_true(len - off >= ARTBAG_GZ_HEADER + ARTBAG_GZ_TRAILER);
        starts[n++] = off;
        off += (size_t)gz[off + 16] | (size_t)gz[off + 17] << 8 | (size_t)gz[off + 18] << 16 |
               (size_t)gz[off + 19] << 24;
    }
    assert_int_equal(off, len);
    starts[n] = len;
    return n;
}

/* ---- writer ---------------------------------------------------------------------------- */

static void check_header(const unsigned char *h)
{
    /* gzip magic, deflate, FEXTRA only, mtime 0, XFL 0 (level 6), OS 3, XLEN 8, 'A' 'B' LEN 4 */
    static const unsigned char want[16] = {0x1f, 0x8b, 8, 4, 0,   0,   0, 0,
                                           0,    3,    8, 0, 'A', 'B', 4, 0};

    assert_memory_equal(h, want, sizeof(want));
}

/* Round trip of one input: same bytes from 1, 2 and 4 threads, and gzip reads them back. */
static void round_trip(void **state, int text, size_t len)
{
    unsigned char *p = make_data(text, len, len + (size_t)text);
    unsigned char *gz[3], *back;
    size_t gz_len[3], back_len, starts[64], n;

    gz[0] = gzw_compress(p, len, 1, tpath(state, "j1.gz"), &gz_len[0]);
    gz[1] = gzw_compress(p, len, 2, tpath(state, "j2.gz"), &gz_len[1]);
    gz[2] = gzw_compress(p, len, 4, tpath(state, "j4.gz"), &gz_len[2]);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(gz_len[i], gz_len[0]);
        assert_memory_equal(gz[i], gz[0], gz_len[0]);
    }
    /* One member per block, the last one partial; an empty input is one empty member. */
    n = members(gz[0], gz_len[0], starts, 63);
    assert_int_equal(n, len == 0 ? 1 : (len + B - 1) / B);
    for (size_t i = 0; i < n; i++)
        check_header(gz[0] + starts[i]);

    assert_int_equal(run(state, "gzip -t j1.gz && gzip -dc j1.gz > j1.out"), 0);
    back = test_read_file(tpath(state, "j1.out"), &back_len);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, p, len);

    check_decodes(state, gz[0], gz_len[0], p, len);
    for (int i = 0; i < 3; i++)
        free(gz[i]);
    free(back);
    free(p);
}

static void test_round_trip_sizes(void **state)
{
    static const size_t sizes[] = {0, 1, 4095, B - 1, B, B + 1, 3 * B, 10 * B + 12345};

    for (int text = 0; text < 2; text++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
            round_trip(state, text, sizes[i]);
    passed(state);
}

/* A tar made by tar, compressed by artbag, is read by GNU tar and by bsdtar. */
static void test_tar_reads_it(void **state)
{
    unsigned char *p = make_data(1, 3 * B + 777, 42), *tar, *gz, *back;
    size_t tar_len, gz_len, back_len;

    assert_int_equal(mkdir(tpath(state, "src"), 0755), 0);
    write_file(tpath(state, "src/article.md"), p, 3 * B + 777);
    assert_int_equal(run(state, "tar -cf a.tar -C src article.md"), 0);
    tar = test_read_file(tpath(state, "a.tar"), &tar_len);
    gz = gzw_compress(tar, tar_len, 2, tpath(state, "a.tar.gz"), &gz_len);
    /* The default thread count (the online CPUs) writes the same bytes too. */
    assert_true(artbag_gz_default_threads() >= 1);
    back = gzw_compress(tar, tar_len, 0, tpath(state, "default.tar.gz"), &back_len);
    assert_int_equal(back_len, gz_len);
    assert_memory_equal(back, gz, gz_len);
    free(back);
    assert_int_equal(run(state, "mkdir gnu bsd && tar -xzf a.tar.gz -C gnu && "
                                "bsdtar -xzf a.tar.gz -C bsd && cmp gnu/article.md src/article.md "
                                "&& cmp bsd/article.md src/article.md"),
                     0);
    back = test_read_file(tpath(state, "gnu/article.md"), &back_len);
    assert_int_equal(back_len, 3 * B + 777);
    free(back);
    free(gz);
    free(tar);
    free(p);
    passed(state);
}

/* ---- reader: foreign gzip on the sequential path --------------------------------------- */

static unsigned char *gzip_c(void **state, const unsigned char *p, size_t len, const char *name,
                             size_t *gz_len)
{
    write_file(tpath(state, "plain"), p, len);
    assert_int_equal(run(state, "gzip -6 -c plain > '%s'", name), 0);
    return test_read_file(tpath(state, name), gz_len);
}

static unsigned char *concat(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    unsigned char *p = malloc(an + bn + 1);

    assert_non_null(p);
    memcpy(p, a, an);
    if (bn)
        memcpy(p + an, b, bn);
    return p;
}

static void test_foreign_gzip(void **state)
{
    size_t la = 2 * B + 99, lb = 5000, ga, gb, go;
    unsigned char *a = make_data(1, la, 1), *b = make_data(0, lb, 2);
    unsigned char *za = gzip_c(state, a, la, "a.gz", &ga), *zb = gzip_c(state, b, lb, "b.gz", &gb);
    unsigned char *ab = concat(a, la, b, lb), *zab = concat(za, ga, zb, gb);
    unsigned char *ours = gzw_compress(a, la, 2, tpath(state, "ours.gz"), &go);
    unsigned char *mix, *pad;
    struct decoded d;

    check_decodes(state, za, ga, a, la);
    /* `cat a.gz b.gz` is still gzip. */
    check_decodes(state, zab, ga + gb, ab, la + lb);
    /* Our members followed by a foreign one: zlib takes over where our members stop. */
    mix = concat(ours, go, zb, gb);
    check_decodes(state, mix, go + gb, ab, la + lb);
    /* And a foreign member followed by ours is read by zlib throughout. */
    free(mix);
    mix = concat(zb, gb, ours, go);
    free(ab);
    ab = concat(b, lb, a, la);
    check_decodes(state, mix, go + gb, ab, la + lb);

    /* Zero padding after the last member is tolerated and noted, on both paths. */
    pad = calloc(1, go + 4096);
    memcpy(pad, ours, go);
    decode(tpath(state, "pad.gz"), pad, go + 4096, 2, &d);
    assert_int_equal(d.rc, ARTBAG_OK);
    assert_int_equal(d.len, la);
    assert_true(d.zeros);
    free(d.data);
    decode(NULL, pad, go + 3, 2, &d);
    assert_int_equal(d.rc, ARTBAG_OK);
    assert_true(d.zeros);
    free(d.data);
    decode(NULL, ours, go, 2, &d);
    assert_int_equal(d.rc, ARTBAG_OK);
    assert_false(d.zeros);
    free(d.data);

    free(pad);
    free(mix);
    free(ours);
    free(ab);
    free(zab);
    free(za);
    free(zb);
    free(a);
    free(b);
    passed(state);
}

/* ---- reader: rejections ---------------------------------------------------------------- */

/* Damage in a file of ours must be caught by the parallel reader, which names the member. */
static const char *must_ours;

static void reject_flip(void **state, const unsigned char *gz, size_t len, size_t at,
                        unsigned char mask, const char *what)
{
    unsigned char *bad = concat(gz, len, NULL, 0);
    char label[128];

    bad[at] ^= mask;
    snprintf(label, sizeof(label), "%s (byte %zu ^ 0x%02x)", what, at, mask);
    check_rejects_msg(state, bad, len, label, must_ours);
    free(bad);
}

/* Damage in each part of a file of ours, and of a foreign gzip file. */
static void check_damage(void **state, const unsigned char *gz, size_t len, const size_t *starts,
                         size_t n)
{
    for (size_t m = 0; m<n; m += n> 2 ? n - 2 : 1) {
        size_t s = starts[m], e = starts[m + 1];

        reject_flip(state, gz, len, s + ARTBAG_GZ_HEADER + 3, 0x40, "flipped deflate byte");
        reject_flip(state, gz, len, s + (e - s) / 2, 0x01, "flipped deflate byte");
        /* Not the last byte: its high bits may be padding after the end code. */
        reject_flip(state, gz, len, e - 10, 0x01, "flipped deflate byte near the end");
        reject_flip(state, gz, len, e - 8, 0x01, "flipped CRC");
        reject_flip(state, gz, len, e - 5, 0x10, "flipped CRC");
        reject_flip(state, gz, len, e - 4, 0x01, "flipped ISIZE");
        reject_flip(state, gz, len, e - 1, 0x80, "flipped ISIZE");
    }
}

static void test_rejects_damage(void **state)
{
    size_t len = 3 * B + 4321, go, gf, starts[16], n;
    unsigned char *p = make_data(1, len, 7);
    unsigned char *ours = gzw_compress(p, len, 2, tpath(state, "ours.gz"), &go);
    unsigned char *theirs = gzip_c(state, p, len, "theirs.gz", &gf);
    size_t fstarts[2] = {0, gf};

    n = members(ours, go, starts, 15);
    assert_int_equal(n, 4);
    must_ours = "member at byte offset";
    check_damage(state, ours, go, starts, n);
    must_ours = NULL;
    /* gzip's own header is 10 bytes plus the name: start the damage well inside its data. */
    reject_flip(state, theirs, gf, 1000, 0x40, "flipped deflate byte (gzip)");
    reject_flip(state, theirs, gf, gf / 2, 0x01, "flipped deflate byte (gzip)");
    check_damage(state, theirs, gf, fstarts, 1);
    free(theirs);
    free(ours);
    free(p);
    passed(state);
}

static void set_size(unsigned char *h, uint32_t v)
{
    h[16] = (unsigned char)v;
    h[17] = (unsigned char)(v >> 8);
    h[18] = (unsigned char)(v >> 16);
    h[19] = (unsigned char)(v >> 24);
}

static void test_rejects_lying_size(void **state)
{
    size_t len = 3 * B + 4321, go, starts[16], n;
    unsigned char *p = make_data(1, len, 9);
    unsigned char *ours = gzw_compress(p, len, 2, tpath(state, "ours.gz"), &go);
    static const int32_t deltas[] = {1, -1, 8, -8, 100, -100, 4096};

    n = members(ours, go, starts, 15);
    for (size_t m = 0; m < n; m++) {
        uint32_t size = (uint32_t)(starts[m + 1] - starts[m]);

        for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
            unsigned char *bad = concat(ours, go, NULL, 0);

            set_size(bad + starts[m], size + (uint32_t)deltas[i]);
            check_rejects(state, bad, go, "lying size field");
            free(bad);
        }
        /* Sizes no member of ours can have. */
        for (uint32_t v = 0; v < 40; v += 13) {
            unsigned char *bad = concat(ours, go, NULL, 0);

            set_size(bad + starts[m], v);
            check_rejects(state, bad, go, "tiny size field");
            set_size(bad + starts[m], 0xffffffffu - v);
            check_rejects(state, bad, go, "huge size field");
            free(bad);
        }
    }
    free(ours);
    free(p);
    passed(state);
}

/*
 * A member of ours whose deflate data inflates past a block, with an honest size field, CRC
 * and ISIZE: a decompression bomb within the format, which the reader refuses.
 */
static void test_rejects_oversized_member(void **state)
{
    size_t big = B + 1, room = big + 1024;
    unsigned char *zeros = calloc(1, big), *m = malloc(ARTBAG_GZ_HEADER + room + 8);
    unsigned char *ours, *bad;
    size_t go;
    z_stream zs;
    uint32_t crc, total;

    assert_non_null(zeros);
    assert_non_null(m);
    ours = gzw_compress(zeros, 10, 1, tpath(state, "small.gz"), &go);
    memcpy(m, ours, ARTBAG_GZ_HEADER);
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = zeros;
    zs.avail_in = (uInt)big;
    zs.next_out = m + ARTBAG_GZ_HEADER;
    zs.avail_out = (uInt)room;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    total = (uint32_t)(ARTBAG_GZ_HEADER + zs.total_out + 8);
    crc = (uint32_t)crc32(0, zeros, (uInt)big);
    for (int i = 0; i < 4; i++) {
        m[ARTBAG_GZ_HEADER + zs.total_out + (size_t)i] = (unsigned char)(crc >> (8 * i));
        m[ARTBAG_GZ_HEADER + zs.total_out + 4 + (size_t)i] = (unsigned char)(big >> (8 * i));
    }
    deflateEnd(&zs);
    set_size(m, total);
    /* gzip itself takes it: only the block limit stands in the way. */
    write_file(tpath(state, "bomb.gz"), m, total);
    assert_int_equal(run(state, "gzip -t bomb.gz"), 0);
    check_rejects(state, m, total, "member larger than a block");
    /* The same member claiming a small ISIZE (trailer adjusted) is a lie about its length. */
    m[total - 4] = 10;
    m[total - 3] = m[total - 2] = m[total - 1] = 0;
    check_rejects(state, m, total, "member inflating past its ISIZE");
    /* And after a good member, not only first. */
    bad = concat(ours, go, m, total);
    check_rejects(state, bad, go + total, "second member inflating past its ISIZE");
    free(bad);
    free(ours);
    free(m);
    free(zeros);
    passed(state);
}

static void test_rejects_truncation(void **state)
{
    size_t len = 3 * B + 999, go, gf, starts[16], n;
    unsigned char *p = make_data(1, len, 11);
    unsigned char *ours = gzw_compress(p, len, 2, tpath(state, "ours.gz"), &go);
    unsigned char *theirs = gzip_c(state, p, len, "theirs.gz", &gf);
    size_t cuts[64], nc = 0;

    n = members(ours, go, starts, 15);
    /* Just inside each member's header, data and trailer, and a spread of lengths between. A
     * cut exactly at a member boundary leaves valid gzip: the tar's end marker catches it. */
    for (size_t m = 0; m < n; m++) {
        size_t s = starts[m], e = starts[m + 1];
        size_t at[] = {s + 1, s + 2, s + 11, s + 12, s + 19, s + 20, s + 21, e - 9, e - 8, e - 1};

        for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
            if (at[i] >= 2)
                cuts[nc++] = at[i];
    }
    for (size_t i = 1; i < 8; i++)
        cuts[nc++] = go * i / 8 + 3;
    for (size_t i = 0; i < nc; i++) {
        int boundary = 0;

        for (size_t m = 0; m <= n; m++)
            boundary |= cuts[i] == starts[m];
        if (!boundary)
            check_rejects(state, ours, cuts[i], "truncated file");
    }
    for (size_t i = 1; i < 8; i++)
        check_rejects(state, theirs, gf * i / 8, "truncated gzip file");
    check_rejects(state, theirs, gf - 1, "truncated gzip file");
    free(theirs);
    free(ours);
    free(p);
    passed(state);
}

static void test_rejects_garbage_after(void **state)
{
    size_t len = 2 * B + 17, go, gf;
    unsigned char *p = make_data(1, len, 13);
    unsigned char *ours = gzw_compress(p, len, 2, tpath(state, "ours.gz"), &go);
    unsigned char *theirs = gzip_c(state, p, len, "theirs.gz", &gf);
    static const struct {
        const char *bytes;
        size_t len;
    } tails[] = {{"x", 1},
                 {"garbage after the bundle\n", 25},
                 {"\x1f", 1},
                 {"\x1f\x8b", 2},
                 {"\x1f\x8b\x08\x04\0\0\0\0\0\x03\x08\0AB\x04\0\x40\0\0\0", 20},
                 {"\0\0\0\0x", 5},
                 {"\0\0\x1f\x8b\x08\0\0\0\0\0\0\x03", 12}};

    for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        unsigned char *bad = concat(ours, go, (const unsigned char *)tails[i].bytes, tails[i].len);

        check_rejects(state, bad, go + tails[i].len, "garbage after our members");
        free(bad);
        bad = concat(theirs, gf, (const unsigned char *)tails[i].bytes, tails[i].len);
        check_rejects(state, bad, gf + tails[i].len, "garbage after a gzip member");
        free(bad);
    }
    free(theirs);
    free(ours);
    free(p);
    passed(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tar_reads_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_damage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_lying_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_oversized_member, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_garbage_after, setup, teardown),
    };

    /* A reader that rejects a file early closes the pipe its feeder is still writing to. */
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
