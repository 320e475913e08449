/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* export.c - the ledger's events for other systems: PREMIS 3.0 XML (what repository systems
 * import), CSV (spreadsheets) and JSON Lines (scripts). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"

#define PREMIS_NS         "http://www.loc.gov/premis/v3"
#define EVENT_TYPE_URI    "http://id.loc.gov/vocabulary/preservation/eventType"
#define EVENT_TYPE_FIXITY EVENT_TYPE_URI "/fix"
/* The role artbag plays in every event, from the same vocabulary family, so a repository can
 * match it without reading English. */
#define AGENT_ROLE_URI   "http://id.loc.gov/vocabulary/preservation/eventRelatedAgentRole"
#define AGENT_ROLE_EXE   AGENT_ROLE_URI "/exe"
#define IDENTITY_TYPE    "artbag tag manifest SHA-256"
#define PATH_TYPE        "local path"
#define EXTERNAL_ID_TYPE "BagIt External-Identifier"
#define EVENT_ID_TYPE    "artbag ledger event hash"

/* Everything goes through one buffer, flushed in large writes, so a write error is seen once. */
struct out {
    int fd;
    struct artbag_buf b;
    int failed;
    int err_no;
};

static void flush_out(struct out *o)
{
    if (!o->failed && o->b.len && artbag_write_all(o->fd, o->b.data, o->b.len) != 0) {
        o->failed = 1;
        o->err_no = errno;
    }
    o->b.len = 0;
}

static void put(struct out *o, const char *s)
{
    if (artbag_buf_puts(&o->b, s) != ARTBAG_OK)
        o->failed = 1, o->err_no = ENOMEM;
    if (o->b.len > 1 << 16)
        flush_out(o);
}

/*
 * s as XML character data or attribute value. XML 1.0 cannot carry C0 controls other than tab,
 * newline and carriage return, nor bytes that are not UTF-8: each becomes U+FFFD, which a
 * reader sees as "a character was here".
 */
static void put_xml(struct out *o, const char *s)
{
    char tmp[8];

    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        size_t n = 1;

        if (*p == '&')
            put(o, "&amp;");
        else if (*p == '<')
            put(o, "&lt;");
        else if (*p == '>')
            put(o, "&gt;");
        else if (*p == '"')
            put(o, "&quot;");
        else if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            put(o, "&#xFFFD;");
        else if (*p < 0x80) {
            tmp[0] = (char)*p;
            tmp[1] = '\0';
            put(o, tmp);
        } else {
            /* One UTF-8 sequence, checked by jansson's decoder rather than by hand. */
            n = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
            if (n && strnlen((const char *)p, n) == n) {
                json_t *j = json_stringn((const char *)p, n);

                if (j) {
                    memcpy(tmp, p, n);
                    tmp[n] = '\0';
                    put(o, tmp);
                    json_decref(j);
                } else {
                    put(o, "&#xFFFD;");
                    n = 1;
                }
            } else {
                put(o, "&#xFFFD;");
                n = 1;
            }
        }
        p += n;
    }
}

static void elem(struct out *o, const char *indent, const char *name, const char *value)
{
    put(o, indent);
    put(o, "<");
    put(o, name);
    put(o, ">");
    put_xml(o, value);
    put(o, "</");
    put(o, name);
    put(o, ">\n");
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static void put_csv(struct out *o, const char *s, int last)
{
    if (s && strpbrk(s, ",\"\r\n")) {
        put(o, "\"");
        for (const char *p = s; *p; p++) {
            char c[2] = {*p, 0};

            put(o, *p == '"' ? "\"\"" : c);
        }
        put(o, "\"");
    } else if (s) {
        put(o, s);
    }
    put(o, last ? "\r\n" : ",");
}

static const char *csv_columns[] = {"id",
                                    "chain",
                                    "seq",
                                    "time",
                                    "duration_ms",
                                    "agent",
                                    "host",
                                    "path",
                                    "size",
                                    "mtime",
                                    "identity",
                                    "identity_file",
                                    "external_identifier",
                                    "payload_oxum",
                                    "outcome",
                                    "problems",
                                    "prev",
                                    "hash"};

static void csv_row(struct out *o, const struct artbag_ledger_event *ev)
{
    char id[24], seq[24], dur[24], size[24], mtime[24];

    snprintf(id, sizeof(id), "%lld", (long long)ev->id);
    snprintf(seq, sizeof(seq), "%lld", (long long)ev->seq);
    snprintf(dur, sizeof(dur), "%lld", (long long)ev->duration_ms);
    snprintf(size, sizeof(size), "%lld", (long long)ev->size);
    snprintf(mtime, sizeof(mtime), "%lld", (long long)ev->mtime);
    {
        const char *v[] = {id,
                           ev->chain,
                           seq,
                           ev->time,
                           dur,
                           ev->agent,
                           ev->host,
                           ev->path,
                           size,
                           mtime,
                           ev->identity,
                           ev->identity_file,
                           ev->external_identifier,
                           ev->payload_oxum,
                           ev->outcome,
                           ev->problems,
                           ev->prev,
                           ev->hash};

        for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
            put_csv(o, v[i], i + 1 == sizeof(v) / sizeof(v[0]));
    }
}

static json_t *jstr(const char *s)
{
    json_t *j;

    if (!s)
        return json_null();
    j = json_string(s);
    return j ? j : json_stringn_nocheck("", 0);
}

static int jsonl_row(struct out *o, const struct artbag_ledger_event *ev)
{
    json_t *j = json_object(), *problems = ev->problems ? json_loads(ev->problems, 0, NULL) : NULL;
    char *s;

    json_object_set_new(j, "id", json_integer(ev->id));
    json_object_set_new(j, "chain", jstr(ev->chain));
    json_object_set_new(j, "seq", json_integer(ev->seq));
    json_object_set_new(j, "time", jstr(ev->time));
    json_object_set_new(j, "duration_ms", json_integer(ev->duration_ms));
    json_object_set_new(j, "agent", jstr(ev->agent));
    json_object_set_new(j, "host", jstr(ev->host));
    json_object_set_new(j, "path", jstr(ev->path));
    json_object_set_new(j, "size", json_integer(ev->size));
    json_object_set_new(j, "mtime", json_integer(ev->mtime));
    json_object_set_new(j, "identity", jstr(ev->identity));
    json_object_set_new(j, "identity_file", jstr(ev->identity_file));
    json_object_set_new(j, "external_identifier", jstr(ev->external_identifier));
    json_object_set_new(j, "payload_oxum", jstr(ev->payload_oxum));
    json_object_set_new(j, "outcome", jstr(ev->outcome));
    json_object_set_new(j, "problems", problems ? problems : json_array());
    json_object_set_new(j, "prev", jstr(ev->prev));
    json_object_set_new(j, "hash", jstr(ev->hash));
    s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        return ARTBAG_EIO;
    put(o, s);
    put(o, "\n");
    free(s);
    return ARTBAG_OK;
}

/* The object an event is about: its identity when known, else its path. */
static void object_id(const struct artbag_ledger_event *ev, const char **type, const char **value)
{
    if (ev->identity) {
        *type = IDENTITY_TYPE;
        *value = ev->identity;
    } else {
        *type = PATH_TYPE;
        *value = ev->path;
    }
}

/* A problems column as one line of text for eventOutcomeDetailNote. */
static char *problems_note(const char *problems)
{
    json_t *a = problems ? json_loads(problems, 0, NULL) : NULL;
    struct artbag_buf b = ARTBAG_BUF_INIT;
    size_t i;
    json_t *p;

    json_array_foreach(a, i, p)
    {
        const char *path = json_string_value(json_object_get(p, "path"));

        artbag_buf_printf(&b, "%s%s: %s%s%s%s", i ? "; " : "",
                          json_string_value(json_object_get(p, "severity"))
                              ? json_string_value(json_object_get(p, "severity"))
                              : "problem",
                          json_string_value(json_object_get(p, "kind"))
                              ? json_string_value(json_object_get(p, "kind"))
                              : "",
                          path ? " '" : "", path ? path : "", path ? "'" : "");
        artbag_buf_printf(&b, " %s",
                          json_string_value(json_object_get(p, "message"))
                              ? json_string_value(json_object_get(p, "message"))
                              : "");
    }
    json_decref(a);
    return artbag_buf_detach(&b, NULL);
}

static void premis_event(struct out *o, const struct artbag_ledger_event *ev)
{
    const char *type, *value;
    char detail[256], *note;

    object_id(ev, &type, &value);
    put(o, "  <event>\n    <eventIdentifier>\n");
    elem(o, "      ", "eventIdentifierType", EVENT_ID_TYPE);
    elem(o, "      ", "eventIdentifierValue", ev->hash);
    put(o, "    </eventIdentifier>\n");
    put(o, "    <eventType authority=\"eventType\" authorityURI=\"" EVENT_TYPE_URI
           "\" valueURI=\"" EVENT_TYPE_FIXITY "\">fixity check</eventType>\n");
    elem(o, "    ", "eventDateTime", ev->time);
    snprintf(detail, sizeof(detail), "artbag audit: full verification (RFC 8493) in %lld ms on ",
             (long long)ev->duration_ms);
    put(o, "    <eventDetailInformation>\n      <eventDetail>");
    put_xml(o, detail);
    put_xml(o, ev->host);
    put(o, " of ");
    put_xml(o, ev->path);
    put(o, "</eventDetail>\n    </eventDetailInformation>\n");
    put(o, "    <eventOutcomeInformation>\n");
    elem(o, "      ", "eventOutcome", ev->outcome);
    note = problems_note(ev->problems);
    if (note && *note) {
        put(o, "      <eventOutcomeDetail>\n");
        elem(o, "        ", "eventOutcomeDetailNote", note);
        put(o, "      </eventOutcomeDetail>\n");
    }
    free(note);
    put(o, "    </eventOutcomeInformation>\n");
    put(o, "    <linkingAgentIdentifier>\n");
    elem(o, "      ", "linkingAgentIdentifierType", "software");
    elem(o, "      ", "linkingAgentIdentifierValue", ev->agent);
    put(o,
        "      <linkingAgentRole authority=\"eventRelatedAgentRole\" authorityURI=\"" AGENT_ROLE_URI
        "\" valueURI=\"" AGENT_ROLE_EXE "\">executing program</linkingAgentRole>\n");
    put(o, "    </linkingAgentIdentifier>\n");
    put(o, "    <linkingObjectIdentifier>\n");
    elem(o, "      ", "linkingObjectIdentifierType", type);
    elem(o, "      ", "linkingObjectIdentifierValue", value);
    put(o, "    </linkingObjectIdentifier>\n");
    if (ev->external_identifier) {
        put(o, "    <linkingObjectIdentifier>\n");
        elem(o, "      ", "linkingObjectIdentifierType", EXTERNAL_ID_TYPE);
        elem(o, "      ", "linkingObjectIdentifierValue", ev->external_identifier);
        put(o, "    </linkingObjectIdentifier>\n");
    }
    put(o, "  </event>\n");
}

/* "2026-01-02" or "2026-01-02T03:04:05Z" (seconds and fraction optional) as a ledger time. */
static int parse_since(const char *s, char out[32])
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10 || !artbag_date_valid(y, mo, d))
        return -1;
    if (s[10]) {
        int m = 0;

        if (sscanf(s + 10, "T%2d:%2d%n", &h, &mi, &m) != 2 || m != 6)
            return -1;
        if (s[16] == ':' && (sscanf(s + 17, "%2d", &sec) != 1 || !s[17] || !s[18]))
            return -1;
        if (strcmp(s + (s[16] == ':' ? 19 : 16), "Z") != 0 || h > 23 || mi > 59 || sec > 60)
            return -1;
    }
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", y, mo, d, h, mi, sec);
    return 0;
}

int artbag_audit_export(struct artbag_ledger *l, int format, const char *since, int fd,
                        struct artbag_error *err)
{
    struct out o = {fd, ARTBAG_BUF_INIT, 0, 0};
    sqlite3_stmt *st = NULL;
    char from[32] = "";
    int src, rc = ARTBAG_OK;

    if (format != ARTBAG_AUDIT_PREMIS && format != ARTBAG_AUDIT_CSV && format != ARTBAG_AUDIT_JSONL)
        return artbag_error_set(err, ARTBAG_EUSAGE, "unknown export format");
    if (since && parse_since(since, from) != 0)
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "'%s' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z)", since);
    /* One read transaction: the export is one consistent moment of the ledger. */
    if ((rc = artbag_ledger_exec(l, "BEGIN", err)) != ARTBAG_OK)
        return rc;
    if (format == ARTBAG_AUDIT_PREMIS) {
        /* PREMIS wants every object before the first event: one per identity (or path) the
         * exported checks are about. Missing bundles were not checked: no fixity event. */
        put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<premis xmlns=\"" PREMIS_NS
                "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"3.0\">\n");
        src = sqlite3_prepare_v2(
            l->db,
            "SELECT CASE WHEN identity IS NULL THEN 'p' ELSE 'i' END,"
            " coalesce(identity, path), max(external_identifier) FROM events"
            " WHERE time >= ? AND outcome != 'missing' GROUP BY 1, 2 ORDER BY 1, 2",
            -1, &st, NULL);
        if (src == SQLITE_OK)
            sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
        while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            const char *kind = (const char *)sqlite3_column_text(st, 0);
            const char *ext = (const char *)sqlite3_column_text(st, 2);

            put(&o, "  <object xsi:type=\"representation\">\n    <objectIdentifier>\n");
            elem(&o, "      ", "objectIdentifierType", kind[0] == 'i' ? IDENTITY_TYPE : PATH_TYPE);
            elem(&o, "      ", "objectIdentifierValue", (const char *)sqlite3_column_text(st, 1));
            put(&o, "    </objectIdentifier>\n");
            if (ext) {
                put(&o, "    <objectIdentifier>\n");
                elem(&o, "      ", "objectIdentifierType", EXTERNAL_ID_TYPE);
                elem(&o, "      ", "objectIdentifierValue", ext);
                put(&o, "    </objectIdentifier>\n");
            }
            put(&o, "  </object>\n");
            src = SQLITE_OK;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (src != SQLITE_DONE) {
            rc = artbag_ledger_fail(l, src, "reading events", err);
            goto cleanup;
        }
    } else if (format == ARTBAG_AUDIT_CSV) {
        for (size_t i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
            put_csv(&o, csv_columns[i], i + 1 == sizeof(csv_columns) / sizeof(csv_columns[0]));
    }
    src = sqlite3_prepare_v2(l->db,
                             "SELECT " LEDGER_EVENT_COLUMNS " FROM events WHERE time >= ?"
                             " ORDER BY id",
                             -1, &st, NULL);
    if (src == SQLITE_OK)
        sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
    while (src == SQLITE_OK && !o.failed && (src = sqlite3_step(st)) == SQLITE_ROW) {
        struct artbag_ledger_event ev;

        artbag_ledger_event_row(st, &ev);
        if (format == ARTBAG_AUDIT_CSV)
            csv_row(&o, &ev);
        else if (format == ARTBAG_AUDIT_JSONL)
            o.failed |= jsonl_row(&o, &ev) != ARTBAG_OK;
        else if (strcmp(ev.outcome, "missing") != 0)
            premis_event(&o, &ev);
        src = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE && !o.failed) {
        rc = artbag_ledger_fail(l, src, "reading events", err);
        goto cleanup;
    }
    if (format == ARTBAG_AUDIT_PREMIS) {
        /* One agent per artbag version that made the exported checks ("artbag 0.1.0"). */
        src = sqlite3_prepare_v2(l->db,
                                 "SELECT DISTINCT agent FROM events WHERE time >= ? AND"
                                 " outcome != 'missing' ORDER BY agent",
                                 -1, &st, NULL);
        if (src == SQLITE_OK)
            sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
        while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            const char *agent = (const char *)sqlite3_column_text(st, 0);
            const char *version = strncmp(agent, "artbag ", 7) == 0 ? agent + 7 : NULL;

            put(&o, "  <agent>\n    <agentIdentifier>\n");
            elem(&o, "      ", "agentIdentifierType", "software");
            elem(&o, "      ", "agentIdentifierValue", agent);
            put(&o, "    </agentIdentifier>\n");
            elem(&o, "    ", "agentName", "artbag");
            elem(&o, "    ", "agentType", "software");
            if (version)
                elem(&o, "    ", "agentVersion", version);
            put(&o, "  </agent>\n");
            src = SQLITE_OK;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (src != SQLITE_DONE) {
            rc = artbag_ledger_fail(l, src, "reading events", err);
            goto cleanup;
        }
        put(&o, "</premis>\n");
    }
    flush_out(&o);
    if (o.failed)
        rc = artbag_error_set(err, ARTBAG_EIO, "writing the export: %s", strerror(o.err_no));
cleanup:
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    artbag_buf_release(&o.b);
    return rc;
}
