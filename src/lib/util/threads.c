/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* threads.c - how artbag's worker threads start and stop, the same way in every module, and the
 * ordered pool that deflates and inflates gzip members on them. The pool is hand-written because
 * the results must come back in stream order with a compressor state per thread, which no
 * library linked here (pthreads has no pool; zlib and libdeflate have no threads) provides. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* What a new thread needs before it runs fn: the cancel token of the call that started it. */
struct start {
    void *(*fn)(void *);
    void *arg;
    const struct artbag_cancel_token *token;
};

static void *start_thread(void *p)
{
    struct start s = *(struct start *)p;

    free(p);
    artbag_call_adopt(s.token);
    return s.fn(s.arg);
}

int artbag_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    struct start *s = malloc(sizeof(*s));
    int rc;

    if (!s)
        return ARTBAG_EIO;
    s->fn = fn;
    s->arg = arg;
    s->token = artbag_call_token();

    /* A new thread inherits the creator's mask: with every signal blocked in the workers,
     * signals stay with the calling thread, where the cancel checks are and whose blocking
     * reads they are meant to interrupt. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(tid, NULL, start_thread, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        free(s);
    return rc == 0 ? ARTBAG_OK : ARTBAG_EIO;
}

void artbag_threads_stop(pthread_mutex_t *mu, pthread_cond_t *wake, int *stop,
                         const pthread_t *tids, int n)
{
    pthread_mutex_lock(mu);
    *stop = 1;
    pthread_cond_broadcast(wake);
    pthread_mutex_unlock(mu);
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
}

/* ---- the ordered pool --------------------------------------------------------------------- */

/* With p->mu held: works the oldest queued slot, if any, the lock dropped meanwhile. Returns 1
 * when it did one, 0 when none was waiting. */
static int pool_run_one(struct artbag_pool *p, void *state)
{
    size_t slot;

    if (p->njob == p->nqueued)
        return 0;
    slot = (size_t)(p->njob++ % p->nslots);
    p->state[slot] = ARTBAG_POOL_BUSY;
    pthread_mutex_unlock(&p->mu);
    p->ops->run(p->ctx, state, slot);
    pthread_mutex_lock(&p->mu);
    p->state[slot] = ARTBAG_POOL_DONE;
    pthread_cond_broadcast(&p->done);
    return 1;
}

static void *pool_worker(void *arg)
{
    struct artbag_pool *p = arg;
    void *state = p->ops->state_new();

    pthread_mutex_lock(&p->mu);
    if (!state) {
        /* A thread without its state leaves; once none is left the owner works alone. */
        p->alive--;
        pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    while (!p->stop)
        if (!pool_run_one(p, state))
            pthread_cond_wait(&p->work, &p->mu);
    pthread_mutex_unlock(&p->mu);
    p->ops->state_free(state);
    return NULL;
}

int artbag_pool_init(struct artbag_pool *p, size_t nslots, const struct artbag_pool_ops *ops,
                     void *ctx)
{
    memset(p, 0, sizeof(*p));
    p->ops = ops;
    p->ctx = ctx;
    p->nslots = nslots;
    if (!(p->state = calloc(nslots, sizeof(*p->state))) || !(p->own = ops->state_new())) {
        free(p->state);
        p->state = NULL;
        return ARTBAG_EIO;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->live = 1;
    return ARTBAG_OK;
}

void artbag_pool_start(struct artbag_pool *p, int n)
{
    if (p->tids || n < 1 || !(p->tids = calloc((size_t)n, sizeof(*p->tids))))
        return;
    pthread_mutex_lock(&p->mu);
    while (p->nworkers < n &&
           artbag_thread_start(&p->tids[p->nworkers], pool_worker, p) == ARTBAG_OK)
        p->nworkers++;
    p->alive = p->nworkers;
    pthread_mutex_unlock(&p->mu);
}

void artbag_pool_queue(struct artbag_pool *p)
{
    pthread_mutex_lock(&p->mu);
    p->state[p->nqueued % p->nslots] = ARTBAG_POOL_QUEUED;
    p->nqueued++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

int artbag_pool_wait(struct artbag_pool *p, size_t slot, int block)
{
    pthread_mutex_lock(&p->mu);
    while (p->state[slot] != ARTBAG_POOL_DONE) {
        if (!block) {
            pthread_mutex_unlock(&p->mu);
            return 0;
        }
        /* While threads work the owner takes no slot: it alone refills the ring and hands
         * results on, so a slot of its own would leave the threads idle behind a full ring,
         * and n threads already use the n cores asked for. */
        if (p->alive > 0 || !pool_run_one(p, p->own))
            pthread_cond_wait(&p->done, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return 1;
}

void artbag_pool_destroy(struct artbag_pool *p)
{
    if (!p->live)
        return;
    if (p->tids) {
        artbag_threads_stop(&p->mu, &p->work, &p->stop, p->tids, p->nworkers);
        free(p->tids);
    }
    p->ops->state_free(p->own);
    free(p->state);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    p->live = 0;
}
