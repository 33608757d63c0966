#!/usr/bin/env python3
"""Independent recomputation of libhipcore's KEYMAT, DH and ECDH.

KEYMAT (RFC 7401 6.5, RFC 7402 7) is recomputed here with a hand-written
HKDF (RFC 5869) on hashlib/hmac; MODP DH (groups 3, 11, 4) with primes
rebuilt from their RFC 3526 definitions (digits of pi computed here) and
Python's pow(); ECDH public values (x | y, RFC 5903 7) and shared
secrets (the x coordinate) with python3-cryptography.  The C side is
test/crosscheck/keymat_driver (KEYMAT_DRIVER overrides the path).
Exit status 0 = all agree, 1 = a mismatch, 77 = skipped.
"""
import hashlib
import hmac
import os
import random
import subprocess
import sys

DRIVER = os.environ.get("KEYMAT_DRIVER", "./test/crosscheck/keymat_driver")

RHASH = {1: hashlib.sha256, 2: hashlib.sha384, 3: hashlib.sha1}
CIPHER_KEY = {1: 0, 2: 16, 4: 32}                  # RFC 7401 5.2.8, 6.5
# RFC 7402 suite: (encryption octets incl. AEAD salt, auth octets)
ESP = {1: (16, 20), 7: (0, 32), 8: (16, 32), 9: (32, 32),
       12: (20, 0), 13: (20, 0)}


def hkdf(hfn, ikm, salt, info, length):
    prk = hmac.new(salt, ikm, hfn).digest()
    out, t, n = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([n]), hfn).digest()
        out += t
        n += 1
    return out[:length]


def run(*args):
    res = subprocess.run([DRIVER] + [str(a) for a in args],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError("driver failed: %s" % res.stderr.strip())
    lines = {}
    for line in res.stdout.splitlines():
        words = line.split()
        lines[words[0]] = [b"" if w == "-" else w for w in words[1:]]
    return lines


def split4(block, a, b):
    """gl_a | gl_b | lg_a | lg_b"""
    return (block[:a], block[a:a + b], block[a + b:2 * a + b],
            block[2 * a + b:2 * (a + b)])


def check_keymat(rng, suite, cipher, esp):
    hl = RHASH[suite]().digest_size
    kij = rng.randbytes(rng.choice([32, 48, 66, 192, 256, 384]))
    i, j = rng.randbytes(hl), rng.randbytes(hl)
    ours = bytes([0x20, 0x01, 0x00, 0x20 | rng.randrange(16)]) + \
        rng.randbytes(12)
    peer = bytes([0x20, 0x01, 0x00, 0x20 | rng.randrange(16)]) + \
        rng.randbytes(12)
    if ours == peer:
        return True
    info = min(ours, peer) + max(ours, peer)      # sort(HIT-I | HIT-R)
    want = hkdf(RHASH[suite], kij, i + j, info, 600)
    got = run("keymat", suite, cipher, esp, kij.hex(), i.hex(), j.hex(),
              ours.hex(), peer.hex(), 600)
    ok = bytes.fromhex(got["raw"][0]) == want
    greater = ours > peer                         # unsigned 128-bit
    e, m = CIPHER_KEY[cipher], hl
    gl_e, gl_m, lg_e, lg_m = split4(want, e, m)
    exp_hip = [gl_e, lg_e, gl_m, lg_m] if greater else \
        [lg_e, gl_e, lg_m, gl_m]
    ok &= [bytes.fromhex(x) if x else b"" for x in got["hip"]] == exp_hip
    idx = 2 * (e + m)
    ee, ea = ESP[esp]
    gl_e, gl_a, lg_e, lg_a = split4(want[idx:], ee, ea)
    exp_esp = [gl_e, lg_e, gl_a, lg_a] if greater else \
        [lg_e, gl_e, lg_a, gl_a]
    ok &= int(got["esp"][0]) == idx
    ok &= [bytes.fromhex(x) if x else b"" for x in got["esp"][1:]] == \
        exp_esp
    if not ok:
        print("KEYMAT mismatch: suite %d cipher %d esp %d" %
              (suite, cipher, esp))
    return ok


def pi_fixed(bits):
    """floor(pi * 2^bits), Machin: pi = 16 atan(1/5) - 4 atan(1/239)."""
    guard = 64
    one = 1 << (bits + guard)

    def atan_inv(x):
        total = term = one // x
        n, sign = 1, -1
        while term:
            term //= x * x
            total += sign * (term // (2 * n + 1))
            sign, n = -sign, n + 1
        return total
    return (16 * atan_inv(5) - 4 * atan_inv(239)) >> guard


def modp_prime(bits, pibits, add):
    """RFC 3526: p = 2^b - 2^(b-64) - 1 + 2^64 * ([2^(b-130) pi] + add)"""
    return 2 ** bits - 2 ** (bits - 64) - 1 + \
        2 ** 64 * (pi_fixed(pibits) + add)


MODP = {3: (1536, 1406, 741804), 11: (2048, 1918, 124476),
        4: (3072, 2942, 1690314)}


def check_modp(rng, group):
    bits, pibits, add = MODP[group]
    p, size = modp_prime(bits, pibits, add), bits // 8
    b = rng.randrange(2, p - 2)
    mine = pow(2, b, p)                           # generator 2
    got = run("dh", group, mine.to_bytes(size, "big").hex())
    theirs = bytes.fromhex(got["pub"][0])
    if len(theirs) != size:                       # padded to the prime
        print("DH group %d: public value of %d octets" %
              (group, len(theirs)))
        return False
    y = int.from_bytes(theirs, "big")
    if not 1 < y < p - 1:
        print("DH group %d: public value out of range" % group)
        return False
    if bytes.fromhex(got["kij"][0]) != pow(y, b, p).to_bytes(size, "big"):
        print("DH group %d: shared secret differs" % group)
        return False
    return True


def check_ecdh(group):
    from cryptography.hazmat.primitives.asymmetric import ec
    curve, size = {7: (ec.SECP256R1(), 32), 8: (ec.SECP384R1(), 48),
                   9: (ec.SECP521R1(), 66)}[group]
    priv = ec.generate_private_key(curve)
    nums = priv.public_key().public_numbers()
    mine = nums.x.to_bytes(size, "big") + nums.y.to_bytes(size, "big")
    got = run("dh", group, mine.hex())
    theirs = bytes.fromhex(got["pub"][0])
    if len(theirs) != 2 * size:
        print("ECDH group %d: public value of %d octets" %
              (group, len(theirs)))
        return False
    pub = ec.EllipticCurvePublicNumbers(
        int.from_bytes(theirs[:size], "big"),
        int.from_bytes(theirs[size:], "big"), curve).public_key()
    shared = priv.exchange(ec.ECDH(), pub)        # x coordinate
    if bytes.fromhex(got["kij"][0]) != shared:
        print("ECDH group %d: shared secret differs" % group)
        return False
    return True


def main():
    if not os.access(DRIVER, os.X_OK):
        print("no driver at %s" % DRIVER)
        return 77
    rng = random.Random(7401)
    ok, n = True, 0
    for suite in RHASH:
        for cipher in CIPHER_KEY:
            for esp in ESP:
                ok &= check_keymat(rng, suite, cipher, esp)
                n += 1
    for group in MODP:
        ok &= check_modp(rng, group)
        n += 1
    try:
        import cryptography  # noqa: F401
        for group in (7, 8, 9):
            for _ in range(2):
                ok &= check_ecdh(group)
                n += 1
    except ImportError:
        print("python3-cryptography missing: ECDH part skipped")
    print("%d cross-checks, %s" % (n, "all agree" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
