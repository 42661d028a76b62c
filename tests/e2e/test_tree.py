# SPDX-License-Identifier: GPL-2.0-or-later
"""The packet tree as the GUI shows it (tshark -V prints the same tree).

Wireshark cuts every item label at 240 bytes and marks it "[truncated]".
Many summaries and capture-wide findings are longer than that: their label
shows the headline of the diagnosis and the whole explanation follows
below, a line per clause (a short one is its own label).  These tests check that no tcpdiag label is cut
in any capture, and that the lines give back the whole summary.
"""
import os
import re

import pytest

from conftest import CAPTURES

ALL = sorted(f for f in os.listdir(CAPTURES) if f.endswith(".pcapng"))


def tcpdiag_blocks(text):
    """Per frame: the lines of the tcpdiag subtree of tshark -V -O tcpdiag."""
    frames, frame, inside = {}, None, False
    for line in text.splitlines():
        m = re.match(r"Frame (\d+):", line)
        if m:
            frame, inside = int(m.group(1)), False
            continue
        if line.startswith("[TCP connection diagnosis"):
            inside = True
            frames[frame] = [line]
            continue
        if inside:
            if line.startswith(" "):
                frames[frame].append(line)
            else:
                inside = False
    return frames


def summary_lines(block):
    """The lines below the [Summary: ...] item, without their brackets."""
    out, depth = [], None
    for line in block:
        indent = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("[Summary: "):
            depth = indent
            continue
        if depth is not None:
            if indent <= depth:
                break
            out.append(line.strip()[1:-1])
    return out


def squeeze(text):
    """Text without the separators the lines may leave out."""
    return re.sub(r"[;. ]", "", text)


@pytest.mark.parametrize("two_pass", [False, True], ids=["single-pass", "two-pass"])
def test_no_label_is_truncated(tshark, two_pass):
    cut = []
    for capture in ALL:
        args = ["-r", tshark.path(capture), "-V", "-O", "tcpdiag"] + (["-2"] if two_pass else [])
        blocks = tcpdiag_blocks(tshark.run(args).stdout)
        assert blocks, capture
        for frame, block in blocks.items():
            cut += [f"{capture} frame {frame}: {l.strip()[:80]}" for l in block if "[truncated]" in l]
    assert not cut, f"{len(cut)} tcpdiag labels cut by Wireshark, e.g. {cut[:3]}"


@pytest.mark.parametrize("capture", ["inject-handshake-server.pcapng", "syn-dropped-server.pcapng",
                                     "syn-flood-cookies.pcapng", "port-reuse-time-wait.pcapng",
                                     "normal-close.pcapng"])
def test_summary_shown_whole(tshark, capture):
    """A summary that fits in a label is the label; a longer one has the
    headline as label and comes whole in the lines below it."""
    blocks = tcpdiag_blocks(tshark.run(["-r", tshark.path(capture), "-2", "-V", "-O", "tcpdiag"]).stdout)
    rows = tshark.fields(capture, ["frame.number", "tcpdiag.summary", "tcpdiag.outcome"],
                         two_pass=True, dfilter="tcpdiag")
    assert rows
    long_ones = 0
    for r in rows:
        frame, summary = int(r["frame.number"]), r["tcpdiag.summary"]
        label = [l.strip() for l in blocks[frame] if l.lstrip().startswith("[Summary: ")][0]
        lines = summary_lines(blocks[frame])
        if len(summary) <= 200:
            assert label == f"[Summary: {summary}]" and lines == [], f"frame {frame}"
            continue
        long_ones += 1
        assert len(label) < 240 and not label.startswith(f"[Summary: {summary[:60]}"), label
        assert lines, f"frame {frame}: no summary lines"
        assert all(len(l) <= 200 for l in lines)
        assert squeeze("".join(lines)) == squeeze(summary), f"frame {frame}"
    if capture != "normal-close.pcapng":
        assert long_ones, "no long summary in this capture: choose another"


def test_long_summary_label_is_the_headline(tshark):
    blocks = tcpdiag_blocks(tshark.run(["-r", tshark.path("port-reuse-time-wait.pcapng"), "-2",
                                        "-V", "-O", "tcpdiag"]).stdout)
    label = [l.strip() for l in blocks[11] if l.lstrip().startswith("[Summary: ")]
    assert label == ["[Summary: Handshake completed and the connection closed gracefully]"]
    lines = summary_lines(blocks[11])
    assert lines[0].startswith("Handshake completed (RTT ")
    assert lines[-1] == "the server accepted the new SYN with a SYN-ACK"


def test_expert_messages_are_whole_or_cut_at_a_clause(tshark):
    """The diagnosis's expert message is the whole summary when Wireshark's
    label ("Expert Info (Warning/Sequence): ...", 240 bytes) has room for
    it, else the summary cut after a clause (or after a "; " or ", " of the
    next, or inside a first clause too long) and marked " [...]", never
    much shorter than the room."""
    seen_whole = seen_cut = 0
    for capture in ALL:
        out = tshark.run(["-r", tshark.path(capture), "-2", "-Y", "tcpdiag", "-T", "fields",
                          "-E", "occurrence=a", "-E", "aggregator=\x1f", "-e", "tcpdiag.summary",
                          "-e", "_ws.expert.message"]).stdout
        for line in out.splitlines():
            summary, messages = (line.split("\t") + [""])[:2]
            for m in messages.split("\x1f"):
                if not summary or not m.startswith(summary[:24]):
                    continue  # another expert item (TCP's, an event, a reset)
                # the room of the shortest label (a Note's); a Warning's is 3 less
                room = 239 - len("Expert Info (Note/Sequence): ")
                if len(summary) <= room - len("Response code") + len("Sequence"):
                    assert m == summary, f"{capture}: {m!r}"
                    seen_whole += 1
                    continue
                if m == summary:
                    seen_whole += 1
                    continue
                assert m.endswith(" [...]"), f"{capture}: {m!r}"
                kept = m[:-len(" [...]")]
                assert len(m) <= room and summary.startswith(kept), f"{capture}: {m!r}"
                rest = summary[len(kept):]
                # After a clause, a "; " or ", ", or (a first clause with
                # neither in reach) a word.
                assert rest.startswith(("; ", ". ", " ")) or kept.endswith((";", ",")), f"{capture}: {m!r}"
                assert len(kept) > room - 120, f"{capture}: cut too short: {m!r}"
                seen_cut += 1
    assert seen_whole > 20 and seen_cut > 5, (seen_whole, seen_cut)
