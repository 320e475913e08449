/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * ops.h - what the operations of the public header (pack.c, collect.c, verify.c, signbag.c,
 * unpack.c, show.c) share among themselves: the pieces of a bundle, the bag readers as verify
 * drives them, signatures as tag files of a bag.
 *
 * The operations are the top of libartbag: they may use every layer below (article/, bagit/,
 * crypto/, archive/, util/), and nothing below includes this header. They never print and never
 * exit: the CLI does.
 */
#ifndef ARTBAG_OPS_H
#define ARTBAG_OPS_H

#include "archive/archive.h"
#include "article/article.h"
#include "bagit/bagit.h"
#include "crypto/digest.h"
#include "crypto/sign.h"
#include "util/fs.h"
#include "util/util.h"

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

/* ---- signbag.c: signatures as tag files of a bag ---------------------------------------- */

/*
 * Appends a minisign signature over the tag manifest to out. Its trusted comment names the
 * time, the bag and the key id; its untrusted comment also carries the public key, so a
 * verifier without the key can still tell a damaged signature from a sound one.
 */
int artbag_sign_tagmanifest(const struct artbag_seckey *k, const void *tagmanifest, size_t len,
                            const char *bag, int64_t when, struct artbag_buf *out,
                            struct artbag_error *err);

/*
 * Checks one signature file (text, len) over the tag manifest, against the trusted keys (or, for
 * an unknown signer, the public key the signature carries) and records the outcome in r:
 * a struct artbag_signature, and a "signature" problem when it is malformed or does not match.
 */
int artbag_signature_check(struct artbag_report *r, const char *file, const char *text, size_t len,
                           const void *tagmanifest, size_t tm_len, const struct artbag_trust *t);

#endif /* ARTBAG_OPS_H */
