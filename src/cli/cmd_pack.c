/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_pack.c - "artbag pack": parses the command line into struct artbag_pack_options and
 * reports what artbag_pack() did. */
#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The last second whose year still has four digits: 9999-12-31T23:59:59Z. */
#define MTIME_MAX 253402300799LL

void cmd_pack_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag pack ARTICLE -o BUNDLE.tar.gz|- [options]\n"
            "       artbag pack FILE|DIR... -o COLLECTION.tar.gz [options]\n"
            "       artbag pack --each FILE|DIR... -O OUTDIR [-j N] [options]\n"
            "\n"
            "Packs a Markdown article (or '-' for standard input) with its metadata and source\n"
            "URL into a BagIt bundle: a .tar.gz holding one bag named after BUNDLE.\n"
            "Several articles, or a directory (walked recursively), make one collection bag:\n"
            "data/<slug>/article.md and data/<slug>/metadata.json per article, and\n"
            "data/catalog.jsonl. With --each, every article gets its own bundle\n"
            "OUTDIR/<slug>.tar.gz, packed on several threads. The slug comes from the source\n"
            "URL's path, else the title, and is made unique.\n"
            "\n"
            "options:\n"
            "  -o, --output BUNDLE   the bundle to write; must end in .tar.gz or .tgz (any\n"
            "                        case); '-': standard output\n"
            "      --name BAG        the bag's directory name in the bundle (default: BUNDLE\n"
            "                        without .tar.gz; with -o -, the article's file name\n"
            "                        without its extension, 'article' or 'collection')\n"
            "      --url URL         source URL (overrides the article's citation); for a\n"
            "                        collection, its External-Identifier (not with --each)\n"
            "      --title TEXT      title (overrides the article's heading); for a\n"
            "                        collection, its External-Description (not with --each)\n"
            "      --date YYYY-MM-DD publication date (overrides the article's); one article\n"
            "                        only\n"
            "      --metadata-from FILE  per-article values for several articles: CSV with a\n"
            "                        header row, or JSON Lines (.jsonl, or lines starting '{'),\n"
            "                        keyed by the article's path as given or as found in a\n"
            "                        directory (column 'path'); url, title, date, byline,\n"
            "                        authors, description, ... override the article's\n"
            "      --attach FILE     keep FILE (the original HTML, WARC, PDF, an image) beside\n"
            "                        one article as data/attachments/<its name>, listed in\n"
            "                        metadata.json; repeatable. In a collection, a directory\n"
            "                        holding one article and other files (a page bundle)\n"
            "                        attaches those files instead\n"
            "      --org NAME        Source-Organization: the archive doing the packing\n"
            "      --meta LABEL=VALUE  an extra bag-info.txt element; repeatable, kept in order;\n"
            "                        not one artbag writes (Payload-Oxum, Bagging-Date, ...)\n"
            "      --mtime EPOCH     time of every entry and of Bagging-Date\n"
            "                        (default: $SOURCE_DATE_EPOCH when set, else now)\n"
            "      --digest ALG,...  manifests to write besides sha256, which is always\n"
            "                        written (--digest sha512: sha256 and sha512); any of\n"
            "                        sha512, sha384, sha224, sha1, md5 (the last two only for\n"
            "                        profiles that require them); repeatable\n"
            "      --sign KEY        sign the bundle with this secret key (artbag keygen)\n"
            "      --passphrase-file F  the key's passphrase, from the first line of F\n"
            "      --force           replace an existing bundle\n"
            "      --each            one bundle per article, into -O OUTDIR\n"
            "  -O, --output-dir DIR  where --each puts the bundles (made when missing)\n"
            "  -j, --jobs N          threads (default: one per CPU); output is the same for any N\n"
            "      --glob PATTERN    names to take from directories (default '*.md')\n"
            "  -T, --files-from LIST read article paths from LIST ('-': standard input), one a\n"
            "                        line\n"
            "      --null            the -T list is separated by NUL bytes, not newlines\n"
            "      --skip-bad        name each article that cannot be packed (or whose bundle\n"
            "                        exists, with --each), go on, exit 1\n"
            "      --skip-existing   with --each, pass over articles whose bundle exists, so\n"
            "                        a rerun packs only what is missing\n"
            "      --progress[=WHEN] auto (stderr is a terminal), always (--progress alone) or\n"
            "                        never\n"
            "  -q, --quiet           print nothing on success, not even the reader's warnings\n"
            "  -h, --help            show this help\n"
            "\n"
            "examples:\n"
            "  artbag pack story.md -o story.tar.gz --org 'City Archive' --mtime 1419206400\n"
            "  artbag pack captures/2014/ -o news-2014.tar.gz --org 'City Archive'\n"
            "  find captures -name '*.md' -print0 | artbag pack --each -T - --null -O bundles/\n");
}

/* Paths from a -T list: one a line (or NUL-separated with --null); empty entries ignored. */
static int read_list(const char *list, int nul, char ***paths, size_t *n)
{
    FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    if (!f) {
        fprintf(stderr, "artbag: pack: '%s': %s\n", list, strerror(errno));
        return EXIT_IO;
    }
    while ((len = getdelim(&line, &cap, nul ? '\0' : '\n', f)) >= 0) {
        char **g;

        if (len && line[len - 1] == (nul ? '\0' : '\n'))
            line[--len] = '\0';
        if (!nul && len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (!len)
            continue;
        g = realloc(*paths, (*n + 1) * sizeof(*g));
        if (g)
            *paths = g; /* the caller frees the first *n entries and the array */
        if (!g || !(g[*n] = strdup(line))) {
            fprintf(stderr, "artbag: pack: out of memory\n");
            free(line);
            if (f != stdin)
                fclose(f);
            return EXIT_INTERNAL;
        }
        (*n)++;
    }
    free(line);
    if (ferror(f)) {
        fprintf(stderr, "artbag: pack: '%s': read failed: %s\n", list, strerror(errno));
        if (f != stdin)
            fclose(f);
        return EXIT_IO;
    }
    if (f != stdin)
        fclose(f);
    return EXIT_OK;
}

/* What the library's message cannot say (it names no flags): the option that would help. */
static const char *hint(const struct artbag_error *e)
{
    const char *k = e ? e->kind : NULL;

    if (!k)
        return "";
    if (strcmp(k, "no-url") == 0)
        return "; pass --url";
    if (strcmp(k, "no-title") == 0 || strcmp(k, "bad-title") == 0)
        return "; pass --title";
    if (strcmp(k, "reserved-url") == 0)
        return "; --meta cannot give it: pass --url";
    if (strcmp(k, "reserved-title") == 0)
        return "; --meta cannot give it: pass --title";
    if (strcmp(k, "reserved-org") == 0)
        return "; --meta cannot give it: pass --org";
    if (strcmp(k, "reserved-mtime") == 0)
        return "; --meta cannot give it: pass --mtime";
    if (strcmp(k, "reserved") == 0)
        return "; --meta cannot give it";
    if (strcmp(k, "no-url-title") == 0)
        return "; pass --url and --title";
    if (strcmp(k, "exists") == 0)
        return "; pass --force to replace it, or --skip-existing to keep it";
    return "";
}

static int pack_fail(const struct artbag_error *err)
{
    struct artbag_error e = *err;
    const char *h = hint(err);

    if (*h && strlen(e.msg) + strlen(h) < sizeof(e.msg))
        strcat(e.msg, h);
    return cli_fail("pack", &e);
}

struct batch {
    struct cli_progress meter;
    int quiet;
    uint64_t existing; /* passed over by --skip-existing */
};

static void on_skip(void *ctx, const char *path, const struct artbag_error *why)
{
    struct batch *b = ctx;

    (void)path;
    if (why && why->kind && strcmp(why->kind, "exists") == 0 && b->existing != UINT64_MAX) {
        b->existing++;
        return;
    }
    cli_progress_done(&b->meter);
    fputs("artbag: pack: ", stderr);
    cli_put_msg(stderr, why ? why->msg : "cannot be packed");
    fprintf(stderr, "%s (skipped)\n", hint(why));
}

static void on_metadata(void *ctx, const char *file, size_t rows, size_t matched,
                        const char *const *unmatched, size_t n_unmatched)
{
    struct batch *b = ctx;

    cli_progress_done(&b->meter);
    for (size_t i = 0; i < n_unmatched; i++) {
        fputs("artbag: pack: warning: '", stderr);
        cli_put(stderr, file);
        fputs("': no article '", stderr);
        cli_put(stderr, unmatched[i]);
        fputs("' for its row\n", stderr);
    }
    if (!b->quiet || n_unmatched) {
        fputs("artbag: pack: metadata from '", stderr);
        cli_put(stderr, file);
        fprintf(stderr, "': %zu of %zu rows matched\n", matched, rows);
    }
}

/* What the reader read with doubt, as inspect shows it; -q silences it like every other note. */
static void on_warning(void *ctx, const char *path, const char *warning)
{
    struct batch *b = ctx;

    if (b->quiet)
        return;
    cli_progress_done(&b->meter);
    fputs("artbag: pack: '", stderr);
    cli_put(stderr, path);
    fputs("': warning: ", stderr);
    cli_put(stderr, warning);
    fputc('\n', stderr);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t bytes)
{
    cli_progress_update(&((struct batch *)ctx)->meter, done, total, bytes);
}

/* mkdir -p: --each -O makes its output directory, as tar -C does not but a batch wants. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    int rc = 0;

    if (!p)
        return -1;
    for (char *s = p + 1; rc == 0; s++) {
        if (*s && *s != '/')
            continue;
        char c = *s;

        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST)
            rc = -1;
        *s = c;
        if (!c)
            break;
    }
    free(p);
    return rc == 0 && cli_is_dir(dir) ? 0 : -1;
}

/* The bag's name when -o - gives no file name to take it from. */
static char *default_bag(const char *input, int collection)
{
    const char *base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
    const char *dot = strrchr(base, '.');

    if (collection)
        return strdup("collection");
    if (strcmp(input, "-") == 0 || !*base || dot == base)
        return strdup("article");
    return dot ? strndup(base, (size_t)(dot - base)) : strdup(base);
}

/* Copies the finished bundle to standard output; 0, or -1 after saying why. */
static int copy_out(const char *path)
{
    char buf[65536];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        fprintf(stderr, "artbag: pack: '%s': %s\n", path, strerror(errno));
        return -1;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            break;
    close(fd);
    if (n != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "artbag: pack: standard output: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static int parse_meta(const char *arg, struct artbag_tag **meta, size_t *n)
{
    const char *eq = strchr(arg, '=');
    struct artbag_tag *grown;
    char *label;

    if (!eq || eq == arg)
        return cli_usage_error("pack", "--meta '%s': expected LABEL=VALUE", arg);
    grown = realloc(*meta, (*n + 1) * sizeof(**meta));
    if (grown)
        *meta = grown;
    label = strndup(arg, (size_t)(eq - arg));
    if (!label || !grown) {
        free(label);
        fprintf(stderr, "artbag: pack: out of memory\n");
        return EXIT_INTERNAL;
    }
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
        {"title", required_argument, NULL, 'I'},
        {"date", required_argument, NULL, 'D'},
        {"org", required_argument, NULL, 'G'},
        {"meta", required_argument, NULL, 'M'},
        {"mtime", required_argument, NULL, 'm'},
        {"force", no_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"sign", required_argument, NULL, 'S'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"each", no_argument, NULL, 'E'},
        {"output-dir", required_argument, NULL, 'O'},
        {"jobs", required_argument, NULL, 'j'},
        {"glob", required_argument, NULL, 'g'},
        {"files-from", required_argument, NULL, 'T'},
        {"null", no_argument, NULL, '0'},
        {"skip-bad", no_argument, NULL, 'K'},
        {"skip-existing", no_argument, NULL, 'X'},
        {"name", required_argument, NULL, 'n'},
        {"progress", optional_argument, NULL, 'p'},
        {"metadata-from", required_argument, NULL, 'F'},
        {"digest", required_argument, NULL, 'd'},
        {"attach", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    struct artbag_pack_options opts;
    struct artbag_pack_result result = {0};
    struct artbag_error err = {0};
    struct artbag_tag *meta = NULL;
    size_t n_meta = 0, n_attach = 0;
    const char **attach = NULL;
    const char *output = NULL, *article = NULL, *epoch, *passfile = NULL, *outdir = NULL,
               *list = NULL;
    char pass[CLI_PASSPHRASE_MAX];
    struct artbag_collection_options copts;
    struct batch batch = {0};
    const char *name = NULL, *target;
    char *tmpdir = NULL, *tmpfile = NULL, *bag = NULL, *digests = NULL;
    char **inputs = NULL;
    size_t n_inputs = 0;
    int each = 0, jobs = 0, nul = 0, progress = isatty(2), collection;
    int quiet = 0, opt, code = EXIT_OK, rc;
    long long v;

    artbag_pack_options_init(&opts);
    artbag_collection_options_init(&copts);
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
    while ((opt = getopt_long(argc, argv, ":o:O:j:T:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            output = optarg;
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
        case 'E':
            each = 1;
            break;
        case 'O':
            outdir = optarg;
            break;
        case 'j':
            if (cli_parse_int64(optarg, 1, 64, &v) != 0) {
                code = cli_usage_error("pack", "-j '%s': expected 1 to 64 threads", optarg);
                goto cleanup;
            }
            jobs = (int)v;
            break;
        case 'g':
            copts.glob = optarg;
            break;
        case 'T':
            list = optarg;
            break;
        case '0':
            nul = 1;
            break;
        case 'K':
            copts.skip_bad |= 1;
            break;
        case 'X':
            copts.skip_bad |= ARTBAG_SKIP_EXISTING;
            break;
        case 'n':
            name = optarg;
            break;
        case 'F':
            copts.metadata_from = optarg;
            break;
        case 'd': {
            /* Repeated, the lists join: a name in two of them is given twice. */
            char *joined = NULL;

            if (digests ? asprintf(&joined, "%s,%s", digests, optarg) < 0
                        : !(joined = strdup(optarg))) {
                code = EXIT_INTERNAL;
                goto cleanup;
            }
            free(digests);
            digests = joined;
            break;
        }
        case 'A': {
            const char **g = realloc(attach, (n_attach + 1) * sizeof(*g));

            if (!g) {
                code = EXIT_INTERNAL;
                goto cleanup;
            }
            attach = g;
            attach[n_attach++] = optarg;
            break;
        }
        case 'p':
            if (cli_progress_parse(optarg, &progress) != 0) {
                code = cli_usage_error("pack", "--progress '%s': expected auto, always or never",
                                       optarg);
                goto cleanup;
            }
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
    for (int i = optind; i < argc; i++) {
        char **g = realloc(inputs, (n_inputs + 1) * sizeof(*g));

        if (!g || !(g[n_inputs] = strdup(argv[i]))) {
            inputs = g ? g : inputs;
            code = EXIT_INTERNAL;
            goto cleanup;
        }
        inputs = g;
        n_inputs++;
    }
    if (digests && artbag_digests_parse(digests, &opts.digests, &err) != ARTBAG_OK) {
        code = cli_usage_error("pack", "--digest: %s", err.msg);
        goto cleanup;
    }
    if (list && (code = read_list(list, nul, &inputs, &n_inputs)) != EXIT_OK)
        goto cleanup;
    if (nul && !list) {
        code = cli_usage_error("pack", "--null goes with -T LIST");
        goto cleanup;
    }
    if (n_inputs == 0) {
        code = cli_usage_error("pack", "no ARTICLE given");
        goto cleanup;
    }
    if (each ? !outdir || output : !output) {
        code = cli_usage_error("pack", each ? "--each writes into -O OUTDIR, not -o"
                                            : "no bundle given; pass -o BUNDLE.tar.gz");
        goto cleanup;
    }
    if (outdir && !each) {
        code = cli_usage_error("pack", "-O goes with --each");
        goto cleanup;
    }
    if ((copts.skip_bad & ARTBAG_SKIP_EXISTING) && !each) {
        code = cli_usage_error("pack", "--skip-existing goes with --each");
        goto cleanup;
    }
    if (name && each) {
        code = cli_usage_error("pack", "--each names each bag after its article; --name is for "
                                       "one bundle");
        goto cleanup;
    }
    if (name &&
        (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)) {
        code = cli_usage_error("pack", "--name '%s': expected a directory name, without '/'", name);
        goto cleanup;
    }
    /* One plain file is one article; anything more, or a directory, is a collection. */
    collection = !each && (n_inputs > 1 || list || cli_is_dir(inputs[0]));
    /*
     * Given to every article, a source URL, title or date would replace each one's own and
     * lose where it came from. A collection bag has a URL and title of its own (its
     * External-Identifier and -Description), but no date.
     */
    if ((each && (opts.url || opts.title || opts.date)) || (collection && opts.date)) {
        code = cli_usage_error("pack",
                               "%s is one article's; with %s it would replace every article's "
                               "own (give each its own with --metadata-from FILE)",
                               opts.date  ? "--date"
                               : opts.url ? "--url"
                                          : "--title",
                               each ? "--each" : "several articles");
        goto cleanup;
    }
    if (copts.metadata_from && !each && !collection) {
        code = cli_usage_error("pack", "--metadata-from is for several articles; for one, pass "
                                       "--url, --title and --date");
        goto cleanup;
    }
    for (size_t i = 0; i < n_inputs; i++)
        if (strcmp(inputs[i], "-") == 0 && (each || collection)) {
            code = cli_usage_error("pack", "'-' (standard input) packs one article alone");
            goto cleanup;
        }
    if (n_attach && (each || collection)) {
        code = cli_usage_error("pack", "--attach is for one article; in a collection, keep each "
                                       "article's files beside it in a directory of its own (a "
                                       "page bundle)");
        goto cleanup;
    }
    opts.meta = meta;
    opts.n_meta = n_meta;
    opts.attach = attach;
    opts.n_attach = n_attach;
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
    if (each && !cli_is_dir(outdir) && make_dirs(outdir) != 0) {
        fprintf(stderr, "artbag: pack: cannot make the output directory '%s': %s\n", outdir,
                strerror(errno));
        code = EXIT_IO;
        goto cleanup;
    }
    /*
     * To standard output, or under a bag name the file name does not give: the library packs
     * into BAG.tar.gz in a directory of our own (beside the output, so the last step is a
     * rename), and the bundle is then copied out or moved to its name.
     */
    target = output;
    if (!each && (strcmp(output, "-") == 0 || name)) {
        const char *slash = strrchr(output, '/'), *tmp = getenv("TMPDIR");
        int to_stdout = strcmp(output, "-") == 0;

        if (!to_stdout && !opts.force && access(output, F_OK) == 0) {
            fprintf(stderr, "artbag: pack: '%s': already exists; pass --force to replace it\n",
                    output);
            code = EXIT_IO;
            goto cleanup;
        }
        if (!to_stdout) {
            size_t n = strlen(output);

            /* the library would judge BAG.tar.gz, not this name: its rule, checked here */
            if (!((n > 7 && strcasecmp(output + n - 7, ".tar.gz") == 0) ||
                  (n > 4 && strcasecmp(output + n - 4, ".tgz") == 0))) {
                code = cli_usage_error("pack", "'%s': bundle name must end in .tar.gz or .tgz",
                                       output);
                goto cleanup;
            }
        }
        bag = name ? strdup(name) : default_bag(inputs[0], collection);
        if (!bag ||
            (to_stdout ? asprintf(&tmpdir, "%s/.artbag-pack-XXXXXX", tmp && *tmp ? tmp : "/tmp")
                       : asprintf(&tmpdir, "%.*s.artbag-pack-XXXXXX",
                                  slash ? (int)(slash - output + 1) : 0, output)) < 0) {
            tmpdir = NULL;
            code = EXIT_INTERNAL;
            goto cleanup;
        }
        if (!mkdtemp(tmpdir)) {
            fprintf(stderr, "artbag: pack: cannot make a temporary directory '%s': %s\n", tmpdir,
                    strerror(errno));
            free(tmpdir);
            tmpdir = NULL;
            code = EXIT_IO;
            goto cleanup;
        }
        if (asprintf(&tmpfile, "%s/%s.tar.gz", tmpdir, bag) < 0) {
            tmpfile = NULL;
            code = EXIT_INTERNAL;
            goto cleanup;
        }
        target = tmpfile;
    }
    cli_progress_init(&batch.meter, progress, "pack:");
    if (!(copts.skip_bad & ARTBAG_SKIP_EXISTING))
        batch.existing = UINT64_MAX; /* an existing bundle is a bad article, then */
    copts.on_skip = on_skip;
    copts.on_progress = on_progress;
    copts.on_metadata = on_metadata;
    batch.quiet = quiet;
    copts.ctx = &batch;
    opts.on_warning = on_warning;
    opts.warning_ctx = &batch;
    opts.threads = jobs;
    if (each) {
        rc = artbag_pack_each((const char *const *)inputs, n_inputs, outdir, &opts, &copts, jobs,
                              &result, &err);
    } else if (collection) {
        rc = artbag_pack_collection((const char *const *)inputs, n_inputs, target, &opts, &copts,
                                    &result, &err);
    } else {
        article = inputs[0];
        if (strcmp(article, "-") == 0) {
            opts.input_fd = 0;
            article = "<stdin>";
        }
        rc = artbag_pack(article, target, &opts, &result, &err);
    }
    cli_progress_done(&batch.meter);
    cli_passphrase_wipe(pass, sizeof(pass));
    if (rc != ARTBAG_OK) {
        code = pack_fail(&err);
        goto cleanup;
    }
    if (tmpfile && strcmp(output, "-") == 0) {
        if (copy_out(tmpfile) != 0) {
            code = EXIT_IO;
            goto cleanup;
        }
    } else if (tmpfile) {
        /* link() refuses an existing name, so a bundle made meanwhile is not replaced */
        if (opts.force ? rename(tmpfile, output) != 0 : link(tmpfile, output) != 0) {
            fprintf(stderr, "artbag: pack: '%s': %s\n", output,
                    errno == EEXIST ? "already exists; pass --force to replace it"
                                    : strerror(errno));
            code = EXIT_IO;
            goto cleanup;
        }
    }
    /* With -o -, standard output is the bundle: the summary goes to stderr. */
    if (!quiet && output && strcmp(output, "-") == 0)
        fprintf(stderr, "artbag: pack: packed '%s' into standard output (bag '%s', %llu bytes)\n",
                collection ? "the collection" : article, bag,
                (unsigned long long)result.bundle_bytes);
    else if (!quiet && each && batch.existing && batch.existing != UINT64_MAX)
        printf("packed %llu articles into '%s' (%llu already there, kept)\n",
               (unsigned long long)result.articles, outdir, (unsigned long long)batch.existing);
    else if (!quiet && each)
        printf("packed %llu articles into '%s'\n", (unsigned long long)result.articles, outdir);
    else if (!quiet && collection)
        printf("packed %llu articles into '%s' (%llu files, %llu bytes of payload, %llu bytes)\n",
               (unsigned long long)result.articles, output,
               (unsigned long long)result.payload_files, (unsigned long long)result.payload_bytes,
               (unsigned long long)result.bundle_bytes);
    else if (!quiet)
        printf("packed '%s' into '%s' (%llu files, %llu bytes of payload, %llu bytes)\n", article,
               output, (unsigned long long)result.payload_files,
               (unsigned long long)result.payload_bytes, (unsigned long long)result.bundle_bytes);
    if (result.skipped) {
        fprintf(stderr, "artbag: pack: %llu articles skipped\n",
                (unsigned long long)result.skipped);
        code = EXIT_REJECT;
    }
cleanup:
    if (tmpfile)
        unlink(tmpfile);
    if (tmpdir)
        rmdir(tmpdir);
    free(tmpfile);
    free(tmpdir);
    free(bag);
    free(digests);
    for (size_t i = 0; i < n_meta; i++)
        free((char *)meta[i].label);
    free(meta);
    free(attach);
    for (size_t i = 0; i < n_inputs; i++)
        free(inputs[i]);
    free(inputs);
    return code;
}
