/*
 * walk: stage 1, the input files of a site (see walk.h). Reads folders in
 * sorted order so every build sees the same files in the same order.
 */
#include "core/prefix.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "agentkb/buf.h"
#include "agentkb/dir.h"
#include "agentkb/format.h"
#include "agentkb/walk.h"

const char *const akb_walk_default_not_agents[] = { "README", "CONTRIBUTING", "CHANGELOG", "LICENSE",
						    NULL };

/* A folder on the current descent path, to detect symlink loops. */
struct visit {
	dev_t dev;
	ino_t ino;
};

struct walker {
	const char *root;
	char *root_real; /* realpath of root, for the "stays inside" check */
	const char *const *not_agents;
	struct akb_input_list *out;
	struct akb_diag *diag;
	struct visit *stack;
	size_t depth, cap;
	size_t skill_depth;   /* depth of the skill folder being walked (its files are the skill's), or 0 */
	size_t skill_rel_len; /* its path's length in rel */
};

static struct akb_input *S_push_input(struct akb_input_list *list, const char *path, const char *rel,
				      const char *skip)
{
	if (list->len == list->cap) {
		list->cap = list->cap ? list->cap * 2 : 64;
		list->items = akb_xrealloc(list->items, akb_xmul(list->cap, sizeof(*list->items)));
	}
	struct akb_input *in = &list->items[list->len++];
	in->path = akb_xstrdup(path);
	in->rel = akb_xstrdup(rel);
	in->skip = skip ? akb_xstrdup(skip) : NULL;
	in->attached = 0;
	in->attached_to = SIZE_MAX;
	return in;
}

static int S_has_md_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcasecmp(name + n - 3, ".md") == 0;
}

static const char *S_not_agent(const struct walker *w, const char *name)
{
	size_t stem = strlen(name) - 3;
	for (const char *const *p = w->not_agents; *p; p++)
		if (strlen(*p) == stem && strncasecmp(*p, name, stem) == 0)
			return *p;
	return NULL;
}

/* Is `real` (a resolved path) inside the resolved root? */
static int S_inside_root(const struct walker *w, const char *real)
{
	size_t n = strlen(w->root_real);
	if (strncmp(real, w->root_real, n) != 0)
		return 0;
	return real[n] == '\0' || real[n] == '/' || (n == 1 && w->root_real[0] == '/');
}

static int S_on_stack(const struct walker *w, const struct stat *st)
{
	for (size_t i = 0; i < w->depth; i++)
		if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* Hidden entries are skipped, but for the harnesses' own folders (.claude, .github, ...). */
static int S_walked(const char *name)
{
	return (name[0] != '.' || akb_format_hidden_dir_ok(name)) && strcmp(name, "node_modules") != 0;
}

static void S_walk_dir(struct walker *w, struct akb_buf *path, struct akb_buf *rel, const struct stat *dir_st)
{
	size_t count;
	char **names = akb_dir_names(path->ptr, S_walked, &count);
	if (!names) {
		akb_warn(w->diag, path->ptr, 0, 0, "unable to read folder: %s", strerror(errno));
		return;
	}
	w->stack = akb_xgrow(w->stack, w->depth, &w->cap, 16, sizeof(*w->stack));
	w->stack[w->depth++] = (struct visit){ dir_st->st_dev, dir_st->st_ino };

	/* A folder with a SKILL.md is a skill: every file in it, scripts and all, is the skill's. */
	for (size_t i = 0; i < count && !w->skill_depth; i++)
		if (!strcmp(names[i], "SKILL.md")) {
			w->skill_depth = w->depth;
			w->skill_rel_len = rel->len;
		}

	size_t path_len = path->len, rel_len = rel->len;
	for (size_t i = 0; i < count; i++) {
		const char *name = names[i];
		akb_buf_truncate(path, path_len);
		akb_buf_truncate(rel, rel_len);
		if (path->len && path->ptr[path->len - 1] != '/')
			akb_buf_putc(path, '/');
		akb_buf_puts(path, name);
		if (rel->len)
			akb_buf_putc(rel, '/');
		akb_buf_puts(rel, name);

		struct stat lst, st;
		if (lstat(path->ptr, &lst) != 0) {
			akb_warn(w->diag, path->ptr, 0, 0, "unable to stat: %s", strerror(errno));
			continue;
		}
		st = lst;
		if (S_ISLNK(lst.st_mode)) {
			char *real = realpath(path->ptr, NULL);
			if (!real) {
				if (S_has_md_suffix(name))
					akb_warn(w->diag, path->ptr, 0, 0, "broken symbolic link; skipped");
				continue;
			}
			int inside = S_inside_root(w, real);
			free(real);
			if (stat(path->ptr, &st) != 0)
				continue;
			if (!inside) {
				if (S_ISDIR(st.st_mode) || S_has_md_suffix(name))
					akb_warn(w->diag, path->ptr, 0, 0,
						 "symbolic link leads outside '%s'; not followed", w->root);
				continue;
			}
		}
		if (S_ISDIR(st.st_mode)) {
			if (S_on_stack(w, &st)) {
				akb_warn(w->diag, path->ptr, 0, 0, "symbolic link loop; not followed");
				continue;
			}
			S_walk_dir(w, path, rel, &st);
		} else if (S_ISREG(st.st_mode) && w->skill_depth && strcmp(name, "SKILL.md")) {
			if (name[0] == '.')
				continue;
			struct akb_buf why = AKB_BUF_INIT;
			akb_buf_printf(&why, "a file of the skill in '%.*s'", (int)(w->skill_rel_len ? w->skill_rel_len : 1),
				       w->skill_rel_len ? rel->ptr : ".");
			S_push_input(w->out, path->ptr, rel->ptr, why.ptr)->attached = 1;
			akb_buf_release(&why);
		} else if (S_ISREG(st.st_mode) && akb_format_is_input(rel->ptr)) {
			const char *not_agent = S_has_md_suffix(name) ? S_not_agent(w, name) : NULL;
			struct akb_buf why = AKB_BUF_INIT;
			if (not_agent)
				akb_buf_printf(&why, "not an agent (%s files are documentation)", not_agent);
			S_push_input(w->out, path->ptr, rel->ptr, not_agent ? why.ptr : NULL);
			akb_buf_release(&why);
		} else if (!S_ISREG(st.st_mode) && akb_format_is_input(rel->ptr)) {
			/* Never opened: reading a FIFO or a device can block or never end. */
			const char *kind = S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" :
					   S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "not a regular file";
			struct akb_buf why = AKB_BUF_INIT;
			akb_buf_printf(&why, "%s, not a file", kind);
			akb_warn(w->diag, path->ptr, 0, 0, "%s; skipped", why.ptr);
			S_push_input(w->out, path->ptr, rel->ptr, why.ptr);
			akb_buf_release(&why);
		}
	}
	akb_buf_truncate(path, path_len);
	akb_buf_truncate(rel, rel_len);
	akb_dir_names_free(names);
	if (w->skill_depth == w->depth)
		w->skill_depth = 0;
	w->depth--;
}

int akb_walk(const char *root, const struct akb_walk_options *opts, struct akb_input_list *out,
	     struct akb_diag *diag)
{
	struct stat st;
	if (stat(root, &st) != 0)
		return akb_error(diag, root, 0, 0, "unable to read content folder: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return akb_error(diag, root, 0, 0, "content is not a folder");
	struct walker w = { 0 };
	w.root = root;
	w.root_real = realpath(root, NULL);
	if (!w.root_real)
		return akb_error(diag, root, 0, 0, "unable to resolve path: %s", strerror(errno));
	w.not_agents = opts && opts->not_agents ? opts->not_agents : akb_walk_default_not_agents;
	w.out = out;
	w.diag = diag;
	struct akb_buf path = AKB_BUF_INIT, rel = AKB_BUF_INIT;
	akb_buf_puts(&path, root);
	while (path.len > 1 && path.ptr[path.len - 1] == '/')
		akb_buf_truncate(&path, path.len - 1);
	S_walk_dir(&w, &path, &rel, &st);
	akb_buf_release(&path);
	akb_buf_release(&rel);
	free(w.stack);
	free(w.root_real);
	return 0;
}

void akb_input_list_release(struct akb_input_list *list)
{
	for (size_t i = 0; i < list->len; i++) {
		free(list->items[i].path);
		free(list->items[i].rel);
		free(list->items[i].skip);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
