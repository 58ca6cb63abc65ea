#!/bin/sh
# Fuzz replay (issue 14): every saved input of every fuzz target
# (tests/fuzz/corpus/NAME: inputs libFuzzer found interesting;
# tests/fuzz/regressions/NAME: inputs that once crashed, leaked, hung or
# tripped UBSan, each fixed in src/) through the target's
# LLVMFuzzerTestOneInput, built with the ordinary compiler. Under `make asan`
# the same replay runs with ASan, UBSan and LeakSanitizer. One assertion per
# input; make fuzz (scripts/fuzz.sh) finds new ones.
. tests/lib/common.sh

targets=0
for src in tests/fuzz/fuzz_*.c; do
	name=${src#tests/fuzz/fuzz_}
	name=${name%.c}
	targets=$((targets + 1))
	bin="$BUILD/fuzz/replay-$name"
	if [ ! -x "$bin" ]; then
		fail "$bin missing: make builds it"
		continue
	fi
	dirs=""
	for d in tests/fuzz/corpus/$name tests/fuzz/regressions/$name; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	# Every target has a saved corpus to replay.
	check "tests/fuzz/corpus/$name holds inputs" [ -n "$(ls "tests/fuzz/corpus/$name" 2>/dev/null)" ]
	[ -n "$dirs" ] || continue
	"$bin" $dirs >"$TMP/replay.out" 2>"$TMP/replay.err"
	rc=$?
	p=$(sed -n 's/^replay: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$TMP/replay.out")
	f=$(sed -n 's/^replay: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$TMP/replay.out")
	if [ -z "$p" ]; then
		fail "replay-$name died before its summary (exit $rc)"
		tail -20 "$TMP/replay.err" >&2
		continue
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	[ "$f" -eq 0 ] || { echo "replay-$name:" >&2; grep -v '^$' "$TMP/replay.err" | tail -60 >&2; }
done
check "seven fuzz targets" [ "$targets" -eq 7 ]

# The replay driver itself must notice a failing input: a missing file, and
# a child that never finishes (reading a FIFO no one writes) within the timeout.
bin="$BUILD/fuzz/replay-template"
"$bin" "$TMP/no-such-input" >"$TMP/replay.out" 2>"$TMP/replay.err"
expect "a missing input fails" "$?/$(cat "$TMP/replay.out")" "1/replay: 0 passed, 1 failed"
mkfifo "$TMP/fifo"
AKB_FUZZ_TIMEOUT=1 "$bin" "$TMP/fifo" >"$TMP/replay.out" 2>"$TMP/replay.err"
expect "a hang fails" "$?/$(cat "$TMP/replay.out")" "1/replay: 0 passed, 1 failed"
has "$TMP/replay.err" "a hang" "a hang is named"
finish fuzz
