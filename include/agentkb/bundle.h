/*
 * bundle: `agentkb bundle`, the site as one file to carry offline. The site
 * is built with akb_build() into a temporary folder, then packed by a
 * post-process that only reads that folder, so it does not depend on how
 * the theme's templates are written:
 *  - FILE.html: one self-contained page (akb_bundle_html, bundle_html.c);
 *  - FILE.zip, FILE.tar.gz, FILE.tgz: the site folder itself (archive.c).
 * FILE is written atomically: a failed or interrupted bundle leaves no FILE,
 * or the previous one, and no temporary files.
 */
#ifndef AKB_BUNDLE_H
#define AKB_BUNDLE_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/build.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"

enum akb_bundle_kind {
	AKB_BUNDLE_NONE = -1,
	AKB_BUNDLE_HTML,
	AKB_BUNDLE_ZIP,
	AKB_BUNDLE_TAR_GZ,
};

/* The extensions `agentkb bundle` knows, for messages: ".html, .zip, .tar.gz or .tgz". */
extern const char akb_bundle_extensions[];

/* The kind of bundle a file name asks for, from its extension (any case); AKB_BUNDLE_NONE if unknown. */
enum akb_bundle_kind akb_bundle_kind_of(const char *path);

/*
 * Builds the site of `cfg` (cfg->output is ignored) and writes it as the
 * bundle `path`. Prints a summary line unless opts->quiet. Returns 0, or -1
 * (reported; `path` untouched).
 */
int akb_bundle(const struct akb_config *cfg, const struct akb_build_options *opts, const char *path,
	       struct akb_diag *diag);

struct akb_bundle_html_stats {
	size_t pages;      /* pages in the file */
	size_t fragments;  /* HTML fragments shared by several pages, stored once */
	size_t chunks;     /* compressed blocks of pages */
	size_t data_raw;   /* page data (index, fragments, chunks) as JSON, before compression */
	size_t data_gz;    /* the same, gzip-compressed (stored base64) */
	size_t lazy_raw;   /* search index and downloadable files, before compression */
	size_t lazy_gz;    /* the same, gzip-compressed (stored base64) */
};

/*
 * The single-file bundle of the built site in `dir`, whose files are
 * `paths` (relative, '/'-separated, sorted), appended to `out`. Every page's
 * <main> content is kept once and routed by fragment (#/agents/x/); the
 * rest of the page (header, footer) comes from index.html; styles, scripts
 * and the icon are inlined, the search index and linked files are carried
 * along. Returns 0, or -1 (reported).
 */
int akb_bundle_html(const char *dir, const char *const *paths, size_t npaths, struct akb_buf *out,
		    struct akb_bundle_html_stats *stats, struct akb_diag *diag);

#endif
