/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_baginfo.c - libFuzzer target for the other tag files: bagit.txt
 * (artbag_bagit_txt_parse), tag-file decoding (artbag_tagfile_decode), bag-info.txt
 * (artbag_baginfo_parse, _get, artbag_oxum_parse) and fetch.txt (artbag_fetch_parse).
 *
 * Input: one flag byte (the declared encoding, and 1.0 or 0.97 path encoding), then the bytes.
 * The same bytes are read as bagit.txt, and, decoded as the flag says, as bag-info.txt and
 * fetch.txt, following bagcheck.c's pipeline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "bagit/bagit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const encodings[] = {
    "UTF-8", "ISO-8859-1", "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "latin1", "no-such-charset",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_bagit_decl decl = {0};
    struct artbag_baginfo info = {0};
    struct artbag_fetch fetch = {0};
    struct artbag_buf utf8 = ARTBAG_BUF_INIT;
    struct artbag_report *r;
    const char *enc;
    char *text;
    int encoded;

    if (size < 1)
        return 0;
    enc = encodings[data[0] % (sizeof(encodings) / sizeof(encodings[0]))];
    encoded = !((data[0] >> 3) & 1);
    data++;
    size--;

    r = artbag_report_new("fuzz");
    if (!r)
        return 0;
    text = exact_copy(data, size);
    if (!text)
        goto cleanup;
    artbag_bagit_txt_parse(text, size, &decl, r);
    artbag_bagit_decl_release(&decl);
    free(text);

    if (artbag_tagfile_decode((const char *)data, size, enc, "bag-info.txt", &utf8, r) != ARTBAG_OK)
        goto cleanup;
    text = exact_copy(utf8.data ? utf8.data : "", utf8.len);
    if (!text)
        goto cleanup;
    if (artbag_baginfo_parse(text, utf8.len, &info, r) == ARTBAG_OK) {
        const char *oxum = artbag_baginfo_get(&info, "Payload-Oxum");
        uint64_t bytes, files;

        if (oxum)
            artbag_oxum_parse(oxum, &bytes, &files);
        artbag_baginfo_get(&info, "BagIt-Profile-Identifier");
    }
    artbag_baginfo_release(&info);
    artbag_fetch_parse(text, utf8.len, encoded, &fetch, r);
    artbag_fetch_release(&fetch);
    free(text);
cleanup:
    artbag_buf_release(&utf8);
    artbag_report_free(r);
    return 0;
}
