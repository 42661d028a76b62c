#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a large benchmark capture quickly, without namespaces or scapy.

    bench/gen-capture.py mixed OUT.pcap [--conversations N] [--seed S]
    bench/gen-capture.py flood OUT.pcap [--syns N] [--sources K] [--seed S]

`mixed`: N conversations (default 100,000) started at random times over a
few minutes and interleaved in time as on a busy link, IPv4 and IPv6,
mixing every outcome tcpdiag diagnoses (graceful closes with request and
answer exchanges, bulk transfers, refusals, unanswered SYNs, ICMP errors,
resets at every stage, half-closed connections, port reuse, midstream).
About 8.5 packets per conversation.

`flood`: N SYNs (default 1,000,000) from K spoofed sources to one
listener, each answered by a SYN-ACK (a listener answering with SYN
cookies), none acknowledged: 2 N packets.

Packets are built here with the header layouts of RFC 791, 8200, 9293,
792 and 4443 and written as a classic pcap (Ethernet, microseconds), with
correct IP and TCP checksums.  The same seed gives the same file.  This
is synthetic traffic for measuring cost: the test suite's captures come
from the real kernel.
"""

import argparse
import array
import heapq
import ipaddress
import random
import struct
import sys

ETH_V4 = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
ETH_V6 = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x86\xdd"

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
SYN_OPTS = b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + b"\0" * 8 + b"\x01\x03\x03\x07"
IP_TCP, IP_ICMP, IP_ICMPV6 = 6, 1, 58


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(array.array("H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return struct.pack("=H", ~s & 0xFFFF)


class Host:
    __slots__ = ("raw", "v6", "ident")

    def __init__(self, text):
        a = ipaddress.ip_address(text)
        self.raw = a.packed
        self.v6 = a.version == 6
        self.ident = 0


def ip_packet(src, dst, proto, payload, ttl):
    """Ethernet + IP header + payload (payload's checksum already set)."""
    if src.v6:
        return ETH_V6 + struct.pack("!IHBB", 0x60000000, len(payload), proto, ttl) + src.raw + dst.raw + payload
    src.ident = (src.ident + 1) & 0xFFFF
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), src.ident, 0x4000, ttl, proto, 0, src.raw, dst.raw)
    return ETH_V4 + h[:10] + csum(h) + h[12:] + payload


def tcp_segment(src, dst, sport, dport, seq, ack, flags, payload=b"", ts=0):
    opts = SYN_OPTS if flags & SYN else b"\x01\x01\x08\x0a" + struct.pack("!II", ts & 0xFFFFFFFF, 0)
    if flags & SYN:
        opts = opts[:8] + struct.pack("!II", ts & 0xFFFFFFFF, 0) + opts[16:]
    if flags & RST:
        opts = b""
    off = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF if flags & ACK else 0,
                      off << 4, flags, 0 if flags & RST else 64240, 0, 0) + opts
    seg = hdr + payload
    pseudo = src.raw + dst.raw + (struct.pack("!I", len(seg)) + b"\0\0\0\x06" if src.v6
                                  else struct.pack("!BBH", 0, IP_TCP, len(seg)))
    c = csum(pseudo + seg)
    return seg[:16] + c + seg[18:]


def icmp_error(router, to, quoted, code):
    """Destination unreachable from `router` to `to`, quoting a packet."""
    body = quoted[14:]  # without Ethernet
    if to.v6:
        body = body[:1232 - 8]
        msg = struct.pack("!BBHI", 1, code, 0, 0) + body
        pseudo = router.raw + to.raw + struct.pack("!I", len(msg)) + b"\0\0\0\x3a"
        msg = msg[:2] + csum(pseudo + msg) + msg[4:]
        return ip_packet(router, to, IP_ICMPV6, msg, 64)
    body = body[:28]
    msg = struct.pack("!BBHI", 3, code, 0, 0) + body
    msg = msg[:2] + csum(msg) + msg[4:]
    return ip_packet(router, to, IP_ICMP, msg, 64)


class Conv:
    """One TCP conversation: appends timed packets to `out`."""

    def __init__(self, out, rnd, t, cli, srv, sport, dport, rtt):
        self.out, self.rnd, self.t = out, rnd, t
        self.h = (cli, srv)
        self.port = (sport, dport)
        self.nxt = [rnd.getrandbits(32), rnd.getrandbits(32)]
        self.rtt = rtt
        self.ttl = (64, 64 if rnd.random() < 0.7 else 128)

    def send(self, who, flags, data=b"", dt=0.0, seq=None):
        self.t += dt
        src, dst = self.h[who], self.h[1 - who]
        s = self.nxt[who] if seq is None else seq
        pkt = ip_packet(src, dst, IP_TCP,
                        tcp_segment(src, dst, self.port[who], self.port[1 - who], s, self.nxt[1 - who], flags,
                                    data, int(self.t * 1000)), self.ttl[who] - (0 if who == 0 else 3))
        self.out.append((self.t, pkt))
        if seq is None:
            self.nxt[who] += len(data) + (1 if flags & (SYN | FIN) else 0)
        return pkt

    def half(self):
        return self.rtt / 2 * (0.8 + 0.4 * self.rnd.random())

    def handshake(self):
        self.send(0, SYN)
        self.send(1, SYN | ACK, dt=self.half())
        self.send(0, ACK, dt=self.half())

    def exchange(self, nreq=1):
        r = self.rnd
        for _ in range(nreq):
            self.send(0, PSH | ACK, b"q" * r.randint(40, 600), dt=0.0005)
            ans = r.randint(100, 2500)
            first = True
            while ans > 0:
                n = min(ans, 1448)
                self.send(1, PSH | ACK if n == ans else ACK, b"a" * n,
                          dt=self.half() + r.random() * 0.01 if first else 0.0001)
                first = False
                ans -= n
            self.send(0, ACK, dt=self.half())

    def bulk(self, segments):
        for i in range(segments):
            self.send(1, ACK, b"b" * 1448, dt=0.0001)
            if i % 2:
                self.send(0, ACK, dt=0.00005)
            if i == segments // 2 and self.rnd.random() < 0.5:
                # one retransmission of the last segment
                self.send(1, ACK, b"b" * 1448, dt=self.rtt * 2, seq=self.nxt[1] - 1448)

    def unanswered_fin(self, who, gaps):
        """A FIN sent and retransmitted after each gap, never acknowledged."""
        fin = self.nxt[who]
        for dt in gaps:
            self.send(who, FIN | ACK, dt=dt, seq=fin)
        self.nxt[who] = fin + 1

    def close(self, first):
        self.send(first, FIN | ACK, dt=0.001)
        self.send(1 - first, ACK, dt=self.half())
        self.send(1 - first, FIN | ACK, dt=0.0005)
        self.send(first, ACK, dt=self.half())


def scenario(c, kind, rnd):
    """Packets of one conversation of the given kind."""
    if kind == "closed":
        c.handshake()
        c.exchange(rnd.randint(1, 2))
        c.close(0 if rnd.random() < 0.75 else 1)
    elif kind == "bulk":
        c.handshake()
        c.exchange(1)
        c.bulk(rnd.randint(10, 50))
        c.close(0)
    elif kind == "refused":
        c.send(0, SYN)
        c.nxt[1] = 0
        c.send(1, RST | ACK, dt=c.half())
    elif kind == "unanswered":
        for i, dt in enumerate((0, 1.0, 2.0, 4.0)):
            c.send(0, SYN, dt=dt, seq=c.nxt[0])
        c.nxt[0] += 1
    elif kind == "icmp":
        syn = c.send(0, SYN)
        code = rnd.choice((4, 1)) if c.h[0].v6 else rnd.choice((3, 13, 1))
        # A closed port is reported by the server, the others by a router.
        sender = c.h[1] if code in (3, 4) else c.router
        c.t += c.half()
        c.out.append((c.t, icmp_error(sender, c.h[0], syn, code)))
    elif kind == "synack-unanswered":
        c.send(0, SYN)
        for dt in (c.half(), 1.0, 2.0, 4.0):
            c.send(1, SYN | ACK, dt=dt, seq=c.nxt[1])
        c.nxt[1] += 1
    elif kind == "client-aborted":
        c.send(0, SYN)
        c.send(1, SYN | ACK, dt=c.half())
        c.send(0, RST, dt=c.half())
    elif kind == "reset-after-handshake":
        c.handshake()
        c.send(rnd.randint(0, 1), RST | ACK, dt=0.002)
    elif kind == "reset":
        c.handshake()
        c.exchange(rnd.randint(1, 2))
        c.send(rnd.randint(0, 1), RST | ACK, dt=0.002)
    elif kind == "midstream":
        c.exchange(rnd.randint(1, 4))
    elif kind == "established":
        c.handshake()
        c.exchange(rnd.randint(1, 3))
    elif kind == "close-wait":
        c.handshake()
        c.exchange(1)
        c.send(0, FIN | ACK, dt=0.001)
        c.send(1, ACK, dt=c.half())
    elif kind == "fin-unacked":
        c.handshake()
        c.exchange(1)
        c.unanswered_fin(1, (0.001, 0.3, 0.6, 1.2))
    elif kind == "last-ack":
        c.handshake()
        c.exchange(1)
        c.send(0, FIN | ACK, dt=0.001)
        c.send(1, ACK, dt=c.half())
        c.unanswered_fin(1, (0.001, 0.3, 0.6))
    elif kind == "fin-wait2-expired":
        c.handshake()
        c.exchange(1)
        c.send(0, FIN | ACK, dt=0.001)
        c.send(1, ACK, dt=c.half())
        c.send(1, FIN | ACK, dt=61.0)
        c.send(0, RST, dt=c.half())
    elif kind == "reset-after-fin":
        c.handshake()
        c.exchange(1)
        c.send(0, FIN | ACK, dt=0.001)
        c.send(1, ACK, dt=c.half())
        c.send(1, PSH | ACK, b"late" * 20, dt=0.01)
        c.send(0, RST, dt=c.half())
    elif kind == "reset-unread-data":
        c.handshake()
        c.send(0, PSH | ACK, b"u" * 300, dt=0.001)
        c.send(1, ACK, dt=c.half())
        c.send(1, RST | ACK, dt=0.05)
    elif kind == "simultaneous-open":
        c.send(0, SYN)
        c.send(1, SYN, dt=0.0001)
        c.send(0, SYN | ACK, dt=c.half(), seq=c.nxt[0] - 1)
        c.send(1, SYN | ACK, dt=0.0001, seq=c.nxt[1] - 1)
        c.exchange(1)
        c.close(0)
    elif kind == "reuse":
        c.handshake()
        c.exchange(1)
        c.close(0)
        c.t += 0.5 + rnd.random()  # within TIME_WAIT: the same ports again
        c.nxt = [rnd.getrandbits(32), rnd.getrandbits(32)]
        c.handshake()
        c.exchange(1)
        c.close(0)
    else:
        raise ValueError(kind)


# (kind, weight): most conversations end well, as on a real link.
MIX = [("closed", 46), ("bulk", 2), ("refused", 8), ("unanswered", 5), ("icmp", 2),
       ("synack-unanswered", 2), ("client-aborted", 2), ("reset-after-handshake", 2),
       ("reset", 6), ("midstream", 4), ("established", 6), ("close-wait", 4), ("fin-unacked", 1),
       ("last-ack", 1), ("fin-wait2-expired", 1), ("reset-after-fin", 1), ("reset-unread-data", 2),
       ("simultaneous-open", 1), ("reuse", 4)]


def write_pcap(path, packets):
    """packets: iterable of (time in seconds from 0, frame bytes), in order."""
    base = 1_800_000_000
    n = 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, pkt in packets:
            us = int(t * 1_000_000)
            f.write(struct.pack("<IIII", base + us // 1_000_000, us % 1_000_000, len(pkt), len(pkt)))
            f.write(pkt)
            n += 1
    return n


def mixed(args):
    rnd = random.Random(args.seed)
    servers4 = [Host("192.0.2.%d" % i) for i in range(10, 30)]
    servers6 = [Host("2001:db8:1::%x" % i) for i in range(0x10, 0x20)]
    clients4 = [Host("198.51.100.%d" % i) for i in range(1, 255)] + \
               [Host("203.0.113.%d" % i) for i in range(1, 255)]
    clients6 = [Host("2001:db8:2::%x" % i) for i in range(1, 200)]
    routers = {False: Host("192.0.2.254"), True: Host("2001:db8:1::fe")}
    next_port = {}
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    ports = (80, 443, 22, 5432, 8080, 25)
    packets = []
    span = args.seconds
    for i in range(args.conversations):
        v6 = rnd.random() < 0.25
        cli = rnd.choice(clients6 if v6 else clients4)
        srv = rnd.choice(servers6 if v6 else servers4)
        p = next_port.get(id(cli), 32768 + rnd.randrange(1000))
        next_port[id(cli)] = 32768 + (p - 32768 + 1 + rnd.randrange(7)) % 28000
        kind = rnd.choices(kinds, weights)[0]
        if kind == "midstream":
            t = rnd.random() * 0.5  # under way when the capture began
        else:
            t = rnd.random() * span
        rtt = rnd.choice((0.0004, 0.002, 0.015, 0.040)) * (0.7 + 0.6 * rnd.random())
        conv = []
        c = Conv(conv, rnd, t, cli, srv, p, rnd.choice(ports), rtt)
        c.router = routers[v6]
        scenario(c, kind, rnd)
        packets.extend(conv)
    packets.sort(key=lambda x: x[0])
    n = write_pcap(args.out, packets)
    print("%s: %d packets, %d conversations" % (args.out, n, args.conversations))


def flood(args):
    rnd = random.Random(args.seed)
    listener = Host("192.0.2.80")
    sources = [Host("203.0.113.%d" % (i + 1)) for i in range(args.sources)]
    rate = 31500.0

    def gen():
        pending = []  # SYN-ACKs, by time
        for i in range(args.syns):
            t = i / rate
            while pending and pending[0][0] <= t:
                yield heapq.heappop(pending)
            src = sources[i % len(sources)]
            # hping3's way: each source counts its source port up.
            port = 1024 + (i // len(sources)) % 64000
            c = Conv(None, rnd, t, src, listener, port, 80, 0.0002)
            out = []
            c.out = out
            c.send(0, SYN)
            c.send(1, SYN | ACK, dt=0.0001)
            yield out[0]
            heapq.heappush(pending, out[1])
        while pending:
            yield heapq.heappop(pending)

    n = write_pcap(args.out, gen())
    print("%s: %d packets, %d SYNs from %d sources" % (args.out, n, args.syns, args.sources))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    m = sub.add_parser("mixed")
    m.add_argument("out")
    m.add_argument("--conversations", type=int, default=100_000)
    m.add_argument("--seconds", type=float, default=300.0, help="start times spread over this long")
    m.add_argument("--seed", type=int, default=1)
    f = sub.add_parser("flood")
    f.add_argument("out")
    f.add_argument("--syns", type=int, default=1_000_000)
    f.add_argument("--sources", type=int, default=16)
    f.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if getattr(args, "conversations", 1) < 1 or getattr(args, "syns", 1) < 1 or getattr(args, "sources", 1) < 1:
        sys.exit("%s: counts must be at least 1" % sys.argv[0])
    (mixed if args.what == "mixed" else flood)(args)


if __name__ == "__main__":
    main()
