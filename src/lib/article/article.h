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
    char *published;  /* YYYY-MM-DD */
    char *byline;     /* "..., by NAME" after the date, or front-matter author */
    char *source_url; /* from the citation's "retrieved ... from URL", or front matter */
    char *retrieved;  /* YYYY-MM-DD, from the citation */
    char *credit;     /* "AFP" from "(c) 2014 AFP", else "Provided by ..." */
    char *citation;   /* the citation, joined onto one line, without the "Citation:" label */
    char *rights;     /* the copyright notice paragraph, markup removed */
    char **dois;      /* DOIs found in the text, in order of appearance, each once */
    size_t n_dois;
};

/*
 * Reads the metadata of an article held in buf (len bytes, not NUL-terminated). Accepts CRLF, CR
 * and LF line endings, a UTF-8 byte-order mark, and YAML front matter. Fields it cannot find
 * stay NULL; it is the caller's job to decide which are required.
 *
 * Returns ARTBAG_OK, or ARTBAG_EREJECT with a message such as "empty file" or
 * "invalid UTF-8 at byte offset 17" (no file name: the caller adds it). On failure *info is
 * left empty. Release with artbag_article_info_release() in every case.
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
};

/*
 * Appends data/metadata.json (jansson, two-space indent, keys in schema order, trailing
 * newline) describing info and file. Returns ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_metadata_write(struct artbag_buf *out, const struct artbag_article_info *info,
                          const struct artbag_payload_file *file, struct artbag_error *err);

#endif /* ARTBAG_ARTICLE_H */
