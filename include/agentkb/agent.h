/*
 * agent: one input file as every stage after loading sees it: the
 * normalized fields, their file positions, the raw bytes and the agent's
 * addresses in the site. The load stage (load.h) fills it.
 */
#ifndef AKB_AGENT_H
#define AKB_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/frontmatter.h"
#include "agentkb/value.h"
#include "agentkb/walk.h"

enum akb_name_source {
	AKB_NAME_FRONTMATTER,
	AKB_NAME_HEADING,
	AKB_NAME_FILENAME,
};

/* A file that comes with an agent: a skill's script or reference. */
struct akb_agent_file {
	char *path;     /* relative to the agent's folder, '/'-separated ("scripts/run.py") (owned) */
	long long size; /* bytes */
};

/*
 * A name an agent's body mentions (mentions.h), found once
 * while the body is in memory, so that lint and the graph need not read the
 * file again.
 */
struct akb_mention {
	char *name;            /* lowercased, without the "agent-" of an @agent-NAME (owned) */
	unsigned line, col;    /* its file position (col in bytes from the line's start, 1-based) */
	int explicit_mention;  /* @agent-NAME, or "the `x` agent" (mentions.h) */
};

/* The first few bidirectional controls and zero-width characters of a file (lint rule AKB-AG015). */
#define AKB_HIDDEN_MAX 5
struct akb_hidden_char {
	unsigned line, col;    /* col in bytes from the line's start, 1-based */
	uint32_t cp;
};

struct akb_agent {
	char *path;            /* input path, as shown in diagnostics (owned) */
	char *rel;             /* path relative to CONTENT (owned) */
	char *raw;             /* the file's bytes exactly as read, for the .md download; NULL when they */
	size_t raw_len;        /*   equal `text` (most files), to hold each file once (owned) */
	char *text;            /* normalized text: no BOM, LF line ends, no stray control characters (owned) */
	size_t text_len;
	struct akb_frontmatter fm; /* fm.fields holds every key; known keys are normalized (tools -> list) */
	const char *body;      /* markdown body, inside `text` (or `body_text`) */
	size_t body_len;
	unsigned body_line;    /* 1-based file line of the body's first line */
	char *name;            /* display name (owned) */
	enum akb_name_source name_source;
	char *slug;            /* URL segment, unique in the site; set by the site stage (owned) */
	char *description;     /* full description, literal "\n" escapes turned into newlines (owned; may be "") */
	char *summary;         /* description before its <example> blocks, or the body's first paragraph (owned) */
	struct akb_value examples; /* list of { context, turns: [{ role, text, user, assistant }], commentary } */
	struct akb_value tools;    /* list of strings (copy of fm.fields["tools"] when it was given) */
	char *body_text;       /* the body a hook replaced it with, or NULL (owned) */
	const char *language;  /* detected from description and body ("English", "中文"), or NULL (static) */
	char *collection;      /* the folder it came from, set by the site stage (akb_site_derive), or NULL (owned) */
	size_t duplicate_of;   /* index of the identical agent kept in its place, or SIZE_MAX (site stage) */
	int format;            /* enum akb_format: which harness's format (format.h), told by the path */
	struct akb_agent_file *files; /* a skill's other files (attach.h), sorted by path (owned) */
	size_t nfiles;
	size_t plugin;         /* index of the plugin whose folder holds it (plugin.h), or SIZE_MAX */
	unsigned access;       /* enum akb_access bits, set by the site stage after the hooks (akb_site_finish) */
	size_t tokens;         /* what description and body add to a context, estimated (akb_site_finish) */
	int spilled;           /* `raw` and `text` freed after loading, read again on demand (akb_agent_text_open) */
	int raw_differs;       /*   and whether the text is not the bytes as read (normalized) */
	size_t body_off;       /* where `body` starts in `text` (when it is not `body_text`) */
	uint64_t raw_digest;   /* akb_digest of the file's bytes, to know them when read again */
	uint64_t body_hash;    /* akb_digest of the body (duplicates), and what it adds to a context: */
	size_t body_tokens;    /*   both kept by akb_agent_note_body (load.h), so no later stage reads a body for them */
	struct akb_mention *mentions; /* the names its body mentions, in order (akb_agent_note_body too) (owned) */
	size_t nmentions;
	struct akb_hidden_char hidden[AKB_HIDDEN_MAX]; /* in the file's text as loaded */
	size_t nhidden;
	int dropped;           /* excluded from the site (hooks, filters); the report says why */
	char *dropped_by;      /* who excluded it (owned) */
};

void akb_agent_release(struct akb_agent *agent);
void akb_agent_forget_mentions(struct akb_agent *agent);
/*
 * Frees the file's text (`raw`, `text`, `body_text`; `body` becomes ""),
 * once its page and its search document are made: what a build holds per
 * agent then no longer grows with its files.
 */
void akb_agent_drop_text(struct akb_agent *agent);

/*
 * Frees the file's bytes and normalized text right after loading, keeping
 * what it takes to read them again (akb_agent_text_open): a build then
 * holds the text of only the files its threads are working on. A body a
 * hook replaced (`body_text`) stays. No-op for agents not loaded from a file.
 */
void akb_agent_spill_text(struct akb_agent *agent);

/* The file position of front-matter key `key` (1:1 when the key is absent). */
void akb_agent_key_pos(const struct akb_agent *agent, const char *key, unsigned *line, unsigned *col);

/* The file's bytes exactly as read (`raw`, or `text` when they are the same). */
const char *akb_agent_raw(const struct akb_agent *agent, size_t *len);

/* Front-matter string field, or NULL if absent or not a string. */
const char *akb_agent_field(const struct akb_agent *agent, const char *key);

/* "agents/<slug>/index.html": an agent's page, relative to the site root. */
void akb_agent_url(const struct akb_agent *agent, struct akb_buf *out);

/* "agents/<slug>/<slug>.md" (or SKILL.md, <slug>.toml, ...: format.h): its file as written, from the site root. */
void akb_agent_raw_url(const struct akb_agent *agent, struct akb_buf *out);
/* "agents/<slug>/<slug>.tar.gz": a skill folder with its files, packed to unpack where the harness reads it. */
void akb_agent_archive_url(const struct akb_agent *agent, struct akb_buf *out);

#endif
