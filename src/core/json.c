/*
 * json: writes values as JSON (see json.h), escaping what a <script> or a
 * JavaScript string cannot hold (</, U+2028, U+2029).
 */
#include "core/prefix.h"

#include <math.h>
#include <string.h>

#include "agentkb/json.h"

void akb_json_string(struct akb_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	akb_buf_putc(out, '"');
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		char u[7];
		if (c == '"')
			rep = "\\\"";
		else if (c == '\\')
			rep = "\\\\";
		else if (c == '\n')
			rep = "\\n";
		else if (c == '\t')
			rep = "\\t";
		else if (c == '\r')
			rep = "\\r";
		else if (c == '/' && i > 0 && s[i - 1] == '<')
			rep = "\\/";
		else if (c < 0x20) {
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			u[6] = '\0';
			rep = u;
		}
		if (!rep)
			continue;
		akb_buf_put(out, s + start, i - start);
		akb_buf_puts(out, rep);
		start = i + 1;
	}
	akb_buf_put(out, s + start, len - start);
	akb_buf_putc(out, '"');
}

void akb_json_cstr(struct akb_buf *out, const char *s)
{
	akb_json_string(out, s ? s : "", s ? strlen(s) : 0);
}

static void S_newline(struct akb_buf *out, int indent)
{
	if (indent < 0)
		return;
	akb_buf_putc(out, '\n');
	for (int i = 0; i < indent; i++)
		akb_buf_puts(out, "  ");
}

void akb_json_value(struct akb_buf *out, const struct akb_value *v, int indent)
{
	int inner = indent < 0 ? -1 : indent + 1;
	size_t i;
	switch (v->kind) {
	case AKB_NULL:
		akb_buf_puts(out, "null");
		break;
	case AKB_BOOL:
		akb_buf_puts(out, v->u.boolean ? "true" : "false");
		break;
	case AKB_NUMBER:
		if (isfinite(v->u.number))
			akb_value_to_text(v, out);
		else
			akb_buf_puts(out, "null");
		break;
	case AKB_STRING:
		akb_json_string(out, v->u.str.ptr, v->u.str.len);
		break;
	case AKB_LIST:
	case AKB_MAP: {
		/* a list and a map differ only in their brackets and the keys */
		int map = v->kind == AKB_MAP;
		size_t n = map ? v->u.map.len : v->u.list.len;
		akb_buf_putc(out, map ? '{' : '[');
		for (i = 0; i < n; i++) {
			if (i)
				akb_buf_putc(out, ',');
			S_newline(out, inner);
			if (map) {
				akb_json_cstr(out, v->u.map.items[i].key);
				akb_buf_puts(out, indent < 0 ? ":" : ": ");
			}
			akb_json_value(out, map ? &v->u.map.items[i].value : &v->u.list.items[i], inner);
		}
		if (n)
			S_newline(out, indent);
		akb_buf_putc(out, map ? '}' : ']');
		break;
	}
	}
}
