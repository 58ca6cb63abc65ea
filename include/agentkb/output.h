/*
 * output: writes the site into a staging folder beside OUT and moves it into
 * place only when the whole build succeeded, so a failed or interrupted
 * build leaves the previous site untouched.
 */
#ifndef AKB_OUTPUT_H
#define AKB_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "agentkb/cache.h"
#include "agentkb/diag.h"

/*
 * How a build uses the cache (cache.h): a full build writes every file into
 * the staging folder and swaps it with OUT; an incremental one (a trusted
 * cache and an OUT to update) stages only the files whose bytes changed,
 * then moves them into OUT and removes what the site no longer has, so OUT
 * ends up byte for byte what a full build would have made.
 */
enum akb_cache_mode {
	AKB_CACHE_USE,     /* incremental when the cache can be trusted (the default) */
	AKB_CACHE_REBUILD, /* --clean: a full build, then a fresh cache */
	AKB_CACHE_OFF      /* no cache at all (bundles build into a folder of their own) */
};

struct akb_output {
	char *final_dir;   /* OUT (owned) */
	char *staging_dir; /* OUT's sibling ".NAME.tmp-XXXXXX" (owned) */
	char *cache_file;  /* NULL when the cache is off (owned) */
	struct akb_cache prev; /* the last build's files (incremental builds) */
	struct akb_cache next; /* this build's files */
	int incremental;   /* OUT is updated in place from the staged files */
	size_t files;      /* files in the site so far */
	size_t bytes;      /* bytes in the site so far */
	size_t written;    /* files written (the others were already in OUT as they are) */
	int failed;        /* a write failed; commit will refuse */
	int disk_full;     /* a write found no space left: reported once */
};

/* The file every site has at its top: OUT may be replaced only if it has it (or is empty). */
#define AKB_OUTPUT_MARKER ".agentkb-site"

/*
 * Installs SIGINT/SIGTERM/SIGHUP handlers that only set a flag; the next
 * write then fails with "interrupted", the build unwinds and the staging
 * folder is removed, so Ctrl-C never leaves a half-written site or litter.
 */
void akb_output_catch_signals(void);
/* Has an interrupt been requested? */
int akb_output_interrupted(void);

/*
 * Checks that OUT may be replaced (not CONTENT, not around or inside it, not
 * the home folder; if it exists, empty or holding AKB_OUTPUT_MARKER), undoes
 * or clears what an interrupted build left beside it, creates the staging
 * folder and reads the cache. `content` may be NULL. Returns 0, or -1 (reported).
 */
int akb_output_begin(struct akb_output *o, const char *out_dir, const char *content, enum akb_cache_mode cache,
		     struct akb_diag *diag);
/* Would akb_output_begin accept OUT (the checks above, silently, creating nothing)? */
int akb_output_may_replace(const char *out_dir, const char *content);
/*
 * Writes `rel` (a '/'-separated path inside the site, folders created as
 * needed). Returns 0, or -1 (reported; the build must then fail).
 */
int akb_output_write(struct akb_output *o, const char *rel, const void *data, size_t len, struct akb_diag *diag);
/*
 * Adds to `to` the messages that writes on another thread put in `from`
 * (its own list, kept silent), but not a second full-disk message: a full
 * disk is said once per list, as a write to `to` itself would.
 */
void akb_output_append_messages(struct akb_diag *to, const struct akb_diag *from);
/* The same, for a caller that has the bytes' akb_digest already. */
int akb_output_write_digested(struct akb_output *o, const char *rel, const void *data, size_t len, uint64_t digest,
			      struct akb_diag *diag);
/* Copies a file from disk into the site. */
int akb_output_copy(struct akb_output *o, const char *rel, const char *src, struct akb_diag *diag);
/*
 * Where to write `rel` straight into the staging folder (an archive, say),
 * into `path`, its folders made. Returns 0, or -1 (reported).
 */
int akb_output_staging_path(struct akb_output *o, const char *rel, struct akb_buf *path, struct akb_diag *diag);
/*
 * Takes into the site a file that was written straight into the staging
 * folder at `rel` (akb_output_staging_path). Returns 0, or -1 (reported).
 */
int akb_output_adopt(struct akb_output *o, const char *rel, struct akb_diag *diag);
/*
 * Keeps OUT's copies of files[0..n) in the new site without writing them,
 * if every one is the bytes given (incremental builds: the cache says so
 * and the file still has the stat it recorded). All or none: returns 1
 * when all are kept, 0 when none is (they must be written).
 */
struct akb_kept_file {
	const char *rel;
	uint64_t digest; /* akb_digest of its bytes */
	uint64_t size;
};
int akb_output_keep(struct akb_output *o, const struct akb_kept_file *files, size_t n);
/* Has this build put `rel` in the site? */
int akb_output_has(struct akb_output *o, const char *rel);
/* The digest and size of `rel` as this build put it in the site; 0 when it has not. */
int akb_output_recorded(struct akb_output *o, const char *rel, uint64_t *digest, uint64_t *size);
/*
 * Replaces OUT with the staging folder (or, incremental, moves the staged
 * files into OUT and removes the files it no longer has), then saves the
 * cache. Returns 0, or -1 (reported; OUT untouched).
 */
int akb_output_commit(struct akb_output *o, struct akb_diag *diag);
/* Removes the staging folder (after a failed build). Always safe to call. */
void akb_output_abort(struct akb_output *o);
void akb_output_release(struct akb_output *o);

/*
 * Removes what dead processes left in `dir`: the entries named "<prefix><pid>-..."
 * whose process no longer exists (kill -9, a crash). Live builds' are kept.
 */
void akb_sweep_stale(const char *dir, const char *prefix);
/* Into `out`, the mkdtemp/mkstemp template of a work folder or file: "DIR/PREFIX<pid>-XXXXXX". */
void akb_work_template(struct akb_buf *out, const char *dir, const char *prefix);
/* Removes a folder tree (used for staging and replaced sites). Returns 0 or -1. */
int akb_remove_tree(const char *path);

/*
 * A new private folder "$TMPDIR/agentkb-WHAT-PID-XXXXXX" (/tmp without TMPDIR)
 * into `dir`, after sweeping those of killed runs. Returns 0, or -1 reported
 * (`dir` left empty).
 */
int akb_temp_dir(const char *what, struct akb_buf *dir, struct akb_diag *diag);

#endif
