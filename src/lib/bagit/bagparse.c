/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* bagparse.c - reads the BagIt tag-file formats of RFC 8493 (bagit.txt, bag-info.txt, manifests,
 * fetch.txt) from bytes into structures, recording every departure from the RFC in a report. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "bagit/bagit.h"

/*
 * Line and white-space conventions shared by every parser here.
 *
 * RFC 8493 allows LF, CR and CRLF line endings and does not forbid a file from mixing them, so
 * every one of them ends a line and "\n\r" is two endings. The ending of the last line is
 * optional, which is why a file ending in one ending does not have an empty last line.
 *
 * Empty lines: bagit.txt "MUST consist of exactly two lines" (2.1.1), so an empty line there is
 * a problem. Manifests, bag-info.txt and fetch.txt describe only non-empty lines; an empty (or
 * white-space-only) line carries no entry and bagit-python skips such lines when it reads, so
 * they are recorded as warnings: worth saying, but no reason to reject the bag.
 *
 * A line holding a NUL byte is a problem everywhere: it cannot be valid text in any of these
 * files, and the strings handed back are NUL-terminated, so accepting it would silently
 * shorten a path or value.
 */

/* How much of a quoted path or value a message shows: enough to find it, never a huge line. */
#define SHOW_MAX 160

static const char *const alg_names[ARTBAG_N_ALGS] = {"md5",    "sha1",   "sha224",
                                                     "sha256", "sha384", "sha512"};
static const size_t alg_hex[ARTBAG_N_ALGS] = {32, 40, 56, 64, 96, 128};

int artbag_alg_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if (strcmp(name, alg_names[i]) == 0)
            return i;
    return -1;
}

const char *artbag_alg_name(int alg)
{
    return alg >= 0 && alg < ARTBAG_N_ALGS ? alg_names[alg] : NULL;
}

size_t artbag_alg_hex_len(int alg)
{
    return alg >= 0 && alg < ARTBAG_N_ALGS ? alg_hex[alg] : 0;
}

int artbag_manifest_name(const char *name, int *alg, int *is_tag)
{
    char algname[16];
    const char *rest;
    size_t n;
    int tag;

    if (alg)
        *alg = -1;
    if (is_tag)
        *is_tag = 0;
    if (!name)
        return 0;
    if (strncmp(name, "tagmanifest-", 12) == 0) {
        tag = 1;
        rest = name + 12;
    } else if (strncmp(name, "manifest-", 9) == 0) {
        tag = 0;
        rest = name + 9;
    } else {
        return 0;
    }
    n = strlen(rest);
    if (n <= 4 || strcmp(rest + n - 4, ".txt") != 0)
        return 0;
    n -= 4;
    /* Manifests live at the bag's top level; "x/manifest-md5.txt" is an ordinary tag file. */
    if (memchr(rest, '/', n))
        return 0;
    if (is_tag)
        *is_tag = tag;
    if (n < sizeof(algname)) {
        int a;

        memcpy(algname, rest, n);
        algname[n] = '\0';
        a = artbag_alg_from_name(algname);
        if (a >= 0) {
            if (alg)
                *alg = a;
            return 1;
        }
    }
    return 2;
}

/* ---- helpers --------------------------------------------------------------------------- */

struct lines {
    const char *buf;
    size_t len;
    size_t pos;
    size_t no; /* number of the line last returned, from 1 */
};

static void lines_init(struct lines *it, const char *buf, size_t len)
{
    it->buf = buf;
    it->len = len;
    it->pos = 0;
    it->no = 0;
}

/* Returns the next line without its ending; *ended says whether it had one. 0 at the end. */
static int lines_next(struct lines *it, const char **line, size_t *n, int *ended)
{
    size_t i = it->pos;
    size_t start = i;

    if (!it->buf || i >= it->len)
        return 0;
    while (i < it->len && it->buf[i] != '\n' && it->buf[i] != '\r')
        i++;
    *line = it->buf + start;
    *n = i - start;
    *ended = i < it->len;
    if (i < it->len) {
        if (it->buf[i] == '\r' && i + 1 < it->len && it->buf[i + 1] == '\n')
            i += 2;
        else
            i++;
    }
    it->pos = i;
    it->no++;
    return 1;
}

static int is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_wsp(s[i]))
            return 0;
    return 1;
}

/* Narrows [*s, *s + *n) to drop leading and trailing spaces and tabs. */
static void trim(const char **s, size_t *n)
{
    while (*n && is_wsp(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_wsp((*s)[*n - 1]))
        (*n)--;
}

/* ASCII-only, so that the answer does not depend on the locale. */
static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int ascii_ieq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);

    if (an != bn)
        return 0;
    for (size_t i = 0; i < an; i++)
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
            return 0;
    return 1;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char *dup_bytes(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/*
 * Copies up to SHOW_MAX bytes of untrusted text into dst for a message, writing control bytes as
 * \xNN so that a message stays one line that a terminal shows as it is. Bytes from 0x80 up pass
 * through: tag files are UTF-8, and paths in other scripts must stay readable.
 */
static const char *show(char dst[SHOW_MAX + 8], const char *s, size_t n)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int ctl = c < 0x20 || c == 0x7f;

        if (o + (ctl ? 4 : 1) > SHOW_MAX) {
            /* Do not leave half a UTF-8 sequence before the ellipsis. */
            while (o > 0 && ((unsigned char)dst[o - 1] & 0xc0) == 0x80)
                o--;
            if (o > 0 && (unsigned char)dst[o - 1] >= 0xc0)
                o--;
            memcpy(dst + o, "...", 3);
            o += 3;
            break;
        }
        if (ctl) {
            snprintf(dst + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            dst[o++] = (char)c;
        }
    }
    dst[o] = '\0';
    return dst;
}

static const char *show_str(char dst[SHOW_MAX + 8], const char *s)
{
    return show(dst, s, strlen(s));
}

/* Records a finding; returns ARTBAG_OK or ARTBAG_EIO so callers can stop on no memory. */
static int note(struct artbag_report *r, int severity, const char *kind, const char *path,
                const char *fmt, ...) ARTBAG_PRINTF(5, 6);

static int note(struct artbag_report *r, int severity, const char *kind, const char *path,
                const char *fmt, ...)
{
    char msg[ARTBAG_ERROR_MAX];
    va_list ap;

    if (!r)
        return ARTBAG_OK;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return artbag_report_add(r, severity, kind, path, NULL, NULL, "%s", msg);
}

/* ---- bagit.txt ------------------------------------------------------------------------- */

#define BAGIT_TXT      "bagit.txt"
#define LABEL_VERSION  "BagIt-Version"
#define LABEL_ENCODING "Tag-File-Character-Encoding"

/* Parses "M.N" (each 1 to 9 digits, so no overflow). 0, or -1 if malformed. */
static int parse_version(const char *s, size_t n, int *major, int *minor)
{
    const char *dot = memchr(s, '.', n);
    size_t i;
    int v;

    if (!dot || dot == s || dot - s > 9 || (size_t)(dot - s) + 1 >= n || n - (size_t)(dot - s) > 10)
        return -1;
    for (i = 0, v = 0; s + i < dot; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *major = v;
    for (i = (size_t)(dot - s) + 1, v = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *minor = v;
    return 0;
}

/*
 * Checks one "Label: value" line of bagit.txt against the exact form RFC 8493 2.1.1 gives and
 * records each departure; the value is still used, since its meaning is clear.
 */
static int bagit_line_form(struct artbag_report *r, size_t no, const char *line, size_t n,
                           size_t colon, const char *canonical)
{
    const char *label = line, *rest = line + colon + 1;
    size_t label_n = colon, rest_n = n - colon - 1;
    char shown[SHOW_MAX + 8];

    if (label_n && is_wsp(label[0]) &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: white space before the label",
             no) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (label_n && is_wsp(label[label_n - 1]) &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: white space before the colon",
             no) != ARTBAG_OK)
        return ARTBAG_EIO;
    trim(&label, &label_n);
    if ((label_n != strlen(canonical) || memcmp(label, canonical, label_n) != 0) &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: label '%s' should be '%s'", no,
             show(shown, label, label_n), canonical) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (!(rest_n >= 2 && rest[0] == ' ' && !is_wsp(rest[1])) &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT,
             "line %zu: expected exactly one space after the colon", no) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (!is_blank(rest, rest_n) && is_wsp(rest[rest_n - 1]) &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: trailing white space", no) !=
            ARTBAG_OK)
        return ARTBAG_EIO;
    return ARTBAG_OK;
}

int artbag_bagit_txt_parse(const char *buf, size_t len, struct artbag_bagit_decl *out,
                           struct artbag_report *r)
{
    struct lines it;
    const char *line;
    size_t n, version_line = 0, encoding_line = 0;
    int ended, have_version = 0, rc = ARTBAG_EIO;
    char shown[SHOW_MAX + 8];

    out->major = out->minor = 0;
    out->encoding = NULL;
    if (!buf)
        len = 0;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT,
                 "starts with a byte-order mark, which RFC 8493 forbids here") != ARTBAG_OK)
            goto cleanup;
        buf += 3;
        len -= 3;
    }
    if (len == 0) {
        if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "empty file") == ARTBAG_OK)
            rc = ARTBAG_EREJECT;
        goto cleanup;
    }
    lines_init(&it, buf, len);
    while (lines_next(&it, &line, &n, &ended)) {
        const char *colon, *label, *value;
        size_t label_n, value_n, no = it.no;
        int is_version;

        if (memchr(line, '\0', n)) {
            if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: contains a NUL byte",
                     no) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (n == 0) {
            if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT,
                     "line %zu: empty line; bagit.txt is exactly two lines", no) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        colon = memchr(line, ':', n);
        label = line;
        label_n = colon ? (size_t)(colon - line) : 0;
        trim(&label, &label_n);
        is_version = ascii_ieq(label, label_n, LABEL_VERSION);
        if (!colon || (!is_version && !ascii_ieq(label, label_n, LABEL_ENCODING))) {
            if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: unexpected line '%s'",
                     no, show(shown, line, n)) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (bagit_line_form(r, no, line, n, (size_t)(colon - line),
                            is_version ? LABEL_VERSION : LABEL_ENCODING) != ARTBAG_OK)
            goto cleanup;
        if (!ended && note(r, ARTBAG_WARNING, "bagit-txt", BAGIT_TXT,
                           "line %zu: no line ending at the end of the file", no) != ARTBAG_OK)
            goto cleanup;
        value = colon + 1;
        value_n = n - (size_t)(value - line);
        trim(&value, &value_n);
        if ((is_version && version_line) || (!is_version && encoding_line)) {
            if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: '%s' given twice", no,
                     is_version ? LABEL_VERSION : LABEL_ENCODING) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (is_version) {
            version_line = no;
            if (parse_version(value, value_n, &out->major, &out->minor) == 0) {
                have_version = 1;
            } else if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT,
                            "line %zu: version '%s' is not of the form M.N", no,
                            show(shown, value, value_n)) != ARTBAG_OK) {
                goto cleanup;
            }
        } else {
            encoding_line = no;
            if (value_n == 0) {
                if (note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "line %zu: empty encoding",
                         no) != ARTBAG_OK)
                    goto cleanup;
                continue;
            }
            out->encoding = dup_bytes(value, value_n);
            if (!out->encoding)
                goto cleanup;
        }
    }
    if (version_line && encoding_line && version_line > encoding_line &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "'%s' must come before '%s'", LABEL_VERSION,
             LABEL_ENCODING) != ARTBAG_OK)
        goto cleanup;
    if (!version_line &&
        note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "no '%s' line", LABEL_VERSION) != ARTBAG_OK)
        goto cleanup;
    if (!encoding_line && note(r, ARTBAG_PROBLEM, "bagit-txt", BAGIT_TXT, "no '%s' line",
                               LABEL_ENCODING) != ARTBAG_OK)
        goto cleanup;
    rc = have_version && out->encoding ? ARTBAG_OK : ARTBAG_EREJECT;
cleanup:
    return rc;
}

void artbag_bagit_decl_release(struct artbag_bagit_decl *d)
{
    if (!d)
        return;
    free(d->encoding);
    d->encoding = NULL;
}

/* ---- tag-file encodings ---------------------------------------------------------------- */

static int is_utf8_name(const char *enc)
{
    return ascii_ieq(enc, strlen(enc), "UTF-8") || ascii_ieq(enc, strlen(enc), "UTF8");
}

/* Names people write that glibc's iconv does not know by that spelling. */
static const char *iconv_name(const char *enc)
{
    if (ascii_ieq(enc, strlen(enc), "Latin-1"))
        return "ISO-8859-1";
    return enc;
}

/* Converts with iconv into tmp; on an undecodable byte records it and returns EREJECT. */
static int decode_iconv(const char *buf, size_t len, const char *enc, const char *path,
                        struct artbag_buf *tmp, struct artbag_report *r)
{
    iconv_t cd;
    char *in = (char *)buf;
    size_t inleft = len, bad;
    char shown[SHOW_MAX + 8];
    int rc = ARTBAG_OK;

    cd = iconv_open("UTF-8", iconv_name(enc));
    if (cd == (iconv_t)-1) {
        if (errno != EINVAL)
            return ARTBAG_EIO;
        if (note(r, ARTBAG_PROBLEM, "encoding", path, "unknown encoding '%s'",
                 show_str(shown, enc)) != ARTBAG_OK)
            return ARTBAG_EIO;
        return ARTBAG_EREJECT;
    }
    /* The last pass, with no input, flushes a stateful decoder. */
    for (int flushing = 0;; flushing = inleft == 0) {
        char chunk[4096];
        char *o = chunk;
        size_t oleft = sizeof(chunk), res;

        res = flushing ? iconv(cd, NULL, NULL, &o, &oleft) : iconv(cd, &in, &inleft, &o, &oleft);
        if (artbag_buf_append(tmp, chunk, (size_t)(o - chunk)) != ARTBAG_OK) {
            rc = ARTBAG_EIO;
            goto cleanup;
        }
        if (res == (size_t)-1 && errno == E2BIG)
            continue;
        if (res == (size_t)-1) {
            int incomplete = errno == EINVAL;

            if (errno != EILSEQ && !incomplete) {
                rc = ARTBAG_EINTERNAL;
                goto cleanup;
            }
            rc = note(r, ARTBAG_PROBLEM, "encoding", path,
                      "%s byte sequence for encoding '%s' at byte offset %zu",
                      incomplete ? "incomplete" : "invalid", show_str(shown, enc),
                      (size_t)(in - buf)) != ARTBAG_OK
                     ? ARTBAG_EIO
                     : ARTBAG_EREJECT;
            goto cleanup;
        }
        if (flushing)
            break;
    }
    /*
     * Some of glibc's decoders (UCS-4, WCHAR_T) pass through values past U+10FFFF, which are not
     * Unicode; the input offset is lost by then, so the message names the decoded text's.
     */
    bad = artbag_utf8_invalid_at((const unsigned char *)tmp->data, tmp->len);
    if (tmp->len && bad < tmp->len) {
        rc = note(r, ARTBAG_PROBLEM, "encoding", path,
                  "encoding '%s' decodes to a value that is not Unicode at byte offset %zu of "
                  "the decoded text",
                  show_str(shown, enc), bad) != ARTBAG_OK
                 ? ARTBAG_EIO
                 : ARTBAG_EREJECT;
        goto cleanup;
    }
cleanup:
    iconv_close(cd);
    return rc;
}

int artbag_tagfile_text(const char *buf, size_t len, const char *encoding, const char *path,
                        const char **out, size_t *out_n, struct artbag_buf *tmp,
                        struct artbag_report *r)
{
    const char *text;
    size_t text_n;
    char shown[SHOW_MAX + 8];
    int rc = ARTBAG_OK;

    if (!buf)
        len = 0;
    /*
     * iconv reads "" as the locale's charset and "X//IGNORE" as "drop what does not decode";
     * neither is an encoding a bag can declare, and both would hide bad bytes.
     */
    if (!encoding || !*encoding || strchr(encoding, '/')) {
        rc = note(r, ARTBAG_PROBLEM, "encoding", path, "unknown encoding '%s'",
                  encoding ? show_str(shown, encoding) : "") != ARTBAG_OK
                 ? ARTBAG_EIO
                 : ARTBAG_EREJECT;
        goto cleanup;
    }
    if (is_utf8_name(encoding)) {
        /* Checked here rather than by iconv, which lets glibc accept code points past U+10FFFF.
         */
        size_t bad = artbag_utf8_invalid_at((const unsigned char *)buf, len);

        if (bad < len) {
            rc = note(r, ARTBAG_PROBLEM, "encoding", path, "invalid UTF-8 at byte offset %zu",
                      bad) != ARTBAG_OK
                     ? ARTBAG_EIO
                     : ARTBAG_EREJECT;
            goto cleanup;
        }
        text = buf;
        text_n = len;
    } else {
        rc = decode_iconv(buf, len, encoding, path, tmp, r);
        if (rc != ARTBAG_OK)
            goto cleanup;
        text = tmp->data;
        text_n = tmp->len;
    }
    /* A byte-order mark says how the file was written; it is not part of the text. */
    if (text_n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        text_n -= 3;
    }
    *out = text ? text : "";
    *out_n = text_n;
cleanup:
    return rc;
}

int artbag_tagfile_decode(const char *buf, size_t len, const char *encoding, const char *path,
                          struct artbag_buf *utf8, struct artbag_report *r)
{
    struct artbag_buf tmp = ARTBAG_BUF_INIT;
    const char *text;
    size_t n;
    int rc = artbag_tagfile_text(buf, len, encoding, path, &text, &n, &tmp, r);

    if (rc == ARTBAG_OK)
        rc = artbag_buf_append(utf8, text, n);
    artbag_buf_release(&tmp);
    return rc;
}

/* ---- bag-info.txt ---------------------------------------------------------------------- */

#define BAG_INFO "bag-info.txt"

/* Appends the element being built to b; takes label and the value's bytes either way. */
static int baginfo_push(struct artbag_baginfo *b, size_t *cap, char **label,
                        struct artbag_buf *value, size_t line, unsigned form)
{
    struct artbag_baginfo_elem *e;
    int rc = ARTBAG_OK;

    /* An element with an empty value still needs "" rather than NULL. */
    if (artbag_buf_append(value, "", 0) != ARTBAG_OK) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    if (!(e = artbag_array_grow(b->elems, cap, b->n, sizeof(*e), 16))) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    b->elems = e;
    b->elems[b->n].label = *label;
    b->elems[b->n].value = artbag_buf_detach(value, NULL);
    b->elems[b->n].line = line;
    b->elems[b->n].form = form;
    b->n++;
    *label = NULL;
cleanup:
    free(*label);
    *label = NULL;
    artbag_buf_release(value);
    return rc;
}

/*
 * Compatibility with BagIt before 1.0, which this parser cannot tell apart (it is not given the
 * version): RFC 8493 2.2.2 requires readers of older bags to accept several spaces or tabs on
 * either side of the colon, so white space around the label and value is trimmed rather than
 * recorded, and so is trailing white space on a value, which no value could mean on purpose.
 */
int artbag_baginfo_parse(const char *utf8, size_t len, struct artbag_baginfo *out,
                         struct artbag_report *r)
{
    struct artbag_buf value = ARTBAG_BUF_INIT;
    struct lines it;
    const char *line;
    char *label = NULL;
    size_t n, cap = 0, label_line = 0;
    unsigned form = 0;
    int ended, skipping = 0, rc = ARTBAG_EIO;
    char shown[SHOW_MAX + 8];

    out->elems = NULL;
    out->n = 0;
    lines_init(&it, utf8, len);
    while (lines_next(&it, &line, &n, &ended)) {
        const char *colon, *l, *v;
        size_t ln, vn, no = it.no;

        if (memchr(line, '\0', n)) {
            if (note(r, ARTBAG_PROBLEM, "bag-info", BAG_INFO, "line %zu: contains a NUL byte",
                     no) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (is_blank(line, n)) {
            if (note(r, ARTBAG_WARNING, "bag-info", BAG_INFO, "line %zu: empty line", no) !=
                ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (is_wsp(line[0])) {
            v = line;
            vn = n;
            trim(&v, &vn);
            if (label) {
                if ((value.len && artbag_buf_append(&value, " ", 1) != ARTBAG_OK) ||
                    artbag_buf_append(&value, v, vn) != ARTBAG_OK)
                    goto cleanup;
            } else if (!skipping && note(r, ARTBAG_PROBLEM, "bag-info", BAG_INFO,
                                         "line %zu: continuation line with no element before it",
                                         no) != ARTBAG_OK) {
                goto cleanup;
            }
            continue;
        }
        if (label && baginfo_push(out, &cap, &label, &value, label_line, form) != ARTBAG_OK)
            goto cleanup;
        /* Continuations of a line that was skipped belong to it; one message is enough. */
        skipping = 1;
        colon = memchr(line, ':', n);
        if (!colon) {
            if (note(r, ARTBAG_PROBLEM, "bag-info", BAG_INFO,
                     "line %zu: '%s' is not of the form 'Label: value'", no,
                     show(shown, line, n)) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        l = line;
        ln = (size_t)(colon - line);
        trim(&l, &ln);
        if (ln == 0) {
            if (note(r, ARTBAG_PROBLEM, "bag-info", BAG_INFO, "line %zu: empty label", no) !=
                ARTBAG_OK)
                goto cleanup;
            continue;
        }
        v = colon + 1;
        vn = n - (size_t)(v - line);
        form = (colon > line && is_wsp(colon[-1]) ? ARTBAG_BAGINFO_WS_BEFORE_COLON : 0) |
               (vn && !is_wsp(v[0]) ? ARTBAG_BAGINFO_NO_WS_AFTER : 0);
        label_line = no;
        trim(&v, &vn);
        label = dup_bytes(l, ln);
        if (!label || artbag_buf_append(&value, v, vn) != ARTBAG_OK)
            goto cleanup;
        skipping = 0;
    }
    if (label && baginfo_push(out, &cap, &label, &value, label_line, form) != ARTBAG_OK)
        goto cleanup;
    rc = ARTBAG_OK;
cleanup:
    free(label);
    artbag_buf_release(&value);
    return rc;
}

void artbag_baginfo_release(struct artbag_baginfo *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->elems[i].label);
        free(b->elems[i].value);
    }
    free(b->elems);
    b->elems = NULL;
    b->n = 0;
}

const char *artbag_baginfo_get(const struct artbag_baginfo *b, const char *label)
{
    if (!b || !label)
        return NULL;
    for (size_t i = 0; i < b->n; i++)
        if (ascii_ieq(b->elems[i].label, strlen(b->elems[i].label), label))
            return b->elems[i].value;
    return NULL;
}

/* Reads 1 or more decimal digits up to end or stop into *v; -1 on anything else or overflow. */
static int parse_u64(const char *s, size_t n, uint64_t *v)
{
    uint64_t x = 0;

    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned d;

        if (s[i] < '0' || s[i] > '9')
            return -1;
        d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

int artbag_oxum_parse(const char *s, uint64_t *bytes, uint64_t *files)
{
    const char *dot;
    uint64_t b, f;

    if (!s)
        return -1;
    dot = strchr(s, '.');
    if (!dot || parse_u64(s, (size_t)(dot - s), &b) != 0 ||
        parse_u64(dot + 1, strlen(dot + 1), &f) != 0)
        return -1;
    if (bytes)
        *bytes = b;
    if (files)
        *files = f;
    return 0;
}

/* ---- manifests and fetch.txt ----------------------------------------------------------- */

int artbag_path_decode(const char *enc, size_t len, struct artbag_buf *out)
{
    size_t start = out->len, run = 0;

    /* Anything else after '%' is left alone: RFC 8493 encodes only these three characters. */
    for (size_t i = 0; enc && i + 2 < len; i++) {
        char c;

        if (enc[i] != '%')
            continue;
        if (enc[i + 1] == '2' && enc[i + 2] == '5')
            c = '%';
        else if (enc[i + 1] == '0' && (enc[i + 2] == 'A' || enc[i + 2] == 'a'))
            c = '\n';
        else if (enc[i + 1] == '0' && (enc[i + 2] == 'D' || enc[i + 2] == 'd'))
            c = '\r';
        else
            continue;
        if (artbag_buf_append(out, enc + run, i - run) != ARTBAG_OK ||
            artbag_buf_append(out, &c, 1) != ARTBAG_OK)
            goto oom;
        i += 2;
        run = i + 1;
    }
    if (artbag_buf_append(out, enc ? enc + run : "", enc ? len - run : 0) != ARTBAG_OK)
        goto oom;
    return ARTBAG_OK;
oom:
    if (out->data) {
        out->len = start;
        out->data[start] = '\0';
    }
    return ARTBAG_EIO;
}

/*
 * The paths seen so far in one file, so that a path listed twice is found in constant time even
 * in a manifest of a million lines. Keys are borrowed from the entries being built.
 */
/* 16 bytes a slot, at up to half full: a manifest of millions of lines has as many. No tag
 * file kept for checking reaches 2^32 lines (64 MiB); past that, adding fails as memory. */
struct pathset {
    struct pathset_slot {
        const char *key;
        uint32_t line;
        uint32_t index; /* of the entry the first listing made */
    } * slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
};

static uint64_t hash_str(const char *s)
{
    return artbag_hash_bytes(s, strlen(s));
}

static int pathset_grow(struct pathset *set)
{
    size_t ncap = set->cap ? set->cap * 2 : 64;
    struct pathset_slot *slots;

    if (ncap > SIZE_MAX / sizeof(*slots))
        return ARTBAG_EIO;
    slots = calloc(ncap, sizeof(*slots));
    if (!slots)
        return ARTBAG_EIO;
    for (size_t i = 0; i < set->cap; i++) {
        size_t j;

        if (!set->slots[i].key)
            continue;
        for (j = hash_str(set->slots[i].key) & (ncap - 1); slots[j].key; j = (j + 1) & (ncap - 1))
            ;
        slots[j] = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = ncap;
    return ARTBAG_OK;
}

/* Adds key; returns 1 when added, 0 when present (*first = its slot), -1 for no memory. */
static int pathset_add(struct pathset *set, const char *key, size_t line, size_t index,
                       const struct pathset_slot **first)
{
    size_t j;

    if (line > UINT32_MAX || index > UINT32_MAX)
        return -1;
    if ((set->n + 1) * 2 > set->cap && pathset_grow(set) != ARTBAG_OK)
        return -1;
    for (j = hash_str(key) & (set->cap - 1); set->slots[j].key; j = (j + 1) & (set->cap - 1)) {
        if (strcmp(set->slots[j].key, key) == 0) {
            *first = &set->slots[j];
            return 0;
        }
    }
    set->slots[j].key = key;
    set->slots[j].line = (uint32_t)line;
    set->slots[j].index = (uint32_t)index;
    set->n++;
    return 1;
}

static void pathset_release(struct pathset *set)
{
    free(set->slots);
    set->slots = NULL;
    set->cap = set->n = 0;
}

const char *artbag_path_fault(const char *p, size_t n)
{
    size_t start = 0;

    if (memchr(p, '\\', n))
        return "contains a backslash; the separator is '/'";
    for (size_t i = 0; i <= n; i++) {
        if (i < n && p[i] != '/')
            continue;
        if (i == start)
            return "has an empty component";
        if (i - start == 1 && p[start] == '.')
            return "has a '.' component";
        if (i - start == 2 && p[start] == '.' && p[start + 1] == '.')
            return "has a '..' component";
        start = i + 1;
    }
    return NULL;
}

/*
 * Decodes the path of a manifest or fetch line into tmp and checks where it points; returns
 * ARTBAG_OK (and *fault NULL when the path is acceptable) or ARTBAG_EIO.
 */
static int check_path(const char *enc, size_t n, int is_tag, int encoded, struct artbag_buf *tmp,
                      const char **fault, size_t *dotslash)
{
    int alg, tag;

    tmp->len = 0;
    if ((encoded ? artbag_path_decode(enc, n, tmp) : artbag_buf_append(tmp, enc, n)) != ARTBAG_OK)
        return ARTBAG_EIO;
    *fault = NULL;
    /* "./data/x" is a relative path inside the bag as RFC 8493 2.1.3 defines them, the way
     * find(1) and some tools write it: the same file as "data/x". */
    for (*dotslash = 0; tmp->len - *dotslash > 2 && tmp->data[*dotslash] == '.' &&
                        tmp->data[*dotslash + 1] == '/';)
        *dotslash += 2;
    if (*dotslash) {
        memmove(tmp->data, tmp->data + *dotslash, tmp->len - *dotslash + 1);
        tmp->len -= *dotslash;
    }
    if (tmp->len && tmp->data[0] == '/')
        *fault = "is an absolute path";
    else if (!is_tag && strncmp(tmp->data, "data/", 5) != 0)
        *fault = "is outside data/";
    else if (is_tag && strncmp(tmp->data, "data/", 5) == 0)
        *fault = "is a payload file; a tag manifest lists tag files";
    else if (is_tag && artbag_manifest_name(tmp->data, &alg, &tag) && tag)
        *fault = "is a tag manifest; tag manifests do not list one another";
    else
        *fault = artbag_path_fault(tmp->data, tmp->len);
    return ARTBAG_OK;
}

/* Splits "FIELD 1*WSP REST" at the first run of white space; -1 when either part is empty. */
static int split_field(const char *s, size_t n, size_t *field_n, const char **rest, size_t *rest_n)
{
    size_t i = 0, j;

    while (i < n && !is_wsp(s[i]))
        i++;
    for (j = i; j < n && is_wsp(s[j]); j++)
        ;
    if (i == 0 || i == j || j == n)
        return -1;
    *field_n = i;
    *rest = s + j;
    *rest_n = n - j;
    return 0;
}

/*
 * What manifests and fetch.txt have in common: lines of fields that end in a path, each path
 * decoded, checked and listed once. kind and file name the findings.
 */
struct listing {
    const char *kind, *file;
    int is_tag, encoded;
    struct artbag_report *r;
    struct artbag_buf tmp; /* the decoded path */
    struct pathset seen;
    char shown[SHOW_MAX + 8];
    size_t next; /* index the next claimed line's entry gets */
    /* Non-zero when the line being claimed says exactly what entry first said (may be NULL). */
    int (*same)(const struct listing *ls, size_t first);
    const void *out;    /* what same() compares against */
    const char *digest; /* the line being claimed's digest, for same() */
};

static void listing_release(struct listing *ls)
{
    pathset_release(&ls->seen);
    artbag_buf_release(&ls->tmp);
}

/* 1 for a line to parse; 0 for one reported (a NUL byte) or noted (blank) and skipped; -1 for
 * no memory. */
static int listing_line(struct listing *ls, const char *line, size_t n, size_t no)
{
    if (memchr(line, '\0', n))
        return note(ls->r, ARTBAG_PROBLEM, ls->kind, ls->file, "line %zu: contains a NUL byte",
                    no) == ARTBAG_OK
                   ? 0
                   : -1;
    if (is_blank(line, n))
        return note(ls->r, ARTBAG_WARNING, ls->kind, ls->file, "line %zu: empty line", no) ==
                       ARTBAG_OK
                   ? 0
                   : -1;
    return 1;
}

/*
 * Decodes and checks a line's path into ls->tmp: 1 when it may be claimed, 0 when the line was
 * reported (a bad path) and is skipped, -1 for no memory.
 */
static int listing_check(struct listing *ls, const char *path, size_t pn, size_t no)
{
    const char *fault;
    size_t dotslash;

    if (check_path(path, pn, ls->is_tag, ls->encoded, &ls->tmp, &fault, &dotslash) != ARTBAG_OK)
        return -1;
    if (fault)
        return note(ls->r, ARTBAG_PROBLEM, ls->kind, ls->file, "line %zu: '%s' %s", no,
                    show(ls->shown, ls->tmp.data, ls->tmp.len), fault) == ARTBAG_OK
                   ? 0
                   : -1;
    if (dotslash && note(ls->r, ARTBAG_WARNING, ls->kind, ls->file,
                         "line %zu: './%s' starts with './'; read as the relative path '%s'", no,
                         show(ls->shown, ls->tmp.data, ls->tmp.len), ls->shown) != ARTBAG_OK)
        return -1;
    return 1;
}

/* Reports line no listing path again (first listed on line first); 0, or -1 for no memory. */
static int listing_twice(struct listing *ls, const char *path, size_t no, size_t first, int alike)
{
    int rc;

    /* BagIt 0.97 says nothing against listing a file twice alike (md5deep did); 1.0 says a
     * manifest lists each file once. */
    if (!ls->encoded && alike)
        rc = note(ls->r, ARTBAG_WARNING, ls->kind, ls->file,
                  "line %zu: '%s' listed twice alike (first on line %zu); BagIt 1.0 forbids it", no,
                  show_str(ls->shown, path), first);
    else
        rc = note(ls->r, ARTBAG_PROBLEM, ls->kind, ls->file,
                  "line %zu: '%s' listed twice (first on line %zu)", no, show_str(ls->shown, path),
                  first);
    return rc == ARTBAG_OK ? 0 : -1;
}

/*
 * Decodes and checks a line's path and claims it: 1 with *copy a new copy of the decoded path,
 * the first time it is listed; 0 when the line was reported (a bad path, or one listed before)
 * and is skipped; -1 for no memory. The set keeps pointing at *copy.
 */
static int listing_claim(struct listing *ls, const char *path, size_t pn, size_t no, char **copy)
{
    const struct pathset_slot *first;
    int rc;

    *copy = NULL;
    if ((rc = listing_check(ls, path, pn, no)) <= 0)
        return rc;
    if (!(*copy = dup_bytes(ls->tmp.data, ls->tmp.len)))
        return -1;
    switch (pathset_add(&ls->seen, *copy, no, ls->next, &first)) {
    case 1:
        ls->next++;
        return 1;
    case 0:
        rc = listing_twice(ls, *copy, no, (size_t)first->line,
                           ls->same && ls->same(ls, first->index));
        free(*copy);
        *copy = NULL;
        return rc;
    default:
        free(*copy);
        *copy = NULL;
        return -1;
    }
}

/*
 * The checks of one manifest line up to its path: 1 with the digest's length and the path (less
 * a 0.97 '*' marker) when the path is to be read; 0 when the line was reported and is skipped;
 * -1 for no memory.
 */
static int manifest_fields(struct listing *ls, int alg, const char *line, size_t n, size_t no,
                           size_t *dn_out, const char **path_out, size_t *pn_out)
{
    struct artbag_report *r = ls->r;
    const char *name = ls->file, *path;
    size_t dn, pn, i, want = artbag_alg_hex_len(alg);
    int k;

    if ((k = listing_line(ls, line, n, no)) <= 0)
        return k;
    if (split_field(line, n, &dn, &path, &pn) != 0)
        return note(r, ARTBAG_PROBLEM, "manifest", name,
                    "line %zu: '%s' is not of the form 'DIGEST PATH'", no,
                    show(ls->shown, line, n)) == ARTBAG_OK
                   ? 0
                   : -1;
    for (i = 0; i < dn && is_hex(line[i]); i++)
        ;
    if (i < dn)
        return note(r, ARTBAG_PROBLEM, "manifest", name, "line %zu: digest '%s' is not hexadecimal",
                    no, show(ls->shown, line, dn)) == ARTBAG_OK
                   ? 0
                   : -1;
    /* Without a known algorithm (a caller reading "manifest-foo.txt") no length is right. */
    if (want && dn != want) {
        char exp[24], act[24];

        snprintf(exp, sizeof(exp), "%zu", want);
        snprintf(act, sizeof(act), "%zu", dn);
        return artbag_report_add(r, ARTBAG_PROBLEM, "manifest", name, exp, act,
                                 "line %zu: digest has %zu hex digits, expected %zu for %s", no, dn,
                                 want, artbag_alg_name(alg)) == ARTBAG_OK
                   ? 0
                   : -1;
    }
    if (pn > 1 && path[0] == '*') {
        if (ls->encoded)
            return note(r, ARTBAG_PROBLEM, "manifest", name,
                        "line %zu: '%s' starts with md5sum's binary-mode marker '*', which BagIt "
                        "1.0 does not allow",
                        no, show(ls->shown, path, pn)) == ARTBAG_OK
                       ? 0
                       : -1;
        if (note(r, ARTBAG_WARNING, "manifest", name,
                 "line %zu: '*' before '%s' is md5sum's binary-mode marker; read without it", no,
                 show(ls->shown, path + 1, pn - 1)) != ARTBAG_OK)
            return -1;
        path++;
        pn--;
    }
    *dn_out = dn;
    *path_out = path;
    *pn_out = pn;
    return 1;
}

/*
 * Payload and tag manifest lines.
 *
 * The path is everything after the white space that follows the digest, up to the line ending,
 * so it may hold spaces and tabs and may end with them: RFC 8493 2.1.3 allows any file name
 * and trimming would name a different file. A leading '*', which sha256sum writes for its
 * binary mode, is md5sum's marker in a 0.97 (or older) bag, where tools that wrote manifests with
 * md5sum left it (a warning); BagIt 1.0 has no such marker, so there it is an error. A line that
 * starts with white space has no digest.
 */
static int manifest_same(const struct listing *ls, size_t first)
{
    const struct artbag_manifest *m = ls->out;

    return ls->digest && first < m->n && strcmp(m->entries[first].digest, ls->digest) == 0;
}

int artbag_manifest_parse(const char *utf8, size_t len, const char *name, int alg, int is_tag,
                          int encoded, struct artbag_manifest *out, struct artbag_report *r)
{
    struct listing ls = {"manifest",   name, is_tag, encoded,       r,   ARTBAG_BUF_INIT,
                         {NULL, 0, 0}, "",   0,      manifest_same, out, NULL};
    struct lines it;
    const char *line;
    size_t n, cap = 0;
    int ended, k, rc = ARTBAG_EIO;
    char lower[ARTBAG_HEX_MAX];

    out->alg = alg;
    out->is_tag = is_tag;
    out->entries = NULL;
    out->n = 0;
    lines_init(&it, utf8, len);
    while (lines_next(&it, &line, &n, &ended)) {
        struct artbag_manifest_entry e = {NULL, NULL, NULL}, *grown;
        const char *path;
        size_t dn, pn, i, no = it.no;

        if ((k = manifest_fields(&ls, alg, line, n, no, &dn, &path, &pn)) <= 0) {
            if (k < 0)
                goto cleanup;
            continue;
        }
        if (!(grown = artbag_array_grow(out->entries, &cap, out->n, sizeof(*grown), 16)))
            goto cleanup;
        out->entries = grown;
        /* Digests are compared lower-cased; one too long for any algorithm compares as itself. */
        for (i = 0; i < dn && i < sizeof(lower) - 1; i++)
            lower[i] = (char)ascii_lower((unsigned char)line[i]);
        lower[i] = '\0';
        ls.digest = dn < sizeof(lower) ? lower : NULL;
        if ((k = listing_claim(&ls, path, pn, no, &e.path)) <= 0) {
            if (k < 0)
                goto cleanup;
            continue;
        }
        /* Kept only when decoding changed it: bagit-python and bagit-java wrote '%' raw, and
         * the checker falls back to the literal name when the decoded one is not there. */
        if (encoded && (pn != strlen(e.path) || memcmp(path, e.path, pn) != 0) &&
            (pn < 2 || path[0] != '.' || path[1] != '/') && !(e.raw = dup_bytes(path, pn))) {
            free(e.path);
            goto cleanup;
        }
        if (!(e.digest = dup_bytes(line, dn))) {
            free(e.path);
            free(e.raw);
            goto cleanup;
        }
        for (i = 0; i < dn; i++)
            e.digest[i] = (char)ascii_lower((unsigned char)e.digest[i]);
        out->entries[out->n++] = e;
    }
    rc = ARTBAG_OK;
cleanup:
    listing_release(&ls);
    return rc;
}

void artbag_manifest_release(struct artbag_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->entries[i].path);
        free(m->entries[i].raw);
        free(m->entries[i].digest);
    }
    free(m->entries);
    m->entries = NULL;
    m->n = 0;
}

/* ---- payload manifests as they stream --------------------------------------------------- */

struct artbag_manifest_stream {
    struct listing ls;
    int alg;
    artbag_manifest_claim_fn *claim;
    void *arg;
    struct artbag_buf part; /* a line whose ending has not come yet */
    size_t no;              /* lines read */
    uint64_t at;            /* bytes before the line being read */
    size_t bad;             /* offset of invalid UTF-8, once found */
    int cr;                 /* the last chunk ended with CR: an LF next ends nothing more */
    int failed;
    size_t max_lines; /* 0: any number */
    int over;         /* ARTBAG_MSTREAM_LONG_LINE or _MANY_LINES, once failed for it */
};

int artbag_manifest_stream_new(struct artbag_manifest_stream **out, const char *name, int alg,
                               int encoded, artbag_manifest_claim_fn *claim, void *arg,
                               struct artbag_report *r)
{
    struct artbag_manifest_stream *s = calloc(1, sizeof(*s));

    *out = s;
    if (!s)
        return ARTBAG_EIO;
    s->ls.kind = "manifest";
    s->ls.file = name;
    s->ls.encoded = encoded;
    s->ls.r = r;
    s->alg = alg;
    s->claim = claim;
    s->arg = arg;
    return ARTBAG_OK;
}

void artbag_manifest_stream_free(struct artbag_manifest_stream *s)
{
    if (!s)
        return;
    listing_release(&s->ls);
    artbag_buf_release(&s->part);
    free(s);
}

void artbag_manifest_stream_set_arg(struct artbag_manifest_stream *s, void *arg)
{
    s->arg = arg;
}

size_t artbag_manifest_stream_bad_at(const struct artbag_manifest_stream *s)
{
    return s->bad;
}

void artbag_manifest_stream_set_max_lines(struct artbag_manifest_stream *s, size_t max_lines)
{
    s->max_lines = max_lines;
}

int artbag_manifest_stream_over(const struct artbag_manifest_stream *s, size_t *line)
{
    if (line)
        *line = s->no + 1;
    return s->over;
}

/* One whole line, without its ending, as artbag_manifest_parse() reads it. */
static int stream_line(struct artbag_manifest_stream *s, const char *line, size_t n, int ended)
{
    size_t bad = artbag_utf8_invalid_at((const unsigned char *)line, n), dn, pn, first, i, no;
    char lower[ARTBAG_HEX_MAX];
    const char *path, *raw = NULL;
    int k, alike = 0;

    if (bad < n) {
        s->bad = (size_t)s->at + bad;
        s->failed = 1;
        return ARTBAG_EREJECT;
    }
    /* A byte-order mark says how the file was written; it is not part of the text. */
    if (s->no == 0 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
        line += 3;
        n -= 3;
        if (!n && !ended)
            return ARTBAG_OK; /* the mark was all there was */
    }
    if (s->max_lines && s->no >= s->max_lines) {
        /* each line may name a file not yet seen, which costs an entry */
        s->over = ARTBAG_MSTREAM_MANY_LINES;
        s->failed = 1;
        return ARTBAG_EREJECT;
    }
    no = ++s->no;
    if ((k = manifest_fields(&s->ls, s->alg, line, n, no, &dn, &path, &pn)) <= 0)
        return k < 0 ? ARTBAG_EIO : ARTBAG_OK;
    for (i = 0; i < dn && i < sizeof(lower) - 1; i++)
        lower[i] = (char)ascii_lower((unsigned char)line[i]);
    lower[i] = '\0';
    if ((k = listing_check(&s->ls, path, pn, no)) <= 0)
        return k < 0 ? ARTBAG_EIO : ARTBAG_OK;
    /* As artbag_manifest_parse() keeps it: only when decoding changed it. */
    if (s->ls.encoded && (pn != s->ls.tmp.len || memcmp(path, s->ls.tmp.data, pn) != 0) &&
        (pn < 2 || path[0] != '.' || path[1] != '/'))
        raw = path;
    k = s->claim(s->arg, s->ls.tmp.data, s->ls.tmp.len, raw, raw ? pn : 0, lower, dn, no, &first,
                 &alike);
    if (k == 0)
        k = listing_twice(&s->ls, s->ls.tmp.data, no, first, alike);
    return k < 0 ? ARTBAG_EIO : ARTBAG_OK;
}

int artbag_manifest_stream_feed(struct artbag_manifest_stream *s, const char *buf, size_t len)
{
    size_t i = 0;

    if (s->failed)
        return ARTBAG_EREJECT;
    if (s->cr && len && buf[0] == '\n') {
        /* The LF of a CRLF split between two chunks. */
        i = 1;
        s->at++;
    }
    s->cr = 0;
    while (i < len) {
        size_t start = i, n;
        const char *line;
        int rc;

        while (i < len && buf[i] != '\n' && buf[i] != '\r')
            i++;
        if (i == len) {
            /* No ending yet: the rest waits for the next chunk, up to a length no line that
             * names a restorable path (4,095 bytes, percent-encoded) comes near. */
            if (s->part.len + (len - start) > ARTBAG_MSTREAM_LINE_MAX) {
                s->over = ARTBAG_MSTREAM_LONG_LINE;
                s->failed = 1;
                return ARTBAG_EREJECT;
            }
            return artbag_buf_append(&s->part, buf + start, len - start) == ARTBAG_OK ? ARTBAG_OK
                                                                                      : ARTBAG_EIO;
        }
        if (s->part.len + (i - start) > ARTBAG_MSTREAM_LINE_MAX) {
            s->over = ARTBAG_MSTREAM_LONG_LINE;
            s->failed = 1;
            return ARTBAG_EREJECT;
        }
        if (s->part.len) {
            if (artbag_buf_append(&s->part, buf + start, i - start) != ARTBAG_OK)
                return ARTBAG_EIO;
            line = s->part.data;
            n = s->part.len;
        } else {
            line = buf + start;
            n = i - start;
        }
        rc = stream_line(s, line, n, 1);
        s->at += n + 1;
        s->part.len = 0;
        if (buf[i] == '\r') {
            if (i + 1 < len && buf[i + 1] == '\n') {
                i++;
                s->at++;
            } else if (i + 1 == len) {
                s->cr = 1;
            }
        }
        i++;
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

int artbag_manifest_stream_end(struct artbag_manifest_stream *s)
{
    int rc = ARTBAG_OK;

    if (s->failed)
        return ARTBAG_EREJECT;
    if (s->part.len)
        rc = stream_line(s, s->part.data, s->part.len, 0);
    s->part.len = 0;
    return rc;
}

#define FETCH_TXT "fetch.txt"

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. */
static int is_absolute_url(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (i = 1; i < n && s[i] != ':'; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return i < n - 1;
}

/*
 * fetch.txt lines: "URL 1*WSP LENGTH 1*WSP PATH", the path running to the end of the line as in
 * manifests. A URL must be absolute (scheme and colon), since there is no base to resolve a
 * relative one against. A path listed twice is a problem: two sources for one file cannot both
 * be right.
 */
int artbag_fetch_parse(const char *utf8, size_t len, int encoded, struct artbag_fetch *out,
                       struct artbag_report *r)
{
    struct listing ls = {"fetch",      FETCH_TXT, 0, encoded, r,    ARTBAG_BUF_INIT,
                         {NULL, 0, 0}, "",        0, NULL,    NULL, NULL};
    struct lines it;
    const char *line;
    size_t n, cap = 0;
    int ended, k, rc = ARTBAG_EIO;

    out->entries = NULL;
    out->n = 0;
    lines_init(&it, utf8, len);
    while (lines_next(&it, &line, &n, &ended)) {
        struct artbag_fetch_entry e = {NULL, -1, NULL}, *grown;
        const char *rest, *path;
        size_t un, rn, ln, pn, no = it.no;
        uint64_t length;

        if ((k = listing_line(&ls, line, n, no)) <= 0) {
            if (k < 0)
                goto cleanup;
            continue;
        }
        if (split_field(line, n, &un, &rest, &rn) != 0 ||
            split_field(rest, rn, &ln, &path, &pn) != 0) {
            if (note(r, ARTBAG_PROBLEM, "fetch", FETCH_TXT,
                     "line %zu: '%s' is not of the form 'URL LENGTH PATH'", no,
                     show(ls.shown, line, n)) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (!is_absolute_url(line, un)) {
            if (note(r, ARTBAG_PROBLEM, "fetch", FETCH_TXT, "line %zu: '%s' is not an absolute url",
                     no, show(ls.shown, line, un)) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (ln == 1 && rest[0] == '-') {
            e.length = -1;
        } else if (parse_u64(rest, ln, &length) == 0 && length <= INT64_MAX) {
            e.length = (int64_t)length;
        } else {
            if (note(r, ARTBAG_PROBLEM, "fetch", FETCH_TXT,
                     "line %zu: length '%s' is neither a number of bytes nor '-'", no,
                     show(ls.shown, rest, ln)) != ARTBAG_OK)
                goto cleanup;
            continue;
        }
        if (!(grown = artbag_array_grow(out->entries, &cap, out->n, sizeof(*grown), 16)))
            goto cleanup;
        out->entries = grown;
        if ((k = listing_claim(&ls, path, pn, no, &e.path)) <= 0) {
            if (k < 0)
                goto cleanup;
            continue;
        }
        if (!(e.url = dup_bytes(line, un))) {
            free(e.path);
            goto cleanup;
        }
        out->entries[out->n++] = e;
    }
    rc = ARTBAG_OK;
cleanup:
    listing_release(&ls);
    return rc;
}

void artbag_fetch_release(struct artbag_fetch *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->entries[i].url);
        free(f->entries[i].path);
    }
    free(f->entries);
    f->entries = NULL;
    f->n = 0;
}

/* ---- Unicode forms --------------------------------------------------------------------- */

char *artbag_utf8_nfc(const char *s)
{
    if (!s)
        return NULL;
    return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

char *artbag_utf8_casefold(const char *s)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n;
    size_t len;

    if (!s)
        return NULL;
    /* Most names are ASCII, whose case fold is plain lower case: verify folds every name in a
     * bag, and utf8proc's full decomposition was a twentieth of verify's time. */
    for (len = 0; s[len] && !((unsigned char)s[len] & 0x80); len++)
        ;
    if (!s[len]) {
        char *low = malloc(len + 1);

        if (!low)
            return NULL;
        for (size_t i = 0; i <= len; i++)
            low[i] = (char)ascii_lower((unsigned char)s[i]);
        return low;
    }
    n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &dst,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0)
        return NULL;
    return (char *)dst;
}

int artbag_encoding_is_utf8(const char *encoding)
{
    return encoding && is_utf8_name(encoding);
}
