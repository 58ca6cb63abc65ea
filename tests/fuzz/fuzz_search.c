/*
 * fuzz_search: the search tokenizer and index writer (src/index). Each part
 * of the input (FZ_SEP-separated, up to 8) is one document: its first line
 * the name, the second the summary and department, the rest the body, with
 * fenced code going to the code field and its language to the language
 * field, half the documents tokenized apart (akb_search_doc) as a parallel
 * build does, some of those added by their encoding, as a rebuild does. The
 * input is also read as an encoded document. The index is written into a temporary folder and thrown away.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/search.h"
#include "agentkb/utf8.h"
#include "fuzz.h"

#define MAX_DOCS 8

/* Tokens are never empty and never longer than 32 code points of at most 4 bytes. */
static void S_token(void *ctx, const char *token, size_t len)
{
	size_t *count = ctx;
	if (len == 0 || len > 32 * 4)
		abort();
	(*count)++;
}

/* Cuts the next line off *p (n bytes left). */
static struct fz_part S_line(struct fz_part *rest)
{
	struct fz_part line = *rest;
	const char *nl = memchr(rest->p, '\n', rest->len);
	if (nl) {
		line.len = (size_t)(nl - rest->p);
		rest->len -= line.len + 1;
		rest->p = nl + 1;
	} else {
		rest->p += rest->len;
		rest->len = 0;
	}
	return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t count = 0;
	akb_tokenize((const char *)data, size, S_token, &count);
	/* Any bytes as a document's encoding (the page cache's): checking and decoding agree. */
	struct akb_search_doc *raw = akb_search_doc_decode((const char *)data, size);
	if ((raw != NULL) != akb_search_doc_valid((const char *)data, size))
		abort();
	akb_search_doc_free(raw);

	struct fz_part parts[MAX_DOCS];
	size_t n = fz_split(data, size, parts, MAX_DOCS);
	struct akb_search_builder *sb = akb_search_builder_new(n);
	size_t dept = akb_search_add_facet(sb, "department", "Department");
	size_t tools = akb_search_add_facet(sb, "tools", "Tools");
	struct akb_search_doc *d = akb_search_doc_new();
	for (size_t i = 0; i < n; i++) {
		struct fz_part rest = parts[i];
		struct fz_part name = S_line(&rest), summary = S_line(&rest);
		char *name_s = fz_cstr(name.p, name.len), *summary_s = fz_cstr(summary.p, summary.len);
		char *body = fz_cstr(rest.p, rest.len);
		if (i & 1) {
			akb_search_doc_text(d, AKB_FIELD_NAME, name.p, name.len);
			akb_search_doc_text(d, AKB_FIELD_SUMMARY, summary.p, summary.len);
			akb_search_doc_text(d, AKB_FIELD_BODY, rest.p, rest.len);
			akb_search_doc_code_lang(d, summary.p, summary.len < 12 ? summary.len : 12);
			if (i & 2) {
				/* By its encoding, held until the index is written, as a rebuild does. */
				struct akb_buf enc = AKB_BUF_INIT;
				akb_search_doc_encode(d, &enc);
				if (!akb_search_doc_valid(enc.ptr, enc.len))
					abort();
				akb_search_add_encoded(sb, i, enc.ptr, enc.len, NULL);
				akb_buf_release(&enc);
				akb_search_doc_free(d);
				d = akb_search_doc_new();
			} else {
				akb_search_add_doc(sb, i, d);
			}
		} else {
			akb_search_add_text(sb, i, AKB_FIELD_NAME, name.p, name.len);
			akb_search_add_text(sb, i, AKB_FIELD_SUMMARY, summary.p, summary.len);
			/* Fenced code in the body is code, its info string the block's language. */
			const char *fence = strstr(body, "```");
			size_t prose = fence ? (size_t)(fence - body) : rest.len;
			akb_search_add_text(sb, i, AKB_FIELD_BODY, body, prose);
			if (fence) {
				struct fz_part code = { fence + 3, rest.len - prose - 3 };
				struct fz_part lang = S_line(&code);
				akb_search_add_code_lang(sb, i, lang.p, lang.len);
				akb_search_add_text(sb, i, AKB_FIELD_CODE, code.p, code.len);
			}
			akb_search_add_text(sb, i, AKB_FIELD_HEADINGS, name.p, name.len);
		}
		akb_search_add_facet_value(sb, dept, i, summary_s);
		akb_search_add_facet_value(sb, tools, i, name_s);
		akb_search_add_facet_value(sb, tools, i, "Read");
		akb_search_set_display(sb, i, name_s, "agents/x/index.html", summary_s, NULL, "opus", body, "");
		akb_search_set_install(sb, i, i & 2 ? name_s : NULL, "x.md", i & 4 ? summary_s : NULL);
		free(name_s);
		free(summary_s);
		free(body);
	}
	akb_search_doc_free(d);
	/* A synonym group from the first line: its words, one per line. */
	struct fz_part first = parts[0];
	struct fz_part line = S_line(&first);
	char *group = fz_cstr(line.p, line.len);
	for (char *s = group; *s; s++)
		if (*s == ' ')
			*s = '\n';
	char *groups[] = { group, NULL };
	akb_search_set_synonyms(sb, 1, groups);
	free(group);

	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	struct akb_buf site = AKB_BUF_INIT;
	akb_buf_printf(&site, "%s/site", fz_dir());
	struct akb_output out;
	if (akb_output_begin(&out, site.ptr, NULL, AKB_CACHE_OFF, &diag) == 0) {
		struct akb_search_stats st;
		akb_search_write(sb, &out, &st, &diag);
		akb_output_abort(&out);
		akb_output_release(&out);
	}
	akb_buf_release(&site);
	akb_diag_release(&diag);
	akb_search_builder_free(sb);
	return 0;
}
