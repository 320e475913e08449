/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* bagcheck.c - decides whether a bag is complete and valid (RFC 8493 section 3) from its
 * entries as they stream past once, whatever container they come from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bagit/bagit.h"

#define ALL_ALGS ((1u << ARTBAG_N_ALGS) - 1)

/*
 * Tag files at the top of the bag are kept in memory until the end, because they are parsed
 * only once the declared encoding (bagit.txt) is known. No honest tag file is this large; the
 * cap keeps a hostile one from exhausting memory.
 */
#define TAGFILE_MAX ((size_t)64 * 1024 * 1024)
/* ...and all of them together: enough for a payload and a tag manifest of that size and the
 * small tag files, so that a bag of many large tag files (signatures, say) cannot make verify
 * hold them all. */
#define KEPT_TOTAL_MAX ((size_t)160 * 1024 * 1024)
enum { TOO_LARGE_ITSELF = 1, TOO_LARGE_IN_ALL = 2 };
/* artbag's own metadata.json is kept to check it against bag-info and the manifest. */
#define METADATA_MAX  ((size_t)4 * 1024 * 1024)
#define METADATA_PATH "data/metadata.json"
#define ARTICLE_PATH  "data/article.md"

/*
 * Hashing moves to a thread of its own (hasher.c) once a bundle has streamed this many bytes,
 * or a file this large begins, and more than one thread is allowed: a small bundle is over
 * before a thread would pay off.
 */
#define ASYNC_AFTER ((uint64_t)4 * 1024 * 1024)

/* A payload manifest parsed as it streams is hashed like any tag file, with every algorithm
 * until a tag manifest says which (its text is not kept to hash at the end): beside the parse,
 * on the hashing thread once it is this large. */
#define STREAMED_ASYNC_AFTER ((uint64_t)256 * 1024)

/* Payload manifests one bag may hold: one per algorithm, and a few with unknown ones. */
#define MANIFESTS_MAX 32

/* What only a few entries need: the bytes of kept tag files (and, in the NFC index, the
 * original name), digests computed after the entry was made (a rescan, a kept file), and
 * digests a manifest expects that have no room in the entry. */
struct entry_side {
    struct artbag_buf content;
    unsigned char *dig; /* binary digests of the algorithms in dig_algs, in enum order */
    unsigned dig_algs;
    unsigned char *xdig; /* expected digests of xdig_algs, the same way */
    unsigned xdig_algs;
};

/*
 * One per name in the bag, so its size is the verify's memory per payload file: a collection
 * has millions. Entries live in an arena (no allocation each) and are found by 32-bit
 * references; each holds its name, the binary digests it was hashed with (inl) and the digests
 * a payload manifest expects of it (xinl). A manifest line that names a file not seen yet makes
 * an entry of type 0, which the file takes over when it comes; type 0 is never in the order.
 */
struct entry {
    uint64_t size;
    struct entry_side *side; /* NULL for most */
    struct entry *order;     /* stream order */
    uint32_t next;           /* hash chain */
    unsigned char listed;    /* bit alg: named by the payload manifest of alg */
    unsigned char algs;      /* digests computed; its own byte, as the hashing thread sets it */
    unsigned char inl;       /* room for computed digests after the name */
    unsigned char xinl;      /* room for expected digests after those */
    unsigned char xsame;     /* expected digests equal to the computed ones when listed */
    unsigned char type;      /* enum artbag_entry_type, or 0: only listed so far */
    unsigned covered : 1;    /* named by the signed tag manifest */
    unsigned kept : 1;       /* kept tag files and metadata.json: their bytes are in side */
    unsigned too_large : 2;
    unsigned duplicate : 1;
    unsigned incomplete : 1; /* the stream broke inside it */
    unsigned streamed : 1;   /* a payload manifest parsed as it streamed, not kept */
    char path[];             /* then the inl digests, then the xinl ones */
};

/* Arena chunks: a reference is the chunk's number and the 8-byte unit within it; 0 is none. */
#define CHUNK_SHIFT 20
#define CHUNK_SIZE  ((size_t)1 << CHUNK_SHIFT)
#define UNIT_SHIFT  3

struct arena {
    char **chunks;
    size_t n, cap;
    size_t used; /* in the last chunk */
};

/* A payload manifest's lines, in order, as references to the entries they name. */
struct mline {
    uint32_t ref;
    uint32_t no; /* line number */
};
struct mraw {
    size_t pos; /* in lines */
    char *raw;  /* the path as written, when decoding changed it */
};
enum { MS_NONE, MS_STREAMING, MS_DONE, MS_FAILED };
struct mstream {
    int state;
    struct entry *e; /* the manifest */
    struct artbag_manifest_stream *parser;
    struct artbag_report *r; /* its parse's findings, added to the report in turn */
    struct mline *lines;
    size_t n, cap;
    struct mraw *raws;
    size_t n_raws, cap_raws;
    uint64_t fed; /* bytes, as if kept */
};
struct artbag_bagcheck {
    struct artbag_report *r;
    int fast;
    uint64_t max_bytes, total_bytes;
    uint64_t max_entries; /* bounds the lines of a streamed manifest */
    struct arena arena;
    uint32_t *buckets; /* references */
    size_t n_buckets, n_entries;
    struct entry *first, *last;
    struct entry_side **sides; /* every side, to free */
    size_t n_sides, cap_sides;
    struct entry *cur; /* entry being streamed, or NULL when its data is ignored */
    unsigned cur_mask; /* algorithms cur is being hashed with */
    struct artbag_multihash *mh;
    struct artbag_hasher *hasher;    /* hashes on its own thread, once started */
    int async_ok;                    /* a hashing thread may be started */
    int cur_async;                   /* cur's bytes go to the hasher */
    int hash_failed;                 /* a drain found the hasher failed */
    unsigned payload_algs, tag_algs; /* from manifest names seen so far */
    size_t kept_bytes;               /* held in kept entries' content, or streamed */
    int rescanning;
    int stopped;            /* a limit was hit: later entries are ignored */
    int one_pass;           /* the source cannot be read again (standard input) */
    unsigned predicted;     /* one_pass: payload algorithms to hash with... */
    size_t predicted_from;  /* ...as the tag manifests seen so far announce (their count) */
    size_t tagmanifests;    /* tag manifests seen */
    uint64_t unverifiable;  /* one_pass: listed files hashed without a manifest's algorithm */
    char late_manifest[64]; /* the first manifest that came too late for them */
    int require_coverage;   /* every tag file in the signed tag manifest (--trust, signing...) */
    struct artbag_bagcheck *nfc;          /* NFC form -> original name, built at the first miss */
    struct artbag_report *nfc_report;     /* what the index needs to exist; never read */
    const struct artbag_profile *profile; /* --profile (the caller's), judged by conclude */
    void *attached;                       /* the caller's, freed with the checker */
    void (*attached_release)(void *);
    struct parsed *fin; /* what finish parsed, while the caller's step and conclude are due */
    int container, compression; /* what the reader read the bag from */
    /* bagit.txt as read when it ended, so payload manifests are parsed as they stream */
    int decl_known, decl_utf8, decl_encoded;
    struct mstream ms[ARTBAG_N_ALGS]; /* payload manifests, by algorithm */
};

static uint64_t path_hash(const char *s)
{
    return artbag_hash_bytes(s, strlen(s));
}

static struct entry *at(const struct artbag_bagcheck *c, uint32_t ref)
{
    if (!ref)
        return NULL;
    return (
        struct entry *)(c->arena.chunks[ref >> (CHUNK_SHIFT - UNIT_SHIFT)] +
                        ((size_t)(ref & ((1u << (CHUNK_SHIFT - UNIT_SHIFT)) - 1)) << UNIT_SHIFT));
}

/* Room for size bytes, zeroed, and its reference; NULL without memory (or references). An
 * entry larger than a chunk (a name of a megabyte) gets a chunk of its own. */
static void *arena_alloc(struct arena *a, size_t size, uint32_t *ref)
{
    size_t off;

    size = (size + (1u << UNIT_SHIFT) - 1) & ~(size_t)((1u << UNIT_SHIFT) - 1);
    if (!a->n || a->used + size > CHUNK_SIZE) {
        char *chunk;

        if (a->n >= ((size_t)1 << (32 - CHUNK_SHIFT + UNIT_SHIFT)))
            return NULL;
        if (a->n == a->cap) {
            size_t ncap = a->cap ? a->cap * 2 : 16;
            char **grown = realloc(a->chunks, ncap * sizeof(*grown));

            if (!grown)
                return NULL;
            a->chunks = grown;
            a->cap = ncap;
        }
        if (!(chunk = calloc(1, size > CHUNK_SIZE ? size : CHUNK_SIZE)))
            return NULL;
        a->chunks[a->n++] = chunk;
        /* Unit 0 of chunk 0 stays unused: reference 0 means none. */
        a->used = a->n == 1 ? (1u << UNIT_SHIFT) : 0;
    }
    off = a->used;
    a->used += size;
    *ref = (uint32_t)(((a->n - 1) << (CHUNK_SHIFT - UNIT_SHIFT)) | (off >> UNIT_SHIFT));
    return a->chunks[a->n - 1] + off;
}

static void arena_release(struct arena *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->chunks[i]);
    free(a->chunks);
    memset(a, 0, sizeof(*a));
}

/* Any entry of that name, also one only a manifest line has named so far. */
static struct entry *lookup_any(const struct artbag_bagcheck *c, const char *path, uint64_t h)
{
    struct entry *e = at(c, c->buckets[h & (c->n_buckets - 1)]);

    for (; e; e = at(c, e->next))
        if (strcmp(e->path, path) == 0)
            return e;
    return NULL;
}

/* The entry of a name the bag holds. */
static struct entry *lookup_hashed(const struct artbag_bagcheck *c, const char *path, uint64_t h)
{
    struct entry *e = lookup_any(c, path, h);

    return e && e->type ? e : NULL;
}

static struct entry *lookup(const struct artbag_bagcheck *c, const char *path)
{
    return lookup_hashed(c, path, path_hash(path));
}

/* e's reference, found again along its chain (h: its name's hash; references are not kept in
 * entries). */
static uint32_t ref_of(const struct artbag_bagcheck *c, const struct entry *e, uint64_t h)
{
    uint32_t ref = c->buckets[h & (c->n_buckets - 1)];

    while (at(c, ref) != e)
        ref = at(c, ref)->next;
    return ref;
}

/* The names' hashes are not kept (8 bytes an entry): growing, rare, computes them again. */
static int grow(struct artbag_bagcheck *c)
{
    size_t n = c->n_buckets * 2;
    uint32_t *b = calloc(n, sizeof(*b));

    if (!b)
        return ARTBAG_EIO;
    for (size_t k = 0; k < c->n_buckets; k++) {
        uint32_t ref = c->buckets[k];

        while (ref) {
            struct entry *e = at(c, ref);
            uint32_t next = e->next;
            size_t i = path_hash(e->path) & (n - 1);

            e->next = b[i];
            b[i] = ref;
            ref = next;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
    return ARTBAG_OK;
}

static size_t digest_len(int alg)
{
    return artbag_alg_hex_len(alg) / 2;
}

/* Bytes taken by the digests of the algorithms in algs, and where alg's starts among them. */
static size_t digests_len(unsigned algs)
{
    size_t n = 0;

    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if (algs & (1u << i))
            n += digest_len(i);
    return n;
}

static size_t digest_off(unsigned algs, int alg)
{
    return digests_len(algs & ((1u << alg) - 1));
}

/* alg's binary digest of e, or NULL when it was not computed. */
static unsigned char *digest_of(struct entry *e, int alg)
{
    if (e->inl & (1u << alg))
        return (unsigned char *)e->path + strlen(e->path) + 1 + digest_off(e->inl, alg);
    if (e->side && (e->side->dig_algs & (1u << alg)))
        return e->side->dig + digest_off(e->side->dig_algs, alg);
    return NULL;
}

/* alg's digest of e in lower-case hex, as manifests have it, or NULL when not computed. */
static const char *hex_of(struct entry *e, int alg, char hex[ARTBAG_HEX_MAX])
{
    const unsigned char *d = (e->algs & (1u << alg)) ? digest_of(e, alg) : NULL;

    if (!d)
        return NULL;
    artbag_hex(d, digest_len(alg), hex);
    return hex;
}

/* The digest of alg that a payload manifest expects of e, or NULL when none listed it. */
static const unsigned char *expected_of(struct entry *e, int alg)
{
    unsigned bit = 1u << alg;

    if (e->xsame & bit)
        return digest_of(e, alg);
    if (e->xinl & bit)
        return (unsigned char *)e->path + strlen(e->path) + 1 + digests_len(e->inl) +
               digest_off(e->xinl, alg);
    if (e->side && (e->side->xdig_algs & bit))
        return e->side->xdig + digest_off(e->side->xdig_algs, alg);
    return NULL;
}

static struct entry_side *side_of(struct artbag_bagcheck *c, struct entry *e)
{
    struct entry_side *s;

    if (e->side)
        return e->side;
    if (c->n_sides == c->cap_sides) {
        size_t ncap = c->cap_sides ? c->cap_sides * 2 : 16;
        struct entry_side **grown = realloc(c->sides, ncap * sizeof(*grown));

        if (!grown)
            return NULL;
        c->sides = grown;
        c->cap_sides = ncap;
    }
    if (!(s = calloc(1, sizeof(*s))))
        return NULL;
    c->sides[c->n_sides++] = s;
    e->side = s;
    return s;
}

static const struct artbag_buf no_content = ARTBAG_BUF_INIT;

static const struct artbag_buf *content_of(const struct entry *e)
{
    return e->side ? &e->side->content : &no_content;
}

static void append_order(struct artbag_bagcheck *c, struct entry *e)
{
    if (c->last)
        c->last->order = e;
    else
        c->first = e;
    c->last = e;
}

/* inl and xinl: the algorithms whose computed and expected digests get room in the entry
 * itself. A file (type non-zero) is put in the order at once; a name only listed is not. */
static struct entry *insert_hashed(struct artbag_bagcheck *c, const char *path, uint64_t h,
                                   int type, unsigned inl, unsigned xinl)
{
    struct entry *e;
    size_t i, len;
    uint32_t ref;

    /* Up to one name a bucket: the chains stay short and the table small. */
    if (c->n_entries + 1 > c->n_buckets && grow(c) != ARTBAG_OK)
        return NULL;
    len = strlen(path);
    e = arena_alloc(&c->arena,
                    offsetof(struct entry, path) + len + 1 + digests_len(inl) + digests_len(xinl),
                    &ref);
    if (!e)
        return NULL;
    memcpy(e->path, path, len + 1);
    e->type = (unsigned char)type;
    e->inl = (unsigned char)inl;
    e->xinl = (unsigned char)xinl;
    i = h & (c->n_buckets - 1);
    e->next = c->buckets[i];
    c->buckets[i] = ref;
    if (type)
        append_order(c, e);
    c->n_entries++;
    return e;
}

static void mstream_release(struct mstream *m);
static void fin_release(struct artbag_bagcheck *c);

static struct entry *insert(struct artbag_bagcheck *c, const char *path, int type)
{
    return insert_hashed(c, path, path_hash(path), type, 0, 0);
}

static void entry_side_free(struct entry_side *s)
{
    artbag_buf_release(&s->content);
    free(s->dig);
    free(s->xdig);
    free(s);
}

int artbag_bagcheck_new(struct artbag_bagcheck **out, struct artbag_report *r,
                        const struct artbag_verify_options *o, struct artbag_error *err)
{
    struct artbag_bagcheck *c = calloc(1, sizeof(*c));

    *out = NULL;
    if (!c)
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    c->one_pass = o->input_fd >= 0;
    c->r = r;
    c->fast = o->fast;
    c->async_ok = o->threads != 1;
    c->max_bytes = o->max_bytes;
    c->max_entries = o->max_entries;
    c->n_buckets = 64;
    c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
    if (!c->buckets || artbag_multihash_new(&c->mh) != ARTBAG_OK) {
        artbag_bagcheck_free(c);
        return artbag_error_set(err, ARTBAG_EIO, "out of memory");
    }
    r->fixity = !o->fast;
    *out = c;
    return ARTBAG_OK;
}

uint64_t artbag_bagcheck_max_bytes(const struct artbag_bagcheck *c)
{
    return c->max_bytes;
}

void artbag_bagcheck_free(struct artbag_bagcheck *c)
{
    if (!c)
        return;
    /* The hashing thread writes into entries: it stops before they go. */
    artbag_hasher_free(c->hasher);
    for (size_t i = 0; i < c->n_sides; i++)
        entry_side_free(c->sides[i]);
    free(c->sides);
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        mstream_release(&c->ms[i]);
    arena_release(&c->arena);
    free(c->buckets);
    artbag_multihash_free(c->mh);
    artbag_bagcheck_free(c->nfc);
    artbag_report_free(c->nfc_report);
    fin_release(c);
    if (c->attached_release)
        c->attached_release(c->attached);
    free(c);
}

void artbag_bagcheck_require_coverage(struct artbag_bagcheck *c)
{
    c->require_coverage = 1;
}

void artbag_bagcheck_set_profile(struct artbag_bagcheck *c, const struct artbag_profile *p)
{
    c->profile = p;
}

void artbag_bagcheck_attach(struct artbag_bagcheck *c, void *owned, void (*release)(void *))
{
    c->attached = owned;
    c->attached_release = release;
}

void *artbag_bagcheck_attached(const struct artbag_bagcheck *c)
{
    return c->attached;
}

/* Tag files whose text the checker reads: bagit.txt, bag-info.txt, fetch.txt, manifests (all
 * top-level), and signatures. */
static int is_kept_tag(const char *path)
{
    int alg, is_tag;

    if (artbag_signature_name(path))
        return 1;
    if (strchr(path, '/'))
        return 0;
    /* A manifest of an algorithm artbag does not know is never read, so never kept. */
    return strcmp(path, "bagit.txt") == 0 || strcmp(path, "bag-info.txt") == 0 ||
           strcmp(path, "fetch.txt") == 0 || artbag_manifest_name(path, &alg, &is_tag) == 1;
}

static int is_payload(const char *path)
{
    return strncmp(path, "data/", 5) == 0;
}

static int hex_value(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : 0;
}

/* Makes room on the side for the digests of algs that have none in the entry. */
static int side_digests(struct entry_side *s, struct entry *e, unsigned algs)
{
    unsigned want;
    unsigned char *dig;

    if (!s)
        return ARTBAG_EIO;
    want = s->dig_algs | (algs & ~(unsigned)e->inl);
    if (want == s->dig_algs)
        return ARTBAG_OK;
    if (!(dig = calloc(1, digests_len(want))))
        return ARTBAG_EIO;
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if (s->dig_algs & (1u << i))
            memcpy(dig + digest_off(want, i), s->dig + digest_off(s->dig_algs, i), digest_len(i));
    free(s->dig);
    s->dig = dig;
    s->dig_algs = want;
    return ARTBAG_OK;
}

/* Makes room for the digests of mask, before they are computed: on the side when the entry has
 * none, which only this thread allocates. */
static int prepare_digests(struct artbag_bagcheck *c, struct entry *e, unsigned mask)
{
    if (!(mask & ~(unsigned)e->inl))
        return ARTBAG_OK;
    return side_digests(side_of(c, e), e, mask);
}

/* Records a file's digests, as bytes; runs on the hashing thread when there is one, and
 * allocates nothing: prepare_digests() made the room. */
static int store_digests(void *target, unsigned mask, char hex[][ARTBAG_HEX_MAX])
{
    struct entry *e = target;

    if ((mask & ~(unsigned)e->inl) && side_digests(e->side, e, mask) != ARTBAG_OK)
        return ARTBAG_EIO;
    for (int i = 0; i < ARTBAG_N_ALGS; i++) {
        unsigned char *d;

        if (!(mask & (1u << i)))
            continue;
        d = digest_of(e, i);
        for (size_t j = 0; j < digest_len(i); j++)
            d[j] = (unsigned char)(hex_value(hex[i][2 * j]) << 4 | hex_value(hex[i][2 * j + 1]));
    }
    e->algs |= mask;
    return ARTBAG_OK;
}

/*
 * The payload algorithms a one-pass reader must hash with: those of the payload manifests seen,
 * and those the tag manifests seen name (a bag's tag manifest lists its payload manifests, and
 * writers put tag files first). With no tag manifest read yet, or one that names no payload
 * manifest (a tag file in an encoding this scan cannot read), every algorithm.
 */
static unsigned predict_payload_algs(struct artbag_bagcheck *c)
{
    unsigned listed = 0;

    if (c->predicted_from == c->tagmanifests && c->predicted)
        return c->predicted | c->payload_algs;
    for (struct entry *e = c->first; e && c->tagmanifests; e = e->order) {
        int alg, is_tag;
        const char *line, *end;

        if (!e->kept || strchr(e->path, '/') || artbag_manifest_name(e->path, &alg, &is_tag) != 1 ||
            !is_tag || !content_of(e)->data)
            continue;
        for (line = content_of(e)->data; line < content_of(e)->data + content_of(e)->len;
             line = end + 1) {
            const char *name;
            char buf[64];
            size_t n;

            end = memchr(line, '\n', (size_t)(content_of(e)->data + content_of(e)->len - line));
            if (!end)
                end = content_of(e)->data + content_of(e)->len;
            for (name = line; name < end && *name != ' ' && *name != '\t'; name++)
                ;
            while (name < end && (*name == ' ' || *name == '\t'))
                name++;
            n = (size_t)(end - name);
            if (n && name[n - 1] == '\r')
                n--;
            if (n >= sizeof(buf))
                continue;
            memcpy(buf, name, n);
            buf[n] = '\0';
            if (artbag_manifest_name(buf, &alg, &is_tag) == 1 && !is_tag)
                listed |= 1u << alg;
        }
    }
    c->predicted = listed ? listed : ALL_ALGS;
    c->predicted_from = c->tagmanifests;
    return c->predicted | c->payload_algs;
}

/* Waits for the hashing thread, if any, so the digests it stored can be read. */
static int hashes_ready(struct artbag_bagcheck *c)
{
    if (c->hasher && artbag_hasher_drain(c->hasher) != ARTBAG_OK)
        c->hash_failed = 1;
    return c->hash_failed ? ARTBAG_EIO : ARTBAG_OK;
}

/* Digests of kept files come from their bytes; they were not hashed as they streamed. */
static int hash_kept(struct artbag_bagcheck *c, struct entry *e, unsigned want)
{
    char hex[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];
    unsigned mask = want & ~e->algs;

    if (e->too_large || !mask)
        return ARTBAG_OK;
    /* The streaming context is idle once the entries are read: no allocation per tag file.
     * Only the algorithm a manifest asks for: a collection's manifest is megabytes. */
    if (artbag_multihash_reset(c->mh, mask) != ARTBAG_OK ||
        artbag_multihash_update(c->mh, content_of(e)->data ? content_of(e)->data : "",
                                content_of(e)->len) != ARTBAG_OK ||
        artbag_multihash_final(c->mh, hex) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (prepare_digests(c, e, mask) != ARTBAG_OK)
        return ARTBAG_EIO;
    return store_digests(e, mask, hex);
}

/* ---- payload manifests, parsed as they stream ------------------------------------------ */

static void mstream_release(struct mstream *m)
{
    artbag_manifest_stream_free(m->parser);
    artbag_report_free(m->r);
    free(m->lines);
    for (size_t i = 0; i < m->n_raws; i++)
        free(m->raws[i].raw);
    free(m->raws);
    memset(m, 0, sizeof(*m));
}

/* The findings, lines and parser of m go; which manifest it is stays. */
static void mstream_drop(struct mstream *m, int state)
{
    struct entry *e = m->e;
    uint64_t fed = m->fed;

    mstream_release(m);
    m->e = e;
    m->fed = fed;
    m->state = state;
}

static void hex_to_bin(const char *hex, size_t n, unsigned char *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = (unsigned char)(hex_value(hex[2 * j]) << 4 | hex_value(hex[2 * j + 1]));
}

/* Where line number of the line that first listed e in m, or 0 when it is not found. */
static size_t first_line(const struct artbag_bagcheck *c, const struct mstream *m,
                         const struct entry *e)
{
    for (size_t i = 0; i < m->n; i++)
        if (at(c, m->lines[i].ref) == e)
            return m->lines[i].no;
    return 0;
}

struct claim_ctx {
    struct artbag_bagcheck *c;
    struct mstream *m;
    int alg;
};

/*
 * A manifest line names path: the name gets an entry (one only listed so far if the file has
 * not come), marked as listed by this manifest, with the digest the line expects: in the entry
 * when it was made by a line, as "the same" when the file is already hashed and agrees, else on
 * the side. The line's place is kept, so findings come in the manifest's order at the end.
 */
static int claim(void *arg, const char *path, size_t path_n, const char *raw, size_t raw_n,
                 const char *digest, size_t digest_n, size_t no, size_t *first, int *alike)
{
    struct claim_ctx *x = arg;
    struct artbag_bagcheck *c = x->c;
    struct mstream *m = x->m;
    unsigned bit = 1u << x->alg;
    size_t dlen = digest_len(x->alg);
    unsigned char want[ARTBAG_HEX_MAX / 2];
    const unsigned char *have;
    uint64_t h = artbag_hash_bytes(path, path_n);
    struct entry *e = lookup_any(c, path, h);
    uint32_t ref;

    if (digest_n != 2 * dlen || no > UINT32_MAX)
        return -1;
    hex_to_bin(digest, dlen, want);
    if (e && (e->listed & bit)) {
        /* Only a kept finding needs the first line: a hostile manifest of many repeats costs
         * one scan per finding kept, not per line. */
        *first = artbag_report_keeps(m->r, ARTBAG_PROBLEM, "manifest") ||
                         artbag_report_keeps(m->r, ARTBAG_WARNING, "manifest")
                     ? first_line(c, m, e)
                     : 0;
        have = expected_of(e, x->alg);
        *alike = have && memcmp(have, want, dlen) == 0;
        return 0;
    }
    if (!e && !(e = insert_hashed(c, path, h, 0, c->payload_algs | bit, bit)))
        return -1;
    e->listed |= bit;
    if (e->xinl & bit) {
        memcpy((unsigned char *)expected_of(e, x->alg), want, dlen);
    } else if ((e->algs & bit) && memcmp(digest_of(e, x->alg), want, dlen) == 0) {
        e->xsame |= bit;
    } else {
        struct entry_side *s = side_of(c, e);
        unsigned wantx;
        unsigned char *d;

        if (!s)
            return -1;
        wantx = s->xdig_algs | bit;
        if (!(d = calloc(1, digests_len(wantx))))
            return -1;
        for (int i = 0; i < ARTBAG_N_ALGS; i++)
            if (s->xdig_algs & (1u << i))
                memcpy(d + digest_off(wantx, i), s->xdig + digest_off(s->xdig_algs, i),
                       digest_len(i));
        memcpy(d + digest_off(wantx, x->alg), want, dlen);
        free(s->xdig);
        s->xdig = d;
        s->xdig_algs = wantx;
    }
    ref = ref_of(c, e, h);
    if (m->n == m->cap) {
        struct mline *grown = artbag_array_grow(m->lines, &m->cap, m->n, sizeof(*grown), 1024);

        if (!grown)
            return -1;
        m->lines = grown;
    }
    if (raw) {
        if (m->n_raws == m->cap_raws) {
            struct mraw *grown =
                artbag_array_grow(m->raws, &m->cap_raws, m->n_raws, sizeof(*grown), 16);

            if (!grown)
                return -1;
            m->raws = grown;
        }
        if (!(m->raws[m->n_raws].raw = malloc(raw_n + 1)))
            return -1;
        memcpy(m->raws[m->n_raws].raw, raw, raw_n);
        m->raws[m->n_raws].raw[raw_n] = '\0';
        m->raws[m->n_raws++].pos = m->n;
    }
    m->lines[m->n].ref = ref;
    m->lines[m->n++].no = (uint32_t)no;
    return 1;
}

/* Starts parsing the payload manifest of alg; its findings wait in a report of their own. */
static int mstream_start(struct artbag_bagcheck *c, int alg, int encoded)
{
    struct mstream *m = &c->ms[alg];

    if (!(m->r = artbag_report_new("")) ||
        artbag_manifest_stream_new(&m->parser, m->e->path, alg, encoded, claim, NULL, m->r) !=
            ARTBAG_OK)
        return ARTBAG_EIO;
    artbag_manifest_stream_set_max_lines(m->parser, (size_t)c->max_entries);
    m->state = MS_STREAMING;
    return ARTBAG_OK;
}

/* Feeds bytes of the payload manifest of alg to its parser. */
static int mstream_feed(struct artbag_bagcheck *c, int alg, const char *buf, size_t len, int last)
{
    struct mstream *m = &c->ms[alg];
    struct claim_ctx x = {c, m, alg};
    int rc;

    if (m->state != MS_STREAMING)
        return ARTBAG_OK;
    artbag_manifest_stream_set_arg(m->parser, &x);
    rc = len ? artbag_manifest_stream_feed(m->parser, buf, len) : ARTBAG_OK;
    if (rc == ARTBAG_OK && last)
        rc = artbag_manifest_stream_end(m->parser);
    if (rc == ARTBAG_EREJECT) {
        /* Not UTF-8: as when the whole text is decoded at the end, the manifest is not read
         * at all, and that is its one finding. So too past what a streamed manifest may
         * cost. */
        size_t bad = artbag_manifest_stream_bad_at(m->parser), line = 0;
        int over = artbag_manifest_stream_over(m->parser, &line);

        mstream_drop(m, MS_FAILED);
        if (!(m->r = artbag_report_new("")))
            return ARTBAG_EIO;
        if (over == ARTBAG_MSTREAM_LONG_LINE)
            rc = artbag_report_add(m->r, ARTBAG_PROBLEM, "too-large", m->e->path, NULL, NULL,
                                   "line %zu is longer than %zu KiB, longer than any line that "
                                   "names a file; not read",
                                   line, ARTBAG_MSTREAM_LINE_MAX >> 10);
        else if (over == ARTBAG_MSTREAM_MANY_LINES)
            rc = artbag_report_add(
                m->r, ARTBAG_PROBLEM, "too-large", m->e->path, NULL, NULL,
                "lists more than %llu files, more entries than the max_entries option "
                "allows a bundle; not read",
                (unsigned long long)c->max_entries);
        else
            rc = artbag_report_add(m->r, ARTBAG_PROBLEM, "encoding", m->e->path, NULL, NULL,
                                   "invalid UTF-8 at byte offset %zu", bad);
        return rc == ARTBAG_OK ? ARTBAG_OK : ARTBAG_EIO;
    }
    if (rc == ARTBAG_OK && last) {
        artbag_manifest_stream_free(m->parser);
        m->parser = NULL;
        m->state = MS_DONE;
    }
    return rc;
}

/*
 * bagit.txt has come: with its encoding UTF-8, payload manifests are parsed from now on as
 * they stream, and those that came before it are parsed now and their text let go (once hashed
 * with every algorithm a tag manifest might list them with).
 */
static int bagit_known(struct artbag_bagcheck *c, struct entry *e)
{
    struct artbag_report *scratch = artbag_report_new("");
    struct artbag_bagit_decl decl = {0, 0, NULL};
    int rc = ARTBAG_OK;

    if (!scratch)
        return ARTBAG_EIO;
    if (!e->too_large && !e->duplicate &&
        artbag_bagit_txt_parse(content_of(e)->data ? content_of(e)->data : "", content_of(e)->len,
                               &decl, scratch) == ARTBAG_OK) {
        c->decl_known = 1;
        c->decl_utf8 = artbag_encoding_is_utf8(decl.encoding);
        c->decl_encoded = decl.major != 0;
    }
    artbag_bagit_decl_release(&decl);
    artbag_report_free(scratch);
    if (!c->decl_known || !c->decl_utf8)
        return ARTBAG_OK;
    if ((rc = hashes_ready(c)) != ARTBAG_OK)
        return rc;
    for (int alg = 0; alg < ARTBAG_N_ALGS && rc == ARTBAG_OK; alg++) {
        struct mstream *m = &c->ms[alg];
        struct entry *me = m->e;

        if (!me || m->state != MS_NONE || !me->kept || me->too_large || me->duplicate ||
            me->incomplete || me == c->cur)
            continue;
        if (!c->fast && (rc = hash_kept(c, me, ALL_ALGS)) != ARTBAG_OK)
            break;
        if ((rc = mstream_start(c, alg, c->decl_encoded)) == ARTBAG_OK)
            rc = mstream_feed(c, alg, content_of(me)->data, content_of(me)->len, 1);
        artbag_buf_release(&me->side->content);
    }
    return rc;
}

int artbag_bagcheck_begin(struct artbag_bagcheck *c, const char *path, int type, uint64_t size)
{
    struct entry *e, *listed;
    uint64_t h;
    unsigned mask = 0;
    int alg, is_tag, kept = 0, streamed = 0, pm = -1;

    c->cur = NULL;
    if (c->stopped)
        return ARTBAG_EREJECT;
    if (c->rescanning) {
        /* Second pass: only files that lack a digest some manifest needs get hashed. */
        e = lookup(c, path);
        if (!e || e->duplicate || e->type != ARTBAG_ENTRY_FILE || e->kept)
            return ARTBAG_OK;
        mask = (is_payload(path) ? c->payload_algs : c->tag_algs) & ~e->algs;
        if (!mask)
            return ARTBAG_OK;
        if (prepare_digests(c, e, mask) != ARTBAG_OK)
            return ARTBAG_EIO;
        c->cur = e;
        c->cur_mask = mask;
        return artbag_multihash_reset(c->mh, mask) == ARTBAG_OK ? ARTBAG_OK : ARTBAG_EIO;
    }
    h = path_hash(path);
    listed = lookup_any(c, path, h);
    e = listed && listed->type ? listed : NULL;
    if (e) {
        /* A directory entry may be repeated harmlessly by some writers; a file may not. */
        if (type == ARTBAG_ENTRY_DIR && e->type == ARTBAG_ENTRY_DIR)
            return ARTBAG_OK;
        e->duplicate = 1;
        return artbag_report_add(c->r, ARTBAG_PROBLEM, "duplicate-entry", path, NULL, NULL,
                                 "appears more than once") == ARTBAG_OK
                   ? ARTBAG_OK
                   : ARTBAG_EIO;
    }
    if (type == ARTBAG_ENTRY_FILE) {
        if (artbag_manifest_name(path, &alg, &is_tag) == 1 && !strchr(path, '/')) {
            if (is_tag) {
                c->tag_algs |= 1u << alg;
                c->tagmanifests++;
            } else {
                c->payload_algs |= 1u << alg;
                pm = alg;
                /* Parsed as it streams when its encoding is known to be UTF-8; else kept. */
                streamed = c->decl_known && c->decl_utf8;
            }
        }
        kept = !streamed && (is_kept_tag(path) || strcmp(path, METADATA_PATH) == 0);
        if (kept) {
            mask = 0; /* hashed from the kept bytes at the end, with whatever algorithms apply */
        } else if (c->fast) {
            mask = 0;
        } else if (c->one_pass) {
            /* No second pass to fall back on: a manifest may still follow (GNU tar puts a
             * bag's manifests wherever the directory order has them), so hash with every
             * algorithm one might use, unless the tag manifests already read say which payload
             * manifests exist. */
            mask = is_payload(path) ? predict_payload_algs(c) : ALL_ALGS;
        } else if (is_payload(path)) {
            /* Before any payload manifest is seen: the algorithms the tag manifests read so far
             * announce, else the two RFC 8493 2.4 asks of 1.0 bags. Every digest is kept until
             * the end, so all six would make the entry table three times as large; a manifest
             * of another algorithm costs a second pass over the files it lists instead. */
            mask = c->payload_algs   ? c->payload_algs
                   : c->tagmanifests ? predict_payload_algs(c)
                                     : (1u << ARTBAG_SHA256) | (1u << ARTBAG_SHA512);
        } else {
            mask = c->tag_algs ? c->tag_algs : ALL_ALGS;
        }
    }
    if ((e = listed)) {
        /* A name a manifest listed before its file came: the file takes its entry. */
        e->type = (unsigned char)type;
        append_order(c, e);
        if (type == ARTBAG_ENTRY_FILE && prepare_digests(c, e, mask) != ARTBAG_OK)
            return ARTBAG_EIO;
    } else if (!(e = insert_hashed(c, path, h, type, mask, 0))) {
        return ARTBAG_EIO;
    }
    /* The size is counted from the data, not trusted from the header. */
    if (kept && !side_of(c, e))
        return ARTBAG_EIO;
    if (type != ARTBAG_ENTRY_FILE)
        return ARTBAG_OK;
    e->kept = kept;
    if (pm >= 0) {
        c->ms[pm].e = e;
        if (streamed) {
            int rc;

            /* A line compares the digests of files already hashed: the thread finishes. */
            e->streamed = 1;
            if ((rc = hashes_ready(c)) != ARTBAG_OK ||
                (rc = mstream_start(c, pm, c->decl_encoded)) != ARTBAG_OK)
                return rc;
        }
    }
    c->cur = e;
    c->cur_mask = mask;
    c->cur_async = 0;
    /* The size is the header's word, good enough to decide where to hash. */
    if (mask && c->async_ok && !c->hasher &&
        (c->total_bytes >= ASYNC_AFTER || size >= ASYNC_AFTER ||
         (e->streamed && size >= STREAMED_ASYNC_AFTER)) &&
        artbag_hasher_new(&c->hasher, store_digests) != ARTBAG_OK)
        c->async_ok = 0; /* no thread to be had: hash here, as for a small bundle */
    if (mask && c->hasher) {
        artbag_hasher_begin(c->hasher, e, mask);
        c->cur_async = 1;
        return ARTBAG_OK;
    }
    return artbag_multihash_reset(c->mh, mask) == ARTBAG_OK ? ARTBAG_OK : ARTBAG_EIO;
}

/* The payload manifest e is, by algorithm, or -1. */
static int manifest_alg(const struct artbag_bagcheck *c, const struct entry *e)
{
    for (int i = 0; i < ARTBAG_N_ALGS; i++)
        if (c->ms[i].e == e)
            return i;
    return -1;
}

int artbag_bagcheck_data(struct artbag_bagcheck *c, const void *buf, size_t len)
{
    struct entry *e = c->cur;

    if (!e)
        return c->stopped ? ARTBAG_EREJECT : ARTBAG_OK;
    if (c->rescanning)
        return artbag_multihash_update(c->mh, buf, len) == ARTBAG_OK ? ARTBAG_OK : ARTBAG_EIO;

    c->total_bytes += len;
    e->size += len;
    if (c->total_bytes > c->max_bytes) {
        char limit[32];

        snprintf(limit, sizeof(limit), "%llu", (unsigned long long)c->max_bytes);
        c->stopped = 1;
        c->cur = NULL;
        if (artbag_report_add(
                c->r, ARTBAG_PROBLEM, "too-large", e->path, limit, NULL,
                "unpacked data exceeds the limit of %llu bytes (the max_bytes option); "
                "verification stopped",
                (unsigned long long)c->max_bytes) != ARTBAG_OK)
            return ARTBAG_EIO;
        return ARTBAG_EREJECT;
    }
    if (e->kept && !e->too_large) {
        size_t cap = strcmp(e->path, METADATA_PATH) == 0 ? METADATA_MAX : TAGFILE_MAX;
        struct artbag_buf *kept = &e->side->content;

        if (kept->len + len > cap || c->kept_bytes + len > KEPT_TOTAL_MAX) {
            e->too_large = kept->len + len > cap ? TOO_LARGE_ITSELF : TOO_LARGE_IN_ALL;
            c->kept_bytes -= kept->len;
            artbag_buf_release(kept);
        } else if (artbag_buf_append(kept, buf, len) != ARTBAG_OK) {
            return ARTBAG_EIO;
        } else {
            c->kept_bytes += len;
        }
    } else if (e->streamed && !e->too_large) {
        /* Not held, so no tag-file size limit: a 1,000,000-article collection's manifest is
         * 190 MB. What it costs is an entry per line, which the parser bounds by
         * --max-entries lines of at most 64 KiB. */
        int alg = manifest_alg(c, e);
        struct mstream *m = &c->ms[alg];

        m->fed += len;
        if (mstream_feed(c, alg, buf, len, 0) != ARTBAG_OK)
            return ARTBAG_EIO;
    }
    if (c->cur_async)
        artbag_hasher_data(c->hasher, buf, len);
    else if (c->cur_mask && artbag_multihash_update(c->mh, buf, len) != ARTBAG_OK)
        return ARTBAG_EIO;
    return ARTBAG_OK;
}

/* What an entry's end means beyond its digests: a manifest's last line, bagit.txt's word. */
static int entry_ended(struct artbag_bagcheck *c, struct entry *e)
{
    if (e->streamed && !e->too_large && mstream_feed(c, manifest_alg(c, e), NULL, 0, 1))
        return ARTBAG_EIO;
    if (e->kept && !c->decl_known && strcmp(e->path, "bagit.txt") == 0)
        return bagit_known(c, e);
    return ARTBAG_OK;
}

int artbag_bagcheck_end(struct artbag_bagcheck *c)
{
    char hex[ARTBAG_N_ALGS][ARTBAG_HEX_MAX];
    struct entry *e = c->cur;
    unsigned mask = c->cur_mask;
    int rc;

    c->cur = NULL;
    c->cur_mask = 0;
    if (e && !c->rescanning && (rc = entry_ended(c, e)) != ARTBAG_OK)
        return rc;
    if (c->cur_async) {
        c->cur_async = 0;
        artbag_hasher_end(c->hasher);
        return ARTBAG_OK;
    }
    if (!e || !mask)
        return ARTBAG_OK;
    if (artbag_multihash_final(c->mh, hex) != ARTBAG_OK)
        return ARTBAG_EIO;
    return store_digests(e, mask, hex);
}

int artbag_bagcheck_rescanned(const struct artbag_bagcheck *c)
{
    return c->rescanning;
}

void artbag_bagcheck_rescan(struct artbag_bagcheck *c)
{
    /* The second pass reads which digests the first one found; a failure shows at finish. */
    hashes_ready(c);
    artbag_hasher_free(c->hasher);
    c->hasher = NULL;
    c->async_ok = 0;
    c->rescanning = 1;
    c->cur = NULL;
}

/* ---- the checks at the end ------------------------------------------------------------- */

struct parsed {
    struct artbag_bagit_decl decl;
    int have_decl;
    struct artbag_baginfo info;
    struct artbag_fetch fetch;
    struct artbag_manifest manifests[MANIFESTS_MAX];
    struct mstream *ms[MANIFESTS_MAX]; /* a payload manifest's lines; tag manifests: NULL */
    size_t n_manifests;
};

static void parsed_release(struct parsed *p)
{
    artbag_bagit_decl_release(&p->decl);
    artbag_baginfo_release(&p->info);
    artbag_fetch_release(&p->fetch);
    for (size_t i = 0; i < p->n_manifests; i++)
        artbag_manifest_release(&p->manifests[i]);
}

static void fin_release(struct artbag_bagcheck *c)
{
    if (c->fin)
        parsed_release(c->fin);
    free(c->fin);
    c->fin = NULL;
}

#define ADD(sev, kind, path, exp, act, ...)                                                        \
    do {                                                                                           \
        if (artbag_report_add(c->r, sev, kind, path, exp, act, __VA_ARGS__) != ARTBAG_OK)          \
            return ARTBAG_EIO;                                                                     \
    } while (0)

/* A kept tag file's text in UTF-8, by the encoding bagit.txt declared: the kept bytes
 * themselves when they are UTF-8 already, else a copy in out->tmp. */
struct tagtext {
    const char *data;
    size_t len;
    struct artbag_buf tmp;
};

static int decode(struct artbag_bagcheck *c, const struct parsed *p, struct entry *e,
                  struct tagtext *out, int *ok)
{
    *ok = 0;
    if (e->too_large) {
        if (e->too_large == TOO_LARGE_IN_ALL)
            ADD(ARTBAG_PROBLEM, "too-large", e->path, NULL, NULL,
                "not read: the tag files kept for checking would exceed %zu MiB in all",
                KEPT_TOTAL_MAX >> 20);
        else
            ADD(ARTBAG_PROBLEM, "too-large", e->path, NULL, NULL, "larger than %zu MiB; not read",
                TAGFILE_MAX >> 20);
        return ARTBAG_OK;
    }
    if (artbag_tagfile_text(content_of(e)->data, content_of(e)->len,
                            p->have_decl ? p->decl.encoding : "UTF-8", e->path, &out->data,
                            &out->len, &out->tmp, c->r) == ARTBAG_OK)
        *ok = 1;
    return ARTBAG_OK;
}

static int check_bagit_txt(struct artbag_bagcheck *c, struct parsed *p)
{
    struct entry *e = lookup(c, "bagit.txt");

    if (!e || e->type != ARTBAG_ENTRY_FILE) {
        ADD(ARTBAG_PROBLEM, "missing-file", "bagit.txt", NULL, NULL, "missing: this is not a bag");
        return ARTBAG_OK;
    }
    if (e->too_large) {
        ADD(ARTBAG_PROBLEM, "bagit-txt", "bagit.txt", NULL, NULL, "too large");
        return ARTBAG_OK;
    }
    if (artbag_bagit_txt_parse(content_of(e)->data ? content_of(e)->data : "", content_of(e)->len,
                               &p->decl, c->r) == ARTBAG_OK) {
        p->have_decl = 1;
        /* The drafts 0.93 to 0.97 differ in nothing a verifier checks; 1.0 added the
         * percent-encoding of manifest paths. */
        if (!((p->decl.major == 1 && p->decl.minor == 0) ||
              (p->decl.major == 0 && p->decl.minor >= 93 && p->decl.minor <= 97)))
            ADD(ARTBAG_WARNING, "bagit-txt", "bagit.txt", NULL, NULL,
                "BagIt-Version %d.%d is not one artbag knows (1.0, 0.93 to 0.97); checked as %s",
                p->decl.major, p->decl.minor, p->decl.major == 0 ? "0.97" : "1.0");
    }
    return ARTBAG_OK;
}

/* BagIt 0.97 and before wrote manifest paths as they are; 1.0 percent-encodes them. */
static int bagit_097(const struct parsed *p)
{
    return p->have_decl && p->decl.major == 0;
}

/* A payload manifest read at the end (one kept because its encoding was not known to be UTF-8
 * when it came): parsed now, the same way. */
static int parse_kept_payload(struct artbag_bagcheck *c, const struct parsed *p, int alg)
{
    struct mstream *m = &c->ms[alg];
    struct tagtext text = {NULL, 0, ARTBAG_BUF_INIT};
    int ok, rc = decode(c, p, m->e, &text, &ok);

    if (rc == ARTBAG_OK && ok && (rc = mstream_start(c, alg, !bagit_097(p))) == ARTBAG_OK)
        rc = mstream_feed(c, alg, text.data, text.len, 1);
    artbag_buf_release(&text.tmp);
    return rc;
}

static int load_manifests(struct artbag_bagcheck *c, struct parsed *p)
{
    for (struct entry *e = c->first; e; e = e->order) {
        struct tagtext text = {NULL, 0, ARTBAG_BUF_INIT};
        int alg, is_tag, kind, ok, rc;

        if (e->type != ARTBAG_ENTRY_FILE || e->duplicate || strchr(e->path, '/'))
            continue;
        kind = artbag_manifest_name(e->path, &alg, &is_tag);
        if (kind == 0)
            continue;
        if (kind == 2) {
            ADD(ARTBAG_WARNING, "manifest", e->path, NULL, NULL,
                "uses an algorithm artbag does not know; not checked");
            continue;
        }
        if (p->n_manifests == MANIFESTS_MAX) {
            ADD(ARTBAG_PROBLEM, "manifest", e->path, NULL, NULL, "too many manifests");
            continue;
        }
        if (!is_tag) {
            struct mstream *m = &c->ms[alg];

            if (e->too_large) {
                /* decode() says so, as for any tag file too large to read. */
                if ((rc = decode(c, p, e, &text, &ok)) != ARTBAG_OK)
                    return rc;
                continue;
            }
            if (m->state == MS_NONE && (rc = parse_kept_payload(c, p, alg)) != ARTBAG_OK)
                return rc;
            /* The parse's findings, in the place a parse at the end would have made them. */
            if (m->r && artbag_report_merge(c->r, m->r) != ARTBAG_OK)
                return ARTBAG_EIO;
            if (m->state == MS_DONE) {
                p->manifests[p->n_manifests].alg = alg;
                p->manifests[p->n_manifests].is_tag = 0;
                p->ms[p->n_manifests++] = m;
            }
            continue;
        }
        rc = decode(c, p, e, &text, &ok);
        if (rc == ARTBAG_OK && ok) {
            rc = artbag_manifest_parse(text.data, text.len, e->path, alg, is_tag, !bagit_097(p),
                                       &p->manifests[p->n_manifests], c->r);
            if (rc == ARTBAG_OK)
                p->n_manifests++;
        }
        artbag_buf_release(&text.tmp);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

/*
 * bag-info.txt's form as RFC 8493 2.2.2 has it for 1.0: "Label: value", no white space before
 * the colon (0.97 readers had to accept it, 1.0 forbids it), one after it; and the reserved
 * elements that describe the bag as a whole given once, since a reader cannot know which of
 * two Payload-Oxums to believe (0.97 said nothing of it: a warning there).
 */
static int check_baginfo_form(struct artbag_bagcheck *c, const struct parsed *p)
{
    static const char *const once[] = {"Payload-Oxum", "Bagging-Date", "Bag-Size", "Bag-Count"};
    int v1 = !bagit_097(p);

    for (size_t i = 0; i < p->info.n; i++) {
        const struct artbag_baginfo_elem *el = &p->info.elems[i];

        if (v1 && (el->form & ARTBAG_BAGINFO_WS_BEFORE_COLON))
            ADD(ARTBAG_PROBLEM, "bag-info", "bag-info.txt", NULL, NULL,
                "line %zu: white space before the colon of '%s', which BagIt 1.0 does not allow",
                el->line, el->label);
        if (v1 && (el->form & ARTBAG_BAGINFO_NO_WS_AFTER))
            ADD(ARTBAG_WARNING, "bag-info", "bag-info.txt", NULL, NULL,
                "line %zu: no space after the colon of '%s'", el->line, el->label);
    }
    for (size_t k = 0; k < sizeof(once) / sizeof(once[0]); k++) {
        size_t first = 0, n = 0;

        for (size_t i = 0; i < p->info.n; i++)
            if (strcasecmp(p->info.elems[i].label, once[k]) == 0 && !n++)
                first = p->info.elems[i].line;
        if (n > 1)
            ADD(v1 ? ARTBAG_PROBLEM : ARTBAG_WARNING, "bag-info", "bag-info.txt", NULL, NULL,
                "'%s' given %zu times (first on line %zu); it describes the bag once", once[k], n,
                first);
    }
    return ARTBAG_OK;
}

static int load_baginfo_fetch(struct artbag_bagcheck *c, struct parsed *p)
{
    struct entry *e;
    struct tagtext text = {NULL, 0, ARTBAG_BUF_INIT};
    int ok, rc = ARTBAG_OK;

    e = lookup(c, "bag-info.txt");
    if (e && e->type == ARTBAG_ENTRY_FILE && (rc = decode(c, p, e, &text, &ok)) == ARTBAG_OK && ok)
        rc = artbag_baginfo_parse(text.data, text.len, &p->info, c->r);
    artbag_buf_release(&text.tmp);
    if (rc == ARTBAG_OK)
        rc = check_baginfo_form(c, p);
    if (rc != ARTBAG_OK)
        return rc;
    e = lookup(c, "fetch.txt");
    if (e && e->type == ARTBAG_ENTRY_FILE && (rc = decode(c, p, e, &text, &ok)) == ARTBAG_OK && ok)
        rc = artbag_fetch_parse(text.data, text.len, !bagit_097(p), &p->fetch, c->r);
    artbag_buf_release(&text.tmp);
    return rc;
}

/*
 * Finds the file a manifest line names. A name that matches only after Unicode NFC
 * normalisation is accepted with a warning: macOS and Windows tools store the same name in
 * different normal forms, and the bytes, not the spelling, are what fixity protects.
 */
static int find_listed(struct artbag_bagcheck *c, const char *path, const char *manifest,
                       struct entry **found)
{
    struct entry *hit;
    char *want;

    *found = lookup(c, path);
    if (*found)
        return ARTBAG_OK;
    /* Every name's NFC form, indexed once, so many misses cost no more than one pass. */
    if (!c->nfc) {
        /* an index only: no data streams into it, so only the limits matter */
        struct artbag_verify_options o = {0};

        o.max_bytes = ARTBAG_DEFAULT_MAX_BYTES;
        o.max_entries = ARTBAG_DEFAULT_MAX_ENTRIES;
        o.input_fd = -1;
        if (!(c->nfc_report = artbag_report_new("")) ||
            artbag_bagcheck_new(&c->nfc, c->nfc_report, &o, NULL) != ARTBAG_OK)
            return ARTBAG_EIO;
        for (struct entry *e = c->first; e; e = e->order) {
            char *form = artbag_utf8_nfc(e->path);
            struct entry *ix;

            if (!form || lookup(c->nfc, form)) {
                free(form);
                continue;
            }
            ix = insert(c->nfc, form, e->type);
            free(form);
            if (!ix || !side_of(c->nfc, ix) ||
                artbag_buf_puts(&ix->side->content, e->path) != ARTBAG_OK)
                return ARTBAG_EIO;
        }
    }
    want = artbag_utf8_nfc(path);
    if (!want)
        return ARTBAG_OK;
    hit = lookup(c->nfc, want);
    free(want);
    if (hit)
        *found = lookup(c, content_of(hit)->data);
    if (*found)
        ADD(ARTBAG_WARNING, "normalization", path, NULL, (*found)->path,
            "listed in %s; matches a file only after Unicode NFC normalisation", manifest);
    return ARTBAG_OK;
}

static int fetch_lists(const struct parsed *p, const char *path)
{
    for (size_t i = 0; i < p->fetch.n; i++)
        if (strcmp(p->fetch.entries[i].path, path) == 0)
            return 1;
    return 0;
}

/* The next line of manifest mi: its path, the path as written when decoding changed it, and
 * the digest it expects in hex; 0 after the last. */
struct line_iter {
    size_t i, raw;
    char hex[ARTBAG_HEX_MAX];
};

static int next_line(struct artbag_bagcheck *c, const struct parsed *p, size_t mi,
                     struct line_iter *it, const char **path, const char **raw, const char **digest)
{
    const struct artbag_manifest *m = &p->manifests[mi];
    const struct mstream *ms = p->ms[mi];
    struct entry *named;
    const unsigned char *want;

    if (!ms) {
        if (it->i >= m->n)
            return 0;
        *path = m->entries[it->i].path;
        *raw = m->entries[it->i].raw;
        *digest = m->entries[it->i].digest;
        it->i++;
        return 1;
    }
    if (it->i >= ms->n)
        return 0;
    named = at(c, ms->lines[it->i].ref);
    *path = named->path;
    *raw = NULL;
    if (it->raw < ms->n_raws && ms->raws[it->raw].pos == it->i)
        *raw = ms->raws[it->raw++].raw;
    want = expected_of(named, m->alg);
    it->hex[0] = '\0';
    if (want)
        artbag_hex(want, digest_len(m->alg), it->hex);
    *digest = it->hex;
    it->i++;
    return 1;
}

static int check_manifest(struct artbag_bagcheck *c, const struct parsed *p, size_t mi, int *rescan,
                          int *need_rescan)
{
    const struct artbag_manifest *m = &p->manifests[mi];
    const char *mname = NULL;
    const char *alg = artbag_alg_name(m->alg);
    char name[64];
    struct line_iter it = {0, 0, ""};
    const char *me_path, *me_raw, *me_digest;

    snprintf(name, sizeof(name), "%smanifest-%s.txt", m->is_tag ? "tag" : "", alg);
    mname = name;
    while (next_line(c, p, mi, &it, &me_path, &me_raw, &me_digest)) {
        struct entry *e;
        char got[ARTBAG_HEX_MAX];

        if (find_listed(c, me_path, mname, &e) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (!e && me_raw && (e = lookup(c, me_raw)))
            ADD(ARTBAG_WARNING, "encoding", me_raw, NULL, NULL,
                "listed in %s as '%s', found only under that name taken literally: '%%' is "
                "percent-encoded as %%25 in BagIt 1.0 manifests",
                mname, me_raw);
        if (!e) {
            if (!m->is_tag && fetch_lists(p, me_path))
                continue; /* counted once as "to fetch" */
            ADD(ARTBAG_PROBLEM, "missing-file", me_path, NULL, NULL, "listed in %s but missing",
                mname);
            c->r->complete = 0;
            continue;
        }
        if (e->type != ARTBAG_ENTRY_FILE) {
            ADD(ARTBAG_PROBLEM, "manifest", me_path, NULL, NULL,
                "listed in %s but a directory, not a file", mname);
            continue;
        }
        if (!m->is_tag)
            e->listed |= 1u << m->alg;
        else if (m->alg == ARTBAG_SHA256)
            e->covered = 1; /* tagmanifest-sha256.txt: the file signatures sign */
        if (c->fast || e->duplicate || e->incomplete)
            continue;
        if (e->kept && hash_kept(c, e, 1u << m->alg) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (e->kept && e->too_large)
            continue; /* already reported as too large */
        if (!(e->algs & (1u << m->alg))) {
            if (rescan) {
                *need_rescan = 1;
                continue;
            }
            /* Counted, and said once at the end: the bag could not be checked, which is not
             * a verdict on each of its files. */
            if (!c->unverifiable++)
                snprintf(c->late_manifest, sizeof(c->late_manifest), "%s", mname);
            continue;
        }
        if (!hex_of(e, m->alg, got) || strcmp(got, me_digest) != 0)
            ADD(ARTBAG_PROBLEM, "checksum-mismatch", me_path, me_digest, got, "%s mismatch", alg);
    }
    return ARTBAG_OK;
}

/* Every payload file must appear in every payload manifest (RFC 8493 section 3). */
static int check_unlisted(struct artbag_bagcheck *c, const struct parsed *p)
{
    uint32_t all = 0;

    for (size_t i = 0; i < p->n_manifests; i++)
        if (!p->manifests[i].is_tag)
            all |= 1u << p->manifests[i].alg;
    if (!all)
        return ARTBAG_OK;
    for (struct entry *e = c->first; e; e = e->order) {
        if (e->type != ARTBAG_ENTRY_FILE || !is_payload(e->path) || (e->listed & all) == all)
            continue;
        for (size_t i = 0; i < p->n_manifests; i++) {
            const struct artbag_manifest *m = &p->manifests[i];

            if (m->is_tag || (e->listed & (1u << m->alg)))
                continue;
            ADD(ARTBAG_PROBLEM, "unlisted-file", e->path, NULL, NULL,
                "not listed in manifest-%s.txt", artbag_alg_name(m->alg));
        }
    }
    return ARTBAG_OK;
}

/*
 * A tag manifest of another algorithm (tagmanifest-sha512.txt) cannot be listed in
 * tagmanifest-sha256.txt: RFC 8493 section 2.2.1 forbids a tag manifest to list another. Yet it
 * holds nothing of its own, only digests of other files, each checked against that file: when
 * every file it lists is covered, and is no tag manifest, its every line is either implied by
 * signed bytes or reported as a mismatch, so the signature vouches for it through them.
 */
static int derived_covered(struct artbag_bagcheck *c, const struct parsed *p, size_t mi)
{
    struct line_iter it = {0, 0, ""};
    const char *path, *raw, *digest;
    int alg, is_tag;

    while (next_line(c, p, mi, &it, &path, &raw, &digest)) {
        struct entry *e = lookup(c, path);

        if (!e || e->type != ARTBAG_ENTRY_FILE || !e->covered || e->duplicate ||
            artbag_manifest_name(path, &alg, &is_tag) == 2 ||
            (artbag_manifest_name(path, &alg, &is_tag) == 1 && is_tag))
            return 0;
    }
    return 1;
}

/*
 * A signature covers what tagmanifest-sha256.txt lists and, through the payload manifests it
 * lists, the payload, and the tag manifests of other algorithms through what they list (see
 * derived_covered). Every other file outside data/ is a tag file restored with the bag whose
 * bytes nobody vouched for: a script beside the article, a fetch.txt, a "Data/" that a
 * case-insensitive disk merges into data/, a tag manifest that lists one of those. When the
 * signature is what the caller relies on (--trust, --require-signature, or signing), each such
 * file makes the bag invalid; when a signed bag is only checked, it is a warning, since
 * RFC 8493 lets a tag manifest leave tag files out. The signature files themselves, at their
 * exact names, are the one exception: they cannot be listed in what they sign.
 */
static int check_coverage(struct artbag_bagcheck *c, const struct parsed *p)
{
    int strict = c->require_coverage, is_signed = 0;
    int parsed = 0;
    struct entry *tm = lookup(c, ARTBAG_SIGNED_FILE);

    for (size_t i = 0; i < p->n_manifests; i++)
        parsed |= p->manifests[i].is_tag && p->manifests[i].alg == ARTBAG_SHA256;
    /* No signed tag manifest to read: that is reported already (missing, malformed, unsigned). */
    if (!tm || tm->type != ARTBAG_ENTRY_FILE || tm->duplicate || !parsed)
        return ARTBAG_OK;
    for (struct entry *e = c->first; e && !is_signed; e = e->order)
        is_signed = e->type == ARTBAG_ENTRY_FILE && artbag_signature_name(e->path);
    if (!strict && !is_signed)
        return ARTBAG_OK;
    for (size_t i = 0; i < p->n_manifests; i++) {
        const struct artbag_manifest *m = &p->manifests[i];
        char name[64];
        struct entry *e;

        if (!m->is_tag || m->alg == ARTBAG_SHA256)
            continue;
        snprintf(name, sizeof(name), "tagmanifest-%s.txt", artbag_alg_name(m->alg));
        e = lookup(c, name);
        if (e && e->type == ARTBAG_ENTRY_FILE && !e->duplicate && derived_covered(c, p, i))
            e->covered = 1;
    }
    for (struct entry *e = c->first; e; e = e->order) {
        if (e->type != ARTBAG_ENTRY_FILE || is_payload(e->path) || e == tm || e->covered ||
            e->duplicate || artbag_signature_name(e->path))
            continue;
        ADD(strict ? ARTBAG_PROBLEM : ARTBAG_WARNING, "uncovered", e->path, NULL, NULL,
            "not covered by the signature (not listed in " ARTBAG_SIGNED_FILE ")");
    }
    return ARTBAG_OK;
}

/* RFC 8493 2.2.1: a tag manifest SHOULD list every payload manifest. */
static int check_tag_manifests(struct artbag_bagcheck *c, const struct parsed *p)
{
    for (size_t t = 0; t < p->n_manifests; t++) {
        const struct artbag_manifest *tm = &p->manifests[t];

        if (!tm->is_tag)
            continue;
        for (size_t i = 0; i < p->n_manifests; i++) {
            const struct artbag_manifest *m = &p->manifests[i];
            char want[64];
            int listed = 0;

            if (m->is_tag)
                continue;
            snprintf(want, sizeof(want), "manifest-%s.txt", artbag_alg_name(m->alg));
            for (size_t k = 0; k < tm->n && !listed; k++)
                listed = strcmp(tm->entries[k].path, want) == 0;
            if (!listed)
                ADD(ARTBAG_WARNING, "tagmanifest", want, NULL, NULL,
                    "not listed in tagmanifest-%s.txt", artbag_alg_name(tm->alg));
        }
    }
    return ARTBAG_OK;
}

static int check_oxum(struct artbag_bagcheck *c, const struct parsed *p)
{
    const char *oxum = artbag_baginfo_get(&p->info, "Payload-Oxum");
    uint64_t bytes, files;
    char have[48];

    if (!oxum)
        return ARTBAG_OK;
    snprintf(have, sizeof(have), "%llu.%llu", (unsigned long long)c->r->bytes,
             (unsigned long long)c->r->files);
    if (artbag_oxum_parse(oxum, &bytes, &files) != 0) {
        ADD(ARTBAG_PROBLEM, "bag-info", "bag-info.txt", NULL, NULL,
            "Payload-Oxum '%s' is not OCTETS.STREAMS", oxum);
        return ARTBAG_OK;
    }
    if (bytes != c->r->bytes || files != c->r->files)
        ADD(ARTBAG_PROBLEM, "oxum-mismatch", "bag-info.txt", oxum, have,
            "Payload-Oxum disagrees with the payload (OCTETS.STREAMS)");
    return ARTBAG_OK;
}

static int check_fetch(struct artbag_bagcheck *c, const struct parsed *p)
{
    uint64_t missing = 0;

    for (size_t i = 0; i < p->fetch.n; i++)
        if (!lookup(c, p->fetch.entries[i].path))
            missing++;
    if (missing) {
        char n[32];

        snprintf(n, sizeof(n), "%llu", (unsigned long long)missing);
        c->r->complete = 0;
        ADD(ARTBAG_PROBLEM, "fetch", "fetch.txt", NULL, n, "%llu files to fetch",
            (unsigned long long)missing);
    }
    return ARTBAG_OK;
}

/* Names that differ only in case collide when the bag is unpacked on macOS or Windows. */
/* Case-folds path into out (reused between calls); 0 when it has no fold (not UTF-8). */
static int fold_path(const char *path, struct artbag_buf *out)
{
    size_t n = 0;
    char *folded;
    int k;

    while (path[n] && !((unsigned char)path[n] & 0x80))
        n++;
    out->len = 0;
    if (!path[n]) {
        /* ASCII, nearly every name: plain lower case, with no allocation per name. */
        if (artbag_buf_append(out, path, n) != ARTBAG_OK)
            return -1;
        for (size_t i = 0; i < n; i++)
            if (out->data[i] >= 'A' && out->data[i] <= 'Z')
                out->data[i] = (char)(out->data[i] - 'A' + 'a');
        return 1;
    }
    if (!(folded = artbag_utf8_casefold(path)))
        return 0;
    k = artbag_buf_puts(out, folded);
    free(folded);
    return k == ARTBAG_OK ? 1 : -1;
}

/*
 * Warns about files whose names differ only in case, which cannot both exist on a
 * case-insensitive file system. An open-addressed table of the folded names' hashes: a name is
 * folded once, and again only when its hash meets another's.
 */
/*
 * A name that is a file in the bundle and also the directory of another entry (data/x, and
 * data/x/y) cannot be restored: one extractor stops, another replaces the file by the
 * directory, and unpack refuses it. An entry's nearest ancestor that the bundle names decides.
 */
static int check_parents(struct artbag_bagcheck *c)
{
    struct artbag_buf a = ARTBAG_BUF_INIT;
    int rc = ARTBAG_OK;

    for (struct entry *e = c->first; e && rc == ARTBAG_OK; e = e->order) {
        const char *slash = strrchr(e->path, '/');

        if (!slash)
            continue;
        a.len = 0;
        if (artbag_buf_append(&a, e->path, (size_t)(slash - e->path)) != ARTBAG_OK ||
            artbag_buf_append(&a, "", 1) != ARTBAG_OK) {
            rc = ARTBAG_EIO;
            break;
        }
        for (;;) {
            struct entry *up = lookup(c, a.data);
            char *cut;

            if (up && up->type != ARTBAG_ENTRY_DIR) {
                if (artbag_report_add(c->r, ARTBAG_PROBLEM, "ambiguous", e->path, NULL, NULL,
                                      "'%s' is a file in the bundle, not a directory",
                                      up->path) != ARTBAG_OK)
                    rc = ARTBAG_EIO;
                break;
            }
            if (up || !(cut = strrchr(a.data, '/')))
                break;
            *cut = '\0';
        }
    }
    artbag_buf_release(&a);
    return rc;
}

static int check_case(struct artbag_bagcheck *c)
{
    /* 8 bytes a slot: at its peak verify holds this beside the entry table. */
    struct fold_slot {
        uint32_t hash;
        uint32_t ref;
    } * t;
    struct artbag_buf a = ARTBAG_BUF_INIT, b = ARTBAG_BUF_INIT;
    size_t cap = 64;
    int rc = ARTBAG_EIO;

    while (cap < 2 * c->n_entries)
        cap *= 2;
    if (!(t = calloc(cap, sizeof(*t))))
        return ARTBAG_EIO;
    for (struct entry *e = c->first; e; e = e->order) {
        struct entry *other = NULL;
        uint32_t h;
        size_t j;
        int k = fold_path(e->path, &a);

        if (k < 0)
            goto cleanup;
        if (k == 0)
            continue;
        h = (uint32_t)artbag_hash_bytes(a.data, a.len);
        for (j = h & (cap - 1); t[j].ref; j = (j + 1) & (cap - 1)) {
            if (t[j].hash != h)
                continue;
            if ((k = fold_path(at(c, t[j].ref)->path, &b)) < 0)
                goto cleanup;
            if (k > 0 && strcmp(a.data, b.data) == 0) {
                other = at(c, t[j].ref);
                break;
            }
        }
        if (!other) {
            t[j].hash = h;
            t[j].ref = ref_of(c, e, path_hash(e->path));
        } else if (other->type == ARTBAG_ENTRY_FILE && e->type == ARTBAG_ENTRY_FILE &&
                   artbag_report_add(c->r, ARTBAG_WARNING, "case-collision", e->path, NULL, NULL,
                                     "differs only in case from '%s'", other->path) != ARTBAG_OK) {
            goto cleanup;
        }
    }
    rc = ARTBAG_OK;
cleanup:
    free(t);
    artbag_buf_release(&a);
    artbag_buf_release(&b);
    return rc;
}

static const char *json_str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Digits where shape has '9', the same byte elsewhere. */
static int shaped(const char *s, const char *shape)
{
    for (; *shape; s++, shape++)
        if (*shape == '9' ? (*s < '0' || *s > '9') : *s != *shape)
            return 0;
    return 1;
}

/* YYYY-MM-DD; with rfc3339, also YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm) (profile bundle-1.2). */
static int is_iso_date_or_null(json_t *v, int rfc3339)
{
    const char *s = json_string_value(v);
    size_t n;

    if (json_is_null(v))
        return 1;
    if (!s || (n = strlen(s)) < 10 || !shaped(s, "9999-99-99"))
        return 0;
    if (n == 10)
        return 1;
    if (!rfc3339 || n < 20 || !shaped(s + 10, "T99:99:99"))
        return 0;
    s += 19;
    if (*s == '.') {
        if (!(s[1] >= '0' && s[1] <= '9'))
            return 0;
        for (s++; *s >= '0' && *s <= '9'; s++)
            ;
    }
    return !strcmp(s, "Z") ||
           ((s[0] == '+' || s[0] == '-') && strlen(s) == 6 && shaped(s + 1, "99:99"));
}

/* A non-empty array of non-empty strings. */
static int is_string_list(json_t *v)
{
    size_t i;

    if (!json_is_array(v) || !json_array_size(v))
        return 0;
    for (i = 0; i < json_array_size(v); i++)
        if (!json_string_value(json_array_get(v, i)) || !*json_string_value(json_array_get(v, i)))
            return 0;
    return 1;
}

/* A copy's given_path: a path a manifest could list under data/ (no '.', '..' or empty part, so
 * a consumer restoring copies cannot be sent outside the bag) that names nothing the bag holds. */
static int given_path_ok(const struct artbag_bagcheck *c, json_t *given)
{
    const char *g = json_string_value(given);

    return g && strncmp(g, "data/", 5) == 0 && !artbag_path_fault(g, strlen(g)) && !lookup(c, g);
}

/*
 * metadata.json's "attachments" (profile bundle-1.3): each names a file of the payload, with
 * its size and the sha256 the bag's content has, so the list can be trusted as the manifest is.
 * Several items may name one file: identical captures are stored once, and a copy's given_path
 * says where it would have been, a place the bag must then not hold.
 */
static int check_attachments(struct artbag_bagcheck *c, json_t *list)
{
    char got[ARTBAG_HEX_MAX];
    size_t i;
    json_t *item;

    if (!json_is_array(list) || !json_array_size(list))
        return artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                 "\"attachments\" must be a non-empty array");
    json_array_foreach(list, i, item)
    {
        const char *path = json_str(item, "path"), *sha = json_str(item, "sha256");
        const char *type = json_str(item, "media_type");
        json_t *bytes = json_object_get(item, "bytes"),
               *given = json_object_get(item, "given_path");
        struct entry *e = path ? lookup(c, path) : NULL;
        int rc = ARTBAG_OK;

        if (!path || strncmp(path, "data/", 5) != 0 || !e || e->type != ARTBAG_ENTRY_FILE ||
            strcmp(path, METADATA_PATH) == 0)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                   "\"attachments[%zu].path\" does not name a payload file", i);
        else if (!json_is_integer(bytes) || (uint64_t)json_integer_value(bytes) != e->size)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                   "\"attachments[%zu].bytes\" disagrees with the size of '%s'", i,
                                   path);
        else if (!sha || strlen(sha) != 64)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                   "\"attachments[%zu].sha256\" must be 64 hex digits", i);
        else if (!type || !*type)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                   "\"attachments[%zu].media_type\" must be a non-empty string", i);
        else if (given && !given_path_ok(c, given))
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                                   "\"attachments[%zu].given_path\" must be a path under data/ "
                                   "that the bag does not hold",
                                   i);
        else if (!c->fast && hex_of(e, ARTBAG_SHA256, got) && strcmp(got, sha) != 0)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, sha, got,
                                   "\"attachments[%zu].sha256\" disagrees with '%s'", i, path);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

/*
 * An artbag bundle also promises a metadata.json that matches manifests/metadata.schema.json
 * and agrees with bag-info.txt and the manifest. The schema's rules are checked here in C so
 * verify needs no schema file at run time; tests/unit keeps the two in step.
 */
static int check_artbag_metadata(struct artbag_bagcheck *c, const struct parsed *p)
{
    static const char *const keys[] = {"title",     "published", "byline",   "source_url",
                                       "retrieved", "credit",    "citation", "rights",
                                       "dois",      "article",   "packager"};
    static const char *const nullable[] = {"byline", "credit", "citation", "rights"};
    /* Optional keys of schema metadata-1.1, which profile bundle-1.2 allows. */
    static const char *const optional[] = {"authors", "modified",  "description",  "language",
                                           "tags",    "site_name", "captured_with"};
    const char *profile = artbag_baginfo_get(&p->info, "BagIt-Profile-Identifier");
    const char *ext = artbag_baginfo_get(&p->info, "External-Identifier");
    struct entry *e, *art;
    char got[ARTBAG_HEX_MAX];
    json_error_t jerr;
    json_t *doc = NULL, *article, *v;
    const char *key;
    int rc = ARTBAG_EIO;

    /* Bundles made to the 1.0 profile (signatures at the top) promise the same metadata. */
    int v12, v13;

    if (!profile || (strcmp(profile, ARTBAG_PROFILE_IDENTIFIER) != 0 &&
                     strcmp(profile, ARTBAG_PROFILE_IDENTIFIER_1_3) != 0 &&
                     strcmp(profile, ARTBAG_PROFILE_IDENTIFIER_1_1) != 0 &&
                     strcmp(profile, ARTBAG_PROFILE_IDENTIFIER_1_0) != 0))
        return ARTBAG_OK;
    v13 = strcmp(profile, ARTBAG_PROFILE_IDENTIFIER_1_3) == 0;
    v12 = v13 || strcmp(profile, ARTBAG_PROFILE_IDENTIFIER) == 0;
    e = lookup(c, METADATA_PATH);
    if (!e || e->type != ARTBAG_ENTRY_FILE) {
        ADD(ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
            "missing, but an artbag bundle must hold it");
        return ARTBAG_OK;
    }
    if (e->too_large) {
        ADD(ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL, "larger than %zu MiB",
            METADATA_MAX >> 20);
        return ARTBAG_OK;
    }
    doc = json_loadb(content_of(e)->data ? content_of(e)->data : "", content_of(e)->len,
                     JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(doc)) {
        if (artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,
                              doc ? "not a JSON object" : "not valid JSON: line %d: %s", jerr.line,
                              jerr.text) != ARTBAG_OK)
            goto cleanup;
        rc = ARTBAG_OK;
        goto cleanup;
    }
#define META_PROBLEM(...)                                                                          \
    do {                                                                                           \
        if (artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, NULL, NULL,         \
                              __VA_ARGS__) != ARTBAG_OK)                                           \
            goto cleanup;                                                                          \
    } while (0)
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!json_object_get(doc, keys[i]))
            META_PROBLEM("no \"%s\"", keys[i]);
    json_object_foreach(doc, key, v)
    {
        int known = 0;

        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            known |= strcmp(key, keys[i]) == 0;
        for (size_t i = 0; v12 && i < sizeof(optional) / sizeof(optional[0]); i++)
            known |= strcmp(key, optional[i]) == 0;
        known |= v13 && strcmp(key, "attachments") == 0;
        if (!known)
            META_PROBLEM("unknown key \"%s\"", key);
    }
    if (!json_str(doc, "title") || !*json_str(doc, "title"))
        META_PROBLEM("\"title\" must be a non-empty string");
    for (size_t i = 0; i < sizeof(nullable) / sizeof(nullable[0]); i++) {
        v = json_object_get(doc, nullable[i]);
        if (v && !json_is_string(v) && !json_is_null(v))
            META_PROBLEM("\"%s\" must be a string or null", nullable[i]);
    }
    if ((v = json_object_get(doc, "published")) && !is_iso_date_or_null(v, v12))
        META_PROBLEM(v12 ? "\"published\" must be YYYY-MM-DD, RFC 3339 with a zone, or null"
                         : "\"published\" must be YYYY-MM-DD or null");
    if ((v = json_object_get(doc, "retrieved")) && !is_iso_date_or_null(v, v12))
        META_PROBLEM(v12 ? "\"retrieved\" must be YYYY-MM-DD, RFC 3339 with a zone, or null"
                         : "\"retrieved\" must be YYYY-MM-DD or null");
    if ((v = json_object_get(doc, "modified")) && (json_is_null(v) || !is_iso_date_or_null(v, 1)))
        META_PROBLEM("\"modified\" must be YYYY-MM-DD or RFC 3339 with a zone");
    if ((v = json_object_get(doc, "authors")) && !is_string_list(v))
        META_PROBLEM("\"authors\" must be a non-empty array of non-empty strings");
    if ((v = json_object_get(doc, "tags")) && !is_string_list(v))
        META_PROBLEM("\"tags\" must be a non-empty array of non-empty strings");
    for (size_t i = 2; i < sizeof(optional) / sizeof(optional[0]); i++)
        if (i != 4 && (v = json_object_get(doc, optional[i])) &&
            (!json_string_value(v) || !*json_string_value(v)))
            META_PROBLEM("\"%s\" must be a non-empty string", optional[i]);
    if ((v = json_object_get(doc, "dois")) && !json_is_array(v))
        META_PROBLEM("\"dois\" must be an array");
    if (v13 && (v = json_object_get(doc, "attachments")) && check_attachments(c, v) != ARTBAG_OK)
        goto cleanup;
    if (ext && json_str(doc, "source_url") && strcmp(ext, json_str(doc, "source_url")) != 0)
        if (artbag_report_add(
                c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, ext, json_str(doc, "source_url"),
                "source_url disagrees with bag-info.txt's External-Identifier") != ARTBAG_OK)
            goto cleanup;
    article = json_object_get(doc, "article");
    if (!json_is_object(article)) {
        META_PROBLEM("\"article\" must be an object");
    } else {
        const char *apath = json_str(article, "path");
        const char *sha = json_str(article, "sha256");
        json_t *bytes = json_object_get(article, "bytes");

        art = apath ? lookup(c, apath) : NULL;
        if (!apath || !art || art->type != ARTBAG_ENTRY_FILE)
            META_PROBLEM("\"article.path\" does not name a file in the bag");
        else if (!json_is_integer(bytes) || (uint64_t)json_integer_value(bytes) != art->size)
            META_PROBLEM("\"article.bytes\" disagrees with the size of '%s'", apath);
        else if (!sha || strlen(sha) != 64)
            META_PROBLEM("\"article.sha256\" must be 64 hex digits");
        else if (!c->fast && hex_of(art, ARTBAG_SHA256, got) && strcmp(got, sha) != 0)
            if (artbag_report_add(c->r, ARTBAG_PROBLEM, "metadata", METADATA_PATH, sha, got,
                                  "\"article.sha256\" disagrees with '%s'", apath) != ARTBAG_OK)
                goto cleanup;
    }
#undef META_PROBLEM
    rc = ARTBAG_OK;
cleanup:
    json_decref(doc);
    return rc;
}

/*
 * The signature step is the caller's (it needs keys, which the checker never sees): it reads
 * the signed tag manifest and the signature files the checker kept, through these two.
 */
int artbag_bagcheck_signed_file(const struct artbag_bagcheck *c, const char **text, size_t *len)
{
    struct entry *tm = lookup(c, ARTBAG_SIGNED_FILE);

    if (!tm || tm->type != ARTBAG_ENTRY_FILE || tm->too_large)
        return 0;
    *text = content_of(tm)->data ? content_of(tm)->data : "";
    *len = content_of(tm)->len;
    return 1;
}

int artbag_bagcheck_each_signature(const struct artbag_bagcheck *c, artbag_bagcheck_sig_fn *fn,
                                   void *arg)
{
    int rc;

    for (struct entry *e = c->first; e; e = e->order) {
        if (e->type != ARTBAG_ENTRY_FILE || !artbag_signature_name(e->path) || e->duplicate)
            continue;
        rc = fn(arg, e->path,
                !e->too_large                      ? 0
                : e->too_large == TOO_LARGE_IN_ALL ? ARTBAG_KEPT_OVER_TOTAL
                                                   : ARTBAG_KEPT_TOO_LARGE,
                content_of(e)->data ? content_of(e)->data : "", content_of(e)->len);
        if (rc != ARTBAG_OK)
            return rc;
    }
    return ARTBAG_OK;
}

void artbag_bagcheck_set_container(struct artbag_bagcheck *c, int container, int compression)
{
    c->container = container;
    c->compression = compression;
}

static int each_file(void *ctx, artbag_profile_file_fn *fn, void *arg)
{
    const struct artbag_bagcheck *c = ctx;
    int rc;

    for (const struct entry *e = c->first; e; e = e->order)
        if (e->type == ARTBAG_ENTRY_FILE && !e->duplicate && (rc = fn(arg, e->path, e->size)))
            return rc;
    return ARTBAG_OK;
}

/* The facts a BagIt Profile is judged on (profile.c), borrowed from what finish parsed. */
static int check_profile(struct artbag_bagcheck *c, const struct parsed *p)
{
    struct artbag_profile_facts f = {0};

    if (!c->profile)
        return ARTBAG_OK;
    f.have_version = p->have_decl;
    f.major = p->decl.major;
    f.minor = p->decl.minor;
    f.info = &p->info;
    f.container = c->container;
    f.compression = c->compression;
    f.each_file = each_file;
    f.files_ctx = c;
    return artbag_profile_judge(c->profile, &f, c->r);
}

/*
 * A bag has bagit.txt (RFC 8493 2.1.1). One that lost only that still has its manifests and is
 * a damaged bag (the conformance suite's invalid/missing-bagit.txt); without either, whatever
 * was given is not a bag at all.
 */
static int looks_like_bag(struct artbag_bagcheck *c)
{
    int alg, is_tag;

    if (lookup(c, "bagit.txt"))
        return 1;
    for (struct entry *e = c->first; e; e = e->order)
        if (!strchr(e->path, '/') && artbag_manifest_name(e->path, &alg, &is_tag))
            return 1;
    return 0;
}

/*
 * What an audit knows the bag by: the SHA-256 of its tag manifest as stored (the file that, with
 * the manifests it lists, pins every byte of the bag), else of another manifest, and the
 * External-Identifier and Payload-Oxum bag-info.txt gives.
 */
static int record_identity(struct artbag_bagcheck *c, const struct parsed *p)
{
    static const char *const order[] = {
        "tagmanifest-sha256.txt", "tagmanifest-sha512.txt", "tagmanifest-sha384.txt",
        "tagmanifest-sha224.txt", "tagmanifest-sha1.txt",   "tagmanifest-md5.txt",
        "manifest-sha256.txt",    "manifest-sha512.txt",    "manifest-sha384.txt",
        "manifest-sha224.txt",    "manifest-sha1.txt",      "manifest-md5.txt"};
    char hex[ARTBAG_HEX_MAX] = "";
    const char *file = NULL;

    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && !file; i++) {
        struct entry *e = lookup(c, order[i]);

        if (!e || e->type != ARTBAG_ENTRY_FILE || e->duplicate || e->incomplete || !e->kept ||
            e->too_large)
            continue;
        if (hash_kept(c, e, 1u << ARTBAG_SHA256) != ARTBAG_OK)
            return ARTBAG_EIO;
        if (hex_of(e, ARTBAG_SHA256, hex))
            file = order[i];
    }
    return artbag_report_set_identity(c->r, file ? hex : NULL, file,
                                      artbag_baginfo_get(&p->info, "External-Identifier"),
                                      artbag_baginfo_get(&p->info, "Payload-Oxum"));
}

int artbag_bagcheck_finish(struct artbag_bagcheck *c, int *rescan)
{
    struct parsed p;
    int need_rescan = 0, rc;

    fin_release(c);
    if (rescan)
        *rescan = 0;
    /* What was found while streaming is kept if we run again; the rest is found anew. */
    if (artbag_report_mark(c->r) != ARTBAG_OK)
        return ARTBAG_EIO;
    c->r->complete = 1;
    if (c->stopped) {
        /* Past a limit nothing more was read, so any further verdict would be a guess. */
        c->r->complete = 0;
        return ARTBAG_OK;
    }
    memset(&p, 0, sizeof(p));
    c->r->files = c->r->bytes = 0;
    for (struct entry *e = c->first; e; e = e->order)
        if (e->type == ARTBAG_ENTRY_FILE && is_payload(e->path) && !e->duplicate) {
            c->r->files++;
            c->r->bytes += e->size;
        }
    if (!looks_like_bag(c)) {
        /* Nothing a bag has: a finding per missing thing would only bury that one fact. */
        c->r->complete = 0;
        /* A stream that broke before any tag file says why itself: not a word more. */
        rc = ARTBAG_OK;
        if (c->r->valid)
            rc = artbag_report_add(c->r, ARTBAG_PROBLEM, "not-a-bag", NULL, NULL, NULL,
                                   "not a bag: no bagit.txt");
        goto cleanup;
    }
    /* The manifests are parsed while the hashing thread finishes the last files. */
    if ((rc = check_bagit_txt(c, &p)) || (rc = load_manifests(c, &p)) ||
        (rc = load_baginfo_fetch(c, &p)) || (rc = hashes_ready(c)))
        goto cleanup;
    {
        size_t payload = 0, weak = 0;

        for (size_t i = 0; i < p.n_manifests; i++)
            if (!p.manifests[i].is_tag) {
                payload++;
                weak += p.manifests[i].alg == ARTBAG_MD5 || p.manifests[i].alg == ARTBAG_SHA1;
                if (artbag_report_add_algorithm(c->r, artbag_alg_name(p.manifests[i].alg)) !=
                    ARTBAG_OK) {
                    rc = ARTBAG_EIO;
                    goto cleanup;
                }
            }
        if (!payload && artbag_report_add(c->r, ARTBAG_PROBLEM, "manifest", NULL, NULL, NULL,
                                          "no payload manifest (manifest-ALG.txt)") != ARTBAG_OK) {
            rc = ARTBAG_EIO;
            goto cleanup;
        }
        /* RFC 8493 2.4 asks 1.0 bags for SHA-256 or SHA-512; MD5 and SHA-1 alone still prove
         * accidental damage, but no longer deliberate change. */
        if (payload && weak == payload && !bagit_097(&p) &&
            artbag_report_add(c->r, ARTBAG_WARNING, "manifest", NULL, NULL, NULL,
                              "only MD5 or SHA-1 payload manifests: BagIt 1.0 asks for sha256 or "
                              "sha512, which a forger cannot match") != ARTBAG_OK) {
            rc = ARTBAG_EIO;
            goto cleanup;
        }
    }
    for (size_t i = 0; i < p.n_manifests; i++)
        if ((rc = check_manifest(c, &p, i, rescan, &need_rescan)))
            goto cleanup;
    if (need_rescan) {
        /* The second call rebuilds what this one found, so forget it now. */
        artbag_report_rewind(c->r);
        *rescan = 1;
        goto cleanup;
    }
    /* No second call will read the payload manifests' lines: they go before the case check
     * makes its table, which would otherwise be the peak. */
    for (size_t i = 0; i < p.n_manifests; i++)
        if (p.ms[i]) {
            free(p.ms[i]->lines);
            p.ms[i]->lines = NULL;
            p.ms[i]->n = p.ms[i]->cap = 0;
        }
    if ((rc = check_unlisted(c, &p)) || (rc = check_tag_manifests(c, &p)) ||
        (rc = check_oxum(c, &p)) || (rc = check_fetch(c, &p)) || (rc = check_parents(c)) ||
        (rc = check_case(c)) || (rc = check_artbag_metadata(c, &p)))
        goto cleanup;
    /* The caller's signature step comes next, then artbag_bagcheck_conclude(), with p. */
    if (!(c->fin = malloc(sizeof(*c->fin)))) {
        rc = ARTBAG_EIO;
        goto cleanup;
    }
    *c->fin = p;
    return ARTBAG_OK;
cleanup:
    parsed_release(&p);
    return rc;
}

int artbag_bagcheck_pending(const struct artbag_bagcheck *c)
{
    return c->fin != NULL;
}

int artbag_bagcheck_conclude(struct artbag_bagcheck *c)
{
    struct parsed *fin = c->fin;
    int rc;

    if (!fin)
        return ARTBAG_OK;
    rc = check_coverage(c, fin);
    if (rc == ARTBAG_OK && c->unverifiable) {
        char n[24];

        snprintf(n, sizeof(n), "%llu", (unsigned long long)c->unverifiable);
        if (artbag_report_add(c->r, ARTBAG_PROBLEM, "unverifiable", c->late_manifest, NULL, n,
                              "comes after %llu of the files it lists in the stream, and no tag "
                              "manifest before them announced it, so they could not be hashed "
                              "in one pass",
                              (unsigned long long)c->unverifiable) != ARTBAG_OK)
            rc = ARTBAG_EIO;
    }
    if (rc == ARTBAG_OK)
        rc = check_profile(c, fin);
    if (rc == ARTBAG_OK)
        rc = record_identity(c, fin);
    fin_release(c);
    return rc;
}

static int sink_begin(void *ctx, const char *path, int type, uint64_t size, int64_t mtime)
{
    (void)mtime;
    return artbag_bagcheck_begin(ctx, path, type, size);
}

static int sink_data(void *ctx, const void *buf, size_t len)
{
    return artbag_bagcheck_data(ctx, buf, len);
}

static int sink_end(void *ctx)
{
    return artbag_bagcheck_end(ctx);
}

static void sink_abort(void *ctx)
{
    struct artbag_bagcheck *c = ctx;

    /* Its digest would be of a fragment: the broken stream is the finding, not a mismatch. */
    if (c->cur) {
        c->cur->incomplete = 1;
        /* A manifest cut short is read as far as it came, as a kept one would be. */
        if (c->cur->streamed && !c->cur->too_large && !c->rescanning)
            mstream_feed(c, manifest_alg(c, c->cur), NULL, 0, 1);
    }
    c->cur = NULL;
    c->cur_mask = 0;
}

void artbag_bagcheck_sink(struct artbag_bagcheck *c, struct artbag_sink *out)
{
    out->ctx = c;
    out->begin = sink_begin;
    out->data = sink_data;
    out->end = sink_end;
    out->abort = sink_abort;
    out->root = NULL;
}
