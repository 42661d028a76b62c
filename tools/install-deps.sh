#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what tcpdiag needs with apt (Debian 12, and Debian 13 / testing /
# unstable for the newer Wireshark series).
#
#   tools/install-deps.sh [GROUP...]     default: all groups
#
#   build     compiler, CMake, the Wireshark development files, tshark
#   test      pytest (Debian's, for /usr/bin/python3)
#   fuzz      clang and its libFuzzer runtime (tests/fuzz)
#   package   what cpack needs for the Debian package (dpkg-shlibdeps, file)
#   gui       the Wireshark GUI, Xvfb and the tools that drive it
#   netns     what makes the sample captures in network namespaces
#   roots     debootstrap, for the tests in other Debian releases
#
# Run as a normal user, it uses sudo.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
[ $# -gt 0 ] || set -- build test fuzz package gui netns roots

PKGS=""
for group in "$@"; do
    case "$group" in
    build)   PKGS="$PKGS cmake make gcc libc6-dev pkg-config wireshark-dev libwireshark-dev tshark wireshark-common" ;;
    test)    PKGS="$PKGS python3 python3-pytest util-linux bsdutils" ;;
    fuzz)    PKGS="$PKGS clang libclang-rt-dev" ;;
    package) PKGS="$PKGS dpkg-dev file" ;;
    gui)     PKGS="$PKGS wireshark-qt xvfb xdotool xclip x11-apps fonts-dejavu-core" ;;
    netns)   PKGS="$PKGS python3-scapy iproute2 iptables iputils-ping tcpdump ethtool procps hping3 nmap" ;;
    roots)   PKGS="$PKGS debootstrap" ;;
    *) echo "install-deps.sh: unknown group '$group' (build test fuzz package gui netns roots)" >&2; exit 2 ;;
    esac
done

APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"
$APT update -q
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$APT install -y -q --no-install-recommends $PKGS
