/* Unit tests for the static hosting pieces: base URLs, page URLs, the sitemap's split past 50,000 URLs, SHA-256 and the CSP meta. */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/csp.h"
#include "agentkb/output.h"
#include "agentkb/sitemap.h"
#include "agentkb/url.h"
#include "core/sha256.h"
#include "harness.h"

/* The normal form of `in`, or "!" + the reason it is rejected. */
static char *S_base(const char *in)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_puts(&b, "x"); /* rejected URLs must leave the buffer as it was */
	const char *why = akb_url_base_normalize(in, &b);
	if (why) {
		CHECK(b.len == 1);
		akb_buf_clear(&b);
		akb_buf_printf(&b, "!%s", why);
		return akb_buf_detach(&b, NULL);
	}
	char *s = akb_xstrdup(b.ptr + 1);
	akb_buf_release(&b);
	return s;
}

#define BASE_EQ(in, want)                 \
	do {                              \
		char *got_base = S_base(in); \
		STR_EQ(got_base, want);   \
		free(got_base);           \
	} while (0)

TEST(url_base_normalize)
{
	BASE_EQ("", "");
	BASE_EQ("https://example.com", "https://example.com/");
	BASE_EQ("https://example.com/docs/agents", "https://example.com/docs/agents/");
	BASE_EQ("https://example.com/docs/agents/", "https://example.com/docs/agents/");
	BASE_EQ("HTTP://Example.COM:8080/A%20B/", "http://example.com:8080/A%20B/");
	BASE_EQ("http://[::1]/x", "http://[::1]/x/");
	BASE_EQ("https://h/r&d/(x)", "https://h/r&d/(x)/");
	BASE_EQ("ftp://example.com/", "!it must start with http:// or https://");
	BASE_EQ("example.com", "!it must start with http:// or https://");
	BASE_EQ("https:///x", "!it has no host name");
	BASE_EQ("https://example.com/?a=1", "!a base URL cannot have a query (?) or a fragment (#)");
	BASE_EQ("https://example.com#x", "!a base URL cannot have a query (?) or a fragment (#)");
	BASE_EQ("https://example.com/缓存", "!non-ASCII characters must be percent-encoded (%XX)");
	BASE_EQ("https://example.com/50%", "!'%' must start a percent-encoded byte (%XX)");
	BASE_EQ("https://example.com/a b", "!spaces, quotes, <, >, \\ and control characters must be percent-encoded (%XX)");
	BASE_EQ("https://example.com/\"x", "!spaces, quotes, <, >, \\ and control characters must be percent-encoded (%XX)");
	char *s = S_base("https://user:pw@example.com/");
	CHECK(s[0] == '!');
	free(s);
}

TEST(url_page_and_path)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_url_page(&b, "https://h/d/", "index.html");
	STR_EQ(b.ptr, "https://h/d/");
	akb_buf_clear(&b);
	akb_url_page(&b, "https://h/d/", "agents/缓存/index.html");
	STR_EQ(b.ptr, "https://h/d/agents/%E7%BC%93%E5%AD%98/");
	akb_buf_clear(&b);
	/* Only a whole final "index.html" segment is dropped. */
	akb_url_page(&b, "https://h/", "a/myindex.html");
	STR_EQ(b.ptr, "https://h/a/myindex.html");
	akb_buf_clear(&b);
	akb_url_put_path(&b, "a b/(c)&d~e.md", 14);
	STR_EQ(b.ptr, "a%20b/%28c%29%26d~e.md");
	akb_buf_release(&b);
}

TEST(url_decode)
{
	struct akb_buf b = AKB_BUF_INIT;
	const char *in = "%E7%BC%93%e5%ad%98/a%20b%2";
	akb_url_decode(&b, in, strlen(in));
	STR_EQ(b.ptr, "缓存/a b%2");
	akb_buf_clear(&b);
	akb_url_decode(&b, "%zz%", 4);
	STR_EQ(b.ptr, "%zz%");
	akb_buf_release(&b);
}

static long S_file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fclose(f);
	return n;
}

static int S_count(const char *path, const char *needle)
{
	struct akb_buf b = AKB_BUF_INIT;
	int n = 0;
	if (akb_buf_read_file(&b, path) == 0)
		for (const char *p = b.ptr; (p = strstr(p, needle)) != NULL; p++)
			n++;
	akb_buf_release(&b);
	return n;
}

TEST(sitemap_splits_past_the_protocol_limit)
{
	char dir[] = "/tmp/akb-sitemap-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	struct akb_buf site = AKB_BUF_INIT, path = AKB_BUF_INIT, url = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", dir);
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	struct akb_output out = { 0 };
	struct akb_sitemap *sm = akb_sitemap_new("https://h/a&b/");
	for (int i = 0; i < 50001; i++) {
		akb_buf_clear(&url);
		akb_buf_printf(&url, "https://h/a&b/agents/%d/", i);
		akb_sitemap_add(sm, url.ptr);
	}
	INT_EQ(akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &diag), 0);
	INT_EQ(akb_sitemap_write(sm, &out, &diag), 0);
	INT_EQ(akb_output_commit(&out, &diag), 0);
	akb_buf_printf(&path, "%s/sitemap.xml", site.ptr);
	INT_EQ(S_count(path.ptr, "<sitemapindex "), 1);
	INT_EQ(S_count(path.ptr, "<sitemap><loc>https://h/a&amp;b/sitemap-1.xml</loc></sitemap>"), 1);
	INT_EQ(S_count(path.ptr, "<sitemap><loc>https://h/a&amp;b/sitemap-2.xml</loc></sitemap>"), 1);
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/sitemap-1.xml", site.ptr);
	INT_EQ(S_count(path.ptr, "<url><loc>"), 50000);
	CHECK(S_file_size(path.ptr) < 50L * 1000 * 1000);
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/sitemap-2.xml", site.ptr);
	INT_EQ(S_count(path.ptr, "<url><loc>https://h/a&amp;b/agents/50000/</loc></url>"), 1);
	INT_EQ(S_count(path.ptr, "<url><loc>"), 1);
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/robots.txt", site.ptr);
	INT_EQ(S_count(path.ptr, "\nSitemap: https://h/a&b/sitemap.xml\n"), 1);
	INT_EQ(akb_sitemap_write(NULL, &out, &diag), 0); /* no base URL: nothing to do */
	INT_EQ(diag.errors, 0);
	akb_sitemap_free(sm);
	akb_output_release(&out);
	akb_remove_tree(dir);
	akb_diag_release(&diag);
	akb_buf_release(&site);
	akb_buf_release(&path);
	akb_buf_release(&url);
}

/* SHA-256 of `s` in hex, for the known answers of FIPS 180-4's examples and the block edges. */
static void S_sha_hex(const char *s, size_t n, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[32];
	akb_sha256(s, n, d);
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[64] = '\0';
}

TEST(sha256_known_answers)
{
	char h[65];
	S_sha_hex("", 0, h);
	STR_EQ(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	S_sha_hex("abc", 3, h);
	STR_EQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56 bytes: the length needs a second block */
	S_sha_hex(two, strlen(two), h);
	STR_EQ(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	struct akb_buf big = AKB_BUF_INIT;
	for (int i = 0; i < 1000003; i++)
		akb_buf_putc(&big, 'x');
	S_sha_hex(big.ptr, big.len, h);
	STR_EQ(h, "60ac51f35e32790207b62d6a4614d523975339403a66cfc204df2c758ec28053");
	akb_buf_release(&big);
}

/* The policy goes after <meta charset>, with a hash of each inline script in script-src, escaped for its attribute. */
TEST(csp_meta_hashes_inline_scripts)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_puts(&b, "<html><head><meta charset=\"utf-8\"><script>abc</script><script src=\"x.js\"></script></head></html>");
	akb_csp_insert(&b, "default-src 'self'; script-src 'self'; img-src *", 1);
	STR_EQ(b.ptr, "<html><head><meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\""
		      "default-src &#39;self&#39;; script-src &#39;self&#39; &#39;sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=&#39;; "
		      "img-src *\"><script>abc</script><script src=\"x.js\"></script></head></html>");
	akb_buf_clear(&b);
	akb_buf_puts(&b, "<p>no head</p>");
	akb_csp_insert(&b, "default-src 'none'", 1);
	STR_EQ(b.ptr, "<p>no head</p>");
	akb_buf_release(&b);
}
