/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* article.c - reads what a Markdown news article says about itself (title, dates, byline, source,
 * credit, citation, rights notice, DOIs) from its text, composing the shape readers of
 * src/lib/article/ for its header (YAML or TOML front matter, Jina Reader, pandoc, Readwise). */
#include <stdlib.h>
#include <string.h>

#include "article/article.h"
#include "article/shapes.h"

struct span {
    const char *s;
    size_t n;
};

/* Lines point into the normalised copy; they are not NUL-terminated. */
struct line {
    const char *s;
    size_t n;
    int code; /* inside a fenced code block, where labels and headings are only examples */
};

/* ---- bytes and spans ------------------------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_digit(c) || is_alpha(c);
}

/* ASCII only, so that the locale cannot change how an article reads. */
static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int ncase_eq(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (to_lower(a[i]) != to_lower(b[i]))
            return 0;
    return 1;
}

static struct span span_of(const char *s, size_t n)
{
    struct span sp = {s, n};

    return sp;
}

static struct span span_trim(struct span sp)
{
    while (sp.n && is_blank(sp.s[0])) {
        sp.s++;
        sp.n--;
    }
    while (sp.n && is_blank(sp.s[sp.n - 1]))
        sp.n--;
    return sp;
}

/* Case-insensitive prefix test; on a match advances *sp past the prefix. */
static int span_eat(struct span *sp, const char *prefix)
{
    size_t n = strlen(prefix);

    if (sp->n < n || !ncase_eq(sp->s, prefix, n))
        return 0;
    sp->s += n;
    sp->n -= n;
    return 1;
}

static const char *span_find(struct span sp, const char *needle)
{
    size_t n = strlen(needle), i;
    const char *p;

    /* A needle that starts with no letter ("</p>") starts with the same byte in any case:
     * memchr finds the candidates. */
    if (n && !is_alpha(needle[0])) {
        for (i = 0; i + n <= sp.n; i = (size_t)(p - sp.s) + 1) {
            if (!(p = memchr(sp.s + i, needle[0], sp.n - n + 1 - i)))
                return NULL;
            if (ncase_eq(p, needle, n))
                return p;
        }
        return NULL;
    }
    for (i = 0; n && i + n <= sp.n; i++)
        if (ncase_eq(sp.s + i, needle, n))
            return sp.s + i;
    return NULL;
}

/* "*x*", "**x**" and "_x_" are how a writer bolds a line that is still a date or a credit. */
static struct span strip_emphasis(struct span sp)
{
    sp = span_trim(sp);
    while (sp.n >= 2 && (sp.s[0] == '*' || sp.s[0] == '_') && sp.s[sp.n - 1] == sp.s[0]) {
        sp.s++;
        sp.n -= 2;
        sp = span_trim(sp);
    }
    return sp;
}

static int span_dup(struct span sp, char **out)
{
    char *p = malloc(sp.n + 1);

    if (!p)
        return ARTBAG_EIO;
    if (sp.n)
        memcpy(p, sp.s, sp.n);
    p[sp.n] = '\0';
    *out = p;
    return ARTBAG_OK;
}

/* Appends the words of s to b, one space between words, including the last word already in b. */
static int join_words(struct artbag_buf *b, struct span sp)
{
    size_t i = 0, start;

    while (i < sp.n) {
        while (i < sp.n && is_blank(sp.s[i]))
            i++;
        if (i == sp.n)
            break;
        start = i;
        /* A run of words already one space apart is copied at once, not word by word. */
        for (;;) {
            while (i < sp.n && !is_blank(sp.s[i]))
                i++;
            if (i + 1 < sp.n && sp.s[i] == ' ' && !is_blank(sp.s[i + 1]))
                i++;
            else
                break;
        }
        if ((b->len && artbag_buf_append(b, " ", 1) != ARTBAG_OK) ||
            artbag_buf_append(b, sp.s + start, i - start) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

/* ---- the working copy ------------------------------------------------------------------- */

static int only_whitespace(const unsigned char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n' && buf[i] != '\f' &&
            buf[i] != '\v')
            return 0;
    return 1;
}

/*
 * Copies buf without its BOM, with every line ending made "\n", and with NUL made U+FFFD as
 * CommonMark asks, so that lines and C strings agree about where text ends.
 */
static int text_normalise(const unsigned char *buf, size_t len, struct artbag_buf *out)
{
    const unsigned char *cr, *nul;
    size_t i = 0, start;

    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    start = i;
    /* memchr finds the rare '\r' and NUL many bytes at a time; most texts have neither, and are
     * then one copy. */
    cr = memchr(buf + i, '\r', len - i);
    nul = memchr(buf + i, '\0', len - i);
    while (i < len) {
        if (cr && cr < buf + i)
            cr = memchr(buf + i, '\r', len - i);
        if (nul && nul < buf + i)
            nul = memchr(buf + i, '\0', len - i);
        if (!cr && !nul)
            break;
        i = (size_t)((cr && (!nul || cr < nul) ? cr : nul) - buf);
        if (artbag_buf_append(out, buf + start, i - start) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (buf[i] == '\r') {
            if (artbag_buf_append(out, "\n", 1) != ARTBAG_OK)
                return ARTBAG_EIO;
            i += i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
        } else {
            if (artbag_buf_append(out, "\xEF\xBF\xBD", 3) != ARTBAG_OK)
                return ARTBAG_EIO;
            i++;
        }
        start = i;
    }
    return artbag_buf_append(out, buf + start, len - start);
}

/* One pass, the array grown as it fills: lines are short, so a pass to count them first cost
 * as much as the split. */
static int lines_split(const char *t, size_t len, struct line **out, size_t *n_out)
{
    const char *p = t, *end = t + len, *nl;
    struct line *lines, *grown;
    size_t cap = len / 64 + 16, i = 0;

    lines = malloc(cap * sizeof(*lines));
    if (!lines)
        return ARTBAG_EIO;
    while (p < end) {
        if (i == cap) {
            grown = artbag_array_grow(lines, &cap, i, sizeof(*lines), 0);
            if (!grown) {
                free(lines);
                return ARTBAG_EIO;
            }
            lines = grown;
        }
        nl = memchr(p, '\n', (size_t)(end - p));
        lines[i].s = p;
        lines[i].n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lines[i].code = 0;
        i++;
        p = nl ? nl + 1 : end;
    }
    *out = lines;
    *n_out = i;
    return ARTBAG_OK;
}

/* ---- Markdown blocks -------------------------------------------------------------------- */

/* Skips the up to three spaces of indentation that CommonMark allows before a block marker. */
static struct span skip_indent(struct span sp)
{
    size_t i = 0;

    while (i < 3 && i < sp.n && sp.s[i] == ' ')
        i++;
    return span_of(sp.s + i, sp.n - i);
}

static int is_blank_line(struct span sp)
{
    return span_trim(sp).n == 0;
}

/* "---", "***", "___", spaces allowed between. */
static int is_rule(struct span sp)
{
    size_t i, count = 0;
    char c;

    sp = skip_indent(sp);
    if (!sp.n || !strchr("-*_", sp.s[0]))
        return 0;
    c = sp.s[0];
    for (i = 0; i < sp.n; i++) {
        if (sp.s[i] == c)
            count++;
        else if (!is_blank(sp.s[i]))
            return 0;
    }
    return count >= 3;
}

/* "---" (or, closing, "...") alone on a line: where YAML front matter opens or closes. */
static int is_yaml_marker(struct span sp, int closing)
{
    while (sp.n && is_blank(sp.s[sp.n - 1]))
        sp.n--;
    return sp.n == 3 && (!memcmp(sp.s, "---", 3) || (closing && !memcmp(sp.s, "...", 3)));
}

/* ATX heading level (1-6) of a line, or 0; *text gets its content without the closing #s. */
static int atx_heading(struct span sp, struct span *text)
{
    size_t level = 0, e;
    struct span c;

    sp = skip_indent(sp);
    while (level < sp.n && sp.s[level] == '#')
        level++;
    if (level == 0 || level > 6 || (level < sp.n && !is_blank(sp.s[level])))
        return 0;
    c = span_trim(span_of(sp.s + level, sp.n - level));
    e = c.n;
    while (e && c.s[e - 1] == '#')
        e--;
    /* A closing sequence needs a space before it, so "# C#" keeps its '#'. */
    if (e == 0 || is_blank(c.s[e - 1]))
        c.n = e;
    if (text)
        *text = span_trim(c);
    return (int)level;
}

/* An HTML block such as "<p>" or "</div>", but not an autolink such as "<https://...>". */
static int is_html_start(struct span sp)
{
    size_t i = 1;

    sp = skip_indent(sp);
    if (sp.n < 2 || sp.s[0] != '<')
        return 0;
    if (sp.s[i] == '/')
        i++;
    if (i >= sp.n || !is_alpha(sp.s[i]))
        return 0;
    while (i < sp.n && is_alnum(sp.s[i]))
        i++;
    return i == sp.n || is_blank(sp.s[i]) || sp.s[i] == '>' || sp.s[i] == '/';
}

/*
 * Matches a label at the start of a line in the ways writers set it: "Label:", "**Label**:",
 * "**Label:**", "*Label*", or with the bold running on ("**Provided by X**"). *rest gets what
 * follows, trimmed, with an unclosed bold's closing run removed from its end.
 */
static int match_label(struct span sp, const char *label, int need_colon, struct span *rest)
{
    size_t em = 0, closing = 0;
    int colon = 0;
    char ec = 0;

    sp = span_trim(sp);
    if (sp.n && (sp.s[0] == '*' || sp.s[0] == '_')) {
        ec = sp.s[0];
        while (em < 3 && em < sp.n && sp.s[em] == ec)
            em++;
        sp = span_of(sp.s + em, sp.n - em);
    }
    if (!span_eat(&sp, label) || (sp.n && is_alnum(sp.s[0])))
        return 0;
    if (span_eat(&sp, ":"))
        colon = 1;
    while (em && closing < em && closing < sp.n && sp.s[closing] == ec)
        closing++;
    if (em && closing == em)
        sp = span_of(sp.s + em, sp.n - em);
    if (!colon && span_eat(&sp, ":"))
        colon = 1;
    if (need_colon && !colon)
        return 0;
    sp = span_trim(sp);
    if (em && closing != em && sp.n >= em) {
        size_t k = 0;

        while (k < em && sp.s[sp.n - 1 - k] == ec)
            k++;
        if (k == em)
            sp = span_trim(span_of(sp.s, sp.n - em));
    }
    *rest = sp;
    return 1;
}

/* ---- dates ------------------------------------------------------------------------------ */

static int leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int artbag_date_valid(int y, int m, int d)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= days[m - 1] + (m == 2 && leap_year(y));
}

/* Reads min..max digits not followed by another digit; returns how many, or 0. */
static size_t read_number(struct span sp, size_t min, size_t max, int *val)
{
    size_t i = 0;
    int v = 0;

    while (i < sp.n && is_digit(sp.s[i])) {
        if (i == max)
            return 0;
        v = v * 10 + (sp.s[i] - '0');
        i++;
    }
    if (i < min)
        return 0;
    *val = v;
    return i;
}

/* English month name, full or abbreviated to three letters ("Sept" too), case-insensitive. */
static size_t read_month(struct span sp, int *month)
{
    static const char *const names[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};
    size_t w = 0, m;

    while (w < sp.n && is_alpha(sp.s[w]))
        w++;
    for (m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);

        if ((w == full || w == 3 || (m == 8 && w == 4)) && w <= full &&
            ncase_eq(sp.s, names[m], w)) {
            *month = (int)m + 1;
            if (w < full && w < sp.n && sp.s[w] == '.')
                w++;
            return w;
        }
    }
    return 0;
}

static size_t read_blanks(struct span sp)
{
    size_t i = 0;

    while (i < sp.n && is_blank(sp.s[i]))
        i++;
    return i;
}

static struct span advance(struct span sp, size_t k)
{
    return span_of(sp.s + k, sp.n - k);
}

/* A day of the month with its optional English ordinal suffix ("22", "22nd"). */
static size_t read_day(struct span sp, int *day)
{
    static const char *const suffixes[] = {"st", "nd", "rd", "th"};
    size_t k = read_number(sp, 1, 2, day), s;

    if (!k)
        return 0;
    for (s = 0; s < 4; s++) {
        if (sp.n - k >= 2 && ncase_eq(sp.s + k, suffixes[s], 2) &&
            (sp.n - k == 2 || !is_alnum(sp.s[k + 2])))
            return k + 2;
    }
    return k;
}

/*
 * Reads a date at the start of sp: "2014-12-22", "December 22 2014", "December 22, 2014" or
 * "22 December 2014". Returns the bytes it used and writes YYYY-MM-DD to out, or returns 0.
 */
static size_t read_date(struct span sp, char out[11])
{
    struct span p = sp;
    int y = 0, m = 0, d = 0;
    size_t k;

    if ((k = read_number(p, 4, 4, &y)) && k < p.n && p.s[k] == '-') {
        p = advance(p, k + 1);
        if (!(k = read_number(p, 2, 2, &m)) || k >= p.n || p.s[k] != '-')
            return 0;
        p = advance(p, k + 1);
        if (!(k = read_number(p, 2, 2, &d)))
            return 0;
        p = advance(p, k);
    } else {
        if ((k = read_day(p, &d))) {
            p = advance(p, k);
            if (!(k = read_blanks(p)))
                return 0;
            p = advance(p, k);
            if (!(k = read_month(p, &m)))
                return 0;
            p = advance(p, k);
        } else if ((k = read_month(p, &m))) {
            p = advance(p, k);
            if (!(k = read_blanks(p)))
                return 0;
            p = advance(p, k);
            if (!(k = read_day(p, &d)))
                return 0;
            p = advance(p, k);
        } else {
            return 0;
        }
        if (p.n && p.s[0] == ',')
            p = advance(p, 1);
        if (!(k = read_blanks(p)))
            return 0;
        p = advance(p, k);
        if (!(k = read_number(p, 4, 4, &y)))
            return 0;
        p = advance(p, k);
    }
    if ((p.n && is_alnum(p.s[0])) || !artbag_date_valid(y, m, d))
        return 0;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return (size_t)(p.s - sp.s);
}

/* ---- what the lines say ----------------------------------------------------------------- */

/* "© 2014 AFP", "(c) 2014 AFP", "Copyright © 2014 AFP": *name gets "AFP". */
static int credit_line(struct span sp, struct span *name)
{
    int copyright, year;
    size_t k;

    sp = strip_emphasis(sp);
    copyright = span_eat(&sp, "copyright");
    if (copyright && sp.n && is_alnum(sp.s[0]))
        return 0;
    sp = advance(sp, read_blanks(sp));
    if (!span_eat(&sp, "\xC2\xA9") && !span_eat(&sp, "(c)") && !copyright)
        return 0;
    sp = advance(sp, read_blanks(sp));
    if (!(k = read_number(sp, 4, 4, &year)))
        return 0;
    sp = advance(sp, k);
    /* A span of years, "2014-2016" or "2014–2016". */
    if (span_eat(&sp, "-") || span_eat(&sp, "\xE2\x80\x93")) {
        if (!(k = read_number(sp, 4, 4, &year)))
            return 0;
        sp = advance(sp, k);
    }
    span_eat(&sp, ",");
    if (!read_blanks(sp))
        return 0;
    sp = span_trim(sp);
    if (sp.n && sp.s[sp.n - 1] == '.')
        sp.n--;
    sp = strip_emphasis(sp);
    if (!sp.n)
        return 0;
    *name = sp;
    return 1;
}

/* A name given as a Markdown link, "[University of X](https://...)", is the link's text. */
static struct span unlink_name(struct span sp)
{
    const char *close;

    sp = span_trim(sp);
    if (sp.n < 4 || sp.s[0] != '[' || sp.s[sp.n - 1] != ')')
        return sp;
    close = memchr(sp.s, ']', sp.n);
    if (!close || close + 1 >= sp.s + sp.n || close[1] != '(')
        return sp;
    return span_trim(span_of(sp.s + 1, (size_t)(close - sp.s - 1)));
}

static int provided_by(struct span sp, struct span *name)
{
    if (!match_label(sp, "Provided by", 0, &sp))
        return 0;
    if (sp.n && sp.s[sp.n - 1] == '.')
        sp.n--;
    sp = strip_emphasis(unlink_name(strip_emphasis(sp)));
    if (!sp.n)
        return 0;
    *name = sp;
    return 1;
}

static int starts_url(struct span sp)
{
    return (sp.n > 8 && ncase_eq(sp.s, "https://", 8)) ||
           (sp.n > 7 && ncase_eq(sp.s, "http://", 7));
}

/* Length of the "<p>", "<p class=...>" or "</p>" tag at sp.s[0], or 0. */
static size_t p_tag(struct span sp)
{
    size_t i = 1;

    if (sp.n < 3 || sp.s[0] != '<')
        return 0;
    if (sp.s[i] == '/')
        i++;
    if (i + 1 >= sp.n || to_lower(sp.s[i]) != 'p' || (sp.s[i + 1] != '>' && !is_blank(sp.s[i + 1])))
        return 0;
    /* Stopping at the next '<' keeps a run of unclosed tags from costing quadratic time. */
    for (i++; i < sp.n && sp.s[i] != '>' && sp.s[i] != '<'; i++)
        ;
    return i < sp.n && sp.s[i] == '>' ? i + 1 : 0;
}

/* Length of the autolink "<https://...>" at sp.s[0], or 0. */
static size_t autolink(struct span sp)
{
    size_t i;

    if (!sp.n || sp.s[0] != '<' || !starts_url(advance(sp, 1)))
        return 0;
    for (i = 1; i < sp.n && sp.s[i] != '>' && sp.s[i] != '<' && !is_blank(sp.s[i]); i++)
        ;
    return i < sp.n && sp.s[i] == '>' ? i + 1 : 0;
}

/* Where the rights notice starts on this line (after any "<p>"), or NULL. */
static const char *rights_start(struct span sp)
{
    struct span at;
    size_t k;

    sp = span_trim(sp);
    while ((k = p_tag(sp)))
        sp = span_trim(advance(sp, k));
    at = sp;
    return span_eat(&at, "This document is subject to copyright") ? sp.s : NULL;
}

/* Whether a line starts a new block rather than continuing a citation or notice paragraph. */
static int ends_paragraph(const struct line *l)
{
    struct span sp = span_of(l->s, l->n), rest;

    return l->code || is_blank_line(sp) || is_rule(sp) || atx_heading(sp, NULL) ||
           is_html_start(sp) || credit_line(sp, &rest) || provided_by(sp, &rest) ||
           match_label(sp, "Citation", 1, &rest) || match_label(sp, "More information", 1, &rest) ||
           match_label(sp, "Journal information", 1, &rest) || rights_start(sp);
}

/*
 * Joins the paragraph that begins with head (a tail of lines[first]) onto one line. A trailing
 * backslash is a Markdown hard break, not text; "</p>" ends an HTML paragraph early.
 */
static int paragraph_join(const struct line *lines, size_t n_lines, size_t first, struct span head,
                          struct artbag_buf *out)
{
    size_t i;

    for (i = first; i < n_lines; i++) {
        struct span sp = i == first ? head : span_of(lines[i].s, lines[i].n);

        if (i > first && ends_paragraph(&lines[i]))
            break;
        sp = span_trim(sp);
        if (sp.n && sp.s[sp.n - 1] == '\\')
            sp = span_trim(span_of(sp.s, sp.n - 1));
        if (join_words(out, sp) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (span_find(sp, "</p>"))
            break;
    }
    return ARTBAG_OK;
}

/*
 * Copies sp to *out without the markup writers wrap around citations and notices: bold "**",
 * <p> tags and the angle brackets of an autolink; then evens out the spaces that leaves.
 */
static int strip_markup(struct span sp, char **out)
{
    struct artbag_buf raw = ARTBAG_BUF_INIT, words = ARTBAG_BUF_INIT;
    size_t i = 0, k;
    int rc = ARTBAG_EIO;

    while (i < sp.n) {
        struct span at = advance(sp, i);

        if ((k = p_tag(at))) {
            if (artbag_buf_append(&raw, " ", 1) != ARTBAG_OK)
                goto cleanup;
        } else if ((k = autolink(at))) {
            if (artbag_buf_append(&raw, at.s + 1, k - 2) != ARTBAG_OK)
                goto cleanup;
        } else if (at.n >= 2 && at.s[0] == '*' && at.s[1] == '*') {
            k = 2;
        } else {
            /* The bytes up to the next '<' or '*' (where markup may start) are plain text. */
            for (k = 1; k < at.n && at.s[k] != '<' && at.s[k] != '*'; k++)
                ;
            if (artbag_buf_append(&raw, at.s, k) != ARTBAG_OK)
                goto cleanup;
        }
        i += k;
    }
    if (join_words(&words, span_of(raw.data ? raw.data : "", raw.len)) != ARTBAG_OK ||
        artbag_buf_append(&words, "", 0) != ARTBAG_OK)
        goto cleanup;
    *out = artbag_buf_detach(&words, NULL);
    rc = ARTBAG_OK;
cleanup:
    artbag_buf_release(&raw);
    artbag_buf_release(&words);
    return rc;
}

/* Joins and cleans the paragraph at lines[first] from head; *out is NULL when it is empty. */
static int paragraph_text(const struct line *lines, size_t n_lines, size_t first, struct span head,
                          char **out)
{
    struct artbag_buf joined = ARTBAG_BUF_INIT;
    int rc;

    *out = NULL;
    rc = paragraph_join(lines, n_lines, first, head, &joined);
    if (rc != ARTBAG_OK)
        goto cleanup;
    rc = strip_markup(span_of(joined.data ? joined.data : "", joined.len), out);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (!**out) {
        free(*out);
        *out = NULL;
    }
cleanup:
    artbag_buf_release(&joined);
    return rc;
}

/*
 * The last web address in a citation, which is where it was retrieved from. Trailing
 * punctuation belongs to the sentence, and a ')' or ']' to the URL only when it closes one that
 * the URL opened (as in Wikipedia addresses).
 */
static int citation_url(const char *c, char **out)
{
    struct span sp = span_of(c, strlen(c)), url = {NULL, 0};
    size_t i, e, opened[2] = {0, 0}, closed[2] = {0, 0}, host;
    char ch;

    for (i = 0; i < sp.n; i++)
        if (to_lower(c[i]) == 'h' && (i == 0 || !is_alnum(c[i - 1])) && starts_url(advance(sp, i)))
            url = advance(sp, i);
    if (!url.s)
        return ARTBAG_OK;
    host = to_lower(url.s[4]) == 's' ? 8 : 7;
    for (e = 0; e < url.n && !is_blank(url.s[e]) && !strchr("<>\"`", url.s[e]); e++) {
        opened[0] += url.s[e] == '(';
        closed[0] += url.s[e] == ')';
        opened[1] += url.s[e] == '[';
        closed[1] += url.s[e] == ']';
    }
    while (e > host) {
        ch = url.s[e - 1];
        if (ch == ')' || ch == ']') {
            int b = ch == ']';

            if (closed[b] <= opened[b])
                break;
            closed[b]--;
        } else if (!strchr(".,;:!?'*", ch)) {
            break;
        }
        e--;
    }
    if (e == host)
        return ARTBAG_OK; /* "https://" and nothing more */
    return span_dup(span_of(url.s, e), out);
}

/* The date after the word "retrieved" in a citation. */
static int citation_retrieved(const char *c, char **out)
{
    struct span sp = span_of(c, strlen(c));
    char date[11];
    size_t i;

    for (i = 0; i + 9 <= sp.n; i++) {
        struct span at = advance(sp, i);
        size_t k;

        if (to_lower(c[i]) != 'r' || (i && is_alnum(c[i - 1])) || !span_eat(&at, "retrieved") ||
            !(k = read_blanks(at)))
            continue;
        if (read_date(advance(at, k), date))
            return span_dup(span_of(date, 10), out);
    }
    return ARTBAG_OK;
}

/* ---- DOIs ------------------------------------------------------------------------------- */

/*
 * Length of the DOI (10.NNNN/suffix) at sp.s[i], or 0. Parentheses and brackets end it only when
 * unbalanced, because registrants use them ("10.1016/S0140-6736(20)30183-5") while prose and
 * Markdown links put them around DOIs.
 */
static size_t doi_at(struct span sp, size_t i)
{
    size_t j = i + 3, digits = 0, start;
    long parens = 0, brackets = 0;
    char c;

    if (sp.n - i < 8 || memcmp(sp.s + i, "10.", 3) != 0)
        return 0;
    if (i && (is_alnum(sp.s[i - 1]) || sp.s[i - 1] == '.' || sp.s[i - 1] == '-'))
        return 0;
    while (j < sp.n && is_digit(sp.s[j])) {
        j++;
        digits++;
    }
    if (digits < 4)
        return 0;
    while (j + 1 < sp.n && sp.s[j] == '.' && is_digit(sp.s[j + 1])) {
        j++;
        while (j < sp.n && is_digit(sp.s[j]))
            j++;
    }
    if (j >= sp.n || sp.s[j] != '/')
        return 0;
    start = ++j;
    for (; j < sp.n; j++) {
        c = sp.s[j];
        if (is_blank(c) || strchr("<>\"`", c))
            break;
        if ((c == ')' && --parens < 0) || (c == ']' && --brackets < 0))
            break;
        parens += c == '(';
        brackets += c == '[';
    }
    while (j > start && strchr(".,;*", sp.s[j - 1]))
        j--;
    return j > start ? j - i : 0;
}

/*
 * The DOIs found so far, with a hash set over their lower-cased spelling, because DOI names are
 * case-insensitive and an article of any size should not cost quadratic time.
 */
struct doi_list {
    struct artbag_article_info *info;
    size_t cap;    /* of info->dois */
    size_t *slots; /* index + 1 into info->dois, 0 when free */
    size_t n_slots;
};

static size_t doi_hash(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)to_lower(s[i])) * UINT64_C(1099511628211);
    return (size_t)h;
}

/* The slot holding s, or the free slot where it belongs. */
static size_t *doi_slot(const struct doi_list *l, const char *s, size_t n)
{
    size_t i = doi_hash(s, n) & (l->n_slots - 1), *slot;
    const char *d;

    for (;; i = (i + 1) & (l->n_slots - 1)) {
        slot = &l->slots[i];
        if (!*slot)
            return slot;
        d = l->info->dois[*slot - 1];
        if (strlen(d) == n && ncase_eq(d, s, n))
            return slot;
    }
}

/* Keeps the table at most half full so that probing stays short and always ends. */
static int doi_rehash(struct doi_list *l)
{
    size_t n = l->n_slots ? l->n_slots * 2 : 64, i;
    struct doi_list grown = *l;

    grown.slots = calloc(n, sizeof(*grown.slots));
    if (!grown.slots)
        return ARTBAG_EIO;
    grown.n_slots = n;
    for (i = 0; i < l->info->n_dois; i++)
        *doi_slot(&grown, l->info->dois[i], strlen(l->info->dois[i])) = i + 1;
    free(l->slots);
    *l = grown;
    return ARTBAG_OK;
}

static int doi_add(struct doi_list *l, struct span doi)
{
    struct artbag_article_info *info = l->info;
    size_t *slot;
    char **grown;

    if ((info->n_dois + 1) * 2 > l->n_slots && doi_rehash(l) != ARTBAG_OK)
        return ARTBAG_EIO;
    slot = doi_slot(l, doi.s, doi.n);
    if (*slot)
        return ARTBAG_OK;
    if (!(grown = artbag_array_grow(info->dois, &l->cap, info->n_dois, sizeof(*grown), 8)))
        return ARTBAG_EIO;
    info->dois = grown;
    if (span_dup(doi, &info->dois[info->n_dois]) != ARTBAG_OK)
        return ARTBAG_EIO;
    *slot = ++info->n_dois;
    return ARTBAG_OK;
}

static int dois_find(const struct line *lines, size_t n_lines, struct artbag_article_info *info)
{
    struct doi_list list = {info, 0, NULL, 0};
    const char *p, *end;
    size_t l = 0, i, k;
    int rc = ARTBAG_OK;

    if (!n_lines)
        return ARTBAG_OK;
    /* memchr over the whole text skips to the next '1' many bytes at a time (most articles have
     * few), and the DOI is read within its line, which the lines (contiguous, in order) give. */
    p = lines[0].s;
    end = lines[n_lines - 1].s + lines[n_lines - 1].n;
    while (p < end && (p = memchr(p, '1', (size_t)(end - p)))) {
        struct span sp;

        while (lines[l].s + lines[l].n < p)
            l++;
        sp = span_of(lines[l].s, lines[l].n);
        i = (size_t)(p - sp.s);
        if (i + 8 > sp.n || !(k = doi_at(sp, i))) {
            p++;
            continue;
        }
        rc = doi_add(&list, span_of(p, k));
        if (rc != ARTBAG_OK)
            goto cleanup;
        p += k;
    }
cleanup:
    free(list.slots);
    return rc;
}

/* ---- YAML front matter ------------------------------------------------------------------ */

/*
 * Finds front matter: a "---" first line and a later "---" or "..." line (YAML), or "+++" and
 * "+++" (TOML). Without the closing line the "---" is a Markdown rule, as Jekyll and Pandoc
 * read it. Returns the closing line's index, or 0; *toml says which kind.
 */
static size_t front_matter_end(const struct line *lines, size_t n_lines, int *toml)
{
    struct span first;
    size_t i;

    *toml = 0;
    if (!n_lines)
        return 0;
    first = span_trim(span_of(lines[0].s, lines[0].n));
    if (first.n == 3 && !memcmp(first.s, "+++", 3)) {
        *toml = 1;
        for (i = 1; i < n_lines; i++) {
            struct span sp = span_trim(span_of(lines[i].s, lines[i].n));

            if (sp.n == 3 && !memcmp(sp.s, "+++", 3))
                return i;
        }
        return 0;
    }
    if (!is_yaml_marker(span_of(lines[0].s, lines[0].n), 0))
        return 0;
    for (i = 1; i < n_lines; i++)
        if (is_yaml_marker(span_of(lines[i].s, lines[i].n), 1))
            return i;
    return 0;
}

/* ---- the article ------------------------------------------------------------------------ */

/* A line of its own that credits people: "by NAME", "By NAME, INSTITUTION". */
static int byline_line(struct span sp)
{
    struct span at = strip_emphasis(sp);

    return span_eat(&at, "by") && read_blanks(at) && span_trim(at).n;
}

/*
 * The title (the first level-1 heading, ATX or setext, from md4c) and what follows it: an
 * optional "by NAME" line, then the date line, which may end in ", by NAME".
 */
static int header_read(const struct line *lines, size_t n_lines, size_t from,
                       const struct artbag_blocks *b, struct artbag_article_info *body)
{
    struct span sp, by = {NULL, 0};
    char date[11];
    size_t h, i, k, j;

    for (h = 0; h < b->n_h; h++)
        if (b->h[h].level == 1 && b->h[h].text[0])
            break;
    if (h == b->n_h)
        return ARTBAG_OK;
    if (!(body->title = strdup(b->h[h].text)))
        return ARTBAG_EIO;
    for (i = from + b->h[h].last_line + 1;
         i < n_lines && is_blank_line(span_of(lines[i].s, lines[i].n)); i++)
        ;
    if (i >= n_lines || lines[i].code)
        return ARTBAG_OK;
    sp = span_of(lines[i].s, lines[i].n);
    if (byline_line(sp)) {
        for (j = i + 1; j < n_lines && is_blank_line(span_of(lines[j].s, lines[j].n)); j++)
            ;
        by = span_trim(sp);
        if (by.n && by.s[by.n - 1] == '\\')
            by = span_trim(span_of(by.s, by.n - 1));
        /* A paragraph that starts "By the end of ..." is prose, not a byline. */
        if (!(j < n_lines && !lines[j].code &&
              read_date(strip_emphasis(span_of(lines[j].s, lines[j].n)), date)) &&
            (by.n > 100 || by.s[by.n - 1] == '.'))
            return ARTBAG_OK;
        if (span_dup(strip_emphasis(by), &body->byline) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (j == n_lines || lines[j].code)
            return ARTBAG_OK;
        i = j;
    }
    sp = strip_emphasis(span_of(lines[i].s, lines[i].n));
    if (!(k = read_date(sp, date)))
        return ARTBAG_OK;
    sp = span_trim(advance(sp, k));
    if (sp.n) {
        span_eat(&sp, ",");
        sp = span_trim(sp);
        by = sp;
        if (!span_eat(&sp, "by") || !read_blanks(sp) || !(sp = span_trim(sp)).n)
            return ARTBAG_OK; /* more than a date: not the date line */
        /* The byline as written, "by" and all: the names come from splitting it. */
        if (!body->byline && span_dup(by, &body->byline) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    return span_dup(span_of(date, 10), &body->published);
}

/* The credit, citation and rights notice, wherever they are in the body. */
static int trailer_read(const struct line *lines, size_t n_lines, size_t from,
                        struct artbag_article_info *body)
{
    struct span sp, rest, credit = {NULL, 0}, provider = {NULL, 0};
    const char *r;
    size_t i;
    int rc;

    for (i = from; i < n_lines; i++) {
        if (lines[i].code)
            continue;
        sp = span_trim(span_of(lines[i].s, lines[i].n));
        /* Each reader below starts by trimming blanks and wants, first, emphasis ('*', '_'),
         * "copyright", "(c)" or "\xC2\xA9" (credit), "Provided by", "Citation", or "<p" or
         * "This document" (rights): a line starting with anything else (most prose) is none of
         * them. */
        if (!sp.n || !strchr("*_cC(\xC2pP<tT", sp.s[0]))
            continue;
        sp = span_of(lines[i].s, lines[i].n);
        if (!credit.s && credit_line(sp, &rest))
            credit = rest;
        else if (!provider.s && provided_by(sp, &rest))
            provider = rest;
        else if (!body->citation && match_label(sp, "Citation", 1, &rest)) {
            rc = paragraph_text(lines, n_lines, i, rest, &body->citation);
            if (rc != ARTBAG_OK)
                return rc;
        } else if (!body->rights && (r = rights_start(sp))) {
            rest = span_of(r, lines[i].n - (size_t)(r - lines[i].s));
            rc = paragraph_text(lines, n_lines, i, rest, &body->rights);
            if (rc != ARTBAG_OK)
                return rc;
        }
    }
    if (credit.s || provider.s) {
        if (span_dup(credit.s ? credit : provider, &body->credit) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    if (body->citation) {
        if (citation_url(body->citation, &body->source_url) != ARTBAG_OK ||
            citation_retrieved(body->citation, &body->retrieved) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

/* Front matter wins: moves its value into *field, or keeps what the body said. */
static void prefer(char **field, char **front)
{
    if (!*front)
        return;
    free(*field);
    *field = *front;
    *front = NULL;
}

/* The first line at or after byte offset off of the text. */
static size_t line_at(const struct line *lines, size_t n_lines, const char *text, size_t off)
{
    size_t i;

    for (i = 0; i < n_lines && (size_t)(lines[i].s - text) < off; i++)
        ;
    return i;
}

/* Moves a list of strings into an info field. */
static void take_list(struct artbag_strv *l, char ***v, size_t *n)
{
    *v = l->v;
    *n = l->n;
    memset(l, 0, sizeof(*l));
}

/*
 * Reads the header before the body, whatever its kind: YAML or TOML front matter, Jina Reader's
 * header, pandoc's title block. Returns the first line of the body in *body_from.
 */
static int shape_header(const struct artbag_buf *text, const struct line *lines, size_t n_lines,
                        struct artbag_shape *sh, struct artbag_strv *warnings, size_t *body_from,
                        struct artbag_error *err)
{
    struct artbag_fm fm = {0}, by_line = {0};
    size_t fm_end, used;
    int toml, reader_error = 0, rc = ARTBAG_OK;

    *body_from = 0;
    fm_end = front_matter_end(lines, n_lines, &toml);
    if (fm_end) {
        const char *inner = lines[1].s;
        size_t inner_n = (size_t)(lines[fm_end].s - inner);

        if (toml) {
            rc = artbag_fm_toml(inner, inner_n, &fm, warnings);
        } else {
            rc = artbag_fm_yaml(text->data, (size_t)(lines[fm_end].s - text->data), &fm,
                                &reader_error, err);
            /* Never refuse an article for front matter whose fields can be read line by line;
             * bytes libyaml's reader refuses (control characters) are not such a case. */
            if (rc == ARTBAG_EREJECT && !reader_error) {
                int r = artbag_fm_lines(inner, inner_n, &by_line);

                if (r == ARTBAG_OK) {
                    artbag_fm_release(&fm);
                    fm = by_line;
                    memset(&by_line, 0, sizeof(by_line));
                    rc = artbag_strv_printf(warnings,
                                            "front matter is not valid YAML; read line by line");
                } else if (r == ARTBAG_EIO) {
                    rc = ARTBAG_EIO;
                }
            }
        }
        if (rc == ARTBAG_OK)
            rc = artbag_fm_apply(&fm, sh, warnings);
        *body_from = fm_end + 1;
    } else if ((used = artbag_jina_read(text->data, text->len, sh, warnings, &rc)) ||
               (rc == ARTBAG_OK &&
                (used = artbag_pandoc_block_read(text->data, text->len, sh, warnings, &rc)))) {
        *body_from = line_at(lines, n_lines, text->data, used);
    }
    artbag_fm_release(&fm);
    artbag_fm_release(&by_line);
    return rc;
}

/* What the body says about its tool: Readwise's metadata list, MarkDownload's excerpt,
 * Omnivore's link to the original. */
static int shape_body(const struct line *lines, size_t n_lines, size_t from,
                      const struct artbag_blocks *b, const char *text_end, struct artbag_shape *sh)
{
    size_t h;
    int rc = ARTBAG_OK;
    char *s = NULL;

    for (h = 0; h < b->n_h; h++) {
        size_t after = from + b->h[h].last_line + 1;

        if ((b->h[h].level == 2 || b->h[h].level == 3) && !strcmp(b->h[h].text, "Metadata") &&
            after < n_lines) {
            rc = artbag_readwise_read(lines[after].s, (size_t)(text_end - lines[after].s), sh);
            if (rc < 0)
                return rc;
            rc = ARTBAG_OK;
            break;
        }
    }
    if (from >= n_lines)
        return ARTBAG_OK;
    if (sh->tool && !strcmp(sh->tool, "MarkDownload") && !sh->description) {
        rc = artbag_markdownload_excerpt(lines[from].s, (size_t)(text_end - lines[from].s), &s);
        sh->description = s;
    } else if (sh->tool && !strcmp(sh->tool, "Omnivore") && !sh->url) {
        rc = artbag_omnivore_original(lines[from].s, (size_t)(text_end - lines[from].s), &s);
        sh->url = s;
    }
    return rc;
}

int artbag_article_parse(const unsigned char *buf, size_t len, struct artbag_article_info *info,
                         struct artbag_error *err)
{
    struct artbag_article_info out = {0};
    struct artbag_shape sh = {0};
    struct artbag_strv warnings = {0}, names = {0};
    struct artbag_blocks blocks = {0};
    struct artbag_buf text = ARTBAG_BUF_INIT;
    struct line *lines = NULL;
    size_t n_lines = 0, body_from = 0, i;
    char date[11];
    int rc;

    memset(info, 0, sizeof(*info));
    rc = artbag_utf8_check(buf, len, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (only_whitespace(buf, len) ||
        (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) && only_whitespace(buf + 3, len - 3))) {
        rc = artbag_error_set(err, ARTBAG_EREJECT, "empty file");
        goto cleanup;
    }
    rc = text_normalise(buf, len, &text);
    if (rc == ARTBAG_OK)
        rc = lines_split(text.data, text.len, &lines, &n_lines);
    if (rc != ARTBAG_OK)
        goto cleanup;

    if ((rc = shape_header(&text, lines, n_lines, &sh, &warnings, &body_from, err)) != ARTBAG_OK)
        goto cleanup;
    if (body_from < n_lines) {
        const char *from = lines[body_from].s;
        size_t n = (size_t)(text.data + text.len - from), nb = n_lines - body_from;
        /* md4c's lines: ours, and one more, empty, after a final '\n' */
        size_t *starts = malloc((nb + 1) * sizeof(*starts));

        if (!starts)
            goto oom;
        for (i = 0; i < nb; i++)
            starts[i] = (size_t)(lines[body_from + i].s - from);
        if (text.data[text.len - 1] == '\n')
            starts[nb++] = n;
        rc = artbag_blocks_read_lines(from, n, starts, nb, &blocks);
        free(starts);
        if (rc != ARTBAG_OK)
            goto cleanup;
        for (i = 0; i < blocks.n_lines && body_from + i < n_lines; i++)
            lines[body_from + i].code = blocks.code[i];
    }

    if ((rc = header_read(lines, n_lines, body_from, &blocks, &out)) != ARTBAG_OK ||
        (rc = trailer_read(lines, n_lines, body_from, &out)) != ARTBAG_OK ||
        (rc = dois_find(lines, n_lines, &out)) != ARTBAG_OK ||
        (rc = shape_body(lines, n_lines, body_from, &blocks, text.data + text.len, &sh)) !=
            ARTBAG_OK)
        goto cleanup;

    prefer(&out.title, &sh.title);
    prefer(&out.published, &sh.published);
    prefer(&out.byline, &sh.byline);
    prefer(&out.source_url, &sh.url);
    prefer(&out.retrieved, &sh.retrieved);
    prefer(&out.modified, &sh.modified);
    prefer(&out.description, &sh.description);
    prefer(&out.language, &sh.language);
    prefer(&out.site_name, &sh.site_name);
    if (sh.tool && !(out.captured_with = strdup(sh.tool)))
        goto oom;
    /* A citation's "(2024, May 21)" is the publication date when nothing else gives one. */
    if (!out.published && out.citation && artbag_citation_date(out.citation, date) &&
        span_dup(span_of(date, 10), &out.published) != ARTBAG_OK)
        goto oom;
    if (sh.authors_set)
        take_list(&sh.authors, &out.authors, &out.n_authors);
    else if (out.byline) {
        if (artbag_byline_split(out.byline, out.credit, &names) != ARTBAG_OK)
            goto oom;
        take_list(&names, &out.authors, &out.n_authors);
    }
    take_list(&sh.tags, &out.tags, &out.n_tags);
    if (out.title)
        artbag_title_strip_site(out.title, out.site_name, out.source_url);
    else if (artbag_strv_printf(&warnings, "no title found") != ARTBAG_OK)
        goto oom;
    take_list(&warnings, &out.warnings, &out.n_warnings);

    *info = out;
    memset(&out, 0, sizeof(out));
    goto cleanup;
oom:
    rc = ARTBAG_EIO;
cleanup:
    if (rc == ARTBAG_EIO)
        artbag_error_set(err, ARTBAG_EIO, "out of memory");
    artbag_article_info_release(&out);
    artbag_shape_release(&sh);
    artbag_strv_release(&warnings);
    artbag_strv_release(&names);
    artbag_blocks_release(&blocks);
    free(lines);
    artbag_buf_release(&text);
    return rc;
}

static void free_list(char **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void artbag_article_info_release(struct artbag_article_info *info)
{
    if (!info)
        return;
    free(info->title);
    free(info->published);
    free(info->byline);
    free(info->source_url);
    free(info->retrieved);
    free(info->credit);
    free(info->citation);
    free(info->rights);
    free_list(info->dois, info->n_dois);
    free_list(info->authors, info->n_authors);
    free_list(info->tags, info->n_tags);
    free(info->modified);
    free(info->description);
    free(info->language);
    free(info->site_name);
    free(info->captured_with);
    free_list(info->warnings, info->n_warnings);
    memset(info, 0, sizeof(*info));
}
