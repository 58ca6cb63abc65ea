/*
 * highlight_theme: the CSS of a `highlight` colour theme (themes/NAME.theme)
 * for the spans akb_highlight emits, fitted to a site's palette, and the
 * WCAG contrast arithmetic that fitting uses.
 */
#ifndef AKB_HIGHLIGHT_THEME_H
#define AKB_HIGHLIGHT_THEME_H

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"

/*
 * Appends CSS for highlight theme `name` (DATADIR/themes/NAME.theme; a file
 * name, no path). Token spans are `<span class="kwa">` etc. inside a
 * `<code class="hl">`, so the rules are `.hl` (canvas: background, default
 * colour), `.hl .num`, `.hl .esc`, `.hl .str`, `.hl .pps`, `.hl .slc`,
 * `.hl .com`, `.hl .ppc`, `.hl .opt`, `.hl .ipl`, `.hl .lin` (line
 * numbers), one `.hl .kwa`, `.hl .kwb`, … per theme keyword style, and
 * `.hl .hll` (highlighted lines: themes have no such colour, so the canvas
 * tinted 1/8 towards the default colour). Colour, Bold, Italic and
 * Underline become color, font-weight, font-style and text-decoration;
 * an element the theme lacks takes the default colour. The caller wraps
 * the dark theme in a prefers-color-scheme query (and scopes it, see
 * akb_highlight_theme_css_opts). Returns 0, or -1 if the
 * theme cannot be read (reported to `diag`).
 */
int akb_highlight_theme_css(struct akb_highlighter *hl, const char *name, struct akb_buf *out, struct akb_diag *diag);

/* How a site fits a highlight theme to its pages (akb_highlight_theme_css_opts). */
struct akb_hl_theme_options {
	/* Written before every selector (":where(:root[data-theme=dark])"), so that one
	 * stylesheet can hold a theme per colour scheme; NULL or "": none. */
	const char *scope;
	/* "#rrggbb" or "#rgb": the code background of the site's pages, used instead of the
	 * theme's Canvas (so code blocks match the page palette); NULL or "": the theme's. */
	const char *canvas;
	/* Every text colour (default, tokens, keywords, line numbers) whose WCAG contrast with
	 * the canvas is below this is moved in lightness until it reaches it
	 * (akb_hl_fit_contrast); 0: the theme's colours as they are. */
	double min_contrast;
};

/*
 * akb_highlight_theme_css with options (NULL: the same output). An invalid
 * canvas is an error (reported to `diag`, -1).
 */
int akb_highlight_theme_css_opts(struct akb_highlighter *hl, const char *name, const struct akb_hl_theme_options *opts,
				 struct akb_buf *out, struct akb_diag *diag);

/*
 * Clears plain[cls] for each token class that theme `name`, fitted as
 * `opts` says, draws unlike its default text (another colour, bold, italic
 * or underlined). Set plain[1..] to 1 and ask every theme the site uses:
 * what stays 1 looks like plain text in all of them, so its spans carry
 * nothing a reader sees (github's and molokai's operators) and need not be
 * written. Returns 0, or -1 if the theme cannot be read (reported).
 */
int akb_highlight_theme_plain(struct akb_highlighter *hl, const char *name, const struct akb_hl_theme_options *opts,
			      unsigned char plain[AKB_HL_CLASSES], struct akb_diag *diag);

/* WCAG 2 contrast ratio of two sRGB colours (channels 0-255): from 1 to 21. */
double akb_hl_contrast(const unsigned a[3], const unsigned b[3]);

/*
 * Makes `rgb` reach contrast `min` with `canvas`, changing only its HSL
 * lightness and by as little as it can: away from the canvas's lightness if
 * that can reach `min`, else the other way; if neither can, it becomes black
 * or white, whichever contrasts more. Returns 1 if it changed `rgb`, 0 if the
 * colour already had the contrast.
 */
int akb_hl_fit_contrast(unsigned rgb[3], const unsigned canvas[3], double min);

#endif
