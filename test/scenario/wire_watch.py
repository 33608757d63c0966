#!/usr/bin/env python3
"""wire_watch.py - what crosses an interface, for the kernel scenarios
(tcpdump may be missing; this needs only Python and AF_PACKET).

  wire_watch.py IFACE OUTFILE

Writes one line per event to OUTFILE, flushed at once:
  <time> hip <type> <src> <dst>       every HIP packet (IP protocol 139)
  <time> esp <spi> <src> <dst>        the first ESP packet of each
                                      (SPI, source, destination)
<time> is time.time() at receipt; <type> the HIP packet type number
(16 = UPDATE).  Runs until killed.
"""
import ipaddress
import socket
import sys
import time

ETH_P_ALL = 0x0003


def parse(frame):
    """(proto, src, dst, payload) of an IPv4/IPv6 frame, or None."""
    if len(frame) < 14:
        return None
    etype = int.from_bytes(frame[12:14], "big")
    ip = frame[14:]
    if etype == 0x86DD and len(ip) >= 40:
        return (ip[6], ipaddress.IPv6Address(ip[8:24]),
                ipaddress.IPv6Address(ip[24:40]), ip[40:])
    if etype == 0x0800 and len(ip) >= 20:
        ihl = (ip[0] & 0x0F) * 4
        if ihl < 20 or len(ip) < ihl:
            return None
        return (ip[9], ipaddress.IPv4Address(ip[12:16]),
                ipaddress.IPv4Address(ip[16:20]), ip[ihl:])
    return None


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((argv[1], 0))
    seen = set()
    with open(argv[2], "a", buffering=1) as out:
        while True:
            # both directions: sent packets come as PACKET_OUTGOING
            frame = s.recv(65535)
            p = parse(frame)
            if p is None:
                continue
            proto, src, dst, pl = p
            now = time.time()
            if proto == 139 and len(pl) >= 3:
                # next header, header length, then the packet type
                out.write("%.6f hip %d %s %s\n" % (now, pl[2] & 0x7F,
                                                     src, dst))
            elif proto == 50 and len(pl) >= 4:
                key = (pl[0:4], src, dst)
                if key in seen:
                    continue
                seen.add(key)
                out.write("%.6f esp 0x%s %s %s\n" % (now, pl[0:4].hex(),
                                                      src, dst))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
