/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cmd_audit.c - "artbag audit": fixity audits that remember, in a ledger; and its
 * sub-commands check-ledger and export. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

void cmd_audit_usage(FILE *out)
{
    fprintf(out,
            "usage: artbag audit [options] PATH...\n"
            "       artbag audit check-ledger [--ledger FILE]\n"
            "       artbag audit export --format premis|csv|jsonl [--since DATE] [--ledger FILE]\n"
            "       artbag audit merge OUT IN...\n"
            "\n"
            "Verifies every bundle under each PATH (archives by name as verify -r finds them,\n"
            "and bag directories: a directory holding bagit.txt) and records each check in a\n"
            "ledger (SQLite), then says what changed since the ledger last saw each bundle:\n"
            "new, missing, moved (same bundle, new path), replaced (same path, another\n"
            "bundle), failing (was valid), recovered, and duplicates (copies per bundle).\n"
            "A bundle is known by the SHA-256 of its tag manifest. An audit that is killed or\n"
            "stopped by its budget is resumed by the next one of the same PATHs.\n"
            "\n"
            "options:\n"
            "      --ledger FILE     the ledger (default $XDG_STATE_HOME/artbag/ledger.sqlite,\n"
            "                        else ~/.local/state/artbag/ledger.sqlite)\n"
            "      --due AGE         check only bundles whose last good check is older than AGE\n"
            "                        (e.g. 90d; units s, m, h, d, w), oldest first\n"
            "      --budget TIME     start no check after TIME (e.g. 6h); finishes the one begun\n"
            "      --max-bytes N     start no check after N bundle bytes (suffixes K, M, G, T)\n"
            "      --shard K/N       check only share K of N (1 <= K <= N), split by a hash of\n"
            "                        each bundle's path below its PATH\n"
            "  -j, --jobs N          check N bundles at once (default: one per CPU)\n"
            "      --wait SECONDS    wait this long for a ledger another process holds (10)\n"
            "      --json            print the report as one JSON document\n"
            "      --format F        export: premis, csv or jsonl\n"
            "      --since DATE      export: only events from DATE on\n"
            "  -q, --quiet           print only checks that are not valid, and the changes\n"
            "  -h, --help            show this help\n"
            "\n"
            "check-ledger: SQLite's integrity check, then every event's hash and its link to\n"
            "the one before; names the first broken link.\n"
            "export: the events (at or after --since, YYYY-MM-DD or a UTC time) to standard\n"
            "output as PREMIS 3.0 XML, CSV or JSON Lines.\n"
            "merge: copies every audit and event of the ledgers IN (shards' ledgers) into OUT,\n"
            "keeping their chains; each IN must pass check-ledger.\n"
            "\n"
            "exit status: 0 every check valid and nothing missing, replaced or newly failing;\n"
            "1 any check invalid or unreadable, or any bundle missing, replaced or failing\n"
            "(check-ledger: the ledger is broken); 2 usage; 3 could not do the job (ledger\n"
            "not an artbag ledger, newer, read-only or locked; a PATH unreadable; interrupted)\n"
            "\n"
            "example:\n"
            "  artbag audit --due 90d --budget 6h /srv/archive\n"
            "  artbag audit export --format premis --since 2026-01-01 > events.xml\n");
}

/* "90d", "6h", "30m", "45s", "2w", or bare seconds, into seconds; -1 when not a duration. */
static int parse_duration(const char *s, int64_t *out)
{
    long long v;
    char *end;
    int64_t unit = 1;

    if (!*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    v = strtoll(s, &end, 10);
    if (end == s)
        return -1;
    switch (*end) {
    case '\0':
    case 's':
        break;
    case 'm':
        unit = 60;
        break;
    case 'h':
        unit = 3600;
        break;
    case 'd':
        unit = 86400;
        break;
    case 'w':
        unit = 7 * 86400;
        break;
    default:
        return -1;
    }
    if (*end && end[1])
        return -1;
    if (v <= 0 || v > INT64_MAX / unit / 1000)
        return -1;
    *out = v * unit;
    return 0;
}

struct printer {
    int json, quiet;
    json_t *events;
};

static void on_event(void *ctx, const struct artbag_audit_event *ev)
{
    struct printer *p = ctx;

    if (p->json) {
        json_array_append_new(p->events,
                              json_pack("{s:I, s:s, s:s?, s:s, s:I}", "id", (json_int_t)ev->id,
                                        "path", ev->path, "identity", ev->identity, "outcome",
                                        ev->outcome, "duration_ms", (json_int_t)ev->duration_ms));
        return;
    }
    if (ev->report) {
        if (!p->quiet || !ev->report->valid)
            cli_print_report(ev->report);
    } else {
        printf("FAIL  ");
        cli_put(stdout, ev->path);
        printf(": unreadable: ");
        cli_put_msg(stdout, ev->error ? ev->error : "");
        printf("\n");
    }
    fflush(stdout);
}

static const char *change_label(const char *kind)
{
    return strcmp(kind, "failing") == 0 ? "failing (was valid)" : kind;
}

static void print_changes(const struct artbag_audit_result *r)
{
    printf("audit %lld%s: %llu bundles found, %llu due, %llu checked (%llu valid, %llu invalid, "
           "%llu unreadable), %llu bytes\n",
           (long long)r->audit, r->resumed ? " (resumed)" : "", (unsigned long long)r->found,
           (unsigned long long)r->due, (unsigned long long)r->checked, (unsigned long long)r->valid,
           (unsigned long long)r->invalid, (unsigned long long)r->unreadable,
           (unsigned long long)r->bytes);
    for (size_t i = 0; i < r->n_changes; i++) {
        const struct artbag_audit_change *c = &r->changes[i];

        printf("  %-10s ", change_label(c->kind));
        cli_put(stdout, c->path);
        if (c->old_path) {
            printf(" (was ");
            cli_put(stdout, c->old_path);
            printf(")");
        }
        if (strcmp(c->kind, "duplicate") == 0)
            printf(" (%llu copies of %.16s...)", (unsigned long long)c->copies,
                   c->identity ? c->identity : "?");
        printf("\n");
    }
    if (r->stopped)
        printf("stopped: the budget ran out with %llu due bundles unchecked; the next audit "
               "of these paths resumes\n",
               (unsigned long long)(r->due - r->checked));
}

static json_t *result_json(const struct artbag_audit_result *r, json_t *events)
{
    json_t *changes = json_array();

    for (size_t i = 0; i < r->n_changes; i++) {
        const struct artbag_audit_change *c = &r->changes[i];
        json_t *o = json_pack("{s:s, s:s, s:s?, s:s?}", "kind", c->kind, "path", c->path,
                              "old_path", c->old_path, "identity", c->identity);

        if (strcmp(c->kind, "duplicate") == 0)
            json_object_set_new(o, "copies", json_integer((json_int_t)c->copies));
        json_array_append_new(changes, o);
    }
    return json_pack("{s:I, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "audit",
                     (json_int_t)r->audit, "resumed", r->resumed, "stopped", r->stopped, "found",
                     (json_int_t)r->found, "due", (json_int_t)r->due, "checked",
                     (json_int_t)r->checked, "valid", (json_int_t)r->valid, "invalid",
                     (json_int_t)r->invalid, "unreadable", (json_int_t)r->unreadable, "bytes",
                     (json_int_t)r->bytes, "events", events, "changes", changes);
}

/* The ledger path: --ledger, else the default. EXIT_OK or the exit code after saying why. */
static int ledger_path(const char *given, char **out)
{
    struct artbag_error err = {0};

    if (given) {
        *out = strdup(given);
        return *out ? EXIT_OK : EXIT_INTERNAL;
    }
    if (artbag_audit_ledger_default(out, &err) != ARTBAG_OK)
        return cli_fail("audit", &err);
    return EXIT_OK;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
    char *slash = strchr(s, '/'), kbuf[24];
    long long a, b;

    if (!slash || (size_t)(slash - s) >= sizeof(kbuf))
        return -1;
    memcpy(kbuf, s, (size_t)(slash - s));
    kbuf[slash - s] = '\0';
    if (cli_parse_int64(kbuf, 1, 1000000, &a) != 0 ||
        cli_parse_int64(slash + 1, 1, 1000000, &b) != 0 || a > b)
        return -1;
    *k = (unsigned)(a - 1);
    *n = (unsigned)b;
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    enum { RUN, CHECK, EXPORT, MERGE } mode = RUN;
    static const struct option longopts[] = {
        {"ledger", required_argument, NULL, 'L'},
        {"due", required_argument, NULL, 'D'},
        {"budget", required_argument, NULL, 'B'},
        {"max-bytes", required_argument, NULL, 'M'},
        {"shard", required_argument, NULL, 'S'},
        {"jobs", required_argument, NULL, 'j'},
        {"wait", required_argument, NULL, 'W'},
        {"json", no_argument, NULL, 'J'},
        {"quiet", no_argument, NULL, 'q'},
        {"format", required_argument, NULL, 'F'},
        {"since", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct artbag_audit_options ao;
    struct artbag_audit_result *res = NULL;
    struct artbag_ledger *ledger = NULL;
    struct artbag_error err = {0};
    struct printer pr = {0};
    const char *given = NULL, *since = NULL;
    char *path = NULL;
    int opt, code = EXIT_OK, format = -1, wait_s = 10;
    long long v;

    artbag_audit_options_init(&ao);
    if (argc > 1 && strcmp(argv[1], "check-ledger") == 0)
        mode = CHECK;
    else if (argc > 1 && strcmp(argv[1], "export") == 0)
        mode = EXPORT;
    else if (argc > 1 && strcmp(argv[1], "merge") == 0)
        mode = MERGE;
    if (mode != RUN) {
        argc--;
        argv++;
    }
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":qhj:", longopts, NULL)) != -1) {
        /* Each sub-command takes only its own options. */
        int ok = mode == RUN                      ? strchr("LDBMSjWJqh", opt) != NULL
                 : mode == CHECK || mode == MERGE ? strchr("LWh", opt) != NULL
                                                  : strchr("LWFsh", opt) != NULL;

        if (opt != ':' && opt != '?' && !ok)
            return cli_usage_error("audit", "option '%s' does not apply here", argv[optind - 1]);
        switch (opt) {
        case 'L':
            given = optarg;
            break;
        case 'D':
            if (parse_duration(optarg, &ao.due) != 0)
                return cli_usage_error("audit", "--due '%s': expected an age such as 90d", optarg);
            break;
        case 'B':
            if (parse_duration(optarg, &ao.budget) != 0)
                return cli_usage_error("audit", "--budget '%s': expected a time such as 6h",
                                       optarg);
            break;
        case 'M':
            if (cli_parse_size(optarg, &ao.max_bytes) != 0)
                return cli_usage_error("audit", "--max-bytes '%s' is not a positive size", optarg);
            break;
        case 'S':
            if (parse_shard(optarg, &ao.shard, &ao.n_shards) != 0)
                return cli_usage_error("audit", "--shard '%s': expected K/N with 1 <= K <= N",
                                       optarg);
            break;
        case 'j':
            if (cli_parse_int64(optarg, 1, 64, &v) != 0)
                return cli_usage_error("audit", "-j '%s': expected 1 to 64 threads", optarg);
            ao.threads = (int)v;
            break;
        case 'W':
            if (cli_parse_int64(optarg, 0, 86400, &v) != 0)
                return cli_usage_error("audit", "--wait '%s': expected 0 to 86400 seconds", optarg);
            wait_s = (int)v;
            break;
        case 'J':
            pr.json = 1;
            break;
        case 'q':
            pr.quiet = 1;
            break;
        case 'F':
            format = strcmp(optarg, "premis") == 0  ? ARTBAG_AUDIT_PREMIS
                     : strcmp(optarg, "csv") == 0   ? ARTBAG_AUDIT_CSV
                     : strcmp(optarg, "jsonl") == 0 ? ARTBAG_AUDIT_JSONL
                                                    : -1;
            if (format < 0)
                return cli_usage_error("audit", "--format '%s': expected premis, csv or jsonl",
                                       optarg);
            break;
        case 's':
            since = optarg;
            break;
        case 'h':
            cmd_audit_usage(stdout);
            return EXIT_OK;
        case ':':
            return cli_usage_error("audit", "option '%s' needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("audit", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (mode == RUN && optind == argc)
        return cli_usage_error("audit", "no PATH given");
    if (mode == MERGE) {
        if (argc - optind < 2)
            return cli_usage_error("audit", "merge needs OUT and at least one IN");
        given = argv[optind++];
    }
    if (mode != RUN && mode != MERGE && optind != argc)
        return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
    if (mode == EXPORT && format < 0)
        return cli_usage_error("audit", "export needs --format premis, csv or jsonl");
    if ((code = ledger_path(given, &path)) != EXIT_OK)
        return code;
    if (artbag_audit_ledger_open(path, mode == RUN || mode == MERGE ? 0 : ARTBAG_LEDGER_READONLY,
                                 wait_s * 1000, &ledger, &err) != ARTBAG_OK) {
        code = cli_fail("audit", &err);
        goto cleanup;
    }
    if (mode == CHECK) {
        char *broken = NULL;
        uint64_t n = 0;

        if (artbag_audit_check_ledger(ledger, &broken, &n, &err) != ARTBAG_OK) {
            code = cli_fail("audit", &err);
        } else if (broken) {
            printf("BROKEN  ");
            cli_put(stdout, path);
            printf(": ");
            cli_put(stdout, broken);
            printf("\n");
            code = EXIT_REJECT;
        } else {
            printf("OK  ");
            cli_put(stdout, path);
            printf(": %llu events, every chain intact\n", (unsigned long long)n);
        }
        free(broken);
        goto cleanup;
    }
    if (mode == MERGE) {
        if (artbag_audit_merge(ledger, (const char *const *)argv + optind, (size_t)(argc - optind),
                               &err) != ARTBAG_OK)
            code = cli_fail("audit", &err);
        goto cleanup;
    }
    if (mode == EXPORT) {
        if (artbag_audit_export(ledger, format, since, 1, &err) != ARTBAG_OK)
            code = cli_fail("audit", &err);
        goto cleanup;
    }
    pr.events = json_array();
    ao.on_event = on_event;
    ao.ctx = &pr;
    if (artbag_audit_run(ledger, (const char *const *)argv + optind, (size_t)(argc - optind), &ao,
                         &res, &err) != ARTBAG_OK) {
        code = cli_fail("audit", &err);
        goto cleanup;
    }
    if (pr.json) {
        json_t *doc = result_json(res, pr.events);

        pr.events = NULL;
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        print_changes(res);
    }
    code = res->invalid || res->unreadable ? EXIT_REJECT : EXIT_OK;
    for (size_t i = 0; i < res->n_changes; i++)
        if (strcmp(res->changes[i].kind, "missing") == 0 ||
            strcmp(res->changes[i].kind, "replaced") == 0 ||
            strcmp(res->changes[i].kind, "failing") == 0)
            code = EXIT_REJECT;
cleanup:
    if (fflush(stdout) != 0 && code == EXIT_OK) {
        perror("artbag: audit: stdout");
        code = EXIT_IO;
    }
    json_decref(pr.events);
    artbag_audit_result_free(res);
    artbag_audit_ledger_close(ledger);
    free(path);
    return code;
}
