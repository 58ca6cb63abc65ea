/* Unit tests for the search tokenizer and index writer (format: include/agentkb/search.h). */
#include "core/prefix.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/output.h"
#include "agentkb/search.h"
#include "agentkb/utf8.h"
#include "harness.h"

static void S_join(void *ctx, const char *tok, size_t len)
{
	struct akb_buf *b = ctx;
	if (b->len)
		akb_buf_putc(b, '|');
	akb_buf_put(b, tok, len);
}

static char *S_tokens(const char *text)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_tokenize(text, strlen(text), S_join, &b);
	return akb_buf_detach(&b, NULL);
}

#define TOKENS(text, want)                 \
	do {                               \
		char *toks_ = S_tokens(text); \
		STR_EQ(toks_, want);       \
		free(toks_);               \
	} while (0)

TEST(tokenizer_rules)
{
	TOKENS("Hello, World!", "hello|world");
	TOKENS("微服务架构", "微服|服务|务架|架构");
	TOKENS("缓", "缓");
	TOKENS("API设计v2", "api|设计|v2");
	TOKENS("慢查询 and 缓存", "慢查|查询|and|缓存");
	TOKENS("Café ÜBER", "café|über");
	TOKENS("🚀rocket🚀", "rocket");
	TOKENS("カタカナ 한국어", "カタ|タカ|カナ|한국|국어");
	TOKENS("", "");
	TOKENS("   ", "");
	/* Long Latin tokens are cut at 32 code points. */
	TOKENS("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|b");
	/* Malformed UTF-8 never stops the tokenizer. */
	TOKENS("ab\xff\xfe cd", "ab|cd");
}

/* Reads a whole file into a malloc'd string. */
static char *S_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct akb_buf b = AKB_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		akb_buf_put(&b, chunk, n);
	fclose(f);
	return akb_buf_detach(&b, NULL);
}

/* The file of term shard k: search/t<id>.js, its id the k-th of base.js's "ids". */
static void S_shard_path(const char *site, size_t k, struct akb_buf *path)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_printf(&b, "%s/search/base.js", site);
	char *base = S_slurp(b.ptr);
	const char *ids = base ? strstr(base, "\"ids\":\"") : NULL;
	if (ids)
		ids += 7;
	for (size_t i = 0; i < k && ids; i++) {
		ids = strstr(ids, "\\n");
		if (ids)
			ids += 2;
	}
	size_t n = ids ? strcspn(ids, "\\\"") : 0;
	akb_buf_clear(path);
	akb_buf_printf(path, "%s/search/t%.*s.js", site, (int)n, ids ? ids : "");
	free(base);
	akb_buf_release(&b);
}

/* Writes the index of `sb` into the site folder `site` (begin, write, commit); returns the messages it gave. */
static size_t S_write_index(struct akb_search_builder *sb, const char *site, struct akb_search_stats *st)
{
	struct akb_output out;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	CHECK(akb_output_begin(&out, site, NULL, AKB_CACHE_OFF, &d) == 0);
	CHECK(akb_search_write(sb, &out, st, &d) == 0);
	CHECK(akb_output_commit(&out, &d) == 0);
	size_t messages = d.len;
	akb_output_release(&out);
	akb_diag_release(&d);
	return messages;
}

static int S_b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 string that starts right after `marker` in `js`. */
static size_t S_b64_after(const char *js, const char *marker, unsigned char *out, size_t cap)
{
	const char *p = strstr(js, marker);
	if (!p)
		return 0;
	p += strlen(marker);
	size_t n = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (; *p && *p != '"'; p++) {
		int v = S_b64(*p);
		if (v < 0)
			continue;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8 && n < cap) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

/* Decodes the base64 string that follows `"key":"` in `js`. */
static size_t S_field_b64(const char *js, const char *key, unsigned char *out, size_t cap)
{
	char pat[64];
	snprintf(pat, sizeof pat, "\"%s\":\"", key);
	return S_b64_after(js, pat, out, cap);
}

static uint64_t S_varint(const unsigned char *p, size_t *i)
{
	uint64_t v = 0;
	int shift = 0;
	while (p[*i] & 0x80) {
		v |= (uint64_t)(p[(*i)++] & 0x7F) << shift;
		shift += 7;
	}
	v |= (uint64_t)p[(*i)++] << shift;
	return v;
}

TEST(search_index_round_trip)
{
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf site = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", dir);
	struct akb_search_builder *sb = akb_search_builder_new(3);
	size_t dept = akb_search_add_facet(sb, "department", "Department");
	size_t tools = akb_search_add_facet(sb, "tools", "Tools");
	akb_search_add_text(sb, 0, AKB_FIELD_NAME, "cache expert", 12);
	akb_search_add_text(sb, 0, AKB_FIELD_BODY, "cache cache redis", 17);
	akb_search_add_text(sb, 1, AKB_FIELD_NAME, "other", 5);
	akb_search_add_text(sb, 2, AKB_FIELD_CODE, "cache", 5);
	akb_search_add_facet_value(sb, dept, 0, "zeta");
	akb_search_add_facet_value(sb, dept, 2, "alpha");
	akb_search_add_facet_value(sb, tools, 0, "Read");
	akb_search_add_facet_value(sb, tools, 0, "Bash");
	akb_search_add_facet_value(sb, tools, 2, "Read");
	akb_search_set_display(sb, 0, "Cache \"Expert\"", "agents/a/index.html", "zeta", NULL, "opus", "x</script>", "tools");
	struct akb_search_stats st;
	S_write_index(sb, site.ptr, &st);
	INT_EQ(st.terms, 4);
	INT_EQ(st.postings, 5);
	INT_EQ(st.shards, 1);

	struct akb_buf path = AKB_BUF_INIT;
	S_shard_path(site.ptr, 0, &path);
	char *t0 = S_slurp(path.ptr);
	CHECK(t0 && strstr(t0, "\"terms\":\"cache\\nexpert\\nother\\nredis\"") != NULL);
	unsigned char post[256], size[16];
	size_t np = S_field_b64(t0, "post", post, sizeof post), ns = S_field_b64(t0, "size", size, sizeof size);
	CHECK(np > 0 && ns == 4);
	/*
	 * "cache": df 2; doc 0 with name tf 1 and body tf 2; doc 2 (delta 2) with code tf 1.
	 * Average lengths: name 1, body 1, code 1/3. Impacts, by hand from search.h:
	 * doc 0: tfw = 8/(0.25+0.75*2/1) + 2*1/(0.25+0.75*3/1) = 5.371, s = 1.798 + 6 (a name word) = 7.798,
	 * round(16 log2 s) + 192 = 239;
	 * doc 2: tfw = 0.5/(0.25+0.75*1/(1/3)) = 0.2, s = 0.314, q = 165.
	 * The name words' prefixes ("cac", "cach", "exp", ...) are no document's terms: not published.
	 */
	/* Grouped by impact, best first: [239: 1 doc, id 0], [165: 1 doc, id 2 (from 0)]. */
	size_t i = 0;
	INT_EQ(S_varint(post, &i), 2);
	INT_EQ(post[i++], 239);
	INT_EQ(S_varint(post, &i), 1);
	INT_EQ(S_varint(post, &i), 0);
	INT_EQ(post[i++], 165);
	INT_EQ(S_varint(post, &i), 1);
	INT_EQ(S_varint(post, &i), 2);
	INT_EQ(i, size[0]);
	/* "expert": doc 0, name only: tfw = 8/1.75, s = 1.743 + 6, q = 239. */
	INT_EQ(S_varint(post, &i), 1);
	INT_EQ(post[i++], 239);
	INT_EQ(S_varint(post, &i), 1);
	INT_EQ(S_varint(post, &i), 0);
	INT_EQ(i, (size_t)size[0] + size[1]);

	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/search/base.js", site.ptr);
	char *base = S_slurp(path.ptr);
	CHECK(base && strstr(base, "\"v\":3,\"n\":3,") != NULL);
	CHECK(base && strstr(base, "\"syn\":[]") != NULL);
	CHECK(base && strstr(base, "\"shards\":\"\",\"solo\":\"0\"") != NULL);
	CHECK(base && strstr(base, "\"values\":[\"alpha\",\"zeta\"],\"one\":1}") != NULL);
	/* The head is small: no per-document data. */
	CHECK(base && strstr(base, "norms") == NULL && strlen(base) < 600);

	/*
	 * Facet docs, one base-64 digit a number (A = 0, B = 1, C = 2). One value
	 * at most per document: value + 1, so doc 0 -> zeta (C), doc 1 -> none
	 * (A), doc 2 -> alpha (B). Several values: count, then indexes (Bash 0,
	 * Read 1, in the order added): [2, 1, 0], [0], [1, 1].
	 */
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/search/facets.js", site.ptr);
	char *facets = S_slurp(path.ptr);
	STR_EQ(facets, "__akbSearchLoad(\"facets\",0,[\n\"CAB\",\n\"CBAABB\"]);\n");
	CHECK(base && strstr(base, "\"values\":[\"Bash\",\"Read\"],\"one\":0}") != NULL);
	free(facets);

	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/search/d0.js", site.ptr);
	char *d0 = S_slurp(path.ptr);
	CHECK(d0 && strstr(d0, "[\"Cache \\\"Expert\\\"\",\"agents/a/index.html\",\"zeta\",\"\",\"opus\",\"x<\\/script>\",\"tools\"]"));

	free(t0);
	free(base);
	free(d0);
	akb_search_builder_free(sb);
	akb_remove_tree(dir);
	akb_buf_release(&path);
	akb_buf_release(&site);
}

/* The impact byte of term `term` for document `doc` in a one-shard index's t0.js, or -1. */
static int S_impact_of(const char *t0, const char *term, size_t doc)
{
	const char *terms = strstr(t0, "\"terms\":\"");
	unsigned char post[4096], size[256];
	size_t np = S_field_b64(t0, "post", post, sizeof post), ns = S_field_b64(t0, "size", size, sizeof size);
	if (!terms || !np || !ns)
		return -1;
	terms += 9;
	size_t k = 0, at = 0, tl = strlen(term);
	for (const char *p = terms; *p && *p != '"'; k++) {
		size_t n = strcspn(p, "\\\"");
		if (n == tl && !strncmp(p, term, n)) {
			size_t i = at, df = (size_t)S_varint(post, &i), seen = 0;
			while (seen < df) {
				int q = post[i++];
				size_t g = (size_t)S_varint(post, &i), id = 0;
				for (size_t e = 0; e < g; e++, seen++) {
					id += (size_t)S_varint(post, &i);
					if (id == doc)
						return q;
				}
			}
			return -1;
		}
		at += size[k]; /* sizes are one varint byte each here */
		p += n;
		if (*p == '\\')
			p += 2; /* "\n" */
	}
	return -1;
}

TEST(search_name_prefixes_languages_and_synonyms)
{
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf site = AKB_BUF_INIT, path = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", dir);
	struct akb_search_builder *sb = akb_search_builder_new(3);
	akb_search_add_text(sb, 0, AKB_FIELD_NAME, "security auditor", 16);
	akb_search_add_text(sb, 1, AKB_FIELD_BODY, "audit logs", 10);
	/* A code fence's language and the names it stands for, once per document. */
	akb_search_add_code_lang(sb, 2, "PostgreSQL", 10);
	akb_search_add_code_lang(sb, 2, "postgresql", 10);
	akb_search_add_code_lang(sb, 2, "ts", 2);
	char group[] = "a b\nc";
	char *const groups[] = { group, NULL };
	akb_search_set_synonyms(sb, 1, groups);
	struct akb_search_stats st;
	S_write_index(sb, site.ptr, &st);
	S_shard_path(site.ptr, 0, &path);
	char *t0 = S_slurp(path.ptr);
	/*
	 * "audit" is a term (doc 1's body), so the prefix of doc 0's "auditor" is kept, with the
	 * name-prefix bonus only: s = 4.5, q = round(16 log2 4.5) + 192 = 227. "aud", "audi",
	 * "auditi"... are no document's terms: dropped; "sec", "secur", ... likewise.
	 */
	CHECK(t0 && strstr(t0, "\"terms\":\"audit\\nauditor\\nlogs\\npostgres\\npostgresql\\nsecurity\\nsql\\nts\\ntypescript\"") != NULL);
	INT_EQ(S_impact_of(t0, "audit", 0), 227);
	CHECK(S_impact_of(t0, "audit", 1) > 0 && S_impact_of(t0, "audit", 1) < 227);
	/* Languages: tf 1 each, lang field only (boost 0.5, length 5 against an average 5/3). */
	CHECK(S_impact_of(t0, "sql", 2) > 0 && S_impact_of(t0, "sql", 2) == S_impact_of(t0, "typescript", 2));
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/search/base.js", site.ptr);
	char *base = S_slurp(path.ptr);
	/* The built-in groups first, then the config's. */
	CHECK(base && strstr(base, "\"syn\":[\n[\"爬虫\",\"scraping\"") != NULL);
	CHECK(base && strstr(base, ",\n[\"a b\",\"c\"]],") != NULL);
	free(t0);
	free(base);
	akb_search_builder_free(sb);
	akb_remove_tree(dir);
	akb_buf_release(&path);
	akb_buf_release(&site);
}

TEST(search_terms_sort_in_utf16_order)
{
	/* U+FF41 sorts before U+20000 in UTF-8 but after it in UTF-16 (JS string order). */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf site = AKB_BUF_INIT, path = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", dir);
	struct akb_search_builder *sb = akb_search_builder_new(1);
	const char text[] = "\xF0\xA0\x80\x80 \xEF\xBD\x81 a";
	akb_search_add_text(sb, 0, AKB_FIELD_BODY, text, sizeof text - 1);
	struct akb_output out;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &d);
	struct akb_search_stats st;
	akb_search_write(sb, &out, &st, &d);
	akb_output_commit(&out, &d);
	S_shard_path(site.ptr, 0, &path);
	char *t0 = S_slurp(path.ptr);
	const char *a = strstr(t0, "\"terms\":\"a\\n");
	const char *fw = strstr(t0, "\xEF\xBD\x81");
	const char *ext = strstr(t0, "\xF0\xA0\x80\x80");
	CHECK(a && fw && ext && fw > ext);
	free(t0);
	akb_output_release(&out);
	akb_diag_release(&d);
	akb_search_builder_free(sb);
	akb_remove_tree(dir);
	akb_buf_release(&path);
	akb_buf_release(&site);
}

/* The reference: both strings as UTF-16 code units, compared unit by unit. */
static size_t S_utf16_units(const char *s, uint16_t *out)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp = akb_utf8_next(s, len, &i);
		if (cp >= 0x10000) {
			out[n++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
			out[n++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
		} else {
			out[n++] = (uint16_t)cp;
		}
	}
	return n;
}

static int S_sign(int v)
{
	return (v > 0) - (v < 0);
}

TEST(utf8_strings_compare_in_utf16_order)
{
	/* Code points from each UTF-8 length and both sides of the surrogate and private-use ranges. */
	static const uint32_t pool[] = { 'a', 'b', 0x7F, 0x80, 0x7FF, 0x800, 0x4E2D, 0xD7FF, 0xE000, 0xEFFF,
					 0xF000, 0xFF41, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x20000, 0x10FFFF };
	const size_t npool = sizeof pool / sizeof pool[0];
	uint64_t seed = 12345;
	int agree = 0, tries = 20000;
	for (int t = 0; t < tries; t++) {
		struct akb_buf x = AKB_BUF_INIT, y = AKB_BUF_INIT;
		for (int side = 0; side < 2; side++) {
			struct akb_buf *b = side ? &y : &x;
			seed = seed * 6364136223846793005u + 1442695040888963407u;
			size_t n = (size_t)(seed >> 60) % 5;
			for (size_t i = 0; i < n; i++) {
				seed = seed * 6364136223846793005u + 1442695040888963407u;
				akb_utf8_put(b, pool[(seed >> 33) % npool]);
			}
			/* Half the pairs share a prefix, so that they differ inside a code point or at its end. */
			if (!side && (seed >> 20) & 1) {
				akb_buf_puts(&y, x.ptr);
			}
		}
		uint16_t ux[16], uy[16];
		size_t nx = S_utf16_units(x.ptr, ux), ny = S_utf16_units(y.ptr, uy), i = 0;
		while (i < nx && i < ny && ux[i] == uy[i])
			i++;
		int want = i < nx && i < ny ? (ux[i] < uy[i] ? -1 : 1) : (i < nx) - (i < ny);
		agree += S_sign(akb_utf8_cmp_utf16(x.ptr, y.ptr)) == want;
		akb_buf_release(&x);
		akb_buf_release(&y);
	}
	INT_EQ(agree, tries);
	CHECK(akb_utf8_cmp_utf16("\xF0\xA0\x80\x80", "\xEF\xBD\x81") < 0);
	CHECK(akb_utf8_cmp_utf16("\xEF\xBD\x81", "\xF0\xA0\x80\x80") > 0);
	CHECK(akb_utf8_cmp_utf16("ab", "abc") < 0);
	CHECK(akb_utf8_cmp_utf16("", "") == 0);
	CHECK(akb_utf8_cmp_utf16("\xE4\xB8\xAD", "\xE4\xB8\xAD") == 0);
}

TEST(search_big_terms_get_solo_shards)
{
	/*
	 * "common" is in 5,000 documents: its postings (a byte a document, ids
	 * being dense) pass 4 KB, so it gets a shard of its own, and base.js
	 * marks that shard solo. Small terms share shards.
	 */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf site = AKB_BUF_INIT, path = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", dir);
	size_t n = 5000;
	struct akb_search_builder *sb = akb_search_builder_new(n);
	for (size_t d = 0; d < n; d++) {
		const char *text = d == 0 ? "alpha common" : d == 1 ? "beta common" : d == 2 ? "zulu common" : "common";
		akb_search_add_text(sb, d, AKB_FIELD_BODY, text, strlen(text));
		char name[32], url[48];
		snprintf(name, sizeof name, "d%zu", d);
		snprintf(url, sizeof url, "agents/d%zu/", d);
		akb_search_set_display(sb, d, name, url, "", "", "", "", "");
	}
	struct akb_search_stats st;
	S_write_index(sb, site.ptr, &st);
	INT_EQ(st.shards, 3);
	akb_buf_printf(&path, "%s/search/base.js", site.ptr);
	char *base = S_slurp(path.ptr);
	CHECK(base && strstr(base, "\"shards\":\"\\ncommon\\nzulu\",\"solo\":\"011\"") != NULL);
	/* The head stays small however many documents there are. */
	CHECK(base && strlen(base) < 600);
	akb_buf_clear(&path);
	S_shard_path(site.ptr, 1, &path);
	char *t1 = S_slurp(path.ptr);
	CHECK(t1 && strstr(t1, "\"terms\":\"common\",") != NULL);
	/*
	 * ... with the display rows of its 10 best documents: one token long
	 * (docs 3 on) beats two (docs 0-2), then lower ids first.
	 */
	CHECK(t1 && strstr(t1, "\"rows\":[\n[3,\"d3\",\"agents/d3/\",") != NULL);
	CHECK(t1 && strstr(t1, "\n[12,\"d12\",") != NULL && strstr(t1, "\n[13,") == NULL);
	CHECK(t1 && strstr(t1, "\n[0,") == NULL);
	/* Shards of several terms have no rows. */
	akb_buf_clear(&path);
	S_shard_path(site.ptr, 0, &path);
	char *t0 = S_slurp(path.ptr);
	CHECK(t0 && strstr(t0, "\"terms\":\"alpha\\nbeta\",") != NULL && strstr(t0, "rows") == NULL);
	free(t0);
	free(base);
	free(t1);
	akb_search_builder_free(sb);
	akb_remove_tree(dir);
	akb_buf_release(&path);
	akb_buf_release(&site);
}

/* How S_build_varied gives the builder its documents. */
enum varied_docs {
	VARIED_TEXT,    /* akb_search_add_text on the builder */
	VARIED_DECODED, /* tokenized apart, added by encoding with the decoded document */
	VARIED_HELD,    /* added by encoding alone: held, decoded when written */
	VARIED_HELD_AT  /* held by where a store has the encoding, read back when written */
};

/* A store of encodings for akb_search_hold_at; `damage` spoils one read (1: other bytes, 2: the read itself). */
struct doc_store {
	struct akb_buf bytes;
	uint64_t damaged_at;
	int damage;
	size_t reads;
};

static int S_store_read(void *ctx, uint64_t at, char *to, size_t len)
{
	struct doc_store *st = ctx;
	__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED); /* read on the decoding threads */
	if (at > st->bytes.len || len > st->bytes.len - at)
		return -1;
	/* Damaged: the document before it, which decodes as well (the test's are all one length). */
	uint64_t from = at == st->damaged_at && st->damage == 1 && at >= len ? at - len : at;
	memcpy(to, st->bytes.ptr + from, len);
	return at == st->damaged_at && st->damage == 2 ? -1 : 0;
}

/*
 * Builds an index of `n` documents of varied words on `jobs` threads into
 * DIR/NAME; returns the builder's digest of its inputs.
 */
static uint64_t S_build_varied(const char *dir, const char *name, size_t n, unsigned jobs, enum varied_docs how)
{
	static const char *const words[] = { "deploy", "review", "schema", "cache", "audit", "index", "replica",
					     "secret", "metric", "queue", "shard", "trace", "部署", "审查" };
	size_t nwords = sizeof words / sizeof words[0];
	struct akb_search_builder *sb = akb_search_builder_new(n);
	akb_search_set_jobs(sb, jobs);
	struct akb_buf text = AKB_BUF_INIT, site = AKB_BUF_INIT, enc = AKB_BUF_INIT;
	struct doc_store store = { AKB_BUF_INIT, UINT64_MAX, 0, 0 };
	if (how == VARIED_HELD_AT)
		akb_search_set_doc_reader(sb, S_store_read, &store);
	for (size_t d = 0; d < n; d++) {
		akb_buf_clear(&text);
		/* Each document its own mix and counts, and a word of its own, so shards and impacts vary. */
		for (size_t w = 0; w < 1 + d % 7; w++)
			akb_buf_printf(&text, "%s %s w%zu ", words[(d * 7 + w * 3) % nwords], words[(d + w) % nwords], d % 97);
		akb_buf_printf(&text, "only%zu", d);
		if (how == VARIED_TEXT) {
			akb_search_add_text(sb, d, AKB_FIELD_NAME, words[d % nwords], strlen(words[d % nwords]));
			akb_search_add_text(sb, d, AKB_FIELD_BODY, text.ptr, text.len);
		} else {
			struct akb_search_doc *doc = akb_search_doc_new();
			akb_search_doc_text(doc, AKB_FIELD_NAME, words[d % nwords], strlen(words[d % nwords]));
			akb_search_doc_text(doc, AKB_FIELD_BODY, text.ptr, text.len);
			akb_buf_clear(&enc);
			akb_search_doc_encode(doc, &enc);
			CHECK(akb_search_doc_valid(enc.ptr, enc.len));
			if (how == VARIED_HELD_AT) {
				akb_search_hold_at(sb, d, enc.ptr, enc.len, store.bytes.len);
				akb_buf_put(&store.bytes, enc.ptr, enc.len);
			} else {
				akb_search_add_encoded(sb, d, enc.ptr, enc.len, how == VARIED_DECODED ? doc : NULL);
			}
			akb_search_doc_free(doc);
		}
		char url[48];
		snprintf(url, sizeof url, "agents/d%zu/", d);
		akb_search_set_display(sb, d, words[d % nwords], url, "", "", "", "", "");
	}
	uint64_t digest = akb_search_inputs_digest(sb);
	akb_buf_printf(&site, "%s/%s", dir, name);
	struct akb_search_stats st;
	size_t messages = S_write_index(sb, site.ptr, &st);
	CHECK(st.shards > 4);
	INT_EQ(messages, 0);
	/* It says what it wrote: base.js, facets.js, every display chunk and term shard. */
	const char *files = akb_search_files(sb);
	size_t listed = 0;
	for (const char *f = files; *f; f = strchr(f, '\n') + 1)
		listed++;
	INT_EQ(listed, 2 + (n + 15) / 16 + st.shards);
	CHECK(strstr(files, "search/base.js\n") && strstr(files, "search/d0.js\n"));
	if (how == VARIED_HELD_AT) /* each document read back once, none kept */
		INT_EQ(store.reads, n);
	akb_search_builder_free(sb);
	akb_buf_release(&store.bytes);
	akb_buf_release(&text);
	akb_buf_release(&enc);
	akb_buf_release(&site);
	return digest;
}

/* Are DIR/A/search and DIR/B/search the same files? Returns how many A has (0 when they differ). */
static size_t S_same_search(const char *dir, const char *a_name, const char *b_name)
{
	struct akb_buf list = AKB_BUF_INIT, a = AKB_BUF_INIT, b = AKB_BUF_INIT;
	akb_buf_printf(&list, "%s/%s/search", dir, a_name);
	DIR *dp = opendir(list.ptr);
	size_t files = 0;
	int same = dp != NULL;
	for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		akb_buf_clear(&a);
		akb_buf_clear(&b);
		akb_buf_printf(&a, "%s/%s/search/%s", dir, a_name, e->d_name);
		akb_buf_printf(&b, "%s/%s/search/%s", dir, b_name, e->d_name);
		char *x = S_slurp(a.ptr), *y = S_slurp(b.ptr);
		same &= x && y && strcmp(x, y) == 0;
		free(x);
		free(y);
		files++;
	}
	if (dp)
		closedir(dp);
	akb_buf_release(&list);
	akb_buf_release(&a);
	akb_buf_release(&b);
	return same ? files : 0;
}

TEST(search_index_is_the_same_on_any_number_of_threads)
{
	/* Terms are published and shards written on several threads (akb_search_set_jobs): same bytes. */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	S_build_varied(dir, "one", 4000, 1, VARIED_TEXT);
	S_build_varied(dir, "four", 4000, 4, VARIED_TEXT);
	CHECK(S_same_search(dir, "one", "four") > 10);
	akb_remove_tree(dir);
}

TEST(search_index_from_encoded_documents_is_the_same)
{
	/* Documents by their encoding, added at once or held and decoded in batches at the end: the index
	 * the texts give; and the same inputs give the same digest, whichever way they came. */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	uint64_t text = S_build_varied(dir, "text", 1000, 2, VARIED_TEXT);
	uint64_t decoded = S_build_varied(dir, "decoded", 1000, 2, VARIED_DECODED);
	uint64_t held = S_build_varied(dir, "held", 1000, 2, VARIED_HELD);
	uint64_t held_at = S_build_varied(dir, "held-at", 1000, 2, VARIED_HELD_AT);
	uint64_t held_at_serial = S_build_varied(dir, "held-at-1", 1000, 1, VARIED_HELD_AT);
	CHECK(S_same_search(dir, "text", "decoded") > 10);
	CHECK(S_same_search(dir, "text", "held") > 10);
	CHECK(S_same_search(dir, "text", "held-at") > 10);
	CHECK(S_same_search(dir, "text", "held-at-1") > 10);
	CHECK(held_at == held && held_at_serial == held);
	CHECK(text == 0); /* text given straight to the builder has no encoding to digest */
	CHECK(decoded != 0);
	CHECK(decoded == held);
	akb_remove_tree(dir);
}

TEST(search_document_read_back_wrong_fails_the_index)
{
	/* A document held by reference that comes back other than it went in, or not at all, is not indexed:
	 * the index fails with a message rather than being written without it. */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	for (int damage = 0; damage <= 2; damage++) {
		struct doc_store store = { AKB_BUF_INIT, UINT64_MAX, damage, 0 };
		struct akb_search_builder *sb = akb_search_builder_new(40);
		akb_search_set_jobs(sb, 2);
		akb_search_set_doc_reader(sb, S_store_read, &store);
		for (size_t d = 0; d < 40; d++) {
			struct akb_search_doc *doc = akb_search_doc_new();
			char body[64];
			snprintf(body, sizeof body, "deploy cache word%02zu", d);
			akb_search_doc_text(doc, AKB_FIELD_BODY, body, strlen(body));
			struct akb_buf enc = AKB_BUF_INIT;
			akb_search_doc_encode(doc, &enc);
			if (d == 17)
				store.damaged_at = store.bytes.len;
			akb_search_hold_at(sb, d, enc.ptr, enc.len, store.bytes.len);
			akb_buf_put(&store.bytes, enc.ptr, enc.len);
			akb_buf_release(&enc);
			akb_search_doc_free(doc);
			akb_search_set_display(sb, d, "a", "agents/a/", "", "", "", "", "");
		}
		struct akb_buf site = AKB_BUF_INIT;
		akb_buf_printf(&site, "%s/site%d", dir, damage);
		struct akb_output out;
		struct akb_diag diag;
		struct akb_search_stats st;
		akb_diag_init(&diag, NULL);
		CHECK(akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &diag) == 0);
		int rc = akb_search_write(sb, &out, &st, &diag);
		if (damage) {
			CHECK(rc == -1);
			CHECK(diag.len == 1 && strstr(diag.items[0].message, "cannot be read back or does not decode"));
			akb_output_abort(&out);
		} else {
			CHECK(rc == 0 && diag.len == 0);
			CHECK(akb_output_commit(&out, &diag) == 0);
		}
		akb_output_release(&out);
		akb_diag_release(&diag);
		akb_buf_release(&site);
		akb_search_builder_free(sb);
		akb_buf_release(&store.bytes);
	}
	akb_remove_tree(dir);
}

/* Document d's body in edition `ed` of a collection: a few documents differ in each edition. */
static void S_edition_text(size_t d, int ed, struct akb_buf *text)
{
	static const char *const words[] = { "deploy", "review", "schema", "cache", "audit", "index", "replica",
					     "secret", "metric", "queue", "shard", "trace", "部署", "审查" };
	size_t nwords = sizeof words / sizeof words[0];
	akb_buf_clear(text);
	int changed = ed == 1 && (d == 0 || d == 7 || d == 150 || d == 299);
	for (size_t w = 0; w < 1 + (d + (changed ? 3 : 0)) % 7; w++)
		akb_buf_printf(text, "%s %s w%zu ", words[(d * 7 + w * 3 + (changed ? 5 : 0)) % nwords],
			       words[(d + w) % nwords], d % 97);
	/* Edition 0's document 7 alone has "gone7"; edition 1's changed ones have words of their own. */
	if (ed == 0 && d == 7)
		akb_buf_puts(text, "gone7 ");
	if (changed)
		akb_buf_printf(text, "fresh%zu fresh ", d);
	akb_buf_printf(text, "only%zu", d);
}

/*
 * Builds edition `ed` of 300 documents into DIR/NAME: by text, or held by
 * reference, then with a snapshot written to `snap_to` and/or patched from
 * `patch_from`. Returns whether it patched; *messages counts what it said.
 */
static int S_build_edition(const char *dir, const char *name, int ed, int by_text, FILE *snap_to,
			   const char *patch_from, size_t *messages)
{
	size_t n = 300;
	struct akb_search_builder *sb = akb_search_builder_new(n);
	akb_search_set_jobs(sb, 2);
	struct doc_store store = { AKB_BUF_INIT, UINT64_MAX, 0, 0 };
	akb_search_set_doc_reader(sb, S_store_read, &store);
	akb_search_snapshot_to(sb, snap_to);
	akb_search_patch_from(sb, patch_from);
	struct akb_buf text = AKB_BUF_INIT, enc = AKB_BUF_INIT, site = AKB_BUF_INIT;
	for (size_t d = 0; d < n; d++) {
		S_edition_text(d, ed, &text);
		const char *title = d % 2 ? "Queue Keeper" : "Cache Warden";
		if (by_text) {
			akb_search_add_text(sb, d, AKB_FIELD_NAME, title, strlen(title));
			akb_search_add_text(sb, d, AKB_FIELD_BODY, text.ptr, text.len);
		} else {
			struct akb_search_doc *doc = akb_search_doc_new();
			akb_search_doc_text(doc, AKB_FIELD_NAME, title, strlen(title));
			akb_search_doc_text(doc, AKB_FIELD_BODY, text.ptr, text.len);
			akb_buf_clear(&enc);
			akb_search_doc_encode(doc, &enc);
			akb_search_hold_at(sb, d, enc.ptr, enc.len, store.bytes.len);
			akb_buf_put(&store.bytes, enc.ptr, enc.len);
			akb_search_doc_free(doc);
		}
		char url[48];
		snprintf(url, sizeof url, "agents/d%zu/", d);
		akb_search_set_display(sb, d, title, url, "", "", "", "", "");
	}
	struct akb_output out;
	struct akb_diag diag;
	struct akb_search_stats st;
	akb_diag_init(&diag, NULL);
	akb_buf_printf(&site, "%s/%s", dir, name);
	CHECK(akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &diag) == 0);
	CHECK(akb_search_write(sb, &out, &st, &diag) == 0);
	CHECK(akb_output_commit(&out, &diag) == 0);
	*messages = diag.len;
	int patched = akb_search_patched(sb);
	akb_output_release(&out);
	akb_diag_release(&diag);
	akb_search_builder_free(sb);
	akb_buf_release(&store.bytes);
	akb_buf_release(&text);
	akb_buf_release(&enc);
	akb_buf_release(&site);
	return patched;
}

TEST(search_index_patched_from_a_snapshot_is_the_one_made_anew)
{
	/* Edition 0 writes a snapshot; edition 1 (four documents changed, a word gone, new words) patches
	 * it, and its index is the one every document gives. */
	char dir[] = "/tmp/akb-search-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf snap = AKB_BUF_INIT;
	akb_buf_printf(&snap, "%s/site.index", dir);
	size_t messages = 0;
	FILE *f = fopen(snap.ptr, "wb");
	CHECK(f != NULL);
	CHECK(S_build_edition(dir, "ed0", 0, 0, f, NULL, &messages) == 0);
	CHECK(f && fclose(f) == 0);
	CHECK(S_build_edition(dir, "ed1-text", 1, 1, NULL, NULL, &messages) == 0);
	CHECK(S_build_edition(dir, "ed1-patched", 1, 0, NULL, snap.ptr, &messages) == 1);
	INT_EQ(messages, 0);
	CHECK(S_same_search(dir, "ed1-text", "ed1-patched") > 4);
	/* Patching nothing changed gives the same index again. */
	CHECK(S_build_edition(dir, "ed0-patched", 0, 0, NULL, snap.ptr, &messages) == 1);
	CHECK(S_build_edition(dir, "ed0-text", 0, 1, NULL, NULL, &messages) == 0);
	CHECK(S_same_search(dir, "ed0-text", "ed0-patched") > 4);
	/* The patched build's own snapshot is as good: edition 0 again from it. */
	struct akb_buf snap1 = AKB_BUF_INIT;
	akb_buf_printf(&snap1, "%s/site1.index", dir);
	f = fopen(snap1.ptr, "wb");
	CHECK(S_build_edition(dir, "ed1-patched-again", 1, 0, f, snap.ptr, &messages) == 1);
	CHECK(f && fclose(f) == 0);
	CHECK(S_build_edition(dir, "ed0-from-1", 0, 0, NULL, snap1.ptr, &messages) == 1);
	CHECK(S_same_search(dir, "ed0-text", "ed0-from-1") > 4);
	/* A damaged snapshot: warned about, not used, and the index is right all the same. */
	f = fopen(snap.ptr, "r+b");
	CHECK(f && fseek(f, 2000, SEEK_SET) == 0 && fputc('X', f) != EOF && fclose(f) == 0);
	CHECK(S_build_edition(dir, "ed1-damaged", 1, 0, NULL, snap.ptr, &messages) == 0);
	INT_EQ(messages, 1);
	CHECK(S_same_search(dir, "ed1-text", "ed1-damaged") > 4);
	/* None at all: nothing to say. */
	CHECK(S_build_edition(dir, "ed1-none", 1, 0, NULL, "/nonexistent/site.index", &messages) == 0);
	INT_EQ(messages, 0);
	/* A right beginning and then anything (sizes that run past the end, huge counts): warned, not used. */
	for (unsigned seed = 1; seed <= 40; seed++) {
		FILE *in = fopen(snap1.ptr, "rb"), *out = fopen(snap.ptr, "wb");
		CHECK(in && out);
		size_t keep = 40 + seed * 13 % 600; /* the magic and counts, maybe some documents */
		for (size_t i = 0; in && out && i < keep; i++) {
			int c = fgetc(in);
			fputc(c == EOF ? 0 : c, out);
		}
		srand(seed);
		for (int i = 0; out && i < 3000 + (int)seed * 50; i++)
			fputc(rand() % 7 == 0 ? 0xFF : rand() & 0xFF, out);
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		CHECK(S_build_edition(dir, "ed1-garbage", 1, 0, NULL, snap.ptr, &messages) == 0);
		CHECK(messages <= 1);
	}
	CHECK(S_same_search(dir, "ed1-text", "ed1-garbage") > 4);
	akb_buf_release(&snap);
	akb_buf_release(&snap1);
	akb_remove_tree(dir);
}

/* The inputs digest of a two-document builder; `variant` changes one input. */
static uint64_t S_small_digest(int variant)
{
	struct akb_search_builder *sb = akb_search_builder_new(2);
	char group[] = "k8s\nkubernetes";
	char *const groups[] = { group, NULL };
	akb_search_set_synonyms(sb, 1, variant == 1 ? NULL : groups);
	size_t facet = akb_search_add_facet(sb, "department", variant == 2 ? "Team" : "Department");
	for (size_t d = 0; d < 2; d++) {
		struct akb_search_doc *doc = akb_search_doc_new();
		const char *body = variant == 3 && d == 1 ? "deploy the cache" : "deploy the queue";
		akb_search_doc_text(doc, AKB_FIELD_BODY, body, strlen(body));
		struct akb_buf enc = AKB_BUF_INIT;
		akb_search_doc_encode(doc, &enc);
		akb_search_add_encoded(sb, d, enc.ptr, enc.len, NULL);
		akb_buf_release(&enc);
		akb_search_doc_free(doc);
		akb_search_add_facet_value(sb, facet, d, variant == 4 && d == 0 ? "data" : "engineering");
		akb_search_set_display(sb, d, "agent", variant == 5 && d == 1 ? "agents/b/" : "agents/a/", "", "",
				       "", "excerpt", "");
		akb_search_set_install(sb, d, variant == 6 ? ".github/agents/a.md" : NULL, "a.md", NULL);
	}
	if (variant == 7)
		akb_search_add_text(sb, 1, AKB_FIELD_BODY, "more", 4);
	uint64_t digest = akb_search_inputs_digest(sb);
	akb_search_builder_free(sb);
	return digest;
}

TEST(search_inputs_digest_follows_every_input)
{
	uint64_t base = S_small_digest(0);
	CHECK(base != 0);
	CHECK(S_small_digest(0) == base);
	for (int v = 1; v <= 6; v++)
		CHECK(S_small_digest(v) != base && S_small_digest(v) != 0);
	CHECK(S_small_digest(7) == 0);
	CHECK(!akb_search_doc_valid("\x01\x02", 2));
	CHECK(!akb_search_doc_valid("", 0));
}
