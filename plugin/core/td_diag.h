/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_diag.h - the single table of tcpdiag's diagnoses.
 *
 * Every outcome token, its expert-info severity and group, and its one-line
 * headline live here and only here, with how it is shown.  The Wireshark
 * glue derives its expert fields and field descriptions from this table,
 * the summary code derives its wording from it, and tools/td-reference
 * prints doc/reference.md from it.
 *
 * This header is plain C: no epan includes.
 */
#ifndef TD_DIAG_H
#define TD_DIAG_H

#include <stddef.h>

/*
 * Severity and group are spelled abstractly so that the core does not
 * depend on epan/expert.h.  Each is named here once, as Wireshark names it
 * (expert_severity_vals, expert_group_vals): the glue registers the expert
 * items by looking these names up in Wireshark's own tables, and
 * tools/td-reference prints them, so the two cannot disagree.
 * X(ID, name)
 */
#define TD_SEVERITIES(X) \
    X(NONE,  "-")        /* no expert item: a normal outcome */ \
    X(CHAT,  "Chat") \
    X(NOTE,  "Note") \
    X(WARN,  "Warning") \
    X(ERROR, "Error")

#define TD_GROUPS(X) \
    X(SEQUENCE,      "Sequence") \
    X(RESPONSE_CODE, "Response") \
    X(ASSUMPTION,    "Assumption") \
    X(SECURITY,      "Security") \
    X(PROTOCOL,      "Protocol")

#define TD_SEVERITY_ENUM(id, name) TD_SEV_##id,
typedef enum { TD_SEVERITIES(TD_SEVERITY_ENUM) TD_SEV_COUNT } td_severity;
#undef TD_SEVERITY_ENUM
#define TD_GROUP_ENUM(id, name) TD_GRP_##id,
typedef enum { TD_GROUPS(TD_GROUP_ENUM) TD_GRP_COUNT } td_group;
#undef TD_GROUP_ENUM

/* "Warning", "Sequence": the names Wireshark shows. */
const char *td_severity_name(td_severity s);
const char *td_group_name(td_group g);

/*
 * Conversation outcomes.
 * X(ID, token, severity, group, shown, headline)
 *
 * shown (td_outcome_shown flags):
 *   TD_SETTLED:           nothing later in the capture can change it, so
 *                         a single pass shows its expert item at once
 *                         (the others only at the end of the capture);
 *   TD_SHOWS_SYN_WAIT:    tcpdiag.unanswered_for counts from the last SYN;
 *   TD_SHOWS_SYNACK_WAIT: ... from the last SYN-ACK;
 *   TD_SHOWS_IDLE:        tcpdiag.idle: the time since the last segment.
 *
 * The token is stable: users filter on it (tcpdiag.outcome == "refused").
 * Teardown outcomes (issue 3) are added here; keep the order of existing
 * entries, new ones go at the end of their block.
 */
typedef enum {
    TD_SETTLED = 1,
    TD_SHOWS_SYN_WAIT = 2,
    TD_SHOWS_SYNACK_WAIT = 4,
    TD_SHOWS_IDLE = 8
} td_outcome_shown;

#define TD_OUTCOMES(X) \
    X(NONE,              "none",              TD_SEV_NONE, TD_GRP_SEQUENCE, 0, \
      "No TCP segment seen yet") \
    X(SYN_PENDING,       "syn-pending",       TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWS_SYN_WAIT, \
      "SYN not answered before the capture ended: too soon to tell") \
    X(SYN_UNANSWERED,    "syn-unanswered",    TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SHOWS_SYN_WAIT, \
      "SYN never answered: dropped silently by a firewall or on the path") \
    X(REFUSED,           "refused",           TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "SYN refused with a TCP reset: no listener, or a firewall rejecting with tcp-reset") \
    X(ICMP_UNREACHABLE,  "icmp-unreachable",  TD_SEV_WARN, TD_GRP_RESPONSE_CODE, TD_SETTLED, \
      "SYN rejected by an ICMP error: unreachable or administratively prohibited") \
    X(SYNACK_PENDING,    "synack-pending",    TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWS_SYNACK_WAIT, \
      "SYN-ACK not acknowledged before the capture ended: too soon to tell") \
    X(SYNACK_UNANSWERED, "synack-unanswered", TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SHOWS_SYNACK_WAIT, \
      "SYN-ACK never acknowledged: the server sits half-open in SYN_RECV") \
    X(CLIENT_ABORTED,    "client-aborted",    TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SETTLED, \
      "The client abandoned its own connection attempt with a reset") \
    X(SERVER_ABORTED,    "server-aborted",    TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "The server reset the connection attempt after answering with SYN-ACK") \
    X(RESET_AFTER_HANDSHAKE, "reset-after-handshake", TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "Handshake completed, then reset before any data") \
    X(RESET,             "reset",             TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "Connection reset after data was exchanged") \
    X(SIMULTANEOUS_OPEN, "simultaneous-open", TD_SEV_NOTE, TD_GRP_SEQUENCE, 0, \
      "Simultaneous open: both ends sent a SYN and the handshakes crossed") \
    X(MIDSTREAM,         "midstream",         TD_SEV_NOTE, TD_GRP_ASSUMPTION, TD_SETTLED | TD_SHOWS_IDLE, \
      "Capture began in the middle of the conversation: handshake not seen") \
    X(ESTABLISHED,       "established",       TD_SEV_NONE, TD_GRP_SEQUENCE, TD_SHOWS_IDLE, \
      "Handshake completed; the connection is open") \
    X(CLOSING,           "closing",           TD_SEV_NONE, TD_GRP_SEQUENCE, 0, \
      "Handshake completed; the close has begun but not finished") \
    X(CLOSED,            "closed",            TD_SEV_NONE, TD_GRP_SEQUENCE, 0, \
      "Handshake completed and the connection closed gracefully") \
    X(CLOSE_WAIT,        "close-wait",        TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "One side closed; the other acknowledged but never closed: stuck in CLOSE_WAIT") \
    X(FIN_UNACKED,       "fin-unacked",       TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "FIN never acknowledged: the closer sits in FIN_WAIT1 and retransmits it") \
    X(LAST_ACK,          "last-ack",          TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "The final ACK never came: the passive closer sits in LAST_ACK and retransmits its FIN") \
    X(FIN_WAIT2_EXPIRED, "fin-wait2-expired", TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "The closer gave up waiting in FIN_WAIT2; the peer's late FIN was answered with a reset") \
    X(RESET_AFTER_FIN,   "reset-after-fin",   TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "Reset after a FIN: a side that had closed was sent more data, or aborted its close") \
    X(RESET_UNREAD_DATA, "reset-unread-data", TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "Reset instead of FIN by a side that had received data it never answered or acknowledged") \
    X(ACCEPT_QUEUE_FULL, "accept-queue-full", TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "The server did not take the handshake's ACK and sent its SYN-ACK again: its accept queue was full (the application does not accept() fast enough)") \
    X(RETRANS_TIMEOUT,   "retransmission-timeout", TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "Data retransmitted with growing intervals and never acknowledged: the peer or the path went dead") \
    X(KEEPALIVE_TIMEOUT, "keepalive-timeout", TD_SEV_WARN, TD_GRP_SEQUENCE, TD_SETTLED, \
      "Keepalive probes went unanswered; the prober's kernel gave up and reset the connection") \
    X(PMTU_BLACK_HOLE,   "pmtu-black-hole",   TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "Full-size segments never acknowledged while smaller ones got through: a path-MTU black hole") \
    X(IDLE_TIMEOUT,      "idle-timeout",      TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "Cut after sitting idle: the next segment was reset by a device in the path or never answered (a NAT, firewall or load balancer forgot the connection)") \
    X(ZERO_WINDOW,       "zero-window",       TD_SEV_WARN, TD_GRP_SEQUENCE, 0, \
      "A receiver advertised a zero window for a long time while its peer had data to send: its application stopped reading") \
    X(ONE_WAY,           "one-way",           TD_SEV_NOTE, TD_GRP_ASSUMPTION, 0, \
      "Only one direction is in the capture: the other side's packets were not captured (asymmetric routing, a one-way tap or SPAN port, a capture filter)")

#define TD_OUTCOME_ENUM(id, tok, sev, grp, shown, head) TD_OUT_##id,
typedef enum { TD_OUTCOMES(TD_OUTCOME_ENUM) TD_OUT_COUNT } td_outcome;
#undef TD_OUTCOME_ENUM

/*
 * Per-packet events: facts about one packet, shown on that packet only.
 * X(ID, token, severity, group, shown, headline)
 *
 * shown (td_event_shown flags) says what the packet shows besides the
 * expert item, whose message td_event_text() words:
 *   TD_SHOWN_COUNT:  the Info column note carries the step's count;
 *   TD_SHOWN_RETRANSMISSION: the tree has tcpdiag.retransmission (the
 *                    count) and tcpdiag.retransmission_interval;
 *   TD_SHOWN_ICMP:   an ICMP error's frame, shown with tcpdiag.icmp_about
 *                    and the stream it is about.
 * A new event with no flag is shown by its headline alone: every event
 * gets its expert item and column note without code elsewhere.
 */
typedef enum {
    TD_SHOWN_PLAIN = 0,
    TD_SHOWN_COUNT = 1,
    TD_SHOWN_RETRANSMISSION = 2,
    TD_SHOWN_ICMP = 4
} td_event_shown;

#define TD_SHOWN_RTX (TD_SHOWN_COUNT | TD_SHOWN_RETRANSMISSION)

#define TD_EVENTS(X) \
    X(NONE,             "none",                 TD_SEV_NONE, TD_GRP_SEQUENCE, TD_SHOWN_PLAIN, \
      "No event") \
    X(SYN_RETRANS,      "syn-retransmission",   TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_RTX, \
      "SYN retransmitted: the previous SYN was not answered") \
    X(SYNACK_RETRANS,   "synack-retransmission", TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_RTX, \
      "SYN-ACK retransmitted: the previous SYN-ACK was not acknowledged") \
    X(SYN_NEW_ISN,      "syn-new-isn",          TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_RTX, \
      "New SYN with a different initial sequence number on the same ports") \
    X(ICMP_ERROR,       "icmp-error",           TD_SEV_NOTE, TD_GRP_RESPONSE_CODE, TD_SHOWN_ICMP, \
      "ICMP error about a segment of this TCP conversation") \
    X(FIN_RETRANS,      "fin-retransmission",   TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_RTX, \
      "FIN retransmitted: the previous FIN was not acknowledged") \
    X(DATA_AFTER_FIN,   "data-after-fin",       TD_SEV_WARN, TD_GRP_PROTOCOL, TD_SHOWN_PLAIN, \
      "Data sent after the sender's own FIN: no correct TCP stack does this") \
    X(AFTER_RST,        "segment-after-rst",    TD_SEV_WARN, TD_GRP_PROTOCOL, TD_SHOWN_PLAIN, \
      "Segment sent after the sender's own reset: no correct TCP stack does this") \
    X(RST_IGNORED,      "rst-ignored",          TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_PLAIN, \
      "Reset the receiver ignores: in SYN_SENT it must acknowledge the SYN, later its sequence number must be the one expected (RFC 5961)") \
    X(PORT_REUSE,       "port-reuse",           TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_PLAIN, \
      "New SYN on the addresses and ports of an earlier conversation") \
    X(DATA_RETRANS,     "data-retransmission",  TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_RTX, \
      "Data retransmitted: the peer had not acknowledged it") \
    X(KEEPALIVE,        "keepalive",            TD_SEV_CHAT, TD_GRP_SEQUENCE, TD_SHOWN_COUNT, \
      "TCP keepalive probe: one byte below what the peer acknowledged, asking it to answer") \
    X(ZERO_WINDOW,      "zero-window",          TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_PLAIN, \
      "Receiver advertises a zero window: its receive buffer is full, its application is not reading") \
    X(ZERO_WINDOW_PROBE, "zero-window-probe",   TD_SEV_NOTE, TD_GRP_SEQUENCE, TD_SHOWN_COUNT, \
      "Zero-window probe: the sender asks whether the receiver's window has opened") \
    X(WINDOW_OPENED,    "window-opened",        TD_SEV_CHAT, TD_GRP_SEQUENCE, TD_SHOWN_PLAIN, \
      "The receiver's window opened again after a zero window") \
    X(ICMP_TOO_BIG,     "icmp-too-big",         TD_SEV_NOTE, TD_GRP_RESPONSE_CODE, TD_SHOWN_ICMP, \
      "ICMP fragmentation needed / packet too big about a segment of this conversation: the path's MTU is smaller")

#define TD_EVENT_ENUM(id, tok, sev, grp, shown, head) TD_EV_##id,
typedef enum { TD_EVENTS(TD_EVENT_ENUM) TD_EV_COUNT } td_event;
#undef TD_EVENT_ENUM


typedef struct {
    const char *token;
    td_severity severity;
    td_group    group;
    unsigned    shown;      /* td_outcome_shown, td_event_shown; 0 for the others */
    const char *headline;
} td_diag_info;

extern const td_diag_info td_outcome_info[TD_OUT_COUNT];
extern const td_diag_info td_event_info[TD_EV_COUNT];

/*
 * The message of an event's expert item: its headline and, for events
 * that count (td_event_shown), the step's numbers.  `stream` and
 * `syn_frame` name the conversation an ICMP error is about, `outcome` its
 * outcome token.  Returns what snprintf returns.
 */
int td_event_text(td_event ev, unsigned count, double interval, unsigned stream,
                  unsigned syn_frame, const char *outcome, char *buf, size_t n);

/*
 * RST forensics: how much a reset looks like it came from the endpoint
 * whose address and port it carries.
 * X(ID, token, severity, group, headline)
 */
#define TD_RST_LEVELS(X) \
    X(GENUINE,        "genuine",        TD_SEV_NONE,  TD_GRP_SECURITY, \
      "Nothing in the capture speaks against the claimed sender") \
    X(IN_PATH_DEVICE, "in-path-device", TD_SEV_NOTE,  TD_GRP_SECURITY, \
      "Reset sent by a device in the path on an endpoint's behalf: its IP header is unlike the endpoint's, nothing in it is impossible for TCP") \
    X(SUSPICIOUS,     "suspicious",     TD_SEV_WARN,  TD_GRP_SECURITY, \
      "Reset of doubtful origin: one thing in it is impossible for the claimed sender") \
    X(LIKELY_FORGED,  "likely-forged",  TD_SEV_ERROR, TD_GRP_SECURITY, \
      "Reset likely forged: injected by a third party, not sent by the endpoint it claims to come from")

#define TD_RST_LEVEL_ENUM(id, tok, sev, grp, head) TD_RST_##id,
typedef enum { TD_RST_LEVELS(TD_RST_LEVEL_ENUM) TD_RST_LEVEL_COUNT } td_rst_level;
#undef TD_RST_LEVEL_ENUM

/* The kinds of evidence about a reset. */
typedef enum {
    TD_RK_FORGERY = 0, /* impossible for the claimed sender's TCP */
    TD_RK_PATH,        /* the packet was made somewhere else than the claimed sender */
    TD_RK_BENIGN       /* an ordinary reason for what looks odd */
} td_rst_kind;

/*
 * Evidence about one reset.
 * X(ID, token, kind, meaning)
 */
#define TD_RST_FINDINGS(X) \
    X(CONTINUED,   "continued-after-rst", TD_RK_FORGERY, \
      "The claimed sender went on sending new data (or acknowledging new data) after its own reset") \
    X(SEQ_BEYOND,  "seq-beyond-sent",     TD_RK_FORGERY, \
      "Sequence number beyond anything the claimed sender has sent and beyond what its peer has acknowledged") \
    X(ACK_UNSENT,  "ack-unsent",          TD_RK_FORGERY, \
      "Acknowledges data the peer never sent") \
    X(BURST,       "guessing-burst",      TD_RK_FORGERY, \
      "Several resets from the claimed sender within a second with different sequence or acknowledgement numbers, none answering a segment") \
    X(TTL,         "ttl-differs",         TD_RK_PATH, \
      "TTL or hop limit unlike every other packet of the claimed sender in this conversation") \
    X(IPID,        "ipid-out-of-line",    TD_RK_PATH, \
      "IPv4 identification out of line with the claimed sender's counter") \
    X(TOO_SOON,    "too-soon",            TD_RK_PATH, \
      "Acknowledges data sooner after it passed the capture point than a round trip to the claimed sender takes") \
    X(ANSWERS,     "answers-segment",     TD_RK_BENIGN, \
      "Answers the peer's segment as a closed socket does: sequence number taken from its acknowledgement (RFC 9293 3.10.7.1)") \
    X(AFTER_FIN,   "after-fin",           TD_RK_BENIGN, \
      "Sent after a FIN: a side that had closed was sent more, or gave up waiting") \
    X(CHALLENGE,   "challenge-ack",       TD_RK_BENIGN, \
      "Part of an RFC 5961 exchange: the peer answered with an ACK and the sender's next reset carried exactly that number") \
    X(NO_SOCKET,   "linux-no-socket",     TD_RK_BENIGN, \
      "DF set and IP identification 0: how Linux sends a reset from no socket, unlike its per-connection counter") \
    X(ANSWERED,    "answered-after-rst",  TD_RK_FORGERY, \
      "The claimed sender answered the same SYN with a SYN-ACK after this reset: a socket that reset the attempt has no handshake to answer") \
    X(IPID_COPY,   "ipid-copies-trigger", TD_RK_PATH, \
      "IPv4 identification copied from the peer's segment that triggered the reset, as on-path injectors do") \
    X(ODD_FLAGS,   "odd-flags",           TD_RK_FORGERY, \
      "TCP flags no TCP stack sets on a reset: FIN or SYN with RST, or PSH or URG on a reset without data")

#define TD_RST_FINDING_ENUM(id, tok, kind, meaning) TD_RF_##id,
typedef enum { TD_RST_FINDINGS(TD_RST_FINDING_ENUM) TD_RF_COUNT } td_rst_finding;
#undef TD_RST_FINDING_ENUM

typedef struct {
    const char *token;
    td_rst_kind kind;
    const char *meaning;
} td_rst_finding_info;

extern const td_diag_info td_rst_level_info[TD_RST_LEVEL_COUNT];
extern const td_rst_finding_info td_rst_finding_info_table[TD_RF_COUNT];

/*
 * Capture-wide findings: patterns across many conversations.
 * X(ID, token, severity, group, headline)
 */
#define TD_FINDINGS(X) \
    X(NONE,            "none",            TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "No finding") \
    X(SYN_FLOOD,       "syn-flood",       TD_SEV_WARN, TD_GRP_SECURITY, \
      "SYN flood: many half-open or unanswered connection attempts toward one listener from many sources in a short time") \
    X(SCAN,            "scan",            TD_SEV_WARN, TD_GRP_SECURITY, \
      "Scan: one source sent SYNs to many ports or hosts, mostly refused or unanswered") \
    X(CLOSE_WAIT_LEAK, "close-wait-leak", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "A server accumulates connections stuck in CLOSE_WAIT: its application does not close them") \
    X(TIME_WAIT_CHURN, "time-wait-churn", TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "A client accumulates TIME_WAIT or reuses its ports while they are still in TIME_WAIT") \
    X(SHUTDOWN_BURST,  "shutdown-burst",  TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "A server closed or reset many connections at once (a shutdown with clients connected)") \
    X(PING_NO_TCP,     "ping-no-tcp",     TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "The host answers ICMP echo but its TCP port never answers: a firewall drops the port, not the host") \
    X(ACCEPT_QUEUE,    "accept-queue-full", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "A listener's accept queue was full: it did not take handshakes it had answered, and dropped SYNs while answering others") \
    X(ONE_WAY_CAPTURE, "one-way-capture", TD_SEV_NOTE, TD_GRP_ASSUMPTION, \
      "Every TCP conversation of the capture shows one direction only: the capture point sees one direction of the traffic")

#define TD_FINDING_ENUM(id, tok, sev, grp, head) TD_FIND_##id,
typedef enum { TD_FINDINGS(TD_FINDING_ENUM) TD_FIND_COUNT } td_finding;
#undef TD_FINDING_ENUM

extern const td_diag_info td_finding_info[TD_FIND_COUNT];

/* What the client application is told (Linux errno), where known. */
#define TD_CLIENT_ERRORS(X) \
    X(NONE,         "",             "") \
    X(ETIMEDOUT,    "ETIMEDOUT",    "Connection timed out") \
    X(ECONNREFUSED, "ECONNREFUSED", "Connection refused") \
    X(EHOSTUNREACH, "EHOSTUNREACH", "No route to host") \
    X(ENETUNREACH,  "ENETUNREACH",  "Network is unreachable") \
    X(ECONNRESET,   "ECONNRESET",   "Connection reset by peer") \
    X(EACCES,       "EACCES",       "Permission denied") \
    X(ENOPROTOOPT,  "ENOPROTOOPT",  "Protocol not available") \
    X(EHOSTDOWN,    "EHOSTDOWN",    "Host is down") \
    X(ENONET,       "ENONET",       "Machine is not on the network") \
    X(EPROTO,       "EPROTO",       "Protocol error") \
    X(EOPNOTSUPP,   "EOPNOTSUPP",   "Operation not supported")

#define TD_ERR_ENUM(id, name, text) TD_ERR_##id,
typedef enum { TD_CLIENT_ERRORS(TD_ERR_ENUM) TD_ERR_COUNT } td_client_error;
#undef TD_ERR_ENUM

extern const char *const td_client_error_name[TD_ERR_COUNT];
extern const char *const td_client_error_text[TD_ERR_COUNT];

#endif /* TD_DIAG_H */
