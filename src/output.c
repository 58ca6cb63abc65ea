/*
 * output: the staging folder and the swap into OUT (see output.h), so a
 * failed build never leaves a half-written site.
 */
#define _GNU_SOURCE 1 /* renameat2 and RENAME_EXCHANGE (glibc 2.28) */
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
#include "agentkb/threads.h"

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

static int S_make_folder(char *dir);
static int S_make_parents(char *path);

static int S_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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

/*
 * Work folders and files are named "<prefix><pid>-XXXXXX" so a later run can
 * tell litter (its process is gone: kill -9, power loss) from the work of a
 * build still running beside it, which must be left alone.
 */
static int S_owner_gone(const char *after_prefix)
{
	char *end;
	long pid = strtol(after_prefix, &end, 10);
	if (end == after_prefix || *end != '-' || pid <= 0)
		return 0; /* not named by this version: not ours to judge */
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* The names in `dir` that start with `prefix` and whose process is gone (sorted; NULL-terminated). */
static char **S_stale(const char *dir, const char *prefix, size_t *count)
{
	size_t n = 0, cap = 0, plen = strlen(prefix);
	char **names = NULL;
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL)
			if (!strncmp(de->d_name, prefix, plen) && S_owner_gone(de->d_name + plen)) {
				names = akb_xgrow(names, n + 1, &cap, 8, sizeof(*names));
				names[n++] = akb_xstrdup(de->d_name);
			}
		closedir(d);
	}
	names = akb_xgrow(names, n + 1, &cap, 8, sizeof(*names));
	names[n] = NULL;
	qsort(names, n, sizeof(*names), S_cmp_names);
	*count = n;
	return names;
}

static void S_free_names(char **names)
{
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}

void akb_work_template(struct akb_buf *out, const char *dir, const char *prefix)
{
	akb_buf_clear(out);
	akb_buf_printf(out, "%s/%s%ld-XXXXXX", dir, prefix, (long)getpid());
}

void akb_sweep_stale(const char *dir, const char *prefix)
{
	size_t n;
	char **names = S_stale(dir, prefix, &n);
	struct akb_buf path = AKB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		akb_buf_clear(&path);
		akb_buf_printf(&path, "%s/%s", dir, names[i]);
		akb_remove_tree(path.ptr);
	}
	akb_buf_release(&path);
	S_free_names(names);
}

/*
 * What an interrupted build left beside OUT. If OUT is gone, the swap was cut
 * between its two renames (the fallback without RENAME_EXCHANGE): the old site
 * set aside as ".NAME.tmp-PID-X.old-Y" goes back into place. Everything else
 * of a dead build (its staging folder, a replaced site not yet deleted) goes.
 */
static void S_recover(const char *parent, const char *prefix, const char *out_dir, struct akb_diag *diag)
{
	struct akb_buf path = AKB_BUF_INIT;
	size_t n;
	char **names = S_stale(parent, prefix, &n);
	struct stat st;
	if (n && lstat(out_dir, &st) != 0 && errno == ENOENT) {
		for (size_t i = n; i-- > 0;) {
			if (!strstr(names[i], ".old-"))
				continue;
			akb_buf_clear(&path);
			akb_buf_printf(&path, "%s/%s", parent, names[i]);
			if (rename(path.ptr, out_dir) == 0) {
				akb_warn(diag, out_dir, 0, 0, "restored the previous site, which an interrupted build had set aside");
				break;
			}
		}
	}
	S_free_names(names);
	akb_sweep_stale(parent, prefix);
	akb_buf_release(&path);
}

/* Is `inner` `outer` itself or inside it? Both are resolved, absolute paths. */
static int S_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (n == 1 && outer[0] == '/')
		return 1;
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

static int S_empty_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *de;
	int empty = 1;
	while (empty && (de = readdir(d)) != NULL)
		empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
	closedir(d);
	return empty;
}

/*
 * `path` made absolute: its longest existing prefix resolved (links
 * followed), the rest appended component by component. A folder that does
 * not exist is no link, so ".." in the rest just steps back. Into `out`;
 * -1 (errno) if even the prefix cannot be resolved.
 */
static int S_absolute(const char *path, struct akb_buf *out)
{
	struct akb_buf head = AKB_BUF_INIT;
	akb_buf_puts(&head, *path ? path : ".");
	size_t rest = head.len;
	char *real;
	while (!(real = realpath(head.ptr, NULL))) {
		if (errno != ENOENT) {
			akb_buf_release(&head);
			return -1;
		}
		size_t n = head.len;
		while (n > 1 && head.ptr[n - 1] == '/')
			n--;
		while (n > 0 && head.ptr[n - 1] != '/')
			n--;
		rest = n;
		while (n > 1 && head.ptr[n - 1] == '/')
			n--;
		akb_buf_truncate(&head, n);
		if (!n)
			akb_buf_puts(&head, ".");
	}
	akb_buf_clear(out);
	akb_buf_puts(out, real);
	free(real);
	const char *p = path + (rest < strlen(path) ? rest : strlen(path));
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (out->len > 1 && out->ptr[out->len - 1] != '/')
				out->len--;
			if (out->len > 1)
				out->len--;
			out->ptr[out->len] = '\0';
		} else if (len && !(len == 1 && p[0] == '.')) {
			if (out->len > 1)
				akb_buf_putc(out, '/');
			akb_buf_put(out, p, len);
		}
		p += len;
		while (*p == '/')
			p++;
	}
	akb_buf_release(&head);
	return 0;
}

/*
 * A build replaces OUT whole, so OUT must be a folder agentkb may replace:
 * not the content, not a folder holding it or inside it, not the home folder,
 * and, if it exists, empty or marked as a site agentkb wrote (AKB_OUTPUT_MARKER,
 * or the build cache of an older version beside it).
 */
static int S_check_target(const char *out_dir, const char *content, struct akb_diag *diag)
{
	struct akb_buf abs = AKB_BUF_INIT, file = AKB_BUF_INIT;
	char *content_real = content ? realpath(content, NULL) : NULL;
	const char *home = getenv("HOME");
	char *home_real = home && *home ? realpath(home, NULL) : NULL;
	int rc = -1;
	if (S_absolute(out_dir, &abs) != 0) {
		akb_error(diag, out_dir, 0, 0, "unable to resolve path: %s", strerror(errno));
		goto done;
	}
	struct stat st;
	int exists = stat(abs.ptr, &st) == 0;
	if (content_real && !strcmp(abs.ptr, content_real))
		akb_error(diag, out_dir, 0, 0, "output is the content folder; choose another -o");
	else if (content_real && S_within(abs.ptr, content_real))
		akb_error(diag, out_dir, 0, 0, "output is inside the content folder '%s'; choose a folder outside it",
			  content);
	else if (content_real && S_within(content_real, abs.ptr))
		akb_error(diag, out_dir, 0, 0, "output holds the content folder '%s'; building would replace it", content);
	else if (home_real && !strcmp(abs.ptr, home_real))
		akb_error(diag, out_dir, 0, 0, "output is the home folder; choose a folder of its own");
	else if (exists && !S_ISDIR(st.st_mode))
		akb_error(diag, out_dir, 0, 0, "output exists and is not a folder");
	else if (exists && !S_empty_dir(abs.ptr)) {
		akb_buf_printf(&file, "%s/%s", abs.ptr, AKB_OUTPUT_MARKER);
		int ours = access(file.ptr, F_OK) == 0;
		if (!ours) {
			akb_cache_file(out_dir, &file);
			ours = access(file.ptr, F_OK) == 0;
		}
		if (ours)
			rc = 0;
		else
			akb_error(diag, out_dir, 0, 0, "output exists and was not written by agentkb (it has no %s); "
				  "empty it, remove it or choose another -o", AKB_OUTPUT_MARKER);
	} else {
		rc = 0;
	}
done:
	free(content_real);
	free(home_real);
	akb_buf_release(&abs);
	akb_buf_release(&file);
	return rc;
}

/*
 * Reads the cache of OUT; the build is incremental when it can be trusted
 * and OUT is a folder to update. An OUT without a cache is rebuilt whole.
 */
static void S_open_cache(struct akb_output *o, enum akb_cache_mode mode, struct akb_diag *diag)
{
	akb_cache_init(&o->prev);
	akb_cache_init(&o->next);
	if (mode == AKB_CACHE_OFF)
		return;
	struct akb_buf file = AKB_BUF_INIT;
	akb_cache_file(o->final_dir, &file);
	o->cache_file = akb_buf_detach(&file, NULL);
	struct stat st;
	if (mode == AKB_CACHE_USE && lstat(o->final_dir, &st) == 0 && S_ISDIR(st.st_mode))
		o->incremental = akb_cache_load(&o->prev, o->cache_file, diag) == 0;
}

int akb_output_may_replace(const char *out_dir, const char *content)
{
	struct akb_diag quiet;
	akb_diag_init(&quiet, NULL);
	struct akb_buf parent = AKB_BUF_INIT, base = AKB_BUF_INIT;
	S_split(out_dir, &parent, &base);
	int ok = base.len && strcmp(base.ptr, ".") && strcmp(base.ptr, "..") && strcmp(base.ptr, "/") &&
		 S_check_target(out_dir, content, &quiet) == 0;
	akb_buf_release(&parent);
	akb_buf_release(&base);
	akb_diag_release(&quiet);
	return ok;
}

int akb_output_begin(struct akb_output *o, const char *out_dir, const char *content, enum akb_cache_mode cache,
		     struct akb_diag *diag)
{
	memset(o, 0, sizeof(*o));
	struct akb_buf parent = AKB_BUF_INIT, base = AKB_BUF_INIT, tmpl = AKB_BUF_INIT;
	S_split(out_dir, &parent, &base);
	if (!base.len || !strcmp(base.ptr, ".") || !strcmp(base.ptr, "..") || !strcmp(base.ptr, "/")) {
		akb_error(diag, out_dir, 0, 0, "output must name a folder of its own");
		goto fail;
	}
	if (S_check_target(out_dir, content, diag) != 0)
		goto fail;
	/* Checked first, so a refused OUT leaves no folder behind. */
	if (S_make_folder(parent.ptr) != 0) {
		akb_error(diag, parent.ptr, 0, 0, "unable to create folder: %s", strerror(errno));
		goto fail;
	}
	struct akb_buf prefix = AKB_BUF_INIT;
	akb_buf_printf(&prefix, ".%s.tmp-", base.ptr);
	S_recover(parent.ptr, prefix.ptr, out_dir, diag);
	akb_work_template(&tmpl, parent.ptr, prefix.ptr);
	akb_buf_release(&prefix);
	if (!mkdtemp(tmpl.ptr)) {
		akb_error(diag, out_dir, 0, 0, "unable to create the new site's staging folder in '%s': %s", parent.ptr,
			  strerror(errno));
		goto fail;
	}
	/* mkdtemp makes the folder 0700; a published site must be readable. */
	chmod(tmpl.ptr, 0755);
	o->final_dir = akb_xstrdup(out_dir);
	o->staging_dir = akb_buf_detach(&tmpl, NULL);
	S_open_cache(o, cache, diag);
	akb_buf_release(&parent);
	akb_buf_release(&base);
	static const char marker[] = "This folder is a site written by agentkb; `agentkb build -o` may replace it.\n";
	return akb_output_write(o, AKB_OUTPUT_MARKER, marker, sizeof marker - 1, diag);
fail:
	akb_cache_init(&o->prev);
	akb_cache_init(&o->next);
	akb_buf_release(&parent);
	akb_buf_release(&base);
	akb_buf_release(&tmpl);
	o->failed = 1;
	return -1;
}

/* Guards the counters and the new cache: render writes agent pages from several threads (render.h: jobs). */
static pthread_mutex_t S_count_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * mkdir -p of `dir`, deepest first: mostly only the last folder is missing.
 * Another thread making the same folder is fine (EEXIST).
 */
static int S_make_folder(char *dir)
{
	int rc = mkdir(dir, 0777);
	if (rc != 0 && errno == ENOENT && S_make_parents(dir) == 0)
		rc = mkdir(dir, 0777);
	return rc == 0 || errno == EEXIST ? 0 : -1;
}

/* mkdir -p of the folder `path` is in. */
static int S_make_parents(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	int rc = S_make_folder(path);
	*slash = '/';
	return rc;
}

/*
 * Writes a whole file in a few system calls: its folders are made only when
 * the open says they are missing, not tried for every file (a site is
 * thousands of files in a few hundred folders). Sets *st to the file's stat
 * once written (for the cache). Returns 0, or -1 with errno.
 */
static int S_write_file(char *path, const void *data, size_t len, struct stat *st)
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
	if (fstat(fd, st) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

/* Refuses a write after an interrupt or outside OUT. Returns 0 or -1 (reported). */
static int S_may_write(struct akb_output *o, const char *rel, struct akb_diag *diag)
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
	return 0;
}

/*
 * Is OUT's copy of `rel` already these bytes? Only when the cache says so
 * and the file still has the stat the cache recorded.
 */
static const struct akb_cache_entry *S_unchanged(struct akb_output *o, const char *rel, uint64_t digest, size_t len)
{
	if (!o->incremental)
		return NULL;
	const struct akb_cache_entry *e = akb_cache_find(&o->prev, rel);
	if (!e || e->digest != digest || e->size != len)
		return NULL;
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/%s", o->final_dir, rel);
	struct stat st;
	int same = lstat(path.ptr, &st) == 0 && akb_cache_stat_matches(e, &st);
	akb_buf_release(&path);
	return same ? e : NULL;
}

/* Counts a file into the site and the new cache: kept as it is in OUT (`kept`) or staged with stat `st`. */
static void S_record(struct akb_output *o, const char *rel, uint64_t digest, size_t len,
		     const struct akb_cache_entry *kept, const struct stat *st)
{
	pthread_mutex_lock(&S_count_lock);
	struct akb_cache_entry *e = akb_cache_add(&o->next, rel, digest, len, st);
	if (kept) {
		e->mtime_s = kept->mtime_s;
		e->mtime_ns = kept->mtime_ns;
		e->ino = kept->ino;
	} else {
		e->staged = 1;
		o->written++;
	}
	o->files++;
	o->bytes += len;
	pthread_mutex_unlock(&S_count_lock);
}

/*
 * One message for a full disk, naming the file as it would be in OUT, not
 * thousands: the writes after it fail quietly (the build fails all the same).
 * One per `diag`: pages made on several threads each have theirs, and only
 * the first failed page's messages are kept (render.c), whichever thread
 * found the disk full first.
 */
static const char S_full[] = "no space left on device writing";

static int S_says_full(const struct akb_diagnostic *dg)
{
	return !strncmp(dg->message, S_full, sizeof S_full - 1);
}

static int S_said_full(const struct akb_diag *diag)
{
	for (size_t i = 0; diag && i < diag->len; i++)
		if (S_says_full(&diag->items[i]))
			return 1;
	return 0;
}

static void S_write_error(struct akb_output *o, const char *rel, int err, struct akb_diag *diag)
{
	if (err == ENOSPC || err == EDQUOT) {
		pthread_mutex_lock(&S_count_lock);
		o->disk_full = 1;
		pthread_mutex_unlock(&S_count_lock);
		if (S_said_full(diag))
			return;
		akb_error(diag, NULL, 0, 0, "%s '%s/%s'; '%s' left as it was", S_full, o->final_dir, rel, o->final_dir);
	} else {
		akb_error(diag, NULL, 0, 0, "unable to write '%s/%s': %s", o->final_dir, rel, strerror(err));
	}
}

void akb_output_append_messages(struct akb_diag *to, const struct akb_diag *from)
{
	int full = S_said_full(to);
	for (size_t i = 0; i < from->len; i++) {
		const struct akb_diagnostic *d = &from->items[i];
		if (S_says_full(d) && full)
			continue;
		akb_diag_add(to, d->severity, d->path, d->line, d->col, "%s", d->message);
		full |= S_says_full(d);
	}
}

static void S_failed(struct akb_output *o)
{
	pthread_mutex_lock(&S_count_lock);
	o->failed = 1;
	pthread_mutex_unlock(&S_count_lock);
}

int akb_output_write(struct akb_output *o, const char *rel, const void *data, size_t len, struct akb_diag *diag)
{
	return akb_output_write_digested(o, rel, data, len, akb_digest(data, len), diag);
}

int akb_output_write_digested(struct akb_output *o, const char *rel, const void *data, size_t len, uint64_t digest,
			      struct akb_diag *diag)
{
	if (S_may_write(o, rel, diag) != 0)
		return -1;
	const struct akb_cache_entry *kept = S_unchanged(o, rel, digest, len);
	if (kept) {
		S_record(o, rel, digest, len, kept, NULL);
		return 0;
	}
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/%s", o->staging_dir, rel);
	struct stat st;
	int rc = S_write_file(path.ptr, data, len, &st);
	if (rc)
		S_write_error(o, rel, errno, diag);
	akb_buf_release(&path);
	if (rc)
		S_failed(o);
	else
		S_record(o, rel, digest, len, NULL, &st);
	return rc;
}

int akb_output_adopt(struct akb_output *o, const char *rel, struct akb_diag *diag)
{
	if (S_may_write(o, rel, diag) != 0)
		return -1;
	struct akb_buf path = AKB_BUF_INIT, data = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/%s", o->staging_dir, rel);
	struct stat st;
	int rc = akb_buf_read_file(&data, path.ptr) == 0 && stat(path.ptr, &st) == 0 ? 0 : -1;
	if (rc) {
		akb_error(diag, path.ptr, 0, 0, "unable to read: %s", strerror(errno));
		S_failed(o);
	} else {
		uint64_t digest = akb_digest(data.ptr, data.len);
		const struct akb_cache_entry *kept = S_unchanged(o, rel, digest, data.len);
		if (kept)
			unlink(path.ptr);
		S_record(o, rel, digest, data.len, kept, &st);
	}
	akb_buf_release(&path);
	akb_buf_release(&data);
	return rc;
}

int akb_output_keep(struct akb_output *o, const struct akb_kept_file *files, size_t n)
{
	const struct akb_cache_entry *stack[4], **kept = n <= 4 ? stack : akb_xcalloc(n, sizeof(*kept));
	size_t i = 0;
	if (o->staging_dir && !S_interrupted)
		for (; i < n && (kept[i] = S_unchanged(o, files[i].rel, files[i].digest, files[i].size)) != NULL; i++)
			;
	int all = i == n && n;
	for (size_t j = 0; all && j < n; j++)
		S_record(o, files[j].rel, files[j].digest, files[j].size, kept[j], NULL);
	if (kept != stack)
		free(kept);
	return all;
}

int akb_output_staging_path(struct akb_output *o, const char *rel, struct akb_buf *path, struct akb_diag *diag)
{
	if (S_may_write(o, rel, diag) != 0)
		return -1;
	akb_buf_clear(path);
	akb_buf_printf(path, "%s/%s", o->staging_dir, rel);
	/* Its folder may hold nothing else new: an incremental build writes only changed files. */
	if (S_make_parents(path->ptr) != 0) {
		akb_error(diag, NULL, 0, 0, "unable to create the folder of '%s/%s': %s", o->final_dir, rel,
			  strerror(errno));
		S_failed(o);
		return -1;
	}
	return 0;
}

int akb_output_recorded(struct akb_output *o, const char *rel, uint64_t *digest, uint64_t *size)
{
	pthread_mutex_lock(&S_count_lock);
	const struct akb_cache_entry *e = akb_cache_find(&o->next, rel);
	if (e) {
		*digest = e->digest;
		*size = e->size;
	}
	pthread_mutex_unlock(&S_count_lock);
	return e != NULL;
}

int akb_output_has(struct akb_output *o, const char *rel)
{
	pthread_mutex_lock(&S_count_lock);
	int has = akb_cache_find(&o->next, rel) != NULL;
	pthread_mutex_unlock(&S_count_lock);
	return has;
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

/*
 * The full build's commit. With RENAME_EXCHANGE (Linux 3.15+) the new site
 * and the old one trade places in one step, so OUT always exists; elsewhere
 * it is two renames, old site aside then new one in, and a kill between them
 * is undone by the next build (S_recover).
 */
static int S_commit_swap(struct akb_output *o, struct akb_diag *diag)
{
	struct akb_buf old = AKB_BUF_INIT;
	struct stat st;
	int had_old = lstat(o->final_dir, &st) == 0;
	if (had_old && !S_ISDIR(st.st_mode)) {
		akb_output_abort(o);
		return akb_error(diag, o->final_dir, 0, 0, "output exists and is not a folder");
	}
#ifdef RENAME_EXCHANGE
	if (had_old && renameat2(AT_FDCWD, o->staging_dir, AT_FDCWD, o->final_dir, RENAME_EXCHANGE) == 0) {
		akb_output_abort(o); /* the staging name now holds the old site */
		return 0;
	}
#endif
	if (had_old) {
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

/* Path helpers for the walk below: `rel` grows and shrinks as it descends. */
static void S_join(struct akb_buf *b, const char *root, const char *rel)
{
	akb_buf_clear(b);
	akb_buf_printf(b, "%s/%s", root, rel);
}

/*
 * Removes from OUT everything the new site does not have (files a clean
 * build would not make), and the folders that leaves empty. Works relative
 * to each folder's descriptor, so no path is walked from the root again;
 * the subfolders of a folder with many (agents/) are pruned on several
 * threads. Every incremental build walks all of OUT this way.
 */
#define PRUNE_FORK_AT 64

static size_t S_prune_dir(const struct akb_output *o, int parent, const char *name, struct akb_buf *rel,
			  int may_fork);

struct prune_job {
	const struct akb_output *o;
	int dirfd;
	const char *rel;   /* the folder's path below OUT, "" for OUT */
	char **names;      /* its subfolders */
	size_t *left;      /* per subfolder: 1 when it stays, 0 when it went */
};

/*
 * Prunes subfolder `name` of `dirfd` (`rel` the folder's path below OUT,
 * left as it was) and removes it when that leaves it empty (the new files'
 * folders are made again). Returns 1 when it stays, 0 when it went.
 */
static size_t S_prune_sub(const struct akb_output *o, int dirfd, const char *name, struct akb_buf *rel, int may_fork)
{
	size_t mark = rel->len;
	if (mark)
		akb_buf_putc(rel, '/');
	akb_buf_puts(rel, name);
	size_t left = S_prune_dir(o, dirfd, name, rel, may_fork);
	akb_buf_truncate(rel, mark);
	return left ? 1 : unlinkat(dirfd, name, AT_REMOVEDIR) != 0;
}

static void S_prune_task(void *ctx, size_t k)
{
	struct prune_job *j = ctx;
	struct akb_buf rel = AKB_BUF_INIT;
	akb_buf_puts(&rel, j->rel);
	j->left[k] = S_prune_sub(j->o, j->dirfd, j->names[k], &rel, 0);
	akb_buf_release(&rel);
}

/* Prunes folder `name` of `parent` (`rel` its path below OUT); returns how many entries it still holds. */
static size_t S_prune_dir(const struct akb_output *o, int parent, const char *name, struct akb_buf *rel,
			  int may_fork)
{
	/* OUT itself may be a link to a folder; a link inside it is a file to remove, never followed. */
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (parent == AT_FDCWD ? 0 : O_NOFOLLOW));
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 1; /* unknown: not to be removed */
	}
	size_t mark = rel->len, left = 0, nsub = 0, capsub = 0;
	char **subs = NULL; /* subfolders, when they are pruned on several threads */
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		int is_dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {
			struct stat st;
			is_dir = fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		}
		if (is_dir && may_fork) {
			subs = akb_xgrow(subs, nsub, &capsub, 64, sizeof(char *));
			subs[nsub++] = akb_xstrdup(de->d_name);
		} else if (is_dir) {
			left += S_prune_sub(o, fd, de->d_name, rel, 0);
		} else {
			if (mark)
				akb_buf_putc(rel, '/');
			akb_buf_puts(rel, de->d_name);
			left += akb_cache_find(&o->next, rel->ptr) ? 1 : unlinkat(fd, de->d_name, 0) != 0;
			akb_buf_truncate(rel, mark);
		}
	}
	if (nsub) {
		struct prune_job job = { o, fd, rel->ptr ? rel->ptr : "", subs, akb_xcalloc(nsub, sizeof(size_t)) };
		/* A few subfolders (OUT's own) are pruned here, each free to fork for its own. */
		if (nsub >= PRUNE_FORK_AT)
			akb_parallel_for(nsub, akb_cores(), S_prune_task, &job);
		else
			for (size_t k = 0; k < nsub; k++)
				job.left[k] = S_prune_sub(o, fd, subs[k], rel, 1);
		for (size_t k = 0; k < nsub; k++) {
			left += job.left[k];
			free(subs[k]);
		}
		free(job.left);
		free(subs);
	}
	closedir(d);
	return left;
}

/*
 * The incremental commit: OUT loses what the new site does not have, then
 * each changed file moves in with a rename (atomic per file). Should a move
 * fail, OUT is partly updated: the cache is dropped, so the next build is
 * a full one.
 */
static int S_commit_in_place(struct akb_output *o, struct akb_diag *diag)
{
	struct akb_buf rel = AKB_BUF_INIT, from = AKB_BUF_INIT, to = AKB_BUF_INIT;
	/* Killed from here on, OUT is part old, part new (each file whole): without
	 * a cache the next build is a full one and swaps in a complete site. */
	akb_cache_remove(o->cache_file);
	S_prune_dir(o, AT_FDCWD, o->final_dir, &rel, 1);
	int rc = 0;
	for (size_t i = 0; i < o->next.len && !rc; i++) {
		const struct akb_cache_entry *e = &o->next.items[i];
		if (!e->staged)
			continue;
		S_join(&from, o->staging_dir, e->path);
		S_join(&to, o->final_dir, e->path);
		rc = rename(from.ptr, to.ptr);
		if (rc != 0 && errno == ENOENT && S_make_parents(to.ptr) == 0)
			rc = rename(from.ptr, to.ptr);
		if (rc != 0)
			akb_error(diag, to.ptr, 0, 0, "unable to move the new file into place: %s; build again",
				  strerror(errno));
	}
	akb_buf_release(&rel);
	akb_buf_release(&from);
	akb_buf_release(&to);
	akb_output_abort(o); /* the staging folder, now only empty folders */
	return rc ? -1 : 0;
}

int akb_output_commit(struct akb_output *o, struct akb_diag *diag)
{
	if (o->failed || !o->staging_dir || S_interrupted) {
		akb_output_abort(o);
		return -1;
	}
	int rc = o->incremental ? S_commit_in_place(o, diag) : S_commit_swap(o, diag);
	if (o->cache_file && rc == 0)
		akb_cache_save(&o->next, o->cache_file, diag);
	else if (o->cache_file && o->incremental)
		akb_cache_remove(o->cache_file);
	return rc;
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
	akb_cache_release(&o->prev);
	akb_cache_release(&o->next);
	free(o->cache_file);
	free(o->final_dir);
	memset(o, 0, sizeof(*o));
}

int akb_temp_dir(const char *what, struct akb_buf *dir, struct akb_diag *diag)
{
	const char *root = getenv("TMPDIR");
	root = root && *root ? root : "/tmp";
	struct akb_buf prefix = AKB_BUF_INIT;
	akb_buf_printf(&prefix, "agentkb-%s-", what);
	akb_sweep_stale(root, prefix.ptr); /* those of killed runs */
	akb_work_template(dir, root, prefix.ptr);
	akb_buf_release(&prefix);
	if (mkdtemp(dir->ptr))
		return 0;
	akb_error(diag, dir->ptr, 0, 0, "unable to create a temporary folder: %s", strerror(errno));
	akb_buf_clear(dir);
	return -1;
}
