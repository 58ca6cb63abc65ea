/*
 * bundle_fragments: elements that several pages share, stored once. An
 * agent's card stands on the home page and on each of its term pages;
 * storing it once and referring to it by number keeps the single file
 * small. A page's content becomes a list of parts: strings, and the
 * numbers of fragments (whose own parts may refer to smaller fragments).
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agentkb/json.h"
#include "bundle/bundle_int.h"

/* Elements shorter than this are not worth a fragment reference. */
#define S_MIN_FRAGMENT 64

/* The index of the text p[0..len) in frags, added (count 0) if new. */
static size_t S_frag_slot(struct bnd_packer *pk, const char *p, size_t len)
{
	int added;
	size_t i = akb_strmap_add(&pk->frag_index, p, len, pk->nfrags, &added);
	if (added) {
		if (pk->nfrags == pk->cfrags) {
			pk->cfrags = pk->cfrags ? pk->cfrags * 2 : 1024;
			pk->frags = akb_xrealloc(pk->frags, akb_xmul(pk->cfrags, sizeof(*pk->frags)));
		}
		pk->frags[pk->nfrags++] = (struct bnd_frag){ 0, 0, -1, 0 };
	}
	return i;
}

static int S_by_start(const void *x, const void *y)
{
	const struct bnd_span *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

/* An open element while spans are collected. */
struct open_tag {
	const char *name;
	size_t len, start;
};

static void S_add_span(struct bnd_page *pg, size_t *cap, size_t start, size_t end)
{
	if (pg->nspans == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		pg->spans = akb_xrealloc(pg->spans, akb_xmul(*cap, sizeof(*pg->spans)));
	}
	pg->spans[pg->nspans++] = (struct bnd_span){ start, end };
}

/* How many open elements remain once end tag `t` closes its match; `depth` when nothing matches. */
static size_t S_close(const struct open_tag *stack, size_t depth, const struct akb_html_token *t)
{
	size_t k = depth;
	while (k > 0 && !(stack[k - 1].len == t->name_len && !strncasecmp(stack[k - 1].name, t->name, t->name_len)))
		k--;
	return k ? k - 1 : depth;
}

/*
 * The elements of a page's content long enough to share, with matching end
 * tags (a mismatched end tag closes what it skipped without recording it).
 * A span only ever stands for its exact bytes, so a parse that is wrong
 * about the structure costs sharing, never correctness.
 */
static void S_collect_spans(struct bnd_page *pg)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	struct open_tag *stack = NULL;
	size_t depth = 0, cap = 0, cspans = 0;
	akb_html_scan_init(&sc, pg->content.ptr, pg->content.len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.kind == AKB_HTML_START && !t.self_closing && !akb_html_is_void(t.name, t.name_len)) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 32;
				stack = akb_xrealloc(stack, akb_xmul(cap, sizeof(*stack)));
			}
			stack[depth++] = (struct open_tag){ t.name, t.name_len, t.start };
		} else if (t.kind == AKB_HTML_END) {
			size_t k = S_close(stack, depth, &t);
			if (k == depth)
				continue;
			depth = k;
			if (t.end - stack[depth].start >= S_MIN_FRAGMENT)
				S_add_span(pg, &cspans, stack[depth].start, t.end);
		}
	}
	free(stack);
	if (pg->nspans) /* no spans: spans is NULL, which qsort may not be given */
		qsort(pg->spans, pg->nspans, sizeof(*pg->spans), S_by_start);
}

/* The JSON buffer of fragment `id`, the table grown (and its new buffers emptied) as needed. */
static struct akb_buf *S_frag_json(struct bnd_packer *pk, size_t id)
{
	if (id >= pk->cfrag_json) {
		size_t cap = pk->cfrag_json ? pk->cfrag_json * 2 : 256;
		while (cap <= id)
			cap *= 2;
		pk->frag_json = akb_xrealloc(pk->frag_json, akb_xmul(cap, sizeof(struct akb_buf)));
		for (size_t j = pk->cfrag_json; j < cap; j++)
			akb_buf_init(&pk->frag_json[j]);
		pk->cfrag_json = cap;
	}
	return &pk->frag_json[id];
}

static void S_parts(struct bnd_packer *pk, const struct bnd_page *pg, size_t *k, size_t from, size_t to,
		    struct akb_buf *json);

/* Gives the fragment in `slot` (the span `sp`) its number and stores its own parts, on first use. */
static void S_store_fragment(struct bnd_packer *pk, const struct bnd_page *pg, size_t k, size_t slot,
			     struct bnd_span sp, int write)
{
	long id = pk->frags[slot].id = (long)pk->nfrag_ids++;
	/* Into a buffer of its own: the recursion may grow (move) frag_json. */
	struct akb_buf own = AKB_BUF_INIT;
	S_parts(pk, pg, &k, sp.start, sp.end, write ? &own : NULL);
	if (write)
		*S_frag_json(pk, (size_t)id) = own;
}

/* Appends a string part s[from, to) of a page's content, after a comma if it is not the first. */
static void S_text_part(struct akb_buf *json, const char *s, size_t from, size_t to, size_t *n)
{
	akb_buf_puts(json, (*n)++ ? "," : "");
	akb_json_string(json, s + from, to - from);
}

/*
 * Appends s[from, to) of a page's content as a JSON array of parts: strings,
 * and the numbers of fragments (elements found more than once in the
 * site), outermost first; *k walks the page's spans, which nest. A
 * fragment's own parts are stored once, when it is first used, and may
 * refer to smaller fragments. With json == NULL nothing is written, only
 * `uses` counted: the plan that S_plan checks before writing.
 */
static void S_parts(struct bnd_packer *pk, const struct bnd_page *pg, size_t *k, size_t from, size_t to,
		    struct akb_buf *json)
{
	const char *s = pg->content.ptr;
	size_t cur = from, n = 0;
	if (json)
		akb_buf_putc(json, '[');
	while (*k < pg->nspans && pg->spans[*k].start < to) {
		const struct bnd_span sp = pg->spans[(*k)++];
		if (sp.start < cur || sp.end > to || (sp.start == from && sp.end == to))
			continue;
		size_t slot = S_frag_slot(pk, s + sp.start, sp.end - sp.start);
		if (pk->frags[slot].count < 2 || pk->frags[slot].banned)
			continue; /* kept inline; the spans inside it come next */
		if (pk->frags[slot].id < 0)
			S_store_fragment(pk, pg, *k, slot, sp, json != NULL);
		while (*k < pg->nspans && pg->spans[*k].start < sp.end)
			(*k)++;
		pk->frags[slot].uses++;
		if (json) {
			if (sp.start > cur)
				S_text_part(json, s, cur, sp.start, &n);
			akb_buf_printf(json, "%s%ld", n++ ? "," : "", pk->frags[slot].id);
		}
		cur = sp.end;
	}
	if (json) {
		if (cur < to || !n)
			S_text_part(json, s, cur, to, &n);
		akb_buf_putc(json, ']');
	}
}

void bnd_page_parts(struct bnd_packer *pk, const struct bnd_page *pg, struct akb_buf *json)
{
	size_t k = 0;
	S_parts(pk, pg, &k, 0, pg->content.len, json);
}

/* Counts every element of every page in the fragment table. */
static void S_count(struct bnd_packer *pk)
{
	for (size_t i = 0; i < pk->npages; i++)
		for (size_t j = 0; j < pk->pages[i].nspans; j++) {
			const struct bnd_span *sp = &pk->pages[i].spans[j];
			/* The index first: adding an entry may move the array. */
			size_t slot = S_frag_slot(pk, pk->pages[i].content.ptr + sp->start, sp->end - sp->start);
			pk->frags[slot].count++;
		}
}

/* Forgets the numbers given to fragments, for a new plan or the writing. */
static void S_unnumber(struct bnd_packer *pk)
{
	for (size_t j = 0; j < pk->nfrags; j++)
		pk->frags[j].id = -1;
	pk->nfrag_ids = 0;
}

/*
 * Plans which fragments to store: an element seen twice may still end up
 * referenced once (its other occurrence lies inside a bigger fragment);
 * such ones are kept inline, and the plan redone until every stored
 * fragment is referenced at least twice.
 */
static void S_plan(struct bnd_packer *pk)
{
	for (int changed = 1; changed;) {
		S_unnumber(pk);
		for (size_t j = 0; j < pk->nfrags; j++)
			pk->frags[j].uses = 0;
		for (size_t i = 0; i < pk->npages; i++)
			bnd_page_parts(pk, &pk->pages[i], NULL);
		changed = 0;
		for (size_t j = 0; j < pk->nfrags; j++)
			if (pk->frags[j].id >= 0 && pk->frags[j].uses < 2) {
				pk->frags[j].banned = 1;
				changed = 1;
			}
	}
	S_unnumber(pk);
}

void bnd_find_fragments(struct bnd_packer *pk)
{
	for (size_t i = 0; i < pk->npages; i++)
		S_collect_spans(&pk->pages[i]);
	S_count(pk);
	S_plan(pk);
}
