#!/bin/sh
# Runs the libFuzzer targets (make fuzz; tests/fuzz/fuzz_*.c), one after the
# other, each for SECONDS, from the saved corpus tests/fuzz/corpus/NAME, the
# regressions and fresh seeds (tests/fuzz/seeds.sh). New inputs collect in
# BUILD/corpus/NAME and crashes in BUILD/crashes/NAME/; each target's last
# libFuzzer stats line (cov: ft: exec/s) is printed at the end.
#   scripts/fuzz.sh BUILD SECONDS AGENTKB [NAME...]
# FUZZ_MERGE=1 then minimizes saved corpus, new inputs and seeds into a
# fresh tests/fuzz/corpus/NAME (libFuzzer -merge=1).
BUILD=$1
SECONDS_EACH=$2
AKB=$3
shift 3
NAMES=$*
[ -n "$NAMES" ] || NAMES=$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
sh tests/fuzz/seeds.sh "$BUILD/seeds" "$AKB" || exit 1
status=0
summary=""
for t in $NAMES; do
	bin="$BUILD/fuzz/fuzz-$t"
	mkdir -p "$BUILD/corpus/$t" "$BUILD/crashes/$t" "tests/fuzz/corpus/$t"
	dirs="$BUILD/corpus/$t tests/fuzz/corpus/$t $BUILD/seeds/$t"
	[ -d "tests/fuzz/regressions/$t" ] && dirs="$dirs tests/fuzz/regressions/$t"
	# Whole pages need room: a built site's page is tens of KB.
	case $t in check|bundle) max_len=65536 ;; *) max_len=16384 ;; esac
	echo "== fuzz $t for ${SECONDS_EACH}s"
	# -timeout: an input slower than this is a hang; -rss_limit_mb: a bound on memory blowups.
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2560 -max_len=$max_len \
		-print_final_stats=1 -artifact_prefix="$BUILD/crashes/$t/" $dirs >"$BUILD/fuzz-$t.log" 2>&1
	rc=$?
	last=$(grep -E '^#[0-9]+.*(cov|ft):' "$BUILD/fuzz-$t.log" | tail -1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$BUILD/fuzz-$t.log")
	if [ $rc -ne 0 ]; then
		status=1
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$BUILD/fuzz-$t.log" | head -10
	fi
	summary="$summary
$t: rc=$rc execs=$execs $last"
	if [ "$FUZZ_MERGE" = 1 ] && [ $rc -eq 0 ]; then
		# Saved inputs are cut short (-max_len truncates them) to keep the repository small:
		# 35 to 85 KB a target.
		case $t in bundle) save_len=2048 ;; check) save_len=1024 ;; frontmatter|hooks) save_len=384 ;; *) save_len=512 ;; esac
		rm -rf "$BUILD/merged/$t" && mkdir -p "$BUILD/merged/$t"
		"$bin" -merge=1 -max_len=$save_len "$BUILD/merged/$t" "tests/fuzz/corpus/$t" "$BUILD/corpus/$t" \
			"$BUILD/seeds/$t" >"$BUILD/merge-$t.log" 2>&1 &&
			rm -rf "tests/fuzz/corpus/$t" && cp -R "$BUILD/merged/$t" "tests/fuzz/corpus/$t"
	fi
done
echo "== fuzz summary$summary"
exit $status
