/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* attach.c - attachments: original captures (HTML, WARC, PDF, images) streamed into a bundle
 * beside the article, hashed while written, typed by libmagic, and stored once per digest. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <magic.h>
#include <utf8proc.h>

#include "ops.h"

/*
 * The bytes libmagic looks at: the first read of the stream, so typing costs no read of its own.
 * libmagic's own default (MAGIC_PARAM_BYTES_MAX) is larger, so it is set to this too: the type
 * is then a function of these bytes alone, whatever the file's size.
 */
#define CHUNK ((size_t)256 * 1024)

struct stored {
    char *path;
    uint64_t bytes;
    char sha256[ARTBAG_SHA256_HEX];
};

struct artbag_attacher {
    magic_t magic; /* opened once per call: loading the database costs milliseconds */
    unsigned mask; /* the bag's manifest algorithms: every one is computed in the one read */
    struct artbag_multihash *hash;
    unsigned char *chunk;
    struct stored *stored; /* what this bundle holds already, for deduplication */
    size_t n, cap;
};

int artbag_attacher_new(struct artbag_attacher **out, unsigned mask, struct artbag_error *err)
{
    struct artbag_attacher *at = calloc(1, sizeof(*at));
    size_t max = CHUNK;

    *out = NULL;
    if (!at || !(at->chunk = malloc(CHUNK)) || artbag_multihash_new(&at->hash) != ARTBAG_OK) {
        artbag_attacher_free(at);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    /* SHA-256 always: it is what deduplication and metadata.json compare. */
    at->mask = mask | (1u << ARTBAG_SHA256);
    at->magic = magic_open(MAGIC_MIME_TYPE);
    if (!at->magic || magic_load(at->magic, NULL) != 0 ||
        magic_setparam(at->magic, MAGIC_PARAM_BYTES_MAX, &max) != 0) {
        int rc = artbag_error_set(err, ARTBAG_EIO, "cannot load libmagic's database: %s",
                                  at->magic && magic_error(at->magic) ? magic_error(at->magic)
                                                                      : "out of memory");

        artbag_attacher_free(at);
        return rc;
    }
    *out = at;
    return ARTBAG_OK;
}

void artbag_attacher_free(struct artbag_attacher *at)
{
    if (!at)
        return;
    if (at->magic)
        magic_close(at->magic);
    artbag_multihash_free(at->hash);
    for (size_t i = 0; i < at->n; i++)
        free(at->stored[i].path);
    free(at->stored);
    free(at->chunk);
    free(at);
}

void artbag_attachment_release(struct artbag_attachment *a)
{
    free(a->path);
    free(a->given);
    free(a->media_type);
    memset(a, 0, sizeof(*a));
}

int artbag_attach_name_check(const char *name, struct artbag_error *err)
{
    const unsigned char *p = (const unsigned char *)name;
    utf8proc_uint8_t *nfc;
    int same;

    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': not a usable attachment name", name);
    for (; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            return artbag_error_set(err, ARTBAG_EUSAGE,
                                    "'%s': attachment name contains a control character or a "
                                    "backslash",
                                    name);
    if (artbag_utf8_invalid_at((const unsigned char *)name, strlen(name)) < strlen(name))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': attachment name is not UTF-8", name);
    /* Two spellings of one name (NFC, NFD) unpack as two files on Linux and one on macOS. */
    nfc = utf8proc_NFC((const utf8proc_uint8_t *)name);
    if (!nfc)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    same = strcmp((const char *)nfc, name) == 0;
    free(nfc);
    if (!same)
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "'%s': attachment name is not in Unicode NFC; rename the file",
                                name);
    return ARTBAG_OK;
}

/* Reads up to len bytes, retrying short reads, so a chunk is full unless the file ended. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Opens src as a regular file and fstats it: the size the tar header will promise. */
static int open_regular(const char *src, int *fd, struct stat *st, struct artbag_error *err)
{
    /* O_NONBLOCK: a FIFO given by mistake is refused below, not waited on for ever; it changes
     * nothing for a regular file. */
    *fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", src, strerror(errno));
    if (fstat(*fd, st) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", src, strerror(errno));
    if (!S_ISREG(st->st_mode))
        return artbag_error_set(err, ARTBAG_EUSAGE, "'%s': attachment is not a regular file", src);
    return ARTBAG_OK;
}

static int changed(const char *src, struct artbag_error *err)
{
    return artbag_error_set(err, ARTBAG_EIO, "'%s': changed while packing", src);
}

/*
 * One pass over fd (at offset 0, st_size bytes): hashes it with every algorithm of d->mask,
 * types it from its first chunk, and when w is set writes it as the body of an entry whose
 * header promised st_size bytes. A file that ends early or goes on past that size changed while
 * we read it.
 */
static int stream(struct artbag_attacher *at, int fd, const char *src, uint64_t size,
                  struct artbag_bundlew *w, struct artbag_digests *d, char **media_type,
                  struct artbag_error *err)
{
    uint64_t done = 0;
    int rc = artbag_multihash_reset(at->hash, d->mask) == ARTBAG_OK
                 ? ARTBAG_OK
                 : artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");

    for (int first = 1; rc == ARTBAG_OK; first = 0) {
        size_t want = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
        ssize_t n;

        if (artbag_cancelled()) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': interrupted", src);
            break;
        }
        /* At the end, one byte more: there must be none. */
        n = read_full(fd, at->chunk, want ? want : 1);
        if (n < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': read failed: %s", src, strerror(errno));
            break;
        }
        if ((size_t)n != want) {
            rc = changed(src, err);
            break;
        }
        if (media_type && first) {
            const char *t = magic_buffer(at->magic, at->chunk, (size_t)n);

            if (!(*media_type = strdup(t ? t : "application/octet-stream"))) {
                rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
                break;
            }
        }
        if (!want)
            break;
        artbag_call_bytes((uint64_t)n);
        if (artbag_multihash_update(at->hash, at->chunk, (size_t)n) != ARTBAG_OK) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
            break;
        }
        if (w && (rc = artbag_bundlew_data(w, at->chunk, (size_t)n)) != ARTBAG_OK)
            break;
        done += (uint64_t)n;
    }
    if (rc == ARTBAG_OK && artbag_multihash_final(at->hash, d->hex) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "OpenSSL digest failed");
    return rc;
}

/* Same file, same size, same modification time as when the header was written. */
static int still_same(int fd, const struct stat *was)
{
    struct stat now;

    return fstat(fd, &now) == 0 && now.st_size == was->st_size &&
           now.st_mtim.tv_sec == was->st_mtim.tv_sec && now.st_mtim.tv_nsec == was->st_mtim.tv_nsec;
}

static int remember(struct artbag_attacher *at, const struct artbag_attachment *a)
{
    if (at->n == at->cap) {
        struct stored *s = artbag_array_grow(at->stored, &at->cap, at->n, sizeof(*s), 16);

        if (!s)
            return ARTBAG_EIO;
        at->stored = s;
    }
    if (!(at->stored[at->n].path = strdup(a->path)))
        return ARTBAG_EIO;
    at->stored[at->n].bytes = a->bytes;
    memcpy(at->stored[at->n].sha256, a->sha256, ARTBAG_SHA256_HEX);
    at->n++;
    return ARTBAG_OK;
}

/*
 * Deduplication reads a file once in the common case. Only a file whose size equals that of
 * one already stored can be a duplicate, so only such a file is hashed before deciding (a first
 * read); a duplicate then costs nothing more, and a file that is not one is read a second time
 * to be written, its digest checked against the first so a change in between is caught. A
 * table of digests alone would need every file hashed before its header is written: two reads
 * for every attachment, 4 GB of reading for a 2 GB WARC.
 */
int artbag_attach_write(struct artbag_attacher *at, struct artbag_bundlew *w, const char *src,
                        const char *rel, struct artbag_attachment *a, int *stored,
                        struct artbag_error *err)
{
    /* A possible duplicate is compared by SHA-256 alone before it is written. */
    struct artbag_digests first = {1u << ARTBAG_SHA256, {{0}}};
    struct stat st;
    int fd = -1, rc, size_seen = 0;

    memset(a, 0, sizeof(*a));
    a->digests.mask = at->mask;
    *stored = 0;
    rc = open_regular(src, &fd, &st, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    a->bytes = (uint64_t)st.st_size;
    for (size_t i = 0; i < at->n && !size_seen; i++)
        size_seen = at->stored[i].bytes == a->bytes;
    if (size_seen) {
        rc = stream(at, fd, src, a->bytes, NULL, &first, &a->media_type, err);
        if (rc == ARTBAG_OK && !still_same(fd, &st))
            rc = changed(src, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
        for (size_t i = 0; i < at->n; i++)
            if (at->stored[i].bytes == a->bytes &&
                strcmp(at->stored[i].sha256, first.hex[ARTBAG_SHA256]) == 0) {
                memcpy(a->sha256, first.hex[ARTBAG_SHA256], ARTBAG_SHA256_HEX);
                /* the name it was given stays on record: it is this capture's provenance */
                if (!(a->path = strdup(at->stored[i].path)) ||
                    (strcmp(rel, a->path) != 0 && !(a->given = strdup(rel))))
                    rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
                goto cleanup;
            }
        free(a->media_type);
        a->media_type = NULL;
        if (lseek(fd, 0, SEEK_SET) != 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", src, strerror(errno));
            goto cleanup;
        }
    }
    if (!(a->path = strdup(rel))) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    rc = artbag_bundlew_entry(w, rel, 0, a->bytes);
    if (rc == ARTBAG_OK)
        rc = stream(at, fd, src, a->bytes, w, &a->digests, &a->media_type, err);
    if (rc == ARTBAG_OK)
        memcpy(a->sha256, a->digests.hex[ARTBAG_SHA256], ARTBAG_SHA256_HEX);
    if (rc == ARTBAG_OK && (!still_same(fd, &st) || (*first.hex[ARTBAG_SHA256] &&
                                                     strcmp(first.hex[ARTBAG_SHA256], a->sha256))))
        rc = changed(src, err);
    if (rc == ARTBAG_OK && remember(at, a) != ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
    if (rc == ARTBAG_OK)
        *stored = 1;
cleanup:
    if (fd >= 0)
        close(fd);
    if (rc != ARTBAG_OK)
        artbag_attachment_release(a);
    return rc;
}
