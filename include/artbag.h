/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * artbag.h - the public interface of libartbag, which packs news articles into BagIt bundles
 * (RFC 8493 bags serialized as .tar.gz) and checks them.
 *
 * Conventions, for every function below:
 *  - A function that can fail returns ARTBAG_OK (0) or a negative enum artbag_status and, when
 *    the caller passed a non-NULL struct artbag_error, leaves a one-line message there (lower
 *    case, no trailing full stop, the subject in single quotes). The library never prints and
 *    never exits.
 *  - Running out of memory is always ARTBAG_EIO, with a message that says "out of memory".
 *  - Strings passed in are borrowed for the duration of the call; strings handed back are owned
 *    by the caller unless the comment says otherwise.
 *  - Option structs grow without breaking callers built against an older header: each begins
 *    with `size`, which its _init function sets to the size the caller was compiled with. The
 *    library reads only the fields within that size and takes the defaults for the rest; a
 *    struct whose size is 0 (not initialised) is refused with ARTBAG_EUSAGE. So always call the
 *    _init function, then set fields. Result structs the caller allocates
 *    (artbag_pack_result, artbag_error) never grow: later results come through new functions.
 *
 * Threads. Every function may be called from any thread, and concurrently from several, as
 * long as no two threads use the same object (an artbag_ledger, an artbag_report, an options
 * struct being changed) at once: the library keeps no global state but the process-wide
 * cancel flag, a hash seed set once, and what OpenSSL, libarchive and SQLite keep safely
 * themselves; it reads TMPDIR, HOME and XDG_STATE_HOME, so do not change the environment
 * while a call runs. Exceptions:
 * artbag_cancel() and artbag_cancel_token_trigger() are also async-signal-safe; an
 * artbag_cancel_token is shared by design (trigger it from any thread while a call uses it);
 * callbacks (on_progress, on_skip, on_event) run in the thread that made the call, one at a
 * time, and must not call back into the same object. Operations that use threads of their own
 * (pack, verify, unpack, audit: the threads option) block every signal in them, so a signal
 * reaches the caller's thread.
 */
#ifndef ARTBAG_H
#define ARTBAG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The release this header belongs to, for checks at compile time; artbag_version() says which
 * library is loaded at run time. ARTBAG_VERSION_NUMBER orders releases: MAJOR * 1000000 +
 * MINOR * 1000 + PATCH, e.g. 2000 for 0.2.0, so `#if ARTBAG_VERSION_NUMBER >= 2000` means
 * "0.2.0 or later". The top-level CMakeLists.txt refuses to configure when these disagree with
 * project(VERSION), so they are always the release being built.
 */
#define ARTBAG_VERSION_MAJOR 0
#define ARTBAG_VERSION_MINOR 2
#define ARTBAG_VERSION_PATCH 0
#define ARTBAG_VERSION_NUMBER                                                                      \
    (ARTBAG_VERSION_MAJOR * 1000000 + ARTBAG_VERSION_MINOR * 1000 + ARTBAG_VERSION_PATCH)
#define ARTBAG_VERSION_STRING "0.2.0"

/* Marks the exported symbols; everything else in the shared library stays hidden. */
#if defined(ARTBAG_BUILDING) && defined(__GNUC__)
#define ARTBAG_API __attribute__((visibility("default")))
#else
#define ARTBAG_API
#endif

/*
 * The identifier that bag-info.txt's BagIt-Profile-Identifier carries for bundles we make: a tag
 * URI (RFC 4151), because no web address of ours is promised to outlive the bundles. The profile
 * itself ships as manifests/artbag-bag-profile.json. Version 1.1 moved signatures into the tag
 * directory signatures/; 1.2 lets metadata.json carry the optional fields of schema
 * metadata-1.1 (authors, tags, ..., RFC 3339 dates), which a 1.1 reader would call unknown keys.
 * verify still reads bundles that name bundle-1.0 and bundle-1.1. The profile's Version 1.3
 * allows the manifests of every ARTBAG_DIGEST_* (sha512 alone was allowed before) under the
 * same identifier: it admits every bag 1.2 did, and a sha256-only bundle stays byte-identical.
 */
#define ARTBAG_PROFILE_IDENTIFIER "tag:artbag.org,2026:bagit-profile:bundle-1.2"

/*
 * Statuses. The command-line front end turns each into one exit code: the code is the negated
 * status, so ARTBAG_EREJECT exits 1, ARTBAG_EUSAGE 2, ARTBAG_EIO 3 and ARTBAG_EINTERNAL 4.
 */
enum artbag_status {
    ARTBAG_OK = 0,
    ARTBAG_EREJECT = -1,   /* input checked and rejected: bad format, digest, missing field */
    ARTBAG_EUSAGE = -2,    /* the caller asked for something meaningless (bad option value) */
    ARTBAG_EIO = -3,       /* could not do the job: I/O, permissions, output exists, no memory */
    ARTBAG_EINTERNAL = -4, /* a bug in artbag or a library it uses */
};

#define ARTBAG_ERROR_MAX 1024

/* Where a failing call leaves its message. Caller-allocated; no release needed. */
struct artbag_error {
    int status;                 /* the status the call returned */
    char msg[ARTBAG_ERROR_MAX]; /* e.g. "'in.md': no source URL found; pass --url" */
    /* When artbag_verify() could not check a bundle: why, as a finding kind of the verify
     * report ("not-a-bag", "truncated", "unverifiable"); NULL for any other failure ("io"). */
    const char *kind;
};

/*
 * Asks every artbag call in progress to stop as soon as it safely can: each then removes its
 * temporary files and returns ARTBAG_EIO with "interrupted". Async-signal-safe, so a front end
 * calls it from its SIGINT/SIGTERM handler. It cannot be undone within the process.
 */
ARTBAG_API void artbag_cancel(void);

/*
 * Cancellation per call: a token handed to one call (the options' cancel field) and triggered
 * from any thread, or from a signal handler, stops that call and those sharing the token as
 * artbag_cancel() would, and no other. Threads the call starts share its token. A token
 * outlives every call given it; triggering cannot be undone.
 */
struct artbag_cancel_token;
/* A new token, not triggered; NULL when out of memory. */
ARTBAG_API struct artbag_cancel_token *artbag_cancel_token_new(void);
/* Async-signal-safe; any thread. */
ARTBAG_API void artbag_cancel_token_trigger(struct artbag_cancel_token *t);
/* Non-zero once triggered. */
ARTBAG_API int artbag_cancel_token_triggered(const struct artbag_cancel_token *t);
/* NULL is allowed; no call may still be using it. */
ARTBAG_API void artbag_cancel_token_free(struct artbag_cancel_token *t);

/*
 * Progress of a long call, handed to the options' on_progress in the thread that made the
 * call: after each megabyte or so read, after each article (collections) or bundle (audit),
 * and once at the end. Borrowed for the duration of the callback.
 */
struct artbag_progress {
    const char *operation; /* "pack", "verify", "unpack" or "audit" (static strings) */
    const char *path;      /* the bundle or article being read, or NULL */
    uint64_t bytes_done;   /* input bytes read so far (archive bytes, article bytes) */
    uint64_t bytes_total;  /* of how many; 0 when not known (a pipe, a bag directory) */
    uint64_t items_done;   /* articles packed or bundles checked; 0 for one bundle */
    uint64_t items_total;  /* of how many; 0 when not counted */
};
typedef void (*artbag_progress_fn)(void *ctx, const struct artbag_progress *p);

/* The library's version, e.g. "0.2.0". Static storage: do not free. */
ARTBAG_API const char *artbag_version(void);

/* A bag-info.txt element that the caller adds (label and value, both borrowed). */
struct artbag_tag {
    const char *label;
    const char *value;
};

/*
 * What artbag_pack() needs besides the article. Set every field with artbag_pack_options_init()
 * first, then override; all strings are borrowed.
 */
struct artbag_pack_options {
    size_t size;                   /* set by artbag_pack_options_init(): see the conventions */
    const char *url;               /* source URL; overrides what the article says */
    const char *title;             /* title; overrides the article's */
    const char *date;              /* publication date, YYYY-MM-DD; overrides the article's */
    const char *org;               /* Source-Organization, written only when set */
    const struct artbag_tag *meta; /* extra bag-info elements, kept in this order */
    size_t n_meta;
    int64_t mtime;          /* timestamp of every archive entry and of Bagging-Date... */
    int have_mtime;         /* ...when non-zero; otherwise the current time */
    int force;              /* replace an existing bundle */
    int input_fd;           /* when >= 0, read the article from this descriptor (not closed) */
    const char *sign_key;   /* when set, sign the bundle with this secret key file (NAME.key) */
    const char *passphrase; /* the key's passphrase, or NULL for an unencrypted key */
    int threads;            /* threads compressing one bundle; 0: one per CPU */
    struct artbag_cancel_token *cancel; /* stops this call when triggered; NULL: none */
    artbag_progress_fn on_progress;     /* may be NULL */
    void *progress_ctx;
    /* Manifests to write besides SHA-256, an or of ARTBAG_DIGEST_* (0: SHA-256 only; SHA-256
     * is always written, whether its bit is set or not). Any other bit is ARTBAG_EUSAGE. */
    unsigned digests;
    /*
     * Files kept beside one article (artbag_pack() only; collections take a page bundle's
     * files instead): original captures such as HTML, WARC, PDF or images, each streamed into
     * data/attachments/<its base name> and listed in metadata.json's "attachments" with its
     * media type (libmagic), bytes and sha256. Names must be distinct, non-empty, UTF-8 in NFC
     * and free of control characters; identical contents are stored once. NULL/0: none.
     */
    const char *const *attach;
    size_t n_attach;
    /*
     * Called once for each warning the article reader gives about an article that is packed
     * ("front matter is not valid YAML; read line by line", an unreadable date), with the
     * article's name as given; "no title found" is not given when the title option supplies
     * one. Collections also call it for what they find but leave out: the other files of a
     * directory that holds several articles (only a page bundle's become attachments), with the
     * directory's path. The library prints nothing: the caller decides. artbag_pack_collection()
     * calls it in the calling thread, artbag_pack_each() under its lock; artbag_inspect() never
     * does (its JSON holds the warnings). May be NULL.
     */
    void (*on_warning)(void *ctx, const char *article_name, const char *warning);
    void *warning_ctx;
};

/*
 * The checksum algorithms a bag's manifests may use (RFC 8493 section 2.4). Each one asked for
 * gets its own manifest-ALG.txt and tagmanifest-ALG.txt, all computed in one pass over the
 * bytes. SHA-256 is always there: it is what signatures sign (tagmanifest-sha256.txt) and what
 * the catalog and metadata.json record. MD5 and SHA-1 are broken as collision-resistant
 * digests and protect nothing SHA-256 does not: they are for partners whose BagIt profiles
 * require them.
 */
#define ARTBAG_DIGEST_MD5    0x01u
#define ARTBAG_DIGEST_SHA1   0x02u
#define ARTBAG_DIGEST_SHA224 0x04u
#define ARTBAG_DIGEST_SHA256 0x08u
#define ARTBAG_DIGEST_SHA384 0x10u
#define ARTBAG_DIGEST_SHA512 0x20u

/*
 * Parses a comma-separated list of algorithm names as RFC 8493 spells them ("sha256,sha512";
 * md5, sha1, sha224, sha256, sha384, sha512; any case, blanks around a name ignored) into
 * *mask, an or of ARTBAG_DIGEST_* that always includes ARTBAG_DIGEST_SHA256, for
 * artbag_pack_options.digests. Returns ARTBAG_OK, or ARTBAG_EUSAGE naming the first name that is
 * unknown, empty or given twice (*mask is then left alone).
 */
ARTBAG_API int artbag_digests_parse(const char *list, unsigned *mask, struct artbag_error *err);

/* What artbag_pack() reports about the bundle it wrote. */
struct artbag_pack_result {
    uint64_t payload_bytes; /* bytes under data/ (Payload-Oxum's first number) */
    uint64_t payload_files; /* files under data/ (its second) */
    uint64_t bundle_bytes;  /* size of the .tar.gz */
    uint64_t articles;      /* articles packed (collections, --each) */
    uint64_t skipped;       /* articles passed over with skip_bad */
};

/* Sets every option to its default: nothing overridden, no --force, input_fd = -1. */
ARTBAG_API void artbag_pack_options_init(struct artbag_pack_options *opts);

/*
 * What artbag_pack() would record for the article at path (or read from opts->input_fd when
 * >= 0), without writing anything: opts's url, title and date apply as they would for pack
 * (opts may be NULL). *json gets one compact JSON object (free() it):
 *   {"path": ..., "valid": true|false, "problem": null|"'path': why pack would refuse it",
 *    "warnings": [...], "metadata": the data/metadata.json pack would write, its title null
 *    when none was found; null when the article could not be read as text}
 * Returns ARTBAG_OK (valid) or ARTBAG_EREJECT (pack would refuse it; err says why), both with
 * *json set; ARTBAG_EUSAGE for bad options and ARTBAG_EIO when the article cannot be read, with
 * *json NULL.
 */
ARTBAG_API int artbag_inspect(const char *path, const struct artbag_pack_options *opts, char **json,
                              struct artbag_error *err);

/*
 * Packs one article into a bundle at bundle_path, which must end in ".tar.gz" or ".tgz"; the
 * bag inside is named after the file without that suffix.
 *
 * article_name names the article in messages and, when opts->input_fd < 0, is the path opened.
 * The input is read once and never modified. The bundle is written to a temporary file beside
 * bundle_path, fsynced and renamed into place, so after any failure nothing exists under
 * bundle_path that was not there before. An existing bundle_path is kept unless opts->force.
 *
 * When result is non-NULL it is filled on success.
 *
 * Returns ARTBAG_OK; ARTBAG_EREJECT for an article that is empty, not UTF-8, or lacks a title or
 * source URL the options do not supply; ARTBAG_EUSAGE for bad option values; ARTBAG_EIO when the
 * article cannot be read or the bundle cannot be written (including "already exists").
 */
ARTBAG_API int artbag_pack(const char *article_name, const char *bundle_path,
                           const struct artbag_pack_options *opts,
                           struct artbag_pack_result *result, struct artbag_error *err);

/* ---- collections ---------------------------------------------------------------------------- */

/* bag-info.txt's BagIt-Profile-Identifier for a collection bag (manifests/ has the profile). */
#define ARTBAG_COLLECTION_PROFILE_IDENTIFIER "tag:artbag.org,2026:bagit-profile:collection-1.1"

/* How many articles are found and what happens to a bad one. Init, then override. */
struct artbag_collection_options {
    size_t size;      /* set by artbag_collection_options_init(): see the conventions */
    const char *glob; /* names matched in directories (fnmatch); default "*.md" */
    int skip_bad;     /* name an unreadable or unacceptable article and go on; with
                         ARTBAG_SKIP_EXISTING or'ed in, artbag_pack_each() also passes over
                         an article whose bundle exists (calling on_skip with why->kind
                         "exists", not counted as skipped) */
    /* called for each skipped article, with why (may be NULL) */
    void (*on_skip)(void *ctx, const char *path, const struct artbag_error *why);
    /* called after each article: done of total, input bytes so far (may be NULL) */
    void (*on_progress)(void *ctx, uint64_t done, uint64_t total, uint64_t bytes);
    void *ctx;
    /* Per-article values (0.2, issue 15): a CSV file with a header row or JSON Lines, keyed
     * by each article's path as given or as found in a walked directory (column "path"); its
     * url, title, date, byline, authors, ... override that article's (NULL: none). */
    const char *metadata_from;
    /* called once the articles are found, with how many of the file's rows name one and the
     * path of each row that names none (may be NULL) */
    void (*on_metadata)(void *ctx, const char *file, size_t rows, size_t matched,
                        const char *const *unmatched, size_t n_unmatched);
};

/* A bit of skip_bad: keep existing bundles, so a rerun of artbag_pack_each() packs the rest. */
#define ARTBAG_SKIP_EXISTING 2

/* Sets the defaults: glob "*.md", stop at the first bad article, no callbacks. */
ARTBAG_API void artbag_collection_options_init(struct artbag_collection_options *o);

/*
 * Packs every article named by inputs (files, and directories walked recursively for names
 * matching o->glob, in byte order) into one collection bag at bundle_path:
 * data/<slug>/article.md and data/<slug>/metadata.json per article (slug from the source
 * URL's path, else the title, made unique) and data/catalog.jsonl. The tag files precede the
 * payload, which is spooled meanwhile. po supplies org, meta, mtime, force, url (the
 * collection's External-Identifier, optional), title (its description) and signing; its
 * per-article overrides are not used. Callbacks run in the calling thread.
 * Returns as artbag_pack(); a bad article fails the whole pack unless co->skip_bad.
 */
ARTBAG_API int artbag_pack_collection(const char *const *inputs, size_t n_inputs,
                                      const char *bundle_path, const struct artbag_pack_options *po,
                                      const struct artbag_collection_options *co,
                                      struct artbag_pack_result *result, struct artbag_error *err);

/*
 * Packs each article found as above into its own bundle outdir/<slug>.tar.gz (bag <slug>) on
 * threads workers (<= 0: one per CPU). Callbacks run under a lock, one at a time. The first
 * failure stops the rest (bundles already made stay) unless co->skip_bad. result->articles
 * and ->skipped count the outcome.
 */
ARTBAG_API int artbag_pack_each(const char *const *inputs, size_t n_inputs, const char *outdir,
                                const struct artbag_pack_options *po,
                                const struct artbag_collection_options *co, int threads,
                                struct artbag_pack_result *result, struct artbag_error *err);

/* ---- verifying ---------------------------------------------------------------------------- */

enum artbag_severity {
    ARTBAG_WARNING = 1, /* worth saying; the bag stays valid */
    ARTBAG_PROBLEM = 2, /* the bag is invalid */
};

/*
 * One finding about a bag. kind is a fixed, documented word that scripts can match (see
 * README.md, "Problem kinds"); message is for people.
 */
struct artbag_problem {
    int severity;     /* enum artbag_severity */
    const char *kind; /* static string, e.g. "checksum-mismatch" */
    char *path;       /* the file it is about, relative to the bag ("data/a.md"), or NULL */
    char *message;    /* e.g. "sha256 mismatch" */
    char *expected;   /* for digests and counts, else NULL */
    char *actual;
};

/* What verifying one bundle found. Owned by the caller; free with artbag_report_free(). */
struct artbag_report {
    char *path;        /* the bundle as it was named */
    char *bag;         /* the bag's directory name, or NULL when none was found */
    int valid;         /* complete, and every digest matches (RFC 8493 section 3) */
    int complete;      /* every listed file present and no file left to fetch */
    int fixity;        /* digests were checked (not --fast) */
    uint64_t files;    /* payload files */
    uint64_t bytes;    /* payload bytes */
    char **algorithms; /* payload manifest algorithms found, e.g. "sha256" */
    size_t n_algorithms;
    struct artbag_problem *problems; /* warnings and problems in the order found */
    size_t n_problems;
    size_t n_warnings;                   /* how many of problems[] are ARTBAG_WARNING */
    struct artbag_signature *signatures; /* the minisign signatures the bag carries */
    size_t n_signatures;
    /* Every kind of finding with its exact count: problems[] keeps only the first
     * ARTBAG_REPORT_KEEP_PER_KIND of each kind and ARTBAG_REPORT_KEEP in all, so that no bag can
     * make a report grow without bound; the rest are counted here. */
    struct artbag_finding_count *counts;
    size_t n_counts;
    struct artbag_report_state *state; /* the library's own bookkeeping */
};

#define ARTBAG_REPORT_KEEP_PER_KIND 100
#define ARTBAG_REPORT_KEEP          1000

/* How many findings of one kind and severity a bag had, and how many of them were not kept. */
struct artbag_finding_count {
    const char *kind; /* static string, as in struct artbag_problem */
    int severity;     /* enum artbag_severity */
    uint64_t total;   /* found */
    uint64_t omitted; /* found but not in problems[] */
};

/*
 * A detached Ed25519 signature over tagmanifest-sha256.txt, stored in the bag as a tag file in
 * minisign's format (signatures/tagmanifest-sha256.txt.minisig, co-signatures as
 * signatures/tagmanifest-sha256.txt.KEYID.minisig; bundles made before profile 1.1 keep them at
 * the top of the bag, without signatures/), so `minisign -V` checks it too.
 */
struct artbag_signature {
    char *file;            /* e.g. "signatures/tagmanifest-sha256.txt.minisig" */
    char keyid[17];        /* the signer's key id, as minisign prints it */
    int valid;             /* the signature matches the tag manifest */
    int trusted;           /* ...and was checked with a key the caller trusts */
    char *trusted_comment; /* signed text: time, bag, key (NULL when unreadable) */
};

/* Frees a report from artbag_verify(), artbag_unpack() or artbag_sign(); NULL is allowed. */
ARTBAG_API void artbag_report_free(struct artbag_report *r);

/* How artbag_verify() reads and what it checks. Initialise with artbag_verify_options_init(). */
struct artbag_verify_options {
    size_t size;              /* set by artbag_verify_options_init(): see the conventions */
    int fast;                 /* completeness and Payload-Oxum only: not a fixity check */
    uint64_t max_bytes;       /* decompressed bytes read from an archive, headers and padding too */
    int input_fd;             /* when >= 0, read the bundle from this descriptor (not closed) */
    const char *const *trust; /* public key files (NAME.pub) or directories of them */
    size_t n_trust;
    int require_signature; /* an unsigned bundle is invalid */
    int threads;           /* threads inflating one bundle; 0: one per CPU */
    /* A BagIt Profile (JSON file, bagit-profiles 1.3.0) the bag must also follow: each departure
     * is a problem of kind "profile". NULL: none. */
    const char *profile;
    /* Budgets for reading an archive (README, "Limits"); max_bytes above counts every byte the
     * decompressor hands the tar reader: headers, file data, padding. Over any of them the bag
     * is not judged: the call fails with ARTBAG_EIO and a message naming the limit. */
    uint64_t max_entries; /* archive entries of every kind */
    uint32_t max_depth;   /* directories a path may nest below the bag's top */
    /* decompressed bytes per compressed byte, once past the first 64 MiB; 0: no ceiling */
    uint32_t max_ratio;
    uint64_t max_window; /* an xz, lzma or zstd dictionary/window (the decoder's memory) */
    struct artbag_cancel_token *cancel; /* stops this call when triggered; NULL: none */
    artbag_progress_fn on_progress;     /* may be NULL; "verify" or "unpack" */
    void *progress_ctx;
};

#define ARTBAG_DEFAULT_MAX_BYTES   ((uint64_t)64 << 30)
#define ARTBAG_DEFAULT_MAX_ENTRIES 5000000
#define ARTBAG_DEFAULT_MAX_DEPTH   128
#define ARTBAG_DEFAULT_MAX_RATIO   1000
#define ARTBAG_DEFAULT_MAX_WINDOW  ((uint64_t)64 << 20)

/* Defaults: full fixity check, input_fd -1, and the ARTBAG_DEFAULT_MAX_* budgets. */
ARTBAG_API void artbag_verify_options_init(struct artbag_verify_options *opts);

/*
 * Reads the BagIt Profile at path as artbag_verify() would with opts->profile, so a front end
 * can refuse a bad one once, before any bag. ARTBAG_OK; ARTBAG_EIO when the file cannot be read;
 * ARTBAG_EUSAGE when it is not a valid profile (not JSON, a rule of the wrong type, no
 * BagIt-Profile-Identifier, rules that contradict each other). err names the file.
 */
ARTBAG_API int artbag_profile_check(const char *path, struct artbag_error *err);

/*
 * Verifies the bag at path: a bag directory, or a bag serialized as tar (plain, gzip, bzip2,
 * xz, zstd) or zip, recognised by content. Archives are read as a stream, without extracting,
 * in memory that does not grow with the payload's size.
 *
 * On ARTBAG_OK *out holds a report (valid or not) that the caller frees with
 * artbag_report_free(). ARTBAG_EIO means the bundle could not be read at all (missing,
 * unreadable) or not within opts' budgets (err names the limit), and *out is NULL; err says
 * why. ARTBAG_EINTERNAL: a bug or no memory.
 */
ARTBAG_API int artbag_verify(const char *path, const struct artbag_verify_options *opts,
                             struct artbag_report **out, struct artbag_error *err);

/*
 * Non-zero when a file name is one a walk for bundles takes (verify -r, audit): a name ending
 * in .tar.gz, .tgz, .tar, .zip, .tar.bz2, .tbz2, .tar.xz or .tar.zst that does not start with
 * '.' (pack's unfinished temporary files, and hidden files). Content decides what a bundle is
 * once it is opened; this only chooses what to open. Safe from any thread.
 */
ARTBAG_API int artbag_is_bundle_name(const char *name);

/*
 * Unpacks the serialized bundle at path (or opts->input_fd) into dest/<bag name>, verifying
 * (with opts' trust and require_signature) while extracting into a temporary directory inside
 * dest, from the one read of the bundle; the bag is renamed into place only when the whole bag
 * is valid and the tree on disk is exactly the entries extracted. Any conflict while
 * extracting (an entry twice, a file where a directory is needed, a name the file system folds
 * onto another's, file names that differ only in case) and a bag name starting with '.' make
 * the report invalid. An existing dest/<bag name> is replaced only with force, and only when it
 * is a bag (a regular bagit.txt at its top). Nothing is ever written outside dest, and no
 * symbolic link is followed.
 *
 * On ARTBAG_OK *out holds the report: when (*out)->valid the bag is at dest/(*out)->bag,
 * otherwise nothing was left behind. ARTBAG_EIO: dest or the bundle unusable, the disk full,
 * over a budget of opts or over dest's free space when unpacking began, or the bag exists (err
 * says which; nothing left behind). ARTBAG_EUSAGE: path is a directory.
 */
ARTBAG_API int artbag_unpack(const char *path, const char *dest,
                             const struct artbag_verify_options *opts, int force,
                             struct artbag_report **out, struct artbag_error *err);

/* ---- signing ------------------------------------------------------------------------------ */

/*
 * Makes an Ed25519 key pair: name.key, the secret key as PKCS#8 PEM (encrypted under passphrase
 * unless it is NULL; created with O_EXCL and mode 0600; `openssl pkey` reads it) and name.pub,
 * the public key in minisign's format. Neither may exist. keyid gets the key id.
 * ARTBAG_OK, ARTBAG_EIO (a file exists or cannot be written), ARTBAG_EUSAGE (empty passphrase).
 */
ARTBAG_API int artbag_key_generate(const char *name, const char *passphrase, char keyid[17],
                                   struct artbag_error *err);

/*
 * Signs the bundle at path with the secret key at key_path: verifies it while rewriting it to a
 * temporary file with the signature added as a tag file in signatures/, then renames it over
 * path. The payload's bytes are copied unchanged and a signature by another key is kept
 * (co-signing; one found at the top of the bag, as bundle-1.0 stored it, moves into
 * signatures/ unchanged); a signature by the same key is replaced. Nothing changes unless the
 * bundle is valid and tagmanifest-sha256.txt lists every tag file.
 * On ARTBAG_OK *out holds the verification report of the bundle as it was (free it with
 * artbag_report_free()); when it is not valid the bundle was not signed. ARTBAG_EREJECT: wrong
 * passphrase or unusable key (a public key given for it), or a tag file that
 * tagmanifest-sha256.txt does not list (err names the first). ARTBAG_EIO: unreadable bundle or
 * key, a key that is not a regular file or that group or others may read or write, cannot write.
 */
ARTBAG_API int artbag_sign(const char *path, const char *key_path, const char *passphrase,
                           struct artbag_report **out, struct artbag_error *err);

/*
 * As artbag_sign(), with when (seconds since 1970, >= 0) as the signing time: the trusted
 * comment's timestamp and the signature entry's time, so the same bundle signed by the same key
 * at the same when is the same bytes (Ed25519 signatures are deterministic, and every other
 * entry keeps its time). A negative when is the current time, as artbag_sign() uses.
 */
ARTBAG_API int artbag_sign_at(const char *path, const char *key_path, const char *passphrase,
                              int64_t when, struct artbag_report **out, struct artbag_error *err);

/* ---- showing ------------------------------------------------------------------------------ */

/* One bag-info.txt element as read (both strings owned by the struct artbag_info). */
struct artbag_info_elem {
    char *label;
    char *value;
};

/* One payload file: its size as stored and its digest as the manifest records it. */
struct artbag_info_file {
    char *path;            /* "data/article.md" */
    uint64_t bytes;        /* size in the bundle */
    const char *algorithm; /* "sha256", or NULL when no manifest lists the file */
    char *digest;          /* as recorded, NOT recomputed; NULL with algorithm */
};

/* What a bundle holds, read without unpacking and without checking. */
struct artbag_info {
    char *path;          /* the bundle as named */
    char *bag;           /* its bag directory name */
    char *metadata_json; /* data/metadata.json as stored (NUL-terminated), or NULL */
    struct artbag_info_elem *bag_info;
    size_t n_bag_info;
    struct artbag_info_file *files;
    size_t n_files;
    /* signatures the bag carries, NOT checked: valid and trusted are 0 here */
    struct artbag_signature *signatures;
    size_t n_signatures;
};

/*
 * Reads what the bundle at path (or input_fd when >= 0) says about itself: bag-info.txt,
 * data/metadata.json, and the payload files with sizes and recorded digests. Nothing is
 * verified: use artbag_verify() for that. On ARTBAG_OK the caller frees *out with
 * artbag_info_free(). ARTBAG_EREJECT: not a bag (no bagit.txt); ARTBAG_EIO: unreadable.
 */
ARTBAG_API int artbag_show(const char *path, int input_fd, struct artbag_info **out,
                           struct artbag_error *err);
/* The same within the budgets of opts (the rest of it is unused), reading opts->input_fd when
 * >= 0. Over a budget: ARTBAG_EIO, err naming the limit. artbag_show() uses the defaults. */
ARTBAG_API int artbag_show_limited(const char *path, const struct artbag_verify_options *opts,
                                   struct artbag_info **out, struct artbag_error *err);
/* Frees what artbag_show() returned; NULL is allowed. */
ARTBAG_API void artbag_info_free(struct artbag_info *info);
/*
 * A collection's data/catalog.jsonl as stored (one JSON object per article and line: slug,
 * title, published, source_url, sha256), NUL-terminated and owned by info; NULL when the bag
 * has none (one article, or another tool's bag). Only for an info from artbag_show().
 */
ARTBAG_API const char *artbag_info_catalog(const struct artbag_info *info);

/* ---- fixity audits (a ledger of every check) ----------------------------------------------- */

/*
 * A ledger: an SQLite database (WAL mode) that remembers every fixity check artbag audit made,
 * as append-only events chained by SHA-256 (README.md, "Audits", defines the canonical form).
 * Opaque; one thread at a time.
 */
struct artbag_ledger;

#define ARTBAG_LEDGER_READONLY 1u /* open to read (export, check): never created or changed */

/*
 * The default ledger path, $XDG_STATE_HOME/artbag/ledger.sqlite, else
 * $HOME/.local/state/artbag/ledger.sqlite; the caller frees *out. ARTBAG_EUSAGE when neither
 * variable is set to an absolute path.
 */
ARTBAG_API int artbag_audit_ledger_default(char **out, struct artbag_error *err);

/*
 * Opens the ledger at path, creating it (and its directory) unless flags has
 * ARTBAG_LEDGER_READONLY, and upgrading an older schema. wait_ms: how long to wait for a ledger
 * another process is writing. ARTBAG_EIO, with the ledger exactly as it was, for a file that is
 * not an artbag ledger, a newer schema, a read-only or locked ledger, or any SQLite error.
 */
ARTBAG_API int artbag_audit_ledger_open(const char *path, unsigned flags, int wait_ms,
                                        struct artbag_ledger **out, struct artbag_error *err);
/* Closes the ledger; NULL is allowed. */
ARTBAG_API void artbag_audit_ledger_close(struct artbag_ledger *l);

/* One check as recorded, handed to artbag_audit_options.on_event (borrowed for the call). */
struct artbag_audit_event {
    int64_t id;                         /* the event's row */
    const char *time;                   /* "2026-11-30T14:19:37.123Z" (UTC) */
    int64_t duration_ms;                /* how long the check took */
    const char *path;                   /* the bundle, absolute */
    uint64_t size;                      /* bytes of the archive (payload bytes for a directory) */
    int64_t mtime;                      /* seconds since the epoch */
    const char *identity;               /* SHA-256 of its tag manifest, or NULL */
    const char *external_identifier;    /* or NULL */
    const char *payload_oxum;           /* or NULL */
    const char *outcome;                /* "valid", "invalid", "unreadable" or "missing" */
    const struct artbag_report *report; /* the verification report, NULL unless read */
    const char *error;                  /* why it was unreadable, else NULL */
};

/* How artbag_audit_run() works. Initialise with artbag_audit_options_init(). */
struct artbag_audit_options {
    size_t size;        /* set by artbag_audit_options_init(): see the conventions */
    int threads;        /* bundles checked at once; 0: one per CPU */
    int64_t due;        /* seconds: check only bundles whose last good check is older; 0: all */
    int64_t budget;     /* seconds: start no check after this long; 0: no limit */
    uint64_t max_bytes; /* start no check once this many bundle bytes were checked; 0: none */
    unsigned shard;     /* check only share shard (0-based) of n_shards; n_shards 0: all */
    unsigned n_shards;
    const char *host; /* the agent's host name; NULL: gethostname() */
    /* called after each event is committed, in the calling thread (may be NULL) */
    void (*on_event)(void *ctx, const struct artbag_audit_event *ev);
    void *ctx;
    struct artbag_cancel_token *cancel; /* stops the audit when triggered; NULL: none */
    artbag_progress_fn on_progress;     /* may be NULL; items are bundles checked */
    void *progress_ctx;
};
ARTBAG_API void artbag_audit_options_init(struct artbag_audit_options *o);

/* What changed since the previous audit, one bundle each. */
struct artbag_audit_change {
    const char *kind; /* "new", "missing", "moved", "replaced", "failing", "recovered",
                         "duplicate" (static strings) */
    char *path;       /* the bundle now (for missing: where it was) */
    char *old_path;   /* moved: where it was; else NULL */
    char *identity;   /* its identity (SHA-256 of the tag manifest), or NULL */
    uint64_t copies;  /* duplicate: how many paths hold this identity */
};

struct artbag_audit_result {
    int64_t audit;    /* the audit's row in the ledger */
    int resumed;      /* continued an audit that had not finished */
    int stopped;      /* the budget ran out before every due bundle was checked */
    uint64_t found;   /* bundles found under the paths (this shard's) */
    uint64_t due;     /* of them, due for a check */
    uint64_t checked; /* checks recorded by this run */
    uint64_t valid, invalid, unreadable;
    uint64_t bytes; /* bundle bytes checked */
    struct artbag_audit_change *changes;
    size_t n_changes;
};
ARTBAG_API void artbag_audit_result_free(struct artbag_audit_result *r);

/*
 * Audits the bundles (archives by name, and bag directories: a directory holding bagit.txt)
 * found under each of paths: verifies each one due as artbag_verify() does and records one
 * event per check, each in its own transaction, then an event "missing" for each bundle the
 * ledger knew under these paths that is gone. An audit killed half way is resumed by the next
 * one with the same paths and shard. On ARTBAG_OK *out holds the result (free it with
 * artbag_audit_result_free()). ARTBAG_EIO: a path cannot be walked, the ledger cannot be
 * written (the event in progress is rolled back), or interrupted.
 */
ARTBAG_API int artbag_audit_run(struct artbag_ledger *l, const char *const *paths, size_t n_paths,
                                const struct artbag_audit_options *o,
                                struct artbag_audit_result **out, struct artbag_error *err);

/*
 * Checks the ledger: SQLite's integrity check, then every chain of events from its first, each
 * event's hash against its canonical form and its link to the one before, and the chain's
 * head. *broken (caller frees) is NULL when all is intact, else names the first broken link;
 * *events counts the events checked. ARTBAG_EIO: could not read it.
 */
ARTBAG_API int artbag_audit_check_ledger(struct artbag_ledger *l, char **broken, uint64_t *events,
                                         struct artbag_error *err);

/*
 * Merges the ledgers in[] (each opened read-only, refused like any ledger, and checked as
 * artbag_audit_check_ledger() does) into l: every audit and event, events keeping their chain,
 * seq and hashes, so each chain still verifies; an event merged before is not repeated. Each
 * input is one transaction. ARTBAG_EREJECT: an input's chain is broken (nothing of it merged);
 * ARTBAG_EIO: an input unusable, or events that conflict with l's.
 */
ARTBAG_API int artbag_audit_merge(struct artbag_ledger *l, const char *const *in, size_t n,
                                  struct artbag_error *err);

enum artbag_audit_format { ARTBAG_AUDIT_PREMIS, ARTBAG_AUDIT_CSV, ARTBAG_AUDIT_JSONL };

/*
 * Writes the ledger's events (those at or after since, an ISO 8601 date or time in UTC, when
 * not NULL) to fd as PREMIS 3.0 XML, CSV (RFC 4180, a header line) or JSON Lines.
 * ARTBAG_EUSAGE: since is not a date. ARTBAG_EIO: cannot read the ledger or write fd.
 */
ARTBAG_API int artbag_audit_export(struct artbag_ledger *l, int format, const char *since, int fd,
                                   struct artbag_error *err);

#ifdef __cplusplus
}
#endif

#endif /* ARTBAG_H */
