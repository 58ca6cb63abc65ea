#!/bin/sh
# make valgrind: runs agentkb under valgrind's memcheck over the sample
# content/ (built, then rebuilt from its cache with nothing and with one
# file changed), the hooks fixtures with the example hooks, every collection in
# ../shared/corpora (and `agentkb check` and `check --links` on one). Any
# memory error fails the run, and so does a leak that is definitely or
# indirectly lost (memory still reachable at exit is allowed: process-wide
# tables such as the shared map keys are never freed on purpose).
# Prints "valgrind: N passed, N failed".
#   scripts/valgrind.sh BUILD
BUILD=${1:-build}
AKB="$PWD/$BUILD/agentkb"
SHARED=${AKB_SHARED:-$(cd .. && pwd)/shared}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed (apt-get install valgrind)" >&2; echo "valgrind: 0 passed, 1 failed"; exit 1; }

vg() { # vg WHAT ARGS...: agentkb ARGS under memcheck; passes when valgrind finds nothing
	what=$1; shift
	start=$(date +%s)
	valgrind -q --error-exitcode=99 --suppressions=scripts/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --num-callers=30 --log-file="$TMP/vg.log" "$AKB" "$@" >"$TMP/out" 2>&1
	rc=$?
	# agentkb's own exit status may be 1 (warnings as errors, broken links); only valgrind's 99 and crashes count.
	if [ $rc -ne 99 ] && [ $rc -lt 128 ] && [ ! -s "$TMP/vg.log" ]; then
		PASSED=$((PASSED + 1))
		echo "ok $what ($(($(date +%s) - start))s)"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL: $what (exit $rc)" >&2
		head -80 "$TMP/vg.log" >&2
		tail -5 "$TMP/out" >&2
	fi
}

vg "build content/" build content -o "$TMP/site" -q
vg "check --links content/'s site" check --links "$TMP/site"
# Rebuilds from the build cache: pages kept and files loaded from the page and load caches.
cp -R content "$TMP/content"
vg "build a copy of content/" build "$TMP/content" -o "$TMP/inc" -q
vg "rebuild content/, nothing changed (cached)" build "$TMP/content" -o "$TMP/inc" -q
printf '\nOne more line.\n' >>"$(find "$TMP/content" -name '*.md' | sort | sed -n 2p)"
vg "rebuild content/, one file edited" build "$TMP/content" -o "$TMP/inc" -q
H=tests/fixtures/hooks
vg "build with hooks" build $H/content -o "$TMP/hooks" -q --hook $H/filter.lua --hook $H/agent.lua \
	--hook $H/agent-inplace.lua --hook $H/site.lua --hook $H/page.lua --hook $H/api.lua
vg "build with a failing hook" build $H/content -o "$TMP/hook-err" -q --hook $H/err-runtime.lua
vg "bundle content/ as one file" bundle content -o "$TMP/site.html" -q
first=""
for dir in "$SHARED"/corpora/*/; do
	[ -d "$dir" ] || continue
	name=$(basename "$dir")
	vg "build corpora/$name" build "$dir" -o "$TMP/c-$name" -q
	[ -n "$first" ] || first=$name
done
if [ -n "$first" ]; then
	vg "check corpora/$first" check "$SHARED/corpora/$first"
	vg "check --links corpora/$first's site" check --links "$TMP/c-$first"
else
	FAILED=$((FAILED + 1))
	echo "FAIL: no collections in $SHARED/corpora" >&2
fi
echo "valgrind: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
