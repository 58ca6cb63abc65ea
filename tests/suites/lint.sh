#!/bin/sh
# agentkb check [CONTENT]: the linter. tests/fixtures/lint/content holds a file per
# rule (and a clean one); its findings must equal tests/fixtures/lint/content.expected
# exactly, in text; JSON and SARIF say the same (SARIF checked against the
# 2.1.0 standard by tests/js/sarif-check.mjs). --rule, --ignore, --strict,
# --list-rules and the usage errors; exit codes. Every collection of
# ../shared/corpora: the counts per rule (tests/fixtures/lint/corpora.expected), some
# of them checked against what the corpora's README says of the files. A
# build puts the findings in its report and in each agent's "problems" box.
. tests/lib/common.sh
L=tests/fixtures/lint

# ---- the fixture, in text ----
(cd "$L" && "$AKB" check content >"$TMP/out" 2>"$TMP/err"); rc=$?
check "findings exit 1 when some is an error" [ "$rc" -eq 1 ]
if cmp -s "$TMP/out" "$L/content.expected"; then ok; else fail "text findings differ"; diff -u "$L/content.expected" "$TMP/out" >&2; fi
if cmp -s "$TMP/err" "$L/content.stderr.expected"; then ok; else fail "summary line differs"; diff -u "$L/content.stderr.expected" "$TMP/err" >&2; fi
# Every rule has its file in the fixture, and the clean agent has nothing.
for id in $("$AKB" check --list-rules | cut -d' ' -f1); do
	has "$L/content.expected" "\[$id\]" "rule $id has a finding in the fixture"
done
grep 'team/clean-agent.md' "$L/content.expected" | grep -v '\[AKB-AG014\]$' >"$TMP/clean-lines"
check "the clean agent has no finding but its namesake's" [ ! -s "$TMP/clean-lines" ]

# ---- filters, strictness, usage ----
(cd "$L" && "$AKB" check content --rule AKB-AG007 --rule akb-ag008 >"$TMP/out" 2>/dev/null)
expect "--rule keeps those rules" "$(sed 's/.*\[\(AKB-AG[0-9]*\)\]$/\1/' "$TMP/out" | sort -u | tr '\n' ' ')" "AKB-AG007 AKB-AG008 "
(cd "$L" && "$AKB" check content --ignore AKB-AG014 --ignore AKB-AG015 >"$TMP/out" 2>/dev/null)
hasnt "$TMP/out" "AKB-AG01[45]" "--ignore leaves them out"
mkdir -p "$TMP/clean" && cp "$L/content/team/clean-agent.md" "$TMP/clean/"
expect_rc 0 "a clean folder" "$AKB" check "$TMP/clean"
has "$TMP/err" "checked 1 agents: 0 findings (0 errors)" "clean summary"
cp "$L/content/team/file-stem.md" "$TMP/clean/"
expect_rc 0 "warnings only: exit 0" "$AKB" check "$TMP/clean"
expect_rc 1 "warnings with --strict: exit 1" "$AKB" check "$TMP/clean" --strict
expect_rc 2 "unknown rule" "$AKB" check "$TMP/clean" --rule AKB-XX999
expect_rc 2 "unknown format" "$AKB" check "$TMP/clean" --format yaml
expect_rc 2 "missing folder" "$AKB" check "$TMP/nowhere"
expect_rc 0 "--list-rules" "$AKB" check --list-rules
has "$TMP/out" "^AKB-AG013  error    strict-yaml" "rules are listed with level and name"

# ---- JSON and SARIF say what the text says ----
(cd "$L" && "$AKB" check content --format json >"$TMP/f.json" 2>/dev/null)
expect "JSON findings" "$(json "$TMP/f.json" '.findings | length')" "$(wc -l <"$L/content.expected" | tr -d ' ')"
expect "JSON counts" "$(json "$TMP/f.json" '.counts | values | sum')" "$(wc -l <"$L/content.expected" | tr -d ' ')"
expect "JSON as the text" "$(json "$TMP/f.json" '.findings | map(fmt("{path}:{line}:{col}: {level}: {message} [{rule}]")) | join("\n")')" "$(cat "$L/content.expected")"
(cd "$L" && "$AKB" check content --format sarif >"$TMP/f.sarif" 2>/dev/null)
node tests/js/sarif-check.mjs "$TMP/f.sarif" || FAILED=$((FAILED + 1))
expect "SARIF results" "$(json "$TMP/f.sarif" '.runs[0].results | length')" "$(wc -l <"$L/content.expected" | tr -d ' ')"
expect "SARIF columns in code points" "$(json "$TMP/f.sarif" '.runs[0].results | select(.ruleId == "AKB-AG015") | map(.locations[0].physicalLocation.region.startColumn) | join')" "8,13,31"
expect "SARIF URIs are percent-encoded" "$(json "$TMP/f.sarif" '.runs[0].results | find(.ruleId == "AKB-AG003") | .locations[0].physicalLocation.artifactLocation.uri')" "team/Display%20Name.md"

# ---- the real collections ----
: >"$TMP/corpora"
for c in agency-agents davepoon subagents-cn voltagent wshobson; do
	printf '%s: ' "$c" >>"$TMP/corpora"
	"$AKB" check "$SHARED/corpora/$c" 2>&1 >"$TMP/$c.txt" | sed 's/^checked //' >>"$TMP/corpora"
	"$AKB" check "$SHARED/corpora/$c" --format sarif >"$TMP/$c.sarif" 2>/dev/null
	node tests/js/sarif-check.mjs "$TMP/$c.sarif" >/dev/null || fail "SARIF of $c"
done
sed 's/^/# /' "$TMP/corpora"
if cmp -s "$TMP/corpora" "$L/corpora.expected"; then ok; else fail "counts per rule over the corpora"; diff -u "$L/corpora.expected" "$TMP/corpora" >&2; fi
# What ../shared/corpora/README.md says of them, found by the rules:
expect "voltagent: 8 files fail strict YAML" "$(grep -c 'AKB-AG013' "$TMP/voltagent.txt")" 8
expect "wshobson: model: fable in 2 files" "$(grep -c "model 'fable'" "$TMP/wshobson.txt")" 2
expect "agency-agents: every name is display text" "$(grep -c 'AKB-AG003' "$TMP/agency-agents.txt")" 184
expect "subagents-cn: 35 names repeat (37 files)" "$(grep -c 'AKB-AG014' "$TMP/subagents-cn.txt")" 37

# ---- a build: the report and the problems box ----
expect_rc 0 "build the fixture" "$AKB" build "$L/content" -o "$TMP/site" --report "$TMP/report.json" -q
expect "findings in the report" "$(json "$TMP/report.json" '.files | map(.findings | length) | sum')" "$(wc -l <"$L/content.expected" | tr -d ' ')"
expect "a file's findings" "$(json "$TMP/report.json" '.files | find(.path endswith "values.md") | .findings | map(.rule) | join')" "AKB-AG006,AKB-AG006,AKB-AG006,AKB-AG006,AKB-AG016"
has "$TMP/site/agents/values/index.html" '<h2 id="problems-title">Problems in this file</h2>' "problems box"
has "$TMP/site/agents/values/index.html" "<li class=\"error\"><span class=\"rule\">AKB-AG006</span> <span class=\"where\">line 5:1</span> permissionMode &#39;yolo&#39;" "a problem with its line"
hasnt "$TMP/site/agents/clean-agent/index.html" 'class="problems"' "no box on a clean page"
# The delegation graph: Agent(clean-agent) and @agent-clean-agent make one edge, shown both ways.
has "$TMP/site/agents/delegating/index.html" '<strong>Works with</strong> <a href="../../agents/clean-agent/index.html" title="It may start this one (Agent in its tools)">clean-agent</a>' "works with"
has "$TMP/site/agents/clean-agent/index.html" '<strong>Used by</strong> <a href="../../agents/delegating/index.html">delegating</a>' "used by"
hasnt "$TMP/site/agents/delegating/index.html" 'schema-keeper</a>' "a name that resolves to nothing is no link"
check "a graph page" test -f "$TMP/site/graph/index.html"
has "$TMP/site/graph/index.html" '<a href="../agents/delegating/index.html" data-collection="team"><circle' "graph nodes link their agents"
has "$TMP/site/graph/index.html" '<line [^>]* class="starts" data-collection="team other"/>' "an edge it may start, across collections"
has "$TMP/site/index.html" '<a href="graph/index.html">Graph</a>' "the graph in the navigation"
links_ok "$TMP/site"
finish lint
