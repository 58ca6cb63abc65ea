/* Unit tests for the load, slug, markdown and JSON stages. */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/agent.h"
#include "agentkb/load.h"
#include "agentkb/buf.h"
#include "agentkb/json.h"
#include "agentkb/markdown.h"
#include "agentkb/slug.h"
#include "agentkb/utf8.h"
#include "harness.h"

static char *S_slug(const char *s)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_slugify(&b, s, strlen(s));
	return akb_buf_detach(&b, NULL);
}

#define SLUG_EQ(in, want)                  \
	do {                               \
		char *got_slug = S_slug(in); \
		STR_EQ(got_slug, want);    \
		free(got_slug);            \
	} while (0)

TEST(slug_rules)
{
	SLUG_EQ("LSP/Index Engineer", "lsp-index-engineer");
	SLUG_EQ("../../etc/passwd", "etc-passwd");
	SLUG_EQ("后端架构师", "后端架构师");
	SLUG_EQ("1. 架构分析和设计", "1-架构分析和设计");
	SLUG_EQ("🎨 UI Designer", "ui-designer");
	SLUG_EQ("Don't Panic!", "dont-panic");
	SLUG_EQ("Ünïcode Café", "ünïcode-café");
	SLUG_EQ("...", "");
	SLUG_EQ("a\\b", "a-b");
}

TEST(slug_is_bounded)
{
	char long_name[1000];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = '\0';
	char *s = S_slug(long_name);
	CHECK(strlen(s) <= 80);
	free(s);
	/* A cut never splits a multi-byte character. */
	struct akb_buf cjk = AKB_BUF_INIT;
	for (int i = 0; i < 100; i++)
		akb_buf_puts(&cjk, "缓");
	s = S_slug(cjk.ptr);
	CHECK(akb_utf8_valid(s, strlen(s)));
	CHECK(strlen(s) <= 80 && strlen(s) % 3 == 0);
	free(s);
	akb_buf_release(&cjk);
}

TEST(slugset_makes_unique)
{
	struct akb_slugset *set = akb_slugset_new();
	int renamed;
	STR_EQ(akb_slugset_claim(set, "x", &renamed), "x");
	INT_EQ(renamed, 0);
	STR_EQ(akb_slugset_claim(set, "x", &renamed), "x-2");
	INT_EQ(renamed, 1);
	STR_EQ(akb_slugset_claim(set, "x-3", &renamed), "x-3");
	STR_EQ(akb_slugset_claim(set, "x", &renamed), "x-4");
	STR_EQ(akb_slugset_claim(set, "", &renamed), "item");
	for (int i = 0; i < 5000; i++)
		akb_slugset_claim(set, "many", &renamed);
	CHECK(akb_slugset_has(set, "many-5000"));
	akb_slugset_free(set);
}

/* Each base remembers where its suffixes stopped; names that look like suffixes still count. */
TEST(slugset_counts_per_base)
{
	struct akb_slugset *set = akb_slugset_new();
	int renamed;
	STR_EQ(akb_slugset_claim(set, "y-2", &renamed), "y-2");
	STR_EQ(akb_slugset_claim(set, "y", &renamed), "y");
	STR_EQ(akb_slugset_claim(set, "y", &renamed), "y-3");
	STR_EQ(akb_slugset_claim(set, "y-4", &renamed), "y-4");
	INT_EQ(renamed, 0);
	STR_EQ(akb_slugset_claim(set, "y", &renamed), "y-5");
	STR_EQ(akb_slugset_claim(set, "y-2", &renamed), "y-2-2");
	INT_EQ(renamed, 1);
	for (int i = 0; i < 100000; i++)
		akb_slugset_claim(set, "h", &renamed);
	CHECK(akb_slugset_has(set, "h-100000"));
	CHECK(!akb_slugset_has(set, "h-100001"));
	akb_slugset_free(set);
}

TEST(description_examples_split)
{
	char *summary;
	struct akb_value ex = AKB_VALUE_NULL;
	akb_description_split("Use this agent for APIs. Examples: <example>Context: new endpoint user: \"Review it\" "
			      "assistant: \"I'll review it.\" <commentary>Reviews matter.</commentary></example>",
			      &summary, &ex);
	STR_EQ(summary, "Use this agent for APIs.");
	INT_EQ(ex.u.list.len, 1);
	const struct akb_value *e = &ex.u.list.items[0];
	STR_EQ(akb_map_get_cstr(e, "context"), "new endpoint");
	STR_EQ(akb_map_get_cstr(e, "commentary"), "Reviews matter.");
	const struct akb_value *turns = akb_map_get(e, "turns");
	INT_EQ(turns->u.list.len, 2);
	STR_EQ(akb_map_get_cstr(&turns->u.list.items[0], "role"), "user");
	STR_EQ(akb_map_get_cstr(&turns->u.list.items[0], "text"), "Review it");
	STR_EQ(akb_map_get_cstr(&turns->u.list.items[1], "text"), "I'll review it.");
	free(summary);
	akb_value_release(&ex);

	akb_description_split("Plain description, no examples.", &summary, &ex);
	STR_EQ(summary, "Plain description, no examples.");
	INT_EQ(ex.u.list.len, 0);
	free(summary);
	akb_value_release(&ex);

	/* An unclosed example still yields its text; CJK before "Examples:" is cut cleanly. */
	akb_description_split("当用户讨论缓存时使用。Examples: <example>user: 你好", &summary, &ex);
	STR_EQ(summary, "当用户讨论缓存时使用。");
	INT_EQ(ex.u.list.len, 1);
	free(summary);
	akb_value_release(&ex);
}

TEST(agent_load_normalizes)
{
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	struct akb_agent a;
	const char text[] = "\xEF\xBB\xBF---\r\nname: x\r\ndescription: \"a\\\\nb\"\r\ntools: Read, , Write\r\n"
			    "model: 4\r\n---\r\n# T\r\n";
	akb_agent_load_text(&a, "p.md", "p.md", text, sizeof text - 1, &d);
	STR_EQ(a.name, "x");
	STR_EQ(a.description, "a\nb");
	INT_EQ(a.tools.u.list.len, 2);
	STR_EQ(a.tools.u.list.items[1].u.str.ptr, "Write");
	STR_EQ(akb_agent_field(&a, "model"), "4");
	INT_EQ(a.body_line, 7);
	STR_EQ(a.body, "# T\n");
	size_t raw_len;
	const char *raw = akb_agent_raw(&a, &raw_len);
	CHECK(raw_len == sizeof text - 1 && memcmp(raw, text, raw_len) == 0);
	INT_EQ(d.warnings, 0);
	akb_agent_release(&a);
	akb_diag_release(&d);
}

/* A spilled agent (agent.h) gives the same text, bytes and body when read again, and none once its file changed. */
TEST(agent_text_spilled_and_read_again)
{
	char dir[] = "/tmp/akb-spill-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf plain = AKB_BUF_INIT, crlf = AKB_BUF_INIT;
	akb_buf_printf(&plain, "%s/plain.md", dir);
	akb_buf_printf(&crlf, "%s/crlf.md", dir);
	const char t1[] = "---\nname: plain\ndescription: d\n---\n# Plain\n\nBody 一 two.\n";
	const char t2[] = "\xEF\xBB\xBF---\r\nname: crlf\r\n---\r\nBody 一 two.\r\nlone\rcr\n";
	akb_test_put_file(plain.ptr, t1, sizeof t1 - 1);
	akb_test_put_file(crlf.ptr, t2, sizeof t2 - 1);
	char rel1[] = "plain.md", rel2[] = "crlf.md";
	struct akb_input in1 = { plain.ptr, rel1, NULL, 0, 0 }, in2 = { crlf.ptr, rel2, NULL, 0, 0 };
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	struct akb_agent a, b;
	const char *why = NULL;
	INT_EQ(akb_agent_load(&a, &in1, NULL, &why, &d), 0);
	INT_EQ(akb_agent_load(&b, &in2, NULL, &why, &d), 0);
	struct akb_agent *agents[] = { &a, &b };
	for (int i = 0; i < 2; i++) {
		struct akb_agent *ag = agents[i];
		struct akb_agent_text before, after;
		INT_EQ(akb_agent_text_open(ag, &before), 0);
		char *text = akb_xstrndup(before.text, before.text_len), *raw = akb_xstrndup(before.raw, before.raw_len);
		char *body = akb_xstrndup(before.body, before.body_len);
		size_t text_len = before.text_len, raw_len = before.raw_len, body_len = before.body_len;
		akb_agent_text_close(&before);
		akb_agent_spill_text(ag);
		CHECK(ag->spilled && ag->text == NULL && ag->raw == NULL);
		INT_EQ(akb_agent_text_open(ag, &after), 0);
		CHECK(after.text_len == text_len && memcmp(after.text, text, text_len) == 0);
		CHECK(after.raw_len == raw_len && memcmp(after.raw, raw, raw_len) == 0);
		CHECK(after.body_len == body_len && memcmp(after.body, body, body_len) == 0);
		CHECK(after.text[after.text_len] == '\0'); /* callers search it as a C string */
		akb_agent_text_close(&after);
		free(text);
		free(raw);
		free(body);
	}
	/* The CRLF file's text is normalized again, its bytes are the file's. */
	struct akb_agent_text v;
	INT_EQ(akb_agent_text_open(&b, &v), 0);
	STR_EQ(v.body, "Body 一 two.\nlone\ncr\n");
	CHECK(v.raw_len == sizeof t2 - 1 && memcmp(v.raw, t2, v.raw_len) == 0);
	akb_agent_text_close(&v);
	/* Same bodies, told apart from different ones without holding either text. */
	CHECK(akb_agent_same_body(&a, &a));
	CHECK(!akb_agent_same_body(&a, &b));

	/* One byte changed, same length: not the file that was loaded. */
	char changed[sizeof t1];
	memcpy(changed, t1, sizeof t1);
	changed[sizeof t1 - 3] = 'X';
	akb_test_put_file(plain.ptr, changed, sizeof t1 - 1);
	CHECK(akb_agent_text_open(&a, &v) == -1);
	STR_EQ(v.text, "");
	INT_EQ(v.body_len, 0);
	akb_agent_text_close(&v);
	/* A hook's body is the body, whatever became of the file. */
	a.body_text = akb_xstrdup("hook body");
	a.body = a.body_text;
	a.body_len = 9;
	akb_agent_text_open(&a, &v);
	STR_EQ(v.body, "hook body");
	akb_agent_text_close(&v);
	/* Gone. */
	unlink(crlf.ptr);
	CHECK(akb_agent_text_open(&b, &v) == -1);
	akb_agent_text_close(&v);

	unlink(plain.ptr);
	rmdir(dir);
	akb_agent_release(&a);
	akb_agent_release(&b);
	akb_diag_release(&d);
	akb_buf_release(&plain);
	akb_buf_release(&crlf);
}

TEST(agent_name_fallbacks)
{
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	struct akb_agent a;
	const char t1[] = "```\n# not a heading\n```\n## Real Title ##\n";
	akb_agent_load_text(&a, "dir/file.md", "dir/file.md", t1, sizeof t1 - 1, &d);
	STR_EQ(a.name, "Real Title");
	INT_EQ(a.name_source, AKB_NAME_HEADING);
	akb_agent_release(&a);
	const char t2[] = "just text\n";
	akb_agent_load_text(&a, "dir/file.md", "dir/file.md", t2, sizeof t2 - 1, &d);
	STR_EQ(a.name, "file");
	STR_EQ(a.summary, "just text");
	akb_agent_release(&a);
	INT_EQ(d.warnings, 2);
	akb_diag_release(&d);
}

static enum akb_link_action S_test_links(void *ctx, const char *url, struct akb_buf *out)
{
	(void)ctx;
	if (!strcmp(url, "other.md")) {
		akb_buf_puts(out, "../other/index.html");
		return AKB_LINK_REWRITE;
	}
	return strcmp(url, "missing.png") == 0 ? AKB_LINK_BROKEN : AKB_LINK_KEEP;
}

TEST(markdown_ids_html_and_links)
{
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	struct akb_markdown_options o = { 0 };
	o.path = "a.md";
	o.first_line = 10;
	o.link = S_test_links;
	const char md[] = "# Title\n\n## 缓存 策略\n\n## Title\n\n<div>raw</div>\n\nx <b>y</b> [o](other.md) "
			  "![alt *text*](missing.png) [w](https://example.com)\n\n```python {2}\nprint(1)\n```\n";
	struct akb_markdown_doc doc;
	akb_markdown_render(md, sizeof md - 1, &o, &doc, &d);
	INT_EQ(doc.nheadings, 3);
	STR_EQ(doc.headings[1].id, "缓存-策略");
	STR_EQ(doc.headings[2].id, "title-2");
	CHECK(strstr(doc.html.ptr, "<h2 id=\"缓存-策略\">") != NULL);
	CHECK(strstr(doc.html.ptr, "&lt;div&gt;raw&lt;/div&gt;") != NULL);
	CHECK(strstr(doc.html.ptr, "&lt;b&gt;y&lt;/b&gt;") != NULL);
	CHECK(strstr(doc.html.ptr, "<div>") == NULL);
	CHECK(strstr(doc.html.ptr, "href=\"../other/index.html\"") != NULL);
	CHECK(strstr(doc.html.ptr, "missing.png") == NULL);
	CHECK(strstr(doc.html.ptr, "alt <em>text</em>") != NULL);
	CHECK(strstr(doc.html.ptr, "href=\"https://example.com\"") != NULL);
	CHECK(strstr(doc.html.ptr, "class=\"language-python\"") != NULL);
	INT_EQ(doc.code_blocks, 1);
	INT_EQ(d.warnings, 1);
	STR_EQ(d.items[0].message, "image 'missing.png' points at nothing in the site; shown as text");
	INT_EQ(d.items[0].line, 18);
	akb_markdown_doc_release(&doc);
	akb_diag_release(&d);
}

TEST(json_escapes)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_json_cstr(&b, "a\"b\\c\n\x01</script>");
	STR_EQ(b.ptr, "\"a\\\"b\\\\c\\n\\u0001<\\/script>\"");
	akb_buf_release(&b);
}
