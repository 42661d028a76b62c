# SPDX-License-Identifier: GPL-2.0-or-later
"""A single pass, on the last frame of each conversation, says what -2
says, except what depends on the end of the capture.

Final-only (README, "Single pass and -2"): tcpdiag.outcome_final (0 and
1 by definition), the capture-wide findings (tcpdiag.finding,
tcpdiag.finding_text: a pattern is known once every conversation has
ended) and the summary's words (a single pass says "so far", a later pass
"up to the end of the capture", and names the findings).  Judged at the
end of the capture, which a single pass has not reached at a
conversation's last frame unless that is the capture's last frame:
tcpdiag.outcome (pending becomes unanswered), the client's error (a
client that gave up), tcpdiag.unanswered_for and tcpdiag.idle.  Every other tcpdiag field must be equal on every
conversation's last frame, and all but the final-only ones on the last
frame of the capture."""
import glob
import os

import pytest

from conftest import CAPTURES

FINAL_ONLY = {"tcpdiag.outcome_final", "tcpdiag.finding", "tcpdiag.finding_text",
              "tcpdiag.summary"}
AT_THE_END = {"tcpdiag.outcome", "tcpdiag.client_errno", "tcpdiag.client_error",
              "tcpdiag.unanswered_for", "tcpdiag.idle"}

_fields = []


def tcpdiag_fields(tshark):
    """Every tcpdiag field with a value (not expert items, not the notes)."""
    if not _fields:
        for line in tshark.run(["-G", "fields"]).stdout.splitlines():
            cols = line.split("\t")
            if (line.startswith("F\t") and cols[2].startswith("tcpdiag.") and cols[3] != "FT_NONE"
                    and not cols[2].startswith(("tcpdiag.diag.", "tcpdiag.event.",
                                                "tcpdiag.finding.", "tcpdiag.noted."))):
                _fields.append(cols[2])
        assert "tcpdiag.outcome" in _fields and "tcpdiag.rst.assessment" in _fields
    return _fields


def last_frames(tshark, capture, fields, two_pass):
    rows = tshark.fields(capture, ["frame.number", "tcp.stream"] + fields, two_pass=two_pass,
                         dfilter="tcpdiag")
    last = {}
    for r in rows:
        last[r["tcp.stream"]] = r
    return last


@pytest.mark.parametrize("capture", sorted(os.path.basename(p)
                                           for p in glob.glob(os.path.join(CAPTURES, "*.pcapng"))))
def test_single_pass_ends_where_two_pass_is(tshark, capture):
    fields = tcpdiag_fields(tshark)
    single = last_frames(tshark, capture, fields, False)
    final = last_frames(tshark, capture, fields, True)
    end = max(int(r["frame.number"]) for r in tshark.fields(capture, ["frame.number"]))
    assert sorted(single) == sorted(final)
    for stream, r in single.items():
        at_end = int(r["frame.number"]) == end
        for f in fields:
            if f in FINAL_ONLY or (f in AT_THE_END and not at_end):
                continue
            assert r[f] == final[stream][f], f"stream {stream}, frame {r['frame.number']}: {f}"
