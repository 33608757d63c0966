#!/bin/sh
# Run every fuzz target built by build.sh for SECONDS each (default 20),
# starting from its seed corpus in test/fuzz/corpus/NAME when there is one.
# Exits non-zero as soon as a target finds a crash, leak or sanitizer error;
# the reproducer is left in OUTDIR/crash-*.
#   test/fuzz/run.sh [SECONDS] [OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-20}
out=${2:-$here/out}
status=0
count=0
for bin in "$out"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	short=${name#fuzz_}
	work=$(mktemp -d)
	if [ -d "$here/corpus/$short" ]; then
		cp -r "$here/corpus/$short/." "$work/"
	fi
	if "$bin" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$out/crash-$short-" "$work" > "$out/$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
		cov=$(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -n 1)
		echo "fuzz: $name ok: ${runs:-?} runs in ${secs}s, ${cov:-cov: ?}"
		count=$((count + 1))
	else
		echo "fuzz: $name FAILED (log: $out/$name.log)"
		tail -n 30 "$out/$name.log"
		status=1
	fi
	rm -rf "$work"
done
if [ "$count" -eq 0 ] && [ "$status" -eq 0 ]; then
	echo "fuzz: no targets built in $out" >&2
	exit 1
fi
exit $status
