/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_rst.h - RST forensics (td_rst.c): every reset of a conversation is
 * recorded with what was known when it passed and learns what came after
 * it; the assessment says whether its claimed sender sent it.
 */
#ifndef TD_RST_H
#define TD_RST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "td_conv.h"
#include "td_diag.h"
#include "td_segment.h"

/* One reset, what was known when it passed and what came after it. */
#define TD_MAX_RSTS 16
struct td_rst {
    uint32_t frame;
    double   ts;
    uint32_t seq, ack;
    uint8_t  flags, sender;
    uint8_t  sender_state, peer_state; /* before it */
    uint8_t  ttl, ip;                  /* ip: 4, 6, or 0 if not known */
    uint16_t ip_id, id_prev;           /* its identification; the sender's last before it */
    bool     df, have_id_prev;
    bool     accepted;                 /* the receiver would act on it */
    bool     after_fin;                /* a FIN had been sent either way */
    bool     sender_closed;            /* the sender had no synchronized socket */
    bool     have_snd, have_peer_acked, have_peer, have_snd_acked;
    uint32_t snd_nxt;                  /* the sender's nxt then */
    uint32_t snd_acked;                /* the highest acknowledgement the sender had sent */
    double   since_prev;               /* since the sender's previous other packet (-1: none) */
    uint32_t peer_acked;               /* the peer's highest acknowledgement then */
    uint32_t peer_nxt;                 /* the peer's nxt then */
    double   peer_nxt_ts;
    uint32_t trig_frame, trig_ack, trig_end; /* the peer's last segment before it */
    uint8_t  trig_flags;
    bool     has_data;                 /* it carries payload (RFC 9293 allows it) */
    uint16_t trig_ip_id;               /* and that segment's IPv4 identification */
    uint32_t answered_frame;           /* the sender's own SYN-ACK to the SYN it reset, after it */
    double   answered_ts;
    uint8_t  cont_kind;                /* 1: new data after it, 2: acknowledged new data */
    uint32_t cont_frame, cont_bytes;
    double   cont_ts;
    uint32_t chal_frame, chal_ack;     /* the peer's first bare ACK after it */
    double   chal_ts;
    uint32_t follow_frame;             /* the sender's next reset, with seq == chal_ack */
    uint8_t  follow_idx, answers_idx;  /* index + 1 of that reset's record / of the one it answers */
    bool     sender_after;             /* the sender sent a segment other than a reset after it */
    bool     ended;                    /* a new SYN followed: later packets are another connection's */
    uint32_t peer_went_on_frame;       /* the peer sent data after it (did not take it) */
};

#define TD_RST_TEXT 200
typedef struct {
    td_rst_level level;
    uint32_t     found;                      /* 1u << td_rst_finding */
    char         text[TD_RF_COUNT][TD_RST_TEXT]; /* each finding in words, with its numbers */
} td_rst_view;

/* Assess reset i of c (0 <= i < c->nrsts) with what is known now.  With
 * want_text false only level and found are filled in. */
void td_rst_assess(const td_conv *c, uint32_t i, bool want_text, td_rst_view *v);

/* The level alone (no words): for the per-packet callers. */
td_rst_level td_rst_level_of(const td_conv *c, uint32_t i);

/* The worst assessment of all recorded resets; *which gets its index
 * (may be NULL).  TD_RST_GENUINE if there are none. */
td_rst_level td_conv_rst_worst(const td_conv *c, uint32_t *which);

/* Index of the reset recorded for `frame`, or -1. */
int td_conv_rst_index(const td_conv *c, uint32_t frame);

/* Round trip from the capture point to endpoint i and back, from the
 * handshake; negative if not known. */
double td_conv_rtt_via(const td_conv *c, int i);

/* One line on reset i for the conversation summary ("reset injected by a
 * device in the path: ..."); empty if it looks genuine. */
size_t td_rst_summary(const td_conv *c, uint32_t i, char *buf, size_t n);

/* For the engine: record a reset when it passes (NULL once TD_MAX_RSTS
 * are kept, or out of memory), and let every later segment tell the
 * recorded resets what came after them (true if one learned something). */
td_rst *td_rst_record(td_conv *c, const td_segment *s);
bool td_rst_observe(td_conv *c, const td_segment *s);

#endif /* TD_RST_H */
