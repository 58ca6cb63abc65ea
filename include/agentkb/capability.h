/*
 * capability: what an agent may really do, from its front-matter, by the
 * rules Claude Code documents for sub-agents:
 *   - no `tools` field: it inherits every tool of the main conversation
 *     (MCP tools included);
 *   - `tools` given: those only; `disallowedTools` is taken out of either;
 *   - `memory` (user, project, local) gives it Read, Write and Edit to keep
 *     its memory files;
 *   - `Agent(a, b)` (or the older `Task(a, b)`) in `tools` limits which
 *     sub-agents it may start; a bare `Agent` starts any;
 *   - `Bash(git status:*)` and the like scope a tool to commands; a bare
 *     `Bash` runs anything;
 *   - MCP tools are named `mcp__<server>__<tool>` (`mcp__<server>` for all of
 *     a server's);
 *   - `permissionMode: bypassPermissions` skips every permission prompt.
 * Agents of a plugin ignore `hooks`, `mcpServers` and `permissionMode`.
 * Skills and slash commands run in the main conversation, with its tools:
 * their `allowed-tools` are pre-approved, not a limit. The other harnesses'
 * agents (format.h) by their own rules: Copilot's and Gemini's `tools`
 * names, Cursor's `readonly`, Codex's `sandbox_mode`, opencode's
 * `permissions`/`tools`. Rules, AGENTS.md and manifests are instructions or
 * packaging, with no tools of their own.
 * From these come the badges of cards and pages and the `access` taxonomy.
 */
#ifndef AKB_CAPABILITY_H
#define AKB_CAPABILITY_H

#include <stddef.h>

#include "agentkb/agent.h"
#include "agentkb/value.h"

struct akb_capabilities {
	int inherits_all;        /* no `tools`: every tool of the session */
	struct akb_value tools;  /* the effective tool list, built-in tools (strings, as written) */
	struct akb_value mcp;    /* [{ server, tools: [...] (empty: all of the server's) }] */
	struct akb_value agents; /* sub-agents `Agent(...)` names; empty list with may_delegate: any */
	struct akb_value denied; /* `disallowedTools`, as written */
	int may_delegate;        /* can start sub-agents (Agent/Task, or inherited) */
	int shell;               /* runs shell commands (Bash, inherited or given) */
	int shell_scoped;        /* ... only the commands its Bash(...) patterns allow */
	int writes;              /* can change files (Write, Edit, MultiEdit, NotebookEdit, or inherited) */
	int web;                 /* reaches the network (WebFetch, WebSearch) */
	int bypass;              /* permissionMode: bypassPermissions */
	int read_only;           /* neither writes nor runs shell nor starts sub-agents */
	int in_session;          /* a skill or command: runs in the main conversation, with its tools */
	struct akb_value preapproved; /* ... and the tools its `allowed-tools` pre-approve (strings) */
	int no_tools;            /* instructions or a manifest: no tools of its own */
	int sandboxed;           /* Codex: commands run in its sandbox (sandbox_mode) */
};

/*
 * Splits a tool field (a YAML list, or one string of names separated by
 * commas outside parentheses: "Read, Bash(git add:*, git commit:*)") into a
 * list of trimmed strings appended to `out`. Returns 0, or -1 when the value
 * is neither a list nor a string.
 */
int akb_tool_list(const struct akb_value *v, struct akb_value *out);

/* What an agent may do, as the values of the `access` taxonomy. */
enum akb_access {
	AKB_ACCESS_READ_ONLY = 1 << 0,
	AKB_ACCESS_ALL_TOOLS = 1 << 1,
	AKB_ACCESS_SHELL = 1 << 2,
	AKB_ACCESS_WRITES = 1 << 3,
	AKB_ACCESS_WEB = 1 << 4,
	AKB_ACCESS_DELEGATES = 1 << 5,
	AKB_ACCESS_BYPASS = 1 << 6,
	AKB_ACCESS_COUNT = 7
};

/* The display name of access bit `i` ("read-only", "runs shell", ...). */
const char *akb_access_name(int i);
/* The access bits of `caps`. */
unsigned akb_access_of(const struct akb_capabilities *caps);

/* Works out `agent`'s capabilities into `caps` (released with akb_capabilities_release). */
void akb_capabilities_of(const struct akb_agent *agent, struct akb_capabilities *caps);
void akb_capabilities_release(struct akb_capabilities *caps);

/* Tokens a text adds to a context, estimated: about 4 bytes of Latin text, or one CJK character, a token. */
size_t akb_estimate_tokens(const char *text, size_t len);

#endif
