/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * audit.h - the fixity-audit layer: the ledger (an SQLite database of append-only, hash-chained
 * check events), the audit run that walks bundles, verifies them and records what it found, and
 * the exports of the ledger (PREMIS 3, CSV, JSON Lines).
 *
 * It may use: libsqlite3 (only here: no other layer knows the ledger is SQLite), OpenSSL's
 * libcrypto for SHA-256, jansson for JSON, libartbag's public verify API, and the headers of
 * the layers below (util/, crypto/digest.h, article/ for dates, bagit/ for the identity the bag
 * checker records). It never prints and never exits; callers above it are src/lib's public
 * operations and the CLI through artbag.h.
 */
#ifndef ARTBAG_AUDIT_H
#define ARTBAG_AUDIT_H

#include <stdint.h>

#include <sqlite3.h>

#include "article/article.h"
#include "bagit/bagit.h"
#include "crypto/digest.h"
#include "util/fs.h"
#include "util/util.h"

/* The schema this artbag writes; a ledger with a newer one is refused, an older one upgraded. */
#define ARTBAG_LEDGER_SCHEMA 1
/* meta.application of every artbag ledger: what tells it from any other SQLite file. */
#define ARTBAG_LEDGER_APPLICATION "artbag ledger"

struct artbag_ledger {
    sqlite3 *db;
    char *path;
    char chain[33]; /* this ledger's own chain: 16 random bytes in hex */
    int wait_ms;
    /* A writer's flock(2) on the ledger file, held from open to close: one audit or merge at a
     * time per ledger. SQLite's own locks last one transaction, so without it two audits both
     * resumed the same unfinished audit and recorded every bundle twice. -1 when read-only. */
    int lock_fd;
    /* artbag_ledger_append's statements, prepared once: parsing the SQL again for every event
     * cost more than storing it. NULL until the first append. */
    sqlite3_stmt *st_begin, *st_head, *st_insert, *st_update, *st_commit;
};

/* One event as the ledger stores it. Strings are borrowed; NULL where the column is NULL. */
struct artbag_ledger_event {
    int64_t id, audit, seq;
    const char *chain, *prev, *time, *agent, *host, *path, *identity, *identity_file;
    const char *external_identifier, *payload_oxum, *outcome, *problems;
    int64_t duration_ms, size, mtime;
    char hash[65];
};

/*
 * The canonical form of an event, whose SHA-256 the next event stores: a JSON object of the
 * fields agent, chain, duration_ms, external_identifier, host, identity, identity_file, mtime,
 * outcome, path, payload_oxum, prev, problems, seq, size, time (NULL as null), keys sorted,
 * no white space, strings as UTF-8 with only '"', '\\' and controls escaped (\uXXXX with
 * upper-case hex digits where JSON has no short form). A string that is not UTF-8 appears
 * instead under its name with "_hex" appended, as the lower-case hex of its bytes.
 * *out (caller frees) is NUL-terminated. ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_ledger_canonical(const struct artbag_ledger_event *ev, char **out);
/* Fills ev->hash with the SHA-256 of ev's canonical form. */
int artbag_ledger_hash(struct artbag_ledger_event *ev, struct artbag_error *err);

/*
 * Appends ev to this ledger's chain in one transaction: sets ev->chain, seq, prev, hash and id.
 * ev->time and the other fields are the caller's. On failure the ledger is as it was.
 */
int artbag_ledger_append(struct artbag_ledger *l, struct artbag_ledger_event *ev,
                         struct artbag_error *err);
/*
 * Appends evs[0..n) in order, in one transaction: all of them or, on failure, none. An audit
 * commits together the checks that finished while the previous commit was being written, so the
 * ledger's per-commit cost (a WAL frame per table and index page, the locks) is shared when
 * checking outpaces recording, and nothing waits for a batch to fill.
 */
int artbag_ledger_append_n(struct artbag_ledger *l, struct artbag_ledger_event *evs, size_t n,
                           struct artbag_error *err);

/* Runs sql (no result rows) in its own statement; err names the ledger on failure. */
int artbag_ledger_exec(struct artbag_ledger *l, const char *sql, struct artbag_error *err);
/* Turns the connection's last SQLite error into err: locked, read-only, full, damaged... */
int artbag_ledger_fail(struct artbag_ledger *l, int rc, const char *what, struct artbag_error *err);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with the NUL). */
void artbag_ledger_now(char out[32]);

/* Reads one row of an event statement whose columns are LEDGER_EVENT_COLUMNS, in that order. */
#define LEDGER_EVENT_COLUMNS                                                                       \
    "id, audit, chain, seq, prev, hash, time, duration_ms, agent, host, path, size, mtime, "       \
    "identity, identity_file, external_identifier, payload_oxum, outcome, problems"
void artbag_ledger_event_row(sqlite3_stmt *st, struct artbag_ledger_event *ev);

#endif /* ARTBAG_AUDIT_H */
