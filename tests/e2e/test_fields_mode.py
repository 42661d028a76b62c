# SPDX-License-Identifier: GPL-2.0-or-later
"""tshark -T fields: tcpdiag builds its items only when something reads them.

tshark 4.0 builds a visible tree for -T fields (4.4 and later prime the -e
fields instead); tcpdiag reads tshark's command line to tell that tree
from -V's.  A Lua listener that counts the tcpdiag items in the tree
(all_field_infos) shows whether they were built; Lua field extractors,
columns and the expert tap must see the same as when they are built.
The Lua scripts live in a folder whose path does not name tcpdiag (the
command line is searched for that name).
"""
import os
import shutil
import tempfile

import pytest

CAPTURE = "refused-no-listener.pcapng"
MIXED = "rst-after-fin.pcapng"

COUNT_LUA = """
local tap = Listener.new("frame", nil, true)
function tap.packet(pinfo, tvb)
    local n = 0
    for _, fi in ipairs({ all_field_infos() }) do
        if fi.name:sub(1, 8) == "tcpdiag." then n = n + 1 end
    end
    io.stderr:write("ITEMS ", pinfo.number, " ", n, "\\n")
end
"""

EXTRACT_LUA = """
local outcome = Field.new("tcpdiag.outcome")
local tap = Listener.new("frame")
function tap.packet(pinfo, tvb)
    local v = outcome()
    io.stderr:write("OUTCOME ", pinfo.number, " ", v and tostring(v) or "", "\\n")
end
"""


@pytest.fixture(scope="module")
def lua_dir():
    d = tempfile.mkdtemp(prefix="fields-mode-")
    os.chmod(d, 0o755)
    for name, text in (("count.lua", COUNT_LUA), ("extract.lua", EXTRACT_LUA)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(d, name), 0o644)
    assert "tcpdiag" not in d
    yield d
    shutil.rmtree(d, ignore_errors=True)


def lua_lines(p, tag):
    return [l.split(" ", 2)[1:] for l in p.stderr.splitlines() if l.startswith(tag + " ")]


def items_built(tshark, lua_dir, args, capture=CAPTURE):
    p = tshark.run(["-r", tshark.path(capture), "-X", "lua_script:" + os.path.join(lua_dir, "count.lua")] + args)
    counts = [int(n) for _, n in lua_lines(p, "ITEMS")]
    assert counts, p.stderr[-2000:]
    return sum(counts)


@pytest.mark.parametrize("args", [
    ["-T", "fields", "-e", "tcp.stream"],
    ["-Tfields", "-e", "tcp.stream"],
    ["-nT", "fields", "-e", "frame.number", "-e", "_ws.col.Info"],
    ["-T", "fields", "-e", "tcp.stream", "-Y", "tcp"],
    ["-2", "-T", "fields", "-e", "tcp.stream"],
])
def test_fields_without_tcpdiag_build_no_items(tshark, lua_dir, args):
    assert items_built(tshark, lua_dir, args) == 0


@pytest.mark.parametrize("args", [
    [],
    ["-V"],
    ["-T", "fields", "-e", "tcp.stream", "-V"],
    ["-nVT", "fields", "-e", "tcp.stream"],
    ["-T", "fields", "-e", "tcp.stream", "-O", "tcp"],
    ["-T", "pdml"],
    ["-T", "json"],
    ["-T", "fields", "-e", "tcpdiag.outcome"],
    ["-T", "fields", "-e", "tcp.stream", "-Y", "tcpdiag"],
    ["-T", "fields", "-e", "tcp.stream", "-e", "_ws.expert"],
])
def test_whatever_may_read_items_gets_them(tshark, lua_dir, args):
    assert items_built(tshark, lua_dir, args) > 0


def test_lua_field_extractor_sees_values(tshark, lua_dir):
    """A Lua field extractor primes tcpdiag.outcome: the values are there
    in -T fields mode, the same as -e tcpdiag.outcome gives."""
    for extra in ([], ["-2"]):
        want = [r["tcpdiag.outcome"] for r in tshark.fields(CAPTURE, ["tcpdiag.outcome"], two_pass=bool(extra))]
        p = tshark.run(["-r", tshark.path(CAPTURE), "-T", "fields", "-e", "frame.number",
                        "-X", "lua_script:" + os.path.join(lua_dir, "extract.lua")] + extra)
        # With -2 taps run in the second pass only: final values.
        got = [v for _, v in lua_lines(p, "OUTCOME")]
        assert got == want and "refused" in want, (got, want)


def test_info_column_and_expert_tap_unchanged(tshark):
    """The Info note and the expert tap do not depend on the items: the
    same with the items skipped (no tcpdiag on the command line) as with
    them built (tcpdiag.stream asked for)."""
    cap = tshark.path(MIXED)
    base = ["-r", cap, "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Info"]
    skipped = tshark.run(base).stdout.splitlines()
    built = [l.rsplit("\t", 1)[0] for l in tshark.run(base + ["-e", "tcpdiag.stream"]).stdout.splitlines()]
    assert skipped == built and any("[tcpdiag:" in l for l in skipped), skipped
    ex = ["-r", cap, "-q", "-z", "expert", "-T", "fields", "-e", "frame.number"]

    def experts(out):  # the table, without the fields' lines
        return out[out.index("\n\n"):]
    a = experts(tshark.run(ex).stdout)
    b = experts(tshark.run(ex + ["-e", "tcpdiag.stream"]).stdout)
    assert a == b and "tcpdiag" in a, a


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
