/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_diag.c - the rows of the diagnosis table (td_diag.h) as data, and the
 * words of an event's expert item.
 */
#include <stdio.h>

#include "td_diag.h"

#define TD_SHOWN_ROW(id, tok, sev, grp, shown, head) { tok, sev, grp, shown, head },
const td_diag_info td_outcome_info[TD_OUT_COUNT] = { TD_OUTCOMES(TD_SHOWN_ROW) };
const td_diag_info td_event_info[TD_EV_COUNT] = { TD_EVENTS(TD_SHOWN_ROW) };
#undef TD_SHOWN_ROW

#define TD_DIAG_ROW(id, tok, sev, grp, head) { tok, sev, grp, 0, head },
const td_diag_info td_finding_info[TD_FIND_COUNT] = { TD_FINDINGS(TD_DIAG_ROW) };
#undef TD_DIAG_ROW


#define TD_NAME(id, name) name,
static const char *const severity_names[TD_SEV_COUNT] = { TD_SEVERITIES(TD_NAME) };
static const char *const group_names[TD_GRP_COUNT] = { TD_GROUPS(TD_NAME) };
#undef TD_NAME

const char *td_severity_name(td_severity s)
{
    return (unsigned)s < TD_SEV_COUNT ? severity_names[s] : "?";
}

const char *td_group_name(td_group g)
{
    return (unsigned)g < TD_GRP_COUNT ? group_names[g] : "?";
}

/* What a retransmitted handshake or close segment is called. */
static const char *retransmitted_segment(td_event ev)
{
    switch (ev) {
    case TD_EV_SYNACK_RETRANS: return "SYN-ACK";
    case TD_EV_FIN_RETRANS:    return "FIN";
    default:                   return "SYN";
    }
}

int td_event_text(td_event ev, unsigned count, double interval, unsigned stream,
                  unsigned syn_frame, const char *outcome, char *buf, size_t n)
{
    const char *head = (unsigned)ev < TD_EV_COUNT ? td_event_info[ev].headline : "";

    switch (ev) {
    case TD_EV_SYN_RETRANS:
    case TD_EV_SYNACK_RETRANS:
    case TD_EV_SYN_NEW_ISN:
    case TD_EV_FIN_RETRANS:
        /* count: retransmissions before this one; this is segment count + 1. */
        return snprintf(buf, n, "%s (%s %u, %.3f s after the previous one)", head,
                        retransmitted_segment(ev), count + 1, interval);
    case TD_EV_DATA_RETRANS:
        return snprintf(buf, n, "%s (retransmission %u of this data, %.3f s after the previous "
                        "transmission)", head, count, interval);
    case TD_EV_KEEPALIVE:
        return snprintf(buf, n, "%s (%u unanswered in a row)", head, count);
    case TD_EV_ZERO_WINDOW_PROBE:
        return snprintf(buf, n, "%s (%u in this zero-window spell)", head, count);
    case TD_EV_WINDOW_OPENED:
        return snprintf(buf, n, "%s (closed for %.3f s, %u probe%s)", head, interval, count,
                        count == 1 ? "" : "s");
    case TD_EV_ICMP_TOO_BIG:
        if (count)   /* the MTU it names */
            return snprintf(buf, n, "%s: MTU %u, about TCP stream %u", head, count, stream);
        return snprintf(buf, n, "%s: no MTU named (a router from before RFC 1191), about TCP "
                        "stream %u", head, stream);
    case TD_EV_ICMP_ERROR:
        return snprintf(buf, n, "ICMP error about TCP stream %u (first SYN in frame %u): %s",
                        stream, syn_frame, outcome ? outcome : "");
    default:
        return snprintf(buf, n, "%s", head);
    }
}
