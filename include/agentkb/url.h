/*
 * url: the few URL facts the hosting outputs and the link checker share:
 * checking and normalising the site's base URL, percent-encoding a site
 * path into an absolute page URL, and percent-decoding.
 *
 * Page URLs given to the outside world (sitemap, canonical, og:url,
 * llms.txt) are pure ASCII: every byte of a path other than an unreserved
 * character (RFC 3986: A-Z a-z 0-9 - . _ ~) or '/' is written as %XX, so
 * CJK slugs survive any consumer.
 */
#ifndef AKB_URL_H
#define AKB_URL_H

#include <stddef.h>

struct akb_buf;

/*
 * Checks `url` as the address a site is published at and appends its
 * normal form to `out`: lowercase scheme, a path that ends in '/'
 * ("https://example.com/docs" -> "https://example.com/docs/"). "" is valid
 * (the site stays relative) and appends nothing. Returns NULL, or why the
 * URL is rejected (a static string, for "invalid ...: <why>"); `out` is
 * then left as it was.
 */
const char *akb_url_base_normalize(const char *url, struct akb_buf *out);

/* Appends s[0..n) with every byte other than unreserved characters and '/' percent-encoded. */
void akb_url_put_path(struct akb_buf *out, const char *s, size_t n);

/*
 * Appends the absolute URL of the site file `rel` ("agents/x/index.html")
 * under `base` (normalised, ending in '/'). A final "index.html" is dropped,
 * so pages get their folder URL ("https://h/docs/agents/x/"), the form
 * servers answer and people share.
 */
void akb_url_page(struct akb_buf *out, const char *base, const char *rel);

/*
 * Appends s[0..n) percent-decoded. "%" not followed by two hex digits is
 * kept as written, as browsers do.
 */
void akb_url_decode(struct akb_buf *out, const char *s, size_t n);

#endif
