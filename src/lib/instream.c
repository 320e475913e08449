/* instream.c - the decompressed byte stream of a serialized bag. gzip is inflated here with
 * zlib, so a corrupt, truncated or garbage-trailed gzip file is an error rather than a quiet
 * end of data; other compressions go through libarchive's filters. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include "internal.h"

#define IN_CHUNK (64 * 1024)

struct artbag_instream {
    int fd, own_fd;
    const char *name;
    int kind;
    /* bytes read to sniff the format, handed out before the descriptor is read again */
    unsigned char head[8];
    size_t head_len, head_pos;
    int eof; /* the descriptor is exhausted */
    /* gzip */
    z_stream zs;
    int zs_live, member_done;
    unsigned char *in;
    /* everything else */
    struct archive *raw;
    int trailing_zeros;
};

/* Reads from the sniffed head first, then the descriptor. */
static ssize_t src_read(struct artbag_instream *s, void *buf, size_t n)
{
    if (s->head_pos < s->head_len) {
        size_t k = s->head_len - s->head_pos;

        if (k > n)
            k = n;
        memcpy(buf, s->head + s->head_pos, k);
        s->head_pos += k;
        return (ssize_t)k;
    }
    for (;;) {
        ssize_t r = read(s->fd, buf, n);

        if (r < 0 && errno == EINTR && !artbag_cancelled())
            continue;
        if (r == 0)
            s->eof = 1;
        return r;
    }
}

static la_ssize_t raw_read_cb(struct archive *a, void *ud, const void **buf)
{
    struct artbag_instream *s = ud;
    ssize_t n = src_read(s, s->in, IN_CHUNK);

    if (n < 0) {
        archive_set_error(a, errno, "read failed: %s", strerror(errno));
        return -1;
    }
    *buf = s->in;
    return n;
}

int artbag_instream_open(struct artbag_instream **out, const char *path, int fd,
                         struct artbag_error *err)
{
    struct artbag_instream *s = calloc(1, sizeof(*s));
    const char *name = path ? path : "<stdin>";
    int rc;

    *out = NULL;
    if (!s || !(s->in = malloc(IN_CHUNK))) {
        free(s);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
    }
    s->name = name;
    s->fd = fd;
    if (path) {
        s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (s->fd < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", name, strerror(errno));
            goto fail;
        }
        s->own_fd = 1;
    }
    /* Sniff: a short read from a pipe is fine, the rest follows. */
    while (s->head_len < sizeof(s->head) && !s->eof) {
        ssize_t n = src_read(s, s->head + s->head_len, sizeof(s->head) - s->head_len);

        if (n < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': read failed: %s", name, strerror(errno));
            goto fail;
        }
        s->head_len += (size_t)n;
    }
    if (s->head_len >= 4 && memcmp(s->head, "PK\003\004", 4) == 0) {
        s->kind = ARTBAG_INSTREAM_ZIP;
    } else if (s->head_len >= 2 && s->head[0] == 0x1f && s->head[1] == 0x8b) {
        s->kind = ARTBAG_INSTREAM_GZIP;
        /* 15 + 16: gzip wrapper only, so the CRC-32 and length in each trailer are checked. */
        if (inflateInit2(&s->zs, 15 + 16) != Z_OK) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "zlib inflateInit2 failed");
            goto fail;
        }
        s->zs_live = 1;
    } else {
        s->kind = ARTBAG_INSTREAM_OTHER;
        s->raw = archive_read_new();
        if (!s->raw) {
            rc = artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
            goto fail;
        }
        archive_read_support_filter_all(s->raw);
        archive_read_support_format_raw(s->raw);
        {
            struct archive_entry *ae;

            if (archive_read_open(s->raw, s, NULL, raw_read_cb, NULL) != ARCHIVE_OK ||
                archive_read_next_header(s->raw, &ae) != ARCHIVE_OK) {
                rc = artbag_error_set(err, ARTBAG_EREJECT, "'%s': %s", name,
                                      archive_error_string(s->raw));
                goto fail;
            }
        }
    }
    *out = s;
    return ARTBAG_OK;
fail:
    artbag_instream_close(s);
    return rc;
}

int artbag_instream_kind(const struct artbag_instream *s)
{
    return s->kind;
}

int artbag_instream_trailing_zeros(const struct artbag_instream *s)
{
    return s->trailing_zeros;
}

/* Refills zlib's input; 0 at end of file. */
static ssize_t gz_fill(struct artbag_instream *s, struct artbag_error *err)
{
    ssize_t n = src_read(s, s->in, IN_CHUNK);

    if (n < 0)
        return artbag_error_set(err, ARTBAG_EIO, "read failed: %s", strerror(errno));
    s->zs.next_in = s->in;
    s->zs.avail_in = (uInt)n;
    return n;
}

/*
 * After a gzip member: another member may follow (concatenated gzip is still gzip), or the
 * file ends. Zero bytes (tape or block padding) are tolerated and noted; anything else is
 * trailing garbage, which a fixity check must not pass over.
 */
static int gz_next_member(struct artbag_instream *s, struct artbag_error *err)
{
    for (;;) {
        if (s->zs.avail_in == 0) {
            ssize_t n = gz_fill(s, err);

            if (n < 0)
                return ARTBAG_EIO;
            if (n == 0)
                return 1; /* clean end */
        }
        if (s->zs.next_in[0] == 0x1f && !s->trailing_zeros) {
            inflateReset(&s->zs);
            s->member_done = 0;
            return ARTBAG_OK;
        }
        while (s->zs.avail_in && s->zs.next_in[0] == 0) {
            s->zs.next_in++;
            s->zs.avail_in--;
            s->trailing_zeros = 1;
        }
        if (s->zs.avail_in)
            return artbag_error_set(err, ARTBAG_EREJECT, "trailing data after the gzip stream");
    }
}

static ssize_t gz_read(struct artbag_instream *s, void *buf, size_t n, struct artbag_error *err)
{
    uInt want = (uInt)(n > (1u << 30) ? (1u << 30) : n);

    s->zs.next_out = buf;
    s->zs.avail_out = want;
    while (s->zs.avail_out > 0) {
        int zr;

        /* Hand over what this member produced before looking past it, so data is never lost
         * to an error about what follows. */
        if (s->member_done && s->zs.avail_out < want)
            break;
        if (s->member_done) {
            int rc = gz_next_member(s, err);

            if (rc < 0)
                return rc;
            if (rc == 1)
                break;
        }
        if (s->zs.avail_in == 0) {
            ssize_t got = gz_fill(s, err);

            if (got < 0)
                return ARTBAG_EIO;
            if (got == 0)
                return artbag_error_set(err, ARTBAG_EREJECT,
                                        "truncated gzip stream (unexpected end of file)");
        }
        zr = inflate(&s->zs, Z_NO_FLUSH);
        if (zr == Z_STREAM_END)
            s->member_done = 1;
        else if (zr == Z_MEM_ERROR)
            return artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
        else if (zr != Z_OK && zr != Z_BUF_ERROR)
            return artbag_error_set(err, ARTBAG_EREJECT, "corrupt gzip stream: %s",
                                    s->zs.msg ? s->zs.msg : "inflate failed");
        /* Return what we have rather than block for more input on a pipe. */
        if (s->zs.avail_out < want && s->zs.avail_in == 0)
            break;
    }
    return (ssize_t)(want - s->zs.avail_out);
}

ssize_t artbag_instream_read(struct artbag_instream *s, void *buf, size_t n,
                             struct artbag_error *err)
{
    la_ssize_t got;

    if (artbag_cancelled())
        return artbag_error_set(err, ARTBAG_EIO, "interrupted");
    if (s->kind == ARTBAG_INSTREAM_GZIP)
        return gz_read(s, buf, n, err);
    if (s->kind == ARTBAG_INSTREAM_ZIP)
        return src_read(s, buf, n);
    got = archive_read_data(s->raw, buf, n);
    if (got < 0)
        return artbag_error_set(err, ARTBAG_EREJECT, "%s", archive_error_string(s->raw));
    return got;
}

void artbag_instream_close(struct artbag_instream *s)
{
    if (!s)
        return;
    if (s->zs_live)
        inflateEnd(&s->zs);
    if (s->raw)
        archive_read_free(s->raw);
    if (s->own_fd)
        close(s->fd);
    free(s->in);
    free(s);
}
