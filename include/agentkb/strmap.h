/*
 * strmap: the one hash map of agentkb, from byte strings to indexes (open
 * addressing, linear probing, FNV-1a), for every lookup that would
 * otherwise be quadratic on 10,000 agents: slugs and paths, template names,
 * highlight keywords and aliases, a bundle's shared fragments.
 *
 * Keys are byte strings (they may hold NUL). A map copies its keys unless
 * it was made with akb_strmap_init_borrowed, when the caller keeps them
 * alive and unchanged for the map's life. Values are size_t: an index into
 * the caller's own array, usually.
 */
#ifndef AKB_STRMAP_H
#define AKB_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct akb_strmap_slot {
	const char *key; /* NULL marks an empty slot; owned unless the map borrows */
	size_t len;
	uint64_t hash;
	size_t value;
};

struct akb_strmap {
	struct akb_strmap_slot *slots;
	size_t cap, len;
	int borrowed;    /* keys are the caller's */
};

/* FNV-1a, 64 bits. */
uint64_t akb_hash_bytes(const void *p, size_t n);
/* A fast 64-bit digest of file contents, eight bytes a step (not cryptographic). */
uint64_t akb_digest(const void *data, size_t len);

void akb_strmap_init(struct akb_strmap *m);
void akb_strmap_init_borrowed(struct akb_strmap *m);
void akb_strmap_release(struct akb_strmap *m);

/* Returns 1 and sets *value (if not NULL) when `key` is present. */
int akb_strmap_get(const struct akb_strmap *m, const char *key, size_t *value);
int akb_strmap_getn(const struct akb_strmap *m, const char *key, size_t len, size_t *value);
/* The same with `key` lower-cased (ASCII) first; stored keys are compared as they are. */
int akb_strmap_getn_folded(const struct akb_strmap *m, const char *key, size_t len, size_t *value);

/*
 * Inserts or replaces; returns the map's key (its copy, or the borrowed
 * pointer), which stays valid and unchanged until the map is released.
 */
const char *akb_strmap_set(struct akb_strmap *m, const char *key, size_t value);
const char *akb_strmap_setn(struct akb_strmap *m, const char *key, size_t len, size_t value);
/*
 * Adds `key` with `value` unless present; returns the value the key has now
 * (the old one when it was present), and in *added whether it was new.
 */
size_t akb_strmap_add(struct akb_strmap *m, const char *key, size_t len, size_t value, int *added);

/*
 * For loops that hash a key once and look it up in more than one map
 * (search.c: a document's terms, then the index's). `hash` must be
 * akb_hash_bytes(key, len). Returns the key's slot; when it was absent,
 * *added is 1 and the slot holds `key` with value 0: the caller sets the
 * value and, in a borrowed map, points the slot's key at a lasting copy.
 */
struct akb_strmap_slot *akb_strmap_put_hashed(struct akb_strmap *m, const char *key, size_t len, uint64_t hash,
					      int *added);

/* Makes room for `n` entries in all, so that adding them never grows the table. */
void akb_strmap_reserve(struct akb_strmap *m, size_t n);

/* Asks the CPU to fetch where `hash` starts probing, ahead of a lookup (a hint; no effect on the map). */
static inline void akb_strmap_prefetch(const struct akb_strmap *m, uint64_t hash)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[(size_t)hash & (m->cap - 1)]);
}

#endif
