/*
 * yaml_int.h: what the strict reader (yaml.c) and the line-by-line reader
 * (recover.c) share: turning byte offsets into file positions, and building
 * maps whose duplicate keys are merged once at the end.
 */
#ifndef AKB_YAML_INT_H
#define AKB_YAML_INT_H

#include <stddef.h>

#include "agentkb/diag.h"
#include "agentkb/value.h"

/*
 * A slice of a file that starts on a line boundary, with its line starts
 * (and, for non-ASCII text, its character starts: libyaml counts characters)
 * indexed on first use.
 */
struct yaml_src {
	const char *text;
	size_t len;
	unsigned line;  /* 1-based file line of text[0] */
	int char_columns; /* columns count characters, not bytes */
	size_t *lines;  /* byte offsets of the line starts */
	size_t nlines;
	size_t *chars;  /* byte offset of every character; NULL if the text is ASCII */
	size_t nchars;
	int indexed;
};

void yaml_src_init(struct yaml_src *src, const char *text, size_t len, unsigned line);
void yaml_src_release(struct yaml_src *src);
/* Byte offset of libyaml's character index `index`. */
size_t yaml_src_byte(struct yaml_src *src, size_t index);
/* File line and column (both 1-based; bytes, or characters) of byte `off` of the slice. */
void yaml_src_where(struct yaml_src *src, size_t off, unsigned *line, unsigned *col);

/* Space, tab, or a stray '\r' (CRLF lines): blank to both front-matter readers. */
static inline int yaml_is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Whether the `len` bytes at `s` are one of the NULL-terminated `words`. */
int yaml_is_one_of(const char *s, size_t len, const char *const *words);

/* Appends a pair (taking `key`) without looking the key up; yaml_map_dedupe sorts duplicates out. */
struct akb_pair *yaml_map_push(struct akb_value *map, char *key, unsigned line, unsigned col);

/*
 * Keeps one pair per key: the last value, at the first key's place in the
 * order (as a dictionary update does), with the last key's position, since
 * that is where the value in use comes from. With `diag`, each later
 * duplicate is a warning naming `what` ("duplicate front-matter key ...").
 */
void yaml_map_dedupe(struct akb_value *map, const char *what, const char *path, struct akb_diag *diag);

#endif
