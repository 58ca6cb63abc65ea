/* Unit tests for what an agent may do (include/agentkb/capability.h). */
#include "prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/agent.h"
#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "harness.h"

/* The capabilities of an agent whose front-matter lines are `fm`. */
static void S_caps(const char *fm, struct akb_capabilities *caps)
{
	struct akb_buf text = AKB_BUF_INIT;
	akb_buf_printf(&text, "---\nname: x\ndescription: Does things.\n%s---\nBody text here.\n", fm);
	struct akb_agent a;
	struct akb_diag d;
	akb_diag_init(&d, NULL);
	akb_agent_load_text(&a, "x.md", "x.md", text.ptr, text.len, &d);
	akb_capabilities_of(&a, caps);
	akb_agent_release(&a);
	akb_diag_release(&d);
	akb_buf_release(&text);
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
