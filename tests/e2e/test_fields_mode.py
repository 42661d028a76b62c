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
# On 4.4 and later tshark itself leaves -T fields' tree invisible: what
# reads that tree unprimed (a Lua walker not asking for all fields, the
# generic text field) sees no item nobody asked for, of any protocol.
ONLY_40 = pytest.mark.skipif(not SHORTCUT, reason="4.4 and later make -T fields' tree invisible themselves")
TAKEN = "tshark -T fields: tcpdiag adds only the fields asked for"
KEPT = "tshark -T fields: tcpdiag adds all its items"
INFO = {"WIRESHARK_LOG_LEVEL": "info"}
CAPTURES = ["rst-after-fin.pcapng", "refused-no-listener.pcapng", "icmp-port-unreachable.pcapng",
            "inject-request-client.pcapng", "syn-dropped-server.pcapng", "close-wait-leak.pcapng"]

# Lua scripts that read every field of the tree: a post-dissector asking
# for all fields (Wireshark then makes every tree visible), and one that
# does not ask (it reads the tree as tshark made it).  Neither is a tap.
WALKER_LUA = """
local p = Proto("walker%(all)s", "counts tcpdiag's items")
function p.dissector(tvb, pinfo, tree)
    local n = 0
    for _, fi in ipairs({ all_field_infos() }) do
        if fi.name:sub(1, 8) == "tcpdiag." then n = n + 1 end
    end
    io.stderr:write("ITEMS ", pinfo.number, " ", n, "\\n")
end
register_postdissector(p, %(all)s)
"""

EXTRACT_LUA = """
local outcome = Field.new("tcpdiag.outcome")
local tap = Listener.new("frame")
function tap.packet(pinfo, tvb)
    local v = outcome()
    io.stderr:write("OUTCOME ", pinfo.number, " ", v and tostring(v) or "", "\\n")
end
"""

# A filter every frame passes that names tcpdiag: its items are built.
BUILT = "tcpdiag || !tcpdiag"
EXPERT_COLUMN = 'gui.column.format:"No.","%m","Expert","%a","Info","%i"'
EXPERT_FIELD = "_ws.col.Expert" if SHORTCUT else "_ws.col.expert"   # renamed in 4.4


@pytest.fixture(scope="module")
def lua_dir():
    d = tempfile.mkdtemp(prefix="fields-mode-")
    os.chmod(d, 0o755)
    scripts = (("all.lua", WALKER_LUA % {"all": "true"}), ("some.lua", WALKER_LUA % {"all": "false"}),
               ("extract.lua", EXTRACT_LUA))
    for name, text in scripts:
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
    ["-T", "fields", "-e", "tcpdiag.outcome", "-e", "tcpdiag.summary"],
    ["-2", "-T", "fields", "-etcpdiag.outcome"],
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
    ["-T", "fields", "-e", "tcp.stream", "-Y", "tcpdiag"],
    ["-T", "fields", "-e", "tcpdiag.noted.tcp"],
    ["-T", "fields", "-e", "tcpdiag"],
    ["-T", "fields", "-e", "frame.number", "-e", "text"],
    ["-T", "fields", "-e", "tcp.stream", "-e", "_ws.expert"],
])
def test_command_line_that_may_read_items(tshark, args):
    p = tshark.run(["-r", tshark.path(CAPTURES[0])] + args, env=INFO)
    assert said(p) is None, p.stderr[-1000:]


def items_seen(p):
    return [int(n) for _, n in lua_lines(p, "ITEMS")]


@pytest.mark.parametrize("script", ["all.lua", "some.lua"])
def test_lua_walker_sees_every_item(tshark, lua_dir, script):
    """A Lua post-dissector reading every field gets tcpdiag's items on
    every TCP packet, as with -V: tcpdiag keeps them when Lua scripts are
    loaded (-X lua_script here, or from a plugin folder)."""
    if script == "some.lua" and not SHORTCUT:
        pytest.skip("4.4 and later make -T fields' tree invisible themselves")
    cap = tshark.path(CAPTURES[0])
    lua = ["-X", "lua_script:" + os.path.join(lua_dir, script)]
    p = tshark.run(["-r", cap, "-T", "fields", "-e", "tcp.stream"] + lua, env=INFO)
    verbose = items_seen(tshark.run(["-r", cap, "-V"] + lua))
    assert items_seen(p) == verbose and sum(verbose) > 0, (items_seen(p), verbose)
    assert said(p) == ("kept (a Lua script is loaded)" if SHORTCUT else None), p.stderr[-1000:]


@pytest.fixture(scope="module")
def data_dir_with_walker(lua_dir):
    """A copy of Wireshark's data folder whose init.lua loads the walker
    asking for all fields: a script no plugin folder or -X shows."""
    d = tempfile.mkdtemp(prefix="fields-data-")
    data = os.path.join(d, "wireshark")
    shutil.copytree("/usr/share/wireshark", data, symlinks=False)
    with open(os.path.join(data, "init.lua"), "a") as f:
        f.write('\ndofile("%s")\n' % os.path.join(lua_dir, "all.lua"))
    for root, dirs, files in os.walk(d):
        os.chmod(root, 0o755)
        for f in files:
            os.chmod(os.path.join(root, f), 0o644)
    yield data
    shutil.rmtree(d, ignore_errors=True)


@ONLY_40
def test_walker_from_init_lua_sees_every_item(tshark, data_dir_with_walker):
    """Loaded by the data folder's init.lua, the walker asking for all
    fields is seen by what it does: every tree is made visible."""
    cap = tshark.path(CAPTURES[0])
    env = dict(INFO, WIRESHARK_DATA_DIR=data_dir_with_walker)
    p = tshark.run(["-r", cap, "-T", "fields", "-e", "tcp.stream"], env=env)
    verbose = items_seen(tshark.run(["-r", cap, "-V"], env=env))
    assert items_seen(p) == verbose and sum(verbose) > 0, (items_seen(p), verbose)
    assert said(p) == ("kept (every tree is made visible)" if SHORTCUT else None), p.stderr[-1000:]


@ONLY_40
@pytest.mark.parametrize("capture", ["syn-dropped-server.pcapng", "rst-after-fin.pcapng"])
def test_generic_text_field_sees_lines(tshark, capture):
    """The lines of a long summary are "text" items: a filter on the
    generic text field finds the frames it finds with every item built
    (-e text keeps every item: see above)."""
    base = ["-r", tshark.path(capture), "-T", "fields", "-e", "frame.number", "-Y"]
    p = tshark.run(base + ["count(text) > 1"], env=INFO)
    built = tshark.run(base + ["count(text) > 1 && (" + BUILT + ")"], env=INFO)
    assert p.stdout == built.stdout and p.stdout.strip(), (p.stdout, built.stdout)
    assert said(p) == ("kept (a filter reads the text items)" if SHORTCUT else None) and said(built) is None


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
@pytest.mark.parametrize("two_pass", [False, True])
def test_expert_column_unchanged(tshark, capture, two_pass):
    """An Expert column shows the frame's highest severity, which tcpdiag's
    expert items set through the tree: the same as with the items built
    for a filter naming tcpdiag."""
    base = ["-r", tshark.path(capture), "-o", EXPERT_COLUMN, "-T", "fields",
            "-e", "frame.number", "-e", EXPERT_FIELD] + (["-2"] if two_pass else [])
    p = tshark.run(base, env=INFO)
    built = tshark.run(base + ["-Y", BUILT]).stdout
    assert p.stdout == built and any(l.split("\t")[1] for l in built.splitlines()), built
    assert said(p) == ("kept (an Expert column)" if SHORTCUT else None), p.stderr[-1000:]


@pytest.mark.parametrize("capture", CAPTURES)
@pytest.mark.parametrize("two_pass", [False, True])
def test_fields_and_notes_unchanged(tshark, capture, two_pass):
    """What -T fields prints, Info notes included, is the same with the
    items skipped (no tcpdiag on the command line) as with them built (a
    filter naming tcpdiag, which every frame passes)."""
    base = ["-r", tshark.path(capture), "-T", "fields", "-e", "frame.number", "-e", "tcp.stream",
            "-e", "_ws.col.Info"] + (["-2"] if two_pass else [])
    p = tshark.run(base, env=INFO)
    built = tshark.run(base + ["-Y", BUILT], env=INFO)
    assert p.stdout == built.stdout, built.stdout
    assert said(p) == ("taken" if SHORTCUT else None) and said(built) is None
    # Some outcomes settle only at the end of the capture: notes then come
    # with -2 only.  4.4 and later take the _ws.col fields without them.
    if SHORTCUT and (two_pass or capture in CAPTURES[:3]):
        assert "[tcpdiag:" in built.stdout, built.stdout


# tcpdiag's own -e fields (at most 16 a command line): every kind of item,
# the subtrees of a reset and of a finding, expert fields.
OWN = [
    ["tcpdiag.role_basis", "tcpdiag.stream", "tcpdiag.client_state", "tcpdiag.server_state", "tcpdiag.outcome",
     "tcpdiag.outcome_final", "tcpdiag.summary", "tcpdiag.client_errno", "tcpdiag.syn_schedule",
     "tcpdiag.synack_delay", "tcpdiag.retransmission", "tcpdiag.conn_state", "tcpdiag.history",
     "tcpdiag.client_bytes", "tcpdiag.client_ttl", "tcpdiag.icmp_about"],
    ["tcpdiag.reset_assessment", "tcpdiag.rst.assessment", "tcpdiag.rst.evidence", "tcpdiag.rst.finding",
     "tcpdiag.rst.ttl", "tcpdiag.rst.seq_offset", "tcpdiag.finding", "tcpdiag.finding_text",
     "tcpdiag.idle", "tcpdiag.closed_by", "tcpdiag.reuse_of", "tcpdiag.server_rtt",
     "tcpdiag.diag.refused", "tcpdiag.event.syn_retransmission", "tcpdiag.rst.likely_forged",
     "tcpdiag.client_ipid"],
]


@pytest.mark.parametrize("capture", CAPTURES + ["syn-scan.pcapng", "inject-both-forged-ttl.pcapng"])
@pytest.mark.parametrize("group", [0, 1])
@pytest.mark.parametrize("two_pass", [False, True])
def test_own_fields_unchanged(tshark, capture, group, two_pass):
    """tcpdiag's own -e fields, which it primes itself on 4.0, print what
    they print with the whole subtree built (a filter naming tcpdiag)."""
    base = ["-r", tshark.path(capture), "-T", "fields", "-E", "occurrence=a"] + \
        sum((["-e", f] for f in OWN[group]), []) + (["-2"] if two_pass else [])
    p = tshark.run(base, env=INFO)
    built = tshark.run(base + ["-Y", BUILT]).stdout
    assert p.stdout == built, (p.stdout, built)
    filled = {i for l in built.splitlines() for i, v in enumerate(l.split("\t")) if v}
    # The second group is about resets and findings: not every capture has them.
    if group == 0 or capture in ("rst-after-fin.pcapng", "inject-both-forged-ttl.pcapng"):
        assert len(filled) >= 4, built
    assert said(p) == ("taken" if SHORTCUT else None)


def test_expert_tap_unchanged(tshark):
    cap = tshark.path(CAPTURES[0])
    ex = ["-r", cap, "-z", "expert", "-T", "fields", "-e", "frame.number"]

    def experts(out):  # the table, without the fields' lines
        return out[out.index("\n\n"):]
    p = tshark.run(ex, env=INFO)
    a = experts(p.stdout)
    b = experts(tshark.run(ex + ["-Y", BUILT]).stdout)
    assert a == b and "tcpdiag" in a, a
    assert said(p) == ("taken" if SHORTCUT else None), p.stderr[-1000:]
