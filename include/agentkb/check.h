/*
 * check: `agentkb check --links OUT`, a link checker for a built site.
 *
 * Every .html file under OUT is read once. Each href/src of a, area, link,
 * script, img, source, iframe, audio, video, track and embed that stays in
 * the site (no scheme such as http: or mailto:, no "//host") must lead to
 * an existing file, a folder link to a folder with an index.html, and a
 * #fragment to an id (or <a name>) of the target page. Entities (&amp;) and
 * percent escapes (%E7%BC...) are decoded first, "?query" is ignored.
 *
 * Problems are reported in compiler style, "OUT/page.html:LINE: error:
 * broken link 'X' (no such file)" or "... broken anchor 'X#frag'", sorted
 * by page and line.
 */
#ifndef AKB_CHECK_H
#define AKB_CHECK_H

#include <stddef.h>

#include "agentkb/diag.h"

struct akb_check_result {
	size_t pages;  /* .html files read */
	size_t links;  /* internal links and assets checked */
	size_t broken; /* problems reported */
};

/*
 * Checks every internal link of the site in `dir`; each problem is an error
 * in `diag`, with `dir` + the page's path inside it as its path. Returns 0
 * when the check ran (see result->broken), or -1 (reported) when `dir`
 * cannot be read as a folder.
 */
int akb_check_links(const char *dir, struct akb_check_result *result, struct akb_diag *diag);

#endif
