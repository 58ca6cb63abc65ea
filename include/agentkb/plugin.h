/*
 * plugin: Claude Code plugins and marketplaces as the site links them. A
 * plugin is the folder above its `.claude-plugin/plugin.json`: the agents,
 * slash commands and skills in it are its components (their pages say so,
 * and they lose what a plugin's agents may not have: capability.h). A
 * marketplace (`.claude-plugin/marketplace.json`) lists plugins by source
 * folder; those in the collection are linked to their pages.
 */
#ifndef AKB_PLUGIN_H
#define AKB_PLUGIN_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/site.h"

/* Sets every agent's `plugin`: the innermost plugin whose folder holds it, or SIZE_MAX. */
void akb_plugin_link(struct akb_site *site);

/* Appends a manifest's plugin (or marketplace) folder, relative to CONTENT ("" at the top). */
void akb_plugin_root(const struct akb_agent *manifest, struct akb_buf *out);

/*
 * The plugin of the collection a marketplace entry ({name, source, ...})
 * points to by its relative source, or SIZE_MAX (another repository, or not
 * here).
 */
size_t akb_marketplace_plugin(const struct akb_site *site, const struct akb_agent *marketplace,
			      const struct akb_value *entry);

#endif
