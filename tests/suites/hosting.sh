#!/bin/sh
# Static hosting (issue 6): with a base URL, sitemap.xml, robots.txt, a
# canonical link and Open Graph tags on every page, all with correct absolute
# URLs; without one, nothing absolute at all. llms.txt lists every agent once
# and links its raw file. base_url is checked like every config value. Every
# site built here must also pass `agentkb check --links`.
. tests/lib/common.sh

# Prints the site file each absolute or relative URL on stdin names: the base
# stripped, percent-decoding undone, a folder URL completed with index.html.
to_files() { # to_files BASE
	node tests/js/urls.mjs files "$1"
}

BASE=https://example.com/docs/agents/
REL="$TMP/rel"
ABS="$TMP/abs"
expect_rc 0 "build without base_url" "$AKB" build content -o "$REL" -q
expect_rc 0 "build with --base-url" "$AKB" build content -o "$ABS" -q --base-url "$BASE"
links_ok "$REL"
links_ok "$ABS"
(cd "$ABS" && find . -name '*.html' ! -name 404.html | sed 's|^\./||' | sort) >"$TMP/pages"
npages=$(wc -l <"$TMP/pages")

# sitemap.xml: every page but 404.html once, as an absolute URL of an existing page.
check "sitemap.xml written" test -f "$ABS/sitemap.xml"
has "$ABS/sitemap.xml" '^<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">$' "sitemap namespace"
sed -n 's|^  <url><loc>\(.*\)</loc></url>$|\1|p' "$ABS/sitemap.xml" >"$TMP/locs"
check "sitemap lists $npages pages ($(wc -l <"$TMP/locs"))" [ "$(wc -l <"$TMP/locs")" -eq "$npages" ]
to_files "$BASE" <"$TMP/locs" | sort >"$TMP/loc-files"
if diff -u "$TMP/pages" "$TMP/loc-files" >&2; then ok; else fail "sitemap URLs are exactly the site's pages"; fi
has "$TMP/locs" "^${BASE}\$" "home page is the base URL itself"
has "$TMP/locs" "^${BASE}agents/incident-commander/\$" "agent pages by folder URL"
hasnt "$TMP/locs" "404" "no 404 page in the sitemap"

# robots.txt names the sitemap.
has "$ABS/robots.txt" "^Sitemap: ${BASE}sitemap.xml\$" "robots.txt Sitemap line"
has "$ABS/robots.txt" "^User-agent: \*\$" "robots.txt allows every crawler"

# Each page: its own canonical URL and og:url, plus description and Open Graph text.
bad=0
while read -r page; do
	f="$ABS/$page"
	want=$(printf '%s\n' "$page" | sed 's|index\.html$||')
	# Paths with other than ASCII (languages/中文/) are percent-encoded in URLs.
	case "$want" in *[!\ -~]*) want=$(node tests/js/urls.mjs encode "$want") ;; esac
	grep -q "^<link rel=\"canonical\" href=\"$BASE$want\">\$" "$f" || { bad=$((bad + 1)); echo "canonical of $page" >&2; }
	grep -q "^<meta property=\"og:url\" content=\"$BASE$want\">\$" "$f" || { bad=$((bad + 1)); echo "og:url of $page" >&2; }
	[ "$(grep -c 'rel="canonical"' "$f")" -eq 1 ] || { bad=$((bad + 1)); echo "one canonical in $page" >&2; }
	for tag in 'name="description"' 'property="og:title"' 'property="og:description"' 'property="og:site_name" content="Agent Knowledge Base"' 'property="og:type"'; do
		grep -q "^<meta $tag" "$f" || { bad=$((bad + 1)); echo "$tag in $page" >&2; }
	done
done <"$TMP/pages"
check "canonical, og:url, description and Open Graph on all $npages pages ($bad problems)" [ "$bad" -eq 0 ]
has "$ABS/agents/incident-commander/index.html" '^<meta property="og:type" content="article">$' "agent pages are articles"
has "$ABS/index.html" '^<meta property="og:type" content="website">$' "other pages are websites"
has "$ABS/index.html" '^<meta property="og:title" content="Agent Knowledge Base">$' "home og:title"
has "$ABS/404.html" '^<meta name="robots" content="noindex">$' "404 kept out of search engines"
hasnt "$ABS/404.html" 'rel="canonical"' "404 has no canonical"

# The base URL adds those two lines to each listed page, and the install commands (which need an
# address to download from: the search form passes it on to the results'); nothing else.
bad=0
install='copy-install\|install-command\|<form class="akb-search"'
while read -r page; do
	grep -v '^<link rel="canonical"\|^<meta property="og:url"' "$ABS/$page" | grep -v "$install" >"$TMP/abs.page"
	grep -v "$install" "$REL/$page" | cmp -s - "$TMP/abs.page" || { bad=$((bad + 1)); echo "base_url changed more than canonical/og:url in $page" >&2; }
done <"$TMP/pages"
check "only canonical, og:url and install commands differ with a base URL ($bad pages)" [ "$bad" -eq 0 ]
# With one, the agent page's install command downloads from it; without, the page writes one from where it is.
has "$ABS/agents/incident-commander/index.html" "<code class=\"install-command\">mkdir -p .claude/agents &amp;&amp; curl -fsSL -o .claude/agents/incident-commander.md &#39;${BASE}agents/incident-commander/incident-commander.md&#39;</code>" "curl install line with base_url"
has "$ABS/index.html" "data-url=\"${BASE}agents/incident-commander/incident-commander.md\"" "cards copy the same command"
has "$REL/agents/incident-commander/index.html" '<code class="install-command" data-fill>.claude/agents/incident-commander.md</code>' "without base_url the path, filled in by site.js"
hasnt "$REL/index.html" 'data-url=' "no absolute download address without base_url"
has "$ABS/agents/incident-commander/index.html" "<form class=\"akb-search\" role=\"search\" action=\"../../index.html\" data-root=\"../../\" data-base=\"${BASE}\" hidden>" "search form knows the base URL"
hasnt "$REL/index.html" 'data-base=' "no base URL on the search form without one"

# Without a base URL: no sitemap, robots.txt, canonical or og:url, and no absolute URL in an attribute.
check "no sitemap.xml without base_url" test ! -e "$REL/sitemap.xml"
check "no robots.txt without base_url" test ! -e "$REL/robots.txt"
check "no canonical without base_url" sh -c "! grep -rlq 'rel=\"canonical\"\\|og:url' '$REL' --include=*.html"
check "no absolute URL in any attribute without base_url" sh -c "! grep -rqE '(href|src|content|action)=\"(https?:)?//' '$REL' --include=*.html"
check "base URL appears nowhere without base_url" sh -c "! grep -rq 'example.com/docs' '$REL'"
has "$REL/agents/incident-commander/index.html" '^<meta name="description" content="Use this agent when' "description without base_url"
has "$REL/agents/incident-commander/index.html" '^<meta property="og:title" content="incident-commander">$' "og:title without base_url"

# llms.txt: title, summary, one line per agent linking its raw file.
for site in "$REL" "$ABS"; do
	f="$site/llms.txt"
	check "llms.txt in $site" test -f "$f"
	check "llms.txt title" [ "$(sed -n 1p "$f")" = "# Agent Knowledge Base" ]
	check "llms.txt summary" [ "$(sed -n 3p "$f")" = "> Engineering agents for every team, in English and 中文." ]
	json "$site/agents.json" 'map(.raw_url) | join("\n")' | sort >"$TMP/raw-urls"
	sed -n 's/^- \[[^]]*\](\([^)]*\)).*/\1/p' "$f" >"$TMP/llms-links"
	base=""; [ "$site" = "$ABS" ] && base=$BASE
	to_files "$base" <"$TMP/llms-links" | sort >"$TMP/llms-files"
	if diff -u "$TMP/raw-urls" "$TMP/llms-files" >&2; then ok; else fail "llms.txt links every agent's raw file exactly once ($site)"; fi
	missing=0
	while read -r rel; do [ -f "$site/$rel" ] || missing=$((missing + 1)); done <"$TMP/llms-files"
	check "every llms.txt link resolves to a file ($missing missing)" [ "$missing" -eq 0 ]
done
has "$REL/llms.txt" '^- \[incident-commander\](agents/incident-commander/incident-commander.md): Use this agent when' "relative llms.txt line"
has "$ABS/llms.txt" "^- \[incident-commander\](${BASE}agents/incident-commander/incident-commander.md): " "absolute llms.txt line"
check "llms.txt: one section per department" [ "$(grep -c '^## ' "$REL/llms.txt")" -eq "$(ls "$REL/departments" | grep -vc index.html)" ]
has "$REL/llms.txt" "^## operations$" "department section"

# Awkward names and URLs: escaping in XML, HTML attributes and Markdown, CJK slugs percent-encoded.
C="$TMP/odd"
mkdir -p "$C/c"
printf -- '---\nname: 缓存专家\ndescription: 缓存\n---\nBody.\n' >"$C/c/a.md"
printf -- '---\nname: Say "hi" & [wave] <now>\ndescription: Quotes "and" <tags>\n---\nBody.\n' >"$C/c/b.md"
printf -- '---\nname: plain\n---\nBody.\n' >"$C/c/c.md"
printf 'title: R&D "Lab"\nbase_url: HTTPS://Example.COM/r&d\n' >"$C/agentkb.yaml"
expect_rc 0 "odd site" "$AKB" build "$C/c" -o "$C/out" -q --config "$C/agentkb.yaml"
links_ok "$C/out"
has "$C/out/sitemap.xml" '<loc>https://example.com/r&amp;d/agents/%E7%BC%93%E5%AD%98%E4%B8%93%E5%AE%B6/</loc>' "CJK slug percent-encoded, & escaped, scheme and host lowercased, slash added"
hasnt "$C/out/sitemap.xml" 'r&d' "no raw & in the sitemap"
has "$C/out/robots.txt" '^Sitemap: https://example.com/r&d/sitemap.xml$' "robots.txt with the normalised base"
has "$C/out/agents/say-hi-wave-now/index.html" '^<meta property="og:title" content="Say &quot;hi&quot; &amp; \[wave\] &lt;now&gt;">$' "og:title escaped"
has "$C/out/agents/say-hi-wave-now/index.html" '^<meta property="og:site_name" content="R&amp;D &quot;Lab&quot;">$' "og:site_name escaped"
has "$C/out/agents/缓存专家/index.html" '^<link rel="canonical" href="https://example.com/r&amp;d/agents/%E7%BC%93%E5%AD%98%E4%B8%93%E5%AE%B6/">$' "CJK canonical"
has "$C/out/llms.txt" '^- \[Say "hi" & \\\[wave\\\] <now>\](https://example.com/r&d/agents/say-hi-wave-now/say-hi-wave-now.md): Quotes "and" <tags>$' "llms.txt link text escaped"
has "$C/out/llms.txt" '^## Agents$' "no departments: one Agents section"
has "$C/out/llms.txt" '^- \[plain\](https://example.com/r&d/agents/plain/plain.md): Body.$' "summary from the body"

# base_url is validated: config errors carry their position, a bad flag is bad usage.
printf 'title: T\nbase_url:  ftp://example.com/\n' >"$TMP/bad.yaml"
expect_rc 1 "bad base_url in config" "$AKB" build content -o "$TMP/x" --config "$TMP/bad.yaml"
has "$TMP/err" "bad.yaml:2:12: error: invalid base_url 'ftp://example.com/': it must start with http:// or https://" "config error position"
check "bad base_url writes nothing" test ! -e "$TMP/x"
for url in "https://" "https://exa mple.com/" "https://example.com/a?b" "https://example.com/#top" "https://example.com/é" "https://example.com/100%" "https://user@example.com/"; do
	expect_rc 2 "--base-url '$url'" "$AKB" build content -o "$TMP/x" --base-url "$url"
	has "$TMP/err" "invalid --base-url '$url': " "message names the URL ($url)"
done
check "bad --base-url writes nothing" test ! -e "$TMP/x"
expect_rc 0 "base URL without trailing slash" "$AKB" build content -o "$TMP/noslash" -q --base-url https://example.com/docs/agents
has "$TMP/noslash/index.html" "^<link rel=\"canonical\" href=\"$BASE\">\$" "trailing slash added"
printf 'base_url: ""\n' >"$TMP/empty.yaml"
expect_rc 0 "empty base_url" "$AKB" build content -o "$TMP/empty" -q --config "$TMP/empty.yaml"
check "empty base_url stays relative" test ! -e "$TMP/empty/sitemap.xml"

finish hosting
