/*
 * page_cache: the records of the agent pages the last build made, so that
 * an incremental build renders only those that changed (see page_cache.h).
 */
#include "core/prefix.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/output.h"
#include "agentkb/page_cache.h"
#include "agentkb/version.h"

#define S_MAGIC "agentkb-pages 1 " AKB_VERSION "\n"
#define S_TRAILER_MAGIC "AKBPAGE1"
#define S_TRAILER_BYTES 32
#define S_WRITE_BUFFER (1 << 20)

struct page_entry {
	uint64_t key;
	uint64_t offset, len; /* the record in the file */
	uint64_t digest;      /* akb_digest of the record */
};

/* Little-endian u64s (buf.h), bounded by `end` when read. */
static int S_read_u64(const char **p, const char *end, uint64_t *v)
{
	if (end - *p < 8)
		return -1;
	*v = akb_get_u64(*p);
	*p += 8;
	return 0;
}

static int S_pread_all(int fd, char *to, size_t len, uint64_t offset)
{
	while (len) {
		ssize_t n = pread(fd, to, len, (off_t)offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		to += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return 0;
}

/* Reads the index of the last build's file; returns NULL, or why it cannot be trusted. */
static const char *S_read_index(struct akb_page_cache *pc)
{
	struct stat st;
	size_t head = strlen(S_MAGIC);
	if (fstat(pc->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return "not a regular file";
	uint64_t size = (uint64_t)st.st_size;
	if (size < head + S_TRAILER_BYTES)
		return "truncated";
	char trailer[S_TRAILER_BYTES];
	struct akb_buf magic = AKB_BUF_INIT;
	akb_buf_grow(&magic, head);
	int ok = S_pread_all(pc->fd, magic.ptr, head, 0) == 0 && memcmp(magic.ptr, S_MAGIC, head) == 0;
	akb_buf_release(&magic);
	if (!ok)
		return "not a cache of this agentkb version";
	if (S_pread_all(pc->fd, trailer, sizeof trailer, size - S_TRAILER_BYTES) != 0 ||
	    memcmp(trailer + 24, S_TRAILER_MAGIC, 8) != 0)
		return "truncated";
	const char *t = trailer;
	uint64_t at, len, digest;
	S_read_u64(&t, trailer + 24, &at);
	S_read_u64(&t, trailer + 24, &len);
	S_read_u64(&t, trailer + 24, &digest);
	if (at < head || len > size || at + len != size - S_TRAILER_BYTES)
		return "malformed trailer";
	struct akb_buf index = AKB_BUF_INIT;
	akb_buf_grow(&index, (size_t)len);
	const char *why = NULL;
	if (S_pread_all(pc->fd, index.ptr, (size_t)len, at) != 0)
		why = "truncated";
	else if (akb_digest(index.ptr, (size_t)len) != digest)
		why = "corrupt index";
	/* Each path is copied with its NUL into `names`, which the map borrows. */
	struct akb_buf names = AKB_BUF_INIT;
	size_t cap = 0;
	const char *p = index.ptr, *end = index.ptr + len;
	while (!why && p < end) {
		const char *path;
		size_t plen;
		struct page_entry e;
		if (akb_read_sized(&p, end, &path, &plen) != 0 || S_read_u64(&p, end, &e.key) != 0 ||
		    akb_read_varint(&p, end, &e.offset) != 0 || akb_read_varint(&p, end, &e.len) != 0 ||
		    S_read_u64(&p, end, &e.digest) != 0 || e.offset < head || e.len > at || e.offset > at - e.len ||
		    !plen || memchr(path, '\0', plen)) {
			why = "malformed index";
			break;
		}
		pc->entries = akb_xgrow(pc->entries, pc->nentries, &cap, 256, sizeof(*pc->entries));
		pc->entries[pc->nentries++] = e;
		akb_buf_put(&names, path, plen);
		akb_buf_putc(&names, '\0');
	}
	if (!why) {
		pc->names = akb_buf_detach(&names, NULL);
		const char *name = pc->names;
		for (size_t i = 0; i < pc->nentries; i++) {
			size_t seen;
			if (akb_strmap_get(&pc->index, name, &seen)) {
				why = "a page twice";
				break;
			}
			akb_strmap_set(&pc->index, name, i);
			name += strlen(name) + 1;
		}
	}
	akb_buf_release(&names);
	akb_buf_release(&index);
	return why;
}

static void S_drop_loaded(struct akb_page_cache *pc)
{
	if (pc->fd >= 0)
		close(pc->fd);
	pc->fd = -1;
	akb_strmap_release(&pc->index);
	akb_strmap_init_borrowed(&pc->index);
	free(pc->entries);
	free(pc->names);
	pc->entries = NULL;
	pc->names = NULL;
	pc->nentries = 0;
}

/* Starts this build's file: a temporary file beside the cache, named for this process (output.h). */
/*
 * A new temporary file beside `file` (its folder made when missing, stale
 * ones of dead builds swept), open for writing; *name is set to its name
 * (owned). NULL when it cannot be made.
 */
static FILE *S_temp_beside(const char *file, char **name)
{
	struct akb_buf dir = AKB_BUF_INIT, prefix = AKB_BUF_INIT, tmpl = AKB_BUF_INIT;
	const char *slash = strrchr(file, '/');
	if (slash)
		akb_buf_put(&dir, file, (size_t)(slash - file));
	else
		akb_buf_puts(&dir, ".");
	akb_buf_printf(&prefix, "%s.tmp-", slash ? slash + 1 : file);
	FILE *f = NULL;
	if (mkdir(dir.ptr, 0777) == 0 || errno == EEXIST) {
		akb_sweep_stale(dir.ptr, prefix.ptr);
		akb_work_template(&tmpl, dir.ptr, prefix.ptr);
		int fd = mkstemp(tmpl.ptr);
		if (fd >= 0 && !(f = fdopen(fd, "wb"))) {
			close(fd);
			unlink(tmpl.ptr);
		}
	}
	*name = f ? akb_buf_detach(&tmpl, NULL) : NULL;
	akb_buf_release(&dir);
	akb_buf_release(&prefix);
	akb_buf_release(&tmpl);
	return f;
}

static void S_start_next(struct akb_page_cache *pc)
{
	pc->next = S_temp_beside(pc->file, &pc->next_file);
	if (pc->next) {
		/* Records are a few KB: written in big blocks (glibc sizes a buffer it makes itself by the file system's block). */
		pc->next_buf = akb_xmalloc(S_WRITE_BUFFER);
		setvbuf(pc->next, pc->next_buf, _IOFBF, S_WRITE_BUFFER);
		fputs(S_MAGIC, pc->next);
		pc->next_offset = strlen(S_MAGIC);
	}
}

void akb_page_cache_open(struct akb_page_cache *pc, const char *manifest_file, const char *what, int load,
			 struct akb_diag *diag)
{
	memset(pc, 0, sizeof(*pc));
	pc->fd = -1;
	akb_strmap_init_borrowed(&pc->index);
	akb_buf_init(&pc->next_index);
	struct akb_buf file = AKB_BUF_INIT;
	size_t n = strlen(manifest_file);
	static const char ext[] = ".manifest";
	if (n >= sizeof ext - 1 && !strcmp(manifest_file + n - (sizeof ext - 1), ext))
		n -= sizeof ext - 1;
	akb_buf_put(&file, manifest_file, n);
	akb_buf_printf(&file, ".%ss", what);
	pc->file = akb_buf_detach(&file, NULL);
	akb_buf_put(&file, manifest_file, n);
	akb_buf_puts(&file, ".index");
	pc->side_file = akb_buf_detach(&file, NULL);
	pc->side_loaded = load;
	if (load) {
		pc->fd = open(pc->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		const char *why = NULL;
		if (pc->fd < 0 && errno != ENOENT)
			why = strerror(errno);
		else if (pc->fd >= 0)
			why = S_read_index(pc);
		if (why) {
			akb_warn(diag, pc->file, 0, 0, "ignoring the %s cache (%s); %s", what, why,
				 strcmp(what, "page") ? "loading every file" : "rendering every page");
			S_drop_loaded(pc);
		}
	}
	S_start_next(pc);
}

static int S_decode(struct akb_page_record *rec)
{
	const char *p = rec->owner.ptr, *end = p + rec->owner.len;
	uint64_t blocks, nmsg;
	if (S_read_u64(&p, end, &rec->digest) != 0 || akb_read_varint(&p, end, &rec->size) != 0 ||
	    akb_read_varint(&p, end, &blocks) != 0 || akb_read_varint(&p, end, &nmsg) != 0 || nmsg > rec->owner.len)
		return -1;
	rec->code_blocks = (size_t)blocks;
	for (uint64_t i = 0; i < nmsg; i++) {
		uint64_t sev, line, col, has_path;
		const char *path, *msg;
		size_t plen, mlen;
		if (akb_read_varint(&p, end, &sev) != 0 || sev > AKB_ERROR || akb_read_varint(&p, end, &line) != 0 ||
		    akb_read_varint(&p, end, &col) != 0 || line > UINT32_MAX || col > UINT32_MAX ||
		    akb_read_varint(&p, end, &has_path) != 0 || akb_read_sized(&p, end, &path, &plen) != 0 ||
		    akb_read_sized(&p, end, &msg, &mlen) != 0)
			return -1;
		char *path_copy = has_path ? akb_xstrndup(path, plen) : NULL;
		akb_diag_add(&rec->messages, (enum akb_severity)sev, path_copy, (unsigned)line, (unsigned)col, "%.*s",
			     (int)mlen, msg);
		free(path_copy);
	}
	if (akb_read_sized(&p, end, &rec->heading, &rec->heading_len) != 0 ||
	    akb_read_sized(&p, end, &rec->prose, &rec->prose_len) != 0 ||
	    akb_read_sized(&p, end, &rec->doc, &rec->doc_len) != 0)
		return -1;
	return p == end ? 0 : -1;
}

int akb_page_cache_has(const struct akb_page_cache *pc, const char *rel)
{
	size_t i;
	return pc && pc->fd >= 0 && akb_strmap_get(&pc->index, rel, &i);
}

int akb_page_cache_find(const struct akb_page_cache *pc, const char *rel, uint64_t key, struct akb_page_record *rec)
{
	size_t i;
	memset(rec, 0, sizeof(*rec));
	akb_diag_init(&rec->messages, NULL);
	akb_buf_init(&rec->owner);
	if (pc->fd < 0 || !akb_strmap_get(&pc->index, rel, &i) || pc->entries[i].key != key)
		return 0;
	const struct page_entry *e = &pc->entries[i];
	akb_buf_grow(&rec->owner, (size_t)e->len);
	rec->owner.len = (size_t)e->len;
	rec->owner.ptr[e->len] = '\0';
	rec->key = key;
	if (S_pread_all(pc->fd, rec->owner.ptr, (size_t)e->len, e->offset) == 0 &&
	    akb_digest(rec->owner.ptr, (size_t)e->len) == e->digest && S_decode(rec) == 0)
		return 1;
	akb_page_record_release(rec);
	return 0;
}

void akb_page_record_release(struct akb_page_record *rec)
{
	akb_diag_release(&rec->messages);
	akb_buf_release(&rec->owner);
	memset(rec, 0, sizeof(*rec));
}

/* Records come from the threads that make term pages, and from the index stage. */
static pthread_mutex_t S_put_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t akb_page_cache_put(struct akb_page_cache *pc, const char *rel, const struct akb_page_record *rec)
{
	if (!pc->next)
		return UINT64_MAX;
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_put_u64(&b, rec->digest);
	akb_buf_put_varint(&b, rec->size);
	akb_buf_put_varint(&b, rec->code_blocks);
	akb_buf_put_varint(&b, rec->messages.len);
	for (size_t i = 0; i < rec->messages.len; i++) {
		const struct akb_diagnostic *d = &rec->messages.items[i];
		akb_buf_put_varint(&b, (uint64_t)d->severity);
		akb_buf_put_varint(&b, d->line);
		akb_buf_put_varint(&b, d->col);
		akb_buf_put_varint(&b, d->path != NULL);
		akb_buf_put_sized(&b, d->path ? d->path : "", d->path ? strlen(d->path) : 0);
		akb_buf_put_sized(&b, d->message, strlen(d->message));
	}
	akb_buf_put_sized(&b, rec->heading, rec->heading_len);
	akb_buf_put_sized(&b, rec->prose, rec->prose_len);
	akb_buf_put_sized(&b, rec->doc, rec->doc_len);
	uint64_t doc_at = UINT64_MAX;
	pthread_mutex_lock(&S_put_lock);
	if (!pc->next) {
		/* failed meanwhile */
	} else if (fwrite(b.ptr, 1, b.len, pc->next) != b.len) {
		fclose(pc->next);
		pc->next = NULL;
	} else {
		akb_buf_put_sized(&pc->next_index, rel, strlen(rel));
		akb_buf_put_u64(&pc->next_index, rec->key);
		akb_buf_put_varint(&pc->next_index, pc->next_offset);
		akb_buf_put_varint(&pc->next_index, b.len);
		akb_buf_put_u64(&pc->next_index, akb_digest(b.ptr, b.len));
		doc_at = pc->next_offset + (b.len - rec->doc_len); /* the document ends the record */
		pc->next_offset += b.len;
		pc->next_count++;
	}
	pthread_mutex_unlock(&S_put_lock);
	akb_buf_release(&b);
	return doc_at;
}

int akb_page_cache_read_back(struct akb_page_cache *pc, uint64_t at, char *to, size_t len)
{
	int rc = -1;
	pthread_mutex_lock(&S_put_lock);
	if (pc->next && at <= pc->next_offset && len <= pc->next_offset - at) {
		/* What is still in the stream's buffer goes to the file first (mkstemp's file reads too). */
		if (at + len > pc->next_flushed && fflush(pc->next) == 0)
			pc->next_flushed = pc->next_offset;
		if (at + len <= pc->next_flushed)
			rc = S_pread_all(fileno(pc->next), to, len, at);
	}
	pthread_mutex_unlock(&S_put_lock);
	return rc;
}

const char *akb_page_cache_side(const struct akb_page_cache *pc)
{
	return pc->side_loaded && pc->side_file ? pc->side_file : NULL;
}

FILE *akb_page_cache_side_begin(struct akb_page_cache *pc)
{
	if (!pc->side_next && pc->next && pc->side_file)
		pc->side_next = S_temp_beside(pc->side_file, &pc->side_next_file);
	return pc->side_next;
}

/* This build's side file replaces the last one's when `keep`; else it goes. */
static void S_finish_side(struct akb_page_cache *pc, int keep)
{
	if (!pc->side_next)
		return;
	int ok = !ferror(pc->side_next);
	ok = fclose(pc->side_next) == 0 && ok;
	pc->side_next = NULL;
	if (!keep || !ok || rename(pc->side_next_file, pc->side_file) != 0)
		unlink(pc->side_next_file);
	free(pc->side_next_file);
	pc->side_next_file = NULL;
}

void akb_page_cache_finish(struct akb_page_cache *pc, int built, struct akb_diag *diag)
{
	int ok = 0;
	if (pc->next && built) {
		struct akb_buf trailer = AKB_BUF_INIT;
		akb_buf_put_u64(&trailer, pc->next_offset);
		akb_buf_put_u64(&trailer, pc->next_index.len);
		akb_buf_put_u64(&trailer, akb_digest(pc->next_index.ptr, pc->next_index.len));
		akb_buf_puts(&trailer, S_TRAILER_MAGIC);
		ok = fwrite(pc->next_index.ptr, 1, pc->next_index.len, pc->next) == pc->next_index.len &&
		     fwrite(trailer.ptr, 1, trailer.len, pc->next) == trailer.len;
		akb_buf_release(&trailer);
	}
	if (pc->next && fclose(pc->next) != 0)
		ok = 0;
	pc->next = NULL;
	free(pc->next_buf);
	pc->next_buf = NULL;
	if (ok && rename(pc->next_file, pc->file) != 0)
		ok = 0;
	S_finish_side(pc, ok);
	if (!ok && pc->next_file) {
		unlink(pc->next_file);
		if (built) {
			/* The old records still describe OUT's pages truthfully (a page is kept only when
			 * OUT has the recorded bytes), but a fresh start is simpler to reason about. */
			unlink(pc->file);
			akb_warn(diag, pc->file, 0, 0, "unable to write the cache; the next build makes everything anew");
		}
	}
	free(pc->next_file);
	pc->next_file = NULL;
}

void akb_page_cache_release(struct akb_page_cache *pc)
{
	S_finish_side(pc, 0);
	free(pc->side_file);
	if (pc->next) {
		fclose(pc->next);
		unlink(pc->next_file);
	}
	free(pc->next_buf);
	free(pc->next_file);
	S_drop_loaded(pc);
	akb_strmap_release(&pc->index);
	akb_buf_release(&pc->next_index);
	free(pc->file);
	memset(pc, 0, sizeof(*pc));
	pc->fd = -1;
}
