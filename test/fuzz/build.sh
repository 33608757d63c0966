#!/bin/sh
# Build every libFuzzer target (test/fuzz/fuzz_*.c) with clang, ASan and
# UBSan.  Each target is linked with all of libhipcore's sources.
#   test/fuzz/build.sh [OUTDIR]      (default: test/fuzz/out in the source tree)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$here/out}
CC=${FUZZ_CC:-clang}

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz/build.sh: $CC not found; on Debian: apt-get install clang libclang-rt-14-dev" >&2
	exit 1
fi
mkdir -p "$out"
# The fuzz build needs no configure run: the only thing the library takes
# from config.h is the feature-test macro.
printf '#define _GNU_SOURCE 1\n#define PACKAGE_VERSION "fuzz"\n' > "$out/config.h"
cflags="-g -O1 -std=c11 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
ldflags="-fsanitize=fuzzer,address,undefined"
incs="-include $out/config.h -I$top/include -I$top"
# The library is compiled once (instrumented for coverage) and every
# target is linked against those objects.
rm -rf "$out/obj"
mkdir -p "$out/obj"
objs=""
for src in "$top"/libhipcore/*.c; do
	obj=$out/obj/$(basename "$src" .c).o
	# shellcheck disable=SC2086
	$CC $cflags $incs -c "$src" -o "$obj" &
	objs="$objs $obj"
	# at most $(nproc) compilers at a time
	while [ "$(jobs -p | wc -l)" -ge "$(nproc)" ]; do sleep 0.1; done
done
wait
for target in "$here"/fuzz_*.c; do
	[ -e "$target" ] || continue
	name=$(basename "$target" .c)
	echo "  FUZZ-CC  $name"
	# shellcheck disable=SC2086
	$CC $cflags $incs -c "$target" -o "$out/obj/$name.o"
	# A "fuzz-sources: FILE..." line in the target names sources
	# outside libhipcore (paths from the top of the tree) it needs.
	extra=""
	for src in $(sed -n 's/^.*fuzz-sources: *//p' "$target"); do
		obj=$out/obj/$name-$(basename "$src" .c).o
		# shellcheck disable=SC2086
		$CC $cflags $incs -c "$top/$src" -o "$obj"
		extra="$extra $obj"
	done
	# shellcheck disable=SC2086
	$CC $ldflags "$out/obj/$name.o" $extra $objs -lcrypto -o "$out/$name"
done
