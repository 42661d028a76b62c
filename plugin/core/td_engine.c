/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_engine.c - conversation and endpoint state machine, and the diagnosis
 * rules of the handshake.
 *
 * Model: an endpoint's netstat state is derived from what the capture proves
 * it knows.  A side is in SYN_RECV once it has sent a SYN-ACK, ESTABLISHED
 * once it has acknowledged the peer's SYN and had its own acknowledged, in
 * CLOSE_WAIT once it has acknowledged the peer's FIN, and so on.  Evidence
 * from the endpoint's own segments is preferred over assuming that every
 * segment that passed the capture point was delivered: a SYN-ACK dropped
 * after the capture point must not make the client look ESTABLISHED.
 * Resets and ICMP errors cannot be acknowledged, so for those delivery is
 * assumed (RFC 9293 3.10.7, Linux tcp_v4_err()).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_baseline.h"
#include "td_count.h"
#include "td_engine.h"
#include "td_rst.h"
#include "td_seq.h"
#include "td_words.h"

/* Linux sends a SYN-ACK again after 1 s (TCP_TIMEOUT_INIT), then
 * doubling: a copy sooner is the answer to a SYN sent again, or a
 * duplicate. */
#define SYNACK_TIMER_S 0.9
/* Data the capture did not show counts as sent up to this much (a
 * window's worth, 2^24 bytes with window scaling); a larger jump is
 * rather a bogus sequence number. */
#define MAX_UNSEEN_BYTES (1u << 24)
/* No stack sends a segment again sooner than Linux's minimum RTO
 * (TCP_RTO_MIN, 200 ms): a copy sooner was captured twice. */
#define MIN_RTO_S 0.2
/* The initial retransmission timeout (RFC 6298 2.1; Linux
 * TCP_TIMEOUT_INIT): a single SYN is sent again after it. */
#define INITIAL_RTO_S 1.0
/* Linux's default connect(): 1 + net.ipv4.tcp_syn_retries (6) SYNs, each
 * retransmission twice the previous interval (within these factors at
 * the capture point). */
#define LINUX_SYN_COUNT 7
#define BACKOFF_MIN 1.7
#define BACKOFF_MAX 2.3
/* Ports below this are system ports (RFC 6335 6); Linux picks a client's
 * port from its ephemeral range (net.ipv4.ip_local_port_range). */
#define SYSTEM_PORT_END 1024
#define EPHEMERAL_PORT_MIN 32768
#define EPHEMERAL_PORT_MAX 60999

#define TD_ERR_NAME(id, name, text) name,
#define TD_ERR_TEXT(id, name, text) text,
const char *const td_client_error_name[TD_ERR_COUNT] = { TD_CLIENT_ERRORS(TD_ERR_NAME) };
const char *const td_client_error_text[TD_ERR_COUNT] = { TD_CLIENT_ERRORS(TD_ERR_TEXT) };
#undef TD_ERR_NAME
#undef TD_ERR_TEXT

static const char *const state_names[TD_STATE_COUNT] = {
    "CLOSED", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
    "FIN_WAIT2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"
};

const char *td_state_name(td_state s)
{
    return (unsigned)s < TD_STATE_COUNT ? state_names[s] : "UNKNOWN";
}

const char *td_role_basis_name(td_role_basis b)
{
    switch (b) {
    case TD_ROLE_SYN:    return "syn";
    case TD_ROLE_SYNACK: return "syn-ack";
    case TD_ROLE_PORT:   return "port";
    case TD_ROLE_FIRST:  return "first-packet";
    default:             return "unknown";
    }
}

void td_prefs_default(td_prefs *p)
{
    p->answer_wait = 3.0;
}

/* An acknowledgement `ack` covers sequence number `s` (it is s+1 or later,
 * but not absurdly far: a quarter of the sequence space). */
static bool ack_covers(uint32_t ack, uint32_t s)
{
    return (uint32_t)(ack - (s + 1)) < 0x40000000u;
}

/* Does `ack` acknowledge p's SYN?  Only up to what p has sent (RFC 9293
 * 3.10.7.3: SND.UNA < SEG.ACK =< SND.NXT in SYN-SENT): exactly the SYN,
 * or data p sent with it (TCP Fast Open) or after it. */
static bool acks_syn(const td_endpoint *p, uint32_t ack)
{
    if (ack == p->isn + 1)
        return true;
    if (p->bytes == 0)
        return false;
    return td_seq_gt(ack, p->isn + 1) && td_seq_le(ack, p->snd_end + 1);
}

/* Who is in TIME_WAIT: 1 the client, 2 the server, 3 both, 0 neither. */
static uint8_t time_wait_mask(const td_conv *c)
{
    return (uint8_t)((c->ep[c->client].state == TD_TIME_WAIT ? 1 : 0) |
                     (c->ep[1 - c->client].state == TD_TIME_WAIT ? 2 : 0));
}

void td_conv_set_reuse(td_conv *c, const td_conv *prev, uint32_t prev_stream)
{
    c->reuse_of = prev_stream + 1;
    c->reuse_prev_last_ts = prev->last_ts;
    c->reuse_time_wait = time_wait_mask(prev);
}

const td_more td_more_none;

td_more *td_more_get(td_conv *c)
{
    if (!c->more)
        c->more = (td_more *)calloc(1, sizeof *c->more);
    return c->more;
}

void td_conv_free(td_conv *c)
{
    free(c->rsts);
    c->rsts = NULL;
    c->nrsts = 0;
    free(c->more);
    c->more = NULL;
}

void td_conv_init(td_conv *c, uint16_t port0, uint16_t port1)
{
    memset(c, 0, sizeof *c);
    c->port[0] = port0;
    c->port[1] = port1;
    c->rst_by = TD_NO_ENDPOINT;
    c->first_fin_by = TD_NO_ENDPOINT;
    td_zeek_init(&c->zeek);
}

/*
 * Which endpoint is the server when no SYN was seen.  A port below 1024
 * facing one that is not is a service; so is a port outside the Linux
 * ephemeral range (32768-60999, net.ipv4.ip_local_port_range) facing one
 * inside it.  Otherwise the lower port.  Returns 0/1, or -1 if equal.
 */
static int server_by_port(uint16_t p0, uint16_t p1)
{
    bool w0 = p0 < SYSTEM_PORT_END, w1 = p1 < SYSTEM_PORT_END;
    bool e0 = p0 >= EPHEMERAL_PORT_MIN && p0 <= EPHEMERAL_PORT_MAX;
    bool e1 = p1 >= EPHEMERAL_PORT_MIN && p1 <= EPHEMERAL_PORT_MAX;

    if (w0 != w1)
        return w0 ? 0 : 1;
    if (e0 != e1)
        return e0 ? 1 : 0;
    if (p0 == p1)
        return -1;
    return p0 < p1 ? 0 : 1;
}

static td_state derive_state(const td_endpoint *e)
{
    const uint16_t k = e->know | e->inferred;
    const uint16_t synced = TD_K_SENT_SYN | TD_K_SYN_ACKED | TD_K_GOT_SYN;

    if (k & (TD_K_SENT_RST | TD_K_GOT_RST | TD_K_ICMP_ABORT))
        return TD_CLOSED;
    if (!(k & TD_K_ASSUMED) && (k & synced) != synced) {
        if (!(k & TD_K_SENT_SYN))
            return TD_CLOSED;
        if (!(k & TD_K_GOT_SYN))
            return TD_SYN_SENT;   /* includes: SYN-ACK passed, not yet acked */
        return TD_SYN_RECV;
    }
    if (!(k & TD_K_SENT_FIN))
        return (k & TD_K_GOT_FIN) ? TD_CLOSE_WAIT : TD_ESTABLISHED;
    if (k & TD_K_PASSIVE)
        return (k & TD_K_FIN_ACKED) ? TD_CLOSED : TD_LAST_ACK;
    if (k & TD_K_FIN_ACKED)
        return (k & TD_K_GOT_FIN) ? TD_TIME_WAIT : TD_FIN_WAIT2;
    return (k & TD_K_GOT_FIN) ? TD_CLOSING : TD_FIN_WAIT1;
}

static void start_conversation(td_conv *c, const td_segment *s)
{
    const uint8_t me = s->sender, peer = (uint8_t)(1 - s->sender);

    c->flags |= TD_C_STARTED;
    c->first_frame = s->frame;
    c->first_ts = s->ts;

    if ((s->flags & (TD_TH_SYN | TD_TH_ACK | TD_TH_RST)) == TD_TH_SYN) {
        c->client = me;
        c->role_basis = TD_ROLE_SYN;
        return;
    }
    if ((s->flags & (TD_TH_SYN | TD_TH_ACK | TD_TH_RST)) == (TD_TH_SYN | TD_TH_ACK)) {
        /* The SYN itself was not captured, but the SYN-ACK proves it. */
        c->client = peer;
        c->role_basis = TD_ROLE_SYNACK;
        c->ep[peer].know |= TD_K_SENT_SYN;
        c->ep[peer].isn = s->ack - 1;
        return;
    }
    /* Midstream: the handshake happened before the capture began. */
    c->flags |= TD_C_MIDSTREAM;
    c->ep[0].know |= TD_K_ASSUMED;
    c->ep[1].know |= TD_K_ASSUMED;
    c->ep[0].state = (uint8_t)derive_state(&c->ep[0]);
    c->ep[1].state = (uint8_t)derive_state(&c->ep[1]);
    int server = server_by_port(c->port[0], c->port[1]);
    if (server < 0) {
        c->client = me;
        c->role_basis = TD_ROLE_FIRST;
    } else {
        c->client = (uint8_t)(1 - server);
        c->role_basis = TD_ROLE_PORT;
    }
}

/* The client sends a SYN again after a reset or an ICMP error ended the
 * handshake: that handshake starts over (RFC 9293 figure 9; a client
 * that keeps retrying after an ICMP error took it as a soft error). */
static void drop_inference(td_conv *c);

static void restart_handshake(td_conv *c)
{
    drop_inference(c);   /* a new attempt: nothing inferred of the old one holds */
    for (int i = 0; i < 2; i++) {
        td_endpoint *e = &c->ep[i];
        e->know &= (uint16_t)~(TD_K_SENT_RST | TD_K_GOT_RST | TD_K_ICMP_ABORT);
        if (i != c->client)
            e->know &= (uint16_t)~(TD_K_SENT_SYN | TD_K_GOT_SYN | TD_K_SYN_ACKED);
    }
    c->rst_frame = 0;
    c->rst_by = TD_NO_ENDPOINT;
    c->synack_frame = 0; /* the answer to come is the new handshake's */
    /* The server's sequence space starts over with its next SYN-ACK. */
    c->ep[1 - c->client].have_nxt = false;
    c->ep[c->client].have_acked = false;
}

static void on_pure_syn(td_conv *c, const td_segment *s, td_step *st)
{
    td_endpoint *e = &c->ep[s->sender];
    td_endpoint *p = &c->ep[1 - s->sender];
    const bool is_client = s->sender == c->client;
    double prev_ts = c->last_syn_ts;

    if (is_client && !(c->flags & TD_C_HANDSHAKE) &&
        ((e->know | p->know) & (TD_K_SENT_RST | TD_K_GOT_RST | TD_K_ICMP_ABORT)))
        restart_handshake(c);
    if ((e->know & TD_K_SENT_SYN) && e->syn_count > 0) {
        /* A copy of the same SYN sooner than any stack retransmits (the
         * minimum RTO is 200 ms, the first SYN timeout 1 s): the packet was
         * captured twice, not sent twice. */
        if (s->seq == e->isn && s->ts - prev_ts < MIN_RTO_S && s->ts >= prev_ts && is_client) {
            st->event = TD_EV_NONE;
            return;
        }
        td_count16(&e->syn_count);
        if (s->seq == e->isn) {
            st->event = TD_EV_SYN_RETRANS;
        } else {
            /* A new attempt on the same ports: start its handshake over. */
            st->event = TD_EV_SYN_NEW_ISN;
            drop_inference(c);
            e->isn = s->seq;
            e->know &= (uint16_t)~(TD_K_SYN_ACKED | TD_K_GOT_SYN);
            e->have_nxt = false;   /* a new sequence space */
            p->have_acked = false;
        }
        st->count = (uint32_t)(e->syn_count - 1);
        st->interval = s->ts - prev_ts;
        if (is_client && p->synack_count > 0 && !(e->know & TD_K_GOT_SYN)) {
            /* The client is still in SYN_SENT although a SYN-ACK passed
             * the capture point: it never received that SYN-ACK. */
            c->flags |= TD_C_CLIENT_RETRY_AFTER_SYNACK;
            td_count16(&c->syn_retries_after_synack);
        }
    } else {
        if ((p->know & TD_K_SENT_SYN) && p->syn_count > 0 &&
            !(e->know & TD_K_GOT_SYN) && !(p->know & TD_K_GOT_SYN)) {
            /* Both ends sent a bare SYN: they crossed (RFC 9293 3.5,
             * figure 8). */
            c->flags |= TD_C_SIMOPEN;
            c->simopen_frame = s->frame;
        }
        e->know |= TD_K_SENT_SYN;
        e->isn = s->seq;
        e->syn_count = 1;
        if (is_client && c->reuse_of)
            st->event = TD_EV_PORT_REUSE;
    }
    if (is_client) {
        if (e->syn_count == 1) {
            c->syn_frame = s->frame;
        }
        if (e->syn_count == 1)
            c->syn0_ts = s->ts;
        else if (e->syn_count <= TD_MAX_SYN_TIMES)
            c->syn_at[e->syn_count - 2] = (float)(s->ts - c->syn0_ts);
        c->prev_syn_ts = c->last_syn_ts;
        c->last_syn_ts = s->ts;
        c->last_syn_frame = s->frame;
    }
}

/* The segment is its sender's latest one again, sooner than any stack
 * sends it again: the same sequence space, acknowledgement and flags, and
 * IPv4 identification (a retransmission is a new IP packet, with a new
 * one, but for the 0 of DF packets sent without a socket, such as
 * SYN-ACKs).  `proven` asks for evidence that it is the same packet: a
 * TTL one hop apart (captured on both sides of a router), or the same
 * non-zero IPv4 identification. */
bool td_captured_twice(const td_conv *c, const td_segment *s, bool proven)
{
    const td_endpoint *e = &c->ep[s->sender];
    const uint8_t fl = s->flags;
    const uint32_t end = s->seq + s->payload_len + ((fl & TD_TH_SYN) ? 1u : 0u) +
                         ((fl & TD_TH_FIN) ? 1u : 0u);

    if (e->last_frame == 0 || end != e->last_seq_end || fl != e->last_nr_flags ||
        ((fl & TD_TH_ACK) ? s->ack : 0) != e->last_ack ||
        (s->ip == 4 && s->ip_id != e->last_ip_id) ||
        s->ts < e->last_nr_ts || s->ts - e->last_nr_ts >= TD_DUPLICATE_S)
        return false;
    return !proven || (s->ttl != e->last_ttl && (uint8_t)(s->ttl - e->last_ttl + 1) <= 2) ||
           (s->ip == 4 && s->ip_id != 0);
}

static void on_synack(td_conv *c, const td_segment *s, td_step *st)
{
    td_endpoint *e = &c->ep[s->sender];

    if ((e->know & TD_K_SENT_SYN) && e->synack_count > 0 && td_captured_twice(c, s, true))
        return;

    if ((c->flags & TD_C_INFERRED_HS) && s->sender != c->client)
        drop_inference(c);   /* the server had not taken a handshake ACK after all */

    if ((c->flags & TD_C_HANDSHAKE) && s->sender != c->client && !c->late_open_frame &&
        !(c->flags & TD_C_SERVER_SPOKE) && (e->know & TD_K_SENT_SYN) && s->seq == e->isn &&
        s->ack == c->ep[c->client].isn + 1 && s->ts - c->last_synack_ts >= SYNACK_TIMER_S &&
        !(c->last_syn_ts > c->last_synack_ts)) {
        /* The same SYN-ACK again, on the server's own timer (not the answer
         * to a SYN sent again, not a copy), after the client's ACK completed
         * the handshake and before the server sent anything else: it is
         * still in SYN_RECV, it did not take that ACK (Linux
         * tcp_check_req(): the listener's accept queue is full and
         * tcp_abort_on_overflow = 0; or the ACK was lost after the capture
         * point).  Its own segments now decide. */
        if (c->synack_after_hs == 0)
            c->synack_after_hs_frame = s->frame;
        td_count16(&c->synack_after_hs);
        e->know &= (uint16_t)~TD_K_SYN_ACKED;
        c->flags |= TD_C_ACK_NOT_TAKEN;
    }
    if (!(e->know & TD_K_SENT_SYN)) {
        e->know |= TD_K_SENT_SYN;
        e->isn = s->seq;
    } else if (s->seq != e->isn && e->synack_count > 0) {
        e->isn = s->seq; /* e.g. a SYN cookie computed anew */
        e->have_nxt = false;
        c->ep[1 - s->sender].have_acked = false;
    }
    td_count16(&e->synack_count);
    /* Sending a SYN-ACK proves the peer's SYN arrived. */
    e->know |= TD_K_GOT_SYN;
    if (e->synack_count > 1) {
        st->event = TD_EV_SYNACK_RETRANS;
        st->count = (uint32_t)(e->synack_count - 1);
        st->interval = s->ts - c->last_synack_ts;
    }
    if (s->sender == c->client)
        return; /* the client's own SYN-ACK in a simultaneous open */
    if (c->synack_frame == 0) {
        c->synack_frame = s->frame;
        c->synack_ts = s->ts;
        c->hs_syn_ts = c->last_syn_ts;
    }
    c->last_synack_frame = s->frame;
    c->last_synack_ts = s->ts;
}

/* No TCP segment of this endpoint is in the capture. */
static bool silent(const td_endpoint *e)
{
    return e->last_frame == 0 && e->rst_count == 0;
}

/* Only one side's packets are in the capture (asymmetric routing, a one-way
 * tap): what that side sends proves the other side's part of the handshake.
 * A client's first segment after its SYN that acknowledges something
 * acknowledges a SYN-ACK (RFC 9293 3.10.7.3: SYN-SENT sends nothing else
 * with ACK); a server's data or FIN after its SYN-ACK follows the client's
 * handshake ACK (Linux sends nothing else from SYN_RECV but the SYN-ACK),
 * and so does its acknowledgement of the client's data (which carried it).
 * Both at the next sequence number after their own SYN. */
static void infer_unseen_handshake(td_conv *c, const td_segment *s)
{
    td_endpoint *e = &c->ep[s->sender];
    td_endpoint *p = &c->ep[1 - s->sender];

    /* (Its next sequence number: after its SYN, and the SYN's data with
     * TCP Fast Open.) */
    if ((s->flags & TD_TH_SYN) || (c->flags & (TD_C_MIDSTREAM | TD_C_INFERRED_HS)) || !silent(p) ||
        !(e->know & TD_K_SENT_SYN) || !e->have_nxt || s->seq != e->nxt)
        return;
    if (s->sender == c->client && !(p->know & TD_K_SENT_SYN)) {
        p->inferred |= TD_K_SENT_SYN | TD_K_GOT_SYN | TD_K_SYN_ACKED;
        p->isn = s->ack - 1;
        e->inferred |= TD_K_GOT_SYN | TD_K_SYN_ACKED;
    } else if (s->sender != c->client && !(e->know & TD_K_SYN_ACKED) && e->synack_count == 1 &&
               (s->payload_len > 0 || (s->flags & TD_TH_FIN) ||
                ((p->know & TD_K_SENT_SYN) && td_seq_gt(s->ack, p->isn + 1)))) {
        e->inferred |= TD_K_SYN_ACKED;
        p->inferred |= TD_K_GOT_SYN;
    } else {
        return;
    }
    c->flags |= TD_C_INFERRED_HS;
    c->one_way_frame = s->frame;
    c->hs_ack_ts = s->ts;   /* if the other side turns up, the handshake ended here */
}

/* The silent side spoke (other than with its SYN-ACK), or an ICMP error
 * came from its host: what its peer's packets proved is now known, and
 * the handshake ended at the segment that proved it. */
static void settle_inference(td_conv *c)
{
    const uint16_t synced = TD_K_SENT_SYN | TD_K_SYN_ACKED | TD_K_GOT_SYN;

    for (int i = 0; i < 2; i++) {
        c->ep[i].know |= c->ep[i].inferred;
        c->ep[i].inferred = 0;
    }
    c->flags &= (uint16_t)~TD_C_INFERRED_HS;
    if ((c->ep[0].know & synced) == synced && (c->ep[1].know & synced) == synced &&
        !(c->ep[0].know & (TD_K_SENT_RST | TD_K_GOT_RST)) &&
        !(c->ep[1].know & (TD_K_SENT_RST | TD_K_GOT_RST)) && !(c->flags & TD_C_HANDSHAKE)) {
        c->flags |= TD_C_HANDSHAKE;
        c->hs_ack_frame = c->one_way_frame;
    }
}

/* The inference no longer holds: the silent side's first packet is its
 * SYN-ACK (clocks apart: the capture's packets decide), the server sent its
 * SYN-ACK again (it had not taken a handshake ACK, or its data went out
 * from SYN_RECV with TCP Fast Open), or a new SYN began another attempt. */
static void drop_inference(td_conv *c)
{
    c->ep[0].inferred = c->ep[1].inferred = 0;
    c->flags &= (uint16_t)~TD_C_INFERRED_HS;
    c->one_way_frame = 0;
}

static void on_ack(td_conv *c, const td_segment *s)
{
    td_endpoint *e = &c->ep[s->sender];
    td_endpoint *p = &c->ep[1 - s->sender];

    infer_unseen_handshake(c, s);

    /* A bare ACK to a SYN from a side that has no SYN of its own: what a
     * socket in TIME_WAIT (or any synchronized state) sends to a SYN it
     * will not accept (RFC 9293 3.10.7.4, RFC 5961 4). */
    if (!(s->flags & TD_TH_SYN) && !(e->know & TD_K_SENT_SYN) && p->state == TD_SYN_SENT &&
        s->sender != c->client && !c->ack_to_syn_frame && !(e->know & TD_K_ASSUMED))
        c->ack_to_syn_frame = s->frame;

    if ((c->flags & TD_C_ACK_NOT_TAKEN) && s->sender != c->client && !(s->flags & TD_TH_SYN)) {
        /* The server sends something other than its SYN-ACK: it has taken
         * an ACK of it at last. */
        c->flags &= (uint16_t)~TD_C_ACK_NOT_TAKEN;
        e->know |= TD_K_SYN_ACKED;
        c->late_open_frame = s->frame;
        c->late_open_ts = s->ts;
    }
    if ((c->flags & TD_C_HANDSHAKE) && s->sender != c->client && !(s->flags & TD_TH_SYN))
        c->flags |= TD_C_SERVER_SPOKE;
    if ((p->know & TD_K_SENT_SYN) && !(p->know & TD_K_SYN_ACKED) &&
        !((c->flags & TD_C_ACK_NOT_TAKEN) && s->sender == c->client) &&
        acks_syn(p, s->ack)) {
        p->know |= TD_K_SYN_ACKED;
        e->know |= TD_K_GOT_SYN;
    }
    if ((p->know & TD_K_SENT_FIN) && !(p->know & TD_K_FIN_ACKED) &&
        ack_covers(s->ack, p->fin_seq)) {
        p->know |= TD_K_FIN_ACKED;
        e->know |= TD_K_GOT_FIN;
        e->got_fin_frame = s->frame;
    }
}

static void on_fin(td_conv *c, const td_segment *s, td_step *st)
{
    td_endpoint *e = &c->ep[s->sender];
    uint32_t fin_seq = s->seq + s->payload_len + ((s->flags & TD_TH_SYN) ? 1u : 0u);

    if ((e->know & TD_K_SENT_FIN) && fin_seq == e->fin_seq && td_captured_twice(c, s, false))
        return;

    if (!(e->know & TD_K_SENT_FIN)) {
        e->know |= TD_K_SENT_FIN;
        e->fin_seq = fin_seq;
        e->fin_frame = s->frame;
        e->fin_ts = s->ts;
        if (c->first_fin_by == TD_NO_ENDPOINT)
            c->first_fin_by = s->sender;
        /* It had the peer's FIN before closing: the passive closer
         * (CLOSE_WAIT -> LAST_ACK, RFC 9293 3.6). */
        if (e->know & TD_K_GOT_FIN)
            e->know |= TD_K_PASSIVE;
    } else if (fin_seq == e->fin_seq && !(e->know & TD_K_FIN_ACKED) &&
               st->event == TD_EV_NONE) {
        st->event = TD_EV_FIN_RETRANS;
        st->count = e->fin_count;
        st->interval = s->ts - e->last_fin_ts;
    }
    e->last_fin_frame = s->frame;
    e->last_fin_ts = s->ts;
    td_count16(&e->fin_count);
}

static bool on_rst(td_conv *c, const td_segment *s)
{
    td_endpoint *e = &c->ep[s->sender];
    td_endpoint *p = &c->ep[1 - s->sender];

    td_count16(&e->rst_count);
    /* RFC 9293 3.10.7.3: in SYN-SENT a reset is acceptable only if it
     * acknowledges the SYN; otherwise the receiver drops it and nothing
     * happened.  Window checks in the other states (RFC 5961) belong to
     * RST forensics. */
    if (p->state == TD_SYN_SENT && !((s->flags & TD_TH_ACK) && s->ack == p->isn + 1))
        return false;
    /* In the synchronized states (and SYN-RECEIVED) only a reset whose
     * sequence number is exactly the one the receiver expects is acted on;
     * any other gets a challenge ACK or is dropped (RFC 5961 3.2, Linux
     * tcp_validate_incoming()).  Expected: the sender's next sequence
     * number as seen here, or what the receiver last acknowledged. */
    if (p->state != TD_CLOSED && p->state != TD_SYN_SENT && p->state != TD_SYN_RECV &&
        e->have_nxt && s->seq != e->nxt && !(p->have_acked && s->seq == p->acked) &&
        !((e->know & TD_K_SENT_FIN) && s->seq == e->nxt - 1))
        return false;
    /* (Linux also takes RCV.NXT - 1 once it has the sender's FIN, and any
     * in-window reset in SYN-RECEIVED.) */

    if (c->rst_frame == 0) {
        c->rst_frame = s->frame;
        c->rst_ts = s->ts;
        c->rst_by = s->sender;
        c->rst_state = e->state;
        c->rst_peer_state = p->state;
        c->bytes_at_rst = c->ep[0].bytes + c->ep[1].bytes;
        c->rst_sender_bytes = e->bytes;
        c->rst_trigger_flags = p->last_flags;
        c->rst_trigger_len = p->last_len;
        c->rst_acks_less = (s->flags & TD_TH_ACK) && p->bytes > 0 &&
                           td_seq_gt(p->snd_end, s->ack);
        td_flow_on_rst(c, s);
    }
    /* A client in SYN-SENT answers an ACK that acknowledges something
     * else with a reset and stays in SYN-SENT (RFC 9293 3.10.7.3, figure 9:
     * an old duplicate SYN-ACK, or TIME-WAIT's ACK). */
    if (!(e->state == TD_SYN_SENT && (p->last_flags & TD_TH_ACK) && !(e->know & TD_K_SYN_ACKED)))
        e->know |= TD_K_SENT_RST;
    if (p->state != TD_CLOSED)
        p->know |= TD_K_GOT_RST;
    return true;
}


static void finish_step(td_conv *c, td_step *st, uint8_t prev_client, uint8_t prev_server,
                        double ts)
{
    for (int i = 0; i < 2; i++) {
        uint8_t ns = (uint8_t)derive_state(&c->ep[i]);
        if (ns != c->ep[i].state)
            c->ep[i].state_ts = ts;
        c->ep[i].state = ns;
    }
    st->client_state = c->ep[c->client].state;
    st->server_state = c->ep[1 - c->client].state;
    st->changed = st->event != TD_EV_NONE || st->client_state != prev_client ||
                  st->server_state != prev_server;
}

td_step td_conv_on_segment(td_conv *c, const td_segment *s)
{
    td_step st;
    uint8_t prev_client, prev_server;
    const uint8_t fl = s->flags;

    memset(&st, 0, sizeof st);
    if (s->sender > 1)
        return st;
    if (!(c->flags & TD_C_STARTED))
        start_conversation(c, s);
    const double prev_ts = c->packets ? c->last_ts : -1.0;
    prev_client = c->ep[c->client].state;
    prev_server = c->ep[1 - c->client].state;
    if (c->packets == 0) {
        /* The first packet always gets a record. */
        prev_client = prev_server = 0xff;
    }
    td_count32(&c->packets);
    if (s->ts > c->last_ts)
        c->last_ts = s->ts;
    td_zeek_on_segment(&c->zeek, s->sender, c->port[s->sender], c->port[1 - s->sender],
                       s->flags, s->seq, s->ack, s->payload_len, s->window);

    td_endpoint *me = &c->ep[s->sender];
    if ((c->flags & TD_C_INFERRED_HS) && silent(me)) {
        /* The side that had been silent speaks. */
        if ((fl & (TD_TH_SYN | TD_TH_ACK)) == (TD_TH_SYN | TD_TH_ACK))
            drop_inference(c);
        else
            settle_inference(c);
    }
    if ((me->know & TD_K_SENT_RST) && !(fl & TD_TH_RST)) {
        /* RFC 9293 3.10.7: a reset ends the connection for its sender. */
        st.event = TD_EV_AFTER_RST;
    } else if ((me->know & TD_K_SENT_FIN) && s->payload_len > 0 &&
               td_seq_gt(s->seq + s->payload_len, me->fin_seq)) {
        /* Payload past the FIN's sequence number (RFC 9293 3.10.7.4). */
        st.event = TD_EV_DATA_AFTER_FIN;
    }
    if (c->nrsts && td_rst_observe(c, s))
        st.rst_news = true;
    if (fl & TD_TH_RST) {
        td_rst *r = td_rst_record(c, s);
        bool accepted = on_rst(c, s);
        if (r) {
            r->accepted = accepted;
            st.rst_news = true;
        }
        if (!accepted)
            st.event = TD_EV_RST_IGNORED;
    } else {
        if ((fl & (TD_TH_SYN | TD_TH_ACK)) == TD_TH_SYN)
            on_pure_syn(c, s, &st);
        else if ((fl & (TD_TH_SYN | TD_TH_ACK)) == (TD_TH_SYN | TD_TH_ACK))
            on_synack(c, s, &st);
        if (fl & TD_TH_ACK)
            on_ack(c, s);
        if (fl & TD_TH_FIN)
            on_fin(c, s, &st);
        if (s->payload_len > 0) {
            /* Bytes counted once: what a retransmission sends again is not
             * new (its data ends at or before the highest sent so far). */
            uint32_t end = s->seq + s->payload_len + ((fl & TD_TH_SYN) ? 1u : 0u);
            bool first = me->bytes == 0 && me->snd_end == 0;
            if (first && (me->know & TD_K_SENT_SYN) && !(fl & TD_TH_SYN) &&
                td_seq_gt(end, me->isn + 1) && td_seq_ge(s->seq, me->isn + 1)) {
                /* Counted from the first byte after its SYN: data the
                 * capture missed or saw out of order was sent all the same. */
                me->snd_end = me->isn + 1;
                first = false;
            }
            /* Everything up to its highest byte was sent, also what the
             * capture missed. */
            uint32_t fresh = s->payload_len;
            if (!first)
                fresh = !td_seq_gt(end, me->snd_end) ? 0
                      : end - me->snd_end <= MAX_UNSEEN_BYTES + s->payload_len ? end - me->snd_end
                      : s->payload_len;
            /* ... but for its FIN's sequence number, if data came past it. */
            if (fresh && (me->know & TD_K_SENT_FIN) && td_seq_ge(me->fin_seq, me->snd_end) &&
                td_seq_lt(me->fin_seq, end))
                fresh--;
            me->bytes += fresh;
            if (first || td_seq_gt(end, me->snd_end))
                me->snd_end = end;
        }
    }
    if (!(fl & TD_TH_RST)) {
        td_flow_on_segment(c, s, &st, prev_ts);
        /* Sequence space used, acknowledgements sent, and what its IP
         * headers look like: the baseline its resets are judged by. */
        uint32_t end = s->seq + s->payload_len + ((fl & TD_TH_SYN) ? 1u : 0u) +
                       ((fl & TD_TH_FIN) ? 1u : 0u);
        if (!me->have_nxt || td_seq_gt(end, me->nxt)) {
            me->nxt = end;
            me->nxt_ts = s->ts;
            me->have_nxt = true;
        }
        if ((fl & TD_TH_ACK) && !me->have_acked) {
            me->first_acked = s->ack;
        } else if (fl & TD_TH_ACK) {
            /* Acknowledgements that jump by more than any window could
             * are not a peer's data (an ACK flood, random numbers). */
            const int32_t d = td_seq_diff(s->ack, me->acked);
            if (d > (int32_t)MAX_UNSEEN_BYTES || d < -(int32_t)MAX_UNSEEN_BYTES)
                c->flags |= TD_C_ACKS_ERRATIC;
            else if (td_seq_lt(s->ack, me->first_acked))
                me->first_acked = s->ack;   /* reordered: the lowest */
        }
        /* Mid-conversation, the other side silent so far: its data is
         * proven from the first acknowledgement that moves. */
        if ((fl & TD_TH_ACK) && (c->flags & TD_C_MIDSTREAM) && !c->one_way_frame && me->have_acked &&
            !(c->flags & TD_C_ACKS_ERRATIC) && td_seq_gt(s->ack, me->first_acked) &&
            silent(&c->ep[1 - s->sender]))
            c->one_way_frame = s->frame;
        if ((fl & TD_TH_ACK) && (!me->have_acked || td_seq_gt(s->ack, me->acked))) {
            me->acked = s->ack;
            me->have_acked = true;
        }
        me->last_frame = s->frame;
        me->last_nr_ts = s->ts;
        me->last_seq_end = end;
        me->last_ack = (fl & TD_TH_ACK) ? s->ack : 0;
        me->last_nr_flags = fl;
        me->last_ttl = s->ttl;
        me->last_ip_id = s->ip == 4 ? s->ip_id : 0;
        td_baseline_add(&me->base, s);
    }
    me->last_flags = fl;
    me->last_len = s->payload_len;

    if (!(c->flags & TD_C_HANDSHAKE) && !(c->flags & TD_C_MIDSTREAM)) {
        const uint16_t synced = TD_K_SENT_SYN | TD_K_SYN_ACKED | TD_K_GOT_SYN;
        if ((c->ep[0].know & synced) == synced && (c->ep[1].know & synced) == synced &&
            !(c->ep[0].know & (TD_K_SENT_RST | TD_K_GOT_RST)) &&
            !(c->ep[1].know & (TD_K_SENT_RST | TD_K_GOT_RST))) {
            c->flags |= TD_C_HANDSHAKE;
            c->hs_ack_frame = s->frame;
            c->hs_ack_ts = s->ts;
            c->hs_ack_bare = s->payload_len == 0 && !(fl & (TD_TH_FIN | TD_TH_SYN));
        }
    }
    finish_step(c, &st, prev_client, prev_server, s->ts);
    return st;
}

bool td_icmp_is_error(uint8_t type, bool v6)
{
    if (v6)
        return type >= 1 && type <= 4; /* unreach, too big, time exceeded, param problem */
    return type == 3 || type == 11 || type == 12;   /* unreach, time exceeded, param problem */
}

/* Linux: icmp_err_convert[] (net/ipv4/icmp.c) and icmpv6_err_convert()
 * (net/ipv6/icmp.c).  In SYN_SENT every such error aborts the connect
 * (tcp_v4_err()/tcp_v6_err(): sk_err = err; tcp_done()). */
td_client_error td_icmp_client_error(const td_icmp *m)
{
    if (m->v6) {
        if (m->type == 1) {
            switch (m->code) {
            case 0: return TD_ERR_ENETUNREACH;
            case 1: case 5: case 6: return TD_ERR_EACCES;
            case 2: case 3: return TD_ERR_EHOSTUNREACH;
            case 4: return TD_ERR_ECONNREFUSED;
            default: return TD_ERR_EPROTO;
            }
        }
        if (m->type == 3)
            return TD_ERR_EHOSTUNREACH;
        if (m->type == 4)
            return TD_ERR_EPROTO;
        return TD_ERR_NONE;
    }
    if (m->type == 3) {
        switch (m->code) {
        case 0: case 6: case 9: case 11: return TD_ERR_ENETUNREACH;
        case 2: return TD_ERR_ENOPROTOOPT;
        case 3: return TD_ERR_ECONNREFUSED;
        case 4: return TD_ERR_NONE;   /* fragmentation needed: path MTU only */
        case 5: return TD_ERR_EOPNOTSUPP;
        case 7: return TD_ERR_EHOSTDOWN;
        case 8: return TD_ERR_ENONET;
        case 1: case 10: case 12: case 13: case 14: case 15: return TD_ERR_EHOSTUNREACH;
        default: return TD_ERR_NONE;  /* Linux ignores codes above 15 */
        }
    }
    if (m->type == 11)
        return TD_ERR_EHOSTUNREACH;
    if (m->type == 12)
        return TD_ERR_EPROTO;
    return TD_ERR_NONE;
}

const char *td_icmp_describe(const td_icmp *m)
{
    if (m->v6) {
        if (m->type == 1) {
            switch (m->code) {
            case 0: return "ICMPv6 destination unreachable (no route)";
            case 1: return "ICMPv6 destination unreachable (administratively prohibited)";
            case 3: return "ICMPv6 destination unreachable (address unreachable)";
            case 4: return "ICMPv6 destination unreachable (port unreachable)";
            case 5: return "ICMPv6 destination unreachable (source address failed policy)";
            case 6: return "ICMPv6 destination unreachable (reject route)";
            default: return "ICMPv6 destination unreachable";
            }
        }
        if (m->type == 2)
            return "ICMPv6 packet too big";
        if (m->type == 3)
            return "ICMPv6 time exceeded";
        return "ICMPv6 parameter problem";
    }
    if (m->type == 3) {
        switch (m->code) {
        case 0: return "ICMP destination unreachable (network unreachable)";
        case 1: return "ICMP destination unreachable (host unreachable)";
        case 2: return "ICMP destination unreachable (protocol unreachable)";
        case 3: return "ICMP destination unreachable (port unreachable)";
        case 4: return "ICMP destination unreachable (fragmentation needed)";
        case 9: return "ICMP destination unreachable (network administratively prohibited)";
        case 10: return "ICMP destination unreachable (host administratively prohibited)";
        case 13: return "ICMP destination unreachable (communication administratively prohibited)";
        default: return "ICMP destination unreachable";
        }
    }
    if (m->type == 11)
        return "ICMP time exceeded";
    return "ICMP parameter problem";
}

td_step td_conv_on_icmp(td_conv *c, uint32_t frame, double ts, const td_icmp *m)
{
    td_step st;
    uint8_t prev_client = c->ep[c->client].state;
    uint8_t prev_server = c->ep[1 - c->client].state;

    memset(&st, 0, sizeof st);
    st.event = TD_EV_ICMP_ERROR;
    if (!(c->flags & TD_C_STARTED) || m->about > 1) {
        st.client_state = prev_client;
        st.server_state = prev_server;
        st.changed = true;
        return st;
    }
    if (ts > c->last_ts)
        c->last_ts = ts;
    td_endpoint *e = &c->ep[m->about];
    /* Sent by the other endpoint's own host: that side is in the capture. */
    if (m->from_destination) {
        c->flags |= m->about == 0 ? TD_C_ICMP_FROM_EP1 : TD_C_ICMP_FROM_EP0;
        if (c->flags & TD_C_INFERRED_HS)
            settle_inference(c);
    }
    /* A hard error in SYN_SENT ends the connect (Linux tcp_v4_err():
     * sk_err = err; tcp_done()).  Others (fragmentation needed, codes
     * Linux ignores) are only shown on the ICMP packet. */
    if (e->state == TD_SYN_SENT && td_icmp_client_error(m) != TD_ERR_NONE) {
        e->know |= TD_K_ICMP_ABORT;
        if (c->icmp_frame == 0) {
            c->icmp_frame = frame;
            c->icmp_ts = ts;
            c->icmp = *m;
        }
    }
    td_flow_on_icmp(c, m, frame, &st);
    finish_step(c, &st, prev_client, prev_server, ts);
    st.changed = true;
    return st;
}

/* ---- verdict ---------------------------------------------------------- */

bool td_outcome_is_settled(td_outcome o)
{
    return (unsigned)o < TD_OUT_COUNT && (td_outcome_info[o].shown & TD_SETTLED);
}

static double last_syn_interval(const td_conv *c)
{
    if (c->ep[c->client].syn_count < 2)
        return 0.0;
    return c->last_syn_ts - c->prev_syn_ts;
}

/* Has the client stopped sending SYNs?  A client still in its retry
 * schedule would have sent the next SYN after twice the last interval
 * (exponential backoff, RFC 6298 5.5); after a single SYN, after the
 * initial RTO of 1 s (RFC 6298 2.1). */
/* Linux's default: 1 + net.ipv4.tcp_syn_retries (6) SYNs, the first
 * retransmission after the 1 s initial RTO and each later one after twice
 * the previous interval; the connect fails with ETIMEDOUT one doubled
 * interval after the 7th SYN (tcp_write_timeout()). */
bool td_conv_syn_limit_reached(const td_conv *c)
{
    const td_endpoint *cl = &c->ep[c->client];

    if (cl->syn_count != LINUX_SYN_COUNT)
        return false;
    double first = td_conv_syn_ts(c, 1) - td_conv_syn_ts(c, 0);
    if (first < TD_FIRST_RTX_MIN_S || first > TD_FIRST_RTX_MAX_S)
        return false;
    for (unsigned i = 2; i < LINUX_SYN_COUNT; i++) {
        double prev = td_conv_syn_ts(c, i - 1) - td_conv_syn_ts(c, i - 2);
        double cur = td_conv_syn_ts(c, i) - td_conv_syn_ts(c, i - 1);
        if (cur < prev * BACKOFF_MIN || cur > prev * BACKOFF_MAX)
            return false;
    }
    return true;
}

static bool client_gave_up(const td_conv *c, double now, const td_prefs *p)
{
    if (td_conv_syn_limit_reached(c))
        return true;

    double interval = last_syn_interval(c);
    double next = interval > 0.0 ? 2.0 * interval : INITIAL_RTO_S;
    double wait = next * TD_TIMER_SLACK + TD_TIMER_SLACK_S;

    if (wait < p->answer_wait)
        wait = p->answer_wait;
    return now - c->last_syn_ts >= wait;
}

static bool fin_sent_before(uint8_t state_before)
{
    return state_before == TD_FIN_WAIT1 || state_before == TD_FIN_WAIT2 ||
           state_before == TD_CLOSING || state_before == TD_TIME_WAIT ||
           state_before == TD_LAST_ACK;
}

static bool first_rst_doubted(const td_conv *c);

/* A reset after the handshake: who sent it, and in which situation. */
static void reset_verdict(const td_conv *c, td_verdict *v)
{
    const uint8_t srv = (uint8_t)(1 - c->client);
    const bool by_server = c->rst_by == srv;

    v->key_frame = c->rst_frame;
    if (fin_sent_before(c->rst_state) || fin_sent_before(c->rst_peer_state)) {
        /* Linux drops an orphaned FIN_WAIT2 socket after tcp_fin_timeout;
         * the peer's FIN that comes later meets no socket and gets a RST
         * (tcp_v4_send_reset() from tcp_v4_rcv()). */
        if (c->rst_state == TD_FIN_WAIT2 && (c->rst_trigger_flags & TD_TH_FIN) &&
            c->rst_trigger_len == 0)
            v->outcome = TD_OUT_FIN_WAIT2_EXPIRED;
        else
            v->outcome = TD_OUT_RESET_AFTER_FIN;
        /* The client hears of it only if it had not closed itself. */
        if (by_server && !fin_sent_before(c->rst_peer_state))
            v->client_error = TD_ERR_ECONNRESET;
        return;
    }
    if (c->bytes_at_rst == 0)
        v->outcome = TD_OUT_RESET_AFTER_HANDSHAKE;
    else if ((c->rst_sender_bytes == 0 && c->bytes_at_rst > 0) || c->rst_acks_less)
        /* Linux's tcp_close(): data still unread in the receive queue
         * makes close() send RST instead of FIN (RFC 2525 2.17). */
        v->outcome = TD_OUT_RESET_UNREAD_DATA;
    else
        v->outcome = TD_OUT_RESET;
    if (by_server)
        v->client_error = TD_ERR_ECONNRESET;
    else if (first_rst_doubted(c)) {
        /* The "client's" reset was not the client's: the client learns of
         * the end from the server's reset that answers it. */
        for (uint32_t i = 0; i < c->nrsts; i++)
            if (c->rsts[i].sender == srv && c->rsts[i].accepted && c->rsts[i].frame > c->rst_frame)
                v->client_error = TD_ERR_ECONNRESET;
    }
}

/* After the handshake, no reset: how far did the close get? */
static void close_verdict(const td_conv *c, double now, const td_prefs *p, td_verdict *v)
{
    const td_endpoint *ep = c->ep;

    if (!((ep[0].know | ep[1].know) & TD_K_SENT_FIN)) {
        v->outcome = TD_OUT_ESTABLISHED;
        return;
    }
    if ((ep[0].know & ep[1].know & (TD_K_SENT_FIN | TD_K_FIN_ACKED)) ==
        (TD_K_SENT_FIN | TD_K_FIN_ACKED)) {
        v->outcome = TD_OUT_CLOSED;
        return;
    }
    /* A FIN still unacknowledged: retransmitted, or old enough. */
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &ep[i];
        if ((e->know & TD_K_SENT_FIN) && !(e->know & TD_K_FIN_ACKED) &&
            (e->fin_count > 1 || now - e->last_fin_ts >= p->answer_wait)) {
            v->outcome = (e->know & TD_K_PASSIVE) ? TD_OUT_LAST_ACK : TD_OUT_FIN_UNACKED;
            v->key_frame = e->last_fin_frame;
            return;
        }
    }
    /* A side that acknowledged the peer's FIN and never sent its own. */
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &ep[i];
        if ((e->know & TD_K_GOT_FIN) && !(e->know & TD_K_SENT_FIN)) {
            v->outcome = TD_OUT_CLOSE_WAIT;
            v->key_frame = e->got_fin_frame;
            return;
        }
    }
    v->outcome = TD_OUT_CLOSING;
}

const char *td_conv_time_wait_side(const td_conv *c)
{
    static const char *const side[] = { "", "client", "server", "both" };
    return side[time_wait_mask(c)];
}

const char *td_conv_closed_by(const td_conv *c)
{
    if (c->first_fin_by > 1)
        return "";
    if ((c->ep[0].know & c->ep[1].know & TD_K_SENT_FIN) &&
        !((c->ep[0].know | c->ep[1].know) & TD_K_PASSIVE))
        return "both";
    return td_role_word(c, c->first_fin_by);
}

const char *td_conv_close_type(const td_conv *c)
{
    if (!(c->ep[0].know & c->ep[1].know & TD_K_SENT_FIN))
        return "";
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &c->ep[i];
        if (e->know & TD_K_PASSIVE)
            /* Did it acknowledge the peer's FIN before sending its own? */
            return e->got_fin_frame < e->fin_frame ? "four-way" : "three-way";
    }
    return "simultaneous";
}

const char *td_conv_reset_by(const td_conv *c)
{
    return c->rst_by > 1 ? "" : td_role_word(c, c->rst_by);
}

int td_conv_one_way(const td_conv *c, uint32_t *unseen_bytes)
{
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &c->ep[i], *p = &c->ep[1 - i];
        if (!silent(p) || silent(e) || (c->flags & (i == 0 ? TD_C_ICMP_FROM_EP1 : TD_C_ICMP_FROM_EP0)))
            continue;
        /* The sequence number the silent side's data began at. */
        bool base_known = c->flags & TD_C_INFERRED_HS;
        uint32_t base = p->isn + 1;
        if (c->flags & TD_C_MIDSTREAM) {
            base_known = e->have_acked;
            base = e->first_acked;
        }
        uint32_t moved = base_known && e->have_acked && !(c->flags & TD_C_ACKS_ERRATIC) &&
                         td_seq_gt(e->acked, base) ? e->acked - base : 0;
        if (unseen_bytes)
            *unseen_bytes = moved;
        return (c->flags & TD_C_INFERRED_HS) || moved ? i : -1;
    }
    return -1;
}

td_verdict td_conv_verdict(const td_conv *c, double now, const td_prefs *p)
{
    td_verdict v;
    const uint8_t cli = c->client, srv = (uint8_t)(1 - c->client);
    const td_endpoint *cl = &c->ep[cli], *sv = &c->ep[srv];

    memset(&v, 0, sizeof v);
    if (!(c->flags & TD_C_STARTED))
        return v;

    if (td_conv_one_way(c, NULL) >= 0) {
        v.outcome = TD_OUT_ONE_WAY;
        v.key_frame = c->one_way_frame ? c->one_way_frame : c->first_frame;
        return v;
    }
    if (c->flags & TD_C_MIDSTREAM) {
        v.outcome = TD_OUT_MIDSTREAM;
        v.key_frame = c->first_frame;
        return v;
    }

    if (c->flags & TD_C_HANDSHAKE) {
        v.answer_frame = c->synack_frame;
        if (c->rst_frame && c->rst_frame >= c->hs_ack_frame) {
            if (!td_flow_reset_verdict(c, &v))
                reset_verdict(c, &v);
            return v;
        }
        if (c->flags & TD_C_SIMOPEN) {
            v.outcome = TD_OUT_SIMULTANEOUS_OPEN;
            v.key_frame = c->simopen_frame;
            return v;
        }
        if (!td_flow_verdict(c, now, p, &v)) {
            close_verdict(c, now, p, &v);
            td_flow_late_open(c, &v);
        }
        return v;
    }

    /* The handshake did not complete.  The first of a reset or an ICMP
     * error that ended it decides. */
    if ((c->flags & TD_C_SIMOPEN) && !c->rst_frame && !c->icmp_frame) {
        /* Crossed SYNs: known from the second SYN on, not a failure while
         * the two ends answer each other. */
        v.outcome = TD_OUT_SIMULTANEOUS_OPEN;
        v.key_frame = c->simopen_frame;
        return v;
    }
    bool rst_counts = c->rst_frame != 0;
    bool icmp_counts = c->icmp_frame != 0 && sv->synack_count == 0;
    if (rst_counts && c->rst_by == srv && !(cl->know & TD_K_GOT_RST) && sv->synack_count == 0)
        rst_counts = false; /* the client would ignore it (wrong ACK) */
    if (rst_counts && icmp_counts) {
        if (c->icmp_frame < c->rst_frame)
            rst_counts = false;
        else
            icmp_counts = false;
    }
    if (icmp_counts) {
        v.outcome = TD_OUT_ICMP_UNREACHABLE;
        v.key_frame = c->icmp_frame;
        v.answer_frame = c->icmp_frame;
        v.client_error = td_icmp_client_error(&c->icmp);
        return v;
    }
    if (rst_counts) {
        v.key_frame = c->rst_frame;
        if (c->rst_by == cli) {
            v.outcome = TD_OUT_CLIENT_ABORTED;
            v.answer_frame = c->synack_frame;
        } else if (sv->synack_count > 0 && c->synack_frame && c->synack_frame < c->rst_frame) {
            v.outcome = TD_OUT_SERVER_ABORTED;
            v.answer_frame = c->synack_frame;
            v.client_error = (cl->know & TD_K_GOT_RST) ? TD_ERR_ECONNREFUSED : TD_ERR_NONE;
        } else {
            v.outcome = TD_OUT_REFUSED;
            v.answer_frame = c->rst_frame;
            v.client_error = TD_ERR_ECONNREFUSED;
        }
        return v;
    }

    if (sv->synack_count > 0) {
        v.answer_frame = c->synack_frame;
        v.key_frame = c->last_synack_frame;
        /* A retransmitted SYN-ACK is the server's own timer saying the
         * first one went unanswered; a single one needs time to tell. */
        if (sv->synack_count < 2 && now - c->last_synack_ts < p->answer_wait &&
            now - c->last_syn_ts < p->answer_wait) {
            v.outcome = TD_OUT_SYNACK_PENDING;
            return v;
        }
        v.outcome = TD_OUT_SYNACK_UNANSWERED;
        /* The client re-sent its SYN after SYN-ACKs passed: it never got
         * them, so it times out like an unanswered SYN. */
        if ((c->flags & TD_C_CLIENT_RETRY_AFTER_SYNACK) && client_gave_up(c, now, p)) {
            v.client_gave_up = true;
            v.client_error = TD_ERR_ETIMEDOUT;
        }
        return v;
    }

    if (cl->syn_count > 0) {
        v.key_frame = c->last_syn_frame;
        /* Retransmissions are the client's own timer saying the earlier
         * SYNs went unanswered; a single SYN needs time to tell. */
        if (cl->syn_count < 2 && now - c->last_syn_ts < p->answer_wait) {
            v.outcome = TD_OUT_SYN_PENDING;
            return v;
        }
        v.outcome = TD_OUT_SYN_UNANSWERED;
        if (client_gave_up(c, now, p)) {
            v.client_gave_up = true;
            /* After a single SYN the kernel would have retransmitted: the
             * application gave up by itself, whatever it reported. */
            if (cl->syn_count > 1)
                v.client_error = TD_ERR_ETIMEDOUT;
        }
        return v;
    }
    return v;
}

/* ---- words ------------------------------------------------------------ */


size_t td_conv_syn_schedule(const td_conv *c, char *buf, size_t n)
{
    td_text t = { buf, n, 0 };
    const td_endpoint *cl = &c->ep[c->client];
    unsigned k = cl->syn_count < TD_MAX_SYN_TIMES ? cl->syn_count : TD_MAX_SYN_TIMES;
    double ts[TD_MAX_SYN_TIMES];

    if (n == 0)
        return 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < k; i++)
        ts[i] = td_conv_syn_ts(c, i);
    td_put_schedule(&t, ts, k, cl->syn_count, c->last_syn_ts, 2);
    return t.len;
}

static void put_handshake(td_text *t, const td_conv *c)
{
    if (c->syn_frame) {
        td_put(t, "Handshake completed (RTT ");
        td_put_duration(t, c->hs_ack_ts - c->hs_syn_ts);
        td_put(t, ")");
    } else {
        td_put(t, "Handshake completed (its SYN was not captured)");
    }
}

static void put_client_error(td_text *t, const td_verdict *v)
{
    if (v->client_error != TD_ERR_NONE)
        td_put(t, "; the client reports %s", td_client_error_text[v->client_error]);
}

static void put_close_problem(td_text *t, const td_conv *c, const td_verdict *v, double now,
                              bool final)
{
    const char *until = final ? "up to the end of the capture" : "so far";

    if (v->outcome == TD_OUT_CLOSE_WAIT) {
        for (uint8_t i = 0; i < 2; i++) {
            const td_endpoint *e = &c->ep[i];
            if (!((e->know & TD_K_GOT_FIN) && !(e->know & TD_K_SENT_FIN)))
                continue;
            td_put(t, "The %s closed (FIN in frame %u); the %s acknowledged it and never closed: "
                   "it sat in CLOSE_WAIT for ", td_role_word(c, (uint8_t)(1 - i)),
                c->ep[1 - i].fin_frame, td_role_word(c, i));
            td_put_duration(t, now - e->state_ts);
            td_put(t, " %s, its application never called close()", until);
            if (e->bytes > 0 && c->ep[1 - i].fin_frame)
                td_put(t, " (it had sent %llu bytes)", (unsigned long long)e->bytes);
            td_put(t, "; the %s waits in FIN_WAIT2 (Linux drops an orphaned FIN_WAIT2 after "
                   "net.ipv4.tcp_fin_timeout, 60 s by default)", td_role_word(c, (uint8_t)(1 - i)));
            return;
        }
        return;
    }
    for (uint8_t i = 0; i < 2; i++) {
        const td_endpoint *e = &c->ep[i];
        if (!((e->know & TD_K_SENT_FIN) && !(e->know & TD_K_FIN_ACKED)))
            continue;
        if (v->outcome == TD_OUT_LAST_ACK)
            td_put(t, "The %s closed after the %s (passive close) and sent its FIN ", td_role_word(c, i),
                td_role_word(c, (uint8_t)(1 - i)));
        else
            td_put(t, "The %s closed and sent its FIN ", td_role_word(c, i));
        td_put_times(t, e->fin_count);
        if (e->fin_count > 1) {
            td_put(t, " over ");
            td_put_duration(t, e->last_fin_ts - e->fin_ts);
        }
        td_put(t, ", never acknowledged %s: it sits in %s", until,
            v->outcome == TD_OUT_LAST_ACK ? "LAST_ACK" : "FIN_WAIT1");
        if (v->outcome == TD_OUT_LAST_ACK)
            td_put(t, "; the %s's final ACK was lost after the capture point, or the %s vanished",
                td_role_word(c, (uint8_t)(1 - i)), td_role_word(c, (uint8_t)(1 - i)));
        else
            td_put(t, "; the %s vanished or a firewall drops the path", td_role_word(c, (uint8_t)(1 - i)));
        td_put(t, " (Linux gives up after net.ipv4.tcp_orphan_retries retransmissions)");
        return;
    }
}

/* The reset the outcome rests on looks like it did not come from its
 * claimed sender: the summary then does not explain it by that sender's
 * application. */
static bool first_rst_doubted(const td_conv *c)
{
    int k = c->rst_frame ? td_conv_rst_index(c, c->rst_frame) : -1;

    return k >= 0 && td_rst_level_of(c, (uint32_t)k) > TD_RST_GENUINE;
}

static void put_reset_problem(td_text *t, const td_conv *c, const td_verdict *v)
{
    const uint8_t by = c->rst_by > 1 ? 0 : c->rst_by, peer = (uint8_t)(1 - by);
    const td_endpoint *rs = &c->ep[by], *pe = &c->ep[peer];

    if (first_rst_doubted(c)) {
        td_put(t, "A reset claiming to come from the %s ended the connection after %llu bytes "
               "from the client and %llu from the server", td_role_word(c, by),
            (unsigned long long)c->ep[c->client].bytes,
            (unsigned long long)c->ep[1 - c->client].bytes);
    } else if (v->outcome == TD_OUT_FIN_WAIT2_EXPIRED) {
        td_put(t, "The %s closed first; the %s acknowledged but sent its own FIN only ", td_role_word(c, by),
            td_role_word(c, peer));
        td_put_duration(t, pe->fin_ts - rs->fin_ts);
        td_put(t, " later, when the %s had given up waiting in FIN_WAIT2 (Linux: "
               "net.ipv4.tcp_fin_timeout) and answered that FIN with a reset", td_role_word(c, by));
    } else if (v->outcome == TD_OUT_RESET_AFTER_FIN) {
        if (fin_sent_before(c->rst_state)) {
            td_put(t, "The %s closed (FIN in frame %u), then reset the connection", td_role_word(c, by),
                rs->fin_frame);
            if (c->rst_trigger_len > 0)
                td_put(t, " when the %s sent %u more bytes: the %s application had closed its socket "
                       "(close(), not shutdown()), so data that arrives later is answered with RST",
                    td_role_word(c, peer), c->rst_trigger_len, td_role_word(c, by));
            else
                td_put(t, ": an abortive end to its own close");
        } else {
            td_put(t, "The %s closed (FIN in frame %u); the %s answered with a reset instead of its "
                   "own FIN", td_role_word(c, peer), pe->fin_frame, td_role_word(c, by));
        }
    } else {
        td_put(t, "Handshake completed; the %s reset the connection after receiving %llu bytes "
               "it never answered", td_role_word(c, by), (unsigned long long)pe->bytes);
        if (c->rst_acks_less)
            td_put(t, " (the reset acknowledges less than the %s sent)", td_role_word(c, peer));
        td_put(t, ": an application that closes a socket with unread data makes Linux send RST "
               "instead of FIN (so does SO_LINGER 0)");
    }
    put_client_error(t, v);
}

static void put_reuse(td_text *t, const td_conv *c)
{
    static const char *const holder[] = { "", "the client", "the server", "both sides" };
    const td_endpoint *sv = &c->ep[1 - c->client];

    td_put(t, "; same addresses and ports as stream %u, whose last packet was ", c->reuse_of - 1);
    td_put_duration(t, c->first_ts - c->reuse_prev_last_ts);
    td_put(t, " before this SYN");
    if (c->reuse_time_wait && c->first_ts - c->reuse_prev_last_ts >= TD_TIME_WAIT_S) {
        td_put(t, "; %s had been in TIME_WAIT, which lasts 60 s on Linux", holder[c->reuse_time_wait & 3]);
    } else if (c->reuse_time_wait) {
        td_put(t, ", %s still in TIME_WAIT (Linux keeps it 60 s)", holder[c->reuse_time_wait & 3]);
        if (c->reuse_time_wait == 1)
            td_put(t, "; Linux lets a client reuse its own TIME_WAIT port for a new connection "
                   "(net.ipv4.tcp_tw_reuse, TCP timestamps)");
        if (c->reuse_time_wait & 2) {
            if (sv->synack_count && c->synack_frame)
                td_put(t, "; the server accepted the new SYN with a SYN-ACK");
            else if (c->ack_to_syn_frame)
                td_put(t, "; the server answered the new SYN with an ACK for the old connection "
                       "(frame %u)", c->ack_to_syn_frame);
            else if (c->rst_frame && c->rst_by != c->client)
                td_put(t, "; the server answered the new SYN with a reset");
        }
    }
}

/* Only one side's packets: what they prove of the other side's. */
static void put_one_way(td_text *t, const td_conv *c)
{
    uint32_t unseen = 0;
    const int i = td_conv_one_way(c, &unseen);

    if (i < 0)
        return;
    const char *me = td_role_word(c, i), *peer = td_role_word(c, 1 - i);
    td_put(t, "Only the %s's packets are in this capture (%u), none of the %s's: the other direction "
              "is not in this capture (asymmetric routing, a one-way tap or SPAN port, or a capture "
              "filter)", me, c->packets, peer);
    if (c->flags & TD_C_MIDSTREAM)
        td_put(t, "; the capture also began in the middle of the conversation (frame %u is not a SYN)",
               c->first_frame);
    td_put(t, ". Yet the %s's packets prove what the %s sent: ", me, peer);
    if ((c->flags & TD_C_INFERRED_HS) && i == c->client)
        td_put(t, "its segment in frame %u acknowledges a SYN-ACK from the server (a client waiting "
                  "for one sends nothing else with an ACK), so the handshake completed",
               c->one_way_frame);
    else if (c->flags & TD_C_INFERRED_HS)
        td_put(t, "its SYN-ACK answers a SYN from the client, and its segment in frame %u (data, a FIN, "
                  "or an acknowledgement of the client's data) follows the client's handshake ACK "
                  "(Linux sends nothing but the SYN-ACK before it), so the handshake completed",
               c->one_way_frame);
    if (unseen)
        td_put(t, "%sit acknowledged %u bytes of the %s's sequence space after its first "
                  "acknowledgement (data, and a FIN if the %s closed)",
               (c->flags & TD_C_INFERRED_HS) ? "; " : "", unseen, peer, peer);
    const td_endpoint *e = &c->ep[i];
    td_put(t, ". What the %s sent is seen%s; what it received is not, so neither side's state is "
              "proven and no diagnosis is made from one direction (the state fields show what its own "
              "packets imply): capture where both directions pass", me,
           (e->know & TD_K_SENT_RST) ? ", up to its reset"
           : (e->know & TD_K_SENT_FIN) ? ", up to its FIN" : "");
}

/* An ICMP too-big about this conversation, and what its sender did. */
static void put_path_mtu(td_text *t, const td_conv *c)
{
    const td_more *m = td_more_of(c);
    const int i = m->too_big_about > 1 ? 0 : m->too_big_about;

    td_put(t, "; an ICMP %s about the %s's segments (frame %u) named a path MTU of %u",
           c->ep[i].base.ip == 6 ? "packet too big" : "fragmentation needed",
           td_role_word(c, i), m->too_big_frame, m->too_big_mtu);
    if (m->too_big_len_after && m->too_big_len_after < m->too_big_len_before)
        td_put(t, ": the %s lowered its segments from %u to %u bytes and went on",
               td_role_word(c, i), m->too_big_len_before, m->too_big_len_after);
    else if (m->too_big_len_after)
        td_put(t, "; the %s's segments after it were up to %u bytes", td_role_word(c, i),
               m->too_big_len_after);
}

size_t td_conv_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       const char *icmp_source, char *buf, size_t n)
{
    td_text t = { buf, n, 0 };
    const td_endpoint *cl = &c->ep[c->client], *sv = &c->ep[1 - c->client];
    const char *rst_side = c->rst_by == c->client ? "client" : "server";
    char sched[96];
    uint32_t worst_rst;

    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (c->nrsts && td_conv_rst_worst(c, &worst_rst) > TD_RST_GENUINE) {
        char forensic[1024];
        td_rst_summary(c, worst_rst, forensic, sizeof forensic);
        if (forensic[0] >= 'a' && forensic[0] <= 'z')
            forensic[0] = (char)(forensic[0] - 'a' + 'A');
        td_put(&t, "%s. ", forensic);
    }

    switch (v->outcome) {
    case TD_OUT_NONE:
        td_put(&t, "No TCP segment of this conversation seen yet");
        break;
    case TD_OUT_SYN_PENDING:
        td_put(&t, "SYN sent ");
        td_put_times(&t, cl->syn_count);
        td_put(&t, ", no answer in the ");
        td_put_duration(&t, now - c->last_syn_ts);
        td_put(&t, " after the last one until %s: too soon to tell whether it was dropped",
            final ? "the capture ended" : "this packet");
        break;
    case TD_OUT_SYN_UNANSWERED:
        td_conv_syn_schedule(c, sched, sizeof sched);
        td_put(&t, "SYN sent ");
        td_put_times(&t, cl->syn_count);
        if (cl->syn_count > 1) {
            td_put(&t, " over ");
            td_put_duration(&t, c->last_syn_ts - c->syn0_ts);
            td_put(&t, " (at %s s)", sched);
        }
        if (v->listener_busy)
            td_put(&t, ", never answered, while the same listener answered other clients' SYNs "
                       "(capture-wide finding accept-queue-full): Linux drops SYNs while a listener's "
                       "accept queue is full, so most likely the server did, not a firewall");
        else
            td_put(&t, ", never answered: dropped silently by a firewall or on the path");
        if (cl->syn_count == 1 && v->client_gave_up) {
            td_put(&t, "; no retransmission followed within ");
            td_put_duration(&t, now - c->last_syn_ts);
            td_put(&t, ", so the client application gave up by itself (a connect timeout under "
                    "the 1 s first retransmission) or the SYN came from a scanner");
        } else if (td_conv_syn_limit_reached(c)) {
            td_put(&t, "; 7 SYNs is Linux's default limit (net.ipv4.tcp_syn_retries = 6): "
                    "the client gives up ");
            td_put_duration(&t, 2.0 * (c->last_syn_ts - c->prev_syn_ts));
            td_put(&t, " after the last");
        } else if (v->client_gave_up) {
            td_put(&t, "; the client gave up (no SYN in the ");
            td_put_duration(&t, now - c->last_syn_ts);
            td_put(&t, " after the last)");
        } else {
            td_put(&t, "; the client was still retrying when the capture ended ");
            td_put_duration(&t, now - c->last_syn_ts);
            td_put(&t, " after the last SYN (if no answer comes it reports Connection timed out)");
        }
        put_client_error(&t, v);
        break;
    case TD_OUT_REFUSED: {
        const int k = td_conv_rst_index(c, c->rst_frame);
        const td_rst *r = k >= 0 ? &c->rsts[k] : NULL;
        const bool doubted = first_rst_doubted(c);
        td_put(&t, "SYN answered by a reset %s the server after ",
               doubted ? "claiming to come from" : "from");
        td_put_duration(&t, c->rst_ts - c->last_syn_ts);
        if (cl->syn_count > 1) {
            td_put(&t, " (SYN sent ");
            td_put_times(&t, cl->syn_count);
            td_put(&t, ")");
        }
        if (r && r->answered_frame) {
            td_put(&t, "; the server's own SYN-ACK to the same SYN followed (frame %u, ",
                   r->answered_frame);
            td_put_duration(&t, r->answered_ts - r->ts);
            td_put(&t, " later), so it was listening: the reset was injected on the path");
            if (cl->rst_count > 0)
                td_put(&t, ", and the client, which took it, answered the real SYN-ACK with a "
                           "reset of its own");
        } else if (!doubted) {
            td_put(&t, ": nothing listens on port %u, or a firewall rejects with tcp-reset",
                   c->port[1 - c->client]);
        }
        put_client_error(&t, v);
        break;
    }
    case TD_OUT_ICMP_UNREACHABLE:
        td_put(&t, "SYN rejected by %s", td_icmp_describe(&c->icmp));
        if (icmp_source && *icmp_source)
            td_put(&t, " from %s", icmp_source);
        td_put(&t, " (%s) after ", c->icmp.from_destination ? "the server itself"
                                                         : "a router or firewall on the path");
        td_put_duration(&t, c->icmp_ts - c->last_syn_ts);
        put_client_error(&t, v);
        break;
    case TD_OUT_SYNACK_PENDING:
        td_put(&t, "Server answered with SYN-ACK ");
        td_put_times(&t, sv->synack_count);
        td_put(&t, ", not acknowledged in the ");
        td_put_duration(&t, now - c->last_synack_ts);
        td_put(&t, " until %s: too soon to tell",
            final ? "the capture ended" : "this packet");
        break;
    case TD_OUT_SYNACK_UNANSWERED:
        td_put(&t, "Server answered with SYN-ACK ");
        td_put_times(&t, sv->synack_count);
        if (sv->synack_count > 1) {
            td_put(&t, " over ");
            td_put_duration(&t, c->last_synack_ts - c->synack_ts);
        }
        td_put(&t, ", never acknowledged: the server sat half-open in SYN_RECV");
        if (c->flags & TD_C_CLIENT_RETRY_AFTER_SYNACK) {
            td_put(&t, "; the client re-sent its SYN ");
            td_put_times(&t, c->syn_retries_after_synack);
            td_put(&t, " after a SYN-ACK passed, so the SYN-ACKs were lost or filtered on the way back to it");
        } else if (cl->syn_count > 0) {
            td_put(&t, "; the client sent no ACK: its ACK was lost after the capture point, "
                    "or the SYN came from a spoofed or vanished source");
        }
        put_client_error(&t, v);
        break;
    case TD_OUT_CLIENT_ABORTED:
        if (!c->syn_frame) {
            /* Only the SYN-ACK was captured: no SYN time to count from. */
            td_put(&t, "The client answered the server's SYN-ACK (its SYN was not captured) with "
                       "a reset ");
            td_put_duration(&t, c->rst_ts - c->synack_ts);
            td_put(&t, " later: it had no connection attempt for it any more (its application "
                       "gave up, a reset it took ended the attempt, or a SYN scanner probed the port)");
            break;
        }
        td_put(&t, "The client reset its own connection attempt ");
        td_put_duration(&t, c->rst_ts - c->syn0_ts);
        td_put(&t, " after its first SYN");
        if (sv->synack_count > 0)
            td_put(&t, ", answering the server's SYN-ACK with RST: the client application "
                    "had already given up (its own timeout) or a SYN scanner probed the port");
        else
            td_put(&t, " before any answer: the client application cancelled the connect");
        break;
    case TD_OUT_SERVER_ABORTED:
        td_put(&t, "The server answered with SYN-ACK, then reset the attempt ");
        td_put_duration(&t, c->rst_ts - c->synack_ts);
        td_put(&t, " later before the handshake completed");
        put_client_error(&t, v);
        break;
    case TD_OUT_RESET_AFTER_HANDSHAKE:
    case TD_OUT_RESET:
        put_handshake(&t, c);
        if (first_rst_doubted(c))
            td_put(&t, ", then a reset claiming to come from the %s ended the connection ", rst_side);
        else
            td_put(&t, ", then the %s reset the connection ", rst_side);
        td_put_duration(&t, c->rst_ts - c->hs_ack_ts);
        td_put(&t, " later");
        if (v->outcome == TD_OUT_RESET_AFTER_HANDSHAKE)
            td_put(&t, " before any data");
        else
            td_put(&t, " after %llu bytes from the client and %llu from the server",
                (unsigned long long)cl->bytes, (unsigned long long)sv->bytes);
        if (first_rst_doubted(c))
            ; /* who sent it is the question: the forensic part says what is known */
        else if (c->rst_by == c->client)
            td_put(&t, ": the client application aborted (close with SO_LINGER 0, or a scanner)");
        else
            td_put(&t, ": the server application aborted it or refused the client after accepting");
        put_client_error(&t, v);
        break;
    case TD_OUT_SIMULTANEOUS_OPEN:
        td_put(&t, "Simultaneous open: both ends sent a SYN (frames %u and %u) and the "
                "handshake completed in ", c->syn_frame, c->simopen_frame);
        td_put_duration(&t, c->hs_ack_ts - c->first_ts);
        td_put(&t, "; rare outside NAT hole punching and fixed-port peers");
        break;
    case TD_OUT_ONE_WAY:
        put_one_way(&t, c);
        break;
    case TD_OUT_MIDSTREAM:
        td_put(&t, "Capture began in the middle of this conversation (frame %u is not a SYN): "
                "handshake not seen; ", c->first_frame);
        if (c->role_basis == TD_ROLE_PORT)
            td_put(&t, "the server is taken to be port %u by its port number", c->port[1 - c->client]);
        else
            td_put(&t, "the first sender is taken to be the client");
        td_put(&t, "; %s client %s, server %s", final ? "at the end of the capture" : "so far",
            td_state_name(td_client_state(c)), td_state_name(td_server_state(c)));
        break;
    case TD_OUT_ESTABLISHED:
    case TD_OUT_CLOSING:
    case TD_OUT_CLOSED:
        put_handshake(&t, c);
        td_put(&t, "; %llu bytes from the client, %llu from the server; ",
            (unsigned long long)cl->bytes, (unsigned long long)sv->bytes);
        if (v->outcome == TD_OUT_ESTABLISHED) {
            td_put(&t, "still open, idle for ");
            td_put_duration(&t, now - c->last_ts);
            td_put(&t, " %s", final ? "at the end of the capture" : "before this packet");
        } else if (v->outcome == TD_OUT_CLOSING) {
            td_put(&t, "close in progress: client %s, server %s",
                td_state_name(td_client_state(c)), td_state_name(td_server_state(c)));
        } else {
            const char *by = td_conv_closed_by(c), *tw = td_conv_time_wait_side(c);
            td_put(&t, "closed gracefully (%s close), ", td_conv_close_type(c));
            if (strcmp(by, "both") == 0)
                td_put(&t, "both sides closed at once");
            else
                td_put(&t, "the %s closed first", by);
            if (*tw)
                td_put(&t, "; %s in TIME_WAIT", strcmp(tw, "both") == 0 ? "both sides are" : tw);
        }
        break;
    case TD_OUT_CLOSE_WAIT:
    case TD_OUT_FIN_UNACKED:
    case TD_OUT_LAST_ACK:
        put_close_problem(&t, c, v, now, final);
        break;
    case TD_OUT_FIN_WAIT2_EXPIRED:
    case TD_OUT_RESET_AFTER_FIN:
    case TD_OUT_RESET_UNREAD_DATA:
        put_reset_problem(&t, c, v);
        break;
    case TD_OUT_ACCEPT_QUEUE_FULL:
    case TD_OUT_RETRANS_TIMEOUT:
    case TD_OUT_KEEPALIVE_TIMEOUT:
    case TD_OUT_PMTU_BLACK_HOLE:
    case TD_OUT_IDLE_TIMEOUT:
    case TD_OUT_ZERO_WINDOW:
        t.len += td_flow_summary(c, v, now, final, buf + t.len, n - t.len);
        break;
    default:
        if ((unsigned)v->outcome < TD_OUT_COUNT)
            td_put(&t, "%s", td_outcome_info[v->outcome].headline);
        break;
    }
    if (c->reuse_of)
        put_reuse(&t, c);
    if (td_more_of(c)->too_big_frame && v->outcome != TD_OUT_PMTU_BLACK_HOLE)
        put_path_mtu(&t, c);
    return t.len;
}
