/*
 * codeblock: one fenced code block as a figure: label, copy button, marked
 * lines and the highlighted code (see codeblock.h).
 */
#include "core/prefix.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/codeblock.h"
#include "agentkb/highlight.h"

/* Beyond this many marked lines a range like {1-999999999} is someone's typo, not a request. */
#define MAX_MARKED_LINES 100000

static void S_mark(struct akb_fence_info *fi, size_t *cap, unsigned from, unsigned to)
{
	if (from == 0 || to < from)
		return;
	for (unsigned n = from; n <= to && fi->nmarked < MAX_MARKED_LINES; n++) {
		if (fi->nmarked == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			fi->marked = akb_xrealloc(fi->marked, akb_xmul(*cap, sizeof(unsigned)));
		}
		fi->marked[fi->nmarked++] = n;
	}
}

static int S_cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

/* Reads "2,4-6", "[2,\"4-6\"]" or "2 4-6" line lists, stopping at `stop`. */
static const char *S_parse_lines(const char *p, const char *stop_chars, struct akb_fence_info *fi, size_t *cap)
{
	while (*p && !strchr(stop_chars, *p)) {
		if (isdigit((unsigned char)*p)) {
			char *end;
			unsigned long from = strtoul(p, &end, 10), to = from;
			p = end;
			if (*p == '-' && isdigit((unsigned char)p[1])) {
				to = strtoul(p + 1, &end, 10);
				p = end;
			}
			if (from <= MAX_MARKED_LINES && to <= MAX_MARKED_LINES)
				S_mark(fi, cap, (unsigned)from, (unsigned)to);
		} else {
			p++;
		}
	}
	return p;
}

static int S_word_is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncmp(p, word, n) == 0;
}

/*
 * One attribute, however it was written ({linenos=false}, title="x",
 * hl_lines=[2,"4-6"], a bare showLineNumbers): what it sets. `val` is NULL
 * for a bare word.
 */
static void S_attribute(struct akb_fence_info *fi, size_t *cap, const char *key, size_t klen, const char *val,
			size_t vlen)
{
	if (S_word_is(key, klen, "linenos") || S_word_is(key, klen, "showLineNumbers")) {
		fi->linenos = !val || !S_word_is(val, vlen, "false");
	} else if (S_word_is(key, klen, "title") && val) {
		free(fi->title);
		fi->title = akb_xstrndup(val, vlen);
	} else if (S_word_is(key, klen, "hl_lines") && val) {
		char *v = akb_xstrndup(val, vlen);
		S_parse_lines(v, "", fi, cap);
		free(v);
	}
}

/* After '{': "2,4-6" or "linenos=true,hl_lines=[2,\"4-6\"]", up to and past the '}'. */
static const char *S_parse_braces(const char *p, struct akb_fence_info *fi, size_t *cap)
{
	while (*p && *p != '}') {
		const char *key = p;
		p += strcspn(p, "=,} ");
		size_t klen = (size_t)(p - key);
		if (*p == '=') {
			const char *val = ++p;
			if (*p == '[') {
				p = S_parse_lines(p + 1, "]}", fi, cap);
				p += *p == ']';
			} else {
				p += strcspn(p, ",} ");
				S_attribute(fi, cap, key, klen, val, (size_t)(p - val));
			}
		} else if (klen && isdigit((unsigned char)*key)) {
			S_parse_lines(key, ",} ", fi, cap);
		} else {
			S_attribute(fi, cap, key, klen, NULL, 0);
		}
		p += strspn(p, ", ");
	}
	return p + (*p == '}');
}

/* A word after the language: `title="A file"`, `linenos=false`, `showLineNumbers`. */
static const char *S_parse_word(const char *p, struct akb_fence_info *fi, size_t *cap)
{
	const char *key = p;
	p += strcspn(p, " \t{=");
	size_t klen = (size_t)(p - key);
	if (*p != '=') {
		S_attribute(fi, cap, key, klen, NULL, 0);
		return p;
	}
	const char *val = ++p;
	size_t vlen;
	if (*p == '"' || *p == '\'') {
		char quote[2] = { *p, '\0' };
		val = ++p;
		vlen = strcspn(p, quote);
		p += vlen + (p[vlen] != '\0');
	} else {
		vlen = strcspn(p, " \t");
		p += vlen;
	}
	S_attribute(fi, cap, key, klen, val, vlen);
	return p;
}

void akb_fence_info_parse(const char *info, struct akb_fence_info *fi)
{
	memset(fi, 0, sizeof(*fi));
	fi->linenos = -1;
	size_t cap = 0;
	/* The language is the first word; attributes follow. */
	const char *p = info + strspn(info, " \t");
	p += strcspn(p, " \t{");
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		else if (*p == '{')
			p = S_parse_braces(p + 1, fi, &cap);
		else
			p = S_parse_word(p, fi, &cap);
	}
	if (fi->nmarked) {
		qsort(fi->marked, fi->nmarked, sizeof(unsigned), S_cmp_unsigned);
		size_t k = 0;
		for (size_t i = 0; i < fi->nmarked; i++)
			if (!k || fi->marked[k - 1] != fi->marked[i])
				fi->marked[k++] = fi->marked[i];
		fi->nmarked = k;
	}
}

void akb_fence_info_release(struct akb_fence_info *fi)
{
	free(fi->marked);
	free(fi->title);
	memset(fi, 0, sizeof(*fi));
}

/*
 * Writes tokens as HTML. When lines are wrapped (line numbers or marks), a
 * token that spans lines is closed at each line end and reopened after it,
 * so every line is a well-formed element.
 */
struct emitter {
	struct akb_buf *out;
	int wrap;             /* one <span class="line"> per line */
	const struct akb_fence_info *fi;
	int linenos;
	const unsigned char *plain; /* classes written without a span (akb_codeblock_options) */
	unsigned line;        /* current 1-based line */
	size_t next_mark;     /* index into fi->marked */
	int line_open;
};

static void S_open_line(struct emitter *e)
{
	if (!e->wrap || e->line_open)
		return;
	int marked = e->next_mark < e->fi->nmarked && e->fi->marked[e->next_mark] == e->line;
	if (marked)
		e->next_mark++;
	akb_buf_puts(e->out, marked ? "<span class=\"line hll\">" : "<span class=\"line\">");
	if (e->linenos)
		akb_buf_printf(e->out, "<span class=\"lin\" aria-hidden=\"true\">%u</span>", e->line);
	e->line_open = 1;
}

static void S_close_line(struct emitter *e)
{
	if (e->wrap && e->line_open)
		akb_buf_puts(e->out, "</span>");
	e->line_open = 0;
}

static void S_emit_token(void *ctx, int cls, const char *text, size_t len)
{
	struct emitter *e = ctx;
	const char *name = e->plain && cls > 0 && cls < AKB_HL_CLASSES && e->plain[cls] ? NULL : akb_hl_class_name(cls);
	while (len) {
		const char *nl = e->wrap ? memchr(text, '\n', len) : NULL;
		size_t n = nl ? (size_t)(nl - text) : len;
		if (n) {
			S_open_line(e);
			if (name)
				akb_buf_printf(e->out, "<span class=\"%s\">", name);
			akb_buf_put_html(e->out, text, n);
			if (name)
				akb_buf_puts(e->out, "</span>");
		}
		if (!nl)
			break;
		S_open_line(e);
		S_close_line(e);
		akb_buf_putc(e->out, '\n');
		e->line++;
		text = nl + 1;
		len -= n + 1;
	}
}

void akb_codeblock_render(void *ctx, const struct akb_code_block *b, struct akb_buf *out, struct akb_diag *diag)
{
	const struct akb_codeblock_options *opts = ctx;
	struct akb_fence_info fi;
	akb_fence_info_parse(b->info, &fi);
	const char *def = NULL;
	if (opts && opts->hl && b->lang_len)
		def = akb_highlighter_resolve(opts->hl, b->lang, b->lang_len);
	int linenos = fi.linenos >= 0 ? fi.linenos : (opts ? opts->linenos : 0);

	akb_buf_puts(out, "<figure class=\"code\"");
	if (b->lang_len) {
		akb_buf_puts(out, " data-lang=\"");
		akb_buf_put_html(out, b->lang, b->lang_len);
		akb_buf_putc(out, '"');
	}
	akb_buf_puts(out, "><figcaption><span class=\"code-lang\">");
	if (fi.title)
		akb_buf_put_html(out, fi.title, strlen(fi.title));
	else if (b->lang_len)
		akb_buf_put_html(out, b->lang, b->lang_len);
	else
		akb_buf_puts(out, "text");
	akb_buf_puts(out, "</span><button class=\"copy\" type=\"button\" aria-label=\"Copy code\">Copy</button>"
			  "</figcaption><pre class=\"hl\"><code class=\"hl");
	if (def)
		akb_buf_printf(out, " language-%s", def);
	akb_buf_puts(out, "\">");

	struct emitter e = { out, linenos || fi.nmarked, &fi, linenos, opts ? opts->plain : NULL, 1, 0, 0 };
	/* cmark keeps the final newline; a trailing empty "line" would show as a blank numbered row. */
	size_t len = b->code_len;
	int trailing_nl = len && b->code[len - 1] == '\n';
	if (trailing_nl)
		len--;
	size_t start = out->len;
	int done = 0;
	if (def) {
		struct akb_buf err = AKB_BUF_INIT;
		if (akb_highlight(opts->hl, def, b->code, len, S_emit_token, &e, &err) == 0) {
			done = 1;
		} else {
			akb_buf_truncate(out, start);
			if (diag)
				akb_warn(diag, b->path, b->line, 0, "code block not highlighted (%s); shown as plain text",
					 err.len ? err.ptr : "highlighter failed");
		}
		akb_buf_release(&err);
	}
	if (!done) {
		struct emitter plain = { out, e.wrap, &fi, linenos, NULL, 1, 0, 0 };
		e = plain;
		S_emit_token(&e, AKB_HL_PLAIN, b->code, len);
	}
	S_close_line(&e);
	if (trailing_nl)
		akb_buf_putc(out, '\n');
	akb_buf_puts(out, "</code></pre></figure>\n");
	akb_fence_info_release(&fi);
}
