/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_call.c - unit tests for call.c: a cancel token stops the call it is given and no other,
 * and threads the call starts; progress reaches the callback with the bytes read; an option
 * struct is read only as far as the caller's size, and refused uninitialised. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "util/util.h"

static char dir[] = "/tmp/artbag-test-call.XXXXXX";
static char bag[sizeof(dir) + 16];

/* A bag directory whose one payload file is 3 MiB, so reading it crosses the 1 MiB steps. */
static void write_file(const char *path, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
}

static int setup(void **state)
{
    size_t n = 3u << 20;
    unsigned char *big = malloc(n), md[32];
    char path[256], line[128];
    unsigned int len = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(bag, sizeof(bag), "%s/bag", dir);
    assert_int_equal(mkdir(bag, 0755), 0);
    snprintf(path, sizeof(path), "%s/data", bag);
    assert_int_equal(mkdir(path, 0755), 0);
    for (size_t i = 0; i < n; i++)
        big[i] = (unsigned char)(i * 131 + 7);
    snprintf(path, sizeof(path), "%s/data/big.bin", bag);
    write_file(path, big, n);
    assert_int_equal(EVP_Digest(big, n, md, &len, EVP_sha256(), NULL), 1);
    for (unsigned i = 0; i < 32; i++)
        snprintf(line + 2 * i, 3, "%02x", md[i]);
    strcat(line, "  data/big.bin\n");
    snprintf(path, sizeof(path), "%s/manifest-sha256.txt", bag);
    write_file(path, line, strlen(line));
    snprintf(path, sizeof(path), "%s/bagit.txt", bag);
    {
        static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

        write_file(path, bagit, strlen(bagit));
    }
    free(big);
    return 0;
}

static int teardown(void **state)
{
    char cmd[256];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_token(void **state)
{
    struct artbag_cancel_token *t = artbag_cancel_token_new();

    (void)state;
    assert_non_null(t);
    assert_false(artbag_cancel_token_triggered(t));
    artbag_cancel_token_trigger(t);
    assert_true(artbag_cancel_token_triggered(t));
    artbag_cancel_token_trigger(t); /* twice is fine */
    assert_true(artbag_cancel_token_triggered(t));
    artbag_cancel_token_free(t);
    artbag_cancel_token_free(NULL);
    assert_false(artbag_cancel_token_triggered(NULL));
}

/* A triggered token stops the call given it ("interrupted"), and the same call without it, or
 * with a fresh token, is not affected: cancellation is per call, not per process. */
static void test_cancel_per_call(void **state)
{
    struct artbag_cancel_token *stop = artbag_cancel_token_new(),
                               *other = artbag_cancel_token_new();
    struct artbag_verify_options o;
    struct artbag_report *r = NULL;
    struct artbag_error err = {0};

    (void)state;
    artbag_cancel_token_trigger(stop);
    artbag_verify_options_init(&o);
    o.cancel = stop;
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_EIO);
    assert_null(r);
    assert_non_null(strstr(err.msg, "interrupted"));

    o.cancel = other;
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_OK);
    assert_true(r->valid);
    artbag_report_free(r);
    o.cancel = NULL;
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_OK);
    assert_true(r->valid);
    artbag_report_free(r);
    assert_false(artbag_cancelled()); /* the scope is gone with the call */
    artbag_cancel_token_free(stop);
    artbag_cancel_token_free(other);
}

static void *report_cancelled(void *arg)
{
    *(int *)arg = artbag_cancelled();
    return NULL;
}

/* Threads started inside a call answer to its token; threads started outside do not. */
static void test_threads_adopt(void **state)
{
    struct artbag_cancel_token *t = artbag_cancel_token_new();
    struct artbag_call call;
    pthread_t tid;
    int seen = -1;

    (void)state;
    artbag_cancel_token_trigger(t);
    artbag_call_enter(&call, "verify", t, NULL, NULL);
    assert_true(artbag_cancelled());
    assert_int_equal(artbag_thread_start(&tid, report_cancelled, &seen), ARTBAG_OK);
    pthread_join(tid, NULL);
    assert_int_equal(seen, 1);
    artbag_call_leave(&call);
    assert_false(artbag_cancelled());
    assert_int_equal(artbag_thread_start(&tid, report_cancelled, &seen), ARTBAG_OK);
    pthread_join(tid, NULL);
    assert_int_equal(seen, 0);
    artbag_cancel_token_free(t);
}

struct seen {
    int calls;
    uint64_t last_bytes;
    int monotonic;
    pthread_t caller;
    int other_thread;
    char op[16];
};

static void on_progress(void *ctx, const struct artbag_progress *p)
{
    struct seen *s = ctx;

    if (p->bytes_done < s->last_bytes)
        s->monotonic = 0;
    s->last_bytes = p->bytes_done;
    if (!pthread_equal(pthread_self(), s->caller))
        s->other_thread = 1;
    snprintf(s->op, sizeof(s->op), "%s", p->operation);
    s->calls++;
}

/* Reading 3 MiB reports at least at each MiB and at the end, in the calling thread, with the
 * bytes only growing; a bundle file reports its size as the total and reaches it. */
static void test_progress(void **state)
{
    struct seen s = {0, 0, 1, pthread_self(), 0, ""};
    struct artbag_verify_options o;
    struct artbag_report *r = NULL;
    struct artbag_error err = {0};

    (void)state;
    artbag_verify_options_init(&o);
    o.on_progress = on_progress;
    o.progress_ctx = &s;
    o.threads = 2;
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_OK);
    assert_true(r->valid);
    artbag_report_free(r);
    assert_true(s.calls >= 4);
    assert_true(s.monotonic);
    assert_false(s.other_thread);
    assert_true(s.last_bytes >= 3u << 20);
    assert_string_equal(s.op, "verify");
}

/* An option struct is read as far as the caller's size: a caller built before `cancel`
 * existed cannot have set it, so what lies past its size is ignored; size 0 is refused. */
static void test_options_size(void **state)
{
    struct artbag_cancel_token *stop = artbag_cancel_token_new();
    struct artbag_verify_options o;
    struct artbag_report *r = NULL;
    struct artbag_error err = {0};

    (void)state;
    artbag_cancel_token_trigger(stop);
    artbag_verify_options_init(&o);
    assert_int_equal(o.size, sizeof(o));
    o.cancel = stop;
    o.size = offsetof(struct artbag_verify_options, cancel);
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_OK);
    assert_true(r->valid);
    artbag_report_free(r);

    memset(&o, 0, sizeof(o));
    o.input_fd = -1;
    assert_int_equal(artbag_verify(bag, &o, &r, &err), ARTBAG_EUSAGE);
    assert_null(r);
    assert_non_null(strstr(err.msg, "artbag_verify_options_init"));
    artbag_cancel_token_free(stop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token),         cmocka_unit_test(test_cancel_per_call),
        cmocka_unit_test(test_threads_adopt), cmocka_unit_test(test_progress),
        cmocka_unit_test(test_options_size),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
