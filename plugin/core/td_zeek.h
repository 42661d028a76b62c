/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_zeek.h - Zeek's view of a TCP conversation: its endpoint states,
 * conn_state code and history string, following Zeek's definitions
 * (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc, TCP_Endpoint.cc,
 * scripts/base/protocols/conn/main.zeek).  Plain C, no epan includes.
 *
 * Zeek splits and expires connections by its own timers and by SYNs with a
 * new ISN; tcpdiag follows Wireshark's conversations (tcp.stream).  Within
 * one conversation the rules below are Zeek's.
 */
#ifndef TD_ZEEK_H
#define TD_ZEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zeek's TCP_Endpoint states. */
typedef enum {
    TD_ZK_INACTIVE = 0,
    TD_ZK_SYN_SENT,
    TD_ZK_SYN_ACK_SENT,
    TD_ZK_PARTIAL,
    TD_ZK_ESTABLISHED,
    TD_ZK_CLOSED,
    TD_ZK_RESET
} td_zeek_state;

#define TD_ZEEK_HISTORY_MAX 40

typedef struct {
    uint32_t start_seq, last_seq, ack_seq;
    uint32_t last_syn, last_fin, last_rst;  /* relative sequence numbers */
    /* 'T', 'W', 'G' scaling: occurrences, and the next one that adds a
     * letter, 10 to the power *_next (1, 10, 100, ...). */
    uint32_t rxmit, win0, gap;
    uint32_t contig;                        /* end of the contiguous payload seen */
    uint32_t ahead_seq, ahead_end;          /* payload seen past a hole after contig (equal: none) */
    uint32_t fin_seq;                       /* sequence number of its FIN */
    uint16_t fin_cnt;
    uint8_t  state, prev_state;
    bool     init;
    uint8_t  rxmit_next, win0_next, gap_next;
} td_zeek_ep;

typedef struct {
    td_zeek_ep ep[2];       /* by tcpdiag endpoint index, not by role */
    uint32_t   hist_seen;
    uint8_t    orig;        /* endpoint index of Zeek's originator */
    uint8_t    hist_len;
    bool       started;
    char       history[TD_ZEEK_HISTORY_MAX + 1];
} td_zeek;

void td_zeek_init(td_zeek *z);

/* One segment: sender is the tcpdiag endpoint index (0 or 1); ports are
 * the segment's own (source, destination); flags as in the TCP header
 * (TD_TH_*). */
void td_zeek_on_segment(td_zeek *z, uint8_t sender, uint16_t sport, uint16_t dport,
                        uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len,
                        uint16_t window);

/* Zeek's conn_state code: "S0", "SF", "REJ", ... */
const char *td_zeek_conn_state(const td_zeek *z);

/* Zeek's documented meaning of a conn_state code. */
const char *td_zeek_conn_state_meaning(const char *code);

/* Is this one of the TCP ports Zeek's default scripts register as likely
 * server ports (likely_server_ports)? */
bool td_zeek_likely_server_port(uint16_t port);

#endif /* TD_ZEEK_H */
