/*
 * build: runs the pipeline walk -> load -> hooks -> render -> index -> write
 * for one site and writes the build report. Every input file ends up in the
 * site or in the report with the reason it is not.
 */
#ifndef AKB_BUILD_H
#define AKB_BUILD_H

#include <stddef.h>

#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/report.h"

struct akb_build_options {
	const char *argv0;       /* to find themes shipped beside the program */
	const char *report_path; /* write the JSON build report here; NULL for none */
	int quiet;               /* no summary line */
	int stats;               /* print throughput and peak memory */
	enum akb_cache_mode cache; /* incremental when it can (output.h) */
};

/*
 * Walks cfg->content and loads every agent file into `site` (no hooks):
 * `inputs` lists the files, *agent_of (allocated) maps each to its agent
 * index or SIZE_MAX. Counts inputs, skipped files and bytes into `res`.
 * Returns 0, or -1 when the content folder cannot be walked (reported).
 */
struct akb_input_list;
struct akb_site;
int akb_build_load(const struct akb_config *cfg, struct akb_input_list *inputs, struct akb_site *site,
		   size_t **agent_of, struct akb_build_result *res, struct akb_diag *diag);

/* Returns 0 when the site was written, -1 when the build failed (OUT untouched). */
int akb_build(const struct akb_config *cfg, const struct akb_build_options *opts, struct akb_build_result *result,
	      struct akb_diag *diag);

#endif
