#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzz tcpdiag's engine with libFuzzer (clang, AddressSanitizer, UBSan).
#
#   tests/fuzz/run.sh [SECONDS]        default 60
#
# Builds fuzz_engine (CC=clang, -DTCPDIAG_FUZZ=ON) in FUZZ_BUILD (default
# build-fuzz), writes the seed corpus from the sample captures
# (make-seeds.py, with tshark), runs every seed and every input in
# tests/fuzz/regressions once, then fuzzes for SECONDS more.  The corpus it
# grows is kept in FUZZ_WORK (default FUZZ_BUILD/work) for the next run.
# Exits non-zero when an input breaks an invariant, crashes, leaks or
# takes too long; the input is saved in FUZZ_WORK/artifacts.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_TO_FUZZ=${1:-60}
BUILD=${FUZZ_BUILD:-"$ROOT/build-fuzz"}
WORK=${FUZZ_WORK:-"$BUILD/work"}
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

command -v clang >/dev/null || { echo "run.sh: clang is needed (tools/install-deps.sh fuzz)" >&2; exit 2; }
CC=clang cmake -S "$ROOT" -B "$BUILD" -DTCPDIAG_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" --target fuzz_engine -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
mkdir -p "$WORK/corpus" "$WORK/seeds" "$WORK/artifacts"
"$PYTHON" "$ROOT/tests/fuzz/make-seeds.py" "$WORK/seeds" "$ROOT"/sample-captures/*.pcapng

# Inputs up to 8 KiB: some 400 packets, more than any seed conversation
# but for a few long transfers (cut there).  libFuzzer runs every input of
# the corpus folders once before it starts mutating them.
echo "== fuzzing for $SECONDS_TO_FUZZ s, after every seed and regression input once"
exec "$BUILD/fuzz_engine" -max_total_time="$SECONDS_TO_FUZZ" -print_final_stats=1 \
    -max_len=8192 -timeout=30 -rss_limit_mb=2048 -artifact_prefix="$WORK/artifacts/" \
    "$WORK/corpus" "$WORK/seeds" "$ROOT/tests/fuzz/regressions"
