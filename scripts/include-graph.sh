#!/bin/sh
# The include graph between modules, and a check that it has no cycle.
# A module is a file stem: src/**/x.c, include/agentkb/x.h and src/**/x.h are
# module x (a folder's private x_int.h too). Prints "x -> y" for each project include, then the third-party
# headers with the modules that include them; exits 1 if the graph has a
# cycle (tsort names it). Usage: sh scripts/include-graph.sh [--quiet]
cd "$(dirname "$0")/.." || exit 2
FILES=$(find src include -name '*.[ch]' | LC_ALL=C sort)
edges=$(for f in $FILES; do
	from=$(basename "$f" | sed 's/\.[ch]$//; s/_int$//')
	sed -n 's/^#include "\(.*\)"/\1/p' "$f" | while read -r inc; do
		to=$(basename "$inc" .h | sed 's/_int$//')
		[ "$to" = "$from" ] || [ "$to" = prefix ] || echo "$from $to"
	done
done | LC_ALL=C sort -u)
if [ "$1" != "--quiet" ]; then
	echo "$edges" | sed 's/ / -> /'
	echo
	echo "third-party headers:"
	for f in $FILES; do
		sed -n 's/^#include <\(.*\)>/\1/p' "$f" | while read -r inc; do
			echo "$inc $(basename "$f" | sed 's/\.[ch]$//')"
		done
	done | LC_ALL=C sort -u | awk '
		{ users[$1] = users[$1] (users[$1] ? " " : "") $2 }
		END { for (h in users) print "  <" h ">: " users[h] }' | LC_ALL=C sort
fi
if ! echo "$edges" | tsort >/dev/null 2>"${TMPDIR:-/tmp}/akb-tsort.$$"; then
	cat "${TMPDIR:-/tmp}/akb-tsort.$$" >&2
	rm -f "${TMPDIR:-/tmp}/akb-tsort.$$"
	echo "include graph: cycle" >&2
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/akb-tsort.$$"
echo "include graph: $(echo "$edges" | wc -l) edges, no cycle"
