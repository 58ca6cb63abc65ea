/*
 * site: the loaded agents as one collection, after hooks: unique slugs,
 * taxonomies (department, category, tools, model, ...) with their terms, and
 * the display order. Everything render and index need, nothing they redo.
 */
#ifndef AKB_SITE_H
#define AKB_SITE_H

#include <stddef.h>

#include "agentkb/agent.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/strmap.h"

struct akb_slugset;

struct akb_term {
	char *name;      /* display text, as first seen (owned) */
	char *slug;      /* URL segment, unique in its taxonomy (owned by the taxonomy's slug set) */
	size_t *agents;  /* indexes into site->agents, in display order (owned) */
	size_t count, cap;
};

struct akb_taxonomy {
	char *key;       /* front-matter key ("department") (owned) */
	char *path;      /* URL folder ("departments") (owned) */
	char *title;     /* heading ("Departments") (owned) */
	char *label;     /* one value's label ("Department") (owned) */
	struct akb_term *terms; /* sorted by name, case-insensitively (owned) */
	size_t nterms, cap;
	struct akb_slugset *slugs;
	struct akb_strmap by_slug; /* term slug -> index in terms (after sorting) */
	struct akb_strmap by_value; /* each value agents give, as given -> index in terms: found without a slug */
	size_t *agent_term;        /* per agent index: its first term's index, or SIZE_MAX (owned) */
};

/* A page a hook added: markdown content, or a template with data. */
struct akb_site_page {
	char *path;          /* file in the site ("tools-matrix/index.html") (owned) */
	char *title;         /* (owned) */
	char *markdown;      /* content, or NULL (owned) */
	char *template_name; /* theme template, or NULL for the theme's "page" (owned) */
	char *template_file; /* a .mustache file to use instead, or NULL (owned) */
	struct akb_value data; /* the template's `data` */
	int nav;             /* listed in the site navigation */
	char *origin;        /* the hook file that added it, for diagnostics (owned) */
};

/* A file a hook added with agentkb.write(). */
struct akb_site_file {
	char *path;   /* in the site (owned) */
	char *data;   /* (owned) */
	size_t len;
	char *origin; /* (owned) */
};

struct akb_site {
	struct akb_agent *agents; /* every loaded agent, in input order (owned) */
	size_t nagents, cap;
	size_t *order;            /* indexes of kept agents in display order: by name, or as hooks sorted them (owned) */
	size_t norder;
	struct akb_taxonomy *taxonomies; /* one per taxonomy key (owned) */
	size_t ntaxonomies;
	char **taxonomy_keys;     /* set by hooks: replaces the config's taxonomies; NULL-terminated (owned) */
	struct akb_site_page *pages; /* added by hooks (owned) */
	size_t npages, pages_cap;
	struct akb_site_file *files; /* added by hooks (owned) */
	size_t nfiles, files_cap;
};

void akb_site_init(struct akb_site *site);
void akb_site_release(struct akb_site *site);
/* Appends an uninitialized agent slot and returns it (for the loader to fill). */
struct akb_agent *akb_site_add_agent(struct akb_site *site);
/* Makes room for `more` agents at once (a build knows how many files it loads): no doubling's spare half. */
void akb_site_reserve(struct akb_site *site, size_t more);

/*
 * After the agent hooks, before the order: merges identical agents (the same
 * name, any case, and the same body) into the first one, in input order (the
 * others are dropped with duplicate_of set and a reason), and gives each kept
 * agent its collection. The collection is the folder it came from: the
 * parent of an `agents/` folder (plugins/<plugin>/agents/x.md), else the
 * first folder below the folders every agent shares (categories/<here>/x.md
 * when all are under categories/), else the deepest folder they all share.
 */
void akb_site_derive(struct akb_site *site, const struct akb_config *cfg);

/* Puts the kept (not dropped) agents in site->order, by name, case-insensitively. */
void akb_site_order(struct akb_site *site);

/*
 * Gives each kept agent a unique slug, in input order so the same files
 * always get the same URLs: its own slug when a hook set one, else one made
 * from its name (warning on duplicate names). Running it again keeps them.
 */
void akb_site_assign_slugs(struct akb_site *site, struct akb_diag *diag);

/*
 * After hooks: collects the taxonomies (site->taxonomy_keys if hooks set
 * them, else those of `cfg`) over the agents of site->order. Of the default
 * list, a derived taxonomy that tells nothing is left out: `collection` when
 * no agent has one or each agent's is its department, `language` when the
 * site has one language.
 */
void akb_site_finish(struct akb_site *site, const struct akb_config *cfg, struct akb_diag *diag);

/* Appends an empty page / file for hooks to fill. */
struct akb_site_page *akb_site_add_page(struct akb_site *site);
struct akb_site_file *akb_site_add_file(struct akb_site *site);


/* The term of `tax` named `name` (matched by slug), or NULL. */
const struct akb_term *akb_taxonomy_find(const struct akb_taxonomy *tax, const char *name);
/* The taxonomy for `key`, or NULL. */
const struct akb_taxonomy *akb_site_taxonomy(const struct akb_site *site, const char *key);

/*
 * The values an agent has for a taxonomy key: appends pointers to each
 * string (a one-item list for a plain string, the tools list for "tools").
 * Returns the count written (at most `max`).
 */
size_t akb_agent_terms(const struct akb_agent *agent, const char *key, const char **out, size_t max);

#endif
