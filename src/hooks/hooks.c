/*
 * hooks: runs the user's Lua hooks over the site (contract in include/agentkb/hooks.h):
 * loads each hook file in the sandbox, calls filter/agent/site/page with the
 * limits, and turns every failure into a positioned diagnostic.
 */
#include "core/prefix.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "agentkb/format.h"
#include "agentkb/hooks.h"
#include "agentkb/load.h"
#include "agentkb/markdown.h"
#include "agentkb/slug.h"
#include "agentkb/version.h"
#include "agentkb/utf8.h"

enum hook_kind { HOOK_FILTER, HOOK_AGENT, HOOK_SITE, HOOK_PAGE, HOOK_KINDS };
static const char *const S_kind_names[] = { "filter", "agent", "site", "page" };

/* Agent-table keys that are not front-matter fields. */
static const char *const S_special_keys[] = { "path", "file", "body", "slug", "url", "kind", NULL };

/* Values nested deeper than this are a cycle or a mistake, not front-matter. */
#define MAX_DEPTH 32

struct hook_entry {
	char *name;                 /* "hooks/x.lua", or the shortcut ("--department data") (owned) */
	int builtin;                /* a shortcut filter, not a file */
	int fn[HOOK_KINDS];         /* registry references; LUA_NOREF when absent */
	int line[HOOK_KINDS];       /* where each function is defined */
};

struct akb_hooks {
	lua_State *L;
	const struct akb_config *cfg;
	struct akb_diag *diag;
	struct hook_entry *entries;
	size_t nentries;
	int has[HOOK_KINDS];
	struct akb_site *site;      /* while running over a site */
	const char *subject;        /* the file a call works on, for messages */

	/* Limits of the current call. Outside calls mem_limit is SIZE_MAX. */
	size_t mem, mem_limit, mem_cap;
	long steps_left;            /* thousands of instructions */
	int budget_hit, mem_hit;
	unsigned last_line;         /* where the running hook was at the last count */
	const char *last_source_key;
	struct akb_buf last_source;

	char *root_real, *content_real; /* hooks may read under these */
	char **module_dirs;         /* where require() looks: each hook file's folder, then the site root */
	size_t nmodule_dirs;
	int sandbox_ref;            /* the shared, read-only-by-convention standard library */
	int loaded_ref;             /* require()'s cache */
};

static struct akb_hooks *S_self(lua_State *L)
{
	return *(struct akb_hooks **)lua_getextraspace(L);
}

/* ------------------------------------------------------------------ limits */

static void *S_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct akb_hooks *h = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		h->mem -= old;
		return NULL;
	}
	/* NULL becomes a Lua memory error: the call fails, the build reports it. */
	if (nsize > old && h->mem - old + nsize > h->mem_limit) {
		h->mem_hit = 1;
		return NULL;
	}
	void *p = realloc(ptr, nsize);
	if (p)
		h->mem = h->mem - old + nsize;
	return p;
}

static void S_count(lua_State *L, lua_Debug *ar)
{
	struct akb_hooks *h = S_self(L);
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0 && ar->source[0] == '@') {
		h->last_line = (unsigned)ar->currentline;
		if (ar->source != h->last_source_key) {
			h->last_source_key = ar->source;
			akb_buf_clear(&h->last_source);
			akb_buf_puts(&h->last_source, ar->source + 1);
		}
	}
	if (!h->budget_hit && --h->steps_left < 0)
		h->budget_hit = 1;
	if (h->budget_hit || h->mem_hit) {
		/* Raise at every instruction from now on, so a pcall() in the hook cannot swallow it for good. */
		lua_sethook(L, S_count, LUA_MASKCOUNT, 1);
		luaL_error(L, h->budget_hit ? "instruction budget exhausted" : "memory limit reached");
	}
}

static void S_begin_call(struct akb_hooks *h)
{
	h->steps_left = h->cfg->hook_limits.instructions / 1000 + 1;
	h->mem_limit = h->mem + h->mem_cap;
	h->budget_hit = h->mem_hit = 0;
	h->last_line = 0;
	h->last_source_key = NULL;
	akb_buf_clear(&h->last_source);
	lua_sethook(h->L, S_count, LUA_MASKCOUNT, 1000);
}

static void S_end_call(struct akb_hooks *h)
{
	h->mem_limit = SIZE_MAX;
}

/* ------------------------------------------------------------------ errors */

/* Splits "file:LINE: message" (Lua's error position) into its parts; 0 if there is none. */
static int S_split_position(const char *s, struct akb_buf *file, unsigned *line, const char **rest)
{
	for (const char *p = strchr(s, ':'); p; p = strchr(p + 1, ':')) {
		const char *d = p + 1;
		unsigned long n = 0;
		while (*d >= '0' && *d <= '9' && n < UINT_MAX / 10)
			n = n * 10 + (unsigned long)(*d++ - '0');
		if (d > p + 1 && d[0] == ':') {
			akb_buf_clear(file);
			akb_buf_put(file, s, (size_t)(p - s));
			*line = (unsigned)n;
			*rest = d[1] == ' ' ? d + 2 : d + 1;
			return 1;
		}
	}
	return 0;
}

/* Lua shortens long chunk names to "...tail"; give back the whole path of the file that ends so. */
static void S_unshorten(struct akb_hooks *h, struct akb_buf *file)
{
	if (strncmp(file->ptr, "...", 3) != 0)
		return;
	const char *tail = file->ptr + 3;
	size_t tn = strlen(tail);
	for (size_t i = 0; i < h->nentries; i++) {
		const char *n = h->entries[i].name;
		size_t nn = strlen(n);
		if (nn >= tn && strcmp(n + nn - tn, tail) == 0) {
			char *full = akb_xstrdup(n);
			akb_buf_clear(file);
			akb_buf_puts(file, full);
			free(full);
			return;
		}
	}
}

static int S_message_handler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* Adds the traceback lines ("\tfile:LINE: in function 'x'") as notes at their positions. */
static void S_report_traceback(struct akb_hooks *h, const char *tb)
{
	struct akb_buf line = AKB_BUF_INIT, file = AKB_BUF_INIT;
	while (*tb) {
		const char *end = strchr(tb, '\n');
		if (!end)
			end = tb + strlen(tb);
		akb_buf_clear(&line);
		akb_buf_put(&line, tb, (size_t)(end - tb));
		const char *s = line.ptr;
		while (*s == '\t' || *s == ' ')
			s++;
		unsigned ln;
		const char *rest;
		if (S_split_position(s, &file, &ln, &rest)) {
			S_unshorten(h, &file);
			akb_diag_add(h->diag, AKB_NOTE, file.ptr, ln, 0, "%s", rest);
		}
		tb = *end ? end + 1 : end;
	}
	akb_buf_release(&line);
	akb_buf_release(&file);
}

/* The context note: which file the failing call was working on. */
static void S_note_subject(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind)
{
	if (h->subject)
		akb_diag_add(h->diag, AKB_NOTE, h->subject, 0, 0, "while running %s() of %s on this file",
			     S_kind_names[kind], e->name);
}

/* Reports a failed call (its error value on the stack top) and pops it. Returns -1. */
static int S_report_call_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int status,
			       const char *what)
{
	lua_State *L = h->L;
	const char *msg = lua_tostring(L, -1);
	if (!msg)
		msg = "(error object is not a string)";
	const char *tb = strstr(msg, "\nstack traceback:\n");
	struct akb_buf head = AKB_BUF_INIT, file = AKB_BUF_INIT;
	akb_buf_put(&head, msg, tb ? (size_t)(tb - msg) : strlen(msg));
	unsigned line = 0;
	const char *rest = head.ptr;
	int positioned = S_split_position(head.ptr, &file, &line, &rest);
	if (positioned)
		S_unshorten(h, &file);
	if (status == LUA_ERRMEM || h->mem_hit) {
		/* Memory errors carry no position: use where the hook last was. */
		const char *where = h->last_source.len ? h->last_source.ptr : e->name;
		unsigned at = h->last_source.len ? h->last_line : (unsigned)e->line[kind];
		akb_error(h->diag, where, at, 0, "%s exceeded its memory limit of %ld MB", what,
			  h->cfg->hook_limits.memory_mb);
	} else if (h->budget_hit) {
		akb_error(h->diag, positioned ? file.ptr : e->name, positioned ? line : (unsigned)e->line[kind], 0,
			  "%s exceeded its budget of %ld instructions (an endless loop?)", what,
			  h->cfg->hook_limits.instructions);
	} else if (positioned) {
		akb_error(h->diag, file.ptr, line, 0, "%s", rest);
	} else {
		akb_error(h->diag, e->name, (unsigned)e->line[kind], 0, "%s failed: %s", what, head.ptr);
	}
	S_note_subject(h, e, kind);
	if (tb && status != LUA_ERRMEM)
		S_report_traceback(h, tb + strlen("\nstack traceback:\n"));
	akb_buf_release(&head);
	akb_buf_release(&file);
	lua_pop(L, 1);
	return -1;
}

/*
 * Calls the function under the stack's `nargs` arguments with the limits
 * and the message handler; leaves one result. Returns 0, or -1 (reported).
 */
static int S_call(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int nargs)
{
	lua_State *L = h->L;
	int base = lua_gettop(L) - nargs; /* the function's slot */
	lua_pushcfunction(L, S_message_handler);
	lua_insert(L, base);
	S_begin_call(h);
	int status = lua_pcall(L, nargs, 1, base);
	S_end_call(h);
	lua_remove(L, base);
	if (status == LUA_OK && !h->budget_hit && !h->mem_hit)
		return 0;
	if (status == LUA_OK) {
		/* The hook caught the limit error with pcall() and went on: it still failed. */
		lua_pop(L, 1);
		lua_pushstring(L, "limit reached");
	}
	struct akb_buf what = AKB_BUF_INIT;
	akb_buf_printf(&what, "%s()", S_kind_names[kind]);
	S_report_call_error(h, e, kind, status, what.ptr);
	akb_buf_release(&what);
	return -1;
}

/* A hook returned something it should not have: says what it got and what was expected. */
/* "a string", "an integer"... for messages. */
static const char *S_a_type(lua_State *L, int idx)
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

static int S_type_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int idx,
			const char *expected)
{
	akb_error(h->diag, e->name, (unsigned)e->line[kind], 0, "%s() returned %s; expected %s", S_kind_names[kind],
		  S_a_type(h->L, idx), expected);
	S_note_subject(h, e, kind);
	return -1;
}

/* ------------------------------------------------------------------ values */

static void S_push_value(lua_State *L, const struct akb_value *v)
{
	switch (v->kind) {
	case AKB_NULL:
		lua_pushnil(L);
		break;
	case AKB_BOOL:
		lua_pushboolean(L, v->u.boolean);
		break;
	case AKB_NUMBER: {
		double d = v->u.number;
		if (d == (double)(lua_Integer)d && d > -9007199254740992.0 && d < 9007199254740992.0)
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
		akb_buf_printf(err, "holds %s", S_a_type(L, idx));
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

/* ------------------------------------------------------------------ agents as tables */

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

/*
 * __index of agent tables in site(): fetches `body` on first use, so a
 * site hook that never reads bodies does not hold every body twice.
 * Upvalue 1: the table mapping agent tables to site indexes + 1.
 */
static int S_lazy_body(lua_State *L)
{
	struct akb_hooks *h = S_self(L);
	if (lua_type(L, 2) != LUA_TSTRING || strcmp(lua_tostring(L, 2), "body") != 0)
		return 0;
	lua_pushvalue(L, 1);
	lua_gettable(L, lua_upvalueindex(1));
	lua_Integer ix = lua_tointeger(L, -1);
	if (!h->site || ix < 1 || (size_t)ix > h->site->nagents)
		return 0;
	const struct akb_agent *a = &h->site->agents[ix - 1];
	lua_pushlstring(L, a->body, a->body_len);
	lua_pushvalue(L, -1);
	lua_setfield(L, 1, "body");
	return 1;
}

/*
 * Pushes the agent as a plain table: its front-matter fields, name, path,
 * file, kind (format.h), slug, body, and with `site_mt` (a metatable index) url and a body
 * fetched on first use.
 */
static void S_push_agent(lua_State *L, const struct akb_agent *a, int site_mt)
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
		lua_pushlstring(L, a->body, a->body_len);
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
		  S_kind_names[kind], key, why);
	S_note_subject(h, e, kind);
	return -1;
}

/*
 * Reads the agent table at `idx` back into `a`: front-matter fields (in
 * their file order, new ones after them), name, body and slug. `e` and
 * `kind` name the hook for messages. Returns 0, or -1 (reported).
 */
static int S_pull_agent(struct akb_hooks *h, int idx, struct akb_agent *a, const struct hook_entry *e,
			enum hook_kind kind, int lazy_body)
{
	lua_State *L = h->L;
	idx = lua_absindex(L, idx);
	struct akb_buf err = AKB_BUF_INIT;
	struct akb_value fields = AKB_VALUE_NULL;
	akb_value_set_map(&fields);
	const struct akb_value *old = &a->fm.fields;
	size_t cap = old->u.map.len + 8, n = 0;
	unsigned *lines = akb_xcalloc(cap, sizeof(unsigned)), *cols = akb_xcalloc(cap, sizeof(unsigned));
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
			akb_value_copy(akb_map_put(&fields, key), &old->u.map.items[i].value);
			lines[n] = a->fm.key_line[i];
			cols[n] = a->fm.key_col[i];
			n++;
			continue;
		}
		lua_getfield(L, idx, key);
		if (!lua_isnil(L, -1)) {
			struct akb_value *v = akb_map_put(&fields, key);
			akb_buf_clear(&err);
			if (S_to_value(L, -1, v, 0, &err) != 0)
				rc = S_field_error(h, e, kind, key, err.ptr);
			lines[n] = a->fm.key_line[i];
			cols[n] = a->fm.key_col[i];
			n++;
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
			if (n == cap) {
				cap *= 2;
				lines = akb_xrealloc(lines, akb_xmul(cap, sizeof(unsigned)));
				cols = akb_xrealloc(cols, akb_xmul(cap, sizeof(unsigned)));
			}
			lines[n] = cols[n] = 0;
			n++;
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
			if (len != a->body_len || memcmp(body, a->body, len) != 0) {
				free(a->body_text);
				a->body_text = akb_xstrndup(body, len);
				a->body = a->body_text;
				a->body_len = len;
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
		free(lines);
		free(cols);
	} else {
		akb_value_release(&a->fm.fields);
		a->fm.fields = fields;
		free(a->fm.key_line);
		free(a->fm.key_col);
		a->fm.key_line = lines;
		a->fm.key_col = cols;
		akb_agent_refresh(a, h->diag);
	}
	akb_buf_release(&err);
	return rc;
}

/* ------------------------------------------------------------------ the sandbox */

static int S_forbidden(lua_State *L)
{
	return luaL_error(L, "%s is not allowed in hooks", lua_tostring(L, lua_upvalueindex(1)));
}

static void S_forbid(lua_State *L, int table, const char *key, const char *shown)
{
	lua_pushstring(L, shown);
	lua_pushcclosure(L, S_forbidden, 1);
	lua_setfield(L, table, key);
}

/* Is `path` (an existing file) under the site root or the content folder? */
static int S_readable(struct akb_hooks *h, const char *path, int *missing)
{
	char *real = realpath(path, NULL);
	*missing = !real;
	if (!real)
		return 0;
	int ok = 0;
	const char *roots[] = { h->root_real, h->content_real };
	for (int i = 0; i < 2; i++) {
		size_t n = roots[i] ? strlen(roots[i]) : 0;
		if (n && !strncmp(real, roots[i], n) && (real[n] == '/' || real[n] == 0 || !strcmp(roots[i], "/")))
			ok = 1;
	}
	free(real);
	return ok;
}

/* io.open / io.lines: reading only, and only under the site root or the content folder. */
static int S_io_guard(lua_State *L, const char *fn, int mode_arg)
{
	struct akb_hooks *h = S_self(L);
	const char *path = luaL_checkstring(L, 1);
	const char *mode = mode_arg ? luaL_optstring(L, 2, "r") : "r";
	if (strpbrk(mode, "wa+"))
		return luaL_error(L, "%s: hooks may not write files ('%s' with mode '%s'); add files to the site "
				     "with agentkb.write(path, text)", fn, path, mode);
	int missing;
	if (!S_readable(h, path, &missing) && !missing)
		return luaL_error(L, "%s: '%s' is outside the site root; hooks may read only files under it", fn, path);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static int S_io_open(lua_State *L)
{
	return S_io_guard(L, "io.open", 1);
}

static int S_io_lines(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		return luaL_error(L, "io.lines: hooks have no standard input");
	return S_io_guard(L, "io.lines", 0);
}

/* load() of text only: binary chunks can break out of any sandbox. */
static int S_load(lua_State *L)
{
	int nargs = lua_gettop(L);
	if (nargs < 3)
		lua_settop(L, 3);
	const char *mode = luaL_optstring(L, 3, "t");
	if (strchr(mode, 'b'))
		return luaL_error(L, "load: binary chunks are not allowed in hooks");
	lua_pushstring(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

static int S_print(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, i, &len);
		if (i > 1)
			fputc('\t', stderr);
		fwrite(s, 1, len, stderr);
		lua_pop(L, 1);
	}
	fputc('\n', stderr);
	return 0;
}

/* A new environment for one chunk: its own globals, the standard library read through __index. */
static void S_push_env(struct akb_hooks *h)
{
	lua_State *L = h->L;
	lua_newtable(L);
	lua_createtable(L, 0, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->sandbox_ref);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
}

/* Loads a Lua file as text with its own environment; pushes the chunk. Returns LUA_OK or an error (message pushed). */
static int S_load_chunk(struct akb_hooks *h, const char *path)
{
	lua_State *L = h->L;
	int status = luaL_loadfilex(L, path, "t");
	if (status != LUA_OK)
		return status;
	S_push_env(h);
	lua_setupvalue(L, -2, 1);
	return LUA_OK;
}

/* require(name): Lua files next to the hooks or at the site root; never C modules. */
static int S_require(lua_State *L)
{
	struct akb_hooks *h = S_self(L);
	const char *name = luaL_checkstring(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->loaded_ref);
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	static const char *const stdlibs[] = { "string", "table", "math", "utf8", "os", "io", NULL };
	for (int i = 0; stdlibs[i]; i++) {
		if (!strcmp(stdlibs[i], name)) {
			lua_rawgeti(L, LUA_REGISTRYINDEX, h->sandbox_ref);
			lua_getfield(L, -1, name);
			return 1;
		}
	}
	struct akb_buf path = AKB_BUF_INIT;
	for (size_t d = 0; d < h->nmodule_dirs; d++) {
		akb_buf_clear(&path);
		akb_buf_printf(&path, "%s/", h->module_dirs[d]);
		for (const char *p = name; *p; p++)
			akb_buf_putc(&path, *p == '.' ? '/' : *p);
		akb_buf_puts(&path, ".lua");
		FILE *f = fopen(path.ptr, "rb");
		if (!f)
			continue;
		fclose(f);
		if (S_load_chunk(h, path.ptr) != LUA_OK) {
			akb_buf_release(&path);
			return lua_error(L);
		}
		lua_pushstring(L, name);
		lua_call(L, 1, 1);
		if (lua_isnil(L, -1)) {
			lua_pop(L, 1);
			lua_pushboolean(L, 1);
		}
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, name);
		akb_buf_release(&path);
		return 1;
	}
	akb_buf_release(&path);
	return luaL_error(L, "module '%s' not found (hooks may require Lua files next to them or at the site root; "
			     "C modules are not allowed)", name);
}

/* ------------------------------------------------------------------ the agentkb module */

static int S_api_slugify(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct akb_buf out = AKB_BUF_INIT;
	akb_slugify(&out, s, len);
	lua_pushlstring(L, out.ptr, out.len);
	akb_buf_release(&out);
	return 1;
}

static int S_api_markdown(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	char *html = akb_markdown_to_html(s, len);
	lua_pushstring(L, html);
	free(html);
	return 1;
}

/* agentkb.log.warn / .info: a diagnostic at the calling line of the hook. */
static int S_api_log(lua_State *L)
{
	struct akb_hooks *h = S_self(L);
	const char *msg = luaL_checkstring(L, 1);
	lua_Debug ar;
	const char *file = "hooks";
	unsigned line = 0;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.source[0] == '@') {
		file = ar.source + 1;
		line = ar.currentline > 0 ? (unsigned)ar.currentline : 0;
	}
	enum akb_severity sev = lua_toboolean(L, lua_upvalueindex(1)) ? AKB_WARNING : AKB_NOTE;
	if (h->subject)
		akb_diag_add(h->diag, sev, file, line, 0, "%s (%s)", msg, h->subject);
	else
		akb_diag_add(h->diag, sev, file, line, 0, "%s", msg);
	return 0;
}

/* A path inside the site for agentkb.write and pages: relative, no "..", no empty or hidden tricks. */
static int S_site_path_ok(const char *p)
{
	if (!*p || *p == '/' || strchr(p, '\\'))
		return 0;
	for (const char *seg = p; *seg;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
		seg += n;
		if (*seg == '/')
			seg++;
		else
			break;
	}
	return p[strlen(p) - 1] != '/';
}

static int S_api_write(lua_State *L)
{
	struct akb_hooks *h = S_self(L);
	const char *path = luaL_checkstring(L, 1);
	size_t len;
	const char *data = luaL_checklstring(L, 2, &len);
	if (!S_site_path_ok(path))
		return luaL_error(L, "agentkb.write: '%s' must be a relative path inside the site", path);
	if (!h->site)
		return luaL_error(L, "agentkb.write: no site is being built");
	lua_Debug ar;
	struct akb_site_file *f = akb_site_add_file(h->site);
	f->path = akb_xstrdup(path);
	f->data = akb_xstrndup(data, len);
	f->len = len;
	f->origin = akb_xstrdup(lua_getstack(L, 1, &ar) && lua_getinfo(L, "S", &ar) && ar.source[0] == '@'
				       ? ar.source + 1
				       : "hooks");
	return 0;
}

static void S_open_api(struct akb_hooks *h)
{
	lua_State *L = h->L;
	const struct akb_config *cfg = h->cfg;
	lua_newtable(L);
	lua_pushcfunction(L, S_api_slugify);
	lua_setfield(L, -2, "slugify");
	lua_pushcfunction(L, S_api_markdown);
	lua_setfield(L, -2, "markdown");
	lua_pushcfunction(L, S_api_write);
	lua_setfield(L, -2, "write");
	lua_pushstring(L, AKB_VERSION);
	lua_setfield(L, -2, "version");
	lua_newtable(L);
	lua_pushboolean(L, 1);
	lua_pushcclosure(L, S_api_log, 1);
	lua_setfield(L, -2, "warn");
	lua_pushboolean(L, 0);
	lua_pushcclosure(L, S_api_log, 1);
	lua_setfield(L, -2, "info");
	lua_setfield(L, -2, "log");
	lua_newtable(L);
	const struct {
		const char *key, *value;
	} strings[] = { { "title", cfg->title },     { "description", cfg->description },
			{ "base_url", cfg->base_url }, { "language", cfg->language },
			{ "content", cfg->content },   { "output", cfg->output },
			{ "root", cfg->root },         { "theme", cfg->theme } };
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
		lua_pushstring(L, strings[i].value);
		lua_setfield(L, -2, strings[i].key);
	}
	lua_pushboolean(L, cfg->strict);
	lua_setfield(L, -2, "strict");
	lua_newtable(L);
	for (int i = 0; cfg->taxonomies[i]; i++) {
		lua_pushstring(L, cfg->taxonomies[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "taxonomies");
	lua_setfield(L, -2, "config");
	lua_setfield(L, -2, "agentkb");
}

static void S_open_lib(lua_State *L, const char *name, lua_CFunction fn)
{
	luaL_requiref(L, name, fn, 1);
	lua_pop(L, 1);
}

/* The standard library hooks get: base, string, table, math, utf8, a reading io, a harmless os. */
static void S_open_sandbox(struct akb_hooks *h)
{
	lua_State *L = h->L;
	S_open_lib(L, LUA_GNAME, luaopen_base);
	S_open_lib(L, LUA_STRLIBNAME, luaopen_string);
	S_open_lib(L, LUA_TABLIBNAME, luaopen_table);
	S_open_lib(L, LUA_MATHLIBNAME, luaopen_math);
	S_open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
	S_open_lib(L, LUA_OSLIBNAME, luaopen_os);
	S_open_lib(L, LUA_IOLIBNAME, luaopen_io);
	S_open_lib(L, LUA_DBLIBNAME, luaopen_debug);

	lua_pushglobaltable(L);
	int g = lua_gettop(L);
	S_forbid(L, g, "dofile", "dofile");
	S_forbid(L, g, "loadfile", "loadfile");
	lua_getfield(L, g, "load");
	lua_pushcclosure(L, S_load, 1);
	lua_setfield(L, g, "load");
	lua_pushcfunction(L, S_print);
	lua_setfield(L, g, "print");
	lua_pushcfunction(L, S_require);
	lua_setfield(L, g, "require");

	/* package: only what says no */
	lua_newtable(L);
	S_forbid(L, lua_gettop(L), "loadlib", "package.loadlib");
	lua_pushliteral(L, "");
	lua_setfield(L, -2, "cpath");
	lua_setfield(L, g, "package");

	lua_getfield(L, g, "os");
	int os = lua_gettop(L);
	const char *const os_no[] = { "execute", "exit", "remove", "rename", "tmpname", "setlocale", NULL };
	for (int i = 0; os_no[i]; i++) {
		struct akb_buf shown = AKB_BUF_INIT;
		akb_buf_printf(&shown, "os.%s", os_no[i]);
		S_forbid(L, os, os_no[i], shown.ptr);
		akb_buf_release(&shown);
	}
	lua_pop(L, 1);

	lua_getfield(L, g, "io");
	int io = lua_gettop(L);
	lua_getfield(L, io, "open");
	lua_pushcclosure(L, S_io_open, 1);
	lua_setfield(L, io, "open");
	lua_getfield(L, io, "lines");
	lua_pushcclosure(L, S_io_lines, 1);
	lua_setfield(L, io, "lines");
	const char *const io_no[] = { "popen", "tmpfile", "output", "input", "write", "read", "close", NULL };
	for (int i = 0; io_no[i]; i++) {
		struct akb_buf shown = AKB_BUF_INIT;
		akb_buf_printf(&shown, "io.%s", io_no[i]);
		S_forbid(L, io, io_no[i], shown.ptr);
		akb_buf_release(&shown);
	}
	lua_pushnil(L);
	lua_setfield(L, io, "stdin");
	lua_pushnil(L);
	lua_setfield(L, io, "stdout");
	lua_pushnil(L);
	lua_setfield(L, io, "stderr");
	lua_pop(L, 1);

	/* debug: the traceback only; the rest reaches into other functions' locals and the registry. */
	lua_getfield(L, g, "debug");
	lua_newtable(L);
	lua_getfield(L, -2, "traceback");
	lua_setfield(L, -2, "traceback");
	lua_setfield(L, g, "debug");
	lua_pop(L, 1);

	S_open_api(h);
	lua_pushvalue(L, g);
	h->sandbox_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_newtable(L);
	h->loaded_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pop(L, 1);
}

/* ------------------------------------------------------------------ shortcut filters */

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

static struct hook_entry *S_add_entry(struct akb_hooks *h, const char *name, int builtin)
{
	h->entries = akb_xrealloc(h->entries, akb_xmul(h->nentries + 1, sizeof(*h->entries)));
	struct hook_entry *e = &h->entries[h->nentries++];
	memset(e, 0, sizeof(*e));
	e->name = akb_xstrdup(name);
	e->builtin = builtin;
	for (int k = 0; k < HOOK_KINDS; k++)
		e->fn[k] = LUA_NOREF;
	return e;
}

/* One entry per (key, include/exclude): --department a --department b keeps either. */
static void S_add_builtin_filters(struct akb_hooks *h)
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
		struct hook_entry *e = S_add_entry(h, name.ptr, 1);
		e->fn[HOOK_FILTER] = luaL_ref(L, LUA_REGISTRYINDEX);
		h->has[HOOK_FILTER] = 1;
		akb_buf_release(&name);
	}
	free(done);
}

/* ------------------------------------------------------------------ loading */

/* Runs one hook file and takes the functions of the table it returns. Returns 0, or -1 (reported). */
static int S_load_file(struct akb_hooks *h, const char *path)
{
	lua_State *L = h->L;
	struct hook_entry *e = S_add_entry(h, path, 0);
	FILE *f = fopen(path, "rb");
	if (!f)
		return akb_error(h->diag, path, 0, 0, "cannot read hook file: %s", strerror(errno));
	fclose(f);
	lua_pushcfunction(L, S_message_handler);
	int status = S_load_chunk(h, path);
	if (status != LUA_OK) {
		/* A syntax error: "hooks/x.lua:3: '=' expected near 'y'". */
		struct akb_buf file = AKB_BUF_INIT;
		unsigned line = 0;
		const char *rest, *msg = lua_tostring(L, -1);
		if (msg && S_split_position(msg, &file, &line, &rest))
			akb_error(h->diag, path, line, 0, "%s", rest);
		else
			akb_error(h->diag, path, 0, 0, "%s", msg ? msg : "cannot load");
		akb_buf_release(&file);
		lua_pop(L, 2);
		return -1;
	}
	S_begin_call(h);
	status = lua_pcall(L, 0, 1, -2);
	S_end_call(h);
	if (status != LUA_OK || h->budget_hit || h->mem_hit) {
		if (status == LUA_OK) {
			lua_pop(L, 1);
			lua_pushstring(L, "limit reached");
		}
		S_report_call_error(h, e, HOOK_SITE, status, "the hook file's top level");
		lua_pop(L, 1);
		return -1;
	}
	lua_remove(L, -2);
	if (!lua_istable(L, -1)) {
		akb_error(h->diag, path, 0, 0,
			  "a hook file must return a table of functions (filter, agent, site, page); it returned %s",
			  S_a_type(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	int rc = 0;
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int kind = -1;
		for (int k = 0; key && k < HOOK_KINDS; k++)
			if (!strcmp(key, S_kind_names[k]))
				kind = k;
		if (kind < 0) {
			rc = akb_error(h->diag, path, 0, 0, "unknown hook '%s'; a hook file returns filter, agent, site or page",
				       key ? key : luaL_typename(L, -2));
		} else if (!lua_isfunction(L, -1)) {
			rc = akb_error(h->diag, path, 0, 0, "'%s' must be a function, not %s", key, S_a_type(L, -1));
		} else {
			lua_Debug ar;
			lua_pushvalue(L, -1);
			lua_getinfo(L, ">S", &ar);
			e->line[kind] = ar.linedefined > 0 ? ar.linedefined : 0;
			lua_pushvalue(L, -1);
			e->fn[kind] = luaL_ref(L, LUA_REGISTRYINDEX);
			h->has[kind] = 1;
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return rc;
}

static void S_add_module_dir(struct akb_hooks *h, const char *dir)
{
	for (size_t i = 0; i < h->nmodule_dirs; i++)
		if (!strcmp(h->module_dirs[i], dir))
			return;
	h->module_dirs = akb_xrealloc(h->module_dirs, akb_xmul(h->nmodule_dirs + 1, sizeof(char *)));
	h->module_dirs[h->nmodule_dirs++] = akb_xstrdup(dir);
}

struct akb_hooks *akb_hooks_open(const struct akb_config *cfg, struct akb_diag *diag, int *failed)
{
	*failed = 0;
	if (!cfg->hooks[0] && !cfg->nfilters)
		return NULL;
	struct akb_hooks *h = akb_xcalloc(1, sizeof(*h));
	h->cfg = cfg;
	h->diag = diag;
	h->mem_limit = SIZE_MAX;
	h->mem_cap = (size_t)cfg->hook_limits.memory_mb * 1024 * 1024;
	akb_buf_init(&h->last_source);
	h->L = lua_newstate(S_alloc, h);
	if (!h->L) {
		akb_error(diag, cfg->hooks[0] ? cfg->hooks[0] : "hooks", 0, 0, "cannot start Lua");
		free(h);
		*failed = 1;
		return NULL;
	}
	*(struct akb_hooks **)lua_getextraspace(h->L) = h;
	h->root_real = realpath(cfg->root, NULL);
	h->content_real = realpath(cfg->content, NULL);
	for (char **p = cfg->hooks; *p; p++) {
		const char *slash = strrchr(*p, '/');
		char *dir = slash ? akb_xstrndup(*p, slash == *p ? 1 : (size_t)(slash - *p)) : akb_xstrdup(".");
		S_add_module_dir(h, dir);
		free(dir);
	}
	S_add_module_dir(h, cfg->root);
	S_open_sandbox(h);
	for (char **p = cfg->hooks; *p; p++)
		if (S_load_file(h, *p) != 0)
			*failed = 1;
	S_add_builtin_filters(h);
	if (*failed) {
		akb_hooks_free(h);
		return NULL;
	}
	return h;
}

void akb_hooks_free(struct akb_hooks *h)
{
	if (!h)
		return;
	lua_close(h->L);
	for (size_t i = 0; i < h->nentries; i++)
		free(h->entries[i].name);
	free(h->entries);
	for (size_t i = 0; i < h->nmodule_dirs; i++)
		free(h->module_dirs[i]);
	free(h->module_dirs);
	free(h->root_real);
	free(h->content_real);
	akb_buf_release(&h->last_source);
	free(h);
}

/* ------------------------------------------------------------------ running */

int akb_hooks_run_agents(struct akb_hooks *h, struct akb_site *site)
{
	if (!h->has[HOOK_FILTER] && !h->has[HOOK_AGENT])
		return 0;
	lua_State *L = h->L;
	h->site = site;
	int rc = 0;
	for (size_t i = 0; i < site->nagents && !rc; i++) {
		struct akb_agent *a = &site->agents[i];
		if (a->dropped)
			continue;
		h->subject = a->path;
		S_push_agent(L, a, 0);
		int t = lua_gettop(L);
		const struct hook_entry *changed_by = NULL;
		for (size_t k = 0; k < h->nentries && !rc && !a->dropped; k++) {
			const struct hook_entry *e = &h->entries[k];
			if (e->fn[HOOK_FILTER] != LUA_NOREF) {
				lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn[HOOK_FILTER]);
				lua_pushvalue(L, t);
				if (S_call(h, e, HOOK_FILTER, 1) != 0) {
					rc = -1;
					break;
				}
				if (!lua_isboolean(L, -1)) {
					rc = S_type_error(h, e, HOOK_FILTER, -1,
							  "a boolean (true keeps the agent, false drops it)");
				} else if (!lua_toboolean(L, -1)) {
					a->dropped = 1;
					struct akb_buf by = AKB_BUF_INIT;
					if (e->builtin)
						akb_buf_puts(&by, e->name);
					else
						akb_buf_printf(&by, "%s: filter() returned false", e->name);
					a->dropped_by = akb_buf_detach(&by, NULL);
				}
				lua_pop(L, 1);
			}
			if (!rc && !a->dropped && e->fn[HOOK_AGENT] != LUA_NOREF) {
				lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn[HOOK_AGENT]);
				lua_pushvalue(L, t);
				if (S_call(h, e, HOOK_AGENT, 1) != 0) {
					rc = -1;
					break;
				}
				if (lua_istable(L, -1))
					lua_replace(L, t);
				else if (!lua_isnil(L, -1))
					rc = S_type_error(h, e, HOOK_AGENT, -1, "the agent table, or nil to keep it");
				else
					lua_pop(L, 1);
				changed_by = e;
			}
		}
		if (!rc && !a->dropped && changed_by && S_pull_agent(h, t, a, changed_by, HOOK_AGENT, 0) != 0)
			rc = -1;
		lua_settop(L, t - 1);
	}
	h->subject = NULL;
	lua_gc(L, LUA_GCCOLLECT);
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
			       S_a_type(L, -1));
	lua_pop(L, 1);
	return rc;
}

/* Reads site.pages into site->pages. */
static int S_pull_pages(struct akb_hooks *h, int st, struct akb_site *site, const char *origin)
{
	lua_State *L = h->L;
	lua_getfield(L, st, "pages");
	int pages = lua_gettop(L), rc = 0;
	if (!lua_istable(L, pages)) {
		lua_pop(L, 1);
		return lua_isnil(L, pages) ? 0 : akb_error(h->diag, origin, 0, 0, "site.pages must be a list of pages");
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, pages);
	for (lua_Integer i = 1; i <= n && !rc; i++) {
		lua_rawgeti(L, pages, i);
		int t = lua_gettop(L);
		size_t ix = (size_t)i;
		if (!lua_istable(L, t)) {
			rc = akb_error(h->diag, origin, 0, 0, "site.pages[%zu] must be a table (path, title, markdown or template)",
				       ix);
			break;
		}
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
			if (!S_site_path_ok(file.ptr) || !fl)
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
	}
	lua_pop(L, 1);
	return rc ? -1 : 0;
}

/* Reads site.taxonomies (a list of front-matter keys) into site->taxonomy_keys. */
static int S_pull_taxonomies(struct akb_hooks *h, int st, struct akb_site *site, const char *origin)
{
	lua_State *L = h->L;
	lua_getfield(L, st, "taxonomies");
	int t = lua_gettop(L), rc = 0;
	if (!lua_istable(L, t)) {
		lua_pop(L, 1);
		return akb_error(h->diag, origin, 0, 0, "site.taxonomies must be a list of front-matter keys");
	}
	lua_Integer n = (lua_Integer)lua_rawlen(L, t);
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
static int S_pull_order(struct akb_hooks *h, int st, int index_of, struct akb_site *site, const struct hook_entry *e)
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

int akb_hooks_run_site(struct akb_hooks *h, struct akb_site *site)
{
	if (!h->has[HOOK_SITE])
		return 0;
	lua_State *L = h->L;
	h->site = site;
	h->subject = NULL;
	int top = lua_gettop(L);
	lua_newtable(L);
	int index_of = lua_gettop(L);
	lua_createtable(L, 0, 1);
	lua_pushvalue(L, index_of);
	lua_pushcclosure(L, S_lazy_body, 1);
	lua_setfield(L, -2, "__index");
	int agent_mt = lua_gettop(L);
	lua_newtable(L);
	int st = lua_gettop(L);
	lua_createtable(L, (int)site->norder, 0);
	for (size_t k = 0; k < site->norder; k++) {
		S_push_agent(L, &site->agents[site->order[k]], agent_mt);
		lua_pushvalue(L, -1);
		lua_pushinteger(L, (lua_Integer)site->order[k] + 1);
		lua_settable(L, index_of);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	lua_setfield(L, st, "agents");
	lua_newtable(L);
	const char *const *keys = (const char *const *)h->cfg->taxonomies;
	for (int i = 0; keys[i]; i++) {
		lua_pushstring(L, keys[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, st, "taxonomies");
	lua_newtable(L);
	lua_setfield(L, st, "pages");
	lua_rawgeti(L, LUA_REGISTRYINDEX, h->sandbox_ref);
	lua_getfield(L, -1, "agentkb");
	lua_getfield(L, -1, "config");
	lua_setfield(L, st, "config");
	lua_pop(L, 2);

	int rc = 0;
	const struct hook_entry *last = NULL;
	for (size_t k = 0; k < h->nentries && !rc; k++) {
		const struct hook_entry *e = &h->entries[k];
		if (e->fn[HOOK_SITE] == LUA_NOREF)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn[HOOK_SITE]);
		lua_pushvalue(L, st);
		if (S_call(h, e, HOOK_SITE, 1) != 0) {
			rc = -1;
			break;
		}
		if (!lua_isnil(L, -1) && !lua_rawequal(L, -1, st))
			rc = S_type_error(h, e, HOOK_SITE, -1, "nothing (change the site table in place)");
		lua_pop(L, 1);
		if (!rc)
			rc = S_pull_order(h, st, index_of, site, e);
		last = e;
	}
	if (!rc && last) {
		rc |= S_pull_taxonomies(h, st, site, last->name);
		rc |= S_pull_pages(h, st, site, last->name);
		/* Agents' fields, body and slug, as the site hooks left them. */
		lua_getfield(L, st, "agents");
		for (size_t k = 0; k < site->norder && !rc; k++) {
			lua_rawgeti(L, -1, (lua_Integer)k + 1);
			struct akb_agent *a = &site->agents[site->order[k]];
			h->subject = a->path;
			rc = S_pull_agent(h, -1, a, last, HOOK_SITE, 1);
			lua_pop(L, 1);
		}
		h->subject = NULL;
	}
	lua_settop(L, top);
	/* The site table is garbage now: give its memory back before rendering. */
	lua_gc(L, LUA_GCCOLLECT);
	return rc ? -1 : 0;
}

int akb_hooks_have_page(const struct akb_hooks *h)
{
	return h && h->has[HOOK_PAGE];
}

int akb_hooks_run_page(struct akb_hooks *h, const char *rel, const char *kind, const char *title,
		       struct akb_buf *html)
{
	lua_State *L = h->L;
	int top = lua_gettop(L), rc = 0, changed = 0;
	h->subject = rel;
	lua_createtable(L, 0, 3);
	lua_pushstring(L, rel);
	lua_setfield(L, -2, "path");
	lua_pushstring(L, kind);
	lua_setfield(L, -2, "kind");
	lua_pushstring(L, title ? title : "");
	lua_setfield(L, -2, "title");
	int page = lua_gettop(L);
	lua_pushlstring(L, html->ptr, html->len);
	int cur = lua_gettop(L);
	for (size_t k = 0; k < h->nentries && !rc; k++) {
		const struct hook_entry *e = &h->entries[k];
		if (e->fn[HOOK_PAGE] == LUA_NOREF)
			continue;
		lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn[HOOK_PAGE]);
		lua_pushvalue(L, page);
		lua_pushvalue(L, cur);
		if (S_call(h, e, HOOK_PAGE, 2) != 0) {
			rc = -1;
			break;
		}
		if (lua_type(L, -1) == LUA_TSTRING) {
			lua_replace(L, cur);
			changed = 1;
		} else if (!lua_isnil(L, -1)) {
			rc = S_type_error(h, e, HOOK_PAGE, -1, "the page's HTML (a string), or nil to keep it");
		} else {
			lua_pop(L, 1);
		}
	}
	if (!rc && changed) {
		size_t len;
		const char *s = lua_tolstring(L, cur, &len);
		akb_buf_clear(html);
		akb_buf_put(html, s, len);
	}
	h->subject = NULL;
	lua_settop(L, top);
	return rc;
}
