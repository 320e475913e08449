/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_show.c - "artbag show": says what a bundle holds without unpacking or verifying it. */
#include <getopt.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

void cmd_show_usage(FILE *out)
{
    fprintf(out, "usage: artbag show [--json] [--all] [limits] BUNDLE\n"
                 "\n"
                 "Prints what BUNDLE holds: title, dates, source URL, credit, the payload files\n"
                 "with sizes and recorded digests, and the bag-info.txt elements. Reads the\n"
                 "bundle without unpacking it and checks nothing: use 'artbag verify' for that.\n"
                 "'-' reads the bundle from standard input. For a collection (artbag pack of\n"
                 "several articles): how many articles, the first "
                 "10"
                 " titles of its catalog,\n"
                 "and the collection's own bag-info.txt.\n"
                 "\n"
                 "options:\n"
                 "      --json            print metadata.json, bag-info and files as one JSON\n"
                 "                        document (manifests/show.schema.json)\n"
                 "      --all             a collection's every title and file, not the first "
                 "10\n" CLI_LIMIT_HELP "  -h, --help            show this help\n"
                 "\n"
                 "example:\n"
                 "  artbag show story.tar.gz\n");
}

static void print_field(json_t *meta, const char *key, const char *label)
{
    const char *v = json_string_value(json_object_get(meta, key));

    printf("%-11s ", label);
    cli_put(stdout, v ? v : "-");
    putchar('\n');
}

#define SHOW_FIRST 10

/* A collection's catalog.jsonl as JSON objects, one a line; lines that are not are left out. */
static json_t *catalog_json(const char *text)
{
    json_t *a = json_array();

    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        json_t *o = len ? json_loadb(text, len, 0, NULL) : NULL;

        if (json_is_object(o))
            json_array_append_new(a, o);
        else
            json_decref(o);
        text += len + (nl != NULL);
    }
    return a;
}

static void print_collection(json_t *cat, int all)
{
    size_t n = json_array_size(cat), shown = all || n <= SHOW_FIRST ? n : SHOW_FIRST;

    printf("%-11s %zu article%s (data/catalog.jsonl)\n", "collection:", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < shown; i++) {
        json_t *o = json_array_get(cat, i);
        const char *date = json_string_value(json_object_get(o, "published"));
        const char *title = json_string_value(json_object_get(o, "title"));

        printf("  %-10s  ", date ? date : "-");
        cli_put(stdout, title ? title : "-");
        putchar('\n');
    }
    if (shown < n)
        printf("  ... and %zu more (--all shows every one)\n", n - shown);
}

static void print_text(const struct artbag_info *info, json_t *meta, json_t *cat, int all)
{
    printf("%-11s ", "bundle:");
    cli_put(stdout, info->path);
    fputs(" (bag '", stdout);
    cli_put(stdout, info->bag ? info->bag : "?");
    fputs("')\n", stdout);
    if (cat) {
        print_collection(cat, all);
    } else if (meta) {
        print_field(meta, "title", "title:");
        print_field(meta, "published", "published:");
        print_field(meta, "byline", "byline:");
        print_field(meta, "source_url", "source:");
        print_field(meta, "retrieved", "retrieved:");
        print_field(meta, "credit", "credit:");
    } else {
        printf("%-11s none (not an artbag bundle: no data/metadata.json)\n", "metadata:");
    }
    if (cat && !all && info->n_files > SHOW_FIRST) {
        printf("files:      %zu (--all lists them)\n", info->n_files);
    } else {
        printf("files:\n");
    }
    for (size_t i = 0; (!cat || all || info->n_files <= SHOW_FIRST) && i < info->n_files; i++) {
        const struct artbag_info_file *f = &info->files[i];

        fputs("  ", stdout);
        cli_put(stdout, f->path);
        printf(" %*s%12llu  %s%s%s\n", strlen(f->path) < 40 ? (int)(40 - strlen(f->path)) : 0, "",
               (unsigned long long)f->bytes, f->algorithm ? f->algorithm : "(not in a manifest)",
               f->algorithm ? ":" : "", f->digest ? f->digest : "");
    }
    if (info->n_signatures) {
        printf("signatures (not checked here; 'artbag verify --trust' checks them):\n");
        for (size_t i = 0; i < info->n_signatures; i++)
            printf("  %s: key %s\n", info->signatures[i].file,
                   *info->signatures[i].keyid ? info->signatures[i].keyid : "(unreadable)");
    }
    printf("bag-info.txt:\n");
    for (size_t i = 0; i < info->n_bag_info; i++) {
        fputs("  ", stdout);
        cli_put(stdout, info->bag_info[i].label);
        fputs(": ", stdout);
        cli_put(stdout, info->bag_info[i].value);
        putchar('\n');
    }
}

static json_t *info_json(const struct artbag_info *info, json_t *meta, json_t *cat)
{
    json_t *o = json_object(), *bi = json_array(), *files = json_array();

    for (size_t i = 0; i < info->n_bag_info; i++)
        json_array_append_new(bi, json_pack("{s:s, s:s}", "label", info->bag_info[i].label, "value",
                                            info->bag_info[i].value));
    for (size_t i = 0; i < info->n_files; i++) {
        const struct artbag_info_file *f = &info->files[i];

        json_array_append_new(files, json_pack("{s:s, s:I, s:s?, s:s?}", "path", f->path, "bytes",
                                               (json_int_t)f->bytes, "algorithm", f->algorithm,
                                               "digest", f->digest));
    }
    json_object_set_new(o, "path", json_string(info->path));
    json_object_set_new(o, "bag", info->bag ? json_string(info->bag) : json_null());
    json_object_set(o, "metadata", meta ? meta : json_null());
    json_object_set_new(o, "bag_info", bi);
    json_object_set_new(o, "files", files);
    {
        json_t *sigs = json_array();

        for (size_t i = 0; i < info->n_signatures; i++)
            json_array_append_new(sigs,
                                  json_pack("{s:s, s:s, s:s?}", "file", info->signatures[i].file,
                                            "keyid", info->signatures[i].keyid, "trusted_comment",
                                            info->signatures[i].trusted_comment));
        json_object_set_new(o, "signatures", sigs);
    }
    if (cat)
        json_object_set_new(
            o, "collection",
            json_pack("{s:I, s:O}", "articles", (json_int_t)json_array_size(cat), "catalog", cat));
    return o;
}

int cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},
        {"all", no_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        CLI_LIMIT_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct artbag_verify_options opts;
    struct artbag_info *info = NULL;
    struct artbag_error err = {0};
    json_t *meta = NULL, *cat = NULL;
    const char *bundle;
    int json = 0, all = 0, opt, code;

    artbag_verify_options_init(&opts);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'J':
            json = 1;
            break;
        case 'A':
            all = 1;
            break;
        case 'h':
            cmd_show_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("show", "option '%s' needs a value", argv[optind - 1]);
        default:
            if ((code = cli_limit_option("show", opt, optarg, &opts)) >= 0) {
                if (code != EXIT_OK)
                    return code;
                break;
            }
            return cli_usage_error("show", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("show", optind == argc ? "no BUNDLE given" : "one BUNDLE at a time");
    bundle = argv[optind];
    opts.input_fd = strcmp(bundle, "-") == 0 ? 0 : -1;
    if (artbag_show_limited(bundle, &opts, &info, &err) != ARTBAG_OK)
        return cli_fail("show", &err);
    if (info->metadata_json) {
        json_error_t jerr;

        meta = json_loads(info->metadata_json, 0, &jerr);
        if (!json_is_object(meta)) {
            /* Still show what can be shown; verify says exactly what is wrong. */
            fprintf(stderr, "artbag: show: '%s': data/metadata.json is not a JSON object\n",
                    info->path);
            json_decref(meta);
            meta = NULL;
        }
    }
    if (artbag_info_catalog(info))
        cat = catalog_json(artbag_info_catalog(info));
    if (json) {
        json_t *doc = info_json(info, meta, cat);

        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        print_text(info, meta, cat, all);
    }
    json_decref(cat);
    json_decref(meta);
    artbag_info_free(info);
    if (fflush(stdout) != 0) {
        perror("artbag: show: stdout");
        return EXIT_IO;
    }
    return EXIT_OK;
}
