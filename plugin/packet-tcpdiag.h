/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PACKET_TCPDIAG_H
#define PACKET_TCPDIAG_H

#include <wireshark.h>
#include <epan/wmem_scopes.h>

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

/* The tap "tcpdiag": one queued item per TCP packet (and per ICMP error
 * tied to a conversation); the data is an opaque conversation handle. */
extern int tcpdiag_tap;

/* One conversation as the tables show it: final at the end of the capture
 * (or, during a single pass, as known at the last packet read). */
typedef struct {
    guint32     stream;
    const char *client, *server;        /* "addr:port", "[v6addr]:port" */
    const char *server_addr;            /* the server's address alone */
    guint16     server_port;
    const char *outcome, *conn_state, *history;
    const char *client_state, *server_state;
    const char *client_errno;
    const char *summary;
    const char *reset_assessment;       /* "" without resets */
    guint32     syns;
    double      start, duration;        /* seconds from the first frame */
    guint64     client_bytes, server_bytes;
    gboolean    problem;                /* the outcome is a diagnosis (expert item) */
    const void *handle;                 /* the conversation handle it was made from */
} tcpdiag_row;

/* Fill `row` for the conversation handle queued on the tap; strings are
 * allocated in `scope`; the summary (the costly part) only if asked for. */
void tcpdiag_row_get(const void *conv_handle, tcpdiag_row *row, gboolean with_summary,
                     wmem_allocator_t *scope);

/* Capture-wide findings (computed once every conversation has ended). */
typedef struct {
    const char *token, *key, *text;
    guint32     count;   /* conversations involved */
} tcpdiag_finding_row;
guint tcpdiag_findings(const tcpdiag_finding_row **rows, wmem_allocator_t *scope);

/* tcpdiag-stats.c */
void tcpdiag_register_stats(void);

#endif
