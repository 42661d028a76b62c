/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_facts.h - what a conversation's packets show besides its states and
 * outcome: its counts, times and words, as of `now`, worked out from the
 * engine's state and verdict.  The Wireshark glue shows these (the tree,
 * the tables) rather than reading td_conv's fields; a value that is not
 * to be shown is 0, "" or negative, as each member says.
 */
#ifndef TD_FACTS_H
#define TD_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "td_engine.h"

typedef struct {
    /* The conversation's end points at its last packet, netstat names. */
    const char *client_state, *server_state;
    const char *role_basis;             /* how the client was told apart */
    const char *conn_state, *history;   /* Zeek's; NULL until it started */
    double   start, duration;           /* first packet, and to the last (s) */

    /* Opening. */
    uint32_t syn_count, synack_count;   /* client SYNs, server SYN-ACKs */
    uint32_t syn_frame;                 /* first SYN, 0 if none */
    uint32_t answer_frame;              /* what answered it (the verdict's) */
    double   synack_delay;              /* first SYN to SYN-ACK; < 0: none */
    double   handshake_rtt;             /* SYN to the handshake's ACK; < 0 */
    double   unanswered_for;            /* since the last SYN or SYN-ACK; < 0 */
    double   idle;                      /* since the last packet, when open; < 0 */
    uint32_t reuse_of;                  /* stream + 1 of the earlier one; 0 none */

    /* Teardown. */
    bool     has_bytes;                 /* either side sent data */
    uint64_t client_bytes, server_bytes;
    uint32_t client_fins, server_fins;
    const char *closed_by, *close_type, *time_wait, *reset_by;  /* "": none */

    /* After the handshake. */
    uint32_t client_rtx, server_rtx;    /* data retransmissions */
    int      rtx_schedule_of;           /* endpoint whose schedule shows; -1 */
    double   zero_window_for;           /* the verdict's zero window; < 0 */
    uint32_t zero_window_probes;
    uint32_t keepalives;
    double   idle_before_cut;           /* idle-timeout's idle time; < 0 */
    bool     has_path_mtu;
    uint16_t path_mtu;                  /* from an ICMP too-big */
    double   opened_late_by;            /* accept-queue-full; < 0 */

    bool     rsts_seen;                 /* a reset was seen (forensics apply) */
} td_facts;

void td_conv_facts(const td_conv *c, const td_verdict *v, double now, td_facts *f);

#endif /* TD_FACTS_H */
