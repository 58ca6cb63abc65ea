/*
 * render: turns the site into HTML pages through the theme's templates:
 * the home page (cards grouped by department, then category), one page per
 * agent (body, metadata, examples, table of contents, raw file), and a page
 * per taxonomy and per term, the pages hooks added, plus 404.html.
 *
 * Every link is relative (the site works under any subpath and from
 * file://), and points at index.html files explicitly because file:// shows
 * folders as listings. Only with a base URL do pages also carry their
 * absolute address (canonical link, og:url), for search engines and link
 * previews.
 */
#ifndef AKB_RENDER_H
#define AKB_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/markdown.h"
#include "agentkb/output.h"
#include "agentkb/site.h"
#include "agentkb/template.h"

struct akb_lint;
struct akb_page_cache;

/*
 * What rendering learns that the index stage needs, so that render feeds no
 * shared builder: per agent its body's text by kind, and the pages meant
 * for readers.
 */
struct akb_rendered_agent {
	int rendered;                /* it has a page (kept, not dropped) */
	struct akb_buf heading_text; /* heading texts, one per line */
	struct akb_buf prose;        /* the body's text outside headings and code */
	struct akb_buf code;         /* the code blocks' text */
	struct akb_buf code_langs;   /* each fenced block's language, one per line */
	char *qualifier;             /* what tells it from a namesake (its collection), or NULL (owned) */
	char *install_path;          /* where its harness reads it, or NULL (owned) */
	char *install_dir;           /* the folder a packed skill unpacks into, or NULL (owned) */
	/* For the page cache (page_cache.h), when the options have one: */
	char *page_rel;              /* its page, in the site (owned) */
	uint64_t page_key;           /* what its page is made from (0: nothing to record) */
	uint64_t page_digest, page_size; /* the page as written or kept */
	size_t code_blocks;
	struct akb_diag messages;    /* what making its page reported */
	struct akb_buf doc;          /* its search document, encoded (search.h) */
	int from_cache;              /* its page was kept: `doc` is the last build's, heading_text and
	                                prose only their starts (what the excerpt needs) */
	void *prepared;              /* a kept page's document, already decoded by `prepare` */
};

struct akb_rendered {
	struct akb_rendered_agent *agents; /* parallel to site->agents (owned) */
	size_t nagents;
	char **listed;               /* pages for readers (sitemap), relative to the site root, as written (owned) */
	size_t nlisted, clisted;
};

void akb_rendered_release(struct akb_rendered *rendered);
/* Frees what one agent kept for the index stage and the page cache (texts, document, messages). */
void akb_rendered_agent_forget(struct akb_rendered_agent *kept);

struct akb_render_options {
	akb_code_renderer_fn code; /* fenced code renderer; NULL for plain */
	void *code_ctx;
	struct akb_rendered *rendered;     /* filled for the index stage; NULL: nothing kept */
	/*
	 * Post-processes each HTML page before it is written (the Lua page
	 * hooks); NULL for none. Returns 0, or -1 (reported) to fail the page.
	 */
	int (*page_filter)(void *ctx, const char *rel, const char *kind, const char *title, struct akb_buf *html);
	void *page_ctx;
	const struct akb_lint *lint; /* findings shown in each agent page's "problems" box; NULL for none */
	/*
	 * Threads for the agent pages (0 or 1: this one only). The output and
	 * the messages are the same for any number; page hooks make it one.
	 */
	unsigned jobs;
	/*
	 * The index stage's feed, so that memory does not grow with the site:
	 * `prepare` runs on the thread that rendered an agent's page, right
	 * after it (its result goes to `take`); `take` runs once per agent page,
	 * one at a time, in the site's order (k: position in site->order, idx:
	 * the agent). Once `take` returns, the agent's kept texts are freed.
	 * NULL: the texts stay in `rendered` for a later index stage.
	 */
	void *(*prepare)(void *ctx, size_t idx, struct akb_rendered_agent *kept);
	void (*take)(void *ctx, size_t k, size_t idx, const struct akb_rendered_agent *kept, void *prepared);
	void (*discard)(void *prepared); /* instead of `take`, once a page failed */
	void *feed_ctx;
	/*
	 * Incremental builds: a page whose key the last build recorded, and
	 * which OUT still holds as written (an agent page: its raw file too),
	 * is kept as it is instead of rendered; what rendering it reported
	 * comes from its record, and for an agent page its search document
	 * (`prepare` decodes it, or returns NULL to have the page rendered
	 * after all). This build's records go into the same cache. NULL: every
	 * page is rendered. A page's key covers its data as its template sees
	 * it, its path and `page_salt` (what every page depends on besides:
	 * templates, highlighter, config; the caller computes it); an agent
	 * page's also the file's bytes and where every agent file's page is
	 * (its body links to them). Pages hooks add are always rendered.
	 * Needs `rendered` and `prepare`.
	 */
	struct akb_page_cache *page_cache;
	uint64_t page_salt;
};

struct akb_render_stats {
	size_t pages;       /* HTML pages written */
	size_t code_blocks; /* fenced code blocks rendered */
	size_t changed_inputs; /* agent files no longer the bytes loaded (their pages failed) */
	size_t kept_pages;  /* pages kept from the last build (page_cache), */
	size_t kept_agent_pages; /* agent pages among them */
};

/*
 * Renders every page of `site` into `out`. Template and write errors are
 * reported to `diag`. Returns 0, or -1 if any page failed.
 */
int akb_render_site(const struct akb_site *site, const struct akb_config *cfg, struct akb_tpl_set *tpl,
		    const struct akb_render_options *opts, struct akb_output *out, struct akb_render_stats *stats,
		    struct akb_diag *diag);

#endif
