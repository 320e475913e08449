/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * archive/archive.h - containers and streams: the decompressed stream of a serialized bag, the
 * zip and tar structure checks, the gzip layer artbag writes, bundles written safely, and the
 * readers that turn a directory or an archive into the entry stream bagit/ consumes.
 *
 * It may use: util/, crypto/digest.h, bagit/bagit.h (the entry stream, the report, the checker
 * it drives), libarchive, zlib, libdeflate, liblzma and libzstd; only this layer includes those
 * libraries. It never loads or uses a key, never prints and never exits. Data flows one way:
 * container -> entries -> checker -> findings.
 */
#ifndef ARTBAG_ARCHIVE_H
#define ARTBAG_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bagit/bagit.h"
#include "util/fs.h"
#include "util/util.h"

/* ---- gzwrite.c: the gzip layer under libarchive's tar writer --------------------------- */

/*
 * artbag drives zlib itself (rather than libarchive's gzip filter) so that the gzip header is
 * fixed (mtime 0, no file name, OS 3) on every machine and build, which reproducible bundles
 * need.
 */
struct artbag_gzw;
int artbag_gzw_new(struct artbag_gzw **out, int fd, const char *name, struct artbag_error *err);
int artbag_gzw_write(struct artbag_gzw *g, const void *buf, size_t len, struct artbag_error *err);
/* Ends the gzip stream and writes what is buffered; does not close or fsync fd. */
int artbag_gzw_finish(struct artbag_gzw *g, struct artbag_error *err);
void artbag_gzw_free(struct artbag_gzw *g);

/* ---- bundlew.c: writing a bundle safely ---------------------------------------------- */

/*
 * A bundle being written: a temporary file beside path (".BASE.artbag-tmp-XXXXXX"), holding a
 * restricted-pax tar (owner 0/0, modes 0755/0644, every time mtime) whose entries sit under
 * bag/, gzipped by gzwrite.c. Nothing appears under path until commit.
 */
struct artbag_bundlew;
/*
 * flags: ARTBAG_BUNDLEW_BATCH for a caller writing many bundles into one directory, which then
 * sweeps stale temporaries and syncs the directory once itself, not once per bundle (each
 * sweep reads the whole directory: thousands of bundles would make it quadratic).
 */
#define ARTBAG_BUNDLEW_BATCH 1
int artbag_bundlew_open(struct artbag_bundlew **out, const char *path, const char *bag,
                        int64_t mtime, int flags, struct artbag_error *err);
/* Starts an entry bag/rel (a directory when is_dir) of size bytes; then _data, size in all. */
int artbag_bundlew_entry(struct artbag_bundlew *w, const char *rel, int is_dir, uint64_t size);
/* The same with this entry's own time (re-signing keeps each entry's time). */
int artbag_bundlew_entry_at(struct artbag_bundlew *w, const char *rel, int is_dir, uint64_t size,
                            int64_t mtime);
int artbag_bundlew_data(struct artbag_bundlew *w, const void *buf, size_t len);
/* A whole entry at once; data NULL makes a directory. */
int artbag_bundlew_add(struct artbag_bundlew *w, const char *rel, const void *data, size_t len);
/*
 * Between spool_begin and spool_end, entries go to a spool that commit appends after the entries
 * written outside it: a collection's payload is written before the tag files that describe it,
 * yet lands after them in the archive.
 */
int artbag_bundlew_spool_begin(struct artbag_bundlew *w);
/* Deflate threads for the bundle's gzip layer (0: one per CPU); before the first entry. */
void artbag_bundlew_set_threads(struct artbag_bundlew *w, int n);
int artbag_bundlew_spool_end(struct artbag_bundlew *w);
/* Ends the archive, fsyncs, renames into place (over an existing file only with force). */
int artbag_bundlew_commit(struct artbag_bundlew *w, int force, uint64_t *bytes);
/* Frees; the temporary file is removed unless committed. */
void artbag_bundlew_free(struct artbag_bundlew *w);
struct artbag_gzw *artbag_bundlew_gzw(struct artbag_bundlew *w);

/* ---- instream.c: the decompressed stream of a serialized bag ---------------------------- */

enum { ARTBAG_INSTREAM_GZIP = 1, ARTBAG_INSTREAM_ZIP, ARTBAG_INSTREAM_OTHER };

struct artbag_instream;
/*
 * Opens path (or reads fd when path is NULL; fd is not closed) and sniffs it: gzip is inflated
 * with zlib (members concatenated, CRC checked, trailing garbage refused), zip is passed through
 * as is, anything else goes through libarchive's decompression filters.
 */
int artbag_instream_open(struct artbag_instream **out, const char *path, int fd,
                         struct artbag_error *err);
int artbag_instream_kind(const struct artbag_instream *s);
/* Decompressed bytes: > 0, 0 at the end, or a negative status with err filled. */
ssize_t artbag_instream_read(struct artbag_instream *s, void *buf, size_t n,
                             struct artbag_error *err);
/* The compression under the archive, as enum artbag_compression (NONE for zip itself). */
int artbag_instream_compression(const struct artbag_instream *s);
/* Non-zero when zero bytes followed the compressed stream (padding; worth a warning). */
int artbag_instream_trailing_zeros(const struct artbag_instream *s);
/*
 * Budgets for one stream: zero padding after the compressed stream counts with the bytes handed
 * out against max_bytes, and an xz stream (inflated here with liblzma), a .lzma or a zstd frame
 * may not ask for a dictionary or window larger than max_window. Past either, reads fail with
 * ARTBAG_EIO and artbag_instream_over() is non-zero. Set before the first read.
 */
void artbag_instream_set_limits(struct artbag_instream *s, uint64_t max_bytes, uint64_t max_window);
int artbag_instream_over(const struct artbag_instream *s);
/* Bytes read from the file so far (compressed), and bytes of zero padding skipped after the
 * compressed stream. */
uint64_t artbag_instream_consumed(const struct artbag_instream *s);
uint64_t artbag_instream_padding(const struct artbag_instream *s);

/*
 * The last two buffers handed to a libarchive read callback. libarchive may read past where it
 * stops consuming (a tar's end marker, a compressed stream's end); once it reports that end,
 * what it read but left unconsumed can still be inspected here.
 */
struct artbag_lastbufs {
    unsigned char *buf[2];
    size_t len[2];
    int cur;
    uint64_t given; /* bytes handed over in all */
};
/* Two buffers of size bytes each; ARTBAG_EIO without memory. */
int artbag_lastbufs_init(struct artbag_lastbufs *l, size_t size);
/* The buffer to fill next (the older of the two). */
unsigned char *artbag_lastbufs_next(struct artbag_lastbufs *l);
/* Records that n bytes of the buffer from artbag_lastbufs_next() were handed over. */
void artbag_lastbufs_filled(struct artbag_lastbufs *l, size_t n);
/* Whether the bytes handed over after the first consumed ones are zero: 1 all zero (*any: there
 * were some), 0 some are not, -1 some were two buffers back and are gone. */
int artbag_lastbufs_tail_zero(const struct artbag_lastbufs *l, uint64_t consumed, int *any);
void artbag_lastbufs_release(struct artbag_lastbufs *l);
void artbag_instream_close(struct artbag_instream *s);
/*
 * Copies the rest of a zip stream (from its first byte) into an unlinked temporary file in
 * $TMPDIR, so that it can be read through its central directory like a file. *fd gets the
 * descriptor (the caller closes it). ARTBAG_EIO, err saying why, when the stream holds more
 * than max bytes or the copy fails.
 */
int artbag_instream_spool(struct artbag_instream *s, uint64_t max, int *fd,
                          struct artbag_error *err);

/* ---- zipcheck.c: a zip's structure, checked before any entry is read ------------------ */

struct artbag_zipentry {
    char *name;    /* the central directory's name bytes */
    uint64_t size; /* uncompressed */
    int type;      /* 'f' file, 'd' directory, 'l' symbolic link (an unsafe entry) */
};

struct artbag_zipcheck {
    struct artbag_zipentry *entries; /* in central-directory order, when accepted */
    size_t n;
    const char *kind; /* when refused: "archive", "ambiguous" or "too-large" */
    char *entry;      /* when refused: the entry concerned, or NULL */
};

/*
 * Checks that the zip (size bytes at fd, read with pread; or len bytes at buf) means the same
 * to every extractor: the end record where every reader finds it, nothing after its comment,
 * one disk, each local header agreeing with its central entry (name, sizes, CRC-32, method,
 * flags, zip64 and descriptor), entries tiling the file from offset 0 to the central directory
 * with each deflate stream ending exactly at its compressed size, only stored and deflate, no
 * encryption, no duplicate names, UTF-8 flagged non-ASCII names, a type that the name, the DOS
 * and the Unix attributes agree on, and declared sizes within max_bytes. ARTBAG_OK with zc
 * filled; ARTBAG_EREJECT with zc->kind, zc->entry and err->msg saying what is wrong; ARTBAG_EIO
 * or ARTBAG_EINTERNAL. Release zc with artbag_zipcheck_release() in every case.
 */
int artbag_zipcheck_fd(int fd, uint64_t size, uint64_t max_bytes, struct artbag_zipcheck *zc,
                       struct artbag_error *err);
int artbag_zipcheck_mem(const void *buf, size_t len, uint64_t max_bytes, struct artbag_zipcheck *zc,
                        struct artbag_error *err);
void artbag_zipcheck_release(struct artbag_zipcheck *zc);

/* ---- tarcheck.c: which tar header combinations verify accepts ------------------------- */

/*
 * A streaming validator of tar headers, fed the same decompressed bytes libarchive reads. It
 * accepts only what every mainstream reader resolves alike (README, "What verify promises") and
 * queues one entry per real tar entry; verify requires libarchive's entries to equal these.
 */
struct artbag_tarcheck;

enum { ARTBAG_TARENTRY_FILE = 1, ARTBAG_TARENTRY_DIR, ARTBAG_TARENTRY_OTHER /* link, device */ };

struct artbag_tarentry {
    char *name; /* resolved name bytes, NUL-terminated; owned by the validator */
    size_t name_len;
    int type; /* ARTBAG_TARENTRY_* */
    uint64_t size;
    uint64_t header_off; /* offset of its first header (extended or not) in the stream */
    uint64_t data_off;   /* offset of its data */
};

/* ARTBAG_OK or ARTBAG_EIO without memory. */
int artbag_tarcheck_new(struct artbag_tarcheck **out);
/* Feeds the next n bytes of the tar. ARTBAG_OK (also once refused: see _error) or ARTBAG_EIO. */
int artbag_tarcheck_feed(struct artbag_tarcheck *t, const void *buf, size_t n);
/* At the end of the stream: ARTBAG_OK when the tar ended properly, else ARTBAG_EREJECT. */
int artbag_tarcheck_finish(struct artbag_tarcheck *t);
/* Takes the oldest queued entry into *e (valid until the next call): 1, or 0 when none. */
int artbag_tarcheck_next(struct artbag_tarcheck *t, struct artbag_tarentry *e);
/* NULL, or why the stream was refused, with its kind ("archive" or "ambiguous") and the entry
 * it concerns (*path may be NULL). Entries queued before the refusal are still good. */
const char *artbag_tarcheck_error(const struct artbag_tarcheck *t, const char **kind,
                                  const char **path);
void artbag_tarcheck_free(struct artbag_tarcheck *t);

/* ---- bagread.c: the readers that feed a bag's entries to a sink ------------------------ */

/*
 * Reads the archive at path (or descriptor fd when path is NULL) into the checker c and, when
 * extract is non-NULL, into extract too, then calls the checker's finish (reading the archive
 * a second time when finish asks for it and the source can be opened again). What finish leaves
 * pending (the signature step, conclude) is the caller's. ARTBAG_OK when r holds the findings;
 * ARTBAG_EIO when the archive cannot be opened (err says why) or extract failed (extract
 * recorded why); ARTBAG_EINTERNAL for no memory.
 */
int artbag_archive_check(const char *path, int fd, const struct artbag_verify_options *o,
                         struct artbag_bagcheck *c, const struct artbag_sink *extract,
                         struct artbag_report *r, struct artbag_error *err);
/* The same for a bag directory at path, walked (twice when finish asks for it). */
int artbag_dir_check(const char *path, struct artbag_bagcheck *c, struct artbag_report *r,
                     struct artbag_error *err);

/*
 * Reads the bag at path (a directory or an archive; or descriptor fd when path is NULL) once
 * into sink, recording unsafe entries and layout problems in r and the bag's name in r->bag.
 * ARTBAG_OK (also when the stream broke: that is in r), ARTBAG_EIO when it cannot be opened.
 */
int artbag_bag_read(const char *path, int fd, const struct artbag_verify_options *o,
                    const struct artbag_sink *sink, struct artbag_report *r,
                    struct artbag_error *err);

#endif /* ARTBAG_ARCHIVE_H */
