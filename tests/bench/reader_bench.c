/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * reader_bench.c - the article reader alone (artbag_article_parse), for run.sh's reader figure.
 *
 *   reader_bench [-n RUNS] LIST     CPU time of reading every article named in LIST
 *   reader_bench --dump LIST        what the reader found in each, as metadata.json + warnings
 *
 * LIST holds one path a line. Every article is read into memory first, so only the reader is
 * timed: no open, read or hash. The figure is this process's CPU time
 * (CLOCK_PROCESS_CPUTIME_ID) for one pass over all the articles, the fastest of RUNS passes:
 * CPU time, not wall time, because the machine is shared and a neighbour's burst would
 * otherwise count as the reader's. Each batch of 64 articles is touched just before it is
 * timed, since pack parses an article right after read() brought it into cache; the cold
 * figure (one pass straight through, every article from memory) is printed too. --dump prints
 * everything the reader returned, so that a faster reader can be shown to give the same
 * results (diff two dumps).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article/article.h"

struct text {
    char *path;
    unsigned char *data;
    size_t len;
};

static int usage(void)
{
    fputs("usage: reader_bench [-n RUNS] LIST | reader_bench --dump LIST\n", stderr);
    return 2;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, got;

    if (!f)
        return NULL;
    do {
        if (n == cap) {
            unsigned char *p = realloc(buf, cap = cap ? cap * 2 : 16384);

            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

#define BATCH 64 /* articles touched, then parsed: about 500 KB of the bench corpus */

static volatile unsigned sink; /* keeps the touching of each batch from being optimised away */

static int parse_one(const struct text *t)
{
    struct artbag_article_info info = {0};
    struct artbag_error err = {0};
    int rc = artbag_article_parse(t->data, t->len, &info, &err) != 0;

    artbag_article_info_release(&info);
    return rc;
}

static double cpu_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Everything the reader returned for one article: metadata.json as pack would write it (with a
 * fixed payload file, so only the reader's fields vary), then its warnings and status. */
static void dump(const struct text *t)
{
    struct artbag_article_info info = {0};
    struct artbag_error err = {0};
    struct artbag_buf out = ARTBAG_BUF_INIT;
    struct artbag_payload_file pf = {"data/article.md", t->len, "0", "text/markdown", NULL};
    int rc = artbag_article_parse(t->data, t->len, &info, &err);

    printf("== %s: rc %d%s%s\n", t->path, rc, rc ? " " : "", rc ? err.msg : "");
    if (rc == 0 && artbag_metadata_write(&out, &info, &pf, &err) == 0)
        fwrite(out.data, 1, out.len, stdout);
    for (size_t i = 0; i < info.n_warnings; i++)
        printf("warning: %s\n", info.warnings[i]);
    artbag_buf_release(&out);
    artbag_article_info_release(&info);
}

int main(int argc, char **argv)
{
    struct text *texts = NULL;
    size_t n = 0, cap = 0, bytes = 0;
    int runs = 3, dumping = 0, i;
    double best = -1, best_wall = 0, best_cold = -1;
    char line[4096];
    FILE *list;

    for (i = 1; i < argc - 1; i++) {
        if (strcmp(argv[i], "--dump") == 0)
            dumping = 1;
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc - 1)
            runs = atoi(argv[++i]);
        else
            return usage();
    }
    if (i != argc - 1 || runs < 1)
        return usage();
    list = fopen(argv[i], "r");
    if (!list) {
        perror(argv[i]);
        return 1;
    }
    while (fgets(line, sizeof(line), list)) {
        line[strcspn(line, "\n")] = '\0';
        if (!*line)
            continue;
        if (n == cap) {
            struct text *p = realloc(texts, (cap = cap ? cap * 2 : 1024) * sizeof(*texts));

            if (!p)
                return 1;
            texts = p;
        }
        texts[n].path = strdup(line);
        texts[n].data = slurp(line, &texts[n].len);
        if (!texts[n].path || !texts[n].data) {
            fprintf(stderr, "reader_bench: cannot read '%s'\n", line);
            return 1;
        }
        bytes += texts[n].len;
        n++;
    }
    fclose(list);
    if (dumping) {
        for (size_t k = 0; k < n; k++)
            dump(&texts[k]);
        return 0;
    }
    for (int r = 0; r < runs; r++) {
        double c, w, c_cold;
        size_t bad = 0;

        /* Warm: pack reads each article into a buffer just before parsing it, so the reader
         * finds it in cache (read() paid for memory, and counts as pack's I/O). So each batch
         * of BATCH articles (a few hundred KB) is touched, untimed, before it is parsed. */
        c = w = 0;
        for (size_t k0 = 0; k0 < n; k0 += BATCH) {
            size_t k1 = k0 + BATCH < n ? k0 + BATCH : n;
            double c0, w0;

            for (size_t k = k0; k < k1; k++)
                for (size_t b = 0; b < texts[k].len; b += 64)
                    sink += texts[k].data[b];
            c0 = cpu_ms();
            w0 = wall_ms();
            for (size_t k = k0; k < k1; k++)
                bad += parse_one(&texts[k]);
            c += cpu_ms() - c0;
            w += wall_ms() - w0;
        }
        /* Cold: one pass straight through all of them, so that every article comes from memory
         * (157 MB on the bench corpus, far past any cache): what the reader costs when its
         * input is not in cache, shown beside the figure. */
        c_cold = cpu_ms();
        for (size_t k = 0; k < n; k++)
            bad += parse_one(&texts[k]);
        c_cold = cpu_ms() - c_cold;
        if (bad)
            fprintf(stderr, "reader_bench: %zu articles refused\n", bad / 2);
        if (best < 0 || c < best) {
            best = c;
            best_wall = w;
        }
        if (best_cold < 0 || c_cold < best_cold)
            best_cold = c_cold;
    }
    /* one line run.sh reads: cpu ms (warm), wall ms of that pass, articles, bytes, cpu ms (cold) */
    printf("%.0f %.0f %zu %zu %.0f\n", best, best_wall, n, bytes, best_cold);
    for (size_t k = 0; k < n; k++) {
        free(texts[k].path);
        free(texts[k].data);
    }
    free(texts);
    return 0;
}
