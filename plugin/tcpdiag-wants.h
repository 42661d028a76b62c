/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-wants.h - who reads what tcpdiag adds: tshark's command line
 * (one pass or two, -T fields), and per packet whether a tree, the expert
 * items or the Info column will be seen (td_wants).
 */
#ifndef TCPDIAG_WANTS_H
#define TCPDIAG_WANTS_H

#include <wireshark.h>
#include <epan/packet.h>
#include "core/td_cmdline.h"

/*
 * Who will see what tcpdiag adds to a packet.  Nothing is formatted for
 * nobody: this runs on every TCP packet.
 *   items:   a visible tree, or a filter, column or field naming a tcpdiag
 *            field (or an expert field, ours or _ws.expert);
 *   experts: any tree (the expert severity of the frame, the GUI's status
 *            bar), an Expert column, or a listener of the expert tap
 *            (tshark -z expert, the GUI's Expert Information);
 *   column:  the Info column is being filled in (the summary lines).
 */
typedef struct {
    gboolean items, experts, column;
} td_wants;

td_wants tcpdiag_wants_of(proto_tree *tree, const packet_info *pinfo);

/* A tree that will be shown (not one made only for filters or fields). */
gboolean tcpdiag_tree_visible(proto_tree *tree);

/* tshark without -2: frames are never visited again, so nothing is kept
 * per frame for later passes (the GUI and tshark -2 keep it). */
gboolean tcpdiag_single_pass(void);

/*
 * While tcpdiag's post-dissector runs on a packet of -T fields' tree
 * (fields_packet): the tree invisible, the -e fields of tcpdiag's
 * primed, as tshark 4.4 makes them.  fields_leave puts back what
 * fields_enter changed.
 */
typedef struct {
    gboolean visible;
    hf_ref_type ref[TD_CMDLINE_WANTED_MAX + 1];
} fields_saved;

gboolean tcpdiag_fields_packet(packet_info *pinfo, proto_tree *tree);
void tcpdiag_fields_enter(proto_tree *tree, fields_saved *sv);
void tcpdiag_fields_leave(proto_tree *tree, const fields_saved *sv);

/* Each file: read the command line again, look up the expert tap. */
void tcpdiag_wants_init(int proto_tcpdiag);
void tcpdiag_wants_cleanup(void);

#endif
