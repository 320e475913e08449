/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_keygen.c - "artbag keygen": makes the Ed25519 key pair an archive signs bundles with. */
#include <getopt.h>

#include "cli.h"

void cmd_keygen_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag keygen -o NAME [--passphrase-file FILE | --no-passphrase]\n"
            "\n"
            "Makes an Ed25519 key pair: NAME.key, the secret key (encrypted PKCS#8 PEM, mode\n"
            "0600, readable by 'openssl pkey'), and NAME.pub, the public key in minisign's\n"
            "format, to give to the archives that will check your signatures. Neither file may\n"
            "exist. The passphrase is asked for on the terminal unless a file gives it.\n"
            "\n"
            "options:\n"
            "  -o, --output NAME        write NAME.key and NAME.pub\n"
            "      --passphrase-file F  read the passphrase from the first line of F\n"
            "      --no-passphrase      leave the secret key unencrypted\n"
            "  -h, --help               show this help\n"
            "\n"
            "example:\n"
            "  artbag keygen -o city-archive\n");
}

int cmd_keygen(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"no-passphrase", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char pass[CLI_PASSPHRASE_MAX], keyid[17];
    struct artbag_error err = {0};
    const char *name = NULL, *passfile = NULL;
    int none = 0, opt, code, rc;

    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            name = optarg;
            break;
        case 'P':
            passfile = optarg;
            break;
        case 'N':
            none = 1;
            break;
        case 'h':
            cmd_keygen_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("keygen", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("keygen", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error("keygen", "unexpected argument '%s'", argv[optind]);
    if (!name)
        return cli_usage_error("keygen", "no key name given; pass -o NAME");
    if (none && passfile)
        return cli_usage_error("keygen", "--no-passphrase and --passphrase-file conflict");
    if (!none) {
        code = cli_passphrase("keygen", passfile, 1, pass, sizeof(pass));
        if (code != EXIT_OK)
            return code;
    }
    rc = artbag_key_generate(name, none ? NULL : pass, keyid, &err);
    cli_passphrase_wipe(pass, sizeof(pass));
    if (rc != ARTBAG_OK)
        return cli_fail("keygen", &err);
    printf("made key %s: secret key '%s.key', public key '%s.pub'\n", keyid, name, name);
    return EXIT_OK;
}
