/*
 * report: what a build tells about itself. The JSON build report
 * (`--report FILE`) lists every input file with its status (rendered,
 * attached, merged, dropped, skipped, failed), the reason, its page and its
 * diagnostics and findings, then the diagnostics that belong to no file, so
 * no input is ever silently lost. The summary line and the --stats line go
 * to the terminal.
 */
#ifndef AKB_REPORT_H
#define AKB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "agentkb/config.h"
#include "agentkb/diag.h"

struct akb_build_result {
	size_t inputs;    /* markdown files found */
	size_t agents;    /* agents rendered */
	size_t skipped;   /* files that are not agents, or could not be read */
	size_t attached;  /* files of skill folders, published with their skill (attach.h) */
	size_t dropped;   /* agents hooks or filters left out */
	size_t merged;    /* identical copies of another agent, shown once */
	size_t pages;     /* HTML pages written */
	size_t input_bytes;  /* bytes of agent files read */
	size_t output_bytes; /* bytes of the site */
	size_t output_files; /* files of the site */
	size_t written_files; /* of which written by this build (the others were unchanged in OUT) */
	int incremental;      /* OUT was updated in place from the cache (output.h) */
	size_t changed_inputs; /* agent files that changed under the build (it failed: build again) */
	size_t loadable;       /* files to load (not skipped by the walk, not a skill's files) */
	size_t cached_loads;   /* of those, agents loaded from the load cache, their files not read (page_cache.h) */
	size_t kept_pages;     /* pages kept as they were, not rendered (page_cache.h) */
	size_t kept_agent_pages; /* agent pages among them */
	size_t search_bytes; /* of which the search index */
	size_t search_terms; /* distinct terms in the search index */
	int search_kept;     /* the last build's search index was kept as it was */
	int search_patched;  /* the search index was made by patching the last build's */
	double elapsed_ms;
	/* Wall time of each stage, for --stats: load (walk, read, parse, lint), site (hooks, slugs, taxonomies), render (with the index's feed), write (index files, assets, commit) */
	double load_ms, site_ms, render_ms, write_ms;
};

struct akb_input_list;
struct akb_lint;
struct akb_site;

/* Everything the report is made from (all borrowed). */
struct akb_report {
	const struct akb_config *cfg;
	const struct akb_lint *lint;           /* findings of `agentkb check`, per agent */
	const struct akb_input_list *inputs;   /* every file the walk found */
	const size_t *agent_of;                /* per input: its agent's index in site, or SIZE_MAX */
	const struct akb_site *site;
	const struct akb_build_result *result;
	int ok;                                /* the site was written */
};

/* Writes the report to `path`. Returns 0, or -1 (reported to `diag`). */
int akb_report_write(const char *path, const struct akb_report *report, struct akb_diag *diag);
/* "built N agents, N pages, N warnings in N ms", or why the build failed. */
void akb_report_summary(FILE *f, const struct akb_config *cfg, const struct akb_build_result *result, int ok,
			const struct akb_diag *diag);
/* Throughput and peak memory (--stats). */
void akb_report_stats(FILE *f, const struct akb_build_result *result);

#endif
