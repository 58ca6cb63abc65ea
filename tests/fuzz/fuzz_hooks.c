/*
 * fuzz_hooks: the values a Lua hook hands back (src/hooks/marshal.c). The
 * first part of the input is an agent file, loaded and pushed to Lua as a
 * hook's agent() sees it (front-matter values to Lua); the second part is a
 * little program that changes the table the way a hook could (strings of
 * any bytes, integers at the limits, NaN, nested tables, cycles, mixed
 * keys, functions), and the table is read back into the agent (Lua to
 * values). A table read back once must push and read back again.
 *
 * The program, one byte an operation (unknown bytes are skipped):
 *   n b B      push nil, false, true
 *   i X        push integer X - 128;  I J  push the largest, smallest integer
 *   f X*8      push the double of the next 8 bytes (NaN, infinities...)
 *   s N X*N    push a string of N bytes
 *   t          push a new table;  a  push the agent table
 *   c u        push a C function, a light userdata
 *   S          t[k] = v for ... t k v on the stack (pops k and v)
 *   A          append the top to the table below it (pops it)
 *   F N X*N    agent[X*N] = top (pops it)
 *   d p        duplicate, pop the top
 */
#include "core/prefix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/agent.h"
#include "agentkb/diag.h"
#include "agentkb/load.h"
#include "agentkb/lua_sandbox.h"
#include "fuzz.h"
#include "hooks/hooks_int.h"

/* Values the program may leave on the stack at once. */
#define MAX_STACK 64

static int S_nothing(lua_State *L)
{
	return 0;
}

/* Runs the program on the agent table at `at`. */
static void S_run(lua_State *L, int at, const unsigned char *p, size_t n)
{
	size_t i = 0;
	/* Room for the program's values (Lua guarantees a C function only a few). */
	if (!lua_checkstack(L, MAX_STACK + 2))
		abort();
	while (i < n) {
		int top = lua_gettop(L) - at; /* values above the agent table */
		int op = p[i++];
		if (strchr("nbBiIJfstacud", op) && (!op || top >= MAX_STACK))
			continue;
		switch (op) {
		case 'n': lua_pushnil(L); break;
		case 'b': lua_pushboolean(L, 0); break;
		case 'B': lua_pushboolean(L, 1); break;
		case 'i': lua_pushinteger(L, i < n ? (lua_Integer)p[i++] - 128 : 0); break;
		case 'I': lua_pushinteger(L, LUA_MAXINTEGER); break;
		case 'J': lua_pushinteger(L, LUA_MININTEGER); break;
		case 'f': {
			double d = 0;
			if (n - i >= sizeof d) {
				memcpy(&d, p + i, sizeof d);
				i += sizeof d;
			}
			lua_pushnumber(L, d);
			break;
		}
		case 's': {
			size_t len = i < n ? p[i++] : 0;
			if (len > n - i)
				len = n - i;
			lua_pushlstring(L, (const char *)p + i, len);
			i += len;
			break;
		}
		case 't': lua_newtable(L); break;
		case 'a': lua_pushvalue(L, at); break;
		case 'c': lua_pushcfunction(L, S_nothing); break;
		case 'u': lua_pushlightuserdata(L, (void *)p); break;
		case 'S':
			/* A nil or NaN key would raise an error outside any protected call. */
			if (top >= 3 && lua_istable(L, -3) && !lua_isnil(L, -2) &&
			    !(lua_type(L, -2) == LUA_TNUMBER && isnan(lua_tonumber(L, -2))))
				lua_rawset(L, -3);
			else if (top >= 2)
				lua_pop(L, 2);
			break;
		case 'A':
			if (top >= 2 && lua_istable(L, -2))
				lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
			else if (top >= 1)
				lua_pop(L, 1);
			break;
		case 'F': {
			size_t len = i < n ? p[i++] : 0;
			if (len > n - i)
				len = n - i;
			if (top >= 1) {
				lua_pushlstring(L, (const char *)p + i, len);
				lua_insert(L, -2);
				lua_rawset(L, at);
			}
			i += len;
			break;
		}
		case 'd':
			if (top >= 1)
				lua_pushvalue(L, -1);
			break;
		case 'p':
			if (top >= 1)
				lua_pop(L, 1);
			break;
		default:
			break;
		}
	}
	lua_settop(L, at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_part parts[2];
	size_t n = fz_split(data, size, parts, 2);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_agent agent;
	akb_agent_load_text(&agent, "agents/x.md", "agents/x.md", parts[0].p, parts[0].len, &diag);

	struct akb_hooks h;
	memset(&h, 0, sizeof h);
	h.diag = &diag;
	h.subject = agent.path;
	h.sb = akb_lua_open(0, &h);
	if (!h.sb)
		abort();
	h.L = akb_lua_state(h.sb);
	static char hook_name[] = "hooks/fuzz.lua";
	struct hook_entry e = { hook_name, 0, { LUA_NOREF, LUA_NOREF, LUA_NOREF, LUA_NOREF }, { 1, 2, 3, 4 } };

	hk_push_agent(h.L, &agent, 0);
	if (n == 2)
		S_run(h.L, lua_gettop(h.L), (const unsigned char *)parts[1].p, parts[1].len);
	int rc = hk_pull_agent(&h, -1, &agent, &e, HOOK_AGENT, 0);
	lua_settop(h.L, 0);
	if (rc == 0) {
		hk_push_agent(h.L, &agent, 0);
		if (hk_pull_agent(&h, -1, &agent, &e, HOOK_AGENT, 0) != 0)
			abort();
		lua_settop(h.L, 0);
	}

	akb_lua_close(h.sb);
	akb_agent_release(&agent);
	akb_diag_release(&diag);
	return 0;
}
