#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-catalogue.sh: the kernel-made part of the catalogue of bad and
# awkward input (encapsulations, IPv6 extension headers, IPv4 fragments,
# offloaded checksums, no TCP at all).  Every capture is made by the real
# Linux stack in network namespaces named tdcat-<pid>-*; see README.md in
# this directory for what each capture holds and what tcpdiag should say.
#
#   sudo ./make-catalogue.sh                     # all captures, into this directory
#   sudo ./make-catalogue.sh /tmp/out            # all captures, into /tmp/out
#   sudo ./make-catalogue.sh /tmp/out tunnel-gre tunnel-vxlan  # only these
#   sudo ./make-catalogue.sh tunnel-ipip         # one, into this directory
#
# Names (the file names without .pcapng) are those of SCENARIOS below.
#
# Needs root, ip and tc (iproute2, tc built with libbpf), ethtool, dumpcap,
# /usr/bin/python3 and, for the VLAN and GRE/IPIP captures, clang with the
# bpf target and the kernel's uapi headers (linux-libc-dev); tcpdump and
# capinfos to check the captures.
set -euo pipefail

PROG=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
PFX="tdcat-$$"

# name:what, in the order they are made
SCENARIOS=(
	"vlan-8021q:TCP inside an 802.1Q VLAN tag (VID 10)"
	"vlan-qinq:TCP inside QinQ, 802.1ad outer tag (VID 100) and 802.1Q inner tag (VID 20)"
	"tunnel-gre:TCP inside GRE (IPv4 over GRE over IPv4)"
	"tunnel-ipip:TCP inside IP-in-IP (IPv4 over IPv4)"
	"tunnel-vxlan:two TCP connections inside VXLAN (UDP 4789)"
	"ipv6-ext-headers:IPv6 hop-by-hop, routing (SRH) and destination options headers"
	"ipv4-fragments:client segments with DF clear, fragmented by a router"
	"checksum-offload:captured on the sending host with tx checksum offload (partial checksums)"
	"empty:a capture with no packets at all"
	"no-tcp:ping and a UDP exchange, no TCP"
)
NAMES=()
for s in "${SCENARIOS[@]}"; do NAMES+=("${s%%:*}"); done

die() { echo "$PROG: $*" >&2; exit 1; }
is_name() { local n; for n in "${NAMES[@]}"; do [[ $n == "$1" ]] && return 0; done; return 1; }

OUTDIR=$HERE
if [[ $# -gt 0 ]] && ! is_name "$1"; then
	OUTDIR=$1
	shift
fi
WANT=("$@")
[[ ${#WANT[@]} -gt 0 ]] || WANT=("${NAMES[@]}")
for n in "${WANT[@]}"; do is_name "$n" || die "unknown capture name '$n' (known: ${NAMES[*]})"; done

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, dumpcap)"
for tool in ip tc ethtool dumpcap "$PY"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

WORK=$(mktemp -d /tmp/tdcat.XXXXXX)
BG_PIDS=()
CAP_PID=""

cleanup() {
	local rc=$? p ns
	trap - EXIT INT TERM
	[[ -n $CAP_PID ]] && kill -TERM "$CAP_PID" 2>/dev/null
	for p in "${BG_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		[[ $ns == "$PFX"-* ]] && ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "$PROG: interrupted" >&2; exit 130' INT
trap 'echo "$PROG: terminated" >&2; exit 143' TERM

# Not for background jobs: $! would be the subshell, not the program.
nsx() { local ns=$1; shift; ip netns exec "$PFX-$ns" "$@"; }

# wait_pid PID SECONDS: wait (bounded) for a background process, then kill it.
wait_pid() {
	local pid=$1 i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

wait_file() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[[ -e $1 ]] && return 0
		sleep 0.05
	done
	return 1
}

# ---------------------------------------------------------------- helpers

# The client and server programs.  The exchange is that of
# ../normal-close.pcapng: an 18-byte GET, an 80-byte response, the client
# closes after the full response, the server closes when it reads EOF.
cat >"$WORK/peer.py" <<'EOF'
# SPDX-License-Identifier: GPL-2.0-or-later
import socket
import sys
import time

REQUEST = b"GET / HTTP/1.0\r\n\r\n"
BODY = b"tcpdiag sample\n"
RESPONSE = (b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\n\r\n" % len(BODY) + BODY)
# An 8-byte options header: next header (the kernel fills it in), length 0
# (8 bytes), one PadN option with 4 zero bytes (RFC 8200 section 4.2).
PADN = bytes([0, 0, 1, 4, 0, 0, 0, 0])
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def srh(final):
    """A segment routing header (RFC 8754, routing type 4) with one segment,
    the destination, and Segments Left 0: the last segment is reached, so
    the receiver goes on to the next header.  Type 0 is refused by Linux."""
    seg = socket.inet_pton(socket.AF_INET6, final)
    return bytes([0, 2, 4, 0, 0, 0, 0, 0]) + seg


def apply(sock, opts, addr=None):
    for o in opts:
        if o == "hopopts":
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, PADN)
        elif o == "rthdr":
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RTHDR, srh(addr))
        elif o == "dstopts":
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, PADN)
        elif o == "pmtu-dont":
            sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        elif not o.startswith("size="):
            raise SystemExit("unknown option " + o)


def server(addr, port, nconn, ready, *opts):
    ls = socket.socket(family(addr), socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    apply(ls, opts)
    ls.bind((addr, int(port)))
    ls.listen(8)
    ls.settimeout(10)
    open(ready, "w").close()
    for _ in range(int(nconn)):
        conn, peer = ls.accept()
        conn.settimeout(5)
        req = b""
        while b"\r\n\r\n" not in req:
            chunk = conn.recv(65536)
            if not chunk:
                break
            req += chunk
        conn.sendall(RESPONSE)
        t_end = time.monotonic() + 5
        while conn.recv(65536) and time.monotonic() < t_end:
            pass
        conn.close()
        print("server: %s port %d: %d-byte request, closed after EOF" % (peer[0], peer[1], len(req)))
    ls.close()


def client(addr, port, *opts):
    size = max([int(o[5:]) for o in opts if o.startswith("size=")] or [len(REQUEST)])
    req = REQUEST
    if size > len(REQUEST):
        req = b"GET / HTTP/1.0\r\nX-Pad: " + b"x" * (size - 27) + b"\r\n\r\n"
    sock = socket.socket(family(addr), socket.SOCK_STREAM)
    apply(sock, opts, addr)
    sock.settimeout(5)
    sock.connect((addr, int(port)))
    sock.sendall(req)
    resp = b""
    while len(resp) < len(RESPONSE):
        chunk = sock.recv(65536)
        if not chunk:
            break
        resp += chunk
    sock.close()
    print("client: %d-byte request, %d-byte response, closed" % (len(req), len(resp)))


def udpserver(addr, port, count, ready):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.settimeout(5)
    open(ready, "w").close()
    for _ in range(int(count)):
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def udpclient(addr, port, count):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.settimeout(2)
    for i in range(int(count)):
        s.sendto(b"ping %d" % i, (addr, int(port)))
        s.recvfrom(2048)
        time.sleep(0.1)


if __name__ == "__main__":
    {"server": server, "client": client, "udpserver": udpserver,
     "udpclient": udpclient}[sys.argv[1]](*sys.argv[2:])
EOF

# tc BPF programs.  This kernel has neither 8021q nor bridge VLAN filtering
# nor GRE/IPIP tunnel devices (CONFIG_VLAN_8021Q, CONFIG_NET_IPGRE and
# CONFIG_NET_IPIP are not set), so the tags and tunnel headers are put on
# by the kernel's own skb_vlan_push() and bpf_skb_adjust_room() (the code
# act_vlan, Open vSwitch and the kernel's test_tc_tunnel use), called from
# a clsact filter on the underlying veth: pushed on egress, popped on
# ingress, as a VLAN or tunnel device on that veth would.
cat >"$WORK/tdcat_bpf.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0-or-later
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>

#define SEC(n) __attribute__((section(n), used))
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define N16(x) __builtin_bswap16(x)
#define N32(x) __builtin_bswap32(x)
#else
#define N16(x) (x)
#define N32(x) (x)
#endif
#define IP4(a, b, c, d) N32(((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

static __attribute__((unused)) long (*skb_vlan_push)(struct __sk_buff *, __be16, __u16) = (void *)BPF_FUNC_skb_vlan_push;
static __attribute__((unused)) long (*skb_vlan_pop)(struct __sk_buff *) = (void *)BPF_FUNC_skb_vlan_pop;
static __attribute__((unused)) long (*skb_adjust_room)(struct __sk_buff *, __s32, __u32, __u64) = (void *)BPF_FUNC_skb_adjust_room;
static __attribute__((unused)) long (*skb_load_bytes)(const struct __sk_buff *, __u32, void *, __u32) = (void *)BPF_FUNC_skb_load_bytes;
static __attribute__((unused)) long (*skb_store_bytes)(struct __sk_buff *, __u32, const void *, __u32, __u64) = (void *)BPF_FUNC_skb_store_bytes;

#ifdef INNER_VID
SEC("classifier/vlan_push") int vlan_push(struct __sk_buff *skb)
{
    if (skb_vlan_push(skb, N16(ETH_P_8021Q), INNER_VID))
        return TC_ACT_SHOT;
#ifdef OUTER_VID
    if (skb_vlan_push(skb, N16(ETH_P_8021AD), OUTER_VID))
        return TC_ACT_SHOT;
#endif
    return TC_ACT_OK;
}

SEC("classifier/vlan_pop") int vlan_pop(struct __sk_buff *skb)
{
#ifdef OUTER_VID
    if (skb->vlan_proto != N16(ETH_P_8021AD) || (skb->vlan_tci & 0xfff) != OUTER_VID)
        return TC_ACT_SHOT;
    if (skb_vlan_pop(skb))
        return TC_ACT_SHOT;
#endif
    if (skb->vlan_proto != N16(ETH_P_8021Q) || (skb->vlan_tci & 0xfff) != INNER_VID)
        return TC_ACT_SHOT;
    if (skb_vlan_pop(skb))
        return TC_ACT_SHOT;
    return TC_ACT_OK;
}
#endif

#ifdef TUN_PROTO
struct outer {
    struct iphdr ip;
#if TUN_PROTO == 47
    __be16 gre_flags, gre_proto;   /* RFC 2784: no checksum, key or sequence */
#endif
};
_Static_assert(sizeof(struct outer) == (TUN_PROTO == 47 ? 24 : 20), "no padding");

/* Encapsulate IPv4 packets to the peer's overlay address, as an ipip or
 * gre device made with "ttl 255" would: outer TOS copied from the inner
 * packet, DF set and therefore ID 0 (ip_select_ident_segs()), TTL 255. */
SEC("classifier/tun_encap") int tun_encap(struct __sk_buff *skb)
{
    struct iphdr in;
    struct outer o = {};
    __u16 *w = (__u16 *)&o.ip;
    __u32 sum = 0;

    if (skb->protocol != N16(ETH_P_IP) || skb_load_bytes(skb, ETH_HLEN, &in, sizeof(in)))
        return TC_ACT_OK;
    if (in.daddr != OVERLAY_PEER)
        return TC_ACT_OK;
    o.ip.version = 4;
    o.ip.ihl = 5;
    o.ip.tos = in.tos;
    o.ip.tot_len = N16(N16(in.tot_len) + sizeof(o));
    o.ip.frag_off = N16(0x4000);
    o.ip.ttl = 255;
    o.ip.protocol = TUN_PROTO;
    o.ip.saddr = UNDERLAY_LOCAL;
    o.ip.daddr = UNDERLAY_PEER;
#pragma unroll
    for (int i = 0; i < 10; i++)
        sum += w[i];
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    o.ip.check = (__u16)~sum;
#if TUN_PROTO == 47
    o.gre_proto = N16(ETH_P_IP);
    if (skb_adjust_room(skb, sizeof(o), BPF_ADJ_ROOM_MAC,
                        BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_GRE))
        return TC_ACT_SHOT;
#else
    if (skb_adjust_room(skb, sizeof(o), BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4))
        return TC_ACT_SHOT;
#endif
    if (skb_store_bytes(skb, ETH_HLEN, &o, sizeof(o), 0))
        return TC_ACT_SHOT;
    return TC_ACT_OK;
}

/* Strip the outer header of packets tunnelled to us. */
SEC("classifier/tun_decap") int tun_decap(struct __sk_buff *skb)
{
    struct outer o;

    if (skb->protocol != N16(ETH_P_IP) || skb_load_bytes(skb, ETH_HLEN, &o, sizeof(o)))
        return TC_ACT_OK;
    if (o.ip.ihl != 5 || o.ip.protocol != TUN_PROTO || o.ip.daddr != UNDERLAY_LOCAL)
        return TC_ACT_OK;
#if TUN_PROTO == 47
    if (o.gre_flags != 0 || o.gre_proto != N16(ETH_P_IP))
        return TC_ACT_SHOT;
#endif
    if (skb_adjust_room(skb, -(__s32)sizeof(o), BPF_ADJ_ROOM_MAC, 0))
        return TC_ACT_SHOT;
    return TC_ACT_OK;
}
#endif

char _license[] SEC("license") = "GPL";
EOF

# bpf_build NAME CFLAGS...: compile the programs above into $WORK/NAME.o.
bpf_build() {
	local name=$1
	shift
	command -v clang >/dev/null 2>&1 || die "clang is missing (needed for the VLAN and tunnel captures)"
	# -target bpf does not search the multiarch directory asm/ lives in.
	clang -O2 -g0 -target bpf -Wall -Werror -I"/usr/include/$(clang -print-multiarch)" "$@" -c "$WORK/tdcat_bpf.c" -o "$WORK/$name.o" ||
		die "could not compile the tc BPF program"
}

# bpf_attach NS DEV OBJ EGRESS_SECTION INGRESS_SECTION
bpf_attach() {
	local ns=$1 dev=$2 obj=$WORK/$3.o
	nsx "$ns" tc qdisc add dev "$dev" clsact
	nsx "$ns" tc filter add dev "$dev" egress bpf da obj "$obj" sec "classifier/$4" ||
		die "tc could not load $4 on $dev"
	nsx "$ns" tc filter add dev "$dev" ingress bpf da obj "$obj" sec "classifier/$5" ||
		die "tc could not load $5 on $dev"
}

# Documentation MAC addresses (RFC 7042 section 2.1.2).
MAC_C=00:00:5e:00:53:01
MAC_S=00:00:5e:00:53:02

ns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$PFX-$ns" || die "cannot create network namespace $PFX-$ns"
		nsx "$ns" ip link set lo up
		nsx "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	done
}

ns_del() {
	local ns
	for ns in "$@"; do ip netns del "$PFX-$ns" 2>/dev/null || true; done
}

# link NS1 IF1 MAC1 NS2 IF2 MAC2: a veth pair between two namespaces, up,
# no segmentation offloads (TSO, GSO, GRO) and, unless TX_CSUM=on, no tx
# checksum offload, so that captured checksums are the real ones.
link() {
	local ns1=$1 if1=$2 mac1=$3 ns2=$4 if2=$5 mac2=$6 i
	nsx "$ns1" ip link add "$if1" address "$mac1" type veth \
		peer name "$if2" address "$mac2" netns "$PFX-$ns2"
	for i in "$ns1 $if1" "$ns2 $if2"; do
		set -- $i
		nsx "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=${IPV6:-1}"
		nsx "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || true
		[[ ${TX_CSUM:-off} == on ]] || nsx "$1" ethtool -K "$2" tx off >/dev/null 2>&1 ||
			die "ethtool -K $2 tx off failed"
		nsx "$1" ip link set "$2" up
	done
}

# Two hosts on one link: client ns c (c0, 203.0.113.1 when UNDERLAY=1 else
# 192.0.2.2), server ns s (s0).  Neighbours are static: no ARP in captures.
two_hosts() {
	ns_add c s
	link c c0 $MAC_C s s0 $MAC_S
}

cap_start() {
	local ns=$1 iface=$2 filter=$3 file=$4
	rm -f "$file"
	ip netns exec "$PFX-$ns" dumpcap -q -i "$iface" ${filter:+-f "$filter"} -w "$file" \
		>"$WORK/dumpcap.log" 2>&1 &
	CAP_PID=$!
	wait_file "$file" 10 || { cat "$WORK/dumpcap.log" >&2; die "dumpcap did not start on $iface"; }
	sleep 0.2
}

cap_stop() {
	[[ -n $CAP_PID ]] || return 0
	sleep 0.3
	kill -TERM "$CAP_PID" 2>/dev/null || true
	wait_pid "$CAP_PID" 5
	CAP_PID=""
}

# server NS ADDR PORT NCONN [OPTS...]: background server, wait until it listens.
server() {
	local ns=$1 addr=$2 port=$3 n=$4
	shift 4
	local ready="$WORK/server-$port.ready"
	rm -f "$ready"
	ip netns exec "$PFX-$ns" "$PY" "$WORK/peer.py" server "$addr" "$port" "$n" "$ready" "$@" \
		>>"$WORK/peer.log" 2>&1 &
	SERVER_PID=$!
	BG_PIDS+=("$SERVER_PID")
	wait_file "$ready" 5 || { cat "$WORK/peer.log" >&2; die "server on $addr port $port did not start"; }
}

# client NS ADDR PORT [OPTS...]: one exchange, bounded by timeout.
client() {
	local ns=$1
	shift
	timeout 10 ip netns exec "$PFX-$ns" "$PY" "$WORK/peer.py" client "$@" >>"$WORK/peer.log" 2>&1 ||
		{ cat "$WORK/peer.log" >&2; die "client $* failed"; }
}

# exchange CNS SNS CAPNS CAPIF FILTER ADDR NCONN [CLIENT OPTS...] -- [SERVER OPTS...]
exchange() {
	local cns=$1 sns=$2 capns=$3 capif=$4 filter=$5 addr=$6 n=$7 i
	shift 7
	local copts=() sopts=()
	while [[ $# -gt 0 && $1 != -- ]]; do copts+=("$1"); shift; done
	[[ $# -gt 0 ]] && shift
	sopts=("$@")
	server "$sns" "$addr" 80 "$n" ${sopts[@]+"${sopts[@]}"}
	cap_start "$capns" "$capif" "$filter" "$CAPFILE"
	for ((i = 0; i < n; i++)); do
		client "$cns" "$addr" 80 ${copts[@]+"${copts[@]}"}
	done
	wait_pid "$SERVER_PID" 5
	cap_stop
}

# ---------------------------------------------------------------- scenarios

C4=192.0.2.2
S4=198.51.100.2

# Plain addressing on one link, static neighbours.
plain_v4() {
	nsx c ip addr add $C4/32 dev c0
	nsx s ip addr add $S4/32 dev s0
	nsx c ip route add $S4/32 dev c0
	nsx s ip route add $C4/32 dev s0
	nsx c ip neigh add $S4 lladdr $MAC_S dev c0 nud permanent
	nsx s ip neigh add $C4 lladdr $MAC_C dev s0 nud permanent
}

scn_vlan-8021q() {
	two_hosts
	plain_v4
	bpf_build vlan -DINNER_VID=10
	bpf_attach c c0 vlan vlan_push vlan_pop
	bpf_attach s s0 vlan vlan_push vlan_pop
	exchange c s c c0 "" $S4 1
}

scn_vlan-qinq() {
	two_hosts
	plain_v4
	bpf_build qinq -DINNER_VID=20 -DOUTER_VID=100
	bpf_attach c c0 qinq vlan_push vlan_pop
	bpf_attach s s0 qinq vlan_push vlan_pop
	exchange c s c c0 "" $S4 1
}

# Overlay addresses on lo, routed through the peer's underlay address; the
# tc programs encapsulate what goes to the peer's overlay address.
tunnel() {
	local proto=$1 olen=$2
	two_hosts
	nsx c ip addr add 203.0.113.1/24 dev c0
	nsx s ip addr add 203.0.113.2/24 dev s0
	nsx c ip neigh add 203.0.113.2 lladdr $MAC_S dev c0 nud permanent
	nsx s ip neigh add 203.0.113.1 lladdr $MAC_C dev s0 nud permanent
	nsx c ip addr add $C4/32 dev lo
	nsx s ip addr add $S4/32 dev lo
	nsx c ip route add $S4/32 via 203.0.113.2 dev c0 src $C4 mtu $((1500 - olen))
	nsx s ip route add $C4/32 via 203.0.113.1 dev s0 src $S4 mtu $((1500 - olen))
	bpf_build "tun$proto-c" -DTUN_PROTO="$proto" -DOVERLAY_PEER="IP4(198,51,100,2)" \
		-DUNDERLAY_LOCAL="IP4(203,0,113,1)" -DUNDERLAY_PEER="IP4(203,0,113,2)"
	bpf_build "tun$proto-s" -DTUN_PROTO="$proto" -DOVERLAY_PEER="IP4(192,0,2,2)" \
		-DUNDERLAY_LOCAL="IP4(203,0,113,2)" -DUNDERLAY_PEER="IP4(203,0,113,1)"
	bpf_attach c c0 "tun$proto-c" tun_encap tun_decap
	bpf_attach s s0 "tun$proto-s" tun_encap tun_decap
	exchange c s c c0 "ip proto $proto" $S4 1
}

scn_tunnel-gre() { tunnel 47 24; }
scn_tunnel-ipip() { tunnel 4 20; }

scn_tunnel-vxlan() {
	two_hosts
	nsx c ip addr add 203.0.113.1/24 dev c0
	nsx s ip addr add 203.0.113.2/24 dev s0
	nsx c ip neigh add 203.0.113.2 lladdr $MAC_S dev c0 nud permanent
	nsx s ip neigh add 203.0.113.1 lladdr $MAC_C dev s0 nud permanent
	nsx c ip link add vx0 address 00:00:5e:00:53:11 type vxlan id 42 dstport 4789 \
		local 203.0.113.1 remote 203.0.113.2 dev c0
	nsx s ip link add vx0 address 00:00:5e:00:53:12 type vxlan id 42 dstport 4789 \
		local 203.0.113.2 remote 203.0.113.1 dev s0
	nsx c sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
	nsx s sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1
	nsx c ip link set vx0 up
	nsx s ip link set vx0 up
	nsx c ip addr add $C4/32 dev vx0
	nsx s ip addr add $S4/32 dev vx0
	nsx c ip route add $S4/32 dev vx0
	nsx s ip route add $C4/32 dev vx0
	nsx c ip neigh add $S4 lladdr 00:00:5e:00:53:12 dev vx0 nud permanent
	nsx s ip neigh add $C4 lladdr 00:00:5e:00:53:11 dev vx0 nud permanent
	exchange c s c c0 "udp port 4789" $S4 2
}

scn_ipv6-ext-headers() {
	IPV6=0 two_hosts
	local c6=2001:db8:1::2 s6=2001:db8:1::3 ns
	for ns in c s; do
		nsx $ns sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.${ns}0.accept_dad=0 \
			net.ipv6.conf.${ns}0.accept_ra=0 net.ipv6.conf.${ns}0.router_solicitations=0
	done
	# The server accepts segment routing headers (off by default).
	nsx s sysctl -qw net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.s0.seg6_enabled=1
	nsx c ip addr add $c6/64 dev c0 nodad
	nsx s ip addr add $s6/64 dev s0 nodad
	nsx c ip -6 neigh add $s6 lladdr $MAC_S dev c0 nud permanent
	nsx s ip -6 neigh add $c6 lladdr $MAC_C dev s0 nud permanent
	# "tcp" would miss segments behind extension headers; protochain walks them.
	exchange c s c c0 "ip6 protochain 6" $s6 1 hopopts rthdr dstopts -- dstopts
}

# client -- r1 ==(MTU 1000)== r2 -- server; the client's socket clears DF
# (IP_PMTUDISC_DONT) and sends a 3000-byte request, so r1 fragments its
# full-sized segments.  Captured on r2's side of the small-MTU link.
scn_ipv4-fragments() {
	ns_add c r1 r2 s
	link c c0 $MAC_C r1 r1a 00:00:5e:00:53:21
	link r1 r1b 00:00:5e:00:53:22 r2 r2a 00:00:5e:00:53:23
	link r2 r2b 00:00:5e:00:53:24 s s0 $MAC_S
	nsx r1 ip link set r1b mtu 1000
	nsx r2 ip link set r2a mtu 1000
	nsx c ip addr add $C4/24 dev c0
	nsx r1 ip addr add 192.0.2.1/24 dev r1a
	nsx r1 ip addr add 203.0.113.1/30 dev r1b
	nsx r2 ip addr add 203.0.113.2/30 dev r2a
	nsx r2 ip addr add 198.51.100.1/24 dev r2b
	nsx s ip addr add $S4/24 dev s0
	nsx c ip route add default via 192.0.2.1
	nsx s ip route add default via 198.51.100.1
	nsx r1 ip route add 198.51.100.0/24 via 203.0.113.2
	nsx r2 ip route add 192.0.2.0/24 via 203.0.113.1
	nsx r1 sysctl -qw net.ipv4.ip_forward=1
	nsx r2 sysctl -qw net.ipv4.ip_forward=1
	nsx c ip neigh add 192.0.2.1 lladdr 00:00:5e:00:53:21 dev c0 nud permanent
	nsx r1 ip neigh add $C4 lladdr $MAC_C dev r1a nud permanent
	nsx r1 ip neigh add 203.0.113.2 lladdr 00:00:5e:00:53:23 dev r1b nud permanent
	nsx r2 ip neigh add 203.0.113.1 lladdr 00:00:5e:00:53:22 dev r2a nud permanent
	nsx r2 ip neigh add $S4 lladdr $MAC_S dev r2b nud permanent
	nsx s ip neigh add 198.51.100.1 lladdr 00:00:5e:00:53:24 dev s0 nud permanent
	exchange c s r2 r2a "" $S4 1 pmtu-dont size=3000
}

# Offloads left at the veth defaults (tx checksum on): the kernel leaves
# the TCP checksum to the "hardware", which a veth never fills in, so
# every captured segment, both directions, carries a partial checksum.
scn_checksum-offload() {
	ns_add c s
	TX_CSUM=on link c c0 $MAC_C s s0 $MAC_S
	plain_v4
	exchange c s c c0 "" $S4 1
}

scn_empty() {
	two_hosts
	plain_v4
	cap_start c c0 "tcp port 9" "$CAPFILE"
	sleep 0.5
	cap_stop
}

scn_no-tcp() {
	two_hosts
	nsx c ip addr add $C4/24 dev c0
	nsx s ip addr add $S4/24 dev s0
	nsx c ip route add 198.51.100.0/24 dev c0
	nsx s ip route add 192.0.2.0/24 dev s0
	local ready=$WORK/udp.ready
	ip netns exec "$PFX-s" "$PY" "$WORK/peer.py" udpserver $S4 7 3 "$ready" >>"$WORK/peer.log" 2>&1 &
	SERVER_PID=$!
	BG_PIDS+=("$SERVER_PID")
	wait_file "$ready" 5 || die "UDP server did not start"
	cap_start c c0 "" "$CAPFILE"
	nsx c ping -q -c 3 -i 0.1 -W 1 $S4 >>"$WORK/peer.log" 2>&1 || die "ping failed"
	timeout 10 ip netns exec "$PFX-c" "$PY" "$WORK/peer.py" udpclient $S4 7 3 \
		>>"$WORK/peer.log" 2>&1 || die "UDP client failed"
	wait_pid "$SERVER_PID" 5
	cap_stop
}

# ---------------------------------------------------------------- checks

# What the tests expect of each capture: its packet count, then the TCP
# flags of its packets in order as tcpdump prints them (tcpdump shows the
# TCP header of a first IP fragment, which tshark reassembles instead).
PLAIN="S SA A PA A PA A FA FA A"
expected() {
	case $1 in
	tunnel-vxlan) echo "20: $PLAIN $PLAIN" ;;
	ipv4-fragments) echo "16: S SA A A A PA A A A PA A FA FA A" ;;
	empty) echo "0: " ;;
	no-tcp) echo "14: " ;;
	*) echo "10: $PLAIN" ;;
	esac
}

observed() {
	local n
	n=$(capinfos -Mc "$1" 2>/dev/null | awk '/packets/ {print $NF}')
	echo "$n: $(tcpdump -nr "$1" 2>/dev/null | grep -o 'Flags \[[^]]*\]' | awk '
		BEGIN { n["[S]"] = "S"; n["[S.]"] = "SA"; n["[.]"] = "A"; n["[P.]"] = "PA";
			n["[F.]"] = "FA"; n["[FP.]"] = "FPA"; n["[R]"] = "R"; n["[R.]"] = "RA" }
		{ printf "%s%s", sep, ($2 in n ? n[$2] : $2); sep = " " }')"
}

# ---------------------------------------------------------------- main

for tool in tcpdump capinfos; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (needed to check the captures)"
done
STATUS=0
T_ALL=${EPOCHREALTIME/./}
for name in "${WANT[@]}"; do
	for try in 1 2; do
		t0=${EPOCHREALTIME/./}
		CAPFILE="$WORK/$name.pcapng"
		unset IPV6 TX_CSUM
		"scn_$name"
		ns_del c s r1 r2
		got=$(observed "$CAPFILE")
		want=$(expected "$name")
		[[ $got == "$want" ]] && break
		echo "$PROG: $name (try $try): got '$got', expected '$want'" >&2
		[[ $try == 2 ]] && { echo "$PROG: WARNING: kept $name.pcapng anyway" >&2; STATUS=1; }
	done
	chmod 644 "$CAPFILE"
	mv -f "$CAPFILE" "$OUTDIR/$name.pcapng"
	ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
	printf '%-17s %2d.%03d s  %s\n' "$name" $((ms / 1000)) $((ms % 1000)) "$got"
done
ms=$(((${EPOCHREALTIME/./} - T_ALL) / 1000))
printf 'total %d.%03d s\n' $((ms / 1000)) $((ms % 1000))
exit "$STATUS"
