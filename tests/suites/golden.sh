#!/bin/sh
# Golden tests: tests/fixtures/golden/NAME/content (+ optional agentkb.yaml) is built
# with the default theme and compared with tests/fixtures/golden/NAME/expected using
# diff -ru (theme assets excluded: they are not generated).
. tests/lib/common.sh
for case in tests/fixtures/golden/*/; do
	name=$(basename "$case")
	out="$TMP/$name"
	cfg=""
	[ -f "$case/agentkb.yaml" ] && cfg="--config $case/agentkb.yaml"
	# A fixed date: archives (a skill's .tar.gz) carry it in their entries.
	if ! SOURCE_DATE_EPOCH=1767225600 "$AKB" build "$case/content" -o "$out" $cfg -q 2>"$TMP/$name.stderr"; then
		fail "golden $name: build failed"; cat "$TMP/$name.stderr" >&2; continue
	fi
	links_ok "$out"
	rm -rf "$out/assets"
	if diff -ru "$case/expected" "$out" >"$TMP/$name.diff"; then
		ok
	else
		fail "golden $name: output differs from expected (make golden-update to review)"
		head -60 "$TMP/$name.diff" >&2
	fi
	# The expected stderr (warnings) is part of the contract too.
	if [ -f "$case/expected.stderr" ]; then
		sed "s|$case/content|content|g" "$TMP/$name.stderr" | diff -u "$case/expected.stderr" - >&2 && ok || fail "golden $name: stderr differs"
	fi
done
finish golden
