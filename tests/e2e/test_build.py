# SPDX-License-Identifier: GPL-2.0-or-later
"""Configuring against a Wireshark series tcpdiag does not support fails,
and says which ones it supports."""
import os
import subprocess

import pytest

from conftest import REPO


def fake_wireshark(path, major, minor):
    """A WiresharkConfig.cmake as another Wireshark would install it."""
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "WiresharkConfig.cmake"), "w") as f:
        f.write(f"set(Wireshark_MAJOR_VERSION {major})\nset(Wireshark_MINOR_VERSION {minor})\n"
                f"set(Wireshark_PATCH_VERSION 1)\nset(Wireshark_VERSION \"{major}.{minor}.1\")\n"
                "set(Wireshark_PLUGINS_ENABLED 1)\nset(Wireshark_INSTALL_PREFIX /usr)\n"
                f"set(Wireshark_PLUGIN_LIBDIR lib/wireshark/plugins/{major}.{minor})\n")


@pytest.mark.parametrize("major,minor", [(3, 6), (4, 1), (4, 8), (5, 0)])
def test_unsupported_series_is_refused(tmp_path, major, minor):
    fake_wireshark(tmp_path / "ws", major, minor)
    p = subprocess.run(["cmake", "-S", REPO, "-B", str(tmp_path / "build"),
                        f"-DWireshark_DIR={tmp_path / 'ws'}"], capture_output=True, text=True)
    assert p.returncode != 0
    assert f"found {major}.{minor}.1" in p.stderr
    assert "4.0, 4.2, 4.4, 4.6" in p.stderr


def test_supported_series_configures(tmp_path):
    """The same fake Wireshark, of a supported series, gets past the check
    (it fails later, for lack of the real libraries, not for its version)."""
    fake_wireshark(tmp_path / "ws", 4, 2)
    p = subprocess.run(["cmake", "-S", REPO, "-B", str(tmp_path / "build"),
                        f"-DWireshark_DIR={tmp_path / 'ws'}"], capture_output=True, text=True)
    assert "Building against Wireshark 4.2.1 (series 4.2)" in p.stdout
    assert "builds against Wireshark" not in p.stderr
