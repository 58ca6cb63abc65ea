/*
 * highlight_int: what the three files of the highlight module share
 * (highlight.c: the engine and the public calls; highlight_lang.c: the
 * catalogue, definition loading and the Lua hooks; highlight_theme.c: theme
 * CSS). Nothing here leaves the module: <pcre2.h> stays in this header and
 * <lua.h> in highlight_lang.c, the one file that reads highlight's Lua data.
 */
#ifndef AKB_HIGHLIGHT_INT_H
#define AKB_HIGHLIGHT_INT_H

#include <pthread.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/strmap.h"

/*
 * highlight's parser states, numbered as in its enums.h: OnStateChange hooks
 * receive and return these numbers (HL_STRING, HL_REJECT, ...).
 */
enum hl_state {
	HLS_STANDARD = 0,
	HLS_STRING,
	HLS_NUMBER,
	HLS_SL_COMMENT,
	HLS_ML_COMMENT,
	HLS_ESC_CHAR,
	HLS_DIRECTIVE,
	HLS_DIRECTIVE_STRING,
	HLS_LINENUMBER,
	HLS_SYMBOL,
	HLS_STRING_INTERPOLATION,
	HLS_KEYWORD,
	HLS_STRING_END,
	HLS_NUMBER_END,
	HLS_SL_COMMENT_END,
	HLS_ML_COMMENT_END,
	HLS_ESC_CHAR_END,
	HLS_DIRECTIVE_END,
	HLS_SYMBOL_END,
	HLS_STRING_INTERPOLATION_END,
	HLS_KEYWORD_END,
	HLS_IDENTIFIER_BEGIN,
	HLS_IDENTIFIER_END,
	HLS_EMBEDDED_CODE_BEGIN,
	HLS_EMBEDDED_CODE_END,
	HLS_UNKNOWN = 100,
	HLS_REJECT,
	HLS_EOL,
	HLS_EOF,
	HLS_WS,
};

/* A word set (keywords, aliases): word -> int, on the byte-string map. Zeroed is empty. */
struct hl_words {
	struct akb_strmap map;
};

void hl_words_release(struct hl_words *w);
/* Adds `key` unless present (the first value wins, as in highlight's std::map::insert). */
void hl_words_add(struct hl_words *w, const char *key, size_t len, int value);
/*
 * Returns the value of `key`, or 0 when absent. With `fold`, the probe is
 * lower-cased (ASCII) first; stored keys are compared as they are.
 */
int hl_words_get(const struct hl_words *w, const char *key, size_t len, int fold);

/* One of highlight's RegexElements: a pattern and the state it opens. */
struct hl_regex {
	pcre2_code *re;
	int jit;        /* JIT-compiled: pcre2_jit_match applies */
	int open;       /* enum hl_state */
	int kw_class;   /* keyword class index (1-based) for keyword regexes */
	int group;      /* capture group that forms the token; -1: the last one */
	int ngroups;    /* capture groups in the pattern */
	int nested;     /* index into def->nested for EMBEDDED_CODE_BEGIN, else -1 */
	/* Delimiter bookkeeping; ids are the 1-based position in def->rx. */
	int distinct;   /* open and close delimiters differ (comments), or a Strings.Delimiter */
	int raw;        /* a DelimiterPairs entry marked Raw */
	int match_open; /* for a closing delimiter: the id of its opening one */
};

/* A NestedSections entry: another definition embedded in this one. */
struct hl_nested {
	char *lang;           /* definition name */
	struct hl_def *def;   /* NULL when that definition is missing or broken */
	struct hl_regex end;  /* closing delimiter (EMBEDDED_CODE_END) */
	int sealed;           /* no further sections open inside it */
	int end_from;         /* the entry whose `end` and `sealed` apply (the last naming `lang`) */
};

struct hl_lua_pool;

/* A loaded language definition; immutable once loaded, shared by all threads. */
struct hl_def {
	char *name;
	char *path;
	struct hl_regex *rx;   /* in highlight's matching order */
	size_t nrx;
	struct hl_words keywords;  /* word -> class index */
	int *class_ids;        /* class index - 1 -> the Keywords Id that names it (kwa = 1) */
	size_t nclasses;
	struct hl_nested *nested;
	size_t nnested;
	int ignore_case;
	int nested_comments;   /* block comments may nest (highlight's default: yes) */
	int equal_length;      /* Strings.AssertEqualLength */
	int disabled;          /* DisableHighlighting */
	unsigned char raw_prefix;   /* Strings.RawPrefix, 0 if none */
	unsigned char continuation; /* PreProcessor.Continuation, 0 if none */
	int has_hook;          /* defines OnStateChange */
	int max_groups;        /* most capture groups in one pattern (match data size) */
	struct hl_lua_pool *pool; /* Lua states ready to run the hook */
};

struct akb_highlighter {
	char *datadir;
	pthread_mutex_t lock;   /* guards defs[], errors[] and the Lua pools */
	char **names;           /* definition names (langDefs/NAME.lang), sorted */
	size_t nnames;
	struct hl_def **defs;   /* parallel to names; NULL until loaded */
	char **errors;          /* parallel to names; why loading failed */
	struct hl_words aliases; /* lower-case alias -> index into names + 1 */
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
};

/* Limits: every one of them turns into a failed block, never a hang. */
#define HL_MATCH_LIMIT 2000000u      /* backtracking steps per pcre2 match */
#define HL_DEPTH_LIMIT 10000u        /* interpreter depth (JIT has its own stack) */
#define HL_LUA_STEPS 1000000L        /* Lua instructions per hook call */
#define HL_LUA_LOAD_STEPS 50000000L  /* Lua instructions to load a file */
#define HL_LUA_MEMORY (64u << 20)    /* bytes one Lua state may hold */

/* highlight_lang.c */
struct lua_State;
/*
 * A Lua state in a sandbox (lua_sandbox.h) with base, string, table, math
 * and utf8; its calls get HL_LUA_STEPS instructions (HL_LUA_LOAD_STEPS to
 * load a file) and the state at most HL_LUA_MEMORY. NULL if Lua cannot
 * start. Close it with hl_lua_close.
 */
struct lua_State *hl_lua_new(void);
void hl_lua_close(struct lua_State *L);
/* Runs the text file `path`; on failure appends Lua's message to `error` and returns -1. */
int hl_lua_dofile(struct lua_State *L, const char *path, struct akb_buf *error);

/* A theme element's style (themes/NAME.theme: Colour, Bold, Italic, Underline). */
struct hl_style {
	int present; /* the theme defines the element */
	unsigned rgb[3];
	int bold, italic, underline;
};
/*
 * Runs theme file `path` and reads the global style tables named by
 * `elements` into `styles` (parallel) and up to AKB_HL_KEYWORD_GROUPS
 * Keywords entries into `keywords` (count in `*nkeywords`). Returns 0, or
 * -1 with Lua's message appended to `error`.
 */
int hl_theme_read(const char *path, const char *const *elements, size_t nelements, struct hl_style *styles,
		  struct hl_style *keywords, size_t *nkeywords, struct akb_buf *error);

int hl_catalog_init(struct akb_highlighter *hl, const char *filetypes, struct akb_diag *diag);
/* The definition `name`, loading it on first use (thread-safe); NULL with a message in `error`. */
struct hl_def *hl_def_get(struct akb_highlighter *hl, const char *name, struct akb_buf *error);
void hl_def_free(struct hl_def *def);
/*
 * Full match of s[0..n) against the pattern (highlight's regex_match), using
 * the caller's match data: 1, 0, or -1 when a limit trips.
 */
int hl_regex_full_match(const struct akb_highlighter *hl, const struct hl_regex *r, pcre2_match_data *md,
			const char *s, size_t n);

/*
 * The Lua side of one highlighting call: the states it checked out of the
 * definitions' pools and the keywords its hooks added (AddKeyword).
 */
struct hl_hook_slot;
struct hl_hooks {
	struct akb_highlighter *hl;
	struct hl_hook_slot *slots;
	size_t len, cap;
};

/*
 * Calls def's OnStateChange(old, new, token, kwclass). Returns 1 and sets
 * *result when it returned a number, 0 when it returned nothing usable, -1
 * on a Lua error or a limit (message in `error`).
 */
int hl_hook_call(struct hl_hooks *h, struct hl_def *def, int old_state, int new_state, const char *tok,
		 size_t len, int kw_class, int *result, struct akb_buf *error);
/* The class a hook gave `tok` with AddKeyword during this call; 0 if none. */
int hl_hook_keyword(const struct hl_hooks *h, const struct hl_def *def, const char *tok, size_t len, int fold);
/* Returns the Lua states to their pools. */
void hl_hooks_release(struct hl_hooks *h);

#endif
