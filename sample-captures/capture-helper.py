#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Small TCP client/server roles used by make-captures.sh.

Every role uses plain kernel sockets, so all packets in the captures come
from the real Linux TCP stack.  Roles print one-line results prefixed with
their role name; make-captures.sh copies those lines into its own output.

Roles:
  server   ADDR PORT MODE READYFILE   listen on ADDR:PORT, handle one conn
  client   ADDR PORT MODE [MARKFILE]   connect to ADDR:PORT and act per MODE
  simopen  CLIENT_NS SERVER_NS MARKFILE
           simultaneous open between 192.0.2.2:40000 and 198.51.100.2:40001,
           one socket created inside each network namespace (ns files).
  simclose CLIENT_NS SERVER_NS MARKFILE
           one request/response on 192.0.2.2 -> 198.51.100.2:80, then
           shutdown(SHUT_WR) on both ends back to back (simultaneous close).
  nfqdelay QUEUE MS READYFILE
           (router namespace) hold every packet that iptables hands to
           NFQUEUE number QUEUE for MS milliseconds, then let it go on
           unchanged: a fixed path delay (this kernel has no netem).
  summarize PCAPNG
           print the packet sequence of a capture as one line of tokens
           WHO:FLAGS (WHO = C client, S server, X a spoofed source in
           203.0.113.0/24, R anything else (the router); FLAGS such as
           S, SA, A, PA, FA, RA, or ICMP<type>/<code>, ICMP6-<type>/<code>)

Some modes wait for, or create, small files next to READYFILE / MARKFILE
so that make-captures.sh can act between two steps of a connection
(client-got.mark, server-eof.mark, client-release.mark,
server-release.mark, server-held.mark, server-got.mark).  The modes of the capture-wide
scenarios (serve-many, leak-close-wait, hold-many; many-close, churn,
idle-many) handle many connections in one process.  The modes of the
after-the-handshake scenarios (keepalive-until-release, stall-read;
idle-then-request, bulk-send) set their socket options (SO_RCVBUF,
TCP_USER_TIMEOUT, SO_SNDBUF) before listen() / connect().  The
accept-queue scenarios use slow-accept (server: a listen(1) listener that
accepts late) and staggered (client: several connections, one socket
each, started a few tens of milliseconds apart).
"""

import ctypes
import errno
import fcntl
import os
import select
import socket
import struct
import sys
import time

HTTP_REQUEST = b"GET / HTTP/1.0\r\n\r\n"
HTTP_BODY = b"tcpdiag sample\n"
HTTP_RESPONSE = (b"HTTP/1.0 200 OK\r\n"
                 b"Content-Type: text/plain\r\n"
                 b"Content-Length: " + str(len(HTTP_BODY)).encode() + b"\r\n"
                 b"\r\n" + HTTP_BODY)


def say(role, msg):
    print("%s: %s" % (role, msg), flush=True)


def describe(exc):
    """'ECONNREFUSED ([Errno 111] Connection refused)' style text."""
    if isinstance(exc, OSError) and exc.errno is not None:
        name = errno.errorcode.get(exc.errno, "errno %d" % exc.errno)
        return "%s (%s: %s)" % (name, type(exc).__name__, exc)
    return "%s: %s" % (type(exc).__name__, exc)


def touch(path):
    if path:
        with open(path, "w") as f:
            f.write("%d\n" % os.getpid())


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def linger_abort(sock):
    # SO_LINGER {l_onoff=1, l_linger=0}: close() sends RST, discards data.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))


def recv_until_eof(sock, limit_s):
    """Read until EOF; return bytes read. Raises on error or timeout."""
    sock.settimeout(limit_s)
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


# ---------------------------------------------------------------- server

def run_server(addr, port, mode, readyfile):
    role = "server"
    if mode.partition(":")[0] in ACCEPTQ_SERVER_MODES:
        return serve_slow_accept(addr, port, mode, readyfile)
    lsock = socket.socket(family_of(addr), socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener_options(lsock, mode)
    lsock.bind((addr, port))
    lsock.listen(8)
    touch(readyfile)
    if mode == "listen-only":
        # Keep the listener open; the script kills us when done.
        time.sleep(30)
        return 0
    if mode in TWO_CONNECTION_MODES:
        return serve_two_connections(lsock, mode)
    if mode.partition(":")[0] in MANY_SERVER_MODES:
        return serve_many(lsock, mode, readyfile)
    if mode.partition(":")[0] in RACE_SERVER_MODES:
        return serve_race_mode(lsock, mode)
    lsock.settimeout(15)
    try:
        conn, peer = lsock.accept()
    except socket.timeout:
        say(role, "no connection accepted within 15 s")
        return 1
    say(role, "accepted connection from %s port %d" % (peer[0], peer[1]))
    try:
        if mode == "hold":
            # Accept, then just wait for data / EOF / error.
            data = recv_until_eof(conn, 5)
            say(role, "peer closed, %d bytes received" % len(data))
        elif mode == "rst":
            linger_abort(conn)
            conn.close()
            say(role, "closed accepted socket with SO_LINGER {1,0} (RST)")
            return 0
        elif mode == "echo":
            conn.settimeout(10)
            total = 0
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                conn.sendall(chunk)
                total += len(chunk)
            say(role, "client sent EOF after %d bytes echoed; closing" % total)
        elif mode in ("http-client-closes", "http-server-closes"):
            conn.settimeout(5)
            req = b""
            while b"\r\n\r\n" not in req:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                req += chunk
            conn.sendall(HTTP_RESPONSE)
            if mode == "http-client-closes":
                rest = recv_until_eof(conn, 5)
                say(role, "response sent; client closed first (%d extra "
                    "bytes); closing" % len(rest))
            else:
                say(role, "response sent; server closes first")
        elif mode.partition(":")[0] in CLOSE_SERVER_MODES:
            serve_close_mode(conn, mode, readyfile)
        elif mode.partition(":")[0] in RST_SERVER_MODES:
            serve_rst_mode(conn, mode)
        elif mode.partition(":")[0] in AFTER_SERVER_MODES:
            serve_after_mode(conn, mode, readyfile)
        elif mode.partition(":")[0] in PMTU_SERVER_MODES:
            serve_pmtu_mode(conn, mode)
        elif mode.partition(":")[0] in DEAD_PEER_SERVER_MODES:
            serve_dead_peer_mode(conn, mode, readyfile)
        else:
            say(role, "unknown mode %s" % mode)
            return 2
    except OSError as exc:
        say(role, "error: %s" % describe(exc))
    conn.close()
    lsock.close()
    return 0


# ---------------------------------------------------------------- client

def run_client(addr, port, mode, markfile):
    role = "client"
    if mode.partition(":")[0] in REUSE_CLIENT_MODES:
        return run_reuse_client(addr, port, mode, markfile)
    if mode.partition(":")[0] in MANY_CLIENT_MODES:
        return run_many_client(addr, port, mode, markfile)
    if mode.partition(":")[0] in ACCEPTQ_CLIENT_MODES:
        return run_staggered_client(addr, port, mode, markfile)
    sock = socket.socket(family_of(addr), socket.SOCK_STREAM)
    dest = (addr, port)
    if mode == "abort-1.5":
        # Non-blocking connect, give up after 1.5 s and close the socket
        # while it is still in SYN_SENT (Linux sends nothing then).
        sock.setblocking(False)
        touch(markfile)
        rc = sock.connect_ex(dest)
        _, writable, _ = select.select([], [sock], [], 1.5)
        if writable:
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            say(role, "connect finished early: %s"
                % errno.errorcode.get(err, "OK" if err == 0 else err))
        else:
            say(role, "connect_ex rc=%s, no answer after 1.5 s; closing the "
                "SYN_SENT socket" % errno.errorcode.get(rc, rc))
        sock.close()
        return 0

    client_options(sock, mode)
    t0 = time.monotonic()
    touch(markfile)
    try:
        # Blocking connect without a Python timeout: the kernel decides
        # (tcp_syn_retries) when to give up.
        sock.connect(dest)
    except OSError as exc:
        say(role, "connect to %s port %d failed after %.2f s: %s"
            % (addr, port, time.monotonic() - t0, describe(exc)))
        sock.close()
        return 0
    say(role, "connected to %s port %d after %.3f s"
        % (addr, port, time.monotonic() - t0))
    try:
        if mode == "connect-only":
            pass
        elif mode == "linger-rst":
            linger_abort(sock)
            sock.close()
            say(role, "closed with SO_LINGER {1,0} right after the handshake")
            return 0
        elif mode == "wait-data":
            sock.settimeout(5)
            data = sock.recv(4096)
            say(role, "recv returned %d bytes (EOF)" % len(data)
                if not data else "recv returned %d bytes" % len(data))
        elif mode == "echo-3s":
            sock.settimeout(5)
            lines = 0
            t_end = time.monotonic() + 3.0
            while time.monotonic() < t_end:
                line = b"tcpdiag line %02d\n" % lines
                sock.sendall(line)
                recv_exactly(sock, len(line))
                lines += 1
                time.sleep(0.2)
            sock.shutdown(socket.SHUT_WR)
            rest = recv_until_eof(sock, 5)
            say(role, "%d lines echoed; sent FIN, server closed (%d extra "
                "bytes)" % (lines, len(rest)))
        elif mode in ("http-client-closes", "http-server-closes"):
            sock.settimeout(5)
            sock.sendall(HTTP_REQUEST)
            if mode == "http-client-closes":
                resp = b""
                while not resp.endswith(HTTP_BODY):
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    resp += chunk
                say(role, "got %d byte response; closing first" % len(resp))
            else:
                resp = recv_until_eof(sock, 5)
                say(role, "got %d byte response and EOF; closing" % len(resp))
        elif mode in CLOSE_CLIENT_MODES:
            client_close_mode(sock, mode, markfile)
        elif mode.partition(":")[0] in RST_CLIENT_MODES:
            client_rst_mode(sock, mode, t0)
        elif mode.partition(":")[0] in AFTER_CLIENT_MODES:
            client_after_mode(sock, mode, markfile, t0)
        elif mode.partition(":")[0] in PMTU_CLIENT_MODES:
            client_pmtu_mode(sock, mode, markfile)
        elif mode.partition(":")[0] in DEAD_PEER_CLIENT_MODES:
            client_dead_peer_mode(sock, mode, markfile)
        elif mode in RACE_CLIENT_MODES:
            client_race_mode(sock, mode, t0)
        else:
            say(role, "unknown mode %s" % mode)
            return 2
    except OSError as exc:
        say(role, "error: %s" % describe(exc))
    sock.close()
    return 0


# --------------------------------------------------- simultaneous open

CLONE_NEWNET = 0x40000000


def enter_netns(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, "setns(%s): %s" % (path, os.strerror(e)))
    finally:
        os.close(fd)


def run_simopen(client_ns, server_ns, markfile):
    """Both ends bind and connect; no listener anywhere.

    Both sockets are created (each inside its own namespace) by this one
    process and connected back to back, so their SYN retransmission timers
    are armed within microseconds of each other and fire together: the
    retransmitted SYNs cross on the wire.  The script drops the first SYNs
    with iptables and removes those rules before the retransmissions.
    """
    caddr, cport = "192.0.2.2", 40000
    saddr, sport = "198.51.100.2", 40001
    enter_netns(client_ns)
    cs = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cs.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cs.bind((caddr, cport))
    enter_netns(server_ns)
    ss = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ss.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ss.bind((saddr, sport))
    cs.setblocking(False)
    ss.setblocking(False)
    rc1 = cs.connect_ex((saddr, sport))
    rc2 = ss.connect_ex((caddr, cport))
    touch(markfile)
    say("simopen", "both connect() started (%s, %s)"
        % (errno.errorcode.get(rc1, rc1), errno.errorcode.get(rc2, rc2)))
    pending = {cs: "client", ss: "server"}
    deadline = time.monotonic() + 6
    ok = True
    while pending and time.monotonic() < deadline:
        _, writable, _ = select.select([], list(pending), [],
                                       max(0.0, deadline - time.monotonic()))
        for s in writable:
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            say("simopen", "%s connect: %s" % (
                pending[s], "established" if err == 0
                else errno.errorcode.get(err, err)))
            ok = ok and err == 0
            del pending[s]
    if pending or not ok:
        say("simopen", "handshake did not complete")
        return 1
    for s in (cs, ss):
        s.setblocking(True)
        s.settimeout(5)
    cs.sendall(b"hello from client\n")
    say("simopen", "server got %r" % ss.recv(100))
    ss.sendall(b"hello from server\n")
    say("simopen", "client got %r" % cs.recv(100))
    cs.shutdown(socket.SHUT_WR)
    say("simopen", "server read EOF: %s" % (ss.recv(100) == b""))
    ss.shutdown(socket.SHUT_WR)
    say("simopen", "client read EOF: %s" % (cs.recv(100) == b""))
    cs.close()
    ss.close()
    return 0


# ------------------------------------------ connection close and teardown

# Linux TCP states as reported in tcp_info.tcpi_state.
TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV",
              4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE",
              8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}

SIOCINQ = 0x541B        # = FIONREAD: bytes waiting in the receive queue

CLOSE_SERVER_MODES = ("close-after-eof", "shutdown-after-eof", "close-wait",
                      "hold-then-abort", "last-ack", "close-unread",
                      "late-answer", "wait-eof")
CLOSE_CLIENT_MODES = ("close-on-release", "idle-until-release",
                      "linger-after-data", "request-recv", "request-close")
TWO_CONNECTION_MODES = ("two-server-closes", "two-client-closes")
REUSE_CLIENT_MODES = ("reuse-server-closes", "reuse-client-closes")


def tcp_state(sock):
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    except OSError as exc:
        return "?(%s)" % describe(exc)
    return TCP_STATES.get(info[0], "state %d" % info[0])


def sync_path(anchor, name):
    """A synchronisation file in the same directory as ANCHOR."""
    return os.path.join(os.path.dirname(os.path.abspath(anchor)), name)


def await_file(path, limit_s):
    """Wait (bounded) until PATH exists; True if it does."""
    t_end = time.monotonic() + limit_s
    while time.monotonic() < t_end:
        if os.path.exists(path):
            return True
        time.sleep(0.01)
    return os.path.exists(path)


def read_request(conn, limit_s):
    conn.settimeout(limit_s)
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = conn.recv(4096)
        if not chunk:
            break
        req += chunk
    return req


def recv_exactly(sock, n):
    """Read n bytes, or fewer if the peer closes first."""
    got = b""
    while len(got) < n:
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def read_response(sock, limit_s):
    """Read exactly the known HTTP_RESPONSE (no EOF needed)."""
    sock.settimeout(limit_s)
    return recv_exactly(sock, len(HTTP_RESPONSE))


def so_error(sock):
    err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if err == 0:
        return "0 (no error)"
    return "%s (%s)" % (errno.errorcode.get(err, err), os.strerror(err))


def serve_close_mode(conn, mode, anchor):
    """Server side of the connection-close scenarios (one connection)."""
    role = "server"
    name, _, arg = mode.partition(":")
    t0 = time.monotonic()
    if name == "close-unread":
        # Wait for the request but never read it; close() with unread
        # data makes Linux send RST instead of FIN.
        readable, _, _ = select.select([conn], [], [], 5)
        time.sleep(0.2)
        queued = struct.unpack("i", fcntl.ioctl(
            conn.fileno(), SIOCINQ, b"\0\0\0\0"))[0]
        say(role, "request %s, %d unread bytes queued; close() without "
            "reading" % ("arrived" if readable else "not seen", queued))
        conn.close()
        return
    req = read_request(conn, 5)
    if name == "late-answer":
        # The client has already sent its FIN (close()); answer 0.1 s later.
        time.sleep(0.1)
        conn.sendall(HTTP_RESPONSE)
        say(role, "%d byte request; answered 0.1 s later; state when "
            "send() returned: %s" % (len(req), tcp_state(conn)))
        time.sleep(0.3)
        data = conn.recv(4096)
        say(role, "0.3 s later: recv() returned %d bytes%s, state %s, "
            "SO_ERROR %s" % (len(data), " (EOF)" if not data else "",
                             tcp_state(conn), so_error(conn)))
        return
    conn.sendall(HTTP_RESPONSE)
    if name == "close-wait":
        # Never read again and never close while the capture runs.
        release = sync_path(anchor, "server-release.mark")
        say(role, "response sent; not reading, not closing")
        released = await_file(release, 20)
        say(role, "%s after %.1f s; state %s; closing now" % (
            "released" if released else "no release", time.monotonic() - t0,
            tcp_state(conn)))
        conn.close()
        return
    rest = recv_until_eof(conn, 15 if name == "wait-eof" else 5)
    t_eof = time.monotonic()
    say(role, "response sent; read EOF (%d extra bytes), state %s" % (
        len(rest), tcp_state(conn)))
    if name == "wait-eof":
        conn.close()
        say(role, "closed")
    elif name == "close-after-eof":
        time.sleep(float(arg))
        conn.close()
        say(role, "closed %.2f s after EOF" % (time.monotonic() - t_eof))
    elif name == "shutdown-after-eof":
        # shutdown(SHUT_WR) sends the same FIN as close() would, but keeps
        # the socket so that the error it gets afterwards can be read.
        time.sleep(float(arg))
        conn.shutdown(socket.SHUT_WR)
        say(role, "shutdown(SHUT_WR) %.2f s after EOF" % (
            time.monotonic() - t_eof))
        time.sleep(0.3)
        say(role, "0.3 s later: state %s, SO_ERROR %s; close()" % (
            tcp_state(conn), so_error(conn)))
        conn.close()
    elif name == "hold-then-abort":
        release = sync_path(anchor, "server-release.mark")
        released = await_file(release, 20)
        say(role, "%s %.1f s after EOF; state %s; close() with SO_LINGER "
            "{1,0}" % ("released" if released else "no release",
                       time.monotonic() - t_eof, tcp_state(conn)))
        linger_abort(conn)
        conn.close()
    elif name == "last-ack":
        touch(sync_path(anchor, "server-eof.mark"))
        release = sync_path(anchor, "server-release.mark")
        released = await_file(release, 10)
        conn.close()
        say(role, "%s; close() %.2f s after EOF" % (
            "released" if released else "no release",
            time.monotonic() - t_eof))


def serve_two_connections(lsock, mode):
    """Two connections one after the other (port-reuse scenarios)."""
    role = "server"
    lsock.settimeout(10)
    for n in (1, 2):
        try:
            conn, peer = lsock.accept()
        except socket.timeout:
            say(role, "connection %d: none accepted within 10 s" % n)
            return 1
        try:
            req = read_request(conn, 5)
            conn.sendall(HTTP_RESPONSE)
            if mode == "two-server-closes":
                say(role, "connection %d from port %d: %d byte request, "
                    "response sent; server closes first" % (n, peer[1],
                                                           len(req)))
            else:
                rest = recv_until_eof(conn, 5)
                say(role, "connection %d from port %d: %d byte request, "
                    "response sent; client closed first (%d extra bytes); "
                    "closing" % (n, peer[1], len(req), len(rest)))
        except OSError as exc:
            say(role, "connection %d: error: %s" % (n, describe(exc)))
        conn.close()
    lsock.close()
    return 0


def client_close_mode(sock, mode, markfile):
    """Client side of the connection-close scenarios, after connect()."""
    role = "client"
    sock.settimeout(5)
    sock.sendall(HTTP_REQUEST)
    if mode == "request-close":
        sock.close()
        say(role, "request sent; close() at once, without reading")
        return
    if mode == "request-recv":
        try:
            data = recv_until_eof(sock, 5)
            say(role, "recv() returned %d bytes and EOF" % len(data))
        except OSError as exc:
            say(role, "recv() failed: %s" % describe(exc))
        return
    resp = read_response(sock, 5)
    if mode == "linger-after-data":
        linger_abort(sock)
        sock.close()
        say(role, "got %d byte response; close() with SO_LINGER {1,0}"
            % len(resp))
        return
    # close-on-release, idle-until-release: wait for the script.
    if not markfile:
        say(role, "mode %s needs a MARKFILE" % mode)
        return
    touch(sync_path(markfile, "client-got.mark"))
    t_got = time.monotonic()
    released = await_file(sync_path(markfile, "client-release.mark"), 20)
    say(role, "got %d byte response; %s %.1f s later, state %s; close()" % (
        len(resp), "released" if released else "no release",
        time.monotonic() - t_got, tcp_state(sock)))
    sock.close()


def run_reuse_client(addr, port, mode, markfile):
    """Two connections from the same fixed local port (SO_REUSEADDR).

    MODE is reuse-server-closes:LPORT or reuse-client-closes:LPORT.
    """
    role = "client"
    name, _, lport = mode.partition(":")
    lport = int(lport)
    touch(markfile)
    for n in (1, 2):
        sock = socket.socket(family_of(addr), socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t0 = time.monotonic()
        try:
            sock.bind(("", lport))
        except OSError as exc:
            say(role, "connection %d: bind() to port %d failed: %s"
                % (n, lport, describe(exc)))
            sock.close()
            return 0
        try:
            sock.connect((addr, port))
        except OSError as exc:
            say(role, "connection %d: connect() from port %d failed after "
                "%.3f s: %s" % (n, lport, time.monotonic() - t0,
                                describe(exc)))
            sock.close()
            return 0
        say(role, "connection %d: connected from port %d after %.3f s"
            % (n, lport, time.monotonic() - t0))
        try:
            sock.settimeout(5)
            sock.sendall(HTTP_REQUEST)
            if name == "reuse-server-closes":
                resp = recv_until_eof(sock, 5)
                say(role, "connection %d: got %d byte response and EOF; "
                    "closing" % (n, len(resp)))
            else:
                resp = read_response(sock, 5)
                say(role, "connection %d: got %d byte response; closing "
                    "first" % (n, len(resp)))
        except OSError as exc:
            say(role, "connection %d: error: %s" % (n, describe(exc)))
        sock.close()
        if n == 1:
            time.sleep(0.3)
    return 0


def run_simclose(client_ns, server_ns, markfile):
    """Simultaneous close: both ends shutdown(SHUT_WR) back to back.

    One process creates the listener (server namespace) and the client
    socket (client namespace), does one request/response, waits until
    nothing is in flight, then calls shutdown(SHUT_WR) on both sockets one
    right after the other, so that their FIN retransmission timers are armed
    together.  MARKFILE is created right after the two shutdown() calls.
    The states of both sockets are then sampled every millisecond.
    """
    role = "simclose"
    enter_netns(server_ns)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("198.51.100.2", 80))
    lsock.listen(1)
    enter_netns(client_ns)
    cs = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cs.settimeout(5)
    cs.connect(("198.51.100.2", 80))
    lsock.settimeout(5)
    ss, _ = lsock.accept()
    lsock.close()
    cs.sendall(HTTP_REQUEST)
    read_request(ss, 5)
    ss.sendall(HTTP_RESPONSE)
    resp = read_response(cs, 5)
    say(role, "request/response done (%d bytes); idle 0.3 s" % len(resp))
    time.sleep(0.3)
    cs.shutdown(socket.SHUT_WR)
    ss.shutdown(socket.SHUT_WR)
    t0 = time.monotonic()
    touch(markfile)
    seen = {"client": [], "server": []}
    deadline = t0 + 3
    while time.monotonic() < deadline:
        now = time.monotonic() - t0
        for who, s in (("client", cs), ("server", ss)):
            st = tcp_state(s)
            if not seen[who] or seen[who][-1][1] != st:
                seen[who].append((now, st))
        if seen["client"][-1][1] == "CLOSE" and \
                seen["server"][-1][1] == "CLOSE":
            break
        time.sleep(0.001)
    # (CLOSE here: the connection was handed to a TIME_WAIT mini-socket.)
    for who in ("client", "server"):
        say(role, "%s states after shutdown(): %s" % (who, ", ".join(
            "%s at %.3f s" % (st, t) for t, st in seen[who])))
    for who, s in (("client", cs), ("server", ss)):
        try:
            data = recv_until_eof(s, 1)
            say(role, "%s read EOF (%d bytes before it)" % (who, len(data)))
        except OSError as exc:
            say(role, "%s recv() failed: %s" % (who, describe(exc)))
        s.close()
    return 0


# ------------------------------------------ forged and injected RSTs
#
# Roles for the injected-RST and related reset scenarios.  The RSTs of the
# "inject-*" scenarios come from rst-injector.py on the router; these
# programs only make the (real) connection they hit and report what each
# end saw.

HEAD_REQUEST = b"HEAD / HTTP/1.1\r\nHost: 198.51.100.2\r\n\r\n"
KEEPALIVE_REQUEST = b"GET / HTTP/1.1\r\nHost: 198.51.100.2\r\n\r\n"
KEEPALIVE_RESPONSE = (b"HTTP/1.1 200 OK\r\n"
                      b"Content-Type: text/plain\r\n"
                      b"Content-Length: " + str(len(HTTP_BODY)).encode() +
                      b"\r\n\r\n" + HTTP_BODY)

RST_SERVER_MODES = ("answer-after", "keepalive")
RST_CLIENT_MODES = ("head-after", "two-requests", "abort-after-lost-data",
                    "timeout-abort")


def serve_rst_mode(conn, mode):
    """answer-after:SECS  read the request, answer SECS later, then wait
                         (at most 1 s) for what comes back.
    keepalive            answer every request on the connection until EOF,
                         then close."""
    role = "server"
    name, _, arg = mode.partition(":")
    t0 = time.monotonic()
    if name == "answer-after":
        req = read_request(conn, 5)
        say(role, "%d byte request read; answering %s s later"
            % (len(req), arg))
        time.sleep(float(arg))
        try:
            conn.sendall(HTTP_RESPONSE)
            say(role, "send() of the %d byte response at %.3f s returned; "
                "state %s" % (len(HTTP_RESPONSE), time.monotonic() - t0,
                              tcp_state(conn)))
        except OSError as exc:
            say(role, "send() at %.3f s failed: %s; state %s" % (
                time.monotonic() - t0, describe(exc), tcp_state(conn)))
            return
        try:
            rest = recv_until_eof(conn, 1)
            say(role, "then read EOF (%d bytes)" % len(rest))
        except OSError as exc:
            say(role, "then recv() at %.3f s failed: %s" % (
                time.monotonic() - t0, describe(exc)))
        return
    if name == "keepalive":
        conn.settimeout(5)
        n = 0
        buf = b""
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            buf += chunk
            while b"\r\n\r\n" in buf:
                _, _, buf = buf.partition(b"\r\n\r\n")
                conn.sendall(KEEPALIVE_RESPONSE)
                n += 1
        say(role, "%d request(s) answered; EOF at %.3f s, state %s; "
            "closing" % (n, time.monotonic() - t0, tcp_state(conn)))
        return


def client_rst_mode(sock, mode, t_connect):
    """Client side of the reset scenarios, after connect().

    head-after:SECS        wait SECS, send a HEAD request, read to EOF.
    two-requests:SECS      keep-alive GET, read the response, SECS later a
                           second GET on the same connection, read it,
                           close().
    abort-after-lost-data:N  GET, read the response, send N more bytes
                           (the script drops that segment on the router),
                           and close() with SO_LINGER {1,0} right away.
    timeout-abort:SECS     GET, wait at most SECS for an answer, then
                           close() with SO_LINGER {1,0}.
    """
    role = "client"
    name, _, arg = mode.partition(":")

    def since():
        return time.monotonic() - t_connect

    if name == "head-after":
        time.sleep(float(arg))
        try:
            sock.sendall(HEAD_REQUEST)
            say(role, "%d byte HEAD request sent at %.3f s" % (
                len(HEAD_REQUEST), since()))
            data = recv_until_eof(sock, 5)
            say(role, "recv() returned %d bytes and EOF" % len(data))
        except OSError as exc:
            say(role, "at %.3f s: %s" % (since(), describe(exc)))
        return
    if name == "two-requests":
        sock.settimeout(5)
        for n in (1, 2):
            if n == 2:
                time.sleep(float(arg))
            sock.sendall(KEEPALIVE_REQUEST)
            resp = recv_exactly(sock, len(KEEPALIVE_RESPONSE))
            say(role, "request %d: got %d byte response at %.3f s" % (
                n, len(resp), since()))
        say(role, "state %s, SO_ERROR %s; close()" % (tcp_state(sock),
                                                       so_error(sock)))
        return
    if name == "abort-after-lost-data":
        sock.settimeout(5)
        sock.sendall(HTTP_REQUEST)
        resp = read_response(sock, 5)
        sock.sendall(b"x" * int(arg))
        linger_abort(sock)
        sock.close()
        say(role, "got %d byte response; sent %s more bytes and at once "
            "close() with SO_LINGER {1,0}" % (len(resp), arg))
        return
    if name == "timeout-abort":
        sock.sendall(HTTP_REQUEST)
        sock.settimeout(float(arg))
        try:
            data = sock.recv(4096)
            say(role, "recv() returned %d bytes (unexpected)" % len(data))
        except socket.timeout:
            say(role, "no answer within %s s (recv() timed out); close() "
                "with SO_LINGER {1,0}" % arg)
        linger_abort(sock)
        sock.close()
        return


# ------------------------------------------ capture-wide cases
#
# Roles for the scenarios whose case lies in many connections together
# (SYN floods, a CLOSE_WAIT leak, TIME_WAIT churn, a server shutdown):
# one server process handles many connections one after the other, and
# one client process makes many.

MANY_SERVER_MODES = ("serve-many", "leak-close-wait", "hold-many")
MANY_CLIENT_MODES = ("many-close", "churn", "idle-many")


def accept_until(lsock, release, deadline):
    """accept() the next connection; None once RELEASE exists or the
    monotonic DEADLINE has passed."""
    lsock.settimeout(0.1)
    while time.monotonic() < deadline and not os.path.exists(release):
        try:
            return lsock.accept()
        except socket.timeout:
            continue
    return None


def count_states(socks):
    counts = {}
    for s in socks:
        st = tcp_state(s)
        counts[st] = counts.get(st, 0) + 1
    return ", ".join("%d %s" % (n, st) for st, n in sorted(counts.items()))


def serve_many(lsock, mode, anchor):
    """serve-many        every connection: read the request, answer, read
                        EOF, close(); until released (at most 20 s).
    leak-close-wait     every connection: read the request, answer, read
                        EOF and keep the socket open (CLOSE_WAIT); close
                        them all only when released (at most 20 s).
    hold-many:N:fin|rst accept N connections, read each request and
                        answer it, create server-held.mark and keep them
                        (the script kills the process: its sockets are then
                        closed by the kernel, with FIN; with rst each has
                        SO_LINGER {1,0}, so the kernel resets them)."""
    role = "server"
    name, _, arg = mode.partition(":")
    release = sync_path(anchor, "server-release.mark")
    t0 = time.monotonic()
    deadline = t0 + 20
    kept = []
    served = 0
    errors = 0
    want, _, how = arg.partition(":")
    want = int(want) if want else 0
    while name != "hold-many" or len(kept) < want:
        got = accept_until(lsock, release, deadline)
        if got is None:
            break
        conn, peer = got
        try:
            read_request(conn, 5)
            conn.sendall(HTTP_RESPONSE)
            if name == "hold-many":
                if how == "rst":
                    linger_abort(conn)
                kept.append(conn)
                continue
            recv_until_eof(conn, 5)
            served += 1
            if name == "leak-close-wait":
                kept.append(conn)
                continue
        except OSError as exc:
            errors += 1
            say(role, "connection from port %d: error: %s"
                % (peer[1], describe(exc)))
        conn.close()
    t_end = time.monotonic() - t0
    if name == "serve-many":
        say(role, "%d connection(s) served (request, response, EOF, "
            "close()), %d error(s); stopped after %.1f s" % (
                served, errors, t_end))
    elif name == "leak-close-wait":
        say(role, "%d connection(s): request, response, EOF read, socket "
            "kept open" % served)
        await_file(release, 20)
        say(role, "released after %.1f s; states: %s; closing them all "
            "now" % (time.monotonic() - t0, count_states(kept)))
    else:
        touch(sync_path(anchor, "server-held.mark"))
        say(role, "%d connection(s) accepted and answered, holding them "
            "(%s) until the process is killed" % (
                len(kept), "SO_LINGER {1,0} set on each" if how == "rst"
                else "no SO_LINGER"))
        await_file(release, 20)
        say(role, "released (not killed) after %.1f s; closing" % (
            time.monotonic() - t0))
    for conn in kept:
        conn.close()
    lsock.close()
    return 0


def http_exchange(sock):
    """Send the GET and read exactly the known response."""
    sock.settimeout(5)
    sock.sendall(HTTP_REQUEST)
    return read_response(sock, 5)


def run_many_client(addr, port, mode, markfile):
    """many-close:N[:GAP]  N connections one after the other (GAP seconds
                          apart): GET, read the response, close() first.
    churn:N:PORT:EVERY    N connections as fast as possible, each closed
                          first by the client (TIME_WAIT on the client);
                          every EVERY-th binds local PORT (SO_REUSEADDR),
                          so it reuses the four-tuple of the connection
                          EVERY before it, still in TIME_WAIT.
    idle-many:N           N connections, GET and response on each; create
                          client-got.mark, wait (at most 15 s) for each to
                          end (EOF or error), then wait for
                          client-release.mark (at most 20 s) and close()
                          them all with SO_LINGER {1,0}."""
    role = "client"
    name, _, arg = mode.partition(":")
    args = arg.split(":")
    n = int(args[0])
    touch(markfile)
    t0 = time.monotonic()
    if name in ("many-close", "churn"):
        gap = float(args[1]) if name == "many-close" and len(args) > 1 \
            else 0.0
        fixed = int(args[1]) if name == "churn" else 0
        every = int(args[2]) if name == "churn" else 0
        ok = 0
        ports = []
        for k in range(1, n + 1):
            sock = socket.socket(family_of(addr), socket.SOCK_STREAM)
            bound = every and k % every == 0
            try:
                if bound:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    sock.bind(("", fixed))
                sock.settimeout(5)
                sock.connect((addr, port))
                lport = sock.getsockname()[1]
                resp = http_exchange(sock)
                if len(resp) == len(HTTP_RESPONSE):
                    ok += 1
                ports.append(str(lport) + ("*" if bound else ""))
            except OSError as exc:
                say(role, "connection %d%s: %s" % (
                    k, " (bound to port %d)" % fixed if bound else "",
                    describe(exc)))
            sock.close()
            if gap:
                time.sleep(gap)
        say(role, "%d of %d connections: GET, full response, close() first; "
            "%.3f s in all" % (ok, n, time.monotonic() - t0))
        say(role, "local ports (* = bound with SO_REUSEADDR): %s"
            % " ".join(ports))
        return 0
    # idle-many
    socks = []
    for k in range(1, n + 1):
        sock = socket.socket(family_of(addr), socket.SOCK_STREAM)
        try:
            sock.settimeout(5)
            sock.connect((addr, port))
            http_exchange(sock)
            socks.append(sock)
        except OSError as exc:
            say(role, "connection %d: %s" % (k, describe(exc)))
            sock.close()
    touch(sync_path(markfile, "client-got.mark"))
    say(role, "%d connections open, each after one GET and response; idle"
        % len(socks))
    t_idle = time.monotonic()
    pending = list(socks)
    outcomes = {}
    deadline = t_idle + 15
    while pending and time.monotonic() < deadline:
        readable, _, _ = select.select(pending, [], [],
                                       max(0.0, deadline - time.monotonic()))
        for s in readable:
            try:
                data = s.recv(4096)
                what = "EOF" if not data else "%d bytes" % len(data)
            except OSError as exc:
                what = errno.errorcode.get(exc.errno, str(exc.errno))
            if what.endswith("bytes"):
                continue
            what += " (state %s)" % tcp_state(s)
            outcomes.setdefault(what, []).append(time.monotonic() - t_idle)
            pending.remove(s)
    for what, times in sorted(outcomes.items()):
        say(role, "%d connection(s): recv() -> %s, %.3f-%.3f s after the "
            "last response" % (len(times), what, min(times), max(times)))
    if pending:
        say(role, "%d connection(s) still open after 15 s" % len(pending))
    released = await_file(sync_path(markfile, "client-release.mark"), 20)
    say(role, "%s; close() of all with SO_LINGER {1,0}" % (
        "released" if released else "no release"))
    for s in socks:
        linger_abort(s)
        s.close()
    return 0


# ------------------------------------------ after the handshake
#
# Roles for the scenarios whose case comes after the handshake: a stateful
# firewall on the router forgets an idle connection (its conntrack entry
# times out), and a receiver stops reading (zero window).

AFTER_SERVER_MODES = ("keepalive-until-release", "stall-read")
AFTER_CLIENT_MODES = ("idle-then-request", "bulk-send")

TCP_USER_TIMEOUT = getattr(socket, "TCP_USER_TIMEOUT", 18)


def listener_options(lsock, mode):
    """Options the listener needs before listen() (no-op for other modes).

    stall-read:SECS:RCVBUF sets SO_RCVBUF to RCVBUF: the accepted socket
    inherits it, and the window scale and windows are chosen from it."""
    name, _, arg = mode.partition(":")
    if name == "stall-read":
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                         int(arg.split(":")[1]))


def client_options(sock, mode):
    """Options set before connect() (no-op for other modes).

    idle-then-request:IDLE:MS sets TCP_USER_TIMEOUT to MS milliseconds,
    bulk-send:TOTAL:SNDBUF sets SO_SNDBUF to SNDBUF."""
    name, _, arg = mode.partition(":")
    args = arg.split(":")
    if name == "idle-then-request":
        sock.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, int(args[1]))
    elif name == "bulk-send":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, int(args[1]))


def tcp_info_fields(sock):
    """A few fields of Linux's struct tcp_info (None where the kernel's
    struct is too short): state, probes, backoff, rto_ms, total_retrans,
    bytes_acked, snd_wnd (the peer's window as the sender uses it)."""
    raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    info = {"state": TCP_STATES.get(raw[0], "state %d" % raw[0]),
            "probes": raw[3], "backoff": raw[4],
            "rto_ms": struct.unpack_from("I", raw, 8)[0] / 1000.0,
            "total_retrans": None, "bytes_acked": None, "snd_wnd": None}
    if len(raw) >= 104:
        info["total_retrans"] = struct.unpack_from("I", raw, 100)[0]
    if len(raw) >= 128:
        info["bytes_acked"] = struct.unpack_from("Q", raw, 120)[0]
    if len(raw) >= 232:
        info["snd_wnd"] = struct.unpack_from("I", raw, 228)[0]
    return info


class WindowSampler:
    """Samples tcp_info of a sending socket every 5 ms in a thread: when
    the peer's window (tcpi_snd_wnd) was 0, and the largest tcpi_backoff
    (the zero-window probe timer's backoff)."""

    def __init__(self, sock, t0):
        import threading
        self.sock, self.t0 = sock, t0
        self.zero = []          # [start, end] of each zero-window period
        self.max_backoff = 0
        self.samples = 0
        self.stop_ev = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        in_zero = False
        while not self.stop_ev.is_set():
            try:
                info = tcp_info_fields(self.sock)
            except OSError:
                break
            now = time.monotonic() - self.t0
            self.samples += 1
            self.max_backoff = max(self.max_backoff, info["backoff"])
            if info["snd_wnd"] == 0 and info["state"] == "ESTABLISHED":
                if not in_zero:
                    self.zero.append([now, now])
                self.zero[-1][1] = now
                in_zero = True
            else:
                in_zero = False
            self.stop_ev.wait(0.005)

    def start(self):
        self.thread.start()

    def report(self):
        self.stop_ev.set()
        self.thread.join(1)
        if not self.zero:
            what = "peer's window never 0"
        else:
            what = "peer's window 0 from " + ", ".join(
                "%.3f to %.3f s" % (a, b) for a, b in self.zero)
        return "tcp_info every 5 ms (%d samples): %s; largest tcpi_backoff " \
            "%d" % (self.samples, what, self.max_backoff)


def serve_after_mode(conn, mode, anchor):
    """keepalive-until-release  answer every keep-alive request on the
                             connection until server-release.mark exists
                             (at most 60 s), EOF or an error; then close()
                             with SO_LINGER {1,0}, so that nothing of the
                             connection is left behind.
    stall-read:SECS:RCVBUF   (SO_RCVBUF RCVBUF set on the listener) read
                             the POST header, then read nothing for SECS
                             seconds, then read the whole body
                             (Content-Length), answer, read EOF, close()."""
    role = "server"
    name, _, arg = mode.partition(":")
    t0 = time.monotonic()

    def since():
        return time.monotonic() - t0

    if name == "keepalive-until-release":
        release = sync_path(anchor, "server-release.mark")
        deadline = t0 + 60   # longer than the longest idle-then-request
        buf = b""
        n = 0
        what = None
        while time.monotonic() < deadline and not os.path.exists(release):
            readable, _, _ = select.select([conn], [], [], 0.1)
            if not readable:
                continue
            try:
                chunk = conn.recv(4096)
            except OSError as exc:
                what = "recv() at %.3f s failed: %s" % (since(),
                                                        describe(exc))
                break
            if not chunk:
                what = "EOF at %.3f s" % since()
                break
            buf += chunk
            while b"\r\n\r\n" in buf:
                _, _, buf = buf.partition(b"\r\n\r\n")
                conn.sendall(KEEPALIVE_RESPONSE)
                n += 1
                say(role, "request %d answered at %.3f s" % (n, since()))
        if what is None:
            what = "%s after %.1f s, nothing more received" % (
                "released" if os.path.exists(release) else "no release",
                since())
        say(role, "%s; %d request(s) answered; state %s, SO_ERROR %s; "
            "close() with SO_LINGER {1,0}" % (what, n, tcp_state(conn),
                                             so_error(conn)))
        linger_abort(conn)
        return
    if name == "stall-read":
        secs = float(arg.split(":")[0])
        rcvbuf = conn.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        req = read_request(conn, 5)
        head, _, body = req.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        say(role, "SO_RCVBUF %d; POST header read (%d body bytes with "
            "it, Content-Length %d); not reading for %s s" % (
                rcvbuf, len(body), length, arg.split(":")[0]))
        got = len(body)
        t_stall = time.monotonic()
        time.sleep(min(1.0, secs))
        queued = struct.unpack("i", fcntl.ioctl(
            conn.fileno(), SIOCINQ, b"\0\0\0\0"))[0]
        say(role, "1 s into the stall: %d bytes queued unread (SIOCINQ)"
            % queued)
        time.sleep(max(0.0, secs - (time.monotonic() - t_stall)))
        queued = struct.unpack("i", fcntl.ioctl(
            conn.fileno(), SIOCINQ, b"\0\0\0\0"))[0]
        say(role, "reading again at %.3f s (%d bytes queued)" % (
            since(), queued))
        conn.settimeout(10)
        while got < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            got += len(chunk)
        say(role, "%d body bytes read in all at %.3f s; answering" % (
            got, since()))
        conn.sendall(HTTP_RESPONSE)
        rest = recv_until_eof(conn, 5)
        say(role, "read EOF at %.3f s (%d extra bytes); closing" % (
            since(), len(rest)))
        return


def client_after_mode(sock, mode, markfile, t_connect):
    """idle-then-request:IDLE:MS  (TCP_USER_TIMEOUT MS set before connect)
                            keep-alive GET, read the response, create
                            client-got.mark, stay idle IDLE seconds, send
                            a second GET and wait (at most 15 s) for its
                            response; report how it ends.
    bulk-send:TOTAL:SNDBUF  (SO_SNDBUF SNDBUF set before connect) send a
                            POST header and TOTAL body bytes with one
                            sendall() (15 s socket timeout) while a thread
                            samples tcp_info (the peer's window), then
                            read the response and close()."""
    role = "client"
    name, _, arg = mode.partition(":")
    args = arg.split(":")

    def since():
        return time.monotonic() - t_connect

    if name == "idle-then-request":
        idle = float(args[0])
        sock.settimeout(15)
        sock.sendall(KEEPALIVE_REQUEST)
        resp = recv_exactly(sock, len(KEEPALIVE_RESPONSE))
        say(role, "TCP_USER_TIMEOUT %d ms; request 1: got %d byte response "
            "at %.3f s; idle for %s s" % (
                sock.getsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT),
                len(resp), since(), args[0]))
        if markfile:
            touch(sync_path(markfile, "client-got.mark"))
        time.sleep(idle)
        sock.sendall(KEEPALIVE_REQUEST)
        t_req = time.monotonic()
        say(role, "request 2 sent at %.3f s" % since())
        try:
            resp = recv_exactly(sock, len(KEEPALIVE_RESPONSE))
            say(role, "request 2: got %d byte response %.3f s after "
                "sending it" % (len(resp), time.monotonic() - t_req))
        except OSError as exc:
            # (Python's own socket timeout is a TimeoutError without
            # errno; the kernel's ETIMEDOUT is one with errno 110.)
            if exc.errno is None:
                say(role, "request 2: no answer within 15 s (Python "
                    "socket timeout)")
            else:
                say(role, "request 2: recv() failed %.3f s after sending "
                    "it: %s" % (time.monotonic() - t_req, describe(exc)))
        info = tcp_info_fields(sock)
        say(role, "then: state %s, tcpi_total_retrans %s; close()" % (
            info["state"], info["total_retrans"]))
        return
    if name == "bulk-send":
        total = int(args[0])
        data = (b"POST / HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % total +
                b"x" * total)
        say(role, "SO_SNDBUF %d (asked for %s)" % (
            sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF), args[1]))
        sock.settimeout(15)
        sampler = WindowSampler(sock, t_connect)
        sampler.start()
        try:
            sock.sendall(data)
            say(role, "sendall() of %d bytes (%d body) returned at %.3f s" % (
                len(data), total, since()))
            resp = read_response(sock, 10)
            say(role, "got %d byte response at %.3f s" % (len(resp),
                                                          since()))
        except OSError as exc:
            info = tcp_info_fields(sock)
            what = describe(exc) if exc.errno is not None \
                else "Python socket timeout (15 s)"
            say(role, "at %.3f s: %s; %s bytes acked, state %s" % (
                since(), what, info["bytes_acked"], info["state"]))
        say(role, sampler.report())
        return


# ------------------------------------------ a full accept queue
#
# A listener whose application calls accept() too late.  Linux keeps at
# most backlog + 1 established connections in the accept queue
# (sk_acceptq_is_full() counts "more than the backlog").  While it is full,
# a new SYN is dropped (tcp_conn_request) and a handshake's ACK is dropped
# (tcp_check_req: syn_recv_sock fails) unless tcp_abort_on_overflow is 1,
# when the ACK is answered with a RST.

ACCEPTQ_SERVER_MODES = ("slow-accept",)
ACCEPTQ_CLIENT_MODES = ("staggered",)


def serve_slow_accept(addr, port, mode, readyfile):
    """slow-accept:BACKLOG:FIRST:EVERY  listen(BACKLOG), and no accept()
    at first: once a connection waits in the accept queue (the listener
    turns readable, t = 0), accept() one at FIRST s and one more every
    EVERY s after that, until server-release.mark exists (at most 20 s).
    Each accepted connection: read the request, answer, close()."""
    role = "server"
    _, _, arg = mode.partition(":")
    backlog, first, every = arg.split(":")
    backlog, first, every = int(backlog), float(first), float(every)
    release = sync_path(readyfile, "server-release.mark")
    lsock = socket.socket(family_of(addr), socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((addr, port))
    lsock.listen(backlog)
    touch(readyfile)
    t_start = time.monotonic()
    deadline = t_start + 20
    t0 = None
    while t0 is None and time.monotonic() < deadline \
            and not os.path.exists(release):
        readable, _, _ = select.select([lsock], [], [], 0.01)
        if readable:
            t0 = time.monotonic()
    if t0 is None:
        say(role, "listen(%d): no connection in the accept queue" % backlog)
        lsock.close()
        return 1
    say(role, "listen(%d); first connection in the accept queue %.3f s "
        "after listen(), t = 0; no accept() until %.1f s" % (
            backlog, t0 - t_start, first))
    n = 0
    while True:
        due = t0 + first + n * every
        while time.monotonic() < due and not os.path.exists(release):
            time.sleep(min(0.01, max(0.0, due - time.monotonic())))
        got = accept_until(lsock, release, deadline)
        if got is None:
            break
        n += 1
        conn, peer = got
        t_acc = time.monotonic() - t0
        try:
            queued = struct.unpack("i", fcntl.ioctl(
                conn.fileno(), SIOCINQ, b"\0\0\0\0"))[0]
            req = read_request(conn, 2)
            conn.sendall(HTTP_RESPONSE)
            say(role, "accept() %d at %.3f s: port %d (%d bytes already "
                "queued), %d byte request, answered, close()" % (
                    n, t_acc, peer[1], queued, len(req)))
        except OSError as exc:
            say(role, "accept() %d at %.3f s: port %d: %s" % (
                n, t_acc, peer[1], describe(exc)))
        conn.close()
    say(role, "%d connection(s) accepted; %s at %.3f s" % (
        n, "released" if os.path.exists(release) else "gave up",
        time.monotonic() - t0))
    lsock.close()
    return 0


def run_staggered_client(addr, port, mode, markfile):
    """staggered:N:GAP:WAIT  N connections, each its own socket, connect()
    started GAP s apart (non-blocking, so the local port is known at
    once; the kernel's SYN retries decide when it fails); the GET is sent
    as soon as connect() completes; then wait at most WAIT s for the whole
    response, and close().  One line per connection at the end: local
    port, when connect() completed or failed, what recv() got."""
    role = "client"
    _, _, arg = mode.partition(":")
    n, gap, wait = arg.split(":")
    n, gap, wait = int(n), float(gap), float(wait)
    conns = []
    touch(markfile)
    t0 = time.monotonic()
    limit = t0 + 20

    def now():
        return time.monotonic() - t0

    def finish(c, outcome):
        c["outcome"] = outcome
        c["state"] = "done"
        c["sock"].close()

    while time.monotonic() < limit:
        while len(conns) < n and now() >= len(conns) * gap:
            sock = socket.socket(family_of(addr), socket.SOCK_STREAM)
            sock.setblocking(False)
            t_start = now()
            rc = sock.connect_ex((addr, port))
            c = {"sock": sock, "port": sock.getsockname()[1],
                 "start": t_start, "state": "connecting", "resp": b"",
                 "conn": None, "outcome": None}
            conns.append(c)
            if rc not in (0, errno.EINPROGRESS):
                finish(c, "connect() failed at once: %s" % (
                    errno.errorcode.get(rc, rc)))
        active = [c for c in conns if c["state"] != "done"]
        if len(conns) == n and not active:
            break
        wlist = [c["sock"] for c in active if c["state"] == "connecting"]
        rlist = [c["sock"] for c in active if c["state"] == "reading"]
        wake = [limit - t0]
        if len(conns) < n:
            wake.append(len(conns) * gap)
        wake += [c["conn"] + wait for c in active if c["state"] == "reading"]
        timeout = max(0.0, min(wake) - now())
        readable, writable, _ = select.select(rlist, wlist, [], timeout)
        for c in active:
            sock = c["sock"]
            if sock in writable:
                err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    finish(c, "connect() failed at %.3f s (%.3f s after "
                           "it was called): %s (%s)" % (
                               now(), now() - c["start"],
                               errno.errorcode.get(err, err),
                               os.strerror(err)))
                    continue
                c["conn"] = now()
                try:
                    sock.send(HTTP_REQUEST)
                    c["state"] = "reading"
                except OSError as exc:
                    finish(c, "connected at %.3f s; send() failed: %s" % (
                        c["conn"], describe(exc)))
            elif sock in readable:
                try:
                    chunk = sock.recv(4096)
                except OSError as exc:
                    finish(c, "connected at %.3f s (after %.3f s), GET "
                           "sent; recv() at %.3f s: %s" % (
                               c["conn"], c["conn"] - c["start"], now(),
                               describe(exc)))
                    continue
                c["resp"] += chunk
                if not chunk or len(c["resp"]) >= len(HTTP_RESPONSE):
                    finish(c, "connected at %.3f s (after %.3f s), GET "
                           "sent; %d byte response%s at %.3f s (%.3f s "
                           "after connect)" % (
                               c["conn"], c["conn"] - c["start"],
                               len(c["resp"]), "" if chunk else " and EOF",
                               now(), now() - c["conn"]))
            elif c["state"] == "reading" and now() >= c["conn"] + wait:
                finish(c, "connected at %.3f s (after %.3f s), GET sent; "
                       "no response within %.1f s (state %s)" % (
                           c["conn"], c["conn"] - c["start"], wait,
                           tcp_state(sock)))
    for k, c in enumerate(conns, 1):
        if c["state"] != "done":
            finish(c, "still %s after 20 s" % c["state"])
        say(role, "connection %d, port %d, connect() at %.3f s: %s" % (
            k, c["port"], c["start"], c["outcome"]))
    return 0


# ------------------------------------------ injected RSTs that race
#
# Modes for the inject-race-* scenarios: the forged RST reaches the client
# before the real server's answer.

RACE_SERVER_MODES = ("accept-for",)
RACE_CLIENT_MODES = ("request-timed",)


def serve_race_mode(lsock, mode):
    """accept-for:SECS   accept for at most SECS s; report what came (a
                        connection reset before it was accepted does not
                        reach accept())."""
    role = "server"
    _, _, arg = mode.partition(":")
    t0 = time.monotonic()
    lsock.settimeout(float(arg))
    try:
        conn, peer = lsock.accept()
    except socket.timeout:
        say(role, "no connection accepted within %s s" % arg)
        lsock.close()
        return 0
    say(role, "accepted connection from %s port %d at %.3f s, state %s"
        % (peer[0], peer[1], time.monotonic() - t0, tcp_state(conn)))
    conn.close()
    lsock.close()
    return 0


def client_race_mode(sock, mode, t_connect):
    """request-timed   send the GET, read until EOF; say when (counted
                      from the connect() call) the request was sent and
                      recv() ended."""
    role = "client"

    def ms():
        return 1000 * (time.monotonic() - t_connect)

    sock.settimeout(5)
    sock.sendall(HTTP_REQUEST)
    say(role, "%d byte request sent at %.1f ms (from the connect() call)"
        % (len(HTTP_REQUEST), ms()))
    try:
        data = recv_until_eof(sock, 5)
        say(role, "recv() returned %d bytes and EOF at %.1f ms"
            % (len(data), ms()))
    except OSError as exc:
        say(role, "recv() failed at %.1f ms: %s; state %s" % (
            ms(), describe(exc), tcp_state(sock)))


# ------------------------------------------ a path delay without netem

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 4, 5
NFQNL_CFG_CMD_BIND, NFQNL_CFG_CMD_UNBIND = 1, 2
NFQNL_COPY_META = 1
NFQA_CFG_F_FAIL_OPEN = 1
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2


def nfq_message(msg_type, queue, attrs, seq, flags=NLM_F_REQUEST):
    """One nfnetlink_queue message: nlmsghdr, nfgenmsg, attributes."""
    body = struct.pack("=BB", socket.AF_UNSPEC, 0) + struct.pack("!H", queue)
    for kind, data in attrs:
        body += struct.pack("=HH", 4 + len(data), kind) + data
        body += b"\0" * (-len(data) % 4)
    return struct.pack("=IHHII", 16 + len(body),
                       (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq,
                       0) + body


def nfq_parse(buf):
    """Yield (type, payload after nlmsghdr) for each message in BUF."""
    off = 0
    while off + 16 <= len(buf):
        length, kind = struct.unpack_from("=IH", buf, off)
        if length < 16:
            return
        yield kind, buf[off + 16:off + length]
        off += (length + 3) & ~3


def nfq_attrs(payload):
    """{attribute type: data} of a queue message (after nfgenmsg)."""
    attrs = {}
    off = 4
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from("=HH", payload, off)
        if length < 4:
            break
        attrs[kind & 0x3fff] = payload[off + 4:off + length]
        off += (length + 3) & ~3
    return attrs


def run_nfqdelay(queue, delay_ms, readyfile):
    """Hold each queued packet DELAY_MS, then accept it (FIFO).  Ends on
    SIGTERM or after 60 s, letting every held packet go first."""
    import collections
    import signal
    role = "nfqdelay"
    delay = delay_ms / 1000.0
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    nl.bind((0, 0))
    seq = 0

    def config(attrs):
        nonlocal seq
        seq += 1
        nl.send(nfq_message(NFQNL_MSG_CONFIG, queue, attrs, seq,
                            NLM_F_REQUEST | NLM_F_ACK))
        for kind, payload in nfq_parse(nl.recv(65536)):
            if kind == NLMSG_ERROR:
                err = -struct.unpack_from("=i", payload)[0]
                if err:
                    raise OSError(err, "nfnetlink_queue config: %s"
                                  % os.strerror(err))

    config([(NFQA_CFG_CMD, struct.pack("=BBH", NFQNL_CFG_CMD_BIND, 0, 0))])
    config([(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META))])
    config([(NFQA_CFG_MASK, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)),
            (NFQA_CFG_FLAGS, struct.pack("!I", NFQA_CFG_F_FAIL_OPEN))])
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    touch(readyfile)
    held = collections.deque()
    count = 0
    longest = 0.0
    deadline = time.monotonic() + 60

    def verdict(pkt_id):
        nonlocal seq
        seq += 1
        nl.send(nfq_message(NFQNL_MSG_VERDICT, queue, [
            (NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pkt_id))], seq))

    while not stop and time.monotonic() < deadline:
        timeout = 0.2
        if held:
            timeout = max(0.0, held[0][0] - time.monotonic())
        try:
            readable, _, _ = select.select([nl], [], [], timeout)
        except InterruptedError:
            continue
        if readable:
            try:
                buf = nl.recv(65536)
            except OSError as exc:      # ENOBUFS: the queue overflowed
                say(role, "recv: %s" % describe(exc))
                continue
            t_in = time.monotonic()
            for kind, payload in nfq_parse(buf):
                if kind != (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    continue
                hdr = nfq_attrs(payload).get(NFQA_PACKET_HDR)
                if hdr:
                    held.append((t_in + delay, struct.unpack("!I",
                                                             hdr[:4])[0]))
        while held and held[0][0] <= time.monotonic():
            due, pkt_id = held.popleft()
            longest = max(longest, time.monotonic() - due)
            verdict(pkt_id)
            count += 1
    # let go of what is held, and of what is still unread in the socket
    while True:
        readable, _, _ = select.select([nl], [], [], 0)
        if not readable:
            break
        for kind, payload in nfq_parse(nl.recv(65536)):
            hdr = nfq_attrs(payload).get(NFQA_PACKET_HDR)
            if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET and hdr:
                held.append((0, struct.unpack("!I", hdr[:4])[0]))
    while held:
        verdict(held.popleft()[1])
        count += 1
    config([(NFQA_CFG_CMD, struct.pack("=BBH", NFQNL_CFG_CMD_UNBIND, 0, 0))])
    say(role, "%d packets held %.0f ms each (at most %.1f ms late)" % (
        count, delay_ms, longest * 1000))
    return 0


# ------------------------------------------ dead peers and keepalive
#
# Roles for the scenarios in which the path between client and server is
# cut (by the script, on the router) after the connection has carried
# data: the sender's kernel retransmits until TCP_USER_TIMEOUT or
# tcp_retries2 gives up, or keepalive probes go unanswered.  Each program
# prints what its socket calls returned, and when.

DEAD_PEER_SERVER_MODES = ("keepalive-hold", "answer-on-release")
DEAD_PEER_CLIENT_MODES = ("second-request", "keepalive-idle", "request-wait")


def tcp_info_brief(sock):
    """State, retransmission and probe counters from struct tcp_info."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    except OSError as exc:
        return "tcp_info: %s" % describe(exc)
    if len(info) < 104:
        return "tcp_info: only %d bytes" % len(info)
    f = struct.unpack_from("8B24I", info)
    # f[0..7]: state, ca_state, retransmits, probes, backoff, ...;
    # f[8]: rto (us), f[31]: total_retrans
    return "state %s, tcpi_retransmits %d, tcpi_probes %d, tcpi_backoff %d, " \
        "tcpi_rto %d ms, tcpi_total_retrans %d" % (
            TCP_STATES.get(f[0], "state %d" % f[0]), f[2], f[3], f[4],
            f[8] // 1000, f[31])


def after_error(role, sock):
    """What a program sees on the socket once the kernel has given up:
    the state, SO_ERROR, one more recv() and one send()."""
    say(role, "then: %s; SO_ERROR %s" % (tcp_info_brief(sock), so_error(sock)))
    try:
        sock.settimeout(1)
        data = sock.recv(4096)
        say(role, "then recv() returned %d bytes%s" % (
            len(data), " (EOF)" if not data else ""))
    except OSError as exc:
        say(role, "then recv() failed: %s" % describe(exc))
    try:
        n = sock.send(b"x")
        say(role, "then send() of 1 byte returned %d" % n)
    except OSError as exc:
        say(role, "then send() of 1 byte failed: %s" % describe(exc))


def blocking_recv(role, sock, limit_s, t_ref, what):
    """recv() with a bounded wait; report its outcome with the time since
    T_REF.  Returns True if the kernel reported an error."""
    sock.settimeout(limit_s)
    try:
        data = sock.recv(4096)
    except OSError as exc:
        dt = time.monotonic() - t_ref
        if exc.errno is None:
            # Python's own socket timeout: the kernel reported nothing.
            say(role, "recv() returned nothing within %.1f s (no error from "
                "the kernel; Python's socket timeout at %.3f s after %s); "
                "%s" % (limit_s, dt, what, tcp_info_brief(sock)))
            return False
        say(role, "recv() failed %.3f s after %s (wall clock %.6f): %s" % (
            dt, what, time.time(), describe(exc)))
        return True
    dt = time.monotonic() - t_ref
    say(role, "recv() returned %d bytes%s %.3f s after %s" % (
        len(data), " (EOF)" if not data else "", dt, what))
    return False


def serve_dead_peer_mode(conn, mode, anchor):
    """keepalive-hold       answer every keep-alive request (HTTP/1.1) until
                           EOF (then close()), or until server-release.mark
                           appears (at most 20 s): then report what was seen
                           and close() with SO_LINGER {1,0}.
    answer-on-release:MS   TCP_USER_TIMEOUT MS; read the request, create
                           server-got.mark, wait (at most 10 s) for
                           server-release.mark, send the response and block
                           in recv() (at most 20 s); report what send() and
                           recv() returned and when."""
    role = "server"
    name, _, arg = mode.partition(":")
    release = sync_path(anchor, "server-release.mark")
    t0 = time.monotonic()
    if name == "keepalive-hold":
        n = 0
        buf = b""
        deadline = t0 + 20
        while time.monotonic() < deadline:
            if os.path.exists(release):
                say(role, "released at %.3f s after %d request(s) answered; "
                    "%s; close() with SO_LINGER {1,0}" % (
                        time.monotonic() - t0, n, tcp_info_brief(conn)))
                linger_abort(conn)
                return
            readable, _, _ = select.select([conn], [], [], 0.05)
            if not readable:
                continue
            chunk = conn.recv(4096)
            if not chunk:
                say(role, "%d request(s) answered; EOF at %.3f s, state %s; "
                    "close()" % (n, time.monotonic() - t0, tcp_state(conn)))
                return
            buf += chunk
            while b"\r\n\r\n" in buf:
                _, _, buf = buf.partition(b"\r\n\r\n")
                conn.sendall(KEEPALIVE_RESPONSE)
                n += 1
        say(role, "no EOF and no release within 20 s (%d request(s) "
            "answered); close()" % n)
        return
    if name == "answer-on-release":
        ms = int(arg)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, ms)
        req = read_request(conn, 5)
        touch(sync_path(anchor, "server-got.mark"))
        released = await_file(release, 10)
        t_send = time.monotonic()
        n = conn.send(HTTP_RESPONSE)
        say(role, "TCP_USER_TIMEOUT %d ms; %d byte request read; %s; send() "
            "of the %d byte response returned %d at once" % (
                ms, len(req), "released" if released else "no release",
                len(HTTP_RESPONSE), n))
        if blocking_recv(role, conn, 20, t_send, "send()"):
            after_error(role, conn)
        return


def client_dead_peer_mode(sock, mode, markfile):
    """second-request[:MS]  (with MS: TCP_USER_TIMEOUT MS) keep-alive GET,
                           read the response, create client-got.mark, wait
                           (at most 10 s) for client-release.mark (the
                           script cuts the path in between), send a second
                           GET and block in recv() (at most 20 s); report
                           what send() and recv() returned and when.
    keepalive-idle:IDLE:INTVL:CNT:WAIT  SO_KEEPALIVE with TCP_KEEPIDLE IDLE,
                           TCP_KEEPINTVL INTVL, TCP_KEEPCNT CNT; keep-alive
                           GET, read the response, create client-got.mark,
                           block in recv() for at most WAIT s and report; if
                           nothing happened, close() (FIN).
    request-wait:SECS      GET, block in recv() for at most SECS s and
                           report; then wait (at most 20 s) for
                           client-release.mark and close() with SO_LINGER
                           {1,0}."""
    role = "client"
    name, _, arg = mode.partition(":")
    args = arg.split(":") if arg else []
    if name == "second-request":
        if args:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT,
                            int(args[0]))
        sock.settimeout(5)
        sock.sendall(KEEPALIVE_REQUEST)
        resp = recv_exactly(sock, len(KEEPALIVE_RESPONSE))
        touch(sync_path(markfile, "client-got.mark"))
        released = await_file(sync_path(markfile, "client-release.mark"), 10)
        t_send = time.monotonic()
        n = sock.send(KEEPALIVE_REQUEST)
        say(role, "%s; request 1: %d byte response; %s; send() of the %d byte "
            "request 2 returned %d at once" % (
                "TCP_USER_TIMEOUT %s ms" % args[0] if args
                else "no TCP_USER_TIMEOUT", len(resp),
                "released" if released else "no release",
                len(KEEPALIVE_REQUEST), n))
        if blocking_recv(role, sock, 20, t_send, "send()"):
            after_error(role, sock)
        return
    if name == "keepalive-idle":
        idle, intvl, cnt = (int(a) for a in args[:3])
        wait = float(args[3])
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)
        sock.settimeout(5)
        sock.sendall(KEEPALIVE_REQUEST)
        resp = recv_exactly(sock, len(KEEPALIVE_RESPONSE))
        t_got = time.monotonic()
        touch(sync_path(markfile, "client-got.mark"))
        say(role, "SO_KEEPALIVE, TCP_KEEPIDLE %d, TCP_KEEPINTVL %d, "
            "TCP_KEEPCNT %d; %d byte response; idle in recv() (at most "
            "%s s)" % (idle, intvl, cnt, len(resp), args[3]))
        if blocking_recv(role, sock, wait, t_got, "the response"):
            after_error(role, sock)
            return
        say(role, "close() %.3f s after the response" % (
            time.monotonic() - t_got))
        return
    if name == "request-wait":
        t_send = time.monotonic()
        sock.sendall(HTTP_REQUEST)
        say(role, "%d byte request sent; waiting in recv() (at most %s s)"
            % (len(HTTP_REQUEST), arg))
        blocking_recv(role, sock, float(arg), t_send, "the request")
        released = await_file(sync_path(markfile, "client-release.mark"), 20)
        say(role, "%s; SO_ERROR %s; close() with SO_LINGER {1,0}" % (
            "released" if released else "no release", so_error(sock)))
        linger_abort(sock)
        return


# ------------------------------------------ path MTU
#
# Roles for the path-MTU scenarios: a small request, then a response of
# several full-size segments from the server.  Both ends print what
# tcp_info says about segment sizes and retransmissions.

PMTU_SERVER_MODES = ("big-response",)
PMTU_CLIENT_MODES = ("big-response",)


def big_response(total):
    """An HTTP/1.0 response of exactly TOTAL bytes (header included)."""
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n" \
           b"Content-Length: %d\r\n\r\n"
    n = total - len(head % 0)
    n = total - len(head % n)   # the length's own digits
    line = b"tcpdiag path MTU sample line\n"
    body = (line * (n // len(line) + 1))[:n]
    return head % n + body


def tcp_info_sizes(sock):
    """'state X, snd_mss A, rcv_mss B, pmtu C, retrans D' from tcp_info."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    except OSError as exc:
        return "tcp_info: %s" % describe(exc)
    snd_mss, rcv_mss = struct.unpack_from("II", info, 16)
    pmtu, = struct.unpack_from("I", info, 60)
    total_retrans, = struct.unpack_from("I", info, 100)
    return "state %s, snd_mss %d, rcv_mss %d, pmtu %d, total_retrans %d" % (
        TCP_STATES.get(info[0], "state %d" % info[0]), snd_mss, rcv_mss,
        pmtu, total_retrans)


def serve_pmtu_mode(conn, mode):
    """big-response:N[:UTO_MS]  read the request, send an N-byte response
                               in one send() (TCP_USER_TIMEOUT UTO_MS set
                               first if given), then read until EOF (at most
                               15 s) and close()."""
    role = "server"
    arg = mode.partition(":")[2]
    size, _, uto = arg.partition(":")
    resp = big_response(int(size))
    req = read_request(conn, 5)
    if uto:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(uto))
    say(role, "%d byte request; before the response: %s" % (
        len(req), tcp_info_sizes(conn)))
    t0 = time.monotonic()
    conn.sendall(resp)
    say(role, "send() of the %d byte response returned after %.3f s%s" % (
        len(resp), time.monotonic() - t0,
        "; TCP_USER_TIMEOUT %s ms" % uto if uto else ""))
    try:
        rest = recv_until_eof(conn, 15)
        say(role, "read EOF %.3f s after the send() (%d extra bytes); %s; "
            "close()" % (time.monotonic() - t0, len(rest),
                         tcp_info_sizes(conn)))
    except OSError as exc:
        say(role, "recv() failed %.3f s after the send(): %s; %s" % (
            time.monotonic() - t0, describe(exc), tcp_info_sizes(conn)))


def client_pmtu_mode(sock, mode, markfile):
    """big-response:N  send the GET, read until N bytes have arrived, or
                      until client-release.mark exists (at most 15 s),
                      then close()."""
    role = "client"
    arg = mode.partition(":")[2]
    want = int(arg)
    release = sync_path(markfile, "client-release.mark") if markfile \
        else None
    sock.settimeout(5)
    sock.sendall(HTTP_REQUEST)
    t0 = time.monotonic()
    say(role, "%d byte request sent; %s" % (len(HTTP_REQUEST),
                                           tcp_info_sizes(sock)))
    sock.setblocking(False)
    got = 0
    first = None
    why = "gave up after 15 s"
    deadline = t0 + 15
    while got < want and time.monotonic() < deadline:
        if release and os.path.exists(release):
            why = "released by the script"
            break
        readable, _, _ = select.select([sock], [], [], 0.05)
        if not readable:
            continue
        try:
            chunk = sock.recv(65536)
        except OSError as exc:
            why = "recv() failed: %s" % describe(exc)
            break
        if not chunk:
            why = "EOF"
            break
        if first is None:
            first = time.monotonic() - t0
        got += len(chunk)
    t_end = time.monotonic() - t0
    if got >= want:
        say(role, "got all %d bytes %.3f s after the request (first bytes "
            "at %.3f s); %s; close()" % (got, t_end, first,
                                         tcp_info_sizes(sock)))
    else:
        say(role, "%d of %d bytes after %.3f s (%s); %s; close()" % (
            got, want, t_end, why, tcp_info_sizes(sock)))
    sock.close()


# ------------------------------------------------------------ summarize

CLIENT_ADDRS = ("192.0.2.2", "2001:db8:1::2")
SERVER_ADDRS = ("198.51.100.2", "2001:db8:2::2")
# spoofed sources of the SYN floods (203.0.113.0/24)
SPOOFED_PREFIX = "203.0.113."
SUMMARY_FIELDS = ("ip.src", "ipv6.src", "icmp.type", "icmp.code",
                  "icmpv6.type", "icmpv6.code", "tcp.flags.syn",
                  "tcp.flags.fin", "tcp.flags.reset", "tcp.flags.push",
                  "tcp.flags.ack")


def flag_set(value):
    # tshark prints booleans as 1/0 (4.0) or True/False (newer releases)
    return value.split(",")[0] in ("1", "True")


def run_summarize(path):
    import subprocess
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=|"]
    for field in SUMMARY_FIELDS:
        cmd += ["-e", field]
    out = subprocess.run(cmd, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, timeout=30,
                         check=True, text=True).stdout
    tokens = []
    for line in out.splitlines():
        v = dict(zip(SUMMARY_FIELDS, line.split("|")))
        # ICMP errors quote the offending packet: only the first (outer)
        # value of each field describes the packet itself.
        # Background echo requests and replies are not part of the case.
        if v["icmp.type"] in ("0", "8") or v["icmpv6.type"] in ("128", "129"):
            continue
        src = (v["ip.src"] or v["ipv6.src"]).split(",")[0]
        who = "C" if src in CLIENT_ADDRS else "S" if src in SERVER_ADDRS \
            else "X" if src.startswith(SPOOFED_PREFIX) else "R"
        if v["icmp.type"]:
            what = "ICMP%s/%s" % (v["icmp.type"].split(",")[0],
                                  v["icmp.code"].split(",")[0])
        elif v["icmpv6.type"]:
            what = "ICMP6-%s/%s" % (v["icmpv6.type"].split(",")[0],
                                    v["icmpv6.code"].split(",")[0])
        else:
            what = "".join(letter for letter, field in (
                ("S", "tcp.flags.syn"), ("F", "tcp.flags.fin"),
                ("R", "tcp.flags.reset"), ("P", "tcp.flags.push"),
                ("A", "tcp.flags.ack")) if flag_set(v[field]))
        tokens.append("%s:%s" % (who, what or "-"))
    print(" ".join(tokens))
    return 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "server":
        return run_server(argv[2], int(argv[3]), argv[4],
                          argv[5] if len(argv) > 5 else None)
    if len(argv) >= 5 and argv[1] == "client":
        return run_client(argv[2], int(argv[3]), argv[4],
                          argv[5] if len(argv) > 5 else None)
    if len(argv) == 5 and argv[1] == "simopen":
        return run_simopen(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "simclose":
        return run_simclose(argv[2], argv[3], argv[4])
    if len(argv) == 5 and argv[1] == "nfqdelay":
        return run_nfqdelay(int(argv[2]), float(argv[3]), argv[4])
    if len(argv) == 3 and argv[1] == "summarize":
        return run_summarize(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
