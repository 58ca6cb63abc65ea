#!/bin/sh
# Paths (README "Security"): hostile file, folder and agent names stay inside
# OUT and get slugs that are unique on a case-insensitive file system; links
# out of the content and loops are not followed; FIFOs, devices and unreadable
# files are skipped with a warning, never waited on; and -o refuses every
# folder a build must not replace. Nothing outside OUT is written or deleted:
# the whole temporary tree is listed before and after.
. tests/lib/common.sh

P="$TMP/paths"
C="$P/c"
mkdir -p "$C/team" "$C/back\\slash" "$P/outside"
agent() { # agent FILE NAME [DESCRIPTION]
	printf -- '---\nname: %s\ndescription: "%s Use when testing hostile paths."\n---\nBody of %s.\n' \
		"$2" "${3:-An agent named by a test.}" "$2" >"$1"
}
agent "$C/team/a..b.md" "dots"
agent "$C/team/Case.md" "Same Name"
agent "$C/team/case.md" "same name"
agent "$C/team/upper.md" "ÄRGER"
agent "$C/team/lower.md" "ärger"
agent "$C/team/climb.md" '"../../../outside/pwned"'
agent "$C/team/backslash.md" '"..\\\\..\\\\outside\\\\pwned"'
agent "$C/back\\slash/x.md" "in a folder with a backslash"
agent "$C/team/nul.md" '"nul\0byte"'
agent "$C/team/punct.md" '"!!!"'
long=$(printf 'n%.0s' $(seq 1 251))
agent "$C/team/$long.md" "a 255-byte file name"
agent "$C/team/longname.md" "$(printf 'word%.0s ' $(seq 1 60))"
echo "secret" >"$P/outside/secret.md"
ln -s "$P/outside/secret.md" "$C/team/leak.md"
ln -s "$P/outside" "$C/team/outside-dir"
ln -s .. "$C/team/loop"
ln -s self.md "$C/team/self.md"
mkfifo "$C/team/pipe.md"
is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1
[ $is_root -eq 1 ] && mknod "$C/team/device.md" c 1 3
agent "$C/team/locked.md" "locked"
chmod 000 "$C/team/locked.md"

# tree: every path under the temporary folder but OUT's own (OUT, its staging and its cache).
tree() { (cd "$TMP" && find . ! -path './paths/out*' ! -path './paths/.out*' ! -path './paths/.agentkb-cache*' \
	! -name err ! -name out ! -name 'tree-*' ! -name case-dups ! -name links.err | sort); }
tree >"$TMP/tree-before"

# As root, permissions do not stop reads: the build runs as nobody, for which locked.md is unreadable.
AS_USER=
if [ $is_root -eq 1 ]; then
	AS_USER="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chmod a+rwx "$TMP"
	chmod -R a+rwX "$P"
	chmod 000 "$C/team/locked.md"
fi
expect_rc 0 "hostile names build" timeout 120 $AS_USER "$AKB" build "$C" -o "$P/out" --report "$P/out.json"
tree >"$TMP/tree-after"
if cmp -s "$TMP/tree-before" "$TMP/tree-after"; then ok; else fail "nothing outside OUT was written or deleted"; diff "$TMP/tree-before" "$TMP/tree-after" >&2; fi
check "no file named pwned outside OUT" [ -z "$(find "$TMP" -name '*pwned*' ! -path "$P/out/*")" ]
check "the outside secret is not in the site" [ -z "$(grep -rl secret "$P/out")" ]
has "$TMP/err" "team/leak.md: warning: symbolic link leads outside" "link out of the content"
has "$TMP/err" "team/outside-dir: warning: symbolic link leads outside" "folder link out of the content"
has "$TMP/err" "team/loop: warning: symbolic link loop; not followed" "link loop"
has "$TMP/err" "team/self.md: warning: broken symbolic link; skipped" "self link"
has "$TMP/err" "team/pipe.md: warning: a FIFO, not a file; skipped" "FIFO skipped"
if [ $is_root -eq 1 ]; then
	has "$TMP/err" "team/device.md: warning: a device, not a file; skipped" "device skipped"
fi
has "$TMP/err" "team/locked.md: warning: unable to read: Permission denied; skipped" "unreadable file skipped"
expect "the unreadable file is in the report" "$(json "$P/out.json" '.files | find(.path endswith "/locked.md") | .reason')" "unreadable"
expect "the FIFO is in the report" "$(json "$P/out.json" '.files | find(.path endswith "/pipe.md") | .status')" "skipped"
for f in a..b.md Case.md case.md upper.md lower.md climb.md backslash.md nul.md punct.md "$long.md" longname.md; do
	expect "$f is rendered" "$(json "$P/out.json" ".files | find(.path endswith \"/$f\") | .status")" "rendered"
done
expect "the folder with a backslash is walked" "$(json "$P/out.json" '.files | find(.path endswith "slash/x.md") | .status')" "rendered"
# Unique on a case-insensitive file system: no two paths of the site differ only by case.
(cd "$P/out" && find . | tr '[:upper:]' '[:lower:]' | sort | uniq -d) >"$TMP/case-dups"
check "no two site paths differ only by case" [ ! -s "$TMP/case-dups" ]
(cd "$P/out" && find . | LC_ALL=C.UTF-8 sed 's/Ä/ä/g' | sort | uniq -d) >"$TMP/case-dups"
check "no two site paths differ only by a non-ASCII case" [ ! -s "$TMP/case-dups" ]
check "every site path component is at most 255 bytes" [ -z "$(cd "$P/out" && find . | awk -F/ '{for (i = 1; i <= NF; i++) if (length($i) > 255) print}')" ]
check "no site path has a backslash or a control character" [ -z "$(cd "$P/out" && find . | LC_ALL=C grep '[\\[:cntrl:]]')" ]
links_ok "$P/out"

# -o: what a build must never replace. Each refusal leaves the whole tree as it was.
mkdir -p "$P/mine/docs" "$P/empty" "$P/home"
echo "keep me" >"$P/mine/docs/notes.txt"
tree >"$TMP/tree-before"
refused() { # refused DESCRIPTION MESSAGE ARGS...
	desc=$1; msg=$2; shift 2
	expect_rc 1 "-o $desc is refused" "$AKB" build "$@"
	has "$TMP/err" "$msg" "-o $desc: the reason"
	tree >"$TMP/tree-after"
	check "-o $desc: nothing written or deleted" cmp -s "$TMP/tree-before" "$TMP/tree-after"
}
refused "the content folder" "output is the content folder" "$C" -o "$C"
refused "inside the content" "output is inside the content folder" "$C" -o "$C/site"
refused "above the content" "output holds the content folder" "$C" -o "$P"
refused "a folder agentkb did not write" "output exists and was not written by agentkb" "$C" -o "$P/mine"
refused "inside the content through a missing folder" "output is inside the content folder" "$C" -o "$P/missing/../c/site"
refused "inside the content through a link" "output is inside the content folder" "$C" -o "$P/mine/../c/team/loop/c/x"
refused "." "output must name a folder of its own" "$C" -o .
refused "/" "output must name a folder of its own" "$C" -o /
refused ".." "output must name a folder of its own" "$C" -o "$P/empty/.."
HOME="$P/home" refused "\$HOME" "output is the home folder" "$C" -o "$P/home"
check "the folder agentkb did not write is untouched" [ "$(cat "$P/mine/docs/notes.txt")" = "keep me" ]
expect_rc 0 "-o under folders that do not exist yet" "$AKB" build "$C" -o "$P/new/deeper/site" -q
check "the missing folders were made" [ -f "$P/new/deeper/site/index.html" ]
expect_rc 0 "-o an empty folder is taken" "$AKB" build "$C" -o "$P/empty" -q
check "the site has the marker" [ -f "$P/empty/.agentkb-site" ]
expect_rc 0 "-o a site agentkb wrote is replaced" "$AKB" build "$C" -o "$P/empty" -q --clean

finish paths
