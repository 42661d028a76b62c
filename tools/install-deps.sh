#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what tcpdiag needs to build, test (tshark and the GUI under Xvfb)
# and make captures (Debian 12).
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    cmake make gcc libc6-dev pkg-config \
    wireshark-dev libwireshark-dev tshark wireshark-common \
    python3 python3-pytest python3-scapy \
    iproute2 iptables iputils-ping tcpdump ethtool util-linux procps \
    hping3 nmap \
    wireshark-qt xvfb xdotool xclip fonts-dejavu-core
