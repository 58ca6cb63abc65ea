#!/bin/sh
# Faults (README "Security"): a build or bundle killed with SIGKILL at several
# points leaves the previous site or file as it was and the next run cleans up
# after it; a full disk and a read-only folder are clear errors that leave the
# previous site. The kill points are reached without timing: the build blocks
# on a theme template that is a FIFO until the test has killed it.
. tests/lib/common.sh

F="$TMP/faults"
mkdir -p "$F"
cp -R content "$F/c"
cp -R themes/default "$F/theme"

# sums DIR: one line per file, its digest and path, to compare a site before and after.
sums() { (cd "$1" && find . -type f -exec cksum {} + | sort -k3); }
# block_on_template: the agent template becomes a FIFO nobody writes to.
block_on_template() {
	mv "$F/theme/templates/agent.mustache" "$F/agent.mustache"
	mkfifo "$F/theme/templates/agent.mustache"
}
unblock_template() {
	rm "$F/theme/templates/agent.mustache"
	mv "$F/agent.mustache" "$F/theme/templates/agent.mustache"
}
# killed_in_render DESCRIPTION ARGS...: runs agentkb ARGS and kills it with SIGKILL once it
# has opened the FIFO template: it is then mid-render, its staging folder made. The
# writer's open returns only when the build's open for reading has.
killed_in_render() {
	desc=$1; shift
	rm -f "$F/opened"
	(exec 3>"$F/theme/templates/agent.mustache"; touch "$F/opened"; exec sleep 120) &
	writer=$!
	"$AKB" "$@" >/dev/null 2>&1 &
	pid=$!
	tries=0
	until [ -e "$F/opened" ] || [ $tries -ge 600 ]; do sleep 0.1; tries=$((tries + 1)); done
	kill -KILL $pid
	wait $pid 2>/dev/null
	kill $writer 2>/dev/null
	wait $writer 2>/dev/null
	check "$desc: it was reading the template when killed" [ $tries -lt 600 ]
}

expect_rc 0 "first site" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme" -q
sums "$F/out" >"$TMP/before"
victim=$(ls "$F"/c/engineering/*.md | head -1)
echo "KILLED-BUILD-EDIT" >>"$victim"

# 1. Killed during a full build (--clean), then during an incremental one.
block_on_template
killed_in_render "full build" build "$F/c" -o "$F/out" --theme "$F/theme" --clean -q
sums "$F/out" >"$TMP/after"
check "killed full build: the previous site is intact" cmp -s "$TMP/before" "$TMP/after"
check "killed full build: its staging folder is left (the process had no chance)" [ -n "$(ls -A "$F" | grep '^\.out\.tmp-')" ]
killed_in_render "incremental build" build "$F/c" -o "$F/out" --theme "$F/theme" -q
sums "$F/out" >"$TMP/after"
check "killed incremental build: the previous site is intact" cmp -s "$TMP/before" "$TMP/after"
unblock_template
expect_rc 0 "the next build after two kills" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme" -q
check "the next build has the edit" [ -n "$(grep -rl KILLED-BUILD-EDIT "$F/out/agents")" ]
check "the next build removed the killed builds' staging folders" [ -z "$(ls -A "$F" | grep '^\.out\.tmp-')" ]
"$AKB" build "$F/c" -o "$F/clean" --theme "$F/theme" --clean -q
sums "$F/out" | grep -v agentkb-site >"$TMP/a"
sums "$F/clean" | grep -v agentkb-site >"$TMP/b"
check "the next build equals a clean build" cmp -s "$TMP/a" "$TMP/b"

# 2. A swap cut between its two renames (kill -9 where RENAME_EXCHANGE is missing):
# OUT gone, the old site set aside, the new one still staged, both by a dead process.
sh -c 'exit 0' &
dead=$!
wait $dead
mv "$F/out" "$F/.out.tmp-$dead-AbC123.old-XyZ789"
cp -R "$F/clean" "$F/.out.tmp-$dead-AbC123"
expect_rc 0 "build after a cut swap" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme"
has "$TMP/err" "out: warning: restored the previous site, which an interrupted build had set aside" "the restore is said"
check "OUT is back" [ -f "$F/out/index.html" ]
check "the cut swap's folders are gone" [ -z "$(ls -A "$F" | grep '^\.out\.tmp-')" ]
# A build running beside it keeps its staging folder: only dead processes' are removed.
mkdir "$F/.out.tmp-$$-LiVe12"
expect_rc 0 "build beside a live one" "$AKB" build "$F/c" -o "$F/out" --theme "$F/theme" -q
check "a live process's staging folder is kept" [ -d "$F/.out.tmp-$$-LiVe12" ]
rmdir "$F/.out.tmp-$$-LiVe12"

# 3. A bundle killed while it builds: the previous bundle is intact, the next bundle sweeps
# the killed one's work folder (in TMPDIR) and temporary file (beside FILE).
mkdir -p "$F/tmpdir"
TMPDIR="$F/tmpdir" expect_rc 0 "first bundle" "$AKB" bundle "$F/c" -o "$F/kb.tar.gz" --theme "$F/theme" -q
cksum <"$F/kb.tar.gz" >"$TMP/bundle-before"
block_on_template
TMPDIR="$F/tmpdir" killed_in_render "bundle" bundle "$F/c" -o "$F/kb.tar.gz" --theme "$F/theme" -q
check "killed bundle: the previous bundle is intact" [ "$(cksum <"$F/kb.tar.gz")" = "$(cat "$TMP/bundle-before")" ]
check "killed bundle: its work folder is left" [ -n "$(ls "$F/tmpdir" | grep '^agentkb-bundle-')" ]
touch "$F/.kb.tar.gz.tmp-$dead-QwE456"
unblock_template
TMPDIR="$F/tmpdir" expect_rc 0 "the next bundle" "$AKB" bundle "$F/c" -o "$F/kb.tar.gz" --theme "$F/theme" -q
check "the next bundle swept the killed one's work folder" [ -z "$(ls -A "$F/tmpdir")" ]
check "the next bundle swept a dead one's temporary file" [ ! -e "$F/.kb.tar.gz.tmp-$dead-QwE456" ]
check "the next bundle has the edit" [ -n "$(tar -xzOf "$F/kb.tar.gz" | grep KILLED-BUILD-EDIT)" ]

# 4. A full disk and a read-only folder: a small tmpfs holds the previous site and the
# cache but not a second copy. Mounted in a mount namespace of its own (unshare), so
# nothing is left mounted whatever happens.
site_kb=$(du -sk "$F/clean" | cut -f1)
size_kb=$((site_kb * 3 / 2 + 64))
cat >"$F/disk.sh" <<'EOF'
set -u
AKB=$1 F=$2 SIZE=$3
D=$F/disk
mkdir -p "$D"
mount -t tmpfs -o "size=${SIZE}k" tmpfs "$D" || exit 90
"$AKB" build "$F/c" -o "$D/out" --theme "$F/theme" -q || exit 91
(cd "$D/out" && find . -type f -exec cksum {} + | sort -k3) >"$F/disk-before"
"$AKB" build "$F/c" -o "$D/out" --theme "$F/theme" --clean -q 2>"$F/disk-full.err"
echo $? >"$F/disk-full.rc"
(cd "$D/out" && find . -type f -exec cksum {} + | sort -k3) >"$F/disk-after"
ls -A "$D" >"$F/disk-ls"
mount -o remount,ro "$D" || exit 92
"$AKB" build "$F/c" -o "$D/out" --theme "$F/theme" --clean -q 2>"$F/disk-ro.err"
echo $? >"$F/disk-ro.rc"
(cd "$D/out" && find . -type f -exec cksum {} + | sort -k3) >"$F/disk-ro-after"
EOF
if [ "$(id -u)" -eq 0 ]; then unshare -m sh "$F/disk.sh" "$AKB" "$F" "$size_kb"; else unshare -rm sh "$F/disk.sh" "$AKB" "$F" "$size_kb"; fi
rc=$?
check "a tmpfs could be mounted for the disk tests (exit $rc)" [ $rc -eq 0 ]
check "full disk: the build fails" [ "$(cat "$F/disk-full.rc" 2>/dev/null)" = 1 ]
has "$F/disk-full.err" "^agentkb: error: no space left on device writing '$F/disk/out/[^']*'; '$F/disk/out' left as it was$" "full disk: the message names the file"
check "full disk: one message, not one per file" [ "$(grep -c 'no space left' "$F/disk-full.err")" = 1 ]
check "full disk: the previous site is intact" cmp -s "$F/disk-before" "$F/disk-after"
check "full disk: no staging folder left" [ -z "$(grep '^\.out\.tmp-' "$F/disk-ls")" ]
check "read-only folder: the build fails" [ "$(cat "$F/disk-ro.rc" 2>/dev/null)" = 1 ]
has "$F/disk-ro.err" "^$F/disk/out: error: unable to create the new site's staging folder in '$F/disk': Read-only file system$" "read-only folder: the error says so"
check "read-only folder: the previous site is intact" cmp -s "$F/disk-before" "$F/disk-ro-after"

finish faults
