# SPDX-License-Identifier: GPL-2.0-or-later
"""The configuration profile "TCP diagnosis" as the build makes it.

tshark reads a profile's columns and colouring rules as the GUI does
(-C PROFILE, --color): the columns and colours are checked here on every
series, the GUI test checks them on screen.
"""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD

PROFILE = "TCP diagnosis"


def profile_file(name):
    return os.path.join(BUILD, "profile", name)


@pytest.fixture(scope="module")
def with_profile(tshark):
    """The built profile in the personal profiles of the tests' HOME."""
    dst = os.path.join(tshark.home, ".config", "wireshark", "profiles", PROFILE)
    os.makedirs(dst, exist_ok=True)
    for f in ("preferences", "recent", "colorfilters", "dfilter_buttons"):
        assert os.path.exists(profile_file(f)), f"{profile_file(f)} not built"
        shutil.copy(profile_file(f), dst)
    for d, dirs, files in os.walk(os.path.join(tshark.home, ".config")):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o644)
    return tshark


def colour_rules():
    rules = []
    with open(profile_file("colorfilters"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$", line.strip())
            if m:
                bg = tuple(int(v) // 257 for v in m.group(3, 4, 5))
                fg = tuple(int(v) // 257 for v in m.group(6, 7, 8))
                rules.append((m.group(1), m.group(2), bg, fg))
    return rules


def buttons():
    out = []
    with open(profile_file("dfilter_buttons"), encoding="utf-8") as f:
        for line in f:
            if line.startswith('"TRUE"'):
                fields = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
                out.append((fields[1], fields[2].replace("\\x22", '"')))
    return out


def test_every_filter_of_the_profile_compiles(tshark):
    rules, btns = colour_rules(), buttons()
    assert len(rules) >= 8 and len(btns) >= 6
    for name, dfilter in [(r[0], r[1]) for r in rules] + btns:
        p = tshark.run(["-Y", dfilter, "-r", tshark.path("refused-no-listener.pcapng")], check=False)
        assert p.returncode == 0, f"{name}: {dfilter!r}: {p.stderr}"


def test_columns(with_profile):
    out = with_profile.run(["-C", PROFILE, "-T", "tabs", "-2", "-r",
                            with_profile.path("refused-no-listener.pcapng")]).stdout
    lines = [l.split("\t") for l in out.splitlines()]
    assert len(lines) == 2
    # ... Length, client state, server state, outcome, reset assessment, Info.
    assert [c.strip() for c in lines[0][-5:-1]] == ["SYN_SENT", "CLOSED", "refused", "genuine"]
    assert [c.strip() for c in lines[1][-5:-1]] == ["CLOSED", "CLOSED", "refused", "genuine"]
    assert lines[1][-6].strip() == "54" and lines[1][-1].endswith("[tcpdiag: refused]")
    # Without the profile, the same tshark shows none of them.
    plain = with_profile.run(["-2", "-r", with_profile.path("refused-no-listener.pcapng")]).stdout
    assert "SYN_SENT" not in plain


def coloured_lines(tshark, capture):
    """(background, text) of each line of tshark --color, on a terminal."""
    cmd = tshark._cmd(["-C", PROFILE, "--color", "-2", "-r", tshark.path(capture)])
    at = cmd.index("-i") + 1
    cmd[at:at] = ["TERM=xterm", "COLORTERM=truecolor"]   # 24-bit colour escapes
    # tshark colours only a terminal: script(1) gives it one.
    p = subprocess.run(["script", "-qec", " ".join(f"'{c}'" for c in cmd) + " 2>/dev/null", "/dev/null"],
                       capture_output=True, text=True, errors="replace", timeout=120,
                       env={"TERM": "xterm", "COLORTERM": "truecolor", "PATH": os.environ["PATH"]})
    assert p.returncode == 0, p.stdout[-2000:]
    out = []
    for line in p.stdout.replace("\r", "").split("\n"):
        m = re.search(r"\x1b\[48;2;(\d+);(\d+);(\d+)m", line)
        text = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if text:
            out.append((tuple(int(v) for v in m.groups()) if m else None, text))
    return out


@pytest.mark.parametrize("capture,rule", [
    ("refused-no-listener.pcapng", "tcpdiag: refused"),
    ("syn-dropped-server.pcapng", "tcpdiag: unanswered"),
    ("icmp-unreachable-router.pcapng", "tcpdiag: rejected by ICMP"),
    ("synack-unanswered.pcapng", "tcpdiag: half-open"),
    ("close-wait.pcapng", "tcpdiag: stuck closing"),
    ("inject-handshake-server.pcapng", "tcpdiag: likely forged reset"),
])
def test_colours(with_profile, capture, rule):
    colour = {r[0]: r[2] for r in colour_rules()}[rule]
    lines = coloured_lines(with_profile, capture)
    assert lines
    tcp = [bg for bg, text in lines if " TCP " in text]
    assert tcp and all(bg == colour for bg in tcp), f"{rule} {colour}: {lines[:4]}"
    # A normal conversation is not coloured by the profile.
    normal = coloured_lines(with_profile, "normal-close.pcapng")
    assert normal and not any(bg in {r[2] for r in colour_rules()} for bg, _ in normal)
