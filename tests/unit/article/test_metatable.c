/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_metatable.c - unit tests for pack --metadata-from's reader (src/lib/article/metatable.c):
 * RFC 4180 CSV and JSON Lines, what each gives, and every way a table is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "article/article.h"

static struct artbag_metatable t;
static struct artbag_error err;

static int teardown(void **st)
{
    (void)st;
    artbag_metatable_release(&t);
    memset(&err, 0, sizeof(err));
    return 0;
}

static int parse(const char *s, size_t n, int jsonl)
{
    return artbag_metatable_parse(s, n, jsonl, &t, &err);
}

#define PARSE(s, jsonl) parse(s, sizeof(s) - 1, jsonl)

/* The RFC 4180 cases: quoted commas, doubled quotes, line breaks inside quotes, CRLF, no
 * final line break, a byte-order mark, columns in any order and case, an empty cell. */
static void csv_quoting(void **st)
{
    const struct artbag_metarow *r;

    (void)st;
    assert_int_equal(PARSE("\xEF\xBB\xBFTitle,PATH,description,date\r\n"
                           "\"A, \"\"B\"\"\",x/a.md,\"one\ntwo\",\r\n"
                           "plain,\"x/b.md\",,2020-01-02",
                           0),
                     ARTBAG_OK);
    assert_int_equal(t.n, 2);
    r = artbag_metatable_find(&t, "x/a.md");
    assert_non_null(r);
    assert_string_equal(r->f[ARTBAG_META_TITLE], "A, \"B\"");
    assert_string_equal(r->f[ARTBAG_META_DESCRIPTION], "one\ntwo");
    assert_null(r->f[ARTBAG_META_DATE]); /* empty: the article's own stays */
    assert_int_equal(r->line, 2);
    r = artbag_metatable_find(&t, "x/b.md");
    assert_non_null(r);
    assert_string_equal(r->f[ARTBAG_META_TITLE], "plain");
    assert_string_equal(r->f[ARTBAG_META_DATE], "2020-01-02");
    assert_null(artbag_metatable_find(&t, "x/c.md"));
    assert_null(artbag_metatable_find(&t, "x/a.m"));
}

static void csv_aliases(void **st)
{
    const struct artbag_metarow *r;

    (void)st;
    assert_int_equal(PARSE("path,source_url,published,byline,authors,language,rights,credit,"
                           "site_name,retrieved,modified\n"
                           "a.md,https://e.org/a,2020-01-01,By X,X; Y,en,(c) Z,Z,Site,"
                           "2020-01-03,2020-01-04\n",
                           0),
                     ARTBAG_OK);
    r = artbag_metatable_find(&t, "a.md");
    assert_non_null(r);
    assert_string_equal(r->f[ARTBAG_META_URL], "https://e.org/a");
    assert_string_equal(r->f[ARTBAG_META_DATE], "2020-01-01");
    assert_string_equal(r->f[ARTBAG_META_BYLINE], "By X");
    assert_string_equal(r->f[ARTBAG_META_AUTHORS], "X; Y");
    assert_string_equal(r->f[ARTBAG_META_LANGUAGE], "en");
    assert_string_equal(r->f[ARTBAG_META_RIGHTS], "(c) Z");
    assert_string_equal(r->f[ARTBAG_META_CREDIT], "Z");
    assert_string_equal(r->f[ARTBAG_META_SITE_NAME], "Site");
    assert_string_equal(r->f[ARTBAG_META_RETRIEVED], "2020-01-03");
    assert_string_equal(r->f[ARTBAG_META_MODIFIED], "2020-01-04");
}

/* A header alone is a table of no rows, not an error. */
static void csv_header_only(void **st)
{
    (void)st;
    assert_int_equal(PARSE("path,title\n", 0), ARTBAG_OK);
    assert_int_equal(t.n, 0);
}

static void refused(const char *s, int jsonl, const char *msg)
{
    assert_int_equal(parse(s, strlen(s), jsonl), ARTBAG_EREJECT);
    assert_string_equal(err.msg, msg);
    assert_int_equal(t.n, 0);
    assert_null(t.rows);
    memset(&err, 0, sizeof(err));
}

static void csv_refused(void **st)
{
    (void)st;
    refused("", 0, "no header row");
    refused("title\nT\n", 0, "line 1: no 'path' column");
    refused("path,titel\na.md,T\n", 0,
            "line 1: unknown column 'titel' (known: path, url, title, date, byline, authors, "
            "description, language, rights, credit, site_name, retrieved, modified)");
    refused("path,title\na.md,T,extra\n", 0, "line 2: 3 fields, the header has 2");
    refused("path,title\na.md\n", 0, "line 2: 1 fields, the header has 2");
    refused("path,title\na.md,\"T\n", 0, "line 2: a quoted field is still open at the end");
    refused("path,title\na.md,T\"x\"\n", 0,
            "line 2: a quote in a field not quoted, or after its closing quote (RFC 4180 doubles a "
            "quote in a quoted field)");
    refused("path,title\na.md,\"T\"x\n", 0,
            "line 2: a quote in a field not quoted, or after its closing quote (RFC 4180 doubles a "
            "quote in a quoted field)");
    refused("path,title\na.md,A\nb.md,B\na.md,C\n", 0, "line 4: 'a.md' has a row already");
    refused("path,title\n,T\n", 0, "line 2: no path");
    refused("path,title\na.md,\"a\rb\"\n", 0, "line 2: 'title' contains a line break");
    refused("path,title\na.md,\"a\nb\"\n", 0, "line 2: 'title' contains a line break");
    refused("path,title\na.md,a\tb\n", 0, "line 2: 'title' contains a control character");
    refused("path,title,title\na.md,A,B\n", 0, "line 2: 'title' given twice");
    refused("path,url,source_url\na.md,A,B\n", 0, "line 2: 'source_url' given twice");
    refused("path,title\na.md,\xff\n", 0, "invalid UTF-8 at byte offset 16");
}

static void csv_nul(void **st)
{
    static const char s[] = "path,title\na.md,a\0b\n";

    (void)st;
    assert_int_equal(parse(s, sizeof(s) - 1, 0), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "line 2: a NUL character");
    assert_int_equal(t.n, 0);
}

static void jsonl_rows(void **st)
{
    const struct artbag_metarow *r;

    (void)st;
    assert_int_equal(PARSE("{\"path\": \"a.md\", \"title\": \"A \\\"q\\\", b\", \"date\": null}\n"
                           "\r\n"
                           "  {\"PATH\": \"b.md\", \"authors\": [\"X Y\", \"Z\"]}",
                           1),
                     ARTBAG_OK);
    assert_int_equal(t.n, 2);
    r = artbag_metatable_find(&t, "a.md");
    assert_non_null(r);
    assert_string_equal(r->f[ARTBAG_META_TITLE], "A \"q\", b");
    assert_null(r->f[ARTBAG_META_DATE]);
    assert_int_equal(r->line, 1);
    r = artbag_metatable_find(&t, "b.md");
    assert_non_null(r);
    assert_string_equal(r->f[ARTBAG_META_AUTHORS], "X Y; Z");
    assert_int_equal(r->line, 3);
}

static void jsonl_refused(void **st)
{
    (void)st;
    refused("[1]\n", 1, "line 1: expected a JSON object");
    refused("{\"path\": \"a.md\"}\n{\"path\": \"b.md\",}\n", 1,
            "line 2: string or '}' expected near '}'");
    refused("{\"path\": \"a.md\", \"x\": \"1\"}\n", 1,
            "line 1: unknown key 'x' (known: path, url, title, date, byline, authors, "
            "description, language, rights, credit, site_name, retrieved, modified)");
    refused("{\"path\": \"a.md\", \"title\": 3}\n", 1, "line 1: 'title' must be a string");
    refused("{\"path\": \"a.md\", \"title\": \"a\\u0000b\"}\n", 1,
            "line 1: 'title' contains a NUL character");
    refused("{\"path\": \"a.md\", \"title\": \"a\\nb\"}\n", 1,
            "line 1: 'title' contains a line break");
    refused("{\"path\": \"a.md\", \"authors\": [\"a\", 1]}\n", 1,
            "line 1: 'authors' must be a list of names");
    refused("{\"path\": \"a.md\", \"title\": \"A\", \"title\": \"B\"}\n", 1,
            "line 1: duplicate object key near '\"title\"'");
    refused("{\"title\": \"A\"}\n", 1, "line 1: no path");
    refused("{\"path\": null}\n", 1, "line 1: 'path' must be a string");
    refused("{\"path\": \"a.md\"}\n{\"path\": \"a.md\"}\n", 1, "line 2: 'a.md' has a row already");
    /* A line of NUL bytes is not a blank line to pass over (fuzz_metatable's seeds have one). */
    assert_int_equal(PARSE("{\"path\": \"a.md\"}\n\0\0\n", 1), ARTBAG_EREJECT);
    assert_non_null(strstr(err.msg, "line 2: "));
}

static void format_bid(void **st)
{
    (void)st;
    assert_int_equal(artbag_metatable_is_jsonl("m.csv", "{", 1), 0);
    assert_int_equal(artbag_metatable_is_jsonl("m.JSONL", "path", 4), 1);
    assert_int_equal(artbag_metatable_is_jsonl("m.ndjson", "path", 4), 1);
    assert_int_equal(artbag_metatable_is_jsonl("m", "\xEF\xBB\xBF \n{\"path\"", 11), 1);
    assert_int_equal(artbag_metatable_is_jsonl("m.txt", "path,title", 10), 0);
    assert_int_equal(artbag_metatable_is_jsonl("m", "", 0), 0);
    assert_int_equal(artbag_metatable_is_jsonl("m", "\0{", 2), 0);
}

/* A byline given replaces the names read from the article; authors given replace both. */
static void apply(void **st)
{
    struct artbag_article_info info = {0};
    struct artbag_metarow *r;

    (void)st;
    assert_int_equal(PARSE("path,byline,language\na.md,By Ann Lee and Bob Roe,de\n"
                           "b.md,,\n",
                           0),
                     ARTBAG_OK);
    info.byline = strdup("By Old");
    info.language = strdup("en");
    info.authors = calloc(1, sizeof(char *));
    info.authors[0] = strdup("Old");
    info.n_authors = 1;
    r = artbag_metatable_find(&t, "a.md");
    assert_int_equal(artbag_metarow_apply(r, &info), ARTBAG_OK);
    assert_string_equal(info.byline, "By Ann Lee and Bob Roe");
    assert_string_equal(info.language, "de");
    assert_int_equal(info.n_authors, 2);
    assert_string_equal(info.authors[0], "Ann Lee");
    assert_string_equal(info.authors[1], "Bob Roe");
    /* empty cells change nothing */
    assert_int_equal(artbag_metarow_apply(artbag_metatable_find(&t, "b.md"), &info), ARTBAG_OK);
    assert_string_equal(info.byline, "By Ann Lee and Bob Roe");
    assert_int_equal(info.n_authors, 2);
    artbag_article_info_release(&info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(csv_quoting, teardown),
        cmocka_unit_test_teardown(csv_aliases, teardown),
        cmocka_unit_test_teardown(csv_header_only, teardown),
        cmocka_unit_test_teardown(csv_refused, teardown),
        cmocka_unit_test_teardown(csv_nul, teardown),
        cmocka_unit_test_teardown(jsonl_rows, teardown),
        cmocka_unit_test_teardown(jsonl_refused, teardown),
        cmocka_unit_test_teardown(format_bid, teardown),
        cmocka_unit_test_teardown(apply, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
