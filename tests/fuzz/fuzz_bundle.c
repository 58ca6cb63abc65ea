/*
 * fuzz_bundle: the single-file bundle's packer (src/bundle) over a small
 * built site whose files are the input: up to five FZ_SEP-separated parts
 * become index.html, agents/x/index.html, 404.html, style.css and app.js,
 * beside an icon, so the shell, links, fragments, inlining and data blocks
 * all run on them.
 */
#include "core/prefix.h"

#include "agentkb/buf.h"
#include "agentkb/bundle.h"
#include "agentkb/diag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Which part each file is, and the site's paths in sorted order as akb_bundle_html wants them. */
	static const char *const files[] = { "index.html", "agents/x/index.html", "404.html", "style.css", "app.js" };
	static const char *const paths[] = { "404.html", "agents/x/index.html", "app.js", "icon.svg", "index.html",
					     "style.css" };
	struct fz_part parts[5];
	size_t n = fz_split(data, size, parts, 5);
	fz_clear();
	for (size_t i = 0; i < 5; i++)
		fz_write(files[i], i < n ? parts[i].p : "", i < n ? parts[i].len : 0);
	fz_write("icon.svg", "<svg/>", 6);

	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf out = AKB_BUF_INIT;
	struct akb_bundle_html_stats stats;
	akb_bundle_html(fz_dir(), paths, sizeof paths / sizeof *paths, &out, &stats, &diag);
	akb_buf_release(&out);
	akb_diag_release(&diag);
	return 0;
}
