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
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
incs="-include $out/config.h -I$top/include -I$top"
for target in "$here"/fuzz_*.c; do
	[ -e "$target" ] || continue
	name=$(basename "$target" .c)
	echo "  FUZZ-CC  $name"
	# shellcheck disable=SC2086
	$CC $flags $incs "$top"/libhipcore/*.c "$target" -lcrypto -o "$out/$name"
done
