/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * header.c - the headers that are not front matter: Jina Reader's "Title:/URL Source:" block,
 * pandoc's "%" title block, Readwise's "## Metadata" list, and the marks MarkDownload and
 * Omnivore leave in the body (the excerpt blockquote, the "[Read Original](...)" link).
 */
#include <stdlib.h>
#include <string.h>

#include "article/shapes.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

struct ln {
    const char *s;
    size_t n;
};

/* The line at *p (without its "\n"), moving *p past it. 0 at the end. */
static int next_line(const char **p, const char *end, struct ln *l)
{
    const char *nl;

    if (*p >= end)
        return 0;
    nl = memchr(*p, '\n', (size_t)(end - *p));
    l->s = *p;
    l->n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
    *p = nl ? nl + 1 : end;
    return 1;
}

static struct ln trim(struct ln l)
{
    while (l.n && blank(*l.s))
        l.s++, l.n--;
    while (l.n && blank(l.s[l.n - 1]))
        l.n--;
    return l;
}

/* "Label:" at the start of l (exact case: these are machine-written); *v gets the rest. */
static int label(struct ln l, const char *name, struct ln *v)
{
    size_t n = strlen(name);

    if (l.n < n + 1 || memcmp(l.s, name, n) || l.s[n] != ':')
        return 0;
    v->s = l.s + n + 1;
    v->n = l.n - n - 1;
    *v = trim(*v);
    return 1;
}

static int set(char **field, struct ln v)
{
    if (*field || !v.n)
        return ARTBAG_OK;
    *field = artbag_memdup_str(v.s, v.n);
    return *field ? ARTBAG_OK : ARTBAG_EIO;
}

static int set_date(char **field, struct ln v, const char *what, struct artbag_strv *warnings)
{
    char d[ARTBAG_DATE_MAX];

    if (!v.n || *field)
        return ARTBAG_OK;
    if (!artbag_date_parse(v.s, v.n, d))
        return artbag_strv_printf(warnings, "%s: '%.*s' is not a date I can read", what,
                                  (int)(v.n > 60 ? 60 : v.n), v.s);
    *field = strdup(d);
    return *field ? ARTBAG_OK : ARTBAG_EIO;
}

size_t artbag_jina_read(const char *t, size_t n, struct artbag_shape *sh,
                        struct artbag_strv *warnings, int *rc)
{
    const char *p = t, *end = t + n;
    struct ln l, v, title = {NULL, 0}, url = {NULL, 0}, published = {NULL, 0};
    int have_title = 0, content = 0;

    *rc = ARTBAG_OK;
    while (next_line(&p, end, &l)) {
        if (!trim(l).n)
            continue;
        if (!have_title) {
            if (!label(l, "Title", &title))
                return 0;
            have_title = 1;
        } else if (label(l, "URL Source", &v)) {
            url = v;
        } else if (label(l, "Published Time", &v)) {
            published = v;
        } else if (label(l, "Markdown Content", &v) && !v.n) {
            content = 1;
            break;
        } else if (!(label(l, "Warning", &v) || label(l, "Number of Pages", &v) ||
                     label(l, "Description", &v))) {
            return 0;
        }
    }
    /* Without both markers this is prose that happens to start with "Title:". */
    if (!content || !url.s)
        return 0;
    if ((*rc = set(&sh->title, title)) != ARTBAG_OK || (*rc = set(&sh->url, url)) != ARTBAG_OK ||
        (*rc = set_date(&sh->published, published, "Published Time", warnings)) != ARTBAG_OK)
        return 0;
    sh->tool = "Jina Reader";
    return (size_t)(p - t);
}

size_t artbag_pandoc_block_read(const char *t, size_t n, struct artbag_shape *sh,
                                struct artbag_strv *warnings, int *rc)
{
    const char *p = t, *end = t + n, *before;
    struct artbag_buf field[3] = {ARTBAG_BUF_INIT, ARTBAG_BUF_INIT, ARTBAG_BUF_INIT};
    struct ln l;
    int k = -1;
    size_t used = 0, i;

    *rc = ARTBAG_OK;
    for (before = p; next_line(&p, end, &l); before = p) {
        if (l.n && l.s[0] == '%' && k < 2) {
            k++;
            l.s++;
            l.n--;
        } else if (k >= 0 && l.n && blank(l.s[0])) {
            /* a continuation line: more title, or more authors */
            if (field[k].len && artbag_buf_append(&field[k], k == 1 ? "; " : " ", k == 1 ? 2 : 1))
                goto oom;
        } else {
            break;
        }
        l = trim(l);
        if (artbag_buf_append(&field[k], l.s, l.n) != ARTBAG_OK)
            goto oom;
    }
    if (k < 0)
        return 0;
    used = (size_t)(before - t);
    if (field[0].len && !sh->title && !(sh->title = artbag_memdup_str(field[0].data, field[0].len)))
        goto oom;
    if (field[1].len) {
        const char *a = field[1].data, *semi;

        if (!(sh->byline = artbag_memdup_str(a, field[1].len)))
            goto oom;
        /* pandoc separates authors with ';' only: "Doe, Jane" is one person. */
        for (; a; a = semi ? semi + 1 : NULL) {
            semi = strchr(a, ';');
            if (artbag_author_clean(a, semi ? (size_t)(semi - a) : strlen(a), &sh->authors) !=
                ARTBAG_OK)
                goto oom;
        }
        sh->authors_set = sh->authors.n > 0;
    }
    if (field[2].len) {
        struct ln d = {field[2].data, field[2].len};

        if ((*rc = set_date(&sh->published, d, "pandoc title block date", warnings)) != ARTBAG_OK)
            goto done;
    }
    goto done;
oom:
    *rc = ARTBAG_EIO;
done:
    for (i = 0; i < 3; i++)
        artbag_buf_release(&field[i]);
    return *rc == ARTBAG_OK ? used : 0;
}

/* "[[inside]]" -> "inside". */
static struct ln unlink(struct ln v)
{
    if (v.n >= 4 && !memcmp(v.s, "[[", 2) && !memcmp(v.s + v.n - 2, "]]", 2)) {
        v.s += 2;
        v.n -= 4;
    }
    return trim(v);
}

int artbag_readwise_read(const char *t, size_t n, struct artbag_shape *sh)
{
    const char *p = t, *end = t + n;
    struct ln l, v;
    int found = 0, items = 0, rc;

    while (next_line(&p, end, &l)) {
        l = trim(l);
        if (!l.n) {
            if (items)
                break;
            continue;
        }
        if (l.n < 2 || l.s[0] != '-' || !blank(l.s[1]))
            break;
        items = 1;
        l.s += 2;
        l.n -= 2;
        l = trim(l);
        rc = ARTBAG_OK;
        if (label(l, "Author", &v)) {
            rc = set(&sh->byline, unlink(v));
            found = 1;
        } else if (label(l, "Full Title", &v)) {
            rc = set(&sh->title, v);
            found = 1;
        } else if (label(l, "URL", &v)) {
            rc = set(&sh->url, v);
            found = 1;
        }
        if (rc != ARTBAG_OK)
            return rc;
    }
    if (found)
        sh->tool = "Readwise";
    return found;
}

int artbag_markdownload_excerpt(const char *t, size_t n, char **out)
{
    const char *p = t, *end = t + n;
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct ln l;
    int in = 0, rc = ARTBAG_OK;

    *out = NULL;
    while (next_line(&p, end, &l)) {
        struct ln q = trim(l);

        if (!in) {
            in = q.n == 12 && !memcmp(q.s, "> ## Excerpt", 12);
            continue;
        }
        if (!q.n || q.s[0] != '>')
            break;
        q.s++;
        q.n--;
        q = trim(q);
        if (!q.n)
            continue;
        if ((b.len && artbag_buf_append(&b, " ", 1) != ARTBAG_OK) ||
            artbag_buf_append(&b, q.s, q.n) != ARTBAG_OK) {
            rc = ARTBAG_EIO;
            break;
        }
    }
    if (rc == ARTBAG_OK && b.len)
        *out = artbag_buf_detach(&b, NULL);
    artbag_buf_release(&b);
    return rc;
}

int artbag_omnivore_original(const char *t, size_t n, char **out)
{
    static const char mark[] = "[Read Original](";
    const char *p = t, *end = t + n;
    struct ln l;

    *out = NULL;
    while (next_line(&p, end, &l)) {
        struct ln q = trim(l);
        const char *close;

        if (q.n <= sizeof(mark) || memcmp(q.s, mark, sizeof(mark) - 1))
            continue;
        close = memchr(q.s, ')', q.n);
        if (!close || close == q.s + sizeof(mark) - 1)
            continue;
        *out =
            artbag_memdup_str(q.s + sizeof(mark) - 1, (size_t)(close - q.s) - (sizeof(mark) - 1));
        return *out ? ARTBAG_OK : ARTBAG_EIO;
    }
    return ARTBAG_OK;
}
