/*
 * watch: the folders `agentkb serve` watches, through inotify. A tree is
 * watched folder by folder, and a folder created (or moved) into it is
 * added as it appears; a single file is watched through its folder, with
 * only its name counting, so an editor that replaces the file is seen.
 * Hidden names and editor backups ("~") never count.
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/serve_int.h"

#define S_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | \
		IN_DELETE_SELF | IN_MOVE_SELF)

int akb_watch_init(struct akb_watch *w, struct akb_diag *diag)
{
	memset(w, 0, sizeof *w);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		return akb_error(diag, NULL, 0, 0, "unable to watch files (inotify): %s", strerror(errno));
	return 0;
}

void akb_watch_release(struct akb_watch *w)
{
	for (size_t i = 0; i < w->len; i++) {
		free(w->dirs[i].path);
		for (char **n = w->dirs[i].names; n && *n; n++)
			free(*n);
		free(w->dirs[i].names);
	}
	free(w->dirs);
	if (w->fd >= 0)
		close(w->fd);
	memset(w, 0, sizeof *w);
	w->fd = -1;
}

static struct akb_watch_dir *S_by_wd(struct akb_watch *w, int wd)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

/* Adds (or finds) the watch on folder `path`. NULL when it cannot be watched. */
static struct akb_watch_dir *S_add(struct akb_watch *w, const char *path)
{
	int wd = inotify_add_watch(w->fd, path, S_MASK | IN_ONLYDIR);
	if (wd < 0)
		return NULL;
	struct akb_watch_dir *d = S_by_wd(w, wd);
	if (d)
		return d;
	w->dirs = akb_xgrow(w->dirs, w->len, &w->cap, 16, sizeof *w->dirs);
	d = &w->dirs[w->len++];
	memset(d, 0, sizeof *d);
	d->wd = wd;
	d->path = akb_xstrdup(path);
	return d;
}

static int S_ignored(const char *name)
{
	size_t n = strlen(name);
	return name[0] == '.' || (n && name[n - 1] == '~');
}

void akb_watch_tree(struct akb_watch *w, const char *path)
{
	struct akb_watch_dir *d = S_add(w, path);
	if (!d)
		return;
	d->tree = 1;
	DIR *dir = opendir(path);
	if (!dir)
		return;
	struct dirent *de;
	struct akb_buf child = AKB_BUF_INIT;
	while ((de = readdir(dir)) != NULL) {
		if (S_ignored(de->d_name) || !strcmp(de->d_name, "node_modules"))
			continue;
		akb_buf_clear(&child);
		akb_buf_printf(&child, "%s/%s", path, de->d_name);
		struct stat st;
		if (stat(child.ptr, &st) == 0 && S_ISDIR(st.st_mode))
			akb_watch_tree(w, child.ptr);
	}
	closedir(dir);
	akb_buf_release(&child);
}

void akb_watch_file(struct akb_watch *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? akb_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : akb_xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	struct akb_watch_dir *d = S_add(w, dir);
	free(dir);
	if (!d || d->tree)
		return;
	size_t n = 0;
	for (; d->names && d->names[n]; n++)
		if (!strcmp(d->names[n], base))
			return;
	d->names = akb_xrealloc(d->names, akb_xmul(n + 2, sizeof(char *)));
	d->names[n] = akb_xstrdup(base);
	d->names[n + 1] = NULL;
}

/* Does an event on `name` in `d` count? Adds a new folder of a tree to the watch. */
static int S_counts(struct akb_watch *w, struct akb_watch_dir *d, const struct inotify_event *ev, struct akb_buf *changed)
{
	const char *name = ev->len ? ev->name : "";
	if (*name && S_ignored(name))
		return 0;
	if (!d->tree) {
		int named = 0;
		for (char **n = d->names; n && *n && *name; n++)
			named |= !strcmp(*n, name);
		if (!named)
			return 0;
	}
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s%s%s", d->path, *name ? "/" : "", name);
	if (d->tree && (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
		akb_watch_tree(w, path.ptr);
	akb_buf_put(changed, path.ptr, path.len);
	akb_buf_putc(changed, '\n');
	akb_buf_release(&path);
	return 1;
}

int akb_watch_wait(struct akb_watch *w, int timeout_ms, struct akb_buf *changed)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	/* Aligned as inotify_event, and big enough for many events at once. */
	union {
		struct inotify_event ev;
		char bytes[16384];
	} u;
	int count = 0;
	for (;;) {
		ssize_t n = read(w->fd, u.bytes, sizeof u.bytes);
		if (n <= 0)
			break;
		for (char *p = u.bytes; p < u.bytes + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
			struct akb_watch_dir *d = S_by_wd(w, ev->wd);
			if (ev->mask & IN_Q_OVERFLOW)
				count++;
			else if (d && !(ev->mask & IN_IGNORED))
				count += S_counts(w, d, ev, changed);
			p += sizeof(struct inotify_event) + ev->len;
		}
	}
	return count;
}
