/*
 * bundle_html: the single-file bundle (akb_bundle_html, see bundle.h). Reads
 * a built site folder and writes one HTML page that holds all of it. This
 * file only runs the steps, in an order that matters: the shell first, so
 * that the files it links to are carried too; every page's links before
 * the fragments, which are found in the rewritten content; the data last.
 *
 *  - the pages, read (bundle_pages.c);
 *  - the shell: index.html with its <main> emptied, styles, icon and
 *    scripts inlined (bundle_shell.c, bundle_inline.c);
 *  - each page's <main> content with its links rewritten to fragment
 *    routes (bundle_links.c), and the elements pages share stored once
 *    (bundle_fragments.c);
 *  - the page data and the lazy data (search index, carried files) as
 *    gzip+base64 blocks (bundle_data.c);
 *  - the runtime (bundle_runtime.js): routing, page rendering, downloads,
 *    and window.__akbInline for search.js's file loader.
 *
 * Everything here is generic HTML post-processing: the only things it
 * expects of a theme are a <main> element per page and relative links.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "bundle/bundle_int.h"

static void S_release(struct bnd_packer *pk)
{
	for (size_t i = 0; i < pk->npages; i++)
		bnd_page_release(&pk->pages[i]);
	free(pk->pages);
	for (size_t i = 0; i < pk->natt; i++) {
		free(pk->att[i].path);
		free(pk->att[i].tpl);
	}
	free(pk->att);
	free(pk->frags);
	akb_strmap_release(&pk->frag_index);
	for (size_t j = 0; j < pk->cfrag_json; j++)
		akb_buf_release(&pk->frag_json[j]);
	free(pk->frag_json);
	akb_strmap_release(&pk->files);
	akb_strmap_release(&pk->by_path);
	akb_strmap_release(&pk->att_by_path);
}

/* Every page's <main> content with its links rewritten, in pg->content. */
static void S_rewrite_pages(struct bnd_packer *pk)
{
	struct akb_buf dir = AKB_BUF_INIT; /* the page's folder, "agents/x/" ("" at the root): links are relative to it */
	for (size_t i = 0; i < pk->npages; i++) {
		struct bnd_page *pg = &pk->pages[i];
		const char *slash = strrchr(pg->path, '/');
		akb_buf_clear(&dir);
		akb_buf_put(&dir, pg->path, slash ? (size_t)(slash - pg->path) + 1 : 0);
		pk->current = i; /* the page that carries the attachments it links first */
		bnd_rewrite(pk, pg->file.ptr + pg->main_open, pg->main_close - pg->main_open, dir.ptr, pg->route,
			    &pg->content);
	}
	akb_buf_release(&dir);
}

/*
 * The file: the shell up to the end of its body, the data blocks, the
 * runtime, the theme's scripts (which read the data), then the rest of the
 * shell. Returns 0, or -1 (reported).
 */
static int S_pack(struct bnd_packer *pk, size_t home, size_t notfound, struct akb_buf *out,
		  struct akb_bundle_html_stats *stats)
{
	struct akb_buf shell = AKB_BUF_INIT, scripts = AKB_BUF_INIT, tail = AKB_BUF_INIT;
	size_t tail_at;
	int rc = -1;
	pk->current = home;
	if (bnd_shell(pk, &pk->pages[home], &shell, &scripts, &tail_at) != 0)
		goto done;
	S_rewrite_pages(pk);
	bnd_find_fragments(pk);
	if (bnd_put_data(pk, home, notfound, &tail, stats) != 0)
		goto done;
	bnd_put_runtime(&tail);
	akb_buf_put(out, shell.ptr, tail_at);
	akb_buf_put(out, tail.ptr, tail.len);
	akb_buf_put(out, scripts.ptr, scripts.len);
	akb_buf_put(out, shell.ptr + tail_at, shell.len - tail_at);
	stats->pages = pk->npages;
	stats->fragments = pk->nfrag_ids;
	rc = 0;
done:
	akb_buf_release(&shell);
	akb_buf_release(&scripts);
	akb_buf_release(&tail);
	return rc;
}

int akb_bundle_html(const char *dir, const char *const *paths, size_t npaths, struct akb_buf *out,
		    struct akb_bundle_html_stats *stats, struct akb_diag *diag)
{
	struct bnd_packer pk;
	memset(&pk, 0, sizeof pk);
	memset(stats, 0, sizeof(*stats));
	pk.dir = dir;
	pk.paths = paths;
	pk.npaths = npaths;
	pk.diag = diag;
	akb_strmap_init(&pk.files);
	akb_strmap_init(&pk.by_path);
	akb_strmap_init(&pk.att_by_path);
	akb_strmap_init_borrowed(&pk.frag_index);
	size_t home, notfound;
	int rc = -1;
	if (bnd_load_pages(&pk) != 0)
		goto done;
	if (!akb_strmap_get(&pk.by_path, "index.html", &home)) {
		akb_error(diag, dir, 0, 0, "the site has no index.html with a <main> element; cannot make a single-file bundle");
		goto done;
	}
	if (!akb_strmap_get(&pk.by_path, "404.html", &notfound))
		notfound = home;
	rc = S_pack(&pk, home, notfound, out, stats);
done:
	S_release(&pk);
	return rc;
}
