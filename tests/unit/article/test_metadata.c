/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_metadata.c - unit tests for data/metadata.json as src/lib/metadata.c writes it, read back
 * with jansson and held against manifests/metadata.schema.json. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "article/article.h"

#define SHA "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

/* The top-level keys in the order the schema lists them and the writer must emit them. */
static const char *const top_keys[] = {"title",     "published", "byline",   "source_url",
                                       "retrieved", "credit",    "citation", "rights",
                                       "dois",      "article",   "packager"};
#define N_TOP (sizeof(top_keys) / sizeof(top_keys[0]))
/* Every key the schema lists, optional ones (schema 1.1) included, in the writer's order. */
static const char *const all_keys[] = {
    "title",         "published", "byline",   "source_url",  "retrieved", "credit", "citation",
    "rights",        "authors",   "modified", "description", "language",  "tags",   "site_name",
    "captured_with", "dois",      "article",  "attachments", "packager"};
#define N_ALL (sizeof(all_keys) / sizeof(all_keys[0]))

static const char *const article_keys[] = {"path", "bytes", "sha256", "media_type"};
static const char *const packager_keys[] = {"name", "version"};
/* an attachment: the article's keys, and where a copy stored once was given */
static const char *const attachment_keys[] = {"path", "given_path", "bytes", "sha256",
                                              "media_type"};

static const struct artbag_payload_file payload = {"data/article.md", 4321, SHA,
                                                   "text/markdown; charset=utf-8", NULL};

/* Runs the writer and returns its output (caller frees), checking status and trailing newline. */
static char *write_doc(const struct artbag_article_info *info, size_t *len)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};
    char *text;

    assert_int_equal(artbag_metadata_write(&b, info, &payload, &err), ARTBAG_OK);
    assert_string_equal(err.msg, "");
    text = artbag_buf_detach(&b, len);
    assert_non_null(text);
    assert_true(*len >= 2);
    assert_int_equal(text[*len - 1], '\n');
    assert_int_not_equal(text[*len - 2], '\n');
    assert_int_equal(strlen(text), *len);
    return text;
}

static json_t *parse(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

    if (!root)
        fail_msg("output does not parse: %s (line %d)", jerr.text, jerr.line);
    assert_true(json_is_object(root));
    return root;
}

/* Checks that obj has exactly the keys in keys[], in that order. */
static void check_key_order(json_t *obj, const char *const *keys, size_t n)
{
    const char *key;
    json_t *value;
    size_t i = 0;

    assert_int_equal(json_object_size(obj), n);
    /* jansson iterates in insertion order, i.e. the order the keys appear in the text. */
    json_object_foreach(obj, key, value)
    {
        (void)value;
        assert_true(i < n);
        assert_string_equal(key, keys[i]);
        i++;
    }
    assert_int_equal(i, n);
}

static void check_string(json_t *obj, const char *key, const char *want)
{
    json_t *v = json_object_get(obj, key);

    assert_non_null(v);
    assert_true(json_is_string(v));
    assert_string_equal(json_string_value(v), want);
}

static void check_null(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    assert_non_null(v);
    assert_true(json_is_null(v));
}

/* The article and packager objects do not depend on the info, so both documents share this. */
static void check_article_and_packager(json_t *root)
{
    json_t *article = json_object_get(root, "article");
    json_t *packager = json_object_get(root, "packager");

    assert_true(json_is_object(article));
    check_key_order(article, article_keys, 4);
    check_string(article, "path", "data/article.md");
    assert_true(json_is_integer(json_object_get(article, "bytes")));
    assert_int_equal(json_integer_value(json_object_get(article, "bytes")), 4321);
    check_string(article, "sha256", SHA);
    check_string(article, "media_type", "text/markdown; charset=utf-8");

    assert_true(json_is_object(packager));
    check_key_order(packager, packager_keys, 2);
    check_string(packager, "name", "artbag");
    check_string(packager, "version", ARTBAG_VERSION_STRING);
}

static void test_full_document(void **state)
{
    char *dois[] = {"10.1038/s41586-020-2649-2", "10.1126/science.abc1234"};
    struct artbag_article_info info = {
        .title = "Caf\xc3\xa9 owners in Z\xc3\xbcrich \xe2\x80\x94 a \"study\"",
        .published = "2014-03-05",
        .byline = "Jane Doe",
        .source_url = "https://example.org/news/2014-03-cafe.html",
        .retrieved = "2026-01-02",
        .credit = "AFP",
        .citation = "Caf\xc3\xa9 owners (2014, March 5) retrieved 2 January 2026 from "
                    "https://example.org/news/2014-03-cafe.html",
        .rights = "\xc2\xa9 2014 AFP",
        .dois = dois,
        .n_dois = 2,
    };
    json_t *root, *arr;
    size_t len;
    char *text = write_doc(&info, &len);

    (void)state;
    /* Non-ASCII is written as UTF-8, not as \u escapes, and JSON_INDENT(2) is in effect. */
    assert_non_null(strstr(text, "Z\xc3\xbcrich \xe2\x80\x94"));
    assert_null(strstr(text, "\\u00"));
    assert_non_null(strstr(text, "\n  \"title\": "));
    assert_int_equal(text[0], '{');

    root = parse(text);
    check_key_order(root, top_keys, N_TOP);
    check_string(root, "title", info.title);
    check_string(root, "published", "2014-03-05");
    check_string(root, "byline", "Jane Doe");
    check_string(root, "source_url", info.source_url);
    check_string(root, "retrieved", "2026-01-02");
    check_string(root, "credit", "AFP");
    check_string(root, "citation", info.citation);
    check_string(root, "rights", "\xc2\xa9 2014 AFP");
    arr = json_object_get(root, "dois");
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_array_get(arr, 0)), dois[0]);
    assert_string_equal(json_string_value(json_array_get(arr, 1)), dois[1]);
    check_article_and_packager(root);

    json_decref(root);
    free(text);
}

/* The optional fields (schema 1.1) come between rights and dois, each only when given. */
static void test_optional_fields(void **state)
{
    char *authors[] = {"Zo\xc3\xab Fern\xc3\xa1ndez", "Wang Lei"}, *tags[] = {"a", "b c"};
    struct artbag_article_info info = {
        .title = "T",
        .published = "2024-05-21T10:32:00+07:00",
        .authors = authors,
        .n_authors = 2,
        .tags = tags,
        .n_tags = 2,
        .modified = "2024-05-22",
        .description = "D",
        .language = "nb",
        .site_name = "Example News",
        .captured_with = "trafilatura",
    };
    static const char *const keys[] = {
        "title",    "published", "byline",        "source_url", "retrieved",   "credit",
        "citation", "rights",    "authors",       "modified",   "description", "language",
        "tags",     "site_name", "captured_with", "dois",       "article",     "packager"};
    json_t *root;
    size_t len;
    char *text = write_doc(&info, &len);

    (void)state;
    root = parse(text);
    check_key_order(root, keys, sizeof(keys) / sizeof(keys[0]));
    check_string(root, "published", "2024-05-21T10:32:00+07:00");
    assert_string_equal(json_string_value(json_array_get(json_object_get(root, "authors"), 0)),
                        authors[0]);
    assert_int_equal(json_array_size(json_object_get(root, "tags")), 2);
    check_string(root, "captured_with", "trafilatura");
    json_decref(root);
    free(text);
}

static void test_title_only_document(void **state)
{
    struct artbag_article_info info = {.title = "Only a title"};
    json_t *root, *arr;
    size_t len, i;
    char *text = write_doc(&info, &len);

    (void)state;
    root = parse(text);
    check_key_order(root, top_keys, N_TOP);
    check_string(root, "title", "Only a title");
    /* Every optional string is present as an explicit null, never left out. */
    for (i = 1; i < 8; i++)
        check_null(root, top_keys[i]);
    arr = json_object_get(root, "dois");
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), 0);
    check_article_and_packager(root);

    json_decref(root);
    free(text);
}

static void test_deterministic_and_appends(void **state)
{
    struct artbag_article_info info = {.title = "T", .credit = "AFP"};
    struct artbag_buf b = ARTBAG_BUF_INIT;
    size_t len1, len2;
    char *one = write_doc(&info, &len1);
    char *two = write_doc(&info, &len2);

    (void)state;
    assert_int_equal(len1, len2);
    assert_memory_equal(one, two, len1);

    /* The writer appends to what the buffer already holds. */
    assert_int_equal(artbag_buf_puts(&b, "prefix"), ARTBAG_OK);
    assert_int_equal(artbag_metadata_write(&b, &info, &payload, NULL), ARTBAG_OK);
    assert_int_equal(b.len, 6 + len1);
    assert_memory_equal(b.data, "prefix", 6);
    assert_memory_equal(b.data + 6, one, len1);

    artbag_buf_release(&b);
    free(one);
    free(two);
}

static void test_rejects_bad_input(void **state)
{
    struct artbag_article_info no_title = {.byline = "x"};
    struct artbag_article_info bad_utf8 = {.title = "T", .byline = "caf\xc3"};
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct artbag_error err = {0};

    (void)state;
    assert_int_equal(artbag_metadata_write(&b, &no_title, &payload, &err), ARTBAG_EINTERNAL);
    assert_string_equal(err.msg, "metadata has no title");
    assert_int_equal(b.len, 0);

    /* jansson would refuse the string; the caller must hear "bad input", not "out of memory". */
    assert_int_equal(artbag_metadata_write(&b, &bad_utf8, &payload, &err), ARTBAG_EREJECT);
    assert_string_equal(err.msg, "metadata field 'byline' is not valid UTF-8");
    assert_int_equal(b.len, 0);
    artbag_buf_release(&b);
}

/* Reads and parses a file under $ARTBAG_MANIFESTS; the test fails loudly when it is not set. */
static json_t *load_manifest(const char *name)
{
    const char *dir = getenv("ARTBAG_MANIFESTS");
    char path[4096];
    json_error_t jerr;
    json_t *root;

    if (!dir || !*dir)
        fail_msg("ARTBAG_MANIFESTS is not set (it should name the repository's manifests/)");
    assert_true((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path));
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        fail_msg("'%s': %s (line %d)", path, jerr.text, jerr.line);
    return root;
}

/* Checks that schema_obj's "required" array and "properties" list exactly keys[], in order. */
static void check_schema_lists2(json_t *schema_obj, const char *const *keys, size_t n,
                                const char *const *props_keys, size_t n_props)
{
    json_t *required = json_object_get(schema_obj, "required");
    json_t *props = json_object_get(schema_obj, "properties");
    size_t i;

    assert_true(json_is_array(required));
    assert_int_equal(json_array_size(required), n);
    for (i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(required, i)), keys[i]);
    assert_true(json_is_object(props));
    check_key_order(props, props_keys, n_props);
    assert_true(json_is_false(json_object_get(schema_obj, "additionalProperties")));
}

static void check_schema_lists(json_t *schema_obj, const char *const *keys, size_t n)
{
    json_t *required = json_object_get(schema_obj, "required");
    json_t *props = json_object_get(schema_obj, "properties");
    size_t i;

    assert_true(json_is_array(required));
    assert_int_equal(json_array_size(required), n);
    for (i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(required, i)), keys[i]);
    assert_true(json_is_object(props));
    check_key_order(props, keys, n);
    assert_true(json_is_false(json_object_get(schema_obj, "additionalProperties")));
}

static void test_schema_matches_writer(void **state)
{
    struct artbag_article_info info = {.title = "T"};
    json_t *schema = load_manifest("metadata.schema.json");
    json_t *props, *doc;
    const char *key;
    json_t *value;
    size_t len;
    char *text;

    (void)state;
    check_string(schema, "$schema", "https://json-schema.org/draft/2020-12/schema");
    check_string(schema, "$id", "tag:artbag.org,2026:schema:metadata-1.2");
    check_schema_lists2(schema, top_keys, N_TOP, all_keys, N_ALL);
    props = json_object_get(schema, "properties");
    check_schema_lists(json_object_get(props, "article"), article_keys, 4);
    check_schema_lists(json_object_get(props, "packager"), packager_keys, 2);
    /* an attachment requires the article's keys and may say where a stored-once copy was given */
    check_schema_lists2(json_object_get(json_object_get(props, "attachments"), "items"),
                        article_keys, 4, attachment_keys, 5);

    /* And the other way round: every key the writer emits is one the schema requires. */
    text = write_doc(&info, &len);
    doc = parse(text);
    json_object_foreach(doc, key, value)
    {
        (void)value;
        assert_non_null(json_object_get(props, key));
    }
    json_decref(doc);
    free(text);
    json_decref(schema);
}

static void test_profile_names_our_identifier(void **state)
{
    json_t *profile = load_manifest("artbag-bag-profile.json");
    json_t *info = json_object_get(profile, "BagIt-Profile-Info");
    json_t *manifests = json_object_get(profile, "Manifests-Required");
    json_t *versions = json_object_get(profile, "Accept-BagIt-Version");

    (void)state;
    /* bag-info.txt carries ARTBAG_PROFILE_IDENTIFIER; the profile must claim the same one. */
    assert_true(json_is_object(info));
    check_string(info, "BagIt-Profile-Identifier", ARTBAG_PROFILE_IDENTIFIER);
    /* The profile describes what pack writes: a sha256 manifest in a BagIt 1.0 bag. */
    assert_int_equal(json_array_size(manifests), 1);
    assert_string_equal(json_string_value(json_array_get(manifests, 0)), "sha256");
    assert_int_equal(json_array_size(versions), 1);
    assert_string_equal(json_string_value(json_array_get(versions, 0)), "1.0");
    json_decref(profile);
}

/* Attachments follow the article, each with the article's four keys, and a copy stored once
 * also with the path it was given, after "path"; none leaves no key. */
static void test_attachments(void **state)
{
    static const struct artbag_payload_file atts[] = {
        {"data/attachments/page.html", 12, SHA, "text/html", NULL},
        {"data/attachments/scan.pdf", 0, SHA, "application/pdf", NULL},
        {"data/attachments/page.html", 12, SHA, "text/html", "data/attachments/copy.html"},
    };
    struct artbag_article_info info = {.title = "T"};
    struct artbag_buf b = ARTBAG_BUF_INIT, none = ARTBAG_BUF_INIT;
    struct artbag_payload_file broken = {NULL, 1, SHA, "text/html", NULL};
    struct artbag_error err = {0};
    json_t *doc, *list, *a;
    const char *key, *prev = NULL;
    json_t *value;

    (void)state;
    assert_int_equal(artbag_metadata_write_attached(&b, &info, &payload, atts, 3, &err), ARTBAG_OK);
    doc = parse(b.data);
    list = json_object_get(doc, "attachments");
    assert_int_equal(json_array_size(list), 3);
    check_key_order(json_array_get(list, 2), attachment_keys, 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 2), "given_path")),
                        "data/attachments/copy.html");
    a = json_array_get(list, 0);
    check_key_order(a, article_keys, 4);
    assert_string_equal(json_string_value(json_object_get(a, "path")), atts[0].path);
    assert_int_equal(json_integer_value(json_object_get(a, "bytes")), 12);
    assert_string_equal(json_string_value(json_object_get(a, "sha256")), SHA);
    assert_string_equal(json_string_value(json_object_get(a, "media_type")), "text/html");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "media_type")),
                        "application/pdf");
    json_object_foreach(doc, key, value)
    {
        (void)value;
        if (strcmp(key, "attachments") == 0)
            assert_string_equal(prev, "article");
        prev = key;
    }
    json_decref(doc);

    assert_int_equal(artbag_metadata_write_attached(&none, &info, &payload, NULL, 0, &err),
                     ARTBAG_OK);
    assert_null(strstr(none.data, "attachments"));
    artbag_buf_release(&none);

    /* An incomplete description is the caller's bug, and nothing is appended. */
    b.len = 0;
    assert_int_equal(artbag_metadata_write_attached(&b, &info, &payload, &broken, 1, &err),
                     ARTBAG_EINTERNAL);
    assert_int_equal(b.len, 0);
    artbag_buf_release(&b);
}

static void test_profile_1_3(void **state)
{
    json_t *profile = load_manifest("artbag-bag-profile-1.3.json");
    json_t *info = json_object_get(profile, "BagIt-Profile-Info");

    (void)state;
    /* A bundle with attachments names bundle-1.3; its profile must claim the same one. */
    check_string(info, "BagIt-Profile-Identifier", "tag:artbag.org,2026:bagit-profile:bundle-1.3");
    check_string(info, "Version", "1.3");
    json_decref(profile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_document),
        cmocka_unit_test(test_optional_fields),
        cmocka_unit_test(test_title_only_document),
        cmocka_unit_test(test_deterministic_and_appends),
        cmocka_unit_test(test_rejects_bad_input),
        cmocka_unit_test(test_schema_matches_writer),
        cmocka_unit_test(test_profile_names_our_identifier),
        cmocka_unit_test(test_attachments),
        cmocka_unit_test(test_profile_1_3),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
