/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_profile.c - BagIt Profiles: which profiles are refused, and for each rule a bag that
 * follows it and one that does not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bagit/bagit.h"

#define ID "https://example.org/profiles/p-1.json"

struct file {
    const char *path;
    uint64_t size;
};

/* A bag as the checker would describe it. */
struct bag {
    const char *baginfo; /* NULL: no bag-info.txt */
    struct file files[16];
    int major, minor, have_version;
    int container, compression;
};

static struct bag base(void)
{
    struct bag b = {
        "BagIt-Profile-Identifier: " ID "\n"
        "Source-Organization: York University\n"
        "Contact-Name: A. Archivist\n"
        "Contact-Name: B. Archivist\n",
        {{"bagit.txt", 55},
         {"bag-info.txt", 120},
         {"manifest-sha256.txt", 200},
         {"tagmanifest-sha256.txt", 200},
         {"data/a.txt", 5},
         {"data/sub/b.txt", 3}},
        1,
        0,
        1,
        ARTBAG_CONTAINER_TAR,
        ARTBAG_COMPRESSION_GZIP,
    };
    return b;
}

/* Adds a file to the bag, or replaces the size of one already there. */
static void add_file(struct bag *b, const char *path, uint64_t size)
{
    size_t i = 0;

    while (b->files[i].path && strcmp(b->files[i].path, path) != 0)
        i++;
    assert_true(i < 15);
    b->files[i].path = path;
    b->files[i].size = size;
}

static void drop_file(struct bag *b, const char *path)
{
    size_t i = 0;

    while (b->files[i].path && strcmp(b->files[i].path, path) != 0)
        i++;
    for (; b->files[i].path; i++)
        b->files[i] = b->files[i + 1];
}

static int each(void *ctx, artbag_profile_file_fn *fn, void *arg)
{
    const struct bag *b = ctx;
    int rc;

    for (size_t i = 0; b->files[i].path; i++)
        if ((rc = fn(arg, b->files[i].path, b->files[i].size)) != ARTBAG_OK)
            return rc;
    return ARTBAG_OK;
}

/* The profile {"BagIt-Profile-Info": {...ID...} RULES}; rules start with a comma. */
static struct artbag_profile *profile(const char *rules)
{
    char json[4096];
    struct artbag_profile *p = NULL;
    struct artbag_error err = {0};

    snprintf(json, sizeof(json),
             "{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"" ID "\", "
             "\"Source-Organization\": \"Example\", \"Version\": \"1\"}%s}",
             rules);
    if (artbag_profile_parse(json, strlen(json), &p, &err) != ARTBAG_OK)
        fail_msg("profile refused: %s: %s", err.msg, json);
    return p;
}

/* Judges the bag against the profile made of rules; the caller frees the report. */
static struct artbag_report *judge(const char *rules, const struct bag *b)
{
    struct artbag_profile *p = profile(rules);
    struct artbag_report *r = artbag_report_new("bag");
    struct artbag_baginfo info = {0};
    struct artbag_profile_facts f = {0};

    assert_non_null(r);
    if (b->baginfo)
        assert_int_equal(artbag_baginfo_parse(b->baginfo, strlen(b->baginfo), &info, r), ARTBAG_OK);
    f.have_version = b->have_version;
    f.major = b->major;
    f.minor = b->minor;
    f.info = b->baginfo ? &info : NULL;
    f.container = b->container;
    f.compression = b->compression;
    f.each_file = each;
    f.files_ctx = (void *)b;
    assert_int_equal(artbag_profile_judge(p, &f, r), ARTBAG_OK);
    artbag_baginfo_release(&info);
    artbag_profile_free(p);
    return r;
}

/* How many findings of kind "profile" (of any severity) are about path and say text. */
static size_t found(const struct artbag_report *r, const char *path, const char *text)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n_problems; i++) {
        const struct artbag_problem *p = &r->problems[i];

        if (strcmp(p->kind, "profile") != 0)
            continue;
        if (path && (!p->path || strcmp(p->path, path) != 0))
            continue;
        if (!path && p->path)
            continue;
        n += strstr(p->message, text) != NULL;
    }
    return n;
}

static size_t n_profile(const struct artbag_report *r)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n_problems; i++)
        n += strcmp(r->problems[i].kind, "profile") == 0;
    return n;
}

/* The bag follows the rules: no finding at all. */
static void expect_pass(const char *rules, const struct bag *b)
{
    struct artbag_report *r = judge(rules, b);

    for (size_t i = 0; i < r->n_problems; i++)
        print_error("unexpected: '%s': %s\n", r->problems[i].path ? r->problems[i].path : "",
                    r->problems[i].message);
    assert_int_equal(r->n_problems, 0);
    assert_int_equal(r->valid, 1);
    artbag_report_free(r);
}

/* The bag breaks the rules: exactly one problem, about path, saying text. */
static void expect_fail(const char *rules, const struct bag *b, const char *path, const char *text)
{
    struct artbag_report *r = judge(rules, b);

    if (found(r, path, text) != 1 || n_profile(r) != 1)
        for (size_t i = 0; i < r->n_problems; i++)
            print_error("finding: '%s': %s\n", r->problems[i].path ? r->problems[i].path : "",
                        r->problems[i].message);
    assert_int_equal(found(r, path, text), 1);
    assert_int_equal(n_profile(r), 1);
    assert_int_equal(r->valid, 0);
    artbag_report_free(r);
}

/* ---- profiles refused ------------------------------------------------------------------- */

static void expect_refused(const char *json, const char *text)
{
    struct artbag_profile *p = (struct artbag_profile *)1;
    struct artbag_error err = {0};

    assert_int_equal(artbag_profile_parse(json, strlen(json), &p, &err), ARTBAG_EUSAGE);
    assert_null(p);
    if (!strstr(err.msg, text))
        fail_msg("message [%s] does not say [%s]", err.msg, text);
}

#define INFO "\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"" ID "\"}"

static void test_refused(void **state)
{
    (void)state;
    expect_refused("", "not JSON");
    expect_refused("{\"BagIt-Profile-Info\": {", "not JSON");
    expect_refused("[1, 2]", "not a JSON object");
    expect_refused("{}", "no 'BagIt-Profile-Info'");
    expect_refused("{\"BagIt-Profile-Info\": []}", "'BagIt-Profile-Info' must be an object");
    expect_refused("{\"BagIt-Profile-Info\": {\"Version\": \"1\"}}", "'BagIt-Profile-Identifier'");
    expect_refused("{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": 7}}",
                   "'BagIt-Profile-Identifier'");
    expect_refused("{\"BagIt-Profile-Info\": {\"BagIt-Profile-Identifier\": \"\"}}",
                   "'BagIt-Profile-Identifier'");
    expect_refused("{" INFO ", " INFO "}", "duplicate");
    /* Every list rule must be a list of strings. */
    static const char *const lists[] = {
        "Manifests-Required",    "Manifests-Allowed",      "Tag-Manifests-Required",
        "Tag-Manifests-Allowed", "Tag-Files-Required",     "Tag-Files-Allowed",
        "Payload-Files-Allowed", "Payload-Files-Required", "Accept-Serialization",
        "Accept-BagIt-Version",
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        char json[512], want[128];

        snprintf(want, sizeof(want), "'%s' must be a list of strings", lists[i]);
        snprintf(json, sizeof(json), "{" INFO ", \"%s\": \"sha256\"}", lists[i]);
        expect_refused(json, want);
        snprintf(json, sizeof(json), "{" INFO ", \"%s\": [\"a\", 1.0]}", lists[i]);
        expect_refused(json, want);
    }
    static const char *const bools[] = {"Allow-Fetch.txt", "Fetch.txt-Required", "Data-Empty"};
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        char json[512], want[128];

        snprintf(want, sizeof(want), "'%s' must be true or false", bools[i]);
        snprintf(json, sizeof(json), "{" INFO ", \"%s\": \"false\"}", bools[i]);
        expect_refused(json, want);
    }
    expect_refused("{" INFO ", \"Serialization\": \"sometimes\"}", "'Serialization' must be");
    expect_refused("{" INFO ", \"Serialization\": true}", "'Serialization' must be");
    expect_refused("{" INFO ", \"Bag-Info\": []}", "'Bag-Info' must be an object");
    expect_refused("{" INFO ", \"Bag-Info\": {\"X\": true}}", "'Bag-Info': 'X': must be an object");
    expect_refused("{" INFO ", \"Bag-Info\": {\"X\": {\"required\": \"yes\"}}}",
                   "'Bag-Info': 'X': 'required' must be true or false");
    expect_refused("{" INFO ", \"Bag-Info\": {\"X\": {\"repeatable\": 0}}}",
                   "'Bag-Info': 'X': 'repeatable' must be true or false");
    expect_refused("{" INFO ", \"Bag-Info\": {\"X\": {\"values\": \"a\"}}}",
                   "'Bag-Info': 'X': 'values' must be a list of strings");
    /* Rules no bag can satisfy. */
    expect_refused("{" INFO ", \"Manifests-Required\": [\"md5\"], \"Manifests-Allowed\": "
                   "[\"sha256\"]}",
                   "'Manifests-Required' lists 'md5', which 'Manifests-Allowed' does not");
    expect_refused("{" INFO ", \"Tag-Manifests-Required\": [\"md5\"], \"Tag-Manifests-Allowed\": "
                   "[]}",
                   "'Tag-Manifests-Required' lists 'md5'");
    expect_refused("{" INFO ", \"Tag-Files-Required\": [\"DPN/a.txt\"], \"Tag-Files-Allowed\": "
                   "[\"other/*\"]}",
                   "'Tag-Files-Required' lists 'DPN/a.txt'");
    expect_refused("{" INFO ", \"Payload-Files-Required\": [\"data/x/\"], "
                   "\"Payload-Files-Allowed\": [\"data/y/*\"]}",
                   "'Payload-Files-Required' lists 'data/x/'");
    expect_refused("{" INFO ", \"Fetch.txt-Required\": true, \"Allow-Fetch.txt\": false}",
                   "'Fetch.txt-Required' is true but 'Allow-Fetch.txt' is false");
    expect_refused("{" INFO ", \"Serialization\": \"required\"}",
                   "'Accept-Serialization' lists no MIME type");
    expect_refused("{" INFO ", \"Serialization\": \"required\", \"Accept-Serialization\": []}",
                   "'Accept-Serialization' lists no MIME type");
    expect_refused("{" INFO ", \"Accept-BagIt-Version\": []}",
                   "'Accept-BagIt-Version' lists no version");
}

static void test_accepted(void **state)
{
    struct artbag_profile *p = NULL;
    struct artbag_error err = {0};
    const char *json;

    (void)state;
    /* The least a profile can be; and covering patterns that satisfy the required lists. */
    json = "{" INFO "}";
    assert_int_equal(artbag_profile_parse(json, strlen(json), &p, &err), ARTBAG_OK);
    assert_string_equal(artbag_profile_id(p), ID);
    artbag_profile_free(p);
    json = "{" INFO ", \"Tag-Files-Required\": [\"DPN/a.txt\"], \"Tag-Files-Allowed\": "
           "[\"DPN/*\"], \"Payload-Files-Required\": [\"data/x/\", \"data/y.txt\"], "
           "\"Payload-Files-Allowed\": [\"data/x/*\", \"data/*.txt\"], "
           "\"Bag-Info\": {\"A\": {\"description\": 7, \"values\": []}}}";
    assert_int_equal(artbag_profile_parse(json, strlen(json), &p, &err), ARTBAG_OK);
    artbag_profile_free(p);
}

/* ---- each rule, followed and broken ---------------------------------------------------- */

static void test_identifier(void **state)
{
    struct bag b = base();
    struct artbag_report *r;

    (void)state;
    expect_pass("", &b);
    b.baginfo = "Source-Organization: York University\n";
    expect_fail("", &b, "bag-info.txt", "'BagIt-Profile-Identifier' is required by profile '" ID);
    b.baginfo = "BagIt-Profile-Identifier: https://example.org/other.json\n";
    expect_fail("", &b, "bag-info.txt", "'BagIt-Profile-Identifier' does not name profile");
    /* It may repeat, one per profile the bag follows; labels compare ASCII case aside. */
    b.baginfo = "BagIt-Profile-Identifier: https://example.org/other.json\n"
                "bagit-profile-identifier: " ID "\n";
    expect_pass("", &b);
    /* No bag-info.txt at all: the identifier and every required element are missing. */
    b.baginfo = NULL;
    r = judge(", \"Bag-Info\": {\"Source-Organization\": {\"required\": true}}", &b);
    assert_int_equal(found(r, "bag-info.txt", "'BagIt-Profile-Identifier' is required"), 1);
    assert_int_equal(found(r, "bag-info.txt", "'Source-Organization' is required by profile"), 1);
    artbag_report_free(r);
}

static void test_baginfo_required(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Bag-Info\": {\"Source-Organization\": {\"required\": true}}", &b);
    expect_pass(", \"Bag-Info\": {\"source-organization\": {\"required\": true}}", &b);
    expect_pass(", \"Bag-Info\": {\"Contact-Phone\": {\"required\": false}}", &b);
    expect_pass(", \"Bag-Info\": {\"Contact-Phone\": {}}", &b); /* required defaults to false */
    expect_fail(", \"Bag-Info\": {\"Contact-Phone\": {\"required\": true}}", &b, "bag-info.txt",
                "'Contact-Phone' is required by profile '" ID "' (Bag-Info)");
}

static void test_baginfo_values(void **state)
{
    struct bag b = base();
    struct artbag_report *r;

    (void)state;
    expect_pass(", \"Bag-Info\": {\"Source-Organization\": {\"values\": [\"Simon Fraser "
                "University\", \"York University\"]}}",
                &b);
    /* Empty: any value. */
    expect_pass(", \"Bag-Info\": {\"Source-Organization\": {\"values\": []}}", &b);
    /* Absent elements are the "required" rule's business, not the values'. */
    expect_pass(", \"Bag-Info\": {\"Contact-Phone\": {\"values\": [\"1\"]}}", &b);
    expect_fail(", \"Bag-Info\": {\"Source-Organization\": {\"values\": [\"Simon Fraser "
                "University\"]}}",
                &b, "bag-info.txt",
                "line 2: 'Source-Organization' has a value profile '" ID
                "' does not allow (Bag-Info values)");
    /* Every occurrence is checked; the finding says what was found and what is allowed. */
    r = judge(", \"Bag-Info\": {\"Contact-Name\": {\"values\": [\"A. Archivist\"]}}", &b);
    assert_int_equal(found(r, "bag-info.txt", "line 4: 'Contact-Name' has a value"), 1);
    assert_int_equal(n_profile(r), 1);
    assert_string_equal(r->problems[0].actual, "B. Archivist");
    assert_string_equal(r->problems[0].expected, "A. Archivist");
    artbag_report_free(r);
}

static void test_baginfo_repeatable(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Bag-Info\": {\"Contact-Name\": {}}", &b); /* repeatable defaults to true */
    expect_pass(", \"Bag-Info\": {\"Contact-Name\": {\"repeatable\": true}}", &b);
    expect_pass(", \"Bag-Info\": {\"Source-Organization\": {\"repeatable\": false}}", &b);
    expect_fail(", \"Bag-Info\": {\"Contact-Name\": {\"repeatable\": false, \"description\": "
                "\"who to ask\"}}",
                &b, "bag-info.txt",
                "'Contact-Name' is given 2 times, but profile '" ID "' does not let it repeat");
}

static void test_manifests(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Manifests-Required\": [\"sha256\"]", &b);
    expect_pass(", \"Manifests-Required\": []", &b);
    expect_fail(", \"Manifests-Required\": [\"sha256\", \"md5\"]", &b, "manifest-md5.txt",
                "required by profile '" ID "' (Manifests-Required), but missing");
    expect_pass(", \"Manifests-Allowed\": [\"sha256\", \"sha512\"]", &b);
    expect_fail(", \"Manifests-Allowed\": [\"sha512\"]", &b, "manifest-sha256.txt",
                "a payload manifest profile '" ID "' does not allow (Manifests-Allowed)");
    /* An algorithm artbag cannot compute is still a manifest a profile can name. */
    add_file(&b, "manifest-blake3.txt", 10);
    expect_fail(", \"Manifests-Allowed\": [\"sha256\"]", &b, "manifest-blake3.txt",
                "(Manifests-Allowed)");
    expect_pass(", \"Manifests-Required\": [\"blake3\", \"sha256\"]", &b);
    /* A manifest-like name below the top is only a tag file. */
    drop_file(&b, "manifest-blake3.txt");
    add_file(&b, "extra/manifest-md5.txt", 10);
    expect_fail(", \"Manifests-Required\": [\"md5\"]", &b, "manifest-md5.txt",
                "(Manifests-Required)");
}

static void test_tag_manifests(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Tag-Manifests-Required\": [\"sha256\"]", &b);
    expect_fail(", \"Tag-Manifests-Required\": [\"sha512\"]", &b, "tagmanifest-sha512.txt",
                "required by profile '" ID "' (Tag-Manifests-Required), but missing");
    expect_pass(", \"Tag-Manifests-Allowed\": [\"sha256\"]", &b);
    expect_fail(", \"Tag-Manifests-Allowed\": [\"md5\"]", &b, "tagmanifest-sha256.txt",
                "a tag manifest profile '" ID "' does not allow (Tag-Manifests-Allowed)");
    /* No tag manifest at all breaks a required one only. */
    drop_file(&b, "tagmanifest-sha256.txt");
    expect_pass(", \"Tag-Manifests-Allowed\": [\"md5\"]", &b);
}

static void test_fetch(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Allow-Fetch.txt\": false", &b);
    expect_pass(", \"Allow-Fetch.txt\": true", &b);
    expect_fail(", \"Fetch.txt-Required\": true", &b, "fetch.txt",
                "required by profile '" ID "' (Fetch.txt-Required), but missing");
    add_file(&b, "fetch.txt", 40);
    expect_pass("", &b); /* allowed unless the profile says otherwise */
    expect_pass(", \"Fetch.txt-Required\": true", &b);
    expect_fail(", \"Allow-Fetch.txt\": false", &b, "fetch.txt",
                "not allowed by profile '" ID "' (Allow-Fetch.txt)");
}

static void test_serialization(void **state)
{
    struct bag b = base();
    const char *req = ", \"Serialization\": \"required\", \"Accept-Serialization\": "
                      "[\"application/zip\", \"application/x-tar+gzip\"]";

    (void)state;
    expect_pass(req, &b);
    b.container = ARTBAG_CONTAINER_ZIP;
    b.compression = ARTBAG_COMPRESSION_NONE;
    expect_pass(req, &b);
    b.container = ARTBAG_CONTAINER_DIR;
    expect_fail(req, &b, NULL,
                "profile '" ID "' requires a serialized bag, and this is a directory "
                "(Serialization)");
    expect_pass(", \"Serialization\": \"forbidden\"", &b);
    expect_pass(", \"Serialization\": \"optional\", \"Accept-Serialization\": "
                "[\"application/zip\"]",
                &b);
    expect_pass("", &b); /* optional by default */
    b.container = ARTBAG_CONTAINER_TAR;
    b.compression = ARTBAG_COMPRESSION_XZ;
    expect_fail(", \"Serialization\": \"forbidden\"", &b, NULL,
                "profile '" ID "' forbids serialization, and this bag was read from a tar+xz");
    expect_fail(", \"Serialization\": \"optional\", \"Accept-Serialization\": "
                "[\"application/zip\"]",
                &b, NULL,
                "serialized as tar+xz (application/x-xz), which profile '" ID
                "' does not accept (Accept-Serialization)");
    expect_pass(", \"Serialization\": \"optional\"", &b); /* no list: no constraint */
    /* A reader that did not say what it read gets no verdict either way. */
    b.container = ARTBAG_CONTAINER_UNKNOWN;
    expect_pass(", \"Serialization\": \"forbidden\"", &b);
    expect_pass(req, &b);
}

/* Which MIME types name what verify read, and which do not. */
static void test_serialization_types(void **state)
{
    static const struct {
        int container, compression;
        const char *mime;
        int ok;
    } cases[] = {
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_NONE, "application/x-tar", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_NONE, "application/tar", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_NONE, "application/gzip", 0},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/gzip", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/x-gzip", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/x-tar+gzip", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "Application/X-Tar+Gzip", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/tar+gzip", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/x-tar", 0},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_GZIP, "application/zip", 0},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_BZIP2, "application/x-bzip2", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_BZIP2, "application/gzip", 0},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_XZ, "application/x-xz", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_ZSTD, "application/zstd", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_LZMA, "application/x-lzma", 1},
        {ARTBAG_CONTAINER_TAR, ARTBAG_COMPRESSION_OTHER, "application/x-tar", 0},
        {ARTBAG_CONTAINER_ZIP, ARTBAG_COMPRESSION_NONE, "application/zip", 1},
        {ARTBAG_CONTAINER_ZIP, ARTBAG_COMPRESSION_NONE, "application/x-zip-compressed", 1},
        {ARTBAG_CONTAINER_ZIP, ARTBAG_COMPRESSION_NONE, "application/x-tar", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bag b = base();
        char rules[256];
        struct artbag_report *r;

        b.container = cases[i].container;
        b.compression = cases[i].compression;
        snprintf(rules, sizeof(rules),
                 ", \"Serialization\": \"required\", \"Accept-Serialization\": [\"%s\"]",
                 cases[i].mime);
        r = judge(rules, &b);
        if (n_profile(r) != (cases[i].ok ? 0u : 1u))
            fail_msg("case %zu (%s): %zu findings", i, cases[i].mime, n_profile(r));
        if (!cases[i].ok)
            assert_int_equal(found(r, NULL, "(Accept-Serialization)"), 1);
        artbag_report_free(r);
    }
}

static void test_bagit_version(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Accept-BagIt-Version\": [\"0.97\", \"1.0\"]", &b);
    expect_fail(", \"Accept-BagIt-Version\": [\"0.96\", \"0.97\"]", &b, "bagit.txt",
                "BagIt-Version 1.0 is not one profile '" ID "' accepts (Accept-BagIt-Version)");
    b.major = 0;
    b.minor = 97;
    expect_pass(", \"Accept-BagIt-Version\": [\"0.97\"]", &b);
    b.have_version = 0; /* bagit.txt unreadable: not a version the profile lists */
    expect_fail(", \"Accept-BagIt-Version\": [\"0.97\"]", &b, "bagit.txt", "BagIt-Version unknown");
    expect_pass("", &b);
}

static void test_tag_files_required(void **state)
{
    struct bag b = base();
    const char *rules = ", \"Tag-Files-Required\": [\"DPN/dpnFirstNode.txt\"]";

    (void)state;
    expect_fail(rules, &b, "DPN/dpnFirstNode.txt",
                "required by profile '" ID "' (Tag-Files-Required), but missing");
    add_file(&b, "DPN/dpnFirstNode.txt", 12);
    expect_pass(rules, &b);
    /* A payload file of the same name is not the tag file. */
    expect_fail(", \"Tag-Files-Required\": [\"a.txt\"]", &b, "a.txt", "(Tag-Files-Required)");
}

static void test_tag_files_allowed(void **state)
{
    struct bag b = base();

    (void)state;
    /* BagIt's own files are not governed by the list, so an empty list allows them. */
    expect_pass(", \"Tag-Files-Allowed\": []", &b);
    add_file(&b, "DPN/dpnFirstNode.txt", 12);
    add_file(&b, "DPN/deep/registry", 12);
    expect_pass(", \"Tag-Files-Allowed\": [\"DPN/*\"]", &b); /* '*' crosses '/' */
    expect_pass(", \"Tag-Files-Allowed\": [\"*\"]", &b);
    expect_pass(", \"Tag-Files-Allowed\": [\"DPN/dpnFirstNode.txt\", \"DPN/deep/?egistry\"]", &b);
    expect_fail(", \"Tag-Files-Allowed\": [\"DPN/*.txt\", \"*.xml\"]", &b, "DPN/deep/registry",
                "a tag file profile '" ID "' does not allow (Tag-Files-Allowed)");
    add_file(&b, "tagmanifest-sha256.txt.minisig", 300);
    expect_fail(", \"Tag-Files-Allowed\": [\"DPN/*\"]", &b, "tagmanifest-sha256.txt.minisig",
                "(Tag-Files-Allowed)");
}

static void test_payload_files_required(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Payload-Files-Required\": [\"data/a.txt\", \"data/sub/\"]", &b);
    expect_fail(", \"Payload-Files-Required\": [\"data/a.txt\", \"data/LICENSE.txt\"]", &b,
                "data/LICENSE.txt",
                "required by profile '" ID "' (Payload-Files-Required), but missing");
    expect_fail(", \"Payload-Files-Required\": [\"data/src/\"]", &b, "data/src/",
                "(Payload-Files-Required)");
    /* A directory name is not a file. */
    expect_fail(", \"Payload-Files-Required\": [\"data/sub\"]", &b, "data/sub",
                "(Payload-Files-Required)");
}

static void test_payload_files_allowed(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Payload-Files-Allowed\": [\"data/*\"]", &b);
    expect_pass(", \"Payload-Files-Allowed\": [\"data/*.txt\"]", &b);
    expect_pass(", \"Payload-Files-Allowed\": [\"data/a.txt\", \"data/sub/*\"]", &b);
    expect_fail(", \"Payload-Files-Allowed\": [\"data/a.txt\", \"data/other/*\"]", &b,
                "data/sub/b.txt",
                "a payload file profile '" ID "' does not allow (Payload-Files-Allowed)");
}

static void test_data_empty(void **state)
{
    struct bag b = base();

    (void)state;
    expect_pass(", \"Data-Empty\": false", &b);
    expect_fail(", \"Data-Empty\": true", &b, "data",
                "holds 2 files, but profile '" ID "' asks for an empty payload");
    drop_file(&b, "data/sub/b.txt");
    expect_fail(", \"Data-Empty\": true", &b, "data/a.txt",
                "holds 5 bytes, but profile '" ID "' asks for an empty payload");
    add_file(&b, "data/a.txt", 0);
    expect_pass(", \"Data-Empty\": true", &b);
    drop_file(&b, "data/a.txt");
    expect_pass(", \"Data-Empty\": true", &b);
}

/* Keys the specification does not have are said, not silently dropped: a misspelt rule. */
static void test_unknown_keys(void **state)
{
    struct bag b = base();
    struct artbag_report *r;

    (void)state;
    r = judge(", \"Manifest-Required\": [\"md5\"], \"Bag-Info\": {\"A\": {\"regex\": \"x\"}}", &b);
    assert_int_equal(r->valid, 1);
    assert_int_equal(r->n_warnings, 2);
    assert_int_equal(found(r, NULL, "'Manifest-Required' is not a rule"), 1);
    assert_int_equal(found(r, NULL, "'regex' is not a rule"), 1);
    artbag_report_free(r);
}

/* Everything at once: each departure is its own finding. */
static void test_all_findings(void **state)
{
    struct bag b = base();
    struct artbag_report *r;

    (void)state;
    b.container = ARTBAG_CONTAINER_DIR;
    add_file(&b, "fetch.txt", 1);
    add_file(&b, "junk.txt", 1);
    r = judge(", \"Bag-Info\": {\"Contact-Phone\": {\"required\": true}, \"Contact-Name\": "
              "{\"repeatable\": false}}, \"Manifests-Required\": [\"md5\"], \"Allow-Fetch.txt\": "
              "false, \"Serialization\": \"required\", \"Accept-Serialization\": "
              "[\"application/zip\"], \"Accept-BagIt-Version\": [\"0.97\"], \"Tag-Files-Allowed\": "
              "[\"DPN/*\"], \"Data-Empty\": true",
              &b);
    assert_int_equal(n_profile(r), 8);
    artbag_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_identifier),
        cmocka_unit_test(test_baginfo_required),
        cmocka_unit_test(test_baginfo_values),
        cmocka_unit_test(test_baginfo_repeatable),
        cmocka_unit_test(test_manifests),
        cmocka_unit_test(test_tag_manifests),
        cmocka_unit_test(test_fetch),
        cmocka_unit_test(test_serialization),
        cmocka_unit_test(test_serialization_types),
        cmocka_unit_test(test_bagit_version),
        cmocka_unit_test(test_tag_files_required),
        cmocka_unit_test(test_tag_files_allowed),
        cmocka_unit_test(test_payload_files_required),
        cmocka_unit_test(test_payload_files_allowed),
        cmocka_unit_test(test_data_empty),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_all_findings),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
