/*
 * template: the Mustache engine (contract in include/agentkb/template.h).
 *
 * A template is compiled in four passes over its source:
 *   1. S_scan splits it into text and tag tokens, following set-delimiter
 *      tags, and records where each tag starts (line and column);
 *   2. S_match pairs section, parent and block openers with their end tags;
 *   3. S_standalone finds the tags that stand alone on their line and trims
 *      that line's whitespace and newline from the neighbouring text;
 *   4. S_build turns the tokens into a tree of nodes, re-indenting blocks.
 * Rendering walks the tree with a context stack; nothing is parsed again.
 *
 * Partial indentation is applied while rendering rather than compiled in,
 * so one compiled partial serves every place that includes it. The renderer
 * keeps the current indentation and writes it before template text (or a
 * non-empty value) that begins an output line. Only newlines in template
 * text begin a line: newlines inside values never do, so values are not
 * indented, as the spec requires.
 *
 * Blocks ({{$name}}) are re-indented the same way: at compile time a block
 * body loses the indentation it had where it was written (S_build_block),
 * and at render time it gets the indentation of the place it is expanded.
 *
 * Locking: the set's mutex guards its table and every compile. Renders take
 * it once at the start (and once per dynamic partial), then read compiled
 * trees without it; a compiled tree never changes until akb_tpl_set_add
 * replaces its template or the set is freed.
 */
#include "core/prefix.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/strmap.h"
#include "agentkb/template.h"

/*
 * Limits that keep hostile templates and data from exhausting the C stack:
 * sections, parents and blocks open at once in one template, and nested
 * sections, partials, parents and blocks while rendering (recursive
 * partials end here).
 */
#define S_MAX_NESTING 256
#define S_MAX_DEPTH 1024

#define S_NONE ((size_t)-1)

/* ---------------------------------------------------------------- arena */

/*
 * Every node and string of a compiled template lives in one arena, freed as
 * a whole with the template (git mem-pool.h). Chunks never move, so nodes
 * can point at each other.
 */
struct S_chunk {
	struct S_chunk *next;
	size_t used, cap;
};

struct S_arena {
	struct S_chunk *head;
};

#define S_ALIGN (_Alignof(max_align_t))
#define S_ROUND(n) (((n) + S_ALIGN - 1) / S_ALIGN * S_ALIGN)
#define S_CHUNK_HDR S_ROUND(sizeof(struct S_chunk))
#define S_CHUNK_SIZE ((size_t)16384)

static void *S_alloc(struct S_arena *a, size_t n)
{
	if (n > SIZE_MAX - S_CHUNK_HDR - S_ALIGN)
		akb_xmalloc(SIZE_MAX); /* cannot succeed: aborts with the out-of-memory message */
	n = n ? S_ROUND(n) : S_ALIGN;
	struct S_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > S_CHUNK_SIZE / 4 ? n : S_CHUNK_SIZE;
		struct S_chunk *fresh = akb_xmalloc(S_CHUNK_HDR + cap);
		fresh->used = 0;
		fresh->cap = cap;
		if (c && cap == n) {
			/* A large block gets its own chunk; keep filling the current one. */
			fresh->next = c->next;
			c->next = fresh;
		} else {
			fresh->next = c;
			a->head = fresh;
		}
		c = fresh;
	}
	void *p = (char *)c + S_CHUNK_HDR + c->used;
	c->used += n;
	return p;
}

static char *S_strndup(struct S_arena *a, const char *s, size_t n)
{
	char *p = S_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void S_arena_free(struct S_arena *a)
{
	struct S_chunk *c = a->head;
	while (c) {
		struct S_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

/* ------------------------------------------------------------ the tree */

enum S_kind {
	S_TEXT,
	S_ESCAPED,  /* {{name}} */
	S_RAW,      /* {{{name}}}, {{&name}} */
	S_SECTION,  /* {{#name}} */
	S_INVERTED, /* {{^name}} */
	S_PARTIAL,  /* {{>name}} */
	S_PARENT,   /* {{<name}}, whose kids are its S_BLOCK arguments */
	S_BLOCK,    /* {{$name}}, whose kids are its default content */
};

enum {
	S_STANDALONE = 1 << 0, /* partial or parent alone on its line: indent it */
	S_DYNAMIC = 1 << 1,    /* {{>*name}}: the partial's name is looked up */
};

struct S_name {
	const char *full;   /* as written, trimmed */
	const char **parts; /* split at dots at compile time */
	size_t nparts;      /* 0 for the implicit iterator "." */
};

struct S_node {
	enum S_kind kind;
	unsigned flags;
	const char *text; /* S_TEXT: the text; S_PARTIAL, S_PARENT, S_BLOCK: indentation */
	size_t len;
	struct S_name name;
	struct S_entry *target;    /* static S_PARTIAL and S_PARENT */
	const struct S_node *kids; /* body, or a parent's arguments */
	size_t nkids;
	const char *path; /* of the template, for errors found while rendering */
	unsigned line, col;
};

struct S_tpl {
	struct S_arena arena;
	const struct S_node *nodes;
	size_t nnodes;
	struct S_entry **refs; /* templates named statically, compiled with this one */
	size_t nrefs;
};

/* ------------------------------------------------------------- the set */

enum S_state {
	S_NEW,      /* named somewhere, not asked of the loader yet */
	S_LOADED,   /* source known, not compiled */
	S_COMPILED,
	S_MISSING,  /* no such template: renders as nothing */
	S_BROKEN,   /* syntax error, kept in err_* */
};

struct S_entry {
	char *name;
	char *path; /* shown in diagnostics */
	enum S_state state;
	struct akb_buf src; /* S_LOADED only */
	struct S_tpl *tpl;  /* S_COMPILED only */
	/* The syntax error, reported again to each caller that reaches it. */
	unsigned err_line, err_col;
	char *err_msg;
	unsigned long visit; /* S_closure's generation mark */
	int closure_ok;      /* this template and all it names statically compiled */
};

struct akb_tpl_set {
	akb_tpl_loader_fn loader;
	void *loader_ctx;
	struct S_entry **entries; /* in the order they were first named (owned) */
	size_t count, cap;
	struct akb_strmap by_name; /* name -> index in entries */
	unsigned long visit_gen;
	pthread_mutex_t lock;
};

static int S_report(struct akb_diag *diag, const char *path, unsigned line, unsigned col,
		    const char *fmt, ...) AKB_PRINTF(5, 6);

static int S_report(struct akb_diag *diag, const char *path, unsigned line, unsigned col,
		    const char *fmt, ...)
{
	va_list ap;
	if (!diag)
		return -1;
	va_start(ap, fmt);
	akb_diag_vadd(diag, AKB_ERROR, path, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Returns the entry for `name`, creating an S_NEW one. Set locked. */
static struct S_entry *S_entry_get(struct akb_tpl_set *set, const char *name)
{
	size_t i;
	if (akb_strmap_get(&set->by_name, name, &i))
		return set->entries[i];
	if (set->count == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 32;
		set->entries = akb_xrealloc(set->entries, akb_xmul(set->cap, sizeof(*set->entries)));
	}
	struct S_entry *e = akb_xcalloc(1, sizeof(*e));
	e->name = akb_xstrdup(name);
	e->state = S_NEW;
	akb_buf_init(&e->src);
	akb_strmap_set(&set->by_name, name, set->count);
	set->entries[set->count++] = e;
	return e;
}

static void S_tpl_free(struct S_tpl *tpl)
{
	if (!tpl)
		return;
	S_arena_free(&tpl->arena);
	free(tpl);
}

/* Forgets everything but the name (for replacement and for freeing). */
static void S_entry_clear(struct S_entry *e)
{
	S_tpl_free(e->tpl);
	e->tpl = NULL;
	akb_buf_release(&e->src);
	free(e->path);
	e->path = NULL;
	free(e->err_msg);
	e->err_msg = NULL;
	e->state = S_NEW;
}

/* ------------------------------------------------------------- scanning */

enum S_tok_kind {
	T_TEXT,
	T_ESCAPED,
	T_RAW,
	T_SECTION,
	T_INVERTED,
	T_CLOSE,
	T_PARTIAL,
	T_PARENT,
	T_BLOCK,
	T_COMMENT,
	T_DELIM,
};

struct S_tok {
	enum S_tok_kind kind;
	size_t start, end;     /* the tag, or the text (narrowed by S_standalone) */
	size_t full, full_len; /* tags: the content, trimmed */
	size_t name, name_len; /* tags: the name (without a dynamic name's '*') */
	int dynamic;
	unsigned line, col;
	size_t match;  /* openers and end tags: the partner's index */
	size_t parent; /* the innermost enclosing opener, or S_NONE */
	int lead;      /* only blanks between the start of the line and the tag */
	size_t ws;     /* lead: where the line starts */
	int standalone;
	size_t after; /* standalone: just past the end of the line */
};

struct S_parser {
	struct akb_tpl_set *set;
	const char *src;
	size_t len;
	const char *path; /* in the template's arena */
	struct S_tok *toks;
	size_t ntoks, cap;
	struct S_tpl *tpl;
	struct akb_buf text; /* text waiting to become one S_TEXT node */
	struct S_entry **refs;
	size_t nrefs, refcap;
	unsigned err_line, err_col;
	struct akb_buf err; /* the first syntax error; empty if none */
};

static int S_fail(struct S_parser *p, unsigned line, unsigned col, const char *fmt, ...)
	AKB_PRINTF(4, 5);

static int S_fail(struct S_parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	if (p->err.len)
		return -1;
	p->err_line = line;
	p->err_col = col;
	va_start(ap, fmt);
	akb_buf_vprintf(&p->err, fmt, ap);
	va_end(ap);
	return -1;
}

static int S_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Index of `needle` in s[from, len), or S_NONE. Delimiters are short, so no Boyer-Moore. */
static size_t S_find(const char *s, size_t from, size_t len, const char *needle, size_t nlen)
{
	while (from < len && len - from >= nlen) {
		const char *hit = memchr(s + from, needle[0], len - from - nlen + 1);
		if (!hit)
			break;
		if (memcmp(hit, needle, nlen) == 0)
			return (size_t)(hit - s);
		from = (size_t)(hit - s) + 1;
	}
	return S_NONE;
}

/* Tracks line numbers incrementally: tags are met in order, so this is linear. */
struct S_pos {
	size_t at, line_start;
	unsigned line;
};

static void S_locate(const char *src, struct S_pos *ps, size_t to, unsigned *line, unsigned *col)
{
	while (ps->at < to) {
		const char *nl = memchr(src + ps->at, '\n', to - ps->at);
		if (!nl)
			break;
		ps->line++;
		ps->at = ps->line_start = (size_t)(nl - src) + 1;
	}
	ps->at = to;
	*line = ps->line;
	*col = (unsigned)(to - ps->line_start + 1);
}

static struct S_tok *S_push_tok(struct S_parser *p, enum S_tok_kind kind, size_t start, size_t end)
{
	if (p->ntoks == p->cap) {
		p->cap = p->cap ? p->cap + p->cap / 2 : 64;
		p->toks = akb_xrealloc(p->toks, akb_xmul(p->cap, sizeof(*p->toks)));
	}
	struct S_tok *t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	t->match = t->parent = S_NONE;
	return t;
}

static void S_trim(const char *src, size_t *a, size_t *b)
{
	while (*a < *b && (S_blank(src[*a]) || src[*a] == '\n' || src[*a] == '\r'))
		(*a)++;
	while (*b > *a && (S_blank(src[*b - 1]) || src[*b - 1] == '\n' || src[*b - 1] == '\r'))
		(*b)--;
}

/* Parses "{{=<% %>=}}" content [a, b) into new delimiters (pointers into the source). */
static int S_set_delims(const char *src, size_t a, size_t b, const char **open, size_t *olen,
			const char **close, size_t *clen)
{
	S_trim(src, &a, &b);
	size_t m = a;
	while (m < b && !S_blank(src[m]))
		m++;
	size_t c = m;
	while (c < b && S_blank(src[c]))
		c++;
	if (m == a || c == m || c == b)
		return -1;
	for (size_t i = c; i < b; i++)
		if (S_blank(src[i]) || src[i] == '\n')
			return -1;
	*open = src + a;
	*olen = m - a;
	*close = src + c;
	*clen = b - c;
	return 0;
}

static int S_scan(struct S_parser *p)
{
	const char *src = p->src;
	size_t len = p->len, pos = 0;
	const char *open = "{{", *close = "}}";
	size_t olen = 2, clen = 2;
	struct S_pos ps = { 0, 0, 1 };

	while (pos < len) {
		size_t at = S_find(src, pos, len, open, olen);
		if (at == S_NONE)
			at = len;
		if (at > pos)
			S_push_tok(p, T_TEXT, pos, at);
		if (at == len)
			break;

		unsigned line, col;
		S_locate(src, &ps, at, &line, &col);
		size_t q = at + olen;
		enum S_tok_kind kind = T_ESCAPED;
		char tail = 0; /* "{{{x}}}" and "{{=a b=}}" end with one more character */
		switch (q < len ? src[q] : '\0') {
		case '{': kind = T_RAW; tail = '}'; break;
		case '&': kind = T_RAW; break;
		case '#': kind = T_SECTION; break;
		case '^': kind = T_INVERTED; break;
		case '/': kind = T_CLOSE; break;
		case '>': kind = T_PARTIAL; break;
		case '<': kind = T_PARENT; break;
		case '$': kind = T_BLOCK; break;
		case '!': kind = T_COMMENT; break;
		case '=': kind = T_DELIM; tail = '='; break;
		default: break;
		}
		if (kind != T_ESCAPED)
			q++;
		size_t end = S_find(src, q, len, close, clen);
		while (tail && end != S_NONE && (end == q || src[end - 1] != tail))
			end = S_find(src, end + 1, len, close, clen);
		if (end == S_NONE) {
			const char *extra = tail == '}' ? "}" : tail == '=' ? "=" : "";
			return S_fail(p, line, col, "unclosed tag: missing '%s%.*s'", extra, (int)clen, close);
		}

		size_t a = q, b = tail ? end - 1 : end;
		struct S_tok *t = S_push_tok(p, kind, at, end + clen);
		t->line = line;
		t->col = col;
		pos = end + clen;
		if (kind == T_DELIM) {
			if (S_set_delims(src, a, b, &open, &olen, &close, &clen) < 0)
				return S_fail(p, line, col, "invalid set delimiters tag");
			continue;
		}
		if (kind == T_COMMENT)
			continue;
		S_trim(src, &a, &b);
		t->full = a;
		t->full_len = b - a;
		if ((kind == T_PARTIAL || kind == T_PARENT) && a < b && src[a] == '*') {
			t->dynamic = 1;
			a++;
			S_trim(src, &a, &b);
		}
		if (a == b)
			return S_fail(p, line, col, "missing name in tag");
		t->name = a;
		t->name_len = b - a;
	}
	return 0;
}

/* ------------------------------------------------------------- matching */

static int S_opener(enum S_tok_kind k)
{
	return k == T_SECTION || k == T_INVERTED || k == T_PARENT || k == T_BLOCK;
}

static const char *S_kind_word(enum S_tok_kind k)
{
	return k == T_PARENT ? "parent" : k == T_BLOCK ? "block" : "section";
}

static int S_match(struct S_parser *p)
{
	size_t stack[S_MAX_NESTING], depth = 0;
	const char *src = p->src;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct S_tok *t = &p->toks[i];
		t->parent = depth ? stack[depth - 1] : S_NONE;
		if (S_opener(t->kind)) {
			if (depth == S_MAX_NESTING)
				return S_fail(p, t->line, t->col, "sections nested too deeply (more than %d)",
					      S_MAX_NESTING);
			stack[depth++] = i;
		} else if (t->kind == T_CLOSE) {
			int n = (int)t->full_len;
			if (!depth)
				return S_fail(p, t->line, t->col, "unexpected end tag '%.*s'", n, src + t->full);
			struct S_tok *o = &p->toks[stack[depth - 1]];
			if (o->full_len != t->full_len || memcmp(src + o->full, src + t->full, t->full_len))
				return S_fail(p, t->line, t->col,
					      "mismatched end tag '%.*s': expected '%.*s' "
					      "(opened at line %u, column %u)",
					      n, src + t->full, (int)o->full_len, src + o->full, o->line, o->col);
			t->match = stack[depth - 1];
			o->match = i;
			t->parent = o->parent;
			depth--;
		}
	}
	if (depth) {
		struct S_tok *o = &p->toks[stack[depth - 1]];
		return S_fail(p, o->line, o->col, "unclosed %s '%.*s'", S_kind_word(o->kind),
			      (int)o->full_len, src + o->full);
	}
	return 0;
}

/* ----------------------------------------------------------- standalone */

/* Whether only blanks precede `at` on its line; sets *ls to the line start. */
static int S_line_before(const char *src, size_t at, size_t *ls)
{
	while (at > 0 && S_blank(src[at - 1]))
		at--;
	if (at > 0 && src[at - 1] != '\n')
		return 0;
	*ls = at;
	return 1;
}

/* Whether only blanks follow `at` on its line; sets *after past the newline. */
static int S_line_after(const char *src, size_t len, size_t at, size_t *after)
{
	while (at < len && S_blank(src[at]))
		at++;
	if (at == len)
		*after = at;
	else if (src[at] == '\n')
		*after = at + 1;
	else if (src[at] == '\r' && at + 1 < len && src[at + 1] == '\n')
		*after = at + 2;
	else
		return 0;
	return 1;
}

static int S_blank_until(const char *src, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!S_blank(src[a]))
			return 0;
	return 1;
}

/* Removes a standalone line's indentation and newline from the text around tags i..j. */
static void S_cut_line(struct S_parser *p, size_t i, size_t ls, size_t j, size_t after)
{
	struct S_tok *prev = i > 0 ? &p->toks[i - 1] : NULL;
	struct S_tok *next = j + 1 < p->ntoks ? &p->toks[j + 1] : NULL;
	if (prev && prev->kind == T_TEXT && prev->end > ls)
		prev->end = ls > prev->start ? ls : prev->start;
	if (next && next->kind == T_TEXT && next->start < after)
		next->start = after < next->end ? after : next->end;
}

/*
 * Decides which tags stand alone on their line. Beyond the usual one-tag
 * lines, inheritance needs three more shapes, all seen in the spec:
 *  - a parent whose opening and end tags are on one line, "  {{<p}}{{/p}}",
 *    stands alone as a unit (like a partial tag);
 *  - an argument block may follow its parent's opening tag on the line,
 *    "{{<p}}{{$b}}": text there is ignored anyway;
 *  - an argument block's end tag may be followed by its parent's end tag,
 *    "{{/b}}{{/p}}", for the same reason.
 */
static void S_standalone(struct S_parser *p)
{
	const char *src = p->src;
	size_t len = p->len;

	for (size_t i = 0; i < p->ntoks; i++) {
		struct S_tok *t = &p->toks[i];
		if (t->kind == T_TEXT)
			continue;
		t->lead = S_line_before(src, t->start, &t->ws);
		if (t->kind == T_ESCAPED || t->kind == T_RAW)
			continue;

		if (t->kind == T_PARENT) {
			struct S_tok *c = &p->toks[t->match];
			if (t->lead && S_line_after(src, len, c->end, &c->after)) {
				t->standalone = c->standalone = 1;
				t->after = c->after;
				S_cut_line(p, i, t->ws, t->match, c->after);
			}
			continue;
		}
		const struct S_tok *o = t->kind == T_CLOSE ? &p->toks[t->match] : t;
		if (t->kind == T_CLOSE && o->kind == T_PARENT && o->standalone)
			continue;
		int arg = o->kind == T_BLOCK && o->parent != S_NONE && p->toks[o->parent].kind == T_PARENT;

		if (arg && t->kind == T_BLOCK && !t->lead) {
			const struct S_tok *par = &p->toks[t->parent];
			size_t q = t->start, ls;
			while (q > par->end && S_blank(src[q - 1]))
				q--;
			if (q == par->end && S_line_before(src, par->start, &ls) &&
			    S_line_after(src, len, t->end, &t->after)) {
				t->standalone = 1;
				S_cut_line(p, i, t->start, i, t->after);
			}
			continue;
		}
		if (arg && t->kind == T_CLOSE && t->lead &&
		    S_blank_until(src, t->end, p->toks[p->toks[o->parent].match].start)) {
			t->standalone = 1;
			t->after = t->end;
			S_cut_line(p, i, t->ws, i, t->end);
			continue;
		}
		if (t->lead && S_line_after(src, len, t->end, &t->after)) {
			t->standalone = 1;
			S_cut_line(p, i, t->ws, i, t->after);
		}
	}
}

/* ------------------------------------------------------------- building */

struct S_vec {
	struct S_node *v;
	size_t n, cap;
};

static struct S_node *S_vec_push(struct S_vec *vec)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 8;
		vec->v = akb_xrealloc(vec->v, akb_xmul(vec->cap, sizeof(*vec->v)));
	}
	struct S_node *nd = &vec->v[vec->n++];
	memset(nd, 0, sizeof(*nd));
	return nd;
}

static void S_flush_text(struct S_parser *p, struct S_vec *vec)
{
	if (!p->text.len)
		return;
	struct S_node *nd = S_vec_push(vec);
	nd->kind = S_TEXT;
	nd->text = S_strndup(&p->tpl->arena, p->text.ptr, p->text.len);
	nd->len = p->text.len;
	akb_buf_clear(&p->text);
}

/*
 * Adds source text [a, b) to the pending text node, removing up to `ctx`
 * (the indentation of the enclosing block, see S_build_block) from the
 * start of each source line.
 */
static void S_add_text(struct S_parser *p, size_t a, size_t b, const char *ctx, size_t clen)
{
	const char *src = p->src;
	if (!clen) {
		akb_buf_put(&p->text, src + a, b - a);
		return;
	}
	while (a < b) {
		if (a == 0 || src[a - 1] == '\n')
			for (size_t k = 0; k < clen && a < b && src[a] == ctx[k]; k++)
				a++;
		const char *nl = memchr(src + a, '\n', b - a);
		size_t e = nl ? (size_t)(nl - src) + 1 : b;
		akb_buf_put(&p->text, src + a, e - a);
		a = e;
	}
}

/* `abs` without the part it shares with `ctx`: indentation relative to the enclosing block. */
static const char *S_relative(struct S_parser *p, const char *abs, size_t alen, const char *ctx,
			      size_t clen, size_t *out_len)
{
	size_t k = 0;
	while (k < alen && k < clen && abs[k] == ctx[k])
		k++;
	*out_len = alen - k;
	return S_strndup(&p->tpl->arena, abs + k, alen - k);
}

static struct S_name S_make_name(struct S_parser *p, size_t at, size_t n)
{
	struct S_arena *a = &p->tpl->arena;
	struct S_name nm;
	nm.full = S_strndup(a, p->src + at, n);
	nm.parts = NULL;
	nm.nparts = 0;
	if (n == 1 && nm.full[0] == '.')
		return nm;
	size_t count = 1;
	for (size_t i = 0; i < n; i++)
		count += nm.full[i] == '.';
	nm.parts = S_alloc(a, akb_xmul(count, sizeof(*nm.parts)));
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || nm.full[i] == '.') {
			nm.parts[nm.nparts++] = S_strndup(a, nm.full + start, i - start);
			start = i + 1;
		}
	}
	return nm;
}

static struct S_node *S_new_node(struct S_parser *p, struct S_vec *vec, const struct S_tok *t,
				 enum S_kind kind)
{
	S_flush_text(p, vec);
	struct S_node *nd = S_vec_push(vec);
	nd->kind = kind;
	nd->path = p->path;
	nd->line = t->line;
	nd->col = t->col;
	nd->name = S_make_name(p, t->name, t->name_len);
	return nd;
}

/* Sets up a partial or parent: its target, or a dynamic name, and its indentation. */
static void S_include(struct S_parser *p, struct S_node *nd, const struct S_tok *t, const char *ctx,
		      size_t clen)
{
	if (t->dynamic) {
		nd->flags |= S_DYNAMIC;
	} else {
		nd->target = S_entry_get(p->set, nd->name.full);
		if (p->nrefs == p->refcap) {
			p->refcap = p->refcap ? p->refcap * 2 : 8;
			p->refs = akb_xrealloc(p->refs, akb_xmul(p->refcap, sizeof(*p->refs)));
		}
		p->refs[p->nrefs++] = nd->target;
	}
	if (t->standalone) {
		nd->flags |= S_STANDALONE;
		nd->text = S_relative(p, p->src + t->ws, t->start - t->ws, ctx, clen, &nd->len);
	}
}

static void S_build(struct S_parser *p, size_t from, size_t to, const char *ctx, size_t clen,
		    const struct S_node **nodes, size_t *n);

/* The indentation of the first line in [a, b) with more than blanks on it. */
static int S_first_indent(const char *src, size_t a, size_t b, const char **ind, size_t *ilen)
{
	while (a < b) {
		size_t q = a;
		while (q < b && S_blank(src[q]))
			q++;
		if (q < b && src[q] != '\n' && !(src[q] == '\r' && q + 1 < b && src[q + 1] == '\n')) {
			*ind = src + a;
			*ilen = q - a;
			return 1;
		}
		const char *nl = memchr(src + q, '\n', b - q);
		if (!nl)
			break;
		a = (size_t)(nl - src) + 1;
	}
	return 0;
}

/*
 * Builds block t (a parameter with default content, or an argument). Its
 * indentation is that of its content when the opening tag stands alone
 * (the spec's "intrinsic indentation"), else the blanks before the tag if
 * it starts its line, else that of the enclosing block. The body is built
 * with that indentation removed from its lines, and the node keeps it,
 * relative to the enclosing block, to add back where the block is expanded.
 */
static void S_build_block(struct S_parser *p, size_t i, struct S_node *nd, const char *ctx, size_t clen)
{
	const char *src = p->src;
	const struct S_tok *t = &p->toks[i], *c = &p->toks[t->match];
	const char *abs = ctx;
	size_t alen = clen;

	if (t->standalone) {
		size_t b = c->standalone ? c->ws : c->start;
		if (!S_first_indent(src, t->after, b, &abs, &alen) && t->lead) {
			abs = src + t->ws;
			alen = t->start - t->ws;
		}
	} else if (t->lead) {
		abs = src + t->ws;
		alen = t->start - t->ws;
	}
	nd->text = S_relative(p, abs, alen, ctx, clen, &nd->len);
	S_build(p, i + 1, t->match, abs, alen, &nd->kids, &nd->nkids);
}

/* Builds the argument blocks of parent i; other content of a parent is ignored. */
static void S_build_args(struct S_parser *p, size_t i, struct S_node *nd, const char *ctx, size_t clen)
{
	struct S_vec args = { NULL, 0, 0 };
	for (size_t j = i + 1; j < p->toks[i].match; j++) {
		const struct S_tok *t = &p->toks[j];
		if (t->kind == T_BLOCK && t->parent == i) {
			struct S_node *a = S_vec_push(&args);
			a->kind = S_BLOCK;
			a->path = p->path;
			a->line = t->line;
			a->col = t->col;
			a->name = S_make_name(p, t->name, t->name_len);
			S_build_block(p, j, a, ctx, clen);
		}
		if (S_opener(t->kind))
			j = t->match;
	}
	if (args.n) {
		struct S_node *copy = S_alloc(&p->tpl->arena, akb_xmul(args.n, sizeof(*copy)));
		memcpy(copy, args.v, args.n * sizeof(*copy));
		nd->kids = copy;
		nd->nkids = args.n;
	}
	free(args.v);
}

/* Builds tokens [from, to), one nesting level, into an arena array. */
static void S_build(struct S_parser *p, size_t from, size_t to, const char *ctx, size_t clen,
		    const struct S_node **nodes, size_t *n)
{
	struct S_vec vec = { NULL, 0, 0 };
	for (size_t i = from; i < to; i++) {
		const struct S_tok *t = &p->toks[i];
		struct S_node *nd;
		switch (t->kind) {
		case T_TEXT:
			S_add_text(p, t->start, t->end, ctx, clen);
			break;
		case T_COMMENT:
		case T_DELIM:
		case T_CLOSE:
			break;
		case T_ESCAPED:
		case T_RAW:
			S_new_node(p, &vec, t, t->kind == T_ESCAPED ? S_ESCAPED : S_RAW);
			break;
		case T_SECTION:
		case T_INVERTED:
			/* `vec` does not grow while the body is built, so `nd` stays valid. */
			nd = S_new_node(p, &vec, t, t->kind == T_SECTION ? S_SECTION : S_INVERTED);
			S_build(p, i + 1, t->match, ctx, clen, &nd->kids, &nd->nkids);
			i = t->match;
			break;
		case T_PARTIAL:
			nd = S_new_node(p, &vec, t, S_PARTIAL);
			S_include(p, nd, t, ctx, clen);
			break;
		case T_PARENT:
			nd = S_new_node(p, &vec, t, S_PARENT);
			S_include(p, nd, t, ctx, clen);
			S_build_args(p, i, nd, ctx, clen);
			i = t->match;
			break;
		case T_BLOCK:
			nd = S_new_node(p, &vec, t, S_BLOCK);
			S_build_block(p, i, nd, ctx, clen);
			i = t->match;
			break;
		}
	}
	S_flush_text(p, &vec);
	*nodes = NULL;
	*n = vec.n;
	if (vec.n) {
		struct S_node *copy = S_alloc(&p->tpl->arena, akb_xmul(vec.n, sizeof(*copy)));
		memcpy(copy, vec.v, vec.n * sizeof(*copy));
		*nodes = copy;
	}
	free(vec.v);
}

struct S_error {
	unsigned line, col;
	char *msg; /* owned */
};

/* Compiles `src`; the set must be locked (static partials get entries). NULL on a syntax error. */
static struct S_tpl *S_parse(struct akb_tpl_set *set, const char *src, size_t len, const char *path,
			     struct S_error *err)
{
	struct S_parser p = {
		.set = set, .src = src, .len = len, .text = AKB_BUF_INIT, .err = AKB_BUF_INIT,
		.tpl = akb_xcalloc(1, sizeof(struct S_tpl)),
	};
	p.path = S_strndup(&p.tpl->arena, path, strlen(path));

	struct S_tpl *tpl = p.tpl;
	if (S_scan(&p) < 0 || S_match(&p) < 0) {
		err->line = p.err_line;
		err->col = p.err_col;
		err->msg = akb_buf_detach(&p.err, NULL);
		S_tpl_free(tpl);
		tpl = NULL;
	} else {
		S_standalone(&p);
		S_build(&p, 0, p.ntoks, "", 0, &tpl->nodes, &tpl->nnodes);
		if (p.nrefs) {
			tpl->refs = S_alloc(&tpl->arena, akb_xmul(p.nrefs, sizeof(*tpl->refs)));
			memcpy(tpl->refs, p.refs, p.nrefs * sizeof(*tpl->refs));
			tpl->nrefs = p.nrefs;
		}
	}
	free(p.toks);
	free(p.refs);
	akb_buf_release(&p.text);
	akb_buf_release(&p.err);
	return tpl;
}

/* ------------------------------------------------------------ compiling */

/* Loads and compiles `e` if not done yet; set locked. Returns 0, or -1 on a syntax error. */
static int S_compile_entry(struct akb_tpl_set *set, struct S_entry *e, struct akb_diag *diag)
{
	if (e->state == S_NEW) {
		struct akb_buf path = AKB_BUF_INIT;
		e->state = S_MISSING;
		if (set->loader && set->loader(set->loader_ctx, e->name, &e->src, &path) == 0) {
			e->state = S_LOADED;
			e->path = path.len ? akb_buf_detach(&path, NULL) : akb_xstrdup(e->name);
		} else {
			akb_buf_release(&e->src);
		}
		akb_buf_release(&path);
	}
	if (e->state == S_LOADED) {
		struct S_error err = { 0, 0, NULL };
		e->tpl = S_parse(set, e->src.ptr, e->src.len, e->path, &err);
		akb_buf_release(&e->src);
		if (e->tpl) {
			e->state = S_COMPILED;
		} else {
			e->state = S_BROKEN;
			e->err_line = err.line;
			e->err_col = err.col;
			e->err_msg = err.msg;
		}
	}
	if (e->state == S_BROKEN)
		return S_report(diag, e->path, e->err_line, e->err_col, "%s", e->err_msg);
	return 0;
}

/*
 * Compiles `root` and every template it names statically, transitively
 * (partials name each other in cycles, so entries are marked per call).
 * Set locked. Every syntax error met is reported; returns 0 or -1.
 */
static int S_closure(struct akb_tpl_set *set, struct S_entry *root, struct akb_diag *diag)
{
	if (root->closure_ok)
		return 0;
	unsigned long gen = ++set->visit_gen;
	struct S_entry **todo = NULL, **seen = NULL;
	size_t ntodo = 0, todocap = 0, nseen = 0, seencap = 0;
	int rc = 0;

	todo = akb_xmalloc(sizeof(*todo) * (todocap = 16));
	todo[ntodo++] = root;
	while (ntodo) {
		struct S_entry *e = todo[--ntodo];
		if (e->visit == gen)
			continue;
		e->visit = gen;
		if (nseen == seencap) {
			seencap = seencap ? seencap * 2 : 16;
			seen = akb_xrealloc(seen, akb_xmul(seencap, sizeof(*seen)));
		}
		seen[nseen++] = e;
		if (e->closure_ok)
			continue;
		if (S_compile_entry(set, e, diag) < 0) {
			rc = -1;
			continue;
		}
		if (e->state != S_COMPILED)
			continue;
		for (size_t i = 0; i < e->tpl->nrefs; i++) {
			if (e->tpl->refs[i]->visit == gen)
				continue;
			if (ntodo == todocap) {
				todocap *= 2;
				todo = akb_xrealloc(todo, akb_xmul(todocap, sizeof(*todo)));
			}
			todo[ntodo++] = e->tpl->refs[i];
		}
	}
	/* Whatever the root reaches, each visited entry reaches too: all are complete. */
	if (rc == 0)
		for (size_t i = 0; i < nseen; i++)
			seen[i]->closure_ok = 1;
	free(todo);
	free(seen);
	return rc;
}

static int S_closure_refs(struct akb_tpl_set *set, const struct S_tpl *tpl, struct akb_diag *diag)
{
	int rc = 0;
	for (size_t i = 0; i < tpl->nrefs; i++)
		if (S_closure(set, tpl->refs[i], diag) < 0)
			rc = -1;
	return rc;
}

/* ------------------------------------------------------------ rendering */

/* The arguments of one parent tag being expanded, innermost first. */
struct S_frame {
	const struct S_node *args;
	size_t nargs;
	const struct S_frame *outer;
};

struct S_render {
	struct akb_tpl_set *set;
	struct akb_buf *out;
	struct akb_diag *diag;
	struct akb_buf indent; /* indentation of the enclosing standalone partials and blocks */
	size_t indent_base;    /* the current one is indent.ptr[indent_base, len) */
	int at_line_start;     /* template text has just ended a line */
	const struct akb_value **stack;
	size_t nstack, stack_cap;
	unsigned depth;
	int failed;
};

static const struct akb_value S_null = AKB_VALUE_NULL;

static void S_render_nodes(struct S_render *r, const struct S_node *nodes, size_t n,
			   const struct S_frame *frame);

static void S_put_indent(struct S_render *r)
{
	if (r->at_line_start && r->indent.len > r->indent_base)
		akb_buf_put(r->out, r->indent.ptr + r->indent_base, r->indent.len - r->indent_base);
}

static void S_put_text(struct S_render *r, const char *s, size_t len)
{
	if (!len)
		return;
	if (r->indent.len == r->indent_base) {
		akb_buf_put(r->out, s, len);
		r->at_line_start = s[len - 1] == '\n';
		return;
	}
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;
		S_put_indent(r);
		akb_buf_put(r->out, s, n);
		r->at_line_start = nl != NULL;
		s += n;
		len -= n;
	}
}

/* A child of `v` named `key`: map keys, and list indexes after the first part of a name. */
static const struct akb_value *S_child(const struct akb_value *v, const char *key, int index_ok)
{
	if (v->kind == AKB_MAP)
		return akb_map_get(v, key);
	if (index_ok && v->kind == AKB_LIST && *key) {
		size_t i = 0;
		for (const char *k = key; *k; k++) {
			if (*k < '0' || *k > '9' || i > SIZE_MAX / 10 - 1)
				return NULL;
			i = i * 10 + (size_t)(*k - '0');
		}
		return i < v->u.list.len ? &v->u.list.items[i] : NULL;
	}
	return NULL;
}

/* Resolves a name against the context stack as the spec says; NULL when it fails. */
static const struct akb_value *S_lookup(const struct S_render *r, const struct S_name *nm)
{
	if (!nm->nparts)
		return r->stack[r->nstack - 1];
	const struct akb_value *v = NULL;
	for (size_t i = r->nstack; i-- > 0 && !v;)
		v = S_child(r->stack[i], nm->parts[0], 0);
	for (size_t k = 1; v && k < nm->nparts; k++)
		v = S_child(v, nm->parts[k], 1);
	return v;
}

static void S_push(struct S_render *r, const struct akb_value *v)
{
	if (r->nstack == r->stack_cap) {
		r->stack_cap = r->stack_cap ? r->stack_cap * 2 : 16;
		r->stack = akb_xrealloc(r->stack, akb_xmul(r->stack_cap, sizeof(*r->stack)));
	}
	r->stack[r->nstack++] = v;
}

static int S_enter(struct S_render *r, const struct S_node *nd)
{
	if (r->depth >= S_MAX_DEPTH) {
		S_report(r->diag, nd->path, nd->line, nd->col,
			 "templates nested too deeply (more than %d levels): recursive partial '%s'?",
			 S_MAX_DEPTH, nd->name.full);
		r->failed = 1;
		return -1;
	}
	r->depth++;
	return 0;
}

static void S_render_value(struct S_render *r, const struct S_node *nd)
{
	const struct akb_value *v = S_lookup(r, &nd->name);
	if (!v)
		return;
	if (v->kind == AKB_STRING) {
		if (!v->u.str.len)
			return;
		S_put_indent(r);
		if (nd->kind == S_ESCAPED)
			akb_buf_put_html(r->out, v->u.str.ptr, v->u.str.len);
		else
			akb_buf_put(r->out, v->u.str.ptr, v->u.str.len);
	} else if (v->kind == AKB_NUMBER || v->kind == AKB_BOOL) {
		S_put_indent(r); /* their text needs no escaping */
		akb_value_to_text(v, r->out);
	} else {
		return;
	}
	r->at_line_start = 0;
}

static void S_render_section(struct S_render *r, const struct S_node *nd, const struct S_frame *frame)
{
	const struct akb_value *v = S_lookup(r, &nd->name);
	int truthy = akb_value_truthy(v);
	if (nd->kind == S_INVERTED ? truthy : !truthy)
		return;
	if (S_enter(r, nd) < 0)
		return;
	if (nd->kind == S_INVERTED) {
		S_render_nodes(r, nd->kids, nd->nkids, frame);
	} else if (v->kind == AKB_LIST) {
		for (size_t i = 0; i < v->u.list.len && !r->failed; i++) {
			S_push(r, &v->u.list.items[i]);
			S_render_nodes(r, nd->kids, nd->nkids, frame);
			r->nstack--;
		}
	} else {
		S_push(r, v);
		S_render_nodes(r, nd->kids, nd->nkids, frame);
		r->nstack--;
	}
	r->depth--;
}

/* Looks up a dynamic partial's name and compiles that template if needed. */
static struct S_entry *S_dynamic_target(struct S_render *r, const struct S_node *nd)
{
	const struct akb_value *v = S_lookup(r, &nd->name);
	if (!v)
		return NULL;
	struct akb_buf name = AKB_BUF_INIT;
	akb_value_to_text(v, &name);
	struct S_entry *e = NULL;
	if (name.len && !memchr(name.ptr, '\0', name.len)) {
		pthread_mutex_lock(&r->set->lock);
		e = S_entry_get(r->set, name.ptr);
		if (S_closure(r->set, e, r->diag) < 0)
			r->failed = 1;
		pthread_mutex_unlock(&r->set->lock);
	}
	akb_buf_release(&name);
	return e;
}

/*
 * A partial, or a parent with its arguments. A standalone one adds its
 * indentation to the current one; an inline one starts with none (its lines
 * after the first are not lines of the including template).
 */
static void S_render_include(struct S_render *r, const struct S_node *nd, const struct S_frame *frame)
{
	struct S_entry *e = nd->flags & S_DYNAMIC ? S_dynamic_target(r, nd) : nd->target;
	if (!e || e->state != S_COMPILED || r->failed)
		return;
	struct S_frame inner = { nd->kids, nd->nkids, frame };
	size_t old_len = r->indent.len, old_base = r->indent_base;
	if (nd->flags & S_STANDALONE)
		akb_buf_put(&r->indent, nd->text, nd->len);
	else
		r->indent_base = r->indent.len;
	if (S_enter(r, nd) == 0) {
		S_render_nodes(r, e->tpl->nodes, e->tpl->nnodes, nd->kind == S_PARENT ? &inner : frame);
		r->depth--;
	}
	akb_buf_truncate(&r->indent, old_len);
	r->indent_base = old_base;
}

/*
 * A block renders the outermost argument of that name, else its default
 * content. An argument renders with the frames outside the parent tag that
 * passed it, as written there, so it cannot override itself.
 */
static void S_render_block(struct S_render *r, const struct S_node *nd, const struct S_frame *frame)
{
	const struct S_node *body = nd;
	const struct S_frame *body_frame = frame;
	for (const struct S_frame *f = frame; f; f = f->outer) {
		for (size_t i = 0; i < f->nargs; i++) {
			if (strcmp(f->args[i].name.full, nd->name.full) == 0) {
				body = &f->args[i];
				body_frame = f->outer;
				break;
			}
		}
	}
	if (!body->nkids || S_enter(r, nd) < 0)
		return;
	size_t old_len = r->indent.len;
	akb_buf_put(&r->indent, nd->text, nd->len);
	S_render_nodes(r, body->kids, body->nkids, body_frame);
	akb_buf_truncate(&r->indent, old_len);
	r->depth--;
}

static void S_render_nodes(struct S_render *r, const struct S_node *nodes, size_t n,
			   const struct S_frame *frame)
{
	for (size_t i = 0; i < n && !r->failed; i++) {
		const struct S_node *nd = &nodes[i];
		switch (nd->kind) {
		case S_TEXT:
			S_put_text(r, nd->text, nd->len);
			break;
		case S_ESCAPED:
		case S_RAW:
			S_render_value(r, nd);
			break;
		case S_SECTION:
		case S_INVERTED:
			S_render_section(r, nd, frame);
			break;
		case S_PARTIAL:
		case S_PARENT:
			S_render_include(r, nd, frame);
			break;
		case S_BLOCK:
			S_render_block(r, nd, frame);
			break;
		}
	}
}

/* Renders a compiled tree; everything it names statically must be compiled. */
static int S_render_tpl(struct akb_tpl_set *set, const struct S_tpl *tpl, const struct akb_value *data,
			struct akb_buf *out, struct akb_diag *diag)
{
	struct S_render r = { .set = set, .out = out, .diag = diag, .indent = AKB_BUF_INIT, .at_line_start = 1 };
	S_push(&r, data ? data : &S_null);
	S_render_nodes(&r, tpl->nodes, tpl->nnodes, NULL);
	free(r.stack);
	akb_buf_release(&r.indent);
	return r.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ API */

struct akb_tpl_set *akb_tpl_set_new(akb_tpl_loader_fn loader, void *loader_ctx)
{
	struct akb_tpl_set *set = akb_xcalloc(1, sizeof(*set));
	set->loader = loader;
	set->loader_ctx = loader_ctx;
	akb_strmap_init(&set->by_name);
	if (pthread_mutex_init(&set->lock, NULL) != 0)
		akb_die("unable to create a mutex");
	return set;
}

void akb_tpl_set_free(struct akb_tpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++) {
		S_entry_clear(set->entries[i]);
		free(set->entries[i]->name);
		free(set->entries[i]);
	}
	free(set->entries);
	akb_strmap_release(&set->by_name);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

void akb_tpl_set_add(struct akb_tpl_set *set, const char *name, const char *src, size_t len)
{
	pthread_mutex_lock(&set->lock);
	struct S_entry *e = S_entry_get(set, name);
	S_entry_clear(e);
	akb_buf_put(&e->src, src, len);
	e->path = akb_xstrdup(name);
	e->state = S_LOADED;
	/* Any template may reach this one: their closures must be checked again. */
	for (size_t i = 0; i < set->count; i++)
		set->entries[i]->closure_ok = 0;
	pthread_mutex_unlock(&set->lock);
}

/* Set locked. */
static int S_compile_named(struct akb_tpl_set *set, const char *name, struct akb_diag *diag,
			   struct S_entry **out)
{
	struct S_entry *e = S_entry_get(set, name);
	int rc = S_closure(set, e, diag);
	if (rc == 0 && e->state == S_MISSING)
		rc = S_report(diag, NULL, 0, 0, "template '%s' not found", name);
	*out = e;
	return rc;
}

int akb_tpl_set_compile(struct akb_tpl_set *set, const char *name, struct akb_diag *diag)
{
	struct S_entry *e;
	pthread_mutex_lock(&set->lock);
	int rc = S_compile_named(set, name, diag, &e);
	pthread_mutex_unlock(&set->lock);
	return rc;
}

int akb_tpl_set_compile_all(struct akb_tpl_set *set, struct akb_diag *diag)
{
	int rc = 0;
	pthread_mutex_lock(&set->lock);
	/* Compiling names new entries (and may move the array): walk the ones there are now, by index. */
	size_t n = set->count;
	for (size_t i = 0; i < n; i++)
		if (S_closure(set, set->entries[i], diag) < 0)
			rc = -1;
	pthread_mutex_unlock(&set->lock);
	return rc;
}

int akb_tpl_render(struct akb_tpl_set *set, const char *name, const struct akb_value *data,
		   struct akb_buf *out, struct akb_diag *diag)
{
	struct S_entry *e;
	pthread_mutex_lock(&set->lock);
	int rc = S_compile_named(set, name, diag, &e);
	pthread_mutex_unlock(&set->lock);
	if (rc < 0)
		return -1;
	return S_render_tpl(set, e->tpl, data, out, diag);
}

int akb_tpl_render_string(struct akb_tpl_set *set, const char *src, size_t len,
			  const struct akb_value *data, struct akb_buf *out, struct akb_diag *diag)
{
	static const char path[] = "<string>";
	struct S_error err = { 0, 0, NULL };
	pthread_mutex_lock(&set->lock);
	struct S_tpl *tpl = S_parse(set, src, len, path, &err);
	int rc = tpl ? S_closure_refs(set, tpl, diag)
		     : S_report(diag, path, err.line, err.col, "%s", err.msg);
	pthread_mutex_unlock(&set->lock);
	free(err.msg);
	if (rc == 0)
		rc = S_render_tpl(set, tpl, data, out, diag);
	S_tpl_free(tpl);
	return rc;
}
