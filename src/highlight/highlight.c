/*
 * highlight: the engine. It follows the `highlight` program's parser
 * (CodeGenerator::processRootState and the process*State functions of
 * src/core/codegenerator.cpp, version 3.41) step for step, because its
 * language definitions were written against that parser's quirks: input is
 * read line by line; at each position the first pattern, in definition
 * order, whose match starts there wins; a token found by a pattern is
 * consumed whole; each state keeps its span open while the same state
 * continues, and whitespace between two tokens joins the span only when the
 * state goes on. Instead of HTML the parser's output is a stream of
 * (class, byte range) tokens; buffered whitespace and the tags it carries
 * become ops replayed in order, so every input byte is emitted exactly once.
 *
 * highlight collects every match of every pattern on a line up front; we
 * keep one cursor per pattern and search lazily, which finds the same
 * non-overlapping match sequence (each search starts where the previous
 * match ended) without the map.
 */
#include "core/prefix.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/highlight.h"
#include "highlight_int.h"

static const char *const S_class_names[] = {
	NULL, "str", "num", "slc", "com", "esc", "ppc", "pps", "opt", "ipl",
};

static const char S_kw_names[AKB_HL_KEYWORD_GROUPS][4] = {
	"kwa", "kwb", "kwc", "kwd", "kwe", "kwf", "kwg", "kwh", "kwi", "kwj", "kwk", "kwl", "kwm",
	"kwn", "kwo", "kwp", "kwq", "kwr", "kws", "kwt", "kwu", "kwv", "kww", "kwx", "kwy", "kwz",
};

const char *akb_hl_class_name(int cls)
{
	if (cls > AKB_HL_PLAIN && cls < AKB_HL_KEYWORD)
		return S_class_names[cls];
	if (cls >= AKB_HL_KEYWORD && cls < AKB_HL_KEYWORD + AKB_HL_KEYWORD_GROUPS)
		return S_kw_names[cls - AKB_HL_KEYWORD];
	return NULL;
}

/* ---- the run ------------------------------------------------------------ */

/* The definition in effect: highlight's currentSyntax, with the end delimiter it got when embedded. */
struct syntax {
	struct hl_def *def;
	const struct hl_regex *end; /* EMBEDDED_CODE_END, first in the list; NULL at the top level */
};

enum { C_NEED = 0, C_HAVE, C_DONE };

/* The next match of one pattern on the current line. */
struct cursor {
	size_t from;     /* where the next search starts */
	size_t key, len; /* token (capture group) start and length */
	int state;
};

/* Buffered whitespace (highlight's wsBuffer): text, or a tag that changes the open class. */
struct ws_op {
	size_t start, len; /* text: a byte range of the input */
	int cls;           /* tag: the class from here on; -1 for text */
	int eff;           /* the class in effect after this op; WS_UNKNOWN before the first tag */
};

enum { WS_UNKNOWN = -2 };

enum { IN_EOL = -1, IN_EOF = -2 };

struct run {
	struct akb_highlighter *hl;
	const char *code;
	size_t len;

	/* The current line, without its terminator ("\n", "\r\n", or none at the end). */
	size_t ls, ll;
	size_t next;                    /* start of the following line */
	size_t term, term_len;          /* the current line's terminator */
	size_t prev_term, prev_term_len; /* the previous line's: what an EOL emits */
	size_t li;                      /* highlight's lineIndex: bytes of the line consumed */
	unsigned line_no;
	unsigned char term_char;        /* last byte of the last non-empty line (continuations) */

	size_t tok, tok_len; /* the token, as an offset into the line; empty when consumed */
	int kw_class;        /* currentKeywordClass */
	int hook_result;     /* resultOfHook: the last OnStateChange returned a state */

	struct syntax cur;
	struct syntax *stack; /* nestedLangs */
	size_t nstack, capstack;
	struct syntax embed;  /* embedLangDefPath: the last section entered */
	int embed_sealed;
	size_t change_index;  /* syntaxChangeIndex: switch to `embed` from here on */
	unsigned change_line; /* syntaxChangeLineNo */

	struct cursor *cursors; /* one per pattern of `cur`, the end delimiter first */
	size_t ncursors, capcursors;
	int skip;               /* matchRegex's skipState */
	size_t min_key;         /* no cached match starts before this (if min_valid) */
	int min_valid;
	pcre2_match_data *md;
	int md_groups;

	akb_hl_token_fn fn;
	void *ctx;
	int out_cls;            /* the class of the open span */
	struct ws_op *ws;
	size_t nws, capws;
	size_t pend_start, pend_len; /* a token held back to merge with the next */
	int pend_cls;
	size_t emitted;         /* bytes handed to fn */
	size_t expected;        /* bytes accepted so far: the next token must start here */

	long long budget;       /* steps left: parser states plus bytes scanned by patterns */
	int failed;
	struct akb_buf *error;
	struct hl_hooks hooks;
};

static void S_fail(struct run *r, const char *fmt, ...) AKB_PRINTF(2, 3);

static void S_fail(struct run *r, const char *fmt, ...)
{
	if (r->failed)
		return;
	r->failed = 1;
	if (r->error && fmt) {
		va_list ap;
		va_start(ap, fmt);
		akb_buf_vprintf(r->error, fmt, ap);
		va_end(ap);
	}
}

/* ---- output ------------------------------------------------------------- */

static int S_is_cont(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Where a span may end at or after `e`: never inside a UTF-8 sequence, or
 * the browser would see two broken characters. highlight works on bytes and
 * may split one; the rest of the character joins the span it started in.
 */
static size_t S_char_boundary(const char *s, size_t n, size_t e)
{
	if (e >= n || !S_is_cont((unsigned char)s[e]))
		return e;
	for (size_t back = 1; back <= 3 && back <= e; back++) {
		unsigned char c = (unsigned char)s[e - back];
		if (S_is_cont(c))
			continue;
		size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		size_t end = e - back + want;
		if (end <= e)
			return e;
		if (end > n)
			end = n;
		for (size_t i = e; i < end; i++)
			if (!S_is_cont((unsigned char)s[i]))
				return e;
		return end;
	}
	return e;
}

static void S_flush_pending(struct run *r)
{
	if (!r->pend_len)
		return;
	size_t e = S_char_boundary(r->code, r->len, r->pend_start + r->pend_len);
	r->fn(r->ctx, r->pend_cls, r->code + r->pend_start, e - r->pend_start);
	r->emitted = e;
	r->pend_len = 0;
}

/*
 * Emits input bytes [start, start+len) in class `cls`. Tokens arrive in
 * input order; one is held back so that the next of the same class joins it,
 * and a class change waits for the character boundary.
 */
static void S_emit(struct run *r, int cls, size_t start, size_t len)
{
	if (!len)
		return;
	if (start != r->expected) {
		S_fail(r, "internal error: token at byte %zu, expected %zu", start, r->expected);
		return;
	}
	size_t end = start + len;
	r->expected = end;
	if (r->pend_len) {
		size_t pend_end = r->pend_start + r->pend_len;
		if (r->pend_cls == cls || S_char_boundary(r->code, r->len, pend_end) >= end) {
			/* Same class, or the rest of a character the held token started. */
			r->pend_len = end - r->pend_start;
			return;
		}
		S_flush_pending(r);
		start = r->emitted;
	}
	r->pend_start = start;
	r->pend_len = end - start;
	r->pend_cls = cls;
}

/*
 * Appends to the whitespace buffer. It only grows with the input it holds:
 * adjacent text merges, a tag replaces a tag right before it, and a tag
 * that changes nothing is dropped, so the close/newline/open triple of each
 * blank line inside a comment or string collapses into one text op.
 */
static void S_ws_push(struct run *r, size_t start, size_t len, int cls)
{
	struct ws_op *last = r->nws ? &r->ws[r->nws - 1] : NULL;
	if (cls < 0) {
		if (!len)
			return;
		if (last && last->cls < 0 && last->start + last->len == start) {
			last->len += len;
			return;
		}
	} else {
		if (last && last->cls >= 0) {
			r->nws--;
			last = r->nws ? &r->ws[r->nws - 1] : NULL;
		}
		if (last && last->eff == cls)
			return;
	}
	if (r->nws == r->capws) {
		r->capws = r->capws ? r->capws * 2 : 16;
		r->ws = akb_xrealloc(r->ws, akb_xmul(r->capws, sizeof(*r->ws)));
	}
	int eff = cls >= 0 ? cls : last ? last->eff : WS_UNKNOWN;
	r->ws[r->nws++] = (struct ws_op){ start, len, cls, eff };
}

/* flushWs */
static void S_flush_ws(struct run *r)
{
	for (size_t i = 0; i < r->nws; i++) {
		if (r->ws[i].cls < 0)
			S_emit(r, r->out_cls, r->ws[i].start, r->ws[i].len);
		else
			r->out_cls = r->ws[i].cls;
	}
	r->nws = 0;
}

/* The class of keyword class index `idx` (1-based; highlight treats 0 as the first). */
static int S_kw_cls(const struct run *r, int idx)
{
	const struct hl_def *d = r->cur.def;
	size_t i = idx > 0 ? (size_t)idx - 1 : 0;
	if (!d->nclasses)
		return AKB_HL_KEYWORD;
	if (i >= d->nclasses)
		i = 0;
	return AKB_HL_KEYWORD + d->class_ids[i] - 1;
}

static int S_state_cls(const struct run *r, int state)
{
	switch (state) {
	case HLS_STRING: return AKB_HL_STRING;
	case HLS_NUMBER: return AKB_HL_NUMBER;
	case HLS_SL_COMMENT: return AKB_HL_SL_COMMENT;
	case HLS_ML_COMMENT: return AKB_HL_COMMENT;
	case HLS_ESC_CHAR: return AKB_HL_ESCAPE;
	case HLS_DIRECTIVE: return AKB_HL_DIRECTIVE;
	case HLS_DIRECTIVE_STRING: return AKB_HL_DIRECTIVE_STRING;
	case HLS_SYMBOL: return AKB_HL_OPERATOR;
	case HLS_STRING_INTERPOLATION: return AKB_HL_INTERPOLATION;
	case HLS_KEYWORD: return S_kw_cls(r, 0);
	default: return AKB_HL_PLAIN;
	}
}

/* openTag, closeTag, printMaskedToken, processWsState, insertLineNumber */
static void S_open(struct run *r, int state)
{
	r->out_cls = S_state_cls(r, state);
}

static void S_close(struct run *r)
{
	r->out_cls = AKB_HL_PLAIN;
	S_flush_ws(r);
}

static void S_print_token(struct run *r, int flush)
{
	/* highlight never prints a token ahead of buffered whitespace; flushing keeps input order regardless. */
	if (flush || r->tok_len)
		S_flush_ws(r);
	S_emit(r, r->out_cls, r->ls + r->tok, r->tok_len);
	r->tok_len = 0;
}

static void S_ws(struct run *r)
{
	S_ws_push(r, r->ls + r->tok, r->tok_len, -1);
	r->tok_len = 0;
}

static void S_newline(struct run *r, int insert)
{
	if (insert)
		S_ws_push(r, r->prev_term, r->prev_term_len, -1);
}

/* ---- matching ----------------------------------------------------------- */

static const struct hl_regex *S_rx(const struct run *r, size_t i)
{
	if (r->cur.end) {
		if (i == 0)
			return r->cur.end;
		i--;
	}
	return &r->cur.def->rx[i];
}

/* matchRegex: forget the line's matches; patterns opening `skip` sit out until the next line. */
static void S_match_reset(struct run *r, int skip)
{
	for (size_t i = 0; i < r->ncursors; i++)
		r->cursors[i] = (struct cursor){ 0, 0, 0, C_NEED };
	r->skip = skip;
	r->min_valid = 0;
}

static void S_set_syntax(struct run *r, struct syntax s)
{
	r->cur = s;
	r->ncursors = s.def->nrx + (s.end ? 1 : 0);
	if (r->ncursors > r->capcursors) {
		r->capcursors = r->ncursors;
		r->cursors = akb_xrealloc(r->cursors, akb_xmul(r->capcursors, sizeof(*r->cursors)));
	}
	int groups = s.def->max_groups;
	if (s.end && s.end->ngroups > groups)
		groups = s.end->ngroups;
	if (!r->md || groups > r->md_groups) {
		pcre2_match_data_free(r->md);
		r->md = pcre2_match_data_create((uint32_t)groups + 1, NULL);
		if (!r->md)
			akb_die("out of memory");
		r->md_groups = groups;
	}
	S_match_reset(r, HLS_UNKNOWN);
}

static int S_search(struct run *r, const struct hl_regex *rx, size_t from)
{
	const char *line = r->code + r->ls;
	int rc;
	if (rx->jit) {
		rc = pcre2_jit_match(rx->re, (PCRE2_SPTR)line, r->ll, from, 0, r->md, r->hl->mctx);
		/* The JIT stack lives on the machine stack; the interpreter has more room. */
		if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
			rc = pcre2_match(rx->re, (PCRE2_SPTR)line, r->ll, from, PCRE2_NO_JIT, r->md, r->hl->mctx);
	} else {
		rc = pcre2_match(rx->re, (PCRE2_SPTR)line, r->ll, from, 0, r->md, r->hl->mctx);
	}
	return rc;
}

/* Moves `c` to the first match of its pattern's sequence whose token starts at or after `p`. */
static int S_cursor_fill(struct run *r, struct cursor *c, const struct hl_regex *rx, size_t p)
{
	while (c->state == C_NEED || (c->state == C_HAVE && c->key < p)) {
		if (c->from > r->ll) {
			c->state = C_DONE;
			break;
		}
		int rc = S_search(r, rx, c->from);
		if (rc == PCRE2_ERROR_NOMATCH) {
			r->budget -= (long long)(r->ll - c->from) + 16;
			c->state = C_DONE;
			break;
		}
		if (rc < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(rc, msg, sizeof(msg));
			S_fail(r, "pattern failed on line %u: %s", r->line_no, (const char *)msg);
			return -1;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t s = ov[0], e = ov[1];
		r->budget -= (long long)(e > c->from ? e - c->from : 0) + 16;
		if (r->budget < 0) {
			S_fail(r, "highlighting step limit exceeded on line %u", r->line_no);
			return -1;
		}
		/* After an empty match the next search steps on (regex_iterator). */
		c->from = e > s ? e : e + 1;
		int g = rx->group < 0 ? rx->ngroups : rx->group;
		if (g > rx->ngroups || g >= rc) {
			c->state = C_NEED;
			continue;
		}
		size_t gs = ov[2 * g], ge = ov[2 * g + 1];
		/* A group that did not take part, or an empty token, is no token. */
		if (gs == PCRE2_UNSET || ge <= gs) {
			c->state = C_NEED;
			continue;
		}
		c->key = gs;
		c->len = ge - gs;
		c->state = C_HAVE;
	}
	return 0;
}

/* Which pattern (active index) has a match at line offset `p`: -1 for none, -2 on failure. */
static long S_match_at(struct run *r, size_t p)
{
	if (r->min_valid && p < r->min_key)
		return -1;
	size_t min = SIZE_MAX;
	for (size_t i = 0; i < r->ncursors; i++) {
		const struct hl_regex *rx = S_rx(r, i);
		if (rx->open == r->skip)
			continue;
		struct cursor *c = &r->cursors[i];
		if (S_cursor_fill(r, c, rx, p) < 0)
			return -2;
		if (c->state != C_HAVE)
			continue;
		if (c->key == p) {
			r->min_valid = 0;
			return (long)i;
		}
		if (c->key < min)
			min = c->key;
	}
	r->min_key = min;
	r->min_valid = 1;
	return -1;
}

/* getOpenDelimiterID: the first pattern opening `state` that matches the whole token. */
static int S_open_delim_id(struct run *r, int state)
{
	const struct hl_def *d = r->cur.def;
	const char *tok = r->code + r->ls + r->tok;
	for (size_t i = 0; i < d->nrx; i++) {
		if (d->rx[i].open != state)
			continue;
		int m = hl_regex_full_match(r->hl, &d->rx[i], r->md, tok, r->tok_len);
		if (m < 0)
			S_fail(r, "pattern failed on line %u", r->line_no);
		if (m > 0)
			return (int)i + 1;
	}
	return 0;
}

/* matchesOpenDelimiter */
static int S_matches_open(struct run *r, int state, int open_id)
{
	const struct hl_def *d = r->cur.def;
	const char *tok = r->code + r->ls + r->tok;
	for (size_t i = 0; i < d->nrx; i++) {
		if (d->rx[i].open != state || d->rx[i].match_open != open_id)
			continue;
		int m = hl_regex_full_match(r->hl, &d->rx[i], r->md, tok, r->tok_len);
		if (m < 0)
			S_fail(r, "pattern failed on line %u", r->line_no);
		if (m > 0)
			return 1;
	}
	return 0;
}

static int S_distinct(const struct run *r, int id)
{
	return id > 0 && r->cur.def->rx[id - 1].distinct;
}

/* ---- reading ------------------------------------------------------------ */

/* getInputChar: the next byte of the line, IN_EOL after reading a new line, IN_EOF at the end. */
static int S_input_char(struct run *r)
{
	if (r->li < r->ll)
		return (unsigned char)r->code[r->ls + r->li++];
	if (r->li)
		r->term_char = (unsigned char)r->code[r->ls + r->li - 1];
	r->line_no++;
	r->prev_term = r->term;
	r->prev_term_len = r->term_len;
	if (r->next >= r->len) {
		r->ls = r->len;
		r->ll = r->li = 0;
		S_match_reset(r, HLS_UNKNOWN);
		return IN_EOF;
	}
	r->ls = r->next;
	const char *nl = memchr(r->code + r->ls, '\n', r->len - r->ls);
	size_t end = nl ? (size_t)(nl - r->code) : r->len;
	r->next = nl ? end + 1 : r->len;
	r->ll = end - r->ls;
	/* highlight drops the CR of CRLF lines; it is emitted with the newline. */
	if (r->ll && r->code[r->ls + r->ll - 1] == '\r')
		r->ll--;
	r->term = r->ls + r->ll;
	r->term_len = r->next - r->term;
	r->li = 0;
	S_match_reset(r, HLS_UNKNOWN);
	return IN_EOL;
}

static void S_push_syntax(struct run *r, struct syntax s)
{
	if (r->nstack == r->capstack) {
		r->capstack = r->capstack ? r->capstack * 2 : 4;
		r->stack = akb_xrealloc(r->stack, akb_xmul(r->capstack, sizeof(*r->stack)));
	}
	r->stack[r->nstack++] = s;
}

/* loadEmbeddedLang */
static void S_enter_embedded(struct run *r)
{
	if (!r->nstack)
		S_push_syntax(r, r->cur);
	if (r->stack[r->nstack - 1].def != r->embed.def)
		S_push_syntax(r, r->embed);
	S_set_syntax(r, r->embed);
}

/* validateState: lets the definition's OnStateChange have its say. */
static int S_validate(struct run *r, int new_state, int old_state, int kw_class)
{
	if (r->cur.def->has_hook) {
		int v = 0;
		int rc = hl_hook_call(&r->hooks, r->cur.def, old_state, new_state, r->code + r->ls + r->tok,
				      r->tok_len, kw_class, &v, r->error);
		if (rc < 0) {
			r->failed = 1;
			return HLS_EOF;
		}
		r->hook_result = rc;
		if (rc) {
			if (v == HLS_REJECT) {
				/* Go on with the token's first byte only. */
				r->li = r->tok + 1;
				r->tok_len = 1;
				return old_state;
			}
			return v;
		}
	}
	r->hook_result = 0;
	return new_state;
}

/* getCurrentState: the state the next token opens. */
static int S_state(struct run *r, int old_state)
{
	if (r->failed)
		return HLS_EOF;
	if (--r->budget < 0) {
		S_fail(r, "highlighting step limit exceeded on line %u", r->line_no);
		return HLS_EOF;
	}
	int c;
	if (!r->tok_len) {
		c = S_input_char(r);
		if (c == IN_EOL)
			return HLS_EOL;
		if (c == IN_EOF)
			return HLS_EOF;
	} else {
		/* A token a state did not take: look at it again from its start. */
		r->li = r->tok + 1;
		c = (unsigned char)r->code[r->ls + r->tok];
	}
	if (c == ' ' || c == '\t') {
		r->tok = r->li - 1;
		r->tok_len = 1;
		return HLS_WS;
	}
	if ((r->change_index != SIZE_MAX && r->li + 1 >= r->change_index) || r->change_line < r->line_no) {
		S_enter_embedded(r);
		r->change_index = SIZE_MAX;
		r->change_line = UINT_MAX;
	}
	for (;;) {
		long i = S_match_at(r, r->li - 1);
		if (i == -2)
			return HLS_EOF;
		if (i < 0)
			break;
		const struct hl_regex *rx = S_rx(r, (size_t)i);
		const struct cursor *cu = &r->cursors[i];
		size_t old_li = r->li;
		r->tok = cu->key;
		r->tok_len = cu->len;
		r->li += cu->len - 1;
		if (rx->open == HLS_EMBEDDED_CODE_BEGIN) {
			const struct hl_def *d = r->cur.def;
			const struct hl_nested *n = &d->nested[d->nested[rx->nested].end_from];
			struct hl_def *target = d->nested[rx->nested].def;
			if (target && (!r->embed.def || !r->embed_sealed)) {
				r->embed = (struct syntax){ target, &n->end };
				r->embed_sealed = n->sealed;
				r->change_index = r->li + 2;
				r->change_line = r->line_no;
			}
			/* The opening delimiter itself is highlighted by the host. */
			S_match_reset(r, HLS_EMBEDDED_CODE_BEGIN);
			r->li = old_li;
			continue;
		}
		if (rx->open == HLS_IDENTIFIER_BEGIN || rx->open == HLS_KEYWORD) {
			const struct hl_def *d = r->cur.def;
			const char *tok = r->code + r->ls + r->tok;
			int cls = hl_words_get(&d->keywords, tok, r->tok_len, d->ignore_case);
			if (!cls && d->has_hook)
				cls = hl_hook_keyword(&r->hooks, d, tok, r->tok_len, d->ignore_case);
			if (!cls && rx->open == HLS_KEYWORD)
				cls = rx->kw_class;
			r->kw_class = cls;
			return S_validate(r, cls ? HLS_KEYWORD : HLS_STANDARD, old_state, cls);
		}
		return S_validate(r, rx->open, old_state, 0);
	}
	r->tok = r->li - 1;
	r->tok_len = 1;
	return HLS_STANDARD;
}

/* ---- states ------------------------------------------------------------- */

/*
 * Every process*State of highlight runs the same loop: print the token, read
 * the next state, buffer whitespace, stop at the end of the input, and
 * otherwise let the state decide. S_run_state is that loop; each processor
 * brings a step (the rest of its switch) and keeps its locals here.
 */
struct state_run {
	int my;       /* myState */
	int ns;       /* newState: what the token just read opens */
	int eof;
	int done;     /* exitState */
	int returned; /* returnedFromOtherState: a nested state left its last token to be read again */
	void (*step)(struct run *r, struct state_run *s);
	void (*each_round)(struct run *r); /* before the token is printed; optional */

	int kw_class;             /* keyword: the class it opened with (myClassID) */
	int open_id;              /* comment, string: the pattern that opened it */
	int depth;                /* multi-line comment: open delimiters not closed yet */
	size_t open_at, open_len; /* string: the opening delimiter */
	int raw;                  /* string: escapes do not apply (isRawString) */
};

/* A state's processor: `st` is the state the token opened, `outer` the state it opened in. */
typedef int (*state_fn)(struct run *r, int st, int outer);

/* The loop, its span in class `cls`. */
static int S_run_state(struct run *r, struct state_run *s, int cls)
{
	r->out_cls = cls; /* openTag */
	s->ns = HLS_STANDARD;
	do {
		if (s->each_round)
			s->each_round(r);
		if (!s->returned)
			S_print_token(r, s->ns != HLS_WS); /* printMaskedToken */
		s->returned = 0;
		s->ns = S_state(r, s->my); /* getCurrentState */
		if (s->ns == HLS_WS)
			S_ws(r); /* processWsState */
		else if (s->ns == HLS_EOF)
			s->eof = 1;
		else
			s->step(r, s);
	} while (!s->done && !s->eof);
	S_close(r);
	return s->eof;
}

/* A state inside this one: its span closes, the other state runs, and it reopens. */
static void S_nest(struct run *r, struct state_run *s, state_fn process, int st)
{
	S_close(r);
	s->eof = process(r, st, s->my);
	S_open(r, s->my);
}

/* A line break inside a span: the span closes before it and reopens after. */
static void S_newline_inside(struct run *r, int cls)
{
	S_ws_push(r, 0, 0, AKB_HL_PLAIN);
	S_newline(r, 1);
	S_ws_push(r, 0, 0, cls);
}

/* processNumberState, processSymbolState, processEscapeCharState, processInterpolationState */
static void S_simple_step(struct run *r, struct state_run *s)
{
	if (s->ns == HLS_EOL)
		S_newline(r, 1);
	s->done = s->ns != s->my; /* the end of the line is another state too */
}

static int S_simple(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_simple_step };
	return S_run_state(r, &s, S_state_cls(r, st));
}

/* processKeywordState: a simple state that a keyword of another class ends too (KEYWORD_END is another state). */
static void S_keyword_step(struct run *r, struct state_run *s)
{
	S_simple_step(r, s);
	if (s->kw_class != r->kw_class)
		s->done = 1;
}

static int S_keyword(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_keyword_step, .kw_class = r->kw_class };
	int eof = S_run_state(r, &s, S_kw_cls(r, s.kw_class));
	r->kw_class = 0;
	return eof;
}

/*
 * processSyntaxChangeState: the end delimiter of an embedded section. Each
 * round begins back in the host language (highlight checks that myState is
 * EMBEDDED_CODE_END; this processor runs for nothing else).
 */
static void S_back_to_host(struct run *r)
{
	if (r->nstack)
		r->nstack--;
	if (r->nstack)
		S_set_syntax(r, r->stack[r->nstack - 1]);
	S_match_reset(r, HLS_EMBEDDED_CODE_BEGIN);
}

static void S_syntax_change_step(struct run *r, struct state_run *s)
{
	if (s->ns == HLS_EOL)
		S_newline(r, 1);
	s->done = 1;
}

static int S_syntax_change(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_syntax_change_step, .each_round = S_back_to_host };
	/* The class comes from the embedded language: the first round has not left it yet. */
	return S_run_state(r, &s, S_kw_cls(r, 0));
}

/* processMultiLineCommentState */
static void S_ml_comment_step(struct run *r, struct state_run *s)
{
	switch (s->ns) {
	case HLS_EOL: S_newline_inside(r, AKB_HL_COMMENT); break;
	case HLS_ML_COMMENT:
		if (r->cur.def->nested_comments)
			s->depth++;
		/* Equal open and close delimiters: this one closes. */
		if (S_distinct(r, S_open_delim_id(r, HLS_ML_COMMENT)))
			break;
		/* fall through */
	case HLS_ML_COMMENT_END:
		if (!S_matches_open(r, HLS_ML_COMMENT_END, s->open_id))
			break;
		if (!--s->depth) {
			S_print_token(r, 1);
			s->done = 1;
		}
		break;
	default: break;
	}
}

static int S_ml_comment(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_ml_comment_step, .depth = 1 };
	s.open_id = S_open_delim_id(r, st);
	return S_run_state(r, &s, S_state_cls(r, st));
}

/* processSingleLineCommentState (without highlight's "@highlight" line command) */
static void S_sl_comment_step(struct run *r, struct state_run *s)
{
	if (s->ns != HLS_EOL)
		return;
	S_print_token(r, 1);
	s->done = 1;
	S_newline(r, 1);
}

static int S_sl_comment(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_sl_comment_step };
	return S_run_state(r, &s, S_state_cls(r, st));
}

/* processStringState */
static void S_string_step(struct run *r, struct state_run *s)
{
	const char *tok = r->code + r->ls + r->tok;
	switch (s->ns) {
	case HLS_EOL: S_newline_inside(r, S_state_cls(r, s->my)); break;
	case HLS_STRING_END:
		if (r->hook_result || S_matches_open(r, HLS_STRING_END, s->open_id)) {
			s->done = r->cur.def->equal_length ? s->open_len == r->tok_len : 1;
			S_print_token(r, 1);
		}
		break;
	case HLS_STRING:
		/* The opening delimiter again closes the string. */
		s->done = S_distinct(r, S_open_delim_id(r, HLS_STRING)) && r->tok_len == s->open_len &&
			  !memcmp(tok, r->code + s->open_at, s->open_len);
		S_print_token(r, 1);
		break;
	case HLS_ESC_CHAR:
		if (s->raw) {
			s->done = r->tok_len > 1 && tok[1] == r->code[s->open_at];
			S_print_token(r, 1);
			break;
		}
		/* fall through */
	case HLS_STRING_INTERPOLATION:
		S_nest(r, s, S_simple, s->ns);
		s->returned = 1;
		break;
	default: S_print_token(r, 1); break;
	}
}

/* isRawString: a raw delimiter pair, or a raw-string prefix right before the delimiter (r"..." in Python). */
static int S_raw_string(const struct run *r, int open_id)
{
	const struct hl_def *d = r->cur.def;
	if (open_id > 0 && d->rx[open_id - 1].raw)
		return 1;
	return d->raw_prefix && r->tok > 0 && (unsigned char)r->code[r->ls + r->tok - 1] == d->raw_prefix;
}

static int S_string(struct run *r, int st, int outer)
{
	int my = outer == HLS_DIRECTIVE ? HLS_DIRECTIVE_STRING : HLS_STRING;
	struct state_run s = { .my = my, .step = S_string_step };
	s.open_id = S_open_delim_id(r, my);
	s.open_at = r->ls + r->tok;
	s.open_len = r->tok_len;
	s.raw = S_raw_string(r, s.open_id);
	return S_run_state(r, &s, S_state_cls(r, my));
}

/* processDirectiveState */
static void S_directive_eol(struct run *r, struct state_run *s)
{
	S_print_token(r, 1);
	if (r->cur.def->continuation != 0x13)
		s->done = r->term_char != r->cur.def->continuation;
	if (s->done)
		S_newline(r, 1);
	else
		S_newline_inside(r, AKB_HL_DIRECTIVE);
}

static void S_directive_step(struct run *r, struct state_run *s)
{
	switch (s->ns) {
	case HLS_DIRECTIVE_END:
		S_print_token(r, 1);
		s->done = 1;
		break;
	case HLS_EOL: S_directive_eol(r, s); break;
	case HLS_ML_COMMENT: S_nest(r, s, S_ml_comment, HLS_ML_COMMENT); break;
	case HLS_SL_COMMENT:
		S_nest(r, s, S_sl_comment, HLS_SL_COMMENT);
		s->done = 1;
		break;
	case HLS_STRING: S_nest(r, s, S_string, HLS_STRING); break;
	default: break;
	}
}

static int S_directive(struct run *r, int st, int outer)
{
	struct state_run s = { .my = st, .step = S_directive_step };
	return S_run_state(r, &s, S_state_cls(r, st));
}

/* The processor of a state a root token opens; NULL for a state the root prints itself. */
static state_fn S_processor(int st)
{
	switch (st) {
	case HLS_KEYWORD: return S_keyword;
	case HLS_NUMBER:
	case HLS_ESC_CHAR:
	case HLS_SYMBOL: return S_simple;
	case HLS_ML_COMMENT: return S_ml_comment;
	case HLS_SL_COMMENT: return S_sl_comment;
	case HLS_STRING: return S_string;
	case HLS_DIRECTIVE: return S_directive;
	case HLS_EMBEDDED_CODE_END: return S_syntax_change;
	default: return NULL;
	}
}

/* processRootState */
static void S_root(struct run *r)
{
	struct state_run root = { .my = HLS_STANDARD };
	int first = 1;
	S_open(r, HLS_STANDARD);
	do {
		int st = S_state(r, HLS_STANDARD);
		state_fn process = S_processor(st);
		if (process) {
			S_nest(r, &root, process, st);
			continue;
		}
		switch (st) {
		case HLS_EOL:
			if (!first)
				S_close(r);
			S_newline(r, !first);
			if (!first) {
				S_flush_ws(r);
				S_open(r, HLS_STANDARD);
			}
			first = 0;
			break;
		case HLS_EOF: root.eof = 1; break;
		case HLS_WS: S_ws(r); break;
		default: S_print_token(r, 1); break;
		}
	} while (!root.eof);
	S_close(r);
}

/* ---- public ------------------------------------------------------------- */

int akb_highlight(struct akb_highlighter *hl, const char *name, const char *code, size_t len, akb_hl_token_fn fn,
		  void *ctx, struct akb_buf *error)
{
	struct akb_buf scratch = AKB_BUF_INIT;
	if (!error)
		error = &scratch;
	struct hl_def *def = name ? hl_def_get(hl, name, error) : NULL;
	if (!def) {
		if (!name)
			akb_buf_puts(error, "no language");
		akb_buf_release(&scratch);
		return -1;
	}
	if (def->disabled) {
		if (len)
			fn(ctx, AKB_HL_PLAIN, code, len);
		akb_buf_release(&scratch);
		return 0;
	}
	struct run r = {
		.hl = hl, .code = code, .len = len, .fn = fn, .ctx = ctx, .error = error, .hooks = { .hl = hl },
		.change_index = SIZE_MAX, .change_line = UINT_MAX,
		/* Generous for real code (every pattern scans each line about once), finite for anything else. */
		.budget = ((long long)len + 256) * 512,
	};
	S_set_syntax(&r, (struct syntax){ def, NULL });

	S_root(&r);
	if (!r.failed) {
		S_flush_ws(&r);
		S_emit(&r, AKB_HL_PLAIN, r.term, r.term_len); /* the last line's newline */
	}
	if (!r.failed) {
		S_flush_pending(&r);
		if (r.emitted != len)
			S_fail(&r, "internal error: emitted %zu of %zu bytes", r.emitted, len);
	}
	hl_hooks_release(&r.hooks);
	pcre2_match_data_free(r.md);
	free(r.cursors);
	free(r.stack);
	free(r.ws);
	akb_buf_release(&scratch);
	return r.failed ? -1 : 0;
}

const char *akb_highlighter_resolve(struct akb_highlighter *hl, const char *lang, size_t len)
{
	if (!hl || !lang)
		return NULL;
	while (len && (*lang == ' ' || *lang == '\t' || *lang == '.')) {
		lang++;
		len--;
	}
	while (len && (lang[len - 1] == ' ' || lang[len - 1] == '\t'))
		len--;
	if (!len)
		return NULL;
	int v = hl_words_get(&hl->aliases, lang, len, 1);
	return v > 0 ? hl->names[v - 1] : NULL;
}

const char *akb_highlighter_datadir(const struct akb_highlighter *hl)
{
	return hl->datadir;
}

struct akb_highlighter *akb_highlighter_new(const struct akb_highlighter_options *opts, struct akb_diag *diag)
{
	struct akb_highlighter *hl = akb_xcalloc(1, sizeof(*hl));
	hl->datadir = akb_xstrdup(opts && opts->datadir ? opts->datadir : "/usr/share/highlight");
	pthread_mutex_init(&hl->lock, NULL);
	hl->cctx = pcre2_compile_context_create(NULL);
	hl->mctx = pcre2_match_context_create(NULL);
	if (!hl->cctx || !hl->mctx)
		akb_die("out of memory");
	pcre2_set_match_limit(hl->mctx, HL_MATCH_LIMIT);
	pcre2_set_depth_limit(hl->mctx, HL_DEPTH_LIMIT);
	if (hl_catalog_init(hl, opts ? opts->filetypes : NULL, diag) == 0)
		return hl;
	akb_highlighter_free(hl);
	return NULL;
}

void akb_highlighter_free(struct akb_highlighter *hl)
{
	if (!hl)
		return;
	for (size_t i = 0; i < hl->nnames; i++) {
		if (hl->defs)
			hl_def_free(hl->defs[i]);
		if (hl->errors)
			free(hl->errors[i]);
		free(hl->names[i]);
	}
	free(hl->defs);
	free(hl->errors);
	free(hl->names);
	hl_words_release(&hl->aliases);
	pcre2_compile_context_free(hl->cctx);
	pcre2_match_context_free(hl->mctx);
	pthread_mutex_destroy(&hl->lock);
	free(hl->datadir);
	free(hl);
}
