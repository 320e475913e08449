/* cmd_pack.c - "artbag pack": parses the command line into struct artbag_pack_options and
 * reports what artbag_pack() did. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The last second whose year still has four digits: 9999-12-31T23:59:59Z. */
#define MTIME_MAX 253402300799LL

void cmd_pack_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag pack ARTICLE -o BUNDLE.tar.gz [options]\n"
            "\n"
            "Packs a Markdown article (or '-' for standard input) with its metadata and source\n"
            "URL into a BagIt bundle: a .tar.gz holding one bag named after BUNDLE.\n"
            "\n"
            "options:\n"
            "  -o, --output BUNDLE   the bundle to write; must end in .tar.gz or .tgz\n"
            "      --url URL         source URL (overrides the article's citation)\n"
            "      --title TEXT      title (overrides the article's heading)\n"
            "      --date YYYY-MM-DD publication date (overrides the article's)\n"
            "      --org NAME        Source-Organization: the archive doing the packing\n"
            "      --meta LABEL=VALUE  an extra bag-info.txt element; repeatable, kept in order\n"
            "      --mtime EPOCH     time of every entry and of Bagging-Date\n"
            "                        (default: $SOURCE_DATE_EPOCH when set, else now)\n"
            "      --sign KEY        sign the bundle with this secret key (artbag keygen)\n"
            "      --passphrase-file F  the key's passphrase, from the first line of F\n"
            "      --force           replace an existing bundle\n"
            "  -q, --quiet           print nothing on success\n"
            "  -h, --help            show this help\n"
            "\n"
            "example:\n"
            "  artbag pack story.md -o story.tar.gz --org 'City Archive' --mtime 1419206400\n");
}

static int parse_meta(const char *arg, struct artbag_tag **meta, size_t *n)
{
    const char *eq = strchr(arg, '=');
    struct artbag_tag *grown;
    char *label;

    if (!eq || eq == arg)
        return cli_usage_error("pack", "--meta '%s': expected LABEL=VALUE", arg);
    label = strndup(arg, (size_t)(eq - arg));
    grown = realloc(*meta, (*n + 1) * sizeof(**meta));
    if (!label || !grown) {
        free(label);
        fprintf(stderr, "artbag: pack: out of memory\n");
        return EXIT_IO;
    }
    *meta = grown;
    grown[*n].label = label;
    grown[*n].value = eq + 1;
    (*n)++;
    return EXIT_OK;
}

int cmd_pack(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"url", required_argument, NULL, 'U'},
        {"title", required_argument, NULL, 'T'},
        {"date", required_argument, NULL, 'D'},
        {"org", required_argument, NULL, 'G'},
        {"meta", required_argument, NULL, 'M'},
        {"mtime", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"sign", required_argument, NULL, 'S'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    struct artbag_pack_options opts;
    struct artbag_pack_result result;
    struct artbag_error err = {0};
    struct artbag_tag *meta = NULL;
    size_t n_meta = 0;
    const char *output = NULL, *article, *epoch, *passfile = NULL;
    char pass[CLI_PASSPHRASE_MAX];
    int quiet = 0, opt, code = EXIT_OK, rc;
    long long v;

    artbag_pack_options_init(&opts);
    epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        if (cli_parse_int64(epoch, 0, MTIME_MAX, &v) != 0)
            return cli_usage_error("pack", "SOURCE_DATE_EPOCH '%s' is not a time in seconds",
                                   epoch);
        opts.mtime = v;
        opts.have_mtime = 1;
    }
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'U':
            opts.url = optarg;
            break;
        case 'T':
            opts.title = optarg;
            break;
        case 'D':
            opts.date = optarg;
            break;
        case 'G':
            opts.org = optarg;
            break;
        case 'M':
            code = parse_meta(optarg, &meta, &n_meta);
            if (code != EXIT_OK)
                goto cleanup;
            break;
        case 'm':
            if (cli_parse_int64(optarg, 0, MTIME_MAX, &v) != 0) {
                code = cli_usage_error("pack", "--mtime '%s' is not a time in seconds since 1970",
                                       optarg);
                goto cleanup;
            }
            opts.mtime = v;
            opts.have_mtime = 1;
            break;
        case 'f':
            opts.force = 1;
            break;
        case 'S':
            opts.sign_key = optarg;
            break;
        case 'P':
            passfile = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            cmd_pack_usage(stdout);
            goto cleanup;
        case ':':
            code = cli_usage_error("pack", "option '%s' needs a value", argv[optind - 1]);
            goto cleanup;
        default:
            code = cli_usage_error("pack", "unknown option '%s'", argv[optind - 1]);
            goto cleanup;
        }
    }
    if (optind != argc - 1) {
        code =
            cli_usage_error("pack", optind == argc ? "no ARTICLE given" : "one ARTICLE at a time");
        goto cleanup;
    }
    if (!output) {
        code = cli_usage_error("pack", "no bundle given; pass -o BUNDLE.tar.gz");
        goto cleanup;
    }
    article = argv[optind];
    opts.meta = meta;
    opts.n_meta = n_meta;
    if (strcmp(article, "-") == 0) {
        opts.input_fd = 0;
        article = "<stdin>";
    }
    pass[0] = '\0';
    if (passfile && !opts.sign_key) {
        code = cli_usage_error("pack", "--passphrase-file goes with --sign");
        goto cleanup;
    }
    if (opts.sign_key) {
        code = cli_key_passphrase("pack", opts.sign_key, passfile, pass, sizeof(pass));
        if (code != EXIT_OK)
            goto cleanup;
        opts.passphrase = *pass ? pass : NULL;
    }
    rc = artbag_pack(article, output, &opts, &result, &err);
    cli_passphrase_wipe(pass, sizeof(pass));
    if (rc != ARTBAG_OK) {
        code = cli_fail("pack", &err);
        goto cleanup;
    }
    if (!quiet)
        printf("packed '%s' into '%s' (%llu files, %llu bytes of payload, %llu bytes)\n", article,
               output, (unsigned long long)result.payload_files,
               (unsigned long long)result.payload_bytes, (unsigned long long)result.bundle_bytes);
cleanup:
    for (size_t i = 0; i < n_meta; i++)
        free((char *)meta[i].label);
    free(meta);
    return code;
}
