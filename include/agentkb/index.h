/*
 * index: the machine-readable side of the site. agents.json lists every
 * agent with every front-matter field, its slug, URL, source path and
 * summary. (The search index joins it here.)
 */
#ifndef AKB_INDEX_H
#define AKB_INDEX_H

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/site.h"

/* Appends agents.json for `site` to `out`. */
void akb_index_agents_json(const struct akb_site *site, struct akb_buf *out);

/* Writes every index file into the site. Returns 0, or -1 (reported). */
int akb_index_write(const struct akb_site *site, struct akb_output *out, struct akb_diag *diag);

#endif
