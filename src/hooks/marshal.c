/*
 * marshal: values between C and Lua for the hooks: front-matter values
 * both ways, agents as tables (the body read lazily) and back with every
 * change checked, and what site() returns (pages, taxonomies, order).
 */
#include "core/prefix.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/format.h"
#include "agentkb/load.h"
#include "agentkb/slug.h"
#include "agentkb/strmap.h"
#include "agentkb/utf8.h"
#include "hooks_int.h"

/* Agent-table keys that are not front-matter fields. */
static const char *const S_special_keys[] = { "path", "file", "body", "slug", "url", "kind", NULL };

/* Values nested deeper than this are a cycle or a mistake, not front-matter. */
#define MAX_DEPTH 32

/* A hook returned something it should not have: says what it got and what was expected. */
/* "a string", "an integer"... for messages. */
const char *hk_a_type(lua_State *L, int idx)
{
	switch (lua_type(L, idx)) {
	case LUA_TNIL: return "nothing (nil)";
	case LUA_TBOOLEAN: return "a boolean";
	case LUA_TNUMBER: return "a number";
	case LUA_TSTRING: return "a string";
	case LUA_TTABLE: return "a table";
	case LUA_TFUNCTION: return "a function";
	default: return "a value of another kind";
	}
}

int hk_type_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int idx,
			const char *expected)
{
	akb_error(h->diag, e->name, (unsigned)e->line[kind], 0, "%s() returned %s; expected %s", hk_kind_names[kind],
		  hk_a_type(h->L, idx), expected);
	hk_note_subject(h, e, kind);
	return -1;
}

static void S_push_value(lua_State *L, const struct akb_value *v)
{
	/*
	 * Each level of a nested value holds a table and an item on the stack, and
	 * front-matter nests up to 64 deep (yaml.c): Lua only promises 20 slots.
	 */
	luaL_checkstack(L, 2, "front-matter value nested too deeply");
	switch (v->kind) {
	case AKB_NULL:
		lua_pushnil(L);
		break;
	case AKB_BOOL:
		lua_pushboolean(L, v->u.boolean);
		break;
	case AKB_NUMBER: {
		double d = v->u.number;
		/* Range first: converting a double beyond lua_Integer's range (1e19, NaN) is undefined. */
		if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(lua_Integer)d)
			lua_pushinteger(L, (lua_Integer)d);
		else
			lua_pushnumber(L, d);
		break;
	}
	case AKB_STRING:
		lua_pushlstring(L, v->u.str.ptr, v->u.str.len);
		break;
	case AKB_LIST:
		lua_createtable(L, (int)v->u.list.len, 0);
		for (size_t i = 0; i < v->u.list.len; i++) {
			S_push_value(L, &v->u.list.items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case AKB_MAP:
		lua_createtable(L, 0, (int)v->u.map.len);
		for (size_t i = 0; i < v->u.map.len; i++) {
			S_push_value(L, &v->u.map.items[i].value);
			lua_setfield(L, -2, v->u.map.items[i].key);
		}
		break;
	}
}

static int S_cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Converts the Lua value at `idx` into `out`. On failure returns -1 with
 * the reason in `err` (e.g. "holds a function").
 */
static int S_to_value(lua_State *L, int idx, struct akb_value *out, int depth, struct akb_buf *err)
{
	idx = lua_absindex(L, idx);
	/* Each level holds a key and a value on the stack (lua_next): more than Lua's 20 slots when deep. */
	luaL_checkstack(L, 3, "value nested too deeply");
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		akb_value_set_null(out);
		return 0;
	case LUA_TBOOLEAN:
		akb_value_set_bool(out, lua_toboolean(L, idx));
		return 0;
	case LUA_TNUMBER:
		akb_value_set_number(out, (double)lua_tonumber(L, idx));
		return 0;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		akb_value_set_string(out, s, len);
		return 0;
	}
	case LUA_TTABLE:
		break;
	default:
		akb_buf_printf(err, "holds %s", hk_a_type(L, idx));
		return -1;
	}
	if (depth > MAX_DEPTH) {
		akb_buf_puts(err, "is nested too deeply (a table that contains itself?)");
		return -1;
	}
	/* A sequence 1..n with nothing else is a list; anything else a map with text keys. */
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	size_t count = 0, nkeys = 0;
	int text_keys = 1;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		count++;
		if (lua_type(L, -2) != LUA_TSTRING)
			text_keys = 0;
		lua_pop(L, 1);
	}
	if ((lua_Integer)count == n) {
		akb_value_set_list(out);
		for (lua_Integer i = 1; i <= n; i++) {
			lua_rawgeti(L, idx, i);
			int rc = S_to_value(L, -1, akb_list_push(out), depth + 1, err);
			lua_pop(L, 1);
			if (rc) {
				akb_value_release(out);
				return -1;
			}
		}
		return 0;
	}
	if (!text_keys) {
		akb_buf_puts(err, "is a table mixing a list with other keys; use either a list or text keys");
		return -1;
	}
	/* Keys in sorted order: Lua tables have none, and output should not change from run to run. */
	char **keys = akb_xcalloc(count + 1, sizeof(char *));
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		keys[nkeys++] = akb_xstrdup(lua_tostring(L, -2));
		lua_pop(L, 1);
	}
	qsort(keys, nkeys, sizeof(char *), S_cmp_cstr);
	akb_value_set_map(out);
	int rc = 0;
	for (size_t i = 0; i < nkeys && !rc; i++) {
		lua_getfield(L, idx, keys[i]);
		struct akb_value v = AKB_VALUE_NULL;
		rc = S_to_value(L, -1, &v, depth + 1, err);
		lua_pop(L, 1);
		if (!rc)
			*akb_map_put(out, keys[i]) = v;
	}
	for (size_t i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	if (rc)
		akb_value_release(out);
	return rc;
}

static int S_is_special(const char *key)
{
	for (const char *const *k = S_special_keys; *k; k++)
		if (!strcmp(*k, key))
			return 1;
	return 0;
}

/* The slug an agent has, or would get from its name (hooks see it before the site makes slugs unique). */
static void S_agent_slug(const struct akb_agent *a, struct akb_buf *out)
{
	if (a->slug && *a->slug)
		akb_buf_puts(out, a->slug);
	else
		akb_slugify(out, a->name, strlen(a->name));
}

/* Is `body` the agent's body? */
static int S_body_is(const struct akb_agent *a, const char *body, size_t len)
{
	struct akb_agent_text view;
	int same = akb_agent_text_open(a, &view) == 0 && view.body_len == len && memcmp(view.body, body, len) == 0;
	akb_agent_text_close(&view);
	return same;
}

/* The agent's body as a Lua string (read again from its file when it was spilled, agent.h). */
static void S_push_body(lua_State *L, const struct akb_agent *a)
{
	struct akb_agent_text view; /* a file changed meanwhile is reported when its page is made */
	akb_agent_text_open(a, &view);
	lua_pushlstring(L, view.body, view.body_len);
	akb_agent_text_close(&view);
}

/*
 * __index of agent tables in site(): fetches `body` on first use, so a
 * site hook that never reads bodies does not hold every body twice.
 * Upvalue 1: the table mapping agent tables to site indexes + 1.
 */
int hk_lazy_body(lua_State *L)
{
	struct akb_hooks *h = hk_self(L);
	if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "body") != 0)
		return 0;
	lua_pushvalue(L, 1);
	lua_gettable(L, lua_upvalueindex(1));
	lua_Integer ix = lua_tointeger(L, -1);
	if (!h->site || ix < 1 || (size_t)ix > h->site->nagents)
		return 0;
	S_push_body(L, &h->site->agents[ix - 1]);
	lua_pushvalue(L, -1);
	lua_setfield(L, 1, "body");
	return 1;
}

/*
 * Pushes the agent as a plain table: its front-matter fields, name, path,
 * file, kind (format.h), slug, body, and with `site_mt` (a metatable index) url and a body
 * fetched on first use.
 */
void hk_push_agent(lua_State *L, const struct akb_agent *a, int site_mt)
{
	const struct akb_value *f = &a->fm.fields;
	lua_createtable(L, 0, (int)f->u.map.len + 6);
	for (size_t i = 0; i < f->u.map.len; i++) {
		if (f->u.map.items[i].value.kind == AKB_NULL)
			continue;
		S_push_value(L, &f->u.map.items[i].value);
		lua_setfield(L, -2, f->u.map.items[i].key);
	}
	lua_pushstring(L, a->name);
	lua_setfield(L, -2, "name");
	lua_pushstring(L, a->rel);
	lua_setfield(L, -2, "path");
	lua_pushstring(L, a->path);
	lua_setfield(L, -2, "file");
	lua_pushstring(L, akb_format_key(a->format));
	lua_setfield(L, -2, "kind");
	if (site_mt) {
		lua_pushvalue(L, site_mt);
		lua_setmetatable(L, -2);
	} else {
		S_push_body(L, a);
		lua_setfield(L, -2, "body");
	}
	struct akb_buf slug = AKB_BUF_INIT;
	S_agent_slug(a, &slug);
	lua_pushlstring(L, slug.ptr, slug.len);
	lua_setfield(L, -2, "slug");
	if (site_mt) {
		akb_buf_clear(&slug);
		akb_buf_printf(&slug, "agents/%s/index.html", a->slug);
		lua_pushlstring(L, slug.ptr, slug.len);
		lua_setfield(L, -2, "url");
	}
	akb_buf_release(&slug);
}

/* A field a hook left unusable: says which and why. */
static int S_field_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, const char *key,
			 const char *why)
{
	akb_error(h->diag, e->name, (unsigned)e->line[kind], 0, "%s() left the agent's '%s' field unusable: it %s",
		  hk_kind_names[kind], key, why);
	hk_note_subject(h, e, kind);
	return -1;
}

/*
 * Reads the agent table at `idx` back into `a`: front-matter fields (in
 * their file order, new ones after them), name, body and slug. `e` and
 * `kind` name the hook for messages. Returns 0, or -1 (reported).
 */
int hk_pull_agent(struct akb_hooks *h, int idx, struct akb_agent *a, const struct hook_entry *e,
			enum hook_kind kind, int lazy_body)
{
	lua_State *L = h->L;
	idx = lua_absindex(L, idx);
	struct akb_buf err = AKB_BUF_INIT;
	struct akb_value fields = AKB_VALUE_NULL;
	akb_value_set_map(&fields);
	const struct akb_value *old = &a->fm.fields;
	int rc = 0;

	/* The name: a front-matter field if the file had one or the hook changed it. */
	lua_getfield(L, idx, "name");
	if (lua_type(L, -1) != LUA_TSTRING) {
		rc = S_field_error(h, e, kind, "name", lua_isnil(L, -1) ? "was removed (every agent needs a name)"
								      : "is not text");
		lua_pop(L, 1);
		goto out;
	}
	int name_is_field = akb_map_get(old, "name") != NULL || strcmp(lua_tostring(L, -1), a->name) != 0;
	lua_pop(L, 1);

	for (size_t i = 0; i < old->u.map.len && !rc; i++) {
		const char *key = old->u.map.items[i].key;
		if (S_is_special(key)) {
			/* A front-matter "slug" or "path" is shadowed in the table, not lost. */
			struct akb_pair *p = akb_map_put_pair(&fields, key);
			akb_value_copy(&p->value, &old->u.map.items[i].value);
			p->line = old->u.map.items[i].line;
			p->col = old->u.map.items[i].col;
			continue;
		}
		lua_getfield(L, idx, key);
		if (!lua_isnil(L, -1)) {
			struct akb_pair *p = akb_map_put_pair(&fields, key);
			p->line = old->u.map.items[i].line;
			p->col = old->u.map.items[i].col;
			akb_buf_clear(&err);
			if (S_to_value(L, -1, &p->value, 0, &err) != 0)
				rc = S_field_error(h, e, kind, key, err.ptr);
		}
		lua_pop(L, 1);
	}
	/* Fields the hook added, in sorted order. */
	char **added = NULL;
	size_t nadded = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING) {
			if (!rc)
				rc = S_field_error(h, e, kind, "?", "has a key that is not text");
			continue;
		}
		const char *key = lua_tostring(L, -1);
		if (S_is_special(key) || akb_map_get(old, key) || (!strcmp(key, "name") && !name_is_field))
			continue;
		added = akb_xrealloc(added, akb_xmul(nadded + 1, sizeof(char *)));
		added[nadded++] = akb_xstrdup(key);
	}
	if (nadded)
		qsort(added, nadded, sizeof(char *), S_cmp_cstr);
	for (size_t i = 0; i < nadded; i++) {
		if (!rc) {
			lua_getfield(L, idx, added[i]);
			struct akb_value *v = akb_map_put(&fields, added[i]);
			akb_buf_clear(&err);
			if (S_to_value(L, -1, v, 0, &err) != 0)
				rc = S_field_error(h, e, kind, added[i], err.ptr);
			lua_pop(L, 1);
		}
		free(added[i]);
	}
	free(added);

	/* body and slug */
	if (!rc) {
		/* A body site() never read is not in the table: unchanged. */
		lua_pushliteral(L, "body");
		lua_rawget(L, idx);
		if (lazy_body && lua_isnil(L, -1)) {
			/* unchanged */
		} else if (lua_type(L, -1) != LUA_TSTRING) {
			rc = S_field_error(h, e, kind, "body", lua_isnil(L, -1) ? "was removed" : "is not text");
		} else {
			size_t len;
			const char *body = lua_tolstring(L, -1, &len);
			if (len != a->body_len || akb_digest(body, len) != a->body_hash || !S_body_is(a, body, len)) {
				free(a->body_text);
				a->body_text = akb_xstrndup(body, len);
				a->body = a->body_text;
				a->body_len = len;
				akb_agent_note_body(a);
			}
		}
		lua_pop(L, 1);
	}
	if (!rc) {
		lua_getfield(L, idx, "slug");
		struct akb_buf slug = AKB_BUF_INIT;
		S_agent_slug(a, &slug);
		if (lua_type(L, -1) != LUA_TSTRING) {
			rc = S_field_error(h, e, kind, "slug", "is not text");
		} else if (strcmp(lua_tostring(L, -1), slug.ptr) != 0) {
			free(a->slug);
			a->slug = akb_xstrdup(lua_tostring(L, -1));
		}
		akb_buf_release(&slug);
		lua_pop(L, 1);
	}
out:
	if (rc) {
		akb_value_release(&fields);
	} else {
		akb_value_release(&a->fm.fields);
		a->fm.fields = fields;
		akb_agent_refresh(a, h->diag);
	}
	akb_buf_release(&err);
	return rc;
}

/* The page paths hooks may not take: the site's own. */
static int S_reserved_path(const struct akb_site *site, const struct akb_config *cfg, const char *path)
{
	static const char *const files[] = { "index.html", "404.html", "agents.json", "llms.txt", "sitemap.xml",
					     "robots.txt", NULL };
	static const char *const dirs[] = { "agents", "assets", "search", NULL };
	for (int i = 0; files[i]; i++)
		if (!strcmp(path, files[i]))
			return 1;
	size_t first = strcspn(path, "/");
	for (int i = 0; dirs[i]; i++)
		if (strlen(dirs[i]) == first && !strncmp(path, dirs[i], first))
			return 1;
	const char *const *keys = (const char *const *)(site->taxonomy_keys ? site->taxonomy_keys : cfg->taxonomies);
	int hit = 0;
	for (int i = 0; keys[i] && !hit; i++) {
		struct akb_buf plural = AKB_BUF_INIT, slug = AKB_BUF_INIT;
		akb_taxonomy_plural(keys[i], &plural);
		akb_slugify(&slug, plural.ptr, plural.len);
		hit = slug.len == first && !strncmp(path, slug.ptr, first);
		akb_buf_release(&plural);
		akb_buf_release(&slug);
	}
	return hit;
}

/* A string field of a page table, or NULL; `required` reports a missing one. */
static int S_page_string(struct akb_hooks *h, int t, const char *key, int required, size_t i, const char *origin,
			 char **out)
{
	lua_State *L = h->L;
	lua_getfield(L, t, key);
	int rc = 0;
	if (lua_type(L, -1) == LUA_TSTRING)
		*out = akb_xstrdup(lua_tostring(L, -1));
	else if (!lua_isnil(L, -1) || required)
		rc = akb_error(h->diag, origin, 0, 0, "site.pages[%zu].%s must be text, not %s", i, key,
			       hk_a_type(L, -1));
	lua_pop(L, 1);
	return rc;
}

/* Pushes the list site[key] and returns its length; -1 (reported: it must be `what`) when it is no table. */
static lua_Integer S_push_site_list(struct akb_hooks *h, int st, const char *key, const char *origin, const char *what)
{
	lua_getfield(h->L, st, key);
	if (lua_istable(h->L, -1))
		return (lua_Integer)lua_rawlen(h->L, -1);
	lua_pop(h->L, 1);
	return akb_error(h->diag, origin, 0, 0, "site.%s must be %s", key, what);
}

/* Reads site.pages[ix], the table at stack index t, into a new page; pops it. Returns 0, or -1 (reported). */
static int S_pull_page(struct akb_hooks *h, int t, size_t ix, struct akb_site *site, const char *origin)
{
	lua_State *L = h->L;
	int rc = 0;
	struct akb_site_page *p = akb_site_add_page(site);
	p->origin = akb_xstrdup(origin);
	char *path = NULL, *tpl = NULL;
	rc |= S_page_string(h, t, "path", 1, ix, origin, &path);
	rc |= S_page_string(h, t, "title", 1, ix, origin, &p->title);
	rc |= S_page_string(h, t, "markdown", 0, ix, origin, &p->markdown);
	rc |= S_page_string(h, t, "template", 0, ix, origin, &tpl);
	if (!rc && path) {
		struct akb_buf file = AKB_BUF_INIT;
		const char *s = path;
		while (*s == '/')
			s++;
		akb_buf_puts(&file, s);
		while (file.len && file.ptr[file.len - 1] == '/')
			file.ptr[--file.len] = 0;
		size_t fl = file.len;
		if (!(fl > 5 && !strcmp(file.ptr + fl - 5, ".html")))
			akb_buf_puts(&file, fl ? "/index.html" : "index.html");
		if (!hk_site_path_ok(file.ptr) || !fl)
			rc = akb_error(h->diag, origin, 0, 0,
				       "site.pages[%zu].path '%s' must be a relative path inside the site", ix, path);
		else if (S_reserved_path(site, h->cfg, file.ptr))
			rc = akb_error(h->diag, origin, 0, 0,
				       "site.pages[%zu].path '%s' is taken by the site's own pages", ix, path);
		for (size_t j = 0; !rc && j + 1 < site->npages; j++)
			if (!strcmp(site->pages[j].path, file.ptr))
				rc = akb_error(h->diag, origin, 0, 0, "site.pages[%zu].path '%s' is used twice", ix,
					       path);
		p->path = akb_buf_detach(&file, NULL);
	}
	if (!rc && tpl) {
		size_t tl = strlen(tpl);
		if (tl > 9 && !strcmp(tpl + tl - 9, ".mustache"))
			p->template_file = tpl;
		else
			p->template_name = tpl;
		tpl = NULL;
	}
	if (!rc && !p->markdown && !p->template_name && !p->template_file)
		rc = akb_error(h->diag, origin, 0, 0, "site.pages[%zu] needs 'markdown' or 'template'", ix);
	lua_getfield(L, t, "data");
	if (!rc && !lua_isnil(L, -1)) {
		struct akb_buf err = AKB_BUF_INIT;
		if (S_to_value(L, -1, &p->data, 0, &err) != 0)
			rc = akb_error(h->diag, origin, 0, 0, "site.pages[%zu].data %s", ix, err.ptr);
		akb_buf_release(&err);
	}
	lua_pop(L, 1);
	lua_getfield(L, t, "nav");
	p->nav = lua_toboolean(L, -1);
	lua_pop(L, 1);
	free(path);
	free(tpl);
	lua_settop(L, t - 1);
	return rc;
}

/* Reads site.pages into site->pages. */
int hk_pull_pages(struct akb_hooks *h, int st, struct akb_site *site, const char *origin)
{
	lua_Integer n = S_push_site_list(h, st, "pages", origin, "a list of pages");
	if (n < 0)
		return -1;
	int rc = 0;
	for (lua_Integer i = 1; i <= n && !rc; i++) {
		lua_rawgeti(h->L, -1, i);
		if (lua_istable(h->L, -1))
			rc = S_pull_page(h, lua_gettop(h->L), (size_t)i, site, origin);
		else
			rc = akb_error(h->diag, origin, 0, 0,
				       "site.pages[%zu] must be a table (path, title, markdown or template)", (size_t)i);
	}
	lua_pop(h->L, 1);
	return rc ? -1 : 0;
}

/* Reads site.taxonomies (a list of front-matter keys) into site->taxonomy_keys. */
static int S_same_strings(const char *const *a, char *const *b)
{
	while (*a && *b && !strcmp(*a, *b))
		a++, b++;
	return !*a && !*b;
}

int hk_pull_taxonomies(struct akb_hooks *h, int st, struct akb_site *site, const char *origin)
{
	lua_State *L = h->L;
	lua_Integer n = S_push_site_list(h, st, "taxonomies", origin, "a list of front-matter keys");
	if (n < 0)
		return -1;
	int t = lua_gettop(L), rc = 0;
	char **keys = akb_xcalloc((size_t)n + 1, sizeof(char *));
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, t, i);
		struct akb_buf slug = AKB_BUF_INIT;
		if (lua_type(L, -1) == LUA_TSTRING)
			akb_slugify(&slug, lua_tostring(L, -1), strlen(lua_tostring(L, -1)));
		if (!slug.len) {
			rc = akb_error(h->diag, origin, 0, 0, "site.taxonomies[%lld] must be a front-matter key (text)",
				       (long long)i);
		} else {
			keys[i - 1] = akb_xstrdup(lua_tostring(L, -1));
			for (lua_Integer j = 1; j < i; j++)
				if (keys[j - 1] && !strcmp(keys[j - 1], keys[i - 1]))
					rc = akb_error(h->diag, origin, 0, 0, "site.taxonomies lists '%s' twice", keys[i - 1]);
		}
		akb_buf_release(&slug);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	const char *const *before = (const char *const *)(site->taxonomy_keys ? site->taxonomy_keys : h->cfg->taxonomies);
	if (!rc && !site->taxonomy_keys && S_same_strings(before, keys)) {
		/* The hook left the list as it was: the taxonomies stay the defaults (idle ones still left out). */
		for (char **k = keys; *k; k++)
			free(*k);
		free(keys);
		return 0;
	}
	if (site->taxonomy_keys) {
		for (char **k = site->taxonomy_keys; *k; k++)
			free(*k);
		free(site->taxonomy_keys);
	}
	site->taxonomy_keys = keys;
	if (rc) {
		/* keep the list well-formed (NULL-terminated without holes) for release */
		size_t w = 0;
		for (lua_Integer i = 0; i < n; i++)
			if (keys[i])
				keys[w++] = keys[i];
		keys[w] = NULL;
	}
	return rc ? -1 : 0;
}

/*
 * Reads site.agents after `e`'s site(): the new order; agents no longer
 * listed are dropped by `e`. `index_of` (a table) maps agent tables to
 * site indexes + 1. Returns 0, or -1 (reported).
 */
int hk_pull_order(struct akb_hooks *h, int st, int index_of, struct akb_site *site, const struct hook_entry *e)
{
	lua_State *L = h->L;
	lua_getfield(L, st, "agents");
	int list = lua_gettop(L);
	if (!lua_istable(L, list)) {
		lua_pop(L, 1);
		return akb_error(h->diag, e->name, (unsigned)e->line[HOOK_SITE], 0,
				 "site() left site.agents %s; it must stay a list of the site's agents",
				 lua_isnil(L, list) ? "empty (nil)" : "not a table");
	}
	char *seen = akb_xcalloc(site->nagents + 1, 1);
	lua_Integer n = (lua_Integer)lua_rawlen(L, list);
	size_t norder = 0;
	int rc = 0;
	for (lua_Integer i = 1; i <= n && !rc; i++) {
		lua_rawgeti(L, list, i);
		lua_gettable(L, index_of);
		lua_Integer ix = lua_tointeger(L, -1);
		lua_pop(L, 1);
		if (ix < 1 || (size_t)ix > site->nagents || site->agents[ix - 1].dropped)
			rc = akb_error(h->diag, e->name, (unsigned)e->line[HOOK_SITE], 0,
				       "site.agents[%lld] is not one of the site's agents (add pages with site.pages)",
				       (long long)i);
		else if (seen[ix - 1])
			rc = akb_error(h->diag, e->name, (unsigned)e->line[HOOK_SITE], 0,
				       "site.agents lists '%s' twice", site->agents[ix - 1].name);
		else {
			seen[ix - 1] = 1;
			site->order[norder++] = (size_t)ix - 1;
		}
	}
	if (!rc) {
		for (size_t i = 0; i < site->nagents; i++) {
			struct akb_agent *a = &site->agents[i];
			if (a->dropped || seen[i])
				continue;
			a->dropped = 1;
			struct akb_buf by = AKB_BUF_INIT;
			akb_buf_printf(&by, "%s: site() removed it from site.agents", e->name);
			a->dropped_by = akb_buf_detach(&by, NULL);
		}
		site->norder = norder;
	}
	free(seen);
	lua_pop(L, 1);
	return rc;
}
