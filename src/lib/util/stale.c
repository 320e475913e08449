/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * stale.c - removes the temporary files and directories that a killed pack or unpack left
 * behind, so that a crash costs nothing more than a rerun.
 *
 * A temporary name carries the id of the process that made it:
 *   pack:   DIR/.<bundle>.artbag-tmp-<pid>-XXXXXX    (a file, beside the bundle)
 *   unpack: DEST/.artbag-unpack-<pid>-XXXXXX         (a directory, inside the destination)
 * where <pid> is decimal without leading zeros and XXXXXX is what mkstemp/mkdtemp chose. A name
 * is stale only when it matches that pattern exactly, is a file (or directory) of the expected
 * type owned by us, and its maker is gone: kill(pid, 0) fails with ESRCH. A pid that is alive,
 * even reused by an unrelated process, keeps the file: being wrong that way costs disk space,
 * the other way costs someone's bundle. The maker may also hold a flock() on the temporary
 * (artbag does): a lock we cannot take means a live writer whose pid we cannot see (another
 * PID namespace sharing the directory), and the name is kept too.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

#define PACK_TAG      ".artbag-tmp-"
#define UNPACK_PREFIX ".artbag-unpack-"
#define RANDOM_LEN    6 /* mkstemp's XXXXXX */

/*
 * Parses "<pid>-XXXXXX" that ends the name at s: returns the pid, or 0 when s is anything else.
 * glibc fills XXXXXX from [A-Za-z0-9]; nothing else is accepted.
 */
static pid_t parse_pid_suffix(const char *s)
{
    long pid = 0;
    size_t i = 0;

    if (s[0] < '1' || s[0] > '9')
        return 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (i >= 10)
            return 0;
        pid = pid * 10 + (s[i] - '0');
    }
    if (pid <= 0 || pid > 0x7fffffffL || s[i] != '-')
        return 0;
    s += i + 1;
    for (i = 0; i < RANDOM_LEN; i++) {
        char c = s[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return 0;
    }
    return s[RANDOM_LEN] == '\0' ? (pid_t)pid : 0;
}

/* The pid in a pack temporary name for bundle_base, or 0 when name is not one. */
static pid_t pack_temp_pid(const char *name, const char *bundle_base)
{
    size_t lb;

    if (!*bundle_base) {
        /* Any bundle's: the last ".artbag-tmp-" in the name starts the tag. */
        const char *tag = NULL, *p = name;

        while ((p = strstr(p, PACK_TAG)))
            tag = p++;
        return name[0] == '.' && tag && tag > name + 1 ? parse_pid_suffix(tag + strlen(PACK_TAG))
                                                       : 0;
    }
    lb = strlen(bundle_base);

    if (name[0] != '.' || strncmp(name + 1, bundle_base, lb) != 0 ||
        strncmp(name + 1 + lb, PACK_TAG, strlen(PACK_TAG)) != 0)
        return 0;
    return parse_pid_suffix(name + 1 + lb + strlen(PACK_TAG));
}

static pid_t unpack_temp_pid(const char *name)
{
    if (strncmp(name, UNPACK_PREFIX, strlen(UNPACK_PREFIX)) != 0)
        return 0;
    return parse_pid_suffix(name + strlen(UNPACK_PREFIX));
}

static int maker_gone(pid_t pid)
{
    if (pid == getpid())
        return 0; /* ours: another thread of this process may be writing it */
    return kill(pid, 0) == -1 && errno == ESRCH;
}

/*
 * Non-zero when name below dirfd is of the wanted type (S_IFREG or S_IFDIR, never a symbolic
 * link), owned by us, and nobody holds a lock on it. The lock, when we got it, is dropped at
 * close: the name is removed right after, and a writer that started meanwhile has another name.
 */
static int unlocked_and_ours(int dirfd, const char *name, mode_t type)
{
    struct stat st;
    int fd, ok;

    fd = openat(dirfd, name,
                O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
                    (type == S_IFDIR ? O_DIRECTORY : 0));
    if (fd < 0)
        return 0;
    ok = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == type && st.st_uid == geteuid() &&
         flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return ok;
}

/* Scans dir for pack temporaries of bundle_base (unpack ones when NULL); removes stale ones. */
static int sweep(const char *dir, const char *bundle_base, struct artbag_error *err)
{
    DIR *d;
    struct dirent *e;
    int rc = ARTBAG_OK, fd;

    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    }
    while ((errno = 0, e = readdir(d))) {
        pid_t pid =
            bundle_base ? pack_temp_pid(e->d_name, bundle_base) : unpack_temp_pid(e->d_name);
        mode_t type = bundle_base ? S_IFREG : S_IFDIR;
        int gone;

        if (pid == 0 || !maker_gone(pid) || !unlocked_and_ours(dirfd(d), e->d_name, type))
            continue;
        gone = type == S_IFDIR ? artbag_remove_tree(dirfd(d), e->d_name) == 0
                               : unlinkat(dirfd(d), e->d_name, 0) == 0;
        if (!gone && errno != ENOENT && rc == ARTBAG_OK)
            rc = artbag_error_set(err, ARTBAG_EIO, "'%s/%s': cannot remove: %s", dir, e->d_name,
                                  strerror(errno));
    }
    if (errno != 0 && rc == ARTBAG_OK)
        rc = artbag_error_set(err, ARTBAG_EIO, "'%s': %s", dir, strerror(errno));
    closedir(d);
    return rc;
}

int artbag_remove_stale_temps(const char *dir, const char *bundle_base, struct artbag_error *err)
{
    if (!bundle_base || !*bundle_base || strchr(bundle_base, '/'))
        return artbag_error_set(err, ARTBAG_EINTERNAL, "'%s': not a bundle file name",
                                bundle_base ? bundle_base : "(null)");
    return sweep(dir, bundle_base, err);
}

int artbag_remove_stale_dir_temps(const char *dir, struct artbag_error *err)
{
    return sweep(dir, "", err);
}

int artbag_remove_stale_unpack_temps(const char *dest, struct artbag_error *err)
{
    return sweep(dest, NULL, err);
}
