/*
 * value: the dynamic value tree every stage exchanges (see value.h).
 */
#include "core/prefix.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/value.h"

/*
 * The keys cards, pages and front-matter have, held once for the whole
 * process instead of once in every map (a card has some forty): maps point
 * at these, and never free them (akb_value_free_key). Sorted bytewise, for
 * the binary search; tests/unit/test_buf_value.c checks the order.
 */
static const char S_keys[][20] = {
	"access", "agent", "agent_count", "agents", "all", "allowed-tools", "also_in", "any_agent", "archive_url",
	"argument-hint", "author", "base_url", "body", "can", "canonical", "categories", "category", "collections",
	"color", "commentary", "components", "context", "count", "current", "data", "denied", "department",
	"description", "disallowedTools", "edges", "emoji", "examples", "files", "group_count", "group_label",
	"group_title", "groups", "harness", "id", "in_session", "inherits_all", "install_command", "install_dir",
	"install_path", "install_user_dir", "items", "key", "kind", "kind_badge", "kind_key", "label", "lang",
	"language", "level", "linked", "many_groups", "marketplace_name", "mcp", "message", "meta", "model", "more",
	"name", "nav", "no_tools", "nodes", "page_html", "path", "plugin", "plugin_install", "plugin_list",
	"preapproved", "priority", "problems", "qualifier", "raw", "raw_name", "raw_url", "related", "role", "root",
	"rule", "server", "site", "size", "slug", "some_agents", "source", "starts", "stats", "sub", "summary",
	"svg", "tags", "taxonomies", "taxonomy", "taxonomy_url", "term", "terms", "text", "title", "toc",
	"token_count", "tokens", "tools", "total", "total_tokens", "translations", "turns", "url", "used_by",
	"value", "values", "version", "where", "works_with"
};
#define S_NKEYS (sizeof(S_keys) / sizeof(S_keys[0]))

static int S_static_key(const char *key)
{
	uintptr_t p = (uintptr_t)key;
	return p >= (uintptr_t)S_keys[0] && p < (uintptr_t)S_keys[0] + sizeof(S_keys);
}

char *akb_value_key(const char *key, size_t len)
{
	size_t lo = 0, hi = S_NKEYS;
	while (len < sizeof(S_keys[0]) && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(key, S_keys[mid], len);
		if (c == 0 && S_keys[mid][len] == '\0')
			return (char *)S_keys[mid]; /* shared, read-only: never written through, never freed */
		if (c < 0 || c == 0) /* c == 0: `key` is a prefix of the table's, so it sorts first */
			hi = mid;
		else
			lo = mid + 1;
	}
	return akb_xstrndup(key, len);
}

void akb_value_free_key(char *key)
{
	if (!S_static_key(key))
		free(key);
}

const char *akb_value_static_key(size_t i)
{
	return i < S_NKEYS ? S_keys[i] : NULL;
}

void akb_value_release(struct akb_value *v)
{
	size_t i;
	switch (v->kind) {
	case AKB_STRING:
		free(v->u.str.ptr);
		break;
	case AKB_LIST:
		for (i = 0; i < v->u.list.len; i++)
			akb_value_release(&v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case AKB_MAP:
		for (i = 0; i < v->u.map.len; i++) {
			akb_value_free_key(v->u.map.items[i].key);
			akb_value_release(&v->u.map.items[i].value);
		}
		free(v->u.map.items);
		break;
	default:
		break;
	}
	memset(v, 0, sizeof(*v));
	v->kind = AKB_NULL;
}

void akb_value_set_null(struct akb_value *v)
{
	memset(v, 0, sizeof(*v));
	v->kind = AKB_NULL;
}

void akb_value_set_bool(struct akb_value *v, int b)
{
	akb_value_set_null(v);
	v->kind = AKB_BOOL;
	v->u.boolean = b != 0;
}

void akb_value_set_number(struct akb_value *v, double n)
{
	akb_value_set_null(v);
	v->kind = AKB_NUMBER;
	v->u.number = n;
}

void akb_value_take_string(struct akb_value *v, char *s, size_t len)
{
	akb_value_set_null(v);
	v->kind = AKB_STRING;
	v->u.str.ptr = s;
	v->u.str.len = len;
}

void akb_value_set_string(struct akb_value *v, const char *s, size_t len)
{
	akb_value_take_string(v, akb_xstrndup(s, len), len);
}

void akb_value_set_cstr(struct akb_value *v, const char *s)
{
	akb_value_set_string(v, s, strlen(s));
}

void akb_value_set_list(struct akb_value *v)
{
	akb_value_set_null(v);
	v->kind = AKB_LIST;
}

void akb_value_set_map(struct akb_value *v)
{
	akb_value_set_null(v);
	v->kind = AKB_MAP;
}

struct akb_value *akb_list_push(struct akb_value *list)
{
	if (list->kind != AKB_LIST)
		return NULL;
	if (list->u.list.len == list->u.list.cap) {
		size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items = akb_xrealloc(list->u.list.items, akb_xmul(cap, sizeof(struct akb_value)));
		list->u.list.cap = cap;
	}
	struct akb_value *item = &list->u.list.items[list->u.list.len++];
	akb_value_set_null(item);
	return item;
}

void akb_list_borrow(struct akb_value *list, const struct akb_value *item)
{
	struct akb_value *slot = akb_list_push(list);
	if (slot)
		*slot = *item;
}

void akb_list_disown(struct akb_value *list)
{
	if (list && list->kind == AKB_LIST)
		list->u.list.len = 0;
}

void akb_value_put_canonical(const struct akb_value *v, struct akb_buf *out)
{
	akb_value_put_canonical_with(v, out, NULL, NULL);
}

void akb_value_put_canonical_with(const struct akb_value *v, struct akb_buf *out, akb_canonical_stand_in stand_in,
				  void *ctx)
{
	switch (v->kind) {
	case AKB_NULL:
		akb_buf_putc(out, 'n');
		break;
	case AKB_BOOL:
		akb_buf_putc(out, v->u.boolean ? 't' : 'f');
		break;
	case AKB_NUMBER:
		akb_buf_putc(out, 'd');
		akb_buf_put(out, &v->u.number, sizeof v->u.number);
		break;
	case AKB_STRING:
		akb_buf_putc(out, 's');
		akb_buf_put_sized(out, v->u.str.ptr, v->u.str.len);
		break;
	case AKB_LIST:
		akb_buf_putc(out, 'l');
		akb_buf_put_varint(out, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			akb_value_put_canonical_with(&v->u.list.items[i], out, stand_in, ctx);
		break;
	case AKB_MAP:
		if (stand_in && stand_in(ctx, v, out))
			break;
		akb_buf_putc(out, 'm');
		akb_buf_put_varint(out, v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++) {
			akb_buf_put_sized(out, v->u.map.items[i].key, strlen(v->u.map.items[i].key));
			akb_value_put_canonical_with(&v->u.map.items[i].value, out, stand_in, ctx);
		}
		break;
	}
}

static struct akb_pair *S_map_append(struct akb_value *map, const char *key);

void akb_value_encode(const struct akb_value *v, struct akb_buf *out)
{
	akb_buf_putc(out, (int)v->kind);
	akb_buf_put_varint(out, v->line);
	akb_buf_put_varint(out, v->col);
	switch (v->kind) {
	case AKB_NULL:
		break;
	case AKB_BOOL:
		akb_buf_putc(out, v->u.boolean != 0);
		break;
	case AKB_NUMBER:
		akb_buf_put(out, &v->u.number, sizeof v->u.number);
		break;
	case AKB_STRING:
		akb_buf_put_sized(out, v->u.str.ptr, v->u.str.len);
		break;
	case AKB_LIST:
		akb_buf_put_varint(out, v->u.list.len);
		for (size_t i = 0; i < v->u.list.len; i++)
			akb_value_encode(&v->u.list.items[i], out);
		break;
	case AKB_MAP:
		akb_buf_put_varint(out, v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++) {
			const struct akb_pair *pair = &v->u.map.items[i];
			akb_buf_put_sized(out, pair->key, strlen(pair->key));
			akb_buf_put_varint(out, pair->line);
			akb_buf_put_varint(out, pair->col);
			akb_value_encode(&pair->value, out);
		}
		break;
	}
}

static int S_read_position(const char **p, const char *end, unsigned *line, unsigned *col)
{
	uint64_t l, c;
	if (akb_read_varint(p, end, &l) != 0 || akb_read_varint(p, end, &c) != 0 || l > UINT32_MAX || c > UINT32_MAX)
		return -1;
	*line = (unsigned)l;
	*col = (unsigned)c;
	return 0;
}

int akb_value_decode(const char **p, const char *end, struct akb_value *v, int depth)
{
	uint64_t n;
	const char *s;
	size_t len;
	if (*p >= end || depth <= 0)
		return -1;
	int kind = (unsigned char)*(*p)++;
	unsigned line, col;
	if (S_read_position(p, end, &line, &col) != 0)
		return -1;
	switch (kind) {
	case AKB_NULL:
		akb_value_set_null(v);
		break;
	case AKB_BOOL:
		if (*p >= end)
			return -1;
		akb_value_set_bool(v, *(*p)++ != 0);
		break;
	case AKB_NUMBER: {
		double d;
		if (end - *p < (ptrdiff_t)sizeof d)
			return -1;
		memcpy(&d, *p, sizeof d);
		*p += sizeof d;
		akb_value_set_number(v, d);
		break;
	}
	case AKB_STRING:
		if (akb_read_sized(p, end, &s, &len) != 0)
			return -1;
		akb_value_set_string(v, s, len);
		break;
	case AKB_LIST:
		if (akb_read_varint(p, end, &n) != 0 || n > (uint64_t)(end - *p))
			return -1;
		akb_value_set_list(v);
		for (uint64_t i = 0; i < n; i++)
			if (akb_value_decode(p, end, akb_list_push(v), depth - 1) != 0) {
				akb_value_release(v);
				return -1;
			}
		break;
	case AKB_MAP:
		if (akb_read_varint(p, end, &n) != 0 || n > (uint64_t)(end - *p))
			return -1;
		akb_value_set_map(v);
		for (uint64_t i = 0; i < n; i++) {
			unsigned pline, pcol;
			if (akb_read_sized(p, end, &s, &len) != 0 || memchr(s, '\0', len) ||
			    S_read_position(p, end, &pline, &pcol) != 0) {
				akb_value_release(v);
				return -1;
			}
			struct akb_buf key = AKB_BUF_INIT;
			akb_buf_put(&key, s, len);
			struct akb_pair *pair = S_map_append(v, key.ptr);
			akb_buf_release(&key);
			pair->line = pline;
			pair->col = pcol;
			if (akb_value_decode(p, end, &pair->value, depth - 1) != 0) {
				akb_value_release(v);
				return -1;
			}
		}
		break;
	default:
		return -1;
	}
	v->line = line;
	v->col = col;
	return 0;
}

struct akb_value *akb_map_get(const struct akb_value *map, const char *key)
{
	if (!map || map->kind != AKB_MAP)
		return NULL;
	/* Linear: maps are small; the first byte settles most mismatches (templates look up a lot). */
	for (size_t i = 0; i < map->u.map.len; i++) {
		const char *k = map->u.map.items[i].key;
		if (k[0] == key[0] && strcmp(k, key) == 0)
			return &map->u.map.items[i].value;
	}
	return NULL;
}

struct akb_value *akb_map_put(struct akb_value *map, const char *key)
{
	struct akb_pair *p = akb_map_put_pair(map, key);
	return p ? &p->value : NULL;
}

/* A new pair at the end of `map`, whose keys the caller knows do not hold `key`. */
static struct akb_pair *S_map_append(struct akb_value *map, const char *key)
{
	if (map->u.map.len == map->u.map.cap) {
		size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
		map->u.map.items = akb_xrealloc(map->u.map.items, akb_xmul(cap, sizeof(struct akb_pair)));
		map->u.map.cap = cap;
	}
	struct akb_pair *p = &map->u.map.items[map->u.map.len++];
	p->key = akb_value_key(key, strlen(key));
	akb_value_set_null(&p->value);
	p->line = p->col = 0;
	return p;
}

struct akb_pair *akb_map_put_pair(struct akb_value *map, const char *key)
{
	if (!map || map->kind != AKB_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.len; i++) {
		const char *k = map->u.map.items[i].key;
		if (k[0] == key[0] && strcmp(k, key) == 0)
			return &map->u.map.items[i];
	}
	return S_map_append(map, key);
}

int akb_map_remove(struct akb_value *map, const char *key)
{
	if (!map || map->kind != AKB_MAP)
		return 0;
	for (size_t i = 0; i < map->u.map.len; i++) {
		struct akb_pair *p = &map->u.map.items[i];
		if (strcmp(p->key, key) != 0)
			continue;
		akb_value_free_key(p->key);
		akb_value_release(&p->value);
		memmove(p, p + 1, (map->u.map.len - i - 1) * sizeof(*p));
		map->u.map.len--;
		return 1;
	}
	return 0;
}

static struct akb_value *S_replace(struct akb_value *map, const char *key)
{
	struct akb_value *v = akb_map_put(map, key);
	if (!v)
		abort(); /* a field set on a value that is not a map: a bug, not bad input */
	akb_value_release(v);
	return v;
}

void akb_map_set_cstr(struct akb_value *map, const char *key, const char *s)
{
	akb_value_set_cstr(S_replace(map, key), s);
}

void akb_map_set_string(struct akb_value *map, const char *key, const char *s, size_t len)
{
	akb_value_set_string(S_replace(map, key), s, len);
}

void akb_map_set_bool(struct akb_value *map, const char *key, int b)
{
	akb_value_set_bool(S_replace(map, key), b);
}

void akb_map_set_number(struct akb_value *map, const char *key, double n)
{
	akb_value_set_number(S_replace(map, key), n);
}

struct akb_value *akb_map_set_list(struct akb_value *map, const char *key)
{
	struct akb_value *v = S_replace(map, key);
	akb_value_set_list(v);
	return v;
}

struct akb_value *akb_map_set_map(struct akb_value *map, const char *key)
{
	struct akb_value *v = S_replace(map, key);
	akb_value_set_map(v);
	return v;
}

const char *akb_map_get_cstr(const struct akb_value *map, const char *key)
{
	const struct akb_value *v = akb_map_get(map, key);
	return v && v->kind == AKB_STRING ? v->u.str.ptr : NULL;
}

void akb_value_copy(struct akb_value *dst, const struct akb_value *src)
{
	size_t i;
	switch (src->kind) {
	case AKB_STRING:
		akb_value_set_string(dst, src->u.str.ptr, src->u.str.len);
		break;
	case AKB_LIST:
		akb_value_set_list(dst);
		for (i = 0; i < src->u.list.len; i++)
			akb_value_copy(akb_list_push(dst), &src->u.list.items[i]);
		break;
	case AKB_MAP:
		akb_value_set_map(dst);
		for (i = 0; i < src->u.map.len; i++) {
			struct akb_pair *p = S_map_append(dst, src->u.map.items[i].key); /* a map's keys are unique */
			akb_value_copy(&p->value, &src->u.map.items[i].value);
			p->line = src->u.map.items[i].line;
			p->col = src->u.map.items[i].col;
		}
		break;
	default:
		*dst = *src;
		return;
	}
	dst->line = src->line;
	dst->col = src->col;
}

int akb_value_truthy(const struct akb_value *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case AKB_NULL: return 0;
	case AKB_BOOL: return v->u.boolean;
	case AKB_NUMBER: return 1;
	case AKB_STRING: return v->u.str.len > 0;
	case AKB_LIST: return v->u.list.len > 0;
	case AKB_MAP: return 1;
	}
	return 0;
}

void akb_value_to_text(const struct akb_value *v, struct akb_buf *out)
{
	switch (v->kind) {
	case AKB_BOOL:
		akb_buf_puts(out, v->u.boolean ? "true" : "false");
		break;
	case AKB_NUMBER: {
		double n = v->u.number;
		if (isfinite(n) && n == (double)(long long)n && fabs(n) < 1e15) {
			akb_buf_printf(out, "%lld", (long long)n);
		} else {
			/* Shortest form that reads back the same: 1.21, not 1.2100000000000000. */
			char tmp[64];
			for (int prec = 1; prec <= 17; prec++) {
				snprintf(tmp, sizeof tmp, "%.*g", prec, n);
				if (strtod(tmp, NULL) == n)
					break;
			}
			akb_buf_puts(out, tmp);
		}
		break;
	}
	case AKB_STRING:
		akb_buf_put(out, v->u.str.ptr, v->u.str.len);
		break;
	default:
		break;
	}
}

void akb_value_join_text(const struct akb_value *v, struct akb_buf *out)
{
	if (v->kind == AKB_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				akb_buf_puts(out, ", ");
			akb_value_join_text(&v->u.list.items[i], out);
		}
	} else if (v->kind == AKB_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++) {
			akb_buf_printf(out, "%s%s: ", i ? "; " : "", v->u.map.items[i].key);
			akb_value_join_text(&v->u.map.items[i].value, out);
		}
	} else {
		akb_value_to_text(v, out);
	}
}

void akb_value_shrink(struct akb_value *v)
{
	if (v->kind == AKB_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++)
			akb_value_shrink(&v->u.list.items[i]);
		if (v->u.list.cap > v->u.list.len) {
			v->u.list.items = akb_xrealloc(v->u.list.items, akb_xmul(v->u.list.len + !v->u.list.len,
										 sizeof(struct akb_value)));
			v->u.list.cap = v->u.list.len + !v->u.list.len;
		}
	} else if (v->kind == AKB_MAP) {
		for (size_t i = 0; i < v->u.map.len; i++)
			akb_value_shrink(&v->u.map.items[i].value);
		if (v->u.map.cap > v->u.map.len) {
			v->u.map.items = akb_xrealloc(v->u.map.items, akb_xmul(v->u.map.len + !v->u.map.len,
										sizeof(struct akb_pair)));
			v->u.map.cap = v->u.map.len + !v->u.map.len;
		}
	}
}
