/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* gz.h - the multi-member gzip format artbag writes and reads in parallel, and its thread knobs.
 * The member framing is written here because zlib and libdeflate deflate one stream and frame it
 * as one member; neither splits a stream into members whose sizes a reader can find (BGZF, which
 * does, has a 16-bit size field: too small for 1 MiB blocks, below). */
#ifndef ARTBAG_GZ_H
#define ARTBAG_GZ_H

#include "archive/archive.h"

/*
 * The tar stream is cut into blocks of this many bytes, each deflated alone into one gzip
 * member. Independent blocks lose what a shared window would have found: on the article-like
 * corpus of tests/bench/gz_bench.sh, with zlib's deflate, 256 KiB blocks came out 2.0% larger
 * than `gzip -6`, 512 KiB 1.1%, 1 MiB 0.6%; libdeflate's level 6 makes up for it (1 MiB
 * members come to 0.999 x `gzip -6` on the collection's tar, tests/bench/RESULTS.md). It
 * is also the most a member of ours may inflate to, which bounds the reader's memory against
 * hostile input.
 */
#define ARTBAG_GZ_BLOCK (1024 * 1024)

/*
 * Every member's header carries FEXTRA with one subfield, SI1 'A' SI2 'B' (for artbag), LEN 4,
 * holding the member's total size (header, deflate data and trailer) as a little-endian 32-bit
 * number. BGZF's 'BC' subfield does the same in 16 bits, too few for 1 MiB blocks.
 */
#define ARTBAG_GZ_SI1     'A'
#define ARTBAG_GZ_SI2     'B'
#define ARTBAG_GZ_HEADER  20 /* 10 fixed bytes, XLEN, and the 8-byte subfield */
#define ARTBAG_GZ_TRAILER 8  /* CRC-32 and ISIZE */

/*
 * The largest member the reader accepts as one of ours: the deflate bound (zlib's and
 * libdeflate's alike) for a block that does not compress is under a block and a thousandth,
 * and the rest leaves room for a header that also names a file or carries a comment. A size
 * field beyond it is a lie.
 */
#define ARTBAG_GZ_MEMBER_MAX (ARTBAG_GZ_BLOCK + ARTBAG_GZ_BLOCK / 1024 + 256 * 1024)

/* The number of online CPUs (at least 1), the default thread count of writer and reader. */
int artbag_gz_default_threads(void);

/*
 * Deflates on n threads (n <= 0: the default above). The output bytes are the same whatever n
 * is. Takes effect when called before the first artbag_gzw_write(); later calls are ignored.
 * n = 1 deflates in the calling thread and starts no thread at all.
 */
void artbag_gzw_set_threads(struct artbag_gzw *g, int n);

/*
 * Inflates artbag's own multi-member gzip on n threads (n <= 0: the default). Takes effect when
 * called before the first artbag_instream_read(); other streams ignore it. Threads start only
 * once a second member is seen, so a small bundle is inflated in the calling thread.
 */
void artbag_instream_set_threads(struct artbag_instream *s, int n);

#endif /* ARTBAG_GZ_H */
