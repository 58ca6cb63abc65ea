/*
 * llms: llms.txt, the catalogue as Markdown for readers that fetch text
 * (see llms.h).
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/llms.h"
#include "agentkb/render.h"
#include "agentkb/url.h"

/* Appends `s` on one line: every run of whitespace (newlines included) becomes one space. */
static void S_put_line(struct akb_buf *out, const char *s)
{
	int space = 0;
	size_t start = out->len;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = 1;
			continue;
		}
		if (space && out->len > start)
			akb_buf_putc(out, ' ');
		space = 0;
		akb_buf_putc(out, *s);
	}
}

/* Link text: one line, with the characters that would end or nest the link escaped. */
static void S_put_link_text(struct akb_buf *out, const char *s)
{
	struct akb_buf line = AKB_BUF_INIT;
	S_put_line(&line, s);
	for (size_t i = 0; i < line.len; i++) {
		if (line.ptr[i] == '[' || line.ptr[i] == ']' || line.ptr[i] == '\\')
			akb_buf_putc(out, '\\');
		akb_buf_putc(out, line.ptr[i]);
	}
	akb_buf_release(&line);
}

/* A link to site file `rel`: relative to llms.txt (at the root), or absolute under the base URL. */
static void S_put_url(struct akb_buf *out, const struct akb_config *cfg, const char *rel)
{
	akb_buf_puts(out, cfg->base_url);
	akb_url_put_path(out, rel, strlen(rel));
}

/* Sections follow the home page: department terms in order, agents without one last. */
struct entry {
	size_t dept; /* term index, SIZE_MAX for none */
	size_t rank; /* position in name order */
	size_t agent;
};

static int S_by_section(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	if (a->dept != b->dept)
		return a->dept < b->dept ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

void akb_llms_text(const struct akb_site *site, const struct akb_config *cfg, struct akb_buf *out)
{
	const struct akb_taxonomy *dept = akb_site_taxonomy(site, "department");
	akb_buf_puts(out, "# ");
	S_put_line(out, cfg->title);
	akb_buf_puts(out, "\n\n> ");
	if (*cfg->description)
		S_put_line(out, cfg->description);
	else
		akb_buf_printf(out, "%zu AI agent%s, one Markdown file each.", site->norder, site->norder == 1 ? "" : "s");
	akb_buf_printf(out, "\n\n%zu agent%s. Each link is an agent's file as written: YAML front-matter (name,"
			    " description, tools, model, ...) followed by its instructions in Markdown. The same"
			    " catalogue with every field is in [agents.json](",
		       site->norder, site->norder == 1 ? "" : "s");
	S_put_url(out, cfg, "agents.json");
	akb_buf_puts(out, ").\n");

	size_t n = site->norder;
	struct entry *entries = akb_xcalloc(n + 1, sizeof(*entries));
	for (size_t k = 0; k < n; k++) {
		size_t idx = site->order[k];
		entries[k] = (struct entry){ dept ? dept->agent_term[idx] : SIZE_MAX, k, idx };
	}
	qsort(entries, n, sizeof(*entries), S_by_section);
	struct akb_buf rel = AKB_BUF_INIT;
	for (size_t k = 0; k < n; k++) {
		const struct entry *e = &entries[k];
		if (k == 0 || e->dept != entries[k - 1].dept) {
			akb_buf_puts(out, "\n## ");
			if (dept && e->dept != SIZE_MAX)
				S_put_line(out, dept->terms[e->dept].name);
			else /* "Other" beside departments, as on the home page; "Agents" when no agent has one */
				akb_buf_puts(out, k == 0 ? "Agents" : "Other");
			akb_buf_puts(out, "\n\n");
		}
		const struct akb_agent *a = &site->agents[e->agent];
		akb_buf_puts(out, "- [");
		S_put_link_text(out, a->name);
		akb_buf_puts(out, "](");
		akb_buf_clear(&rel);
		akb_agent_raw_url(a, &rel);
		S_put_url(out, cfg, rel.ptr);
		akb_buf_puts(out, ")");
		if (*a->summary) {
			akb_buf_puts(out, ": ");
			S_put_line(out, a->summary);
		}
		akb_buf_putc(out, '\n');
	}
	akb_buf_release(&rel);
	free(entries);
}

int akb_llms_write(const struct akb_site *site, const struct akb_config *cfg, struct akb_output *out,
		   struct akb_diag *diag)
{
	struct akb_buf text = AKB_BUF_INIT;
	akb_llms_text(site, cfg, &text);
	int rc = akb_output_write(out, "llms.txt", text.ptr, text.len, diag);
	akb_buf_release(&text);
	return rc;
}
