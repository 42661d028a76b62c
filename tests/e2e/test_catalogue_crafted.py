# SPDX-License-Identifier: GPL-2.0-or-later
"""Catalogue of bad and awkward input: the captures of
sample-captures/catalogue/make-crafted.sh (SPAN-port duplicates, reordered
segments, sequence numbers wrapping past 2^32, a reset outside the window,
ICMP errors quoting truncated headers, TCP inside Teredo), and a capture of
a million conversations generated at test time.

Each capture, single pass and -2, against the result written down in
sample-captures/catalogue/README.md.  Some tests derive further variants
from the committed captures (said in each one).  Three of them failed when
they were written (copies of a SYN-ACK and of FINs taken for
retransmissions, a false content gap in the Zeek history of reordered
data) and were fixed in the engine.
"""
import collections
import os
import struct
import subprocess
import threading
import time

import pytest

from conftest import CAPTURES, ws_version
from test_bad_input import POOL, check_all, read_pcap, write_pcap
from test_captures import parse_frames

CATALOGUE = os.path.join(CAPTURES, "catalogue")
BOTH = pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])

FRAME_FIELDS = ["frame.number", "tcp.stream", "tcpdiag.stream", "tcpdiag.client_state",
                "tcpdiag.server_state", "tcpdiag.outcome", "tcpdiag.outcome_final",
                "tcpdiag.retransmission"]
CONV_FIELDS = ["tcpdiag.syn_count", "tcpdiag.synack_count", "tcpdiag.client_bytes",
               "tcpdiag.server_bytes", "tcpdiag.client_fins", "tcpdiag.server_fins",
               "tcpdiag.client_retransmissions", "tcpdiag.server_retransmissions",
               "tcpdiag.client_ttl", "tcpdiag.server_ttl", "tcpdiag.conn_state",
               "tcpdiag.history", "tcpdiag.close_type", "tcpdiag.closed_by",
               "tcpdiag.time_wait", "tcpdiag.reset_by", "tcpdiag.reset_assessment",
               "tcpdiag.client_errno", "tcpdiag.icmp_about", "tcpdiag.rst.accepted",
               "tcpdiag.rst.assessment", "tcpdiag.rst.claimed_sender", "tcpdiag.rst.seq_offset",
               "tcpdiag.finding", "tcpdiag.summary"]
# Wireshark's own view of the packets, to show what the captures contain.
PACKET_FIELDS = ["frame.protocols", "tcp.seq", "tcp.seq_raw", "tcp.len", "tcp.options.sack_le",
                 "tcp.analysis.out_of_order", "tcp.analysis.retransmission"]
NAMES = ["span-duplicates", "reordered", "seq-wrap", "rst-outside-window",
         "icmp-truncated-quote", "teredo"]


def path(name):
    return os.path.join(CATALOGUE, name + ".pcapng")


def expert_fields(tshark):
    """Every tcpdiag expert item (diagnoses, events, reset forensics,
    capture-wide findings)."""
    out = tshark.run(["-G", "fields"]).stdout
    exp = sorted(l.split("\t")[2] for l in out.splitlines()
                 if l.startswith("F\t") and l.split("\t")[2].startswith("tcpdiag.")
                 and l.split("\t")[3] == "FT_NONE")
    assert "tcpdiag.event.rst_ignored" in exp and "tcpdiag.rst.likely_forged" in exp
    return exp


# ---------------------------------------------------------------- derived captures

def tcp_offsets(data):
    """(IPv4 offset, TCP offset) of an Ethernet/IPv4/TCP packet, or None."""
    if len(data) < 54 or data[12:14] != b"\x08\x00" or data[23] != 6:
        return None
    return 14, 14 + (data[14] & 15) * 4


def fix_tcp_checksum(data, ip, tcp):
    seg_len = struct.unpack_from("!H", data, ip + 2)[0] - (tcp - ip)
    struct.pack_into("!H", data, tcp + 16, 0)
    blob = bytes(data[ip + 12:ip + 20]) + struct.pack("!HH", 6, seg_len) + \
        bytes(data[tcp:tcp + seg_len])
    if len(blob) % 2:
        blob += b"\0"
    s = sum(struct.unpack("!%dH" % (len(blob) // 2), blob))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    struct.pack_into("!H", data, tcp + 16, 0xffff - s)


def renumber(recs, side, isn):
    """Shift the sequence numbers of one side ("server": from port 80,
    "client": to port 80) so that its SYN's sequence number becomes isn,
    and the other side's acknowledgements and SACK blocks with them; TCP
    checksums recomputed."""
    def sent_by_side(data, tcp):
        sport, dport = struct.unpack_from("!HH", data, tcp)
        return (sport == 80) if side == "server" else (dport == 80)
    shift = None
    for rec in recs:
        data = rec[4]
        off = tcp_offsets(data)
        if off and sent_by_side(data, off[1]) and data[off[1] + 13] & 0x02:
            shift = (isn - struct.unpack_from("!I", data, off[1] + 4)[0]) & 0xffffffff
            break
    assert shift is not None
    for rec in recs:
        data = rec[4]
        off = tcp_offsets(data)
        if not off:
            continue
        ip, tcp = off
        if sent_by_side(data, tcp):
            seq = struct.unpack_from("!I", data, tcp + 4)[0]
            struct.pack_into("!I", data, tcp + 4, (seq + shift) & 0xffffffff)
        else:
            if data[tcp + 13] & 0x10:
                ack = struct.unpack_from("!I", data, tcp + 8)[0]
                struct.pack_into("!I", data, tcp + 8, (ack + shift) & 0xffffffff)
            o, end = tcp + 20, tcp + (data[tcp + 12] >> 4) * 4
            while o < end and data[o] != 0:
                if data[o] == 1:
                    o += 1
                    continue
                if data[o] == 5:       # SACK blocks
                    for k in range(o + 2, o + data[o + 1], 4):
                        v = struct.unpack_from("!I", data, k)[0]
                        struct.pack_into("!I", data, k, (v + shift) & 0xffffffff)
                o += max(data[o + 1], 2)
        fix_tcp_checksum(data, ip, tcp)
    return recs


# The seq-wrap capture renumbered again: not wrapping at all (server ISN
# 1000, client ISN 5000); the SYN-ACK on the last number below 2^32 (the
# data starts at 0); the client's sequence numbers wrapping inside its
# 18-byte request.
WRAP_VARIANTS = {"wrap-none": [("server", 1000), ("client", 5000)],
                 "wrap-at-synack": [("server", 2**32 - 1)],
                 "wrap-in-request": [("client", 2**32 - 10)]}


def span_client_side(rec):
    """A copy taken on the client side: the client's packets as sent (TTL
    64), the server's as forwarded (TTL 63)."""
    from_client = bytes(rec[4][26:30]) == bytes([192, 0, 2, 2])
    return rec[4][22] == (64 if from_client else 63)


def derive(d):
    """The derived captures, as classic pcap files in d: {name: path}; and
    every capture, committed or derived, as (head, endian, records) of a
    microsecond pcap, for test_bad_input.check_all."""
    def convert(name, fmt):
        dst = d / f"{name}.{fmt}"
        subprocess.run(["editcap", "-F", fmt, path(name), str(dst)], check=True,
                       capture_output=True)
        return read_pcap(dst)
    records = {name: convert(name, "pcap") for name in NAMES}
    files = {}

    def add(name, head, endian, recs, keep=True):
        if keep:
            files[name] = d / (name + ".pcap")
            write_pcap(files[name], head, endian, recs)
        if head[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4"):   # microseconds
            records[name] = (head, endian, recs)
    # dumpcap -i rtr-cli -i rtr-srv writes each interface's packets in a
    # batch, not in time order: all copies taken on the client side, then
    # all taken on the server side.
    head, endian, recs = records["span-duplicates"]
    add("span-batched", head, endian,
        [r for r in recs if span_client_side(r)] + [r for r in recs if not span_client_side(r)])
    # (nanoseconds, as in the pcapng file: the same times to compare)
    for variant, steps in WRAP_VARIANTS.items():
        for fmt in ("nsecpcap", "pcap"):
            head, endian, recs = convert("seq-wrap", fmt)
            for side, isn in steps:
                recs = renumber(recs, side, isn)
            add(variant if fmt == "nsecpcap" else variant + "-us", head, endian, recs,
                keep=fmt == "nsecpcap")
    # The ICMP capture without the error that ends it (frames 1-4), and its
    # two SYNs alone.
    head, endian, recs = records["icmp-truncated-quote"]
    add("icmp-no-a", head, endian, recs[:4])
    add("icmp-syns-only", head, endian, [recs[0], recs[3]])
    return files, records


@pytest.fixture(scope="module")
def results(tshark, tmp_path_factory):
    """{(capture, two_pass): {frame: row}} for every committed and derived
    capture and for normal-close-v6 (the fields of FIELDS; an expert field
    is "1" where the item is on the frame, else ""), read side by side.
    Also reads all of them as one file, with the full tree and expert
    stats, through test_bad_input.check_all (no dissector bug, valid states)."""
    d = tmp_path_factory.mktemp("catalogue")
    files, records = derive(d)
    captures = dict({n: path(n) for n in NAMES}, **{n: str(p) for n, p in files.items()},
                    **{"normal-close-v6": os.path.join(CAPTURES, "normal-close-v6.pcapng")})
    exp = expert_fields(tshark)
    fields = FRAME_FIELDS + CONV_FIELDS + PACKET_FIELDS + exp
    for c in captures.values():
        tshark.path(c)      # the copies for tshark, before the threads
    jobs = {(n, tp): POOL.submit(tshark.fields, c, fields, two_pass=tp)
            for n, c in captures.items() for tp in (False, True)}
    check_all(tshark, d / "all.pcap", {n: records[n] for n in sorted(records)})
    out = {}
    for key, job in jobs.items():
        got = job.result()
        for r in got:
            for f in exp:
                r[f] = "1" if r[f] else ""
        out[key] = {int(r["frame.number"]): r for r in got}
    out["experts"] = exp
    return out


def experts(results, capture, two_pass):
    """{expert item: [frames]}."""
    got = {}
    for f, r in results[(capture, two_pass)].items():
        for e in results["experts"]:
            if r[e]:
                got.setdefault(e, []).append(f)
    return got


def check_frames(results, capture, spec, two_pass, final_outcome, only=None):
    """Both states on every frame of spec (parse_frames syntax: FRAMES CS SS
    SINGLE-PASS-OUTCOME [rN]); the retransmission number; the outcome:
    single pass as in spec, -2 final_outcome on every frame."""
    got = results[(capture, two_pass)]
    for f, (cs, ss, outcome, retrans) in parse_frames(spec).items():
        if only is not None and f not in only:
            continue
        r = got[f]
        assert (r["tcpdiag.client_state"], r["tcpdiag.server_state"]) == (cs, ss), f"frame {f}"
        assert r["tcpdiag.retransmission"] == retrans, f"frame {f}: retransmission"
        assert r["tcpdiag.outcome"] == (final_outcome if two_pass else outcome), f"frame {f}"
        assert r["tcpdiag.outcome_final"] == ("1" if two_pass else "0"), f"frame {f}"


def conv(results, capture, stream=0):
    """The -2 conversation fields of a stream (the same on all its frames)."""
    got = [r for r in results[(capture, True)].values() if r["tcpdiag.stream"] == str(stream)]
    assert got
    values = {f: {r[f] for r in got} for f in CONV_FIELDS if not f.startswith("tcpdiag.rst.")
              and f != "tcpdiag.icmp_about"}
    for f, v in values.items():
        assert len(v) == 1, f"{f} differs between frames of stream {stream}: {v}"
    return {f: v.pop() for f, v in values.items()}


def tcpdiag_values(row):
    return {k: v for k, v in row.items() if k.startswith("tcpdiag.")}


# ---------------------------------------------------------------- 1 SPAN duplicates

# Each packet twice: as its sender sent it (TTL 64) and as the router
# forwarded it (TTL 63), microseconds apart.  Each copy has the states of
# the packet in normal-close.
SPAN = ("1-2 SS CL syn-pending; 3-4 SS SR synack-pending; 5-14 E E established; "
        "15-16 F1 E closing; 17-18 F2 LA closing; 19-20 TW CL closed")
SPAN_DUP_SYNACK, SPAN_DUP_FINS = {4}, {16, 18}


@BOTH
def test_span_duplicates_states_and_outcome(results, two_pass):
    got = results[("span-duplicates", two_pass)]
    assert sorted(got) == list(range(1, 21))
    assert {r["tcp.stream"] for r in got.values()} == {"0"}
    check_frames(results, "span-duplicates", SPAN, two_pass, "closed")
    # The copies of the data segments (8, 12) are no retransmissions.
    assert not any(got[f]["tcpdiag.retransmission"] for f in (7, 8, 11, 12))
    assert "tcpdiag.event.data_retransmission" not in experts(results, "span-duplicates", two_pass)


def test_span_duplicates_conversation(results):
    c = conv(results, "span-duplicates")
    assert (c["tcpdiag.syn_count"], c["tcpdiag.client_bytes"], c["tcpdiag.server_bytes"]) == ("1", "18", "80")
    assert (c["tcpdiag.client_retransmissions"], c["tcpdiag.server_retransmissions"]) == ("", "")
    assert (c["tcpdiag.close_type"], c["tcpdiag.closed_by"], c["tcpdiag.time_wait"]) == \
        ("three-way", "client", "client")
    # Zeek's history: its update_last_seq calls a copy of payload a
    # retransmission too (T, t); conn_state as for normal-close.
    assert (c["tcpdiag.conn_state"], c["tcpdiag.history"]) == ("SF", "ShADTadtFf")
    # The first copy of each packet is the one its sender sent.
    assert (c["tcpdiag.client_ttl"], c["tcpdiag.server_ttl"]) == ("64", "64")
    assert c["tcpdiag.summary"] == (
        "Handshake completed (RTT 123 us); 18 bytes from the client, 80 from the server; closed "
        "gracefully (three-way close), the client closed first; client in TIME_WAIT")


@BOTH
def test_span_duplicate_synack_is_not_a_retransmission(results, two_pass):
    check_frames(results, "span-duplicates", SPAN, two_pass, "closed", only=SPAN_DUP_SYNACK)
    assert "tcpdiag.event.synack_retransmission" not in experts(results, "span-duplicates", two_pass)
    assert conv(results, "span-duplicates")["tcpdiag.synack_count"] == "1"


@BOTH
def test_span_duplicate_fins_are_not_retransmissions(results, two_pass):
    check_frames(results, "span-duplicates", SPAN, two_pass, "closed", only=SPAN_DUP_FINS)
    assert "tcpdiag.event.fin_retransmission" not in experts(results, "span-duplicates", two_pass)
    c = conv(results, "span-duplicates")
    assert (c["tcpdiag.client_fins"], c["tcpdiag.server_fins"]) == ("1", "1")


@BOTH
def test_span_duplicates_in_dumpcap_order(results, two_pass):
    """DERIVED (span-batched): the packets of span-duplicates in the order
    dumpcap -i rtr-cli -i rtr-srv writes them, each interface's in a batch:
    the copies taken on the client side, then those taken on the server
    side (earlier time stamps).  The connection closes with the first
    batch; the second changes no state and no outcome (its copies, with
    time running backwards, are read as segments sent again: events, FIN
    and SYN-ACK counts and the Zeek history do change)."""
    got = results[("span-batched", two_pass)]
    assert sorted(got) == list(range(1, 21))
    normal = ("1 SS CL syn-pending; 2 SS SR synack-pending; 3-7 E E established; "
              "8 F1 E closing; 9 F2 LA closing; 10-20 TW CL closed")
    check_frames(results, "span-batched", normal, two_pass, "closed", only=set(range(1, 11)))
    if ws_version() >= (4, 4):
        # Wireshark 4.4 and later start a new tcp.stream at the SYN copy
        # after the close (port reuse): the second batch is another
        # conversation to them, and tcpdiag follows tcp.stream.
        assert {got[f]["tcp.stream"] for f in range(11, 21)} == {"1"}
        assert {got[f]["tcp.stream"] for f in range(1, 11)} == {"0"}
        return
    for f in range(11, 21):
        assert (got[f]["tcpdiag.client_state"], got[f]["tcpdiag.server_state"],
                got[f]["tcpdiag.outcome"]) == ("TIME_WAIT", "CLOSED", "closed"), f"frame {f}"


# ---------------------------------------------------------------- 2 reordered

REORDERED = ("1 SS CL syn-pending; 2 SS SR synack-pending; 3-17 E E established; "
             "18 F1 E closing; 19 F2 LA closing; 20 TW CL closed")


@BOTH
def test_reordered_segments_are_no_retransmission(results, two_pass):
    got = results[("reordered", two_pass)]
    assert sorted(got) == list(range(1, 21))
    check_frames(results, "reordered", REORDERED, two_pass, "closed")
    assert experts(results, "reordered", two_pass) == {}
    c = conv(results, "reordered")
    assert (c["tcpdiag.client_bytes"], c["tcpdiag.server_bytes"]) == ("18", "8000")
    assert (c["tcpdiag.client_retransmissions"], c["tcpdiag.server_retransmissions"]) == ("", "")
    assert c["tcpdiag.summary"] == (
        "Handshake completed (RTT 12.6 ms); 18 bytes from the client, 8000 from the server; "
        "closed gracefully (three-way close), the client closed first; client in TIME_WAIT")


def test_reordered_capture_is_reordered(results):
    """Frame 10 (server bytes 1449-2896) comes after frame 8 (2897-4344):
    Wireshark marks it out-of-order, and the client's ACK in frame 9 has a
    SACK block for frame 8's bytes."""
    got = results[("reordered", False)]
    assert (got[8]["tcp.seq"], got[10]["tcp.seq"]) == ("2897", "1449")
    assert got[9]["tcp.options.sack_le"] == "2897"
    assert [f for f, r in got.items() if r["tcp.analysis.out_of_order"]] == [10]
    assert not any(r["tcp.analysis.retransmission"] for r in got.values())


def test_reordered_zeek_history(results):
    c = conv(results, "reordered")
    assert (c["tcpdiag.conn_state"], c["tcpdiag.history"]) == ("SF", "ShADadtFf")


# ---------------------------------------------------------------- 3 sequence wrap

SEQ_WRAP = ("1 SS CL syn-pending; 2 SS SR synack-pending; 3-114 E E established; "
            "115 F1 E closing; 116 F2 LA closing; 117 TW CL closed")
WRAP_ISN = 2**32 - 50000


@BOTH
def test_seq_wrap(results, two_pass):
    got = results[("seq-wrap", two_pass)]
    assert sorted(got) == list(range(1, 118))
    check_frames(results, "seq-wrap", SEQ_WRAP, two_pass, "closed")
    assert experts(results, "seq-wrap", two_pass) == {}
    c = conv(results, "seq-wrap")
    assert (c["tcpdiag.client_bytes"], c["tcpdiag.server_bytes"]) == ("18", "100000")
    assert (c["tcpdiag.conn_state"], c["tcpdiag.history"]) == ("SF", "ShADadFf")
    assert "18 bytes from the client, 100000 from the server; closed gracefully (three-way " \
        "close), the client closed first; client in TIME_WAIT" in c["tcpdiag.summary"]


def test_seq_wrap_capture_wraps(results):
    """The server's ISN is 2^32 - 50000; its data segment in frame 61
    (relative sequence number 49233, 1448 bytes) straddles 2^32, and frame
    62 goes on at raw 681."""
    got = results[("seq-wrap", False)]
    raw = {f: (int(r["tcp.seq_raw"]), int(r["tcp.seq"]), int(r["tcp.len"]))
           for f, r in got.items() if r["tcp.seq_raw"]}
    assert raw[2] == (WRAP_ISN, 0, 0)                                  # the SYN-ACK
    assert raw[61] == (2**32 - 767, 49233, 1448)
    assert raw[62] == (681, 50681, 1448)
    assert raw[116] == (50001, 100001, 0)                              # the server's FIN


@BOTH
@pytest.mark.parametrize("variant", ["seq-wrap", "wrap-at-synack", "wrap-in-request"])
def test_seq_wrap_same_as_unwrapped(results, variant, two_pass):
    """The committed capture and two DERIVED variants frame by frame as the
    same capture renumbered not to wrap (wrap-none): every tcpdiag field."""
    a, b = results[("wrap-none", two_pass)], results[(variant, two_pass)]
    assert sorted(a) == sorted(b) == list(range(1, 118))
    for f in a:
        assert tcpdiag_values(a[f]) == tcpdiag_values(b[f]), f"frame {f}"


# ---------------------------------------------------------------- 4 RST outside the window

RST_OUT = ("1 SS CL syn-pending; 2 SS SR synack-pending; 3-8 E E established; "
           "9 F1 E closing; 10 F2 LA closing; 11 TW CL closed")


@BOTH
def test_rst_outside_window_is_ignored(results, two_pass):
    got = results[("rst-outside-window", two_pass)]
    assert sorted(got) == list(range(1, 12))
    check_frames(results, "rst-outside-window", RST_OUT, two_pass, "closed")
    r = got[6]
    assert (r["tcpdiag.rst.accepted"], r["tcpdiag.rst.claimed_sender"],
            r["tcpdiag.rst.seq_offset"]) == ("0", "client", "1073741824")
    assert [f for f, x in got.items() if x["tcpdiag.rst.accepted"]] == [6]
    want = {"tcpdiag.event.rst_ignored": [6]}
    if two_pass:
        want["tcpdiag.rst.likely_forged"] = [6]
        assert r["tcpdiag.rst.assessment"] == "likely-forged"
    else:
        # At the reset only its IP ID is out of line; two frames later the
        # client acknowledges data the server sent after it.
        want["tcpdiag.rst.in_path_device"] = [6]
        want["tcpdiag.rst.likely_forged"] = [8]
        assert r["tcpdiag.rst.assessment"] == "in-path-device"
    assert experts(results, "rst-outside-window", two_pass) == want


def test_rst_outside_window_conversation(results):
    c = conv(results, "rst-outside-window")
    assert (c["tcpdiag.reset_by"], c["tcpdiag.reset_assessment"]) == ("", "likely-forged")
    assert (c["tcpdiag.close_type"], c["tcpdiag.closed_by"], c["tcpdiag.time_wait"]) == \
        ("three-way", "client", "client")
    assert (c["tcpdiag.client_bytes"], c["tcpdiag.server_bytes"]) == ("18", "80")
    # Zeek takes any reset: RSTO, R in the history.
    assert (c["tcpdiag.conn_state"], c["tcpdiag.history"]) == ("RSTO", "ShADaRdFf")
    assert "closed gracefully (three-way close), the client closed first" in c["tcpdiag.summary"]
    assert "sequence number 1073741843 is 1073741824 beyond the client's next (19)" in c["tcpdiag.summary"]


# ---------------------------------------------------------------- 5 ICMP quoting truncated headers

ICMP = "1 SS CL syn-pending; 4 SS CL syn-unanswered r1; 5 CL CL icmp-unreachable"


@BOTH
def test_icmp_truncated_quotes(results, two_pass):
    """(b) frame 2 quotes 12 bytes of an IP header, (c) frame 3 a whole IP
    header and no TCP byte: ignored.  (a) frame 5 quotes the IP header and
    8 TCP bytes (ports and sequence number): it ends the attempt."""
    got = results[("icmp-truncated-quote", two_pass)]
    assert sorted(got) == [1, 2, 3, 4, 5]
    check_frames(results, "icmp-truncated-quote", ICMP, two_pass, "icmp-unreachable")
    for f in (2, 3):
        assert not any(tcpdiag_values(got[f]).values()), f"frame {f}"
        assert got[f]["tcp.stream"] == ""
    assert got[5]["tcpdiag.icmp_about"] == "1"
    assert got[5]["tcpdiag.client_errno"] == "EHOSTUNREACH"
    assert experts(results, "icmp-truncated-quote", two_pass) == {
        "tcpdiag.event.syn_retransmission": [4], "tcpdiag.diag.icmp_unreachable": [5],
        "tcpdiag.event.icmp_error": [5]}
    assert conv(results, "icmp-truncated-quote")["tcpdiag.summary"] == (
        "SYN rejected by ICMP destination unreachable (host unreachable) from 192.0.2.1 "
        "(a router or firewall on the path) after 205.3 ms; the client reports No route to host")


@BOTH
def test_icmp_truncated_quotes_change_nothing(results, two_pass):
    """DERIVED: frames 1-4 (icmp-no-a: the SYNs and the two errors that
    quote no TCP byte) give the SYNs the values they have without the
    errors (icmp-syns-only): syn-unanswered."""
    a, b = results[("icmp-no-a", two_pass)], results[("icmp-syns-only", two_pass)]
    assert sorted(a) == [1, 2, 3, 4] and sorted(b) == [1, 2]
    assert tcpdiag_values(a[1]) == tcpdiag_values(b[1])
    assert tcpdiag_values(a[4]) == tcpdiag_values(b[2])
    assert b[2]["tcpdiag.outcome"] == "syn-unanswered"
    assert not any(tcpdiag_values(a[2]).values()) and not any(tcpdiag_values(a[3]).values())


# ---------------------------------------------------------------- 6 Teredo

@BOTH
def test_teredo_each_inner_flow_as_normal_close_v6(results, two_pass):
    """Two inner flows (client ports 33302 and 34302), interleaved: one
    conversation each, frame by frame as normal-close-v6."""
    ref = [r for _, r in sorted(results[("normal-close-v6", two_pass)].items())]
    got = results[("teredo", two_pass)]
    assert sorted(got) == list(range(1, 21)) and len(ref) == 10
    assert all(r["frame.protocols"].startswith("eth:ethertype:ip:udp:teredo:ipv6:tcp")
               for r in got.values())
    for stream in (0, 1):
        mine = [r for f, r in sorted(got.items()) if r["tcp.stream"] == str(stream)]
        assert [int(r["frame.number"]) for r in mine] == list(range(1 + stream, 21, 2))
        for a, b in zip(mine, ref):
            want = dict(tcpdiag_values(b), **{"tcpdiag.stream": str(stream)})
            assert tcpdiag_values(a) == want, f"stream {stream} frame {a['frame.number']}"
    # The inner hop limits, not the outer TTLs (128, 60).
    c = conv(results, "teredo", 1)
    assert (c["tcpdiag.client_ttl"], c["tcpdiag.server_ttl"]) == ("64", "63")
    assert (c["tcpdiag.conn_state"], c["tcpdiag.history"]) == ("SF", "ShADadfF")


# ---------------------------------------------------------------- 7 many conversations

# Conversations in the generated capture (one SYN and one RST each).  A
# million is too slow for this suite: tshark with tcpdiag used 59.0 s of
# CPU (64.6 s on an idle 2-CPU machine, 102 s while other jobs kept both
# CPUs busy), with tcpdiag disabled 40.6 s; both at once, as below, need
# about 70 s idle.  500000 takes about 30 s idle.  The full million:
#   TCPDIAG_MANY_CONVERSATIONS=1000000 pytest tests/e2e/test_catalogue_crafted.py -k many -s
MANY = int(os.environ.get("TCPDIAG_MANY_CONVERSATIONS", "500000"))
# The plugin's memory per conversation (peak RSS with tcpdiag minus peak
# RSS with --disable-protocol tcpdiag, which is the RSS of a tshark without
# the plugin, divided by the conversations): measured 1195 bytes at 100000
# conversations (455 - 341 MiB), 1209 at 300000 (1056 - 710 MiB) and 1201
# at 1000000 (3141 - 1996 MiB).  The bound leaves 70 % for growth and noise.
PLUGIN_BYTES_PER_CONVERSATION = 2048
CLIENTS = 16                                   # 192.0.2.1 ... 192.0.2.16
SERVER = bytes([203, 0, 113, 10])


def write_many(dst, n):
    """n conversations, 10 us apart: client 192.0.2.(1 + i // per_client)
    port 1024 + i % per_client sends a SYN to 203.0.113.10:80, answered 30 us
    later by an RST+ACK (a refused connection).  Classic pcap, Ethernet,
    valid IP and TCP checksums."""
    per = -(-n // CLIENTS)
    assert per <= 64000
    rec = struct.Struct("<IIII14s20s20s")
    ip_hdr, tcp_hdr = struct.Struct("!BBHHHBBH4s4s"), struct.Struct("!HHIIBBHHH")
    cmac, smac = b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\x02"

    def fold(s):
        while s >> 16:
            s = (s & 0xffff) + (s >> 16)
        return s
    # (src, dst) -> sum of the address words; only 16 pairs each way.
    pairs = {}
    with open(dst, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        chunk = []
        for i in range(n):
            client = bytes([192, 0, 2, 1 + i // per])
            port = 1024 + i % per
            isn = (i * 2654435761) & 0xffffffff
            t = 1700000000 * 1000000 + i * 10
            for syn in (True, False):
                src, dst_ = (client, SERVER) if syn else (SERVER, client)
                key = src + dst_
                if key not in pairs:
                    ip = ip_hdr.pack(0x45, 0, 40, 0, 0x4000, 64, 6, 0, src, dst_)
                    pairs[key] = (struct.pack("!H", 0xffff - fold(sum(struct.unpack("!10H", ip)))),
                                  sum(struct.unpack("!4H", key)) + 6 + 20, ip)
                csum_ip, pseudo, ip = pairs[key]
                ip = ip[:10] + csum_ip + ip[12:]
                if syn:
                    tcp = tcp_hdr.pack(port, 80, isn, 0, 0x50, 0x02, 64240, 0, 0)
                else:
                    tcp = tcp_hdr.pack(80, port, 0, (isn + 1) & 0xffffffff, 0x50, 0x14, 0, 0, 0)
                c = 0xffff - fold(pseudo + sum(struct.unpack("!10H", tcp)))
                tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
                ts = t + (0 if syn else 30)
                chunk.append(rec.pack(ts // 1000000, ts % 1000000, 54, 54,
                                      (smac + cmac if syn else cmac + smac) + b"\x08\x00", ip, tcp))
            if len(chunk) >= 20000:
                out.write(b"".join(chunk))
                chunk = []
        out.write(b"".join(chunk))


def run_counting(tshark, capture, extra, result):
    """tshark -T fields -e tcp.stream -e tcpdiag.outcome -e tcpdiag.finding,
    single pass; the rows counted as they come; its peak RSS (wait4)."""
    args = ["-r", capture, "-T", "fields", "-e", "tcp.stream", "-e", "tcpdiag.outcome",
            "-e", "tcpdiag.finding"] + extra
    t0 = time.monotonic()
    p = subprocess.Popen(tshark._cmd(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    timer = threading.Timer(600, p.kill)
    timer.start()
    counts, in_order, rows = collections.Counter(), True, 0
    for line in p.stdout:
        stream, outcome, finding = line.rstrip("\n").split("\t")
        in_order &= stream == str(rows // 2)
        counts[(outcome, finding)] += 1
        rows += 1
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    result.update(rc=p.returncode, stderr=err, counts=counts, in_order=in_order, rows=rows,
                  rss=usage.ru_maxrss * 1024, seconds=time.monotonic() - t0,
                  cpu=usage.ru_utime + usage.ru_stime)


def test_many_conversations(tshark):
    """MANY refused conversations (generated here, not committed), read
    once with the plugin and once with it disabled (--disable-protocol
    tcpdiag), side by side: every conversation refused, no capture-wide
    finding, and the plugin's peak RSS per conversation under
    PLUGIN_BYTES_PER_CONVERSATION."""
    capture = os.path.join(tshark.home, "captures", "many.pcap")
    os.makedirs(os.path.dirname(capture), exist_ok=True)
    try:
        write_many(capture, MANY)
        os.chmod(capture, 0o644)
        on, off = {}, {}
        runs = [threading.Thread(target=run_counting, args=(tshark, capture, [], on)),
                threading.Thread(target=run_counting,
                                 args=(tshark, capture, ["--disable-protocol", "tcpdiag"], off))]
        for r in runs:
            r.start()
        for r in runs:
            r.join()
    finally:
        os.unlink(capture)
    for res in (on, off):
        assert res["rc"] == 0, res["stderr"][-2000:]
        assert "Dissector bug" not in res["stderr"]
        assert res["rows"] == 2 * MANY and res["in_order"]
    # Single pass: the SYN still pending, the RST's frame refused.
    assert on["counts"] == {("syn-pending", ""): MANY, ("refused", ""): MANY}
    assert off["counts"] == {("", ""): 2 * MANY}
    per_conversation = (on["rss"] - off["rss"]) / MANY
    print(f"\n{MANY} conversations: with tcpdiag {on['seconds']:.1f} s ({on['cpu']:.1f} s CPU), "
          f"peak RSS {on['rss'] / 2**20:.0f} MiB; disabled {off['seconds']:.1f} s "
          f"({off['cpu']:.1f} s CPU), {off['rss'] / 2**20:.0f} MiB; "
          f"tcpdiag {per_conversation:.0f} bytes per conversation")
    assert 0 < per_conversation < PLUGIN_BYTES_PER_CONVERSATION
