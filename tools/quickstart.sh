#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One command on a fresh Debian 12 (or 13, or testing): install what is
# needed with apt, build, install the plugin and its Wireshark profile
# "TCP diagnosis", and show its diagnoses of the bundled sample captures.
#
# As root: builds the Debian package and installs it with apt, into
# Wireshark's global folders (tshark run as root ignores personal ones);
# `apt remove tcpdiag` takes it away.  As a normal user (sudo is used for
# apt): installs into your personal plugin folder and profiles.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-"$ROOT/build"}
JOBS=$(nproc 2>/dev/null || echo 2)

"$ROOT/tools/install-deps.sh"

if [ "$(id -u)" -eq 0 ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTCPDIAG_PERSONAL_INSTALL=OFF -DTCPDIAG_INSTALL_DIR=
    cmake --build "$BUILD_DIR" -j "$JOBS"
    rm -f "$BUILD_DIR"/tcpdiag_*.deb
    (cd "$BUILD_DIR" && cpack -G DEB)
    DEB=$(ls "$BUILD_DIR"/tcpdiag_*.deb)
    env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --reinstall "$DEB"
    echo "Installed the package $(basename "$DEB") (remove it with: apt remove tcpdiag)"
else
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTCPDIAG_PERSONAL_INSTALL=ON -DTCPDIAG_INSTALL_DIR=
    cmake --build "$BUILD_DIR" -j "$JOBS"
    cmake --install "$BUILD_DIR"
fi

echo
echo "== tshark -G plugins"
tshark -G plugins | grep -F tcpdiag || { echo "tcpdiag did not load" >&2; exit 1; }

for f in syn-dropped-server refused-no-listener icmp-unreachable-router synack-unanswered normal-close; do
    cap="$ROOT/sample-captures/$f.pcapng"
    [ -f "$cap" ] || continue
    echo
    echo "== $f.pcapng: one line per conversation (tshark -2, first packet of each)"
    tshark -2 -r "$cap" -Y 'tcpdiag && !icmp && !icmpv6' -T fields -E header=y \
        -e tcp.stream -e tcpdiag.outcome -e tcpdiag.client_errno -e tcpdiag.summary |
        awk -F'\t' 'NR == 1 || !seen[$1]++'
done
echo
echo "== per-packet states of syn-dropped-server.pcapng (the profile's columns: tshark -C \"TCP diagnosis\")"
tshark -C "TCP diagnosis" -2 -r "$ROOT/sample-captures/syn-dropped-server.pcapng" -Y tcp
echo
echo "== resets of inject-handshake-server.pcapng (seed 001: a reset injected on the path)"
tshark -2 -r "$ROOT/sample-captures/inject-handshake-server.pcapng" -T fields -E header=y \
    -E aggregator=';' -Y tcpdiag.rst.assessment -e frame.number -e tcpdiag.rst.claimed_sender \
    -e tcpdiag.rst.assessment -e tcpdiag.rst.evidence
echo
echo "== summary table of syn-flood-cookies.pcapng (tshark -q -z tcpdiag,sum)"
tshark -q -r "$ROOT/sample-captures/syn-flood-cookies.pcapng" -z tcpdiag,sum
echo
echo "In the GUI: wireshark -C \"TCP diagnosis\" -r $ROOT/sample-captures/inject-handshake-server.pcapng"
