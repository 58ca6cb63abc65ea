/*
 * bundle_int: what the files of the single-file bundle share (the public
 * call, akb_bundle_html, is in include/agentkb/bundle.h). One packer holds
 * the state of one bundle; each file does one job on it, in the order
 * bundle_html.c runs them:
 *
 *  - bundle_pages.c: reads the built site (the pages and their <main>);
 *  - bundle_shell.c: the shell, index.html with its <main> emptied;
 *  - bundle_links.c: links rewritten to fragment routes (#/agents/x/);
 *  - bundle_fragments.c: elements several pages share, stored once;
 *  - bundle_data.c: the page data and lazy data as gzip+base64 blocks;
 *  - bundle_inline.c: site files inlined (styles, scripts, data: URLs).
 */
#ifndef AKB_BUNDLE_INT_H
#define AKB_BUNDLE_INT_H

#include <stddef.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/bundle.h"
#include "agentkb/diag.h"
#include "agentkb/html.h"
#include "agentkb/strmap.h"

/* An element of a page's content: s[start, end). */
struct bnd_span {
	size_t start, end;
};

struct bnd_page {
	const char *path;      /* site path: "agents/x/index.html" (points into paths[]) */
	char *route;           /* "agents/x/": the path without its final index.html */
	struct akb_buf file;   /* the whole file */
	size_t main_open;      /* end of the <main ...> start tag */
	size_t main_close;     /* start of the matching </main> */
	char *title;           /* <title>, entities decoded */
	char *body_class;      /* class of <body>, entities decoded */
	struct akb_buf content; /* <main>'s content, links rewritten */
	struct bnd_span *spans; /* elements of content, for fragments */
	size_t nspans;
};

/* The fragment table: distinct element texts, how often they occur, and their fragment id once stored. */
struct bnd_frag {
	size_t count; /* occurrences in all pages */
	size_t uses;  /* references in the data as planned */
	long id;      /* index in the stored fragments, once used; -1 before */
	int banned;   /* kept inline: it would have been referenced only once */
};

/* A site file that pages link to but that is not a page: carried along for downloads. */
struct bnd_attachment {
	char *path;   /* site path */
	size_t page;  /* the first page linking it */
	char *tpl;    /* id of a <template> on that page holding exactly its text, or NULL */
};

struct bnd_packer {
	const char *dir;
	const char *const *paths;
	size_t npaths;
	struct akb_strmap files; /* site path -> index in paths */
	struct akb_strmap by_path; /* page path -> index in pages */
	struct bnd_page *pages;
	size_t npages;
	struct bnd_attachment *att;
	size_t natt, catt;
	struct akb_strmap att_by_path;
	struct bnd_frag *frags; /* by index of the text in frag_index */
	size_t nfrags, cfrags;
	struct akb_strmap frag_index; /* text (borrowed from the pages' content) -> index in frags */
	size_t nfrag_ids;
	struct akb_buf *frag_json; /* per fragment id: its parts as JSON */
	size_t cfrag_json;
	struct akb_diag *diag;
	size_t current; /* page being rewritten (for attachments) */
};

/* What a link points at, as far as the bundle cares. */
enum bnd_link {
	BND_LINK_EXTERNAL, /* another host, another scheme, or a host-absolute path */
	BND_LINK_HERE,     /* this page ("#x", "", "?q=x") */
	BND_LINK_SITE,     /* a path inside the site */
};

static inline int bnd_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* bundle_pages.c */
/* Reads the site file `rel` into `out`. Returns 0, or -1 (reported). */
int bnd_read(struct bnd_packer *pk, const char *rel, struct akb_buf *out);
/* Reads every page of the site (an .html file with a <main>). Returns 0, or -1 (reported). */
int bnd_load_pages(struct bnd_packer *pk);
void bnd_page_release(struct bnd_page *pg);

/* bundle_links.c */
/*
 * Resolves a link (entities already decoded) found on a page in folder
 * `dir`. For BND_LINK_SITE, `path` gets the site path (percent-decoded, "."
 * and ".." resolved, query dropped); for BND_LINK_SITE and BND_LINK_HERE
 * `frag` gets the fragment as written (without '#').
 */
enum bnd_link bnd_resolve(const char *dir, const char *v, size_t n, struct akb_buf *path, struct akb_buf *frag);
/* Appends name="value" with the value HTML-escaped. */
void bnd_put_attr(struct akb_buf *out, const char *name, const char *value);
/*
 * Appends the START tag `t` of `s` with its links rewritten (see
 * bundle_links.c); `shell` keeps bare "#x" links as they are.
 */
void bnd_put_tag(struct bnd_packer *pk, const char *s, const struct akb_html_token *t, const char *dir,
		 const char *route, int shell, struct akb_buf *out);
/* Appends s[0..len) (part of a page in `dir`) with every tag's links rewritten. */
void bnd_rewrite(struct bnd_packer *pk, const char *s, size_t len, const char *dir, const char *route,
		 struct akb_buf *out);

/* bundle_shell.c */
/*
 * Writes the shell (the home page with its <main> emptied) to `out` and
 * its scripts, inlined, to `scripts`; they and the data belong at
 * out[*tail_at], the end of the body. Returns 0, or -1 (reported).
 */
int bnd_shell(struct bnd_packer *pk, const struct bnd_page *home, struct akb_buf *out, struct akb_buf *scripts,
	      size_t *tail_at);

/* bundle_fragments.c */
/* Finds the elements of every page and plans which ones are stored once as fragments. */
void bnd_find_fragments(struct bnd_packer *pk);
/* Appends a page's content as a JSON array of parts: strings and fragment numbers. */
void bnd_page_parts(struct bnd_packer *pk, const struct bnd_page *pg, struct akb_buf *json);

/* bundle_data.c */
/*
 * Appends the data blocks to `out`: the page index, the shared fragments,
 * the pages' chunks and the lazy data (search index, carried files).
 * Returns 0, or -1 (reported).
 */
int bnd_put_data(struct bnd_packer *pk, size_t home, size_t notfound, struct akb_buf *out,
		 struct akb_bundle_html_stats *stats);

/* bundle_inline.c */
/* A data: URL with the contents of a site file. Returns 0, or -1 if it cannot be read. */
int bnd_data_url(struct bnd_packer *pk, const char *path, struct akb_buf *out);
/* Appends a site file minified and escaped for an inline <style> (css) or <script>. Returns 0, or -1. */
int bnd_inline_code(struct bnd_packer *pk, const char *path, int css, struct akb_buf *out);
/* Appends the bundle's runtime (bundle_runtime.js) as an inline <script>. */
void bnd_put_runtime(struct akb_buf *out);

#endif
