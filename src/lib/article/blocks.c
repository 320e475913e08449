/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * blocks.c - an article's block structure (headings, ATX and setext, and code blocks) from md4c,
 * a CommonMark parser, so that no reader takes a line in a fenced block, or a "---" that
 * underlines a heading, for a title or a header.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <md4c.h>

#include "article/shapes.h"

struct walk {
    const char *t;
    size_t n;
    const size_t *starts; /* byte offset of each line */
    size_t n_lines;
    struct artbag_blocks *b;
    struct artbag_buf text;
    int in_h, in_code, level, have;
    size_t first, last; /* lines of the first and last text seen in the block */
    size_t first_off;   /* offset of the first text */
};

static size_t line_of(const struct walk *w, const char *p)
{
    size_t off = (size_t)(p - w->t), lo = 0, hi = w->n_lines;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (w->starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *data)
{
    struct walk *w = data;

    if (type == MD_BLOCK_H) {
        w->in_h = 1;
        w->level = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
        w->text.len = 0;
        w->have = 0;
    } else if (type == MD_BLOCK_CODE) {
        w->in_code = 1;
        w->have = 0;
    }
    return 0;
}

/*
 * An ATX heading has its '#' run on the line before its text; a setext heading has none there,
 * but an underline on the next line. Looking between the line's start and the text copes with
 * containers ("> # Title", "- # Title"), which md4c does not report on the heading.
 */
static int is_atx(const struct walk *w)
{
    size_t i;

    for (i = w->starts[w->first]; i < w->first_off && i < w->n; i++)
        if (w->t[i] == '#')
            return 1;
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *data)
{
    struct walk *w = data;
    struct artbag_blocks *b = w->b;
    size_t i;

    (void)detail;
    if (type == MD_BLOCK_H) {
        struct artbag_heading *h;
        const char *s = w->text.data ? w->text.data : "";
        size_t n = w->text.len;

        w->in_h = 0;
        if (!w->have)
            return 0; /* no text in the file: an empty heading is nobody's title */
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (b->n_h == b->cap_h) {
            size_t cap = b->cap_h ? b->cap_h * 2 : 16;
            struct artbag_heading *g = realloc(b->h, cap * sizeof(*g));

            if (!g)
                return -1;
            b->h = g;
            b->cap_h = cap;
        }
        h = &b->h[b->n_h];
        h->level = w->level;
        h->first_line = w->first;
        h->last_line = w->last + (is_atx(w) ? 0 : 1);
        if (!(h->text = artbag_memdup_str(s, n)))
            return -1;
        b->n_h++;
    } else if (type == MD_BLOCK_CODE) {
        w->in_code = 0;
        if (w->have)
            for (i = w->first; i <= w->last && i < b->n_lines; i++)
                b->code[i] = 1;
    }
    return 0;
}

static int span(MD_SPANTYPE type, void *detail, void *data)
{
    (void)type;
    (void)detail;
    (void)data;
    return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *data)
{
    struct walk *w = data;

    /* Only headings and code blocks need their lines (leave_block); a binary search for every
     * run of paragraph text cost more than md4c itself. Only text that points into the article
     * has a line; md4c's own "\n" and "\xEF\xBF\xBD" do not. */
    if ((w->in_h || w->in_code) && size && s >= w->t && s < w->t + w->n) {
        size_t l = line_of(w, s);

        if (!w->have) {
            w->first = l;
            w->first_off = (size_t)(s - w->t);
        }
        w->last = l;
        w->have = 1;
    }
    if (!w->in_h)
        return 0;
    switch (type) {
    case MD_TEXT_SOFTBR:
    case MD_TEXT_BR:
        return artbag_buf_append(&w->text, " ", 1) == ARTBAG_OK ? 0 : -1;
    case MD_TEXT_NULLCHAR:
        return artbag_buf_append(&w->text, "\xEF\xBF\xBD", 3) == ARTBAG_OK ? 0 : -1;
    case MD_TEXT_HTML:
        return 0;
    default:
        return artbag_buf_append(&w->text, s, size) == ARTBAG_OK ? 0 : -1;
    }
}

/*
 * A line of a settled tail: one that CommonMark cannot read as a heading, a code block, a
 * container or a link reference definition, whatever came before it. Such a line starts in
 * column 0 (no indented code, no list continuation) with none of: '#' (ATX heading), '=' or '-'
 * (setext underline, list), '`' or '~' (fence), '>' (block quote), '+' or '*' (list), '['
 * (link reference definition, which could change a heading's text), and not with a number
 * followed by '.' or ')' (ordered list).
 */
static int settled_line(const char *s, size_t n)
{
    size_t d = 0;

    if (!n || strchr(" \t#=-`~>+*[", s[0]))
        return 0;
    while (d < n && d < 10 && s[d] >= '0' && s[d] <= '9')
        d++;
    return !(d && d < n && (s[d] == '.' || s[d] == ')'));
}

static int blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/*
 * How much of t md4c must read to give every heading and code block of all of t. A blank line
 * followed only by settled lines and blank lines closes every block before it but a fenced code
 * block (and HTML blocks, which hold no heading or code): without a '`' or '~' before it, no
 * fence can be open there. Nothing after such a line is a heading or code, and nothing there
 * can change how the lines before it read, so md4c stops at it: the body of most articles is
 * prose, and md4c's inline parsing of it was most of the reader's time.
 */
static size_t settled_prefix(const char *t, size_t n, const size_t *starts, size_t n_lines)
{
    size_t cut = n, i = n_lines;

    while (i-- > 0) {
        const char *s = t + starts[i];
        size_t len = (i + 1 < n_lines ? starts[i + 1] - 1 : n) - starts[i];

        if (blank_line(s, len))
            cut = starts[i];
        else if (!settled_line(s, len))
            break;
    }
    /* md4c also ends a line at '\r': the reader's text has none, another caller's may */
    if (cut < n && (memchr(t, '`', cut) || memchr(t, '~', cut) || memchr(t + cut, '\r', n - cut)))
        return n;
    return cut;
}

static int blocks_read(const char *t, size_t n, const size_t *starts, size_t n_lines,
                       struct artbag_blocks *b, int all)
{
    MD_PARSER parser = {0};
    struct walk w = {0};
    size_t *own = NULL;
    const char *p;
    size_t k;
    int rc = ARTBAG_OK;

    memset(b, 0, sizeof(*b));
    if (starts) { /* the caller split the lines already */
        w.starts = starts;
        w.n_lines = n_lines;
    } else {
        /* memchr, not a loop over every byte: this runs for every article pack reads. */
        for (p = t, w.n_lines = 1; (p = memchr(p, '\n', (size_t)(t + n - p))); p++)
            w.n_lines++;
        if (!(own = malloc(w.n_lines * sizeof(*own)))) {
            rc = ARTBAG_EIO;
            goto cleanup;
        }
        own[0] = 0;
        for (p = t, k = 1; (p = memchr(p, '\n', (size_t)(t + n - p))); p++)
            own[k++] = (size_t)(p - t) + 1;
        w.starts = own;
    }
    b->code = calloc(w.n_lines, 1);
    if (!b->code) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    b->n_lines = w.n_lines;
    /* md4c counts in unsigned; an article past that size is read without its structure. */
    if (n > UINT_MAX / 2)
        goto cleanup;
    if (!all)
        n = settled_prefix(t, n, w.starts, w.n_lines);
    w.t = t;
    w.n = n;
    w.b = b;
    parser.flags = MD_FLAG_NOHTMLSPANS;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = span;
    parser.leave_span = span;
    parser.text = text;
    if (md_parse(t, (MD_SIZE)n, &parser, &w) != 0)
        rc = ARTBAG_EIO;
cleanup:
    free(own);
    artbag_buf_release(&w.text);
    if (rc != ARTBAG_OK)
        artbag_blocks_release(b);
    return rc;
}

int artbag_blocks_read(const char *t, size_t n, struct artbag_blocks *b)
{
    return blocks_read(t, n, NULL, 0, b, 0);
}

int artbag_blocks_read_lines(const char *t, size_t n, const size_t *starts, size_t n_lines,
                             struct artbag_blocks *b)
{
    return blocks_read(t, n, starts, n_lines, b, 0);
}

int artbag_blocks_read_all(const char *t, size_t n, struct artbag_blocks *b)
{
    return blocks_read(t, n, NULL, 0, b, 1);
}

void artbag_blocks_release(struct artbag_blocks *b)
{
    size_t i;

    for (i = 0; i < b->n_h; i++)
        free(b->h[i].text);
    free(b->h);
    free(b->code);
    memset(b, 0, sizeof(*b));
}
