/*
 * hooks: the user's Lua 5.4 hooks, run over the whole site.
 *
 * A hook file returns a table of functions, any of which may be absent:
 *
 *   filter(agent) -> boolean     keep (true) or drop (false) an agent
 *   agent(agent) -> agent | nil  change an agent's fields, body or slug
 *   site(site)                   reorder agents, add taxonomies and pages
 *   page(page, html) -> html|nil post-process a rendered page
 *
 * Hook files run in order; the --department/--category shortcut filters are
 * entries of the same chain, after the files, so they see fields hooks set.
 * Every call runs in a restricted environment (no process, no C modules, no
 * file writes; reads only under the site root and the content folder) with
 * an instruction budget and a memory cap. Errors are reported as
 * "hooks/x.lua:LINE: error: ..." with the traceback and the file being
 * processed as notes, and fail the build.
 */
#ifndef AKB_HOOKS_H
#define AKB_HOOKS_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/site.h"

struct akb_hooks;

/*
 * Loads the hook files and shortcut filters of `cfg`. Returns NULL when
 * there is nothing to run (no hooks, no filters) or when loading failed;
 * `*failed` tells which (errors are reported to `diag`).
 */
struct akb_hooks *akb_hooks_open(const struct akb_config *cfg, struct akb_diag *diag, int *failed);
void akb_hooks_free(struct akb_hooks *h);

/*
 * filter() and agent() over every loaded agent, in input order. Dropped
 * agents get `dropped` and `dropped_by`. Returns 0, or -1 on a hook error.
 */
int akb_hooks_run_agents(struct akb_hooks *h, struct akb_site *site);

/*
 * site() of each hook, after slugs and the default order exist. It may
 * reorder or remove agents (site->order), change their fields, set the
 * taxonomy keys (site->taxonomy_keys) and add pages (site->pages) and files
 * (site->files). Returns 0, or -1 on a hook error.
 */
int akb_hooks_run_site(struct akb_hooks *h, struct akb_site *site);

/* Does any hook post-process pages? */
int akb_hooks_have_page(const struct akb_hooks *h);

/*
 * page() of each hook over one rendered page (`rel`: its path in the site,
 * `kind`: "agent_page", "index_page", ...). `html` is replaced when a hook
 * returns a string. Returns 0, or -1 on a hook error.
 */
int akb_hooks_run_page(struct akb_hooks *h, const char *rel, const char *kind, const char *title,
		       struct akb_buf *html);

/* Does `value` match the shortcut pattern (exact or glob, ASCII case-insensitive)? Exposed for tests. */
int akb_hooks_glob_match(const char *pattern, const char *value);

#endif
