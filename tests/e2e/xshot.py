# SPDX-License-Identifier: GPL-2.0-or-later
"""Screenshots of an X display without extra Python modules: xwd (x11-apps)
takes the picture, this module reads its format and writes PNG; and the
few helpers that drive the display with xdotool.

Used by the GUI tests (to see the colours the packet list really shows) and
by tools/screenshots.py (the README's pictures)."""
import os
import struct
import subprocess
import time
import zlib


def xrun(display, *args, check=True):
    """A command on the X display (xdotool, xclip, ...)."""
    return subprocess.run(list(args), env={**os.environ, "DISPLAY": display}, check=check,
                          capture_output=True, text=True, timeout=30)


def poll(probe, limit, interval=0.3):
    """probe() again and again until it returns something true, for at most
    `limit` s; its last result (false if what it looks for never came)."""
    end = time.monotonic() + limit
    while True:
        got = probe()
        if got or time.monotonic() >= end:
            return got
        time.sleep(interval)  # between two looks, not a wait for anything


def wait_display(display, server, limit=30.0):
    """Until the X server `server` (a Popen of Xvfb) answers on `display`:
    its lock file names it (not another server that holds the display) and
    a client can open the display."""
    lock = f"/tmp/.X{display.lstrip(':').split('.')[0]}-lock"

    def ours():
        try:
            with open(lock) as f:
                return f.read().strip() == str(server.pid)
        except OSError:
            return False

    def answers():
        if server.poll() is not None:
            raise AssertionError(f"the X server for {display} exited with {server.returncode} "
                                 "before it answered (display number in use?)")
        return ours() and xrun(display, "xdotool", "getdisplaygeometry", check=False).returncode == 0
    if not poll(answers, limit):
        raise AssertionError(f"no X server answering on {display} after {limit} s")


def visible_windows(display):
    """The ids of the windows mapped on the display."""
    p = xrun(display, "xdotool", "search", "--onlyvisible", "--name", "", check=False)
    return set(p.stdout.split())


def open_menu(display, key, limit=30.0):
    """Press `key` (alt+s, or Right on a submenu's item) and return the id of
    the menu it opens once that is mapped.  A Qt menu is a window of its own
    (named after the application); once it shows, Qt hands it the keys."""
    before = visible_windows(display)
    xrun(display, "xdotool", "key", key)
    menu = poll(lambda: sorted(visible_windows(display) - before), limit)
    if not menu:
        raise AssertionError(f"no menu opened by {key} after {limit} s; windows mapped: {sorted(before)}")
    return menu[0]


def wait_window(display, name, limit=40.0):
    """The id of the first window whose name matches, once there is one."""
    def found():
        p = xrun(display, "xdotool", "search", "--name", name, check=False)
        return p.stdout.split()[0] if p.returncode == 0 and p.stdout.strip() else None
    win = poll(found, limit, 0.5)
    if win:
        return win
    names = xrun(display, "xdotool", "search", "--name", ".", "getwindowname", "%@", check=False).stdout
    raise AssertionError(f"no window named {name!r} after {limit} s; windows: {names!r}")


class Image:
    """Pixels as rows of (r, g, b) tuples."""

    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows

    def pixel(self, x, y):
        return self.rows[y][x]

    def crop(self, x, y, w, h):
        x, y = max(0, x), max(0, y)
        w, h = min(w, self.width - x), min(h, self.height - y)
        return Image(w, h, [row[x:x + w] for row in self.rows[y:y + h]])

    def count(self, colour):
        return sum(row.count(colour) for row in self.rows)

    def rows_with(self, colour, least=20):
        """Indices of the rows holding at least `least` pixels of `colour`."""
        return [y for y, row in enumerate(self.rows) if row.count(colour) >= least]

    def write_png(self, path):
        raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in self.rows)

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xffffffff)

        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
            f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)))
            f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
            f.write(chunk(b"IEND", b""))


def _shift(mask):
    s = 0
    while mask and not mask & 1:
        mask >>= 1
        s += 1
    return s, mask


def parse_xwd(data):
    h = struct.unpack(">25I", data[:100])
    header_size, width, height = h[0], h[4], h[5]
    byte_order, bpp, bpl = h[7], h[11], h[12]
    masks = h[14:17]
    ncolors = h[19]
    if bpp not in (24, 32):
        raise ValueError(f"xwd: {bpp} bits per pixel not supported (run Xvfb with depth 24)")
    off = header_size + ncolors * 12
    endian = ">" if byte_order == 1 else "<"
    step = bpp // 8
    shifts = [_shift(m) for m in masks]
    rows = []
    for y in range(height):
        line = data[off + y * bpl: off + y * bpl + width * step]
        if step == 4:
            values = struct.unpack(f"{endian}{width}I", line)
        else:
            values = [int.from_bytes(line[i:i + 3], "big" if endian == ">" else "little")
                      for i in range(0, len(line), 3)]
        row = []
        for v in values:
            px = []
            for s, m in shifts:
                c = (v >> s) & m
                px.append(c * 255 // m if m else 0)
            row.append(tuple(px))
        rows.append(row)
    return Image(width, height, rows)


def screenshot(display, window="root"):
    """The display (or one window, by id) as an Image."""
    args = ["xwd", "-silent"] + (["-root"] if window == "root" else ["-id", str(window)])
    p = subprocess.run(args, env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
                       capture_output=True, timeout=60, check=True)
    return parse_xwd(p.stdout)
