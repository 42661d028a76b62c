#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/in-root.sh RELEASE MIXED [--flood FLOOD] [run.py arguments...]
#
# bench/run.py against the Wireshark of a Debian root (as root): trixie
# (4.4), forky or sid (4.6), made and reused as tests/in-root.sh does
# (/var/tmp/tcpdiag-roots/RELEASE).  The plugin is built in the root from
# this checkout; the captures are linked into it (copied if they are on
# another file system).  Example:
#
#   bench/in-root.sh forky /var/tmp/mixed.pcap --runs 1 --modes fields,plain
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
. "$SRC/tests/lib-root.sh"

[ $# -ge 2 ] || die "usage: bench/in-root.sh RELEASE MIXED [--flood FLOOD] [run.py arguments...]"
RELEASE=$1 MIXED=$2
shift 2
check_release "$RELEASE"
[ -r "$MIXED" ] || die "cannot read $MIXED"
FLOOD=""
if [ "${1:-}" = "--flood" ]; then
    [ $# -ge 2 ] && [ -r "$2" ] || die "--flood needs a readable capture"
    FLOOD=$2
    shift 2
fi
DIR=/var/tmp/tcpdiag-roots/$RELEASE

enter_root "$RELEASE" "$DIR" build test

# Each capture in a folder of its own (the same name twice is no clash),
# linked, or copied where a link cannot be made or would not be readable
# by the unprivileged tshark run.py starts.
CAPS=$DIR/var/tmp/tcpdiag-bench
link_capture() {
    rm -rf "$CAPS/$2"
    mkdir -p "$CAPS/$2"
    chmod 755 "$CAPS" "$CAPS/$2"
    if [ -z "$(find "$1" -perm -004)" ] || ! ln -f "$1" "$CAPS/$2/" 2>/dev/null; then
        cp "$1" "$CAPS/$2/"
        chmod 644 "$CAPS/$2/$(basename "$1")"
    fi
}
link_capture "$MIXED" mixed
[ -z "$FLOOD" ] || link_capture "$FLOOD" flood

echo "== building the plugin in $RELEASE"
in_root "$DIR" sh -c 'cmake -S /src -B /tmp/tcpdiag-bench-build -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBUILD_TESTING=OFF >/dev/null && cmake --build /tmp/tcpdiag-bench-build -j 2 >/dev/null'

set -- "/var/tmp/tcpdiag-bench/mixed/$(basename "$MIXED")" --plugin /tmp/tcpdiag-bench-build/tcpdiag.so "$@"
[ -z "$FLOOD" ] || set -- "$@" --flood "/var/tmp/tcpdiag-bench/flood/$(basename "$FLOOD")"
in_root "$DIR" /usr/bin/python3 /src/bench/run.py "$@"
