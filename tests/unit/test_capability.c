/* Unit tests for what an agent may do (include/agentkb/capability.h). */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/agent.h"
#include "agentkb/load.h"
#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/language.h"
#include "harness.h"

/* The capabilities of the file `rel` (its format: format.h) whose front-matter lines are `fm`. */
static void S_caps_at(const char *rel, const char *fm, struct akb_capabilities *caps)
{
	struct akb_buf text = AKB_BUF_INIT;
	akb_buf_printf(&text, "---\nname: x\ndescription: Does things.\n%s---\nBody text here.\n", fm);
	struct akb_agent a;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	akb_agent_load_text(&a, rel, rel, text.ptr, text.len, &d);
	akb_capabilities_of(&a, caps);
	akb_agent_release(&a);
	akb_diag_release(&d);
	akb_buf_release(&text);
}

static void S_caps(const char *fm, struct akb_capabilities *caps)
{
	S_caps_at("x.md", fm, caps);
}

/* A list of strings as "a|b|c". */
static char *S_join(const struct akb_value *list)
{
	struct akb_buf b = AKB_BUF_INIT;
	for (size_t i = 0; i < list->u.list.len; i++) {
		if (i)
			akb_buf_putc(&b, '|');
		akb_value_to_text(&list->u.list.items[i], &b);
	}
	return akb_buf_detach(&b, NULL);
}

#define JOINED(list, want)                  \
	do {                                \
		char *j_ = S_join(list);    \
		STR_EQ(j_, want);           \
		free(j_);                   \
	} while (0)

TEST(capability_no_tools_inherits_everything)
{
	struct akb_capabilities c;
	S_caps("", &c);
	CHECK(c.inherits_all && c.shell && c.writes && c.web && c.may_delegate && !c.read_only);
	INT_EQ(c.tools.u.list.len, 0);
	INT_EQ(akb_access_of(&c), AKB_ACCESS_ALL_TOOLS | AKB_ACCESS_SHELL | AKB_ACCESS_WRITES | AKB_ACCESS_WEB |
					  AKB_ACCESS_DELEGATES);
	akb_capabilities_release(&c);
	/* Inherited, less what is denied. */
	S_caps("disallowedTools: Bash, Write, Edit\n", &c);
	CHECK(c.inherits_all && !c.shell && !c.writes);
	JOINED(&c.denied, "Bash|Write|Edit");
	akb_capabilities_release(&c);
}

TEST(capability_listed_tools_denied_memory)
{
	struct akb_capabilities c;
	S_caps("tools: Read, Grep, Glob\n", &c);
	CHECK(!c.inherits_all && !c.shell && !c.writes && c.read_only);
	JOINED(&c.tools, "Read|Grep|Glob");
	INT_EQ(akb_access_of(&c), AKB_ACCESS_READ_ONLY);
	akb_capabilities_release(&c);
	/* disallowedTools wins over tools, and a bare name removes its scoped forms. */
	S_caps("tools: [Read, Write, \"Bash(git status:*)\"]\ndisallowedTools: [Write, Bash]\n", &c);
	JOINED(&c.tools, "Read");
	CHECK(!c.writes && !c.shell && c.read_only);
	akb_capabilities_release(&c);
	/* memory keeps its files with Read, Write and Edit. */
	S_caps("tools: Grep\nmemory: project\n", &c);
	JOINED(&c.tools, "Grep|Read|Write|Edit");
	CHECK(c.writes && !c.read_only);
	akb_capabilities_release(&c);
}

TEST(capability_shell_scope_agents_mcp_bypass)
{
	struct akb_capabilities c;
	/* Commas inside a tool's patterns do not split it. */
	S_caps("tools: Read, Bash(git add:*, git commit:*), Agent(reviewer, tester)\n", &c);
	JOINED(&c.tools, "Read|Bash(git add:*, git commit:*)|Agent(reviewer, tester)");
	CHECK(c.shell && c.shell_scoped && c.may_delegate && !c.read_only);
	JOINED(&c.agents, "reviewer|tester");
	akb_capabilities_release(&c);
	S_caps("tools: Bash(npm test:*), Bash\n", &c);
	CHECK(c.shell && !c.shell_scoped);
	akb_capabilities_release(&c);
	/* A bare Agent (or the older Task) starts any sub-agent. */
	S_caps("tools: Read, Task\n", &c);
	CHECK(c.may_delegate && c.agents.u.list.len == 0);
	akb_capabilities_release(&c);
	/* MCP tools, grouped by server; a bare server is all of its tools. */
	S_caps("tools: mcp__github__create_issue, mcp__github__list_prs, mcp__slack, Read\n", &c);
	JOINED(&c.tools, "Read");
	INT_EQ(c.mcp.u.list.len, 2);
	STR_EQ(akb_map_get_cstr(&c.mcp.u.list.items[0], "server"), "github");
	JOINED(akb_map_get(&c.mcp.u.list.items[0], "tools"), "create_issue|list_prs");
	STR_EQ(akb_map_get_cstr(&c.mcp.u.list.items[1], "server"), "slack");
	INT_EQ(akb_map_get(&c.mcp.u.list.items[1], "tools")->u.list.len, 0);
	CHECK(!c.read_only);
	akb_capabilities_release(&c);
	S_caps("tools: Read\npermissionMode: bypassPermissions\n", &c);
	CHECK(c.bypass && !c.read_only && (akb_access_of(&c) & AKB_ACCESS_BYPASS));
	akb_capabilities_release(&c);
	STR_EQ(akb_access_name(0), "read-only");
	CHECK(akb_access_name(AKB_ACCESS_COUNT) == NULL);
}

TEST(capability_tokens_estimate)
{
	INT_EQ(akb_estimate_tokens("", 0), 0);
	INT_EQ(akb_estimate_tokens("abcdefgh", 8), 2);
	INT_EQ(akb_estimate_tokens("abcdefghi", 9), 3);
	/* A CJK character is about a token: 缓存架构 is 4, and 12 bytes of UTF-8. */
	INT_EQ(akb_estimate_tokens("缓存架构", strlen("缓存架构")), 4);
}

TEST(capability_tokens_estimate_mixed_text)
{
	/* ASCII is a quarter token a byte, each CJK character one, other letters by their bytes. */
	INT_EQ(akb_estimate_tokens("cache 缓存 layer", strlen("cache 缓存 layer")), (12 + 3) / 4 + 2);
	INT_EQ(akb_estimate_tokens("café", strlen("café")), (5 + 3) / 4);
}

/* The language akb_language_detect names for `text` ("" for none). */
static const char *S_language(const char *text)
{
	const char *name = akb_language_detect(text, strlen(text));
	return name ? name : "";
}

TEST(language_detect_latin_and_cjk)
{
	STR_EQ(S_language("Use this agent when you are reviewing the schema and the cache for a release."), "English");
	STR_EQ(S_language("Der Agent prüft die Datenbank und ist nicht für eine Migration mit den Tabellen gedacht."),
	       "Deutsch");
	STR_EQ(S_language("Le agent vérifie la base des données pour une migration avec les tables dans le schéma."),
	       "Français");
	STR_EQ(S_language("El agente revisa los datos del esquema para una migración con las tablas como se espera."),
	       "Español");
	STR_EQ(S_language("O agente revisa os dados do esquema para uma migração com as tabelas que não são grandes."),
	       "Português");
	/* Capitals count as their lower case: LES DES POUR ... */
	STR_EQ(S_language("LE AGENT VÉRIFIE LA BASE DES DONNÉES POUR UNE MIGRATION AVEC LES TABLES DANS LE SCHÉMA."),
	       "Français");
	STR_EQ(S_language("当用户讨论缓存架构、数据库迁移和日志审查时使用这个智能体来完成工作。"), "中文");
	STR_EQ(S_language("このエージェントはデータベースの移行とキャッシュの設計を確認します。"), "日本語");
	STR_EQ(S_language("이 에이전트는 데이터베이스 마이그레이션과 캐시 설계를 검토합니다 그리고 로그를 확인합니다."), "한국어");
	STR_EQ(S_language("too short"), "");
}

TEST(capability_skills_and_commands_run_in_the_session)
{
	struct akb_capabilities c;
	/* allowed-tools pre-approve; they do not limit: the session's tools stay. */
	S_caps_at("skills/pdf/SKILL.md", "allowed-tools: Read, Bash(python:*)\n", &c);
	CHECK(c.in_session && c.inherits_all && c.shell && c.writes && !c.read_only && !c.no_tools);
	JOINED(&c.preapproved, "Read|Bash(python:*)");
	INT_EQ(c.tools.u.list.len, 0);
	akb_capabilities_release(&c);
	S_caps_at(".claude/commands/review.md", "", &c);
	CHECK(c.in_session && c.preapproved.u.list.len == 0);
	akb_capabilities_release(&c);
}

TEST(capability_other_harnesses)
{
	struct akb_capabilities c;
	/* Copilot: tool sets and their members; any other "server/..." is an MCP server. */
	S_caps_at("agents/a.agent.md", "tools: ['codebase', 'search', 'web/fetch', 'github-mcp/*']\n", &c);
	CHECK(!c.inherits_all && !c.shell && !c.writes && c.web && !c.read_only);
	INT_EQ(c.mcp.u.list.len, 1);
	STR_EQ(akb_map_get_cstr(&c.mcp.u.list.items[0], "server"), "github-mcp");
	akb_capabilities_release(&c);
	S_caps_at(".github/agents/b.md", "tools: ['codebase', 'usages', 'problems']\n", &c);
	CHECK(c.read_only);
	akb_capabilities_release(&c);
	S_caps_at("agents/c.agent.md", "tools: ['edit/editFiles', 'runCommands']\n", &c);
	CHECK(c.writes && c.shell && !c.web);
	akb_capabilities_release(&c);
	S_caps_at("agents/d.agent.md", "", &c);
	CHECK(c.inherits_all && c.shell);
	akb_capabilities_release(&c);
	/* Gemini CLI's tool names. */
	S_caps_at(".gemini/agents/g.md", "tools: [read_file, grep_search, run_shell_command]\n", &c);
	CHECK(c.shell && !c.writes && !c.web);
	akb_capabilities_release(&c);
	/* Cursor: readonly. */
	S_caps_at(".cursor/agents/r.md", "readonly: true\n", &c);
	CHECK(c.read_only && !c.inherits_all);
	akb_capabilities_release(&c);
	S_caps_at(".cursor/agents/w.md", "", &c);
	CHECK(c.inherits_all && !c.read_only);
	akb_capabilities_release(&c);
	/* opencode: the v2 permissions list and the older maps. */
	S_caps_at(".opencode/agents/o.md",
		  "permissions:\n  - action: edit\n    resource: \"*\"\n    effect: deny\n  - action: shell\n"
		  "    resource: \"*\"\n    effect: deny\n",
		  &c);
	CHECK(!c.writes && !c.shell && c.web && !c.inherits_all);
	akb_capabilities_release(&c);
	S_caps_at(".opencode/agents/p.md", "tools:\n  write: false\n  edit: false\n  bash: false\npermission:\n  webfetch: deny\n  task: deny\n",
		  &c);
	CHECK(c.read_only);
	akb_capabilities_release(&c);
	/* Instructions have no tools of their own. */
	S_caps_at(".cursor/rules/style.mdc", "", &c);
	CHECK(c.no_tools && !c.read_only && !c.inherits_all && akb_access_of(&c) == 0);
	akb_capabilities_release(&c);
	S_caps_at("AGENTS.md", "", &c);
	CHECK(c.no_tools);
	akb_capabilities_release(&c);
}

TEST(capability_codex_sandbox)
{
	struct akb_capabilities c;
	struct akb_agent a;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	static const char *const modes[] = { "read-only", "workspace-write", "danger-full-access" };
	for (int m = 0; m < 3; m++) {
		struct akb_buf text = AKB_BUF_INIT;
		akb_buf_printf(&text, "name = \"x\"\ndescription = \"Does things.\"\nsandbox_mode = \"%s\"\n"
				      "developer_instructions = \"\"\"\nReview.\n\"\"\"\n", modes[m]);
		akb_agent_load_text(&a, ".codex/agents/x.toml", ".codex/agents/x.toml", text.ptr, text.len, &d);
		akb_capabilities_of(&a, &c);
		if (m == 0)
			CHECK(c.read_only && !c.shell && c.sandboxed);
		else if (m == 1)
			CHECK(c.writes && c.shell && !c.bypass && c.sandboxed);
		else
			CHECK(c.writes && c.shell && c.bypass && !c.sandboxed);
		akb_capabilities_release(&c);
		akb_agent_release(&a);
		akb_buf_release(&text);
	}
	INT_EQ(d.errors, 0);
	akb_diag_release(&d);
}

TEST(capability_plugin_agents_ignore_mcp_servers_and_permission_mode)
{
	struct akb_capabilities c;
	struct akb_agent a;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	static const char text[] = "---\nname: x\ndescription: Does things.\ntools: Read\npermissionMode: bypassPermissions\n"
				   "mcpServers:\n  - github\n---\nBody.\n";
	akb_agent_load_text(&a, "p/agents/x.md", "p/agents/x.md", text, sizeof text - 1, &d);
	akb_capabilities_of(&a, &c);
	CHECK(c.bypass && c.mcp.u.list.len == 1);
	akb_capabilities_release(&c);
	a.plugin = 0; /* as akb_plugin_link sets it for an agent of a plugin's folder */
	akb_capabilities_of(&a, &c);
	CHECK(!c.bypass && c.mcp.u.list.len == 0 && c.read_only);
	akb_capabilities_release(&c);
	akb_agent_release(&a);
	akb_diag_release(&d);
}
