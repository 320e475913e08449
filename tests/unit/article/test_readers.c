/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * test_readers.c - unit tests for the pieces of the article reader in src/lib/article/: the date
 * parser, the byline splitter, the TOML subset reader, the line-by-line front-matter reader,
 * the header readers and the title suffix rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "article/shapes.h"

static void date_is(const char *in, const char *want)
{
    char out[ARTBAG_DATE_MAX];
    int ok = artbag_date_parse(in, strlen(in), out);

    if (!want) {
        if (ok)
            fail_msg("'%s': expected unreadable, got '%s'", in, out);
        return;
    }
    if (!ok)
        fail_msg("'%s': expected '%s', got unreadable", in, want);
    if (strcmp(out, want) != 0)
        fail_msg("'%s': expected '%s', got '%s'", in, want, out);
}

static void test_dates(void **st)
{
    (void)st;
    /* ISO 8601 / RFC 3339 */
    date_is("2024-05-21", "2024-05-21");
    date_is("  2024-05-21 ", "2024-05-21");
    date_is("2024-05-21T10:32:00+07:00", "2024-05-21T10:32:00+07:00");
    date_is("2024-05-21T10:32:00Z", "2024-05-21T10:32:00Z");
    date_is("2024-05-21t10:32:00z", "2024-05-21T10:32:00Z");
    date_is("2024-05-21T10:32:00.123-03:30", "2024-05-21T10:32:00.123-03:30");
    date_is("2024-05-21T10:32+0200", "2024-05-21T10:32:00+02:00");
    /* a time without a zone names no instant: the day only */
    date_is("2024-05-21T10:32:00", "2024-05-21");
    date_is("2024-05-24 09:12:45", "2024-05-24");
    /* Jekyll and MarkDownload */
    date_is("2024-05-21 10:32:00 +0200", "2024-05-21T10:32:00+02:00");
    date_is("2024-05-24T11:02:37 (UTC +02:00)", "2024-05-24T11:02:37+02:00");
    date_is("2024-05-24T11:02:37 (UTC -05:00)", "2024-05-24T11:02:37-05:00");
    /* RFC 2822 */
    date_is("Tue, 21 May 2024 10:32:00 +0200", "2024-05-21T10:32:00+02:00");
    date_is("Tue, 21 May 2024 10:32:00 GMT", "2024-05-21T10:32:00Z");
    date_is("21 May 2024 10:32 EDT", "2024-05-21T10:32:00-04:00");
    /* the other common forms */
    date_is("2024/05/21", "2024-05-21");
    date_is("21.05.2024", "2024-05-21");
    date_is("1.5.2024", "2024-05-01");
    date_is("May 21, 2024", "2024-05-21");
    date_is("May 21 2024", "2024-05-21");
    date_is("21 May 2024", "2024-05-21");
    date_is("21st May 2024", "2024-05-21");
    date_is("Sept. 3, 2024", "2024-09-03");
    date_is("Tuesday, May 21, 2024", "2024-05-21");
    date_is("29 February 2024", "2024-02-29");
    /* not dates */
    date_is("", NULL);
    date_is("soon", NULL);
    date_is("05/21/2024", NULL); /* month first or day first? ambiguous */
    date_is("2024-5-21", NULL);  /* ISO has two digits */
    date_is("2024-02-30", NULL); /* no such day */
    date_is("29 February 2023", NULL);
    date_is("2024-05-21T25:00:00Z", NULL);
    date_is("2024-05-21T10:32:00+24:00", NULL);
    date_is("2024-05-21 and more", NULL);
    date_is("Mai 21, 2024", NULL); /* English month names only */
    date_is("2024-05-21T10:32:00 (UTC +02:00", NULL);
}

static void test_citation_date(void **st)
{
    char d[11];

    (void)st;
    assert_true(artbag_citation_date("Night trains (2024, May 21) retrieved 24 May 2024", d));
    assert_string_equal(d, "2024-05-21");
    /* the title's own parentheses come first; the last date in parentheses counts */
    assert_true(artbag_citation_date("Plans (and a map) (2024, May 21) retrieved", d));
    assert_string_equal(d, "2024-05-21");
    assert_false(artbag_citation_date("Plans (and a map) retrieved 24 May 2024", d));
    assert_false(artbag_citation_date("X (2024, May 32)", d));
}

static void names_are(const char *byline, const char *credit, const char *const *want)
{
    struct artbag_strv v = {0};
    size_t i, n = 0;

    while (want[n])
        n++;
    assert_int_equal(artbag_byline_split(byline, credit, &v), ARTBAG_OK);
    if (v.n != n)
        fail_msg("'%s': expected %zu names, got %zu", byline, n, v.n);
    for (i = 0; i < n; i++)
        if (strcmp(v.v[i], want[i]) != 0)
            fail_msg("'%s': name %zu: expected '%s', got '%s'", byline, i, want[i], v.v[i]);
    artbag_strv_release(&v);
}

static void test_byline(void **st)
{
    (void)st;
    names_are("by Zo\xC3\xAB Fern\xC3\xA1ndez and Wang Lei", NULL,
              (const char *const[]){"Zo\xC3\xAB Fern\xC3\xA1ndez", "Wang Lei", NULL});
    names_are("By Jane O'Neill", NULL, (const char *const[]){"Jane O'Neill", NULL});
    names_are("A; B", NULL, (const char *const[]){"A", "B", NULL});
    names_are("A, B, and C", NULL, (const char *const[]){"A", "B", "C", NULL});
    names_are("A & B", NULL, (const char *const[]){"A", "B", NULL});
    names_are("[[Pavel Nov\xC3\xA1k and Jane O'Neill]]", NULL,
              (const char *const[]){"Pavel Nov\xC3\xA1k", "Jane O'Neill", NULL});
    names_are("[[A]], [[B]]", NULL, (const char *const[]){"A", "B", NULL});
    /* an institution is not a person, nor is the article's credit */
    names_are("by Krist\xC3\xADn J\xC3\xB3nsd\xC3\xB3ttir, University of Iceland", NULL,
              (const char *const[]){"Krist\xC3\xADn J\xC3\xB3nsd\xC3\xB3ttir", NULL});
    names_are("by Ann Lee, Example Wire", "Example Wire", (const char *const[]){"Ann Lee", NULL});
    /* "and" inside a word is not a separator */
    names_are("Sandra Andersen", NULL, (const char *const[]){"Sandra Andersen", NULL});
    names_are("by", NULL, (const char *const[]){"by", NULL});
    names_are("", NULL, (const char *const[]){NULL});
    names_are(" ; , and ", NULL, (const char *const[]){NULL});
}

static const struct artbag_fm_entry *get(const struct artbag_fm *fm, const char *key)
{
    size_t i;

    for (i = 0; i < fm->n; i++)
        if (!strcmp(fm->e[i].key, key))
            return &fm->e[i];
    return NULL;
}

static void scalar_is(const struct artbag_fm *fm, const char *key, const char *want)
{
    const struct artbag_fm_entry *e = get(fm, key);

    if (!want) {
        if (e && e->value)
            fail_msg("%s: expected nothing, got '%s'", key, e->value);
        return;
    }
    if (!e || !e->value)
        fail_msg("%s: expected '%s', got nothing", key, want);
    if (strcmp(e->value, want) != 0)
        fail_msg("%s: expected '%s', got '%s'", key, want, e->value);
}

static void list_is(const struct artbag_fm *fm, const char *key, const char *const *want)
{
    const struct artbag_fm_entry *e = get(fm, key);
    size_t i, n = 0;

    while (want[n])
        n++;
    if (!e || !e->is_list)
        fail_msg("%s: not a list", key);
    if (e->items.n != n)
        fail_msg("%s: expected %zu items, got %zu", key, n, e->items.n);
    for (i = 0; i < n; i++)
        if (strcmp(e->items.v[i], want[i]) != 0)
            fail_msg("%s[%zu]: expected '%s', got '%s'", key, i, want[i], e->items.v[i]);
}

#define TOML(fm, w, text) artbag_fm_toml(text, sizeof(text) - 1, fm, w)

static void test_toml(void **st)
{
    struct artbag_fm fm = {0};
    struct artbag_strv w = {0};

    (void)st;
    assert_int_equal(TOML(&fm, &w,
                          "# a comment\n"
                          "title = 'C:\\dir\\n'\n"
                          "desc = \"say \\\"hi\\\" \\u00e9\\U0001F600 tab\\t\" # trailing\n"
                          "date = 2024-05-21T10:32:00+07:00\n"
                          "day = 2024-05-21\n"
                          "local = 1979-05-27 07:32:00\n"
                          "draft = false\n"
                          "weight = 10\n"
                          "\"quoted key\" = 'q'\n"
                          "site.name = 'dotted'\n"
                          "tags = ['a', \"b's\", 'c']\n"
                          "nums = [1, 2]\n"
                          "authors = [\n  'One', # first\n  'Two',\n]\n"
                          "after = 'still read'\n"
                          "[params]\n"
                          "  author = 'P'\n"
                          "  toc = true\n"),
                     ARTBAG_OK);
    assert_int_equal(w.n, 0);
    /* a literal string keeps its backslashes */
    scalar_is(&fm, "title", "C:\\dir\\n");
    scalar_is(&fm, "desc", "say \"hi\" \xC3\xA9\xF0\x9F\x98\x80 tab\t");
    scalar_is(&fm, "date", "2024-05-21T10:32:00+07:00");
    scalar_is(&fm, "day", "2024-05-21");
    scalar_is(&fm, "local", "1979-05-27 07:32:00");
    scalar_is(&fm, "draft", "false");
    scalar_is(&fm, "weight", "10");
    scalar_is(&fm, "quoted key", "q");
    scalar_is(&fm, "site.name", "dotted");
    list_is(&fm, "tags", (const char *const[]){"a", "b's", "c", NULL});
    list_is(&fm, "nums", (const char *const[]){"1", "2", NULL});
    list_is(&fm, "authors", (const char *const[]){"One", "Two", NULL});
    scalar_is(&fm, "after", "still read");
    scalar_is(&fm, "params.author", "P");
    scalar_is(&fm, "params.toc", "true");
    artbag_fm_release(&fm);
    artbag_strv_release(&w);

    /* Text after a value is not part of it: the line is skipped, not half read. */
    assert_int_equal(TOML(&fm, &w, "a = 'one' two\nb = \"x\" # fine\nc = 1 2 3x\n"), ARTBAG_OK);
    scalar_is(&fm, "a", NULL);
    scalar_is(&fm, "b", "x");
    scalar_is(&fm, "c", NULL);
    assert_int_equal(w.n, 2);
    artbag_fm_release(&fm);
    artbag_strv_release(&w);

    /* What the subset does not read is skipped with a warning naming the file's line (the
     * opening "+++" is line 1), never refused; the keys around it are still read. */
    assert_int_equal(TOML(&fm, &w,
                          "a = 'one'\n"
                          "b = \"\"\"multi\n"
                          "line\"\"\"\n"
                          "c = { x = 1 }\n"
                          "d = [[1], [2]]\n"
                          "e = 'unclosed\n"
                          "f = \"bad \\q escape\"\n"
                          "just words\n"
                          "a = 'again'\n"
                          "[[items]]\n"
                          "g = 'in an array of tables'\n"
                          "[ok]\n"
                          "h = 'kept'\n"),
                     ARTBAG_OK);
    scalar_is(&fm, "a", "one");
    scalar_is(&fm, "b", NULL);
    scalar_is(&fm, "c", NULL);
    scalar_is(&fm, "e", NULL);
    scalar_is(&fm, "f", NULL);
    scalar_is(&fm, "items.g", NULL);
    scalar_is(&fm, "g", NULL);
    scalar_is(&fm, "ok.h", "kept");
    assert_true(w.n >= 8);
    assert_string_equal(w.v[0], "TOML front matter line 3: a string the subset does not read; "
                                "skipped");
    artbag_fm_release(&fm);
    artbag_strv_release(&w);
}

#define LINES(fm, text) artbag_fm_lines(text, sizeof(text) - 1, fm)

static void test_line_by_line(void **st)
{
    struct artbag_fm fm = {0};

    (void)st;
    /* trafilatura before 2.2 */
    assert_int_equal(LINES(&fm, "title: Dry summer ahead: what it means\n"
                                "author: A; B\n"
                                "tags: ['drought', 'agriculture', \"farmers' unions\"]\n"
                                "empty: []\n"
                                "quoted: \"json \\\"escaped\\\"\"\n"
                                "single: 'it''s'\n"
                                "# a comment\n"
                                "\n"
                                "list:\n"
                                " - one\n"
                                "  - 'two'\n"
                                "-\n"
                                "block: |\n"
                                "  first line\n"
                                "  second\n"
                                "\n"
                                "  para\n"
                                "title: repeated, first counts\n"
                                "last:\n"),
                     ARTBAG_OK);
    scalar_is(&fm, "title", "Dry summer ahead: what it means");
    scalar_is(&fm, "author", "A; B");
    list_is(&fm, "tags", (const char *const[]){"drought", "agriculture", "farmers' unions", NULL});
    list_is(&fm, "empty", (const char *const[]){NULL});
    scalar_is(&fm, "quoted", "json \"escaped\"");
    scalar_is(&fm, "single", "it's");
    list_is(&fm, "list", (const char *const[]){"one", "two", NULL});
    scalar_is(&fm, "block", "first line\nsecond\n\npara\n");
    list_is(&fm, "last", (const char *const[]){NULL});
    artbag_fm_release(&fm);

    /* Lines that are none of these: the fields cannot be read, so the caller refuses. */
    assert_int_equal(LINES(&fm, "title: ok\n  date: indented\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "just words\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "title: \"open\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "- item without a key\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "tags: ['a', 'b'\n"), ARTBAG_OK); /* a scalar, as written */
    scalar_is(&fm, "tags", "['a', 'b'");
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "tags: ['a', 'b]\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
    assert_int_equal(LINES(&fm, "key:value\n"), ARTBAG_EREJECT);
    artbag_fm_release(&fm);
}

/* Whole articles: the refusal that remains, and the warnings. */
static void test_front_matter_warnings(void **st)
{
    static const char omnivore[] =
        "---\ntitle: A: B\ndate_saved: 2024-05-24 09:12:45\n---\n# A: B\n";
    static const char bad_date[] = "---\ntitle: T\ndate: next Tuesday\n---\n";
    static const char broken[] = "---\ntitle: T\n  date: 2026-02-11\n---\n";
    static const char hugo_url[] = "---\ntitle: T\nurl: /news/ferry/\n---\n";
    struct artbag_article_info info = {0};
    struct artbag_error err = {0};

    (void)st;
    assert_int_equal(
        artbag_article_parse((const unsigned char *)omnivore, sizeof(omnivore) - 1, &info, &err),
        ARTBAG_OK);
    assert_string_equal(info.title, "A: B");
    assert_string_equal(info.retrieved, "2024-05-24");
    assert_string_equal(info.captured_with, "Omnivore");
    assert_int_equal(info.n_warnings, 1);
    assert_string_equal(info.warnings[0], "front matter is not valid YAML; read line by line");
    artbag_article_info_release(&info);

    assert_int_equal(
        artbag_article_parse((const unsigned char *)bad_date, sizeof(bad_date) - 1, &info, &err),
        ARTBAG_OK);
    assert_null(info.published);
    assert_int_equal(info.n_warnings, 1);
    assert_string_equal(info.warnings[0],
                        "front matter 'date': 'next Tuesday' is not a date I can read");
    artbag_article_info_release(&info);

    /* Hugo's url is the page's path on the site, not where the article came from. */
    assert_int_equal(
        artbag_article_parse((const unsigned char *)hugo_url, sizeof(hugo_url) - 1, &info, &err),
        ARTBAG_OK);
    assert_null(info.source_url);
    artbag_article_info_release(&info);

    assert_int_equal(
        artbag_article_parse((const unsigned char *)broken, sizeof(broken) - 1, &info, &err),
        ARTBAG_EREJECT);
    assert_string_equal(err.msg, "invalid YAML front matter: mapping values are not allowed in "
                                 "this context at line 3");
    artbag_article_info_release(&info);
}

/* md4c's code blocks: what is in them is an example, never the article's own header or trailer. */
static void test_code_blocks(void **st)
{
    static const char text[] = "# Title\n\n```\n2024-01-02\n```\n\n"
                               "~~~\nCitation: X (2024, May 21) retrieved 24 May 2024 from "
                               "https://a.example/x\n\xC2\xA9 2024 Example Wire\n~~~\n\n"
                               "    # indented code, not a heading\n";
    static const char setext[] = "Para\n\n```\nNot a title\n===\n```\n\nReal\n====\n";
    struct artbag_article_info info = {0};
    struct artbag_error err = {0};

    (void)st;
    assert_int_equal(
        artbag_article_parse((const unsigned char *)text, sizeof(text) - 1, &info, &err),
        ARTBAG_OK);
    assert_string_equal(info.title, "Title");
    assert_null(info.published);
    assert_null(info.citation);
    assert_null(info.source_url);
    assert_null(info.credit);
    artbag_article_info_release(&info);
    assert_int_equal(
        artbag_article_parse((const unsigned char *)setext, sizeof(setext) - 1, &info, &err),
        ARTBAG_OK);
    assert_string_equal(info.title, "Real");
    artbag_article_info_release(&info);
}

static void title_is(const char *title, const char *site, const char *url, const char *want)
{
    char buf[256];

    snprintf(buf, sizeof(buf), "%s", title);
    artbag_title_strip_site(buf, site, url);
    if (strcmp(buf, want) != 0)
        fail_msg("'%s': expected '%s', got '%s'", title, want, buf);
}

static void test_title_suffix(void **st)
{
    (void)st;
    title_is("China condemns | Phys.org", NULL, "https://phys.org/news/x.html", "China condemns");
    title_is("China condemns | Phys.org", NULL, "https://www.phys.org/news/x.html",
             "China condemns");
    title_is("Story - Example News", "Example News", NULL, "Story");
    title_is("Story \xE2\x80\x94 example news", "Example News", NULL, "Story");
    /* only when the suffix is the site: otherwise it is part of the title */
    title_is("Story - BBC News Afrique", NULL, "https://www.bbc.com/afrique/x",
             "Story - BBC News Afrique");
    title_is("Left - Right", "Example News", "https://example.org/", "Left - Right");
    title_is("Phys.org", NULL, "https://phys.org/", "Phys.org");
    title_is(" | phys.org", NULL, "https://phys.org/", " | phys.org");
}

static void test_slugs(void **st)
{
    char out[81];

    (void)st;
    artbag_slug("https://news.example.cn/2024/05/21/%E5%B9%B2%E6%97%B1%E9%A2%84%E8%AD%A6.html",
                NULL, out);
    assert_string_equal(out, "\xE5\xB9\xB2\xE6\x97\xB1\xE9\xA2\x84\xE8\xAD\xA6");
    artbag_slug("https://example.ru/%D0%9D%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", NULL, out);
    assert_string_equal(out, "\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8");
    artbag_slug("https://phys.org/news/2014-12-china-condemns.html?x=1#y", NULL, out);
    assert_string_equal(out, "2014-12-china-condemns");
    /* NFD in, NFC out: the same title gives the same bytes */
    artbag_slug(NULL, "Zoe\xCC\x88 & Co", out);
    assert_string_equal(out, "zo\xC3\xAB-co");
    artbag_slug("https://example.org/", "Title Only", out);
    assert_string_equal(out, "title-only");
    artbag_slug("https://example.org/%FF%FE", "Fallback", out);
    assert_string_equal(out, "fallback");
    artbag_slug(NULL, "!!!", out);
    assert_string_equal(out, "article");
}

static void test_headers(void **st)
{
    static const char jina[] = "Title: T\n\nURL Source: https://e.org/a\n\nPublished Time: "
                               "2024-05-21T08:30:00+08:00\n\nMarkdown Content:\nBody\n";
    static const char not_jina[] = "Title: T\n\nSome prose that is not a header.\n";
    static const char pandoc[] =
        "% Title\n  continued\n% Doe, Jane; Roe, Rick\n% 21 May 2024\n\nBody\n";
    struct artbag_shape sh = {0};
    struct artbag_strv w = {0};
    int rc;
    size_t used;

    (void)st;
    used = artbag_jina_read(jina, sizeof(jina) - 1, &sh, &w, &rc);
    assert_int_equal(rc, ARTBAG_OK);
    assert_string_equal(jina + used, "Body\n");
    assert_string_equal(sh.title, "T");
    assert_string_equal(sh.url, "https://e.org/a");
    assert_string_equal(sh.published, "2024-05-21T08:30:00+08:00");
    assert_string_equal(sh.tool, "Jina Reader");
    artbag_shape_release(&sh);
    assert_int_equal(artbag_jina_read(not_jina, sizeof(not_jina) - 1, &sh, &w, &rc), 0);
    assert_null(sh.title);
    artbag_shape_release(&sh);

    used = artbag_pandoc_block_read(pandoc, sizeof(pandoc) - 1, &sh, &w, &rc);
    assert_int_equal(rc, ARTBAG_OK);
    assert_string_equal(pandoc + used, "\nBody\n");
    assert_string_equal(sh.title, "Title continued");
    assert_string_equal(sh.byline, "Doe, Jane; Roe, Rick");
    /* pandoc separates authors with ';' only */
    assert_int_equal(sh.authors.n, 2);
    assert_string_equal(sh.authors.v[0], "Doe, Jane");
    assert_string_equal(sh.published, "2024-05-21");
    artbag_shape_release(&sh);
    assert_int_equal(w.n, 0);
    artbag_strv_release(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),        cmocka_unit_test(test_citation_date),
        cmocka_unit_test(test_byline),       cmocka_unit_test(test_toml),
        cmocka_unit_test(test_line_by_line), cmocka_unit_test(test_front_matter_warnings),
        cmocka_unit_test(test_code_blocks),  cmocka_unit_test(test_title_suffix),
        cmocka_unit_test(test_slugs),        cmocka_unit_test(test_headers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
