/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * byline.c - turning a byline as written ("by Zoë Fernández and Wang Lei", "A; B",
 * "[[A and B]]", "by NAME, University of X") into the names of the people it credits.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article/shapes.h"

/* ---- lists of strings ------------------------------------------------------------------- */

int artbag_strv_push(struct artbag_strv *l, const char *s, size_t n)
{
    char *copy;

    if (l->n == l->cap) {
        char **g = artbag_array_grow(l->v, &l->cap, l->n, sizeof(*g), 4);

        if (!g)
            return ARTBAG_EIO;
        l->v = g;
    }
    copy = artbag_memdup_str(s, n);
    if (!copy)
        return ARTBAG_EIO;
    l->v[l->n++] = copy;
    return ARTBAG_OK;
}

int artbag_strv_printf(struct artbag_strv *l, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return ARTBAG_EIO;
    /* Warnings are short; one that is not is cut rather than lost. */
    return artbag_strv_push(l, small, (size_t)n < sizeof(small) ? (size_t)n : sizeof(small) - 1);
}

void artbag_strv_release(struct artbag_strv *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

void artbag_shape_release(struct artbag_shape *sh)
{
    free(sh->title);
    free(sh->url);
    free(sh->byline);
    free(sh->published);
    free(sh->modified);
    free(sh->retrieved);
    free(sh->description);
    free(sh->language);
    free(sh->site_name);
    artbag_strv_release(&sh->authors);
    artbag_strv_release(&sh->tags);
    memset(sh, 0, sizeof(*sh));
}

/* ---- names ------------------------------------------------------------------------------ */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Whether s[0..n) holds "cc": "[[A]], [[B]]" is two links, not one around "A]], [[B". */
static int has_pair(const char *s, size_t n, char c)
{
    size_t i;

    for (i = 0; i + 1 < n; i++)
        if (s[i] == c && s[i + 1] == c)
            return 1;
    return 0;
}

/* Trims blanks, "[[" "]]" and a leading "by " off s[0..*n). */
static const char *clean(const char *s, size_t *n)
{
    size_t len = *n;
    int again = 1;

    while (again) {
        again = 0;
        while (len && blank(*s))
            s++, len--;
        while (len && blank(s[len - 1]))
            len--;
        if (len >= 4 && s[0] == '[' && s[1] == '[' && s[len - 1] == ']' && s[len - 2] == ']' &&
            !has_pair(s + 2, len - 4, '[') && !has_pair(s + 2, len - 4, ']')) {
            s += 2;
            len -= 4;
            again = 1;
        }
        if (len > 3 && lower(s[0]) == 'b' && lower(s[1]) == 'y' && blank(s[2])) {
            s += 3;
            len -= 3;
            again = 1;
        }
    }
    *n = len;
    return s;
}

int artbag_author_clean(const char *s, size_t n, struct artbag_strv *names)
{
    s = clean(s, &n);
    return n ? artbag_strv_push(names, s, n) : ARTBAG_OK;
}

/* Words that make a byline part an organisation rather than a person. */
static int institution(const char *s, size_t n)
{
    static const char *const words[] = {
        "university", "universit", "universidad", "college",      "institute", "institut",
        "school",     "academy",   "laboratory",  "laboratories", "centre",    "center",
        "agency",     "hospital",  "foundation",  "society",      "museum",    "ministry",
        "department", "council",   "association", "press",        "news",      "observatory"};
    size_t i, k;

    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        size_t w = strlen(words[i]);

        for (k = 0; k + w <= n; k++) {
            size_t j = 0;

            if (k && !blank(s[k - 1]))
                continue;
            while (j < w && lower(s[k + j]) == words[i][j])
                j++;
            if (j == w)
                return 1;
        }
    }
    return 0;
}

static int same_text(const char *a, size_t n, const char *b)
{
    size_t i;

    if (!b || strlen(b) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

/* Length of the separator at s[i] (" and ", " & ", ",", ";", ", and "), or 0. */
static size_t separator(const char *s, size_t n, size_t i)
{
    size_t k = i;

    if (s[i] == ',' || s[i] == ';') {
        k = i + 1;
        while (k < n && blank(s[k]))
            k++;
        /* The Oxford comma: "A, B, and C". */
        if (k + 4 <= n && lower(s[k]) == 'a' && lower(s[k + 1]) == 'n' && lower(s[k + 2]) == 'd' &&
            blank(s[k + 3]))
            k += 4;
        return k - i;
    }
    if (!blank(s[i]))
        return 0;
    while (k < n && blank(s[k]))
        k++;
    if (k < n && s[k] == '&')
        k++;
    else if (k + 3 <= n && lower(s[k]) == 'a' && lower(s[k + 1]) == 'n' && lower(s[k + 2]) == 'd')
        k += 3;
    else
        return 0;
    if (k < n && !blank(s[k]))
        return 0;
    return k - i;
}

int artbag_byline_split(const char *byline, const char *not_person, struct artbag_strv *names)
{
    size_t n = strlen(byline), i = 0, start, sep, len;
    const char *s = clean(byline, &n), *part;

    start = 0;
    while (i <= n) {
        sep = i < n ? separator(s, n, i) : 1;
        if (!sep) {
            i++;
            continue;
        }
        len = i - start;
        part = clean(s + start, &len);
        /* A dangling "and" ("A, and") is a separator that lost its name, not a name. */
        if (len && !same_text(part, len, "and") && !institution(part, len) &&
            !same_text(part, len, not_person) && artbag_strv_push(names, part, len) != ARTBAG_OK)
            return ARTBAG_EIO;
        i += sep;
        start = i;
    }
    return ARTBAG_OK;
}
