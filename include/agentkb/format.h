/*
 * format: which harness's format a file is, told by its path (and extension):
 * Claude Code sub-agents, skills (`<dir>/SKILL.md`), slash commands (a
 * `commands/` folder: `.claude/commands/`, `plugins/<p>/commands/`), plugin
 * and marketplace manifests (`.claude-plugin/plugin.json`,
 * `marketplace.json`), GitHub Copilot custom agents (`*.agent.md`,
 * `.github/agents/`), Cursor rules (`*.mdc`) and agents (`.cursor/agents/`),
 * Codex agents (`.toml` under `.codex/agents/`) and `AGENTS.md`, Gemini CLI agents
 * (`.gemini/agents/`), opencode agents (`.opencode/agents/`).
 */
#ifndef AKB_FORMAT_H
#define AKB_FORMAT_H

#include "agentkb/buf.h"

enum akb_format {
	AKB_FORMAT_SUBAGENT = 0,
	AKB_FORMAT_SKILL,
	AKB_FORMAT_COMMAND,
	AKB_FORMAT_PLUGIN,
	AKB_FORMAT_MARKETPLACE,
	AKB_FORMAT_COPILOT_AGENT,
	AKB_FORMAT_CURSOR_RULE,
	AKB_FORMAT_CURSOR_AGENT,
	AKB_FORMAT_CODEX_AGENT,
	AKB_FORMAT_AGENTS_MD,
	AKB_FORMAT_GEMINI_AGENT,
	AKB_FORMAT_OPENCODE_AGENT,
	AKB_FORMAT_COUNT
};

/* The kind of the file at `rel` (relative to CONTENT, '/'-separated). */
enum akb_format akb_format_of(const char *rel);

/* Its display name ("Sub-agent", "Skill", "Slash command", ...). */
const char *akb_format_name(enum akb_format format);
/* Its key, for hooks and agents.json ("subagent", "skill", "command", ...). */
const char *akb_format_key(enum akb_format format);

/* The program that reads the format ("Claude Code", "GitHub Copilot", "Cursor", ...). */
const char *akb_format_harness(enum akb_format format);

/*
 * Appends where a project keeps a file of this format named `slug`
 * (".claude/agents/<slug>.md", ".claude/skills/<slug>/SKILL.md",
 * ".codex/agents/<slug>.toml", "AGENTS.md", ...). Returns 0, or -1 for the
 * formats installed otherwise (plugins and marketplaces: `/plugin install`).
 */
int akb_format_install_path(enum akb_format format, const char *slug, struct akb_buf *out);
/* The folder the harness reads for every project ("~/.claude/agents/"), or NULL. */
const char *akb_format_user_dir(enum akb_format format);
/* Appends the name of the file as published beside its page ("<slug>.md", "SKILL.md", "<slug>.toml"). */
void akb_format_raw_name(enum akb_format format, const char *slug, struct akb_buf *out);
/* Does the format's file tell an agent (with its tools) rather than instructions, rules or a manifest? */
int akb_format_is_agent(enum akb_format format);
/* Claude Code's own formats (sub-agents, skills, commands, plugins): its tool names and fields apply. */
int akb_format_is_claude(enum akb_format format);

/* Hidden folders the walk enters: the harnesses' own (".claude", ".github", ...). */
int akb_format_hidden_dir_ok(const char *name);
/* Is `rel` a file of one of the formats (a .md anywhere, or .mdc, .toml, .json where they belong)? */
int akb_format_is_input(const char *rel);

#endif
