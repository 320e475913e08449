/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_sign.c - "artbag sign": adds a signature (or a counter-signature) to a bundle. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

/* The last second whose year still has four digits, as pack allows. */
#define MTIME_MAX 253402300799LL

void cmd_sign_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag sign BUNDLE --key NAME.key [--passphrase-file FILE] [--mtime EPOCH]\n"
            "\n"
            "Verifies BUNDLE and adds a detached Ed25519 signature over its\n"
            "tagmanifest-sha256.txt, as the tag file\n"
            "signatures/tagmanifest-sha256.txt.minisig (a counter-signature by another key\n"
            "goes beside it as signatures/tagmanifest-sha256.txt.KEYID.minisig). The bundle\n"
            "is rewritten atomically; its payload is untouched, a signature by the same key\n"
            "is replaced, and signatures an older bundle keeps at the top of the bag move\n"
            "into signatures/ unchanged. An invalid bundle is not signed (exit 1), nor is\n"
            "one whose tagmanifest-sha256.txt leaves out a file outside data/, which the\n"
            "signature would then not cover. 'minisign -V' can check each signature.\n"
            "Every entry keeps its time; the signature's own time (its entry and its\n"
            "trusted comment) is --mtime, else $SOURCE_DATE_EPOCH, else now, so signing\n"
            "the same bundle with the same key at the same time gives the same bytes.\n"
            "\n"
            "options:\n"
            "  -k, --key FILE           the secret key (made by 'artbag keygen')\n"
            "      --passphrase-file F  read the key's passphrase from the first line of F\n"
            "      --no-passphrase      the key is not encrypted: do not ask\n"
            "      --mtime EPOCH        the signing time (default: $SOURCE_DATE_EPOCH when\n"
            "                           set, else now)\n"
            "  -q, --quiet              print nothing on success\n"
            "  -h, --help               show this help\n"
            "\n"
            "example:\n"
            "  artbag sign story.tar.gz --key city-archive.key\n");
}

int cmd_sign(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"no-passphrase", no_argument, NULL, 'N'},
        {"mtime", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char pass[CLI_PASSPHRASE_MAX];
    struct artbag_report *r = NULL;
    struct artbag_error err = {0};
    const char *key = NULL, *passfile = NULL, *bundle, *epoch = getenv("SOURCE_DATE_EPOCH");
    int none = 0, quiet = 0, opt, code, rc;
    long long when = -1;

    if (epoch && *epoch && cli_parse_int64(epoch, 0, MTIME_MAX, &when) != 0)
        return cli_usage_error("sign", "SOURCE_DATE_EPOCH '%s' is not a time in seconds", epoch);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":k:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            key = optarg;
            break;
        case 'P':
            passfile = optarg;
            break;
        case 'N':
            none = 1;
            break;
        case 'm':
            if (cli_parse_int64(optarg, 0, MTIME_MAX, &when) != 0)
                return cli_usage_error("sign", "--mtime '%s' is not a time in seconds since 1970",
                                       optarg);
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            cmd_sign_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("sign", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("sign", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("sign", optind == argc ? "no BUNDLE given" : "one BUNDLE at a time");
    if (!key)
        return cli_usage_error("sign", "no key given; pass --key NAME.key");
    bundle = argv[optind];
    pass[0] = '\0';
    if (!none && (code = cli_key_passphrase("sign", key, passfile, pass, sizeof(pass))))
        return code;
    rc = artbag_sign_at(bundle, key, *pass ? pass : NULL, when, &r, &err);
    cli_passphrase_wipe(pass, sizeof(pass));
    if (rc != ARTBAG_OK)
        return cli_fail("sign", &err);
    if (!r->valid) {
        cli_print_report(r);
        fprintf(stderr, "artbag: sign: '%s': not valid; not signed\n", bundle);
        code = EXIT_REJECT;
    } else {
        if (!quiet)
            printf("signed '%s'\n", bundle);
        code = EXIT_OK;
    }
    artbag_report_free(r);
    return code;
}
