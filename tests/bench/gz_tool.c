/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* gz_tool.c - compresses or inflates stdin to stdout with artbag's gzip layer, for gz_bench.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive/gz.h"

#define CHUNK (64 * 1024)

static int usage(void)
{
    fputs("usage: gz_tool -c|-d [-j N] <in >out\n", stderr);
    return 2;
}

static int compress_stdin(int threads, struct artbag_error *err)
{
    static unsigned char buf[CHUNK];
    struct artbag_gzw *g;
    ssize_t n;
    int rc = artbag_gzw_new(&g, 1, "<stdout>", err);

    if (rc != ARTBAG_OK)
        return rc;
    artbag_gzw_set_threads(g, threads);
    while ((n = read(0, buf, sizeof(buf))) > 0)
        if ((rc = artbag_gzw_write(g, buf, (size_t)n, err)) != ARTBAG_OK)
            goto cleanup;
    if (n < 0)
        rc = artbag_error_set(err, ARTBAG_EIO, "'<stdin>': %s", strerror(errno));
    else
        rc = artbag_gzw_finish(g, err);
cleanup:
    artbag_gzw_free(g);
    return rc;
}

static int inflate_stdin(int threads, struct artbag_error *err)
{
    static unsigned char buf[CHUNK];
    struct artbag_instream *s;
    ssize_t n;
    int rc = artbag_instream_open(&s, NULL, 0, err);

    if (rc != ARTBAG_OK)
        return rc;
    artbag_instream_set_threads(s, threads);
    while ((n = artbag_instream_read(s, buf, sizeof(buf), err)) > 0)
        if (artbag_write_all(1, buf, (size_t)n) < 0) {
            n = artbag_error_set(err, ARTBAG_EIO, "'<stdout>': %s", strerror(errno));
            break;
        }
    artbag_instream_close(s);
    return n < 0 ? (int)n : ARTBAG_OK;
}

int main(int argc, char **argv)
{
    struct artbag_error err = {0};
    int threads = 0, mode = 0, opt, rc;

    while ((opt = getopt(argc, argv, "cdj:")) != -1) {
        if (opt == 'c' || opt == 'd')
            mode = opt;
        else if (opt == 'j')
            threads = atoi(optarg);
        else
            return usage();
    }
    if (!mode || optind != argc)
        return usage();
    rc = mode == 'c' ? compress_stdin(threads, &err) : inflate_stdin(threads, &err);
    if (rc != ARTBAG_OK) {
        fprintf(stderr, "gz_tool: %s\n", err.msg);
        return rc == ARTBAG_EREJECT ? 1 : 3;
    }
    return 0;
}
