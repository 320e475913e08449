/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* main.c - the artbag command: finds the verb in the command table and runs it; everything a
 * verb does lives in libartbag, and only this front end prints or exits. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <utf8proc.h>

#include "cli.h"

static int cmd_help(int argc, char **argv);
static void cmd_help_usage(FILE *out);

static const struct cli_command commands[] = {
    {"pack", cmd_pack, cmd_pack_usage, "pack an article into a BagIt bundle (.tar.gz)"},
    {"verify", cmd_verify, cmd_verify_usage, "prove bundles intact (any BagIt bag or bundle)"},
    {"unpack", cmd_unpack, cmd_unpack_usage, "restore a bundle, only if it is proven intact"},
    {"show", cmd_show, cmd_show_usage, "say what a bundle holds, without unpacking it"},
    {"inspect", cmd_inspect, cmd_inspect_usage, "say what pack would record for articles"},
    {"keygen", cmd_keygen, cmd_keygen_usage, "make an Ed25519 key pair for signing bundles"},
    {"sign", cmd_sign, cmd_sign_usage, "sign (or counter-sign) a bundle"},
    {"audit", cmd_audit, cmd_audit_usage, "verify bundles on a schedule and keep a ledger"},
    {"help", cmd_help, cmd_help_usage, "show help for artbag or for one command"},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
    fprintf(out, "usage: artbag [--version] [--help] COMMAND [ARGS]\n\n"
                 "Packs news articles into BagIt bundles (RFC 8493 bags as .tar.gz) and checks "
                 "them.\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'artbag help COMMAND' for a command's options.\n\n"
                 "exit status: 0 success, 1 checked and rejected, 2 usage, 3 could not do the "
                 "job (I/O,\npermissions, output exists), 4 internal error\n");
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void cmd_help_usage(FILE *out)
{
    fprintf(out, "usage: artbag help [COMMAND]\n\nShows the help of artbag or of COMMAND.\n\n"
                 "options:\n"
                 "  -h, --help            show this help\n");
}

static int cmd_help(int argc, char **argv)
{
    const struct cli_command *c;

    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        cmd_help_usage(stdout);
        return EXIT_OK;
    }
    if (argc < 2) {
        usage(stdout);
        return EXIT_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "too many arguments");
    c = find_command(argv[1]);
    if (!c)
        return cli_usage_error("help", "'%s' is not an artbag command", argv[1]);
    c->usage(stdout);
    return EXIT_OK;
}

int cli_fail(const char *verb, const struct artbag_error *err)
{
    int code = -err->status;

    fprintf(stderr, "artbag: %s: ", verb);
    cli_put_msg(stderr, err->msg);
    fputc('\n', stderr);
    /* The library found the request meaningless: the same pointer as any usage error. */
    if (code == EXIT_USAGE)
        fprintf(stderr, "Try 'artbag %s --help'.\n", verb);
    /* One failure, one exit code: anything outside the documented set is our bug. */
    return code >= EXIT_REJECT && code <= EXIT_INTERNAL ? code : EXIT_INTERNAL;
}

/*
 * One line that says what is wrong and one that says where the help is, as git and tar do:
 * the whole help would bury the line that matters, and a script's log would fill with it.
 */
int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "artbag: %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'artbag %s --help'.\n", verb);
    return EXIT_USAGE;
}

/*
 * Characters that change how a terminal shows what follows rather than showing themselves: C1
 * controls (U+009B is CSI, an escape sequence in one character) and the bidirectional
 * overrides, embeddings, isolates and marks, which can make a name read backwards.
 */
static int is_display_control(utf8proc_int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/*
 * The library names an option as "the max_bytes option" (it knows no command line); here that
 * is the flag the user types. Only the options some library message names are listed.
 */
static const struct {
    const char *field, *flag;
} option_flags[] = {
    {"max_bytes", "--max-bytes"},
    {"max_ratio", "--max-ratio"},
    {"max_entries", "--max-entries"},
    {"max_depth", "--max-depth"},
    {"max_window", "--max-window"},
    {"require_signature", "--require-signature"},
    {"trust", "--trust"},
    {"force", "--force"},
    {"ledger", "--ledger"},
    {"attach", "--attach"},
};

const char *cli_msg(const char *s, char *buf, size_t size)
{
    size_t n = 0;

    /* Every flag is shorter than "the NAME option", so the result fits when s does; a longer
     * message (a report's, naming a long path) is shown as the library wrote it. */
    if (strlen(s) >= size)
        return s;
    while (*s) {
        size_t k = 0;

        if (strncmp(s, "the ", 4) == 0) {
            for (size_t i = 0; i < sizeof(option_flags) / sizeof(option_flags[0]); i++) {
                size_t f = strlen(option_flags[i].field);

                if (strncmp(s + 4, option_flags[i].field, f) == 0 &&
                    strncmp(s + 4 + f, " option", 7) == 0) {
                    n += (size_t)snprintf(buf + n, size - n, "%s", option_flags[i].flag);
                    k = 4 + f + 7;
                    break;
                }
            }
        }
        if (k)
            s += k;
        else
            buf[n++] = *s++;
    }
    buf[n] = '\0';
    return buf;
}

void cli_put_msg(FILE *out, const char *s)
{
    char buf[CLI_MSG_MAX];

    cli_put(out, cli_msg(s, buf, sizeof(buf)));
}

void cli_put(FILE *out, const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;

    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);

        if (n <= 0) { /* not UTF-8: shown as the byte it is, never passed to the terminal */
            fprintf(out, "\\x%02x", *p++);
            continue;
        }
        if (cp < 0x20 || cp == 0x7f)
            fprintf(out, "\\x%02x", (unsigned)cp);
        else if (is_display_control(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(p, 1, (size_t)n, out);
        p += n;
    }
}

int cli_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_parse_int64(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v;

    if (!*s || *s == ' ' || *s == '+')
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static volatile sig_atomic_t caught;

/*
 * The first SIGINT/SIGTERM/SIGHUP asks the library to stop, so it removes its temporary files;
 * main() then dies by the same signal, as a shell expects. A second one kills at once.
 */
static void on_signal(int sig)
{
    /* The interrupted code may be between a failing call and its look at errno. */
    int saved = errno;

    if (caught) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else {
        caught = sig;
        artbag_cancel();
    }
    errno = saved;
}

static void install_signal_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a read blocked on a pipe must return so the cancellation is seen. */
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
    const struct cli_command *c;
    int code;

    if (argc < 2) {
        fputs("artbag: no command given\nTry 'artbag --help'.\n", stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("artbag %s\n", artbag_version());
        return EXIT_OK;
    }
    if (argv[1][0] == '-') {
        fprintf(stderr, "artbag: unknown option '%s'\nTry 'artbag --help'.\n", argv[1]);
        return EXIT_USAGE;
    }
    c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "artbag: '%s' is not an artbag command\nTry 'artbag --help'.\n", argv[1]);
        return EXIT_USAGE;
    }
    install_signal_handlers();
    code = c->run(argc - 1, argv + 1);
    if (caught) {
        signal(caught, SIG_DFL);
        raise(caught);
    }
    return code;
}
