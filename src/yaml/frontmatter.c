/*
 * frontmatter: finds the front-matter block between its fences and reads it
 * as YAML (yaml.h); when strict YAML fails, re-reads it line by line.
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/diag.h"
#include "agentkb/frontmatter.h"
#include "agentkb/value.h"
#include "agentkb/yaml.h"
#include "yaml/yaml_int.h"

const char *const akb_frontmatter_schema_keys[] = {
	/* Claude Code's sub-agent fields */
	"name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
	"skills", "mcpServers", "hooks", "memory", "background", "isolation", "color",
	/* fields the collections add (see ../shared/corpora) */
	"category", "department", "priority", "emoji", "vibe", "tags", "domain", "version",
	"author", "triggers", "services",
	NULL,
};

/* ---- the block ---------------------------------------------------------- */

struct S_split {
	int found;          /* a closed block */
	int unclosed;       /* an opening fence without a closing one */
	unsigned open_col;  /* 1-based column of the opening fence */
	size_t block_start; /* the YAML between the fences, from the line after the opening one */
	size_t block_end;   /*   to the start of the closing fence's line */
	size_t body_offset;
	unsigned body_line;
};

static size_t S_indent_of(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t S_trimmed_end(const char *s, size_t len)
{
	while (len && yaml_is_blank(s[len - 1]))
		len--;
	return len;
}

/* A closing fence: "..." or three or more dashes (some files close with a long rule). */
static int S_is_closer(const char *s, size_t len)
{
	size_t i;
	if (len == 3 && memcmp(s, "...", 3) == 0)
		return 1;
	if (len < 3)
		return 0;
	for (i = 0; i < len && s[i] == '-'; i++)
		;
	return i == len;
}

/*
 * Finds the block: the first line is "---" (maybe indented, maybe with
 * trailing blanks or a stray '\r'), and the block ends at the first line
 * that is a closing fence and is not indented deeper than the opening fence
 * or the block's first line. The indentation rule lets a block scalar
 * contain an indented "---", and lets a wholly indented block close with an
 * indented fence.
 */
static void S_split(const char *text, size_t len, struct S_split *sp)
{
	const char *nl = memchr(text, '\n', len);
	size_t end = nl ? (size_t)(nl - text) : len;
	size_t open_indent = S_indent_of(text, end), limit, pos;
	int seen_content = 0;
	unsigned line = 2;

	memset(sp, 0, sizeof(*sp));
	sp->body_line = 1;
	end = S_trimmed_end(text, end);
	if (end < open_indent || end - open_indent != 3 || memcmp(text + open_indent, "---", 3) != 0)
		return;
	sp->open_col = (unsigned)open_indent + 1;
	if (!nl) {
		sp->unclosed = 1;
		return;
	}
	sp->block_start = pos = end = (size_t)(nl - text) + 1;
	limit = open_indent;
	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		size_t indent = S_indent_of(text + pos, end - pos);
		size_t tend = pos + S_trimmed_end(text + pos, end - pos);
		if (pos + indent < tend) {
			if (indent <= limit && S_is_closer(text + pos + indent, tend - pos - indent)) {
				sp->found = 1;
				sp->block_end = pos;
				sp->body_offset = nl ? end + 1 : len;
				sp->body_line = line + 1;
				return;
			}
			if (!seen_content && indent > limit)
				limit = indent;
			seen_content = 1;
		}
		pos = nl ? end + 1 : len;
		line++;
	}
	sp->unclosed = 1;
}

static void S_read_block(struct akb_frontmatter *fm, const char *path, struct akb_diag *diag,
			 const char *text, const struct S_split *sp)
{
	/* the opening fence is always line 1, so the block starts on line 2 */
	const struct akb_yaml_opts opts = { "front-matter", 1, 2, 0 };
	const char *block = text + sp->block_start;
	size_t len = sp->block_end - sp->block_start;
	struct akb_yaml_error err;
	struct akb_value root;

	if (akb_yaml_parse(path, block, len, &opts, &root, &err, diag) == 0) {
		if (root.kind == AKB_MAP) {
			akb_value_release(&fm->fields);
			fm->fields = root;
			return;
		}
		if ((root.kind != AKB_NULL || root.line) && diag) /* `~` alone is a document too */
			akb_warn(diag, path, root.line, root.col, "front-matter is %s, not 'key: value' lines; ignored",
				 root.kind == AKB_LIST ? "a list" : "plain text");
		akb_value_release(&root);
		return;
	}
	if (diag)
		akb_warn(diag, path, err.line, err.col, "front-matter is not valid YAML (%s); read it line by line",
			 err.problem);
	fm->recovered = 1;
	fm->error_line = err.line;
	fm->error_col = err.col;
	akb_yaml_recover(path, block, len, &opts, err.offset, akb_frontmatter_schema_keys, &fm->fields, diag);
}

int akb_frontmatter_parse(struct akb_frontmatter *fm, const char *path, const char *text,
			  size_t len, struct akb_diag *diag)
{
	return akb_frontmatter_parse_max(fm, path, text, len, AKB_FRONTMATTER_MAX_DEFAULT, diag);
}

int akb_frontmatter_parse_max(struct akb_frontmatter *fm, const char *path, const char *text, size_t len,
			      size_t max_bytes, struct akb_diag *diag)
{
	size_t errors = diag ? diag->errors : 0;
	struct S_split sp;

	memset(fm, 0, sizeof(*fm));
	akb_value_set_map(&fm->fields);
	fm->body_line = 1;
	S_split(text, len, &sp);
	if (sp.unclosed && diag)
		/* most likely a thematic break or a forgotten fence: the whole file stays the body */
		akb_warn(diag, path, 1, sp.open_col, "front-matter opened here is never closed");
	if (sp.found) {
		fm->present = 1;
		fm->body_offset = sp.body_offset;
		fm->body_line = sp.body_line;
		size_t block_len = sp.block_end - sp.block_start;
		if (block_len <= max_bytes)
			S_read_block(fm, path, diag, text, &sp);
		else if (diag)
			akb_warn(diag, path, 2, 1, "front-matter is %zu KB, over the limit of %zu KB "
				 "(limits.front_matter_kb in agentkb.yaml); ignored", (block_len + 1023) / 1024,
				 max_bytes / 1024);
	}
	return diag && diag->strict && diag->errors > errors ? -1 : 0;
}

void akb_frontmatter_release(struct akb_frontmatter *fm)
{
	akb_value_release(&fm->fields);
	memset(fm, 0, sizeof(*fm));
	akb_value_set_map(&fm->fields);
	fm->body_line = 1;
}
