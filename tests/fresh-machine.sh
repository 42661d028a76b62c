#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's promise, tried as a new user would: on a fresh Debian machine
# (a root made with debootstrap), a fresh clone of this repository, then
# tools/quickstart.sh and tools/run-tests.sh exactly as the README writes
# them, as root or as a normal user with sudo.
#
#   tests/fresh-machine.sh [--user] [RELEASE]     (default RELEASE: bookworm)
#
# Clones the committed state (HEAD) of this repository.  The root is made
# anew in /var/tmp/tcpdiag-fresh/RELEASE-root (or -user) and kept
# afterwards for inspection.  Needs root and Debian's archive; takes about
# 20 to 30 minutes (the whole test suite, the sample captures made again
# in network namespaces as root).  Exit status: the first command that
# failed, or 0.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
. "$HERE/lib-root.sh"

WHO=root
if [ "${1:-}" = "--user" ]; then
    WHO=user
    shift
fi
RELEASE=${1:-bookworm}
check_release "$RELEASE"
DIR=/var/tmp/tcpdiag-fresh/$RELEASE-$WHO
LOG=$DIR.log

remove_root "$DIR"
make_root "$RELEASE" "$DIR"
trap 'umount_root "$DIR"' EXIT
trap 'exit 130' INT TERM HUP
mount_root "$DIR"
: >"$LOG"

if [ "$WHO" = root ]; then
    HOME_IN=/root
else
    HOME_IN=/home/tester
    # A user with sudo, as on a desktop.
    in_root "$DIR" sh -c 'apt-get update -q && env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo' >>"$LOG" 2>&1
    in_root "$DIR" useradd -m -s /bin/sh tester
    echo 'tester ALL=(ALL) NOPASSWD: ALL' >"$DIR/etc/sudoers.d/tester"
    chmod 0440 "$DIR/etc/sudoers.d/tester"
fi
git clone -q "$SRC" "$DIR$HOME_IN/tcpdiag"
[ "$WHO" = root ] || in_root "$DIR" chown -R tester:tester "$HOME_IN/tcpdiag"

step() {
    echo "== $RELEASE, as $WHO: $1" | tee -a "$LOG"
    start=$(date +%s)
    if [ "$WHO" = root ]; then
        in_root "$DIR" sh -c "cd $HOME_IN/tcpdiag && $1" </dev/null >>"$LOG" 2>&1
    else
        in_root "$DIR" su - tester -c "cd $HOME_IN/tcpdiag && $1" </dev/null >>"$LOG" 2>&1
    fi
    status=$?
    echo "== $1: exit $status after $(( $(date +%s) - start )) s" | tee -a "$LOG"
    return $status
}

set +e
step tools/quickstart.sh && step tools/run-tests.sh
status=$?
grep -E "passed|failed|error" "$LOG" | tail -3
echo "log: $LOG"
exit $status
