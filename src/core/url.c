/*
 * url: base URL checks and percent-encoding (see url.h).
 */
#include "core/prefix.h"

#include <string.h>
#include <strings.h>

#include "agentkb/ascii.h"
#include "agentkb/buf.h"
#include "agentkb/url.h"
#include "agentkb/utf8.h"

static int S_is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int S_is_unreserved(int c)
{
	return S_is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Characters RFC 3986 allows as they are in a path (besides %XX escapes). */
static int S_is_path_char(int c)
{
	return S_is_unreserved(c) || strchr("!$&'()*+,;=:@/", c) != NULL;
}

const char *akb_url_base_normalize(const char *url, struct akb_buf *out)
{
	if (!*url)
		return NULL;
	size_t scheme_len;
	if (!strncasecmp(url, "https://", 8))
		scheme_len = 8;
	else if (!strncasecmp(url, "http://", 7))
		scheme_len = 7;
	else
		return "it must start with http:// or https://";
	const char *host = url + scheme_len;
	size_t host_len = strcspn(host, "/?#");
	if (host_len == 0)
		return "it has no host name";
	/* A host name, an IPv4 or [IPv6] address and a port; no user:password@. */
	for (size_t i = 0; i < host_len; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!(S_is_alnum(c) || strchr("-.:[]", c)))
			return "the host may only hold letters, digits, '-', '.', ':' and [ ]"
			       " (use the punycode form of an international name)";
	}
	const char *path = host + host_len;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		/* Pages are appended to the base, so a query or fragment would end up in the middle of every URL. */
		if (c == '?' || c == '#')
			return "a base URL cannot have a query (?) or a fragment (#)";
		if (c >= 0x80)
			return "non-ASCII characters must be percent-encoded (%XX)";
		if (c == '%') {
			if (akb_hex_digit((unsigned char)p[1]) < 0 || akb_hex_digit((unsigned char)p[2]) < 0)
				return "'%' must start a percent-encoded byte (%XX)";
			continue;
		}
		if (!S_is_path_char(c))
			return "spaces, quotes, <, >, \\ and control characters must be percent-encoded (%XX)";
	}
	/* Scheme and host are case-insensitive; one spelling keeps canonical URLs identical. */
	for (size_t i = 0; i < scheme_len + host_len; i++)
		akb_buf_putc(out, url[i] >= 'A' && url[i] <= 'Z' ? url[i] - 'A' + 'a' : url[i]);
	akb_buf_puts(out, *path ? path : "/");
	if (out->ptr[out->len - 1] != '/')
		akb_buf_putc(out, '/');
	return NULL;
}

void akb_url_put_path(struct akb_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (S_is_unreserved(c) || c == '/') {
			akb_buf_putc(out, c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			akb_buf_put(out, esc, 3);
		}
	}
}

void akb_url_page(struct akb_buf *out, const char *base, const char *rel)
{
	static const char index[] = "index.html";
	size_t n = strlen(rel), ix = sizeof(index) - 1;
	if (n >= ix && !strcmp(rel + n - ix, index) && (n == ix || rel[n - ix - 1] == '/'))
		n -= ix;
	akb_buf_puts(out, base);
	akb_url_put_path(out, rel, n);
}

void akb_url_decode(struct akb_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = akb_hex_digit((unsigned char)s[i + 1])) >= 0 &&
		    (lo = akb_hex_digit((unsigned char)s[i + 2])) >= 0) {
			akb_buf_putc(out, hi * 16 + lo);
			i += 2;
		} else {
			akb_buf_putc(out, s[i]);
		}
	}
}
