/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* report.c - the findings of a verification, collected so that every problem is reported,
 * not only the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bagit/bagit.h"

/* The bookkeeping behind r->counts: room, and the state artbag_report_mark() saved. */
struct artbag_report_state {
    size_t cap_counts, cap_problems;
    size_t mark_problems, mark_counts;
    uint64_t *mark_total, *mark_omitted;    /* per count, at the mark */
    struct artbag_report_identity identity; /* what an audit knows the bag by */
};

struct artbag_report *artbag_report_new(const char *path)
{
    struct artbag_report *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->path = strdup(path);
    r->state = calloc(1, sizeof(*r->state));
    if (!r->path || !r->state) {
        free(r->path);
        free(r->state);
        free(r);
        return NULL;
    }
    r->valid = 1;
    r->complete = 1;
    r->fixity = 1;
    return r;
}

static char *strdup_or_null(const char *s, int *oom)
{
    char *c;

    if (!s)
        return NULL;
    c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

/* The count for kind and severity, made on first use; NULL without memory. Kinds are few (a
 * few dozen static strings), so a short scan is cheaper than any table. */
static struct artbag_finding_count *count_for(struct artbag_report *r, const char *kind,
                                              int severity)
{
    struct artbag_report_state *st = r->state;
    struct artbag_finding_count *c;

    for (size_t i = 0; i < r->n_counts; i++) {
        c = &r->counts[i];
        if (c->severity == severity && (c->kind == kind || strcmp(c->kind, kind) == 0))
            return c;
    }
    if (r->n_counts == st->cap_counts) {
        size_t ncap = st->cap_counts ? st->cap_counts * 2 : 16;

        c = realloc(r->counts, ncap * sizeof(*c));
        if (!c)
            return NULL;
        r->counts = c;
        st->cap_counts = ncap;
    }
    c = &r->counts[r->n_counts++];
    c->kind = kind;
    c->severity = severity;
    c->total = c->omitted = 0;
    return c;
}

int artbag_report_add(struct artbag_report *r, int severity, const char *kind, const char *path,
                      const char *expected, const char *actual, const char *fmt, ...)
{
    struct artbag_problem *grown, *p;
    struct artbag_finding_count *count;
    char msg[ARTBAG_ERROR_MAX];
    va_list ap;
    int oom = 0;

    if (!(count = count_for(r, kind, severity)))
        return ARTBAG_EIO;
    count->total++;
    if (severity != ARTBAG_WARNING)
        r->valid = 0;
    /* Past the caps a finding is only counted: its verdict stands, its text is not kept. */
    if (count->total - count->omitted > ARTBAG_REPORT_KEEP_PER_KIND ||
        r->n_problems >= ARTBAG_REPORT_KEEP) {
        count->omitted++;
        return ARTBAG_OK;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->n_problems == r->state->cap_problems) {
        size_t ncap = r->n_problems ? r->n_problems * 2 : 16;

        grown = realloc(r->problems, ncap * sizeof(*grown));
        if (!grown) {
            count->total--;
            return ARTBAG_EIO;
        }
        r->problems = grown;
        r->state->cap_problems = ncap;
    }
    grown = r->problems;
    p = &grown[r->n_problems];
    p->severity = severity;
    p->kind = kind;
    p->path = strdup_or_null(path, &oom);
    p->expected = strdup_or_null(expected, &oom);
    p->actual = strdup_or_null(actual, &oom);
    p->message = strdup_or_null(msg, &oom);
    if (oom) {
        free(p->path);
        free(p->expected);
        free(p->actual);
        free(p->message);
        count->total--;
        return ARTBAG_EIO;
    }
    r->n_problems++;
    if (severity == ARTBAG_WARNING)
        r->n_warnings++;
    return ARTBAG_OK;
}

int artbag_report_add_algorithm(struct artbag_report *r, const char *name)
{
    char **grown;

    for (size_t i = 0; i < r->n_algorithms; i++)
        if (strcmp(r->algorithms[i], name) == 0)
            return ARTBAG_OK;
    grown = realloc(r->algorithms, (r->n_algorithms + 1) * sizeof(*grown));
    if (!grown)
        return ARTBAG_EIO;
    r->algorithms = grown;
    grown[r->n_algorithms] = strdup(name);
    if (!grown[r->n_algorithms])
        return ARTBAG_EIO;
    r->n_algorithms++;
    return ARTBAG_OK;
}

void artbag_report_free(struct artbag_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_problems; i++) {
        free(r->problems[i].path);
        free(r->problems[i].message);
        free(r->problems[i].expected);
        free(r->problems[i].actual);
    }
    for (size_t i = 0; i < r->n_algorithms; i++)
        free(r->algorithms[i]);
    for (size_t i = 0; i < r->n_signatures; i++) {
        free(r->signatures[i].file);
        free(r->signatures[i].trusted_comment);
    }
    free(r->signatures);
    free(r->counts);
    if (r->state) {
        free(r->state->mark_total);
        free(r->state->mark_omitted);
        free(r->state->identity.external_identifier);
        free(r->state->identity.payload_oxum);
        free(r->state);
    }
    free(r->problems);
    free(r->algorithms);
    free(r->path);
    free(r->bag);
    free(r);
}

int artbag_report_mark(struct artbag_report *r)
{
    struct artbag_report_state *st = r->state;
    uint64_t *t = realloc(st->mark_total, (r->n_counts + 1) * sizeof(*t));

    if (!t)
        return ARTBAG_EIO;
    st->mark_total = t;
    t = realloc(st->mark_omitted, (r->n_counts + 1) * sizeof(*t));
    if (!t)
        return ARTBAG_EIO;
    st->mark_omitted = t;
    for (size_t i = 0; i < r->n_counts; i++) {
        st->mark_total[i] = r->counts[i].total;
        st->mark_omitted[i] = r->counts[i].omitted;
    }
    st->mark_counts = r->n_counts;
    st->mark_problems = r->n_problems;
    return ARTBAG_OK;
}

void artbag_report_rewind(struct artbag_report *r)
{
    struct artbag_report_state *st = r->state;

    while (r->n_problems > st->mark_problems) {
        struct artbag_problem *p = &r->problems[--r->n_problems];

        if (p->severity == ARTBAG_WARNING)
            r->n_warnings--;
        free(p->path);
        free(p->message);
        free(p->expected);
        free(p->actual);
    }
    /* Kinds first seen after the mark go; the others get back their counts at the mark. */
    r->n_counts = st->mark_counts;
    r->valid = 1;
    for (size_t i = 0; i < r->n_counts; i++) {
        r->counts[i].total = st->mark_total[i];
        r->counts[i].omitted = st->mark_omitted[i];
        if (r->counts[i].severity != ARTBAG_WARNING && r->counts[i].total)
            r->valid = 0;
    }
    for (size_t i = 0; i < r->n_algorithms; i++)
        free(r->algorithms[i]);
    r->n_algorithms = 0;
}

int artbag_report_set_identity(struct artbag_report *r, const char *digest, const char *file,
                               const char *external_identifier, const char *payload_oxum)
{
    struct artbag_report_identity *id = &r->state->identity;
    char *ext = external_identifier ? strdup(external_identifier) : NULL;
    char *oxum = payload_oxum ? strdup(payload_oxum) : NULL;

    if ((external_identifier && !ext) || (payload_oxum && !oxum)) {
        free(ext);
        free(oxum);
        return ARTBAG_EIO;
    }
    free(id->external_identifier);
    free(id->payload_oxum);
    snprintf(id->digest, sizeof(id->digest), "%s", digest ? digest : "");
    snprintf(id->file, sizeof(id->file), "%s", file ? file : "");
    id->external_identifier = ext;
    id->payload_oxum = oxum;
    return ARTBAG_OK;
}

const struct artbag_report_identity *artbag_report_identity(const struct artbag_report *r)
{
    return r->state ? &r->state->identity : NULL;
}

int artbag_report_keeps(const struct artbag_report *r, int severity, const char *kind)
{
    if (r->n_problems >= ARTBAG_REPORT_KEEP)
        return 0;
    for (size_t i = 0; i < r->n_counts; i++) {
        const struct artbag_finding_count *c = &r->counts[i];

        if (c->severity == severity && strcmp(c->kind, kind) == 0)
            return c->total - c->omitted < ARTBAG_REPORT_KEEP_PER_KIND;
    }
    return 1;
}

int artbag_report_merge(struct artbag_report *r, const struct artbag_report *src)
{
    for (size_t i = 0; i < src->n_problems; i++) {
        const struct artbag_problem *p = &src->problems[i];

        if (artbag_report_add(r, p->severity, p->kind, p->path, p->expected, p->actual, "%s",
                              p->message) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    /* What src only counted was past its caps, so past r's too: counted here alike. */
    for (size_t i = 0; i < src->n_counts; i++) {
        const struct artbag_finding_count *sc = &src->counts[i];
        struct artbag_finding_count *c;

        if (!sc->omitted)
            continue;
        if (!(c = count_for(r, sc->kind, sc->severity)))
            return ARTBAG_EIO;
        c->total += sc->omitted;
        c->omitted += sc->omitted;
        if (sc->severity != ARTBAG_WARNING)
            r->valid = 0;
    }
    return ARTBAG_OK;
}
