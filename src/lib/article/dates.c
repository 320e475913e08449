/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * dates.c - reading the dates capture tools and writers put in articles, in their common forms,
 * into YYYY-MM-DD or RFC 3339.
 *
 * Why not strptime: its %b and %a follow LC_TIME (a program embedding libartbag may have called
 * setlocale, and "May" must read the same everywhere), and glibc's %Y, %m and %d take any number
 * of digits and leading spaces, so "2024-5-021" would pass. The forms are few and fixed, so
 * they are read token by token here, ASCII only, and timegm() checks the day and time (a
 * calendar date that does not round-trip, such as 30 February, is not a date).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "article/shapes.h"

struct when {
    int y, m, d, hh, mm, ss;
    char frac[11]; /* ".123", at most nine digits */
    int has_time, has_zone, zulu, zone_min;
};

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

static int alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int word_is(const char *p, size_t n, const char *w)
{
    size_t i;

    if (strlen(w) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(p[i]) != w[i])
            return 0;
    return 1;
}

static const char *blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Exactly min..max digits, not followed by another. */
static const char *number(const char *p, int min, int max, int *v)
{
    int i = 0, x = 0;

    while (digit(p[i])) {
        if (i == max)
            return NULL;
        x = x * 10 + (p[i] - '0');
        i++;
    }
    if (i < min)
        return NULL;
    *v = x;
    return p + i;
}

/* An English month name, full or three letters ("Sept" too), with an optional '.'. */
static const char *month(const char *p, int *m)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    size_t w = 0, i;

    while (alpha(p[w]))
        w++;
    for (i = 0; i < 12; i++) {
        size_t full = strlen(names[i]);

        if (w && w <= full && (w == full || w == 3 || (i == 8 && w == 4))) {
            size_t k = 0;

            while (k < w && lower(p[k]) == names[i][k])
                k++;
            if (k == w) {
                *m = (int)i + 1;
                return p[w] == '.' && w < full ? p + w + 1 : p + w;
            }
        }
    }
    return NULL;
}

/* An English weekday name, full or three letters, and an optional ','. */
static const char *weekday(const char *p)
{
    static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    size_t w = 0, i;

    while (alpha(p[w]))
        w++;
    for (i = 0; i < 7; i++)
        if ((w == 3 || w == strlen(names[i]))) {
            size_t k = 0;

            while (k < w && lower(p[k]) == names[i][k])
                k++;
            if (k == w) {
                p = blanks(p + w);
                return *p == ',' ? blanks(p + 1) : p;
            }
        }
    return NULL;
}

static const char *ordinal(const char *p)
{
    static const char *const suffixes[] = {"st", "nd", "rd", "th"};
    size_t i;

    for (i = 0; i < 4; i++)
        if (lower(p[0]) == suffixes[i][0] && lower(p[1]) == suffixes[i][1] && !alpha(p[2]))
            return p + 2;
    return p;
}

/* "HH:MM", "HH:MM:SS", "HH:MM:SS.fff". */
static const char *read_clock(const char *p, struct when *w)
{
    size_t f = 0;

    if (!(p = number(p, 2, 2, &w->hh)) || *p != ':' || !(p = number(p + 1, 2, 2, &w->mm)))
        return NULL;
    if (*p == ':') {
        if (!(p = number(p + 1, 2, 2, &w->ss)))
            return NULL;
        if (*p == '.' || *p == ',') {
            w->frac[f++] = '.';
            p++;
            if (!digit(*p))
                return NULL;
            while (digit(*p)) {
                if (f < sizeof(w->frac) - 1)
                    w->frac[f++] = *p;
                p++;
            }
            w->frac[f] = '\0';
        }
    }
    w->has_time = 1;
    return p;
}

/* "Z", "+02:00", "+0200", "+02", "UTC", "GMT", "UTC+2", "(UTC +02:00)", US zone names. */
static const char *zone(const char *p, struct when *w)
{
    static const struct {
        const char *name;
        int hours;
    } named[] = {{"ut", 0},   {"utc", 0},  {"gmt", 0},  {"z", 0},    {"est", -5}, {"edt", -4},
                 {"cst", -6}, {"cdt", -5}, {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
    int paren = 0, h = 0, m = 0, sign;
    size_t wlen = 0, i;
    const char *q;

    if (*p == '(') {
        paren = 1;
        p = blanks(p + 1);
    }
    while (alpha(p[wlen]))
        wlen++;
    if (wlen) {
        for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
            if (word_is(p, wlen, named[i].name))
                break;
        if (i == sizeof(named) / sizeof(named[0]))
            return NULL;
        p = blanks(p + wlen);
        w->has_zone = 1;
        w->zone_min = named[i].hours * 60;
        w->zulu = named[i].hours == 0;
        if (*p != '+' && *p != '-') {
            if (paren && *p++ != ')')
                return NULL;
            return p;
        }
    }
    if (*p != '+' && *p != '-')
        return NULL;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (!(q = number(p, 1, 4, &h)))
        return NULL;
    if (q - p == 4) {
        m = h % 100;
        h /= 100;
    } else if (q - p == 3) {
        return NULL;
    } else if (*q == ':') {
        if (!(q = number(q + 1, 2, 2, &m)))
            return NULL;
    }
    if (h > 23 || m > 59)
        return NULL;
    p = blanks(q);
    if (paren && *p++ != ')')
        return NULL;
    w->has_zone = 1;
    w->zulu = 0;
    w->zone_min = sign * (h * 60 + m);
    return p;
}

/* An optional time and zone after the date: " 10:32", "T10:32:00Z", " 10:32:00 +0200". */
static const char *time_part(const char *p, struct when *w)
{
    const char *q = p, *r;

    if (*q == 'T' || *q == 't')
        q++;
    else if (*q == ' ' || *q == '\t' || *q == ',')
        q = blanks(*q == ',' ? q + 1 : q);
    else
        return p;
    if (!digit(*q))
        return p;
    if (!(q = read_clock(q, w)))
        return NULL;
    r = blanks(q);
    if (*r)
        q = zone(r, w);
    return q;
}

/* "2024-05-21" and "2024/05/21", ISO's order. */
static const char *ymd(const char *p, struct when *w)
{
    char sep;

    if (!(p = number(p, 4, 4, &w->y)) || (*p != '-' && *p != '/'))
        return NULL;
    sep = *p;
    if (!(p = number(p + 1, 2, 2, &w->m)) || *p != sep || !(p = number(p + 1, 2, 2, &w->d)))
        return NULL;
    return p;
}

/* "21.05.2024", the day-first order of most of Europe (never "05/21/2024": ambiguous). */
static const char *dmy_dots(const char *p, struct when *w)
{
    if (!(p = number(p, 1, 2, &w->d)) || *p != '.' || !(p = number(p + 1, 1, 2, &w->m)) ||
        *p != '.' || !(p = number(p + 1, 4, 4, &w->y)))
        return NULL;
    return p;
}

/* "21 May 2024", "May 21, 2024", "May 21 2024", after an optional weekday. */
static const char *named(const char *p, struct when *w)
{
    const char *q;

    if ((q = weekday(p)))
        p = q;
    if (digit(*p)) {
        if (!(p = number(p, 1, 2, &w->d)))
            return NULL;
        p = blanks(ordinal(p));
        if (*p == '-' || *p == ' ')
            p = blanks(p + (*p == '-'));
        if (!(p = month(p, &w->m)))
            return NULL;
        p = blanks(*p == '-' ? p + 1 : p);
    } else {
        if (!(p = month(p, &w->m)))
            return NULL;
        p = blanks(p);
        if (!(p = number(p, 1, 2, &w->d)))
            return NULL;
        p = ordinal(p);
        if (*p == ',')
            p++;
        p = blanks(p);
    }
    return number(p, 4, 4, &w->y);
}

/* Whether the day and time are real, by a round trip through timegm(). */
static int real(const struct when *w)
{
    struct tm tm = {0}, back;
    time_t t;

    if (w->y < 1 || w->m < 1 || w->m > 12 || w->d < 1 || w->d > 31 || w->hh > 23 || w->mm > 59 ||
        w->ss > 60)
        return 0;
    tm.tm_year = w->y - 1900;
    tm.tm_mon = w->m - 1;
    tm.tm_mday = w->d;
    /* timegm() normalises its argument in place (30 February becomes 1 March), so the
     * comparison is with w, not with tm. */
    t = timegm(&tm);
    if (t == (time_t)-1 && !(w->y == 1969 && w->m == 12 && w->d == 31))
        return 0;
    if (!gmtime_r(&t, &back))
        return 0;
    return back.tm_year == w->y - 1900 && back.tm_mon == w->m - 1 && back.tm_mday == w->d;
}

int artbag_date_parse(const char *s, size_t n, char out[ARTBAG_DATE_MAX])
{
    char buf[96];
    struct when w;
    const char *p, *(*readers[])(const char *, struct when *) = {ymd, dmy_dots, named};
    size_t i;

    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n || n >= sizeof(buf) || memchr(s, '\0', n))
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
        memset(&w, 0, sizeof(w));
        p = readers[i](buf, &w);
        if (p)
            p = time_part(p, &w);
        if (p && !*blanks(p) && real(&w))
            break;
    }
    if (i == sizeof(readers) / sizeof(readers[0]))
        return 0;
    if (!w.has_time || !w.has_zone) {
        snprintf(out, ARTBAG_DATE_MAX, "%04d-%02d-%02d", w.y, w.m, w.d);
    } else if (w.zulu) {
        snprintf(out, ARTBAG_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", w.y, w.m, w.d, w.hh,
                 w.mm, w.ss, w.frac);
    } else {
        int z = w.zone_min < 0 ? -w.zone_min : w.zone_min;

        snprintf(out, ARTBAG_DATE_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d", w.y, w.m, w.d,
                 w.hh, w.mm, w.ss, w.frac, w.zone_min < 0 ? '-' : '+', z / 60, z % 60);
    }
    return 1;
}

int artbag_citation_date(const char *c, char out[11])
{
    const char *p, *found = NULL;
    struct when w;

    /* The last one, because the title before it may itself end in parentheses. */
    for (p = strchr(c, '('); p; p = strchr(p + 1, '(')) {
        const char *q;

        memset(&w, 0, sizeof(w));
        if (!(q = number(p + 1, 4, 4, &w.y)) || *q != ',')
            continue;
        q = blanks(q + 1);
        if (!(q = month(q, &w.m)))
            continue;
        q = blanks(q);
        if (!(q = number(q, 1, 2, &w.d)) || *q != ')' || !real(&w))
            continue;
        {
            char d[ARTBAG_DATE_MAX];

            snprintf(d, sizeof(d), "%04d-%02d-%02d", w.y, w.m, w.d);
            memcpy(out, d, 11);
        }
        found = p;
    }
    return found != NULL;
}
