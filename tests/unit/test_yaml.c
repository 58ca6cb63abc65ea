/*
 * Unit tests for the YAML reader (yaml.h) on its own: positions of keys and
 * values, typed and untyped scalars, byte and character columns, duplicate
 * keys, errors, one-key slices and the line-by-line reader.
 */
#include "core/prefix.h"

#include <string.h>

#include "agentkb/buf.h"
#include "agentkb/diag.h"
#include "agentkb/value.h"
#include "agentkb/yaml.h"
#include "harness.h"

static int S_parse(const char *text, int typed, int char_columns, struct akb_value *out, struct akb_yaml_error *err,
		   struct akb_diag *d)
{
	const struct akb_yaml_opts opts = { "test", typed, 1, char_columns };
	akb_diag_init(d, NULL);
	return akb_yaml_parse("t.yaml", text, strlen(text), &opts, out, err, d);
}

TEST(yaml_positions_of_keys_and_values)
{
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	INT_EQ(S_parse("title: T\nlist:\n  - a\n  - [b, c]\nmap: {k: 1}\n", 1, 0, &v, &err, &d), 0);
	INT_EQ(v.kind, AKB_MAP);
	INT_EQ(v.u.map.len, 3);
	const struct akb_pair *list = &v.u.map.items[1];
	INT_EQ(list->line, 2);
	INT_EQ(list->col, 1);
	INT_EQ(list->value.line, 3);
	INT_EQ(list->value.col, 3);
	INT_EQ(list->value.u.list.items[1].line, 4);
	INT_EQ(list->value.u.list.items[1].col, 5);
	INT_EQ(list->value.u.list.items[1].u.list.items[1].col, 9);
	const struct akb_value *k = akb_map_get(akb_map_get(&v, "map"), "k");
	INT_EQ(k->kind, AKB_NUMBER);
	INT_EQ(k->line, 5);
	INT_EQ(k->col, 10);
	INT_EQ(d.len, 0);
	akb_value_release(&v);
	akb_diag_release(&d);
}

TEST(yaml_untyped_keeps_the_written_text)
{
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	INT_EQ(S_parse("a: 1.10\nb: yes\nc: ~\nd:\n", 0, 0, &v, &err, &d), 0);
	STR_EQ(akb_map_get_cstr(&v, "a"), "1.10");
	STR_EQ(akb_map_get_cstr(&v, "b"), "yes");
	STR_EQ(akb_map_get_cstr(&v, "c"), "~");
	STR_EQ(akb_map_get_cstr(&v, "d"), "");
	akb_value_release(&v);
	akb_diag_release(&d);
	INT_EQ(S_parse("a: 1.10\nc: ~\n", 1, 0, &v, &err, &d), 0);
	INT_EQ(akb_map_get(&v, "a")->kind, AKB_NUMBER);
	INT_EQ(akb_map_get(&v, "c")->kind, AKB_NULL);
	akb_value_release(&v);
	akb_diag_release(&d);
}

TEST(yaml_columns_in_bytes_or_characters)
{
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	INT_EQ(S_parse("k: [工单, x]\n", 1, 0, &v, &err, &d), 0);
	INT_EQ(akb_map_get(&v, "k")->u.list.items[1].col, 13); /* k : space [ then 6 bytes of 工单, comma, space */
	akb_value_release(&v);
	akb_diag_release(&d);
	INT_EQ(S_parse("k: [工单, x]\n", 1, 1, &v, &err, &d), 0);
	INT_EQ(akb_map_get(&v, "k")->u.list.items[1].col, 9);
	akb_value_release(&v);
	akb_diag_release(&d);
}

TEST(yaml_duplicate_keys_merge_with_a_warning)
{
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	INT_EQ(S_parse("a: 1\nb: 2\na: 3\n", 1, 0, &v, &err, &d), 0);
	INT_EQ(v.u.map.len, 2);
	STR_EQ(v.u.map.items[0].key, "a");
	CHECK(v.u.map.items[0].value.u.number == 3);
	INT_EQ(v.u.map.items[0].line, 3);
	INT_EQ(d.len, 1);
	STR_EQ(d.items[0].message, "duplicate test key 'a' replaces the one on line 1");
	akb_value_release(&v);
	akb_diag_release(&d);
}

TEST(yaml_errors_have_positions_and_leave_null)
{
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	INT_EQ(S_parse("ok: 1\ntitle: [a\n", 1, 0, &v, &err, &d), -1);
	INT_EQ(v.kind, AKB_NULL);
	INT_EQ(err.line, 3);
	INT_EQ(err.col, 1);
	CHECK(err.problem != NULL);
	akb_diag_release(&d);
	/* an empty document is null, without a position */
	INT_EQ(S_parse("# nothing\n", 1, 0, &v, &err, &d), 0);
	INT_EQ(v.kind, AKB_NULL);
	INT_EQ(v.line, 0);
	akb_diag_release(&d);
}

TEST(yaml_alias_bomb_is_bounded)
{
	struct akb_buf text = AKB_BUF_INIT;
	struct akb_value v;
	struct akb_yaml_error err;
	struct akb_diag d;
	akb_buf_puts(&text, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'j'; c++)
		akb_buf_printf(&text, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c, c - 1, c - 1,
			       c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	INT_EQ(S_parse(text.ptr, 1, 0, &v, &err, &d), 0);
	INT_EQ(d.len, 1);
	STR_EQ(d.items[0].message, "test aliases expand too far; the rest is left empty");
	akb_value_release(&v);
	akb_diag_release(&d);
	akb_buf_release(&text);
}

TEST(yaml_one_key_slices)
{
	const struct akb_yaml_opts opts = { "test", 1, 7, 0 };
	struct akb_value v = AKB_VALUE_NULL;
	const char *slice = "tools: [Read, Grep]\n";
	INT_EQ(akb_yaml_parse_one_key("t", slice, strlen(slice), &opts, "tools", 5, 7, 1, &v, NULL), 0);
	INT_EQ(v.kind, AKB_LIST);
	INT_EQ(v.line, 7);
	INT_EQ(v.col, 8);
	akb_value_release(&v);
	slice = "tools: a\nother: b\n";
	INT_EQ(akb_yaml_parse_one_key("t", slice, strlen(slice), &opts, "tools", 5, 7, 1, &v, NULL), -1);
	slice = "name: x\n";
	INT_EQ(akb_yaml_parse_one_key("t", slice, strlen(slice), &opts, "tools", 5, 7, 1, &v, NULL), -1);
	akb_value_release(&v);
}

TEST(yaml_recover_reads_lines_as_a_person_does)
{
	static const char *const keys[] = { "name", "description", NULL };
	const struct akb_yaml_opts opts = { "test", 1, 2, 0 };
	const char *text = "name: x\ndescription: Use when: it breaks\n  Context: more\ntools: [a, b]\n";
	struct akb_value map = AKB_VALUE_NULL;
	akb_value_set_map(&map);
	/* strict YAML fails on line 2 (offset 26): "tools" lies after it, so it continues the description */
	akb_yaml_recover("t", text, strlen(text), &opts, 26, keys, &map, NULL);
	INT_EQ(map.u.map.len, 2);
	STR_EQ(akb_map_get_cstr(&map, "name"), "x");
	STR_EQ(akb_map_get_cstr(&map, "description"), "Use when: it breaks\n  Context: more\ntools: [a, b]");
	INT_EQ(map.u.map.items[1].line, 3);
	akb_value_release(&map);
}
