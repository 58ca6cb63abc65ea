/*
 * utf8: the few Unicode facts the generator needs (decoding, simple case
 * folding, letter/CJK classes), shared by slugs, anchors and later search.
 */
#ifndef AKB_UTF8_H
#define AKB_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "agentkb/buf.h"

struct akb_buf;

/*
 * Decodes one code point at s[*i] (n bytes in all) and advances *i.
 * Malformed bytes decode as U+FFFD, one byte at a time, so decoding always
 * makes progress.
 */
uint32_t akb_utf8_next(const char *s, size_t n, size_t *i);
void akb_utf8_put(struct akb_buf *out, uint32_t cp);
/* Simple (one-to-one) lower-casing for Latin, Greek, Cyrillic and fullwidth Latin. */
uint32_t akb_utf8_lower(uint32_t cp);
/* Han, Hiragana, Katakana, Hangul: scripts written without spaces between words. */
int akb_utf8_is_cjk(uint32_t cp);
/*
 * Letters and digits in the sense of "part of a word": ASCII alphanumerics
 * and every non-ASCII code point outside punctuation, symbol, space,
 * control and emoji blocks.
 */
int akb_utf8_is_word(uint32_t cp);
/* Is s[0..n) valid UTF-8? */
int akb_utf8_valid(const char *s, size_t n);

/*
 * Appends `s`, cut to at most `max` bytes at a code point boundary (at a
 * space when one is in the second half) with "…" after a cut.
 */
void akb_utf8_truncate(const char *s, size_t max, struct akb_buf *out);

/* Compares two valid UTF-8 strings as JS compares them, by UTF-16 code units: <0, 0, >0. */
int akb_utf8_cmp_utf16(const char *a, const char *b);

/* What a bidirectional control or zero-width character is ("a zero-width character"), or NULL for any other. */
const char *akb_utf8_hidden_name(uint32_t c);

#endif
