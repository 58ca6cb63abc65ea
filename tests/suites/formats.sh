#!/bin/sh
# Every harness's format (include/agentkb/format.h) through the whole
# pipeline, on tests/fixtures/formats/corpus: real files from public repositories
# (wshobson/agents plugins, anthropics/skills, github/awesome-copilot; see
# tests/fixtures/formats/README.md) and a small project with one file per other
# harness. Each file is in the site or the report (check-report.mjs), links
# hold, and each format shows what it is: its kind, its name, where it
# installs, what it may do; skills with their files and archive; plugins with
# their components; marketplaces with their plugins; hooks see agent.kind;
# `agentkb check` counts per rule.
. tests/lib/common.sh
C=tests/fixtures/formats/corpus
S="$TMP/site"
expect_rc 0 "build the format corpus" "$AKB" build "$C" -o "$S" --report "$TMP/report.json"
node tests/js/check-report.mjs "$TMP/report.json" "$C" "$S" || FAILED=$((FAILED + 1))
node tests/js/check-links.mjs "$S" formats || FAILED=$((FAILED + 1))
links_ok "$S"
A="$S/agents.json"
kinds() { json "$A" "select(.kind == \"$1\") | length"; }
expect "sub-agents" "$(kinds subagent)" 7
expect "skills" "$(kinds skill)" 19
expect "slash commands" "$(kinds command)" 6
expect "plugins" "$(kinds plugin)" 3
expect "marketplaces" "$(kinds marketplace)" 1
expect "Copilot agents (*.agent.md and .github/agents/)" "$(kinds copilot-agent)" 9
expect "Cursor rules" "$(kinds cursor-rule)" 2
expect "Cursor agents" "$(kinds cursor-agent)" 1
expect "Codex agents" "$(kinds codex-agent)" 1
expect "AGENTS.md files" "$(kinds agents-md)" 2
expect "Gemini agents" "$(kinds gemini-agent)" 1
expect "opencode agents" "$(kinds opencode-agent)" 1
expect "the report: skill files attached" "$(json "$TMP/report.json" .attached)" 41
expect "the report: nothing skipped" "$(json "$TMP/report.json" .skipped)" 0

# ---- a kind facet, a page per kind, kind badges ----
check "a page per kind" test -f "$S/kinds/skill/index.html" -a -f "$S/kinds/codex-agent/index.html" -a -f "$S/kinds/slash-command/index.html"
has "$S/kinds/index.html" 'href="../kinds/cursor-rule/index.html"' "the kinds index"
has "$S/search/base.js" '"Kind"' "kind is a search facet"
has "$S/index.html" '<span class="badge badge-kind" title="Skill for Claude Code">Skill</span>' "kind badges on cards"
# Gemini's own `kind: local` is a field, not the format.
hasnt "$S/kinds/index.html" 'href="local/' "a kind: field does not make a kind"

# ---- names and install paths by format ----
name_of() { json "$A" "find(.source endswith \"$1\") | .$2"; }
expect "a command is /file-name" "$(name_of commands/git/squash.md name)" "/squash"
expect "a command without front-matter" "$(name_of commands/ship.md name)" "/ship"
expect "a skill is named by its front-matter" "$(name_of skills/mcp-builder/SKILL.md name)" "mcp-builder"
expect "opencode: the file name" "$(name_of .opencode/agents/explainer.md name)" "explainer"
expect "AGENTS.md: by its path" "$(name_of harnesses/AGENTS.md name)" "harnesses/AGENTS.md"
expect "a plugin by its manifest" "$(name_of python-development/.claude-plugin/plugin.json name)" "python-development"
expect "install: skill" "$(name_of skills/mcp-builder/SKILL.md install_path)" ".claude/skills/mcp-builder/SKILL.md"
expect "install: command" "$(name_of commands/git/squash.md install_path)" ".claude/commands/squash.md"
expect "install: Copilot" "$(name_of agents/adr-generator.agent.md install_path)" ".github/agents/adr-generator.agent.md"
expect "install: Cursor rule" "$(name_of .cursor/rules/python.mdc install_path)" ".cursor/rules/python.mdc"
expect "install: Codex" "$(name_of .codex/agents/security-auditor.toml install_path)" ".codex/agents/security-auditor.toml"
expect "install: Gemini" "$(name_of .gemini/agents/log-analyst.md install_path)" ".gemini/agents/log-analyst.md"
expect "install: opencode" "$(name_of .opencode/agents/explainer.md install_path)" ".opencode/agents/explainer.md"
expect "a plugin installs with /plugin, not a file" "$(name_of python-development/.claude-plugin/plugin.json install_path)" "undefined"
expect "raw file: TOML as TOML" "$(name_of .codex/agents/security-auditor.toml raw_url)" "agents/security-auditor/security-auditor.toml"
P="$S/agents/security-auditor/index.html"
has "$P" '<h2 id="install-title">Install for Codex</h2>' "Codex install block"
has "$P" 'id="security-audit"' "a Codex agent's developer_instructions are its body"
has "$P" '<code class="hl language-sh">git <span class="kwc">diff</span>' "... with its code blocks highlighted"
hasnt "$P" '<th scope="row">developer_instructions</th>' "... and not repeated as metadata"
has "$S/agents/python/index.html" 'Instructions for Cursor: read into the context, with no tools of their own.' "a rule has no tools"

# ---- what each may do ----
access() { json "$A" "find(.source endswith \"$1\") | .capabilities.access | join(\"|\")"; }
expect "Cursor readonly" "$(access .cursor/agents/reviewer.md)" "read-only"
expect "Codex read-only sandbox" "$(access .codex/agents/security-auditor.toml)" "read-only"
expect "opencode denies edit and shell" "$(access .opencode/agents/explainer.md)" "web access|starts sub-agents"
expect "Copilot read/search/edit" "$(access .github/agents/docs-writer.md)" "writes files"
expect "Gemini shell tool" "$(access .gemini/agents/log-analyst.md)" "runs shell"
expect "a rule may do nothing" "$(access .cursor/rules/python.mdc)" ""
has "$S/agents/changelog/index.html" 'title="Runs in the main conversation, with its tools and permissions; allowed-tools are pre-approved">session tools</span>' "a skill runs in the session"
has "$S/agents/changelog/index.html" '<div><dt>Pre-approved</dt><dd><code>Read</code> <code>Bash(git log:\*)</code> </dd></div>' "its allowed-tools, pre-approved"
has "$S/agents/release-manager/index.html" '<strong>github</strong>' "MCP tools grouped by server"
has "$S/agents/release-manager/index.html" '<strong>Works with</strong> <a href="../../agents/changelog/index.html">changelog</a>' "skills: is an edge of the graph"
has "$S/agents/changelog/index.html" '<strong>Used by</strong> <a href="../../agents/release-manager/index.html">release-manager</a>' "... shown both ways"

# ---- skills: their files, linked and packed ----
K="$S/agents/mcp-builder"
has "$K/index.html" '<h2 id="files-title">Files of the skill</h2>' "the files of a skill"
has "$K/index.html" '<a href="files/scripts/evaluation.py"><code>scripts/evaluation.py</code></a>' "a file linked"
has "$K/index.html" '<a href="files/reference/mcp_best_practices.md">' "SKILL.md's links to its files resolve"
check "a file copied" cmp -s "$K/files/LICENSE.txt" "$C/anthropics-skills/skills/mcp-builder/LICENSE.txt"
tar -tzf "$K/mcp-builder.tar.gz" | sort >"$TMP/tar"
(cd "$C/anthropics-skills/skills" && find mcp-builder -type f | sort) >"$TMP/disk"
if grep -v '/$' "$TMP/tar" | cmp -s - "$TMP/disk"; then ok; else fail "the archive holds the skill folder"; diff "$TMP/disk" "$TMP/tar" >&2; fi
mkdir -p "$TMP/unpack/.claude/skills" && tar -xzf "$K/mcp-builder.tar.gz" -C "$TMP/unpack/.claude/skills"
check "unpacked where Claude Code reads skills" cmp -s "$TMP/unpack/.claude/skills/mcp-builder/SKILL.md" "$C/anthropics-skills/skills/mcp-builder/SKILL.md"
has "$K/index.html" 'data-archive="agents/mcp-builder/mcp-builder.tar.gz" data-dir=".claude/skills"' "install from the archive"
hasnt "$S/agents/python-code-style/index.html" 'files-title' "a lone SKILL.md has no files list"
# With a base_url the command is written at build time.
expect_rc 0 "build with a base_url" "$AKB" build "$C" -o "$TMP/abs" --base-url https://kb.example.com/team/ -q
has "$TMP/abs/agents/mcp-builder/index.html" "mkdir -p .claude/skills &amp;&amp; curl -fsSL &#39;https://kb.example.com/team/agents/mcp-builder/mcp-builder.tar.gz&#39; | tar -xzf - -C .claude/skills" "the skill's install command"
has "$TMP/abs/agents/harnesses-agents-md/index.html" "curl -fsSL -o AGENTS.md &#39;https://kb.example.com/team/agents/harnesses-agents-md/AGENTS.md&#39;" "AGENTS.md: no folder to make"

# ---- plugins and marketplaces ----
PL="$S/agents/python-development/index.html"
has "$PL" '<h3>Sub-agents (3)</h3>' "a plugin's agents"
has "$PL" '<h3>Slash commands (1)</h3>' "its commands"
has "$PL" '<h3>Skills (15)</h3>' "its skills"
has "$PL" '/plugin install python-development@claude-code-workflows' "installed from its marketplace"
has "$S/agents/python-pro/index.html" '<strong>Part of the plugin</strong> <a href="../../agents/python-development/index.html">python-development</a>' "a component links its plugin"
M="$S/agents/claude-code-workflows/index.html"
expect "a marketplace lists its plugins, linked" "$(sed -n '/plugins-title/,/<\/section>/p' "$M" | grep -c '<li><a href="../../agents/[a-z-]*/index.html">')" 3
expect_rc 0 "check the corpus" "$AKB" check "$C"
has "$TMP/err" "checked 53 agents: 4 findings (0 errors); AKB-AG004 2, AKB-AG010 1, AKB-AG016 1" "findings per rule over the corpus"

# ---- the single-file bundle carries a skill's files (HTML ones too) as files, not pages ----
expect_rc 0 "single-file bundle of the corpus" "$AKB" bundle "$C" -o "$TMP/formats.html" -q
node tests/js/bundle-check.mjs "$TMP/formats.html" "$S" || FAILED=$((FAILED + 1))
hasnt "$TMP/err" "no <main> element" "no skill file taken for a page"

# ---- broken manifests: an error at its line and column; no site is left behind ----
mkdir -p "$TMP/bad/p/.claude-plugin" "$TMP/bad/.codex/agents"
printf '{\n  "name": "p",\n  "description": oops\n}\n' >"$TMP/bad/p/.claude-plugin/plugin.json"
printf 'name = "x"\ndescription = "never closed\n' >"$TMP/bad/.codex/agents/x.toml"
expect_rc 1 "a broken manifest fails the build" "$AKB" build "$TMP/bad" -o "$TMP/bad-out"
has "$TMP/err" "p/.claude-plugin/plugin.json:3:21: error: invalid JSON: invalid token near 'oops'" "JSON error position"
has "$TMP/err" ".codex/agents/x.toml:2:15: error: invalid TOML: a string is not closed on its line" "TOML error position"
check "no half-written site" test ! -e "$TMP/bad-out"
printf 'name = "x"\nname = "y"\n' >"$TMP/bad/.codex/agents/x.toml"
expect_rc 1 "a key twice" "$AKB" build "$TMP/bad" -o "$TMP/bad-out"
has "$TMP/err" "x.toml:2:.*: error: invalid TOML: a key is defined twice" "duplicate TOML key"

# ---- hooks see agent.kind ----
printf 'return { filter = function(agent) return agent.kind == "skill" end }\n' >"$TMP/skills.lua"
expect_rc 0 "a hook keeps the skills" "$AKB" build "$C" -o "$TMP/skills" --hook "$TMP/skills.lua" -q
expect "only skills" "$(json "$TMP/skills/agents.json" 'map(.kind) | unique | join') $(json "$TMP/skills/agents.json" length)" "skill 19"
finish formats
