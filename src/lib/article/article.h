/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * article/article.h - reading an article: Markdown (with or without YAML front matter) in,
 * metadata out, and data/metadata.json written from that metadata.
 *
 * It may use: util/util.h, libyaml, jansson and utf8proc. Pure text in, metadata out: it never
 * touches a file, an archive, a key or a bag, never prints and never exits, so every reader can
 * be unit-tested and fuzzed alone.
 */
#ifndef ARTBAG_ARTICLE_H
#define ARTBAG_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---- article.c: reading an article's metadata out of its Markdown ----------------------- */

/* What an article says about itself. Every string is malloc'd and NUL-terminated, or NULL. */
struct artbag_article_info {
    char *title;      /* "# Title" heading or front-matter title */
    char *published;  /* YYYY-MM-DD, or RFC 3339 when the article gives a time and a zone */
    char *byline;     /* "..., by NAME" after the date, or front-matter author */
    char *source_url; /* from the citation's "retrieved ... from URL", or front matter */
    char *retrieved;  /* as published: from the citation, or the capture date */
    char *credit;     /* "AFP" from "(c) 2014 AFP", else "Provided by ..." */
    char *citation;   /* the citation, joined onto one line, without the "Citation:" label */
    char *rights;     /* the copyright notice paragraph, markup removed */
    char **dois;      /* DOIs found in the text, in order of appearance, each once */
    size_t n_dois;
    /* Issue 15: what capture tools and authoring formats add (src/lib/article/). */
    char **authors; /* the byline split into names, or the front matter's list */
    size_t n_authors;
    char **tags;
    size_t n_tags;
    char *modified;      /* YYYY-MM-DD or RFC 3339 with zone, like published */
    char *description;   /* paragraphs apart by one blank line */
    char *language;      /* as declared (lang, language), never guessed */
    char *site_name;     /* the site's name as the tool recorded it */
    char *captured_with; /* the capture tool whose shape was recognised */
    char **warnings;     /* what was read with doubt, e.g. front matter read line by line */
    size_t n_warnings;
};

/*
 * Reads the metadata of an article held in buf (len bytes, not NUL-terminated). Accepts CRLF, CR
 * and LF line endings, a UTF-8 byte-order mark, and the capture tools' shapes (src/lib/article/:
 * YAML, line-by-line or TOML front matter, Jina Reader's and pandoc's headers, Readwise's list).
 * Fields it cannot find stay NULL; it is the caller's job to decide which are required. What it
 * read with doubt is in info->warnings ("no title found", "front matter is not valid YAML; read
 * line by line", an unreadable date).
 *
 * Returns ARTBAG_OK, or ARTBAG_EREJECT with a message such as "empty file",
 * "invalid UTF-8 at byte offset 17" or "invalid YAML front matter: ... at line 3" (front matter
 * that cannot be read line by line either; no file name: the caller adds it). On failure *info
 * is left empty. Release with artbag_article_info_release() in every case.
 */
int artbag_article_parse(const unsigned char *buf, size_t len, struct artbag_article_info *info,
                         struct artbag_error *err);
void artbag_article_info_release(struct artbag_article_info *info);

/* Non-zero when y-m-d is a real day of the Gregorian calendar (year 1 on). */
int artbag_date_valid(int y, int m, int d);

/* ---- metadata.c: data/metadata.json ----------------------------------------------------- */

/* What metadata.json says about the article file inside the bag. */
struct artbag_payload_file {
    const char *path;       /* "data/article.md" */
    uint64_t bytes;         /* its size */
    const char *sha256;     /* 64 lower-case hex digits */
    const char *media_type; /* "text/markdown; charset=utf-8" */
    const char *given_path; /* an attachment stored once at path, given this path too; or NULL */
};

/*
 * Appends data/metadata.json (jansson, two-space indent, keys in schema order, trailing
 * newline) describing info and file. Returns ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_metadata_write(struct artbag_buf *out, const struct artbag_article_info *info,
                          const struct artbag_payload_file *file, struct artbag_error *err);
/* The same with an "attachments" array after "article": n_atts files kept beside it (none: the
 * key is left out, and the document is what artbag_metadata_write() writes). */
int artbag_metadata_write_attached(struct artbag_buf *out, const struct artbag_article_info *info,
                                   const struct artbag_payload_file *file,
                                   const struct artbag_payload_file *atts, size_t n_atts,
                                   struct artbag_error *err);

/* A file-name-safe name for an article: its URL's last path segment, else its title. */
void artbag_slug(const char *url, const char *title, char out[81]);

/* ---- metatable.c: per-article values for a collection (pack --metadata-from) ------------- */

/* The fields a row may give; url, title and date go through the pack options. */
enum {
    ARTBAG_META_URL,
    ARTBAG_META_TITLE,
    ARTBAG_META_DATE,
    ARTBAG_META_BYLINE,
    ARTBAG_META_AUTHORS, /* names apart by "; " */
    ARTBAG_META_DESCRIPTION,
    ARTBAG_META_LANGUAGE,
    ARTBAG_META_RIGHTS,
    ARTBAG_META_CREDIT,
    ARTBAG_META_SITE_NAME,
    ARTBAG_META_RETRIEVED,
    ARTBAG_META_MODIFIED,
    ARTBAG_META_N
};

/* One article's values: f[field] is NULL where the row gives nothing (an empty cell). */
struct artbag_metarow {
    char *path; /* the article's path as given or as found in a walked directory */
    char *f[ARTBAG_META_N];
    size_t line; /* where the row is in the file, for messages */
    int matched; /* set by the caller */
};

struct artbag_metatable {
    struct artbag_metarow *rows; /* sorted by path, each path once */
    size_t n;
};

/*
 * Reads a table of per-article values: CSV with a header row (RFC 4180; columns path, url,
 * title, date, byline, authors, ...) when jsonl is 0, else JSON Lines (one object a line, the
 * same keys). Strict: an unknown column, a row of the wrong width, a path given twice, a
 * control character or a quote that does not close is ARTBAG_EREJECT with the line in err;
 * ARTBAG_EIO means no memory. *t is empty after a failure.
 */
int artbag_metatable_parse(const char *buf, size_t len, int jsonl, struct artbag_metatable *t,
                           struct artbag_error *err);
/* Non-zero when the file named name holding buf is JSON Lines: by extension, else content. */
int artbag_metatable_is_jsonl(const char *name, const char *buf, size_t len);
/* The row for path, or NULL. */
struct artbag_metarow *artbag_metatable_find(const struct artbag_metatable *t, const char *path);
/* Puts r's fields other than url, title and date into info. ARTBAG_OK or ARTBAG_EIO. */
int artbag_metarow_apply(const struct artbag_metarow *r, struct artbag_article_info *info);
void artbag_metatable_release(struct artbag_metatable *t);

#endif /* ARTBAG_ARTICLE_H */
