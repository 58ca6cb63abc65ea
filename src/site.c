/*
 * site: the collection after hooks (see site.h): unique slugs, taxonomies
 * with their terms, the display order, and the lookups render needs.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/load.h"
#include "agentkb/site.h"
#include "agentkb/slug.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"

void akb_site_init(struct akb_site *site)
{
	memset(site, 0, sizeof(*site));
}

void akb_site_reserve(struct akb_site *site, size_t more)
{
	size_t want = site->nagents + more;
	if (want <= site->cap)
		return;
	site->agents = akb_xrealloc(site->agents, akb_xmul(want, sizeof(*site->agents)));
	site->cap = want;
}

struct akb_agent *akb_site_add_agent(struct akb_site *site)
{
	site->agents = akb_xgrow(site->agents, site->nagents, &site->cap, 64, sizeof(*site->agents));
	struct akb_agent *a = &site->agents[site->nagents++];
	memset(a, 0, sizeof(*a));
	a->duplicate_of = SIZE_MAX;
	return a;
}

static void S_taxonomy_release(struct akb_taxonomy *t)
{
	for (size_t i = 0; i < t->nterms; i++) {
		free(t->terms[i].name);
		free(t->terms[i].agents);
	}
	AKB_FREE_ALL(t->terms, t->key, t->path, t->title, t->label, t->agent_term);
	akb_strmap_release(&t->by_slug);
	akb_strmap_release(&t->by_value);
	akb_slugset_free(t->slugs);
}

struct akb_site_page *akb_site_add_page(struct akb_site *site)
{
	site->pages = akb_xgrow(site->pages, site->npages, &site->pages_cap, 4, sizeof(*site->pages));
	return memset(&site->pages[site->npages++], 0, sizeof(*site->pages));
}

struct akb_site_file *akb_site_add_file(struct akb_site *site)
{
	site->files = akb_xgrow(site->files, site->nfiles, &site->files_cap, 4, sizeof(*site->files));
	return memset(&site->files[site->nfiles++], 0, sizeof(*site->files));
}

static void S_page_release(struct akb_site_page *p)
{
	AKB_FREE_ALL(p->path, p->title, p->markdown, p->template_name, p->template_file, p->origin);
	akb_value_release(&p->data);
}

void akb_site_release(struct akb_site *site)
{
	for (size_t i = 0; i < site->nagents; i++)
		akb_agent_release(&site->agents[i]);
	free(site->agents);
	free(site->order);
	for (size_t i = 0; i < site->ntaxonomies; i++)
		S_taxonomy_release(&site->taxonomies[i]);
	free(site->taxonomies);
	if (site->taxonomy_keys) {
		for (char **k = site->taxonomy_keys; *k; k++)
			free(*k);
		free(site->taxonomy_keys);
	}
	for (size_t i = 0; i < site->npages; i++)
		S_page_release(&site->pages[i]);
	free(site->pages);
	for (size_t i = 0; i < site->nfiles; i++) {
		struct akb_site_file *f = &site->files[i];
		AKB_FREE_ALL(f->path, f->data, f->origin);
	}
	free(site->files);
	memset(site, 0, sizeof(*site));
}

size_t akb_agent_terms(const struct akb_agent *a, const char *key, const char **out, size_t max)
{
	/* A file's format is its kind, whatever a `kind:` field says (Gemini's means local or remote). */
	const struct akb_value *v = !strcmp(key, "tools") ? &a->tools
				    : !strcmp(key, "kind") ? NULL
							   : akb_map_get(&a->fm.fields, key);
	size_t n = 0;
	if (!v) {
		/* Derived values, unless the front-matter (or a hook) gives its own (not for kind). */
		const char *derived = !strcmp(key, "collection") ? a->collection
				      : !strcmp(key, "language") ? a->language
				      : !strcmp(key, "kind")     ? akb_format_name(a->format)
								 : NULL;
		if (derived && *derived && max)
			out[n++] = derived;
		for (int i = 0; !strcmp(key, "access") && i < AKB_ACCESS_COUNT && n < max; i++)
			if (a->access & (1u << i))
				out[n++] = akb_access_name(i);
		return n;
	}
	if (v->kind == AKB_STRING) {
		if (v->u.str.len && max)
			out[n++] = v->u.str.ptr;
	} else if (v->kind == AKB_LIST) {
		for (size_t i = 0; i < v->u.list.len && n < max; i++)
			if (v->u.list.items[i].kind == AKB_STRING && v->u.list.items[i].u.str.len)
				out[n++] = v->u.list.items[i].u.str.ptr;
	}
	return n;
}

/* Sorting needs the agents array; qsort has no context argument in C11. */
static const struct akb_agent *S_sort_agents;

static int S_by_name(const void *x, const void *y)
{
	const struct akb_agent *a = &S_sort_agents[*(const size_t *)x], *b = &S_sort_agents[*(const size_t *)y];
	int c = strcasecmp(a->name, b->name);
	return c ? c : strcmp(a->rel, b->rel);
}

static int S_term_by_name(const void *x, const void *y)
{
	const struct akb_term *a = x, *b = y;
	int c = strcasecmp(a->name, b->name);
	return c ? c : strcmp(a->name, b->name);
}

const struct akb_term *akb_taxonomy_find(const struct akb_taxonomy *t, const char *name)
{
	size_t known;
	if (akb_strmap_get(&t->by_value, name, &known))
		return &t->terms[known];
	struct akb_buf slug = AKB_BUF_INIT;
	akb_slugify(&slug, name, strlen(name));
	size_t i;
	int found = akb_strmap_get(&t->by_slug, slug.len ? slug.ptr : "item", &i);
	akb_buf_release(&slug);
	return found ? &t->terms[i] : NULL;
}

const struct akb_taxonomy *akb_site_taxonomy(const struct akb_site *site, const char *key)
{
	for (size_t i = 0; i < site->ntaxonomies; i++)
		if (strcmp(site->taxonomies[i].key, key) == 0)
			return &site->taxonomies[i];
	return NULL;
}

static struct akb_term *S_term_for(struct akb_taxonomy *t, const char *name)
{
	struct akb_buf slug = AKB_BUF_INIT;
	akb_slugify(&slug, name, strlen(name));
	if (!slug.len)
		akb_buf_puts(&slug, "item");
	/* Terms that slug alike ("Backend", "backend") are one term. */
	size_t found;
	if (akb_strmap_get(&t->by_slug, slug.ptr, &found)) {
		akb_buf_release(&slug);
		return &t->terms[found];
	}
	if (t->nterms == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->terms = akb_xrealloc(t->terms, akb_xmul(t->cap, sizeof(*t->terms)));
	}
	struct akb_term *term = &t->terms[t->nterms++];
	memset(term, 0, sizeof(*term));
	term->name = akb_xstrdup(name);
	int renamed;
	term->slug = (char *)akb_slugset_claim(t->slugs, slug.ptr, &renamed);
	akb_strmap_set(&t->by_slug, slug.ptr, t->nterms - 1);
	akb_buf_release(&slug);
	return term;
}

static void S_title_case(const char *key, struct akb_buf *out)
{
	for (size_t i = 0; key[i]; i++) {
		char c = key[i] == '_' || key[i] == '-' ? ' ' : key[i];
		if (i == 0 && c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		akb_buf_putc(out, c);
	}
}

static void S_collect_taxonomy(struct akb_site *site, struct akb_taxonomy *t)
{
	const char *values[64];
	/* Most values recur ("engineering" in every other agent): each is slugged once. */
	struct akb_strmap seen; /* value -> index in terms, before sorting */
	akb_strmap_init(&seen);
	for (size_t k = 0; k < site->norder; k++) {
		size_t idx = site->order[k];
		size_t n = akb_agent_terms(&site->agents[idx], t->key, values, 64);
		for (size_t j = 0; j < n; j++) {
			size_t at;
			if (!akb_strmap_get(&seen, values[j], &at)) {
				at = (size_t)(S_term_for(t, values[j]) - t->terms);
				akb_strmap_set(&seen, values[j], at);
			}
			struct akb_term *term = &t->terms[at];
			/* An agent listing a tool twice still counts once. */
			if (term->count && term->agents[term->count - 1] == idx)
				continue;
			if (term->count == term->cap) {
				term->cap = term->cap ? term->cap * 2 : 8;
				term->agents = akb_xrealloc(term->agents, akb_xmul(term->cap, sizeof(size_t)));
			}
			term->agents[term->count++] = idx;
		}
	}
	if (t->nterms)
		qsort(t->terms, t->nterms, sizeof(*t->terms), S_term_by_name);
	/* Sorting moved the terms: index them again, and remember each agent's first term. */
	for (size_t i = 0; i < t->nterms; i++)
		akb_strmap_set(&t->by_slug, t->terms[i].slug, i);
	/* Every value seen, to the term the slugs give it (which no longer changes). */
	for (size_t i = 0; i < seen.cap; i++) {
		const struct akb_strmap_slot *slot = &seen.slots[i];
		if (!slot->key)
			continue;
		const struct akb_term *term = akb_taxonomy_find(t, slot->key);
		if (term)
			akb_strmap_set(&t->by_value, slot->key, (size_t)(term - t->terms));
	}
	akb_strmap_release(&seen);
	t->agent_term = akb_xmalloc(akb_xmul(site->nagents + 1, sizeof(size_t)));
	for (size_t i = 0; i <= site->nagents; i++)
		t->agent_term[i] = SIZE_MAX;
	for (size_t k = 0; k < site->norder; k++) {
		size_t idx = site->order[k];
		if (akb_agent_terms(&site->agents[idx], t->key, values, 1)) {
			const struct akb_term *term = akb_taxonomy_find(t, values[0]);
			t->agent_term[idx] = term ? (size_t)(term - t->terms) : SIZE_MAX;
		}
	}
}

static void S_merge_duplicates(struct akb_site *site)
{
	struct akb_strmap seen;
	struct akb_buf key = AKB_BUF_INIT;
	akb_strmap_init(&seen);
	for (size_t i = 0; i < site->nagents; i++) {
		struct akb_agent *a = &site->agents[i];
		if (a->dropped)
			continue;
		size_t first;
		akb_buf_clear(&key);
		for (const char *c = a->name; *c; c++)
			akb_buf_putc(&key, *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		akb_buf_printf(&key, "\n%016llx", (unsigned long long)a->body_hash);
		if (!akb_strmap_get(&seen, key.ptr, &first)) {
			akb_strmap_set(&seen, key.ptr, i);
			continue;
		}
		if (!akb_agent_same_body(&site->agents[first], a))
			continue; /* a hash collision: different texts */
		a->dropped = 1;
		a->duplicate_of = first;
		struct akb_buf why = AKB_BUF_INIT;
		akb_buf_printf(&why, "identical to %s, shown once", site->agents[first].rel);
		free(a->dropped_by);
		a->dropped_by = akb_buf_detach(&why, NULL);
	}
	akb_buf_release(&key);
	akb_strmap_release(&seen);
}

/* Folders of `rel` (its path without the file), as [start, end) offsets. */
static size_t S_folders(const char *rel, size_t *start, size_t *end, size_t max)
{
	size_t n = 0, at = 0;
	for (const char *p = rel; (p = strchr(p, '/')) && n < max; p++) {
		start[n] = at;
		end[n] = (size_t)(p - rel);
		at = end[n] + 1;
		n++;
	}
	return n;
}

#define MAX_FOLDERS 64

static void S_derive_collections(struct akb_site *site)
{
	size_t s0[MAX_FOLDERS], e0[MAX_FOLDERS], s[MAX_FOLDERS], e[MAX_FOLDERS];
	const struct akb_agent *ref = NULL;
	size_t common = SIZE_MAX, nref = 0;
	/* The folders every shown agent shares: a prefix of the first one's. */
	for (size_t i = 0; i < site->nagents; i++) {
		const struct akb_agent *a = &site->agents[i];
		if (a->dropped)
			continue;
		size_t n = S_folders(a->rel, s, e, MAX_FOLDERS);
		if (!ref) {
			ref = a;
			nref = S_folders(a->rel, s0, e0, MAX_FOLDERS);
			common = nref;
		}
		size_t k = 0;
		while (k < common && k < n && e[k] - s[k] == e0[k] - s0[k] &&
		       !memcmp(a->rel + s[k], ref->rel + s0[k], e[k] - s[k]))
			k++;
		common = k;
	}
	for (size_t i = 0; i < site->nagents; i++) {
		struct akb_agent *a = &site->agents[i];
		free(a->collection);
		a->collection = NULL;
		if (a->dropped && a->duplicate_of == SIZE_MAX)
			continue; /* a merged copy keeps its own, for "also in" */
		size_t n = S_folders(a->rel, s, e, MAX_FOLDERS), pick = SIZE_MAX;
		for (size_t k = n; k-- > 1 && pick == SIZE_MAX;)
			if (k > common && e[k] - s[k] == 6 && !memcmp(a->rel + s[k], "agents", 6))
				pick = k - 1;
		if (pick == SIZE_MAX && n > common)
			pick = common;
		else if (pick == SIZE_MAX && common > 0)
			pick = common - 1;
		if (pick != SIZE_MAX)
			a->collection = akb_xstrndup(a->rel + s[pick], e[pick] - s[pick]);
	}
}

void akb_site_derive(struct akb_site *site, const struct akb_config *cfg)
{
	S_merge_duplicates(site);
	if (cfg->collections)
		S_derive_collections(site);
}

/* Is every kept agent's collection its department (by slug), so that the collection says nothing new? */
static int S_collection_is_department(const struct akb_site *site)
{
	struct akb_buf x = AKB_BUF_INIT, y = AKB_BUF_INIT;
	int same = 1;
	for (size_t k = 0; k < site->norder && same; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		const char *c[1] = { NULL }, *d[1] = { NULL };
		akb_agent_terms(a, "collection", c, 1);
		akb_agent_terms(a, "department", d, 1);
		akb_buf_clear(&x);
		akb_buf_clear(&y);
		if (c[0])
			akb_slugify(&x, c[0], strlen(c[0]));
		if (d[0])
			akb_slugify(&y, d[0], strlen(d[0]));
		same = !strcmp(x.ptr, y.ptr);
	}
	akb_buf_release(&x);
	akb_buf_release(&y);
	return same;
}

void akb_site_order(struct akb_site *site)
{
	free(site->order);
	site->order = akb_xcalloc(site->nagents + 1, sizeof(size_t));
	site->norder = 0;
	for (size_t i = 0; i < site->nagents; i++)
		if (!site->agents[i].dropped)
			site->order[site->norder++] = i;
	S_sort_agents = site->agents;
	qsort(site->order, site->norder, sizeof(size_t), S_by_name);
}

void akb_site_assign_slugs(struct akb_site *site, struct akb_diag *diag)
{
	struct akb_slugset *slugs = akb_slugset_new();
	struct akb_buf base = AKB_BUF_INIT;
	struct akb_strmap first; /* base slug -> the agent that has it */
	akb_strmap_init(&first);
	for (size_t i = 0; i < site->nagents; i++) {
		struct akb_agent *a = &site->agents[i];
		if (a->dropped)
			continue;
		akb_buf_clear(&base);
		if (a->slug && *a->slug)
			akb_slugify(&base, a->slug, strlen(a->slug));
		else
			akb_slugify(&base, a->name, strlen(a->name));
		if (!base.len)
			akb_slugify(&base, a->rel, strlen(a->rel));
		int renamed;
		const char *slug = akb_slugset_claim(slugs, base.len ? base.ptr : "agent", &renamed);
		unsigned line, col;
		size_t other;
		akb_agent_key_pos(a, "name", &line, &col);
		if (!renamed)
			akb_strmap_set(&first, base.len ? base.ptr : "agent", i);
		/* Only a true namesake is news: a plugin and its command (/x) share a slug, not a name. */
		else if (!akb_strmap_get(&first, base.len ? base.ptr : "agent", &other) ||
			 !strcasecmp(site->agents[other].name, a->name))
			akb_warn(diag, a->path, line, col, "another agent is also named '%s'; this one is at 'agents/%s/'",
				 a->name, slug);
		free(a->slug);
		a->slug = akb_xstrdup(slug);
	}
	akb_buf_release(&base);
	akb_strmap_release(&first);
	akb_slugset_free(slugs);
}

/* An agent's access and context size (each agent on its own: any thread). */
static void S_access_and_tokens(void *ctx, size_t k)
{
	struct akb_site *site = ctx;
	struct akb_agent *a = &site->agents[site->order[k]];
	struct akb_capabilities caps;
	akb_capabilities_of(a, &caps);
	a->access = akb_access_of(&caps);
	akb_capabilities_release(&caps);
	a->tokens = akb_estimate_tokens(a->description, strlen(a->description)) + a->body_tokens;
}

struct taxonomy_job {
	struct akb_site *site;
	const char *const *keys;
};

static void S_taxonomy_task(void *ctx, size_t i)
{
	struct taxonomy_job *job = ctx;
	struct akb_taxonomy *t = &job->site->taxonomies[i];
	struct akb_buf title = AKB_BUF_INIT, plural = AKB_BUF_INIT;
	akb_taxonomy_plural(job->keys[i], &plural);
	t->key = akb_xstrdup(job->keys[i]);
	struct akb_buf path = AKB_BUF_INIT;
	akb_slugify(&path, plural.ptr, plural.len);
	t->path = akb_buf_detach(&path, NULL);
	S_title_case(plural.ptr, &title);
	akb_buf_release(&plural);
	t->title = akb_buf_detach(&title, NULL);
	S_title_case(job->keys[i], &title);
	t->label = akb_buf_detach(&title, NULL);
	t->slugs = akb_slugset_new();
	S_collect_taxonomy(job->site, t);
}

void akb_site_finish(struct akb_site *site, const struct akb_config *cfg, struct akb_diag *diag)
{
	(void)diag;
	const char *const *keys = (const char *const *)(site->taxonomy_keys ? site->taxonomy_keys : cfg->taxonomies);
	size_t ntax = 0;
	while (keys[ntax])
		ntax++;
	/* What each agent may do, now that no hook changes it any more. */
	akb_parallel_for(site->norder, cfg->jobs ? cfg->jobs : akb_cores(), S_access_and_tokens, site);
	site->taxonomies = akb_xcalloc(ntax + 1, sizeof(*site->taxonomies));
	site->ntaxonomies = ntax;
	/* Each taxonomy reads the agents and makes only its own terms: one a thread. */
	struct taxonomy_job job = { site, keys };
	akb_parallel_for(ntax, cfg->jobs ? cfg->jobs : akb_cores(), S_taxonomy_task, &job);
	if (site->taxonomy_keys || cfg->taxonomies_given)
		return;
	size_t kept = 0;
	for (size_t i = 0; i < ntax; i++) {
		struct akb_taxonomy *t = &site->taxonomies[i];
		int idle = (!strcmp(t->key, "collection") && (!t->nterms || S_collection_is_department(site))) ||
			   ((!strcmp(t->key, "language") || !strcmp(t->key, "kind")) && t->nterms < 2);
		if (idle)
			S_taxonomy_release(t);
		else
			site->taxonomies[kept++] = *t;
	}
	site->ntaxonomies = kept;
}
