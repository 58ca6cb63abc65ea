#include "prefix.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/theme.h"

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
	if (!theme->dir)
		rc = akb_error(diag, cfg->path, 0, 0, "theme '%s' not found (looked in %s)", name, tried.ptr);
	akb_buf_release(&tried);
	akb_buf_release(&cand);
	return rc;
}

void akb_theme_release(struct akb_theme *theme)
{
	free(theme->dir);
	theme->dir = NULL;
}

int akb_theme_load_template(void *ctx, const char *name, struct akb_buf *out, struct akb_buf *display_path)
{
	const struct akb_theme *theme = ctx;
	/* Template names come from theme files and hooks; keep them inside templates/. */
	if (!*name || strstr(name, "..") || name[0] == '/')
		return -1;
	struct akb_buf path = AKB_BUF_INIT;
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

static int S_each(struct akb_buf *path, struct akb_buf *rel, int (*fn)(void *, const char *, const char *), void *ctx)
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
			rc = fn(ctx, rel->ptr, path->ptr);
	}
	closedir(d);
	akb_buf_truncate(path, plen);
	akb_buf_truncate(rel, rlen);
	return rc;
}

int akb_theme_each_static(const struct akb_theme *theme, int (*fn)(void *ctx, const char *rel, const char *path),
			  void *ctx)
{
	struct akb_buf path = AKB_BUF_INIT, rel = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/static", theme->dir);
	int rc = S_each(&path, &rel, fn, ctx);
	akb_buf_release(&path);
	akb_buf_release(&rel);
	return rc;
}
