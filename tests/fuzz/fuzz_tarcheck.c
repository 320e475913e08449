/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_tarcheck.c - libFuzzer target for the tar header validator, with the property verify
 * relies on: whenever tarcheck accepts a tar, libarchive reads exactly the entries tarcheck
 * resolved (same offsets, name bytes, types and sizes) and ends cleanly. A mismatch aborts.
 * The input is fed to tarcheck in two pieces, cut where its first byte says, so that headers and
 * records straddling reads are exercised too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "fuzz.h"
#include "archive/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_type(int type, struct archive_entry *ae)
{
    switch (type) {
    case ARTBAG_TARENTRY_FILE:
        return archive_entry_filetype(ae) == AE_IFREG && !archive_entry_hardlink(ae);
    case ARTBAG_TARENTRY_DIR:
        return archive_entry_filetype(ae) == AE_IFDIR;
    default:
        return archive_entry_hardlink(ae) ||
               (archive_entry_filetype(ae) != AE_IFREG && archive_entry_filetype(ae) != AE_IFDIR);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_tarcheck *t;
    struct artbag_tarentry e;
    struct archive *a;
    struct archive_entry *ae;
    char *copy;
    size_t cut = size ? (size_t)data[0] * 37 % (size + 1) : 0;
    int r;

    if (artbag_tarcheck_new(&t) != ARTBAG_OK)
        return 0;
    if (artbag_tarcheck_feed(t, data, cut) != ARTBAG_OK ||
        artbag_tarcheck_feed(t, data + cut, size - cut) != ARTBAG_OK ||
        artbag_tarcheck_finish(t) != ARTBAG_OK) {
        artbag_tarcheck_free(t);
        return 0; /* refused: verify says so, whatever libarchive thinks */
    }
    copy = exact_copy(data, size);
    a = archive_read_new();
    if (!copy || !a)
        abort();
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    if (archive_read_open_memory(a, copy, size) != ARCHIVE_OK)
        abort(); /* tarcheck accepted what libarchive cannot even open */
    while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(ae);

        if (!artbag_tarcheck_next(t, &e))
            abort(); /* an entry libarchive sees and tarcheck does not */
        if ((uint64_t)archive_read_header_position(a) != e.header_off)
            abort();
        if (!name || strlen(name) != e.name_len || memcmp(name, e.name, e.name_len) != 0)
            abort();
        if (!same_type(e.type, ae))
            abort();
        if (archive_entry_size(ae) < 0 || (uint64_t)archive_entry_size(ae) != e.size)
            abort();
    }
    if (r != ARCHIVE_EOF || artbag_tarcheck_next(t, &e))
        abort(); /* libarchive failed or stopped early where tarcheck read on */
    archive_read_free(a);
    free(copy);
    artbag_tarcheck_free(t);
    return 0;
}
