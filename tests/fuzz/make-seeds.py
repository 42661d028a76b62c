#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the fuzz target's seed corpus from captures: one input
(tests/fuzz/fuzz_format.h) per TCP conversation, its segments and the ICMP
errors quoting them, as tshark reads them (no plugin needed).

    make-seeds.py OUTDIR CAPTURE...   [--max-per-capture N]  (default 12)
"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys

HEADER, RECORD = 14, 20
OP_SENDER1, OP_ICMP, OP_DF, OP_IP6, OP_SACK = 0x01, 0x04, 0x40, 0x20, 0x80
# The same list as icmp_kinds in fuzz_engine.c: (type, code, v6).
ICMP_KINDS = [(3, 0, 0), (3, 1, 0), (3, 3, 0), (3, 4, 0), (3, 9, 0), (3, 10, 0), (3, 13, 0),
              (11, 0, 0), (12, 0, 0), (4, 0, 0), (5, 0, 0), (1, 0, 1), (1, 1, 1), (1, 3, 1),
              (1, 4, 1), (2, 0, 1), (3, 0, 1), (4, 0, 1), (8, 0, 0), (128, 0, 1), (0, 0, 0),
              (255, 255, 1), (3, 2, 0), (3, 5, 0), (3, 7, 0), (3, 8, 0), (1, 5, 1), (1, 6, 1)]
FIELDS = ["tcp.stream", "frame.time_epoch", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
          "tcp.window_size_value", "tcp.flags", "ip.ttl", "ipv6.hlim", "ip.id", "ip.flags.df",
          "tcp.options.sack_le", "tcp.options.sack_re", "icmp.type", "icmp.code", "icmp.mtu",
          "icmpv6.type", "icmpv6.code", "icmpv6.mtu"]


def time_code(dt):
    """The record's time byte nearest to dt seconds, and the step it means."""
    if dt < 0:
        return 0xFF, -0.001
    best, step = 0, 0.0
    for e in range(8):
        m = min(31, round(dt / 10 ** (e - 6)))
        if abs(m * 10 ** (e - 6) - dt) < abs(step - dt):
            best, step = e << 5 | m, m * 10 ** (e - 6)
    return best, step


def num(v, base=10, default=0, inner=False):
    """The first occurrence of a field (the outermost header), or the last
    (inner: the header nearest to TCP, inside a tunnel)."""
    v = v.split("|")[-1 if inner else 0]
    return int(v, base) if v else default


def packets(capture):
    out = subprocess.run(["tshark", "-n", "-r", capture, "-o", "tcp.relative_sequence_numbers:FALSE",
                          "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|", "-Y", "tcp"]
                         + [a for f in FIELDS for a in ("-e", f)],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        row = dict(zip(FIELDS, line.split("\t") + [""] * len(FIELDS)))
        if row["tcp.stream"]:
            yield row


def inner_v6(r):
    """The IP header that carries the TCP segment (or the ICMP error) is
    IPv6: the last IP layer before TCP in frame.protocols."""
    protos = r["frame.protocols"].split(":")
    last = [p for p in protos[:protos.index("tcp") if "tcp" in protos else len(protos)]
            if p in ("ip", "ipv6")]
    return bool(last) and last[-1] == "ipv6"


def inner_addr(r, k):
    """The source or destination (k) address of that header."""
    return (r["ipv6." + k] if inner_v6(r) else r["ip." + k]).split("|")[-1]


def encode(rows, capture_end):
    """One conversation's rows -> the fuzz input; capture_end: the time of
    the capture's last packet (the reader's end of the capture)."""
    first = rows[0]
    icmp0 = bool(first["icmp.type"] or first["icmpv6.type"])
    if icmp0:
        return None
    addr = inner_addr
    ep0 = (addr(first, "src"), num(first["tcp.srcport"]))
    isn, seen = [None, None], [False, False]
    for r in rows:
        if r["icmp.type"] or r["icmpv6.type"]:
            continue
        i = 0 if (addr(r, "src"), num(r["tcp.srcport"])) == ep0 else 1
        if isn[i] is None:
            isn[i] = num(r["tcp.seq_raw"])
            seen[i] = True
        if isn[1 - i] is None and num(r["tcp.flags"], 16) & 0x10:
            isn[1 - i] = (num(r["tcp.ack_raw"]) - 1) % 2**32
    isn = [v or 0 for v in isn]
    # The capture goes on after the conversation 0, 45, 90 or 135 s.
    tail = min(3, round((capture_end - float(rows[-1]["frame.time_epoch"])) / 45))
    out = bytearray(struct.pack("<IIHHBB", isn[0], isn[1], ep0[1], num(first["tcp.dstport"]),
                                3 | tail << 2, 0))
    # Steps from where the decoded time is, so that rounding does not add up.
    at = float(first["frame.time_epoch"])
    for r in rows:
        tc, step = time_code(float(r["frame.time_epoch"]) - at)
        itype = r["icmp.type"] or r["icmpv6.type"]
        v6 = bool(r["ipv6.src"])
        if itype:
            v6 = bool(r["icmpv6.type"])
            icode = r["icmp.code"] or r["icmpv6.code"]
            kind = (num(itype, inner=True), num(icode, inner=True), int(v6))
            if kind not in ICMP_KINDS:
                continue
            at += step
            srcs = (r["ip.src"] or r["ipv6.src"]).split("|")
            dsts = (r["ip.dst"] or r["ipv6.dst"]).split("|")
            about = 0 if (srcs[-1], num(r["tcp.srcport"])) == ep0 else 1
            # Sent by the quoted segment's destination: the source of the IP
            # header that carries the ICMP error (the one before the quoted one).
            carrier = srcs[-2] if len(srcs) >= 2 else srcs[0]
            op = OP_ICMP | about | (OP_DF if carrier == dsts[-1] else 0)
            mtu = num(r["icmp.mtu"] or r["icmpv6.mtu"])
            out += struct.pack("<BBHIIHBBHH", op, 0, 0, 0, 0, min(mtu, 65535), 0, tc, 0,
                               ICMP_KINDS.index(kind))
            continue
        at += step
        i = 0 if (addr(r, "src"), num(r["tcp.srcport"])) == ep0 else 1
        flags = num(r["tcp.flags"], 16) & 0x3F
        v6 = inner_v6(r)
        op = i | (OP_IP6 if v6 else 0) | (OP_DF if num(r["ip.flags.df"], inner=True) else 0)
        extra = 0
        ack = num(r["tcp.ack_raw"])
        if r["tcp.options.sack_le"]:
            le, re_ = num(r["tcp.options.sack_le"]), num(r["tcp.options.sack_re"])
            # Left edge rounded down, right edge up: the block still covers
            # what it covered.
            left = min(255, ((le - ack) % 2**32) // 100)
            right = max(0, min(255, -(-((re_ - ack) % 2**32 - left * 100) // 100)))
            extra = left | right << 8
            op |= OP_SACK
        out += struct.pack("<BBHIIHBBHH", op, flags, min(num(r["tcp.len"]), 65535),
                           (num(r["tcp.seq_raw"]) - isn[i]) % 2**32, (ack - isn[1 - i]) % 2**32,
                           num(r["tcp.window_size_value"]),
                           num(r["ipv6.hlim"] if v6 else r["ip.ttl"], inner=True), tc,
                           0 if v6 else num(r["ip.id"], 16, inner=True), extra)
    return bytes(out)


def capture_end(capture):
    """The time of the capture's last packet, TCP or not."""
    out = subprocess.run(["tshark", "-n", "-r", capture, "-T", "fields", "-e", "frame.time_epoch"],
                         capture_output=True, text=True, check=True).stdout.split()
    return max((float(t) for t in out), default=0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("captures", nargs="+")
    ap.add_argument("--max-per-capture", type=int, default=12)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    written = 0
    for cap in a.captures:
        convs, end = {}, 0.0
        for r in packets(cap):
            convs.setdefault(int(r["tcp.stream"].split("|")[0]), []).append(r)
            end = max(end, float(r["frame.time_epoch"]))
        end = max(end, capture_end(cap))
        for stream in sorted(convs)[:a.max_per_capture]:
            data = encode(convs[stream], end)
            if not data:
                continue
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(a.outdir, name), "wb") as f:
                f.write(data)
            written += 1
    print(f"make-seeds.py: {written} inputs from {len(a.captures)} captures in {a.outdir}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
