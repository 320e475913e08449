/* fsutil.c - small POSIX file helpers shared by the writers. */
#define _GNU_SOURCE /* O_DIRECTORY, O_NOFOLLOW, fdopendir, dirfd */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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

int artbag_remove_tree(int at, const char *name)
{
    struct stat st;
    struct dirent *de;
    DIR *d;
    int fd, rc = 0;

    if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(at, name, 0);
    fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            artbag_remove_tree(dirfd(d), de->d_name) < 0)
            rc = -1;
    closedir(d);
    if (unlinkat(at, name, AT_REMOVEDIR) < 0)
        rc = -1;
    return rc;
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
