/*
 * plugin: links agents to the Claude Code plugin or marketplace that holds
 * them (see plugin.h), so a plugin page can list its components.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/format.h"
#include "agentkb/plugin.h"

void akb_plugin_root(const struct akb_agent *m, struct akb_buf *out)
{
	/* ".../<root>/.claude-plugin/plugin.json": two segments up. */
	const char *end = strrchr(m->rel, '/');
	while (end && end > m->rel && end[-1] != '/')
		end--;
	if (end && end > m->rel)
		akb_buf_put(out, m->rel, (size_t)(end - m->rel - 1));
}

/* Is `rel` inside the folder `root` (""; every path)? */
static int S_inside(const char *rel, const char *root, size_t n)
{
	return n == 0 || (!strncmp(rel, root, n) && rel[n] == '/');
}

void akb_plugin_link(struct akb_site *site)
{
	struct akb_buf root = AKB_BUF_INIT;
	size_t *depth = akb_xcalloc(site->nagents + 1, sizeof(size_t));
	for (size_t p = 0; p < site->nagents; p++) {
		if (site->agents[p].format != AKB_FORMAT_PLUGIN)
			continue;
		akb_buf_clear(&root);
		akb_plugin_root(&site->agents[p], &root);
		for (size_t i = 0; i < site->nagents; i++) {
			struct akb_agent *a = &site->agents[i];
			enum akb_format f = a->format;
			if (f != AKB_FORMAT_SUBAGENT && f != AKB_FORMAT_SKILL && f != AKB_FORMAT_COMMAND)
				continue;
			if (!S_inside(a->rel, root.ptr, root.len))
				continue;
			if (a->plugin == SIZE_MAX || root.len + 1 > depth[i]) {
				a->plugin = p;
				depth[i] = root.len + 1;
			}
		}
	}
	free(depth);
	akb_buf_release(&root);
}

size_t akb_marketplace_plugin(const struct akb_site *site, const struct akb_agent *m, const struct akb_value *entry)
{
	const char *source = akb_map_get_cstr(entry, "source");
	if (!source || !*source || strstr(source, "://") || *source == '/')
		return SIZE_MAX;
	struct akb_buf want = AKB_BUF_INIT, root = AKB_BUF_INIT;
	akb_plugin_root(m, &want);
	const char *prefix = akb_map_get_cstr(akb_map_get(&m->fm.fields, "metadata"), "pluginRoot");
	if (prefix && strncmp(source, "./", 2)) {
		if (want.len)
			akb_buf_putc(&want, '/');
		while (!strncmp(prefix, "./", 2))
			prefix += 2;
		akb_buf_puts(&want, prefix);
	}
	while (!strncmp(source, "./", 2))
		source += 2;
	if (*source) {
		if (want.len && want.ptr[want.len - 1] != '/')
			akb_buf_putc(&want, '/');
		akb_buf_puts(&want, source);
	}
	while (want.len && want.ptr[want.len - 1] == '/')
		akb_buf_truncate(&want, want.len - 1);
	size_t found = SIZE_MAX;
	for (size_t p = 0; p < site->nagents && found == SIZE_MAX; p++) {
		if (site->agents[p].format != AKB_FORMAT_PLUGIN)
			continue;
		akb_buf_clear(&root);
		akb_plugin_root(&site->agents[p], &root);
		if (root.len == want.len && (!want.len || !memcmp(root.ptr, want.ptr, want.len)))
			found = p;
	}
	akb_buf_release(&want);
	akb_buf_release(&root);
	return found;
}
