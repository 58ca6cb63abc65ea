#!/bin/sh
# The bundled sample knowledge base (content/, agentkb.yaml) as a new user
# gets it from `make site`: every agent, department and category reachable
# through working relative links, CJK content intact.
. tests/lib/common.sh
OUT="$TMP/public"
if "$AKB" build -o "$OUT" --report "$TMP/report.json" 2>"$TMP/err"; then ok; else fail "make site build failed"; cat "$TMP/err" >&2; fi
has "$TMP/err" "built 20 agents" "all sample agents built"
has "$TMP/err" " 0 warnings" "the sample content has no warnings"
for d in engineering data operations product; do
	check "department page $d" test -f "$OUT/departments/$d/index.html"
	has "$OUT/index.html" "href=\"departments/$d/index.html\"" "home links department $d"
done
n=$(ls "$OUT/categories" | grep -vc index.html)
check "at least 8 categories ($n)" [ "$n" -ge 8 ]
check "Chinese agent heading anchors" grep -q 'id="1-架构分析和设计"' "$OUT/agents/event-sourcing-architect/index.html"
check "display name with slash gets a safe slug" test -f "$OUT/agents/ci-cd-pipeline-engineer/index.html"
check "examples shown as a conversation" grep -q 'class="turn user"' "$OUT/agents/incident-commander/index.html"
check "no raw example tags on cards" sh -c "! grep -q '&lt;example&gt;' '$OUT/index.html'"
node tests/js/check-report.mjs "$TMP/report.json" content "$OUT" || FAILED=$((FAILED + 1))
node tests/js/check-links.mjs "$OUT" content || FAILED=$((FAILED + 1))
links_ok "$OUT"
finish site
