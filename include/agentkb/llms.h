/*
 * llms: llms.txt at the site root (https://llmstxt.org), the catalogue as
 * Markdown for people and AI agents that fetch text: "# title", "> summary",
 * a short note, then one "## department" section per department (as on the
 * home page) with one line per agent,
 *
 *     - [Name](agents/<slug>/<slug>.md): summary
 *
 * linking the agent's raw file. Links are relative to llms.txt, or absolute
 * when the site has a base URL. Paths are percent-encoded (CJK slugs).
 */
#ifndef AKB_LLMS_H
#define AKB_LLMS_H

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/site.h"

/* Appends llms.txt for `site` to `out`. */
void akb_llms_text(const struct akb_site *site, const struct akb_config *cfg, struct akb_buf *out);

/* Writes llms.txt into the site. Returns 0, or -1 (reported). */
int akb_llms_write(const struct akb_site *site, const struct akb_config *cfg, struct akb_output *out,
		   struct akb_diag *diag);

#endif
