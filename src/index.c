/*
 * index: stage index (see index.h). Reads the site and what render kept of
 * each agent, and writes the machine-readable side: agents.json, llms.txt,
 * the sitemap and the search index. It runs after every page is rendered,
 * so render feeds no shared builder.
 */
#include "core/prefix.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/index.h"
#include "agentkb/json.h"
#include "agentkb/llms.h"
#include "agentkb/page_cache.h"
#include "agentkb/render.h"
#include "agentkb/search.h"
#include "agentkb/sitemap.h"
#include "agentkb/threads.h"
#include "agentkb/url.h"
#include "agentkb/utf8.h"

/* Bytes of a search result's excerpt. */
#define SEARCH_EXCERPT_BYTES 320

void akb_index_agents_json(const struct akb_site *site, struct akb_buf *out)
{
	struct akb_buf url = AKB_BUF_INIT;
	akb_buf_puts(out, "[");
	for (size_t k = 0; k < site->norder; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		akb_buf_puts(out, k ? ",\n  {" : "\n  {");
		akb_buf_puts(out, "\"name\": ");
		akb_json_cstr(out, a->name);
		akb_buf_puts(out, ", \"slug\": ");
		akb_json_cstr(out, a->slug);
		akb_buf_clear(&url);
		akb_agent_url(a, &url);
		akb_buf_puts(out, ", \"url\": ");
		akb_json_cstr(out, url.ptr);
		akb_buf_clear(&url);
		akb_agent_raw_url(a, &url);
		akb_buf_puts(out, ", \"raw_url\": ");
		akb_json_cstr(out, url.ptr);
		akb_buf_puts(out, ", \"source\": ");
		akb_json_cstr(out, a->rel);
		/* Its format (format.h) and where its harness reads it. */
		akb_buf_puts(out, ", \"kind\": ");
		akb_json_cstr(out, akb_format_key(a->format));
		akb_buf_clear(&url);
		if (akb_format_install_path(a->format, a->slug, &url) == 0) {
			akb_buf_puts(out, ", \"install_path\": ");
			akb_json_cstr(out, url.ptr);
		}
		if (a->nfiles) {
			akb_buf_clear(&url);
			akb_agent_archive_url(a, &url);
			akb_buf_puts(out, ", \"archive_url\": ");
			akb_json_cstr(out, url.ptr);
			akb_buf_puts(out, ", \"files\": [");
			for (size_t i = 0; i < a->nfiles; i++) {
				akb_buf_puts(out, i ? ", " : "");
				akb_json_cstr(out, a->files[i].path);
			}
			akb_buf_puts(out, "]");
		}
		akb_buf_puts(out, ", \"summary\": ");
		akb_json_cstr(out, a->summary);
		akb_buf_puts(out, ", \"description\": ");
		akb_json_cstr(out, a->description);
		akb_buf_puts(out, ", \"tools\": ");
		akb_json_value(out, &a->tools, -1);
		akb_buf_puts(out, ", \"examples\": ");
		akb_json_value(out, &a->examples, -1);
		/* What it may do (capability.h): effective tools, MCP servers, sub-agents, access, size. */
		struct akb_capabilities caps;
		akb_capabilities_of(a, &caps);
		akb_buf_printf(out, ", \"capabilities\": {\"inherits_all_tools\": %s, \"tools\": ", caps.inherits_all ? "true" : "false");
		akb_json_value(out, &caps.tools, -1);
		akb_buf_puts(out, ", \"disallowed\": ");
		akb_json_value(out, &caps.denied, -1);
		akb_buf_puts(out, ", \"mcp\": ");
		akb_json_value(out, &caps.mcp, -1);
		akb_buf_puts(out, ", \"agents\": ");
		akb_json_value(out, &caps.agents, -1);
		akb_buf_puts(out, ", \"access\": [");
		unsigned bits = akb_access_of(&caps);
		for (int i = 0, n = 0; i < AKB_ACCESS_COUNT; i++)
			if (bits & (1u << i)) {
				if (n++)
					akb_buf_putc(out, ',');
				akb_json_cstr(out, akb_access_name(i));
			}
		akb_buf_printf(out, "], \"tokens\": %zu}", a->tokens);
		akb_capabilities_release(&caps);
		/* Every front-matter key, known or not, with recovered values as read. */
		akb_buf_puts(out, ", \"fields\": ");
		akb_json_value(out, &a->fm.fields, -1);
		akb_buf_puts(out, "}");
	}
	akb_buf_puts(out, site->norder ? "\n]\n" : "]\n");
	akb_buf_release(&url);
}

/* How much of the prose an excerpt can show: it is cut at SEARCH_EXCERPT_BYTES, at a code point's end,
 * so one more code point will do. */
static size_t S_excerpt_prose_len(size_t prose_len)
{
	return prose_len < SEARCH_EXCERPT_BYTES + 8 ? prose_len : SEARCH_EXCERPT_BYTES + 8;
}

/* Appends `s` to `out`, separated by a space. */
static void S_add_word(struct akb_buf *out, const char *s)
{
	if (!s || !*s)
		return;
	if (out->len)
		akb_buf_putc(out, ' ');
	akb_buf_puts(out, s);
}

/*
 * The searchable text of one agent, tokenized into `d` (any thread): its
 * name, summary and examples, the other front-matter values and the source
 * path, headings, prose, code and the languages of its code blocks.
 */
static void S_search_terms(struct akb_search_doc *d, const struct akb_agent *a, const struct akb_rendered_agent *md)
{
	struct akb_buf text = AKB_BUF_INIT;
	akb_search_doc_text(d, AKB_FIELD_NAME, a->name, strlen(a->name));

	/* The description's summary and its example conversations. */
	akb_buf_puts(&text, a->summary);
	for (size_t i = 0; i < a->examples.u.list.len; i++) {
		const struct akb_value *ex = &a->examples.u.list.items[i];
		S_add_word(&text, akb_map_get_cstr(ex, "context"));
		S_add_word(&text, akb_map_get_cstr(ex, "commentary"));
		const struct akb_value *turns = akb_map_get(ex, "turns");
		for (size_t j = 0; turns && j < turns->u.list.len; j++)
			S_add_word(&text, akb_map_get_cstr(&turns->u.list.items[j], "text"));
	}
	akb_search_doc_text(d, AKB_FIELD_SUMMARY, text.ptr, text.len);

	/* Every other front-matter value (department, tools, tags, …) and the source path. */
	akb_buf_clear(&text);
	const struct akb_value *fields = &a->fm.fields;
	for (size_t i = 0; i < fields->u.map.len; i++) {
		const char *key = fields->u.map.items[i].key;
		if (!strcmp(key, "name") || !strcmp(key, "description") || !strcmp(key, "color"))
			continue;
		if (text.len)
			akb_buf_putc(&text, ' ');
		akb_value_join_text(&fields->u.map.items[i].value, &text);
	}
	akb_search_doc_text(d, AKB_FIELD_META, text.ptr, text.len);
	akb_search_doc_text(d, AKB_FIELD_HEADINGS, md->heading_text.ptr, md->heading_text.len);
	akb_search_doc_text(d, AKB_FIELD_BODY, md->prose.ptr, md->prose.len);
	akb_search_doc_text(d, AKB_FIELD_CODE, md->code.ptr, md->code.len);
	for (const char *l = md->code_langs.ptr; *l;) {
		size_t n = strcspn(l, "\n");
		akb_search_doc_code_lang(d, l, n);
		l += n + (l[n] == '\n');
	}
	akb_buf_release(&text);
}

/*
 * Adds one agent to the search index as document `doc`: its terms
 * (tokenized by S_search_terms), its facet values and what a result shows
 * (name, place, excerpt source).
 */
static void S_search_agent(struct akb_search_builder *sb, const struct akb_site *site, const size_t *facets,
			   size_t doc, struct akb_search_doc *terms, const struct akb_agent *a,
			   const struct akb_rendered_agent *md)
{
	struct akb_buf text = AKB_BUF_INIT;
	if (terms) /* NULL: added by its encoding */
		akb_search_add_doc(sb, doc, terms);

	for (size_t t = 0; t < site->ntaxonomies; t++) {
		const struct akb_taxonomy *tax = &site->taxonomies[t];
		const char *values[64];
		size_t n = akb_agent_terms(a, tax->key, values, 64);
		for (size_t j = 0; j < n; j++) {
			const struct akb_term *term = akb_taxonomy_find(tax, values[j]);
			akb_search_add_facet_value(sb, facets[t], doc, term ? term->name : values[j]);
		}
	}

	/* Excerpt source: summary, then headings, then the start of the body. */
	akb_buf_clear(&text);
	const char *desc = akb_agent_field(a, "description");
	if (desc && *desc)
		akb_buf_puts(&text, a->summary); /* otherwise the summary is the body's start anyway */
	for (const char *h = md->heading_text.ptr; *h && text.len < SEARCH_EXCERPT_BYTES;) {
		const char *nl = strchr(h, '\n');
		size_t n = nl ? (size_t)(nl - h) : strlen(h);
		akb_buf_puts(&text, text.len ? " · " : "");
		akb_buf_put(&text, h, n);
		h += n + (nl ? 1 : 0);
	}
	if (text.len < SEARCH_EXCERPT_BYTES) {
		if (text.len)
			akb_buf_putc(&text, ' ');
		akb_buf_put(&text, md->prose.ptr, S_excerpt_prose_len(md->prose.len));
	}
	struct akb_buf excerpt = AKB_BUF_INIT;
	for (size_t i = 0; i < text.len; i++)
		akb_buf_putc(&excerpt, text.ptr[i] == '\n' ? ' ' : text.ptr[i]);
	akb_buf_clear(&text);
	akb_utf8_truncate(excerpt.ptr, SEARCH_EXCERPT_BYTES, &text);
	struct akb_buf url = AKB_BUF_INIT;
	akb_agent_url(a, &url);
	akb_search_set_display(sb, doc, a->name, url.ptr, akb_agent_field(a, "department"),
			       akb_agent_field(a, "category"), akb_agent_field(a, "model"), text.ptr, md->qualifier);
	if (a->format != AKB_FORMAT_SUBAGENT) {
		akb_buf_clear(&url);
		akb_format_raw_name(a->format, a->slug, &url);
		akb_search_set_install(sb, doc, md->install_path, url.ptr, a->nfiles ? md->install_dir : NULL);
	}
	akb_buf_release(&url);
	akb_buf_release(&excerpt);
	akb_buf_release(&text);
}

struct akb_index_feed {
	const struct akb_site *site;
	struct akb_search_builder *sb;
	size_t *facets; /* the search facet of each taxonomy */
	struct akb_page_cache *pages; /* where the index's record is kept, or NULL */
	int hold;       /* the last build recorded its index: documents are held, decoded only if it must be made */
};

/* The page cache's record of the search index (no page has this path): its files, by the index's inputs. */
static const char S_search_record[] = "search/";

/* What prepare gives for a kept page's document while documents are held: checked, not decoded. */
static char S_held;

/* The search index: a document per kept agent, in the site's order (render's order too). */
struct akb_index_feed *akb_index_feed_new(const struct akb_site *site, const struct akb_config *cfg)
{
	struct akb_index_feed *f = akb_xcalloc(1, sizeof(*f));
	f->site = site;
	f->sb = akb_search_builder_new(site->norder);
	akb_search_set_synonyms(f->sb, cfg->search.builtin_synonyms, cfg->search.synonyms);
	akb_search_set_jobs(f->sb, cfg->jobs ? cfg->jobs : akb_cores());
	f->facets = akb_xcalloc(site->ntaxonomies + 1, sizeof(size_t));
	for (size_t t = 0; t < site->ntaxonomies; t++)
		f->facets[t] = akb_search_add_facet(f->sb, site->taxonomies[t].key, site->taxonomies[t].label);
	return f;
}

static int S_read_back(void *pages, uint64_t at, char *to, size_t len)
{
	return akb_page_cache_read_back(pages, at, to, len);
}

void akb_index_feed_use_cache(struct akb_index_feed *f, struct akb_page_cache *pages)
{
	f->pages = pages;
	f->hold = akb_page_cache_has(pages, S_search_record);
	akb_search_set_doc_reader(f->sb, S_read_back, pages);
	/* With the last build's index recorded, its postings can be patched rather than made again. */
	if (f->hold)
		akb_search_patch_from(f->sb, akb_page_cache_side(pages));
}

void akb_index_feed_free(struct akb_index_feed *f)
{
	if (!f)
		return;
	akb_search_builder_free(f->sb);
	free(f->facets);
	free(f);
}

void *akb_index_prepare(void *feed, size_t idx, struct akb_rendered_agent *kept)
{
	struct akb_index_feed *f = feed;
	if (kept->from_cache && f->hold)
		return akb_search_doc_valid(kept->doc.ptr, kept->doc.len) ? &S_held : NULL;
	if (kept->from_cache)
		return akb_search_doc_decode(kept->doc.ptr, kept->doc.len);
	struct akb_search_doc *d = akb_search_doc_new();
	S_search_terms(d, &f->site->agents[idx], kept);
	if (kept->page_key) {
		akb_buf_clear(&kept->doc);
		akb_search_doc_encode(d, &kept->doc);
	}
	return d;
}

void akb_index_excerpt_sources(const struct akb_rendered_agent *kept, size_t *heading_len, size_t *prose_len)
{
	/* S_search_agent stops adding headings once the excerpt's text is SEARCH_EXCERPT_BYTES
	 * long; j lines of n bytes (newlines included) make it at least n - 1 long. */
	const char *h = kept->heading_text.ptr;
	size_t n = 0;
	while (n < kept->heading_text.len && n <= SEARCH_EXCERPT_BYTES) {
		const char *nl = memchr(h + n, '\n', kept->heading_text.len - n);
		n = nl ? (size_t)(nl - h) + 1 : kept->heading_text.len;
	}
	*heading_len = n;
	*prose_len = S_excerpt_prose_len(kept->prose.len);
}

void akb_index_take(void *feed, size_t k, size_t idx, const struct akb_rendered_agent *kept, void *prepared,
		    uint64_t doc_at)
{
	struct akb_index_feed *f = feed;
	struct akb_search_doc *d = prepared == &S_held ? NULL : prepared;
	if (kept->doc.len && f->hold) {
		/* By its encoding, so that the index's inputs have a digest; while held, even a new document
		 * waits: the ones before it are decoded on the threads at the end, not here one by one. Held
		 * where the page cache has it, so that a rebuild holds no documents. */
		akb_search_hold_at(f->sb, k, kept->doc.ptr, kept->doc.len, doc_at);
		akb_search_doc_free(d);
		d = NULL;
	} else if (kept->doc.len && d) {
		akb_search_add_encoded(f->sb, k, kept->doc.ptr, kept->doc.len, d);
		akb_search_doc_free(d);
		d = NULL;
	}
	S_search_agent(f->sb, f->site, f->facets, k, d, &f->site->agents[idx], kept);
	akb_search_doc_free(d);
}

void akb_index_discard(void *prepared)
{
	if (prepared != &S_held)
		akb_search_doc_free(prepared);
}

/* The search index's record: its files (path, digest, size), then its bytes and terms in the record's size and count. */
static void S_put_search_record(struct akb_index_feed *f, uint64_t key, const struct akb_kept_file *files, size_t n,
				const struct akb_index_stats *stats)
{
	struct akb_buf doc = AKB_BUF_INIT;
	akb_buf_put_varint(&doc, n);
	for (size_t i = 0; i < n; i++) {
		akb_buf_put_sized(&doc, files[i].rel, strlen(files[i].rel));
		akb_buf_put_varint(&doc, files[i].digest);
		akb_buf_put_varint(&doc, files[i].size);
	}
	struct akb_page_record rec = { 0 };
	rec.key = key;
	rec.size = stats->search_bytes;
	rec.code_blocks = stats->search_terms;
	rec.heading = rec.prose = "";
	rec.doc = doc.ptr;
	rec.doc_len = doc.len;
	akb_page_cache_put(f->pages, S_search_record, &rec);
	akb_buf_release(&doc);
}

/*
 * Keeps the last build's search index when this one was given exactly what
 * it was (the same digest of inputs) and OUT still holds its files as
 * written; records it again. Returns 1 when kept.
 */
static int S_keep_search(struct akb_index_feed *f, struct akb_output *out, uint64_t key, struct akb_index_stats *stats)
{
	struct akb_page_record rec;
	if (!akb_page_cache_find(f->pages, S_search_record, key, &rec))
		return 0;
	const char *p = rec.doc, *end = rec.doc + rec.doc_len;
	uint64_t n;
	int ok = akb_read_varint(&p, end, &n) == 0 && n && n <= rec.doc_len;
	struct akb_kept_file *files = akb_xcalloc(ok ? (size_t)n : 1, sizeof(*files));
	size_t got = 0; /* paths copied (NUL-terminated), to free */
	for (; ok && got < n; got++) {
		const char *rel;
		size_t len;
		ok = akb_read_sized(&p, end, &rel, &len) == 0 && akb_read_varint(&p, end, &files[got].digest) == 0 &&
		     akb_read_varint(&p, end, &files[got].size) == 0 && !memchr(rel, '\0', len);
		if (ok)
			files[got].rel = akb_xstrndup(rel, len);
	}
	ok = ok && p == end && akb_output_keep(out, files, (size_t)n);
	if (ok) {
		stats->search_bytes = (size_t)rec.size;
		stats->search_terms = rec.code_blocks;
		stats->search_kept = 1;
		S_put_search_record(f, key, files, (size_t)n, stats);
	}
	for (size_t i = 0; i < got; i++)
		free((char *)files[i].rel);
	free(files);
	akb_page_record_release(&rec);
	return ok;
}

/* Records the index just written, for the next build to keep (S_keep_search). */
static void S_record_search(struct akb_index_feed *f, struct akb_output *out, uint64_t key,
			    const struct akb_index_stats *stats)
{
	const char *list = akb_search_files(f->sb);
	size_t n = 0, cap = 0;
	struct akb_kept_file *files = NULL;
	struct akb_buf names = AKB_BUF_INIT;
	akb_buf_puts(&names, list);
	int ok = 1;
	for (char *line = names.ptr; ok && *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		files = akb_xgrow(files, n, &cap, 64, sizeof(*files));
		files[n].rel = line;
		ok = akb_output_recorded(out, line, &files[n].digest, &files[n].size);
		n++;
		line = nl + 1;
	}
	if (ok && n)
		S_put_search_record(f, key, files, n, stats);
	free(files);
	akb_buf_release(&names);
}

static int S_write_search(struct akb_index_feed *f, struct akb_output *out, struct akb_index_stats *stats,
			  struct akb_diag *diag)
{
	uint64_t key = f->pages ? akb_search_inputs_digest(f->sb) : 0;
	if (key && f->hold && S_keep_search(f, out, key, stats))
		return 0;
	struct akb_search_stats sstats;
	if (f->pages)
		akb_search_snapshot_to(f->sb, akb_page_cache_side_begin(f->pages));
	int rc = akb_search_write(f->sb, out, &sstats, diag);
	stats->search_bytes = sstats.bytes;
	stats->search_terms = sstats.terms;
	stats->search_patched = akb_search_patched(f->sb);
	if (rc == 0 && key)
		S_record_search(f, out, key, stats);
	return rc;
}

/* sitemap.xml and robots.txt, only when the site knows where it is published. */
static int S_write_sitemap(const struct akb_config *cfg, const struct akb_rendered *rendered,
			   struct akb_output *out, struct akb_diag *diag)
{
	if (!*cfg->base_url)
		return 0;
	struct akb_sitemap *sm = akb_sitemap_new(cfg->base_url);
	struct akb_buf url = AKB_BUF_INIT;
	for (size_t i = 0; i < rendered->nlisted; i++) {
		akb_buf_clear(&url);
		akb_url_page(&url, cfg->base_url, rendered->listed[i]);
		akb_sitemap_add(sm, url.ptr);
	}
	akb_buf_release(&url);
	int rc = akb_sitemap_write(sm, out, diag);
	akb_sitemap_free(sm);
	return rc;
}

/* The files besides the search index: made on their own thread while the index is written. */
#define SIDE_FILES_BESIDE_MAX 20000
struct side_files {
	const struct akb_site *site;
	const struct akb_config *cfg;
	const struct akb_rendered *rendered;
	struct akb_output *out;
	struct akb_diag diag; /* its own: messages join the build's in a fixed order */
	int failed;
};

static void *S_write_side_files(void *arg)
{
	struct side_files *sf = arg;
	struct akb_buf json = AKB_BUF_INIT;
	akb_index_agents_json(sf->site, &json);
	sf->failed = akb_output_write(sf->out, "agents.json", json.ptr, json.len, &sf->diag) != 0;
	akb_buf_release(&json);
	sf->failed |= akb_llms_write(sf->site, sf->cfg, sf->out, &sf->diag) != 0;
	sf->failed |= S_write_sitemap(sf->cfg, sf->rendered, sf->out, &sf->diag) != 0;
	return NULL;
}

int akb_index_write(const struct akb_site *site, const struct akb_config *cfg, const struct akb_rendered *rendered,
		    struct akb_index_feed *feed, struct akb_output *out, struct akb_index_stats *stats,
		    struct akb_diag *diag)
{
	memset(stats, 0, sizeof(*stats));
	struct akb_index_feed *own = NULL;
	if (!feed) { /* render kept every agent's texts: feed them now */
		feed = own = akb_index_feed_new(site, cfg);
		for (size_t k = 0; k < site->norder; k++) {
			struct akb_rendered_agent *kept = &rendered->agents[site->order[k]];
			if (kept->rendered)
				akb_index_take(feed, k, site->order[k], kept, akb_index_prepare(feed, site->order[k], kept),
					       UINT64_MAX);
		}
	}
	/*
	 * agents.json, llms.txt and the sitemap are serial work of their own: beside the index, not
	 * before it, unless the site is so big that agents.json (1.2 KB an agent) and the index's
	 * postings should not be held at once (100,000 agents: 120 MB and some 200 MB).
	 */
	struct side_files sf = { site, cfg, rendered, out, { 0 }, 0 };
	struct akb_diag search_diag;
	akb_diag_init(&sf.diag, NULL);
	akb_diag_init(&search_diag, NULL);
	pthread_t side;
	int threaded = site->norder <= SIDE_FILES_BESIDE_MAX && pthread_create(&side, NULL, S_write_side_files, &sf) == 0;
	if (!threaded)
		S_write_side_files(&sf);
	int failed = S_write_search(feed, out, stats, &search_diag) != 0;
	if (threaded)
		pthread_join(side, NULL);
	failed |= sf.failed;
	akb_output_append_messages(diag, &sf.diag);
	akb_output_append_messages(diag, &search_diag);
	akb_diag_release(&sf.diag);
	akb_diag_release(&search_diag);
	akb_index_feed_free(own);
	return failed ? -1 : 0;
}
