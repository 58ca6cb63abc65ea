/*
 * recover: the line-by-line reader, for a front-matter block strict YAML
 * could not read (yaml.h). Real files break YAML in a few common ways (an
 * unquoted ": " inside a description, continuation lines that look like
 * keys); this reads such a block the way a person reads it.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/yaml.h"
#include "yaml/yaml_int.h"

struct S_line {
	size_t start;  /* byte offset of the line in the slice */
	size_t end;    /* end of its text, trailing blanks and '\r' excluded */
	size_t next;   /* start of the next line */
	size_t indent; /* leading spaces and tabs */
};

static struct S_line *S_split_lines(const char *text, size_t len, size_t *count)
{
	size_t n = 0, cap = 16, pos = 0;
	struct S_line *lines = akb_xmalloc(akb_xmul(cap, sizeof(*lines)));
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct S_line *l;
		if (n == cap) {
			cap *= 2;
			lines = akb_xrealloc(lines, akb_xmul(cap, sizeof(*lines)));
		}
		l = &lines[n++];
		l->start = pos;
		l->next = nl ? end + 1 : len;
		while (end > pos && yaml_is_blank(text[end - 1]))
			end--;
		l->end = end;
		for (l->indent = 0; pos + l->indent < end && yaml_is_blank(text[pos + l->indent]); l->indent++)
			;
		pos = l->next;
	}
	*count = n;
	return lines;
}

/* Length of the `key` in "key:" + blank or end of line at `s`, or 0. */
static size_t S_key_length(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		int c = (unsigned char)s[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!(alpha || (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.'))))
			break;
		i++;
	}
	if (i == 0 || i == len || s[i] != ':')
		return 0;
	if (i + 1 < len && s[i + 1] != ' ' && s[i + 1] != '\t')
		return 0;
	return i;
}

/*
 * A value strict YAML could not read, as a person reads it: the rest of the
 * key's line, then its continuation lines like a literal block (joined with
 * newlines, common indentation and trailing blank lines removed; comment
 * lines at key level left out). Matching quotes around the whole text are
 * dropped when no other quote of that kind is inside.
 */
static void S_raw_value(struct akb_value *out, const char *text, const struct S_line *lines,
			size_t first, size_t stop, size_t base, size_t value_start)
{
	struct akb_buf b = AKB_BUF_INIT;
	size_t i, last = first, common = (size_t)-1, blank_lines = 0;
	const struct S_line *kl = &lines[first];

	while (value_start < kl->end && yaml_is_blank(text[value_start]))
		value_start++;
	akb_buf_put(&b, text + value_start, kl->end - value_start);
	for (i = first + 1; i < stop; i++) {
		const struct S_line *l = &lines[i];
		if (l->start + l->indent == l->end)
			continue;
		if (l->indent <= base && text[l->start + l->indent] == '#')
			continue;
		last = i;
		if (l->indent < common)
			common = l->indent;
	}
	for (i = first + 1; i <= last && last > first; i++) {
		const struct S_line *l = &lines[i];
		if (l->start + l->indent == l->end) {
			/* kept inside the text, dropped before its first line */
			blank_lines += b.len > 0;
			continue;
		}
		if (l->indent <= base && text[l->start + l->indent] == '#')
			continue;
		if (b.len)
			for (size_t k = 0; k <= blank_lines; k++)
				akb_buf_putc(&b, '\n');
		blank_lines = 0;
		akb_buf_put(&b, text + l->start + common, l->end - l->start - common);
	}
	if (b.len >= 2 && (b.ptr[0] == '"' || b.ptr[0] == '\'') && b.ptr[b.len - 1] == b.ptr[0] &&
	    !memchr(b.ptr + 1, b.ptr[0], b.len - 2)) {
		akb_value_set_string(out, b.ptr + 1, b.len - 2);
		akb_buf_release(&b);
		return;
	}
	size_t len;
	char *s = akb_buf_detach(&b, &len);
	akb_value_take_string(out, s, len);
}

/*
 * The line-by-line reader. A line starts a new key only when it is at the
 * block's key indentation, reads "key:" followed by a blank or the end of
 * the line, and the key is either one of the common agent schema keys or
 * lies before the point where libyaml failed (so YAML itself read it as a
 * key). Every other line continues the previous key's value: this is how
 * "Context: ..." and `user: "..."` lines inside a broken description stay
 * in it. Lines before the first key are dropped.
 */
void akb_yaml_recover(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
		      size_t err_offset, const char *const *schema_keys, struct akb_value *out,
		      struct akb_diag *diag)
{
	struct yaml_src src;
	size_t nlines, i, base = (size_t)-1, nkeys = 0;
	struct S_line *lines = S_split_lines(text, len, &nlines);
	size_t *keys = akb_xmalloc(akb_xmul(nlines ? nlines : 1, sizeof(*keys)));
	size_t *key_lens = akb_xmalloc(akb_xmul(nlines ? nlines : 1, sizeof(*key_lens)));

	yaml_src_init(&src, text, len, opts->line);
	src.char_columns = opts->char_columns;
	/* an indented block (every line indented) has its keys at the first line's indentation */
	for (i = 0; i < nlines && base == (size_t)-1; i++)
		if (lines[i].start + lines[i].indent < lines[i].end &&
		    text[lines[i].start + lines[i].indent] != '#')
			base = lines[i].indent;
	for (i = 0; i < nlines; i++) {
		const struct S_line *l = &lines[i];
		const char *s = text + l->start + l->indent;
		size_t klen;
		if (l->indent > base || l->start + l->indent == l->end)
			continue;
		klen = S_key_length(s, l->end - l->start - l->indent);
		if (!klen)
			continue;
		if (yaml_is_one_of(s, klen, schema_keys) || l->start + l->indent + klen < err_offset) {
			keys[nkeys] = i;
			key_lens[nkeys++] = klen;
		}
	}

	for (size_t k = 0; k < nkeys; k++) {
		const struct S_line *kl = &lines[keys[k]];
		size_t stop = k + 1 < nkeys ? keys[k + 1] : nlines;
		size_t slice_end = stop < nlines ? lines[stop].start : len;
		const char *key = text + kl->start + kl->indent;
		struct akb_yaml_opts one = *opts;
		unsigned line, col;
		struct akb_pair *p;

		yaml_src_where(&src, kl->start + kl->indent, &line, &col);
		p = yaml_map_push(out, akb_value_key(key, key_lens[k]), line, col);
		/* the key's lines on their own, so `tools: [a, b]`, quoted strings and lists still come out typed */
		one.line = line;
		if (akb_yaml_parse_one_key(path, text + kl->start, slice_end - kl->start, &one, key, key_lens[k], line,
					   col, &p->value, diag) < 0)
			S_raw_value(&p->value, text, lines, keys[k], stop, base,
				    kl->start + kl->indent + key_lens[k] + 1);
		if (!p->value.line) {
			p->value.line = line;
			p->value.col = col;
		}
	}
	yaml_map_dedupe(out, opts->what, path, diag);
	yaml_src_release(&src);
	free(keys);
	free(key_lens);
	free(lines);
}
