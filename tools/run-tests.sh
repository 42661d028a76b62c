#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build tcpdiag and run the whole test suite: engine unit tests (ctest),
# then end-to-end tests with the real tshark (pytest).
#
#   tools/run-tests.sh [pytest arguments...]
#
# BUILD_DIR (default: build) is where the plugin is built.  As root the
# end-to-end tests run tshark as the unprivileged user nobody, because
# tshark ignores personal plugin folders when run as root.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-"$ROOT/build"}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac

cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc 2>/dev/null || echo 2)"
(cd "$BUILD_DIR" && ctest --output-on-failure)

# Debian's pytest belongs to /usr/bin/python3, which may not be the
# python3 first on PATH.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
export TCPDIAG_BUILD_DIR="$BUILD_DIR"
cd "$ROOT"
exec "$PYTHON" -m pytest -p no:cacheprovider tests/e2e "$@"
