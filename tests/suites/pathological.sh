#!/bin/sh
# Resources (README "Security", limits): inputs built to cost time or memory
# each finish with a clear message, in bounded time and memory. The bounds are
# generous (a hang or a blow-up fails, a slow machine does not): every build
# runs under `timeout` and reports its peak memory with --stats. The figures
# themselves are in `make bench` (scripts/bench-hostile.sh).
. tests/lib/common.sh

H="$TMP/hostile"
mkdir -p "$H"
PEAK_MB=1500
TIME_S=120

# build CASE [ARGS...]: builds $H/CASE into $H/CASE.out; stderr in $TMP/err; checks time and memory.
build() {
	case_name=$1; shift
	expect_rc 0 "$case_name builds" timeout $TIME_S "$AKB" build "$H/$case_name" -o "$H/$case_name.out" --stats -j 2 "$@"
	peak=$(sed -n 's/.*peak memory \([0-9]*\).*/\1/p' "$TMP/err")
	check "$case_name: peak memory ${peak:-?} MB under $PEAK_MB MB" [ -n "$peak" ] && [ "$peak" -lt $PEAK_MB ]
}
# front FILE NAME: a front-matter block for FILE, the body is appended by the caller.
front() { printf -- '---\nname: %s\ndescription: "A pathological input. Use when testing limits."\n---\n' "$2" >"$1"; }
rep() { # rep N TEXT: TEXT N times
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# Markdown: cmark's pathological cases, and 100,000 equal headings (unique ids in linear time:
# 10,000 took 5.5 s when each new id tried h-2, h-3 ... again).
mkdir -p "$H/md"
md() { f="$H/md/$1.md"; front "$f" "$1"; shift; cat >>"$f"; }
rep 100000 '# h
' | md headings
rep 30000 '*a **a ' | md nested-emphasis
rep 30000 '[' | md open-brackets
{ rep 30000 '['; echo a; rep 30000 ']'; } | md nested-brackets
rep 30000 '>' | md nested-quotes
rep 30000 '- ' | md nested-lists
rep 30000 'a_' | md underscores
rep 30000 '`a`` ' | md backticks
rep 30000 '[a](<b' | md unclosed-links
rep 30000 '[x]: /y
' | md reference-definitions
rep 30000 '<!--' | md open-comments
{ rep 5000 '| a '; echo '|'; rep 5000 '| - '; echo '|'; rep 200 "$(rep 100 '| x '; echo '|')
"; } | md wide-table
build md
h=$H/md.out/agents/headings/index.html
check "100,000 equal headings: ids h to h-100000" grep -q 'id="h-100000"' "$h"
check "100,000 equal headings: all ids unique" [ "$(grep -o 'id="h[-0-9]*"' "$h" | sort | uniq -d | wc -l)" -eq 0 ]
check "100,000 equal headings: 100,000 ids" [ "$(grep -o 'id="h[-0-9]*"' "$h" | wc -l)" -eq 100000 ]

# Front-matter: an alias bomb, 200,000- and 300,000-deep nesting (libyaml's scanner is quadratic
# in it: 100,000 took 27 and 53 s before the depth was checked first), a million lines of keys.
mkdir -p "$H/yaml"
{
	printf -- '---\nname: bomb\ndescription: "A billion laughs. Use when testing limits."\n'
	printf 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
	prev=a
	for k in b c d e f g h i; do
		printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $k $k $prev $prev $prev $prev $prev $prev $prev $prev $prev
		prev=$k
	done
	printf -- '---\nBody.\n'
} >"$H/yaml/bomb.md"
{ printf -- '---\nname: deep-list\ndescription: "Deep. Use when testing limits."\nx: '; rep 300000 '['; rep 300000 ']'; printf -- '\n---\nBody.\n'; } >"$H/yaml/deep-list.md"
{ printf -- '---\nname: deep-map\ndescription: "Deep. Use when testing limits."\nx: '; rep 200000 '{a: '; rep 200000 '}'; printf -- '\n---\nBody.\n'; } >"$H/yaml/deep-map.md"
{ printf -- '---\nname: deep-block\ndescription: "Deep. Use when testing limits."\n'
  awk 'BEGIN { for (i = 0; i < 1000; i++) { for (j = 0; j < i; j++) printf " "; printf "k%d:\n", i } }'; printf -- '---\nBody.\n'; } >"$H/yaml/deep-block.md"
{ printf -- '---\nname: million\ndescription: "Keys. Use when testing limits."\n'; awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "k%d: v\n", i }'; printf -- '---\nBody.\n'; } >"$H/yaml/million.md"
build yaml
has "$TMP/err" "yaml/bomb.md:[0-9]*:[0-9]*: warning: front-matter aliases expand too far; the rest is left empty" "alias bomb"
has "$TMP/err" "yaml/deep-list.md:4:1004: warning: front-matter is not valid YAML (brackets nest deeper than 1000 levels)" "deep list"
has "$TMP/err" "yaml/deep-map.md:4:4004: warning: front-matter is not valid YAML (brackets nest deeper than 1000 levels)" "deep map"
has "$TMP/err" "yaml/deep-block.md:[0-9]*:[0-9]*: warning: front-matter nests deeper than 64 levels" "deep block nesting"
has "$TMP/err" "yaml/million.md:2:1: warning: front-matter is [0-9]* KB, over the limit of 1024 KB (limits.front_matter_kb in agentkb.yaml); ignored" "a million lines of front-matter"
for a in bomb deep-list deep-map deep-block million; do
	check "$a is still a page" [ -f "$H/yaml.out/agents/$a/index.html" ]
done

# A 200 MB file (sparse: no disk is spent) is skipped unread, the others are built; the limits are settings.
mkdir -p "$H/big"
front "$H/big/small.md" small
echo "Body." >>"$H/big/small.md"
truncate -s 200M "$H/big/huge.md"
build big --report "$H/big.json"
has "$TMP/err" "big/huge.md: warning: larger than the limit of 16 MB for an input file (limits.file_mb in agentkb.yaml); skipped" "200 MB file"
expect "the 200 MB file is in the report" "$(json "$H/big.json" '.files | find(.path endswith "/huge.md") | .reason')" "too large"
check "the small file is built" [ -f "$H/big.out/agents/small/index.html" ]
rm "$H/big/huge.md"
{ front "$H/big/two.md" two; rep 40000 'fifty bytes of text to make this file two MB long
'; } >>"$H/big/two.md"
{ printf -- '---\nname: fm\ndescription: "Long. Use when testing limits."\nnotes: "'; rep 3000 'x'; printf '"\n---\nBody.\n'; } >"$H/big/fm.md"
printf 'limits:\n  file_mb: 1\n  front_matter_kb: 2\n' >"$H/limits.yaml"
build big -c "$H/limits.yaml"
has "$TMP/err" "big/two.md: warning: larger than the limit of 1 MB for an input file (limits.file_mb in agentkb.yaml); skipped" "limits.file_mb"
has "$TMP/err" "big/fm.md:2:1: warning: front-matter is 3 KB, over the limit of 2 KB (limits.front_matter_kb in agentkb.yaml); ignored" "limits.front_matter_kb"
printf 'limits:\n  file_mb: 0\n' >"$H/bad.yaml"
expect_rc 1 "limits.file_mb: 0 is refused" "$AKB" build "$H/big" -o "$H/bad.out" -c "$H/bad.yaml"
has "$TMP/err" "bad.yaml:2:12: error: 'limits.file_mb' must be a positive whole number" "the limit's type error"

# The highlighter: a long line built to make regular expressions backtrack, in every
# language of the catalog; each block ends highlighted or as plain text with a warning.
mkdir -p "$H/hl"
line=$(printf 'x = "'; rep 2000 '\\a'; printf ' /* '; rep 2000 "(a'"; rep 2000 '<!-- '; rep 2000 ' 1e1e1e'; echo)
{
	printf -- '---\nname: every-language\ndescription: "Every language. Use when testing limits."\n---\n'
	for def in /usr/share/highlight/langDefs/*.lang; do
		lang=$(basename "$def" .lang)
		printf '```%s\n%s\n```\n\n' "$lang" "$line"
	done
} >"$H/hl/every-language.md"
build hl
check "every language's block is on the page" [ "$(grep -c '<pre' "$H/hl.out/agents/every-language/index.html")" -ge "$(ls /usr/share/highlight/langDefs/*.lang | wc -l)" ]

finish pathological
