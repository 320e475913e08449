/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * consumer.c - the smallest program another project would write against an installed
 * libartbag: built once through find_package(artbag) (cmake/) and once through pkg-config
 * (pkgconfig/), it checks the version macros at compile time and against the loaded library at
 * run time, packs an article and verifies the bundle.
 *
 * usage: consumer ARTICLE BUNDLE.tar.gz; exit 0 packed and valid, 1 not valid, else the negated
 * artbag status (2 usage, 3 could not do the job, 4 a bug or a version mismatch).
 */
#include <stdio.h>
#include <string.h>

#include <artbag.h>

#if !defined(ARTBAG_VERSION_NUMBER) || ARTBAG_VERSION_NUMBER < 2000
#error "consumer needs artbag 0.2.0 or later"
#endif
_Static_assert(ARTBAG_VERSION_NUMBER == ARTBAG_VERSION_MAJOR * 1000000 +
                                            ARTBAG_VERSION_MINOR * 1000 + ARTBAG_VERSION_PATCH,
               "ARTBAG_VERSION_NUMBER is not MAJOR * 1000000 + MINOR * 1000 + PATCH");

int main(int argc, char **argv)
{
    struct artbag_pack_options popts;
    struct artbag_verify_options vopts;
    struct artbag_report *report = NULL;
    struct artbag_error err;
    char parts[64];
    int valid;

    if (argc != 3) {
        fprintf(stderr, "usage: consumer ARTICLE BUNDLE.tar.gz\n");
        return 2;
    }
    snprintf(parts, sizeof(parts), "%d.%d.%d", ARTBAG_VERSION_MAJOR, ARTBAG_VERSION_MINOR,
             ARTBAG_VERSION_PATCH);
    if (strcmp(parts, ARTBAG_VERSION_STRING) != 0 || strcmp(artbag_version(), parts) != 0) {
        fprintf(stderr, "consumer: macros say %s (%s), the library says %s\n", parts,
                ARTBAG_VERSION_STRING, artbag_version());
        return 4;
    }
    printf("consumer: built against artbag %s (%d), running with %s\n", ARTBAG_VERSION_STRING,
           ARTBAG_VERSION_NUMBER, artbag_version());

    artbag_pack_options_init(&popts);
    popts.mtime = 1419206400;
    popts.have_mtime = 1;
    if (artbag_pack(argv[1], argv[2], &popts, NULL, &err) != ARTBAG_OK) {
        fprintf(stderr, "consumer: pack: %s\n", err.msg);
        return -err.status;
    }
    artbag_verify_options_init(&vopts);
    if (artbag_verify(argv[2], &vopts, &report, &err) != ARTBAG_OK) {
        fprintf(stderr, "consumer: verify: %s\n", err.msg);
        return -err.status;
    }
    valid = report->valid;
    printf("consumer: '%s' is %s\n", argv[2], valid ? "valid" : "NOT valid");
    artbag_report_free(report);
    return valid ? 0 : 1;
}
