/*
 * highlight: build-time syntax highlighting driven by the `highlight`
 * project's language definitions (Debian's highlight-common: langDefs/NAME.lang,
 * filetypes.conf, themes/NAME.theme), loaded through the embedded Lua and
 * matched with PCRE2 (JIT on).
 *
 * The engine turns code into a stream of tokens, each with one of
 * highlight's classes; the code-block renderer turns tokens into HTML (spans,
 * line numbers, highlighted lines). It follows highlight 3.41's parser step
 * for step, so the definitions behave as their authors tested them: every
 * Keywords/Strings/Comments/Digits/Operators/PreProcessor/NestedSections
 * feature and the OnStateChange hooks. On the blocks of content/ and the
 * shared corpora its classes agree with `highlight -O html` on every
 * character (tests/highlight.sh). Known differences, all on inputs
 * highlight mangles: it drops bytes (a NUL ends its input, an empty
 * pattern match swallows a character, a comment line holding "@highlight"
 * is rewritten); we emit every byte. A span never ends inside a UTF-8
 * sequence (highlight works on bytes; the rest of a split character joins
 * the span it started in).
 *
 * Definitions are loaded once per highlighter and shared: after
 * akb_highlighter_new returns, highlighting is safe to call from several
 * threads at once. Each call has its own match data; a definition with an
 * OnStateChange hook lends each call its own Lua state from a pool (globals
 * reset to their loaded values when a call assigned any), so hooks run
 * without a lock and one block's hook state (sh's open here-document) never
 * leaks into another. While a state's globals are untouched, a hook's
 * result depends only on its arguments and is remembered in that state
 * (a hook mutating a table in place would defeat this; none does).
 *
 * Everything is bounded: PCRE2 match and depth limits per match, a step
 * budget per block (parser steps plus bytes scanned), and an instruction
 * and memory cap per Lua call. When a limit trips the call fails quickly
 * and the caller shows that block as plain text with a warning.
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
/* Every class id is below this. */
#define AKB_HL_CLASSES (AKB_HL_KEYWORD + AKB_HL_KEYWORD_GROUPS)

/* "str", "kwa", "kwb", ...; NULL for AKB_HL_PLAIN. */
const char *akb_hl_class_name(int cls);

struct akb_highlighter;

struct akb_highlighter_options {
	const char *datadir;   /* folder holding langDefs/ and themes/; NULL: Debian's /usr/share/highlight */
	const char *filetypes; /* filetypes.conf; NULL: /etc/highlight/filetypes.conf, then DATADIR/filetypes.conf */
};

/*
 * Prepares a highlighter: lists DATADIR/langDefs and reads the aliases of
 * filetypes.conf (a missing one only loses those aliases, with a warning).
 * Definitions are read lazily, once each, on first use of a language
 * (thread-safe). Returns NULL (with an error in `diag`) if the data folder
 * is missing.
 */
struct akb_highlighter *akb_highlighter_new(const struct akb_highlighter_options *opts, struct akb_diag *diag);
void akb_highlighter_free(struct akb_highlighter *hl);
/* The data folder it reads (its options', or the default). */
const char *akb_highlighter_datadir(const struct akb_highlighter *hl);

/*
 * Resolves what a user writes after ``` ("ts", "tsx", "python3", "sh",
 * "console", "c++", "Dockerfile", …: our aliases, then every definition
 * name, then every name, extension and file name filetypes.conf maps; case
 * does not matter, surrounding blanks and a leading '.' are ignored) to a
 * definition name ("ts", "python", …). Returns NULL for unknown or
 * placeholder languages ("[language]", "text", "plain", ""). Thread-safe;
 * the returned string lives as long as `hl`.
 */
const char *akb_highlighter_resolve(struct akb_highlighter *hl, const char *lang, size_t len);

/*
 * Receives each token in order; the texts concatenate to the input exactly.
 * Adjacent tokens always differ in class. Newlines are always AKB_HL_PLAIN
 * (a CR before one travels with it), as highlight closes spans at line ends.
 */
typedef void (*akb_hl_token_fn)(void *ctx, int cls, const char *text, size_t len);

/*
 * Highlights `code` in language `def` (a name from akb_highlighter_resolve,
 * or any definition name). Any bytes are fine: malformed UTF-8, NULs, CRs.
 * Returns 0 after emitting every byte of `code` as tokens, or -1 with a
 * message appended to `error` (may be NULL): a match, step or Lua limit, a
 * broken or missing definition; then tokens may have been emitted partially
 * and the caller must discard them.
 */
int akb_highlight(struct akb_highlighter *hl, const char *def, const char *code, size_t len, akb_hl_token_fn fn,
		  void *ctx, struct akb_buf *error);

#endif
