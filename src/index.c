/*
 * index: stage index, agents.json (see index.h).
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/index.h"
#include "agentkb/json.h"
#include "agentkb/render.h"

void akb_index_agents_json(const struct akb_site *site, struct akb_buf *out)
{
	struct akb_buf url = AKB_BUF_INIT;
	akb_buf_puts(out, "[");
	for (size_t k = 0; k < site->norder; k++) {
		const struct akb_agent *a = &site->agents[site->order[k]];
		akb_buf_puts(out, k ? ",\n  {" : "\n  {");
		akb_buf_puts(out, "\"name\": ");
		akb_json_cstr(out, a->name);
		akb_buf_puts(out, ", \"slug\": ");
		akb_json_cstr(out, a->slug);
		akb_buf_clear(&url);
		akb_agent_url(a, &url);
		akb_buf_puts(out, ", \"url\": ");
		akb_json_cstr(out, url.ptr);
		akb_buf_clear(&url);
		akb_agent_raw_url(a, &url);
		akb_buf_puts(out, ", \"raw_url\": ");
		akb_json_cstr(out, url.ptr);
		akb_buf_puts(out, ", \"source\": ");
		akb_json_cstr(out, a->rel);
		/* Its format (format.h) and where its harness reads it. */
		akb_buf_puts(out, ", \"kind\": ");
		akb_json_cstr(out, akb_format_key(a->format));
		akb_buf_clear(&url);
		if (akb_format_install_path(a->format, a->slug, &url) == 0) {
			akb_buf_puts(out, ", \"install_path\": ");
			akb_json_cstr(out, url.ptr);
		}
		if (a->nfiles) {
			akb_buf_clear(&url);
			akb_agent_archive_url(a, &url);
			akb_buf_puts(out, ", \"archive_url\": ");
			akb_json_cstr(out, url.ptr);
			akb_buf_puts(out, ", \"files\": [");
			for (size_t i = 0; i < a->nfiles; i++) {
				akb_buf_puts(out, i ? ", " : "");
				akb_json_cstr(out, a->files[i].path);
			}
			akb_buf_puts(out, "]");
		}
		akb_buf_puts(out, ", \"summary\": ");
		akb_json_cstr(out, a->summary);
		akb_buf_puts(out, ", \"description\": ");
		akb_json_cstr(out, a->description);
		akb_buf_puts(out, ", \"tools\": ");
		akb_json_value(out, &a->tools, -1);
		akb_buf_puts(out, ", \"examples\": ");
		akb_json_value(out, &a->examples, -1);
		/* What it may do (capability.h): effective tools, MCP servers, sub-agents, access, size. */
		struct akb_capabilities caps;
		akb_capabilities_of(a, &caps);
		akb_buf_printf(out, ", \"capabilities\": {\"inherits_all_tools\": %s, \"tools\": ", caps.inherits_all ? "true" : "false");
		akb_json_value(out, &caps.tools, -1);
		akb_buf_puts(out, ", \"disallowed\": ");
		akb_json_value(out, &caps.denied, -1);
		akb_buf_puts(out, ", \"mcp\": ");
		akb_json_value(out, &caps.mcp, -1);
		akb_buf_puts(out, ", \"agents\": ");
		akb_json_value(out, &caps.agents, -1);
		akb_buf_puts(out, ", \"access\": [");
		unsigned bits = akb_access_of(&caps);
		for (int i = 0, n = 0; i < AKB_ACCESS_COUNT; i++)
			if (bits & (1u << i)) {
				if (n++)
					akb_buf_putc(out, ',');
				akb_json_cstr(out, akb_access_name(i));
			}
		akb_buf_printf(out, "], \"tokens\": %zu}", a->tokens);
		akb_capabilities_release(&caps);
		/* Every front-matter key, known or not, with recovered values as read. */
		akb_buf_puts(out, ", \"fields\": ");
		akb_json_value(out, &a->fm.fields, -1);
		akb_buf_puts(out, "}");
	}
	akb_buf_puts(out, site->norder ? "\n]\n" : "]\n");
	akb_buf_release(&url);
}

int akb_index_write(const struct akb_site *site, struct akb_output *out, struct akb_diag *diag)
{
	struct akb_buf json = AKB_BUF_INIT;
	akb_index_agents_json(site, &json);
	int rc = akb_output_write(out, "agents.json", json.ptr, json.len, diag);
	akb_buf_release(&json);
	return rc;
}
