# SPDX-License-Identifier: GPL-2.0-or-later
"""Make every sample capture again with the real kernel, in fresh network
namespaces, and check that tcpdiag says the same of each conversation as
of the committed capture.  Packet counts and times differ from run to run;
outcomes and client errors must not."""
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import CAPTURES
from test_captures import CASES
from test_rst_forensics import OUTCOMES, RSTS, outcomes as rst_outcomes, rst_rows, skip_if_split
from test_findings import FINDINGS, sum_findings


def netns_unavailable():
    if os.environ.get("TCPDIAG_SKIP_NETNS"):
        return "TCPDIAG_SKIP_NETNS is set"
    if os.geteuid() != 0:
        return "making captures needs root (network namespaces, iptables, dumpcap)"
    if not shutil.which("ip"):
        return "iproute2 (ip netns) is not installed"
    name = f"tcpdiag-probe-{os.getpid()}"
    p = subprocess.run(["ip", "netns", "add", name], capture_output=True, text=True)
    if p.returncode != 0:
        return f"cannot create a network namespace here: {p.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", name], capture_output=True)
    return None


@pytest.fixture(scope="module")
def fresh_captures():
    why = netns_unavailable()
    if why:
        pytest.skip(why)
    out = tempfile.mkdtemp(prefix="tcpdiag-captures-")
    p = subprocess.run([os.path.join(CAPTURES, "make-captures.sh"), out],
                       capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    yield out
    shutil.rmtree(out, ignore_errors=True)


def outcomes(tshark, path):
    rows = tshark.fields(path, ["tcpdiag.stream", "tcpdiag.outcome", "tcpdiag.client_errno",
                                "tcpdiag.role_basis"], two_pass=True, dfilter="tcpdiag")
    return {int(r["tcpdiag.stream"]): (r["tcpdiag.outcome"], r["tcpdiag.client_errno"],
                                       r["tcpdiag.role_basis"]) for r in rows}


@pytest.mark.parametrize("capture", sorted(c for c in CASES if not c.startswith("crafted-")))
def test_fresh_capture_gives_the_same_outcomes(tshark, fresh_captures, capture):
    fresh = os.path.join(fresh_captures, capture)
    assert os.path.exists(fresh), f"{capture} was not made again"
    want = {s: (c["tcpdiag.outcome"], c["tcpdiag.client_errno"], c["tcpdiag.role_basis"])
            for s, c in CASES[capture]["convs"].items()}
    assert outcomes(tshark, fresh) == want
    assert outcomes(tshark, capture) == want


@pytest.mark.parametrize("capture", sorted(RSTS))
def test_fresh_capture_gives_the_same_reset_assessments(tshark, fresh_captures, capture):
    """The injector and the kernel make the same resets again: same claimed
    senders, assessments and findings (frame numbers may differ)."""
    skip_if_split(capture)
    fresh = os.path.join(fresh_captures, capture)
    assert os.path.exists(fresh), f"{capture} was not made again"
    want = sorted(w[:3] for w in RSTS[capture].values())
    got = sorted((r["tcpdiag.rst.claimed_sender"], r["tcpdiag.rst.assessment"],
                  r["tcpdiag.rst.finding"]) for r in rst_rows(tshark, fresh, True).values())
    assert got == want


@pytest.mark.parametrize("capture", sorted(OUTCOMES))
def test_fresh_reset_capture_gives_the_same_outcomes(tshark, fresh_captures, capture):
    skip_if_split(capture)
    fresh = os.path.join(fresh_captures, capture)
    want = {s: o[:2] for s, o in OUTCOMES[capture].items()}
    assert {s: o[:2] for s, o in rst_outcomes(tshark, fresh).items()} == want


@pytest.mark.parametrize("capture", sorted(FINDINGS))
def test_fresh_capture_gives_the_same_findings(tshark, fresh_captures, capture):
    fresh = os.path.join(fresh_captures, capture)
    assert os.path.exists(fresh), f"{capture} was not made again"
    assert sorted(t for t, _ in sum_findings(tshark, fresh)) == sorted(FINDINGS[capture])
