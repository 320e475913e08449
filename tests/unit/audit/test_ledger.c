/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_ledger.c - unit tests for the audit ledger (src/lib/audit/ledger.c): the schema it makes,
 * the files it refuses (leaving them exactly as they were), the hash chain and the checks that
 * find every kind of rewritten history. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static char dir[] = "/tmp/artbag-test-ledger.XXXXXX";
static char path[256];
static int counter;

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "%s/l%d.sqlite", dir, counter++);
    return 0;
}

static void append(struct artbag_ledger *l, const char *bundle, const char *outcome)
{
    struct artbag_ledger_event ev;
    struct artbag_error err = {0};
    char now[32];

    memset(&ev, 0, sizeof(ev));
    artbag_ledger_now(now);
    ev.time = now;
    ev.agent = "artbag test";
    ev.host = "unit";
    ev.path = bundle;
    ev.size = 10;
    ev.mtime = 20;
    ev.identity = "ab";
    ev.outcome = outcome;
    ev.problems = "[]";
    assert_int_equal(artbag_ledger_append(l, &ev, &err), ARTBAG_OK);
    assert_true(ev.id > 0);
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_new_ledger(void **state)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};
    sqlite3_stmt *st;

    (void)state;
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_OK);
    assert_int_equal(one_int(l->db, "PRAGMA user_version"), ARTBAG_LEDGER_SCHEMA);
    assert_int_equal(one_int(l->db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(strlen(l->chain), 32);
    assert_int_equal(sqlite3_prepare_v2(l->db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(one_int(l->db,
                             "SELECT count(*) FROM meta WHERE key = 'application' AND value = "
                             "'artbag ledger'"),
                     1);
    artbag_audit_ledger_close(l);
    /* Opened again: the same chain, nothing made twice. */
    assert_int_equal(artbag_audit_ledger_open(path, ARTBAG_LEDGER_READONLY, 100, &l, &err),
                     ARTBAG_OK);
    assert_int_equal(one_int(l->db, "SELECT count(*) FROM chains"), 1);
    artbag_audit_ledger_close(l);
}

static void test_readonly_does_not_create(void **state)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};

    (void)state;
    assert_int_equal(artbag_audit_ledger_open(path, ARTBAG_LEDGER_READONLY, 100, &l, &err),
                     ARTBAG_EIO);
    assert_null(l);
    assert_int_equal(access(path, F_OK), -1);
}

/* Refused with EIO, err says msg, and the file's bytes are unchanged. */
static void refuse(const char *msg)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};
    size_t n1, n2;
    char *before = (char *)test_read_file(path, &n1), *after;

    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_EIO);
    assert_null(l);
    if (!strstr(err.msg, msg))
        fail_msg("message [%s] lacks [%s]", err.msg, msg);
    assert_non_null(strstr(err.msg, path));
    after = (char *)test_read_file(path, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
}

static void test_refuses_text_file(void **state)
{
    FILE *f = fopen(path, "w");

    (void)state;
    fputs("not a database, but a list of bundles\n", f);
    fclose(f);
    refuse("not an artbag ledger (not an SQLite database)");
}

static void test_refuses_other_database(void **state)
{
    sqlite3 *db;

    (void)state;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", 0, 0, 0),
                     SQLITE_OK);
    sqlite3_close(db);
    refuse("not an artbag ledger");
    /* Even one whose meta table names another application. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE meta (key, value);"
                                  "INSERT INTO meta VALUES ('application', 'other ledger');"
                                  "PRAGMA user_version = 1",
                                  0, 0, 0),
                     SQLITE_OK);
    sqlite3_close(db);
    refuse("not an artbag ledger");
}

static void test_refuses_newer_schema(void **state)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};
    char sql[128];

    (void)state;
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_OK);
    append(l, "/a.tar.gz", "valid");
    /* A later artbag's ledger: its schema version is above ours. */
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", ARTBAG_LEDGER_SCHEMA + 1);
    assert_int_equal(sqlite3_exec(l->db, sql, 0, 0, 0), SQLITE_OK);
    assert_int_equal(sqlite3_exec(l->db, "PRAGMA wal_checkpoint(TRUNCATE)", 0, 0, 0), SQLITE_OK);
    artbag_audit_ledger_close(l);
    refuse("is newer than this artbag understands");
}

static void test_locked(void **state)
{
    struct artbag_ledger *l = NULL, *second = NULL;
    struct artbag_error err = {0};
    sqlite3 *other = NULL;

    (void)state;
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_OK);
    /* A second artbag writer waits for the first's whole run, then gives up... */
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &second, &err), ARTBAG_EIO);
    assert_null(second);
    assert_non_null(strstr(err.msg, "in use by another audit or merge"));
    /* ...while a reader does not wait. */
    assert_int_equal(artbag_audit_ledger_open(path, ARTBAG_LEDGER_READONLY, 100, &second, &err),
                     ARTBAG_OK);
    artbag_audit_ledger_close(second);
    /* Another SQLite client (no artbag lock) holding a write transaction: SQLite's own lock. */
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", 0, 0, 0), SQLITE_OK);
    {
        struct artbag_ledger_event ev;
        char now[32];

        memset(&ev, 0, sizeof(ev));
        artbag_ledger_now(now);
        ev.time = now;
        ev.agent = ev.host = "x";
        ev.path = "/a";
        ev.outcome = "valid";
        ev.problems = "[]";
        assert_int_equal(artbag_ledger_append(l, &ev, &err), ARTBAG_EIO);
        assert_non_null(strstr(err.msg, "locked by another process"));
    }
    assert_int_equal(sqlite3_exec(other, "COMMIT", 0, 0, 0), SQLITE_OK);
    assert_int_equal(one_int(l->db, "SELECT count(*) FROM events"), 0);
    append(l, "/a", "valid"); /* and once free, it writes */
    sqlite3_close(other);
    artbag_audit_ledger_close(l);
    /* Closed, the ledger is free for the next writer. */
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &second, &err), ARTBAG_OK);
    artbag_audit_ledger_close(second);
}

static void test_chain_and_append_only(void **state)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};
    char *broken = NULL;
    uint64_t n = 0;

    (void)state;
    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_OK);
    for (int i = 0; i < 5; i++)
        append(l, "/a.tar.gz", i == 3 ? "invalid" : "valid");
    assert_int_equal(one_int(l->db,
                             "SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1"
                             " WHERE b.prev = a.hash"),
                     4);
    assert_int_equal(
        one_int(l->db, "SELECT count(*) FROM events WHERE seq = 1 AND prev = '" ZEROS "'"), 1);
    assert_int_equal(artbag_audit_check_ledger(l, &broken, &n, &err), ARTBAG_OK);
    assert_null(broken);
    assert_int_equal(n, 5);
    /* The triggers refuse to rewrite history. */
    assert_int_not_equal(sqlite3_exec(l->db, "UPDATE events SET outcome = 'valid'", 0, 0, 0),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(l->db, "DELETE FROM events WHERE seq = 4", 0, 0, 0),
                         SQLITE_OK);
    artbag_audit_ledger_close(l);
}

/* A ledger of 5 events, rewritten by sql with the triggers dropped; check names want. */
static void tampered(const char *sql, const char *want)
{
    struct artbag_ledger *l = NULL;
    struct artbag_error err = {0};
    char *broken = NULL;
    uint64_t n = 0;

    assert_int_equal(artbag_audit_ledger_open(path, 0, 100, &l, &err), ARTBAG_OK);
    for (int i = 0; i < 5; i++)
        append(l, "/a.tar.gz", "valid");
    assert_int_equal(sqlite3_exec(l->db,
                                  "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete", 0,
                                  0, 0),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(l->db, sql, 0, 0, 0), SQLITE_OK);
    assert_int_equal(artbag_audit_check_ledger(l, &broken, &n, &err), ARTBAG_OK);
    assert_non_null(broken);
    if (!strstr(broken, want))
        fail_msg("check said [%s], expected [%s]", broken, want);
    free(broken);
    artbag_audit_ledger_close(l);
}

static void test_tamper_content(void **state)
{
    (void)state;
    tampered("UPDATE events SET outcome = 'invalid' WHERE seq = 3",
             "event 3 (seq 3) was changed after it was written");
}

static void test_tamper_rehashed(void **state)
{
    (void)state;
    /* A forger who fixes the event's own hash still breaks the next event's link. */
    tampered("UPDATE events SET hash = '" ZEROS "' WHERE seq = 2",
             "event 2 (seq 2) was changed after it was written");
}

static void test_tamper_delete_middle(void **state)
{
    (void)state;
    tampered("DELETE FROM events WHERE seq = 2", "event 3 has seq 3, expected 2");
}

static void test_tamper_delete_last(void **state)
{
    (void)state;
    tampered("DELETE FROM events WHERE seq = 5", "events were removed from its end");
}

static void test_tamper_relinked(void **state)
{
    (void)state;
    /* Deleting one event and renumbering the rest: the links no longer match. */
    tampered("DELETE FROM events WHERE seq = 2; UPDATE events SET seq = seq - 1 WHERE seq > 2",
             "does not link to the event before it");
}

static void test_canonical_form(void **state)
{
    struct artbag_ledger_event ev;
    struct artbag_error err = {0};
    char *c = NULL;

    (void)state;
    memset(&ev, 0, sizeof(ev));
    ev.chain = "c";
    ev.seq = 1;
    ev.prev = ZEROS;
    ev.time = "2026-01-01T00:00:00.000Z";
    ev.duration_ms = 5;
    ev.agent = "artbag 0.1.0";
    ev.host = "h";
    ev.path = "/x/\xc3\xa9\"\x1f.tar.gz";
    ev.size = 7;
    ev.mtime = -1;
    ev.outcome = "valid";
    ev.problems = "[]";
    assert_int_equal(artbag_ledger_canonical(&ev, &c), ARTBAG_OK);
    assert_string_equal(c, "{\"agent\":\"artbag 0.1.0\",\"chain\":\"c\",\"duration_ms\":5,"
                           "\"external_identifier\":null,\"host\":\"h\",\"identity\":null,"
                           "\"identity_file\":null,\"mtime\":-1,\"outcome\":\"valid\","
                           "\"path\":\"/x/\xc3\xa9\\\"\\u001F.tar.gz\",\"payload_oxum\":null,"
                           "\"prev\":\"" ZEROS "\",\"problems\":\"[]\",\"seq\":1,\"size\":7,"
                           "\"time\":\"2026-01-01T00:00:00.000Z\"}");
    free(c);
    /* A name that is not UTF-8 is kept as the hex of its bytes, under its own key. */
    ev.path = "/x/\xff";
    assert_int_equal(artbag_ledger_canonical(&ev, &c), ARTBAG_OK);
    assert_non_null(strstr(c, "\"path_hex\":\"2f782fff\""));
    assert_null(strstr(c, "\"path\":"));
    free(c);
    assert_int_equal(artbag_ledger_hash(&ev, &err), ARTBAG_OK);
    assert_int_equal(strlen(ev.hash), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_new_ledger, setup),
        cmocka_unit_test_setup(test_readonly_does_not_create, setup),
        cmocka_unit_test_setup(test_refuses_text_file, setup),
        cmocka_unit_test_setup(test_refuses_other_database, setup),
        cmocka_unit_test_setup(test_refuses_newer_schema, setup),
        cmocka_unit_test_setup(test_locked, setup),
        cmocka_unit_test_setup(test_chain_and_append_only, setup),
        cmocka_unit_test_setup(test_tamper_content, setup),
        cmocka_unit_test_setup(test_tamper_rehashed, setup),
        cmocka_unit_test_setup(test_tamper_delete_middle, setup),
        cmocka_unit_test_setup(test_tamper_delete_last, setup),
        cmocka_unit_test_setup(test_tamper_relinked, setup),
        cmocka_unit_test_setup(test_canonical_form, setup),
    };
    int rc;

    if (!mkdtemp(dir))
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    if (rc == 0) {
        char cmd[512];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return rc;
}
