/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_profile.c - libFuzzer target for BagIt Profiles: artbag_profile_parse() on the profile's
 * JSON and, when it is accepted, artbag_profile_judge() on a bag described by the rest.
 *
 * Input: one flag byte (bits 0-1 the container, bits 2-5 the compression, bit 6 BagIt 0.97
 * rather than 1.0, bit 7 bagit.txt unreadable), then the profile's JSON up to a NUL, then
 * bag-info.txt up to a NUL, then the bag's file paths, one a line (a file's size is its line's
 * length, so zero-byte files come from empty names).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "bagit/bagit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct files {
    const char *text;
    size_t len;
};

/* Each line of the file list as a path, through a copy so the NUL the callee sees is its own. */
static int each(void *ctx, artbag_profile_file_fn *fn, void *arg)
{
    const struct files *f = ctx;
    const char *p = f->text, *end = f->text + f->len;
    int rc = ARTBAG_OK;

    while (p < end && rc == ARTBAG_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *path = malloc(n + 1);

        if (!path)
            return ARTBAG_EIO;
        memcpy(path, p, n);
        path[n] = '\0';
        rc = fn(arg, path, n);
        free(path);
        p += n + 1;
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_profile *p = NULL;
    struct artbag_baginfo info = {0};
    struct artbag_profile_facts facts = {0};
    struct artbag_report *r = NULL;
    struct files files = {"", 0};
    const uint8_t *json, *nul, *bi = NULL;
    size_t json_len, bi_len = 0;
    char *copy = NULL, *bicopy = NULL;

    if (size < 1)
        return 0;
    facts.container = data[0] & 3;
    facts.compression = (data[0] >> 2) & 15;
    facts.have_version = !(data[0] & 0x80);
    facts.major = data[0] & 0x40 ? 0 : 1;
    facts.minor = data[0] & 0x40 ? 97 : 0;
    json = data + 1;
    nul = memchr(json, 0, size - 1);
    json_len = nul ? (size_t)(nul - json) : size - 1;
    if (nul) {
        const uint8_t *rest = nul + 1, *end = data + size,
                      *nul2 = memchr(rest, 0, (size_t)(end - rest));

        bi = rest;
        bi_len = nul2 ? (size_t)(nul2 - rest) : (size_t)(end - rest);
        if (nul2) {
            files.text = (const char *)nul2 + 1;
            files.len = (size_t)(end - nul2 - 1);
        }
    }
    if (!(copy = exact_copy(json, json_len)) ||
        artbag_profile_parse(copy, json_len, &p, NULL) != ARTBAG_OK)
        goto cleanup;
    artbag_profile_id(p);
    if (!(r = artbag_report_new("fuzz")))
        goto cleanup;
    if (bi && (bicopy = exact_copy(bi, bi_len)) &&
        artbag_utf8_check((const unsigned char *)bicopy, bi_len, NULL) == ARTBAG_OK &&
        artbag_baginfo_parse(bicopy, bi_len, &info, r) == ARTBAG_OK)
        facts.info = &info;
    facts.each_file = each;
    facts.files_ctx = &files;
    artbag_profile_judge(p, &facts, r);
cleanup:
    artbag_baginfo_release(&info);
    artbag_report_free(r);
    artbag_profile_free(p);
    free(bicopy);
    free(copy);
    return 0;
}
