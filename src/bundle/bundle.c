/*
 * bundle: `agentkb bundle` (see bundle.h). Builds into a temporary folder,
 * packs it (bundle_html.c or archive.c) into a temporary file beside FILE,
 * then renames that into place; the folder and the temporary file are
 * removed whatever happens, an interrupt included (the signal handlers of
 * output.c only set a flag, so this code always gets to clean up).
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agentkb/archive.h"
#include "agentkb/bundle.h"
#include "agentkb/csp.h"
#include "agentkb/output.h"

const char akb_bundle_extensions[] = ".html, .zip, .tar.gz or .tgz";

static const struct {
	const char *ext;
	enum akb_bundle_kind kind;
} S_kinds[] = {
	{ ".html", AKB_BUNDLE_HTML }, { ".htm", AKB_BUNDLE_HTML }, { ".zip", AKB_BUNDLE_ZIP },
	{ ".tar.gz", AKB_BUNDLE_TAR_GZ }, { ".tgz", AKB_BUNDLE_TAR_GZ }, { NULL, AKB_BUNDLE_NONE },
};

/* The length of the extension that gives `path` its kind, or 0. */
static size_t S_ext_len(const char *path, enum akb_bundle_kind *kind)
{
	size_t n = strlen(path);
	for (int i = 0; S_kinds[i].ext; i++) {
		size_t m = strlen(S_kinds[i].ext);
		if (n > m && !strcasecmp(path + n - m, S_kinds[i].ext) && path[n - m - 1] != '/') {
			*kind = S_kinds[i].kind;
			return m;
		}
	}
	*kind = AKB_BUNDLE_NONE;
	return 0;
}

enum akb_bundle_kind akb_bundle_kind_of(const char *path)
{
	enum akb_bundle_kind kind;
	S_ext_len(path, &kind);
	return kind;
}

static double S_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* ---- the files of the built site ---- */

struct list {
	char **items;
	size_t len, cap;
};

static int S_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Appends the regular files under dir/rel (rel "" for dir itself) as
 * '/'-separated paths relative to dir, sorted, so bundles are the same from
 * one run to the next. Returns 0, or -1 with errno set.
 */
static int S_list(const char *dir, const char *rel, struct list *out)
{
	struct akb_buf path = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s%s%s", dir, *rel ? "/" : "", rel);
	DIR *d = opendir(path.ptr);
	if (!d) {
		akb_buf_release(&path);
		return -1;
	}
	struct list names = { 0 };
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (names.len == names.cap) {
			names.cap = names.cap ? names.cap * 2 : 16;
			names.items = akb_xrealloc(names.items, akb_xmul(names.cap, sizeof(char *)));
		}
		names.items[names.len++] = akb_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names.items, names.len, sizeof(char *), S_by_name);
	int rc = 0;
	struct akb_buf child = AKB_BUF_INIT, full = AKB_BUF_INIT;
	for (size_t i = 0; i < names.len; i++) {
		akb_buf_clear(&child);
		akb_buf_printf(&child, "%s%s%s", rel, *rel ? "/" : "", names.items[i]);
		akb_buf_clear(&full);
		akb_buf_printf(&full, "%s/%s", dir, child.ptr);
		struct stat st;
		if (rc == 0 && lstat(full.ptr, &st) != 0)
			rc = -1;
		else if (rc == 0 && S_ISDIR(st.st_mode))
			rc = S_list(dir, child.ptr, out);
		else if (rc == 0 && S_ISREG(st.st_mode)) {
			if (out->len == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 256;
				out->items = akb_xrealloc(out->items, akb_xmul(out->cap, sizeof(char *)));
			}
			out->items[out->len++] = akb_xstrdup(child.ptr);
		}
		free(names.items[i]);
	}
	free(names.items);
	akb_buf_release(&child);
	akb_buf_release(&full);
	akb_buf_release(&path);
	return rc;
}

static void S_list_release(struct list *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- the output file ---- */

/* The archive's top-level folder: FILE's name without folders or extension ("out/agents.zip" -> "agents"). */
static char *S_top_folder(const char *path)
{
	enum akb_bundle_kind kind;
	size_t ext = S_ext_len(path, &kind), n = strlen(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t len = (size_t)(path + n - ext - base);
	return len ? akb_xstrndup(base, len) : akb_xstrdup("site");
}

/* Writes the whole of `data` to `fd`. Returns 0, or -1 with errno set. */
static int S_write_fd(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void S_summary(const char *path, const struct akb_build_result *res, size_t bytes, double ms,
		      const struct akb_diag *diag)
{
	fprintf(stderr, "bundled %zu agents, %zu pages into '%s' (%.1f KB), %zu warnings in %.0f ms\n", res->agents,
		res->pages, path, (double)bytes / 1024.0, diag->warnings, ms);
}

int akb_bundle(const struct akb_config *cfg, const struct akb_build_options *opts, const char *path,
	       struct akb_diag *diag)
{
	double start = S_now_ms();
	enum akb_bundle_kind kind = akb_bundle_kind_of(path);
	if (kind == AKB_BUNDLE_NONE)
		return akb_error(diag, path, 0, 0, "unknown bundle type; use %s", akb_bundle_extensions);
	struct akb_buf work = AKB_BUF_INIT, site = AKB_BUF_INIT, tmp = AKB_BUF_INIT, packed = AKB_BUF_INIT;
	struct list files = { 0 };
	int fd = -1, rc = -1;
	size_t bytes = 0;
	struct akb_build_result res;
	memset(&res, 0, sizeof res);

	if (akb_temp_dir("bundle", &work, diag) != 0)
		goto done;
	akb_buf_printf(&site, "%s/site", work.ptr);

	/* The site, built as `agentkb build` would, into the temporary folder. */
	struct akb_config c = *cfg; /* shallow: only `output` and `csp` differ, and this copy is never released */
	c.output = site.ptr;
	/* The site's policy names its files and its scripts' hashes: the single file gets its own below. */
	if (kind == AKB_BUNDLE_HTML)
		c.csp = (char *)"";
	struct akb_build_options o = *opts;
	o.quiet = 1;
	o.cache = AKB_CACHE_OFF; /* a folder of its own, built once */
	if (akb_build(&c, &o, &res, diag) != 0)
		goto done;
	if (S_list(site.ptr, "", &files) != 0) {
		akb_error(diag, site.ptr, 0, 0, "unable to list the built site: %s", strerror(errno));
		goto done;
	}

	/* The bundle, into a temporary file beside FILE (same file system, so the rename is atomic). */
	const char *slash = strrchr(path, '/');
	struct akb_buf dir = AKB_BUF_INIT, prefix = AKB_BUF_INIT;
	akb_buf_printf(&dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	akb_buf_printf(&prefix, ".%s.tmp-", slash ? slash + 1 : path);
	akb_sweep_stale(dir.ptr, prefix.ptr); /* what a killed bundle left beside FILE */
	akb_work_template(&tmp, dir.ptr, prefix.ptr);
	akb_buf_release(&dir);
	akb_buf_release(&prefix);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		akb_error(diag, path, 0, 0, "unable to create a file beside it: %s", strerror(errno));
		akb_buf_clear(&tmp);
		goto done;
	}
	struct akb_bundle_html_stats hs;
	if (kind == AKB_BUNDLE_HTML) {
		if (akb_bundle_html(site.ptr, (const char *const *)files.items, files.len, &packed, &hs, diag) != 0)
			goto done;
		if (*cfg->csp)
			akb_csp_insert(&packed, akb_csp_bundle, 0);
		if (S_write_fd(fd, packed.ptr, packed.len) != 0) {
			akb_error(diag, path, 0, 0, "unable to write: %s", strerror(errno));
			goto done;
		}
		bytes = packed.len;
	} else {
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		long long mtime = sde && *sde ? strtoll(sde, NULL, 10) : (long long)time(NULL);
		char *top = S_top_folder(path);
		int arc = akb_archive_write(tmp.ptr, kind == AKB_BUNDLE_ZIP ? AKB_ARCHIVE_ZIP : AKB_ARCHIVE_TAR_GZ,
					    site.ptr, (const char *const *)files.items, files.len, top, mtime, diag);
		free(top);
		if (arc != 0)
			goto done;
		struct stat st;
		bytes = stat(tmp.ptr, &st) == 0 ? (size_t)st.st_size : 0;
	}
	if (close(fd) != 0) {
		fd = -1;
		akb_error(diag, path, 0, 0, "unable to write: %s", strerror(errno));
		goto done;
	}
	fd = -1;
	if (akb_output_interrupted()) {
		akb_error(diag, NULL, 0, 0, "interrupted");
		goto done;
	}
	/* mkstemp makes the file 0600; a bundle is a document to share: 0666 less the umask. */
	mode_t mask = umask(0);
	umask(mask);
	chmod(tmp.ptr, 0666 & ~mask);
	if (rename(tmp.ptr, path) != 0) {
		akb_error(diag, path, 0, 0, "unable to write: %s", strerror(errno));
		goto done;
	}
	akb_buf_clear(&tmp);
	rc = 0;
	if (opts->stats && kind == AKB_BUNDLE_HTML) {
		struct akb_buf gz = AKB_BUF_INIT, err = AKB_BUF_INIT;
		akb_gzip(packed.ptr, packed.len, 6, &gz, &err);
		fprintf(stderr, "bundle stats: %zu bytes, gzip %zu bytes; %zu pages in %zu chunks, %zu shared fragments;"
			" page data %zu bytes JSON, %zu gzip; search index and files %zu bytes JSON, %zu gzip\n",
			packed.len, gz.len, hs.pages, hs.chunks, hs.fragments, hs.data_raw, hs.data_gz, hs.lazy_raw, hs.lazy_gz);
		akb_buf_release(&gz);
		akb_buf_release(&err);
	}
done:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.ptr);
	if (work.len)
		akb_remove_tree(work.ptr);
	if (!opts->quiet) {
		if (rc == 0)
			S_summary(path, &res, bytes, S_now_ms() - start, diag);
		else
			fprintf(stderr, "bundle failed: %zu errors, %zu warnings; '%s' left as it was\n", diag->errors,
				diag->warnings, path);
	}
	S_list_release(&files);
	akb_buf_release(&work);
	akb_buf_release(&site);
	akb_buf_release(&tmp);
	akb_buf_release(&packed);
	return rc;
}
