/* Unit tests for fence info strings and code-block HTML (without a highlighter). */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/codeblock.h"
#include "harness.h"

static char *S_marks(const char *info, int *linenos, char **title)
{
	struct akb_fence_info fi;
	akb_fence_info_parse(info, &fi);
	struct akb_buf b = AKB_BUF_INIT;
	for (size_t i = 0; i < fi.nmarked; i++)
		akb_buf_printf(&b, "%s%u", i ? "," : "", fi.marked[i]);
	*linenos = fi.linenos;
	*title = fi.title ? akb_xstrdup(fi.title) : NULL;
	akb_fence_info_release(&fi);
	return akb_buf_detach(&b, NULL);
}

#define FENCE(info, want_marks, want_linenos, want_title)          \
	do {                                                         \
		int ln_;                                             \
		char *t_, *m_ = S_marks(info, &ln_, &t_);            \
		STR_EQ(m_, want_marks);                              \
		INT_EQ(ln_, want_linenos);                           \
		STR_EQ(t_, want_title);                              \
		free(m_);                                            \
		free(t_);                                            \
	} while (0)

TEST(fence_info_forms)
{
	FENCE("python", "", -1, NULL);
	FENCE("python {2,4-6}", "2,4,5,6", -1, NULL);
	FENCE("python{3}", "3", -1, NULL);
	FENCE("go showLineNumbers", "", 1, NULL);
	FENCE("go linenos", "", 1, NULL);
	FENCE("go {linenos=true,hl_lines=[2,\"4-5\"]}", "2,4,5", 1, NULL);
	FENCE("go {linenos=false, hl_lines=1}", "1", 0, NULL);
	FENCE("sh title=\"install.sh\" {1}", "1", -1, "install.sh");
	FENCE("js {5,1-2,2}", "1,2,5", -1, NULL);
	FENCE("[language]", "", -1, NULL);
	FENCE("c {1-99999999999}", "", -1, NULL);
}

static char *S_render(const char *info, const char *code, int linenos)
{
	struct akb_codeblock_options o = { NULL, linenos, NULL };
	struct akb_code_block b = { 0 };
	b.info = info;
	b.lang = info;
	b.lang_len = strcspn(info, " {");
	b.code = code;
	b.code_len = strlen(code);
	b.path = "x.md";
	b.line = 1;
	struct akb_buf out = AKB_BUF_INIT;
	akb_codeblock_render(&o, &b, &out, NULL);
	return akb_buf_detach(&out, NULL);
}

TEST(codeblock_plain_html)
{
	char *h = S_render("[language]", "a < b\n", 0);
	CHECK(strstr(h, "<span class=\"code-lang\">[language]</span>") != NULL);
	CHECK(strstr(h, "<code class=\"hl\">a &lt; b\n</code>") != NULL);
	free(h);
	h = S_render("text {2} linenos", "one\ntwo\n", 0);
	CHECK(strstr(h, "<span class=\"line\"><span class=\"lin\" aria-hidden=\"true\">1</span>one</span>\n"
			"<span class=\"line hll\"><span class=\"lin\" aria-hidden=\"true\">2</span>two</span>\n"
			"</code>") != NULL);
	free(h);
	/* linenos from config; a blank line still gets its number. */
	h = S_render("", "x\n\ny\n", 1);
	CHECK(strstr(h, "<span class=\"line\"><span class=\"lin\" aria-hidden=\"true\">2</span></span>\n") != NULL);
	CHECK(strstr(h, ">3</span>y</span>\n</code>") != NULL);
	free(h);
}
