/*
 * template: a Mustache engine (spec v1.3 core plus inheritance and dynamic
 * names), used to render the theme.
 *
 * A template set holds named templates (theme files, spec partials). A
 * template is compiled once, on first use, and cached in the set; rendering
 * only reads the compiled tree, so once every template a build needs is
 * compiled (akb_tpl_set_compile_all) renders can run from several threads.
 *
 * Variables are HTML-escaped by default ({{name}}); {{{name}}} and {{&name}}
 * are raw. Names resolve against a stack of contexts (akb_value maps), with
 * dotted names and the implicit iterator `.`. Missing partials and parents
 * render as the empty string, as the spec requires.
 */
#ifndef AKB_TEMPLATE_H
#define AKB_TEMPLATE_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/value.h"

struct akb_tpl_set;

/*
 * Fetches the source of template `name` into `out`. Returns 0 when found,
 * -1 when there is no such template (not an error: Mustache renders a
 * missing partial as empty). `display_path` receives the path shown in
 * diagnostics (for example "themes/default/templates/page.mustache").
 */
typedef int (*akb_tpl_loader_fn)(void *ctx, const char *name, struct akb_buf *out,
				 struct akb_buf *display_path);

/* `loader` may be NULL: then only templates added with akb_tpl_set_add exist. */
struct akb_tpl_set *akb_tpl_set_new(akb_tpl_loader_fn loader, void *loader_ctx);
void akb_tpl_set_free(struct akb_tpl_set *set);

/* Adds (or replaces) template `name` from source text; the set copies it. */
void akb_tpl_set_add(struct akb_tpl_set *set, const char *name, const char *src, size_t len);

/*
 * Compiles `name` and, recursively, every partial and parent with a static
 * name it refers to. Syntax errors ("unclosed section 'x'", "unclosed tag")
 * are reported to `diag` as path:line:col. Returns 0, or -1 on errors.
 */
int akb_tpl_set_compile(struct akb_tpl_set *set, const char *name, struct akb_diag *diag);

/*
 * Compiles every template the set knows so far (added, loaded, or named by
 * a compiled template), as akb_tpl_set_compile does for one. Missing
 * templates are not errors here. Returns 0, or -1 on errors. Renders may
 * then run from several threads (each with its own diag and out), as long
 * as nothing calls akb_tpl_set_add meanwhile.
 */
int akb_tpl_set_compile_all(struct akb_tpl_set *set, struct akb_diag *diag);

/*
 * Renders template `name` with `data` as the root context, appending to
 * `out`. Returns 0, or -1 if the template is missing or fails to compile
 * (reported to `diag`).
 */
int akb_tpl_render(struct akb_tpl_set *set, const char *name, const struct akb_value *data,
		   struct akb_buf *out, struct akb_diag *diag);

/*
 * Renders template source `src` directly (used by the spec runner and by
 * hooks' page templates); partials come from the set.
 */
int akb_tpl_render_string(struct akb_tpl_set *set, const char *src, size_t len,
			  const struct akb_value *data, struct akb_buf *out, struct akb_diag *diag);

#endif
