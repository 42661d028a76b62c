#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write crafted-impossible.pcap: TCP sequences no correct stack produces,
so no kernel can make them.  CRAFTED with scapy, not captured.

Conversation 1 (client port 41000): handshake, request, the client's FIN,
then more data from the client past its FIN (data-after-fin).
Conversation 2 (client port 41001): handshake, the server resets, then the
server sends data after its own reset (segment-after-rst).

    /usr/bin/python3 craft-impossible.py [OUT.pcap]
"""
import sys

from scapy.all import IP, TCP, Ether, Raw, wrpcap

C, S = "192.0.2.2", "198.51.100.2"
CMAC, SMAC = "02:00:00:00:00:02", "02:00:00:00:00:01"


def pkt(t, src, dst, sport, dport, flags, seq, ack, data=b""):
    mac = (CMAC, SMAC) if src == C else (SMAC, CMAC)
    p = Ether(src=mac[0], dst=mac[1]) / IP(src=src, dst=dst, ttl=64 if src == C else 63) / \
        TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=64240)
    if data:
        p = p / Raw(data)
    p.time = t
    return p


def main(out):
    t0 = 1700000000.0
    pkts = []
    # 1: data after the client's own FIN
    cs, ss = 1000, 5000
    pkts += [pkt(t0 + 0.000, C, S, 41000, 80, "S", cs, 0),
             pkt(t0 + 0.001, S, C, 80, 41000, "SA", ss, cs + 1),
             pkt(t0 + 0.002, C, S, 41000, 80, "A", cs + 1, ss + 1),
             pkt(t0 + 0.003, C, S, 41000, 80, "PA", cs + 1, ss + 1, b"GET / HTTP/1.0\r\n\r\n"),
             pkt(t0 + 0.004, S, C, 80, 41000, "A", ss + 1, cs + 19),
             pkt(t0 + 0.005, C, S, 41000, 80, "FA", cs + 19, ss + 1),
             pkt(t0 + 0.006, C, S, 41000, 80, "PA", cs + 20, ss + 1, b"more after FIN")]
    # 2: data after the server's own reset
    cs, ss = 2000, 7000
    pkts += [pkt(t0 + 1.000, C, S, 41001, 80, "S", cs, 0),
             pkt(t0 + 1.001, S, C, 80, 41001, "SA", ss, cs + 1),
             pkt(t0 + 1.002, C, S, 41001, 80, "A", cs + 1, ss + 1),
             pkt(t0 + 1.003, S, C, 80, 41001, "RA", ss + 1, cs + 1),
             pkt(t0 + 1.004, S, C, 80, 41001, "PA", ss + 1, cs + 1, b"data after RST")]
    wrpcap(out, pkts)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "crafted-impossible.pcap")
