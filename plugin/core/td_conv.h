/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_conv.h - the record of one TCP conversation: both endpoints' states
 * and what the capture proved about them.  Types only: td_engine.c fills
 * the record in, td_flow.c keeps its after-the-handshake part, td_rst.c its
 * resets (struct td_rst, td_rst.h); the glue reads it.
 *
 * Endpoint indices: 0 is the endpoint that sent the first packet the
 * capture shows of this conversation, 1 the other.  Which of them is the
 * client is decided by the engine (td_conv.client).
 */
#ifndef TD_CONV_H
#define TD_CONV_H

#include <stdbool.h>
#include <stdint.h>

#include "td_baseline.h"
#include "td_zeek.h"

/* Endpoint states, named after what netstat prints on that host. */
typedef enum {
    TD_CLOSED = 0,
    TD_SYN_SENT,
    TD_SYN_RECV,
    TD_ESTABLISHED,
    TD_FIN_WAIT1,
    TD_FIN_WAIT2,
    TD_CLOSE_WAIT,
    TD_CLOSING,
    TD_LAST_ACK,
    TD_TIME_WAIT,
    TD_STATE_COUNT
} td_state;

/* Endpoint knowledge bits (td_endpoint.know). */
enum {
    TD_K_SENT_SYN    = 1u << 0, /* sent a SYN or SYN-ACK */
    TD_K_SYN_ACKED   = 1u << 1, /* the peer acknowledged that SYN */
    TD_K_GOT_SYN     = 1u << 2, /* acknowledged the peer's SYN: it has it */
    TD_K_SENT_FIN    = 1u << 3,
    TD_K_FIN_ACKED   = 1u << 4, /* the peer acknowledged that FIN */
    TD_K_GOT_FIN     = 1u << 5, /* acknowledged the peer's FIN */
    TD_K_PASSIVE     = 1u << 6, /* had the peer's FIN before sending its own */
    TD_K_SENT_RST    = 1u << 7,
    TD_K_GOT_RST     = 1u << 8, /* received a reset it would accept */
    TD_K_ICMP_ABORT  = 1u << 9, /* its connect() was aborted by an ICMP error */
    TD_K_ASSUMED     = 1u << 10 /* synchronised state assumed (midstream) */
};

#define TD_MAX_SYN_TIMES 8

/* After the handshake: what every data segment of one endpoint updates,
 * as a sender, td_flow.c.  The rest (td_flow_more) is kept only for
 * conversations that need it. */
typedef struct {
    /* Segment sizes: the largest it sent, and the most the peer
     * acknowledged at once while nothing larger had been sent. */
    uint32_t max_len, max_len_acked;
    /* Its oldest unacknowledged data: when it was first sent (flight_frame
     * 0: not known, a partial acknowledgement moved it), after how much
     * silence, and the smallest segment of the flight. */
    double   flight_ts, flight_idle, flight_min_ts;
    uint32_t flight_frame, flight_min_len, flight_min_seq;
    bool     flight_known;           /* flight_ts/flight_frame are that first transmission */
    uint16_t win;                    /* raw window of its latest ACK */
} td_flow;

/* The rarer part of one endpoint's td_flow: retransmissions, keepalives,
 * zero windows, duplicate ACKs.  Zero until one happens. */
#define TD_MAX_RTX_TIMES 8
typedef struct {
    /* The peer's latest pure duplicate ACK while data was outstanding:
     * something later than the oldest unacknowledged byte arrived. */
    double   dupack_ts;
    uint32_t dupack_frame;
    bool     dupack_sacked;          /* it was a SACK of the smallest segment */
    /* Data retransmissions: all of them, and the latest episode (the oldest
     * unacknowledged data sent again, until the peer acknowledges it). */
    uint32_t rtx_total;
    uint32_t rtx_seq, rtx_len;       /* the data sent again; the largest payload */
    uint32_t rtx_frame, rtx_last_frame, rtx_orig_frame;
    uint16_t rtx_count;              /* retransmissions in the episode */
    bool     rtx_open;               /* not acknowledged since */
    bool     rtx_orig_known;         /* rtx_orig_ts is its first transmission */
    double   rtx_orig_ts;            /* its first transmission, else its first retransmission */
    double   rtx_idle;               /* the silence before its flight */
    double   rtx_prev_ts, rtx_last_ts;
    float    rtx_at[TD_MAX_RTX_TIMES]; /* retransmissions' offsets from rtx_orig_ts */
    /* Keepalive probes (RFC 9293 3.8.4: a segment one below what the peer
     * acknowledged, no data or one byte), and those not answered since. */
    uint16_t ka_total, ka_unanswered;
    uint32_t ka_first_frame;
    double   ka_first_ts, ka_prev_ts, ka_last_ts;
    /* Its window as a receiver: zero-window spells (the current one, and
     * the longest that ended) and the peer's probes in them. */
    bool     zw_open;
    uint16_t zw_probes, zw_longest_probes;
    uint32_t zw_frame, zw_episodes, zw_longest_frame;
    double   zw_start_ts, zw_longest;
} td_flow_more;

/* What only some conversations need, allocated on first need (td_conv.more). */
typedef struct {
    td_flow_more ep[2];
    /* What the first reset's sender had been doing. */
    uint16_t rst_ka_unanswered;        /* keepalive probes unanswered before it */
    uint32_t rst_ka_first_frame;
    double   rst_ka_first_ts;
    double   rst_ka_gap, rst_ka_interval; /* since the last probe; between the last two */
    double   rst_trigger_idle;         /* the peer's segment it answers came after this silence */
    /* ICMP fragmentation needed / packet too big about this conversation. */
    uint16_t too_big_count, too_big_mtu;
    uint32_t too_big_frame;
    uint8_t  too_big_about;
    uint32_t too_big_len_before;       /* largest payload its sender had sent before it */
    uint32_t too_big_len_after;        /* largest payload its sender sent after it that fits that MTU */
} td_more;

typedef struct {
    uint64_t bytes;          /* payload bytes sent */
    double   fin_ts, last_fin_ts;
    double   state_ts;       /* when it entered its current state */
    uint32_t fin_frame, last_fin_frame;
    uint32_t got_fin_frame;  /* the segment that acknowledged the peer's FIN */
    uint32_t snd_end;        /* end of the highest payload sent (seq + len) */
    uint32_t isn;            /* sequence number of its SYN */
    uint32_t fin_seq;        /* sequence number the FIN occupies */
    uint16_t know;           /* TD_K_* */
    uint16_t syn_count;      /* SYNs without ACK (incl. retransmissions) */
    uint16_t synack_count;   /* SYN-ACKs (incl. retransmissions) */
    uint16_t fin_count;
    uint16_t rst_count;
    uint8_t  state;          /* td_state */
    uint8_t  last_flags;     /* flags of its latest segment */
    uint32_t last_len;       /* payload of its latest segment */
    /* Sequence space actually used and acknowledgements actually sent. */
    uint32_t last_frame, last_seq_end, last_ack; /* its latest segment other than a reset */
    uint8_t  last_nr_flags;  /* and that segment's flags */
    uint8_t  last_ttl;       /* and its TTL or hop limit */
    uint16_t last_ip_id;     /* and its IPv4 identification (0: none or IPv6) */
    uint32_t nxt;            /* end of the sequence space it has used (SYN, data, FIN) */
    uint32_t acked;          /* highest acknowledgement it has sent */
    double   nxt_ts;         /* when nxt last moved forward */
    double   last_nr_ts;     /* when it last sent something other than a reset */
    bool     have_nxt, have_acked;
    /* TD_K_* the peer's packets would show, inferred from this side's
     * while the peer is silent (one direction in the capture); counted in
     * its state, not in the handshake, and dropped when the peer speaks. */
    uint16_t inferred;
    td_baseline base;
    uint32_t first_acked;    /* its first acknowledgement (valid with have_acked) */
    td_flow  fl;
} td_endpoint;

/* Conversation flags (td_conv.flags). */
enum {
    TD_C_STARTED     = 1u << 0,
    TD_C_MIDSTREAM   = 1u << 1,
    TD_C_SIMOPEN     = 1u << 2,
    TD_C_HANDSHAKE   = 1u << 3, /* three-way (or simultaneous) handshake completed */
    TD_C_CLIENT_RETRY_AFTER_SYNACK = 1u << 4, /* client re-sent SYN after a SYN-ACK passed */
    TD_C_ACK_NOT_TAKEN = 1u << 5, /* the server sent its SYN-ACK again after the handshake ACK, and has not shown it took one since */
    TD_C_SERVER_SPOKE = 1u << 6,  /* the server sent a segment other than a SYN-ACK after the handshake */
    TD_C_INFERRED_HS = 1u << 7,   /* the silent side's part of the handshake was inferred (one_way_frame) */
    TD_C_ACKS_ERRATIC = 1u << 8,  /* an endpoint's acknowledgements jumped (more than MAX_UNSEEN_BYTES) */
    TD_C_ICMP_FROM_EP0 = 1u << 9, /* an ICMP error came from endpoint 0's host itself */
    TD_C_ICMP_FROM_EP1 = 1u << 10
};

typedef struct {
    uint8_t  type, code;
    bool     v6;
    bool     from_destination; /* sent by the host the segment was addressed to */
    uint8_t  about;            /* endpoint index whose segment it quotes */
    uint16_t mtu;              /* fragmentation needed / packet too big: the MTU it names */
} td_icmp;

/* td_conv.rst_by and first_fin_by while there is none. */
#define TD_NO_ENDPOINT 0xff

/* One reset and what came after it: td_rst.h. */
typedef struct td_rst td_rst;

typedef struct {
    td_endpoint ep[2];
    double   first_ts, last_ts;
    double   syn0_ts;                  /* the client's first SYN */
    float    syn_at[TD_MAX_SYN_TIMES - 1]; /* its next SYNs (up to 7): seconds after the first */
    uint32_t packets;
    double   last_syn_ts, prev_syn_ts;  /* last client SYN, and the one before */
    double   synack_ts, last_synack_ts;
    double   hs_syn_ts;                /* the SYN the first SYN-ACK answered */
    double   hs_ack_ts;                /* the ACK that completed the handshake */
    double   rst_ts, icmp_ts;
    uint32_t first_frame, syn_frame, last_syn_frame;
    uint32_t synack_frame, last_synack_frame, hs_ack_frame;
    uint32_t rst_frame, icmp_frame, simopen_frame;
    uint64_t bytes_at_rst;             /* payload bytes both ways before the first reset */
    uint64_t rst_sender_bytes;         /* what the reset's sender had sent */
    uint32_t rst_trigger_len;          /* the peer's segment before the reset */
    uint8_t  rst_trigger_flags;
    bool     rst_acks_less;            /* the reset acknowledged less than the peer sent */
    uint8_t  first_fin_by;             /* endpoint index, TD_NO_ENDPOINT if none */
    uint16_t port[2];                  /* ports of endpoints 0 and 1 */
    uint16_t flags;                    /* TD_C_* */
    uint16_t syn_retries_after_synack; /* client SYNs seen after a SYN-ACK */
    uint8_t  client;                   /* endpoint index of the client */
    uint8_t  role_basis;               /* td_role_basis */
    uint8_t  rst_by;                   /* endpoint index of the first reset's sender */
    uint8_t  rst_state;                /* its state before that reset */
    uint8_t  rst_peer_state;           /* the receiver's state before it */
    uint8_t  reuse_time_wait;          /* port reuse: who held TIME_WAIT: 0 none, 1 client, 2 server, 3 both */
    td_icmp  icmp;                     /* first ICMP error (valid if icmp_frame) */
    td_zeek  zeek;                     /* Zeek's view: conn_state, history */
    /* An earlier conversation on the same addresses and ports. */
    uint32_t reuse_of;                 /* its tcp.stream + 1, 0 if none */
    uint32_t ack_to_syn_frame;         /* a bare ACK answered the SYN (TIME-WAIT's challenge) */
    double   reuse_prev_last_ts;       /* its last packet */
    /* Every reset (the first TD_MAX_RSTS), for forensics.  Allocated on the
     * first reset; td_conv_free() releases it. */
    td_rst  *rsts;
    uint32_t nrsts, rsts_seen;
    /* After the handshake, the rarer part (td_flow.c): allocated when
     * first needed, never for a conversation kept as its opening segments
     * (td_log.h); td_conv_free() releases it.  Read it with td_more_of(). */
    td_more *more;
    /* The server sent its SYN-ACK again after the client's ACK completed
     * the handshake: it had not taken that ACK (accept queue full). */
    double   late_open_ts;
    uint32_t synack_after_hs_frame;
    uint32_t late_open_frame;          /* the server's first segment after that, other than a SYN-ACK */
    uint16_t synack_after_hs;
    uint8_t  rst_pending_follow;       /* the reset being recorded answers this one (index + 1) */
    bool     hs_ack_bare;              /* the handshake was completed by a bare ACK */
    /* Only one side's packets in the capture: the segment of that side
     * that proves the other side sent (the client's ACK of a SYN-ACK, the
     * server's data after its SYN-ACK: TD_C_INFERRED_HS; mid-conversation,
     * its first acknowledgement that moves), 0 if none. */
    uint32_t one_way_frame;
} td_conv;

/* The time of the client's SYN i (0: the first; i < TD_MAX_SYN_TIMES). */
static inline double td_conv_syn_ts(const td_conv *c, unsigned i)
{
    return i == 0 ? c->syn0_ts : c->syn0_ts + (double)c->syn_at[i - 1];
}

/* The words "client"/"server" for endpoint index i. */
static inline const char *td_role_word(const td_conv *c, int i)
{
    return i == c->client ? "client" : "server";
}

static inline td_state td_client_state(const td_conv *c)
{
    return (td_state)c->ep[c->client].state;
}
static inline td_state td_server_state(const td_conv *c)
{
    return (td_state)c->ep[1 - c->client].state;
}

#endif /* TD_CONV_H */
