/*
 * env: what a hook's Lua can reach. The sandbox's standard library with
 * what could escape taken out (io reads only under the site, no os.execute,
 * no bytecode), require() of Lua files next to the hooks, and the agentkb
 * module (slugify, markdown, log, write, config).
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/markdown.h"
#include "agentkb/slug.h"
#include "agentkb/version.h"
#include "hooks_int.h"

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
	struct akb_hooks *h = hk_self(L);
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
int hk_load_chunk(struct akb_hooks *h, const char *path)
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
	struct akb_hooks *h = hk_self(L);
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
		if (hk_load_chunk(h, path.ptr) != LUA_OK) {
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
	struct akb_hooks *h = hk_self(L);
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
int hk_site_path_ok(const char *p)
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
	struct akb_hooks *h = hk_self(L);
	const char *path = luaL_checkstring(L, 1);
	size_t len;
	const char *data = luaL_checklstring(L, 2, &len);
	if (!hk_site_path_ok(path))
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

/* The standard library hooks get: base, string, table, math, utf8, a reading io, a harmless os. */
void hk_open_env(struct akb_hooks *h)
{
	lua_State *L = h->L;

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
