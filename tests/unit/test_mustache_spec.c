/*
 * Runs the official Mustache spec (the YAML files in ../shared/spec/mustache)
 * against the template engine. Each spec test counts as one assertion. The
 * optional lambdas file needs functions in the data, written in the spec's
 * host languages (Lua is not among them) and not representable in template
 * data, so its tests are counted and reported as skipped, never as passes.
 */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/template.h"
#include "agentkb/value.h"
#include "agentkb/yaml.h"
#include "harness.h"

static const char *const S_files[] = {
	"comments.yml", "delimiters.yml", "interpolation.yml", "inverted.yml",
	"partials.yml", "sections.yml",   "~inheritance.yml",  "~dynamic-names.yml",
};

/* Loads a YAML file through agentkb's own reader (yaml.h); returns 0, or -1 (reported as a failed assertion). */
static int S_load(const char *path, struct akb_value *doc)
{
	struct akb_buf text = AKB_BUF_INIT;
	const struct akb_yaml_opts opts = { "spec", 1, 1, 0 };
	struct akb_yaml_error err;
	if (akb_buf_read_file(&text, path) != 0) {
		akb_buf_release(&text);
		akb_test_result(0, __FILE__, __LINE__, "mustache spec file is readable", path, "a readable file");
		return -1;
	}
	int rc = akb_yaml_parse(path, text.ptr, text.len, &opts, doc, &err, NULL);
	akb_buf_release(&text);
	if (rc != 0 || doc->kind != AKB_MAP) {
		akb_value_release(doc);
		akb_test_result(0, __FILE__, __LINE__, "mustache spec file parses", path, "valid YAML");
		return -1;
	}
	return 0;
}

static const char *S_scalar(const struct akb_value *map, const char *key, size_t *len)
{
	const struct akb_value *v = akb_map_get(map, key);
	if (!v || v->kind != AKB_STRING) {
		*len = 0;
		return NULL;
	}
	*len = v->u.str.len;
	return v->u.str.ptr;
}

/* Runs one spec test; returns 1 if it passed. */
static int S_run_one(const char *file, const struct akb_value *test)
{
	size_t name_len, tpl_len, exp_len;
	const char *name = S_scalar(test, "name", &name_len);
	const char *tpl = S_scalar(test, "template", &tpl_len);
	const char *expected = S_scalar(test, "expected", &exp_len);
	const struct akb_value *data = akb_map_get(test, "data");
	const struct akb_value *partials = akb_map_get(test, "partials");
	const struct akb_value none = AKB_VALUE_NULL;
	struct akb_buf label = AKB_BUF_INIT, got = AKB_BUF_INIT;
	struct akb_diag diag;

	akb_buf_printf(&label, "%s: %s", file, name ? name : "(unnamed)");
	if (!tpl || !expected) {
		akb_test_result(0, __FILE__, __LINE__, label.ptr, "(malformed test)", "template and expected");
		akb_buf_release(&label);
		return 0;
	}
	struct akb_tpl_set *set = akb_tpl_set_new(NULL, NULL);
	for (size_t i = 0; partials && partials->kind == AKB_MAP && i < partials->u.map.len; i++) {
		const struct akb_pair *p = &partials->u.map.items[i];
		if (p->value.kind == AKB_STRING)
			akb_tpl_set_add(set, p->key, p->value.u.str.ptr, p->value.u.str.len);
	}
	akb_diag_init(&diag, NULL);
	int rc = akb_tpl_render_string(set, tpl, tpl_len, data ? data : &none, &got, &diag);
	int ok = rc == 0 && got.len == exp_len && memcmp(got.ptr, expected, exp_len) == 0;
	if (rc != 0) {
		akb_buf_puts(&got, " [render failed:");
		for (size_t i = 0; i < diag.len; i++)
			akb_buf_printf(&got, " %s", diag.items[i].message);
		akb_buf_puts(&got, "]");
	}
	akb_test_result(ok, __FILE__, __LINE__, label.ptr, got.ptr, expected);

	akb_diag_release(&diag);
	akb_tpl_set_free(set);
	akb_buf_release(&got);
	akb_buf_release(&label);
	return ok;
}

static const struct akb_value *S_tests(const struct akb_value *doc)
{
	const struct akb_value *tests = akb_map_get(doc, "tests");
	return tests && tests->kind == AKB_LIST ? tests : NULL;
}

TEST(mustache_spec)
{
	struct akb_buf dir = AKB_BUF_INIT, path = AKB_BUF_INIT;
	int passed = 0, total = 0, lambdas = 0;
	struct akb_value doc;

	akb_buf_printf(&dir, "%s/spec/mustache", akb_test_shared_dir());
	for (size_t f = 0; f < sizeof(S_files) / sizeof(S_files[0]); f++) {
		akb_buf_clear(&path);
		akb_buf_printf(&path, "%s/%s", dir.ptr, S_files[f]);
		if (S_load(path.ptr, &doc) < 0) {
			total++;
			continue;
		}
		const struct akb_value *tests = S_tests(&doc);
		if (!tests) {
			akb_test_result(0, __FILE__, __LINE__, "mustache spec file has tests", path.ptr, "a tests list");
			total++;
		}
		for (size_t i = 0; tests && i < tests->u.list.len; i++) {
			total++;
			passed += S_run_one(S_files[f], &tests->u.list.items[i]);
		}
		akb_value_release(&doc);
	}

	/* Lambdas are only counted: they need code in the data (hooks, later). */
	akb_buf_clear(&path);
	akb_buf_printf(&path, "%s/~lambdas.yml", dir.ptr);
	if (S_load(path.ptr, &doc) == 0) {
		const struct akb_value *tests = S_tests(&doc);
		if (tests)
			lambdas = (int)tests->u.list.len;
		akb_value_release(&doc);
	}

	/* Worded so that run-tests.sh's "N passed, N failed" totals do not count it twice. */
	printf("mustache spec: passed %d of %d (lambdas: 0 of %d run; template data holds no functions)\n",
	       passed, total, lambdas);
	akb_buf_release(&dir);
	akb_buf_release(&path);
}
