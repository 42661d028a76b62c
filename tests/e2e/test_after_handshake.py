# SPDX-License-Identifier: GPL-2.0-or-later
"""After the handshake (issue 11): the numbers behind each diagnosis.

test_captures.py states every frame's states, outcome and expert items of
these captures; this file checks the fields that carry the numbers
(retransmission schedule, zero-window time, idle time, path MTU, late
open), the Info column notes and tshark's expert table.  The expected
values follow from how each capture was made (sample-captures/README.md,
"After the handshake"): the times are those of the packets in the files.
"""
import pytest

NUMBERS = ("tcp.stream", "tcpdiag.client_retransmissions", "tcpdiag.server_retransmissions",
           "tcpdiag.retransmission_schedule", "tcpdiag.zero_window_for",
           "tcpdiag.zero_window_probes", "tcpdiag.keepalives", "tcpdiag.idle_before_cut",
           "tcpdiag.path_mtu", "tcpdiag.opened_late_by")


def last_row(tshark, capture, stream=0, two_pass=True):
    rows = tshark.fields(capture, list(NUMBERS), two_pass=two_pass,
                         dfilter=f"tcpdiag && tcp.stream == {stream}")
    assert rows, capture
    return rows[-1]


@pytest.mark.parametrize("capture,side,count,schedule", [
    # the request after the cut: a tail loss probe after ~0.21 s, then the
    # RTO doubling from ~0.2 s
    ("dead-peer-user-timeout.pcapng", "client", "5", "0.000, 0.212, 0.420, 0.860, 1.696, 3.356"),
    ("dead-peer-retries2.pcapng", "client", "5", "0.000, 0.210, 0.414, 0.850, 1.682, 3.346"),
    ("dead-peer-server-data.pcapng", "server", "5", "0.000, 0.207, 0.416, 0.839, 1.671, 3.335"),
    ("idle-timeout-drop.pcapng", "client", "5", "0.000, 0.210, 0.418, 0.834, 1.667, 3.334"),
    # five full-size segments resent together (SACK recovery) after 4 ms,
    # then the first one alone: 8 retransmissions, 4 of the first segment
    ("pmtu-blackhole.pcapng", "server", "8", "0.000, 0.004, 0.216, 0.628, 1.465"),
    ("pmtu-blackhole-v6.pcapng", "server", "8", "0.000, 0.006, 0.218, 0.634, 1.466"),
])
def test_retransmission_schedule(tshark, capture, side, count, schedule):
    r = last_row(tshark, capture)
    assert r[f"tcpdiag.{side}_retransmissions"] == count
    other = "server" if side == "client" else "client"
    assert r[f"tcpdiag.{other}_retransmissions"] == ""
    assert r["tcpdiag.retransmission_schedule"] == schedule


def test_retransmissions_only_where_data_was_sent_again(tshark):
    # SYN retransmissions are not data retransmissions
    rows = tshark.fields("syn-dropped-server.pcapng", list(NUMBERS), two_pass=True,
                         dfilter="tcpdiag")
    assert rows and all(r["tcpdiag.client_retransmissions"] == "" for r in rows)
    # the ICMP made the server resend its six segments at the smaller size
    r = last_row(tshark, "pmtu-icmp-v6.pcapng")
    assert r["tcpdiag.server_retransmissions"] == "6" and r["tcpdiag.path_mtu"] == "1280"


def test_zero_window(tshark):
    r = last_row(tshark, "zero-window-recovered.pcapng")
    # window 0 in frame 10 (0.0578 s), open again in frame 18 (5.0156 s)
    assert abs(float(r["tcpdiag.zero_window_for"]) - 4.957792) < 1e-5
    assert r["tcpdiag.zero_window_probes"] == "4"
    r = last_row(tshark, "zero-window-stalled.pcapng")
    # from frame 10 (0.0703 s) to the end of the capture (6.7783 s)
    assert abs(float(r["tcpdiag.zero_window_for"]) - 6.708021) < 1e-5
    assert r["tcpdiag.zero_window_probes"] == "5"


def test_keepalives_and_idle(tshark):
    assert last_row(tshark, "keepalive-dead-peer.pcapng")["tcpdiag.keepalives"] == "3"
    assert last_row(tshark, "keepalive-answered.pcapng")["tcpdiag.keepalives"] == "3"
    # the request came 32.0 s after the response's ACK: the firewall's
    # timeout (30 s) is shorter
    assert abs(float(last_row(tshark, "idle-timeout-drop.pcapng")["tcpdiag.idle_before_cut"])
               - 32.005374) < 1e-5
    assert abs(float(last_row(tshark, "idle-timeout-reset.pcapng")["tcpdiag.idle_before_cut"])
               - 6.012574) < 1e-5


def test_opened_late(tshark):
    # the 3rd client's ACK at 0.236 s, the server's first ACK of its
    # request at 2.757 s (after the application's first accept())
    r = last_row(tshark, "accept-queue-full.pcapng", stream=2)
    assert abs(float(r["tcpdiag.opened_late_by"]) - 2.520810) < 1e-5
    assert r["tcpdiag.client_retransmissions"] == "4"
    r = last_row(tshark, "accept-queue-full.pcapng", stream=4)
    assert abs(float(r["tcpdiag.opened_late_by"]) - 1.314923) < 1e-5
    # the others opened at once
    for stream in (0, 1, 3):
        assert last_row(tshark, "accept-queue-full.pcapng", stream)["tcpdiag.opened_late_by"] == ""


def test_single_pass_is_not_ahead_of_the_evidence(tshark):
    """A single pass names a stuck sender only from its third retransmission
    on (two recover often on a lossy path)."""
    rows = tshark.fields("dead-peer-user-timeout.pcapng", ["frame.number", "tcpdiag.outcome"],
                         dfilter="tcpdiag")
    got = {int(r["frame.number"]): r["tcpdiag.outcome"] for r in rows}
    assert got[10] == "established" and got[11] == "retransmission-timeout"


def test_info_column_notes(tshark):
    lines = tshark.run(["-r", tshark.path("dead-peer-user-timeout.pcapng")]).stdout.splitlines()
    assert "[tcpdiag: data-retransmission 3]" in lines[10]
    lines = tshark.run(["-r", tshark.path("zero-window-recovered.pcapng")]).stdout.splitlines()
    assert "[tcpdiag: zero-window]" in lines[9]
    assert "[tcpdiag: zero-window-probe 1]" in lines[10]
    assert "[tcpdiag: window-opened]" in lines[17]
    lines = tshark.run(["-r", tshark.path("keepalive-dead-peer.pcapng")]).stdout.splitlines()
    assert "[tcpdiag: keepalive 3]" in lines[9]
    assert "[tcpdiag: keepalive-timeout]" in lines[10]
    lines = tshark.run(["-2", "-r", tshark.path("pmtu-blackhole.pcapng")]).stdout.splitlines()
    assert "[tcpdiag: pmtu-black-hole]" in lines[43]


@pytest.mark.parametrize("capture,severity,group,words", [
    # a diagnosis's expert item carries the conversation's summary
    ("accept-queue-abort.pcapng", "Warns", "Sequence", "the listener on port 80 answered that ACK 48 us"),
    ("keepalive-dead-peer.pcapng", "Warns", "Sequence", "keepalive probes from frame 8, none answered"),
    ("pmtu-blackhole.pcapng", "Warns", "Sequence", "The server's segments of 1448 bytes were sent again"),
    ("pmtu-icmp.pcapng", "Notes", "Response", "ICMP fragmentation needed / packet too big"),
    ("zero-window-stalled.pcapng", "Notes", "Sequence", "Receiver advertises a zero window"),
])
def test_expert_table(tshark, capture, severity, group, words):
    out = tshark.run(["-2", "-r", tshark.path(capture), "-q", "-z", "expert"]).stdout
    part = out.split(severity)[1].split("\n\n")[0]
    assert any(group in l and "tcpdiag" in l and words in l for l in part.splitlines()), out
