# SPDX-License-Identifier: GPL-2.0-or-later
"""The conversation tables: tshark -q -z tcpdiag,conv[,FILTER] and
-z tcpdiag,sum[,FILTER], single pass and -2."""
import os
import re

import pytest

from conftest import CAPTURES

CONV_COLS = ["Stream", "Client", "Server", "Outcome", "Zeek", "History", "SYNs", "Start",
             "Duration", "Bytes C>S", "Bytes S>C", "Client end", "Server end", "Errno", "Reset",
             "Summary"]


def ztable(tshark, capture, arg, two_pass=False):
    args = ["-q", "-r", tshark.path(capture), "-z", arg]
    if two_pass:
        args.append("-2")
    return tshark.run(args).stdout


def conv_rows(text):
    """Rows of the conv table as dicts (columns are separated by two or
    more spaces; the summary, last, may contain single spaces)."""
    lines = text.splitlines()
    head = next(i for i, l in enumerate(lines) if l.lstrip().startswith("Stream  "))
    assert re.split(r"\s{2,}", lines[head].strip()) == CONV_COLS
    rows = []
    for line in lines[head + 1:]:
        if line.startswith("====="):
            break
        cols = re.split(r"\s{2,}", line.strip(), maxsplit=len(CONV_COLS) - 1)
        rows.append(dict(zip(CONV_COLS, cols)))
    return rows


def test_conv_table_rows(tshark):
    out = ztable(tshark, "icmp-unreachable-router.pcapng", "tcpdiag,conv")
    assert "TCP diagnosis: conversations\nFilter: <none>\nConversations: 4\n" in out
    rows = conv_rows(out)
    assert [(r["Stream"], r["Server"], r["Outcome"], r["Zeek"], r["History"], r["SYNs"],
             r["Client end"], r["Server end"]) for r in rows] == [
        ("0", "198.51.100.2:81", "icmp-unreachable", "S0", "S", "1", "CLOSED", "CLOSED"),
        ("1", "198.51.100.2:82", "icmp-unreachable", "S0", "S", "1", "CLOSED", "CLOSED"),
        ("2", "198.51.100.2:83", "icmp-unreachable", "S0", "S", "1", "CLOSED", "CLOSED"),
        ("3", "198.51.100.2:84", "icmp-unreachable", "S0", "S", "1", "CLOSED", "CLOSED"),
    ]
    assert all(r["Client"].startswith("192.0.2.2:") for r in rows)
    assert rows[3]["Summary"].endswith("the client reports Connection refused")
    assert [(r["Errno"], r["Reset"]) for r in rows] == [
        ("ENETUNREACH", "-"), ("EHOSTUNREACH", "-"), ("EHOSTUNREACH", "-"), ("ECONNREFUSED", "-")]


def test_conv_table_errno_and_reset_columns(tshark):
    """The client's errno and the worst reset assessment, as the GUI's table
    shows them (one list of columns for both)."""
    for two_pass in (False, True):
        rows = conv_rows(ztable(tshark, "crafted-impossible.pcapng", "tcpdiag,conv", two_pass))
        assert [(r["Outcome"], r["Errno"], r["Reset"]) for r in rows] == [
            ("closing", "-", "-"), ("reset-after-handshake", "ECONNRESET", "suspicious")]


def test_single_pass_table_shows_final_outcomes(tshark):
    """In one pass the SYN's own packet shows syn-pending, but the table,
    drawn at the end of the capture, shows the final outcome."""
    first = tshark.fields("syn-dropped-server.pcapng", ["tcpdiag.outcome"], dfilter="tcp")[0]
    assert first["tcpdiag.outcome"] == "syn-pending"
    for two_pass in (False, True):
        rows = conv_rows(ztable(tshark, "syn-dropped-server.pcapng", "tcpdiag,conv", two_pass))
        assert [(r["Outcome"], r["SYNs"], r["Client end"], r["Server end"]) for r in rows] == \
            [("syn-unanswered", "3", "SYN_SENT", "CLOSED")]
        assert rows[0]["Summary"].startswith("SYN sent 3 times over 3.0 s")


def test_conv_table_filter(tshark):
    rows = conv_rows(ztable(tshark, "icmp-unreachable-router.pcapng",
                            "tcpdiag,conv,tcp.dstport == 83 || tcp.dstport == 84"))
    assert [r["Stream"] for r in rows] == ["2", "3"]
    out = ztable(tshark, "icmp-unreachable-router.pcapng", "tcpdiag,conv,tcp.dstport == 83")
    assert "Filter: tcp.dstport == 83\nConversations: 1\n" in out


def test_bad_filter_is_an_error(tshark):
    p = tshark.run(["-q", "-r", tshark.path("syn-dropped-server.pcapng"), "-z",
                    "tcpdiag,conv,tcp.port =="], check=False)
    assert p.returncode != 0
    assert "invalid -z tcpdiag,conv argument" in p.stderr


def test_sum_table(tshark):
    out = ztable(tshark, "icmp-unreachable-router.pcapng", "tcpdiag,sum")
    assert "TCP diagnosis: summary\nFilter: <none>\nConversations: 4, with a problem: 4\n" in out
    body = out.split("Problems by server\n")[1].split("\n\n")[0]
    lines = [re.split(r"\s+", l.strip()) for l in body.splitlines()[1:]]
    assert lines == [["198.51.100.2", "81", "icmp-unreachable", "1"],
                     ["198.51.100.2", "82", "icmp-unreachable", "1"],
                     ["198.51.100.2", "83", "icmp-unreachable", "1"],
                     ["198.51.100.2", "84", "icmp-unreachable", "1"]]
    assert re.search(r"^icmp-unreachable\s+4$", out, re.M)


def test_sum_table_sorts_problems_by_count(tshark):
    out = ztable(tshark, "port-reuse-time-wait.pcapng", "tcpdiag,sum")
    assert re.search(r"^closed\s+2$", out, re.M)
    assert "with a problem: 0" in out
    out = ztable(tshark, "synack-unanswered.pcapng", "tcpdiag,sum,tcp")
    assert re.search(r"^198\.51\.100\.2\s+80\s+synack-unanswered\s+1$", out, re.M)


def test_both_tables_in_one_run(tshark):
    out = ztable(tshark, "normal-close.pcapng", "tcpdiag,conv")
    p = tshark.run(["-q", "-r", tshark.path("normal-close.pcapng"), "-z", "tcpdiag,conv",
                    "-z", "tcpdiag,sum"])
    assert "TCP diagnosis: conversations" in p.stdout and "TCP diagnosis: summary" in p.stdout
    assert conv_rows(p.stdout) == conv_rows(out)


@pytest.mark.parametrize("capture", sorted(f for f in os.listdir(CAPTURES) if f.endswith(".pcapng")))
def test_table_agrees_with_the_fields(tshark, capture):
    """Every sample capture: one row per conversation, with the outcome and
    end states the packets carry with -2, in a single pass too."""
    want = {}
    for r in tshark.fields(capture, ["tcp.stream", "tcpdiag.outcome", "tcpdiag.client_state",
                                     "tcpdiag.server_state", "frame.number"],
                           two_pass=True, dfilter="tcp && tcpdiag"):
        want[r["tcp.stream"]] = (r["tcpdiag.outcome"], r["tcpdiag.client_state"],
                                 r["tcpdiag.server_state"])
    rows = conv_rows(ztable(tshark, capture, "tcpdiag,conv"))
    assert {r["Stream"]: (r["Outcome"], r["Client end"], r["Server end"]) for r in rows} == want
