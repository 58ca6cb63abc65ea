/*
 * agentkb: the command line. Parses arguments, reads the config and hands
 * off to the pipeline (build.c); nothing else lives here.
 */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/build.h"
#include "agentkb/check.h"
#include "agentkb/bundle.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/lint.h"
#include "agentkb/site.h"
#include "agentkb/version.h"
#include "agentkb/walk.h"
#include "agentkb/output.h"
#include "agentkb/search.h"
#include "agentkb/serve.h"

#define EXIT_USAGE 2

static const char S_usage[] =
	"usage: agentkb build [CONTENT] [-o OUT] [options]\n"
	"       agentkb check [CONTENT] [--format text|json|sarif] [--rule ID]... [--ignore ID]... [--strict]\n"
	"                                    (lints the agent files: rule ids in agentkb check --list-rules)\n"
	"       agentkb check --links OUT   (reports broken links, anchors and assets in a built site)\n"
	"       agentkb bundle [CONTENT] -o FILE.html|FILE.zip|FILE.tar.gz [options]   (the site as one file; build options)\n"
	"       agentkb serve [CONTENT] [-p PORT] [--bind ADDR] [options]   (live preview: rebuilds and reloads on change)\n"
	"       agentkb tokenize < TEXT   (prints the search tokens of TEXT, one per line)\n"
	"       agentkb version\n"
	"       agentkb help\n"
	"\n"
	"build options:\n"
	"  -o, --output DIR     where to write the site (default: public, or 'output' in agentkb.yaml)\n"
	"  -c, --config FILE    config file (default: agentkb.yaml if present)\n"
	"      --theme NAME     theme name or folder (default: default)\n"
	"      --title TEXT     site title\n"
	"      --base-url URL   absolute URL the site will be published at\n"
	"      --hook FILE      run a Lua hook file (repeatable; after those listed in agentkb.yaml)\n"
	"      --department PAT keep only agents whose department matches PAT (exact or glob, any case; repeatable)\n"
	"      --category PAT   keep only agents whose category matches PAT (repeatable)\n"
	"      --exclude-department PAT, --exclude-category PAT   drop the agents that match\n"
	"      --strict         treat every warning as an error\n"
	"      --report FILE    write a JSON build report (every input file, its status and diagnostics)\n"
	"      --stats          print throughput (files/s, MB/s) and peak memory\n"
	"  -j, --jobs N         threads for the agent pages (default: one per core; the output is the same)\n"
	"      --clean          ignore the build cache: write every file (by default only changed files are)\n"
	"  -q, --quiet          no summary line\n"
	"\n"
	"serve options (and the build options but -o):\n"
	"  -p, --port PORT      port to listen on (default: 8000; 0 picks a free one)\n"
	"      --bind ADDR      address to listen on (default: 127.0.0.1)\n";

static int S_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "agentkb: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n\n%s", S_usage);
	return EXIT_USAGE;
}

/* Joins a config-relative path onto the config's folder. */
static void S_config_relative(char **field, const char *root)
{
	if ((*field)[0] == '/' || !strcmp(root, "."))
		return;
	struct akb_buf joined = AKB_BUF_INIT;
	akb_buf_printf(&joined, "%s/%s", root, *field);
	free(*field);
	*field = akb_buf_detach(&joined, NULL);
}

enum mode { M_BUILD, M_BUNDLE, M_SERVE };

/* The options of `build`, which `bundle` and `serve` take too. */
struct build_args {
	const char *content, *output, *config, *theme, *title, *base_url, *report;
	const char *bind, *port; /* serve only */
	const char *jobs;
	int strict, quiet, stats, clean;
	const char **hooks;   /* repeatable options, applied in order once the config is read */
	const char **filters; /* option, value, option, value, ... */
	size_t nhooks, nfilters;
};

static void S_args_release(struct build_args *a)
{
	free(a->hooks);
	free(a->filters);
}

/* The option `a` sets to its value, or NULL when it takes none. */
static const char **S_value_of(struct build_args *args, const char *a, enum mode mode)
{
	if (!strcmp(a, "-o") || !strcmp(a, "--output"))
		return mode == M_SERVE ? NULL : &args->output;
	if (!strcmp(a, "-c") || !strcmp(a, "--config"))
		return &args->config;
	if (!strcmp(a, "--theme"))
		return &args->theme;
	if (!strcmp(a, "--title"))
		return &args->title;
	if (!strcmp(a, "--base-url"))
		return &args->base_url;
	if (!strcmp(a, "--report"))
		return &args->report;
	if (!strcmp(a, "-j") || !strcmp(a, "--jobs"))
		return &args->jobs;
	if (mode == M_SERVE && (!strcmp(a, "-p") || !strcmp(a, "--port")))
		return &args->port;
	if (mode == M_SERVE && !strcmp(a, "--bind"))
		return &args->bind;
	return NULL;
}

/* The repeatable options, by the name the filters keep (static: args->filters points at them). */
static const char *const S_listed[] = { "--hook", "--department", "--category", "--exclude-department",
					"--exclude-category", NULL };

static const char *S_listed_option(const char *a, size_t len)
{
	for (const char *const *o = S_listed; *o; o++)
		if (strlen(*o) == len && !strncmp(a, *o, len))
			return *o;
	return NULL;
}

/* Parses the build options. Returns -1 to go on, or the exit status (help: 0, bad usage: 2). */
static int S_parse_build(int argc, char **argv, enum mode mode, struct build_args *args)
{
	memset(args, 0, sizeof *args);
	args->hooks = akb_xcalloc((size_t)argc + 1, sizeof(char *));
	args->filters = akb_xcalloc((size_t)argc + 1, sizeof(char *));
	struct akb_buf name = AKB_BUF_INIT;
	int rc = -1;
	for (int i = 0; i < argc && rc == -1; i++) {
		const char *a = argv[i];
		/* A value may also be joined to its option, as make and git take them: --name=VALUE, -jVALUE. */
		const char *joined = NULL;
		const char *eq = strncmp(a, "--", 2) ? NULL : strchr(a, '=');
		akb_buf_clear(&name);
		if (eq)
			akb_buf_put(&name, a, (size_t)(eq - a));
		else if (a[0] == '-' && a[1] && a[1] != '-' && a[2])
			akb_buf_put(&name, a, 2);
		if (name.len && (S_value_of(args, name.ptr, mode) || S_listed_option(name.ptr, name.len))) {
			joined = a + name.len + (eq != NULL);
			a = name.ptr;
		}
		const char **takes = S_value_of(args, a, mode);
		const char *listed = S_listed_option(a, strlen(a));
		const char *value = joined;
		if ((takes || listed) && !value) {
			if (i + 1 >= argc) {
				rc = S_usage_error("option '%s' needs a value", a);
				break;
			}
			value = argv[++i];
		}
		if (listed && !strcmp(listed, "--hook")) {
			args->hooks[args->nhooks++] = value;
		} else if (listed) {
			args->filters[args->nfilters++] = listed;
			args->filters[args->nfilters++] = value;
		} else if (takes) {
			*takes = value;
		} else if (!strcmp(a, "--strict"))
			args->strict = 1;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			args->quiet = 1;
		else if (!strcmp(a, "--stats"))
			args->stats = 1;
		else if (!strcmp(a, "--clean"))
			args->clean = 1;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(S_usage, stdout);
			rc = 0;
		} else if (mode == M_SERVE && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
			rc = S_usage_error("%s", "serve builds into a temporary folder: -o is not used");
		} else if (a[0] == '-' && a[1]) {
			rc = S_usage_error("unknown option '%s'", a);
		} else if (!args->content) {
			args->content = a;
		} else {
			rc = S_usage_error("unexpected argument '%s'", a);
		}
	}
	akb_buf_release(&name);
	return rc;
}

/*
 * The config as `build` reads it: the config file, then the flags.
 * Returns 0, -1 for an invalid config (reported), or EXIT_USAGE for an
 * invalid --base-url (printed).
 */
static int S_make_config(const struct build_args *a, enum mode mode, struct akb_config *cfg, struct akb_diag *diag)
{
	struct akb_buf found = AKB_BUF_INIT;
	int inside = 0, rc = 0;
	if (a->config)
		rc = akb_config_load(cfg, a->config, 1, diag);
	else if (akb_config_find(a->content, &found, &inside))
		rc = akb_config_load(cfg, found.ptr, 1, diag);
	akb_buf_release(&found);
	if (rc != 0)
		return -1;
	S_config_relative(&cfg->content, cfg->root);
	/* A config inside the content folder does not put the site in there unless it says so. */
	if (!inside || cfg->output_given)
		S_config_relative(&cfg->output, cfg->root);
	for (char **h = cfg->hooks; *h; h++)
		S_config_relative(h, cfg->root);
	for (size_t i = 0; i < a->nhooks; i++)
		akb_config_push(&cfg->hooks, a->hooks[i]);
	for (size_t i = 0; i < a->nfilters; i += 2) {
		const char *opt = a->filters[i] + 2;
		int exclude = !strncmp(opt, "exclude-", 8);
		akb_config_add_filter(cfg, exclude ? opt + 8 : opt, a->filters[i + 1], exclude);
	}
	if (a->content)
		akb_config_set(&cfg->content, a->content);
	if (a->output && mode == M_BUILD)
		akb_config_set(&cfg->output, a->output);
	if (a->theme)
		akb_config_set(&cfg->theme, a->theme);
	if (a->title)
		akb_config_set(&cfg->title, a->title);
	const char *why = a->base_url ? akb_config_set_base_url(&cfg->base_url, a->base_url) : NULL;
	if (why) {
		fprintf(stderr, "agentkb: invalid --base-url '%s': %s\n", a->base_url, why);
		return EXIT_USAGE;
	}
	cfg->strict |= a->strict;
	if (a->jobs) {
		char *end;
		long n = strtol(a->jobs, &end, 10);
		if (*end || n < 1 || n > 256) {
			fprintf(stderr, "agentkb: -j takes a number of threads from 1 to 256, not '%s'\n", a->jobs);
			return EXIT_USAGE;
		}
		cfg->jobs = (unsigned)n;
	}
	diag->strict = cfg->strict;
	return 0;
}

/* `build`, and `bundle` (same options; -o names the bundle file, whose extension picks its kind). */
static int S_cmd_build(int argc, char **argv, const char *argv0, int bundle)
{
	struct build_args a;
	int rc = S_parse_build(argc, argv, bundle ? M_BUNDLE : M_BUILD, &a);
	if (rc >= 0)
		goto out;
	if (bundle && (!a.output || akb_bundle_kind_of(a.output) == AKB_BUNDLE_NONE)) {
		rc = a.output ? S_usage_error("unknown bundle type '%s'; use .html, .zip, .tar.gz or .tgz", a.output)
			      : S_usage_error("%s", "bundle needs -o FILE (.html, .zip, .tar.gz or .tgz)");
		goto out;
	}
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	struct akb_config cfg;
	akb_config_init(&cfg);
	rc = S_make_config(&a, bundle ? M_BUNDLE : M_BUILD, &cfg, &diag);
	if (rc == 0) {
		struct akb_build_options opts = { argv0, a.report, a.quiet, a.stats,
						  a.clean ? AKB_CACHE_REBUILD : AKB_CACHE_USE };
		struct akb_build_result res;
		rc = bundle ? akb_bundle(&cfg, &opts, a.output, &diag) : akb_build(&cfg, &opts, &res, &diag);
		rc = rc == 0 ? 0 : 1;
	} else if (rc != EXIT_USAGE) {
		fprintf(stderr, "%s failed: invalid config\n", bundle ? "bundle" : "build");
		rc = 1;
	}
	akb_config_release(&cfg);
	akb_diag_release(&diag);
out:
	S_args_release(&a);
	return rc;
}

/* akb_serve_config_fn: the config read again before every build of `serve`. */
static int S_serve_config(void *ctx, struct akb_config *cfg, struct akb_diag *diag)
{
	return S_make_config(ctx, M_SERVE, cfg, diag);
}

/* `serve`: the build options, plus -p PORT and --bind ADDR. */
static int S_cmd_serve(int argc, char **argv, const char *argv0)
{
	struct build_args a;
	int rc = S_parse_build(argc, argv, M_SERVE, &a);
	if (rc >= 0)
		goto out;
	char *end = NULL;
	long port = a.port ? strtol(a.port, &end, 10) : AKB_SERVE_DEFAULT_PORT;
	if (a.port && (!*a.port || *end || port < 0 || port > 65535)) {
		rc = S_usage_error("invalid port '%s' (0 to 65535; 0 picks a free one)", a.port);
		goto out;
	}
	/* A bad --base-url is bad usage, as for build. */
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	struct akb_config cfg;
	akb_config_init(&cfg);
	int first = a.base_url ? S_make_config(&a, M_SERVE, &cfg, &diag) : 0;
	akb_config_release(&cfg);
	if (first == EXIT_USAGE) {
		rc = EXIT_USAGE;
	} else {
		struct akb_build_options opts = { argv0, a.report, a.quiet, a.stats,
						  a.clean ? AKB_CACHE_REBUILD : AKB_CACHE_USE };
		struct akb_serve_options so = { a.bind ? a.bind : "127.0.0.1", (int)port, &opts, S_serve_config, &a };
		rc = akb_serve(&so, &diag) == 0 ? 0 : 1;
	}
	akb_diag_release(&diag);
out:
	S_args_release(&a);
	return rc;
}

/*
 * agentkb check [CONTENT]: lints the agent files (lint.h) and prints the
 * findings; exit 0 when there is no error (with --strict: no finding), 1
 * otherwise, 2 on bad usage.
 */
static int S_cmd_lint(const char *content, const char *config, const char *format, char **only, char **skip,
		      int strict)
{
	for (char **ids = only; ids && *ids; ids++)
		if (!akb_lint_rule(*ids))
			return S_usage_error("unknown rule '%s' (agentkb check --list-rules lists them)", *ids);
	for (char **ids = skip; ids && *ids; ids++)
		if (!akb_lint_rule(*ids))
			return S_usage_error("unknown rule '%s' (agentkb check --list-rules lists them)", *ids);
	struct akb_diag diag;
	/* Loading problems are findings of their own (AKB-AG013 ...); the loader's warnings stay quiet. */
	akb_diag_init(&diag, NULL);
	struct akb_config cfg;
	akb_config_init(&cfg);
	struct akb_buf found = AKB_BUF_INIT;
	int inside = 0, rc = 0;
	if (config)
		rc = akb_config_load(&cfg, config, 1, &diag);
	else if (akb_config_find(content, &found, &inside))
		rc = akb_config_load(&cfg, found.ptr, 1, &diag);
	akb_buf_release(&found);
	if (rc == 0 && content)
		akb_config_set(&cfg.content, content);
	else if (rc == 0)
		S_config_relative(&cfg.content, cfg.root);
	struct akb_input_list inputs = { 0 };
	struct akb_site site;
	akb_site_init(&site);
	size_t *agent_of = NULL;
	struct akb_build_result res = { 0 };
	struct akb_lint lint = { 0 };
	if (rc == 0 && akb_build_load(&cfg, &inputs, &site, &agent_of, &res, &diag) == 0) {
		akb_site_derive(&site, &cfg);
		akb_lint_site(&site, only, skip, cfg.jobs, &lint);
		struct akb_buf out = AKB_BUF_INIT;
		if (!strcmp(format, "json"))
			akb_lint_json(&site, &lint, &out);
		else if (!strcmp(format, "sarif"))
			akb_lint_sarif(&site, &lint, &out);
		else
			akb_lint_text(&site, &lint, &out);
		fwrite(out.ptr, 1, out.len, stdout);
		akb_buf_release(&out);
		size_t errors = 0;
		for (size_t i = 0; i < lint.len; i++)
			errors += lint.items[i].rule->level == AKB_ERROR;
		fprintf(stderr, "checked %zu agents: %zu findings (%zu errors)", site.nagents, lint.len, errors);
		const char *sep = "; ";
		for (size_t r = 0; akb_lint_rules[r].id; r++) {
			if (!lint.per_rule[r])
				continue;
			fprintf(stderr, "%s%s %zu", sep, akb_lint_rules[r].id, lint.per_rule[r]);
			sep = ", ";
		}
		fputc('\n', stderr);
		rc = errors || (strict && lint.len) ? 1 : 0;
	} else {
		for (size_t i = 0; i < diag.len; i++) {
			struct akb_buf line = AKB_BUF_INIT;
			akb_diag_format(&diag.items[i], &line);
			fprintf(stderr, "%s\n", line.ptr);
			akb_buf_release(&line);
		}
		fprintf(stderr, "check failed: cannot read the agents\n");
		rc = EXIT_USAGE;
	}
	akb_lint_release(&lint);
	free(agent_of);
	akb_input_list_release(&inputs);
	akb_site_release(&site);
	akb_config_release(&cfg);
	akb_diag_release(&diag);
	return rc;
}

/*
 * agentkb check --links OUT: exit 0 when clean, 1 when something is broken, 2 on bad usage.
 * agentkb check [CONTENT] [--format text|json|sarif] [--rule ID]... [--ignore ID]...: the linter.
 */
static int S_cmd_check(int argc, char **argv)
{
	const char *dir = NULL, *config = NULL, *format = "text";
	int links = 0, strict = 0, rc;
	char **only = akb_xcalloc((size_t)argc + 1, sizeof(char *)), **skip = akb_xcalloc((size_t)argc + 1, sizeof(char *));
	size_t nonly = 0, nskip = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int value = !strcmp(a, "--format") || !strcmp(a, "--rule") || !strcmp(a, "--ignore") || !strcmp(a, "-c") ||
			    !strcmp(a, "--config");
		if (value && i + 1 >= argc) {
			rc = S_usage_error("option '%s' needs a value", a);
			goto out;
		}
		if (!strcmp(a, "--links"))
			links = 1;
		else if (!strcmp(a, "--strict"))
			strict = 1;
		else if (!strcmp(a, "--list-rules")) {
			for (const struct akb_lint_rule *r = akb_lint_rules; r->id; r++)
				printf("%s  %-8s %-24s %s\n", r->id, r->level == AKB_ERROR ? "error" : "warning", r->name,
				       r->summary);
			rc = 0;
			goto out;
		} else if (!strcmp(a, "--format")) {
			format = argv[++i];
			if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
				rc = S_usage_error("unknown format '%s'; use text, json or sarif", format);
				goto out;
			}
		} else if (!strcmp(a, "--rule"))
			only[nonly++] = argv[++i];
		else if (!strcmp(a, "--ignore"))
			skip[nskip++] = argv[++i];
		else if (!strcmp(a, "-c") || !strcmp(a, "--config"))
			config = argv[++i];
		else if (a[0] == '-' && a[1]) {
			rc = S_usage_error("unknown check option '%s'", a);
			goto out;
		} else if (!dir)
			dir = a;
		else {
			rc = S_usage_error("unexpected argument '%s'", a);
			goto out;
		}
	}
	if (!links) {
		rc = S_cmd_lint(dir, config, format, only, skip, strict);
		goto out;
	}
	if (!dir) {
		rc = S_usage_error("%s", "check --links needs the site folder (OUT)");
		goto out;
	}
	struct akb_diag diag;
	akb_diag_init(&diag, stderr);
	struct akb_check_result res;
	rc = akb_check_links(dir, &res, &diag);
	akb_diag_release(&diag);
	if (rc < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	fprintf(stderr, "checked %zu pages, %zu links: %zu broken\n", res.pages, res.links, res.broken);
	rc = res.broken ? 1 : 0;
out:
	free(only);
	free(skip);
	return rc;
}

static void S_print_token(void *ctx, const char *token, size_t len)
{
	(void)ctx;
	fwrite(token, 1, len, stdout);
	fputc('\n', stdout);
}

/* The search tokenizer on stdin: lets tests compare it with the browser's. */
static int S_cmd_tokenize(void)
{
	struct akb_buf in = AKB_BUF_INIT;
	if (akb_buf_read_stream(&in, stdin) != 0) {
		akb_buf_release(&in);
		return 1;
	}
	akb_tokenize(in.ptr, in.len, S_print_token, NULL);
	akb_buf_release(&in);
	return ferror(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return S_usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "build") || !strcmp(cmd, "bundle")) {
		akb_output_catch_signals();
		return S_cmd_build(argc - 2, argv + 2, argv[0], !strcmp(cmd, "bundle"));
	}
	if (!strcmp(cmd, "serve")) {
		akb_output_catch_signals();
		return S_cmd_serve(argc - 2, argv + 2, argv[0]);
	}
	if (!strcmp(cmd, "check"))
		return S_cmd_check(argc - 2, argv + 2);
	if (!strcmp(cmd, "tokenize"))
		return S_cmd_tokenize();
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("agentkb %s\n", AKB_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(S_usage, stdout);
		return 0;
	}
	return S_usage_error("unknown command '%s'", cmd);
}
