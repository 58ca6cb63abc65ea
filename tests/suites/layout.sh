#!/bin/sh
# The source tree as the README describes it (README "Source layout"):
# every source file is named in the layout table, every .c opens with a
# comment saying what it is, include/agentkb/ holds only headers that more
# than one folder includes, and the include graph has no cycle.
. tests/lib/common.sh
section=$(sed -n '/^## Source layout/,/^## /p' README.md)
for f in $(find src -name '*.c' -o -name '*.h' -o -name '*.js' | LC_ALL=C sort); do
	name=$(basename "$f")
	dir=$(dirname "$f")
	if [ "$dir" = src ]; then where="\`$f\`"; else where="\`$dir/\`"; fi
	# A top-level stage is named with its path; a file in a folder on its folder's row.
	if [ "$dir" = src ]; then
		echo "$section" | grep -qF "$where" && ok || fail "README's source layout does not name $f"
	else
		echo "$section" | grep -F "$where" | grep -qF "\`$name\`" && ok ||
			fail "README's source layout row for $dir/ does not name $name"
	fi
	case $f in *.c)
		head -1 "$f" | grep -q '^/\*' && ok || fail "$f does not open with a comment" ;;
	esac
done
# A header only one folder includes belongs in that folder (a stage's header
# is the contract build.c runs it by, whoever else includes it).
for h in include/agentkb/*.h; do
	n=$(basename "$h")
	[ -f "src/${n%.h}.c" ] && { ok; continue; }
	folders=$(grep -rl "agentkb/$n\"" src | grep -v "^src/[a-z_]*\.c$" | cut -d/ -f2 | sort -u | wc -l)
	top=$(grep -l "agentkb/$n\"" src/*.c 2>/dev/null | wc -l)
	hdrs=$(grep -l "agentkb/$n\"" include/agentkb/*.h | grep -v "^$h$" | wc -l)
	[ "$top" -gt 0 ] && folders=$((folders + 1))
	[ "$hdrs" -gt 0 ] && folders=$((folders + 1))
	[ "$folders" -ge 2 ] && ok || fail "include/agentkb/$n is used by one folder only: move it beside its module"
done
# The README lists no file that is gone.
for f in $(echo "$section" | grep -o '`src/[a-z_/]*\.[a-z]*`' | tr -d '`'); do
	[ -f "$f" ] && ok || fail "README's source layout names $f, which does not exist"
done
if sh scripts/include-graph.sh --quiet >"$TMP/graph" 2>&1; then ok; else fail "include graph: $(cat "$TMP/graph")"; fi
finish layout
