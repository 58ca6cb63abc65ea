/* minify: comment and whitespace removal for inlined CSS and JS (see minify.h). */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/minify.h"

static int S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Identifier and number characters (any non-ASCII byte counts: UTF-8 letters). */
static int S_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
	       c == '\\' || c >= 0x80;
}

static int S_last(const struct akb_buf *out)
{
	return out->len ? (unsigned char)out->ptr[out->len - 1] : 0;
}

/* Copies a quoted string s[*i] .. its closing quote (backslash escapes honoured). */
static void S_copy_string(struct akb_buf *out, const char *s, size_t len, size_t *i)
{
	size_t start = *i, k = *i + 1;
	char q = s[start];
	while (k < len && s[k] != q) {
		if (s[k] == '\\' && k + 1 < len)
			k++;
		else if (s[k] == '\n' && q != '`')
			break; /* unterminated: stop at the line end, as the parser would */
		k++;
	}
	if (k < len && s[k] == q)
		k++;
	akb_buf_put(out, s + start, k - start);
	*i = k;
}

void akb_minify_css(struct akb_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int pending = 0; /* whitespace (or a comment) seen since the last output */
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *end = NULL;
			for (size_t k = i + 2; k + 1 < len; k++)
				if (s[k] == '*' && s[k + 1] == '/') {
					end = s + k;
					break;
				}
			i = end ? (size_t)(end - s) + 2 : len;
			pending = 1;
			continue;
		}
		if (S_space(c)) {
			pending = 1;
			i++;
			continue;
		}
		if (pending) {
			int p = S_last(out);
			/* A space is kept where it separates: not at the start, not next to { } ; , >, not after ':' or '('.
			 * And where it is the whole value of a custom property (`--on: ;`, a toggle that older
			 * browsers do not accept empty). */
			if ((p && !strchr("{};,>:(", p) && !strchr("{};,>)", c)) || (p == ':' && (c == ';' || c == '}')))
				akb_buf_putc(out, ' ');
			pending = 0;
		}
		if (c == '"' || c == '\'') {
			S_copy_string(out, s, len, &i);
			continue;
		}
		/* The last declaration of a block needs no ';'. */
		if (c == '}' && S_last(out) == ';')
			akb_buf_truncate(out, out->len - 1);
		akb_buf_putc(out, (char)c);
		i++;
	}
}

/*
 * May a '/' here start a regular expression rather than divide? After an
 * operator, an opening bracket, a ',' or ';', or one of the keywords that
 * take an expression (return, typeof, ...): yes. After a name, a number, ')'
 * or ']': no. '}' is taken as the end of a block (a regex may follow).
 */
static int S_regex_ok(const struct akb_buf *out)
{
	static const char *const kw[] = { "return", "typeof", "instanceof", "in", "of", "new", "delete", "void",
					  "throw", "case", "do", "else", "yield", "await", NULL };
	size_t n = out->len;
	while (n && S_space((unsigned char)out->ptr[n - 1]))
		n--;
	if (!n)
		return 1;
	int p = (unsigned char)out->ptr[n - 1];
	if (!S_word(p))
		return p != ')' && p != ']';
	size_t w = n;
	while (w && S_word((unsigned char)out->ptr[w - 1]))
		w--;
	if (w && out->ptr[w - 1] == '.')
		return 0; /* a property named like a keyword: x.return / 2 */
	for (int k = 0; kw[k]; k++)
		if (n - w == strlen(kw[k]) && !strncmp(out->ptr + w, kw[k], n - w))
			return 1;
	return 0;
}

/* Copies a regular expression literal: up to the closing '/' outside a [class], then its flags. */
static void S_copy_regex(struct akb_buf *out, const char *s, size_t len, size_t *i)
{
	size_t k = *i + 1;
	int cls = 0;
	while (k < len && s[k] != '\n') {
		if (s[k] == '\\' && k + 1 < len)
			k++;
		else if (s[k] == '[')
			cls = 1;
		else if (s[k] == ']')
			cls = 0;
		else if (s[k] == '/' && !cls)
			break;
		k++;
	}
	if (k < len && s[k] == '/')
		k++;
	while (k < len && S_word((unsigned char)s[k]))
		k++;
	akb_buf_put(out, s + *i, k - *i);
	*i = k;
}

/*
 * Template literals may nest code in ${...}, which may hold strings and
 * further templates. `depth[]` keeps, per open template, how many braces
 * the code inside its current ${ has open; a '}' at zero resumes the
 * template text. Deeper nesting than the stack allows is copied as code,
 * which only costs missed whitespace, never meaning.
 */
#define S_MAX_TEMPLATE 32

/* Copies template text from s[*i] up to the closing '`' (returns 0) or a "${" (returns 1). */
static int S_copy_template_text(struct akb_buf *out, const char *s, size_t len, size_t *i)
{
	size_t k = *i;
	while (k < len && s[k] != '`') {
		if (s[k] == '\\' && k + 1 < len) {
			k += 2;
			continue;
		}
		if (s[k] == '$' && k + 1 < len && s[k + 1] == '{') {
			akb_buf_put(out, s + *i, k + 2 - *i);
			*i = k + 2;
			return 1;
		}
		k++;
	}
	if (k < len)
		k++;
	akb_buf_put(out, s + *i, k - *i);
	*i = k;
	return 0;
}

void akb_minify_js(struct akb_buf *out, const char *s, size_t len)
{
	size_t i = 0;
	int space = 0, newline = 0;
	int depth[S_MAX_TEMPLATE];
	int ntpl = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
			space = 1;
			continue;
		}
		if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			size_t k = i + 2;
			while (k + 1 < len && !(s[k] == '*' && s[k + 1] == '/')) {
				if (s[k] == '\n')
					newline = 1;
				k++;
			}
			i = k + 1 < len ? k + 2 : len;
			space = 1;
			continue;
		}
		if (S_space(c)) {
			space = 1;
			if (c == '\n')
				newline = 1;
			i++;
			continue;
		}
		if (space) {
			int p = S_last(out);
			if (!p) {
				/* nothing before: drop it */
			} else if (newline) {
				if (!strchr("{([,;:", p) && !strchr("})],;", c))
					akb_buf_putc(out, '\n');
			} else if ((S_word(p) && S_word(c)) || (p == '+' && c == '+') || (p == '-' && c == '-') ||
				   (p >= '0' && p <= '9' && c == '.')) {
				akb_buf_putc(out, ' ');
			}
			space = newline = 0;
		}
		if (c == '"' || c == '\'') {
			S_copy_string(out, s, len, &i);
			continue;
		}
		if (c == '`' || (c == '}' && ntpl && depth[ntpl - 1] == 0)) {
			/* Template text: from a '`' that opens one, or from the '}' that ends a ${...}. */
			if (c == '`') {
				if (ntpl == S_MAX_TEMPLATE) {
					S_copy_string(out, s, len, &i);
					continue;
				}
				depth[ntpl++] = 0;
			}
			akb_buf_putc(out, (char)c);
			i++;
			if (!S_copy_template_text(out, s, len, &i))
				ntpl--;
			continue;
		}
		if (ntpl && c == '{')
			depth[ntpl - 1]++;
		else if (ntpl && c == '}')
			depth[ntpl - 1]--;
		if (c == '/' && S_regex_ok(out)) {
			S_copy_regex(out, s, len, &i);
			continue;
		}
		akb_buf_putc(out, (char)c);
		i++;
	}
}
