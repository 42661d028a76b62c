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
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import NOBODY, wireshark_env

TOOLS = ("Xvfb", "xdotool", "xclip", "wireshark")

# Position of our entries in Debian 12's Wireshark 4.0 Statistics menu
# (counted from "Capture File Properties"); the dialog's title is checked,
# so a different menu makes the test fail, not pass.
MENU_DOWN = {"conversations": 11, "summary": 12}


def x(display, *args, check=True):
    return subprocess.run(list(args), env={**os.environ, "DISPLAY": display}, check=check,
                          capture_output=True, text=True, timeout=30)


def wait_window(display, name, limit=40.0):
    end = time.time() + limit
    while time.time() < end:
        p = x(display, "xdotool", "search", "--name", name, check=False)
        if p.returncode == 0 and p.stdout.strip():
            return p.stdout.split()[0]
        time.sleep(0.5)
    names = x(display, "xdotool", "search", "--name", ".", "getwindowname", "%@", check=False).stdout
    raise AssertionError(f"no window named {name!r} after {limit} s; windows: {names!r}")


@pytest.fixture
def gui(tshark):
    missing = [t for t in TOOLS if not shutil.which(t)]
    assert not missing, f"GUI test tools not installed: {missing} (tools/install-deps.sh installs them)"
    display = f":{60 + os.getpid() % 30}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runtime = tempfile.mkdtemp(prefix="tcpdiag-xdg-")
    # Wireshark writes its profile under HOME: a home of its own.
    home = tempfile.mkdtemp(prefix="tcpdiag-guihome-")
    procs = []
    for d in (runtime, home):
        if os.geteuid() == 0:
            for root, dirs, files in os.walk(d):
                for n in dirs + files + ["."]:
                    os.chown(os.path.join(root, n), NOBODY, NOBODY)
        os.chmod(d, 0o700)

    def start(capture):
        env = {**wireshark_env(tshark.home), "HOME": home, "DISPLAY": display,
               "XDG_RUNTIME_DIR": runtime}
        cmd = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + \
              ["wireshark", "-r", tshark.path(capture)]
        if os.geteuid() == 0:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
        log = open(os.path.join(runtime, "wireshark.log"), "w")
        procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
        return wait_window(display, os.path.basename(capture)[:-7])

    time.sleep(1)
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
    x(display, "xdotool", "key", "alt+s")
    time.sleep(1)
    for _ in range(MENU_DOWN[which]):
        x(display, "xdotool", "key", "Down")
    x(display, "xdotool", "key", "Return")
    return wait_window(display, f"TCP diagnosis: {which}")


def geometry(display, win):
    out = x(display, "xdotool", "getwindowgeometry", "--shell", win).stdout
    g = dict(l.split("=") for l in out.split())
    return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])


def copy(display, dialog):
    """Press the dialog's Copy button; return the clipboard."""
    X, Y, W, H = geometry(display, dialog)
    x(display, "xdotool", "mousemove", str(X + W - 236), str(Y + H - 24), "click", "1")
    time.sleep(1.5)
    return x(display, "xclip", "-o", "-selection", "clipboard").stdout


def apply_filter(display, dialog, dfilter):
    X, Y, W, H = geometry(display, dialog)
    x(display, "xdotool", "mousemove", str(X + 300), str(Y + H - 54), "click", "1")
    time.sleep(0.3)
    x(display, "xdotool", "type", "--delay", "20", dfilter)
    x(display, "xdotool", "key", "Return")
    time.sleep(3)


def rows(text):
    return [l.split() for l in text.splitlines() if l.strip()[:1].isdigit()]


def test_conversation_table_in_the_gui(gui):
    display, start = gui
    main = start("icmp-unreachable-router.pcapng")
    time.sleep(2)
    dialog = open_table(display, main, "conversations")
    text = copy(display, dialog)
    assert "TCP diagnosis: conversations - " in text and "icmp-unreachable-router.pcapng:" in text
    got = [(r[0], r[2], r[3], r[4], r[5]) for r in rows(text)]
    assert got == [("0", "198.51.100.2:81", "icmp-unreachable", "S0", "S"),
                   ("1", "198.51.100.2:82", "icmp-unreachable", "S0", "S"),
                   ("2", "198.51.100.2:83", "icmp-unreachable", "S0", "S"),
                   ("3", "198.51.100.2:84", "icmp-unreachable", "S0", "S")]
    assert "the client reports Connection refused" in text
    apply_filter(display, dialog, "tcp.dstport == 83")
    assert [r[0] for r in rows(copy(display, dialog))] == ["2"]


def test_summary_table_in_the_gui(gui):
    display, start = gui
    main = start("close-wait-leak.pcapng")
    time.sleep(2)
    dialog = open_table(display, main, "summary")
    text = copy(display, dialog)
    assert "TCP diagnosis: summary - " in text and "close-wait-leak.pcapng:" in text
    lines = [l.split() for l in text.splitlines()]
    assert ["all", "close-wait", "20"] in lines
    assert ["198.51.100.2", "80", "close-wait", "20"] in lines
    assert ["198.51.100.2:80", "close-wait-leak", "20"] in lines
