/*
 * page_cache: what render needs to skip an agent page that has not changed
 * (stage render, incremental builds). For each agent page the last build
 * made, it keeps the page's key (a digest of everything the page is made
 * from: its data as the template sees it, the file's bytes, the templates,
 * the highlighter, the links between files; render.c), the digest and size
 * of the page as written, and what rendering the body gave besides the
 * page: its messages, its code block count, its search document (search.h)
 * and the start of its headings and prose (the search excerpt).
 *
 * A page is skipped only when its key is the one recorded and OUT still
 * holds the very bytes recorded (the build cache, cache.h, says so by
 * digest and stat); then its search document and messages come from here.
 *
 * The file, `.agentkb-cache/NAME.pages` beside the manifest:
 *   "agentkb-pages 1 VERSION\n"
 *   records, one per page: digest u64, size, code blocks, messages
 *     (severity, line, col, path, text), headings, prose, document
 *   the index: per page its path, key, record offset, length and digest
 *   a trailer: index offset, index length, index digest (u64 each), "AKBPAGE1"
 * Numbers are varints unless u64 (8 bytes, little-endian); strings are a
 * varint length and the bytes. Records are read one at a time, when their
 * page is looked up, so the cache costs little memory at any size. A
 * foreign, truncated or corrupt file is ignored with a warning, and a record
 * whose digest does not match is treated as missing.
 *
 * Beside them, `NAME.index` is the search index's snapshot (search.h:
 * akb_search_snapshot_to), written by the builds that make the index and
 * replaced, or dropped, with the records.
 *
 * The same records, in `NAME.loads`, are the load cache: per input file,
 * keyed by its stat, the agent loading made of it (load.h: akb_agent_encode,
 * in `doc`) and the warnings loading gave, so that a rebuild reads and
 * parses only the files that changed.
 */
#ifndef AKB_PAGE_CACHE_H
#define AKB_PAGE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/strmap.h"

/* One page's record. From akb_page_cache_find its strings point into `owner`. */
struct akb_page_record {
	uint64_t key;
	uint64_t digest;      /* akb_digest of the page as written */
	uint64_t size;
	size_t code_blocks;
	struct akb_diag messages; /* what rendering it reported (owned) */
	const char *heading, *prose, *doc;
	size_t heading_len, prose_len, doc_len;
	struct akb_buf owner;
};

struct akb_page_cache {
	char *file;            /* NAME.pages (owned) */
	/* the last build's: */
	int fd;                /* -1: nothing to read */
	struct akb_strmap index; /* page path -> entry */
	struct page_entry *entries;
	size_t nentries;
	char *names;           /* the paths the map borrows (owned) */
	/* this build's: */
	FILE *next;            /* the records, streamed into a temporary file; NULL once failed */
	char *next_buf;        /* its buffer (owned) */
	char *next_file;       /* its name (owned) */
	uint64_t next_offset;
	uint64_t next_flushed;   /* the file has its bytes up to here (akb_page_cache_read_back) */
	/* The side file it carries (NAME.index: the search index's snapshot, search.h). */
	char *side_file;       /* its name (owned) */
	int side_loaded;       /* the last build's may be read */
	FILE *side_next;       /* this build's, being written; NULL when none */
	char *side_next_file;  /* its temporary name (owned) */
	struct akb_buf next_index;
	size_t next_count;
};

/*
 * Opens the cache of the site whose manifest is `manifest_file` (cache.h):
 * `what` is "page" (NAME.pages) or "load" (NAME.loads, the load cache:
 * build.c). Reads the last build's index when `load`, and starts this
 * build's file. Never fails: a cache that cannot be read or written only
 * makes the build render every page or load every file (warned).
 */
void akb_page_cache_open(struct akb_page_cache *pc, const char *manifest_file, const char *what, int load,
			 struct akb_diag *diag);
/*
 * The record of page `rel` if the last build made it from `key`: 1 with
 * `rec` filled (release it), or 0. Any thread.
 */
int akb_page_cache_find(const struct akb_page_cache *pc, const char *rel, uint64_t key, struct akb_page_record *rec);
/* Did the last build record `rel` at all (any key)? */
int akb_page_cache_has(const struct akb_page_cache *pc, const char *rel);
void akb_page_record_release(struct akb_page_record *rec);
/*
 * Adds this build's record of page `rel` (the strings of `rec` are copied).
 * Any thread. Returns where its document starts in this build's file, for
 * akb_page_cache_read_back, or UINT64_MAX when the record was not written.
 */
uint64_t akb_page_cache_put(struct akb_page_cache *pc, const char *rel, const struct akb_page_record *rec);
/*
 * Reads back `len` bytes this build put at `at` (akb_page_cache_put), so
 * that a caller need not keep its own copy. Any thread. Returns 0, or -1
 * when they cannot be read (the file failed meanwhile).
 */
int akb_page_cache_read_back(struct akb_page_cache *pc, uint64_t at, char *to, size_t len);
/*
 * The side file: the last build's, to read (its path, or NULL when the
 * cache was not loaded); and this build's, a stream to write (NULL when it
 * cannot be made), which replaces the last build's at
 * akb_page_cache_finish after a successful build, or is dropped. A build
 * that writes none keeps the last one.
 */
const char *akb_page_cache_side(const struct akb_page_cache *pc);
FILE *akb_page_cache_side_begin(struct akb_page_cache *pc);
/* After a successful build: the new file replaces the old. Otherwise the new one is dropped. */
void akb_page_cache_finish(struct akb_page_cache *pc, int built, struct akb_diag *diag);
void akb_page_cache_release(struct akb_page_cache *pc);

#endif
