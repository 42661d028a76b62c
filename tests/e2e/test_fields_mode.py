# SPDX-License-Identifier: GPL-2.0-or-later
"""tshark -T fields: tcpdiag builds its items only when something reads them.

tshark before 4.4 builds a visible tree for -T fields (4.4 and later prime
the -e fields and leave the tree invisible): tcpdiag reads tshark's command
line (td_cmdline, unit-tested with hostile command lines in
tests/unit/test_cmdline.c) and, at a file's first packet, what the command
line cannot show (a Lua script, a tap reading the tree, an Expert column).
It says at log level info which it chose; these tests read that, and check
that whatever reads the tree sees what it saw before: the same fields,
Info notes, expert table, Expert column, Lua walker and protocol hierarchy.
"""
import os
import shutil
import tempfile

import pytest

from conftest import ws_version

SHORTCUT = ws_version() < (4, 4)   # 4.4 and later need none
TAKEN = "tshark -T fields: tcpdiag adds only the fields asked for"
KEPT = "tshark -T fields: tcpdiag adds all its items"
INFO = {"WIRESHARK_LOG_LEVEL": "info"}
CAPTURES = ["rst-after-fin.pcapng", "refused-no-listener.pcapng", "icmp-port-unreachable.pcapng",
            "inject-request-client.pcapng", "syn-dropped-server.pcapng", "close-wait-leak.pcapng"]

COUNT_LUA = """
local tap = Listener.new("frame", "tcp", true)
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

EXPERT_COLUMN = 'gui.column.format:"No.","%m","Expert","%a","Info","%i"'


@pytest.fixture(scope="module")
def lua_dir():
    d = tempfile.mkdtemp(prefix="fields-mode-")
    os.chmod(d, 0o755)
    for name, text in (("count.lua", COUNT_LUA), ("extract.lua", EXTRACT_LUA)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(d, name), 0o644)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def said(p):
    """What tcpdiag said of -T fields' tree: 'taken', 'kept (why)' or None."""
    for line in p.stderr.splitlines():
        if TAKEN in line:
            return "taken"
        if KEPT in line:
            return "kept " + line.split(KEPT, 1)[1].strip()
    return None


def lua_lines(p, tag):
    return [l.split(" ", 2)[1:] for l in p.stderr.splitlines() if l.startswith(tag + " ")]


@pytest.mark.parametrize("args", [
    ["-T", "fields", "-e", "tcp.stream"],
    ["-Tfields", "-e", "tcp.stream"],
    ["-nT", "fields", "-e", "frame.number", "-e", "_ws.col.Info"],
    ["-T", "fields", "-e", "tcp.stream", "-Y", "tcp"],
    ["-2", "-T", "fields", "-e", "tcp.stream"],
    ["-o", "tcpdiag.answer_wait_ms:5000", "-T", "fields", "-e", "tcp.stream"],
])
def test_fields_tree_taken_as_unseen(tshark, args):
    p = tshark.run(["-r", tshark.path(CAPTURES[0])] + args, env=INFO)
    assert said(p) == ("taken" if SHORTCUT else None), p.stderr[-1000:]


@pytest.mark.parametrize("args", [
    [],
    ["-V"],
    ["-T", "fields", "-e", "tcp.stream", "-V"],
    ["-T", "fields", "-e", "tcp.stream", "-O", "tcp"],
    ["-T", "pdml"],
    ["-T", "fields", "-e", "tcpdiag.outcome"],
    ["-T", "fields", "-e", "tcp.stream", "-Y", "tcpdiag"],
    ["-T", "fields", "-e", "tcp.stream", "-e", "_ws.expert"],
])
def test_command_line_that_may_read_items(tshark, args):
    p = tshark.run(["-r", tshark.path(CAPTURES[0])] + args, env=INFO)
    assert said(p) is None, p.stderr[-1000:]


def test_lua_walker_sees_every_item(tshark, lua_dir):
    """A Lua listener asking for all fields gets tcpdiag's items on every
    TCP packet, as with a -V tree: tcpdiag keeps them with a Lua script."""
    cap = tshark.path(CAPTURES[0])
    lua = ["-X", "lua_script:" + os.path.join(lua_dir, "count.lua")]
    p = tshark.run(["-r", cap, "-T", "fields", "-e", "tcp.stream"] + lua, env=INFO)
    counts = [int(n) for _, n in lua_lines(p, "ITEMS")]
    verbose = [int(n) for _, n in lua_lines(tshark.run(["-r", cap, "-V"] + lua), "ITEMS")]
    assert counts and min(counts) > 0 and counts == verbose, (counts, verbose)
    assert said(p) == ("kept (a Lua script is loaded)" if SHORTCUT else None), p.stderr[-1000:]


def test_lua_field_extractor_sees_values(tshark, lua_dir):
    """A Lua field extractor gets the values -e tcpdiag.outcome gives."""
    cap = CAPTURES[1]
    for extra in ([], ["-2"]):
        want = [r["tcpdiag.outcome"] for r in tshark.fields(cap, ["tcpdiag.outcome"], two_pass=bool(extra))]
        p = tshark.run(["-r", tshark.path(cap), "-T", "fields", "-e", "frame.number",
                        "-X", "lua_script:" + os.path.join(lua_dir, "extract.lua")] + extra)
        got = [v for _, v in lua_lines(p, "OUTCOME")]
        assert got == want and "refused" in want, (got, want)


def test_tap_reading_the_tree(tshark):
    """-z io,phs counts the protocols of the tree: tcpdiag among them, as
    before tcpdiag read the command line."""
    p = tshark.run(["-r", tshark.path(CAPTURES[0]), "-T", "fields", "-e", "tcp.stream",
                    "-z", "io,phs"], env=INFO)
    assert "tcpdiag" in p.stdout.split("Protocol Hierarchy Statistics", 1)[1], p.stdout[-2000:]
    assert said(p) == ("kept (a tap reads the tree)" if SHORTCUT else None), p.stderr[-1000:]


@pytest.mark.parametrize("capture", CAPTURES)
def test_expert_column_unchanged(tshark, capture):
    """An Expert column shows the frame's highest severity, which tcpdiag's
    expert items set through the tree: the same as with the items built
    for a filter naming tcpdiag."""
    base = ["-r", tshark.path(capture), "-o", EXPERT_COLUMN, "-T", "fields",
            "-e", "frame.number", "-e", "_ws.col.Expert"]
    p = tshark.run(base, env=INFO)
    built = tshark.run(base + ["-Y", "tcpdiag || !tcpdiag"]).stdout
    assert p.stdout == built and any(l.split("\t")[1] for l in built.splitlines()), built
    if SHORTCUT:
        assert said(p) == "taken" and "(an Expert column)" in p.stderr, p.stderr[-1000:]


@pytest.mark.parametrize("capture", CAPTURES)
@pytest.mark.parametrize("two_pass", [False, True])
def test_fields_and_notes_unchanged(tshark, capture, two_pass):
    """What -T fields prints, Info notes included, is the same with the
    items skipped (no tcpdiag on the command line) as with them built
    (tcpdiag.stream asked for)."""
    base = ["-r", tshark.path(capture), "-T", "fields", "-e", "frame.number", "-e", "tcp.stream",
            "-e", "_ws.col.Info"] + (["-2"] if two_pass else [])
    p = tshark.run(base, env=INFO)
    built = [l.rsplit("\t", 1)[0] for l in tshark.run(base + ["-e", "tcpdiag.stream"]).stdout.splitlines()]
    assert p.stdout.splitlines() == built, built
    # Some outcomes settle only at the end of the capture: notes then come
    # with -2 only.
    if two_pass or capture in CAPTURES[:3]:
        assert any("[tcpdiag:" in l for l in built), built
    assert said(p) == ("taken" if SHORTCUT else None)


def test_expert_tap_unchanged(tshark):
    cap = tshark.path(CAPTURES[0])
    ex = ["-r", cap, "-q", "-z", "expert", "-T", "fields", "-e", "frame.number"]

    def experts(out):  # the table, without the fields' lines
        return out[out.index("\n\n"):]
    a = experts(tshark.run(ex).stdout)
    b = experts(tshark.run(ex + ["-e", "tcpdiag.stream"]).stdout)
    assert a == b and "tcpdiag" in a, a
