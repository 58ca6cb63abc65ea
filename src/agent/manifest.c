/*
 * manifest: reads the formats that are not markdown (plugin.json and
 * marketplace.json with jansson, Codex .toml by hand: TOML has no Debian
 * C library) into agent fields, with line:col on every error.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agentkb/ascii.h"
#include "agentkb/buf.h"
#include "agentkb/manifest.h"
#include "agentkb/utf8.h"

/* Nesting a manifest may have: deeper is refused rather than recursed into. */
#define MAX_DEPTH 32

static void S_from_json(const json_t *j, struct akb_value *out, int depth)
{
	if (depth > MAX_DEPTH) {
		akb_value_set_string(out, "", 0);
		return;
	}
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		akb_value_set_map(out);
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)j, key, v)
			S_from_json(v, akb_map_put(out, key), depth + 1);
		break;
	}
	case JSON_ARRAY: {
		akb_value_set_list(out);
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			S_from_json(v, akb_list_push(out), depth + 1);
		break;
	}
	case JSON_STRING:
		akb_value_set_string(out, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		akb_value_set_number(out, (double)json_integer_value(j));
		break;
	case JSON_REAL:
		akb_value_set_number(out, json_real_value(j));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		akb_value_set_bool(out, json_is_true(j));
		break;
	default:
		break; /* null stays null */
	}
}

int akb_manifest_json(const char *path, const char *text, size_t len, struct akb_value *fields, struct akb_diag *diag)
{
	json_error_t err;
	akb_value_set_map(fields);
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return akb_error(diag, path, (unsigned)(err.line > 0 ? err.line : 1),
				 (unsigned)(err.column > 0 ? err.column : 1), "invalid JSON: %s", err.text);
	int rc = 0;
	if (json_is_object(root))
		S_from_json(root, fields, 0);
	else
		rc = akb_error(diag, path, 1, 1, "a manifest is a JSON object");
	json_decref(root);
	return rc;
}

/* ---- TOML: the subset agent files use ---- */

struct toml {
	const char *p, *end, *path;
	const char *start; /* the text, for columns */
	unsigned line;
	struct akb_diag *diag;
	int failed;
};

static void S_space(struct toml *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

/* Skips spaces, comments and line ends. */
static void S_blank(struct toml *t)
{
	for (;;) {
		S_space(t);
		if (t->p < t->end && *t->p == '#')
			while (t->p < t->end && *t->p != '\n')
				t->p++;
		if (t->p < t->end && (*t->p == '\n' || *t->p == '\r')) {
			if (*t->p == '\n')
				t->line++;
			t->p++;
			continue;
		}
		return;
	}
}

static int S_fail(struct toml *t, const char *what)
{
	if (!t->failed) {
		const char *bol = t->p > t->end ? t->end : t->p;
		while (bol > t->start && bol[-1] != '\n')
			bol--;
		unsigned col = 1;
		for (const char *c = bol; c < t->p && c < t->end; c++)
			col += ((unsigned char)*c & 0xC0) != 0x80;
		akb_error(t->diag, t->path, t->line, col, "invalid TOML: %s", what);
	}
	t->failed = 1;
	return -1;
}

static int S_starts(const struct toml *t, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(t->end - t->p) >= n && !memcmp(t->p, s, n);
}

/* One escape of a basic string, \uXXXX included (as UTF-8). */
static void S_escape(struct toml *t, struct akb_buf *out)
{
	char c = t->p < t->end ? *t->p++ : 0;
	switch (c) {
	case 'n': akb_buf_putc(out, '\n'); break;
	case 't': akb_buf_putc(out, '\t'); break;
	case 'r': akb_buf_putc(out, '\r'); break;
	case '"': akb_buf_putc(out, '"'); break;
	case '\\': akb_buf_putc(out, '\\'); break;
	case 'u':
	case 'U': {
		int n = c == 'u' ? 4 : 8;
		unsigned long cp = 0;
		for (int i = 0; i < n && t->p < t->end; i++)
			cp = cp * 16 + (unsigned long)akb_hex_digit((unsigned char)*t->p++);
		akb_utf8_put(out, (uint32_t)cp);
		break;
	}
	default: akb_buf_putc(out, c); break;
	}
}

/* A string value (basic, literal, and their multi-line forms) into `out`. */
static int S_string(struct toml *t, struct akb_buf *out)
{
	int multi = S_starts(t, "\"\"\"") || S_starts(t, "'''"), literal = *t->p == '\'';
	char q = *t->p;
	const char *open = t->p;
	unsigned open_line = t->line;
	t->p += multi ? 3 : 1;
	if (multi && t->p < t->end && *t->p == '\n') { /* a newline right after the opening is not content */
		t->p++;
		t->line++;
	}
	while (t->p < t->end) {
		if (multi ? (t->end - t->p >= 3 && t->p[0] == q && t->p[1] == q && t->p[2] == q) : *t->p == q) {
			t->p += multi ? 3 : 1;
			return 0;
		}
		if (*t->p == '\n') {
			if (!multi) {
				t->p = open; /* the message points at the opening quote */
				return S_fail(t, "a string is not closed on its line");
			}
			t->line++;
		}
		if (*t->p == '\\' && !literal) {
			t->p++;
			if (multi && t->p < t->end && (*t->p == '\n' || *t->p == ' ' || *t->p == '\r')) {
				/* A line-ending backslash joins the lines. */
				while (t->p < t->end && (*t->p == '\n' || *t->p == ' ' || *t->p == '\t' || *t->p == '\r'))
					t->line += *t->p++ == '\n';
				continue;
			}
			S_escape(t, out);
			continue;
		}
		akb_buf_putc(out, *t->p++);
	}
	t->p = open;
	t->line = open_line;
	return S_fail(t, "a string is not closed");
}

static int S_value(struct toml *t, struct akb_value *out, int depth);

static int S_array(struct toml *t, struct akb_value *out, int depth)
{
	akb_value_set_list(out);
	t->p++;
	for (;;) {
		S_blank(t);
		if (t->p >= t->end)
			return S_fail(t, "an array is not closed");
		if (*t->p == ']') {
			t->p++;
			return 0;
		}
		const char *start = t->p;
		if (S_value(t, akb_list_push(out), depth + 1) != 0)
			return -1;
		S_blank(t);
		if (t->p < t->end && *t->p == ',')
			t->p++;
		else if (t->p == start) /* '}' (inline tables are not read): nothing read, so stop, not loop */
			return S_fail(t, "an array holds a value that cannot be read");
	}
}

static int S_value(struct toml *t, struct akb_value *out, int depth)
{
	if (depth > MAX_DEPTH)
		return S_fail(t, "nested too deep");
	if (t->p >= t->end)
		return S_fail(t, "a value is missing");
	if (*t->p == '"' || *t->p == '\'') {
		struct akb_buf s = AKB_BUF_INIT;
		int rc = S_string(t, &s);
		akb_value_set_string(out, s.ptr, s.len);
		akb_buf_release(&s);
		return rc;
	}
	if (*t->p == '[')
		return S_array(t, out, depth);
	const char *b = t->p;
	while (t->p < t->end && *t->p != ',' && *t->p != ']' && *t->p != '\n' && *t->p != '#' && *t->p != '}')
		t->p++;
	const char *e = t->p;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e - b == 4 && !memcmp(b, "true", 4))
		akb_value_set_bool(out, 1);
	else if (e - b == 5 && !memcmp(b, "false", 5))
		akb_value_set_bool(out, 0);
	else {
		struct akb_buf s = AKB_BUF_INIT;
		for (const char *c = b; c < e; c++)
			if (*c != '_')
				akb_buf_putc(&s, *c);
		char *stop;
		double n = strtod(s.ptr, &stop);
		if (s.len && !*stop)
			akb_value_set_number(out, n);
		else
			akb_value_set_string(out, b, (size_t)(e - b)); /* dates and the like: as written */
		akb_buf_release(&s);
	}
	return 0;
}

/* A key: bare (A-Za-z0-9_-) or quoted, dotted parts joined by '.'. */
static int S_key(struct toml *t, struct akb_buf *key)
{
	for (;;) {
		S_space(t);
		if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
			if (S_string(t, key) != 0)
				return -1;
		} else {
			const char *b = t->p;
			while (t->p < t->end && ((*t->p >= 'a' && *t->p <= 'z') || (*t->p >= 'A' && *t->p <= 'Z') ||
						 (*t->p >= '0' && *t->p <= '9') || *t->p == '_' || *t->p == '-'))
				t->p++;
			if (t->p == b)
				return S_fail(t, "a key is expected");
			akb_buf_put(key, b, (size_t)(t->p - b));
		}
		S_space(t);
		if (t->p < t->end && *t->p == '.') {
			t->p++;
			akb_buf_putc(key, '.');
			continue;
		}
		return 0;
	}
}

int akb_manifest_toml(const char *path, const char *text, size_t len, struct akb_value *fields,
		      struct akb_diag *diag)
{
	struct toml t = { text, text + len, path, text, 1, diag, 0 };
	struct akb_buf table = AKB_BUF_INIT, key = AKB_BUF_INIT;
	akb_value_set_map(fields);
	while (!t.failed) {
		S_blank(&t);
		if (t.p >= t.end)
			break;
		if (*t.p == '[') {
			/* [table] and [[array of tables]]: their keys are prefixed ("table.key"). */
			int arr = S_starts(&t, "[[");
			t.p += arr ? 2 : 1;
			akb_buf_clear(&table);
			if (S_key(&t, &table) != 0)
				break;
			if (!S_starts(&t, arr ? "]]" : "]")) {
				S_fail(&t, "a table header is not closed");
				break;
			}
			t.p += arr ? 2 : 1;
			akb_buf_putc(&table, '.');
			continue;
		}
		akb_buf_clear(&key);
		akb_buf_put(&key, table.ptr, table.len);
		unsigned line = t.line;
		if (S_key(&t, &key) != 0)
			break;
		if (t.p >= t.end || *t.p != '=') {
			S_fail(&t, "'=' is expected after a key");
			break;
		}
		t.p++;
		S_space(&t);
		if (akb_map_get(fields, key.ptr)) {
			S_fail(&t, "a key is defined twice");
			break;
		}
		struct akb_pair *p = akb_map_put_pair(fields, key.ptr);
		p->line = line;
		p->col = 1;
		if (S_value(&t, &p->value, 0) != 0)
			break;
	}
	akb_buf_release(&table);
	akb_buf_release(&key);
	return t.failed ? -1 : 0;
}
