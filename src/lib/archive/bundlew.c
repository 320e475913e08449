/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* bundlew.c - writes a bundle the safe way: a reproducible restricted-pax tar, gzipped by our
 * own layer, into a temporary file beside the final name, fsynced and renamed into place. */
#define _GNU_SOURCE /* renameat2(), RENAME_NOREPLACE, O_TMPFILE, copy_file_range() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "archive/gz.h"
#include "archive/archive.h"

/*
 * One tar stream written through libarchive into a gzip layer on fd. Unblocked, and without
 * libarchive's own end-of-archive blocks, so that parts written at different times (tag files
 * after the payload's digests are known, the payload spooled before) can be joined into one
 * tar: concatenated gzip members are one gzip stream.
 */
struct part {
    struct archive *a;
    struct artbag_gzw *gz;
    int fd;
    uint64_t tar_bytes; /* tar bytes handed to gz, for the final record padding */
    int closing;        /* archive_write_close() is writing the trailer we do not want */
    struct artbag_bundlew *w;
};

struct artbag_bundlew {
    struct part main, spool, *cur;
    struct archive_entry *e;
    struct artbag_locale loc;
    struct artbag_error *err;
    const char *path; /* borrowed: the final name */
    char *dir;        /* directory of path, for the temporary files and the fsync */
    char *bag;
    char *tmp; /* temporary file, removed unless committed */
    int64_t mtime;
    int threads; /* deflate threads per part; 0: the gzip layer's default */
    int flags;   /* ARTBAG_BUNDLEW_* */
    int failed;  /* our gzip layer failed: err holds why, not libarchive */
};

static la_ssize_t part_write(struct archive *a, void *ud, const void *buf, size_t n)
{
    struct part *p = ud;
    struct artbag_bundlew *w = p->w;

    (void)a;
    if (p->closing)
        return (la_ssize_t)n; /* the end-of-archive blocks: written once, in commit */
    if (artbag_cancelled()) {
        artbag_error_set(w->err, ARTBAG_EIO, "'%s': interrupted", w->path);
        w->failed = 1;
        return -1;
    }
    if (artbag_gzw_write(p->gz, buf, n, w->err) != ARTBAG_OK) {
        w->failed = 1;
        return -1;
    }
    p->tar_bytes += n;
    return (la_ssize_t)n;
}

static int bw_error(struct artbag_bundlew *w)
{
    if (w->failed)
        return w->err ? w->err->status : ARTBAG_EIO;
    return artbag_error_set(w->err, ARTBAG_EIO, "'%s': tar: %s", w->path,
                            w->cur && w->cur->a ? archive_error_string(w->cur->a) : "failed");
}

static int part_open(struct artbag_bundlew *w, struct part *p, int fd)
{
    int rc;

    p->w = w;
    p->fd = fd;
    rc = artbag_gzw_new(&p->gz, fd, w->path, w->err);
    if (rc != ARTBAG_OK)
        return rc;
    p->a = archive_write_new();
    if (!p->a)
        return artbag_error_set(w->err, ARTBAG_EIO, "out of memory");
    /* Restricted pax: plain ustar headers, and pax extended headers only where ustar cannot
     * say it (long or non-ASCII names), so old tars still read artbag bundles. */
    if (archive_write_set_format_pax_restricted(p->a) != ARCHIVE_OK ||
        archive_write_add_filter_none(p->a) != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(p->a, 0) != ARCHIVE_OK ||
        archive_write_open(p->a, p, NULL, part_write, NULL) != ARCHIVE_OK) {
        w->cur = p;
        return bw_error(w);
    }
    return ARTBAG_OK;
}

/* Ends a part's tar (without the trailer) and its gzip members. */
static int part_close(struct artbag_bundlew *w, struct part *p)
{
    /* The last entry's padding to 512 bytes belongs to the tar; only what close adds after it
     * is the trailer. */
    if (archive_write_finish_entry(p->a) != ARCHIVE_OK) {
        w->cur = p;
        return bw_error(w);
    }
    p->closing = 1;
    if (archive_write_close(p->a) != ARCHIVE_OK) {
        w->cur = p;
        return bw_error(w);
    }
    return artbag_gzw_finish(p->gz, w->err);
}

static void part_free(struct part *p)
{
    if (p->a) {
        p->closing = 1; /* a part abandoned on failure must not write anything more */
        archive_write_free(p->a);
    }
    artbag_gzw_free(p->gz);
    memset(p, 0, sizeof(*p));
    p->fd = -1;
}

int artbag_bundlew_open(struct artbag_bundlew **out, const char *path, const char *bag,
                        int64_t mtime, int flags, struct artbag_error *err)
{
    struct artbag_bundlew *w = calloc(1, sizeof(*w));
    struct artbag_buf tmp = ARTBAG_BUF_INIT;
    const char *slash = strrchr(path, '/');
    int rc, fd;

    *out = NULL;
    if (!w)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    w->main.fd = w->spool.fd = -1;
    w->err = err;
    w->path = path;
    w->mtime = mtime;
    artbag_locale_enter(&w->loc);
    w->dir =
        slash ? (slash == path ? strdup("/") : strndup(path, (size_t)(slash - path))) : strdup(".");
    w->bag = strdup(bag);
    w->e = archive_entry_new();
    /* A dot name marks the file as ours and unfinished; mkstemp makes it ours alone. The pid
     * lets a later run tell a dead writer's file (artbag_remove_stale_temps) from a live one. */
    w->flags = flags;
    if (w->dir && !(flags & ARTBAG_BUNDLEW_BATCH))
        (void)artbag_remove_stale_temps(w->dir, slash ? slash + 1 : path, NULL);
    if (!w->dir || !w->bag || !w->e ||
        artbag_buf_printf(&tmp, "%s/.%s.artbag-tmp-%ld-XXXXXX", w->dir, slash ? slash + 1 : path,
                          (long)getpid()) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto fail;
    }
    w->tmp = artbag_buf_detach(&tmp, NULL);
    fd = mkstemp(w->tmp);
    if (fd < 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create a file there: %s", w->dir,
                              strerror(errno));
        free(w->tmp);
        w->tmp = NULL;
        goto fail;
    }
    w->main.fd = fd;
    (void)flock(fd, LOCK_EX | LOCK_NB); /* in use: artbag_remove_stale_temps keeps it */
    if (fchmod(fd, 0644) < 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': chmod failed: %s", w->tmp, strerror(errno));
        goto fail;
    }
    rc = part_open(w, &w->main, fd);
    if (rc != ARTBAG_OK)
        goto fail;
    w->cur = &w->main;
    *out = w;
    return ARTBAG_OK;
fail:
    artbag_bundlew_free(w);
    return rc;
}

/*
 * The payload of a collection is written before its tag files can be (they carry its digests)
 * yet must come after them in the archive. It goes to an unnamed file beside the bundle, which
 * vanishes by itself if the process dies, and is appended at commit.
 */
int artbag_bundlew_spool_begin(struct artbag_bundlew *w)
{
    int rc, fd = open(w->dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);

    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        char *name = malloc(strlen(w->dir) + 32);

        if (!name)
            return artbag_error_set(w->err, ARTBAG_EIO, "out of memory");
        sprintf(name, "%s/.artbag-spool-XXXXXX", w->dir);
        fd = mkstemp(name);
        if (fd >= 0)
            unlink(name);
        free(name);
    }
    if (fd < 0)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': cannot create a spool file: %s", w->dir,
                                strerror(errno));
    w->cur = &w->spool;
    rc = part_open(w, &w->spool, fd);
    if (rc == ARTBAG_OK && w->threads)
        artbag_gzw_set_threads(w->spool.gz, w->threads);
    return rc;
}

void artbag_bundlew_set_threads(struct artbag_bundlew *w, int n)
{
    w->threads = n;
    artbag_gzw_set_threads(w->main.gz, n);
}

int artbag_bundlew_spool_end(struct artbag_bundlew *w)
{
    int rc = part_close(w, &w->spool);

    w->cur = &w->main;
    return rc;
}

struct artbag_gzw *artbag_bundlew_gzw(struct artbag_bundlew *w)
{
    return w->cur->gz;
}

/*
 * Every entry gets a fixed owner, mode and time, so the archive says nothing about who packed
 * it or when beyond the mtime asked for.
 */
int artbag_bundlew_entry(struct artbag_bundlew *w, const char *rel, int is_dir, uint64_t size)
{
    return artbag_bundlew_entry_at(w, rel, is_dir, size, w->mtime);
}

int artbag_bundlew_entry_at(struct artbag_bundlew *w, const char *rel, int is_dir, uint64_t size,
                            int64_t mtime)
{
    char path[PATH_MAX + 256];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", w->bag, rel) >= sizeof(path))
        return artbag_error_set(w->err, ARTBAG_EREJECT, "'%s': path too long", rel);
    archive_entry_clear(w->e);
    archive_entry_set_pathname_utf8(w->e, path);
    archive_entry_set_filetype(w->e, is_dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(w->e, is_dir ? 0755 : 0644);
    archive_entry_set_uid(w->e, 0);
    archive_entry_set_gid(w->e, 0);
    archive_entry_set_mtime(w->e, (time_t)mtime, 0);
    archive_entry_set_size(w->e, is_dir ? 0 : (la_int64_t)size);
    if (archive_write_header(w->cur->a, w->e) != ARCHIVE_OK)
        return bw_error(w);
    return ARTBAG_OK;
}

int artbag_bundlew_data(struct artbag_bundlew *w, const void *buf, size_t len)
{
    if (len > 0 && archive_write_data(w->cur->a, buf, len) != (la_ssize_t)len)
        return bw_error(w);
    return ARTBAG_OK;
}

int artbag_bundlew_add(struct artbag_bundlew *w, const char *rel, const void *data, size_t len)
{
    int rc = artbag_bundlew_entry(w, rel, data == NULL, len);

    return rc != ARTBAG_OK || !data ? rc : artbag_bundlew_data(w, data, len);
}

/*
 * Moves the finished temporary file to its name. Without force the kernel refuses to replace
 * an existing file (RENAME_NOREPLACE, or link() where the filesystem lacks it), so a bundle
 * that appeared while we worked is never clobbered.
 */
static int publish(const char *tmp, const char *final, int force, struct artbag_error *err)
{
    if (force) {
        if (rename(tmp, final) == 0)
            return ARTBAG_OK;
    } else {
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
            return ARTBAG_OK;
        if ((errno == EINVAL || errno == ENOSYS) && link(tmp, final) == 0) {
            unlink(tmp);
            return ARTBAG_OK;
        }
    }
    if (errno == EEXIST)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s': already exists; pass the force option to replace it", final);
    return artbag_error_set(err, ARTBAG_EIO, "'%s': cannot rename into place: %s", final,
                            strerror(errno));
}

static int fsync_dir(const char *dir, struct artbag_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = ARTBAG_OK;

    if (fd < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    if (fsync(fd) < 0 && errno != EINVAL)
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': fsync failed: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

/* Appends the spooled payload's gzip members to the bundle, in the kernel where it can. */
static int append_spool(struct artbag_bundlew *w)
{
    char buf[64 * 1024];
    off_t off = 0;
    ssize_t n;

    for (;;) {
        n = copy_file_range(w->spool.fd, &off, w->main.fd, NULL, 1 << 30, 0);
        if (n == 0)
            return ARTBAG_OK;
        if (n < 0)
            break;
    }
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': write failed: %s", w->path,
                                strerror(errno));
    while ((n = pread(w->spool.fd, buf, sizeof(buf), off)) > 0) {
        if (artbag_write_all(w->main.fd, buf, (size_t)n) < 0)
            return artbag_error_set(w->err, ARTBAG_EIO, "'%s': write failed: %s", w->path,
                                    strerror(errno));
        off += n;
    }
    if (n < 0)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': spool read failed: %s", w->path,
                                strerror(errno));
    return ARTBAG_OK;
}

/*
 * The end of the tar: two zero blocks, then zeros up to a whole 10240-byte record, as tar
 * writes it, in a gzip member of its own.
 */
static int write_trailer(struct artbag_bundlew *w)
{
    static const char zeros[10240];
    uint64_t total = w->main.tar_bytes + w->spool.tar_bytes + 1024;
    size_t pad = (size_t)(1024 + (10240 - total % 10240) % 10240);
    struct artbag_gzw *gz = NULL;
    int rc = artbag_gzw_new(&gz, w->main.fd, w->path, w->err);

    if (rc == ARTBAG_OK)
        artbag_gzw_set_threads(gz, 1); /* zeros: nothing to share out */
    while (rc == ARTBAG_OK && pad > 0) {
        size_t n = pad < sizeof(zeros) ? pad : sizeof(zeros);

        rc = artbag_gzw_write(gz, zeros, n, w->err);
        pad -= n;
    }
    if (rc == ARTBAG_OK)
        rc = artbag_gzw_finish(gz, w->err);
    artbag_gzw_free(gz);
    return rc;
}

int artbag_bundlew_commit(struct artbag_bundlew *w, int force, uint64_t *bytes)
{
    struct stat st;
    int rc;

    w->cur = &w->main;
    rc = part_close(w, &w->main);
    if (rc == ARTBAG_OK && w->spool.fd >= 0)
        rc = append_spool(w);
    if (rc == ARTBAG_OK)
        rc = write_trailer(w);
    if (rc != ARTBAG_OK)
        return rc;
    if (fstat(w->main.fd, &st) < 0 || fsync(w->main.fd) < 0)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': fsync failed: %s", w->path,
                                strerror(errno));
    rc = close(w->main.fd);
    w->main.fd = -1;
    if (rc < 0)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': close failed: %s", w->path,
                                strerror(errno));
    rc = publish(w->tmp, w->path, force, w->err);
    if (rc != ARTBAG_OK)
        return rc;
    free(w->tmp);
    w->tmp = NULL; /* published: nothing left to remove */
    if (bytes)
        *bytes = (uint64_t)st.st_size;
    return w->flags & ARTBAG_BUNDLEW_BATCH ? ARTBAG_OK : fsync_dir(w->dir, w->err);
}

void artbag_bundlew_free(struct artbag_bundlew *w)
{
    int main_fd, spool_fd;

    if (!w)
        return;
    archive_entry_free(w->e);
    main_fd = w->main.fd;
    spool_fd = w->spool.fd;
    part_free(&w->main);
    part_free(&w->spool);
    if (main_fd >= 0)
        close(main_fd);
    if (spool_fd >= 0)
        close(spool_fd);
    if (w->tmp)
        unlink(w->tmp);
    artbag_locale_leave(&w->loc);
    free(w->tmp);
    free(w->dir);
    free(w->bag);
    free(w);
}
