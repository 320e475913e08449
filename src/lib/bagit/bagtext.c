/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* bagtext.c - the BagIt tag-file line formats of RFC 8493 (manifest lines, bagit.txt, bag-info
 * elements), built in memory as pure functions over bytes so they can be tested and fuzzed alone.
 */
#include <stdio.h>
#include <string.h>

#include "bagit/bagit.h"

/*
 * Puts the buffer back to the length it had before a multi-part append failed half way, so a
 * caller that gets ARTBAG_EIO never finds half a line in its tag file.
 */
static void buf_truncate(struct artbag_buf *b, size_t len)
{
    if (b->data) {
        b->len = len;
        b->data[len] = '\0';
    }
}

int artbag_path_encode(struct artbag_buf *out, const char *path)
{
    size_t start = out->len;
    const char *run = path;
    const char *p;

    /* Copy unencoded runs in one append each: paths are short, but this keeps it linear. */
    for (p = path; *p; p++) {
        const char *esc;

        switch (*p) {
        case '%':
            esc = "%25";
            break;
        case '\r':
            esc = "%0D";
            break;
        case '\n':
            esc = "%0A";
            break;
        default:
            continue;
        }
        if (artbag_buf_append(out, run, (size_t)(p - run)) != ARTBAG_OK ||
            artbag_buf_puts(out, esc) != ARTBAG_OK) {
            buf_truncate(out, start);
            return ARTBAG_EIO;
        }
        run = p + 1;
    }
    if (artbag_buf_append(out, run, (size_t)(p - run)) != ARTBAG_OK) {
        buf_truncate(out, start);
        return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

int artbag_manifest_add(struct artbag_buf *out, const char *hexdigest, const char *path)
{
    size_t start = out->len;

    /* Two spaces: RFC 8493 allows one or more, and two is what `sha256sum -c` expects. */
    if (artbag_buf_puts(out, hexdigest) != ARTBAG_OK || artbag_buf_puts(out, "  ") != ARTBAG_OK ||
        artbag_path_encode(out, path) != ARTBAG_OK || artbag_buf_puts(out, "\n") != ARTBAG_OK) {
        buf_truncate(out, start);
        return ARTBAG_EIO;
    }
    return ARTBAG_OK;
}

int artbag_bagit_txt(struct artbag_buf *out)
{
    return artbag_buf_puts(out, "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
}

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/*
 * Copies a label into dst for an error message with control characters shown as \xNN, so that
 * the message stays on one line whatever the caller passed.
 */
static const char *label_for_message(char *dst, size_t size, const char *label)
{
    size_t n = 0;
    const unsigned char *p;

    for (p = (const unsigned char *)label; *p && n + 5 < size; p++) {
        if (is_control(*p))
            n += (size_t)snprintf(dst + n, size - n, "\\x%02X", *p);
        else
            dst[n++] = (char)*p;
    }
    dst[n] = '\0';
    return dst;
}

int artbag_baginfo_check(const char *label, const char *value, struct artbag_error *err)
{
    char shown[128];
    const char *p;
    size_t len;

    if (!label || !*label)
        return artbag_error_set(err, ARTBAG_EUSAGE, "bag-info label is empty");
    label_for_message(shown, sizeof(shown), label);
    /* Control characters first: they include CR, LF and tab, which the later checks would
     * otherwise report less precisely. */
    for (p = label; *p; p++) {
        if (is_control((unsigned char)*p))
            return artbag_error_set(err, ARTBAG_EUSAGE,
                                    "bag-info label '%s' contains a control character", shown);
    }
    if (strchr(label, ':'))
        return artbag_error_set(err, ARTBAG_EUSAGE, "bag-info label '%s' contains ':'", shown);
    /* Tab is a control character and already refused, so only the space remains to check. */
    len = strlen(label);
    if (label[0] == ' ' || label[len - 1] == ' ')
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "bag-info label '%s' starts or ends with white space", shown);
    if (!value)
        return artbag_error_set(err, ARTBAG_EUSAGE, "bag-info value for '%s' is missing", shown);
    /* artbag never folds long values onto continuation lines, so a value is exactly one line. */
    if (strpbrk(value, "\r\n"))
        return artbag_error_set(err, ARTBAG_EUSAGE, "bag-info value for '%s' contains a line break",
                                shown);
    return ARTBAG_OK;
}

int artbag_baginfo_add(struct artbag_buf *out, const char *label, const char *value,
                       struct artbag_error *err)
{
    int rc = artbag_baginfo_check(label, value, err);

    if (rc != ARTBAG_OK)
        return rc;
    if (artbag_buf_printf(out, "%s: %s\n", label, value) != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory adding bag-info element '%s'",
                                label);
    return ARTBAG_OK;
}

/* ---- signature files ------------------------------------------------------------------- */

/* The base name of a signature: ARTBAG_SIGNED_FILE ".minisig" or ARTBAG_SIGNED_FILE
 * ".KEYID.minisig". */
static int signature_base(const char *name)
{
    static const char prefix[] = ARTBAG_SIGNED_FILE ".";
    size_t n = strlen(name), p = sizeof(prefix) - 1;

    if (strcmp(name, ARTBAG_SIGNED_FILE ".minisig") == 0)
        return 1;
    if (n != p + 16 + strlen(".minisig") || strncmp(name, prefix, p) != 0 ||
        strcmp(name + p + 16, ".minisig") != 0)
        return 0;
    for (size_t i = p; i < p + 16; i++)
        if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'A' && name[i] <= 'F')))
            return 0;
    return 1;
}

int artbag_signature_name(const char *name)
{
    static const char dir[] = ARTBAG_SIGNATURE_DIR "/";

    if (strncmp(name, dir, sizeof(dir) - 1) == 0)
        return signature_base(name + sizeof(dir) - 1) ? 1 : 0;
    return signature_base(name) ? 2 : 0;
}
