/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * bagit/bagit.h - RFC 8493 and the bundle profile: writing and parsing the tag files (bagit.txt,
 * bag-info.txt, manifests, fetch.txt), BagIt Profiles, the report of findings, and the checker
 * that decides whether a bag is complete and valid from its entries as they stream past.
 *
 * It may use: util/util.h, crypto/digest.h (digests, never keys), jansson, iconv and utf8proc.
 * Pure: bytes and entries in, findings out. It never opens a file or an archive, never loads or
 * uses a key, never prints and never exits. Entries come from archive/ (or any other driver)
 * through struct artbag_sink; signatures are checked by the operations on what the checker kept.
 */
#ifndef ARTBAG_BAGIT_H
#define ARTBAG_BAGIT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/digest.h"
#include "util/util.h"

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
/* Why a decoded path cannot name a file inside the bag (a backslash, an empty, '.' or '..'
 * component), or NULL when it can. */
const char *artbag_path_fault(const char *p, size_t n);

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

/* A checker for o's limits (max_bytes, max_entries, threads, fast, input_fd); it reads no other
 * option: keys and the profile are the caller's. ARTBAG_EINTERNAL without memory. */
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
 * After the last entry: checks everything up to the signatures and fills the report. *rescan is
 * set when a manifest came after files it lists and their digests under its algorithm were not
 * computed: the driver then feeds every entry again after artbag_bagcheck_rescan() and calls
 * finish again. A driver that cannot re-read its source passes rescan NULL, and such files are
 * reported.
 *
 * Data flows one way: the reader feeds the checker and calls finish; the operation above it then,
 * when artbag_bagcheck_pending() says so, runs its signature step over what the checker kept
 * (artbag_bagcheck_signed_file(), artbag_bagcheck_each_signature()) and calls
 * artbag_bagcheck_conclude() for the checks that come after it in the report (coverage, one-pass
 * hashing, the profile) and the bag's identity. The checker never calls up into either.
 */
int artbag_bagcheck_finish(struct artbag_bagcheck *c, int *rescan);
/* 1 when finish got as far as the signatures, so the signature step and conclude are due. */
int artbag_bagcheck_pending(const struct artbag_bagcheck *c);
/* The checks after the signature step; ARTBAG_OK (also when nothing is pending) or ARTBAG_EIO. */
int artbag_bagcheck_conclude(struct artbag_bagcheck *c);
/* The signed tag manifest's bytes as kept: 1, or 0 when it is missing, not a file or too large. */
int artbag_bagcheck_signed_file(const struct artbag_bagcheck *c, const char **text, size_t *len);
/* Why a signature file's bytes were not kept (else 0). */
enum { ARTBAG_KEPT_TOO_LARGE = 1, ARTBAG_KEPT_OVER_TOTAL = 2 };
/* One signature file (artbag_signature_name()), with its bytes or why they were not kept. */
typedef int artbag_bagcheck_sig_fn(void *arg, const char *path, int not_kept, const char *text,
                                   size_t len);
/* Calls fn for each signature file of the bag in stream order (not duplicates), stopping at the
 * first status that is not ARTBAG_OK and returning it. */
int artbag_bagcheck_each_signature(const struct artbag_bagcheck *c, artbag_bagcheck_sig_fn *fn,
                                   void *arg);
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
/* The BagIt Profile conclude judges the bag against (borrowed; NULL: none). */
struct artbag_profile;
void artbag_bagcheck_set_profile(struct artbag_bagcheck *c, const struct artbag_profile *p);
/* Gives the checker its caller's state to free with it (release(owned) in
 * artbag_bagcheck_free()); the checker never looks inside. */
void artbag_bagcheck_attach(struct artbag_bagcheck *c, void *owned, void (*release)(void *));
void *artbag_bagcheck_attached(const struct artbag_bagcheck *c);

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

/* ---- signature files: where a bag keeps its signatures --------------------------------- */

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
/* The profile before metadata.json gained optional fields (issue 15); verify still reads it. */
#define ARTBAG_PROFILE_IDENTIFIER_1_1 "tag:artbag.org,2026:bagit-profile:bundle-1.1"
/*
 * The profile of a bundle with attachments (data/attachments/, metadata.json's "attachments")
 * or with manifests in sha384, sha224, sha1 or md5 (pack's digests option). Only such a bundle
 * names it: any other is what bundle-1.2 describes and names that, so its bytes stay what they
 * were, and a verifier holding the 1.2 document (which does not change) keeps accepting it.
 */
#define ARTBAG_PROFILE_IDENTIFIER_1_3 "tag:artbag.org,2026:bagit-profile:bundle-1.3"
/* The same for a collection with page bundles' attachments (data/<slug>/attachments/) or such
 * manifests. */
#define ARTBAG_COLLECTION_PROFILE_IDENTIFIER_1_2 "tag:artbag.org,2026:bagit-profile:collection-1.2"

/*
 * Whether a name (relative to the bag) holds a signature over ARTBAG_SIGNED_FILE: 1 for
 * "signatures/tagmanifest-sha256.txt.minisig" or a counter-signature
 * "signatures/tagmanifest-sha256.txt.KEYID.minisig" (KEYID: 16 upper-case hex digits); 2 for
 * the same two names at the top of the bag, where bundle-1.0 stored them; 0 for any other name.
 * Only these exact names are exempt from the rule that the signed tag manifest lists every tag
 * file (they cannot be listed in what they sign).
 */
int artbag_signature_name(const char *name);

#endif /* ARTBAG_BAGIT_H */
