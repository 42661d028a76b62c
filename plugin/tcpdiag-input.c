/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-input.c - what tcpdiag reads from Wireshark (see layer_note in
 * tcpdiag-input.h): the headers the IP layer hands TCP, ICMP and ICMPv6,
 * noted in the "ip.proto" table in front of them.
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/address.h>
#include <epan/conversation.h>
#include <epan/proto.h>
#include <epan/ipproto.h>
#include <epan/dissectors/packet-ip.h>
#include <epan/dissectors/packet-tcp.h>
#include "ws-compat.h"

#include "core/td_engine.h"
#include "tcpdiag-input.h"

/* The Don't Fragment bit of the IPv4 flags and fragment offset (RFC 791 3.1). */
#define IP_DF_BIT 0x4000

layer_note tcp_note, icmp_note;
static dissector_handle_t tcp_handle, icmp_handle, icmpv6_handle;
static protocol_t *tcpdiag_protocol;
static int proto_tcp = -1;
static int proto_noted_tcp = -1, proto_noted_icmp = -1, proto_noted_icmpv6 = -1;

/* Only IP addresses are noted: TCP can also be reached without them (an
 * exported PDU naming the ip.proto table), and then nothing is noted. */
gboolean tcpdiag_ip_address(const address *a)
{
    return (a->type == AT_IPv4 && a->len == 4) || (a->type == AT_IPv6 && a->len == 16);
}

/* A protocol in name only standing in front of `parent` (see the handoff). */
static int register_noted(const char *parent, const char *name, const char *filter)
{
    const int id = proto_get_id_by_filter_name(parent);

    return id > 0 ? proto_register_protocol_in_name_only(name, name, filter, id, FT_PROTOCOL) : -1;
}

static gboolean note_addresses(layer_note *n, const packet_info *pinfo)
{
    const address *src = &pinfo->src, *dst = &pinfo->dst;

    if (!tcpdiag_ip_address(src) || !tcpdiag_ip_address(dst))
        return FALSE;
    memcpy(n->addr[0], src->data, (size_t)src->len);
    memcpy(n->addr[1], dst->data, (size_t)dst->len);
    set_address(&n->src, src->type, src->len, n->addr[0]);
    set_address(&n->dst, dst->type, dst->len, n->addr[1]);
    return TRUE;
}

/*
 * A TCP segment as the IP layer hands it to TCP: the fixed header (RFC 9293
 * 3.1), the payload length as TCP computes it (the IP payload less the
 * header), and from the IP header the TTL or hop limit, and for IPv4 the
 * identification and DF bit (RFC 791 3.1, RFC 8200 3).  The last segment
 * of a frame wins (the innermost of a tunnel).
 */
/* The first SACK block of an ACK's options (RFC 2018 3; RFC 9293 3.1 for
 * the option list): kind 5, length 2 + 8n.  Bounded by the header. */
static void note_sack(tvbuff_t *tvb, guint hlen, layer_note *n)
{
    guint8 opt[40];
    const guint olen = hlen - 20;

    tvb_memcpy(tvb, opt, 20, olen);
    for (guint i = 0; i < olen;) {
        const guint8 kind = opt[i];
        if (kind == 0)
            return;            /* end of option list */
        if (kind == 1) {
            i++;               /* no-operation */
            continue;
        }
        if (i + 1 >= olen || opt[i + 1] < 2 || i + opt[i + 1] > olen)
            return;            /* malformed: stop */
        if (kind == 5 && opt[i + 1] >= 10) {
            n->sack_left = td_ntoh32(opt + i + 2);
            n->sack_right = td_ntoh32(opt + i + 6);
            return;
        }
        i += opt[i + 1];
    }
}

static void note_tcp(tvbuff_t *tvb, packet_info *pinfo, void *data)
{
    layer_note *n = &tcp_note;
    const gint caplen = tvb_captured_length(tvb);
    const ws_ip4 *ip4 = WS_IP4_PTR(data);
    const ws_ip6 *ip6 = WS_IP6_PTR(data);

    n->frame = 0;
    if (caplen < 16)
        return; /* a header too short to read: nothing to follow */
    tvb_memcpy(tvb, n->th, 0, caplen < 20 ? caplen : 20);
    const guint hlen = (guint)(n->th[12] >> 4) * 4;
    n->sack_left = n->sack_right = 0;
    if (hlen > 20 && (n->th[13] & TD_TH_ACK) && caplen >= (gint)hlen)
        note_sack(tvb, hlen, n);
    const guint reported = tvb_reported_length(tvb);
    /* As TCP computes tcp.len: also under a bogus header length (< 20),
     * and not for an IP fragment it is not given whole. */
    n->payload_len = hlen <= reported && !pinfo->fragmented ? reported - hlen : 0;
    n->ip = 0;
    n->ttl = 0;
    n->df = 0;
    n->ip_id = 0;
    if (ip4 && pinfo->src.type == AT_IPv4) {
        n->ip = 4;
        n->ttl = ip4->ip_ttl;
        n->ip_id = ip4->ip_id;
        n->df = (ip4->ip_off & IP_DF_BIT) != 0;
    } else if (ip6 && pinfo->src.type == AT_IPv6) {
        n->ip = 6;
        n->ttl = ip6->ip6_hop;
    }
    if (note_addresses(n, pinfo))
        n->frame = pinfo->num;
}

/* The outermost ICMP or ICMPv6 message of a frame (an error quotes others). */
static void note_icmp(tvbuff_t *tvb, packet_info *pinfo)
{
    layer_note *n = &icmp_note;
    const gint caplen = tvb_captured_length(tvb);

    if (n->frame == pinfo->num || caplen < 2)
        return;
    n->len = caplen < (gint)sizeof n->msg ? caplen : (gint)sizeof n->msg;
    tvb_memcpy(tvb, n->msg, 0, n->len);
    n->ip = pinfo->src.type == AT_IPv6 ? 6 : 4;
    if (note_addresses(n, pinfo))
        n->frame = pinfo->num;
}

static gboolean noting(const packet_info *pinfo)
{
    return !pinfo->fd->visited && !pinfo->flags.in_error_pkt &&
           proto_is_protocol_enabled(tcpdiag_protocol);
}

/* In the "ip.proto" table in TCP's place: note, then call TCP as before. */
static int dissect_tcp_noted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (noting(pinfo))
        note_tcp(tvb, pinfo, data);
    return call_dissector_only(tcp_handle, tvb, pinfo, tree, data);
}

static int dissect_icmp_noted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (noting(pinfo))
        note_icmp(tvb, pinfo);
    return call_dissector_only(icmp_handle, tvb, pinfo, tree, data);
}

static int dissect_icmpv6_noted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (noting(pinfo))
        note_icmp(tvb, pinfo);
    return call_dissector_only(icmpv6_handle, tvb, pinfo, tree, data);
}

/* TCP's stream number of a conversation (tcp.stream). */
gboolean tcpdiag_tcp_stream_of(conversation_t *cv, guint32 *stream)
{
    const struct tcp_analysis *tcpd =
        cv ? (const struct tcp_analysis *)conversation_get_proto_data(cv, proto_tcp) : NULL;

    if (!tcpd)
        return FALSE;
    *stream = tcpd->stream;
    return TRUE;
}

void tcpdiag_input_forget(void)
{
    tcp_note.frame = icmp_note.frame = 0;
}

void tcpdiag_input_register(void)
{
    proto_noted_tcp = register_noted("tcp", "TCP (headers noted by tcpdiag)", "tcpdiag.noted.tcp");
    proto_noted_icmp = register_noted("icmp", "ICMP (headers noted by tcpdiag)", "tcpdiag.noted.icmp");
    proto_noted_icmpv6 = register_noted("icmpv6", "ICMPv6 (headers noted by tcpdiag)", "tcpdiag.noted.icmpv6");
}

/*
 * In the "ip.proto" table in front of TCP, ICMP and ICMPv6 (see
 * layer_note).  Each stands in as a protocol in name only whose parent is
 * the protocol it calls: disabling TCP disables it, and it adds no layer
 * of its own (frame.protocols is unchanged).  Plugins are handed off after
 * Wireshark's own dissectors, so the entries it replaces are there.
 */
static void note_in_front_of(const char *name, guint ip_proto, dissector_t noted, int pino,
                             dissector_handle_t *orig)
{
    dissector_table_t table = find_dissector_table("ip.proto");

    /* Whatever stands there now (TCP, or another plugin's wrapper) is
     * called after the note. */
    *orig = table ? dissector_get_uint_handle(table, ip_proto) : NULL;
    if (*orig && pino > 0)
        /* Named as the dissector it stands for: AH's export of its payload
         * (Export PDUs) names the handle it used. */
        dissector_add_uint("ip.proto", ip_proto, create_dissector_handle_with_name(noted, pino, name));
}

void tcpdiag_input_handoff(int proto_tcpdiag)
{
    tcpdiag_protocol = find_protocol_by_id(proto_tcpdiag);
    proto_tcp = proto_get_id_by_filter_name("tcp");
    note_in_front_of("tcp", IP_PROTO_TCP, dissect_tcp_noted, proto_noted_tcp, &tcp_handle);
    note_in_front_of("icmp", IP_PROTO_ICMP, dissect_icmp_noted, proto_noted_icmp, &icmp_handle);
    note_in_front_of("icmpv6", IP_PROTO_ICMPV6, dissect_icmpv6_noted, proto_noted_icmpv6, &icmpv6_handle);
}
