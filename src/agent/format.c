/*
 * format: tells a file's harness format from its path and extension
 * (see format.h), and what each format's install command looks like.
 */
#include "core/prefix.h"

#include <string.h>
#include <strings.h>

#include "agentkb/buf.h"
#include "agentkb/format.h"

static const char *const S_names[AKB_FORMAT_COUNT] = {
	"Sub-agent", "Skill", "Slash command", "Plugin", "Marketplace", "Copilot agent", "Cursor rule",
	"Cursor agent", "Codex agent", "AGENTS.md", "Gemini agent", "opencode agent",
};
static const char *const S_keys[AKB_FORMAT_COUNT] = {
	"subagent", "skill", "command", "plugin", "marketplace", "copilot-agent", "cursor-rule",
	"cursor-agent", "codex-agent", "agents-md", "gemini-agent", "opencode-agent",
};

/* Per format: its harness, where a project keeps it (%s: the slug; NULL: not a file copied in), user-wide folder. */
static const struct {
	const char *harness, *project, *user;
} S_install[AKB_FORMAT_COUNT] = {
	{ "Claude Code", ".claude/agents/%s.md", "~/.claude/agents/" },
	{ "Claude Code", ".claude/skills/%s/SKILL.md", "~/.claude/skills/" },
	{ "Claude Code", ".claude/commands/%s.md", "~/.claude/commands/" },
	{ "Claude Code", NULL, NULL },
	{ "Claude Code", NULL, NULL },
	{ "GitHub Copilot", ".github/agents/%s.agent.md", NULL },
	{ "Cursor", ".cursor/rules/%s.mdc", NULL },
	{ "Cursor", ".cursor/agents/%s.md", "~/.cursor/agents/" },
	{ "Codex", ".codex/agents/%s.toml", "~/.codex/agents/" },
	{ "Codex, Copilot, Cursor and other AGENTS.md readers", "AGENTS.md", NULL },
	{ "Gemini CLI", ".gemini/agents/%s.md", "~/.gemini/agents/" },
	{ "opencode", ".opencode/agents/%s.md", "~/.config/opencode/agents/" },
};

static enum akb_format S_valid(enum akb_format k)
{
	return k < AKB_FORMAT_COUNT ? k : AKB_FORMAT_SUBAGENT;
}

const char *akb_format_harness(enum akb_format k)
{
	return S_install[S_valid(k)].harness;
}

int akb_format_install_path(enum akb_format k, const char *slug, struct akb_buf *out)
{
	const char *fmt = S_install[S_valid(k)].project;
	if (!fmt)
		return -1;
	const char *s = strstr(fmt, "%s");
	if (!s) {
		akb_buf_puts(out, fmt);
		return 0;
	}
	akb_buf_put(out, fmt, (size_t)(s - fmt));
	akb_buf_puts(out, slug);
	akb_buf_puts(out, s + 2);
	return 0;
}

const char *akb_format_user_dir(enum akb_format k)
{
	return S_install[S_valid(k)].user;
}

void akb_format_raw_name(enum akb_format k, const char *slug, struct akb_buf *out)
{
	k = S_valid(k);
	if (k == AKB_FORMAT_PLUGIN || k == AKB_FORMAT_MARKETPLACE) {
		akb_buf_puts(out, k == AKB_FORMAT_PLUGIN ? "plugin.json" : "marketplace.json");
		return;
	}
	struct akb_buf path = AKB_BUF_INIT;
	akb_format_install_path(k, slug, &path);
	const char *base = strrchr(path.ptr, '/');
	akb_buf_puts(out, base ? base + 1 : path.ptr);
	akb_buf_release(&path);
}

int akb_format_is_agent(enum akb_format k)
{
	return k != AKB_FORMAT_CURSOR_RULE && k != AKB_FORMAT_AGENTS_MD && k != AKB_FORMAT_PLUGIN &&
	       k != AKB_FORMAT_MARKETPLACE;
}

int akb_format_is_claude(enum akb_format k)
{
	return k <= AKB_FORMAT_MARKETPLACE;
}

const char *akb_format_name(enum akb_format k)
{
	return k < AKB_FORMAT_COUNT ? S_names[k] : S_names[0];
}

const char *akb_format_key(enum akb_format k)
{
	return k < AKB_FORMAT_COUNT ? S_keys[k] : S_keys[0];
}

static const char *S_base(const char *rel)
{
	const char *s = strrchr(rel, '/');
	return s ? s + 1 : rel;
}

static int S_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* Does `rel` have the folder `dir` ("a/b", matched as whole segments) as the folder just above the file? */
static int S_parent_is(const char *rel, const char *dir)
{
	const char *base = S_base(rel);
	size_t n = strlen(dir);
	if ((size_t)(base - rel) < n + 1)
		return 0;
	const char *at = base - 1 - n;
	return !strncmp(at, dir, n) && (at == rel || at[-1] == '/');
}

/* Is `seg` a folder somewhere above the file? */
static int S_under(const char *rel, const char *seg)
{
	size_t n = strlen(seg);
	for (const char *p = rel; (p = strstr(p, seg)); p += n)
		if ((p == rel || p[-1] == '/') && p[n] == '/')
			return 1;
	return 0;
}

enum akb_format akb_format_of(const char *rel)
{
	const char *base = S_base(rel);
	if (!strcmp(base, "SKILL.md"))
		return AKB_FORMAT_SKILL;
	if (S_parent_is(rel, ".claude-plugin") && !strcmp(base, "plugin.json"))
		return AKB_FORMAT_PLUGIN;
	if (!strcmp(base, "marketplace.json"))
		return AKB_FORMAT_MARKETPLACE;
	if (S_ends(base, ".mdc"))
		return AKB_FORMAT_CURSOR_RULE;
	if (S_ends(base, ".toml"))
		return AKB_FORMAT_CODEX_AGENT;
	if (!strcmp(base, "AGENTS.md"))
		return AKB_FORMAT_AGENTS_MD;
	if (S_under(rel, ".cursor") && S_under(rel, "agents"))
		return AKB_FORMAT_CURSOR_AGENT;
	if (S_under(rel, ".gemini") && S_under(rel, "agents"))
		return AKB_FORMAT_GEMINI_AGENT;
	if (S_under(rel, ".opencode") && (S_under(rel, "agents") || S_under(rel, "agent")))
		return AKB_FORMAT_OPENCODE_AGENT;
	if (S_ends(base, ".agent.md") || S_parent_is(rel, ".github/agents"))
		return AKB_FORMAT_COPILOT_AGENT;
	if (S_under(rel, "commands"))
		return AKB_FORMAT_COMMAND;
	return AKB_FORMAT_SUBAGENT;
}

int akb_format_hidden_dir_ok(const char *name)
{
	static const char *const dirs[] = { ".claude", ".claude-plugin", ".github", ".cursor", ".codex", ".gemini",
					    ".opencode", NULL };
	for (const char *const *d = dirs; *d; d++)
		if (!strcmp(name, *d))
			return 1;
	return 0;
}

int akb_format_is_input(const char *rel)
{
	const char *base = S_base(rel);
	if (S_ends(base, ".md") || S_ends(base, ".mdc"))
		return 1;
	if (S_ends(base, ".toml"))
		return S_under(rel, ".codex") && S_under(rel, "agents");
	if (!strcmp(base, "plugin.json"))
		return S_parent_is(rel, ".claude-plugin");
	return !strcmp(base, "marketplace.json") && S_parent_is(rel, ".claude-plugin");
}
