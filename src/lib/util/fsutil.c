/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* fsutil.c - small POSIX file helpers shared by the writers. */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, fdopendir, dirfd */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

int artbag_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * One directory on the way down: its name in its parent, the parent's identity (to check that
 * ".." leads back to it), and the subdirectories still to remove, found in one read.
 */
struct rm_frame {
    char *name;
    dev_t parent_dev;
    ino_t parent_ino;
    char **subdirs;
    size_t n_subdirs;
};

int artbag_dir_names(int fd, char ***out, size_t *n)
{
    char **names = NULL;
    size_t cap = 0;
    struct dirent *de;
    int dup_fd = dup(fd), rc = 0;
    DIR *d;

    *out = NULL;
    *n = 0;
    /* A descriptor of its own: closedir() closes it, and the caller's stays open. */
    if (dup_fd < 0)
        return -1;
    if (!(d = fdopendir(dup_fd))) {
        close(dup_fd);
        return -1;
    }
    while ((errno = 0, de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (*n == cap) {
            char **g = artbag_array_grow(names, &cap, *n, sizeof(*g), 16);

            if (!g) {
                rc = -1;
                break;
            }
            names = g;
        }
        if (!(names[*n] = strdup(de->d_name))) {
            rc = -1;
            break;
        }
        (*n)++;
    }
    if (errno)
        rc = -1;
    closedir(d);
    *out = names;
    return rc;
}

void artbag_dir_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/*
 * Reads the directory open at fd once: removes every entry that is not a directory, and lists
 * the subdirectories in *f. 0, or -1 with errno (a subdirectory still goes on the list).
 */
static int rm_read(int fd, struct rm_frame *f)
{
    char **names;
    size_t n;
    int rc = artbag_dir_names(fd, &names, &n), saved = errno;

    for (size_t i = 0; i < n; i++) {
        struct stat st;

        if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
            saved = errno;
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            /* kept: the frame owns the name from here */
            names[f->n_subdirs++] = names[i];
            continue;
        } else if (unlinkat(fd, names[i], 0) < 0) {
            saved = errno;
            rc = -1;
        }
        free(names[i]);
    }
    f->subdirs = names;
    errno = saved;
    return rc;
}

static void rm_frame_release(struct rm_frame *f)
{
    free(f->name);
    for (size_t i = 0; i < f->n_subdirs; i++)
        free(f->subdirs[i]);
    free(f->subdirs);
}

/*
 * Depth-first without recursion and with one directory open at a time: a tree of any depth
 * that artbag (or a bundle it was unpacking) created can be removed, where holding a descriptor
 * per level fails with EMFILE a thousand levels down. The way back up is "..", checked against
 * the identity recorded on the way down, so a directory moved meanwhile is never mistaken for
 * the parent. fts(3) and nftw(3) do not serve: both walk by path names from the top (a rename
 * above the walk redirects them), and nftw re-opens directories by path once past its limit of
 * descriptors.
 */
int artbag_remove_tree(int at, const char *name)
{
    struct rm_frame *stack = NULL;
    size_t depth = 0, cap = 0;
    struct stat st;
    int cur = -1, rc = 0, saved = 0;

    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(at, name, 0);
    if (fstat(at, &st) < 0)
        return -1;
    for (const char *next = name;;) {
        struct rm_frame *f;
        int fd;

        if (next) { /* go down into next */
            if (depth == cap) {
                struct rm_frame *g = artbag_array_grow(stack, &cap, depth, sizeof(*g), 16);

                if (!g)
                    goto fail;
                stack = g;
            }
            f = &stack[depth];
            memset(f, 0, sizeof(*f));
            f->parent_dev = st.st_dev;
            f->parent_ino = st.st_ino;
            f->name = strdup(next);
            fd = f->name ? openat(cur < 0 ? at : cur, next,
                                  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                         : -1;
            if (depth)
                free((char *)next); /* a subdirectory name taken off the frame above */
            if (fd < 0 || fstat(fd, &st) < 0) {
                if (fd >= 0)
                    close(fd);
                rm_frame_release(f);
                if (!depth)
                    goto fail;
                /* This one stays (its parent then cannot go either); go on with the rest. */
                if (!saved) {
                    saved = errno;
                    rc = -1;
                }
                if (fstat(cur, &st) < 0)
                    goto fail;
                next = NULL;
                continue;
            }
            depth++;
            if (cur >= 0)
                close(cur);
            cur = fd;
            if (rm_read(cur, f) < 0 && !saved) {
                saved = errno;
                rc = -1;
            }
        }
        f = &stack[depth - 1];
        if (f->n_subdirs) { /* the next subdirectory, taken off the list */
            next = f->subdirs[--f->n_subdirs];
            continue;
        }
        /* Empty now, or as empty as it will get: back up and remove it. */
        if (depth == 1) {
            close(cur);
            cur = -1;
            if (unlinkat(at, f->name, AT_REMOVEDIR) < 0 && !saved) {
                saved = errno;
                rc = -1;
            }
            rm_frame_release(f);
            depth = 0;
            break;
        }
        fd = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != f->parent_dev ||
            st.st_ino != f->parent_ino) {
            if (fd >= 0)
                close(fd);
            errno = fd < 0 ? errno : ESTALE;
            goto fail;
        }
        close(cur);
        cur = fd;
        if (unlinkat(cur, f->name, AT_REMOVEDIR) < 0 && !saved) {
            saved = errno;
            rc = -1;
        }
        rm_frame_release(f);
        depth--;
        next = NULL;
    }
    free(stack);
    errno = saved;
    return rc;
fail:
    saved = errno;
    if (cur >= 0)
        close(cur);
    while (depth)
        rm_frame_release(&stack[--depth]);
    free(stack);
    errno = saved;
    return -1;
}

void artbag_locale_enter(struct artbag_locale *l)
{
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);

    l->utf8 = utf8;
    l->saved = utf8 ? uselocale(utf8) : NULL;
}

void artbag_locale_leave(struct artbag_locale *l)
{
    if (!l->utf8)
        return;
    uselocale((locale_t)l->saved);
    freelocale((locale_t)l->utf8);
    l->utf8 = l->saved = NULL;
}
