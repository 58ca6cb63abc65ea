/*
 * walk: finds the input files of a site.
 *
 * Walks CONTENT recursively for the files of every format kind.h knows
 * (markdown anywhere, `.mdc` rules, TOML under `.codex/agents/`, the JSON manifests of `.claude-plugin/`),
 * skipping hidden entries but the harnesses' own folders (.claude, .github,
 * .cursor, ...) and `node_modules`. Every other file of a skill folder (a
 * folder with a SKILL.md: scripts, references, assets) is listed as the
 * skill's (`attached`), not as an agent. Symbolic links are followed only while they stay inside
 * CONTENT and do not lead back into a folder being walked (no loops). The
 * result is sorted by relative path, byte-wise, so builds are deterministic.
 */
#ifndef AKB_WALK_H
#define AKB_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "agentkb/diag.h"

struct akb_input {
	char *path;     /* as the user sees it: CONTENT joined with rel (owned) */
	char *rel;      /* relative to CONTENT, '/'-separated (owned) */
	char *skip;     /* non-NULL if the file is not an agent: the reason (owned) */
	int attached;   /* a file of a skill folder (scripts, references): published with the skill */
	size_t attached_to; /* that skill's agent index, set by akb_attach_collect (attach.h), or SIZE_MAX */
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
