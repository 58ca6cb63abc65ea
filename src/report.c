/*
 * report: what a build tells about itself (see report.h): the JSON build
 * report, where every input file ends up with its status and diagnostics,
 * the summary line and the --stats line.
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "agentkb/agent.h"
#include "agentkb/json.h"
#include "agentkb/lint.h"
#include "agentkb/report.h"
#include "agentkb/version.h"
#include "agentkb/walk.h"

static int S_diag_by_path(const void *x, const void *y)
{
	const struct akb_diagnostic *a = *(const struct akb_diagnostic *const *)x;
	const struct akb_diagnostic *b = *(const struct akb_diagnostic *const *)y;
	int c = strcmp(a->path ? a->path : "", b->path ? b->path : "");
	if (c)
		return c;
	return a < b ? -1 : a > b;
}

static void S_report_diag(struct akb_buf *out, const struct akb_diagnostic *dg)
{
	static const char *const sev[] = { "note", "warning", "error" };
	akb_buf_puts(out, "{\"severity\": ");
	akb_json_cstr(out, sev[dg->severity]);
	akb_buf_printf(out, ", \"line\": %u, \"col\": %u, \"message\": ", dg->line, dg->col);
	akb_json_cstr(out, dg->message);
	akb_buf_puts(out, "}");
}

/*
 * The report: every input file with its status and diagnostics, then the
 * diagnostics that belong to no input (config, theme, output).
 */
int akb_report_write(const char *path, const struct akb_report *rep, struct akb_diag *diag)
{
	const struct akb_config *cfg = rep->cfg;
	const struct akb_lint *lint = rep->lint;
	const struct akb_input_list *inputs = rep->inputs;
	const size_t *agent_of = rep->agent_of;
	const struct akb_site *site = rep->site;
	const struct akb_build_result *res = rep->result;
	int ok = rep->ok;
	struct akb_buf out = AKB_BUF_INIT, url = AKB_BUF_INIT;
	const struct akb_diagnostic **sorted = akb_xcalloc(diag->len + 1, sizeof(*sorted));
	for (size_t i = 0; i < diag->len; i++)
		sorted[i] = &diag->items[i];
	qsort(sorted, diag->len, sizeof(*sorted), S_diag_by_path);
	char *used = akb_xcalloc(diag->len + 1, 1);

	akb_buf_puts(&out, "{\n  \"agentkb\": \"" AKB_VERSION "\",\n  \"ok\": ");
	akb_buf_puts(&out, ok ? "true" : "false");
	akb_buf_puts(&out, ",\n  \"content\": ");
	akb_json_cstr(&out, cfg->content);
	akb_buf_puts(&out, ",\n  \"output\": ");
	akb_json_cstr(&out, cfg->output);
	akb_buf_printf(&out, ",\n  \"inputs\": %zu, \"agents\": %zu, \"skipped\": %zu, \"attached\": %zu, \"pages\": %zu,"
			     " \"dropped\": %zu, \"warnings\": %zu, \"errors\": %zu, \"elapsed_ms\": %.1f,\n  \"files\": [",
		       res->inputs, res->agents, res->skipped, res->attached, res->pages, res->dropped, diag->warnings,
		       diag->errors,
		       res->elapsed_ms);
	for (size_t i = 0; i < inputs->len; i++) {
		const struct akb_input *in = &inputs->items[i];
		const struct akb_agent *a = agent_of[i] != SIZE_MAX ? &site->agents[agent_of[i]] : NULL;
		akb_buf_puts(&out, i ? ",\n    {" : "\n    {");
		akb_buf_puts(&out, "\"path\": ");
		akb_json_cstr(&out, in->path);
		const char *status, *reason = NULL;
		if (in->attached_to != SIZE_MAX && !site->agents[in->attached_to].dropped) {
			/* A skill's file: published with it, on its page. */
			status = "attached";
			reason = in->skip;
			a = &site->agents[in->attached_to];
		} else if (in->skip) {
			status = "skipped";
			reason = in->skip;
		} else if (!a) {
			status = "skipped";
			reason = "unreadable";
		} else if (a->duplicate_of != SIZE_MAX) {
			status = "merged";
			reason = a->dropped_by;
		} else if (a->dropped) {
			status = "dropped";
			reason = a->dropped_by;
		} else {
			status = ok ? "rendered" : "failed";
		}
		akb_buf_puts(&out, ", \"status\": ");
		akb_json_cstr(&out, status);
		if (reason) {
			akb_buf_puts(&out, ", \"reason\": ");
			akb_json_cstr(&out, reason);
		}
		if (a && a->name) {
			akb_buf_puts(&out, ", \"name\": ");
			akb_json_cstr(&out, a->name);
		}
		/* A merged copy's page is the one it is shown on. */
		if (a && a->duplicate_of != SIZE_MAX)
			a = &site->agents[a->duplicate_of];
		if (a && a->slug && !a->dropped) {
			akb_buf_puts(&out, ", \"slug\": ");
			akb_json_cstr(&out, a->slug);
			akb_buf_clear(&url);
			akb_agent_url(a, &url);
			akb_buf_puts(&out, ", \"url\": ");
			akb_json_cstr(&out, url.ptr);
		}
		akb_buf_puts(&out, ", \"diagnostics\": [");
		/* Binary search for this file's first diagnostic. */
		size_t lo = 0, hi = diag->len, n = 0;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(sorted[mid]->path ? sorted[mid]->path : "", in->path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t j = lo; j < diag->len && sorted[j]->path && !strcmp(sorted[j]->path, in->path); j++) {
			akb_buf_puts(&out, n++ ? ", " : "");
			S_report_diag(&out, sorted[j]);
			used[j] = 1;
		}
		akb_buf_puts(&out, "], \"findings\": [");
		/* What `agentkb check` says of this file (lint.h). */
		size_t self = agent_of[i];
		for (size_t j = self != SIZE_MAX ? akb_lint_first(lint, self) : lint->len;
		     j < lint->len && lint->items[j].agent == self; j++) {
			const struct akb_finding *f = &lint->items[j];
			akb_buf_puts(&out, j > akb_lint_first(lint, self) ? ", {\"rule\": " : "{\"rule\": ");
			akb_json_cstr(&out, f->rule->id);
			akb_buf_printf(&out, ", \"level\": \"%s\", \"line\": %u, \"col\": %u, \"message\": ",
				       f->rule->level == AKB_ERROR ? "error" : "warning", f->line, f->col);
			akb_json_cstr(&out, f->message);
			akb_buf_putc(&out, '}');
		}
		akb_buf_puts(&out, "]}");
	}
	akb_buf_puts(&out, "\n  ],\n  \"other_diagnostics\": [");
	size_t n = 0;
	for (size_t j = 0; j < diag->len; j++) {
		if (used[j])
			continue;
		akb_buf_puts(&out, n++ ? ",\n    " : "\n    ");
		akb_buf_puts(&out, "{\"path\": ");
		akb_json_cstr(&out, sorted[j]->path ? sorted[j]->path : "");
		akb_buf_puts(&out, ", \"diagnostic\": ");
		S_report_diag(&out, sorted[j]);
		akb_buf_puts(&out, "}");
	}
	akb_buf_puts(&out, n ? "\n  ]\n}\n" : "]\n}\n");

	int rc = 0;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(out.ptr, 1, out.len, f) != out.len)
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc)
		akb_error(diag, path, 0, 0, "unable to write the build report");
	free(sorted);
	free(used);
	akb_buf_release(&out);
	akb_buf_release(&url);
	return rc;
}

void akb_report_summary(FILE *f, const struct akb_config *cfg, const struct akb_build_result *res, int ok,
			const struct akb_diag *diag)
{
	if (!ok) {
		fprintf(f, "build failed: %zu errors, %zu warnings; '%s' left as it was\n", diag->errors, diag->warnings,
			cfg->output);
		return;
	}
	struct akb_buf why = AKB_BUF_INIT;
	if (res->dropped)
		akb_buf_printf(&why, "%zu dropped by hooks and filters", res->dropped);
	if (res->merged)
		akb_buf_printf(&why, "%s%zu identical cop%s shown once", why.len ? ", " : "", res->merged,
			       res->merged == 1 ? "y" : "ies");
	fprintf(f, "built %zu agents%s%s%s, %zu pages, %zu warnings in %.0f ms\n", res->agents, why.len ? " (" : "",
		why.ptr, why.len ? ")" : "", res->pages, diag->warnings, res->elapsed_ms);
	akb_buf_release(&why);
}

void akb_report_stats(FILE *f, const struct akb_build_result *res)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double secs = res->elapsed_ms / 1000.0;
	fprintf(f, "stats: %zu files, %.1f MB in, %.1f MB out, %.0f files/s, %.1f MB/s, peak memory %.1f MB,"
		   " search index %.1f MB (%zu terms%s), %zu of %zu files written%s\n",
		res->inputs, (double)res->input_bytes / 1e6, (double)res->output_bytes / 1e6,
		secs > 0 ? (double)res->inputs / secs : 0.0, secs > 0 ? (double)res->input_bytes / 1e6 / secs : 0.0,
		(double)ru.ru_maxrss / 1024.0, (double)res->search_bytes / 1e6, res->search_terms,
		res->search_kept ? ", kept" : res->search_patched ? ", patched" : "",
		res->written_files, res->output_files, res->incremental ? " (incremental)" : "");
	fprintf(f, "stages: load %.0f ms (%zu of %zu files read), site %.0f ms, render %.0f ms (%zu of %zu pages rendered,"
		   " %zu of %zu agent pages), write %.0f ms\n",
		res->load_ms, res->loadable - res->cached_loads, res->loadable, res->site_ms, res->render_ms, res->pages - res->kept_pages,
		res->pages, res->agents - res->kept_agent_pages, res->agents, res->write_ms);
}
