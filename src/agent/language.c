/*
 * language: guesses an agent's human language from its letters and its
 * common words (see language.h); code spans and fences are not counted.
 */
#include "core/prefix.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "agentkb/language.h"
#include "agentkb/utf8.h"

/* Below this many letters a guess is noise. */
#define MIN_LETTERS 20

/* Words that are very common in one Latin-script language and rare in the others. */
static const struct {
	const char *name, *tag;
	const char *words; /* space-separated, lower case */
} S_latin[] = {
	{ "English", "en", "the and of to is for with that this you are be when use" },
	{ "Deutsch", "de", "der die das und ist nicht mit für ein eine sie zu den auf" },
	{ "Français", "fr", "le la les des est une pour avec dans que vous sur du et" },
	{ "Español", "es", "el la los las del que para con una por es como se" },
	{ "Português", "pt", "os as do da dos das que para com uma não em é" },
};
#define NLATIN (sizeof(S_latin) / sizeof(S_latin[0]))

/* The CJK languages' names, each one string (akb_language_named gives these very pointers). */
static const char *const S_cjk_names[] = { "中文", "日本語", "한국어" };

static int S_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3134F);
}

static int S_is_kana(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
}

static int S_is_hangul(uint32_t c)
{
	return (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}

static int S_is_latin(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x24F && c != 0xF7);
}

/*
 * akb_utf8_lower where it can change what is counted: no character from
 * U+0250 up lowers into or out of the ranges above (checked over all of
 * Unicode against akb_utf8_lower's table), and most text past ASCII here is CJK.
 */
static uint32_t S_lower_latin(uint32_t c)
{
	return c < 0x250 ? akb_utf8_lower(c) : c;
}

/* Latin words counted at most: plenty to tell the languages apart. */
#define MAX_WORDS 400

/*
 * The list words, each packed in one integer (its bytes and its length),
 * in a small open-addressing table made once from S_latin: a word's slot
 * holds the languages whose list has it, one bit each.
 */
#define WORD_SLOTS 256 /* a power of two, over twice the words of all the lists */
static struct {
	uint64_t packed; /* 0: empty */
	unsigned langs;
} S_words[WORD_SLOTS];
static pthread_once_t S_words_once = PTHREAD_ONCE_INIT;

/* word[0..n), n at most 7 bytes, as one integer: equal words, equal integers (never 0). */
static uint64_t S_pack(const char *word, size_t n)
{
	uint64_t v = n;
	for (size_t k = 0; k < n; k++)
		v |= (uint64_t)(unsigned char)word[k] << (8 * (k + 1));
	return v;
}

static size_t S_word_slot(uint64_t packed)
{
	size_t i = (size_t)((packed * 0x9e3779b97f4a7c15ULL) >> 56) & (WORD_SLOTS - 1);
	while (S_words[i].packed && S_words[i].packed != packed)
		i = (i + 1) & (WORD_SLOTS - 1);
	return i;
}

static void S_make_word_table(void)
{
	for (size_t l = 0; l < NLATIN; l++)
		for (const char *p = S_latin[l].words; *p;) {
			const char *e = p;
			while (*e && *e != ' ')
				e++;
			uint64_t packed = S_pack(p, (size_t)(e - p));
			size_t i = S_word_slot(packed);
			S_words[i].packed = packed;
			S_words[i].langs |= 1u << l;
			p = *e ? e + 1 : e;
		}
}

/* The languages whose list has the packed word, one bit each. */
static unsigned S_listed_in(uint64_t packed)
{
	return S_words[S_word_slot(packed)].langs;
}

/* Counts, per language, the words of `text` in its list (words up to 32 bytes; the first MAX_WORDS). */
static void S_count_words(const char *text, size_t len, size_t hits[NLATIN])
{
	char word[33];
	size_t wl = 0, i = 0, words = 0;
	pthread_once(&S_words_once, S_make_word_table);
	while (i <= len && words < MAX_WORDS) {
		size_t start = i;
		uint32_t c;
		unsigned char b = i < len ? (unsigned char)text[i] : 0;
		if (b && b < 0x80) { /* most letters: no decoding */
			c = b >= 'A' && b <= 'Z' ? b + 32u : b;
			i++;
		} else {
			c = i < len ? S_lower_latin(akb_utf8_next(text, len, &i)) : 0;
			if (i == start)
				i++;
		}
		if (c && S_is_latin(c)) {
			size_t n = i - start;
			if (wl + n < sizeof word) {
				for (size_t k = 0; k < n; k++)
					word[wl++] = c < 0x80 ? (char)c : text[start + k];
			} else {
				wl = sizeof word; /* too long: no list word */
			}
			continue;
		}
		/* The list words are 2 to 6 bytes long. */
		if (wl >= 2 && wl <= 6) {
			words++;
			unsigned langs = S_listed_in(S_pack(word, wl));
			for (size_t l = 0; langs && l < NLATIN; l++)
				hits[l] += (langs >> l) & 1u;
		} else if (wl) {
			words++;
		}
		wl = 0;
	}
}

const char *akb_language_detect(const char *text, size_t len)
{
	size_t han = 0, kana = 0, hangul = 0, latin = 0, i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80) { /* most of any text: no decoding */
			latin += (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
			i++;
			continue;
		}
		uint32_t c = S_lower_latin(akb_utf8_next(text, len, &i));
		if (S_is_han(c))
			han++;
		else if (S_is_kana(c))
			kana++;
		else if (S_is_hangul(c))
			hangul++;
		else if (S_is_latin(c))
			latin++;
	}
	/* A CJK character carries about what a Latin word does, some four letters. */
	size_t cjk = han + kana + hangul;
	if (cjk + latin < MIN_LETTERS)
		return NULL;
	if (cjk * 4 >= latin) {
		if (hangul * 2 >= cjk)
			return S_cjk_names[2];
		if (kana * 10 >= cjk)
			return S_cjk_names[1];
		return S_cjk_names[0];
	}
	size_t hits[NLATIN] = { 0 }, best = 0;
	S_count_words(text, len, hits);
	for (size_t l = 1; l < NLATIN; l++)
		if (hits[l] > hits[best])
			best = l;
	return S_latin[best].name;
}

const char *akb_language_tag(const char *name)
{
	static const char *const cjk[][2] = { { "中文", "zh" }, { "日本語", "ja" }, { "한국어", "ko" } };
	for (size_t i = 0; name && i < sizeof cjk / sizeof cjk[0]; i++)
		if (!strcmp(name, cjk[i][0]))
			return cjk[i][1];
	for (size_t i = 0; name && i < NLATIN; i++)
		if (!strcmp(name, S_latin[i].name))
			return S_latin[i].tag;
	return NULL;
}

const char *akb_language_named(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof S_cjk_names / sizeof S_cjk_names[0]; i++)
		if (strlen(S_cjk_names[i]) == len && !memcmp(S_cjk_names[i], name, len))
			return S_cjk_names[i];
	for (size_t i = 0; i < NLATIN; i++)
		if (strlen(S_latin[i].name) == len && !memcmp(S_latin[i].name, name, len))
			return S_latin[i].name;
	return NULL;
}
