# SPDX-License-Identifier: GPL-2.0-or-later
"""tshark without -2 keeps nothing per frame (it never visits a frame
again); with -2, however written, the second pass shows each frame's
states as the first pass recorded them.  tcpdiag tells the two apart from
tshark's command line."""
import pytest

MIXED = "rst-after-fin.pcapng"


@pytest.mark.parametrize("spelling", [["-n2"], ["-2n"], ["--disable-protocol", "http", "-2"], ["-c", "1000", "-2"]])
def test_two_pass_however_spelled_keeps_per_frame_states(tshark, spelling):
    """tshark without -2 keeps nothing per frame (it never visits a frame
    again); however -2 is written, the second pass shows each frame's
    states as the first pass recorded them."""
    fields = ["frame.number", "tcpdiag.client_state", "tcpdiag.server_state", "tcpdiag.retransmission"]

    def states(extra):
        args = ["-r", tshark.path(MIXED), "-T", "fields"] + sum((["-e", f] for f in fields), [])
        return tshark.run(args + extra).stdout.splitlines()
    want = states(["-2"])
    assert len({l.split("\t")[1] for l in want}) > 2, want   # states that change
    assert states(spelling) == want
