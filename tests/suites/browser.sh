#!/bin/sh
# Browser tests (tests/browser/*.test.mjs) under node's test runner, with
# Debian's chromium driven by playwright-core.
. tests/lib/common.sh
if [ ! -d node_modules/playwright-core ]; then
	fail "node_modules/playwright-core missing: run 'npm ci' (make deps does)"
	finish browser
	exit 1
fi
AKB_BIN="$AKB" node --test --test-reporter=tap tests/browser/ >"$TMP/tap" 2>&1
rc=$?
grep -E '^not ok|^# (pass|fail)' "$TMP/tap"
[ $rc -eq 0 ] || sed -n '/^not ok/,/^ok/p' "$TMP/tap" | head -60 >&2
PASSED=$(sed -n 's/^# pass //p' "$TMP/tap")
FAILED=$(sed -n 's/^# fail //p' "$TMP/tap")
[ -n "$PASSED" ] || { PASSED=0; FAILED=1; cat "$TMP/tap" >&2; }
[ $rc -eq 0 ] || [ "$FAILED" -gt 0 ] || FAILED=1
finish browser
