/*
 * highlight_theme: turns a highlight colour theme (themes/NAME.theme, a Lua
 * file of Default, Canvas, Number, ..., Keywords = { ... } tables, each with
 * Colour, Bold, Italic and Underline) into CSS for our token classes, as
 * highlight's HtmlGenerator::getStyleDefinition does for its own. The file
 * is read through Lua by highlight_lang.c (hl_theme_read); this file only
 * turns styles into rules and fits their contrast.
 */
#include "core/prefix.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/css.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/highlight_theme.h"
#include "agentkb/utf8.h"
#include "highlight_int.h"

/* ---- contrast (WCAG 2.x relative luminance and contrast ratio) ---------- */

static double S_linear(unsigned c)
{
	double v = (c > 255 ? 255 : c) / 255.0;
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double S_luminance(const unsigned rgb[3])
{
	return 0.2126 * S_linear(rgb[0]) + 0.7152 * S_linear(rgb[1]) + 0.0722 * S_linear(rgb[2]);
}

double akb_hl_contrast(const unsigned a[3], const unsigned b[3])
{
	double la = S_luminance(a), lb = S_luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void S_to_hsl(const unsigned rgb[3], double hsl[3])
{
	double r = rgb[0] / 255.0, g = rgb[1] / 255.0, b = rgb[2] / 255.0;
	double mx = fmax(r, fmax(g, b)), mn = fmin(r, fmin(g, b)), d = mx - mn;
	hsl[0] = hsl[1] = 0;
	hsl[2] = (mx + mn) / 2;
	if (d <= 0)
		return;
	hsl[1] = hsl[2] > 0.5 ? d / (2 - mx - mn) : d / (mx + mn);
	if (mx == r)
		hsl[0] = (g - b) / d + (g < b ? 6 : 0);
	else if (mx == g)
		hsl[0] = (b - r) / d + 2;
	else
		hsl[0] = (r - g) / d + 4;
	hsl[0] /= 6;
}

static double S_hue(double p, double q, double t)
{
	if (t < 0)
		t += 1;
	if (t > 1)
		t -= 1;
	if (t < 1.0 / 6)
		return p + (q - p) * 6 * t;
	if (t < 0.5)
		return q;
	if (t < 2.0 / 3)
		return p + (q - p) * (2.0 / 3 - t) * 6;
	return p;
}

static void S_from_hsl(double h, double s, double l, unsigned rgb[3])
{
	double c[3];
	if (s <= 0) {
		c[0] = c[1] = c[2] = l;
	} else {
		double q = l < 0.5 ? l * (1 + s) : l + s - l * s, p = 2 * l - q;
		c[0] = S_hue(p, q, h + 1.0 / 3);
		c[1] = S_hue(p, q, h);
		c[2] = S_hue(p, q, h - 1.0 / 3);
	}
	for (int i = 0; i < 3; i++) {
		double v = floor(c[i] * 255 + 0.5);
		rgb[i] = v < 0 ? 0 : v > 255 ? 255 : (unsigned)v;
	}
}

/*
 * Each RGB channel grows with HSL lightness (hue and saturation fixed), so
 * luminance does too and the smallest passing lightness step can be found by
 * bisection. Whichever way is tried first, the colour keeps its hue, so a
 * theme's comment stays its grey-green and a keyword its pink.
 */
int akb_hl_fit_contrast(unsigned rgb[3], const unsigned canvas[3], double min)
{
	if (akb_hl_contrast(rgb, canvas) >= min)
		return 0;
	static const unsigned black[3] = { 0, 0, 0 }, white[3] = { 255, 255, 255 };
	double hsl[3];
	S_to_hsl(rgb, hsl);
	/* Away from the canvas when that can reach `min` (a dim comment on a dark canvas gets lighter), else
	 * the other way (black text on a dark canvas turns light); failing both, the better extreme. */
	int up = S_luminance(rgb) >= S_luminance(canvas);
	if (akb_hl_contrast(up ? white : black, canvas) < min)
		up = !up;
	if (akb_hl_contrast(up ? white : black, canvas) < min) {
		up = akb_hl_contrast(white, canvas) >= akb_hl_contrast(black, canvas);
		memcpy(rgb, up ? white : black, sizeof(white));
		return 1;
	}
	double fail = hsl[2], pass = up ? 1.0 : 0.0;
	unsigned cand[3];
	for (int i = 0; i < 40; i++) {
		double mid = (fail + pass) / 2;
		S_from_hsl(hsl[0], hsl[1], mid, cand);
		if (akb_hl_contrast(cand, canvas) >= min)
			pass = mid;
		else
			fail = mid;
	}
	S_from_hsl(hsl[0], hsl[1], pass, cand);
	/* Rounding to bytes can land just short: step on until the bytes themselves pass. */
	while (akb_hl_contrast(cand, canvas) < min && pass > 0 && pass < 1) {
		pass += up ? 1.0 / 512 : -1.0 / 512;
		pass = pass < 0 ? 0 : pass > 1 ? 1 : pass;
		S_from_hsl(hsl[0], hsl[1], pass, cand);
	}
	memcpy(rgb, cand, sizeof(cand));
	return 1;
}

/* Older themes lack newer elements (Interpolation): the default colour beats highlight's black. */
static void S_or(struct hl_style *st, const struct hl_style *fallback)
{
	if (!st->present && fallback)
		*st = *fallback;
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

/* The theme elements we draw, in the order of the rules; the first two are the canvas's. */
static const char *const S_elems[][2] = {
	{ "Default", NULL }, { "Canvas", NULL },
	{ "Number", "num" }, { "Escape", "esc" }, { "String", "str" }, { "StringPreProc", "pps" },
	{ "LineComment", "slc" }, { "BlockComment", "com" }, { "PreProcessor", "ppc" },
	{ "Operator", "opt" }, { "Interpolation", "ipl" }, { "LineNum", "lin" },
};
enum { NELEMS = sizeof(S_elems) / sizeof(S_elems[0]) };

/* A theme as a site draws it: every style fitted to the canvas and the contrast asked for. */
struct fitted {
	struct hl_style def, canvas;
	struct hl_style styles[NELEMS]; /* [2..]: S_elems' classes */
	struct hl_style keywords[AKB_HL_KEYWORD_GROUPS];
	size_t nkeywords;
};

static int S_fit_theme(struct akb_highlighter *hl, const char *name, const struct akb_hl_theme_options *opts,
		       struct fitted *f, struct akb_diag *diag)
{
	if (!S_valid_name(name))
		return akb_error(diag, NULL, 0, 0, "invalid highlight theme name '%s'", name ? name : "");
	unsigned own[3];
	int own_canvas = 0;
	double min_contrast = opts && opts->min_contrast > 0 ? opts->min_contrast : 0;
	if (opts && opts->canvas && *opts->canvas) {
		if (!akb_css_parse_hex(opts->canvas, own))
			return akb_error(diag, NULL, 0, 0, "invalid code background '%s': expected #rrggbb or #rgb",
					 opts->canvas);
		own_canvas = 1;
	}
	struct akb_buf path = AKB_BUF_INIT, err = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/themes/%s.theme", hl->datadir, name);
	const char *names[NELEMS];
	for (size_t i = 0; i < NELEMS; i++)
		names[i] = S_elems[i][0];
	int rc = -1;
	if (hl_theme_read(path.ptr, names, NELEMS, f->styles, f->keywords, &f->nkeywords, &err) < 0) {
		akb_error(diag, path.ptr, 0, 0, "unable to read highlight theme: %s", err.ptr);
		goto done;
	}
	static const struct hl_style black = { 1, { 0, 0, 0 }, 0, 0, 0 };
	static const struct hl_style white = { 1, { 255, 255, 255 }, 0, 0, 0 };
	f->def = f->styles[0];
	f->canvas = f->styles[1];
	S_or(&f->def, &black);
	S_or(&f->canvas, &white);
	if (own_canvas)
		memcpy(f->canvas.rgb, own, sizeof(own));
	/* Elements the theme lacks take the default colour: fit it before they copy it. */
	if (min_contrast > 0)
		akb_hl_fit_contrast(f->def.rgb, f->canvas.rgb, min_contrast);
	for (size_t i = 2; i < NELEMS; i++) {
		S_or(&f->styles[i], &f->def);
		if (min_contrast > 0)
			akb_hl_fit_contrast(f->styles[i].rgb, f->canvas.rgb, min_contrast);
	}
	for (size_t i = 0; i < f->nkeywords; i++)
		if (min_contrast > 0)
			akb_hl_fit_contrast(f->keywords[i].rgb, f->canvas.rgb, min_contrast);
	rc = 0;
done:
	akb_buf_release(&path);
	akb_buf_release(&err);
	return rc;
}

static void S_rule(struct akb_buf *out, const char *scope, const char *space, const char *cls,
		   const struct hl_style *st)
{
	akb_buf_printf(out, "%s%s.hl .%s { color: #%02x%02x%02x;", scope, space, cls, st->rgb[0], st->rgb[1],
		       st->rgb[2]);
	if (st->bold)
		akb_buf_puts(out, " font-weight: bold;");
	if (st->italic)
		akb_buf_puts(out, " font-style: italic;");
	if (st->underline)
		akb_buf_puts(out, " text-decoration: underline;");
	akb_buf_puts(out, " }\n");
}

int akb_highlight_theme_css_opts(struct akb_highlighter *hl, const char *name, const struct akb_hl_theme_options *opts,
				 struct akb_buf *out, struct akb_diag *diag)
{
	struct fitted f;
	if (S_fit_theme(hl, name, opts, &f, diag) != 0)
		return -1;
	const char *scope = opts && opts->scope && *opts->scope ? opts->scope : "";
	const char *space = *scope ? " " : "";
	akb_buf_printf(out, "%s%s.hl { color: #%02x%02x%02x; background-color: #%02x%02x%02x; }\n", scope, space,
		       f.def.rgb[0], f.def.rgb[1], f.def.rgb[2], f.canvas.rgb[0], f.canvas.rgb[1], f.canvas.rgb[2]);
	for (size_t i = 2; i < NELEMS; i++)
		S_rule(out, scope, space, S_elems[i][1], &f.styles[i]);
	for (size_t i = 0; i < f.nkeywords; i++)
		S_rule(out, scope, space, akb_hl_class_name(AKB_HL_KEYWORD + (int)i), &f.keywords[i]);
	/* Themes have no colour for marked lines: tint the canvas an eighth of the way to the text colour. */
	unsigned mix[3];
	for (int i = 0; i < 3; i++)
		mix[i] = (f.canvas.rgb[i] * 7 + f.def.rgb[i]) / 8;
	akb_buf_printf(out, "%s%s.hl .hll { background-color: #%02x%02x%02x; }\n", scope, space, mix[0], mix[1], mix[2]);
	return 0;
}

/* Is the style the default text's: its colour, nothing bold, italic or underlined? */
static int S_plain_style(const struct hl_style *st, const struct hl_style *def)
{
	return !memcmp(st->rgb, def->rgb, sizeof(st->rgb)) && !st->bold && !st->italic && !st->underline &&
	       !def->bold && !def->italic && !def->underline;
}

int akb_highlight_theme_plain(struct akb_highlighter *hl, const char *name, const struct akb_hl_theme_options *opts,
			      unsigned char plain[AKB_HL_CLASSES], struct akb_diag *diag)
{
	struct fitted f;
	if (S_fit_theme(hl, name, opts, &f, diag) != 0)
		return -1;
	for (int cls = AKB_HL_PLAIN + 1; cls < AKB_HL_CLASSES; cls++) {
		const char *n = akb_hl_class_name(cls);
		const struct hl_style *st = NULL; /* a keyword group the theme lacks: no rule, the default's look */
		if (cls >= AKB_HL_KEYWORD) {
			if ((size_t)(cls - AKB_HL_KEYWORD) < f.nkeywords)
				st = &f.keywords[cls - AKB_HL_KEYWORD];
		} else {
			for (size_t i = 2; i < NELEMS && !st; i++)
				if (n && !strcmp(S_elems[i][1], n))
					st = &f.styles[i];
		}
		if (st && !S_plain_style(st, &f.def))
			plain[cls] = 0;
	}
	return 0;
}

int akb_highlight_theme_css(struct akb_highlighter *hl, const char *name, struct akb_buf *out, struct akb_diag *diag)
{
	return akb_highlight_theme_css_opts(hl, name, NULL, out, diag);
}
