# SPDX-License-Identifier: GPL-2.0-or-later
"""The kernel-made part of the catalogue of bad and awkward input
(sample-captures/catalogue/, made by make-catalogue.sh; README.md there).

Every capture with TCP in it holds the exchange of ../normal-close.pcapng
(SYN, SYN-ACK, ACK, an 18-byte GET, an 80-byte response, a three-way
close by the client) wrapped in something awkward: VLAN and QinQ tags, a
GRE, IP-in-IP or VXLAN tunnel, IPv6 extension headers, IPv4 fragments,
partial checksums from tx checksum offload.  The sensible result is the
diagnosis of the plain exchange: per frame the same endpoint states,
outcome, Zeek conn_state and history as normal-close.pcapng, in one pass
and with -2; one tcpdiag conversation per inner TCP flow, with the inner
addresses and TTLs, never the outer ones; nothing on a packet without
TCP; no expert item, finding, malformed packet or dissector bug.  The
captures without TCP (empty, no-tcp) give no tcpdiag field at all and
empty tables.

Each capture is read once per pass: fields and both tables (-z tcpdiag,conv
and -z tcpdiag,sum) come from the same tshark run.
"""
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

import test_tables

from conftest import BOOL_VALUE, CAPTURES, ws_version

CAT = os.path.join(CAPTURES, "catalogue")
PLAIN_CAPTURE = os.path.join(CAPTURES, "normal-close.pcapng")

ST = {"CL": "CLOSED", "SS": "SYN_SENT", "SR": "SYN_RECV", "E": "ESTABLISHED",
      "F1": "FIN_WAIT1", "F2": "FIN_WAIT2", "LA": "LAST_ACK", "TW": "TIME_WAIT"}

PER_FRAME = ["tcpdiag.client_state", "tcpdiag.server_state", "tcpdiag.outcome",
             "tcpdiag.conn_state", "tcpdiag.history"]
FIELDS = (["frame.number", "tcp.stream", "tcp.checksum.status", "_ws.malformed",
           "tcpdiag.stream", "tcpdiag.outcome_final", "tcpdiag.retransmission",
           "tcpdiag.client_ttl", "tcpdiag.server_ttl", "tcpdiag.client_bytes",
           "tcpdiag.server_bytes", "tcpdiag.closed_by", "tcpdiag.close_type",
           "tcpdiag.time_wait", "tcpdiag.finding", "tcpdiag.summary"] + PER_FRAME)

# The plain exchange, per frame: client state, server state, then what one
# pass shows at that frame: outcome, conn_state, history.  This is what
# normal-close.pcapng gives (asserted below, so that "the same as the plain
# capture" is checked, not assumed).
PLAIN = ("1 SS CL syn-pending S0 S; 2 SS SR synack-pending S1 Sh; 3 E E established S1 ShA; "
         "4 E E established S1 ShAD; 5 E E established S1 ShADa; 6-7 E E established S1 ShADad; "
         "8 F1 E closing S2 ShADadF; 9 F2 LA closing SF ShADadFf; 10 TW CL closed SF ShADadFf")
# IPv4 fragments: the two full-sized segments of the 3000-byte request are
# cut in two by the router; frames 4 and 6 are first fragments (no TCP
# until reassembly), 5 and 7 complete them, 8 is the last 104 bytes, and
# the server acknowledges each segment (9-11).
FRAGMENTS = ("1 SS CL syn-pending S0 S; 2 SS SR synack-pending S1 Sh; 3 E E established S1 ShA; "
             "5 E E established S1 ShAD; 7-8 E E established S1 ShAD; "
             "9-11 E E established S1 ShADa; 12-13 E E established S1 ShADad; "
             "14 F1 E closing S2 ShADadF; 15 F2 LA closing SF ShADadFf; 16 TW CL closed SF ShADadFf")
# What -2 shows on every frame of a conversation, and its last frame's
# other conversation values.
FINAL = {"tcpdiag.outcome": "closed", "tcpdiag.conn_state": "SF", "tcpdiag.history": "ShADadFf"}
CLOSE = {"tcpdiag.closed_by": "client", "tcpdiag.close_type": "three-way",
         "tcpdiag.time_wait": "client", "tcpdiag.server_bytes": "80",
         "tcpdiag.finding": "", "tcpdiag.retransmission": ""}


def parse(spec, by=0):
    """'1 SS CL syn-pending S0 S; ...' -> {frame: (cs, ss, outcome, conn_state,
    history)}, every frame number moved by `by`."""
    out = {}
    for part in spec.split(";"):
        rng, cs, ss, outcome, conn, hist = part.split()
        lo, _, hi = rng.partition("-")
        for f in range(int(lo), int(hi or lo) + 1):
            out[f + by] = (ST[cs], ST[ss], outcome, conn, hist)
    return out


def case(streams, client, server, ttl=("64", "64"), client_bytes="18", frames_total=None):
    """streams: {tcp.stream: parsed frame spec}; client: the client address as the
    conv table writes it (port left out); ttl: (client, server) TTL seen."""
    return dict(streams=streams, client=client, server=server, ttl=ttl,
                client_bytes=client_bytes, frames_total=frames_total)


V4 = ("192.0.2.2", "198.51.100.2:80")
CASES = {
    # 802.1Q tag VID 10 on every frame.
    "vlan-8021q.pcapng": case({0: parse(PLAIN)}, *V4),
    # 802.1ad outer tag VID 100, 802.1Q inner tag VID 20.
    "vlan-qinq.pcapng": case({0: parse(PLAIN)}, *V4),
    # Outer IPv4 203.0.113.1 <-> 203.0.113.2, TTL 255; inner TTL 64.
    "tunnel-gre.pcapng": case({0: parse(PLAIN)}, *V4),
    "tunnel-ipip.pcapng": case({0: parse(PLAIN)}, *V4),
    # Two connections one after the other; each has its own outer UDP
    # source ports (4 in all), the outer UDP is no TCP conversation.
    "tunnel-vxlan.pcapng": case({0: parse(PLAIN), 1: parse(PLAIN, 10)}, *V4),
    # Client: hop-by-hop (PadN), routing (SRH, segments left 0),
    # destination options (PadN); server: destination options (PadN).
    "ipv6-ext-headers.pcapng": case({0: parse(PLAIN)}, "[2001:db8:1::2]", "[2001:db8:1::3]:80"),
    # Captured after one router: TTL 63 both ways.
    "ipv4-fragments.pcapng": case({0: parse(FRAGMENTS)}, *V4, ttl=("63", "63"), client_bytes="3000",
                                  frames_total=16),
    # Every TCP checksum in the file is wrong (partial, offloaded).
    "checksum-offload.pcapng": case({0: parse(PLAIN)}, *V4),
}
NO_TCP = {"empty.pcapng": 0, "no-tcp.pcapng": 14}

_experts = []
_runs = {}


def expert_fields(tshark):
    """Every tcpdiag expert field the plugin registers."""
    if not _experts:
        out = tshark.run(["-G", "fields"]).stdout
        _experts.extend(sorted(
            l.split("\t")[2] for l in out.splitlines()
            if l.startswith("F\t") and l.split("\t")[2].startswith(
                ("tcpdiag.diag.", "tcpdiag.event.", "tcpdiag.rst.", "tcpdiag.finding."))
            and l.split("\t")[3] == "FT_NONE"))
        assert "tcpdiag.diag.refused" in _experts and "tcpdiag.finding.ping_no_tcp" in _experts
    return _experts


def capture_path(capture):
    return capture if os.path.isabs(capture) else os.path.join(CAT, capture)


def run_one(tshark, capture, two_pass, extra):
    """(rows, conv table, sum table, stderr) of one tshark run."""
    fields = FIELDS + expert_fields(tshark)
    args = ["-r", tshark.path(capture_path(capture)), "-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=a", "-E", "aggregator=,"]
    if two_pass:
        args.append("-2")
    for f in fields:
        args += ["-e", f]
    args += ["-z", "tcpdiag,conv", "-z", "tcpdiag,sum"] + list(extra)
    p = tshark.run(args)
    lines = p.stdout.splitlines()
    cut = next((i for i, l in enumerate(lines) if l.startswith("=====")), len(lines))
    rows = []
    for line in lines[:cut]:
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        r = dict(zip(fields, cols))
        r["tcpdiag.outcome_final"] = BOOL_VALUE.get(r["tcpdiag.outcome_final"],
                                                    r["tcpdiag.outcome_final"])
        rows.append(r)
    tables = "\n".join(lines[cut:])
    assert tables.count("TCP diagnosis: conversations") == 1, tables
    assert tables.count("TCP diagnosis: summary") == 1, tables
    conv = tables.split("TCP diagnosis: conversations")[1].split("\n=====")[0]
    summ = tables.split("TCP diagnosis: summary")[1].split("\n=====")[0]
    return rows, conv, summ, p.stderr


# Every tshark run of this file: (capture, two_pass, extra options).
RUNS = ([(c, tp, ()) for c in [PLAIN_CAPTURE] + sorted(CASES) + sorted(NO_TCP)
         for tp in (False, True)]
        + [("checksum-offload.pcapng", tp, ("-o", "tcp.check_checksum:TRUE")) for tp in (False, True)]
        + [("ipv4-fragments.pcapng", True, ("-o", "ip.defragment:FALSE"))])


def read(tshark, capture, two_pass, extra=()):
    """The result of a run in RUNS.  The first call makes them all, a run
    per CPU (a run is mostly tshark's start-up)."""
    if not _runs:
        expert_fields(tshark)
        for c, _, _ in RUNS:
            tshark.path(capture_path(c))  # copies are made one at a time
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            done = pool.map(lambda k: run_one(tshark, *k), RUNS)
            _runs.update(zip(RUNS, done))
    return _runs[(capture, two_pass, tuple(extra))]


def conv_rows(conv):
    """The conv table's rows, parsed as test_tables parses them (one list of
    columns for the tests too)."""
    return [r for r in test_tables.conv_rows(conv) if r.get("Stream")]


def no_rtt(summary):
    """The summary without its handshake RTT, which differs between runs."""
    return re.sub(r"RTT \d+ us", "RTT N us", summary)


PASSES = pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])


@PASSES
def test_plain_capture_is_what_the_catalogue_compares_with(tshark, two_pass):
    """normal-close.pcapng gives PLAIN, so PLAIN is "the diagnosis without
    encapsulation"."""
    rows, _, _, _ = read(tshark, PLAIN_CAPTURE, two_pass)
    want = parse(PLAIN)
    assert [int(r["frame.number"]) for r in rows] == sorted(want)
    for r in rows:
        cs, ss, outcome, conn, hist = want[int(r["frame.number"])]
        assert (r["tcpdiag.client_state"], r["tcpdiag.server_state"]) == (cs, ss)
        if two_pass:
            assert {k: r[k] for k in FINAL} == FINAL
        else:
            assert (r["tcpdiag.outcome"], r["tcpdiag.conn_state"], r["tcpdiag.history"]) == \
                (outcome, conn, hist)


@PASSES
@pytest.mark.parametrize("capture", sorted(CASES))
def test_same_diagnosis_as_the_plain_exchange(tshark, capture, two_pass):
    c = CASES[capture]
    rows, conv, summ, _ = read(tshark, capture, two_pass)
    want = {}
    for stream, frames in c["streams"].items():
        for f, v in frames.items():
            want[f] = (stream,) + v
    total = c["frames_total"] or len(want)
    assert [int(r["frame.number"]) for r in rows] == list(range(1, total + 1))
    # No tcpdiag on a packet without (reassembled) TCP; nothing malformed.
    for r in rows:
        f = int(r["frame.number"])
        assert r["_ws.malformed"] == "", f"frame {f} malformed"
        if f not in want:
            assert r["tcp.stream"] == "" and r["tcpdiag.stream"] == "", f"frame {f}"
            assert all(r[k] == "" for k in PER_FRAME), f"frame {f}"
    got = {int(r["frame.number"]): r for r in rows if r["tcpdiag.stream"] != ""}
    assert sorted(got) == sorted(want)
    for f, (stream, cs, ss, outcome, conn, hist) in want.items():
        r = got[f]
        # One tcpdiag conversation per inner TCP flow, numbered as Wireshark's.
        assert (r["tcp.stream"], r["tcpdiag.stream"]) == (str(stream), str(stream)), f"frame {f}"
        assert (r["tcpdiag.client_state"], r["tcpdiag.server_state"]) == (cs, ss), f"frame {f}"
        assert r["tcpdiag.outcome_final"] == ("1" if two_pass else "0"), f"frame {f}"
        if two_pass:
            assert {k: r[k] for k in FINAL} == FINAL, f"frame {f}"
            # The inner TTLs (the tunnels' outer TTL is 255).
            assert (r["tcpdiag.client_ttl"], r["tcpdiag.server_ttl"]) == c["ttl"], f"frame {f}"
        else:
            assert (r["tcpdiag.outcome"], r["tcpdiag.conn_state"], r["tcpdiag.history"]) == \
                (outcome, conn, hist), f"frame {f}"
    # The last frame of each conversation: the close, as in the plain capture.
    for stream, frames in c["streams"].items():
        last = got[max(frames)]
        assert {k: last[k] for k in CLOSE} == CLOSE, f"stream {stream}"
        assert (last["tcpdiag.client_ttl"], last["tcpdiag.server_ttl"]) == c["ttl"]
        assert last["tcpdiag.client_bytes"] == c["client_bytes"]
    # No expert item, finding or RST assessment anywhere.
    for r in rows:
        for e in expert_fields(tshark):
            assert r[e] == "", f"frame {r['frame.number']}: {e}"
    # The tables: one row per inner flow, inner addresses, the same verdict.
    n = len(c["streams"])
    assert f"Conversations: {n}\n" in conv
    table = conv_rows(conv)
    assert [t["Stream"] for t in table] == [str(s) for s in sorted(c["streams"])]
    for t in table:
        assert t["Client"].startswith(c["client"] + ":"), t
        assert (t["Server"], t["Outcome"], t["Zeek"], t["History"], t["SYNs"], t["Bytes C>S"],
                t["Bytes S>C"], t["Client end"], t["Server end"]) == \
            (c["server"], "closed", "SF", "ShADadFf", "1", c["client_bytes"], "80",
             "TIME_WAIT", "CLOSED"), t
    assert f"Conversations: {n}, with a problem: 0\n" in summ
    assert re.search(rf"^closed\s+{n}$", summ, re.M), summ
    assert "Capture-wide findings: 0" in summ


@PASSES
@pytest.mark.parametrize("capture", sorted(c for c in CASES if CASES[c]["frames_total"] is None))
def test_frame_by_frame_equal_to_normal_close(tshark, capture, two_pass):
    """The same packets in the same order as normal-close.pcapng, so every
    frame of every inner flow shows what the plain capture's frame shows,
    summary included (but for the handshake RTT)."""
    plain, _, _, _ = read(tshark, PLAIN_CAPTURE, two_pass)
    rows, _, _, _ = read(tshark, capture, two_pass)
    keys = PER_FRAME + ["tcpdiag.outcome_final", "tcpdiag.closed_by", "tcpdiag.close_type",
                        "tcpdiag.time_wait", "tcpdiag.client_bytes", "tcpdiag.server_bytes"]
    want = [[r[k] for k in keys] + [no_rtt(r["tcpdiag.summary"])] for r in plain]
    for stream in CASES[capture]["streams"]:
        flow = [r for r in rows if r["tcpdiag.stream"] == str(stream)]
        assert [[r[k] for k in keys] + [no_rtt(r["tcpdiag.summary"])] for r in flow] == want


@PASSES
def test_bad_checksums_do_not_change_the_diagnosis(tshark, two_pass):
    """Every segment of checksum-offload.pcapng has a partial checksum (tx
    offload on the capturing host).  With tcp.check_checksum on, Wireshark
    marks them all bad; tcpdiag's answer is the same as with it off."""
    off, conv_off, sum_off, _ = read(tshark, "checksum-offload.pcapng", two_pass)
    on, conv_on, sum_on, _ = read(tshark, "checksum-offload.pcapng", two_pass,
                                  ("-o", "tcp.check_checksum:TRUE"))
    # 0 = bad, 1 = good, 2 = unverified (the default: not checked).
    # Wireshark 4.4 and later recognise the partial (pseudo-header)
    # checksum of offload and call it good; 4.0 calls it bad.
    assert [r["tcp.checksum.status"] for r in on] == ["1" if ws_version() >= (4, 4) else "0"] * 10
    assert [r["tcp.checksum.status"] for r in off] == ["2"] * 10
    for a, b in zip(off, on):
        a, b = dict(a), dict(b)
        del a["tcp.checksum.status"], b["tcp.checksum.status"]
        assert a == b
    assert conv_off == conv_on and sum_off == sum_on


def test_fragments_not_reassembled(tshark):
    """With ip.defragment off, the TCP dissector sees the first fragments
    (frames 4 and 6) with their TCP header and part of the payload, and
    never the rest (5 and 7).  The diagnosis stays closed, both ends' final
    states and the byte count too; the history gains a G (Zeek: content
    gap), since the server acknowledges bytes the dissector never showed."""
    rows, conv, _, _ = read(tshark, "ipv4-fragments.pcapng", True, ("-o", "ip.defragment:FALSE"))
    with_tcpdiag = [int(r["frame.number"]) for r in rows if r["tcpdiag.stream"] == "0"]
    assert with_tcpdiag == [f for f in range(1, 17) if f not in (5, 7)]
    last = rows[-1]
    assert (last["tcpdiag.client_state"], last["tcpdiag.server_state"], last["tcpdiag.outcome"],
            last["tcpdiag.conn_state"], last["tcpdiag.history"], last["tcpdiag.client_bytes"]) == \
        ("TIME_WAIT", "CLOSED", "closed", "SF", "ShADaGdFf", "3000")
    assert all(r["_ws.malformed"] == "" for r in rows)
    assert "Conversations: 1\n" in conv


@PASSES
@pytest.mark.parametrize("capture", sorted(NO_TCP))
def test_captures_without_tcp(tshark, capture, two_pass):
    """tshark exits 0 (read() checks), says nothing on stderr, shows no
    tcpdiag field on any packet and prints both tables, empty."""
    rows, conv, summ, err = read(tshark, capture, two_pass)
    assert len(rows) == NO_TCP[capture]
    assert err == ""
    for r in rows:
        assert r["tcp.stream"] == "" and r["_ws.malformed"] == ""
        assert all(v == "" for k, v in r.items() if k.startswith("tcpdiag.")), r
    assert "Conversations: 0\n" in conv and conv_rows(conv) == []
    assert "Conversations: 0, with a problem: 0\n" in summ
    assert "Capture-wide findings: 0" in summ
    outcomes = summ.split("Outcome")[1].split("Problems by server")[0]
    assert outcomes.strip() == "Conversations"
