/*
 * manifest: the files of the formats that are not markdown with
 * front-matter, read into the same fields: Claude Code plugin and
 * marketplace manifests (`.claude-plugin/plugin.json`, `marketplace.json`,
 * JSON read with jansson) and Codex agents (TOML under `.codex/agents/`: the
 * TOML Codex writes, tables of strings, numbers, booleans and arrays; the
 * instructions become the body).
 */
#ifndef AKB_MANIFEST_H
#define AKB_MANIFEST_H

#include <stddef.h>

#include "agentkb/diag.h"
#include "agentkb/value.h"

/*
 * Parses JSON `text` into `fields` (a map: objects become maps, arrays
 * lists). Returns 0, or -1 with an error at its line and column.
 */
int akb_manifest_json(const char *path, const char *text, size_t len, struct akb_value *fields, struct akb_diag *diag);

/*
 * Parses TOML `text` into `fields` (keys of [tables] as "table.key", each
 * pair with its key's line). Returns 0, or -1 with an error at its line
 * (what could be read is kept).
 */
int akb_manifest_toml(const char *path, const char *text, size_t len, struct akb_value *fields,
		      struct akb_diag *diag);

#endif
