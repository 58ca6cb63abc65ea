/*
 * csp: the Content-Security-Policy meta of a built page, with the hashes of
 * its inline scripts (see csp.h).
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/csp.h"
#include "agentkb/html.h"
#include "core/sha256.h"

const char akb_csp_default[] = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
			       "img-src 'self' data: https: http:; object-src 'none'; base-uri 'none'; form-action 'self'";
const char akb_csp_bundle[] = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
			      "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

/* Where the directive `name` of `policy` ends (before its ';' or the end), or NULL without one. */
static const char *S_directive_end(const char *policy, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = policy; *p;) {
		p += strspn(p, " \t");
		const char *end = p + strcspn(p, ";");
		if (!strncmp(p, name, n) && (p[n] == ' ' || p[n] == '\t' || p + n == end)) {
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			return end;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

void akb_csp_insert(struct akb_buf *html, const char *policy, int hash_scripts)
{
	struct akb_buf hashes = AKB_BUF_INIT;
	struct akb_html_scanner sc;
	struct akb_html_token tok;
	struct akb_html_attr attr;
	size_t at = 0, head = 0;
	int in_script = 0;
	akb_html_scan_init(&sc, html->ptr, html->len);
	while (akb_html_scan_next(&sc, &tok)) {
		int start = tok.kind == AKB_HTML_START;
		if (start && akb_html_name_is(tok.name, tok.name_len, "head") && !head)
			head = tok.end;
		else if (start && akb_html_name_is(tok.name, tok.name_len, "meta") && !at &&
			 akb_html_attr_find(html->ptr, &tok, "charset", &attr))
			at = tok.end;
		if (in_script && hash_scripts && tok.kind == AKB_HTML_TEXT) {
			unsigned char digest[32];
			akb_sha256(html->ptr + tok.start, tok.end - tok.start, digest);
			akb_buf_puts(&hashes, " 'sha256-");
			akb_buf_put_base64(&hashes, digest, sizeof digest);
			akb_buf_putc(&hashes, '\'');
		}
		in_script = start && akb_html_name_is(tok.name, tok.name_len, "script") && !tok.self_closing &&
			    !akb_html_attr_find(html->ptr, &tok, "src", &attr);
	}
	if (!at)
		at = head;
	if (at) {
		struct akb_buf full = AKB_BUF_INIT, meta = AKB_BUF_INIT;
		const char *end = hashes.len ? S_directive_end(policy, "script-src") : NULL;
		if (end) {
			akb_buf_put(&full, policy, (size_t)(end - policy));
			akb_buf_put(&full, hashes.ptr, hashes.len);
			akb_buf_puts(&full, end);
		} else {
			akb_buf_puts(&full, policy);
		}
		akb_buf_puts(&meta, "\n<meta http-equiv=\"Content-Security-Policy\" content=\"");
		akb_buf_put_html(&meta, full.ptr, full.len);
		akb_buf_puts(&meta, "\">");
		struct akb_buf out = AKB_BUF_INIT;
		akb_buf_put(&out, html->ptr, at);
		akb_buf_put(&out, meta.ptr, meta.len);
		akb_buf_put(&out, html->ptr + at, html->len - at);
		akb_buf_release(html);
		*html = out;
		akb_buf_release(&full);
		akb_buf_release(&meta);
	}
	akb_buf_release(&hashes);
}
