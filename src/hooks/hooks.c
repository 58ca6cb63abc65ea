/*
 * hooks: runs the user's Lua hooks over the site (contract in
 * include/agentkb/hooks.h): loads each hook file in the sandbox, calls
 * filter/agent/site/page with the limits, and turns every failure into a
 * positioned diagnostic with the traceback as notes.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/hooks.h"
#include "agentkb/load.h"
#include "agentkb/lua_sandbox.h"
#include "hooks_int.h"

const char *const hk_kind_names[HOOK_KINDS] = { "filter", "agent", "site", "page" };

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
void hk_note_subject(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind)
{
	if (h->subject)
		akb_diag_add(h->diag, AKB_NOTE, h->subject, 0, 0, "while running %s() of %s on this file",
			     hk_kind_names[kind], e->name);
}

/* Reports a failed call (its error value on the stack top) and pops it. Returns -1. */
static int S_report_call_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int status,
			       const char *what)
{
	lua_State *L = h->L;
	const char *msg = lua_tostring(L, -1);
	if (!msg)
		msg = "(error object is not a string)";
	size_t head_len;
	const char *tb = akb_lua_traceback(msg, &head_len);
	struct akb_buf head = AKB_BUF_INIT, file = AKB_BUF_INIT;
	akb_buf_put(&head, msg, head_len);
	unsigned line = 0;
	const char *rest = head.ptr;
	int positioned = S_split_position(head.ptr, &file, &line, &rest);
	if (positioned)
		S_unshorten(h, &file);
	enum akb_lua_limit hit = akb_lua_limit_hit(h->sb);
	if (status == LUA_ERRMEM || hit == AKB_LUA_MEMORY) {
		/* Memory errors carry no position: use where the hook last was. */
		unsigned last_line;
		const char *last = akb_lua_last_position(h->sb, &last_line);
		const char *where = last ? last : e->name;
		unsigned at = last ? last_line : (unsigned)e->line[kind];
		akb_error(h->diag, where, at, 0, "%s exceeded its memory limit of %ld MB", what,
			  h->cfg->hook_limits.memory_mb);
	} else if (hit == AKB_LUA_BUDGET) {
		akb_error(h->diag, positioned ? file.ptr : e->name, positioned ? line : (unsigned)e->line[kind], 0,
			  "%s exceeded its budget of %ld instructions (an endless loop?)", what,
			  h->cfg->hook_limits.instructions);
	} else if (positioned) {
		akb_error(h->diag, file.ptr, line, 0, "%s", rest);
	} else {
		akb_error(h->diag, e->name, (unsigned)e->line[kind], 0, "%s failed: %s", what, head.ptr);
	}
	hk_note_subject(h, e, kind);
	if (tb && status != LUA_ERRMEM)
		S_report_traceback(h, tb);
	akb_buf_release(&head);
	akb_buf_release(&file);
	lua_pop(L, 1);
	return -1;
}

/*
 * Calls e's hook of `kind` on the values at the stack indexes args[0..nargs)
 * (they stay where they are) with the limits and the message handler;
 * leaves one result. Returns 0, or -1 (reported).
 */
static int S_call(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int nargs, const int *args)
{
	lua_rawgeti(h->L, LUA_REGISTRYINDEX, e->fn[kind]);
	for (int i = 0; i < nargs; i++)
		lua_pushvalue(h->L, args[i]);
	int status = akb_lua_call(h->sb, nargs, 1, h->cfg->hook_limits.instructions, h->mem_cap);
	if (status == LUA_OK)
		return 0;
	struct akb_buf what = AKB_BUF_INIT;
	akb_buf_printf(&what, "%s()", hk_kind_names[kind]);
	S_report_call_error(h, e, kind, status, what.ptr);
	akb_buf_release(&what);
	return -1;
}

struct hook_entry *hk_add_entry(struct akb_hooks *h, const char *name, int builtin)
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

/* Runs one hook file and takes the functions of the table it returns. Returns 0, or -1 (reported). */
static int S_load_file(struct akb_hooks *h, const char *path)
{
	lua_State *L = h->L;
	struct hook_entry *e = hk_add_entry(h, path, 0);
	FILE *f = fopen(path, "rb");
	if (!f)
		return akb_error(h->diag, path, 0, 0, "cannot read hook file: %s", strerror(errno));
	fclose(f);
	int status = hk_load_chunk(h, path);
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
		lua_pop(L, 1);
		return -1;
	}
	status = akb_lua_call(h->sb, 0, 1, h->cfg->hook_limits.instructions, h->mem_cap);
	if (status != LUA_OK) {
		S_report_call_error(h, e, HOOK_SITE, status, "the hook file's top level");
		return -1;
	}
	if (!lua_istable(L, -1)) {
		akb_error(h->diag, path, 0, 0,
			  "a hook file must return a table of functions (filter, agent, site, page); it returned %s",
			  hk_a_type(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	int rc = 0;
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int kind = -1;
		for (int k = 0; key && k < HOOK_KINDS; k++)
			if (!strcmp(key, hk_kind_names[k]))
				kind = k;
		if (kind < 0) {
			rc = akb_error(h->diag, path, 0, 0, "unknown hook '%s'; a hook file returns filter, agent, site or page",
				       key ? key : luaL_typename(L, -2));
		} else if (!lua_isfunction(L, -1)) {
			rc = akb_error(h->diag, path, 0, 0, "'%s' must be a function, not %s", key, hk_a_type(L, -1));
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
	h->mem_cap = (size_t)cfg->hook_limits.memory_mb * 1024 * 1024;
	h->sb = akb_lua_open(AKB_LUA_LIB_OS | AKB_LUA_LIB_IO | AKB_LUA_LIB_DEBUG, h);
	if (!h->sb) {
		akb_error(diag, cfg->hooks[0] ? cfg->hooks[0] : "hooks", 0, 0, "cannot start Lua");
		free(h);
		*failed = 1;
		return NULL;
	}
	h->L = akb_lua_state(h->sb);
	h->root_real = realpath(cfg->root, NULL);
	h->content_real = realpath(cfg->content, NULL);
	for (char **p = cfg->hooks; *p; p++) {
		const char *slash = strrchr(*p, '/');
		char *dir = slash ? akb_xstrndup(*p, slash == *p ? 1 : (size_t)(slash - *p)) : akb_xstrdup(".");
		S_add_module_dir(h, dir);
		free(dir);
	}
	S_add_module_dir(h, cfg->root);
	hk_open_env(h);
	for (char **p = cfg->hooks; *p; p++)
		if (S_load_file(h, *p) != 0)
			*failed = 1;
	hk_add_builtin_filters(h);
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
	akb_lua_close(h->sb);
	for (size_t i = 0; i < h->nentries; i++)
		free(h->entries[i].name);
	free(h->entries);
	for (size_t i = 0; i < h->nmodule_dirs; i++)
		free(h->module_dirs[i]);
	free(h->module_dirs);
	free(h->root_real);
	free(h->content_real);
	free(h);
}

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
		hk_push_agent(L, a, 0);
		int t = lua_gettop(L);
		const struct hook_entry *changed_by = NULL;
		for (size_t k = 0; k < h->nentries && !rc && !a->dropped; k++) {
			const struct hook_entry *e = &h->entries[k];
			if (e->fn[HOOK_FILTER] != LUA_NOREF) {
				if (S_call(h, e, HOOK_FILTER, 1, &t) != 0) {
					rc = -1;
					break;
				}
				if (!lua_isboolean(L, -1)) {
					rc = hk_type_error(h, e, HOOK_FILTER, -1,
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
				if (S_call(h, e, HOOK_AGENT, 1, &t) != 0) {
					rc = -1;
					break;
				}
				if (lua_istable(L, -1))
					lua_replace(L, t);
				else if (!lua_isnil(L, -1))
					rc = hk_type_error(h, e, HOOK_AGENT, -1, "the agent table, or nil to keep it");
				else
					lua_pop(L, 1);
				changed_by = e;
			}
		}
		if (!rc && !a->dropped && changed_by && hk_pull_agent(h, t, a, changed_by, HOOK_AGENT, 0) != 0)
			rc = -1;
		lua_settop(L, t - 1);
	}
	h->subject = NULL;
	lua_gc(L, LUA_GCCOLLECT);
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
	lua_pushcclosure(L, hk_lazy_body, 1);
	lua_setfield(L, -2, "__index");
	int agent_mt = lua_gettop(L);
	lua_newtable(L);
	int st = lua_gettop(L);
	lua_createtable(L, (int)site->norder, 0);
	for (size_t k = 0; k < site->norder; k++) {
		hk_push_agent(L, &site->agents[site->order[k]], agent_mt);
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
		if (S_call(h, e, HOOK_SITE, 1, &st) != 0) {
			rc = -1;
			break;
		}
		if (!lua_isnil(L, -1) && !lua_rawequal(L, -1, st))
			rc = hk_type_error(h, e, HOOK_SITE, -1, "nothing (change the site table in place)");
		lua_pop(L, 1);
		if (!rc)
			rc = hk_pull_order(h, st, index_of, site, e);
		last = e;
	}
	if (!rc && last) {
		rc |= hk_pull_taxonomies(h, st, site, last->name);
		rc |= hk_pull_pages(h, st, site, last->name);
		/* Agents' fields, body and slug, as the site hooks left them. */
		lua_getfield(L, st, "agents");
		for (size_t k = 0; k < site->norder && !rc; k++) {
			lua_rawgeti(L, -1, (lua_Integer)k + 1);
			struct akb_agent *a = &site->agents[site->order[k]];
			h->subject = a->path;
			rc = hk_pull_agent(h, -1, a, last, HOOK_SITE, 1);
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
		if (S_call(h, e, HOOK_PAGE, 2, (const int[]){ page, cur }) != 0) {
			rc = -1;
			break;
		}
		if (lua_type(L, -1) == LUA_TSTRING) {
			lua_replace(L, cur);
			changed = 1;
		} else if (!lua_isnil(L, -1)) {
			rc = hk_type_error(h, e, HOOK_PAGE, -1, "the page's HTML (a string), or nil to keep it");
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
