/* Hook pieces testable without a site: the shortcut filters' glob matching. */
#include "harness.h"

#include "agentkb/hooks.h"

TEST(glob_exact_and_case)
{
	CHECK(akb_hooks_glob_match("engineering", "engineering"));
	CHECK(akb_hooks_glob_match("Engineering", "ENGINEERING"));
	CHECK(!akb_hooks_glob_match("engineering", "engineering-ops"));
	CHECK(!akb_hooks_glob_match("eng", "engineering"));
	CHECK(akb_hooks_glob_match("", ""));
	CHECK(!akb_hooks_glob_match("", "x"));
}

TEST(glob_wildcards)
{
	CHECK(akb_hooks_glob_match("eng*", "Engineering"));
	CHECK(akb_hooks_glob_match("*ops", "DevOps"));
	CHECK(akb_hooks_glob_match("*", ""));
	CHECK(akb_hooks_glob_match("d?ta", "data"));
	CHECK(!akb_hooks_glob_match("d?ta", "dta"));
	CHECK(akb_hooks_glob_match("*a*b*c*", "xxaxxbxxcxx"));
	CHECK(!akb_hooks_glob_match("*a*b*c*", "xxcxxbxxaxx"));
	CHECK(akb_hooks_glob_match("[dp]*", "product"));
	CHECK(!akb_hooks_glob_match("[!dp]*", "product"));
	CHECK(akb_hooks_glob_match("[a-f]ata", "Data"));
}

TEST(glob_utf8)
{
	/* ? is one character, not one byte; case folds beyond ASCII (same table as search). */
	CHECK(akb_hooks_glob_match("工程?", "工程部"));
	CHECK(akb_hooks_glob_match("*部", "工程部"));
	CHECK(!akb_hooks_glob_match("工?", "工程部"));
	CHECK(akb_hooks_glob_match("ÉQUIPE", "équipe"));
}
