#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Make a large capture of a bounded SYN flood with the real kernel, for
# benchmarks: two network namespaces joined by a veth pair, a listener on
# 192.0.2.20:80 in one, hping3 in the other sending N SYNs from spoofed
# sources in 203.0.113.0/24 (documentation addresses only), dumpcap on the
# flooder's end of the pair.  The listener's namespace routes
# 203.0.113.0/24 back to the flooder's namespace, which does not forward,
# so every SYN-ACK is on the wire but none is answered.  With SYN cookies
# (COOKIES=1, the Linux default) the server answers every SYN (cookies once
# its SYN queue is full), so the capture has about 2 N packets.
#
#   sudo bench/make-syn-flood.sh OUT.pcapng [N [SOURCES [PARALLEL]]]
#
#   N         SYNs in all (default 1000000)
#   SOURCES   spoofed source addresses 203.0.113.1 ... (default 16, <= 250);
#             each sends N / SOURCES SYNs, source ports counting up from
#             a random base, no TCP options
#   PARALLEL  hping3 processes at a time (default 16)
#   COOKIES=0|1|2 (environment): the listener's net.ipv4.tcp_syncookies
#   BACKLOG=N (environment): its listen() backlog (default 128)
#
# Every step is bounded (hping3 under timeout, at most TIMEOUT=600 s for the
# whole flood); the namespaces and all processes are removed on exit.
set -euo pipefail
PROG=${0##*/}
OUT=${1:?usage: $PROG OUT.pcapng [N [SOURCES [PARALLEL]]]}
N=${2:-1000000}
SOURCES=${3:-16}
PARALLEL=${4:-16}
COOKIES=${COOKIES:-1}
BACKLOG=${BACKLOG:-128}
TIMEOUT=${TIMEOUT:-600}
PY=/usr/bin/python3

die() {
	echo "$PROG: error: $*" >&2
	exit 1
}
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "N must be a positive number"
[[ $SOURCES =~ ^[0-9]+$ && $SOURCES -ge 1 && $SOURCES -le 250 ]] ||
	die "SOURCES must be 1..250"
[[ $PARALLEL =~ ^[0-9]+$ && $PARALLEL -ge 1 ]] || die "PARALLEL must be >= 1"
[[ $COOKIES =~ ^[012]$ ]] || die "COOKIES must be 0, 1 or 2"
for tool in ip hping3 dumpcap capinfos timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done
[[ -x $PY ]] || die "$PY not found"

A=tdflood-$$-a      # flooder; dumpcap runs here
B=tdflood-$$-b      # listener
WORK=$(mktemp -d "/tmp/tdflood.$$.XXXXXX")
CAP_PID=""
SRV_PID=""
FLOOD_PIDS=()
cleanup() {
	local pid
	set +e
	for pid in "${FLOOD_PIDS[@]}" $CAP_PID $SRV_PID; do
		kill "$pid" 2>/dev/null
	done
	for ns in "$A" "$B"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
running() {
	local n=0 pid
	for pid in "${FLOOD_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

ip netns add "$A"
ip netns add "$B"
ip link add tdf-a netns "$A" type veth peer name tdf-b netns "$B"
ip -n "$A" addr add 192.0.2.10/24 dev tdf-a
ip -n "$B" addr add 192.0.2.20/24 dev tdf-b
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
done
ip -n "$A" link set tdf-a up
ip -n "$B" link set tdf-b up
# the SYN-ACKs go to the flooder's namespace, which drops them (no
# forwarding); no reverse path filter for the spoofed sources
ip -n "$B" route add 203.0.113.0/24 via 192.0.2.10
ip netns exec "$A" sysctl -q -w net.ipv4.ip_forward=0
ip netns exec "$B" sysctl -q -w net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.tdf-b.rp_filter=0 "net.ipv4.tcp_syncookies=$COOKIES"

ip netns exec "$B" timeout $((TIMEOUT + 60)) "$PY" -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.20", 80))
s.listen(int(sys.argv[1]))
open(sys.argv[2], "w").close()
time.sleep(int(sys.argv[3]))      # never accepts
' "$BACKLOG" "$WORK/ready" $((TIMEOUT + 60)) &
SRV_PID=$!
for _ in $(seq 50); do
	[[ -e $WORK/ready ]] && break
	sleep 0.1
done
[[ -e $WORK/ready ]] || die "listener did not start"

rm -f "$OUT"
ip netns exec "$A" timeout $((TIMEOUT + 60)) dumpcap -i tdf-a -s 128 -B 256 \
	-f tcp -w "$OUT" >"$WORK/dumpcap.log" 2>&1 &
CAP_PID=$!
for _ in $(seq 100); do
	[[ -s $OUT ]] && break
	sleep 0.1
done
[[ -s $OUT ]] || { cat "$WORK/dumpcap.log" >&2; die "dumpcap did not start"; }
sleep 0.5

echo "$PROG: $N SYNs from $SOURCES spoofed sources (203.0.113.1-$SOURCES)," \
	"$PARALLEL hping3 at a time, tcp_syncookies=$COOKIES, backlog $BACKLOG"
t0=$(now)
deadline=$((SECONDS + TIMEOUT))
per=$((N / SOURCES))
extra=$((N % SOURCES))
for ((i = 1; i <= SOURCES; i++)); do
	count=$((per + (i <= extra ? 1 : 0)))
	[[ $count -gt 0 ]] || continue
	# at most PARALLEL at a time (bounded wait for a free slot)
	while [[ $(running) -ge $PARALLEL ]]; do
		[[ $SECONDS -lt $deadline ]] || die "flood not done after ${TIMEOUT}s"
		sleep 0.05
	done
	left=$((deadline - SECONDS))
	ip netns exec "$A" timeout "$left" hping3 -q -n -S -p 80 -a "203.0.113.$i" \
		-s "$((1024 + RANDOM % 60000))" -c "$count" -i u1 192.0.2.20 \
		>>"$WORK/hping3.log" 2>&1 &
	FLOOD_PIDS+=($!)
done
for pid in "${FLOOD_PIDS[@]}"; do
	wait "$pid" || true       # hping3 exits 1 when nothing answers it
done
FLOOD_PIDS=()
t1=$(now)
sleep 1                       # the last SYN-ACKs
kill -TERM "$CAP_PID"
wait "$CAP_PID" || true
CAP_PID=""
t2=$(now)
chmod 0644 "$OUT"             # dumpcap makes it 0600; tshark may run as nobody

sent=$(awk '/packets transmitted/ { n += $1 } END { print n + 0 }' "$WORK/hping3.log")
echo "$PROG: hping3 sent $sent SYNs in $(elapsed "$t0" "$t1") s"
tr '\r' '\n' <"$WORK/dumpcap.log" | grep -E '^Packets (captured|received)' | sed "s/^/$PROG: dumpcap: /" || true
packets=$(capinfos -c -M "$OUT" | awk '/Number of packets/ { print $NF }')
size=$(stat -c %s "$OUT")
echo "$PROG: wrote $OUT: $packets packets, $size bytes;" \
	"capture $(elapsed "$t0" "$t2") s (flood started 0.5 s after the capture)"
