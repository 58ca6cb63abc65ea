/*
 * search: the full-text and faceted search index, built in C at build time
 * in a compact format that the browser never rebuilds, split so that a query
 * loads only what it touches. Every file is a classic script (works from
 * file://, where fetch() does not) that hands its data to a global loader:
 *
 *   window.__akbSearchLoad(kind, id, data)
 *
 * FORMAT (version 2). All files live in `search/` at the site root. A query
 * needs base.js (a few KB: it says which shard holds a term), the term shards
 * of its words and the display chunks of the results shown; facets.js only
 * for counts and filters. Nothing else is rebuilt or decoded up front.
 *
 * search/base.js -> __akbSearchLoad("base", 0, {     (pages load it with an async <script> in
 *   their <head>: when it runs before search.js, the data waits in window.__akbSearchBase)
 *   v: 3,
 *   n: N,                        number of documents (agents), ids 0..N-1 in site order
 *   fields: ["name","nameprefix","summary","meta","headings","body","code","lang"],
 *   boost:  [8, 0, 4, 3, 2, 1, 0.5, 0.5],   BM25F field weights the impacts were computed with (informative)
 *   bonus:  [6, 4.5, 1.5],       impact bonuses for a name, name-prefix and summary hit (informative)
 *   chunk:  16,                  documents per display chunk: doc d is in search/d<floor(d/16)>.js
 *   shards: "\napi\ncache...",   first term of each term shard, "\n"-separated (shard 0's is "");
 *                                a term t lives in the last shard k whose first term <= t (UTF-16
 *                                order, the order of JS string comparison)
 *   ids:    "9f3a01c2\n...",     the name of each shard: shard k is search/t<ids[k]>.js (ids absent:
 *                                search/t<k>.js). A name is the first term's hash (FNV-1a, low 32
 *                                bits, 8 hex digits), and shards end where the terms say (search.c),
 *                                so an edit to one agent rewrites few shards
 *   solo:   "0110...",           one character per shard: "1" when the shard holds exactly one term
 *                                (its first), so a page can tell whether it matches without loading it;
 *                                a term whose postings take 4 KB or more always gets one of its own
 *   syn:    [["爬虫","scraping","crawler"], ...]   synonym groups: a query word equal to one word of a
 *                                group also matches the others (the built-in table and `search.synonyms`)
 *   facets: [ { key: "department", title: "Department",
 *               values: ["data", "engineering", ...],   display names, sorted
 *               one: 1 },            1: no document has more than one value (see facets.js)
 *             ... one per taxonomy: department, category, collection, language, tools, model ... ]
 * })
 *
 * search/facets.js -> __akbSearchLoad("facets", 0, ["<digits>", ...])
 *   one string per facet of base.facets, in order: per document, when the
 *   facet's `one` is 1, its value index + 1 (0: none); otherwise its count of
 *   values, then their indexes. Every number is written as w base-64 digits
 *   (the base64 alphabet, A = 0 ... / = 63, most significant first), w the
 *   fewest digits that hold values.length (1 up to 63 values, 2 up to 4095...):
 *   a page decodes them in one pass, most facets one character a document.
 *
 * search/t<id>.js -> __akbSearchLoad("t", "<id>", {
 *   terms: "term\nterm\n...",    sorted (UTF-16 order), unique
 *   post:  "<base64>",           postings of every term, concatenated in term order
 *   size:  "<base64 varints>"    byte length of each term's postings
 *   rows:  [[doc, name, url, department, category, model, text, qualifier], ...]
 *                                solo shards only: the display rows (as in d<c>.js) of the term's
 *                                10 best documents (highest impact, then lowest id), so that a
 *                                one-word query on a common term needs no display chunk for its
 *                                first page of results
 * })
 *   One term's postings: varint df; then the df documents grouped by impact,
 *   highest first (a one-term query's ranking is their order), each group:
 *   one byte q, varint n, then n varint doc_delta (doc id minus the group's
 *   previous doc id; the first is the id itself), ids ascending. The impact q
 *   of a term in a document:
 *     s = tfw (K1 + 1) / (K1 + tfw), K1 = 1.2, B = 0.75,
 *     tfw = sum over fields f of tf_f * boost_f / (1 - B + B * len_f / avg_f)
 *     (len_f: tokens in field f of the document, avg_f: the average over documents),
 *     q = round(16 log2 s) + 192, clamped to 0..255; so s ~= 2^((q - 192) / 16).
 *   A page scores a document idf * s per word, idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
 *
 * search/d<c>.js -> __akbSearchLoad("d", c, [
 *   [name, url, department, category, model, text, qualifier], ...   up to `chunk` documents
 * ])  url is relative to the site root; text is the excerpt source
 *     (summary, headings and the start of the body, at most ~320 characters);
 *     qualifier is where the agent comes from when another has its name, else "".
 *
 * Varints are LEB128 (7 bits per byte, low first, high bit = more).
 * Base64 is the standard alphabet with padding.
 *
 * TOKENIZER (identical in C, here, and in JS, themes/default/static/search-engine.js):
 * code points are lower-cased with akb_utf8_lower (a fixed table, not the
 * locale); a token is a maximal run of akb_utf8_is_word code points, cut
 * where the run switches between CJK (akb_utf8_is_cjk) and non-CJK; a CJK
 * run of one character is one token, a longer run yields its overlapping
 * bigrams; non-CJK tokens are cut to 32 code points.
 *
 * NAME PREFIXES: each Latin word of a name also indexes its prefixes of at
 * least 3 letters and half its length ("audit" for "auditor", "data" for
 * "database") in the nameprefix field, so that a finished query word that
 * starts a name word finds that agent with a name-sized weight. Only
 * prefixes that are terms of some document anyway are kept: the dictionary
 * does not grow.
 */
#ifndef AKB_SEARCH_H
#define AKB_SEARCH_H

#include <stddef.h>
#include <stdio.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"

enum akb_search_field {
	AKB_FIELD_NAME = 0,
	AKB_FIELD_NAME_PREFIX, /* derived from the name by the builder; not for akb_search_add_text */
	AKB_FIELD_SUMMARY,
	AKB_FIELD_META,
	AKB_FIELD_HEADINGS,
	AKB_FIELD_BODY,
	AKB_FIELD_CODE,
	AKB_FIELD_LANG,        /* languages of the code blocks (akb_search_add_code_lang) */
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

/*
 * Adds the language of one fenced code block ("ts", "postgresql") to document
 * `doc`: the word itself and the common names it stands for ("typescript";
 * "sql"), once per document, so that `sql` finds an agent whose examples are
 * SQL even when its prose says only "PostgreSQL".
 */
void akb_search_add_code_lang(struct akb_search_builder *sb, size_t doc, const char *lang, size_t len);

/*
 * A document tokenized apart from the builder, so that documents can be
 * tokenized on several threads: the same calls as above, then
 * akb_search_add_doc in document order, which gives the index the calls on
 * the builder would have.
 */
struct akb_search_doc;
struct akb_search_doc *akb_search_doc_new(void);
void akb_search_doc_free(struct akb_search_doc *d);
void akb_search_doc_text(struct akb_search_doc *d, enum akb_search_field field, const char *text, size_t len);
void akb_search_doc_code_lang(struct akb_search_doc *d, const char *lang, size_t len);
/*
 * A document as bytes and back (the page cache keeps the documents of pages
 * it does not render again). Decoding gives NULL for bytes that are not an
 * encoding; a decoded document adds to the index what the original did, and
 * may only be added (akb_search_add_doc), not given more text.
 */
void akb_search_doc_encode(const struct akb_search_doc *d, struct akb_buf *out);
struct akb_search_doc *akb_search_doc_decode(const char *data, size_t len);
/* Adds the terms of `d` to document `doc` (after any added with akb_search_add_text) and empties `d`. */
void akb_search_add_doc(struct akb_search_builder *sb, size_t doc, struct akb_search_doc *d);
/* Is data[0..len) an encoding akb_search_doc_decode takes? (It checks without decoding.) */
int akb_search_doc_valid(const char *data, size_t len);

/*
 * Adds document `doc` by its encoding, with `d` its decoded form when the
 * caller has it (added now, and emptied) or NULL: the bytes are then held
 * (copied) and decoded only when the index needs them, at
 * akb_search_write, on the jobs' threads, or once the held documents pass
 * 96 MB. Either way the encoding's digest joins the index's inputs.
 */
void akb_search_add_encoded(struct akb_search_builder *sb, size_t doc, const char *data, size_t len,
			    struct akb_search_doc *d);
/*
 * Where documents held by reference are read back from: read_back(ctx, at,
 * to, len) fills to[0..len) with the bytes stored at `at` and returns 0,
 * or -1 when it cannot.
 */
typedef int (*akb_doc_reader)(void *ctx, uint64_t at, char *to, size_t len);
void akb_search_set_doc_reader(struct akb_search_builder *sb, akb_doc_reader read_back, void *ctx);
/*
 * akb_search_add_encoded without `d`, for an encoding the reader can give
 * back from `at`: held by reference, not copied, so that a rebuild holds
 * no documents however big the site. Bytes read back that are not these
 * (by digest) fail akb_search_write. Without a reader, or with `at`
 * UINT64_MAX, the bytes are copied as akb_search_add_encoded does.
 */
void akb_search_hold_at(struct akb_search_builder *sb, size_t doc, const char *data, size_t len, uint64_t at);
/*
 * Incremental indexes. akb_search_write can write the builder's postings,
 * before they are weighed, to `f` (a snapshot: per document its encoding's
 * digest and field lengths, per term its postings); a later build given
 * that file (akb_search_patch_from, path kept by the caller) whose
 * documents are all held, as many as then, and mostly the same by digest,
 * patches those postings (out with the changed documents' entries, in with
 * their new ones) instead of adding every document: the index is the one
 * adding them all gives. A snapshot that does not read back whole is
 * warned about and not used.
 */
void akb_search_snapshot_to(struct akb_search_builder *sb, FILE *f);
void akb_search_patch_from(struct akb_search_builder *sb, const char *snapshot);
/* Did akb_search_write patch a snapshot? */
int akb_search_patched(const struct akb_search_builder *sb);
/*
 * A digest of everything the builder was given: document count, encoded
 * documents, facets and their values, displays, installs, synonyms. Two
 * builders with one digest write the same files, so a rebuild whose digest
 * is the last build's may keep them (index.c). 0 when it cannot tell: a
 * document came without its encoding (akb_search_add_doc, add_text).
 */
uint64_t akb_search_inputs_digest(const struct akb_search_builder *sb);
/* The files the last akb_search_write wrote, one site path a line. */
const char *akb_search_files(const struct akb_search_builder *sb);

/*
 * Synonym groups for the query side (base.js `syn`): `groups` is a
 * NULL-terminated list of groups, each its words joined by '\n'. With
 * `builtin`, the built-in bilingual table of common engineering terms comes
 * first. Copied.
 */
void akb_search_set_synonyms(struct akb_search_builder *sb, int builtin, char *const *groups);
/* Threads akb_search_write may use (default 1); the index is the same for any number. */
void akb_search_set_jobs(struct akb_search_builder *sb, unsigned jobs);

/* Display data of a document (copied); `qualifier` tells it from agents of the same name ("" when none). */
void akb_search_set_display(struct akb_search_builder *sb, size_t doc, const char *name, const char *url,
			    const char *department, const char *category, const char *model, const char *text,
			    const char *qualifier);

/*
 * How a result installs when it is not a sub-agent (format.h): where it goes
 * (NULL: not by copying a file), its raw file's name beside its page, and
 * for a packed skill the folder its .tar.gz unpacks into. Copied.
 */
void akb_search_set_install(struct akb_search_builder *sb, size_t doc, const char *path, const char *raw_name,
			    const char *archive_dir);

/* Declares a facet; returns its index. Values are added per document. */
size_t akb_search_add_facet(struct akb_search_builder *sb, const char *key, const char *title);
void akb_search_add_facet_value(struct akb_search_builder *sb, size_t facet, size_t doc, const char *value);

struct akb_search_stats {
	size_t terms;      /* distinct terms */
	size_t postings;   /* (term, document) pairs */
	size_t shards;     /* term shards */
	size_t bytes;      /* bytes written under search/ */
	size_t base_bytes; /* size of search/base.js, the one file every query waits for */
};

/* Writes search/ into the site. Returns 0, or -1 (reported). */
int akb_search_write(struct akb_search_builder *sb, struct akb_output *out, struct akb_search_stats *stats,
		     struct akb_diag *diag);

#endif
