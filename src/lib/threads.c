/* threads.c - how artbag's worker threads start and stop, the same way in every module. */
#include <pthread.h>
#include <signal.h>

#include "internal.h"

int artbag_thread_start(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    int rc;

    /* A new thread inherits the creator's mask: with every signal blocked in the workers,
     * signals stay with the calling thread, where the cancel checks are and whose blocking
     * reads they are meant to interrupt. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(tid, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
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
