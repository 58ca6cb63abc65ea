#!/bin/sh
# Search: the engine and UI of themes/default/static/search.js under node's
# test runner (tests/search/*.test.mjs): decoding, tokenizer parity with
# `agentkb tokenize`, ranking, prefix, typos, CJK, facets, file loading, the
# real index of the sample site, 10,000-agent performance, and the UI in
# Debian's chromium (playwright-core). Files run one at a time so the timing
# budgets are not measured against a browser starting next door.
. tests/lib/common.sh
if [ ! -d node_modules/playwright-core ]; then
	fail "node_modules/playwright-core missing: run 'npm ci' (make deps does)"
	finish search
	exit 1
fi
AKB_BIN="$AKB" node --test --test-concurrency=1 --test-reporter=tap tests/search/ >"$TMP/tap" 2>&1
rc=$?
grep -E '^not ok|^# (pass|fail)|^# \\# ' "$TMP/tap" | sed 's/^# \\# /# /'
[ $rc -eq 0 ] || sed -n '/^not ok/,/^ok/p' "$TMP/tap" | head -80 >&2
PASSED=$(sed -n 's/^# pass //p' "$TMP/tap")
FAILED=$(sed -n 's/^# fail //p' "$TMP/tap")
[ -n "$PASSED" ] || { PASSED=0; FAILED=1; cat "$TMP/tap" >&2; }
[ $rc -eq 0 ] || [ "$FAILED" -gt 0 ] || FAILED=1
finish search
