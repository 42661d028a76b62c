# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the real tshark with the freshly built tcpdiag plugin.

The plugin is copied into the personal plugin folder of a throw-away HOME.
tshark ignores personal plugin folders when it runs as root, so as root
every tshark runs as the unprivileged user nobody (setpriv); the captures
it reads are copied into that HOME, where nobody can read them.

Every test depends on the `tshark` fixture, which first proves that the
plugin loaded (tshark -G plugins lists it from our folder and -G fields
knows its fields): no test can pass with the plugin missing.
"""
import os
import shutil
import subprocess
import tempfile

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAPTURES = os.path.join(REPO, "sample-captures")
BUILD = os.environ.get("TCPDIAG_BUILD_DIR", os.path.join(REPO, "build"))
NOBODY = 65534


def ws_abi():
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    ver = out.split("TShark (Wireshark) ")[1].split()[0]
    major, minor = ver.split(".")[:2]
    return f"{major}.{minor}"


class TShark:
    """tshark as an unprivileged user with the plugin under test."""

    def __init__(self, home):
        self.home = home
        self.copied = {}

    def _cmd(self, args):
        env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", f"HOME={self.home}",
               "LC_ALL=C.UTF-8", "TZ=UTC"]
        if os.geteuid() == 0:
            return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + env + ["tshark"] + args
        return env + ["tshark"] + args

    def path(self, capture):
        """A copy of the capture that the unprivileged tshark can read."""
        src = capture if os.path.isabs(capture) else os.path.join(CAPTURES, capture)
        if src not in self.copied:
            dst = os.path.join(self.home, "captures", f"{len(self.copied)}-{os.path.basename(src)}")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            os.chmod(dst, 0o644)
            self.copied[src] = dst
        return self.copied[src]

    def run(self, args, check=True):
        # errors="replace": other dissectors print the raw bytes of corrupted
        # packets (e.g. a damaged HTTP Content-Type), not always UTF-8.
        p = subprocess.run(self._cmd(args), capture_output=True, text=True, errors="replace",
                           timeout=300)
        # A dissector exception shows as "Dissector bug" or a malformed
        # tcpdiag item; either is a failure of ours.
        if "-r" in args:
            for bad in ("Dissector bug", "Malformed Packet: tcpdiag"):
                assert bad not in p.stdout and bad not in p.stderr, \
                    f"{bad!r} in tshark output: {p.stdout[-1500:]}{p.stderr[-1500:]}"
        if check:
            assert p.returncode == 0, f"tshark {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}"
        return p

    def fields(self, capture, fields, two_pass=False, dfilter=None, extra=()):
        """Rows of -T fields output as dicts; multiple occurrences joined by ','."""
        args = ["-r", self.path(capture), "-T", "fields", "-E", "separator=\t",
                "-E", "occurrence=a", "-E", "aggregator=,"]
        if two_pass:
            args.append("-2")
        if dfilter:
            args += ["-Y", dfilter]
        for f in fields:
            args += ["-e", f]
        args += list(extra)
        out = self.run(args).stdout
        rows = []
        for line in out.splitlines():
            cols = line.split("\t")
            cols += [""] * (len(fields) - len(cols))
            rows.append(dict(zip(fields, cols)))
        return rows


@pytest.fixture(scope="session")
def tshark():
    plugin = os.path.join(BUILD, "tcpdiag.so")
    if not os.path.exists(plugin):
        pytest.fail(f"{plugin} not built: run tools/run-tests.sh (it builds first)")
    home = tempfile.mkdtemp(prefix="tcpdiag-home-")
    os.chmod(home, 0o755)
    plugdir = os.path.join(home, ".local", "lib", "wireshark", "plugins", ws_abi(), "epan")
    os.makedirs(plugdir)
    shutil.copy(plugin, plugdir)
    for d, _, files in os.walk(home):
        os.chmod(d, 0o755)
        for f in files:
            os.chmod(os.path.join(d, f), 0o755)
    t = TShark(home)
    plugins = t.run(["-G", "plugins"]).stdout
    ours = [l for l in plugins.splitlines() if "tcpdiag.so" in l]
    other = [l.split("\t")[-1] for l in ours if plugdir not in l]
    assert not other, (
        f"tshark loads another tcpdiag plugin, {other[0]}, instead of the one under test "
        "(Wireshark loads its global plugin folder first). Remove that copy, e.g. "
        f"sudo rm {other[0]}, and run the tests again.")
    assert ours, f"the tcpdiag plugin under test did not load from {plugdir}:\n{plugins}"
    fields = t.run(["-G", "fields"]).stdout
    assert "\ttcpdiag.outcome\t" in fields, "tcpdiag fields are not registered"
    yield t
    shutil.rmtree(home, ignore_errors=True)


def pytest_report_header(config):
    return f"tcpdiag build: {BUILD}; euid {os.geteuid()} (tshark runs as {'nobody' if os.geteuid() == 0 else 'this user'})"
