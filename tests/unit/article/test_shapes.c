/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * test_shapes.c - every capture-tool shape in tests/fixtures/shapes/ read by artbag_article_parse
 * and compared, field by field, with its NAME.expected.json (the format is in that folder's
 * README): a field present there must be read with that value, a field absent there must not be
 * read, and the warnings must be the expected ones. Every difference of every fixture is printed
 * before the test fails, so one run shows the whole picture.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include <jansson.h>

#include "ops.h"

static int string_field(const char *fixture, json_t *exp, const char *key, const char *got)
{
    json_t *v = json_object_get(exp, key);
    const char *want = json_string_value(v);

    if (!v && !got)
        return 0;
    if (want && got && !strcmp(want, got))
        return 0;
    print_error("%s: %s: expected %s%s%s, got %s%s%s\n", fixture, key, want ? "\"" : "",
                want ? want : "absent", want ? "\"" : "", got ? "\"" : "", got ? got : "absent",
                got ? "\"" : "");
    return 1;
}

static int list_field(const char *fixture, json_t *exp, const char *key, char **got, size_t n)
{
    json_t *v = json_object_get(exp, key);
    size_t i, want = v ? json_array_size(v) : 0;
    int bad = want != n;

    for (i = 0; !bad && i < n; i++)
        bad = !json_string_value(json_array_get(v, i)) ||
              strcmp(json_string_value(json_array_get(v, i)), got[i]) != 0;
    if (!bad)
        return 0;
    print_error("%s: %s: expected [", fixture, key);
    for (i = 0; i < want; i++)
        print_error("%s\"%s\"", i ? ", " : "", json_string_value(json_array_get(v, i)));
    print_error("], got [");
    for (i = 0; i < n; i++)
        print_error("%s\"%s\"", i ? ", " : "", got[i]);
    print_error("]\n");
    return 1;
}

/* Compares one fixture; returns the number of fields that differ. */
static int check_fixture(const char *dir, const char *name)
{
    char md[8192], exp_path[8192];
    struct artbag_article_info info = {0};
    struct artbag_error err = {0};
    unsigned char *bytes;
    size_t len = 0, base = strlen(name) - 3;
    json_error_t jerr;
    json_t *exp;
    int bad = 0, rc;

    if ((size_t)snprintf(md, sizeof(md), "%s/%s", dir, name) >= sizeof(md) ||
        (size_t)snprintf(exp_path, sizeof(exp_path), "%s/%.*s.expected.json", dir, (int)base,
                         name) >= sizeof(exp_path))
        fail_msg("path too long: '%s/%s'", dir, name);
    bytes = test_read_file(md, &len);
    exp = json_load_file(exp_path, 0, &jerr);
    if (!bytes || !json_is_object(exp))
        fail_msg("cannot read '%s' or '%s'", md, exp_path);
    rc = artbag_article_parse(bytes, len, &info, &err);
    if (rc != ARTBAG_OK) {
        print_error("%s: refused: %s\n", name, err.msg);
        bad = 1;
    } else {
        bad += string_field(name, exp, "title", info.title);
        bad += string_field(name, exp, "url", info.source_url);
        bad += string_field(name, exp, "byline", info.byline);
        bad += string_field(name, exp, "published", info.published);
        bad += string_field(name, exp, "modified", info.modified);
        bad += string_field(name, exp, "retrieved", info.retrieved);
        bad += string_field(name, exp, "description", info.description);
        bad += string_field(name, exp, "language", info.language);
        bad += string_field(name, exp, "site_name", info.site_name);
        bad += string_field(name, exp, "captured_with", info.captured_with);
        bad += list_field(name, exp, "authors", info.authors, info.n_authors);
        bad += list_field(name, exp, "tags", info.tags, info.n_tags);
        bad += list_field(name, exp, "warnings", info.warnings, info.n_warnings);
    }
    artbag_article_info_release(&info);
    json_decref(exp);
    free(bytes);
    return bad;
}

static int md_file(const struct dirent *d)
{
    size_t n = strlen(d->d_name);

    return n > 3 && !strcmp(d->d_name + n - 3, ".md") && strcmp(d->d_name, "README.md") != 0;
}

static void test_every_shape(void **st)
{
    const char *fixtures = getenv("ARTBAG_FIXTURES");
    struct dirent **names = NULL;
    char dir[4096];
    int n, i, bad = 0, failing = 0;

    (void)st;
    if (!fixtures || !*fixtures)
        fail_msg("ARTBAG_FIXTURES is not set; point it at tests/fixtures");
    snprintf(dir, sizeof(dir), "%s/shapes", fixtures);
    n = scandir(dir, &names, md_file, alphasort);
    if (n <= 0)
        fail_msg("no fixtures in '%s'", dir);
    for (i = 0; i < n; i++) {
        int b = check_fixture(dir, names[i]->d_name);

        bad += b;
        failing += b != 0;
        free(names[i]);
    }
    free(names);
    if (bad)
        fail_msg("%d of %d fixtures differ from their expectations (%d fields)", failing, n, bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_shape),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
