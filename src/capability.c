#include "prefix.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/utf8.h"

/* Append s[0..n) trimmed, when not empty. */
static void S_push_trimmed(struct akb_value *out, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n)
		akb_value_set_string(akb_list_push(out), s, n);
}

int akb_tool_list(const struct akb_value *v, struct akb_value *out)
{
	if (v->kind == AKB_LIST) {
		struct akb_buf text = AKB_BUF_INIT;
		for (size_t i = 0; i < v->u.list.len; i++) {
			akb_buf_clear(&text);
			akb_value_to_text(&v->u.list.items[i], &text);
			S_push_trimmed(out, text.ptr, text.len);
		}
		akb_buf_release(&text);
		return 0;
	}
	if (v->kind != AKB_STRING)
		return v->kind == AKB_NULL ? 0 : -1;
	/* Commas inside parentheses belong to a tool's patterns: Bash(git add:*, git commit:*). */
	const char *s = v->u.str.ptr, *start = s;
	int depth = 0;
	for (;; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth)
			depth--;
		if (!*s || (*s == ',' && !depth)) {
			S_push_trimmed(out, start, (size_t)(s - start));
			if (!*s)
				break;
			start = s + 1;
		}
	}
	return 0;
}

/* The name of a tool entry without its patterns: "Bash(git add:*)" -> "Bash" (length). */
static size_t S_base(const char *tool)
{
	return strcspn(tool, "(");
}

static int S_is(const char *tool, const char *name)
{
	size_t n = S_base(tool);
	return n == strlen(name) && !strncmp(tool, name, n);
}

/* Does `tool` carry patterns, "(...)" with something inside? */
static int S_scoped(const char *tool)
{
	const char *p = strchr(tool, '(');
	return p && p[1] && p[1] != ')';
}

static int S_listed(const struct akb_value *list, const char *name)
{
	for (size_t i = 0; i < list->u.list.len; i++)
		if (S_is(list->u.list.items[i].u.str.ptr, name))
			return 1;
	return 0;
}

/* Adds tool `t` of an MCP server ("mcp__github__create_issue", or "mcp__github") to caps->mcp. */
static void S_add_mcp(struct akb_capabilities *caps, const char *t)
{
	const char *server = t + 5, *sep = strstr(server, "__");
	size_t n = sep ? (size_t)(sep - server) : strlen(server);
	struct akb_value *entry = NULL;
	for (size_t i = 0; i < caps->mcp.u.list.len && !entry; i++) {
		const char *s = akb_map_get_cstr(&caps->mcp.u.list.items[i], "server");
		if (strlen(s) == n && !strncmp(s, server, n))
			entry = &caps->mcp.u.list.items[i];
	}
	if (!entry) {
		entry = akb_list_push(&caps->mcp);
		akb_value_set_map(entry);
		akb_value_set_string(akb_map_put(entry, "server"), server, n);
		akb_map_set_list(entry, "tools");
	}
	if (sep && sep[2])
		akb_value_set_string(akb_list_push(akb_map_get(entry, "tools")), sep + 2, strlen(sep + 2));
}

/* Agent(a, b) / Task(a, b): the sub-agents named inside. */
static void S_add_agents(struct akb_capabilities *caps, const char *t)
{
	const char *p = strchr(t, '(');
	if (!p)
		return;
	p++;
	const char *end = strrchr(p, ')');
	if (!end)
		end = p + strlen(p);
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c ? c : end;
		S_push_trimmed(&caps->agents, p, (size_t)(e - p));
		p = e + 1;
	}
}

static const char *const S_write_tools[] = { "Write", "Edit", "MultiEdit", "NotebookEdit", NULL };

size_t akb_estimate_tokens(const char *text, size_t len)
{
	size_t latin = 0, cjk = 0, i = 0;
	while (i < len) {
		size_t before = i;
		uint32_t c = akb_utf8_next(text, len, &i);
		if (i == before)
			i++;
		if (akb_utf8_is_cjk(c))
			cjk++;
		else
			latin += i - before;
	}
	return (latin + 3) / 4 + cjk;
}

void akb_capabilities_of(const struct akb_agent *a, struct akb_capabilities *caps)
{
	memset(caps, 0, sizeof(*caps));
	akb_value_set_list(&caps->tools);
	akb_value_set_list(&caps->mcp);
	akb_value_set_list(&caps->agents);
	akb_value_set_list(&caps->denied);
	const struct akb_value *given = akb_map_get(&a->fm.fields, "tools");
	const struct akb_value *denied = akb_map_get(&a->fm.fields, "disallowedTools");
	if (denied)
		akb_tool_list(denied, &caps->denied);
	caps->inherits_all = !given || given->kind == AKB_NULL;
	struct akb_value listed = AKB_VALUE_NULL;
	int bare_bash = 0, scoped_bash = 0;
	akb_value_set_list(&listed);
	if (!caps->inherits_all)
		akb_tool_list(given, &listed);
	/* memory: the agent keeps its memory files with these. */
	const char *memory = akb_agent_field(a, "memory");
	if (!caps->inherits_all && memory && *memory && strcasecmp(memory, "none") && strcasecmp(memory, "false"))
		for (const char *const *t = (const char *const[]){ "Read", "Write", "Edit", NULL }; *t; t++)
			if (!S_listed(&listed, *t))
				akb_value_set_string(akb_list_push(&listed), *t, strlen(*t));
	for (size_t i = 0; i < listed.u.list.len; i++) {
		const char *t = listed.u.list.items[i].u.str.ptr;
		/* disallowedTools wins: "Bash" there removes every Bash(...) too. */
		char name[64];
		size_t n = S_base(t);
		snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), t);
		if (S_listed(&caps->denied, name))
			continue;
		if (!strncmp(t, "mcp__", 5)) {
			S_add_mcp(caps, t);
			continue;
		}
		akb_value_set_string(akb_list_push(&caps->tools), t, strlen(t));
		if (S_is(t, "Bash")) {
			caps->shell = 1;
			if (S_scoped(t))
				scoped_bash = 1;
			else
				bare_bash = 1;
		}
		for (const char *const *w = S_write_tools; *w; w++)
			if (S_is(t, *w))
				caps->writes = 1;
		if (S_is(t, "WebFetch") || S_is(t, "WebSearch"))
			caps->web = 1;
		if (S_is(t, "Agent") || S_is(t, "Task")) {
			caps->may_delegate = 1;
			S_add_agents(caps, t);
		}
	}
	caps->shell_scoped = scoped_bash && !bare_bash;
	akb_value_release(&listed);
	if (caps->inherits_all) {
		/* Everything of the session, less what is denied. */
		caps->shell = !S_listed(&caps->denied, "Bash");
		caps->writes = !S_listed(&caps->denied, "Write") || !S_listed(&caps->denied, "Edit");
		caps->web = !S_listed(&caps->denied, "WebFetch") || !S_listed(&caps->denied, "WebSearch");
		caps->may_delegate = !S_listed(&caps->denied, "Agent") && !S_listed(&caps->denied, "Task");
	}
	const char *mode = akb_agent_field(a, "permissionMode");
	caps->bypass = mode && !strcmp(mode, "bypassPermissions");
	caps->read_only = !caps->writes && !caps->shell && !caps->may_delegate && !caps->inherits_all &&
			  !caps->mcp.u.list.len && !caps->bypass;
}

static const char *const S_access_names[AKB_ACCESS_COUNT] = {
	"read-only", "inherits all tools", "runs shell", "writes files", "web access", "starts sub-agents",
	"bypasses permissions",
};

const char *akb_access_name(int i)
{
	return i >= 0 && i < AKB_ACCESS_COUNT ? S_access_names[i] : NULL;
}

unsigned akb_access_of(const struct akb_capabilities *c)
{
	return (c->read_only ? AKB_ACCESS_READ_ONLY : 0) | (c->inherits_all ? AKB_ACCESS_ALL_TOOLS : 0) |
	       (c->shell ? AKB_ACCESS_SHELL : 0) | (c->writes ? AKB_ACCESS_WRITES : 0) | (c->web ? AKB_ACCESS_WEB : 0) |
	       (c->may_delegate ? AKB_ACCESS_DELEGATES : 0) | (c->bypass ? AKB_ACCESS_BYPASS : 0);
}

void akb_capabilities_release(struct akb_capabilities *caps)
{
	akb_value_release(&caps->tools);
	akb_value_release(&caps->mcp);
	akb_value_release(&caps->agents);
	akb_value_release(&caps->denied);
	memset(caps, 0, sizeof(*caps));
}
