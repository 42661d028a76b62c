/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_findings.h - the capture-wide findings: patterns across many
 * conversations (SYN flood, scan, CLOSE_WAIT leak, TIME_WAIT churn,
 * shutdown burst, ping-no-tcp, accept-queue-full, one-way capture).
 *
 * They need every conversation's end, so they are decided once the
 * capture is read: the glue feeds every conversation with its verdict at
 * the end of the capture, and shows what comes out.  Plain C: no epan
 * includes.
 *
 *   td_findings_begin(f, &prefs, end_of_capture);
 *   for every conversation: td_findings_add(f, id, conv, addresses, &verdict);
 *   td_findings_end(f);
 *   then td_findings_count / _get / _of / _has until the next begin.
 *
 * Order of the findings: by kind in the order of the table (TD_FINDINGS in
 * td_diag.h), then by key: addresses numerically, IPv4 before IPv6, then
 * port.  A finding's conversations are in the order they were added,
 * except accept-queue-full's: first those whose handshake ACK the listener
 * did not take, then those whose SYNs it dropped, each in the order added.
 * Ping-no-tcp's list of ports is in port order.
 */
#ifndef TD_FINDINGS_H
#define TD_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "td_diag.h"
#include "td_engine.h"

/* An IP address: family 6 is IPv6 (16 bytes), any other IPv4 (the first
 * 4 bytes; the others are not looked at). */
typedef struct {
    uint8_t family;
    uint8_t bytes[16];
} td_addr;

/* An address from its family (4 or 6) and its bytes in network order. */
static inline td_addr td_addr_of(uint8_t family, const void *bytes)
{
    td_addr a;

    memset(&a, 0, sizeof a);
    a.family = family == 6 ? 6 : 4;
    memcpy(a.bytes, bytes, a.family == 6 ? 16 : 4);
    return a;
}

/* The thresholds' defaults (the preferences' initial values). */
#define TD_FLOOD_MIN_DEFAULT        100u /* half-open attempts toward one listener */
#define TD_FLOOD_SOURCES_DEFAULT    10u  /* from at least this many addresses */
#define TD_FLOOD_WINDOW_S_DEFAULT   10u  /* within this many seconds */
#define TD_SCAN_MIN_DEFAULT         20u  /* targets (address and port) of one source */
#define TD_SCAN_WINDOW_S_DEFAULT    60u  /* within this many seconds */
#define TD_SCAN_FAILED_PCT_DEFAULT  80u  /* of its attempts refused or unanswered */
#define TD_LEAK_MIN_DEFAULT         10u  /* connections one listener leaves in CLOSE_WAIT */
#define TD_TW_MIN_DEFAULT           20u  /* connections one client leaves in TIME_WAIT */
#define TD_TW_REUSE_MIN_DEFAULT     3u   /* its ports reused while in TIME_WAIT */
#define TD_BURST_MIN_DEFAULT        10u  /* connections one server closes or resets */
#define TD_BURST_WINDOW_MS_DEFAULT  100u /* within this time */

/* A conversation shows at most this many of the findings it is in. */
#define TD_FINDINGS_SHOWN 8

/* The thresholds.  A threshold of 0 counts as 1 (no finding without a
 * conversation). */
typedef struct {
    unsigned flood_min, flood_sources, flood_window_s;
    unsigned scan_min, scan_window_s, scan_failed_pct;
    unsigned leak_min;
    unsigned tw_min, tw_reuse_min;
    unsigned burst_min, burst_window_ms;
} td_findings_prefs;

void td_findings_prefs_default(td_findings_prefs *p);

typedef struct td_findings td_findings;

/* NULL if out of memory. */
td_findings *td_findings_new(void);
void td_findings_free(td_findings *f);

/* An ICMP echo reply (echo reply or ICMPv6 echo reply) sent by `host`.
 * Counted until td_findings_free: begin() keeps the counts. */
void td_findings_echo_reply(td_findings *f, const td_addr *host);

/* Start (again): forget the conversations and the findings, keep the
 * echo counts.  `now` is the end of the capture (the time of its last
 * packet, on the conversations' clock). */
void td_findings_begin(td_findings *f, const td_findings_prefs *p, double now);

/*
 * One conversation: `id` is the caller's (tcp.stream), addr[i] endpoint
 * i's address, `v` its verdict at `now`.  Conversations whose flags lack
 * TD_C_STARTED are ignored, and so is every call outside begin() .. end().  What is needed is copied: c may be a scratch
 * copy that dies after the call.  Each id once: a conversation's findings
 * are looked up by it.
 */
void td_findings_add(td_findings *f, uint32_t id, const td_conv *c, const td_addr addr[2],
                     const td_verdict *v);

/* Decide, and forget the conversations.  The findings stay until the next
 * begin() (another end() changes nothing).  If memory ran out since
 * begin(), there are none. */
void td_findings_end(td_findings *f);

typedef struct {
    td_finding      kind;
    const char     *key;   /* listener "addr:port" ("[v6addr]:port"), client or server
                            * address, or "capture" */
    const char     *text;  /* the explanation, with its numbers */
    uint32_t        count; /* conversations involved */
    const uint32_t *ids;   /* their ids (count of them) */
} td_found;

size_t td_findings_count(const td_findings *f);
/* Finding i (i < td_findings_count), NULL otherwise. */
const td_found *td_findings_get(const td_findings *f, size_t i);

/* The findings conversation `id` is in: how many (at most
 * TD_FINDINGS_SHOWN, the first in finding order), their indices in
 * *found_idx (may be NULL; NULL when none). */
size_t td_findings_of(const td_findings *f, uint32_t id, const uint32_t **found_idx);

/* Conversation `id` is in a finding of this kind (among those it shows). */
bool td_findings_has(const td_findings *f, uint32_t id, td_finding kind);

/* What the findings add to conversation `id`'s verdict: a SYN that went
 * unanswered while its listener's accept queue was shown full was dropped
 * by a busy listener (v->listener_busy), not by a firewall. */
void td_findings_refine(const td_findings *f, uint32_t id, td_verdict *v);

#endif /* TD_FINDINGS_H */
