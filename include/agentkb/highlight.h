/*
 * highlight: build-time syntax highlighting driven by the `highlight`
 * project's language definitions (Debian's highlight-common: langDefs/NAME.lang,
 * filetypes.conf, themes/NAME.theme), loaded through the embedded Lua and
 * matched with PCRE2 (JIT on).
 *
 * The engine turns code into a stream of tokens, each with one of
 * highlight's classes; the code-block renderer turns tokens into HTML (spans,
 * line numbers, highlighted lines). Definitions are loaded once per build and
 * shared: after akb_highlighter_new returns, highlighting is safe to call
 * from several threads at once (each call uses its own match data).
 *
 * Every match is bounded (PCRE2 match and depth limits, a step budget per
 * block), so no input can hang or crash a build: when a limit trips, the call
 * fails and the caller shows that block as plain text with a warning.
 */
#ifndef AKB_HIGHLIGHT_H
#define AKB_HIGHLIGHT_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"

/* Token classes, named as highlight's HTML output names them. */
enum akb_hl_class {
	AKB_HL_PLAIN = 0, /* no span */
	AKB_HL_STRING,    /* str */
	AKB_HL_NUMBER,    /* num */
	AKB_HL_SL_COMMENT,/* slc */
	AKB_HL_COMMENT,   /* com (block comment) */
	AKB_HL_ESCAPE,    /* esc */
	AKB_HL_DIRECTIVE, /* ppc (preprocessor) */
	AKB_HL_DIRECTIVE_STRING, /* pps */
	AKB_HL_OPERATOR,  /* opt */
	AKB_HL_INTERPOLATION, /* ipl */
	AKB_HL_KEYWORD,   /* kwa, kwb, ... : AKB_HL_KEYWORD + group id - 1 */
};

/* Keyword groups have ids 1..26 (kwa..kwz); classes stay below AKB_HL_KEYWORD + this. */
#define AKB_HL_KEYWORD_GROUPS 26

/* "str", "kwa", "kwb", ...; NULL for AKB_HL_PLAIN. */
const char *akb_hl_class_name(int cls);

struct akb_highlighter;

struct akb_highlighter_options {
	const char *datadir;   /* folder holding langDefs/ and themes/; NULL: Debian's /usr/share/highlight */
	const char *filetypes; /* filetypes.conf; NULL: /etc/highlight/filetypes.conf, then DATADIR/filetypes.conf */
};

/*
 * Prepares a highlighter. Definitions are read lazily, once each, on first
 * use of a language (thread-safe). Returns NULL (with an error in `diag`) if
 * the data folder is missing.
 */
struct akb_highlighter *akb_highlighter_new(const struct akb_highlighter_options *opts, struct akb_diag *diag);
void akb_highlighter_free(struct akb_highlighter *hl);

/*
 * Resolves what a user writes after ``` ("ts", "tsx", "python3", "sh",
 * "console", "c++", "Dockerfile", …: our aliases plus every name and
 * extension filetypes.conf maps) to a definition name ("ts", "python", …).
 * Returns NULL for unknown or placeholder languages ("[language]", "text").
 * The returned string lives as long as `hl`.
 */
const char *akb_highlighter_resolve(struct akb_highlighter *hl, const char *lang, size_t len);

/* Receives each token in order; the texts concatenate to the input exactly. */
typedef void (*akb_hl_token_fn)(void *ctx, int cls, const char *text, size_t len);

/*
 * Highlights `code` in language `def` (a name from akb_highlighter_resolve).
 * Returns 0 after emitting every byte of `code` as tokens, or -1 with a
 * message in `error` (a match or step limit, a broken definition); then
 * tokens may have been emitted partially and the caller must discard them.
 */
int akb_highlight(struct akb_highlighter *hl, const char *def, const char *code, size_t len, akb_hl_token_fn fn,
		  void *ctx, struct akb_buf *error);

/*
 * Appends CSS for highlight theme `name` (DATADIR/themes/NAME.theme). Token
 * spans are `<span class="kwa">` etc. inside a `<code class="hl">`, so the
 * rules are `.hl` (canvas: background, default colour), `.hl .kwa`,
 * `.hl .str`, …, `.hl .lin` (line numbers) and `.hl .hll` (highlighted
 * lines). The caller wraps the dark theme in a prefers-color-scheme query.
 * Returns 0, or -1 if the theme cannot be read (reported to `diag`).
 */
int akb_highlight_theme_css(struct akb_highlighter *hl, const char *name, struct akb_buf *out, struct akb_diag *diag);

#endif
