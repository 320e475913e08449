/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* ledger.c - the audit ledger: opening (and refusing) SQLite files, the schema and its
 * migrations, appending hash-chained events, and checking the chains. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "audit.h"

/*
 * Each step takes a ledger from version i to i + 1, inside the transaction that sets
 * user_version, so a ledger is never left half upgraded. Version 1 is the first schema; later
 * ones append a step here and never change an earlier one.
 */
static const char *const migrations[ARTBAG_LEDGER_SCHEMA] = {
    /* 0 -> 1 */
    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    "CREATE TABLE chains (chain TEXT PRIMARY KEY NOT NULL, head_seq INTEGER NOT NULL,"
    "  head_hash TEXT NOT NULL);"
    "CREATE TABLE audits (id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT,"
    "  agent TEXT NOT NULL, host TEXT NOT NULL, roots TEXT NOT NULL, shard TEXT NOT NULL);"
    "CREATE TABLE events (id INTEGER PRIMARY KEY,"
    "  audit INTEGER REFERENCES audits(id),"
    "  chain TEXT NOT NULL REFERENCES chains(chain), seq INTEGER NOT NULL,"
    "  prev TEXT NOT NULL, hash TEXT NOT NULL,"
    "  time TEXT NOT NULL, duration_ms INTEGER NOT NULL, agent TEXT NOT NULL,"
    "  host TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
    "  identity TEXT, identity_file TEXT, external_identifier TEXT, payload_oxum TEXT,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('valid', 'invalid', 'unreadable', 'missing')),"
    "  problems TEXT NOT NULL, UNIQUE (chain, seq));"
    "CREATE INDEX events_path ON events (path, id);"
    "CREATE INDEX events_identity ON events (identity);"
    "CREATE INDEX events_time ON events (time);"
    /* Append-only: the history is rewritten only by someone who drops these on purpose, and
     * the chain then shows it. */
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    "  BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;",
};

void artbag_ledger_now(char out[32])
{
    struct timespec ts;
    struct tm tm;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    /* Fixed width, so that times compare as strings, in SQL too. */
    if (strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm) != 19)
        snprintf(out, 20, "0000-00-00T00:00:00");
    snprintf(out + 19, 13, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

int artbag_ledger_fail(struct artbag_ledger *l, int rc, const char *what, struct artbag_error *err)
{
    const char *msg = l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);

    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s': the ledger is locked by another process (waited %d ms)",
                                l->path, l->wait_ms);
    case SQLITE_READONLY:
        return artbag_error_set(err, ARTBAG_EIO, "'%s': the ledger is read-only", l->path);
    case SQLITE_FULL:
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s: disk full", l->path, what);
    case SQLITE_NOTADB:
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s': not an artbag ledger (not an SQLite database)", l->path);
    case SQLITE_CORRUPT:
        return artbag_error_set(err, ARTBAG_EIO, "'%s': the ledger is damaged: %s", l->path, msg);
    case SQLITE_CANTOPEN:
        return artbag_error_set(
            err, ARTBAG_EIO, "'%s': cannot open the ledger: %s", l->path,
            l->db && sqlite3_system_errno(l->db) ? strerror(sqlite3_system_errno(l->db)) : msg);
    default:
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s: %s", l->path, what, msg);
    }
}

int artbag_ledger_exec(struct artbag_ledger *l, const char *sql, struct artbag_error *err)
{
    int rc = sqlite3_exec(l->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? ARTBAG_OK : artbag_ledger_fail(l, rc, "sqlite", err);
}

int artbag_audit_ledger_default(char **out, struct artbag_error *err)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    struct artbag_buf b = ARTBAG_BUF_INIT;
    int rc;

    *out = NULL;
    /* The XDG base directory spec: a relative value is invalid and is ignored. */
    if (state && state[0] == '/')
        rc = artbag_buf_printf(&b, "%s/artbag/ledger.sqlite", state);
    else if (home && home[0] == '/')
        rc = artbag_buf_printf(&b, "%s/.local/state/artbag/ledger.sqlite", home);
    else
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "no ledger: neither XDG_STATE_HOME nor HOME is an absolute "
                                "path; pass the ledger option");
    if (rc != ARTBAG_OK) {
        artbag_buf_release(&b);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    *out = artbag_buf_detach(&b, NULL);
    return ARTBAG_OK;
}

/* mkdir -p of path's directory, mode 0700 (the XDG spec's for state). */
static int make_parent(const char *path, struct artbag_error *err)
{
    char *dir = strdup(path), *slash;
    int rc = ARTBAG_OK;

    if (!dir)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p && rc == ARTBAG_OK; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
            *p = '/';
        }
        if (rc == ARTBAG_OK && mkdir(dir, 0700) != 0 && errno != EEXIST)
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    }
    free(dir);
    return rc;
}

/* One integer from a query, or -1 with err set. */
static int query_int(struct artbag_ledger *l, const char *sql, int64_t *out,
                     struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK)
        artbag_ledger_fail(l, rc, "reading the ledger", err);
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? ARTBAG_OK : ARTBAG_EIO;
}

/* meta's value for key, or NULL (not found, or no meta table: *missing set). Caller frees. */
static char *meta_get(struct artbag_ledger *l, const char *key, int *missing)
{
    sqlite3_stmt *st = NULL;
    char *v = NULL;

    *missing = 1;
    if (sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
        v = strdup((const char *)sqlite3_column_text(st, 0));
        *missing = 0;
    }
    sqlite3_finalize(st);
    return v;
}

/*
 * What the file is: fresh (an empty database), an artbag ledger of some schema, or anything
 * else, found in a read transaction so that nothing is written to a file that is refused.
 */
static int inspect(struct artbag_ledger *l, int *fresh, int64_t *version, struct artbag_error *err)
{
    int64_t tables = 0;
    char *app = NULL;
    int missing, rc;

    if ((rc = artbag_ledger_exec(l, "BEGIN", err)) != ARTBAG_OK)
        return rc;
    if ((rc = query_int(l, "SELECT count(*) FROM sqlite_master", &tables, err)) != ARTBAG_OK ||
        (rc = query_int(l, "PRAGMA user_version", version, err)) != ARTBAG_OK)
        goto cleanup;
    *fresh = tables == 0 && *version == 0;
    if (*fresh)
        goto cleanup;
    app = meta_get(l, "application", &missing);
    if (!app || strcmp(app, ARTBAG_LEDGER_APPLICATION) != 0) {
        rc = artbag_error_set(err, ARTBAG_EIO,
                              "'%s': not an artbag ledger (an SQLite database without "
                              "meta.application '" ARTBAG_LEDGER_APPLICATION "')",
                              l->path);
        goto cleanup;
    }
    if (*version > ARTBAG_LEDGER_SCHEMA) {
        rc = artbag_error_set(err, ARTBAG_EIO,
                              "'%s': ledger schema version %lld is newer than this artbag "
                              "understands (%d): use a newer artbag",
                              l->path, (long long)*version, ARTBAG_LEDGER_SCHEMA);
        goto cleanup;
    }
    if (*version < 1)
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': not an artbag ledger (schema version %lld)",
                              l->path, (long long)*version);
cleanup:
    free(app);
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* Brings the ledger from version `from` to ARTBAG_LEDGER_SCHEMA in one write transaction. */
static int migrate(struct artbag_ledger *l, struct artbag_error *err)
{
    int64_t from = 0, tables = 0;
    char sql[512], now[32], hex[33];
    unsigned char rnd[16];
    int rc;

    if ((rc = artbag_ledger_exec(l, "BEGIN IMMEDIATE", err)) != ARTBAG_OK)
        return rc;
    /* Again, under the write lock: another process may have made or upgraded it meanwhile. */
    if ((rc = query_int(l, "PRAGMA user_version", &from, err)) != ARTBAG_OK ||
        (rc = query_int(l, "SELECT count(*) FROM sqlite_master", &tables, err)) != ARTBAG_OK)
        goto cleanup;
    if (from == 0 && tables != 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': not an artbag ledger", l->path);
        goto cleanup;
    }
    for (int64_t v = from; v < ARTBAG_LEDGER_SCHEMA; v++)
        if ((rc = artbag_ledger_exec(l, migrations[v], err)) != ARTBAG_OK)
            goto cleanup;
    if (from == 0) {
        if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
            rc = artbag_error_set(err, ARTBAG_EIO, "no random bytes for the ledger's chain id");
            goto cleanup;
        }
        artbag_hex(rnd, sizeof(rnd), hex);
        artbag_ledger_now(now);
        snprintf(sql, sizeof(sql),
                 "INSERT INTO meta VALUES ('application', '" ARTBAG_LEDGER_APPLICATION "'),"
                 " ('created', '%s'), ('chain', '%s');"
                 "INSERT INTO chains VALUES ('%s', 0, '%064d');",
                 now, hex, hex, 0);
        if ((rc = artbag_ledger_exec(l, sql, err)) != ARTBAG_OK)
            goto cleanup;
    }
    snprintf(sql, sizeof(sql),
             "INSERT OR REPLACE INTO meta VALUES ('schema', '%d'); PRAGMA user_version = %d",
             ARTBAG_LEDGER_SCHEMA, ARTBAG_LEDGER_SCHEMA);
    if ((rc = artbag_ledger_exec(l, sql, err)) != ARTBAG_OK)
        goto cleanup;
    rc = artbag_ledger_exec(l, "COMMIT", err);
cleanup:
    if (rc != ARTBAG_OK)
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Takes the writer's lock (see struct artbag_ledger), waiting up to l->wait_ms for another
 * audit to finish. flock, not fcntl: it is tied to this descriptor alone, so it neither meets
 * SQLite's byte-range locks nor is dropped when SQLite closes a descriptor of its own. The file
 * is created here when new; SQLite takes an empty file as a new database. */
static int lock_writer(struct artbag_ledger *l, struct artbag_error *err)
{
    int waited = 0;

    l->lock_fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (l->lock_fd < 0)
        return artbag_error_set(err, ARTBAG_EIO,
                                errno == EROFS || errno == EACCES
                                    ? "'%s': the ledger is read-only (%s)"
                                    : "'%s': cannot open the ledger: %s",
                                l->path, strerror(errno));
    while (flock(l->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot lock the ledger: %s", l->path,
                                    strerror(errno));
        if (waited >= l->wait_ms)
            return artbag_error_set(err, ARTBAG_EIO,
                                    "'%s': the ledger is in use by another audit or merge "
                                    "(waited %d ms)",
                                    l->path, waited);
        if (artbag_cancelled())
            return artbag_error_set(err, ARTBAG_EIO, "interrupted");
        usleep(50 * 1000);
        waited += 50;
    }
    return ARTBAG_OK;
}

int artbag_audit_ledger_open(const char *path, unsigned flags, int wait_ms,
                             struct artbag_ledger **out, struct artbag_error *err)
{
    int ro = (flags & ARTBAG_LEDGER_READONLY) != 0, fresh = 0, rc, missing;
    struct artbag_ledger *l;
    int64_t version = 0;
    struct stat st;
    char *chain = NULL;

    *out = NULL;
    l = calloc(1, sizeof(*l));
    if (!l || !(l->path = strdup(path))) {
        free(l);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    l->wait_ms = wait_ms;
    l->lock_fd = -1;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT || ro) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
            goto cleanup;
        }
        if ((rc = make_parent(path, err)) != ARTBAG_OK)
            goto cleanup;
    } else if (!S_ISREG(st.st_mode)) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': not an artbag ledger (not a regular file)",
                              path);
        goto cleanup;
    } else if (!ro && access(path, W_OK) != 0) {
        /* Said before SQLite tries: it would open read-only, or fail on the WAL files with an
         * errno that names neither the file nor the cause. */
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': the ledger is read-only (%s)", path,
                              strerror(errno));
        goto cleanup;
    }
    if (!ro && (rc = lock_writer(l, err)) != ARTBAG_OK)
        goto cleanup;
    errno = 0;
    rc = sqlite3_open_v2(path, &l->db,
                         ro ? SQLITE_OPEN_READONLY
                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                         NULL);
    if (rc != SQLITE_OK) {
        rc = artbag_ledger_fail(l, rc, "opening", err);
        goto cleanup;
    }
    sqlite3_extended_result_codes(l->db, 0);
    sqlite3_busy_timeout(l->db, wait_ms);
    if ((rc = artbag_ledger_exec(l, "PRAGMA foreign_keys = ON", err)) != ARTBAG_OK ||
        (rc = inspect(l, &fresh, &version, err)) != ARTBAG_OK)
        goto cleanup;
    if (fresh && ro) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': not an artbag ledger (an empty file)", path);
        goto cleanup;
    }
    /* SQLite quietly opens a file it may not write read-only; an audit must not find out only
     * at its first event. */
    if (!ro && sqlite3_db_readonly(l->db, "main") == 1) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': the ledger is read-only", path);
        goto cleanup;
    }
    if (!ro) {
        sqlite3_stmt *q = NULL;
        int ok = 0;

        /* WAL: readers (an export, a check) never wait for the audit writing events. */
        if (sqlite3_prepare_v2(l->db, "PRAGMA journal_mode = WAL", -1, &q, NULL) == SQLITE_OK &&
            (rc = sqlite3_step(q)) == SQLITE_ROW)
            ok = sqlite3_column_text(q, 0) &&
                 strcmp((const char *)sqlite3_column_text(q, 0), "wal") == 0;
        sqlite3_finalize(q);
        if (!ok) {
            rc = rc == SQLITE_ROW
                     ? artbag_error_set(err, ARTBAG_EIO,
                                        "'%s': cannot switch the ledger to WAL mode", path)
                     : artbag_ledger_fail(l, rc, "setting WAL mode", err);
            goto cleanup;
        }
        /* A WAL checkpointed every 16 MiB (each checkpoint syncs twice: at 1 MiB those syncs
         * were most of an audit's waiting) and cut back to 1 MiB after, so an idle ledger
         * keeps no large WAL beside it. synchronous NORMAL: in WAL mode a commit survives the
         * process being killed and never corrupts the ledger, and is made durable against power
         * loss at the next checkpoint; an fsync per event would cost more than checking a small
         * bundle. */
        if ((rc = artbag_ledger_exec(l,
                                     "PRAGMA wal_autocheckpoint = 4096;"
                                     " PRAGMA journal_size_limit = 1048576;"
                                     " PRAGMA synchronous = NORMAL",
                                     err)) != ARTBAG_OK)
            goto cleanup;
    }
    /* After WAL mode: a new ledger's schema is then one WAL commit, not a rollback-journal
     * transaction of several fsyncs each (12 syncs to create a ledger before, 4 now). And after
     * inspect(), so another application's database is refused before anything changes it. */
    if (!ro && (fresh || version < ARTBAG_LEDGER_SCHEMA) && (rc = migrate(l, err)) != ARTBAG_OK)
        goto cleanup;
    chain = meta_get(l, "chain", &missing);
    if (!chain || strlen(chain) != 32) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': not an artbag ledger (no chain id)", path);
        goto cleanup;
    }
    memcpy(l->chain, chain, 33);
    *out = l;
    l = NULL;
    rc = ARTBAG_OK;
cleanup:
    free(chain);
    artbag_audit_ledger_close(l);
    return rc;
}

void artbag_audit_ledger_close(struct artbag_ledger *l)
{
    if (!l)
        return;
    sqlite3_finalize(l->st_begin);
    sqlite3_finalize(l->st_head);
    sqlite3_finalize(l->st_insert);
    sqlite3_finalize(l->st_update);
    sqlite3_finalize(l->st_commit);
    sqlite3_close(l->db);
    /* Only now: closing any descriptor of the file drops the process's fcntl locks on it, and
     * SQLite's are fcntl locks. */
    if (l->lock_fd >= 0)
        close(l->lock_fd);
    free(l->path);
    free(l);
}

/* ---- the canonical form and the chain --------------------------------------------------- */

static int set_str(json_t *o, const char *key, const char *v)
{
    json_t *s;

    if (!v)
        return json_object_set_new(o, key, json_null());
    if ((s = json_string(v)))
        return json_object_set_new(o, key, s);
    {
        /* Not UTF-8 (a file name's bytes): kept exactly, and unmistakably, as hex. */
        size_t n = strlen(v);
        char *hex = malloc(2 * n + 1), k[64];
        int rc;

        if (!hex)
            return -1;
        artbag_hex((const unsigned char *)v, n, hex);
        snprintf(k, sizeof(k), "%s_hex", key);
        rc = json_object_set_new(o, k, json_string(hex));
        free(hex);
        return rc;
    }
}

int artbag_ledger_canonical(const struct artbag_ledger_event *ev, char **out)
{
    json_t *o = json_object();
    int bad = !o;

    *out = NULL;
    if (!bad)
        bad = set_str(o, "agent", ev->agent) || set_str(o, "chain", ev->chain) ||
              json_object_set_new(o, "duration_ms", json_integer(ev->duration_ms)) ||
              set_str(o, "external_identifier", ev->external_identifier) ||
              set_str(o, "host", ev->host) || set_str(o, "identity", ev->identity) ||
              set_str(o, "identity_file", ev->identity_file) ||
              json_object_set_new(o, "mtime", json_integer(ev->mtime)) ||
              set_str(o, "outcome", ev->outcome) || set_str(o, "path", ev->path) ||
              set_str(o, "payload_oxum", ev->payload_oxum) || set_str(o, "prev", ev->prev) ||
              set_str(o, "problems", ev->problems) ||
              json_object_set_new(o, "seq", json_integer(ev->seq)) ||
              json_object_set_new(o, "size", json_integer(ev->size)) ||
              set_str(o, "time", ev->time);
    if (!bad)
        *out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return *out ? ARTBAG_OK : ARTBAG_EIO;
}

int artbag_ledger_hash(struct artbag_ledger_event *ev, struct artbag_error *err)
{
    char *canon = NULL;
    int rc = artbag_ledger_canonical(ev, &canon);

    if (rc != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    rc = artbag_sha256_hex(canon, strlen(canon), ev->hash, err);
    free(canon);
    return rc;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* The statement *st, prepared on first use and kept for the ledger's life; reset for reuse. */
static int cached(struct artbag_ledger *l, sqlite3_stmt **st, const char *sql)
{
    int src = SQLITE_OK;

    if (!*st)
        src = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    else {
        sqlite3_reset(*st);
        sqlite3_clear_bindings(*st);
    }
    return src;
}

/* Runs a cached statement that returns no row: SQLITE_OK or the error. */
static int run_cached(struct artbag_ledger *l, sqlite3_stmt **st, const char *sql)
{
    int src = cached(l, st, sql);

    if (src == SQLITE_OK)
        src = sqlite3_step(*st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(l->db);
    if (*st)
        sqlite3_reset(*st);
    return src;
}

/* Appends ev inside the caller's transaction. */
static int append_one(struct artbag_ledger *l, struct artbag_ledger_event *ev,
                      struct artbag_error *err)
{
    sqlite3_stmt *st;
    char prev[65] = "";
    int rc = ARTBAG_OK, src;

    src = cached(l, &l->st_head, "SELECT head_seq, head_hash FROM chains WHERE chain = ?");
    if (src == SQLITE_OK) {
        st = l->st_head;
        sqlite3_bind_text(st, 1, l->chain, -1, SQLITE_STATIC);
        if ((src = sqlite3_step(st)) == SQLITE_ROW) {
            ev->seq = sqlite3_column_int64(st, 0) + 1;
            snprintf(prev, sizeof(prev), "%s", (const char *)sqlite3_column_text(st, 1));
            src = SQLITE_OK;
        } else if (src == SQLITE_DONE) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': the ledger has no chain '%s'", l->path,
                                  l->chain);
        }
        sqlite3_reset(st);
    }
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (src != SQLITE_OK) {
        rc = artbag_ledger_fail(l, src, "reading the chain", err);
        goto cleanup;
    }
    ev->chain = l->chain;
    ev->prev = prev;
    if ((rc = artbag_ledger_hash(ev, err)) != ARTBAG_OK)
        goto cleanup;
    src = cached(
        l, &l->st_insert,
        "INSERT INTO events (audit, chain, seq, prev, hash, time, duration_ms, agent, host, path,"
        " size, mtime, identity, identity_file, external_identifier, payload_oxum, outcome,"
        " problems) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (src == SQLITE_OK) {
        st = l->st_insert;
        if (ev->audit > 0)
            sqlite3_bind_int64(st, 1, ev->audit);
        else
            sqlite3_bind_null(st, 1);
        sqlite3_bind_text(st, 2, ev->chain, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, ev->seq);
        sqlite3_bind_text(st, 4, ev->prev, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, ev->hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, ev->time, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, ev->duration_ms);
        sqlite3_bind_text(st, 8, ev->agent, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, ev->host, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, ev->path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 11, ev->size);
        sqlite3_bind_int64(st, 12, ev->mtime);
        bind_text_or_null(st, 13, ev->identity);
        bind_text_or_null(st, 14, ev->identity_file);
        bind_text_or_null(st, 15, ev->external_identifier);
        bind_text_or_null(st, 16, ev->payload_oxum);
        sqlite3_bind_text(st, 17, ev->outcome, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 18, ev->problems, -1, SQLITE_STATIC);
        src = sqlite3_step(st);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
        else
            src = sqlite3_errcode(l->db);
        sqlite3_reset(st);
        /* the bindings point into ev, which the caller frees */
        sqlite3_clear_bindings(st);
    }
    if (src != SQLITE_OK) {
        rc = artbag_ledger_fail(l, src, "recording an event", err);
        goto cleanup;
    }
    ev->id = sqlite3_last_insert_rowid(l->db);
    src = cached(l, &l->st_update, "UPDATE chains SET head_seq = ?, head_hash = ? WHERE chain = ?");
    if (src == SQLITE_OK) {
        st = l->st_update;
        sqlite3_bind_int64(st, 1, ev->seq);
        sqlite3_bind_text(st, 2, ev->hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, ev->chain, -1, SQLITE_STATIC);
        src = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(l->db);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    if (src != SQLITE_OK) {
        rc = artbag_ledger_fail(l, src, "recording an event", err);
        goto cleanup;
    }
cleanup:
    ev->prev = NULL; /* it pointed here */
    return rc;
}

int artbag_ledger_append_n(struct artbag_ledger *l, struct artbag_ledger_event *evs, size_t n,
                           struct artbag_error *err)
{
    int rc = ARTBAG_OK, src;

    if ((src = run_cached(l, &l->st_begin, "BEGIN IMMEDIATE")) != SQLITE_OK)
        return artbag_ledger_fail(l, src, "starting a transaction", err);
    for (size_t i = 0; i < n && rc == ARTBAG_OK; i++)
        rc = append_one(l, &evs[i], err);
    if (rc == ARTBAG_OK && (src = run_cached(l, &l->st_commit, "COMMIT")) != SQLITE_OK)
        rc = artbag_ledger_fail(l, src, "committing events", err);
    if (rc != ARTBAG_OK)
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int artbag_ledger_append(struct artbag_ledger *l, struct artbag_ledger_event *ev,
                         struct artbag_error *err)
{
    return artbag_ledger_append_n(l, ev, 1, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

void artbag_ledger_event_row(sqlite3_stmt *st, struct artbag_ledger_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->id = sqlite3_column_int64(st, 0);
    ev->audit = sqlite3_column_int64(st, 1);
    ev->chain = col_text(st, 2);
    ev->seq = sqlite3_column_int64(st, 3);
    ev->prev = col_text(st, 4);
    snprintf(ev->hash, sizeof(ev->hash), "%s", col_text(st, 5) ? col_text(st, 5) : "");
    ev->time = col_text(st, 6);
    ev->duration_ms = sqlite3_column_int64(st, 7);
    ev->agent = col_text(st, 8);
    ev->host = col_text(st, 9);
    ev->path = col_text(st, 10);
    ev->size = sqlite3_column_int64(st, 11);
    ev->mtime = sqlite3_column_int64(st, 12);
    ev->identity = col_text(st, 13);
    ev->identity_file = col_text(st, 14);
    ev->external_identifier = col_text(st, 15);
    ev->payload_oxum = col_text(st, 16);
    ev->outcome = col_text(st, 17);
    ev->problems = col_text(st, 18);
}

/* ---- checking ---------------------------------------------------------------------------- */

static int set_broken(char **broken, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
static int set_broken(char **broken, const char *fmt, ...)
{
    struct artbag_buf b = ARTBAG_BUF_INIT;
    char line[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (artbag_buf_puts(&b, line) != ARTBAG_OK)
        return ARTBAG_EIO;
    *broken = artbag_buf_detach(&b, NULL);
    return ARTBAG_OK;
}

/* Walks one chain from seq 1; sets *broken at its first broken link. */
static int check_chain(struct artbag_ledger *l, const char *chain, int64_t head_seq,
                       const char *head_hash, char **broken, uint64_t *events,
                       struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    char prev_hash[65], stored[65];
    int64_t want = 1, prev_id = 0;
    int src, rc = ARTBAG_OK;

    memset(prev_hash, '0', 64);
    prev_hash[64] = '\0';
    src = sqlite3_prepare_v2(l->db,
                             "SELECT " LEDGER_EVENT_COLUMNS " FROM events WHERE chain = ?"
                             " ORDER BY seq",
                             -1, &st, NULL);
    if (src != SQLITE_OK)
        return artbag_ledger_fail(l, src, "reading events", err);
    sqlite3_bind_text(st, 1, chain, -1, SQLITE_TRANSIENT);
    while (!*broken && (src = sqlite3_step(st)) == SQLITE_ROW) {
        struct artbag_ledger_event ev;

        artbag_ledger_event_row(st, &ev);
        (*events)++;
        if (ev.seq != want) {
            rc = set_broken(broken,
                            "chain %s: event %lld has seq %lld, expected %lld: an event before "
                            "it was removed",
                            chain, (long long)ev.id, (long long)ev.seq, (long long)want);
            break;
        }
        if (!ev.prev || strcmp(ev.prev, prev_hash) != 0) {
            rc = set_broken(broken,
                            "chain %s: event %lld (seq %lld) does not link to the event before "
                            "it: prev %s, but %s%lld hashes to %s",
                            chain, (long long)ev.id, (long long)ev.seq, ev.prev ? ev.prev : "null",
                            prev_id ? "event " : "the start of the chain ", (long long)prev_id,
                            prev_hash);
            break;
        }
        snprintf(stored, sizeof(stored), "%s", ev.hash);
        if ((rc = artbag_ledger_hash(&ev, err)) != ARTBAG_OK)
            break;
        if (strcmp(stored, ev.hash) != 0) {
            rc = set_broken(broken,
                            "chain %s: event %lld (seq %lld) was changed after it was written: "
                            "its content hashes to %s, but it records %s",
                            chain, (long long)ev.id, (long long)ev.seq, ev.hash, stored);
            break;
        }
        memcpy(prev_hash, stored, sizeof(prev_hash));
        prev_id = ev.id;
        want++;
    }
    if (!*broken && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = artbag_ledger_fail(l, src, "reading events", err);
    sqlite3_finalize(st);
    if (rc == ARTBAG_OK && !*broken && (want - 1 != head_seq || strcmp(prev_hash, head_hash) != 0))
        rc = set_broken(broken,
                        "chain %s: ends at seq %lld (%s), but its head records seq %lld (%s): "
                        "events were removed from its end",
                        chain, (long long)(want - 1), prev_hash, (long long)head_seq, head_hash);
    return rc;
}

int artbag_audit_check_ledger(struct artbag_ledger *l, char **broken, uint64_t *events,
                              struct artbag_error *err)
{
    sqlite3_stmt *st = NULL;
    int src, rc;

    *broken = NULL;
    *events = 0;
    /* One read transaction: an audit appending meanwhile does not move the heads under us. */
    if ((rc = artbag_ledger_exec(l, "BEGIN", err)) != ARTBAG_OK)
        return rc;
    src = sqlite3_prepare_v2(l->db, "PRAGMA integrity_check", -1, &st, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = col_text(st, 0);

        if (!v || strcmp(v, "ok") != 0)
            rc = set_broken(broken, "sqlite integrity check: %s", v ? v : "(no answer)");
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_OK) {
        rc = artbag_ledger_fail(l, src, "integrity check", err);
        goto cleanup;
    }
    if (rc != ARTBAG_OK || *broken)
        goto cleanup;
    src = sqlite3_prepare_v2(l->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        rc = set_broken(broken, "foreign key check: row %lld of table %s refers to no row of %s",
                        (long long)sqlite3_column_int64(st, 1), col_text(st, 0), col_text(st, 2));
        src = SQLITE_OK;
    } else if (src == SQLITE_DONE) {
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_OK) {
        rc = artbag_ledger_fail(l, src, "foreign key check", err);
        goto cleanup;
    }
    if (rc != ARTBAG_OK || *broken)
        goto cleanup;
    src = sqlite3_prepare_v2(l->db, "SELECT chain, head_seq, head_hash FROM chains ORDER BY chain",
                             -1, &st, NULL);
    while (src == SQLITE_OK && rc == ARTBAG_OK && !*broken &&
           (src = sqlite3_step(st)) == SQLITE_ROW) {
        rc = check_chain(l, col_text(st, 0), sqlite3_column_int64(st, 1),
                         col_text(st, 2) ? col_text(st, 2) : "", broken, events, err);
        src = SQLITE_OK;
    }
    if (src != SQLITE_OK && src != SQLITE_DONE && rc == ARTBAG_OK)
        rc = artbag_ledger_fail(l, src, "reading chains", err);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == ARTBAG_OK && !*broken) {
        int64_t orphans = 0;

        rc = query_int(l,
                       "SELECT count(*) FROM events WHERE chain NOT IN (SELECT chain FROM chains)",
                       &orphans, err);
        if (rc == ARTBAG_OK && orphans)
            rc = set_broken(broken, "%lld events belong to no chain the ledger lists",
                            (long long)orphans);
    }
cleanup:
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    if (rc != ARTBAG_OK) {
        free(*broken);
        *broken = NULL;
    }
    return rc;
}

/* ---- merging ----------------------------------------------------------------------------- */

/*
 * Copies in's audits and events into l (events keep their chain, seq, prev and hash, so every
 * chain still verifies), in one transaction. An event already present (the same chain and seq,
 * from an earlier merge) is kept once; the same chain and seq with another hash is a conflict.
 */
static int merge_one(struct artbag_ledger *l, const char *in, struct artbag_error *err)
{
    static const char *const steps[] = {
        /* Audits: an identical row (merged before) is reused, others get new ids. */
        "CREATE TEMP TABLE audit_map (old INTEGER PRIMARY KEY, new INTEGER)",
        "INSERT INTO audits (started, finished, agent, host, roots, shard)"
        " SELECT s.started, s.finished, s.agent, s.host, s.roots, s.shard FROM src.audits s"
        " WHERE NOT EXISTS (SELECT 1 FROM audits a WHERE a.started = s.started AND"
        "  a.host = s.host AND a.roots = s.roots AND a.shard = s.shard) ORDER BY s.id",
        "INSERT INTO audit_map SELECT s.id, (SELECT min(a.id) FROM audits a WHERE"
        " a.started = s.started AND a.host = s.host AND a.roots = s.roots AND a.shard = s.shard)"
        " FROM src.audits s",
        "INSERT OR IGNORE INTO chains SELECT chain, 0, '" /* heads set below */
        "0000000000000000000000000000000000000000000000000000000000000000' FROM src.chains",
        "INSERT INTO events (audit, chain, seq, prev, hash, time, duration_ms, agent, host, path,"
        " size, mtime, identity, identity_file, external_identifier, payload_oxum, outcome,"
        " problems) SELECT m.new, e.chain, e.seq, e.prev, e.hash, e.time, e.duration_ms, e.agent,"
        " e.host, e.path, e.size, e.mtime, e.identity, e.identity_file, e.external_identifier,"
        " e.payload_oxum, e.outcome, e.problems FROM src.events e LEFT JOIN audit_map m"
        " ON m.old = e.audit WHERE NOT EXISTS (SELECT 1 FROM events x WHERE x.chain = e.chain"
        " AND x.seq = e.seq) ORDER BY e.id",
        "UPDATE chains SET head_seq = s.head_seq, head_hash = s.head_hash FROM src.chains s"
        " WHERE s.chain = chains.chain AND s.head_seq > chains.head_seq",
        "DROP TABLE audit_map",
    };
    sqlite3_stmt *st = NULL;
    int rc, src;

    st = NULL;
    src = sqlite3_prepare_v2(l->db, "ATTACH DATABASE ? AS src", -1, &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC);
        src = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(l->db);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_OK)
        return artbag_ledger_fail(l, src, "attaching the ledger to merge", err);
    if ((rc = artbag_ledger_exec(l, "BEGIN IMMEDIATE", err)) != ARTBAG_OK)
        goto detach;
    {
        int64_t conflicts = 0;

        rc = query_int(l,
                       "SELECT count(*) FROM src.events e JOIN events x ON x.chain = e.chain"
                       " AND x.seq = e.seq WHERE x.hash != e.hash",
                       &conflicts, err);
        if (rc == ARTBAG_OK && conflicts)
            rc = artbag_error_set(err, ARTBAG_EIO,
                                  "'%s': %lld events differ from the events of the same chain "
                                  "and seq already in '%s'",
                                  in, (long long)conflicts, l->path);
    }
    for (size_t i = 0; rc == ARTBAG_OK && i < sizeof(steps) / sizeof(steps[0]); i++)
        rc = artbag_ledger_exec(l, steps[i], err);
    if (rc == ARTBAG_OK)
        rc = artbag_ledger_exec(l, "COMMIT", err);
    else
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
detach:
    sqlite3_exec(l->db, "DETACH DATABASE src", NULL, NULL, NULL);
    return rc;
}

int artbag_audit_merge(struct artbag_ledger *l, const char *const *in, size_t n,
                       struct artbag_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct artbag_ledger *src = NULL;
        char *broken = NULL;
        uint64_t events = 0;
        int rc;

        /* Each input is opened as a ledger (refused like any other) and must verify: a merge
         * must not launder a broken chain into an intact-looking one. */
        if ((rc = artbag_audit_ledger_open(in[i], ARTBAG_LEDGER_READONLY, l->wait_ms, &src, err)) !=
            ARTBAG_OK)
            return rc;
        rc = artbag_audit_check_ledger(src, &broken, &events, err);
        artbag_audit_ledger_close(src);
        if (rc == ARTBAG_OK && broken) {
            rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': not merged, its chain is broken: %s",
                                  in[i], broken);
        }
        free(broken);
        if (rc == ARTBAG_OK)
            rc = merge_one(l, in[i], err);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}
