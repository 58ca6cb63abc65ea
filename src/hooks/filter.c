/*
 * filter: the hooks' glob matching and the shortcut filters of the
 * command line and config (--department data), run as built-in hooks.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/hooks.h"
#include "agentkb/utf8.h"
#include "hooks_int.h"

/* Lower-cases UTF-8 with the same table as search, so "Engineering" and "engineering" match. */
static void S_lower(const char *s, struct akb_buf *out)
{
	size_t n = strlen(s), i = 0;
	while (i < n)
		akb_utf8_put(out, akb_utf8_lower(akb_utf8_next(s, n, &i)));
}

/* Length of the UTF-8 sequence starting at `s` (1 for a stray byte). */
static size_t S_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 1;
	return n;
}

/* `[...]` class at p (after '['); sets *end past it. */
static int S_class_match(const char *p, const char **end, const char *c, size_t clen)
{
	int neg = *p == '!' || *p == '^', hit = 0;
	if (neg)
		p++;
	const char *start = p;
	while (*p && (*p != ']' || p == start)) {
		size_t n = S_char_len(p);
		if (p[n] == '-' && p[n + 1] && p[n + 1] != ']') {
			size_t i = 0, j = 0;
			uint32_t lo = akb_utf8_next(p, n, &i), hi = akb_utf8_next(p + n + 1, S_char_len(p + n + 1), &j);
			size_t k = 0;
			uint32_t v = akb_utf8_next(c, clen, &k);
			hit |= v >= lo && v <= hi;
			p += n + 1 + S_char_len(p + n + 1);
		} else {
			hit |= n == clen && !memcmp(p, c, n);
			p += n;
		}
	}
	*end = *p == ']' ? p + 1 : p;
	return hit != neg;
}

/* Glob match on lower-cased UTF-8: * any run, ? one character, [a-z] / [!x] classes. */
static int S_glob(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		size_t n = S_char_len(s);
		const char *next = NULL;
		if (*p == '?')
			next = p + 1;
		else if (*p == '[') {
			const char *end;
			if (S_class_match(p + 1, &end, s, n))
				next = end;
		} else if (*p && !strncmp(p, s, n) && S_char_len(p) == n) {
			next = p + n;
		}
		if (next) {
			p = next;
			s += n;
		} else if (star_p) {
			p = star_p;
			star_s += S_char_len(star_s);
			s = star_s;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == 0;
}

int akb_hooks_glob_match(const char *pattern, const char *value)
{
	struct akb_buf p = AKB_BUF_INIT, v = AKB_BUF_INIT;
	S_lower(pattern, &p);
	S_lower(value, &v);
	int m = S_glob(p.ptr, v.ptr);
	akb_buf_release(&p);
	akb_buf_release(&v);
	return m;
}

/* filter(agent) of a shortcut: upvalues key, patterns (a list), exclude. */
static int S_builtin_filter(lua_State *L)
{
	const char *key = lua_tostring(L, lua_upvalueindex(1));
	int exclude = lua_toboolean(L, lua_upvalueindex(3));
	lua_getfield(L, 1, key);
	int values = lua_gettop(L), matched = 0;
	lua_Integer nvalues = lua_type(L, values) == LUA_TTABLE ? (lua_Integer)lua_rawlen(L, values) : 1;
	lua_Integer npat = (lua_Integer)lua_rawlen(L, lua_upvalueindex(2));
	for (lua_Integer i = 1; i <= nvalues && !matched; i++) {
		if (lua_type(L, values) == LUA_TTABLE)
			lua_rawgeti(L, values, i);
		else
			lua_pushvalue(L, values);
		const char *v = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER ? lua_tostring(L, -1)
												 : NULL;
		for (lua_Integer j = 1; v && j <= npat && !matched; j++) {
			lua_rawgeti(L, lua_upvalueindex(2), j);
			matched = akb_hooks_glob_match(lua_tostring(L, -1), v);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_pushboolean(L, exclude ? !matched : matched);
	return 1;
}

/* One entry per (key, include/exclude): --department a --department b keeps either. */
void hk_add_builtin_filters(struct akb_hooks *h)
{
	const struct akb_config *cfg = h->cfg;
	lua_State *L = h->L;
	char *done = akb_xcalloc(cfg->nfilters + 1, 1);
	for (size_t i = 0; i < cfg->nfilters; i++) {
		if (done[i])
			continue;
		struct akb_buf name = AKB_BUF_INIT;
		lua_pushstring(L, cfg->filters[i].key);
		lua_newtable(L);
		lua_Integer n = 0;
		for (size_t j = i; j < cfg->nfilters; j++) {
			const struct akb_filter_rule *f = &cfg->filters[j];
			if (done[j] || strcmp(f->key, cfg->filters[i].key) || f->exclude != cfg->filters[i].exclude)
				continue;
			done[j] = 1;
			akb_buf_printf(&name, "%s--%s%s %s", name.len ? " " : "", f->exclude ? "exclude-" : "", f->key,
				       f->pattern);
			lua_pushstring(L, f->pattern);
			lua_rawseti(L, -2, ++n);
		}
		lua_pushboolean(L, cfg->filters[i].exclude);
		lua_pushcclosure(L, S_builtin_filter, 3);
		struct hook_entry *e = hk_add_entry(h, name.ptr, 1);
		e->fn[HOOK_FILTER] = luaL_ref(L, LUA_REGISTRYINDEX);
		h->has[HOOK_FILTER] = 1;
		akb_buf_release(&name);
	}
	free(done);
}
