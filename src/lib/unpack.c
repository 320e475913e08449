/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* unpack.c - restores a bundle only when it is proven valid: extracts into a private temporary
 * directory while verifying, and renames the bag into place only after the verdict. */
#define _GNU_SOURCE /* renameat2(), RENAME_NOREPLACE, O_DIRECTORY, O_NOFOLLOW */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"

/* The kind of problem unpack adds when the tree it would publish is not the one verified. */
#define CONFLICT "unpack-conflict"

/*
 * What the extractor made, by path relative to the bag: every file and directory, including
 * the directories it created for a file's parents. After the stream, the tree on disk must be
 * exactly this, or it is not what the checker saw.
 */
struct made {
    char *path;
    uint64_t hash;
    int type; /* enum artbag_entry_type */
    uint64_t size;
    int64_t mtime; /* a directory's, when its own entry came (timed) */
    int timed;
};

struct made_set {
    struct made *v;
    size_t n, cap;
    size_t *ix; /* open addressing: index + 1 into v, 0 empty */
    size_t ix_cap;
};

static long made_find(const struct made_set *s, const char *path, size_t len)
{
    uint64_t h;

    if (!s->ix_cap)
        return -1;
    h = artbag_hash_bytes(path, len);
    for (size_t j = h & (s->ix_cap - 1); s->ix[j]; j = (j + 1) & (s->ix_cap - 1)) {
        const struct made *m = &s->v[s->ix[j] - 1];

        if (m->hash == h && strncmp(m->path, path, len) == 0 && m->path[len] == '\0')
            return (long)(s->ix[j] - 1);
    }
    return -1;
}

/* Adds a path not yet in the set; returns its index, or -1 without memory. */
static long made_add(struct made_set *s, const char *path, size_t len, int type)
{
    struct made *m;

    if (s->n == s->cap) {
        struct made *v = artbag_array_grow(s->v, &s->cap, s->n, sizeof(*v), 64);

        if (!v)
            return -1;
        s->v = v;
    }
    if (2 * (s->n + 1) > s->ix_cap) {
        size_t cap = s->ix_cap ? s->ix_cap * 2 : 128;
        size_t *ix = calloc(cap, sizeof(*ix));

        if (!ix)
            return -1;
        for (size_t i = 0; i < s->n; i++) {
            size_t j = s->v[i].hash & (cap - 1);

            while (ix[j])
                j = (j + 1) & (cap - 1);
            ix[j] = i + 1;
        }
        free(s->ix);
        s->ix = ix;
        s->ix_cap = cap;
    }
    m = &s->v[s->n];
    if (!(m->path = strndup(path, len)))
        return -1;
    m->hash = artbag_hash_bytes(path, len);
    m->type = type;
    m->size = 0;
    m->timed = 0;
    {
        size_t j = m->hash & (s->ix_cap - 1);

        while (s->ix[j])
            j = (j + 1) & (s->ix_cap - 1);
        s->ix[j] = s->n + 1;
    }
    return (long)s->n++;
}

static void made_release(struct made_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].path);
    free(s->v);
    free(s->ix);
    memset(s, 0, sizeof(*s));
}

/*
 * The extractor writes what the reader hands it below rootfd. Every path component is opened
 * with O_NOFOLLOW and every file created with O_EXCL, so neither a symlink planted by an
 * earlier entry nor a duplicate entry can redirect or overwrite a write. It never lets the file
 * system decide between two entries: anything in the way of an entry (a second entry of the
 * same name, a file where a directory is needed, a name the file system folds onto another's)
 * is a problem in the report, so the bag is refused and the temporary tree removed.
 */
struct extractor {
    int rootfd;
    int fd;   /* file being written, or -1 */
    long cur; /* its index in made, or -1 */
    int64_t mtime;
    const char *bundle;
    struct artbag_buf path; /* the entry being written, for messages */
    struct made_set made;
    struct artbag_report *r;
    struct artbag_error *err;
    /* The last parent directory opened, by its path below the root: entries come in archive
     * order, mostly beside or below the one before, so each is reached from here in one or two
     * steps rather than from the root, which made entries x depth system calls. */
    int cache_fd; /* -1: none */
    struct artbag_buf cache_path;
    /* The destination's free space when unpacking began, and what was spent of it: file data,
     * and a block for each directory made. A bag that needs more is refused before the disk
     * fills, so an unattended unpack never takes the last byte the collections' disk has. */
    uint64_t space, spent, block;
    const char *dest;
    int64_t root_mtime; /* the bag's own directory entry's time, when root_timed */
    int root_timed;
};

/* Charges n bytes of the destination's space; ARTBAG_EIO once the bag cannot fit. */
static int x_spend(struct extractor *x, uint64_t n)
{
    char free_str[32];

    x->spent += n;
    if (x->spent <= x->space)
        return ARTBAG_OK;
    artbag_size_str(x->space, free_str);
    return artbag_error_set(x->err, ARTBAG_EIO,
                            "'%s': does not fit in '%s': more than the %s free there when "
                            "unpacking began; could not unpack within the limits",
                            x->bundle, x->dest, free_str);
}

static int x_fail(struct extractor *x, const char *what)
{
    return artbag_error_set(x->err, ARTBAG_EIO, "'%s': cannot %s '%s': %s", x->bundle, what,
                            x->path.data ? x->path.data : "", strerror(errno));
}

static int x_nomem(struct extractor *x)
{
    return artbag_error_set(x->err, ARTBAG_EIO, "out of memory");
}

static int x_conflict(struct extractor *x, const char *path, const char *fmt, ...)
    ARTBAG_PRINTF(3, 4);

/* Records why path cannot be restored as the bundle says; the unpack then fails. */
static int x_conflict(struct extractor *x, const char *path, const char *fmt, ...)
{
    char msg[ARTBAG_ERROR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (artbag_report_add(x->r, ARTBAG_PROBLEM, CONFLICT, path, NULL, NULL, "%s", msg) != ARTBAG_OK)
        return x_nomem(x);
    return ARTBAG_OK;
}

/* An EEXIST for a name the extractor never made: the file system holds two names as one. */
#define FOLDED                                                                                     \
    "the destination already holds '%.*s' under another entry's name: its file system treats "     \
    "names that differ (in case or Unicode form) as one"

/*
 * Opens (creating as needed) the directory that holds the last component of path. *dfd is -1
 * when a conflict was recorded instead.
 */
static int open_parent(struct extractor *x, const char *path, const char **leaf, int *dfd)
{
    const char *p = path, *slash, *last = strrchr(path, '/');
    size_t cl = x->cache_path.len;
    int fd;

    *dfd = -1;
    /* Below the cached directory: start there; its components were checked when it was made. */
    if (x->cache_fd >= 0 && last && (size_t)(last - path) >= cl &&
        (cl == 0 || (memcmp(path, x->cache_path.data, cl) == 0 && path[cl] == '/'))) {
        fd = dup(x->cache_fd);
        p = cl ? path + cl + 1 : path;
    } else {
        fd = openat(x->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (fd < 0)
        return x_fail(x, "create the directory for");
    while ((slash = strchr(p, '/'))) {
        size_t plen = (size_t)(slash - path);
        char comp[256 + 1];
        size_t n = (size_t)(slash - p);
        long i = made_find(&x->made, path, plen);
        int next;

        if (n == 0 || n >= sizeof(comp)) {
            close(fd);
            errno = ENAMETOOLONG;
            return x_fail(x, "create the directory for");
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        if (i >= 0 && x->made.v[i].type != ARTBAG_ENTRY_DIR) {
            close(fd);
            return x_conflict(x, path, "'%s' is a file in the bundle, not a directory",
                              x->made.v[i].path);
        }
        if (i < 0) {
            if (x_spend(x, x->block) != ARTBAG_OK) {
                close(fd);
                return ARTBAG_EIO;
            }
            if (mkdirat(fd, comp, 0755) < 0) {
                int e = errno;

                close(fd);
                if (e != EEXIST) {
                    errno = e;
                    return x_fail(x, "create the directory for");
                }
                return x_conflict(x, path, FOLDED, (int)plen, path);
            }
            if (made_add(&x->made, path, plen, ARTBAG_ENTRY_DIR) < 0) {
                close(fd);
                return x_nomem(x);
            }
        }
        next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        if (next < 0)
            return x_fail(x, "open the directory for");
        fd = next;
        p = slash + 1;
    }
    /* Remember where this entry's parent is, for the next entry. */
    if (x->cache_fd >= 0)
        close(x->cache_fd);
    x->cache_fd = dup(fd);
    x->cache_path.len = 0;
    if (x->cache_fd >= 0 &&
        artbag_buf_append(&x->cache_path, path, last ? (size_t)(last - path) : 0) != ARTBAG_OK) {
        close(x->cache_fd);
        x->cache_fd = -1;
    }
    *leaf = p;
    *dfd = fd;
    return ARTBAG_OK;
}

static int x_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    struct extractor *x = ctx;
    size_t len = strlen(path);
    long i;
    const char *leaf;
    int dfd, rc;

    (void)size;
    x->cur = -1;
    x->path.len = 0;
    if (artbag_buf_puts(&x->path, path) != ARTBAG_OK)
        return x_nomem(x);
    x->mtime = mtime;
    i = made_find(&x->made, path, len);
    if (i >= 0) {
        /* A repeated directory entry (or one after the files in it) says nothing new but its
         * time. */
        if (type == ARTBAG_ENTRY_DIR && x->made.v[i].type == ARTBAG_ENTRY_DIR) {
            x->made.v[i].mtime = mtime;
            x->made.v[i].timed = 1;
            return ARTBAG_OK;
        }
        return x_conflict(x, path,
                          type == ARTBAG_ENTRY_DIR ? "a directory entry, but '%s' is already a file"
                          : x->made.v[i].type == ARTBAG_ENTRY_DIR
                              ? "a file entry, but '%s' is already a directory"
                              : "'%s' appears more than once; unpack will not choose one",
                          x->made.v[i].path);
    }
    rc = open_parent(x, path, &leaf, &dfd);
    if (rc != ARTBAG_OK || dfd < 0)
        return rc;
    if (type == ARTBAG_ENTRY_DIR && x_spend(x, x->block) != ARTBAG_OK) {
        close(dfd);
        return ARTBAG_EIO;
    }
    if (type == ARTBAG_ENTRY_DIR) {
        rc = mkdirat(dfd, leaf, 0755);
    } else {
        x->fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        rc = x->fd < 0 ? -1 : 0;
    }
    if (rc < 0) {
        int e = errno;

        close(dfd);
        /* Nothing made here has this name (made_find said so): the file system folded it. */
        if (e == EEXIST)
            return x_conflict(x, path, FOLDED, (int)len, path);
        errno = e;
        return x_fail(x, "create");
    }
    close(dfd);
    if (type == ARTBAG_ENTRY_DIR) {
        if ((i = made_add(&x->made, path, len, ARTBAG_ENTRY_DIR)) < 0)
            return x_nomem(x);
        x->made.v[i].mtime = mtime;
        x->made.v[i].timed = 1;
        return ARTBAG_OK;
    }
    x->cur = made_add(&x->made, path, len, ARTBAG_ENTRY_FILE);
    return x->cur < 0 ? x_nomem(x) : ARTBAG_OK;
}

static int x_data(void *ctx, const void *buf, size_t len)
{
    struct extractor *x = ctx;

    if (x->fd < 0)
        return ARTBAG_OK;
    if (x_spend(x, len) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (artbag_write_all(x->fd, buf, len) < 0)
        return x_fail(x, "write");
    x->made.v[x->cur].size += len;
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
    x->cur = -1;
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

/*
 * Walks the temporary tree and checks that it is exactly what the extractor made: the same
 * names, the same types, files of the sizes written. A file system that folds names, or
 * anything else that put two entries in one place, shows here even when no call failed.
 * Iterative, one directory open at a time, so a deep tree costs no descriptor per level; the
 * tree is ours alone (mode 0700, made by mkdtemp), so a path walked from rootfd meets no link.
 */
static void x_root(void *ctx, int64_t mtime)
{
    struct extractor *x = ctx;

    x->root_mtime = mtime;
    x->root_timed = 1;
}

/*
 * Directories get their entries' times last, once nothing more is made in them (making a file
 * sets its directory's time to now), so a restored bag matches its bundle as files already do.
 */
static int set_dir_times(struct extractor *x)
{
    struct timespec ts[2] = {{0, 0}, {0, 0}};

    for (size_t i = 0; i < x->made.n; i++) {
        const struct made *m = &x->made.v[i];

        if (m->type != ARTBAG_ENTRY_DIR || !m->timed)
            continue;
        ts[0].tv_sec = ts[1].tv_sec = (time_t)m->mtime;
        if (utimensat(x->rootfd, m->path, ts, AT_SYMLINK_NOFOLLOW) < 0) {
            x->path.len = 0;
            artbag_buf_puts(&x->path, m->path);
            return x_fail(x, "set the time of");
        }
    }
    ts[0].tv_sec = ts[1].tv_sec = (time_t)x->root_mtime;
    if (x->root_timed && futimens(x->rootfd, ts) < 0) {
        x->path.len = 0;
        artbag_buf_puts(&x->path, ".");
        return x_fail(x, "set the time of");
    }
    return ARTBAG_OK;
}

static int check_tree(struct extractor *x)
{
    char **stack = NULL;
    size_t n_stack = 0, cap_stack = 0, seen = 0;
    unsigned char *found = calloc(x->made.n ? x->made.n : 1, 1);
    struct artbag_buf child = ARTBAG_BUF_INIT;
    int rc = ARTBAG_OK;

    if (!found || !(stack = malloc(sizeof(*stack))) || !(stack[0] = strdup(""))) {
        rc = x_nomem(x);
        goto cleanup;
    }
    n_stack = cap_stack = 1;
    while (n_stack && rc == ARTBAG_OK) {
        char *rel = stack[--n_stack];
        int fd =
            openat(x->rootfd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct dirent *de;
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

        if (!d) {
            x->path.len = 0;
            artbag_buf_puts(&x->path, rel);
            rc = x_fail(x, "read back");
            if (fd >= 0)
                close(fd);
            free(rel);
            break;
        }
        while (rc == ARTBAG_OK && (de = readdir(d))) {
            struct stat st;
            long i;
            int type;

            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            child.len = 0;
            if ((*rel && artbag_buf_printf(&child, "%s/", rel) != ARTBAG_OK) ||
                artbag_buf_puts(&child, de->d_name) != ARTBAG_OK) {
                rc = x_nomem(x);
                break;
            }
            if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                x->path.len = 0;
                artbag_buf_puts(&x->path, child.data);
                rc = x_fail(x, "read back");
                break;
            }
            type = S_ISDIR(st.st_mode)   ? ARTBAG_ENTRY_DIR
                   : S_ISREG(st.st_mode) ? ARTBAG_ENTRY_FILE
                                         : 0;
            i = made_find(&x->made, child.data, child.len);
            if (i < 0 || found[i] || x->made.v[i].type != type) {
                rc = x_conflict(x, child.data,
                                "on disk after extracting '%s', but not an entry of the bundle "
                                "as such: the published tree would not be the verified one",
                                x->bundle);
                continue;
            }
            if (type == ARTBAG_ENTRY_FILE && (uint64_t)st.st_size != x->made.v[i].size) {
                rc = x_conflict(x, child.data,
                                "%llu bytes on disk, but %llu were extracted: the published "
                                "tree would not be the verified one",
                                (unsigned long long)st.st_size,
                                (unsigned long long)x->made.v[i].size);
                continue;
            }
            found[i] = 1;
            seen++;
            if (type == ARTBAG_ENTRY_DIR) {
                if (n_stack == cap_stack) {
                    char **g = realloc(stack, 2 * cap_stack * sizeof(*g));

                    if (!g) {
                        rc = x_nomem(x);
                        break;
                    }
                    stack = g;
                    cap_stack *= 2;
                }
                if (!(stack[n_stack] = strdup(child.data))) {
                    rc = x_nomem(x);
                    break;
                }
                n_stack++;
            }
        }
        closedir(d);
        free(rel);
    }
    for (size_t i = 0; rc == ARTBAG_OK && seen < x->made.n && i < x->made.n; i++)
        if (!found[i])
            rc = x_conflict(x, x->made.v[i].path,
                            "extracted, but not on disk afterwards under its own name: the "
                            "published tree would not be the verified one");
cleanup:
    while (n_stack)
        free(stack[--n_stack]);
    free(stack);
    free(found);
    artbag_buf_release(&child);
    return rc;
}

/* Non-zero when the directory bag below destfd is itself a bag: a regular bagit.txt at its top. */
static int is_bag_dir(int destfd, const char *bag)
{
    struct stat st;
    int fd = openat(destfd, bag, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), ok;

    if (fd < 0)
        return 0;
    ok = fstatat(fd, "bagit.txt", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    close(fd);
    return ok;
}

/*
 * Puts the verified bag at dest/bag; an existing one is replaced only with force, and only
 * when it is a bag itself: --force is for restoring a bag again, not for deleting whatever
 * directory happens to carry the name the archive chose.
 */
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
                                "'%s/%s': already exists; pass the force option to replace it",
                                dest, bag);
    if (!is_bag_dir(destfd, bag))
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s/%s': already exists and is not a bag (no bagit.txt at its "
                                "top); the force option replaces only a bag, so remove it yourself",
                                dest, bag);
    /* Swap atomically, so at every moment dest/bag is either the old bag or the new one. */
    if (renameat2(destfd, tmpname, destfd, bag, RENAME_EXCHANGE) < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s/%s': cannot replace: %s", dest, bag,
                                strerror(errno));
    /* What was swapped out is what gets removed: if it changed since the check, put it back. */
    if (!is_bag_dir(destfd, tmpname)) {
        if (renameat2(destfd, tmpname, destfd, bag, RENAME_EXCHANGE) < 0)
            return artbag_error_set(err, ARTBAG_EIO,
                                    "'%s/%s': changed while being replaced; the old copy is at "
                                    "'%s/%s'",
                                    dest, bag, dest, tmpname);
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s/%s': changed while being replaced, and is not a bag; "
                                "left as it was",
                                dest, bag);
    }
    if (artbag_remove_tree(destfd, tmpname) < 0)
        return artbag_error_set(err, ARTBAG_EIO,
                                "'%s/%s': replaced, but the old copy '%s' could not be removed: %s",
                                dest, bag, tmpname, strerror(errno));
    return ARTBAG_OK;
}

/*
 * What the checker found that unpack cannot publish although verify accepts it: a bag name
 * that would be hidden, and file names that differ only in case (a warning for verify, as
 * RFC 8493 allows them; but on a case-insensitive file system one would overwrite the other,
 * and a restored bag must survive being copied to one).
 */
static int refuse_unpublishable(struct artbag_report *r)
{
    size_t n = r->n_problems;

    if (r->bag && r->bag[0] == '.' &&
        artbag_report_add(r, ARTBAG_PROBLEM, "layout", r->bag, NULL, NULL,
                          "bag name '%s' would be hidden; refusing", r->bag) != ARTBAG_OK)
        return ARTBAG_EIO;
    for (size_t i = 0; i < n; i++) {
        const struct artbag_problem *p = &r->problems[i];
        char *path, *msg;
        int rc;

        if (strcmp(p->kind, "case-collision") != 0)
            continue;
        /* r->problems may move as problems are added: copy what is needed first. */
        path = p->path ? strdup(p->path) : NULL;
        msg = strdup(p->message ? p->message : "");
        rc = msg && (path || !p->path)
                 ? artbag_report_add(r, ARTBAG_PROBLEM, CONFLICT, path, NULL, NULL,
                                     "%s; on a case-insensitive file system one would overwrite "
                                     "the other, so unpack refuses the bag on every file system",
                                     msg)
                 : ARTBAG_EIO;
        free(path);
        free(msg);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

/*
 * When a manifest came after the files it lists, the checker read the bundle a second time for
 * their digests, and the bundle may have changed in between: the verdict would then be about
 * bytes other than those restored. So the restored tree itself is verified, as a directory,
 * with the same options; its problems become the unpack's.
 */
static int verify_restored(const char *tmppath, const struct artbag_verify_options *opts,
                           struct artbag_report *r, struct artbag_error *err)
{
    struct artbag_verify_options o = *opts;
    struct artbag_report *again = NULL;
    int rc;

    o.input_fd = -1;
    rc = artbag_verify(tmppath, &o, &again, err);
    if (rc != ARTBAG_OK)
        return rc;
    for (size_t i = 0; i < again->n_problems && rc == ARTBAG_OK; i++) {
        const struct artbag_problem *p = &again->problems[i];

        if (p->severity != ARTBAG_WARNING)
            rc = artbag_report_add(r, ARTBAG_PROBLEM, p->kind, p->path, p->expected, p->actual,
                                   "%s (in the restored copy)", p->message);
    }
    if (rc == ARTBAG_OK && !again->valid)
        rc = artbag_report_add(r, ARTBAG_PROBLEM, CONFLICT, NULL, NULL, NULL,
                               "the bundle changed while it was read: a manifest follows the "
                               "files it lists, so they were read twice, and the restored copy "
                               "does not verify");
    artbag_report_free(again);
    return rc == ARTBAG_OK ? ARTBAG_OK : artbag_error_set(err, ARTBAG_EIO, "out of memory");
}

static int unpack(const char *bundle, const char *dest, const struct artbag_verify_options *opts,
                  int force, struct artbag_report **out, struct artbag_error *err);

/* The public call: the caller's options over our defaults (see artbag_options_adopt), and the
 * call's token and progress for everything below. */
int artbag_unpack(const char *bundle, const char *dest, const struct artbag_verify_options *opts,
                  int force, struct artbag_report **out, struct artbag_error *err)
{
    struct artbag_verify_options o;
    struct artbag_call call;
    struct stat st;
    int rc;

    *out = NULL;
    artbag_verify_options_init(&o);
    if ((rc = artbag_options_adopt(&o, sizeof(o), opts, "verify", err)) != ARTBAG_OK)
        return rc;
    artbag_call_enter(&call, "unpack", o.cancel, o.on_progress, o.progress_ctx);
    artbag_call_input(bundle, o.input_fd < 0 && stat(bundle, &st) == 0 && S_ISREG(st.st_mode)
                                  ? (uint64_t)st.st_size
                                  : 0);
    rc = unpack(bundle, dest, &o, force, out, err);
    if (rc == ARTBAG_OK)
        artbag_call_done();
    artbag_call_leave(&call);
    return rc;
}

static int unpack(const char *bundle, const char *dest, const struct artbag_verify_options *opts,
                  int force, struct artbag_report **out, struct artbag_error *err)
{
    struct extractor x = {
        -1, -1, -1,   0, bundle, ARTBAG_BUF_INIT, {0}, NULL, err, -1, ARTBAG_BUF_INIT, 0,
        0,  0,  NULL, 0, 0};
    struct artbag_sink sink = {&x, x_begin, x_data, x_end, NULL, x_root};
    struct artbag_report *r = NULL;
    struct artbag_bagcheck *c = NULL;
    char tmpname[64];
    char *tmppath = NULL;
    struct stat st;
    int destfd = -1, made = 0, rc;

    *out = NULL;
    destfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (destfd < 0) /* said as the destination: the bundle is named on the same line */
        return artbag_error_set(err, ARTBAG_EIO, "destination '%s': %s", dest, strerror(errno));
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
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
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
    {
        struct statvfs sv;
        struct stat bst;

        x.dest = dest;
        x.space = UINT64_MAX;
        x.block = 4096;
        if (fstatvfs(x.rootfd, &sv) == 0) {
            x.space = (uint64_t)sv.f_bavail * sv.f_frsize;
            x.block = sv.f_bsize ? sv.f_bsize : 4096;
        }
        /* A bundle holds at most what it restores, give or take its compression: one larger
         * than the free space cannot fit, and is refused before anything is written. */
        if (opts->input_fd < 0 && stat(bundle, &bst) == 0 && S_ISREG(bst.st_mode) &&
            (uint64_t)bst.st_size > x.space) {
            char free_str[32];

            artbag_size_str(x.space, free_str);
            rc = artbag_error_set(err, ARTBAG_EIO,
                                  "'%s': does not fit in '%s': the bundle alone is larger than "
                                  "the %s free there; could not unpack within the limits",
                                  bundle, dest, free_str);
            goto cleanup;
        }
    }
    r = artbag_report_new(opts->input_fd >= 0 ? "<stdin>" : bundle);
    if (!r) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    x.r = r;
    /* The trusted keys are loaded here, before a byte is read; the checker and the extractor
     * are then fed from the one stream, so what is checked is what is restored. */
    rc = artbag_checker_new(&c, r, opts, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    rc = artbag_verify_archive(opts->input_fd >= 0 ? NULL : bundle, opts->input_fd, opts, c, &sink,
                               r, err);
    if (rc != ARTBAG_OK)
        goto cleanup;
    if (refuse_unpublishable(r) != ARTBAG_OK) {
        rc = artbag_error_set(err, ARTBAG_EIO, "out of memory");
        goto cleanup;
    }
    /* The tree must be the verified listing before it gets the bag's name. */
    if (r->valid && r->bag && (rc = check_tree(&x)) != ARTBAG_OK)
        goto cleanup;
    if (r->valid && r->bag && artbag_bagcheck_rescanned(c) &&
        (rc = verify_restored(tmppath, opts, r, err)) != ARTBAG_OK)
        goto cleanup;
    if (r->valid && r->bag && (rc = set_dir_times(&x)) != ARTBAG_OK)
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
    if (x.cache_fd >= 0)
        close(x.cache_fd);
    artbag_buf_release(&x.cache_path);
    if (made)
        artbag_remove_tree(destfd, tmpname);
    close(destfd);
    free(tmppath);
    artbag_buf_release(&x.path);
    made_release(&x.made);
    artbag_bagcheck_free(c);
    artbag_report_free(r);
    return rc;
}
