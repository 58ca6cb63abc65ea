/*
 * config: the site settings, from `agentkb.yaml` at the site root and then
 * the command line (flags win). Unknown keys are errors with their line, so
 * a typo never silently does nothing.
 */
#ifndef AKB_CONFIG_H
#define AKB_CONFIG_H

#include <stddef.h>

#include "agentkb/diag.h"

/* A shortcut filter: keep (or, with `exclude`, drop) agents whose `key` matches `pattern`. */
struct akb_filter_rule {
	char *key;     /* "department", "category" (owned) */
	char *pattern; /* exact or glob (* ? [..]), case-insensitive (owned) */
	int exclude;
};

struct akb_config {
	char *path;        /* the file read, or NULL if none (owned) */
	char *root;        /* the site root: the config file's folder, or "." (owned) */
	char *title;       /* site title (owned) */
	char *description; /* one-line site description (owned; may be "") */
	char *base_url;    /* absolute URL the site is published at, ending in '/'; "" for relative-only (owned) */
	char *language;    /* BCP 47 tag for <html lang> (owned) */
	char *theme;       /* theme name or folder (owned) */
	char *content;     /* content folder (owned) */
	char *output;      /* output folder (owned) */
	int output_given;  /* `output` was in the config file */
	char **taxonomies; /* front-matter keys that get term pages; NULL-terminated (owned) */
	int taxonomies_given; /* `taxonomies` was in the config: keep every one, even an empty or redundant one */
	char *csp;         /* the Content-Security-Policy meta of every page: a policy, or "" for none (owned) */
	char *group_by;    /* home-page groups: a taxonomy key, or "auto" (department, else collection) (owned) */
	int collections;   /* derive each agent's collection from its folder */
	char **not_agents; /* file names (without .md) that are documentation, not agents; NULL-terminated (owned) */
	int strict;        /* warnings are errors */
	unsigned jobs;     /* threads for the per-agent work (-j); 0: one per core */
	size_t home_per_group; /* cards per category on the home page before "all N" links; 0 for all */
	size_t paginate;       /* cards per term page, then page/2/ ...; 0 for all on one page */
	char **hooks;      /* Lua hook files, in run order: `hooks` of the config, then --hook; NULL-terminated (owned) */
	struct akb_filter_rule *filters; /* --department/--category shortcuts (owned) */
	size_t nfilters;
	struct {
		long instructions; /* VM instructions a hook call may run */
		long memory_mb;    /* megabytes a hook call may allocate */
	} hook_limits;
	struct {
		long file_mb;         /* input files larger than this are skipped with a warning */
		long front_matter_kb; /* front-matter blocks larger than this are ignored with a warning */
	} limits;
	struct {
		int builtin_synonyms; /* use the built-in bilingual synonym table */
		char **synonyms;      /* more groups, each its words joined by '\n'; NULL-terminated (owned) */
	} search;
	struct {
		int enabled;      /* highlight code blocks at build time */
		char *theme;      /* light theme, a name from highlight's themes/ (owned) */
		char *dark_theme; /* dark theme, for prefers-color-scheme: dark (owned) */
		int linenos;      /* line numbers on every block (fences can override) */
		char *datadir;    /* highlight's data folder; "" for the installed one (owned) */
	} highlight;
};

/*
 * Which config file a build without -c uses, so that a checkout's or a
 * folder's agentkb.yaml never leaks into a build of some other folder:
 *   - with CONTENT given (`content`): CONTENT/agentkb.yaml; else
 *     ./agentkb.yaml, but only when its `content` is that same folder;
 *   - without: ./agentkb.yaml.
 * Returns 1 with the file in `path` (and *inside set when it is CONTENT's
 * own), or 0 when there is none to use.
 */
struct akb_buf;
int akb_config_find(const char *content, struct akb_buf *path, int *inside);

/* Fills in the defaults. */
void akb_config_init(struct akb_config *cfg);
void akb_config_release(struct akb_config *cfg);

/*
 * Reads `path` into `cfg`. A missing file is fine when `required` is 0.
 * Errors (bad YAML, unknown keys, wrong types) go to `diag` with
 * path:line:col. Returns 0, or -1 on errors.
 */
int akb_config_load(struct akb_config *cfg, const char *path, int required, struct akb_diag *diag);

/* Replaces a string setting (for command-line overrides). */
void akb_config_set(char **field, const char *value);
/* Appends to a NULL-terminated string list (for --hook). */
void akb_config_push(char ***list, const char *value);
/* Appends a shortcut filter. */
void akb_config_add_filter(struct akb_config *cfg, const char *key, const char *pattern, int exclude);

/*
 * Checks `value` as the site's base URL (akb_url_base_normalize) and stores
 * its normal form, ending in '/', in *field. Returns NULL, or why the URL is
 * rejected (*field is then unchanged).
 */
const char *akb_config_set_base_url(char **field, const char *value);

/* URL path segment of a taxonomy ("category" -> "categories", "tools" -> "tools"). */
struct akb_buf;
void akb_taxonomy_plural(const char *key, struct akb_buf *out);

#endif
