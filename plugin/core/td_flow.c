/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_flow.c - after the handshake: the failures that happen once the
 * connection looked fine.
 *
 * Per endpoint it follows, as a sender, its data retransmissions (the same
 * unacknowledged data sent again), its keepalive probes and the largest
 * segment the peer is proven to have received; as a receiver, its window
 * closing to zero and opening again.  From these:
 *
 *   accept-queue-full       the server sent its SYN-ACK again after the
 *                           client's ACK completed the handshake
 *   retransmission-timeout  data retransmitted, never acknowledged
 *   pmtu-black-hole         ... while smaller segments got through
 *   idle-timeout            ... or reset from the path, after an idle spell
 *   keepalive-timeout       probes unanswered, then the prober's reset
 *   zero-window             a receiver's window stayed closed, probed
 *
 * What is proven and what is only likely is said in each summary.
 */
#include <string.h>

#include "td_count.h"
#include "td_engine.h"
#include "td_rst.h"
#include "td_seq.h"
#include "td_words.h"

/* Silence before a flight after which data never answered reads as a
 * path device's idle timeout: NAT, firewall and load-balancer timeouts are
 * minutes (Linux conntrack 5 days, cloud NAT gateways about 350 s); a
 * shorter silence fits a peer that died meanwhile as well. */
#define IDLE_MIN_S 30.0
/* With a reset from a device in the path the device is proven; the
 * silence only has to be more than a pause between two requests. */
#define IDLE_RESET_MIN_S 3.0
/* A zero window held at least this long while the peer probed it at
 * least twice: shorter spells are ordinary flow control. */
#define ZERO_WINDOW_MIN_S 2.0
#define ZERO_WINDOW_MIN_PROBES 2
/* Segments at least this large can be dropped for their size: every IPv4
 * path carries 576-byte datagrams (RFC 791), every IPv6 path 1280 (RFC
 * 8200 5), headers included. */
#define PMTU_MIN_LEN_V4 536u
#define PMTU_MIN_LEN_V6 1220u
/* Data sent again this often without an acknowledgement is stuck (two
 * retransmissions recover often enough on a lossy path), or sent again
 * once and then nothing for the answer wait. */
#define STUCK_RTX 3
/* A listener's reset to the handshake's ACK comes as fast as the kernel
 * answers (tens of microseconds); an application that accepted and then
 * aborted takes a scheduler round at least. */
#define LISTENER_RESET_S 0.001
/* Linux resets after its last keepalive probe one probe interval later
 * (tcp_keepalive_timer()); 0.8 of it allows for timer slack. */
#define KEEPALIVE_GAP 0.8
/* IP and TCP headers without options: what a segment adds to its payload
 * against a path MTU. */
#define HEADERS_V4 40u
#define HEADERS_V6 60u

static void open_flight(td_conv *c, td_flow *f, const td_segment *s, double prev_ts)
{
    f->flight_ts = s->ts;
    f->flight_frame = s->frame;
    f->flight_known = true;
    f->flight_idle = prev_ts >= 0.0 ? s->ts - prev_ts : 0.0;
    f->flight_min_len = s->payload_len;
    f->flight_min_seq = s->seq;
    f->flight_min_ts = s->ts;
    if (c->more)
        c->more->ep[s->sender].dupack_ts = 0.0;
}

/* e acknowledged up to s->ack: what that proves about the peer's data. */
static void on_peer_data_acked(td_conv *c, const td_segment *s)
{
    td_endpoint *e = &c->ep[s->sender], *p = &c->ep[1 - s->sender];
    td_flow *pf = &p->fl;

    if (!(s->flags & TD_TH_ACK) || !e->have_acked)
        return;
    if (s->ack == e->acked) {
        /* Proof that the peer's smallest segment of the flight arrived
         * while older data had not: a SACK block that covers it (RFC 2018),
         * or, from a peer without SACK, a duplicate ACK after it (no data,
         * no window change, not a probe: RFC 5681 2). */
        const bool sacked = s->sack_left != s->sack_right && pf->flight_min_len &&
                            td_seq_le(s->sack_left, pf->flight_min_seq) &&
                            td_seq_ge(s->sack_right, pf->flight_min_seq + pf->flight_min_len);
        const bool dupack = s->sack_left == s->sack_right && s->payload_len == 0 &&
                            !(s->flags & (TD_TH_FIN | TD_TH_SYN)) && s->window == e->fl.win &&
                            e->have_nxt && s->seq == e->nxt;
        td_more *m;
        if (p->have_nxt && td_seq_lt(s->ack, p->nxt) && (sacked || dupack) && (m = td_more_get(c))) {
            td_flow_more *pm = &m->ep[1 - s->sender];
            pm->dupack_ts = s->ts;
            pm->dupack_frame = s->frame;
            pm->dupack_sacked = sacked;
        }
        return;
    }
    if (!td_seq_gt(s->ack, e->acked))
        return;
    uint32_t moved = s->ack - e->acked;
    uint32_t proven = moved < pf->max_len ? moved : pf->max_len;
    if (proven > pf->max_len_acked)
        pf->max_len_acked = proven;
    if (c->more) {
        td_flow_more *pm = &c->more->ep[1 - s->sender];
        if (pm->rtx_open && td_seq_gt(s->ack, pm->rtx_seq))
            pm->rtx_open = false;
    }
    /* Data still outstanding: the oldest of it was sent before now, when
     * is not known. */
    if (p->have_nxt && td_seq_lt(s->ack, p->nxt)) {
        pf->flight_ts = s->ts;
        pf->flight_known = false;
        pf->flight_idle = 0.0;
    }
}

/* A keepalive or zero-window probe: no data (or one byte, as some stacks
 * send), one below what the peer acknowledged (Linux tcp_xmit_probe_skb()
 * sends both kinds this way). */
static bool is_probe(const td_conv *c, const td_segment *s)
{
    const td_endpoint *p = &c->ep[1 - s->sender];

    if (s->payload_len > 1 || (s->flags & TD_TH_FIN) || !p->have_acked)
        return false;
    /* BSD, macOS and Windows probe a closed window with one byte of new
     * data at the acknowledged point instead, and send it again. */
    return s->seq == p->acked - 1 ||
           (td_more_of(c)->ep[1 - s->sender].zw_open && s->payload_len == 1 && s->seq == p->acked);
}

static void on_window(td_conv *c, const td_segment *s, td_step *st)
{
    if (!(s->flags & TD_TH_ACK))
        return;
    c->ep[s->sender].fl.win = s->window;
    const bool closed = td_more_of(c)->ep[s->sender].zw_open;
    if (s->window == 0 && !closed) {
        td_more *m = td_more_get(c);
        if (!m)
            return;
        td_flow_more *f = &m->ep[s->sender];
        f->zw_open = true;
        f->zw_start_ts = s->ts;
        f->zw_frame = s->frame;
        f->zw_probes = 0;
        td_count32(&f->zw_episodes);
        if (st->event == TD_EV_NONE) {
            st->event = TD_EV_ZERO_WINDOW;
            st->count = f->zw_episodes;
        }
    } else if (s->window != 0 && closed) {
        td_flow_more *f = &c->more->ep[s->sender];
        double d = s->ts - f->zw_start_ts;
        f->zw_open = false;
        if (d >= f->zw_longest) {
            f->zw_longest = d;
            f->zw_longest_frame = f->zw_frame;
            f->zw_longest_probes = f->zw_probes;
        }
        if (st->event == TD_EV_NONE) {
            st->event = TD_EV_WINDOW_OPENED;
            st->count = f->zw_probes;
            st->interval = d;
        }
    }
}

/* e sends data again.  The episode follows the oldest unacknowledged
 * byte (what the peer's acknowledgement points at): a tail loss probe
 * sends the last segment first (RFC 8985 7), fast recovery others after
 * the first; those count, the episode's times are the oldest byte's. */
static void on_retransmission(td_conv *c, const td_segment *s, td_step *st)
{
    const td_endpoint *e = &c->ep[s->sender], *p = &c->ep[1 - s->sender];
    const bool head = !p->have_acked || td_seq_le(s->seq, p->acked);
    td_more *m = td_more_get(c);

    if (!m)
        return;
    td_flow_more *f = &m->ep[s->sender];

    td_count32(&f->rtx_total);
    if (!head) {
        if (f->rtx_open && s->payload_len > f->rtx_len)
            f->rtx_len = s->payload_len;
        return;
    }
    if (!f->rtx_open || s->seq != f->rtx_seq) {
        f->rtx_open = true;
        f->rtx_seq = s->seq;
        f->rtx_len = s->payload_len;
        f->rtx_count = 0;
        f->rtx_frame = s->frame;
        f->rtx_orig_known = e->fl.flight_known;
        f->rtx_orig_ts = f->rtx_orig_known ? e->fl.flight_ts : s->ts;
        f->rtx_orig_frame = e->fl.flight_frame;
        f->rtx_idle = f->rtx_orig_known ? e->fl.flight_idle : 0.0;
        f->rtx_last_ts = f->rtx_orig_ts;
    }
    if (s->payload_len > f->rtx_len)
        f->rtx_len = s->payload_len;
    td_count16(&f->rtx_count);
    if (f->rtx_count <= TD_MAX_RTX_TIMES)
        f->rtx_at[f->rtx_count - 1] = (float)(s->ts - f->rtx_orig_ts);
    if (st->event == TD_EV_NONE) {
        st->event = TD_EV_DATA_RETRANS;
        st->count = f->rtx_count;
        st->interval = s->ts - f->rtx_last_ts;
    }
    f->rtx_prev_ts = f->rtx_last_ts;
    f->rtx_last_ts = s->ts;
    f->rtx_last_frame = s->frame;
}

void td_flow_on_segment(td_conv *c, const td_segment *s, td_step *st, double prev_ts)
{
    td_endpoint *e = &c->ep[s->sender], *p = &c->ep[1 - s->sender];
    td_flow *f = &e->fl;

    if (s->flags & (TD_TH_SYN | TD_TH_RST))
        return;
    /* Anything from it answers the peer's keepalive probes. */
    if (c->more)
        c->more->ep[1 - s->sender].ka_unanswered = 0;
    on_peer_data_acked(c, s);
    on_window(c, s, st);

    if (is_probe(c, s) && e->have_nxt) {
        td_more *m = td_more_get(c);
        if (!m)
            return;
        td_flow_more *pm = &m->ep[1 - s->sender];
        if (pm->zw_open) {
            td_count16(&pm->zw_probes);
            if (st->event == TD_EV_NONE) {
                st->event = TD_EV_ZERO_WINDOW_PROBE;
                st->count = pm->zw_probes;
            }
        } else {
            td_flow_more *k = &m->ep[s->sender];
            if (k->ka_unanswered == 0) {
                k->ka_first_frame = s->frame;
                k->ka_first_ts = s->ts;
            }
            td_count16(&k->ka_unanswered);
            td_count16(&k->ka_total);
            if (st->event == TD_EV_NONE) {
                st->event = TD_EV_KEEPALIVE;
                st->count = k->ka_unanswered;
                st->interval = k->ka_unanswered > 1 ? s->ts - k->ka_last_ts : 0.0;
            }
            k->ka_prev_ts = k->ka_unanswered > 1 ? k->ka_last_ts : s->ts;
            k->ka_last_ts = s->ts;
        }
        return;
    }
    if (s->payload_len == 0)
        return;
    /* After an ICMP too-big: the largest segment that fits the MTU it
     * named. */
    td_more *m = c->more;
    if (m && m->too_big_frame && s->sender == m->too_big_about && s->payload_len > m->too_big_len_after &&
        s->payload_len + (s->ip == 6 ? HEADERS_V6 : HEADERS_V4) <= m->too_big_mtu)
        m->too_big_len_after = s->payload_len;
    const uint32_t end = s->seq + s->payload_len;
    if (e->have_nxt && td_seq_lt(s->seq, e->nxt)) {
        /* Data it had sent before.  Already acknowledged: a spurious copy;
         * the same segment within half a millisecond: captured twice. */
        if (p->have_acked && td_seq_le(end, p->acked))
            return;
        if (td_captured_twice(c, s, false))
            return;
        /* Out of order on the way to the capture point, not sent again:
         * sooner after the highest segment than a round trip from here to
         * the sender, with nothing from the peer since that could have
         * asked for it (RFC 5681 3.2, RFC 6298). */
        const double rtt = td_conv_rtt_via(c, s->sender);
        if (rtt > 0.0 && s->ts - e->nxt_ts < rtt &&
            (p->last_nr_ts < e->nxt_ts || s->ts - p->last_nr_ts < rtt))
            return;
        on_retransmission(c, s, st);
        return;
    }
    /* New data.  Nothing outstanding before it: a flight begins. */
    if (!e->have_nxt || !p->have_acked || !td_seq_lt(p->acked, e->nxt) || !f->flight_frame)
        open_flight(c, f, s, prev_ts);   /* nothing outstanding, or the first flight */
    else if (s->payload_len < f->flight_min_len) {
        f->flight_min_len = s->payload_len;
        f->flight_min_seq = s->seq;
        f->flight_min_ts = s->ts;
    }
    if (s->payload_len > f->max_len)
        f->max_len = s->payload_len;
}

void td_flow_on_rst(td_conv *c, const td_segment *s)
{
    const td_endpoint *e = &c->ep[s->sender], *p = &c->ep[1 - s->sender];
    /* The peer's data it answers: outstanding, its flight begun after a
     * silence, and nothing from the reset's sender since. */
    const double idle = p->fl.flight_frame && p->have_nxt && e->have_acked &&
                        td_seq_lt(e->acked, p->nxt) && e->last_nr_ts < p->fl.flight_ts
                        ? p->fl.flight_idle : 0.0;

    /* No keepalive probes (they would have allocated it) and too short a
     * silence to matter: nothing to keep. */
    if (!c->more && idle < IDLE_RESET_MIN_S)
        return;
    td_more *m = td_more_get(c);
    if (!m)
        return;
    const td_flow_more *f = &m->ep[s->sender];
    m->rst_ka_unanswered = f->ka_unanswered;
    m->rst_ka_first_ts = f->ka_first_ts;
    m->rst_ka_first_frame = f->ka_first_frame;
    m->rst_ka_gap = s->ts - f->ka_last_ts;
    m->rst_ka_interval = f->ka_last_ts - f->ka_prev_ts;
    m->rst_trigger_idle = idle;
}

void td_flow_on_icmp(td_conv *c, const td_icmp *m, uint32_t frame, td_step *st)
{
    const bool too_big = m->v6 ? m->type == 2 : (m->type == 3 && m->code == 4);

    if (!too_big)
        return;
    st->event = TD_EV_ICMP_TOO_BIG;
    st->count = m->mtu; /* this message's, shown on its packet */
    td_more *x = td_more_get(c);
    if (!x)
        return;
    td_count16(&x->too_big_count);
    if (!x->too_big_frame) {
        x->too_big_frame = frame;
        x->too_big_mtu = m->mtu;
        x->too_big_about = m->about;
        x->too_big_len_before = c->ep[m->about].fl.max_len;
    }
}

double td_flow_zero_window(const td_conv *c, int i, double now, bool *recovered)
{
    const td_flow_more *x = &td_more_of(c)->ep[i];

    if (x->zw_open && now - x->zw_start_ts > x->zw_longest) {
        if (recovered)
            *recovered = false;
        return now - x->zw_start_ts;
    }
    if (recovered)
        *recovered = true;
    return x->zw_longest;
}

size_t td_flow_rtx_schedule(const td_conv *c, int i, char *buf, size_t n)
{
    const td_flow_more *x = &td_more_of(c)->ep[i];
    double t[TD_MAX_RTX_TIMES + 1];
    unsigned k = x->rtx_count < TD_MAX_RTX_TIMES ? x->rtx_count : TD_MAX_RTX_TIMES;
    td_text tx = { buf, n, 0 };

    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (x->rtx_count == 0)
        return 0;
    /* From the first transmission when it is known, else from the first
     * retransmission (its offset is 0). */
    const unsigned o = x->rtx_orig_known ? 1u : 0u;
    t[0] = 0.0;
    for (unsigned j = 0; j < k; j++)
        t[j + o] = x->rtx_at[j];
    td_put_schedule(&tx, t, k + o, (unsigned)x->rtx_count + o, x->rtx_last_ts - x->rtx_orig_ts, 3);
    return tx.len;
}

/* ---- verdicts --------------------------------------------------------- */

/* The endpoint whose data is stuck: retransmitted, never acknowledged
 * since, and either sent again STUCK_RTX times or not again for long. */
static int stuck_sender(const td_conv *c, double now, const td_prefs *p)
{
    int best = -1;

    for (int i = 0; i < 2; i++) {
        const td_flow_more *x = &td_more_of(c)->ep[i];
        if (!x->rtx_open || x->rtx_count == 0)
            continue;
        if (x->rtx_count < STUCK_RTX && now - x->rtx_last_ts < p->answer_wait)
            continue;
        if (best < 0 || x->rtx_orig_ts < td_more_of(c)->ep[best].rtx_orig_ts)
            best = i;
    }
    return best;
}

/* Has the sender stopped retransmitting?  The next retransmission would
 * have come after twice the last interval (RFC 6298 5.5). */
static bool rtx_gave_up(const td_flow_more *x, double now, const td_prefs *p)
{
    double last = x->rtx_last_ts - x->rtx_prev_ts;
    double wait = 2.0 * last * TD_TIMER_SLACK + TD_TIMER_SLACK_S;

    if (wait < p->answer_wait)
        wait = p->answer_wait;
    return now - x->rtx_last_ts >= wait;
}

static bool peer_heard_after(const td_conv *c, int i, double ts)
{
    const td_endpoint *p = &c->ep[1 - i];
    return p->last_nr_ts > ts;
}

/* Segments of the stuck size never got through while smaller ones did:
 * the peer acknowledged smaller segments, or answered after a smaller
 * one of the same flight was sent (its duplicate ACK says a later
 * segment arrived), or an ICMP too-big about them passed here. */
static bool pmtu_suspect(const td_conv *c, int i)
{
    const td_endpoint *e = &c->ep[i];
    const td_flow *f = &e->fl;
    const td_more *m = td_more_of(c);
    const td_flow_more *x = &m->ep[i];
    const bool v6 = e->base.ip == 6;

    if (x->rtx_len < (v6 ? PMTU_MIN_LEN_V6 : PMTU_MIN_LEN_V4) || x->rtx_len <= f->max_len_acked)
        return false;
    /* After an ICMP too-big the sender sent segments that fit: it heeded
     * it, and what is lost after that is lost for another reason. */
    if (m->too_big_frame && m->too_big_about == i && m->too_big_len_after)
        return false;
    /* An ICMP too-big about these segments that the sender did not heed. */
    if (m->too_big_frame && m->too_big_about == i && m->too_big_mtu &&
        x->rtx_len + (v6 ? HEADERS_V6 : HEADERS_V4) > m->too_big_mtu)
        return true;
    /* A duplicate ACK after a smaller segment of the same flight: that one
     * arrived, the larger one before it did not. */
    return x->dupack_ts > 0.0 && f->flight_min_len < x->rtx_len && x->dupack_ts > f->flight_min_ts;
}

/* The server sent its SYN-ACK again after the handshake's ACK while the
 * client's data went unacknowledged and was sent again: a full accept
 * queue drops both.  (A lost ACK alone, or TCP_DEFER_ACCEPT, lets the
 * client's data in.) */
static bool accept_queue_seen(const td_conv *c)
{
    return c->synack_after_hs > 0 && td_more_of(c)->ep[c->client].rtx_total > 0;
}

/* Opened late and then fine: the late open is the diagnosis; a later
 * problem (a close that hangs, a reset) is named instead. */
void td_flow_late_open(const td_conv *c, td_verdict *v)
{
    if (!accept_queue_seen(c) || !c->late_open_frame)
        return;
    if (v->outcome != TD_OUT_ESTABLISHED && v->outcome != TD_OUT_CLOSING &&
        v->outcome != TD_OUT_CLOSED)
        return;
    v->outcome = TD_OUT_ACCEPT_QUEUE_FULL;
    v->key_frame = c->synack_after_hs_frame;
    v->subject = (uint8_t)(c->client + 1);
}

bool td_flow_verdict(const td_conv *c, double now, const td_prefs *p, td_verdict *v)
{
    const int cli = c->client;

    if (accept_queue_seen(c) && !c->late_open_frame) {
        v->outcome = TD_OUT_ACCEPT_QUEUE_FULL;
        v->key_frame = c->synack_after_hs_frame;
        const td_flow_more *cx = &td_more_of(c)->ep[cli];
        v->subject = (uint8_t)(cli + 1);
        v->gave_up = cx->rtx_open && cx->rtx_count && rtx_gave_up(cx, now, p);
        if (v->gave_up)
            v->client_error = TD_ERR_ETIMEDOUT;
        return true;
    }
    int i = stuck_sender(c, now, p);
    if (i >= 0) {
        const td_flow_more *x = &td_more_of(c)->ep[i];
        const bool heard = peer_heard_after(c, i, x->rtx_orig_ts);
        if (pmtu_suspect(c, i))
            v->outcome = TD_OUT_PMTU_BLACK_HOLE;
        else if (x->rtx_idle >= IDLE_MIN_S && !heard)
            v->outcome = TD_OUT_IDLE_TIMEOUT;
        else
            v->outcome = TD_OUT_RETRANS_TIMEOUT;
        v->key_frame = x->rtx_last_frame;
        v->subject = (uint8_t)(i + 1);
        v->gave_up = rtx_gave_up(x, now, p);
        if (i == cli && v->gave_up)
            v->client_error = TD_ERR_ETIMEDOUT;
        return true;
    }
    for (int r = 0; r < 2; r++) {
        bool recovered;
        double d = td_flow_zero_window(c, r, now, &recovered);
        const td_flow_more *x = &td_more_of(c)->ep[r];
        uint16_t probes = recovered ? x->zw_longest_probes : x->zw_probes;
        if (d >= ZERO_WINDOW_MIN_S && probes >= ZERO_WINDOW_MIN_PROBES) {
            v->outcome = TD_OUT_ZERO_WINDOW;
            v->key_frame = recovered ? x->zw_longest_frame : x->zw_frame;
            v->subject = (uint8_t)(r + 1);
            return true;
        }
    }
    return false;
}

/* The server's first reset answers the client's handshake ACK at once,
 * from no full socket (no ACK flag, its sequence number taken from that
 * ACK), before the server sent anything but its SYN-ACK: the listener
 * itself reset it (Linux tcp_check_req() with a full accept queue and
 * net.ipv4.tcp_abort_on_overflow = 1; also a listener closed between the
 * SYN-ACK and the ACK). */
static bool listener_reset(const td_conv *c)
{
    const int srv = 1 - c->client;
    const td_endpoint *sv = &c->ep[srv];
    int k = c->rst_frame ? td_conv_rst_index(c, c->rst_frame) : -1;

    if (k < 0 || c->rst_by != srv || sv->bytes != 0)
        return false;
    const td_rst *r = &c->rsts[k];
    /* From a capture away from the server the ACK's round trip to it adds. */
    const double rtt = td_conv_rtt_via(c, srv);
    return !(r->flags & TD_TH_ACK) && r->trig_frame == c->hs_ack_frame &&
           r->seq == sv->isn + 1 && r->ts - c->hs_ack_ts - (rtt > 0.0 ? rtt : 0.0) < LISTENER_RESET_S &&
           (r->trig_flags & TD_TH_ACK) && r->trig_ack == sv->isn + 1;
}

bool td_flow_reset_verdict(const td_conv *c, td_verdict *v)
{
    const int srv = 1 - c->client;

    if (listener_reset(c)) {
        v->outcome = TD_OUT_ACCEPT_QUEUE_FULL;
        v->key_frame = c->rst_frame;
        v->client_error = TD_ERR_ECONNRESET;
        return true;
    }

    if (accept_queue_seen(c) && !c->late_open_frame && c->rst_by == srv) {
        v->outcome = TD_OUT_ACCEPT_QUEUE_FULL;
        v->key_frame = c->rst_frame;
        v->client_error = TD_ERR_ECONNRESET;
        return true;
    }
    /* Several probes unanswered, and the reset one probe interval after the
     * last: the kernel's timer, not an application that happened to abort. */
    const td_more *m = td_more_of(c);
    if (m->rst_ka_unanswered >= 2 && m->rst_ka_interval > 0.0 &&
        m->rst_ka_gap >= KEEPALIVE_GAP * m->rst_ka_interval) {
        v->outcome = TD_OUT_KEEPALIVE_TIMEOUT;
        v->key_frame = c->rst_frame;
        /* recv() on the prober's socket fails with ETIMEDOUT
         * (tcp_keepalive_timer(): tcp_write_err()). */
        if (c->rst_by == c->client)
            v->client_error = TD_ERR_ETIMEDOUT;
        return true;
    }
    if (m->rst_trigger_idle >= IDLE_RESET_MIN_S) {
        int k = td_conv_rst_index(c, c->rst_frame);
        if (k >= 0 && td_rst_level_of(c, (uint32_t)k) == TD_RST_IN_PATH_DEVICE) {
            v->outcome = TD_OUT_IDLE_TIMEOUT;
            v->key_frame = c->rst_frame;
            if (c->rst_by == srv)
                v->client_error = TD_ERR_ECONNRESET;
            return true;
        }
    }
    return false;
}

/* ---- words ------------------------------------------------------------ */

static const char *role(const td_conv *c, int i)
{
    return td_role_word(c, i);
}

static void put_client_error(td_text *t, const td_verdict *v)
{
    if (v->client_error != TD_ERR_NONE)
        td_put(t, "; the client reports %s", td_client_error_text[v->client_error]);
}

/* "sent again 5 times over 3.1 s (at 0, 0.21, 0.63, 1.47, 3.10 s)" */
static void put_rtx(td_text *t, const td_conv *c, int i)
{
    const td_flow_more *x = &td_more_of(c)->ep[i];
    char sched[160];

    td_put(t, "sent again ");
    td_put_times(t, x->rtx_count);
    td_put(t, " over ");
    td_put_duration(t, x->rtx_last_ts - x->rtx_orig_ts);
    td_flow_rtx_schedule(c, i, sched, sizeof sched);
    if (x->rtx_orig_known)
        td_put(t, " (at %s s after it was first sent)", sched);
    else
        td_put(t, " (at %s s after the first retransmission, frame %u)", sched, x->rtx_frame);
}

static void put_gave_up(td_text *t, const td_conv *c, int i, double now, const td_verdict *v)
{
    const td_flow_more *x = &td_more_of(c)->ep[i];

    if (v->gave_up) {
        td_put(t, "; the %s sent nothing more in the ", role(c, i));
        td_put_duration(t, now - x->rtx_last_ts);
        td_put(t, " after the last: it gave up (Linux: net.ipv4.tcp_retries2 or TCP_USER_TIMEOUT), "
                  "its application gets Connection timed out");
    } else {
        td_put(t, "; the capture ended ");
        td_put_duration(t, now - x->rtx_last_ts);
        td_put(t, " after the last retransmission: too soon to tell whether the %s gave up (Linux gives up without a packet, after net.ipv4.tcp_retries2, "
                  "about 15 minutes by default, or TCP_USER_TIMEOUT, and the application gets "
                  "Connection timed out)", role(c, i));
    }
}

static void put_accept_queue(td_text *t, const td_conv *c, const td_verdict *v, double now)
{
    const int cli = c->client, srv = 1 - c->client;
    const td_flow_more *cx = &td_more_of(c)->ep[cli];

    if (listener_reset(c)) {
        td_put(t, "The client completed the handshake (ACK in frame %u) and the listener on port %u "
                  "answered that ACK ", c->hs_ack_frame, c->port[srv]);
        td_put_duration(t, c->rst_ts - c->hs_ack_ts);
        td_put(t, " later with a reset from no connection (frame %u: no ACK flag, its sequence "
                  "number taken from the ACK) before sending anything else: most likely the "
                  "listener's accept queue was full and net.ipv4.tcp_abort_on_overflow = 1 (the "
                  "application does not call accept() fast enough); a listener closed between the "
                  "SYN-ACK and the ACK does the same", c->rst_frame);
        return;
    }

    td_put(t, "The client completed the handshake (ACK in frame %u), but the server on port %u "
              "sent its SYN-ACK again ", c->hs_ack_frame, c->port[srv]);
    td_put_times(t, c->synack_after_hs);
    td_put(t, " after it (first in frame %u): it had not taken that ACK. Linux drops the handshake's "
              "ACK when the listener's accept queue is full (net.ipv4.tcp_abort_on_overflow = 0): "
              "the application does not call accept() fast enough (the ACK may also have been lost "
              "after the capture point)", c->synack_after_hs_frame);
    if (cx->rtx_total)
        td_put(t, "; meanwhile the client, ESTABLISHED, sent its data again %u time%s",
               cx->rtx_total, cx->rtx_total == 1 ? "" : "s");
    if (c->late_open_frame) {
        td_put(t, "; the server took the connection ");
        td_put_duration(t, c->late_open_ts - c->hs_ack_ts);
        td_put(t, " after the handshake's ACK (frame %u)", c->late_open_frame);
    } else if (c->rst_frame && c->rst_by == srv) {
        td_put(t, "; the server never took it and reset it (frame %u) ", c->rst_frame);
        td_put_duration(t, c->rst_ts - c->hs_ack_ts);
        td_put(t, " after the handshake's ACK: its half-open entry had expired");
    } else {
        td_put(t, "; the server never took it %s", "in the capture");
        if (v->gave_up)
            put_gave_up(t, c, cli, now, v);
    }
}

static void put_stuck(td_text *t, const td_conv *c, const td_verdict *v, double now)
{
    if (v->subject < 1 || v->subject > 2)
        return;
    const int i = v->subject - 1;
    const int j = 1 - i;
    const td_more *m = td_more_of(c);
    const td_flow *f = &c->ep[i].fl;
    const td_flow_more *x = &m->ep[i];
    const td_endpoint *pe = &c->ep[j];
    const bool heard = peer_heard_after(c, i, x->rtx_orig_ts);

    if (v->outcome == TD_OUT_PMTU_BLACK_HOLE) {
        td_put(t, "The %s's segments of %u bytes were ", role(c, i), x->rtx_len);
        put_rtx(t, c, i);
        td_put(t, " and never acknowledged");
        if (x->dupack_frame && x->dupack_ts > f->flight_min_ts && f->flight_min_len < x->rtx_len)
            td_put(t, x->dupack_sacked
                      ? ", while the %s acknowledged a %u-byte segment of the same flight selectively "
                        "(SACK, frame %u): that smaller segment reached it"
                      : ", while the %s answered a %u-byte segment of the same flight with a duplicate "
                        "ACK (frame %u): that smaller segment reached it",
                   role(c, j), f->flight_min_len, x->dupack_frame);
        if (f->max_len_acked > 0)
            td_put(t, "; the %s had acknowledged up to %u bytes at once before", role(c, j),
                   f->max_len_acked);
        td_put(t, ": likely a path-MTU black hole: a link on the path has a smaller MTU and its ICMP "
                  "fragmentation-needed (IPv6: packet too big) never reached the %s", role(c, i));
        if (m->too_big_frame && m->too_big_about == i)
            td_put(t, " (one passed the capture point in frame %u naming MTU %u, yet the %s did not "
                      "lower its segments)", m->too_big_frame, m->too_big_mtu, role(c, i));
        else
            td_put(t, " (none in the capture: filtered on the way)");
        put_gave_up(t, c, i, now, v);
        td_put(t, "; allow ICMP type 3 code 4 / ICMPv6 type 2 through, or clamp the MSS on the path");
        return;
    }
    if (v->outcome == TD_OUT_IDLE_TIMEOUT) {
        td_put(t, "The connection sat idle for ");
        td_put_duration(t, x->rtx_idle);
        td_put(t, "; the %s's next data (frame %u) was ", role(c, i), x->rtx_orig_frame);
        put_rtx(t, c, i);
        td_put(t, " and never answered: most likely a NAT, firewall or load balancer on the path "
                  "forgot the connection after an idle timeout shorter than ");
        td_put_duration(t, x->rtx_idle);
        td_put(t, " and drops what comes after (or the %s vanished while it was idle)", role(c, j));
        put_gave_up(t, c, i, now, v);
        td_put(t, "; keepalives more frequent than that timeout keep the path's state alive");
        return;
    }
    if (x->rtx_orig_known)
        td_put(t, "The %s's data (frame %u) was ", role(c, i), x->rtx_orig_frame);
    else
        td_put(t, "The %s's oldest unacknowledged data was ", role(c, i));
    put_rtx(t, c, i);
    td_put(t, " and never acknowledged");
    if (heard)
        td_put(t, ", although the %s went on sending (frame %u) without acknowledging it",
               role(c, j), pe->last_frame);
    else
        td_put(t, "; nothing came back from the %s after it (its last packet: frame %u): the %s "
                  "vanished (crashed, powered off, unplugged) or the path drops everything",
               role(c, j), pe->last_frame, role(c, j));
    if (x->rtx_orig_known && x->rtx_idle >= IDLE_RESET_MIN_S && !heard) {
        td_put(t, " (the connection had been idle for ");
        td_put_duration(t, x->rtx_idle);
        td_put(t, " before: a device on the path that forgets idle connections sooner would "
                  "look the same)");
    }
    put_gave_up(t, c, i, now, v);
}

static void put_keepalive(td_text *t, const td_conv *c)
{
    const int i = c->rst_by > 1 ? 0 : c->rst_by, j = 1 - i;
    const td_more *m = td_more_of(c);

    td_put(t, "The connection was idle; the %s sent %u keepalive probe%s from frame %u, none answered, "
              "and its kernel reset the connection (frame %u) ", role(c, i), m->rst_ka_unanswered,
           m->rst_ka_unanswered == 1 ? "" : "s", m->rst_ka_first_frame, c->rst_frame);
    td_put_duration(t, c->rst_ts - m->rst_ka_first_ts);
    td_put(t, " after the first: Linux gives up after net.ipv4.tcp_keepalive_probes (TCP_KEEPCNT) "
              "unanswered probes, resets, and fails the %s application's next call with Connection "
              "timed out; the %s vanished or the path went dead (nothing came back from it)",
           role(c, i), role(c, j));
}

static void put_idle_reset(td_text *t, const td_conv *c)
{
    const int i = c->rst_by > 1 ? 0 : c->rst_by, j = 1 - i;
    const double idle = td_more_of(c)->rst_trigger_idle;

    td_put(t, "The connection sat idle for ");
    td_put_duration(t, idle);
    td_put(t, "; the %s's next segment was answered ", role(c, j));
    td_put_duration(t, c->rst_ts - c->ep[j].fl.flight_ts);
    td_put(t, " later by a reset claiming to come from the %s (frame %u) that a device in the path "
              "made: a firewall, NAT or load balancer had forgotten the connection after an idle "
              "timeout shorter than ", role(c, i), c->rst_frame);
    td_put_duration(t, idle);
    td_put(t, " and rejected it on the %s's behalf", role(c, i));
}

static void put_zero_window(td_text *t, const td_conv *c, double now, bool final)
{
    for (int r = 0; r < 2; r++) {
        bool recovered;
        const double d = td_flow_zero_window(c, r, now, &recovered);
        const td_flow_more *x = &td_more_of(c)->ep[r];
        const uint16_t probes = recovered ? x->zw_longest_probes : x->zw_probes;
        if (d < ZERO_WINDOW_MIN_S || probes < ZERO_WINDOW_MIN_PROBES)
            continue;
        td_put(t, "The %s advertised a zero window for ", role(c, r));
        td_put_duration(t, d);
        td_put(t, " (from frame %u) while the %s had data to send and probed it ",
               recovered ? x->zw_longest_frame : x->zw_frame, role(c, 1 - r));
        td_put_times(t, probes);
        td_put(t, ": the %s application stopped reading (its receive buffer is full)", role(c, r));
        if (recovered)
            td_put(t, "; the window opened again and the transfer went on");
        else
            td_put(t, "; the window was still closed %s", final ? "when the capture ended"
                                                               : "at this packet");
        if (x->zw_episodes > 1)
            td_put(t, " (%u zero-window spells in all)", x->zw_episodes);
        return;
    }
}

size_t td_flow_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       char *buf, size_t n)
{
    td_text t = { buf, n, 0 };

    if (n == 0)
        return 0;
    buf[0] = '\0';
    switch (v->outcome) {
    case TD_OUT_ACCEPT_QUEUE_FULL:
        put_accept_queue(&t, c, v, now);
        break;
    case TD_OUT_RETRANS_TIMEOUT:
    case TD_OUT_PMTU_BLACK_HOLE:
        put_stuck(&t, c, v, now);
        break;
    case TD_OUT_IDLE_TIMEOUT:
        if (c->rst_frame && c->rst_frame == v->key_frame)
            put_idle_reset(&t, c);
        else
            put_stuck(&t, c, v, now);
        break;
    case TD_OUT_KEEPALIVE_TIMEOUT:
        put_keepalive(&t, c);
        break;
    case TD_OUT_ZERO_WINDOW:
        put_zero_window(&t, c, now, final);
        break;
    default:
        break;
    }
    put_client_error(&t, v);
    return t.len;
}
