/*
 * load: stage 2 of the pipeline. Reads an input file (walk.h) into a
 * struct akb_agent (agent.h): front-matter or manifest, markdown body,
 * format, name, description and examples.
 *
 * Loading never rejects a file for its content: broken YAML is recovered,
 * a missing name comes from the first heading or the file name, and every
 * surprise is a diagnostic with its file position.
 */
#ifndef AKB_LOAD_H
#define AKB_LOAD_H

#include <stddef.h>

#include "agentkb/agent.h"
#include "agentkb/diag.h"
#include "agentkb/value.h"
#include "agentkb/walk.h"

/*
 * Reads and loads `in`. Returns 0, or -1 if the file cannot be read (reported
 * to `diag`; the agent is then unusable and should be reported as skipped).
 */
int akb_agent_load(struct akb_agent *agent, const struct akb_input *in, struct akb_diag *diag);
/*
 * Loads an agent from text already in memory (tests, hooks). `path` and
 * `rel` are copied.
 */
void akb_agent_load_text(struct akb_agent *agent, const char *path, const char *rel, const char *data,
			 size_t len, struct akb_diag *diag);

/*
 * After a hook changed fm.fields (each pair keeping its key's position):
 * normalizes known keys again and derives name, description, summary and
 * examples from the fields. A name the fields no longer give is kept.
 */
void akb_agent_refresh(struct akb_agent *agent, struct akb_diag *diag);

/*
 * Splits a description into its summary and its Claude Code style
 * <example> blocks. Exposed for tests.
 */
void akb_description_split(const char *description, char **summary, struct akb_value *examples);

#endif
