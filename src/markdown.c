/*
 * markdown: stage render, an agent's body to HTML with cmark-gfm (see
 * markdown.h); fenced code goes through codeblock, headings get unique ids.
 */
#include "core/prefix.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "agentkb/markdown.h"
#include "agentkb/slug.h"

static pthread_once_t S_register_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t S_inline_lock = PTHREAD_MUTEX_INITIALIZER;

static void S_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static const char *const S_extensions[] = { "table", "strikethrough", "autolink", "tagfilter", "tasklist",
					    NULL };

static cmark_node *S_parse(const char *text, size_t len, int options, cmark_parser **parser_out)
{
	pthread_once(&S_register_once, S_register);
	cmark_parser *parser = cmark_parser_new(options);
	for (const char *const *e = S_extensions; *e; e++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(*e);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	*parser_out = parser;
	/*
	 * cmark-gfm turns its extensions' special characters on and off in one
	 * table shared by every parser whenever it parses inlines (table rows
	 * while feeding, every paragraph in finish): two threads at once lose
	 * autolinks. One parse at a time; rendering the tree stays parallel.
	 */
	pthread_mutex_lock(&S_inline_lock);
	cmark_parser_feed(parser, text, len);
	cmark_node *root = cmark_parser_finish(parser);
	pthread_mutex_unlock(&S_inline_lock);
	return root;
}

/* Appends the plain text under `node` (for heading ids and the table of contents). */
static void S_plain_text(cmark_node *node, struct akb_buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			akb_buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			akb_buf_putc(out, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

void akb_markdown_plain_code(void *ctx, const struct akb_code_block *b, struct akb_buf *out, struct akb_diag *diag)
{
	akb_buf_puts(out, "<figure class=\"code\">");
	akb_buf_puts(out, "<figcaption><span class=\"code-lang\">");
	if (b->lang_len)
		akb_buf_put_html(out, b->lang, b->lang_len);
	else
		akb_buf_puts(out, "text");
	akb_buf_puts(out, "</span><button class=\"copy\" type=\"button\" aria-label=\"Copy code\">Copy</button>"
			  "</figcaption><pre><code");
	if (b->lang_len) {
		akb_buf_puts(out, " class=\"language-");
		akb_buf_put_html(out, b->lang, b->lang_len);
		akb_buf_putc(out, '"');
	}
	akb_buf_putc(out, '>');
	akb_buf_put_html(out, b->code, b->code_len);
	akb_buf_puts(out, "</code></pre></figure>\n");
}

/* Replaces `old` with a custom node carrying `html`; returns the new node. */
static cmark_node *S_replace_with_html(cmark_node *old, cmark_node_type type, const char *html)
{
	cmark_node *n = cmark_node_new(type);
	cmark_node_set_on_enter(n, html);
	cmark_node_set_on_exit(n, "");
	if (!cmark_node_replace(old, n)) {
		/*
		 * A table cell takes no custom node (the table extension says what it
		 * contains): raw HTML there becomes text, which cmark escapes itself.
		 * Left detached, the node was lost and the walk resumed outside the tree.
		 */
		cmark_node_free(n);
		const char *lit = cmark_node_get_literal(old);
		n = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(n, lit ? lit : "");
		if (!cmark_node_replace(old, n)) {
			cmark_node_free(n);
			return NULL; /* kept: cmark renders raw HTML as a comment without CMARK_OPT_UNSAFE */
		}
	}
	cmark_node_free(old);
	return n;
}

/* Raw HTML from a file is shown as text: nothing runs, nothing disappears. */
static cmark_node *S_escape_html_node(cmark_node *node, int block)
{
	const char *lit = cmark_node_get_literal(node);
	struct akb_buf html = AKB_BUF_INIT;
	size_t n = lit ? strlen(lit) : 0;
	if (block) {
		while (n && lit[n - 1] == '\n')
			n--;
		akb_buf_puts(&html, "<p class=\"raw-html\">");
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i == n || lit[i] == '\n') {
				akb_buf_put_html(&html, lit + start, i - start);
				if (i < n)
					akb_buf_puts(&html, "<br>\n");
				start = i + 1;
			}
		}
		akb_buf_puts(&html, "</p>\n");
	} else {
		akb_buf_put_html(&html, lit ? lit : "", n);
	}
	cmark_node *r = S_replace_with_html(node, block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE, html.ptr);
	akb_buf_release(&html);
	return r;
}

static cmark_node *S_render_code(cmark_node *node, const struct akb_markdown_options *opts, struct akb_diag *diag)
{
	struct akb_code_block b;
	const char *info = cmark_node_get_fence_info(node);
	const char *lit = cmark_node_get_literal(node);
	b.info = info ? info : "";
	const char *p = b.info;
	while (*p == ' ' || *p == '\t')
		p++;
	b.lang = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '{' && *p != ',')
		p++;
	b.lang_len = (size_t)(p - b.lang);
	b.code = lit ? lit : "";
	b.code_len = strlen(b.code);
	b.path = opts->path;
	b.line = opts->first_line + (unsigned)cmark_node_get_start_line(node) - 1;
	struct akb_buf html = AKB_BUF_INIT;
	(opts->code ? opts->code : akb_markdown_plain_code)(opts->code_ctx, &b, &html, diag);
	cmark_node *r = S_replace_with_html(node, CMARK_NODE_CUSTOM_BLOCK, html.ptr);
	akb_buf_release(&html);
	return r;
}

/*
 * Is `url` relative to the page (no scheme, not protocol-relative, not just a
 * fragment)? A scheme is what browsers take for one (RFC 3986: a letter, then
 * letters, digits, '+', '-', '.', then ':'); "java%0ascript:x" has none and
 * is a relative path, resolved like any other.
 */
static int S_is_relative(const char *url)
{
	if (!*url || url[0] == '#' || url[0] == '/' || url[0] == '?')
		return 0;
	const char *p = url;
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		       *p == '+' || *p == '-' || *p == '.')
			p++;
	return *p != ':';
}

/* The first line of a node with a position: inlines may have none, their block does. */
static int S_node_line(cmark_node *n)
{
	for (; n; n = cmark_node_parent(n))
		if (cmark_node_get_start_line(n) > 0)
			return cmark_node_get_start_line(n);
	return 1;
}

/*
 * Applies the link resolver. A broken link keeps its text and loses its
 * target; a broken image shows its alt text. Returns the node the iterator
 * should continue from, or NULL when nothing changed.
 */
static cmark_node *S_resolve_link(cmark_node *node, const struct akb_markdown_options *opts, struct akb_diag *diag,
				  cmark_event_type *resume)
{
	const char *url = cmark_node_get_url(node);
	if (!opts->link || !url || !S_is_relative(url))
		return NULL;
	struct akb_buf out = AKB_BUF_INIT;
	enum akb_link_action act = opts->link(opts->link_ctx, url, &out);
	cmark_node *r = NULL;
	if (act == AKB_LINK_REWRITE) {
		cmark_node_set_url(node, out.ptr);
	} else if (act == AKB_LINK_BROKEN) {
		int image = cmark_node_get_type(node) == CMARK_NODE_IMAGE;
		if (diag)
			akb_warn(diag, opts->path, opts->first_line + (unsigned)S_node_line(node) - 1, 0,
				 "%s '%s' points at nothing in the site; shown as text", image ? "image" : "link", url);
		/* Move the children out in front of the link, then drop the link. */
		cmark_node *child, *first = cmark_node_first_child(node);
		while ((child = cmark_node_first_child(node)) != NULL)
			cmark_node_insert_before(node, child);
		r = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(r, "");
		cmark_node_replace(node, r);
		cmark_node_free(node);
		/* The moved text may hold raw HTML still to escape: walk it next. */
		if (first) {
			r = first;
			*resume = CMARK_EVENT_ENTER;
		}
	}
	akb_buf_release(&out);
	return r;
}

/* Sorts the body's text into prose, code and headings for the search index. */
static void S_collect(struct akb_markdown_doc *doc, cmark_node *n, cmark_node_type type, int in_heading)
{
	const char *lit;
	switch (type) {
	case CMARK_NODE_HEADING:
		S_plain_text(n, &doc->heading_text);
		akb_buf_putc(&doc->heading_text, '\n');
		break;
	case CMARK_NODE_CODE_BLOCK: {
		akb_buf_puts(&doc->code, cmark_node_get_literal(n));
		const char *info = cmark_node_get_fence_info(n);
		size_t skip = info ? strspn(info, " \t") : 0, len = info ? strcspn(info + skip, " \t{") : 0;
		if (len) {
			akb_buf_put(&doc->code_langs, info + skip, len);
			akb_buf_putc(&doc->code_langs, '\n');
		}
		break;
	}
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		if (in_heading)
			break;
		lit = cmark_node_get_literal(n);
		if (lit)
			akb_buf_puts(&doc->prose, lit);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		if (!in_heading)
			akb_buf_putc(&doc->prose, ' ');
		break;
	default:
		/* Blocks (paragraphs, items, table cells) are separate words. */
		if ((type & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK && doc->prose.len &&
		    doc->prose.ptr[doc->prose.len - 1] != '\n')
			akb_buf_putc(&doc->prose, '\n');
		break;
	}
}

/*
 * <example> blocks of the body (a line "<example>" to a line "</example>",
 * outside code fences): each is cut out of the text cmark sees and replaced
 * by a paragraph holding a marker, which the block's HTML replaces after
 * rendering. The marker keeps the line count, so later positions hold.
 */
struct example_cut {
	size_t from, to; /* the block in the original text */
	struct akb_buf html;
};

struct example_set {
	struct example_cut *cuts;
	size_t n, cap;
	char marker[40]; /* "akbexample<nonce>-": never in the text (checked) */
};

/* Is line [p, e) `tag` alone, spaces around it allowed? */
static int S_line_is(const char *p, const char *e, const char *tag)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	size_t n = strlen(tag);
	return (size_t)(e - p) == n && !memcmp(p, tag, n);
}

/* The fence a line opens or closes ("```", "~~~" and longer), or 0. */
static size_t S_fence_len(const char *p, const char *e, char *ch)
{
	size_t indent = 0;
	while (p < e && *p == ' ' && indent < 4) {
		p++;
		indent++;
	}
	if (p >= e || (*p != '`' && *p != '~'))
		return 0;
	size_t n = 0;
	while (p + n < e && p[n] == *p)
		n++;
	if (n < 3)
		return 0;
	*ch = *p;
	return n;
}

static void S_find_examples(const char *text, size_t len, const struct akb_markdown_options *opts,
			    struct example_set *set, struct akb_diag *diag)
{
	memset(set, 0, sizeof(*set));
	unsigned nonce = 0;
	do
		snprintf(set->marker, sizeof set->marker, "akbexample%u-", nonce++);
	while (akb_memmem(text, len, set->marker, strlen(set->marker)));
	char fence_ch = 0;
	size_t fence = 0;
	const char *end = text + len, *open = NULL;
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		char ch;
		size_t f = S_fence_len(p, e, &ch);
		if (fence) {
			if (f >= fence && ch == fence_ch)
				fence = 0;
		} else if (f && !open) {
			fence = f;
			fence_ch = ch;
		} else if (!open && S_line_is(p, e, "<example>")) {
			open = p;
		} else if (open && S_line_is(p, e, "</example>")) {
			if (set->n == set->cap) {
				set->cap = set->cap ? set->cap * 2 : 4;
				set->cuts = akb_xrealloc(set->cuts, akb_xmul(set->cap, sizeof(*set->cuts)));
			}
			struct example_cut *c = &set->cuts[set->n];
			c->from = (size_t)(open - text);
			c->to = (size_t)(e - text);
			akb_buf_init(&c->html);
			opts->example(opts->example_ctx, open, c->to - c->from, &c->html, diag);
			if (c->html.len)
				set->n++;
			else
				akb_buf_release(&c->html);
			open = NULL;
		}
		p = nl ? nl + 1 : end;
	}
}

/* The text with each cut block replaced by a marker paragraph on as many lines. */
static void S_cut_examples(const char *text, size_t len, const struct example_set *set, struct akb_buf *out)
{
	size_t at = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct example_cut *c = &set->cuts[i];
		akb_buf_put(out, text + at, c->from - at);
		size_t lines = 0;
		for (size_t k = c->from; k < c->to; k++)
			lines += text[k] == '\n';
		/* A blank line, the marker, then the rest of the block's lines as blanks. */
		akb_buf_printf(out, "\n%s%zu\n", set->marker, i);
		for (size_t k = 2; k < lines; k++)
			akb_buf_putc(out, '\n');
		at = c->to;
	}
	akb_buf_put(out, text + at, len - at);
}

/* Puts each block's HTML where cmark wrote its marker paragraph. */
static void S_paste_examples(const struct example_set *set, struct akb_buf *html)
{
	struct akb_buf out = AKB_BUF_INIT, want = AKB_BUF_INIT;
	size_t at = 0;
	for (size_t i = 0; i < set->n; i++) {
		akb_buf_clear(&want);
		akb_buf_printf(&want, "<p>%s%zu</p>\n", set->marker, i);
		const char *hit = akb_memmem(html->ptr + at, html->len - at, want.ptr, want.len);
		if (!hit)
			continue; /* inside something that swallowed it: the marker stays as text */
		size_t pos = (size_t)(hit - html->ptr);
		akb_buf_put(&out, html->ptr + at, pos - at);
		akb_buf_put(&out, set->cuts[i].html.ptr, set->cuts[i].html.len);
		at = pos + want.len;
	}
	akb_buf_put(&out, html->ptr + at, html->len - at);
	akb_buf_release(&want);
	akb_buf_release(html);
	*html = out;
}

static void S_examples_release(struct example_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		akb_buf_release(&set->cuts[i].html);
	free(set->cuts);
}

/* Gives every `<hN>` the heading's id, in document order (cmark emits exactly "<hN>"). */
static void S_add_heading_ids(struct akb_markdown_doc *doc, const char *html, size_t len)
{
	size_t next = 0;
	const char *p = html, *end = html + len;
	while (p < end) {
		const char *h = memchr(p, '<', (size_t)(end - p));
		if (!h)
			break;
		if (end - h >= 4 && h[1] == 'h' && h[2] >= '1' && h[2] <= '6' && h[3] == '>' &&
		    next < doc->nheadings) {
			akb_buf_put(&doc->html, p, (size_t)(h - p));
			const struct akb_heading *hd = &doc->headings[next++];
			akb_buf_printf(&doc->html, "<h%c id=\"", h[2]);
			akb_buf_put_html(&doc->html, hd->id, strlen(hd->id));
			akb_buf_puts(&doc->html, "\"><a class=\"anchor\" href=\"#");
			akb_buf_put_html(&doc->html, hd->id, strlen(hd->id));
			akb_buf_puts(&doc->html, "\" aria-hidden=\"true\">#</a>");
			p = h + 4;
		} else {
			akb_buf_put(&doc->html, p, (size_t)(h + 1 - p));
			p = h + 1;
		}
	}
	akb_buf_put(&doc->html, p, (size_t)(end - p));
}

void akb_markdown_render(const char *text, size_t len, const struct akb_markdown_options *opts,
			 struct akb_markdown_doc *doc, struct akb_diag *diag)
{
	memset(doc, 0, sizeof(*doc));
	akb_buf_init(&doc->html);
	akb_buf_init(&doc->prose);
	akb_buf_init(&doc->code);
	akb_buf_init(&doc->heading_text);
	akb_buf_init(&doc->code_langs);
	struct example_set examples = { 0 };
	struct akb_buf cut = AKB_BUF_INIT;
	if (opts->example) {
		S_find_examples(text, len, opts, &examples, diag);
		if (examples.n) {
			S_cut_examples(text, len, &examples, &cut);
			/* The conversations are text for the search index too. */
			for (size_t i = 0; i < examples.n && opts->collect_text; i++) {
				akb_buf_put(&doc->prose, text + examples.cuts[i].from, examples.cuts[i].to - examples.cuts[i].from);
				akb_buf_putc(&doc->prose, '\n');
			}
			text = cut.ptr;
			len = cut.len;
		}
	}
	cmark_parser *parser;
	cmark_node *root = S_parse(text, len, CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8, &parser);
	struct akb_slugset *ids = akb_slugset_new();
	size_t cap = 0;
	struct akb_buf tmp = AKB_BUF_INIT;

	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	int in_heading = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_EXIT && type == CMARK_NODE_HEADING)
			in_heading = 0;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (opts->collect_text)
			S_collect(doc, n, type, in_heading);
		cmark_node *r = NULL;
		cmark_event_type resume = CMARK_EVENT_EXIT;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING: {
			akb_buf_clear(&tmp);
			S_plain_text(n, &tmp);
			if (doc->nheadings == cap) {
				cap = cap ? cap * 2 : 16;
				doc->headings = akb_xrealloc(doc->headings, akb_xmul(cap, sizeof(*doc->headings)));
			}
			in_heading = 1;
			struct akb_heading *hd = &doc->headings[doc->nheadings++];
			hd->level = cmark_node_get_heading_level(n);
			hd->text = akb_xstrndup(tmp.ptr, tmp.len);
			struct akb_buf slug = AKB_BUF_INIT;
			akb_slugify(&slug, tmp.ptr, tmp.len);
			int renamed;
			hd->id = akb_xstrdup(akb_slugset_claim(ids, slug.len ? slug.ptr : "section", &renamed));
			akb_buf_release(&slug);
			break;
		}
		case CMARK_NODE_CODE_BLOCK:
			doc->code_blocks++;
			r = S_render_code(n, opts, diag);
			break;
		case CMARK_NODE_HTML_BLOCK:
			r = S_escape_html_node(n, 1);
			break;
		case CMARK_NODE_HTML_INLINE:
			r = S_escape_html_node(n, 0);
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			r = S_resolve_link(n, opts, diag, &resume);
			break;
		default:
			break;
		}
		if (r)
			cmark_iter_reset(it, r, resume);
	}
	cmark_iter_free(it);
	akb_buf_release(&tmp);
	akb_slugset_free(ids);

	char *html = cmark_render_html(root, CMARK_OPT_FOOTNOTES, cmark_parser_get_syntax_extensions(parser));
	S_add_heading_ids(doc, html, strlen(html));
	free(html);
	cmark_node_free(root);
	cmark_parser_free(parser);
	if (examples.n)
		S_paste_examples(&examples, &doc->html);
	S_examples_release(&examples);
	akb_buf_release(&cut);
}

void akb_markdown_doc_release(struct akb_markdown_doc *doc)
{
	akb_buf_release(&doc->html);
	akb_buf_release(&doc->prose);
	akb_buf_release(&doc->code);
	akb_buf_release(&doc->heading_text);
	akb_buf_release(&doc->code_langs);
	for (size_t i = 0; i < doc->nheadings; i++) {
		free(doc->headings[i].text);
		free(doc->headings[i].id);
	}
	free(doc->headings);
	memset(doc, 0, sizeof(*doc));
}

char *akb_markdown_to_html(const char *text, size_t len)
{
	struct akb_markdown_options opts = { 0 };
	struct akb_markdown_doc doc;
	opts.path = "";
	opts.first_line = 1;
	akb_markdown_render(text, len, &opts, &doc, NULL);
	char *html = akb_buf_detach(&doc.html, NULL);
	akb_markdown_doc_release(&doc);
	return html;
}
