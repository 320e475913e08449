/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* buf.c - a growing byte buffer for building tag files and JSON in memory before they are
 * written, since tag files are small and must be complete before their digests are known. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "util/util.h"

static int buf_reserve(struct artbag_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return ARTBAG_EIO;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return ARTBAG_OK;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return ARTBAG_EIO;
    b->data = p;
    b->cap = cap;
    return ARTBAG_OK;
}

void *artbag_array_grow(void *arr, size_t *cap, size_t n, size_t size, size_t first)
{
    size_t ncap;
    void *grown;

    if (n < *cap)
        return arr;
    ncap = *cap ? *cap : first ? first : 1;
    while (ncap <= n) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size)
        return NULL;
    if (!(grown = realloc(arr, ncap * size)))
        return NULL;
    *cap = ncap;
    return grown;
}

int artbag_buf_append(struct artbag_buf *b, const void *p, size_t n)
{
    if (buf_reserve(b, n) != ARTBAG_OK)
        return ARTBAG_EIO;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return ARTBAG_OK;
}

int artbag_buf_puts(struct artbag_buf *b, const char *s)
{
    return artbag_buf_append(b, s, strlen(s));
}

int artbag_buf_printf(struct artbag_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || buf_reserve(b, (size_t)n) != ARTBAG_OK)
        return ARTBAG_EIO;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ARTBAG_OK;
}

char *artbag_buf_detach(struct artbag_buf *b, size_t *len)
{
    char *p = b->data;

    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void artbag_buf_release(struct artbag_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/*
 * The tables of names (the checker's entries, a manifest's paths) hash names eight bytes at a
 * time with a seed that is random per process: the names come from bundles anyone can make, and
 * a fixed, public hash (FNV-1a before) lets a bundle be built whose names all collide, which
 * turns the tables quadratic. Nothing artbag prints depends on the seed. Hand-written because
 * no library the build already links offers a seeded hash of bytes to a 64-bit value
 * (OpenSSL's SipHash is a MAC behind EVP, a hundred times the cost per short name).
 */
static uint64_t hash_seed;
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_seed_init(void)
{
    uint64_t s = 0;

    if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
        s = (uint64_t)(uintptr_t)&s; /* no entropy yet: the stack address still varies */
    hash_seed = s | 1;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

uint64_t artbag_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h, w;

    pthread_once(&hash_once, hash_seed_init);
    h = hash_seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = mix(h ^ w);
    }
    w = 0;
    memcpy(&w, s, n);
    return mix(h ^ w ^ ((uint64_t)n << 56));
}

int artbag_all_zero(const unsigned char *p, size_t n)
{
    /* memcmp against itself shifted by one runs at memory speed: padding may be gigabytes. */
    return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

void artbag_size_str(uint64_t n, char out[32])
{
    static const char *const unit[] = {"TiB", "GiB", "MiB", "KiB"};

    for (int i = 0; i < 4; i++) {
        uint64_t u = (uint64_t)1 << (10 * (4 - i));

        if (n >= u && n % u == 0) {
            snprintf(out, 32, "%llu %s", (unsigned long long)(n / u), unit[i]);
            return;
        }
    }
    snprintf(out, 32, "%llu bytes", (unsigned long long)n);
}

char *artbag_memdup_str(const void *p, size_t n)
{
    char *s = n < SIZE_MAX ? malloc(n + 1) : NULL;

    if (!s)
        return NULL;
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}
