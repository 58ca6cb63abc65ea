#!/bin/sh
# agentkb check --links: the fixture site in tests/fixtures/check/site holds one of
# each problem (missing page, missing anchor, missing asset, a link leaving
# the site, a root-absolute link, a folder without index.html) beside links
# that must pass (percent-encoded CJK, entities, folders, #top, <a name>,
# query strings, external schemes). stderr must equal site.expected line for
# line, exit codes must follow the contract, and a real built site must be
# clean until one of its assets goes missing.
. tests/lib/common.sh

same() { # same EXPECTED_FILE ACTUAL_FILE DESCRIPTION
	if diff -u "$1" "$2" >&2; then ok; else fail "$3"; fi
}

# Every kind of problem, reported once each, in page and line order.
expect_rc 1 "broken fixture" "$AKB" check --links tests/fixtures/check/site
same tests/fixtures/check/site.expected "$TMP/err" "fixture messages"
check "nothing on stdout" [ ! -s "$TMP/out" ]
# OUT is shown as given; a trailing slash does not double.
expect_rc 1 "fixture with a trailing slash" "$AKB" check --links tests/fixtures/check/site/
same tests/fixtures/check/site.expected "$TMP/err" "fixture messages (OUT/)"
(cd tests/fixtures && "$AKB" check --links ./check/site 2>"$TMP/err.rel")
has "$TMP/err.rel" "^\./check/site/index.html:25: error: broken link 'missing.html' (no such file)$" "page path as the user gave OUT"

# A clean site: exit 0 and the summary line alone.
expect_rc 0 "clean fixture" "$AKB" check --links tests/fixtures/check/clean
printf 'checked 2 pages, 4 links: 0 broken\n' >"$TMP/clean.expected"
same "$TMP/clean.expected" "$TMP/err" "clean summary"

# Usage errors exit 2.
# Without --links, check lints agent files (tests/suites/lint.sh): a site folder holds none.
expect_rc 0 "check without --links lints" "$AKB" check tests/fixtures/check/clean
has "$TMP/err" "checked 0 agents: 0 findings" "no agent files in a site folder"
expect_rc 2 "check without OUT" "$AKB" check --links
has "$TMP/err" "needs the site folder" "missing OUT explained"
expect_rc 2 "two folders" "$AKB" check --links tests/fixtures/check/clean tests/fixtures/check/site
expect_rc 2 "unknown option" "$AKB" check --links --frobnicate tests/fixtures/check/clean
expect_rc 2 "missing folder" "$AKB" check --links "$TMP/nope"
has "$TMP/err" "nope: error: unable to read folder: No such file or directory" "missing folder message"
expect_rc 0 "help lists check" "$AKB" help
has "$TMP/out" "agentkb check --links OUT" "usage mentions check"

# A real site: clean as built; every page loses its stylesheet when it goes.
OUT="$TMP/public"
"$AKB" build content -o "$OUT" -q
expect_rc 0 "built sample site" "$AKB" check --links "$OUT"
pages=$(find "$OUT" -name '*.html' | wc -l)
has "$TMP/err" "^checked $pages pages, [0-9]* links: 0 broken$" "every page of the sample site checked"
rm "$OUT/assets/style.css" "$OUT/agents/incident-commander/incident-commander.md"
sed 's/id="1-架构分析和设计"/id="renamed"/' "$OUT/agents/event-sourcing-architect/index.html" >"$TMP/page" &&
	mv "$TMP/page" "$OUT/agents/event-sourcing-architect/index.html"
expect_rc 1 "site with a missing asset" "$AKB" check --links "$OUT"
n=$(grep -c "error: broken link '[./]*assets/style.css' (no such file)$" "$TMP/err")
check "missing stylesheet reported on each of the $pages pages ($n)" [ "$n" -eq "$pages" ]
has "$TMP/err" "^$OUT/agents/incident-commander/index.html:[0-9]*: error: broken link 'incident-commander.md' (no such file)$" "missing raw file"
has "$TMP/err" "^$OUT/agents/event-sourcing-architect/index.html:[0-9]*: error: broken anchor '#1-架构分析和设计'$" "renamed heading id"

finish check
