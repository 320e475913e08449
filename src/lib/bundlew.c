/* bundlew.c - writes a bundle the safe way: a reproducible restricted-pax tar, gzipped by our
 * own layer, into a temporary file beside the final name, fsynced and renamed into place. */
#define _GNU_SOURCE /* renameat2() and RENAME_NOREPLACE */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "internal.h"

struct artbag_bundlew {
    struct archive *a;
    struct archive_entry *e;
    struct artbag_gzw *gz;
    struct artbag_locale loc;
    struct artbag_error *err;
    const char *path; /* borrowed: the final name */
    char *dir;        /* directory of path, for the directory fsync */
    char *bag;
    char *tmp; /* temporary file, removed unless committed */
    int fd;
    int64_t mtime;
    int failed; /* our gzip layer failed: err holds why, not libarchive */
};

/* libarchive's tar writer hands its blocks to our gzip layer through this callback. */
static la_ssize_t bw_write(struct archive *a, void *ud, const void *buf, size_t n)
{
    struct artbag_bundlew *w = ud;

    (void)a;
    if (artbag_cancelled()) {
        artbag_error_set(w->err, ARTBAG_EIO, "'%s': interrupted", w->path);
        w->failed = 1;
        return -1;
    }
    if (artbag_gzw_write(w->gz, buf, n, w->err) != ARTBAG_OK) {
        w->failed = 1;
        return -1;
    }
    return (la_ssize_t)n;
}

static int bw_error(struct artbag_bundlew *w)
{
    if (w->failed)
        return w->err ? w->err->status : ARTBAG_EIO;
    return artbag_error_set(w->err, ARTBAG_EIO, "'%s': tar: %s", w->path,
                            archive_error_string(w->a));
}

int artbag_bundlew_open(struct artbag_bundlew **out, const char *path, const char *bag,
                        int64_t mtime, struct artbag_error *err)
{
    struct artbag_bundlew *w = calloc(1, sizeof(*w));
    struct artbag_buf tmp = ARTBAG_BUF_INIT;
    const char *slash = strrchr(path, '/');
    int rc;

    *out = NULL;
    if (!w)
        return artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
    w->fd = -1;
    w->err = err;
    w->path = path;
    w->mtime = mtime;
    artbag_locale_enter(&w->loc);
    w->dir =
        slash ? (slash == path ? strdup("/") : strndup(path, (size_t)(slash - path))) : strdup(".");
    w->bag = strdup(bag);
    /* A dot name marks the file as ours and unfinished; mkstemp makes it ours alone. */
    if (!w->dir || !w->bag ||
        artbag_buf_printf(&tmp, "%s/.%s.artbag-tmp-XXXXXX", w->dir, slash ? slash + 1 : path) !=
            ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
        goto fail;
    }
    w->tmp = artbag_buf_detach(&tmp, NULL);
    w->fd = mkstemp(w->tmp);
    if (w->fd < 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create a file there: %s", w->dir,
                              strerror(errno));
        free(w->tmp);
        w->tmp = NULL;
        goto fail;
    }
    if (fchmod(w->fd, 0644) < 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': chmod failed: %s", w->tmp, strerror(errno));
        goto fail;
    }
    rc = artbag_gzw_new(&w->gz, w->fd, path, err);
    if (rc != ARTBAG_OK)
        goto fail;
    w->a = archive_write_new();
    w->e = archive_entry_new();
    if (!w->a || !w->e) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
        goto fail;
    }
    /* Restricted pax: plain ustar headers, and pax extended headers only where ustar cannot
     * say it (long or non-ASCII names), so old tars still read artbag bundles. */
    if (archive_write_set_format_pax_restricted(w->a) != ARCHIVE_OK ||
        archive_write_add_filter_none(w->a) != ARCHIVE_OK ||
        archive_write_open(w->a, w, NULL, bw_write, NULL) != ARCHIVE_OK) {
        rc = bw_error(w);
        goto fail;
    }
    *out = w;
    return ARTBAG_OK;
fail:
    artbag_bundlew_free(w);
    return rc;
}

struct artbag_gzw *artbag_bundlew_gzw(struct artbag_bundlew *w)
{
    return w->gz;
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
    if (archive_write_header(w->a, w->e) != ARCHIVE_OK)
        return bw_error(w);
    return ARTBAG_OK;
}

int artbag_bundlew_data(struct artbag_bundlew *w, const void *buf, size_t len)
{
    if (len > 0 && archive_write_data(w->a, buf, len) != (la_ssize_t)len)
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
        return artbag_error_set(err, ARTBAG_EIO, "'%s': already exists; pass --force to replace it",
                                final);
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

int artbag_bundlew_commit(struct artbag_bundlew *w, int force, uint64_t *bytes)
{
    struct stat st;
    int rc;

    if (archive_write_close(w->a) != ARCHIVE_OK)
        return bw_error(w);
    rc = artbag_gzw_finish(w->gz, w->err);
    if (rc != ARTBAG_OK)
        return rc;
    if (fstat(w->fd, &st) < 0 || fsync(w->fd) < 0)
        return artbag_error_set(w->err, ARTBAG_EIO, "'%s': fsync failed: %s", w->path,
                                strerror(errno));
    rc = close(w->fd);
    w->fd = -1;
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
    return fsync_dir(w->dir, w->err);
}

void artbag_bundlew_free(struct artbag_bundlew *w)
{
    if (!w)
        return;
    archive_entry_free(w->e);
    if (w->a)
        archive_write_free(w->a);
    artbag_gzw_free(w->gz);
    if (w->fd >= 0)
        close(w->fd);
    if (w->tmp)
        unlink(w->tmp);
    artbag_locale_leave(&w->loc);
    free(w->tmp);
    free(w->dir);
    free(w->bag);
    free(w);
}
