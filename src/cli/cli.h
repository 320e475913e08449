/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* cli.h - what the artbag command's verb files share: the command table's entry type and the
 * one place that turns a library status into an exit code. */
#ifndef ARTBAG_CLI_H
#define ARTBAG_CLI_H

#include <stdio.h>

#include "artbag.h"

/* Exit codes, documented in README.md and the man page. */
enum {
    EXIT_OK = 0,       /* done; warnings may be on stderr */
    EXIT_REJECT = 1,   /* checked and rejected */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_IO = 3,       /* could not do the job */
    EXIT_INTERNAL = 4, /* a bug */
};

struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*usage)(FILE *out); /* full help for "artbag help VERB" and "VERB -h" */
    const char *summary;      /* one line for "artbag --help" */
};

/* Prints "artbag: VERB: MSG" for a failed library call and returns its exit code. */
int cli_fail(const char *verb, const struct artbag_error *err);

/* Prints "artbag: VERB: MSG" and "Try 'artbag VERB --help'.", and returns EXIT_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/*
 * Writes s with everything that would act on a terminal escaped: C0 controls, DEL and bytes that
 * are not UTF-8 as \xNN, C1 controls and bidirectional controls as \uNNNN. Names in bundles and
 * on command lines may hold them, and must not be able to forge or reorder artbag's output.
 */
void cli_put(FILE *out, const char *s);
/* A message of the library as the command line says it: "the max_bytes option" becomes
 * "--max-bytes". Written into buf (CLI_MSG_MAX bytes will do), which is returned. */
#define CLI_MSG_MAX 16384
const char *cli_msg(const char *s, char *buf, size_t size);
/* cli_put() of cli_msg(s). */
void cli_put_msg(FILE *out, const char *s);

/* Non-zero when path names a directory (following links). */
int cli_is_dir(const char *path);

/* Parses a whole decimal number in [min, max]; returns 0 on success. */
int cli_parse_int64(const char *s, long long min, long long max, long long *out);

/* Parses a byte count with an optional K/M/G/T (1024-based) suffix; 0 on success. */
int cli_parse_size(const char *s, uint64_t *out);

/*
 * The budgets verify, unpack and show share (README, "Limits"): their long options, with
 * getopt codes 0x100 and up, their help lines, and their parser, which returns -1 for an option
 * that is not one of them, else EXIT_OK or EXIT_USAGE after saying why.
 */
#define CLI_LIMIT_OPTIONS                                                                          \
    {"max-bytes", required_argument, NULL, 0x100},                                                 \
        {"max-entries", required_argument, NULL, 0x101},                                           \
        {"max-depth", required_argument, NULL, 0x102},                                             \
        {"max-ratio", required_argument, NULL, 0x103},                                             \
    {                                                                                              \
        "max-window", required_argument, NULL, 0x104                                               \
    }
#define CLI_LIMIT_HELP                                                                             \
    "      --max-bytes N     stop after N decompressed bytes, tar headers and padding\n"           \
    "                        included (default 64G); suffixes K, M, G, T (powers of 1024)\n"       \
    "      --max-entries N   stop after N archive entries (default 5000000)\n"                     \
    "      --max-depth N     refuse paths nested more than N deep in the bag (default 128)\n"      \
    "      --max-ratio N     stop when past 64 MiB the output exceeds N times the input\n"         \
    "                        read (default 1000; 0: no ceiling)\n"                                 \
    "      --max-window N    refuse xz, lzma, lzip or zstd streams that need a dictionary\n"       \
    "                        or window over N bytes (default 64M)\n"                               \
    "                        Over a limit: exit 3, \"could not check within the limits\"\n"
int cli_limit_option(const char *verb, int opt, const char *arg, struct artbag_verify_options *o);

/* Prints a verification report: a status line, then one line per warning or problem. */
void cli_print_report(const struct artbag_report *r);

#define CLI_PASSPHRASE_MAX 1024

/*
 * Reads the passphrase of the secret key keyfile from the first line of file, or when file is
 * NULL from the terminal with echo off, asking by the key's name (twice when confirm). Returns
 * EXIT_OK, or the exit code after printing why.
 */
int cli_passphrase(const char *verb, const char *keyfile, const char *file, int confirm, char *buf,
                   size_t size);
/*
 * The passphrase for the secret key keyfile: from file when given, else asked for on the
 * terminal when the key is encrypted, else empty. EXIT_OK or the exit code after printing why.
 */
int cli_key_passphrase(const char *verb, const char *keyfile, const char *file, char *buf,
                       size_t size);
/* Wipes a passphrase buffer in a way the compiler may not optimise away. */
void cli_passphrase_wipe(char *buf, size_t size);

/* A progress meter on stderr (progress.c). */
struct cli_progress {
    int enabled, drawn;
    const char *what;
    double start, last;
};
/* "auto" (stderr is a terminal), "always" or "never" (NULL, a bare --progress: always) into
 * *mode; -1 for anything else. */
int cli_progress_parse(const char *arg, int *mode);
void cli_progress_init(struct cli_progress *p, int enabled, const char *what);
void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t total, uint64_t bytes);
/* Erases the meter's line (\r, erase to end) so what follows starts where it was. */
void cli_progress_done(struct cli_progress *p);

int cmd_pack(int argc, char **argv);
void cmd_pack_usage(FILE *out);
int cmd_verify(int argc, char **argv);
void cmd_verify_usage(FILE *out);
int cmd_unpack(int argc, char **argv);
void cmd_unpack_usage(FILE *out);
int cmd_show(int argc, char **argv);
void cmd_show_usage(FILE *out);
int cmd_inspect(int argc, char **argv);
void cmd_inspect_usage(FILE *out);
int cmd_keygen(int argc, char **argv);
void cmd_keygen_usage(FILE *out);
int cmd_sign(int argc, char **argv);
void cmd_sign_usage(FILE *out);
int cmd_audit(int argc, char **argv);
void cmd_audit_usage(FILE *out);

#endif /* ARTBAG_CLI_H */
