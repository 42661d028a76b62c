# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package: built with cpack, installed with apt, used by tshark
from Wireshark's global folders, removed without a trace.

It installs into the system, so it runs only as root, and only where no
tcpdiag is installed yet: it never replaces what a user installed.  In
those cases it skips and says why, unless TCPDIAG_REQUIRE_PACKAGE_TEST=1
(CI, and tests/in-root.sh), where a skip would hide an untested package:
then it fails.
"""
import glob
import os
import shutil
import subprocess
import tempfile

import pytest

from conftest import CAPTURES, REPO, as_test_user, global_plugin_dir, ws_abi

PROFILE = "TCP diagnosis"
PROFILES = "/usr/share/wireshark/profiles"


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)


def installed():
    p = run(["dpkg-query", "-W", "-f", "${Status}", "tcpdiag"])
    return p.returncode == 0 and "installed" in p.stdout.split()


def refuse(reason):
    if os.environ.get("TCPDIAG_REQUIRE_PACKAGE_TEST") == "1":
        pytest.fail(f"the package test cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def deb():
    if os.geteuid() != 0:
        refuse("installing a package needs root (CI runs this test as root)")
    plugins = global_plugin_dir()
    if installed() or (plugins and os.path.exists(os.path.join(plugins, "epan", "tcpdiag.so"))) \
            or os.path.exists(os.path.join(PROFILES, PROFILE)):
        refuse("a tcpdiag is installed on this machine; the package test would replace it")
    for tool in ("cpack", "dpkg-shlibdeps", "file", "apt-get"):
        assert shutil.which(tool), f"{tool} is missing: tools/install-deps.sh installs it"
    build = tempfile.mkdtemp(prefix="tcpdiag-deb-")
    p = run(["cmake", "-S", REPO, "-B", build, "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DBUILD_TESTING=OFF"])
    assert p.returncode == 0, p.stdout + p.stderr
    p = run(["cmake", "--build", build, "-j", str(os.cpu_count() or 2)])
    assert p.returncode == 0, p.stdout + p.stderr
    p = run(["cpack", "-G", "DEB"], cwd=build)
    assert p.returncode == 0, p.stdout + p.stderr
    debs = glob.glob(os.path.join(build, "tcpdiag_*.deb"))
    assert len(debs) == 1, debs
    yield debs[0]
    run(["apt-get", "purge", "-y", "tcpdiag"])
    shutil.rmtree(build, ignore_errors=True)


def test_package_installs_uses_and_removes(deb):
    abi = ws_abi()
    plugin = os.path.join(global_plugin_dir(), "epan", "tcpdiag.so")

    # One package per series: named after it, depending on its libwireshark.
    assert os.path.basename(deb).startswith(f"tcpdiag_") and f"+ws{abi}_" in os.path.basename(deb)
    lib = [l.split()[1] for l in run(["dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package}\n",
                                       "libwireshark[0-9]*"]).stdout.splitlines()
           if l.startswith("ii")]  # installed, not an old one's leftovers
    assert len(lib) == 1, lib
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
    assert f"{lib[0]} (" in depends, depends
    contents = run(["dpkg-deb", "-c", deb]).stdout
    assert "." + plugin in contents
    for f in ("preferences", "recent", "colorfilters", "dfilter_buttons"):
        assert f"./usr/share/wireshark/profiles/{PROFILE}/{f}" in contents
    assert "/.local/" not in contents and "./root/" not in contents and "./home/" not in contents

    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": os.environ["PATH"]}
    p = run(["apt-get", "install", "-y", "--no-install-recommends", os.path.abspath(deb)], env=env)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert installed() and os.path.exists(plugin)

    # An unprivileged user's tshark loads it from the global folder, as does
    # root's (which ignores personal folders).  Each with a HOME of its own.
    homes = {as_root: tempfile.mkdtemp(prefix="tcpdiag-pkg-home-") for as_root in (False, True)}
    for h in homes.values():
        os.chmod(h, 0o777)
    capture = os.path.join(homes[False], "r.pcapng")
    shutil.copy(os.path.join(CAPTURES, "refused-no-listener.pcapng"), capture)
    os.chmod(capture, 0o644)

    def tshark(args, as_root=False):
        cmd = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", f"HOME={homes[as_root]}",
               "LC_ALL=C.UTF-8", "tshark"] + args
        p = run(cmd if as_root else as_test_user(cmd))
        assert p.returncode == 0, p.stderr
        return p.stdout

    for as_root in (False, True):
        listed = [l.split("\t") for l in tshark(["-G", "plugins"], as_root).splitlines()
                  if l.startswith("tcpdiag.so")]
        assert len(listed) == 1 and listed[0][-1] == plugin, listed
        if tuple(int(v) for v in abi.split(".")) >= (4, 4):
            assert listed[0][2] == "dissector"
    out = tshark(["-2", "-r", capture, "-T", "fields", "-e", "tcpdiag.outcome"])
    assert out.split() == ["refused", "refused"]
    # The global profile: Wireshark copies it into the personal profiles
    # when it is first used.
    cols = tshark(["-C", PROFILE, "-T", "tabs", "-2", "-r", capture])
    assert [c.strip() for c in cols.splitlines()[0].split("\t")[-5:-1]] == \
        ["SYN_SENT", "CLOSED", "refused", "genuine"]

    p = run(["apt-get", "remove", "-y", "tcpdiag"], env=env)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert not installed()
    assert not os.path.exists(plugin)
    assert not os.path.exists(os.path.join(PROFILES, PROFILE))
    assert not os.path.exists("/usr/share/doc/tcpdiag")
    assert "tcpdiag" not in tshark(["-G", "plugins"])
    for h in homes.values():
        shutil.rmtree(h, ignore_errors=True)
