/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-report.c - one report per conversation (tcpdiag-report.h).
 */
#include <string.h>

#include <wireshark.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "core/td_facts.h"
#include "tcpdiag-findings.h"
#include "tcpdiag-report.h"

/* The verdict as shown: the engine's, with what the capture-wide findings
 * add once they are known (after the first pass). */
static td_verdict shown_verdict(const conv_rec *cr, const td_conv *c, double now, gboolean final)
{
    const td_prefs prefs = tcpdiag_engine_prefs();
    td_verdict v = td_conv_verdict(c, now, &prefs);

    if (final)
        findings_refine(cr->stream, &v);
    return v;
}

void report_of(tcpdiag_report *r, const conv_rec *cr, const td_conv *c, gboolean final_verdict,
               gboolean final_words, gboolean keep)
{
    conv_state *cs = cr->full ? cr->u.state : NULL;
    const guint64 at = conv_packets_read();
    /* Kept once the capture has ended, for the conversations past their
     * opening (the others are rebuilt from a few segments, cheaply). */
    const gboolean keepable = final_verdict && final_words && cs;
    verdict_cache *vc = keepable ? cs->cache : NULL;

    memset(r, 0, sizeof *r);
    r->cr = cr;
    r->c = c;
    r->now = conv_capture_end();
    r->final = final_words;
    if (vc && vc->at == at) {
        r->verdict = vc->verdict;
        r->summary = vc->summary;
        r->rst_worst = vc->rst_worst;
        r->cache = keep ? vc : NULL;
        return;
    }
    r->verdict = shown_verdict(cr, c, r->now, final_verdict);
    r->rst_worst = c->nrsts ? td_conv_rst_worst(c, NULL) : TD_RST_GENUINE;
    if (!keepable || !keep)
        return;
    if (!vc) {
        vc = cs->cache = g_new0(verdict_cache, 1);
    } else {
        /* Packets were read since (a live capture in the GUI): made again. */
        g_free(vc->summary);
        vc->summary = NULL;
        g_free(vc->lines);
        vc->lines = NULL;
        vc->nlines = 0;
    }
    vc->at = at;
    vc->verdict = r->verdict;
    vc->rst_worst = r->rst_worst;
    r->cache = vc;
}

const char *report_summary(tcpdiag_report *r, wmem_allocator_t *scope)
{
    char buf[2048];

    if (r->summary)
        return r->summary;
    const conv_state *cs = r->cr->full ? r->cr->u.state : NULL;
    td_conv_summary(r->c, &r->verdict, r->now, r->final, cs ? cs->icmp_source : NULL, buf, sizeof buf);
    if (r->cache) {
        r->cache->summary = g_strdup(buf);
        r->summary = r->cache->summary;
    } else {
        r->summary = wmem_strdup(scope, buf);
    }
    return r->summary;
}

void tcpdiag_row_get(const void *handle, tcpdiag_row *row, gboolean with_summary,
                     wmem_allocator_t *scope)
{
    const conv_rec *cr = (const conv_rec *)handle;
    td_conv scratch;
    const td_conv *c = conv_view(cr, &scratch);
    const address ca = conv_addr(cr, c->client), sa = conv_addr(cr, 1 - c->client);
    const int cl = c->client, sv = 1 - c->client;
    tcpdiag_report rep;

    /* The tables are drawn once the capture has ended: final words.  Read
     * from the tree's kept report, never kept here. */
    report_of(&rep, cr, c, findings_known(), TRUE, FALSE);
    const td_verdict *v = &rep.verdict;
    td_facts f;
    td_conv_facts(c, v, rep.now, &f);
    memset(row, 0, sizeof *row);
    row->handle = handle;
    row->stream = cr->stream;
    row->client = conv_endpoint_str(&ca, c->port[cl], scope);
    row->server = conv_endpoint_str(&sa, c->port[sv], scope);
    row->server_addr = address_to_str(scope, &sa);
    row->server_port = c->port[sv];
    row->outcome = td_outcome_info[v->outcome].token;
    row->problem = td_outcome_info[v->outcome].severity >= TD_SEV_WARN;
    row->conn_state = f.conn_state ? f.conn_state : "";
    row->history = f.history ? wmem_strdup(scope, f.history) : "";
    row->client_state = f.client_state;
    row->server_state = f.server_state;
    row->client_errno = v->client_error != TD_ERR_NONE ? td_client_error_name[v->client_error] : "";
    /* A kept summary lives with its conversation: copied into scope. */
    if (with_summary)
        row->summary = rep.summary ? wmem_strdup(scope, rep.summary) : report_summary(&rep, scope);
    else
        row->summary = "";
    row->reset_assessment = f.rsts_seen ? td_rst_level_info[rep.rst_worst].token : "";
    row->syns = f.syn_count;
    row->start = f.start;
    row->duration = f.duration;
    row->client_bytes = f.client_bytes;
    row->server_bytes = f.server_bytes;
}
