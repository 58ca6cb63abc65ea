/*
 * strmap: the byte-string hash map (see strmap.h). The table is at most half
 * full, so probes stay short; each slot keeps its hash, so growing never
 * rehashes a key and most mismatches cost no memcmp.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/strmap.h"

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static unsigned char S_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

uint64_t akb_hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

static uint64_t S_read64(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static uint64_t S_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Eight bytes a step over four lanes, each a multiply-rotate; the lanes are mixed at the end. */
uint64_t akb_digest(const void *data, size_t len)
{
	const unsigned char *p = data;
	const uint64_t k1 = 0x9e3779b97f4a7c15ULL, k2 = 0xbf58476d1ce4e5b9ULL;
	uint64_t lane[4] = { k1, k2, k1 ^ len, k2 ^ (len << 1) };
	size_t i = 0;
	for (; i + 32 <= len; i += 32)
		for (int k = 0; k < 4; k++) {
			uint64_t v = lane[k] ^ (S_read64(p + i + 8 * (size_t)k) * k2);
			lane[k] = ((v << 31) | (v >> 33)) * k1;
		}
	uint64_t h = lane[0] ^ S_mix(lane[1]) ^ S_mix(S_mix(lane[2])) ^ S_mix(S_mix(S_mix(lane[3])));
	for (; i + 8 <= len; i += 8)
		h = S_mix(h ^ S_read64(p + i));
	uint64_t tail = 0;
	for (size_t k = 0; i < len; i++, k++)
		tail |= (uint64_t)p[i] << (8 * k);
	return S_mix(h ^ S_mix(tail ^ len));
}

static uint64_t S_hash_folded(const char *s, size_t n)
{
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < n; i++)
		h = (h ^ S_lower((unsigned char)s[i])) * FNV_PRIME;
	return h;
}

void akb_strmap_init(struct akb_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void akb_strmap_init_borrowed(struct akb_strmap *m)
{
	memset(m, 0, sizeof(*m));
	m->borrowed = 1;
}

void akb_strmap_release(struct akb_strmap *m)
{
	if (!m->borrowed)
		for (size_t i = 0; i < m->cap; i++)
			free((char *)m->slots[i].key);
	free(m->slots);
	int borrowed = m->borrowed;
	memset(m, 0, sizeof(*m));
	m->borrowed = borrowed;
}

static int S_eq(const struct akb_strmap_slot *s, const char *key, size_t len, uint64_t h, int fold)
{
	if (s->hash != h || s->len != len)
		return 0;
	if (!fold)
		return memcmp(s->key, key, len) == 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s->key[i] != S_lower((unsigned char)key[i]))
			return 0;
	return 1;
}

/* The slot holding `key`, or the empty slot where it would go. The map has a slot. */
static size_t S_slot(const struct akb_strmap *m, const char *key, size_t len, uint64_t h, int fold)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	while (m->slots[i].key && !S_eq(&m->slots[i], key, len, h, fold))
		i = (i + 1) & mask;
	return i;
}

static int S_get(const struct akb_strmap *m, const char *key, size_t len, uint64_t h, int fold, size_t *value)
{
	if (!m->len)
		return 0;
	size_t i = S_slot(m, key, len, h, fold);
	if (!m->slots[i].key)
		return 0;
	if (value)
		*value = m->slots[i].value;
	return 1;
}

int akb_strmap_getn(const struct akb_strmap *m, const char *key, size_t len, size_t *value)
{
	return S_get(m, key, len, akb_hash_bytes(key, len), 0, value);
}

int akb_strmap_get(const struct akb_strmap *m, const char *key, size_t *value)
{
	return akb_strmap_getn(m, key, strlen(key), value);
}

int akb_strmap_getn_folded(const struct akb_strmap *m, const char *key, size_t len, size_t *value)
{
	return S_get(m, key, len, S_hash_folded(key, len), 1, value);
}

/* Moves the entries into a table of `cap` slots (a power of two, more than twice the entries). */
static void S_resize(struct akb_strmap *m, size_t cap)
{
	struct akb_strmap_slot *slots = akb_xcalloc(cap, sizeof(*slots));
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = (size_t)m->slots[i].hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

static void S_grow(struct akb_strmap *m)
{
	S_resize(m, m->cap ? m->cap * 2 : 32);
}

void akb_strmap_reserve(struct akb_strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 32;
	while (cap / 2 < n + 1 && cap <= SIZE_MAX / 4)
		cap *= 2;
	if (cap > m->cap)
		S_resize(m, cap);
}

/* The slot of `key`, filled with a new entry (value 0) when absent; *added says which. */
static struct akb_strmap_slot *S_put_hashed(struct akb_strmap *m, const char *key, size_t len, uint64_t h, int *added)
{
	if ((m->len + 1) * 2 > m->cap)
		S_grow(m);
	struct akb_strmap_slot *s = &m->slots[S_slot(m, key, len, h, 0)];
	*added = !s->key;
	if (*added) {
		if (m->borrowed) {
			s->key = key;
		} else {
			char *copy = akb_xmalloc(len + 1);
			memcpy(copy, key, len);
			copy[len] = '\0';
			s->key = copy;
		}
		s->len = len;
		s->hash = h;
		s->value = 0;
		m->len++;
	}
	return s;
}

static struct akb_strmap_slot *S_put(struct akb_strmap *m, const char *key, size_t len, int *added)
{
	return S_put_hashed(m, key, len, akb_hash_bytes(key, len), added);
}

struct akb_strmap_slot *akb_strmap_put_hashed(struct akb_strmap *m, const char *key, size_t len, uint64_t hash,
					      int *added)
{
	return S_put_hashed(m, key, len, hash, added);
}

const char *akb_strmap_setn(struct akb_strmap *m, const char *key, size_t len, size_t value)
{
	int added;
	struct akb_strmap_slot *s = S_put(m, key, len, &added);
	s->value = value;
	return s->key;
}

const char *akb_strmap_set(struct akb_strmap *m, const char *key, size_t value)
{
	return akb_strmap_setn(m, key, strlen(key), value);
}

size_t akb_strmap_add(struct akb_strmap *m, const char *key, size_t len, size_t value, int *added)
{
	int fresh;
	struct akb_strmap_slot *s = S_put(m, key, len, &fresh);
	if (fresh)
		s->value = value;
	if (added)
		*added = fresh;
	return s->value;
}
