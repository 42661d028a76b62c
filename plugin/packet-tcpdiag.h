/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PACKET_TCPDIAG_H
#define PACKET_TCPDIAG_H

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

/* The tap "tcpdiag": one queued item per TCP packet (and per ICMP error
 * tied to a conversation); the data is an opaque conversation handle
 * (tcpdiag_row_get in tcpdiag-report.h reads it). */
extern int tcpdiag_tap;

#endif
