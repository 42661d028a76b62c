/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_diag.h - the single table of tcpdiag's diagnoses.
 *
 * Every outcome token, its expert-info severity and group, and its one-line
 * headline live here and only here.  The Wireshark glue derives its expert
 * fields from this table, the summary code derives its wording from it, and
 * tools/td-reference prints the README reference from it.
 *
 * This header is plain C: no epan includes.
 */
#ifndef TD_DIAG_H
#define TD_DIAG_H

/* Severity and group are spelled abstractly so that the core does not
 * depend on epan/expert.h; the glue maps them to PI_* values. */
typedef enum {
    TD_SEV_NONE = 0, /* no expert item: a normal outcome */
    TD_SEV_CHAT,
    TD_SEV_NOTE,
    TD_SEV_WARN,
    TD_SEV_ERROR
} td_severity;

typedef enum {
    TD_GRP_SEQUENCE = 0,
    TD_GRP_RESPONSE_CODE,
    TD_GRP_ASSUMPTION,
    TD_GRP_SECURITY,
    TD_GRP_PROTOCOL
} td_group;

/*
 * Conversation outcomes.
 * X(ID, token, severity, group, headline)
 *
 * The token is stable: users filter on it (tcpdiag.outcome == "refused").
 * Teardown outcomes (issue 3) are added here; keep the order of existing
 * entries, new ones go at the end of their block.
 */
#define TD_OUTCOMES(X) \
    X(NONE,              "none",              TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "No TCP segment seen yet") \
    X(SYN_PENDING,       "syn-pending",       TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "SYN not answered before the capture ended: too soon to tell") \
    X(SYN_UNANSWERED,    "syn-unanswered",    TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "SYN never answered: dropped silently by a firewall or on the path") \
    X(REFUSED,           "refused",           TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "SYN refused with a TCP reset: no listener, or a firewall rejecting with tcp-reset") \
    X(ICMP_UNREACHABLE,  "icmp-unreachable",  TD_SEV_WARN, TD_GRP_RESPONSE_CODE, \
      "SYN rejected by an ICMP error: unreachable or administratively prohibited") \
    X(SYNACK_PENDING,    "synack-pending",    TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "SYN-ACK not acknowledged before the capture ended: too soon to tell") \
    X(SYNACK_UNANSWERED, "synack-unanswered", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "SYN-ACK never acknowledged: the server sits half-open in SYN_RECV") \
    X(CLIENT_ABORTED,    "client-aborted",    TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "The client abandoned its own connection attempt with a reset") \
    X(SERVER_ABORTED,    "server-aborted",    TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "The server reset the connection attempt after answering with SYN-ACK") \
    X(RESET_AFTER_HANDSHAKE, "reset-after-handshake", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "Handshake completed, then reset before any data") \
    X(RESET,             "reset",             TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "Connection reset after data was exchanged") \
    X(SIMULTANEOUS_OPEN, "simultaneous-open", TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "Simultaneous open: both ends sent a SYN and the handshakes crossed") \
    X(MIDSTREAM,         "midstream",         TD_SEV_NOTE, TD_GRP_ASSUMPTION, \
      "Capture began in the middle of the conversation: handshake not seen") \
    X(ESTABLISHED,       "established",       TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "Handshake completed; the connection is open") \
    X(CLOSING,           "closing",           TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "Handshake completed; the close has begun but not finished") \
    X(CLOSED,            "closed",            TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "Handshake completed and the connection closed gracefully") \
    X(CLOSE_WAIT,        "close-wait",        TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "One side closed; the other acknowledged but never closed: stuck in CLOSE_WAIT") \
    X(FIN_UNACKED,       "fin-unacked",       TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "FIN never acknowledged: the closer sits in FIN_WAIT1 and retransmits it") \
    X(LAST_ACK,          "last-ack",          TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "The final ACK never came: the passive closer sits in LAST_ACK and retransmits its FIN") \
    X(FIN_WAIT2_EXPIRED, "fin-wait2-expired", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "The closer gave up waiting in FIN_WAIT2; the peer's late FIN was answered with a reset") \
    X(RESET_AFTER_FIN,   "reset-after-fin",   TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "Reset after a FIN: a side that had closed was sent more data, or aborted its close") \
    X(RESET_UNREAD_DATA, "reset-unread-data", TD_SEV_WARN, TD_GRP_SEQUENCE, \
      "Reset instead of FIN by a side that had received data it never answered or acknowledged")

#define TD_OUTCOME_ENUM(id, tok, sev, grp, head) TD_OUT_##id,
typedef enum { TD_OUTCOMES(TD_OUTCOME_ENUM) TD_OUT_COUNT } td_outcome;
#undef TD_OUTCOME_ENUM

/*
 * Per-packet events: facts about one packet, shown on that packet only.
 * X(ID, token, severity, group, headline)
 */
#define TD_EVENTS(X) \
    X(NONE,             "none",                 TD_SEV_NONE, TD_GRP_SEQUENCE, \
      "No event") \
    X(SYN_RETRANS,      "syn-retransmission",   TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "SYN retransmitted: the previous SYN was not answered") \
    X(SYNACK_RETRANS,   "synack-retransmission", TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "SYN-ACK retransmitted: the previous SYN-ACK was not acknowledged") \
    X(SYN_NEW_ISN,      "syn-new-isn",          TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "New SYN with a different initial sequence number on the same ports") \
    X(ICMP_ERROR,       "icmp-error",           TD_SEV_NOTE, TD_GRP_RESPONSE_CODE, \
      "ICMP error about a segment of this TCP conversation") \
    X(FIN_RETRANS,      "fin-retransmission",   TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "FIN retransmitted: the previous FIN was not acknowledged") \
    X(DATA_AFTER_FIN,   "data-after-fin",       TD_SEV_WARN, TD_GRP_PROTOCOL, \
      "Data sent after the sender's own FIN: no correct TCP stack does this") \
    X(AFTER_RST,        "segment-after-rst",    TD_SEV_WARN, TD_GRP_PROTOCOL, \
      "Segment sent after the sender's own reset: no correct TCP stack does this") \
    X(RST_IGNORED,      "rst-ignored",          TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "Reset the receiver ignores: in SYN_SENT only a reset acknowledging the SYN counts") \
    X(PORT_REUSE,       "port-reuse",           TD_SEV_NOTE, TD_GRP_SEQUENCE, \
      "New SYN on the addresses and ports of an earlier conversation")

#define TD_EVENT_ENUM(id, tok, sev, grp, head) TD_EV_##id,
typedef enum { TD_EVENTS(TD_EVENT_ENUM) TD_EV_COUNT } td_event;
#undef TD_EVENT_ENUM

typedef struct {
    const char *token;
    td_severity severity;
    td_group    group;
    const char *headline;
} td_diag_info;

extern const td_diag_info td_outcome_info[TD_OUT_COUNT];
extern const td_diag_info td_event_info[TD_EV_COUNT];

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
