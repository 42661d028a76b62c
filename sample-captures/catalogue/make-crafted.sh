#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-crafted.sh - the awkward-input captures of the catalogue that need
# a second capture point, a path that reorders, an injected or crafted
# packet, or a transformation of a kernel capture.
#
# Usage: make-crafted.sh [OUTDIR] [SCENARIO...]
#
#   OUTDIR     where the .pcapng files go (default: this script's directory).
#              If the first argument is a scenario name it is taken as a
#              scenario, not as OUTDIR.
#   SCENARIO   only make these: span-duplicates reordered seq-wrap
#              rst-outside-window icmp-truncated-quote teredo.  Default: all.
#
# Builds three network namespaces tdcr-PID-client -- tdcr-PID-router --
# tdcr-PID-server joined by veth pairs (documentation addresses only), runs
# each scenario with craft-catalogue.py (plain kernel sockets; in the router
# namespace an NFQUEUE reorderer, ../rst-injector.py or a scapy ICMP sender)
# and checks each capture's packet sequence.  What is crafted or
# transformed is said in README.md, row by row.  teredo needs no
# namespace: it wraps ../normal-close-v6.pcapng.  Needs root, iproute2,
# iptables, dumpcap, editcap, tshark, ethtool, /usr/bin/python3 with scapy.
# Everything is removed again on exit, also on failure.

set -euo pipefail

PROG=${0##*/}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CRAFT="$SCRIPT_DIR/craft-catalogue.py"
HELPER="$SCRIPT_DIR/../capture-helper.py"
INJECTOR="$SCRIPT_DIR/../rst-injector.py"
PY=/usr/bin/python3

ALL_SCENARIOS=(span-duplicates reordered seq-wrap rst-outside-window
	icmp-truncated-quote teredo)

C4=192.0.2.2        R4C=192.0.2.1
S4=198.51.100.2     R4S=198.51.100.1
BLACKHOLE=203.0.113.10          # routed to a blackhole in the router ns
IF_C=cli0 IF_RC=rtr-cli IF_RS=rtr-srv IF_S=srv0
CAP_FILTER='tcp or icmp'
# seq-wrap: the server's ISN after renumbering, 50000 below 2^32, so that
# the 100000-byte response crosses 2^32 in its middle.
WRAP_ISN=$((4294967296 - 50000))

die() { echo "$PROG: error: $*" >&2; exit 1; }
T_START=$SECONDS
log() { printf '[%3ds] %s\n' "$((SECONDS - T_START))" "$*"; }

is_scenario() {
	local s
	for s in "${ALL_SCENARIOS[@]}"; do
		[[ "${1%.pcapng}" == "$s" ]] && return 0
	done
	return 1
}

OUTDIR=$SCRIPT_DIR
if [[ $# -gt 0 ]]; then
	case "$1" in -h|--help) sed -n '4,24s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
	if ! is_scenario "$1"; then
		OUTDIR=$1
		shift
	fi
fi
SCENARIOS=()
for arg in "$@"; do
	is_scenario "$arg" || die "unknown scenario '$arg' (known: ${ALL_SCENARIOS[*]})"
	SCENARIOS+=("${arg%.pcapng}")
done
[[ ${#SCENARIOS[@]} -gt 0 ]] || SCENARIOS=("${ALL_SCENARIOS[@]}")

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, iptables)"
for tool in ip iptables dumpcap editcap tshark ethtool nstat timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done
[[ -x $PY ]] || die "$PY not found"
"$PY" -c 'import scapy.all' 2>/dev/null || die "scapy is not importable by $PY"
for f in "$CRAFT" "$HELPER" "$INJECTOR" "$SCRIPT_DIR/../normal-close-v6.pcapng"; do
	[[ -r $f ]] || die "$f not found"
done
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

NS_C="tdcr-$$-client" NS_R="tdcr-$$-router" NS_S="tdcr-$$-server"
NS_MADE=()
BG_PIDS=()
WORK=$(mktemp -d "/tmp/tdcr.$$.XXXXXX")
chmod 755 "$WORK"

cleanup() {
	local rc=$? pid ns
	set +e
	trap - EXIT INT TERM
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	sleep 0.2
	for ns in "${NS_MADE[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "$PROG: interrupted" >&2; exit 130' INT
trap 'echo "$PROG: terminated" >&2; exit 143' TERM

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# wait_pid PID SECONDS: wait (bounded) for a background process; kill it
# if it is still there afterwards.
wait_pid() {
	local pid=$1 limit=$2 i
	for ((i = 0; i < limit * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null && log "  (pid $pid still running after ${limit}s: killed)"
	wait "$pid" 2>/dev/null || true
}

wait_file() {
	local f=$1 limit=$2 i
	for ((i = 0; i < limit * 20; i++)); do
		[[ -s $f ]] && return 0
		sleep 0.05
	done
	return 1
}

setup_topology() {
	local ns dev
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		ip netns add "$ns" || die "cannot create network namespace $ns"
		NS_MADE+=("$ns")
		nsx "$ns" ip link set lo up
		nsx "$ns" sysctl -q -w net.ipv4.tcp_no_metrics_save=1 >/dev/null
	done
	ip -n "$NS_R" link add "$IF_RC" type veth peer name "$IF_C" netns "$NS_C"
	ip -n "$NS_R" link add "$IF_RS" type veth peer name "$IF_S" netns "$NS_S"
	ip -n "$NS_C" addr add "$C4/24" dev "$IF_C"
	ip -n "$NS_R" addr add "$R4C/24" dev "$IF_RC"
	ip -n "$NS_R" addr add "$R4S/24" dev "$IF_RS"
	ip -n "$NS_S" addr add "$S4/24" dev "$IF_S"
	for dev in "$NS_C $IF_C" "$NS_R $IF_RC" "$NS_R $IF_RS" "$NS_S $IF_S"; do
		set -- $dev
		ip -n "$1" link set "$2" up
		# segments on the capture as on a wire: no TSO/GSO/GRO
		nsx "$1" ethtool -K "$2" tso off gso off gro off 2>/dev/null || true
	done
	ip -n "$NS_C" route add default via "$R4C"
	ip -n "$NS_S" route add default via "$R4S"
	nsx "$NS_R" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null
	# client SYNs at 0, 1, 3 s; ETIMEDOUT at about 7 s
	nsx "$NS_C" sysctl -q -w net.ipv4.tcp_syn_retries=2 >/dev/null
	if [[ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]]; then
		nsx "$NS_C" sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0 >/dev/null
	fi
	nsx "$NS_R" ip route add blackhole "$BLACKHOLE/32"
	log "topology: $NS_C ($C4) -- $NS_R -- $NS_S ($S4)"
}

# cap_start FILE IFACE: dumpcap in the router ns.
CAP_PID=""
cap_start() {
	rm -f "$1"
	ip netns exec "$NS_R" dumpcap -q -i "$2" -f "$CAP_FILTER" -w "$1" \
		>"$WORK/dumpcap.log" 2>&1 &
	CAP_PID=$!
	BG_PIDS+=("$CAP_PID")
	wait_file "$1" 10 || { cat "$WORK/dumpcap.log" >&2; die "dumpcap did not start"; }
	sleep 0.3
}
cap_stop() {
	sleep 0.3
	kill -TERM "$CAP_PID" 2>/dev/null || true
	wait_pid "$CAP_PID" 5
}

# server NBYTES DELAY: the server program in the background, listening.
server() {
	rm -f "$WORK/server.ready"
	ip netns exec "$NS_S" "$PY" "$CRAFT" serve "$S4" 80 "$1" "$2" "$WORK/server.ready" \
		>"$WORK/server.log" 2>&1 &
	BG_PIDS+=($!)
	SERVER_PID=$!
	wait_file "$WORK/server.ready" 5 || { cat "$WORK/server.log" >&2; die "server did not start"; }
}

# client ARGS...: craft-catalogue.py ARGS in the client ns, bounded.
client() {
	timeout 15 ip netns exec "$NS_C" "$PY" "$CRAFT" "$@" >"$WORK/client.log" 2>&1 ||
		log "  (client exited with status $?)"
	sed 's/^/    /' "$WORK/client.log"
}

show() {
	local f
	for f in "$@"; do
		[[ -s $f ]] && sed 's/^/    /' "$f"
	done
	return 0
}

summarize() {
	"$PY" "$HELPER" summarize "$1"
}

FAILED=()
check() {   # check NAME FILE REGEX: the flag sequence must match
	local seq
	seq=" $(summarize "$2") "
	log "  $(tshark -r "$2" 2>/dev/null | wc -l) packets:$seq"
	if [[ ! $seq =~ $3 ]]; then
		log "  UNEXPECTED sequence for $1"
		FAILED+=("$1")
	fi
}

# (nanosecond pcap: the time stamps of the pcapng files unrounded)
to_pcap() { editcap -F nsecpcap "$1" "$2"; }
to_pcapng() { editcap -F pcapng "$1" "$2"; }

HS='C:S S:SA C:A C:PA '

# ---- scenarios

# One connection, mirrored to a SPAN port: tc mirred copies every IPv4
# packet received or sent by both router interfaces to span0, whose veth
# peer span1 is captured.  Each packet passes the router once, in on one
# interface and out on the other, so it is seen twice: as its sender sent
# it (TTL 64) and as forwarded (TTL 63).  (dumpcap -i rtr-cli -i rtr-srv
# would also see every packet twice, but writes each interface's packets
# in batches, not in time order.)
scn_span-duplicates() {
	local dev dir
	ip -n "$NS_R" link add span0 type veth peer name span1
	for dev in span0 span1; do
		nsx "$NS_R" sysctl -q -w "net.ipv6.conf.$dev.disable_ipv6=1" >/dev/null
		ip -n "$NS_R" link set "$dev" up
	done
	for dev in "$IF_RC" "$IF_RS"; do
		nsx "$NS_R" tc qdisc add dev "$dev" clsact
		for dir in ingress egress; do
			nsx "$NS_R" tc filter add dev "$dev" "$dir" protocol ip u32 \
				match u32 0 0 action mirred egress mirror dev span0
		done
	done
	server 80 0
	cap_start "$OUT" span1
	client fetch "$S4" 80 80
	wait_pid "$SERVER_PID" 3
	cap_stop
	for dev in "$IF_RC" "$IF_RS"; do
		nsx "$NS_R" tc qdisc del dev "$dev" clsact
	done
	ip -n "$NS_R" link del span0
	show "$WORK/server.log"
	check span-duplicates "$OUT" \
		"^ C:S C:S S:SA S:SA C:A C:A C:PA C:PA (S:P?A S:P?A )+C:A C:A C:FA C:FA S:FA S:FA C:A C:A $"
}

# The router holds every packet of the connection 5 ms (NFQUEUE) and lets
# the 2nd data segment from the server go right after the 3rd.
scn_reordered() {
	rm -f "$WORK/reorder.ready"
	ip netns exec "$NS_R" "$PY" "$CRAFT" reorder 0 5 2 "$WORK/reorder.ready" \
		>"$WORK/reorder.log" 2>&1 &
	BG_PIDS+=($!)
	local rpid=$!
	wait_file "$WORK/reorder.ready" 5 || { cat "$WORK/reorder.log" >&2; die "reorderer did not start"; }
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$C4" -d "$S4" --dport 80 \
		-j NFQUEUE --queue-num 0 --queue-bypass
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$S4" -d "$C4" --sport 80 \
		-j NFQUEUE --queue-num 0 --queue-bypass
	server 8000 0
	cap_start "$OUT" "$IF_RC"
	client fetch "$S4" 80 8000
	wait_pid "$SERVER_PID" 3
	cap_stop
	nsx "$NS_R" iptables -F FORWARD
	kill -TERM "$rpid" 2>/dev/null || true
	wait_pid "$rpid" 3
	show "$WORK/server.log" "$WORK/reorder.log"
	local retrans
	retrans=$(tshark -r "$OUT" -Y tcp.analysis.retransmission 2>/dev/null | wc -l)
	log "  Wireshark: $retrans retransmissions, $(tshark -r "$OUT" -Y tcp.analysis.out_of_order 2>/dev/null | wc -l) out-of-order"
	[[ $retrans -eq 0 ]] || { log "  UNEXPECTED: a retransmission"; FAILED+=(reordered); }
	check reordered "$OUT" "^ ${HS}S:A (S:P?A |C:A )+C:FA S:FA C:A $"
}

# A 100000-byte response, then the server's sequence numbers renumbered
# so that they cross 2^32 in the middle of it.
scn_seq-wrap() {
	server 100000 0
	cap_start "$WORK/seq-wrap-raw.pcapng" "$IF_RC"
	client fetch "$S4" 80 100000
	wait_pid "$SERVER_PID" 3
	cap_stop
	show "$WORK/server.log"
	to_pcap "$WORK/seq-wrap-raw.pcapng" "$WORK/seq-wrap-raw.pcap"
	"$PY" "$CRAFT" renumber "$WORK/seq-wrap-raw.pcap" "$WORK/seq-wrap.pcap" 80 "$WRAP_ISN" |
		sed 's/^/    /'
	to_pcapng "$WORK/seq-wrap.pcap" "$OUT"
	check seq-wrap "$OUT" "^ ${HS}(S:P?A |C:A )+C:FA S:FA C:A $"
}

# A RST 2^30 beyond the exact sequence number, injected toward the
# server right after the client's request; the server answers 0.2 s later.
scn_rst-outside-window() {
	server 80 0.2
	cap_start "$OUT" "$IF_RS"
	rm -f "$WORK/injector.ready"
	ip netns exec "$NS_R" "$PY" "$INJECTOR" --iface "$IF_RC" --ready "$WORK/injector.ready" \
		--timeout 10 --trigger request --toward server --ttl 63 \
		--seq-offset 1073741824 >"$WORK/injector.log" 2>&1 &
	BG_PIDS+=($!)
	local ipid=$!
	wait_file "$WORK/injector.ready" 10 || { cat "$WORK/injector.log" >&2; die "injector did not start"; }
	sleep 0.2
	NSTAT_HISTORY=$WORK/nstat.srv nsx "$NS_S" nstat -n >/dev/null
	client fetch "$S4" 80 80
	wait_pid "$ipid" 3
	wait_pid "$SERVER_PID" 3
	cap_stop
	show "$WORK/server.log" "$WORK/injector.log"
	log "  server ns counters: $(NSTAT_HISTORY=$WORK/nstat.srv nsx "$NS_S" nstat -s 2>/dev/null | awk '/^(Tcp|TcpExt)/ {printf "%s %s ", $1, $2}')"
	check rst-outside-window "$OUT" "^ ${HS}(S:A )?C:RA S:PA C:A C:FA S:FA C:A $"
}

# A SYN to a blackholed address; the router sends three ICMP host
# unreachable errors with truncated quotes (crafted with scapy, sent for
# real); the third, with 8 TCP bytes, ends the attempt.
scn_icmp-truncated-quote() {
	cap_start "$OUT" "$IF_RC"
	rm -f "$WORK/icmp.ready"
	ip netns exec "$NS_R" "$PY" "$CRAFT" icmp-quotes "$IF_RC" "$BLACKHOLE" "$WORK/icmp.ready" \
		>"$WORK/icmp.log" 2>&1 &
	BG_PIDS+=($!)
	local ipid=$!
	wait_file "$WORK/icmp.ready" 10 || { cat "$WORK/icmp.log" >&2; die "ICMP sender did not start"; }
	sleep 0.2
	NSTAT_HISTORY=$WORK/nstat.cli nsx "$NS_C" nstat -n >/dev/null
	client connect "$BLACKHOLE" 80
	wait_pid "$ipid" 3
	cap_stop
	show "$WORK/icmp.log"
	log "  client ns counters: $(NSTAT_HISTORY=$WORK/nstat.cli nsx "$NS_C" nstat -s 2>/dev/null | awk '/Icmp(InErrors|InDestUnreachs|InMsgs)|OutOfWindowIcmps/ {printf "%s %s ", $1, $2}')"
	check icmp-truncated-quote "$OUT" "^ C:S R:ICMP3/1 R:ICMP3/1 C:S R:ICMP3/1 $"
}

# The IPv6 normal-close capture wrapped in IPv4/UDP port 3544, twice.
scn_teredo() {
	to_pcap "$SCRIPT_DIR/../normal-close-v6.pcapng" "$WORK/v6.pcap"
	"$PY" "$CRAFT" teredo "$WORK/v6.pcap" "$WORK/teredo.pcap" | sed 's/^/    /'
	to_pcapng "$WORK/teredo.pcap" "$OUT"
	local n
	n=$(tshark -r "$OUT" -Y "teredo && tcp" 2>/dev/null | wc -l)
	log "  $n packets decoded as Teredo with TCP inside"
	[[ $n -eq 20 ]] || FAILED+=(teredo)
}

needs_ns=0
for name in "${SCENARIOS[@]}"; do
	[[ $name == teredo ]] || needs_ns=1
done
[[ $needs_ns -eq 0 ]] || setup_topology

for name in "${SCENARIOS[@]}"; do
	OUT="$OUTDIR/$name.pcapng"
	log "$name"
	"scn_$name"
	[[ -f $OUT ]] && chmod 644 "$OUT"
	nsx "$NS_R" iptables -F 2>/dev/null || true
	BG_PIDS=()
done

log "done: ${SCENARIOS[*]}"
if [[ ${#FAILED[@]} -gt 0 ]]; then
	echo "$PROG: unexpected packet sequence in: ${FAILED[*]} (files kept)" >&2
	exit 1
fi
