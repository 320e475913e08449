/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_unpack.c - "artbag unpack": restores a bundle into a directory only when it verifies. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

void cmd_unpack_usage(FILE *out)
{
    fprintf(out, "usage: artbag unpack BUNDLE [-C DIR] [options]\n"
                 "\n"
                 "Verifies BUNDLE while extracting it into a temporary directory inside DIR, and\n"
                 "renames the bag into place (DIR/<bag name>) only when the whole bag is valid;\n"
                 "otherwise removes everything it wrote and exits 1. Never writes outside DIR and\n"
                 "never follows a symbolic link. The bytes checked are the bytes restored: one\n"
                 "read of BUNDLE feeds both. Any conflict while extracting (an entry twice, a\n"
                 "file where a directory is needed, names that differ only in case) refuses the\n"
                 "bag. '-' reads the bundle from standard input.\n"
                 "\n"
                 "options:\n"
                 "  -C, --directory DIR   where to put the bag (must exist; default: the current\n"
                 "                        directory). Files and directories keep their times\n"
                 "      --force           replace an existing DIR/<bag name> that is a bag\n"
                 "      --trust KEY|DIR   public keys (NAME.pub, or a directory of them) whose\n"
                 "                        signatures count; repeatable. Every signature must\n"
                 "                        match and at least one must be by a trusted key\n"
                 "      --require-signature  an unsigned bundle is invalid\n" CLI_LIMIT_HELP
                 "      --profile FILE    the bag must also follow this BagIt Profile (JSON)\n"
                 "  -q, --quiet           print nothing on success\n"
                 "  -h, --help            show this help\n"
                 "\n"
                 "\n"
                 "exit status: 0 unpacked, 1 not valid (nothing unpacked), 2 usage, 3 could not\n"
                 "do the job (DIR/<bag name> exists, I/O)\n"
                 "\n"
                 "example:\n"
                 "  artbag unpack story.tar.gz -C restored/\n"
                 "  artbag unpack story.tar.gz -C restored/ --trust city-archive.pub\n");
}

int cmd_unpack(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"directory", required_argument, NULL, 'C'},
        {"force", no_argument, NULL, 'f'},
        CLI_LIMIT_OPTIONS,
        {"trust", required_argument, NULL, 'T'},
        {"require-signature", no_argument, NULL, 'R'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"profile", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    struct artbag_verify_options opts;
    struct artbag_report *r = NULL;
    struct artbag_error err = {0};
    const char *dest = ".", *bundle;
    size_t dlen;
    const char *trust[64];
    size_t n_trust = 0;
    int force = 0, quiet = 0, opt, code;

    artbag_verify_options_init(&opts);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":C:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'C':
            dest = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'T':
            if (n_trust == sizeof(trust) / sizeof(trust[0]))
                return cli_usage_error("unpack", "too many --trust options");
            trust[n_trust++] = optarg;
            break;
        case 'R':
            opts.require_signature = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'P':
            opts.profile = optarg;
            break;
        case 'h':
            cmd_unpack_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("unpack", "option '%s' needs a value", argv[optind - 1]);
        default:
            if ((code = cli_limit_option("unpack", opt, optarg, &opts)) >= 0) {
                if (code != EXIT_OK)
                    return code;
                break;
            }
            return cli_usage_error("unpack", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("unpack",
                               optind == argc ? "no BUNDLE given" : "one BUNDLE at a time");
    bundle = argv[optind];
    opts.trust = trust;
    opts.n_trust = n_trust;
    if (strcmp(bundle, "-") == 0)
        opts.input_fd = 0;
    if (artbag_unpack(bundle, dest, &opts, force, &r, &err) != ARTBAG_OK)
        return cli_fail("unpack", &err);
    if (!r->valid) {
        /* The verdict goes to stdout like verify's; the one-line reason to stderr. */
        cli_print_report(r);
        fprintf(stderr, "artbag: unpack: '%s': not valid; nothing was unpacked\n", r->path);
        code = EXIT_REJECT;
    } else {
        if (r->n_warnings)
            cli_print_report(r);
        /* "restored/" as given, without "restored//story" */
        dlen = strlen(dest);
        while (dlen > 1 && dest[dlen - 1] == '/')
            dlen--;
        if (!quiet)
            printf("unpacked '%s' into '%.*s%s%s' (%llu files, %llu bytes)\n", r->path, (int)dlen,
                   dest, dest[dlen - 1] == '/' ? "" : "/", r->bag, (unsigned long long)r->files,
                   (unsigned long long)r->bytes);
        code = EXIT_OK;
    }
    artbag_report_free(r);
    return code;
}
