/*
 * yaml: strict YAML into akb_value through libyaml's document API (yaml.h).
 *
 * This is the only file that includes <yaml.h>; libyaml's types stop here.
 * libyaml's marks are 0-based and count characters from the start of the
 * text it was given; every one is turned into a 1-based file line and byte
 * column through a struct yaml_src, which knows the slice's first line.
 */
#include "core/prefix.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "agentkb/buf.h"
#include "agentkb/yaml.h"
#include "yaml/yaml_int.h"

/*
 * Nesting and alias expansion are bounded so a hostile document cannot
 * exhaust the stack (akb_value_release recurses) or memory (billion laughs:
 * ten aliases of ten aliases of ... expand to 10^9 values from a few lines).
 */
#define S_MAX_DEPTH 64

/*
 * Values plus string bytes a text of `len` bytes may produce. A text
 * without aliases produces at most about two per byte, so only expansion
 * through aliases ever reaches this.
 */
static size_t S_budget(size_t len)
{
	size_t extra = (size_t)1 << 20;
	return len < (SIZE_MAX - extra) / 4 ? len * 4 + extra : SIZE_MAX;
}

/* ---- positions ---------------------------------------------------------- */

void yaml_src_init(struct yaml_src *src, const char *text, size_t len, unsigned line)
{
	memset(src, 0, sizeof(*src));
	src->text = text;
	src->len = len;
	src->line = line;
}

void yaml_src_release(struct yaml_src *src)
{
	free(src->lines);
	free(src->chars);
	memset(src, 0, sizeof(*src));
}

static void S_src_index(struct yaml_src *src)
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

size_t yaml_src_byte(struct yaml_src *src, size_t index)
{
	S_src_index(src);
	if (!src->chars)
		return index < src->len ? index : src->len;
	return index < src->nchars ? src->chars[index] : src->len;
}

void yaml_src_where(struct yaml_src *src, size_t off, unsigned *line, unsigned *col)
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
	*col = 1;
	for (size_t i = src->lines[lo]; i < off; i++)
		*col += !src->char_columns || ((unsigned char)src->text[i] & 0xC0) != 0x80;
}

static void S_src_mark(struct yaml_src *src, yaml_mark_t mark, unsigned *line, unsigned *col)
{
	yaml_src_where(src, yaml_src_byte(src, mark.index), line, col);
}

/* ---- maps --------------------------------------------------------------- */

struct akb_pair *yaml_map_push(struct akb_value *map, char *key, unsigned line, unsigned col)
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

/* Sorting keeps a map with many keys out of quadratic time. */
void yaml_map_dedupe(struct akb_value *map, const char *what, const char *path, struct akb_diag *diag)
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
	for (i = 0; diag && i < n; i++)
		if (prev[i] < n)
			akb_warn(diag, path, items[i].line, items[i].col, "duplicate %s key '%s' replaces the one on line %u",
				 what, items[i].key, items[prev[i]].line);
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
			akb_value_free_key(items[i].key);
			akb_value_release(&items[i].value);
			continue;
		}
		items[out++] = items[i];
	}
	map->u.map.len = out;
	free(refs);
	free(prev);
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

int yaml_is_one_of(const char *s, size_t len, const char *const *words)
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

	if (len == 0 || yaml_is_one_of(s, len, nulls)) {
		akb_value_set_null(out);
	} else if (yaml_is_one_of(s, len, trues)) {
		akb_value_set_bool(out, 1);
	} else if (yaml_is_one_of(s, len, falses)) {
		akb_value_set_bool(out, 0);
	} else if (len > 2 && s[0] == '0' && s[1] == 'o' && S_digits(s + 2, len - 2, 8)) {
		akb_value_set_number(out, S_radix(s + 2, len - 2, 8));
	} else if (len > 2 && s[0] == '0' && s[1] == 'x' && S_digits(s + 2, len - 2, 16)) {
		akb_value_set_number(out, S_radix(s + 2, len - 2, 16));
	} else if (S_is_float(s, len)) {
		/* s is NUL-terminated (libyaml's scalars are) and matched the grammar in full */
		akb_value_set_number(out, strtod(s, NULL));
	} else if (yaml_is_one_of(s + (s[0] == '-' || s[0] == '+'), len - (s[0] == '-' || s[0] == '+'), infs)) {
		akb_value_set_number(out, s[0] == '-' ? -INFINITY : INFINITY);
	} else if (yaml_is_one_of(s, len, nans)) {
		akb_value_set_number(out, NAN);
	} else {
		akb_value_set_string(out, s, len);
	}
}

/* ---- nodes into values -------------------------------------------------- */

struct S_reader {
	const char *path;
	const struct akb_yaml_opts *opts;
	struct akb_diag *diag;
	struct yaml_src *src;
	yaml_document_t *doc;
	unsigned char *reported; /* per node: its key problems were already reported */
	size_t budget;           /* values and string bytes still allowed */
	int out_of_budget, too_deep;
	unsigned line, col;      /* top-level key being read, for expansion warnings */
};

static void S_warn(struct S_reader *r, unsigned line, unsigned col, const char *fmt, ...) AKB_PRINTF(4, 5);

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
	S_warn(r, r->line, r->col, "%s aliases expand too far; the rest is left empty", r->opts->what);
	return -1;
}

static void S_reader_init(struct S_reader *r, const char *path, const struct akb_yaml_opts *opts,
			  struct akb_diag *diag, struct yaml_src *src, yaml_document_t *doc)
{
	size_t nodes = (size_t)(doc->nodes.top - doc->nodes.start);
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->opts = opts;
	r->diag = diag;
	r->src = src;
	r->doc = doc;
	r->reported = akb_xcalloc(nodes ? nodes : 1, 1);
	r->budget = S_budget(src->len);
	r->line = src->line;
	r->col = 1;
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
	return !tag || yaml_is_one_of((const char *)tag, strlen((const char *)tag), tags);
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
			S_warn(r, r->line, r->col, "%s nests deeper than %d levels; the rest is left empty",
			       r->opts->what, S_MAX_DEPTH);
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
		if (r->opts->typed && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && S_typed_tag(node->tag))
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
		return;
	}
	S_src_mark(r->src, node->start_mark, &out->line, &out->col);
}

/* Reads a mapping node into `out`; non-scalar keys are skipped with a warning, duplicates merged. */
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
				S_warn(r, line, col, "%s key is a %s, not a name; skipped", r->opts->what,
				       k ? S_node_kind(k) : "nothing");
			continue;
		}
		if (S_spend(r, k->data.scalar.length) < 0)
			break;
		struct akb_pair *p = yaml_map_push(out, akb_value_key((const char *)k->data.scalar.value,
								   k->data.scalar.length), line, col);
		S_convert(r, yaml_document_get_node(r->doc, pair->value), depth + 1, &p->value);
	}
	yaml_map_dedupe(out, r->opts->what, r->path, report ? r->diag : NULL);
}

/* ---- documents ---------------------------------------------------------- */

/*
 * libyaml's scanner looks through every open flow level for each token, so
 * 100,000 nested '[' take minutes. Deeper than this is refused before libyaml
 * sees it; S_MAX_DEPTH still trims what is read. Quoted scalars and comments
 * are skipped; a '[' inside a plain scalar counts, which only errs on the safe side.
 */
#define S_MAX_FLOW_DEPTH 1000

static size_t S_flow_too_deep(const char *s, size_t len)
{
	size_t depth = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '"' || c == '\'') {
			for (i++; i < len && s[i] != c; i++)
				if (c == '"' && s[i] == '\\')
					i++;
		} else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
			while (i < len && s[i] != '\n')
				i++;
		} else if (c == '[' || c == '{') {
			if (++depth > S_MAX_FLOW_DEPTH)
				return i;
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
		}
	}
	return SIZE_MAX;
}

/*
 * Loads the slice as one YAML document. Returns 0 (the caller deletes
 * `doc`), or -1 with `err` filled and nothing to delete.
 */
static int S_load(struct yaml_src *src, yaml_document_t *doc, struct akb_yaml_error *err)
{
	yaml_parser_t parser;
	int ok;
	size_t deep = S_flow_too_deep(src->text, src->len);
	if (deep != SIZE_MAX) {
		err->problem = "brackets nest deeper than 1000 levels" /* S_MAX_FLOW_DEPTH */;
		err->offset = deep;
		yaml_src_where(src, err->offset, &err->line, &err->col);
		return -1;
	}
	if (!yaml_parser_initialize(&parser))
		akb_die("out of memory");
	/* the text is UTF-8; never let a stray byte pair pick UTF-16 */
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
			err->offset = yaml_src_byte(src, mark.index);
		}
		yaml_src_where(src, err->offset, &err->line, &err->col);
	}
	yaml_parser_delete(&parser);
	return ok ? 0 : -1;
}

int akb_yaml_parse(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
		   struct akb_value *out, struct akb_yaml_error *err, struct akb_diag *diag)
{
	struct yaml_src src;
	yaml_document_t doc;
	int rc;

	akb_value_set_null(out);
	yaml_src_init(&src, text, len, opts->line);
	src.char_columns = opts->char_columns;
	rc = S_load(&src, &doc, err);
	if (rc == 0) {
		struct S_reader r;
		S_reader_init(&r, path, opts, diag, &src, &doc);
		S_convert(&r, yaml_document_get_root_node(&doc), 0, out);
		free(r.reported);
		yaml_document_delete(&doc);
	}
	yaml_src_release(&src);
	return rc;
}

int akb_yaml_parse_one_key(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
			   const char *key, size_t key_len, unsigned key_line, unsigned key_col,
			   struct akb_value *out, struct akb_diag *diag)
{
	struct yaml_src src;
	yaml_document_t doc;
	struct akb_yaml_error err;
	int rc = -1;

	yaml_src_init(&src, text, len, opts->line);
	src.char_columns = opts->char_columns;
	if (S_load(&src, &doc, &err) == 0) {
		yaml_node_t *root = yaml_document_get_root_node(&doc);
		yaml_node_t *k = NULL;
		if (root && root->type == YAML_MAPPING_NODE &&
		    root->data.mapping.pairs.top - root->data.mapping.pairs.start == 1)
			k = yaml_document_get_node(&doc, root->data.mapping.pairs.start->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == key_len &&
		    memcmp(k->data.scalar.value, key, key_len) == 0) {
			struct S_reader r;
			S_reader_init(&r, path, opts, diag, &src, &doc);
			r.line = key_line;
			r.col = key_col;
			S_convert(&r, yaml_document_get_node(&doc, root->data.mapping.pairs.start->value), 1, out);
			free(r.reported);
			rc = 0;
		}
		yaml_document_delete(&doc);
	}
	yaml_src_release(&src);
	return rc;
}
