/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_log.h - a conversation kept as the segments it has seen.
 *
 * The engine's state is a pure function of the segments a conversation
 * has seen (td_conv_on_segment takes nothing else).  Most conversations of
 * a SYN flood or a scan never get past a SYN and a SYN-ACK or two, so
 * while a conversation has seen only a few segments, all of them SYNs or
 * SYN-ACKs without payload, it is kept as those segments (28 bytes each)
 * instead of a td_conv (840 bytes), and rebuilt when asked for.
 * The first segment that is not an opening one (or one too many) makes it
 * a td_conv for good.
 */
#ifndef TD_LOG_H
#define TD_LOG_H

#include "td_engine.h"

/* Segments kept before a conversation becomes a td_conv: a SYN and its
 * retransmissions on Linux's default schedule (7), and a SYN-ACK. */
#define TD_LOG_MAX 8

/* One opening segment as kept: the td_segment without its payload
 * length (always 0), in 28 bytes (4-byte aligned: the time as two words). */
typedef struct {
    uint32_t ts_bits[2];          /* the double ts, bit for bit */
    uint32_t frame, seq, ack;
    uint16_t window, ip_id;
    uint8_t  flags, ttl;
    uint8_t  bits;                /* TD_LOGGED_* */
    uint8_t  pad;
} td_logged;

enum {
    TD_LOGGED_SENDER1 = 1u << 0,  /* sent by endpoint 1 */
    TD_LOGGED_IP4     = 1u << 1,
    TD_LOGGED_IP6     = 1u << 2,
    TD_LOGGED_DF      = 1u << 3
};

/* What a conversation starts from: its ports, and an earlier
 * conversation on the same addresses and ports (td_conv_set_reuse). */
typedef struct {
    uint16_t port[2];
    uint32_t reuse_of;           /* 0: none */
    uint8_t  reuse_time_wait;
    double   reuse_prev_last_ts;
} td_origin;

/* The origin of a conversation (ports, reuse) as td_conv_init and
 * td_conv_set_reuse left it. */
td_origin td_origin_of(const td_conv *c);

/* The segment can be kept (an opening one, and n segments are kept). */
bool td_log_takes(uint32_t n, const td_segment *s);

td_logged td_log_entry(const td_segment *s);

/*
 * Rebuild c from its origin and its first n kept segments, exactly as
 * if they had been fed to it one by one.  Returns the step of the last
 * one (all zero if n is 0).  With `steps` (room for n) each step is
 * stored there too.  Kept segments are never resets: c allocates nothing
 * (no td_conv_free needed).
 */
td_step td_log_replay(td_conv *c, const td_origin *o, const td_logged *log, uint32_t n,
                      td_step *steps);

#endif /* TD_LOG_H */
