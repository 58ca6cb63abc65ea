/*
 * theme: finds a theme folder (or the compiled-in default) and serves its
 * templates and static files (see theme.h).
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/ascii.h"
#include "agentkb/strmap.h"
#include "agentkb/theme.h"
#include "agentkb/utf8.h"
#include "agentkb/yaml.h"

#ifndef AKB_DATADIR
#define AKB_DATADIR "/usr/local/share/agentkb"
#endif

static int S_is_theme_dir(const char *dir)
{
	struct akb_buf p = AKB_BUF_INIT;
	struct stat st;
	akb_buf_printf(&p, "%s/templates", dir);
	int ok = stat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
	akb_buf_release(&p);
	return ok;
}

/* The folder holding the running program, from /proc or argv[0]. */
static char *S_program_dir(const char *argv0)
{
	char *real = realpath("/proc/self/exe", NULL);
	if (!real && argv0 && strchr(argv0, '/'))
		real = realpath(argv0, NULL);
	if (!real)
		return NULL;
	char *slash = strrchr(real, '/');
	if (slash)
		*slash = '\0';
	return real;
}

/* "#rgb" or "#rrggbb": what CSS and highlight's themes both read the same way. */
static int S_hex_colour(const char *s)
{
	size_t n = 0;
	if (*s++ != '#')
		return 0;
	while (akb_hex_digit((unsigned char)s[n]) >= 0)
		n++;
	return !s[n] && (n == 3 || n == 6);
}

/* theme.yaml (optional): every problem is reported at its position, all of them at once. */
/* A built-in theme's file, or NULL. */
static const struct akb_theme_file *S_builtin(const struct akb_theme *theme, const char *path)
{
	for (const struct akb_theme_file *f = theme->files; f && f->path; f++)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}

/* One key of theme.yaml and its value; 1 if it is wrong (reported). */
static int S_theme_pair(struct akb_theme *theme, const struct akb_pair *p, const char *path, struct akb_diag *diag)
{
	char **field = NULL;
	if (!strcmp(p->key, "code_background"))
		field = &theme->code_bg;
	else if (!strcmp(p->key, "code_background_dark"))
		field = &theme->code_bg_dark;
	if (!field) {
		akb_error(diag, path, p->line, p->col, "unknown theme.yaml key '%s'", p->key);
		return 1;
	}
	const char *v = p->value.kind == AKB_STRING ? p->value.u.str.ptr : NULL;
	if (v && S_hex_colour(v)) {
		free(*field);
		*field = akb_xstrdup(v);
		return 0;
	}
	akb_error(diag, path, p->value.line, p->value.col, "'%s' must be a colour such as \"#161b22\"%s", p->key,
		  v ? " (#rrggbb or #rgb)" : "");
	return 1;
}

static int S_read_theme_yaml(struct akb_theme *theme, const char *path, struct akb_diag *diag)
{
	struct akb_buf text = AKB_BUF_INIT;
	const struct akb_theme_file *f = theme->dir ? NULL : S_builtin(theme, "theme.yaml");
	if (f) {
		akb_buf_put(&text, f->data, f->len);
	} else if (!theme->dir || akb_buf_read_file(&text, path) != 0) {
		akb_buf_release(&text);
		return 0;
	}
	const struct akb_yaml_opts opts = { "theme.yaml", 0, 1, 1 };
	struct akb_yaml_error err;
	struct akb_value root;
	int errors = 0;
	if (akb_yaml_parse(path, text.ptr, text.len, &opts, &root, &err, diag) != 0) {
		akb_error(diag, path, err.line, err.col, "invalid YAML: %s", err.problem);
		errors++;
	} else if (root.kind == AKB_MAP) {
		for (size_t i = 0; i < root.u.map.len; i++)
			errors += S_theme_pair(theme, &root.u.map.items[i], path, diag);
	} else if (root.kind == AKB_LIST || (root.kind == AKB_STRING && root.u.str.len)) {
		akb_error(diag, path, root.line, root.col, "theme.yaml must be a mapping of keys to values");
		errors++;
	}
	akb_value_release(&root);
	akb_buf_release(&text);
	return errors ? -1 : 0;
}

int akb_theme_find(struct akb_theme *theme, const struct akb_config *cfg, const char *argv0, struct akb_diag *diag)
{
	memset(theme, 0, sizeof(*theme));
	struct akb_buf tried = AKB_BUF_INIT, cand = AKB_BUF_INIT;
	char *prog = S_program_dir(argv0);
	const char *name = cfg->theme;
	for (int i = 0; i < 5; i++) {
		akb_buf_clear(&cand);
		switch (i) {
		case 0:
			if (!strchr(name, '/'))
				continue;
			akb_buf_puts(&cand, name);
			break;
		case 1:
			akb_buf_printf(&cand, "%s/themes/%s", cfg->root, name);
			break;
		case 2: /* running from the source tree: build/agentkb */
			if (!prog)
				continue;
			akb_buf_printf(&cand, "%s/../themes/%s", prog, name);
			break;
		case 3: /* installed: PREFIX/bin/agentkb and PREFIX/share/agentkb */
			if (!prog)
				continue;
			akb_buf_printf(&cand, "%s/../share/agentkb/themes/%s", prog, name);
			break;
		default:
			akb_buf_printf(&cand, "%s/themes/%s", AKB_DATADIR, name);
			break;
		}
		if (S_is_theme_dir(cand.ptr)) {
			theme->dir = akb_buf_detach(&cand, NULL);
			break;
		}
		akb_buf_printf(&tried, "%s'%s'", tried.len ? ", " : "", cand.ptr);
	}
	free(prog);
	int rc = 0;
	if (!theme->dir && !strcmp(name, "default")) {
		/* No folder anywhere: the copy compiled in (a binary copied on its own). */
		theme->files = akb_default_theme;
		rc = S_read_theme_yaml(theme, "(built-in default theme)/theme.yaml", diag);
	} else if (!theme->dir) {
		rc = akb_error(diag, cfg->path, 0, 0, "theme '%s' not found (looked in %s)", name, tried.ptr);
	} else {
		akb_buf_clear(&cand);
		akb_buf_printf(&cand, "%s/theme.yaml", theme->dir);
		rc = S_read_theme_yaml(theme, cand.ptr, diag);
	}
	akb_buf_release(&tried);
	akb_buf_release(&cand);
	return rc;
}

void akb_theme_release(struct akb_theme *theme)
{
	free(theme->dir);
	free(theme->code_bg);
	free(theme->code_bg_dark);
	memset(theme, 0, sizeof(*theme));
}

int akb_theme_load_template(void *ctx, const char *name, struct akb_buf *out, struct akb_buf *display_path)
{
	const struct akb_theme *theme = ctx;
	/* Template names come from theme files and hooks; keep them inside templates/. */
	if (!*name || strstr(name, "..") || name[0] == '/')
		return -1;
	struct akb_buf path = AKB_BUF_INIT;
	if (!theme->dir) {
		akb_buf_printf(&path, "templates/%s.mustache", name);
		const struct akb_theme_file *f = S_builtin(theme, path.ptr);
		if (f) {
			akb_buf_put(out, f->data, f->len);
			if (display_path)
				akb_buf_printf(display_path, "(built-in default theme)/%s", path.ptr);
		}
		akb_buf_release(&path);
		return f ? 0 : -1;
	}
	akb_buf_printf(&path, "%s/templates/%s.mustache", theme->dir, name);
	if (akb_buf_read_file(out, path.ptr) != 0) {
		akb_buf_release(&path);
		return -1;
	}
	if (display_path)
		akb_buf_put(display_path, path.ptr, path.len);
	akb_buf_release(&path);
	return 0;
}

static int S_each(struct akb_buf *path, struct akb_buf *rel, akb_theme_static_fn fn, void *ctx)
{
	DIR *d = opendir(path->ptr);
	if (!d)
		return 0;
	struct dirent *de;
	int rc = 0;
	size_t plen = path->len, rlen = rel->len;
	while (!rc && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		akb_buf_truncate(path, plen);
		akb_buf_truncate(rel, rlen);
		akb_buf_printf(path, "/%s", de->d_name);
		akb_buf_printf(rel, "%s%s", rlen ? "/" : "", de->d_name);
		struct stat st;
		if (stat(path->ptr, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = S_each(path, rel, fn, ctx);
		else if (S_ISREG(st.st_mode))
			rc = fn(ctx, rel->ptr, path->ptr, NULL, 0);
	}
	closedir(d);
	akb_buf_truncate(path, plen);
	akb_buf_truncate(rel, rlen);
	return rc;
}

int akb_theme_each_static(const struct akb_theme *theme, akb_theme_static_fn fn, void *ctx)
{
	if (!theme->dir) {
		int rc = 0;
		for (const struct akb_theme_file *f = theme->files; f && f->path && !rc; f++)
			if (!strncmp(f->path, "static/", 7))
				rc = fn(ctx, f->path + 7, NULL, f->data, f->len);
		return rc;
	}
	struct akb_buf path = AKB_BUF_INIT, rel = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/static", theme->dir);
	int rc = S_each(&path, &rel, fn, ctx);
	akb_buf_release(&path);
	akb_buf_release(&rel);
	return rc;
}

/* Each template's path and digest, one line each, for akb_theme_templates_digest. */
static int S_template_line(void *ctx, const char *rel, const char *path, const char *data, size_t len)
{
	struct akb_buf *lines = ctx, text = AKB_BUF_INIT;
	if (path && akb_buf_read_file(&text, path) == 0) {
		data = text.ptr;
		len = text.len;
	} else if (path) {
		data = "(unreadable)";
		len = strlen(data);
	}
	akb_buf_printf(lines, "%s %llx\n", rel, (unsigned long long)akb_digest(data, len));
	akb_buf_release(&text);
	return 0;
}

static int S_by_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

uint64_t akb_theme_templates_digest(const struct akb_theme *theme)
{
	struct akb_buf lines = AKB_BUF_INIT;
	if (!theme->dir) {
		for (const struct akb_theme_file *f = theme->files; f && f->path; f++)
			if (!strncmp(f->path, "templates/", 10))
				S_template_line(&lines, f->path + 10, NULL, f->data, f->len);
	} else {
		struct akb_buf path = AKB_BUF_INIT, rel = AKB_BUF_INIT;
		akb_buf_printf(&path, "%s/templates", theme->dir);
		S_each(&path, &rel, S_template_line, &lines);
		akb_buf_release(&path);
		akb_buf_release(&rel);
	}
	/* In a fixed order: folders list their files in any order. */
	size_t n = 0, cap = 0;
	char **sorted = NULL;
	for (char *line = lines.ptr; line && *line;) {
		char *nl = strchr(line, '\n');
		*nl = '\0';
		sorted = akb_xgrow(sorted, n, &cap, 32, sizeof(char *));
		sorted[n++] = line;
		line = nl + 1;
	}
	if (n)
		qsort(sorted, n, sizeof(char *), S_by_line);
	struct akb_buf all = AKB_BUF_INIT;
	akb_buf_printf(&all, "%s\n", theme->dir ? theme->dir : "(built-in)");
	for (size_t i = 0; i < n; i++)
		akb_buf_printf(&all, "%s\n", sorted[i]);
	uint64_t digest = akb_digest(all.ptr, all.len);
	free(sorted);
	akb_buf_release(&all);
	akb_buf_release(&lines);
	return digest;
}
