/*
 * render: stage render, the site's HTML pages through the theme's templates
 * (see render.h).
 */
#include "core/prefix.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agentkb/attach.h"
#include "agentkb/buf.h"
#include "agentkb/csp.h"
#include "agentkb/css.h"
#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/graph.h"
#include "agentkb/load.h"
#include "agentkb/related.h"
#include "agentkb/language.h"
#include "agentkb/lint.h"
#include "agentkb/order.h"
#include "agentkb/page_cache.h"
#include "agentkb/plugin.h"
#include "agentkb/render.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"
#include "agentkb/url.h"
#include "agentkb/utf8.h"

/* Keys shown in the page header; every other front-matter key goes in the metadata table. */
static const char *const S_header_keys[] = { "name", "description", "tools", "model", "color", "category",
					     "department", "priority", NULL };

/* Cards show this much of a summary; the agent page shows all of it. */
#define CARD_SUMMARY_BYTES 240
/* Up to this many home-page groups have their jump links in view; more fold into a "All N" summary. */
#define JUMP_UNFOLDED 16
/* Search results excerpt from this much text (summary, headings, body start). */

struct renderer {
	const struct akb_site *site;
	const struct akb_config *cfg;
	struct akb_tpl_set *tpl;
	const struct akb_render_options *opts;
	struct akb_output *out;
	struct akb_diag *diag;
	struct akb_render_stats *stats;
	struct akb_value site_value; /* { title, description, language, base_url } */
	struct akb_value nav;        /* [{ title, url }] taxonomy index pages */
	struct akb_value *cards;     /* per agent (by site index); null for dropped agents */
	/* With the page cache: each card's digest, and which card a map is (by its items' address), so
	 * that a list page's key digests each card it lists once, not once per page (S_card_stand_in). */
	uint64_t *card_digest;
	struct akb_strmap card_of;
	struct akb_strmap by_source; /* source path relative to CONTENT -> agent index, kept agents only */
	size_t *namesake;            /* per agent: the next kept agent with the same name (a ring), or itself */
	size_t *first_copy, *next_copy; /* the identical copies merged into an agent, in input order (SIZE_MAX ends) */
	struct akb_graph graph;      /* which agents name which (graph.h) */
	size_t *edges_at, *edge_list; /* an agent's edges: edge_list[edges_at[i] .. edges_at[i + 1]), in edge order */
	struct akb_related related;  /* each agent's related agents (related.h) */
	char **listed_out;           /* set while rendering one agent on a worker: where its listed page goes */
	uint64_t links_digest;       /* where every agent file's page is (page keys: bodies link to them) */
	uint64_t emitted_digest, emitted_size; /* the page S_emit wrote last */
	/* Term pages are made before the agent pages (so that the cards can go before the pages' search
	 * documents pile up) but listed in the sitemap after them, as always: held here meanwhile. */
	int hold_listed;
	char **held;
	size_t nheld, cheld;
	int failed;
};

/* ---- what the index stage needs (struct akb_rendered) ---- */

static void S_rendered_init(struct akb_rendered *rd, size_t nagents)
{
	memset(rd, 0, sizeof(*rd));
	rd->agents = akb_xcalloc(nagents + 1, sizeof(*rd->agents));
	rd->nagents = nagents;
	for (size_t i = 0; i < nagents; i++) {
		struct akb_rendered_agent *ra = &rd->agents[i];
		akb_buf_init(&ra->heading_text);
		akb_buf_init(&ra->prose);
		akb_buf_init(&ra->code);
		akb_buf_init(&ra->code_langs);
		akb_buf_init(&ra->doc);
		akb_diag_init(&ra->messages, NULL);
	}
}

static void S_rendered_listed(struct akb_rendered *rd, const char *rel)
{
	if (rd->nlisted == rd->clisted) {
		rd->clisted = rd->clisted ? rd->clisted * 2 : 64;
		rd->listed = akb_xrealloc(rd->listed, akb_xmul(rd->clisted, sizeof(char *)));
	}
	rd->listed[rd->nlisted++] = akb_xstrdup(rel);
}

static char *S_dup_or_null(const char *s)
{
	return s ? akb_xstrdup(s) : NULL;
}

/* Moves the body's text out of `doc` into the agent's slot, with what its card says for search results. */
/* What the search index shows of a rendered agent besides its texts, from its card. */
static void S_keep_card_facts(struct akb_rendered_agent *ra, const struct akb_value *card)
{
	ra->rendered = 1;
	ra->qualifier = S_dup_or_null(akb_map_get_cstr(card, "qualifier"));
	ra->install_path = S_dup_or_null(akb_map_get_cstr(card, "install_path"));
	ra->install_dir = S_dup_or_null(akb_map_get_cstr(card, "install_dir"));
}

static void S_keep_text(struct renderer *r, size_t idx, const struct akb_value *card, struct akb_markdown_doc *doc)
{
	struct akb_rendered_agent *ra = &r->opts->rendered->agents[idx];
	struct akb_buf *from[] = { &doc->heading_text, &doc->prose, &doc->code, &doc->code_langs };
	struct akb_buf *to[] = { &ra->heading_text, &ra->prose, &ra->code, &ra->code_langs };
	for (int i = 0; i < 4; i++) {
		akb_buf_release(to[i]);
		*to[i] = *from[i];
		akb_buf_init(from[i]);
	}
	S_keep_card_facts(ra, card);
}

void akb_rendered_agent_forget(struct akb_rendered_agent *ra)
{
	akb_buf_release(&ra->heading_text);
	akb_buf_release(&ra->prose);
	akb_buf_release(&ra->code);
	akb_buf_release(&ra->code_langs);
	akb_buf_release(&ra->doc);
	akb_diag_release(&ra->messages);
	free(ra->page_rel);
	ra->page_rel = NULL;
}

void akb_rendered_release(struct akb_rendered *rd)
{
	for (size_t i = 0; i < rd->nagents; i++) {
		struct akb_rendered_agent *ra = &rd->agents[i];
		akb_buf_release(&ra->heading_text);
		akb_buf_release(&ra->prose);
		akb_buf_release(&ra->code);
		akb_buf_release(&ra->code_langs);
		free(ra->qualifier);
		free(ra->install_path);
		free(ra->install_dir);
		akb_rendered_agent_forget(ra);
	}
	free(rd->agents);
	for (size_t i = 0; i < rd->nlisted; i++)
		free(rd->listed[i]);
	free(rd->listed);
	memset(rd, 0, sizeof(*rd));
}

static void S_term_url(const struct akb_taxonomy *t, const struct akb_term *term, struct akb_buf *out)
{
	akb_buf_puts(out, t->path);
	akb_buf_putc(out, '/');
	akb_buf_puts(out, term->slug);
	akb_buf_puts(out, "/index.html");
}

/* Adds { name, url } for each value the agent has in taxonomy `key`. */
static void S_term_links(const struct akb_site *site, const struct akb_agent *a, const char *key, struct akb_value *list)
{
	const struct akb_taxonomy *t = akb_site_taxonomy(site, key);
	const char *values[64];
	size_t n = akb_agent_terms(a, key, values, 64);
	struct akb_buf url = AKB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct akb_value *item = akb_list_push(list);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "name", values[i]);
		const struct akb_term *term = t ? akb_taxonomy_find(t, values[i]) : NULL;
		if (term) {
			akb_buf_clear(&url);
			S_term_url(t, term, &url);
			akb_map_set_cstr(item, "url", url.ptr);
		}
	}
	akb_buf_release(&url);
}

/* Where an agent comes from, to tell it from its namesakes: its collection, else its folder. */
static void S_origin(const struct akb_agent *a, struct akb_buf *out)
{
	if (a->collection) {
		akb_buf_puts(out, a->collection);
		return;
	}
	const char *slash = strrchr(a->rel, '/');
	if (slash)
		akb_buf_put(out, a->rel, (size_t)(slash - a->rel));
}

/* The card's `qualifier` (its origin, when another agent has its name) into `out`; 0 when it has none. */
static int S_qualifier(const struct renderer *r, const struct akb_agent *a, struct akb_buf *out)
{
	size_t self = (size_t)(a - r->site->agents);
	akb_buf_clear(out);
	if (r->namesake[self] != self)
		S_origin(a, out);
	return out->len > 0;
}

/* Links one ring per name (any case) through r->namesake, over the kept agents. */
static void S_find_namesakes(struct renderer *r)
{
	const struct akb_site *site = r->site;
	struct akb_strmap first;
	struct akb_buf key = AKB_BUF_INIT;
	akb_strmap_init(&first);
	r->namesake = akb_xcalloc(site->nagents + 1, sizeof(size_t));
	for (size_t k = 0; k < site->norder; k++) {
		size_t idx = site->order[k], head;
		akb_buf_clear(&key);
		for (const char *c = site->agents[idx].name; *c; c++)
			akb_buf_putc(&key, *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		r->namesake[idx] = idx;
		if (akb_strmap_get(&first, key.ptr, &head)) {
			r->namesake[idx] = r->namesake[head];
			r->namesake[head] = idx;
		} else {
			akb_strmap_set(&first, key.ptr, idx);
		}
	}
	akb_buf_release(&key);
	akb_strmap_release(&first);
}

/* Each agent's edges, so that no page looks through all of them for its own (counting sort, edge order kept). */
static void S_index_edges(struct renderer *r)
{
	size_t n = r->site->nagents, ne = r->graph.nedges;
	r->edges_at = akb_xcalloc(n + 2, sizeof(size_t));
	r->edge_list = akb_xmalloc(akb_xmul(2 * ne + 1, sizeof(size_t)));
	for (size_t e = 0; e < ne; e++) {
		r->edges_at[r->graph.edges[e].from + 1]++;
		r->edges_at[r->graph.edges[e].to + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		r->edges_at[i + 1] += r->edges_at[i];
	size_t *fill = akb_xmalloc(akb_xmul(n + 1, sizeof(size_t)));
	memcpy(fill, r->edges_at, n * sizeof(size_t));
	for (size_t e = 0; e < ne; e++) {
		r->edge_list[fill[r->graph.edges[e].from]++] = e;
		r->edge_list[fill[r->graph.edges[e].to]++] = e;
	}
	free(fill);
}

/* Chains the copies merged into each agent (duplicate_of) so that no card looks through every agent for its own. */
static void S_find_copies(struct renderer *r)
{
	const struct akb_site *site = r->site;
	r->first_copy = akb_xmalloc(akb_xmul(site->nagents + 1, sizeof(size_t)));
	r->next_copy = akb_xmalloc(akb_xmul(site->nagents + 1, sizeof(size_t)));
	for (size_t j = 0; j < site->nagents; j++)
		r->first_copy[j] = SIZE_MAX;
	for (size_t j = site->nagents; j-- > 0;) {
		size_t of = site->agents[j].duplicate_of;
		r->next_copy[j] = SIZE_MAX;
		if (of == SIZE_MAX || of >= site->nagents)
			continue;
		r->next_copy[j] = r->first_copy[of];
		r->first_copy[of] = j;
	}
}

/*
 * What tells an agent apart and links it to its kin: `qualifier` (its
 * origin) when another agent has its name; `translations`, the first
 * namesake in each other language; `also_in`, the identical copies merged
 * into it.
 */
static void S_card_kin(struct renderer *r, const struct akb_agent *a, struct akb_value *card)
{
	const struct akb_site *site = r->site;
	size_t self = (size_t)(a - site->agents);
	struct akb_buf tmp = AKB_BUF_INIT;
	if (S_qualifier(r, a, &tmp))
		akb_map_set_cstr(card, "qualifier", tmp.ptr);
	struct akb_value *tr = akb_map_set_list(card, "translations");
	for (size_t j = r->namesake[self]; j != self; j = r->namesake[j]) {
		const struct akb_agent *b = &site->agents[j];
		if (!b->language || !a->language || !strcmp(b->language, a->language))
			continue;
		int seen = 0;
		for (size_t i = 0; i < tr->u.list.len && !seen; i++)
			seen = !strcmp(akb_map_get_cstr(&tr->u.list.items[i], "language"), b->language);
		if (seen)
			continue;
		struct akb_value *t = akb_list_push(tr);
		akb_value_set_map(t);
		akb_map_set_cstr(t, "language", b->language);
		akb_buf_clear(&tmp);
		akb_agent_url(b, &tmp);
		akb_map_set_cstr(t, "url", tmp.ptr);
	}
	struct akb_value *also = akb_map_set_list(card, "also_in");
	for (size_t j = r->first_copy[self]; j != SIZE_MAX; j = r->next_copy[j]) {
		akb_buf_clear(&tmp);
		S_origin(&site->agents[j], &tmp);
		struct akb_value *x = akb_list_push(also);
		akb_value_set_map(x);
		akb_map_set_cstr(x, "name", tmp.len ? tmp.ptr : site->agents[j].rel);
		akb_map_set_cstr(x, "source", site->agents[j].rel);
	}
	akb_buf_release(&tmp);
}

static void S_badge(struct akb_value *list, const char *label, const char *level, const char *title)
{
	struct akb_value *b = akb_list_push(list);
	akb_value_set_map(b);
	akb_map_set_cstr(b, "label", label);
	akb_map_set_cstr(b, "level", level);
	akb_map_set_cstr(b, "title", title);
}

/* "12k" for 12,345: a size at a glance. */
/* "812 B", "4.2 KB", "1.3 MB". */
static void S_size_text(long long n, struct akb_buf *out)
{
	if (n < 1000)
		akb_buf_printf(out, "%lld B", n);
	else if (n < 1000000)
		akb_buf_printf(out, "%.1f KB", (double)n / 1e3);
	else
		akb_buf_printf(out, "%.1f MB", (double)n / 1e6);
}

static void S_tokens_text(size_t n, struct akb_buf *out)
{
	if (n >= 1000000)
		akb_buf_printf(out, "%.1fM", (double)n / 1e6);
	else if (n >= 10000)
		akb_buf_printf(out, "%zuk", (n + 500) / 1000);
	else if (n >= 1000)
		akb_buf_printf(out, "%.1fk", (double)n / 1e3);
	else
		akb_buf_printf(out, "%zu", n);
}

/*
 * What the agent may do (capability.h): `access` badges for cards, and for
 * its page the effective tools, MCP servers, sub-agents, what is denied, and
 * its size in a context.
 */
static void S_card_capabilities(const struct akb_agent *a, struct akb_value *card)
{
	struct akb_capabilities caps;
	akb_capabilities_of(a, &caps);
	struct akb_value *badges = akb_map_set_list(card, "access");
	if (caps.bypass)
		S_badge(badges, a->format == AKB_FORMAT_CODEX_AGENT ? "no sandbox" : "bypasses permissions", "danger",
			a->format == AKB_FORMAT_CODEX_AGENT ? "sandbox_mode: danger-full-access: commands run unsandboxed"
							    : "permissionMode: bypassPermissions: no permission prompts");
	if (caps.in_session) {
		S_badge(badges, "session tools", "info",
			"Runs in the main conversation, with its tools and permissions; allowed-tools are pre-approved");
		for (size_t i = 0; i < caps.preapproved.u.list.len; i++)
			if (!strcmp(caps.preapproved.u.list.items[i].u.str.ptr, "Bash")) {
				S_badge(badges, "pre-approves shell", "warn", "allowed-tools: Bash: any command runs without asking");
				break;
			}
	} else if (caps.inherits_all) {
		S_badge(badges, "all tools", "warn", "No tools field: it inherits every tool of the session, MCP tools included");
	} else if (caps.shell) {
		S_badge(badges, caps.sandboxed ? "shell (sandboxed)" : caps.shell_scoped ? "shell (scoped)" : "shell",
			caps.shell_scoped || caps.sandboxed ? "info" : "warn",
			caps.sandboxed ? "Runs commands inside its sandbox (sandbox_mode: workspace-write)"
			: caps.shell_scoped		? "Runs the shell commands its Bash(...) patterns allow"
			: a->format == AKB_FORMAT_SUBAGENT ? "Runs any shell command (Bash)"
							    : "Runs any shell command");
	}
	if (!caps.inherits_all && caps.writes)
		S_badge(badges, "writes files", "info", "Can create and change files");
	if (caps.read_only)
		S_badge(badges, "read-only", "ok", "Reads, never writes files, runs commands or starts agents");
	struct akb_buf tmp = AKB_BUF_INIT;
	S_tokens_text(a->tokens, &tmp);
	akb_map_set_cstr(card, "tokens", tmp.ptr);
	akb_map_set_number(card, "token_count", (double)a->tokens);
	if (caps.no_tools) {
		/* Instructions or a manifest: read as context, nothing of its own to run. */
		akb_map_set_bool(card, "no_tools", 1);
		akb_buf_release(&tmp);
		akb_capabilities_release(&caps);
		return;
	}
	struct akb_value *can = akb_map_set_map(card, "can");
	akb_map_set_bool(can, "inherits_all", caps.inherits_all && !caps.in_session);
	akb_map_set_bool(can, "in_session", caps.in_session);
	akb_value_copy(akb_map_put(can, "preapproved"), &caps.preapproved);
	akb_value_copy(akb_map_put(can, "tools"), &caps.tools);
	akb_value_copy(akb_map_put(can, "mcp"), &caps.mcp);
	akb_value_copy(akb_map_put(can, "agents"), &caps.agents);
	akb_value_copy(akb_map_put(can, "denied"), &caps.denied);
	akb_map_set_bool(can, "any_agent", caps.may_delegate && !caps.agents.u.list.len && !caps.in_session);
	akb_map_set_bool(can, "some_agents", caps.agents.u.list.len > 0);
	akb_buf_release(&tmp);
	akb_capabilities_release(&caps);
}

/* Appends `url` quoted for the shell; a quote in it is the same URL percent-encoded. */
static void S_shell_url(struct akb_buf *cmd, const char *url)
{
	akb_buf_putc(cmd, '\'');
	for (const char *c = url; *c; c++) {
		if (*c == '\'')
			akb_buf_puts(cmd, "%27");
		else
			akb_buf_putc(cmd, *c);
	}
	akb_buf_putc(cmd, '\'');
}

/*
 * Where the file goes for its harness (format.h) and the one line that puts
 * it there: `install_path`, `raw_url`, and with a base_url `install_command`.
 * A skill with files besides SKILL.md installs from its .tar.gz
 * (`archive_url`), unpacked into the skills folder. Without a base_url the
 * browser writes the command from the page's own address (site.js).
 */
static void S_card_install(struct renderer *r, const struct akb_agent *a, struct akb_value *card)
{
	struct akb_buf path = AKB_BUF_INIT, raw = AKB_BUF_INIT;
	akb_map_set_cstr(card, "harness", akb_format_harness(a->format));
	akb_map_set_cstr(card, "kind", akb_format_name(a->format));
	akb_map_set_cstr(card, "kind_key", akb_format_key(a->format));
	/* On cards only when the collection mixes formats (then "kind" is a facet). */
	if (akb_site_taxonomy(r->site, "kind"))
		akb_map_set_cstr(card, "kind_badge", akb_format_name(a->format));
	if (akb_format_user_dir(a->format))
		akb_map_set_cstr(card, "install_user_dir", akb_format_user_dir(a->format));
	akb_agent_raw_url(a, &raw);
	akb_map_set_cstr(card, "raw_url", raw.ptr);
	int archive = a->nfiles > 0;
	if (archive) {
		akb_buf_clear(&raw);
		akb_agent_archive_url(a, &raw);
		akb_map_set_cstr(card, "archive_url", raw.ptr);
	}
	if (akb_format_install_path(a->format, a->slug, &path) == 0) {
		akb_map_set_cstr(card, "install_path", path.ptr);
		const char *slash = strrchr(path.ptr, '/');
		/* The folder to create: the file's, or for an archive the one it unpacks into. */
		size_t dir_len = slash ? (size_t)(slash - path.ptr) : 0;
		if (archive)
			while (dir_len && path.ptr[--dir_len] != '/')
				;
		akb_map_set_string(card, "install_dir", path.ptr, dir_len);
		if (*r->cfg->base_url) {
			struct akb_buf abs = AKB_BUF_INIT, cmd = AKB_BUF_INIT;
			akb_url_page(&abs, r->cfg->base_url, raw.ptr);
			akb_map_set_cstr(card, archive ? "archive_abs_url" : "raw_abs_url", abs.ptr);
			if (dir_len)
				akb_buf_printf(&cmd, "mkdir -p %.*s && ", (int)dir_len, path.ptr);
			if (archive) {
				akb_buf_puts(&cmd, "curl -fsSL ");
				S_shell_url(&cmd, abs.ptr);
				akb_buf_printf(&cmd, " | tar -xzf - -C %.*s", (int)(dir_len ? dir_len : 1), dir_len ? path.ptr : ".");
			} else {
				akb_buf_printf(&cmd, "curl -fsSL -o %s ", path.ptr);
				S_shell_url(&cmd, abs.ptr);
			}
			akb_map_set_cstr(card, "install_command", cmd.ptr);
			akb_buf_release(&abs);
			akb_buf_release(&cmd);
		}
	}
	akb_buf_release(&path);
	akb_buf_release(&raw);
}

/* A card's `url` and its `summary` (cut to CARD_SUMMARY_BYTES), as related agents show them too. */
static void S_card_link(const struct akb_agent *a, struct akb_value *card, struct akb_buf *tmp)
{
	akb_buf_clear(tmp);
	akb_agent_url(a, tmp);
	akb_map_set_cstr(card, "url", tmp->ptr);
	akb_buf_clear(tmp);
	akb_utf8_truncate(a->summary, CARD_SUMMARY_BYTES, tmp);
	akb_map_set_cstr(card, "summary", tmp->ptr);
}

static void S_build_card(struct renderer *r, const struct akb_agent *a, struct akb_value *card)
{
	struct akb_buf tmp = AKB_BUF_INIT;
	akb_value_set_map(card);
	akb_map_set_cstr(card, "name", a->name);
	akb_map_set_cstr(card, "slug", a->slug);
	S_card_kin(r, a, card);
	S_card_capabilities(a, card);
	const char *tag = akb_language_tag(a->language);
	if (tag)
		akb_map_set_cstr(card, "lang", tag);
	S_card_install(r, a, card);
	S_card_link(a, card, &tmp);
	const char *color = akb_agent_field(a, "color");
	if (color && akb_css_color_ok(color))
		akb_map_set_cstr(card, "color", color);
	const char *keys[] = { "model", "department", "category", "priority", NULL };
	for (int i = 0; keys[i]; i++) {
		const char *v = akb_agent_field(a, keys[i]);
		if (v && *v)
			akb_map_set_cstr(card, keys[i], v);
	}
	struct akb_value *tools = akb_map_set_list(card, "tools");
	S_term_links(r->site, a, "tools", tools);
	akb_buf_release(&tmp);
}

static void S_map_printf(struct akb_value *map, const char *key, const char *fmt, ...) AKB_PRINTF(3, 4);

/* Sets `key` of `map` to formatted text (page descriptions). */
static void S_map_printf(struct akb_value *map, const char *key, const char *fmt, ...)
{
	struct akb_buf text = AKB_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	akb_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	akb_map_set_cstr(map, key, text.ptr);
	akb_buf_release(&text);
}

/* Marks the navigation entry `url` of `page` as the current page ("page") or its section ("true"). */
static void S_nav_current(struct akb_value *page, const char *url, const char *current)
{
	struct akb_value *nav = akb_map_get(page, "nav");
	for (size_t i = 0; nav && i < nav->u.list.len; i++) {
		const char *u = akb_map_get_cstr(&nav->u.list.items[i], "url");
		if (u && !strcmp(u, url))
			akb_map_set_cstr(&nav->u.list.items[i], "current", current);
	}
}

static void S_page_base(struct renderer *r, struct akb_value *page, const char *root, const char *title,
			const char *kind)
{
	akb_value_set_map(page);
	akb_value_copy(akb_map_put(page, "site"), &r->site_value);
	akb_value_copy(akb_map_put(page, "nav"), &r->nav);
	akb_map_set_cstr(page, "root", root);
	akb_map_set_cstr(page, "title", title);
	akb_map_set_bool(page, kind, 1);
	akb_map_set_cstr(page, "kind", kind);
}

/* Lists a page for the sitemap, or holds it until the agent pages are listed (hold_listed). */
static void S_list_page(struct renderer *r, const char *rel)
{
	if (!r->hold_listed) {
		S_rendered_listed(r->opts->rendered, rel);
		return;
	}
	r->held = akb_xgrow(r->held, r->nheld, &r->cheld, 64, sizeof(char *));
	r->held[r->nheld++] = akb_xstrdup(rel);
}

static void S_list_held(struct renderer *r)
{
	for (size_t i = 0; i < r->nheld; i++) {
		if (r->opts && r->opts->rendered)
			S_rendered_listed(r->opts->rendered, r->held[i]);
		free(r->held[i]);
	}
	free(r->held);
	r->held = NULL;
	r->nheld = r->cheld = 0;
	r->hold_listed = 0;
}

/* A page meant for readers goes into the sitemap (with a base URL); `page` (or NULL) gets its canonical URL. */
static void S_list_emitted(struct renderer *r, struct akb_value *page, const char *rel, int listed)
{
	if (!listed || !*r->cfg->base_url)
		return;
	if (page) {
		struct akb_buf url = AKB_BUF_INIT;
		akb_url_page(&url, r->cfg->base_url, rel);
		akb_map_set_cstr(page, "canonical", url.ptr);
		akb_buf_release(&url);
	}
	if (r->opts && r->opts->rendered && r->listed_out)
		*r->listed_out = akb_xstrdup(rel);
	else if (r->opts && r->opts->rendered)
		S_list_page(r, rel);
}

/* Does this build record pages, and keep those whose key it recorded (render.h: page_cache)? */
static int S_caching(const struct renderer *r)
{
	return r->opts && r->opts->page_cache && r->opts->rendered && !r->opts->page_filter;
}

/* A card listed in a page's data, in the page's key: 'c' and the card's digest (value.h). */
static int S_card_stand_in(void *ctx, const struct akb_value *map, struct akb_buf *out)
{
	const struct renderer *r = ctx;
	size_t idx;
	const void *items = map->u.map.items;
	if (!r->card_digest || !akb_strmap_getn(&r->card_of, (const char *)&items, sizeof items, &idx))
		return 0;
	akb_buf_putc(out, 'c');
	akb_buf_put(out, &r->card_digest[idx], sizeof r->card_digest[idx]);
	return 1;
}

/* A page other than an agent's: its key is its data, its path and the salt. */
static uint64_t S_list_page_key(const struct renderer *r, const struct akb_value *page, const char *template_name,
				const char *rel)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_put(&b, &r->opts->page_salt, sizeof r->opts->page_salt);
	akb_buf_put_sized(&b, template_name, strlen(template_name));
	akb_buf_put_sized(&b, rel, strlen(rel));
	akb_value_put_canonical_with(page, &b, S_card_stand_in, (void *)r);
	uint64_t key = akb_digest(b.ptr, b.len);
	akb_buf_release(&b);
	return key ? key : 1;
}

/*
 * Renders `page` into `rel`. With a base URL, a page meant for readers
 * (`listed`) gets its canonical URL, which the theme also uses for og:url,
 * and goes into the sitemap; without one, nothing absolute is added. With
 * `cached`, a page whose key the last build recorded, and which OUT still
 * holds as written, is kept instead (agent pages have keys of their own).
 */
static void S_emit(struct renderer *r, const char *template_name, struct akb_value *page, const char *rel,
		   int listed, int cached)
{
	if (r->failed) /* one failed page (a hook error) is enough: the build stops */
		return;
	struct akb_buf html = AKB_BUF_INIT;
	S_list_emitted(r, page, rel, listed);
	uint64_t key = cached && S_caching(r) ? S_list_page_key(r, page, template_name, rel) : 0;
	struct akb_page_record rec;
	if (key && akb_page_cache_find(r->opts->page_cache, rel, key, &rec)) {
		struct akb_kept_file file = { rel, rec.digest, rec.size };
		int kept = akb_output_keep(r->out, &file, 1);
		if (kept) {
			akb_diag_append(r->diag, &rec.messages, 0); /* what rendering it said */
			r->stats->pages++;
			r->stats->kept_pages++;
			akb_page_cache_put(r->opts->page_cache, rel, &rec);
		}
		akb_page_record_release(&rec);
		if (kept)
			return;
	}
	size_t first_message = r->diag->len;
	const struct akb_render_options *o = r->opts;
	if (akb_tpl_render(r->tpl, template_name, page, &html, r->diag) != 0 ||
	    (o && o->page_filter &&
	     o->page_filter(o->page_ctx, rel, akb_map_get_cstr(page, "kind"), akb_map_get_cstr(page, "title"), &html) != 0))
		r->failed = 1;
	/* After the page hooks: the policy hashes the inline scripts of the page as it is written. */
	if (!r->failed && *r->cfg->csp)
		akb_csp_insert(&html, r->cfg->csp, 1);
	r->emitted_digest = akb_digest(html.ptr, html.len); /* for the page cache */
	r->emitted_size = html.len;
	if (!r->failed &&
	    akb_output_write_digested(r->out, rel, html.ptr, html.len, r->emitted_digest, r->diag) != 0)
		r->failed = 1;
	else if (!r->failed)
		r->stats->pages++;
	if (key && !r->failed) {
		struct akb_page_record made = { 0 };
		akb_diag_init(&made.messages, NULL);
		akb_diag_append(&made.messages, r->diag, first_message);
		made.key = key;
		made.digest = r->emitted_digest;
		made.size = r->emitted_size;
		akb_page_cache_put(r->opts->page_cache, rel, &made);
		akb_diag_release(&made.messages);
	}
	akb_buf_release(&html);
}

static int S_is_header_key(const char *key)
{
	for (const char *const *k = S_header_keys; *k; k++)
		if (strcmp(*k, key) == 0)
			return 1;
	return 0;
}

struct link_ctx {
	const struct renderer *r;
	const struct akb_agent *from;
};

/* Appends `rel`'s folder joined with `url`, with "." and ".." resolved; -1 if it climbs out of CONTENT. */
static int S_join_path(const char *rel, const char *url, size_t url_len, struct akb_buf *out)
{
	const char *slash = strrchr(rel, '/');
	struct akb_buf joined = AKB_BUF_INIT;
	if (slash)
		akb_buf_put(&joined, rel, (size_t)(slash - rel + 1));
	/* Percent-decode: authors write "my%20agent.md" for files with spaces. */
	for (size_t i = 0; i < url_len; i++) {
		if (url[i] == '%' && i + 2 < url_len && strchr("0123456789abcdefABCDEF", url[i + 1]) &&
		    strchr("0123456789abcdefABCDEF", url[i + 2])) {
			char hex[3] = { url[i + 1], url[i + 2], 0 };
			akb_buf_putc(&joined, (int)strtol(hex, NULL, 16));
			i += 2;
		} else {
			akb_buf_putc(&joined, url[i]);
		}
	}
	int rc = 0;
	const char *p = joined.ptr;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if ((n == 1 && p[0] == '.') || n == 0) {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *last = out->len ? strrchr(out->ptr, '/') : NULL;
			if (!out->len) {
				rc = -1;
				break;
			}
			akb_buf_truncate(out, last ? (size_t)(last - out->ptr) : 0);
		} else {
			if (out->len)
				akb_buf_putc(out, '/');
			akb_buf_put(out, p, n);
		}
		p += n + (end ? 1 : 0);
	}
	akb_buf_release(&joined);
	return rc;
}

/*
 * Links between agent files ("other-agent.md", "../team/x.md#usage") become
 * links between their pages; any other relative link would point at a file
 * the site does not have.
 */
static enum akb_link_action S_resolve_link(void *ctx, const char *url, struct akb_buf *out)
{
	const struct link_ctx *lc = ctx;
	size_t path_len = strcspn(url, "?#");
	const char *frag = strchr(url, '#');
	struct akb_buf target = AKB_BUF_INIT;
	size_t idx;
	enum akb_link_action act = AKB_LINK_BROKEN;
	if (S_join_path(lc->from->rel, url, path_len, &target) == 0 &&
	    akb_strmap_get(&lc->r->by_source, target.ptr, &idx)) {
		akb_buf_printf(out, "../%s/index.html", lc->r->site->agents[idx].slug);
		if (frag)
			akb_buf_puts(out, frag);
		act = AKB_LINK_REWRITE;
	} else if (lc->from->nfiles && target.len) {
		/* A skill's own files (references/x.md, scripts/run.py) are published beside its page. */
		const char *slash = strrchr(lc->from->rel, '/');
		size_t dir = slash ? (size_t)(slash - lc->from->rel) + 1 : 0;
		const char *inside = !strncmp(target.ptr, lc->from->rel, dir) ? target.ptr + dir : NULL;
		for (size_t i = 0; inside && i < lc->from->nfiles; i++)
			if (!strcmp(lc->from->files[i].path, inside)) {
				akb_attach_url(inside, out);
				if (frag)
					akb_buf_puts(out, frag);
				act = AKB_LINK_REWRITE;
				break;
			}
	}
	akb_buf_release(&target);
	return act;
}

/*
 * An <example> block of a body, shown as the conversation it is, with the
 * theme's "example" partial, as the description's examples are. A theme
 * without the partial, or a block that holds no conversation, leaves it as text.
 */
static void S_render_example(void *ctx, const char *text, size_t len, struct akb_buf *out, struct akb_diag *diag)
{
	struct renderer *r = ctx;
	char *block = akb_xstrndup(text, len), *summary = NULL;
	struct akb_value data = AKB_VALUE_NULL;
	akb_value_set_map(&data);
	struct akb_value *examples = akb_map_put(&data, "examples");
	akb_description_split(block, &summary, examples);
	if (examples->kind == AKB_LIST && examples->u.list.len) {
		static const char src[] = "{{#examples}}{{>example}}{{/examples}}";
		struct akb_buf html = AKB_BUF_INIT;
		if (akb_tpl_render_string(r->tpl, src, sizeof src - 1, &data, &html, diag) == 0 && html.len) {
			akb_buf_puts(out, "<div class=\"examples examples-inline\">\n");
			akb_buf_put(out, html.ptr, html.len);
			akb_buf_puts(out, "</div>\n");
		}
		akb_buf_release(&html);
	}
	akb_value_release(&data);
	free(summary);
	free(block);
}

/* A link to agent `i`'s page: {name, url, summary}. */
static void S_link_item(const struct renderer *r, size_t i, struct akb_value *item)
{
	struct akb_buf url = AKB_BUF_INIT;
	const struct akb_agent *a = &r->site->agents[i];
	akb_value_set_map(item);
	akb_map_set_cstr(item, "name", a->name);
	akb_agent_url(a, &url);
	akb_map_set_cstr(item, "url", url.ptr);
	akb_map_set_cstr(item, "summary", a->summary);
	akb_buf_release(&url);
}

/*
 * Plugins (plugin.h): a plugin's page lists its agents, commands and skills;
 * theirs link back to it; a marketplace's lists its plugins, linked when
 * they are in the collection, and a plugin listed in one says how to install it.
 */
static void S_plugin_links(const struct renderer *r, size_t idx, struct akb_value *agent)
{
	const struct akb_site *site = r->site;
	const struct akb_agent *a = &site->agents[idx];
	if (a->plugin != SIZE_MAX && !site->agents[a->plugin].dropped)
		S_link_item(r, a->plugin, akb_map_put(agent, "plugin"));
	if (a->format == AKB_FORMAT_PLUGIN) {
		static const int kinds[] = { AKB_FORMAT_SUBAGENT, AKB_FORMAT_COMMAND, AKB_FORMAT_SKILL };
		static const char *const titles[] = { "Sub-agents", "Slash commands", "Skills" };
		akb_map_set_list(agent, "components");
		for (int k = 0; k < 3; k++) {
			struct akb_value group = AKB_VALUE_NULL;
			akb_value_set_map(&group);
			akb_map_set_cstr(&group, "title", titles[k]);
			struct akb_value *items = akb_map_set_list(&group, "items");
			for (size_t j = 0; j < site->norder; j++) {
				size_t i = site->order[j];
				if (site->agents[i].plugin == idx && site->agents[i].format == kinds[k])
					S_link_item(r, i, akb_list_push(items));
			}
			akb_map_set_number(&group, "count", (double)items->u.list.len);
			if (items->u.list.len)
				*akb_list_push(akb_map_get(agent, "components")) = group;
			else
				akb_value_release(&group);
		}
		/* Installed from a marketplace of the collection: /plugin install name@marketplace. */
		for (size_t m = 0; m < site->nagents; m++) {
			const struct akb_agent *mk = &site->agents[m];
			const struct akb_value *list = akb_map_get(&mk->fm.fields, "plugins");
			if (mk->format != AKB_FORMAT_MARKETPLACE || !list || list->kind != AKB_LIST)
				continue;
			for (size_t e = 0; e < list->u.list.len; e++) {
				const char *entry = akb_map_get_cstr(&list->u.list.items[e], "name");
				if (!entry || akb_marketplace_plugin(site, mk, &list->u.list.items[e]) != idx)
					continue;
				struct akb_buf cmd = AKB_BUF_INIT;
				akb_buf_printf(&cmd, "/plugin install %s@%s", entry, mk->name);
				akb_map_set_cstr(agent, "plugin_install", cmd.ptr);
				akb_map_set_cstr(agent, "marketplace_name", mk->name);
				akb_buf_release(&cmd);
				m = site->nagents - 1;
				break;
			}
		}
	} else if (a->format == AKB_FORMAT_MARKETPLACE) {
		const struct akb_value *list = akb_map_get(&a->fm.fields, "plugins");
		akb_map_set_list(agent, "plugin_list");
		for (size_t e = 0; list && list->kind == AKB_LIST && e < list->u.list.len; e++) {
			const struct akb_value *entry = &list->u.list.items[e];
			struct akb_value *item = akb_list_push(akb_map_get(agent, "plugin_list"));
			size_t p = akb_marketplace_plugin(site, a, entry);
			akb_value_set_map(item);
			const char *name = akb_map_get_cstr(entry, "name"), *desc = akb_map_get_cstr(entry, "description");
			akb_map_set_cstr(item, "name", name ? name : "?");
			if (desc)
				akb_map_set_cstr(item, "summary", desc);
			/* Set either way: a missing key would be looked up in the page around it. */
			struct akb_buf url = AKB_BUF_INIT;
			int linked = p != SIZE_MAX && !site->agents[p].dropped;
			if (linked)
				akb_agent_url(&site->agents[p], &url);
			akb_map_set_cstr(item, "url", url.ptr);
			akb_map_set_bool(item, "linked", linked);
			akb_buf_release(&url);
		}
	}
}

/*
 * The key of an agent page (render.h: page_cache): its data as the template
 * will see it (all but the body, its contents and the raw file), the file's
 * bytes (by digest), the body a hook gave it instead, where it is read from
 * (messages name it), its front-matter (the search document), the links
 * between files and the salt.
 */
static uint64_t S_page_key(const struct renderer *r, const struct akb_agent *a, const struct akb_value *page,
			   const char *rel)
{
	struct akb_buf b = AKB_BUF_INIT;
	/* Numbers as their bytes and strings sized: a key is only digested, and formatting costs. */
	const uint64_t nums[] = { r->opts->page_salt, r->links_digest, a->raw_digest, a->raw_len };
	akb_buf_put(&b, nums, sizeof nums);
	akb_buf_put_sized(&b, rel, strlen(rel));
	akb_buf_put_sized(&b, a->path, strlen(a->path));
	akb_value_put_canonical(page, &b);
	akb_value_put_canonical(&a->fm.fields, &b);
	if (a->body_text) /* a hook gave it another body than its file's */
		akb_buf_printf(&b, "\nbody %016" PRIx64, akb_digest(a->body_text, a->body_len));
	uint64_t key = akb_digest(b.ptr, b.len);
	akb_buf_release(&b);
	return key ? key : 1; /* 0 means "not recorded" */
}

/*
 * Keeps agent page `rel` and its raw file as OUT has them, if the last build
 * made the page from `key` and OUT still holds what it wrote; then what
 * rendering it would give besides (messages, search document, counts)
 * comes from the page cache. Returns 1 when kept.
 */
static int S_keep_agent(struct renderer *r, size_t idx, const struct akb_value *card, const char *rel, uint64_t key)
{
	const struct akb_agent *a = &r->site->agents[idx];
	const struct akb_render_options *o = r->opts;
	struct akb_rendered_agent *ra = &o->rendered->agents[idx];
	struct akb_page_record rec;
	if (!akb_page_cache_find(o->page_cache, rel, key, &rec))
		return 0;
	struct akb_buf raw = AKB_BUF_INIT;
	akb_agent_raw_url(a, &raw);
	struct akb_kept_file files[] = { { rel, rec.digest, rec.size }, { raw.ptr, a->raw_digest, a->raw_len } };
	ra->from_cache = 1;
	akb_buf_clear(&ra->doc);
	akb_buf_put(&ra->doc, rec.doc, rec.doc_len);
	/* A document that does not decode (it never should: the record's digest matched) is rendered again. */
	void *prepared = o->prepare ? o->prepare(o->feed_ctx, idx, ra) : NULL;
	int kept = prepared && akb_output_keep(r->out, files, 2);
	if (!kept) {
		if (prepared && o->discard)
			o->discard(prepared);
		ra->from_cache = 0;
		akb_buf_clear(&ra->doc);
	} else {
		akb_diag_append(r->diag, &rec.messages, 0); /* what rendering it said */
		S_list_emitted(r, NULL, rel, 1);
		r->stats->pages++;
		r->stats->code_blocks += rec.code_blocks;
		r->stats->kept_pages++;
		r->stats->kept_agent_pages++;
		akb_buf_put(&ra->heading_text, rec.heading, rec.heading_len);
		akb_buf_put(&ra->prose, rec.prose, rec.prose_len);
		ra->prepared = prepared;
		S_keep_card_facts(ra, card);
		ra->page_key = key;
		ra->page_digest = rec.digest;
		ra->page_size = rec.size;
		ra->code_blocks = rec.code_blocks;
		ra->page_rel = akb_xstrdup(rel);
	}
	akb_buf_release(&raw);
	akb_page_record_release(&rec);
	return kept;
}

static void S_render_agent(struct renderer *r, size_t idx)
{
	const struct akb_agent *a = &r->site->agents[idx];
	struct akb_value page = AKB_VALUE_NULL;
	struct akb_buf tmp = AKB_BUF_INIT;
	struct akb_agent_text file;
	S_page_base(r, &page, "../../", a->name, "agent_page");
	struct akb_value *agent = akb_map_put(&page, "agent");
	S_build_card(r, a, agent); /* made again: the site's cards are gone by now (akb_render_site) */
	akb_map_set_cstr(agent, "summary", a->summary);
	akb_map_set_cstr(&page, "description", a->summary);
	akb_map_set_cstr(agent, "source", a->rel);
	akb_map_set_string(agent, "raw", "", 0); /* the file's text, once it is known to be needed (below) */
	const char *crumbs[] = { "department", "category", NULL };
	for (int i = 0; crumbs[i]; i++) {
		const struct akb_taxonomy *t = akb_site_taxonomy(r->site, crumbs[i]);
		const char *v = akb_agent_field(a, crumbs[i]);
		const struct akb_term *term = t && v ? akb_taxonomy_find(t, v) : NULL;
		if (!term)
			continue;
		akb_buf_clear(&tmp);
		S_term_url(t, term, &tmp);
		struct akb_buf key = AKB_BUF_INIT;
		akb_buf_printf(&key, "%s_url", crumbs[i]);
		akb_map_set_cstr(agent, key.ptr, tmp.ptr);
		akb_buf_release(&key);
	}
	akb_buf_clear(&tmp);
	akb_format_raw_name(a->format, a->slug, &tmp);
	akb_map_set_cstr(agent, "raw_name", tmp.ptr);
	struct akb_value *files = akb_map_set_list(agent, "files");
	for (size_t i = 0; i < a->nfiles; i++) {
		struct akb_value *f = akb_list_push(files);
		akb_value_set_map(f);
		akb_map_set_cstr(f, "path", a->files[i].path);
		akb_buf_clear(&tmp);
		akb_attach_url(a->files[i].path, &tmp);
		akb_map_set_cstr(f, "url", tmp.ptr);
		akb_buf_clear(&tmp);
		S_size_text(a->files[i].size, &tmp);
		akb_map_set_cstr(f, "size", tmp.ptr);
	}

	/* One row per taxonomy, so configured taxonomies show up without template changes. */
	struct akb_value *terms = akb_map_set_list(agent, "taxonomies");
	for (size_t t = 0; t < r->site->ntaxonomies; t++) {
		const struct akb_taxonomy *tax = &r->site->taxonomies[t];
		struct akb_value row = AKB_VALUE_NULL;
		akb_value_set_map(&row);
		struct akb_value *values = akb_map_set_list(&row, "values");
		S_term_links(r->site, a, tax->key, values);
		if (values->u.list.len) {
			akb_map_set_cstr(&row, "title", values->u.list.len > 1 ? tax->title : tax->label);
			akb_map_set_cstr(&row, "key", tax->key);
			*akb_list_push(terms) = row;
		} else {
			akb_value_release(&row);
		}
	}

	struct akb_value *meta = akb_map_set_list(agent, "meta");
	const struct akb_value *fields = &a->fm.fields;
	for (size_t i = 0; i < fields->u.map.len; i++) {
		const struct akb_pair *p = &fields->u.map.items[i];
		/* A Codex agent's instructions are its body; a marketplace's plugins have their own list. */
		if (S_is_header_key(p->key) || p->value.kind == AKB_NULL ||
		    (a->format == AKB_FORMAT_CODEX_AGENT && (!strcmp(p->key, "developer_instructions") ||
							      !strcmp(p->key, "instructions") || !strcmp(p->key, "prompt"))) ||
		    (a->format == AKB_FORMAT_MARKETPLACE && !strcmp(p->key, "plugins")))
			continue;
		struct akb_value *row = akb_list_push(meta);
		akb_value_set_map(row);
		akb_map_set_cstr(row, "key", p->key);
		akb_buf_clear(&tmp);
		akb_value_join_text(&p->value, &tmp);
		akb_map_set_string(row, "value", tmp.ptr, tmp.len);
	}

	akb_value_copy(akb_map_put(agent, "examples"), &a->examples);
	S_plugin_links(r, idx, agent);

	/* The agents it names ("works with") and those naming it ("used by"). */
	akb_map_set_list(agent, "works_with");
	akb_map_set_list(agent, "used_by");
	/* Fetched after both are in: adding a key may move the map's items. */
	struct akb_value *works = akb_map_get(agent, "works_with"), *used = akb_map_get(agent, "used_by");
	for (size_t k = r->edges_at[idx]; k < r->edges_at[idx + 1]; k++) {
		const struct akb_edge *ed = &r->graph.edges[r->edge_list[k]];
		size_t other = ed->from == idx ? ed->to : ed->from;
		struct akb_value *item = akb_list_push(ed->from == idx ? works : used);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "name", r->site->agents[other].name);
		akb_buf_clear(&tmp);
		akb_agent_url(&r->site->agents[other], &tmp);
		akb_map_set_cstr(item, "url", tmp.ptr);
		akb_map_set_bool(item, "starts", ed->started);
	}

	/* Related agents: similar words, shared groups (related.h). */
	struct akb_value *rel = akb_map_set_list(agent, "related");
	for (unsigned j = 0; j < r->related.count[idx]; j++) {
		/* What its card says of it (S_build_card): name, url, summary, qualifier. */
		const struct akb_agent *other = &r->site->agents[r->related.of[idx][j]];
		struct akb_value *item = akb_list_push(rel);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "name", other->name);
		S_card_link(other, item, &tmp);
		if (S_qualifier(r, other, &tmp))
			akb_map_set_cstr(item, "qualifier", tmp.ptr);
	}

	/* What `agentkb check` finds in the file: the page shows what is broken. */
	struct akb_value *problems = akb_map_set_list(agent, "problems");
	const struct akb_lint *lint = r->opts ? r->opts->lint : NULL;
	for (size_t j = lint ? akb_lint_first(lint, idx) : 0; lint && j < lint->len && lint->items[j].agent == idx; j++) {
		const struct akb_finding *f = &lint->items[j];
		struct akb_value *p = akb_list_push(problems);
		akb_value_set_map(p);
		akb_map_set_cstr(p, "rule", f->rule->id);
		akb_map_set_cstr(p, "level", f->rule->level == AKB_ERROR ? "error" : "warning");
		akb_map_set_cstr(p, "message", f->message);
		if (f->line) {
			akb_buf_clear(&tmp);
			akb_buf_printf(&tmp, "%u:%u", f->line, f->col);
			akb_map_set_cstr(p, "where", tmp.ptr);
		}
	}

	/* Incremental: a page made from the same key is kept as OUT has it. */
	struct akb_buf page_rel = AKB_BUF_INIT;
	akb_buf_printf(&page_rel, "agents/%s/index.html", a->slug);
	const struct akb_render_options *o = r->opts;
	uint64_t key = S_caching(r) ? S_page_key(r, a, &page, page_rel.ptr) : 0;
	if (key && S_keep_agent(r, idx, agent, page_rel.ptr, key)) {
		akb_buf_release(&page_rel);
		akb_buf_release(&tmp);
		akb_value_release(&page);
		return;
	}
	if (akb_agent_text_open(a, &file) != 0) {
		akb_error(r->diag, a->path, 0, 0, "changed or removed while the site was being built; build again");
		r->stats->changed_inputs++;
		r->failed = 1;
	}
	akb_map_set_string(agent, "raw", file.text, file.text_len);

	struct akb_markdown_options mo = { 0 };
	mo.code = r->opts ? r->opts->code : NULL;
	mo.code_ctx = r->opts ? r->opts->code_ctx : NULL;
	mo.path = a->path;
	mo.first_line = a->body_line;
	mo.example = S_render_example;
	mo.example_ctx = r;
	struct link_ctx lc = { r, a };
	mo.link = S_resolve_link;
	mo.link_ctx = &lc;
	mo.collect_text = r->opts && r->opts->rendered;
	struct akb_markdown_doc doc;
	akb_markdown_render(file.body, file.body_len, &mo, &doc, r->diag);
	r->stats->code_blocks += doc.code_blocks;
	size_t doc_code_blocks = doc.code_blocks;
	if (mo.collect_text)
		S_keep_text(r, idx, agent, &doc);
	struct akb_value *toc = akb_map_set_list(agent, "toc");
	/* The page title is the h1; the contents list the sections below it. */
	int min_level = 7;
	for (size_t i = 0; i < doc.nheadings; i++)
		if (doc.headings[i].level > 1 && doc.headings[i].level < min_level)
			min_level = doc.headings[i].level;
	for (size_t i = 0; i < doc.nheadings; i++) {
		const struct akb_heading *h = &doc.headings[i];
		if (h->level < min_level || h->level > min_level + 1)
			continue;
		struct akb_value *item = akb_list_push(toc);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "text", h->text);
		akb_map_set_cstr(item, "id", h->id);
		akb_map_set_bool(item, "sub", h->level > min_level);
	}
	size_t html_len;
	char *html = akb_buf_detach(&doc.html, &html_len);
	akb_value_take_string(akb_map_put(agent, "body"), html, html_len);
	akb_markdown_doc_release(&doc);

	S_emit(r, "agent", &page, page_rel.ptr, 1, 0);
	if (key) {
		struct akb_rendered_agent *ra = &o->rendered->agents[idx];
		ra->page_key = key;
		ra->page_digest = r->emitted_digest;
		ra->page_size = r->emitted_size;
		ra->code_blocks = doc_code_blocks;
		ra->page_rel = akb_buf_detach(&page_rel, NULL);
	}
	akb_buf_clear(&tmp);
	akb_agent_raw_url(a, &tmp);
	if (akb_output_write(r->out, tmp.ptr, file.raw, file.raw_len, r->diag) != 0)
		r->failed = 1;
	akb_agent_text_close(&file);
	akb_buf_release(&page_rel);
	akb_buf_release(&tmp);
	akb_value_release(&page);
}

/*
 * Pages on several threads (agent pages, term pages). Each page is rendered
 * by a copy of the renderer with its own diagnostics and counts (everything
 * else it reads is shared and no longer changes); what a page produced is
 * merged in order afterwards, so the output, the messages and the sitemap
 * are those of one thread, byte for byte.
 */
typedef void (*page_task)(struct renderer *r, void *arg, size_t k);

struct page_job {
	struct akb_diag diag; /* its messages, replayed in order */
	char *listed;         /* its page, for the sitemap, or NULL */
	size_t pages, code_blocks, changed_inputs, kept_pages, kept_agent_pages;
	int failed;
	int done;             /* rendered; waits for the jobs before it to be merged */
};

struct page_pool {
	struct renderer *r;
	page_task task, merged; /* merged(r, arg, k): after page k is merged, in order (may be NULL) */
	void *arg;
	struct page_job *jobs;
	pthread_mutex_t lock;   /* merging, which touches r, one thread at a time */
	size_t n, next;         /* jobs; the first one not merged yet */
};

/* A job's results into the renderer, as if it had run here; stops taking them after a failed page, as one thread would. */
static void S_merge_job(struct renderer *r, struct page_job *job)
{
	for (size_t i = 0; i < job->diag.len && !r->failed; i++) {
		const struct akb_diagnostic *d = &job->diag.items[i];
		akb_diag_add(r->diag, d->severity, d->path, d->line, d->col, "%s", d->message);
	}
	if (!r->failed) {
		if (job->listed)
			S_list_page(r, job->listed);
		r->stats->pages += job->pages;
		r->stats->code_blocks += job->code_blocks;
		r->stats->changed_inputs += job->changed_inputs;
		r->stats->kept_pages += job->kept_pages;
		r->stats->kept_agent_pages += job->kept_agent_pages;
		r->failed = job->failed;
	}
	akb_diag_release(&job->diag);
	free(job->listed);
}

static void S_render_job(void *ctx, size_t k)
{
	struct page_pool *pool = ctx;
	struct page_job *job = &pool->jobs[k];
	pthread_mutex_lock(&pool->lock); /* r is read while another thread may be merging into it */
	struct renderer local = *pool->r;
	pthread_mutex_unlock(&pool->lock);
	struct akb_render_stats stats = { 0 };
	akb_diag_init(&job->diag, NULL);
	local.diag = &job->diag;
	local.stats = &stats;
	local.listed_out = &job->listed;
	local.failed = 0;
	pool->task(&local, pool->arg, k);
	job->pages = stats.pages;
	job->code_blocks = stats.code_blocks;
	job->changed_inputs = stats.changed_inputs;
	job->kept_pages = stats.kept_pages;
	job->kept_agent_pages = stats.kept_agent_pages;
	job->failed = local.failed;
	/* Merge every finished job from the first unmerged one on: the output streams out in order. */
	pthread_mutex_lock(&pool->lock);
	job->done = 1;
	for (; pool->next < pool->n && pool->jobs[pool->next].done; pool->next++) {
		S_merge_job(pool->r, &pool->jobs[pool->next]);
		if (pool->merged)
			pool->merged(pool->r, pool->arg, pool->next);
	}
	pthread_mutex_unlock(&pool->lock);
}

/*
 * Pages 0..n, each one page by task(r, arg, k), on the -j threads; in order
 * on this one when page hooks run. `merged` (or NULL) follows each page in
 * order, on one thread at a time.
 */
static void S_render_each(struct renderer *r, size_t n, page_task task, page_task merged, void *arg)
{
	unsigned threads = r->opts && r->opts->jobs > 1 ? r->opts->jobs : 1;
	/* Page hooks share one Lua state and may count or remember pages: they see the pages in order. */
	if (threads < 2 || n < 2 || r->opts->page_filter) {
		for (size_t k = 0; k < n && !r->failed; k++) {
			task(r, arg, k);
			if (merged)
				merged(r, arg, k);
		}
		return;
	}
	struct page_pool pool = { r, task, merged, arg, akb_xcalloc(n, sizeof(struct page_job)), PTHREAD_MUTEX_INITIALIZER,
				  n, 0 };
	akb_parallel_for(n, threads, S_render_job, &pool);
	pthread_mutex_destroy(&pool.lock);
	free(pool.jobs);
}

/* The index stage's feed (render.h): what `prepare` made of each agent, until `take` has it. */
struct agent_feed {
	void **prepared;
};

static void S_agent_task(struct renderer *r, void *arg, size_t k)
{
	struct agent_feed *feed = arg;
	size_t idx = r->site->order[k];
	size_t first_message = r->diag->len;
	S_render_agent(r, idx);
	const struct akb_render_options *o = r->opts;
	struct akb_rendered_agent *ra = o && o->rendered ? &o->rendered->agents[idx] : NULL;
	if (ra && ra->page_key) /* for the next build's page cache */
		akb_diag_append(&ra->messages, r->diag, first_message);
	if (ra && ra->prepared) {
		feed->prepared[k] = ra->prepared; /* a kept page's: decoded already */
		ra->prepared = NULL;
	} else if (ra && o->prepare && ra->rendered) {
		feed->prepared[k] = o->prepare(o->feed_ctx, idx, ra);
	}
}

static void S_agent_merged(struct renderer *r, void *arg, size_t k)
{
	struct agent_feed *feed = arg;
	const struct akb_render_options *o = r->opts;
	size_t idx = r->site->order[k];
	if (!o || !o->take || !o->rendered)
		return;
	struct akb_rendered_agent *ra = &o->rendered->agents[idx];
	if (ra->rendered && !r->failed)
		o->take(o->feed_ctx, k, idx, ra, feed->prepared[k]);
	else if (feed->prepared[k] && o->discard)
		o->discard(feed->prepared[k]); /* the build failed: the index will not be written */
	feed->prepared[k] = NULL;
	/* The index, and the page cache, have all they need of the page's texts. */
	akb_rendered_agent_forget(ra);
}

static void S_render_agents(struct renderer *r)
{
	struct agent_feed feed = { akb_xcalloc(r->site->norder + 1, sizeof(void *)) };
	S_render_each(r, r->site->norder, S_agent_task, S_agent_merged, &feed);
	free(feed.prepared); /* each one went to `take` or `discard` */
}

/* One agent's card (each card is its own: any thread). */
static void S_card_task(void *ctx, size_t k)
{
	struct renderer *r = ctx;
	size_t idx = r->site->order[k];
	S_build_card(r, &r->site->agents[idx], &r->cards[idx]);
	akb_value_shrink(&r->cards[idx]); /* kept until the term pages are made: hold no spare room */
	if (r->card_digest) {
		struct akb_buf b = AKB_BUF_INIT;
		akb_value_put_canonical(&r->cards[idx], &b);
		r->card_digest[idx] = akb_digest(b.ptr, b.len);
		akb_buf_release(&b);
	}
}

/* After the cards are made: which card each map of theirs is, for S_card_stand_in. */
static void S_index_cards(struct renderer *r)
{
	if (!r->card_digest)
		return;
	for (size_t k = 0; k < r->site->norder; k++) {
		size_t idx = r->site->order[k];
		const void *items = r->cards[idx].u.map.items;
		if (r->cards[idx].kind == AKB_MAP && items)
			akb_strmap_setn(&r->card_of, (const char *)&items, sizeof items, idx);
	}
}

/* Home-page order: department term, then category term (agents without one last), then name. */
struct group_key {
	size_t dept, cat, rank; /* term indexes (SIZE_MAX: none), position in name order */
	size_t agent;
};

static int S_by_group(const void *x, const void *y)
{
	const struct group_key *a = x, *b = y;
	int c = akb_order(a->dept, b->dept);
	c = c ? c : akb_order(a->cat, b->cat);
	return c ? c : akb_order(a->rank, b->rank);
}

static size_t S_term_of(const struct akb_taxonomy *t, size_t agent)
{
	return t ? t->agent_term[agent] : SIZE_MAX;
}

/*
 * The taxonomy the home page groups by: `group_by`, or with "auto" the
 * department when some agent has one; else the collection (the folder)
 * when there are several; else the category; else the one collection.
 */
static const struct akb_taxonomy *S_group_taxonomy(const struct akb_site *site, const struct akb_config *cfg)
{
	if (strcmp(cfg->group_by, "auto"))
		return akb_site_taxonomy(site, cfg->group_by);
	const struct akb_taxonomy *dept = akb_site_taxonomy(site, "department");
	const struct akb_taxonomy *coll = akb_site_taxonomy(site, "collection");
	const struct akb_taxonomy *cat = akb_site_taxonomy(site, "category");
	if (dept && dept->nterms)
		return dept;
	if (coll && coll->nterms >= 2)
		return coll;
	if (cat && cat->nterms)
		return cat;
	return coll && coll->nterms ? coll : NULL;
}

/* Home page: groups (departments, or collections), then categories, each with counts and cards. */
static void S_render_index(struct renderer *r)
{
	const struct akb_site *site = r->site;
	const struct akb_taxonomy *dept_tax = S_group_taxonomy(site, r->cfg);
	const struct akb_taxonomy *cat_tax = akb_site_taxonomy(site, "category");
	if (cat_tax == dept_tax)
		cat_tax = NULL;
	struct akb_value page = AKB_VALUE_NULL;
	S_page_base(r, &page, "", r->cfg->title, "home_page");
	/* Every page has a description, for search results and link previews. */
	if (*r->cfg->description)
		akb_map_set_cstr(&page, "description", r->cfg->description);
	else
		S_map_printf(&page, "description", "%zu agent%s in %s.", site->norder, site->norder == 1 ? "" : "s",
			     r->cfg->title);
	akb_map_set_number(&page, "agent_count", (double)site->norder);
	/* "202 agents · 83 collections · 11 categories": what the site has, nothing it has none of. */
	struct akb_value *stats = akb_map_set_list(&page, "stats");
	const struct akb_taxonomy *counted[] = { dept_tax, cat_tax };
	for (int i = 0; i < 2; i++) {
		if (!counted[i] || !counted[i]->nterms)
			continue;
		struct akb_value *st = akb_list_push(stats);
		akb_value_set_map(st);
		akb_map_set_number(st, "count", (double)counted[i]->nterms);
		struct akb_buf label = AKB_BUF_INIT;
		for (const char *c = counted[i]->title; *c; c++)
			akb_buf_putc(&label, *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		akb_map_set_cstr(st, "label", counted[i]->nterms == 1 ? counted[i]->key : label.ptr);
		akb_buf_release(&label);
	}
	if (dept_tax)
		akb_map_set_cstr(&page, "group_title", dept_tax->title);
	/* What the whole collection would add to a context, were every agent loaded. */
	double total = 0;
	for (size_t k = 0; k < site->norder; k++) {
		total += (double)site->agents[site->order[k]].tokens; /* each card's token_count */
	}
	struct akb_buf tt = AKB_BUF_INIT;
	S_tokens_text((size_t)total, &tt);
	akb_map_set_cstr(&page, "total_tokens", tt.ptr);
	akb_buf_release(&tt);

	size_t n = site->norder;
	struct group_key *keys = akb_xcalloc(n + 1, sizeof(*keys));
	for (size_t k = 0; k < n; k++) {
		size_t idx = site->order[k];
		keys[k] = (struct group_key){ S_term_of(dept_tax, idx), S_term_of(cat_tax, idx), k, idx };
	}
	qsort(keys, n, sizeof(*keys), S_by_group);

	struct akb_value *groups = akb_map_set_list(&page, "groups");
	struct akb_value *group = NULL, *cards = NULL;
	struct akb_buf url = AKB_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		const struct group_key *g = &keys[k];
		if (!group || g->dept != keys[k - 1].dept) {
			group = akb_list_push(groups);
			akb_value_set_map(group);
			const struct akb_term *d = g->dept != SIZE_MAX ? &dept_tax->terms[g->dept] : NULL;
			akb_map_set_cstr(group, "name", d ? d->name : dept_tax ? "Other" : "Agents");
			akb_map_set_cstr(group, "id", d ? d->slug : "other");
			if (d) {
				akb_buf_clear(&url);
				S_term_url(dept_tax, d, &url);
				akb_map_set_cstr(group, "url", url.ptr);
			}
			akb_map_set_list(group, "categories");
			akb_map_set_number(group, "count", 0);
			cards = NULL;
		}
		if (!cards || g->cat != keys[k - 1].cat) {
			struct akb_value *c = akb_list_push(akb_map_get(group, "categories"));
			akb_value_set_map(c);
			const struct akb_term *t = g->cat != SIZE_MAX ? &cat_tax->terms[g->cat] : NULL;
			akb_map_set_cstr(c, "name", t ? t->name : "General");
			if (t) {
				akb_buf_clear(&url);
				S_term_url(cat_tax, t, &url);
				akb_map_set_cstr(c, "url", url.ptr);
			}
			akb_map_set_number(c, "count", 0);
			cards = akb_map_set_list(c, "agents");
		}
		struct akb_value *cats = akb_map_get(group, "categories");
		struct akb_value *cat = &cats->u.list.items[cats->u.list.len - 1];
		struct akb_value *count = akb_map_get(cat, "count");
		/* A long group shows its first cards and links to the term page that lists them all. */
		const char *all_url = akb_map_get_cstr(cat, "url") ? akb_map_get_cstr(cat, "url")
								   : akb_map_get_cstr(group, "url");
		size_t cap = r->cfg->home_per_group;
		if (!cap || (size_t)count->u.number < cap || !all_url)
			akb_list_borrow(cards, &r->cards[g->agent]); /* disowned below */
		count->u.number += 1;
		akb_map_get(group, "count")->u.number += 1;
		if (cap && (size_t)count->u.number > cap && all_url) {
			struct akb_value *more = akb_map_get(cat, "more");
			if (!more) {
				more = akb_map_set_map(cat, "more");
				akb_map_set_cstr(more, "url", all_url);
				int own = akb_map_get_cstr(cat, "url") != NULL; /* else the department's page */
				akb_map_set_cstr(more, "name", own ? akb_map_get_cstr(cat, "name") : akb_map_get_cstr(group, "name"));
				akb_map_set_bool(more, "all", own);
			}
			akb_map_set_number(more, "total", count->u.number);
		}
	}
	/* Many groups (82 plugins): their jump links fold away, so the first cards show. */
	if (groups->u.list.len > JUMP_UNFOLDED && dept_tax) {
		akb_map_set_bool(&page, "many_groups", 1);
		akb_map_set_number(&page, "group_count", (double)groups->u.list.len);
		struct akb_buf label = AKB_BUF_INIT;
		for (const char *c = dept_tax->title; *c; c++)
			akb_buf_putc(&label, *c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
		akb_map_set_cstr(&page, "group_label", label.ptr);
		akb_buf_release(&label);
	}
	/* A group with no categories at all needs no "General" heading inside it. */
	for (size_t i = 0; i < groups->u.list.len; i++) {
		struct akb_value *cats = akb_map_get(&groups->u.list.items[i], "categories");
		if (cats->u.list.len == 1 && !akb_map_get_cstr(&cats->u.list.items[0], "url"))
			akb_map_set_cstr(&cats->u.list.items[0], "name", "");
	}
	S_emit(r, "index", &page, "index.html", 1, 1);
	for (size_t i = 0; i < groups->u.list.len; i++) {
		struct akb_value *cats = akb_map_get(&groups->u.list.items[i], "categories");
		for (size_t j = 0; j < cats->u.list.len; j++)
			akb_list_disown(akb_map_get(&cats->u.list.items[j], "agents"));
	}
	akb_buf_release(&url);
	free(keys);
	akb_value_release(&page);
}

/* What a taxonomy's index and its term pages share: the base, the taxonomy, its index's URL (`url`) in the nav. */
static void S_taxonomy_base(struct renderer *r, struct akb_value *page, const struct akb_taxonomy *tax,
			    const char *root, const char *title, const char *kind, const char *current,
			    struct akb_buf *url)
{
	S_page_base(r, page, root, title, kind);
	akb_buf_clear(url);
	akb_buf_printf(url, "%s/index.html", tax->path);
	S_nav_current(page, url->ptr, current);
	akb_map_set_cstr(page, "taxonomy", tax->title);
}

/* Where page `n` (from 1) of a term's list is: the term's folder, then page/N/ (Hugo's scheme). */
static void S_term_page_url(const struct akb_taxonomy *tax, const struct akb_term *term, size_t n, struct akb_buf *url)
{
	akb_buf_clear(url);
	akb_buf_printf(url, "%s/%s/", tax->path, term->slug);
	if (n > 1)
		akb_buf_printf(url, "page/%zu/", n);
	akb_buf_puts(url, "index.html");
}

/* How many pages a term's list takes (cfg paginate: cards per page, 0 for one page). */
static size_t S_term_pages(const struct renderer *r, const struct akb_term *term)
{
	size_t per = r->cfg->paginate;
	return per && term->count > per ? (term->count + per - 1) / per : 1;
}

/*
 * The pager of page `n` of `total`: previous and next, the first and last
 * pages, and the two either side of this one, with gaps where pages are
 * left out (so it stays one line however long the list).
 */
static void S_pager(const struct akb_taxonomy *tax, const struct akb_term *term, size_t n, size_t total,
		    size_t per, struct akb_value *page)
{
	struct akb_value *pager = akb_map_put(page, "pager");
	struct akb_buf url = AKB_BUF_INIT;
	akb_value_set_map(pager);
	akb_map_set_number(pager, "current", (double)n);
	akb_map_set_number(pager, "total", (double)total);
	akb_map_set_number(pager, "first", (double)((n - 1) * per + 1));
	size_t last = n * per < term->count ? n * per : term->count;
	akb_map_set_number(pager, "last", (double)last);
	akb_map_set_bool(pager, "one", last == (n - 1) * per + 1);
	if (n > 1) {
		S_term_page_url(tax, term, n - 1, &url);
		akb_map_set_cstr(pager, "prev_url", url.ptr);
	}
	if (n < total) {
		S_term_page_url(tax, term, n + 1, &url);
		akb_map_set_cstr(pager, "next_url", url.ptr);
	}
	struct akb_value *pages = akb_map_set_list(pager, "pages");
	/* A gap stands for two pages or more: where it would stand for one, that page is shown. */
	size_t lo = n > 5 ? n - 2 : 1, hi = n + 2 + 2 < total ? n + 2 : total, shown = 0;
	for (size_t i = 1; i <= total; i++) {
		if (i != 1 && i != total && (i < lo || i > hi))
			continue;
		struct akb_value *item;
		if (shown && i > shown + 1) {
			item = akb_list_push(pages);
			akb_value_set_map(item);
			akb_map_set_bool(item, "gap", 1);
			akb_map_set_bool(item, "current", 0); /* set either way: a missing key is looked up around it */
			akb_map_set_cstr(item, "url", "");
		}
		item = akb_list_push(pages);
		akb_value_set_map(item);
		S_term_page_url(tax, term, i, &url);
		akb_map_set_number(item, "number", (double)i);
		akb_map_set_cstr(item, "url", url.ptr);
		akb_map_set_bool(item, "current", i == n);
		akb_map_set_bool(item, "gap", 0);
		shown = i;
	}
	akb_buf_release(&url);
}

/* Page `n` (from 1) of a term's list of cards. */
static void S_render_term(struct renderer *r, const struct akb_taxonomy *tax, const struct akb_term *term, size_t n,
			  struct akb_buf *url)
{
	struct akb_value page = AKB_VALUE_NULL;
	size_t total = S_term_pages(r, term), per = total > 1 ? r->cfg->paginate : term->count;
	struct akb_buf title = AKB_BUF_INIT;
	akb_buf_puts(&title, term->name);
	if (n > 1)
		akb_buf_printf(&title, ", page %zu of %zu", n, total);
	S_taxonomy_base(r, &page, tax, n > 1 ? "../../../../" : "../../", title.ptr, "term_page", "true", url);
	akb_buf_release(&title);
	akb_map_set_cstr(&page, "taxonomy_url", url->ptr);
	S_map_printf(&page, "description", "%s: %s. %zu agent%s in %s.", tax->label, term->name, term->count,
		     term->count == 1 ? "" : "s", r->cfg->title);
	akb_map_set_cstr(&page, "term", term->name);
	akb_map_set_number(&page, "count", (double)term->count);
	if (total > 1)
		S_pager(tax, term, n, total, per, &page);
	struct akb_value *cards = akb_map_set_list(&page, "agents");
	size_t from = (n - 1) * per, to = from + per < term->count ? from + per : term->count;
	for (size_t j = from; j < to; j++)
		akb_list_borrow(cards, &r->cards[term->agents[j]]); /* read only, and shared by every page that lists it */
	S_term_page_url(tax, term, n, url);
	S_emit(r, "term", &page, url->ptr, 1, 1);
	akb_list_disown(cards);
	akb_value_release(&page);
}

/* A taxonomy's index: its terms with their counts. */
static void S_render_taxonomy_index(struct renderer *r, const struct akb_taxonomy *tax)
{
	struct akb_buf rel = AKB_BUF_INIT, url = AKB_BUF_INIT;
	struct akb_value page = AKB_VALUE_NULL;
	S_taxonomy_base(r, &page, tax, "../", tax->title, "taxonomy_page", "page", &rel);
	S_map_printf(&page, "description", "%s of %s, with the agents of each.", tax->title, r->cfg->title);
	struct akb_value *terms = akb_map_set_list(&page, "terms");
	for (size_t i = 0; i < tax->nterms; i++) {
		const struct akb_term *term = &tax->terms[i];
		struct akb_value *item = akb_list_push(terms);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "name", term->name);
		akb_buf_clear(&url);
		S_term_url(tax, term, &url);
		akb_map_set_cstr(item, "url", url.ptr);
		akb_map_set_number(item, "count", (double)term->count);
	}
	akb_map_set_number(&page, "count", (double)tax->nterms);
	S_emit(r, "taxonomy", &page, rel.ptr, 1, 1);
	akb_value_release(&page);
	akb_buf_release(&rel);
	akb_buf_release(&url);
}

/* One page of a taxonomy: page `n` of a term's list (term < nterms) or, after them, the taxonomy's index. */
struct taxonomy_page {
	const struct akb_taxonomy *tax;
	size_t term, n;
};

static void S_taxonomy_task(struct renderer *r, void *arg, size_t k)
{
	const struct taxonomy_page *p = (const struct taxonomy_page *)arg + k;
	if (p->term == p->tax->nterms) {
		S_render_taxonomy_index(r, p->tax);
		return;
	}
	struct akb_buf url = AKB_BUF_INIT;
	S_render_term(r, p->tax, &p->tax->terms[p->term], p->n, &url);
	akb_buf_release(&url);
}

static void S_render_taxonomies(struct renderer *r)
{
	size_t n = 0;
	for (size_t t = 0; t < r->site->ntaxonomies; t++) {
		const struct akb_taxonomy *tax = &r->site->taxonomies[t];
		n++;
		for (size_t i = 0; i < tax->nterms; i++)
			n += S_term_pages(r, &tax->terms[i]);
	}
	struct taxonomy_page *pages = akb_xcalloc(n + 1, sizeof(*pages));
	n = 0;
	for (size_t t = 0; t < r->site->ntaxonomies; t++) {
		const struct akb_taxonomy *tax = &r->site->taxonomies[t];
		for (size_t i = 0; i < tax->nterms; i++)
			for (size_t k = 1; k <= S_term_pages(r, &tax->terms[i]); k++)
				pages[n++] = (struct taxonomy_page){ tax, i, k };
		pages[n++] = (struct taxonomy_page){ tax, tax->nterms, 0 };
	}
	S_render_each(r, n, S_taxonomy_task, NULL, pages);
	free(pages);
}

/* Links in a hook page's markdown are relative to the site root, wherever the page lives. */
static enum akb_link_action S_resolve_page_link(void *ctx, const char *url, struct akb_buf *out)
{
	const char *root = ctx;
	if (url[0] == '#' || url[0] == '/' || strchr(url, ':'))
		return AKB_LINK_KEEP;
	size_t path_len = strcspn(url, "?#");
	akb_buf_puts(out, root);
	akb_buf_put(out, url, path_len);
	if (path_len && url[path_len - 1] == '/')
		akb_buf_puts(out, "index.html");
	akb_buf_puts(out, url + path_len);
	return AKB_LINK_REWRITE;
}

/* Pages hooks added: markdown in the theme's "page" template, or a template of their own with data. */
static void S_render_pages(struct renderer *r)
{
	struct akb_buf root = AKB_BUF_INIT, name = AKB_BUF_INIT, src = AKB_BUF_INIT;
	for (size_t i = 0; i < r->site->npages && !r->failed; i++) {
		const struct akb_site_page *p = &r->site->pages[i];
		akb_buf_clear(&root);
		for (const char *c = p->path; *c; c++)
			if (*c == '/')
				akb_buf_puts(&root, "../");
		struct akb_value page = AKB_VALUE_NULL;
		S_page_base(r, &page, root.ptr, p->title, "custom_page");
		S_nav_current(&page, p->path, "page");
		S_map_printf(&page, "description", "%s: %s.", r->cfg->title, p->title);
		akb_value_copy(akb_map_put(&page, "data"), &p->data);
		if (p->markdown) {
			struct akb_markdown_options mo = { 0 };
			mo.code = r->opts ? r->opts->code : NULL;
			mo.code_ctx = r->opts ? r->opts->code_ctx : NULL;
			mo.path = p->origin;
			mo.first_line = 1;
			mo.link = S_resolve_page_link;
			mo.link_ctx = root.ptr;
			struct akb_markdown_doc doc;
			akb_markdown_render(p->markdown, strlen(p->markdown), &mo, &doc, r->diag);
			size_t len;
			char *html = akb_buf_detach(&doc.html, &len);
			akb_value_take_string(akb_map_put(&page, "page_html"), html, len);
			akb_markdown_doc_release(&doc);
		}
		const char *tpl = p->template_name ? p->template_name : "page";
		if (p->template_file) {
			/* A template shipped with the hooks, at a path under the site root. */
			akb_buf_clear(&src);
			akb_buf_clear(&name);
			if (strcmp(r->cfg->root, ".") && p->template_file[0] != '/')
				akb_buf_printf(&name, "%s/", r->cfg->root);
			akb_buf_puts(&name, p->template_file);
			if (akb_buf_read_file(&src, name.ptr) != 0) {
				akb_error(r->diag, p->origin, 0, 0, "cannot read template '%s' of page '%s'", name.ptr,
					  p->path);
				r->failed = 1;
				akb_value_release(&page);
				break;
			}
			akb_buf_clear(&name);
			akb_buf_printf(&name, "hook-page:%s", p->template_file);
			akb_tpl_set_add(r->tpl, name.ptr, src.ptr, src.len);
			tpl = name.ptr;
		}
		if (akb_tpl_set_compile(r->tpl, tpl, r->diag) != 0) {
			akb_diag_add(r->diag, AKB_NOTE, p->origin, 0, 0, "for the page '%s' a hook added", p->path);
			r->failed = 1;
		} else {
			S_emit(r, tpl, &page, p->path, 1, 0); /* its template may be a file of its own */
		}
		akb_value_release(&page);
	}
	akb_buf_release(&root);
	akb_buf_release(&name);
	akb_buf_release(&src);
}

/* graph/index.html: the agents that name other agents, as a picture laid out at build time. */
static void S_render_graph(struct renderer *r)
{
	if (!r->graph.nedges)
		return;
	struct akb_value page = AKB_VALUE_NULL;
	S_page_base(r, &page, "../", "Agent graph", "graph_page");
	S_nav_current(&page, "graph/index.html", "page");
	size_t placed = 0;
	for (size_t i = 0; i < r->site->nagents; i++)
		placed += r->graph.placed[i];
	S_map_printf(&page, "description", "%zu agents of %s that name one another, and how.", placed, r->cfg->title);
	akb_map_set_number(&page, "nodes", (double)placed);
	akb_map_set_number(&page, "edges", (double)r->graph.nedges);
	struct akb_buf svg = AKB_BUF_INIT;
	akb_graph_svg(r->site, &r->graph, "../", &svg);
	size_t len;
	char *html = akb_buf_detach(&svg, &len);
	akb_value_take_string(akb_map_put(&page, "svg"), html, len);
	/* The collections drawn, for the filter. */
	const struct akb_taxonomy *coll = akb_site_taxonomy(r->site, "collection");
	struct akb_value *cols = akb_map_set_list(&page, "collections");
	for (size_t t = 0; coll && t < coll->nterms; t++) {
		size_t n = 0;
		for (size_t j = 0; j < coll->terms[t].count; j++)
			n += r->graph.placed[coll->terms[t].agents[j]];
		if (!n)
			continue;
		struct akb_value *c = akb_list_push(cols);
		akb_value_set_map(c);
		akb_map_set_cstr(c, "name", coll->terms[t].name);
		akb_map_set_number(c, "count", (double)n);
	}
	S_emit(r, "graph", &page, "graph/index.html", 1, 1);
	akb_value_release(&page);
}

static void S_render_404(struct renderer *r)
{
	struct akb_value page = AKB_VALUE_NULL;
	/* Hosts serve 404.html at any depth; only an absolute base works everywhere. */
	struct akb_buf root = AKB_BUF_INIT;
	if (*r->cfg->base_url) {
		akb_buf_puts(&root, r->cfg->base_url);
		if (root.ptr[root.len - 1] != '/')
			akb_buf_putc(&root, '/');
	}
	S_page_base(r, &page, root.ptr, "Page not found", "not_found_page");
	akb_map_set_cstr(&page, "description", "There is no page at this address.");
	S_emit(r, "404", &page, "404.html", 0, 1);
	akb_value_release(&page);
	akb_buf_release(&root);
}

int akb_render_site(const struct akb_site *site, const struct akb_config *cfg, struct akb_tpl_set *tpl,
		    const struct akb_render_options *opts, struct akb_output *out, struct akb_render_stats *stats,
		    struct akb_diag *diag)
{
	struct renderer r = { 0 };
	r.site = site;
	r.cfg = cfg;
	r.tpl = tpl;
	r.opts = opts;
	r.out = out;
	r.diag = diag;
	r.stats = stats;
	memset(stats, 0, sizeof(*stats));

	akb_value_set_map(&r.site_value);
	akb_map_set_cstr(&r.site_value, "title", cfg->title);
	akb_map_set_cstr(&r.site_value, "description", cfg->description);
	akb_map_set_cstr(&r.site_value, "language", cfg->language);
	akb_map_set_cstr(&r.site_value, "base_url", cfg->base_url);
	akb_map_set_number(&r.site_value, "agent_count", (double)site->norder);
	akb_value_set_list(&r.nav);
	for (size_t t = 0; t < site->ntaxonomies; t++) {
		if (!site->taxonomies[t].nterms)
			continue; /* no agent has it: nothing to browse */
		struct akb_value *item = akb_list_push(&r.nav);
		struct akb_buf url = AKB_BUF_INIT;
		akb_value_set_map(item);
		akb_map_set_cstr(item, "title", site->taxonomies[t].title);
		akb_buf_printf(&url, "%s/index.html", site->taxonomies[t].path);
		akb_map_set_cstr(item, "url", url.ptr);
		akb_buf_release(&url);
	}
	akb_graph_build(site, opts ? opts->jobs : 1, &r.graph);
	S_index_edges(&r);
	akb_related_build(site, opts ? opts->jobs : 1, &r.related);
	if (r.graph.nedges) {
		akb_graph_layout(site, &r.graph);
		struct akb_value *item = akb_list_push(&r.nav);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "title", "Graph");
		akb_map_set_cstr(item, "url", "graph/index.html");
	}
	for (size_t i = 0; i < site->npages; i++) {
		if (!site->pages[i].nav)
			continue;
		struct akb_value *item = akb_list_push(&r.nav);
		akb_value_set_map(item);
		akb_map_set_cstr(item, "title", site->pages[i].title);
		akb_map_set_cstr(item, "url", site->pages[i].path);
	}

	akb_strmap_init(&r.by_source);
	struct akb_buf links = AKB_BUF_INIT;
	for (size_t k = 0; k < site->norder; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		akb_strmap_set(&r.by_source, a->rel, site->order[k]);
		if (opts && opts->page_cache)
			akb_buf_printf(&links, "%s\n%s\n", a->rel, a->slug);
	}
	r.links_digest = akb_digest(links.ptr, links.len);
	akb_buf_release(&links);
	r.cards = akb_xcalloc(site->nagents + 1, sizeof(struct akb_value));
	if (opts && opts->rendered)
		S_rendered_init(opts->rendered, site->nagents);
	S_find_namesakes(&r);
	S_find_copies(&r);
	akb_strmap_init(&r.card_of);
	if (S_caching(&r))
		r.card_digest = akb_xcalloc(site->nagents + 1, sizeof(uint64_t));
	akb_parallel_for(site->norder, opts && opts->jobs ? opts->jobs : 1, S_card_task, &r);
	S_index_cards(&r);

	const char *templates[] = { "index", "agent", "taxonomy", "term", "404", "graph", NULL };
	for (int i = 0; templates[i]; i++)
		if (akb_tpl_set_compile(tpl, templates[i], diag) != 0)
			r.failed = 1;
	if (!r.failed) {
		S_render_index(&r);
		/* The term pages list the cards; the agent pages each make their own. The cards are gone
		 * before the agent pages' search documents pile up in the index, so the two never add up. */
		r.hold_listed = opts && opts->rendered;
		S_render_taxonomies(&r);
		for (size_t i = 0; i < site->nagents; i++)
			akb_value_release(&r.cards[i]);
		akb_strmap_release(&r.card_of); /* the addresses are free for other values now */
		free(r.card_digest);
		r.card_digest = NULL;
		S_render_agents(&r);
		S_list_held(&r);
		S_render_pages(&r);
		S_render_graph(&r);
		S_render_404(&r);
	}

	for (size_t i = 0; i < site->nagents; i++)
		akb_value_release(&r.cards[i]);
	free(r.cards);
	free(r.card_digest);
	akb_strmap_release(&r.card_of);
	free(r.namesake);
	free(r.first_copy);
	free(r.next_copy);
	free(r.edges_at);
	free(r.edge_list);
	S_list_held(&r);
	akb_graph_release(&r.graph);
	akb_related_release(&r.related);
	akb_strmap_release(&r.by_source);
	akb_value_release(&r.site_value);
	akb_value_release(&r.nav);
	return r.failed ? -1 : 0;
}
