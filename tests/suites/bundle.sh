#!/bin/sh
# agentkb bundle on the command line: usage errors, the three kinds of
# bundle, the archives holding every file of a normal build under one top
# folder (with sane modes), atomic writes (a failing hook, a bad config or an
# interrupt leave no FILE, or the previous one, and no temporary files), and
# the single file checked by tests/js/bundle-check.mjs for content/ and for all
# of ../shared/corpora in one site. The browser side is tests/browser/bundle.test.mjs.
. tests/lib/common.sh

# Nothing left behind in folder $1 but the files named after it.
only() { # only DESCRIPTION FOLDER NAME...
	desc=$1; dir=$2; shift 2
	got=$(ls -A "$dir" | sort | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	if [ "$got" = "$want" ]; then ok; else fail "$desc: '$got', want '$want'"; fi
}

W="$TMP/w"
mkdir -p "$W/out" "$W/tmp"
export TMPDIR="$W/tmp" # where the temporary site is built: must be empty again after every run

# Usage errors exit 2 and write nothing.
expect_rc 2 "bundle without -o" "$AKB" bundle content
has "$TMP/err" "bundle needs -o FILE" "missing -o explained"
expect_rc 2 "unknown extension" "$AKB" bundle content -o "$W/out/site.rar"
has "$TMP/err" "unknown bundle type '$W/out/site.rar'; use .html, .zip, .tar.gz or .tgz" "supported kinds named"
expect_rc 2 "folder as output" "$AKB" bundle content -o "$W/out/"
expect_rc 2 "unknown option" "$AKB" bundle content -o "$W/out/a.html" --frobnicate
only "usage errors write nothing" "$W/out"
"$AKB" help | grep -q "agentkb bundle \[CONTENT\] -o FILE.html" && ok || fail "help lists bundle"

# The three kinds, from content/ (the same options as build: --title here).
expect_rc 0 "html bundle" "$AKB" bundle content -o "$W/out/agents.html" --title "Offline KB"
has "$TMP/err" "bundled 20 agents, 58 pages into '$W/out/agents.html'" "summary line"
has "$W/out/agents.html" "<title>Offline KB</title>" "build options apply"
expect_rc 0 "zip bundle" "$AKB" bundle content -o "$W/out/agents.zip" -q
expect_rc 0 "tar.gz bundle" "$AKB" bundle content -o "$W/out/agents.tar.gz" -q
expect_rc 0 "tgz bundle" "$AKB" bundle content -o "$W/out/kb.TGZ" -q
check "quiet means quiet" [ ! -s "$TMP/err" ]
only "bundles written, nothing else" "$W/out" agents.html agents.zip agents.tar.gz kb.TGZ
only "temporary site removed" "$W/tmp"
mode=$(stat -c %a "$W/out/agents.html")
check "bundle file is readable by all (umask 022: 644, got $mode)" sh -c "[ '$(umask)' != 0022 ] || [ '$mode' = 644 ]"

# The archives hold every file of a normal build, under one top folder named after the file.
"$AKB" build content -o "$W/site" -q 2>/dev/null
(cd "$W/site" && find . -type f | sed 's|^\./||' | sort) >"$TMP/site.list"
check "normal build has files" [ "$(wc -l <"$TMP/site.list")" -gt 80 ]
unzip -Z1 "$W/out/agents.zip" | grep -v '/$' | sort >"$TMP/zip.list"
check "zip: one top folder 'agents/'" sh -c "! grep -v '^agents/' '$TMP/zip.list'"
sed 's|^agents/||' "$TMP/zip.list" | diff -u "$TMP/site.list" - >&2 && ok || fail "zip holds every file of the build"
tar -tzf "$W/out/agents.tar.gz" | grep -v '/$' | sort >"$TMP/tar.list"
check "tar: one top folder 'agents/'" sh -c "! grep -v '^agents/' '$TMP/tar.list'"
sed 's|^agents/||' "$TMP/tar.list" | diff -u "$TMP/site.list" - >&2 && ok || fail "tar.gz holds every file of the build"
check "tgz: top folder 'kb/'" sh -c "tar -tzf '$W/out/kb.TGZ' | grep -q '^kb/agents/rails-maintainer/index.html$'"
tar -tvzf "$W/out/agents.tar.gz" >"$TMP/tar.long"
check "tar: files 0644, folders 0755" sh -c "! grep -v -e '^-rw-r--r-- ' -e '^drwxr-xr-x ' '$TMP/tar.long'"
check "tar: folders have entries" grep -q '^d.* agents/agents/$' "$TMP/tar.long"
mkdir "$W/x"
(cd "$W/x" && unzip -q "$W/out/agents.zip" && tar -xzf "$W/out/agents.tar.gz" -C "$W/x" --transform 's|^agents|tgz|')
diff -r "$W/site" "$W/x/agents" >&2 && ok || fail "zip extracts to the built site, byte for byte"
diff -r "$W/site" "$W/x/tgz" >&2 && ok || fail "tar.gz extracts to the built site, byte for byte"
# CJK names survive as UTF-8.
expect_rc 0 "bundle with CJK slugs" "$AKB" bundle tests/fixtures/golden/basic/content -o "$W/out/cjk.zip" -q
check "zip: CJK path" sh -c "unzip -Z1 '$W/out/cjk.zip' | grep -q '^cjk/agents/慢查询分析师/index.html$'"
expect_rc 0 "tar with CJK slugs" "$AKB" bundle tests/fixtures/golden/basic/content -o "$W/out/cjk.tgz" -q
check "tar: CJK path" sh -c "tar -tzf '$W/out/cjk.tgz' | grep -q '^cjk/agents/慢查询分析师/index.html$'"
# SOURCE_DATE_EPOCH gives every entry that mtime, so two bundles are the same bytes.
mkdir -p "$W/r1" "$W/r2"
for r in r1 r2; do
	SOURCE_DATE_EPOCH=1700000000 "$AKB" bundle content -o "$W/$r/kb.tgz" -q 2>/dev/null
	SOURCE_DATE_EPOCH=1700000000 "$AKB" bundle content -o "$W/$r/kb.zip" -q 2>/dev/null
	"$AKB" bundle content -o "$W/$r/kb.html" -q 2>/dev/null
done
check "reproducible tar.gz" cmp -s "$W/r1/kb.tgz" "$W/r2/kb.tgz"
check "reproducible zip" cmp -s "$W/r1/kb.zip" "$W/r2/kb.zip"
check "reproducible html" cmp -s "$W/r1/kb.html" "$W/r2/kb.html"
check "mtime from SOURCE_DATE_EPOCH" sh -c "TZ=UTC tar -tvzf '$W/r1/kb.tgz' | head -1 | grep -q ' 2023-11-14 22:13 kb/$'"
rm -rf "$W/r1" "$W/r2"

# A theme's print stylesheet keeps its media query when inlined.
cp -R themes/default "$W/theme"
printf '@media print { .site-header { display: none } }\nbody { color: black }\n' >"$W/theme/static/print.css"
sed -i 's|</head>|<link rel="stylesheet" href="{{root}}assets/print.css" media="print">\n</head>|' "$W/theme/templates/base.mustache"
expect_rc 0 "bundle with a custom theme" "$AKB" bundle content -o "$W/themed.html" --theme "$W/theme" -q
check "print stylesheet inlined with its media" grep -q '<style media="print">@media print{.site-header{display:none}}body{color:black}</style>' "$W/themed.html"
rm -rf "$W/theme" "$W/themed.html"

# Atomic: a failing hook or a bad config leaves no file, or the previous one; nothing temporary stays.
printf 'return { agent = function (a) error("boom") end }\n' >"$W/bad.lua"
for f in new.html new.zip new.tar.gz; do
	expect_rc 1 "failing hook ($f)" "$AKB" bundle content -o "$W/out/$f" --hook "$W/bad.lua"
done
has "$TMP/err" "bundle failed: " "failure summary"
has "$TMP/err" "left as it was" "failure says FILE is untouched"
cp "$W/out/agents.html" "$W/out/before.html"
expect_rc 1 "failing hook keeps the previous bundle" "$AKB" bundle content -o "$W/out/agents.html" --hook "$W/bad.lua"
check "previous bundle untouched" cmp -s "$W/out/agents.html" "$W/out/before.html"
printf 'title: T\nbase_urll: x\n' >"$W/bad.yaml"
expect_rc 1 "bad config" "$AKB" bundle content -o "$W/out/new.html" --config "$W/bad.yaml"
has "$TMP/err" "bad.yaml:2:1: error: unknown config key 'base_urll'" "config error position"
expect_rc 1 "strict with warnings" "$AKB" bundle tests/fixtures/golden/basic/content -o "$W/out/new.zip" --strict
expect_rc 1 "missing content" "$AKB" bundle "$W/nope" -o "$W/out/new.html"
expect_rc 1 "folder of FILE missing" "$AKB" bundle content -o "$W/no/such/dir/x.html"
only "failures leave no file" "$W/out" agents.html agents.zip agents.tar.gz kb.TGZ cjk.zip cjk.tgz before.html
only "failures leave no temporary site" "$W/tmp"

# Interrupted: exit 1, no file, no temporary files (a hook keeps the build busy meanwhile).
printf 'return { agent = function (a) local n = 0 for i = 1, 2e7 do n = n + i end end }\n' >"$W/slow.lua"
interrupted 0.5 "interrupted bundle" "$AKB" bundle content -o "$W/out/intr.html" --hook "$W/slow.lua" -q
has "$TMP/err" "interrupted" "interrupt reported"
only "interrupt leaves no file" "$W/out" agents.html agents.zip agents.tar.gz kb.TGZ cjk.zip cjk.tgz before.html
only "interrupt leaves no temporary site" "$W/tmp"

# The single file: every page, every link, nothing fetched, no duplicates (tests/js/bundle-check.mjs).
node tests/js/bundle-check.mjs "$W/out/agents.html" "$W/site" || FAILED=$((FAILED + 1))
if [ -d "$SHARED/corpora" ]; then
	mkdir -p "$W/all"
	for c in "$SHARED"/corpora/*/; do cp -RL "$c" "$W/all/"; done
	expect_rc 0 "bundle of all corpora" "$AKB" bundle "$W/all" -o "$W/all.html" -q
	"$AKB" build "$W/all" -o "$W/all-site" -q 2>/dev/null
	node tests/js/bundle-check.mjs "$W/all.html" "$W/all-site" || FAILED=$((FAILED + 1))
fi
only "no temporary site after all" "$W/tmp"

finish bundle
