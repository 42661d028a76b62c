/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * packet-tcpdiag.c - tcpdiag's registration, and its post-dissector: on
 * the first pass every TCP segment the layers below noted
 * (tcpdiag-input.c) is fed to its conversation's engine (core/) and the
 * conversation's record (tcpdiag-conv.c) keeps what the engine says per
 * frame; every pass shows the conversation's report (tcpdiag-report.c) on
 * the packet (tcpdiag-tree.c) to whoever looks (tcpdiag-wants.c), and
 * queues it for the tables (tcpdiag-stats.c).  No diagnosis is decided
 * here or in any of those files: the engine and the findings' rules
 * (core/) decide.
 *
 * Passes: on the first pass (frame not yet visited) nothing is allocated
 * for frames where nothing changed.  On later passes (the GUI, tshark -2)
 * states are looked up from the records and the outcome is the one known
 * at the end of the capture.
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/address.h>
#include <epan/conversation.h>
#include <epan/exceptions.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/tap.h>
#include "ws-compat.h"

#include "core/td_engine.h"
#include "core/td_log.h"
#include "packet-tcpdiag.h"
#include "tcpdiag-conv.h"
#include "tcpdiag-findings.h"
#include "tcpdiag-input.h"
#include "tcpdiag-stats.h"
#include "tcpdiag-tree.h"
#include "tcpdiag-wants.h"

static int proto_tcpdiag = -1;
int tcpdiag_tap = -1;
static dissector_handle_t tcpdiag_handle;

/*
 * An ICMP error quotes the IP header and at least 8 bytes of the segment
 * it is about (RFC 792; RFC 4443 2.4).  The quoted addresses and ports are
 * read from the ICMP message itself, so that errors quoting too little for
 * Wireshark to give them a tcp.stream are still tied to their conversation
 * through TCP's conversation table.
 */
static gboolean icmp_error(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const td_wants *w)
{
    const layer_note *n = &icmp_note;
    const gboolean v6 = n->ip == 6;
    const guint8 *b = n->msg, *q = n->msg + 8;
    const gint avail = n->len;
    address qsrc, qdst;
    guint16 sport, dport;
    guint32 stream;

    if (!td_icmp_is_error(b[0], v6))
        return FALSE;
    if (!v6) {
        gint ihl;
        if (avail < 8 + 20 || (q[0] >> 4) != 4 || q[9] != 6)
            return TRUE;
        ihl = (q[0] & 0x0f) * 4;
        if (ihl < 20 || avail < 8 + ihl + 4)
            return TRUE;
        set_address(&qsrc, AT_IPv4, 4, q + 12);
        set_address(&qdst, AT_IPv4, 4, q + 16);
        sport = td_ntoh16(q + ihl);
        dport = td_ntoh16(q + ihl + 2);
    } else {
        if (avail < 8 + 40 + 4 || (q[0] >> 4) != 6 || q[6] != 6)
            return TRUE;
        set_address(&qsrc, AT_IPv6, 16, q + 8);
        set_address(&qdst, AT_IPv6, 16, q + 24);
        sport = td_ntoh16(q + 40);
        dport = td_ntoh16(q + 42);
    }

    conversation_t *cv = find_conversation(pinfo->num, &qsrc, &qdst, CONVERSATION_TCP, sport, dport, 0);
    conv_rec *cr = tcpdiag_tcp_stream_of(cv, &stream) ? conv_lookup(stream) : NULL;
    if (!cr || !conv_seen(cr))
        return TRUE; /* an error about a conversation we never saw */
    int about = conv_endpoint_of(cr, &qsrc, sport, dport);
    if (about < 0)
        return TRUE;

    td_icmp m;
    m.type = b[0];
    m.code = b[1];
    m.v6 = v6;
    m.about = (guint8)about;
    m.from_destination = addresses_equal(&n->src, &qdst);
    /* The MTU of the next hop: ICMP fragmentation needed carries it in the
     * low half of its second word (RFC 1191 4), ICMPv6 packet too big in
     * the whole word (RFC 4443 3.2). */
    m.mtu = v6 ? (guint16)MIN(td_ntoh32(b + 4), G_MAXUINT16) : td_ntoh16(b + 6);
    conv_state *cs = conv_state_of(cr);
    if (!(cs->conv.flags & TD_C_STARTED))
        return TRUE;
    td_step st = td_conv_on_icmp(&cs->conv, pinfo->num, conv_frame_time(pinfo), &m);
    if (cs->conv.icmp_frame == pinfo->num) {
        g_free(cs->icmp_source);
        cs->icmp_source = address_to_str(NULL, &n->src);
    }
    conv_record_step(cs, pinfo->num, &st);
    /* The only per-frame allocation: ICMP errors are few. */
    if (!tcpdiag_single_pass())
        p_add_proto_data(wmem_file_scope(), pinfo, proto_tcpdiag, 0, GUINT_TO_POINTER(cr->stream + 1));
    if (w->items || w->experts || w->column)
        tree_show(tvb, pinfo, tree, cr, &cs->conv, cs, &st, TRUE, w);
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
    return TRUE;
}

/* First pass: the headers from the notes of the layers below. */
static void first_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    const layer_note *n = &tcp_note;
    conv_rec *cr;
    td_step st;
    td_segment seg;
    guint32 stream;

    if (icmp_note.frame == pinfo->num) {
        const td_wants w = tcpdiag_wants_of(tree, pinfo);
        findings_note_echo_reply();
        /* An ICMP error, perhaps about one of our conversations. */
        if (icmp_error(tvb, pinfo, tree, &w))
            return;
    }
    if (n->frame != pinfo->num)
        return;

    /* Ports, sequence, acknowledgement, flags and window: RFC 9293 3.1. */
    const guint16 sport = td_ntoh16(n->th), dport = td_ntoh16(n->th + 2);
    /* A socket connected to itself (same address and port on both ends)
     * is one endpoint talking to itself: no two sides to diagnose. */
    if (sport == dport && addresses_equal(&n->src, &n->dst))
        return;
    conversation_t *cv = find_conversation(pinfo->num, &n->src, &n->dst, CONVERSATION_TCP, sport, dport, 0);
    if (!tcpdiag_tcp_stream_of(cv, &stream))
        return; /* TCP kept no conversation for it */

    cr = conv_lookup(stream);
    if (!cr) {
        cr = conv_create(stream, &n->src, &n->dst, sport, dport);
        if (!cr)
            return;
        conv_link_port_reuse(cr);
    }
    int sender = conv_endpoint_of(cr, &n->src, sport, dport);
    if (sender < 0)
        return;
    memset(&seg, 0, sizeof seg);
    seg.frame = pinfo->num;
    seg.ts = conv_frame_time(pinfo);
    seg.seq = td_ntoh32(n->th + 4);
    seg.ack = td_ntoh32(n->th + 8);
    seg.payload_len = n->payload_len;
    seg.flags = (guint8)(n->th[13] & (TD_TH_FIN | TD_TH_SYN | TD_TH_RST | TD_TH_PSH | TD_TH_ACK | TD_TH_URG));
    seg.window = td_ntoh16(n->th + 14);
    seg.sack_left = n->sack_left;
    seg.sack_right = n->sack_right;
    seg.sender = (guint8)sender;
    seg.ip = n->ip;
    seg.ttl = n->ttl;
    seg.ip_id = n->ip_id;
    seg.df = n->df;
    td_conv scratch;
    const td_conv *c;
    conv_state *cs = NULL;
    if (!cr->full && td_log_takes(cr->nlog, &seg)) {
        /* Still opening: keep the segment, rebuild the conversation.  Room
         * for 1, 2, 4 and 8 segments. */
        if ((cr->nlog & (cr->nlog - 1u)) == 0)
            cr->u.log = (td_logged *)g_realloc_n(cr->u.log, cr->nlog ? cr->nlog * 2u : 1u, sizeof *cr->u.log);
        cr->u.log[cr->nlog++] = td_log_entry(&seg);
        st = conv_replay(cr, cr->nlog, &scratch, NULL);
        c = &scratch;
    } else {
        cs = conv_state_of(cr);
        st = td_conv_on_segment(&cs->conv, &seg);
        conv_record_step(cs, pinfo->num, &st);
        c = &cs->conv;
    }
    const td_wants w = tcpdiag_wants_of(tree, pinfo);
    if (w.items || w.experts || w.column) {
        proto_item *top = tree_show(tvb, pinfo, tree, cr, c, cs, &st, FALSE, &w);
        if (st.rst_news && cs)
            tree_rst_escalation(pinfo, top, cs, &w);
    } else if (st.rst_news && cs) {
        tree_rst_escalation(pinfo, NULL, cs, &w); /* shows nothing: keeps count of what is known */
    }
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
}

/* Later passes: states from the records, the conversation from TCP's. */
static void later_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    conv_rec *cr = NULL;
    gboolean is_icmp = FALSE;
    void *icmp_stream = p_get_proto_data(wmem_file_scope(), pinfo, proto_tcpdiag, 0);
    guint32 stream;

    if (icmp_stream) {
        cr = conv_lookup(GPOINTER_TO_UINT(icmp_stream) - 1);
        is_icmp = TRUE;
    } else if (pinfo->ptype == PT_TCP &&
               tcpdiag_tcp_stream_of(find_conversation_pinfo(pinfo, 0), &stream)) {
        cr = conv_lookup(stream);
    }
    if (!cr)
        return;
    const td_wants w = tcpdiag_wants_of(tree, pinfo);
    if (w.items || w.experts || w.column) {
        td_step st = conv_recorded_step(cr, pinfo->num);
        td_conv scratch;
        const td_conv *c = conv_view(cr, &scratch);
        findings_compute();
        proto_item *top = tree_show(tvb, pinfo, tree, cr, c, cr->full ? cr->u.state : NULL, &st, is_icmp, &w);
        tree_show_findings(tvb, pinfo, proto_item_get_subtree(top), top, cr, c, &w);
    }
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
}

static void dissect_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (!pinfo->fd->visited) {
        conv_clock_tick(pinfo);
        first_pass(tvb, pinfo, tree);
        /* A frame a read filter rejects gives its number to the next one:
         * its notes must not be read again. */
        tcpdiag_input_forget();
    } else {
        later_pass(tvb, pinfo, tree);
    }
}

static int dissect_tcpdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (tcpdiag_fields_packet(pinfo, tree)) {
        /* What was changed is put back, whatever is thrown. */
        fields_saved sv;
        tcpdiag_fields_enter(tree, &sv);
        TRY {
            dissect_pass(tvb, pinfo, tree);
        }
        FINALLY {
            tcpdiag_fields_leave(tree, &sv);
        }
        ENDTRY;
    } else {
        dissect_pass(tvb, pinfo, tree);
    }
    return 0;
}

/* ---- life cycle ----------------------------------------------------- */

static void tcpdiag_init(void)
{
    /* Frame numbers start again with each capture: so do the notes. */
    tcpdiag_input_forget();
    tcpdiag_wants_init(proto_tcpdiag);
    conv_init();
    findings_init();
}

static void tcpdiag_cleanup(void)
{
    tcpdiag_wants_cleanup();
    conv_cleanup();
    findings_cleanup();
    tcpdiag_input_forget();
}

void proto_register_tcpdiag(void)
{
    module_t *module;

    proto_tcpdiag = proto_register_protocol("TCP connection diagnosis", "tcpdiag", "tcpdiag");
    tcpdiag_input_register();
    tree_register(proto_tcpdiag);

    module = prefs_register_protocol(proto_tcpdiag, NULL);
    prefs_register_uint_preference(module, "answer_wait_ms",
        "Wait before calling a SYN unanswered (ms)",
        "How long the capture must go on after the last SYN (or SYN-ACK) before it counts "
        "as never answered; a capture that ends sooner reports syn-pending / synack-pending.",
        10, &tcpdiag_pref_answer_wait_ms);
    findings_register_prefs(module);

    tcpdiag_tap = register_tap("tcpdiag");
    tcpdiag_register_stats();

    register_init_routine(tcpdiag_init);
    register_cleanup_routine(tcpdiag_cleanup);
}

void proto_reg_handoff_tcpdiag(void)
{
    tcpdiag_handle = create_dissector_handle(dissect_tcpdiag, proto_tcpdiag);
    register_postdissector(tcpdiag_handle);
    tcpdiag_input_handoff(proto_tcpdiag);
}
