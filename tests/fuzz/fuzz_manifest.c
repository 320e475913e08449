/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_manifest.c - libFuzzer target for manifest and tag manifest parsing
 * (artbag_manifest_parse) and manifest path decoding (artbag_path_decode).
 *
 * Input: one flag byte, then the manifest's bytes. The flag byte picks the algorithm, payload or
 * tag manifest, and BagIt 1.0 (percent-encoded paths) or 0.97. As in bagcheck.c, the bytes go
 * through artbag_tagfile_decode("UTF-8") first, which is what guarantees the parser UTF-8.
 *
 * A payload manifest is also fed to the streaming parser (artbag_manifest_stream_*, which
 * verify uses) in chunks of 1 to 8 bytes as the flag byte's top bits say: it must report the
 * same findings in the same order and list the same lines as the parser of whole texts, or
 * the target aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "bagit/bagit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the streaming parser listed, kept as the whole-text parser keeps it. */
struct listed {
    struct artbag_manifest m;
    size_t *lines, cap;
};

static int claim(void *arg, const char *path, size_t path_n, const char *raw, size_t raw_n,
                 const char *digest, size_t digest_n, size_t no, size_t *first, int *alike)
{
    struct listed *l = arg;
    struct artbag_manifest_entry *e;

    for (size_t i = 0; i < l->m.n; i++)
        if (strlen(l->m.entries[i].path) == path_n &&
            memcmp(l->m.entries[i].path, path, path_n) == 0) {
            *first = l->lines[i];
            *alike = strlen(l->m.entries[i].digest) == digest_n &&
                     memcmp(l->m.entries[i].digest, digest, digest_n) == 0;
            return 0;
        }
    if (l->m.n == l->cap) {
        size_t ncap = l->cap ? 2 * l->cap : 16;
        void *a = realloc(l->m.entries, ncap * sizeof(*l->m.entries));

        if (!a)
            return -1;
        l->m.entries = a;
        if (!(a = realloc(l->lines, ncap * sizeof(*l->lines))))
            return -1;
        l->lines = a;
        l->cap = ncap;
    }
    e = &l->m.entries[l->m.n];
    e->path = exact_copy(path, path_n + 1);
    e->raw = raw ? exact_copy(raw, raw_n + 1) : NULL;
    e->digest = exact_copy(digest, digest_n + 1);
    if (!e->path || (raw && !e->raw) || !e->digest)
        abort();
    e->path[path_n] = '\0';
    if (e->raw)
        e->raw[raw_n] = '\0';
    e->digest[digest_n] = '\0';
    l->lines[l->m.n++] = no;
    return 1;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The streaming parser over data in chunks of step bytes against what the whole-text one made
 * (m and r, or r alone when the bytes are not UTF-8). */
static void check_stream(const uint8_t *data, size_t size, size_t step, const char *name, int alg,
                         int encoded, int decoded, const struct artbag_manifest *m,
                         const struct artbag_report *r)
{
    struct artbag_manifest_stream *s = NULL;
    struct artbag_report *sr = artbag_report_new("fuzz");
    struct listed l = {{alg, 0, NULL, 0}, NULL, 0};
    int rc = ARTBAG_OK;

    if (!sr || artbag_manifest_stream_new(&s, name, alg, encoded, claim, &l, sr) != ARTBAG_OK)
        abort();
    for (size_t at = 0; at < size && rc == ARTBAG_OK; at += step)
        rc = artbag_manifest_stream_feed(s, (const char *)data + at,
                                         size - at < step ? size - at : step);
    if (rc == ARTBAG_OK)
        rc = artbag_manifest_stream_end(s);
    if (!decoded) {
        char msg[64];

        /* Not UTF-8: the one finding is where, which the stream says instead of reporting. */
        snprintf(msg, sizeof(msg), "invalid UTF-8 at byte offset %zu",
                 artbag_manifest_stream_bad_at(s));
        if (rc != ARTBAG_EREJECT || r->n_problems != 1 || strcmp(r->problems[0].message, msg))
            abort();
    } else {
        if (rc != ARTBAG_OK || sr->n_problems != r->n_problems || l.m.n != m->n)
            abort();
        for (size_t i = 0; i < r->n_problems; i++)
            if (sr->problems[i].severity != r->problems[i].severity ||
                strcmp(sr->problems[i].kind, r->problems[i].kind) ||
                !same_str(sr->problems[i].message, r->problems[i].message) ||
                !same_str(sr->problems[i].expected, r->problems[i].expected) ||
                !same_str(sr->problems[i].actual, r->problems[i].actual))
                abort();
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(l.m.entries[i].path, m->entries[i].path) ||
                !same_str(l.m.entries[i].raw, m->entries[i].raw) ||
                strcmp(l.m.entries[i].digest, m->entries[i].digest))
                abort();
    }
    artbag_manifest_stream_free(s);
    artbag_manifest_release(&l.m);
    free(l.lines);
    artbag_report_free(sr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_manifest m = {0};
    struct artbag_buf utf8 = ARTBAG_BUF_INIT, dec = ARTBAG_BUF_INIT;
    struct artbag_report *r;
    char name[64], *text;
    int alg, is_tag, encoded;
    size_t step;

    if (size < 1)
        return 0;
    step = (size_t)(data[0] >> 5) + 1;
    alg = (data[0] & 0x07) % ARTBAG_N_ALGS;
    is_tag = (data[0] >> 3) & 1;
    encoded = !((data[0] >> 4) & 1);
    data++;
    size--;

    /* The path decoder on its own, over the raw bytes. */
    text = exact_copy(data, size);
    if (!text)
        return 0;
    artbag_path_decode(text, size, &dec);
    artbag_buf_release(&dec);
    free(text);

    r = artbag_report_new("fuzz");
    if (!r)
        return 0;
    snprintf(name, sizeof(name), "%smanifest-%s.txt", is_tag ? "tag" : "", artbag_alg_name(alg));
    {
        int a = -1, t = -1;

        artbag_manifest_name(name, &a, &t);
    }
    if (artbag_tagfile_decode((const char *)data, size, "UTF-8", name, &utf8, r) == ARTBAG_OK) {
        text = exact_copy(utf8.data ? utf8.data : "", utf8.len);
        if (text) {
            if (artbag_manifest_parse(text, utf8.len, name, alg, is_tag, encoded, &m, r) ==
                    ARTBAG_OK &&
                !is_tag)
                check_stream(data, size, step, name, alg, encoded, 1, &m, r);
            artbag_manifest_release(&m);
            free(text);
        }
    } else if (!is_tag) {
        check_stream(data, size, step, name, alg, encoded, 0, &m, r);
    }
    artbag_buf_release(&utf8);
    artbag_report_free(r);
    return 0;
}
