/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * ops.h - what the operations of the public header (pack.c, collect.c, verify.c, signbag.c,
 * unpack.c, show.c) share among themselves: the pieces of a bundle, the checker as verify sets
 * it up and concludes it, signing a bag.
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

/*
 * Reads the article name (or fd when >= 0) once, hashing it into d with every algorithm opts
 * asks for (artbag_digest_mask), and reads its metadata
 * into info with the options' overrides applied. Refuses an article without a title or an
 * absolute source URL, and one that is the file bundle_path (when non-NULL).
 */
int artbag_article_load(const char *name, int fd, const char *bundle_path,
                        const struct artbag_pack_options *opts, struct artbag_buf *article,
                        struct artbag_digests *d, struct artbag_article_info *info,
                        struct artbag_error *err);
/* bag-info.txt's elements in artbag's order; ext_id may be NULL (a collection has none). */
int artbag_baginfo_build(struct artbag_buf *out, const struct artbag_pack_options *o,
                         const char *ext_id, const char *desc, int64_t mtime, uint64_t bytes,
                         uint64_t files, const char *profile, struct artbag_error *err);
/* The algorithms a bag made with o gets manifests for: SHA-256 and o->digests (enum artbag_alg
 * bits, which the public ARTBAG_DIGEST_* equal). */
unsigned artbag_digest_mask(const struct artbag_pack_options *o);
/* Non-zero when mask holds an algorithm other than SHA-256 and SHA-512: profiles bundle-1.2 and
 * collection-1.1 allow only those two, so such a bag names bundle-1.3 or collection-1.2. */
static inline int artbag_digests_beyond_1_2(unsigned mask)
{
    return (mask & ~((1u << ARTBAG_SHA256) | (1u << ARTBAG_SHA512))) != 0;
}
/* A bag's payload manifests (or tag manifests): m[i] for each algorithm i in mask. */
struct artbag_manifests {
    unsigned mask;
    struct artbag_buf m[ARTBAG_N_ALGS];
};
void artbag_manifests_init(struct artbag_manifests *m, unsigned mask);
void artbag_manifests_release(struct artbag_manifests *m);
/* Adds path to each manifest with its digest from d (whose mask covers m's). ARTBAG_EIO: no
 * memory. */
int artbag_manifests_add(struct artbag_manifests *m, const struct artbag_digests *d,
                         const char *path);
/* out gets one tag manifest per algorithm of m, each over bag-info.txt, bagit.txt and every
 * payload manifest in m (never over another tag manifest). */
int artbag_tagmanifests_build(struct artbag_manifests *out, const struct artbag_buf *baginfo,
                              const struct artbag_buf *bagit, const struct artbag_manifests *m,
                              struct artbag_error *err);
/* Adds every manifest-ALG.txt of m, then every tagmanifest-ALG.txt of tm, SHA-256 first. */
int artbag_manifests_write(struct artbag_bundlew *w, const struct artbag_manifests *m,
                           const struct artbag_manifests *tm);
/*
 * Writes a single-article bundle at bundle_path (bag name bag) from an article already loaded
 * by artbag_article_load(); what artbag_pack() does after reading. The n_att files of att
 * become attachments (attach.c), streamed after the article and listed in its metadata.
 */
/* A file to attach: src as opened, rel its path in the bag ("data/attachments/x.html"). */
struct artbag_attach_src {
    const char *src;
    const char *rel;
};
int artbag_pack_loaded(const char *bundle_path, const char *bag,
                       const struct artbag_pack_options *opts, const struct artbag_seckey *key,
                       const struct artbag_buf *article, const struct artbag_digests *d,
                       const struct artbag_article_info *info, const struct artbag_attach_src *att,
                       size_t n_att, int bw_flags, struct artbag_pack_result *result,
                       struct artbag_error *err);
/* Checks the options pack and collections share. */
int artbag_pack_options_check(const struct artbag_pack_options *o, struct artbag_error *err);

/* ---- attach.c: attachments streamed into a bundle ----------------------------------------- */

/* One attachment as metadata.json lists it; path, given and media_type malloc'd. */
struct artbag_attachment {
    char *path;       /* inside the bag: "data/attachments/page.html" */
    char *given;      /* a duplicate's own path, where it would have been stored; else NULL */
    char *media_type; /* libmagic's MIME type, e.g. "text/html" */
    uint64_t bytes;
    char sha256[ARTBAG_SHA256_HEX];
    struct artbag_digests digests; /* every manifest algorithm; set only when stored */
};
void artbag_attachment_release(struct artbag_attachment *a);
/* Per call: libmagic's database, loaded once, and the digests stored so far in one bundle. */
struct artbag_attacher;
/* mask: the bag's manifest algorithms (enum artbag_alg bits; SHA-256 is always added). */
int artbag_attacher_new(struct artbag_attacher **out, unsigned mask, struct artbag_error *err);
void artbag_attacher_free(struct artbag_attacher *at);
/* A base name usable in a bag: not empty, . or .., no control character, UTF-8 in NFC. */
int artbag_attach_name_check(const char *name, struct artbag_error *err);
/*
 * Streams the regular file src into w as the entry rel (below the bag), hashing it as it is
 * written, into *a; when the bundle already holds the same bytes (same size and sha256), writes
 * nothing and points a->path at the stored copy (*stored = 0). A file that changes size or
 * content while read is an error ("changed while packing"); w is then unusable.
 */
int artbag_attach_write(struct artbag_attacher *at, struct artbag_bundlew *w, const char *src,
                        const char *rel, struct artbag_attachment *a, int *stored,
                        struct artbag_error *err);

/* ---- verify.c: the checker with what verify's options ask for ------------------------- */

/*
 * A bag checker (bagit/) for o, with the keys o->trust names and the profile o->profile names
 * loaded before a byte of the bag is read (a bad --trust is the caller's: ARTBAG_EUSAGE or
 * ARTBAG_EIO, err says which) and freed with the checker.
 */
int artbag_checker_new(struct artbag_bagcheck **out, struct artbag_report *r,
                       const struct artbag_verify_options *o, struct artbag_error *err);
/*
 * The steps after the reader's finish: every signature must match the tag manifest (with
 * --trust, one must be by a trusted key; with --require-signature, one must be there), then
 * the checker's conclude. ARTBAG_OK or ARTBAG_EIO (no memory).
 */
int artbag_checker_conclude(struct artbag_bagcheck *c, struct artbag_report *r);
/* Reads and parses the profile at path: ARTBAG_EIO when it cannot be read, ARTBAG_EUSAGE when
 * it is not a profile; the message names the file. */
int artbag_profile_load(const char *path, struct artbag_profile **out, struct artbag_error *err);
/*
 * Reads the archive at path (or descriptor fd when path is NULL) into the checker c and, when
 * extract is non-NULL, into extract too, then runs the checks into r, signatures and all.
 * ARTBAG_OK when r holds the verdict; ARTBAG_EIO when the archive cannot be opened (err says
 * why) or extract failed (extract recorded why); ARTBAG_EINTERNAL for no memory.
 */
int artbag_verify_archive(const char *path, int fd, const struct artbag_verify_options *o,
                          struct artbag_bagcheck *c, const struct artbag_sink *extract,
                          struct artbag_report *r, struct artbag_error *err);

/* ---- signbag.c: signing a bag ------------------------------------------------------------ */

/*
 * Appends a minisign signature over the tag manifest to out. Its trusted comment names the
 * time, the bag and the key id; its untrusted comment also carries the public key, so a
 * verifier without the key can still tell a damaged signature from a sound one.
 */
int artbag_sign_tagmanifest(const struct artbag_seckey *k, const void *tagmanifest, size_t len,
                            const char *bag, int64_t when, struct artbag_buf *out,
                            struct artbag_error *err);

#endif /* ARTBAG_OPS_H */
