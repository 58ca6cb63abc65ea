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
json() { # json FILE QUERY: prints one value of a JSON (or search index) file (the query language: tests/js/json-get.mjs)
	node "$TOP/tests/js/json-get.mjs" "$1" "$2"
}
expect() { # expect DESCRIPTION GOT WANT
	if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi
}
node_test() { # node_test ARGS...: node's test runner (TAP) on ARGS, AKB_BIN set; its tests count as this suite's
	if [ ! -d node_modules/playwright-core ]; then
		fail "node_modules/playwright-core missing: run 'npm ci' (make deps does)"
		return 1
	fi
	AKB_BIN="$AKB" node --test --test-reporter=tap "$@" >"$TMP/tap" 2>&1
	tap_rc=$?
	# The failures, node's totals and the tests' own diagnostics (t.diagnostic, "# # ...").
	grep -E '^not ok|^# (pass|fail)|^# \\# ' "$TMP/tap" | sed 's/^# \\# /# /'
	[ $tap_rc -eq 0 ] || sed -n '/^not ok/,/^ok/p' "$TMP/tap" | head -80 >&2
	tap_pass=$(sed -n 's/^# pass //p' "$TMP/tap")
	tap_fail=$(sed -n 's/^# fail //p' "$TMP/tap")
	# No totals: node died before the end; a failing exit with no failure counted is one.
	[ -n "$tap_pass" ] || { tap_pass=0; tap_fail=1; cat "$TMP/tap" >&2; }
	[ $tap_rc -eq 0 ] || [ "$tap_fail" -gt 0 ] || tap_fail=1
	PASSED=$((PASSED + tap_pass))
	FAILED=$((FAILED + tap_fail))
}
interrupted() { # interrupted DELAY DESCRIPTION COMMAND...: Ctrl-C after DELAY seconds must make COMMAND exit 1 (stderr in $TMP/err)
	delay=$1; desc=$2; shift 2
	"$@" 2>"$TMP/err" &
	pid=$!
	sleep "$delay"
	kill -INT $pid
	wait $pid
	check "$desc exits 1" [ $? -eq 1 ]
}
finish() { # finish SUITE
	echo "$1: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}
