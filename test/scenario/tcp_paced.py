#!/usr/bin/env python3
"""tcp_paced.py - a TCP sender at a steady rate, so that a transfer lasts
a known time (the mobility scenario moves addresses while it runs).
The receiver is tcp_xfer.py recv.

  tcp_paced.py ADDR PORT BYTES RATE [TIMEOUT]
      connect (retrying for TIMEOUT seconds, default 60), send BYTES
      random bytes at about RATE bytes/s in 16 KiB pieces, print
      "<bytes> <sha256>" once the receiver has closed.
"""
import hashlib
import os
import socket
import sys
import time

PIECE = 16384


def main(argv):
    if len(argv) not in (5, 6):
        sys.stderr.write(__doc__)
        return 2
    addr, port, total, rate = argv[1], int(argv[2]), int(argv[3]), \
        float(argv[4])
    timeout = float(argv[5]) if len(argv) == 6 else 60.0
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect((addr, port))
            break
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    s.settimeout(timeout)
    h = hashlib.sha256()
    sent = 0
    t0 = time.monotonic()
    while sent < total:
        b = os.urandom(min(PIECE, total - sent))
        s.sendall(b)
        h.update(b)
        sent += len(b)
        ahead = sent / rate - (time.monotonic() - t0)
        if ahead > 0:
            time.sleep(ahead)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)  # the receiver closes once it has everything
    s.close()
    print(total, h.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
