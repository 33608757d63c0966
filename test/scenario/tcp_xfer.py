#!/usr/bin/env python3
"""tcp_xfer.py - a TCP transfer whose integrity can be checked.

  tcp_xfer.py recv ADDR PORT READYFILE   accept one connection on
      ADDR:PORT, read until EOF, print "<bytes> <sha256>"; READYFILE is
      created once the socket listens.
  tcp_xfer.py send ADDR PORT BYTES [TIMEOUT]   connect (retrying until
      TIMEOUT seconds, default 60, have passed: the first SYNs may be
      lost while the association is set up), send BYTES random bytes,
      print "<bytes> <sha256>".
"""
import hashlib
import os
import socket
import sys
import time


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def recv(addr, port, ready):
    s = socket.socket(family_of(addr), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    open(ready, "w").close()
    c, _ = s.accept()
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    c.close()
    s.close()
    print(n, h.hexdigest())


def send(addr, port, total, timeout):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(family_of(addr), socket.SOCK_STREAM)
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
    left = total
    while left > 0:
        b = os.urandom(min(left, 65536))
        s.sendall(b)
        h.update(b)
        left -= len(b)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)  # wait for the receiver to close: everything arrived
    s.close()
    print(total, h.hexdigest())


def main(argv):
    if len(argv) >= 5 and argv[1] == "recv":
        recv(argv[2], int(argv[3]), argv[4])
    elif len(argv) >= 5 and argv[1] == "send":
        send(argv[2], int(argv[3]), int(argv[4]),
             float(argv[5]) if len(argv) > 5 else 60.0)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
