#!/bin/sh
# Browsing collections as people keep them: grouping by folder when agents
# have no department (the real collections, no hook, no config), capped
# groups with links, the nav without empty taxonomies; identical agents
# merged, namesakes told apart, translations linked, the language taxonomy;
# <example> blocks of a body as conversations; install commands; where the
# config comes from; the config keys of all this; the default theme of a
# copied or installed binary.
. tests/lib/common.sh
F=tests/fixtures/browse/content

# ---- the real collections, each built from an empty folder (no config, no hook) ----
for c in wshobson agency-agents voltagent davepoon subagents-cn; do
	(cd "$TMP" && "$AKB" build "$SHARED/corpora/$c" -o "$TMP/$c" -q 2>/dev/null) || { fail "build $c"; continue; }
	ok
	node tests/js/browse-check.mjs "$TMP/$c" "$c" || FAILED=$((FAILED + 1))
done
# wshobson: one collection per plugin (plugins/<plugin>/agents/), no department in the nav.
has "$TMP/wshobson/index.html" '<strong>202</strong> agents · <strong>82</strong> collections · <span title="[^"]*">≈ [0-9.]*k tokens in all</span></p>' "wshobson stats line"
check "wshobson: a collection page per plugin" test -f "$TMP/wshobson/collections/database-design/index.html"
hasnt "$TMP/wshobson/index.html" '>Departments<' "no Departments in the nav when no agent has one"
has "$TMP/wshobson/index.html" '<section class="group" id="group-database-design">' "a home group per plugin"
# agency-agents: grouped by its department folders, without the hook.
has "$TMP/agency-agents/index.html" '<section class="group" id="group-engineering">' "agency-agents grouped by folder"
has "$TMP/agency-agents/index.html" '<p class="more"><a href="collections/engineering/index.html">' "a long group links to its page"
# voltagent: the folder every file shares (categories/) is skipped.
has "$TMP/voltagent/index.html" 'id="group-01-core-development"' "voltagent grouped below categories/"
# davepoon: one folder, so its categories group the page.
has "$TMP/davepoon/index.html" 'id="group-specialized-domains"' "one collection: grouped by category"
# subagents-cn is all Chinese: no language taxonomy of one value.
check "one language, no languages pages" test ! -e "$TMP/subagents-cn/languages"

# ---- the fixture: duplicates, namesakes, translations, examples ----
(cd "$TMP" && "$AKB" build "$TOP/$F" -o "$TMP/f" --report "$TMP/f.json" 2>"$TMP/f.err")
check "fixture builds" test -f "$TMP/f/index.html"
has "$TMP/f.err" "built 7 agents (1 identical copy shown once)" "summary counts the merged copy"
expect "merged copy in the report" "$(json "$TMP/f.json" '.files | select(.status == "merged") | map(fmt("{.path | sub(\".*content/\", \"\")} {url} {reason}")) | join')" \
	"plugins/beta/agents/release-manager.md agents/release-manager/index.html identical to plugins/alpha/agents/release-manager.md, shown once"
node tests/js/check-report.mjs "$TMP/f.json" "$TOP/$F" "$TMP/f" >/dev/null || fail "check-report on the fixture"
check "no page for the copy" test ! -e "$TMP/f/agents/release-manager-2"
has "$TMP/f/agents/release-manager/index.html" 'Also in <code title="beta">plugins/beta/agents/release-manager.md</code> (identical, shown once)' "the kept page names the copy"
has "$TMP/f/index.html" '<p class="kin">Also in <span title="plugins/beta/agents/release-manager.md">beta</span> (identical)</p>' "its card too"
# Same name, other text: the collection beside the name, in cards, pages and search rows.
has "$TMP/f/index.html" '>api-tester</a> <span class="qualifier" title="Where it comes from">alpha</span>' "namesake card: alpha"
has "$TMP/f/index.html" '>api-tester</a> <span class="qualifier" title="Where it comes from">standalone</span>' "namesake card: standalone"
hasnt "$TMP/f/index.html" '>delegator</a> <span class="qualifier"' "no qualifier without a namesake"
check "search rows carry the qualifier" sh -c "cat '$TMP'/f/search/d*.js | grep -q '\"api-tester\",\"agents/api-tester-2/index.html\",\"\",\"\",\"\",\"[^\"]*\",\"standalone\"'"
# Translations: the English and the Chinese api-tester link to each other; the language taxonomy.
has "$TMP/f/agents/api-tester/index.html" '<p class="kin">Also in <a href="../../agents/api-tester-3/index.html">中文</a>' "English page links its translation"
has "$TMP/f/agents/api-tester-3/index.html" '<p class="kin">Also in <a href="../../agents/api-tester[-0-9]*/index.html">English</a>' "Chinese page links back"
check "languages pages" test -f "$TMP/f/languages/中文/index.html"
expect "language facet values" "$(json "$TMP/f/search/base.js" '.facets | find(.key == "language") | .values | join')" "English,中文"
expect "collection facet values" "$(json "$TMP/f/search/base.js" '.facets | find(.key == "collection") | .values | join')" "alpha,standalone,中文"
# <example> in a body: a conversation; inside a code block it stays code.
has "$TMP/f/agents/delegator/index.html" '<div class="examples examples-inline">' "body example rendered"
has "$TMP/f/agents/delegator/index.html" '<div class="turn user"><span class="role">User</span><p>Can you review the payments service for security issues?</p></div>' "its user turn"
has "$TMP/f/agents/delegator/index.html" '<p class="commentary">Security reviews go to a specialist, not the generalist.</p>' "its commentary"
has "$TMP/f/agents/delegator/index.html" 'This one is inside a code block and stays as code.' "a fenced example stays"
hasnt "$TMP/f/agents/delegator/index.html" 'akbexample' "no marker left"
has "$TMP/f/agents/delegator/index.html" '<p>Done.</p>' "the text after it"
# Install: the path on every card and page, and the data site.js builds the command from.
has "$TMP/f/index.html" '<code>.claude/agents/delegator.md</code> <button class="copy-install" type="button" data-raw="agents/delegator/delegator.md" data-path=".claude/agents/delegator.md"' "card install line"
has "$TMP/f/agents/delegator/index.html" '<h2 id="install-title">Install for Claude Code</h2>' "agent page install block"
# What each agent may do: badges, the page's block, the access taxonomy, agents.json.
has "$TMP/f/index.html" 'title="Reads, never writes files, runs commands or starts agents">read-only</span>' "read-only badge"
has "$TMP/f/index.html" 'badge-access danger" title="permissionMode: bypassPermissions: no permission prompts">bypasses permissions' "bypass badge"
has "$TMP/f/index.html" '>shell (scoped)</span>' "scoped shell badge"
has "$TMP/f/agents/delegator/index.html" 'Inherits all tools of the session' "no tools field: inherits all"
has "$TMP/f/agents/operator/index.html" '<dt>MCP servers</dt><dd><span class="mcp"><strong>github</strong>: <code>create_release</code> <code>list_tags</code>' "MCP tools grouped by server"
has "$TMP/f/agents/operator/index.html" '<dt>May start</dt><dd><code>reader</code>' "Agent(...) names the sub-agents"
has "$TMP/f/agents/operator/index.html" '<dt>Denied</dt><dd><code>Write</code>' "disallowedTools shown"
expect "read-only agents" "$(json "$TMP/f/agents.json" 'select(.capabilities.access contains "read-only") | map(.name) | join')" "reader"
expect "operator's effective tools" "$(json "$TMP/f/agents.json" 'find(.name == "operator") | .capabilities.tools | join("|")')" "Read|Bash(git status:*, git tag:*)|Agent(reader)"
check "access pages" test -f "$TMP/f/access/read-only/index.html"
has "$TMP/f/index.html" '≈ [0-9.k]* tokens in all' "collection total of tokens"
# Related agents: words and groups in common, namesakes left out.
sed -n '/class="related"/,/<\/section>/p' "$TMP/wshobson/agents/sql-pro/index.html" | grep -o '">[^<]*</a>' >"$TMP/related"
expect "six related agents" "$(wc -l <"$TMP/related" | tr -d ' ')" 6
check "sql-pro's related agents are database agents" sh -c "[ \"\$(grep -c database '$TMP/related')\" -ge 4 ]"
hasnt "$TMP/f/agents/api-tester/index.html" 'class="related"[^€]*api-tester' "no namesake among related agents"
links_ok "$TMP/f"

# ---- config keys: group_by, collections, taxonomies, search.synonyms ----
printf 'group_by: language\n' >"$TMP/g.yaml"
expect_rc 0 "group_by: language" "$AKB" build "$F" -o "$TMP/g" -c "$TMP/g.yaml" -q
has "$TMP/g/index.html" 'id="group-中文"' "grouped by language"
printf 'collections: false\n' >"$TMP/n.yaml"
expect_rc 0 "collections: false" "$AKB" build "$F" -o "$TMP/n" -c "$TMP/n.yaml" -q
check "no collections pages" test ! -e "$TMP/n/collections"
printf 'taxonomies: [collection, tools]\n' >"$TMP/t.yaml"
"$AKB" build "$TOP/content" -o "$TMP/t" -c "$TMP/t.yaml" -q 2>/dev/null
check "a listed collection taxonomy stays, even when it mirrors departments" test -f "$TMP/t/collections/data/index.html"
check "content/: the collection is its departments, so not shown" sh -c "cd '$TMP' && '$AKB' build '$TOP/content' -o '$TMP/c2' -q 2>/dev/null && test ! -e '$TMP/c2/collections' && test -d '$TMP/c2/departments'"
printf 'search:\n  synonyms: [[tickets, 工单], oops]\n  builtin_synonyms: maybe\n  nope: 1\n' >"$TMP/bad.yaml"
expect_rc 1 "bad search config" "$AKB" build "$F" -o "$TMP/bad" -c "$TMP/bad.yaml" -q
has "$TMP/err" "bad.yaml:2:29: error: 'search.synonyms' must be a list of groups" "synonym group not a list"
has "$TMP/err" "bad.yaml:3:21: error: 'search.builtin_synonyms' must be true or false" "builtin_synonyms type"
has "$TMP/err" "bad.yaml:4:3: error: unknown config key 'search.nope'" "unknown search key"
printf 'search:\n  builtin_synonyms: false\n  synonyms:\n    - [release, 发布]\n' >"$TMP/syn.yaml"
expect_rc 0 "own synonyms" "$AKB" build "$F" -o "$TMP/syn" -c "$TMP/syn.yaml" -q
has "$TMP/syn/search/base.js" '"syn":\[$' "synonyms in base.js"
has "$TMP/syn/search/base.js" '^\["release","发布"\]\],' "only the config's group"

# ---- where the config comes from ----
# The checkout's agentkb.yaml (its description, content: content) is not another folder's.
expect_rc 0 "build another folder from the checkout" "$AKB" build "$F" -o "$TMP/leak" -q
hasnt "$TMP/leak/index.html" "Engineering agents for every team" "the checkout's config did not leak"
expect_rc 0 "build content/ from the checkout" "$AKB" build content -o "$TMP/own" -q
has "$TMP/own/index.html" "Engineering agents for every team" "but it is content/'s own"
# A config inside the content folder is used; the site is not written inside it unless it says so.
mkdir -p "$TMP/kb/team"
cp "$F/standalone/delegator.md" "$TMP/kb/team/"
printf 'title: Folder KB\n' >"$TMP/kb/agentkb.yaml"
(cd "$TMP" && "$AKB" build kb -q 2>"$TMP/err")
has "$TMP/public/index.html" "<title>Folder KB</title>" "CONTENT/agentkb.yaml is read"
check "the default output stays beside, not inside" test ! -e "$TMP/kb/public"

# ---- a binary installed (make install) or copied on its own finds its theme ----
make -s install DESTDIR="$TMP/inst" PREFIX=/usr BUILD="$BUILD" >/dev/null 2>&1 || fail "make install"
(cd "$TMP" && "$TMP/inst/usr/bin/agentkb" build "$TOP/content" -o "$TMP/installed" -q 2>/dev/null)
check "installed binary builds" test -f "$TMP/installed/assets/search.js"
mkdir -p "$TMP/lonely"
cp "$AKB" "$TMP/lonely/agentkb"
(cd "$TMP/lonely" && ./agentkb build "$TOP/content" -o "$TMP/copied" -q 2>"$TMP/err")
check "a binary copied on its own builds with the built-in theme" test -f "$TMP/copied/index.html"
check "the built-in theme is the same files" cmp -s "$TMP/copied/assets/search.js" themes/default/static/search.js
check "the built-in theme has the search engine too" cmp -s "$TMP/copied/assets/search-engine.js" themes/default/static/search-engine.js
check "and the same pages" sh -c "diff -r '$TMP/copied' '$TMP/installed' >/dev/null"
finish browse
