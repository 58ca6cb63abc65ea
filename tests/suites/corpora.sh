#!/bin/sh
# Runs the whole pipeline over every real collection in ../shared/corpora and
# checks the report against the files (tests/js/check-report.mjs).
. tests/lib/common.sh
if [ ! -d "$SHARED/corpora" ]; then
	fail "no corpora at $SHARED/corpora"
	finish corpora
	exit 1
fi
status=0
for dir in "$SHARED"/corpora/*/; do
	name=$(basename "$dir")
	if "$AKB" build "$dir" -o "$TMP/$name" --report "$TMP/$name.json" -q 2>"$TMP/$name.stderr"; then
		ok
	else
		fail "corpus $name: build failed"; tail -5 "$TMP/$name.stderr" >&2
		continue
	fi
	# Per-file checks print their own summary line, which run-tests.sh adds up.
	node tests/js/check-report.mjs "$TMP/$name.json" "${dir%/}" "$TMP/$name" || status=1
	node tests/js/check-links.mjs "$TMP/$name" "$name" || status=1
	links_ok "$TMP/$name"
done
finish corpora
[ $status -eq 0 ]
