/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_inspect.c - "artbag inspect": what pack would record for each article, and every warning,
 * without writing a bundle; the way to check a batch before packing it. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

void cmd_inspect_usage(FILE *out)
{
    fprintf(out, "usage: artbag inspect [--json] [--url URL] [--title TITLE] [--date DATE]\n"
                 "                      ARTICLE...\n"
                 "\n"
                 "Reads each ARTICLE as pack would and prints what pack would record in\n"
                 "data/metadata.json (title, dates, authors, source URL, tags, the capture tool\n"
                 "whose shape was recognised, ...) and every warning the reader gave, without\n"
                 "writing anything. '-' reads an article from standard input.\n"
                 "\n"
                 "options:\n"
                 "      --json            one JSON object per article, one per line:\n"
                 "                        {\"path\", \"valid\", \"problem\", \"warnings\",\n"
                 "                        \"metadata\"}\n"
                 "      --url URL         as for pack (one article only)\n"
                 "      --title TITLE     as for pack (one article only)\n"
                 "      --date DATE       as for pack, YYYY-MM-DD (one article only)\n"
                 "  -h, --help            show this help\n"
                 "\n"
                 "exit status: 0 pack would take every article (warnings allowed), 1 it would\n"
                 "refuse one, 2 usage, 3 an article could not be read\n"
                 "\n"
                 "example:\n"
                 "  artbag inspect --json clippings/*.md\n");
}

static void field(json_t *meta, const char *key, const char *label)
{
    json_t *v = json_object_get(meta, key);
    size_t i;

    if (!v || json_is_null(v) || (json_is_array(v) && !json_array_size(v)))
        return;
    printf("  %-14s ", label);
    if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v); i++) {
            if (i)
                fputs("; ", stdout);
            cli_put(stdout, json_string_value(json_array_get(v, i)));
        }
    } else if (json_is_string(v)) {
        cli_put(stdout, json_string_value(v));
    }
    putchar('\n');
}

static void print_text(json_t *o, const char *path)
{
    json_t *meta = json_object_get(o, "metadata"), *w = json_object_get(o, "warnings");
    const char *problem = json_string_value(json_object_get(o, "problem"));
    size_t i;

    cli_put(stdout, path);
    fputs(json_is_true(json_object_get(o, "valid")) ? ": valid\n" : ": invalid\n", stdout);
    if (problem) {
        printf("  %-14s ", "problem:");
        cli_put_msg(stdout, problem);
        putchar('\n');
    }
    if (json_is_object(meta)) {
        static const char *const keys[][2] = {
            {"title", "title:"},         {"published", "published:"},
            {"modified", "modified:"},   {"byline", "byline:"},
            {"authors", "authors:"},     {"source_url", "source:"},
            {"retrieved", "retrieved:"}, {"site_name", "site:"},
            {"language", "language:"},   {"tags", "tags:"},
            {"credit", "credit:"},       {"captured_with", "captured with:"},
            {"dois", "dois:"},           {"description", "description:"},
        };

        for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            field(meta, keys[i][0], keys[i][1]);
    }
    for (i = 0; i < json_array_size(w); i++) {
        printf("  %-14s '", "warning:");
        cli_put(stdout, path);
        fputs("': ", stdout);
        cli_put(stdout, json_string_value(json_array_get(w, i)));
        putchar('\n');
    }
}

int cmd_inspect(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},        {"url", required_argument, NULL, 'U'},
        {"title", required_argument, NULL, 'I'}, {"date", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    struct artbag_pack_options opts;
    int json = 0, opt, code = EXIT_OK, stdin_used = 0;

    artbag_pack_options_init(&opts);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'J':
            json = 1;
            break;
        case 'U':
            opts.url = optarg;
            break;
        case 'I':
            opts.title = optarg;
            break;
        case 'D':
            opts.date = optarg;
            break;
        case 'h':
            cmd_inspect_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("inspect", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("inspect", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind == argc)
        return cli_usage_error("inspect", "no article given");
    /* One value for many articles would put the same title or URL on all of them. */
    if (argc - optind > 1 && (opts.url || opts.title || opts.date))
        return cli_usage_error("inspect",
                               "--url, --title and --date describe one article; "
                               "%d were given",
                               argc - optind);
    for (int i = optind; i < argc; i++) {
        struct artbag_error err = {0};
        const char *path = argv[i];
        char *text = NULL;
        json_t *o;
        int rc;

        opts.input_fd = -1;
        if (!strcmp(path, "-")) {
            if (stdin_used++)
                return cli_usage_error("inspect", "'-' given twice");
            opts.input_fd = 0;
        }
        rc = artbag_inspect(path, &opts, &text, &err);
        if (rc == ARTBAG_EUSAGE)
            return cli_fail("inspect", &err);
        if (!text) {
            int c = cli_fail("inspect", &err);

            if (c > code)
                code = c;
            continue;
        }
        if (rc == ARTBAG_EREJECT && code < EXIT_REJECT)
            code = EXIT_REJECT;
        if (json) {
            puts(text);
        } else if ((o = json_loads(text, 0, NULL))) {
            print_text(o, path);
            json_decref(o);
        }
        free(text);
        if (fflush(stdout) != 0)
            return EXIT_IO;
    }
    return code;
}
