/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * fuzz_zipcheck.c - libFuzzer target for zipcheck.c, with a property: whenever zipcheck accepts
 * a zip, libarchive's seekable zip reader (the one verify uses) over the same bytes reads
 * exactly the entries zipcheck describes, in some order: the same names, sizes and types, and
 * every entry's data reads without error to its size. Any difference aborts.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "fuzz.h"
#include "archive/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *name)
{
    fprintf(stderr, "fuzz_zipcheck: zipcheck accepted, libarchive disagrees: %s ('%s')\n", what,
            name ? name : "");
    abort();
}

static int ae_type(struct archive_entry *ae)
{
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
        return 'f';
    case AE_IFDIR:
        return 'd';
    case AE_IFLNK:
        return 'l';
    default:
        return '?';
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct artbag_zipcheck zc;
    struct artbag_error err;
    struct artbag_locale loc;
    struct archive *a = NULL;
    struct archive_entry *ae;
    char *copy = exact_copy(data, size);
    char *seen = NULL;
    static char buf[65536];
    size_t n = 0;
    int rc;

    if (!copy)
        return 0;
    /* A small limit on declared sizes keeps inflating quick. */
    rc = artbag_zipcheck_mem(copy, size, (uint64_t)16 << 20, &zc, &err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    artbag_locale_enter(&loc);
    seen = calloc(zc.n ? zc.n : 1, 1);
    a = archive_read_new();
    if (!seen || !a)
        abort();
    archive_read_support_format_zip_seekable(a);
    if (archive_read_open_memory(a, copy, size) != ARCHIVE_OK)
        fail(archive_error_string(a), NULL);
    while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname_utf8(ae);
        size_t i;
        int64_t total = 0;
        la_ssize_t got;

        if (!name)
            fail("a name libarchive cannot read", NULL);
        if (n++ >= zc.n)
            fail("more entries", name);
        for (i = 0; i < zc.n; i++)
            if (!seen[i] && strcmp(zc.entries[i].name, name) == 0)
                break;
        if (i == zc.n)
            fail("a name zipcheck does not have", name);
        seen[i] = 1;
        if (ae_type(ae) != zc.entries[i].type)
            fail("the type", name);
        /* a link's data is its target, which libarchive gives as the link, with size 0 */
        if (zc.entries[i].type != 'l' && (!archive_entry_size_is_set(ae) ||
                                          (uint64_t)archive_entry_size(ae) != zc.entries[i].size))
            fail("the size", name);
        if (zc.entries[i].type != 'f')
            continue;
        while ((got = archive_read_data(a, buf, sizeof(buf))) > 0)
            total += got;
        if (got < 0)
            fail(archive_error_string(a), name);
        if ((uint64_t)total != zc.entries[i].size)
            fail("the data's length", name);
    }
    if (rc != ARCHIVE_EOF)
        fail(archive_error_string(a), NULL);
    if (n != zc.n)
        fail("fewer entries", NULL);
    artbag_locale_leave(&loc);
cleanup:
    if (a)
        archive_read_free(a);
    artbag_zipcheck_release(&zc);
    free(seen);
    free(copy);
    return 0;
}
