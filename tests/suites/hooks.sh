#!/bin/sh
# Lua hooks (issue 5): each API function (filter, agent, site, page, the
# agentkb module), the shortcut filters, every failure mode with its exact
# message (tests/fixtures/hooks/err-*.lua against err-*.expected), the example hooks
# of scripts/hooks/, and a hook run over every collection in ../shared/corpora.
. tests/lib/common.sh

C=tests/fixtures/hooks/content
build() { # build OUT ARGS... (stderr in $TMP/err, exit status in $rc)
	out=$1; shift
	"$AKB" build "$C" -o "$out" --report "$out.report.json" "$@" 2>"$TMP/err"; rc=$?
}

# ---------------------------------------------------------------- filter()
build "$TMP/f" --hook tests/fixtures/hooks/filter.lua
expect "filter build" "$rc" 0
expect "filter keeps 3 of 4" "$(json "$TMP/f.report.json" 'fmt("{agents}/{dropped}")')" "3/1"
expect "filter drop reason" "$(json "$TMP/f.report.json" '.files | find(.status == "dropped") | .reason')" \
	"tests/fixtures/hooks/filter.lua: filter() returned false"
expect "dropped agent has no page" "$(ls "$TMP/f/agents")" "$(printf 'api-designer\netl-engineer\nloner')"
has "$TMP/err" "built 3 agents (1 dropped by hooks and filters)" "summary counts the dropped agent"

# ---------------------------------------------------------------- agent()
build "$TMP/a" --hook tests/fixtures/hooks/agent.lua --hook tests/fixtures/hooks/agent-inplace.lua
expect "agent build" "$rc" 0
A="$TMP/a/agents/the-api-architect/index.html"
check "slug set by the hook" test -f "$A"
has "$A" "<title>API Architect" "renamed agent"
has "$A" "HOOK-BODY-MARKER" "body changed by the hook"
has "$A" 'id="added-by-a-hook"' "new heading gets an id"
has "$A" "API ARCHITECT!" "computed field (via require) shown in metadata"
has "$A" "eng/api.md" "agent.path is relative to the content folder"
has "$A" "ünïcode-name" "agentkb.slugify"
has "$A" "&lt;em&gt;hi&lt;/em&gt;" "agentkb.markdown returns HTML (escaped in the metadata table)"
has "$A" "inplace</th><td>yes" "agent() may change the table in place"
check "tools list changed by the hook makes a term page" test -f "$TMP/a/tools/grep/index.html"
expect "raw file stays the original" "$(cmp "$TMP/a/agents/the-api-architect/the-api-architect.md" "$C/eng/api.md" && echo same)" same
expect "agents.json shows the new field" "$(json "$TMP/a/agents.json" 'find(.slug == "the-api-architect") | .fields.shouted')" "API ARCHITECT!"

# ---------------------------------------------------------------- site()
build "$TMP/s" --hook tests/fixtures/hooks/site.lua
expect "site build" "$rc" 0
expect "site() order (reversed names, Loner removed)" "$(json "$TMP/s/agents.json" 'map(.name) | join')" \
	"UI Builder,ETL Engineer,API Designer"
expect "site() removal reason" "$(json "$TMP/s.report.json" '.files | find(.status == "dropped") | .reason')" \
	"tests/fixtures/hooks/site.lua: site() removed it from site.agents"
has "$TMP/s/agents/etl-engineer/index.html" "SITE-BODY-MARKER" "site() can change a body"
has "$TMP/s/agents/ui-builder/index.html" "Builds components with care." "bodies site() did not read stay"
check "site() added a taxonomy" test -f "$TMP/s/priorities/high/index.html"
# A site() that leaves site.taxonomies as it was keeps the taxonomies a build without hooks has
# (the sample's collection mirrors its departments and every file is a sub-agent: no such pages).
printf 'return { site = function(site) end }\n' >"$TMP/noop.lua"
"$AKB" build content -o "$TMP/n0" -q 2>/dev/null
"$AKB" build content -o "$TMP/n1" -q --hook "$TMP/noop.lua" 2>/dev/null
expect "a no-op site() keeps the same taxonomy pages" "$(cd "$TMP/n1" && ls -d */ | tr '\n' ' ')" \
	"$(cd "$TMP/n0" && ls -d */ | tr '\n' ' ')"
check "no collections page for one collection" test ! -e "$TMP/n1/collections"
G="$TMP/s/guide/intro/index.html"
check "markdown page written" test -f "$G"
has "$G" 'href="../../agents/ui-builder/index.html"' "page links are site-root relative"
has "$G" 'href="../../departments/index.html"' "a folder link gets index.html"
has "$G" 'href="../../assets/style.css"' "page uses the theme with the right root"
has "$TMP/s/index.html" 'href="guide/intro/index.html">Guide' "nav lists the page"
has "$TMP/s/stats.html" '<li class="row">agents=3</li>' "template page with data"
expect "agentkb.write adds a file" "$(cat "$TMP/s/extra/notes.txt")" "written by a hook"
links_ok "$TMP/s"
links_ok "$TMP/a"

# ---------------------------------------------------------------- page()
build "$TMP/p" --hook tests/fixtures/hooks/page.lua
expect "page build" "$rc" 0
has "$TMP/p/index.html" "<!-- hooked home_page -->" "page() on the home page"
has "$TMP/p/agents/loner/index.html" "<!-- hooked agent_page -->" "page() on agent pages"
expect "page() on every page" "$(grep -rL --include='*.html' -e '<!-- hooked' "$TMP/p" | wc -l)" 0

# ---------------------------------------------------------------- the agentkb module
build "$TMP/m" --hook tests/fixtures/hooks/api.lua --title "Hook Site"
expect "api build" "$rc" 0
has "$TMP/err" "tests/fixtures/hooks/api.lua:4: warning: no department here (tests/fixtures/hooks/content/loner.md)" "log.warn at the hook line"
has "$TMP/err" "tests/fixtures/hooks/api.lua:11: note: title=Hook Site read=read from a hook" "log.info, config, io.open under the root"
build "$TMP/m2" --hook tests/fixtures/hooks/api.lua --strict
expect "strict turns a hook warning into an error" "$rc" 1

# ---------------------------------------------------------------- shortcut filters
count() { json "$1.report.json" .agents; }
build "$TMP/d1" --department engineering
expect "--department is case-insensitive" "$(count "$TMP/d1")" 2
expect "--department reason" "$(json "$TMP/d1.report.json" '.files | find(.status == "dropped") | .reason')" "--department engineering"
build "$TMP/d2" --department 'ENG*' --department data
expect "--department repeated (either)" "$(count "$TMP/d2")" 3
build "$TMP/d3" --exclude-department 'eng*'
expect "--exclude-department" "$(count "$TMP/d3")" 2
build "$TMP/d4" --category back* --department engineering
expect "--category with --department (both)" "$(json "$TMP/d4/agents.json" 'map(.name) | join')" "API Designer"
build "$TMP/d5" --exclude-category '*end'
expect "--exclude-category" "$(json "$TMP/d5/agents.json" 'map(.name) | join')" "ETL Engineer,Loner"
build "$TMP/d6" --department nothing-matches
expect "a filter may leave no agent" "$rc/$(count "$TMP/d6")" "0/0"

# Shortcut filters run after the hook files: they see a department a hook derived.
build "$TMP/d7" --hook tests/fixtures/hooks/rename-department.lua --department 'team eng*'
expect "filters see the department a hook set" "$(count "$TMP/d7")" 2
build "$TMP/d8" --hook tests/fixtures/hooks/rename-department.lua --department engineering
expect "filters do not see the department from the file" "$(count "$TMP/d8")" 0

# ---------------------------------------------------------------- config: hooks list and limits
mkdir -p "$TMP/cfg/hooks"
cp tests/fixtures/hooks/filter.lua "$TMP/cfg/hooks/"
cp tests/fixtures/hooks/err-loop.lua "$TMP/cfg/hooks/loop.lua"
printf 'hooks: [hooks/filter.lua]\n' >"$TMP/cfg/agentkb.yaml"
"$AKB" build "$C" -c "$TMP/cfg/agentkb.yaml" -o "$TMP/cfg/out" --report "$TMP/cfg/r.json" --hook tests/fixtures/hooks/page.lua 2>"$TMP/err"
expect "config hooks resolve from the config's folder" "$(json "$TMP/cfg/r.json" .agents)" 3
has "$TMP/cfg/out/index.html" "<!-- hooked" "--hook runs with the config's hooks"
printf 'hooks: [hooks/loop.lua]\nhook_limits:\n  instructions: 200000\n' >"$TMP/cfg/agentkb.yaml"
"$AKB" build "$C" -c "$TMP/cfg/agentkb.yaml" -o "$TMP/cfg/out2" -q 2>"$TMP/err"
has "$TMP/err" "hooks/loop.lua:2: error: agent() exceeded its budget of 200000 instructions" "hook_limits.instructions"
printf 'hook_limits:\n  memory: 5\n' >"$TMP/cfg/agentkb.yaml"
"$AKB" build "$C" -c "$TMP/cfg/agentkb.yaml" -o "$TMP/cfg/out3" -q 2>"$TMP/err"
has "$TMP/err" "agentkb.yaml:2:3: error: unknown config key 'hook_limits.memory'" "unknown hook_limits key"
expect_usage() { "$AKB" build "$C" -o "$TMP/u" "$@" >/dev/null 2>&1; expect "usage: $*" "$?" 2; }
expect_usage --hook
expect_usage --department

# ---------------------------------------------------------------- failures: exact messages, output untouched
"$AKB" build "$C" -o "$TMP/keep" -q 2>/dev/null
echo marker >"$TMP/keep/marker"
for hook in tests/fixtures/hooks/err-*.lua; do
	want=${hook%.lua}.expected
	"$AKB" build "$C" -o "$TMP/keep" -q --hook "$hook" 2>"$TMP/err"
	rc=$?
	expect "$hook fails the build" "$rc" 1
	if diff -u "$want" "$TMP/err" >"$TMP/diff"; then ok; else fail "$hook message"; cat "$TMP/diff" >&2; fi
	check "$hook leaves the previous site" test -f "$TMP/keep/marker"
	expect "$hook leaves no staging folder" "$(ls -a "$TMP" | grep -c '^\.keep\.tmp-')" 0
done
check "forbidden os.execute did not run" test ! -e tests/fixtures/hooks/x.txt

# ---------------------------------------------------------------- example hooks
E=scripts/hooks
AGENTKB_DEPARTMENT=Data "$AKB" build content -o "$TMP/e1" --hook $E/keep-department.lua --report "$TMP/e1.json" -q 2>"$TMP/err"
expect "keep-department.lua (AGENTKB_DEPARTMENT=Data)" "$(json "$TMP/e1.json" .agents)" \
	"$(grep -l '^department: data' content/*/*.md | wc -l)"
"$AKB" build content -o "$TMP/e2" --hook $E/reading-time.lua --hook $E/sort-by-priority.lua --hook $E/tools-matrix.lua -q 2>"$TMP/err"
expect "example hooks build content/" "$?" 0
expect "reading-time.lua: every agent has a reading time" \
	"$(json "$TMP/e2/agents.json" 'select(.fields.reading_time matches "^\\d+ min read$") | length')" \
	"$(json "$TMP/e2/agents.json" length)"
has "$TMP/e2/agents/api-gateway-designer/index.html" "reading_time</th><td>[0-9]* min read" "reading time shown on the page"
expect "sort-by-priority.lua: high before medium before low" \
	"$(json "$TMP/e2/agents.json" 'map(.fields.priority) | join("\n")' | awk '
		{ p = $0 == "high" ? 1 : $0 == "medium" ? 2 : $0 == "low" ? 3 : 9; if (NR > 1 && p < last) bad = 1; last = p }
		END { print bad ? "false" : "true" }')" true
T="$TMP/e2/tools-matrix/index.html"
expect "tools-matrix.lua: one row per agent" "$(grep -c '<td><a href="../agents/' "$T")" "$(json "$TMP/e2/agents.json" length)"
has "$TMP/e2/index.html" 'href="tools-matrix/index.html">Tools matrix' "tools matrix in the navigation"
links_ok "$TMP/e2"

# ---------------------------------------------------------------- every real collection
if [ -d "$SHARED/corpora" ]; then
	for dir in "$SHARED"/corpora/*/; do
		name=$(basename "$dir")
		out="$TMP/corp-$name"
		"$AKB" build "$dir" -o "$out" --report "$out.json" -q \
			--hook $E/department-from-folder.lua --hook $E/reading-time.lua \
			--hook $E/sort-by-priority.lua --hook $E/tools-matrix.lua 2>"$TMP/err"
		expect "$name: hooks build" "$?" 0
		node tests/js/check-report.mjs "$out.json" "$dir" "$out" >"$TMP/chk" 2>&1
		expect "$name: every file in the site or the report" "$?" 0
		expect "$name: every agent has a department" \
			"$(json "$out/agents.json" 'select(.fields.department | not) | select(.source contains "/") | length')" 0
		links_ok "$out"
		expect "$name: tools matrix lists every agent" "$(grep -c '<td><a href="../agents/' "$out/tools-matrix/index.html")" \
			"$(json "$out/agents.json" length)"
	done
	# agency-agents: departments come from folders; --department keeps exactly one folder's agents.
	AA="$SHARED/corpora/agency-agents"
	"$AKB" build "$AA" -o "$TMP/aa" --report "$TMP/aa.json" -q --hook $E/department-from-folder.lua \
		--department engineering 2>/dev/null
	expect "agency-agents --department engineering = files in engineering/" "$(json "$TMP/aa.json" .agents)" \
		"$(json "$TMP/corp-agency-agents.json" '.files | select(.status == "rendered") | select(.path contains "/engineering/") | length')"
else
	fail "no $SHARED/corpora"
fi

finish hooks
