#!/bin/sh
# Issue 3: agentkb's highlighter against the `highlight` program whose
# language definitions it runs, character by character, over every fenced
# code block in content/, tests/fixtures/highlight/samples/ and ../shared/corpora.
# Fails if a required language agrees on fewer than 98% of its characters
# (tests/tools/highlight-agreement.c prints the table).
# usage: sh tests/suites/highlight.sh BUILD_DIR
. tests/lib/common.sh
AGREE=$TOP/$BUILD/highlight-agreement
if ! command -v highlight >/dev/null 2>&1; then
	fail "the highlight program is not installed (sh scripts/install-deps.sh)"
	finish highlight
	exit 1
fi
dirs="$TOP/content $TOP/tests/fixtures/highlight/samples"
[ -d "$SHARED/corpora" ] && dirs="$dirs $SHARED/corpora"
# shellcheck disable=SC2086 # word-split on purpose: one directory per word
if "$AGREE" $dirs >"$TMP/table" 2>"$TMP/stderr"; then
	ok
	cat "$TMP/table"
else
	fail "a required language agrees with highlight on fewer than 98% of characters"
	cat "$TMP/table" "$TMP/stderr"
	# shellcheck disable=SC2086
	"$AGREE" -v $dirs 2>&1 | grep -v '^ *[a-z]* *[0-9]* *[0-9]* *[0-9.]*%' | head -60
fi
for lang in ts js python sql yaml sh json go rs docker java c ruby css html; do
	check "agreement table lists $lang" grep -q "^$lang " "$TMP/table"
done
# The benchmark helper runs (scripts/bench.sh calls it).
check "highlight-agreement --bench runs" "$AGREE" --bench --no-reference "$TOP/tests/fixtures/highlight/samples"
finish highlight
