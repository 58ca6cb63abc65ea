/*
 * yaml: YAML text into an akb_value, with the file position of every key
 * and value. The config, theme.yaml and front-matter all read YAML through
 * here, so they agree on positions, scalars and limits; it is the only
 * module that sees libyaml.
 *
 * Positions are 1-based file lines and 1-based byte columns (as cmark-gfm
 * counts them; characters with `char_columns`). The text may be a slice of a file that starts on a line
 * boundary: `line` says which file line its first byte is on.
 */
#ifndef AKB_YAML_H
#define AKB_YAML_H

#include <stddef.h>

#include "agentkb/diag.h"
#include "agentkb/value.h"

struct akb_yaml_opts {
	const char *what; /* names the document in warnings: "front-matter", "config", "theme.yaml" */
	int typed;        /* 1: plain scalars typed by YAML 1.2's core schema (null, bool, numbers);
			     0: every scalar stays the text it was written as */
	unsigned line;    /* file line of the text's first byte */
	int char_columns; /* columns count characters (as agentkb.yaml's messages always have), not bytes */
};

struct akb_yaml_error {
	const char *problem; /* libyaml's static text */
	size_t offset;       /* byte offset in the text where YAML failed */
	unsigned line, col;  /* the same as a file position */
};

/*
 * Reads `text` (`len` bytes, NUL at text[len]) as one YAML document into
 * `out`: null for an empty document. Every value has its position, and each
 * map pair its key's. Keys that are not scalars are skipped and duplicate
 * keys merged (the last value wins, at the first one's place), each with a
 * warning; nesting and alias expansion are bounded, with a warning, so no
 * input can exhaust the stack or memory. Warnings go to `diag` under `path`
 * (NULL for silence). Returns 0; or -1 when the text is not YAML, with `err`
 * filled and `out` null.
 */
int akb_yaml_parse(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
		   struct akb_value *out, struct akb_yaml_error *err, struct akb_diag *diag);

/*
 * The same for a slice that should hold exactly one key, `key`, and its
 * value: returns 0 with that value (typed) in `out`, or -1 when the slice is
 * not YAML or holds anything else. `key_line`/`key_col` is where the key is,
 * for warnings about its value.
 */
int akb_yaml_parse_one_key(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
			   const char *key, size_t key_len, unsigned key_line, unsigned key_col,
			   struct akb_value *out, struct akb_diag *diag);

/*
 * The line-by-line reader, for a block strict YAML could not read (see
 * frontmatter.h): appends to the map `out` a pair for each line that starts
 * a key (a key of `schema_keys`, or any key before `err_offset`, where
 * strict YAML failed), every other line continuing the previous value.
 */
void akb_yaml_recover(const char *path, const char *text, size_t len, const struct akb_yaml_opts *opts,
		      size_t err_offset, const char *const *schema_keys, struct akb_value *out,
		      struct akb_diag *diag);

#endif
