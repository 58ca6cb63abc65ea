/*
 * search: the full-text and faceted search index, built in C at build time
 * in a compact format that the browser never rebuilds, split so that a query
 * loads only what it touches. Every file is a classic script (works from
 * file://, where fetch() does not) that hands its data to a global loader:
 *
 *   window.__akbSearchLoad(kind, id, data)
 *
 * FORMAT (version 1). All files live in `search/` at the site root.
 *
 * search/base.js -> __akbSearchLoad("base", 0, {
 *   v: 1,
 *   n: N,                        number of documents (agents), ids 0..N-1 in site order
 *   fields: ["name","summary","meta","headings","body","code"],
 *   boost:  [8, 4, 3, 2, 1, 0.5],   BM25F field weights
 *   avg:    [..6 numbers..],     average field length in tokens
 *   norms:  "<base64>",          N*6 bytes, doc-major: byte q = round(8*log2(1+len)), len ≈ 2^(q/8)-1
 *   shards: ["", "api", "cache", ...],  first term of each term shard; shard k is search/t<k>.js;
 *                                 a term t lives in the last shard whose first term <= t (UTF-16 order,
 *                                 the order of JS string comparison)
 *   chunk:  16,                  documents per display chunk: doc d is in search/d<floor(d/16)>.js
 *   facets: [ { key: "department", title: "Department",
 *               values: ["data", "engineering", ...],          display names, sorted
 *               docs: "<base64 varints>" },                   per doc: count, then value indexes
 *             ... department, category, model, tools ... ]
 * })
 *
 * search/t<k>.js -> __akbSearchLoad("t", k, {
 *   terms: "term\nterm\n...",    sorted (UTF-16 order), unique
 *   post:  "<base64>",           postings of every term, concatenated in term order
 *   size:  "<base64 varints>"    byte length of each term's postings
 * })
 *   One term's postings: varint df; then df entries of
 *   varint doc_delta (doc id minus previous doc id; the first is the id itself),
 *   varint field_mask (bit f set when field f contains the term),
 *   then one varint tf per set bit, lowest bit first.
 *
 * search/d<c>.js -> __akbSearchLoad("d", c, [
 *   [name, url, department, category, model, text], ...   up to `chunk` documents
 * ])  url is relative to the site root; text is the excerpt source
 *     (summary, headings and the start of the body, at most ~320 characters).
 *
 * Varints are LEB128 (7 bits per byte, low first, high bit = more).
 * Base64 is the standard alphabet with padding.
 *
 * TOKENIZER (identical in C, here, and in JS, themes/default/static/search.js):
 * code points are lower-cased with akb_utf8_lower (a fixed table, not the
 * locale); a token is a maximal run of akb_utf8_is_word code points, cut
 * where the run switches between CJK (akb_utf8_is_cjk) and non-CJK; a CJK
 * run of one character is one token, a longer run yields its overlapping
 * bigrams; non-CJK tokens are cut to 32 code points.
 */
#ifndef AKB_SEARCH_H
#define AKB_SEARCH_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"

enum akb_search_field {
	AKB_FIELD_NAME = 0,
	AKB_FIELD_SUMMARY,
	AKB_FIELD_META,
	AKB_FIELD_HEADINGS,
	AKB_FIELD_BODY,
	AKB_FIELD_CODE,
	AKB_FIELD_COUNT
};

/* Calls `fn` for each token of text[0..len), in order. */
typedef void (*akb_token_fn)(void *ctx, const char *token, size_t len);
void akb_tokenize(const char *text, size_t len, akb_token_fn fn, void *ctx);

struct akb_search_builder;

/* `ndocs` documents, added in id order. */
struct akb_search_builder *akb_search_builder_new(size_t ndocs);
void akb_search_builder_free(struct akb_search_builder *sb);

/* Adds text to field `field` of document `doc` (may be called repeatedly per field). */
void akb_search_add_text(struct akb_search_builder *sb, size_t doc, enum akb_search_field field, const char *text,
			 size_t len);

/* Display data of a document (copied). */
void akb_search_set_display(struct akb_search_builder *sb, size_t doc, const char *name, const char *url,
			    const char *department, const char *category, const char *model, const char *text);

/* Declares a facet; returns its index. Values are added per document. */
size_t akb_search_add_facet(struct akb_search_builder *sb, const char *key, const char *title);
void akb_search_add_facet_value(struct akb_search_builder *sb, size_t facet, size_t doc, const char *value);

struct akb_search_stats {
	size_t terms;      /* distinct terms */
	size_t postings;   /* (term, document) pairs */
	size_t shards;     /* term shards */
	size_t bytes;      /* bytes written under search/ */
	size_t base_bytes; /* size of search/base.js */
};

/* Writes search/ into the site. Returns 0, or -1 (reported). */
int akb_search_write(struct akb_search_builder *sb, struct akb_output *out, struct akb_search_stats *stats,
		     struct akb_diag *diag);

#endif
