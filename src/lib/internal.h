/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * internal.h - interfaces shared between the files of libartbag and its unit tests, not exported.
 *
 * Text formats (the article reader, manifests, bag-info, metadata.json) are pure functions over
 * bytes: no files, no libarchive, no printing, so they can be unit-tested and fuzzed alone.
 */
#ifndef ARTBAG_INTERNAL_H
#define ARTBAG_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "artbag.h"

#if defined(__GNUC__)
#define ARTBAG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ARTBAG_PRINTF(f, a)
#endif

/* ---- error.c ---------------------------------------------------------------------------- */

/* Fills err (when non-NULL) with status and the formatted message; returns status. */
int artbag_error_set(struct artbag_error *err, int status, const char *fmt, ...)
    ARTBAG_PRINTF(3, 4);

/*
 * Puts "'subject': " in front of the message already in err, so a pure parser's message can be
 * given the name of the file it was parsing. Returns err->status (ARTBAG_OK when err is NULL).
 */
int artbag_error_prefix(struct artbag_error *err, const char *subject);

/* Non-zero once artbag_cancel() was called: loops that move bytes stop with "interrupted". */
int artbag_cancelled(void);

/* ---- buf.c: a growing byte buffer ------------------------------------------------------- */

struct artbag_buf {
    char *data; /* always NUL-terminated when non-NULL; len excludes the NUL */
    size_t len;
    size_t cap;
};

#define ARTBAG_BUF_INIT                                                                            \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Appends; returns ARTBAG_OK or ARTBAG_EIO when out of memory (the buffer is then unchanged). */
int artbag_buf_append(struct artbag_buf *b, const void *p, size_t n);
int artbag_buf_puts(struct artbag_buf *b, const char *s);
int artbag_buf_printf(struct artbag_buf *b, const char *fmt, ...) ARTBAG_PRINTF(2, 3);
/* Hands the bytes to the caller (who frees them) and empties the buffer. */
char *artbag_buf_detach(struct artbag_buf *b, size_t *len);
void artbag_buf_release(struct artbag_buf *b);

/* A hash of n bytes for in-memory tables, seeded per process (never stored or printed). */
uint64_t artbag_hash_bytes(const void *p, size_t n);

/* A NUL-terminated copy of the n bytes at p, which need not hold a NUL (strndup would look
 * for one past them); NULL without memory. */
char *artbag_memdup_str(const void *p, size_t n);

/* 1 when the n bytes at p are all zero: the padding tar and compressed streams may end with. */
int artbag_all_zero(const unsigned char *p, size_t n);

/* n bytes for people: "64 GiB", "1 MiB", "4 KiB" when exact, else "N bytes". */
void artbag_size_str(uint64_t n, char out[32]);

/* ---- article.c: reading an article's metadata out of its Markdown ----------------------- */

/* What an article says about itself. Every string is malloc'd and NUL-terminated, or NULL. */
struct artbag_article_info {
    char *title;      /* "# Title" heading or front-matter title */
    char *published;  /* YYYY-MM-DD */
    char *byline;     /* "..., by NAME" after the date, or front-matter author */
    char *source_url; /* from the citation's "retrieved ... from URL", or front matter */
    char *retrieved;  /* YYYY-MM-DD, from the citation */
    char *credit;     /* "AFP" from "(c) 2014 AFP", else "Provided by ..." */
    char *citation;   /* the citation, joined onto one line, without the "Citation:" label */
    char *rights;     /* the copyright notice paragraph, markup removed */
    char **dois;      /* DOIs found in the text, in order of appearance, each once */
    size_t n_dois;
};

/*
 * Reads the metadata of an article held in buf (len bytes, not NUL-terminated). Accepts CRLF, CR
 * and LF line endings, a UTF-8 byte-order mark, and YAML front matter. Fields it cannot find
 * stay NULL; it is the caller's job to decide which are required.
 *
 * Returns ARTBAG_OK, or ARTBAG_EREJECT with a message such as "empty file" or
 * "invalid UTF-8 at byte offset 17" (no file name: the caller adds it). On failure *info is
 * left empty. Release with artbag_article_info_release() in every case.
 */
int artbag_article_parse(const unsigned char *buf, size_t len, struct artbag_article_info *info,
                         struct artbag_error *err);
void artbag_article_info_release(struct artbag_article_info *info);

/* Non-zero when y-m-d is a real day of the Gregorian calendar (year 1 on). */
int artbag_date_valid(int y, int m, int d);

/*
 * Checks that buf is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
 * Returns ARTBAG_OK or ARTBAG_EREJECT with "invalid UTF-8 at byte offset N".
 */
int artbag_utf8_check(const unsigned char *buf, size_t len, struct artbag_error *err);

/* ---- bagtext.c: the BagIt tag-file formats (RFC 8493) ---------------------------------- */

/*
 * Percent-encodes a payload or tag path for a manifest line as RFC 8493 section 2.1.3 asks:
 * only '%', CR and LF are encoded (as %25, %0D, %0A). Appends to out.
 */
int artbag_path_encode(struct artbag_buf *out, const char *path);

/* Appends one manifest line: "<hexdigest>  <encoded path>\n". */
int artbag_manifest_add(struct artbag_buf *out, const char *hexdigest, const char *path);

/* Appends bagit.txt for BagIt 1.0, UTF-8 tag files. */
int artbag_bagit_txt(struct artbag_buf *out);

/*
 * Checks a bag-info element: the label is non-empty, has no ':' or control characters and no
 * leading or trailing white space; the value has no CR or LF (artbag does not fold lines, so a
 * value is one line). Returns ARTBAG_OK or ARTBAG_EUSAGE naming the label.
 */
int artbag_baginfo_check(const char *label, const char *value, struct artbag_error *err);

/* Appends "Label: value\n" after checking it as above. */
int artbag_baginfo_add(struct artbag_buf *out, const char *label, const char *value,
                       struct artbag_error *err);

/* ---- metadata.c: data/metadata.json ----------------------------------------------------- */

/* What metadata.json says about the article file inside the bag. */
struct artbag_payload_file {
    const char *path;       /* "data/article.md" */
    uint64_t bytes;         /* its size */
    const char *sha256;     /* 64 lower-case hex digits */
    const char *media_type; /* "text/markdown; charset=utf-8" */
};

/*
 * Appends data/metadata.json (jansson, two-space indent, keys in schema order, trailing
 * newline) describing info and file. Returns ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_metadata_write(struct artbag_buf *out, const struct artbag_article_info *info,
                          const struct artbag_payload_file *file, struct artbag_error *err);

/* ---- digest.c: SHA-256 through OpenSSL ------------------------------------------------- */

#define ARTBAG_SHA256_HEX 65 /* 64 digits and a NUL */

/* hex gets the lower-case SHA-256 of buf. Returns ARTBAG_OK or ARTBAG_EINTERNAL. */
int artbag_sha256_hex(const void *buf, size_t len, char hex[ARTBAG_SHA256_HEX],
                      struct artbag_error *err);

/* A SHA-256 computed as bytes stream past, so no input is read twice to be hashed. */
struct artbag_sha256;
int artbag_sha256_new(struct artbag_sha256 **out, struct artbag_error *err);
int artbag_sha256_update(struct artbag_sha256 *h, const void *buf, size_t len,
                         struct artbag_error *err);
/* Writes the digest into hex; the context can then only be freed. */
int artbag_sha256_final(struct artbag_sha256 *h, char hex[ARTBAG_SHA256_HEX],
                        struct artbag_error *err);
void artbag_sha256_free(struct artbag_sha256 *h);

/*
 * Several digests of one stream at once (bit i of mask = enum artbag_alg i), so a file listed in
 * manifests of several algorithms is still read once. Defined below enum artbag_alg's users.
 */
#define ARTBAG_HEX_MAX 129 /* sha512: 128 digits and a NUL */
struct artbag_multihash;
int artbag_multihash_new(struct artbag_multihash **out);
/* Starts a new stream hashed with the algorithms in mask. */
int artbag_multihash_reset(struct artbag_multihash *m, unsigned mask);
int artbag_multihash_update(struct artbag_multihash *m, const void *buf, size_t len);
/* hex[i] gets the digest for each algorithm i in the mask. */
int artbag_multihash_final(struct artbag_multihash *m, char hex[][ARTBAG_HEX_MAX]);
void artbag_multihash_free(struct artbag_multihash *m);

/* Lower-case hex of n bytes into out, which holds 2n+1 characters. */
void artbag_hex(const unsigned char *bytes, size_t n, char *out);

/* ---- threads.c: starting and stopping worker threads ---------------------------------- */

/* Starts fn(arg) on a new thread with every signal blocked in it. ARTBAG_EIO if it cannot. */
int artbag_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg);
/* Sets *stop under mu, wakes every thread waiting on wake, and joins the n threads. */
void artbag_threads_stop(pthread_mutex_t *mu, pthread_cond_t *wake, int *stop,
                         const pthread_t *tids, int n);

/*
 * An ordered pool: the owner fills slots of a ring in order and queues them; threads work them
 * (deflate or inflate one block) with a state of their own each; the owner takes the results in
 * the same order. Slot k of the stream is slot k % nslots of the ring. gzwrite.c and instream.c
 * keep their blocks in arrays of nslots beside it.
 */
enum { ARTBAG_POOL_IDLE, ARTBAG_POOL_QUEUED, ARTBAG_POOL_BUSY, ARTBAG_POOL_DONE };
struct artbag_pool_ops {
    void *(*state_new)(void);        /* one worker's state (a compressor); NULL: no memory */
    void (*state_free)(void *state); /* takes NULL */
    /* Works one slot; touches only that slot's data and state, so any thread can run it. */
    void (*run)(void *ctx, void *state, size_t slot);
};
struct artbag_pool {
    const struct artbag_pool_ops *ops;
    void *ctx;
    int *state; /* per slot, one of ARTBAG_POOL_*; under mu */
    size_t nslots;
    uint64_t nqueued, njob; /* [njob, nqueued) wait for a thread */
    void *own;              /* the owner's state, for when no thread works */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *tids;
    int nworkers, alive, stop, live;
};
/* Sets p up with the owner's state (no thread yet). ARTBAG_EIO without memory. */
int artbag_pool_init(struct artbag_pool *p, size_t nslots, const struct artbag_pool_ops *ops,
                     void *ctx);
/* Starts up to n threads, once; one that fails to start only costs speed. */
void artbag_pool_start(struct artbag_pool *p, int n);
/* Queues the next slot in stream order, its data ready. */
void artbag_pool_queue(struct artbag_pool *p);
/* Returns 1 once slot is done: the owner's alone again, and done until it is queued anew.
 * Without block, 0 when it is not done yet. With no thread to do it, the owner works the
 * queue itself. */
int artbag_pool_wait(struct artbag_pool *p, size_t slot, int block);
/* Stops the threads and frees the pool; safe on a pool never set up (zeroed). */
void artbag_pool_destroy(struct artbag_pool *p);

/* ---- hasher.c: hashing files on a thread of its own ------------------------------------ */

/*
 * Called on the hashing thread when a file's digests are ready, with the target given to
 * artbag_hasher_begin(); returns ARTBAG_OK, or an error that the next drain reports.
 */
typedef int artbag_hasher_done_fn(void *target, unsigned mask, char hex[][ARTBAG_HEX_MAX]);
struct artbag_hasher;
/* Starts the hashing thread. ARTBAG_EIO when memory or a thread is not to be had. */
int artbag_hasher_new(struct artbag_hasher **out, artbag_hasher_done_fn *done);
/* A file to hash with the algorithms in mask; its bytes follow, then artbag_hasher_end(). The
 * bytes are copied, so the caller's buffers are free again on return. */
void artbag_hasher_begin(struct artbag_hasher *h, void *target, unsigned mask);
void artbag_hasher_data(struct artbag_hasher *h, const void *buf, size_t len);
void artbag_hasher_end(struct artbag_hasher *h);
/* Waits until every file handed over is hashed and its callback has run: only then are the
 * results the callbacks stored safe to read. ARTBAG_EIO if any hashing failed. */
int artbag_hasher_drain(struct artbag_hasher *h);
/* Stops the thread, abandoning what is not hashed yet. */
void artbag_hasher_free(struct artbag_hasher *h);

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

/* ---- pack.c: the pieces a bundle is made of ------------------------------------------- */

struct artbag_seckey; /* sign.c */

/*
 * Reads the article name (or fd when >= 0) once, hashing it into hex, and reads its metadata
 * into info with the options' overrides applied. Refuses an article without a title or an
 * absolute source URL, and one that is the file bundle_path (when non-NULL).
 */
int artbag_article_load(const char *name, int fd, const char *bundle_path,
                        const struct artbag_pack_options *opts, struct artbag_buf *article,
                        char hex[ARTBAG_SHA256_HEX], struct artbag_article_info *info,
                        struct artbag_error *err);
/* bag-info.txt's elements in artbag's order; ext_id may be NULL (a collection has none). */
int artbag_baginfo_build(struct artbag_buf *out, const struct artbag_pack_options *o,
                         const char *ext_id, const char *desc, int64_t mtime, uint64_t bytes,
                         uint64_t files, const char *profile, struct artbag_error *err);
/* tagmanifest-sha256.txt over bag-info.txt, bagit.txt and manifest-sha256.txt. */
int artbag_tagmanifest_build(struct artbag_buf *out, const struct artbag_buf *baginfo,
                             const struct artbag_buf *bagit, const struct artbag_buf *manifest,
                             struct artbag_error *err);
/*
 * Writes a single-article bundle at bundle_path (bag name bag) from an article already loaded
 * by artbag_article_load(); what artbag_pack() does after reading.
 */
int artbag_pack_loaded(const char *bundle_path, const char *bag,
                       const struct artbag_pack_options *opts, const struct artbag_seckey *key,
                       const struct artbag_buf *article, const char *hex,
                       const struct artbag_article_info *info, int bw_flags,
                       struct artbag_pack_result *result, struct artbag_error *err);
/* A file-name-safe name for an article: its URL's last path segment, else its title. */
void artbag_slug(const char *url, const char *title, char out[81]);
/* Checks the options pack and collections share. */
int artbag_pack_options_check(const struct artbag_pack_options *o, struct artbag_error *err);

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

/* ---- fsutil.c: files written safely ---------------------------------------------------- */

/* Writes all of buf to fd, retrying short writes and EINTR. 0 or -1 with errno set. */
int artbag_write_all(int fd, const void *buf, size_t len);

/* ---- report.c: collecting what verification finds ------------------------------------ */

/* An empty report for the bundle named path; NULL when out of memory. */
struct artbag_report *artbag_report_new(const char *path);

/*
 * Records a warning or problem (severity ARTBAG_WARNING or ARTBAG_PROBLEM). path, expected and
 * actual may be NULL. A problem makes r->valid 0. Returns ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_report_add(struct artbag_report *r, int severity, const char *kind, const char *path,
                      const char *expected, const char *actual, const char *fmt, ...)
    ARTBAG_PRINTF(7, 8);

/* Remembers the findings so far, for artbag_report_rewind(). ARTBAG_EIO without memory. */
int artbag_report_mark(struct artbag_report *r);
/* Forgets every finding since the mark (and the algorithms), recomputing r->valid. */
void artbag_report_rewind(struct artbag_report *r);

/* Appends src's findings and counts to r, as if each had been added to r in turn. */
int artbag_report_merge(struct artbag_report *r, const struct artbag_report *src);
/* Whether a finding of kind and severity added now would be kept with its text. */
int artbag_report_keeps(const struct artbag_report *r, int severity, const char *kind);

/* Adds an algorithm name to r->algorithms once. */
int artbag_report_add_algorithm(struct artbag_report *r, const char *name);

/*
 * What a fixity audit knows a bag by (src/lib/audit/): the SHA-256 of its tag manifest as
 * stored (file names which one: tagmanifest-sha256.txt, else another tag manifest, else a
 * payload manifest; both empty when the bag has none), its External-Identifier and
 * Payload-Oxum (NULL when bag-info.txt has none). Filled by the checker at the end.
 */
struct artbag_report_identity {
    char digest[ARTBAG_SHA256_HEX];
    char file[32];
    char *external_identifier;
    char *payload_oxum;
};
int artbag_report_set_identity(struct artbag_report *r, const char *digest, const char *file,
                               const char *external_identifier, const char *payload_oxum);
/* The identity the checker found, never NULL for a report from artbag_report_new(). */
const struct artbag_report_identity *artbag_report_identity(const struct artbag_report *r);

/* ---- bagparse.c: reading the BagIt tag-file formats (RFC 8493), pure over bytes -------- */

/* The checksum algorithms manifests may use; the order is fixed (it indexes tables). */
enum artbag_alg {
    ARTBAG_MD5,
    ARTBAG_SHA1,
    ARTBAG_SHA224,
    ARTBAG_SHA256,
    ARTBAG_SHA384,
    ARTBAG_SHA512,
    ARTBAG_N_ALGS
};

/* "sha256" -> ARTBAG_SHA256 (lower case only, as RFC 8493 names them); -1 when unknown. */
int artbag_alg_from_name(const char *name);
const char *artbag_alg_name(int alg);
/* Hex digits in a digest of alg (32 for md5 ... 128 for sha512). */
size_t artbag_alg_hex_len(int alg);

/*
 * Classifies a file name at the bag's top level. Returns 1 for "manifest-ALG.txt" or
 * "tagmanifest-ALG.txt" with a known ALG (setting *alg and *is_tag), 2 for that form with an
 * unknown ALG (*alg = -1, *is_tag set), 0 for anything else.
 */
int artbag_manifest_name(const char *name, int *alg, int *is_tag);

/* What bagit.txt declares. */
struct artbag_bagit_decl {
    int major, minor; /* BagIt-Version */
    char *encoding;   /* Tag-File-Character-Encoding, as written (e.g. "UTF-8") */
};

/*
 * Parses bagit.txt (raw bytes: it is always UTF-8 per RFC 8493 2.1.1). Enforces its exact form:
 * no BOM, exactly the two lines "BagIt-Version: M.N" and "Tag-File-Character-Encoding: ENC" in
 * that order, one space after each colon, LF, CR or CRLF endings. Every violation is added to r
 * (kind "bagit-txt", path "bagit.txt"). Returns ARTBAG_OK when *out was filled (possibly with
 * problems recorded), ARTBAG_EREJECT when the file cannot be understood, ARTBAG_EIO for no
 * memory. Release *out with artbag_bagit_decl_release() in every case.
 */
int artbag_bagit_txt_parse(const char *buf, size_t len, struct artbag_bagit_decl *out,
                           struct artbag_report *r);
void artbag_bagit_decl_release(struct artbag_bagit_decl *d);

/*
 * Converts a tag file's bytes from the declared encoding (iconv: "UTF-8", "ISO-8859-1",
 * "UTF-16" with BOM, ...) to UTF-8, appending to utf8 and dropping a leading BOM. An unknown
 * encoding or undecodable bytes are recorded in r (kind "encoding", the given path) and return
 * ARTBAG_EREJECT.
 */
int artbag_tagfile_decode(const char *buf, size_t len, const char *encoding, const char *path,
                          struct artbag_buf *utf8, struct artbag_report *r);
/* The same text without a copy when none is needed: *text is buf itself (a UTF-8 file, less
 * any BOM) or tmp's bytes, which the caller releases either way. A manifest of a million files
 * is a hundred megabytes that need not be held twice. */
int artbag_tagfile_text(const char *buf, size_t len, const char *encoding, const char *path,
                        const char **text, size_t *n, struct artbag_buf *tmp,
                        struct artbag_report *r);

/* bag-info.txt, in file order; continuation lines joined to their element. */
struct artbag_baginfo_elem {
    char *label;
    char *value;
    size_t line;   /* where the element starts */
    unsigned form; /* ARTBAG_BAGINFO_*: departures from 1.0's "Label: value" that 0.97 allowed */
};
#define ARTBAG_BAGINFO_WS_BEFORE_COLON 1u /* "Label : value" */
#define ARTBAG_BAGINFO_NO_WS_AFTER     2u /* "Label:value" */
struct artbag_baginfo {
    struct artbag_baginfo_elem *elems;
    size_t n;
};

/*
 * Parses bag-info.txt (UTF-8, LF/CR/CRLF). A line starting with space or tab continues the
 * previous element (joined with one space after trimming); any other line must be
 * "Label: value" (label non-empty, no leading white space; RFC 8493 2.2.2). Malformed lines are
 * recorded (kind "bag-info", path "bag-info.txt") and skipped. Returns ARTBAG_OK or ARTBAG_EIO.
 */
int artbag_baginfo_parse(const char *utf8, size_t len, struct artbag_baginfo *out,
                         struct artbag_report *r);
void artbag_baginfo_release(struct artbag_baginfo *b);
/* The first value of label (compared case-insensitively, ASCII), or NULL. Borrowed. */
const char *artbag_baginfo_get(const struct artbag_baginfo *b, const char *label);
/* Parses Payload-Oxum "OCTETS.STREAMS" (digits only, no sign or space). 0, or -1 if malformed. */
int artbag_oxum_parse(const char *s, uint64_t *bytes, uint64_t *files);

/* Percent-decodes a manifest path: %25, %0A, %0D (either case of hex) and nothing else. */
int artbag_path_decode(const char *enc, size_t len, struct artbag_buf *out);

struct artbag_manifest_entry {
    char *path;   /* decoded, relative to the bag */
    char *raw;    /* as written, when decoding changed it (else NULL) */
    char *digest; /* lower-cased hex */
};
struct artbag_manifest {
    int alg;
    int is_tag;
    struct artbag_manifest_entry *entries;
    size_t n;
};

/*
 * Parses a manifest or tag manifest named name (e.g. "manifest-sha256.txt"), UTF-8 text, LF,
 * CR or CRLF. Each line is "DIGEST 1*WSP PATH". Recorded in r with kind "manifest" and the
 * manifest's name as path, and the line skipped: a malformed line, a digest of the wrong length
 * or not hex, an absolute path, a path with an empty, "." or ".." component or a backslash
 * separator, the same path listed twice; for payload manifests a path not under "data/"; for
 * tag manifests a path under "data/" or naming a tag manifest. Paths are percent-decoded when
 * encoded is non-zero: BagIt 1.0 encodes them, 0.97 did not, so there "%25" is three characters
 * of a file name. Returns ARTBAG_OK or ARTBAG_EIO.
 */
int artbag_manifest_parse(const char *utf8, size_t len, const char *name, int alg, int is_tag,
                          int encoded, struct artbag_manifest *out, struct artbag_report *r);
void artbag_manifest_release(struct artbag_manifest *m);

/*
 * A payload manifest parsed as its bytes arrive (UTF-8 only), so that its text need not be held:
 * the same checks and findings as artbag_manifest_parse(), but each line that lists a path is
 * handed to claim (decoded path, the path as written when decoding changed it, else NULL, the
 * lower-cased digest, the line number), which returns 1 when the path is new to this manifest,
 * 0 when it was listed before (setting the first line and whether that one had the same digest:
 * the line is then reported) or -1 for no memory. Feed and end return ARTBAG_OK, ARTBAG_EIO, or
 * ARTBAG_EREJECT for bytes that are not UTF-8 (bad_at says where; nothing is reported for it).
 */
typedef int artbag_manifest_claim_fn(void *arg, const char *path, size_t path_n, const char *raw,
                                     size_t raw_n, const char *digest, size_t digest_n, size_t no,
                                     size_t *first, int *alike);
struct artbag_manifest_stream;
int artbag_manifest_stream_new(struct artbag_manifest_stream **out, const char *name, int alg,
                               int encoded, artbag_manifest_claim_fn *claim, void *arg,
                               struct artbag_report *r);
int artbag_manifest_stream_feed(struct artbag_manifest_stream *s, const char *buf, size_t len);
int artbag_manifest_stream_end(struct artbag_manifest_stream *s);
size_t artbag_manifest_stream_bad_at(const struct artbag_manifest_stream *s);
/* A streamed manifest is not held, so its size is not limited; what it may cost is: a line
 * longer than ARTBAG_MSTREAM_LINE_MAX, or more lines than set here (each may name a file not
 * yet seen), stops it with ARTBAG_EREJECT, and _over() says which (0 for invalid UTF-8) and
 * at which line. */
#define ARTBAG_MSTREAM_LINE_MAX ((size_t)64 * 1024)
enum { ARTBAG_MSTREAM_LONG_LINE = 1, ARTBAG_MSTREAM_MANY_LINES = 2 };
void artbag_manifest_stream_set_max_lines(struct artbag_manifest_stream *s, size_t max_lines);
int artbag_manifest_stream_over(const struct artbag_manifest_stream *s, size_t *line);
/* What claim is given from now on (a context that lives only as long as one feed). */
void artbag_manifest_stream_set_arg(struct artbag_manifest_stream *s, void *arg);
void artbag_manifest_stream_free(struct artbag_manifest_stream *s);
/* Non-zero for the names of UTF-8 that bagit.txt may declare ("UTF-8", "utf8", ...). */
int artbag_encoding_is_utf8(const char *encoding);

struct artbag_fetch_entry {
    char *url;
    int64_t length; /* -1 for "-" */
    char *path;     /* decoded */
};
struct artbag_fetch {
    struct artbag_fetch_entry *entries;
    size_t n;
};

/*
 * Parses fetch.txt: "URL LENGTH PATH" per line, LENGTH digits or "-", PATH under data/ and
 * percent-decoded as in manifests. Problems: kind "fetch", path "fetch.txt". ARTBAG_OK or EIO.
 */
int artbag_fetch_parse(const char *utf8, size_t len, int encoded, struct artbag_fetch *out,
                       struct artbag_report *r);
void artbag_fetch_release(struct artbag_fetch *f);

/* NFC form and case-folded form of a UTF-8 string (utf8proc), malloc'd; NULL when invalid. */
char *artbag_utf8_nfc(const char *s);
char *artbag_utf8_casefold(const char *s);

/* ---- the entry stream that readers produce and checkers consume ------------------------ */

/*
 * What a bag reader (verify.c: a directory or an archive) hands each entry to. Paths are
 * relative to the bag's top directory and already safe. Each callback returns ARTBAG_OK,
 * ARTBAG_EREJECT to stop reading (the reason is in the report) or ARTBAG_EIO.
 */
#define ARTBAG_SKIP 1 /* from begin: the sink does not want this entry's bytes */

struct artbag_sink {
    void *ctx;
    int (*begin)(void *ctx, const char *path, int type, uint64_t size, int64_t mtime);
    int (*data)(void *ctx, const void *buf, size_t len);
    int (*end)(void *ctx);
    /* instead of end, when the entry's bytes could not all be read (may be NULL) */
    void (*abort)(void *ctx);
    /* the bag's own directory entry in an archive, for a copy that keeps its time (may be NULL) */
    void (*root)(void *ctx, int64_t mtime);
};

/* ---- bagcheck.c: checking a bag whose files stream past once ------------------------- */

/*
 * The checker is fed the bag's entries in whatever order the source holds them (an archive's
 * order, a directory walk) and decides validity at the end, so one engine serves every
 * container. Paths are relative to the bag's top directory and already known to be safe
 * (no "..", not absolute): the drivers reject the rest.
 */
struct artbag_bagcheck;

enum artbag_entry_type { ARTBAG_ENTRY_FILE = 'f', ARTBAG_ENTRY_DIR = 'd' };

/* Loads the keys o->trust names; ARTBAG_EUSAGE/EIO for a bad key file, err says which. */
int artbag_bagcheck_new(struct artbag_bagcheck **out, struct artbag_report *r,
                        const struct artbag_verify_options *o, struct artbag_error *err);
/*
 * Starts an entry. A path seen before is recorded as a duplicate-entry problem, and its data
 * is then ignored. Returns ARTBAG_OK, or ARTBAG_EREJECT when streaming should stop (limit
 * exceeded; the reason is in the report), or ARTBAG_EIO for no memory.
 */
int artbag_bagcheck_begin(struct artbag_bagcheck *c, const char *path, int type, uint64_t size);
int artbag_bagcheck_data(struct artbag_bagcheck *c, const void *buf, size_t len);
int artbag_bagcheck_end(struct artbag_bagcheck *c);
/*
 * After the last entry: checks everything and fills the report. *rescan is set when a manifest
 * came after files it lists and their digests under its algorithm were not computed: the
 * driver then feeds every entry again after artbag_bagcheck_rescan() and calls finish again.
 * A driver that cannot re-read its source passes rescan NULL, and such files are reported.
 */
int artbag_bagcheck_finish(struct artbag_bagcheck *c, int *rescan);
/* The checker as a struct artbag_sink, for the readers below. */
void artbag_bagcheck_sink(struct artbag_bagcheck *c, struct artbag_sink *out);
/* What the bag is read from (enum artbag_container, enum artbag_compression), for a profile's
 * Serialization rules; the readers' entry points say it before finish. */
void artbag_bagcheck_set_container(struct artbag_bagcheck *c, int container, int compression);
void artbag_bagcheck_rescan(struct artbag_bagcheck *c);
/* Non-zero once artbag_bagcheck_rescan() was called: some digests came from a second read. */
int artbag_bagcheck_rescanned(const struct artbag_bagcheck *c);
void artbag_bagcheck_free(struct artbag_bagcheck *c);
/* The --max-bytes limit the checker was made with. */
uint64_t artbag_bagcheck_max_bytes(const struct artbag_bagcheck *c);

/*
 * Makes a tag file that tagmanifest-sha256.txt does not list an "uncovered" problem, as
 * --trust and --require-signature do, for a caller about to sign the bag.
 */
void artbag_bagcheck_require_coverage(struct artbag_bagcheck *c);

/* ---- profile.c: BagIt Profiles, pure over bytes and facts ------------------------------- */

/* What verify read the bag from, for a profile's Serialization and Accept-Serialization. */
enum artbag_container {
    ARTBAG_CONTAINER_UNKNOWN = 0, /* the reader did not say: serialization is not judged */
    ARTBAG_CONTAINER_DIR,
    ARTBAG_CONTAINER_TAR,
    ARTBAG_CONTAINER_ZIP,
};
enum artbag_compression {
    ARTBAG_COMPRESSION_NONE = 0,
    ARTBAG_COMPRESSION_GZIP,
    ARTBAG_COMPRESSION_BZIP2,
    ARTBAG_COMPRESSION_XZ,
    ARTBAG_COMPRESSION_LZMA,
    ARTBAG_COMPRESSION_ZSTD,
    ARTBAG_COMPRESSION_LZIP,
    ARTBAG_COMPRESSION_LZ4,
    ARTBAG_COMPRESSION_COMPRESS,
    ARTBAG_COMPRESSION_OTHER,
};

/* A parsed BagIt Profile (bagit-profiles 1.3.0, and 1.4.0's Fetch.txt-Required, Data-Empty,
 * Payload-Files-Required and Payload-Files-Allowed). */
struct artbag_profile;

/*
 * Parses a profile's JSON. ARTBAG_EUSAGE says what is wrong (not JSON, a rule of the wrong type,
 * no BagIt-Profile-Info or BagIt-Profile-Identifier, rules that contradict each other, such as a
 * required manifest that is not allowed), without a file name; ARTBAG_EIO for no memory.
 */
int artbag_profile_parse(const char *json, size_t len, struct artbag_profile **out,
                         struct artbag_error *err);
/* Reads and parses the file path: ARTBAG_EIO when it cannot be read, ARTBAG_EUSAGE when it is
 * not a profile; the message names the file. */
int artbag_profile_load(const char *path, struct artbag_profile **out, struct artbag_error *err);
void artbag_profile_free(struct artbag_profile *p);
/* BagIt-Profile-Info's BagIt-Profile-Identifier. Borrowed. */
const char *artbag_profile_id(const struct artbag_profile *p);

/* One file of the bag for artbag_profile_judge(); returns ARTBAG_OK or ARTBAG_EIO to stop. */
typedef int artbag_profile_file_fn(void *arg, const char *path, uint64_t size);

/* What the checker found, as a profile needs it. Everything is borrowed. */
struct artbag_profile_facts {
    int have_version, major, minor;    /* bagit.txt's BagIt-Version, when it could be read */
    const struct artbag_baginfo *info; /* bag-info.txt's elements in order; NULL: none */
    int container, compression;        /* enum artbag_container, enum artbag_compression */
    /* Calls fn for every file of the bag (not directories, not duplicates) with its path
     * relative to the bag, stopping at the first status that is not ARTBAG_OK and returning
     * it: the checker's own entry list, walked, not copied. */
    int (*each_file)(void *files_ctx, artbag_profile_file_fn *fn, void *arg);
    void *files_ctx;
};

/*
 * Records in r every way the bag departs from the profile, as problems of kind "profile"
 * naming the rule and the label or file, and the profile's keys artbag does not know as
 * warnings. ARTBAG_OK, or ARTBAG_EIO for no memory.
 */
int artbag_profile_judge(const struct artbag_profile *p, const struct artbag_profile_facts *f,
                         struct artbag_report *r);

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

/* ---- verify.c ------------------------------------------------------------------------ */

/*
 * Reads the archive at path (or descriptor fd when path is NULL) into the checker c and, when
 * extract is non-NULL, into extract too, then runs the checks into r. ARTBAG_OK when r holds
 * the verdict; ARTBAG_EIO when the archive cannot be opened (err says why) or extract failed
 * (extract recorded why); ARTBAG_EINTERNAL for no memory.
 */
int artbag_verify_archive(const char *path, int fd, const struct artbag_verify_options *o,
                          struct artbag_bagcheck *c, const struct artbag_sink *extract,
                          struct artbag_report *r, struct artbag_error *err);
/* The budgets of o (threads, max_*) as verify applies them; over one, ARTBAG_EIO. */

/*
 * Reads the bag at path (a directory or an archive; or descriptor fd when path is NULL) once
 * into sink, recording unsafe entries and layout problems in r and the bag's name in r->bag.
 * ARTBAG_OK (also when the stream broke: that is in r), ARTBAG_EIO when it cannot be opened.
 */
int artbag_bag_read(const char *path, int fd, const struct artbag_verify_options *o,
                    const struct artbag_sink *sink, struct artbag_report *r,
                    struct artbag_error *err);
/* Over a budget of o (NULL: the defaults) while reading an archive: ARTBAG_EIO naming it. */

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

/* ---- sign.c: Ed25519 keys and minisign-format signatures (OpenSSL libcrypto) ----------- */

#define ARTBAG_KEYID_LEN 8

/* A public key as minisign writes it: algorithm "Ed", an 8-byte key id, 32 bytes of key. */
struct artbag_pubkey {
    unsigned char id[ARTBAG_KEYID_LEN];
    unsigned char pk[32];
};

/* A loaded secret key; the key material is wiped when freed. */
struct artbag_seckey;

/*
 * Prints a key id the way minisign does (16 upper-case hex digits of the id read as a
 * little-endian 64-bit number), into out[17].
 */
void artbag_keyid_hex(const unsigned char id[ARTBAG_KEYID_LEN], char out[17]);

/*
 * Makes an Ed25519 key pair. Writes name.key (the secret key as PKCS#8 PEM, encrypted with
 * AES-256-CBC under scrypt/PBKDF2 from passphrase when passphrase is non-NULL, plain PKCS#8
 * otherwise, created with O_EXCL and mode 0600, so `openssl pkey` reads it) and name.pub (the
 * public key in minisign's two-line format). Neither file may exist. Fills *pub when non-NULL.
 * Returns ARTBAG_OK, ARTBAG_EIO (a file exists, cannot write), ARTBAG_EINTERNAL.
 */
int artbag_keygen(const char *name, const char *passphrase, struct artbag_pubkey *pub,
                  struct artbag_error *err);

/*
 * Opens a key, passphrase or trust file for reading: without blocking, and only a regular file
 * (a FIFO would hang, a device never end). Fills *st. The descriptor, or -1 with err set
 * (ARTBAG_EIO).
 */
struct stat;
int artbag_key_file_open(const char *path, struct stat *st, struct artbag_error *err);

/*
 * Loads name.key; a wrong passphrase is ARTBAG_EREJECT ("wrong passphrase"), never a crash, and
 * so is a public key given in its place. A key that group or others may read or write is
 * ARTBAG_EIO, with the chmod that fixes it.
 */
int artbag_seckey_load(const char *path, const char *passphrase, struct artbag_seckey **out,
                       struct artbag_error *err);
void artbag_seckey_free(struct artbag_seckey *k);
/* The public half of a secret key. */
void artbag_seckey_pubkey(const struct artbag_seckey *k, struct artbag_pubkey *out);

/*
 * Parses a minisign public key: the file (an "untrusted comment:" line, then base64) or the
 * bare base64 line. ARTBAG_OK or ARTBAG_EREJECT with what is wrong.
 */
int artbag_pubkey_parse(const char *text, size_t len, struct artbag_pubkey *out,
                        struct artbag_error *err);

/*
 * Signs msg in minisign's format (prehashed: algorithm "ED", BLAKE2b-512 of msg; a global
 * signature over the signature and the trusted comment) and appends the four-line signature
 * file to out. trusted_comment is one line, without the "trusted comment: " prefix.
 */
int artbag_sign_minisig(const struct artbag_seckey *k, const void *msg, size_t len,
                        const char *untrusted_comment, const char *trusted_comment,
                        struct artbag_buf *out, struct artbag_error *err);

/* What a signature file says, before it is checked against any key. */
struct artbag_minisig {
    int prehashed;                      /* "ED" (1) or legacy "Ed" (0) */
    unsigned char id[ARTBAG_KEYID_LEN]; /* the signer's key id */
    unsigned char sig[64];
    char *trusted_comment; /* malloc'd, without the prefix */
    unsigned char global_sig[64];
};

/* Parses a minisign signature file; ARTBAG_EREJECT says what is malformed. */
int artbag_minisig_parse(const char *text, size_t len, struct artbag_minisig *out,
                         struct artbag_error *err);
void artbag_minisig_release(struct artbag_minisig *s);

/*
 * Checks a parsed signature over msg with pub: key ids equal, the signature over msg (or its
 * BLAKE2b-512 when prehashed), and the global signature over sig || trusted comment.
 * ARTBAG_OK when valid; ARTBAG_EREJECT with "signature made by key ID ..., not ..." or
 * "signature does not match" or "trusted comment has been tampered with".
 */
int artbag_minisig_verify(const struct artbag_minisig *s, const struct artbag_pubkey *pub,
                          const void *msg, size_t len, struct artbag_error *err);

/* ---- signbag.c: signatures as tag files of a bag ---------------------------------------- */

/*
 * The signed tag file, and the name of the first signature over it. Signatures live in a tag
 * directory: bagit-java takes every top-level "tagmanifest-*" file for a tag manifest and
 * throws on "tagmanifest-sha256.txt.minisig", where the bundle-1.0 profile kept them.
 */
#define ARTBAG_SIGNED_FILE    "tagmanifest-sha256.txt"
#define ARTBAG_SIGNATURE_DIR  "signatures"
#define ARTBAG_SIGNATURE_FILE ARTBAG_SIGNATURE_DIR "/" ARTBAG_SIGNED_FILE ".minisig"

/* The profile bundles made before signatures moved into signatures/; verify still reads them. */
#define ARTBAG_PROFILE_IDENTIFIER_1_0 "tag:artbag.org,2026:bagit-profile:bundle-1.0"

/*
 * Whether a name (relative to the bag) holds a signature over ARTBAG_SIGNED_FILE: 1 for
 * "signatures/tagmanifest-sha256.txt.minisig" or a counter-signature
 * "signatures/tagmanifest-sha256.txt.KEYID.minisig" (KEYID: 16 upper-case hex digits); 2 for
 * the same two names at the top of the bag, where bundle-1.0 stored them; 0 for any other name.
 * Only these exact names are exempt from the rule that the signed tag manifest lists every tag
 * file (they cannot be listed in what they sign).
 */
int artbag_signature_name(const char *name);

/*
 * Appends a minisign signature over the tag manifest to out. Its trusted comment names the
 * time, the bag and the key id; its untrusted comment also carries the public key, so a
 * verifier without the key can still tell a damaged signature from a sound one.
 */
int artbag_sign_tagmanifest(const struct artbag_seckey *k, const void *tagmanifest, size_t len,
                            const char *bag, int64_t when, struct artbag_buf *out,
                            struct artbag_error *err);

/* Keys a verifier trusts, loaded from .pub files and directories of them. */
struct artbag_trust {
    struct artbag_pubkey *keys;
    size_t n;
};
int artbag_trust_load(const char *const *paths, size_t n, struct artbag_trust *t,
                      struct artbag_error *err);
void artbag_trust_release(struct artbag_trust *t);

/*
 * Checks one signature file (text, len) over the tag manifest, against the trusted keys (or, for
 * an unknown signer, the public key the signature carries) and records the outcome in r:
 * a struct artbag_signature, and a "signature" problem when it is malformed or does not match.
 */
int artbag_signature_check(struct artbag_report *r, const char *file, const char *text, size_t len,
                           const void *tagmanifest, size_t tm_len, const struct artbag_trust *t);

#endif /* ARTBAG_INTERNAL_H */
