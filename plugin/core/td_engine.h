/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_engine.h - tcpdiag's engine: one TCP conversation, both endpoints,
 * followed segment by segment as seen at the capture point.
 *
 * Plain C, no epan includes: plain structs in, plain structs out.  The
 * Wireshark glue feeds it segments and ICMP errors (packet-tcpdiag.c) and
 * turns its answers into fields and expert items (tcpdiag-tree.c).
 *
 * The record it keeps is td_conv (td_conv.h); it hands resets to the
 * forensics (td_rst.h) and the rest after the handshake to td_flow.c.
 * Including this header gives the glue all of them.
 */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "td_conv.h"
#include "td_diag.h"
#include "td_rst.h"
#include "td_segment.h"
#include "td_seq.h"

/* Linux's timers, as the engine and the capture-wide findings
 * (td_findings.c) read them.  TIME_WAIT lasts TCP_TIMEWAIT_LEN (60 s).  A first retransmission
 * of a SYN or SYN-ACK comes 1 s after it (TCP_TIMEOUT_INIT), seen at the
 * capture point between TD_FIRST_RTX_MIN_S and TD_FIRST_RTX_MAX_S.  A
 * retransmission is overdue once its expected interval, times
 * TD_TIMER_SLACK plus TD_TIMER_SLACK_S, has passed without it. */
#define TD_TIME_WAIT_S 60.0
#define TD_FIRST_RTX_MIN_S 0.8
#define TD_FIRST_RTX_MAX_S 1.5
#define TD_TIMER_SLACK 1.1
#define TD_TIMER_SLACK_S 0.05

/* The netstat name of a td_state ("ESTABLISHED"). */
const char *td_state_name(td_state s);

/* How the client role was decided. */
typedef enum {
    TD_ROLE_UNKNOWN = 0,
    TD_ROLE_SYN,        /* the client sent the first SYN */
    TD_ROLE_SYNACK,     /* only the SYN-ACK was seen: its receiver is the client */
    TD_ROLE_PORT,       /* no SYN: the endpoint with the service port is the server */
    TD_ROLE_FIRST       /* no SYN, no port hint: the first sender is the client */
} td_role_basis;

const char *td_role_basis_name(td_role_basis b);

/* Only endpoint i's packets are in the capture, and they prove the other
 * side sent (its part of the handshake, or data they acknowledge): i, else
 * -1.  unseen_bytes (may be NULL): the other side's sequence space they
 * acknowledge beyond its SYN or their first acknowledgement. */
int td_conv_one_way(const td_conv *c, uint32_t *unseen_bytes);

/* The td_more of a conversation that has none: all zero. */
extern const td_more td_more_none;

static inline const td_more *td_more_of(const td_conv *c)
{
    return c->more ? c->more : &td_more_none;
}

/* What a segment or ICMP error did: the glue stores it per frame. */
typedef struct {
    uint8_t  client_state, server_state; /* after this packet */
    uint8_t  event;                      /* td_event */
    bool     changed;                    /* states or event differ from before */
    uint32_t count;                      /* event's number (e.g. retransmission n) */
    double   interval;                   /* event's interval (e.g. since previous SYN) */
    bool     rst_news;                   /* a reset was recorded, or learned something */
} td_step;

/* Preferences the verdict depends on. */
typedef struct {
    /* How long the capture must go on after the last unanswered SYN or
     * SYN-ACK before we call it unanswered rather than pending. */
    double answer_wait;
} td_prefs;

void td_prefs_default(td_prefs *p);

/*
 * Start a conversation.  port0/port1 are the ports of endpoint 0 (the
 * sender of the first packet) and endpoint 1; they are only used to guess
 * roles when no SYN is seen.
 */
void td_conv_init(td_conv *c, uint16_t port0, uint16_t port1);

td_step td_conv_on_segment(td_conv *c, const td_segment *s);

/* Release what the conversation allocated (its reset records). */
void td_conv_free(td_conv *c);

/* Before its first segment: this conversation reuses the addresses and
 * ports of `prev` (Wireshark's new tcp.stream `prev_stream`). */
void td_conv_set_reuse(td_conv *c, const td_conv *prev, uint32_t prev_stream);
td_step td_conv_on_icmp(td_conv *c, uint32_t frame, double ts, const td_icmp *m);

/* The conversation's outcome as known at time `now` (the current packet in
 * a single pass, the end of the capture afterwards). */
typedef struct {
    td_outcome      outcome;
    td_client_error client_error;
    uint32_t        key_frame;    /* where the diagnosis shows */
    uint32_t        answer_frame; /* what answered the SYN (SYN-ACK, RST, ICMP) */
    bool            client_gave_up;
    /* After the handshake (td_flow.c): the endpoint the diagnosis is
     * about (index + 1, 0: none) and whether it stopped retransmitting. */
    uint8_t         subject;
    bool            gave_up;
    /* Set by the caller when the capture shows the same listener
     * answering other clients' SYNs while this one's went unanswered
     * (the capture-wide finding accept-queue-full). */
    bool            listener_busy;
} td_verdict;

td_verdict td_conv_verdict(const td_conv *c, double now, const td_prefs *p);

/* The one-line summary.  `final` says that `now` is the end of the capture
 * (not just the current packet); `icmp_source` may be NULL.  Returns the
 * length written (truncated to n-1, always NUL terminated). */
size_t td_conv_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       const char *icmp_source, char *buf, size_t n);

/* Who holds TIME_WAIT, who closed first, how: "client", "server",
 * "both", "" and "four-way", "three-way", "simultaneous", "". */
const char *td_conv_time_wait_side(const td_conv *c);
const char *td_conv_closed_by(const td_conv *c);
const char *td_conv_close_type(const td_conv *c);
const char *td_conv_reset_by(const td_conv *c);

/* The SYNs follow Linux's default schedule to its end (7 SYNs). */
bool td_conv_syn_limit_reached(const td_conv *c);

/* Outcomes that cannot change once their key frame is seen (a reset, an
 * ICMP error): shown as diagnoses even in a single pass. */
bool td_outcome_is_settled(td_outcome o);

/* "0, 1.00, 3.01" - offsets of the client's SYNs from the first one. */
size_t td_conv_syn_schedule(const td_conv *c, char *buf, size_t n);

/* Client error implied by an ICMP error quoting a SYN (Linux semantics). */
td_client_error td_icmp_client_error(const td_icmp *m);
const char *td_icmp_describe(const td_icmp *m);
bool td_icmp_is_error(uint8_t type, bool v6);

/* ---- after the handshake (td_flow.c) ---------------------------------- */

/* The longest zero-window spell (ended or not) of endpoint i's receive
 * window at `now`; 0 if none. */
double td_flow_zero_window(const td_conv *c, int i, double now, bool *recovered);

/* "0, 0.21, 0.63" - offsets of endpoint i's latest retransmission
 * episode (original first). */
size_t td_flow_rtx_schedule(const td_conv *c, int i, char *buf, size_t n);

/* Engine internals, shared by td_engine.c and td_flow.c. */
td_more *td_more_get(td_conv *c); /* allocated on first call; NULL if out of memory */
void td_flow_on_segment(td_conv *c, const td_segment *s, td_step *st, double prev_ts);
void td_flow_on_rst(td_conv *c, const td_segment *s);
void td_flow_on_icmp(td_conv *c, const td_icmp *m, uint32_t frame, td_step *st);
bool td_flow_verdict(const td_conv *c, double now, const td_prefs *p, td_verdict *v);
void td_flow_late_open(const td_conv *c, td_verdict *v);
bool td_flow_reset_verdict(const td_conv *c, td_verdict *v);
size_t td_flow_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       char *buf, size_t n);

/* A copy of an endpoint's latest segment sooner than this after it was
 * captured twice (a SPAN port that mirrors both directions of a link,
 * capturing on two interfaces), not sent twice: Linux's minimum RTO is
 * 200 ms (TCP_RTO_MIN), and its tail loss probe waits at least 2 ms.
 * `proven`: only on evidence that it is the same IP packet (a SYN-ACK
 * answering a SYN sent again follows the one on the server's timer
 * within microseconds, alike but for nothing). */
#define TD_DUPLICATE_S 0.0005
bool td_captured_twice(const td_conv *c, const td_segment *s, bool proven);

#endif /* TD_ENGINE_H */
