#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentkb/buf.h"
#include "harness.h"

struct registered_test {
	const char *name;
	akb_test_fn fn;
	const char *file;
};

static struct registered_test *S_tests;
static size_t S_ntests, S_cap;
static int S_passed, S_failed;
static const char *S_current;

void akb_test_register(const char *name, akb_test_fn fn, const char *file)
{
	if (S_ntests == S_cap) {
		S_cap = S_cap ? S_cap * 2 : 64;
		S_tests = akb_xrealloc(S_tests, S_cap * sizeof(*S_tests));
	}
	S_tests[S_ntests++] = (struct registered_test){ name, fn, file };
}

void akb_test_result(int ok, const char *file, int line, const char *expr, const char *got,
		     const char *expected)
{
	if (ok) {
		S_passed++;
		return;
	}
	S_failed++;
	fprintf(stderr, "FAIL %s (%s:%d): %s\n", S_current, file, line, expr);
	if (got || expected)
		fprintf(stderr, "  got:      \"%s\"\n  expected: \"%s\"\n", got ? got : "(null)",
			expected ? expected : "(null)");
}

void akb_test_put_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(data, 1, len, f) == len);
		fclose(f);
	}
}

const char *akb_test_shared_dir(void)
{
	const char *s = getenv("AKB_SHARED");
	return s && *s ? s : "../shared";
}

static int S_by_file_then_name(const void *a, const void *b)
{
	const struct registered_test *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	qsort(S_tests, S_ntests, sizeof(*S_tests), S_by_file_then_name);
	for (size_t i = 0; i < S_ntests; i++) {
		if (filter && !strstr(S_tests[i].name, filter) && !strstr(S_tests[i].file, filter))
			continue;
		S_current = S_tests[i].name;
		int before = S_failed;
		S_tests[i].fn();
		if (getenv("AKB_TEST_VERBOSE"))
			fprintf(stderr, "%s %s\n", S_failed == before ? "ok  " : "FAIL", S_current);
	}
	free(S_tests);
	printf("unit: %d passed, %d failed\n", S_passed, S_failed);
	return S_failed ? 1 : 0;
}
