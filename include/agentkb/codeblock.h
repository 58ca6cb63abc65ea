/*
 * codeblock: renders one fenced code block as HTML: a labelled figure with a
 * copy button, the code highlighted at build time (through `highlight`),
 * optional line numbers and highlighted lines, as Hugo and Docusaurus users
 * write them in the info string:
 *
 *   ```python {2,4-6}            lines 2 and 4 to 6 highlighted
 *   ```go showLineNumbers        line numbers (also: linenos, linenos=true)
 *   ```go {linenos=true,hl_lines=[2,"4-6"]}
 *   ```sh title="install.sh"     a caption instead of the language name
 *
 * Unknown languages and placeholders render as escaped plain text. If the
 * highlighter gives up on a block (a match limit), the block is plain text
 * and a warning names path:line.
 */
#ifndef AKB_CODEBLOCK_H
#define AKB_CODEBLOCK_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/markdown.h"

struct akb_highlighter;

struct akb_codeblock_options {
	struct akb_highlighter *hl; /* NULL: no highlighting */
	int linenos;                /* line numbers by default (the fence can override) */
	const unsigned char *plain; /* per class (highlight.h): 1 writes its tokens without a span; NULL: none */
};

/* What the info string asks for, beyond the language. */
struct akb_fence_info {
	int linenos;          /* -1: not said, 0: off, 1: on */
	unsigned *marked;     /* sorted, unique 1-based line numbers to highlight (owned) */
	size_t nmarked;
	char *title;          /* title="…" (owned; NULL if none) */
};

/* Parses the part of the info string after the language. */
void akb_fence_info_parse(const char *info, struct akb_fence_info *fi);
void akb_fence_info_release(struct akb_fence_info *fi);

/* An akb_code_renderer_fn; `ctx` is a struct akb_codeblock_options. */
void akb_codeblock_render(void *ctx, const struct akb_code_block *block, struct akb_buf *out, struct akb_diag *diag);

#endif
