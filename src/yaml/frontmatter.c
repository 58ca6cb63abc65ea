/*
 * frontmatter: finds the front-matter block, reads it with libyaml and, when
 * strict YAML fails, re-reads it line by line.
 *
 * This is the only file that includes <yaml.h>; libyaml's types stop here.
 *
 * Positions: libyaml's marks are 0-based and count characters from the start
 * of the text it was given, and the text is a slice of the file that starts
 * on a line boundary. Every position is turned into a 1-based file line and
 * a 1-based byte column (as cmark-gfm's source positions count them) through
 * a struct S_src, which knows the slice's first file line.
 */
#include "core/prefix.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/frontmatter.h"
#include "agentkb/value.h"

const char *const akb_frontmatter_schema_keys[] = {
	/* Claude Code's sub-agent fields */
	"name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
	"skills", "mcpServers", "hooks", "memory", "background", "isolation", "color",
	/* fields the collections add (see ../shared/corpora) */
	"category", "department", "priority", "emoji", "vibe", "tags", "domain", "version",
	"author", "triggers", "services",
	NULL,
};

/*
 * Nesting and alias expansion are bounded so a hostile front-matter cannot
 * exhaust the stack (akb_value_release recurses) or memory (billion laughs:
 * ten aliases of ten aliases of ... expand to 10^9 values from a few lines).
 */
#define S_MAX_DEPTH 64

/*
 * Values plus string bytes a block of `len` bytes may produce. A block
 * without aliases produces at most about two per byte, so only expansion
 * through aliases ever reaches this.
 */
static size_t S_budget(size_t len)
{
	size_t extra = (size_t)1 << 20;
	return len < (SIZE_MAX - extra) / 4 ? len * 4 + extra : SIZE_MAX;
}

/* ---- positions ---------------------------------------------------------- */

struct S_src {
	const char *text;  /* a slice of the file starting at a line start */
	size_t len;
	unsigned line;     /* 1-based file line of text[0] */
	size_t *lines;     /* byte offsets of the line starts in `text`; built on first use */
	size_t nlines;
	size_t *chars;     /* byte offset of every character; NULL if the text is ASCII */
	size_t nchars;
	int indexed;
};

static void S_src_init(struct S_src *src, const char *text, size_t len, unsigned line)
{
	memset(src, 0, sizeof(*src));
	src->text = text;
	src->len = len;
	src->line = line;
}

static void S_src_release(struct S_src *src)
{
	free(src->lines);
	free(src->chars);
	memset(src, 0, sizeof(*src));
}

static void S_src_index(struct S_src *src)
{
	size_t i, n = 1, nonascii = 0;
	if (src->indexed)
		return;
	src->indexed = 1;
	for (i = 0; i < src->len; i++) {
		n += src->text[i] == '\n';
		nonascii += (unsigned char)src->text[i] >= 0x80;
	}
	src->lines = akb_xmalloc(akb_xmul(n, sizeof(size_t)));
	src->lines[src->nlines++] = 0;
	for (i = 0; i < src->len; i++)
		if (src->text[i] == '\n')
			src->lines[src->nlines++] = i + 1;
	if (!nonascii)
		return;
	/* libyaml counts decoded characters; a UTF-8 character starts at every non-continuation byte. */
	src->chars = akb_xmalloc(akb_xmul(src->len + 1, sizeof(size_t)));
	for (i = 0; i < src->len; i++)
		if (((unsigned char)src->text[i] & 0xC0) != 0x80)
			src->chars[src->nchars++] = i;
	src->chars[src->nchars] = src->len;
}

/* Byte offset of libyaml's character index `index`. */
static size_t S_src_byte(struct S_src *src, size_t index)
{
	S_src_index(src);
	if (!src->chars)
		return index < src->len ? index : src->len;
	return index < src->nchars ? src->chars[index] : src->len;
}

/* File line and byte column (both 1-based) of byte `off` in the slice. */
static void S_src_where(struct S_src *src, size_t off, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi;
	S_src_index(src);
	hi = src->nlines;
	if (off > src->len)
		off = src->len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = src->line + (unsigned)lo;
	*col = (unsigned)(off - src->lines[lo]) + 1;
}

static void S_src_mark(struct S_src *src, yaml_mark_t mark, unsigned *line, unsigned *col)
{
	S_src_where(src, S_src_byte(src, mark.index), line, col);
}

/* ---- scalars ------------------------------------------------------------ */

static int S_digits(const char *s, size_t len, int base)
{
	size_t i;
	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		int ok = base == 8 ? (c >= '0' && c <= '7')
		       : base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
		       : (c >= '0' && c <= '9');
		if (!ok)
			return 0;
	}
	return 1;
}

static double S_radix(const char *s, size_t len, int base)
{
	double n = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
		n = n * base + d;
	}
	return n;
}

/*
 * The YAML 1.2 core schema's float: [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? )
 * ( [eE] [-+]? [0-9]+ )?. Integers match it too.
 */
static int S_is_float(const char *s, size_t len)
{
	size_t i = 0, int_digits = 0, frac_digits = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, int_digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, frac_digits++;
	}
	if (!int_digits && !frac_digits)
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp_digits = 0;
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, exp_digits++;
		if (!exp_digits)
			return 0;
	}
	return i == len;
}

static int S_is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return 1;
	return 0;
}

/* Types a plain scalar by the YAML 1.2 core schema. */
static void S_resolve_plain(const char *s, size_t len, struct akb_value *out)
{
	static const char *const nulls[] = { "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };

	if (len == 0 || S_is_one_of(s, len, nulls)) {
		akb_value_set_null(out);
	} else if (S_is_one_of(s, len, trues)) {
		akb_value_set_bool(out, 1);
	} else if (S_is_one_of(s, len, falses)) {
		akb_value_set_bool(out, 0);
	} else if (len > 2 && s[0] == '0' && s[1] == 'o' && S_digits(s + 2, len - 2, 8)) {
		akb_value_set_number(out, S_radix(s + 2, len - 2, 8));
	} else if (len > 2 && s[0] == '0' && s[1] == 'x' && S_digits(s + 2, len - 2, 16)) {
		akb_value_set_number(out, S_radix(s + 2, len - 2, 16));
	} else if (S_is_float(s, len)) {
		/* s is NUL-terminated (libyaml's scalars are) and matched the grammar in full */
		akb_value_set_number(out, strtod(s, NULL));
	} else if (S_is_one_of(s + (s[0] == '-' || s[0] == '+'), len - (s[0] == '-' || s[0] == '+'), infs)) {
		akb_value_set_number(out, s[0] == '-' ? -INFINITY : INFINITY);
	} else if (S_is_one_of(s, len, nans)) {
		akb_value_set_number(out, NAN);
	} else {
		akb_value_set_string(out, s, len);
	}
}

/* ---- strict reading ----------------------------------------------------- */

struct S_reader {
	const char *path;
	struct akb_diag *diag;
	struct S_src *src;
	yaml_document_t *doc;
	unsigned char *reported; /* per node: its key problems were already reported */
	size_t budget;           /* values and string bytes still allowed */
	int out_of_budget, too_deep;
	unsigned line, col;      /* top-level key being read, for expansion warnings */
};

static void S_warn(struct S_reader *r, unsigned line, unsigned col, const char *fmt, ...)
	AKB_PRINTF(4, 5);

static void S_warn(struct S_reader *r, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	if (!r->diag)
		return;
	va_start(ap, fmt);
	akb_diag_vadd(r->diag, AKB_WARNING, r->path, line, col, fmt, ap);
	va_end(ap);
}

static int S_spend(struct S_reader *r, size_t cost)
{
	if (r->out_of_budget)
		return -1;
	if (cost <= r->budget) {
		r->budget -= cost;
		return 0;
	}
	r->out_of_budget = 1;
	S_warn(r, r->line, r->col, "front-matter aliases expand too far; the rest is left empty");
	return -1;
}

/* Appends a pair without looking the key up: duplicates are sorted out later, in one pass. */
static struct akb_pair *S_map_push(struct akb_value *map, char *key, unsigned line, unsigned col)
{
	if (map->u.map.len == map->u.map.cap) {
		size_t cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
		map->u.map.items = akb_xrealloc(map->u.map.items, akb_xmul(cap, sizeof(struct akb_pair)));
		map->u.map.cap = cap;
	}
	struct akb_pair *p = &map->u.map.items[map->u.map.len++];
	p->key = key;
	akb_value_set_null(&p->value);
	p->line = line;
	p->col = col;
	return p;
}

struct S_keyref {
	const char *key;
	size_t index;
};

static int S_keyref_cmp(const void *a, const void *b)
{
	const struct S_keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Keeps one entry per key: the last value, at the first key's place in the
 * order (as a dictionary update does), with the last key's position, since
 * that is where the value in use comes from. Each later duplicate is reported
 * if `report`. Sorting keeps a map with many keys out of quadratic time.
 */
static void S_dedupe(struct S_reader *r, struct akb_value *map, int report)
{
	size_t n = map->u.map.len, i, j, out;
	struct akb_pair *items = map->u.map.items;
	if (n < 2)
		return;
	struct S_keyref *refs = akb_xmalloc(akb_xmul(n, sizeof(*refs)));
	size_t *prev = akb_xmalloc(akb_xmul(n, sizeof(*prev))); /* earlier occurrence, or n */
	for (i = 0; i < n; i++) {
		refs[i].key = items[i].key;
		refs[i].index = i;
		prev[i] = n;
	}
	qsort(refs, n, sizeof(*refs), S_keyref_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(refs[i].key, refs[i - 1].key) == 0)
			prev[refs[i].index] = refs[i - 1].index;
	if (report)
		for (i = 0; i < n; i++)
			if (prev[i] < n)
				S_warn(r, items[i].line, items[i].col,
				       "duplicate front-matter key '%s' replaces the one on line %u",
				       items[i].key, items[prev[i]].line);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && prev[refs[j].index] < n; j++)
			;
		if (j - i < 2)
			continue;
		size_t first = refs[i].index, last = refs[j - 1].index;
		akb_value_release(&items[first].value);
		items[first].value = items[last].value;
		akb_value_set_null(&items[last].value);
		items[first].line = items[last].line;
		items[first].col = items[last].col;
	}
	for (i = out = 0; i < n; i++) {
		if (prev[i] < n) {
			free(items[i].key);
			akb_value_release(&items[i].value);
			continue;
		}
		items[out++] = items[i];
	}
	map->u.map.len = out;
	free(refs);
	free(prev);
}

static void S_reader_init(struct S_reader *r, const char *path, struct akb_diag *diag,
			  struct S_src *src, yaml_document_t *doc)
{
	size_t nodes = doc ? (size_t)(doc->nodes.top - doc->nodes.start) : 0;
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->diag = diag;
	r->src = src;
	r->doc = doc;
	r->reported = akb_xcalloc(nodes ? nodes : 1, 1);
	r->budget = S_budget(src->len);
	r->line = src->line;
	r->col = 1;
}

static void S_reader_release(struct S_reader *r)
{
	free(r->reported);
	r->reported = NULL;
}

static const char *S_node_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SEQUENCE_NODE: return "list";
	case YAML_MAPPING_NODE: return "mapping";
	default: return "text";
	}
}

/* Plain scalars are typed; an explicit core tag (!!int ...) asks for the same typing. */
static int S_typed_tag(const yaml_char_t *tag)
{
	static const char *const tags[] = {
		YAML_DEFAULT_SCALAR_TAG, YAML_NULL_TAG, YAML_BOOL_TAG, YAML_INT_TAG, YAML_FLOAT_TAG, NULL,
	};
	return !tag || S_is_one_of((const char *)tag, strlen((const char *)tag), tags);
}

static void S_convert_map(struct S_reader *r, yaml_node_t *node, int depth, struct akb_value *out);

/*
 * Reads one node into `out` (which is overwritten). libyaml's loader turns
 * an alias into a reference to the anchored node, so reading a node twice is
 * how aliases get copied; the budget bounds that, and the depth limit also
 * ends an alias cycle (&a [*a]).
 */
static void S_convert(struct S_reader *r, yaml_node_t *node, int depth, struct akb_value *out)
{
	akb_value_set_null(out);
	if (!node || r->out_of_budget)
		return;
	if (depth > S_MAX_DEPTH) {
		if (!r->too_deep)
			S_warn(r, r->line, r->col,
			       "front-matter nests deeper than %d levels; the rest is left empty", S_MAX_DEPTH);
		r->too_deep = 1;
		return;
	}
	switch (node->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)node->data.scalar.value;
		size_t len = node->data.scalar.length;
		if (S_spend(r, 1 + len) < 0)
			return;
		/* NEEDSWORK: the loader gives an untagged plain scalar the !!str tag, so an
		 * explicit `!!str 1` is typed like `1`. The event API would tell them apart. */
		if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && S_typed_tag(node->tag))
			S_resolve_plain(s, len, out);
		else
			akb_value_set_string(out, s, len);
		break;
	}
	case YAML_SEQUENCE_NODE: {
		if (S_spend(r, 1) < 0)
			return;
		akb_value_set_list(out);
		for (yaml_node_item_t *it = node->data.sequence.items.start;
		     it < node->data.sequence.items.top && !r->out_of_budget; it++)
			S_convert(r, yaml_document_get_node(r->doc, *it), depth + 1, akb_list_push(out));
		break;
	}
	case YAML_MAPPING_NODE:
		if (S_spend(r, 1) < 0)
			return;
		S_convert_map(r, node, depth, out);
		break;
	default:
		break;
	}
}

/*
 * Reads a mapping node into `out`, each key with its file position.
 * Non-scalar keys are skipped with a warning; duplicates are merged.
 */
static void S_convert_map(struct S_reader *r, yaml_node_t *node, int depth, struct akb_value *out)
{
	size_t id = (size_t)(node - r->doc->nodes.start);
	/* an aliased mapping is read once per alias; report its problems only once */
	int report = !r->reported[id];

	r->reported[id] = 1;
	akb_value_set_map(out);
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
	     pair < node->data.mapping.pairs.top && !r->out_of_budget; pair++) {
		yaml_node_t *k = yaml_document_get_node(r->doc, pair->key);
		unsigned line, col;
		S_src_mark(r->src, k ? k->start_mark : node->start_mark, &line, &col);
		if (depth == 0) {
			r->line = line;
			r->col = col;
		}
		if (!k || k->type != YAML_SCALAR_NODE) {
			if (report)
				S_warn(r, line, col, "front-matter key is a %s, not a name; skipped",
				       k ? S_node_kind(k) : "nothing");
			continue;
		}
		if (S_spend(r, k->data.scalar.length) < 0)
			break;
		struct akb_pair *p = S_map_push(out, akb_xstrndup((const char *)k->data.scalar.value,
								 k->data.scalar.length), line, col);
		S_convert(r, yaml_document_get_node(r->doc, pair->value), depth + 1, &p->value);
	}
	S_dedupe(r, out, report);
}

struct S_yaml_error {
	const char *problem; /* libyaml's static text */
	size_t offset;       /* byte offset in the slice */
};

/*
 * Loads the slice as one YAML document. Returns 0 (the caller deletes
 * `doc`), or -1 with `err` filled and nothing to delete.
 */
static int S_load(struct S_src *src, yaml_document_t *doc, struct S_yaml_error *err)
{
	yaml_parser_t parser;
	int ok;
	if (!yaml_parser_initialize(&parser))
		akb_die("out of memory");
	/* the loader hands us UTF-8; never let a stray byte pair pick UTF-16 */
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)src->text, src->len);
	ok = yaml_parser_load(&parser, doc);
	if (!ok) {
		if (parser.error == YAML_MEMORY_ERROR)
			akb_die("out of memory");
		err->problem = parser.problem ? parser.problem : "unknown error";
		if (parser.error == YAML_READER_ERROR) {
			/* the reader stops before it can count characters; it gives a byte offset */
			err->offset = parser.problem_offset < src->len ? parser.problem_offset : src->len;
		} else {
			/*
			 * A line without its ':' ("could not find expected ':'") is found
			 * only on the next line; the context mark is the line at fault.
			 */
			yaml_mark_t mark = parser.problem_mark;
			if (parser.context && strcmp(parser.context, "while scanning a simple key") == 0)
				mark = parser.context_mark;
			err->offset = S_src_byte(src, mark.index);
		}
	}
	yaml_parser_delete(&parser);
	return ok ? 0 : -1;
}

/* ---- line-by-line reading ----------------------------------------------- */

struct S_line {
	size_t start;  /* byte offset of the line in the slice */
	size_t end;    /* end of its text, trailing blanks and '\r' excluded */
	size_t next;   /* start of the next line */
	size_t indent; /* leading spaces and tabs */
};

static int S_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static struct S_line *S_split_lines(const char *text, size_t len, size_t *count)
{
	size_t n = 0, cap = 16, pos = 0;
	struct S_line *lines = akb_xmalloc(akb_xmul(cap, sizeof(*lines)));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct S_line *l;
		if (n == cap) {
			cap *= 2;
			lines = akb_xrealloc(lines, akb_xmul(cap, sizeof(*lines)));
		}
		l = &lines[n++];
		l->start = pos;
		l->next = nl ? end + 1 : len;
		while (end > pos && S_is_blank(text[end - 1]))
			end--;
		l->end = end;
		for (l->indent = 0; pos + l->indent < end && S_is_blank(text[pos + l->indent]); l->indent++)
			;
		pos = l->next;
	}
	*count = n;
	return lines;
}

/* Length of the `key` in "key:" + blank or end of line at `s`, or 0. */
static size_t S_key_length(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		int c = (unsigned char)s[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.'))))
			break;
		i++;
	}
	if (i == 0 || i == len || s[i] != ':')
		return 0;
	if (i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\t')
		return 0;
	return i;
}

static int S_is_schema_key(const char *s, size_t len)
{
	return S_is_one_of(s, len, akb_frontmatter_schema_keys);
}

/*
 * A value strict YAML could not read, as a person reads it: the rest of the
 * key's line, then its continuation lines like a literal block (joined with
 * newlines, common indentation and trailing blank lines removed; comment
 * lines at key level left out). Matching quotes around the whole text are
 * dropped when no other quote of that kind is inside.
 */
static void S_raw_value(struct akb_value *out, const char *text, const struct S_line *lines,
			size_t first, size_t stop, size_t base, size_t value_start)
{
	struct akb_buf b = AKB_BUF_INIT;
	size_t i, last = first, common = (size_t)-1, blank_lines = 0;
	const struct S_line *kl = &lines[first];

	while (value_start < kl->end && S_is_blank(text[value_start]))
		value_start++;
	akb_buf_put(&b, text + value_start, kl->end - value_start);
	for (i = first + 1; i < stop; i++) {
		const struct S_line *l = &lines[i];
		if (l->start + l->indent == l->end)
			continue;
		if (l->indent <= base && text[l->start + l->indent] == '#')
			continue;
		last = i;
		if (l->indent < common)
			common = l->indent;
	}
	for (i = first + 1; i <= last && last > first; i++) {
		const struct S_line *l = &lines[i];
		if (l->start + l->indent == l->end) {
			/* kept inside the text, dropped before its first line */
			blank_lines += b.len > 0;
			continue;
		}
		if (l->indent <= base && text[l->start + l->indent] == '#')
			continue;
		if (b.len)
			for (size_t k = 0; k <= blank_lines; k++)
				akb_buf_putc(&b, '\n');
		blank_lines = 0;
		akb_buf_put(&b, text + l->start + common, l->end - l->start - common);
	}
	if (b.len >= 2 && (b.ptr[0] == '"' || b.ptr[0] == '\'') && b.ptr[b.len - 1] == b.ptr[0] &&
	    !memchr(b.ptr + 1, b.ptr[0], b.len - 2)) {
		akb_value_set_string(out, b.ptr + 1, b.len - 2);
		akb_buf_release(&b);
		return;
	}
	size_t len;
	char *s = akb_buf_detach(&b, &len);
	akb_value_take_string(out, s, len);
}

/*
 * Reads one recovered key's lines (the key line and its continuation lines,
 * a slice of the file) on their own with libyaml, so `tools: [a, b]`, quoted
 * strings and block lists still come out typed. Returns 0 if that gave
 * exactly the one key.
 */
static int S_value_alone(struct S_reader *top, const char *text, const struct S_line *kl,
			 size_t slice_end, unsigned line, unsigned col, const char *key, size_t key_len,
			 struct akb_value *out)
{
	struct S_src src;
	yaml_document_t doc;
	struct S_yaml_error err;
	int rc = -1;

	S_src_init(&src, text + kl->start, slice_end - kl->start, line);
	if (S_load(&src, &doc, &err) == 0) {
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		yaml_node_t *k = NULL;
		if (root && root->type == YAML_MAPPING_NODE &&
		    root->data.mapping.pairs.top - root->data.mapping.pairs.start == 1)
			k = yaml_document_get_node(&doc, root->data.mapping.pairs.start->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == key_len &&
		    memcmp(k->data.scalar.value, key, key_len) == 0) {
			struct S_reader r;
			S_reader_init(&r, top->path, top->diag, &src, &doc);
			r.line = line;
			r.col = col;
			S_convert(&r, yaml_document_get_node(&doc, root->data.mapping.pairs.start->value), 1, out);
			S_reader_release(&r);
			rc = 0;
		}
		yaml_document_delete(&doc);
	}
	S_src_release(&src);
	return rc;
}

/*
 * The line-by-line reader. A line starts a new key only when it is at the
 * block's key indentation, reads "key:" followed by a blank or the end of
 * the line, and the key is either one of the common agent schema keys or
 * lies before the point where libyaml failed (so YAML itself read it as a
 * key). Every other line continues the previous key's value: this is how
 * "Context: ..." and `user: "..."` lines inside a broken description stay
 * in it. Lines before the first key are dropped.
 */
static void S_recover(struct S_reader *top, struct akb_frontmatter *fm, size_t err_offset)
{
	const char *text = top->src->text;
	size_t nlines, i, base = (size_t)-1, nkeys = 0;
	struct S_line *lines = S_split_lines(text, top->src->len, &nlines);
	size_t *keys = akb_xmalloc(akb_xmul(nlines ? nlines : 1, sizeof(*keys)));
	size_t *key_lens = akb_xmalloc(akb_xmul(nlines ? nlines : 1, sizeof(*key_lens)));

	/* an indented block (every line indented) has its keys at the first line's indentation */
	for (i = 0; i < nlines && base == (size_t)-1; i++)
		if (lines[i].start + lines[i].indent < lines[i].end &&
		    text[lines[i].start + lines[i].indent] != '#')
			base = lines[i].indent;
	for (i = 0; i < nlines; i++) {
		const struct S_line *l = &lines[i];
		const char *s = text + l->start + l->indent;
		size_t klen;
		if (l->indent > base || l->start + l->indent == l->end)
			continue;
		klen = S_key_length(s, l->end - l->start - l->indent);
		if (!klen)
			continue;
		if (S_is_schema_key(s, klen) || l->start + l->indent + klen < err_offset) {
			keys[nkeys] = i;
			key_lens[nkeys++] = klen;
		}
	}

	for (size_t k = 0; k < nkeys; k++) {
		const struct S_line *kl = &lines[keys[k]];
		size_t stop = k + 1 < nkeys ? keys[k + 1] : nlines;
		size_t slice_end = stop < nlines ? lines[stop].start : top->src->len;
		const char *key = text + kl->start + kl->indent;
		unsigned line, col;
		struct akb_pair *p;

		S_src_where(top->src, kl->start + kl->indent, &line, &col);
		p = S_map_push(&fm->fields, akb_xstrndup(key, key_lens[k]), line, col);
		if (S_value_alone(top, text, kl, slice_end, line, col, key, key_lens[k], &p->value) < 0)
			S_raw_value(&p->value, text, lines, keys[k], stop, base,
				    kl->start + kl->indent + key_lens[k] + 1);
	}
	S_dedupe(top, &fm->fields, 1);
	free(keys);
	free(key_lens);
	free(lines);
}

/* ---- the block ---------------------------------------------------------- */

struct S_split {
	int found;          /* a closed block */
	int unclosed;       /* an opening fence without a closing one */
	unsigned open_col;  /* 1-based column of the opening fence */
	size_t block_start; /* the YAML between the fences, from the line after the opening one */
	size_t block_end;   /*   to the start of the closing fence's line */
	size_t body_offset;
	unsigned body_line;
};

static size_t S_indent_of(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t S_trimmed_end(const char *s, size_t len)
{
	while (len && S_is_blank(s[len - 1]))
		len--;
	return len;
}

/* A closing fence: "..." or three or more dashes (some files close with a long rule). */
static int S_is_closer(const char *s, size_t len)
{
	size_t i;
	if (len == 3 && memcmp(s, "...", 3) == 0)
		return 1;
	if (len < 3)
		return 0;
	for (i = 0; i < len && s[i] == '-'; i++)
		;
	return i == len;
}

/*
 * Finds the block: the first line is "---" (maybe indented, maybe with
 * trailing blanks or a stray '\r'), and the block ends at the first line
 * that is a closing fence and is not indented deeper than the opening fence
 * or the block's first line. The indentation rule lets a block scalar
 * contain an indented "---", and lets a wholly indented block close with an
 * indented fence.
 */
static void S_split(const char *text, size_t len, struct S_split *sp)
{
	const char *nl = memchr(text, '\n', len);
	size_t end = nl ? (size_t)(nl - text) : len;
	size_t open_indent = S_indent_of(text, end), limit, pos;
	int seen_content = 0;
	unsigned line = 2;

	memset(sp, 0, sizeof(*sp));
	sp->body_line = 1;
	end = S_trimmed_end(text, end);
	if (end < open_indent || end - open_indent != 3 || memcmp(text + open_indent, "---", 3) != 0)
		return;
	sp->open_col = (unsigned)open_indent + 1;
	if (!nl) {
		sp->unclosed = 1;
		return;
	}
	sp->block_start = pos = end = (size_t)(nl - text) + 1;
	limit = open_indent;
	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		size_t indent = S_indent_of(text + pos, end - pos);
		size_t tend = pos + S_trimmed_end(text + pos, end - pos);
		if (pos + indent < tend) {
			if (indent <= limit && S_is_closer(text + pos + indent, tend - pos - indent)) {
				sp->found = 1;
				sp->block_end = pos;
				sp->body_offset = nl ? end + 1 : len;
				sp->body_line = line + 1;
				return;
			}
			if (!seen_content && indent > limit)
				limit = indent;
			seen_content = 1;
		}
		pos = nl ? end + 1 : len;
		line++;
	}
	sp->unclosed = 1;
}

static void S_read_block(struct akb_frontmatter *fm, const char *path, struct akb_diag *diag,
			 const char *text, const struct S_split *sp)
{
	struct S_src src;
	struct S_reader r;
	yaml_document_t doc;
	struct S_yaml_error err;

	/* the opening fence is always line 1, so the block starts on line 2 */
	S_src_init(&src, text + sp->block_start, sp->block_end - sp->block_start, 2);
	if (S_load(&src, &doc, &err) == 0) {
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		S_reader_init(&r, path, diag, &src, &doc);
		if (root && root->type == YAML_MAPPING_NODE) {
			S_convert_map(&r, root, 0, &fm->fields);
		} else if (root) {
			unsigned line, col;
			S_src_mark(&src, root->start_mark, &line, &col);
			S_warn(&r, line, col, "front-matter is %s, not 'key: value' lines; ignored",
			       root->type == YAML_SEQUENCE_NODE ? "a list" : "plain text");
		}
		S_reader_release(&r);
		yaml_document_delete(&doc);
	} else {
		unsigned line, col;
		S_reader_init(&r, path, diag, &src, NULL);
		S_src_where(&src, err.offset, &line, &col);
		S_warn(&r, line, col, "front-matter is not valid YAML (%s); read it line by line", err.problem);
		fm->recovered = 1;
		fm->error_line = line;
		fm->error_col = col;
		S_recover(&r, fm, err.offset);
		S_reader_release(&r);
	}
	S_src_release(&src);
}

int akb_frontmatter_parse(struct akb_frontmatter *fm, const char *path, const char *text,
			  size_t len, struct akb_diag *diag)
{
	size_t errors = diag ? diag->errors : 0;
	struct S_split sp;

	memset(fm, 0, sizeof(*fm));
	akb_value_set_map(&fm->fields);
	fm->body_line = 1;
	S_split(text, len, &sp);
	if (sp.unclosed && diag)
		/* most likely a thematic break or a forgotten fence: the whole file stays the body */
		akb_warn(diag, path, 1, sp.open_col, "front-matter opened here is never closed");
	if (sp.found) {
		fm->present = 1;
		fm->body_offset = sp.body_offset;
		fm->body_line = sp.body_line;
		S_read_block(fm, path, diag, text, &sp);
	}
	return diag && diag->strict && diag->errors > errors ? -1 : 0;
}

void akb_frontmatter_release(struct akb_frontmatter *fm)
{
	akb_value_release(&fm->fields);
	memset(fm, 0, sizeof(*fm));
	akb_value_set_map(&fm->fields);
	fm->body_line = 1;
}
