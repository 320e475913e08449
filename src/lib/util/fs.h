/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * util/fs.h - the file-system helpers of libartbag: writing whole buffers, removing trees without
 * following links, listing directories, the locale libarchive needs for names, and sweeping the
 * temporaries a killed pack or unpack left behind.
 *
 * It may use: libc and util/util.h. Only the layers that touch files include it (crypto for key
 * files, archive, audit and the operations at the top); the pure layers (article/, bagit/) never
 * do.
 */
#ifndef ARTBAG_UTIL_FS_H
#define ARTBAG_UTIL_FS_H

#include "util/util.h"

/* ---- fsutil.c: files written safely ---------------------------------------------------- */

/* Writes all of buf to fd, retrying short writes and EINTR. 0 or -1 with errno set. */
int artbag_write_all(int fd, const void *buf, size_t len);

/* ---- fsutil.c ------------------------------------------------------------------------ */

/*
 * libarchive converts names through the current locale, and in the "C" locale of a cron job or
 * a CI run any non-ASCII name fails to convert. Between enter and leave this thread uses
 * C.UTF-8 (when the system has it); the caller's locale is untouched.
 */
struct artbag_locale {
    void *utf8, *saved;
};
void artbag_locale_enter(struct artbag_locale *l);
void artbag_locale_leave(struct artbag_locale *l);

/* Removes name below dirfd and everything in it, never following a symbolic link. 0 or -1. */
int artbag_remove_tree(int at, const char *name);

/* The names in the directory open at fd (which stays open), without "." and "..", in the
 * order readdir gives; free with artbag_dir_names_free(). 0, or -1 with errno, with what could
 * be read still in *names. */
int artbag_dir_names(int fd, char ***names, size_t *n);
void artbag_dir_names_free(char **names, size_t n);

/* ---- stale.c: what a killed pack or unpack left behind --------------------------------- */

/*
 * Removes from dir the temporary files ".<bundle_base>.artbag-tmp-<pid>-XXXXXX" whose maker
 * <pid> is gone (kill(pid, 0) fails with ESRCH) and on which no lock is held, and nothing else.
 * Best effort: ARTBAG_OK, or ARTBAG_EIO naming the first that could not be removed.
 */
int artbag_remove_stale_temps(const char *dir, const char *bundle_base, struct artbag_error *err);
/* The same for every bundle's temporaries in dir, in one scan (pack --each). */
int artbag_remove_stale_dir_temps(const char *dir, struct artbag_error *err);
/* The same for unpack's temporary directories, "dest/.artbag-unpack-<pid>-XXXXXX". */
int artbag_remove_stale_unpack_temps(const char *dest, struct artbag_error *err);

#endif /* ARTBAG_UTIL_FS_H */
