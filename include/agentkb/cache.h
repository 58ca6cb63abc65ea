/*
 * cache: the build cache, what the last successful build wrote into OUT
 * (each file's path, size, content digest and the stat it had). A rebuild
 * writes only the files whose bytes changed and trusts the rest only while
 * their stat is the one recorded, so a file touched by hand is written
 * again. The cache lives in OUT's parent, `.agentkb-cache/NAME.manifest`.
 * A corrupt or foreign cache is ignored with a warning, never trusted.
 */
#ifndef AKB_CACHE_H
#define AKB_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/strmap.h"

struct akb_cache_entry {
	char *path;       /* inside OUT, '/'-separated (owned) */
	uint64_t digest;  /* akb_digest of the bytes */
	uint64_t size;
	int64_t mtime_s;  /* the file's stat once written */
	long mtime_ns;
	uint64_t ino;
	int staged;       /* written this build (in the staging folder), not kept */
};

struct akb_cache {
	struct akb_cache_entry *items;
	size_t len, cap;
	struct akb_strmap index; /* path -> item */
};

/* The cache file of the site folder `out_dir`. */
void akb_cache_file(const char *out_dir, struct akb_buf *file);

void akb_cache_init(struct akb_cache *c);
void akb_cache_release(struct akb_cache *c);

/*
 * Reads a cache file. Returns 0, 1 when there is none, or -1 when it is
 * corrupt or foreign (warned; `c` left empty).
 */
int akb_cache_load(struct akb_cache *c, const char *file, struct akb_diag *diag);
/* Writes it (sorted by path) through a temporary file and a rename. Returns 0 or -1 (warned). */
int akb_cache_save(struct akb_cache *c, const char *file, struct akb_diag *diag);
/* Removes a cache file; a missing one is fine. */
void akb_cache_remove(const char *file);

/* Adds an entry (the path is copied); returns it. Not thread-safe: callers lock. */
struct akb_cache_entry *akb_cache_add(struct akb_cache *c, const char *path, uint64_t digest, uint64_t size,
				      const struct stat *st);
const struct akb_cache_entry *akb_cache_find(const struct akb_cache *c, const char *path);
/* Is `st` the stat recorded for the entry (size, mtime, inode)? */
int akb_cache_stat_matches(const struct akb_cache_entry *e, const struct stat *st);

#endif
