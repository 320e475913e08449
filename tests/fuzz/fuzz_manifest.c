/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_manifest.c - libFuzzer target for manifest and tag manifest parsing
 * (artbag_manifest_parse) and manifest path decoding (artbag_path_decode).
 *
 * Input: one flag byte, then the manifest's bytes. The flag byte picks the algorithm, payload or
 * tag manifest, and BagIt 1.0 (percent-encoded paths) or 0.97. As in bagcheck.c, the bytes go
 * through artbag_tagfile_decode("UTF-8") first, which is what guarantees the parser UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_manifest m = {0};
    struct artbag_buf utf8 = ARTBAG_BUF_INIT, dec = ARTBAG_BUF_INIT;
    struct artbag_report *r;
    char name[64], *text;
    int alg, is_tag, encoded;

    if (size < 1)
        return 0;
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
            artbag_manifest_parse(text, utf8.len, name, alg, is_tag, encoded, &m, r);
            artbag_manifest_release(&m);
            free(text);
        }
    }
    artbag_buf_release(&utf8);
    artbag_report_free(r);
    return 0;
}
