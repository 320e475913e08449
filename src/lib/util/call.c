/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/*
 * call.c - what belongs to one public call rather than to the process: its cancel token, its
 * progress callback, and the size of the caller's option struct.
 *
 * A public operation opens a scope (artbag_call_enter) that lives on its stack and is found
 * through a thread-local pointer, so the byte loops deep below (instream.c's reads, verify's
 * file reads) reach it without a parameter threaded through every layer. Threads the call
 * starts adopt its token (threads.c), never its progress callback: callbacks run only in the
 * thread that made the call, as the header promises.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

struct artbag_cancel_token {
    atomic_int triggered; /* lock-free on every platform we build for: signal-safe */
};

/* The innermost scope open in this thread, and the token of the thread that started it. */
static _Thread_local struct artbag_call *current;
static _Thread_local const struct artbag_cancel_token *adopted;

struct artbag_cancel_token *artbag_cancel_token_new(void)
{
    struct artbag_cancel_token *t = malloc(sizeof(*t));

    if (t)
        atomic_init(&t->triggered, 0);
    return t;
}

void artbag_cancel_token_trigger(struct artbag_cancel_token *t)
{
    if (t)
        atomic_store(&t->triggered, 1);
}

int artbag_cancel_token_triggered(const struct artbag_cancel_token *t)
{
    return t && atomic_load(&((struct artbag_cancel_token *)t)->triggered) != 0;
}

void artbag_cancel_token_free(struct artbag_cancel_token *t)
{
    free(t);
}

const struct artbag_cancel_token *artbag_call_token(void)
{
    return current ? current->cancel : adopted;
}

void artbag_call_adopt(const struct artbag_cancel_token *t)
{
    adopted = t;
}

void artbag_call_enter(struct artbag_call *c, const char *operation,
                       struct artbag_cancel_token *cancel, artbag_progress_fn fn, void *ctx)
{
    memset(c, 0, sizeof(*c));
    c->outer = current;
    /* A call without a token of its own still stops with the call or thread around it: an
     * audit's checks with the audit's token. */
    c->cancel = cancel ? cancel : artbag_call_token();
    /* Only the outermost scope of a thread reports: a collection's articles do not each report
     * as a pack of their own. */
    if (!c->outer) {
        c->fn = fn;
        c->ctx = ctx;
    }
    c->p.operation = operation;
    current = c;
}

void artbag_call_leave(struct artbag_call *c)
{
    current = c->outer;
}

static void report(struct artbag_call *c)
{
    c->reported = c->p.bytes_done;
    c->fn(c->ctx, &c->p);
}

/* Only an outermost scope has fn set (artbag_call_enter), so an inner call's input does not
 * replace the one the caller's meter shows. */
void artbag_call_input(const char *path, uint64_t bytes_total)
{
    if (current && current->fn) {
        current->p.path = path;
        current->p.bytes_total = bytes_total;
    }
}

/* After every megabyte: often enough for a meter, rarely enough to cost nothing. */
#define REPORT_EVERY ((uint64_t)1 << 20)

void artbag_call_bytes(uint64_t n)
{
    struct artbag_call *c = current;

    if (!c || !c->fn)
        return;
    c->p.bytes_done += n;
    if (c->p.bytes_done - c->reported >= REPORT_EVERY)
        report(c);
}

void artbag_call_items(uint64_t done, uint64_t total, uint64_t bytes)
{
    struct artbag_call *c = current;

    if (!c || !c->fn)
        return;
    c->p.items_done = done;
    c->p.items_total = total;
    c->p.bytes_done = bytes;
    report(c);
}

void artbag_call_done(void)
{
    if (current && current->fn)
        report(current);
}

int artbag_options_adopt(void *dst, size_t dst_size, const void *src, const char *what,
                         struct artbag_error *err)
{
    size_t n;

    if (!src)
        return ARTBAG_OK;
    memcpy(&n, src, sizeof(n));
    if (n < sizeof(size_t))
        return artbag_error_set(err, ARTBAG_EUSAGE,
                                "%s options were not initialised (call artbag_%s_options_init)",
                                what, what);
    /* Fields past the caller's size keep the defaults already in dst; the caller's size is
     * what it was compiled with, ours what we were. */
    memcpy((char *)dst + sizeof(size_t), (const char *)src + sizeof(size_t),
           (n < dst_size ? n : dst_size) - sizeof(size_t));
    return ARTBAG_OK;
}
