#!/bin/sh
# hipconf's offline commands: command-line behaviour (exit statuses, one
# clear error line), then the independent Python cross-check of HITs,
# HOST_ID encoding and signatures (hit_crosscheck.py).
#
# Run by "make check" from the build directory; HIPCONF and SIGN_TOOL may
# point elsewhere.  Exit 77 (skip) only when python3-cryptography is
# missing, after the command-line checks have passed.
set -u

srcdir=${srcdir:-$(dirname "$0")/../..}
HIPCONF=${HIPCONF:-./hipconf/hipconf}
SIGN_TOOL=${SIGN_TOOL:-./test/crosscheck/sign_tool}
PYTHON=${PYTHON:-python3}

work=$(mktemp -d "${TMPDIR:-/tmp}/hipconf-check.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
fail=0

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# expect STATUS STDERR-PATTERN DESCRIPTION -- COMMAND...: the command
# exits with STATUS and prints exactly one line on stderr matching the
# pattern ('' = nothing on stderr).
expect() {
	want=$1 pattern=$2 what=$3
	shift 4
	"$@" >"$work/out" 2>"$work/err"
	got=$?
	lines=$(wc -l <"$work/err")
	if [ "$got" -ne "$want" ]; then
		bad "$what: exit $got, expected $want ($(cat "$work/err"))"
	elif [ -z "$pattern" ] && [ -s "$work/err" ]; then
		bad "$what: unexpected stderr: $(cat "$work/err")"
	elif [ -n "$pattern" ] && ! grep -q -- "$pattern" "$work/err"; then
		bad "$what: stderr '$(cat "$work/err")' lacks '$pattern'"
	elif [ -n "$pattern" ] && [ "$want" -eq 1 ] && [ "$lines" -ne 1 ]; then
		bad "$what: $lines lines on stderr, expected one"
	else
		ok "$what"
	fi
}

hit_re='^2001:2[0-9a-f]:[0-9a-f:]*$'

# --- help and version ---------------------------------------------------
expect 0 '' "--version" -- "$HIPCONF" --version
grep -q '^hipconf [0-9]' "$work/out" || bad "--version output"
expect 0 '' "--help" -- "$HIPCONF" --help
grep -q 'keygen' "$work/out" || bad "--help lists keygen"
expect 0 '' "help keygen" -- "$HIPCONF" help keygen
grep -q 'usage: hipconf keygen' "$work/out" || bad "help keygen output"
expect 0 '' "keygen --help" -- "$HIPCONF" keygen --help
expect 2 'usage' "no command" -- "$HIPCONF"
expect 2 "unknown command 'frobnicate'" "unknown command" -- "$HIPCONF" frobnicate
expect 2 "unknown option '--bogus'" "unknown global option" -- "$HIPCONF" --bogus
expect 2 "unknown command" "help of an unknown command" -- "$HIPCONF" help nope

# --- keygen -------------------------------------------------------------
expect 0 '' "keygen default type" -- "$HIPCONF" keygen --out "$work/k1.pem"
grep -q "$hit_re" "$work/out" || bad "keygen prints a HIT"
case $(cat "$work/out") in 2001:22:*) ok "default type is ECDSA (suite 2)" ;;
	*) bad "default type is ECDSA: $(cat "$work/out")" ;; esac
mode=$(stat -c %a "$work/k1.pem")
[ "$mode" = 600 ] && ok "key file mode 0600" || bad "key file mode $mode"
head -1 "$work/k1.pem" | grep -q 'BEGIN PRIVATE KEY' && ok "PKCS#8 PEM" ||
	bad "PKCS#8 PEM header"
cp "$work/k1.pem" "$work/k1.orig"
expect 1 "k1.pem: file exists" "keygen refuses to overwrite" -- \
	"$HIPCONF" keygen -t ed25519 -o "$work/k1.pem"
cmp -s "$work/k1.pem" "$work/k1.orig" && ok "existing key untouched" ||
	bad "existing key was changed"
expect 0 '' "keygen --force" -- "$HIPCONF" keygen -t ed25519 -o "$work/k1.pem" --force
case $(cat "$work/out") in 2001:25:*) ok "Ed25519 HIT uses suite 5" ;;
	*) bad "Ed25519 HIT: $(cat "$work/out")" ;; esac
expect 1 "unknown key type 'dsa'" "keygen wrong type" -- \
	"$HIPCONF" keygen --type dsa --out "$work/k2.pem"
expect 1 "unknown key type 'rsa:1024'" "keygen RSA too small" -- \
	"$HIPCONF" keygen --type rsa:1024 --out "$work/k2.pem"
[ -e "$work/k2.pem" ] && bad "failed keygen left a file" || ok "no file after failure"
expect 2 "out FILE is required" "keygen without --out" -- "$HIPCONF" keygen
expect 2 "needs an argument" "keygen --type without value" -- \
	"$HIPCONF" keygen --out "$work/k3.pem" --type
expect 2 "unknown option" "keygen unknown option" -- "$HIPCONF" keygen -x
expect 1 "nodir/k.pem" "keygen into a missing directory" -- \
	"$HIPCONF" keygen --out "$work/nodir/k.pem"

# --- hit ----------------------------------------------------------------
expect 0 '' "hit" -- "$HIPCONF" hit "$work/k1.pem"
hit=$(cat "$work/out")
expect 0 '' "hit --lsi" -- "$HIPCONF" hit --lsi "$work/k1.pem"
grep -q '^1\.[0-9]*\.[0-9]*\.[0-9]*$' "$work/out" && ok "LSI in 1.0.0.0/8" ||
	bad "LSI output $(cat "$work/out")"
expect 0 '' "hit FILE --lsi (options after FILE)" -- "$HIPCONF" hit "$work/k1.pem" --lsi
expect 1 "missing.pem: No such file" "hit of a missing file" -- \
	"$HIPCONF" hit "$work/missing.pem"
echo "hello" >"$work/text"
chmod 600 "$work/text"
expect 1 "text: not a key in PEM format" "hit of a non-key" -- \
	"$HIPCONF" hit "$work/text"
chmod 644 "$work/k1.pem"
expect 1 "chmod 600" "hit refuses a world-readable private key" -- \
	"$HIPCONF" hit "$work/k1.pem"
chmod 600 "$work/k1.pem"
expect 1 "not a regular file" "hit of a directory" -- "$HIPCONF" hit "$work"
expect 2 "FILE is required" "hit without FILE" -- "$HIPCONF" hit
expect 2 "unexpected argument" "hit with two files" -- "$HIPCONF" hit a b
expect 0 '' "pubkey" -- "$HIPCONF" pubkey "$work/k1.pem"
cp "$work/out" "$work/k1.pub"
chmod 644 "$work/k1.pub"
expect 0 '' "hit of a public key file (mode 0644)" -- "$HIPCONF" hit "$work/k1.pub"
[ "$(cat "$work/out")" = "$hit" ] && ok "public key has the same HIT" ||
	bad "public key HIT $(cat "$work/out") != $hit"
expect 2 "unknown option" "pubkey --lsi" -- "$HIPCONF" pubkey --lsi "$work/k1.pem"

# --- independent cross-check --------------------------------------------
if ! command -v "$PYTHON" >/dev/null 2>&1 ||
   ! "$PYTHON" -c 'import cryptography' 2>/dev/null; then
	echo "SKIP python3-cryptography missing; on Debian: apt-get install python3-cryptography"
	[ $fail -eq 0 ] && exit 77
	exit 1
fi
mkdir "$work/x" || exit 99
"$PYTHON" "$srcdir/test/crosscheck/hit_crosscheck.py" "$HIPCONF" "$SIGN_TOOL" \
	"$work/x" || fail=1
exit $fail
