/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* passphrase.c - reads a key's passphrase from a file or from the terminal with echo off; the
 * caller wipes it with cli_passphrase_wipe() as soon as the key is loaded or written. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* Why read_line() refused a line. */
enum { LINE_OK = 0, LINE_TOO_LONG = -1, LINE_NUL = -2 };

static int read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;

    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || c == '\n')
            break;
        /* The passphrase is a C string from here on: a NUL would silently cut it short, so a
         * key made with "ab\0cd" would open with "ab". */
        if (c == '\0') {
            explicit_bzero(buf, size);
            return LINE_NUL;
        }
        if (n + 1 >= size)
            return LINE_TOO_LONG;
        buf[n++] = c;
    }
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return LINE_OK;
}

static int prompt(int tty, const char *text, char *buf, size_t size)
{
    struct termios old, quiet;
    int rc;

    if (tcgetattr(tty, &old) < 0)
        return -3;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    if (write(tty, text, strlen(text)) < 0 || tcsetattr(tty, TCSAFLUSH, &quiet) < 0)
        return -3;
    rc = read_line(tty, buf, size);
    tcsetattr(tty, TCSAFLUSH, &old);
    return rc;
}

int cli_passphrase(const char *verb, const char *keyfile, const char *file, int confirm, char *buf,
                   size_t size)
{
    char again[CLI_PASSPHRASE_MAX], ask[PATH_MAX + 64];
    int fd, rc;

    if (file) {
        struct stat st;

        /* Without blocking, and only a regular file: a FIFO nobody writes would hang here. */
        fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
            fprintf(stderr, "artbag: %s: '%s': %s\n", verb, file, strerror(errno));
            return EXIT_IO;
        }
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            fprintf(stderr, "artbag: %s: '%s': not a regular file\n", verb, file);
            return EXIT_IO;
        }
        rc = read_line(fd, buf, size);
        close(fd);
        if (rc != LINE_OK || !*buf) {
            cli_passphrase_wipe(buf, size);
            return cli_usage_error(verb, "'%s': %s", file,
                                   rc == LINE_TOO_LONG ? "passphrase too long"
                                   : rc == LINE_NUL
                                       ? "the passphrase holds a NUL byte, which would end it "
                                         "early; refusing"
                                       : "empty passphrase");
        }
        return EXIT_OK;
    }
    fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return cli_usage_error(verb,
                               "no terminal to ask for the passphrase of '%s'; pass "
                               "--passphrase-file FILE%s",
                               keyfile, confirm ? " or --no-passphrase" : "");
    /* Named, since a script may sign with several keys and each wants its own passphrase. */
    snprintf(ask, sizeof(ask), "passphrase for '%s': ", keyfile);
    rc = prompt(fd, ask, buf, size);
    if (rc == 0 && confirm) {
        snprintf(ask, sizeof(ask), "passphrase for '%s' again: ", keyfile);
        rc = prompt(fd, ask, again, sizeof(again));
        if (rc == 0 && strcmp(buf, again) != 0)
            rc = 1;
        cli_passphrase_wipe(again, sizeof(again));
    }
    close(fd);
    if (rc == 0 && *buf)
        return EXIT_OK;
    cli_passphrase_wipe(buf, size);
    return cli_usage_error(verb, "%s",
                           rc == LINE_NUL        ? "the passphrase holds a NUL byte; refusing"
                           : rc == LINE_TOO_LONG ? "passphrase too long"
                           : rc == 1             ? "the passphrases differ"
                           : rc == 0             ? "empty passphrase"
                                                 : "cannot read the passphrase");
}

void cli_passphrase_wipe(char *buf, size_t size)
{
    explicit_bzero(buf, size);
}

int cli_key_passphrase(const char *verb, const char *keyfile, const char *file, char *buf,
                       size_t size)
{
    char head[4096];
    struct stat st;
    ssize_t n;
    int fd;

    buf[0] = '\0';
    if (file)
        return cli_passphrase(verb, keyfile, file, 0, buf, size);
    /* Ask only for a key that needs it; a key that cannot be used (unreadable, not a file, open
     * to others) is the library's to report, before anyone types a passphrase for it. */
    fd = open(keyfile, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return EXIT_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))) {
        close(fd);
        return EXIT_OK;
    }
    n = read(fd, head, sizeof(head) - 1);
    close(fd);
    head[n > 0 ? n : 0] = '\0';
    if (!strstr(head, "-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        return EXIT_OK;
    return cli_passphrase(verb, keyfile, NULL, 0, buf, size);
}
