/*
 * threads: a shared counter handing out task numbers to a few threads
 * (threads.h). No queue of work items is needed: tasks are numbered.
 */
#include "core/prefix.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/threads.h"

struct pool {
	void (*task)(void *ctx, size_t k);
	void *ctx;
	size_t n;
	pthread_mutex_t lock;
	size_t next;
};

static void *S_worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t k = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (k >= p->n)
			return NULL;
		p->task(p->ctx, k);
	}
}

void akb_parallel_for(size_t n, unsigned threads, void (*task)(void *ctx, size_t k), void *ctx)
{
	struct pool p = { task, ctx, n, PTHREAD_MUTEX_INITIALIZER, 0 };
	if (threads > n)
		threads = n ? (unsigned)n : 1;
	pthread_t *tids = akb_xcalloc(threads, sizeof(*tids));
	unsigned started = 0;
	/* Fewer threads than asked (none at all, even) still finish the work: this one takes tasks too. */
	while (started + 1 < threads && pthread_create(&tids[started], NULL, S_worker, &p) == 0)
		started++;
	S_worker(&p);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
	free(tids);
}

unsigned akb_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}
