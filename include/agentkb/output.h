/*
 * output: writes the site into a staging folder beside OUT and moves it into
 * place only when the whole build succeeded, so a failed or interrupted
 * build leaves the previous site untouched.
 */
#ifndef AKB_OUTPUT_H
#define AKB_OUTPUT_H

#include <stddef.h>

#include "agentkb/diag.h"

struct akb_output {
	char *final_dir;   /* OUT (owned) */
	char *staging_dir; /* OUT's sibling ".NAME.tmp-XXXXXX" (owned) */
	size_t files;      /* files written so far */
	size_t bytes;      /* bytes written so far */
	int failed;        /* a write failed; commit will refuse */
};

/*
 * Installs SIGINT/SIGTERM/SIGHUP handlers that only set a flag; the next
 * write then fails with "interrupted", the build unwinds and the staging
 * folder is removed, so Ctrl-C never leaves a half-written site or litter.
 */
void akb_output_catch_signals(void);
/* Has an interrupt been requested? */
int akb_output_interrupted(void);

/* Creates the staging folder. Returns 0, or -1 (reported). */
int akb_output_begin(struct akb_output *o, const char *out_dir, struct akb_diag *diag);
/*
 * Writes `rel` (a '/'-separated path inside the site, folders created as
 * needed). Returns 0, or -1 (reported; the build must then fail).
 */
int akb_output_write(struct akb_output *o, const char *rel, const void *data, size_t len, struct akb_diag *diag);
/* Copies a file from disk into the site. */
int akb_output_copy(struct akb_output *o, const char *rel, const char *src, struct akb_diag *diag);
/* Replaces OUT with the staging folder. Returns 0, or -1 (reported; OUT untouched). */
int akb_output_commit(struct akb_output *o, struct akb_diag *diag);
/* Removes the staging folder (after a failed build). Always safe to call. */
void akb_output_abort(struct akb_output *o);
void akb_output_release(struct akb_output *o);

/* Removes a folder tree (used for staging and replaced sites). Returns 0 or -1. */
int akb_remove_tree(const char *path);

/*
 * A new private folder "$TMPDIR/agentkb-WHAT-XXXXXX" (/tmp without TMPDIR)
 * into `dir`. Returns 0, or -1 reported (`dir` left empty).
 */
int akb_temp_dir(const char *what, struct akb_buf *dir, struct akb_diag *diag);

#endif
