/*
 * fuzz_markdown: an agent's body through the markdown renderer
 * (src/markdown.c) with everything a build turns on: fenced code blocks
 * through the code-block renderer and the highlighter (src/highlight), a
 * link resolver that keeps, rewrites or breaks links, <example> blocks and
 * the text collected for search. After a FZ_SEP byte, "LANG\nCODE" goes to
 * the highlighter directly, so code reaches every language definition
 * without a fence around it.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/codeblock.h"
#include "agentkb/diag.h"
#include "agentkb/highlight.h"
#include "agentkb/markdown.h"
#include "fuzz.h"

/* Made once: definitions load lazily and are shared, as in a build. */
static struct akb_highlighter *S_hl;

static void S_free_hl(void)
{
	akb_highlighter_free(S_hl);
	S_hl = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	S_hl = akb_highlighter_new(NULL, &diag); /* NULL without Debian's highlight: plain code blocks */
	akb_diag_release(&diag);
	atexit(S_free_hl);
	return 0;
}

/* Relative links: ".md" ones are rewritten, "missing" ones broken, the rest kept. */
static enum akb_link_action S_link(void *ctx, const char *url, struct akb_buf *out)
{
	if (strstr(url, "missing"))
		return AKB_LINK_BROKEN;
	size_t n = strlen(url);
	if (n > 3 && !strcmp(url + n - 3, ".md")) {
		akb_buf_put(out, url, n - 3);
		akb_buf_puts(out, "/");
		return AKB_LINK_REWRITE;
	}
	return AKB_LINK_KEEP;
}

/* Examples render as their escaped text, as a theme might. */
static void S_example(void *ctx, const char *text, size_t len, struct akb_buf *out, struct akb_diag *diag)
{
	akb_buf_puts(out, "<div class=\"example\">");
	akb_buf_put_html(out, text, len);
	akb_buf_puts(out, "</div>");
}

static void S_token(void *ctx, int cls, const char *text, size_t len)
{
	size_t *total = ctx;
	*total += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_part parts[2];
	size_t n = fz_split(data, size, parts, 2);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);

	char *md = fz_cstr(parts[0].p, parts[0].len);
	struct akb_codeblock_options cb = { S_hl, parts[0].len & 1, NULL };
	struct akb_markdown_options opts = { S_link, NULL, akb_codeblock_render, &cb, S_example, NULL, "x.md", 3, 1 };
	struct akb_markdown_doc doc;
	memset(&doc, 0, sizeof doc);
	akb_markdown_render(md, parts[0].len, &opts, &doc, &diag);
	akb_markdown_doc_release(&doc);
	free(akb_markdown_to_html(md, parts[0].len));
	free(md);

	if (n == 2 && S_hl) {
		const char *code = memchr(parts[1].p, '\n', parts[1].len);
		size_t lang_len = code ? (size_t)(code - parts[1].p) : parts[1].len;
		code = code ? code + 1 : parts[1].p + parts[1].len;
		const char *def = akb_highlighter_resolve(S_hl, parts[1].p, lang_len);
		if (def) {
			size_t code_len = parts[1].len - (size_t)(code - parts[1].p), total = 0;
			struct akb_buf err = AKB_BUF_INIT;
			/* Every byte comes back as tokens, unless a limit stopped the call. */
			if (akb_highlight(S_hl, def, code, code_len, S_token, &total, &err) == 0 && total != code_len)
				abort();
			akb_buf_release(&err);
		}
	}
	akb_diag_release(&diag);
	return 0;
}
