/*
 * load: stage 2, one input file into a struct akb_agent (see agent.h):
 * front-matter or manifest, body, format, and the fields every later stage
 * reads. Loading never rejects a file; problems become diagnostics.
 */
#include "core/prefix.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agentkb/agent.h"
#include "agentkb/load.h"
#include "agentkb/buf.h"
#include "agentkb/capability.h"
#include "agentkb/format.h"
#include "agentkb/mentions.h"
#include "agentkb/language.h"
#include "agentkb/manifest.h"
#include "agentkb/strmap.h"
#include "agentkb/utf8.h"

/* Keys whose value is one line of display text. */
static const char *const S_text_keys[] = { "name", "description", "model", "color", "category", "department",
					   NULL };

/*
 * Makes the text safe for every later stage: drops a UTF-8 BOM, turns CRLF
 * and lone CR into LF, replaces malformed UTF-8 with U+FFFD and removes C0
 * control characters (they are invisible and invalid in HTML). Line numbers
 * are unchanged; the first problem of each kind is reported with its
 * position in the original file.
 */
static void S_normalize(const char *path, const char *s, size_t n, struct akb_buf *out, struct akb_diag *diag)
{
	size_t i = 0;
	unsigned line = 1;
	size_t line_start = 0;
	int warned_control = 0, warned_utf8 = 0;
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	akb_buf_grow(out, n);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r') {
			akb_buf_putc(out, '\n');
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			line++;
			line_start = out->len;
			continue;
		}
		if (c == '\n') {
			akb_buf_putc(out, '\n');
			i++;
			line++;
			line_start = out->len;
			continue;
		}
		if (c < 0x20 && c != '\t') {
			if (!warned_control++)
				akb_warn(diag, path, line, (unsigned)(out->len - line_start + 1),
					 "control character U+%04X removed", c);
			i++;
			continue;
		}
		if (c < 0x80) {
			/* Copy the run of ordinary ASCII at once: most of every file. */
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80)
				j++;
			akb_buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		size_t start = i;
		uint32_t cp = akb_utf8_next(s, n, &i);
		if (cp == 0xFFFD && i - start == 1) {
			if (!warned_utf8++)
				akb_warn(diag, path, line, (unsigned)(out->len - line_start + 1),
					 "invalid UTF-8 byte 0x%02X replaced", c);
			akb_utf8_put(out, 0xFFFD);
		} else {
			akb_buf_put(out, s + start, i - start);
		}
	}
}

/* "Read, Write, Edit" or [Read, Write] -> list of trimmed, non-empty strings. */
static void S_normalize_tools(struct akb_agent *a, struct akb_diag *diag, size_t key_index)
{
	struct akb_value *v = &a->fm.fields.u.map.items[key_index].value;
	akb_value_set_list(&a->tools);
	if (v->kind == AKB_NULL)
		return;
	/* Commas inside a tool's patterns (Bash(git add:*, git commit:*)) do not split it. */
	if (akb_tool_list(v, &a->tools) != 0) {
		akb_warn(diag, a->path, a->fm.fields.u.map.items[key_index].line, a->fm.fields.u.map.items[key_index].col,
			 "'tools' should be a list or a comma-separated string; ignored");
		return;
	}
	akb_value_release(v);
	akb_value_copy(v, &a->tools);
}

/* Known one-line keys hold text: numbers and booleans become their text, lists their items joined. */
static void S_normalize_text_keys(struct akb_agent *a, struct akb_diag *diag)
{
	struct akb_value *map = &a->fm.fields;
	for (size_t i = 0; i < map->u.map.len; i++) {
		struct akb_pair *p = &map->u.map.items[i];
		int known = 0;
		for (const char *const *k = S_text_keys; *k; k++)
			known |= strcmp(*k, p->key) == 0;
		if (!known || p->value.kind == AKB_STRING || p->value.kind == AKB_NULL)
			continue;
		struct akb_buf text = AKB_BUF_INIT;
		if (p->value.kind == AKB_LIST) {
			for (size_t j = 0; j < p->value.u.list.len; j++) {
				if (j)
					akb_buf_puts(&text, ", ");
				akb_value_to_text(&p->value.u.list.items[j], &text);
			}
		} else if (p->value.kind == AKB_MAP) {
			akb_warn(diag, a->path, a->fm.fields.u.map.items[i].line, a->fm.fields.u.map.items[i].col,
				 "'%s' should be text, not a mapping; ignored", p->key);
		} else {
			akb_value_to_text(&p->value, &text);
		}
		akb_value_release(&p->value);
		size_t len;
		char *s = akb_buf_detach(&text, &len);
		akb_value_take_string(&p->value, s, len);
	}
	for (size_t i = 0; i < map->u.map.len; i++)
		if (strcmp(map->u.map.items[i].key, "tools") == 0)
			S_normalize_tools(a, diag, i);
}

static char *S_trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return akb_xstrndup(s, n);
}

/* Walks a markdown body line by line, knowing which lines are inside code fences. */
struct line_scan {
	const char *p, *end;
	int in_fence;
};

struct scanned_line {
	const char *text, *eol; /* from the first non-blank character to the end of the line */
	int fence;              /* an opening or closing fence line */
	int in_fence;           /* inside a fenced block (fence lines excluded) */
};

static int S_next_line(struct line_scan *sc, struct scanned_line *line)
{
	if (sc->p >= sc->end)
		return 0;
	const char *eol = memchr(sc->p, '\n', (size_t)(sc->end - sc->p));
	if (!eol)
		eol = sc->end;
	const char *q = sc->p;
	while (q < eol && (*q == ' ' || *q == '\t'))
		q++;
	line->text = q;
	line->eol = eol;
	line->fence = eol - q >= 3 && (strncmp(q, "```", 3) == 0 || strncmp(q, "~~~", 3) == 0);
	if (line->fence)
		sc->in_fence = !sc->in_fence;
	line->in_fence = sc->in_fence && !line->fence;
	sc->p = eol + 1;
	return 1;
}

/* The text of the first ATX heading (`# Title`) of the body, or NULL. */
static char *S_first_heading(const char *body, size_t len)
{
	struct line_scan sc = { body, body + len, 0 };
	struct scanned_line l;
	while (S_next_line(&sc, &l)) {
		if (l.fence || l.in_fence || l.text == l.eol || *l.text != '#')
			continue;
		const char *t = l.text;
		while (t < l.eol && *t == '#')
			t++;
		if (t - l.text > 6 || (t != l.eol && *t != ' ' && *t != '\t'))
			continue;
		const char *e = l.eol;
		while (e > t && (e[-1] == '#' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		char *h = S_trim_dup(t, (size_t)(e - t));
		if (*h)
			return h;
		free(h);
	}
	return NULL;
}

/*
 * The first paragraph of the body as plain text, for cards of agents that
 * have no description: headings, fences, tables, HTML and emphasis marks
 * are skipped.
 */
static char *S_first_paragraph(const char *body, size_t len)
{
	struct akb_buf out = AKB_BUF_INIT;
	struct line_scan sc = { body, body + len, 0 };
	struct scanned_line l;
	while (S_next_line(&sc, &l)) {
		const char *q = l.text;
		if (l.fence || l.in_fence || q == l.eol || strchr("#|<>", *q) ||
		    (l.eol - q >= 3 && strncmp(q, "---", 3) == 0)) {
			if (out.len)
				break;
			continue;
		}
		if (out.len)
			akb_buf_putc(&out, ' ');
		for (const char *c = q; c < l.eol; c++)
			if (*c != '*' && *c != '`' && *c != '_')
				akb_buf_putc(&out, *c);
	}
	return akb_buf_detach(&out, NULL);
}

/* Descriptions from plain YAML scalars keep "\n" as two characters; readers mean a line break. */
static char *S_unescape_description(const char *s)
{
	struct akb_buf out = AKB_BUF_INIT;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			akb_buf_putc(&out, '\n');
			s++;
		} else if (s[0] == '\\' && (s[1] == '"' || s[1] == '\\')) {
			akb_buf_putc(&out, s[1]);
			s++;
		} else {
			akb_buf_putc(&out, *s);
		}
	}
	return akb_buf_detach(&out, NULL);
}

static const char *S_find_ci(const char *hay, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; p + n <= end; p++)
		if (strncasecmp(p, needle, n) == 0)
			return p;
	return NULL;
}

/* Roles that start a new part of an example conversation. */
static const char *const S_roles[] = { "context:", "user:", "assistant:", "human:", "claude:", NULL };

/* Finds the next role marker at a word start; sets *role to its index. */
static const char *S_next_role(const char *p, const char *end, int *role)
{
	for (const char *q = p; q < end; q++) {
		if (q != p && !(q[-1] == ' ' || q[-1] == '\n' || q[-1] == '\t' || q[-1] == '>' ||
				 q[-1] == '.' || q[-1] == '"'))
			continue;
		for (int r = 0; S_roles[r]; r++) {
			size_t n = strlen(S_roles[r]);
			if (q + n <= end && strncasecmp(q, S_roles[r], n) == 0) {
				*role = r;
				return q;
			}
		}
	}
	return NULL;
}

static void S_put_clean(struct akb_buf *out, const char *b, const char *e)
{
	while (b < e && (*b == ' ' || *b == '\n' || *b == '\t'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t'))
		e--;
	/* user: "quoted speech" -> quoted speech */
	if (e - b >= 2 && *b == '"' && e[-1] == '"' && !memchr(b + 1, '"', (size_t)(e - b - 2)))
		b++, e--;
	akb_buf_put(out, b, (size_t)(e - b));
}

static void S_parse_example(const char *b, const char *e, struct akb_value *examples)
{
	struct akb_value *ex = akb_list_push(examples);
	akb_value_set_map(ex);
	struct akb_buf text = AKB_BUF_INIT;

	/* <commentary> may sit anywhere; take it out first. */
	struct akb_buf rest = AKB_BUF_INIT, commentary = AKB_BUF_INIT;
	const char *p = b;
	while (p < e) {
		const char *open = S_find_ci(p, e, "<commentary>");
		if (!open) {
			akb_buf_put(&rest, p, (size_t)(e - p));
			break;
		}
		akb_buf_put(&rest, p, (size_t)(open - p));
		const char *cb = open + strlen("<commentary>");
		const char *close = S_find_ci(cb, e, "</commentary>");
		const char *ce = close ? close : e;
		if (commentary.len)
			akb_buf_putc(&commentary, '\n');
		S_put_clean(&commentary, cb, ce);
		p = close ? close + strlen("</commentary>") : e;
	}

	struct akb_value *turns = akb_map_set_list(ex, "turns");
	const char *s = rest.ptr, *end = rest.ptr + rest.len;
	int role = -1;
	const char *at = S_next_role(s, end, &role);
	if (!at || at > s) {
		const char *lead_end = at ? at : end;
		S_put_clean(&text, s, lead_end);
		if (text.len)
			akb_map_set_string(ex, "context", text.ptr, text.len);
		akb_buf_clear(&text);
	}
	while (at) {
		int this_role = role;
		const char *body = at + strlen(S_roles[this_role]);
		const char *next = S_next_role(body, end, &role);
		const char *stop = next ? next : end;
		akb_buf_clear(&text);
		S_put_clean(&text, body, stop);
		if (this_role == 0) {
			akb_map_set_string(ex, "context", text.ptr, text.len);
		} else {
			struct akb_value *turn = akb_list_push(turns);
			int is_user = this_role == 1 || this_role == 3;
			akb_value_set_map(turn);
			akb_map_set_cstr(turn, "role", is_user ? "user" : "assistant");
			akb_map_set_string(turn, "text", text.ptr, text.len);
			akb_map_set_bool(turn, is_user ? "user" : "assistant", 1);
		}
		at = next;
	}
	if (commentary.len)
		akb_map_set_string(ex, "commentary", commentary.ptr, commentary.len);
	akb_buf_release(&text);
	akb_buf_release(&rest);
	akb_buf_release(&commentary);
}

void akb_description_split(const char *description, char **summary, struct akb_value *examples)
{
	akb_value_set_list(examples);
	const char *end = description + strlen(description);
	const char *first = S_find_ci(description, end, "<example>");
	const char *sum_end = first ? first : end;
	/* "... Examples:" / "Example usage:" introduce the blocks; they are not part of the summary. */
	while (sum_end > description && (sum_end[-1] == ' ' || sum_end[-1] == '\n' || sum_end[-1] == '\t'))
		sum_end--;
	if (first && sum_end > description && sum_end[-1] == ':') {
		/* Cut at the word "example" itself: it is ASCII, so the cut is a character boundary. */
		const char *from = sum_end - description > 40 ? sum_end - 40 : description, *hit = NULL, *q;
		while ((q = S_find_ci(from, sum_end, "example")) != NULL) {
			hit = q;
			from = q + 1;
		}
		if (hit)
			sum_end = hit;
	}
	struct akb_buf out = AKB_BUF_INIT;
	S_put_clean(&out, description, sum_end);

	const char *p = first;
	while (p) {
		const char *b = p + strlen("<example>");
		const char *close = S_find_ci(b, end, "</example>");
		const char *e = close ? close : end;
		S_parse_example(b, e, examples);
		if (!close)
			break;
		p = S_find_ci(close, end, "<example>");
		const char *between_end = p ? p : end;
		const char *tail = close + strlen("</example>");
		/* Prose after the examples still belongs to the description summary. */
		if (!p) {
			struct akb_buf t = AKB_BUF_INIT;
			S_put_clean(&t, tail, between_end);
			if (t.len) {
				if (out.len)
					akb_buf_putc(&out, ' ');
				akb_buf_put(&out, t.ptr, t.len);
			}
			akb_buf_release(&t);
		}
	}
	*summary = akb_buf_detach(&out, NULL);
}

static char *S_file_stem(const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	size_t n = strlen(base);
	/* "x.agent.md" (Copilot) is x; ".mdc" and ".toml" go too. */
	static const char *const exts[] = { ".agent.md", ".md", ".mdc", ".toml", ".json", NULL };
	for (const char *const *e = exts; *e; e++) {
		size_t m = strlen(*e);
		if (n > m && strcasecmp(base + n - m, *e) == 0) {
			n -= m;
			break;
		}
	}
	return akb_xstrndup(base, n);
}

static void S_derive_text(struct akb_agent *a, const char *body, size_t body_len);

/* The folder holding `rel`'s file ("plugins/p/skills/pdf" for ".../pdf/SKILL.md"), or "". */
static char *S_folder(const char *rel, int up)
{
	size_t n = strlen(rel);
	for (int i = 0; i <= up && n; i++) {
		while (n && rel[n - 1] != '/')
			n--;
		if (n && i < up)
			n--;
	}
	return akb_xstrndup(rel, n ? n - 1 : 0);
}

static char *S_last_segment(const char *dir)
{
	const char *s = strrchr(dir, '/');
	return akb_xstrdup(s ? s + 1 : dir);
}

/*
 * The name a format gives a file without a `name`: a skill its folder, a
 * slash command "/" and its file name (Claude Code's command name,
 * front-matter or not), Cursor rules and agents, Copilot and opencode agents
 * their file name, an AGENTS.md its path, a plugin or marketplace its
 * folder. NULL: no such rule (the name is required; a warning says which was used).
 */
static char *S_format_name(const struct akb_agent *a)
{
	char *dir, *name;
	struct akb_buf b = AKB_BUF_INIT;
	switch (a->format) {
	case AKB_FORMAT_SKILL:
		dir = S_folder(a->rel, 0);
		name = *dir ? S_last_segment(dir) : akb_xstrdup("skill");
		free(dir);
		return name;
	case AKB_FORMAT_COMMAND:
		name = S_file_stem(a->rel);
		akb_buf_printf(&b, "/%s", name);
		free(name);
		return akb_buf_detach(&b, NULL);
	case AKB_FORMAT_CURSOR_RULE:
	case AKB_FORMAT_COPILOT_AGENT:
	case AKB_FORMAT_CURSOR_AGENT:
	case AKB_FORMAT_OPENCODE_AGENT:
		return S_file_stem(a->rel);
	case AKB_FORMAT_AGENTS_MD:
		/* Its path tells one project's instructions from another's. */
		return akb_xstrdup(a->rel);
	case AKB_FORMAT_PLUGIN:
	case AKB_FORMAT_MARKETPLACE:
		dir = S_folder(a->rel, 1); /* above .claude-plugin/ */
		name = *dir ? S_last_segment(dir) : akb_xstrdup(a->format == AKB_FORMAT_PLUGIN ? "plugin" : "marketplace");
		free(dir);
		return name;
	default:
		return NULL;
	}
}

/* A manifest's text into fields (manifest.h); a Codex agent's instructions become its body. */
static void S_load_manifest(struct akb_agent *a, struct akb_diag *diag)
{
	struct akb_value *f = &a->fm.fields;
	if (a->format == AKB_FORMAT_CODEX_AGENT)
		akb_manifest_toml(a->path, a->text, a->text_len, f, diag);
	else
		akb_manifest_json(a->path, a->text, a->text_len, f, diag);
	if (f->kind != AKB_MAP)
		akb_value_set_map(f);
	a->fm.present = 1;
	/* JSON keys have no position of their own (jansson keeps none): the file's start. */
	for (size_t i = 0; i < f->u.map.len; i++)
		if (!f->u.map.items[i].line)
			f->u.map.items[i].line = f->u.map.items[i].col = 1;
	/* Codex calls them developer_instructions; older files say instructions or prompt. */
	static const char *const body_keys[] = { "developer_instructions", "instructions", "prompt", NULL };
	for (const char *const *k = body_keys; *k && a->format == AKB_FORMAT_CODEX_AGENT; k++) {
		const char *v = akb_map_get_cstr(f, *k);
		if (v) {
			a->body_text = akb_xstrdup(v);
			a->body = a->body_text;
			a->body_len = strlen(v);
			unsigned line, col;
			akb_agent_key_pos(a, *k, &line, &col);
			a->body_line = line + 1;
			break;
		}
	}
	if (!a->body) {
		a->body = a->text + a->text_len;
		a->body_len = 0;
		a->body_line = 1;
	}
}

/* Bytes of the body read to tell its language (a cut inside a character is harmless there). */
#define LANGUAGE_SAMPLE 8192

/* Normalizes the known keys and takes the name from them; returns 0 when they give none. */
static int S_apply_fields(struct akb_agent *a, struct akb_diag *diag)
{
	akb_value_release(&a->tools);
	S_normalize_text_keys(a, diag);
	if (a->tools.kind != AKB_LIST)
		akb_value_set_list(&a->tools);
	const char *name = akb_agent_field(a, "name");
	char *trimmed = name ? S_trim_dup(name, strlen(name)) : NULL;
	if (!trimmed || !*trimmed) {
		free(trimmed);
		return 0;
	}
	free(a->name);
	a->name = trimmed;
	a->name_source = AKB_NAME_FRONTMATTER;
	return 1;
}

static void S_note_hidden(struct akb_agent *a);

static void S_load_text(struct akb_agent *a, const char *path, const char *rel, const char *data, size_t len,
			size_t front_matter_max, struct akb_diag *diag)
{
	memset(a, 0, sizeof(*a));
	a->duplicate_of = SIZE_MAX;
	a->plugin = SIZE_MAX;
	a->path = akb_xstrdup(path);
	a->rel = akb_xstrdup(rel);
	struct akb_buf text = AKB_BUF_INIT;
	S_normalize(path, data, len, &text, diag);
	a->text = akb_buf_detach(&text, &a->text_len);
	a->raw_len = len;
	if (a->text_len != len || memcmp(a->text, data, len) != 0)
		a->raw = akb_xstrndup(data, len);

	a->format = akb_format_of(rel);
	if (a->format == AKB_FORMAT_PLUGIN || a->format == AKB_FORMAT_MARKETPLACE || a->format == AKB_FORMAT_CODEX_AGENT)
		S_load_manifest(a, diag);
	else
		akb_frontmatter_parse_max(&a->fm, path, a->text, a->text_len, front_matter_max, diag);
	if (!a->body) {
		a->body = a->text + a->fm.body_offset;
		a->body_len = a->text_len - a->fm.body_offset;
		a->body_line = a->fm.body_line;
	}
	if (!S_apply_fields(a, diag) || a->format == AKB_FORMAT_COMMAND) {
		free(a->name);
		a->name = S_format_name(a);
		if (a->name) {
			a->name_source = AKB_NAME_FILENAME;
		} else {
			a->name = S_first_heading(a->body, a->body_len);
			a->name_source = AKB_NAME_HEADING;
			if (!a->name) {
				a->name = S_file_stem(rel);
				a->name_source = AKB_NAME_FILENAME;
			}
			if (!a->fm.present)
				akb_warn(diag, path, 1, 1, "no front-matter; name '%s' taken from the %s", a->name,
					 a->name_source == AKB_NAME_HEADING ? "first heading" : "file name");
			else
				akb_warn(diag, path, 1, 1, "front-matter has no 'name'; using '%s' from the %s", a->name,
					 a->name_source == AKB_NAME_HEADING ? "first heading" : "file name");
		}
	}

	S_derive_text(a, a->body, a->body_len);
	a->body_off = a->body_text ? 0 : (size_t)(a->body - a->text);
	a->raw_digest = akb_digest(data, len);
	akb_agent_note_body(a);
	S_note_hidden(a);
	akb_value_shrink(&a->fm.fields); /* held for the whole build */
}

/* description (unescaped), its summary and examples; the summary falls back to the body's first paragraph. */
static void S_derive_text(struct akb_agent *a, const char *body, size_t body_len)
{
	free(a->description);
	free(a->summary);
	akb_value_release(&a->examples);
	const char *desc = akb_agent_field(a, "description");
	a->description = S_unescape_description(desc ? desc : "");
	akb_description_split(a->description, &a->summary, &a->examples);
	if (!*a->summary) {
		free(a->summary);
		a->summary = S_first_paragraph(body, body_len);
	}
	/* The language: the description and enough of the body's prose (code says nothing of it). */
	struct akb_buf sample = AKB_BUF_INIT;
	akb_buf_puts(&sample, a->description);
	akb_buf_putc(&sample, '\n');
	int fenced = 0;
	for (const char *p = body, *end = body + body_len; p < end && sample.len < LANGUAGE_SAMPLE;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *t = p;
		while (t < p + n && (*t == ' ' || *t == '\t'))
			t++;
		if ((size_t)(p + n - t) >= 3 && (!memcmp(t, "```", 3) || !memcmp(t, "~~~", 3)))
			fenced = !fenced;
		else if (!fenced)
			akb_buf_put(&sample, p, n);
		p += n;
	}
	a->language = akb_language_detect(sample.ptr, sample.len);
	akb_buf_release(&sample);
}

void akb_agent_refresh(struct akb_agent *a, struct akb_diag *diag)
{
	S_apply_fields(a, diag);
	struct akb_agent_text view;
	akb_agent_text_open(a, &view); /* a file changed meanwhile is reported when its page is made */
	S_derive_text(a, view.body, view.body_len);
	akb_agent_text_close(&view);
}

/* The mentions of a body, with the file position of each: the body starts on body_line, column 1. */
struct mention_scan {
	struct akb_agent *a;
	size_t at, cap;         /* bytes of the body counted so far */
	unsigned line, col;     /* the position of byte `at` */
};

static void S_note_mention(void *ctx, const char *name, size_t offset, int explicit_mention)
{
	struct mention_scan *m = ctx;
	for (; m->at < offset; m->at++) {
		if (m->a->body[m->at] == '\n') {
			m->line++;
			m->col = 1;
		} else {
			m->col++;
		}
	}
	struct akb_agent *a = m->a;
	a->mentions = akb_xgrow(a->mentions, a->nmentions, &m->cap, 8, sizeof(*a->mentions));
	a->mentions[a->nmentions++] = (struct akb_mention){ akb_xstrdup(name), m->line, m->col, explicit_mention };
}

void akb_agent_note_body(struct akb_agent *a)
{
	a->body_hash = akb_digest(a->body, a->body_len);
	a->body_tokens = akb_estimate_tokens(a->body, a->body_len);
	akb_agent_forget_mentions(a);
	struct mention_scan scan = { a, 0, 0, a->body_line, 1 };
	akb_mentions(a->body, a->body_len, S_note_mention, &scan);
}

/* The first bidirectional controls and zero-width characters of the text (lint AKB-AG015). */
static void S_note_hidden(struct akb_agent *a)
{
	unsigned line = 1, col = 1;
	const char *text = a->text;
	size_t text_len = a->text_len;
	a->nhidden = 0;
	for (size_t i = 0; i < text_len && a->nhidden < AKB_HIDDEN_MAX;) {
		if ((unsigned char)text[i] < 0x80) { /* most of any text, and never hidden */
			if (text[i++] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
			continue;
		}
		size_t at = i;
		uint32_t c = akb_utf8_next(text, text_len, &i);
		if (i == at)
			i++;
		const char *what = akb_utf8_hidden_name(c);
		/* Zero-width joiners join emoji: only count them between letters of no emoji. */
		if (what && c == 0x200D && at > 0 && (unsigned char)text[at - 1] >= 0xF0)
			what = NULL;
		if (what)
			a->hidden[a->nhidden++] = (struct akb_hidden_char){ line, col, c };
		col += (unsigned)(i - at);
	}
}

int akb_agent_text_open(const struct akb_agent *a, struct akb_agent_text *v)
{
	memset(v, 0, sizeof(*v));
	int rc = 0;
	if (!a->spilled) {
		v->text = a->text;
		v->text_len = a->text_len;
		v->raw = akb_agent_raw(a, &v->raw_len);
	} else {
		struct akb_buf data = AKB_BUF_INIT, text = AKB_BUF_INIT;
		/* A file grown past its loaded size has changed: no need to read it all. */
		if (akb_buf_read_regular(&data, a->path, a->raw_len) == 0 && data.len == a->raw_len &&
		    akb_digest(data.ptr, data.len) == a->raw_digest) {
			v->raw_len = data.len;
			v->owned_raw = akb_buf_detach(&data, NULL);
			v->raw = v->owned_raw;
			if (!a->raw_differs) {
				v->text = v->raw; /* the same bytes: most files */
				v->text_len = v->raw_len;
			} else {
				struct akb_diag quiet; /* its warnings were given when it was loaded */
				akb_diag_init(&quiet, NULL);
				S_normalize(a->path, v->raw, v->raw_len, &text, &quiet);
				akb_diag_release(&quiet);
				v->owned_text = akb_buf_detach(&text, &v->text_len);
				v->text = v->owned_text;
			}
		}
		akb_buf_release(&data);
		akb_buf_release(&text);
		if (!v->text) {
			v->text = v->raw = "";
			rc = -1;
		}
	}
	if (a->body_text) {
		v->body = a->body_text;
		v->body_len = a->body_len;
	} else if (rc == 0 && a->body_off + a->body_len <= v->text_len) {
		v->body = v->text + a->body_off;
		v->body_len = a->body_len;
	} else {
		v->body = "";
	}
	return rc;
}

void akb_agent_text_close(struct akb_agent_text *v)
{
	free(v->owned_text);
	free(v->owned_raw);
	memset(v, 0, sizeof(*v));
}

int akb_agent_same_body(const struct akb_agent *a, const struct akb_agent *b)
{
	if (a->body_len != b->body_len || a->body_hash != b->body_hash)
		return 0;
	struct akb_agent_text va, vb;
	int ra = akb_agent_text_open(a, &va), rb = akb_agent_text_open(b, &vb);
	int same = ra == 0 && rb == 0 && memcmp(va.body, vb.body, va.body_len) == 0;
	akb_agent_text_close(&va);
	akb_agent_text_close(&vb);
	return same;
}

void akb_agent_load_text(struct akb_agent *a, const char *path, const char *rel, const char *data, size_t len,
			 struct akb_diag *diag)
{
	S_load_text(a, path, rel, data, len, AKB_FRONTMATTER_MAX_DEFAULT, diag);
}

int akb_agent_load(struct akb_agent *a, const struct akb_input *in, const struct akb_load_limits *limits,
		   const char **skipped, struct akb_diag *diag)
{
	size_t file_max = limits ? limits->file_bytes : AKB_LOAD_FILE_MAX_DEFAULT;
	struct akb_buf data = AKB_BUF_INIT;
	int rc = akb_buf_read_regular(&data, in->path, file_max);
	if (rc != 0) {
		int err = errno;
		memset(a, 0, sizeof(*a));
		a->duplicate_of = SIZE_MAX;
		akb_buf_release(&data);
		if (rc == AKB_READ_TOO_LARGE) {
			*skipped = "too large";
			return akb_warn(diag, in->path, 0, 0, "larger than the limit of %zu MB for an input file "
					"(limits.file_mb in agentkb.yaml); skipped", file_max >> 20);
		}
		if (rc == AKB_READ_NOT_REGULAR) {
			*skipped = "not a regular file";
			return akb_warn(diag, in->path, 0, 0, "not a regular file; skipped");
		}
		*skipped = "unreadable";
		return akb_warn(diag, in->path, 0, 0, "unable to read: %s; skipped", strerror(err));
	}
	S_load_text(a, in->path, in->rel, data.ptr, data.len,
		    limits ? limits->front_matter_bytes : AKB_FRONTMATTER_MAX_DEFAULT, diag);
	akb_buf_release(&data);
	return 0;
}

/* Optional strings: a flag, then the string. */
static void S_put_opt(struct akb_buf *b, const char *s)
{
	akb_buf_putc(b, s != NULL);
	if (s)
		akb_buf_put_sized(b, s, strlen(s));
}

static int S_read_opt(const char **p, const char *end, char **s)
{
	*s = NULL;
	if (*p >= end)
		return -1;
	if (!*(*p)++)
		return 0;
	const char *t;
	size_t n;
	if (akb_read_sized(p, end, &t, &n) != 0 || memchr(t, '\0', n))
		return -1;
	*s = akb_xstrndup(t, n);
	return 0;
}

void akb_agent_encode(const struct akb_agent *a, struct akb_buf *out)
{
	const uint64_t numbers[] = { a->raw_len, a->text_len, a->body_len, a->body_line, a->body_off,
				     (uint64_t)a->name_source, (uint64_t)a->format, (uint64_t)a->raw_differs,
				     a->body_tokens, (uint64_t)a->fm.present, (uint64_t)a->fm.recovered,
				     a->fm.error_line, a->fm.error_col, a->fm.body_offset, a->fm.body_line };
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
		akb_buf_put_varint(out, numbers[i]);
	akb_buf_put_varint(out, a->raw_digest);
	akb_buf_put_varint(out, a->body_hash);
	S_put_opt(out, a->name);
	S_put_opt(out, a->description);
	S_put_opt(out, a->summary);
	S_put_opt(out, a->language);
	akb_buf_putc(out, a->body_text != NULL);
	if (a->body_text)
		akb_buf_put_sized(out, a->body_text, a->body_len);
	akb_value_encode(&a->fm.fields, out);
	akb_value_encode(&a->examples, out);
	akb_value_encode(&a->tools, out);
	akb_buf_put_varint(out, a->nmentions);
	for (size_t i = 0; i < a->nmentions; i++) {
		const struct akb_mention *m = &a->mentions[i];
		akb_buf_put_sized(out, m->name, strlen(m->name));
		akb_buf_put_varint(out, m->line);
		akb_buf_put_varint(out, m->col);
		akb_buf_putc(out, m->explicit_mention != 0);
	}
	akb_buf_put_varint(out, a->nhidden);
	for (size_t i = 0; i < a->nhidden; i++) {
		akb_buf_put_varint(out, a->hidden[i].line);
		akb_buf_put_varint(out, a->hidden[i].col);
		akb_buf_put_varint(out, a->hidden[i].cp);
	}
}

/* The mentions and hidden characters of an encoding (akb_agent_encode), into `a`. */
static int S_decode_found(struct akb_agent *a, const char **p, const char *end)
{
	uint64_t n, line, col, cp;
	size_t cap = 0;
	if (akb_read_varint(p, end, &n) != 0 || n > (uint64_t)(end - *p))
		return -1;
	for (uint64_t i = 0; i < n; i++) {
		const char *name;
		size_t len;
		if (akb_read_sized(p, end, &name, &len) != 0 || memchr(name, '\0', len) ||
		    akb_read_varint(p, end, &line) != 0 || akb_read_varint(p, end, &col) != 0 || line > UINT32_MAX ||
		    col > UINT32_MAX || *p >= end)
			return -1;
		a->mentions = akb_xgrow(a->mentions, a->nmentions, &cap, 8, sizeof(*a->mentions));
		a->mentions[a->nmentions++] =
			(struct akb_mention){ akb_xstrndup(name, len), (unsigned)line, (unsigned)col, *(*p)++ != 0 };
	}
	if (akb_read_varint(p, end, &n) != 0 || n > AKB_HIDDEN_MAX)
		return -1;
	for (a->nhidden = 0; a->nhidden < n; a->nhidden++) {
		if (akb_read_varint(p, end, &line) != 0 || akb_read_varint(p, end, &col) != 0 ||
		    akb_read_varint(p, end, &cp) != 0 || line > UINT32_MAX || col > UINT32_MAX || cp > 0x10FFFF)
			return -1;
		a->hidden[a->nhidden] = (struct akb_hidden_char){ (unsigned)line, (unsigned)col, (uint32_t)cp };
	}
	return 0;
}

int akb_agent_decode(struct akb_agent *a, const struct akb_input *in, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	memset(a, 0, sizeof(*a));
	a->duplicate_of = SIZE_MAX;
	a->plugin = SIZE_MAX;
	a->spilled = 1;
	a->path = akb_xstrdup(in->path);
	a->rel = akb_xstrdup(in->rel);
	uint64_t n[15], digest, hash;
	int ok = 1;
	for (size_t i = 0; ok && i < sizeof n / sizeof *n; i++)
		ok = akb_read_varint(&p, end, &n[i]) == 0;
	ok = ok && akb_read_varint(&p, end, &digest) == 0 && akb_read_varint(&p, end, &hash) == 0;
	char *language = NULL;
	ok = ok && S_read_opt(&p, end, &a->name) == 0 && S_read_opt(&p, end, &a->description) == 0 &&
	     S_read_opt(&p, end, &a->summary) == 0 && S_read_opt(&p, end, &language) == 0 && p < end;
	if (ok && language) {
		a->language = akb_language_named(language, strlen(language));
		ok = a->language != NULL;
	}
	free(language);
	size_t body_len = 0;
	if (ok && *p++) {
		const char *body;
		ok = akb_read_sized(&p, end, &body, &body_len) == 0;
		if (ok)
			a->body_text = akb_xstrndup(body, body_len);
	}
	/* The body is the replaced one, or lies inside the text. */
	ok = ok && (a->body_text ? n[2] == body_len : n[4] <= n[1] && n[2] <= n[1] - n[4]) && n[1] <= SIZE_MAX &&
	     n[0] <= SIZE_MAX && n[3] <= UINT32_MAX && n[5] <= AKB_NAME_FILENAME && n[6] < AKB_FORMAT_COUNT &&
	     n[11] <= UINT32_MAX && n[12] <= UINT32_MAX && n[14] <= UINT32_MAX && a->name && a->description &&
	     a->summary;
	ok = ok && akb_value_decode(&p, end, &a->fm.fields, 128) == 0 && a->fm.fields.kind == AKB_MAP &&
	     akb_value_decode(&p, end, &a->examples, 128) == 0 && akb_value_decode(&p, end, &a->tools, 128) == 0 &&
	     S_decode_found(a, &p, end) == 0 && p == end;
	if (!ok) {
		akb_agent_release(a);
		return -1;
	}
	a->raw_len = (size_t)n[0];
	a->text_len = (size_t)n[1];
	a->body_len = (size_t)n[2];
	a->body_line = (unsigned)n[3];
	a->body_off = (size_t)n[4];
	a->name_source = (enum akb_name_source)n[5];
	a->format = (int)n[6];
	a->raw_differs = n[7] != 0;
	a->body_tokens = (size_t)n[8];
	a->fm.present = n[9] != 0;
	a->fm.recovered = n[10] != 0;
	a->fm.error_line = (unsigned)n[11];
	a->fm.error_col = (unsigned)n[12];
	a->fm.body_offset = (size_t)n[13];
	a->fm.body_line = (unsigned)n[14];
	a->raw_digest = digest;
	a->body_hash = hash;
	if (a->body_text)
		a->body = a->body_text;
	akb_value_shrink(&a->fm.fields);
	return 0;
}
