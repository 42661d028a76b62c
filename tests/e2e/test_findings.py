# SPDX-License-Identifier: GPL-2.0-or-later
"""Capture-wide findings: SYN flood, scan, CLOSE_WAIT leak, TIME_WAIT churn,
shutdown burst, ping but no TCP.  The expected numbers follow from how each
capture was made (sample-captures/README.md)."""
import os
import re

import pytest

from conftest import CAPTURES

# capture: {token: (key, conversations involved, words the text must contain)}
FINDINGS = {
    # 16 spoofed sources x 200 SYNs and the real client's attempt; listen(8)
    # without SYN cookies: 9 half-open entries, SYN-ACKs retransmitted
    "syn-flood-nocookies.pcapng": {"syn-flood": ("198.51.100.2:80", 3201, [
        "SYN flood toward 198.51.100.2:80: 3201 connection attempts from 17 source addresses",
        "9 answered with SYN-ACK, 3192 never answered",
        "the listen queue filled up (no SYN cookies)"])},
    # 16 x 100 SYNs with SYN cookies: all answered, cookies never retransmitted;
    # the real client got in and is not part of it
    "syn-flood-cookies.pcapng": {"syn-flood": ("198.51.100.2:80", 1600, [
        "1600 connection attempts from 16 source addresses",
        "1600 answered with SYN-ACK, 0 never answered",
        "the server answered with SYN cookies"])},
    # nmap -sS -p 1-300
    "syn-scan.pcapng": {"scan": ("192.0.2.2", None, [
        "Scan from 192.0.2.2: SYNs to 300 targets (address and port)"])},
    # 20 clients closed, the server never did
    "close-wait-leak.pcapng": {"close-wait-leak": ("198.51.100.2:80", 20, [
        "198.51.100.2:80 ends the capture with 20 connections in CLOSE_WAIT"])},
    # 30 connections closed by the client, every fifth on a fixed port
    "time-wait-churn.pcapng": {"time-wait-churn": ("192.0.2.2", 30, [
        "Client 192.0.2.2 ends the capture holding 30 connections in TIME_WAIT",
        "5 of its new connections reused a port it still held in TIME_WAIT"])},
    # 10 idle clients; the server killed, its FINs dropped / its sockets aborted
    "server-shutdown-fin-wait1.pcapng": {"shutdown-burst": ("198.51.100.2", 10, [
        "Server 198.51.100.2 reset or closed without an acknowledgement 10 connections",
        "0 of them reset, 10 left in FIN_WAIT1"])},
    "server-shutdown-resets.pcapng": {"shutdown-burst": ("198.51.100.2", 10, [
        "10 of them reset, 0 left in FIN_WAIT1"])},
    # background pings answered while the SYNs to port 80 were dropped (seed 000)
    "syn-dropped-server.pcapng": {"ping-no-tcp": ("198.51.100.2", 1, [
        "198.51.100.2 answered", "ICMP echo requests, but 1 connection attempts to "
        "198.51.100.2:80 were never answered"])},
    "syn-dropped-router-v6.pcapng": {"ping-no-tcp": ("2001:db8:2::2", 1, [
        "but 1 connection attempts to [2001:db8:2::2]:80 were never answered"])},
    # listen(1) and late accept(): the 3rd and 5th clients' ACKs not taken;
    # the 4th client's SYNs (later answered) and the 6th's (never) dropped
    # while the listener answered others
    "accept-queue-full.pcapng": {"accept-queue-full": ("198.51.100.2:80", 4, [
        "Listener 198.51.100.2:80: accept queue full: 2 connections whose handshake ACK it did "
        "not take", "and 2 connection attempts whose SYNs went unanswered or had to be sent again "
        "while it answered other clients'"])},
    # the same with tcp_abort_on_overflow=1: the listener resets two ACKs
    "accept-queue-abort.pcapng": {"accept-queue-full": ("198.51.100.2:80", 4, [
        "2 connections whose handshake ACK it did not take (its SYN-ACK sent again, or the "
        "listener's reset), and 2 connection attempts"])},
    # a capture filter keeping the client's packets only, two connections
    "one-way-client.pcapng": {"one-way-capture": ("capture", 2, [
        "Every one of the 2 TCP conversations in this capture shows one direction only (2 only "
        "the client's packets, 0 only the server's)", "the capture point sees one direction"])},
}


def sum_findings(tshark, capture, two_pass=False, extra=()):
    args = ["-q", "-r", tshark.path(capture), "-z", "tcpdiag,sum"] + list(extra)
    if two_pass:
        args.append("-2")
    out = tshark.run(args).stdout
    m = re.search(r"^Capture-wide findings: (\d+)\n(.*?)^=====", out, re.M | re.S)
    assert m, out[-2000:]
    rows = [l.split(None, 1) for l in m.group(2).splitlines() if l.strip()]
    assert len(rows) == int(m.group(1))
    return rows


@pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])
@pytest.mark.parametrize("capture", sorted(FINDINGS))
def test_findings_in_the_sum_table(tshark, capture, two_pass):
    rows = sum_findings(tshark, capture, two_pass)
    assert sorted(t for t, _ in rows) == sorted(FINDINGS[capture])
    for token, text in rows:
        for words in FINDINGS[capture][token][2]:
            assert words in text, (token, text)


@pytest.mark.parametrize("capture", sorted(FINDINGS))
def test_findings_on_the_packets(tshark, capture):
    """With -2 every packet of an involved conversation carries the finding;
    the first packet of each carries the expert item."""
    for token, (key, count, words) in FINDINGS[capture].items():
        expert = "tcpdiag.finding." + token.replace("-", "_")
        rows = tshark.fields(capture, ["tcp.stream", "frame.number", "tcpdiag.finding",
                                       "tcpdiag.finding_text", expert],
                             two_pass=True, dfilter=f'tcpdiag.finding == "{token}"')
        streams = {r["tcp.stream"] for r in rows if r["tcp.stream"]}
        if count is not None:
            assert len(streams) == count
        assert all(words[0] in r["tcpdiag.finding_text"] for r in rows)
        flagged = [r for r in rows if r[expert] != ""]
        assert len({r["tcp.stream"] for r in flagged}) == len(streams)
        assert len(flagged) == len(streams)   # one expert item per conversation


def test_no_findings_in_the_other_captures(tshark):
    others = sorted(f for f in os.listdir(CAPTURES)
                    if f.endswith(".pcapng") and f not in FINDINGS)
    assert len(others) >= 30
    for capture in others:
        assert sum_findings(tshark, capture) == [], capture


def test_thresholds_are_preferences(tshark):
    assert sum_findings(tshark, "close-wait-leak.pcapng", extra=["-o", "tcpdiag.close_wait_min:21"]) == []
    assert [t for t, _ in sum_findings(tshark, "close-wait-leak.pcapng",
                                       extra=["-o", "tcpdiag.close_wait_min:20"])] == ["close-wait-leak"]
    assert sum_findings(tshark, "syn-flood-cookies.pcapng", extra=["-o", "tcpdiag.flood_sources:17"]) == []
    assert sum_findings(tshark, "syn-scan.pcapng", extra=["-o", "tcpdiag.scan_min:301"]) == []
    assert sum_findings(tshark, "server-shutdown-resets.pcapng",
                        extra=["-o", "tcpdiag.burst_min:11"]) == []
    out = tshark.run(["-G", "defaultprefs"]).stdout
    for pref in ("flood_min: 100", "flood_sources: 10", "flood_window_s: 10", "scan_min: 20",
                 "scan_window_s: 60", "scan_failed_pct: 80", "close_wait_min: 10",
                 "time_wait_min: 20", "time_wait_reuse_min: 3", "burst_min: 10",
                 "burst_window_ms: 100"):
        assert f"#tcpdiag.{pref}\n" in out, pref


def test_flood_conversation_table(tshark):
    out = tshark.run(["-q", "-r", tshark.path("syn-flood-nocookies.pcapng"), "-z",
                      "tcpdiag,sum"]).stdout
    assert "Conversations: 3201," in out
    assert re.search(r"^198\.51\.100\.2\s+80\s+syn-unanswered\s+\d+$", out, re.M)
