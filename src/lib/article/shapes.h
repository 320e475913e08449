/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * shapes.h - the article readers' internal interface: the pieces article.c composes to read the
 * shape each capture tool writes (front matter in YAML, line by line or TOML; Jina Reader's and
 * pandoc's headers; Readwise's metadata list; news bylines and dates). Pure functions over bytes,
 * like the rest of the article reader: no files, no printing.
 */
#ifndef ARTBAG_ARTICLE_SHAPES_H
#define ARTBAG_ARTICLE_SHAPES_H

#include <stddef.h>

#include "article/article.h"

/* ---- lists of strings ------------------------------------------------------------------- */

struct artbag_strv {
    char **v; /* each malloc'd and NUL-terminated */
    size_t n, cap;
};

/* Appends a copy of the n bytes at s. ARTBAG_OK or ARTBAG_EIO. */
int artbag_strv_push(struct artbag_strv *l, const char *s, size_t n);
/* Appends a formatted string. ARTBAG_OK or ARTBAG_EIO. */
int artbag_strv_printf(struct artbag_strv *l, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
void artbag_strv_release(struct artbag_strv *l);

/* ---- what a shape says ------------------------------------------------------------------ */

/*
 * The fields a shape reader found, each malloc'd or NULL. article.c merges them into struct
 * artbag_article_info: a header or front matter wins over what the body text says.
 */
struct artbag_shape {
    char *title, *url, *byline, *published, *modified, *retrieved;
    char *description, *language, *site_name;
    const char *tool; /* captured_with: a static string, or NULL */
    struct artbag_strv authors, tags;
    int authors_set; /* authors came as a list: do not split the byline again */
};

void artbag_shape_release(struct artbag_shape *sh);

/* ---- dates.c ---------------------------------------------------------------------------- */

/* "YYYY-MM-DDTHH:MM:SS.fffffffff+hh:mm" and a NUL, with room to spare. */
#define ARTBAG_DATE_MAX 48

/*
 * Reads a date written in one of the common forms: ISO 8601 / RFC 3339 (with or without a time
 * and zone, "T" or a space between), Jekyll's "2024-05-21 10:32:00 +0200", MarkDownload's
 * "2024-05-24T11:02:37 (UTC +02:00)", RFC 2822 ("Tue, 21 May 2024 10:32:00 +0200"),
 * "2024/05/21", "21.05.2024", "May 21, 2024", "May 21 2024", "21 May 2024" (English month
 * names, full or abbreviated). The whole of s[0..n) must be the date, blanks aside.
 *
 * out gets "YYYY-MM-DD", or full RFC 3339 ("YYYY-MM-DDTHH:MM:SS+hh:mm", or "Z") when the text
 * gives a time and a zone: a time without a zone names no instant, so it is cut to the day.
 * Returns 1 when read, 0 when not.
 */
int artbag_date_parse(const char *s, size_t n, char out[ARTBAG_DATE_MAX]);

/*
 * The publication date a citation gives in its last "(2024, May 21)", as YYYY-MM-DD. Returns 1
 * when found.
 */
int artbag_citation_date(const char *citation, char out[11]);

/* ---- byline.c --------------------------------------------------------------------------- */

/*
 * Splits a byline into the names of people: "by " dropped, "[[...]]" links stripped, split on
 * " and ", "&", "," and ";". A part that names an institution ("University of Iceland", or the
 * same text as not_person, the article's credit) is not a person and is left out.
 */
int artbag_byline_split(const char *byline, const char *not_person, struct artbag_strv *names);

/* One author name as a list item gives it: trimmed, "by " dropped, "[[...]]" stripped. */
int artbag_author_clean(const char *s, size_t n, struct artbag_strv *names);

/* ---- frontmatter.c ---------------------------------------------------------------------- */

/* One key of front matter, with a scalar value or a list of scalars (maps give their "name"). */
struct artbag_fm_entry {
    char *key;
    char *value; /* NULL for a list */
    struct artbag_strv items;
    int is_list;
};

struct artbag_fm {
    struct artbag_fm_entry *e;
    size_t n, cap;
};

void artbag_fm_release(struct artbag_fm *fm);

/*
 * Reads YAML front matter s[0..n) (starting at its opening "---" line, so libyaml's line
 * numbers are the file's). ARTBAG_OK; ARTBAG_EREJECT with "invalid YAML front matter: PROBLEM
 * at line N" when it is not YAML (*reader_error set when libyaml's reader refused the bytes
 * themselves, such as control characters); ARTBAG_EIO.
 */
int artbag_fm_yaml(const char *s, size_t n, struct artbag_fm *fm, int *reader_error,
                   struct artbag_error *err);

/*
 * Reads front matter that is not valid YAML the way the tools that wrote it meant it, one
 * "key: value" line at a time (the value is everything after the first ": "), with "- item"
 * lists, Python-repr lists "['a', \"b's\"]" and "|" blocks. s[0..n) holds the lines between the
 * markers. ARTBAG_OK; ARTBAG_EREJECT when a line is none of these (the fields cannot be read);
 * ARTBAG_EIO.
 */
int artbag_fm_lines(const char *s, size_t n, struct artbag_fm *fm);

/*
 * Reads TOML front matter (the lines between "+++" markers) with a strict subset reader; see
 * frontmatter.c for the subset. What it does not read is skipped with a warning, never a refusal.
 */
int artbag_fm_toml(const char *s, size_t n, struct artbag_fm *fm, struct artbag_strv *warnings);

/*
 * Maps the keys each tool writes to the fields (title, source/url, author/authors, published/
 * date, lastmod, created/date_saved, ...) and recognises the tool from its keys. A date key
 * that is present but unreadable gives a warning.
 */
int artbag_fm_apply(const struct artbag_fm *fm, struct artbag_shape *sh,
                    struct artbag_strv *warnings);

/* ---- header.c --------------------------------------------------------------------------- */

/*
 * Jina Reader's text header ("Title:", "URL Source:", "Published Time:", "Markdown Content:").
 * When t[0..n) starts with it, fills sh and returns the offset where the content starts; else 0.
 */
size_t artbag_jina_read(const char *t, size_t n, struct artbag_shape *sh,
                        struct artbag_strv *warnings, int *rc);

/* pandoc's title block ("% title", "% authors; ...", "% date"): same contract. */
size_t artbag_pandoc_block_read(const char *t, size_t n, struct artbag_shape *sh,
                                struct artbag_strv *warnings, int *rc);

/*
 * Readwise's "## Metadata" list: t[0..n) is the text after that heading. Returns 1 when the list
 * names an author, a full title or a URL (and fills sh), 0 when not, or ARTBAG_EIO (negative).
 */
int artbag_readwise_read(const char *t, size_t n, struct artbag_shape *sh);

/* MarkDownload's "> ## Excerpt" blockquote anywhere in t: its text into *out, or NULL. */
int artbag_markdownload_excerpt(const char *t, size_t n, char **out);

/* The "[Read Original](URL)" link Omnivore writes: its URL into *out, or NULL. */
int artbag_omnivore_original(const char *t, size_t n, char **out);

/* ---- blocks.c: the Markdown structure, from md4c ---------------------------------------- */

struct artbag_heading {
    int level;
    size_t first_line, last_line; /* last_line is the setext underline for a setext heading */
    char *text;                   /* inline markup removed */
};

struct artbag_blocks {
    struct artbag_heading *h;
    size_t n_h, cap_h;
    unsigned char *code; /* one per line: inside a code block */
    size_t n_lines;
};

/*
 * Reads the block structure of t[0..n) with md4c: headings (ATX and setext) and the lines of
 * code blocks, by line index within t. ARTBAG_OK or ARTBAG_EIO. t[n] must be readable (the
 * reader's text is NUL-terminated): md4c 0.4.8, Debian 12's, can read one byte past its input
 * (a link at the very end, "[](" ; fixed upstream by md4c pull request 167), which fuzz_article
 * found when it was handed an exact-size copy.
 */
int artbag_blocks_read(const char *t, size_t n, struct artbag_blocks *b);
/* The same with t's lines already found: starts[i] is where line i begins (0, then one past
 * each '\n', so n_lines is one more than the '\n's in t), which saves two passes over t. */
int artbag_blocks_read_lines(const char *t, size_t n, const size_t *starts, size_t n_lines,
                             struct artbag_blocks *b);
/* The same, always running md4c over all of t: what artbag_blocks_read() must equal (the fuzz
 * targets compare the two). */
int artbag_blocks_read_all(const char *t, size_t n, struct artbag_blocks *b);
void artbag_blocks_release(struct artbag_blocks *b);

/* ---- url.c: addresses, through uriparser ------------------------------------------------ */

/* Non-zero when s is an absolute http or https URL with a host. */
int artbag_url_is_web(const char *s);

/* The URL's host, lower case, without a leading "www.", into out; 0 when it has none. */
int artbag_url_host(const char *url, char *out, size_t size);

/*
 * Drops a trailing " | Site" or " - Site" (also " — " and " – ") from title in place when Site
 * is the site name or the URL's host (case-insensitive, "www." ignored).
 */
void artbag_title_strip_site(char *title, const char *site_name, const char *url);

#endif
