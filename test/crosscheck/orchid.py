"""Independent ORCHIDv2 / HIT computation (RFC 7343, RFC 7401 3.2 and
5.2.9, RFC 3110, RFC 9374) for cross-checking hipd.  Pure Python: only
hashlib and the standard library; cSHAKE128 is implemented here from
FIPS 202 and NIST SP 800-185."""

import hashlib
import ipaddress

CONTEXT_ID = bytes.fromhex("F0EFF02FBFF43D0FE7930C3C6E6174EA")
CSHAKE_CONTEXT_ID = bytes.fromhex("00B5A69C795DF5D5F0087F56843F2C40")

HI_RSA, HI_ECDSA, HI_EDDSA, HI_ECDSA_LOW, HI_DSA = 5, 7, 13, 9, 3

# --- Keccak-f[1600] (FIPS 202) ---------------------------------------
_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A,
    0x8000000080008000, 0x000000000000808B, 0x0000000080000001,
    0x8000000080008081, 0x8000000000008009, 0x000000000000008A,
    0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
    0x000000000000800A, 0x800000008000000A, 0x8000000080008081,
    0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]
_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61],
        [28, 55, 25, 21, 56], [27, 20, 39, 8, 14]]
_M = (1 << 64) - 1


def _rol(v, n):
    n %= 64
    return ((v << n) | (v >> (64 - n))) & _M if n else v


def _keccak_f(a):
    for rc in _RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        a = [[a[x][y] ^ d[x] for y in range(5)] for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _ROT[x][y])
        a = [[b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
              for y in range(5)] for x in range(5)]
        a[0][0] ^= rc
    return a


def keccak(rate, data, suffix, outlen):
    """Sponge with the given rate (octets), domain suffix bits, pad10*1."""
    msg = bytearray(data)
    msg.append(suffix)
    while len(msg) % rate:
        msg.append(0)
    msg[-1] ^= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off:off + rate]
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            a[x][y] ^= int.from_bytes(block[8 * i:8 * i + 8], "little")
        a = _keccak_f(a)
    out = bytearray()
    while True:
        for i in range(rate // 8):
            x, y = i % 5, i // 5
            out += a[x][y].to_bytes(8, "little")
        if len(out) >= outlen:
            return bytes(out[:outlen])
        a = _keccak_f(a)


def _left_encode(x):
    n = max(1, (x.bit_length() + 7) // 8)
    return bytes([n]) + x.to_bytes(n, "big")


def _encode_string(s):
    return _left_encode(len(s) * 8) + s


def _bytepad(x, w):
    z = _left_encode(w) + x
    return z + b"\0" * ((w - len(z) % w) % w)


def cshake128(data, outlen, n=b"", s=b""):
    if not n and not s:
        return keccak(168, data, 0x1F, outlen)
    return keccak(168, _bytepad(_encode_string(n) + _encode_string(s), 168)
                  + data, 0x04, outlen)


# --- HI encodings (RFC 7401 5.2.9) -----------------------------------
def _unsigned(v):
    return v.to_bytes((v.bit_length() + 7) // 8, "big")


def hi_rsa(e, n):
    eb, nb = _unsigned(e), _unsigned(n)
    head = bytes([len(eb)]) if len(eb) <= 255 else b"\0" + len(eb).to_bytes(2, "big")
    return head + eb + nb


def hi_ecdsa(curve_id, x, y, flen):
    return (curve_id.to_bytes(2, "big") + b"\x04" + x.to_bytes(flen, "big")
            + y.to_bytes(flen, "big"))


def hi_eddsa(curve_id, raw):
    return curve_id.to_bytes(2, "big") + raw


# --- ORCHIDv2 ---------------------------------------------------------
SUITES = {HI_RSA: 1, HI_DSA: 1, HI_ECDSA: 2, HI_ECDSA_LOW: 3, HI_EDDSA: 5}


def hit(algo, hi):
    suite = SUITES[algo]
    head = bytes([0x20, 0x01, 0x00, 0x20 | suite])
    if suite == 5:
        h = cshake128(head + hi, 12, b"", CSHAKE_CONTEXT_ID)
    else:
        name = {1: "sha256", 2: "sha384", 3: "sha1"}[suite]
        d = hashlib.new(name, CONTEXT_ID + hi).digest()
        mid = (len(d) - 12) // 2
        h = d[mid:mid + 12]
    return head + h


def hit_str(algo, hi):
    return str(ipaddress.IPv6Address(hit(algo, hi)))


def lsi_str(hit_bytes):
    return str(ipaddress.IPv4Address(bytes([1]) + hit_bytes[13:16]))


def self_test():
    # Keccak sponge against hashlib's SHAKE128 and SHA3-256.
    for m in (b"", b"abc", bytes(range(200))):
        assert keccak(168, m, 0x1F, 40) == hashlib.shake_128(m).digest(40)
        assert keccak(136, m, 0x06, 32) == hashlib.sha3_256(m).digest()
    # NIST SP 800-185 cSHAKE128 samples 1 and 2.
    s = b"Email Signature"
    assert cshake128(bytes.fromhex("00010203"), 32, b"", s).hex() == \
        "c1c36925b6409a04f1b504fcbca9d82b4017277cb5ed2b2065fc1d3814d5aaf5"
    assert cshake128(bytes(range(200)), 32, b"", s).hex() == \
        "c5221d50e4f822d96a2e8881a961420f294b7b24fe3d2094baed2c6524cc166b"


if __name__ == "__main__":
    self_test()
    print("orchid.py self-test ok")
