/*
 * highlight_lang: reads the `highlight` project's data through the embedded
 * Lua: the catalogue of definitions (langDefs/NAME.lang plus the aliases of
 * filetypes.conf), each definition turned into compiled PCRE2 patterns in
 * highlight's matching order (after its SyntaxReader::load), and the Lua
 * states that run OnStateChange hooks.
 *
 * Hooks keep state in Lua globals (sh.lang remembers the open here-document
 * in `hereDoc`), and highlight starts every file with fresh globals. So a
 * highlighting call checks a Lua state out of the definition's pool, resets
 * its globals to what loading the file left, and owns it until the call
 * ends: no lock is held while Lua runs, two threads never share a state, and
 * one block's hook state cannot leak into the next. A pool grows to at most
 * the number of concurrent calls. (A hook with private state in upvalues,
 * which no shipped definition has, gets a fresh state per block instead.)
 */
#include "core/prefix.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lauxlib.h>
#include <lua.h>

#include "agentkb/buf.h"
#include "agentkb/css.h"
#include "agentkb/diag.h"
#include "agentkb/dir.h"
#include "agentkb/lua_sandbox.h"
#include "highlight_int.h"

/* highlight's defaults (syntaxreader.cpp), used when a definition sets none. */
static const char S_default_identifier[] = "[a-zA-Z_]\\w*";
static const char S_default_number[] = "(?:0x|0X)[0-9a-fA-F]+|\\d*[\\.]?\\d+(?:[eE][\\-\\+]\\d+)?[lLuU]*";
static const char S_default_escape[] =
	"\\\\u[[:xdigit:]]{4}|\\\\\\d{3}|\\\\x[[:xdigit:]]{2}|\\\\[ntvbrfa\\\\\\?'\"]";

/* ---- word sets ---------------------------------------------------------- */

/* Values are ints (classes > 0, alias indexes, -1 for plain text): stored shifted to stay size_t. */
void hl_words_release(struct hl_words *w)
{
	akb_strmap_release(&w->map);
}

void hl_words_add(struct hl_words *w, const char *key, size_t len, int value)
{
	akb_strmap_add(&w->map, key, len, (size_t)((long long)value - INT_MIN), NULL);
}

int hl_words_get(const struct hl_words *w, const char *key, size_t len, int fold)
{
	size_t v;
	int found = fold ? akb_strmap_getn_folded(&w->map, key, len, &v) : akb_strmap_getn(&w->map, key, len, &v);
	return found ? (int)((long long)v + INT_MIN) : 0;
}

/* ---- sandboxed Lua states ----------------------------------------------- */

#define HL_MEMO_MAX 4096      /* entries per Lua state */
#define HL_MEMO_TOKEN 64      /* longer tokens are not remembered */

/* Per-state bookkeeping, reached through the state's extra space. */
struct hl_lua {
	int dirty;            /* a global was assigned since the last reset */
	int side_effect;      /* AddKeyword was called during this hook call */
	int memo_ok;          /* the hook is a function of its arguments while the state is clean */
	struct akb_strmap memo; /* remembered results (see hl_hook_call): key S_memo_key, value result * 2 + rc */
	struct akb_buf memo_key; /* scratch for building keys */
	struct akb_lua *sb;   /* the sandbox that owns the state */
	struct hl_words *kw_target; /* where AddKeyword adds; NULL: nowhere */
	const struct hl_words *kw_static; /* the definition's own keywords */
};

struct hl_lua_pool {
	lua_State **free;
	size_t len, cap;
};

/* One state checked out by a highlighting call (see struct hl_hooks). */
struct hl_hook_slot {
	struct hl_def *def;
	lua_State *L;
	int fn_ref;             /* OnStateChange in the registry */
	struct hl_words added;  /* AddKeyword during this call */
};

static struct hl_lua *S_lua_info(lua_State *L)
{
	return akb_lua_user(L);
}

/* What a call may allocate: the state as a whole stays under HL_LUA_MEMORY. */
static size_t S_lua_allowance(const struct hl_lua *info)
{
	size_t used = akb_lua_memory(info->sb);
	return used < HL_LUA_MEMORY ? HL_LUA_MEMORY - used : 0;
}

static int S_lua_add_keyword(lua_State *L)
{
	struct hl_lua *info = S_lua_info(L);
	int ok = 0;
	info->side_effect = 1;
	if (lua_gettop(L) == 2 && lua_type(L, 1) == LUA_TSTRING && info->kw_target) {
		size_t len;
		const char *kw = lua_tolstring(L, 1, &len);
		int cls = (int)lua_tonumber(L, 2);
		if (cls > 0 && !(info->kw_static && hl_words_get(info->kw_static, kw, len, 0))) {
			hl_words_add(info->kw_target, kw, len, cls);
			ok = 1;
		}
	}
	lua_pushboolean(L, ok);
	return 1;
}

/*
 * A fresh sandbox with the libraries definitions use (no io, os or
 * package). Returns NULL if Lua cannot start.
 */
lua_State *hl_lua_new(void)
{
	struct hl_lua *info = akb_xcalloc(1, sizeof(*info));
	akb_buf_init(&info->memo_key);
	info->sb = akb_lua_open(0, info);
	if (!info->sb) {
		akb_buf_release(&info->memo_key);
		free(info);
		return NULL;
	}
	return akb_lua_state(info->sb);
}

void hl_lua_close(lua_State *L)
{
	if (!L)
		return;
	struct hl_lua *info = S_lua_info(L);
	akb_lua_close(info->sb);
	akb_strmap_release(&info->memo);
	akb_buf_release(&info->memo_key);
	free(info);
}

/*
 * Runs the file at `path` as text, within the loading budget; on failure
 * appends Lua's message (without its traceback) to `error`.
 */
int hl_lua_dofile(lua_State *L, const char *path, struct akb_buf *error)
{
	struct hl_lua *info = S_lua_info(L);
	if (luaL_loadfilex(L, path, "t") != LUA_OK ||
	    akb_lua_call(info->sb, 0, 0, HL_LUA_LOAD_STEPS, S_lua_allowance(info)) != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		size_t head;
		if (!msg)
			msg = "unknown Lua error";
		akb_lua_traceback(msg, &head);
		akb_buf_put(error, msg, head);
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

/* t[key] as a string (numbers convert), or NULL; valid while the value stays on the stack. */
static const char *S_field_string(lua_State *L, int t, const char *key, size_t *len)
{
	lua_getfield(L, t, key);
	if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)
		return lua_tolstring(L, -1, len);
	return NULL;
}

/* highlight's readFlag: nil is false, anything else by Lua truth. */
static int S_global_flag(lua_State *L, const char *name)
{
	lua_getglobal(L, name);
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

static int S_field_flag(lua_State *L, int t, const char *key)
{
	lua_getfield(L, t, key);
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

/* ---- the catalogue ------------------------------------------------------ */

static int S_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long S_name_index(const struct akb_highlighter *hl, const char *name)
{
	size_t lo = 0, hi = hl->nnames;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, hl->names[mid]);
		if (!c)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static void S_alias_n(struct akb_highlighter *hl, const char *alias, size_t len, const char *target)
{
	long i = S_name_index(hl, target);
	if (i >= 0)
		hl_words_add(&hl->aliases, alias, len, (int)i + 1);
}

static void S_alias_lower(struct akb_highlighter *hl, const char *alias, size_t len, const char *target)
{
	char *low = akb_xstrndup(alias, len);
	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	S_alias_n(hl, low, len, target);
	free(low);
}

/*
 * What people write after ``` for the languages agent files use most. These
 * come before the definition names and filetypes.conf, so "text" stays
 * plain although highlight maps it to txt.lang.
 */
struct alias_row {
	const char *def;     /* the definition (langDefs/<def>.lang) */
	const char *aliases; /* the fence names that pick it, space-separated */
};

static const struct alias_row S_aliases[] = {
	{ "ts", "ts typescript tsx mts cts" },
	{ "js", "js javascript mjs cjs node" },
	{ "jsx", "jsx" },
	{ "python", "py python python3 py3" },
	{ "sh", "sh bash shell zsh console shell-session shellsession ksh" },
	{ "yaml", "yml yaml" },
	{ "sql", "sql postgresql postgres psql mysql plpgsql sqlite" },
	{ "json", "json jsonc json5 jsonl" },
	{ "go", "go golang" },
	{ "rs", "rs rust" },
	{ "docker", "dockerfile docker containerfile" },
	{ "c", "c h cpp c++ cc cxx hpp" },
	{ "java", "java groovy gradle" },
	{ "ruby", "rb ruby" },
	{ "ini", "toml ini cfg" },
	{ "diff", "diff patch" },
	{ "html", "html htm xhtml" },
	{ "xml", "xml" },
	{ "css", "css" },
	{ "scss", "scss" },
	{ "less", "less" },
	{ "md", "md markdown" },
	{ "kotlin", "kt kotlin kts" },
	{ "csharp", "cs c# csharp" },
	{ "fsharp", "f#" },
	{ "ps1", "ps1 powershell pwsh" },
	{ "bat", "bat batch cmd" },
	{ "make", "make makefile" },
	{ "hcl", "hcl terraform tf" },
	{ "objc", "objc objective-c" },
	{ "perl", "pl perl" },
	{ "lua", "lua" },
	{ "php", "php" },
	{ "swift", "swift" },
	{ "scala", "scala" },
	{ "r", "r" },
	{ "elixir", "elixir ex exs" },
	{ "erlang", "erlang" },
	{ "haskell", "haskell hs" },
	{ "clojure", "clojure" },
	{ "dart", "dart" },
	{ "julia", "julia" },
	{ "nginx", "nginx" },
	{ "vb", "vb vbnet" },
	{ "tex", "tex latex" },
	{ "awk", "awk" },
	{ "vimscript", "vim" },
	{ "cmake", "cmake" },
	{ "idl", "proto" },
};

/* Placeholders and plain-text names: no highlighting at all. */
static const char *const S_plain[] = {
	"text", "txt", "plain", "plaintext", "none", "nohighlight", "no-highlight", "output",
	"[language]", "language", "lang", "code",
};

static int S_is_lang_file(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".lang") && name[0] != '.';
}

static int S_catalog_list(struct akb_highlighter *hl, struct akb_diag *diag)
{
	struct akb_buf dir = AKB_BUF_INIT;
	akb_buf_printf(&dir, "%s/langDefs", hl->datadir);
	hl->names = akb_dir_names(dir.ptr, S_is_lang_file, &hl->nnames);
	if (!hl->names) {
		akb_error(diag, dir.ptr, 0, 0, "unable to open the highlight language definitions");
		akb_buf_release(&dir);
		return -1;
	}
	akb_buf_release(&dir);
	for (size_t i = 0; i < hl->nnames; i++)
		hl->names[i][strlen(hl->names[i]) - 5] = '\0';
	/* sorted again without ".lang": "c" before "c++" (S_name_index searches them) */
	qsort(hl->names, hl->nnames, sizeof(*hl->names), S_cmp_names);
	hl->defs = akb_xcalloc(hl->nnames, sizeof(*hl->defs));
	hl->errors = akb_xcalloc(hl->nnames, sizeof(*hl->errors));
	return 0;
}

/* Adds every string of the array t[key] as an alias of `lang`. */
static void S_filetypes_list(struct akb_highlighter *hl, lua_State *L, int t, const char *key, const char *lang)
{
	lua_getfield(L, t, key);
	if (lua_istable(L, -1)) {
		for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TSTRING; i++) {
			size_t len;
			const char *s = lua_tolstring(L, -1, &len);
			S_alias_lower(hl, s, len, lang);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* filetypes.conf is Lua: FileMapping = { { Lang=, Extensions={}, Filenames={} }, ... }. */
static void S_catalog_filetypes(struct akb_highlighter *hl, const char *path, struct akb_diag *diag)
{
	lua_State *L = hl_lua_new();
	if (!L)
		return;
	struct akb_buf err = AKB_BUF_INIT;
	if (hl_lua_dofile(L, path, &err) < 0) {
		akb_warn(diag, path, 0, 0, "unable to read highlight file types: %s", err.ptr);
	} else if (lua_getglobal(L, "FileMapping") == LUA_TTABLE) {
		for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TTABLE; i++) {
			int t = lua_gettop(L);
			size_t len;
			const char *lang = S_field_string(L, t, "Lang", &len);
			if (lang) {
				char *target = akb_xstrndup(lang, len);
				S_alias_lower(hl, target, len, target);
				S_filetypes_list(hl, L, t, "Extensions", target);
				S_filetypes_list(hl, L, t, "Filenames", target);
				free(target);
			}
			lua_settop(L, t - 1);
		}
	}
	akb_buf_release(&err);
	hl_lua_close(L);
}

int hl_catalog_init(struct akb_highlighter *hl, const char *filetypes, struct akb_diag *diag)
{
	if (S_catalog_list(hl, diag) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(S_plain) / sizeof(S_plain[0]); i++)
		hl_words_add(&hl->aliases, S_plain[i], strlen(S_plain[i]), -1);
	for (size_t i = 0; i < sizeof(S_aliases) / sizeof(S_aliases[0]); i++)
		for (const char *w = S_aliases[i].aliases; *w; w += strspn(w, " ")) {
			size_t n = strcspn(w, " ");
			S_alias_n(hl, w, n, S_aliases[i].def);
			w += n;
		}
	for (size_t i = 0; i < hl->nnames; i++)
		S_alias_lower(hl, hl->names[i], strlen(hl->names[i]), hl->names[i]);

	struct akb_buf path = AKB_BUF_INIT;
	struct stat st;
	if (filetypes) {
		akb_buf_puts(&path, filetypes);
	} else if (stat("/etc/highlight/filetypes.conf", &st) == 0) {
		akb_buf_puts(&path, "/etc/highlight/filetypes.conf");
	} else {
		akb_buf_printf(&path, "%s/filetypes.conf", hl->datadir);
		if (stat(path.ptr, &st) != 0)
			akb_buf_clear(&path);
	}
	if (path.len)
		S_catalog_filetypes(hl, path.ptr, diag);
	akb_buf_release(&path);
	return 0;
}

/* ---- definitions -------------------------------------------------------- */

struct loader {
	struct akb_highlighter *hl;
	struct hl_def *def;
	lua_State *L;
	size_t cap_rx;
	size_t cap_nested;
	struct akb_buf *error;
};

/* highlight's StringTools::trim: spaces only, both ends. */
static void S_trim(const char **s, size_t *len)
{
	while (*len && (*s)[0] == ' ') {
		(*s)++;
		(*len)--;
	}
	while (*len && (*s)[*len - 1] == ' ')
		(*len)--;
}

/*
 * Rewrites the Boost.Xpressive syntax highlight's patterns were written for
 * where PCRE2 reads it differently: outside a character class, \< and \>
 * assert the start and the end of a word (chill.lang's comments, mxml.lang's
 * CDATA end); PCRE2 would take them as the literal characters.
 */
static void S_translate(const char *pat, size_t len, struct akb_buf *out)
{
	int in_class = 0;
	for (size_t i = 0; i < len; i++) {
		char c = pat[i];
		if (c == '\\' && i + 1 < len) {
			char e = pat[++i];
			if (!in_class && e == '<')
				akb_buf_puts(out, "\\b(?=\\w)");
			else if (!in_class && e == '>')
				akb_buf_puts(out, "\\b(?<=\\w)");
			else {
				akb_buf_putc(out, c);
				akb_buf_putc(out, e);
			}
			continue;
		}
		if (in_class) {
			/* [:alpha:] inside a class does not end it. */
			if (c == '[' && i + 1 < len && pat[i + 1] == ':') {
				const char *end = strstr(pat + i + 2, ":]");
				if (end && (size_t)(end - pat) < len) {
					akb_buf_put(out, pat + i, (size_t)(end - pat) + 2 - i);
					i = (size_t)(end - pat) + 1;
					continue;
				}
			}
			if (c == ']')
				in_class = 0;
		} else if (c == '[') {
			in_class = 1;
			akb_buf_putc(out, c);
			/* A ] right after [ or [^ is a member, not the end. */
			if (i + 1 < len && pat[i + 1] == '^')
				akb_buf_putc(out, pat[++i]);
			if (i + 1 < len && pat[i + 1] == ']')
				akb_buf_putc(out, pat[++i]);
			continue;
		}
		akb_buf_putc(out, c);
	}
}

static int S_compile(struct loader *ld, struct hl_regex *r, const char *pat, size_t len, int open)
{
	int code;
	PCRE2_SIZE off;
	memset(r, 0, sizeof(*r));
	r->open = open;
	r->group = -1;
	r->nested = -1;
	S_trim(&pat, &len);
	struct akb_buf tr = AKB_BUF_INIT;
	S_translate(pat, len, &tr);
	r->re = pcre2_compile((PCRE2_SPTR)tr.ptr, tr.len, 0, &code, &off, ld->hl->cctx);
	akb_buf_release(&tr);
	if (!r->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		akb_buf_printf(ld->error, "%s: bad pattern /%.*s/ at offset %zu: %s", ld->def->path, (int)len, pat,
			       (size_t)off, (const char *)msg);
		return -1;
	}
	uint32_t n = 0;
	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &n);
	r->ngroups = (int)n;
	if (r->ngroups > ld->def->max_groups)
		ld->def->max_groups = r->ngroups;
	/* JIT is an optimization: without it (no JIT support here) the interpreter runs. */
	r->jit = pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0;
	return 0;
}

static struct hl_regex *S_push(struct loader *ld, const char *pat, size_t len, int open, int at_front)
{
	struct hl_def *def = ld->def;
	if (def->nrx == ld->cap_rx) {
		ld->cap_rx = ld->cap_rx ? ld->cap_rx * 2 : 16;
		def->rx = akb_xrealloc(def->rx, akb_xmul(ld->cap_rx, sizeof(*def->rx)));
	}
	struct hl_regex r;
	if (S_compile(ld, &r, pat, len, open) < 0)
		return NULL;
	if (at_front) {
		memmove(def->rx + 1, def->rx, def->nrx * sizeof(*def->rx));
		def->rx[0] = r;
	} else {
		def->rx[def->nrx] = r;
	}
	def->nrx++;
	return at_front ? &def->rx[0] : &def->rx[def->nrx - 1];
}

/* highlight's generateNewKWClass: class indexes follow the order Ids first appear. */
static int S_kw_class(struct hl_def *def, int id)
{
	if (id < 1)
		id = 1;
	if (id > 26)
		id = 26;
	for (size_t i = 0; i < def->nclasses; i++)
		if (def->class_ids[i] == id)
			return (int)i + 1;
	def->class_ids = akb_xrealloc(def->class_ids, akb_xmul(def->nclasses + 1, sizeof(int)));
	def->class_ids[def->nclasses++] = id;
	return (int)def->nclasses;
}

/* Adds the pattern on top of the Lua stack (a string or a number), or `fallback` where there is none. */
static int S_push_top_or(struct loader *ld, const char *fallback, int state)
{
	size_t len = 0;
	const char *s = NULL;
	if (lua_type(ld->L, -1) == LUA_TSTRING || lua_type(ld->L, -1) == LUA_TNUMBER)
		s = lua_tolstring(ld->L, -1, &len);
	if (!s) {
		s = fallback;
		len = strlen(s);
	}
	return S_push(ld, s, len, state, 0) ? 0 : -1;
}

/* Runs `entry` on each table of the global list `name`; a definition without the list has none. */
static int S_load_list(struct loader *ld, const char *name, int (*entry)(struct loader *ld, int t))
{
	lua_State *L = ld->L;
	if (lua_getglobal(L, name) != LUA_TTABLE) {
		lua_pop(L, 1);
		return 0;
	}
	for (lua_Integer i = 1; lua_geti(L, -1, i) == LUA_TTABLE; i++) {
		int t = lua_gettop(L);
		if (entry(ld, t) < 0)
			return -1;
		lua_settop(L, t - 1);
	}
	lua_pop(L, 2);
	return 0;
}

/* The entry's Delimiter = { open, close }; NULL for one that is missing. The strings stay on the stack. */
static void S_delimiter_pair(lua_State *L, int t, const char **open, size_t *olen, const char **close, size_t *clen)
{
	*open = *close = NULL;
	*olen = *clen = 0;
	if (lua_getfield(L, t, "Delimiter") != LUA_TTABLE)
		return;
	int d = lua_gettop(L);
	lua_geti(L, d, 1);
	*open = lua_tolstring(L, -1, olen);
	lua_geti(L, d, 2);
	*close = lua_tolstring(L, -1, clen);
}

/* An opening pattern and the closing one that must pair with it (match_open); returns the closing one. */
static struct hl_regex *S_push_pair(struct loader *ld, const char *open, size_t olen, int open_state,
				    const char *close, size_t clen, int close_state)
{
	if (!S_push(ld, open, olen, open_state, 0))
		return NULL;
	int open_id = (int)ld->def->nrx;
	struct hl_regex *r = S_push(ld, close, clen, close_state, 0);
	if (r)
		r->match_open = open_id;
	return r;
}

/* One of Keywords: a word list or a pattern, in keyword class Id. */
static int S_load_keyword(struct loader *ld, int t)
{
	lua_State *L = ld->L;
	lua_getfield(L, t, "Id");
	int cls = S_kw_class(ld->def, (int)lua_tonumber(L, -1));
	lua_pop(L, 1);
	size_t len;
	if (lua_getfield(L, t, "List") == LUA_TTABLE) {
		for (lua_Integer j = 1; lua_geti(L, -1, j) != LUA_TNIL; j++) {
			const char *w = lua_tolstring(L, -1, &len);
			if (w)
				hl_words_add(&ld->def->keywords, w, len, cls);
			lua_pop(L, 1);
		}
		return 0;
	}
	const char *re = S_field_string(L, t, "Regex", &len);
	if (!re)
		return 0;
	struct hl_regex *r = S_push(ld, re, len, HLS_KEYWORD, 0);
	if (!r)
		return -1;
	r->kw_class = cls;
	lua_getfield(L, t, "Group");
	if (!lua_isnil(L, -1))
		r->group = (int)lua_tonumber(L, -1);
	return 0;
}

/* One of Comments: a block comment's delimiter pair, or a line comment's opening. */
static int S_load_comment(struct loader *ld, int t)
{
	lua_State *L = ld->L;
	size_t olen, clen;
	const char *open, *close;
	S_delimiter_pair(L, t, &open, &olen, &close, &clen);
	if (!S_field_flag(L, t, "Block"))
		return open && !S_push(ld, open, olen, HLS_SL_COMMENT, 0) ? -1 : 0;
	lua_getfield(L, t, "Nested");
	if (!lua_isnil(L, -1))
		ld->def->nested_comments = lua_toboolean(L, -1);
	if (!open || !close)
		return 0;
	struct hl_regex *r = S_push_pair(ld, open, olen, HLS_ML_COMMENT, close, clen, HLS_ML_COMMENT_END);
	if (!r)
		return -1;
	/* highlight compares the trimmed pattern texts. */
	S_trim(&open, &olen);
	S_trim(&close, &clen);
	r->distinct = olen != clen || memcmp(open, close, olen) != 0;
	ld->def->rx[r->match_open - 1].distinct = r->distinct;
	return 0;
}

/* One of Strings.DelimiterPairs: Open, Close and whether escapes apply (Raw). */
static int S_load_string_pair(struct loader *ld, int e)
{
	lua_State *L = ld->L;
	size_t olen, clen;
	const char *open = S_field_string(L, e, "Open", &olen);
	const char *close = S_field_string(L, e, "Close", &clen);
	if (!open || !close)
		return 0;
	struct hl_regex *r = S_push_pair(ld, open, olen, HLS_STRING, close, clen, HLS_STRING_END);
	if (!r)
		return -1;
	lua_getfield(L, e, "Raw");
	if (!lua_isnil(L, -1))
		ld->def->rx[r->match_open - 1].raw = lua_toboolean(L, -1);
	return 0;
}

static int S_load_strings(struct loader *ld)
{
	lua_State *L = ld->L;
	if (lua_getglobal(L, "Strings") != LUA_TTABLE) {
		lua_pop(L, 1);
		return 0;
	}
	int t = lua_gettop(L);
	size_t len;
	const char *s = S_field_string(L, t, "RawPrefix", &len);
	if (s && len)
		ld->def->raw_prefix = (unsigned char)s[0];
	if ((s = S_field_string(L, t, "Delimiter", &len))) {
		struct hl_regex *r = S_push(ld, s, len, HLS_STRING, 0);
		if (!r)
			return -1;
		r->distinct = 1;
	}
	if ((s = S_field_string(L, t, "Interpolation", &len)) && !S_push(ld, s, len, HLS_STRING_INTERPOLATION, 0))
		return -1;
	lua_settop(L, t);
	if (lua_getfield(L, t, "DelimiterPairs") == LUA_TTABLE) {
		int p = lua_gettop(L);
		for (lua_Integer i = 1; lua_geti(L, p, i) == LUA_TTABLE; i++) {
			int e = lua_gettop(L);
			if (S_load_string_pair(ld, e) < 0)
				return -1;
			lua_settop(L, e - 1);
		}
	}
	lua_settop(L, t);
	ld->def->equal_length = S_field_flag(L, t, "AssertEqualLength");
	lua_getfield(L, t, "Escape");
	if (S_push_top_or(ld, S_default_escape, HLS_ESC_CHAR) < 0)
		return -1;
	lua_settop(L, t - 1);
	return 0;
}

/* One of NestedSections: a language embedded between two delimiters. */
static int S_load_section(struct loader *ld, int t)
{
	lua_State *L = ld->L;
	struct hl_def *def = ld->def;
	size_t llen, olen, clen;
	const char *lang = S_field_string(L, t, "Lang", &llen);
	const char *open, *close;
	S_delimiter_pair(L, t, &open, &olen, &close, &clen);
	if (!lang || !open || !close)
		return 0;
	if (def->nnested == ld->cap_nested) {
		ld->cap_nested = ld->cap_nested ? ld->cap_nested * 2 : 4;
		def->nested = akb_xrealloc(def->nested, akb_xmul(ld->cap_nested, sizeof(*def->nested)));
	}
	struct hl_nested *n = &def->nested[def->nnested];
	memset(n, 0, sizeof(*n));
	n->lang = akb_xstrndup(lang, llen);
	if (S_compile(ld, &n->end, close, clen, HLS_EMBEDDED_CODE_END) < 0) {
		free(n->lang);
		return -1;
	}
	n->sealed = S_field_flag(L, t, "Sealed");
	def->nnested++;
	/* highlight inserts each opening delimiter at the front of the list. */
	struct hl_regex *r = S_push(ld, open, olen, HLS_EMBEDDED_CODE_BEGIN, 1);
	if (!r)
		return -1;
	r->nested = (int)def->nnested - 1;
	return 0;
}

static int S_load_nested(struct loader *ld)
{
	struct hl_def *def = ld->def;
	if (S_load_list(ld, "NestedSections", S_load_section) < 0)
		return -1;
	/* Delimiter ids are positions, and the front insertions moved them. */
	for (size_t i = 0; i < def->nrx; i++)
		if (def->rx[i].match_open)
			def->rx[i].match_open += (int)def->nnested;
	return 0;
}

/*
 * Sets the globals highlight defines before running a definition
 * (SyntaxReader::initLuaState), so hooks and `dofile(HL_LANG_DIR..)` work.
 */
static void S_init_globals(lua_State *L, const char *langdir)
{
	static const struct {
		const char *name;
		int value;
	} consts[] = {
		{ "HL_STANDARD", HLS_STANDARD }, { "HL_STRING", HLS_STRING }, { "HL_NUMBER", HLS_NUMBER },
		{ "HL_LINE_COMMENT", HLS_SL_COMMENT }, { "HL_BLOCK_COMMENT", HLS_ML_COMMENT },
		{ "HL_ESC_SEQ", HLS_ESC_CHAR }, { "HL_PREPROC", HLS_DIRECTIVE },
		{ "HL_PREPROC_STRING", HLS_DIRECTIVE_STRING }, { "HL_OPERATOR", HLS_SYMBOL },
		{ "HL_LINENUMBER", HLS_LINENUMBER }, { "HL_INTERPOLATION", HLS_STRING_INTERPOLATION },
		{ "HL_KEYWORD", HLS_KEYWORD }, { "HL_STRING_END", HLS_STRING_END },
		{ "HL_LINE_COMMENT_END", HLS_SL_COMMENT_END }, { "HL_BLOCK_COMMENT_END", HLS_ML_COMMENT_END },
		{ "HL_ESC_SEQ_END", HLS_ESC_CHAR_END }, { "HL_PREPROC_END", HLS_DIRECTIVE_END },
		{ "HL_OPERATOR_END", HLS_SYMBOL_END }, { "HL_KEYWORD_END", HLS_KEYWORD_END },
		{ "HL_EMBEDDED_CODE_BEGIN", HLS_EMBEDDED_CODE_BEGIN },
		{ "HL_EMBEDDED_CODE_END", HLS_EMBEDDED_CODE_END },
		{ "HL_IDENTIFIER_BEGIN", HLS_IDENTIFIER_BEGIN }, { "HL_IDENTIFIER_END", HLS_IDENTIFIER_END },
		{ "HL_INTERPOLATION_END", HLS_STRING_INTERPOLATION_END }, { "HL_UNKNOWN", HLS_UNKNOWN },
		{ "HL_REJECT", HLS_REJECT },
		/* Output formats (enums.h OutputType); we always pretend to write HTML. */
		{ "HL_FORMAT_HTML", 0 }, { "HL_FORMAT_XHTML", 1 }, { "HL_FORMAT_TEX", 2 },
		{ "HL_FORMAT_LATEX", 3 }, { "HL_FORMAT_RTF", 4 }, { "HL_FORMAT_ANSI", 5 },
		{ "HL_FORMAT_XTERM256", 6 }, { "HL_FORMAT_SVG", 8 }, { "HL_FORMAT_BBCODE", 9 },
		{ "HL_FORMAT_PANGO", 10 }, { "HL_FORMAT_ODT", 11 }, { "HL_FORMAT_TRUECOLOR", 12 },
		{ "HL_OUTPUT", 0 },
	};
	for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
		lua_pushinteger(L, consts[i].value);
		lua_setglobal(L, consts[i].name);
	}
	lua_pushstring(L, langdir);
	lua_setglobal(L, "HL_LANG_DIR");
	lua_pushliteral(L, "");
	lua_setglobal(L, "HL_INPUT_FILE");
	lua_pushliteral(L, "");
	lua_setglobal(L, "HL_PLUGIN_PARAM");
	lua_pushstring(L, S_default_identifier);
	lua_setglobal(L, "Identifiers");
	lua_pushstring(L, S_default_number);
	lua_setglobal(L, "Digits");
	lua_pushcfunction(L, S_lua_add_keyword);
	lua_setglobal(L, "AddKeyword");
}

/* __newindex of the global table: note the write, store it in the backing table (upvalue 1). */
static int S_lua_newindex(lua_State *L)
{
	S_lua_info(L)->dirty = 1;
	lua_settop(L, 3);
	lua_rawset(L, lua_upvalueindex(1));
	return 0;
}

/* Copies every pair of table `from` into table `to` (absolute indexes). */
static void S_copy_table(lua_State *L, int from, int to)
{
	lua_pushnil(L);
	while (lua_next(L, from)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_rawset(L, to);
	}
}

/*
 * Whether every Lua function among the globals keeps no state of its own:
 * no upvalue but _ENV, so all a hook can change is a global (which marks
 * the state dirty) or, through AddKeyword, the call's keywords.
 */
static int S_pure_functions(lua_State *L, int globals)
{
	int pure = 1;
	lua_pushnil(L);
	while (lua_next(L, globals)) {
		if (lua_type(L, -1) == LUA_TFUNCTION && !lua_iscfunction(L, -1)) {
			const char *name;
			for (int i = 1; pure && (name = lua_getupvalue(L, -1, i)); i++) {
				pure = !strcmp(name, "_ENV");
				lua_pop(L, 1);
			}
		}
		lua_pop(L, 1);
	}
	return pure;
}

/*
 * Prepares a loaded state for running hooks. The globals move to a backing
 * table and the global table stays empty, with __index and __newindex
 * pointing there: every global assignment, by any function, passes through
 * S_lua_newindex and marks the state dirty. A copy of the backing table is
 * kept so S_hook_reset can undo what a call assigned.
 */
static void S_seal_globals(lua_State *L)
{
	int top = lua_gettop(L);
	lua_newtable(L);
	int backing = top + 1;
	lua_pushglobaltable(L);
	int g = top + 2;
	S_copy_table(L, g, backing);
	lua_pushnil(L);
	while (lua_next(L, backing)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_pushnil(L);
		lua_rawset(L, g);
	}
	lua_createtable(L, 0, 2);
	lua_pushvalue(L, backing);
	lua_setfield(L, -2, "__index");
	lua_pushvalue(L, backing);
	lua_pushcclosure(L, S_lua_newindex, 1);
	lua_setfield(L, -2, "__newindex");
	lua_setmetatable(L, g);
	lua_newtable(L);
	S_copy_table(L, backing, lua_gettop(L));
	lua_setfield(L, LUA_REGISTRYINDEX, "akb_globals");
	lua_pushvalue(L, backing);
	lua_setfield(L, LUA_REGISTRYINDEX, "akb_backing");
	S_lua_info(L)->memo_ok = S_pure_functions(L, backing);
	lua_settop(L, top);
	S_lua_info(L)->dirty = 0;
}

/*
 * Runs a definition file in a fresh state. On success the state is left
 * with the file's globals; on failure it is closed and NULL returned.
 */
static lua_State *S_run_def(struct akb_highlighter *hl, struct hl_def *def, struct hl_words *kw_target,
			    struct akb_buf *error)
{
	lua_State *L = hl_lua_new();
	if (!L) {
		akb_buf_puts(error, "unable to start Lua");
		return NULL;
	}
	struct akb_buf dir = AKB_BUF_INIT;
	akb_buf_printf(&dir, "%s/langDefs/", hl->datadir);
	S_init_globals(L, dir.ptr);
	akb_buf_release(&dir);
	S_lua_info(L)->kw_target = kw_target;
	if (hl_lua_dofile(L, def->path, error) < 0) {
		hl_lua_close(L);
		return NULL;
	}
	S_lua_info(L)->kw_target = NULL;
	return L;
}

static int S_load_def(struct loader *ld)
{
	struct hl_def *def = ld->def;
	lua_State *L = ld->L;
	size_t len;
	const char *s;

	def->ignore_case = S_global_flag(L, "IgnoreCase");
	def->disabled = S_global_flag(L, "DisableHighlighting");
	def->nested_comments = 1;
	if (S_load_list(ld, "Keywords", S_load_keyword) < 0 || S_load_list(ld, "Comments", S_load_comment) < 0)
		return -1;
	/* Identifiers and numbers come after the comments (fortran's ^cC.*$ must win). */
	lua_getglobal(L, "Identifiers");
	if (S_push_top_or(ld, S_default_identifier, HLS_IDENTIFIER_BEGIN) < 0)
		return -1;
	lua_getglobal(L, "Digits");
	if (S_push_top_or(ld, S_default_number, HLS_NUMBER) < 0)
		return -1;
	lua_pop(L, 2);
	if (S_load_strings(ld) < 0)
		return -1;
	if (lua_getglobal(L, "PreProcessor") == LUA_TTABLE) {
		int t = lua_gettop(L);
		if ((s = S_field_string(L, t, "Prefix", &len)) && !S_push(ld, s, len, HLS_DIRECTIVE, 0))
			return -1;
		if ((s = S_field_string(L, t, "Continuation", &len)) && len)
			def->continuation = (unsigned char)s[0];
	}
	lua_settop(L, 0);
	lua_getglobal(L, "Operators");
	if ((s = lua_tolstring(L, -1, &len)) && !S_push(ld, s, len, HLS_SYMBOL, 0))
		return -1;
	lua_settop(L, 0);
	if (S_load_nested(ld) < 0)
		return -1;
	lua_settop(L, 0);
	def->has_hook = lua_getglobal(L, "OnStateChange") == LUA_TFUNCTION;
	lua_settop(L, 0);
	return 0;
}

void hl_def_free(struct hl_def *def)
{
	if (!def)
		return;
	for (size_t i = 0; i < def->nrx; i++)
		pcre2_code_free(def->rx[i].re);
	free(def->rx);
	for (size_t i = 0; i < def->nnested; i++) {
		free(def->nested[i].lang);
		pcre2_code_free(def->nested[i].end.re);
	}
	free(def->nested);
	hl_words_release(&def->keywords);
	free(def->class_ids);
	if (def->pool) {
		for (size_t i = 0; i < def->pool->len; i++)
			hl_lua_close(def->pool->free[i]);
		free(def->pool->free);
		free(def->pool);
	}
	free(def->name);
	free(def->path);
	free(def);
}

static void S_pool_put(struct hl_def *def, lua_State *L)
{
	struct hl_lua_pool *p = def->pool;
	if (p->len == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->free = akb_xrealloc(p->free, akb_xmul(p->cap, sizeof(*p->free)));
	}
	p->free[p->len++] = L;
}

static struct hl_def *S_def_get_locked(struct akb_highlighter *hl, long idx, struct akb_buf *error);

/* Loads definition number `idx`; the caller holds hl->lock. */
static struct hl_def *S_def_load(struct akb_highlighter *hl, long idx, struct akb_buf *error)
{
	struct hl_def *def = akb_xcalloc(1, sizeof(*def));
	def->name = akb_xstrdup(hl->names[idx]);
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/langDefs/%s.lang", hl->datadir, def->name);
	def->path = akb_buf_detach(&path, NULL);

	struct loader ld = { .hl = hl, .def = def, .error = error };
	/* AddKeyword while the file runs adds to the definition itself (before its lists, as in highlight). */
	ld.L = S_run_def(hl, def, &def->keywords, error);
	if (!ld.L || S_load_def(&ld) < 0) {
		hl_lua_close(ld.L);
		hl_def_free(def);
		return NULL;
	}
	if (def->has_hook) {
		def->pool = akb_xcalloc(1, sizeof(*def->pool));
		S_seal_globals(ld.L);
		S_pool_put(def, ld.L);
	} else {
		hl_lua_close(ld.L);
	}
	/* Publish before resolving nested languages, so a cycle finds this one. */
	hl->defs[idx] = def;
	for (size_t i = 0; i < def->nnested; i++) {
		long j = S_name_index(hl, def->nested[i].lang);
		struct akb_buf ignored = AKB_BUF_INIT;
		/* A missing or broken nested language only loses its sections. */
		def->nested[i].def = j >= 0 ? S_def_get_locked(hl, j, &ignored) : NULL;
		akb_buf_release(&ignored);
	}
	/*
	 * highlight keeps one end delimiter (and Sealed flag) per embedded
	 * language, set by the last section that names it.
	 */
	for (size_t i = 0; i < def->nnested; i++) {
		def->nested[i].end_from = (int)i;
		for (size_t k = i + 1; k < def->nnested; k++)
			if (!strcmp(def->nested[i].lang, def->nested[k].lang))
				def->nested[i].end_from = (int)k;
	}
	return def;
}

static struct hl_def *S_def_get_locked(struct akb_highlighter *hl, long idx, struct akb_buf *error)
{
	if (hl->defs[idx])
		return hl->defs[idx];
	if (hl->errors[idx]) {
		akb_buf_puts(error, hl->errors[idx]);
		return NULL;
	}
	struct akb_buf msg = AKB_BUF_INIT;
	struct hl_def *def = S_def_load(hl, idx, &msg);
	if (!def) {
		hl->errors[idx] = akb_buf_detach(&msg, NULL);
		akb_buf_puts(error, hl->errors[idx]);
	}
	akb_buf_release(&msg);
	return def;
}

struct hl_def *hl_def_get(struct akb_highlighter *hl, const char *name, struct akb_buf *error)
{
	long idx = S_name_index(hl, name);
	if (idx < 0) {
		akb_buf_printf(error, "no highlight definition '%s'", name);
		return NULL;
	}
	pthread_mutex_lock(&hl->lock);
	struct hl_def *def = S_def_get_locked(hl, idx, error);
	pthread_mutex_unlock(&hl->lock);
	return def;
}

int hl_regex_full_match(const struct akb_highlighter *hl, const struct hl_regex *r, pcre2_match_data *md,
			const char *s, size_t n)
{
	/* Anchored at both ends: PCRE2 runs the interpreter here, under the same limits. */
	int rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, md, hl->mctx);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* ---- hooks -------------------------------------------------------------- */

/*
 * Gives a checked-out state back the globals loading left, if a call
 * assigned any: hooks such as sh.lang's keep here-document state in
 * globals, and highlight starts every input with a fresh state. The reset
 * is shallow, which covers what hooks assign (strings, numbers, nil); none
 * mutates a table in place.
 */
static void S_hook_reset(lua_State *L)
{
	struct hl_lua *info = S_lua_info(L);
	if (!info->dirty)
		return;
	lua_getfield(L, LUA_REGISTRYINDEX, "akb_globals");
	int snap = lua_gettop(L);
	lua_getfield(L, LUA_REGISTRYINDEX, "akb_backing");
	int g = snap + 1;
	/* Pass 1: globals added or changed since loading. */
	lua_pushnil(L);
	while (lua_next(L, g)) {
		lua_pushvalue(L, -2);
		lua_rawget(L, snap);
		if (!lua_rawequal(L, -1, -2)) {
			lua_pushvalue(L, -3);
			lua_insert(L, -2);
			lua_rawset(L, g); /* assigning an existing field keeps lua_next valid */
			lua_pop(L, 1);
		} else {
			lua_pop(L, 2);
		}
	}
	/* Pass 2: globals removed since loading. */
	S_copy_table(L, snap, g);
	lua_settop(L, snap - 1);
	info->dirty = 0;
}

static struct hl_hook_slot *S_hook_slot(struct hl_hooks *h, struct hl_def *def, struct akb_buf *error)
{
	for (size_t i = 0; i < h->len; i++)
		if (h->slots[i].def == def)
			return &h->slots[i];
	lua_State *L = NULL;
	pthread_mutex_lock(&h->hl->lock);
	if (def->pool->len)
		L = def->pool->free[--def->pool->len];
	pthread_mutex_unlock(&h->hl->lock);
	if (!L) {
		/* Every state is busy in another thread: load the file once more. */
		L = S_run_def(h->hl, def, NULL, error);
		if (!L)
			return NULL;
		S_seal_globals(L);
	} else {
		S_hook_reset(L);
	}
	if (h->len == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 2;
		h->slots = akb_xrealloc(h->slots, akb_xmul(h->cap, sizeof(*h->slots)));
	}
	struct hl_hook_slot *slot = &h->slots[h->len++];
	lua_getglobal(L, "OnStateChange");
	*slot = (struct hl_hook_slot){ .def = def, .L = L, .fn_ref = luaL_ref(L, LUA_REGISTRYINDEX) };
	return slot;
}

/* The memo key of a call: its three numbers, then the token. */
static const struct akb_buf *S_memo_key(struct hl_lua *info, const char *tok, size_t len, int old_state,
					int new_state, int kw_class)
{
	int nums[3] = { old_state, new_state, kw_class };
	akb_buf_clear(&info->memo_key);
	akb_buf_put(&info->memo_key, nums, sizeof(nums));
	akb_buf_put(&info->memo_key, tok, len);
	return &info->memo_key;
}

static void S_memo_put(struct hl_lua *info, const char *tok, size_t len, int old_state, int new_state,
		       int kw_class, int rc, int result)
{
	if (len > HL_MEMO_TOKEN || info->memo.len >= HL_MEMO_MAX)
		return;
	const struct akb_buf *key = S_memo_key(info, tok, len, old_state, new_state, kw_class);
	akb_strmap_setn(&info->memo, key->ptr, key->len, (size_t)result * 2 + (size_t)rc);
}

/*
 * Hooks run once per token, so results are remembered per Lua state: while
 * the state is clean (no global assigned since the reset, so the globals
 * are what loading left) a hook without private state is a function of its
 * four arguments. A call that assigns a global or calls AddKeyword is not
 * remembered, and a dirty state neither looks up nor remembers.
 */
int hl_hook_call(struct hl_hooks *h, struct hl_def *def, int old_state, int new_state, const char *tok,
		 size_t len, int kw_class, int *result, struct akb_buf *error)
{
	struct hl_hook_slot *slot = S_hook_slot(h, def, error);
	if (!slot)
		return -1;
	lua_State *L = slot->L;
	struct hl_lua *info = S_lua_info(L);
	int memo = info->memo_ok && !info->dirty;
	if (memo && len <= HL_MEMO_TOKEN) {
		const struct akb_buf *key = S_memo_key(info, tok, len, old_state, new_state, kw_class);
		size_t v;
		if (akb_strmap_getn(&info->memo, key->ptr, key->len, &v)) {
			*result = (int)(v / 2);
			return (int)(v % 2);
		}
	}
	info->kw_target = &slot->added;
	info->kw_static = &def->keywords;
	info->side_effect = 0;
	int base = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, slot->fn_ref);
	lua_pushinteger(L, old_state);
	lua_pushinteger(L, new_state);
	lua_pushlstring(L, tok, len);
	lua_pushinteger(L, kw_class);
	if (akb_lua_call(info->sb, 4, LUA_MULTRET, HL_LUA_STEPS, S_lua_allowance(info)) != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		size_t head;
		if (!msg)
			msg = "error";
		akb_lua_traceback(msg, &head);
		akb_buf_printf(error, "%s: OnStateChange: %.*s", def->path, (int)head, msg);
		lua_settop(L, base);
		info->kw_target = NULL;
		return -1;
	}
	int rc = 0;
	*result = 0;
	if (lua_gettop(L) > base && lua_type(L, base + 1) == LUA_TNUMBER) {
		lua_Number n = lua_tonumber(L, base + 1);
		*result = n >= 0 && n <= 1000 ? (int)n : HLS_UNKNOWN;
		rc = 1;
	}
	lua_settop(L, base);
	info->kw_target = NULL;
	if (memo && !info->dirty && !info->side_effect)
		S_memo_put(info, tok, len, old_state, new_state, kw_class, rc, *result);
	return rc;
}

int hl_hook_keyword(const struct hl_hooks *h, const struct hl_def *def, const char *tok, size_t len, int fold)
{
	for (size_t i = 0; i < h->len; i++)
		if (h->slots[i].def == def)
			return hl_words_get(&h->slots[i].added, tok, len, fold);
	return 0;
}

void hl_hooks_release(struct hl_hooks *h)
{
	for (size_t i = 0; i < h->len; i++) {
		struct hl_hook_slot *s = &h->slots[i];
		luaL_unref(s->L, LUA_REGISTRYINDEX, s->fn_ref);
		hl_words_release(&s->added);
		/* Private state (upvalues) cannot be reset: such a state serves one block only. */
		if (!S_lua_info(s->L)->memo_ok) {
			hl_lua_close(s->L);
			continue;
		}
		pthread_mutex_lock(&h->hl->lock);
		S_pool_put(s->def, s->L);
		pthread_mutex_unlock(&h->hl->lock);
	}
	free(h->slots);
	h->slots = NULL;
	h->len = h->cap = 0;
}

/* ---- themes ---- */

/* Reads the style table on top of the stack (pops it). */
static void S_read_style(lua_State *L, struct hl_style *st)
{
	memset(st, 0, sizeof(*st));
	if (lua_istable(L, -1)) {
		st->present = 1;
		lua_getfield(L, -1, "Colour");
		akb_css_parse_hex(lua_tostring(L, -1), st->rgb);
		lua_getfield(L, -2, "Bold");
		st->bold = lua_toboolean(L, -1);
		lua_getfield(L, -3, "Italic");
		st->italic = lua_toboolean(L, -1);
		lua_getfield(L, -4, "Underline");
		st->underline = lua_toboolean(L, -1);
		lua_pop(L, 4);
	}
	lua_pop(L, 1);
}

int hl_theme_read(const char *path, const char *const *elements, size_t nelements, struct hl_style *styles,
		  struct hl_style *keywords, size_t *nkeywords, struct akb_buf *error)
{
	*nkeywords = 0;
	lua_State *L = hl_lua_new();
	if (!L) {
		akb_buf_puts(error, "unable to start Lua");
		return -1;
	}
	/* What highlight's ThemeReader defines before running a theme. */
	static const char *const formats[] = {
		"HL_FORMAT_HTML", "HL_FORMAT_XHTML", "HL_FORMAT_TEX", "HL_FORMAT_LATEX", "HL_FORMAT_RTF",
		"HL_FORMAT_ANSI", "HL_FORMAT_XTERM256", "HL_FORMAT_HTML32", "HL_FORMAT_SVG",
		"HL_FORMAT_BBCODE", "HL_FORMAT_PANGO", "HL_FORMAT_ODT", "HL_FORMAT_TRUECOLOR",
	};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		lua_pushinteger(L, (lua_Integer)i);
		lua_setglobal(L, formats[i]);
	}
	lua_pushinteger(L, 0);
	lua_setglobal(L, "HL_OUTPUT");
	lua_newtable(L);
	lua_setglobal(L, "Injections");
	if (hl_lua_dofile(L, path, error) < 0) {
		hl_lua_close(L);
		return -1;
	}
	for (size_t i = 0; i < nelements; i++) {
		lua_getglobal(L, elements[i]);
		S_read_style(L, &styles[i]);
	}
	if (lua_getglobal(L, "Keywords") == LUA_TTABLE) {
		for (lua_Integer i = 1; i <= AKB_HL_KEYWORD_GROUPS && lua_geti(L, -1, i) == LUA_TTABLE; i++)
			S_read_style(L, &keywords[(*nkeywords)++]);
	}
	hl_lua_close(L);
	return 0;
}
