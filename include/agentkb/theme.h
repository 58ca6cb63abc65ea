/*
 * theme: finds a theme folder (templates/ with *.mustache, static/ with
 * assets, and an optional theme.yaml) and serves its templates to the
 * template engine.
 *
 * theme.yaml tells agentkb what it must know of the theme's pages to
 * generate CSS that fits them; every key is optional:
 *
 *   code_background: "#f6f8fa"       # code blocks in the light palette
 *   code_background_dark: "#161b22"  # code blocks in the dark palette
 *
 * The highlight themes are drawn on these backgrounds (instead of their
 * own), with every token colour kept at 4.5:1 contrast against them.
 *
 * The default theme is also compiled into agentkb (scripts/embed-theme.sh):
 * when no folder of that name is found, the built-in copy is used, so a
 * binary copied anywhere still builds sites.
 */
#ifndef AKB_THEME_H
#define AKB_THEME_H

#include <stdint.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"

/* A file of a theme compiled into the program. */
struct akb_theme_file {
	const char *path; /* relative to the theme folder ("templates/base.mustache"); NULL ends a list */
	const char *data;
	size_t len;
};

/* The default theme, as built into agentkb. */
extern const struct akb_theme_file akb_default_theme[];

struct akb_theme {
	char *dir;           /* the theme folder (owned), or NULL for a built-in theme */
	const struct akb_theme_file *files; /* the built-in theme's files when dir is NULL */
	char *code_bg;       /* theme.yaml code_background, "#rrggbb" or "#rgb", or NULL (owned) */
	char *code_bg_dark;  /* theme.yaml code_background_dark, or NULL (owned) */
};

/*
 * Looks for the theme named in `cfg` (a folder path, or a name under the
 * site's themes/, beside the program, or the installed data folder).
 * `argv0` helps find the themes shipped beside the binary. Returns 0, or -1
 * (reported, with every place looked at).
 */
int akb_theme_find(struct akb_theme *theme, const struct akb_config *cfg, const char *argv0, struct akb_diag *diag);
void akb_theme_release(struct akb_theme *theme);

/* A digest of every template of the theme (their paths and bytes): pages made with other templates differ. */
uint64_t akb_theme_templates_digest(const struct akb_theme *theme);

/* An akb_tpl_loader_fn: `ctx` is the struct akb_theme. */
int akb_theme_load_template(void *ctx, const char *name, struct akb_buf *out, struct akb_buf *display_path);

/*
 * Calls `fn` for every file under the theme's static/ folder with its path
 * relative to static/ and either its path on disk or, for a built-in theme,
 * its contents (`path` NULL). Returns 0, or the first non-zero value `fn`
 * returned.
 */
typedef int (*akb_theme_static_fn)(void *ctx, const char *rel, const char *path, const char *data, size_t len);
int akb_theme_each_static(const struct akb_theme *theme, akb_theme_static_fn fn, void *ctx);

#endif
