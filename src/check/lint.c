/*
 * lint: `agentkb check [CONTENT]`, findings with stable rule ids about what
 * would make an agent misbehave (see lint.h); text, JSON and SARIF output.
 */
#include "core/prefix.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/json.h"
#include "agentkb/lint.h"
#include "agentkb/load.h"
#include "agentkb/order.h"
#include "agentkb/strmap.h"
#include "agentkb/threads.h"
#include "agentkb/url.h"
#include "agentkb/version.h"
#include "agentkb/utf8.h"

const struct akb_lint_rule akb_lint_rules[] = {
	{ "AKB-AG001", "name-required", AKB_ERROR,
	  "the front-matter has no name: Claude Code does not load the agent" },
	{ "AKB-AG002", "description-required", AKB_ERROR,
	  "no description: Claude Code does not load the agent, and nothing says when to use it" },
	{ "AKB-AG003", "name-format", AKB_WARNING,
	  "a name is lowercase letters, digits and hyphens (code-reviewer)" },
	{ "AKB-AG004", "name-matches-file", AKB_WARNING,
	  "the name differs from the file name" },
	{ "AKB-AG005", "known-key", AKB_WARNING,
	  "a key Claude Code does not know (often a misspelling)" },
	{ "AKB-AG006", "valid-value", AKB_ERROR,
	  "a value outside what the field accepts (model, permissionMode, memory, ...)" },
	{ "AKB-AG007", "known-tool", AKB_WARNING,
	  "a tool name Claude Code does not have, or no longer has" },
	{ "AKB-AG008", "tool-allowed-and-denied", AKB_WARNING,
	  "a tool both in tools and in disallowedTools" },
	{ "AKB-AG009", "skills-exist", AKB_WARNING,
	  "`skills:` names a skill that is not in the collection" },
	{ "AKB-AG010", "description-length", AKB_WARNING,
	  "a description too short to choose by, or too long to skim" },
	{ "AKB-AG011", "description-trigger", AKB_WARNING,
	  "the description does not say when to use the agent (\"Use when ...\", \"Use PROACTIVELY ...\")" },
	{ "AKB-AG012", "example-parses", AKB_WARNING,
	  "an <example> block of the description that is not a conversation" },
	{ "AKB-AG013", "strict-yaml", AKB_ERROR,
	  "front-matter that is not valid YAML: Claude Code may misread it or skip the agent" },
	{ "AKB-AG014", "unique-name", AKB_WARNING,
	  "another agent has the same name" },
	{ "AKB-AG015", "hidden-unicode", AKB_ERROR,
	  "invisible or direction-changing characters (bidi controls, zero-width)" },
	{ "AKB-AG016", "known-color", AKB_WARNING,
	  "a color Claude Code does not have: the agent shows with none" },
	{ "AKB-AG017", "names-existing-agent", AKB_WARNING,
	  "it names an agent (\"the X agent\", @agent-X, Agent(X)) that is not in the collection" },
	{ "AKB-CR001", "rule-applies", AKB_WARNING,
	  "a Cursor rule with no alwaysApply, globs or description: Cursor applies it only when @-mentioned" },
	{ "AKB-PL001", "plugin-paths-exist", AKB_ERROR,
	  "a plugin manifest names a component path (agents, commands, skills, hooks, ...) that does not exist" },
	{ "AKB-PL002", "marketplace-sources-exist", AKB_ERROR,
	  "a marketplace lists a plugin whose source folder does not exist" },
	{ NULL, NULL, AKB_NOTE, NULL },
};

const struct akb_lint_rule *akb_lint_rule(const char *id)
{
	for (const struct akb_lint_rule *r = akb_lint_rules; r->id; r++)
		if (!strcasecmp(r->id, id))
			return r;
	return NULL;
}

/* Claude Code's sub-agent fields, and what collections commonly add (shown, not linted). */
static const char *const S_agent_keys[] = { "name", "description", "tools", "disallowedTools", "model",
					    "permissionMode", "maxTurns", "skills", "mcpServers", "hooks", "memory",
					    "background", "effort", "isolation", "color", "initialPrompt", NULL };
static const char *const S_collection_keys[] = { "category", "department", "priority", "emoji", "vibe", "tags",
						 "domain", "version", "author", "triggers", "services", "collection",
						 "language", "license", NULL };
/* The other formats' own fields (format.h); a close misspelling of one is a finding. */
static const char *const S_skill_keys[] = { "name", "description", "license", "compatibility", "metadata",
					    "allowed-tools", "when_to_use", "argument-hint", "disable-model-invocation",
					    "user-invocable", "context", "agent", "paths", "model", "hooks", "version", NULL };
static const char *const S_command_keys[] = { "description", "argument-hint", "allowed-tools", "model",
					      "disable-model-invocation", "name", NULL };
static const char *const S_plugin_keys[] = { "name", "version", "description", "author", "homepage", "repository",
					     "license", "keywords", "commands", "agents", "skills", "hooks", "mcpServers",
					     "outputStyles", "lspServers", "$schema", "category", "tags", "strict",
					     "source", NULL };
static const char *const S_marketplace_keys[] = { "name", "owner", "metadata", "plugins", "$schema", "description",
						  "version", NULL };
static const char *const S_copilot_keys[] = { "name", "description", "tools", "model", "target", "mcp-servers",
					      "handoffs", "infer", "argument-hint", "metadata",
					      "disable-model-invocation", "user-invocable", NULL };
static const char *const S_cursor_rule_keys[] = { "description", "globs", "alwaysApply", NULL };
static const char *const S_cursor_agent_keys[] = { "name", "description", "model", "readonly", "is_background", NULL };
static const char *const S_codex_keys[] = { "name", "description", "developer_instructions", "nickname_candidates",
					    "model", "model_reasoning_effort", "sandbox_mode", "web_search",
					    "mcp_servers", "skills", "approval_policy", "instructions", "prompt", NULL };
static const char *const S_gemini_keys[] = { "name", "description", "kind", "tools", "model", "temperature",
					     "max_turns", "timeout_mins", "display_name", "agent_card_url",
					     "agent_card_json", "auth", NULL };
static const char *const S_opencode_keys[] = { "description", "mode", "model", "temperature", "top_p", "tools",
					       "permission", "permissions", "prompt", "disable", "disabled", "color",
					       "steps", "maxSteps", "hidden", "name", "options", NULL };
static const char *const *const S_format_keys[AKB_FORMAT_COUNT] = {
	[AKB_FORMAT_SUBAGENT] = S_agent_keys,		 [AKB_FORMAT_SKILL] = S_skill_keys,
	[AKB_FORMAT_COMMAND] = S_command_keys,		 [AKB_FORMAT_PLUGIN] = S_plugin_keys,
	[AKB_FORMAT_MARKETPLACE] = S_marketplace_keys,	 [AKB_FORMAT_COPILOT_AGENT] = S_copilot_keys,
	[AKB_FORMAT_CURSOR_RULE] = S_cursor_rule_keys,	 [AKB_FORMAT_CURSOR_AGENT] = S_cursor_agent_keys,
	[AKB_FORMAT_CODEX_AGENT] = S_codex_keys,	 [AKB_FORMAT_GEMINI_AGENT] = S_gemini_keys,
	[AKB_FORMAT_OPENCODE_AGENT] = S_opencode_keys,
};
static const char *const S_tools[] = { "Agent", "Task", "Bash", "BashOutput", "KillShell", "KillBash", "Edit",
				       "Write", "Read", "Glob", "Grep", "LS", "NotebookEdit", "NotebookRead",
				       "WebFetch", "WebSearch", "TodoWrite", "ExitPlanMode", "SlashCommand", "Skill",
				       "AskUserQuestion", "ListMcpResourcesTool", "ReadMcpResourceTool", "TaskCreate",
				       "TaskGet", "TaskList", "TaskUpdate", "TaskOutput", "TaskStop", "SendMessage",
				       "TeamCreate", "TeamDelete", "EnterPlanMode", "EnterWorktree", "LSP", NULL };
/* Tools of other harnesses (Cursor, Copilot, Codex, Gemini), which Claude Code does not have. */
static const char *const S_foreign_tools[] = { "read_file", "write_file", "edit_file", "run_terminal_cmd",
					       "run_shell_command", "list_dir", "codebase_search", "grep_search",
					       "file_search", "codebase", "editFiles", "runCommands", "runTasks",
					       "githubRepo", "fetch", "search", "terminalLastCommand", "shell",
					       "web_fetch", "google_web_search", NULL };

static int S_in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* Edit distance between a and b (case and '-', '_' ignored), capped at 3. */
static int S_distance(const char *a, const char *b)
{
	char x[40], y[40];
	size_t n = 0, m = 0;
	for (; *a && n < sizeof x - 1; a++)
		if (*a != '-' && *a != '_')
			x[n++] = (char)(*a >= 'A' && *a <= 'Z' ? *a + 32 : *a);
	for (; *b && m < sizeof y - 1; b++)
		if (*b != '-' && *b != '_')
			y[m++] = (char)(*b >= 'A' && *b <= 'Z' ? *b + 32 : *b);
	int row[40];
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cur = row[j];
			int best = prev + (x[i - 1] != y[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[m] > 3 ? 3 : row[m];
}

/* The closest of `lists` to `s`, at most two edits away, or NULL. */
static const char *S_suggest(const char *s, const char *const *a, const char *const *b)
{
	const char *best = NULL;
	int d = 3;
	for (int k = 0; k < 2; k++)
		for (const char *const *p = k ? b : a; p && *p; p++) {
			int e = S_distance(s, *p);
			if (e < d) {
				d = e;
				best = *p;
			}
		}
	return d <= 2 ? best : NULL;
}

struct linter {
	const struct akb_site *site;
	char *const *only, *const *skip;
	struct akb_lint *out;
	size_t agent;
	struct akb_strmap names; /* lowercased name -> first agent with it */
	struct akb_strmap kinds; /* format key, '\n', lowercased name -> first agent of that format with it */
	struct akb_strmap skills; /* lowercased skill name -> its agent */
	struct akb_agent_text file; /* a manifest's file, while it is linted (load.h) */
};

static int S_wanted(const struct linter *l, const struct akb_lint_rule *r)
{
	for (char *const *p = l->skip; p && *p; p++)
		if (!strcasecmp(*p, r->id))
			return 0;
	if (!l->only || !*l->only)
		return 1;
	for (char *const *p = l->only; *p; p++)
		if (!strcasecmp(*p, r->id))
			return 1;
	return 0;
}

static void S_find(struct linter *l, const char *id, unsigned line, unsigned col, const char *fmt, ...)
	AKB_PRINTF(5, 6);

static void S_find(struct linter *l, const char *id, unsigned line, unsigned col, const char *fmt, ...)
{
	const struct akb_lint_rule *r = akb_lint_rule(id);
	if (!r || !S_wanted(l, r))
		return;
	struct akb_lint *o = l->out;
	va_list ap;
	o->items = akb_xgrow(o->items, o->len, &o->cap, 4, sizeof(*o->items)); /* an agent has a few */
	va_start(ap, fmt);
	o->items[o->len++] = (struct akb_finding){ r, l->agent, line, col, akb_xvformat(fmt, ap) };
	va_end(ap);
	if (o->per_rule) /* counted when the agents' findings are merged */
		o->per_rule[r - akb_lint_rules]++;
}

/* The file position of a key, and whether it is there. */
static int S_key(const struct akb_agent *a, const char *key, unsigned *line, unsigned *col)
{
	akb_agent_key_pos(a, key, line, col);
	return akb_map_get(&a->fm.fields, key) != NULL;
}

/* Formats whose files need a `name` to load (a command's is its file name; a skill's falls back to its folder). */
static int S_name_required(enum akb_format f)
{
	return f == AKB_FORMAT_SUBAGENT || f == AKB_FORMAT_PLUGIN || f == AKB_FORMAT_MARKETPLACE ||
	       f == AKB_FORMAT_CODEX_AGENT || f == AKB_FORMAT_GEMINI_AGENT;
}

static void S_names(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	enum akb_format f = a->format;
	const char *harness = akb_format_harness(f);
	if (!akb_agent_field(a, "name") || !*akb_agent_field(a, "name")) {
		if (!S_name_required(f))
			return;
		if (f == AKB_FORMAT_SUBAGENT)
			S_find(l, "AKB-AG001", a->fm.present ? 1 : 0, a->fm.present ? 1 : 0,
			       a->fm.present ? "the front-matter has no 'name'; Claude Code will not load this agent"
					     : "no front-matter: Claude Code will not load this file as an agent");
		else
			S_find(l, "AKB-AG001", 1, 1, "no 'name': %s will not load this %s", harness, akb_format_name(f));
		return;
	}
	const char *name = akb_agent_field(a, "name");
	S_key(a, "name", &line, &col);
	/* Names look like code-reviewer; Gemini CLI takes underscores too; a skill's are at most 64 characters. */
	int claude = f == AKB_FORMAT_SUBAGENT || f == AKB_FORMAT_SKILL || f == AKB_FORMAT_PLUGIN;
	if (claude || f == AKB_FORMAT_GEMINI_AGENT) {
		int ok = *name != '-';
		for (const char *c = name; *c && ok; c++)
			ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || (*c == '-' && c[1] != '-' && c[1]) ||
			     (*c == '_' && f == AKB_FORMAT_GEMINI_AGENT);
		if (!ok)
		{
			if (f == AKB_FORMAT_SUBAGENT)
				S_find(l, "AKB-AG003", line, col,
				       "name '%s' is not lowercase letters, digits and hyphens (Claude Code names look like "
				       "code-reviewer)",
				       name);
			else
				S_find(l, "AKB-AG003", line, col, "name '%s' is not lowercase letters, digits and hyphens%s, as %s wants",
				       name, f == AKB_FORMAT_GEMINI_AGENT ? " or underscores" : "", harness);
		}
		else if (f == AKB_FORMAT_SKILL && strlen(name) > 64)
			S_find(l, "AKB-AG003", line, col, "a skill's name is at most 64 characters; '%s' has %zu", name,
			       strlen(name));
	}
	const char *base = strrchr(a->rel, '/');
	base = base ? base + 1 : a->rel;
	size_t n = strlen(base);
	if (f == AKB_FORMAT_SUBAGENT) {
		if (n > 3 && !strcasecmp(base + n - 3, ".md"))
			n -= 3;
		if (strlen(name) != n || strncmp(name, base, n))
			S_find(l, "AKB-AG004", line, col, "name '%s' differs from the file name '%.*s'", name, (int)n, base);
	} else if (f == AKB_FORMAT_SKILL && base != a->rel) {
		/* The skill is its folder: .../<name>/SKILL.md. */
		const char *end = base - 1, *start = end;
		while (start > a->rel && start[-1] != '/')
			start--;
		n = (size_t)(end - start);
		if (strlen(name) != n || strncmp(name, start, n))
			S_find(l, "AKB-AG004", line, col, "skill name '%s' differs from its folder '%.*s'", name, (int)n, start);
	}
}

static void S_keys(struct linter *l, const struct akb_agent *a)
{
	const struct akb_value *m = &a->fm.fields;
	const char *const *known = a->format < AKB_FORMAT_COUNT ? S_format_keys[a->format] : NULL;
	if (!known)
		return; /* AGENTS.md: no fields of its own */
	for (size_t i = 0; m->kind == AKB_MAP && i < m->u.map.len; i++) {
		const char *k = m->u.map.items[i].key;
		if (a->plugin != SIZE_MAX && a->format == AKB_FORMAT_SUBAGENT &&
		    (!strcmp(k, "hooks") || !strcmp(k, "mcpServers") || !strcmp(k, "permissionMode"))) {
			S_find(l, "AKB-AG005", a->fm.fields.u.map.items[i].line, a->fm.fields.u.map.items[i].col,
			       "'%s' is ignored for a plugin's agents (Claude Code drops it when it loads a plugin)", k);
			continue;
		}
		if (S_in(known, k) || S_in(S_collection_keys, k))
			continue;
		const char *s = S_suggest(k, known, NULL);
		if (s)
			S_find(l, "AKB-AG005", a->fm.fields.u.map.items[i].line, a->fm.fields.u.map.items[i].col, "unknown key '%s'; did you mean '%s'? (%s ignores '%s')",
			       k, s, akb_format_harness(a->format), k);
		else if (a->format == AKB_FORMAT_SUBAGENT && !S_suggest(k, S_collection_keys, NULL))
			/* Only for sub-agents, whose field list is closed: other formats' files carry their own keys. */
			S_find(l, "AKB-AG005", a->fm.fields.u.map.items[i].line, a->fm.fields.u.map.items[i].col,
			       "key '%s' is not a Claude Code field; it is shown, and ignored by Claude Code", k);
	}
}

/* One enumerated field: its value must be one of `allowed` (a space-separated list); else a finding of `rule`. */
static void S_enum(struct linter *l, const struct akb_agent *a, const char *key, const char *allowed, const char *rule)
{
	unsigned line, col;
	if (!S_key(a, key, &line, &col))
		return;
	const char *v = akb_agent_field(a, key);
	if (!v) {
		S_find(l, rule, line, col, "'%s' should be one of: %s", key, allowed);
		return;
	}
	size_t n = strlen(v);
	for (const char *p = allowed; *p;) {
		size_t w = strcspn(p, " ");
		if (w == n && !strncmp(p, v, n))
			return;
		p += w + (p[w] == ' ');
	}
	S_find(l, rule, line, col, "%s '%s' is not one of: %s", key, v, allowed);
}

/* Enumerated and typed fields of the other formats. */
static void S_other_values(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	const struct akb_value *v;
	switch (a->format) {
	case AKB_FORMAT_SKILL:
		S_enum(l, a, "context", "fork", "AKB-AG006");
		break;
	case AKB_FORMAT_CURSOR_RULE:
		v = akb_map_get(&a->fm.fields, "alwaysApply");
		if (v && S_key(a, "alwaysApply", &line, &col) && v->kind != AKB_BOOL)
			S_find(l, "AKB-AG006", line, col, "alwaysApply should be true or false");
		break;
	case AKB_FORMAT_CURSOR_AGENT:
		v = akb_map_get(&a->fm.fields, "readonly");
		if (v && S_key(a, "readonly", &line, &col) && v->kind != AKB_BOOL)
			S_find(l, "AKB-AG006", line, col, "readonly should be true or false");
		break;
	case AKB_FORMAT_CODEX_AGENT:
		S_enum(l, a, "sandbox_mode", "read-only workspace-write danger-full-access", "AKB-AG006");
		S_enum(l, a, "model_reasoning_effort", "none minimal low medium high xhigh", "AKB-AG006");
		break;
	case AKB_FORMAT_GEMINI_AGENT:
		S_enum(l, a, "kind", "local remote", "AKB-AG006");
		break;
	case AKB_FORMAT_OPENCODE_AGENT:
		S_enum(l, a, "mode", "primary subagent all", "AKB-AG006");
		break;
	default:
		break;
	}
}

static void S_values(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	if (a->format != AKB_FORMAT_SUBAGENT) {
		S_other_values(l, a);
		return;
	}
	const char *model = akb_agent_field(a, "model");
	if (model && S_key(a, "model", &line, &col) && strcmp(model, "sonnet") && strcmp(model, "opus") &&
	    strcmp(model, "haiku") && strcmp(model, "inherit") && strncmp(model, "claude-", 7))
		S_find(l, "AKB-AG006", line, col,
		       "model '%s' is not sonnet, opus, haiku, inherit or a full model id (claude-...)", model);
	S_enum(l, a, "permissionMode", "default acceptEdits plan bypassPermissions dontAsk", "AKB-AG006");
	S_enum(l, a, "memory", "user project local", "AKB-AG006");
	S_enum(l, a, "effort", "low medium high", "AKB-AG006");
	S_enum(l, a, "isolation", "worktree", "AKB-AG006");
	S_enum(l, a, "color", "red blue green yellow purple orange pink cyan", "AKB-AG016");
	const struct akb_value *v = akb_map_get(&a->fm.fields, "maxTurns");
	if (v && S_key(a, "maxTurns", &line, &col) && (v->kind != AKB_NUMBER || v->u.number < 1 ||
						      v->u.number != (double)(long long)v->u.number))
		S_find(l, "AKB-AG006", line, col, "maxTurns should be a whole number of turns, 1 or more");
	v = akb_map_get(&a->fm.fields, "background");
	if (v && S_key(a, "background", &line, &col) && v->kind != AKB_BOOL)
		S_find(l, "AKB-AG006", line, col, "background should be true or false");
}

static void S_tools_rules(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	struct akb_value allowed = AKB_VALUE_NULL, denied = AKB_VALUE_NULL;
	akb_value_set_list(&allowed);
	akb_value_set_list(&denied);
	/* A skill's or command's allowed-tools name Claude Code's tools too. */
	const char *tools_key = a->format == AKB_FORMAT_SUBAGENT ? "tools" : "allowed-tools";
	const struct akb_value *tv = akb_map_get(&a->fm.fields, tools_key);
	const struct akb_value *dv = a->format == AKB_FORMAT_SUBAGENT ? akb_map_get(&a->fm.fields, "disallowedTools") : NULL;
	if (tv)
		akb_tool_list(tv, &allowed);
	if (dv)
		akb_tool_list(dv, &denied);
	for (int pass = 0; pass < 2; pass++) {
		const struct akb_value *list = pass ? &denied : &allowed;
		S_key(a, pass ? "disallowedTools" : tools_key, &line, &col);
		for (size_t i = 0; i < list->u.list.len; i++) {
			const char *t = list->u.list.items[i].u.str.ptr;
			char name[64];
			size_t n = strcspn(t, "(");
			snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), t);
			if (!strncmp(name, "mcp__", 5) || S_in(S_tools, name))
				continue;
			if (!strcmp(name, "MultiEdit"))
				S_find(l, "AKB-AG007", line, col, "MultiEdit is no longer a Claude Code tool; Edit makes several edits");
			else if (S_in(S_foreign_tools, name))
				S_find(l, "AKB-AG007", line, col, "'%s' is a tool of another harness, not of Claude Code", name);
			else {
				const char *s = S_suggest(name, S_tools, NULL);
				if (s)
					S_find(l, "AKB-AG007", line, col, "unknown tool '%s'; did you mean '%s'?", name, s);
				else
					S_find(l, "AKB-AG007", line, col, "unknown tool '%s'", name);
			}
		}
	}
	for (size_t i = 0; i < allowed.u.list.len; i++)
		for (size_t j = 0; j < denied.u.list.len; j++)
			if (!strcmp(allowed.u.list.items[i].u.str.ptr, denied.u.list.items[j].u.str.ptr)) {
				S_key(a, "disallowedTools", &line, &col);
				S_find(l, "AKB-AG008", line, col, "'%s' is both in tools and in disallowedTools (denied wins)",
				       denied.u.list.items[j].u.str.ptr);
			}
	akb_value_release(&allowed);
	akb_value_release(&denied);
}

/* Does the description say when to use the agent? */
static int S_has_trigger(const char *d)
{
	static const char *const cues[] = { "use ", "use:", "used ", "when ", "proactively", "invoke", "for ",
					    "使用", "当", "用于", "适用", NULL };
	/* ASCII-lowered once (as strncasecmp compares), then searched for each cue. */
	struct akb_buf low = AKB_BUF_INIT;
	akb_buf_puts(&low, d);
	for (size_t i = 0; i < low.len; i++)
		if (low.ptr[i] >= 'A' && low.ptr[i] <= 'Z')
			low.ptr[i] = (char)(low.ptr[i] - 'A' + 'a');
	int found = 0;
	for (const char *const *c = cues; *c && !found; c++)
		found = strstr(low.ptr, *c) != NULL;
	akb_buf_release(&low);
	return found;
}

static void S_description(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	enum akb_format f = a->format;
	if (!S_key(a, "description", &line, &col) || !*a->description) {
		if (f == AKB_FORMAT_SUBAGENT && akb_agent_field(a, "name"))
			S_find(l, "AKB-AG002", line, col, "no 'description': Claude Code will not load this agent");
		else if (f == AKB_FORMAT_SKILL)
			S_find(l, "AKB-AG002", line, col, "no 'description': Claude picks a skill by its description");
		else if (f != AKB_FORMAT_SUBAGENT && akb_format_is_agent(f) && f != AKB_FORMAT_COMMAND)
			S_find(l, "AKB-AG002", line, col, "no 'description': %s needs one to know when to use this agent",
			       akb_format_harness(f));
		return;
	}
	size_t chars = 0;
	for (size_t i = 0, n = strlen(a->summary); i < n;) {
		akb_utf8_next(a->summary, n, &i);
		chars++;
	}
	if (chars < 30)
		S_find(l, "AKB-AG010", line, col, "the description says too little to choose by (%zu characters; 30 or more)", chars);
	if (strlen(a->description) > 1024)
		S_find(l, "AKB-AG010", line, col, "the description is %zu bytes; past 1024 it costs every conversation context",
		       strlen(a->description));
	/* Chosen by the model from their descriptions: sub-agents and skills. */
	if ((f == AKB_FORMAT_SUBAGENT || f == AKB_FORMAT_SKILL) && !S_has_trigger(a->description))
		S_find(l, "AKB-AG011", line, col, "the description does not say when to use it (\"Use when ...\")");
	if (f != AKB_FORMAT_SUBAGENT)
		return;
	size_t blocks = 0, talks = 0;
	for (const char *p = a->description; (p = strstr(p, "<example>")); p += 9)
		blocks++;
	for (size_t i = 0; i < a->examples.u.list.len; i++) {
		const struct akb_value *turns = akb_map_get(&a->examples.u.list.items[i], "turns");
		talks += turns && turns->kind == AKB_LIST && turns->u.list.len > 0;
	}
	if (blocks > talks)
		S_find(l, "AKB-AG012", line, col, "%zu of %zu <example> blocks are not a conversation (user:, assistant:)",
		       blocks - talks, blocks);
}

/* Bidi controls and zero-width characters: they change what a reader sees, not what the model reads (found by load). */
static void S_hidden(struct linter *l, const struct akb_agent *a)
{
	for (size_t i = 0; i < a->nhidden; i++)
		S_find(l, "AKB-AG015", a->hidden[i].line, a->hidden[i].col, "%s (U+%04X) is hidden in the text",
		       akb_utf8_hidden_name(a->hidden[i].cp), (unsigned)a->hidden[i].cp);
}

static void S_lower_key(const char *s, struct akb_buf *out)
{
	akb_buf_clear(out);
	for (; *s; s++)
		akb_buf_putc(out, *s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
}

/* The key of the duplicates map: formats have their own names (a skill and an agent may share one). */
static void S_kind_key(const struct akb_agent *a, struct akb_buf *key)
{
	struct akb_buf lower = AKB_BUF_INIT;
	S_lower_key(a->name, &lower);
	akb_buf_clear(key);
	akb_buf_printf(key, "%s\n%s", akb_format_key(a->format), lower.ptr);
	akb_buf_release(&lower);
}

/* The same name as an earlier file: the same text (shown once), or other text (which wins where). */
static void S_duplicates(struct linter *l, const struct akb_agent *a)
{
	const struct akb_site *site = l->site;
	unsigned line, col;
	size_t first;
	struct akb_buf key = AKB_BUF_INIT;
	S_key(a, "name", &line, &col);
	S_kind_key(a, &key);
	if (akb_strmap_get(&l->kinds, key.ptr, &first) && first != l->agent) {
		const struct akb_agent *b = &site->agents[first];
		if (akb_agent_same_body(a, b))
			S_find(l, "AKB-AG014", line, col, "same name and text as %s: shown once", b->rel);
		else if (a->format != AKB_FORMAT_SUBAGENT)
			S_find(l, "AKB-AG014", line, col, "'%s' is also the name of %s, with other text", a->name, b->rel);
		else
			S_find(l, "AKB-AG014", line, col,
			       "'%s' is also the name of %s, with other text; installed side by side, a project's "
			       ".claude/agents/ copy wins over a user's (~/.claude/agents/), which wins over a plugin's",
			       a->name, b->rel);
	}
	akb_buf_release(&key);
}

/* Explicit names of other agents (mentions.h) that resolve to nothing: in the body, and in Agent(...). */
static void S_names_resolve(struct linter *l, const struct akb_agent *a)
{
	for (size_t i = 0; i < a->nmentions; i++) { /* the body's mentions, found by load */
		const struct akb_mention *m = &a->mentions[i];
		size_t idx;
		if (m->explicit_mention && !akb_strmap_get(&l->names, m->name, &idx))
			S_find(l, "AKB-AG017", m->line, m->col, "it names the agent '%s', which is not in the collection",
			       m->name);
	}
	struct akb_capabilities caps;
	akb_capabilities_of(a, &caps);
	struct akb_buf key = AKB_BUF_INIT;
	for (size_t i = 0; i < caps.agents.u.list.len; i++) {
		size_t idx;
		unsigned line, col;
		S_lower_key(caps.agents.u.list.items[i].u.str.ptr, &key);
		if (!akb_strmap_get(&l->names, key.ptr, &idx)) {
			S_key(a, "tools", &line, &col);
			S_find(l, "AKB-AG017", line, col, "Agent(%s) names an agent that is not in the collection",
			       caps.agents.u.list.items[i].u.str.ptr);
		}
	}
	akb_buf_release(&key);
	akb_capabilities_release(&caps);
}

/* Names in a field given as a list or as one comma-separated string. */
static void S_name_list(const struct akb_value *v, struct akb_value *out)
{
	if (v && (v->kind == AKB_LIST || v->kind == AKB_STRING))
		akb_tool_list(v, out);
}

/* A sub-agent's `skills:` preload skills by name; a skill's `agent:` runs it in a sub-agent. */
static void S_refs(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	struct akb_buf key = AKB_BUF_INIT;
	size_t idx;
	if (a->format == AKB_FORMAT_SUBAGENT && S_key(a, "skills", &line, &col)) {
		struct akb_value names = AKB_VALUE_NULL;
		akb_value_set_list(&names);
		S_name_list(akb_map_get(&a->fm.fields, "skills"), &names);
		for (size_t i = 0; i < names.u.list.len; i++) {
			S_lower_key(names.u.list.items[i].u.str.ptr, &key);
			if (!akb_strmap_get(&l->skills, key.ptr, &idx))
				S_find(l, "AKB-AG009", line, col, "skills: '%s' is not a skill of the collection (%zu skills)",
				       names.u.list.items[i].u.str.ptr, l->skills.len);
		}
		akb_value_release(&names);
	}
	const char *agent = a->format == AKB_FORMAT_SKILL ? akb_agent_field(a, "agent") : NULL;
	if (agent && *agent && S_key(a, "agent", &line, &col)) {
		S_lower_key(agent, &key);
		/* Claude Code's built-in agents need no file. */
		static const char *const builtin[] = { "general-purpose", "explore", "plan", NULL };
		if (!akb_strmap_get(&l->names, key.ptr, &idx) && !S_in(builtin, key.ptr))
			S_find(l, "AKB-AG017", line, col, "agent: '%s' names an agent that is not in the collection", agent);
	}
	akb_buf_release(&key);
}

/* Where `"key"` first appears in a JSON manifest (jansson keeps no positions). */
static void S_json_pos(const struct linter *l, const char *key, const char *value, unsigned *line, unsigned *col)
{
	struct akb_buf q = AKB_BUF_INIT;
	akb_buf_printf(&q, "\"%s\"", value ? value : key);
	const char *at = strstr(l->file.text, q.ptr);
	*line = 1;
	*col = 1;
	for (const char *p = l->file.text; at && p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)*p & 0xC0) != 0x80) {
			(*col)++;
		}
	}
	akb_buf_release(&q);
}

/* The folder above `.claude-plugin/` on disk. */
static void S_plugin_root(const struct akb_agent *a, struct akb_buf *out)
{
	const char *end = strrchr(a->path, '/');
	const char *up = end;
	while (up && up > a->path && up[-1] != '/')
		up--;
	if (!end || up <= a->path)
		akb_buf_puts(out, ".");
	else
		akb_buf_put(out, a->path, (size_t)(up - a->path - 1));
}

static int S_exists(const char *root, const char *rel)
{
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/%s", root, rel);
	struct stat st;
	int ok = stat(p.ptr, &st) == 0;
	akb_buf_release(&p);
	return ok;
}

/* A path of a manifest that stays inside its plugin: relative, no "..". */
static int S_relative(const char *p)
{
	return *p && *p != '/' && !strstr(p, "..") && !strstr(p, "://");
}

/* PL001: a plugin's component paths; PL002: a marketplace's plugin sources. */
static void S_manifest_paths(struct linter *l, const struct akb_agent *a)
{
	unsigned line, col;
	struct akb_buf root = AKB_BUF_INIT;
	S_plugin_root(a, &root);
	const struct akb_value *f = &a->fm.fields;
	if (a->format == AKB_FORMAT_PLUGIN) {
		static const char *const keys[] = { "commands", "agents", "skills", "hooks", "mcpServers", "outputStyles",
						    "lspServers", NULL };
		for (const char *const *k = keys; *k; k++) {
			const struct akb_value *v = akb_map_get(f, *k);
			size_t n = !v ? 0 : v->kind == AKB_LIST ? v->u.list.len : v->kind == AKB_STRING;
			for (size_t i = 0; i < n; i++) {
				const struct akb_value *e = v->kind == AKB_LIST ? &v->u.list.items[i] : v;
				if (e->kind != AKB_STRING || !S_relative(e->u.str.ptr) || S_exists(root.ptr, e->u.str.ptr))
					continue;
				S_json_pos(l, *k, e->u.str.ptr, &line, &col);
				S_find(l, "AKB-PL001", line, col, "%s: '%s' does not exist in the plugin's folder", *k, e->u.str.ptr);
			}
		}
	} else if (a->format == AKB_FORMAT_MARKETPLACE) {
		const struct akb_value *plugins = akb_map_get(f, "plugins");
		const char *prefix = akb_map_get_cstr(akb_map_get(f, "metadata"), "pluginRoot");
		struct akb_buf src = AKB_BUF_INIT;
		for (size_t i = 0; plugins && plugins->kind == AKB_LIST && i < plugins->u.list.len; i++) {
			const char *source = akb_map_get_cstr(&plugins->u.list.items[i], "source");
			if (!source || !S_relative(source))
				continue; /* {source: github, repo: ...}: fetched, not here */
			akb_buf_clear(&src);
			/* A bare name is under metadata.pluginRoot; "./x" from the marketplace's root. */
			if (prefix && strncmp(source, "./", 2))
				akb_buf_printf(&src, "%s/", prefix);
			akb_buf_puts(&src, source);
			if (S_exists(root.ptr, src.ptr))
				continue;
			S_json_pos(l, "source", source, &line, &col);
			S_find(l, "AKB-PL002", line, col, "plugin '%s': its source '%s' does not exist",
			       akb_map_get_cstr(&plugins->u.list.items[i], "name") ? akb_map_get_cstr(&plugins->u.list.items[i], "name") : "?",
			       src.ptr);
		}
		akb_buf_release(&src);
	}
	akb_buf_release(&root);
}

/* CR001: a Cursor rule Cursor never applies by itself. */
static void S_cursor_rule(struct linter *l, const struct akb_agent *a)
{
	const struct akb_value *always = akb_map_get(&a->fm.fields, "alwaysApply");
	const char *globs = akb_agent_field(a, "globs"), *desc = akb_agent_field(a, "description");
	const struct akb_value *glob_list = akb_map_get(&a->fm.fields, "globs");
	int applies = (always && always->kind == AKB_BOOL && always->u.boolean) || (globs && *globs) ||
		      (glob_list && glob_list->kind == AKB_LIST && glob_list->u.list.len) || (desc && *desc);
	if (!applies)
		S_find(l, "AKB-CR001", a->fm.present ? 1 : 0, a->fm.present ? 1 : 0,
		       "no alwaysApply, globs or description: Cursor applies this rule only when it is @-mentioned");
}

static int S_by_agent(const void *x, const void *y)
{
	const struct akb_finding *a = x, *b = y;
	int c = akb_order(a->agent, b->agent);
	c = c ? c : akb_order(a->line, b->line);
	c = c ? c : akb_order(a->col, b->col);
	return c ? c : akb_order((size_t)(a->rule - akb_lint_rules), (size_t)(b->rule - akb_lint_rules));
}

struct lint_pool {
	const struct linter *shared; /* the maps, read only while the pool runs */
	struct akb_lint *each;       /* one per agent */
};

/* The rules of one agent (every rule but those across files, which the maps answer). */
static void S_lint_one(void *ctx, size_t i)
{
	struct lint_pool *p = ctx;
	struct linter l = *p->shared;
	l.out = &p->each[i];
	l.agent = i;
	const struct akb_agent *a = &l.site->agents[i];
	enum akb_format f = a->format;
	int manifest = f == AKB_FORMAT_PLUGIN || f == AKB_FORMAT_MARKETPLACE;
	/* Only a manifest's rules read the file (positions jansson does not keep); the rest is in the agent. */
	memset(&l.file, 0, sizeof l.file);
	if (manifest)
		akb_agent_text_open(a, &l.file); /* a file changed meanwhile is reported when its page is made */
	S_names(&l, a);
	S_keys(&l, a);
	S_values(&l, a);
	if (f == AKB_FORMAT_SUBAGENT || f == AKB_FORMAT_SKILL || f == AKB_FORMAT_COMMAND)
		S_tools_rules(&l, a);
	S_description(&l, a);
	if (a->fm.recovered)
		S_find(&l, "AKB-AG013", a->fm.error_line, a->fm.error_col,
		       "the front-matter is not valid YAML (an unquoted ': ' in a value?); %s may skip "
		       "or misread this %s: quote the value",
		       akb_format_harness(f), f == AKB_FORMAT_SUBAGENT ? "agent" : "file");
	/* Duplicates among names a file gives, or a command's or skill's from its path. */
	if (akb_agent_field(a, "name") || f == AKB_FORMAT_COMMAND || f == AKB_FORMAT_SKILL)
		S_duplicates(&l, a);
	if (!manifest)
		S_names_resolve(&l, a);
	S_refs(&l, a);
	if (manifest)
		S_manifest_paths(&l, a);
	if (f == AKB_FORMAT_CURSOR_RULE)
		S_cursor_rule(&l, a);
	S_hidden(&l, a);
	if (manifest)
		akb_agent_text_close(&l.file);
}

void akb_lint_site(const struct akb_site *site, char *const *only, char *const *skip, unsigned jobs,
		   struct akb_lint *out)
{
	memset(out, 0, sizeof(*out));
	size_t nrules = 0;
	while (akb_lint_rules[nrules].id)
		nrules++;
	out->per_rule = akb_xcalloc(nrules + 1, sizeof(size_t));
	struct linter l = { site, only, skip, out, 0, { 0 }, { 0 }, { 0 }, { 0 } };
	akb_strmap_init(&l.names);
	akb_strmap_init(&l.kinds);
	akb_strmap_init(&l.skills);
	struct akb_buf key = AKB_BUF_INIT;
	for (size_t i = 0; i < site->nagents; i++) {
		const struct akb_agent *a = &site->agents[i];
		size_t seen;
		if (a->format == AKB_FORMAT_SKILL) {
			S_lower_key(a->name, &key);
			if (!akb_strmap_get(&l.skills, key.ptr, &seen))
				akb_strmap_set(&l.skills, key.ptr, i);
		}
		if (!akb_agent_field(a, "name") || !akb_format_is_agent(a->format))
			continue;
		S_lower_key(a->name, &key);
		if (!akb_strmap_get(&l.names, key.ptr, &seen))
			akb_strmap_set(&l.names, key.ptr, i);
	}
	for (size_t i = 0; i < site->nagents; i++) {
		const struct akb_agent *a = &site->agents[i];
		size_t seen;
		S_kind_key(a, &key);
		if (!akb_strmap_get(&l.kinds, key.ptr, &seen))
			akb_strmap_set(&l.kinds, key.ptr, i);
	}
	akb_buf_release(&key);
	/* Each agent on its own, into its own findings (threads.h), merged in agent order. */
	struct lint_pool pool = { &l, akb_xcalloc(site->nagents + 1, sizeof(struct akb_lint)) };
	akb_parallel_for(site->nagents, jobs ? jobs : akb_cores(), S_lint_one, &pool);
	size_t total = 0;
	for (size_t i = 0; i < site->nagents; i++)
		total += pool.each[i].len;
	out->items = akb_xmalloc(akb_xmul(total + 1, sizeof(*out->items))); /* kept for the whole build: no spare room */
	out->cap = total + 1;
	for (size_t i = 0; i < site->nagents; i++) {
		struct akb_lint *one = &pool.each[i];
		for (size_t k = 0; k < one->len; k++) {
			out->items[out->len++] = one->items[k];
			out->per_rule[one->items[k].rule - akb_lint_rules]++;
		}
		free(one->items);
	}
	free(pool.each);
	akb_strmap_release(&l.names);
	akb_strmap_release(&l.kinds);
	akb_strmap_release(&l.skills);
	if (out->len)
		qsort(out->items, out->len, sizeof(*out->items), S_by_agent);
}

size_t akb_lint_first(const struct akb_lint *lint, size_t agent)
{
	size_t lo = 0, hi = lint->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lint->items[mid].agent < agent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void akb_lint_release(struct akb_lint *lint)
{
	for (size_t i = 0; i < lint->len; i++)
		free(lint->items[i].message);
	free(lint->items);
	free(lint->per_rule);
	memset(lint, 0, sizeof(*lint));
}

static const char *S_level(enum akb_severity s)
{
	return s == AKB_ERROR ? "error" : s == AKB_WARNING ? "warning" : "note";
}

void akb_lint_text(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out)
{
	for (size_t i = 0; i < lint->len; i++) {
		const struct akb_finding *f = &lint->items[i];
		akb_buf_puts(out, site->agents[f->agent].path);
		if (f->line)
			akb_buf_printf(out, ":%u:%u", f->line, f->col);
		akb_buf_printf(out, ": %s: %s [%s]\n", S_level(f->rule->level), f->message, f->rule->id);
	}
}

void akb_lint_json(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out)
{
	akb_buf_puts(out, "{\"agentkb\": \"" AKB_VERSION "\", \"agents\": ");
	akb_buf_printf(out, "%zu, \"findings\": [", site->nagents);
	for (size_t i = 0; i < lint->len; i++) {
		const struct akb_finding *f = &lint->items[i];
		akb_buf_puts(out, i ? ",\n  {\"rule\": " : "\n  {\"rule\": ");
		akb_json_cstr(out, f->rule->id);
		akb_buf_puts(out, ", \"name\": ");
		akb_json_cstr(out, f->rule->name);
		akb_buf_printf(out, ", \"level\": \"%s\", \"path\": ", S_level(f->rule->level));
		akb_json_cstr(out, site->agents[f->agent].path);
		akb_buf_printf(out, ", \"line\": %u, \"col\": %u, \"message\": ", f->line, f->col);
		akb_json_cstr(out, f->message);
		akb_buf_putc(out, '}');
	}
	akb_buf_puts(out, lint->len ? "\n], \"counts\": {" : "], \"counts\": {");
	int first = 1;
	for (size_t r = 0; akb_lint_rules[r].id; r++) {
		if (!lint->per_rule[r])
			continue;
		akb_buf_printf(out, "%s\"%s\": %zu", first ? "" : ", ", akb_lint_rules[r].id, lint->per_rule[r]);
		first = 0;
	}
	akb_buf_puts(out, "}}\n");
}

/* A byte column of `line` as a column of code points (SARIF's unicodeCodePoints). */
static unsigned S_cp_col(const struct akb_agent *a, unsigned line, unsigned col)
{
	struct akb_agent_text file;
	akb_agent_text_open(a, &file);
	const char *text = file.text;
	size_t text_len = file.text_len, i = 0;
	for (unsigned l = 1; l < line && i < text_len; i++)
		if (text[i] == '\n')
			l++;
	size_t end = i + (col ? col - 1 : 0);
	unsigned cp = 1;
	while (i < end && i < text_len) {
		size_t at = i;
		akb_utf8_next(text, text_len, &i);
		if (i == at)
			i++;
		cp++;
	}
	akb_agent_text_close(&file);
	return cp;
}

void akb_lint_sarif(const struct akb_site *site, const struct akb_lint *lint, struct akb_buf *out)
{
	akb_buf_puts(out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
			  "  \"runs\": [{\n    \"tool\": {\"driver\": {\"name\": \"agentkb\", \"version\": \"" AKB_VERSION
			  "\", \"rules\": [");
	for (size_t r = 0; akb_lint_rules[r].id; r++) {
		const struct akb_lint_rule *rule = &akb_lint_rules[r];
		akb_buf_puts(out, r ? ",\n      {\"id\": " : "\n      {\"id\": ");
		akb_json_cstr(out, rule->id);
		akb_buf_puts(out, ", \"name\": ");
		akb_json_cstr(out, rule->name);
		akb_buf_puts(out, ", \"shortDescription\": {\"text\": ");
		akb_json_cstr(out, rule->summary);
		akb_buf_printf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}", S_level(rule->level));
	}
	akb_buf_puts(out, "\n    ]}},\n    \"results\": [");
	for (size_t i = 0; i < lint->len; i++) {
		const struct akb_finding *f = &lint->items[i];
		const struct akb_agent *a = &site->agents[f->agent];
		akb_buf_puts(out, i ? ",\n      {\"ruleId\": " : "\n      {\"ruleId\": ");
		akb_json_cstr(out, f->rule->id);
		akb_buf_printf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ",
			       (size_t)(f->rule - akb_lint_rules), S_level(f->rule->level));
		akb_json_cstr(out, f->message);
		/* URIs relative to the content folder, percent-encoded as RFC 3986 wants. */
		akb_buf_puts(out, "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"");
		struct akb_buf uri = AKB_BUF_INIT;
		akb_url_put_path(&uri, a->rel, strlen(a->rel));
		akb_buf_put(out, uri.ptr, uri.len);
		akb_buf_release(&uri);
		akb_buf_puts(out, "\", \"uriBaseId\": \"CONTENT\"}");
		if (f->line)
			akb_buf_printf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}", f->line,
				       S_cp_col(a, f->line, f->col));
		akb_buf_puts(out, "}}]}");
	}
	akb_buf_puts(out, lint->len ? "\n    ],\n" : "],\n");
	akb_buf_puts(out, "    \"columnKind\": \"unicodeCodePoints\"\n  }]\n}\n");
}
