/*
 * strmap: a hash map from strings to indexes (open addressing, FNV-1a),
 * for the lookups that would otherwise be quadratic on 10,000 agents.
 */
#ifndef AKB_STRMAP_H
#define AKB_STRMAP_H

#include <stddef.h>

struct akb_strmap {
	char **keys;    /* owned copies; NULL marks an empty slot */
	size_t *values;
	size_t cap, len;
};

void akb_strmap_init(struct akb_strmap *m);
void akb_strmap_release(struct akb_strmap *m);
/* Returns 1 and sets *value if `key` is present. */
int akb_strmap_get(const struct akb_strmap *m, const char *key, size_t *value);
/*
 * Inserts or replaces; returns the map's own copy of `key`, which stays
 * valid (and in place) until the map is released.
 */
const char *akb_strmap_set(struct akb_strmap *m, const char *key, size_t value);

#endif
