/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_zeek.c - Zeek's TCP endpoint states, conn_state and history.
 *
 * The rules, the order in which they apply to one packet, and the letters
 * follow Zeek's TCPSessionAdapter::Process(): init_endpoint,
 * update_history, update_window, ACK bookkeeping, update_last_seq, then
 * UpdateStateMachine.  Not modelled: 'C' (Wireshark does not verify TCP
 * checksums by default), Zeek's connection timers and reuse splitting
 * (tcpdiag follows Wireshark's tcp.stream); 'G' follows the end of the
 * contiguous data and one block seen past a hole, not a full reassembly
 * buffer: data that came early past two holes at once is forgotten, and
 * an acknowledgement past it then shows a gap Zeek would not see.
 */
#include <string.h>

#include "td_count.h"
#include "td_segment.h"
#include "td_seq.h"
#include "td_zeek.h"

/* A SYN or RST this far from the highest sequence number seen does not
 * move it (Zeek's TOO_LARGE_SEQ_DELTA). */
#define SEQ_JUMP_MAX 1048576

/* Session::CheckHistory masks; the responder's are shifted by 16. */
enum {
    HIST_SYN = 0x1, HIST_FIN = 0x2, HIST_RST = 0x4, HIST_FIN_RST = 0x8,
    HIST_DATA = 0x10, HIST_ACK = 0x20, HIST_MULTI = 0x40
};

static const uint16_t likely_ports[] = {
    21, 22, 25, 53, 79, 80, 81, 88, 135, 139, 143, 389, 443, 445, 465, 502,
    514, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993, 995, 1080, 1434,
    1883, 2811, 3128, 3268, 3306, 3389, 5222, 5223, 5269, 5432, 6379, 6666,
    6667, 6668, 6669, 8000, 8080, 8888, 20000
};

bool td_zeek_likely_server_port(uint16_t port)
{
    for (size_t i = 0; i < sizeof likely_ports / sizeof likely_ports[0]; i++)
        if (likely_ports[i] == port)
            return true;
    return false;
}

void td_zeek_init(td_zeek *z)
{
    memset(z, 0, sizeof *z);
}

static void append(td_zeek *z, char c)
{
    if (z->hist_len < TD_ZEEK_HISTORY_MAX) {
        z->history[z->hist_len++] = c;
        z->history[z->hist_len] = '\0';
    }
}

static char role_case(const td_zeek *z, uint8_t sender, char upper)
{
    return sender == z->orig ? upper : (char)(upper - 'A' + 'a');
}

/* Session::CheckHistory: record the letter the first time; true if it was
 * already recorded for this role. */
static bool check_history(td_zeek *z, uint8_t sender, uint32_t mask, char upper)
{
    if (sender != z->orig)
        mask <<= 16;
    if (z->hist_seen & mask)
        return true;
    z->hist_seen |= mask;
    append(z, role_case(z, sender, upper));
    return false;
}

/* Session::ScaledHistoryEntry: the 1st, 10th, 100th ... occurrence (up to
 * the 10^9th, the last power of ten a 32-bit count reaches). */
static void scaled(td_zeek *z, uint8_t sender, char upper, uint32_t *count, uint8_t *next)
{
    static const uint32_t pow10[] = { 1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u,
                                      10000000u, 100000000u, 1000000000u };

    td_count32(count);
    if (*count == pow10[*next]) {
        append(z, role_case(z, sender, upper));
        if (*next < 9)
            (*next)++;
    }
}

/* The block past the hole, once the contiguous data reaches it. */
static void take_ahead(td_zeek_ep *e)
{
    if (e->ahead_end == e->ahead_seq || td_seq_lt(e->contig, e->ahead_seq))
        return;
    if (td_seq_gt(e->ahead_end, e->contig))
        e->contig = e->ahead_end;
    e->ahead_seq = e->ahead_end = e->contig;
}

static void flip_roles(td_zeek *z)
{
    z->orig = (uint8_t)(1 - z->orig);
    append(z, '^');
}

static void set_state(td_zeek_ep *e, td_zeek_state s)
{
    if (e->state != s) {
        e->prev_state = e->state;
        e->state = (uint8_t)s;
    }
}

static void update_history(td_zeek *z, uint8_t sender, uint8_t flags, uint32_t seq, uint32_t len)
{
    td_zeek_ep *e = &z->ep[sender];
    const uint32_t rel = seq - e->start_seq;
    const int n = !!(flags & TD_TH_SYN) + !!(flags & TD_TH_FIN) + !!(flags & TD_TH_RST);

    if (n > 1) {
        if ((flags & TD_TH_FIN) && (flags & TD_TH_RST))
            check_history(z, sender, HIST_FIN_RST, 'I');
        else
            check_history(z, sender, HIST_MULTI, 'Q');
        return;
    }
    if (flags & TD_TH_SYN) {
        char c = (flags & TD_TH_ACK) ? 'H' : 'S';
        if (check_history(z, sender, HIST_SYN, c) && rel != e->last_syn)
            append(z, role_case(z, sender, c));
        e->last_syn = rel;
        return;
    }
    if (flags & TD_TH_FIN) {
        if (check_history(z, sender, HIST_FIN, 'F') && rel + len != e->last_fin)
            append(z, role_case(z, sender, 'F'));
        e->last_fin = rel + len;
        return;
    }
    if (flags & TD_TH_RST) {
        if (check_history(z, sender, HIST_RST, 'R') && rel != e->last_rst)
            append(z, role_case(z, sender, 'R'));
        e->last_rst = rel;
        return;
    }
    if (len == 0 && !(flags & TD_TH_ACK))
        return;
    /* A SYN-ACK seen first and then an ACK or data: the SYN-ACK's sender
     * was the responder after all (TCP_Endpoint::CheckHistory, Zeek 5.1). */
    if (z->hist_len == 1 && z->history[0] == 'H') {
        flip_roles(z);
        strcpy(z->history, "^h");
        z->hist_len = 2;
    }
    if (len > 0)
        check_history(z, sender, HIST_DATA, 'D');
    else
        check_history(z, sender, HIST_ACK, 'A');
}

static void update_inactive(td_zeek *z, uint8_t sender, uint8_t flags, uint32_t seq, uint32_t len)
{
    td_zeek_ep *e = &z->ep[sender], *p = &z->ep[1 - sender];
    const bool is_orig = sender == z->orig;

    if (flags & TD_TH_SYN) {
        if (is_orig) {
            set_state(e, (flags & TD_TH_ACK) ? TD_ZK_SYN_ACK_SENT : TD_ZK_SYN_SENT);
        } else {
            if (!(flags & TD_TH_ACK) && p->state == TD_ZK_SYN_ACK_SENT && seq == e->start_seq) {
                /* The SYN-ACK came before the SYN it answers. */
                flip_roles(z);
                set_state(p, TD_ZK_ESTABLISHED);
            }
            if (p->state == TD_ZK_SYN_SENT)
                set_state(p, TD_ZK_ESTABLISHED);
            set_state(e, TD_ZK_ESTABLISHED);
        }
    }
    if (flags & TD_TH_FIN)
        set_state(e, TD_ZK_CLOSED);
    if (flags & TD_TH_RST)
        set_state(e, TD_ZK_RESET);
    if (e->state == TD_ZK_INACTIVE) {
        const td_zeek_ep *orig = &z->ep[z->orig];
        if (!is_orig && len == 0 && orig->state == TD_ZK_SYN_SENT)
            ; /* the responder's bare ACK before its SYN-ACK */
        else if ((flags & TD_TH_ACK) && p->state == TD_ZK_ESTABLISHED)
            set_state(e, TD_ZK_ESTABLISHED);
        else
            set_state(e, TD_ZK_PARTIAL);
    }
}

static void update_state_machine(td_zeek *z, uint8_t sender, uint8_t flags, uint32_t seq, uint32_t len)
{
    td_zeek_ep *e = &z->ep[sender], *p = &z->ep[1 - sender];

    switch ((td_zeek_state)e->state) {
    case TD_ZK_INACTIVE:
        update_inactive(z, sender, flags, seq, len);
        break;
    case TD_ZK_SYN_SENT:
    case TD_ZK_SYN_ACK_SENT:
        if (flags & TD_TH_FIN)
            set_state(e, TD_ZK_CLOSED);
        if (flags & TD_TH_RST)
            set_state(e, TD_ZK_RESET);
        break;
    case TD_ZK_ESTABLISHED:
    case TD_ZK_PARTIAL:
        if ((flags & TD_TH_SYN) && !(flags & TD_TH_ACK) && e->state == TD_ZK_PARTIAL &&
            p->state == TD_ZK_INACTIVE)
            set_state(e, TD_ZK_SYN_SENT);
        if ((flags & TD_TH_FIN) && !(flags & TD_TH_RST)) {
            set_state(e, TD_ZK_CLOSED);
            if (p->state == TD_ZK_RESET && p->prev_state == TD_ZK_CLOSED)
                set_state(p, TD_ZK_CLOSED);
        }
        if (flags & TD_TH_RST)
            set_state(e, TD_ZK_RESET);
        break;
    case TD_ZK_CLOSED:
        if ((flags & TD_TH_RST) && p->state != TD_ZK_CLOSED)
            set_state(e, TD_ZK_RESET);
        break;
    default:
        break;
    }
}

void td_zeek_on_segment(td_zeek *z, uint8_t sender, uint16_t sport, uint16_t dport,
                        uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                        uint16_t window)
{
    td_zeek_ep *e, *p;
    bool first_of_endpoint = false;

    if (sender > 1)
        return;
    e = &z->ep[sender];
    p = &z->ep[1 - sender];

    if (!z->started) {
        /* The sender of the first packet is the originator, unless that
         * packet is not a bare SYN and comes from a likely server port
         * (IPBasedAnalyzer::NewConn, TCPAnalyzer::WantConnection). */
        z->started = true;
        z->orig = sender;
        if (!(flags & TD_TH_SYN) || (flags & TD_TH_ACK)) {
            bool flip = false;
            if (td_zeek_likely_server_port(sport))
                flip = td_zeek_likely_server_port(dport) ? (!(flags & TD_TH_SYN) && sport < dport)
                                                         : true;
            if (flip)
                flip_roles(z);
        }
    }

    /* init_endpoint */
    const uint32_t end_all = seq + len + ((flags & TD_TH_SYN) ? 1u : 0u) +
                             ((flags & TD_TH_FIN) ? 1u : 0u);
    if (e->state == TD_ZK_INACTIVE && !e->init) {
        e->init = true;
        first_of_endpoint = true;
        e->start_seq = (flags & TD_TH_SYN) ? seq : seq - 1;
        e->ack_seq = e->start_seq;
        e->last_seq = end_all;
        e->contig = e->start_seq + 1;
        e->ahead_seq = e->ahead_end = e->contig;
    } else if ((e->state == TD_ZK_SYN_SENT || e->state == TD_ZK_SYN_ACK_SENT) &&
               (flags & TD_TH_SYN) && seq != e->start_seq) {
        e->start_seq = seq;
        e->ack_seq = seq;
        e->last_seq = end_all;
        e->contig = seq + 1;
        e->ahead_seq = e->ahead_end = e->contig;
    }
    /* Contiguous payload seen so far from this side, and one block seen
     * past a hole (reordered on the way to the capture point), taken in
     * when the hole fills: a reassembler would have had it all. */
    if (len > 0) {
        const uint32_t dseq = seq + ((flags & TD_TH_SYN) ? 1u : 0u), dend = dseq + len;
        if (td_seq_le(dseq, e->contig) && td_seq_gt(dend, e->contig)) {
            e->contig = dend;
        } else if (td_seq_gt(dseq, e->contig)) {
            if (e->ahead_end == e->ahead_seq || td_seq_lt(dend, e->ahead_seq)) {
                e->ahead_seq = dseq;   /* the first block, or one nearer the hole */
                e->ahead_end = dend;
            } else if (td_seq_le(dseq, e->ahead_end)) {
                if (td_seq_lt(dseq, e->ahead_seq))
                    e->ahead_seq = dseq;
                if (td_seq_gt(dend, e->ahead_end))
                    e->ahead_end = dend;
            }
        }
        take_ahead(e);
    }

    update_history(z, sender, flags, seq, len);

    /* update_window: a zero window, not on a reset, the peer not closed. */
    if (window == 0 && !(flags & TD_TH_RST) && p->state != TD_ZK_CLOSED && e->state != TD_ZK_RESET)
        scaled(z, sender, 'W', &e->win0, &e->win0_next);

    /* ACK bookkeeping: the highest acknowledgement of the peer's data. */
    if ((flags & TD_TH_ACK) && !(flags & TD_TH_RST) && p->init &&
        td_seq_gt(ack, p->ack_seq)) {
        /* The peer's data acknowledged past a hole in what the capture
         * showed of it: a content gap in the peer's direction, recorded
         * once both ends are established or closing (TCP_Reassembler's
         * Gap; an acknowledgement of the FIN does not count). */
        uint32_t upto = ack;
        if (p->fin_cnt > 0 && td_seq_gt(ack, p->fin_seq))
            upto = p->fin_seq;
        if (td_seq_gt(upto, p->contig)) {
            if ((e->state == TD_ZK_ESTABLISHED || e->state == TD_ZK_CLOSED) &&
                (p->state == TD_ZK_ESTABLISHED || p->state == TD_ZK_CLOSED))
                scaled(z, (uint8_t)(1 - sender), 'G', &p->gap, &p->gap_next);
            p->contig = upto;
            take_ahead(p);
        }
        p->ack_seq = ack;
    }

    /* update_last_seq: 'T' for payload that does not go past the highest
     * sequence number already seen. */
    {
        const uint32_t end = (flags & TD_TH_RST) ? seq : end_all;
        const int32_t delta = td_seq_diff(end, e->last_seq);
        if ((flags & (TD_TH_SYN | TD_TH_RST)) && (delta > SEQ_JUMP_MAX || delta < -SEQ_JUMP_MAX))
            ;
        else if ((flags & TD_TH_FIN) && e->last_seq == e->start_seq + 1)
            e->last_seq = end;
        else if (e->state == TD_ZK_RESET)
            ;
        else if (delta > 0)
            e->last_seq = end;
        else if (len > 0 && (!first_of_endpoint || (flags & TD_TH_SYN)))
            scaled(z, sender, 'T', &e->rxmit, &e->rxmit_next);
    }

    update_state_machine(z, sender, flags, seq, len);
    if (flags & TD_TH_FIN) {
        td_count16(&e->fin_cnt);
        e->fin_seq = seq + len + ((flags & TD_TH_SYN) ? 1u : 0u);
    }
}

/* TCP_Endpoint::Size() for the REJ test: bytes of sequence space used. */
static uint64_t endpoint_size(const td_zeek_ep *e)
{
    uint32_t top = td_seq_gt(e->ack_seq, e->last_seq) ? e->ack_seq : e->last_seq;
    uint64_t size = (uint32_t)(top - e->start_seq);

    if (size > 0)
        size--; /* the SYN */
    if (e->fin_cnt > 0 && size > 0)
        size--;
    return size;
}

/* An exact match of Zeek's /\^?S[^HAFGIQ]*R.*\/ on the history. */
static bool history_is_syn_then_rst(const char *h)
{
    if (*h == '^')
        h++;
    if (*h != 'S')
        return false;
    for (h++; *h; h++) {
        if (*h == 'R')
            return true;
        if (strchr("HAFGIQ", *h))
            return false;
    }
    return false;
}

const char *td_zeek_conn_state(const td_zeek *z)
{
    if (!z->started)
        return "";
    const td_zeek_ep *o = &z->ep[z->orig], *r = &z->ep[1 - z->orig];
    const uint8_t os = o->state, rs = r->state;
    const bool o_inact = os == TD_ZK_INACTIVE || os == TD_ZK_PARTIAL;
    const bool r_inact = rs == TD_ZK_INACTIVE || rs == TD_ZK_PARTIAL;

    if (rs == TD_ZK_RESET) {
        if (os == TD_ZK_SYN_SENT || os == TD_ZK_SYN_ACK_SENT ||
            (os == TD_ZK_RESET && endpoint_size(o) == 0 && endpoint_size(r) == 0))
            return "REJ";
        return o_inact ? "RSTRH" : "RSTR";
    }
    if (os == TD_ZK_RESET) {
        if (r_inact)
            return history_is_syn_then_rst(z->history) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (os == TD_ZK_CLOSED && rs == TD_ZK_CLOSED)
        return "SF";
    if (os == TD_ZK_CLOSED)
        return r_inact ? "SH" : "S2";
    if (rs == TD_ZK_CLOSED)
        return o_inact ? "SHR" : "S3";
    if (os == TD_ZK_SYN_SENT && rs == TD_ZK_INACTIVE)
        return "S0";
    if (os == TD_ZK_ESTABLISHED && rs == TD_ZK_ESTABLISHED)
        return "S1";
    return "OTH";
}

const char *td_zeek_conn_state_meaning(const char *code)
{
    static const struct { const char *code, *meaning; } m[] = {
        { "S0", "attempt seen, never answered" },
        { "S1", "established, not closed" },
        { "SF", "established and closed normally" },
        { "REJ", "attempt rejected" },
        { "S2", "established; the originator closed, the responder never answered the close" },
        { "S3", "established; the responder closed, the originator never answered the close" },
        { "RSTO", "established, then reset by the originator" },
        { "RSTR", "reset by the responder" },
        { "RSTOS0", "the originator sent SYN then RST; no SYN-ACK seen" },
        { "RSTRH", "the responder sent SYN-ACK then RST; no SYN seen" },
        { "SH", "the originator sent SYN then FIN; no SYN-ACK seen" },
        { "SHR", "the responder sent SYN-ACK then FIN; no SYN seen" },
        { "OTH", "no SYN seen: midstream traffic" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(m[i].code, code) == 0)
            return m[i].meaning;
    return "";
}
