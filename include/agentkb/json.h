/* json: writes values as JSON (for agents.json and the build report). */
#ifndef AKB_JSON_H
#define AKB_JSON_H

#include <stddef.h>

#include "agentkb/buf.h"
#include "agentkb/value.h"

/* Appends s[0..len) as a JSON string literal (with quotes; "</" escaped so it can sit in a <script>). */
void akb_json_string(struct akb_buf *out, const char *s, size_t len);
void akb_json_cstr(struct akb_buf *out, const char *s);
/* Appends `v` as JSON. `indent` < 0 writes it on one line; otherwise pretty-prints from that depth. */
void akb_json_value(struct akb_buf *out, const struct akb_value *v, int indent);

#endif
