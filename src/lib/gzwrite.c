/* gzwrite.c - deflates the tar stream into one gzip member with a fixed, machine-independent
 * header, so equal input gives equal bundle bytes everywhere. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "internal.h"

#define GZW_OUT_SIZE (64 * 1024)

struct artbag_gzw {
    z_stream zs;
    gz_header hdr;
    int fd;
    const char *name; /* borrowed: the file named in messages */
    int finished;
    unsigned char out[GZW_OUT_SIZE];
};

static int gzw_flush(struct artbag_gzw *g, size_t n, struct artbag_error *err)
{
    if (artbag_write_all(g->fd, g->out, n) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': write failed: %s", g->name,
                                strerror(errno));
    return ARTBAG_OK;
}

int artbag_gzw_new(struct artbag_gzw **out, int fd, const char *name, struct artbag_error *err)
{
    struct artbag_gzw *g = calloc(1, sizeof(*g));

    *out = NULL;
    if (!g)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", name);
    g->fd = fd;
    g->name = name;
    /* windowBits 15 + 16 asks zlib for the gzip wrapper; level 6 is gzip's own default and the
     * usual balance of speed and size for text. */
    if (deflateInit2(&g->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': zlib deflateInit2 failed", name);
    }
    /* mtime 0 and no name keep the header free of anything about this run; OS 3 (Unix) is
     * fixed rather than left to how zlib was built. */
    g->hdr.time = 0;
    g->hdr.os = 3;
    if (deflateSetHeader(&g->zs, &g->hdr) != Z_OK) {
        artbag_gzw_free(g);
        return artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': zlib deflateSetHeader failed", name);
    }
    *out = g;
    return ARTBAG_OK;
}

static int gzw_deflate(struct artbag_gzw *g, int flush, struct artbag_error *err)
{
    int zr;

    do {
        g->zs.next_out = g->out;
        g->zs.avail_out = sizeof(g->out);
        zr = deflate(&g->zs, flush);
        if (zr == Z_STREAM_ERROR)
            return artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': zlib deflate failed", g->name);
        if (sizeof(g->out) - g->zs.avail_out > 0) {
            int rc = gzw_flush(g, sizeof(g->out) - g->zs.avail_out, err);
            if (rc != ARTBAG_OK)
                return rc;
        }
    } while (g->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
    return ARTBAG_OK;
}

int artbag_gzw_write(struct artbag_gzw *g, const void *buf, size_t len, struct artbag_error *err)
{
    const unsigned char *p = buf;

    /* avail_in is a uInt: feed very large writes in slices. */
    while (len > 0) {
        uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
        int rc;

        g->zs.next_in = (unsigned char *)p;
        g->zs.avail_in = n;
        rc = gzw_deflate(g, Z_NO_FLUSH, err);
        if (rc != ARTBAG_OK)
            return rc;
        p += n;
        len -= n;
    }
    return ARTBAG_OK;
}

int artbag_gzw_finish(struct artbag_gzw *g, struct artbag_error *err)
{
    int rc;

    if (g->finished)
        return ARTBAG_OK;
    g->zs.next_in = NULL;
    g->zs.avail_in = 0;
    rc = gzw_deflate(g, Z_FINISH, err);
    if (rc == ARTBAG_OK)
        g->finished = 1;
    return rc;
}

void artbag_gzw_free(struct artbag_gzw *g)
{
    if (!g)
        return;
    deflateEnd(&g->zs);
    free(g);
}
