/*
 * threads: per-agent work on several threads (load, agent pages). Callers
 * keep each task's results apart and merge them in order afterwards, so the
 * output never depends on which thread ran what.
 */
#ifndef AKB_THREADS_H
#define AKB_THREADS_H

#include <stddef.h>

/*
 * Runs task(ctx, k) once for every k below `n`, on up to `threads` threads,
 * this one among them; returns when all are done. Tasks are taken in order
 * of k, so early ones finish first.
 */
void akb_parallel_for(size_t n, unsigned threads, void (*task)(void *ctx, size_t k), void *ctx);

/* One thread per core this process may run on (for -j's default). */
unsigned akb_cores(void);

#endif
