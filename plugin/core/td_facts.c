/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_facts.c - a conversation's counts, times and words (td_facts.h).
 */
#include <string.h>

#include "td_facts.h"

/* A time that is shown: never negative (reordered captures can make a
 * difference of timestamps negative); -1 stands for "not shown". */
static double shown_time(double secs)
{
    return secs >= 0.0 ? secs : 0.0;
}

/* The verdict names one endpoint (1 or 2 in v->subject), or none. */
static int subject_of(const td_verdict *v)
{
    return v->subject >= 1 && v->subject <= 2 ? v->subject - 1 : -1;
}

static void opening(const td_conv *c, const td_verdict *v, double now, td_facts *f)
{
    const td_endpoint *cl = &c->ep[c->client], *sv = &c->ep[1 - c->client];
    const unsigned shown = td_outcome_info[v->outcome].shown;

    f->syn_count = cl->syn_count;
    f->synack_count = sv->synack_count;
    f->syn_frame = c->syn_frame;
    f->answer_frame = v->answer_frame;
    f->synack_delay = c->synack_frame && c->syn_frame ? shown_time(c->synack_ts - c->hs_syn_ts) : -1.0;
    f->handshake_rtt = (c->flags & TD_C_HANDSHAKE) && c->syn_frame ? shown_time(c->hs_ack_ts - c->hs_syn_ts)
                                                                 : -1.0;
    f->unanswered_for = (shown & TD_SHOWS_SYN_WAIT)      ? shown_time(now - c->last_syn_ts)
                        : (shown & TD_SHOWS_SYNACK_WAIT) ? shown_time(now - c->last_synack_ts)
                                                         : -1.0;
    f->idle = (shown & TD_SHOWS_IDLE) ? shown_time(now - c->last_ts) : -1.0;
    f->reuse_of = c->reuse_of;
}

static void teardown(const td_conv *c, td_facts *f)
{
    const td_endpoint *cl = &c->ep[c->client], *sv = &c->ep[1 - c->client];

    f->has_bytes = cl->bytes || sv->bytes;
    f->client_bytes = cl->bytes;
    f->server_bytes = sv->bytes;
    f->client_fins = cl->fin_count;
    f->server_fins = sv->fin_count;
    f->closed_by = td_conv_closed_by(c);
    f->close_type = td_conv_close_type(c);
    f->time_wait = td_conv_time_wait_side(c);
    f->reset_by = td_conv_reset_by(c);
}

static void after_handshake(const td_conv *c, const td_verdict *v, double now, td_facts *f)
{
    const td_more *more = td_more_of(c);
    const td_flow_more *clm = &more->ep[c->client], *svm = &more->ep[1 - c->client];
    const int subject = subject_of(v);

    f->client_rtx = clm->rtx_total;
    f->server_rtx = svm->rtx_total;
    f->rtx_schedule_of = subject >= 0 && v->outcome != TD_OUT_ZERO_WINDOW &&
                         more->ep[subject].rtx_count ? subject : -1;
    f->zero_window_for = -1.0;
    if (v->outcome == TD_OUT_ZERO_WINDOW && subject >= 0) {
        bool recovered = false;
        const td_flow_more *zf = &more->ep[subject];
        f->zero_window_for = shown_time(td_flow_zero_window(c, subject, now, &recovered));
        f->zero_window_probes = recovered ? zf->zw_longest_probes : zf->zw_probes;
    }
    f->keepalives = (uint32_t)clm->ka_total + svm->ka_total;
    f->idle_before_cut = -1.0;
    if (v->outcome == TD_OUT_IDLE_TIMEOUT) {
        /* Idle until the segment that was reset, or retransmitted unanswered. */
        f->idle_before_cut = shown_time(c->rst_frame && c->rst_frame == v->key_frame ? more->rst_trigger_idle
                                        : subject >= 0 ? more->ep[subject].rtx_idle : 0.0);
    }
    f->has_path_mtu = more->too_big_frame != 0;
    f->path_mtu = more->too_big_mtu;
    f->opened_late_by = v->outcome == TD_OUT_ACCEPT_QUEUE_FULL && c->late_open_frame
                            ? shown_time(c->late_open_ts - c->hs_ack_ts) : -1.0;
}

void td_conv_facts(const td_conv *c, const td_verdict *v, double now, td_facts *f)
{
    memset(f, 0, sizeof *f);
    f->client_state = td_state_name((td_state)c->ep[c->client].state);
    f->server_state = td_state_name((td_state)c->ep[1 - c->client].state);
    f->role_basis = td_role_basis_name((td_role_basis)c->role_basis);
    if (c->zeek.started) {
        f->conn_state = td_zeek_conn_state(&c->zeek);
        f->history = c->zeek.history;
    }
    f->start = c->first_ts;
    f->duration = c->last_ts - c->first_ts;
    opening(c, v, now, f);
    teardown(c, f);
    after_handshake(c, v, now, f);
    f->rsts_seen = c->rsts_seen != 0;
}
