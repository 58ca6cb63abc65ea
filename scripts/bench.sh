#!/bin/sh
# Benchmarks: builds generated corpora of 1,000 and 10,000 agents (shaped
# like ../shared/fixtures/backend-architect.md) against Hugo and cmark-gfm on
# the same files (scripts/bench-build.sh), and the real collections in
# ../shared/corpora, printing files/s, MB/s, wall time and peak memory.
# usage: scripts/bench.sh BUILD_DIR   (BENCH_DIR=... to keep the corpora elsewhere)
set -e
BUILD=${1:-build}
AKB=$PWD/$BUILD/agentkb
SHARED=${AKB_SHARED:-$(cd .. && pwd)/shared}
DIR=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "$BENCH_DIR" ] && rm -rf "$DIR"' EXIT

now_ms() { date +%s%3N; }

run() { # run LABEL CONTENT
	label=$1; content=$2
	rm -rf "$DIR/out"
	start=$(now_ms)
	"$AKB" build "$content" -o "$DIR/out" -q --stats 2>"$DIR/stats" || { cat "$DIR/stats"; exit 1; }
	end=$(now_ms)
	wall=$((end - start))
	line=$(grep '^stats:' "$DIR/stats")
	echo "$label: $(echo "$line" | sed 's/^stats: //'), wall $wall ms"
}

echo "agentkb bench on $(nproc) cores ($("$AKB" version))"
sh scripts/gen-corpus.sh 1000 "$DIR/gen-1000"
sh scripts/gen-corpus.sh 10000 "$DIR/gen-10000"
# Full, -j 1/-j N, one-file and no-change builds, against Hugo and cmark-gfm measured
# here rather than a remembered baseline; it reuses the two corpora just written.
BENCH_DIR=$DIR sh scripts/bench-build.sh "$BUILD"
echo
echo "highlighting throughput (every fenced block of the corpora, content/ and tests/fixtures/highlight/samples):"
"$PWD/$BUILD/highlight-agreement" -j "$(nproc)" --bench "$SHARED/corpora" content tests/fixtures/highlight/samples
echo
if [ -d "$SHARED/corpora" ]; then
	for c in "$SHARED"/corpora/*/; do
		run "corpus $(basename "$c")" "$c"
	done
fi

# ---- bundles: sizes (raw, gzip) and times of agentkb bundle, and opening the single file ----
echo
echo "bundles (agentkb bundle on content/ and on all the corpora as one site; scripts/bench-bundle.mjs):"
if command -v node >/dev/null 2>&1 && [ -d node_modules/playwright-core ]; then
	node scripts/bench-bundle.mjs --akb "$AKB" --corpora "$SHARED/corpora"
else
	echo "skipped: needs node and npm ci (playwright-core)"
fi

# ---- search relevance: the held-out queries of tests/search/relevance.json through the three engines ----
echo
echo "search relevance (tests/search/relevance.json over all the corpora; scripts/bench-search-relevance.mjs):"
if [ ! -d node_modules/minisearch ] || [ ! -d node_modules/pagefind ]; then
	npm install --no-save --no-audit --no-fund minisearch@7.2.0 pagefind@1.6.0 >/dev/null 2>&1 ||
		echo "could not install minisearch and pagefind"
fi
node scripts/bench-search-relevance.mjs --akb "$AKB" --corpora "$SHARED/corpora" || echo "relevance bench failed"

# ---- search: agentkb's index against MiniSearch and Pagefind, in chromium ----
# All five collections as one site, and the generated 10,000 above; needs node,
# chromium and `npm install` (playwright-core, minisearch, pagefind).
echo
echo
BENCH_DIR=$DIR sh scripts/bench-hostile.sh "$BUILD"
echo
echo "search engine alone (node, 10,000 synthetic agents; scripts/bench-search-engine.mjs):"
node scripts/bench-search-engine.mjs | tail -1
echo
echo "search (agentkb vs MiniSearch vs Pagefind, in chromium over 127.0.0.1; scripts/bench-search.mjs):"
# The comparison engines are bench-only: not in package.json, whose lock file CI installs with npm ci.
if [ ! -d node_modules/minisearch ] || [ ! -d node_modules/pagefind ]; then
	npm install --no-save --no-audit --no-fund minisearch@7.2.0 pagefind@1.6.0 >/dev/null 2>&1 ||
		echo "could not install minisearch and pagefind"
fi
if command -v node >/dev/null 2>&1 && { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } &&
	[ -d node_modules/playwright-core ] && [ -d node_modules/minisearch ] && [ -d node_modules/pagefind ]; then
	node scripts/bench-search.mjs --akb "$AKB" --corpora "$SHARED/corpora" --gen "$DIR/gen-10000" --work "$DIR/search"
else
	echo "skipped: needs node, chromium and npm install (playwright-core, minisearch, pagefind)"
fi
