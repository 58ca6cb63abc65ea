/*
 * bundle_inline: site files put inside the single file, since opened from
 * disk it may fetch nothing. Stylesheets and scripts are minified and
 * escaped for an inline <style> or <script>; icons and images become data:
 * URLs. The bundle's own runtime (bundle_runtime.js, compiled in) is
 * inlined the same way.
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/mime.h"
#include "agentkb/minify.h"
#include "bundle/bundle_int.h"

extern const char akb_bundle_runtime_js[]; /* generated from src/bundle/bundle_runtime.js */

/*
 * Appends s[0..len) with every case-insensitive "</tag" turned into
 * "<\/tag", so inlined code cannot close its <script> or <style> early.
 * In JS and CSS "\/" means "/" wherever such text can legally occur.
 */
static void S_put_raw_text(struct akb_buf *out, const char *s, size_t len, const char *tag)
{
	size_t t = strlen(tag), start = 0;
	for (size_t i = 0; i + 2 + t <= len; i++) {
		if (s[i] != '<' || s[i + 1] != '/' || !akb_html_name_is(s + i + 2, t, tag))
			continue;
		akb_buf_put(out, s + start, i + 1 - start);
		akb_buf_putc(out, '\\');
		start = i + 1;
	}
	akb_buf_put(out, s + start, len - start);
}

int bnd_data_url(struct bnd_packer *pk, const char *path, struct akb_buf *out)
{
	struct akb_buf data = AKB_BUF_INIT;
	if (bnd_read(pk, path, &data) != 0) {
		akb_buf_release(&data);
		return -1;
	}
	akb_buf_printf(out, "data:%s;base64,", akb_mime_type(path));
	akb_buf_put_base64(out, data.ptr, data.len);
	akb_buf_release(&data);
	return 0;
}

int bnd_inline_code(struct bnd_packer *pk, const char *path, int css, struct akb_buf *out)
{
	struct akb_buf data = AKB_BUF_INIT, min = AKB_BUF_INIT;
	if (bnd_read(pk, path, &data) != 0) {
		akb_buf_release(&data);
		return -1;
	}
	if (css)
		akb_minify_css(&min, data.ptr, data.len);
	else
		akb_minify_js(&min, data.ptr, data.len);
	S_put_raw_text(out, min.ptr, min.len, css ? "style" : "script");
	akb_buf_release(&data);
	akb_buf_release(&min);
	return 0;
}

void bnd_put_runtime(struct akb_buf *out)
{
	struct akb_buf runtime = AKB_BUF_INIT;
	akb_minify_js(&runtime, akb_bundle_runtime_js, strlen(akb_bundle_runtime_js));
	akb_buf_puts(out, "<script>");
	S_put_raw_text(out, runtime.ptr, runtime.len, "script");
	akb_buf_puts(out, "</script>\n");
	akb_buf_release(&runtime);
}
