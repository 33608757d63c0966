#!/usr/bin/env python3
"""Cross-check hipconf and libhipcore against an independent computation.

For freshly generated keys of every type (made by `hipconf keygen` and by
Python's `cryptography`), compute the HOST_ID "Host Identity" field and
the ORCHIDv2 HIT in Python from the RFC text (orchid.py) and compare them
with `hipconf hit`, `hipconf hit --lsi` and the HOST_ID value printed by
sign_tool.  Then verify signatures made by the C code with `cryptography`
(RSA-PSS/SHA-256, ECDSA/SHA-384 as raw r|s, pure EdDSA), and signatures
made by `cryptography` with the C code.

usage: hit_crosscheck.py HIPCONF SIGN_TOOL WORKDIR
exit: 0 pass, 1 mismatch, 77 python3-cryptography missing
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orchid  # noqa: E402

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import (
        ec, ed448, ed25519, padding, rsa, utils)
except ImportError:
    print("python3-cryptography is not installed: skipping")
    sys.exit(77)

FAILURES = []


def check(cond, what):
    if cond:
        print("ok   " + what)
    else:
        print("FAIL " + what)
        FAILURES.append(what)


def run(args, stdin=b""):
    p = subprocess.run(args, input=stdin, capture_output=True, check=False)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def load_private(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def hi_of(pub):
    """(HI algorithm, HI field) of a public key, per RFC 7401 / 9374."""
    if isinstance(pub, rsa.RSAPublicKey):
        n = pub.public_numbers()
        return orchid.HI_RSA, orchid.hi_rsa(n.e, n.n)
    if isinstance(pub, ec.EllipticCurvePublicKey):
        n = pub.public_numbers()
        curve, flen = {"secp256r1": (1, 32), "secp384r1": (2, 48)}[pub.curve.name]
        return orchid.HI_ECDSA, orchid.hi_ecdsa(curve, n.x, n.y, flen)
    raw = pub.public_bytes(serialization.Encoding.Raw,
                           serialization.PublicFormat.Raw)
    if isinstance(pub, ed25519.Ed25519PublicKey):
        return orchid.HI_EDDSA, orchid.hi_eddsa(1, raw)
    if isinstance(pub, ed448.Ed448PublicKey):
        return orchid.HI_EDDSA, orchid.hi_eddsa(3, raw)
    raise ValueError("unexpected key type")


def verify_py(pub, algo, msg, sig):
    """Verify a HIP signature with `cryptography`; True if valid."""
    try:
        if algo == orchid.HI_RSA:
            pub.verify(sig, msg,
                       padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                   salt_length=32),
                       hashes.SHA256())
        elif algo == orchid.HI_ECDSA:
            half = len(sig) // 2
            der = utils.encode_dss_signature(
                int.from_bytes(sig[:half], "big"),
                int.from_bytes(sig[half:], "big"))
            pub.verify(der, msg, ec.ECDSA(hashes.SHA384()))
        else:
            pub.verify(sig, msg)
    except InvalidSignature:
        return False
    return True


def sign_py(priv, algo, msg):
    """A HIP signature made by `cryptography`."""
    if algo == orchid.HI_RSA:
        return priv.sign(msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                          salt_length=32), hashes.SHA256())
    if algo == orchid.HI_ECDSA:
        r, s = utils.decode_dss_signature(
            priv.sign(msg, ec.ECDSA(hashes.SHA384())))
        flen = (priv.curve.key_size + 7) // 8
        return r.to_bytes(flen, "big") + s.to_bytes(flen, "big")
    return priv.sign(msg)


def crosscheck_key(hipconf, sign_tool, path, label, keygen_hit=None):
    priv = load_private(path)
    pub = priv.public_key()
    algo, hi = hi_of(pub)
    want_hit = orchid.hit_str(algo, hi)
    if keygen_hit is not None:
        check(keygen_hit == want_hit,
              "%s: keygen printed %s, expected %s" % (label, keygen_hit, want_hit))
    rc, out, err = run([hipconf, "hit", path])
    check(rc == 0 and out.strip() == want_hit,
          "%s: hipconf hit = %s, expected %s %s" % (label, out.strip(), want_hit, err.strip()))
    rc, out, _ = run([hipconf, "hit", "--lsi", path])
    want_lsi = orchid.lsi_str(orchid.hit(algo, hi))
    check(rc == 0 and out.strip() == want_lsi,
          "%s: hipconf hit --lsi = %s, expected %s" % (label, out.strip(), want_lsi))

    # HOST_ID value: HI Length | DI-type/DI Length | Algorithm | HI | DI
    fqdn = b"host.example.org"
    want = (len(hi).to_bytes(2, "big") + (0x1000 | len(fqdn)).to_bytes(2, "big")
            + algo.to_bytes(2, "big") + hi + fqdn)
    rc, out, _ = run([sign_tool, "hostid", path, fqdn.decode()])
    check(rc == 0 and out.strip() == want.hex(), "%s: HOST_ID value" % label)

    # The public key PEM gives the same HIT.
    rc, pem, _ = run([hipconf, "pubkey", path])
    pub_path = path + ".pub"
    with open(pub_path, "w") as f:
        f.write(pem)
    check(rc == 0 and serialization.load_pem_public_key(pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        == pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo),
        "%s: hipconf pubkey" % label)
    rc, out, _ = run([hipconf, "hit", pub_path])
    check(rc == 0 and out.strip() == want_hit, "%s: hit of the public key" % label)

    # Signatures, C -> Python and Python -> C.
    msg = b"HIP packet up to HIP_SIGNATURE " + os.urandom(37)
    rc, out, err = run([sign_tool, "sign", path], msg)
    ok = rc == 0
    if ok:
        salgo, hexsig = out.split()
        sig = bytes.fromhex(hexsig)
        ok = int(salgo) == algo and verify_py(pub, algo, msg, sig)
        check(not verify_py(pub, algo, msg + b"x", sig),
              "%s: Python rejects the C signature on another message" % label)
    check(ok, "%s: Python verifies the C signature %s" % (label, err.strip()))
    sig = sign_py(priv, algo, msg)
    rc, _, err = run([sign_tool, "verify", pub_path, str(algo), sig.hex()], msg)
    check(rc == 0, "%s: C verifies the Python signature %s" % (label, err.strip()))
    rc, _, _ = run([sign_tool, "verify", pub_path, str(algo), sig.hex()],
                   msg[:-1])
    check(rc == 1, "%s: C rejects the Python signature on another message" % label)


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    hipconf, sign_tool, work = sys.argv[1:]
    orchid.self_test()
    print("ok   orchid.py: Keccak, SHAKE128 and NIST cSHAKE128 samples")

    for kind in ("ecdsa-p256", "ecdsa-p384", "ed25519", "ed448", "rsa:2048", "rsa"):
        path = os.path.join(work, "hipconf-%s.pem" % kind.replace(":", "-"))
        rc, out, err = run([hipconf, "keygen", "--type", kind, "--out", path])
        check(rc == 0, "keygen %s %s" % (kind, err.strip()))
        if rc == 0:
            crosscheck_key(hipconf, sign_tool, path, "hipconf " + kind,
                           out.strip())

    made = {
        "py-rsa3072-e3": rsa.generate_private_key(public_exponent=3, key_size=3072),
        "py-p256": ec.generate_private_key(ec.SECP256R1()),
        "py-p384": ec.generate_private_key(ec.SECP384R1()),
        "py-ed25519": ed25519.Ed25519PrivateKey.generate(),
        "py-ed448": ed448.Ed448PrivateKey.generate(),
    }
    for label, key in made.items():
        path = os.path.join(work, label + ".pem")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        crosscheck_key(hipconf, sign_tool, path, label)

    if FAILURES:
        print("%d cross-check(s) failed" % len(FAILURES))
        return 1
    print("all cross-checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
