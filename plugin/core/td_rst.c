/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_rst.c - RST forensics: did a reset come from the endpoint whose
 * address and port it carries?
 *
 * Each endpoint's own packets set a baseline (TTL or hop limit and IPv4
 * identification, td_baseline.c; sequence space used, acknowledgements
 * sent and round trip from the capture point, in the engine's record).
 * Each reset is recorded with what was known when it passed, and learns
 * what came after it (did its claimed sender go on sending?  did the peer
 * answer with a challenge ACK?).  The assessment
 * weighs three kinds of evidence (td_diag.h, TD_RST_FINDINGS):
 *
 *   forgery  something the claimed sender's TCP cannot do;
 *   path     the packet was made somewhere else than the claimed sender;
 *   benign   an ordinary reason for what looks odd.
 *
 * A missed forgery is preferred to a false accusation: "likely-forged"
 * needs two independent findings, one of them impossible for TCP.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_baseline.h"
#include "td_count.h"
#include "td_rst.h"
#include "td_seq.h"

#define TD_RL_ROW(id, tok, sev, grp, head) { tok, sev, grp, 0, head },
const td_diag_info td_rst_level_info[TD_RST_LEVEL_COUNT] = { TD_RST_LEVELS(TD_RL_ROW) };
#undef TD_RL_ROW
#define TD_RF_ROW(id, tok, kind, meaning) { tok, kind, meaning },
const td_rst_finding_info td_rst_finding_info_table[TD_RF_COUNT] = { TD_RST_FINDINGS(TD_RF_ROW) };
#undef TD_RF_ROW

#define BIT(f) (1u << (f))

/* Two resets of one sender closer than this in time form a burst. */
#define BURST_WINDOW 1.0
/* An IPv4 identification more than half the 16-bit space ahead of a
 * counter's is behind it. */
#define IPID_HALF 32768u
/* A segment of the sender captured this soon after its reset, and not
 * reaching past the reset's sequence number, was sent before it
 * (reordered on the way to the capture point). */
#define REORDER_WINDOW 0.010
/* Below this round trip, capture timing is too coarse to judge. */
#define MIN_RTT_FOR_TIMING 0.002

double td_conv_rtt_via(const td_conv *c, int i)
{
    double d;

    if (!(c->flags & TD_C_HANDSHAKE) || !c->synack_frame || !c->syn_frame)
        return -1.0;
    if (i == c->client) {
        /* Only a bare ACK right after the SYN-ACK measures the client's
         * round trip; data that completes the handshake may come late. */
        if (!c->hs_ack_bare)
            return -1.0;
        double from = c->last_synack_ts <= c->hs_ack_ts ? c->last_synack_ts : c->synack_ts;
        d = c->hs_ack_ts - from;
    } else {
        d = c->synack_ts - c->hs_syn_ts;
    }
    return d >= 0.0 ? d : -1.0;
}

/* ---- recording ------------------------------------------------------ */

td_rst *td_rst_record(td_conv *c, const td_segment *s)
{
    const td_endpoint *e = &c->ep[s->sender], *p = &c->ep[1 - s->sender];
    td_rst *r;
    const uint8_t answers = c->rst_pending_follow;

    c->rst_pending_follow = 0;
    td_count32(&c->rsts_seen);
    if (c->nrsts >= TD_MAX_RSTS)
        return NULL;
    if (c->nrsts == 0 || (c->nrsts & (c->nrsts - 1)) == 0) {
        /* Grow 1, 2, 4, ... TD_MAX_RSTS: most conversations with a reset
         * have one. */
        uint32_t cap = c->nrsts ? c->nrsts * 2 : 1;
        td_rst *n = (td_rst *)realloc(c->rsts, cap * sizeof *n);
        if (!n)
            return NULL;
        c->rsts = n;
    }
    r = &c->rsts[c->nrsts++];
    memset(r, 0, sizeof *r);
    r->frame = s->frame;
    r->ts = s->ts;
    r->seq = s->seq;
    r->ack = s->ack;
    r->flags = s->flags;
    r->sender = s->sender;
    r->sender_state = e->state;
    r->peer_state = p->state;
    r->ip = s->ip;
    r->ttl = s->ttl;
    r->ip_id = s->ip_id;
    r->df = s->df;
    r->have_id_prev = e->base.id_n > e->base.id_zero;
    r->id_prev = e->base.id_last;
    r->after_fin = ((e->know | p->know) & TD_K_SENT_FIN) != 0;
    switch ((td_state)e->state) {
    case TD_CLOSED: case TD_FIN_WAIT1: case TD_FIN_WAIT2: case TD_CLOSING:
    case TD_LAST_ACK: case TD_TIME_WAIT:
        r->sender_closed = true;
        break;
    default:
        r->sender_closed = e->rst_count > 0; /* it had reset already */
        break;
    }
    r->have_snd = e->have_nxt;
    r->snd_nxt = e->nxt;
    r->have_snd_acked = e->have_acked;
    r->snd_acked = e->acked;
    r->since_prev = e->last_frame ? s->ts - e->last_nr_ts : -1.0;
    if (answers && answers <= c->nrsts - 1) {
        r->answers_idx = answers;
        c->rsts[answers - 1].follow_idx = (uint8_t)c->nrsts;
    }
    r->have_peer_acked = p->have_acked;
    r->peer_acked = p->acked;
    r->have_peer = p->have_nxt;
    r->peer_nxt = p->nxt;
    r->peer_nxt_ts = p->nxt_ts;
    r->trig_frame = p->last_frame;
    r->trig_ack = p->last_ack;
    r->trig_end = p->last_seq_end;
    r->trig_flags = p->last_nr_flags;
    r->trig_ip_id = p->last_ip_id;
    r->has_data = s->payload_len > 0;
    return r;
}

bool td_rst_observe(td_conv *c, const td_segment *s)
{
    bool news = false;

    for (uint32_t i = 0; i < c->nrsts; i++) {
        td_rst *r = &c->rsts[i];
        if (r->ended || r->frame == s->frame)
            continue;
        if ((s->flags & (TD_TH_SYN | TD_TH_ACK)) == (TD_TH_SYN | TD_TH_ACK) &&
            s->sender == r->sender && (r->flags & TD_TH_ACK) && s->ack == r->ack &&
            r->seq != s->seq + 1 && !r->answered_frame) {
            /* Its own SYN-ACK to the very SYN the reset refused, and not
             * one it had sent before resetting (that reset would carry
             * the SYN-ACK's sequence number + 1): a listener that sent the
             * reset has no handshake to answer (RFC 9293 3.10.7.2). */
            r->answered_frame = s->frame;
            r->answered_ts = s->ts;
            news = true;
            continue;
        }
        if (s->flags & TD_TH_SYN) {
            /* A new handshake on these ports: what follows belongs to
             * another connection, not to this reset's sender going on. */
            r->ended = true;
            news = true;
            continue;
        }
        if (s->sender == r->sender) {
            if (s->flags & TD_TH_RST) {
                if (r->chal_frame && !r->follow_frame && s->seq == r->chal_ack) {
                    r->follow_frame = s->frame;
                    c->rst_pending_follow = (uint8_t)(i + 1);
                    news = true;
                }
                continue;
            }
            uint32_t end = s->seq + s->payload_len;
            if (s->payload_len > 0 && s->ts - r->ts < REORDER_WINDOW &&
                td_seq_le(end, r->seq)) {
                /* Sent before the reset, captured after it. */
                if (!r->have_snd || td_seq_gt(end, r->snd_nxt)) {
                    r->snd_nxt = end;
                    r->have_snd = true;
                    news = true;
                }
                continue;
            }
            if (!r->sender_after) {
                /* A genuine sender is silent after its reset (but for the
                 * reset that answers a challenge ACK). */
                r->sender_after = true;
                news = true;
            }
            if (r->cont_frame)
                continue;
            const td_endpoint *p = &c->ep[1 - r->sender];
            if (s->payload_len > 0 && (!r->have_snd || td_seq_gt(end, r->snd_nxt))) {
                r->cont_kind = 1;
                r->cont_frame = s->frame;
                r->cont_ts = s->ts;
                r->cont_bytes = r->have_snd && td_seq_lt(s->seq, r->snd_nxt)
                                ? end - r->snd_nxt : s->payload_len;
                news = true;
            } else if ((s->flags & TD_TH_ACK) && r->have_peer && p->have_nxt &&
                       td_seq_gt(s->ack, r->peer_nxt) && td_seq_le(s->ack, p->nxt)) {
                /* It acknowledged what its peer sent after the reset. */
                r->cont_kind = 2;
                r->cont_frame = s->frame;
                r->cont_ts = s->ts;
                r->cont_bytes = s->ack - r->peer_nxt;
                news = true;
            }
        } else {
            if (s->flags & TD_TH_RST)
                continue;
            if (!r->chal_frame && s->payload_len == 0 && (s->flags & TD_TH_ACK) &&
                !(s->flags & TD_TH_FIN)) {
                r->chal_frame = s->frame;
                r->chal_ack = s->ack;
                r->chal_ts = s->ts;
                news = true;
            }
            if (!r->peer_went_on_frame && s->payload_len > 0) {
                r->peer_went_on_frame = s->frame;
                news = true;
            }
        }
    }
    return news;
}

int td_conv_rst_index(const td_conv *c, uint32_t frame)
{
    for (uint32_t i = 0; i < c->nrsts; i++)
        if (c->rsts[i].frame == frame)
            return (int)i;
    return -1;
}

/* ---- assessment ----------------------------------------------------- */

/* Sequence numbers are shown relative to the endpoint's SYN, as
 * Wireshark shows them, where the SYN was seen. */
static uint32_t rel(const td_conv *c, int i, uint32_t seq)
{
    const td_endpoint *e = &c->ep[i];
    return (e->know & TD_K_SENT_SYN) ? seq - e->isn : seq;
}

/* The reset answers the peer's latest segment as a socket without a
 * connection (or one still in SYN-SENT) does, RFC 9293 3.10.7.1/3.10.7.3. */
static bool answers_segment(const td_rst *r)
{
    if (!r->trig_frame || !(r->sender_closed || r->sender_state == TD_SYN_SENT))
        return false;
    if (r->trig_flags & TD_TH_ACK)
        return r->seq == r->trig_ack;
    return (r->flags & TD_TH_ACK) && r->ack == r->trig_end;
}

/* Part of a challenge-ACK exchange: this reset drew a bare ACK whose number
 * the sender's next reset carried, or it is that next reset. */
static int challenge_partner(const td_conv *c, uint32_t i)
{
    const td_rst *r = &c->rsts[i];

    if (r->follow_frame)
        return r->follow_idx ? r->follow_idx - 1 : (int)i;
    if (r->answers_idx)
        return r->answers_idx - 1;
    return -1;
}

static bool explained(const td_conv *c, uint32_t i)
{
    return answers_segment(&c->rsts[i]) || challenge_partner(c, i) >= 0;
}

/* What the findings collect: the bits, and the words only when asked for
 * (text NULL: the per-packet callers want the level alone). */
typedef struct {
    uint32_t found;
    char (*text)[TD_RST_TEXT];
} findings_out;

__attribute__((format(printf, 3, 4)))
static void say(findings_out *out, td_rst_finding f, const char *fmt, ...)
{
    out->found |= BIT(f);
    if (!out->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->text[f], TD_RST_TEXT, fmt, ap);
    va_end(ap);
}

static const char *ttl_word(uint8_t ip)
{
    return ip == 6 ? "hop limit" : "TTL";
}

static void ttl_list(const td_baseline *b, char *buf, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int k = 0; k < b->ttl_distinct && k < TD_TTL_SLOTS && len + 1 < n; k++) {
        uint8_t t = b->ttl[k];
        int w = snprintf(buf + len, n - len, "%s%u (%u hop%s)", k ? " or " : "", t,
                         td_initial_ttl(t) - t, td_initial_ttl(t) - t == 1 ? "" : "s");
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

static void forensic_findings(const td_conv *c, uint32_t i, findings_out *out)
{
    const td_rst *r = &c->rsts[i];
    const int snd = r->sender, pr = 1 - r->sender;
    const char *who = td_role_word(c, snd), *peer = td_role_word(c, pr);
    const td_baseline *b = &c->ep[snd].base;

    /* Forgery: things the claimed sender's TCP cannot do. */
    if (r->answered_frame)
        say(out, TD_RF_ANSWERED,
            "the %s answered the same SYN with its own SYN-ACK %.1f ms after this reset (frame %u)",
            who, (r->answered_ts - r->ts) * 1e3, r->answered_frame);
    /* A reset may carry data (RFC 9293 3.10.7.1 allows a diagnostic text),
     * and PSH with it; without data PSH and URG mean nothing. */
    if ((r->flags & (TD_TH_FIN | TD_TH_SYN)) ||
        (!r->has_data && (r->flags & (TD_TH_PSH | TD_TH_URG))))
        say(out, TD_RF_ODD_FLAGS, "carries %s%s%s%s with RST, which no TCP stack sets on a reset",
            (r->flags & TD_TH_SYN) ? "SYN " : "", (r->flags & TD_TH_FIN) ? "FIN " : "",
            (r->flags & TD_TH_PSH) ? "PSH " : "", (r->flags & TD_TH_URG) ? "URG " : "");
    if (r->cont_frame) {
        if (r->cont_kind == 1)
            say(out, TD_RF_CONTINUED,
                "the %s went on sending %u bytes of new data %.1f ms after this reset (frame %u)",
                who, r->cont_bytes, (r->cont_ts - r->ts) * 1e3, r->cont_frame);
        else
            say(out, TD_RF_CONTINUED,
                "the %s went on acknowledging %u bytes the %s sent after this reset (frame %u, %.1f ms later)",
                who, r->cont_bytes, peer, r->cont_frame, (r->cont_ts - r->ts) * 1e3);
    }
    /* A genuine sender whose data was lost before the capture point does
     * this too, and falls silent (answering at most the receiver's
     * challenge ACK, RFC 5961 3.2): it counts only if the sender went on. */
    if (r->have_snd && !(!(r->flags & TD_TH_ACK) && r->seq == 0) && !r->follow_frame &&
        r->sender_after && td_seq_gt(r->seq, r->snd_nxt) &&
        (!r->have_peer_acked || td_seq_gt(r->seq, r->peer_acked))) {
        if (r->have_peer_acked)
            say(out, TD_RF_SEQ_BEYOND,
                "sequence number %u is %u beyond the %s's next (%u) and %u beyond what the %s acknowledged (%u)",
                rel(c, snd, r->seq), r->seq - r->snd_nxt, who, rel(c, snd, r->snd_nxt),
                r->seq - r->peer_acked, peer, rel(c, snd, r->peer_acked));
        else
            say(out, TD_RF_SEQ_BEYOND,
                "sequence number %u is %u beyond anything the %s has sent (next %u)",
                rel(c, snd, r->seq), r->seq - r->snd_nxt, who, rel(c, snd, r->snd_nxt));
    }
    /* Data the sender had already acknowledged did exist: the capture
     * missed it. */
    if ((r->flags & TD_TH_ACK) && r->have_peer && td_seq_gt(r->ack, r->peer_nxt) &&
        (!r->have_snd_acked || td_seq_gt(r->ack, r->snd_acked)))
        say(out, TD_RF_ACK_UNSENT,
            "acknowledges %u bytes the %s never sent (ack %u, the %s's next %u)",
            r->ack - r->peer_nxt, peer, rel(c, pr, r->ack), peer, rel(c, pr, r->peer_nxt));
    if (!explained(c, i)) {
        uint32_t n = 1;
        double lo = r->ts, hi = r->ts;
        for (uint32_t j = 0; j < c->nrsts; j++) {
            const td_rst *o = &c->rsts[j];
            if (j == i || o->sender != r->sender || explained(c, j))
                continue;
            double d = o->ts - r->ts;
            if (d > BURST_WINDOW || d < -BURST_WINDOW)
                continue;
            if (o->seq == r->seq && o->ack == r->ack)
                continue;
            n++;
            if (o->ts < lo) lo = o->ts;
            if (o->ts > hi) hi = o->ts;
        }
        if (n > 1)
            say(out, TD_RF_BURST,
                "%u resets from the %s within %.1f ms with different sequence or acknowledgement numbers, none answering a segment",
                n, who, (hi - lo) * 1e3);
    }

    /* Path: the packet was made elsewhere.  A reset from no socket goes
     * out with the host's default TTL, not the one the application set on
     * its socket (GTSM, eBGP): no TTL finding for those. */
    const td_ipid_class idc = td_baseline_ipid_class(b);
    const bool counts_up = idc == TD_IPID_PER_CONN || idc == TD_IPID_SHARED;
    const bool answers = answers_segment(r);
    const bool from_no_socket = answers || (r->ip == 4 && r->df && r->ip_id == 0 && counts_up);
    /* ... unless its packets (three or more, all alike) start from that
     * same default: then only the path can make the hop counts differ. */
    const bool ttl_comparable = !from_no_socket ||
        (b->ttl_distinct == 1 && b->ttl_n[0] >= 3 && td_initial_ttl(b->ttl[0]) == td_initial_ttl(r->ttl));
    if (r->ip && b->ip == r->ip && b->ttl_distinct >= 1 && b->ttl_distinct <= TD_TTL_SLOTS &&
        ttl_comparable) {
        bool known = false;
        uint32_t others = 0;
        for (int k = 0; k < b->ttl_distinct; k++) {
            known |= b->ttl[k] == r->ttl;
            others += b->ttl_n[k];
        }
        if (!known) {
            char list[96];
            ttl_list(b, list, sizeof list);
            uint8_t init = td_initial_ttl(r->ttl);
            say(out, TD_RF_TTL,
                "%s %u (%u hops from %u) where the %s's %u other packets had %s",
                ttl_word(r->ip), r->ttl, init - r->ttl, init, who, others, list);
        }
    }
    if (r->ip == 4 && r->ip_id != 0 && r->ip_id == r->trig_ip_id && r->trig_frame &&
        !(r->have_id_prev && r->ip_id == r->id_prev))
        say(out, TD_RF_IPID_COPY,
            "IP ID %u is that of the %s's segment that triggered it (frame %u): an injector copied it",
            r->ip_id, peer, r->trig_frame);
    if (r->ip == 4) {
        const td_ipid_class k = idc;
        if (counts_up && r->df && r->ip_id == 0) {
            say(out, TD_RF_NO_SOCKET,
                "DF set and IP ID 0 where the %s's other packets count up (last %u before it): "
                "how Linux sends a reset from no socket", who, r->id_prev);
        } else if (k == TD_IPID_PER_CONN && r->have_id_prev) {
            /* Only this connection moves the counter (a TSO burst by at
             * most a few hundred). */
            uint16_t d = (uint16_t)(r->ip_id - r->id_prev);
            if (d == 0 || d > TD_IPID_STEP_MAX)
                say(out, TD_RF_IPID,
                    "IP ID %u where the %s's per-connection counter stood at %u (expected %u to %u)",
                    r->ip_id, who, r->id_prev, (uint16_t)(r->id_prev + 1),
                    (uint16_t)(r->id_prev + TD_IPID_STEP_MAX));
        } else if (k == TD_IPID_SHARED && r->have_id_prev && r->since_prev >= 0.0 && r->since_prev < 1.0) {
            /* A counter shared with the host's other traffic moves by any
             * amount over time; within a second it does not go back. */
            uint16_t d = (uint16_t)(r->ip_id - r->id_prev);
            if (d == 0 || d > IPID_HALF)
                say(out, TD_RF_IPID,
                    "IP ID %u is behind the %s's incrementing counter, which stood at %u %.1f ms earlier",
                    r->ip_id, who, r->id_prev, r->since_prev * 1e3);
        } else if (k == TD_IPID_ZERO && r->ip_id != 0) {
            say(out, TD_RF_IPID, "IP ID %u where the %s's %u other packets all carry 0",
                r->ip_id, who, b->id_n);
        }
    }
    double rtt = td_conv_rtt_via(c, snd);
    if ((r->flags & TD_TH_ACK) && r->have_peer && r->ack == r->peer_nxt && r->peer_nxt_ts > 0.0 &&
        rtt >= MIN_RTT_FOR_TIMING && r->ts >= r->peer_nxt_ts && r->ts - r->peer_nxt_ts < rtt / 2)
        say(out, TD_RF_TOO_SOON,
            "acknowledges the %s's segment that passed the capture point %.1f ms earlier, "
            "but a round trip from here to the %s takes %.1f ms (handshake)",
            peer, (r->ts - r->peer_nxt_ts) * 1e3, who, rtt * 1e3);

    /* Benign explanations. */
    if (answers) {
        if (r->trig_flags & TD_TH_ACK)
            say(out, TD_RF_ANSWERS,
                "answers the %s's segment in frame %u as a closed socket does: its sequence "
                "number is that segment's acknowledgement", peer, r->trig_frame);
        else
            say(out, TD_RF_ANSWERS,
                "answers the %s's segment in frame %u as a closed socket does: it acknowledges "
                "exactly that segment", peer, r->trig_frame);
    }
    int partner = challenge_partner(c, i);
    if (partner >= 0) {
        const td_rst *first = partner < (int)i ? &c->rsts[partner] : r;
        say(out, TD_RF_CHALLENGE,
            "RFC 5961 exchange: the %s answered the reset in frame %u with a challenge ACK "
            "for %u (frame %u) and the %s's reset in frame %u carried exactly that number",
            peer, first->frame, rel(c, snd, first->chal_ack), first->chal_frame, who,
            first->follow_frame);
    }
    if (r->after_fin) {
        const td_endpoint *e = &c->ep[snd], *p = &c->ep[pr];
        bool own = (e->know & TD_K_SENT_FIN) && e->fin_frame < r->frame;
        say(out, TD_RF_AFTER_FIN, "sent after the %s's FIN (frame %u)",
            own ? who : peer, own ? e->fin_frame : p->fin_frame);
    }
}

static int popcount(uint32_t x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* The level the findings add up to; removes what benign findings explain. */
static td_rst_level judge(uint32_t *found)
{
    uint32_t forgery = 0, path = 0;
    td_rst_level level = TD_RST_GENUINE;

    /* What a closed socket or an RFC 5961 exchange explains does not count. */
    if (*found & (BIT(TD_RF_ANSWERS) | BIT(TD_RF_CHALLENGE)))
        *found &= ~(BIT(TD_RF_SEQ_BEYOND) | BIT(TD_RF_ACK_UNSENT) | BIT(TD_RF_BURST));
    for (int f = 0; f < TD_RF_COUNT; f++) {
        if (!(*found & BIT(f)))
            continue;
        if (td_rst_finding_info_table[f].kind == TD_RK_FORGERY)
            forgery |= BIT(f);
        else if (td_rst_finding_info_table[f].kind == TD_RK_PATH)
            path |= BIT(f);
    }
    int nf = popcount(forgery), np = popcount(path);
    if (nf >= 2 || (nf >= 1 && np >= 1))
        level = TD_RST_LIKELY_FORGED;
    else if (nf == 1)
        level = TD_RST_SUSPICIOUS;
    else if (np >= 1)
        level = TD_RST_IN_PATH_DEVICE;
    /* After a FIN, odd resets are common (late data to a closed socket):
     * one step less. */
    if ((*found & BIT(TD_RF_AFTER_FIN)) && level >= TD_RST_SUSPICIOUS)
        level = level == TD_RST_LIKELY_FORGED ? TD_RST_SUSPICIOUS
              : np ? TD_RST_IN_PATH_DEVICE : TD_RST_GENUINE;
    /* The claimed sender answering the handshake it reset is decisive. */
    if (*found & BIT(TD_RF_ANSWERED))
        level = TD_RST_LIKELY_FORGED;
    return level;
}

void td_rst_assess(const td_conv *c, uint32_t i, bool want_text, td_rst_view *v)
{
    findings_out out = { 0, want_text ? v->text : NULL };

    v->level = TD_RST_GENUINE;
    v->found = 0;
    if (i >= c->nrsts)
        return;
    if (want_text)
        for (int f = 0; f < TD_RF_COUNT; f++)
            v->text[f][0] = '\0';
    forensic_findings(c, i, &out);
    v->level = judge(&out.found);
    v->found = out.found;
}

td_rst_level td_rst_level_of(const td_conv *c, uint32_t i)
{
    findings_out out = { 0, NULL };

    if (i >= c->nrsts)
        return TD_RST_GENUINE;
    forensic_findings(c, i, &out);
    return judge(&out.found);
}

td_rst_level td_conv_rst_worst(const td_conv *c, uint32_t *which)
{
    td_rst_level worst = TD_RST_GENUINE;

    if (which)
        *which = 0;
    for (uint32_t i = 0; i < c->nrsts; i++) {
        td_rst_level level = td_rst_level_of(c, i);
        if (level > worst) {
            worst = level;
            if (which)
                *which = i;
        }
    }
    return worst;
}

size_t td_rst_summary(const td_conv *c, uint32_t i, char *buf, size_t n)
{
    td_rst_view v;
    size_t len = 0;
    int w;

    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (i >= c->nrsts)
        return 0;
    td_rst_assess(c, i, true, &v);
    const td_rst *r = &c->rsts[i];
    const char *who = td_role_word(c, r->sender);
    switch (v.level) {
    case TD_RST_LIKELY_FORGED:
        w = snprintf(buf, n, "reset injected by a device in the path: the reset in frame %u "
                     "claiming to come from the %s is likely forged", r->frame, who);
        break;
    case TD_RST_SUSPICIOUS:
        w = snprintf(buf, n, "reset of doubtful origin: the reset in frame %u claiming to come "
                     "from the %s does what its TCP cannot", r->frame, who);
        break;
    case TD_RST_IN_PATH_DEVICE:
        w = snprintf(buf, n, "reset sent by a device in the path on the %s's behalf: the reset "
                     "in frame %u was made elsewhere than the %s", who, r->frame, who);
        break;
    default:
        return 0;
    }
    len = w > 0 ? (size_t)w : 0;
    const char *sep = " (";
    for (int f = 0; f < TD_RF_COUNT && len + 1 < n; f++) {
        if (!(v.found & BIT(f)) || td_rst_finding_info_table[f].kind == TD_RK_BENIGN)
            continue;
        w = snprintf(buf + len, n - len, "%s%s", sep, v.text[f]);
        if (w < 0)
            break;
        len += (size_t)w;
        sep = "; ";
    }
    if (*sep == ';' && len + 1 < n) {
        w = snprintf(buf + len, n - len, ")");
        if (w > 0)
            len += (size_t)w;
    }
    if (len >= n)
        len = n - 1;
    return len;
}
