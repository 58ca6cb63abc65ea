#!/bin/sh
# Runs every test suite and ends with one "N passed, N failed" line summing
# them all. Each suite prints its own "NAME: N passed, N failed" line.
# usage: scripts/run-tests.sh BUILD_DIR
BUILD=${1:-build}
export AKB_BIN="$PWD/$BUILD/agentkb"
export AKB_SHARED="${AKB_SHARED:-$(cd .. && pwd)/shared}"
log=$(mktemp)
trap 'rm -f "$log" "$log.one"' EXIT
status=0
run() {
	echo "== $*"
	"$@" >"$log.one" 2>&1
	rc=$?
	cat "$log.one"
	cat "$log.one" >>"$log"
	[ $rc -eq 0 ] || { status=1; echo "== $* exited with status $rc"; }
}
run "$BUILD/unit-tests"
for t in tests/suites/*.sh; do
	[ -f "$t" ] || continue
	run sh "$t" "$BUILD"
done
set +e
# A suite that died before printing its summary counts as one failure.
passed=$(sed -n 's/^\([a-z][a-z -]*: \)\{0,1\}\([0-9]\{1,\}\) passed, \([0-9]\{1,\}\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/^\([a-z][a-z -]*: \)\{0,1\}\([0-9]\{1,\}\) passed, \([0-9]\{1,\}\) failed.*/\3/p' "$log" | awk '{s+=$1} END {print s+0}')
if [ $status -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ $status -eq 0 ]
