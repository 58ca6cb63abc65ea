/*
 * fuzz_check: `agentkb check --links` (src/check/check.c) over a small
 * site whose pages are the input: up to three FZ_SEP-separated parts become
 * index.html, a/index.html and a/b.html, beside a stylesheet and an image
 * that links may reach, so links, anchors and folders resolve both ways.
 */
#include "core/prefix.h"

#include "agentkb/check.h"
#include "agentkb/diag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pages[] = { "index.html", "a/index.html", "a/b.html" };
	struct fz_part parts[3];
	size_t n = fz_split(data, size, parts, 3);
	fz_clear();
	for (size_t i = 0; i < n; i++)
		fz_write(pages[i], parts[i].p, parts[i].len);
	fz_write("style.css", "body{}", 6);
	fz_write("a/img/x.png", "", 0);

	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_check_result res;
	akb_check_links(fz_dir(), &res, &diag);
	akb_diag_release(&diag);
	return 0;
}
