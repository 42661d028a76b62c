#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Instructions tshark executes per packet without and with tcpdiag.
#   bench/compare.sh CAPTURE [TSHARK ARGS...]
# Uses build/tcpdiag.so (or $PLUGIN); runs tshark as nobody when run as root.
# Each variant gets a plugin folder (WIRESHARK_PLUGIN_DIR) linking every
# plugin of Wireshark's global folder but tcpdiag, plus the plugin for
# "with": a tcpdiag installed on the machine counts in neither.
set -euo pipefail
CAP=$(realpath "${1:?usage: $0 CAPTURE [TSHARK ARGS...]}")
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PLUGIN=${PLUGIN:-$ROOT/build/tcpdiag.so}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
ABI=$(tshark --version 2>/dev/null | sed -n 's/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
mkdir -p "$WORK/with" "$WORK/without"
cp "$CAP" "$WORK/cap.pcapng"
editcap -r "$WORK/cap.pcapng" "$WORK/one.pcapng" 1
N=$(capinfos -Mc "$WORK/cap.pcapng" | awk '/Number of packets/ {print $NF}')
as_user() { # HOME COMMAND...
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$1" WIRESHARK_PLUGIN_DIR="$1/plugins" "${@:2}"
	else
		env HOME="$1" WIRESHARK_PLUGIN_DIR="$1/plugins" "${@:2}"
	fi
}
GLOBAL=$(env -u WIRESHARK_PLUGIN_DIR tshark -G folders 2>/dev/null | sed -n 's/^Global Plugins:[[:space:]]*//p')
for variant in without with; do
	for kind in "$GLOBAL"/*/; do
		k=$(basename "$kind")
		mkdir -p "$WORK/$variant/plugins/$ABI/$k"
		for f in "$kind"*; do
			[ "$(basename "$f")" = tcpdiag.so ] || ln -s "$f" "$WORK/$variant/plugins/$ABI/$k/"
		done
	done
done
mkdir -p "$WORK/with/plugins/$ABI/epan"
cp "$PLUGIN" "$WORK/with/plugins/$ABI/epan/"
chmod -R a+rX "$WORK"
count() { # HOME FILE ARGS...
	as_user "$1" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		tshark -r "$2" "${@:3}" 2>&1 >/dev/null | sed -n 's/.*Collected : //p'
}
for variant in without with; do
	start=$(count "$WORK/$variant" "$WORK/one.pcapng" "$@")
	total=$(count "$WORK/$variant" "$WORK/cap.pcapng" "$@")
	echo "$variant $(( (total - start) / N ))"
done | awk -v n="$N" '
	{ per[$1] = $2; printf "%-8s %10d instructions/packet (%d packets)\n", $1, $2, n }
	END { printf "tcpdiag adds %.1f%%\n", 100 * (per["with"] - per["without"]) / per["without"] }'
