/*
 * lua_sandbox: Lua states with a library whitelist, per-call limits and a
 * traceback handler (see lua_sandbox.h), shared by the hooks and the
 * highlighter so that both enforce the same rules the same way.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "agentkb/buf.h"
#include "agentkb/lua_sandbox.h"

/* The count hook runs every this many instructions; budgets count in these units. */
#define COUNT_STEP 1000

static const char TRACEBACK_MARK[] = "\nstack traceback:\n";

struct akb_lua {
	lua_State *L;
	void *user;
	size_t mem;                 /* bytes allocated */
	size_t mem_limit;           /* SIZE_MAX outside calls */
	long steps_left;            /* COUNT_STEPs left in the running call */
	enum akb_lua_limit hit;
	unsigned last_line;         /* where the running call was at the last count */
	const char *last_source_key; /* Lua's interned source string, to copy it only on change */
	struct akb_buf last_source;
};

struct akb_lua *akb_lua_of(lua_State *L)
{
	return *(struct akb_lua **)lua_getextraspace(L);
}

void *akb_lua_user(lua_State *L)
{
	return akb_lua_of(L)->user;
}

lua_State *akb_lua_state(const struct akb_lua *sb)
{
	return sb->L;
}

size_t akb_lua_memory(const struct akb_lua *sb)
{
	return sb->mem;
}

enum akb_lua_limit akb_lua_limit_hit(const struct akb_lua *sb)
{
	return sb->hit;
}

const char *akb_lua_last_position(const struct akb_lua *sb, unsigned *line)
{
	*line = sb->last_line;
	return sb->last_source.len ? sb->last_source.ptr : NULL;
}

static void *S_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct akb_lua *sb = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		sb->mem -= old;
		return NULL;
	}
	/* NULL becomes a Lua memory error: the call fails, not the build. */
	if (nsize > old && sb->mem - old + nsize > sb->mem_limit) {
		sb->hit = AKB_LUA_MEMORY;
		return NULL;
	}
	void *p = realloc(ptr, nsize);
	if (p)
		sb->mem = sb->mem - old + nsize;
	return p;
}

static void S_count(lua_State *L, lua_Debug *ar)
{
	struct akb_lua *sb = akb_lua_of(L);
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0 && ar->source[0] == '@') {
		sb->last_line = (unsigned)ar->currentline;
		if (ar->source != sb->last_source_key) {
			sb->last_source_key = ar->source;
			akb_buf_clear(&sb->last_source);
			akb_buf_puts(&sb->last_source, ar->source + 1);
		}
	}
	if (!sb->hit && --sb->steps_left < 0)
		sb->hit = AKB_LUA_BUDGET;
	if (sb->hit) {
		/* From now on raise at every instruction, so a pcall() in the script cannot swallow it for good. */
		lua_sethook(L, S_count, LUA_MASKCOUNT, 1);
		luaL_error(L, sb->hit == AKB_LUA_BUDGET ? "instruction limit exceeded" : "memory limit exceeded");
	}
}

static int S_traceback(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg)
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	luaL_traceback(L, L, msg, 1);
	return 1;
}

static void S_open_lib(lua_State *L, const char *name, lua_CFunction fn)
{
	luaL_requiref(L, name, fn, 1);
	lua_pop(L, 1);
}

struct akb_lua *akb_lua_open(unsigned libs, void *user)
{
	struct akb_lua *sb = akb_xcalloc(1, sizeof(*sb));
	sb->user = user;
	sb->mem_limit = SIZE_MAX;
	akb_buf_init(&sb->last_source);
	sb->L = lua_newstate(S_alloc, sb);
	if (!sb->L) {
		akb_buf_release(&sb->last_source);
		free(sb);
		return NULL;
	}
	*(struct akb_lua **)lua_getextraspace(sb->L) = sb;
	lua_State *L = sb->L;
	S_open_lib(L, LUA_GNAME, luaopen_base);
	S_open_lib(L, LUA_STRLIBNAME, luaopen_string);
	S_open_lib(L, LUA_TABLIBNAME, luaopen_table);
	S_open_lib(L, LUA_MATHLIBNAME, luaopen_math);
	S_open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
	if (libs & AKB_LUA_LIB_OS)
		S_open_lib(L, LUA_OSLIBNAME, luaopen_os);
	if (libs & AKB_LUA_LIB_IO)
		S_open_lib(L, LUA_IOLIBNAME, luaopen_io);
	if (libs & AKB_LUA_LIB_DEBUG)
		S_open_lib(L, LUA_DBLIBNAME, luaopen_debug);
	return sb;
}

void akb_lua_close(struct akb_lua *sb)
{
	if (!sb)
		return;
	lua_close(sb->L);
	akb_buf_release(&sb->last_source);
	free(sb);
}

int akb_lua_call(struct akb_lua *sb, int nargs, int nresults, long instructions, size_t memory)
{
	lua_State *L = sb->L;
	int base = lua_gettop(L) - nargs; /* the function's slot */
	lua_pushcfunction(L, S_traceback);
	lua_insert(L, base);
	sb->steps_left = instructions / COUNT_STEP + 1;
	sb->mem_limit = memory > SIZE_MAX - sb->mem ? SIZE_MAX : sb->mem + memory;
	sb->hit = AKB_LUA_WITHIN;
	sb->last_line = 0;
	sb->last_source_key = NULL;
	akb_buf_clear(&sb->last_source);
	lua_sethook(L, S_count, LUA_MASKCOUNT, COUNT_STEP);
	int status = lua_pcall(L, nargs, nresults, base);
	lua_sethook(L, NULL, 0, 0);
	sb->mem_limit = SIZE_MAX;
	lua_remove(L, base);
	if (status == LUA_OK && sb->hit) {
		/* The script caught the limit error with pcall() and went on: it still failed. */
		lua_settop(L, base - 1);
		lua_pushstring(L, sb->hit == AKB_LUA_BUDGET ? "instruction limit exceeded" : "memory limit exceeded");
		status = LUA_ERRRUN;
	}
	return status;
}

const char *akb_lua_traceback(const char *msg, size_t *head_len)
{
	const char *tb = strstr(msg, TRACEBACK_MARK);
	*head_len = tb ? (size_t)(tb - msg) : strlen(msg);
	return tb ? tb + sizeof(TRACEBACK_MARK) - 1 : NULL;
}
