/*
 * hooks_int: what the files of the hooks module share (hooks.c: loading hook
 * files and running them, with their errors; marshal.c: values, agents and
 * site results between C and Lua; env.c: what a hook's Lua can reach: the
 * trimmed standard library, require() and the agentkb module; filter.c: the
 * glob and shortcut filters). The Lua state lives in a sandbox
 * (lua_sandbox.h) that enforces the limits.
 */
#ifndef AKB_HOOKS_INT_H
#define AKB_HOOKS_INT_H

#include <stddef.h>

#include <lua.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/hooks.h"
#include "agentkb/lua_sandbox.h"
#include "agentkb/site.h"
#include "agentkb/value.h"

enum hook_kind { HOOK_FILTER, HOOK_AGENT, HOOK_SITE, HOOK_PAGE, HOOK_KINDS };
/* "filter", "agent", "site", "page": the names hook files use. */
extern const char *const hk_kind_names[HOOK_KINDS];

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

	struct akb_lua *sb;         /* the sandbox; L is its state */
	size_t mem_cap;             /* bytes a call may allocate */

	char *root_real, *content_real; /* hooks may read under these */
	char **module_dirs;         /* where require() looks: each hook file's folder, then the site root */
	size_t nmodule_dirs;
	int sandbox_ref;            /* the shared, read-only-by-convention standard library */
	int loaded_ref;             /* require()'s cache */
};

/* The hooks a C function called from Lua works for. */
static inline struct akb_hooks *hk_self(lua_State *L)
{
	return akb_lua_user(L);
}

/* hooks.c */
/* The context note of a failed call: which file it was working on. */
void hk_note_subject(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind);
struct hook_entry *hk_add_entry(struct akb_hooks *h, const char *name, int builtin);

/* marshal.c */
/* "a string", "an integer"... for messages. */
const char *hk_a_type(lua_State *L, int idx);
/* A hook returned something it should not have: says what it got and what was expected. Returns -1. */
int hk_type_error(struct akb_hooks *h, const struct hook_entry *e, enum hook_kind kind, int idx,
			const char *expected);
/* The __index of an agent table whose body is read only when a hook asks for it. */
int hk_lazy_body(lua_State *L);
/* Pushes an agent as a table (site_mt: with the lazy body). */
void hk_push_agent(lua_State *L, const struct akb_agent *a, int site_mt);
/* Reads back the agent table at `idx` into `a`. Returns 0, or -1 (reported). */
int hk_pull_agent(struct akb_hooks *h, int idx, struct akb_agent *a, const struct hook_entry *e,
			enum hook_kind kind, int lazy_body);
/* What site() returned at `st`: new pages, taxonomies, the agents' order. Each returns 0 or -1 (reported). */
int hk_pull_pages(struct akb_hooks *h, int st, struct akb_site *site, const char *origin);
int hk_pull_taxonomies(struct akb_hooks *h, int st, struct akb_site *site, const char *origin);
int hk_pull_order(struct akb_hooks *h, int st, int index_of, struct akb_site *site, const struct hook_entry *e);

/* env.c */
/* Loads a hook or module file as a text chunk whose _ENV is the hooks' environment. Returns a Lua status. */
int hk_load_chunk(struct akb_hooks *h, const char *path);
/* Is `p` a path a hook may write in the site (relative, no '..', not hidden)? */
int hk_site_path_ok(const char *p);
/* Trims the sandbox's standard library for hooks and adds require() and the agentkb module. */
void hk_open_env(struct akb_hooks *h);

/* filter.c */
/* Adds a hook entry for each shortcut filter of the config (--department, --category, ...). */
void hk_add_builtin_filters(struct akb_hooks *h);

#endif
