#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-captures.sh - generate the tcpdiag sample captures with the real
# Linux TCP stack.
#
# Usage: make-captures.sh [OUTDIR] [SCENARIO...]
#
#   OUTDIR     where the .pcapng files go (default: this script's directory).
#              If the first argument is a scenario name it is taken as a
#              scenario, not as OUTDIR.
#   SCENARIO   only make these (names as in the file names, with or without
#              the .pcapng suffix).  Default: all.
#
# Builds three network namespaces  client -- router -- server  joined by
# veth pairs (documentation addresses only), then for each scenario resets
# the firewall rules, starts dumpcap inside the router namespace, runs the
# scenario with small Python programs (capture-helper.py) and stops dumpcap.
# Each capture is checked with tshark against the packet sequence it must
# show; a scenario that does not match is retried once.  Needs root,
# iproute2 (ip netns), iptables/ip6tables, dumpcap, tshark, /usr/bin/python3;
# the inject-* scenarios also need scapy for /usr/bin/python3 (their RSTs are
# crafted by rst-injector.py on the router; the connections are real), the
# syn-flood-* scenarios hping3 and syn-scan nmap.
# Everything is removed again on exit, also on failure.

set -euo pipefail

PROG=${0##*/}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HELPER="$SCRIPT_DIR/capture-helper.py"
INJECTOR="$SCRIPT_DIR/rst-injector.py"
PY=/usr/bin/python3

ALL_SCENARIOS=(
	syn-dropped-server
	syn-dropped-router-v6
	syn-pending
	refused-no-listener
	refused-reject-tcp-reset-v6
	icmp-port-unreachable
	icmp-unreachable-router
	icmp6-admin-prohibited-router
	synack-unanswered
	reset-after-handshake-client
	reset-after-handshake-server
	client-aborted
	midstream
	simultaneous-open
	normal-close
	normal-close-v6
	close-four-way
	close-simultaneous
	close-wait
	fin-wait2-expired
	fin-unacked
	last-ack
	abort-linger-client
	abort-unread-data
	rst-after-fin
	port-reuse-time-wait
	port-reuse-client-time-wait
	established-idle
	inject-handshake-server
	inject-request-client
	inject-request-server-burst
	inject-both-forged-ttl
	middlebox-reject-reset
	challenge-ack
	abort-after-timeout
	syn-flood-nocookies
	syn-flood-cookies
	syn-scan
	close-wait-leak
	time-wait-churn
	server-shutdown-fin-wait1
	server-shutdown-resets
	idle-timeout-drop
	idle-timeout-reset
	zero-window-recovered
	zero-window-stalled
	accept-queue-full
	accept-queue-abort
	dead-peer-user-timeout
	dead-peer-retries2
	dead-peer-server-data
	keepalive-dead-peer
	keepalive-answered
	pmtu-blackhole
	pmtu-blackhole-v6
	pmtu-icmp
	pmtu-icmp-v6
	inject-race-synack
	inject-race-response
	inject-race-odd-flags
	one-way-client
	one-way-server
	one-way-midstream
)

# Addresses (RFC 5737 / RFC 3849 documentation ranges only).
C4=192.0.2.2        R4C=192.0.2.1
S4=198.51.100.2     R4S=198.51.100.1
C6=2001:db8:1::2    R6C=2001:db8:1::1
S6=2001:db8:2::2    R6S=2001:db8:2::1

# Interface names inside the namespaces.
IF_C=cli0           # client side of the client<->router pair
IF_RC=rtr-cli       # router, client-facing
IF_RS=rtr-srv       # router, server-facing
IF_S=srv0           # server side of the router<->server pair

# Capture filter: TCP and ICMP errors only; no ICMP echo, no ICMPv6
# neighbour discovery / MLD (ICMPv6 types >= 128).
# TCP, ICMP (errors and the background pings) and ICMPv6 except neighbour
# discovery (types 133-137).
CAP_FILTER='tcp or icmp or (icmp6 and (ip6[40] < 133 or ip6[40] > 137))'

die() {
	echo "$PROG: error: $*" >&2
	exit 1
}

usage() {
	sed -n '4,14s/^# \{0,1\}//p' "$0"
}

T_START=$SECONDS
log() {
	printf '[%3ds] %s\n' "$((SECONDS - T_START))" "$*"
}

# ------------------------------------------------------------ arguments

is_scenario() {
	local s
	for s in "${ALL_SCENARIOS[@]}"; do
		[[ "${1%.pcapng}" == "$s" ]] && return 0
	done
	return 1
}

OUTDIR=$SCRIPT_DIR
if [[ $# -gt 0 ]]; then
	case "$1" in
	-h|--help) usage; exit 0 ;;
	esac
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

# ------------------------------------------------------------ prerequisites

[[ $(id -u) -eq 0 ]] || die "must run as root: network namespaces, veth pairs and iptables rules cannot be created otherwise"
command -v ip >/dev/null 2>&1 || die "'ip' (iproute2) not found: cannot create network namespaces"
ip netns list >/dev/null 2>&1 || die "'ip netns' does not work here: cannot create network namespaces"
for tool in iptables ip6tables dumpcap tshark timeout ping; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"
done
[[ -x $PY ]] || die "$PY not found"
[[ -r $HELPER ]] || die "$HELPER not found"
for name in "${SCENARIOS[@]}"; do
	if [[ $name == inject-* ]]; then
		[[ -r $INJECTOR ]] || die "$INJECTOR not found"
		"$PY" -c 'import scapy.all' 2>/dev/null ||
			die "scapy is not importable by $PY: needed by $name"
		break
	fi
done
for name in "${SCENARIOS[@]}"; do
	case "$name" in
	syn-flood-*)
		command -v hping3 >/dev/null 2>&1 ||
			die "'hping3' not found: needed by $name" ;;
	syn-scan)
		command -v nmap >/dev/null 2>&1 ||
			die "'nmap' not found: needed by $name" ;;
	esac
done

mkdir -p "$OUTDIR" || die "cannot create output directory $OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

# ------------------------------------------------------------ state/cleanup

NS_C="tcpdiag-$$-client"
NS_R="tcpdiag-$$-router"
NS_S="tcpdiag-$$-server"
NS_ALL=("$NS_C" "$NS_R" "$NS_S")
NS_MADE=()
BG_PIDS=()          # helper programs of the current scenario
CAP_PID=""          # running dumpcap
FG_PID=""           # client run in the foreground
SYSCTL_SAVED=()     # "NS KEY VALUE" set by one scenario, restored after it
ROUTES_SET=()       # "NS ROUTE..." added by one scenario, deleted after it
NETEM_SET=()        # "NS DEV" with a netem qdisc added by one scenario
MTU_SET=()          # "NS DEV MTU" changed by one scenario (old MTU)
WORK=$(mktemp -d "/tmp/tcpdiag-captures.$$.XXXXXX")
FAILED=()

cleanup() {
	local rc=$? pid ns
	set +e
	trap - EXIT INT TERM
	for pid in $FG_PID $CAP_PID "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	# Anything else still running inside our own namespaces was started by
	# this script (ip netns exec children); end it by pid.
	for ns in "${NS_MADE[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
	done
	sleep 0.1
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

nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# wait_pid PID SECONDS: wait (bounded) for a background process to end;
# kill it if it is still there afterwards.
wait_pid() {
	local pid=$1 limit=$2 i
	for ((i = 0; i < limit * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "  (pid $pid still running after ${limit}s, killing it)"
		kill "$pid" 2>/dev/null || true
		sleep 0.1
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# wait_file FILE SECONDS: wait (bounded) until FILE exists and is not empty.
wait_file() {
	local f=$1 limit=$2 i
	for ((i = 0; i < limit * 20; i++)); do
		[[ -s $f ]] && return 0
		sleep 0.05
	done
	return 1
}

# ------------------------------------------------------------ topology

setup_topology() {
	local ns
	for ns in "${NS_ALL[@]}"; do
		ip netns add "$ns" 2>"$WORK/netns.err" ||
			die "cannot create network namespace $ns: $(cat "$WORK/netns.err")"
		NS_MADE+=("$ns")
		nsx "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 >/dev/null
		nsx "$ns" ip link set lo up
	done

	ip -n "$NS_R" link add "$IF_RC" type veth peer name "$IF_C" netns "$NS_C"
	ip -n "$NS_R" link add "$IF_RS" type veth peer name "$IF_S" netns "$NS_S"

	# client
	ip -n "$NS_C" addr add "$C4/24" dev "$IF_C"
	ip -n "$NS_C" addr add "$C6/64" dev "$IF_C" nodad
	ip -n "$NS_C" link set "$IF_C" up
	ip -n "$NS_C" route add default via "$R4C"
	ip -n "$NS_C" -6 route add default via "$R6C"
	# router
	ip -n "$NS_R" addr add "$R4C/24" dev "$IF_RC"
	ip -n "$NS_R" addr add "$R6C/64" dev "$IF_RC" nodad
	ip -n "$NS_R" addr add "$R4S/24" dev "$IF_RS"
	ip -n "$NS_R" addr add "$R6S/64" dev "$IF_RS" nodad
	ip -n "$NS_R" link set "$IF_RC" up
	ip -n "$NS_R" link set "$IF_RS" up
	# server
	ip -n "$NS_S" addr add "$S4/24" dev "$IF_S"
	ip -n "$NS_S" addr add "$S6/64" dev "$IF_S" nodad
	ip -n "$NS_S" link set "$IF_S" up
	ip -n "$NS_S" route add default via "$R4S"
	ip -n "$NS_S" -6 route add default via "$R6S"

	# no DAD per interface either (the link-local addresses too)
	nsx "$NS_C" sysctl -q -w "net.ipv6.conf.$IF_C.accept_dad=0" >/dev/null
	nsx "$NS_R" sysctl -q -w "net.ipv6.conf.$IF_RC.accept_dad=0" \
		"net.ipv6.conf.$IF_RS.accept_dad=0" >/dev/null
	nsx "$NS_S" sysctl -q -w "net.ipv6.conf.$IF_S.accept_dad=0" >/dev/null

	# router forwards v4 and v6
	nsx "$NS_R" sysctl -q -w net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 >/dev/null

	# short handshake timeouts: client SYNs at ~0,1,3 s, ETIMEDOUT at ~7 s;
	# server retransmits a SYN-ACK twice.  (net.ipv4.* also covers IPv6.)
	nsx "$NS_C" sysctl -q -w net.ipv4.tcp_syn_retries=2 >/dev/null
	nsx "$NS_S" sysctl -q -w net.ipv4.tcp_synack_retries=2 >/dev/null
	# Linux >= 6.7 retransmits the first SYNs / SYN-ACKs every 1 s
	# (tcp_syn_linear_timeouts, default 4) within the same time budget;
	# switch that off to get the classic exponential 1 s, 2 s, 4 s backoff.
	if [[ -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts ]]; then
		for ns in "${NS_ALL[@]}"; do
			nsx "$ns" sysctl -q -w net.ipv4.tcp_syn_linear_timeouts=0 >/dev/null
		done
	fi
	# Every scenario starts from the kernel's defaults, whatever ran before
	# it: no RTT, RTT variance or ssthresh remembered per destination
	# (tcp_metrics).  Without this, the retransmission timer of
	# dead-peer-server-data started from what an earlier scenario's
	# connection had left (tcpi_rto 6 s after two retransmissions).
	for ns in "${NS_ALL[@]}"; do
		nsx "$ns" sysctl -q -w net.ipv4.tcp_no_metrics_save=1 >/dev/null
	done

	# no ICMP rate limiting, so every REJECT really produces its error
	for ns in "$NS_R" "$NS_S"; do
		nsx "$ns" sysctl -q -w net.ipv4.icmp_ratelimit=0 \
			net.ipv6.icmp.ratelimit=0 >/dev/null
	done

	# segments on the capture should look like wire segments
	if command -v ethtool >/dev/null 2>&1; then
		nsx "$NS_C" ethtool -K "$IF_C" tso off gso off gro off 2>/dev/null || true
		nsx "$NS_R" ethtool -K "$IF_RC" tso off gso off gro off 2>/dev/null || true
		nsx "$NS_R" ethtool -K "$IF_RS" tso off gso off gro off 2>/dev/null || true
		nsx "$NS_S" ethtool -K "$IF_S" tso off gso off gro off 2>/dev/null || true
	fi
	log "topology ready: $NS_C ($C4, $C6) -- $NS_R -- $NS_S ($S4, $S6)"
}

# ------------------------------------------------------------ helpers

# Remove all firewall rules and end the programs of the previous scenario.
reset_state() {
	local ns pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${BG_PIDS[@]}"; do
		wait_pid "$pid" 2
	done
	BG_PIDS=()
	async_router_off
	restore_sysctls
	netem_off
	mtu_off
	routes_off
	for ns in "${NS_ALL[@]}"; do
		nsx "$ns" iptables -F
		nsx "$ns" ip6tables -F
	done
	rm -f "$WORK"/*.ready "$WORK"/*.mark "$WORK"/*.log "$WORK"/*.mib
}

# cap_start IFACE FILE: dumpcap in the router namespace; returns once the
# capture is running.
cap_start() {
	local iface=$1 file=$2
	rm -f "$file"
	ip netns exec "$NS_R" dumpcap -q -i "$iface" -f "$CAP_FILTER" -w "$file" \
		>"$WORK/dumpcap.log" 2>&1 &
	CAP_PID=$!
	wait_file "$file" 10 || {
		cat "$WORK/dumpcap.log" >&2
		die "dumpcap did not start on $iface"
	}
	sleep 0.2
}

cap_stop() {
	[[ -n $CAP_PID ]] || return 0
	kill -TERM "$CAP_PID" 2>/dev/null || true
	wait_pid "$CAP_PID" 5
	CAP_PID=""
}

# server NS ADDR PORT MODE: start a helper server in the background and wait
# until it listens.
server() {
	local ns=$1 addr=$2 port=$3 mode=$4
	local ready="$WORK/server-$port.ready"
	ip netns exec "$ns" "$PY" "$HELPER" server "$addr" "$port" "$mode" "$ready" \
		>>"$WORK/server.log" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$ready" 5 || {
		cat "$WORK/server.log" >&2
		die "server on $addr port $port did not start"
	}
}

# On this zero-latency path the router's ICMP error would come back while
# connect() still holds the socket lock; Linux then only records it as a
# soft error and the SYN is retransmitted (SYN, ICMP, SYN, ICMP).  To get
# the usual "SYN, ICMP, connect() fails" the router's client-facing
# interface hands received packets to another CPU (RPS) while the client
# runs pinned to CPU 0, so the error arrives after connect() has returned
# to waiting.  Only used by the ICMP scenarios.
CLIENT_PIN=()
async_router_on() {
	local ncpu
	ncpu=$(nproc 2>/dev/null || echo 1)
	if [[ $ncpu -lt 2 ]] || ! command -v taskset >/dev/null 2>&1; then
		log "  (single CPU or no taskset: ICMP errors may arrive during connect())"
		return 0
	fi
	nsx "$NS_R" sh -c "echo 2 > /sys/class/net/$IF_RC/queues/rx-0/rps_cpus"
	CLIENT_PIN=(taskset -c 0)
}
async_router_off() {
	nsx "$NS_R" sh -c "echo 0 > /sys/class/net/$IF_RC/queues/rx-0/rps_cpus" 2>/dev/null || true
	CLIENT_PIN=()
}

# client ADDR PORT MODE: run the helper client in the client namespace in
# the foreground (bounded) and show what it reports.
# (Started in the background and waited for, so that a signal to this
# script is handled at once.)
client() {
	timeout 20 "${CLIENT_PIN[@]}" ip netns exec "$NS_C" "$PY" "$HELPER" \
		client "$@" >"$WORK/fg-client.log" 2>&1 &
	FG_PID=$!
	wait "$FG_PID" || log "  (client exited with status $?)"
	FG_PID=""
	sed 's/^/    /' "$WORK/fg-client.log"
}

# client_bg ADDR PORT MODE: same in the background; the client creates
# $WORK/client.mark right before it calls connect().
client_bg() {
	ip netns exec "$NS_C" "$PY" "$HELPER" client "$@" "$WORK/client.mark" \
		>>"$WORK/client.log" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$WORK/client.mark" 5 || die "client did not start"
}

# pinger ADDR: ping the server from the client every 0.2 s while the
# scenario runs (bounded to 60 pings).  Real captures rarely end with the
# last packet of the connection that failed; these echoes mark how long the
# capture went on after the last SYN, and show the server reachable by
# ICMP while its TCP port is not (seed 000).
pinger() {
	ip netns exec "$NS_C" ping -n -q -i 0.2 -c 60 "$1" >/dev/null 2>&1 &
	BG_PIDS+=($!)
}

show_logs() {
	local f
	for f in "$WORK/client.log" "$WORK/server.log" "$WORK/simopen.log" \
		"$WORK/simclose.log" "$WORK/injector.log" "$WORK/nfqdelay.log"; do
		[[ -s $f ]] && sed 's/^/    /' "$f"
	done
	return 0
}

# scn_sysctl NS KEY VALUE: set a sysctl for the current scenario only;
# reset_state puts the old value back.
scn_sysctl() {
	local ns=$1 key=$2 val=$3 old
	old=$(nsx "$ns" sysctl -n "$key")
	SYSCTL_SAVED+=("$ns $key $old")
	nsx "$ns" sysctl -q -w "$key=$val" >/dev/null
	log "  sysctl $key=$val in ${ns##*-} ns (was $old)"
}
restore_sysctls() {
	local i ns key val
	# newest first, so that the value from before the scenario wins
	for ((i = ${#SYSCTL_SAVED[@]} - 1; i >= 0; i--)); do
		read -r ns key val <<<"${SYSCTL_SAVED[i]}"
		nsx "$ns" sysctl -q -w "$key=$val" >/dev/null || true
	done
	SYSCTL_SAVED=()
}

# injector ARGS...: start rst-injector.py in the router namespace, sniffing
# on the client-facing interface, and wait until it sniffs.  It exits by
# itself after injecting (or after 10 s without a trigger); reset_state
# kills it otherwise.
injector() {
	local ready="$WORK/injector.ready"
	ip netns exec "$NS_R" "$PY" "$INJECTOR" --iface "$IF_RC" --ready "$ready" \
		--timeout 10 "$@" >>"$WORK/injector.log" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$ready" 10 || {
		cat "$WORK/injector.log" >&2
		die "rst-injector.py did not start sniffing"
	}
	sleep 0.1
}

# netem_on NS DEV DELAY: add a netem delay qdisc for this scenario only
# (reset_state removes it).  Returns 1, and changes nothing, if the kernel
# has no netem (sch_netem).
netem_on() {
	local ns=$1 dev=$2 delay=$3
	if nsx "$ns" tc qdisc add dev "$dev" root netem delay "$delay" 2>/dev/null; then
		NETEM_SET+=("$ns $dev")
		log "  netem delay $delay on $dev in ${ns##*-} ns"
		return 0
	fi
	return 1
}
netem_off() {
	local item ns dev
	for item in "${NETEM_SET[@]}"; do
		read -r ns dev <<<"$item"
		nsx "$ns" tc qdisc del dev "$dev" root 2>/dev/null || true
	done
	NETEM_SET=()
}

# scn_route NS ROUTE...: add a route for the current scenario only
# (reset_state deletes it).
scn_route() {
	local ns=$1
	shift
	ip -n "$ns" route add "$@"
	ROUTES_SET+=("$ns $*")
	log "  route $* in ${ns##*-} ns"
}
routes_off() {
	local item ns rt
	for item in "${ROUTES_SET[@]}"; do
		read -r ns rt <<<"$item"
		# shellcheck disable=SC2086  # the route is words
		ip -n "$ns" route del $rt 2>/dev/null || true
	done
	ROUTES_SET=()
}

# scn_mtu NS DEV MTU: set an interface MTU for the current scenario only;
# reset_state puts the old one back and forgets the learned path MTUs.
scn_mtu() {
	local ns=$1 dev=$2 mtu=$3 old
	old=$(nsx "$ns" cat "/sys/class/net/$dev/mtu")
	MTU_SET+=("$ns $dev $old")
	ip -n "$ns" link set dev "$dev" mtu "$mtu"
	log "  mtu $mtu on $dev in ${ns##*-} ns (was $old)"
}
mtu_off() {
	local i ns dev mtu
	[[ ${#MTU_SET[@]} -gt 0 ]] || return 0
	for ((i = ${#MTU_SET[@]} - 1; i >= 0; i--)); do
		read -r ns dev mtu <<<"${MTU_SET[i]}"
		ip -n "$ns" link set dev "$dev" mtu "$mtu" 2>/dev/null || true
	done
	MTU_SET=()
	pmtu_flush
}

# pmtu_flush: forget the path MTUs (IPv4 next-hop exceptions, IPv6 cached
# exception routes) and the TCP metrics learned in all three namespaces,
# so that the next connection starts again at the interface MTU.
pmtu_flush() {
	local ns
	for ns in "${NS_ALL[@]}"; do
		ip -n "$ns" route flush cache 2>/dev/null || true
		ip -n "$ns" -6 route flush cache 2>/dev/null || true
		ip -n "$ns" tcp_metrics flush all 2>/dev/null || true
	done
}

# show_pmtu WHEN: the server's route to the client, with the path MTU it
# has learned, if any (ip route get).
show_pmtu() {
	echo "    server ns route to the client $1:"
	ip -n "$NS_S" route get "$C4" from "$S4" | sed -n '1,2s/^/      /p'
	ip -n "$NS_S" -6 route get "$C6" from "$S6" | sed -n '1,2s/^/      /p'
}

# count_states WHEN: how many TCP sockets the client and server namespaces
# have in each state (ss; listeners left out).
count_states() {
	local ns
	echo "    sockets $1:"
	for ns in "$NS_C" "$NS_S"; do
		nsx "$ns" ss -Htan state all exclude listening |
			awk -v who="${ns##*-}" '
				{ n[$1]++ }
				END { s = ""; for (st in n) s = s sprintf(" %d %s", n[st], st)
				      printf "      %s ns:%s\n", who, (s == "" ? " none" : s) }'
	done
}

# SYN flood: spoofed sources 203.0.113.11 ... 203.0.113.(10+N), hping3 in
# the client namespace; the router blackholes 203.0.113.0/24, so the
# server's SYN-ACKs are never answered.
FLOOD_PIDS=()
flood_prepare() {
	scn_route "$NS_R" blackhole 203.0.113.0/24
	# spoofed sources arrive on rtr-cli: no reverse path filter there
	# (the effective value is the larger of all and the interface)
	scn_sysctl "$NS_R" net.ipv4.conf.all.rp_filter 0
	scn_sysctl "$NS_R" "net.ipv4.conf.$IF_RC.rp_filter" 0
}
# syn_flood N COUNT INTERVAL: start N hping3 (SYNs to port 80, no TCP
# options, window 512), each sending COUNT SYNs INTERVAL apart (hping3 -i
# syntax, e.g. u20000) from its own spoofed address, with source ports
# counting up from its own random base (hping3's own random base is the
# same for all processes started within the same second).  Returns at once.
syn_flood() {
	local n=$1 count=$2 interval=$3 i
	FLOOD_PIDS=()
	: >"$WORK/flood.log"
	for ((i = 1; i <= n; i++)); do
		timeout 30 ip netns exec "$NS_C" hping3 -q -n -S -p 80 \
			-a "203.0.113.$((10 + i))" -s "$((1024 + RANDOM % 60000))" \
			-c "$count" -i "$interval" "$S4" \
			>>"$WORK/flood.log" 2>&1 &
		FLOOD_PIDS+=($!)
		BG_PIDS+=($!)
	done
	log "  SYN flood: $n x hping3 -S -p 80 -a 203.0.113.X -c $count -i $interval"
}
# flood_wait: wait (bounded) for the hping3 processes; log what they sent.
flood_wait() {
	local pid sent
	for pid in "${FLOOD_PIDS[@]}"; do
		wait_pid "$pid" 25
	done
	sent=$(awk '/packets transmitted/ { n += $1 } END { print n + 0 }' "$WORK/flood.log")
	echo "    hping3: $sent SYNs sent by ${#FLOOD_PIDS[@]} processes"
	FLOOD_PIDS=()
}

# TCP counters (nstat) of interest for the reset scenarios.
MIB_KEYS='TcpExtTCPChallengeACK|TcpExtTCPACKSkippedChallenge|TcpEstabResets|TcpOutRsts|TcpAttemptFails|TcpExtTCPAbortOnData|TcpExtTCPAbortOnClose'
# and for the SYN floods and the server shutdown
MIB_KEYS+='|TcpExtSyncookiesSent|TcpExtSyncookiesRecv|TcpExtSyncookiesFailed|TcpExtListenDrops|TcpExtListenOverflows|TcpExtTCPReqQFullDrop|TcpExtTCPReqQFullDoCookies|TcpRetransSegs|TcpExtTCPAbortOnTimeout'
# and for the idle-timeout and zero-window scenarios
MIB_KEYS+='|TcpExtTCPLossProbes|TcpExtTCPTimeouts|TcpExtTCPWinProbe|TcpExtTCPACKSkippedSeq|TcpExtTCPToZeroWindowAdv|TcpExtTCPFromZeroWindowAdv|TcpExtTCPWantZeroWindowAdv|TcpExtTCPZeroWindowDrop|TcpExtTCPRcvQDrop|TcpExtRcvPruned|TcpExtTCPRcvCollapsed'
# and for the accept-queue scenarios
MIB_KEYS+='|TcpExtEmbryonicRsts|TcpExtTCPSYNChallenge'
# mib_snap NS: remember the counters of NS; mib_show NS: print what changed.
# (Nothing is printed if nstat is missing.)
mib_snap() {
	command -v nstat >/dev/null 2>&1 || return 0
	nsx "$1" nstat -asz 2>/dev/null | grep -E "^($MIB_KEYS) " \
		>"$WORK/${1##*-}.mib" || true
}
mib_show() {
	local ns=$1
	command -v nstat >/dev/null 2>&1 || return 0
	{ nsx "$ns" nstat -asz 2>/dev/null | grep -E "^($MIB_KEYS) " || true; } |
		awk -v who="${ns##*-}" -v old="$WORK/${ns##*-}.mib" '
			BEGIN { while ((getline l < old) > 0) { split(l, f); base[f[1]] = f[2] } }
			$2 - base[$1] > 0 { s = s sprintf(" %s +%d", $1, $2 - base[$1]) }
			END { printf "    %s ns counters:%s\n", who, (s == "" ? " (none changed)" : s) }'
}

# show_states WHEN: print the TCP sockets of the client and server
# namespaces (ss; sockets in TIME_WAIT from earlier scenarios left out).
show_states() {
	local ns
	echo "    sockets $1:"
	for ns in "$NS_C" "$NS_S"; do
		nsx "$ns" ss -Htn state all exclude time-wait exclude listening |
			awk -v who="${ns##*-}" '{ printf "      %s ns: %s %s -> %s\n", who, $1, $4, $5 }'
	done
}

# wait_state_gone NS STATE SECONDS: wait (bounded) until NS has no socket in
# STATE (ss state name, e.g. fin-wait-1); log how long that took.
wait_state_gone() {
	local ns=$1 state=$2 limit=$3 i dt t0=${EPOCHREALTIME/[.,]/}
	for ((i = 0; i < limit * 10; i++)); do
		[[ -z $(nsx "$ns" ss -Htn state "$state") ]] && break
		sleep 0.1
	done
	if [[ -n $(nsx "$ns" ss -Htn state "$state") ]]; then
		log "  (${ns##*-} ns: still a socket in $state after ${limit}s)"
	else
		dt=$(((${EPOCHREALTIME/[.,]/} - t0) / 100000))   # 0.1 s units
		echo "    ${ns##*-} ns: no socket in $state any more after" \
			"$((dt / 10)).$((dt % 10)) s"
	fi
}

# ------------------------------------------------------------ scenarios
# Each scenario function writes $CAPFILE.

scn_syn-dropped-server() {
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_S" iptables -A INPUT -p tcp --dport 80 -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	pinger "$S4"
	sleep 0.3
	client "$S4" 80 connect-only
	sleep 1.5
	cap_stop
}

scn_syn-dropped-router-v6() {
	server "$NS_S" "$S6" 80 listen-only
	nsx "$NS_R" ip6tables -A FORWARD -p tcp -d "$S6" --dport 80 -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	pinger "$S6"
	sleep 0.3
	client "$S6" 80 connect-only
	sleep 1.5
	cap_stop
}

scn_syn-pending() {
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_S" iptables -A INPUT -p tcp --dport 80 -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	pinger "$S4"
	sleep 0.3
	client_bg "$S4" 80 connect-only
	sleep 0.3
	cap_stop
	kill "${BG_PIDS[-1]}" 2>/dev/null || true
	echo "    client: killed while connect() was still waiting"
}

scn_refused-no-listener() {
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 connect-only
	sleep 0.5
	cap_stop
}

scn_refused-reject-tcp-reset-v6() {
	server "$NS_S" "$S6" 80 listen-only
	nsx "$NS_S" ip6tables -A INPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset
	cap_start "$IF_RC" "$CAPFILE"
	client "$S6" 80 connect-only
	sleep 0.5
	cap_stop
}

scn_icmp-port-unreachable() {
	async_router_on
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_S" iptables -A INPUT -p tcp --dport 80 -j REJECT
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 connect-only
	sleep 0.5
	cap_stop
}

scn_icmp-unreachable-router() {
	local port
	async_router_on
	nsx "$NS_R" iptables -A FORWARD -p tcp -d "$S4" --dport 81 -j REJECT --reject-with icmp-net-unreachable
	nsx "$NS_R" iptables -A FORWARD -p tcp -d "$S4" --dport 82 -j REJECT --reject-with icmp-host-unreachable
	nsx "$NS_R" iptables -A FORWARD -p tcp -d "$S4" --dport 83 -j REJECT --reject-with icmp-admin-prohibited
	nsx "$NS_R" iptables -A FORWARD -p tcp -d "$S4" --dport 84 -j REJECT --reject-with icmp-port-unreachable
	cap_start "$IF_RC" "$CAPFILE"
	for port in 81 82 83 84; do
		client "$S4" "$port" connect-only
		sleep 0.1
	done
	sleep 0.4
	cap_stop
}

scn_icmp6-admin-prohibited-router() {
	async_router_on
	server "$NS_S" "$S6" 80 listen-only
	nsx "$NS_R" ip6tables -A FORWARD -p tcp -d "$S6" --dport 80 -j REJECT --reject-with icmp6-adm-prohibited
	cap_start "$IF_RC" "$CAPFILE"
	client "$S6" 80 connect-only
	sleep 0.5
	cap_stop
}

scn_synack-unanswered() {
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_R" iptables -A FORWARD -p tcp --sport 80 --tcp-flags SYN,ACK SYN,ACK -j DROP
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: SYN-ACKs seen before the drop
	pinger "$S4"
	sleep 0.3
	client "$S4" 80 connect-only
	sleep 1
	cap_stop
}

scn_reset-after-handshake-client() {
	server "$NS_S" "$S4" 80 hold
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 linger-rst
	wait_pid "${BG_PIDS[-1]}" 3       # server sees the reset and exits
	sleep 0.5
	cap_stop
}

scn_reset-after-handshake-server() {
	server "$NS_S" "$S4" 80 rst
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 wait-data
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_client-aborted() {
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_R" iptables -A FORWARD -p tcp --sport 80 --tcp-flags SYN,ACK SYN,ACK -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 abort-1.5      # gives up and closes at ~1.5 s
	sleep 2
	# let the server's next SYN-ACK retransmission (~3 s) through: the
	# client has no socket for it any more and answers with RST
	nsx "$NS_R" iptables -F FORWARD
	wait_pid "${BG_PIDS[-1]}" 2
	sleep 2
	cap_stop
}

scn_midstream() {
	server "$NS_S" "$S4" 80 echo
	client_bg "$S4" 80 echo-3s        # one line per 0.2 s for ~3 s, then FIN
	sleep 1                           # capture starts ~1 s after the handshake
	cap_start "$IF_RC" "$CAPFILE"
	wait_pid "${BG_PIDS[-1]}" 6
	wait_pid "${BG_PIDS[-2]}" 2
	sleep 0.5
	cap_stop
}

scn_simultaneous-open() {
	# No listeners.  Drop incoming pure SYNs at both ends so that the first
	# SYNs do not meet; remove the rules before the 1 s retransmissions.
	nsx "$NS_C" iptables -A INPUT -p tcp --tcp-flags SYN,ACK,RST SYN -j DROP
	nsx "$NS_S" iptables -A INPUT -p tcp --tcp-flags SYN,ACK,RST SYN -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	"$PY" "$HELPER" simopen "/run/netns/$NS_C" "/run/netns/$NS_S" \
		"$WORK/simopen.mark" >"$WORK/simopen.log" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$WORK/simopen.mark" 5 || die "simopen helper did not start"
	sleep 0.5
	nsx "$NS_C" iptables -F INPUT
	nsx "$NS_S" iptables -F INPUT
	wait_pid "${BG_PIDS[-1]}" 8
	sleep 0.5
	cap_stop
}

scn_normal-close() {
	server "$NS_S" "$S4" 80 http-client-closes
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 http-client-closes
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_normal-close-v6() {
	server "$NS_S" "$S6" 80 http-server-closes
	cap_start "$IF_RC" "$CAPFILE"
	client "$S6" 80 http-server-closes
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

# ---- connection close and teardown

scn_close-four-way() {
	server "$NS_S" "$S4" 80 close-after-eof:0.2
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 http-client-closes
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_close-simultaneous() {
	# One process holds both ends and calls shutdown(SHUT_WR) on both back
	# to back.  Each FIN would still reach the other end before its own
	# FIN is sent (the packet crosses the three namespaces during the first
	# shutdown() call), so the first FIN in each direction is dropped at the
	# receiver; the retransmissions, sent by two timers armed together,
	# cross.
	nsx "$NS_C" iptables -A INPUT -p tcp --tcp-flags FIN FIN -j DROP
	nsx "$NS_S" iptables -A INPUT -p tcp --tcp-flags FIN FIN -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	"$PY" "$HELPER" simclose "/run/netns/$NS_C" "/run/netns/$NS_S" \
		"$WORK/simclose.mark" >"$WORK/simclose.log" 2>&1 &
	BG_PIDS+=($!)
	wait_file "$WORK/simclose.mark" 5 || die "simclose helper did not start"
	sleep 0.05
	# both rules removed together, well before the ~200 ms retransmission
	local p1 p2
	nsx "$NS_C" iptables -F INPUT &
	p1=$!
	nsx "$NS_S" iptables -F INPUT &
	p2=$!
	wait "$p1" "$p2"
	wait_pid "${BG_PIDS[-1]}" 6
	sleep 0.3
	cap_stop
}

scn_close-wait() {
	server "$NS_S" "$S4" 80 close-wait
	cap_start "$IF_RC" "$CAPFILE"
	pinger "$S4"
	sleep 0.3
	client "$S4" 80 http-client-closes
	sleep 3
	show_states "before the capture stops"
	cap_stop
	touch "$WORK/server-release.mark"     # only now the server closes
	wait_pid "${BG_PIDS[-1]}" 3
}

scn_fin-wait2-expired() {
	scn_sysctl "$NS_C" net.ipv4.tcp_fin_timeout 2
	server "$NS_S" "$S4" 80 shutdown-after-eof:4
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 http-client-closes
	sleep 1
	show_states "1 s after the client's close()"
	sleep 2
	show_states "3 s after the client's close()"
	wait_pid "${BG_PIDS[-1]}" 5
	sleep 0.5
	cap_stop
}

scn_fin-unacked() {
	scn_sysctl "$NS_C" net.ipv4.tcp_orphan_retries 2
	server "$NS_S" "$S4" 80 hold-then-abort
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 close-on-release
	wait_file "$WORK/client-got.mark" 5 || die "client got no response"
	sleep 0.2                         # the last ACKs of the exchange
	nsx "$NS_R" iptables -A FORWARD -s "$S4" -j DROP
	touch "$WORK/client-release.mark" # now the client closes
	wait_pid "${BG_PIDS[-1]}" 3
	wait_state_gone "$NS_C" fin-wait-1 12
	sleep 0.5
	cap_stop
	# The server aborts while the router still drops its packets, so that
	# nothing of this connection is left for the next scenario.
	touch "$WORK/server-release.mark"
	wait_pid "${BG_PIDS[-2]}" 3
}

scn_last-ack() {
	scn_sysctl "$NS_S" net.ipv4.tcp_orphan_retries 2
	server "$NS_S" "$S4" 80 last-ack
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: before the drop
	client "$S4" 80 http-client-closes
	wait_file "$WORK/server-eof.mark" 5 || die "server did not read EOF"
	nsx "$NS_R" iptables -A FORWARD -s "$C4" -j DROP
	sleep 0.2
	touch "$WORK/server-release.mark" # now the server closes
	wait_pid "${BG_PIDS[-1]}" 3
	wait_state_gone "$NS_S" last-ack 12
	sleep 0.5
	cap_stop
}

scn_abort-linger-client() {
	server "$NS_S" "$S4" 80 http-client-closes
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 linger-after-data
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_abort-unread-data() {
	server "$NS_S" "$S4" 80 close-unread
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 request-recv
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_rst-after-fin() {
	server "$NS_S" "$S4" 80 late-answer
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 request-close
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

# The fixed client ports differ per attempt, so that a retry does not meet
# the TIME_WAIT left by the first attempt.
scn_port-reuse-time-wait() {
	server "$NS_S" "$S4" 80 two-server-closes
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 "reuse-server-closes:$((40200 + 2 * (attempt - 1)))"
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_port-reuse-client-time-wait() {
	server "$NS_S" "$S4" 80 two-client-closes
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 "reuse-client-closes:$((40201 + 2 * (attempt - 1)))"
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_established-idle() {
	server "$NS_S" "$S4" 80 wait-eof
	cap_start "$IF_RC" "$CAPFILE"
	pinger "$S4"
	sleep 0.3
	client_bg "$S4" 80 idle-until-release
	wait_file "$WORK/client-got.mark" 5 || die "client got no response"
	sleep 2
	show_states "before the capture stops"
	cap_stop
	touch "$WORK/client-release.mark" # only now the client closes
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
}

# ---- forged/injected RSTs and related resets
# In the inject-* scenarios the RSTs are crafted by rst-injector.py (scapy)
# on the router; the connection they hit is real kernel traffic.

scn_inject-handshake-server() {
	server "$NS_S" "$S4" 80 hold
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: the server's view
	injector --trigger handshake-ack --toward server
	client "$S4" 80 head-after:0.3
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
}

scn_inject-request-client() {
	# A longer path to the server than to the router: the forged RST comes
	# from the router within a few ms, the server's answers ~80 ms later.
	if netem_on "$NS_R" "$IF_RS" 40ms; then
		netem_on "$NS_S" "$IF_S" 40ms ||
			log "  (netem only on the router side)"
	else
		log "  (netem not available here: no added delay)"
	fi
	server "$NS_S" "$S4" 80 answer-after:0.3
	cap_start "$IF_RC" "$CAPFILE"     # client-facing: the client's view
	injector --trigger request --toward client
	client "$S4" 80 request-recv
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
}

scn_inject-request-server-burst() {
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 keepalive
	cap_start "$IF_RS" "$CAPFILE"
	injector --trigger request --toward server --count 3 --seq-offset 5000
	client "$S4" 80 two-requests:0.3
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
	mib_show "$NS_S"
}

scn_inject-both-forged-ttl() {
	server "$NS_S" "$S4" 80 answer-after:0.3
	cap_start "$IF_RS" "$CAPFILE"
	injector --trigger request --toward both --ttl 63 --ipid random
	client "$S4" 80 request-recv
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
}

scn_middlebox-reject-reset() {
	server "$NS_S" "$S4" 80 hold
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$C4" --dport 80 \
		--tcp-flags PSH PSH -j REJECT --reject-with tcp-reset
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 request-recv
	sleep 0.5
	cap_stop
}

# The client's 500-byte segment is the only one with IP length 552
# (20 IP + 32 TCP with timestamps + 500).
LOST_BYTES=500
scn_challenge-ack() {
	mib_snap "$NS_S"
	mib_snap "$NS_C"
	server "$NS_S" "$S4" 80 http-client-closes
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$C4" --dport 80 \
		-m length --length $((20 + 32 + LOST_BYTES)) -j DROP
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: the drop is not seen
	client "$S4" 80 "abort-after-lost-data:$LOST_BYTES"
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
	mib_show "$NS_S"
	mib_show "$NS_C"
}

scn_abort-after-timeout() {
	server "$NS_S" "$S4" 80 hold
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 timeout-abort:1
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

# ---- capture-wide cases: floods, scans, leaks, churn, shutdowns

# Listener with backlog 8 (listen(8): at most 9 half-open connections,
# Linux counts "> backlog"); the server ns has tcp_synack_retries=2, so a
# half-open entry lives about 7 s (SYN-ACK at 0, 1 and 3 s).
scn_syn-flood-nocookies() {
	scn_sysctl "$NS_S" net.ipv4.tcp_syncookies 0
	flood_prepare
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 serve-many
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: the SYN-ACKs are dropped later
	syn_flood 16 200 u20000           # about 4 s
	sleep 0.5
	client "$S4" 80 http-client-closes   # SYNs at 0.5, 1.5, 3.5 s
	flood_wait
	sleep 0.3
	cap_stop
	mib_show "$NS_S"
	touch "$WORK/server-release.mark"
	wait_pid "${BG_PIDS[0]}" 3
}

scn_syn-flood-cookies() {
	scn_sysctl "$NS_S" net.ipv4.tcp_syncookies 1
	flood_prepare
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 serve-many
	cap_start "$IF_RS" "$CAPFILE"
	syn_flood 16 100 u20000           # about 2 s
	sleep 0.5
	client "$S4" 80 http-client-closes
	flood_wait
	sleep 0.7                         # the first SYN-ACKs' retransmission at 3 s
	cap_stop
	mib_show "$NS_S"
	touch "$WORK/server-release.mark"
	wait_pid "${BG_PIDS[0]}" 3
}

scn_syn-scan() {
	server "$NS_S" "$S4" 80 listen-only
	nsx "$NS_S" iptables -A INPUT -p tcp --dport 20:30 -j DROP
	cap_start "$IF_RC" "$CAPFILE"
	timeout 40 ip netns exec "$NS_C" nmap -sS -Pn -n -p 1-300 \
		--max-retries 1 -T4 "$S4" >"$WORK/nmap.log" 2>&1 &
	FG_PID=$!
	wait "$FG_PID" || log "  (nmap exited with status $?)"
	FG_PID=""
	grep -E '^(Not shown|PORT|[0-9]+/tcp|Nmap done)' "$WORK/nmap.log" |
		sed 's/^/    nmap: /'
	sleep 0.5
	cap_stop
}

scn_close-wait-leak() {
	server "$NS_S" "$S4" 80 leak-close-wait
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 many-close:20:0.05
	sleep 1
	count_states "before the capture stops"
	cap_stop
	touch "$WORK/server-release.mark"     # only now the server closes
	wait_pid "${BG_PIDS[-1]}" 3
}

# Every 5th connection binds the fixed port; a retry uses another one so
# that it does not meet the first try's TIME_WAIT.
scn_time-wait-churn() {
	server "$NS_S" "$S4" 80 serve-many
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 "churn:30:$((40300 + attempt - 1)):5"
	sleep 0.3
	count_states "before the capture stops"
	cap_stop
	touch "$WORK/server-release.mark"
	wait_pid "${BG_PIDS[-1]}" 3
}

# server_shutdown_setup HOW: start the server that holds its 10 answered
# connections (HOW fin or rst: SO_LINGER {1,0} on each); SRV_PID is its pid.
# server_shutdown_clients: start the 10 clients; returns once all are idle.
SRV_PID=""
server_shutdown_setup() {
	server "$NS_S" "$S4" 80 "hold-many:10:$1"
	SRV_PID=${BG_PIDS[-1]}
}
server_shutdown_clients() {
	client_bg "$S4" 80 idle-many:10
	wait_file "$WORK/server-held.mark" 5 || die "server did not get its 10 connections"
	wait_file "$WORK/client-got.mark" 5 || die "clients got no responses"
	sleep 0.3                         # idle: the last ACKs are out
}

# kill_server: SIGKILL the server (bash's "Killed" job message is not
# wanted in the output).
kill_server() {
	{
		kill -KILL "$SRV_PID"
		wait_pid "$SRV_PID" 2
	} 2>/dev/null
	echo "    server: killed (SIGKILL) with 10 idle connections"
}

scn_server-shutdown-fin-wait1() {
	scn_sysctl "$NS_S" net.ipv4.tcp_orphan_retries 2
	mib_snap "$NS_S"
	server_shutdown_setup fin
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: before the drop
	server_shutdown_clients
	nsx "$NS_R" iptables -A FORWARD -s "$C4" -d "$S4" -j DROP
	kill_server                       # the kernel closes its sockets: FINs
	sleep 0.5
	count_states "0.5 s after the kill"
	wait_state_gone "$NS_S" fin-wait-1 12
	sleep 0.5
	cap_stop
	mib_show "$NS_S"
	# The clients abort (SO_LINGER {1,0}) while the router still drops
	# their packets.
	touch "$WORK/client-release.mark"
	wait_pid "${BG_PIDS[-1]}" 3
}

scn_server-shutdown-resets() {
	server_shutdown_setup rst
	cap_start "$IF_RC" "$CAPFILE"
	server_shutdown_clients
	kill_server                       # SO_LINGER {1,0} on each: RSTs
	sleep 0.5
	cap_stop
	touch "$WORK/client-release.mark"
	wait_pid "${BG_PIDS[-1]}" 3
}

# ---- after the handshake: a firewall forgets an idle connection; zero
# windows

# conntrack_fw [reject]: the router as a stateful firewall.  FORWARD:
# ESTABLISHED,RELATED and new SYNs accepted, everything else dropped (with
# "reject": packets conntrack calls INVALID are answered with a TCP reset
# first).  Established entries expire after 4 s without a packet, and
# tcp_loose=0 keeps conntrack from taking up a connection again from a
# mid-stream packet (without a SYN no new entry: INVALID).  Conntrack and
# its sysctls are per network namespace (they exist in every namespace
# here; conntrack only tracks once a rule uses it).
# conntrack_fw [reject] TIMEOUT: a stateful firewall on the router whose
# established entries expire after TIMEOUT seconds idle.
conntrack_fw() {
	nsx "$NS_R" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
	nsx "$NS_R" iptables -A FORWARD -p tcp --syn -m conntrack --ctstate NEW -j ACCEPT
	local timeout=${2:-4}
	if [[ ${1:-} == reject ]]; then
		nsx "$NS_R" iptables -A FORWARD -p tcp -m conntrack --ctstate INVALID \
			-j REJECT --reject-with tcp-reset
	fi
	nsx "$NS_R" iptables -A FORWARD -j DROP
	nsx "$NS_R" test -e /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established ||
		die "no nf_conntrack sysctls in the router namespace"
	scn_sysctl "$NS_R" net.netfilter.nf_conntrack_tcp_timeout_established "$timeout"
	scn_sysctl "$NS_R" net.netfilter.nf_conntrack_tcp_loose 0
}

# ct_show WHEN: the router's conntrack entries for port 80 (the expired
# ones are not listed).
ct_show() {
	local lines
	lines=$(nsx "$NS_R" cat /proc/net/nf_conntrack 2>/dev/null |
		awk '/ dport=80 / {
			sp = ""; as = ""
			for (i = 1; i <= NF; i++) {
				if (sp == "" && $i ~ /^sport=/) sp = substr($i, 7)
				if ($i == "[ASSURED]") as = " ASSURED"
			}
			printf "%s%s from port %s, %s s left; ", $6, as, sp, $5
		}') || true
	echo "    router conntrack $1: ${lines:-none}"
}

# ct_invalid: how many packets the router's conntrack has called INVALID
# so far (column "invalid" of /proc/net/stat/nf_conntrack, one hex row per
# CPU; counted per namespace).
ct_invalid() {
	local -a f
	local i c=0 n=0 first=1
	while read -r -a f; do
		if ((first)); then
			first=0
			for i in "${!f[@]}"; do
				[[ ${f[i]} == invalid ]] && c=$i
			done
			continue
		fi
		((c)) && n=$((n + 16#${f[c]}))
	done < <(nsx "$NS_R" cat /proc/net/stat/nf_conntrack 2>/dev/null)
	echo "$n"
}

# idle_timeout_run: the client makes one request, stays idle 6 s (longer
# than the router's 4 s conntrack timeout) and sends a second one;
# TCP_USER_TIMEOUT 4000 ms on its socket.
# idle_timeout_run IDLE: the client idles IDLE seconds (longer than the
# conntrack timeout conntrack_fw set) before its second request.
idle_timeout_run() {
	local idle=$1 inv0
	mib_snap "$NS_C"
	inv0=$(ct_invalid)
	server "$NS_S" "$S4" 80 keepalive-until-release
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 "idle-then-request:$idle:4000"
	wait_file "$WORK/client-got.mark" 5 || die "client got no response"
	sleep 0.5
	ct_show "0.5 s after the first response"
	sleep "$((idle - 1))"
	ct_show "$((idle - 1)).5 s after the first response"
	wait_pid "${BG_PIDS[-1]}" 8
	sleep 0.5
	cap_stop
	echo "    router conntrack: $(($(ct_invalid) - inv0)) packet(s) INVALID during the scenario"
	mib_show "$NS_C"
	touch "$WORK/server-release.mark"
	wait_pid "${BG_PIDS[0]}" 3
}

# Dropped: 32 s idle against a 30 s timeout (tcpdiag calls a cut without a
# reset an idle timeout only after 30 s of silence: real NAT and firewall
# timeouts are minutes, and a shorter silence fits a dead peer as well).
scn_idle-timeout-drop() {
	conntrack_fw drop 30
	idle_timeout_run 32
}

# Rejected: the router's own reset proves the device; 6 s against 4 s.
scn_idle-timeout-reset() {
	conntrack_fw reject 4
	idle_timeout_run 6
}

# The server reads the POST header, then nothing for SECS seconds; small
# buffers on both ends keep the capture short.
ZW_TOTAL=200000
scn_zero-window-recovered() {
	mib_snap "$NS_C"
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 stall-read:5:4096
	cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 "bulk-send:$ZW_TOTAL:4096"
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
	mib_show "$NS_C"
	mib_show "$NS_S"
}

# The probes come at about 0.27, 0.7, 1.6, 3.3 and 6.7 s; the capture
# stops at 7.5 s, well before the next one (about 13.5 s).
scn_zero-window-stalled() {
	mib_snap "$NS_C"
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 stall-read:30:4096
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 "bulk-send:$ZW_TOTAL:4096"
	sleep 7.5
	cap_stop
	mib_show "$NS_C"
	mib_show "$NS_S"
	# the server is ended first: its close() with unread data resets the
	# client, whose sendall() is still blocked
	kill "${BG_PIDS[-2]}" 2>/dev/null || true
	wait_pid "${BG_PIDS[-2]}" 2
	echo "    server: killed (SIGTERM) while not reading, after the capture"
	wait_pid "${BG_PIDS[-1]}" 3
}

# ---- a full accept queue

# path_delay MS: delay every packet between the client and the server's
# port 80 by MS milliseconds each way, in the router (NFQUEUE 0 and
# capture-helper.py nfqdelay; this kernel has no netem).  The packets are
# only held, not changed.  path_delay_off: remove the rules, then end the
# delayer (it lets go of what it holds).
DELAY_PID=""
path_delay() {
	ip netns exec "$NS_R" "$PY" "$HELPER" nfqdelay 0 "$1" "$WORK/nfqdelay.ready" \
		>>"$WORK/nfqdelay.log" 2>&1 &
	DELAY_PID=$!
	BG_PIDS+=($!)
	wait_file "$WORK/nfqdelay.ready" 5 || {
		cat "$WORK/nfqdelay.log" >&2
		die "nfqdelay did not start"
	}
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$C4" -d "$S4" --dport 80 \
		-j NFQUEUE --queue-num 0 --queue-bypass
	nsx "$NS_R" iptables -A FORWARD -p tcp -s "$S4" -d "$C4" --sport 80 \
		-j NFQUEUE --queue-num 0 --queue-bypass
	log "  path delay $1 ms each way (NFQUEUE in the router ns)"
}
path_delay_off() {
	nsx "$NS_R" iptables -F FORWARD
	[[ -n $DELAY_PID ]] || return 0
	kill -TERM "$DELAY_PID" 2>/dev/null || true
	wait_pid "$DELAY_PID" 3
	DELAY_PID=""
}

# listener_queue WHEN: the listener's accept queue (ss: Recv-Q is the
# number of connections waiting for accept(), Send-Q the backlog).
listener_queue() {
	nsx "$NS_S" ss -Hltn "sport = :80" |
		awk -v when="$1" '{ printf "    listener %s: %d connection(s) in the accept queue, backlog %d\n", when, $2, $3 }'
}

# The server listens with backlog 1 (Linux keeps up to 2 connections in
# the accept queue) and calls accept() only 2 s after the first connection
# was queued, then once a second.  Six clients start connect() 70 ms apart
# over a path of 50 ms each way: the third one's SYN arrives while the
# queue still has room, its ACK after the second connection has filled it.
ACCEPTQ_DELAY_MS=50
ACCEPTQ_SERVER=slow-accept:1:2:1
ACCEPTQ_CLIENTS=staggered:6:0.07:8
acceptq_run() {
	local srv
	mib_snap "$NS_S"
	mib_snap "$NS_C"
	path_delay "$ACCEPTQ_DELAY_MS"
	server "$NS_S" "$S4" 80 "$ACCEPTQ_SERVER"
	srv=${BG_PIDS[-1]}
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: the drops are at the server
	client_bg "$S4" 80 "$ACCEPTQ_CLIENTS"
	sleep 1.5
	listener_queue "1.5 s after the first connect()"
	wait_pid "${BG_PIDS[-1]}" 20
	sleep 0.5
	cap_stop
	path_delay_off
	mib_show "$NS_S"
	mib_show "$NS_C"
	touch "$WORK/server-release.mark"
	wait_pid "$srv" 3
}

scn_accept-queue-full() {
	scn_sysctl "$NS_S" net.ipv4.tcp_abort_on_overflow 0    # the default
	acceptq_run
}

scn_accept-queue-abort() {
	scn_sysctl "$NS_S" net.ipv4.tcp_abort_on_overflow 1
	acceptq_run
}

# ---- after the handshake: a peer that disappears, keepalive
# The path is cut on the router (FORWARD DROP, both ways) after the
# connection has carried data; the sending kernel retransmits (or probes)
# until it gives up.  The other end is aborted only after cap_stop, while
# the router still drops, so nothing of the connection is left afterwards.

MIB_KEYS+='|TcpExtTCPKeepAlive|TcpExtTCPLossProbes|TcpExtTCPTimeouts'

# cut_path: from now on the router drops everything between client and
# server, both ways.
cut_path() {
	nsx "$NS_R" iptables -A FORWARD -s "$C4" -d "$S4" -j DROP
	nsx "$NS_R" iptables -A FORWARD -s "$S4" -d "$C4" -j DROP
	echo "    router: path cut (FORWARD DROP both ways)"
}

# dead_peer_client MODE: the client scenarios: one keep-alive request and
# response, the path is cut 0.2 s later, then the client (MODE) goes on;
# the capture stops 2 s after the client has ended.
dead_peer_client() {
	server "$NS_S" "$S4" 80 keepalive-hold
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 "$1"
	wait_file "$WORK/client-got.mark" 5 || die "client got no response"
	sleep 0.2                         # the ACK of the response is out
	cut_path
	touch "$WORK/client-release.mark"
	wait_pid "${BG_PIDS[-1]}" 15
	sleep 2
	cap_stop
	touch "$WORK/server-release.mark" # the server aborts; its RST is dropped
	wait_pid "${BG_PIDS[-2]}" 3
}

scn_dead-peer-user-timeout() {
	mib_snap "$NS_C"
	dead_peer_client second-request:4000
	mib_show "$NS_C"
}

scn_dead-peer-retries2() {
	scn_sysctl "$NS_C" net.ipv4.tcp_retries2 3
	mib_snap "$NS_C"
	dead_peer_client second-request
	mib_show "$NS_C"
}

scn_dead-peer-server-data() {
	mib_snap "$NS_S"
	server "$NS_S" "$S4" 80 answer-on-release:4000
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: the server's view
	client_bg "$S4" 80 request-wait:7
	wait_file "$WORK/server-got.mark" 5 || die "server got no request"
	sleep 0.2                         # the ACK of the request is out
	cut_path
	touch "$WORK/server-release.mark" # now the server answers
	wait_pid "${BG_PIDS[-2]}" 15
	sleep 2
	cap_stop
	mib_show "$NS_S"
	touch "$WORK/client-release.mark" # the client aborts; its RST is dropped
	wait_pid "${BG_PIDS[-1]}" 8
}

scn_keepalive-dead-peer() {
	mib_snap "$NS_C"
	dead_peer_client keepalive-idle:1:1:3:10
	mib_show "$NS_C"
}

scn_keepalive-answered() {
	mib_snap "$NS_C"
	server "$NS_S" "$S4" 80 keepalive-hold
	cap_start "$IF_RC" "$CAPFILE"
	client_bg "$S4" 80 keepalive-idle:1:1:3:3.5
	wait_pid "${BG_PIDS[-1]}" 8
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
	mib_show "$NS_C"
}

# ---- path MTU
# The router's client-facing link is smaller (MTU 1280 on rtr-cli only,
# for the scenario); the endpoints keep 1500, so both advertise MSS 1460
# (IPv6: 1440) and the server sends full-size DF segments, which the
# router cannot forward.  It answers each with ICMP fragmentation needed /
# ICMPv6 packet too big (mtu 1280) toward the server; the blackhole
# scenarios drop that ICMP in the router's OUTPUT chain (the router makes
# it itself, so it never passes FORWARD).  The response (8000 bytes: five
# full-size segments and a small last one that fits the small link) is
# sent in one send() after a small request.  Captures on rtr-srv, where
# the big segments and the ICMP toward the server are seen.
PMTU_SMALL=1280
PMTU_SIZE=8000
PMTU_UTO=3000                      # ms, TCP_USER_TIMEOUT of the blackholes
PMTU_MIB='TcpRetransSegs|TcpExtTCPTimeouts|TcpExtTCPLossProbes|TcpExtTCPAbortOnTimeout|TcpExtTCPSackRecovery|TcpExtTCPSACKReorder|TcpExtTCPLostRetransmit|TcpExtTCPDSACKRecv|TcpExtTCPDSACKOldSent|TcpExtTCPSACKDiscard|IcmpInDestUnreachs|IcmpOutDestUnreachs|Icmp6InPktTooBigs|Icmp6OutPktTooBigs|IpFragFails|Ip6FragFails|Ip6InTooBigErrors|TcpExtTCPOFOQueue|TcpExtTCPSackShifted|TcpExtTCPSackMerged'

# pmtu_run ADDR BLACKHOLE(0/1): the common part of the four scenarios.
pmtu_run() {
	local addr=$1 blackhole=$2 mode="big-response:$PMTU_SIZE" srv cli
	local MIB_KEYS=$PMTU_MIB           # the counters of these scenarios
	pmtu_flush
	# the default (also for IPv6): no blackhole detection by the server
	scn_sysctl "$NS_S" net.ipv4.tcp_mtu_probing 0
	scn_mtu "$NS_R" "$IF_RC" "$PMTU_SMALL"
	if [[ $blackhole -eq 1 ]]; then
		mode+=":$PMTU_UTO"
		if [[ $addr == *:* ]]; then
			nsx "$NS_R" ip6tables -A OUTPUT -p icmpv6 \
				--icmpv6-type packet-too-big -j DROP
		else
			nsx "$NS_R" iptables -A OUTPUT -p icmp \
				--icmp-type fragmentation-needed -j DROP
		fi
	fi
	mib_snap "$NS_S"
	mib_snap "$NS_R"
	mib_snap "$NS_C"
	show_pmtu "before"
	server "$NS_S" "$addr" 80 "$mode"
	srv=${BG_PIDS[-1]}
	cap_start "$IF_RS" "$CAPFILE"     # server-facing: big segments, ICMP
	if [[ $blackhole -eq 1 ]]; then
		# small packets get through: pings (84 bytes, 104 over IPv6)
		# all along, and they mark how long the capture went on after
		# the last retransmission
		pinger "$addr"
		sleep 0.3
	fi
	client_bg "$addr" 80 "big-response:$PMTU_SIZE"
	cli=${BG_PIDS[-1]}
	# the server reads EOF (transfer done) or gives up (TCP_USER_TIMEOUT)
	wait_pid "$srv" 8
	sleep 0.5
	cap_stop
	show_pmtu "after"
	mib_show "$NS_S"
	mib_show "$NS_R"
	mib_show "$NS_C"
	# the blackholed client still waits: released only now, its close()
	# is not in the capture
	touch "$WORK/client-release.mark"
	wait_pid "$cli" 3
}

scn_pmtu-blackhole() {
	pmtu_run "$S4" 1
}

scn_pmtu-blackhole-v6() {
	pmtu_run "$S6" 1
}

scn_pmtu-icmp() {
	pmtu_run "$S4" 0
}

scn_pmtu-icmp-v6() {
	pmtu_run "$S6" 0
}

# ---- one direction only: a one-way tap or asymmetric routing, made by a
# capture filter that keeps one direction of the router's client-facing
# interface (the connections themselves are ordinary)

scn_one-way-client() {
	# two connections, the second closed by the server
	server "$NS_S" "$S4" 80 http-client-closes
	server "$NS_S" "$S4" 8080 http-server-closes
	CAP_FILTER="tcp and src host $C4" cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 http-client-closes
	client "$S4" 8080 http-server-closes
	wait_pid "${BG_PIDS[-1]}" 3
	wait_pid "${BG_PIDS[-2]}" 3
	sleep 0.5
	cap_stop
}

scn_one-way-server() {
	server "$NS_S" "$S4" 80 http-client-closes
	CAP_FILTER="tcp and src host $S4" cap_start "$IF_RC" "$CAPFILE"
	client "$S4" 80 http-client-closes
	wait_pid "${BG_PIDS[-1]}" 3
	sleep 0.5
	cap_stop
}

scn_one-way-midstream() {
	server "$NS_S" "$S4" 80 echo
	client_bg "$S4" 80 echo-3s        # one line per 0.2 s for ~3 s, then FIN
	sleep 1                           # capture starts ~1 s after the handshake
	CAP_FILTER="tcp and src host $C4" cap_start "$IF_RC" "$CAPFILE"
	wait_pid "${BG_PIDS[-1]}" 6
	wait_pid "${BG_PIDS[-2]}" 2
	sleep 0.5
	cap_stop
}

# ---- forged RSTs that race the real answer
# rst-injector.py sends at once; the path between client and server is
# 30 ms longer each way (path_delay), so the real server's answer comes
# 60 ms after the trigger, well after the forged RST.  Captured on the
# client-facing side.
RACE_DELAY_MS=30

scn_inject-race-synack() {
	local srv inj
	mib_snap "$NS_C"
	mib_snap "$NS_S"
	path_delay "$RACE_DELAY_MS"
	cap_start "$IF_RC" "$CAPFILE"
	injector --trigger syn --toward client
	inj=${BG_PIDS[-1]}
	server "$NS_S" "$S4" 80 accept-for:1
	srv=${BG_PIDS[-1]}
	client "$S4" 80 connect-only
	wait_pid "$inj" 3
	wait_pid "$srv" 3
	sleep 0.5
	cap_stop
	path_delay_off
	mib_show "$NS_C"
	mib_show "$NS_S"
}

# race_request FLAGS: the GET triggers a forged server RST (flags FLAGS,
# exact seq, IP-ID copied from the GET) toward the client.
race_request() {
	local flags=$1 srv inj
	mib_snap "$NS_C"
	mib_snap "$NS_S"
	path_delay "$RACE_DELAY_MS"
	cap_start "$IF_RC" "$CAPFILE"
	injector --trigger request --toward client --ipid copy-trigger \
		--flags "$flags"
	inj=${BG_PIDS[-1]}
	server "$NS_S" "$S4" 80 answer-after:0
	srv=${BG_PIDS[-1]}
	client "$S4" 80 request-timed
	wait_pid "$inj" 3
	wait_pid "$srv" 3
	sleep 0.5
	cap_stop
	path_delay_off
	mib_show "$NS_C"
	mib_show "$NS_S"
}

scn_inject-race-response() {
	race_request RA
}

scn_inject-race-odd-flags() {
	race_request RPA
}

# ------------------------------------------------------------ checks
# check NAME "TOKENS": does the packet sequence show the scenario's case?
# Tokens are WHO:FLAGS (see capture-helper.py summarize).

# Request/response part shared by the connection-close scenarios:
# handshake, GET, optional pure ACK, response,
# optional pure ACK.
RQ='C:S S:SA C:A C:PA (S:A )?S:PA (C:A )?'

# tok_counts SEQ: TC[TOKEN] = how often TOKEN occurs in SEQ (0 for the
# tokens the checks ask for); TC[other] counts the tokens of none of these.
declare -A TC
tok_counts() {
	local n t
	TC=()
	for t in X:S S:SA S:RA S:A S:PA S:FA C:S C:A C:PA C:FA C:R; do
		TC[$t]=0
	done
	TC[other]=0
	while read -r n t; do
		[[ -n $t ]] || continue
		if [[ -v TC[$t] && $t != other ]]; then
			TC[$t]=$n
		else
			TC[other]=$((TC[other] + n))
		fi
	done < <(tr ' ' '\n' <<<"$1" | sort | uniq -c)
}

# acceptq_streams FILE: one line per TCP stream of FILE: stream number,
# the client's SYNs, the server's SYN-ACKs, the client's and the server's
# segments with data, the server's RSTs.
acceptq_streams() {
	tshark -n -r "$1" -T fields -E separator='|' -e tcp.stream -e ip.src \
		-e tcp.flags.str -e tcp.len 2>/dev/null |
		awk -F'|' -v c="$C4" '
			{ s = $1; seen[s] = 1; cli = ($2 == c)
			  if (cli && index($3, "S") && !index($3, "A")) syn[s]++
			  if (!cli && index($3, "S") && index($3, "A")) sa[s]++
			  if (!cli && index($3, "R")) rst[s]++
			  if ($4 > 0) { if (cli) cd[s]++; else sd[s]++ } }
			END { for (s in seen)
				printf "%d %d %d %d %d %d\n", s, syn[s], sa[s], cd[s], sd[s], rst[s] }' |
		sort -n
}

# keepalive_counts: KA_PROBES = keep-alives from the client, KA_ACKS =
# keep-alive ACKs from the server in $CAPFILE, as Wireshark marks them
# (tcp.analysis.keep_alive: no payload or 1 byte at one below the next
# expected sequence number; one tshark run).
KA_PROBES=0 KA_ACKS=0
keepalive_counts() {
	read -r KA_PROBES KA_ACKS < <(tshark -n -r "$CAPFILE" \
		-Y "tcp.analysis.keep_alive || tcp.analysis.keep_alive_ack" \
		-T fields -e ip.src -e tcp.analysis.keep_alive \
		-e tcp.analysis.keep_alive_ack 2>/dev/null |
		awk -F '\t' -v c="$C4" -v s="$S4" '
			$1 == c && $2 != "" { p++ }
			$1 == s && $3 != "" { a++ }
			END { print p + 0, a + 0 }')
}

# pmtu_facts FILE: key=value facts of a path-MTU capture for check():
# fam (4 or 6: the first packet), icmp (ICMP frag needed / ICMPv6 packet
# too big), mtus (the MTUs they carry), big (server segments too large for
# the small link: IPv4 total length, or IPv6 payload length + 40, above
# PMTU_SMALL), big_after (such segments after the last ICMP), small (server
# data segments that fit), sack (client ACKs with SACK blocks), cack (the
# highest relative ack of the client).
pmtu_facts() {
	tshark -n -r "$1" -T fields -E separator=/t -e ip.src -e ipv6.src \
		-e ip.len -e ipv6.plen -e tcp.len -e tcp.ack -e icmp.type \
		-e icmpv6.type -e icmp.mtu -e icmpv6.mtu -e tcp.options.sack_le \
		2>/dev/null | awk -F'\t' -v s4="$S4" -v s6="$S6" -v c4="$C4" -v c6="$C6" \
		-v small_mtu="$PMTU_SMALL" '
		function first(v) { sub(/,.*/, "", v); return v }
		{
			src = first($1 $2)
			if (fam == "") fam = $1 != "" ? 4 : 6
			len = $3 != "" ? first($3) : first($4) + 40
			if ($7 == "3" || $8 == "2") {
				icmp++; big_after = 0
				mtus = mtus (mtus == "" ? "" : ",") first($9 $10)
				next
			}
			if (src == s4 || src == s6) {
				if (len > small_mtu) { big++; big_after++ }
				else if ($5 > 0) small++
			} else if (src == c4 || src == c6) {
				if ($11 != "") sack++
				if ($6 + 0 > cack) cack = $6 + 0
			}
		}
		END { printf "fam=%s icmp=%d mtus=%s big=%d big_after=%d small=%d sack=%d cack=%d\n",
			fam, icmp, mtus, big, big_after, small, sack, cack }'
}

check() {
	local seq=" $2 " re
	case "$1" in
	syn-dropped-server|syn-dropped-router-v6)
		[[ $seq == " C:S C:S C:S " ]] ;;
	syn-pending)
		[[ $seq == " C:S " ]] ;;
	refused-no-listener|refused-reject-tcp-reset-v6)
		[[ $seq == " C:S S:RA " ]] ;;
	icmp-port-unreachable)
		[[ $seq == " C:S S:ICMP3/3 " ]] ;;
	icmp-unreachable-router)
		[[ $seq == " C:S R:ICMP3/0 C:S R:ICMP3/1 C:S R:ICMP3/13 C:S R:ICMP3/3 " ]] ;;
	icmp6-admin-prohibited-router)
		[[ $seq == " C:S R:ICMP6-1/1 " ]] ;;
	synack-unanswered)
		[[ $seq =~ ^\ C:S\ S:SA\ ((C:S|S:SA)\ )+$ ]] ;;
	reset-after-handshake-client)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:RA?\ $ ]] ;;
	reset-after-handshake-server)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ S:RA?\ $ ]] ;;
	client-aborted)
		[[ $seq =~ ^\ C:S\ (C:S\ )*S:SA\ C:R\ $ ]] ;;
	midstream)
		[[ $seq != *:S* && $seq =~ ^\ [CS]:P?A\ .*C:F.*S:F.*\ C:A\ $ ]] ;;
	simultaneous-open)
		[[ $seq == *" C:S "* && $seq == *" S:S "* &&
			$seq == *" C:SA "* && $seq == *" S:SA "* &&
			$seq =~ C:FP?A.*S:FP?A ]] ;;
	normal-close)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ .*S:F?PA\ .*C:FA\ .*S:FA\ C:A\ $ ]] ;;
	normal-close-v6)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ .*S:F?PA\ .*C:FA\ S:A\ $ ]] ;;
	close-four-way)
		re="^ ${RQ}C:FA S:A S:FA C:A $"
		[[ $seq =~ $re ]] ;;
	close-simultaneous)
		# both FINs (first ones and retransmissions) before any ACK of a
		# FIN, then one ACK from each side
		re="^ ${RQ}((C:FA |S:FA )+)(C:A S:A|S:A C:A) $"
		[[ $seq =~ $re ]] &&
			[[ ${BASH_REMATCH[3]} == *C:FA* && ${BASH_REMATCH[3]} == *S:FA* ]] ;;
	close-wait)
		re="^ ${RQ}C:FA S:A $"
		[[ $seq =~ $re ]] ;;
	fin-wait2-expired)
		re="^ ${RQ}C:FA S:A S:FA C:R $"
		[[ $seq =~ $re ]] ;;
	fin-unacked)
		re="^ ${RQ}C:FA (C:FA )+$"
		[[ $seq =~ $re ]] ;;
	last-ack)
		re="^ ${RQ}C:FA S:A S:FA (S:FA )+$"
		[[ $seq =~ $re ]] ;;
	abort-linger-client)
		re="^ ${RQ}C:RA $"
		[[ $seq =~ $re ]] ;;
	abort-unread-data)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ (S:A\ )?S:RA\ $ ]] ;;
	rst-after-fin)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ (S:A\ )?C:FA\ (S:A\ )*S:PA\ C:R\ $ ]] ;;
	port-reuse-time-wait)
		# two connections, the server closes first in each
		re="C:S S:SA C:A C:PA (S:A )?S:F?PA (C:A )?(S:FA )?C:FA S:A "
		re="^ $re$re$"
		[[ $seq =~ $re ]] ;;
	port-reuse-client-time-wait)
		# two connections, the client closes first in each
		re="${RQ}C:FA S:FA C:A "
		re="^ $re$re$"
		[[ $seq =~ $re ]] ;;
	established-idle)
		re="^ ${RQ}$"
		[[ $seq =~ $re ]] ;;
	inject-handshake-server)
		# the forged C:RA right after the handshake ACK; the request
		# 0.3 s later meets no socket at the server
		[[ $seq == " C:S S:SA C:A C:RA C:PA S:R " ]] ;;
	inject-request-client)
		# without a longer server path: the server's ACK, the forged
		# S:RA, the server's late answer and the client kernel's RST;
		# with netem (40 ms each way) the forged RST overtakes the
		# server's ACK, which the client kernel answers with RST
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ (S:A\ S:RA\ S:PA\ C:R|S:RA\ S:A\ C:R)\ $ ]] ;;
	inject-request-server-burst)
		# the connection survives: three forged C:RA, at least one
		# server ACK after the first of them (challenge ACK), then a
		# second request/response and FINs.  The first response and
		# the RSTs come in either order (the RSTs follow the request
		# by 1-3 ms, the response usually by 0.1 ms).
		re="^ C:S S:SA C:A C:PA ((S:A |S:PA |C:A |C:RA )+)"
		re+="C:PA (S:A )?S:PA (C:A )?C:FA (S:A )?S:FA C:A $"
		[[ $seq =~ $re ]] || return 1
		re=" ${BASH_REMATCH[1]}"
		[[ $(grep -o 'C:RA' <<<"$re" | wc -l) -eq 3 &&
			$(grep -o 'S:PA' <<<"$re" | wc -l) -eq 1 &&
			" ${re#* C:RA }" == *" S:A "* ]] ;;
	inject-both-forged-ttl)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ (S:A\ )?C:RA\ $ ]] ;;
	middlebox-reject-reset)
		[[ $seq == " C:S S:SA C:A C:PA S:R " ]] ;;
	challenge-ack)
		# the client's RST (beyond the lost segment), the server's
		# challenge ACK, the client kernel's RST at the acked sequence
		re="^ ${RQ}C:RA S:A C:R $"
		[[ $seq =~ $re ]] ;;
	abort-after-timeout)
		[[ $seq == " C:S S:SA C:A C:PA S:A C:RA " ]] ;;
	syn-flood-nocookies)
		# 16 x 200 SYNs from X; only the first 9 get a half-open entry
		# and SYN-ACKs (at 0, 1 and 3 s); the client's three SYNs are
		# not answered
		tok_counts "$2"
		[[ ${TC[X:S]} -ge 3000 && ${TC[S:SA]} -ge 9 && ${TC[S:SA]} -le 40 &&
			${TC[C:S]} -eq 3 && ${TC[other]} -eq 0 ]] ;;
	syn-flood-cookies)
		# every SYN answered (cookies after the first 9), only the first
		# 9 SYN-ACKs retransmitted; the client gets in
		tok_counts "$2"
		[[ ${TC[X:S]} -ge 1500 && ${TC[S:SA]} -ge $((${TC[X:S]} + 1 + 9)) &&
			${TC[S:SA]} -le $((${TC[X:S]} + 1 + 30)) && ${TC[C:S]} -eq 1 &&
			${TC[C:PA]} -eq 1 && ${TC[S:PA]} -ge 1 && ${TC[C:FA]} -eq 1 ]] ;;
	syn-scan)
		# 300 ports: RST from the closed ones, SYN-ACK (then the client
		# kernel's RST) from 80, two SYNs each and nothing back from the
		# 11 dropped ones
		tok_counts "$2"
		[[ ${TC[C:S]} -ge 311 && ${TC[C:S]} -le 330 &&
			${TC[S:RA]} -ge 280 && ${TC[S:RA]} -le 290 &&
			${TC[S:SA]} -ge 1 && ${TC[C:R]} -ge 1 && ${TC[C:A]} -eq 0 ]] ;;
	close-wait-leak)
		# 20 connections, each closed by the client only
		tok_counts "$2"
		[[ ${TC[C:S]} -eq 20 && ${TC[S:SA]} -eq 20 && ${TC[S:PA]} -eq 20 &&
			${TC[C:FA]} -eq 20 && ${TC[S:A]} -ge 20 && $seq != *S:F* &&
			$seq != *:R* ]] ;;
	time-wait-churn)
		# 30 connections, each closed by the client first; six SYNs
		# from the fixed port
		tok_counts "$2"
		[[ ${TC[C:S]} -eq 30 && ${TC[S:SA]} -eq 30 && ${TC[C:FA]} -eq 30 &&
			${TC[S:FA]} -eq 30 && $seq != *:R* ]] || return 1
		[[ $(tshark -n -r "$CAPFILE" -Y "tcp.flags == 0x002 && tcp.srcport == $((40300 + attempt - 1))" 2>/dev/null |
			wc -l) -eq 6 ]] ;;
	server-shutdown-fin-wait1)
		# ten connections with data, then only the server's FINs and
		# their retransmissions
		re="^ ((C:S|S:SA|C:A|C:PA|S:A|S:PA) )+((S:FA )+)$"
		[[ $seq =~ $re ]] || return 1
		tok_counts "$2"
		[[ ${TC[C:S]} -eq 10 && ${TC[S:PA]} -eq 10 && ${TC[S:FA]} -ge 20 ]] ;;
	server-shutdown-resets)
		re="^ ((C:S|S:SA|C:A|C:PA|S:A|S:PA) )+(S:RA ){10}$"
		[[ $seq =~ $re ]] || return 1
		tok_counts "$2"
		[[ ${TC[C:S]} -eq 10 && ${TC[S:PA]} -eq 10 ]] ;;
	idle-timeout-drop)
		# one request/response, then the second request and its
		# retransmissions, nothing from the server
		re="^ ${RQ}C:PA (C:PA ){3,8}$"
		[[ $seq =~ $re ]] ;;
	idle-timeout-reset)
		# the second request is answered by the router's RST (no ACK
		# flag, seq = the request's ack)
		re="^ ${RQ}C:PA S:R $"
		[[ $seq =~ $re ]] ;;
	zero-window-recovered)
		# handshake, the window closes (zero-window ACKs from the
		# server, probes from the client), then opens again; all data
		# acknowledged, response, graceful close
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\  && $seq != *:R* &&
			$seq =~ \ S:PA\ (C:A\ )?C:FA\ (S:A\ )?S:FA\ C:A\ $ ]] || return 1
		zw_counts
		[[ ${ZW[zero]} -ge 3 && ${ZW[probes]} -ge 3 && ${ZW[probes]} -le 6 &&
			${ZW[reopened]} -eq 1 && ${ZW[acked]} -ge $ZW_TOTAL ]] ;;
	zero-window-stalled)
		# the window closes and stays closed until the capture ends:
		# probes and zero-window ACKs only after the first few segments
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\  && $seq != *:R* && $seq != *F* ]] || return 1
		zw_counts
		[[ ${ZW[zero]} -ge 4 && ${ZW[probes]} -ge 4 && ${ZW[probes]} -le 6 &&
			${ZW[reopened]} -eq 0 && ${ZW[after_probe]} -eq 0 ]] ;;
	accept-queue-full)
		# six connections, none reset: two ordinary ones (answered
		# late); one whose request was sent 2+ times and whose SYN-ACK
		# was retransmitted before the server took it; one that got in
		# after dropped SYNs; one with three SYNs and no SYN-ACK
		tok_counts "$2"
		[[ $seq != *:R* && ${TC[S:PA]} -ge 3 ]] || return 1
		acceptq_streams "$CAPFILE" | awk '
			$2 == 1 && $3 == 1 && $4 == 1 && $5 == 1 { normal++ }
			$3 >= 1 && $4 >= 2 && $5 == 1 { acked_late++ }
			$3 >= 2 { synack_rtx++ }
			$2 >= 2 && $3 >= 1 && $5 == 1 { late_syn++ }
			$2 == 3 && $3 == 0 { timed_out++ }
			END { exit !(NR == 6 && normal >= 2 && acked_late >= 1 &&
				synack_rtx >= 1 && late_syn >= 1 && timed_out >= 1) }' ;;
	accept-queue-abort)
		# the server's RST (no ACK flag) right after a handshake ACK;
		# nothing retransmitted but SYNs: two ordinary connections, one
		# or more reset, one that got in after dropped SYNs
		[[ $seq == *" C:A S:R "* ]] || return 1
		acceptq_streams "$CAPFILE" | awk '
			$2 == 1 && $3 == 1 && $4 == 1 && $5 == 1 && $6 == 0 { normal++ }
			$3 == 1 && $4 <= 1 && $5 == 0 && $6 >= 1 { reset++ }
			$2 >= 2 && $3 == 1 && $5 == 1 && $6 == 0 { late_syn++ }
			$3 >= 2 || $4 >= 2 { rtx++ }
			END { exit !(NR == 6 && normal >= 2 && reset >= 1 &&
				late_syn >= 1 && rtx == 0) }' ;;
	dead-peer-user-timeout)
		# the second request and its five retransmissions (TLP and RTO
		# after 0.2, 0.4, 0.8, 1.6 s; the next would come after the 4 s
		# TCP_USER_TIMEOUT), nothing back, no RST when the client gives up
		re="^ ${RQ}C:PA (C:PA ){5}$"
		[[ $seq =~ $re ]] ;;
	dead-peer-retries2)
		# tcp_retries2=3: TLP and four RTO retransmissions here (see
		# README); three if timer slack pushed the fourth past 3 s
		re="^ ${RQ}C:PA (C:PA ){4,5}$"
		[[ $seq =~ $re ]] ;;
	dead-peer-server-data)
		# on rtr-srv: the response and its five retransmissions (as in
		# dead-peer-user-timeout)
		[[ $seq =~ ^\ C:S\ S:SA\ C:A\ C:PA\ (S:A\ )?S:PA\ (S:PA\ ){5}$ ]] ;;
	keepalive-dead-peer)
		# three unanswered keepalive probes, then the client's RST
		re="^ ${RQ}(C:A )+C:RA $"
		[[ $seq =~ $re ]] || return 1
		keepalive_counts
		[[ $KA_PROBES -eq 3 && $KA_ACKS -eq 0 ]] ;;
	keepalive-answered)
		# every probe answered, then an ordinary close
		re="^ ${RQ}(C:A S:A )+C:FA (S:A )?S:FA C:A $"
		[[ $seq =~ $re ]] || return 1
		keepalive_counts
		[[ $KA_PROBES -ge 2 && $KA_PROBES -le 4 && $KA_ACKS -eq $KA_PROBES ]] ;;
	pmtu-blackhole|pmtu-blackhole-v6)
		# handshake, request, the response's full-size segments and their
		# retransmissions (never acknowledged), the small last segment,
		# the client's SACKs; no ICMP, no FIN, no RST
		local f fam=4
		[[ $1 == *-v6 ]] && fam=6
		re="^ C:S S:SA C:A C:PA (S:A )?((S:P?A |C:A )+)$"
		[[ $seq =~ $re ]] || return 1
		f=" $(pmtu_facts "$CAPFILE") "
		log "  capture facts:${f% }"
		[[ $f == *" fam=$fam icmp=0 "* && $f == *" cack=1 "* ]] || return 1
		[[ $f =~ \ big=([0-9]+)\  && ${BASH_REMATCH[1]} -ge 8 ]] &&
			[[ $f =~ \ small=([0-9]+)\  && ${BASH_REMATCH[1]} -ge 1 ]] &&
			[[ $f =~ \ sack=([0-9]+)\  && ${BASH_REMATCH[1]} -ge 1 ]] ;;
	pmtu-icmp|pmtu-icmp-v6)
		# full-size segments, each answered by the router's ICMP (mtu
		# PMTU_SMALL), the response again in smaller segments, all of it
		# acknowledged, then the client closes first
		local f fam=4 icmp=R:ICMP3/4
		[[ $1 == *-v6 ]] && fam=6 icmp=R:ICMP6-2/0
		re="^ C:S S:SA C:A C:PA (S:A )?((S:P?A |C:A |$icmp )+)"
		re+="C:FA (S:A )?S:FA C:A $"
		[[ $seq =~ $re ]] || return 1
		f=" $(pmtu_facts "$CAPFILE") "
		log "  capture facts:${f% }"
		re=" fam=$fam icmp=([0-9]+) mtus=($PMTU_SMALL(,$PMTU_SMALL)*) big=([0-9]+) "
		[[ $f =~ $re &&
			${BASH_REMATCH[1]} -ge 1 &&
			${BASH_REMATCH[4]} -eq ${BASH_REMATCH[1]} &&
			$f == *" big_after=0 "* && $f == *" cack=$((PMTU_SIZE + 2)) "* ]] ;;
	inject-race-synack)
		# the forged S:RA to the SYN, then the real SYN-ACK, which the
		# client kernel (no socket any more) resets
		[[ $seq == " C:S S:RA S:SA C:R " ]] ;;
	inject-race-response|inject-race-odd-flags)
		# the forged RST right after the GET, then the server's real
		# ACK and/or response, each answered by the client kernel's
		# RST (the second C:R may come before or after the S:PA)
		if [[ $1 == inject-race-response ]]; then re=S:RA; else re=S:RPA; fi
		re="^ C:S S:SA C:A C:PA $re (S:A C:R S:PA C:R|S:A S:PA C:R C:R|S:PA C:R|S:A C:R) $"
		[[ $seq =~ $re ]] ;;
	one-way-client)
		# two connections, only the client's packets
		[[ $seq =~ ^\ C:S\ C:A\ C:PA\ .*C:FA\ .*C:S\ C:A\ C:PA\ .*C:F?A\ $ && $seq != *S:* ]] ;;
	one-way-server)
		[[ $seq =~ ^\ S:SA\ .*S:F?PA\ .*S:FA\ $ && $seq != *C:* ]] ;;
	one-way-midstream)
		[[ $seq != *:S* && $seq != *S:* && $seq =~ ^\ C:P?A\ .*C:FA\ .*C:A\ $ ]] ;;
	*)
		return 1 ;;
	esac
}

# zw_counts: from $CAPFILE, ZW[zero] = the server's segments with window 0,
# ZW[probes] = the client's zero-window probes (no data, seq one below
# what the server has acknowledged: Linux's probe, which Wireshark calls
# a keep-alive), ZW[reopened] = 1 if the server advertised a window again
# after a zero one, ZW[acked] = the highest relative ack of the server,
# ZW[after_probe] = client data segments after the first probe.
declare -A ZW
zw_counts() {
	ZW=()
	while IFS='=' read -r k v; do
		ZW[$k]=$v
	done < <(tshark -n -r "$CAPFILE" -Y tcp -T fields -e ip.src -e tcp.len \
		-e tcp.seq -e tcp.ack -e tcp.window_size_value -e tcp.flags.syn 2>/dev/null |
		awk -v c="$C4" -v s="$S4" '
			$6 == 1 || $6 == "True" { next }
			$1 == s { if ($5 == 0) { zero++; closed = 1 }
				  else if (closed) reopened = 1
				  if ($4 > acked) acked = $4 }
			$1 == c { if ($2 == 0 && acked > 0 && $3 == acked - 1) probes++
				  else if ($2 > 0 && probes > 0 && !reopened) after++ }
			END { printf "zero=%d\nprobes=%d\nreopened=%d\nacked=%d\nafter_probe=%d\n",
				zero, probes, reopened + 0, acked, after }')
}

# short_seq SEQ: SEQ itself, or for long ones (the capture-wide scenarios)
# its first 24 tokens and how often each token occurs.
short_seq() {
	local -a t
	read -r -a t <<<"$1"
	if [[ ${#t[@]} -le 60 ]]; then
		echo "$1"
		return
	fi
	echo "${t[*]:0:24} ... [$(tr ' ' '\n' <<<"$1" | sort | uniq -c |
		sort -rn | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }')]"
}

# ------------------------------------------------------------ main

setup_topology

for name in "${SCENARIOS[@]}"; do
	out="$OUTDIR/$name.pcapng"
	ok=0
	for attempt in 1 2; do
		reset_state
		log "$name (attempt $attempt)"
		CAPFILE="$WORK/$name.pcapng"
		"scn_$name"
		show_logs
		seq=$(timeout 30 "$PY" "$HELPER" summarize "$CAPFILE") || seq="(tshark failed)"
		npk=$(wc -w <<<"$seq")
		if check "$name" "$seq"; then
			ok=1
			break
		fi
		log "  unexpected packet sequence: $(short_seq "$seq")"
	done
	cp "$CAPFILE" "$out.tmp"
	chmod 0644 "$out.tmp"
	mv -f "$out.tmp" "$out"
	log "wrote $out ($npk packets: $(short_seq "$seq"))"
	[[ $ok -eq 1 ]] || {
		log "  WARNING: $name does not show its expected case"
		FAILED+=("$name")
	}
done
reset_state

if [[ ${#FAILED[@]} -gt 0 ]]; then
	echo "$PROG: these captures do not show their expected case: ${FAILED[*]}" >&2
	exit 1
fi
log "done: ${#SCENARIOS[@]} capture(s) in $OUTDIR"
