/*
 * sitemap: sitemap.xml and robots.txt, for a site published at a base URL
 * (sitemaps.org protocol 0.9). The renderer adds each page's absolute URL
 * as it writes the page; the files are written once at the end.
 *
 * The protocol allows 50,000 URLs and 50 MB per file; past either,
 * sitemap.xml becomes a sitemap index of sitemap-1.xml, sitemap-2.xml, ...
 * so a site of any size stays valid. Without a base URL there is no
 * sitemap at all: its URLs must be absolute.
 */
#ifndef AKB_SITEMAP_H
#define AKB_SITEMAP_H

#include "agentkb/diag.h"
#include "agentkb/output.h"

struct akb_sitemap;

/* A sitemap for the site at `base_url` (normalised, ending in '/'; kept, not copied: it must outlive the sitemap). */
struct akb_sitemap *akb_sitemap_new(const char *base_url);
void akb_sitemap_free(struct akb_sitemap *sm);

/* Adds a page by its absolute URL (copied; escaped for XML when written). */
void akb_sitemap_add(struct akb_sitemap *sm, const char *url);

/*
 * Writes sitemap.xml (plus its parts, if any) and robots.txt with a
 * Sitemap: line. `sm` may be NULL (no base URL): nothing is written.
 * Returns 0, or -1 (reported).
 */
int akb_sitemap_write(const struct akb_sitemap *sm, struct akb_output *out, struct akb_diag *diag);

#endif
