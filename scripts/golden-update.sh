#!/bin/sh
# Rebuilds each golden case's expected output (tests/lib/golden.sh), showing
# the diff and asking before overwriting (like lowdown's regen_regress);
# AKB_GOLDEN_YES=1 answers yes.
BUILD=${1:-build}
AKB=$PWD/$BUILD/agentkb
. tests/lib/golden.sh
for case in "$GOLDEN"/*/; do
	case=${case%/}
	name=$(basename "$case")
	tmp=$(mktemp -d)
	golden_build "$case" "$tmp/out" "$tmp/stderr.norm"
	golden_cut "$case" "$tmp/out" || { rm -rf "$tmp"; exit 1; }
	if diff -ru "$case/expected" "$tmp/out" >/dev/null 2>&1 && cmp -s "$case/expected.stderr" "$tmp/stderr.norm"; then
		echo "$name: unchanged"
	else
		diff -ru "$case/expected" "$tmp/out" | head -200
		diff -u "$case/expected.stderr" "$tmp/stderr.norm"
		printf "%s: replace expected output? [y/N] " "$name"
		if [ "${AKB_GOLDEN_YES:-}" = 1 ]; then answer=y; else read -r answer </dev/tty || answer=n; fi
		if [ "$answer" = y ]; then
			rm -rf "$case/expected"
			cp -R "$tmp/out" "$case/expected"
			cp "$tmp/stderr.norm" "$case/expected.stderr"
			echo "$name: updated"
		fi
	fi
	rm -rf "$tmp"
done
