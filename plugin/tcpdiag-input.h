/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-input.h - what tcpdiag reads from Wireshark: the TCP and ICMP
 * headers the IP layer hands on, noted in front of TCP, ICMP and ICMPv6.
 */
#ifndef TCPDIAG_INPUT_H
#define TCPDIAG_INPUT_H

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/conversation.h>

/*
 * The headers, from the layers below.  A post-dissector that asks for
 * fields (set_postdissector_wanted_hfids) makes Wireshark build a protocol
 * tree for every packet, which about doubles the cost of reading a capture
 * when nothing displays it.  Instead tcpdiag sits in the "ip.proto" table
 * in front of TCP, ICMP and ICMPv6: it notes the header the IP layer hands
 * them, then calls them as before.  The post-dissector of the same frame
 * reads the note.  Segments quoted inside ICMP errors are not noted as
 * segments (the ICMP error is).
 */
typedef struct {
    guint32  frame;        /* pinfo->num of the note, 0 if none */
    address  src, dst;     /* the IP addresses, their bytes in addr */
    guint8   addr[2][16];
    guint8   th[20];       /* TCP: the fixed header (16 bytes at least) */
    guint32  sack_left, sack_right; /* TCP: the first SACK block (RFC 2018), if sack_left != sack_right */
    guint32  payload_len;
    guint8   ip, ttl, df;  /* the enclosing IP header (ip: 4, 6, 0 unknown) */
    guint16  ip_id;
    gint     len;          /* ICMP: bytes of the message kept in `msg` */
    guint8   msg[8 + 60 + 8];
} layer_note;

/* This frame's notes: frame is pinfo->num when the frame has one. */
extern layer_note tcp_note, icmp_note;

/* An IPv4 or IPv6 address (the only ones noted). */
gboolean tcpdiag_ip_address(const address *a);

/* TCP's stream number of a conversation (tcp.stream). */
gboolean tcpdiag_tcp_stream_of(conversation_t *cv, guint32 *stream);

/* Registration: the protocols in name only that stand in front of TCP,
 * ICMP and ICMPv6, then (handoff) standing there. */
void tcpdiag_input_register(void);
void tcpdiag_input_handoff(int proto_tcpdiag);

/* Forget the notes (a new file, or a frame a read filter rejected). */
void tcpdiag_input_forget(void);

#endif
