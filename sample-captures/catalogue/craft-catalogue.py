#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of make-crafted.sh: the programs that run inside its network
namespaces, and the transformations of kernel-made captures.

Kernel traffic (plain sockets; every packet is made by the Linux stack):
  serve ADDR PORT NBYTES DELAY READYFILE
        accept one connection, read the request (up to an empty line),
        wait DELAY s, send NBYTES, read until EOF, close().
  fetch ADDR PORT NBYTES
        connect, send an 18-byte GET, read NBYTES, close() first.
  connect ADDR PORT
        blocking connect(); report what it returned.

Router namespace:
  reorder QUEUE DELAY_MS K READYFILE
        NFQUEUE QUEUE: hold every queued packet DELAY_MS, in order, except
        that the K-th segment with payload from port 80 (1-based) is let go
        right after the next one from port 80: a swap of two adjacent data
        segments, done to real packets on the path (the kernel has no netem).
        Ends on SIGTERM or after 30 s.
  icmp-quotes IFACE TARGET READYFILE
        sniff the client's SYNs to TARGET on IFACE; 0.2 s after the first,
        send ICMP host unreachable quoting 12 bytes of an IP header (b);
        0.2 s later one quoting a whole IP header (protocol TCP) and no TCP
        byte (c); 0.2 s after the second SYN one quoting its IP header and
        the first 8 bytes of its TCP header (a).  CRAFTED (scapy), sent for
        real from the router to the client.

Transformations (CRAFTED from kernel captures; classic pcap in and out):
  renumber IN OUT SPORT ISN
        shift the sequence numbers of the segments from port SPORT (and the
        acknowledgement numbers and SACK blocks of the other direction) so
        that the SYN-ACK's ISN becomes ISN; TCP checksums recomputed.
  teredo IN OUT
        wrap every IPv6 packet in IPv4/UDP (Teredo, port 3544), twice: the
        flow as captured (inner TCP checksums recomputed: the captured ones
        are a veth's partial checksums), and a copy with the client's TCP
        port + 1000 and another outer UDP port, 10 us later, merged by
        time.  Outer TTLs 128 (client) and 60 (relay), unlike the inner hop
        limits (64, 63).
"""
import importlib.util
import os
import select
import signal
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REQUEST = b"GET / HTTP/1.0\r\n\r\n"       # 18 bytes, as in normal-close


def say(role, msg):
    print("%s: %s" % (role, msg), flush=True)


def touch(path):
    with open(path, "w") as f:
        f.write("%d\n" % os.getpid())


# ------------------------------------------------------------ kernel traffic

def serve(addr, port, nbytes, delay, readyfile):
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((addr, port))
    lsock.listen(8)
    lsock.settimeout(15)
    touch(readyfile)
    conn, peer = lsock.accept()
    conn.settimeout(10)
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = conn.recv(4096)
        if not chunk:
            break
        req += chunk
    time.sleep(delay)
    conn.sendall(bytes(i & 0xff for i in range(nbytes)))
    rest = 0
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += len(chunk)
    say("server", "%s port %d: %d byte request, %d bytes sent %.1f s later, "
        "EOF (%d more bytes); closing" % (peer[0], peer[1], len(req), nbytes,
                                         delay, rest))
    conn.close()
    lsock.close()
    return 0


def fetch(addr, port, nbytes):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.connect((addr, port))
    sock.sendall(REQUEST)
    got = 0
    while got < nbytes:
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += len(chunk)
    say("client", "%d of %d bytes received; closing first" % (got, nbytes))
    sock.close()
    return 0 if got == nbytes else 1


def connect(addr, port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t0 = time.monotonic()
    try:
        sock.connect((addr, port))
        say("client", "connected after %.2f s" % (time.monotonic() - t0))
    except OSError as exc:
        say("client", "connect() failed after %.2f s: %s (%s)" % (
            time.monotonic() - t0, exc.__class__.__name__, exc))
    sock.close()
    return 0


# ------------------------------------------------------------ reordering

def capture_helper():
    """sample-captures/capture-helper.py as a module (its NFQUEUE code)."""
    spec = importlib.util.spec_from_file_location(
        "capture_helper", os.path.join(HERE, "..", "capture-helper.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


NFQNL_COPY_PACKET = 2
NFQA_PAYLOAD = 10


def reorder(queue, delay_ms, swap_k, readyfile):
    ch = capture_helper()
    role = "reorder"
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, ch.NETLINK_NETFILTER)
    nl.bind((0, 0))
    seq = [0]

    def config(attrs):
        seq[0] += 1
        nl.send(ch.nfq_message(ch.NFQNL_MSG_CONFIG, queue, attrs, seq[0],
                               ch.NLM_F_REQUEST | ch.NLM_F_ACK))
        for kind, payload in ch.nfq_parse(nl.recv(65536)):
            if kind == ch.NLMSG_ERROR:
                err = -struct.unpack_from("=i", payload)[0]
                if err:
                    raise OSError(err, os.strerror(err))

    def verdict(pkt_id):
        seq[0] += 1
        nl.send(ch.nfq_message(ch.NFQNL_MSG_VERDICT, queue, [
            (ch.NFQA_VERDICT_HDR, struct.pack("!II", ch.NF_ACCEPT, pkt_id))],
            seq[0]))

    config([(ch.NFQA_CFG_CMD, struct.pack("=BBH", ch.NFQNL_CFG_CMD_BIND, 0, 0))])
    # the first 80 bytes: IPv4 and TCP headers (ports, seq, lengths)
    config([(ch.NFQA_CFG_PARAMS, struct.pack("!IB", 80, NFQNL_COPY_PACKET))])
    config([(ch.NFQA_CFG_MASK, struct.pack("!I", ch.NFQA_CFG_F_FAIL_OPEN)),
            (ch.NFQA_CFG_FLAGS, struct.pack("!I", ch.NFQA_CFG_F_FAIL_OPEN))])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    touch(readyfile)
    delay = delay_ms / 1000.0
    held = []               # [due, pkt_id, description], in arrival order
    aside = None            # the K-th data segment, waiting for the next one
    data_seen = 0
    log = []
    deadline = time.monotonic() + 30
    while not stop and time.monotonic() < deadline:
        timeout = 0.2 if not held else max(0.0, held[0][0] - time.monotonic())
        try:
            readable, _, _ = select.select([nl], [], [], timeout)
        except InterruptedError:
            continue
        if readable:
            buf = nl.recv(65536)
            now = time.monotonic()
            for kind, payload in ch.nfq_parse(buf):
                if kind != (ch.NFNL_SUBSYS_QUEUE << 8) | ch.NFQNL_MSG_PACKET:
                    continue
                attrs = ch.nfq_attrs(payload)
                pkt_id = struct.unpack("!I", attrs[ch.NFQA_PACKET_HDR][:4])[0]
                ip = attrs.get(NFQA_PAYLOAD, b"")
                ihl = (ip[0] & 15) * 4
                tot = struct.unpack("!H", ip[2:4])[0]
                sport, _, tseq = struct.unpack("!HHI", ip[ihl:ihl + 8])
                doff = (ip[ihl + 12] >> 4) * 4
                plen = tot - ihl - doff
                desc = "sport %d seq %d len %d" % (sport, tseq, plen)
                if sport == 80 and plen > 0:
                    data_seen += 1
                    if data_seen == swap_k:
                        aside = [None, pkt_id, desc]
                        log.append("held back data segment %d (%s)" % (swap_k, desc))
                        continue
                    if aside is not None:
                        # due with this one, queued right after it
                        held.append([now + delay, pkt_id, desc])
                        aside[0] = now + delay
                        held.append(aside)
                        log.append("data segment %d (%s) goes first" % (data_seen, desc))
                        aside = None
                        continue
                held.append([now + delay, pkt_id, desc])
        while held and held[0][0] <= time.monotonic():
            verdict(held.pop(0)[1])
    for item in held + ([aside] if aside else []):
        verdict(item[1])
    config([(ch.NFQA_CFG_CMD, struct.pack("=BBH", ch.NFQNL_CFG_CMD_UNBIND, 0, 0))])
    for line in log:
        say(role, line)
    say(role, "%d data segments from port 80 seen; every packet held %.0f ms"
        % (data_seen, delay_ms))
    return 0


# ------------------------------------------------------------ ICMP quotes

def icmp_quotes(iface, target, readyfile):
    from scapy.all import ICMP, IP, TCP, Raw, conf, send, sniff
    from scapy.supersocket import L3RawSocket
    conf.verb = 0
    role = "icmp"
    sock = L3RawSocket(iface=iface)
    syns = []

    def started():
        touch(readyfile)

    def on_pkt(p):
        if IP in p and TCP in p and p[TCP].flags == "S":
            syns.append(p)
        return len(syns) >= 2

    def unreachable(syn, quote, what):
        ip = syn[IP]
        pkt = IP(src="192.0.2.1", dst=ip.src) / ICMP(type=3, code=1) / Raw(quote)
        send(pkt, socket=sock)
        say(role, "sent ICMP host unreachable quoting %s (%d bytes)" % (what, len(quote)))

    # first SYN: (b) and (c)
    sniff(iface=iface, filter="tcp and dst host %s" % target, store=False,
          stop_filter=on_pkt, timeout=5, count=1, started_callback=started)
    if not syns:
        say(role, "no SYN seen")
        return 1
    raw = bytes(syns[0][IP])
    time.sleep(0.2)
    unreachable(syns[0], raw[:12], "12 bytes of the SYN's IP header (b)")
    time.sleep(0.2)
    unreachable(syns[0], raw[:20], "the SYN's IP header, no TCP byte (c)")
    # second SYN (the retransmission): (a)
    sniff(iface=iface, filter="tcp and dst host %s" % target, store=False,
          stop_filter=on_pkt, timeout=5)
    if len(syns) < 2:
        say(role, "no second SYN seen")
        return 1
    time.sleep(0.2)
    unreachable(syns[1], bytes(syns[1][IP])[:28],
                "the retransmitted SYN's IP header and 8 TCP bytes (a)")
    sock.close()
    return 0


# ------------------------------------------------------------ transformations

def renumber(src, dst, sport, isn):
    from scapy.all import IP, TCP, rdpcap, wrpcap
    pkts = rdpcap(src)
    shift = None
    for p in pkts:
        if TCP in p and p[TCP].sport == sport and p[TCP].flags & 0x12 == 0x12:
            shift = (isn - p[TCP].seq) & 0xffffffff
            break
    if shift is None:
        raise SystemExit("no SYN-ACK from port %d" % sport)
    for p in pkts:
        if TCP not in p:
            continue
        t = p[TCP]
        if t.sport == sport:
            t.seq = (t.seq + shift) & 0xffffffff
        elif t.dport == sport:
            if t.flags & 0x10:
                t.ack = (t.ack + shift) & 0xffffffff
            opts = []
            for kind, val in t.options:
                if kind == "SAck":
                    val = tuple((v + shift) & 0xffffffff for v in val)
                opts.append((kind, val))
            t.options = opts
        else:
            continue
        del t.chksum
        if IP in p:
            del p[IP].chksum
    wrpcap(dst, pkts, nano=True)
    print("renumbered: port %d's sequence numbers + %d (mod 2^32)" % (sport, shift))


def teredo(src, dst):
    from scapy.all import IP, TCP, UDP, Ether, IPv6, rdpcap, wrpcap
    pkts = rdpcap(src)
    client = None
    out = []
    for copy, (cport_udp, extra_port, dt) in enumerate(((40001, 0, 0.0),
                                                         (40002, 1000, 0.00001))):
        for p in pkts:
            if IPv6 not in p:
                continue
            inner = p[IPv6].copy()
            if client is None:
                client = inner.src           # the first packet is the SYN
            from_client = inner.src == client
            if TCP in inner:
                t = inner[TCP]
                if from_client:
                    t.sport += extra_port
                else:
                    t.dport += extra_port
                # (as captured on a veth, the checksums are partial ones)
                del t.chksum
            if from_client:
                outer = IP(src="192.0.2.2", dst="198.51.100.2", ttl=128) / \
                    UDP(sport=cport_udp, dport=3544)
            else:
                outer = IP(src="198.51.100.2", dst="192.0.2.2", ttl=60) / \
                    UDP(sport=3544, dport=cport_udp)
            w = Ether(src=p[Ether].src, dst=p[Ether].dst) / outer / inner
            w.time = p.time + dt
            out.append(w)
    out.sort(key=lambda w: w.time)
    wrpcap(dst, out, nano=True)
    print("teredo: %d packets (2 x %d)" % (len(out), len(out) // 2))


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "serve" and len(args) == 5:
        return serve(args[0], int(args[1]), int(args[2]), float(args[3]), args[4])
    if cmd == "fetch" and len(args) == 3:
        return fetch(args[0], int(args[1]), int(args[2]))
    if cmd == "connect" and len(args) == 2:
        return connect(args[0], int(args[1]))
    if cmd == "reorder" and len(args) == 4:
        return reorder(int(args[0]), float(args[1]), int(args[2]), args[3])
    if cmd == "icmp-quotes" and len(args) == 3:
        return icmp_quotes(*args)
    if cmd == "renumber" and len(args) == 4:
        return renumber(args[0], args[1], int(args[2]), int(args[3], 0))
    if cmd == "teredo" and len(args) == 2:
        return teredo(*args)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
