/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-report.h - one report per conversation: its verdict (with what
 * the capture-wide findings add), its worst reset and its summary, as the
 * packet tree and the tables show them.  At the end of the capture (later
 * passes) the tree keeps a conversation's report, and every packet of it
 * and every table row reads it; a table row never keeps one (a table of a
 * million conversations is not held whole).
 */
#ifndef TCPDIAG_REPORT_H
#define TCPDIAG_REPORT_H

#include <wireshark.h>
#include <epan/wmem_scopes.h>

#include "tcpdiag-conv.h"

typedef struct {
    const conv_rec *cr;
    const td_conv  *c;             /* its engine state (conv_view) */
    double          now;           /* the capture's end so far */
    gboolean        final;         /* the capture has ended: final wording */
    td_verdict      verdict;       /* with what the capture-wide findings add */
    td_rst_level    rst_worst;     /* TD_RST_GENUINE without resets */
    const char     *summary;       /* NULL until report_summary() */
    verdict_cache  *cache;         /* where it is kept (NULL: not kept) */
} tcpdiag_report;

/* The report of conversation cr (c: conv_view of it).  final_verdict: add
 * what the capture-wide findings say (known after the first pass);
 * final_words: word the summary as of the end of the capture; keep: keep
 * it with the conversation (the tree's later passes), else it is only
 * read from there when kept and still valid. */
void report_of(tcpdiag_report *r, const conv_rec *cr, const td_conv *c, gboolean final_verdict,
               gboolean final_words, gboolean keep);

/* The summary (the costly part), made once per report and kept with it
 * when the report is kept; else made in `scope`. */
const char *report_summary(tcpdiag_report *r, wmem_allocator_t *scope);

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

#endif
