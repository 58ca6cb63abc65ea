/*
 * bundle_shell: the frame of the single file. The home page, with its
 * <main> emptied, is the shell the runtime shows every page in, so the
 * header and footer come from the theme as they are. Nothing may be
 * fetched from disk, so its stylesheets become <style> elements and its
 * icon a data: URL; other <link>s are dropped. Its scripts are inlined and
 * moved to the end of the body, after the page data they read.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <string.h>

#include "bundle/bundle_int.h"

/* The state of writing the shell. */
struct shell {
	struct bnd_packer *pk;
	const struct bnd_page *home;
	const char *s; /* the home page's file */
	struct akb_buf *out, *scripts;
	struct akb_buf attr, path, frag; /* scratch */
	int rc;
};

/* Does a rel attribute's value contain the word `w`? */
static int S_rel_has(const char *rel, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = rel; (p = strstr(p, w)) != NULL; p += n) {
		int before = p == rel || p[-1] == ' ', after = p[n] == '\0' || p[n] == ' ';
		if (before && after)
			return 1;
	}
	return 0;
}

/* Lowercased attribute value (entities decoded) of a START tag, or "". */
static void S_attr_value(const char *s, const struct akb_html_token *t, const char *name, struct akb_buf *out)
{
	struct akb_html_attr a;
	akb_buf_clear(out);
	if (!akb_html_attr_find(s, t, name, &a))
		return;
	akb_html_unescape(out, s + a.value, a.value_end - a.value);
	for (size_t i = 0; i < out->len; i++)
		if (out->ptr[i] >= 'A' && out->ptr[i] <= 'Z')
			out->ptr[i] += 32;
		else if (out->ptr[i] == '\t' || out->ptr[i] == '\n')
			out->ptr[i] = ' ';
}

/* Resolves the value of attribute `a` (a link from the root page) into sh->path; the value stays in sh->attr. */
static enum bnd_link S_resolve_attr(struct shell *sh, const struct akb_html_attr *a)
{
	akb_buf_clear(&sh->attr);
	akb_html_unescape(&sh->attr, sh->s + a->value, a->value_end - a->value);
	return bnd_resolve("", sh->attr.ptr, sh->attr.len, &sh->path, &sh->frag);
}

/* Is sh->path, resolved as `k`, a file of the site? */
static int S_in_site(struct shell *sh, enum bnd_link k)
{
	size_t idx;
	return k == BND_LINK_SITE && akb_strmap_get(&sh->pk->files, sh->path.ptr, &idx);
}

/* A stylesheet of the site as <style>; a media query (a print stylesheet) stays with the styles it guards. */
static void S_style(struct shell *sh, const struct akb_html_token *t)
{
	struct akb_html_attr media;
	akb_buf_puts(sh->out, "<style");
	if (akb_html_attr_find(sh->s, t, "media", &media)) {
		akb_buf_putc(sh->out, ' ');
		akb_buf_put(sh->out, media.name, media.end - (size_t)(media.name - sh->s));
	}
	akb_buf_putc(sh->out, '>');
	sh->rc |= bnd_inline_code(sh->pk, sh->path.ptr, 1, sh->out);
	akb_buf_puts(sh->out, "</style>");
}

static void S_icon(struct shell *sh)
{
	struct akb_buf url = AKB_BUF_INIT;
	sh->rc |= bnd_data_url(sh->pk, sh->path.ptr, &url);
	akb_buf_puts(sh->out, "<link rel=\"icon\" ");
	bnd_put_attr(sh->out, "href", url.ptr);
	akb_buf_putc(sh->out, '>');
	akb_buf_release(&url);
}

/*
 * A <link>: a stylesheet or the icon of the site is inlined, an external
 * canonical link kept, anything else dropped (a stylesheet with a warning:
 * the bundle will look different).
 */
static void S_link(struct shell *sh, const struct akb_html_token *t)
{
	S_attr_value(sh->s, t, "rel", &sh->attr);
	int css = S_rel_has(sh->attr.ptr, "stylesheet"), icon = S_rel_has(sh->attr.ptr, "icon");
	int canonical = S_rel_has(sh->attr.ptr, "canonical");
	struct akb_html_attr href;
	enum bnd_link k = BND_LINK_EXTERNAL;
	if (akb_html_attr_find(sh->s, t, "href", &href))
		k = S_resolve_attr(sh, &href);
	int here = S_in_site(sh, k);
	if (css && here)
		S_style(sh, t);
	else if (icon && here)
		S_icon(sh);
	else if (canonical && k == BND_LINK_EXTERNAL)
		akb_buf_put(sh->out, sh->s + t->start, t->end - t->start);
	else if (css)
		akb_warn(sh->pk->diag, sh->home->path, 0, 0, "stylesheet '%s' is not in the site; left out of the bundle",
			 sh->attr.ptr);
}

/* The start tag of an inlined script: its other attributes stay (data-root becomes "#/"); src, defer and async go. */
static void S_script_tag(struct shell *sh, const struct akb_html_token *t)
{
	const char *s = sh->s;
	size_t pos = t->attrs;
	struct akb_html_attr a;
	akb_buf_puts(sh->scripts, "<script");
	while (akb_html_attr_next(s, t, &pos, &a)) {
		if (akb_html_name_is(a.name, a.name_len, "src") || akb_html_name_is(a.name, a.name_len, "defer") ||
		    akb_html_name_is(a.name, a.name_len, "async"))
			continue;
		if (akb_html_name_is(a.name, a.name_len, "data-root")) {
			akb_buf_puts(sh->scripts, " data-root=\"#/\"");
			continue;
		}
		akb_buf_putc(sh->scripts, ' ');
		akb_buf_put(sh->scripts, a.name, a.end - (size_t)(a.name - s));
	}
	akb_buf_putc(sh->scripts, '>');
}

/*
 * A <script src>: the script of the site, inlined into sh->scripts, or
 * dropped with a warning. Returns 0 for a script without src (it stays
 * where it is), else 1, with *skip set when its text and end tag follow.
 */
static int S_script(struct shell *sh, const struct akb_html_token *t, int *skip)
{
	struct akb_html_attr src;
	if (!akb_html_attr_find(sh->s, t, "src", &src))
		return 0;
	enum bnd_link k = S_resolve_attr(sh, &src);
	*skip = !t->self_closing;
	if (!S_in_site(sh, k)) {
		akb_warn(sh->pk->diag, sh->home->path, 0, 0, "script '%s' is not in the site; left out of the bundle",
			 sh->attr.ptr);
		return 1;
	}
	S_script_tag(sh, t);
	sh->rc |= bnd_inline_code(sh->pk, sh->path.ptr, 0, sh->scripts);
	akb_buf_puts(sh->scripts, "</script>\n");
	return 1;
}

static int S_is_start(const struct akb_html_token *t, const char *name)
{
	return t->kind == AKB_HTML_START && akb_html_name_is(t->name, t->name_len, name);
}

/* Any other token of the home page: start tags with their links rewritten, the rest as it is. */
static void S_token(struct shell *sh, const struct akb_html_token *t)
{
	if (t->kind == AKB_HTML_START)
		bnd_put_tag(sh->pk, sh->s, t, "", "", 1, sh->out);
	else
		akb_buf_put(sh->out, sh->s + t->start, t->end - t->start);
	if (S_is_start(t, "main"))
		/* Shown only without JavaScript: the pages are in the data below. */
		akb_buf_puts(sh->out,
			     "\n<noscript><p>This offline bundle needs JavaScript to show its pages.</p></noscript>\n");
}

int bnd_shell(struct bnd_packer *pk, const struct bnd_page *home, struct akb_buf *out, struct akb_buf *scripts,
	      size_t *tail_at)
{
	struct shell sh = { pk, home, home->file.ptr, out, scripts, AKB_BUF_INIT, AKB_BUF_INIT, AKB_BUF_INIT, 0 };
	struct akb_html_scanner sc;
	struct akb_html_token t;
	int skip_script = 0;
	*tail_at = SIZE_MAX;
	akb_html_scan_init(&sc, sh.s, home->file.len);
	while (akb_html_scan_next(&sc, &t)) {
		if (t.start >= home->main_open && t.start < home->main_close)
			continue;
		if (skip_script) {
			/* The text and end tag of a <script src> moved to the end. */
			if (t.kind == AKB_HTML_END && akb_html_name_is(t.name, t.name_len, "script"))
				skip_script = 0;
			continue;
		}
		if (S_is_start(&t, "link"))
			S_link(&sh, &t);
		else if (!(S_is_start(&t, "script") && S_script(&sh, &t, &skip_script))) {
			if (t.kind == AKB_HTML_END && akb_html_name_is(t.name, t.name_len, "body") && *tail_at == SIZE_MAX)
				*tail_at = out->len;
			S_token(&sh, &t);
		}
	}
	if (*tail_at == SIZE_MAX)
		*tail_at = out->len; /* no </body>: the data and scripts go last */
	akb_buf_release(&sh.attr);
	akb_buf_release(&sh.path);
	akb_buf_release(&sh.frag);
	return sh.rc ? -1 : 0;
}
