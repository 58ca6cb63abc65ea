/*
 * lint: what would make an agent file misbehave in Claude Code, or mislead
 * the reader choosing it, as findings with stable rule ids (AKB-AG001 ...,
 * documented in the README with an example each). `agentkb check CONTENT`
 * prints them (text, JSON or SARIF 2.1.0); a build puts each agent's in the
 * report and in a "problems" box on its page.
 *
 * Findings are about files as written: the linter reads the loaded agents
 * before any hook changes them.
 */
#ifndef AKB_LINT_H
#define AKB_LINT_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/site.h"

struct akb_lint_rule {
	const char *id;      /* "AKB-AG004" */
	const char *name;    /* "name-matches-file" */
	enum akb_severity level;
	const char *summary; /* one line */
};

/* Every rule, in id order; ends with a NULL id. */
extern const struct akb_lint_rule akb_lint_rules[];
/* The rule with `id` (any case), or NULL. */
const struct akb_lint_rule *akb_lint_rule(const char *id);

struct akb_finding {
	const struct akb_lint_rule *rule;
	size_t agent;     /* index in site->agents */
	unsigned line, col; /* 1-based file position; 0 when the whole file */
	char *message;    /* owned */
};

struct akb_lint {
	struct akb_finding *items; /* by agent, then position */
	size_t len, cap;
	size_t *per_rule;          /* counts, parallel to akb_lint_rules */
};

/*
 * Lints every agent of `site` (kept, merged and dropped alike: each is a
 * file). `only` and `skip` are NULL-terminated lists of rule ids (any case)
 * to keep or leave out, or NULL. The agents are linted on `jobs` threads
 * (0: one per core); the findings are the same whatever the number.
 */
void akb_lint_site(const struct akb_site *site, char *const *only, char *const *skip, unsigned jobs,
		   struct akb_lint *out);
void akb_lint_release(struct akb_lint *lint);

/* The index of agent `agent`'s first finding in lint->items (lint->len when it has none after it). */
size_t akb_lint_first(const struct akb_lint *lint, size_t agent);

/* "path:line:col: warning: message [AKB-AG004]" lines, one per finding. */
void akb_lint_text(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out);
/* {"agentkb": version, "findings": [...], "counts": {...}} */
void akb_lint_json(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out);
/* A SARIF 2.1.0 log: one run, the rules as reportingDescriptors, each finding a result. */
void akb_lint_sarif(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out);

#endif
