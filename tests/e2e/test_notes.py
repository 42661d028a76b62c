# SPDX-License-Identifier: GPL-2.0-or-later
"""tcpdiag reads the TCP and ICMP headers from notes it takes in the
ip.proto table in front of TCP, ICMP and ICMPv6 (no wanted fields, no tree
forced on every packet).  What users see must not change because of it."""
import struct

import pytest


def per_stream(rows):
    out = {}
    for r in rows:
        if r["tcp.stream"]:
            out[r["tcp.stream"]] = (r["tcpdiag.outcome"], r["tcpdiag.syn_count"], r["tcpdiag.history"])
    return out


@pytest.mark.parametrize("capture,rfilter", [
    ("icmp-unreachable-router.pcapng", "not icmp"),
    ("icmp-port-unreachable.pcapng", "not icmp"),
    ("normal-close.pcapng", "tcp.len == 0"),
])
def test_read_filter_gives_the_same_conversations(tshark, capture, rfilter):
    """A frame a read filter rejects passes its number on to the next one:
    its note must not be read again for that frame."""
    fields = ["tcp.stream", "tcpdiag.outcome", "tcpdiag.syn_count", "tcpdiag.history"]
    whole = per_stream(tshark.fields(capture, fields, two_pass=True))
    kept = per_stream(tshark.fields(capture, fields, two_pass=True, extra=["-R", rfilter]))
    assert kept and kept == {s: whole[s] for s in kept}


def test_expert_filter_finds_tcpdiag_items(tshark):
    """A filter on _ws.expert (not naming tcpdiag) still sees tcpdiag's
    expert items in a single pass, with summary lines (no visible tree)."""
    out = tshark.run(["-r", tshark.path("icmp-port-unreachable.pcapng"), "-n",
                      "-Y", "_ws.expert.severity >= warning"]).stdout
    assert [l.split()[0] for l in out.splitlines()] == ["2"], out
    assert "[tcpdiag: icmp-unreachable]" in out


def test_protocol_layers_unchanged(tshark):
    rows = tshark.fields("icmp-port-unreachable.pcapng", ["frame.number", "frame.protocols"])
    assert [r["frame.protocols"] for r in rows] == ["eth:ethertype:ip:tcp", "eth:ethertype:ip:icmp:ip:tcp"]


def test_disabling_tcpdiag_or_tcp(tshark):
    """--disable-protocol tcpdiag leaves TCP whole; disabling TCP leaves
    tcpdiag nothing to follow, and nothing breaks."""
    cap = tshark.path("normal-close.pcapng")
    out = tshark.run(["-r", cap, "--disable-protocol", "tcpdiag", "-T", "fields",
                      "-e", "tcp.stream", "-e", "tcp.len"]).stdout.split()
    assert out and set(out) >= {"0"}
    out = tshark.run(["-r", cap, "--disable-protocol", "tcp", "-T", "fields",
                      "-e", "frame.protocols", "-e", "tcpdiag.outcome"]).stdout
    assert "tcp" not in out and out.strip()


def test_tcp_without_ip_addresses(tshark, tmp_path):
    """Crafted (no kernel writes it): an exported-PDU capture handing a TCP
    segment and an ICMP message to the ip.proto table with no IP addresses.
    TCP still decodes it, tcpdiag notes nothing, tshark does not abort."""
    def tag(t, v):
        return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)

    def pdu(proto, payload):
        # EXP_PDU_TAG_DISSECTOR_TABLE_NAME (14), its value (32), end (0)
        return tag(14, b"ip.proto") + tag(32, struct.pack("!I", proto)) + tag(0, b"") + payload

    syn = struct.pack("!HHIIBBHHH", 40000, 80, 100, 0, 0x50, 0x02, 64240, 0, 0)
    echo = struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"abcd"
    path = tmp_path / "exported.pcap"
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 252))
        for i, frame in enumerate((pdu(6, syn), pdu(1, echo))):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(frame), len(frame)) + frame)
    def bugs(p):
        out = p.stdout + p.stderr
        return out.count("Dissector bug") + out.count("Malformed Packet: tcpdiag")

    args = ["-r", tshark.path(str(path)), "-T", "fields", "-e", "frame.protocols",
            "-e", "tcp.srcport", "-e", "tcpdiag.outcome"]
    for extra in ([], ["-2"]):
        # Wireshark 4.6's own TCP reports a dissector bug on a segment
        # without addresses (packet-tcp.c, with or without tcpdiag): only
        # what tcpdiag adds is ours to judge.
        without = tshark.run(args + extra + ["--disable-protocol", "tcpdiag"], check=False, bugs_ok=True)
        p = tshark.run(args + extra, check=False, bugs_ok=True)
        assert p.returncode == 0 and without.returncode == 0, p.stderr[-2000:]
        assert bugs(p) == bugs(without), p.stdout + p.stderr
        lines = [l for l in p.stdout.splitlines() if "\t" in l]
        assert len(lines) == 2 and lines[0].split("\t")[1] == "40000", p.stdout
        assert all(l.split("\t")[2] == "" for l in lines), p.stdout


def test_endpoints_of_two_address_families(tshark, tmp_path):
    """Crafted (no kernel writes it): exported PDUs naming an IPv4 source
    and an IPv6 destination for one TCP conversation.  Its endpoints are
    kept each with its own family: the handshake is followed as any other
    (a regression once, when one family was kept per conversation)."""
    def tag(t, v):
        return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)

    a4 = bytes([192, 0, 2, 1])
    a6 = bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2])

    def pdu(src, dst, payload):
        # EXP_PDU_TAG_IPV4_SRC/DST (20, 21), IPV6_SRC/DST (22, 23)
        s = tag(20 if len(src) == 4 else 22, src)
        d = tag(21 if len(dst) == 4 else 23, dst)
        return s + d + tag(14, b"ip.proto") + tag(32, struct.pack("!I", 6)) + tag(0, b"") + payload

    def tcp(sport, dport, seq, ack, flags):
        return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 64240, 0, 0)

    frames = [pdu(a4, a6, tcp(40000, 80, 100, 0, 0x02)),
              pdu(a6, a4, tcp(80, 40000, 500, 101, 0x12)),
              pdu(a4, a6, tcp(40000, 80, 101, 501, 0x10))]
    path = tmp_path / "two-families.pcap"
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 252))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(frame), len(frame)) + frame)
    args = ["-r", tshark.path(str(path)), "-T", "fields", "-e", "tcp.stream", "-e", "tcpdiag.outcome",
            "-e", "tcpdiag.client_state", "-e", "tcpdiag.server_state"]
    p = tshark.run(args, check=False, bugs_ok=True)
    rows = [l.split("\t") for l in p.stdout.splitlines() if "\t" in l]
    if len(rows) != 3 or rows[0][0] == "" or len({r[0] for r in rows}) != 1:
        pytest.skip("this Wireshark's TCP does not make one stream of these PDUs: %r" % rows)
    assert [r[1:] for r in rows] == [
        ["syn-pending", "SYN_SENT", "CLOSED"],
        ["synack-pending", "SYN_SENT", "SYN_RECV"],
        ["established", "ESTABLISHED", "ESTABLISHED"],
    ], p.stdout
    two = tshark.run(["-2"] + args, check=False, bugs_ok=True)
    assert [l.split("\t")[1] for l in two.stdout.splitlines() if "\t" in l] == ["established"] * 3, two.stdout
