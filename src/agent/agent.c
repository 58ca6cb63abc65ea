/*
 * agent: what every stage asks of a loaded agent (see agent.h): its fields
 * and their positions, its raw bytes, its addresses in the site and its
 * taxonomy terms. Loading itself is the load stage (load.c).
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/agent.h"
#include "agentkb/buf.h"
#include "agentkb/format.h"

void akb_agent_release(struct akb_agent *a)
{
	AKB_FREE_ALL(a->path, a->rel, a->raw, a->text, a->body_text, a->name, a->slug, a->description, a->summary,
		     a->dropped_by, a->collection);
	akb_frontmatter_release(&a->fm);
	akb_value_release(&a->examples);
	akb_value_release(&a->tools);
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i].path);
	free(a->files);
	akb_agent_forget_mentions(a);
	memset(a, 0, sizeof(*a));
}

void akb_agent_forget_mentions(struct akb_agent *a)
{
	for (size_t i = 0; i < a->nmentions; i++)
		free(a->mentions[i].name);
	free(a->mentions);
	a->mentions = NULL;
	a->nmentions = 0;
}

void akb_agent_drop_text(struct akb_agent *a)
{
	AKB_FREE_ALL(a->raw, a->text, a->body_text);
	a->raw = a->text = a->body_text = NULL;
	a->raw_len = a->text_len = 0;
	a->body = "";
	a->body_len = 0;
}

void akb_agent_spill_text(struct akb_agent *a)
{
	if (!a->text || a->spilled)
		return;
	a->raw_differs = a->raw != NULL;
	AKB_FREE_ALL(a->raw, a->text);
	a->raw = a->text = NULL;
	a->spilled = 1;
	/* Readers go through a view (load.h); a body left pointing into freed text would be a bug to catch. */
	if (!a->body_text)
		a->body = NULL;
}

const char *akb_agent_field(const struct akb_agent *a, const char *key)
{
	return akb_map_get_cstr(&a->fm.fields, key);
}

void akb_agent_key_pos(const struct akb_agent *a, const char *key, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	const struct akb_value *m = &a->fm.fields;
	for (size_t i = 0; m->kind == AKB_MAP && i < m->u.map.len; i++) {
		if (strcmp(m->u.map.items[i].key, key) == 0) {
			*line = m->u.map.items[i].line;
			*col = m->u.map.items[i].col;
			return;
		}
	}
}

const char *akb_agent_raw(const struct akb_agent *a, size_t *len)
{
	*len = a->raw_len;
	return a->raw ? a->raw : a->text;
}

void akb_agent_url(const struct akb_agent *a, struct akb_buf *out)
{
	akb_buf_puts(out, "agents/");
	akb_buf_puts(out, a->slug);
	akb_buf_puts(out, "/index.html");
}

void akb_agent_raw_url(const struct akb_agent *a, struct akb_buf *out)
{
	akb_buf_puts(out, "agents/");
	akb_buf_puts(out, a->slug);
	akb_buf_putc(out, '/');
	akb_format_raw_name(a->format, a->slug, out);
}

void akb_agent_archive_url(const struct akb_agent *a, struct akb_buf *out)
{
	akb_buf_printf(out, "agents/%s/%s.tar.gz", a->slug, a->slug);
}
