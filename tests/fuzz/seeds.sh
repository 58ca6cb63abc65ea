#!/bin/sh
# Makes the seed inputs of every fuzz target from the shared collections
# (../shared/corpora), the Mustache spec (../shared/spec/mustache), the
# test fixtures and a build of the sample content/, into OUT/<target>/.
# Nothing here is saved in the repository: the fuzzers start from these
# seeds and the small saved corpora of tests/fuzz/corpus/.
#   tests/fuzz/seeds.sh OUT AGENTKB
set -e
OUT=$1
AKB=$2
SHARED=${AKB_SHARED:-../shared}
SEP=$(printf '\001')
rm -rf "$OUT"
for t in frontmatter markdown template search check hooks bundle; do mkdir -p "$OUT/$t"; done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Agent files: every collection's markdown and the fixtures'.
find "$SHARED/corpora" tests/fixtures/errors tests/fixtures/formats tests/fixtures/hooks/content content \
	-type f \( -name '*.md' -o -name '*.mdc' \) 2>/dev/null | sort >"$TMP/md"
i=0
while read -r f; do
	i=$((i + 1))
	cp "$f" "$OUT/frontmatter/md$i"
	cp "$f" "$OUT/markdown/md$i"
	# A hook that renames, retypes and adds fields (see fuzz_hooks.c for the program's bytes).
	{ cat "$f"; printf '%snsnames\003NewFtools\005itBA\001IA\005toolss\001xFnested\006ss\002a\000a' "$SEP"; } >"$OUT/hooks/md$i"
done <"$TMP/md"
# Manifests: the first byte picks the loader (fuzz_frontmatter.c).
find tests/fixtures/formats -name plugin.json | while read -r f; do { printf '\002'; cat "$f"; } >"$OUT/frontmatter/plugin-$(echo "$f" | cksum | cut -d' ' -f1)"; done
find tests/fixtures/formats -name marketplace.json | while read -r f; do { printf '\003'; cat "$f"; } >"$OUT/frontmatter/market-$(echo "$f" | cksum | cut -d' ' -f1)"; done
find tests/fixtures/formats -name '*.toml' | while read -r f; do { printf '\004'; cat "$f"; } >"$OUT/frontmatter/toml-$(echo "$f" | cksum | cut -d' ' -f1)"; done
cp agentkb.yaml "$OUT/frontmatter/config"

# Code for the highlighter alone: "\001LANG\nCODE".
for f in tests/fixtures/highlight/samples/*.md; do
	lang=$(basename "$f" .md)
	{ printf '%s%s\n' "$SEP" "$lang"; sed '/^```/d' "$f"; } >"$OUT/markdown/hl-$lang"
done

# Search: documents joined in groups of four.
split -l 4 "$TMP/md" "$TMP/group."
for g in "$TMP"/group.*; do
	first=1
	while read -r f; do
		[ $first = 1 ] || printf '%s' "$SEP"
		first=0
		head -c 3000 "$f"
	done <"$g" >"$OUT/search/$(basename "$g")"
done

# Templates: each theme template with an agent's front-matter as data and the spec's templates.
for tpl in themes/default/templates/*.mustache; do
	{ cat "$tpl"; printf '%s' "$SEP"; sed -n '2,/^---$/p' content/engineering/*.md 2>/dev/null | head -40;
	  printf '%s' "$SEP"; cat themes/default/templates/card.mustache; } >"$OUT/template/$(basename "$tpl" .mustache)"
done
for spec in "$SHARED"/spec/mustache/*.yml; do
	[ -f "$spec" ] || continue
	n=0
	sed -n 's/^ *template: *"\(.*\)"$/\1/p' "$spec" | while read -r line; do
		n=$((n + 1))
		{ printf '%b' "$line"; printf '%s' "$SEP"; printf 'a: 1\nb: [x, y]\nc: {d: e}\nlist: [{n: 1}, {n: 2}]\n'; } \
			>"$OUT/template/spec-$(basename "$spec" .yml)-$n"
	done
done

# Built sites for the link checker and the bundle packer.
"$AKB" build content -o "$TMP/site" --quiet >/dev/null 2>&1 || "$AKB" build content -o "$TMP/site" >/dev/null 2>&1
for page in $(cd "$TMP/site" && find . -name '*.html' | sort | head -40); do
	name=$(echo "$page" | tr '/.' '__')
	{ cat "$TMP/site/$page"; printf '%s' "$SEP"; cat "$TMP/site/index.html"; } >"$OUT/check/$name"
done
for page in $(cd tests/fixtures/check/site && find . -name '*.html'); do
	cp "tests/fixtures/check/site/$page" "$OUT/check/fixture-$(echo "$page" | cksum | cut -d' ' -f1)"
done
css=$(find "$TMP/site" -name '*.css' | head -1)
js=$(find "$TMP/site" -name '*.js' ! -path '*/search/*' | head -1)
for page in $(cd "$TMP/site/agents" && ls | head -20); do
	{ cat "$TMP/site/index.html"; printf '%s' "$SEP"; cat "$TMP/site/agents/$page/index.html"; printf '%s' "$SEP"
	  cat "$TMP/site/404.html" 2>/dev/null; printf '%s' "$SEP"; head -c 4000 "$css"; printf '%s' "$SEP"; head -c 4000 "$js"; } \
		>"$OUT/bundle/$page"
done
for t in frontmatter markdown template search check hooks bundle; do
	echo "fuzz seeds: $t: $(ls "$OUT/$t" | wc -l) inputs"
done
