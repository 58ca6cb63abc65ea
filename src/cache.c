/*
 * cache: the manifest of what the last build wrote (see cache.h).
 *
 * The file is text, one line per output file, sorted by path:
 *   agentkb-cache 1 VERSION
 *   DIGEST SIZE MTIME_S MTIME_NS INODE PATH
 *   ...
 *   end COUNT
 * The last line proves it was written whole; anything else is corrupt.
 */
#include "core/prefix.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agentkb/cache.h"
#include "agentkb/version.h"

#define S_MAGIC "agentkb-cache 1 " AKB_VERSION

void akb_cache_file(const char *out_dir, struct akb_buf *file)
{
	size_t n = strlen(out_dir);
	while (n > 1 && out_dir[n - 1] == '/')
		n--;
	size_t slash = n;
	while (slash > 0 && out_dir[slash - 1] != '/')
		slash--;
	akb_buf_clear(file);
	if (slash)
		akb_buf_put(file, out_dir, slash);
	akb_buf_puts(file, ".agentkb-cache/");
	akb_buf_put(file, out_dir + slash, n - slash);
	akb_buf_puts(file, ".manifest");
}

void akb_cache_init(struct akb_cache *c)
{
	memset(c, 0, sizeof(*c));
	akb_strmap_init_borrowed(&c->index);
}

void akb_cache_release(struct akb_cache *c)
{
	for (size_t i = 0; i < c->len; i++)
		free(c->items[i].path);
	free(c->items);
	akb_strmap_release(&c->index);
	akb_cache_init(c);
}

struct akb_cache_entry *akb_cache_add(struct akb_cache *c, const char *path, uint64_t digest, uint64_t size,
				      const struct stat *st)
{
	c->items = akb_xgrow(c->items, c->len, &c->cap, 256, sizeof(*c->items));
	struct akb_cache_entry *e = &c->items[c->len];
	memset(e, 0, sizeof(*e));
	e->path = akb_xstrdup(path);
	e->digest = digest;
	e->size = size;
	if (st) {
		e->mtime_s = (int64_t)st->st_mtim.tv_sec;
		e->mtime_ns = st->st_mtim.tv_nsec;
		e->ino = (uint64_t)st->st_ino;
	}
	/* the map borrows the path; the entry's pointer is stable, the array is not */
	akb_strmap_set(&c->index, e->path, c->len);
	c->len++;
	return e;
}

const struct akb_cache_entry *akb_cache_find(const struct akb_cache *c, const char *path)
{
	size_t i;
	return akb_strmap_get(&c->index, path, &i) ? &c->items[i] : NULL;
}

int akb_cache_stat_matches(const struct akb_cache_entry *e, const struct stat *st)
{
	return S_ISREG(st->st_mode) && (uint64_t)st->st_size == e->size && (int64_t)st->st_mtim.tv_sec == e->mtime_s &&
	       st->st_mtim.tv_nsec == e->mtime_ns && (uint64_t)st->st_ino == e->ino;
}

/* Parses one entry line (NUL-terminated, no newline). Returns 0 or -1. */
static int S_parse_line(struct akb_cache *c, char *line)
{
	uint64_t digest, size, ino;
	long long mtime_s;
	long mtime_ns;
	int used = 0;
	if (sscanf(line, "%16" SCNx64 " %" SCNu64 " %lld %ld %" SCNu64 " %n", &digest, &size, &mtime_s, &mtime_ns,
		   &ino, &used) != 5 ||
	    !used || !line[used] || mtime_ns < 0 || mtime_ns >= 1000000000L)
		return -1;
	const char *path = line + used;
	if (path[0] == '/' || strstr(path, "..") || akb_cache_find(c, path))
		return -1;
	struct akb_cache_entry *e = akb_cache_add(c, path, digest, size, NULL);
	e->mtime_s = mtime_s;
	e->mtime_ns = mtime_ns;
	e->ino = ino;
	return 0;
}

int akb_cache_load(struct akb_cache *c, const char *file, struct akb_diag *diag)
{
	struct akb_buf text = AKB_BUF_INIT;
	akb_cache_init(c);
	if (akb_buf_read_file(&text, file) != 0) {
		int err = errno;
		akb_buf_release(&text);
		if (err == ENOENT)
			return 1;
		akb_warn(diag, file, 0, 0, "ignoring the build cache: %s; building everything", strerror(err));
		return -1;
	}
	const char *why = NULL;
	size_t lineno = 1;
	char *p = text.ptr, *end = text.ptr + text.len;
	char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) != strlen(S_MAGIC) || memcmp(p, S_MAGIC, strlen(S_MAGIC)) != 0)
		why = "not a cache of this agentkb version";
	unsigned long long count = 0;
	int ended = 0;
	while (!why && nl) {
		p = nl + 1;
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		*nl = '\0';
		if (ended)
			why = "text after the end line";
		else if (!strncmp(p, "end ", 4)) {
			char *stop;
			count = strtoull(p + 4, &stop, 10);
			ended = 1;
			if (*stop || count != c->len)
				why = "the entry count does not match";
		} else if (S_parse_line(c, p) != 0)
			why = "malformed entry";
	}
	if (!why && (!ended || p != end))
		why = "truncated";
	akb_buf_release(&text);
	if (!why)
		return 0;
	akb_warn(diag, file, lineno, 0, "ignoring the build cache (%s); building everything", why);
	akb_cache_release(c);
	return -1;
}

static int S_by_path(const void *a, const void *b)
{
	return strcmp(((const struct akb_cache_entry *)a)->path, ((const struct akb_cache_entry *)b)->path);
}

static int S_make_folder(const char *file)
{
	struct akb_buf dir = AKB_BUF_INIT;
	const char *slash = strrchr(file, '/');
	int rc = 0;
	if (slash) {
		akb_buf_put(&dir, file, (size_t)(slash - file));
		rc = mkdir(dir.ptr, 0777) == 0 || errno == EEXIST ? 0 : -1;
	}
	akb_buf_release(&dir);
	return rc;
}

int akb_cache_save(struct akb_cache *c, const char *file, struct akb_diag *diag)
{
	qsort(c->items, c->len, sizeof(*c->items), S_by_path);
	akb_strmap_release(&c->index);
	akb_strmap_init_borrowed(&c->index);
	struct akb_buf text = AKB_BUF_INIT, tmp = AKB_BUF_INIT;
	akb_buf_printf(&text, "%s\n", S_MAGIC);
	size_t kept = 0;
	for (size_t i = 0; i < c->len; i++) {
		const struct akb_cache_entry *e = &c->items[i];
		akb_strmap_set(&c->index, e->path, i);
		if (strchr(e->path, '\n'))
			continue; /* not recorded: such a file is simply written again next time */
		akb_buf_printf(&text, "%016" PRIx64 " %" PRIu64 " %lld %ld %" PRIu64 " %s\n", e->digest, e->size,
			       (long long)e->mtime_s, e->mtime_ns, e->ino, e->path);
		kept++;
	}
	akb_buf_printf(&text, "end %zu\n", kept);
	akb_buf_printf(&tmp, "%s.tmp-XXXXXX", file);
	int fd = -1, rc = -1;
	if (S_make_folder(file) == 0 && (fd = mkstemp(tmp.ptr)) >= 0) {
		ssize_t n = write(fd, text.ptr, text.len);
		rc = n == (ssize_t)text.len && close(fd) == 0 ? 0 : -1;
		if (n != (ssize_t)text.len)
			close(fd);
		if (rc == 0 && rename(tmp.ptr, file) != 0)
			rc = -1;
		if (rc != 0)
			unlink(tmp.ptr);
	}
	if (rc != 0) {
		akb_warn(diag, file, 0, 0, "unable to write the build cache: %s; the next build writes everything",
			 strerror(errno));
		unlink(file);
	}
	akb_buf_release(&text);
	akb_buf_release(&tmp);
	return rc;
}

void akb_cache_remove(const char *file)
{
	unlink(file);
}
