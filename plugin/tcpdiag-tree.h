/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-tree.h - showing a conversation on a packet: tcpdiag's fields
 * (the tree), its expert items and its Info column notes, to whoever will
 * see them (td_wants).  Registers the fields and expert items.
 */
#ifndef TCPDIAG_TREE_H
#define TCPDIAG_TREE_H

#include <wireshark.h>
#include <epan/packet.h>

#include "tcpdiag-conv.h"
#include "tcpdiag-wants.h"

/* What tcpdiag adds to a packet of conversation cr: c is its engine state
 * (conv_view), cs its full record (NULL while it is kept as its segments:
 * then there is no reset or ICMP error to show).  Returns the top item
 * (NULL when nothing is seen). */
proto_item *tree_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const conv_rec *cr,
                      const td_conv *c, conv_state *cs, const td_step *st, gboolean is_icmp,
                      const td_wants *w);

/* Single pass: a packet that makes a reset look worse than said so far. */
void tree_rst_escalation(packet_info *pinfo, proto_item *top, conv_state *cs, const td_wants *w);

/* Later passes: the capture-wide findings the conversation is part of. */
void tree_show_findings(tvbuff_t *tvb, packet_info *pinfo, proto_tree *dt, proto_item *top,
                        const conv_rec *cr, const td_conv *c, const td_wants *w);

/* The fields, subtrees and expert items of protocol `proto`. */
void tree_register(int proto);

#endif
