/* SPDX-License-Identifier: Apache-2.0 */
/* Copyright 2026 The artbag authors */
/* test_threads.c - unit tests for threads.c's ordered pool: results come back in queue order
 * whatever the thread count, and when no worker can make its state (no memory), the owner does
 * all the work itself instead of waiting for ever. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>

#include "util/util.h"

#define NSLOTS 8
#define JOBS   2000

struct work {
    uint64_t in[NSLOTS], out[NSLOTS];
    pthread_t ran_on[NSLOTS];
};

static int states_made;
static int fail_workers; /* state_new fails after the owner's */
static pthread_mutex_t states_mu = PTHREAD_MUTEX_INITIALIZER;

static void *state_new(void)
{
    int n;

    pthread_mutex_lock(&states_mu);
    n = states_made++;
    pthread_mutex_unlock(&states_mu);
    if (n > 0 && fail_workers)
        return NULL;
    return malloc(1);
}

static void state_free(void *state)
{
    free(state);
}

static void run(void *ctx, void *state, size_t slot)
{
    struct work *w = ctx;

    /* No cmocka assertion here: it may run on a worker thread. A missing state shows as a
     * wrong result. */
    w->out[slot] = state ? w->in[slot] * w->in[slot] + 1 : 0;
    w->ran_on[slot] = pthread_self();
}

static const struct artbag_pool_ops ops = {state_new, state_free, run};

/* Queues JOBS jobs through the ring, keeping it full, and checks each result in order. Returns
 * how many ran on the calling thread. */
static int drive(int threads)
{
    struct artbag_pool p;
    struct work w;
    uint64_t queued = 0, taken = 0;
    int on_owner = 0;

    states_made = 0;
    assert_int_equal(artbag_pool_init(&p, NSLOTS, &ops, &w), ARTBAG_OK);
    if (threads > 0)
        artbag_pool_start(&p, threads);
    while (taken < JOBS) {
        while (queued < JOBS && queued - taken < NSLOTS) {
            w.in[queued % NSLOTS] = queued;
            artbag_pool_queue(&p);
            queued++;
        }
        assert_int_equal(artbag_pool_wait(&p, (size_t)(taken % NSLOTS), 1), 1);
        assert_int_equal(w.out[taken % NSLOTS], taken * taken + 1);
        on_owner += pthread_equal(w.ran_on[taken % NSLOTS], pthread_self()) != 0;
        taken++;
    }
    artbag_pool_destroy(&p);
    return on_owner;
}

static void test_in_order(void **state)
{
    (void)state;
    fail_workers = 0;
    assert_int_equal(drive(0), JOBS); /* no thread started: the owner works */
    /* While threads work, the owner only queues and takes results. */
    assert_int_equal(drive(1), 0);
    assert_int_equal(drive(2), 0);
    assert_int_equal(drive(4), 0);
}

static void test_workers_without_state(void **state)
{
    (void)state;
    fail_workers = 1;
    /* Every worker leaves at once; the owner must notice and do every job itself. */
    assert_int_equal(drive(4), JOBS);
    assert_int_equal(states_made, 5);
    fail_workers = 0;
}

/* Without block, a job not yet done is reported as such, not waited for. */
static void test_wait_without_block(void **state)
{
    struct artbag_pool p;
    struct work w;

    (void)state;
    fail_workers = 0;
    assert_int_equal(artbag_pool_init(&p, NSLOTS, &ops, &w), ARTBAG_OK);
    w.in[0] = 7;
    artbag_pool_queue(&p);
    /* No thread: nobody works the slot until a blocking wait lets the owner do it. */
    assert_int_equal(artbag_pool_wait(&p, 0, 0), 0);
    assert_int_equal(artbag_pool_wait(&p, 0, 1), 1);
    assert_int_equal(w.out[0], 50);
    artbag_pool_destroy(&p);
    artbag_pool_destroy(&p); /* a second destroy is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_workers_without_state),
        cmocka_unit_test(test_wait_without_block),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
