#!/bin/sh
# Incremental builds (cache.h, output.h): a rebuild over an existing site
# writes only the files whose bytes changed, and the site it leaves is byte
# for byte the one a clean build makes, after edits, deletes, renames, new
# files, theme, hook and config changes, hand edits and stray files in OUT.
# Pages whose inputs did not change are not rendered at all (the page
# cache, page_cache.h), and what a clean build would print for them is
# printed all the same. A corrupt or foreign cache is ignored with a
# warning; a failed build leaves the site and its cache as they were.
. tests/lib/common.sh
export SOURCE_DATE_EPOCH=0 # skill archives carry a time: the same one in every build

C="$TMP/content"
cp -r content "$C"
SITE="$TMP/inc/site"
CACHE="$TMP/inc/.agentkb-cache/site.manifest"
PAGES="$TMP/inc/.agentkb-cache/site.pages"
LOADS="$TMP/inc/.agentkb-cache/site.loads"

# rebuild DESCRIPTION ARGS...: an incremental build of $C into $SITE and a clean one
# into a new folder; both must exit alike, print the same messages and write the same site.
# Sets WRITTEN and TOTAL (files written by the incremental build, files in the site).
rebuild() {
	desc=$1; shift
	"$AKB" build "$C" -o "$SITE" --stats "$@" 2>"$TMP/inc.err"
	inc_rc=$?
	rm -rf "$TMP/clean"
	"$AKB" build "$C" -o "$TMP/clean/site" --stats "$@" 2>"$TMP/clean.err"
	expect "$desc: exits as a clean build" "$inc_rc" "$?"
	check "$desc: the site is the clean build's" diff -r "$SITE" "$TMP/clean/site"
	grep -v '^stats:\|^stages:' "$TMP/inc.err" | sed 's/ in [0-9]* ms$//' >"$TMP/inc.msgs"
	grep -v '^stats:\|^stages:' "$TMP/clean.err" | sed 's/ in [0-9]* ms$//' >"$TMP/clean.msgs"
	check "$desc: prints the clean build's messages" cmp -s "$TMP/inc.msgs" "$TMP/clean.msgs"
	WRITTEN=$(sed -n 's/.* \([0-9]*\) of [0-9]* files written.*/\1/p' "$TMP/inc.err")
	TOTAL=$(sed -n 's/.* [0-9]* of \([0-9]*\) files written.*/\1/p' "$TMP/inc.err")
	RENDERED=$(sed -n 's/.*(\([0-9]*\) of [0-9]* pages rendered.*/\1/p' "$TMP/inc.err")
	NPAGES=$(sed -n 's/.*([0-9]* of \([0-9]*\) pages rendered.*/\1/p' "$TMP/inc.err")
	AGENT_PAGES=$(sed -n 's/.* pages rendered, \([0-9]*\) of [0-9]* agent pages).*/\1/p' "$TMP/inc.err")
	AGENTS=$(sed -n 's/.* pages rendered, [0-9]* of \([0-9]*\) agent pages).*/\1/p' "$TMP/inc.err")
	READ=$(sed -n 's/.*load [0-9]* ms (\([0-9]*\) of [0-9]* files read).*/\1/p' "$TMP/inc.err")
	LOADABLE=$(sed -n 's/.*load [0-9]* ms ([0-9]* of \([0-9]*\) files read).*/\1/p' "$TMP/inc.err")
}
stamp() { stat -c '%i %Y.%y' "$1"; } # inode and mtime: unchanged when the file was not written again

"$AKB" build "$C" -o "$SITE" --stats 2>"$TMP/first.err"
check "the first build succeeds" test -f "$SITE/index.html"
check "the first build writes the cache beside OUT" test -f "$CACHE"
has "$TMP/first.err" "files written$" "the first build is a full one"
check "the cache is not in the site" test ! -e "$SITE/.agentkb-cache"

check "the first build writes the page cache beside OUT" test -s "$PAGES"
# A page that warns (its body links to a file the site does not have): kept, it warns all the same;
# so does a file whose loading warns (no name), loaded from the load cache.
printf -- '---\nname: warns-on-render\ndescription: Links to a file that is not there.\n---\nSee [the plan](no-such-plan.md).\n' >"$C/warns-on-render.md"
printf -- '---\ndescription: Has no name.\n---\n# Nameless\n\nBody.\n' >"$C/warns-on-load.md"
rebuild "a page that warns"
check "a rebuild writes the load cache beside OUT (the first had no folder for it)" test -s "$LOADS"
rebuild "no change"
has "$TMP/inc.err" "warns-on-render.md:5:.*warning: link 'no-such-plan.md' points at nothing" "no change: a kept page's warning is printed"
has "$TMP/inc.err" "warns-on-load.md:1:1: warning: front-matter has no 'name'" "no change: a cached file's load warning is printed"
expect "no change: no file read" "$READ" 0
check "no change: every file loadable" [ "$LOADABLE" -gt 10 ]
touch -d '2001-01-01 00:00:00' "$C/warns-on-load.md"
rebuild "a file touched"
expect "a file touched: it alone is read" "$READ" 1
expect "a file touched: no page rendered" "$RENDERED" 0
has "$TMP/inc.err" "terms, kept)" "a file touched: the search index is kept as it was"
rm "$C/warns-on-load.md"
expect "no change: no page rendered" "$RENDERED" 0
check "no change: the site has agents" [ "$AGENTS" -gt 10 ]
check "no change: and other pages" [ "$NPAGES" -gt "$AGENTS" ]
rm "$C/warns-on-render.md"
rebuild "a page that warns, removed"
rebuild "no change, again"
expect "no change: nothing written" "$WRITTEN" 0
has "$TMP/inc.err" "(incremental)" "no change: the build says it is incremental"
has "$TMP/inc.err" "search index [0-9.]* MB ([0-9]* terms, kept)" "no change: the search index is kept as it was"
check "no change: the site has all its files" [ "$TOTAL" -gt 90 ]

AGENT=$(cd "$C" && find . -name '*.md' | sort | sed -n 3p | sed 's|^\./||')
SLUG=$(basename "$AGENT" .md)
OTHER=$(cd "$SITE/agents" && ls | grep -v "^$SLUG\$" | tail -1)
before_other=$(stamp "$SITE/agents/$OTHER/$OTHER.md")
before_page=$(stamp "$SITE/agents/$SLUG/index.html")
printf '\nOne more paragraph about incremental builds.\n' >>"$C/$AGENT"
rebuild "body edit"
check "body edit: some files written" [ "$WRITTEN" -gt 0 ]
check "body edit: far fewer than all" [ "$WRITTEN" -lt $((TOTAL / 2)) ]
expect "body edit: one agent page rendered" "$AGENT_PAGES" 1
expect "body edit: one file read" "$READ" 1
check "body edit: and the pages that list it, not all" [ "$RENDERED" -gt 1 ] && [ "$RENDERED" -lt $((NPAGES / 4)) ]
has "$SITE/agents/$SLUG/index.html" "about incremental builds" "body edit: the page shows the change"
check "body edit: the edited page was written" [ "$(stamp "$SITE/agents/$SLUG/index.html")" != "$before_page" ]
expect "body edit: another agent's file kept its inode and time" "$(stamp "$SITE/agents/$OTHER/$OTHER.md")" "$before_other"
hasnt "$TMP/inc.err" "terms, kept)" "body edit: the search index is made again"
has "$TMP/inc.err" "terms, patched)" "body edit: by patching the last build's postings"
has "$SITE/search/base.js" '"n":' "body edit: the search index is there"

sed -i 's/^department: .*/department: incremental-dept/' "$C/$AGENT"
rebuild "department change"
check "department change: the new term page" test -f "$SITE/departments/incremental-dept/index.html"

rm "$C/$AGENT"
rebuild "delete"
check "delete: the agent's folder is gone" test ! -e "$SITE/agents/$SLUG"
check "delete: so is its department page" test ! -e "$SITE/departments/incremental-dept"

RENAMED=$(cd "$C" && find . -name '*.md' | sort | sed -n 5p | sed 's|^\./||')
RSLUG=$(basename "$RENAMED" .md)
mv "$C/$RENAMED" "$(dirname "$C/$RENAMED")/renamed-for-the-test.md"
sed -i "s/^name: $RSLUG\$/name: renamed-for-the-test/" "$(dirname "$C/$RENAMED")/renamed-for-the-test.md"
rebuild "rename"
check "rename: the new page" test -f "$SITE/agents/renamed-for-the-test/index.html"
check "rename: the old page is gone" test ! -e "$SITE/agents/$RSLUG"

cat >"$C/brand-new-agent.md" <<'AGENT'
---
name: brand-new-agent
description: An agent added between two builds, to see it appear in every list that should have it.
tools: Read, Grep
department: engineering
---
It reads. See also `renamed-for-the-test`.
AGENT
rebuild "new file"
check "new file: its page" test -f "$SITE/agents/brand-new-agent/index.html"
has "$SITE/index.html" "brand-new-agent" "new file: the home page lists it"

cp -r themes/default "$TMP/theme"
rebuild "own theme" --theme "$TMP/theme"
sed -i 's|</footer>|<p class="incremental-test">theme edit</p></footer>|' "$TMP/theme/templates/base.mustache"
rebuild "template edit" --theme "$TMP/theme"
has "$SITE/index.html" "incremental-test" "template edit: pages show it"
expect "template edit: every page written again" "$([ "$WRITTEN" -gt 60 ] && echo yes)" yes
expect "template edit: every page rendered" "$RENDERED" "$NPAGES"
has "$TMP/inc.err" "terms, kept)" "template edit: the search index, whose documents did not change, is kept"
echo '.incremental-test { color: red }' >>"$TMP/theme/static/style.css"
rebuild "static file edit" --theme "$TMP/theme"
has "$SITE/assets/style.css" "incremental-test" "static file edit: the new stylesheet"

cat >"$TMP/hook.lua" <<'LUA'
return { agent = function(a) a.description = a.description .. " (hooked one)"; return a end }
LUA
rebuild "hook added" --hook "$TMP/hook.lua"
has "$SITE/agents.json" "hooked one" "hook added: its change is in"
sed -i 's/hooked one/hooked two/' "$TMP/hook.lua"
rebuild "hook edit" --hook "$TMP/hook.lua"
has "$SITE/agents.json" "hooked two" "hook edit: the new text"
hasnt "$SITE/agents.json" "hooked one" "hook edit: the old text is gone"
cat >"$TMP/body-hook.lua" <<'LUA'
return { agent = function(a) a.body = a.body .. "\n\nBody hooked one.\n"; return a end }
LUA
rebuild "body hook added" --hook "$TMP/body-hook.lua"
has "$SITE/agents/brand-new-agent/index.html" "Body hooked one" "body hook added: the page has the hook's body"
sed -i 's/Body hooked one/Body hooked two/' "$TMP/body-hook.lua"
rebuild "body hook edit" --hook "$TMP/body-hook.lua"
has "$SITE/agents/brand-new-agent/index.html" "Body hooked two" "body hook edit: the page has the new body"
hasnt "$SITE/agents/brand-new-agent/index.html" "Body hooked one" "body hook edit: not the old one"
rebuild "hook removed"
hasnt "$SITE/agents.json" "hooked two" "hook removed: its change is gone"
expect "hook removed: every agent page rendered" "$AGENT_PAGES" "$AGENTS"
rebuild "config change" --title "Incremental Title"
has "$SITE/index.html" "Incremental Title" "config change: the new title"
expect "config change: every page rendered" "$RENDERED" "$NPAGES"
rebuild "a page hook" --title "Incremental Title" --hook tests/fixtures/hooks/page.lua
expect "a page hook: every page rendered" "$RENDERED" "$NPAGES"
rebuild "a page hook, again" --title "Incremental Title" --hook tests/fixtures/hooks/page.lua
expect "a page hook, again: every page rendered" "$RENDERED" "$NPAGES"
rebuild "page hook removed" --title "Incremental Title"
expect "page hook removed: every page rendered" "$RENDERED" "$NPAGES"

# OUT touched by hand: the cache trusts a file only while it has the recorded stat.
echo "hand edit" >>"$SITE/index.html"
echo stray >"$SITE/stray.txt"
mkdir -p "$SITE/stray-folder/deeper"
echo stray >"$SITE/stray-folder/deeper/file.txt"
rm "$SITE/agents/brand-new-agent/index.html"
rebuild "hand edits in OUT" --title "Incremental Title"
check "hand edits in OUT: stray files removed" test ! -e "$SITE/stray.txt"
check "hand edits in OUT: stray folders removed" test ! -e "$SITE/stray-folder"
expect "hand edits in OUT: the two files written again" "$WRITTEN" 2
# A search file edited by hand: the index is made again and only that file written.
echo "hand edit" >>"$SITE/search/base.js"
rebuild "a search file edited by hand" --title "Incremental Title"
hasnt "$TMP/inc.err" "terms, kept)" "a search file edited by hand: the search index is made again"
expect "a search file edited by hand: it alone is written again" "$WRITTEN" 1
rm "$SITE/search/d0.js"
rebuild "a search file removed by hand" --title "Incremental Title"
expect "a search file removed by hand: it alone is written again" "$WRITTEN" 1
rebuild "no change after the search index was made again" --title "Incremental Title"
has "$TMP/inc.err" "terms, kept)" "no change after the search index was made again: kept"

# A corrupt, truncated or foreign cache is never trusted.
for how in truncated foreign garbage; do
	case $how in
	truncated) head -c 300 "$CACHE" >"$TMP/m" ;;
	foreign) sed '1s/.*/agentkb-cache 999 9.9.9/' "$CACHE" >"$TMP/m" ;;
	garbage) sed '2s/^[0-9a-f]*/zz/' "$CACHE" >"$TMP/m" ;;
	esac
	cp "$TMP/m" "$CACHE"
	echo "hand edit" >>"$SITE/404.html" # a stale file only a full build would fix if the cache were trusted
	"$AKB" build "$C" -o "$SITE" --stats 2>"$TMP/err"
	check "$how cache: the build succeeds" [ $? -eq 0 ]
	has "$TMP/err" "site.manifest:[0-9]*: warning: ignoring the build cache" "$how cache: a warning with the file"
	has "$TMP/err" "files written$" "$how cache: a full build"
	rm -rf "$TMP/clean"
	"$AKB" build "$C" -o "$TMP/clean/site" -q 2>/dev/null
	check "$how cache: the site is the clean build's" diff -r "$SITE" "$TMP/clean/site"
done

# Nor is a damaged snapshot of the search index (search.h): it is warned about and every
# document is added; a missing one is not worth a word; the index is the clean build's.
SNAP="$TMP/inc/.agentkb-cache/site.index"
# (page hooks made the last indexes without one: an edit makes the index, and the snapshot, again)
printf '\nA paragraph before the snapshot checks.\n' >>"$C/$AGENT"
rebuild "before the snapshot checks" --title "Incremental Title"
hasnt "$TMP/inc.err" "terms, patched)" "before the snapshot checks: a snapshot of another site shape (20 agents, now 21) is not patched"
check "the snapshot is kept beside the page cache" test -s "$SNAP"
for how in flipped truncated missing; do
	size=$(stat -c %s "$SNAP")
	case $how in
	flipped) printf 'X' | dd of="$SNAP" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null ;;
	truncated) head -c $((size - 3)) "$SNAP" >"$TMP/s" && cp "$TMP/s" "$SNAP" ;;
	missing) rm "$SNAP" ;;
	esac
	printf '\nA paragraph about the %s snapshot.\n' $how >>"$C/$AGENT"
	"$AKB" build "$C" -o "$SITE" --stats --title "Incremental Title" 2>"$TMP/err"
	check "$how snapshot: the build succeeds" [ $? -eq 0 ]
	if [ $how = missing ]; then
		hasnt "$TMP/err" "snapshot" "missing snapshot: no warning"
	else
		has "$TMP/err" "site.index: warning: ignoring the search index's snapshot (damaged); adding every document" \
			"$how snapshot: a warning with the file"
	fi
	hasnt "$TMP/err" "terms, patched)" "$how snapshot: not patched"
	rm -rf "$TMP/clean"
	"$AKB" build "$C" -o "$TMP/clean/site" -q --title "Incremental Title" 2>/dev/null
	check "$how snapshot: the site is the clean build's" diff -r "$SITE" "$TMP/clean/site"
	check "$how snapshot: a whole one is written again" test -s "$SNAP"
done
printf '\nThe snapshot is whole again.\n' >>"$C/$AGENT"
rebuild "after the snapshot checks" --title "Incremental Title"
has "$TMP/inc.err" "terms, patched)" "after the snapshot checks: patched again"
# Several files edited at once, words added and gone: patched, and the clean build's index.
for f in $(ls "$C"/*/*.md | head -4); do printf '\nsnapshotword%s unique to one file.\n' "$(basename "$f" .md)" >>"$f"; done
rebuild "four files edited" --title "Incremental Title"
has "$TMP/inc.err" "terms, patched)" "four files edited: patched"
for f in $(ls "$C"/*/*.md | head -4); do sed -i '$d' "$f"; done
rebuild "their new words gone again" --title "Incremental Title"
has "$TMP/inc.err" "terms, patched)" "their new words gone again: patched"
hasnt "$SITE/search/base.js" "snapshotword" "their new words gone again: not in the index"

# Nor is a corrupt load cache.
head -c 100 "$LOADS" >"$TMP/l"
cp "$TMP/l" "$LOADS"
"$AKB" build "$C" -o "$SITE" --stats --title "Incremental Title" 2>"$TMP/err"
check "truncated load cache: the build succeeds" [ $? -eq 0 ]
has "$TMP/err" "site.loads: warning: ignoring the load cache (truncated); loading every file" "truncated load cache: a warning"
has "$TMP/err" "load [0-9]* ms ($LOADABLE of $LOADABLE files read)" "truncated load cache: every file read"
rebuild "after a truncated load cache" --title "Incremental Title"
expect "after a truncated load cache: no file read" "$READ" 0

# Nor is a corrupt or foreign page cache; a record that does not match its digest is a page to render.
rebuild "before the page cache checks" --title "Incremental Title"
for how in truncated foreign index record; do
	size=$(stat -c %s "$PAGES")
	case $how in
	truncated) head -c $((size / 2)) "$PAGES" >"$TMP/p" ;;
	foreign) sed '1s/^agentkb-pages 1 [^ ]*$/agentkb-pages 1 9.9.9/' "$PAGES" >"$TMP/p" ;;
	index) cp "$PAGES" "$TMP/p"; printf 'X' | dd of="$TMP/p" bs=1 seek=$((size - 40)) conv=notrunc 2>/dev/null ;;
	record) cp "$PAGES" "$TMP/p"; printf 'X' | dd of="$TMP/p" bs=1 seek=200 conv=notrunc 2>/dev/null ;;
	esac
	check "$how page cache: damaged for the test" sh -c '! cmp -s "$1" "$2"' - "$TMP/p" "$PAGES"
	cp "$TMP/p" "$PAGES"
	"$AKB" build "$C" -o "$SITE" --stats --title "Incremental Title" 2>"$TMP/err"
	check "$how page cache: the build succeeds" [ $? -eq 0 ]
	rendered=$(sed -n 's/.*(\([0-9]*\) of [0-9]* pages rendered.*/\1/p' "$TMP/err")
	if [ $how = record ]; then
		hasnt "$TMP/err" "warning: ignoring" "record page cache: no warning"
		expect "record page cache: only the damaged record's page rendered" "$rendered" 1
	else
		has "$TMP/err" "site.pages: warning: ignoring the page cache" "$how page cache: a warning with the file"
		expect "$how page cache: every page rendered" "$rendered" "$NPAGES"
	fi
	rm -rf "$TMP/clean"
	"$AKB" build "$C" -o "$TMP/clean/site" -q --title "Incremental Title" 2>/dev/null
	check "$how page cache: the site is the clean build's" diff -r "$SITE" "$TMP/clean/site"
done

# A failed build leaves the site and its cache as they were.
cp -r "$SITE" "$TMP/before"
cp "$CACHE" "$TMP/cache-before"
printf -- '---\nname: [unclosed\n---\nbody\n' >"$C/broken.md"
printf '\nA change the failed build must not publish.\n' >>"$C/brand-new-agent.md"
"$AKB" build "$C" -o "$SITE" --strict -q 2>"$TMP/err"
check "failed build: exits 1" [ $? -eq 1 ]
check "failed build: the site is untouched" diff -r "$TMP/before" "$SITE"
check "failed build: the cache is untouched" cmp -s "$TMP/cache-before" "$CACHE"
check "failed build: no staging folder left" [ -z "$(ls -A "$TMP/inc" | grep '\.tmp-')" ]
rm "$C/broken.md"
rebuild "after a failed build"
has "$SITE/agents/brand-new-agent/index.html" "must not publish" "after a failed build: the change is in"

"$AKB" build "$C" -o "$SITE" --clean --stats 2>"$TMP/err"
has "$TMP/err" " $TOTAL of $TOTAL files written$" "--clean writes every file"
has "$TMP/err" "load [0-9]* ms ($LOADABLE of $LOADABLE files read)" "--clean reads every file"
rebuild "after --clean"
expect "after --clean: the fresh cache is used" "$WRITTEN" 0

# Parallel incremental builds write the same as one thread.
printf '\nParallel edit.\n' >>"$C/brand-new-agent.md"
rebuild "-j 1 incremental" -j 1
rebuild "-j 2 incremental" -j 2

# Skills: their files and archives (written straight into the staging folder) are cached too.
F="$TMP/formats"
"$AKB" build tests/fixtures/formats/corpus -o "$F/site" -q 2>/dev/null
"$AKB" build tests/fixtures/formats/corpus -o "$F/site" --stats 2>"$TMP/err"
check "format corpus: a rebuild succeeds" [ $? -eq 0 ]
hasnt "$TMP/err" "error:" "format corpus: a rebuild reports no error (a skill's archive goes into a folder it makes)"
has "$TMP/err" " 0 of [0-9]* files written (incremental)" "format corpus: a rebuild writes nothing"
check "format corpus: archives kept" test -n "$(find "$F/site" -name '*.tar.gz' | head -1)"
"$AKB" build tests/fixtures/formats/corpus -o "$F/clean" -q 2>/dev/null
check "format corpus: the site is the clean build's" diff -r "$F/site" "$F/clean"

# The search index's shards end where their terms say, and are named by their first term:
# a new word early in the alphabet changes the shards it lands in, not every shard after it.
G="$TMP/gen"
sh scripts/gen-corpus.sh 400 "$G/content" >/dev/null
"$AKB" build "$G/content" -o "$G/site" -q 2>/dev/null
cp -r "$G/site/search" "$G/search-before"
shards=$(ls "$G/site/search" | grep -c '^t.*\.js$')
check "generated 400: the index has many shards ($shards)" [ "$shards" -ge 20 ]
f=$(ls "$G/content/data/"*.md | sed -n 3p)
sed -i '0,/ cache /s// aardvarkian /' "$f"
"$AKB" build "$G/content" -o "$G/site" -q 2>/dev/null
changed=0
for x in "$G/site/search/"t*.js; do cmp -s "$x" "$G/search-before/$(basename "$x")" || changed=$((changed + 1)); done
check "a new word rewrites few shards ($changed of $shards)" [ "$changed" -ge 1 -a "$changed" -le 3 ]
has "$G/site/search/base.js" '"ids":"' "base.js names the shards"
"$AKB" build "$G/content" -o "$G/clean" -q 2>/dev/null
check "generated 400: the incremental site is the clean build's" diff -r "$G/site" "$G/clean"

# A bundle builds in a folder of its own: no cache anywhere.
# Strays among many agent folders (their subfolders are pruned on several threads): files, a
# folder, and a link whose target outside OUT must survive; the site is the clean build's.
M="$TMP/many"
sh scripts/gen-corpus.sh 80 "$M/c" >/dev/null
"$AKB" build "$M/c" -o "$M/site" -q 2>/dev/null
first=$(ls "$M/site/agents" | head -1)
last=$(ls "$M/site/agents" | tail -1)
echo stray >"$M/site/agents/$first/stray.txt"
mkdir -p "$M/site/agents/no-such-agent/deeper"
echo stray >"$M/site/agents/no-such-agent/deeper/file.txt"
echo keep >"$M/target.txt"
ln -s "$M/target.txt" "$M/site/agents/$last/link.txt"
ln -s "$M/c" "$M/site/agents/linked-folder"
expect_rc 0 "strays among many agent folders: rebuild" "$AKB" build "$M/c" -o "$M/site" -q
"$AKB" build "$M/c" -o "$M/clean" -q 2>/dev/null
check "strays among many agent folders: the site is the clean build's" diff -r "$M/site" "$M/clean"
check "strays among many agent folders: the link removed, not followed" test ! -e "$M/site/agents/$last/link.txt"
check "strays among many agent folders: its target kept" test -f "$M/target.txt"
check "strays among many agent folders: a linked folder removed, its content kept" \
	sh -c "test ! -e '$M/site/agents/linked-folder' && test \"\$(ls '$M/c' | wc -l)\" -gt 0"

mkdir "$TMP/b"
"$AKB" bundle content -o "$TMP/b/site.html" -q 2>/dev/null
check "bundle: no cache beside it" test ! -e "$TMP/b/.agentkb-cache"

finish incremental
