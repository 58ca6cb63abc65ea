/* html: a tag scanner for post-processing generated pages (see html.h). */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/html.h"
#include "agentkb/utf8.h"

static int S_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int S_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int akb_html_name_is(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (S_lower((unsigned char)p[i]) != name[i])
			return 0;
	return 1;
}

int akb_html_is_void(const char *name, size_t len)
{
	static const char *const names[] = { "area", "base", "br", "col", "embed", "hr", "img", "input",
					     "link", "meta", "source", "track", "wbr", NULL };
	for (int i = 0; names[i]; i++)
		if (akb_html_name_is(name, len, names[i]))
			return 1;
	return 0;
}

void akb_html_scan_init(struct akb_html_scanner *sc, const char *s, size_t len)
{
	memset(sc, 0, sizeof(*sc));
	sc->s = s;
	sc->len = len;
}

/* Does s[i..] start with "</name" followed by a space, '/' or '>'? */
static int S_end_tag_at(const struct akb_html_scanner *sc, size_t i)
{
	const char *s = sc->s;
	if (i + 2 + sc->raw_len > sc->len || s[i] != '<' || s[i + 1] != '/')
		return 0;
	for (size_t k = 0; k < sc->raw_len; k++)
		if (S_lower((unsigned char)s[i + 2 + k]) != S_lower((unsigned char)sc->raw[k]))
			return 0;
	size_t after = i + 2 + sc->raw_len;
	return after == sc->len || S_space((unsigned char)s[after]) || s[after] == '/' || s[after] == '>';
}

/* Skips a quoted or unquoted attribute value starting at *i. */
static void S_skip_value(const char *s, size_t len, size_t *i)
{
	if (*i < len && (s[*i] == '"' || s[*i] == '\'')) {
		char q = s[(*i)++];
		while (*i < len && s[*i] != q)
			(*i)++;
		if (*i < len)
			(*i)++;
		return;
	}
	while (*i < len && !S_space((unsigned char)s[*i]) && s[*i] != '>')
		(*i)++;
}

int akb_html_scan_next(struct akb_html_scanner *sc, struct akb_html_token *tok)
{
	const char *s = sc->s;
	size_t len = sc->len, i = sc->pos;
	if (i >= len)
		return 0;
	memset(tok, 0, sizeof(*tok));
	tok->start = i;
	if (sc->raw) {
		/* Inside <script>, <style>, ...: text up to the matching end tag. */
		while (i < len && !S_end_tag_at(sc, i))
			i++;
		sc->raw = NULL;
		if (i > tok->start) {
			tok->kind = AKB_HTML_TEXT;
			tok->end = sc->pos = i;
			return 1;
		}
	}
	if (s[i] == '<' && i + 1 < len) {
		if (!strncmp(s + i, "<!--", 4) && i + 4 <= len) {
			const char *close = NULL;
			for (size_t k = i + 4; k + 3 <= len; k++)
				if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>') {
					close = s + k;
					break;
				}
			tok->kind = AKB_HTML_COMMENT;
			tok->end = sc->pos = close ? (size_t)(close - s) + 3 : len;
			return 1;
		}
		if (s[i + 1] == '!' || s[i + 1] == '?') {
			const char *gt = memchr(s + i, '>', len - i);
			tok->kind = AKB_HTML_OTHER;
			tok->end = sc->pos = gt ? (size_t)(gt - s) + 1 : len;
			return 1;
		}
		int end = s[i + 1] == '/';
		size_t n = i + 1 + (size_t)end;
		if (n < len && S_alpha((unsigned char)s[n])) {
			size_t name = n;
			while (n < len && !S_space((unsigned char)s[n]) && s[n] != '/' && s[n] != '>')
				n++;
			tok->kind = end ? AKB_HTML_END : AKB_HTML_START;
			tok->name = s + name;
			tok->name_len = n - name;
			tok->attrs = n;
			/* Up to the '>' that is not inside a quoted value. */
			while (n < len && s[n] != '>') {
				if (s[n] == '=') {
					n++;
					while (n < len && S_space((unsigned char)s[n]))
						n++;
					S_skip_value(s, len, &n);
				} else {
					n++;
				}
			}
			tok->attrs_end = n;
			if (n > tok->attrs && s[n - 1] == '/' && !end)
				tok->self_closing = 1;
			tok->end = sc->pos = n < len ? n + 1 : len;
			if (!end && !tok->self_closing) {
				static const char *const raw[] = { "script", "style", "textarea", "title", NULL };
				for (int k = 0; raw[k]; k++)
					if (akb_html_name_is(tok->name, tok->name_len, raw[k])) {
						sc->raw = raw[k];
						sc->raw_len = strlen(raw[k]);
					}
			}
			return 1;
		}
	}
	/* Text: up to the next '<' (a lone '<' that starts no tag is text too). */
	i++;
	while (i < len && s[i] != '<')
		i++;
	tok->kind = AKB_HTML_TEXT;
	tok->end = sc->pos = i;
	return 1;
}

int akb_html_attr_next(const char *s, const struct akb_html_token *tok, size_t *pos, struct akb_html_attr *a)
{
	size_t i = *pos, end = tok->attrs_end;
	while (i < end && (S_space((unsigned char)s[i]) || s[i] == '/'))
		i++;
	if (i >= end)
		return 0;
	memset(a, 0, sizeof(*a));
	a->name = s + i;
	while (i < end && !S_space((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' &&
	       !(s[i] == '/' && i + 1 == end))
		i++;
	a->name_len = (size_t)(s + i - a->name);
	if (!a->name_len)
		i++; /* a stray character: skip it so iteration always advances */
	size_t j = i;
	while (j < end && S_space((unsigned char)s[j]))
		j++;
	if (j < end && s[j] == '=') {
		j++;
		while (j < end && S_space((unsigned char)s[j]))
			j++;
		a->has_value = 1;
		if (j < end && (s[j] == '"' || s[j] == '\'')) {
			char q = s[j++];
			a->value = j;
			while (j < end && s[j] != q)
				j++;
			a->value_end = j;
			if (j < end)
				j++;
		} else {
			a->value = j;
			while (j < end && !S_space((unsigned char)s[j]))
				j++;
			a->value_end = j;
		}
		i = j;
	}
	*pos = a->end = i;
	return a->name_len ? 1 : akb_html_attr_next(s, tok, pos, a);
}

int akb_html_attr_find(const char *s, const struct akb_html_token *tok, const char *name, struct akb_html_attr *a)
{
	size_t pos = tok->attrs;
	while (akb_html_attr_next(s, tok, &pos, a))
		if (akb_html_name_is(a->name, a->name_len, name))
			return 1;
	return 0;
}

void akb_html_unescape(struct akb_buf *out, const char *s, size_t len)
{
	static const struct {
		const char *name;
		unsigned cp;
	} named[] = { { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
		      { "nbsp", 0xA0 }, { NULL, 0 } };
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		if (!amp) {
			akb_buf_put(out, s + i, len - i);
			return;
		}
		size_t a = (size_t)(amp - s);
		akb_buf_put(out, s + i, a - i);
		size_t semi = a + 1;
		while (semi < len && semi - a < 12 && s[semi] != ';' && s[semi] != '&')
			semi++;
		uint32_t cp = 0;
		if (semi < len && s[semi] == ';') {
			if (s[a + 1] == '#') {
				int hex = a + 2 < semi && (s[a + 2] == 'x' || s[a + 2] == 'X');
				size_t k = a + 2 + (size_t)hex;
				for (; k < semi && cp <= 0x10FFFF; k++) {
					int c = S_lower((unsigned char)s[k]), d = c >= '0' && c <= '9' ? c - '0'
									     : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
									     : -1;
					if (d < 0)
						break;
					cp = cp * (hex ? 16u : 10u) + (uint32_t)d;
				}
				if (k != semi || k == a + 2 + (size_t)hex || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
					cp = 0;
			} else {
				for (int k = 0; named[k].name; k++)
					if (semi - a - 1 == strlen(named[k].name) &&
					    !strncmp(s + a + 1, named[k].name, semi - a - 1))
						cp = named[k].cp;
			}
		}
		if (cp) {
			akb_utf8_put(out, cp);
			i = semi + 1;
		} else {
			akb_buf_putc(out, '&');
			i = a + 1;
		}
	}
}
