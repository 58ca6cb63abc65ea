/*
 * route: what a URL of `agentkb serve` maps to. The path is decoded one
 * segment at a time and opened segment by segment below the site's folder
 * with O_NOFOLLOW, so no '..', encoded '/', NUL or symlink can reach a file
 * outside the site. Also the reload script injected into served pages
 * (never into the built files).
 */
#include "core/prefix.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/ascii.h"
#include "serve/serve_int.h"

int akb_route_is_html(const char *type)
{
	return !strncmp(type, "text/html", 9);
}

/*
 * Decodes one segment raw[0..n) into `out`. Returns 0, or -1 when it is
 * "." or "..", holds a bad escape, or decodes to '/', '\\' or NUL.
 */
static int S_decode_segment(const char *raw, size_t n, struct akb_buf *out)
{
	akb_buf_clear(out);
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)raw[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int hi = akb_hex_digit((unsigned char)raw[i + 1]), lo = akb_hex_digit((unsigned char)raw[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == '/' || c == '\\' || c == '\0')
			return -1;
		akb_buf_putc(out, c);
	}
	if (!strcmp(out->ptr, ".") || !strcmp(out->ptr, ".."))
		return -1;
	return 0;
}

/* Opens `name` in `dir` without following a symlink; folders only when `want_dir`. */
static int S_open_at(int dir, const char *name, int want_dir)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (want_dir ? O_DIRECTORY : 0);
	return openat(dir, name, flags);
}

static enum akb_route S_failed(int err)
{
	return err == ELOOP ? AKB_ROUTE_FORBIDDEN : AKB_ROUTE_MISSING;
}

/* The last step: a folder's index.html, a redirect, or the file itself. */
static enum akb_route S_finish(int fd, int slash, int *out, struct stat *st, struct akb_buf *name)
{
	if (fstat(fd, st) != 0) {
		close(fd);
		return AKB_ROUTE_MISSING;
	}
	if (S_ISDIR(st->st_mode)) {
		if (!slash) {
			close(fd);
			return AKB_ROUTE_REDIRECT;
		}
		int idx = S_open_at(fd, "index.html", 0);
		int err = errno;
		close(fd);
		if (idx < 0)
			return S_failed(err);
		akb_buf_clear(name);
		akb_buf_puts(name, "index.html");
		return S_finish(idx, 0, out, st, name);
	}
	if (!S_ISREG(st->st_mode) || slash) {
		close(fd);
		return S_ISREG(st->st_mode) ? AKB_ROUTE_MISSING : AKB_ROUTE_FORBIDDEN;
	}
	*out = fd;
	return AKB_ROUTE_FILE;
}

enum akb_route akb_route_open(int root_fd, const char *raw, int *out, struct stat *st, struct akb_buf *name)
{
	*out = -1;
	if (raw[0] != '/')
		return AKB_ROUTE_FORBIDDEN;
	int dir = dup(root_fd);
	if (dir < 0)
		return AKB_ROUTE_MISSING;
	enum akb_route r = AKB_ROUTE_MISSING;
	const char *p = raw;
	akb_buf_clear(name);
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0) /* the path ends with '/' (or is "/"): `dir` itself, as a folder */
			return S_finish(dir, 1, out, st, name);
		if (S_decode_segment(p, n, name) != 0) {
			close(dir);
			return AKB_ROUTE_FORBIDDEN;
		}
		const char *rest = p + n;
		while (*rest == '/')
			rest++;
		int last = *rest == '\0';
		int next = S_open_at(dir, name->ptr, !last);
		int err = errno;
		close(dir);
		if (next < 0) {
			r = S_failed(err);
			break;
		}
		if (last)
			return S_finish(next, end != NULL, out, st, name);
		dir = next;
		p = end;
	}
	return r;
}

/*
 * The reload script: listens to the events stream; `reload` reloads the
 * page, `error` shows the build's messages over it (as text, never HTML),
 * `hello` reloads a page served by an older build (a reload missed while
 * the stream was down) and otherwise marks the page data-agentkb-live.
 */
static const char S_script_head[] = "<script id=\"agentkb-live\">(function(){var gen=\"";
static const char S_script_tail[] =
	"\";if(!window.EventSource)return;"
	"var es=new EventSource(\"" AKB_LIVE_EVENTS "\");"
	"es.addEventListener(\"hello\",function(e){if(e.data!==gen)location.reload();"
	"else document.documentElement.setAttribute(\"data-agentkb-live\",\"connected\");});"
	"es.addEventListener(\"reload\",function(){es.close();location.reload();});"
	"es.addEventListener(\"error\",function(e){if(typeof e.data!==\"string\")return;show(e.data);});"
	"function show(text){var o=document.getElementById(\"agentkb-overlay\");if(o)o.remove();"
	"o=document.createElement(\"div\");o.id=\"agentkb-overlay\";o.setAttribute(\"role\",\"alert\");"
	"o.style.cssText=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;"
	"background:rgba(20,20,20,.92);color:#fff;font:14px/1.5 ui-monospace,monospace\";"
	"var h=document.createElement(\"p\");h.style.cssText=\"font-weight:bold;color:#ff8080;margin:0 0 1rem\";"
	"h.textContent=\"agentkb: the build failed; the last good site is shown\";o.appendChild(h);"
	"text.split(\"\\n\").forEach(function(l){if(!l)return;var d=document.createElement(\"div\");"
	"d.className=\"agentkb-overlay-message\";d.style.whiteSpace=\"pre-wrap\";d.textContent=l;o.appendChild(d);});"
	"document.body.appendChild(o);}"
	"})();</script>\n";

/* The last "</body>" (any case), or NULL. */
static const char *S_body_end(const struct akb_buf *html)
{
	if (html->len < 7)
		return NULL;
	for (size_t i = html->len - 7 + 1; i-- > 0;)
		if (!strncasecmp(html->ptr + i, "</body>", 7))
			return html->ptr + i;
	return NULL;
}

void akb_route_inject(struct akb_buf *html, unsigned long gen)
{
	struct akb_buf script = AKB_BUF_INIT, out = AKB_BUF_INIT;
	akb_buf_printf(&script, "%s%lu%s", S_script_head, gen, S_script_tail);
	const char *at = S_body_end(html);
	size_t before = at ? (size_t)(at - html->ptr) : html->len;
	akb_buf_put(&out, html->ptr, before);
	akb_buf_put(&out, script.ptr, script.len);
	akb_buf_put(&out, html->ptr + before, html->len - before);
	akb_buf_release(html);
	*html = out;
	akb_buf_release(&script);
}
