/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_verify.c - "artbag verify": checks each bundle named and reports every problem, as text
 * or as one JSON document. */
#include <dirent.h>
#include <fts.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

void cmd_verify_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag verify [options] BUNDLE...\n"
            "       artbag verify [options] -r DIR\n"
            "\n"
            "Proves each bundle intact: a BagIt bag (RFC 8493) as a directory or as a .tar,\n"
            ".tar.gz, .tar.bz2, .tar.xz, .tar.zst or .zip (recognised by content), made by\n"
            "artbag or any BagIt tool. '-' reads one bundle from standard input. Archives are\n"
            "checked as a stream, without extracting.\n"
            "\n"
            "options:\n"
            "      --json            print one JSON document (manifests/verify.schema.json)\n"
            "      --fast            completeness and Payload-Oxum only: NOT a fixity check\n"
            "      --trust KEY|DIR   public keys (NAME.pub, or a directory of them) whose\n"
            "                        signatures count; repeatable. Every signature must\n"
            "                        match and at least one must be by a trusted key\n"
            "      --require-signature  an unsigned bundle is invalid\n"
            "      --profile FILE    the bag must also follow this BagIt Profile (JSON,\n"
            "                        bagit-profiles 1.3.0): each departure is a "
            "problem\n" CLI_LIMIT_HELP
            "  -j, --jobs N          check N bundles at once (default: one per CPU); results\n"
            "                        print in the order given\n"
            "  -r, --recursive DIR   check every bundle below DIR (.tar.gz, .tgz, .tar, .zip,\n"
            "                        .tar.bz2, .tbz2, .tar.xz, .tar.zst) and every bag\n"
            "                        directory (one holding bagit.txt); repeatable. None\n"
            "                        found: exit 1\n"
            "      --progress[=WHEN] auto (stderr is a terminal), always (--progress alone) or\n"
            "                        never\n"
            "  -q, --quiet           print only bundles that are not OK\n"
            "  -h, --help            show this help\n"
            "\n"
            "Each bundle gets a line: OK (valid), WARN (valid, with warnings) or FAIL\n"
            "(invalid); one that could not be checked gets a message on stderr instead.\n"
            "\n"
            "exit status: 0 all valid (warnings allowed), 1 any invalid, 2 usage,\n"
            "3 any could not be checked (unreadable, not a bag, cut short)\n"
            "\n"
            "example:\n"
            "  artbag verify story.tar.gz\n"
            "  curl -s https://example.org/story.tar.gz | artbag verify --json -\n");
}

int cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    unsigned shift = 0;

    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    v = strtoull(s, &end, 10);
    switch (*end) {
    case '\0':
        break;
    case 'K':
    case 'k':
        shift = 10;
        break;
    case 'M':
    case 'm':
        shift = 20;
        break;
    case 'G':
    case 'g':
        shift = 30;
        break;
    case 'T':
    case 't':
        shift = 40;
        break;
    default:
        return -1;
    }
    if (*end && end[1] && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
        return -1;
    if (v == 0 || (shift && v > (~0ULL >> shift)))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int cli_limit_option(const char *verb, int opt, const char *arg, struct artbag_verify_options *o)
{
    long long v;

    switch (opt) {
    case 0x100:
        if (cli_parse_size(arg, &o->max_bytes) != 0)
            return cli_usage_error(verb, "--max-bytes '%s' is not a positive size", arg);
        return EXIT_OK;
    case 0x101:
        if (cli_parse_int64(arg, 1, INT64_MAX, &v) != 0)
            return cli_usage_error(verb, "--max-entries '%s' is not a positive number", arg);
        o->max_entries = (uint64_t)v;
        return EXIT_OK;
    case 0x102:
        if (cli_parse_int64(arg, 1, UINT32_MAX, &v) != 0)
            return cli_usage_error(verb, "--max-depth '%s' is not a positive number", arg);
        o->max_depth = (uint32_t)v;
        return EXIT_OK;
    case 0x103:
        if (cli_parse_int64(arg, 0, UINT32_MAX, &v) != 0)
            return cli_usage_error(verb, "--max-ratio '%s': expected a number, 0 for none", arg);
        o->max_ratio = (uint32_t)v;
        return EXIT_OK;
    case 0x104:
        if (cli_parse_size(arg, &o->max_window) != 0)
            return cli_usage_error(verb, "--max-window '%s' is not a positive size", arg);
        return EXIT_OK;
    default:
        return -1;
    }
}

void cli_print_report(const struct artbag_report *r)
{
    printf("%s  ", r->valid ? (r->n_warnings ? "WARN" : "OK  ") : "FAIL");
    cli_put(stdout, r->path);
    printf(": %llu files, %llu bytes", (unsigned long long)r->files, (unsigned long long)r->bytes);
    for (size_t i = 0; i < r->n_algorithms; i++)
        printf("%s%s", i ? "+" : ", ", r->algorithms[i]);
    if (!r->fixity)
        printf(" (--fast: complete, but NOT a fixity check)");
    printf("\n");
    for (size_t i = 0; i < r->n_signatures; i++) {
        const struct artbag_signature *s = &r->signatures[i];

        if (s->valid)
            printf("  signed by key %s%s\n", s->keyid,
                   s->trusted ? " (trusted)" : " (not trusted)");
    }
    for (size_t i = 0; i < r->n_problems; i++) {
        const struct artbag_problem *p = &r->problems[i];

        /* Names come from the bundle: escaped, so none can forge a line of this report. */
        printf("  %s: ", p->severity == ARTBAG_WARNING ? "warning" : "problem");
        if (p->path) {
            putchar('\'');
            cli_put(stdout, p->path);
            fputs("': ", stdout);
        }
        cli_put_msg(stdout, p->message);
        if (p->expected || p->actual) {
            fputs(" (expected ", stdout);
            cli_put(stdout, p->expected ? p->expected : "-");
            fputs(", got ", stdout);
            cli_put(stdout, p->actual ? p->actual : "-");
            putchar(')');
        }
        putchar('\n');
    }
    for (size_t i = 0; i < r->n_counts; i++) {
        const struct artbag_finding_count *c = &r->counts[i];
        const char *what = c->severity == ARTBAG_WARNING ? "warning" : "problem";

        if (c->omitted)
            printf("  %s: ... and %llu more '%s' %ss (%llu in all; the first %llu are shown)\n",
                   what, (unsigned long long)c->omitted, c->kind, what,
                   (unsigned long long)c->total, (unsigned long long)(c->total - c->omitted));
    }
}

static json_t *json_str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *signatures_json(const struct artbag_report *r)
{
    json_t *sigs = json_array();

    for (size_t i = 0; i < r->n_signatures; i++) {
        const struct artbag_signature *s = &r->signatures[i];

        json_array_append_new(sigs, json_pack("{s:s, s:s, s:b, s:b, s:s?}", "file", s->file,
                                              "keyid", s->keyid, "valid", s->valid, "trusted",
                                              s->trusted, "trusted_comment", s->trusted_comment));
    }
    return sigs;
}

static json_t *report_json(const struct artbag_report *r)
{
    json_t *o = json_object(), *algs = json_array(), *warnings = json_array(),
           *problems = json_array(), *counts = json_array();

    for (size_t i = 0; i < r->n_algorithms; i++)
        json_array_append_new(algs, json_string(r->algorithms[i]));
    for (size_t i = 0; i < r->n_counts; i++) {
        const struct artbag_finding_count *c = &r->counts[i];

        json_array_append_new(
            counts, json_pack("{s:s, s:s, s:I, s:I}", "kind", c->kind, "severity",
                              c->severity == ARTBAG_WARNING ? "warning" : "problem", "total",
                              (json_int_t)c->total, "omitted", (json_int_t)c->omitted));
    }
    for (size_t i = 0; i < r->n_problems; i++) {
        const struct artbag_problem *p = &r->problems[i];
        json_t *j = json_object();
        char m[CLI_MSG_MAX];

        json_object_set_new(j, "path", json_str_or_null(p->path));
        json_object_set_new(j, "kind", json_string(p->kind));
        json_object_set_new(j, "message", json_string(cli_msg(p->message, m, sizeof(m))));
        json_object_set_new(j, "expected", json_str_or_null(p->expected));
        json_object_set_new(j, "actual", json_str_or_null(p->actual));
        json_array_append_new(p->severity == ARTBAG_WARNING ? warnings : problems, j);
    }
    json_object_set_new(o, "path", json_string(r->path));
    json_object_set_new(o, "bag", json_str_or_null(r->bag));
    json_object_set_new(o, "valid", json_boolean(r->valid));
    json_object_set_new(o, "complete", json_boolean(r->complete));
    json_object_set_new(o, "fixity", json_boolean(r->fixity));
    json_object_set_new(o, "files", json_integer((json_int_t)r->files));
    json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes));
    json_object_set_new(o, "algorithms", algs);
    json_object_set_new(o, "warnings", warnings);
    json_object_set_new(o, "problems", problems);
    json_object_set_new(o, "signatures", signatures_json(r));
    json_object_set_new(o, "counts", counts);
    return o;
}

/* A bundle that could not be checked at all still gets its place in the JSON document, with
 * the kind of finding that says why. */
static json_t *failure_json(const char *path, const struct artbag_error *err)
{
    json_t *o = json_object(), *problems = json_array(), *p = json_object();
    char m[CLI_MSG_MAX];

    json_object_set_new(p, "path", json_null());
    json_object_set_new(p, "kind", json_string(err->kind ? err->kind : "io"));
    json_object_set_new(p, "message", json_string(cli_msg(err->msg, m, sizeof(m))));
    json_object_set_new(p, "expected", json_null());
    json_object_set_new(p, "actual", json_null());
    json_array_append_new(problems, p);
    json_object_set_new(o, "path", json_string(path));
    json_object_set_new(o, "bag", json_null());
    json_object_set_new(o, "valid", json_false());
    json_object_set_new(o, "complete", json_false());
    json_object_set_new(o, "fixity", json_false());
    json_object_set_new(o, "files", json_integer(0));
    json_object_set_new(o, "bytes", json_integer(0));
    json_object_set_new(o, "algorithms", json_array());
    json_object_set_new(o, "warnings", json_array());
    json_object_set_new(o, "problems", problems);
    json_object_set_new(o, "signatures", json_array());
    json_object_set_new(o, "counts",
                        json_pack("[{s:s, s:s, s:i, s:i}]", "kind", err->kind ? err->kind : "io",
                                  "severity", "problem", "total", 1, "omitted", 0));
    return o;
}

/* The bundles to check, from the command line and from -r walks. */
struct bundle_list {
    char **paths;
    size_t n, cap;
};

static int list_add(struct bundle_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **g = realloc(l->paths, cap * sizeof(*g));

        if (!g)
            return -1;
        l->paths = g;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* A bag directory: bagit.txt, a regular file, at its top (not followed through a link). */
static int is_bag_dir(const char *dir)
{
    char *bagit = malloc(strlen(dir) + sizeof("/bagit.txt"));
    struct stat st;
    int yes;

    if (!bagit)
        return 0;
    strcpy(bagit, dir);
    strcat(bagit, "/bagit.txt");
    yes = lstat(bagit, &st) == 0 && S_ISREG(st.st_mode);
    free(bagit);
    return yes;
}

/*
 * Every bundle below dir, in byte order, without following links: archives by name and bag
 * directories (as audit finds them), whose insides are not walked. fts(3) keeps no descriptor
 * and no stack frame per level and builds paths of any length, so no tree is too deep to walk.
 * What cannot be read, or whose path is too long to open, is listed anyway: verifying it then
 * fails with the reason, so an audit never passes over a bundle in silence.
 */
static int find_bundles(struct bundle_list *l, const char *dir)
{
    char *trimmed = strdup(dir), *const roots[] = {trimmed, NULL};
    size_t n = trimmed ? strlen(trimmed) : 0;
    FTS *fts;
    FTSENT *e;
    int rc = 0;

    if (!trimmed) {
        fprintf(stderr, "artbag: verify: out of memory\n");
        return -1;
    }
    /* "dir/" as given, not "dir//x.tar.gz": fts joins names to the root with a slash. */
    while (n > 1 && trimmed[n - 1] == '/')
        trimmed[--n] = '\0';
    fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    if (!fts) {
        free(trimmed);
        fprintf(stderr, "artbag: verify: '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    while (rc == 0) {
        errno = 0;
        if (!(e = fts_read(fts))) {
            /* NULL with errno set: the walk itself failed, not one entry */
            if (errno) {
                fprintf(stderr, "artbag: verify: '%s': %s\n", dir, strerror(errno));
                rc = -1;
            }
            break;
        }
        switch (e->fts_info) {
        case FTS_F:
            if (artbag_is_bundle_name(e->fts_name) || e->fts_pathlen >= PATH_MAX)
                rc = list_add(l, e->fts_path);
            break;
        case FTS_D:
            /* A directory whose path no system call can take is reported, not walked. */
            if (e->fts_pathlen >= PATH_MAX || is_bag_dir(e->fts_path)) {
                rc = list_add(l, e->fts_path);
                fts_set(fts, e, FTS_SKIP);
            }
            break;
        case FTS_DNR:
        case FTS_ERR:
        case FTS_NS:
            if (e->fts_level == 0) {
                fprintf(stderr, "artbag: verify: '%s': %s\n", e->fts_path, strerror(e->fts_errno));
                rc = -1;
            } else {
                rc = list_add(l, e->fts_path);
            }
            break;
        default: /* directories on the way out, links, devices: not bundles */
            break;
        }
    }
    fts_close(fts);
    free(trimmed);
    return rc;
}

/* One bundle's outcome, filled by a worker, printed by the main thread in order. */
struct slot {
    struct artbag_report *r;
    struct artbag_error err;
    uint64_t bytes;
    int rc, done;
};

struct run {
    const struct bundle_list *list;
    const struct artbag_verify_options *opts;
    struct slot *slots;
    size_t next;
    pthread_mutex_t lock;
    pthread_cond_t ready;
};

static void *verify_worker(void *arg)
{
    struct run *run = arg;

    for (;;) {
        struct artbag_verify_options opts = *run->opts;
        struct slot *sl;
        struct stat st;
        const char *path;
        size_t i;

        pthread_mutex_lock(&run->lock);
        i = run->next++;
        pthread_mutex_unlock(&run->lock);
        if (i >= run->list->n)
            return NULL;
        sl = &run->slots[i];
        path = run->list->paths[i];
        opts.input_fd = strcmp(path, "-") == 0 ? 0 : -1;
        sl->bytes = opts.input_fd < 0 && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
        sl->rc = artbag_verify(opts.input_fd >= 0 ? "<stdin>" : path, &opts, &sl->r, &sl->err);
        pthread_mutex_lock(&run->lock);
        sl->done = 1;
        pthread_cond_broadcast(&run->ready);
        pthread_mutex_unlock(&run->lock);
    }
}

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, 'J'},
        {"fast", no_argument, NULL, 'F'},
        CLI_LIMIT_OPTIONS,
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"trust", required_argument, NULL, 'T'},
        {"require-signature", no_argument, NULL, 'R'},
        {"jobs", required_argument, NULL, 'j'},
        {"recursive", required_argument, NULL, 'r'},
        {"progress", optional_argument, NULL, 'p'},
        {"profile", required_argument, NULL, 'P'},
        {NULL, 0, NULL, 0},
    };
    struct artbag_verify_options opts;
    json_t *doc = NULL, *bundles = NULL;
    int json = 0, quiet = 0, opt, any_invalid = 0, any_io = 0, any_internal = 0, stdin_used = 0;
    int any_usage = 0, walked = 0;
    int jobs = 0, progress = isatty(2), n_threads = 0, code = EXIT_OK;
    const char *trust[64];
    size_t n_trust = 0;
    struct bundle_list list = {0};
    struct run run;
    struct cli_progress meter;
    pthread_t tids[64];
    uint64_t done_bytes = 0;
    long long v;

    memset(&run, 0, sizeof(run));

    artbag_verify_options_init(&opts);
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":qhj:r:", longopts, NULL)) != -1) {
        switch (opt) {
        case 'J':
            json = 1;
            break;
        case 'F':
            opts.fast = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'T':
            if (n_trust == sizeof(trust) / sizeof(trust[0]))
                return cli_usage_error("verify", "too many --trust options");
            trust[n_trust++] = optarg;
            break;
        case 'R':
            opts.require_signature = 1;
            break;
        case 'P':
            opts.profile = optarg;
            break;
        case 'j':
            if (cli_parse_int64(optarg, 1, 64, &v) != 0)
                return cli_usage_error("verify", "-j '%s': expected 1 to 64 threads", optarg);
            jobs = (int)v;
            break;
        case 'r': {
            size_t before = list.n;

            walked = 1;
            if (find_bundles(&list, optarg) != 0) {
                code = EXIT_IO;
                goto cleanup;
            }
            /* Said at once, and the rest still checked; an empty search is a finding. */
            if (list.n == before) {
                fputs("artbag: verify: no bundles or bags found under '", stderr);
                cli_put(stderr, optarg);
                fputs("'\n", stderr);
                any_invalid = 1;
            }
            break;
        }
        case 'p':
            if (cli_progress_parse(optarg, &progress) != 0)
                return cli_usage_error("verify", "--progress '%s': expected auto, always or never",
                                       optarg);
            break;
        case 'h':
            cmd_verify_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("verify", "option '%s' needs a value", argv[optind - 1]);
        default:
            if ((v = cli_limit_option("verify", opt, optarg, &opts)) >= 0) {
                if (v != EXIT_OK)
                    return (int)v;
                break;
            }
            return cli_usage_error("verify", "unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0 && stdin_used++) {
            code = cli_usage_error("verify", "standard input can be read only once");
            goto cleanup;
        }
        if (list_add(&list, argv[i]) != 0) {
            code = EXIT_INTERNAL;
            goto cleanup;
        }
    }
    if (list.n == 0) {
        code = walked ? EXIT_REJECT : cli_usage_error("verify", "no BUNDLE given");
        goto cleanup;
    }
    opts.trust = trust;
    opts.n_trust = n_trust;
    if (opts.profile) {
        /* Once, before any bundle: a bad profile is the caller's, not each bag's. */
        struct artbag_error perr = {0};

        if (artbag_profile_check(opts.profile, &perr) != ARTBAG_OK) {
            code = cli_fail("verify", &perr);
            goto cleanup;
        }
    }
    if (json) {
        doc = json_object();
        bundles = json_array();
        json_object_set_new(doc, "bundles", bundles);
    }
    /* Bundles run on the workers; results print here, in the order given. */
    if (jobs > 1 && list.n > 1)
        opts.threads = 1; /* the bundles are the parallelism; one thread inflates each */
    else if (jobs > 0)
        opts.threads = jobs;
    cli_progress_init(&meter, progress && list.n > 1, "verify:");
    run.list = &list;
    run.opts = &opts;
    run.slots = calloc(list.n, sizeof(*run.slots));
    if (!run.slots) {
        code = EXIT_INTERNAL;
        goto cleanup;
    }
    pthread_mutex_init(&run.lock, NULL);
    pthread_cond_init(&run.ready, NULL);
    if (jobs < 1)
        jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    /* The main thread only prints, so -j N means N workers; -j 1 (or one bundle) starts none. */
    if (jobs > 1 && list.n > 1)
        for (n_threads = 0; n_threads < jobs && (size_t)n_threads < list.n; n_threads++)
            if (pthread_create(&tids[n_threads], NULL, verify_worker, &run) != 0)
                break;
    if (n_threads == 0)
        verify_worker(&run);
    for (size_t i = 0; i < list.n; i++) {
        struct slot *sl = &run.slots[i];
        const char *path = list.paths[i];

        pthread_mutex_lock(&run.lock);
        while (!sl->done)
            pthread_cond_wait(&run.ready, &run.lock);
        pthread_mutex_unlock(&run.lock);
        done_bytes += sl->bytes;
        if (sl->rc != ARTBAG_OK) {
            /* Report and keep going: one unreadable bundle must not hide the others. */
            if (sl->rc == ARTBAG_EIO)
                any_io = 1;
            else if (sl->rc == ARTBAG_EUSAGE)
                any_usage = 1;
            else if (sl->rc == ARTBAG_EINTERNAL)
                any_internal = 1;
            else
                any_invalid = 1;
            cli_progress_done(&meter);
            if (json)
                json_array_append_new(bundles, failure_json(path, &sl->err));
            else
                cli_fail("verify", &sl->err);
        } else {
            struct artbag_report *r = sl->r;

            if (!r->valid)
                any_invalid = 1;
            if (json) {
                json_array_append_new(bundles, report_json(r));
            } else if (!quiet || !r->valid || r->n_warnings) {
                cli_progress_done(&meter);
                cli_print_report(r);
            }
            artbag_report_free(r);
            sl->r = NULL;
        }
        cli_progress_update(&meter, i + 1, list.n, done_bytes);
    }
    for (int t = 0; t < n_threads; t++)
        pthread_join(tids[t], NULL);
    cli_progress_done(&meter);
    if (json) {
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    }
    if (fflush(stdout) != 0) {
        perror("artbag: verify: stdout");
        any_io = 1;
    }
    code = any_internal  ? EXIT_INTERNAL
           : any_io      ? EXIT_IO
           : any_usage   ? EXIT_USAGE
           : any_invalid ? EXIT_REJECT
                         : EXIT_OK;
cleanup:
    if (run.slots) {
        pthread_mutex_destroy(&run.lock);
        pthread_cond_destroy(&run.ready);
    }
    free(run.slots);
    for (size_t i = 0; i < list.n; i++)
        free(list.paths[i]);
    free(list.paths);
    return code;
}
