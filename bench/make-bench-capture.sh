#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Make a large capture for benchmarks with the real kernel: two network
# namespaces, SHORT short-lived connections (connect, 100-byte request and
# answer, close) and one long flow of small segments (TCP_NODELAY) of
# MESSAGES messages.  Documentation addresses only, bounded, torn down.
#
#   sudo bench/make-bench-capture.sh OUT.pcapng [SHORT [MESSAGES]]
set -euo pipefail
OUT=${1:?usage: $0 OUT.pcapng [SHORT [MESSAGES]]}
SHORT=${2:-20000}
MESSAGES=${3:-300000}
[[ $(id -u) -eq 0 ]] || { echo "$0: needs root (network namespaces)" >&2; exit 1; }
A=tdbench-$$-a
B=tdbench-$$-b
CAP_PID=""
SRV_PID=""
cleanup() {
	[[ -n $CAP_PID ]] && kill "$CAP_PID" 2>/dev/null || true
	[[ -n $SRV_PID ]] && kill "$SRV_PID" 2>/dev/null || true
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$A"
ip netns add "$B"
ip link add tdb-a netns "$A" type veth peer name tdb-b netns "$B"
ip -n "$A" addr add 192.0.2.10/24 dev tdb-a
ip -n "$B" addr add 192.0.2.20/24 dev tdb-b
ip -n "$A" link set tdb-a up
ip -n "$B" link set tdb-b up
for ns in "$A" "$B"; do
	ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_tw_reuse=1 net.ipv4.ip_local_port_range="10000 60999"
done
cat > /tmp/tdbench-$$.py <<'PY'
import socket, sys, threading
role = sys.argv[1]
if role == "server":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("192.0.2.20", 80)); s.listen(512)
    open(sys.argv[2], "w").close()
    def serve(c):
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            d = c.recv(65536)
            if not d:
                break
            c.sendall(b"x" * 100)
        c.close()
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
else:
    short, messages = int(sys.argv[2]), int(sys.argv[3])
    for _ in range(short):
        c = socket.create_connection(("192.0.2.20", 80), timeout=5)
        c.sendall(b"q" * 100); c.recv(100); c.close()
    c = socket.create_connection(("192.0.2.20", 80), timeout=5)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(messages):
        c.sendall(b"m" * 100); c.recv(100)
    c.close()
PY
ip netns exec "$B" timeout 900 /usr/bin/python3 /tmp/tdbench-$$.py server /tmp/tdbench-$$.ready &
SRV_PID=$!
for _ in $(seq 50); do [[ -e /tmp/tdbench-$$.ready ]] && break; sleep 0.1; done
ip netns exec "$A" dumpcap -q -i tdb-a -s 128 -f tcp -w "$OUT" &
CAP_PID=$!
sleep 1
ip netns exec "$A" timeout 900 /usr/bin/python3 /tmp/tdbench-$$.py client "$SHORT" "$MESSAGES"
sleep 1
kill -TERM "$CAP_PID"; wait "$CAP_PID" || true; CAP_PID=""
rm -f /tmp/tdbench-$$.py /tmp/tdbench-$$.ready
echo "wrote $OUT"
