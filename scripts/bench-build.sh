#!/bin/sh
# A/B build benchmark on the generated corpora of scripts/gen-corpus.sh
# (1,000 and 10,000 agents): agentkb full builds at -j 1 and -j N, its
# one-file and no-change rebuilds, Hugo on the same files, and the cmark-gfm
# CLI over the same bytes (one process per file, and all files through one
# process as the pure-render floor), then the ratios between them.
# Hugo and cmark-gfm are only comparisons: when missing they are installed
# if we run as root, else skipped; they never fail the bench.
# usage: scripts/bench-build.sh BUILD_DIR
#   BENCH_DIR=...  keeps the corpora there (reused if complete, as bench.sh leaves them)
#   BENCH_SIZES="1000 10000"  corpus sizes; BENCH_JOBS=N  threads of the parallel build
set -e
BUILD=${1:-build}
AKB=$PWD/$BUILD/agentkb
[ -x "$AKB" ] || { echo "bench-build: no $AKB (run make first)" >&2; exit 1; }
SIZES=${BENCH_SIZES:-1000 10000}
J=${BENCH_JOBS:-$(nproc)}
[ "$J" -gt 1 ] || J=2 # the point is -j 1 against a parallel build, even on one core
DIR=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$DIR"
# Outputs go beside the corpora (BENCH_DIR may be the disk with room) and always go away.
WORK=$(mktemp -d "$DIR/bench-build.XXXXXX")
MODIFIED=
SHM=
# Under set -e a failing test here would turn a good run's exit status into 1: use ifs.
cleanup() {
	# The one-file rebuild edits a corpus file: put it back even when interrupted.
	if [ -n "$MODIFIED" ]; then cat "$WORK/saved.md" >"$MODIFIED"; fi
	rm -rf "$WORK"
	if [ -n "$SHM" ]; then rm -rf "$SHM"; fi
	if [ -z "$BENCH_DIR" ]; then rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

GFM="-e table -e strikethrough -e autolink -e tagfilter -e tasklist"

# ---- the comparison tools: install when we can, else say what is skipped ----
missing=
command -v hugo >/dev/null 2>&1 || missing="$missing hugo"
command -v cmark-gfm >/dev/null 2>&1 || missing="$missing cmark-gfm"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -qq $missing >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $missing >/dev/null 2>&1; } ||
		echo "could not install$missing"
fi
HAVE_HUGO=; command -v hugo >/dev/null 2>&1 && HAVE_HUGO=1
HAVE_CMARK=; command -v cmark-gfm >/dev/null 2>&1 && HAVE_CMARK=1

now_ms() { date +%s%3N; }

# measure CMD...: runs CMD and sets t_ms (wall), t_kb (peak RSS, KB), t_cpu
# (user+sys s). Wall comes from the clock around the run rather than time's
# %e, for milliseconds; RSS needs GNU time, else it is left empty.
measure() {
	# Flush the previous run's writes first, or this run pays for them.
	sync
	t_kb=; t_cpu=
	t0=$(now_ms)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$WORK/time" -f '%M %U %S' "$@" || { t_rc=$?; return "$t_rc"; }
	else
		"$@" || { t_rc=$?; return "$t_rc"; }
	fi
	t_ms=$(($(now_ms) - t0))
	if [ -x /usr/bin/time ]; then
		# On failure time writes a status line first; the figures are the last line.
		t_kb=$(awk 'END { print $1 }' "$WORK/time")
		t_cpu=$(awk 'END { printf "%.1f", $2 + $3 }' "$WORK/time")
	fi
}

# Formatting as agentkb's --stats does: sizes in units of 10^6 bytes, peak
# memory in units of 1024 KB; seconds; 1,000s.
secs() { awk -v ms="$1" 'BEGIN { s = ms / 1000; printf (s < 10 ? "%.2f s" : "%.1f s"), s }'; }
kb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { m = k / 1024; if (m >= 999.5) printf "%.1f GB", m / 1024; else printf "%.0f MB", m }' || printf '? MB'; }
bytes() { awk -v b="$1" 'BEGIN { m = b / 1e6; if (m >= 1000) printf "%.2f GB", m / 1000; else printf (m < 100 ? "%.1f MB" : "%.0f MB"), m }'; }
commas() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s); printf "%s", s }'; }
# ratio A B: how many times A is B ("?" when either is unknown).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) printf "?"; else printf (a / b < 10 ? "%.1f" : "%.0f"), a / b }'; }
# faster BASE_MS MS: "2.0x faster" or, when MS took longer, "1.1x slower".
faster() {
	if [ -z "$1" ] || [ -z "$2" ]; then printf '?x faster'
	elif [ "$2" -le "$1" ]; then printf '%sx faster' "$(ratio "$1" "$2")"
	else printf '%sx slower' "$(ratio "$2" "$1")"; fi
}
du_b() { du -sb "$1" | cut -f1; }
nfiles() { find "$1" -type f | wc -l | tr -d ' '; }

# akb_build LABEL ARGS...: one agentkb build, its stats line kept in $akb_line.
akb_build() {
	label=$1; shift
	if ! measure "$AKB" build "$@" -q --stats 2>"$WORK/stats"; then
		echo "$label: agentkb failed:"; cat "$WORK/stats"; exit 1
	fi
	akb_line=$(grep '^stats:' "$WORK/stats")
	# "K of N files written": K for rebuilds, N for the site's file count.
	akb_written=$(echo "$akb_line" | sed -n 's/.* \([0-9]*\) of [0-9]* files written.*/\1/p')
	akb_total=$(echo "$akb_line" | sed -n 's/.* [0-9]* of \([0-9]*\) files written.*/\1/p')
	# "(R of P pages rendered, ...)": what a rebuild rendered again (the page cache kept the rest).
	akb_rendered=$(sed -n 's/.*(\([0-9]*\) of \([0-9]*\) pages rendered.*/\1 of \2/p' "$WORK/stats")
}

# hugo_site CORPUS SITE: the corpus as a Hugo site. Hugo wants `title` and a
# list for a multi-term taxonomy, so name is copied to title and the
# comma-separated tools become a YAML flow list; the bodies are untouched.
hugo_site() {
	mkdir -p "$2/content" "$2/layouts/_default"
	(cd "$1" && find . -type d) | while read -r d; do mkdir -p "$2/content/$d"; done
	find "$1" -name '*.md' -exec awk -v src="$1" -v dst="$2/content" '
	FNR == 1 { if (out != "") close(out); out = dst substr(FILENAME, length(src) + 1); fm = 0 }
	/^---$/ && fm < 2 { fm++; print > out; next }
	fm == 1 && /^name: / { print > out; print "title: " substr($0, 7) > out; next }
	fm == 1 && /^tools: / { print "tools: [" substr($0, 8) "]" > out; next }
	{ print > out }' {} +
	# A taxonomy's plural is its front-matter key, so department and
	# category keep their names. Chroma highlighting is Hugo's default.
	cat >"$2/config.toml" <<-'EOF'
	baseURL = "/"
	languageCode = "en"
	title = "agents"
	[taxonomies]
	department = "department"
	category = "category"
	tool = "tools"
	[markup.highlight]
	codeFences = true
	EOF
	# Pages about like agentkb's in substance: the agent with its terms; lists of links.
	head='<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title><meta name="description" content="{{ .Description }}"></head>
<body><nav><a href="{{ "/" | relURL }}">home</a></nav><h1>{{ .Title }}</h1>'
	cat >"$2/layouts/_default/single.html" <<-EOF
	$head
	<p>{{ .Description }}</p>
	<ul>{{ range \$tax, \$_ := site.Taxonomies }}{{ with \$.GetTerms \$tax }}<li>{{ \$tax }}: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</li>{{ end }}{{ end }}</ul>
	<p>model {{ .Params.model }}, priority {{ .Params.priority }}</p>
	{{ .Content }}
	</body></html>
	EOF
	cat >"$2/layouts/_default/list.html" <<-EOF
	$head
	<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ .Description }}</li>{{ end }}</ul>
	</body></html>
	EOF
	cp "$2/layouts/_default/list.html" "$2/layouts/_default/term.html"
	cat >"$2/layouts/_default/taxonomy.html" <<-EOF
	$head
	<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
	</body></html>
	EOF
}

echo "build A/B bench on $(nproc) cores: agentkb ($("$AKB" version)) at -j 1 and -j $J," \
	"$(if [ -n "$HAVE_HUGO" ]; then hugo version | cut -d' ' -f1-2; else echo "no hugo"; fi)," \
	"$(if [ -n "$HAVE_CMARK" ]; then cmark-gfm --version | head -n 1 | cut -d' ' -f1-2; else echo "no cmark-gfm"; fi)"

for n in $SIZES; do
	corpus=$DIR/gen-$n
	name="generated $(commas "$n")"
	if [ ! -d "$corpus" ] || [ "$(find "$corpus" -name '*.md' | wc -l)" -ne "$n" ]; then
		sh scripts/gen-corpus.sh "$n" "$corpus"
	fi
	in_b=$(find "$corpus" -name '*.md' -exec cat {} + | wc -c | tr -d ' ')
	echo
	echo "$name ($(commas "$n") agent files, $(bytes "$in_b") of markdown):"

	# ---- agentkb full builds; a fresh folder too, so both start alike ----
	for j in 1 "$J"; do
		rm -rf "$WORK/akb"; mkdir "$WORK/akb"
		akb_build "$name" "$corpus" -o "$WORK/akb/out" --clean -j "$j"
		out_b=$(du_b "$WORK/akb/out")
		echo "  agentkb -j $j full build: $(secs "$t_ms"), $(kb "$t_kb") peak, $(bytes "$out_b") out," \
			"$(commas "$akb_total") files (cpu $t_cpu s)"
		if [ "$j" = 1 ]; then j1_ms=$t_ms; else jn_ms=$t_ms; jn_kb=$t_kb; fi
	done
	akb_out_b=$out_b
	# The same build with OUT in memory (a tmpfs, when there is room for it): the generator's
	# own time, without the disk's. On this kind of VM a build that creates 30,000 files right
	# after 30,000 were deleted can spend half its time in the file system's inode allocator.
	shm_ms=
	if [ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((out_b / 1024 * 3)) ]; then
		SHM=$(mktemp -d /dev/shm/akb-bench.XXXXXX)
		akb_build "$name" "$corpus" -o "$SHM/out" --clean -j "$J"
		shm_ms=$t_ms
		echo "  agentkb -j $J full build, OUT on a tmpfs: $(secs "$t_ms"), $(kb "$t_kb") peak (cpu $t_cpu s)"
		rm -rf "$SHM"; SHM=
	fi

	# ---- agentkb rebuilds over the -j N output: one file's body grows a line, then nothing changes ----
	MODIFIED=$(find "$corpus" -name '*.md' | LC_ALL=C sort | head -n 1)
	cp "$MODIFIED" "$WORK/saved.md"
	printf '\nOne more line, for the one-file rebuild.\n' >>"$MODIFIED"
	akb_build "$name" "$corpus" -o "$WORK/akb/out" -j "$J"
	one_ms=$t_ms
	echo "  agentkb -j $J one-file rebuild: $(secs "$t_ms"), $(kb "$t_kb") peak, $akb_written of $(commas "$akb_total") files written," \
		"$akb_rendered pages rendered"
	akb_build "$name" "$corpus" -o "$WORK/akb/out" -j "$J"
	none_ms=$t_ms
	echo "  agentkb -j $J no-change rebuild: $(secs "$t_ms"), $(kb "$t_kb") peak, $akb_written of $(commas "$akb_total") files written," \
		"$akb_rendered pages rendered"
	cat "$WORK/saved.md" >"$MODIFIED"; MODIFIED=
	rm -rf "$WORK/akb"

	# ---- Hugo: full build only (it rebuilds one file only inside `hugo server`) ----
	hugo_ms=; hugo_kb=
	if [ -z "$HAVE_HUGO" ]; then
		echo "  hugo: skipped: hugo not installed"
	else
		t_rc=1
		if hugo_site "$corpus" "$WORK/hugo" && measure hugo --quiet -s "$WORK/hugo" -d "$WORK/hugo-out" --cacheDir "$WORK/hugo-cache" \
			--cleanDestinationDir >"$WORK/hugo.log" 2>&1; then
			hugo_ms=$t_ms; hugo_kb=$t_kb
			echo "  hugo full build: $(secs "$t_ms"), $(kb "$t_kb") peak, $(bytes "$(du_b "$WORK/hugo-out")") out," \
				"$(commas "$(nfiles "$WORK/hugo-out")") files (cpu $t_cpu s; no one-file rebuild: hugo has one only inside hugo server)"
		else
			echo "  hugo: failed (exit $t_rc): $(tail -n 3 "$WORK/hugo.log" 2>/dev/null | tr "\n" " ")"
		fi
		rm -rf "$WORK/hugo" "$WORK/hugo-out" "$WORK/hugo-cache"
	fi

	# ---- cmark-gfm over the same bytes, front-matter included ----
	floor_ms=
	if [ -z "$HAVE_CMARK" ]; then
		echo "  cmark-gfm: skipped: cmark-gfm not installed"
	else
		(cd "$corpus" && find . -type d) | while read -r d; do mkdir -p "$WORK/cmark/$d"; done
		(cd "$corpus" && find . -name '*.md') >"$WORK/list"
		# shellcheck disable=SC2016 # expanded by the inner sh
		if measure sh -c 'while read -r f; do cmark-gfm $3 "$1/$f" >"$2/${f%.md}.html" || exit 1; done' \
			sh "$corpus" "$WORK/cmark" "$GFM" <"$WORK/list"; then
			echo "  cmark-gfm, one process per file: $(secs "$t_ms"), $(kb "$t_kb") peak," \
				"$(bytes "$(du_b "$WORK/cmark")") out, $(commas "$n") files (cpu $t_cpu s)"
		else
			echo "  cmark-gfm, one process per file: failed (exit $t_rc)"
		fi
		# shellcheck disable=SC2016
		if measure sh -c 'find "$1" -name "*.md" -exec cat {} + | cmark-gfm $3 >"$2"' \
			sh "$corpus" "$WORK/cmark-all.html" "$GFM"; then
			floor_ms=$t_ms
			echo "  cmark-gfm, all files cat into one process (pure-render floor): $(secs "$t_ms"), $(kb "$t_kb") peak," \
				"$(bytes "$(du_b "$WORK/cmark-all.html")") out (cpu $t_cpu s)"
		else
			echo "  cmark-gfm floor: failed (exit $t_rc)"
		fi
		rm -rf "$WORK/cmark" "$WORK/cmark-all.html" "$WORK/list"
	fi

	# ---- ratios, and one line to quote ----
	echo "  ratios: agentkb -j $J vs hugo: $(faster "$hugo_ms" "$jn_ms"), $(ratio "$hugo_kb" "$jn_kb")x less memory;" \
		"agentkb vs cmark-gfm floor: -j 1 $(ratio "$j1_ms" "$floor_ms")x, -j $J $(ratio "$jn_ms" "$floor_ms")x the floor's time;" \
		"-j $J $(faster "$j1_ms" "$jn_ms") than -j 1;" \
		"one-file rebuild $(faster "$jn_ms" "$one_ms") than the full build (no-change $(faster "$jn_ms" "$none_ms"))"
	line="$name: agentkb -j $J $(secs "$jn_ms"), $(kb "$jn_kb") peak, $(bytes "$akb_out_b") out (-j 1 $(secs "$j1_ms")$(if [ -n "$shm_ms" ]; then printf '; OUT on a tmpfs %s' "$(secs "$shm_ms")"; fi)), one-file rebuild $(secs "$one_ms")"
	if [ -n "$hugo_ms" ]; then line="$line | hugo $(secs "$hugo_ms"), $(kb "$hugo_kb")"; else line="$line | hugo n/a"; fi
	if [ -n "$floor_ms" ]; then line="$line | cmark-gfm floor $(secs "$floor_ms")"; else line="$line | cmark-gfm n/a"; fi
	if [ -n "$hugo_ms" ]; then line="$line | agentkb $(faster "$hugo_ms" "$jn_ms") than hugo, $(ratio "$hugo_kb" "$jn_kb")x less memory"; fi
	if [ -n "$floor_ms" ]; then line="$line, $(ratio "$jn_ms" "$floor_ms")x the cmark-gfm floor's time"; fi
	echo "$line"
done
