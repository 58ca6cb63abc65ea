/*
 * config: agentkb.yaml and the command line into struct akb_config (see
 * config.h); unknown keys are errors with their position.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/url.h"
#include "agentkb/walk.h"

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
	cfg->hook_limits.instructions = 100000000;
	cfg->hook_limits.memory_mb = 256;
}

void akb_config_release(struct akb_config *cfg)
{
	free(cfg->path);
	free(cfg->root);
	free(cfg->title);
	free(cfg->description);
	free(cfg->base_url);
	free(cfg->language);
	free(cfg->theme);
	free(cfg->content);
	free(cfg->output);
	S_strv_free(cfg->taxonomies);
	free(cfg->group_by);
	S_strv_free(cfg->not_agents);
	S_strv_free(cfg->hooks);
	for (size_t i = 0; i < cfg->nfilters; i++) {
		free(cfg->filters[i].key);
		free(cfg->filters[i].pattern);
	}
	free(cfg->filters);
	S_strv_free(cfg->search.synonyms);
	free(cfg->highlight.theme);
	free(cfg->highlight.dark_theme);
	free(cfg->highlight.datadir);
	memset(cfg, 0, sizeof(*cfg));
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

struct reader {
	yaml_parser_t parser;
	const char *path;
	struct akb_diag *diag;
	int errors;
};

static int S_next(struct reader *r, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&r->parser, ev)) {
		akb_error(r->diag, r->path, (unsigned)r->parser.problem_mark.line + 1,
			  (unsigned)r->parser.problem_mark.column + 1, "invalid YAML: %s",
			  r->parser.problem ? r->parser.problem : "syntax error");
		r->errors++;
		return -1;
	}
	return 0;
}

/* Skips the rest of a node whose start event was just read. */
static int S_skip(struct reader *r, yaml_event_t *start)
{
	int depth = start->type == YAML_SEQUENCE_START_EVENT || start->type == YAML_MAPPING_START_EVENT;
	while (depth > 0) {
		yaml_event_t ev;
		if (S_next(r, &ev) != 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(&ev);
	}
	return 0;
}

static int S_type_error(struct reader *r, const yaml_event_t *ev, const char *key, const char *want)
{
	akb_error(r->diag, r->path, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
		  "'%s' must be %s", key, want);
	r->errors++;
	return 0;
}

static int S_read_string(struct reader *r, yaml_event_t *ev, const char *key, char **field)
{
	if (ev->type != YAML_SCALAR_EVENT) {
		S_type_error(r, ev, key, "a string");
		return S_skip(r, ev);
	}
	akb_config_set(field, (const char *)ev->data.scalar.value);
	return 0;
}

/* base_url: checked and normalised here, so a bad one is reported at its position. */
static int S_read_base_url(struct reader *r, yaml_event_t *ev, char **field)
{
	if (ev->type != YAML_SCALAR_EVENT)
		return S_read_string(r, ev, "base_url", field);
	const char *value = (const char *)ev->data.scalar.value;
	const char *why = akb_config_set_base_url(field, value);
	if (why) {
		akb_error(r->diag, r->path, (unsigned)ev->start_mark.line + 1, (unsigned)ev->start_mark.column + 1,
			  "invalid base_url '%s': %s", value, why);
		r->errors++;
	}
	return 0;
}

static int S_read_bool(struct reader *r, yaml_event_t *ev, const char *key, int *field)
{
	const char *v = ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "";
	if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "yes"))
		*field = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "False") || !strcmp(v, "no"))
		*field = 0;
	else {
		S_type_error(r, ev, key, "true or false");
		return S_skip(r, ev);
	}
	return 0;
}

static int S_read_list(struct reader *r, yaml_event_t *ev, const char *key, char ***field)
{
	if (ev->type != YAML_SEQUENCE_START_EVENT) {
		S_type_error(r, ev, key, "a list of strings");
		return S_skip(r, ev);
	}
	size_t n = 0;
	char **v = akb_xcalloc(1, sizeof(char *));
	for (;;) {
		yaml_event_t item;
		if (S_next(r, &item) != 0) {
			S_strv_free(v);
			return -1;
		}
		if (item.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&item);
			break;
		}
		if (item.type != YAML_SCALAR_EVENT) {
			S_type_error(r, &item, key, "a list of strings");
			int rc = S_skip(r, &item);
			yaml_event_delete(&item);
			if (rc) {
				S_strv_free(v);
				return -1;
			}
			continue;
		}
		v = akb_xrealloc(v, akb_xmul(n + 2, sizeof(char *)));
		v[n++] = akb_xstrdup((const char *)item.data.scalar.value);
		v[n] = NULL;
		yaml_event_delete(&item);
	}
	S_strv_free(*field);
	*field = v;
	return 0;
}

static int S_unknown_key(struct reader *r, yaml_event_t *key_ev, const char *section, const char *key)
{
	akb_error(r->diag, r->path, (unsigned)key_ev->start_mark.line + 1, (unsigned)key_ev->start_mark.column + 1,
		  "unknown config key '%s%s%s'", section, *section ? "." : "", key);
	r->errors++;
	return 0;
}

static int S_read_highlight_key(struct reader *r, struct akb_config *cfg, const char *key, yaml_event_t *key_ev,
				yaml_event_t *val)
{
	if (!strcmp(key, "enabled"))
		return S_read_bool(r, val, "highlight.enabled", &cfg->highlight.enabled);
	if (!strcmp(key, "theme"))
		return S_read_string(r, val, "highlight.theme", &cfg->highlight.theme);
	if (!strcmp(key, "dark_theme"))
		return S_read_string(r, val, "highlight.dark_theme", &cfg->highlight.dark_theme);
	if (!strcmp(key, "linenos"))
		return S_read_bool(r, val, "highlight.linenos", &cfg->highlight.linenos);
	if (!strcmp(key, "datadir"))
		return S_read_string(r, val, "highlight.datadir", &cfg->highlight.datadir);
	S_unknown_key(r, key_ev, "highlight", key);
	return S_skip(r, val);
}

static int S_read_positive(struct reader *r, yaml_event_t *ev, const char *key, long *field)
{
	const char *v = ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : "";
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (!*v || *end || errno || n <= 0) {
		S_type_error(r, ev, key, "a positive whole number");
		return S_skip(r, ev);
	}
	*field = n;
	return 0;
}

static int S_read_hook_limits_key(struct reader *r, struct akb_config *cfg, const char *key, yaml_event_t *key_ev,
				  yaml_event_t *val)
{
	if (!strcmp(key, "instructions"))
		return S_read_positive(r, val, "hook_limits.instructions", &cfg->hook_limits.instructions);
	if (!strcmp(key, "memory_mb"))
		return S_read_positive(r, val, "hook_limits.memory_mb", &cfg->hook_limits.memory_mb);
	S_unknown_key(r, key_ev, "hook_limits", key);
	return S_skip(r, val);
}

/*
 * search.synonyms: a list of groups, each a list of words or phrases. A group
 * is kept as its words joined by '\n' (a word holding a newline is an error).
 */
static int S_read_synonyms(struct reader *r, yaml_event_t *ev, struct akb_config *cfg)
{
	static const char want[] = "a list of groups, each a list of words ([爬虫, scraping, crawler])";
	if (ev->type != YAML_SEQUENCE_START_EVENT) {
		S_type_error(r, ev, "search.synonyms", want);
		return S_skip(r, ev);
	}
	for (;;) {
		yaml_event_t group;
		if (S_next(r, &group) != 0)
			return -1;
		if (group.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&group);
			return 0;
		}
		char **words = NULL;
		int rc = 0;
		if (group.type != YAML_SEQUENCE_START_EVENT) {
			S_type_error(r, &group, "search.synonyms", want);
			rc = S_skip(r, &group);
		} else {
			rc = S_read_list(r, &group, "search.synonyms", &words);
		}
		size_t n = 0;
		struct akb_buf joined = AKB_BUF_INIT;
		for (; words && words[n]; n++) {
			if (strchr(words[n], '\n') || !*words[n]) {
				S_type_error(r, &group, "search.synonyms", "groups of one-line, non-empty words");
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
			S_type_error(r, &group, "search.synonyms", "groups of two words or more");
		akb_buf_release(&joined);
		S_strv_free(words);
		yaml_event_delete(&group);
		if (rc)
			return -1;
	}
}

static int S_read_search_key(struct reader *r, struct akb_config *cfg, const char *key, yaml_event_t *key_ev,
			     yaml_event_t *val)
{
	if (!strcmp(key, "builtin_synonyms"))
		return S_read_bool(r, val, "search.builtin_synonyms", &cfg->search.builtin_synonyms);
	if (!strcmp(key, "synonyms"))
		return S_read_synonyms(r, val, cfg);
	S_unknown_key(r, key_ev, "search", key);
	return S_skip(r, val);
}

typedef int (*key_reader_fn)(struct reader *r, struct akb_config *cfg, const char *key, yaml_event_t *key_ev,
			     yaml_event_t *val);

/* Reads the pairs of a mapping whose start event was just read, through `fn`. */
static int S_read_mapping(struct reader *r, struct akb_config *cfg, key_reader_fn fn)
{
	for (;;) {
		yaml_event_t key, val;
		if (S_next(r, &key) != 0)
			return -1;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return 0;
		}
		if (S_next(r, &val) != 0) {
			yaml_event_delete(&key);
			return -1;
		}
		int rc;
		if (key.type != YAML_SCALAR_EVENT) {
			akb_error(r->diag, r->path, (unsigned)key.start_mark.line + 1,
				  (unsigned)key.start_mark.column + 1, "config keys must be plain strings");
			r->errors++;
			rc = S_skip(r, &key);
			if (!rc)
				rc = S_skip(r, &val);
		} else {
			rc = fn(r, cfg, (const char *)key.data.scalar.value, &key, &val);
		}
		yaml_event_delete(&key);
		yaml_event_delete(&val);
		if (rc)
			return -1;
	}
}

static int S_read_key(struct reader *r, struct akb_config *cfg, const char *key, yaml_event_t *key_ev,
		      yaml_event_t *val)
{
	if (!strcmp(key, "highlight")) {
		if (val->type != YAML_MAPPING_START_EVENT) {
			S_type_error(r, val, key, "a mapping (enabled, theme, dark_theme, linenos, datadir)");
			return S_skip(r, val);
		}
		return S_read_mapping(r, cfg, S_read_highlight_key);
	}
	if (!strcmp(key, "hook_limits")) {
		if (val->type != YAML_MAPPING_START_EVENT) {
			S_type_error(r, val, key, "a mapping (instructions, memory_mb)");
			return S_skip(r, val);
		}
		return S_read_mapping(r, cfg, S_read_hook_limits_key);
	}
	if (!strcmp(key, "search")) {
		if (val->type != YAML_MAPPING_START_EVENT) {
			S_type_error(r, val, key, "a mapping (synonyms, builtin_synonyms)");
			return S_skip(r, val);
		}
		return S_read_mapping(r, cfg, S_read_search_key);
	}
	if (!strcmp(key, "hooks"))
		return S_read_list(r, val, key, &cfg->hooks);
	if (!strcmp(key, "home_per_group")) {
		/* 0 is meaningful here (no limit), so not S_read_positive */
		const char *v = val->type == YAML_SCALAR_EVENT ? (const char *)val->data.scalar.value : "";
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (!*v || *end || errno || n < 0) {
			S_type_error(r, val, key, "a whole number (0 for no limit)");
			return S_skip(r, val);
		}
		cfg->home_per_group = (size_t)n;
		return 0;
	}
	if (!strcmp(key, "title"))
		return S_read_string(r, val, key, &cfg->title);
	if (!strcmp(key, "description"))
		return S_read_string(r, val, key, &cfg->description);
	if (!strcmp(key, "base_url"))
		return S_read_base_url(r, val, &cfg->base_url);
	if (!strcmp(key, "language"))
		return S_read_string(r, val, key, &cfg->language);
	if (!strcmp(key, "theme"))
		return S_read_string(r, val, key, &cfg->theme);
	if (!strcmp(key, "content"))
		return S_read_string(r, val, key, &cfg->content);
	if (!strcmp(key, "output")) {
		cfg->output_given = 1;
		return S_read_string(r, val, key, &cfg->output);
	}
	if (!strcmp(key, "strict"))
		return S_read_bool(r, val, key, &cfg->strict);
	if (!strcmp(key, "taxonomies")) {
		cfg->taxonomies_given = 1;
		return S_read_list(r, val, key, &cfg->taxonomies);
	}
	if (!strcmp(key, "group_by"))
		return S_read_string(r, val, key, &cfg->group_by);
	if (!strcmp(key, "collections"))
		return S_read_bool(r, val, key, &cfg->collections);
	if (!strcmp(key, "not_agents"))
		return S_read_list(r, val, key, &cfg->not_agents);
	S_unknown_key(r, key_ev, "", key);
	return S_skip(r, val);
}

static int S_parse(struct reader *r, struct akb_config *cfg)
{
	yaml_event_t ev;
	/* stream start, document start (or stream end for an empty file) */
	for (;;) {
		if (S_next(r, &ev) != 0)
			return -1;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (t == YAML_MAPPING_START_EVENT)
			break;
		if (t == YAML_SCALAR_EVENT || t == YAML_SEQUENCE_START_EVENT) {
			akb_error(r->diag, r->path, (unsigned)ev.start_mark.line + 1,
				  (unsigned)ev.start_mark.column + 1, "the config file must be a mapping of keys");
			yaml_event_delete(&ev);
			return -1;
		}
		yaml_event_delete(&ev);
	}
	yaml_event_delete(&ev);
	return S_read_mapping(r, cfg, S_read_key);
}

int akb_config_load(struct akb_config *cfg, const char *path, int required, struct akb_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		return akb_error(diag, path, 0, 0, "unable to read config: %s", strerror(errno));
	}
	struct reader r = { 0 };
	r.path = path;
	r.diag = diag;
	yaml_parser_initialize(&r.parser);
	yaml_parser_set_input_file(&r.parser, f);
	int rc = S_parse(&r, cfg);
	yaml_parser_delete(&r.parser);
	fclose(f);
	akb_config_set(&cfg->path, path);
	const char *slash = strrchr(path, '/');
	if (slash) {
		free(cfg->root);
		cfg->root = akb_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	}
	return rc || r.errors ? -1 : 0;
}
