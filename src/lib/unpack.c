/* unpack.c - restores a bundle only when it is proven valid: extracts into a private temporary
 * directory while verifying, and renames the bag into place only after the verdict. */
#define _GNU_SOURCE /* renameat2(), RENAME_NOREPLACE, O_DIRECTORY, O_NOFOLLOW */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/*
 * The extractor writes what the reader hands it below rootfd. Every path component is opened
 * with O_NOFOLLOW and every file created with O_EXCL, so neither a symlink planted by an
 * earlier entry nor a duplicate entry can redirect or overwrite a write.
 */
struct extractor {
    int rootfd;
    int fd; /* file being written, or -1 */
    int64_t mtime;
    const char *bundle;
    struct artbag_buf path; /* the entry being written, for messages */
    struct artbag_error *err;
};

/* Opens (creating as needed) the directory that holds the last component of path. */
static int open_parent(struct extractor *x, const char *path, const char **leaf)
{
    int dfd = dup(x->rootfd);
    const char *p = path, *slash;

    if (dfd < 0)
        return -1;
    while ((slash = strchr(p, '/'))) {
        char comp[256 + 1];
        size_t n = (size_t)(slash - p);
        int next;

        if (n == 0 || n >= sizeof(comp)) {
            close(dfd);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        if (mkdirat(dfd, comp, 0755) < 0 && errno != EEXIST) {
            close(dfd);
            return -1;
        }
        next = openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dfd);
        if (next < 0)
            return -1;
        dfd = next;
        p = slash + 1;
    }
    *leaf = p;
    return dfd;
}

static int x_fail(struct extractor *x, const char *what)
{
    return artbag_error_set(x->err, ARTBAG_EIO, "'%s': cannot %s '%s': %s", x->bundle, what,
                            x->path.data ? x->path.data : "", strerror(errno));
}

static int x_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    struct extractor *x = ctx;
    const char *leaf;
    int dfd;

    (void)size;
    x->path.len = 0;
    if (artbag_buf_puts(&x->path, path) != ARTBAG_OK)
        return artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
    x->mtime = mtime;
    dfd = open_parent(x, path, &leaf);
    if (dfd < 0)
        return x_fail(x, "create the directory for");
    if (type == ARTBAG_ENTRY_DIR) {
        int rc = mkdirat(dfd, leaf, 0755) < 0 && errno != EEXIST ? x_fail(x, "create") : 0;

        close(dfd);
        return rc;
    }
    x->fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    close(dfd);
    if (x->fd < 0) {
        /* A second entry of the same name: the checker reports it, and the bag will not be
         * renamed into place, so writing nothing is right. */
        if (errno == EEXIST)
            return ARTBAG_OK;
        return x_fail(x, "create");
    }
    return ARTBAG_OK;
}

static int x_data(void *ctx, const void *buf, size_t len)
{
    struct extractor *x = ctx;

    if (x->fd >= 0 && artbag_write_all(x->fd, buf, len) < 0)
        return x_fail(x, "write");
    return ARTBAG_OK;
}

static int x_end(void *ctx)
{
    struct extractor *x = ctx;
    struct timespec ts[2];
    int fd = x->fd;

    if (fd < 0)
        return ARTBAG_OK;
    x->fd = -1;
    /* The archive's time is part of what was preserved; keep it on the restored file. */
    ts[0].tv_sec = ts[1].tv_sec = (time_t)x->mtime;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    futimens(fd, ts);
    /* No fsync per file: a million small files would take minutes. One syncfs() before the
     * rename into place makes all of them durable at once. */
    if (close(fd) < 0)
        return x_fail(x, "write");
    return ARTBAG_OK;
}

/* Puts the verified bag at dest/bag; an existing one is replaced only with force. */
static int publish_dir(int destfd, const char *dest, const char *tmpname, const char *bag,
                       int force, struct artbag_error *err)
{
    if (renameat2(destfd, tmpname, destfd, bag, RENAME_NOREPLACE) == 0)
        return ARTBAG_OK;
    if (errno != EEXIST)
        return artbag_error_set(err, ARTBAG_EIO, "'%s/%s': cannot rename into place: %s", dest, bag,
                                strerror(errno));
    if (!force)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s/%s': already exists; pass --force to replace it", dest, bag);
    /* Swap atomically, so at every moment dest/bag is either the old bag or the new one. */
    if (renameat2(destfd, tmpname, destfd, bag, RENAME_EXCHANGE) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s/%s': cannot replace: %s", dest, bag,
                                strerror(errno));
    if (artbag_remove_tree(destfd, tmpname) < 0)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s/%s': replaced, but the old copy '%s' could not be removed: %s",
                                dest, bag, tmpname, strerror(errno));
    return ARTBAG_OK;
}

int artbag_unpack(const char *bundle, const char *dest, const struct artbag_verify_options *opts,
                  int force, struct artbag_report **out, struct artbag_error *err)
{
    struct extractor x = {-1, -1, 0, bundle, ARTBAG_BUF_INIT, err};
    struct artbag_sink sink = {&x, x_begin, x_data, x_end, NULL};
    struct artbag_report *r = NULL;
    struct artbag_bagcheck *c = NULL;
    char tmpname[64];
    char *tmppath = NULL;
    struct stat st;
    int destfd = -1, made = 0, rc;

    *out = NULL;
    destfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (destfd < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dest, strerror(errno));
    if (opts->input_fd < 0 && stat(bundle, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = artbag_error_set(err, ARTBAG_EUSAGE,
                              "'%s' is a directory; unpack reads a serialized bundle", bundle);
        goto cleanup;
    }
    /* mkdtemp wants a path; the directory lives inside dest so the final rename is atomic. */
    (void)artbag_remove_stale_unpack_temps(dest, NULL);
    snprintf(tmpname, sizeof(tmpname), ".artbag-unpack-%ld-XXXXXX", (long)getpid());
    tmppath = malloc(strlen(dest) + strlen(tmpname) + 2);
    if (!tmppath) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
        goto cleanup;
    }
    sprintf(tmppath, "%s/%s", dest, tmpname);
    if (!mkdtemp(tmppath)) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': cannot create a directory there: %s", dest,
                              strerror(errno));
        goto cleanup;
    }
    made = 1;
    memcpy(tmpname, tmppath + strlen(dest) + 1, strlen(tmpname) + 1);
    x.rootfd = openat(destfd, tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (x.rootfd >= 0)
        (void)flock(x.rootfd, LOCK_EX | LOCK_NB); /* in use: see artbag_remove_stale_unpack_temps */
    if (x.rootfd < 0) {
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", tmppath, strerror(errno));
        goto cleanup;
    }
    r = artbag_report_new(opts->input_fd >= 0 ? "<stdin>" : bundle);
    if (!r) {
        rc = artbag_error_set(err, ARTBAG_EINTERNAL, "out of memory");
        goto cleanup;
    }
    rc = artbag_bagcheck_new(&c, r, opts, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    rc = artbag_verify_archive(opts->input_fd >= 0 ? NULL : bundle, opts->input_fd, opts->threads,
                               c, &sink, r, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (r->valid && r->bag) {
        if (fchmod(x.rootfd, 0755) < 0 || syncfs(x.rootfd) < 0) {
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", tmppath, strerror(errno));
            goto cleanup;
        }
        rc = publish_dir(destfd, dest, tmpname, r->bag, force, err);
        if (rc != ARTBAG_OK)
            goto cleanup;
        made = 0; /* renamed away; after a swap publish_dir removed the old bag it held */
        fsync(destfd);
    }
    *out = r;
    r = NULL;
cleanup:
    if (x.fd >= 0)
        close(x.fd);
    if (x.rootfd >= 0)
        close(x.rootfd);
    if (made)
        artbag_remove_tree(destfd, tmpname);
    close(destfd);
    free(tmppath);
    artbag_buf_release(&x.path);
    artbag_bagcheck_free(c);
    artbag_report_free(r);
    return rc;
}
