/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-findings.c - capture-wide findings (tcpdiag-findings.h).  Their
 * rules are the core's (core/td_findings.c); this file feeds it every
 * conversation once the capture has been read, and keeps the result.
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/address.h>

#include "tcpdiag-conv.h"
#include "tcpdiag-findings.h"
#include "tcpdiag-input.h"

/* Preferences (thresholds), registered straight into the core's settings
 * (guint is the core's unsigned): the core's defaults until changed. */
static td_findings_prefs thresholds = {
    .flood_min = TD_FLOOD_MIN_DEFAULT,
    .flood_sources = TD_FLOOD_SOURCES_DEFAULT,
    .flood_window_s = TD_FLOOD_WINDOW_S_DEFAULT,
    .scan_min = TD_SCAN_MIN_DEFAULT,
    .scan_window_s = TD_SCAN_WINDOW_S_DEFAULT,
    .scan_failed_pct = TD_SCAN_FAILED_PCT_DEFAULT,
    .leak_min = TD_LEAK_MIN_DEFAULT,
    .tw_min = TD_TW_MIN_DEFAULT,
    .tw_reuse_min = TD_TW_REUSE_MIN_DEFAULT,
    .burst_min = TD_BURST_MIN_DEFAULT,
    .burst_window_ms = TD_BURST_WINDOW_MS_DEFAULT,
};

static td_findings *findings;   /* made at init: keeps the echo replies */
static gboolean findings_done;
/* conv_packets_read() when they were computed: they are computed again
 * when it moved (a live capture in the GUI re-dissects packets). */
static guint64 findings_at;
/* Per finding, the lines of its text, once a visible tree showed them. */
static finding_lines *find_lines;
static size_t find_nlines;

static void find_lines_free(void)
{
    for (size_t i = 0; i < find_nlines; i++)
        g_free(find_lines[i].lines);
    g_free(find_lines);
    find_lines = NULL;
    find_nlines = 0;
}

/* The notes and the records hold IPv4 and IPv6 addresses only. */
static td_addr addr_of(const address *a)
{
    return td_addr_of(a->type == AT_IPv6 ? 6 : 4, a->data);
}

/* An ICMP echo reply: its sender answers pings (seed 000's first clue). */
void findings_note_echo_reply(void)
{
    const layer_note *n = &icmp_note;

    if (n->msg[0] != (n->ip == 6 ? 129 : 0))
        return;
    const td_addr host = addr_of(&n->src);
    td_findings_echo_reply(findings, &host);
}

void findings_refine(guint32 stream, td_verdict *v)
{
    if (findings_done && findings)
        td_findings_refine(findings, stream, v);
}

/*
 * Every conversation to the core, with its verdict at the end of the
 * capture.  Needs every conversation's end: done once, after the first
 * pass (later passes, the GUI, the tables), again if more was read.
 */
void findings_compute(void)
{
    const td_prefs prefs = tcpdiag_engine_prefs();
    const double now = conv_capture_end();

    if (!findings || (findings_done && findings_at == conv_packets_read()))
        return;   /* no file (no findings), or nothing read since */
    findings_done = TRUE;
    findings_at = conv_packets_read();
    find_lines_free();
    td_findings_begin(findings, &thresholds, now);
    for (guint32 i = 0; i < conv_slots(); i++) {
        const conv_rec *cr = conv_lookup(i);
        td_conv scratch;
        if (!cr || !conv_seen(cr))
            continue;
        const td_conv *c = conv_view(cr, &scratch);
        if (!(c->flags & TD_C_STARTED))
            continue;
        const address a0 = conv_addr(cr, 0), a1 = conv_addr(cr, 1);
        const td_addr addr[2] = { addr_of(&a0), addr_of(&a1) };
        const td_verdict v = td_conv_verdict(c, now, &prefs);
        td_findings_add(findings, cr->stream, c, addr, &v);
    }
    td_findings_end(findings);
    find_nlines = td_findings_count(findings);
    find_lines = g_new0(finding_lines, find_nlines ? find_nlines : 1);
}

guint findings_of(guint32 stream, const td_found **out, finding_lines **lines)
{
    const guint32 *idx;
    const size_t n = findings_done && findings ? td_findings_of(findings, stream, &idx) : 0;

    for (size_t i = 0; i < n; i++) {
        out[i] = td_findings_get(findings, idx[i]);
        lines[i] = &find_lines[idx[i]];
    }
    return (guint)n;
}

guint tcpdiag_findings(const tcpdiag_finding_row **out, wmem_allocator_t *scope)
{
    findings_compute();
    const size_t n = findings ? td_findings_count(findings) : 0;   /* none without a file */
    tcpdiag_finding_row *rows = wmem_alloc0_array(scope, tcpdiag_finding_row, n + 1);
    for (size_t i = 0; i < n; i++) {
        const td_found *f = td_findings_get(findings, i);
        rows[i].token = td_finding_info[f->kind].token;
        rows[i].key = f->key;
        rows[i].text = f->text;
        rows[i].count = f->count;
    }
    *out = rows;
    return (guint)n;
}

gboolean findings_known(void)
{
    return findings_done;
}

void findings_init(void)
{
    td_findings_free(findings);
    findings = td_findings_new();
    if (!findings)
        g_error("tcpdiag: out of memory");
    findings_done = FALSE;
    findings_at = 0;
}

void findings_cleanup(void)
{
    td_findings_free(findings);
    findings = NULL;
    find_lines_free();
    findings_done = FALSE;
}

void findings_register_prefs(module_t *module)
{
    prefs_register_uint_preference(module, "flood_min", "SYN flood: attempts",
        "Half-open or unanswered connection attempts toward one listener within the window "
        "that make a SYN flood", 10, &thresholds.flood_min);
    prefs_register_uint_preference(module, "flood_sources", "SYN flood: source addresses",
        "...coming from at least this many source addresses", 10, &thresholds.flood_sources);
    prefs_register_uint_preference(module, "flood_window_s", "SYN flood: window (s)",
        "The time window for the SYN flood count", 10, &thresholds.flood_window_s);
    prefs_register_uint_preference(module, "scan_min", "Scan: targets",
        "Distinct targets (address and port) one source sends SYNs to within the window", 10,
        &thresholds.scan_min);
    prefs_register_uint_preference(module, "scan_window_s", "Scan: window (s)",
        "The time window for the scan count", 10, &thresholds.scan_window_s);
    prefs_register_uint_preference(module, "scan_failed_pct", "Scan: failed (%)",
        "Share of the source's attempts that were refused, rejected or unanswered", 10,
        &thresholds.scan_failed_pct);
    prefs_register_uint_preference(module, "close_wait_min", "CLOSE_WAIT leak: connections",
        "Connections one server (address and port) leaves in CLOSE_WAIT", 10, &thresholds.leak_min);
    prefs_register_uint_preference(module, "time_wait_min", "TIME_WAIT churn: connections",
        "Connections one client address leaves in TIME_WAIT", 10, &thresholds.tw_min);
    prefs_register_uint_preference(module, "time_wait_reuse_min", "TIME_WAIT churn: port reuses",
        "...or new connections reusing a port it still holds in TIME_WAIT", 10, &thresholds.tw_reuse_min);
    prefs_register_uint_preference(module, "burst_min", "Shutdown burst: connections",
        "Connections one server closes or resets within the window", 10, &thresholds.burst_min);
    prefs_register_uint_preference(module, "burst_window_ms", "Shutdown burst: window (ms)",
        "The time window for the shutdown burst count", 10, &thresholds.burst_window_ms);
}
