/*
 * html: a small scanner over HTML that agentkb wrote itself (themes,
 * cmark-gfm, hooks), for post-processing a built site. It yields tags,
 * comments and text in order, and the attributes of a tag; it builds no
 * tree and never fails: what it does not recognize is text. The content of
 * raw-text elements (script, style, textarea, title) comes back as one text
 * token, so a '<' in a script is not taken for a tag.
 */
#ifndef AKB_HTML_H
#define AKB_HTML_H

#include <stddef.h>

#include "agentkb/buf.h"

enum akb_html_kind {
	AKB_HTML_TEXT,
	AKB_HTML_START,   /* <name ...> or <name .../> */
	AKB_HTML_END,     /* </name> */
	AKB_HTML_COMMENT, /* <!-- ... --> */
	AKB_HTML_OTHER,   /* <!DOCTYPE ...>, <?...> */
};

struct akb_html_token {
	enum akb_html_kind kind;
	size_t start, end;    /* the token is s[start, end) */
	const char *name;     /* tag name (START, END), not NUL-terminated */
	size_t name_len;
	size_t attrs, attrs_end; /* START: the attribute text is s[attrs, attrs_end) */
	int self_closing;     /* START ends with "/>" */
};

struct akb_html_scanner {
	const char *s;
	size_t len, pos;
	const char *raw;   /* after <script> etc.: the name whose end tag closes the raw text */
	size_t raw_len;
};

struct akb_html_attr {
	const char *name; /* not NUL-terminated */
	size_t name_len;
	size_t value, value_end; /* the value is s[value, value_end), without quotes; value == value_end when empty or absent */
	int has_value;
	size_t end; /* offset just past the attribute (after a closing quote) */
};

void akb_html_scan_init(struct akb_html_scanner *sc, const char *s, size_t len);
/* Fills `tok` with the next token. Returns 1, or 0 at the end of the input. */
int akb_html_scan_next(struct akb_html_scanner *sc, struct akb_html_token *tok);
/*
 * Iterates the attributes of a START token: start with *pos = tok->attrs.
 * Returns 1 and fills `a`, or 0 after the last one.
 */
int akb_html_attr_next(const char *s, const struct akb_html_token *tok, size_t *pos, struct akb_html_attr *a);
/* Finds attribute `name` (lowercase) of a START token. Returns 1 and fills `a`, or 0. */
int akb_html_attr_find(const char *s, const struct akb_html_token *tok, const char *name, struct akb_html_attr *a);

/* Is the token's (or attribute's) name `name` (lowercase), in any case? */
int akb_html_name_is(const char *p, size_t len, const char *name);
/* Elements that never have an end tag (br, img, input, link, meta, ...). */
int akb_html_is_void(const char *name, size_t len);

/* Appends s[0..len) with character references (&amp; &#39; &#x27; ...) decoded. */
void akb_html_unescape(struct akb_buf *out, const char *s, size_t len);

#endif
