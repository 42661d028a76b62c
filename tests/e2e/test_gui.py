# SPDX-License-Identifier: GPL-2.0-or-later
"""The tables in the real Wireshark GUI, under Xvfb.

Wireshark runs as the same unprivileged user and with the same plugin
folder (WIRESHARK_PLUGIN_DIR) as the tshark tests.  The test opens Statistics > TCP
diagnosis: ... with the keyboard, presses the dialog's Copy button and reads
the clipboard (xclip); then types a display filter into the dialog and
copies again.  A test fails (it does not skip) when a tool is missing: CI
installs them (tools/install-deps.sh).  With TCPDIAG_KEEP_GUI_LOG=1 (and
pytest -s) Wireshark's own output is printed after each test.
"""
import csv
import io
import os
import shutil
import subprocess
import tempfile

import pytest

import xshot
from conftest import BUILD, NOBODY, wireshark_env
from test_profile import colour_rules

TOOLS = ("Xvfb", "xdotool", "xclip", "xwd", "wireshark")
PROFILE = "TCP diagnosis"
SELECTED = (48, 140, 198)   # Qt's highlight of the selected row (Debian's default style)

# Position of our entries in Debian 12's Wireshark 4.0 Statistics menu
# (counted from "Capture File Properties"); the dialog's title is checked,
# so a different menu makes the test fail, not pass.
MENU_DOWN = {"conversations": 11, "summary": 12}


x = xshot.xrun
wait_window = xshot.wait_window


@pytest.fixture
def gui(tshark):
    missing = [t for t in TOOLS if not shutil.which(t)]
    assert not missing, f"GUI test tools not installed: {missing} (tools/install-deps.sh installs them)"
    display = f":{60 + os.getpid() % 30}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runtime = tempfile.mkdtemp(prefix="tcpdiag-xdg-")
    # Wireshark writes its profile under HOME: a home of its own, holding
    # the profile "TCP diagnosis" as the build made it.
    home = tempfile.mkdtemp(prefix="tcpdiag-guihome-")
    profile = os.path.join(home, ".config", "wireshark", "profiles", PROFILE)
    os.makedirs(profile)
    for f in ("preferences", "recent", "colorfilters", "dfilter_buttons"):
        shutil.copy(os.path.join(BUILD, "profile", f), profile)
    procs = []
    for d in (runtime, home):
        if os.geteuid() == 0:
            for root, dirs, files in os.walk(d):
                for n in dirs + files + ["."]:
                    os.chown(os.path.join(root, n), NOBODY, NOBODY)
        os.chmod(d, 0o700)

    def start(capture, profile=None):
        env = {**wireshark_env(tshark.home), "HOME": home, "DISPLAY": display,
               "XDG_RUNTIME_DIR": runtime}
        cmd = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + ["wireshark"] + \
              (["-C", profile] if profile else []) + ["-r", tshark.path(capture)]
        if os.geteuid() == 0:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
        log = open(os.path.join(runtime, "wireshark.log"), "w")
        procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
        win = wait_window(display, os.path.basename(capture)[:-7])
        # No window manager: place and size the window ourselves.
        x(display, "xdotool", "windowmove", "--sync", win, "0", "0")
        x(display, "xdotool", "windowsize", "--sync", win, "1400", "900")
        return win

    try:
        xshot.wait_display(display, xvfb)
    except BaseException:
        xvfb.terminate()
        xvfb.wait(10)
        raise
    yield display, start
    for p in procs:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    xvfb.terminate()
    xvfb.wait(10)
    if os.environ.get("TCPDIAG_KEEP_GUI_LOG"):
        print(open(os.path.join(runtime, "wireshark.log")).read())
    shutil.rmtree(runtime, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)


def open_table(display, main_window, which):
    x(display, "xdotool", "windowfocus", "--sync", main_window)
    xshot.open_menu(display, "alt+s")
    x(display, "xdotool", "key", *["Down"] * MENU_DOWN[which], "Return")
    return wait_window(display, f"TCP diagnosis: {which}")


def geometry(display, win):
    out = x(display, "xdotool", "getwindowgeometry", "--shell", win).stdout
    g = dict(l.split("=") for l in out.split())
    return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])


def empty_clipboard(display):
    """Empty the clipboard, so that what is waited for next is a new copy
    (xclip stays as its owner in the background)."""
    subprocess.run(["xclip", "-selection", "clipboard", "/dev/null"], env={**os.environ, "DISPLAY": display},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30, check=True)


def clipboard(display):
    return x(display, "xclip", "-o", "-selection", "clipboard", check=False).stdout


def copy(display, dialog):
    """Press the dialog's Copy button; return the clipboard once the copy is in it."""
    empty_clipboard(display)
    X, Y, W, H = geometry(display, dialog)
    x(display, "xdotool", "mousemove", str(X + W - 236), str(Y + H - 24), "click", "1")
    return wait_for("the dialog's Copy in the clipboard", lambda: clipboard(display), display)


def apply_filter(display, dialog, dfilter):
    """Type dfilter into the dialog's display filter field, then Return.
    The field is read back first (select all, copy): on a loaded machine
    keystrokes were lost (a fresh root's suite beside two others), or typed
    before the click had given the field the keyboard; then it is typed
    again."""
    X, Y, W, H = geometry(display, dialog)

    def typed():
        x(display, "xdotool", "mousemove", str(X + 300), str(Y + H - 54), "click", "1")
        # Replace what a lost earlier attempt may have left in the field.
        x(display, "xdotool", "key", "ctrl+a")
        x(display, "xdotool", "type", "--delay", "20", dfilter)
        empty_clipboard(display)
        x(display, "xdotool", "key", "ctrl+a", "ctrl+c")
        return xshot.poll(lambda: clipboard(display), 5.0) == dfilter

    wait_for(f"the display filter field holding {dfilter!r}", typed, display, limit=60.0)
    x(display, "xdotool", "key", "Return")


def rows(text):
    return [l.split() for l in text.splitlines() if l.strip()[:1].isdigit()]


def read_table(display, dialog):
    """The dialog's Copy once the table has rows (it fills them when its
    tap has run over the capture)."""
    def with_rows():
        text = copy(display, dialog)
        return text if rows(text) else None
    return wait_for("the table's rows in the dialog's Copy", with_rows, display)


def test_conversation_table_in_the_gui(gui):
    display, start = gui
    main = start("icmp-unreachable-router.pcapng")
    wait_listed(display, main)
    dialog = open_table(display, main, "conversations")
    text = read_table(display, dialog)
    assert "TCP diagnosis: conversations - " in text and "icmp-unreachable-router.pcapng:" in text
    got = [(r[0], r[2], r[3], r[4], r[5]) for r in rows(text)]
    assert got == [("0", "198.51.100.2:81", "icmp-unreachable", "S0", "S"),
                   ("1", "198.51.100.2:82", "icmp-unreachable", "S0", "S"),
                   ("2", "198.51.100.2:83", "icmp-unreachable", "S0", "S"),
                   ("3", "198.51.100.2:84", "icmp-unreachable", "S0", "S")]
    assert "the client reports Connection refused" in text
    # The same columns as tshark's table (test_tables.CONV_COLS), in order.
    from test_tables import CONV_COLS
    header = next(l for l in text.splitlines() if l.lstrip().startswith("Stream"))
    at = [header.find(title) for title in CONV_COLS]
    assert -1 not in at and at == sorted(at), (header, CONV_COLS)
    # The dialog retaps the capture with the filter: on a loaded machine
    # that takes a while, so copy again for up to 20 s; if the filter did
    # not take (its Return lost), apply it a second time.
    def streams():
        return [r[0] for r in rows(copy(display, dialog))]
    for _attempt in range(2):
        apply_filter(display, dialog, "tcp.dstport == 83")
        if xshot.poll(lambda: streams() == ["2"], 20.0):
            break
    assert streams() == ["2"]


def test_summary_table_in_the_gui(gui):
    display, start = gui
    main = start("close-wait-leak.pcapng")
    wait_listed(display, main)
    dialog = open_table(display, main, "summary")
    text = read_table(display, dialog)
    assert "TCP diagnosis: summary - " in text and "close-wait-leak.pcapng:" in text
    lines = [l.split() for l in text.splitlines()]
    assert ["all", "close-wait", "20"] in lines
    assert ["198.51.100.2", "80", "close-wait", "20"] in lines
    assert ["198.51.100.2:80", "close-wait-leak", "20"] in lines


def wait_for(what, probe, display=None, limit=30.0):
    """probe() until it returns something true; fail after `limit` s (with
    a screenshot of the display, to see why)."""
    got = xshot.poll(probe, limit)
    if not got and display:
        path = tempfile.mktemp(prefix="tcpdiag-gui-failed-", suffix=".png")
        xshot.screenshot(display).write_png(path)
        what += f" (the screen is in {path})"
    assert got, f"gave up waiting for {what} after {limit} s"
    return got


def settled(probe):
    """A probe that gives probe()'s result only when the previous call gave
    the same: what a screenshot shows while Qt is still drawing (a row
    half painted) is not yet the answer."""
    last = [None]

    def same_twice():
        got = probe()
        same = got if got and got == last[0] else None
        last[0] = got
        return same
    return same_twice


def packet_rows(shot, colour):
    """Pixel rows of the packet list in `colour`: a packet list row spans
    the window's width (text over it leaves it most of its pixels), unlike
    a selected item in the details pane."""
    return shot.rows_with(colour, 600)


def select_packet(display, win, key, what, below=-1):
    """Press `key` (ctrl+Home, ctrl+End) in the packet list until a selected
    row starting below pixel row `below` is drawn; the top and height of
    that row on screen."""
    x(display, "xdotool", "windowfocus", "--sync", win)
    # The pointer off the list: a row under it has a colour of its own.
    x(display, "xdotool", "mousemove", "--window", win, "5", "890")

    def selected():
        # Pressed on every look: a press before the packets are listed
        # selects nothing.
        x(display, "xdotool", "key", key)
        band = packet_rows(xshot.screenshot(display, win), SELECTED)
        return tuple(band) if band and band[0] > below else None
    band = wait_for(what, settled(selected), display)
    return band[0], len(band)


def wait_listed(display, win):
    """Until the capture's packets are in the packet list (its first one
    selected): the window's title comes before them."""
    return select_packet(display, win, "ctrl+Home", "the capture's first packet listed and selected")


def select_last_packet(display, win):
    """Go > Last Packet; returns the top and height of its row on screen.
    The first packet first: Wireshark selects it itself once the packets
    are read, and a look before that would take its row for the last."""
    first, _ = wait_listed(display, win)
    return select_packet(display, win, "ctrl+End", "the last packet selected, below the first", first)


def click_row(display, win, top, height):
    """Click a row (it alone is selected, and the list has the keyboard),
    then move the pointer off the list."""
    x(display, "xdotool", "mousemove", "--window", win, "300", str(top + height // 2), "click", "1")
    x(display, "xdotool", "mousemove", "--window", win, "5", "890")


def copy_rows_as_csv(display, win):
    """Every packet, Edit > Copy > As CSV: the packet list with its column
    titles, as the user sees it."""
    top, height = select_last_packet(display, win)
    click_row(display, win, top, height)
    x(display, "xdotool", "key", "ctrl+a")
    empty_clipboard(display)
    xshot.open_menu(display, "alt+e")
    xshot.open_menu(display, "Right")   # Edit > Copy's submenu
    x(display, "xdotool", "key", "Down", "Return")
    text = wait_for("the CSV in the clipboard", lambda: clipboard(display), display)
    click_row(display, win, top, height)  # the last packet alone selected again
    return list(csv.reader(io.StringIO(text))), (top, height)


def rule_colour(name):
    return {r[0]: r[2] for r in colour_rules()}[name]


@pytest.mark.parametrize("capture,rule,packets", [
    ("icmp-unreachable-router.pcapng", "tcpdiag: rejected by ICMP", 8),
    ("inject-handshake-server.pcapng", "tcpdiag: likely forged reset", 6),
])
def test_profile_columns_and_colours_in_the_gui(gui, tshark, capture, rule, packets):
    display, start = gui
    win = start(capture, PROFILE)
    rows, (top, height) = copy_rows_as_csv(display, win)
    assert rows[0] == ["No.", "Time", "Source", "Destination", "Protocol", "Length",
                       "Client state", "Server state", "Outcome", "Reset", "Info"]
    assert len(rows) == packets + 1
    # The columns show the final values, as tshark -2 gives them.
    want = tshark.fields(capture, ["frame.number", "tcpdiag.client_state", "tcpdiag.server_state",
                                   "tcpdiag.outcome", "tcpdiag.reset_assessment"], two_pass=True)
    assert [r[0:1] + r[6:10] for r in rows[1:]] == [list(w.values()) for w in want]
    # The last packet selected, every other row in the rule's colour: one
    # block of packets - 1 rows of the same height right above it.
    colour = rule_colour(rule)
    ys = list(wait_for(f"{packets - 1} rows in {colour}",
                       settled(lambda: tuple(packet_rows(xshot.screenshot(display, win), colour))), display))
    pitch = len(ys) / (packets - 1)
    assert ys == list(range(ys[0], ys[0] + len(ys))), "the coloured rows are not one block"
    assert pitch == int(pitch) and abs(pitch - height) <= 2, (len(ys), height)
    assert 0 <= top - (ys[-1] + 1) <= 2
    shot = xshot.screenshot(display, win)
    others = {r[2] for r in colour_rules()} - {colour}
    assert not any(packet_rows(shot, c) for c in others)


def test_profile_leaves_normal_conversations_white(gui):
    display, start = gui
    win = start("normal-close.pcapng", PROFILE)
    rows, _ = copy_rows_as_csv(display, win)
    assert rows[0][6:10] == ["Client state", "Server state", "Outcome", "Reset"]  # the profile is on
    assert {r[8] for r in rows[1:]} == {"closed"}
    shot = xshot.screenshot(display, win)
    assert not any(packet_rows(shot, r[2]) for r in colour_rules())
    # Without the profile: the default columns.
    win = start("refused-no-listener.pcapng")
    assert copy_rows_as_csv(display, win)[0][0] == ["No.", "Time", "Source", "Destination",
                                                    "Protocol", "Length", "Info"]
