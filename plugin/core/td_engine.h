/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_engine.h - tcpdiag's engine: one TCP conversation, both endpoints,
 * followed segment by segment as seen at the capture point.
 *
 * Plain C, no epan includes: plain structs in, plain structs out.  The
 * Wireshark glue (packet-tcpdiag.c) feeds it segments and ICMP errors and
 * turns its answers into fields and expert items.
 *
 * Endpoint indices: 0 is the endpoint that sent the first packet the
 * capture shows of this conversation, 1 the other.  Which of them is the
 * client is decided by the engine (td_conv.client).
 */
#ifndef TD_ENGINE_H
#define TD_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "td_diag.h"
#include "td_seq.h"
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

const char *td_state_name(td_state s);

/* TCP header flag bits, as in the header (RFC 9293 3.1). */
#define TD_TH_FIN 0x01u
#define TD_TH_SYN 0x02u
#define TD_TH_RST 0x04u
#define TD_TH_PSH 0x08u
#define TD_TH_ACK 0x10u
#define TD_TH_URG 0x20u

/* How the client role was decided. */
typedef enum {
    TD_ROLE_UNKNOWN = 0,
    TD_ROLE_SYN,        /* the client sent the first SYN */
    TD_ROLE_SYNACK,     /* only the SYN-ACK was seen: its receiver is the client */
    TD_ROLE_PORT,       /* no SYN: the endpoint with the service port is the server */
    TD_ROLE_FIRST       /* no SYN, no port hint: the first sender is the client */
} td_role_basis;

const char *td_role_basis_name(td_role_basis b);

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

/* What one endpoint's packets look like, for telling its own resets from
 * forged ones.  Only packets other than resets count. */
#define TD_TTL_SLOTS 4
typedef struct {
    uint32_t ttl_n[TD_TTL_SLOTS]; /* packets per distinct TTL / hop limit */
    uint8_t  ttl[TD_TTL_SLOTS];
    uint8_t  ttl_distinct;        /* slots used; TD_TTL_SLOTS + 1: more values than slots */
    uint8_t  ip;                  /* IP version of its packets (4 or 6), 0 unknown */
    uint16_t id_last;             /* last non-zero IPv4 identification */
    uint32_t id_n, id_zero;       /* IPv4 packets, of which with identification 0 */
    uint32_t id_step1, id_small;  /* steps between non-zero ones: +1, +2..+1024 */
} td_baseline;

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

/* One reset, what was known when it passed and what came after it. */
#define TD_MAX_RSTS 16
typedef struct {
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
} td_rst;

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
    uint8_t  first_fin_by;             /* endpoint index, 0xff if none */
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

/* Only endpoint i's packets are in the capture, and they prove the other
 * side sent (its part of the handshake, or data they acknowledge): i, else
 * -1.  unseen_bytes (may be NULL): the other side's sequence space they
 * acknowledge beyond its SYN or their first acknowledgement. */
int td_conv_one_way(const td_conv *c, uint32_t *unseen_bytes);

/* The td_more of a conversation that has none: all zero. */
extern const td_more td_more_none;

static inline const td_more *td_more_of(const td_conv *c)
{
    return c->more ? c->more : &td_more_none;
}

/* One segment as seen at the capture point. */
typedef struct {
    uint32_t frame;
    double   ts;           /* seconds, any epoch */
    uint32_t seq, ack;     /* raw, not relative */
    uint32_t payload_len;
    uint16_t window;       /* raw window field, unscaled */
    uint32_t sack_left, sack_right; /* its first SACK block; equal: none */
    uint8_t  flags;        /* TD_TH_* */
    uint8_t  sender;       /* endpoint index 0 or 1 */
    /* The IP header carrying it (ip == 0: not known). */
    uint8_t  ip;           /* 4 or 6 */
    uint8_t  ttl;          /* IPv4 TTL or IPv6 hop limit */
    uint16_t ip_id;        /* IPv4 identification */
    bool     df;           /* IPv4 don't-fragment bit */
} td_segment;

/* What a segment or ICMP error did: the glue stores it per frame. */
typedef struct {
    uint8_t  client_state, server_state; /* after this packet */
    uint8_t  event;                      /* td_event */
    bool     changed;                    /* states or event differ from before */
    uint32_t count;                      /* event's number (e.g. retransmission n) */
    double   interval;                   /* event's interval (e.g. since previous SYN) */
    bool     rst_news;                   /* a reset was recorded, or learned something */
} td_step;

/* Preferences the verdict depends on. */
typedef struct {
    /* How long the capture must go on after the last unanswered SYN or
     * SYN-ACK before we call it unanswered rather than pending. */
    double answer_wait;
} td_prefs;

void td_prefs_default(td_prefs *p);

/*
 * Start a conversation.  port0/port1 are the ports of endpoint 0 (the
 * sender of the first packet) and endpoint 1; they are only used to guess
 * roles when no SYN is seen.
 */
void td_conv_init(td_conv *c, uint16_t port0, uint16_t port1);

td_step td_conv_on_segment(td_conv *c, const td_segment *s);

/* Release what the conversation allocated (its reset records). */
void td_conv_free(td_conv *c);

/* Before its first segment: this conversation reuses the addresses and
 * ports of `prev` (Wireshark's new tcp.stream `prev_stream`). */
void td_conv_set_reuse(td_conv *c, const td_conv *prev, uint32_t prev_stream);
td_step td_conv_on_icmp(td_conv *c, uint32_t frame, double ts, const td_icmp *m);

/* The conversation's outcome as known at time `now` (the current packet in
 * a single pass, the end of the capture afterwards). */
typedef struct {
    td_outcome      outcome;
    td_client_error client_error;
    uint32_t        key_frame;    /* where the diagnosis shows */
    uint32_t        answer_frame; /* what answered the SYN (SYN-ACK, RST, ICMP) */
    bool            client_gave_up;
    /* After the handshake (td_flow.c): the endpoint the diagnosis is
     * about (index + 1, 0: none) and whether it stopped retransmitting. */
    uint8_t         subject;
    bool            gave_up;
    /* Set by the caller when the capture shows the same listener
     * answering other clients' SYNs while this one's went unanswered
     * (the capture-wide finding accept-queue-full). */
    bool            listener_busy;
} td_verdict;

td_verdict td_conv_verdict(const td_conv *c, double now, const td_prefs *p);

/* The one-line summary.  `final` says that `now` is the end of the capture
 * (not just the current packet); `icmp_source` may be NULL.  Returns the
 * length written (truncated to n-1, always NUL terminated). */
size_t td_conv_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       const char *icmp_source, char *buf, size_t n);

/* Who holds TIME_WAIT, who closed first, how: "client", "server",
 * "both", "" and "four-way", "three-way", "simultaneous", "". */
const char *td_conv_time_wait_side(const td_conv *c);
const char *td_conv_closed_by(const td_conv *c);
const char *td_conv_close_type(const td_conv *c);
const char *td_conv_reset_by(const td_conv *c);

/* The SYNs follow Linux's default schedule to its end (7 SYNs). */
bool td_conv_syn_limit_reached(const td_conv *c);

/* Outcomes that cannot change once their key frame is seen (a reset, an
 * ICMP error): shown as diagnoses even in a single pass. */
bool td_outcome_is_settled(td_outcome o);

/* "0, 1.00, 3.01" - offsets of the client's SYNs from the first one. */
size_t td_conv_syn_schedule(const td_conv *c, char *buf, size_t n);

/* Client error implied by an ICMP error quoting a SYN (Linux semantics). */
td_client_error td_icmp_client_error(const td_icmp *m);
const char *td_icmp_describe(const td_icmp *m);
bool td_icmp_is_error(uint8_t type, bool v6);

/* ---- RST forensics (td_rst.c) ---------------------------------------- */

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

/* The endpoint's usual TTL / hop limit (0: none seen), the initial value
 * it implies (32, 64, 128 or 255) and the hop count. */
uint8_t td_baseline_ttl(const td_baseline *b);
uint8_t td_initial_ttl(uint8_t ttl);
/* "zero", "per-connection", "incrementing", "random", or "" (too few). */
const char *td_baseline_ipid(const td_baseline *b);

/* Round trip from the capture point to endpoint i and back, from the
 * handshake; negative if not known. */
double td_conv_rtt_via(const td_conv *c, int i);

/* One line on reset i for the conversation summary ("reset injected by a
 * device in the path: ..."); empty if it looks genuine. */
size_t td_rst_summary(const td_conv *c, uint32_t i, char *buf, size_t n);

/* ---- after the handshake (td_flow.c) ---------------------------------- */

/* The longest zero-window spell (ended or not) of endpoint i's receive
 * window at `now`; 0 if none. */
double td_flow_zero_window(const td_conv *c, int i, double now, bool *recovered);

/* "0, 0.21, 0.63" - offsets of endpoint i's latest retransmission
 * episode (original first). */
size_t td_flow_rtx_schedule(const td_conv *c, int i, char *buf, size_t n);

/* Engine internals, shared by td_engine.c, td_rst.c and td_flow.c. */
td_more *td_more_get(td_conv *c); /* allocated on first call; NULL if out of memory */
void td_flow_on_segment(td_conv *c, const td_segment *s, td_step *st, double prev_ts);
void td_flow_on_rst(td_conv *c, const td_segment *s);
void td_flow_on_icmp(td_conv *c, const td_icmp *m, uint32_t frame, td_step *st);
bool td_flow_verdict(const td_conv *c, double now, const td_prefs *p, td_verdict *v);
void td_flow_late_open(const td_conv *c, td_verdict *v);
bool td_flow_reset_verdict(const td_conv *c, td_verdict *v);
size_t td_flow_summary(const td_conv *c, const td_verdict *v, double now, bool final,
                       char *buf, size_t n);
/* Engine internals, shared by td_engine.c and td_rst.c. */
void td_baseline_add(td_baseline *b, const td_segment *s);
td_rst *td_rst_record(td_conv *c, const td_segment *s);
bool td_rst_observe(td_conv *c, const td_segment *s);

/* A copy of an endpoint's latest segment sooner than this after it was
 * captured twice (a SPAN port that mirrors both directions of a link,
 * capturing on two interfaces), not sent twice: Linux's minimum RTO is
 * 200 ms (TCP_RTO_MIN), and its tail loss probe waits at least 2 ms.
 * `proven`: only on evidence that it is the same IP packet (a SYN-ACK
 * answering a SYN sent again follows the one on the server's timer
 * within microseconds, alike but for nothing). */
#define TD_DUPLICATE_S 0.0005
bool td_captured_twice(const td_conv *c, const td_segment *s, bool proven);

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

#endif /* TD_ENGINE_H */
