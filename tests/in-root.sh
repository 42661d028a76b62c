#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build tcpdiag and run its test suite against another Wireshark series,
# inside a Debian root made with debootstrap from Debian's archive:
#
#   tests/in-root.sh [--dir DIR] [--fresh] [--prepare] RELEASE [pytest arguments...]
#
#   RELEASE   bookworm (Wireshark 4.0), trixie (4.4), forky or sid (4.6)
#   --dir     where the root lives (default /var/tmp/tcpdiag-roots/RELEASE);
#             it is kept for the next run
#   --fresh   make the root anew
#   --prepare only make the root and install the dependencies in it (CI
#             does this while the host's suite runs), no tests
#
# Inside, as root: apt installs the build, test and package dependencies;
# the source is mounted read-only at /src and built in /tmp/tcpdiag-build;
# tools/run-tests.sh runs the unit tests and the end-to-end tests
# (tshark as the user nobody), the package test included
# (TCPDIAG_REQUIRE_PACKAGE_TEST=1: it builds the .deb, installs it, uses it
# and removes it).  The GUI and the network-namespace tests stay on the
# host: they are left out here.  Needs root.  Exit status: the tests'
# (with --prepare: 0 once the root is ready).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
. "$HERE/lib-root.sh"

DIR="" FRESH=0 PREPARE=0
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) DIR=$2; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    --prepare) PREPARE=1; shift ;;
    -h|--help) sed -n '3,22p' "$0"; exit 0 ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || die "usage: tests/in-root.sh [--dir DIR] [--fresh] [--prepare] RELEASE [pytest arguments...]"
RELEASE=$1
shift
check_release "$RELEASE"
DIR=${DIR:-/var/tmp/tcpdiag-roots/$RELEASE}

[ "$FRESH" -eq 0 ] || remove_root "$DIR"
enter_root "$RELEASE" "$DIR" build test package
[ "$PREPARE" -eq 0 ] || { echo "== $RELEASE: ready in $DIR"; exit 0; }

echo "== tests in $RELEASE"
set +e
in_root "$DIR" sh -c 'cd /src && exec env BUILD_DIR=/tmp/tcpdiag-build TCPDIAG_SKIP_NETNS=1 \
    TCPDIAG_REQUIRE_PACKAGE_TEST=1 PYTHONDONTWRITEBYTECODE=1 tools/run-tests.sh \
    --ignore=tests/e2e/test_gui.py --ignore=tests/e2e/test_regenerate.py "$@"' run-tests "$@"
status=$?
set -e
echo "== $RELEASE: tests exited $status"
exit $status
