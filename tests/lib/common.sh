# Shared helpers for the shell test suites (sourced). Each suite counts
# assertions and ends with "SUITE: N passed, N failed".
BUILD=${1:-build}
AKB=${AKB_BIN:-$PWD/$BUILD/agentkb}
SHARED=${AKB_SHARED:-$(cd .. && pwd)/shared}
TOP=$PWD
PASSED=0
FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
check() { # check DESCRIPTION COMMAND...
	desc=$1; shift
	if "$@"; then ok; else fail "$desc"; fi
}
links_ok() { # links_ok SITE: `agentkb check --links` finds nothing broken in a built site
	if "$AKB" check --links "$1" 2>"$TMP/links.err"; then ok; else fail "check --links $1"; head -20 "$TMP/links.err" >&2; fi
}
expect_rc() { # expect_rc WANT DESCRIPTION COMMAND... (stdout in $TMP/out, stderr in $TMP/err)
	want=$1; desc=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"; got=$?
	if [ "$got" = "$want" ]; then ok; else fail "$desc: exit $got, want $want"; cat "$TMP/err" >&2; fi
}
has() { # has FILE PATTERN DESCRIPTION
	if grep -q -- "$2" "$1"; then ok; else fail "$3 (no '$2' in $1)"; fi
}
hasnt() { # hasnt FILE PATTERN DESCRIPTION
	if grep -q -- "$2" "$1"; then fail "$3 ('$2' in $1)"; else ok; fi
}
json() { # json FILE EXPRESSION: prints the value of a JS expression over the parsed file (as `r`)
	node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(eval(process.argv[2]))' "$1" "$2"
}
expect() { # expect DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}
finish() { # finish SUITE
	echo "$1: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
