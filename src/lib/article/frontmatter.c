/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * frontmatter.c - front matter in the three forms capture and authoring tools write, and the
 * keys each tool uses for the same fields.
 *
 *  - YAML between "---" and "---" or "...", read with libyaml.
 *  - What is meant as YAML but is not (trafilatura before 2.2 and early Omnivore write values
 *    raw, so "title: A: B" and Python-repr lists "['a', \"b's\"]"), read one "key: value" line
 *    at a time, as those tools wrote it.
 *  - TOML between "+++" lines (Hugo). Debian 12 ships no C TOML library (only the C++ header
 *    library libcpptoml-dev, which would bring a C++ compiler and runtime into a C library for
 *    one file), and nothing outside Debian may be fetched here, so this is a strict subset
 *    reader for front matter, fuzzed with the rest of the article reader (tests/fuzz):
 *      key = value         bare keys [A-Za-z0-9_-], quoted keys, dotted keys joined with '.'
 *      "basic" strings     with the escapes \" \\ \b \f \n \r \t \uXXXX \UXXXXXXXX
 *      'literal' strings
 *      arrays [ ... ]      of strings or bare values, on one line or several
 *      bare values         booleans, numbers, offset/local date-times, dates, times: kept as text
 *      [table]             keys below it are named "table.key" ("params.author")
 *      # comments
 *    Multi-line strings, inline tables and arrays of tables are skipped with a warning naming
 *    the line; so is anything else the subset does not read. Front matter never makes an
 *    article invalid: what it says is only ever more metadata.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "article/shapes.h"

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static int key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static int eq_nocase(const char *a, const char *b)
{
    while (*a && lower(*a) == lower(*b))
        a++, b++;
    return !*a && !*b;
}

/* ---- the key/value store ---------------------------------------------------------------- */

void artbag_fm_release(struct artbag_fm *fm)
{
    size_t i;

    for (i = 0; i < fm->n; i++) {
        free(fm->e[i].key);
        free(fm->e[i].value);
        artbag_strv_release(&fm->e[i].items);
    }
    free(fm->e);
    memset(fm, 0, sizeof(*fm));
}

static const struct artbag_fm_entry *fm_get(const struct artbag_fm *fm, const char *key)
{
    size_t i;

    for (i = 0; i < fm->n; i++)
        if (eq_nocase(fm->e[i].key, key))
            return &fm->e[i];
    return NULL;
}

/* A new entry for key, or NULL in *out when the key is already there (the first one counts). */
static int fm_add(struct artbag_fm *fm, const char *key, size_t n, struct artbag_fm_entry **out)
{
    struct artbag_fm_entry *e;
    char *k = artbag_memdup_str(key, n);

    *out = NULL;
    if (!k)
        return ARTBAG_EIO;
    if (fm_get(fm, k)) {
        free(k);
        return ARTBAG_OK;
    }
    if (fm->n == fm->cap) {
        struct artbag_fm_entry *g = artbag_array_grow(fm->e, &fm->cap, fm->n, sizeof(*g), 16);

        if (!g) {
            free(k);
            return ARTBAG_EIO;
        }
        fm->e = g;
    }
    e = &fm->e[fm->n++];
    memset(e, 0, sizeof(*e));
    e->key = k;
    *out = e;
    return ARTBAG_OK;
}

/* ---- YAML ------------------------------------------------------------------------------- */

/* "title:", "title: ~" and "title: null" leave a field unset rather than set to "null". */
static int yaml_null(const yaml_node_t *v)
{
    const char *s = (const char *)v->data.scalar.value;
    size_t n = v->data.scalar.length;

    if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

/* A list item: a scalar, or a map's "name" (pandoc's and Jekyll's author maps). */
static int yaml_item(yaml_document_t *doc, yaml_node_t *node, struct artbag_strv *items)
{
    yaml_node_pair_t *pair;

    if (node->type == YAML_SCALAR_NODE)
        return yaml_null(node) ? ARTBAG_OK
                               : artbag_strv_push(items, (const char *)node->data.scalar.value,
                                                  node->data.scalar.length);
    if (node->type != YAML_MAPPING_NODE)
        return ARTBAG_OK;
    for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
        yaml_node_t *k = yaml_document_get_node(doc, pair->key);
        yaml_node_t *v = yaml_document_get_node(doc, pair->value);

        if (k && v && k->type == YAML_SCALAR_NODE && v->type == YAML_SCALAR_NODE &&
            k->data.scalar.length == 4 && !memcmp(k->data.scalar.value, "name", 4) && !yaml_null(v))
            return artbag_strv_push(items, (const char *)v->data.scalar.value,
                                    v->data.scalar.length);
    }
    return ARTBAG_OK;
}

int artbag_fm_yaml(const char *s, size_t n, struct artbag_fm *fm, int *reader_error,
                   struct artbag_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *key, *value;
    yaml_node_pair_t *pair;
    struct artbag_fm_entry *e;
    int have_doc = 0, rc = ARTBAG_OK;
    size_t line, i;

    *reader_error = 0;
    if (!yaml_parser_initialize(&parser))
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)s, n);
    if (!yaml_parser_load(&parser, &doc)) {
        if (parser.error == YAML_MEMORY_ERROR) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            goto cleanup;
        }
        line = parser.problem_mark.line + 1;
        /* libyaml's reader reports a byte offset instead of a mark. */
        if (parser.error == YAML_READER_ERROR) {
            *reader_error = 1;
            for (line = 1, i = 0; i < parser.problem_offset && i < n; i++)
                line += s[i] == '\n';
        }
        rc = artbag_error_set(err, ARTBAG_EREJECT, "invalid YAML front matter: %s at line %lu",
                              parser.problem ? parser.problem : "unreadable", (unsigned long)line);
        goto cleanup;
    }
    have_doc = 1;
    root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        goto cleanup;
    for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
        key = yaml_document_get_node(&doc, pair->key);
        value = yaml_document_get_node(&doc, pair->value);
        if (!key || !value || key->type != YAML_SCALAR_NODE)
            continue;
        if (value->type == YAML_SCALAR_NODE && yaml_null(value))
            continue;
        rc = fm_add(fm, (const char *)key->data.scalar.value, key->data.scalar.length, &e);
        if (rc != ARTBAG_OK || !e)
            goto check;
        if (value->type == YAML_SCALAR_NODE &&
            memchr(value->data.scalar.value, '\0', value->data.scalar.length)) {
            /* "\0" is valid YAML, but a C string would end there: a title cut short without a
             * word, so the article is refused (and not read again line by line). */
            *reader_error = 1;
            rc = artbag_error_set(err, ARTBAG_EREJECT,
                                  "front matter value of '%s' contains a NUL character", e->key);
            if (strcmp(e->key, "title") == 0)
                err->kind = "bad-title";
            goto cleanup;
        }
        if (value->type == YAML_SCALAR_NODE) {
            e->value = artbag_memdup_str(value->data.scalar.value, value->data.scalar.length);
            rc = e->value ? ARTBAG_OK : ARTBAG_EIO;
        } else if (value->type == YAML_SEQUENCE_NODE) {
            yaml_node_item_t *it;

            e->is_list = 1;
            for (it = value->data.sequence.items.start;
                 rc == ARTBAG_OK && it < value->data.sequence.items.top; it++) {
                yaml_node_t *node = yaml_document_get_node(&doc, *it);

                if (node)
                    rc = yaml_item(&doc, node, &e->items);
            }
        } else {
            e->is_list = 1; /* "author: {name: X}" is a list of one */
            rc = yaml_item(&doc, value, &e->items);
        }
    check:
        if (rc != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            goto cleanup;
        }
    }
    /* Any other scalar (a list item, a key, a map's name) would be cut short the same way. */
    for (yaml_node_t *node = doc.nodes.start; node < doc.nodes.top; node++)
        if (node->type == YAML_SCALAR_NODE &&
            memchr(node->data.scalar.value, '\0', node->data.scalar.length)) {
            *reader_error = 1;
            rc = artbag_error_set(err, ARTBAG_EREJECT, "front matter holds a NUL character");
            goto cleanup;
        }
cleanup:
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- line by line ----------------------------------------------------------------------- */

/*
 * Copies a scalar as the tools wrote it: '...' (YAML's '' and Python's \' for a quote), "..."
 * (JSON escapes, as json.dumps writes them), or bare. Returns ARTBAG_EREJECT for a quote that
 * does not close, which is a value that cannot be read.
 */
static int unquote(const char *s, size_t n, struct artbag_buf *out)
{
    char q;
    size_t i;

    while (n && blank(*s))
        s++, n--;
    while (n && blank(s[n - 1]))
        n--;
    if (!n || (s[0] != '"' && s[0] != '\''))
        return artbag_buf_append(out, s, n);
    q = s[0];
    if (n < 2 || s[n - 1] != q)
        return ARTBAG_EREJECT;
    for (i = 1; i + 1 < n; i++) {
        char c = s[i];

        if (q == '\'' && c == '\'' && i + 2 < n && s[i + 1] == '\'') {
            i++;
        } else if (c == '\\' && i + 2 < n) {
            c = s[++i];
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c != '"' && c != '\\' && c != '\'' && c != '/') {
                /* \uXXXX and the rest are kept as written: text, not a reason to refuse. */
                if (artbag_buf_append(out, "\\", 1) != ARTBAG_OK)
                    return ARTBAG_EIO;
            }
        }
        if (artbag_buf_append(out, &c, 1) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

static int push_unquoted(struct artbag_strv *l, const char *s, size_t n)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    int rc = unquote(s, n, &b);

    if (rc == ARTBAG_OK && b.len)
        rc = artbag_strv_push(l, b.data, b.len);
    artbag_buf_release(&b);
    return rc;
}

/* "[a, 'b', \"c's\"]" (YAML flow or Python repr) into items. ARTBAG_EREJECT if unbalanced. */
static int flow_list(const char *s, size_t n, struct artbag_strv *items)
{
    size_t i, start = 1;
    char q = 0;
    int rc;

    for (i = 1; i < n; i++) {
        char c = s[i];

        if (q) {
            if (c == '\\' && q == '"' && i + 1 < n)
                i++;
            else if (c == q)
                q = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            q = c;
        } else if (c == ',' || i == n - 1) {
            if (i == n - 1 && c != ']')
                return ARTBAG_EREJECT;
            rc = push_unquoted(items, s + start, i - start);
            if (rc != ARTBAG_OK)
                return rc;
            start = i + 1;
        } else if (c == '[' || c == ']' || c == '{') {
            return ARTBAG_EREJECT;
        }
    }
    return q ? ARTBAG_EREJECT : ARTBAG_OK;
}

int artbag_fm_lines(const char *s, size_t n, struct artbag_fm *fm)
{
    const char *p = s, *end = s + n, *nl;
    struct artbag_fm_entry *list = NULL, *block = NULL, *e;
    struct artbag_buf text = ARTBAG_BUF_INIT;
    size_t indent = 0;
    int rc = ARTBAG_OK;

    for (; p < end; p = nl ? nl + 1 : end) {
        const char *l = p, *c, *v;
        size_t len, k, vn;

        nl = memchr(p, '\n', (size_t)(end - p));
        len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        for (k = 0; k < len && blank(l[k]); k++)
            ;
        if (block && (k == len || (k && (!indent || k >= indent)))) {
            if (!indent && k < len)
                indent = k;
            if (k < len && artbag_buf_append(&text, l + indent, len - indent) != ARTBAG_OK)
                goto oom;
            if (artbag_buf_append(&text, "\n", 1) != ARTBAG_OK)
                goto oom;
            continue;
        }
        if (block) {
            block->value = artbag_buf_detach(&text, NULL);
            if (!block->value && !(block->value = strdup("")))
                goto oom;
            block = NULL;
        }
        if (k == len || l[k] == '#')
            continue;
        if (l[k] == '-' && (k + 1 == len || blank(l[k + 1]))) {
            if (!list)
                return ARTBAG_EREJECT;
            rc = push_unquoted(&list->items, l + k + 1, len - k - 1);
            if (rc != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (k)
            return ARTBAG_EREJECT; /* an indented line that is neither a list item nor a block */
        for (c = l; c < l + len && (key_char(*c) || *c == ' ' || *c == '.'); c++)
            ;
        if (c == l || c == l + len || *c != ':' || (c + 1 < l + len && !blank(c[1])))
            return ARTBAG_EREJECT;
        k = (size_t)(c - l);
        while (k && blank(l[k - 1]))
            k--;
        v = c + 1;
        vn = (size_t)(l + len - v);
        while (vn && blank(*v))
            v++, vn--;
        while (vn && blank(v[vn - 1]))
            vn--;
        list = NULL;
        if ((rc = fm_add(fm, l, k, &e)) != ARTBAG_OK)
            goto cleanup;
        if (!e)
            continue; /* a repeated key: the first one counts */
        if (vn == 0) {
            e->is_list = 1; /* "- item" lines may follow; none leave an empty list */
            list = e;
        } else if (v[0] == '|' || v[0] == '>') {
            block = e;
            indent = 0;
        } else if (v[0] == '[' && v[vn - 1] == ']') {
            e->is_list = 1;
            rc = flow_list(v, vn, &e->items);
        } else {
            struct artbag_buf b = ARTBAG_BUF_INIT;

            rc = unquote(v, vn, &b);
            if (rc == ARTBAG_OK && !(e->value = artbag_buf_detach(&b, NULL)) &&
                !(e->value = strdup("")))
                rc = ARTBAG_EIO;
            artbag_buf_release(&b);
        }
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    if (block) {
        block->value = artbag_buf_detach(&text, NULL);
        if (!block->value && !(block->value = strdup("")))
            goto oom;
    }
    goto cleanup;
oom:
    rc = ARTBAG_EIO;
cleanup:
    artbag_buf_release(&text);
    return rc;
}

/* ---- TOML subset -------------------------------------------------------------------------- */

struct toml {
    const char *p, *end;
    unsigned line;
    struct artbag_strv *warnings;
};

/* Appends the UTF-8 for code point cp; 0 when it is not a scalar value. */
static int put_utf8(struct artbag_buf *b, unsigned long cp)
{
    unsigned char u[4];
    size_t n;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
        return ARTBAG_EREJECT;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | cp >> 6);
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | cp >> 12);
        u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | cp >> 18);
        u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return artbag_buf_append(b, u, n);
}

/*
 * A string at s[0] ('"' or '\'') on one line of length n: its text into out and its length in
 * *used. ARTBAG_EREJECT when it does not close on the line or has a bad escape.
 */
static int toml_string(const char *s, size_t n, struct artbag_buf *out, size_t *used)
{
    char q = s[0];
    size_t i;

    if (n >= 3 && s[1] == q && s[2] == q)
        return ARTBAG_EREJECT; /* multi-line strings are outside the subset */
    for (i = 1; i < n; i++) {
        char c = s[i];

        if (c == q) {
            *used = i + 1;
            return ARTBAG_OK;
        }
        if (q == '"' && c == '\\') {
            static const char from[] = "\"\\bfnrt", to[] = "\"\\\b\f\n\r\t";
            const char *at;

            if (++i == n)
                return ARTBAG_EREJECT;
            if (s[i] == 'u' || s[i] == 'U') {
                size_t digits = s[i] == 'u' ? 4 : 8, k;
                unsigned long cp = 0;

                if (i + digits >= n)
                    return ARTBAG_EREJECT;
                for (k = 1; k <= digits; k++) {
                    char h = lower(s[i + k]);

                    if (h >= '0' && h <= '9')
                        cp = cp * 16 + (unsigned long)(h - '0');
                    else if (h >= 'a' && h <= 'f')
                        cp = cp * 16 + (unsigned long)(h - 'a' + 10);
                    else
                        return ARTBAG_EREJECT;
                }
                if (put_utf8(out, cp) != ARTBAG_OK)
                    return ARTBAG_EREJECT;
                i += digits;
                continue;
            }
            if (!(at = memchr(from, s[i], sizeof(from) - 1)))
                return ARTBAG_EREJECT;
            c = to[at - from];
        } else if ((unsigned char)c < 0x20 && c != '\t') {
            return ARTBAG_EREJECT;
        }
        if (artbag_buf_append(out, &c, 1) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    return ARTBAG_EREJECT;
}

/* A bare value: boolean, number, date, time. Its length, or 0. */
static size_t toml_bare(const char *s, size_t n)
{
    size_t i = 0;

    /* TOML lets a space stand for the "T" of a date-time ("1979-05-27 07:32:00"): only there. */
    while (i < n && (key_char(s[i]) || s[i] == ':' || s[i] == '.' || s[i] == '+' ||
                     (s[i] == ' ' && i == 10 && s[4] == '-' && s[7] == '-' && i + 1 < n &&
                      s[i + 1] >= '0' && s[i + 1] <= '9')))
        i++;
    return i;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
    while (i < n && blank(s[i]))
        i++;
    return i;
}

/* What may follow a value: blanks and a comment. */
static int toml_rest_ok(const char *s, size_t n, size_t i)
{
    i = skip_blank(s, n, i);
    return i == n || s[i] == '#';
}

/*
 * An array that may span lines: items appended to e. The text from s to the physical end of
 * the front matter is given, since the array can continue past this line; *used is how far it
 * went.
 */
static int toml_array(struct toml *t, const char *s, size_t n, struct artbag_fm_entry *e,
                      size_t *used)
{
    size_t i = 1;
    int rc;

    e->is_list = 1;
    for (;;) {
        i = skip_blank(s, n, i);
        if (i < n && s[i] == '#') {
            while (i < n && s[i] != '\n')
                i++;
            continue;
        }
        if (i < n && (s[i] == '\n' || s[i] == ',')) {
            t->line += s[i] == '\n';
            i++;
            continue;
        }
        if (i == n)
            return ARTBAG_EREJECT;
        if (s[i] == ']') {
            *used = i + 1;
            return ARTBAG_OK;
        }
        if (s[i] == '"' || s[i] == '\'') {
            struct artbag_buf b = ARTBAG_BUF_INIT;
            const char *eol = memchr(s + i, '\n', n - i);
            size_t k = 0;

            rc = toml_string(s + i, eol ? (size_t)(eol - s) - i : n - i, &b, &k);
            if (rc == ARTBAG_OK)
                rc = artbag_strv_push(&e->items, b.data ? b.data : "", b.len);
            artbag_buf_release(&b);
            if (rc != ARTBAG_OK)
                return rc;
            i += k;
        } else {
            size_t k = toml_bare(s + i, n - i);

            if (!k)
                return ARTBAG_EREJECT; /* nested arrays and inline tables */
            if ((rc = artbag_strv_push(&e->items, s + i, k)) != ARTBAG_OK)
                return rc;
            i += k;
        }
    }
}

static int toml_warn(struct toml *t, unsigned line, const char *what)
{
    return artbag_strv_printf(t->warnings, "TOML front matter line %u: %s; skipped", line, what);
}

int artbag_fm_toml(const char *s, size_t n, struct artbag_fm *fm, struct artbag_strv *warnings)
{
    struct toml t = {s, s + n, 2, warnings}; /* line 1 is the opening "+++" */
    struct artbag_buf key = ARTBAG_BUF_INIT, prefix = ARTBAG_BUF_INIT;
    int rc = ARTBAG_OK, skip_table = 0;

    while (t.p < t.end) {
        const char *nl = memchr(t.p, '\n', (size_t)(t.end - t.p));
        size_t len = nl ? (size_t)(nl - t.p) : (size_t)(t.end - t.p), i = skip_blank(t.p, len, 0);
        const char *l = t.p;
        unsigned line = t.line;
        struct artbag_fm_entry *e;
        size_t used = 0;

        t.p = nl ? nl + 1 : t.end;
        t.line++;
        if (i == len || l[i] == '#')
            continue;
        if (l[i] == '[') {
            size_t j = i + 1;

            skip_table = 0;
            prefix.len = 0;
            if (j < len && l[j] == '[') {
                skip_table = 1;
                rc = toml_warn(&t, line, "arrays of tables are not read");
                goto next;
            }
            while (j < len && (key_char(l[j]) || l[j] == '.'))
                j++;
            if (j == i + 1 || j == len || l[j] != ']' || !toml_rest_ok(l, len, j + 1)) {
                skip_table = 1;
                rc = toml_warn(&t, line, "a table header the subset does not read");
                goto next;
            }
            rc = artbag_buf_append(&prefix, l + i + 1, j - i - 1);
            if (rc == ARTBAG_OK)
                rc = artbag_buf_append(&prefix, ".", 1);
            goto next;
        }
        if (skip_table)
            continue;
        /* The key: bare, quoted or dotted. */
        key.len = 0;
        if ((rc = artbag_buf_append(&key, prefix.data ? prefix.data : "", prefix.len)) != ARTBAG_OK)
            goto cleanup;
        for (;;) {
            if (i < len && (l[i] == '"' || l[i] == '\'')) {
                size_t k = 0;
                int r = toml_string(l + i, len - i, &key, &k);

                if (r == ARTBAG_EIO) {
                    rc = r;
                    goto cleanup;
                }
                if (r != ARTBAG_OK)
                    break;
                i += k;
            } else {
                size_t j = i;

                while (j < len && key_char(l[j]))
                    j++;
                if (j == i)
                    break;
                if ((rc = artbag_buf_append(&key, l + i, j - i)) != ARTBAG_OK)
                    goto cleanup;
                i = j;
            }
            i = skip_blank(l, len, i);
            if (i < len && l[i] == '.') {
                if ((rc = artbag_buf_append(&key, ".", 1)) != ARTBAG_OK)
                    goto cleanup;
                i = skip_blank(l, len, i + 1);
                continue;
            }
            break;
        }
        if (key.len == prefix.len || i == len || l[i] != '=') {
            rc = toml_warn(&t, line, "not a 'key = value' line");
            goto next;
        }
        i = skip_blank(l, len, i + 1);
        if ((rc = fm_add(fm, key.data, key.len, &e)) != ARTBAG_OK)
            goto cleanup;
        if (!e) {
            rc = toml_warn(&t, line, "a repeated key");
            goto next;
        }
        if (i < len && l[i] == '[') {
            size_t rest = (size_t)(t.end - (l + i));
            unsigned at = t.line;

            t.line = line;
            rc = toml_array(&t, l + i, rest, e, &used);
            if (rc == ARTBAG_OK) {
                const char *after = l + i + used,
                           *eol = memchr(after, '\n', (size_t)(t.end - after));
                size_t an = eol ? (size_t)(eol - after) : (size_t)(t.end - after);

                t.p = eol ? eol + 1 : t.end;
                t.line++;
                if (!toml_rest_ok(after, an, 0))
                    rc = toml_warn(&t, line, "text after an array");
            } else if (rc == ARTBAG_EREJECT) {
                t.line = at;
                artbag_strv_release(&e->items);
                rc = toml_warn(&t, line, "an array the subset does not read");
            }
        } else if (i < len && (l[i] == '"' || l[i] == '\'')) {
            struct artbag_buf b = ARTBAG_BUF_INIT;

            rc = toml_string(l + i, len - i, &b, &used);
            if (rc == ARTBAG_OK && !toml_rest_ok(l, len, i + used))
                rc = ARTBAG_EREJECT;
            if (rc == ARTBAG_OK && !(e->value = artbag_buf_detach(&b, NULL)) &&
                !(e->value = strdup("")))
                rc = ARTBAG_EIO;
            artbag_buf_release(&b);
            if (rc == ARTBAG_EREJECT)
                rc = toml_warn(&t, line, "a string the subset does not read");
        } else {
            used = toml_bare(l + i, len - i);
            while (used && l[i + used - 1] == ' ')
                used--;
            if (!used || !toml_rest_ok(l, len, i + used))
                rc = toml_warn(&t, line, "a value the subset does not read");
            else if (!(e->value = artbag_memdup_str(l + i, used)))
                rc = ARTBAG_EIO;
        }
    next:
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
cleanup:
    artbag_buf_release(&key);
    artbag_buf_release(&prefix);
    return rc;
}

/* ---- the keys each tool writes ---------------------------------------------------------- */

/* The first of keys that is a non-empty scalar. */
static const struct artbag_fm_entry *scalar(const struct artbag_fm *fm, const char *const *keys)
{
    const struct artbag_fm_entry *e;

    for (; *keys; keys++)
        if ((e = fm_get(fm, *keys)) && !e->is_list && e->value && *e->value)
            return e;
    return NULL;
}

static int dup_trimmed(const char *s, char **out)
{
    size_t n = strlen(s);

    while (n && (blank(*s) || *s == '\n'))
        s++, n--;
    while (n && (blank(s[n - 1]) || s[n - 1] == '\n'))
        n--;
    if (!n)
        return ARTBAG_OK;
    *out = artbag_memdup_str(s, n);
    return *out ? ARTBAG_OK : ARTBAG_EIO;
}

/*
 * A description as a reader sees it: the lines of a paragraph joined by spaces (a block scalar
 * keeps the file's line breaks), paragraphs apart by one blank line.
 */
static int paragraphs(const char *s, char **out)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    int pending = 0, rc = ARTBAG_OK;

    while (*s && rc == ARTBAG_OK) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        const char *l = s;

        s = nl ? nl + 1 : s + n;
        while (n && blank(*l))
            l++, n--;
        while (n && blank(l[n - 1]))
            n--;
        if (!n) {
            pending = b.len ? 2 : 0;
            continue;
        }
        if (b.len)
            rc = artbag_buf_append(&b, pending == 2 ? "\n\n" : " ", pending == 2 ? 2 : 1);
        if (rc == ARTBAG_OK)
            rc = artbag_buf_append(&b, l, n);
        pending = 1;
    }
    if (rc == ARTBAG_OK && b.len)
        *out = artbag_buf_detach(&b, NULL);
    artbag_buf_release(&b);
    return rc;
}

/* A date field: the first key whose value is a date; a warning for each that is not. */
static int date_field(const struct artbag_fm *fm, const char *const *keys, char **out,
                      struct artbag_strv *warnings)
{
    const struct artbag_fm_entry *e;
    char d[ARTBAG_DATE_MAX];

    for (; *keys; keys++) {
        if (!(e = fm_get(fm, *keys)) || e->is_list || !e->value || !*e->value)
            continue;
        if (artbag_date_parse(e->value, strlen(e->value), d)) {
            if (!*out && !(*out = strdup(d)))
                return ARTBAG_EIO;
        } else if (artbag_strv_printf(warnings,
                                      "front matter '%s': '%.60s' is not a date I can read", e->key,
                                      e->value) != ARTBAG_OK) {
            return ARTBAG_EIO;
        }
    }
    return ARTBAG_OK;
}

static int has(const struct artbag_fm *fm, const char *key)
{
    return fm_get(fm, key) != NULL;
}

int artbag_fm_apply(const struct artbag_fm *fm, struct artbag_shape *sh,
                    struct artbag_strv *warnings)
{
    static const char *const k_title[] = {"title", NULL};
    static const char *const k_url[] = {"source", "original_url",  "url",
                                        "link",   "canonical_url", NULL};
    static const char *const k_author[] = {"author",        "authors",        "byline",
                                           "params.author", "params.authors", NULL};
    static const char *const k_published[] = {"published", "date_published", "publishdate",
                                              "pubdate",   "date",           NULL};
    static const char *const k_modified[] = {"lastmod",       "modified", "last_modified_at",
                                             "date_modified", "updated",  NULL};
    static const char *const k_retrieved[] = {"created", "date_saved", "retrieved", "clipped",
                                              NULL};
    static const char *const k_description[] = {"description", "abstract", "summary", NULL};
    static const char *const k_tags[] = {"tags", "keywords", NULL};
    static const char *const k_language[] = {"lang", "language", NULL};
    static const char *const k_site[] = {"sitename", "site_name", NULL};
    const struct artbag_fm_entry *e;
    const char *const *k;
    size_t i;
    int rc = ARTBAG_OK;

    if ((e = scalar(fm, k_title)) && (rc = dup_trimmed(e->value, &sh->title)) != ARTBAG_OK)
        return rc;
    /* Hugo's "url" is the page's path on the site, not where the article came from. */
    for (k = k_url; *k && !sh->url; k++)
        if ((e = fm_get(fm, *k)) && !e->is_list && e->value && *e->value && e->value[0] != '/' &&
            (rc = dup_trimmed(e->value, &sh->url)) != ARTBAG_OK)
            return rc;
    for (k = k_author; *k; k++) {
        if (!(e = fm_get(fm, *k)))
            continue;
        if (e->is_list) {
            for (i = 0; i < e->items.n && rc == ARTBAG_OK; i++)
                rc = artbag_author_clean(e->items.v[i], strlen(e->items.v[i]), &sh->authors);
            sh->authors_set = sh->authors.n > 0;
        } else if (e->value && *e->value) {
            rc = dup_trimmed(e->value, &sh->byline);
        }
        if (rc != ARTBAG_OK)
            return rc;
        if (sh->byline || sh->authors.n)
            break;
    }
    if ((rc = date_field(fm, k_published, &sh->published, warnings)) != ARTBAG_OK ||
        (rc = date_field(fm, k_modified, &sh->modified, warnings)) != ARTBAG_OK ||
        (rc = date_field(fm, k_retrieved, &sh->retrieved, warnings)) != ARTBAG_OK)
        return rc;
    if ((e = scalar(fm, k_description)) &&
        (rc = paragraphs(e->value, &sh->description)) != ARTBAG_OK)
        return rc;
    if ((e = scalar(fm, k_language)) && (rc = dup_trimmed(e->value, &sh->language)) != ARTBAG_OK)
        return rc;
    if ((e = scalar(fm, k_site)) && (rc = dup_trimmed(e->value, &sh->site_name)) != ARTBAG_OK)
        return rc;
    for (k = k_tags; *k; k++) {
        if (!(e = fm_get(fm, *k)))
            continue;
        if (e->is_list) {
            for (i = 0; i < e->items.n && rc == ARTBAG_OK; i++)
                if (*e->items.v[i])
                    rc = artbag_strv_push(&sh->tags, e->items.v[i], strlen(e->items.v[i]));
        } else if (e->value && *e->value) {
            rc = artbag_strv_push(&sh->tags, e->value, strlen(e->value));
        }
        if (rc != ARTBAG_OK || sh->tags.n)
            break;
    }
    if (rc != ARTBAG_OK)
        return rc;

    /* Which tool wrote it, by the keys only it writes. */
    e = fm_get(fm, "created");
    if (e && e->value && strstr(e->value, "(UTC"))
        sh->tool = "MarkDownload";
    else if (has(fm, "hostname") && (has(fm, "fingerprint") || has(fm, "sitename")))
        sh->tool = "trafilatura";
    else if (has(fm, "date_saved"))
        sh->tool = "Omnivore";
    else if (has(fm, "title") && has(fm, "source") && has(fm, "created"))
        sh->tool = "Obsidian Web Clipper";
    return ARTBAG_OK;
}
