/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_log.c - a conversation kept as the segments it has seen (td_log.h).
 */
#include "td_log.h"

#include <string.h>

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
           (s->flags & (TD_TH_SYN | TD_TH_RST | TD_TH_FIN)) == TD_TH_SYN;
}

td_logged td_log_entry(const td_segment *s)
{
    td_logged e;

    memset(&e, 0, sizeof e);
    e.ts = s->ts;
    e.frame = s->frame;
    e.seq = s->seq;
    e.ack = s->ack;
    e.window = s->window;
    e.ip_id = s->ip_id;
    e.flags = s->flags;
    e.sender = s->sender;
    e.ip = s->ip;
    e.ttl = s->ttl;
    e.df = s->df;
    return e;
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
        td_segment s;
        memset(&s, 0, sizeof s);
        s.frame = log[i].frame;
        s.ts = log[i].ts;
        s.seq = log[i].seq;
        s.ack = log[i].ack;
        s.window = log[i].window;
        s.flags = log[i].flags;
        s.sender = log[i].sender;
        s.ip = log[i].ip;
        s.ttl = log[i].ttl;
        s.ip_id = log[i].ip_id;
        s.df = log[i].df;
        st = td_conv_on_segment(c, &s);
        if (steps)
            steps[i] = st;
    }
    return st;
}
