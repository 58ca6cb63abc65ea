/*
 * minify: safe, simple minifiers for the CSS and JavaScript a bundle
 * inlines. They only remove comments and whitespace, never rename or
 * rewrite code, and they copy strings, template literals and regular
 * expressions untouched, so the output means what the input meant:
 *  - CSS: comments go; whitespace runs become one space, or nothing next to
 *    { } ; , > and after ':' (never before '(' or ':', where it matters in
 *    selectors and media queries).
 *  - JS: comments go; a whitespace run with a line break stays a line break
 *    (automatic semicolon insertion depends on it) unless a neighbour makes
 *    it meaningless ({ ( [ , ; : before, } ) ] , ; after); other runs stay
 *    a space only between two word characters and in "+ +", "- -", "1 .x".
 */
#ifndef AKB_MINIFY_H
#define AKB_MINIFY_H

#include <stddef.h>

#include "agentkb/buf.h"

void akb_minify_css(struct akb_buf *out, const char *s, size_t len);
void akb_minify_js(struct akb_buf *out, const char *s, size_t len);

#endif
