#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One command on a fresh Debian 12: install what is needed, build, install
# the plugin, and show its diagnoses of the bundled sample captures.
#
# Run as a normal user (sudo is used for apt) to install into your personal
# plugin folder; run as root to install into Wireshark's global plugin
# folder (tshark run as root ignores personal plugin folders).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-"$ROOT/build"}

"$ROOT/tools/install-deps.sh"

SYSTEM=OFF
if [ "$(id -u)" -eq 0 ]; then
    SYSTEM=ON
fi
cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTCPDIAG_SYSTEM_INSTALL=$SYSTEM
cmake --build "$BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)"
cmake --install "$BUILD_DIR"

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
echo "== per-packet states of syn-dropped-server.pcapng"
tshark -2 -r "$ROOT/sample-captures/syn-dropped-server.pcapng" -T fields -E header=y \
    -Y tcp -e frame.number -e frame.time_relative -e tcp.flags.str \
    -e tcpdiag.client_state -e tcpdiag.server_state -e tcpdiag.outcome
echo
echo "== resets of inject-handshake-server.pcapng (seed 001: a reset injected on the path)"
tshark -2 -r "$ROOT/sample-captures/inject-handshake-server.pcapng" -T fields -E header=y \
    -E aggregator=';' -Y tcpdiag.rst.assessment -e frame.number -e tcpdiag.rst.claimed_sender \
    -e tcpdiag.rst.assessment -e tcpdiag.rst.evidence
echo
echo "== summary table of syn-flood-cookies.pcapng (tshark -q -z tcpdiag,sum)"
tshark -q -r "$ROOT/sample-captures/syn-flood-cookies.pcapng" -z tcpdiag,sum
