/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-stats.h - the conversation tables (tshark -z tcpdiag,conv and
 * tcpdiag,sum; Statistics > TCP diagnosis in the GUI).
 */
#ifndef TCPDIAG_STATS_H
#define TCPDIAG_STATS_H

void tcpdiag_register_stats(void);

#endif
