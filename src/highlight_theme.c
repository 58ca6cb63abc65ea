/*
 * highlight_theme: turns a highlight colour theme (themes/NAME.theme, a Lua
 * file of Default, Canvas, Number, ..., Keywords = { ... } tables, each with
 * Colour, Bold, Italic and Underline) into CSS for our token classes, as
 * highlight's HtmlGenerator::getStyleDefinition does for its own.
 */
#include "prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/utf8.h"
#include "highlight_int.h"

struct style {
	int present;
	unsigned rgb[3];
	int bold, italic, underline;
};

/* "#rrggbb" (highlight's form), also "#rgb"; anything else stays black, as in highlight. */
static void S_parse_colour(const char *s, unsigned rgb[3])
{
	rgb[0] = rgb[1] = rgb[2] = 0;
	if (!s || *s != '#')
		return;
	s++;
	size_t n = 0;
	while (akb_hex_digit((unsigned char)s[n]) >= 0)
		n++;
	if (n >= 6) {
		for (int i = 0; i < 3; i++)
			rgb[i] = (unsigned)(akb_hex_digit((unsigned char)s[2 * i]) * 16 + akb_hex_digit((unsigned char)s[2 * i + 1]));
	} else if (n == 3) {
		for (int i = 0; i < 3; i++)
			rgb[i] = (unsigned)(akb_hex_digit((unsigned char)s[i]) * 17);
	}
}

/* Reads the style table on top of the stack (pops it). */
static void S_read_style(lua_State *L, struct style *st)
{
	memset(st, 0, sizeof(*st));
	if (lua_istable(L, -1)) {
		st->present = 1;
		lua_getfield(L, -1, "Colour");
		S_parse_colour(lua_tostring(L, -1), st->rgb);
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

static void S_global_style(lua_State *L, const char *name, struct style *st, const struct style *fallback)
{
	lua_getglobal(L, name);
	S_read_style(L, st);
	/* Older themes lack newer elements (Interpolation); the default colour beats highlight's black. */
	if (!st->present && fallback)
		*st = *fallback;
}

static void S_rule(struct akb_buf *out, const char *cls, const struct style *st)
{
	akb_buf_printf(out, ".hl .%s { color: #%02x%02x%02x;", cls, st->rgb[0], st->rgb[1], st->rgb[2]);
	if (st->bold)
		akb_buf_puts(out, " font-weight: bold;");
	if (st->italic)
		akb_buf_puts(out, " font-style: italic;");
	if (st->underline)
		akb_buf_puts(out, " text-decoration: underline;");
	akb_buf_puts(out, " }\n");
}

/* Theme names are file names in DATADIR/themes: no separators, no hidden files. */
static int S_valid_name(const char *name)
{
	if (!name || !*name || *name == '.')
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

int hl_theme_css(struct akb_highlighter *hl, const char *name, struct akb_buf *out, struct akb_diag *diag)
{
	if (!S_valid_name(name))
		return akb_error(diag, NULL, 0, 0, "invalid highlight theme name '%s'", name ? name : "");
	struct akb_buf path = AKB_BUF_INIT, err = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/themes/%s.theme", hl->datadir, name);
	lua_State *L = hl_lua_new(HL_LUA_LOAD_STEPS);
	int rc = -1;
	if (!L) {
		akb_error(diag, path.ptr, 0, 0, "unable to start Lua");
		goto done;
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
	if (hl_lua_dofile(L, path.ptr, &err) < 0) {
		akb_error(diag, path.ptr, 0, 0, "unable to read highlight theme: %s", err.ptr);
		goto done;
	}

	struct style def, canvas, st;
	static const struct style black = { 1, { 0, 0, 0 }, 0, 0, 0 };
	static const struct style white = { 1, { 255, 255, 255 }, 0, 0, 0 };
	S_global_style(L, "Default", &def, &black);
	S_global_style(L, "Canvas", &canvas, &white);
	akb_buf_printf(out, ".hl { color: #%02x%02x%02x; background-color: #%02x%02x%02x; }\n", def.rgb[0],
		       def.rgb[1], def.rgb[2], canvas.rgb[0], canvas.rgb[1], canvas.rgb[2]);
	static const char *const elems[][2] = {
		{ "Number", "num" }, { "Escape", "esc" }, { "String", "str" }, { "StringPreProc", "pps" },
		{ "LineComment", "slc" }, { "BlockComment", "com" }, { "PreProcessor", "ppc" },
		{ "Operator", "opt" }, { "Interpolation", "ipl" }, { "LineNum", "lin" },
	};
	for (size_t i = 0; i < sizeof(elems) / sizeof(elems[0]); i++) {
		S_global_style(L, elems[i][0], &st, &def);
		S_rule(out, elems[i][1], &st);
	}
	if (lua_getglobal(L, "Keywords") == LUA_TTABLE) {
		for (lua_Integer i = 1; i <= AKB_HL_KEYWORD_GROUPS && lua_geti(L, -1, i) == LUA_TTABLE; i++) {
			S_read_style(L, &st);
			S_rule(out, akb_hl_class_name(AKB_HL_KEYWORD + (int)i - 1), &st);
		}
	}
	/* Themes have no colour for marked lines: tint the canvas an eighth of the way to the text colour. */
	unsigned mix[3];
	for (int i = 0; i < 3; i++)
		mix[i] = (canvas.rgb[i] * 7 + def.rgb[i]) / 8;
	akb_buf_printf(out, ".hl .hll { background-color: #%02x%02x%02x; }\n", mix[0], mix[1], mix[2]);
	rc = 0;
done:
	hl_lua_close(L);
	akb_buf_release(&path);
	akb_buf_release(&err);
	return rc;
}
