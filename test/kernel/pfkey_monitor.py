#!/usr/bin/python3
"""pfkey_monitor.py OUTFILE [SECS] - count the PF_KEY messages of a
network namespace, for test/kernel/pfkey_backend_uml_test.sh.

A promiscuous PF_KEY socket (SADB_X_PROMISC) gets a copy of every
message any socket sends to the kernel and of every message the kernel
sends.  Each one is written to OUTFILE as "TYPE ERRNO PID" (type names
from <linux/pfkeyv2.h>), flushed at once; the socket is closed on
SIGTERM or after SECS (default 600).  Only the 16-byte header is read:
messages about SAs carry keys, which are neither kept nor printed.
"""
import os
import select
import signal
import socket
import struct
import sys
import time

AF_KEY = 15
PF_KEY_V2 = 2
SADB_X_PROMISC = 11
NAMES = {
    1: "SADB_GETSPI", 2: "SADB_UPDATE", 3: "SADB_ADD", 4: "SADB_DELETE",
    5: "SADB_GET", 6: "SADB_ACQUIRE", 7: "SADB_REGISTER", 8: "SADB_EXPIRE",
    9: "SADB_FLUSH", 10: "SADB_DUMP", 11: "SADB_X_PROMISC",
    12: "SADB_X_PCHANGE", 13: "SADB_X_SPDUPDATE", 14: "SADB_X_SPDADD",
    15: "SADB_X_SPDDELETE", 16: "SADB_X_SPDGET", 17: "SADB_X_SPDACQUIRE",
    18: "SADB_X_SPDDUMP", 19: "SADB_X_SPDFLUSH", 20: "SADB_X_SPDSETIDX",
    21: "SADB_X_SPDEXPIRE", 22: "SADB_X_SPDDELETE2",
    23: "SADB_X_NAT_T_NEW_MAPPING", 24: "SADB_X_MIGRATE",
}


def main():
    out = open(sys.argv[1], "w")
    secs = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    s = socket.socket(AF_KEY, socket.SOCK_RAW, PF_KEY_V2)
    # header only: version, type, errno, satype 1 (= on), len 2 words
    s.send(struct.pack("=BBBBHHII", PF_KEY_V2, SADB_X_PROMISC, 0, 1, 2, 0,
                       1, os.getpid()))
    out.write("monitor ready\n")
    out.flush()
    end = time.monotonic() + secs
    while not stop and time.monotonic() < end:
        try:
            r, _, _ = select.select([s], [], [], 0.5)
        except InterruptedError:
            continue
        if not r:
            continue
        try:
            hdr = s.recv(16)  # the rest of the datagram is discarded
        except InterruptedError:
            continue
        if len(hdr) < 16:
            continue
        _, typ, err, _, _, _, _, pid = struct.unpack("=BBBBHHII",
                                                     hdr[:16])
        out.write("%s %d %d\n" % (NAMES.get(typ, str(typ)), err, pid))
        out.flush()
    s.close()


if __name__ == "__main__":
    main()
