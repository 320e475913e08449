/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * example.c - a program that uses libartbag as an outside project would: through the installed
 * <artbag.h> only, built with `pkg-config --cflags --libs artbag`. It packs an article into a
 * bundle, verifies the bundle and shows what it holds.
 *
 * usage: example ARTICLE BUNDLE.tar.gz
 * exit status: 0 packed and valid, 1 rejected or not valid, 3 could not do the job, 4 a bug;
 * the negated artbag status, as the artbag command does it.
 */
#include <stdio.h>
#include <string.h>

#include <artbag.h>

/* A fixed time, so that the same article always gives the same bundle. */
#define EXAMPLE_MTIME 1419206400

static int fail(const char *what, const struct artbag_error *err)
{
    fprintf(stderr, "example: %s: %s\n", what, err->msg);
    return -err->status;
}

int main(int argc, char **argv)
{
    struct artbag_pack_options popts;
    struct artbag_pack_result packed;
    struct artbag_verify_options vopts;
    struct artbag_report *report = NULL;
    struct artbag_info *info = NULL;
    struct artbag_error err;
    const char *title = "?";
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: example ARTICLE BUNDLE.tar.gz\n");
        return 2;
    }
    /* The header and the library must be the same release. */
    if (strcmp(artbag_version(), ARTBAG_VERSION_STRING) != 0) {
        fprintf(stderr, "example: header says %s, library says %s\n", ARTBAG_VERSION_STRING,
                artbag_version());
        return 4;
    }
    printf("libartbag %s\n", artbag_version());

    artbag_pack_options_init(&popts);
    popts.org = "Example Archive";
    popts.mtime = EXAMPLE_MTIME;
    popts.have_mtime = 1;
    popts.force = 1;
    if (artbag_pack(argv[1], argv[2], &popts, &packed, &err) != ARTBAG_OK)
        return fail("pack", &err);
    printf("packed '%s' into '%s': %llu files, %llu bytes of payload\n", argv[1], argv[2],
           (unsigned long long)packed.payload_files, (unsigned long long)packed.payload_bytes);

    artbag_verify_options_init(&vopts);
    if (artbag_verify(argv[2], &vopts, &report, &err) != ARTBAG_OK)
        return fail("verify", &err);
    printf("verify: %s, %llu files, %llu bytes, %zu problems\n",
           report->valid ? "valid" : "NOT valid", (unsigned long long)report->files,
           (unsigned long long)report->bytes, report->n_problems - report->n_warnings);
    rc = report->valid && report->files == packed.payload_files &&
                 report->bytes == packed.payload_bytes
             ? 0
             : 1;
    artbag_report_free(report);
    if (rc != 0)
        return rc;

    if (artbag_show(argv[2], -1, &info, &err) != ARTBAG_OK)
        return fail("show", &err);
    for (size_t i = 0; i < info->n_bag_info; i++)
        if (strcmp(info->bag_info[i].label, "External-Description") == 0)
            title = info->bag_info[i].value;
    printf("show: bag '%s', title '%s'\n", info->bag ? info->bag : "?", title);
    for (size_t i = 0; i < info->n_files; i++)
        printf("  %s %llu %s:%s\n", info->files[i].path, (unsigned long long)info->files[i].bytes,
               info->files[i].algorithm ? info->files[i].algorithm : "-",
               info->files[i].digest ? info->files[i].digest : "-");
    artbag_info_free(info);
    return 0;
}
