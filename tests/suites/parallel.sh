#!/bin/sh
# Parallel builds (-j): the agent pages rendered on several threads give
# the same site, messages and report, byte for byte, as one thread, on the
# sample, the format corpus and every collection of ../shared/corpora; page
# hooks (one Lua state) keep their order; -j takes 1 to 256.
. tests/lib/common.sh
export SOURCE_DATE_EPOCH=0 # skill archives carry a time: the same one in every build

# same_build NAME CONTENT ARGS...: -j 1 against -j 2 and -j 4
same_build() {
	name=$1; content=$2; shift 2
	for j in 1 2 4; do
		"$AKB" build "$content" -o "$TMP/$name-$j" -j $j --report "$TMP/$name-$j.json" "$@" 2>"$TMP/$name-$j.err"
		echo $? >"$TMP/$name-$j.rc"
		# The report names its output folder and the time taken: all else must match.
		grep -v '"output"\|"elapsed_ms"' "$TMP/$name-$j.json" >"$TMP/$name-$j.report" 2>/dev/null
		sed 's/ in [0-9]* ms$//' "$TMP/$name-$j.err" >"$TMP/$name-$j.msgs"
	done
	for j in 2 4; do
		check "$name: -j $j writes the site of -j 1" diff -r "$TMP/$name-1" "$TMP/$name-$j"
		check "$name: -j $j prints the messages of -j 1" cmp -s "$TMP/$name-1.msgs" "$TMP/$name-$j.msgs"
		check "$name: -j $j reports as -j 1" cmp -s "$TMP/$name-1.report" "$TMP/$name-$j.report"
		check "$name: -j $j exits as -j 1" cmp -s "$TMP/$name-1.rc" "$TMP/$name-$j.rc"
	done
	rm -rf "$TMP/$name"-[124]
}

same_build content content
same_build formats tests/fixtures/formats/corpus
same_build strict content --strict --title Strict
same_build hooks content --hook scripts/hooks/reading-time.lua --hook scripts/hooks/tools-matrix.lua
if [ -d "$SHARED/corpora" ]; then
	for dir in "$SHARED"/corpora/*/; do
		same_build "$(basename "$dir")" "$dir"
	done
else
	fail "no $SHARED/corpora"
fi

# Races show now and then, not every time: build the collection richest in autolinks and tables
# (cmark-gfm's extensions toggle one table shared by every parser) a few more times.
AA="$SHARED/corpora/agency-agents"
if [ -d "$AA" ]; then
	"$AKB" build "$AA" -o "$TMP/aa-1" -j 1 -q 2>/dev/null
	for i in 1 2 3 4 5; do
		"$AKB" build "$AA" -o "$TMP/aa-4" -j 4 -q 2>/dev/null
		check "agency-agents: -j 4, run $i, writes the site of -j 1" diff -rq "$TMP/aa-1" "$TMP/aa-4"
		rm -rf "$TMP/aa-4"
	done
fi

# Page hooks share one Lua state: they still see the pages in the order one thread gives them.
cat >"$TMP/count.lua" <<'EOF'
local n = 0
return { page = function(page, html)
	n = n + 1
	return (html:gsub("</body>", "<!-- page " .. n .. " -->\n</body>"))
end }
EOF
same_build page-hooks content --hook "$TMP/count.lua"

expect_rc 2 "-j 0 is bad usage" "$AKB" build content -o "$TMP/bad" -j 0
has "$TMP/err" "-j takes a number of threads from 1 to 256" "-j 0 message"
expect_rc 2 "-j x is bad usage" "$AKB" build content -o "$TMP/bad" --jobs x
check "bad -j writes nothing" test ! -e "$TMP/bad"

finish parallel
