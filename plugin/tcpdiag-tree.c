/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-tree.c - showing a conversation on a packet (tcpdiag-tree.h).
 * Every item is computed, hence generated; the expert items and their
 * severity and group come from the table (td_diag.h).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/proto.h>
#include <epan/column-info.h>
#include "ws-compat.h"

#include "core/td_facts.h"
#include "tcpdiag-findings.h"
#include "tcpdiag-report.h"
#include "tcpdiag-tree.h"

static int proto_tcpdiag = -1;

static int hf_stream = -1;
static int hf_client_state = -1;
static int hf_server_state = -1;
static int hf_outcome = -1;
static int hf_outcome_final = -1;
static int hf_summary = -1;
static int hf_client_errno = -1;
static int hf_client_error = -1;
static int hf_role_basis = -1;
static int hf_syn_count = -1;
static int hf_synack_count = -1;
static int hf_syn_schedule = -1;
static int hf_syn_frame = -1;
static int hf_answer_frame = -1;
static int hf_synack_delay = -1;
static int hf_handshake_rtt = -1;
static int hf_unanswered_for = -1;
static int hf_retransmission = -1;
static int hf_retransmission_interval = -1;
static int hf_icmp_about = -1;
static int hf_conn_state = -1;
static int hf_closed_by = -1;
static int hf_close_type = -1;
static int hf_time_wait = -1;
static int hf_reset_by = -1;
static int hf_client_bytes = -1;
static int hf_server_bytes = -1;
static int hf_client_fins = -1;
static int hf_server_fins = -1;
static int hf_idle = -1;
static int hf_reuse_of = -1;
static int hf_history = -1;
static int hf_client_ttl = -1;
static int hf_client_hops = -1;
static int hf_server_ttl = -1;
static int hf_server_hops = -1;
static int hf_client_ipid = -1;
static int hf_server_ipid = -1;
static int hf_client_rtt = -1;
static int hf_server_rtt = -1;
static int hf_reset_assessment = -1;
static int hf_rst_claimed = -1;
static int hf_rst_assessment = -1;
static int hf_rst_evidence = -1;
static int hf_rst_finding = -1;
static int hf_rst_accepted = -1;
static int hf_rst_ttl = -1;
static int hf_rst_hops = -1;
static int hf_rst_ip_id = -1;
static int hf_rst_seq_offset = -1;
static int hf_rst_ack_offset = -1;
static int hf_finding = -1;
static int hf_client_retransmissions = -1;
static int hf_server_retransmissions = -1;
static int hf_retransmission_schedule = -1;
static int hf_zero_window_for = -1;
static int hf_zero_window_probes = -1;
static int hf_keepalives = -1;
static int hf_idle_before_cut = -1;
static int hf_path_mtu = -1;
static int hf_opened_late_by = -1;
static int hf_finding_text = -1;

static gint ett_tcpdiag = -1;
static gint ett_rst = -1;
static gint ett_text = -1;
static gint ett_text_line = -1;

/* Wireshark cuts item labels at ITEM_LABEL_LENGTH bytes: a line of an
 * explanation keeps well within it. */
#define TEXT_LINE_MAX   (ITEM_LABEL_LENGTH - 40)
#define EXPERT_CUT_MARK " [...]"

static expert_field ei_outcome[TD_OUT_COUNT];
static expert_field ei_event[TD_EV_COUNT];
static expert_field ei_rst[TD_RST_LEVEL_COUNT];
static expert_field ei_finding[TD_FIND_COUNT];

static void add_reltime(proto_tree *tree, int hf, tvbuff_t *tvb, double secs)
{
    nstime_t t;

    if (!(secs >= 0.0))
        secs = 0.0;
    t.secs = (time_t)floor(secs);
    t.nsecs = (int)((secs - floor(secs)) * 1e9);
    if (t.nsecs >= 1000000000) {
        t.secs++;
        t.nsecs -= 1000000000;
    }
    proto_item_set_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &t));
}

/* A time of td_facts: shown unless negative ("not shown"). */
static void add_time_if(proto_tree *tree, int hf, tvbuff_t *tvb, double secs)
{
    if (secs >= 0.0)
        add_reltime(tree, hf, tvb, secs);
}

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *s)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, s));
}

static void add_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 v)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, v));
}

/* The PI_* value of a severity or group: its name (td_diag.h) looked up in
 * Wireshark's own table of names, so that what tcpdiag registers and what
 * its reference says are the same.  A name Wireshark does not know is a
 * programming error, caught when the plugin registers. */
static int expert_value(const char *name, const value_string *vals)
{
    for (int i = 0; vals[i].strptr; i++)
        if (strcmp(vals[i].strptr, name) == 0)
            return (int)vals[i].value;
    ws_error("tcpdiag: Wireshark has no expert severity or group named \"%s\"", name);
    return 0;
}

static int severity_pi(td_severity s)
{
    return expert_value(td_severity_name(s), expert_severity_vals);
}

static int group_pi(td_group g)
{
    return expert_value(td_group_name(g), expert_group_vals);
}

/*
 * The lines of a long text (td_text_lines), in `scope`; *n is their
 * number.  Most texts have a few: one pass into a buffer on the stack.
 */
static td_span *text_lines(const char *text, wmem_allocator_t *scope, size_t *n)
{
    td_span few[16];
    td_span *lines;

    *n = td_text_lines(text, TEXT_LINE_MAX, few, G_N_ELEMENTS(few));
    lines = wmem_alloc_array(scope, td_span, *n ? *n : 1);
    if (*n <= G_N_ELEMENTS(few))
        memcpy(lines, few, *n * sizeof *lines);
    else
        td_text_lines(text, TEXT_LINE_MAX, lines, *n);
    return lines;
}

/*
 * An explanation (summary, capture-wide finding): the field's value is the
 * whole text, for filters, columns and -T fields.  A text that fits in an
 * item's label is shown as it is.  A longer one would be cut by Wireshark:
 * its label shows the headline, and a visible tree shows the whole text
 * below it, one line per clause.  `lines` (n of them) may be given, else
 * they are worked out here.
 */
static proto_item *add_long_text(proto_tree *tree, int hf, tvbuff_t *tvb, packet_info *pinfo,
                                 const char *text, const char *headline,
                                 const td_span *lines, size_t n)
{
    proto_item *ti;
    proto_tree *lt;

    if (strlen(text) <= TEXT_LINE_MAX) {
        ti = proto_tree_add_string(tree, hf, tvb, 0, 0, text);
        proto_item_set_generated(ti);
        return ti;
    }
    ti = proto_tree_add_string_format_value(tree, hf, tvb, 0, 0, text, "%s", headline);
    proto_item_set_generated(ti);
    if (!tcpdiag_tree_visible(tree))
        return ti;
    if (!lines)
        lines = text_lines(text, pinfo->pool, &n);
    lt = proto_item_add_subtree(ti, ett_text);
    for (size_t k = 0; k < n; k++) {
        proto_item *li;
        proto_tree_add_subtree_format(lt, tvb, 0, 0, ett_text_line, &li, "%.*s",
                                      (int)lines[k].len, text + lines[k].start);
        proto_item_set_generated(li);
    }
    return ti;
}

/*
 * An expert message of a long text.  Wireshark labels the expert item
 * "Expert Info (Severity/Group): message" within ITEM_LABEL_LENGTH bytes
 * (and the Expert Information dialog shows the message): a longer text is
 * cut where td_text_fit says (after a clause, a "; " or ", ", or a word,
 * using most of the room), and said to be cut.
 */
static void expert_add_text(packet_info *pinfo, proto_item *ti, expert_field *ei,
                            const td_diag_info *info, const char *text)
{
    const char *sev = val_to_str_const((guint32)severity_pi(info->severity), expert_severity_vals, "");
    const char *grp = val_to_str_const((guint32)group_pi(info->group), expert_group_vals, "");
    const size_t room = ITEM_LABEL_LENGTH - 1 - strlen("Expert Info (/): ") - strlen(sev) - strlen(grp);
    const size_t len = strlen(text);

    if (len <= room) {
        expert_add_info_format(pinfo, ti, ei, "%s", text);
    } else {
        const size_t fit = td_text_fit(text, room - strlen(EXPERT_CUT_MARK));
        expert_add_info_format(pinfo, ti, ei, "%.*s" EXPERT_CUT_MARK, (int)fit, text);
    }
}

static void show_endpoint_ip(proto_tree *dt, tvbuff_t *tvb, const td_conv *c, int i,
                             int hf_ttl, int hf_hops, int hf_ipid, int hf_rtt)
{
    const td_baseline *b = &c->ep[i].base;

    /* Not wanted by a filter, a column or a visible tree: skip the work
     * (this runs on every packet). */
    if (proto_field_is_referenced(dt, hf_ttl) || proto_field_is_referenced(dt, hf_hops)) {
        const guint8 ttl = td_baseline_ttl(b);
        if (ttl) {
            add_uint(dt, hf_ttl, tvb, ttl);
            add_uint(dt, hf_hops, tvb, (guint32)(td_initial_ttl(ttl) - ttl));
        }
    }
    if (proto_field_is_referenced(dt, hf_ipid)) {
        const char *ipid = td_baseline_ipid(b);
        if (*ipid)
            add_string(dt, hf_ipid, tvb, ipid);
    }
    if (proto_field_is_referenced(dt, hf_rtt)) {
        const double rtt = td_conv_rtt_via(c, i);
        if (rtt >= 0.0)
            add_reltime(dt, hf_rtt, tvb, rtt);
    }
}

/* The reset in this frame: its assessment and each finding in words. */
static void show_rst(tvbuff_t *tvb, packet_info *pinfo, proto_tree *dt, conv_state *cs, const td_wants *w)
{
    const td_conv *c = &cs->conv;
    int i = c->nrsts ? td_conv_rst_index(c, pinfo->num) : -1;
    proto_item *ti;
    proto_tree *rt;

    if (i < 0)
        return; /* not a reset, or one past the first TD_MAX_RSTS */
    const td_rst *r = &c->rsts[i];
    /* Large (TD_RF_COUNT texts): in packet scope, not on the stack. */
    td_rst_view *v = wmem_new(pinfo->pool, td_rst_view);
    td_rst_assess(c, (guint32)i, TRUE, v);
    const td_diag_info *li = &td_rst_level_info[v->level];
    const char *who = td_role_word(c, r->sender);

    if (!pinfo->fd->visited && v->level > cs->rst_shown)
        cs->rst_shown = v->level;
    if (w->column && li->severity != TD_SEV_NONE)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: rst %s]", li->token);
    if (!w->items && !(w->experts && li->severity != TD_SEV_NONE))
        return;
    ti = proto_tree_add_string(dt, hf_rst_assessment, tvb, 0, 0, li->token);
    proto_item_set_generated(ti);
    rt = proto_item_add_subtree(ti, ett_rst);
    add_string(rt, hf_rst_claimed, tvb, who);
    proto_item_set_generated(proto_tree_add_boolean(rt, hf_rst_accepted, tvb, 0, 0, r->accepted));
    if (r->ip) {
        add_uint(rt, hf_rst_ttl, tvb, r->ttl);
        add_uint(rt, hf_rst_hops, tvb, (guint32)(td_initial_ttl(r->ttl) - r->ttl));
    }
    if (r->ip == 4)
        add_uint(rt, hf_rst_ip_id, tvb, r->ip_id);
    if (r->have_snd)
        proto_item_set_generated(proto_tree_add_int(rt, hf_rst_seq_offset, tvb, 0, 0,
                                                    td_seq_diff(r->seq, r->snd_nxt)));
    if ((r->flags & TD_TH_ACK) && r->have_peer)
        proto_item_set_generated(proto_tree_add_int(rt, hf_rst_ack_offset, tvb, 0, 0,
                                                    td_seq_diff(r->ack, r->peer_nxt)));
    wmem_strbuf_t *all = wmem_strbuf_new(pinfo->pool, "");
    for (int f = 0; f < TD_RF_COUNT; f++) {
        if (!(v->found & (1u << f)))
            continue;
        add_string(rt, hf_rst_finding, tvb, td_rst_finding_info_table[f].token);
        add_string(rt, hf_rst_evidence, tvb, v->text[f]);
        if (td_rst_finding_info_table[f].kind != TD_RK_BENIGN)
            wmem_strbuf_append_printf(all, "%s%s", wmem_strbuf_get_len(all) ? "; " : "", v->text[f]);
    }
    if (w->experts && li->severity != TD_SEV_NONE)
        expert_add_text(pinfo, ti, &ei_rst[v->level], li,
                        wmem_strdup_printf(pinfo->pool, "Reset claiming to come from the %s: %s (%s)",
                                           who, li->headline, wmem_strbuf_get_str(all)));
}

/*
 * What tcpdiag adds to a packet of conversation cr: c is its engine state
 * (conv_view), cs its full record (NULL while it is kept as its segments:
 * then nothing is cached, and there is no reset or ICMP error to show).
 */

proto_item *tree_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const conv_rec *cr,
                         const td_conv *c, conv_state *cs, const td_step *st, gboolean is_icmp,
                         const td_wants *w)
{
    const guint32 stream = cr->stream;
    const gboolean final = pinfo->fd->visited;
    proto_item *top = NULL, *ti = NULL;
    proto_tree *dt = NULL;
    tcpdiag_report rep;

    report_of(&rep, cr, c, final, final, TRUE);
    const td_verdict v = rep.verdict;
    const double now = rep.now;
    const td_rst_level rst_worst = rep.rst_worst;
    verdict_cache *vc = rep.cache;
    const char *summary = rep.summary;

    const td_diag_info *oi = &td_outcome_info[v.outcome];
    const gboolean diag_here = v.key_frame == pinfo->num && oi->severity != TD_SEV_NONE &&
                               (final || td_outcome_is_settled(v.outcome));
    const gboolean want_summary = (diag_here && w->experts) ||
                                  (w->items && proto_field_is_referenced(tree, hf_summary));

    if (want_summary)
        summary = report_summary(&rep, pinfo->pool);

    if (w->items || w->experts) {
        /* Expert items hang on the top item (NULL when nobody sees the tree). */
        top = proto_tree_add_item(w->items ? tree : NULL, proto_tcpdiag, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(top);
    }
    if (w->items) {
        dt = proto_item_add_subtree(top, ett_tcpdiag);
        proto_item_set_text(top, "TCP connection diagnosis: %s, client %s, server %s", oi->token,
                            td_state_name((td_state)st->client_state),
                            td_state_name((td_state)st->server_state));

        add_uint(dt, hf_stream, tvb, stream);
        add_string(dt, hf_client_state, tvb, td_state_name((td_state)st->client_state));
        add_string(dt, hf_server_state, tvb, td_state_name((td_state)st->server_state));
        add_string(dt, hf_outcome, tvb, oi->token);
        proto_item_set_generated(proto_tree_add_boolean(dt, hf_outcome_final, tvb, 0, 0, final));
        if (summary) {
            /* After the first pass the summary is the same on every packet of
             * the conversation: so are its lines. */
            const gboolean cached = vc && summary == vc->summary;
            if (cached && !vc->lines && tcpdiag_tree_visible(dt) && strlen(summary) > TEXT_LINE_MAX) {
                size_t n;
                vc->lines = text_lines(summary, NULL, &n);  /* g_malloc'd */
                vc->nlines = (guint32)n;
            }
            if (cached && vc->lines)
                add_long_text(dt, hf_summary, tvb, pinfo, summary, oi->headline, vc->lines,
                              vc->nlines);
            else
                add_long_text(dt, hf_summary, tvb, pinfo, summary, oi->headline, NULL, 0);
        }
        if (v.client_error != TD_ERR_NONE) {
            add_string(dt, hf_client_errno, tvb, td_client_error_name[v.client_error]);
            add_string(dt, hf_client_error, tvb, td_client_error_text[v.client_error]);
        }
        td_facts f;
        td_conv_facts(c, &v, now, &f);
        add_string(dt, hf_role_basis, tvb, f.role_basis);
        if (f.conn_state) {
            ti = proto_tree_add_string(dt, hf_conn_state, tvb, 0, 0, f.conn_state);
            proto_item_set_generated(ti);
            proto_item_append_text(ti, " (%s)", td_zeek_conn_state_meaning(f.conn_state));
            add_string(dt, hf_history, tvb, f.history);
        }

        /* Opening. */
        if (f.syn_count)
            add_uint(dt, hf_syn_count, tvb, f.syn_count);
        if (f.synack_count)
            add_uint(dt, hf_synack_count, tvb, f.synack_count);
        if (f.syn_count > 1 && proto_field_is_referenced(dt, hf_syn_schedule)) {
            char sched[128];
            td_conv_syn_schedule(c, sched, sizeof sched);
            add_string(dt, hf_syn_schedule, tvb, sched);
        }
        if (f.syn_frame)
            add_uint(dt, hf_syn_frame, tvb, f.syn_frame);
        if (f.answer_frame)
            add_uint(dt, hf_answer_frame, tvb, f.answer_frame);
        add_time_if(dt, hf_synack_delay, tvb, f.synack_delay);
        add_time_if(dt, hf_handshake_rtt, tvb, f.handshake_rtt);
        add_time_if(dt, hf_unanswered_for, tvb, f.unanswered_for);

        /* Teardown. */
        if (f.has_bytes) {
            proto_item_set_generated(proto_tree_add_uint64(dt, hf_client_bytes, tvb, 0, 0, f.client_bytes));
            proto_item_set_generated(proto_tree_add_uint64(dt, hf_server_bytes, tvb, 0, 0, f.server_bytes));
        }
        if (f.client_fins)
            add_uint(dt, hf_client_fins, tvb, f.client_fins);
        if (f.server_fins)
            add_uint(dt, hf_server_fins, tvb, f.server_fins);
        if (*f.closed_by)
            add_string(dt, hf_closed_by, tvb, f.closed_by);
        if (*f.close_type)
            add_string(dt, hf_close_type, tvb, f.close_type);
        if (*f.time_wait)
            add_string(dt, hf_time_wait, tvb, f.time_wait);
        if (*f.reset_by)
            add_string(dt, hf_reset_by, tvb, f.reset_by);
        add_time_if(dt, hf_idle, tvb, f.idle);
        if (f.reuse_of)
            add_uint(dt, hf_reuse_of, tvb, f.reuse_of - 1);

        /* After the handshake. */
        if (f.client_rtx)
            add_uint(dt, hf_client_retransmissions, tvb, f.client_rtx);
        if (f.server_rtx)
            add_uint(dt, hf_server_retransmissions, tvb, f.server_rtx);
        if (f.rtx_schedule_of >= 0 && proto_field_is_referenced(dt, hf_retransmission_schedule)) {
            char sched[160];
            td_flow_rtx_schedule(c, f.rtx_schedule_of, sched, sizeof sched);
            add_string(dt, hf_retransmission_schedule, tvb, sched);
        }
        if (f.zero_window_for >= 0.0) {
            add_reltime(dt, hf_zero_window_for, tvb, f.zero_window_for);
            add_uint(dt, hf_zero_window_probes, tvb, f.zero_window_probes);
        }
        if (f.keepalives)
            add_uint(dt, hf_keepalives, tvb, f.keepalives);
        add_time_if(dt, hf_idle_before_cut, tvb, f.idle_before_cut);
        if (f.has_path_mtu)
            add_uint(dt, hf_path_mtu, tvb, f.path_mtu);
        add_time_if(dt, hf_opened_late_by, tvb, f.opened_late_by);

        /* Each endpoint's IP baseline, and the resets' forensics. */
        show_endpoint_ip(dt, tvb, c, c->client, hf_client_ttl, hf_client_hops, hf_client_ipid, hf_client_rtt);
        show_endpoint_ip(dt, tvb, c, 1 - c->client, hf_server_ttl, hf_server_hops, hf_server_ipid, hf_server_rtt);
        if (f.rsts_seen)
            add_string(dt, hf_reset_assessment, tvb, td_rst_level_info[rst_worst].token);
    }
    if (!is_icmp && cs)
        show_rst(tvb, pinfo, dt, cs, w);

    /* This frame's own event, as its row of the table says (ICMP errors
     * are shown below, with the conversation they are about). */
    const td_diag_info *ev = &td_event_info[st->event < TD_EV_COUNT ? st->event : TD_EV_NONE];
    if (st->event != TD_EV_NONE && !(ev->shown & TD_SHOWN_ICMP)) {
        /* As a later pass keeps it (frame_rec: a float), in every pass. */
        const double interval = (double)(float)st->interval;
        ti = top;
        if (w->items && (ev->shown & TD_SHOWN_RETRANSMISSION)) {
            ti = proto_tree_add_uint(dt, hf_retransmission, tvb, 0, 0, st->count);
            proto_item_set_generated(ti);
            add_reltime(dt, hf_retransmission_interval, tvb, interval);
        }
        if (w->experts) {
            char text[256];
            td_event_text((td_event)st->event, st->count, interval, stream, c->syn_frame,
                          oi->token, text, sizeof text);
            expert_add_info_format(pinfo, ti, &ei_event[st->event], "%s", text);
        }
        if (w->column && (ev->shown & TD_SHOWN_COUNT))
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s %u]", ev->token, st->count);
        else if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]", ev->token);
    }
    if (is_icmp) {
        if (w->items) {
            ti = proto_tree_add_uint(dt, hf_icmp_about, tvb, 0, 0, c->syn_frame ? c->syn_frame : c->first_frame);
            proto_item_set_generated(ti);
        }
        if (w->experts) {
            char text[256];
            const td_event ev_icmp = st->event == TD_EV_ICMP_TOO_BIG ? TD_EV_ICMP_TOO_BIG : TD_EV_ICMP_ERROR;
            td_event_text(ev_icmp, st->count, 0.0, stream, c->syn_frame, oi->token, text, sizeof text);
            expert_add_info_format(pinfo, w->items ? ti : top, &ei_event[ev_icmp], "%s", text);
        }
        if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: stream %u %s]",
                                stream, oi->token);
    }

    if (diag_here) {
        if (w->experts)
            expert_add_text(pinfo, top, &ei_outcome[v.outcome], oi, summary);
        if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]", oi->token);
    }
    return top;
}

/*
 * Single pass: evidence about a reset often comes later (its claimed
 * sender goes on sending).  When that makes the conversation's worst
 * reset look worse than any expert item has said so far, say it on this
 * packet.  With two passes the reset's own frame carries the final word.
 */
void tree_rst_escalation(packet_info *pinfo, proto_item *top, conv_state *cs, const td_wants *w)
{
    const td_conv *c = &cs->conv;
    guint32 which;
    td_rst_level worst = td_conv_rst_worst(c, &which);

    if (worst <= cs->rst_shown)
        return;
    cs->rst_shown = worst;
    if (which >= c->nrsts || c->rsts[which].frame == pinfo->num)
        return; /* the reset's own frame showed it */
    const td_diag_info *li = &td_rst_level_info[worst];
    if (w->experts) {
        char buf[512];
        td_rst_summary(c, which, buf, sizeof buf);
        expert_add_text(pinfo, top, &ei_rst[worst], li,
                        wmem_strdup_printf(pinfo->pool, "This packet changes the assessment of the reset in frame %u to %s: %s",
                                           c->rsts[which].frame, li->token, buf));
    }
    if (w->column)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: rst in %u %s]",
                            c->rsts[which].frame, li->token);
}

void tree_show_findings(tvbuff_t *tvb, packet_info *pinfo, proto_tree *dt, proto_item *top,
                        const conv_rec *cr, const td_conv *c, const td_wants *w)
{
    const td_found *found[TD_FINDINGS_SHOWN];
    finding_lines *lines[TD_FINDINGS_SHOWN];
    const guint nfound = findings_of(cr->stream, found, lines);

    for (guint i = 0; i < nfound; i++) {
        const td_found *f = found[i];
        finding_lines *fl = lines[i];
        proto_item *ti = NULL;
        if (w->items) {
            ti = proto_tree_add_string(dt, hf_finding, tvb, 0, 0, td_finding_info[f->kind].token);
            proto_item_set_generated(ti);
            if (!fl->lines && tcpdiag_tree_visible(dt) && strlen(f->text) > TEXT_LINE_MAX)
                fl->lines = text_lines(f->text, NULL, &fl->nlines);  /* g_malloc'd */
            add_long_text(dt, hf_finding_text, tvb, pinfo, f->text, td_finding_info[f->kind].headline,
                          fl->lines, fl->nlines);
        }
        if (pinfo->num == c->first_frame) {
            if (w->experts)
                expert_add_text(pinfo, w->items ? ti : top, &ei_finding[f->kind],
                                &td_finding_info[f->kind], f->text);
            if (w->column)
                col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]",
                                    td_finding_info[f->kind].token);
        }
    }
}

/* "syn-unanswered" -> "tcpdiag.diag.syn_unanswered" (field names take no '-'). */
static char *expert_name(const char *prefix, const char *token)
{
    char *s = g_strconcat(prefix, token, NULL);
    for (char *p = s; *p; p++)
        if (*p == '-')
            *p = '_';
    return s;
}

/* ei: `count` entries of static storage (Wireshark keeps pointers into it
 * for the life of the program; static, it is no leak at exit). */
static void register_expert_table(expert_module_t *em, expert_field *fields,
                                  const td_diag_info *info, int count, const char *prefix,
                                  ei_register_info *ei)
{
    int n = 0;

    for (int i = 0; i < count; i++) {
        fields[i].ei = EI_INIT_EI;
        fields[i].hf = EI_INIT_HF;
        if (info[i].severity == TD_SEV_NONE)
            continue; /* normal outcomes and TD_EV_NONE have no expert item */
        ei[n].ids = &fields[i];
        ei[n].eiinfo.name = expert_name(prefix, info[i].token);
        ei[n].eiinfo.group = group_pi(info[i].group);
        ei[n].eiinfo.severity = severity_pi(info[i].severity);
        ei[n].eiinfo.summary = info[i].headline;
        ei[n].eiinfo.hf_info.p_id = &fields[i].hf;
        ei[n].eiinfo.hf_info.hfinfo.name = info[i].headline;
        ei[n].eiinfo.hf_info.hfinfo.abbrev = ei[n].eiinfo.name;
        ei[n].eiinfo.hf_info.hfinfo.type = FT_NONE;
        ei[n].eiinfo.hf_info.hfinfo.display = BASE_NONE;
        ei[n].eiinfo.hf_info.hfinfo.id = -1;
        ei[n].eiinfo.hf_info.hfinfo.parent = 0;
        ei[n].eiinfo.hf_info.hfinfo.same_name_prev_id = -1;
        ei[n].eiinfo.orig_severity = EI_INIT_EI;
        n++;
    }
    expert_register_field_array(em, ei, n);
}

/* "prefix: a, b, c suffix", of the names of rows [from, count) of a table
 * whose rows start with their name (td_diag_info, td_rst_finding_info, an
 * array of names): a field's description made from the table, so that it
 * lists every value the field can take.  Allocated once and kept:
 * Wireshark keeps the pointer. */
G_STATIC_ASSERT(offsetof(td_diag_info, token) == 0);
G_STATIC_ASSERT(offsetof(td_rst_finding_info, token) == 0);

static const char *names_blurb(const char *prefix, const void *rows, size_t row_size, int from,
                               int count, const char *suffix)
{
    GString *b = g_string_new(prefix);

    for (int i = from; i < count; i++) {
        const char *name = *(const char *const *)((const char *)rows + (size_t)i * row_size);
        g_string_append_printf(b, "%s%s", i > from ? ", " : ": ", name);
    }
    g_string_append(b, suffix);
    return g_string_free(b, FALSE);
}

/* The descriptions of the fields whose values are the table's tokens. */
static void describe_from_table(hf_register_info *hf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        header_field_info *h = &hf[i].hfinfo;
        if (hf[i].p_id == &hf_outcome)
            h->blurb = names_blurb("What became of the conversation", td_outcome_info, sizeof *td_outcome_info,
                                   1, TD_OUT_COUNT,
                                   " (final in the GUI and tshark -2, best known so far in one pass)");
        else if (hf[i].p_id == &hf_reset_assessment)
            h->blurb = names_blurb("The worst assessment of the conversation's resets", td_rst_level_info,
                                   sizeof *td_rst_level_info, 0, TD_RST_LEVEL_COUNT, "");
        else if (hf[i].p_id == &hf_rst_assessment)
            h->blurb = names_blurb("Whether this reset came from the endpoint it claims", td_rst_level_info,
                                   sizeof *td_rst_level_info, 0, TD_RST_LEVEL_COUNT, "");
        else if (hf[i].p_id == &hf_rst_finding)
            h->blurb = names_blurb("Token of each piece of evidence about this reset",
                                   td_rst_finding_info_table, sizeof *td_rst_finding_info_table, 0,
                                   TD_RF_COUNT, "");
        else if (hf[i].p_id == &hf_finding)
            h->blurb = names_blurb("A pattern across conversations this one is part of", td_finding_info,
                                   sizeof *td_finding_info, 1, TD_FIND_COUNT, " (GUI and tshark -2)");
        else if (hf[i].p_id == &hf_client_errno)
            h->blurb = names_blurb("The errno the client application was given (Linux), where the "
                                   "capture shows it", td_client_error_name, sizeof *td_client_error_name,
                                   1, TD_ERR_COUNT, "");
    }
}

void tree_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_stream, { "TCP stream", "tcpdiag.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The tcp.stream this packet belongs to (also for ICMP errors quoting it)", HFILL } },
        { &hf_client_state, { "Client state", "tcpdiag.client_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "The client's state after this packet, as observed at the capture point (netstat spelling)", HFILL } },
        { &hf_server_state, { "Server state", "tcpdiag.server_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "The server's state after this packet, as observed at the capture point (netstat spelling)", HFILL } },
        { &hf_outcome, { "Outcome", "tcpdiag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_outcome_final, { "Outcome is final", "tcpdiag.outcome_final", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "True when the outcome was computed after the whole capture was read", HFILL } },
        { &hf_summary, { "Summary", "tcpdiag.summary", FT_STRING, BASE_NONE, NULL, 0x0,
          "One line explaining the outcome, with its numbers", HFILL } },
        { &hf_client_errno, { "Client errno", "tcpdiag.client_errno", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_client_error, { "Client error", "tcpdiag.client_error", FT_STRING, BASE_NONE, NULL, 0x0,
          "The error message the client application reports (Linux strerror)", HFILL } },
        { &hf_role_basis, { "Roles decided by", "tcpdiag.role_basis", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the client was told from the server: syn, syn-ack, port or first-packet", HFILL } },
        { &hf_syn_count, { "SYN attempts", "tcpdiag.syn_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "SYNs the client sent, retransmissions included", HFILL } },
        { &hf_synack_count, { "SYN-ACK attempts", "tcpdiag.synack_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "SYN-ACKs the server sent, retransmissions included", HFILL } },
        { &hf_syn_schedule, { "SYN schedule", "tcpdiag.syn_schedule", FT_STRING, BASE_NONE, NULL, 0x0,
          "Seconds from the first SYN at which each SYN was sent", HFILL } },
        { &hf_syn_frame, { "First SYN", "tcpdiag.syn_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
          "The frame of the client's first SYN", HFILL } },
        { &hf_answer_frame, { "Answer", "tcpdiag.answer_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
          "The frame that answered the SYN: SYN-ACK, RST or ICMP error", HFILL } },
        { &hf_synack_delay, { "SYN to SYN-ACK", "tcpdiag.synack_delay", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the SYN to the server's first SYN-ACK, at the capture point", HFILL } },
        { &hf_handshake_rtt, { "Handshake RTT", "tcpdiag.handshake_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the answered SYN to the ACK that completed the handshake", HFILL } },
        { &hf_unanswered_for, { "Unanswered for", "tcpdiag.unanswered_for", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the capture went on after the last unanswered SYN or SYN-ACK", HFILL } },
        { &hf_retransmission, { "Retransmission", "tcpdiag.retransmission", FT_UINT32, BASE_DEC, NULL, 0x0,
          "This SYN, SYN-ACK, FIN or data segment is the n-th retransmission", HFILL } },
        { &hf_retransmission_interval, { "Since previous attempt", "tcpdiag.retransmission_interval", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time since the previous transmission of the same SYN, SYN-ACK, FIN or data", HFILL } },
        { &hf_client_retransmissions, { "Client data retransmissions", "tcpdiag.client_retransmissions", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Segments in which the client sent data again that the server had not acknowledged", HFILL } },
        { &hf_server_retransmissions, { "Server data retransmissions", "tcpdiag.server_retransmissions", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Segments in which the server sent data again that the client had not acknowledged", HFILL } },
        { &hf_retransmission_schedule, { "Retransmission schedule", "tcpdiag.retransmission_schedule", FT_STRING, BASE_NONE, NULL, 0x0,
          "Seconds from the first transmission of the data never acknowledged to each retransmission of it", HFILL } },
        { &hf_zero_window_for, { "Zero window for", "tcpdiag.zero_window_for", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the stalled reader kept its window closed (the longest spell)", HFILL } },
        { &hf_zero_window_probes, { "Zero-window probes", "tcpdiag.zero_window_probes", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The sender's probes of the closed window in that spell", HFILL } },
        { &hf_keepalives, { "Keepalive probes", "tcpdiag.keepalives", FT_UINT32, BASE_DEC, NULL, 0x0,
          "TCP keepalive probes of both sides", HFILL } },
        { &hf_idle_before_cut, { "Idle before the cut", "tcpdiag.idle_before_cut", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the connection sat idle before the segment that was never answered or was reset: the path device's idle timeout is shorter", HFILL } },
        { &hf_path_mtu, { "Path MTU (ICMP)", "tcpdiag.path_mtu", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The MTU named by the first ICMP fragmentation-needed or packet-too-big about this conversation", HFILL } },
        { &hf_opened_late_by, { "Opened late by", "tcpdiag.opened_late_by", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the client's handshake ACK to the server's first segment after it sent its SYN-ACK again (accept queue full)", HFILL } },
        { &hf_conn_state, { "Zeek conn_state", "tcpdiag.conn_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "Zeek's conn_state code for the conversation (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH)", HFILL } },
        { &hf_history, { "Zeek history", "tcpdiag.history", FT_STRING, BASE_NONE, NULL, 0x0,
          "Zeek's history string: originator's letters upper case, responder's lower case", HFILL } },
        { &hf_closed_by, { "Closed first by", "tcpdiag.closed_by", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side sent the first FIN: client, server, or both (simultaneous close)", HFILL } },
        { &hf_close_type, { "Close", "tcpdiag.close_type", FT_STRING, BASE_NONE, NULL, 0x0,
          "How both FINs were exchanged: four-way, three-way (FIN and ACK in one segment) or simultaneous", HFILL } },
        { &hf_time_wait, { "In TIME_WAIT", "tcpdiag.time_wait", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side is in TIME_WAIT at the end: client, server or both", HFILL } },
        { &hf_reset_by, { "Reset by", "tcpdiag.reset_by", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side sent the first reset: client or server", HFILL } },
        { &hf_client_bytes, { "Client bytes", "tcpdiag.client_bytes", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Payload bytes the client sent (retransmissions included)", HFILL } },
        { &hf_server_bytes, { "Server bytes", "tcpdiag.server_bytes", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Payload bytes the server sent (retransmissions included)", HFILL } },
        { &hf_client_fins, { "Client FINs", "tcpdiag.client_fins", FT_UINT32, BASE_DEC, NULL, 0x0,
          "FIN segments the client sent, retransmissions included", HFILL } },
        { &hf_server_fins, { "Server FINs", "tcpdiag.server_fins", FT_UINT32, BASE_DEC, NULL, 0x0,
          "FIN segments the server sent, retransmissions included", HFILL } },
        { &hf_idle, { "Idle", "tcpdiag.idle", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "For a conversation still open: time from its last packet to the end of the capture (or this packet)", HFILL } },
        { &hf_reuse_of, { "Ports reused from stream", "tcpdiag.reuse_of", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The earlier tcp.stream on the same addresses and ports (port reuse)", HFILL } },
        { &hf_client_ttl, { "Client TTL", "tcpdiag.client_ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The TTL (hop limit) most of the client's packets carry at the capture point, resets not counted", HFILL } },
        { &hf_client_hops, { "Client hops", "tcpdiag.client_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops between the client and the capture point, from its TTL and the usual initial values 32, 64, 128, 255", HFILL } },
        { &hf_server_ttl, { "Server TTL", "tcpdiag.server_ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The TTL (hop limit) most of the server's packets carry at the capture point, resets not counted", HFILL } },
        { &hf_server_hops, { "Server hops", "tcpdiag.server_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops between the server and the capture point, from its TTL and the usual initial values 32, 64, 128, 255", HFILL } },
        { &hf_client_ipid, { "Client IP ID", "tcpdiag.client_ipid", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the client's IPv4 identification behaves: zero, per-connection (+1 per packet), incrementing, random", HFILL } },
        { &hf_server_ipid, { "Server IP ID", "tcpdiag.server_ipid", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the server's IPv4 identification behaves: zero, per-connection (+1 per packet), incrementing, random", HFILL } },
        { &hf_client_rtt, { "Round trip to client", "tcpdiag.client_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "From the capture point to the client and back: SYN-ACK to the ACK completing the handshake", HFILL } },
        { &hf_server_rtt, { "Round trip to server", "tcpdiag.server_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "From the capture point to the server and back: SYN to SYN-ACK", HFILL } },
        { &hf_reset_assessment, { "Reset assessment", "tcpdiag.reset_assessment", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_rst_assessment, { "Reset forensics", "tcpdiag.rst.assessment", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_rst_claimed, { "Claimed sender", "tcpdiag.rst.claimed_sender", FT_STRING, BASE_NONE, NULL, 0x0,
          "The endpoint whose address and port the reset carries: client or server", HFILL } },
        { &hf_rst_accepted, { "Accepted", "tcpdiag.rst.accepted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The receiver acts on this reset (RFC 9293 3.10.7, RFC 5961 3.2)", HFILL } },
        { &hf_rst_ttl, { "TTL", "tcpdiag.rst.ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The reset's TTL or hop limit", HFILL } },
        { &hf_rst_hops, { "Hops", "tcpdiag.rst.hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops the reset travelled, from its TTL and the usual initial values", HFILL } },
        { &hf_rst_ip_id, { "IP ID", "tcpdiag.rst.ip_id", FT_UINT16, BASE_DEC, NULL, 0x0,
          "The reset's IPv4 identification", HFILL } },
        { &hf_rst_seq_offset, { "Sequence offset", "tcpdiag.rst.seq_offset", FT_INT32, BASE_DEC, NULL, 0x0,
          "The reset's sequence number minus the claimed sender's next sequence number as seen (0: exact)", HFILL } },
        { &hf_rst_ack_offset, { "Acknowledgement offset", "tcpdiag.rst.ack_offset", FT_INT32, BASE_DEC, NULL, 0x0,
          "The reset's acknowledgement minus the peer's next sequence number as seen (> 0: data never sent)", HFILL } },
        { &hf_rst_finding, { "Finding", "tcpdiag.rst.finding", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_rst_evidence, { "Evidence", "tcpdiag.rst.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
          "Each piece of evidence about this reset, in words with its numbers", HFILL } },
        { &hf_finding, { "Capture-wide finding", "tcpdiag.finding", FT_STRING, BASE_NONE, NULL, 0x0,
          NULL /* describe_from_table */, HFILL } },
        { &hf_finding_text, { "Finding", "tcpdiag.finding_text", FT_STRING, BASE_NONE, NULL, 0x0,
          "The capture-wide finding in words, with its numbers", HFILL } },
        { &hf_icmp_about, { "ICMP error about", "tcpdiag.icmp_about", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
          "The SYN of the conversation this ICMP error refers to", HFILL } },
    };
    static gint *ett[] = { &ett_tcpdiag, &ett_rst, &ett_text, &ett_text_line };
    expert_module_t *em;

    proto_tcpdiag = proto;
    describe_from_table(hf, array_length(hf));
    proto_register_field_array(proto_tcpdiag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));

    em = expert_register_protocol(proto_tcpdiag);
    static ei_register_info ei_outcome_reg[TD_OUT_COUNT], ei_event_reg[TD_EV_COUNT],
        ei_rst_reg[TD_RST_LEVEL_COUNT], ei_finding_reg[TD_FIND_COUNT];
    register_expert_table(em, ei_outcome, td_outcome_info, TD_OUT_COUNT, "tcpdiag.diag.", ei_outcome_reg);
    register_expert_table(em, ei_event, td_event_info, TD_EV_COUNT, "tcpdiag.event.", ei_event_reg);
    register_expert_table(em, ei_rst, td_rst_level_info, TD_RST_LEVEL_COUNT, "tcpdiag.rst.", ei_rst_reg);
    register_expert_table(em, ei_finding, td_finding_info, TD_FIND_COUNT, "tcpdiag.finding.",
                          ei_finding_reg);
}
