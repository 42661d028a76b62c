# SPDX-License-Identifier: GPL-2.0-or-later
"""Every sample capture through the real tshark, single pass and -2.

Each case states, per frame, both endpoints' states and the outcome a
single pass shows at that frame; per conversation, what -2 shows on every
one of its frames; which frames carry which tcpdiag expert item; and words
the summary must contain.  The expected values follow from how each capture
was made (sample-captures/README.md), not from a previous run.
"""
import pytest

ST = {"CL": "CLOSED", "SS": "SYN_SENT", "SR": "SYN_RECV", "E": "ESTABLISHED",
      "F1": "FIN_WAIT1", "F2": "FIN_WAIT2", "CW": "CLOSE_WAIT", "CG": "CLOSING",
      "LA": "LAST_ACK", "TW": "TIME_WAIT"}

CONV_FIELDS = ("tcpdiag.outcome", "tcpdiag.client_errno", "tcpdiag.client_error",
               "tcpdiag.syn_count", "tcpdiag.synack_count", "tcpdiag.syn_frame",
               "tcpdiag.answer_frame", "tcpdiag.role_basis", "tcpdiag.conn_state",
               "tcpdiag.history")


def parse_frames(spec):
    """'1 SS CL syn-pending; 2-4 E E established r1' -> {frame: (cs, ss, outcome, retrans)}"""
    out = {}
    for part in spec.split(";"):
        tok = part.split()
        if not tok:
            continue
        rng, cs, ss, outcome = tok[:4]
        retrans = tok[4][1:] if len(tok) > 4 else ""
        lo, _, hi = rng.partition("-")
        for f in range(int(lo), int(hi or lo) + 1):
            out[f] = (ST[cs], ST[ss], outcome, retrans)
    return out


def conv(outcome, errno="", error="", syn="", synack="", syn_frame="", answer="", role="syn",
         zeek=None):
    d = dict(zip(CONV_FIELDS, (outcome, errno, error, syn, synack, syn_frame, answer, role)))
    if zeek:
        d["tcpdiag.conn_state"], d["tcpdiag.history"] = zeek
    return d


HS = "1 SS CL syn-pending; 2 SS SR synack-pending; 3-7 E E established"  # handshake + GET + answer


CASES = {
    "syn-dropped-server.pcapng": dict(
        frames="5 SS CL syn-pending; 16 SS CL syn-unanswered r1; 37 SS CL syn-unanswered r2",
        convs={0: conv("syn-unanswered", "ETIMEDOUT", "Connection timed out", "3", "", "5", "", zeek=("S0", "S"))},
        experts_final={"tcpdiag.diag.syn_unanswered": [37],
                       "tcpdiag.event.syn_retransmission": [16, 37]},
        experts_single={"tcpdiag.event.syn_retransmission": [16, 37]},
        summary={0: ["SYN sent 3 times over 3.0 s (at 0.00, 1.00, 3.02 s), never answered",
                     "dropped silently by a firewall or on the path",
                     "the client gave up (no SYN in the 5.6 s after the last)",
                     "the client reports Connection timed out"]},
    ),
    "syn-dropped-router-v6.pcapng": dict(
        frames="5 SS CL syn-pending; 16 SS CL syn-unanswered r1; 37 SS CL syn-unanswered r2",
        convs={0: conv("syn-unanswered", "ETIMEDOUT", "Connection timed out", "3", "", "5", "", zeek=("S0", "S"))},
        experts_final={"tcpdiag.diag.syn_unanswered": [37],
                       "tcpdiag.event.syn_retransmission": [16, 37]},
        experts_single={"tcpdiag.event.syn_retransmission": [16, 37]},
        summary={0: ["SYN sent 3 times over 3.0 s", "the client gave up",
                     "Connection timed out"]},
    ),
    "syn-pending.pcapng": dict(
        frames="5 SS CL syn-pending",
        convs={0: conv("syn-pending", "", "", "1", "", "5", "", zeek=("S0", "S"))},
        experts_final={"tcpdiag.diag.syn_pending": [5]},
        experts_single={},
        summary={0: ["SYN sent once, no answer in the 82.2 ms after the last one until the "
                     "capture ended: too soon to tell"]},
    ),
    "refused-no-listener.pcapng": dict(
        frames="1 SS CL syn-pending; 2 CL CL refused",
        convs={0: conv("refused", "ECONNREFUSED", "Connection refused", "1", "", "1", "2", zeek=("REJ", "Sr"))},
        experts_final={"tcpdiag.diag.refused": [2]},
        experts_single={"tcpdiag.diag.refused": [2]},
        summary={0: ["SYN answered by a reset from the server after 37 us",
                     "nothing listens on port 80, or a firewall rejects with tcp-reset",
                     "the client reports Connection refused"]},
    ),
    "refused-reject-tcp-reset-v6.pcapng": dict(
        frames="1 SS CL syn-pending; 2 CL CL refused",
        convs={0: conv("refused", "ECONNREFUSED", "Connection refused", "1", "", "1", "2", zeek=("REJ", "Sr"))},
        experts_final={"tcpdiag.diag.refused": [2]},
        experts_single={"tcpdiag.diag.refused": [2]},
        summary={0: ["SYN answered by a reset from the server", "Connection refused"]},
    ),
    "icmp-port-unreachable.pcapng": dict(
        frames="1 SS CL syn-pending; 2 CL CL icmp-unreachable",
        convs={0: conv("icmp-unreachable", "ECONNREFUSED", "Connection refused", "1", "", "1", "2", zeek=("S0", "S"))},
        experts_final={"tcpdiag.diag.icmp_unreachable": [2], "tcpdiag.event.icmp_error": [2]},
        experts_single={"tcpdiag.diag.icmp_unreachable": [2], "tcpdiag.event.icmp_error": [2]},
        summary={0: ["SYN rejected by ICMP destination unreachable (port unreachable) "
                     "from 198.51.100.2 (the server itself)", "Connection refused"]},
        icmp_about={2: "1"},
    ),
    "icmp-unreachable-router.pcapng": dict(
        frames="1 SS CL syn-pending; 2 CL CL icmp-unreachable; 3 SS CL syn-pending; "
               "4 CL CL icmp-unreachable; 5 SS CL syn-pending; 6 CL CL icmp-unreachable; "
               "7 SS CL syn-pending; 8 CL CL icmp-unreachable",
        convs={0: conv("icmp-unreachable", "ENETUNREACH", "Network is unreachable", "1", "", "1", "2", zeek=("S0", "S")),
               1: conv("icmp-unreachable", "EHOSTUNREACH", "No route to host", "1", "", "3", "4", zeek=("S0", "S")),
               2: conv("icmp-unreachable", "EHOSTUNREACH", "No route to host", "1", "", "5", "6", zeek=("S0", "S")),
               3: conv("icmp-unreachable", "ECONNREFUSED", "Connection refused", "1", "", "7", "8")},
        experts_final={"tcpdiag.diag.icmp_unreachable": [2, 4, 6, 8],
                       "tcpdiag.event.icmp_error": [2, 4, 6, 8]},
        experts_single={"tcpdiag.diag.icmp_unreachable": [2, 4, 6, 8],
                        "tcpdiag.event.icmp_error": [2, 4, 6, 8]},
        summary={0: ["(network unreachable) from 192.0.2.1 (a router or firewall on the path)"],
                 1: ["(host unreachable) from 192.0.2.1"],
                 2: ["(communication administratively prohibited) from 192.0.2.1"],
                 3: ["(port unreachable) from 192.0.2.1 (a router or firewall on the path)"]},
        icmp_about={2: "1", 4: "3", 6: "5", 8: "7"},
    ),
    "icmp6-admin-prohibited-router.pcapng": dict(
        frames="1 SS CL syn-pending; 2 CL CL icmp-unreachable",
        convs={0: conv("icmp-unreachable", "EACCES", "Permission denied", "1", "", "1", "2", zeek=("S0", "S"))},
        experts_final={"tcpdiag.diag.icmp_unreachable": [2], "tcpdiag.event.icmp_error": [2]},
        experts_single={"tcpdiag.diag.icmp_unreachable": [2], "tcpdiag.event.icmp_error": [2]},
        summary={0: ["ICMPv6 destination unreachable (administratively prohibited) from "
                     "2001:db8:1::1 (a router or firewall on the path)", "Permission denied"]},
        icmp_about={2: "1"},
    ),
    "synack-unanswered.pcapng": dict(
        frames="5 SS CL syn-pending; 6 SS SR synack-pending; 17 SS SR synack-unanswered r1; "
               "18 SS SR synack-unanswered r1; 19 SS SR synack-unanswered r2; "
               "40 SS SR synack-unanswered r3; 41 SS SR synack-unanswered r2; "
               "42 SS SR synack-unanswered r4",
        convs={0: conv("synack-unanswered", "ETIMEDOUT", "Connection timed out", "3", "5", "5", "6", zeek=("S1", "Sh"))},
        experts_final={"tcpdiag.diag.synack_unanswered": [42],
                       "tcpdiag.event.synack_retransmission": [17, 19, 40, 42],
                       "tcpdiag.event.syn_retransmission": [18, 41]},
        experts_single={"tcpdiag.event.synack_retransmission": [17, 19, 40, 42],
                        "tcpdiag.event.syn_retransmission": [18, 41]},
        summary={0: ["Server answered with SYN-ACK 5 times over 3.0 s, never acknowledged",
                     "the server sat half-open in SYN_RECV",
                     "the client re-sent its SYN twice after a SYN-ACK passed",
                     "Connection timed out"]},
    ),
    "reset-after-handshake-client.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3 E E established; "
               "4 CL CL reset-after-handshake",
        convs={0: conv("reset-after-handshake", "", "", "1", "1", "1", "2", zeek=("RSTO", "ShAR"))},
        experts_final={"tcpdiag.diag.reset_after_handshake": [4]},
        experts_single={"tcpdiag.diag.reset_after_handshake": [4]},
        summary={0: ["Handshake completed (RTT 44 us), then the client reset the connection",
                     "before any data", "the client application aborted"]},
    ),
    "reset-after-handshake-server.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3 E E established; "
               "4 CL CL reset-after-handshake",
        convs={0: conv("reset-after-handshake", "ECONNRESET", "Connection reset by peer",
                       "1", "1", "1", "2", zeek=("RSTR", "ShAr"))},
        experts_final={"tcpdiag.diag.reset_after_handshake": [4]},
        experts_single={"tcpdiag.diag.reset_after_handshake": [4]},
        summary={0: ["then the server reset the connection 847 us later before any data",
                     "the client reports Connection reset by peer"]},
    ),
    "client-aborted.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS CL syn-unanswered r1; 3 SS SR synack-pending; "
               "4 CL CL client-aborted",
        convs={0: conv("client-aborted", "", "", "2", "1", "1", "3", zeek=("RSTO", "ShR"))},
        experts_final={"tcpdiag.diag.client_aborted": [4],
                       "tcpdiag.event.syn_retransmission": [2]},
        experts_single={"tcpdiag.diag.client_aborted": [4],
                        "tcpdiag.event.syn_retransmission": [2]},
        summary={0: ["The client reset its own connection attempt 3.0 s after its first SYN",
                     "answering the server's SYN-ACK with RST"]},
    ),
    "midstream.pcapng": dict(
        frames="1-27 E E midstream; 28 F1 E midstream; 29 F2 LA midstream; 30 TW CL midstream",
        convs={0: conv("midstream", role="port", zeek=("SF", "DdAFf"))},
        experts_final={"tcpdiag.diag.midstream": [1]},
        experts_single={"tcpdiag.diag.midstream": [1]},
        summary={0: ["frame 1 is not a SYN", "the server is taken to be port 80 by its port number",
                     "at the end of the capture client TIME_WAIT, server CLOSED"]},
    ),
    "simultaneous-open.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SS simultaneous-open; 3 SS SS simultaneous-open r1; "
               "4 SS SS simultaneous-open r1; 5 SR SS simultaneous-open; "
               "6-12 E E simultaneous-open; 13 F1 E simultaneous-open; "
               "14 F2 LA simultaneous-open; 15 TW CL simultaneous-open",
        convs={0: conv("simultaneous-open", "", "", "2", "1", "1", "6", zeek=("SF", "SsaADdFf"))},
        experts_final={"tcpdiag.diag.simultaneous_open": [2],
                       "tcpdiag.event.syn_retransmission": [3, 4]},
        experts_single={"tcpdiag.event.syn_retransmission": [3, 4]},
        summary={0: ["Simultaneous open: both ends sent a SYN (frames 1 and 2)"]},
    ),
    "normal-close.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-7 E E established; "
               "8 F1 E closing; 9 F2 LA closing; 10 TW CL closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadFf"))},
        experts_final={}, experts_single={},
        summary={0: ["Handshake completed (RTT 44 us); 18 bytes from the client, 80 from the "
                     "server; closed gracefully (three-way close), the client closed first; "
                     "client in TIME_WAIT"]},
    ),
    "normal-close-v6.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-7 E E established; "
               "8 E F1 closing; 9 LA F2 closing; 10 CL TW closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadfF"))},
        experts_final={}, experts_single={},
        summary={0: ["18 bytes from the client, 80 from the server",
                     "closed gracefully (three-way close), the server closed first; "
                     "server in TIME_WAIT"]},
    ),
    # ---- teardown (issue 3) ----
    "close-four-way.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F2 CW close-wait; 10 F2 LA closing; 11 TW CL closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadFf"))},
        experts_final={}, experts_single={},
        summary={0: ["closed gracefully (four-way close), the client closed first; client in TIME_WAIT"]},
    ),
    "close-simultaneous.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F1 F1 closing; 10 F1 F1 fin-unacked r1; "
                    "11 F1 F1 fin-unacked r1; 12 CG F2 fin-unacked; 13 TW TW closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadFf"))},
        experts_final={"tcpdiag.event.fin_retransmission": [10, 11]},
        experts_single={"tcpdiag.event.fin_retransmission": [10, 11]},
        summary={0: ["closed gracefully (simultaneous close), both sides closed at once; "
                     "both sides are in TIME_WAIT"]},
    ),
    "close-wait.pcapng": dict(
        frames="5 SS CL syn-pending; 6 SS SR synack-pending; 7-11 E E established; "
               "12 F1 E closing; 13 F2 CW close-wait",
        convs={0: conv("close-wait", "", "", "1", "1", "5", "6", zeek=("S2", "ShADadF"))},
        experts_final={"tcpdiag.diag.close_wait": [13]}, experts_single={},
        summary={0: ["The client closed (FIN in frame 12); the server acknowledged it and never "
                     "closed: it sat in CLOSE_WAIT for 2.9 s up to the end of the capture",
                     "the client waits in FIN_WAIT2"]},
    ),
    "established-idle.pcapng": dict(
        frames="5 SS CL syn-pending; 6 SS SR synack-pending; 7-11 E E established",
        convs={0: conv("established", "", "", "1", "1", "5", "6", zeek=("S1", "ShADad"))},
        experts_final={}, experts_single={},
        summary={0: ["still open, idle for 1.9 s at the end of the capture"]},
    ),
    "fin-unacked.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F1 E fin-unacked r1; 10 F1 E fin-unacked r2; "
                    "11 F1 E fin-unacked r3; 12 F1 E fin-unacked r4",
        convs={0: conv("fin-unacked", "", "", "1", "1", "1", "2", zeek=("S2", "ShADadF"))},
        experts_final={"tcpdiag.diag.fin_unacked": [12],
                       "tcpdiag.event.fin_retransmission": [9, 10, 11, 12]},
        experts_single={"tcpdiag.event.fin_retransmission": [9, 10, 11, 12]},
        summary={0: ["The client closed and sent its FIN 5 times over 1.7 s, never acknowledged",
                     "it sits in FIN_WAIT1"]},
    ),
    "last-ack.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F2 CW close-wait; 10 F2 LA closing; "
                    "11 F2 LA last-ack r1; 12 F2 LA last-ack r2; 13 F2 LA last-ack r3; "
                    "14 F2 LA last-ack r4",
        convs={0: conv("last-ack", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadFf"))},
        experts_final={"tcpdiag.diag.last_ack": [14],
                       "tcpdiag.event.fin_retransmission": [11, 12, 13, 14]},
        experts_single={"tcpdiag.event.fin_retransmission": [11, 12, 13, 14]},
        summary={0: ["The server closed after the client (passive close) and sent its FIN 5 times",
                     "it sits in LAST_ACK"]},
    ),
    "fin-wait2-expired.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F2 CW close-wait; 10 F2 LA closing; "
                    "11 CL CL fin-wait2-expired",
        convs={0: conv("fin-wait2-expired", "", "", "1", "1", "1", "2",
                       zeek=("SF", "ShADadFfR"))},
        experts_final={"tcpdiag.diag.fin_wait2_expired": [11]},
        experts_single={"tcpdiag.diag.fin_wait2_expired": [11]},
        summary={0: ["sent its own FIN only 4.0 s later", "given up waiting in FIN_WAIT2"]},
    ),
    "abort-linger-client.pcapng": dict(
        frames=HS + "; 8 CL CL reset",
        convs={0: conv("reset", "", "", "1", "1", "1", "2", zeek=("RSTO", "ShADadR"))},
        experts_final={"tcpdiag.diag.reset": [8]}, experts_single={"tcpdiag.diag.reset": [8]},
        summary={0: ["then the client reset the connection",
                     "after 18 bytes from the client and 80 from the server"]},
    ),
    "abort-unread-data.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-5 E E established; "
               "6 CL CL reset-unread-data",
        convs={0: conv("reset-unread-data", "ECONNRESET", "Connection reset by peer", "1", "1",
                       "1", "2", zeek=("RSTR", "ShADar"))},
        experts_final={"tcpdiag.diag.reset_unread_data": [6]},
        experts_single={"tcpdiag.diag.reset_unread_data": [6]},
        summary={0: ["the server reset the connection after receiving 18 bytes it never answered"]},
    ),
    "rst-after-fin.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-5 E E established; "
               "6 F1 E closing; 7-8 F2 CW close-wait; 9 CL CL reset-after-fin",
        convs={0: conv("reset-after-fin", "", "", "1", "1", "1", "2", zeek=("RSTO", "ShADaFdR"))},
        experts_final={"tcpdiag.diag.reset_after_fin": [9]},
        experts_single={"tcpdiag.diag.reset_after_fin": [9]},
        summary={0: ["The client closed (FIN in frame 6), then reset the connection when the "
                     "server sent 80 more bytes"]},
    ),
    "port-reuse-time-wait.pcapng": dict(
        frames=HS + "; 8 E F1 closing; 9 LA F2 closing; 10 CL TW closed; "
                    "11 SS CL syn-pending; 12 SS SR synack-pending; 13-17 E E established; "
                    "18 E F1 closing; 19 LA F2 closing; 20 CL TW closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadfF")),
               1: conv("closed", "", "", "1", "1", "11", "12", zeek=("SF", "ShADadfF"))},
        experts_final={"tcpdiag.event.port_reuse": [11]},
        experts_single={"tcpdiag.event.port_reuse": [11]},
        summary={0: ["the server closed first; server in TIME_WAIT"],
                 1: ["the server closed first; server in TIME_WAIT; same addresses and ports as "
                     "stream 0, whose last packet was 300.5 ms before this SYN, the server still "
                     "in TIME_WAIT (Linux keeps it 60 s); the server accepted the new SYN with a "
                     "SYN-ACK"]},
    ),
    "port-reuse-client-time-wait.pcapng": dict(
        frames=HS + "; 8 F1 E closing; 9 F2 LA closing; 10 TW CL closed; "
                    "11 SS CL syn-pending; 12 SS SR synack-pending; 13-17 E E established; "
                    "18 F1 E closing; 19 F2 LA closing; 20 TW CL closed",
        convs={0: conv("closed", "", "", "1", "1", "1", "2", zeek=("SF", "ShADadFf")),
               1: conv("closed", "", "", "1", "1", "11", "12", zeek=("SF", "ShADadFf"))},
        experts_final={"tcpdiag.event.port_reuse": [11]},
        experts_single={"tcpdiag.event.port_reuse": [11]},
        summary={0: ["the client closed first; client in TIME_WAIT"],
                 1: ["same addresses and ports as stream 0, whose last packet was 300.2 ms before "
                     "this SYN, the client still in TIME_WAIT",
                     "Linux lets a client reuse its own TIME_WAIT port"]},
    ),
    # ---- crafted (no correct stack sends these; see sample-captures/README.md) ----
    "crafted-impossible.pcapng": dict(
        frames=HS.replace("3-7 E E", "3-5 E E") + "; 6-7 F1 E closing; "
               "8 SS CL syn-pending; 9 SS SR synack-pending; 10 E E established; "
               "11-12 CL CL reset-after-handshake",
        convs={0: conv("closing", "", "", "1", "1", "1", "2", zeek=("S2", "ShADaF")),
               1: conv("reset-after-handshake", "ECONNRESET", "Connection reset by peer",
                       "1", "1", "8", "9", zeek=("RSTR", "ShArd"))},
        experts_final={"tcpdiag.event.data_after_fin": [7],
                       "tcpdiag.event.segment_after_rst": [12],
                       "tcpdiag.diag.reset_after_handshake": [11]},
        experts_single={"tcpdiag.event.data_after_fin": [7],
                        "tcpdiag.event.segment_after_rst": [12],
                        "tcpdiag.diag.reset_after_handshake": [11]},
        summary={0: ["close in progress: client FIN_WAIT1, server ESTABLISHED"],
                 # the server "sent" data after its own reset: no TCP does
                 # that, so the reset is doubted and not blamed on it
                 1: ["Reset of doubtful origin: the reset in frame ",
                     "claiming to come from the server does what its TCP cannot",
                     "then a reset claiming to come from the server ended the connection"]},
    ),

    # ---- after the handshake (issue 11) ----
    # listen(1), accept() late: the 3rd and 5th clients' ACKs not taken (SYN-ACK sent again, GET retransmitted, late open), the 6th client's SYNs dropped while others were answered
    "accept-queue-full.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3 SS CL syn-pending; 4 SS SR synack-pending; 5-7 E E established; 8 SS CL syn-pending; 9 SS SR synack-pending; 10-12 E E established; 13 SS CL syn-pending; 14-15 E E established; 16-17 SS CL syn-pending; 18 E E established r1; 19 E E established r2; 20 E SR accept-queue-full r1; 21 SS CL syn-unanswered r1; 22 E SR accept-queue-full; 23 SS CL syn-unanswered r1; 24 SS CL syn-unanswered r1; 25 E SR accept-queue-full r3; 26 E E established; 27-28 E F1 closing; 29 LA F2 closing; 30 CL TW closed; 31 E SR accept-queue-full r4; 32 E E accept-queue-full; 33 E E established; 34-35 E F1 closing; 36 LA F2 closing; 37 CL TW closed; 38 SS CL syn-unanswered r2; 39 SS SR synack-pending; 40 SS CL syn-unanswered r2; 41 SS SR synack-pending; 42-44 E E established; 45 SS CL syn-unanswered r2; 46-47 E E established; 48 E E established r1; 49 E E established r2; 50 E E accept-queue-full; 51-52 E F1 accept-queue-full; 53 LA F2 accept-queue-full; 54 CL TW accept-queue-full; 55 E SR accept-queue-full r1; 56 E SR accept-queue-full; 57 E SR accept-queue-full r3; 58 E E accept-queue-full; 59 E E established; 60-61 E F1 closing; 62 LA F2 closing; 63 CL TW closed; 64 E E accept-queue-full; 65-66 E F1 accept-queue-full; 67 LA F2 accept-queue-full; 68 CL TW accept-queue-full",
        convs={0: conv('closed', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADadfF')), 1: conv('closed', '', '', '1', '1', '3', '4', 'syn', zeek=('SF', 'ShADadfF')), 2: conv('accept-queue-full', '', '', '1', '2', '8', '9', 'syn', zeek=('SF', 'ShADTadfF')), 3: conv('closed', '', '', '3', '1', '13', '39', 'syn', zeek=('SF', 'ShADadfF')), 4: conv('accept-queue-full', '', '', '3', '2', '16', '41', 'syn', zeek=('SF', 'ShADTadfF')), 5: conv('syn-unanswered', '', '', '3', '', '17', '', 'syn', zeek=('S0', 'S'))},
        experts_final={'tcpdiag.event.data_retransmission': [18, 19, 25, 31, 48, 49, 57], 'tcpdiag.diag.accept_queue_full': [20, 55], 'tcpdiag.event.synack_retransmission': [20, 55], 'tcpdiag.event.syn_retransmission': [21, 23, 24, 38, 40, 45], 'tcpdiag.diag.syn_unanswered': [45]},
        experts_single={'tcpdiag.event.data_retransmission': [18, 19, 25, 31, 48, 49, 57], 'tcpdiag.event.synack_retransmission': [20, 55], 'tcpdiag.event.syn_retransmission': [21, 23, 24, 38, 40, 45]},
        summary={2: ['The client completed the handshake (ACK in frame 14), but the server on port 80 sent its SYN-ACK again once after it (first in frame 20): it had not taken that ACK', "meanwhile the client, ESTABLISHED, sent its data again 4 times; the server took the connection 2.5 s after the handshake's ACK (frame 32)"], 4: ['(ACK in frame 46)', "sent its data again 3 times; the server took the connection 1.3 s after the handshake's ACK (frame 58)"], 5: ["SYN sent 3 times over 3.0 s (at 0.00, 1.00, 3.02 s), never answered, while the same listener answered other clients' SYNs", 'most likely the server did, not a firewall']},
    ),
    # listen(1), accept() late, tcp_abort_on_overflow=1: the 3rd and 6th clients' handshake ACKs are answered by the listener's reset (no ACK flag, IP ID 0, ~45 us)
    "accept-queue-abort.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3 SS CL syn-pending; 4 SS SR synack-pending; 5-7 E E established; 8 SS CL syn-pending; 9 SS SR synack-pending; 10-12 E E established; 13 SS CL syn-pending; 14 E E established; 15-17 CL CL accept-queue-full; 18-19 SS CL syn-pending; 20 SS CL syn-unanswered r1; 21 SS CL syn-unanswered r1; 22 SS CL syn-unanswered r1; 23 E E established; 24-25 E F1 closing; 26 F1 F1 closing; 27 F2 CG closing; 28 TW TW closed; 29 E E established; 30-31 E F1 closing; 32 LA F2 closing; 33 CL TW closed; 34 SS CL syn-unanswered r2; 35 SS SR synack-pending; 36 SS CL syn-unanswered r2; 37 SS SR synack-pending; 38-40 E E established; 41 SS CL syn-unanswered r2; 42 SS SR synack-pending; 43-46 E E established; 47-49 CL CL accept-queue-full; 50 E E established; 51-52 E F1 closing; 53 LA F2 closing; 54 CL TW closed; 55 E E established; 56-57 E F1 closing; 58 LA F2 closing; 59 CL TW closed",
        convs={0: conv('closed', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADadfF')), 1: conv('closed', '', '', '1', '1', '3', '4', 'syn', zeek=('SF', 'ShADadfF')), 2: conv('accept-queue-full', 'ECONNRESET', 'Connection reset by peer', '1', '1', '8', '9', 'syn', zeek=('RSTR', 'ShArD')), 3: conv('closed', '', '', '3', '1', '13', '35', 'syn', zeek=('SF', 'ShADadfF')), 4: conv('closed', '', '', '3', '1', '18', '37', 'syn', zeek=('SF', 'ShADadfF')), 5: conv('accept-queue-full', 'ECONNRESET', 'Connection reset by peer', '3', '1', '19', '42', 'syn', zeek=('RSTR', 'ShArD'))},
        experts_final={'tcpdiag.diag.accept_queue_full': [15, 47], 'tcpdiag.event.syn_retransmission': [20, 21, 22, 34, 36, 41]},
        experts_single={'tcpdiag.event.syn_retransmission': [20, 21, 22, 34, 36, 41]},
        summary={2: ['The client completed the handshake (ACK in frame 14) and the listener on port 80 answered that ACK 48 us later with a reset from no connection (frame 15', "most likely the listener's accept queue was full and net.ipv4.tcp_abort_on_overflow = 1", 'the client reports Connection reset by peer'], 5: ['(ACK in frame 46)', 'answered that ACK 42 us later']},
    ),
    # conntrack on the router forgets the connection after 30 s; the request after 32 s idle is dropped and retransmitted (TLP, then RTO doubling)
    "idle-timeout-drop.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-8 E E established; 9 E E established r1; 10 E E established r2; 11 E E idle-timeout r3; 12 E E idle-timeout r4; 13 E E idle-timeout r5",
        convs={0: conv('idle-timeout', '', '', '1', '1', '1', '2', 'syn', zeek=('S1', 'ShADadT'))},
        experts_final={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13], 'tcpdiag.diag.idle_timeout': [13]},
        experts_single={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13]},
        summary={0: ["The connection sat idle for 32.0 s; the client's next data (frame 8) was sent again 5 times over 3.3 s (at 0.000, 0.210, 0.418, 0.834, 1.667, 3.334 s after it was first sent) and never answered", 'forgot the connection after an idle timeout shorter than 32.0 s', 'too soon to tell whether the client gave up']},
    ),
    # the same firewall rejects it with tcp-reset: TTL 64 where the server's packets have 63
    "idle-timeout-reset.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-8 E E established; 9 CL CL idle-timeout",
        convs={0: conv('idle-timeout', 'ECONNRESET', 'Connection reset by peer', '1', '1', '1', '2', 'syn', zeek=('RSTR', 'ShADadr'))},
        experts_final={'tcpdiag.diag.idle_timeout': [9]},
        experts_single={},
        summary={0: ["Reset sent by a device in the path on the server's behalf", "TTL 64 (0 hops from 64) where the server's 3 other packets had 63 (1 hop)", "The connection sat idle for 6.0 s; the client's next segment was answered 87 us later by a reset claiming to come from the server (frame 9)", 'idle timeout shorter than 6.0 s', 'the client reports Connection reset by peer']},
    ),
    # the server reads nothing for 5 s: window 0 at frame 10, four probes (seq = ack - 1, no data), window update at frame 18
    "zero-window-recovered.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-15 E E established; 16-224 E E zero-window; 225 F1 E zero-window; 226 F2 LA zero-window; 227 TW CL zero-window",
        convs={0: conv('zero-window', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADawdFf'))},
        experts_final={'tcpdiag.diag.zero_window': [10], 'tcpdiag.event.zero_window': [10], 'tcpdiag.event.zero_window_probe': [11, 13, 14, 16], 'tcpdiag.event.window_opened': [18]},
        experts_single={'tcpdiag.event.zero_window': [10], 'tcpdiag.event.zero_window_probe': [11, 13, 14, 16], 'tcpdiag.event.window_opened': [18]},
        summary={0: ['The server advertised a zero window for 5.0 s (from frame 10) while the client had data to send and probed it 4 times: the server application stopped reading', 'the window opened again and the transfer went on']},
    ),
    # the server never reads again while the capture runs: five probes
    "zero-window-stalled.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-15 E E established; 16-19 E E zero-window",
        convs={0: conv('zero-window', '', '', '1', '1', '1', '2', 'syn', zeek=('S1', 'ShADaw'))},
        experts_final={'tcpdiag.diag.zero_window': [10], 'tcpdiag.event.zero_window': [10], 'tcpdiag.event.zero_window_probe': [11, 13, 14, 16, 18]},
        experts_single={'tcpdiag.event.zero_window': [10], 'tcpdiag.event.zero_window_probe': [11, 13, 14, 16, 18]},
        summary={0: ['The server advertised a zero window for 6.7 s (from frame 10)', 'probed it 5 times', 'the window was still closed when the capture ended']},
    ),
    # the path cut after one exchange; the second request retransmitted until TCP_USER_TIMEOUT, then silence
    "dead-peer-user-timeout.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-8 E E established; 9 E E established r1; 10 E E established r2; 11 E E retransmission-timeout r3; 12 E E retransmission-timeout r4; 13 E E retransmission-timeout r5",
        convs={0: conv('retransmission-timeout', '', '', '1', '1', '1', '2', 'syn', zeek=('S1', 'ShADadT'))},
        experts_final={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13], 'tcpdiag.diag.retransmission_timeout': [13]},
        experts_single={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13]},
        summary={0: ["The client's data (frame 8) was sent again 5 times over 3.4 s (at 0.000, 0.212, 0.420, 0.860, 1.696, 3.356 s after it was first sent) and never acknowledged", 'nothing came back from the server after it (its last packet: frame 6)', 'too soon to tell whether the client gave up']},
    ),
    # the same with tcp_retries2=3: the same packets (the give-up is not in the capture)
    "dead-peer-retries2.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-8 E E established; 9 E E established r1; 10 E E established r2; 11 E E retransmission-timeout r3; 12 E E retransmission-timeout r4; 13 E E retransmission-timeout r5",
        convs={0: conv('retransmission-timeout', '', '', '1', '1', '1', '2', 'syn', zeek=('S1', 'ShADadT'))},
        experts_final={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13], 'tcpdiag.diag.retransmission_timeout': [13]},
        experts_single={'tcpdiag.event.data_retransmission': [9, 10, 11, 12, 13]},
        summary={0: ['sent again 5 times over 3.3 s (at 0.000, 0.210, 0.414, 0.850, 1.682, 3.346 s', 'the server vanished']},
    ),
    # the path cut after the request; the server's response retransmitted (captured on the server side)
    "dead-peer-server-data.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-6 E E established; 7 E E established r1; 8 E E established r2; 9 E E retransmission-timeout r3; 10 E E retransmission-timeout r4; 11 E E retransmission-timeout r5",
        convs={0: conv('retransmission-timeout', '', '', '1', '1', '1', '2', 'syn', zeek=('S1', 'ShADadt'))},
        experts_final={'tcpdiag.event.data_retransmission': [7, 8, 9, 10, 11], 'tcpdiag.diag.retransmission_timeout': [11]},
        experts_single={'tcpdiag.event.data_retransmission': [7, 8, 9, 10, 11]},
        summary={0: ["The server's data (frame 6) was sent again 5 times over 3.3 s", 'nothing came back from the client after it (its last packet: frame 4)']},
    ),
    # keepalive 1/1/3 after the path was cut: three unanswered probes, then the client kernel's RST (its own IP ID sequence)
    "keepalive-dead-peer.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-10 E E established; 11 CL CL keepalive-timeout",
        convs={0: conv('keepalive-timeout', 'ETIMEDOUT', 'Connection timed out', '1', '1', '1', '2', 'syn', zeek=('RSTO', 'ShADadR'))},
        experts_final={'tcpdiag.event.keepalive': [8, 9, 10], 'tcpdiag.diag.keepalive_timeout': [11]},
        experts_single={'tcpdiag.event.keepalive': [8, 9, 10], 'tcpdiag.diag.keepalive_timeout': [11]},
        summary={0: ['the client sent 3 keepalive probes from frame 8, none answered, and its kernel reset the connection (frame 11) 3.1 s after the first', 'net.ipv4.tcp_keepalive_probes', 'the client reports Connection timed out']},
    ),
    # control: three probes, each answered, then an ordinary close
    "keepalive-answered.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-13 E E established; 14 F1 E closing; 15 F2 LA closing; 16 TW CL closed",
        convs={0: conv('closed', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADadFf'))},
        experts_final={'tcpdiag.event.keepalive': [8, 10, 12]},
        experts_single={'tcpdiag.event.keepalive': [8, 10, 12]},
        summary={0: ['closed gracefully (three-way close), the client closed first']},
    ),
    # MTU 1280 on the router's client side, its ICMP fragmentation needed dropped: five 1448-byte segments lost, the 760-byte tail SACKed
    "pmtu-blackhole.pcapng": dict(
        frames="9 SS CL syn-pending; 10 SS SR synack-pending; 11-20 E E established; 21 E E established r1; 22-25 E E established; 30 E E established r2; 35 E E pmtu-black-hole r3; 44 E E pmtu-black-hole r4",
        convs={0: conv('pmtu-black-hole', '', '', '1', '1', '9', '10', 'syn', zeek=('S1', 'ShADadt'))},
        experts_final={'tcpdiag.event.data_retransmission': [21, 30, 35, 44], 'tcpdiag.diag.pmtu_black_hole': [44]},
        experts_single={'tcpdiag.event.data_retransmission': [21, 30, 35, 44]},
        summary={0: ["The server's segments of 1448 bytes were sent again 4 times over 1.5 s (at 0.000, 0.004, 0.216, 0.628, 1.465 s after it was first sent) and never acknowledged", 'while the client acknowledged a 760-byte segment of the same flight selectively (SACK, frame 20)', 'likely a path-MTU black hole', '(none in the capture: filtered on the way)']},
    ),
    # the same over IPv6 (1428-byte segments, 860-byte tail)
    "pmtu-blackhole-v6.pcapng": dict(
        frames="7 SS CL syn-pending; 8 SS SR synack-pending; 9-18 E E established; 19 E E established r1; 20-23 E E established; 26 E E established r2; 31 E E pmtu-black-hole r3; 40 E E pmtu-black-hole r4",
        convs={0: conv('pmtu-black-hole', '', '', '1', '1', '7', '8', 'syn', zeek=('S1', 'ShADadt'))},
        experts_final={'tcpdiag.event.data_retransmission': [19, 26, 31, 40], 'tcpdiag.diag.pmtu_black_hole': [40]},
        experts_single={'tcpdiag.event.data_retransmission': [19, 26, 31, 40]},
        summary={0: ["The server's segments of 1428 bytes were sent again 4 times", 'acknowledged a 860-byte segment of the same flight selectively (SACK, frame 18)', 'likely a path-MTU black hole']},
    ),
    # the ICMP arrives: the server resends at 1228 bytes and the transfer completes
    "pmtu-icmp.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-17 E E established; 18 E E established r1; 19-29 E E established; 30 F1 E closing; 31 F2 LA closing; 32 TW CL closed",
        convs={0: conv('closed', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADadtFf'))},
        experts_final={'tcpdiag.event.icmp_too_big': [7, 9, 11, 13, 15], 'tcpdiag.event.data_retransmission': [18]},
        experts_single={'tcpdiag.event.icmp_too_big': [7, 9, 11, 13, 15], 'tcpdiag.event.data_retransmission': [18]},
        summary={0: ['18 bytes from the client, 8000 from the server; closed gracefully', "an ICMP fragmentation needed about the server's segments (frame 7) named a path MTU of 1280: the server lowered its segments from 1448 to 1228 bytes"]},
    ),
    # ICMPv6 packet too big arrives: 1208-byte segments
    "pmtu-icmp-v6.pcapng": dict(
        frames="1 SS CL syn-pending; 2 SS SR synack-pending; 3-17 E E established; 18 E E established r1; 19-29 E E established; 30 F1 E closing; 31 F2 LA closing; 32 TW CL closed",
        convs={0: conv('closed', '', '', '1', '1', '1', '2', 'syn', zeek=('SF', 'ShADadtFf'))},
        experts_final={'tcpdiag.event.icmp_too_big': [7, 9, 11, 13, 15], 'tcpdiag.event.data_retransmission': [18]},
        experts_single={'tcpdiag.event.icmp_too_big': [7, 9, 11, 13, 15], 'tcpdiag.event.data_retransmission': [18]},
        summary={0: ['8000 from the server', "an ICMP packet too big about the server's segments (frame 7) named a path MTU of 1280: the server lowered its segments from 1428 to 1208 bytes"]},
    ),
    # One direction only (a capture filter on the source address): the
    # other side's part is proven by what this side acknowledges.
    "one-way-client.pcapng": dict(
        frames="1 SS CL syn-pending; 2-4 E E one-way; 5-6 F1 E one-way; 7 SS CL syn-pending; "
               "8-10 E E one-way; 11 F1 E one-way",
        convs={0: conv("one-way", "", "", "1", "", "1", "", "syn", zeek=("SH", "SADF")),
               1: conv("one-way", "", "", "1", "", "7", "", "syn", zeek=("SH", "SADF"))},
        experts_final={"tcpdiag.diag.one_way": [2, 8]},
        experts_single={},
        summary={0: ["Only the client's packets are in this capture (6), none of the server's",
                     "its segment in frame 2 acknowledges a SYN-ACK from the server",
                     "it acknowledged 81 bytes of the server's sequence space after its first",
                     "What the client sent is seen, up to its FIN; what it received is not"],
                 1: ["Only the client's packets are in this capture (5)",
                     "its segment in frame 8 acknowledges a SYN-ACK"]},
    ),
    "one-way-server.pcapng": dict(
        frames="1 SS SR synack-pending; 2-3 E E one-way; 4 E F1 one-way",
        convs={0: conv("one-way", "", "", "", "1", "", "", "syn-ack", zeek=("SHR", "^hadf"))},
        experts_final={"tcpdiag.diag.one_way": [2]},
        experts_single={},
        summary={0: ["Only the server's packets are in this capture (4), none of the client's",
                     "its SYN-ACK answers a SYN from the client, and its segment in frame 2",
                     "it acknowledged 19 bytes of the client's sequence space",
                     "What the server sent is seen, up to its FIN; what it received is not"]},
    ),
    "one-way-midstream.pcapng": dict(
        frames="1 E E midstream; 2-18 E E one-way; 19-20 F1 E one-way",
        convs={0: conv("one-way", "", "", "", "", "", "", "port", zeek=("SH", "DAF"))},
        experts_final={"tcpdiag.diag.one_way": [2]},
        experts_single={"tcpdiag.diag.midstream": [1]},
        summary={0: ["Only the client's packets are in this capture (20)",
                     "the capture also began in the middle of the conversation (frame 1 is not a SYN)",
                     "it acknowledged 145 bytes of the server's sequence space"]},
    ),
}

_expert_fields = []


def expert_fields(tshark):
    """Every tcpdiag expert field the plugin registers."""
    if not _expert_fields:
        out = tshark.run(["-G", "fields"]).stdout
        _expert_fields.extend(sorted(
            l.split("\t")[2] for l in out.splitlines()
            if l.startswith("F\t") and l.split("\t")[2].startswith(("tcpdiag.diag.", "tcpdiag.event."))))
    return _expert_fields


def test_every_capture_has_a_case():
    import os
    from conftest import CAPTURES
    from test_rst_forensics import RSTS
    from test_findings import FINDINGS
    files = {f for f in os.listdir(CAPTURES) if f.endswith(".pcapng")}
    # The reset-forensics and capture-wide captures have their cases in
    # test_rst_forensics and test_findings.
    assert files == set(CASES) | set(RSTS) | set(FINDINGS)
    assert not set(CASES) & set(RSTS)


@pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])
@pytest.mark.parametrize("capture", sorted(CASES))
def test_per_frame_states_and_outcomes(tshark, capture, two_pass):
    case = CASES[capture]
    want = parse_frames(case["frames"])
    rows = tshark.fields(capture, ["frame.number", "tcp.stream", "tcpdiag.client_state",
                                   "tcpdiag.server_state", "tcpdiag.outcome",
                                   "tcpdiag.outcome_final", "tcpdiag.retransmission",
                                   "tcpdiag.stream"] + list(CONV_FIELDS[1:]),
                         two_pass=two_pass, dfilter="tcpdiag")
    got = {int(r["frame.number"]): r for r in rows}
    assert sorted(got) == sorted(want)
    for f, (cs, ss, single_outcome, retrans) in want.items():
        r = got[f]
        assert (r["tcpdiag.client_state"], r["tcpdiag.server_state"]) == (cs, ss), f"frame {f}"
        assert r["tcpdiag.retransmission"] == retrans, f"frame {f}"
        assert r["tcpdiag.outcome_final"] == ("1" if two_pass else "0"), f"frame {f}"
        stream = int(r["tcpdiag.stream"])
        if two_pass:
            # Every packet of the conversation shows the final outcome.
            for k, v in case["convs"][stream].items():
                assert r[k] == v, f"frame {f}: {k}"
        else:
            assert r["tcpdiag.outcome"] == single_outcome, f"frame {f}"


@pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])
@pytest.mark.parametrize("capture", sorted(CASES))
def test_expert_items(tshark, capture, two_pass):
    case = CASES[capture]
    want = case["experts_final" if two_pass else "experts_single"]
    fields = expert_fields(tshark)
    assert "tcpdiag.diag.refused" in fields and "tcpdiag.event.icmp_error" in fields
    rows = tshark.fields(capture, ["frame.number"] + fields, two_pass=two_pass)
    got = {}
    for r in rows:
        for f in fields:
            if r[f]:
                got.setdefault(f, []).append(int(r["frame.number"]))
    assert got == want


@pytest.mark.parametrize("capture", sorted(CASES))
def test_summaries(tshark, capture):
    case = CASES[capture]
    rows = tshark.fields(capture, ["tcpdiag.stream", "tcpdiag.summary"], two_pass=True,
                         dfilter="tcpdiag")
    by_stream = {}
    for r in rows:
        by_stream.setdefault(int(r["tcpdiag.stream"]), set()).add(r["tcpdiag.summary"])
    assert set(by_stream) == set(case["convs"])
    for stream, parts in case["summary"].items():
        assert len(by_stream[stream]) == 1, "one summary per conversation in -2"
        text = next(iter(by_stream[stream]))
        for p in parts:
            assert p in text, f"stream {stream}: {p!r} not in {text!r}"


@pytest.mark.parametrize("capture", sorted(c for c in CASES if "icmp_about" in CASES[c]))
def test_icmp_error_points_back_to_its_syn(tshark, capture):
    rows = tshark.fields(capture, ["frame.number", "tcpdiag.icmp_about"], two_pass=True,
                         dfilter="icmp || icmpv6")
    got = {int(r["frame.number"]): r["tcpdiag.icmp_about"] for r in rows}
    assert got == CASES[capture]["icmp_about"]


def test_expert_severity_and_group_in_tshark_expert_stats(tshark):
    out = tshark.run(["-r", tshark.path("refused-no-listener.pcapng"), "-q", "-z", "expert"]).stdout
    warns = out.split("Warns")[1].split("\n\n")[0]
    assert any("Sequence" in l and "tcpdiag" in l and "Connection refused" in l
               for l in warns.splitlines()), out
    out = tshark.run(["-r", tshark.path("midstream.pcapng"), "-q", "-z", "expert"]).stdout
    notes = out.split("Notes")[1].split("\n\n")[0]
    assert any("Assumption" in l and "tcpdiag" in l for l in notes.splitlines()), out


def test_info_column_note(tshark):
    out = tshark.run(["-r", tshark.path("refused-no-listener.pcapng")]).stdout.splitlines()
    assert "[tcpdiag: refused]" in out[1]
    assert "tcpdiag" not in out[0]
    out = tshark.run(["-2", "-r", tshark.path("syn-dropped-server.pcapng"), "-Y", "tcp"]).stdout
    lines = out.splitlines()
    assert "[tcpdiag: syn-retransmission 2]" in lines[2] and "[tcpdiag: syn-unanswered]" in lines[2]


def test_display_filter_queries(tshark):
    """The batch queries the README shows."""
    rows = tshark.fields("icmp-unreachable-router.pcapng", ["frame.number"], two_pass=True,
                         dfilter='tcpdiag.client_errno == "EHOSTUNREACH" && tcp.flags.syn == 1 && !icmp')
    assert [r["frame.number"] for r in rows] == ["3", "5"]
    rows = tshark.fields("syn-dropped-server.pcapng", ["frame.number"], two_pass=True,
                         dfilter='tcpdiag.outcome == "syn-unanswered" && tcpdiag.syn_count >= 3')
    assert [r["frame.number"] for r in rows] == ["5", "16", "37"]
    rows = tshark.fields("synack-unanswered.pcapng", ["frame.number"], two_pass=True,
                         dfilter='tcpdiag.server_state == "SYN_RECV" && tcp.flags.ack == 1 && tcp.flags.syn == 1')
    assert [r["frame.number"] for r in rows] == ["6", "17", "19", "40", "42"]
    rows = tshark.fields("normal-close.pcapng", ["frame.number"], two_pass=True,
                         dfilter='tcpdiag.handshake_rtt > 0.00004 && tcpdiag.handshake_rtt < 0.00005')
    assert len(rows) == 10


def test_timings(tshark):
    rows = tshark.fields("syn-dropped-server.pcapng",
                         ["tcpdiag.syn_schedule", "tcpdiag.unanswered_for",
                          "tcpdiag.retransmission_interval"],
                         two_pass=True, dfilter="frame.number == 37")
    r = rows[0]
    assert r["tcpdiag.syn_schedule"] == "0.00, 1.00, 3.02"
    assert 5.5 < float(r["tcpdiag.unanswered_for"]) < 5.7
    assert 2.0 < float(r["tcpdiag.retransmission_interval"]) < 2.1
    rows = tshark.fields("normal-close.pcapng", ["tcpdiag.synack_delay", "tcpdiag.handshake_rtt"],
                         two_pass=True, dfilter="frame.number == 1")
    assert abs(float(rows[0]["tcpdiag.synack_delay"]) - 0.000028652) < 2e-9
    assert abs(float(rows[0]["tcpdiag.handshake_rtt"]) - 0.000043995) < 2e-9
