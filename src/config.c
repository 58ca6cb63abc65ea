/*
 * config: agentkb.yaml and the command line into struct akb_config (see
 * config.h); unknown keys are errors with their position.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/csp.h"
#include "agentkb/diag.h"
#include "agentkb/frontmatter.h"
#include "agentkb/load.h"
#include "agentkb/url.h"
#include "agentkb/walk.h"
#include "agentkb/yaml.h"

/*
 * collection, kind and language are derived (akb_site_derive, format.h,
 * akb_language_detect) when the front-matter has none; access from the tools.
 */
static const char *const S_default_taxonomies[] = { "department", "category", "collection", "kind", "language",
						     "access", "tools", "model", NULL };

static char **S_strv_dup(const char *const *v)
{
	size_t n = 0;
	while (v[n])
		n++;
	char **out = akb_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		out[i] = akb_xstrdup(v[i]);
	return out;
}

static void S_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* Is `a` the same folder as `b` (both existing)? */
static int S_same_dir(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && !strcmp(ra, rb);
	free(ra);
	free(rb);
	return same;
}

int akb_config_find(const char *content, struct akb_buf *path, int *inside)
{
	*inside = 0;
	akb_buf_clear(path);
	if (content) {
		akb_buf_printf(path, "%s/agentkb.yaml", content);
		if (access(path->ptr, F_OK) == 0) {
			*inside = 1;
			return 1;
		}
	}
	akb_buf_clear(path);
	if (access("agentkb.yaml", F_OK) != 0)
		return 0;
	akb_buf_puts(path, "agentkb.yaml");
	if (!content)
		return 1;
	/* Read quietly: a file that is not this folder's config is none of this build's business. */
	struct akb_config here;
	struct akb_diag quiet;
	akb_config_init(&here);
	akb_diag_init(&quiet, NULL);
	int mine = akb_config_load(&here, path->ptr, 1, &quiet) == 0;
	if (mine) {
		struct akb_buf dir = AKB_BUF_INIT;
		if (here.content[0] == '/' || !strcmp(here.root, "."))
			akb_buf_puts(&dir, here.content);
		else
			akb_buf_printf(&dir, "%s/%s", here.root, here.content);
		mine = S_same_dir(dir.ptr, content);
		akb_buf_release(&dir);
	}
	akb_diag_release(&quiet);
	akb_config_release(&here);
	if (!mine)
		akb_buf_clear(path);
	return mine;
}

void akb_config_set(char **field, const char *value)
{
	free(*field);
	*field = akb_xstrdup(value);
}

void akb_config_push(char ***list, const char *value)
{
	size_t n = 0;
	while (*list && (*list)[n])
		n++;
	*list = akb_xrealloc(*list, akb_xmul(n + 2, sizeof(char *)));
	(*list)[n] = akb_xstrdup(value);
	(*list)[n + 1] = NULL;
}

void akb_config_add_filter(struct akb_config *cfg, const char *key, const char *pattern, int exclude)
{
	cfg->filters = akb_xrealloc(cfg->filters, akb_xmul(cfg->nfilters + 1, sizeof(*cfg->filters)));
	struct akb_filter_rule *f = &cfg->filters[cfg->nfilters++];
	f->key = akb_xstrdup(key);
	f->pattern = akb_xstrdup(pattern);
	f->exclude = exclude;
}

const char *akb_config_set_base_url(char **field, const char *value)
{
	struct akb_buf norm = AKB_BUF_INIT;
	const char *why = akb_url_base_normalize(value, &norm);
	if (!why) {
		free(*field);
		*field = akb_buf_detach(&norm, NULL);
	}
	akb_buf_release(&norm);
	return why;
}

void akb_config_init(struct akb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->root = akb_xstrdup(".");
	cfg->title = akb_xstrdup("Agent Knowledge Base");
	cfg->description = akb_xstrdup("");
	cfg->base_url = akb_xstrdup("");
	cfg->language = akb_xstrdup("en");
	cfg->theme = akb_xstrdup("default");
	cfg->content = akb_xstrdup("content");
	cfg->output = akb_xstrdup("public");
	cfg->taxonomies = S_strv_dup(S_default_taxonomies);
	cfg->group_by = akb_xstrdup("auto");
	cfg->csp = akb_xstrdup("");
	cfg->collections = 1;
	cfg->not_agents = S_strv_dup(akb_walk_default_not_agents);
	cfg->search.builtin_synonyms = 1;
	cfg->search.synonyms = akb_xcalloc(1, sizeof(char *));
	cfg->highlight.enabled = 1;
	cfg->highlight.theme = akb_xstrdup("github");
	cfg->highlight.dark_theme = akb_xstrdup("molokai");
	cfg->highlight.datadir = akb_xstrdup("");
	cfg->hooks = akb_xcalloc(1, sizeof(char *));
	cfg->home_per_group = 24;
	cfg->paginate = 100;
	cfg->hook_limits.instructions = 100000000;
	cfg->hook_limits.memory_mb = 256;
	/* Real agent files are a few KB; these bound what a hostile one can cost. */
	cfg->limits.file_mb = (long)(AKB_LOAD_FILE_MAX_DEFAULT >> 20);
	cfg->limits.front_matter_kb = (long)(AKB_FRONTMATTER_MAX_DEFAULT >> 10);
}

void akb_taxonomy_plural(const char *key, struct akb_buf *out)
{
	size_t n = strlen(key);
	if (n && key[n - 1] == 's')
		akb_buf_puts(out, key);
	else if (n > 1 && key[n - 1] == 'y' && !strchr("aeiou", key[n - 2]))
		akb_buf_printf(out, "%.*sies", (int)(n - 1), key);
	else
		akb_buf_printf(out, "%ss", key);
}

/* ---- agentkb.yaml ------------------------------------------------------ */

struct reader {
	const char *path;
	struct akb_diag *diag;
	int errors;
};

static void S_error_at(struct reader *r, unsigned line, unsigned col, const char *fmt, ...) AKB_PRINTF(4, 5);

static void S_error_at(struct reader *r, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	akb_diag_vadd(r->diag, AKB_ERROR, r->path, line, col, fmt, ap);
	va_end(ap);
	r->errors++;
}

static void S_type_error(struct reader *r, const struct akb_value *v, const char *key, const char *want)
{
	S_error_at(r, v->line, v->col, "'%s' must be %s", key, want);
}

/* Scalars are read untyped (akb_yaml_opts.typed = 0): every one is a string here. */
static const char *S_text(const struct akb_value *v)
{
	return v->kind == AKB_STRING ? v->u.str.ptr : NULL;
}

static void S_read_string(struct reader *r, const struct akb_value *v, const char *key, char **field)
{
	if (!S_text(v))
		S_type_error(r, v, key, "a string");
	else
		akb_config_set(field, S_text(v));
}

/*
 * csp: true (the default policy, akb_csp_default), false (none), or a
 * policy of its own, one line (it goes into an attribute of every page).
 */
static void S_read_csp(struct reader *r, const struct akb_value *v, const char *key, char **field)
{
	const char *t = S_text(v);
	if (!t)
		S_type_error(r, v, key, "true, false or a policy");
	else if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "yes"))
		akb_config_set(field, akb_csp_default);
	else if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "no"))
		akb_config_set(field, "");
	else if (t[strcspn(t, "\r\n")])
		S_error_at(r, v->line, v->col, "invalid %s: a policy is one line", key);
	else
		akb_config_set(field, t);
}

/* base_url: checked and normalised here, so a bad one is reported at its position. */
static void S_read_base_url(struct reader *r, const struct akb_value *v, const char *key, char **field)
{
	if (!S_text(v)) {
		S_read_string(r, v, key, field);
		return;
	}
	const char *why = akb_config_set_base_url(field, S_text(v));
	if (why)
		S_error_at(r, v->line, v->col, "invalid base_url '%s': %s", S_text(v), why);
}

static void S_read_bool(struct reader *r, const struct akb_value *v, const char *key, int *field)
{
	const char *t = S_text(v) ? S_text(v) : "";
	if (!strcmp(t, "true") || !strcmp(t, "True") || !strcmp(t, "yes"))
		*field = 1;
	else if (!strcmp(t, "false") || !strcmp(t, "False") || !strcmp(t, "no"))
		*field = 0;
	else
		S_type_error(r, v, key, "true or false");
}

/* A whole number of at least `min`; -1 (with an error) if it is not one. */
static long S_whole(struct reader *r, const struct akb_value *v, const char *key, long min, const char *want)
{
	const char *t = S_text(v) ? S_text(v) : "";
	char *end;
	errno = 0;
	long n = strtol(t, &end, 10);
	if (!*t || *end || errno || n < min) {
		S_type_error(r, v, key, want);
		return -1;
	}
	return n;
}

/* A list of strings, or NULL (with an error at the first thing that is not one). */
static char **S_strings(struct reader *r, const struct akb_value *v, const char *key)
{
	if (v->kind != AKB_LIST) {
		S_type_error(r, v, key, "a list of strings");
		return NULL;
	}
	size_t n = 0;
	char **out = akb_xcalloc(v->u.list.len + 1, sizeof(char *));
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct akb_value *item = &v->u.list.items[i];
		if (S_text(item))
			out[n++] = akb_xstrdup(S_text(item));
		else
			S_type_error(r, item, key, "a list of strings");
	}
	return out;
}

static void S_read_list(struct reader *r, const struct akb_value *v, const char *key, char ***field)
{
	char **list = S_strings(r, v, key);
	if (!list)
		return;
	S_strv_free(*field);
	*field = list;
}

/*
 * search.synonyms: a list of groups, each a list of words or phrases. A group
 * is kept as its words joined by '\n' (a word holding a newline is an error).
 */
static void S_read_synonyms(struct reader *r, const struct akb_value *v, const char *key, struct akb_config *cfg)
{
	static const char want[] = "a list of groups, each a list of words ([爬虫, scraping, crawler])";
	if (v->kind != AKB_LIST) {
		S_type_error(r, v, key, want);
		return;
	}
	for (size_t g = 0; g < v->u.list.len; g++) {
		const struct akb_value *group = &v->u.list.items[g];
		char **words = group->kind == AKB_LIST ? S_strings(r, group, key) : NULL;
		struct akb_buf joined = AKB_BUF_INIT;
		size_t n = 0;
		if (group->kind != AKB_LIST)
			S_type_error(r, group, key, want);
		for (; words && words[n]; n++) {
			if (strchr(words[n], '\n') || !*words[n]) {
				S_type_error(r, group, key, "groups of one-line, non-empty words");
				n = 0;
				break;
			}
			if (n)
				akb_buf_putc(&joined, '\n');
			akb_buf_puts(&joined, words[n]);
		}
		if (n >= 2)
			akb_config_push(&cfg->search.synonyms, joined.ptr);
		else if (words && n == 1)
			S_type_error(r, group, key, "groups of two words or more");
		akb_buf_release(&joined);
		S_strv_free(words);
	}
}

/* How each key of the file is read: a table, so every key is read, named and typed one way. */
enum S_kind { S_STRING, S_BASE_URL, S_CSP, S_BOOL, S_LIST, S_POSITIVE, S_COUNT, S_SYNONYMS, S_SECTION };

struct S_key {
	const char *name;
	enum S_kind kind;
	size_t field;                 /* offsetof the field in struct akb_config */
	const struct S_key *section;  /* with S_SECTION: the section's keys */
	size_t given;                 /* offsetof an int set when the key is read (output_given ...), or 0 */
};

#define S_FIELD(f) offsetof(struct akb_config, f)

static const struct S_key S_highlight_keys[] = {
	{ "enabled", S_BOOL, S_FIELD(highlight.enabled), NULL, 0 },
	{ "theme", S_STRING, S_FIELD(highlight.theme), NULL, 0 },
	{ "dark_theme", S_STRING, S_FIELD(highlight.dark_theme), NULL, 0 },
	{ "linenos", S_BOOL, S_FIELD(highlight.linenos), NULL, 0 },
	{ "datadir", S_STRING, S_FIELD(highlight.datadir), NULL, 0 },
	{ NULL, S_STRING, 0, NULL, 0 },
};

static const struct S_key S_hook_limit_keys[] = {
	{ "instructions", S_POSITIVE, S_FIELD(hook_limits.instructions), NULL, 0 },
	{ "memory_mb", S_POSITIVE, S_FIELD(hook_limits.memory_mb), NULL, 0 },
	{ NULL, S_STRING, 0, NULL, 0 },
};

static const struct S_key S_limit_keys[] = {
	{ "file_mb", S_POSITIVE, S_FIELD(limits.file_mb), NULL, 0 },
	{ "front_matter_kb", S_POSITIVE, S_FIELD(limits.front_matter_kb), NULL, 0 },
	{ NULL, S_STRING, 0, NULL, 0 },
};

static const struct S_key S_search_keys[] = {
	{ "synonyms", S_SYNONYMS, S_FIELD(search.synonyms), NULL, 0 },
	{ "builtin_synonyms", S_BOOL, S_FIELD(search.builtin_synonyms), NULL, 0 },
	{ NULL, S_STRING, 0, NULL, 0 },
};

static const struct S_key S_top_keys[] = {
	{ "highlight", S_SECTION, 0, S_highlight_keys, 0 },
	{ "hook_limits", S_SECTION, 0, S_hook_limit_keys, 0 },
	{ "limits", S_SECTION, 0, S_limit_keys, 0 },
	{ "search", S_SECTION, 0, S_search_keys, 0 },
	{ "hooks", S_LIST, S_FIELD(hooks), NULL, 0 },
	{ "home_per_group", S_COUNT, S_FIELD(home_per_group), NULL, 0 },
	{ "paginate", S_COUNT, S_FIELD(paginate), NULL, 0 },
	{ "title", S_STRING, S_FIELD(title), NULL, 0 },
	{ "description", S_STRING, S_FIELD(description), NULL, 0 },
	{ "base_url", S_BASE_URL, S_FIELD(base_url), NULL, 0 },
	{ "language", S_STRING, S_FIELD(language), NULL, 0 },
	{ "theme", S_STRING, S_FIELD(theme), NULL, 0 },
	{ "content", S_STRING, S_FIELD(content), NULL, 0 },
	{ "output", S_STRING, S_FIELD(output), NULL, S_FIELD(output_given) },
	{ "strict", S_BOOL, S_FIELD(strict), NULL, 0 },
	{ "taxonomies", S_LIST, S_FIELD(taxonomies), NULL, S_FIELD(taxonomies_given) },
	{ "group_by", S_STRING, S_FIELD(group_by), NULL, 0 },
	{ "csp", S_CSP, S_FIELD(csp), NULL, 0 },
	{ "collections", S_BOOL, S_FIELD(collections), NULL, 0 },
	{ "not_agents", S_LIST, S_FIELD(not_agents), NULL, 0 },
	{ NULL, S_STRING, 0, NULL, 0 },
};

static void S_read_map(struct reader *r, struct akb_config *cfg, const struct akb_value *map, const char *section,
		       const struct S_key *keys);

/* "a mapping (enabled, theme, ...)": what a section must be, from its keys. */
static void S_section_want(const struct S_key *keys, struct akb_buf *out)
{
	akb_buf_puts(out, "a mapping (");
	for (const struct S_key *k = keys; k->name; k++)
		akb_buf_printf(out, "%s%s", k == keys ? "" : ", ", k->name);
	akb_buf_putc(out, ')');
}

static void S_read_value(struct reader *r, struct akb_config *cfg, const struct S_key *k, const char *name,
			 const struct akb_value *v)
{
	char *field = (char *)cfg + k->field;
	long n;
	switch (k->kind) {
	case S_STRING: S_read_string(r, v, name, (char **)(void *)field); break;
	case S_BASE_URL: S_read_base_url(r, v, name, (char **)(void *)field); break;
	case S_CSP: S_read_csp(r, v, name, (char **)(void *)field); break;
	case S_BOOL: S_read_bool(r, v, name, (int *)(void *)field); break;
	case S_LIST: S_read_list(r, v, name, (char ***)(void *)field); break;
	case S_SYNONYMS: S_read_synonyms(r, v, name, cfg); break;
	case S_POSITIVE:
		if ((n = S_whole(r, v, name, 1, "a positive whole number")) > 0)
			*(long *)(void *)field = n;
		break;
	case S_COUNT: /* 0 is meaningful here (no limit) */
		if ((n = S_whole(r, v, name, 0, "a whole number (0 for no limit)")) >= 0)
			*(size_t *)(void *)field = (size_t)n;
		break;
	case S_SECTION:
		if (v->kind != AKB_MAP) {
			struct akb_buf want = AKB_BUF_INIT;
			S_section_want(k->section, &want);
			S_type_error(r, v, name, want.ptr);
			akb_buf_release(&want);
		} else {
			S_read_map(r, cfg, v, name, k->section);
		}
		break;
	}
	if (k->given)
		*(int *)(void *)((char *)cfg + k->given) = 1;
}

static void S_read_map(struct reader *r, struct akb_config *cfg, const struct akb_value *map, const char *section,
		       const struct S_key *keys)
{
	struct akb_buf name = AKB_BUF_INIT;
	for (size_t i = 0; i < map->u.map.len; i++) {
		const struct akb_pair *p = &map->u.map.items[i];
		const struct S_key *k = keys;
		while (k->name && strcmp(k->name, p->key))
			k++;
		akb_buf_clear(&name);
		akb_buf_printf(&name, "%s%s%s", section, *section ? "." : "", p->key);
		if (!k->name)
			S_error_at(r, p->line, p->col, "unknown config key '%s'", name.ptr);
		else
			S_read_value(r, cfg, k, name.ptr, &p->value);
	}
	akb_buf_release(&name);
}

int akb_config_load(struct akb_config *cfg, const char *path, int required, struct akb_diag *diag)
{
	struct akb_buf text = AKB_BUF_INIT;
	if (akb_buf_read_file(&text, path) != 0) {
		int e = errno;
		akb_buf_release(&text);
		if (!required && e == ENOENT)
			return 0;
		return akb_error(diag, path, 0, 0, "unable to read config: %s", strerror(e));
	}
	struct reader r = { path, diag, 0 };
	const struct akb_yaml_opts opts = { "config", 0, 1, 1 };
	struct akb_yaml_error err;
	struct akb_value root;
	if (akb_yaml_parse(path, text.ptr, text.len, &opts, &root, &err, diag) != 0)
		S_error_at(&r, err.line, err.col, "invalid YAML: %s", err.problem);
	else if (root.kind == AKB_MAP)
		S_read_map(&r, cfg, &root, "", S_top_keys);
	else if (root.kind != AKB_NULL || root.line)
		S_error_at(&r, root.line, root.col, "the config file must be a mapping of keys");
	akb_value_release(&root);
	akb_buf_release(&text);
	akb_config_set(&cfg->path, path);
	const char *slash = strrchr(path, '/');
	if (slash) {
		free(cfg->root);
		cfg->root = akb_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	}
	return r.errors ? -1 : 0;
}

/* Frees every field a key of the tables fills, and what the command line adds. */
static void S_release_fields(struct akb_config *cfg, const struct S_key *keys)
{
	for (const struct S_key *k = keys; k->name; k++) {
		void *field = (char *)cfg + k->field;
		if (k->kind == S_STRING || k->kind == S_BASE_URL || k->kind == S_CSP)
			free(*(char **)field);
		else if (k->kind == S_LIST || k->kind == S_SYNONYMS)
			S_strv_free(*(char ***)field);
		else if (k->kind == S_SECTION)
			S_release_fields(cfg, k->section);
	}
}

void akb_config_release(struct akb_config *cfg)
{
	free(cfg->path);
	free(cfg->root);
	S_release_fields(cfg, S_top_keys);
	for (size_t i = 0; i < cfg->nfilters; i++) {
		free(cfg->filters[i].key);
		free(cfg->filters[i].pattern);
	}
	free(cfg->filters);
	memset(cfg, 0, sizeof(*cfg));
}
