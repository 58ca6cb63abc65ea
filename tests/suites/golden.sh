#!/bin/sh
# Golden tests: each tests/fixtures/golden/NAME/content (+ optional
# agentkb.yaml) is built with the default theme and compared with
# tests/fixtures/golden/NAME/expected using diff -ru, and its stderr with
# expected.stderr. The theme's assets are never compared (they are not
# generated); `basic` and `formats` compare the rest of the site, the other
# cases (one per template, template-*, and one per taxonomy, taxonomy-*) only
# the paths their `covers` file lists (tests/lib/golden.sh).
. tests/lib/common.sh
. tests/lib/golden.sh
for case in "$GOLDEN"/*/; do
	case=${case%/}
	name=$(basename "$case")
	out="$TMP/$name"
	if ! golden_build "$case" "$out" "$TMP/$name.stderr"; then
		fail "golden $name: build failed"; cat "$TMP/$name.stderr" >&2; continue
	fi
	links_ok "$out"
	golden_cut "$case" "$out" || { fail "golden $name: covers"; continue; }
	if diff -ru "$case/expected" "$out" >"$TMP/$name.diff"; then
		ok
	else
		fail "golden $name: output differs from expected (make golden-update to review)"
		head -60 "$TMP/$name.diff" >&2
	fi
	# The expected stderr (warnings) is part of the contract too.
	if [ -f "$case/expected.stderr" ]; then
		diff -u "$case/expected.stderr" "$TMP/$name.stderr" >&2 && ok || fail "golden $name: stderr differs"
	fi
done
finish golden
