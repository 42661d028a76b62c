/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PACKET_TCPDIAG_H
#define PACKET_TCPDIAG_H

void proto_register_tcpdiag(void);
void proto_reg_handoff_tcpdiag(void);

#endif
