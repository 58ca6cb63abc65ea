#!/bin/sh
# Error-position tests: each tests/fixtures/errors/NAME.md is built alone as
# content/NAME.md; the diagnostics on stderr must equal NAME.expected line for
# line (path:line:col: severity: message). NAME.strict.expected, when present,
# is checked with --strict, which must also exit 1.
. tests/lib/common.sh
for src in tests/fixtures/errors/*.md; do
	name=$(basename "$src" .md)
	site="$TMP/$name"
	mkdir -p "$site/content"
	cp "$src" "$site/content/$name.md"
	(cd "$site" && "$AKB" build content -o out -q 2>stderr; echo $? >rc)
	grep -E '(warning|error): ' "$site/stderr" >"$site/diags" || true
	if diff -u "tests/fixtures/errors/$name.expected" "$site/diags" >&2; then ok; else fail "errors $name: diagnostics differ"; fi
	if [ "$(cat "$site/rc")" = 0 ]; then ok; else fail "errors $name: build should succeed with warnings"; fi
	links_ok "$site/out"
	if [ -s "tests/fixtures/errors/$name.expected" ]; then
		(cd "$site" && rm -rf out && "$AKB" build content -o out -q --strict 2>stderr.strict; echo $? >rc.strict)
		if [ "$(cat "$site/rc.strict")" = 1 ]; then ok; else fail "errors $name: --strict should exit 1"; fi
		if [ ! -e "$site/out" ]; then ok; else fail "errors $name: a failed build left an output folder"; fi
	fi
done
finish errors
