/* report.c - the findings of a verification, collected so that every problem is reported,
 * not only the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct artbag_report *artbag_report_new(const char *path)
{
    struct artbag_report *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->path = strdup(path);
    if (!r->path) {
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

int artbag_report_add(struct artbag_report *r, int severity, const char *kind, const char *path,
                      const char *expected, const char *actual, const char *fmt, ...)
{
    struct artbag_problem *grown, *p;
    char msg[ARTBAG_ERROR_MAX];
    va_list ap;
    int oom = 0;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    grown = realloc(r->problems, (r->n_problems + 1) * sizeof(*grown));
    if (!grown)
        return ARTBAG_EIO;
    r->problems = grown;
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
        return ARTBAG_EIO;
    }
    r->n_problems++;
    if (severity == ARTBAG_WARNING)
        r->n_warnings++;
    else
        r->valid = 0;
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
    free(r->problems);
    free(r->algorithms);
    free(r->path);
    free(r->bag);
    free(r);
}

void artbag_report_truncate(struct artbag_report *r, size_t n)
{
    while (r->n_problems > n) {
        struct artbag_problem *p = &r->problems[--r->n_problems];

        if (p->severity == ARTBAG_WARNING)
            r->n_warnings--;
        free(p->path);
        free(p->message);
        free(p->expected);
        free(p->actual);
    }
    r->valid = r->n_problems == r->n_warnings;
    for (size_t i = 0; i < r->n_algorithms; i++)
        free(r->algorithms[i]);
    r->n_algorithms = 0;
}
