/*
 * utf8: decoding, case folding, letter classes and cutting text at a code
 * point (see utf8.h).
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/utf8.h"

uint32_t akb_utf8_next(const char *str, size_t n, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t p = *i;
	unsigned char c = s[p];
	uint32_t cp;
	size_t need;
	if (c < 0x80) {
		*i = p + 1;
		return c;
	} else if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1F;
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0F;
		need = 2;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07;
		need = 3;
	} else {
		*i = p + 1;
		return 0xFFFD;
	}
	for (size_t k = 1; k <= need; k++) {
		if (p + k >= n || (s[p + k] & 0xC0) != 0x80) {
			*i = p + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[p + k] & 0x3F);
	}
	/* Reject overlong forms and surrogates so every code point has one encoding. */
	if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF)) {
		*i = p + 1;
		return 0xFFFD;
	}
	*i = p + need + 1;
	return cp;
}

void akb_utf8_put(struct akb_buf *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	akb_buf_put(out, b, n);
}

uint32_t akb_utf8_lower(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
		return cp + 32;
	/* Latin Extended-A: pairs, upper case at even code points (with two odd runs). */
	if (cp >= 0x100 && cp <= 0x137)
		return cp | 1;
	if (cp >= 0x139 && cp <= 0x148)
		return (cp & 1) ? cp + 1 : cp;
	if (cp >= 0x14A && cp <= 0x177)
		return cp | 1;
	if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
		return cp + 32;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	if (cp >= 0xFF21 && cp <= 0xFF3A)
		return cp + 32;
	return cp;
}

int akb_utf8_is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) ||   /* Hiragana, Katakana */
	       (cp >= 0x3400 && cp <= 0x4DBF) ||   /* CJK Extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* CJK Unified Ideographs */
	       (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* Hangul syllables */
	       (cp >= 0x1100 && cp <= 0x11FF) ||   /* Hangul Jamo */
	       (cp >= 0x3130 && cp <= 0x318F) ||   /* Hangul compatibility Jamo */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* CJK compatibility ideographs */
	       (cp >= 0x31F0 && cp <= 0x31FF) ||   /* Katakana extensions */
	       (cp >= 0xFF66 && cp <= 0xFF9D) ||   /* halfwidth Katakana */
	       (cp >= 0x20000 && cp <= 0x3134F);   /* CJK Extensions B-G */
}

int akb_utf8_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) ||   /* punctuation, symbols, arrows, math, dingbats */
	    (cp >= 0x3000 && cp <= 0x303F) ||   /* CJK symbols and punctuation */
	    (cp >= 0xFE00 && cp <= 0xFE0F) ||   /* variation selectors */
	    (cp >= 0xFE30 && cp <= 0xFE6F) ||   /* CJK compatibility forms, small forms */
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xE000 && cp <= 0xF8FF) ||   /* private use */
	    (cp >= 0x1F000 && cp <= 0x1FAFF) || /* emoji and pictographs */
	    (cp >= 0xE0000 && cp <= 0xE007F) || /* tags */
	    cp == 0xFFFD || cp == 0xFEFF || cp == 0x00A0)
		return 0;
	return 1;
}

int akb_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t before = i;
		uint32_t cp = akb_utf8_next(s, n, &i);
		if (cp == 0xFFFD && !(i - before == 3 && (unsigned char)s[before] == 0xEF))
			return 0;
	}
	return 1;
}

/* Cuts `s` at a code point boundary near `max` bytes, preferring a space. */
void akb_utf8_truncate(const char *s, size_t max, struct akb_buf *out)
{
	size_t n = strlen(s);
	if (n <= max) {
		akb_buf_put(out, s, n);
		return;
	}
	size_t cut = 0, i = 0, last_space = 0;
	while (i < n) {
		size_t before = i;
		uint32_t cp = akb_utf8_next(s, n, &i);
		if (i > max)
			break;
		cut = i;
		if (cp == ' ')
			last_space = before;
	}
	if (last_space > max / 2)
		cut = last_space;
	akb_buf_put(out, s, cut);
	akb_buf_puts(out, "…");
}

/* Bidi controls and zero-width characters: they change what a reader sees, not what the model reads. */
const char *akb_utf8_hidden_name(uint32_t c)
{
	if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C)
		return "a bidirectional control";
	if (c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x180E)
		return "a zero-width character";
	return NULL;
}

/*
 * JS order, by UTF-16 code units, as the search runtime compares. UTF-8's
 * byte order is code point order, which is UTF-16's except where a code
 * point above U+FFFF (lead byte F0..F4, a surrogate pair, D800..DBFF) meets
 * one in U+E000..U+FFFF (lead EE or EF): only that case, at the first byte
 * that differs, is turned round. Past a shared lead byte both code points
 * are of one kind, so the bytes decide.
 */
int akb_utf8_cmp_utf16(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	size_t i = 0;
	while (x[i] && x[i] == y[i])
		i++;
	unsigned char p = x[i], q = y[i];
	if (p == q)
		return 0;
	if (p >= 0xF0 && (q == 0xEE || q == 0xEF))
		return -1;
	if (q >= 0xF0 && (p == 0xEE || p == 0xEF))
		return 1;
	return p < q ? -1 : 1;
}
