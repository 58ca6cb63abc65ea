/*
 * strmap: a string-to-index hash map (see strmap.h).
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/strmap.h"

static uint64_t S_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

void akb_strmap_init(struct akb_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void akb_strmap_release(struct akb_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

static size_t S_slot(const struct akb_strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)S_hash(key) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

int akb_strmap_get(const struct akb_strmap *m, const char *key, size_t *value)
{
	if (!m->cap)
		return 0;
	size_t i = S_slot(m, key);
	if (!m->keys[i])
		return 0;
	if (value)
		*value = m->values[i];
	return 1;
}

const char *akb_strmap_set(struct akb_strmap *m, const char *key, size_t value)
{
	if ((m->len + 1) * 2 > m->cap) {
		struct akb_strmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 32;
		m->keys = akb_xcalloc(m->cap, sizeof(char *));
		m->values = akb_xcalloc(m->cap, sizeof(size_t));
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.keys[i])
				continue;
			size_t j = S_slot(m, old.keys[i]);
			m->keys[j] = old.keys[i];
			m->values[j] = old.values[i];
		}
		free(old.keys);
		free(old.values);
	}
	size_t i = S_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = akb_xstrdup(key);
		m->len++;
	}
	m->values[i] = value;
	return m->keys[i];
}
