#!/bin/sh
# Command-line behaviour: exit codes, config errors, the input rules of the
# walk (hidden, node_modules, symlinks, documentation files), slugs, the
# report, and that a failed build never touches the previous site.
. tests/lib/common.sh


# Usage errors exit 2.
expect_rc 2 "no command" "$AKB"
expect_rc 2 "unknown command" "$AKB" frobnicate
expect_rc 2 "unknown option" "$AKB" build --frobnicate
expect_rc 2 "option without value" "$AKB" build -o
expect_rc 0 "help" "$AKB" help
expect_rc 0 "version" "$AKB" version
has "$TMP/out" "agentkb " "version prints the version"

# A site with the cases the walk must handle.
S="$TMP/site"
mkdir -p "$S/c/team" "$S/c/.hidden" "$S/c/node_modules/pkg" "$S/outside"
cat >"$S/c/team/alpha.md" <<'MD'
---
name: LSP/Index Engineer
description: Builds the index.
department: Engineering
category: tooling
tools: Read, Grep
model: sonnet
color: "#ff0000"
emoji: 🔧
---
# Alpha

Body with <script>alert(1)</script> raw HTML.
MD
cat >"$S/c/team/beta.md" <<'MD'
---
name: LSP/Index Engineer
description: Same name as alpha.
department: engineering
---
Beta body.
MD
printf -- '---\nname: ../../etc/passwd\n---\nsneaky\n' >"$S/c/gamma.md"
printf '# Heading Name\n\nNo front-matter here.\n' >"$S/c/delta.md"
printf '# Docs\n' >"$S/c/README.md"
printf -- '---\nname: hidden\n---\n' >"$S/c/.hidden/h.md"
printf -- '---\nname: dep\n---\n' >"$S/c/node_modules/pkg/d.md"
printf -- '---\nname: outside\n---\n' >"$S/outside/o.md"
ln -s ../outside "$S/c/escape"
ln -s .. "$S/c/team/loop"

expect_rc 0 "build with warnings" "$AKB" build "$S/c" -o "$S/out" --report "$S/report.json"
has "$TMP/err" "built 4 agents" "summary line counts agents"
has "$TMP/err" "c/team/beta.md:2:1: warning: another agent is also named 'LSP/Index Engineer'" "duplicate name warning"
has "$TMP/err" "symbolic link leads outside" "escaping symlink warned"
has "$TMP/err" "symbolic link loop" "symlink loop warned"
has "$TMP/err" "c/delta.md:1:1: warning: no front-matter; name 'Heading Name' taken from the first heading" "heading name"
check "slug from display name" test -f "$S/out/agents/lsp-index-engineer/index.html"
check "duplicate gets its own slug" test -f "$S/out/agents/lsp-index-engineer-2/index.html"
check "dotted name stays inside" test -f "$S/out/agents/etc-passwd/index.html"
check "raw file beside the page" test -f "$S/out/agents/lsp-index-engineer/lsp-index-engineer.md"
check "hidden folder skipped" sh -c "! grep -q '\"hidden\"' '$S/out/agents.json'"
check "node_modules skipped" sh -c "! grep -q '\"dep\"' '$S/out/agents.json'"
check "symlink outside not followed" sh -c "! grep -q '\"outside\"' '$S/out/agents.json'"
check "terms merge case-insensitively" test -f "$S/out/departments/engineering/index.html"
check "no second engineering term" sh -c "[ \$(ls '$S/out/departments' | wc -l) -eq 2 ]"
has "$S/out/agents/lsp-index-engineer/index.html" "&lt;script&gt;alert(1)&lt;/script&gt;" "raw HTML shown escaped"
check "raw HTML never emitted" sh -c "! grep -q '<script>alert' '$S/out/agents/lsp-index-engineer/index.html'"
has "$S/out/agents/lsp-index-engineer/index.html" "<th scope=\"row\">emoji</th>" "unknown keys in metadata table"
has "$S/report.json" '"status": "skipped", "reason": "not an agent (README files are documentation)"' "README reported as skipped"
has "$S/report.json" '"path": "'"$S"'/c/delta.md", "status": "rendered"' "delta rendered"
check "404 page" test -f "$S/out/404.html"
check "no absolute links" sh -c "! grep -rhoE '(href|src)=\"/[^/]' '$S/out' --include=*.html"
links_ok "$S/out"
check "no staging folders left" sh -c "[ -z \"\$(ls -A '$S' | grep tmp)\" ]"

# --strict turns the warnings into errors: exit 1, previous site untouched.
before=$(ls -R "$S/out" | cksum)
expect_rc 1 "strict build fails" "$AKB" build "$S/c" -o "$S/out" --strict
has "$TMP/err" "error: another agent is also named" "strict promotes warnings"
has "$TMP/err" "build failed" "failure summary"
check "previous site untouched" [ "$(ls -R "$S/out" | cksum)" = "$before" ]
check "no staging folder after failure" sh -c "[ -z \"\$(ls -A '$S' | grep tmp)\" ]"

# Config: unknown keys are errors with their position.
printf 'title: T\nbase_urll: x\n' >"$S/bad.yaml"
expect_rc 1 "unknown config key" "$AKB" build "$S/c" -o "$S/out2" --config "$S/bad.yaml"
has "$TMP/err" "bad.yaml:2:1: error: unknown config key 'base_urll'" "unknown key position"
check "bad config writes nothing" test ! -e "$S/out2"
printf 'title: [a\n' >"$S/broken.yaml"
expect_rc 1 "broken config" "$AKB" build "$S/c" -o "$S/out2" --config "$S/broken.yaml"
has "$TMP/err" "broken.yaml:2:1: error: invalid YAML" "broken YAML position"
printf 'title: My KB\ntaxonomies: [department, tags]\n' >"$S/good.yaml"
expect_rc 0 "config taxonomies" "$AKB" build "$S/c" -o "$S/out3" --config "$S/good.yaml" -q
has "$S/out3/index.html" "<title>My KB" "title from config"
links_ok "$S/out3"
check "configured taxonomy only" test ! -e "$S/out3/models"
expect_rc 0 "title flag wins" "$AKB" build "$S/c" -o "$S/out3" --config "$S/good.yaml" --title "Flag KB" -q
has "$S/out3/index.html" "<title>Flag KB" "flag overrides config"
links_ok "$S/out3"

# Missing content folder.
expect_rc 1 "missing content" "$AKB" build "$S/nope" -o "$S/out4"
has "$TMP/err" "nope: error: unable to read content folder" "missing content message"

# A code block that trips the highlighter's limits is plain text with a warning at its fence.
H="$TMP/hldata"
mkdir -p "$H/langDefs" "$H/themes" "$TMP/hl/c"
printf 'Description="catastrophic"\nKeywords={ { Id=1, Regex=[[(a+)+b]] } }\n' >"$H/langDefs/evil.lang"
cp /usr/share/highlight/themes/github.theme /usr/share/highlight/themes/molokai.theme "$H/themes/"
printf 'highlight:\n  datadir: %s\n' "$H" >"$TMP/hl/agentkb.yaml"
printf -- '---\nname: evil\n---\nText.\n\n```evil\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac b\n```\n' >"$TMP/hl/c/evil.md"
expect_rc 0 "pathological block" "$AKB" build "$TMP/hl/c" -o "$TMP/hl/out" --config "$TMP/hl/agentkb.yaml"
has "$TMP/err" "c/evil.md:6: warning: code block not highlighted (" "fallback warning names path:line"
has "$TMP/hl/out/agents/evil/index.html" "<code class=\"hl language-evil\">aaaaaaaa" "fallback block is plain text"
links_ok "$TMP/hl/out"
printf 'highlight:\n  theme: no-such-theme\n' >"$TMP/hl/bad.yaml"
expect_rc 1 "unknown highlight theme" "$AKB" build "$TMP/hl/c" -o "$TMP/hl/out2" --config "$TMP/hl/bad.yaml"
has "$TMP/err" "no-such-theme" "unknown theme named"
printf 'highlight:\n  themes: x\n' >"$TMP/hl/typo.yaml"
expect_rc 1 "unknown highlight key" "$AKB" build "$TMP/hl/c" -o "$TMP/hl/out2" --config "$TMP/hl/typo.yaml"
has "$TMP/err" "typo.yaml:2:3: error: unknown config key 'highlight.themes'" "nested unknown key position"

# Ctrl-C mid-build: exit 1, the previous site intact, no staging folder left.
sh scripts/gen-corpus.sh 3000 "$TMP/big" >/dev/null
mkdir -p "$TMP/intr"
"$AKB" build "$S/c" -o "$TMP/intr/site" -q 2>/dev/null
interrupted 0.3 "interrupted build" "$AKB" build "$TMP/big" -o "$TMP/intr/site" -q
has "$TMP/err" "interrupted; " "interrupt reported"
check "site before the interrupt kept" [ "$(ls "$TMP/intr/site/agents" | wc -l)" -eq 4 ]
# (beside the site: only the build cache, .agentkb-cache, which the first build wrote)
check "no staging folder after interrupt" [ "$(ls -A "$TMP/intr" | grep -v '^\.agentkb-cache$')" = "site" ]
check "the cache of the site before the interrupt kept" test -f "$TMP/intr/.agentkb-cache/site.manifest"
links_ok "$TMP/intr/site"

# A long group on the home page shows its first cards and links to the term page with all of them.
H="$TMP/home"
mkdir -p "$H/c"
i=1
while [ $i -le 30 ]; do
	printf -- '---\nname: Agent %02d\ndepartment: Ops\ncategory: Infra\n---\nBody.\n' $i >"$H/c/a$i.md"
	i=$((i + 1))
done
printf -- '---\nname: Solo\ndepartment: Ops\ncategory: Other Cat\n---\nBody.\n' >"$H/c/solo.md"
expect_rc 0 "home page cap build" "$AKB" build "$H/c" -o "$H/out"
expect_home() { # expect_home DESCRIPTION COUNT
	n=$(grep -c '<article class="card"' "$H/out/index.html")
	if [ "$n" = "$2" ]; then ok; else fail "$1: $n cards on the home page, want $2"; fi
}
expect_home "24 cards of Infra plus Solo" 25
has "$H/out/index.html" 'href="categories/infra/index.html">All 30 agents in Infra' "link to all of a capped group"
check "the term page lists all 30" [ "$(grep -c '<article class="card"' "$H/out/categories/infra/index.html")" = 30 ]
links_ok "$H/out"
printf 'home_per_group: 0\n' >"$H/agentkb.yaml"
expect_rc 0 "home_per_group: 0 build" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
expect_home "home_per_group: 0 shows every card" 31
printf 'home_per_group: -1\n' >"$H/agentkb.yaml"
expect_rc 1 "negative home_per_group" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
has "$TMP/err" "agentkb.yaml:1:17: error: 'home_per_group' must be a whole number (0 for no limit)" "home_per_group type error"

# A long term's list in pages of `paginate` cards (page/N/ beside the first), each card on one page,
# with a pager whose links work; 0 puts every card on one page.
cards_of() { grep -o '<a href="[^"]*agents/[^"]*">Agent [0-9]*</a>' "$1" | sed 's/.*">//; s/<.*//'; }
P="$H/out/categories/infra"
printf 'paginate: 12\n' >"$H/agentkb.yaml"
expect_rc 0 "paginate: 12 build" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
expect "12 cards on the first page" "$(grep -c '<article class="card"' "$P/index.html")" 12
expect "12 on the second" "$(grep -c '<article class="card"' "$P/page/2/index.html")" 12
expect "6 on the last" "$(grep -c '<article class="card"' "$P/page/3/index.html")" 6
check "no page past the last" test ! -e "$P/page/4"
check "no page/1 (the first page is the term's own)" test ! -e "$P/page/1"
expect "each of the 30 on one page, in order" "$({ cards_of "$P/index.html"; cards_of "$P/page/2/index.html"; cards_of "$P/page/3/index.html"; } | tr '\n' ' ')" \
	"$(i=1; while [ $i -le 30 ]; do printf 'Agent %02d ' $i; i=$((i + 1)); done)"
has "$P/page/2/index.html" '<span class="count">30</span>' "the count is the term's, on every page"
has "$P/page/2/index.html" 'Agents 13 to 24 of 30' "which cards a page shows"
has "$P/index.html" 'rel="next" href="../../categories/infra/page/2/index.html"' "first page: next"
hasnt "$P/index.html" 'rel="prev"' "first page: no previous"
has "$P/page/2/index.html" 'rel="prev" href="../../../../categories/infra/index.html"' "second page: previous is the first"
has "$P/page/3/index.html" 'aria-current="page" href="../../../../categories/infra/page/3/index.html">3<' "the current page marked"
hasnt "$P/page/3/index.html" 'rel="next"' "last page: no next"
has "$P/page/2/index.html" '<title>Infra, page 2 of 3 ' "a later page says which in its title"
hasnt "$H/out/categories/other-cat/index.html" 'class="pager' "a short list has no pager"
links_ok "$H/out"
# Editing one agent's body changes its card (its size): only the page listing it is made again.
before1=$(stat -c %i "$P/index.html") before3=$(stat -c %i "$P/page/3/index.html")
printf -- '---\nname: Agent 30\ndepartment: Ops\ncategory: Infra\n---\nBody, now much longer than it was before the edit.\n' >"$H/c/a30.md"
expect_rc 0 "rebuild after an edit" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
expect "the first page kept" "$(stat -c %i "$P/index.html")" "$before1"
check "the last page, which lists it, written again" [ "$(stat -c %i "$P/page/3/index.html")" != "$before3" ]
printf 'paginate: 0\n' >"$H/agentkb.yaml"
expect_rc 0 "paginate: 0 build" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
expect "paginate: 0 lists all 30 on one page" "$(grep -c '<article class="card"' "$P/index.html")" 30
check "and makes no other pages (the old ones gone)" test ! -e "$P/page"
hasnt "$P/index.html" 'class="pager' "no pager"
printf 'paginate: two\n' >"$H/agentkb.yaml"
expect_rc 1 "paginate not a number" "$AKB" build "$H/c" -o "$H/out" -c "$H/agentkb.yaml"
has "$TMP/err" "agentkb.yaml:1:11: error: 'paginate' must be a whole number (0 for no limit)" "paginate type error"

# A file saved while the site is being built: texts are read again for the pages (agent.h), so the
# build sees it, fails with the file's name and leaves the previous site. The theme's agent template
# is a FIFO: the build blocks on it after loading, while the file is changed.
F="$TMP/fifo"
mkdir -p "$F"
cp -R content "$F/c"
cp -R themes/default "$F/theme"
expect_rc 0 "site before the edit" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme" -q
mv "$F/theme/templates/agent.mustache" "$F/agent.mustache"
mkfifo "$F/theme/templates/agent.mustache"
victim=$(ls "$F"/c/engineering/*.md | head -1)
(timeout 30 sh -c 'exec 3>"$1"; echo "EDITED-WHILE-BUILDING" >>"$2"; cat "$3" >&3' sh \
	"$F/theme/templates/agent.mustache" "$victim" "$F/agent.mustache" &)
expect_rc 1 "file changed during the build" timeout 60 "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme"
has "$TMP/err" "^$victim: error: changed or removed while the site was being built; build again$" "the changed file is named"
check "the previous site is left as it was" [ -z "$(grep -rl EDITED-WHILE-BUILDING "$F/out")" ] && [ -f "$F/out/index.html" ]
check "no staging folder left" [ -z "$(ls -A "$F" | grep '^\.out')" ]
rm "$F/theme/templates/agent.mustache"
mv "$F/agent.mustache" "$F/theme/templates/agent.mustache"
expect_rc 0 "the next build takes the edit" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme" -q
check "the edit is in the site" [ -n "$(grep -rl EDITED-WHILE-BUILDING "$F/out/agents")" ]

# Values joined to their options, as make and git take them: -j2, -oDIR, --name=VALUE.
expect_rc 0 "joined values" "$AKB" build "$H/c" -j1 -o"$H/joined" --title="Joined KB" --category=infra -q
has "$H/joined/index.html" "<title>Joined KB" "--title=VALUE is the title"
check "--category=infra keeps only Infra" [ "$(grep -c '<article class="card"' "$H/joined/categories/infra/index.html")" = 30 ] && [ ! -e "$H/joined/agents/solo" ]
expect_rc 2 "joined value on an option that takes none" "$AKB" build "$H/c" --stats=yes
has "$TMP/err" "unknown option '--stats=yes'" "named as given"
expect_rc 2 "empty joined value is still a value" "$AKB" build "$H/c" -o "$H/j2" --jobs=
has "$TMP/err" "-j takes a number of threads from 1 to 256, not ''" "an empty -j is refused"

# csp: true, false or a one-line policy (README "Escaping and Content-Security-Policy").
printf 'csp: [a, b]\n' >"$H/csp-list.yaml"
expect_rc 1 "csp as a list" "$AKB" build "$H/c" -o "$H/csp" -c "$H/csp-list.yaml"
has "$TMP/err" "csp-list.yaml:1:6: error: 'csp' must be true, false or a policy" "csp's type error"
printf 'csp: |\n  default-src x\n  img-src y\n' >"$H/csp-lines.yaml"
expect_rc 1 "csp over two lines" "$AKB" build "$H/c" -o "$H/csp" -c "$H/csp-lines.yaml"
has "$TMP/err" "csp-lines.yaml:1:6: error: invalid csp: a policy is one line" "a policy is one line"
check "no site after a config error" [ ! -e "$H/csp" ]

finish cli
