/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* audit.c - artbag_audit_run(): finds the bundles under the paths given, picks those due,
 * verifies them on worker threads, records one ledger event per check in walk order, and says
 * what changed since the ledger last saw each bundle. */
#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "audit.h"

/* A bundle found by the walk. */
struct item {
    char *path;      /* absolute */
    const char *rel; /* inside path: relative to the PATH given, for the shard */
    int is_dir;
    uint64_t size;
    int64_t mtime;
};

/* What the ledger said of a path before this audit: its latest event. */
struct prior {
    char *path, *identity, *outcome, *last_valid;
    int64_t size, mtime;
    int seen; /* found by this walk */
};

struct list {
    struct item *items;
    size_t n, cap;
};

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int list_add(struct list *l, const char *path, size_t root_len, int is_dir,
                    const struct stat *st)
{
    struct item *it;

    if (l->n == l->cap) {
        struct item *g = artbag_array_grow(l->items, &l->cap, l->n, sizeof(*g), 64);

        if (!g)
            return ARTBAG_EIO;
        l->items = g;
    }
    it = &l->items[l->n];
    memset(it, 0, sizeof(*it));
    if (!(it->path = strdup(path)))
        return ARTBAG_EIO;
    /* The root itself (a bundle named on the command line) is known by its file name. */
    if (root_len < strlen(path))
        it->rel = it->path + root_len + (path[root_len] == '/');
    else
        it->rel = strrchr(it->path, '/') ? strrchr(it->path, '/') + 1 : it->path;
    it->is_dir = is_dir;
    if (st) {
        it->size = is_dir ? 0 : (uint64_t)st->st_size;
        it->mtime = (int64_t)st->st_mtime;
    }
    l->n++;
    return ARTBAG_OK;
}

/* A bag directory: bagit.txt, a regular file, at its top (not followed through a link). */
static int is_bag_dir(const char *dir)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    struct stat st;
    int yes;

    if (artbag_buf_printf(&b, "%s/bagit.txt", dir) != ARTBAG_OK) {
        artbag_buf_release(&b);
        return 0;
    }
    yes = lstat(b.data, &st) == 0 && S_ISREG(st.st_mode);
    artbag_buf_release(&b);
    return yes;
}

static int by_name(const FTSENT **a, const FTSENT **b)
{
    return strcmp((*a)->fts_name, (*b)->fts_name);
}

/*
 * Every bundle under root (absolute): archives by name and bag directories, whose insides are
 * not walked. What cannot be read below the root is listed anyway, so that checking it fails
 * with the reason and an audit never passes over a bundle in silence.
 */
static int walk(struct list *l, const char *root, struct artbag_error *err)
{
    char *const roots[] = {(char *)root, NULL};
    size_t root_len = strlen(root);
    FTS *fts;
    FTSENT *e;
    int rc = ARTBAG_OK, oom_said = 0;

    fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
    if (!fts)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", root, strerror(errno));
    while (rc == ARTBAG_OK) {
        errno = 0;
        if (!(e = fts_read(fts))) {
            if (errno)
                rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", root, strerror(errno));
            break;
        }
        switch (e->fts_info) {
        case FTS_F:
            if (e->fts_level == 0 || artbag_is_bundle_name(e->fts_name))
                rc = list_add(l, e->fts_path, root_len, 0, e->fts_statp);
            break;
        case FTS_D:
            if (e->fts_pathlen >= PATH_MAX || is_bag_dir(e->fts_path)) {
                rc = list_add(l, e->fts_path, root_len, 1, e->fts_statp);
                fts_set(fts, e, FTS_SKIP);
            }
            break;
        case FTS_DNR:
        case FTS_ERR:
        case FTS_NS:
            if (e->fts_level == 0)
                rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", e->fts_path,
                                      strerror(e->fts_errno));
            else
                rc = list_add(l, e->fts_path, root_len, 0, NULL);
            break;
        default:
            break;
        }
        if (rc != ARTBAG_OK && !oom_said && e->fts_info != FTS_DNR && e->fts_info != FTS_ERR &&
            e->fts_info != FTS_NS)
            oom_said = 1, artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    fts_close(fts);
    return rc;
}

/* The shard of a path relative to its root: the first 8 bytes of its SHA-256, big-endian, mod
 * n. Every node computes the same split from the same names, whatever order it walks in. */
static unsigned shard_of(const char *rel, unsigned n)
{
    unsigned char md[32];
    unsigned len = 0;
    uint64_t v = 0;

    EVP_Digest(rel, strlen(rel), md, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 8; i++)
        v = v << 8 | md[i];
    return (unsigned)(v % n);
}

static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->path, ((const struct item *)b)->path);
}

static int prior_cmp(const void *key, const void *p)
{
    return strcmp(key, ((const struct prior *)p)->path);
}

/* The ledger's latest event for path, or NULL (bsearch may not be given an empty NULL array). */
static struct prior *prior_find(struct prior *prior, size_t n, const char *path)
{
    return n ? bsearch(path, prior, n, sizeof(*prior), prior_cmp) : NULL;
}

static char *dup_col(sqlite3_stmt *st, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    char *s;

    if (!t)
        return NULL;
    if (!(s = strdup((const char *)t)))
        *oom = 1;
    return s;
}

/* Each path's latest event, and when it last checked valid, in byte order of path. */
static int load_prior(struct artbag_ledger *l, struct prior **out, size_t *n,
                      struct artbag_error *err)
{
    static const char sql[] =
        "SELECT e.path, e.size, e.mtime, e.identity, e.outcome,"
        " (SELECT max(v.time) FROM events v WHERE v.path = e.path AND v.outcome = 'valid')"
        " FROM events e JOIN (SELECT path, max(id) AS id FROM events GROUP BY path) m"
        " ON e.id = m.id ORDER BY e.path";
    sqlite3_stmt *st = NULL;
    struct prior *p = NULL;
    size_t cap = 0;
    int src, oom = 0;

    *out = NULL;
    *n = 0;
    src = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);
    while (src == SQLITE_OK && !oom && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            struct prior *g = artbag_array_grow(p, &cap, *n, sizeof(*g), 256);

            if (!g) {
                oom = 1;
                break;
            }
            p = g;
        }
        memset(&p[*n], 0, sizeof(p[*n]));
        p[*n].path = dup_col(st, 0, &oom);
        p[*n].size = sqlite3_column_int64(st, 1);
        p[*n].mtime = sqlite3_column_int64(st, 2);
        p[*n].identity = dup_col(st, 3, &oom);
        p[*n].outcome = dup_col(st, 4, &oom);
        p[*n].last_valid = dup_col(st, 5, &oom);
        (*n)++;
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    *out = p;
    if (oom)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (src != SQLITE_DONE)
        return artbag_ledger_fail(l, src, "reading the ledger", err);
    return ARTBAG_OK;
}

static void prior_free(struct prior *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].path);
        free(p[i].identity);
        free(p[i].outcome);
        free(p[i].last_valid);
    }
    free(p);
}

/* ---- checking on worker threads ---------------------------------------------------------- */

struct slot {
    size_t item;
    int state; /* 0 waiting, 1 taken, 2 done */
    int rc, cancelled;
    struct artbag_report *r;
    struct artbag_error err;
    char time[32];
    int64_t duration_ms;
    struct artbag_ledger_event ev; /* as recorded, for the report */
    int recorded;                  /* committed (the recording thread's alone) */
};

/* The most finished checks recorded in one ledger transaction (artbag_ledger_append_n). */
#define RECORD_BATCH 64

struct pool {
    struct list *list;
    struct slot *slots;
    size_t n, next;
    size_t *fin, n_fin; /* the slots finished, in the order they finished */
    int threads;
    int64_t start_ms, budget_ms;
    uint64_t max_bytes, bytes_started;
    int stop, stopped_by_budget;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void *worker(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        struct artbag_verify_options vo;
        struct slot *s;

        pthread_mutex_lock(&p->mu);
        if (!p->stop && p->next < p->n) {
            uint64_t size = p->list->items[p->slots[p->next].item].size;

            /* The budget is checked before a bundle starts: a check once begun is finished, so
             * the ledger records it and the next night need not repeat it. */
            if ((p->budget_ms && mono_ms() - p->start_ms >= p->budget_ms) ||
                (p->max_bytes && p->bytes_started >= p->max_bytes)) {
                p->stop = p->stopped_by_budget = 1;
                pthread_cond_broadcast(&p->cv);
            } else {
                p->bytes_started += size;
            }
        }
        if (p->stop || p->next >= p->n || artbag_cancelled()) {
            p->stop = p->stop || artbag_cancelled();
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        s = &p->slots[p->next++];
        s->state = 1;
        pthread_mutex_unlock(&p->mu);

        artbag_verify_options_init(&vo);
        vo.threads = p->threads > 1 ? 1 : 0; /* the bundles are the parallelism */
        artbag_ledger_now(s->time);
        {
            int64_t t0 = mono_ms();

            s->rc = artbag_verify(p->list->items[s->item].path, &vo, &s->r, &s->err);
            s->duration_ms = mono_ms() - t0;
        }
        s->cancelled = artbag_cancelled();
        pthread_mutex_lock(&p->mu);
        s->state = 2;
        p->fin[p->n_fin++] = (size_t)(s - p->slots);
        if (s->cancelled)
            p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* ---- recording --------------------------------------------------------------------------- */

/* A JSON string of s; bytes that are not UTF-8 written as \xNN text, so nothing is lost. */
static json_t *json_text(const char *s)
{
    json_t *j;
    struct artbag_buf b = ARTBAG_BUF_INIT;
    char *t;

    if (!s)
        return json_null();
    if ((j = json_string(s)))
        return j;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x80 ? artbag_buf_append(&b, p, 1) : artbag_buf_printf(&b, "\\x%02x", *p))
            break;
    t = artbag_buf_detach(&b, NULL);
    j = t ? json_string(t) : NULL;
    free(t);
    return j ? j : json_string("");
}

static char *problems_json(const struct artbag_report *r, const struct artbag_error *err)
{
    json_t *a = json_array();
    char *s;

    if (!r) {
        json_array_append_new(a, json_pack("{s:s, s:s, s:n, s:o}", "severity", "problem", "kind",
                                           "io", "path", "message", json_text(err->msg)));
    } else {
        for (size_t i = 0; i < r->n_problems; i++) {
            const struct artbag_problem *p = &r->problems[i];

            json_array_append_new(
                a, json_pack("{s:s, s:s, s:o, s:o}", "severity",
                             p->severity == ARTBAG_WARNING ? "warning" : "problem", "kind", p->kind,
                             "path", json_text(p->path), "message", json_text(p->message)));
        }
    }
    s = json_dumps(a, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(a);
    return s;
}

struct changes {
    struct artbag_audit_change *v;
    size_t n, cap;
};

static int change_add(struct changes *c, const char *kind, const char *path, const char *old,
                      const char *identity, uint64_t copies)
{
    struct artbag_audit_change *ch;

    if (c->n == c->cap) {
        struct artbag_audit_change *g = artbag_array_grow(c->v, &c->cap, c->n, sizeof(*g), 16);

        if (!g)
            return ARTBAG_EIO;
        c->v = g;
    }
    ch = &c->v[c->n++];
    memset(ch, 0, sizeof(*ch));
    ch->kind = kind;
    ch->copies = copies;
    ch->path = strdup(path);
    ch->old_path = old ? strdup(old) : NULL;
    ch->identity = identity ? strdup(identity) : NULL;
    if (!ch->path || (old && !ch->old_path) || (identity && !ch->identity))
        return ARTBAG_EIO;
    return ARTBAG_OK;
}

/* Counts a recorded check, notes what changed against the path's latest event before this
 * audit, and hands it to on_event; then frees its report. */
static int report_event(struct slot *s, const struct list *list, struct prior *prior,
                        size_t n_prior, struct changes *ch, struct artbag_audit_result *res,
                        size_t n_due, const struct artbag_audit_options *o,
                        struct artbag_error *err)
{
    const struct item *it = &list->items[s->item];
    const struct prior *p = prior_find(prior, n_prior, it->path);
    const struct artbag_ledger_event *ev = &s->ev;
    struct artbag_audit_event pub;
    int rc = ARTBAG_OK;

    res->checked++;
    res->bytes += it->size;
    if (strcmp(ev->outcome, "valid") == 0)
        res->valid++;
    else if (strcmp(ev->outcome, "invalid") == 0)
        res->invalid++;
    else
        res->unreadable++;
    if (!p || strcmp(p->outcome, "missing") == 0) {
        rc = change_add(ch, "new", it->path, NULL, ev->identity, 0);
    } else {
        int was_ok = strcmp(p->outcome, "valid") == 0, is_ok = strcmp(ev->outcome, "valid") == 0;

        if (p->identity && ev->identity && strcmp(p->identity, ev->identity) != 0)
            rc = change_add(ch, "replaced", it->path, NULL, ev->identity, 0);
        if (rc == ARTBAG_OK && was_ok && !is_ok)
            rc = change_add(ch, "failing", it->path, NULL, ev->identity, 0);
        else if (rc == ARTBAG_OK && !was_ok && is_ok)
            rc = change_add(ch, "recovered", it->path, NULL, ev->identity, 0);
    }
    if (rc != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (rc == ARTBAG_OK && o->on_event) {
        memset(&pub, 0, sizeof(pub));
        pub.id = ev->id;
        pub.time = ev->time;
        pub.duration_ms = ev->duration_ms;
        pub.path = ev->path;
        pub.size = (uint64_t)ev->size;
        pub.mtime = ev->mtime;
        pub.identity = ev->identity;
        pub.external_identifier = ev->external_identifier;
        pub.payload_oxum = ev->payload_oxum;
        pub.outcome = ev->outcome;
        pub.report = s->rc == ARTBAG_OK ? s->r : NULL;
        pub.error = s->rc == ARTBAG_OK ? NULL : s->err.msg;
        o->on_event(o->ctx, &pub);
    }
    artbag_call_items(res->checked, n_due, res->bytes);
    artbag_report_free(s->r);
    s->r = NULL;
    return rc;
}

void artbag_audit_options_init(struct artbag_audit_options *o)
{
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
}

void artbag_audit_result_free(struct artbag_audit_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_changes; i++) {
        free(r->changes[i].path);
        free(r->changes[i].old_path);
        free(r->changes[i].identity);
    }
    free(r->changes);
    free(r);
}

/* The unfinished audit row with the same roots and shard, when there is one (*resumed). */
static int find_resumable(struct artbag_ledger *l, const char *roots, const char *shard,
                          int64_t *id, int *resumed, struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    int src;

    *resumed = 0;
    src = sqlite3_prepare_v2(l->db,
                             "SELECT id, finished FROM audits WHERE roots = ? AND shard = ?"
                             " ORDER BY id DESC LIMIT 1",
                             -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(st, 1, roots, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, shard, -1, SQLITE_STATIC);
        if ((src = sqlite3_step(st)) == SQLITE_ROW) {
            if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
                *id = sqlite3_column_int64(st, 0);
                *resumed = 1;
            }
            src = SQLITE_DONE;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_DONE)
        return artbag_ledger_fail(l, src, "reading the ledger", err);
    return ARTBAG_OK;
}

/* A new audit row; *id gets its id. */
static int insert_audit(struct artbag_ledger *l, const char *roots, const char *shard,
                        const char *agent, const char *host, int64_t *id, struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    int src;

    artbag_ledger_now(now);
    src = sqlite3_prepare_v2(l->db,
                             "INSERT INTO audits (started, agent, host, roots, shard)"
                             " VALUES (?, ?, ?, ?, ?)",
                             -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, agent, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, host, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, roots, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, shard, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return artbag_ledger_fail(l, src, "starting the audit", err);
    *id = sqlite3_last_insert_rowid(l->db);
    return ARTBAG_OK;
}

/* The paths this (resumed) audit has recorded already, sorted. */
static int load_done(struct artbag_ledger *l, int64_t audit, char ***out, size_t *n,
                     struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t cap = 0;
    int src, oom = 0;

    *n = 0;
    src = sqlite3_prepare_v2(
        l->db, "SELECT DISTINCT path FROM events WHERE audit = ? ORDER BY path", -1, &st, NULL);
    if (src == SQLITE_OK)
        sqlite3_bind_int64(st, 1, audit);
    while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            char **g = artbag_array_grow(v, &cap, *n, sizeof(*g), 64);

            if (!g) {
                oom = 1;
                break;
            }
            v = g;
        }
        v[(*n)++] = dup_col(st, 0, &oom);
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    *out = v;
    if (oom)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    return src == SQLITE_DONE ? ARTBAG_OK : artbag_ledger_fail(l, src, "reading the ledger", err);
}

static int str_cmp(const void *key, const void *p)
{
    return strcmp(key, *(char *const *)p);
}

/* Due order: never checked valid first, then the longest unchecked, then by path. */
struct due {
    size_t item;
    const char *last_valid; /* NULL sorts first */
};

static int due_cmp(const void *a, const void *b)
{
    const struct due *x = a, *y = b;

    if (!x->last_valid != !y->last_valid)
        return x->last_valid ? 1 : -1;
    if (x->last_valid) {
        int c = strcmp(x->last_valid, y->last_valid);

        if (c)
            return c;
    }
    return x->item < y->item ? -1 : x->item > y->item;
}

/* The ledger time of now minus secs, to the millisecond as events record it. */
static void cutoff_time(int64_t secs, char out[32])
{
    struct timespec ts;
    struct tm tm;
    time_t t;

    clock_gettime(CLOCK_REALTIME, &ts);
    t = ts.tv_sec - (time_t)secs;
    gmtime_r(&t, &tm);
    if (strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm) != 19)
        snprintf(out, 20, "0000-00-00T00:00:00");
    snprintf(out + 19, 13, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static int duplicates(struct artbag_ledger *l, struct changes *ch, struct artbag_error *err)
{
    static const char sql[] =
        "WITH cur AS (SELECT e.path, e.identity FROM events e JOIN"
        "  (SELECT path, max(id) AS id FROM events GROUP BY path) m ON e.id = m.id"
        "  WHERE e.outcome != 'missing' AND e.identity IS NOT NULL),"
        " dup AS (SELECT identity, count(*) AS n FROM cur GROUP BY identity HAVING count(*) > 1)"
        " SELECT cur.identity, cur.path, dup.n FROM cur JOIN dup USING (identity)"
        " ORDER BY cur.identity, cur.path";
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);

    while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (change_add(ch, "duplicate", (const char *)sqlite3_column_text(st, 1), NULL,
                       (const char *)sqlite3_column_text(st, 0),
                       (uint64_t)sqlite3_column_int64(st, 2)) != ARTBAG_OK) {
            sqlite3_finalize(st);
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        }
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return src == SQLITE_DONE ? ARTBAG_OK : artbag_ledger_fail(l, src, "reading the ledger", err);
}

/* Roots, made absolute (the ledger records absolute paths), as a JSON array for the audit. */
static int resolve_roots(const char *const *paths, size_t n, char ***out, struct artbag_error *err)
{
    char **r = calloc(n ? n : 1, sizeof(*r));

    *out = r;
    if (!r)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!(r[i] = realpath(paths[i], NULL)))
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", paths[i], strerror(errno));
    return ARTBAG_OK;
}

/* Under root: the root itself, or below it. */
static int under(const char *path, const char *root)
{
    size_t n = strlen(root);

    if (strncmp(path, root, n) != 0)
        return 0;
    return path[n] == '\0' || path[n] == '/' || (n == 1 && root[0] == '/');
}

static int audit_run(struct artbag_ledger *l, const char *const *paths, size_t n_paths,
                     const struct artbag_audit_options *o, struct artbag_audit_result **out,
                     struct artbag_error *err);

/* The public call: the caller's options over our defaults (see artbag_options_adopt), and the
 * call's token and progress for the walk, the checks (the workers adopt the token) and the
 * recording. */
int artbag_audit_run(struct artbag_ledger *l, const char *const *paths, size_t n_paths,
                     const struct artbag_audit_options *o, struct artbag_audit_result **out,
                     struct artbag_error *err)
{
    struct artbag_audit_options opts;
    struct artbag_call call;
    int rc;

    *out = NULL;
    artbag_audit_options_init(&opts);
    if ((rc = artbag_options_adopt(&opts, sizeof(opts), o, "audit", err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "audit", opts.cancel, opts.on_progress, opts.progress_ctx);
    rc = audit_run(l, paths, n_paths, &opts, out, err);
    artbag_call_leave(&call);
    return rc;
}

static int audit_run(struct artbag_ledger *l, const char *const *paths, size_t n_paths,
                     const struct artbag_audit_options *o, struct artbag_audit_result **out,
                     struct artbag_error *err)
{
    struct artbag_audit_result *res = NULL;
    struct list list = {0};
    struct prior *prior = NULL;
    size_t n_prior = 0, n_done = 0, n_due = 0, head = 0, emit = 0;
    char **roots = NULL, **done = NULL, *roots_json = NULL;
    char host[256], agent[64], shard[48], cutoff[32] = "";
    struct due *due = NULL;
    struct changes ch = {0};
    struct pool pool;
    pthread_t tids[64];
    int n_threads = 0, rc, pool_made = 0;
    json_t *rj = NULL;

    memset(&pool, 0, sizeof(pool));
    *out = NULL;
    if (n_paths == 0)
        return artbag_error_set(err, ARTBAG_EUSAGE, "no PATH to audit");
    if (o->n_shards && o->shard >= o->n_shards)
        return artbag_error_set(err, ARTBAG_EUSAGE, "shard %u of %u does not exist", o->shard + 1,
                                o->n_shards);
    res = calloc(1, sizeof(*res));
    if (!res)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (o->host)
        snprintf(host, sizeof(host), "%s", o->host);
    else if (gethostname(host, sizeof(host)) != 0)
        snprintf(host, sizeof(host), "unknown");
    host[sizeof(host) - 1] = '\0';
    snprintf(agent, sizeof(agent), "artbag %s", artbag_version());
    if (o->n_shards)
        snprintf(shard, sizeof(shard), "%u/%u", o->shard + 1, o->n_shards);
    else
        snprintf(shard, sizeof(shard), "all");

    /* 1. Everything on disk first: the walk is cheap next to the checks, and only a complete
     *    walk can say what is missing. */
    if ((rc = resolve_roots(paths, n_paths, &roots, err)) != ARTBAG_OK)
        goto cleanup;
    rj = json_array();
    for (size_t i = 0; i < n_paths; i++) {
        size_t before = list.n;

        json_array_append_new(rj, json_text(roots[i]));
        if ((rc = walk(&list, roots[i], err)) != ARTBAG_OK)
            goto cleanup;
        /* A mount that is not there looks like an archive emptied: refused before the ledger
         * records every bundle under it as missing. */
        if (list.n == before) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "no bundles or bags found under '%s'",
                                  paths[i]);
            goto cleanup;
        }
    }
    roots_json = json_dumps(rj, JSON_COMPACT);
    if (!roots_json) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    if (list.n)
        qsort(list.items, list.n, sizeof(*list.items), item_cmp);
    {
        size_t w = 0;

        for (size_t i = 0; i < list.n; i++) {
            struct item *it = &list.items[i];

            /* A bundle under two of the roots given is one bundle. */
            if ((w && strcmp(list.items[w - 1].path, it->path) == 0) ||
                (o->n_shards && shard_of(it->rel, o->n_shards) != o->shard)) {
                free(it->path);
                continue;
            }
            list.items[w++] = *it;
        }
        list.n = w;
    }
    res->found = list.n;

    /* 2. What the ledger knew, and the audit row (resumed when the last one was cut short). */
    if ((rc = load_prior(l, &prior, &n_prior, err)) != ARTBAG_OK ||
        (rc = find_resumable(l, roots_json, shard, &res->audit, &res->resumed, err)) != ARTBAG_OK)
        goto cleanup;
    if (res->resumed && (rc = load_done(l, res->audit, &done, &n_done, err)) != ARTBAG_OK)
        goto cleanup;
    if (o->due > 0)
        cutoff_time(o->due, cutoff);
    due = calloc(list.n ? list.n : 1, sizeof(*due));
    if (!due) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < list.n; i++) {
        struct item *it = &list.items[i];
        struct prior *p = prior_find(prior, n_prior, it->path);
        int is_due;

        if (p)
            p->seen = 1;
        if (n_done && bsearch(it->path, done, n_done, sizeof(*done), str_cmp))
            continue;
        is_due = !o->due || !p || !p->last_valid || strcmp(p->last_valid, cutoff) < 0 ||
                 strcmp(p->outcome, "valid") != 0 ||
                 (!it->is_dir && (p->size != (int64_t)it->size || p->mtime != it->mtime));
        if (is_due) {
            due[n_due].item = i;
            due[n_due].last_valid = p && strcmp(p->outcome, "valid") == 0 ? p->last_valid : NULL;
            n_due++;
        }
    }
    if (o->due > 0 && n_due)
        qsort(due, n_due, sizeof(*due), due_cmp);
    res->due = n_due;

    /* 3. The checks, on workers; recorded here as they finish, every finished check at once in
     *    one transaction, and reported in the order due. */
    pool.list = &list;
    pool.n = n_due;
    pool.slots = calloc(n_due ? n_due : 1, sizeof(*pool.slots));
    pool.fin = calloc(n_due ? n_due : 1, sizeof(*pool.fin));
    if (!pool.slots || !pool.fin) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_due; i++)
        pool.slots[i].item = due[i].item;
    pool.threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (pool.threads < 1)
        pool.threads = 1;
    if (pool.threads > 64)
        pool.threads = 64;
    pool.start_ms = mono_ms();
    pool.budget_ms = o->budget * 1000;
    pool.max_bytes = o->max_bytes;
    pthread_mutex_init(&pool.mu, NULL);
    pthread_cond_init(&pool.cv, NULL);
    pool_made = 1;
    for (n_threads = 0; n_threads < pool.threads && (size_t)n_threads < n_due; n_threads++)
        if (artbag_thread_start(&tids[n_threads], worker, &pool) != 0)
            break;
    if (n_threads == 0 && n_due) {
        rc = artbag_error_set(err, ARTBAG_EIO, "cannot start a thread");
        goto cleanup;
    }
    /*
     * A new audit's row is written once the first checks run: its commit is the first into a
     * WAL that the last audit's closing checkpoint emptied, which syncs the WAL's header (and
     * the directory, for a WAL made anew), and the checks need not wait for those syncs.
     */
    rc = res->resumed ? ARTBAG_OK
                      : insert_audit(l, roots_json, shard, agent, host, &res->audit, err);
    while (rc == ARTBAG_OK) {
        struct artbag_ledger_event evs[RECORD_BATCH];
        size_t batch[RECORD_BATCH], k = 0, built = 0;
        int cancelled;

        /* Every finished check, in the order the checks finished, not the order due: one that
         * finished waits for no slower one started before it, so a kill loses only the checks
         * in progress and those in the commit under way. */
        pthread_mutex_lock(&pool.mu);
        for (;;) {
            k = 0;
            cancelled = 0;
            while (head < pool.n_fin && k < RECORD_BATCH) {
                size_t j = pool.fin[head++];

                if (pool.slots[j].cancelled)
                    cancelled = 1;
                else
                    batch[k++] = j;
            }
            /* all taken checks finished, and none will be taken */
            if (k || cancelled || (pool.n_fin == pool.next && (pool.stop || pool.next >= n_due)))
                break;
            pthread_cond_wait(&pool.cv, &pool.mu);
        }
        pthread_mutex_unlock(&pool.mu);
        for (; built < k; built++) {
            struct slot *s = &pool.slots[batch[built]];
            struct item *it = &list.items[s->item];
            struct artbag_ledger_event *ev = &s->ev;
            const struct artbag_report_identity *id = NULL;

            memset(ev, 0, sizeof(*ev));
            ev->audit = res->audit;
            ev->time = s->time;
            ev->duration_ms = s->duration_ms;
            ev->agent = agent;
            ev->host = host;
            ev->path = it->path;
            ev->size = (int64_t)(it->is_dir && s->r ? s->r->bytes : it->size);
            ev->mtime = it->mtime;
            if (s->rc == ARTBAG_OK && s->r) {
                id = artbag_report_identity(s->r);
                ev->outcome = s->r->valid ? "valid" : "invalid";
                if (id && id->digest[0]) {
                    ev->identity = id->digest;
                    ev->identity_file = id->file;
                }
                if (id) {
                    ev->external_identifier = id->external_identifier;
                    ev->payload_oxum = id->payload_oxum;
                }
            } else {
                ev->outcome = "unreadable";
            }
            ev->problems = problems_json(s->rc == ARTBAG_OK ? s->r : NULL, &s->err);
            if (!ev->problems) {
                rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
                break;
            }
            evs[built] = *ev;
        }
        if (rc == ARTBAG_OK && k)
            rc = artbag_ledger_append_n(l, evs, k, err);
        for (size_t j = 0; j < built; j++) {
            struct slot *s = &pool.slots[batch[j]];

            free((char *)s->ev.problems);
            s->ev.problems = NULL;
            s->ev.id = evs[j].id;
        }
        if (rc != ARTBAG_OK)
            break;
        for (size_t j = 0; j < k; j++)
            pool.slots[batch[j]].recorded = 1;
        /* Reported in the order due, each once every check before it is recorded: the report
         * and the callbacks come out the same whatever order the checks finished in. */
        while (rc == ARTBAG_OK && emit < n_due && pool.slots[emit].recorded)
            rc = report_event(&pool.slots[emit++], &list, prior, n_prior, &ch, res, n_due, o, err);
        if (cancelled) {
            rc = artbag_error_set(err, ARTBAG_EIO, "interrupted");
            break;
        }
        if (k == 0)
            break; /* nothing running and nothing left: finished, or the budget ran out */
    }
    /* A recorded check behind one never checked is reported all the same (none today: checks
     * start in the order due, so the budget leaves only a tail unchecked). */
    for (; rc == ARTBAG_OK && emit < n_due; emit++)
        if (pool.slots[emit].recorded)
            rc = report_event(&pool.slots[emit], &list, prior, n_prior, &ch, res, n_due, o, err);
    if (rc != ARTBAG_OK) {
        pthread_mutex_lock(&pool.mu);
        pool.stop = 1;
        pthread_mutex_unlock(&pool.mu);
    }
    for (int t = 0; t < n_threads; t++)
        pthread_join(tids[t], NULL);
    n_threads = 0;
    res->stopped = pool.stopped_by_budget;
    if (rc != ARTBAG_OK)
        goto cleanup;

    /* 4. What the ledger knew under these roots and this walk did not find: moved (its
     *    identity turned up at a new path) or missing. Each gets a "missing" event, so the
     *    next audit does not report it again. */
    for (size_t i = 0; i < n_prior && rc == ARTBAG_OK; i++) {
        struct prior *p = &prior[i];
        const char *root = NULL, *moved_to = NULL;
        struct artbag_ledger_event ev;
        char now[32], *problems = NULL;
        json_t *pj;

        if (p->seen || strcmp(p->outcome, "missing") == 0)
            continue;
        for (size_t r = 0; r < n_paths && !root; r++)
            if (under(p->path, roots[r]))
                root = roots[r];
        if (!root)
            continue;
        if (o->n_shards) {
            size_t k = strlen(root);
            const char *rel = p->path + k + (p->path[k] == '/');

            if (!p->path[k])
                rel = p->path + (strrchr(p->path, '/') ? strrchr(p->path, '/') - p->path + 1 : 0);
            if (shard_of(rel, o->n_shards) != o->shard)
                continue;
        }
        for (size_t c = 0; c < ch.n && p->identity && !moved_to; c++)
            if (strcmp(ch.v[c].kind, "new") == 0 && ch.v[c].identity &&
                strcmp(ch.v[c].identity, p->identity) == 0 && !ch.v[c].old_path) {
                ch.v[c].kind = "moved";
                if (!(ch.v[c].old_path = strdup(p->path))) {
                    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
                    break;
                }
                moved_to = ch.v[c].path;
            }
        if (rc != ARTBAG_OK)
            break;
        if (!moved_to && change_add(&ch, "missing", p->path, NULL, p->identity, 0) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            break;
        }
        pj = json_pack("[{s:s, s:s, s:n, s:o}]", "severity", "problem", "kind",
                       moved_to ? "moved" : "missing", "path", "message",
                       moved_to ? json_pack("s+", "moved to ", moved_to)
                                : json_string("no longer found by the audit"));
        problems = pj ? json_dumps(pj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(pj);
        if (!problems) {
            rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
            break;
        }
        artbag_ledger_now(now);
        memset(&ev, 0, sizeof(ev));
        ev.audit = res->audit;
        ev.time = now;
        ev.agent = agent;
        ev.host = host;
        ev.path = p->path;
        ev.size = p->size;
        ev.mtime = p->mtime;
        ev.identity = p->identity;
        ev.outcome = "missing";
        ev.problems = problems;
        rc = artbag_ledger_append(l, &ev, err);
        free(problems);
    }
    if (rc == ARTBAG_OK)
        rc = duplicates(l, &ch, err);
    /* 5. Done, unless the budget stopped it: then the next audit of these paths resumes it. */
    if (rc == ARTBAG_OK && !res->stopped) {
        sqlite3_stmt *st = NULL;
        char now[32];
        int src;

        artbag_ledger_now(now);
        src =
            sqlite3_prepare_v2(l->db, "UPDATE audits SET finished = ? WHERE id = ?", -1, &st, NULL);
        if (src == SQLITE_OK) {
            sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, res->audit);
            src = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (src != SQLITE_DONE)
            rc = artbag_ledger_fail(l, src, "finishing the audit", err);
    }
cleanup:
    if (n_threads) {
        pthread_mutex_lock(&pool.mu);
        pool.stop = 1;
        pthread_mutex_unlock(&pool.mu);
        for (int t = 0; t < n_threads; t++)
            pthread_join(tids[t], NULL);
    }
    if (pool_made) {
        pthread_mutex_destroy(&pool.mu);
        pthread_cond_destroy(&pool.cv);
    }
    if (pool.slots)
        for (size_t i = 0; i < pool.n; i++)
            artbag_report_free(pool.slots[i].r);
    free(pool.slots);
    free(pool.fin);
    res->changes = ch.v;
    res->n_changes = ch.n;
    if (rc == ARTBAG_OK)
        *out = res;
    else
        artbag_audit_result_free(res);
    for (size_t i = 0; roots && i < n_paths; i++)
        free(roots[i]);
    free(roots);
    for (size_t i = 0; i < n_done; i++)
        free(done[i]);
    free(done);
    for (size_t i = 0; i < list.n; i++)
        free(list.items[i].path);
    free(list.items);
    prior_free(prior, n_prior);
    free(due);
    free(roots_json);
    json_decref(rj);
    return rc;
}
