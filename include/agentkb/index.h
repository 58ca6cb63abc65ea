/*
 * index: stage index, the machine-readable side of the site, built from the
 * site and what render kept of each agent (render.h): agents.json (every
 * agent with every front-matter field, its slug, URL, source path and
 * summary), llms.txt, sitemap.xml and robots.txt (with a base URL), and the
 * search index (search.h).
 */
#ifndef AKB_INDEX_H
#define AKB_INDEX_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/render.h"
#include "agentkb/site.h"

struct akb_index_stats {
	size_t search_bytes; /* the search index's files */
	size_t search_terms; /* its dictionary */
	int search_kept;     /* the last build's, kept in OUT */
	int search_patched;  /* made by patching the last build's snapshot (search.h) */
};

/* Appends agents.json for `site` to `out`. */
void akb_index_agents_json(const struct akb_site *site, struct akb_buf *out);

/*
 * The search index's feed, filled agent by agent while render runs (render.h:
 * prepare, take, discard), so that each agent's texts can go as soon as its
 * page is written: akb_index_prepare tokenizes an agent (any thread),
 * akb_index_take adds it as document k (one thread, in the site's order).
 */
struct akb_index_feed;
struct akb_index_feed *akb_index_feed_new(const struct akb_site *site, const struct akb_config *cfg);
void akb_index_feed_free(struct akb_index_feed *feed);
/*
 * Records the search index in the page cache (page_cache.h) for the next
 * build, and keeps the last build's, untouched in OUT, when this build gives
 * it exactly the inputs it had (search.h: akb_search_inputs_digest). While
 * the last build's record is there, documents are held by their encoding
 * and decoded only if the index must be made again.
 */
struct akb_page_cache;
void akb_index_feed_use_cache(struct akb_index_feed *feed, struct akb_page_cache *pages);
/*
 * With kept->page_key set, akb_index_prepare also encodes the document into
 * kept->doc for the page cache; with kept->from_cache it decodes kept->doc
 * instead of tokenizing, or only checks it while documents are held (NULL
 * when it does not decode).
 */
void *akb_index_prepare(void *feed, size_t idx, struct akb_rendered_agent *kept);
/* `doc_at`: where the page cache put kept->doc (akb_page_cache_put), or UINT64_MAX. */
void akb_index_take(void *feed, size_t k, size_t idx, const struct akb_rendered_agent *kept, void *prepared,
		    uint64_t doc_at);
void akb_index_discard(void *prepared);
/*
 * How much of kept->heading_text and kept->prose the search excerpt can
 * use: what the page cache keeps of them, so that a kept page's excerpt is
 * the one its texts would give.
 */
void akb_index_excerpt_sources(const struct akb_rendered_agent *kept, size_t *heading_len, size_t *prose_len);

/*
 * Writes every index file into the site, the search index from `feed`, or
 * (NULL) from the texts `rendered` kept. Returns 0, or -1 (reported).
 */
int akb_index_write(const struct akb_site *site, const struct akb_config *cfg, const struct akb_rendered *rendered,
		    struct akb_index_feed *feed, struct akb_output *out, struct akb_index_stats *stats,
		    struct akb_diag *diag);

#endif
