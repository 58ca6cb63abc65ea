/*
 * attach: the files that come with an agent. A skill is a folder: SKILL.md
 * and what it points to (scripts/, references/, assets/). The walk lists
 * those files as attached (walk.h); here each is given to its skill, copied
 * into the site beside the skill's page (agents/<slug>/files/...), and the
 * folder is packed as agents/<slug>/<slug>.tar.gz, to unpack where the
 * harness reads skills.
 */
#ifndef AKB_ATTACH_H
#define AKB_ATTACH_H

#include "agentkb/diag.h"
#include "agentkb/output.h"
#include "agentkb/site.h"
#include "agentkb/walk.h"

/*
 * Gives every attached input to the skill whose folder holds it (the
 * innermost), filling the agents' `files` and the inputs' `attached_to`.
 */
void akb_attach_collect(struct akb_input_list *inputs, struct akb_site *site);

/*
 * Writes the attached files of the site's agents and their archives.
 * `mtime` dates the archives' entries (SOURCE_DATE_EPOCH, or the build's
 * time). Returns 0, or -1 (reported).
 */
int akb_attach_write(const struct akb_site *site, struct akb_output *out, long long mtime, struct akb_diag *diag);

/* "files/scripts/run%20it.py": an attached file's link from its agent's page. */
void akb_attach_url(const char *path, struct akb_buf *out);

#endif
