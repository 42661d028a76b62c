#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Make the README's screenshots with the real Wireshark under Xvfb.

    tools/screenshots.py [BUILD_DIR] [OUT_DIR]     (defaults: build, doc/screenshots)

Wireshark runs with the plugin and the profile "TCP diagnosis" of BUILD_DIR
(as the tests run it: WIRESHARK_PLUGIN_DIR, its own HOME, the user nobody
when run as root) on a capture merged from several sample captures, and
xdotool drives it.  Writes packet-list.png, diagnosis-tree.png,
expert-info.png, table-conversations.png and table-summary.png.  Needs
Xvfb, xdotool, xwd (x11-apps) and wireshark-qt (tools/install-deps.sh gui).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))

import xshot  # noqa: E402
from conftest import NOBODY, make_plugin_dir, wireshark_env  # noqa: E402

CAPTURES = ["syn-dropped-server", "refused-no-listener", "icmp-unreachable-router",
            "synack-unanswered", "close-wait", "inject-handshake-server", "normal-close"]
WIDTH, HEIGHT = 1400, 860


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build"))
    out = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "doc", "screenshots"))
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tcpdiag-shots-")
    os.chmod(work, 0o755)
    home = os.path.join(work, "home")
    profile = os.path.join(home, ".config", "wireshark", "profiles", "TCP diagnosis")
    os.makedirs(profile)
    for f in ("preferences", "recent", "colorfilters", "dfilter_buttons"):
        shutil.copy(os.path.join(build, "profile", f), profile)
    make_plugin_dir(os.path.join(work, "plugins"), os.path.join(build, "tcpdiag.so"))
    capture = os.path.join(work, "tcp-diagnosis-demo.pcapng")
    subprocess.run(["mergecap", "-w", capture] +
                   [os.path.join(REPO, "sample-captures", c + ".pcapng") for c in CAPTURES], check=True)
    for d, dirs, files in os.walk(work):
        for n in dirs + files + ["."]:
            p = os.path.join(d, n)
            if os.geteuid() == 0 and not os.path.islink(p):
                os.chown(p, NOBODY, NOBODY)

    display = f":{90 + os.getpid() % 9}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**wireshark_env(work), "HOME": home, "DISPLAY": display, "XDG_RUNTIME_DIR": work}
    env["WIRESHARK_PLUGIN_DIR"] = os.path.join(work, "plugins")
    procs = []

    def start(*extra):
        cmd = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + \
              ["wireshark", "-C", "TCP diagnosis"] + list(extra) + ["-r", capture]
        if os.geteuid() == 0:
            cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        win = window(display, "tcp-diagnosis-demo")
        x(display, "xdotool", "windowmove", "--sync", win, "0", "0")
        x(display, "xdotool", "windowsize", "--sync", win, str(WIDTH), str(HEIGHT))
        x(display, "xdotool", "windowfocus", "--sync", win)
        time.sleep(3)
        return win

    def stop():
        for p in procs:
            p.terminate()
            p.wait(10)
        procs.clear()

    time.sleep(1)
    try:
        frame = first_frame(env, capture, "tcpdiag.diag.syn_unanswered")
        shoot(display, out, start, stop, frame)
    finally:
        stop()
        xvfb.terminate()
        xvfb.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def first_frame(env, capture, dfilter):
    """The first frame that matches, by the same tshark and plugin."""
    cmd = ["env", "-i"] + [f"{k}={v}" for k, v in env.items()] + \
          ["tshark", "-2", "-r", capture, "-Y", dfilter, "-T", "fields", "-e", "frame.number"]
    if os.geteuid() == 0:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.split()[0]


x = xshot.xrun
window = xshot.wait_window


def key(display, *keys):
    for k in keys:
        x(display, "xdotool", "key", k)
        time.sleep(0.15)


def shoot(display, out, start, stop, frame):
    main = start()
    # The packet list: TCP and the ICMP errors, every conversation in its
    # outcome's colour, the SYN the diagnosis is on selected.
    key(display, "ctrl+slash")
    x(display, "xdotool", "type", "--delay", "20", "tcp || icmp.type == 3")
    key(display, "Return")
    time.sleep(2)
    key(display, "ctrl+g")
    x(display, "xdotool", "type", frame)
    key(display, "Return")
    time.sleep(1)
    x(display, "xdotool", "mousemove", "5", str(HEIGHT - 5))
    time.sleep(1)
    xshot.screenshot(display).crop(0, 0, WIDTH, 470).write_png(os.path.join(out, "packet-list.png"))

    # Expert Information: the status bar's expert button, bottom left.
    x(display, "xdotool", "mousemove", "16", str(HEIGHT - 12), "click", "1")
    dialog = window(display, "Expert Information")
    x(display, "xdotool", "windowmove", "--sync", dialog, "0", "0")
    x(display, "xdotool", "windowsize", "--sync", dialog, "1200", "560")
    time.sleep(2)
    xshot.screenshot(display).crop(0, 0, 1200, 560).write_png(os.path.join(out, "expert-info.png"))
    x(display, "xdotool", "key", "--window", dialog, "Escape")
    time.sleep(1)

    # Statistics > TCP diagnosis: conversations / summary (11 and 12
    # entries down Wireshark 4.0's Statistics menu).
    for name, down in (("conversations", 11), ("summary", 12)):
        x(display, "xdotool", "windowfocus", "--sync", main)
        key(display, "alt+s")
        time.sleep(0.5)
        key(display, *(["Down"] * down), "Return")
        dialog = window(display, f"TCP diagnosis: {name}")
        x(display, "xdotool", "windowmove", "--sync", dialog, "0", "0")
        x(display, "xdotool", "windowsize", "--sync", dialog, "1300", "520")
        time.sleep(3)
        xshot.screenshot(display).crop(0, 0, 1300, 520).write_png(os.path.join(out, f"table-{name}.png"))
        x(display, "xdotool", "key", "--window", dialog, "Escape")
        time.sleep(1)
    stop()

    # The diagnosis subtree of that SYN: a window showing the packet
    # details alone; the first item clicked, End selects the last (the
    # diagnosis), Shift+Right expands it and its subtrees.
    start("-o", "gui.layout_content_1:PDETAILS", "-o", "gui.layout_content_2:NONE",
          "-o", "gui.layout_content_3:NONE")
    key(display, "ctrl+g")
    x(display, "xdotool", "type", frame)
    key(display, "Return")
    time.sleep(1)
    x(display, "xdotool", "mousemove", "300", "104", "click", "1")
    key(display, "End", "shift+Right")
    time.sleep(1)
    x(display, "xdotool", "mousemove", "5", str(HEIGHT - 5))
    time.sleep(1)
    xshot.screenshot(display).crop(0, 90, 1000, HEIGHT - 120).write_png(os.path.join(out, "diagnosis-tree.png"))


if __name__ == "__main__":
    main()
