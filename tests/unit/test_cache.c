/*
 * Unit tests for the build cache (cache.h): the digest, where the cache
 * file goes, a save and load round trip, and files that must not be
 * trusted (truncated, foreign, malformed, paths out of the site).
 */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/cache.h"
#include "agentkb/diag.h"
#include "agentkb/version.h"
#include "harness.h"

TEST(cache_digest_sees_every_byte_and_the_length)
{
	char a[100], b[100];
	for (int i = 0; i < 100; i++)
		a[i] = b[i] = (char)('a' + i % 26);
	uint64_t whole = akb_digest(a, sizeof a);
	CHECK(akb_digest(a, sizeof a) == whole); /* stable */
	for (size_t i = 0; i < sizeof b; i += 7) {
		b[i] ^= 1;
		CHECK(akb_digest(b, sizeof b) != whole);
		b[i] ^= 1;
	}
	CHECK(akb_digest(a, 99) != whole);
	CHECK(akb_digest("", 0) != akb_digest("\0", 1));
	CHECK(akb_digest("abc", 3) == akb_digest("abc", 3));
}

TEST(cache_file_beside_the_site)
{
	struct akb_buf f = AKB_BUF_INIT;
	akb_cache_file("public", &f);
	STR_EQ(f.ptr, ".agentkb-cache/public.manifest");
	akb_cache_file("out/site/", &f);
	STR_EQ(f.ptr, "out/.agentkb-cache/site.manifest");
	akb_cache_file("/srv/www", &f);
	STR_EQ(f.ptr, "/srv/.agentkb-cache/www.manifest");
	akb_buf_release(&f);
}

/* Writes `text` as the cache file and loads it; returns akb_cache_load's result. */
static int S_load_text(const char *dir, const char *text, struct akb_cache *c, struct akb_diag *d)
{
	struct akb_buf file = AKB_BUF_INIT;
	akb_buf_printf(&file, "%s/x.manifest", dir);
	FILE *f = fopen(file.ptr, "w");
	fputs(text, f);
	fclose(f);
	akb_diag_init(d, NULL);
	int rc = akb_cache_load(c, file.ptr, d);
	akb_buf_release(&file);
	return rc;
}

TEST(cache_round_trip_and_untrusted_files)
{
	char dir[] = "/tmp/akb-cache-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf file = AKB_BUF_INIT;
	akb_buf_printf(&file, "%s/.agentkb-cache/site.manifest", dir);
	struct akb_cache c;
	akb_cache_init(&c);
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_mode = S_IFREG;
	st.st_size = 5;
	st.st_ino = 42;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 123456789;
	akb_cache_add(&c, "z/index.html", akb_digest("hello", 5), 5, &st);
	akb_cache_add(&c, "a b/with space.html", 7, 0, &st);
	akb_cache_add(&c, "bad\nname", 1, 1, &st); /* not recorded */
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	INT_EQ(akb_cache_save(&c, file.ptr, &d), 0);
	akb_cache_release(&c);

	INT_EQ(akb_cache_load(&c, file.ptr, &d), 0);
	INT_EQ((int)c.len, 2);
	const struct akb_cache_entry *e = akb_cache_find(&c, "z/index.html");
	CHECK(e != NULL);
	CHECK(e && e->digest == akb_digest("hello", 5) && e->size == 5 && e->ino == 42);
	CHECK(e && akb_cache_stat_matches(e, &st));
	st.st_mtim.tv_nsec++;
	CHECK(e && !akb_cache_stat_matches(e, &st));
	CHECK(akb_cache_find(&c, "a b/with space.html") != NULL);
	CHECK(akb_cache_find(&c, "bad\nname") == NULL);
	akb_cache_release(&c);
	INT_EQ((int)d.warnings, 0);
	akb_diag_release(&d);

	struct akb_buf good = AKB_BUF_INIT;
	akb_buf_read_file(&good, file.ptr);
	const char *first_line_end = strchr(good.ptr, '\n');
	struct akb_buf bad = AKB_BUF_INIT;

	/* truncated: no end line */
	akb_buf_put(&bad, good.ptr, good.len - 6);
	INT_EQ(S_load_text(dir, bad.ptr, &c, &d), -1);
	INT_EQ((int)d.warnings, 1);
	CHECK(d.len && strstr(d.items[0].message, "truncated") != NULL);
	INT_EQ((int)c.len, 0);
	akb_diag_release(&d);

	/* foreign: another format version */
	akb_buf_clear(&bad);
	akb_buf_puts(&bad, "agentkb-cache 2 0.0.0");
	akb_buf_puts(&bad, first_line_end);
	INT_EQ(S_load_text(dir, bad.ptr, &c, &d), -1);
	CHECK(d.len && strstr(d.items[0].message, "not a cache of this agentkb version") != NULL);
	akb_diag_release(&d);

	/* a path out of the site, and a count that does not match */
	INT_EQ(S_load_text(dir, "agentkb-cache 1 " AKB_VERSION "\n0000000000000001 1 1 1 1 ../etc/passwd\nend 1\n", &c,
			   &d),
	       -1);
	CHECK(d.len && strstr(d.items[0].message, "malformed entry") != NULL);
	akb_diag_release(&d);
	INT_EQ(S_load_text(dir, "agentkb-cache 1 " AKB_VERSION "\nend 3\n", &c, &d), -1);
	CHECK(d.len && strstr(d.items[0].message, "count") != NULL);
	akb_diag_release(&d);
	INT_EQ(S_load_text(dir, "agentkb-cache 1 " AKB_VERSION "\nend 0\n", &c, &d), 0);
	akb_diag_release(&d);

	/* none at all */
	akb_diag_init(&d, NULL);
	INT_EQ(akb_cache_load(&c, "/nonexistent/x.manifest", &d), 1);
	INT_EQ((int)d.warnings, 0);
	akb_diag_release(&d);

	akb_buf_release(&good);
	akb_buf_release(&bad);
	akb_buf_clear(&file);
	akb_buf_printf(&file, "rm -rf '%s'", dir);
	CHECK(system(file.ptr) == 0);
	akb_buf_release(&file);
}
