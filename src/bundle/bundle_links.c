/*
 * bundle_links: rewrites a page's links for the single-file bundle. All
 * pages live in one file, so a link to another page becomes a fragment
 * route ("#/agents/x/", "#/agents/x/#heading") that the runtime follows
 * without loading anything; files that are not pages (raw .md, agents.json)
 * are noted as attachments to carry along. Nothing may be fetched, so a
 * site image becomes a data: URL and any other src is disabled.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/url.h"
#include "bundle/bundle_int.h"

static enum bnd_link S_classify(const char *v, size_t n)
{
	if (n && v[0] == '/')
		return BND_LINK_EXTERNAL; /* "//host/x" or "/x": not relative to the site */
	/* A scheme ("https:", "mailto:") is letters, then letters, digits, '+', '-', '.', then ':'. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ':' && i > 0)
			return BND_LINK_EXTERNAL;
		int letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))))
			break;
	}
	return BND_LINK_SITE;
}

/* Drops the last segment of `path` ("a/b/" -> "a/"): what ".." does, never above the site root. */
static void S_pop_segment(struct akb_buf *path)
{
	if (!path->len)
		return;
	size_t k = path->len - 1;
	while (k > 0 && path->ptr[k - 1] != '/')
		k--;
	akb_buf_truncate(path, k);
}

/* Appends the '/'-separated segments of s[0..len) to `path`, with "." dropped and ".." taking one back. */
static void S_put_segments(struct akb_buf *path, const char *s, size_t len)
{
	size_t i = 0;
	while (i <= len) {
		size_t e = i;
		while (e < len && s[e] != '/')
			e++;
		size_t seg = e - i;
		int last = e >= len;
		if (seg == 2 && s[i] == '.' && s[i + 1] == '.') {
			S_pop_segment(path);
		} else if (seg && !(seg == 1 && s[i] == '.')) {
			akb_buf_put(path, s + i, seg);
			if (!last)
				akb_buf_putc(path, '/');
		}
		if (last)
			break;
		i = e + 1;
	}
}

static int S_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

enum bnd_link bnd_resolve(const char *dir, const char *v, size_t n, struct akb_buf *path, struct akb_buf *frag)
{
	akb_buf_clear(path);
	akb_buf_clear(frag);
	while (n && S_is_space(*v))
		v++, n--;
	while (n && S_is_space(v[n - 1]))
		n--;
	if (S_classify(v, n) == BND_LINK_EXTERNAL)
		return BND_LINK_EXTERNAL;
	const char *hash = memchr(v, '#', n);
	size_t plen = hash ? (size_t)(hash - v) : n;
	if (hash)
		akb_buf_put(frag, hash + 1, n - plen - 1);
	const char *q = memchr(v, '?', plen);
	if (q)
		plen = (size_t)(q - v);
	if (!plen)
		return BND_LINK_HERE;
	struct akb_buf joined = AKB_BUF_INIT;
	akb_buf_puts(&joined, dir);
	akb_url_decode(&joined, v, plen);
	S_put_segments(path, joined.ptr, joined.len);
	akb_buf_release(&joined);
	return BND_LINK_SITE;
}

/*
 * Appends "#/" + route (+ "#" + frag): the href of a page in the bundle.
 * The characters a URL fragment cannot hold as such are percent-encoded in
 * the route; the fragment is kept as written.
 */
static void S_put_route_href(struct akb_buf *out, const char *route, const struct akb_buf *frag)
{
	static const char hex[] = "0123456789ABCDEF";
	akb_buf_puts(out, "#/");
	for (const char *r = route; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c <= 0x20 || c == 0x7F || strchr("%#?\"'<>`", c))
			akb_buf_printf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
		else
			akb_buf_putc(out, (char)c);
	}
	if (frag->len) {
		akb_buf_putc(out, '#');
		akb_buf_put(out, frag->ptr, frag->len);
	}
}

/* Notes the site file `path` as an attachment of the page being rewritten (the first one to link it). */
static void S_attachment(struct bnd_packer *pk, const char *path)
{
	size_t idx;
	if (akb_strmap_get(&pk->att_by_path, path, &idx))
		return;
	if (pk->natt == pk->catt) {
		pk->catt = pk->catt ? pk->catt * 2 : 16;
		pk->att = akb_xrealloc(pk->att, akb_xmul(pk->catt, sizeof(*pk->att)));
	}
	pk->att[pk->natt] = (struct bnd_attachment){ akb_xstrdup(path), pk->current, NULL };
	akb_strmap_set(&pk->att_by_path, path, pk->natt++);
}

/*
 * The route of the page a site path names: "x/" or "x/index.html" is the
 * page x/index.html, and "x" is too when there is no file x. NULL when it
 * names no page.
 */
static const char *S_page_route(struct bnd_packer *pk, const struct akb_buf *path)
{
	struct akb_buf tmp = AKB_BUF_INIT;
	size_t idx;
	const char *route = NULL;
	akb_buf_puts(&tmp, path->ptr);
	if (!tmp.len || tmp.ptr[tmp.len - 1] == '/')
		akb_buf_puts(&tmp, "index.html");
	if (akb_strmap_get(&pk->by_path, tmp.ptr, &idx)) {
		route = pk->pages[idx].route;
	} else if (path->len) {
		akb_buf_clear(&tmp);
		akb_buf_printf(&tmp, "%s/index.html", path->ptr);
		if (akb_strmap_get(&pk->by_path, tmp.ptr, &idx))
			route = pk->pages[idx].route;
	}
	akb_buf_release(&tmp);
	return route;
}

/*
 * The href a site link gets in the bundle: "#/" + the route of the page it
 * names (a folder or an index.html), or of the file; a file that is not a
 * page is carried along as an attachment. Unknown paths keep their route
 * and show the 404 page.
 */
static void S_site_href(struct bnd_packer *pk, const struct akb_buf *path, const struct akb_buf *frag,
			struct akb_buf *href)
{
	size_t idx;
	const char *route = S_page_route(pk, path);
	if (!route && akb_strmap_get(&pk->files, path->ptr, &idx))
		S_attachment(pk, path->ptr); /* not a page: a raw file, or a skill's HTML asset */
	S_put_route_href(href, route ? route : path->ptr, frag);
}

void bnd_put_attr(struct akb_buf *out, const char *name, const char *value)
{
	akb_buf_printf(out, "%s=\"", name);
	akb_buf_put_html(out, value, strlen(value));
	akb_buf_putc(out, '"');
}

/* Appends prefix + name="value" with the value HTML-escaped; name and value are not NUL-terminated. */
static void S_put_attr_n(struct akb_buf *out, const char *prefix, const char *name, size_t name_len,
			 const char *value, size_t value_len)
{
	akb_buf_puts(out, prefix);
	akb_buf_put(out, name, name_len);
	akb_buf_puts(out, "=\"");
	akb_buf_put_html(out, value, value_len);
	akb_buf_putc(out, '"');
}

/* The attributes of a tag that the bundle rewrites. */
enum attr_kind {
	ATTR_KEEP, /* any other: copied as written */
	ATTR_HREF, /* href, action: a route */
	ATTR_SRC,  /* src: a data: URL, or disabled */
	ATTR_OTHER, /* srcset, poster: disabled */
	ATTR_ROOT, /* data-root, the theme's "path to the site root": "#/" */
};

static enum attr_kind S_attr_kind(const struct akb_html_attr *a)
{
	if (!a->has_value)
		return ATTR_KEEP;
	if (akb_html_name_is(a->name, a->name_len, "href") || akb_html_name_is(a->name, a->name_len, "action"))
		return ATTR_HREF;
	if (akb_html_name_is(a->name, a->name_len, "src"))
		return ATTR_SRC;
	if (akb_html_name_is(a->name, a->name_len, "srcset") || akb_html_name_is(a->name, a->name_len, "poster"))
		return ATTR_OTHER;
	if (akb_html_name_is(a->name, a->name_len, "data-root"))
		return ATTR_ROOT;
	return ATTR_KEEP;
}

/* Scratch buffers for rewriting one tag's attributes. */
struct tag_bufs {
	struct akb_buf val, path, frag, href;
};

/*
 * The new href of a link on a page with route `route`, in b->href; 0 when
 * the attribute stays as written (external, or a bare "#x" in the shell).
 */
static int S_href(struct bnd_packer *pk, enum bnd_link k, const char *route, int shell, struct tag_bufs *b)
{
	if (k == BND_LINK_EXTERNAL || (k == BND_LINK_HERE && shell && b->frag.len))
		return 0;
	if (k == BND_LINK_HERE)
		S_put_route_href(&b->href, route, &b->frag);
	else
		S_site_href(pk, &b->path, &b->frag, &b->href);
	return 1;
}

/*
 * Writes a src, srcset or poster attribute: a site file's src as a data:
 * URL, any other renamed data-akb-* so that nothing is fetched. Returns 0
 * when the attribute stays as written (a src that is already a data: URL).
 */
static int S_src(struct bnd_packer *pk, const struct akb_html_attr *a, enum attr_kind kind, enum bnd_link k,
		 struct tag_bufs *b, const char *before, size_t before_len, struct akb_buf *out)
{
	size_t idx;
	if (kind == ATTR_SRC && k == BND_LINK_EXTERNAL && !strncmp(b->val.ptr, "data:", 5))
		return 0;
	akb_buf_put(out, before, before_len);
	if (kind == ATTR_SRC && k == BND_LINK_SITE && akb_strmap_get(&pk->files, b->path.ptr, &idx) &&
	    bnd_data_url(pk, b->path.ptr, &b->href) == 0)
		bnd_put_attr(out, "src", b->href.ptr);
	else
		S_put_attr_n(out, "data-akb-", a->name, a->name_len, b->val.ptr, b->val.len);
	return 1;
}

/*
 * Appends the START tag `t` of `s` with its links rewritten for the bundle:
 * href and action become routes; src of a site file becomes a data: URL,
 * and any other src, srcset or poster is renamed data-akb-* so that nothing
 * is fetched; data-root (the theme's "path to the site root") becomes "#/".
 * `dir` is the page's folder and `route` its route; `shell` keeps bare
 * "#x" links as they are (they point into whatever page is shown).
 */
void bnd_put_tag(struct bnd_packer *pk, const char *s, const struct akb_html_token *t, const char *dir,
		 const char *route, int shell, struct akb_buf *out)
{
	struct tag_bufs b = { AKB_BUF_INIT, AKB_BUF_INIT, AKB_BUF_INIT, AKB_BUF_INIT };
	size_t last = t->start, pos = t->attrs;
	struct akb_html_attr a;
	while (akb_html_attr_next(s, t, &pos, &a)) {
		enum attr_kind kind = S_attr_kind(&a);
		if (kind == ATTR_KEEP)
			continue;
		size_t name_off = (size_t)(a.name - s);
		akb_buf_clear(&b.val);
		akb_html_unescape(&b.val, s + a.value, a.value_end - a.value);
		akb_buf_clear(&b.href);
		enum bnd_link k = bnd_resolve(dir, b.val.ptr, b.val.len, &b.path, &b.frag);
		if (kind == ATTR_ROOT) {
			akb_buf_put(out, s + last, name_off - last);
			bnd_put_attr(out, "data-root", "#/");
		} else if (kind == ATTR_HREF) {
			if (!S_href(pk, k, route, shell, &b))
				continue;
			akb_buf_put(out, s + last, name_off - last);
			S_put_attr_n(out, "", a.name, a.name_len, b.href.ptr, b.href.len);
		} else if (!S_src(pk, &a, kind, k, &b, s + last, name_off - last, out)) {
			continue;
		}
		last = a.end;
	}
	akb_buf_put(out, s + last, t->end - last);
	akb_buf_release(&b.val);
	akb_buf_release(&b.path);
	akb_buf_release(&b.frag);
	akb_buf_release(&b.href);
}

void bnd_rewrite(struct bnd_packer *pk, const char *s, size_t len, const char *dir, const char *route,
		 struct akb_buf *out)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	akb_html_scan_init(&sc, s, len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.kind == AKB_HTML_START)
			bnd_put_tag(pk, s, &t, dir, route, 0, out);
		else
			akb_buf_put(out, s + t.start, t.end - t.start);
	}
}
