/*
 * frontmatter: splits an agent file into its YAML front-matter and its
 * markdown body, and parses the front-matter with libyaml.
 *
 * Real files break YAML (an unquoted ": " inside a description, continuation
 * lines that look like keys, blocks closed by a long dash line or indented
 * by spaces). Where strict YAML fails, the block is re-read line by line the
 * way a person reads it, with a warning at the file position of the problem;
 * no file is rejected for its front-matter alone.
 */
#ifndef AKB_FRONTMATTER_H
#define AKB_FRONTMATTER_H

#include <stddef.h>

#include "agentkb/diag.h"
#include "agentkb/value.h"

struct akb_frontmatter {
	struct akb_value fields; /* always a map (AKB_MAP); empty if no front-matter; each pair has its key's position */
	int present;             /* a front-matter block was found */
	int recovered;           /* strict YAML failed; fields come from the line-by-line reader */
	unsigned error_line;     /* with `recovered`: where strict YAML failed (1-based file position) */
	unsigned error_col;
	size_t body_offset;      /* byte offset of the markdown body in the text */
	unsigned body_line;      /* 1-based file line on which the body starts */
};

/*
 * Parses `text` (`len` bytes, already without a UTF-8 BOM and with CRLF
 * turned into LF by the loader; `text[len]` is NUL). Scalars follow YAML's
 * core schema: plain null/~ -> null, true/false -> bool, integers and floats
 * -> number, everything else (and every quoted or block scalar) -> string.
 * Warnings go to `diag` with `path` and file positions (1-based lines, and
 * columns counted in bytes as cmark-gfm's source positions are; `diag` may
 * be NULL for silence). A first line "---" that is never closed is no
 * front-matter: the whole file is the body, with a warning. Returns 0; -1 only
 * if `diag` is strict and a warning was promoted to an error (fields are
 * still filled in).
 */
/*
 * A front-matter block longer than `max_bytes` is not parsed: the file keeps
 * its body and gets a warning (a megabyte of YAML keys is an attack, not an
 * agent; see limits.front_matter_kb). akb_frontmatter_parse uses the default.
 */
#define AKB_FRONTMATTER_MAX_DEFAULT ((size_t)1024 * 1024)
int akb_frontmatter_parse_max(struct akb_frontmatter *fm, const char *path, const char *text, size_t len,
			      size_t max_bytes, struct akb_diag *diag);
int akb_frontmatter_parse(struct akb_frontmatter *fm, const char *path, const char *text,
			  size_t len, struct akb_diag *diag);
void akb_frontmatter_release(struct akb_frontmatter *fm);

/*
 * Keys the line-by-line reader accepts as new keys even if the file's strict
 * parse cannot confirm them: the common agent schema.
 */
extern const char *const akb_frontmatter_schema_keys[];

#endif
