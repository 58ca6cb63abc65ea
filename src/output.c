/*
 * output: the staging folder and the swap into OUT (see output.h), so a
 * failed build never leaves a half-written site.
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/output.h"

static volatile sig_atomic_t S_interrupted;

static void S_on_signal(int sig)
{
	S_interrupted = sig;
}

void akb_output_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = S_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int akb_output_interrupted(void)
{
	return S_interrupted != 0;
}

/* Splits OUT into its parent folder and its last component. */
static void S_split(const char *path, struct akb_buf *parent, struct akb_buf *base)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t slash = n;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	if (slash == 0)
		akb_buf_puts(parent, ".");
	else
		akb_buf_put(parent, path, slash > 1 ? slash - 1 : 1);
	akb_buf_put(base, path + slash, n - slash);
}

int akb_output_begin(struct akb_output *o, const char *out_dir, struct akb_diag *diag)
{
	memset(o, 0, sizeof(*o));
	struct akb_buf parent = AKB_BUF_INIT, base = AKB_BUF_INIT, tmpl = AKB_BUF_INIT;
	S_split(out_dir, &parent, &base);
	if (!base.len || !strcmp(base.ptr, ".") || !strcmp(base.ptr, "..") || !strcmp(base.ptr, "/")) {
		akb_error(diag, out_dir, 0, 0, "output must name a folder of its own");
		goto fail;
	}
	if (mkdir(parent.ptr, 0777) != 0 && errno != EEXIST) {
		akb_error(diag, parent.ptr, 0, 0, "unable to create folder: %s", strerror(errno));
		goto fail;
	}
	akb_buf_printf(&tmpl, "%s/.%s.tmp-XXXXXX", parent.ptr, base.ptr);
	if (!mkdtemp(tmpl.ptr)) {
		akb_error(diag, tmpl.ptr, 0, 0, "unable to create staging folder: %s", strerror(errno));
		goto fail;
	}
	/* mkdtemp makes the folder 0700; a published site must be readable. */
	chmod(tmpl.ptr, 0755);
	o->final_dir = akb_xstrdup(out_dir);
	o->staging_dir = akb_buf_detach(&tmpl, NULL);
	akb_buf_release(&parent);
	akb_buf_release(&base);
	return 0;
fail:
	akb_buf_release(&parent);
	akb_buf_release(&base);
	akb_buf_release(&tmpl);
	o->failed = 1;
	return -1;
}

/* mkdir -p for the folders of `path` (everything before its last '/'). */
static pthread_mutex_t S_count_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * mkdir -p of the folder `path` is in, deepest first: mostly only the last
 * folder is missing. Another thread making the same folder is fine (EEXIST).
 */
static int S_make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	int rc = mkdir(path, 0777);
	if (rc != 0 && errno == ENOENT && S_make_parents(path) == 0)
		rc = mkdir(path, 0777);
	int ok = rc == 0 || errno == EEXIST;
	*slash = '/';
	return ok ? 0 : -1;
}

/*
 * Writes a whole file in three system calls: its folders are made only when
 * the open says they are missing, not tried for every file (a site is
 * thousands of files in a few hundred folders). Returns 0, or -1 with errno.
 */
static int S_write_file(char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 && errno == ENOENT && S_make_parents(path) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : ENOSPC;
			close(fd);
			errno = err;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

int akb_output_write(struct akb_output *o, const char *rel, const void *data, size_t len, struct akb_diag *diag)
{
	if (!o->staging_dir)
		return -1;
	if (S_interrupted) {
		if (!o->failed)
			akb_error(diag, NULL, 0, 0, "interrupted; '%s' left as it was", o->final_dir);
		o->failed = 1;
		return -1;
	}
	if (rel[0] == '/' || strstr(rel, "..")) {
		o->failed = 1;
		return akb_error(diag, rel, 0, 0, "refusing to write outside the output folder");
	}
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/%s", o->staging_dir, rel);
	int rc = S_write_file(path.ptr, data, len);
	if (rc)
		akb_error(diag, path.ptr, 0, 0, "unable to write: %s", strerror(errno));
	akb_buf_release(&path);
	/* render writes agent pages from several threads (render.h: jobs) */
	pthread_mutex_lock(&S_count_lock);
	if (rc) {
		o->failed = 1;
	} else {
		o->files++;
		o->bytes += len;
	}
	pthread_mutex_unlock(&S_count_lock);
	return rc;
}

int akb_output_copy(struct akb_output *o, const char *rel, const char *src, struct akb_diag *diag)
{
	struct akb_buf data = AKB_BUF_INIT;
	if (akb_buf_read_file(&data, src) != 0) {
		int err = errno;
		o->failed = 1;
		akb_buf_release(&data);
		return akb_error(diag, src, 0, 0, "unable to read: %s", strerror(err));
	}
	int rc = akb_output_write(o, rel, data.ptr, data.len, diag);
	akb_buf_release(&data);
	return rc;
}

int akb_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent *de;
	struct akb_buf child = AKB_BUF_INIT;
	int rc = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		akb_buf_clear(&child);
		akb_buf_printf(&child, "%s/%s", path, de->d_name);
		if (akb_remove_tree(child.ptr) != 0)
			rc = -1;
	}
	closedir(d);
	akb_buf_release(&child);
	if (rmdir(path) != 0)
		rc = -1;
	return rc;
}

int akb_output_commit(struct akb_output *o, struct akb_diag *diag)
{
	if (o->failed || !o->staging_dir || S_interrupted) {
		akb_output_abort(o);
		return -1;
	}
	/*
	 * Two renames: the old site moves aside, the new one into place. Between
	 * them OUT briefly does not exist, but it is never half-written.
	 */
	struct akb_buf old = AKB_BUF_INIT;
	struct stat st;
	int had_old = lstat(o->final_dir, &st) == 0;
	if (had_old) {
		if (!S_ISDIR(st.st_mode)) {
			akb_output_abort(o);
			return akb_error(diag, o->final_dir, 0, 0, "output exists and is not a folder");
		}
		akb_buf_printf(&old, "%s.old-XXXXXX", o->staging_dir);
		if (!mkdtemp(old.ptr) || rmdir(old.ptr) != 0 || rename(o->final_dir, old.ptr) != 0) {
			int err = errno;
			akb_output_abort(o);
			akb_buf_release(&old);
			return akb_error(diag, o->final_dir, 0, 0, "unable to replace output: %s", strerror(err));
		}
	}
	if (rename(o->staging_dir, o->final_dir) != 0) {
		int err = errno;
		if (had_old)
			rename(old.ptr, o->final_dir);
		akb_output_abort(o);
		akb_buf_release(&old);
		return akb_error(diag, o->final_dir, 0, 0, "unable to move the new site into place: %s",
				 strerror(err));
	}
	free(o->staging_dir);
	o->staging_dir = NULL;
	if (had_old)
		akb_remove_tree(old.ptr);
	akb_buf_release(&old);
	return 0;
}

void akb_output_abort(struct akb_output *o)
{
	if (o->staging_dir) {
		akb_remove_tree(o->staging_dir);
		free(o->staging_dir);
		o->staging_dir = NULL;
	}
}

void akb_output_release(struct akb_output *o)
{
	akb_output_abort(o);
	free(o->final_dir);
	memset(o, 0, sizeof(*o));
}

int akb_temp_dir(const char *what, struct akb_buf *dir, struct akb_diag *diag)
{
	const char *root = getenv("TMPDIR");
	akb_buf_clear(dir);
	akb_buf_printf(dir, "%s/agentkb-%s-XXXXXX", root && *root ? root : "/tmp", what);
	if (mkdtemp(dir->ptr))
		return 0;
	akb_error(diag, dir->ptr, 0, 0, "unable to create a temporary folder: %s", strerror(errno));
	akb_buf_clear(dir);
	return -1;
}
