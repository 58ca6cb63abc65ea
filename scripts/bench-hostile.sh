#!/bin/sh
# What hostile inputs cost (README "Security", limits): wall time and peak
# memory of a build of each, for the figures tests/suites/pathological.sh
# only bounds. 100,000 tiny files, 100,000 equal headings, 300,000-deep
# brackets, a million lines of front-matter, a 200 MB file (skipped unread),
# a 15 MB file (just under the limit) and a backtracking line in every language.
# usage: scripts/bench-hostile.sh BUILD_DIR   (BENCH_DIR=... to keep the inputs)
set -e
BUILD=${1:-build}
AKB=$PWD/$BUILD/agentkb
DIR=${BENCH_DIR:-$(mktemp -d)}/hostile
mkdir -p "$DIR"
trap '[ -z "$BENCH_DIR" ] && rm -rf "$(dirname "$DIR")"' EXIT

now_ms() { date +%s%3N; }
rep() { awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }
front() { printf -- '---\nname: %s\ndescription: "A hostile input. Use when measuring limits."\n---\n' "$1"; }
measure() { # measure LABEL FOLDER
	start=$(now_ms)
	"$AKB" build "$2" -o "$DIR/out" --clean -q --stats 2>"$DIR/stats" || { cat "$DIR/stats"; exit 1; }
	wall=$(($(now_ms) - start))
	peak=$(sed -n 's/.*peak memory \([0-9.]*\) MB.*/\1/p' "$DIR/stats")
	printf '  %-34s %7d ms  %7s MB peak\n' "$1" "$wall" "$peak"
	rm -rf "$DIR/out" "$DIR/.agentkb-cache"
}

echo "hostile inputs (scripts/bench-hostile.sh; limits: file_mb 16, front_matter_kb 1024):"
mkdir -p "$DIR/tiny"
awk -v d="$DIR/tiny" 'BEGIN {
	for (i = 0; i < 100000; i++) {
		f = sprintf("%s/g%03d/a%06d.md", d, i % 500, i)
		if (i < 500) system("mkdir -p " d sprintf("/g%03d", i))
		printf "---\nname: a%06d\ndescription: Tiny %d. Use when counting files.\n---\nHi.\n", i, i > f
		close(f)
	}
}'
measure "100,000 tiny files" "$DIR/tiny"
rm -rf "$DIR/tiny"
one() { # one LABEL: the file is read from stdin
	rm -rf "$DIR/one"; mkdir -p "$DIR/one"
	cat >"$DIR/one/a.md"
	measure "$1" "$DIR/one"
}
{ front headings; rep 100000 '# h
'; } | one "100,000 equal headings"
{ printf -- '---\nname: deep\nx: '; rep 300000 '['; rep 300000 ']'; printf -- '\n---\nBody.\n'; } | one "300,000-deep brackets"
{ printf -- '---\nname: keys\ndescription: d\n'; awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "k%d: v\n", i }'; printf -- '---\nBody.\n'; } | one "a million lines of front-matter"
rm -rf "$DIR/one"; mkdir -p "$DIR/one"; truncate -s 200M "$DIR/one/a.md"
measure "a 200 MB file" "$DIR/one"
{ front big; rep 300000 'Fifty bytes of prose, with `code` and *emphasis*.
'; } | one "a 15 MB file"
line=$(printf 'x = "'; rep 2000 '\\a'; printf ' /* '; rep 2000 "(a'"; rep 2000 '<!-- '; rep 2000 ' 1e1e1e'; echo)
{ front langs; for def in /usr/share/highlight/langDefs/*.lang; do printf '```%s\n%s\n```\n\n' "$(basename "$def" .lang)" "$line"; done; } |
	one "a backtracking line x $(ls /usr/share/highlight/langDefs/*.lang | wc -l) languages"
