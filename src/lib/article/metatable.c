/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * metatable.c - per-article values for a collection (pack --metadata-from): a CSV file with a
 * header row (RFC 4180, read by libcsv in strict mode rather than by hand, where quoting is easy
 * to get subtly wrong) or JSON Lines (jansson), one row per article, keyed by its path.
 * Pure: bytes in, rows out.
 */
#include <csv.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "article/article.h"
#include "article/shapes.h"

/* The columns, as CSV headers and JSON keys; aliases name the same field. */
static const struct {
    const char *name;
    int field;
} columns[] = {
    {"url", ARTBAG_META_URL},
    {"source_url", ARTBAG_META_URL},
    {"title", ARTBAG_META_TITLE},
    {"date", ARTBAG_META_DATE},
    {"published", ARTBAG_META_DATE},
    {"byline", ARTBAG_META_BYLINE},
    {"authors", ARTBAG_META_AUTHORS},
    {"description", ARTBAG_META_DESCRIPTION},
    {"language", ARTBAG_META_LANGUAGE},
    {"rights", ARTBAG_META_RIGHTS},
    {"credit", ARTBAG_META_CREDIT},
    {"site_name", ARTBAG_META_SITE_NAME},
    {"retrieved", ARTBAG_META_RETRIEVED},
    {"modified", ARTBAG_META_MODIFIED},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))
#define KNOWN                                                                                      \
    "path, url, title, date, byline, authors, description, language, rights, credit, site_name, "  \
    "retrieved, modified"

/* -1 for "path", the field, or -2 for a name no column has. */
static int column_of(const char *name)
{
    if (strcasecmp(name, "path") == 0)
        return -1;
    for (size_t i = 0; i < N_COLUMNS; i++)
        if (strcasecmp(name, columns[i].name) == 0)
            return columns[i].field;
    return -2;
}

static int row_add(struct artbag_metatable *t, size_t line, struct artbag_metarow **out)
{
    struct artbag_metarow *g = realloc(t->rows, (t->n + 1) * sizeof(*g));

    if (!g)
        return ARTBAG_EIO;
    t->rows = g;
    *out = memset(&g[t->n++], 0, sizeof(*g));
    (*out)->line = line;
    return ARTBAG_OK;
}

/*
 * A value goes into one line of bag-info.txt or one JSON string: no control characters, and
 * none but a description's line breaks; an empty value gives nothing (the article's stays).
 */
static int value_set(struct artbag_metarow *r, int field, const char *s, size_t n, const char *name,
                     struct artbag_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 || c == 0x7f) && !(field == ARTBAG_META_DESCRIPTION && c == '\n'))
            return artbag_error_set(
                err, ARTBAG_EREJECT, "line %zu: '%s' contains %s", r->line, name,
                c == '\n' || c == '\r' ? "a line break" : "a control character");
    }
    if (field == -1) {
        if (r->path)
            return artbag_error_set(err, ARTBAG_EREJECT, "line %zu: 'path' given twice", r->line);
        return (r->path = artbag_memdup_str(s, n)) ? ARTBAG_OK : ARTBAG_EIO;
    }
    if (r->f[field])
        return artbag_error_set(err, ARTBAG_EREJECT, "line %zu: '%s' given twice", r->line, name);
    if (n == 0)
        return ARTBAG_OK;
    return (r->f[field] = artbag_memdup_str(s, n)) ? ARTBAG_OK : ARTBAG_EIO;
}

/* ---- CSV --------------------------------------------------------------------------------- */

struct csv_state {
    struct artbag_metatable *t;
    struct artbag_strv header; /* the first record */
    int *fields;               /* the field of each header column */
    struct artbag_strv cells;  /* the record being read */
    size_t line, record_line;  /* the line now, and where the record began */
    int rc;
    struct artbag_error *err;
};

static void csv_cell(void *s, size_t n, void *data)
{
    struct csv_state *c = data;

    if (c->rc != ARTBAG_OK)
        return;
    if (!c->cells.n)
        c->record_line = c->line;
    if (memchr(s ? s : "", '\0', s ? n : 0))
        c->rc = artbag_error_set(c->err, ARTBAG_EREJECT, "line %zu: a NUL character", c->line);
    else if (artbag_strv_push(&c->cells, s ? s : "", s ? n : 0) != ARTBAG_OK)
        c->rc = ARTBAG_EIO;
}

static void csv_record_header(struct csv_state *c)
{
    int path = 0;

    c->header = c->cells;
    memset(&c->cells, 0, sizeof(c->cells));
    if (!(c->fields = calloc(c->header.n, sizeof(*c->fields)))) {
        c->rc = ARTBAG_EIO;
        return;
    }
    for (size_t i = 0; i < c->header.n; i++) {
        c->fields[i] = column_of(c->header.v[i]);
        if (c->fields[i] == -2) {
            c->rc = artbag_error_set(c->err, ARTBAG_EREJECT,
                                     "line 1: unknown column '%.80s' (known: " KNOWN ")",
                                     c->header.v[i]);
            return;
        }
        path += c->fields[i] == -1;
    }
    if (!path)
        c->rc = artbag_error_set(c->err, ARTBAG_EREJECT, "line 1: no 'path' column");
}

static void csv_record(int term, void *data)
{
    struct csv_state *c = data;
    struct artbag_metarow *r;

    (void)term;
    if (c->rc != ARTBAG_OK)
        goto next;
    if (!c->header.v) {
        csv_record_header(c);
        goto next;
    }
    if (c->cells.n != c->header.n) {
        c->rc = artbag_error_set(c->err, ARTBAG_EREJECT, "line %zu: %zu fields, the header has %zu",
                                 c->record_line, c->cells.n, c->header.n);
        goto next;
    }
    if ((c->rc = row_add(c->t, c->record_line, &r)) != ARTBAG_OK)
        goto next;
    for (size_t i = 0; c->rc == ARTBAG_OK && i < c->cells.n; i++)
        c->rc = value_set(r, c->fields[i], c->cells.v[i], strlen(c->cells.v[i]), c->header.v[i],
                          c->err);
next:
    artbag_strv_release(&c->cells);
}

static int csv_read(const char *buf, size_t len, struct artbag_metatable *t,
                    struct artbag_error *err)
{
    struct csv_parser p;
    struct csv_state c = {0};
    size_t from = 0;
    int rc = ARTBAG_OK;

    c.t = t;
    c.err = err;
    c.line = 1;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        return ARTBAG_EIO;
    /* Line by line, so that a message can say where: a quoted field may span lines. */
    while (from < len && c.rc == ARTBAG_OK) {
        const char *nl = memchr(buf + from, '\n', len - from);
        size_t n = nl ? (size_t)(nl - (buf + from)) + 1 : len - from;

        if (csv_parse(&p, buf + from, n, csv_cell, csv_record, &c) != n) {
            /* libcsv's words ("error parsing data while strict checking enabled") say
             * nothing of what to mend: CSV_STRICT fails only on a stray quote. */
            c.rc = artbag_error_set(err, ARTBAG_EREJECT, "line %zu: %s", c.line,
                                    csv_error(&p) == CSV_EPARSE
                                        ? "a quote in a field not quoted, or after its "
                                          "closing quote (RFC 4180 doubles a quote in a "
                                          "quoted field)"
                                        : csv_strerror(csv_error(&p)));
            break;
        }
        from += n;
        c.line++;
    }
    if (c.rc == ARTBAG_OK && csv_fini(&p, csv_cell, csv_record, &c) != 0)
        c.rc = artbag_error_set(err, ARTBAG_EREJECT,
                                "line %zu: a quoted field is still open at the end", c.line - 1);
    if (c.rc == ARTBAG_OK && !c.header.v)
        c.rc = artbag_error_set(err, ARTBAG_EREJECT, "no header row");
    rc = c.rc;
    if (rc == ARTBAG_EIO)
        artbag_error_set(err, ARTBAG_EIO, "out of memory");
    csv_free(&p);
    artbag_strv_release(&c.cells);
    artbag_strv_release(&c.header);
    free(c.fields);
    return rc;
}

/* ---- JSON Lines -------------------------------------------------------------------------- */

static int jsonl_row(json_t *o, size_t line, struct artbag_metatable *t, struct artbag_error *err)
{
    struct artbag_metarow *r;
    const char *key;
    json_t *v;
    int rc;

    if (!json_is_object(o))
        return artbag_error_set(err, ARTBAG_EREJECT, "line %zu: expected a JSON object", line);
    if ((rc = row_add(t, line, &r)) != ARTBAG_OK)
        return rc;
    json_object_foreach(o, key, v)
    {
        int field = column_of(key);

        if (field == -2)
            return artbag_error_set(err, ARTBAG_EREJECT,
                                    "line %zu: unknown key '%.80s' (known: " KNOWN ")", line, key);
        if (json_is_null(v) && field != -1)
            continue;
        if (field == ARTBAG_META_AUTHORS && json_is_array(v)) {
            struct artbag_buf b = ARTBAG_BUF_INIT;
            size_t i;
            json_t *a;

            /* kept as one "; "-separated value, as a CSV cell gives them */
            json_array_foreach(v, i, a)
            {
                if (!json_is_string(a) || !json_string_length(a) ||
                    strstr(json_string_value(a), "; ")) {
                    artbag_buf_release(&b);
                    return artbag_error_set(err, ARTBAG_EREJECT,
                                            "line %zu: 'authors' must be a list of names", line);
                }
                if ((i && artbag_buf_puts(&b, "; ") != ARTBAG_OK) ||
                    artbag_buf_append(&b, json_string_value(a), json_string_length(a)) !=
                        ARTBAG_OK) {
                    artbag_buf_release(&b);
                    return ARTBAG_EIO;
                }
            }
            rc = value_set(r, field, b.data ? b.data : "", b.len, key, err);
            artbag_buf_release(&b);
            if (rc != ARTBAG_OK)
                return rc;
            continue;
        }
        if (!json_is_string(v))
            return artbag_error_set(err, ARTBAG_EREJECT, "line %zu: '%.80s' must be a string", line,
                                    key);
        if (memchr(json_string_value(v), '\0', json_string_length(v)))
            return artbag_error_set(err, ARTBAG_EREJECT,
                                    "line %zu: '%.80s' contains a NUL "
                                    "character",
                                    line, key);
        rc = value_set(r, field, json_string_value(v), json_string_length(v), key, err);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

static int jsonl_read(const char *buf, size_t len, struct artbag_metatable *t,
                      struct artbag_error *err)
{
    size_t from = 0, line = 1;
    int rc = ARTBAG_OK;

    for (; from < len && rc == ARTBAG_OK; line++) {
        const char *nl = memchr(buf + from, '\n', len - from);
        size_t n = nl ? (size_t)(nl - (buf + from)) : len - from, k;
        json_error_t je;
        json_t *o;

        /* not strchr(" \t\r", c): a NUL would match its terminator and pass for a blank */
        for (k = 0;
             k < n && (buf[from + k] == ' ' || buf[from + k] == '\t' || buf[from + k] == '\r'); k++)
            ;
        if (k < n) {
            o = json_loadb(buf + from, n, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
            if (!o)
                rc = artbag_error_set(err, ARTBAG_EREJECT, "line %zu: %s", line, je.text);
            else
                rc = jsonl_row(o, line, t, err);
            json_decref(o);
        }
        from += n + (nl != NULL);
    }
    if (rc == ARTBAG_EIO)
        artbag_error_set(err, ARTBAG_EIO, "out of memory");
    return rc;
}

/* ---- the table --------------------------------------------------------------------------- */

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct artbag_metarow *)a)->path,
                  ((const struct artbag_metarow *)b)->path);
}

int artbag_metatable_parse(const char *buf, size_t len, int jsonl, struct artbag_metatable *t,
                           struct artbag_error *err)
{
    int rc;

    memset(t, 0, sizeof(*t));
    if ((rc = artbag_utf8_check((const unsigned char *)buf, len, err)) != ARTBAG_OK)
        return rc;
    /* A spreadsheet's export often starts with a byte-order mark. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        buf += 3, len -= 3;
    rc = jsonl ? jsonl_read(buf, len, t, err) : csv_read(buf, len, t, err);
    for (size_t i = 0; rc == ARTBAG_OK && i < t->n; i++)
        if (!t->rows[i].path || !*t->rows[i].path)
            rc = artbag_error_set(err, ARTBAG_EREJECT, "line %zu: no path", t->rows[i].line);
    if (rc == ARTBAG_OK && t->n)
        qsort(t->rows, t->n, sizeof(*t->rows), by_path);
    /* Two rows for one article would leave which one wins to the order of the file. */
    for (size_t i = 1; rc == ARTBAG_OK && i < t->n; i++)
        if (strcmp(t->rows[i - 1].path, t->rows[i].path) == 0)
            rc = artbag_error_set(err, ARTBAG_EREJECT, "line %zu: '%.200s' has a row already",
                                  t->rows[i - 1].line > t->rows[i].line ? t->rows[i - 1].line
                                                                        : t->rows[i].line,
                                  t->rows[i].path);
    if (rc != ARTBAG_OK)
        artbag_metatable_release(t);
    return rc;
}

int artbag_metatable_is_jsonl(const char *name, const char *buf, size_t len)
{
    size_t n = strlen(name), i = 0;

    if (n > 4 && strcasecmp(name + n - 4, ".csv") == 0)
        return 0;
    if ((n > 6 && strcasecmp(name + n - 6, ".jsonl") == 0) ||
        (n > 7 && strcasecmp(name + n - 7, ".ndjson") == 0))
        return 1;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && buf[i] && strchr(" \t\r\n", buf[i]))
        i++;
    return i < len && buf[i] == '{';
}

struct artbag_metarow *artbag_metatable_find(const struct artbag_metatable *t, const char *path)
{
    struct artbag_metarow key = {0};

    if (!t || !t->n)
        return NULL;
    key.path = (char *)path;
    return bsearch(&key, t->rows, t->n, sizeof(*t->rows), by_path);
}

static int replace(char **field, const char *value)
{
    char *copy;

    if (!value)
        return ARTBAG_OK;
    if (!(copy = strdup(value)))
        return ARTBAG_EIO;
    free(*field);
    *field = copy;
    return ARTBAG_OK;
}

int artbag_metarow_apply(const struct artbag_metarow *r, struct artbag_article_info *info)
{
    struct artbag_strv names = {0};
    const char *const *f = (const char *const *)r->f;
    int rc = ARTBAG_OK;

    /* url, title and date go through the pack options, which check them: not here */
    if (replace(&info->byline, f[ARTBAG_META_BYLINE]) ||
        replace(&info->description, f[ARTBAG_META_DESCRIPTION]) ||
        replace(&info->language, f[ARTBAG_META_LANGUAGE]) ||
        replace(&info->rights, f[ARTBAG_META_RIGHTS]) ||
        replace(&info->credit, f[ARTBAG_META_CREDIT]) ||
        replace(&info->site_name, f[ARTBAG_META_SITE_NAME]) ||
        replace(&info->retrieved, f[ARTBAG_META_RETRIEVED]) ||
        replace(&info->modified, f[ARTBAG_META_MODIFIED]))
        return ARTBAG_EIO;
    /* The names: given, or split from a byline given (the article's would not match it). */
    if (f[ARTBAG_META_AUTHORS]) {
        for (const char *s = f[ARTBAG_META_AUTHORS]; rc == ARTBAG_OK && *s;) {
            const char *e = strstr(s, "; ");
            size_t n = e ? (size_t)(e - s) : strlen(s);

            if (n)
                rc = artbag_strv_push(&names, s, n);
            s += n + (e ? 2 : 0);
        }
    } else if (f[ARTBAG_META_BYLINE]) {
        rc = artbag_byline_split(info->byline, info->credit, &names);
    } else {
        return ARTBAG_OK;
    }
    if (rc != ARTBAG_OK) {
        artbag_strv_release(&names);
        return ARTBAG_EIO;
    }
    for (size_t i = 0; i < info->n_authors; i++)
        free(info->authors[i]);
    free(info->authors);
    info->authors = names.v;
    info->n_authors = names.n;
    return ARTBAG_OK;
}

void artbag_metatable_release(struct artbag_metatable *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].path);
        for (int k = 0; k < ARTBAG_META_N; k++)
            free(t->rows[i].f[k]);
    }
    free(t->rows);
    memset(t, 0, sizeof(*t));
}
