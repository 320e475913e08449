/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * url.c - what artbag takes from an article's address (its host, to recognise a site suffix in
 * a title; its last path segment, for a file name) through uriparser, and slugs.
 *
 * Slugs keep Unicode letters and digits, lower-cased and in NFC (utf8proc), rather than
 * transliterating them: a transliteration depends on the language (Cyrillic is romanised
 * differently for Russian, Ukrainian and Serbian) and Chinese has none without a dictionary,
 * while artbag's tar entries are pax with UTF-8 names and BagIt manifests are UTF-8, so the
 * name can stay the publisher's. NFC makes the same title give the same bytes whatever
 * normalisation the source used (macOS writes NFD). A Cyrillic or Chinese URL arrives
 * percent-encoded and is decoded first, so a slug is never "d0-bd-d0-be-...".
 */
#include <stdlib.h>
#include <string.h>

#include <uriparser/Uri.h>
#include <utf8proc.h>

#include "article/shapes.h"

#define SLUG_MAX 80

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int range_eq(const UriTextRangeA *r, const char *s)
{
    size_t n = strlen(s), i;

    if (!r->first || (size_t)(r->afterLast - r->first) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(r->first[i]) != s[i])
            return 0;
    return 1;
}

int artbag_url_is_web(const char *s)
{
    UriUriA uri;
    const char *errpos;
    int ok;

    if (uriParseSingleUriA(&uri, s, &errpos) != URI_SUCCESS)
        return 0;
    ok = (range_eq(&uri.scheme, "http") || range_eq(&uri.scheme, "https")) && uri.hostText.first &&
         uri.hostText.afterLast > uri.hostText.first;
    uriFreeUriMembersA(&uri);
    return ok;
}

int artbag_url_host(const char *url, char *out, size_t size)
{
    UriUriA uri;
    const char *errpos, *h;
    size_t n, i;
    int ok = 0;

    if (!url || uriParseSingleUriA(&uri, url, &errpos) != URI_SUCCESS)
        return 0;
    h = uri.hostText.first;
    n = h ? (size_t)(uri.hostText.afterLast - h) : 0;
    if (n > 4 && !strncmp(h, "www.", 4)) {
        h += 4;
        n -= 4;
    }
    if (n && n < size) {
        for (i = 0; i < n; i++)
            out[i] = lower(h[i]);
        out[n] = '\0';
        ok = 1;
    }
    uriFreeUriMembersA(&uri);
    return ok;
}

static int same_nocase(const char *a, size_t n, const char *b)
{
    size_t i;

    if (strlen(b) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

void artbag_title_strip_site(char *title, const char *site_name, const char *url)
{
    static const char *const seps[] = {" | ", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 "};
    char host[256];
    const char *best = NULL, *suffix;
    size_t i, n, len = strlen(title), sep_len = 0;
    int have_host;

    for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
        const char *p = title, *found = NULL;

        while ((p = strstr(p, seps[i]))) {
            found = p;
            p++;
        }
        if (found && (!best || found > best)) {
            best = found;
            sep_len = strlen(seps[i]);
        }
    }
    if (!best || best == title)
        return;
    suffix = best + sep_len;
    n = len - (size_t)(suffix - title);
    while (n && suffix[n - 1] == ' ')
        n--;
    if (!n)
        return;
    /* parsed only for a title with a suffix to compare: most have none */
    have_host = artbag_url_host(url, host, sizeof(host));
    if ((site_name && same_nocase(suffix, n, site_name)) ||
        (have_host && (same_nocase(suffix, n, host) || (n > 4 && !strncmp(suffix, "www.", 4) &&
                                                        same_nocase(suffix + 4, n - 4, host)))))
        title[best - title] = '\0';
}

/* Lower-case letters and digits in NFC, runs of anything else as one '-'; at most SLUG_MAX bytes.
 */
static size_t slugify(const char *s, size_t n, char *out)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t m, i = 0, k;
    size_t len = 0;
    int dash = 0;

    /* A name that is not UTF-8 keeps its ASCII letters only. */
    m = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (m < 0)
        nfc = NULL;
    while (nfc && i < m) {
        utf8proc_int32_t cp;
        utf8proc_uint8_t enc[4];
        utf8proc_category_t cat;

        k = utf8proc_iterate(nfc + i, m - i, &cp);
        if (k <= 0)
            break;
        i += k;
        cat = utf8proc_category(cp);
        if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
            (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME && len) ||
            cat == UTF8PROC_CATEGORY_ND) {
            utf8proc_ssize_t e = utf8proc_encode_char(utf8proc_tolower(cp), enc);

            if (len + (dash && len ? 1 : 0) + (size_t)e > SLUG_MAX)
                break;
            if (dash && len)
                out[len++] = '-';
            memcpy(out + len, enc, (size_t)e);
            len += (size_t)e;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (!nfc) {
        for (size_t j = 0; j < n && len < SLUG_MAX; j++) {
            char c = lower(s[j]);

            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (dash && len && len + 1 < SLUG_MAX)
                    out[len++] = '-';
                out[len++] = c;
                dash = 0;
            } else {
                dash = 1;
            }
        }
    }
    free(nfc);
    out[len] = '\0';
    return len;
}

/* The URL's last non-empty path segment, percent-decoded, without its extension, slugified. */
static size_t url_slug(const char *url, char *out)
{
    UriUriA uri;
    const UriPathSegmentA *seg, *last = NULL;
    const char *errpos, *dot;
    char buf[1024];
    size_t n = 0;

    if (uriParseSingleUriA(&uri, url, &errpos) != URI_SUCCESS)
        return 0;
    for (seg = uri.pathHead; seg; seg = seg->next)
        if (seg->text.afterLast > seg->text.first)
            last = seg;
    if (last && (size_t)(last->text.afterLast - last->text.first) < sizeof(buf)) {
        n = (size_t)(last->text.afterLast - last->text.first);
        memcpy(buf, last->text.first, n);
        buf[n] = '\0';
        /* "%00" would end the string early; that only shortens the slug. */
        uriUnescapeInPlaceExA(buf, URI_FALSE, URI_BR_DONT_TOUCH);
        dot = strchr(buf, '.');
        n = dot && dot != buf ? (size_t)(dot - buf) : strlen(buf);
        n = slugify(buf, n, out);
    }
    uriFreeUriMembersA(&uri);
    return n;
}

void artbag_slug(const char *url, const char *title, char out[SLUG_MAX + 1])
{
    /* The URL's last path segment names the story the way the publisher did. */
    if (url && url_slug(url, out))
        return;
    if (title && slugify(title, strlen(title), out))
        return;
    strcpy(out, "article");
}
