#include "core/prefix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/strmap.h"
#include "agentkb/value.h"
#include "harness.h"

TEST(buf_appends_and_detaches)
{
	struct akb_buf b = AKB_BUF_INIT;
	STR_EQ(b.ptr, "");
	akb_buf_puts(&b, "hello");
	akb_buf_putc(&b, ' ');
	akb_buf_printf(&b, "%d-%s", 42, "x");
	STR_EQ(b.ptr, "hello 42-x");
	INT_EQ(b.len, 10);
	for (int i = 0; i < 1000; i++)
		akb_buf_puts(&b, "0123456789");
	INT_EQ(b.len, 10010);
	size_t len;
	char *s = akb_buf_detach(&b, &len);
	INT_EQ(len, 10010);
	STR_EQ(b.ptr, "");
	free(s);
}

/* Input files: a FIFO is refused without blocking, a file over the cap without being read. */
TEST(buf_reads_only_regular_files_up_to_a_cap)
{
	char dir[] = "/tmp/akb-read-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	struct akb_buf path = AKB_BUF_INIT, b = AKB_BUF_INIT;
	akb_buf_printf(&path, "%s/f.md", dir);
	akb_test_put_file(path.ptr, "0123456789", 10);
	INT_EQ(akb_buf_read_regular(&b, path.ptr, 10), 0);
	STR_EQ(b.ptr, "0123456789");
	akb_buf_clear(&b);
	INT_EQ(akb_buf_read_regular(&b, path.ptr, 9), AKB_READ_TOO_LARGE);
	INT_EQ(b.len, 0);
	akb_buf_clear(&b);
	CHECK(truncate(path.ptr, 0) == 0);
	INT_EQ(akb_buf_read_regular(&b, path.ptr, 9), 0);
	STR_EQ(b.ptr, "");
	unlink(path.ptr);
	CHECK(mkfifo(path.ptr, 0600) == 0);
	INT_EQ(akb_buf_read_regular(&b, path.ptr, 100), AKB_READ_NOT_REGULAR);
	unlink(path.ptr);
	INT_EQ(akb_buf_read_regular(&b, path.ptr, 100), -1);
	CHECK(errno == ENOENT);
	INT_EQ(akb_buf_read_regular(&b, dir, 100), AKB_READ_NOT_REGULAR);
	rmdir(dir);
	akb_buf_release(&path);
	akb_buf_release(&b);
}

TEST(buf_escapes_html)
{
	struct akb_buf b = AKB_BUF_INIT;
	akb_buf_put_html(&b, "<a href=\"x\">Tom & 'Jerry'</a>", 29);
	STR_EQ(b.ptr, "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
	akb_buf_release(&b);
}

TEST(value_map_keeps_order_and_replaces)
{
	struct akb_value m = AKB_VALUE_NULL;
	akb_value_set_map(&m);
	akb_map_set_cstr(&m, "name", "a");
	akb_map_set_number(&m, "priority", 2);
	akb_map_set_cstr(&m, "name", "b");
	INT_EQ(m.u.map.len, 2);
	STR_EQ(m.u.map.items[0].key, "name");
	STR_EQ(akb_map_get_cstr(&m, "name"), "b");
	CHECK(akb_map_remove(&m, "name"));
	CHECK(!akb_map_get(&m, "name"));
	struct akb_value copy;
	akb_value_copy(&copy, &m);
	akb_value_release(&m);
	CHECK(akb_map_get(&copy, "priority")->u.number == 2);
	akb_value_release(&copy);
}

TEST(value_numbers_print_shortest)
{
	struct akb_buf b = AKB_BUF_INIT;
	struct akb_value v;
	akb_value_set_number(&v, 1.21);
	akb_value_to_text(&v, &b);
	akb_buf_putc(&b, ' ');
	akb_value_set_number(&v, 85);
	akb_value_to_text(&v, &b);
	akb_buf_putc(&b, ' ');
	akb_value_set_number(&v, -0.5);
	akb_value_to_text(&v, &b);
	STR_EQ(b.ptr, "1.21 85 -0.5");
	akb_buf_release(&b);
}

TEST(value_shrink_keeps_everything)
{
	struct akb_value m = AKB_VALUE_NULL;
	akb_value_set_map(&m);
	char key[16];
	for (int i = 0; i < 9; i++) {
		snprintf(key, sizeof key, "k%d", i);
		akb_map_set_number(&m, key, i);
	}
	struct akb_value *list = akb_map_set_list(&m, "list");
	akb_value_set_cstr(akb_list_push(list), "one");
	struct akb_value *empty = akb_map_set_list(&m, "empty");
	akb_list_push(empty);
	empty->u.list.len = 0; /* grown, then emptied */
	akb_value_shrink(&m);
	INT_EQ(m.u.map.cap, 11);
	INT_EQ(m.u.map.len, 11);
	INT_EQ(akb_map_get(&m, "list")->u.list.cap, 1);
	STR_EQ(akb_map_get(&m, "list")->u.list.items[0].u.str.ptr, "one");
	INT_EQ(akb_map_get(&m, "empty")->u.list.len, 0);
	for (int i = 0; i < 9; i++) {
		snprintf(key, sizeof key, "k%d", i);
		CHECK(akb_map_get(&m, key) && akb_map_get(&m, key)->u.number == i);
	}
	akb_value_set_cstr(akb_list_push(akb_map_get(&m, "list")), "two"); /* still grows */
	INT_EQ(akb_map_get(&m, "list")->u.list.len, 2);
	akb_value_release(&m);
}

TEST(value_keys_shared)
{
	/* The table is in bytewise order, or the binary search misses keys. */
	for (size_t i = 1; akb_value_static_key(i); i++)
		CHECK(strcmp(akb_value_static_key(i - 1), akb_value_static_key(i)) < 0);
	struct akb_value a = AKB_VALUE_NULL, b = AKB_VALUE_NULL;
	akb_value_set_map(&a);
	akb_value_set_map(&b);
	akb_map_set_cstr(&a, "name", "x");
	akb_map_set_cstr(&b, "name", "y");
	akb_map_set_cstr(&a, "not-a-common-key", "z");
	akb_map_set_cstr(&b, "not-a-common-key", "z");
	CHECK(a.u.map.items[0].key == b.u.map.items[0].key); /* one "name" for every map */
	CHECK(a.u.map.items[1].key != b.u.map.items[1].key); /* others are each map's own */
	STR_EQ(a.u.map.items[1].key, "not-a-common-key");
	/* Every table key is found; prefixes and extensions of them are not table keys. */
	for (size_t i = 0; akb_value_static_key(i); i++) {
		const char *k = akb_value_static_key(i);
		char *got = akb_value_key(k, strlen(k));
		CHECK(got == k);
		akb_value_free_key(got);
		char *prefix = akb_value_key(k, strlen(k) - 1); /* shared or not, the right text */
		CHECK(strlen(prefix) == strlen(k) - 1 && !strncmp(prefix, k, strlen(k) - 1));
		akb_value_free_key(prefix);
	}
	char *n = akb_value_key("names", 4); /* a length inside a longer text */
	STR_EQ(n, "name");
	CHECK(n == a.u.map.items[0].key);
	akb_value_free_key(n);
	struct akb_value c = AKB_VALUE_NULL;
	akb_value_copy(&c, &a);
	CHECK(c.u.map.items[0].key == a.u.map.items[0].key);
	CHECK(akb_map_remove(&c, "name") == 1);
	CHECK(akb_map_remove(&c, "not-a-common-key") == 1);
	akb_value_release(&a);
	akb_value_release(&b);
	akb_value_release(&c);
}

/* The canonical form of a value (page keys): equal values alike, every difference seen. */
static int S_same_form(const struct akb_value *a, const struct akb_value *b)
{
	struct akb_buf x = AKB_BUF_INIT, y = AKB_BUF_INIT;
	akb_value_put_canonical(a, &x);
	akb_value_put_canonical(b, &y);
	int same = x.len == y.len && !memcmp(x.ptr, y.ptr, x.len);
	akb_buf_release(&x);
	akb_buf_release(&y);
	return same;
}

TEST(value_canonical_form_tells_values_apart)
{
	struct akb_value a = AKB_VALUE_NULL, b = AKB_VALUE_NULL;
	akb_value_set_map(&a);
	akb_map_set_cstr(&a, "name", "x");
	struct akb_value *l = akb_map_set_list(&a, "tools");
	akb_value_set_cstr(akb_list_push(l), "Read");
	akb_map_set_number(&a, "n", 1);
	akb_value_copy(&b, &a);
	b.line = 7; /* positions are not part of a value */
	CHECK(S_same_form(&a, &b));
	akb_map_set_cstr(&b, "n", "1"); /* a string is not a number */
	CHECK(!S_same_form(&a, &b));
	akb_map_set_number(&b, "n", 1);
	CHECK(S_same_form(&a, &b));
	akb_value_set_cstr(akb_list_push(akb_map_get(&b, "tools")), "");
	CHECK(!S_same_form(&a, &b)); /* one more item, even empty */
	akb_value_release(&b);
	akb_value_set_map(&b);
	akb_map_set_list(&b, "tools");
	akb_value_set_cstr(akb_list_push(akb_map_get(&b, "tools")), "Read");
	akb_map_set_cstr(&b, "name", "x");
	akb_map_set_number(&b, "n", 1);
	CHECK(!S_same_form(&a, &b)); /* keys in another order: templates may show them so */
	struct akb_value s1 = AKB_VALUE_NULL, s2 = AKB_VALUE_NULL;
	akb_value_set_string(&s1, "ab", 2);
	akb_value_set_list(&s2);
	akb_value_set_cstr(akb_list_push(&s2), "a");
	akb_value_set_cstr(akb_list_push(&s2), "b");
	CHECK(!S_same_form(&s1, &s2));
	struct akb_value t = AKB_VALUE_NULL, f = AKB_VALUE_NULL, nul = AKB_VALUE_NULL;
	akb_value_set_bool(&t, 1);
	akb_value_set_bool(&f, 0);
	CHECK(!S_same_form(&t, &f) && !S_same_form(&f, &nul));
	akb_value_release(&a);
	akb_value_release(&b);
	akb_value_release(&s1);
	akb_value_release(&s2);
}

TEST(strmap_put_hashed_reserve_and_byte_keys)
{
	struct akb_strmap m;
	akb_strmap_init_borrowed(&m);
	/* Reserved room: adding that many keys never moves the table. */
	akb_strmap_reserve(&m, 1000);
	size_t cap = m.cap;
	CHECK(cap >= 2000);
	static char keys[1000][8];
	for (size_t i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%zu", i);
		char transient[8];
		memcpy(transient, keys[i], sizeof transient);
		int added;
		size_t len = strlen(transient);
		struct akb_strmap_slot *s = akb_strmap_put_hashed(&m, transient, len, akb_hash_bytes(transient, len), &added);
		CHECK(added);
		s->key = keys[i]; /* borrowed: from the transient copy to the lasting one */
		s->value = i;
	}
	INT_EQ(m.cap, cap);
	INT_EQ(m.len, 1000);
	size_t v = 0;
	CHECK(akb_strmap_get(&m, "k512", &v) && v == 512);
	int added = 1;
	struct akb_strmap_slot *again = akb_strmap_put_hashed(&m, "k7", 2, akb_hash_bytes("k7", 2), &added);
	CHECK(!added && again->value == 7 && again->key == keys[7]);
	/* Reserving less than it holds changes nothing. */
	akb_strmap_reserve(&m, 10);
	INT_EQ(m.cap, cap);
	akb_strmap_release(&m);

	/* Keys are bytes: a NUL inside is part of the key. */
	struct akb_strmap owned;
	akb_strmap_init(&owned);
	akb_strmap_setn(&owned, "a\0b", 3, 1);
	akb_strmap_setn(&owned, "a\0c", 3, 2);
	CHECK(akb_strmap_getn(&owned, "a\0c", 3, &v) && v == 2);
	CHECK(!akb_strmap_getn(&owned, "a", 1, &v));
	akb_strmap_release(&owned);
}
