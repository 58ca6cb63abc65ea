# Golden cases (tests/fixtures/golden/NAME: content/, an optional agentkb.yaml,
# expected/ and expected.stderr, an optional covers), sourced by
# tests/suites/golden.sh and scripts/golden-update.sh. Needs AKB.
GOLDEN=tests/fixtures/golden

# golden_build CASE OUT STDERR: builds CASE's content into OUT with its config
# at a fixed date (archives, a skill's .tar.gz, carry it in their entries);
# stderr in STDERR with the case's folder taken out of paths. Fails as the build does.
golden_build() {
	cfg=""
	[ -f "$1/agentkb.yaml" ] && cfg="--config $1/agentkb.yaml"
	SOURCE_DATE_EPOCH=1767225600 "$AKB" build "$1/content" -o "$2" $cfg -q 2>"$3.raw"
	golden_rc=$?
	sed "s|$1/content|content|g" "$3.raw" >"$3"
	rm -f "$3.raw"
	return $golden_rc
}

# golden_cut CASE OUT: leaves in OUT what the case compares. The theme's
# assets are not generated, so never compared; a case with a `covers` file
# (one path a line, a file or a folder of the site) compares only those, so
# that a case about one page does not repeat every other page.
golden_cut() {
	rm -rf "$2/assets"
	[ -f "$1/covers" ] || return 0
	while read -r p; do
		[ -e "$2/$p" ] || { echo "$1/covers: $p is not in the site" >&2; return 1; }
	done <"$1/covers"
	list=$(cd "$1" && pwd)/covers
	mkdir "$2.cut" && (cd "$2" && tar -cf - -T "$list") | (cd "$2.cut" && tar -xf -) &&
		rm -rf "$2" && mv "$2.cut" "$2"
}
