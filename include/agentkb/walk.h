/*
 * walk: finds the input files of a site.
 *
 * Walks CONTENT recursively for `*.md`, skipping hidden entries and
 * `node_modules`. Symbolic links are followed only while they stay inside
 * CONTENT and do not lead back into a folder being walked (no loops). The
 * result is sorted by relative path, byte-wise, so builds are deterministic.
 */
#ifndef AKB_WALK_H
#define AKB_WALK_H

#include <stddef.h>

#include "agentkb/diag.h"

struct akb_input {
	char *path;     /* as the user sees it: CONTENT joined with rel (owned) */
	char *rel;      /* relative to CONTENT, '/'-separated (owned) */
	char *skip;     /* non-NULL if the file is not an agent: the reason (owned) */
};

struct akb_input_list {
	struct akb_input *items;
	size_t len, cap;
};

struct akb_walk_options {
	/* File names (without .md, case-insensitive) that are not agents. NULL-terminated; NULL for the defaults. */
	const char *const *not_agents;
};

extern const char *const akb_walk_default_not_agents[];

/*
 * Fills `out` with every markdown file under `root`. Files matching
 * `not_agents` are listed with `skip` set, so the report accounts for them.
 * Unreadable folders and escaping symlinks are warnings. Returns 0, or -1 if
 * `root` itself cannot be read (reported to `diag`).
 */
int akb_walk(const char *root, const struct akb_walk_options *opts, struct akb_input_list *out,
	     struct akb_diag *diag);
void akb_input_list_release(struct akb_input_list *list);

#endif
