/*
 * fuzz_frontmatter: an agent file through the loader (src/load.c): the
 * front-matter's strict YAML and, where that fails, the line-by-line
 * recovery (src/yaml/recover.c), the manifests of plugins, marketplaces and
 * Codex agents, and the same bytes as a config file (untyped, character
 * columns). A first byte below 8 picks the file's kind, so one target
 * reaches every loader; any other input is a sub-agent's .md.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/agent.h"
#include "agentkb/diag.h"
#include "agentkb/frontmatter.h"
#include "agentkb/load.h"
#include "agentkb/yaml.h"
#include "fuzz.h"

static const char *const S_rels[] = {
	"agents/x.md", "skills/x/SKILL.md", ".claude-plugin/plugin.json", "marketplace.json",
	".codex/agents/x.toml", "commands/x.md", "rules/x.mdc", "AGENTS.md",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rel = S_rels[0];
	if (size && data[0] < sizeof S_rels / sizeof *S_rels) {
		rel = S_rels[data[0]];
		data++;
		size--;
	}
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);

	struct akb_agent agent;
	akb_agent_load_text(&agent, rel, rel, (const char *)data, size, &diag);
	/* The parser itself, strict (warnings become errors), on the text as the loader normalized it. */
	struct akb_frontmatter fm;
	diag.strict = 1;
	akb_frontmatter_parse(&fm, "x.md", agent.text, agent.text_len, &diag);
	akb_frontmatter_release(&fm);
	akb_agent_release(&agent);

	char *text = fz_cstr((const char *)data, size);

	struct akb_yaml_opts opts = { "config", 0, 1, 1 };
	struct akb_value v = AKB_VALUE_NULL;
	struct akb_yaml_error err;
	akb_yaml_parse("agentkb.yaml", text, size, &opts, &v, &err, &diag);
	akb_value_release(&v);

	free(text);
	akb_diag_release(&diag);
	return 0;
}
