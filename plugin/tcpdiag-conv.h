/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-conv.h - the conversation records: what the glue keeps of each
 * TCP conversation (the engine's state, or the segments of one still
 * opening), by tcp.stream, with what it kept per frame for later passes,
 * and the capture's clock.
 */
#ifndef TCPDIAG_CONV_H
#define TCPDIAG_CONV_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/address.h>

#include "core/td_engine.h"
#include "core/td_log.h"
#include "core/td_text.h"

/* What we keep for a frame: only frames where something changed. */
typedef struct {
    guint32 frame;
    guint8  client_state, server_state, event, pad;
    guint32 count;
    float   interval;
} frame_rec;

/* A conversation's report at the end of the capture, kept by its packets'
 * later passes (tcpdiag-report.c; a single pass has none).  Valid while no
 * packet has been read since it was made: a live capture in the GUI goes
 * on reading. */
typedef struct {
    guint64    at;              /* conv_packets_read() when made; 0: never */
    td_verdict verdict;
    char      *summary;
    td_span   *lines;           /* its lines, once a visible tree showed them */
    guint32    nlines;
    td_rst_level rst_worst;
} verdict_cache;

/* A conversation past its opening: the engine's state and what the glue
 * keeps beside it. */
typedef struct {
    td_conv    conv;
    frame_rec *recs;
    guint32    nrecs, caprecs;
    char      *icmp_source; /* who sent the ICMP error, as text */
    verdict_cache *cache;
    /* First pass: the worst reset assessment an expert item has shown. */
    td_rst_level rst_shown;
} conv_state;

/*
 * One conversation.  While it has seen only opening segments (td_log.h)
 * it is kept as those segments, and rebuilt when asked for: the record of
 * a conversation of a SYN flood or a scan is this struct and its log.
 */
typedef struct {
    guint32    stream;      /* tcp.stream */
    guint16    port[2];     /* ports of endpoints 0 and 1 */
    guint8     v6;          /* bit i: endpoint i's address is IPv6 (else IPv4) */
    guint8     full;        /* u.state, else u.log */
    guint8     nlog;        /* segments in u.log */
    guint8     reused;      /* its origin is in `reuse_origins` */
    guint8     addr_data[2][16]; /* addresses of endpoints 0 and 1 */
    union {
        conv_state *state;
        td_logged  *log;
    } u;
} conv_rec;

/* The preference "answer_wait_ms", and the engine's settings from it. */
extern guint tcpdiag_pref_answer_wait_ms;
td_prefs tcpdiag_engine_prefs(void);

/* The capture's clock: every first-pass frame ticks it; times are seconds
 * since the first frame, the capture's end is the latest frame's time. */
void conv_clock_tick(const packet_info *pinfo);
double conv_frame_time(const packet_info *pinfo);
double conv_capture_end(void);
guint64 conv_packets_read(void);

/* By tcp.stream: NULL if none; conv_slots() bounds the stream numbers. */
conv_rec *conv_lookup(guint32 stream);
guint32 conv_slots(void);
conv_rec *conv_create(guint32 stream, const address *src, const address *dst,
                      guint16 sport, guint16 dport);
/* Before its first segment: tie a new conversation to the latest one on
 * the same addresses and ports (port reuse). */
void conv_link_port_reuse(conv_rec *cr);
/* Endpoint i's address (pointing into the record). */
address conv_addr(const conv_rec *cr, int i);
/* "addr:port" or "[v6addr]:port", in scope (NULL: g_malloc'd, wmem_free(NULL, ...)). */
char *conv_endpoint_str(const address *a, guint16 port, wmem_allocator_t *scope);
/* Which endpoint sent a segment with these addresses and ports (-1: none). */
int conv_endpoint_of(const conv_rec *cr, const address *src, guint16 sport, guint16 dport);

/* Has it seen a segment? */
static inline gboolean conv_seen(const conv_rec *cr)
{
    return cr->full || cr->nlog > 0;
}
/* Rebuild a kept conversation from its first n segments (steps may be NULL). */
td_step conv_replay(const conv_rec *cr, guint32 n, td_conv *c, td_step *steps);
/* The engine's state: its own, or rebuilt into `scratch`. */
const td_conv *conv_view(const conv_rec *cr, td_conv *scratch);
/* From now on a full record (past its opening, or told of an ICMP error). */
conv_state *conv_state_of(conv_rec *cr);

/* Keep a frame's step for later passes (if anything changed). */
void conv_record_step(conv_state *cs, guint32 frame, const td_step *st);
/* The step of a frame as the first pass saw it. */
td_step conv_recorded_step(const conv_rec *cr, guint32 frame);

void conv_init(void);
void conv_cleanup(void);

#endif
