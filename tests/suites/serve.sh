#!/bin/sh
# agentkb serve, the live preview, over HTTP with curl: types, HEAD, 405,
# the 404 page, paths that try to leave the site (.., encoded dots and
# slashes, NUL, symlinks) never answered with an outside file, the reload
# script in served pages only, a rebuild and a `reload` event after an
# edit (a new folder included), an `error` event for a broken hook while
# the last good site is still served, a theme folder and a config file
# outside the content watched too, Ctrl-C and SIGTERM exiting 0 with no
# temporary folder left. Every wait is bounded, and the server is always killed.
. tests/lib/common.sh
SERVER=""
EVENTS=""
trap 'for p in $SERVER $EVENTS; do kill -9 $p 2>/dev/null; done; rm -rf "$TMP"' EXIT
if ! command -v curl >/dev/null 2>&1; then
	fail "curl is missing (apt-get install curl)"
	finish serve
	exit 1
fi

wait_for() { # wait_for FILE PATTERN SECONDS: until FILE holds PATTERN (grep -E); 1 on timeout
	n=$(($3 * 10))
	while [ $n -gt 0 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
count() { # count FILE PATTERN: lines of FILE holding PATTERN
	grep -c -- "$2" "$1" 2>/dev/null || true
}
wait_more() { # wait_more FILE PATTERN N SECONDS: until FILE holds more than N lines with PATTERN; 1 on timeout
	n=$(($4 * 10))
	while [ $n -gt 0 ]; do
		[ "$(count "$1" "$2")" -gt "$3" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
get() { # get PATH [curl options]: the body in $TMP/body, the headers in $TMP/head; prints the status
	p=$1; shift
	curl -s --path-as-is --max-time 10 -D "$TMP/head" -o "$TMP/body" -w '%{http_code}' "$@" "$URL${p#/}"
}
header() { # header NAME: the value of a header of the last answer
	tr -d '\r' <"$TMP/head" | sed -n "s/^$1: //Ip" | head -1
}

# The sample content, a hook, a file outside the site and a symlink to it in the content.
cp -R content "$TMP/c"
echo 'return {}' >"$TMP/hook.lua"
mkdir "$TMP/tmpdir" "$TMP/outside"
SECRET="OUTSIDE-SECRET-$$"
echo "$SECRET" >"$TMP/outside/secret.txt"
echo "---
name: $SECRET
---
$SECRET" >"$TMP/outside/secret.md"
ln -s "$TMP/outside/secret.txt" "$TMP/c/engineering/leak.txt"

TMPDIR="$TMP/tmpdir" "$AKB" serve "$TMP/c" -p 0 --hook "$TMP/hook.lua" 2>"$TMP/serve.err" &
SERVER=$!
if wait_for "$TMP/serve.err" '^serving .* at http://127\.0\.0\.1:[0-9]+/$' 60; then ok; else
	fail "no 'serving CONTENT at http://127.0.0.1:PORT/' line"
	cat "$TMP/serve.err" >&2
	finish serve
	exit 1
fi
has "$TMP/serve.err" "^serving $TMP/c at " "the serving line names the content folder"
URL=$(sed -n 's/^serving .* at \(http:.*\)$/\1/p' "$TMP/serve.err")
SITE=$(ls -d "$TMP"/tmpdir/agentkb-serve-*/site)
check "the site is built under TMPDIR" [ -f "$SITE/index.html" ]

# Types and methods.
expect "GET /" "$(get /)" 200
expect "GET / type" "$(header Content-Type)" "text/html; charset=utf-8"
has "$TMP/body" 'id="agentkb-live"' "the reload script is in the served home page"
has "$TMP/body" '__agentkb/events' "the reload script listens to the events"
for f in $(find "$SITE" -name '*.html'); do
	if grep -q 'agentkb-live\|__agentkb' "$f"; then fail "the reload script is in the built file $f"; else ok; fi
done
expect "GET agent page" "$(get /agents/accessibility-auditor/)" 200
has "$TMP/body" 'id="agentkb-live"' "the reload script is in a served agent page"
expect "one reload script" "$(grep -o 'id="agentkb-live"' "$TMP/body" | wc -l)" 1
check "the reload script is just before </body>" sh -c "tr -d '\n' <'$TMP/body' | grep -q '</script></body>'"
for pair in assets/style.css:text/css assets/site.js:text/javascript assets/favicon.svg:image/svg+xml \
	agents.json:application/json llms.txt:text/plain \
	agents/accessibility-auditor/accessibility-auditor.md:text/markdown; do
	p=${pair%%:*}
	expect "GET /$p" "$(get "/$p")" 200
	case $(header Content-Type) in "${pair#*:}"*) ok ;; *) fail "/$p: Content-Type '$(header Content-Type)', want ${pair#*:}" ;; esac
	check "/$p is served as built" cmp -s "$TMP/body" "$SITE/$p"
done
expect "HEAD /" "$(get / -I)" 200
expect "HEAD has no body" "$(curl -s -I -o /dev/null -w '%{size_download}' --max-time 10 "$URL")" 0
expect "HEAD type" "$(header Content-Type)" "text/html; charset=utf-8"
expect "POST /" "$(get / -X POST -d x=1)" 405
expect "405 Allow" "$(header Allow)" "GET, HEAD"
expect "DELETE /" "$(get /index.html -X DELETE)" 405
expect "/agents redirects" "$(get /agents)" 302
expect "/agents redirects to /agents/" "$(header Location)" "/agents/"
expect "/agents/ is its index" "$(get /agents/accessibility-auditor/index.html)" 200
expect "404" "$(get /no/such/page/)" 404
has "$TMP/body" "$(grep -o '<title>[^<]*</title>' "$SITE/404.html" | head -1)" "a 404 serves the site's 404.html"
has "$TMP/body" 'id="agentkb-live"' "the 404 page has the reload script"

# Nothing outside the site, whatever the path.
ln -s "$TMP/outside/secret.txt" "$SITE/leak.txt"
ln -s "$TMP/outside" "$SITE/leakdir"
for p in /../outside/secret.txt /../../outside/secret.txt /%2e%2e/outside/secret.txt /%2E%2E/%2e%2e/outside/secret.txt \
	/agents/..%2f..%2foutside/secret.txt /agents/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt /.%2e/outside/secret.txt \
	/./index.html /agents/../../outside/secret.txt /index.html%00.txt /..%5c..%5coutside%5csecret.txt \
	/leak.txt /leakdir/secret.txt /leakdir/ /engineering/leak.txt /%zz; do
	st=$(get "$p")
	case $st in 403 | 404) ok ;; *) fail "GET $p: status $st, want 403 or 404" ;; esac
	hasnt "$TMP/body" "$SECRET" "GET $p never answers with the outside file"
done
rm -f "$SITE/leak.txt" "$SITE/leakdir"

# Edit an agent: a `reload` event, then the new page.
curl -sN --max-time 120 "${URL}__agentkb/events" >"$TMP/events" 2>/dev/null &
EVENTS=$!
check "events: hello" wait_for "$TMP/events" '^event: hello' 10
echo "SERVE-EDIT-MARKER-ONE" >>"$TMP/c/engineering/accessibility-auditor.md"
check "an edit sends a reload event" wait_more "$TMP/events" '^event: reload' 0 60
get /agents/accessibility-auditor/ >/dev/null
has "$TMP/body" SERVE-EDIT-MARKER-ONE "the edited agent is served after the reload"
# The rebuild was incremental: only the files that changed were written, into the same folder.
last=$(grep '^serve: [0-9]* of [0-9]* files written' "$TMP/serve.err" | tail -1)
written=$(echo "$last" | sed -n 's/^serve: \([0-9]*\) of.*/\1/p')
total=$(echo "$last" | sed -n 's/^serve: [0-9]* of \([0-9]*\) files.*/\1/p')
check "the rebuild after an edit is incremental ($last)" sh -c "echo '$last' | grep -q '(incremental)\$'"
check "the rebuild wrote some files but far fewer than all ($written of $total)" \
	[ "${written:-0}" -gt 0 -a "${written:-0}" -lt "$((${total:-0} / 2))" ]
check "the site is still the one folder" [ "$(ls -d "$TMP"/tmpdir/agentkb-serve-*/site*)" = "$SITE" ]

# A new folder with a new agent in it: watched as it appears.
# The new folder is a change of its own: its build (and reload) comes first, then the file's.
reloads=$(count "$TMP/events" '^event: reload')
mkdir "$TMP/c/newfolder"
check "a new folder sends a reload" wait_more "$TMP/events" '^event: reload' "$reloads" 60
reloads=$(count "$TMP/events" '^event: reload')
printf -- '---\nname: serve-new-agent\ndescription: made while serving\ndepartment: engineering\n---\nNEW-AGENT-BODY\n' \
	>"$TMP/c/newfolder/serve-new-agent.md"
check "a file in a new folder sends a reload" wait_more "$TMP/events" '^event: reload' "$reloads" 60
expect "the new agent is served" "$(get /agents/serve-new-agent/)" 200

# A hook with a syntax error: an `error` event with path:line, the last good site still served.
errors=$(count "$TMP/events" '^event: error')
printf 'return {\n  filter = function(agent)\n    return agent.x ==\n  end,\n}\n' >"$TMP/hook.lua"
check "a broken hook sends an error event" wait_more "$TMP/events" '^event: error' "$errors" 60
has "$TMP/events" "^data: .*hook.lua:4: error: unexpected symbol near 'end'" "the error event gives path:line: error: message"
expect "the last good page is still served" "$(get /agents/accessibility-auditor/)" 200
has "$TMP/body" SERVE-EDIT-MARKER-ONE "the last good page is the edited one"
curl -sN --max-time 2 "${URL}__agentkb/events" >"$TMP/events2" 2>/dev/null
has "$TMP/events2" '^event: error' "a page opened while the build is broken is told at once"
has "$TMP/serve.err" "hook.lua:4: error: unexpected symbol" "the terminal shows the error too"

# Fixed: a reload (which clears the overlay).
reloads=$(count "$TMP/events" '^event: reload')
echo 'return {}' >"$TMP/hook.lua"
check "fixing the hook sends a reload" wait_more "$TMP/events" '^event: reload' "$reloads" 60
curl -sN --max-time 2 "${URL}__agentkb/events" >"$TMP/events3" 2>/dev/null
hasnt "$TMP/events3" '^event: error' "after a good build, no error is sent"

# A broken config is an error event too.
errors=$(count "$TMP/events" '^event: error')
printf 'title: [unclosed\n' >"$TMP/c/agentkb.yaml"
check "a broken config sends an error event" wait_more "$TMP/events" '^event: error' "$errors" 60
has "$TMP/events" "^data: .*agentkb.yaml:[0-9]*:[0-9]*: error: " "the config error gives path:line:col"
expect "still served with a broken config" "$(get /)" 200
rm -f "$TMP/c/agentkb.yaml"

# Ctrl-C: exit 0, the temporary folder gone.
kill -INT $SERVER
(sleep 20; kill -9 $SERVER 2>/dev/null) &
WATCHDOG=$!
wait $SERVER
rc=$?
kill $WATCHDOG 2>/dev/null
SERVER=""
expect "Ctrl-C exits 0" "$rc" 0
expect "no temporary folder left" "$(ls -A "$TMP/tmpdir")" ""
kill $EVENTS 2>/dev/null
EVENTS=""

# A theme folder and a config file outside the content are watched too; SIGTERM stops it.
cp -R themes/default "$TMP/theme"
printf 'title: First Serve Title\ncontent: c\n' >"$TMP/site.yaml"
TMPDIR="$TMP/tmpdir" "$AKB" serve -c "$TMP/site.yaml" --theme "$TMP/theme" -p 0 -q 2>"$TMP/serve2.err" &
SERVER=$!
check "a second server starts" wait_for "$TMP/serve2.err" '^serving ' 60
PORT=$(sed -n 's/^serving .*:\([0-9]*\)\/$/\1/p' "$TMP/serve2.err")
URL="http://127.0.0.1:$PORT/"
get / >/dev/null
has "$TMP/body" "First Serve Title" "the config's title"
curl -sN --max-time 90 "${URL}__agentkb/events" >"$TMP/events4" 2>/dev/null &
EVENTS=$!
check "events: hello (second server)" wait_for "$TMP/events4" '^event: hello' 10
echo '/* THEME-EDIT-MARKER */' >>"$TMP/theme/static/style.css"
check "a theme edit sends a reload" wait_more "$TMP/events4" '^event: reload' 0 60
get /assets/style.css >/dev/null
has "$TMP/body" THEME-EDIT-MARKER "the edited theme is served"
reloads=$(count "$TMP/events4" '^event: reload')
printf 'title: Second Serve Title\ncontent: c\n' >"$TMP/site.yaml.new"
mv "$TMP/site.yaml.new" "$TMP/site.yaml"
check "a config replaced by a rename sends a reload" wait_more "$TMP/events4" '^event: reload' "$reloads" 60
get / >/dev/null
has "$TMP/body" "Second Serve Title" "the new config applies"
kill $EVENTS 2>/dev/null
EVENTS=""
expect_rc 1 "a port in use" "$AKB" serve "$TMP/c" -p "$PORT"
has "$TMP/err" "unable to listen" "a port in use is reported"
kill -TERM $SERVER
(sleep 20; kill -9 $SERVER 2>/dev/null) &
WATCHDOG=$!
wait $SERVER
rc=$?
kill $WATCHDOG 2>/dev/null
SERVER=""
expect "SIGTERM exits 0" "$rc" 0
expect "no temporary folder left after SIGTERM" "$(ls -A "$TMP/tmpdir")" ""
# A file saved while a build runs (after its loading): that build fails on the file, which serve
# does not show as an error; it builds again at once and the pages reload. The highlight theme
# is a FIFO in a highlight data folder serve does not watch: each build blocks on it after
# loading, and its feeder makes the edit there when told to.
HL="$TMP/hl"
mkdir -p "$HL/themes" "$TMP/c3"
ln -s /usr/share/highlight/langDefs "$HL/langDefs"
for t in /usr/share/highlight/themes/*.theme; do
	[ "$(basename "$t")" = github.theme ] || ln -s "$t" "$HL/themes/"
done
mkfifo "$HL/themes/github.theme"
cp -R content/engineering "$TMP/c3/"
printf 'highlight:\n  datadir: %s\n' "$HL" >"$TMP/c3/agentkb.yaml"
B3=$(ls "$TMP"/c3/engineering/*.md | sed -n 2p)
# The trigger is looked at once a build has opened the FIFO, never before: a feeder already
# waiting in open when the test sets it would feed that build without the edit.
(while :; do
	exec 3>"$HL/themes/github.theme"
	if [ -e "$TMP/edit-during-build" ]; then
		cat "$TMP/edit-during-build" >>"$B3"
		rm -f "$TMP/edit-during-build"
	fi
	cat /usr/share/highlight/themes/github.theme >&3
	exec 3>&-
done) &
FEEDER=$!
EVENTS="$EVENTS $FEEDER"
TMPDIR="$TMP/tmpdir" "$AKB" serve "$TMP/c3" -p 0 -q 2>"$TMP/serve3.err" &
SERVER=$!
check "a third server starts" wait_for "$TMP/serve3.err" '^serving ' 60
PORT=$(sed -n 's/^serving .*:\([0-9]*\)\/$/\1/p' "$TMP/serve3.err")
URL="http://127.0.0.1:$PORT/"
curl -sN --max-time 90 "${URL}__agentkb/events" >"$TMP/events5" 2>/dev/null &
EVENTS="$EVENTS $!"
check "events: hello (third server)" wait_for "$TMP/events5" '^event: hello' 10
# The edit that starts the build is to B3 too: only the pages of changed files are made again
# (and their files read again), so that is where a file saved during the build is noticed.
echo "SAVED-DURING-BUILD" >"$TMP/edit-during-build"
echo "FIRST-EDIT" >>"$B3"
check "a file saved during a build: serve says so" wait_for "$TMP/serve3.err" '^serve: files changed during the build; building again$' 60
check "and builds again, then reloads" wait_more "$TMP/events5" '^event: reload' 0 60
hasnt "$TMP/events5" '^event: error' "no error is shown for it"
slug=$(basename "$B3" .md)
get "/agents/$slug/" >/dev/null
has "$TMP/body" SAVED-DURING-BUILD "the file saved during the build is served"
# Saved while a build keeps its page (the edit that starts it is to another file): that build
# publishes what it loaded, and the saved change starts the next one.
reloads=$(count "$TMP/events5" '^event: reload')
echo "SAVED-WHILE-KEPT" >"$TMP/edit-during-build"
echo "OTHER-EDIT" >>"$(ls "$TMP"/c3/engineering/*.md | head -1)"
check "a file saved while its page is kept: two builds, two reloads" wait_more "$TMP/events5" '^event: reload' $((reloads + 1)) 60
get "/agents/$slug/" >/dev/null
has "$TMP/body" SAVED-WHILE-KEPT "a file saved while its page is kept: served after the next build"
hasnt "$TMP/events5" '^event: error' "a file saved while its page is kept: no error"
kill -TERM $SERVER
wait $SERVER
SERVER=""
expect_rc 2 "serve -o" "$AKB" serve "$TMP/c" -o x
expect_rc 2 "serve -p abc" "$AKB" serve "$TMP/c" -p abc
expect_rc 2 "serve -p 70000" "$AKB" serve "$TMP/c" -p 70000
expect_rc 1 "serve --bind nonsense" "$AKB" serve "$TMP/c" -p 0 --bind nonsense
expect_rc 1 "serve with an invalid config" "$AKB" serve "$TMP/c" -p 0 -c "$TMP/hook.lua"
finish serve
