/*
 * fuzz_template: the Mustache engine (src/template): a template, its data
 * as YAML (after a FZ_SEP byte) and up to three more templates named "a",
 * "b" and "c" for partials, parents and dynamic names, compiled and
 * rendered as a build does.
 */
#include "core/prefix.h"

#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/template.h"
#include "agentkb/value.h"
#include "agentkb/yaml.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a", "b", "c" };
	struct fz_part parts[5];
	size_t n = fz_split(data, size, parts, 5);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);

	struct akb_value ctx = AKB_VALUE_NULL;
	if (n > 1) {
		char *yaml = fz_cstr(parts[1].p, parts[1].len);
		struct akb_yaml_opts opts = { "data", 1, 1, 0 };
		struct akb_yaml_error err;
		akb_yaml_parse("data.yaml", yaml, parts[1].len, &opts, &ctx, &err, NULL);
		free(yaml);
	}
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	for (size_t i = 2; i < n; i++)
		akb_tpl_set_add(set, names[i - 2], parts[i].p, parts[i].len);
	akb_tpl_set_add(set, "main", parts[0].p, parts[0].len);

	struct akb_buf out = AKB_BUF_INIT;
	if (akb_tpl_set_compile_all(set, &diag) == 0)
		akb_tpl_render(set, "main", &ctx, &out, &diag);
	akb_buf_clear(&out);
	/* Rendered as a string too: the path hooks' page templates take. */
	akb_tpl_render_string(set, parts[0].p, parts[0].len, &ctx, &out, &diag);

	akb_buf_release(&out);
	akb_tpl_set_free(set);
	akb_value_release(&ctx);
	akb_diag_release(&diag);
	return 0;
}
