/*
 * capability: an agent's effective tools and risks, by the rules each
 * harness documents (see capability.h).
 */
#include "core/prefix.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/format.h"
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

/* Is the tool named by `t`'s base ("Bash" of "Bash(git:*)") in `list`? */
static int S_listed_base(const struct akb_value *list, const char *t)
{
	size_t n = S_base(t);
	for (size_t i = 0; i < list->u.list.len; i++) {
		const char *d = list->u.list.items[i].u.str.ptr;
		if (S_base(d) == n && !strncmp(d, t, n))
			return 1;
	}
	return 0;
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
		if ((unsigned char)text[i] < 0x80) { /* most of any text: no decoding */
			latin++;
			i++;
			continue;
		}
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

/* Claude Code's rules for a sub-agent's tools (the header's list). */
static void S_claude_agent(const struct akb_agent *a, struct akb_capabilities *caps)
{
	const struct akb_value *given = akb_map_get(&a->fm.fields, "tools");
	const struct akb_value *denied = akb_map_get(&a->fm.fields, "disallowedTools");
	int in_plugin = a->plugin != SIZE_MAX;
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
		if (S_listed_base(&caps->denied, t))
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
	/* mcpServers: servers of its own, all their tools (a plugin's agents cannot have them). */
	const struct akb_value *servers = akb_map_get(&a->fm.fields, "mcpServers");
	if (servers && !in_plugin) {
		struct akb_buf name = AKB_BUF_INIT;
		size_t n = servers->kind == AKB_LIST ? servers->u.list.len : servers->kind == AKB_MAP ? servers->u.map.len : 0;
		for (size_t i = 0; i < n; i++) {
			akb_buf_clear(&name);
			akb_buf_puts(&name, "mcp__");
			if (servers->kind == AKB_MAP)
				akb_buf_puts(&name, servers->u.map.items[i].key);
			else if (servers->u.list.items[i].kind == AKB_STRING)
				akb_buf_puts(&name, servers->u.list.items[i].u.str.ptr);
			else if (servers->u.list.items[i].kind == AKB_MAP && servers->u.list.items[i].u.map.len)
				akb_buf_puts(&name, servers->u.list.items[i].u.map.items[0].key);
			if (name.len > 5)
				S_add_mcp(caps, name.ptr);
		}
		akb_buf_release(&name);
	}
	if (caps->inherits_all) {
		/* Everything of the session, less what is denied. */
		caps->shell = !S_listed(&caps->denied, "Bash");
		caps->writes = !S_listed(&caps->denied, "Write") || !S_listed(&caps->denied, "Edit");
		caps->web = !S_listed(&caps->denied, "WebFetch") || !S_listed(&caps->denied, "WebSearch");
		caps->may_delegate = !S_listed(&caps->denied, "Agent") && !S_listed(&caps->denied, "Task");
	}
	const char *mode = akb_agent_field(a, "permissionMode");
	caps->bypass = !in_plugin && mode && !strcmp(mode, "bypassPermissions");
}

/* A skill or slash command: the session's tools; `allowed-tools` are used without asking. */
static void S_in_session(const struct akb_agent *a, struct akb_capabilities *caps)
{
	caps->in_session = caps->inherits_all = 1;
	caps->shell = caps->writes = caps->web = caps->may_delegate = 1;
	const struct akb_value *pre = akb_map_get(&a->fm.fields, "allowed-tools");
	if (pre)
		akb_tool_list(pre, &caps->preapproved);
}

/*
 * Tools of the other harnesses, by what their names do: Copilot's
 * ("execute", "edit/editFiles", "web/fetch", "runCommands", "agent", a
 * "server/..." MCP server) and Gemini CLI's ("run_shell_command",
 * "write_file", "replace", "web_fetch").
 */
static const char *const S_shell_names[] = { "execute", "runCommands", "runInTerminal", "terminalCommand", "runTasks",
					     "runTests", "shell", "bash", "powershell", "run_shell_command", NULL };
static const char *const S_write_names[] = { "edit", "editFiles", "new", "createFile", "write", "editNotebook",
					     "write_file", "replace", NULL };
static const char *const S_web_names[] = { "web", "fetch", "websearch", "githubRepo", "web_fetch",
					   "google_web_search", NULL };
static const char *const S_agent_names[] = { "agent", "runSubagent", "custom-agent", "task", NULL };
/* Copilot's own tool sets ("edit/editFiles"): any other "x/..." is MCP server x. */
static const char *const S_tool_sets[] = { "edit", "web", "execute", "read", "search", "agent", "todo", "vscode",
					   "shell", "runCommands", "runTasks", "runNotebooks", "github", NULL };

static int S_named(const char *const *names, const char *s, size_t n)
{
	for (const char *const *p = names; *p; p++)
		if (strlen(*p) == n && !strncasecmp(*p, s, n))
			return 1;
	return 0;
}

static void S_other_tools(const struct akb_agent *a, struct akb_capabilities *caps)
{
	const struct akb_value *given = akb_map_get(&a->fm.fields, "tools");
	caps->inherits_all = !given || given->kind == AKB_NULL;
	if (caps->inherits_all) {
		caps->shell = caps->writes = caps->web = caps->may_delegate = 1;
		return;
	}
	akb_tool_list(given, &caps->tools);
	for (size_t i = 0; i < caps->tools.u.list.len; i++) {
		const char *t = caps->tools.u.list.items[i].u.str.ptr, *slash = strchr(t, '/');
		const char *leaf = slash ? slash + 1 : t;
		size_t set = slash ? (size_t)(slash - t) : 0;
		if (slash && !S_named(S_tool_sets, t, set)) {
			/* "github-mcp/<star>", "playwright/browser_click": an MCP server's tools. */
			struct akb_buf name = AKB_BUF_INIT;
			akb_buf_printf(&name, "mcp__%.*s%s%s", (int)set, t, strcmp(leaf, "*") ? "__" : "", strcmp(leaf, "*") ? leaf : "");
			S_add_mcp(caps, name.ptr);
			akb_buf_release(&name);
			continue;
		}
		/* A whole set ("edit/<star>", "execute") counts as its name; a member by its own. */
		const char *what = !slash || !strcmp(leaf, "*") ? t : leaf;
		size_t n = !slash || !strcmp(leaf, "*") ? (slash ? set : strlen(t)) : strlen(leaf);
		if (S_named(S_shell_names, what, n))
			caps->shell = 1;
		if (S_named(S_write_names, what, n))
			caps->writes = 1;
		if (S_named(S_web_names, what, n))
			caps->web = 1;
		if (S_named(S_agent_names, what, n))
			caps->may_delegate = 1;
	}
}

/* Cursor's sub-agents: everything, unless `readonly: true`. */
static void S_cursor_agent(const struct akb_agent *a, struct akb_capabilities *caps)
{
	const struct akb_value *ro = akb_map_get(&a->fm.fields, "readonly");
	if (ro && ro->kind == AKB_BOOL && ro->u.boolean)
		return;
	caps->inherits_all = caps->shell = caps->writes = caps->web = caps->may_delegate = 1;
}

/* Codex: what its sandbox lets commands do; none given, the session's. */
static void S_codex_agent(const struct akb_agent *a, struct akb_capabilities *caps)
{
	const char *mode = akb_agent_field(a, "sandbox_mode");
	caps->sandboxed = 1;
	if (!mode) {
		caps->inherits_all = caps->shell = caps->writes = caps->web = caps->may_delegate = 1;
	} else if (!strcmp(mode, "workspace-write")) {
		caps->shell = caps->writes = 1;
	} else if (!strcmp(mode, "danger-full-access")) {
		caps->shell = caps->writes = caps->web = caps->bypass = 1;
		caps->sandboxed = 0;
	}
	/* read-only: commands run, but can change nothing. */
}

/* Is opencode's permission `v` (a string, or a map of patterns) a plain deny? */
static int S_denied(const struct akb_value *v)
{
	if (!v)
		return 0;
	if (v->kind == AKB_BOOL)
		return !v->u.boolean;
	return v->kind == AKB_STRING && !strcmp(v->u.str.ptr, "deny");
}

/*
 * opencode: everything, less what it denies: `permissions` (a list of
 * {action, resource, effect}), or the older `tools` (name: false) and
 * `permission` (name: deny) maps.
 */
static void S_opencode_agent(const struct akb_agent *a, struct akb_capabilities *caps)
{
	const struct akb_value *f = &a->fm.fields, *list = akb_map_get(f, "permissions");
	const struct akb_value *tools = akb_map_get(f, "tools"), *perm = akb_map_get(f, "permission");
	int shell = 1, writes = 1, web = 1, task = 1, given = 0;
	static const char *const shell_keys[] = { "bash", "shell", NULL }, *const write_keys[] = { "edit", "write", "patch", NULL };
	static const char *const web_keys[] = { "webfetch", "websearch", NULL }, *const task_keys[] = { "task", NULL };
	for (size_t i = 0; list && list->kind == AKB_LIST && i < list->u.list.len; i++) {
		const struct akb_value *rule = &list->u.list.items[i];
		const char *action = akb_map_get_cstr(rule, "action"), *effect = akb_map_get_cstr(rule, "effect");
		const char *resource = akb_map_get_cstr(rule, "resource");
		given = 1;
		if (!action || !effect || strcmp(effect, "deny") || (resource && strcmp(resource, "*")))
			continue;
		shell &= !S_named(shell_keys, action, strlen(action));
		writes &= !S_named(write_keys, action, strlen(action));
		web &= !S_named(web_keys, action, strlen(action));
		task &= !S_named(task_keys, action, strlen(action));
	}
	const struct akb_value *maps[] = { tools, perm };
	for (int m = 0; m < 2; m++) {
		const struct akb_value *map = maps[m];
		for (size_t i = 0; map && map->kind == AKB_MAP && i < map->u.map.len; i++) {
			const char *k = map->u.map.items[i].key;
			given = 1;
			if (!S_denied(&map->u.map.items[i].value))
				continue;
			shell &= !S_named(shell_keys, k, strlen(k));
			writes &= !S_named(write_keys, k, strlen(k));
			web &= !S_named(web_keys, k, strlen(k));
			task &= !S_named(task_keys, k, strlen(k));
		}
	}
	caps->shell = shell;
	caps->writes = writes;
	caps->web = web;
	caps->may_delegate = task;
	caps->inherits_all = !given || (shell && writes && web && task);
}

/* How each format says what its agents may do; NULL: instructions only, no tools. */
typedef void (*capability_fn)(const struct akb_agent *a, struct akb_capabilities *caps);
static const capability_fn S_by_format[AKB_FORMAT_COUNT] = {
	[AKB_FORMAT_SUBAGENT] = S_claude_agent,
	[AKB_FORMAT_SKILL] = S_in_session,
	[AKB_FORMAT_COMMAND] = S_in_session,
	[AKB_FORMAT_COPILOT_AGENT] = S_other_tools,
	[AKB_FORMAT_GEMINI_AGENT] = S_other_tools,
	[AKB_FORMAT_CURSOR_AGENT] = S_cursor_agent,
	[AKB_FORMAT_CODEX_AGENT] = S_codex_agent,
	[AKB_FORMAT_OPENCODE_AGENT] = S_opencode_agent,
};

/* The lists a capabilities struct owns, set up and released alike. */
#define S_LISTS(c) { &(c)->tools, &(c)->mcp, &(c)->agents, &(c)->denied, &(c)->preapproved }
#define S_NLISTS 5

void akb_capabilities_of(const struct akb_agent *a, struct akb_capabilities *caps)
{
	memset(caps, 0, sizeof(*caps));
	struct akb_value *lists[S_NLISTS] = S_LISTS(caps);
	for (size_t i = 0; i < S_NLISTS; i++)
		akb_value_set_list(lists[i]);
	capability_fn of = (unsigned)a->format < AKB_FORMAT_COUNT ? S_by_format[a->format] : NULL;
	if (!of) {
		caps->no_tools = 1;
		return;
	}
	of(a, caps);
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
	struct akb_value *lists[S_NLISTS] = S_LISTS(caps);
	for (size_t i = 0; i < S_NLISTS; i++)
		akb_value_release(lists[i]);
	memset(caps, 0, sizeof(*caps));
}
