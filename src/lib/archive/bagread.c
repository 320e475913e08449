/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* bagread.c - feeds a bag's entries to the checker (or any sink) from wherever the bag is: a
 * directory, or an archive read as a stream through libarchive without extracting anything. */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, fdopendir */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive/archive.h"
#include "archive/gz.h"

#define CHUNK (64 * 1024)
/* Decompressed bytes free of the ratio ceiling, as unzip's bomb detector allows: a small bag
 * of repetitive text may well compress 1:1000. */
#define RATIO_FREE ((uint64_t)64 << 20)
/* Zero padding after a tar's end-of-archive marker beyond this is worth a warning. */
#define PADDING_WARN ((uint64_t)1 << 20)

void artbag_verify_options_init(struct artbag_verify_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->size = sizeof(*opts);
    opts->max_bytes = ARTBAG_DEFAULT_MAX_BYTES;
    opts->max_entries = ARTBAG_DEFAULT_MAX_ENTRIES;
    opts->max_depth = ARTBAG_DEFAULT_MAX_DEPTH;
    opts->max_ratio = ARTBAG_DEFAULT_MAX_RATIO;
    opts->max_window = ARTBAG_DEFAULT_MAX_WINDOW;
    opts->input_fd = -1;
}

/* ---- archives -------------------------------------------------------------------------- */

/*
 * Turns an archive member name into a path inside the bag, or explains why it is unsafe.
 * "./" prefixes and trailing slashes are writers' habits and harmless; an absolute path or a
 * ".." component could escape the destination on unpack, so they are refused.
 */
static const char *member_path(const char *name, struct artbag_buf *out)
{
    const char *p = name;

    out->len = 0;
    if (!*name)
        return "empty name";
    if (*name == '/')
        return "absolute path";
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return "'..' in path";
        /* RFC 8493 sets no limit, but a bag is kept to be restored: a name no POSIX file system
         * can create (NAME_MAX, PATH_MAX) would make unpack fail after the verdict. */
        if (n > 255)
            return "a name longer than 255 bytes, which no POSIX file system can restore";
        if (n == 1 && p[0] == '.') {
            /* "a/./b" says nothing "a/b" does not */
        } else if (n > 0) {
            if (out->len && artbag_buf_append(out, "/", 1) != ARTBAG_OK)
                return "out of memory";
            if (artbag_buf_append(out, p, n) != ARTBAG_OK)
                return "out of memory";
        }
        p += n;
        while (*p == '/')
            p++;
    }
    if (!out->len)
        return "empty name";
    if (out->len > 4095)
        return "a path longer than 4095 bytes, which no POSIX file system can restore";
    return NULL;
}

static const char *unsafe_type(struct archive_entry *ae)
{
    if (archive_entry_hardlink(ae))
        return "hard link";
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
    case AE_IFDIR:
        return NULL;
    case AE_IFLNK:
        return "symbolic link";
    case AE_IFCHR:
        return "character device";
    case AE_IFBLK:
        return "block device";
    case AE_IFIFO:
        return "FIFO";
    case AE_IFSOCK:
        return "socket";
    default:
        return "entry of unknown type";
    }
}

struct archive_src {
    const char *path; /* NULL for a descriptor */
    int fd;
    int threads; /* inflating threads; 0: one per CPU */
    /* A zip is read through its central directory, from a descriptor to the file (or to a
     * copy of a stream, up to max_bytes) kept open for a second pass; zc says what
     * zipcheck.c found. */
    uint64_t max_bytes;
    int zip_fd;
    int zip_checked;
    uint64_t zip_size;
    struct artbag_zipcheck zc;
    /* the other budgets (README, "Limits"), and why reading stopped when one was spent */
    uint64_t max_entries, max_window;
    uint32_t max_depth, max_ratio;
    struct artbag_error over;
};

static void src_init(struct archive_src *src, const char *path, int fd,
                     const struct artbag_verify_options *o)
{
    struct artbag_verify_options defaults;

    if (!o) {
        artbag_verify_options_init(&defaults);
        o = &defaults;
    }
    memset(src, 0, sizeof(*src));
    src->path = path;
    src->fd = fd;
    src->threads = o->threads;
    src->max_bytes = o->max_bytes;
    src->max_entries = o->max_entries;
    src->max_depth = o->max_depth;
    src->max_ratio = o->max_ratio;
    src->max_window = o->max_window;
    src->zip_fd = -1;
}

static void src_release(struct archive_src *src)
{
    if (src->zip_fd >= 0)
        close(src->zip_fd);
    src->zip_fd = -1;
    artbag_zipcheck_release(&src->zc);
}

/*
 * An open archive: libarchive's format reader over our decompressed stream. The last two
 * buffers handed to libarchive are kept so that, once it reports the end of the tar, the bytes
 * it read past the end-of-archive marker can still be inspected.
 */
struct reader {
    struct archive *a;
    struct artbag_instream *in;
    const char *name;
    struct archive_src *src;
    uint64_t out;     /* decompressed bytes read: every tar header, data and padding byte */
    uint64_t entries; /* archive entries returned */
    int tar;          /* tar through our stream (not zip read directly) */
    struct artbag_lastbufs bufs;
    struct artbag_tarcheck *tc; /* tar: the header validator over the same bytes */
    struct artbag_error err;    /* why the stream failed, for the report */
    int failed;
    int at_end; /* the decompressed stream has ended: a tar that stops short was cut */
    struct artbag_locale loc;
};

/* Records the first budget spent (the message says which and what raises it); ARTBAG_EIO. */
static int over(struct reader *rd, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
static int over(struct reader *rd, const char *fmt, ...)
{
    va_list ap;

    if (!rd->src->over.status) {
        rd->src->over.status = ARTBAG_EIO;
        va_start(ap, fmt);
        vsnprintf(rd->src->over.msg, sizeof(rd->src->over.msg), fmt, ap);
        va_end(ap);
    }
    return ARTBAG_EIO;
}

/* The one message for a bundle a budget stopped, with the kind --json reports it under. */
static int over_error(struct artbag_error *err, const char *path, const char *msg)
{
    artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, msg);
    if (err)
        err->kind = "limits";
    return ARTBAG_EIO;
}

/* Non-zero once a budget stopped the read: no finding about the stream is then true. */
static int is_over(const struct reader *rd)
{
    return rd->src->over.status != 0;
}

/*
 * Charges n more decompressed bytes (and the padding the stream skipped) to the byte budget and
 * to the ratio ceiling: the compressed side is what was read of the file, or the zip's size.
 */
static int charge(struct reader *rd, uint64_t n)
{
    const struct archive_src *src = rd->src;
    uint64_t pad = rd->in ? artbag_instream_padding(rd->in) : 0;
    uint64_t in = rd->in ? artbag_instream_consumed(rd->in) : src->zip_size;
    char a[32], b[32];

    rd->out += n;
    if (rd->out + pad > src->max_bytes) {
        artbag_size_str(src->max_bytes, a);
        return over(rd,
                    "more than %s decompressed; could not check within the limits (raise with "
                    "the max_bytes option)",
                    a);
    }
    if (src->max_ratio && rd->out > RATIO_FREE && rd->out / src->max_ratio > in) {
        artbag_size_str(rd->out, a);
        artbag_size_str(in, b);
        return over(rd,
                    "decompresses to more than %lu times its size (%s from %s); could not check "
                    "within the limits (raise with the max_ratio option)",
                    (unsigned long)src->max_ratio, a, b);
    }
    return ARTBAG_OK;
}

/* The decompressed stream, charged to the budgets. */
static ssize_t rd_read(struct reader *rd, unsigned char *b)
{
    ssize_t n = artbag_instream_read(rd->in, b, CHUNK, &rd->err);

    if (n < 0 && artbag_instream_over(rd->in))
        over(rd, "%s", rd->err.msg);
    if (n > 0 && charge(rd, (uint64_t)n) != ARTBAG_OK) {
        artbag_error_set(&rd->err, ARTBAG_EIO, "%s", rd->src->over.msg);
        return ARTBAG_EIO;
    }
    return n;
}

static la_ssize_t reader_cb(struct archive *a, void *ud, const void **out)
{
    struct reader *rd = ud;
    ssize_t n;

    unsigned char *b = artbag_lastbufs_next(&rd->bufs);

    n = rd_read(rd, b);
    if (n < 0) {
        rd->failed = 1;
        archive_set_error(a, EIO, "%s", rd->err.msg);
        return -1;
    }
    artbag_lastbufs_filled(&rd->bufs, (size_t)n);
    if (n == 0)
        rd->at_end = 1;
    if (rd->tc && artbag_tarcheck_feed(rd->tc, b, (size_t)n) != ARTBAG_OK) {
        rd->failed = 1;
        archive_set_error(a, ENOMEM, "out of memory");
        return -1;
    }
    *out = b;
    return n;
}

static void reader_close(struct reader *rd)
{
    if (rd->a)
        archive_read_free(rd->a);
    artbag_instream_close(rd->in);
    artbag_tarcheck_free(rd->tc);
    artbag_lastbufs_release(&rd->bufs);
    artbag_locale_leave(&rd->loc);
    memset(rd, 0, sizeof(*rd));
}

/*
 * Opens a zip the way every extractor reads it, through its central directory, and only once
 * zipcheck.c found its structure unambiguous: from a file or from a stream alike, so that
 * `verify FILE` and `verify -` always agree. The same descriptor serves a second pass.
 */
static int zip_open(struct reader *rd, struct archive_src *src, struct artbag_error *err)
{
    struct stat st;
    int rc;

    if (src->zip_fd < 0) {
        rc = artbag_instream_spool(rd->in, src->max_bytes, &src->zip_fd, err);
        if (rc != ARTBAG_OK)
            return rc;
    }
    artbag_instream_close(rd->in);
    rd->in = NULL;
    if (fstat(src->zip_fd, &st) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", rd->name, strerror(errno));
    src->zip_size = (uint64_t)st.st_size;
    if (!src->zip_checked) {
        artbag_zipcheck_release(&src->zc);
        rc = artbag_zipcheck_fd(src->zip_fd, (uint64_t)st.st_size, src->max_bytes, &src->zc, err);
        if (rc != ARTBAG_OK)
            return rc;
        src->zip_checked = 1;
    }
    /* Only the seekable reader: libarchive must never fall back to the local headers. */
    archive_read_support_format_zip_seekable(rd->a);
    if (lseek(src->zip_fd, 0, SEEK_SET) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", rd->name, strerror(errno));
    if (archive_read_open_fd(rd->a, src->zip_fd, CHUNK) != ARCHIVE_OK)
        return artbag_error_set(err, ARTBAG_EREJECT, "%s", archive_error_string(rd->a));
    return ARTBAG_OK;
}

static int reader_open(struct reader *rd, struct archive_src *src, struct artbag_error *err)
{
    int rc;

    memset(rd, 0, sizeof(*rd));
    rd->name = src->path ? src->path : "<stdin>";
    rd->src = src;
    rc = artbag_instream_open(&rd->in, src->path, src->fd, err);
    if (rc != ARTBAG_OK)
        return rc;
    if (src->threads)
        artbag_instream_set_threads(rd->in, src->threads);
    artbag_instream_set_limits(rd->in, src->max_bytes, src->max_window);
    rd->a = archive_read_new();
    if (artbag_lastbufs_init(&rd->bufs, CHUNK) != ARTBAG_OK || !rd->a) {
        reader_close(rd);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    if (artbag_instream_kind(rd->in) == ARTBAG_INSTREAM_ZIP) {
        /* Zip names are converted to the locale's charset, which fails for non-ASCII in "C";
         * tar names are not touched in "C", and must not be, or libarchive would quietly
         * normalise them to NFC and hide a mismatch verify should warn about. */
        artbag_locale_enter(&rd->loc);
        rc = zip_open(rd, src, err);
        if (rc != ARTBAG_OK)
            reader_close(rd);
        return rc;
    } else {
        /* Recognised by content, never by name; decompression happened below. */
        rd->tar = 1;
        if (artbag_tarcheck_new(&rd->tc) != ARTBAG_OK) {
            reader_close(rd);
            return artbag_error_set(err, ARTBAG_EIO, "out of memory");
        }
        archive_read_support_format_tar(rd->a);
        archive_read_support_format_gnutar(rd->a);
    }
    /* Open failures (not a tar at all) surface at the first header as an archive problem. */
    archive_read_open(rd->a, rd, NULL, reader_cb, NULL);
    return ARTBAG_OK;
}

/* The compression under a tar, for messages, and the tar flags that make it. */
static const char *comp_name(const struct reader *rd, const char **tar_flags)
{
    switch (rd->in ? artbag_instream_compression(rd->in) : ARTBAG_COMPRESSION_NONE) {
    case ARTBAG_COMPRESSION_NONE:
        *tar_flags = "-cf";
        return NULL;
    case ARTBAG_COMPRESSION_GZIP:
        *tar_flags = "-czf";
        return "gzip";
    case ARTBAG_COMPRESSION_BZIP2:
        *tar_flags = "-cjf";
        return "bzip2";
    case ARTBAG_COMPRESSION_XZ:
        *tar_flags = "-cJf";
        return "xz";
    case ARTBAG_COMPRESSION_ZSTD:
        *tar_flags = "--zstd -cf";
        return "zstd";
    default:
        *tar_flags = "-czf";
        return "compressed";
    }
}

/* The decompressed bytes handed to libarchive so far: where a cut tar ends. */
static unsigned long long tar_bytes(const struct reader *rd)
{
    return (unsigned long long)rd->bufs.given;
}

/* Where a tar that stopped short ended, said for the stream the file is: the offset in the
 * file for a plain tar, the offset in the decompressed tar when the compressed stream itself
 * was whole (it was compressed already cut). */
static const char *tar_cut(struct reader *rd, const char *what)
{
    const char *flags, *comp = comp_name(rd, &flags);

    if (!comp)
        snprintf(rd->err.msg, sizeof(rd->err.msg), "truncated tar archive at byte %llu%s",
                 tar_bytes(rd), what);
    else
        snprintf(rd->err.msg, sizeof(rd->err.msg),
                 "truncated tar archive: the %s stream is whole, but the tar in it ends at byte "
                 "%llu%s",
                 comp, tar_bytes(rd), what);
    rd->err.kind = "truncated";
    return rd->err.msg;
}

/*
 * After libarchive reports the end of a tar: the end-of-archive marker must have been there
 * (else the tar was cut short at an entry boundary), and everything after it must be the zero
 * padding tar writes. Returns NULL or what is wrong, with its finding kind in *kind.
 */
static const char *reader_check_end(struct reader *rd, int drain, uint64_t *padding,
                                    const char **kind)
{
    uint64_t end = (uint64_t)archive_filter_bytes(rd->a, 0);
    uint64_t marker = (uint64_t)archive_read_header_position(rd->a);
    unsigned char *buf;
    ssize_t n;
    int any;

    *padding = 0;
    if (!rd->tar)
        return NULL;
    if (end < marker + 1024)
        return *kind = "truncated", tar_cut(rd, ", without its end-of-archive marker");
    /* The bytes after the marker sit in the last one or two buffers handed over. */
    if (artbag_lastbufs_tail_zero(&rd->bufs, end, &any) == 0)
        return "trailing data after the end of the tar archive";
    /* Without a bag there is nothing the rest could change: /dev/zero is not read forever. */
    if (!drain)
        return NULL;
    buf = artbag_lastbufs_next(&rd->bufs);
    while ((n = rd_read(rd, buf)) > 0) {
        if (!artbag_all_zero(buf, (size_t)n))
            return "trailing data after the end of the tar archive";
        if (artbag_tarcheck_feed(rd->tc, buf, (size_t)n) != ARTBAG_OK)
            return "out of memory";
    }
    if (n < 0) {
        rd->failed = 1;
        if (rd->err.kind) /* the file ended inside the compressed stream, after the tar */
            *kind = rd->err.kind;
        return rd->err.msg;
    }
    *padding = rd->out > marker + 1024 ? rd->out - (marker + 1024) : 0;
    artbag_tarcheck_finish(rd->tc); /* its verdict is read by the caller */
    return NULL;
}

/*
 * Tar only: the entry libarchive returned must be the next one the header validator resolved,
 * with the same offset, name bytes, size and type; otherwise the two readers disagree, and so
 * would others. Returns NULL, or the problem with its kind and path.
 */
static const char *tar_agree(struct reader *rd, struct archive_entry *ae, const char **kind,
                             const char **path)
{
    struct artbag_tarentry e;
    const char *name = archive_entry_pathname(ae), *why;
    int same_type;

    *kind = "ambiguous";
    *path = name;
    if (!artbag_tarcheck_next(rd->tc, &e)) {
        why = artbag_tarcheck_error(rd->tc, kind, path);
        return why ? why : "an entry libarchive reads where the header validator found none";
    }
    *path = e.name;
    switch (e.type) {
    case ARTBAG_TARENTRY_FILE:
        same_type = archive_entry_filetype(ae) == AE_IFREG && !archive_entry_hardlink(ae);
        break;
    case ARTBAG_TARENTRY_DIR:
        same_type = archive_entry_filetype(ae) == AE_IFDIR;
        break;
    default:
        same_type = unsafe_type(ae) != NULL;
    }
    if ((uint64_t)archive_read_header_position(rd->a) != e.header_off)
        return "libarchive and the header validator see this entry at different offsets";
    if (!name || strlen(name) != e.name_len || memcmp(name, e.name, e.name_len) != 0)
        return "libarchive resolves this entry's name differently from other readers";
    if (!same_type)
        return "libarchive resolves this entry's type differently from other readers";
    if (archive_entry_size(ae) < 0 || (uint64_t)archive_entry_size(ae) != e.size)
        return "libarchive resolves this entry's size differently from other readers";
    return NULL;
}

/*
 * Why a stream that broke could not be checked at all, if that is the case: it was cut short
 * (the file ends inside the compressed stream, or the tar in it stops mid-entry), or it is no
 * archive at all (its first header is not a tar header). NULL otherwise, when what broke is a
 * finding about the bag: a corrupt stream, a bad header after good ones. *kind gets
 * "truncated" or "not-a-bag". entries: how many headers were read before.
 */
static const char *unreadable(struct reader *rd, size_t entries, const char **kind)
{
    const char *why = NULL, *tkind = NULL, *where = NULL;

    if (rd->failed) {
        /* The decompressor wanted more than the file holds. For xz that is also a few bytes
         * of garbage after a whole stream, taken for the start of a second: `xz -t` calls
         * both "Unexpected end of input", and so do we. */
        *kind = rd->err.kind;
        return rd->err.kind ? rd->err.msg : NULL;
    }
    if (!rd->tar)
        return NULL;
    why = artbag_tarcheck_error(rd->tc, &tkind, &where);
    if (entries == 0 && (why ? strcmp(tkind, "archive") == 0 : rd->at_end && tar_bytes(rd) < 512)) {
        /* Not even one tar header: whatever it is, it is not a bag. */
        const char *flags, *comp = comp_name(rd, &flags);

        *kind = "not-a-bag";
        if (comp)
            snprintf(rd->err.msg, sizeof(rd->err.msg),
                     "not an archive or bag (%s-compressed data that is not a tar)", comp);
        else
            snprintf(rd->err.msg, sizeof(rd->err.msg), "not an archive or bag%s",
                     why ? "" : " (shorter than one tar header)");
        return rd->err.msg;
    }
    if (!why && rd->at_end) {
        *kind = "truncated";
        return tar_cut(rd, "");
    }
    return NULL;
}

/* Made with `tar -C bag -czf x.tgz .` or `cd bag && zip -r ../x.zip .`: the bag's own files at
 * the top of the archive. Says so, and how to make it right; looks a little further into the
 * archive for bagit.txt when the first entry is only "./". */
static const char *inside_out(struct reader *rd, const char *first, struct artbag_buf *msg)
{
    struct archive_entry *ae;
    char shown_buf[32]; /* a copy: libarchive reuses its own at the next header */
    const char *shown = shown_buf, *flags;
    const char *base = strrchr(rd->name, '/') ? strrchr(rd->name, '/') + 1 : rd->name;
    int is_bag = strcmp(first, "./") != 0 && strcmp(first, ".") != 0;

    snprintf(shown_buf, sizeof(shown_buf), "%s", first);
    if (strcmp(rd->name, "<stdin>") == 0)
        base = rd->tar ? "BAG.tar.gz" : "BAG.zip";
    for (int i = 0; !is_bag && i < 64 && archive_read_next_header(rd->a, &ae) == ARCHIVE_OK; i++) {
        const char *name = archive_entry_pathname(ae);

        if (name && (strcmp(name, "./bagit.txt") == 0 || strcmp(name, "bagit.txt") == 0))
            is_bag = 1, shown = "./bagit.txt";
    }
    msg->len = 0;
    if (artbag_buf_printf(
            msg,
            "made from inside %s directory ('%s' is at the top of the archive), but a serialized "
            "bag holds the bag's directory, named after the bag (RFC 8493 section 4.2); make it "
            "from the directory above: ",
            is_bag ? "the bag's" : "a", shown) != ARTBAG_OK)
        return "out of memory";
    if (!rd->tar)
        artbag_buf_printf(msg, "'cd PARENT && zip -r %s BAG'", base);
    else
        artbag_buf_printf(msg, "'tar -C PARENT %s %s BAG'", (comp_name(rd, &flags), flags), base);
    return msg->data ? msg->data : "out of memory";
}

/*
 * Streams every member of the archive into the checker. report_layout is off on the second
 * pass, which only needs the bytes again.
 */
static int archive_stream(struct reader *rd, const struct artbag_sink *sink,
                          struct artbag_report *r, int first_pass)
{
    struct archive *a = rd->a;
    struct archive_entry *ae;
    struct artbag_buf rel = ARTBAG_BUF_INIT, msg = ARTBAG_BUF_INIT;
    char *bag = NULL;
    char *chunk = malloc(CHUNK);
    int rc = ARTBAG_OK, ar, bag_is_dir = 0;
    size_t entries = 0;
    const char *ukind = NULL, *uwhy;

#define FINDING(sev, kind, path, ...)                                                              \
    do {                                                                                           \
        if (first_pass &&                                                                          \
            artbag_report_add(r, sev, kind, path, NULL, NULL, __VA_ARGS__) != ARTBAG_OK) {         \
            rc = ARTBAG_EIO;                                                                       \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

    /* So that the layout problems of an archive made from inside the bag can be taken back. */
    if (!chunk || (first_pass && artbag_report_mark(r) != ARTBAG_OK)) {
        free(chunk);
        return ARTBAG_EIO;
    }
    while ((ar = archive_read_next_header(a, &ae)) == ARCHIVE_OK || ar == ARCHIVE_WARN) {
        if (++rd->entries > rd->src->max_entries) {
            over(rd,
                 "more than %llu entries; could not check within the limits (raise with "
                 "the max_entries option)",
                 (unsigned long long)rd->src->max_entries);
            rc = ARTBAG_EREJECT;
            goto cleanup;
        }
        /* A tar name is taken as its bytes: converting it (an iconv set-up per entry) is a
         * tenth of verify's time on a collection, and would hide what verify must see. Zip
         * names are converted, since zip may store them in a legacy code page. */
        const char *name = rd->tar ? NULL : archive_entry_pathname_utf8(ae);
        const char *why, *type, *inner, *raw = name ? name : archive_entry_pathname(ae);
        size_t top_len;
        int is_dir;

        entries++;
        /* The bag's files at the top, with no bag directory above them (or only data/): one
         * clear message rather than the header validator's on "./" or a layout problem for
         * each file. */
        if (first_pass && raw && (!bag_is_dir || strcmp(bag, "data") == 0)) {
            const char *q = raw;

            while (q[0] == '.' && q[1] == '/')
                q += 2;
            if (strcmp(raw, ".") == 0 || strcmp(raw, "./") == 0 || strcmp(q, "bagit.txt") == 0) {
                artbag_report_rewind(r);
                FINDING(ARTBAG_PROBLEM, "not-a-bag", NULL, "%s", inside_out(rd, raw, &msg));
                rc = ARTBAG_EREJECT;
                goto cleanup;
            }
        }
        if (rd->tc) {
            const char *kind, *where;

            why = tar_agree(rd, ae, &kind, &where);
            if (why) {
                FINDING(ARTBAG_PROBLEM, kind, where, "%s", why);
                rc = ARTBAG_EREJECT;
                goto cleanup;
            }
        }
        if (!name)
            name = archive_entry_pathname(ae);
        if (!name) {
            FINDING(ARTBAG_PROBLEM, "unsafe-entry", NULL,
                    "an entry whose name cannot be read (not valid in its declared charset)");
            continue;
        }
        why = member_path(name, &rel);
        if (why) {
            FINDING(ARTBAG_PROBLEM, "unsafe-entry", name, "%s", why);
            continue;
        }
        {
            /* Components below the bag's directory: "bag/data/a/b.md" is 3 deep. */
            uint64_t depth = 0;

            for (const char *q = rel.data; (q = strchr(q, '/')); q++)
                depth++;
            if (depth > rd->src->max_depth) {
                /* The path may be 4,095 bytes: the message keeps its start and the flag. */
                over(rd,
                     "'%.200s%s' is more than %lu levels deep; could not check within the limits "
                     "(raise with the max_depth option)",
                     rel.data, rel.len > 200 ? "..." : "", (unsigned long)rd->src->max_depth);
                rc = ARTBAG_EREJECT;
                goto cleanup;
            }
        }
        type = unsafe_type(ae);
        if (type) {
            FINDING(ARTBAG_PROBLEM, "unsafe-entry", rel.data, "a %s", type);
            continue;
        }
        is_dir = archive_entry_filetype(ae) == AE_IFDIR;
        inner = strchr(rel.data, '/');
        top_len = inner ? (size_t)(inner - rel.data) : rel.len;
        if (!bag) {
            bag_is_dir = inner || is_dir;
            bag = strndup(rel.data, top_len);
            /* Known from the first entry on, so a sink that writes a copy can name it. */
            if (!bag || (first_pass && !r->bag && !(r->bag = strdup(bag)))) {
                rc = ARTBAG_EIO;
                goto cleanup;
            }
        }
        if (strlen(bag) != top_len || strncmp(bag, rel.data, top_len) != 0) {
            FINDING(ARTBAG_PROBLEM, "layout", rel.data,
                    "outside the bag's directory '%s': a bundle holds exactly one "
                    "top-level directory",
                    bag);
            continue;
        }
        if (!inner) {
            if (!is_dir)
                FINDING(ARTBAG_PROBLEM, "layout", rel.data,
                        "a file at the top level; a bundle holds one directory");
            else if (sink->root)
                sink->root(sink->ctx, (int64_t)archive_entry_mtime(ae));
            continue;
        }
        rc = sink->begin(sink->ctx, inner + 1, is_dir ? ARTBAG_ENTRY_DIR : ARTBAG_ENTRY_FILE,
                         (uint64_t)archive_entry_size(ae), (int64_t)archive_entry_mtime(ae));
        if (rc == ARTBAG_SKIP)
            rc = ARTBAG_OK; /* libarchive skips the data at the next header */
        else if (rc != ARTBAG_OK)
            goto cleanup;
        else if (!is_dir) {
            la_ssize_t n;

            while ((n = archive_read_data(a, chunk, CHUNK)) > 0) {
                if (artbag_cancelled()) {
                    rc = ARTBAG_EIO;
                    goto cleanup;
                }
                /* A zip entry's bytes come from libarchive's inflate, not our stream. */
                if (!rd->tar && charge(rd, (uint64_t)n) != ARTBAG_OK) {
                    if (sink->abort)
                        sink->abort(sink->ctx);
                    rc = ARTBAG_EREJECT;
                    goto cleanup;
                }
                rc = sink->data(sink->ctx, chunk, (size_t)n);
                if (rc != ARTBAG_OK)
                    goto cleanup;
            }
            if (n < 0 && is_over(rd)) {
                if (sink->abort)
                    sink->abort(sink->ctx);
                rc = ARTBAG_EREJECT;
                goto cleanup;
            }
            if (n < 0) {
                if (sink->abort)
                    sink->abort(sink->ctx);
                /* A cut stream is said once, for the bag; corruption is a finding on the file. */
                if ((uwhy = unreadable(rd, entries, &ukind)))
                    FINDING(ARTBAG_PROBLEM, ukind, NULL, "%s", uwhy);
                else
                    FINDING(ARTBAG_PROBLEM, "archive", inner + 1, "%s",
                            rd->failed ? rd->err.msg : archive_error_string(a));
                rc = ARTBAG_EREJECT;
                goto cleanup;
            }
        }
        rc = sink->end(sink->ctx);
        if (rc != ARTBAG_OK)
            goto cleanup;
    }
    if (ar != ARCHIVE_EOF && is_over(rd)) {
        rc = ARTBAG_EREJECT;
    } else if (ar != ARCHIVE_EOF && (uwhy = unreadable(rd, entries, &ukind))) {
        FINDING(ARTBAG_PROBLEM, ukind, NULL, "%s", uwhy);
        rc = ARTBAG_EREJECT;
    } else if (ar != ARCHIVE_EOF) {
        const char *kind = "archive", *where = NULL, *why = NULL;

        /* The validator saw the same bytes first and says more precisely what is wrong. */
        if (rd->tc && !artbag_tarcheck_next(rd->tc, &(struct artbag_tarentry){0}))
            why = artbag_tarcheck_error(rd->tc, &kind, &where);
        if (!why && rd->failed)
            why = rd->err.msg;
        FINDING(ARTBAG_PROBLEM, kind, where, "%s", why ? why : archive_error_string(a));
        rc = ARTBAG_EREJECT;
    } else {
        uint64_t padding = 0;
        const char *kind = "archive", *where = NULL,
                   *why = reader_check_end(rd, bag != NULL, &padding, &kind);
        struct artbag_tarentry left;

        if (is_over(rd)) {
            rc = ARTBAG_EREJECT;
            goto cleanup;
        }
        if (!why && padding > PADDING_WARN)
            FINDING(ARTBAG_WARNING, "padding", NULL,
                    "%llu zero bytes follow the tar's end-of-archive marker (more than 1 MiB of "
                    "padding; ignored, but read and counted against the max_bytes option)",
                    (unsigned long long)padding);
        if (!why && rd->tc) {
            why = artbag_tarcheck_error(rd->tc, &kind, &where);
            if (!why && artbag_tarcheck_next(rd->tc, &left)) {
                why = "an entry other readers extract after the point where libarchive stops";
                kind = "ambiguous";
                where = left.name;
            }
        }
        if (why) {
            FINDING(ARTBAG_PROBLEM, kind, where, "%s", why);
            rc = ARTBAG_EREJECT;
        } else if (rd->in && artbag_instream_trailing_zeros(rd->in)) {
            FINDING(ARTBAG_WARNING, "archive", NULL,
                    "zero bytes follow the compressed stream (padding, ignored)");
        }
    }
    if (first_pass && bag && !r->bag)
        r->bag = strdup(bag);
cleanup:
#undef FINDING
    if (first_pass && bag && !r->bag)
        r->bag = strdup(bag);
    if (first_pass && !bag && rc == ARTBAG_OK)
        artbag_report_add(r, ARTBAG_PROBLEM, entries ? "layout" : "not-a-bag", NULL, NULL, NULL,
                          entries ? "the archive holds no bag directory"
                                  : "not a bag: an archive with nothing in it");
    free(bag);
    artbag_buf_release(&msg);
    free(chunk);
    artbag_buf_release(&rel);
    return rc;
}

/* A zip whose central directory declares more than --max-bytes is over the budget before a byte
 * is inflated: 1 with err set, else 0. */
static int zip_over(const struct archive_src *src, const char *name, struct artbag_error *err)
{
    char lim[32];

    if (!src->zc.kind || strcmp(src->zc.kind, "too-large") != 0)
        return 0;
    artbag_size_str(src->max_bytes, lim);
    artbag_error_set(err, ARTBAG_EIO,
                     "'%s': more than %s decompressed (as its central directory declares); could "
                     "not check within the limits (raise with the max_bytes option)",
                     name, lim);
    if (err)
        err->kind = "limits";
    return 1;
}

/* Passes each entry to two sinks: the checker, and the extractor when unpacking. */
struct tee {
    const struct artbag_sink *a, *b;
};

static int tee_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    struct tee *t = ctx;
    int rc = t->a->begin(t->a->ctx, path, type, size, mtime);

    return rc != ARTBAG_OK ? rc : t->b->begin(t->b->ctx, path, type, size, mtime);
}

static int tee_data(void *ctx, const void *buf, size_t len)
{
    struct tee *t = ctx;
    int rc = t->a->data(t->a->ctx, buf, len);

    return rc != ARTBAG_OK ? rc : t->b->data(t->b->ctx, buf, len);
}

static int tee_end(void *ctx)
{
    struct tee *t = ctx;
    int rc = t->a->end(t->a->ctx);

    return rc != ARTBAG_OK ? rc : t->b->end(t->b->ctx);
}

static void tee_root(void *ctx, int64_t mtime)
{
    struct tee *t = ctx;

    if (t->a->root)
        t->a->root(t->a->ctx, mtime);
    if (t->b->root)
        t->b->root(t->b->ctx, mtime);
}

static void tee_abort(void *ctx)
{
    struct tee *t = ctx;

    if (t->a->abort)
        t->a->abort(t->a->ctx);
    if (t->b->abort)
        t->b->abort(t->b->ctx);
}

/*
 * Reads the archive once into the checker (and into extract, when non-NULL), then decides.
 * Only a source that can be opened again gets the second pass a late manifest may need.
 */
static int verify_archive(struct archive_src *src, struct artbag_bagcheck *c,
                          const struct artbag_sink *extract, struct artbag_report *r,
                          struct artbag_error *err)
{
    struct artbag_sink check, both = {NULL, tee_begin, tee_data, tee_end, tee_abort, tee_root};
    struct tee t;
    struct reader rd;
    int rescan = 0, rc;

    artbag_bagcheck_sink(c, &check);
    t.a = &check;
    t.b = extract;
    both.ctx = &t;
    rc = reader_open(&rd, src, err);
    if (rc == ARTBAG_EREJECT && zip_over(src, r->path, err))
        return ARTBAG_EIO;
    if (rc == ARTBAG_EREJECT) {
        /* Opened, but not something we can read as an archive: a verdict, not an I/O error. */
        const char *name = src->path ? src->path : "<stdin>", *msg = err->msg;
        size_t n = strlen(name);

        /* The report is about this bundle already: its name is not said twice. */
        if (msg[0] == '\'' && strncmp(msg + 1, name, n) == 0 && strncmp(msg + 1 + n, "': ", 3) == 0)
            msg += n + 4;
        rc = artbag_report_add(r, ARTBAG_PROBLEM,
                               src->zc.kind ? src->zc.kind
                               : err->kind  ? err->kind
                                            : "archive",
                               src->zc.entry, NULL, NULL, "%s", msg);
        return rc == ARTBAG_OK ? ARTBAG_OK : artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    if (rc != ARTBAG_OK)
        return rc;
    artbag_bagcheck_set_container(c, rd.tar ? ARTBAG_CONTAINER_TAR : ARTBAG_CONTAINER_ZIP,
                                  rd.in ? artbag_instream_compression(rd.in)
                                        : ARTBAG_COMPRESSION_NONE);
    rc = archive_stream(&rd, extract ? &both : &check, r, 1);
    reader_close(&rd);
    if (artbag_cancelled())
        return artbag_error_set(err, ARTBAG_EIO, "'%s': interrupted", r->path);
    if (src->over.status)
        return over_error(err, r->path, src->over.msg);
    if (rc == ARTBAG_EIO || rc == ARTBAG_EINTERNAL)
        return extract ? ARTBAG_EIO /* the extractor said why */
                       : artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", r->path);
    /* A broken stream is already a finding; the checks still say what else is wrong. */
    rc = artbag_bagcheck_finish(c, (src->path || src->zip_fd >= 0) && rc == ARTBAG_OK ? &rescan
                                                                                      : NULL);
    if (rc == ARTBAG_OK && rescan) {
        /* A manifest came after the files it lists (not artbag's order): read once more for
         * the digests the first pass could not know it needed. */
        artbag_bagcheck_rescan(c);
        rc = reader_open(&rd, src, err);
        if (rc != ARTBAG_OK)
            return rc;
        rc = archive_stream(&rd, &check, r, 0);
        reader_close(&rd);
        if (src->over.status)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", r->path, src->over.msg);
        if (rc == ARTBAG_OK)
            rc = artbag_bagcheck_finish(c, NULL);
    }
    if (rc == ARTBAG_EREJECT)
        rc = ARTBAG_OK; /* recorded in the report */
    if (rc != ARTBAG_OK)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", r->path);
    return ARTBAG_OK;
}

/* ---- directories ----------------------------------------------------------------------- */

struct walk {
    const struct artbag_sink *sink;
    struct artbag_report *r;
    struct artbag_buf path; /* relative to the bag */
    int first_pass;
    char *chunk;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_file(struct walk *w, int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    int rc;

    if (fd < 0 || fstat(fd, &st) < 0) {
        rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.data, NULL, NULL, "%s",
                               strerror(errno)) == ARTBAG_OK
                 ? ARTBAG_OK
                 : ARTBAG_EIO;
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rc = w->sink->begin(w->sink->ctx, w->path.data, ARTBAG_ENTRY_FILE, (uint64_t)st.st_size,
                        (int64_t)st.st_mtime);
    if (rc == ARTBAG_SKIP)
        rc = w->sink->end(w->sink->ctx);
    while (rc == ARTBAG_OK) {
        ssize_t n;

        if (artbag_cancelled()) {
            rc = ARTBAG_EIO;
            break;
        }
        n = read(fd, w->chunk, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0)
            artbag_call_bytes((uint64_t)n);
        if (n < 0) {
            if (w->sink->abort)
                w->sink->abort(w->sink->ctx);
            rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.data, NULL, NULL,
                                   "read failed: %s", strerror(errno));
            break;
        }
        if (n == 0) {
            rc = w->sink->end(w->sink->ctx);
            break;
        }
        rc = w->sink->data(w->sink->ctx, w->chunk, (size_t)n);
    }
    close(fd);
    return rc;
}

/*
 * The names in the directory open at fd, sorted in byte order; at the bag's top, data/ last, so
 * the manifests are known before the payload streams and one pass computes exactly the digests
 * needed. NULL with *n 0 for an empty directory; -1 without memory or when it cannot be read.
 */
static int read_names(int fd, int top, char ***out, size_t *n)
{
    int rc = artbag_dir_names(fd, out, n);
    char **names = *out;

    if (*n > 1)
        qsort(names, *n, sizeof(*names), cmp_names);
    for (size_t i = 0; top && i + 1 < *n; i++)
        if (strcmp(names[i], "data") == 0) {
            char *data = names[i];

            memmove(&names[i], &names[i + 1], (*n - i - 1) * sizeof(*names));
            names[*n - 1] = data;
            break;
        }
    return rc;
}

/* A directory being walked: its names, the next one, and who its parent is. */
struct walk_frame {
    char **names;
    size_t n, next;
    size_t path_len; /* w->path's length inside this directory */
    dev_t parent_dev;
    ino_t parent_ino;
};

static void walk_frame_release(struct walk_frame *f)
{
    artbag_dir_names_free(f->names, f->n);
}

/*
 * Depth-first, in byte order of names, with one directory open at a time and no recursion, so
 * a bag of any depth can be checked. The way back up is "..", checked against the identity
 * recorded on the way down: a directory moved while it is read is an error, never a walk into
 * somewhere else. fts(3) and nftw(3) do not serve here: both walk by path names from the top,
 * so a rename above the walk would redirect them.
 */
static int walk_dir(struct walk *w, int fd)
{
    struct walk_frame *stack = NULL;
    size_t depth = 0, cap = 0;
    int cur = fd, rc = ARTBAG_OK;
    struct stat st;

    if (fstat(cur, &st) < 0) {
        close(cur);
        return ARTBAG_EIO;
    }
    for (int enter = 1; rc == ARTBAG_OK;) {
        struct walk_frame *f;

        if (enter) { /* cur is a directory just entered: list it */
            if (depth == cap) {
                struct walk_frame *g = artbag_array_grow(stack, &cap, depth, sizeof(*g), 16);

                if (!g) {
                    rc = ARTBAG_EIO;
                    break;
                }
                stack = g;
            }
            f = &stack[depth++];
            memset(f, 0, sizeof(*f));
            f->path_len = w->path.len;
            f->parent_dev = st.st_dev; /* of the directory entered from; unused at the top */
            f->parent_ino = st.st_ino;
            if (fstat(cur, &st) < 0 || read_names(cur, depth == 1, &f->names, &f->n) < 0) {
                rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.len ? w->path.data : ".",
                                       NULL, NULL, "cannot read the directory: %s",
                                       strerror(errno)) == ARTBAG_OK
                         ? ARTBAG_OK
                         : ARTBAG_EIO;
                /* what could be read is still walked */
            }
            enter = 0;
        }
        f = &stack[depth - 1];
        if (f->next < f->n) {
            const char *name = f->names[f->next++];
            struct stat est;
            int sub;

            w->path.len = f->path_len;
            w->path.data[w->path.len] = '\0';
            if ((w->path.len && artbag_buf_append(&w->path, "/", 1) != ARTBAG_OK) ||
                artbag_buf_puts(&w->path, name) != ARTBAG_OK) {
                rc = ARTBAG_EIO;
                break;
            }
            if (fstatat(cur, name, &est, AT_SYMLINK_NOFOLLOW) < 0) {
                rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.data, NULL, NULL, "%s",
                                       strerror(errno));
            } else if (S_ISREG(est.st_mode)) {
                rc = walk_file(w, cur, name);
            } else if (!S_ISDIR(est.st_mode)) {
                if (w->first_pass)
                    rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "unsafe-entry", w->path.data, NULL,
                                           NULL, "a %s",
                                           S_ISLNK(est.st_mode)    ? "symbolic link"
                                           : S_ISFIFO(est.st_mode) ? "FIFO"
                                                                   : "device or socket");
            } else if ((sub = openat(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
                       0) {
                rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.data, NULL, NULL, "%s",
                                       strerror(errno));
            } else {
                rc = w->sink->begin(w->sink->ctx, w->path.data, ARTBAG_ENTRY_DIR, 0, 0);
                if (rc == ARTBAG_OK || rc == ARTBAG_SKIP)
                    rc = w->sink->end(w->sink->ctx);
                if (rc != ARTBAG_OK) {
                    close(sub);
                    break;
                }
                close(cur);
                cur = sub;
                enter = 1;
            }
            continue;
        }
        /* This directory is done: back up to its parent. */
        w->path.len = f->path_len;
        w->path.data[w->path.len] = '\0';
        if (depth == 1) {
            walk_frame_release(f);
            depth = 0;
            break;
        }
        {
            int up = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

            if (up < 0 || fstat(up, &st) < 0 || st.st_dev != f->parent_dev ||
                st.st_ino != f->parent_ino) {
                if (up >= 0)
                    close(up);
                rc = artbag_report_add(w->r, ARTBAG_PROBLEM, "io", w->path.data, NULL, NULL,
                                       "moved while the bag was being read") == ARTBAG_OK
                         ? ARTBAG_EREJECT
                         : ARTBAG_EIO;
                break;
            }
            close(cur);
            cur = up;
        }
        walk_frame_release(f);
        depth--;
    }
    while (depth)
        walk_frame_release(&stack[--depth]);
    free(stack);
    close(cur);
    return rc;
}

int artbag_dir_check(const char *path, struct artbag_bagcheck *c, struct artbag_report *r,
                     struct artbag_error *err)
{
    struct artbag_sink check;
    struct walk w = {&check, r, ARTBAG_BUF_INIT, 1, NULL};
    const char *base;
    char *trimmed = strdup(path);
    int rescan = 0, rc = ARTBAG_OK, fd;

    artbag_bagcheck_sink(c, &check);
    if (!trimmed || !(w.chunk = malloc(CHUNK)) || artbag_buf_puts(&w.path, "") != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    for (size_t l = strlen(trimmed); l > 1 && trimmed[l - 1] == '/'; l--)
        trimmed[l - 1] = '\0';
    base = strrchr(trimmed, '/') ? strrchr(trimmed, '/') + 1 : trimmed;
    r->bag = strdup(base);
    for (int pass = 0; pass < 2; pass++) {
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
            goto cleanup;
        }
        w.first_pass = pass == 0;
        w.path.len = 0;
        w.path.data[0] = '\0';
        rc = walk_dir(&w, fd);
        if (rc == ARTBAG_OK || rc == ARTBAG_EREJECT)
            rc = artbag_bagcheck_finish(c, pass == 0 ? &rescan : NULL);
        if (rc != ARTBAG_OK || !rescan)
            break;
        artbag_bagcheck_rescan(c);
    }
    if (rc == ARTBAG_EREJECT)
        rc = ARTBAG_OK;
    else if (rc != ARTBAG_OK)
        rc = artbag_cancelled() ? artbag_error_set(err, ARTBAG_EIO, "'%s': interrupted", path)
                                : artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
cleanup:
    free(trimmed);
    free(w.chunk);
    artbag_buf_release(&w.path);
    return rc;
}

/* ---- the entry points ------------------------------------------------------------------ */

int artbag_bag_read(const char *path, int fd, const struct artbag_verify_options *o,
                    const struct artbag_sink *sink, struct artbag_report *r,
                    struct artbag_error *err)
{
    struct archive_src src;
    struct reader rd;
    struct stat st;
    int rc;

    if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        struct walk w = {sink, r, ARTBAG_BUF_INIT, 1, NULL};
        const char *slash;
        size_t len = strlen(path);
        int dfd;

        while (len > 1 && path[len - 1] == '/')
            len--;
        for (slash = path + len; slash > path && slash[-1] != '/'; slash--)
            ;
        r->bag = strndup(slash, (size_t)(path + len - slash));
        dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", path, strerror(errno));
        if (!r->bag || !(w.chunk = malloc(CHUNK)) || artbag_buf_puts(&w.path, "") != ARTBAG_OK) {
            close(dfd);
            rc = ARTBAG_EIO;
        } else {
            rc = walk_dir(&w, dfd);
        }
        free(w.chunk);
        artbag_buf_release(&w.path);
        if (rc == ARTBAG_EIO || rc == ARTBAG_EINTERNAL)
            return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", path);
        return ARTBAG_OK;
    }
    src_init(&src, path, fd, o);
    src.threads = 0;
    rc = reader_open(&rd, &src, err);
    if (rc == ARTBAG_EREJECT && zip_over(&src, path ? path : "<stdin>", err)) {
        src_release(&src);
        return ARTBAG_EIO;
    }
    if (rc == ARTBAG_EREJECT && src.zc.kind) {
        /* A zip whose structure was refused: a problem, as a broken tar stream is. */
        rc = artbag_report_add(r, ARTBAG_PROBLEM, src.zc.kind, src.zc.entry, NULL, NULL, "%s",
                               err->msg);
        src_release(&src);
        return rc == ARTBAG_OK ? ARTBAG_OK : artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    if (rc != ARTBAG_OK) {
        src_release(&src);
        return rc;
    }
    rc = archive_stream(&rd, sink, r, 1);
    reader_close(&rd);
    src_release(&src);
    if (src.over.status)
        return over_error(err, r->path, src.over.msg);
    if (rc == ARTBAG_EIO || rc == ARTBAG_EINTERNAL)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': out of memory", r->path);
    return ARTBAG_OK;
}

int artbag_archive_check(const char *path, int fd, const struct artbag_verify_options *o,
                         struct artbag_bagcheck *c, const struct artbag_sink *extract,
                         struct artbag_report *r, struct artbag_error *err)
{
    struct archive_src src;
    int rc;

    src_init(&src, path, fd, o);
    src.max_bytes = artbag_bagcheck_max_bytes(c);
    rc = verify_archive(&src, c, extract, r, err);
    src_release(&src);
    return rc;
}
