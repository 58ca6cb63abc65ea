/*
 * markdown: renders an agent's body to HTML with cmark-gfm (tables,
 * strikethrough, autolinks, tag filter, task lists, footnotes).
 *
 * Raw HTML in a file is never emitted as HTML: it is shown as escaped text,
 * so nothing is lost and nothing runs. Headings get stable ids (CJK kept)
 * and are returned for the table of contents. Fenced code blocks go through
 * a pluggable renderer (the highlighter), or a plain escaped default.
 */
#ifndef AKB_MARKDOWN_H
#define AKB_MARKDOWN_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"

struct akb_code_block {
	const char *info;  /* the whole info string ("python {2,4-6}"); "" if none */
	const char *lang;  /* its first word, not NUL-terminated; lang_len may be 0 */
	size_t lang_len;
	const char *code;  /* the literal code, ending in '\n' unless empty */
	size_t code_len;
	const char *path;  /* the file, for diagnostics */
	unsigned line;     /* 1-based file line of the opening fence */
};

/* Appends the HTML for one code block to `out`. */
typedef void (*akb_code_renderer_fn)(void *ctx, const struct akb_code_block *block, struct akb_buf *out,
				     struct akb_diag *diag);

/*
 * Renders a Claude Code style <example> block of the body (`text` is the
 * whole block, tags included) as HTML into `out`; leaving `out` empty keeps
 * the block as text.
 */
typedef void (*akb_example_renderer_fn)(void *ctx, const char *text, size_t len, struct akb_buf *out,
					struct akb_diag *diag);

/*
 * Decides where a relative link or image in the body points. Returns
 * AKB_LINK_KEEP to leave `url` as written, AKB_LINK_REWRITE after putting the
 * new URL in `out`, or AKB_LINK_BROKEN when it points at nothing in the site
 * (the link is then rendered as its text, with a warning).
 */
enum akb_link_action { AKB_LINK_KEEP, AKB_LINK_REWRITE, AKB_LINK_BROKEN };
typedef enum akb_link_action (*akb_link_resolver_fn)(void *ctx, const char *url, struct akb_buf *out);

struct akb_markdown_options {
	akb_link_resolver_fn link;  /* NULL: keep every link */
	void *link_ctx;
	akb_code_renderer_fn code; /* NULL: akb_markdown_plain_code */
	void *code_ctx;
	akb_example_renderer_fn example; /* NULL: <example> blocks stay text */
	void *example_ctx;
	const char *path;          /* for diagnostics */
	unsigned first_line;       /* file line of the text's first line */
	int collect_text;          /* fill doc->prose, doc->code and doc->headings (for the search index) */
};

struct akb_heading {
	int level;
	char *text; /* plain text (owned) */
	char *id;   /* unique in the page (owned) */
};

struct akb_markdown_doc {
	struct akb_buf html;
	struct akb_heading *headings;
	size_t nheadings;
	size_t code_blocks;
	struct akb_buf prose;    /* with collect_text: the body's text outside headings and code blocks */
	struct akb_buf code;     /* with collect_text: the code blocks' text */
	struct akb_buf heading_text; /* with collect_text: heading texts, one per line */
	struct akb_buf code_langs;   /* with collect_text: each fenced block's language (first word of its info), one per line */
};

/* Renders `text` into `doc` (which the caller releases). Thread-safe. */
void akb_markdown_render(const char *text, size_t len, const struct akb_markdown_options *opts,
			 struct akb_markdown_doc *doc, struct akb_diag *diag);
void akb_markdown_doc_release(struct akb_markdown_doc *doc);

/* The default code renderer: a labelled, escaped <pre><code> with a copy button. */
void akb_markdown_plain_code(void *ctx, const struct akb_code_block *block, struct akb_buf *out,
			     struct akb_diag *diag);

/* Markdown to HTML without ids or code hooks (descriptions, hook pages). */
char *akb_markdown_to_html(const char *text, size_t len);

#endif
