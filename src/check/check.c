/*
 * check: `agentkb check --links OUT`, the link checker of a built site (see
 * check.h).
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "agentkb/buf.h"
#include "agentkb/check.h"
#include "agentkb/dir.h"
#include "agentkb/order.h"
#include "agentkb/strmap.h"
#include "agentkb/url.h"
#include "agentkb/utf8.h"

/* What a path inside OUT is (the values of checker.files). */
enum { KIND_FILE = 1, KIND_DIR = 2 };

/* One problem, kept until the end so the report is sorted by page and line. */
struct problem {
	size_t page;
	unsigned line;
	size_t seq; /* discovery order: keeps the order of problems on one line */
	char *message;
};

/* A #fragment into a page that has not been read yet; decided at the end. */
struct pending_anchor {
	size_t page, target;
	unsigned line;
	char *url;  /* as shown in the message */
	char *frag; /* percent-decoded */
	char *raw_frag;
};

/* A link found on the page being read: offsets into checker.pool. */
struct link {
	size_t off, len;
	unsigned line;
};

struct checker {
	struct akb_buf root;         /* OUT as given, without trailing '/': the prefix of every reported path */
	struct akb_strmap files;     /* path inside OUT -> KIND_FILE / KIND_DIR, for every entry */
	struct akb_strmap page_of;   /* path of an .html file -> its index in `pages` */
	char **pages;                /* .html paths in walk (sorted) order; keys owned by page_of */
	size_t npages, pages_cap;
	/* Every id (and <a name>) seen, as "<page index>#<id>": one map for the whole site. */
	struct akb_strmap ids;
	unsigned char *read;         /* per page: its ids are in `ids` */
	struct pending_anchor *pending;
	size_t npending, pending_cap;
	struct problem *problems;
	size_t nproblems, problems_cap;
	struct link *links;          /* links of the current page */
	size_t nlinks, links_cap;
	struct akb_buf pool;         /* decoded attribute values of the current page */
	struct akb_buf key;          /* scratch */
	size_t nchecked;
	size_t unreadable;           /* folders inside OUT that could not be read (already reported) */
	struct akb_diag *diag;
};

static void S_problem(struct checker *c, size_t page, unsigned line, const char *fmt, ...) AKB_PRINTF(4, 5);

static void S_problem(struct checker *c, size_t page, unsigned line, const char *fmt, ...)
{
	va_list ap;
	c->problems = akb_xgrow(c->problems, c->nproblems, &c->problems_cap, 16, sizeof(*c->problems));
	va_start(ap, fmt);
	c->problems[c->nproblems] = (struct problem){ page, line, c->nproblems, akb_xvformat(fmt, ap) };
	va_end(ap);
	c->nproblems++;
}

/* ---- walking OUT ---- */

static int S_is_html(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".html");
}

static void S_add_page(struct checker *c, const char *rel)
{
	if (c->npages == c->pages_cap) {
		c->pages_cap = c->pages_cap ? c->pages_cap * 2 : 64;
		c->pages = akb_xrealloc(c->pages, akb_xmul(c->pages_cap, sizeof(*c->pages)));
	}
	c->pages[c->npages] = (char *)akb_strmap_set(&c->page_of, rel, c->npages);
	c->npages++;
}

/*
 * Records every entry under `path` (shown as `rel` inside OUT), in sorted
 * order so pages are reported in a stable order. Symbolic links count as
 * what they point at, but linked folders are not entered (no loops).
 */
static int S_walk(struct checker *c, struct akb_buf *path, struct akb_buf *rel)
{
	size_t n;
	char **names = akb_dir_names(path->ptr, NULL, &n);
	if (!names) {
		/* OUT itself unreadable is bad usage; a folder inside it is one more problem with the site. */
		akb_error(c->diag, path->ptr, 0, 0, "unable to read folder: %s", strerror(errno));
		if (rel->len)
			c->unreadable++;
		return rel->len ? 0 : -1;
	}
	size_t path_len = path->len, rel_len = rel->len;
	for (size_t i = 0; i < n; i++) {
		akb_buf_truncate(path, path_len);
		akb_buf_truncate(rel, rel_len);
		akb_buf_printf(path, "/%s", names[i]);
		akb_buf_printf(rel, "%s%s", rel_len ? "/" : "", names[i]);
		struct stat st;
		int linked = lstat(path->ptr, &st) == 0 && S_ISLNK(st.st_mode);
		if (stat(path->ptr, &st) != 0)
			continue; /* a dangling symbolic link: nothing a link could reach */
		if (S_ISDIR(st.st_mode)) {
			akb_strmap_set(&c->files, rel->ptr, KIND_DIR);
			if (!linked)
				S_walk(c, path, rel);
		} else {
			akb_strmap_set(&c->files, rel->ptr, KIND_FILE);
			if (S_is_html(names[i]))
				S_add_page(c, rel->ptr);
		}
	}
	akb_buf_truncate(path, path_len);
	akb_buf_truncate(rel, rel_len);
	akb_dir_names_free(names);
	return 0;
}

/* ---- reading HTML ---- */

static int S_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int S_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Named references a URL or id realistically holds; anything else stays as written. */
static const struct {
	const char *name;
	uint32_t cp;
} S_entities[] = { { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' }, { "nbsp", 0xA0 } };

/* Appends s[0..n) with HTML character references decoded (&amp; &#39; &#x4E2D;). */
static void S_put_unescaped(struct akb_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			akb_buf_putc(out, s[i]);
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i);
		size_t len = semi ? (size_t)(semi - (s + i)) - 1 : 0; /* between '&' and ';' */
		int done = 0;
		if (semi && len >= 2 && s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			size_t j = i + 2 + (size_t)hex;
			uint32_t cp = 0;
			int digits = 0;
			for (; s + j < semi; j++, digits++) {
				int d = s[j] >= '0' && s[j] <= '9' ? s[j] - '0'
					: hex && s[j] >= 'a' && s[j] <= 'f' ? s[j] - 'a' + 10
					: hex && s[j] >= 'A' && s[j] <= 'F' ? s[j] - 'A' + 10 : -1;
				if (d < 0)
					break;
				if (cp <= 0x10FFFF)
					cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			}
			if (digits && s + j == semi) {
				if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
					cp = 0xFFFD;
				akb_utf8_put(out, cp);
				done = 1;
			}
		} else if (semi) {
			for (size_t k = 0; k < sizeof(S_entities) / sizeof(S_entities[0]); k++) {
				if (strlen(S_entities[k].name) == len && !memcmp(s + i + 1, S_entities[k].name, len)) {
					akb_utf8_put(out, S_entities[k].cp);
					done = 1;
					break;
				}
			}
		}
		if (done)
			i = (size_t)(semi - s);
		else
			akb_buf_putc(out, '&');
	}
}

/* Tracks the 1-based line of an offset, for offsets that only move forward. */
struct lines {
	const char *text;
	size_t pos;
	unsigned line;
};

static unsigned S_line_at(struct lines *l, size_t pos)
{
	while (l->pos < pos) {
		const char *nl = memchr(l->text + l->pos, '\n', pos - l->pos);
		if (!nl) {
			l->pos = pos;
			break;
		}
		l->line++;
		l->pos = (size_t)(nl - l->text) + 1;
	}
	return l->line;
}

static int S_name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !strncasecmp(s, name, n);
}

/* Which attribute of element `tag` holds a URL to check: "href", "src" or NULL. */
static const char *S_url_attr(const char *tag, size_t n)
{
	static const char *const href_tags[] = { "a", "area", "link", NULL };
	static const char *const src_tags[] = { "script", "img", "source", "iframe", "audio", "video", "track",
						"embed", NULL };
	for (int i = 0; href_tags[i]; i++)
		if (S_name_is(tag, n, href_tags[i]))
			return "href";
	for (int i = 0; src_tags[i]; i++)
		if (S_name_is(tag, n, src_tags[i]))
			return "src";
	return NULL;
}

static void S_add_id(struct checker *c, size_t page, const char *id, size_t n)
{
	akb_buf_clear(&c->key);
	akb_buf_printf(&c->key, "%zu#", page);
	S_put_unescaped(&c->key, id, n);
	akb_strmap_set(&c->ids, c->key.ptr, 0);
}

static void S_add_link(struct checker *c, const char *value, size_t n, unsigned line)
{
	/* URL parsers drop surrounding whitespace, and so do we. */
	while (n && S_is_space((unsigned char)*value)) {
		value++;
		n--;
	}
	while (n && S_is_space((unsigned char)value[n - 1]))
		n--;
	if (c->nlinks == c->links_cap) {
		c->links_cap = c->links_cap ? c->links_cap * 2 : 64;
		c->links = akb_xrealloc(c->links, akb_xmul(c->links_cap, sizeof(*c->links)));
	}
	struct link *l = &c->links[c->nlinks++];
	l->off = c->pool.len;
	S_put_unescaped(&c->pool, value, n);
	l->len = c->pool.len - l->off;
	akb_buf_putc(&c->pool, '\0');
	l->line = line;
}

/* Elements whose content is text up to their end tag, never markup. */
static int S_is_raw_text(const char *tag, size_t n)
{
	return S_name_is(tag, n, "script") || S_name_is(tag, n, "style") || S_name_is(tag, n, "textarea") ||
	       S_name_is(tag, n, "title");
}

/* Finds "</tag" (any case) from `p`; returns the end of the text if absent. */
static const char *S_find_end_tag(const char *p, const char *end, const char *tag, size_t n)
{
	for (; p < end; p++) {
		p = memchr(p, '<', (size_t)(end - p));
		if (!p)
			return end;
		if (p + 2 + n <= end && p[1] == '/' && !strncasecmp(p + 2, tag, n))
			return p;
	}
	return end;
}

/*
 * Reads one page: its ids go into c->ids, its links into c->links. A small
 * tokenizer in the spirit of the HTML standard's: comments, doctypes and
 * end tags are skipped, attribute values may be quoted or bare, and
 * script/style/textarea/title hold text, not tags.
 */
static void S_scan_page(struct checker *c, size_t page, const char *html, size_t n)
{
	const char *p = html, *end = html + n;
	struct lines lines = { html, 0, 1 };
	c->nlinks = 0;
	akb_buf_clear(&c->pool);
	while (p < end) {
		p = memchr(p, '<', (size_t)(end - p));
		if (!p)
			break;
		if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *close = NULL;
			for (const char *q = p + 4; q + 3 <= end; q++)
				if (q[0] == '-' && q[1] == '-' && q[2] == '>') {
					close = q;
					break;
				}
			p = close ? close + 3 : end;
			continue;
		}
		if (p + 1 < end && (p[1] == '!' || p[1] == '?' || p[1] == '/')) {
			const char *gt = memchr(p, '>', (size_t)(end - p));
			p = gt ? gt + 1 : end;
			continue;
		}
		if (p + 1 >= end || !S_is_alpha((unsigned char)p[1])) {
			p++;
			continue;
		}
		const char *tag = ++p;
		while (p < end && !S_is_space((unsigned char)*p) && *p != '/' && *p != '>')
			p++;
		size_t tag_len = (size_t)(p - tag);
		const char *url_attr = S_url_attr(tag, tag_len);
		int is_a = S_name_is(tag, tag_len, "a");
		for (;;) {
			while (p < end && (S_is_space((unsigned char)*p) || *p == '/'))
				p++;
			if (p >= end || *p == '>')
				break;
			const char *name = p;
			while (p < end && !S_is_space((unsigned char)*p) && *p != '/' && *p != '>' && *p != '=')
				p++;
			size_t name_len = (size_t)(p - name);
			if (name_len == 0) /* a stray '=': skip it */
				name_len = (size_t)(++p - name);
			unsigned line = S_line_at(&lines, (size_t)(name - html));
			while (p < end && S_is_space((unsigned char)*p))
				p++;
			const char *value = NULL;
			size_t value_len = 0;
			if (p < end && *p == '=') {
				p++;
				while (p < end && S_is_space((unsigned char)*p))
					p++;
				if (p < end && (*p == '"' || *p == '\'')) {
					const char *close = memchr(p + 1, *p, (size_t)(end - p - 1));
					value = p + 1;
					value_len = (size_t)((close ? close : end) - value);
					p = close ? close + 1 : end;
				} else {
					value = p;
					while (p < end && !S_is_space((unsigned char)*p) && *p != '>')
						p++;
					value_len = (size_t)(p - value);
				}
			}
			if (!value)
				continue;
			if (S_name_is(name, name_len, "id") || (is_a && S_name_is(name, name_len, "name")))
				S_add_id(c, page, value, value_len);
			else if (url_attr && S_name_is(name, name_len, url_attr))
				S_add_link(c, value, value_len, line);
		}
		if (p < end)
			p++; /* '>' */
		if (S_is_raw_text(tag, tag_len))
			p = S_find_end_tag(p, end, tag, tag_len);
	}
	c->read[page] = 1;
}

/* ---- resolving links ---- */

static int S_has_id(struct checker *c, size_t page, const char *frag, const char *raw_frag)
{
	/* HTML: the fragment "top" scrolls to the top of any page. */
	if (!strcasecmp(frag, "top"))
		return 1;
	akb_buf_clear(&c->key);
	akb_buf_printf(&c->key, "%zu#%s", page, frag);
	if (akb_strmap_get(&c->ids, c->key.ptr, NULL))
		return 1;
	/* Browsers also try the fragment as written, for ids that hold a '%'. */
	akb_buf_clear(&c->key);
	akb_buf_printf(&c->key, "%zu#%s", page, raw_frag);
	return akb_strmap_get(&c->ids, c->key.ptr, NULL);
}

/*
 * Joins the folder of `page` with the decoded path `path` into `out`,
 * resolving "." and "..". Returns -1 when ".." climbs above OUT.
 */
static int S_join(const char *page, const char *path, struct akb_buf *out)
{
	akb_buf_clear(out);
	const char *slash = strrchr(page, '/');
	if (slash)
		akb_buf_put(out, page, (size_t)(slash - page));
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!out->len)
				return -1;
			char *last = strrchr(out->ptr, '/');
			akb_buf_truncate(out, last ? (size_t)(last - out->ptr) : 0);
		} else {
			if (out->len)
				akb_buf_putc(out, '/');
			akb_buf_put(out, p, n);
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Does `url` start with a scheme ("http:", "mailto:", "data:", ...)? */
static int S_has_scheme(const char *url)
{
	if (!S_is_alpha((unsigned char)url[0]))
		return 0;
	const char *p = url + 1;
	while (S_is_alpha((unsigned char)*p) || (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/*
 * Checks one link of `page` (`url` with entities decoded), recording a
 * problem if it is broken. An anchor into a page not read yet is queued in
 * c->pending. `target` is scratch space.
 */
static void S_check_link(struct checker *c, size_t page, const char *url, unsigned line, struct akb_buf *target)
{
	/* Other sites, protocol-relative URLs, mail, data and scripts are not ours to check. */
	if (!*url || S_has_scheme(url) || !strncmp(url, "//", 2) || !strcmp(url, "#"))
		return;
	c->nchecked++;
	const char *hash = strchr(url, '#');
	size_t path_len = strcspn(url, "?#"); /* a query ends at '#', and '?' after '#' is the fragment's */
	size_t target_page = page;
	if (path_len) {
		if (url[0] == '/') {
			S_problem(c, page, line, "broken link '%s' (root-absolute; breaks under a subpath and from file://)",
				  url);
			return;
		}
		struct akb_buf path = AKB_BUF_INIT;
		akb_url_decode(&path, url, path_len);
		int trailing_slash = url[path_len - 1] == '/';
		int rc = S_join(c->pages[page], path.ptr, target);
		akb_buf_release(&path);
		if (rc != 0) {
			S_problem(c, page, line, "broken link '%s' (outside the site)", url);
			return;
		}
		size_t kind = 0;
		if (target->len)
			akb_strmap_get(&c->files, target->ptr, &kind);
		else
			kind = KIND_DIR; /* the site's own folder */
		if (kind == KIND_FILE && trailing_slash)
			kind = 0;
		if (kind == KIND_DIR) {
			akb_buf_puts(target, target->len ? "/index.html" : "index.html");
			if (!akb_strmap_get(&c->files, target->ptr, &kind) || kind != KIND_FILE) {
				S_problem(c, page, line, "broken link '%s' (folder without index.html)", url);
				return;
			}
		}
		if (kind != KIND_FILE) {
			S_problem(c, page, line, "broken link '%s' (no such file)", url);
			return;
		}
		if (!akb_strmap_get(&c->page_of, target->ptr, &target_page))
			return; /* an asset or download: a fragment in it is not ours to check */
	}
	if (!hash || !hash[1])
		return;
	struct akb_buf frag = AKB_BUF_INIT;
	akb_url_decode(&frag, hash + 1, strlen(hash + 1));
	if (c->read[target_page]) {
		if (!S_has_id(c, target_page, frag.ptr, hash + 1))
			S_problem(c, page, line, "broken anchor '%s'", url);
		akb_buf_release(&frag);
		return;
	}
	if (c->npending == c->pending_cap) {
		c->pending_cap = c->pending_cap ? c->pending_cap * 2 : 16;
		c->pending = akb_xrealloc(c->pending, akb_xmul(c->pending_cap, sizeof(*c->pending)));
	}
	c->pending[c->npending++] = (struct pending_anchor){ page, target_page, line, akb_xstrdup(url),
							     akb_buf_detach(&frag, NULL), akb_xstrdup(hash + 1) };
}

static void S_check_page(struct checker *c, size_t page, struct akb_buf *html, struct akb_buf *path)
{
	akb_buf_clear(html);
	akb_buf_clear(path);
	akb_buf_printf(path, "%s/%s", c->root.ptr, c->pages[page]);
	if (akb_buf_read_file(html, path->ptr) != 0) {
		S_problem(c, page, 0, "unable to read page: %s", strerror(errno));
		c->read[page] = 1;
		return;
	}
	S_scan_page(c, page, html->ptr, html->len);
	struct akb_buf target = AKB_BUF_INIT;
	for (size_t i = 0; i < c->nlinks; i++)
		S_check_link(c, page, c->pool.ptr + c->links[i].off, c->links[i].line, &target);
	akb_buf_release(&target);
}

static int S_by_position(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;
	int c = akb_order(a->page, b->page);
	c = c ? c : akb_order(a->line, b->line);
	return c ? c : akb_order(a->seq, b->seq);
}

static void S_checker_release(struct checker *c)
{
	for (size_t i = 0; i < c->nproblems; i++)
		free(c->problems[i].message);
	for (size_t i = 0; i < c->npending; i++)
		AKB_FREE_ALL(c->pending[i].url, c->pending[i].frag, c->pending[i].raw_frag);
	AKB_FREE_ALL(c->problems, c->pending, c->pages, c->read, c->links);
	akb_buf_release(&c->root);
	akb_buf_release(&c->pool);
	akb_buf_release(&c->key);
	akb_strmap_release(&c->files);
	akb_strmap_release(&c->page_of);
	akb_strmap_release(&c->ids);
}

int akb_check_links(const char *dir, struct akb_check_result *result, struct akb_diag *diag)
{
	memset(result, 0, sizeof(*result));
	/* the maps start empty as zeroes (strmap.h) */
	struct checker c = { .root = AKB_BUF_INIT, .pool = AKB_BUF_INIT, .key = AKB_BUF_INIT, .diag = diag };
	akb_buf_puts(&c.root, dir);
	/* "public/" and "public" name the same pages: report "public/x.html" for both. */
	while (c.root.len > 1 && c.root.ptr[c.root.len - 1] == '/')
		akb_buf_truncate(&c.root, c.root.len - 1);

	struct akb_buf path = AKB_BUF_INIT, rel = AKB_BUF_INIT;
	akb_buf_puts(&path, c.root.ptr);
	int rc = S_walk(&c, &path, &rel);
	if (rc == 0) {
		c.read = akb_xcalloc(c.npages + 1, 1);
		struct akb_buf html = AKB_BUF_INIT;
		for (size_t i = 0; i < c.npages; i++)
			S_check_page(&c, i, &html, &path);
		akb_buf_release(&html);
		for (size_t i = 0; i < c.npending; i++) {
			const struct pending_anchor *p = &c.pending[i];
			if (!S_has_id(&c, p->target, p->frag, p->raw_frag))
				S_problem(&c, p->page, p->line, "broken anchor '%s'", p->url);
		}
		if (c.nproblems)
			qsort(c.problems, c.nproblems, sizeof(*c.problems), S_by_position);
		for (size_t i = 0; i < c.nproblems; i++) {
			const struct problem *p = &c.problems[i];
			akb_buf_clear(&path);
			akb_buf_printf(&path, "%s/%s", c.root.ptr, c.pages[p->page]);
			akb_error(diag, path.ptr, p->line, 0, "%s", p->message);
		}
		result->pages = c.npages;
		result->links = c.nchecked;
		result->broken = c.nproblems + c.unreadable;
	}

	akb_buf_release(&path);
	akb_buf_release(&rel);
	S_checker_release(&c);
	return rc;
}
