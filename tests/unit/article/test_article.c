/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_article.c - unit tests for the article reader (src/lib/article.c), on the fixture
 * articles in $ARTBAG_FIXTURES/articles, the shared sample article and inline snippets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article/article.h"

#define SAMPLE_NAME "china-condemns-cyber-terrorism.md"
#define MAX_DOIS    8

/* Everything a test allocates, so teardown frees it even when an assertion fails mid-test. */
struct state {
    struct artbag_article_info info;
    struct artbag_error err;
    unsigned char *bytes;
    size_t len;
    unsigned char *copy;
    struct artbag_article_info other;
};

/* What a test expects to read; NULL means "not found", and every field is checked. */
struct expect {
    const char *title, *published, *byline, *source_url, *retrieved, *credit, *citation, *rights;
    const char *dois[MAX_DOIS];
};

static int setup(void **st)
{
    struct state *s = calloc(1, sizeof(*s));

    if (!s)
        return -1;
    *st = s;
    return 0;
}

static int teardown(void **st)
{
    struct state *s = *st;

    artbag_article_info_release(&s->info);
    artbag_article_info_release(&s->other);
    free(s->bytes);
    free(s->copy);
    free(s);
    return 0;
}

static const char *fixtures_dir(void)
{
    const char *d = getenv("ARTBAG_FIXTURES");

    if (!d || !*d)
        fail_msg("ARTBAG_FIXTURES is not set; point it at tests/fixtures");
    return d;
}

static void load(struct state *s, const char *path)
{
    s->bytes = test_read_file(path, &s->len);
}

static void load_fixture(struct state *s, const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/articles/%s", fixtures_dir(), name);
    load(s, path);
}

/* The shared sample lives outside the repository: $ARTBAG_SEED, else <repo>/../shared/seed. */
static void load_sample(struct state *s)
{
    const char *seed = getenv("ARTBAG_SEED");
    char path[4096];

    if (seed && *seed)
        snprintf(path, sizeof(path), "%s", seed);
    else
        snprintf(path, sizeof(path), "%s/../../../shared/seed/" SAMPLE_NAME, fixtures_dir());
    load(s, path);
}

static void parse_ok(struct state *s)
{
    int rc = artbag_article_parse(s->bytes, s->len, &s->info, &s->err);

    if (rc != ARTBAG_OK)
        fail_msg("parse failed (%d): %s", rc, s->err.msg);
}

/* Parses a snippet; the copy is malloc'd at its exact length so ASan sees reads past its end. */
static void parse_text(struct state *s, const char *text, size_t len)
{
    free(s->bytes);
    s->bytes = malloc(len ? len : 1);
    assert_non_null(s->bytes);
    memcpy(s->bytes, text, len);
    s->len = len;
    artbag_article_info_release(&s->info);
    parse_ok(s);
}

#define PARSE_LITERAL(s, lit) parse_text((s), (lit), sizeof(lit) - 1)

static void field_is(const char *what, const char *got, const char *want)
{
    if (!want && got)
        fail_msg("%s: expected NULL, got \"%s\"", what, got);
    if (want && !got)
        fail_msg("%s: expected \"%s\", got NULL", what, want);
    if (want && strcmp(got, want) != 0)
        fail_msg("%s: expected \"%s\", got \"%s\"", what, want, got);
}

static void info_is(const struct artbag_article_info *info, const struct expect *e)
{
    size_t i, n = 0;

    field_is("title", info->title, e->title);
    field_is("published", info->published, e->published);
    field_is("byline", info->byline, e->byline);
    field_is("source_url", info->source_url, e->source_url);
    field_is("retrieved", info->retrieved, e->retrieved);
    field_is("credit", info->credit, e->credit);
    field_is("citation", info->citation, e->citation);
    field_is("rights", info->rights, e->rights);
    while (n < MAX_DOIS && e->dois[n])
        n++;
    assert_int_equal(info->n_dois, n);
    for (i = 0; i < n; i++)
        field_is("doi", info->dois[i], e->dois[i]);
}

static void info_is_empty(const struct artbag_article_info *info)
{
    const struct expect none = {0};

    info_is(info, &none);
    assert_null(info->dois);
}

static void parse_fails(struct state *s, const unsigned char *bytes, size_t len, int status,
                        const char *msg)
{
    int rc;

    artbag_article_info_release(&s->info);
    rc = artbag_article_parse(bytes, len, &s->info, &s->err);

    assert_int_equal(rc, status);
    assert_int_equal(s->err.status, status);
    assert_string_equal(s->err.msg, msg);
    info_is_empty(&s->info);
}

#define RIGHTS_NOTICE                                                                              \
    "This document is subject to copyright. Apart from any fair dealing for the purpose of "       \
    "private study or research, no part may be reproduced without the written permission. The "    \
    "content is provided for information purposes only."

/* ---- the shared sample ----------------------------------------------------------------- */

static const struct expect sample_expect = {
    .title = "China condemns 'cyber terrorism' in wake of Sony attack",
    .published = "2014-12-22",
    .source_url = "https://phys.org/news/2014-12-china-condemns-cyber-terrorism-sony.html",
    .retrieved = "2024-05-24",
    .credit = "AFP",
    .citation = "China condemns 'cyber terrorism' in wake of Sony attack (2014, December 22) "
                "retrieved 24 May 2024 from "
                "https://phys.org/news/2014-12-china-condemns-cyber-terrorism-sony.html",
    .rights = RIGHTS_NOTICE,
};

static void test_sample(void **st)
{
    struct state *s = *st;

    load_sample(s);
    parse_ok(s);
    info_is(&s->info, &sample_expect);
    assert_int_equal(strncmp(s->info.rights, "This document is subject to copyright.", 38), 0);
}

/* Rewrites the sample's line endings; the reader must not see a difference. */
static void sample_with_endings(void **st, const char *eol)
{
    struct state *s = *st;
    size_t i, n = 0, el = strlen(eol);

    load_sample(s);
    s->copy = malloc(s->len * el + 1);
    assert_non_null(s->copy);
    for (i = 0; i < s->len; i++) {
        if (s->bytes[i] == '\n') {
            memcpy(s->copy + n, eol, el);
            n += el;
        } else {
            s->copy[n++] = s->bytes[i];
        }
    }
    assert_true(n > s->len || el == 1);
    assert_int_equal(artbag_article_parse(s->copy, n, &s->other, &s->err), ARTBAG_OK);
    info_is(&s->other, &sample_expect);
}

static void test_sample_crlf(void **st)
{
    sample_with_endings(st, "\r\n");
}

static void test_sample_cr(void **st)
{
    sample_with_endings(st, "\r");
}

/* ---- fixture articles ------------------------------------------------------------------ */

static void test_heading_after_blank_lines(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Tidal turbines finish their first winter off Stroma",
        .published = "2025-03-03",
        .source_url = "https://news.example.org/2025-03-tidal-turbines-stroma.html",
        .retrieved = "2025-03-10",
        .credit = "Northern Isles Gazette",
        .citation = "Tidal turbines finish their first winter off Stroma (2025, March 3) retrieved "
                    "10 March 2025 from "
                    "https://news.example.org/2025-03-tidal-turbines-stroma.html",
    };

    load_fixture(s, "heading-after-blank-lines.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_date_byline(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Town council votes to keep the night bus",
        .published = "2026-08-31",
        .byline = "by Jane Roe", /* as written; the names are in authors */
        .source_url = "https://news.example.org/2026-08-night-bus-easthaven.html",
        .retrieved = "2026-09-02",
        .citation = "Town council votes to keep the night bus (2026, August 31) retrieved 2 "
                    "September 2026 from https://news.example.org/2026-08-night-bus-easthaven.html",
    };

    load_fixture(s, "date-byline.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_credit_science_x(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Beetles that steer by the Milky Way are thrown off by city glow",
        .published = "2026-09-04",
        .source_url = "https://news.example.org/2026-09-beetles-milky-way-glow.html",
        .retrieved = "2026-09-05",
        .credit = "Science X Network", /* the (c) line wins over "Provided by" */
        .citation = "Beetles that steer by the Milky Way are thrown off by city glow (2026, "
                    "September 4) retrieved 5 September 2026 from "
                    "https://news.example.org/2026-09-beetles-milky-way-glow.html",
    };

    load_fixture(s, "credit-science-x.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_citation_bold(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Volunteers count a record number of hedgehogs",
        .published = "2026-05-05",
        .source_url = "https://news.example.org/2026-05-hedgehog-count.html",
        .retrieved = "2026-05-06",
        .citation = "Volunteers count a record number of hedgehogs (2026, May 5) retrieved 6 May "
                    "2026 from https://news.example.org/2026-05-hedgehog-count.html",
    };

    load_fixture(s, "citation-bold.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_citation_one_line(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "A quieter road surface passes its first test",
        .published = "2025-07-14",
        .source_url = "https://news.example.org/2025-07-quiet-road-surface.html",
        .retrieved = "2025-07-15",
        .citation =
            "A quieter road surface passes its first test (2025, July 14) retrieved 15 July "
            "2025 from https://news.example.org/2025-07-quiet-road-surface.html",
    };

    load_fixture(s, "citation-one-line.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_citation_bare_url(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Library lends out seeds as well as books",
        .published = "2026-02-01",
        .source_url = "https://news.example.net/2026-02-seed-library.html",
        .retrieved = "2026-02-02",
        .citation = "Library lends out seeds as well as books (2026, February 1) retrieved 2 Feb "
                    "2026 from https://news.example.net/2026-02-seed-library.html.",
    };

    load_fixture(s, "citation-bare-url.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_no_citation(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Harbour seals return to the old quay",
        .published = "2025-12-02",
    };

    load_fixture(s, "no-citation.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_more_information_dois(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Soil fungi trade sugar for phosphorus at a fixed rate, study finds",
        .published = "2026-06-18",
        .source_url = "https://news.example.org/2026-06-soil-fungi-exchange-rate.html",
        .retrieved = "2026-06-20",
        .credit = "Science X Network",
        .citation =
            "Soil fungi trade sugar for phosphorus at a fixed rate, study finds (2026, June "
            "18) retrieved 20 June 2026 from "
            "https://news.example.org/2026-06-soil-fungi-exchange-rate.html",
        /* In order of first appearance; the upper-case repeat of the second is the same DOI. */
        .dois = {"10.5555/grass.2026.041", "10.1038/s41586-024-07000-1", "10.1126/science.abc1234",
                 "10.1016/S0140-6736(20)30183-5"},
    };

    load_fixture(s, "more-information-dois.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_journal_information(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Ice cores hold a record of old volcanic winters",
        .published = "2025-11-09",
        .source_url = "https://news.example.org/2025-11-ice-core-volcanic-winters.html",
        .retrieved = "2025-11-11",
        .credit = "Northern Polar Institute",
        .citation = "Ice cores hold a record of old volcanic winters (2025, November 9) retrieved "
                    "11 November 2025 from "
                    "https://news.example.org/2025-11-ice-core-volcanic-winters.html",
        .rights = RIGHTS_NOTICE, /* two lines in the file */
        .dois = {"10.4444/jig.2025.0117"},
    };

    load_fixture(s, "journal-information.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_provided_by(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Robot lawnmowers learn to leave the daisies",
        .published = "2026-04-22",
        .source_url = "https://news.example.org/2026-04-robot-mower-daisies.html",
        .retrieved = "2026-04-23",
        .credit = "University of Lowmoor",
        .citation = "Robot lawnmowers learn to leave the daisies (2026, April 22) retrieved 23 "
                    "April 2026 from https://news.example.org/2026-04-robot-mower-daisies.html",
    };

    load_fixture(s, "provided-by.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_front_matter(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        /* Front matter wins over the heading, the date line and the citation's URL. */
        .title = "Wind farm pays for a new village hall",
        .published = "2026-03-14",
        .source_url = "https://www.example.com/articles/wind-farm-village-hall",
        .retrieved = "2026-03-16",
        .citation = "Wind farm pays for new hall (2026, March 15) retrieved 16 March 2026 from "
                    "https://news.example.org/2026-03-wind-farm-hall.html",
    };

    load_fixture(s, "front-matter.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_front_matter_url_author(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Night trains return to the northern line",
        .published = "2026-08-31T09:15:00Z", /* a time and a zone: an instant */
        .byline = "Sam Example",
        .source_url = "https://www.example.com/2026/08/31/night-trains-return",
    };

    load_fixture(s, "front-matter-url-author.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_crlf_fixture(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Bakery switches its ovens to heat pumps",
        .published = "2014-12-22",
        .byline = "by Alex Doe",
        .source_url = "https://news.example.org/2014-12-bakery-heat-pumps.html",
        .retrieved = "2024-05-24",
        .credit = "Valley Courier",
        .citation = "Bakery switches its ovens to heat pumps (2014, December 22) retrieved 24 May "
                    "2024 from https://news.example.org/2014-12-bakery-heat-pumps.html",
    };

    load_fixture(s, "crlf.md");
    /* A checkout that rewrote the line endings would make this test prove nothing. */
    assert_non_null(memchr(s->bytes, '\r', s->len));
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_bom(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title = "Choir sings in a disused mine",
        .published = "2025-10-05",
        .credit = "West Country Herald",
    };

    load_fixture(s, "bom.md");
    assert_true(s->len > 3 && memcmp(s->bytes, "\xEF\xBB\xBF", 3) == 0);
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_non_ascii(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .title =
            "\xCE\xB2-testers find \xE2\x80\x9Cquiet\xE2\x80\x9D bugs \xE2\x80\x94 a view from "
            "the \xE4\xB8\xAD\xE5\x9B\xBD lab",
        .published = "2026-01-07",
        .byline = "by Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m",
        .source_url = "https://news.example.org/2026-01-beta-testers-quiet-bugs.html",
        .retrieved = "2026-01-09",
        .credit = "Agence \xC3\x89"
                  "ditoriale \xCE\xA9mega",
        .citation = "\xCE\xB2-testers find \xE2\x80\x9Cquiet\xE2\x80\x9D bugs \xE2\x80\x94 a view "
                    "from the \xE4\xB8\xAD\xE5\x9B\xBD lab (2026, January 7) retrieved 9 January "
                    "2026 from https://news.example.org/2026-01-beta-testers-quiet-bugs.html",
        .rights = "This document is subject to copyright \xE2\x80\x94 \xE2\x80\x9C"
                  "fair dealing\xE2\x80\x9D excepted.",
        .dois = {"10.7777/\xCE\xB2-test.2026"},
    };

    load_fixture(s, "non-ascii.md");
    parse_ok(s);
    info_is(&s->info, &e);
}

static void test_invalid_front_matter(void **st)
{
    struct state *s = *st;

    load_fixture(s, "invalid-front-matter.md");
    parse_fails(s, s->bytes, s->len, ARTBAG_EREJECT,
                "invalid YAML front matter: mapping values are not allowed in this context at "
                "line 3");
}

/* ---- UTF-8 and the error messages ------------------------------------------------------ */

static void utf8_bad_at(const char *bytes, size_t len, size_t offset)
{
    struct artbag_error err = {0};
    char want[64];

    assert_int_equal(artbag_utf8_check((const unsigned char *)bytes, len, &err), ARTBAG_EREJECT);
    assert_int_equal(err.status, ARTBAG_EREJECT);
    snprintf(want, sizeof(want), "invalid UTF-8 at byte offset %zu", offset);
    assert_string_equal(err.msg, want);
}

static void test_utf8_check(void **st)
{
    static const char good[] = "ascii \xC2\xA9 \xE2\x82\xAC \xED\x9F\xBF \xEE\x80\x80 "
                               "\xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
    struct artbag_error err = {0};

    (void)st;
    assert_int_equal(artbag_utf8_check((const unsigned char *)good, sizeof(good) - 1, &err),
                     ARTBAG_OK);
    assert_int_equal(artbag_utf8_check((const unsigned char *)"", 0, &err), ARTBAG_OK);
    assert_int_equal(artbag_utf8_check((const unsigned char *)"\xF0\x9F\x98\x80", 4, NULL),
                     ARTBAG_OK);
    utf8_bad_at("ab\xC0\x80", 4, 2);       /* overlong NUL */
    utf8_bad_at("\xE0\x80\xAF", 3, 0);     /* overlong '/' */
    utf8_bad_at("abc\xED\xA0\x80", 6, 3);  /* surrogate U+D800 */
    utf8_bad_at("\xF4\x90\x80\x80", 4, 0); /* U+110000 */
    utf8_bad_at("12345\xE2\x82", 7, 5);    /* truncated at the end */
    utf8_bad_at("\xE2\x82"
                "A",
                3, 0);                         /* truncated before ASCII */
    utf8_bad_at("ok \x80", 4, 3);              /* stray continuation byte */
    utf8_bad_at("\xF5\x80\x80\x80", 4, 0);     /* no such lead byte */
    utf8_bad_at("\xF0\x9F\x98\x80\xFF", 5, 4); /* after a valid emoji */
    assert_int_equal(artbag_utf8_check((const unsigned char *)"\xC0\x80", 2, NULL), ARTBAG_EREJECT);
}

static void test_invalid_utf8_article(void **st)
{
    static const unsigned char bad[] = "# Title\n\n\xED\xA0\x80 text\n";

    parse_fails(*st, bad, sizeof(bad) - 1, ARTBAG_EREJECT, "invalid UTF-8 at byte offset 9");
}

/* The offset counts from the first byte of the file, BOM included. */
static void test_invalid_utf8_after_bom(void **st)
{
    static const unsigned char bad[] = "\xEF\xBB\xBF# T\xC3";

    parse_fails(*st, bad, sizeof(bad) - 1, ARTBAG_EREJECT, "invalid UTF-8 at byte offset 6");
}

static void test_empty(void **st)
{
    struct state *s = *st;

    parse_fails(s, (const unsigned char *)"", 0, ARTBAG_EREJECT, "empty file");
    parse_fails(s, (const unsigned char *)"\xEF\xBB\xBF", 3, ARTBAG_EREJECT, "empty file");
    parse_fails(s, (const unsigned char *)" \t\r\n\n ", 6, ARTBAG_EREJECT, "empty file");
    parse_fails(s, (const unsigned char *)"\xEF\xBB\xBF\r\n  \r\n", 9, ARTBAG_EREJECT,
                "empty file");
    /* A lone NUL is content, not emptiness. */
    assert_int_equal(artbag_article_parse((const unsigned char *)"\0", 1, &s->info, &s->err),
                     ARTBAG_OK);
}

/* A failing call with err NULL still reports its status, and a failure leaves info empty. */
static void test_error_null_and_reuse(void **st)
{
    struct state *s = *st;

    PARSE_LITERAL(s, "# Kept\n");
    field_is("title", s->info.title, "Kept");
    artbag_article_info_release(&s->info);
    assert_int_equal(artbag_article_parse((const unsigned char *)"", 0, &s->info, NULL),
                     ARTBAG_EREJECT);
    info_is_empty(&s->info);
    artbag_article_info_release(&s->info);
    artbag_article_info_release(&s->info); /* twice is harmless */
    info_is_empty(&s->info);
}

/* ---- line-level rules, inline ---------------------------------------------------------- */

static void test_date_formats(void **st)
{
    static const struct {
        const char *line, *published, *byline;
    } cases[] = {
        {"December 22 2014", "2014-12-22", NULL},
        {"December 22, 2014", "2014-12-22", NULL},
        {"22 December 2014", "2014-12-22", NULL},
        {"2014-12-22", "2014-12-22", NULL},
        {"dec 22, 2014", "2014-12-22", NULL},
        {"Dec. 22 2014", "2014-12-22", NULL},
        {"SEPT 3 2026", "2026-09-03", NULL},
        {"3rd March 2025", "2025-03-03", NULL},
        {"  *May 1 2026*  ", "2026-05-01", NULL},
        {"August 31 2026, by Jane Roe", "2026-08-31", "by Jane Roe"},
        {"2026-08-31, by Jane Roe", "2026-08-31", "by Jane Roe"},
        {"February 29 2016", "2016-02-29", NULL},
        {"29 February 2000", "2000-02-29", NULL},
        {"February 29 2015", NULL, NULL},
        {"29 February 1900", NULL, NULL},
        {"April 31 2026", NULL, NULL},
        {"2026-13-01", NULL, NULL},
        {"2026-00-10", NULL, NULL},
        {"December 32 2014", NULL, NULL},
        {"Decembre 22 2014", NULL, NULL},
        {"December 22 14", NULL, NULL},
        {"December 22 2014 at noon", NULL, NULL},
        {"December 22 2014, by", NULL, NULL},
        {"The council met on December 22 2014", NULL, NULL},
    };
    struct state *s = *st;
    char text[256];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = snprintf(text, sizeof(text), "# Title\n\n%s\n\n---\n\nBody.\n", cases[i].line);

        parse_text(s, text, (size_t)n);
        field_is(cases[i].line, s->info.published, cases[i].published);
        field_is(cases[i].line, s->info.byline, cases[i].byline);
        field_is("title", s->info.title, "Title");
    }
}

static void test_headings(void **st)
{
    struct state *s = *st;

    PARSE_LITERAL(s, "# Learning C#\n");
    field_is("title", s->info.title, "Learning C#");
    PARSE_LITERAL(s, "#   Spaced out   ##  \n");
    field_is("title", s->info.title, "Spaced out");
    PARSE_LITERAL(s, "#hashtag\n## Sub\n#\n# Real title\n\n2026-01-02\n");
    field_is("title", s->info.title, "Real title");
    field_is("published", s->info.published, "2026-01-02");
    PARSE_LITERAL(s, "```sh\n# not a title\n```\n\n# After the code\n");
    field_is("title", s->info.title, "After the code");
    PARSE_LITERAL(s, "Just text, no heading.\n\n2026-01-02\n");
    field_is("title", s->info.title, NULL);
    field_is("published", s->info.published, NULL);
    /* The date must be the first line after the title (or after a "by" line), not a later one. */
    PARSE_LITERAL(s, "# T\n\nOur reporter writes.\n\n2026-01-02\n");
    field_is("published", s->info.published, NULL);
    PARSE_LITERAL(s, "# T\n\nBy the end of the year, the works will be finished.\n\nMore.\n");
    field_is("byline", s->info.byline, NULL);
    /* A "by NAME, INSTITUTION" line of its own before the date line. */
    PARSE_LITERAL(s, "# T\n\nby Ann Lee, University of X\n\n2026-01-02\n");
    field_is("byline", s->info.byline, "by Ann Lee, University of X");
    field_is("published", s->info.published, "2026-01-02");
    PARSE_LITERAL(s, "# T\n\nSome text.\n\n2026-01-02\n");
    field_is("published", s->info.published, NULL);
}

static void test_line_endings_inline(void **st)
{
    struct state *s = *st;

    PARSE_LITERAL(s, "\r\r# Old Mac\r\r1 April 2026, by Pat Roe\r\r(c) 2026 Apple Orchard News\r");
    field_is("title", s->info.title, "Old Mac");
    field_is("published", s->info.published, "2026-04-01");
    field_is("byline", s->info.byline, "by Pat Roe");
    field_is("credit", s->info.credit, "Apple Orchard News");
    PARSE_LITERAL(s, "# Mixed\r\n\n\r2026-04-02\r\n");
    field_is("published", s->info.published, "2026-04-02");
    /* No final line ending at all. */
    PARSE_LITERAL(s, "# Last line");
    field_is("title", s->info.title, "Last line");
}

static void test_nul_byte(void **st)
{
    struct state *s = *st;

    PARSE_LITERAL(s, "# A\0B\n");
    field_is("title", s->info.title,
             "A\xEF\xBF\xBD"
             "B");
}

static void test_front_matter_variants(void **st)
{
    struct state *s = *st;

    /* Without a closing line, "---" is a rule and the lines below are Markdown. */
    PARSE_LITERAL(s, "---\ntitle: Not front matter\n\n# Body title\n");
    field_is("title", s->info.title, "Body title");
    /* A list is valid YAML but says nothing artbag knows. */
    PARSE_LITERAL(s, "---\n- a\n- b\n---\n# Body title\n");
    field_is("title", s->info.title, "Body title");
    /* Null and unreadable values leave the body's. */
    PARSE_LITERAL(s,
                  "---\ntitle: ~\ndate: soon\nauthor: null\n---\n# Body\n\n2026-01-02, by Kim\n");
    field_is("title", s->info.title, "Body");
    field_is("published", s->info.published, "2026-01-02");
    field_is("byline", s->info.byline, "by Kim");
    /* source beats url, author beats byline, whatever the order; a long date form is read. */
    PARSE_LITERAL(s, "---\nurl: https://b.example/\nsource: https://a.example/\nbyline: B\n"
                     "author: A\ndate: \"March 3, 2026\"\n---\n");
    field_is("source_url", s->info.source_url, "https://a.example/");
    field_is("byline", s->info.byline, "A");
    field_is("published", s->info.published, "2026-03-03");
    /* Quoted values, "..." as the end marker, an empty front matter. */
    PARSE_LITERAL(s, "---\ntitle: 'It''s \xE2\x80\x9C"
                     "fine\xE2\x80\x9D'\n...\nText.\n");
    field_is("title", s->info.title,
             "It's \xE2\x80\x9C"
             "fine\xE2\x80\x9D");
    /* libyaml lets a repeated key through; the first one counts. */
    PARSE_LITERAL(s, "---\ntitle: First\ntitle: Second\n---\n");
    field_is("title", s->info.title, "First");
    PARSE_LITERAL(s, "---\n---\n# Only body\n");
    field_is("title", s->info.title, "Only body");
    /* The error's line counts from the top of the file, and CRLF does not change it. */
    parse_fails(s, (const unsigned char *)"---\r\ntitle: \"open\r\n---\r\n", 24, ARTBAG_EREJECT,
                "invalid YAML front matter: found unexpected end of stream at line 3");
    /* libyaml's reader, which refuses control characters, gives an offset, not a line. */
    parse_fails(s, (const unsigned char *)"---\na: 1\nb: \x01\n---\n", 18, ARTBAG_EREJECT,
                "invalid YAML front matter: control characters are not allowed at line 3");
}

static void test_credit_variants(void **st)
{
    static const struct {
        const char *line, *credit;
    } cases[] = {
        {"\xC2\xA9 2014 AFP", "AFP"},
        {"(c) 2014 AFP", "AFP"},
        {"(C) 2014 AFP.", "AFP"},
        {"Copyright \xC2\xA9 2014 Example Press", "Example Press"},
        {"Copyright 2014 Example Press", "Example Press"},
        {"\xC2\xA9 2014\xE2\x80\x93"
         "2016 Example Press",
         "Example Press"},
        {"*\xC2\xA9 2014 Example Press*", "Example Press"},
        {"Provided by Example University", "Example University"},
        {"**Provided by** Example University.", "Example University"},
        {"**Provided by Example University**", "Example University"},
        {"Provided by [Example University](https://example.edu/)", "Example University"},
        {"\xC2\xA9 2014 AFP\n\n\xC2\xA9 2015 Later Line", "AFP"},
        {"\xC2\xA9 AFP", NULL},
        {"Copyrighted 2014 AFP", NULL},
        {"Provided byway of thanks", NULL},
    };
    struct state *s = *st;
    char text[256];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = snprintf(text, sizeof(text), "# T\n\nBody.\n\n%s\n", cases[i].line);

        parse_text(s, text, (size_t)n);
        field_is(cases[i].line, s->info.credit, cases[i].credit);
    }
}

static void test_citation_variants(void **st)
{
    struct state *s = *st;

    /* The label forms, and a URL that keeps its balanced parentheses. */
    PARSE_LITERAL(s, "**Citation:** T (2026, May 1) retrieved 2 May 2026 from "
                     "**<https://en.example.org/wiki/Foo_(bar)>**.\n");
    field_is("citation", s->info.citation,
             "T (2026, May 1) retrieved 2 May 2026 from https://en.example.org/wiki/Foo_(bar).");
    field_is("source_url", s->info.source_url, "https://en.example.org/wiki/Foo_(bar)");
    field_is("retrieved", s->info.retrieved, "2026-05-02");
    /* The citation paragraph ends where "Provided by" begins, blank line or not. */
    PARSE_LITERAL(s, "Citation:\nT (2026, May 1)\\\nretrieved 2026-05-03 from\n"
                     "(https://x.example/a).\nProvided by Someone\n");
    field_is("citation", s->info.citation,
             "T (2026, May 1) retrieved 2026-05-03 from (https://x.example/a).");
    field_is("source_url", s->info.source_url, "https://x.example/a");
    field_is("retrieved", s->info.retrieved, "2026-05-03");
    field_is("credit", s->info.credit, "Someone");
    /* Without a URL or a readable date those stay NULL; "Citations" is not the label. */
    PARSE_LITERAL(s, "Citations: none\n\nCitation: T, retrieved yesterday from the archive\n");
    field_is("citation", s->info.citation, "T, retrieved yesterday from the archive");
    field_is("source_url", s->info.source_url, NULL);
    field_is("retrieved", s->info.retrieved, NULL);
}

static void test_rights_variants(void **st)
{
    struct state *s = *st;

    PARSE_LITERAL(s, "# T\n\nThis document is subject to copyright.\nAll rights kept.\n\nNext.\n");
    field_is("rights", s->info.rights, "This document is subject to copyright. All rights kept.");
    PARSE_LITERAL(s, "<p class=\"note\">This document is subject to copyright. **Really**.</p>\n"
                     "---\n");
    field_is("rights", s->info.rights, "This document is subject to copyright. Really.");
    /* "</p>" ends the notice even without a blank line after it. */
    PARSE_LITERAL(s, "<p>This document is subject to copyright.</p>\nMore text.\n");
    field_is("rights", s->info.rights, "This document is subject to copyright.");
    PARSE_LITERAL(s, "Mention that this document is subject to copyright.\n");
    field_is("rights", s->info.rights, NULL);
}

static void test_doi_edges(void **st)
{
    struct state *s = *st;
    const struct expect e = {
        .dois = {"10.1234/abc", "10.12345.6/x-y", "10.9999/tail", "10.5678/q"},
    };

    PARSE_LITERAL(s, "See <10.1234/abc>, 10.12345.6/x-y; \"10.9999/tail\"; "
                     "[doi](https://doi.org/10.5678/q).\n"
                     "Not DOIs: 10.123/short x10.1234/glued 10.1234/ 1.10.1234/z v10.2222/a\n"
                     "Again: DOI 10.1234/ABC, doi:10.9999/tail.\n");
    info_is(&s->info, &e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_sample),
        T(test_sample_crlf),
        T(test_sample_cr),
        T(test_heading_after_blank_lines),
        T(test_date_byline),
        T(test_credit_science_x),
        T(test_citation_bold),
        T(test_citation_one_line),
        T(test_citation_bare_url),
        T(test_no_citation),
        T(test_more_information_dois),
        T(test_journal_information),
        T(test_provided_by),
        T(test_front_matter),
        T(test_front_matter_url_author),
        T(test_crlf_fixture),
        T(test_bom),
        T(test_non_ascii),
        T(test_invalid_front_matter),
        T(test_utf8_check),
        T(test_invalid_utf8_article),
        T(test_invalid_utf8_after_bom),
        T(test_empty),
        T(test_error_null_and_reuse),
        T(test_date_formats),
        T(test_headings),
        T(test_line_endings_inline),
        T(test_nul_byte),
        T(test_front_matter_variants),
        T(test_credit_variants),
        T(test_citation_variants),
        T(test_rights_variants),
        T(test_doi_edges),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
