/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_report.c - the findings of a verification: kept up to the caps, counted exactly beyond,
 * and rewound to a mark when the checker runs again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bagit/bagit.h"

static const struct artbag_finding_count *count_of(const struct artbag_report *r, const char *kind,
                                                   int severity)
{
    for (size_t i = 0; i < r->n_counts; i++)
        if (strcmp(r->counts[i].kind, kind) == 0 && r->counts[i].severity == severity)
            return &r->counts[i];
    return NULL;
}

static void add(struct artbag_report *r, int severity, const char *kind, int i)
{
    assert_int_equal(artbag_report_add(r, severity, kind, "data/x", NULL, NULL, "n %d", i),
                     ARTBAG_OK);
}

static void test_per_kind_cap(void **state)
{
    struct artbag_report *r = artbag_report_new("b");
    const struct artbag_finding_count *c;

    (void)state;
    assert_non_null(r);
    for (int i = 0; i < 250; i++)
        add(r, ARTBAG_WARNING, "normalization", i);
    assert_int_equal(r->valid, 1); /* warnings only, however many */
    for (int i = 0; i < 3; i++)
        add(r, ARTBAG_PROBLEM, "missing-file", i);
    assert_int_equal(r->n_problems, ARTBAG_REPORT_KEEP_PER_KIND + 3);
    assert_int_equal(r->n_warnings, ARTBAG_REPORT_KEEP_PER_KIND);
    c = count_of(r, "normalization", ARTBAG_WARNING);
    assert_non_null(c);
    assert_int_equal(c->total, 250);
    assert_int_equal(c->omitted, 250 - ARTBAG_REPORT_KEEP_PER_KIND);
    /* The kept ones are the first ones, in order. */
    assert_string_equal(r->problems[0].message, "n 0");
    assert_string_equal(r->problems[ARTBAG_REPORT_KEEP_PER_KIND - 1].message, "n 99");
    assert_int_equal(r->valid, 0);
    artbag_report_free(r);
}

static void test_total_cap(void **state)
{
    static const char *kinds[20] = {"k0",  "k1",  "k2",  "k3",  "k4",  "k5",  "k6",
                                    "k7",  "k8",  "k9",  "k10", "k11", "k12", "k13",
                                    "k14", "k15", "k16", "k17", "k18", "k19"};
    struct artbag_report *r = artbag_report_new("b");
    uint64_t total = 0, omitted = 0;

    (void)state;
    for (int k = 0; k < 20; k++)
        for (int i = 0; i < 90; i++)
            add(r, ARTBAG_PROBLEM, kinds[k], i);
    assert_int_equal(r->n_problems, ARTBAG_REPORT_KEEP);
    for (size_t i = 0; i < r->n_counts; i++) {
        total += r->counts[i].total;
        omitted += r->counts[i].omitted;
    }
    assert_int_equal(total, 20 * 90);
    assert_int_equal(omitted, 20 * 90 - ARTBAG_REPORT_KEEP);
    artbag_report_free(r);
}

static void test_rewind(void **state)
{
    struct artbag_report *r = artbag_report_new("b");
    const struct artbag_finding_count *c;

    (void)state;
    for (int i = 0; i < 120; i++)
        add(r, ARTBAG_WARNING, "archive", i);
    assert_int_equal(artbag_report_mark(r), ARTBAG_OK);
    assert_int_equal(artbag_report_add_algorithm(r, "sha256"), ARTBAG_OK);
    for (int i = 0; i < 30; i++)
        add(r, ARTBAG_WARNING, "archive", i);
    for (int i = 0; i < 130; i++)
        add(r, ARTBAG_PROBLEM, "missing-file", i);
    assert_int_equal(r->valid, 0);
    artbag_report_rewind(r);
    /* As it was at the mark: the later kinds gone, the earlier ones' counts restored. */
    assert_int_equal(r->valid, 1);
    assert_int_equal(r->n_problems, ARTBAG_REPORT_KEEP_PER_KIND);
    assert_int_equal(r->n_warnings, ARTBAG_REPORT_KEEP_PER_KIND);
    assert_int_equal(r->n_algorithms, 0);
    assert_null(count_of(r, "missing-file", ARTBAG_PROBLEM));
    c = count_of(r, "archive", ARTBAG_WARNING);
    assert_int_equal(c->total, 120);
    assert_int_equal(c->omitted, 20);
    /* And the same again gives the same counts, not twice them. */
    for (int i = 0; i < 130; i++)
        add(r, ARTBAG_PROBLEM, "missing-file", i);
    c = count_of(r, "missing-file", ARTBAG_PROBLEM);
    assert_int_equal(c->total, 130);
    assert_int_equal(c->omitted, 30);
    assert_int_equal(r->valid, 0);
    artbag_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_kind_cap),
        cmocka_unit_test(test_total_cap),
        cmocka_unit_test(test_rewind),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
