/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_log.c - a conversation kept as the segments it has seen (td_log.h).
 */
#include "td_log.h"

#include <string.h>

_Static_assert(sizeof(td_logged) == 28, "a kept segment is 28 bytes");

td_origin td_origin_of(const td_conv *c)
{
    td_origin o;

    memset(&o, 0, sizeof o);
    o.port[0] = c->port[0];
    o.port[1] = c->port[1];
    o.reuse_of = c->reuse_of;
    o.reuse_time_wait = c->reuse_time_wait;
    o.reuse_prev_last_ts = c->reuse_prev_last_ts;
    return o;
}

bool td_log_takes(uint32_t n, const td_segment *s)
{
    /* A SYN or SYN-ACK without payload, reset or FIN. */
    return n < TD_LOG_MAX && s->payload_len == 0 && s->sender <= 1 &&
           (s->ip == 0 || s->ip == 4 || s->ip == 6) &&
           (s->flags & (TD_TH_SYN | TD_TH_RST | TD_TH_FIN)) == TD_TH_SYN;
}

td_logged td_log_entry(const td_segment *s)
{
    td_logged e;

    memset(&e, 0, sizeof e);
    memcpy(e.ts_bits, &s->ts, sizeof e.ts_bits);
    e.frame = s->frame;
    e.seq = s->seq;
    e.ack = s->ack;
    e.window = s->window;
    e.ip_id = s->ip_id;
    e.flags = s->flags;
    e.ttl = s->ttl;
    e.bits = (uint8_t)((s->sender == 1 ? TD_LOGGED_SENDER1 : 0) |
                       (s->ip == 4 ? TD_LOGGED_IP4 : 0) | (s->ip == 6 ? TD_LOGGED_IP6 : 0) |
                       (s->df ? TD_LOGGED_DF : 0));
    return e;
}

/* The segment a kept one stands for (td_log_takes kept only IP versions
 * 4, 6 or unknown: the others are not kept). */
static td_segment logged_segment(const td_logged *e)
{
    td_segment s;

    memset(&s, 0, sizeof s);
    memcpy(&s.ts, e->ts_bits, sizeof s.ts);
    s.frame = e->frame;
    s.seq = e->seq;
    s.ack = e->ack;
    s.window = e->window;
    s.flags = e->flags;
    s.sender = (e->bits & TD_LOGGED_SENDER1) ? 1 : 0;
    s.ip = (e->bits & TD_LOGGED_IP4) ? 4 : (e->bits & TD_LOGGED_IP6) ? 6 : 0;
    s.ttl = e->ttl;
    s.ip_id = e->ip_id;
    s.df = (e->bits & TD_LOGGED_DF) != 0;
    return s;
}

td_step td_log_replay(td_conv *c, const td_origin *o, const td_logged *log, uint32_t n,
                      td_step *steps)
{
    td_step st;

    memset(&st, 0, sizeof st);
    td_conv_init(c, o->port[0], o->port[1]);
    c->reuse_of = o->reuse_of;
    c->reuse_time_wait = o->reuse_time_wait;
    c->reuse_prev_last_ts = o->reuse_prev_last_ts;
    for (uint32_t i = 0; i < n; i++) {
        const td_segment s = logged_segment(&log[i]);
        st = td_conv_on_segment(c, &s);
        if (steps)
            steps[i] = st;
    }
    return st;
}
