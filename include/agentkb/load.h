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

/* Input files larger than this are skipped (agentkb.yaml limits.file_mb, this by default). */
#define AKB_LOAD_FILE_MAX_DEFAULT ((size_t)16 << 20)

/* What one input file may cost (agentkb.yaml `limits`); NULL means the defaults. */
struct akb_load_limits {
	size_t file_bytes;
	size_t front_matter_bytes;
};

/*
 * Reads and loads `in`. Returns 0, or -1 if the file is not read: unreadable,
 * not a regular file, or over the size limit. That is a warning in `diag`,
 * *skipped says why in a word or two for the build report, and the agent is
 * unusable (the file is reported as skipped, the others are built).
 */
int akb_agent_load(struct akb_agent *agent, const struct akb_input *in, const struct akb_load_limits *limits,
		   const char **skipped, struct akb_diag *diag);
/*
 * Loads an agent from text already in memory (tests, hooks). `path` and
 * `rel` are copied.
 */
void akb_agent_load_text(struct akb_agent *agent, const char *path, const char *rel, const char *data,
			 size_t len, struct akb_diag *diag);

/*
 * A loaded and spilled agent (akb_agent_spill_text) as bytes and back, for
 * the load cache: everything loading found in its file, without the text.
 * Decoding gives the agent loading `in` made (path and rel from `in`);
 * returns 0, or -1 when the bytes are not an encoding (`agent` released).
 */
void akb_agent_encode(const struct akb_agent *agent, struct akb_buf *out);
int akb_agent_decode(struct akb_agent *agent, const struct akb_input *in, const char *data, size_t len);

/* Sets body_hash and body_tokens from `body`, which must be in memory (loading, a hook's new body). */
void akb_agent_note_body(struct akb_agent *agent);

/*
 * An agent's file text for a stage that reads it: the text in memory, or
 * for a spilled agent (agent.h) the file read and normalized again. The
 * view owns what it read; close it when done. Const and thread-safe: any
 * number of threads may hold views of different agents.
 */
struct akb_agent_text {
	const char *text, *raw, *body; /* normalized text, bytes as read, markdown body (`body_text` if replaced) */
	size_t text_len, raw_len, body_len;
	char *owned_text, *owned_raw;
};

/*
 * Opens the view. Returns 0, or -1 when a spilled agent's file is gone or
 * no longer holds the bytes loaded (changed during the build): the view is
 * then empty ("") and the caller reports the error where it has diagnostics.
 */
int akb_agent_text_open(const struct akb_agent *agent, struct akb_agent_text *view);
void akb_agent_text_close(struct akb_agent_text *view);
/* Do the two agents have the same body, byte for byte? */
int akb_agent_same_body(const struct akb_agent *a, const struct akb_agent *b);

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
