/*
 * lua_sandbox: the one way agentkb runs Lua (the user's hooks, the
 * `highlight` project's definitions and themes). A sandbox is a Lua state
 * with:
 *   - a library whitelist: base, string, table, math and utf8 always; os, io
 *     and debug only when asked for (the caller then takes out what it must);
 *     never package or C modules;
 *   - limits per call: an instruction budget and a memory allowance, enforced
 *     by the allocator and a count hook. A limit reached keeps raising at
 *     every instruction, so a pcall() inside the script cannot swallow it,
 *     and a call that caught it anyway still fails;
 *   - protected calls with a traceback handler: an error message carries its
 *     stack ("\nstack traceback:\n..."), split off by akb_lua_traceback.
 *
 * Only the files that marshal values include <lua.h>; this header names
 * lua_State without it.
 */
#ifndef AKB_LUA_SANDBOX_H
#define AKB_LUA_SANDBOX_H

#include <stddef.h>

struct lua_State;
struct akb_lua;

/* Libraries beyond the core five. */
enum {
	AKB_LUA_LIB_OS = 1u << 0,
	AKB_LUA_LIB_IO = 1u << 1,
	AKB_LUA_LIB_DEBUG = 1u << 2,
};

/* Why the last call stopped, when a limit stopped it. */
enum akb_lua_limit {
	AKB_LUA_WITHIN = 0,
	AKB_LUA_BUDGET,  /* instruction budget exhausted */
	AKB_LUA_MEMORY,  /* memory allowance used up */
};

/*
 * A new sandbox with the core libraries and `libs`; `user` is what
 * akb_lua_user gives back inside C functions. NULL if Lua cannot start.
 */
struct akb_lua *akb_lua_open(unsigned libs, void *user);
void akb_lua_close(struct akb_lua *sb);

struct lua_State *akb_lua_state(const struct akb_lua *sb);
/* The sandbox of a state, and its user pointer (for C functions called from Lua). */
struct akb_lua *akb_lua_of(struct lua_State *L);
void *akb_lua_user(struct lua_State *L);

/*
 * Calls the function below the stack's `nargs` arguments, allowing it
 * `instructions` VM instructions and `memory` bytes beyond what the state
 * holds now. Returns LUA_OK with `nresults` results, or an error status with
 * the message (and its traceback) on the stack. Outside calls, memory is not
 * limited and nothing counts instructions.
 */
int akb_lua_call(struct akb_lua *sb, int nargs, int nresults, long instructions, size_t memory);

/* Whether a limit stopped the last call, and which. */
enum akb_lua_limit akb_lua_limit_hit(const struct akb_lua *sb);

/*
 * Where the last call was when the count hook last looked (a chunk loaded
 * from a file): its path, and the line in `*line`; NULL if nowhere known.
 * Memory errors carry no position of their own; this is the next best.
 */
const char *akb_lua_last_position(const struct akb_lua *sb, unsigned *line);

/* Bytes the state holds. */
size_t akb_lua_memory(const struct akb_lua *sb);

/*
 * Splits an error message of akb_lua_call: returns its traceback lines
 * (after "stack traceback:\n"), or NULL, and the length of what comes before
 * in `*head_len`.
 */
const char *akb_lua_traceback(const char *msg, size_t *head_len);

#endif
