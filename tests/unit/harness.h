/*
 * A tiny unit-test harness (after cmark's api_test/harness.h and Redis'
 * testhelp.h). Tests register themselves with TEST(); tests/unit/main.c runs
 * them all (or those whose name contains argv[1]) and ends with the plain
 * "N passed, N failed" line CI reads. Each CHECK counts as one assertion.
 */
#ifndef AKB_TEST_HARNESS_H
#define AKB_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef void (*akb_test_fn)(void);
void akb_test_register(const char *name, akb_test_fn fn, const char *file);
void akb_test_result(int ok, const char *file, int line, const char *expr, const char *got,
		     const char *expected);
/* Directory of the read-only shared material (../shared unless AKB_SHARED is set). */
const char *akb_test_shared_dir(void);
/* Writes `len` bytes of `data` to a new file at `path` (a failure is a failed check). */
void akb_test_put_file(const char *path, const char *data, size_t len);

#define TEST(fn)                                                                     \
	static void fn(void);                                                        \
	__attribute__((constructor)) static void fn##_register(void)                 \
	{                                                                            \
		akb_test_register(#fn, fn, __FILE__);                                \
	}                                                                            \
	static void fn(void)

#define CHECK(cond) akb_test_result(!!(cond), __FILE__, __LINE__, #cond, NULL, NULL)

#define STR_EQ(got, expected)                                                        \
	do {                                                                         \
		const char *got_ = (got), *exp_ = (expected);                        \
		int ok_ = (got_ && exp_) ? strcmp(got_, exp_) == 0 : got_ == exp_;   \
		akb_test_result(ok_, __FILE__, __LINE__, #got " == " #expected,      \
				got_ ? got_ : "(null)", exp_ ? exp_ : "(null)");     \
	} while (0)

#define INT_EQ(got, expected)                                                        \
	do {                                                                         \
		long long g_ = (long long)(got), e_ = (long long)(expected);         \
		char gs_[32], es_[32];                                               \
		snprintf(gs_, sizeof gs_, "%lld", g_);                               \
		snprintf(es_, sizeof es_, "%lld", e_);                               \
		akb_test_result(g_ == e_, __FILE__, __LINE__, #got " == " #expected, \
				gs_, es_);                                           \
	} while (0)

#endif
