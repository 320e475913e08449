/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_keygen.c - "artbag keygen": makes the Ed25519 key pair an archive signs bundles with. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cmd_keygen_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag keygen -o NAME [--force] [--passphrase-file FILE | --no-passphrase]\n"
            "\n"
            "Makes an Ed25519 key pair: NAME.key, the secret key (encrypted PKCS#8 PEM, mode\n"
            "0600, readable by 'openssl pkey'), and NAME.pub, the public key in minisign's\n"
            "format, to give to the archives that will check your signatures. Neither file may\n"
            "exist unless --force. The passphrase is asked for on the terminal unless a file\n"
            "gives it.\n"
            "\n"
            "options:\n"
            "  -o, --output NAME        write NAME.key and NAME.pub\n"
            "      --passphrase-file F  read the passphrase from the first line of F\n"
            "      --no-passphrase      leave the secret key unencrypted\n"
            "      --force              replace an existing pair (both files, once the new pair\n"
            "                           is complete)\n"
            "  -h, --help               show this help\n"
            "\n"
            "example:\n"
            "  artbag keygen -o city-archive\n");
}

/*
 * --force: the new pair is made whole in a directory of its own beside NAME, then renamed over
 * the old one, so a failure (a bad passphrase file, a full disk) leaves the old key usable.
 */
static int generate_replacing(const char *name, const char *pass, char keyid[17])
{
    struct artbag_error err = {0};
    const char *slash = strrchr(name, '/');
    char *tmp = NULL, *tname = NULL, *from = NULL, *to = NULL;
    int code = EXIT_IO;

    if (asprintf(&tmp, "%.*s.artbag-keygen-XXXXXX", slash ? (int)(slash - name + 1) : 0, name) <
            0 ||
        !mkdtemp(tmp)) {
        fprintf(stderr, "artbag: keygen: cannot make a temporary directory beside '%s': %s\n", name,
                strerror(errno));
        free(tmp);
        return EXIT_IO;
    }
    if (asprintf(&tname, "%s/key", tmp) < 0)
        goto cleanup;
    if (artbag_key_generate(tname, pass, keyid, &err) != ARTBAG_OK) {
        code = cli_fail("keygen", &err);
        goto cleanup;
    }
    for (int i = 0; i < 2; i++) {
        const char *ext = i == 0 ? ".pub" : ".key"; /* the secret key last: it decides */

        free(from);
        free(to);
        from = to = NULL;
        if (asprintf(&from, "%s%s", tname, ext) < 0 || asprintf(&to, "%s%s", name, ext) < 0)
            goto cleanup;
        if (rename(from, to) != 0) {
            fprintf(stderr, "artbag: keygen: '%s': %s\n", to, strerror(errno));
            goto cleanup;
        }
    }
    code = EXIT_OK;
cleanup:
    if (tname) {
        free(from);
        from = NULL;
        if (asprintf(&from, "%s.pub", tname) >= 0)
            unlink(from);
        free(from);
        from = NULL;
        if (asprintf(&from, "%s.key", tname) >= 0)
            unlink(from);
    }
    rmdir(tmp);
    free(tmp);
    free(tname);
    free(from);
    free(to);
    return code;
}

int cmd_keygen(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"no-passphrase", no_argument, NULL, 'N'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char pass[CLI_PASSPHRASE_MAX], keyid[17];
    struct artbag_error err = {0};
    const char *name = NULL, *passfile = NULL;
    char *keyfile = NULL;
    int none = 0, force = 0, opt, code;

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
        case 'f':
            force = 1;
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
    if (asprintf(&keyfile, "%s.key", name) < 0) {
        fprintf(stderr, "artbag: keygen: out of memory\n");
        return EXIT_INTERNAL;
    }
    /* Said before the passphrase is typed, with the option the library cannot name. */
    if (!force && access(keyfile, F_OK) == 0) {
        fprintf(stderr, "artbag: keygen: '%s': already exists; pass --force to replace the pair\n",
                keyfile);
        free(keyfile);
        return EXIT_IO;
    }
    if (!none) {
        code = cli_passphrase("keygen", keyfile, passfile, 1, pass, sizeof(pass));
        if (code != EXIT_OK) {
            free(keyfile);
            return code;
        }
    }
    code = force ? generate_replacing(name, none ? NULL : pass, keyid)
           : artbag_key_generate(name, none ? NULL : pass, keyid, &err) == ARTBAG_OK
               ? EXIT_OK
               : cli_fail("keygen", &err);
    cli_passphrase_wipe(pass, sizeof(pass));
    free(keyfile);
    if (code == EXIT_OK)
        printf("made key %s: secret key '%s.key', public key '%s.pub'\n", keyid, name, name);
    return code;
}
