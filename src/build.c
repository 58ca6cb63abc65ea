#include "prefix.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "agentkb/build.h"
#include "agentkb/index.h"
#include "agentkb/json.h"
#include "agentkb/output.h"
#include "agentkb/render.h"
#include "agentkb/site.h"
#include "agentkb/template.h"
#include "agentkb/theme.h"
#include "agentkb/walk.h"

static double S_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

struct static_copy {
	struct akb_output *out;
	struct akb_diag *diag;
};

static int S_copy_static(void *ctx, const char *rel, const char *path)
{
	struct static_copy *c = ctx;
	struct akb_buf dest = AKB_BUF_INIT;
	akb_buf_printf(&dest, "assets/%s", rel);
	int rc = akb_output_copy(c->out, dest.ptr, path, c->diag);
	akb_buf_release(&dest);
	return rc;
}

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
static int S_write_report(const char *path, const struct akb_config *cfg, const struct akb_input_list *inputs,
			  const size_t *agent_of, const struct akb_site *site, const struct akb_build_result *res,
			  int ok, struct akb_diag *diag)
{
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
	akb_buf_printf(&out, ",\n  \"inputs\": %zu, \"agents\": %zu, \"skipped\": %zu, \"pages\": %zu,"
			     " \"warnings\": %zu, \"errors\": %zu, \"elapsed_ms\": %.1f,\n  \"files\": [",
		       res->inputs, res->agents, res->skipped, res->pages, diag->warnings, diag->errors,
		       res->elapsed_ms);
	for (size_t i = 0; i < inputs->len; i++) {
		const struct akb_input *in = &inputs->items[i];
		const struct akb_agent *a = agent_of[i] != SIZE_MAX ? &site->agents[agent_of[i]] : NULL;
		akb_buf_puts(&out, i ? ",\n    {" : "\n    {");
		akb_buf_puts(&out, "\"path\": ");
		akb_json_cstr(&out, in->path);
		const char *status, *reason = NULL;
		if (in->skip) {
			status = "skipped";
			reason = in->skip;
		} else if (!a) {
			status = "skipped";
			reason = "unreadable";
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
		fprintf(stderr, "%s: error: unable to write the build report\n", path);
	free(sorted);
	free(used);
	akb_buf_release(&out);
	akb_buf_release(&url);
	return rc;
}

int akb_build(const struct akb_config *cfg, const struct akb_build_options *opts, struct akb_build_result *res,
	      struct akb_diag *diag)
{
	double start = S_now_ms();
	memset(res, 0, sizeof(*res));
	struct akb_input_list inputs = { 0 };
	struct akb_site site;
	struct akb_theme theme = { 0 };
	struct akb_tpl_set *tpl = NULL;
	struct akb_output out = { 0 };
	size_t *agent_of = NULL;
	int ok = 0;
	akb_site_init(&site);

	/* walk */
	struct akb_walk_options wopts = { (const char *const *)cfg->not_agents };
	if (akb_walk(cfg->content, &wopts, &inputs, diag) != 0)
		goto done;
	res->inputs = inputs.len;

	/* load */
	agent_of = akb_xmalloc(akb_xmul(inputs.len + 1, sizeof(size_t)));
	for (size_t i = 0; i < inputs.len; i++) {
		agent_of[i] = SIZE_MAX;
		if (inputs.items[i].skip) {
			res->skipped++;
			continue;
		}
		struct akb_agent *a = akb_site_add_agent(&site);
		if (akb_agent_load(a, &inputs.items[i], diag) != 0) {
			site.nagents--;
			res->skipped++;
			continue;
		}
		agent_of[i] = site.nagents - 1;
		res->input_bytes += a->raw_len;
	}

	/* hooks: filters and reshaping come here (Lua hooks) */

	akb_site_finish(&site, cfg, diag);
	res->agents = site.norder;

	/* render + index + write */
	if (akb_theme_find(&theme, cfg, opts->argv0, diag) != 0)
		goto done;
	tpl = akb_tpl_set_new(akb_theme_load_template, &theme);
	if (akb_output_begin(&out, cfg->output, diag) != 0)
		goto done;
	struct akb_render_stats stats;
	struct akb_render_options ropts = { 0 };
	int failed = akb_render_site(&site, cfg, tpl, &ropts, &out, &stats, diag) != 0;
	res->pages = stats.pages;
	res->output_bytes = out.bytes;
	struct static_copy sc = { &out, diag };
	failed |= akb_theme_each_static(&theme, S_copy_static, &sc) != 0;
	failed |= akb_index_write(&site, &out, diag) != 0;
	if (failed || diag->errors) {
		akb_output_abort(&out);
		goto done;
	}
	ok = akb_output_commit(&out, diag) == 0;

done:
	res->elapsed_ms = S_now_ms() - start;
	if (opts->report_path)
		S_write_report(opts->report_path, cfg, &inputs, agent_of ? agent_of : (size_t[]){ SIZE_MAX }, &site,
			       res, ok, diag);
	if (!opts->quiet) {
		if (ok)
			fprintf(stderr, "built %zu agents, %zu pages, %zu warnings in %.0f ms\n", res->agents,
				res->pages, diag->warnings, res->elapsed_ms);
		else
			fprintf(stderr, "build failed: %zu errors, %zu warnings; '%s' left as it was\n", diag->errors,
				diag->warnings, cfg->output);
	}
	if (opts->stats) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		double secs = res->elapsed_ms / 1000.0;
		fprintf(stderr, "stats: %zu files, %.1f MB in, %.1f MB out, %.0f files/s, %.1f MB/s, peak memory %.1f MB\n",
			res->inputs, (double)res->input_bytes / 1e6, (double)res->output_bytes / 1e6,
			secs > 0 ? (double)res->inputs / secs : 0.0,
			secs > 0 ? (double)res->input_bytes / 1e6 / secs : 0.0, (double)ru.ru_maxrss / 1024.0);
	}
	akb_output_release(&out);
	if (tpl)
		akb_tpl_set_free(tpl);
	akb_theme_release(&theme);
	akb_site_release(&site);
	akb_input_list_release(&inputs);
	free(agent_of);
	return ok ? 0 : -1;
}
