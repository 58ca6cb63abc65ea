/*
 * bundle_pages: reads the built site for the single-file bundle. A page is
 * an .html file with a <main>: the bundle keeps only that element's
 * content per page (the rest comes from the shell), so this finds where
 * <main> starts and ends, and the <title> and <body class> the runtime
 * sets when it shows the page. Only the built folder is read, so any theme
 * works.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle_int.h"

int bnd_read(struct bnd_packer *pk, const char *rel, struct akb_buf *out)
{
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/%s", pk->dir, rel);
	int rc = akb_buf_read_file(out, p.ptr);
	if (rc)
		akb_error(pk->diag, p.ptr, 0, 0, "unable to read: %s", strerror(errno));
	akb_buf_release(&p);
	return rc;
}

/* A new string with the attribute `name` of START tag `t`, entities decoded ("" without it). */
static char *S_attr_dup(const char *s, const struct akb_html_token *t, const char *name, struct akb_buf *tmp)
{
	struct akb_html_attr a;
	akb_buf_clear(tmp);
	if (akb_html_attr_find(s, t, name, &a))
		akb_html_unescape(tmp, s + a.value, a.value_end - a.value);
	return akb_xstrdup(tmp->ptr);
}

/*
 * Tracks <main> nesting: the first outermost <main> and its matching end
 * tag give the content. *found goes 0 -> 1 (open seen) -> 2 (closed).
 */
static void S_track_main(struct bnd_page *pg, const struct akb_html_token *t, int *depth, int *found)
{
	if (*found == 2 || !akb_html_name_is(t->name, t->name_len, "main"))
		return;
	if (t->kind == AKB_HTML_START && !t->self_closing) {
		if ((*depth)++ == 0 && !*found) {
			pg->main_open = t->end;
			*found = 1;
		}
	} else if (t->kind == AKB_HTML_END && *depth > 0 && --*depth == 0) {
		pg->main_close = t->start;
		*found = 2;
	}
}

/* Finds <main>, <title> and <body class> of a page. Returns 0, or -1 when it has no <main>. */
static int S_parse_page(struct bnd_page *pg)
{
	struct akb_html_scanner sc;
	struct akb_html_token t;
	akb_html_scan_init(&sc, pg->file.ptr, pg->file.len);
	int depth = 0, in_title = 0, found = 0;
	struct akb_buf tmp = AKB_BUF_INIT;
	while (akb_html_scan_next(&sc, &t)) {
		const char *s = pg->file.ptr;
		if (t.kind == AKB_HTML_TEXT && in_title && !pg->title) {
			akb_buf_clear(&tmp);
			akb_html_unescape(&tmp, s + t.start, t.end - t.start);
			pg->title = akb_xstrdup(tmp.ptr);
		}
		in_title = t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "title");
		if (t.kind == AKB_HTML_START && akb_html_name_is(t.name, t.name_len, "body") && !pg->body_class)
			pg->body_class = S_attr_dup(s, &t, "class", &tmp);
		S_track_main(pg, &t, &depth, &found);
	}
	akb_buf_release(&tmp);
	if (!pg->title)
		pg->title = akb_xstrdup("");
	if (!pg->body_class)
		pg->body_class = akb_xstrdup("");
	return found == 2 ? 0 : -1;
}

static char *S_route_of(const char *path)
{
	size_t n = strlen(path);
	if (!strcmp(path, "index.html"))
		return akb_xstrdup("");
	if (bnd_ends_with(path, "/index.html"))
		return akb_xstrndup(path, n - strlen("index.html"));
	return akb_xstrdup(path);
}

/* "agents/<slug>/files/...": a file that came with a skill (attach.h), not a page of the site. */
static int S_is_attached_file(const char *path)
{
	if (strncmp(path, "agents/", 7))
		return 0;
	const char *slash = strchr(path + 7, '/');
	return slash && !strncmp(slash, "/files/", 7);
}

/* What reading the page made, then what rewriting it and finding its elements made. */
void bnd_page_release(struct bnd_page *pg)
{
	akb_buf_release(&pg->file);
	free(pg->title);
	free(pg->body_class);
	free(pg->route);
	akb_buf_release(&pg->content);
	free(pg->spans);
	memset(pg, 0, sizeof(*pg));
}

/*
 * Reads site file `path` as the next page. Returns 1 when it is one, 0 when
 * it has no <main> (warned: the bundle could not show it), -1 if unreadable.
 */
static int S_load_page(struct bnd_packer *pk, const char *path)
{
	struct bnd_page *pg = &pk->pages[pk->npages];
	/* The slot is zeroes (calloc, or a page left out): buffers start as akb_buf's empty string, not NULL. */
	akb_buf_init(&pg->file);
	akb_buf_init(&pg->content);
	pg->path = path;
	if (bnd_read(pk, path, &pg->file) != 0)
		return -1;
	if (S_parse_page(pg) != 0) {
		akb_warn(pk->diag, path, 0, 0, "page has no <main> element; left out of the single-file bundle");
		bnd_page_release(pg);
		return 0;
	}
	pg->route = S_route_of(path);
	akb_strmap_set(&pk->by_path, path, pk->npages++);
	return 1;
}

int bnd_load_pages(struct bnd_packer *pk)
{
	/* Every .html file with a <main> is a page, but a skill's own files (agents/x/files/...), carried as they are. */
	pk->pages = akb_xcalloc(pk->npaths + 1, sizeof(*pk->pages));
	for (size_t i = 0; i < pk->npaths; i++) {
		akb_strmap_set(&pk->files, pk->paths[i], i);
		if (!bnd_ends_with(pk->paths[i], ".html") || S_is_attached_file(pk->paths[i]))
			continue;
		if (S_load_page(pk, pk->paths[i]) < 0)
			return -1;
	}
	return 0;
}
