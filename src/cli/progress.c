/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* progress.c - a one-line progress meter on stderr for long runs: done/total, bytes, rate and
 * time left, redrawn at most ten times a second, and only where someone is looking. */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_progress_parse(const char *arg, int *mode)
{
    if (!arg) /* a bare --progress: asking for it is asking for it always */
        *mode = 1;
    else if (strcmp(arg, "auto") == 0)
        *mode = isatty(2);
    else if (strcmp(arg, "always") == 0)
        *mode = 1;
    else if (strcmp(arg, "never") == 0)
        *mode = 0;
    else
        return -1;
    return 0;
}

void cli_progress_init(struct cli_progress *p, int enabled, const char *what)
{
    memset(p, 0, sizeof(*p));
    p->enabled = enabled;
    p->what = what;
    p->start = now();
}

static void human(double bytes, char *out, size_t n)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;

    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    snprintf(out, n, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t total, uint64_t bytes)
{
    double t = now(), elapsed = t - p->start, rate;
    char b[32], r[32], eta[32] = "";

    if (!p->enabled || (done < total && t - p->last < 0.1))
        return;
    p->last = t;
    rate = elapsed > 0 ? (double)bytes / elapsed : 0;
    human((double)bytes, b, sizeof(b));
    human(rate, r, sizeof(r));
    if (done && done < total && elapsed > 0)
        snprintf(eta, sizeof(eta), ", ETA %.0fs", elapsed / (double)done * (double)(total - done));
    fprintf(stderr, "\r%s %llu/%llu, %s, %s/s%s\033[K", p->what, (unsigned long long)done,
            (unsigned long long)total, b, r, eta);
    p->drawn = 1;
}

/*
 * The meter's line is erased rather than ended: a result or a message then starts where the
 * meter was, and no stale "3/10" is left standing between the results or after the last.
 */
void cli_progress_done(struct cli_progress *p)
{
    if (p->enabled && p->drawn)
        fputs("\r\033[K", stderr);
    p->drawn = 0;
}
