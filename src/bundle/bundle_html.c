/*
 * bundle_html: the single-file bundle. Reads a built site folder and writes
 * one HTML page that holds all of it (see bundle.h):
 *
 *  - the shell: index.html with its <main> emptied; stylesheets become
 *    <style>, the icon a data: URL, scripts are inlined at the end of the
 *    body (minified), other <link>s are dropped so nothing is fetched;
 *  - the page data: each page's <main> content with its links rewritten to
 *    fragment routes (#/agents/x/, #/agents/x/#heading), its title and body
 *    class. HTML elements that occur on several pages (cards on the home and
 *    term pages) are stored once as fragments. JSON, gzip, base64;
 *  - the lazy data: the search index files and the files pages link to
 *    (agents.json, raw .md files that no <template> on their page already
 *    holds), decompressed on first use;
 *  - the runtime (src/bundle_runtime.js): routing, page rendering,
 *    downloads, and window.__akbInline for search.js's file loader.
 *
 * Everything here is generic HTML post-processing: the only things it
 * expects of a theme are a <main> element per page and relative links.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agentkb/archive.h"
#include "agentkb/bundle.h"
#include "agentkb/html.h"
#include "agentkb/json.h"
#include "agentkb/minify.h"
#include "agentkb/strmap.h"
#include "agentkb/url.h"
#include "agentkb/utf8.h"

extern const char akb_bundle_runtime_js[]; /* generated from src/bundle_runtime.js */

/* Elements shorter than this are not worth a fragment reference. */
#define S_MIN_FRAGMENT 64
/*
 * Pages' data per compressed block, before compression: small enough that a
 * page shows after decompressing little more than itself, large enough that
 * compression across pages is kept (its window is only 32 KB anyway).
 */
#define S_CHUNK (256 * 1024)

struct page {
	const char *path;      /* site path: "agents/x/index.html" (points into paths[]) */
	char *route;           /* "agents/x/": the path without its final index.html */
	char *dir;             /* its folder, "agents/x/" ("" at the root) */
	struct akb_buf file;   /* the whole file */
	size_t main_open;      /* end of the <main ...> start tag */
	size_t main_close;     /* start of the matching </main> */
	char *title;           /* <title>, entities decoded */
	char *body_class;      /* class of <body>, entities decoded */
	struct akb_buf content; /* <main>'s content, links rewritten */
	struct span *spans;    /* elements of content, for fragments */
	size_t nspans;
};

struct span {
	size_t start, end; /* s[start, end) in the page's content */
};

/* The fragment table: distinct element texts, how often they occur, and their fragment id once stored. */
struct frag {
	size_t count; /* occurrences in all pages */
	size_t uses;  /* references in the data as planned */
	long id;      /* index in the stored fragments, once used; -1 before */
	int banned;   /* kept inline: it would have been referenced only once */
};

struct attachment {
	char *path;   /* site path */
	size_t page;  /* the first page linking it */
	char *tpl;    /* id of a <template> on that page holding exactly its text, or NULL */
};

struct packer {
	const char *dir;
	const char *const *paths;
	size_t npaths;
	struct akb_strmap files; /* site path -> index in paths */
	struct akb_strmap by_path; /* page path -> index in pages */
	struct page *pages;
	size_t npages;
	struct attachment *att;
	size_t natt, catt;
	struct akb_strmap att_by_path;
	struct frag *frags; /* by index of the text in frag_index */
	size_t nfrags, cfrags;
	struct akb_strmap frag_index; /* text (borrowed from the pages' content) -> index in frags */
	size_t nfrag_ids;
	struct akb_buf *frag_json; /* per fragment id: its parts as JSON */
	size_t cfrag_json;
	struct akb_diag *diag;
	size_t current; /* page being rewritten (for attachments) */
};

/* ---- small helpers ---- */

static int S_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

static const char *S_mime(const char *path)
{
	static const char *const map[][2] = {
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" },   { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },   { ".gif", "image/gif" },   { ".webp", "image/webp" },
		{ ".ico", "image/x-icon" },  { ".css", "text/css" },    { ".js", "text/javascript" },
		{ ".json", "application/json" }, { ".md", "text/markdown" }, { ".txt", "text/plain" },
		{ NULL, NULL },
	};
	for (int i = 0; map[i][0]; i++)
		if (S_ends_with(path, map[i][0]))
			return map[i][1];
	return "application/octet-stream";
}

static int S_read(struct packer *pk, const char *rel, struct akb_buf *out)
{
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/%s", pk->dir, rel);
	int rc = akb_buf_read_file(out, p.ptr);
	if (rc)
		akb_error(pk->diag, p.ptr, 0, 0, "unable to read: %s", strerror(errno));
	akb_buf_release(&p);
	return rc;
}

/*
 * Appends s[0..len) with every case-insensitive "</tag" turned into
 * "<\/tag", so inlined code cannot close its <script> or <style> early.
 * In JS and CSS "\/" means "/" wherever such text can legally occur.
 */
static void S_put_raw_text(struct akb_buf *out, const char *s, size_t len, const char *tag)
{
	size_t t = strlen(tag), start = 0;
	for (size_t i = 0; i + 2 + t <= len; i++) {
		if (s[i] != '<' || s[i + 1] != '/' || !akb_html_name_is(s + i + 2, t, tag))
			continue;
		akb_buf_put(out, s + start, i + 1 - start);
		akb_buf_putc(out, '\\');
		start = i + 1;
	}
	akb_buf_put(out, s + start, len - start);
}

/* ---- pages ---- */

/* Finds <main>, <title> and <body class> of a page. Returns 0, or -1 when it has no <main>. */
static int S_parse_page(struct page *pg)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	akb_html_scan_init(&sc, pg->file.ptr, pg->file.len);
	int depth = 0, in_title = 0, found = 0;
	struct akb_buf tmp = AKB_BUF_INIT;
	while (akb_html_scan_next(&sc, &t)) {
		const char *s = pg->file.ptr;
		if (t.kind == AKB_HTML_TEXT && in_title && !pg->title) {
			akb_buf_clear(&tmp);
			akb_html_unescape(&tmp, s + t.start, t.end - t.start);
			pg->title = akb_xstrdup(tmp.ptr);
		}
		in_title = t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "title");
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "body") && !pg->body_class) {
			struct akb_html_attr a;
			akb_buf_clear(&tmp);
			if (akb_html_attr_find(s, &t, "class", &a))
				akb_html_unescape(&tmp, s + a.value, a.value_end - a.value);
			pg->body_class = akb_xstrdup(tmp.ptr);
		}
		if (found == 2)
			continue;
		if (akb_html_name_is(t.name, t.name_len, "main")) {
			if (t.kind == AKB_HTML_START && !t.self_closing) {
				if (depth++ == 0 && !found) {
					pg->main_open = t.end;
					found = 1;
				}
			} else if (t.kind == AKB_HTML_END && depth > 0 && --depth == 0) {
				pg->main_close = t.start;
				found = 2;
			}
		}
	}
	akb_buf_release(&tmp);
	if (!pg->title)
		pg->title = akb_xstrdup("");
	if (!pg->body_class)
		pg->body_class = akb_xstrdup("");
	return found == 2 ? 0 : -1;
}

static char *S_route_of(const char *path)
{
	size_t n = strlen(path);
	if (!strcmp(path, "index.html"))
		return akb_xstrdup("");
	if (S_ends_with(path, "/index.html"))
		return akb_xstrndup(path, n - strlen("index.html"));
	return akb_xstrdup(path);
}

/* ---- links ---- */

enum link {
	LINK_EXTERNAL, /* another host, another scheme, or a host-absolute path */
	LINK_HERE,     /* this page ("#x", "", "?q=x") */
	LINK_SITE,     /* a path inside the site */
};

static enum link S_classify(const char *v, size_t n)
{
	if (n && v[0] == '/')
		return LINK_EXTERNAL; /* "//host/x" or "/x": not relative to the site */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ':' && i > 0)
			return LINK_EXTERNAL;
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			break;
	}
	return LINK_SITE;
}

/*
 * Resolves a link (entities already decoded) found on a page in folder
 * `dir`. For LINK_SITE, `path` gets the site path (percent-decoded, "." and
 * ".." resolved, query dropped); for LINK_SITE and LINK_HERE `frag` gets the
 * fragment as written (without '#').
 */
static enum link S_resolve(const char *dir, const char *v, size_t n, struct akb_buf *path, struct akb_buf *frag)
{
	akb_buf_clear(path);
	akb_buf_clear(frag);
	while (n && (*v == ' ' || *v == '\t' || *v == '\n'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n'))
		n--;
	if (S_classify(v, n) == LINK_EXTERNAL)
		return LINK_EXTERNAL;
	const char *hash = memchr(v, '#', n);
	size_t plen = hash ? (size_t)(hash - v) : n;
	if (hash)
		akb_buf_put(frag, hash + 1, n - plen - 1);
	const char *q = memchr(v, '?', plen);
	if (q)
		plen = (size_t)(q - v);
	if (!plen)
		return LINK_HERE;
	struct akb_buf joined = AKB_BUF_INIT;
	akb_buf_puts(&joined, dir);
	akb_url_decode(&joined, v, plen);
	/* Segments, with "." dropped and ".." taking one back (never above the site root). */
	const char *s = joined.ptr;
	size_t i = 0;
	while (i <= joined.len) {
		size_t e = i;
		while (e < joined.len && s[e] != '/')
			e++;
		size_t seg = e - i;
		int last = e >= joined.len;
		if (seg == 1 && s[i] == '.') {
			/* nothing */
		} else if (seg == 2 && s[i] == '.' && s[i + 1] == '.') {
			if (path->len) {
				size_t k = path->len - 1;
				while (k > 0 && path->ptr[k - 1] != '/')
					k--;
				akb_buf_truncate(path, k);
			}
		} else if (seg) {
			akb_buf_put(path, s + i, seg);
			if (!last)
				akb_buf_putc(path, '/');
		}
		if (last)
			break;
		i = e + 1;
	}
	akb_buf_release(&joined);
	return LINK_SITE;
}

/* Appends a route for a URL fragment: the characters a fragment cannot hold as such are percent-encoded. */
static void S_put_route(struct akb_buf *out, const char *r)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c <= 0x20 || c == 0x7F || strchr("%#?\"'<>`", c))
			akb_buf_printf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
		else
			akb_buf_putc(out, (char)c);
	}
}

static size_t S_attachment(struct packer *pk, const char *path)
{
	size_t idx;
	if (akb_strmap_get(&pk->att_by_path, path, &idx))
		return idx;
	if (pk->natt == pk->catt) {
		pk->catt = pk->catt ? pk->catt * 2 : 16;
		pk->att = akb_xrealloc(pk->att, akb_xmul(pk->catt, sizeof(*pk->att)));
	}
	pk->att[pk->natt] = (struct attachment){ akb_xstrdup(path), pk->current, NULL };
	akb_strmap_set(&pk->att_by_path, path, pk->natt);
	return pk->natt++;
}

/* "agents/<slug>/files/...": a file that came with a skill (attach.h), not a page of the site. */
static int S_is_attached_file(const char *path)
{
	if (strncmp(path, "agents/", 7))
		return 0;
	const char *slash = strchr(path + 7, '/');
	return slash && !strncmp(slash, "/files/", 7);
}

/*
 * The href a site link gets in the bundle: "#/" + the route of the page it
 * names (a folder or an index.html), or of the file; a file that is not a
 * page is carried along as an attachment. Unknown paths keep their route
 * and show the 404 page.
 */
static void S_site_href(struct packer *pk, const struct akb_buf *path, const struct akb_buf *frag, struct akb_buf *href)
{
	struct akb_buf tmp = AKB_BUF_INIT;
	size_t idx;
	const char *route = NULL;
	akb_buf_puts(&tmp, path->ptr);
	if (!tmp.len || tmp.ptr[tmp.len - 1] == '/')
		akb_buf_puts(&tmp, "index.html");
	if (akb_strmap_get(&pk->by_path, tmp.ptr, &idx)) {
		route = pk->pages[idx].route;
	} else {
		akb_buf_clear(&tmp);
		akb_buf_printf(&tmp, "%s/index.html", path->ptr);
		if (path->len && akb_strmap_get(&pk->by_path, tmp.ptr, &idx))
			route = pk->pages[idx].route;
		else if (akb_strmap_get(&pk->files, path->ptr, &idx))
			S_attachment(pk, path->ptr); /* not a page: a raw file, or a skill's HTML asset */
	}
	akb_buf_puts(href, "#/");
	S_put_route(href, route ? route : path->ptr);
	if (frag->len) {
		akb_buf_putc(href, '#');
		akb_buf_put(href, frag->ptr, frag->len);
	}
	akb_buf_release(&tmp);
}

/* A data: URL with the contents of a site file. Returns 0, or -1 if it cannot be read. */
static int S_data_url(struct packer *pk, const char *path, struct akb_buf *out)
{
	struct akb_buf data = AKB_BUF_INIT;
	if (S_read(pk, path, &data) != 0) {
		akb_buf_release(&data);
		return -1;
	}
	akb_buf_printf(out, "data:%s;base64,", S_mime(path));
	akb_buf_put_base64(out, data.ptr, data.len);
	akb_buf_release(&data);
	return 0;
}

static void S_put_attr(struct akb_buf *out, const char *name, const char *value)
{
	akb_buf_printf(out, "%s=\"", name);
	akb_buf_put_html(out, value, strlen(value));
	akb_buf_putc(out, '"');
}

/*
 * Appends the START tag `t` of `s` with its links rewritten for the bundle:
 * href and action become routes; src of a site file becomes a data: URL,
 * and any other src, srcset or poster is renamed data-akb-* so that nothing
 * is fetched; data-root (the theme's "path to the site root") becomes "#/".
 * `dir` is the page's folder and `route` its route; `shell` keeps bare
 * "#x" links as they are (they point into whatever page is shown).
 */
static void S_put_tag(struct packer *pk, const char *s, const struct akb_html_token *t, const char *dir,
		      const char *route, int shell, struct akb_buf *out)
{
	struct akb_buf val = AKB_BUF_INIT, path = AKB_BUF_INIT, frag = AKB_BUF_INIT, href = AKB_BUF_INIT;
	size_t last = t->start, pos = t->attrs;
	struct akb_html_attr a;
	while (akb_html_attr_next(s, t, &pos, &a)) {
		int is_href = akb_html_name_is(a.name, a.name_len, "href") || akb_html_name_is(a.name, a.name_len, "action");
		int is_src = akb_html_name_is(a.name, a.name_len, "src");
		int is_other = akb_html_name_is(a.name, a.name_len, "srcset") ||
			       akb_html_name_is(a.name, a.name_len, "poster");
		int is_root = akb_html_name_is(a.name, a.name_len, "data-root");
		if (!a.has_value || !(is_href || is_src || is_other || is_root))
			continue;
		size_t name_off = (size_t)(a.name - s);
		akb_buf_clear(&val);
		akb_html_unescape(&val, s + a.value, a.value_end - a.value);
		akb_buf_clear(&href);
		enum link k = S_resolve(dir, val.ptr, val.len, &path, &frag);
		if (is_root) {
			akb_buf_put(out, s + last, name_off - last);
			S_put_attr(out, "data-root", "#/");
		} else if (is_href) {
			if (k == LINK_EXTERNAL || (k == LINK_HERE && shell && frag.len))
				continue;
			if (k == LINK_HERE) {
				akb_buf_puts(&href, "#/");
				S_put_route(&href, route);
				if (frag.len) {
					akb_buf_putc(&href, '#');
					akb_buf_put(&href, frag.ptr, frag.len);
				}
			} else {
				S_site_href(pk, &path, &frag, &href);
			}
			akb_buf_put(out, s + last, name_off - last);
			akb_buf_put(out, a.name, a.name_len);
			akb_buf_puts(out, "=\"");
			akb_buf_put_html(out, href.ptr, href.len);
			akb_buf_putc(out, '"');
		} else {
			size_t idx;
			if (is_src && k == LINK_EXTERNAL && !strncmp(val.ptr, "data:", 5))
				continue;
			akb_buf_put(out, s + last, name_off - last);
			if (is_src && k == LINK_SITE && akb_strmap_get(&pk->files, path.ptr, &idx) &&
			    S_data_url(pk, path.ptr, &href) == 0) {
				S_put_attr(out, "src", href.ptr);
			} else {
				akb_buf_puts(out, "data-akb-");
				akb_buf_put(out, a.name, a.name_len);
				akb_buf_puts(out, "=\"");
				akb_buf_put_html(out, val.ptr, val.len);
				akb_buf_putc(out, '"');
			}
		}
		last = a.end;
	}
	akb_buf_put(out, s + last, t->end - last);
	akb_buf_release(&val);
	akb_buf_release(&path);
	akb_buf_release(&frag);
	akb_buf_release(&href);
}

/* Appends s[0..len) (part of a page in `dir`) with every tag's links rewritten. */
static void S_rewrite(struct packer *pk, const char *s, size_t len, const char *dir, const char *route,
		      struct akb_buf *out)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	akb_html_scan_init(&sc, s, len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.kind == AKB_HTML_START)
			S_put_tag(pk, s, &t, dir, route, 0, out);
		else
			akb_buf_put(out, s + t.start, t.end - t.start);
	}
}

/* ---- fragments: elements that several pages share, stored once ---- */

/* The index of the text p[0..len) in frags, added (count 0) if new. */
static size_t S_frag_slot(struct packer *pk, const char *p, size_t len)
{
	int added;
	size_t i = akb_strmap_add(&pk->frag_index, p, len, pk->nfrags, &added);
	if (added) {
		if (pk->nfrags == pk->cfrags) {
			pk->cfrags = pk->cfrags ? pk->cfrags * 2 : 1024;
			pk->frags = akb_xrealloc(pk->frags, akb_xmul(pk->cfrags, sizeof(*pk->frags)));
		}
		pk->frags[pk->nfrags++] = (struct frag){ 0, 0, -1, 0 };
	}
	return i;
}

static int S_by_start(const void *x, const void *y)
{
	const struct span *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

/*
 * The elements of a page's content long enough to share, with matching end
 * tags (a mismatched end tag closes what it skipped without recording it).
 * A span only ever stands for its exact bytes, so a parse that is wrong
 * about the structure costs sharing, never correctness.
 */
static void S_collect_spans(struct page *pg)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	const char *s = pg->content.ptr;
	struct {
		const char *name;
		size_t len, start;
	} *stack = NULL;
	size_t depth = 0, cap = 0, cspans = 0;
	akb_html_scan_init(&sc, s, pg->content.len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.kind == AKB_HTML_START && !t.self_closing && !akb_html_is_void(t.name, t.name_len)) {
			if (depth == cap) {
				cap = cap ? cap * 2 : 32;
				stack = akb_xrealloc(stack, akb_xmul(cap, sizeof(*stack)));
			}
			stack[depth].name = t.name;
			stack[depth].len = t.name_len;
			stack[depth++].start = t.start;
		} else if (t.kind == AKB_HTML_END) {
			size_t k = depth;
			while (k > 0 && !(stack[k - 1].len == t.name_len &&
					  !strncasecmp(stack[k - 1].name, t.name, t.name_len)))
				k--;
			if (!k)
				continue;
			depth = k - 1;
			if (t.end - stack[depth].start < S_MIN_FRAGMENT)
				continue;
			if (pg->nspans == cspans) {
				cspans = cspans ? cspans * 2 : 64;
				pg->spans = akb_xrealloc(pg->spans, akb_xmul(cspans, sizeof(*pg->spans)));
			}
			pg->spans[pg->nspans++] = (struct span){ stack[depth].start, t.end };
		}
	}
	free(stack);
	qsort(pg->spans, pg->nspans, sizeof(*pg->spans), S_by_start);
}

/*
 * Appends s[from, to) of a page's content as a JSON array of parts: strings,
 * and the numbers of fragments (elements found more than once in the
 * site), outermost first; *k walks the page's spans, which nest. A
 * fragment's own parts are stored once, when it is first used, and may
 * refer to smaller fragments. With json == NULL nothing is written, only
 * `uses` counted: the plan that akb_bundle_html checks before writing.
 */
static void S_parts(struct packer *pk, const struct page *pg, size_t *k, size_t from, size_t to, struct akb_buf *json)
{
	const char *s = pg->content.ptr;
	size_t cur = from, n = 0;
	if (json)
		akb_buf_putc(json, '[');
	while (*k < pg->nspans && pg->spans[*k].start < to) {
		const struct span sp = pg->spans[(*k)++];
		if (sp.start < cur || sp.end > to || (sp.start == from && sp.end == to))
			continue;
		size_t slot = S_frag_slot(pk, s + sp.start, sp.end - sp.start);
		struct frag *f = &pk->frags[slot];
		if (f->count < 2 || f->banned)
			continue; /* kept inline; the spans inside it come next */
		if (f->id < 0) {
			long id = f->id = (long)pk->nfrag_ids++;
			size_t inner = *k;
			/* Into a buffer of its own: the recursion may grow (move) frag_json. */
			struct akb_buf own = AKB_BUF_INIT;
			S_parts(pk, pg, &inner, sp.start, sp.end, json ? &own : NULL);
			if (json) {
				if ((size_t)id >= pk->cfrag_json) {
					size_t cap = pk->cfrag_json ? pk->cfrag_json * 2 : 256;
					while (cap <= (size_t)id)
						cap *= 2;
					pk->frag_json = akb_xrealloc(pk->frag_json, akb_xmul(cap, sizeof(struct akb_buf)));
					for (size_t j = pk->cfrag_json; j < cap; j++)
						akb_buf_init(&pk->frag_json[j]);
					pk->cfrag_json = cap;
				}
				pk->frag_json[id] = own;
			}
			f = &pk->frags[slot];
		}
		while (*k < pg->nspans && pg->spans[*k].start < sp.end)
			(*k)++;
		f->uses++;
		if (json) {
			if (sp.start > cur) {
				akb_buf_puts(json, n++ ? "," : "");
				akb_json_string(json, s + cur, sp.start - cur);
			}
			akb_buf_printf(json, "%s%ld", n++ ? "," : "", f->id);
		}
		cur = sp.end;
	}
	if (json) {
		if (cur < to || !n) {
			akb_buf_puts(json, n ? "," : "");
			akb_json_string(json, s + cur, to - cur);
		}
		akb_buf_putc(json, ']');
	}
}

/*
 * Plans which fragments to store: an element seen twice may still end up
 * referenced once (its other occurrence lies inside a bigger fragment);
 * such ones are kept inline, and the plan redone until every stored
 * fragment is referenced at least twice.
 */
static void S_plan_fragments(struct packer *pk)
{
	for (int changed = 1; changed;) {
		for (size_t j = 0; j < pk->nfrags; j++) {
			pk->frags[j].uses = 0;
			pk->frags[j].id = -1;
		}
		pk->nfrag_ids = 0;
		for (size_t i = 0; i < pk->npages; i++) {
			size_t k = 0;
			S_parts(pk, &pk->pages[i], &k, 0, pk->pages[i].content.len, NULL);
		}
		changed = 0;
		for (size_t j = 0; j < pk->nfrags; j++)
			if (pk->frags[j].id >= 0 && pk->frags[j].uses < 2) {
				pk->frags[j].banned = 1;
				changed = 1;
			}
	}
	for (size_t j = 0; j < pk->nfrags; j++)
		pk->frags[j].id = -1;
	pk->nfrag_ids = 0;
}

/* ---- attachments ---- */

/*
 * Does the page hold the file's exact text in a <template id=...>? Agent
 * pages keep the raw agent file there for the copy button; the download
 * then needs no second copy. The text must survive HTML parsing unchanged
 * (no CR, no NUL), as the browser reads it back from the parsed template.
 */
static char *S_template_holding(const struct page *pg, const struct akb_buf *data)
{
	if (memchr(data->ptr, '\r', data->len) || memchr(data->ptr, '\0', data->len) ||
	    !akb_utf8_valid(data->ptr, data->len))
		return NULL;
	struct akb_html_scanner sc;
	struct akb_html_token t;
	const char *s = pg->content.ptr;
	struct akb_buf text = AKB_BUF_INIT, id = AKB_BUF_INIT;
	char *found = NULL;
	akb_html_scan_init(&sc, s, pg->content.len);
	while (!found && akb_html_scan_next(&sc, &t)) {
		struct akb_html_attr a;
		if (t.kind != AKB_HTML_START || !akb_html_name_is(t.name, t.name_len, "template") ||
		    !akb_html_attr_find(s, &t, "id", &a))
			continue;
		akb_buf_clear(&id);
		akb_html_unescape(&id, s + a.value, a.value_end - a.value);
		akb_buf_clear(&text);
		struct akb_html_token u;
		int plain = 1;
		while (akb_html_scan_next(&sc, &u)) {
			if (u.kind == AKB_HTML_END && akb_html_name_is(u.name, u.name_len, "template"))
				break;
			if (u.kind != AKB_HTML_TEXT)
				plain = 0;
			akb_html_unescape(&text, s + u.start, u.end - u.start);
		}
		if (plain && text.len == data->len && !memcmp(text.ptr, data->ptr, data->len))
			found = akb_xstrdup(id.ptr);
	}
	akb_buf_release(&text);
	akb_buf_release(&id);
	return found;
}

/* Appends a file as a JSON value: a string when it is UTF-8 text, else {"b64": "..."}. */
static void S_file_json(struct akb_buf *out, const struct akb_buf *data)
{
	if (akb_utf8_valid(data->ptr, data->len) && !memchr(data->ptr, '\0', data->len)) {
		akb_json_string(out, data->ptr, data->len);
		return;
	}
	akb_buf_puts(out, "{\"b64\":\"");
	akb_buf_put_base64(out, data->ptr, data->len);
	akb_buf_puts(out, "\"}");
}

/* ---- the shell ---- */

struct script {
	char *path;         /* site path of the script */
	struct akb_buf tag; /* "<script" + its other attributes + ">" */
};

/* Does a rel attribute's value contain the word `w`? */
static int S_rel_has(const char *rel, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = rel; (p = strstr(p, w)) != NULL; p += n) {
		int before = p == rel || p[-1] == ' ', after = p[n] == '\0' || p[n] == ' ';
		if (before && after)
			return 1;
	}
	return 0;
}

/* Minified, escaped contents of a site file for an inline <style> or <script>. */
static int S_inline_code(struct packer *pk, const char *path, int css, struct akb_buf *out)
{
	struct akb_buf data = AKB_BUF_INIT, min = AKB_BUF_INIT;
	if (S_read(pk, path, &data) != 0) {
		akb_buf_release(&data);
		return -1;
	}
	if (css)
		akb_minify_css(&min, data.ptr, data.len);
	else
		akb_minify_js(&min, data.ptr, data.len);
	S_put_raw_text(out, min.ptr, min.len, css ? "style" : "script");
	akb_buf_release(&data);
	akb_buf_release(&min);
	return 0;
}

/* Lowercased attribute value (entities decoded) of a START tag, or "". */
static void S_attr_value(const char *s, const struct akb_html_token *t, const char *name, struct akb_buf *out)
{
	struct akb_html_attr a;
	akb_buf_clear(out);
	if (!akb_html_attr_find(s, t, name, &a))
		return;
	akb_html_unescape(out, s + a.value, a.value_end - a.value);
	for (size_t i = 0; i < out->len; i++)
		if (out->ptr[i] >= 'A' && out->ptr[i] <= 'Z')
			out->ptr[i] += 32;
		else if (out->ptr[i] == '\t' || out->ptr[i] == '\n')
			out->ptr[i] = ' ';
}

/*
 * Writes the shell: the home page with its <main> emptied (the runtime
 * fills it), stylesheets and the icon inlined, every other <link> dropped.
 * Its scripts go, inlined and minified, into `scripts`; they and the data
 * belong at out[*tail_at], the end of the body.
 */
static int S_shell(struct packer *pk, const struct page *home, struct akb_buf *out, struct akb_buf *scripts,
		   size_t *tail_at)
{
	const char *s = home->file.ptr;
	struct akb_html_scanner sc;
	struct akb_html_token t;
	struct akb_buf attr = AKB_BUF_INIT, path = AKB_BUF_INIT, frag = AKB_BUF_INIT;
	int rc = 0, skip_script = 0;
	*tail_at = SIZE_MAX;
	akb_html_scan_init(&sc, s, home->file.len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.start >= home->main_open && t.start < home->main_close)
			continue;
		if (skip_script) {
			/* The text and end tag of a <script src> moved to the end. */
			if (t.kind == AKB_HTML_END && akb_html_name_is(t.name, t.name_len, "script"))
				skip_script = 0;
			continue;
		}
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "link")) {
			S_attr_value(s, &t, "rel", &attr);
			int css = S_rel_has(attr.ptr, "stylesheet"), icon = S_rel_has(attr.ptr, "icon");
			int canonical = S_rel_has(attr.ptr, "canonical");
			struct akb_html_attr href;
			size_t idx;
			enum link k = LINK_EXTERNAL;
			if (akb_html_attr_find(s, &t, "href", &href)) {
				akb_buf_clear(&attr);
				akb_html_unescape(&attr, s + href.value, href.value_end - href.value);
				k = S_resolve("", attr.ptr, attr.len, &path, &frag);
			}
			int here = k == LINK_SITE && akb_strmap_get(&pk->files, path.ptr, &idx);
			if (css && here) {
				/* A media query (a print stylesheet) stays with the styles it guards. */
				struct akb_html_attr media;
				akb_buf_puts(out, "<style");
				if (akb_html_attr_find(s, &t, "media", &media)) {
					akb_buf_putc(out, ' ');
					akb_buf_put(out, media.name, media.end - (size_t)(media.name - s));
				}
				akb_buf_putc(out, '>');
				rc |= S_inline_code(pk, path.ptr, 1, out);
				akb_buf_puts(out, "</style>");
			} else if (icon && here) {
				struct akb_buf url = AKB_BUF_INIT;
				rc |= S_data_url(pk, path.ptr, &url);
				akb_buf_puts(out, "<link rel=\"icon\" ");
				S_put_attr(out, "href", url.ptr);
				akb_buf_putc(out, '>');
				akb_buf_release(&url);
			} else if (canonical && k == LINK_EXTERNAL) {
				akb_buf_put(out, s + t.start, t.end - t.start);
			} else if (css) {
				akb_warn(pk->diag, home->path, 0, 0, "stylesheet '%s' is not in the site; left out of the bundle",
					 attr.ptr);
			}
			continue;
		}
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "script")) {
			struct akb_html_attr src;
			size_t idx;
			if (akb_html_attr_find(s, &t, "src", &src)) {
				akb_buf_clear(&attr);
				akb_html_unescape(&attr, s + src.value, src.value_end - src.value);
				enum link k = S_resolve("", attr.ptr, attr.len, &path, &frag);
				skip_script = !t.self_closing;
				if (k != LINK_SITE || !akb_strmap_get(&pk->files, path.ptr, &idx)) {
					akb_warn(pk->diag, home->path, 0, 0, "script '%s' is not in the site; left out of the bundle",
						 attr.ptr);
					continue;
				}
				/* Its other attributes stay (data-root becomes "#/"); src, defer and async go. */
				akb_buf_puts(scripts, "<script");
				size_t pos = t.attrs;
				struct akb_html_attr a;
				while (akb_html_attr_next(s, &t, &pos, &a)) {
					if (akb_html_name_is(a.name, a.name_len, "src") ||
					    akb_html_name_is(a.name, a.name_len, "defer") ||
					    akb_html_name_is(a.name, a.name_len, "async"))
						continue;
					if (akb_html_name_is(a.name, a.name_len, "data-root")) {
						akb_buf_puts(scripts, " data-root=\"#/\"");
						continue;
					}
					akb_buf_putc(scripts, ' ');
					akb_buf_put(scripts, s + (a.name - s), a.end - (size_t)(a.name - s));
				}
				akb_buf_putc(scripts, '>');
				rc |= S_inline_code(pk, path.ptr, 0, scripts);
				akb_buf_puts(scripts, "</script>\n");
				continue;
			}
		}
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "main")) {
			S_put_tag(pk, s, &t, "", "", 1, out);
			/* Shown only without JavaScript: the pages are in the data below. */
			akb_buf_puts(out, "\n<noscript><p>This offline bundle needs JavaScript to show its pages.</p></noscript>\n");
			continue;
		}
		if (t.kind == AKB_HTML_END && akb_html_name_is(t.name, t.name_len, "body") && *tail_at == SIZE_MAX)
			*tail_at = out->len;
		if (t.kind == AKB_HTML_START)
			S_put_tag(pk, s, &t, "", "", 1, out);
		else
			akb_buf_put(out, s + t.start, t.end - t.start);
	}
	if (*tail_at == SIZE_MAX)
		*tail_at = out->len; /* no </body>: the data and scripts go last */
	akb_buf_release(&attr);
	akb_buf_release(&path);
	akb_buf_release(&frag);
	return rc ? -1 : 0;
}

/* ---- putting it together ---- */

/* Appends <script type=... id=...> with the gzip+base64 of `json`; returns the compressed size. */
static int S_data_block(struct packer *pk, const char *id, const struct akb_buf *json, struct akb_buf *out,
			size_t *gz_len)
{
	struct akb_buf gz = AKB_BUF_INIT, err = AKB_BUF_INIT;
	int rc = akb_gzip(json->ptr, json->len, 9, &gz, &err);
	if (rc)
		akb_error(pk->diag, NULL, 0, 0, "unable to compress the bundle's data: %s", err.ptr);
	/* base64 has no '<', so the data cannot end its <script> early. */
	akb_buf_printf(out, "<script type=\"application/x-akb-data\" id=\"%s\">", id);
	akb_buf_put_base64(out, gz.ptr, gz.len);
	akb_buf_puts(out, "</script>\n");
	*gz_len = gz.len;
	akb_buf_release(&gz);
	akb_buf_release(&err);
	return rc;
}

/* Ends a chunk of pages and appends its block ("akb-c<n>") to `blocks`. */
static int S_flush_chunk(struct packer *pk, struct akb_buf *chunk, size_t n, struct akb_buf *blocks,
			 struct akb_bundle_html_stats *stats)
{
	char id[32];
	size_t gzlen;
	snprintf(id, sizeof id, "akb-c%zu", n);
	akb_buf_puts(chunk, "]\n");
	int rc = S_data_block(pk, id, chunk, blocks, &gzlen);
	stats->data_raw += chunk->len;
	stats->data_gz += gzlen;
	akb_buf_clear(chunk);
	return rc;
}

static void S_release(struct packer *pk)
{
	for (size_t i = 0; i < pk->npages; i++) {
		struct page *pg = &pk->pages[i];
		free(pg->route);
		free(pg->dir);
		free(pg->title);
		free(pg->body_class);
		akb_buf_release(&pg->file);
		akb_buf_release(&pg->content);
		free(pg->spans);
	}
	free(pk->pages);
	for (size_t i = 0; i < pk->natt; i++) {
		free(pk->att[i].path);
		free(pk->att[i].tpl);
	}
	free(pk->att);
	free(pk->frags);
	akb_strmap_release(&pk->frag_index);
	for (size_t j = 0; j < pk->cfrag_json; j++)
		akb_buf_release(&pk->frag_json[j]);
	free(pk->frag_json);
	akb_strmap_release(&pk->files);
	akb_strmap_release(&pk->by_path);
	akb_strmap_release(&pk->att_by_path);
}

int akb_bundle_html(const char *dir, const char *const *paths, size_t npaths, struct akb_buf *out,
		    struct akb_bundle_html_stats *stats, struct akb_diag *diag)
{
	struct packer pk;
	memset(&pk, 0, sizeof pk);
	memset(stats, 0, sizeof(*stats));
	pk.dir = dir;
	pk.paths = paths;
	pk.npaths = npaths;
	pk.diag = diag;
	akb_strmap_init(&pk.files);
	akb_strmap_init(&pk.by_path);
	akb_strmap_init(&pk.att_by_path);
	akb_strmap_init_borrowed(&pk.frag_index);
	struct akb_buf data = AKB_BUF_INIT, lazy = AKB_BUF_INIT, tail = AKB_BUF_INIT,
		       file = AKB_BUF_INIT, runtime = AKB_BUF_INIT, shell = AKB_BUF_INIT, scripts = AKB_BUF_INIT;
	struct akb_buf chunk = AKB_BUF_INIT, parts = AKB_BUF_INIT, frags = AKB_BUF_INIT, blocks = AKB_BUF_INIT;
	size_t tail_at, nchunks = 0;
	int rc = -1;

	/* Pages: every .html file with a <main>, but a skill's own files (agents/x/files/...), carried as they are. */
	pk.pages = akb_xcalloc(npaths + 1, sizeof(*pk.pages));
	for (size_t i = 0; i < npaths; i++) {
		akb_strmap_set(&pk.files, paths[i], i);
		if (!S_ends_with(paths[i], ".html") || S_is_attached_file(paths[i]))
			continue;
		struct page *pg = &pk.pages[pk.npages];
		pg->path = paths[i];
		if (S_read(&pk, paths[i], &pg->file) != 0)
			goto done;
		if (S_parse_page(pg) != 0) {
			akb_warn(diag, paths[i], 0, 0, "page has no <main> element; left out of the single-file bundle");
			free(pg->title);
			free(pg->body_class);
			akb_buf_release(&pg->file);
			memset(pg, 0, sizeof(*pg));
			continue;
		}
		pg->route = S_route_of(paths[i]);
		const char *slash = strrchr(paths[i], '/');
		pg->dir = akb_xstrndup(paths[i], slash ? (size_t)(slash - paths[i]) + 1 : 0);
		akb_strmap_set(&pk.by_path, paths[i], pk.npages++);
	}
	size_t home, notfound;
	if (!akb_strmap_get(&pk.by_path, "index.html", &home)) {
		akb_error(diag, dir, 0, 0, "the site has no index.html with a <main> element; cannot make a single-file bundle");
		goto done;
	}
	if (!akb_strmap_get(&pk.by_path, "404.html", &notfound))
		notfound = home;

	/* The shell first, so that the files it links to (agents.json) are carried too. */
	pk.current = home;
	if (S_shell(&pk, &pk.pages[home], &shell, &scripts, &tail_at) != 0)
		goto done;

	/* Links rewritten, then the elements pages share counted. */
	for (size_t i = 0; i < pk.npages; i++) {
		struct page *pg = &pk.pages[i];
		pk.current = i;
		S_rewrite(&pk, pg->file.ptr + pg->main_open, pg->main_close - pg->main_open, pg->dir, pg->route,
			  &pg->content);
		S_collect_spans(pg);
	}
	for (size_t i = 0; i < pk.npages; i++)
		for (size_t j = 0; j < pk.pages[i].nspans; j++) {
			const struct span *sp = &pk.pages[i].spans[j];
			/* The index first: adding an entry may move the array. */
			size_t slot = S_frag_slot(&pk, pk.pages[i].content.ptr + sp->start, sp->end - sp->start);
			pk.frags[slot].count++;
		}

	S_plan_fragments(&pk);

	/*
	 * The page data, in blocks decompressed when needed: the index
	 * ("akb-data": {"v", "home", "notfound", "pages": [[route, title, class,
	 * chunk]], "files"}), the shared fragments ("akb-frags": [parts]), and
	 * the pages' parts in chunks of about S_CHUNK bytes ("akb-c<n>":
	 * [parts]), so that showing a page waits for its own chunk only.
	 */
	akb_buf_printf(&data, "{\"v\":2,\"home\":%zu,\"notfound\":%zu,\"pages\":[", home, notfound);
	for (size_t i = 0; i < pk.npages; i++) {
		struct page *pg = &pk.pages[i];
		size_t k = 0;
		akb_buf_clear(&parts);
		S_parts(&pk, pg, &k, 0, pg->content.len, &parts);
		if (chunk.len && chunk.len + parts.len > S_CHUNK && S_flush_chunk(&pk, &chunk, nchunks++, &blocks, stats) != 0)
			goto done;
		akb_buf_putc(&chunk, chunk.len ? ',' : '[');
		akb_buf_put(&chunk, parts.ptr, parts.len);
		akb_buf_puts(&data, i ? ",\n[" : "\n[");
		akb_json_cstr(&data, pg->route);
		akb_buf_putc(&data, ',');
		akb_json_cstr(&data, pg->title);
		akb_buf_putc(&data, ',');
		akb_json_cstr(&data, pg->body_class);
		akb_buf_printf(&data, ",%zu]", nchunks);
	}
	if (chunk.len && S_flush_chunk(&pk, &chunk, nchunks++, &blocks, stats) != 0)
		goto done;
	akb_buf_putc(&frags, '[');
	for (size_t j = 0; j < pk.nfrag_ids; j++) {
		akb_buf_puts(&frags, j ? ",\n" : "\n");
		akb_buf_put(&frags, pk.frag_json[j].ptr, pk.frag_json[j].len);
	}
	akb_buf_puts(&frags, "]\n");
	size_t gzlen;
	if (S_data_block(&pk, "akb-frags", &frags, &blocks, &gzlen) != 0)
		goto done;
	stats->data_raw += frags.len;
	stats->data_gz += gzlen;
	akb_buf_puts(&data, "],\n\"files\":{");

	/* Linked files: a template reference, or carried in the lazy data with the search index. */
	akb_buf_putc(&lazy, '{');
	size_t nlazy = 0;
	for (size_t i = 0; i < pk.natt; i++) {
		struct attachment *at = &pk.att[i];
		akb_buf_clear(&file);
		if (S_read(&pk, at->path, &file) != 0)
			goto done;
		at->tpl = S_template_holding(&pk.pages[at->page], &file);
		akb_buf_puts(&data, i ? ",\n" : "\n");
		akb_json_cstr(&data, at->path);
		if (at->tpl) {
			akb_buf_printf(&data, ":[%zu,", at->page);
			akb_json_cstr(&data, at->tpl);
			akb_buf_putc(&data, ']');
		} else {
			akb_buf_puts(&data, ":0");
			akb_buf_puts(&lazy, nlazy++ ? ",\n" : "\n");
			akb_json_cstr(&lazy, at->path);
			akb_buf_putc(&lazy, ':');
			S_file_json(&lazy, &file);
		}
	}
	akb_buf_puts(&data, "}}\n");
	for (size_t i = 0; i < npaths; i++) {
		if (strncmp(paths[i], "search/", 7) != 0)
			continue;
		akb_buf_clear(&file);
		if (S_read(&pk, paths[i], &file) != 0)
			goto done;
		akb_buf_puts(&lazy, nlazy++ ? ",\n" : "\n");
		akb_json_cstr(&lazy, paths[i]);
		akb_buf_putc(&lazy, ':');
		S_file_json(&lazy, &file);
	}
	akb_buf_puts(&lazy, "}\n");

	/* The tail of the body: data blocks, then the runtime. */
	if (S_data_block(&pk, "akb-data", &data, &tail, &gzlen) != 0)
		goto done;
	stats->data_raw += data.len;
	stats->data_gz += gzlen;
	akb_buf_put(&tail, blocks.ptr, blocks.len);
	if (S_data_block(&pk, "akb-lazy", &lazy, &tail, &stats->lazy_gz) != 0)
		goto done;
	akb_minify_js(&runtime, akb_bundle_runtime_js, strlen(akb_bundle_runtime_js));
	akb_buf_puts(&tail, "<script>");
	S_put_raw_text(&tail, runtime.ptr, runtime.len, "script");
	akb_buf_puts(&tail, "</script>\n");

	akb_buf_put(out, shell.ptr, tail_at);
	akb_buf_put(out, tail.ptr, tail.len);
	akb_buf_put(out, scripts.ptr, scripts.len);
	akb_buf_put(out, shell.ptr + tail_at, shell.len - tail_at);
	stats->pages = pk.npages;
	stats->fragments = pk.nfrag_ids;
	stats->chunks = nchunks;
	stats->lazy_raw = lazy.len;
	rc = 0;
done:
	S_release(&pk);
	akb_buf_release(&data);
	akb_buf_release(&lazy);
	akb_buf_release(&tail);
	akb_buf_release(&file);
	akb_buf_release(&runtime);
	akb_buf_release(&shell);
	akb_buf_release(&scripts);
	akb_buf_release(&chunk);
	akb_buf_release(&parts);
	akb_buf_release(&frags);
	akb_buf_release(&blocks);
	return rc;
}
