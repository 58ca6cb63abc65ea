/*
 * Unit tests for the page and load caches (page_cache.h) and what they
 * store: varints, search documents as bytes and back (an index made from
 * decoded documents is the index made from the originals), values with
 * their positions, loaded agents, and records that come back as they were
 * put, or not at all when the file is damaged or foreign.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/load.h"
#include "agentkb/output.h"
#include "agentkb/page_cache.h"
#include "agentkb/search.h"
#include "harness.h"

TEST(varints_round_trip_and_refuse_short_input)
{
	const uint64_t values[] = { 0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX, (uint64_t)1 << 56, UINT64_MAX };
	struct akb_buf b = AKB_BUF_INIT;
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		akb_buf_put_varint(&b, values[i]);
	INT_EQ(b.len, 1 + 1 + 1 + 2 + 2 + 2 + 3 + 5 + 9 + 10);
	const char *p = b.ptr, *end = b.ptr + b.len;
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		uint64_t v = 0;
		CHECK(akb_read_varint(&p, end, &v) == 0);
		CHECK(v == values[i]);
	}
	CHECK(p == end);
	uint64_t v;
	p = b.ptr + b.len - 1; /* the last byte of UINT64_MAX alone is fine: 1 */
	CHECK(akb_read_varint(&p, end, &v) == 0 && v == 1);
	const char cut[] = { (char)0x80, (char)0x80 };
	p = cut;
	CHECK(akb_read_varint(&p, cut + 2, &v) == -1); /* ends while more is announced */
	char eleven[11];
	memset(eleven, 0xFF, sizeof eleven);
	p = eleven;
	CHECK(akb_read_varint(&p, eleven + sizeof eleven, &v) == -1); /* more than 64 bits */

	akb_buf_clear(&b);
	akb_buf_put_sized(&b, "hello", 5);
	akb_buf_put_sized(&b, "", 0);
	const char *s;
	size_t len;
	p = b.ptr;
	CHECK(akb_read_sized(&p, b.ptr + b.len, &s, &len) == 0 && len == 5 && !memcmp(s, "hello", 5));
	CHECK(akb_read_sized(&p, b.ptr + b.len, &s, &len) == 0 && len == 0);
	p = b.ptr;
	CHECK(akb_read_sized(&p, b.ptr + 4, &s, &len) == -1); /* the string runs past the end */
	akb_buf_release(&b);
}

static struct akb_search_doc *S_sample_doc(int which)
{
	struct akb_search_doc *d = akb_search_doc_new();
	const char *name = which ? "database reviewer" : "cache expert";
	akb_search_doc_text(d, AKB_FIELD_NAME, name, strlen(name));
	const char *body = which ? "数据库 review review index" : "Redis cache 缓存 cache latency";
	akb_search_doc_text(d, AKB_FIELD_BODY, body, strlen(body));
	akb_search_doc_text(d, AKB_FIELD_SUMMARY, "reviews schemas", 15);
	akb_search_doc_code_lang(d, which ? "sql" : "ts", which ? 3 : 2);
	return d;
}

/* Writes an index of two documents, each original or decoded from its encoding, into DIR/NAME. */
static void S_write_index(const char *dir, const char *name, int decoded)
{
	struct akb_buf site = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/%s", dir, name);
	struct akb_search_builder *sb = akb_search_builder_new(2);
	for (int i = 0; i < 2; i++) {
		struct akb_search_doc *d = S_sample_doc(i);
		if (decoded) {
			struct akb_buf bytes = AKB_BUF_INIT;
			akb_search_doc_encode(d, &bytes);
			akb_search_doc_free(d);
			d = akb_search_doc_decode(bytes.ptr, bytes.len);
			CHECK(d != NULL);
			akb_buf_release(&bytes);
		}
		akb_search_add_doc(sb, (size_t)i, d);
		akb_search_doc_free(d);
		akb_search_set_display(sb, (size_t)i, i ? "b" : "a", i ? "agents/b/index.html" : "agents/a/index.html", NULL,
				       NULL, NULL, "text", "");
	}
	struct akb_output out;
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_search_stats st;
	CHECK(akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &diag) == 0);
	CHECK(akb_search_write(sb, &out, &st, &diag) == 0);
	CHECK(akb_output_commit(&out, &diag) == 0);
	CHECK(st.terms > 10);
	akb_output_release(&out);
	akb_diag_release(&diag);
	akb_search_builder_free(sb);
	akb_buf_release(&site);
}

TEST(search_docs_decode_to_the_same_index)
{
	struct akb_search_doc *d = S_sample_doc(0);
	struct akb_buf once = AKB_BUF_INIT, twice = AKB_BUF_INIT;
	akb_search_doc_encode(d, &once);
	struct akb_search_doc *back = akb_search_doc_decode(once.ptr, once.len);
	CHECK(back != NULL);
	if (back)
		akb_search_doc_encode(back, &twice);
	CHECK(once.len == twice.len && !memcmp(once.ptr, twice.ptr, once.len));
	/* Anything short, long or repeated is not a document. */
	CHECK(akb_search_doc_decode(once.ptr, once.len - 1) == NULL);
	akb_buf_putc(&once, 0);
	CHECK(akb_search_doc_decode(once.ptr, once.len) == NULL);
	CHECK(akb_search_doc_decode("", 0) == NULL);
	/* A field named in a term's mask with a count of 0, or more fields than counts. */
	struct akb_buf dup = AKB_BUF_INIT;
	for (int f = 0; f < AKB_FIELD_COUNT; f++)
		akb_buf_put_varint(&dup, 1);
	akb_buf_put_varint(&dup, 1);
	akb_buf_put_sized(&dup, "term", 4);
	akb_buf_put_varint(&dup, 1u << AKB_FIELD_BODY);
	size_t at = dup.len;
	akb_buf_put_varint(&dup, 1);
	struct akb_search_doc *good = akb_search_doc_decode(dup.ptr, dup.len);
	CHECK(good != NULL);
	akb_search_doc_free(good);
	dup.ptr[at] = 0;
	CHECK(akb_search_doc_decode(dup.ptr, dup.len) == NULL);
	dup.ptr[at] = 1;
	dup.ptr[at - 1] = 0x40 | (1 << AKB_FIELD_BODY); /* a field after the last one (with the "indexed" bit, 8) */
	CHECK(akb_search_doc_decode(dup.ptr, dup.len) == NULL);
	akb_search_doc_free(d);
	akb_search_doc_free(back);
	akb_buf_release(&once);
	akb_buf_release(&twice);
	akb_buf_release(&dup);

	char dir[] = "/tmp/akb-page-cache-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	S_write_index(dir, "original", 0);
	S_write_index(dir, "decoded", 1);
	struct akb_buf cmd = AKB_BUF_INIT;
	akb_buf_printf(&cmd, "diff -r '%s/original' '%s/decoded' >/dev/null && rm -rf '%s'", dir, dir, dir);
	CHECK(system(cmd.ptr) == 0);
	akb_buf_release(&cmd);
}

static uint64_t S_put(struct akb_page_cache *pc, const char *rel, uint64_t key, const char *doc)
{
	struct akb_page_record rec = { 0 };
	akb_diag_init(&rec.messages, NULL);
	akb_diag_add(&rec.messages, AKB_WARNING, "a.md", 5, 3, "link 'x.md' points at nothing");
	akb_diag_add(&rec.messages, AKB_NOTE, NULL, 0, 0, "a note");
	rec.key = key;
	rec.digest = key * 3;
	rec.size = 4096;
	rec.code_blocks = 7;
	rec.heading = "Usage\nExamples\n";
	rec.heading_len = strlen(rec.heading);
	rec.prose = "Some prose";
	rec.prose_len = strlen(rec.prose);
	rec.doc = doc;
	rec.doc_len = strlen(doc);
	uint64_t at = akb_page_cache_put(pc, rel, &rec);
	akb_diag_release(&rec.messages);
	return at;
}

static void S_flip_byte(const char *file, long at)
{
	FILE *f = fopen(file, "r+b");
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, at, at < 0 ? SEEK_END : SEEK_SET);
	int c = fgetc(f);
	fseek(f, at, at < 0 ? SEEK_END : SEEK_SET);
	fputc(c ^ 0x20, f);
	fclose(f);
}

TEST(page_cache_records_come_back_or_not_at_all)
{
	char dir[] = "/tmp/akb-page-cache-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf manifest = AKB_BUF_INIT, pages = AKB_BUF_INIT;
	akb_buf_printf(&manifest, "%s/.agentkb-cache/site.manifest", dir);
	akb_buf_printf(&pages, "%s/.agentkb-cache/site.pages", dir);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_page_cache pc;
	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	INT_EQ(diag.len, 0); /* none yet: no warning */
	S_put(&pc, "agents/a/index.html", 11, "doc-a");
	S_put(&pc, "agents/b/index.html", 22, "doc-b");
	akb_page_cache_finish(&pc, 1, &diag);
	akb_page_cache_release(&pc);
	CHECK(access(pages.ptr, F_OK) == 0);

	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	INT_EQ(diag.len, 0);
	struct akb_page_record rec;
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 22, &rec) == 1);
	CHECK(rec.digest == 66 && rec.size == 4096 && rec.code_blocks == 7);
	CHECK(rec.doc_len == 5 && !memcmp(rec.doc, "doc-b", 5));
	CHECK(rec.heading_len == 15 && !memcmp(rec.heading, "Usage\nExamples\n", 15));
	CHECK(rec.prose_len == 10 && !memcmp(rec.prose, "Some prose", 10));
	INT_EQ(rec.messages.len, 2);
	if (rec.messages.len == 2) {
		STR_EQ(rec.messages.items[0].path, "a.md");
		INT_EQ(rec.messages.items[0].line, 5);
		INT_EQ(rec.messages.items[0].col, 3);
		CHECK(rec.messages.items[0].severity == AKB_WARNING);
		STR_EQ(rec.messages.items[0].message, "link 'x.md' points at nothing");
		CHECK(rec.messages.items[1].path == NULL && rec.messages.items[1].severity == AKB_NOTE);
	}
	akb_page_record_release(&rec);
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 23, &rec) == 0); /* another key */
	CHECK(akb_page_cache_find(&pc, "agents/c/index.html", 22, &rec) == 0); /* another page */
	/* A build that fails keeps the last file as it was. */
	S_put(&pc, "agents/z/index.html", 99, "doc-z");
	akb_page_cache_finish(&pc, 0, &diag);
	akb_page_cache_release(&pc);
	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	CHECK(akb_page_cache_find(&pc, "agents/a/index.html", 11, &rec) == 1);
	akb_page_record_release(&rec);
	CHECK(akb_page_cache_find(&pc, "agents/z/index.html", 99, &rec) == 0);
	akb_page_cache_release(&pc);
	INT_EQ(diag.len, 0);

	/* A damaged record is a page to render; its neighbour is still good. */
	S_flip_byte(pages.ptr, (long)strlen("agentkb-pages 1 ") + 40);
	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	CHECK(akb_page_cache_find(&pc, "agents/a/index.html", 11, &rec) == 0);
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 22, &rec) == 1);
	akb_page_record_release(&rec);
	akb_page_cache_release(&pc);
	INT_EQ(diag.len, 0);

	/* A damaged index or trailer: the whole file is ignored, with a warning. */
	S_flip_byte(pages.ptr, -40);
	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	INT_EQ(diag.len, 1);
	CHECK(diag.len && strstr(diag.items[0].message, "ignoring the page cache") != NULL);
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 22, &rec) == 0);
	akb_page_cache_release(&pc);

	/* Not loaded (a full build): nothing found, no warning, and the file is written afresh. */
	akb_diag_release(&diag);
	akb_diag_init(&diag, NULL);
	akb_page_cache_open(&pc, manifest.ptr, "page", 0, &diag);
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 22, &rec) == 0);
	S_put(&pc, "agents/b/index.html", 22, "doc-b2");
	akb_page_cache_finish(&pc, 1, &diag);
	akb_page_cache_release(&pc);
	akb_page_cache_open(&pc, manifest.ptr, "page", 1, &diag);
	CHECK(akb_page_cache_find(&pc, "agents/b/index.html", 22, &rec) == 1);
	CHECK(rec.doc_len == 6 && !memcmp(rec.doc, "doc-b2", 6));
	akb_page_record_release(&rec);
	akb_page_cache_release(&pc);
	INT_EQ(diag.len, 0);
	akb_diag_release(&diag);

	struct akb_buf cmd = AKB_BUF_INIT;
	akb_buf_printf(&cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd.ptr) == 0);
	akb_buf_release(&cmd);
	akb_buf_release(&manifest);
	akb_buf_release(&pages);
}

TEST(page_cache_gives_back_the_documents_it_was_given)
{
	/* The search index holds a document by where the page cache put it (search.h: akb_search_hold_at). */
	char dir[] = "/tmp/akb-page-cache-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf manifest = AKB_BUF_INIT, big = AKB_BUF_INIT;
	akb_buf_printf(&manifest, "%s/.agentkb-cache/site.manifest", dir);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_page_cache pc;
	akb_page_cache_open(&pc, manifest.ptr, "page", 0, &diag);
	uint64_t a = S_put(&pc, "agents/a/index.html", 11, "doc-a");
	/* Bigger than the stream's buffer: some of it is in the file already, some not. */
	for (int i = 0; i < 300000; i++)
		akb_buf_printf(&big, "%d ", i);
	uint64_t b = S_put(&pc, "agents/b/index.html", 22, big.ptr);
	uint64_t c = S_put(&pc, "agents/c/index.html", 33, "doc-c");
	CHECK(a != UINT64_MAX && b > a && c > b);
	char small[6] = { 0 };
	CHECK(akb_page_cache_read_back(&pc, c, small, 5) == 0 && !strcmp(small, "doc-c"));
	CHECK(akb_page_cache_read_back(&pc, a, small, 5) == 0 && !strcmp(small, "doc-a"));
	char *back = malloc(big.len);
	CHECK(back && akb_page_cache_read_back(&pc, b, back, big.len) == 0 && !memcmp(back, big.ptr, big.len));
	free(back);
	/* Put after a read: still given back. */
	uint64_t d = S_put(&pc, "agents/d/index.html", 44, "doc-d");
	CHECK(akb_page_cache_read_back(&pc, d, small, 5) == 0 && !strcmp(small, "doc-d"));
	/* Past what was put: refused. */
	CHECK(akb_page_cache_read_back(&pc, d, small, 6) == -1);
	CHECK(akb_page_cache_read_back(&pc, UINT64_MAX - 2, small, 5) == -1);
	akb_page_cache_finish(&pc, 1, &diag);
	/* The file is done: nothing to read back, nothing put. */
	CHECK(akb_page_cache_read_back(&pc, a, small, 5) == -1);
	CHECK(S_put(&pc, "agents/e/index.html", 55, "doc-e") == UINT64_MAX);
	akb_page_cache_release(&pc);
	INT_EQ(diag.len, 0);
	akb_diag_release(&diag);
	struct akb_buf cmd = AKB_BUF_INIT;
	akb_buf_printf(&cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd.ptr) == 0);
	akb_buf_release(&cmd);
	akb_buf_release(&manifest);
	akb_buf_release(&big);
}

/* A value's encoding keeps kinds, text, order and every file position; bad bytes decode to nothing. */
TEST(values_encode_with_their_positions)
{
	struct akb_value v = AKB_VALUE_NULL, back = AKB_VALUE_NULL;
	akb_value_set_map(&v);
	v.line = 2;
	v.col = 1;
	struct akb_pair *p = akb_map_put_pair(&v, "tools");
	p->line = 3;
	p->col = 1;
	akb_value_set_list(&p->value);
	p->value.line = 3;
	p->value.col = 8;
	akb_value_set_string(akb_list_push(&p->value), "Read\0x", 6);
	akb_value_set_number(akb_list_push(&p->value), -2.5);
	akb_value_set_bool(akb_list_push(&p->value), 1);
	akb_list_push(&p->value); /* null */
	akb_map_set_cstr(&v, "a custom key", "值");
	struct akb_buf once = AKB_BUF_INIT, twice = AKB_BUF_INIT;
	akb_value_encode(&v, &once);
	const char *at = once.ptr;
	CHECK(akb_value_decode(&at, once.ptr + once.len, &back, 64) == 0);
	CHECK(at == once.ptr + once.len);
	akb_value_encode(&back, &twice);
	CHECK(once.len == twice.len && !memcmp(once.ptr, twice.ptr, once.len));
	const struct akb_value *tools = akb_map_get(&back, "tools");
	CHECK(tools && tools->line == 3 && tools->col == 8 && back.u.map.items[0].line == 3 && back.line == 2);
	CHECK(tools && tools->u.list.len == 4 && tools->u.list.items[0].u.str.len == 6 &&
	      tools->u.list.items[1].u.number == -2.5 && tools->u.list.items[3].kind == AKB_NULL);
	STR_EQ(akb_map_get_cstr(&back, "a custom key"), "值");
	akb_value_release(&back);
	/* Every cut short, and a nesting deeper than allowed, is refused. */
	for (size_t n = 0; n < once.len; n++) {
		at = once.ptr;
		struct akb_value cut = AKB_VALUE_NULL;
		int rc = akb_value_decode(&at, once.ptr + n, &cut, 64);
		CHECK(rc == -1);
		if (rc == 0)
			akb_value_release(&cut);
	}
	at = once.ptr;
	CHECK(akb_value_decode(&at, once.ptr + once.len, &back, 1) == -1);
	akb_value_release(&v);
	akb_buf_release(&once);
	akb_buf_release(&twice);
}

/* An agent from the load cache is the agent loading made: encoded again, the very same bytes. */
TEST(agents_decode_to_what_loading_made)
{
	static const char *const files[][2] = {
		{ "eng/backend.md", "---\nname: backend\ndescription: \"Builds APIs.\\n\\n<example>Context: x\\nuser: \\\"hi\\\"\\n"
				    "assistant: \\\"ok\\\"\\n</example>\"\ntools: Read, Grep\nmodel: opus\n---\n# Backend\n\n中文正文。\n"
				    "Hand off to @agent-code-reviewer, then the `planner` agent.\xe2\x80\x8b\n" },
		{ "x.md", "no front-matter here\r\n# Heading\r\n" },
		{ ".codex/agents/x.toml", "name = \"x\"\ndescription = \"Does things.\"\ndeveloper_instructions = \"\"\"\nReview.\n\"\"\"\n" },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct akb_agent a, back;
		struct akb_diag d;
		akb_diag_init(&d, NULL);
		akb_agent_load_text(&a, files[i][0], files[i][0], files[i][1], strlen(files[i][1]), &d);
		akb_agent_spill_text(&a);
		struct akb_buf once = AKB_BUF_INIT, twice = AKB_BUF_INIT;
		akb_agent_encode(&a, &once);
		struct akb_input in = { (char *)files[i][0], (char *)files[i][0], NULL, 0, 0 };
		CHECK(akb_agent_decode(&back, &in, once.ptr, once.len) == 0);
		akb_agent_encode(&back, &twice);
		CHECK(once.len == twice.len && !memcmp(once.ptr, twice.ptr, once.len));
		STR_EQ(back.name, a.name);
		STR_EQ(back.summary, a.summary);
		CHECK(back.language == a.language); /* the same static string */
		CHECK(back.raw_digest == a.raw_digest && back.body_line == a.body_line && back.spilled);
		CHECK((back.body_text != NULL) == (a.body_text != NULL));
		CHECK(back.duplicate_of == a.duplicate_of && back.plugin == a.plugin);
		CHECK(back.nmentions == a.nmentions && back.nhidden == a.nhidden);
		if (i == 0) { /* what lint and the graph will use instead of reading the body again */
			CHECK(a.nmentions == 2 && a.nhidden == 1);
			if (a.nmentions == 2) {
				STR_EQ(a.mentions[0].name, "code-reviewer");
				CHECK(a.mentions[0].explicit_mention && a.mentions[0].line == 10 && a.mentions[0].col == 14);
				STR_EQ(a.mentions[1].name, "planner");
				CHECK(a.mentions[1].explicit_mention && a.mentions[1].line == 10 && a.mentions[1].col == 45);
			}
			CHECK(a.hidden[0].cp == 0x200B && a.hidden[0].line == 10 && a.hidden[0].col == 60);
		}
		akb_agent_release(&back);
		int cut = akb_agent_decode(&back, &in, once.ptr, once.len - 1);
		CHECK(cut == -1); /* one byte short */
		if (cut == 0)
			akb_agent_release(&back);
		akb_agent_release(&a);
		akb_diag_release(&d);
		akb_buf_release(&once);
		akb_buf_release(&twice);
	}
}
