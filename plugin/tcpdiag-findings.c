/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-findings.c - capture-wide findings (tcpdiag-findings.h).
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "tcpdiag-conv.h"
#include "tcpdiag-findings.h"
#include "tcpdiag-input.h"

/* Preferences (thresholds). */
static guint pref_flood_min = 100;        /* half-open attempts toward one listener */
static guint pref_flood_sources = 10;     /* from at least this many addresses */
static guint pref_flood_window = 10;      /* within this many seconds */
static guint pref_scan_min = 20;          /* targets (address and port) of one source */
static guint pref_scan_window = 60;       /* seconds */
static guint pref_scan_failed_pct = 80;   /* refused or unanswered */
static guint pref_leak_min = 10;          /* connections left in CLOSE_WAIT */
static guint pref_tw_min = 20;            /* connections left in TIME_WAIT by one client */
static guint pref_tw_reuse_min = 3;       /* its ports reused while in TIME_WAIT */
static guint pref_burst_min = 10;         /* connections one server closes or resets */
static guint pref_burst_window_ms = 100;  /* within this time */

static GPtrArray *findings;     /* finding *, once computed */
static gboolean findings_done;
/* conv_packets_read() when they were computed: they are computed again
 * when it moved (a live capture in the GUI re-dissects packets). */
static guint64 findings_at;
static GHashTable *echo_hosts;  /* address text -> echo replies it sent */

/* An ICMP echo reply: its sender answers pings (seed 000's first clue). */
void findings_note_echo_reply(void)
{
    const layer_note *n = &icmp_note;

    if (n->msg[0] != (n->ip == 6 ? 129 : 0))
        return;
    char *host = address_to_str(NULL, &n->src);
    guint x = GPOINTER_TO_UINT(g_hash_table_lookup(echo_hosts, host));
    g_hash_table_replace(echo_hosts, host, GUINT_TO_POINTER(x + 1)); /* takes host */
}

static void finding_free(gpointer p)
{
    finding *f = (finding *)p;
    g_free(f->key);
    g_free(f->text);
    g_free(f->lines);
    g_free(f->streams);
    g_free(f);
}

/* Conversations grouped by a key (listener, source, ...). */
typedef struct {
    GPtrArray  *convs;
    GArray     *ts;        /* a time per conversation (double) */
    GPtrArray  *what;      /* its source or target, as text (NULL if none) */
    GHashTable *distinct;  /* sources or targets, as text */
    guint       a, b, c;   /* counters, per kind */
} group;

static void group_free(gpointer p)
{
    group *g = (group *)p;
    g_ptr_array_free(g->convs, TRUE);
    g_array_free(g->ts, TRUE);
    g_ptr_array_free(g->what, TRUE);
    g_hash_table_destroy(g->distinct);
    g_free(g);
}

static group *group_of(GHashTable *groups, const char *key)
{
    group *g = (group *)g_hash_table_lookup(groups, key);
    if (!g) {
        g = g_new0(group, 1);
        g->convs = g_ptr_array_new();
        g->ts = g_array_new(FALSE, FALSE, sizeof(double));
        g->what = g_ptr_array_new_with_free_func(g_free);
        g->distinct = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(groups, g_strdup(key), g);
    }
    return g;
}

static void group_add(group *g, conv_rec *cr, double ts, const char *distinct)
{
    g_ptr_array_add(g->convs, cr);
    g_array_append_val(g->ts, ts);
    g_ptr_array_add(g->what, g_strdup(distinct));
    if (distinct && !g_hash_table_contains(g->distinct, distinct))
        g_hash_table_add(g->distinct, g_strdup(distinct));
}

typedef struct {
    double      t;
    const char *what;
} stamp;

static int cmp_stamp(gconstpointer a, gconstpointer b)
{
    double x = ((const stamp *)a)->t, y = ((const stamp *)b)->t;
    return x < y ? -1 : x > y;
}

/* Within any `window` seconds: the most members (*most, over *span) and
 * the most distinct sources or targets among them (returned). */
static guint max_in_window(group *g, double window, guint *most, double *span)
{
    guint n = g->ts->len, lo = 0, best_distinct = 0;
    stamp *st = g_new(stamp, n ? n : 1);
    GHashTable *inwin = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < n; i++) {
        st[i].t = g_array_index(g->ts, double, i);
        st[i].what = (const char *)g_ptr_array_index(g->what, i);
    }
    qsort(st, n, sizeof *st, cmp_stamp);
    *most = 0;
    *span = 0.0;
    for (guint hi = 0; hi < n; hi++) {
        if (st[hi].what) {
            guint c = GPOINTER_TO_UINT(g_hash_table_lookup(inwin, st[hi].what));
            g_hash_table_insert(inwin, (gpointer)st[hi].what, GUINT_TO_POINTER(c + 1));
        }
        while (st[hi].t - st[lo].t > window) {
            if (st[lo].what) {
                guint c = GPOINTER_TO_UINT(g_hash_table_lookup(inwin, st[lo].what));
                if (c <= 1)
                    g_hash_table_remove(inwin, st[lo].what);
                else
                    g_hash_table_insert(inwin, (gpointer)st[lo].what, GUINT_TO_POINTER(c - 1));
            }
            lo++;
        }
        if (hi - lo + 1 > *most) {
            *most = hi - lo + 1;
            *span = st[hi].t - st[lo].t;
        }
        best_distinct = MAX(best_distinct, g_hash_table_size(inwin));
    }
    g_hash_table_destroy(inwin);
    g_free(st);
    return best_distinct;
}

/*
 * Which findings each conversation is part of (the first FINDINGS_SHOWN),
 * by tcp.stream: find_ids[find_start[s] .. find_start[s + 1]).  Built
 * once the findings are; nothing is kept in the conversations.
 */
static guint32 *find_start, *find_ids;
static guint32 find_streams;

static void add_finding(td_finding kind, const char *key, group *g, char *text)
{
    finding *f = g_new0(finding, 1);

    f->kind = kind;
    f->key = g_strdup(key);
    f->text = text;
    f->count = g->convs->len;
    f->streams = g_new(guint32, g->convs->len ? g->convs->len : 1);
    for (guint i = 0; i < g->convs->len; i++)
        f->streams[i] = ((const conv_rec *)g_ptr_array_index(g->convs, i))->stream;
    g_ptr_array_add(findings, f);
}

static void index_findings(void)
{
    g_free(find_start);
    g_free(find_ids);
    find_streams = conv_slots();
    find_start = g_new0(guint32, (gsize)find_streams + 1);
    /* Count (capped), sum, then fill in finding order. */
    for (guint id = 0; id < findings->len; id++) {
        const finding *f = (const finding *)g_ptr_array_index(findings, id);
        for (guint32 i = 0; i < f->count; i++)
            if (find_start[f->streams[i] + 1] < FINDINGS_SHOWN)
                find_start[f->streams[i] + 1]++;
    }
    for (guint32 s = 0; s < find_streams; s++)
        find_start[s + 1] += find_start[s];
    find_ids = g_new(guint32, find_start[find_streams] ? find_start[find_streams] : 1);
    guint32 *fill = g_new(guint32, (gsize)find_streams + 1);
    memcpy(fill, find_start, ((gsize)find_streams + 1) * sizeof *find_start);
    for (guint id = 0; id < findings->len; id++) {
        const finding *f = (const finding *)g_ptr_array_index(findings, id);
        for (guint32 i = 0; i < f->count; i++) {
            const guint32 st = f->streams[i];
            if (fill[st] < find_start[st + 1])
                find_ids[fill[st]++] = id;
        }
    }
    g_free(fill);
}

/* Is conversation `stream` in a finding of this kind? */
gboolean findings_has(guint32 stream, td_finding kind)
{
    if (!findings || stream >= find_streams)
        return FALSE;
    for (guint32 i = find_start[stream]; i < find_start[stream + 1]; i++)
        if (((const finding *)g_ptr_array_index(findings, find_ids[i]))->kind == kind)
            return TRUE;
    return FALSE;
}

/* SYN-ACK times of one listener, and the attempts whose SYNs it may have
 * dropped (accept-queue-full). */
typedef struct {
    GArray    *answers;  /* double: first SYN-ACK of each conversation */
    GPtrArray *dropped;  /* conv_rec *: SYNs unanswered or sent again */
} listener_seen;

static void listener_seen_free(gpointer p)
{
    listener_seen *l = (listener_seen *)p;
    g_array_free(l->answers, TRUE);
    g_ptr_array_free(l->dropped, TRUE);
    g_free(l);
}

static listener_seen *listener_seen_of(GHashTable *h, const char *key)
{
    listener_seen *l = (listener_seen *)g_hash_table_lookup(h, key);
    if (!l) {
        l = g_new(listener_seen, 1);
        l->answers = g_array_new(FALSE, FALSE, sizeof(double));
        l->dropped = g_ptr_array_new();
        g_hash_table_insert(h, g_strdup(key), l);
    }
    return l;
}

static int cmp_double(gconstpointer a, gconstpointer b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* SYNs from `first` to `last` unanswered (or answered late) while the
 * listener answered another conversation's SYN at most a second before or
 * after.  l->answers is sorted. */
static gboolean answered_others_meanwhile(const listener_seen *l, double first, double last,
                                          double own)
{
    guint lo = 0, hi = l->answers->len;

    while (lo < hi) {   /* the first answer at or after first - 1 s */
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(l->answers, double, mid) < first - 1.0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (guint i = lo; i < l->answers->len; i++) {
        double t = g_array_index(l->answers, double, i);
        if (t > last + 1.0)
            break;
        if (t != own)
            return TRUE;
    }
    return FALSE;
}

/*
 * Group every conversation by what it has in common with others and
 * compare the groups with the thresholds (preferences).  Needs every
 * conversation's end: done once, after the first pass (later passes, the
 * GUI, the tables).
 */
void findings_compute(void)
{
    GHashTable *flood, *scan, *leak, *tw, *burst, *ping, *aq, *seen, *oneway_t;
    group *oneway;
    guint convs_started = 0, oneway_clients = 0;
    GHashTableIter it;
    gpointer k, val;
    const td_prefs prefs = tcpdiag_engine_prefs();
    const double now = conv_capture_end();

    if (findings_done && findings_at == conv_packets_read())
        return;
    if (findings)
        g_ptr_array_free(findings, TRUE);
    findings_done = TRUE;
    findings_at = conv_packets_read();
    findings = g_ptr_array_new_with_free_func(finding_free);
    flood = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    scan = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    leak = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    tw = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    burst = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    ping = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    aq = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, listener_seen_free);
    oneway_t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free);
    oneway = group_of(oneway_t, "capture");

    for (guint32 i = 0; i < conv_slots(); i++) {
        conv_rec *cr = conv_lookup(i);
        td_conv scratch;
        if (!cr || (!cr->full && cr->nlog == 0))
            continue;
        const td_conv *c = conv_view(cr, &scratch);
        if (!(c->flags & TD_C_STARTED))
            continue;
        convs_started++;
        const int sender = td_conv_one_way(c, NULL);
        if (sender >= 0) {
            /* The other side's states are inferred: no finding about them. */
            group_add(oneway, cr, c->first_ts, NULL);
            oneway_clients += sender == c->client;
            continue;
        }
        const int cl = c->client, sv = 1 - c->client;
        const td_endpoint *ce = &c->ep[cl], *se = &c->ep[sv];
        const td_verdict v = td_conv_verdict(c, now, &prefs);
        const address sa = conv_addr(cr, sv), ca = conv_addr(cr, cl);
        char *listener = (char *)conv_endpoint_str(&sa, c->port[sv], NULL);
        char *server = address_to_str(NULL, &sa);
        char *client = address_to_str(NULL, &ca);
        const gboolean attempt = c->role_basis == TD_ROLE_SYN;

        switch (v.outcome) {
        case TD_OUT_SYN_PENDING: case TD_OUT_SYN_UNANSWERED:
        case TD_OUT_SYNACK_PENDING: case TD_OUT_SYNACK_UNANSWERED:
            if (attempt) {
                group *g = group_of(flood, listener);
                group_add(g, cr, c->first_ts, client);
                g->a += se->synack_count > 0;
                /* SYN-ACKs old enough that Linux would have retransmitted
                 * them (first after 1 s) unless they were SYN cookies. */
                if (se->synack_count > 0 && now - c->synack_ts >= 1.5) {
                    g->c++;
                    g->b += se->synack_count > 1;
                }
            }
            break;
        default:
            break;
        }
        if (attempt) {
            group *g = group_of(scan, client);
            group_add(g, cr, c->first_ts, listener);
            switch (v.outcome) {
            case TD_OUT_REFUSED: case TD_OUT_ICMP_UNREACHABLE: case TD_OUT_SYN_PENDING:
            case TD_OUT_SYN_UNANSWERED: case TD_OUT_CLIENT_ABORTED:
                g->a++;
                break;
            default:
                break;
            }
        }
        if (se->state == TD_CLOSE_WAIT)
            group_add(group_of(leak, listener), cr, c->first_ts, client);
        /* TIME_WAIT lasts 60 s on Linux (240 s elsewhere): count only
         * those entered in the last 60 s of the capture. */
        const gboolean tw_now = ce->state == TD_TIME_WAIT && now - ce->state_ts < 60.0;
        const gboolean reused_tw = c->reuse_of && (c->reuse_time_wait & 1);
        if (tw_now || reused_tw) {
            group *g = group_of(tw, client);
            group_add(g, cr, c->last_ts, NULL);
            g->a += tw_now;
            g->b += reused_tw;
        }
        if (c->flags & TD_C_HANDSHAKE) {
            /* A server that closes connections normally (HTTP/1.0, idle
             * timeouts) does not count: only resets, and FINs the clients
             * never acknowledged (FIN_WAIT1: the clients were gone or cut
             * off when the server went down). */
            double t = -1.0;
            if (c->first_fin_by == sv && se->state == TD_FIN_WAIT1 && !c->rst_frame)
                t = se->fin_ts;
            else if (c->rst_frame && c->rst_by == sv)
                t = c->rst_ts;
            if (t >= 0.0) {
                group *g = group_of(burst, server);
                group_add(g, cr, t, NULL);
                g->a += se->state == TD_FIN_WAIT1;
                g->b += c->rst_frame && c->rst_by == sv;
            }
        }
        if (v.outcome == TD_OUT_SYN_UNANSWERED && g_hash_table_contains(echo_hosts, server))
            group_add(group_of(ping, server), cr, c->first_ts, listener);
        if (attempt) {
            /* The listener's answers, and SYNs it may have dropped. */
            listener_seen *l = listener_seen_of(seen, listener);
            if (c->synack_frame)
                g_array_append_val(l->answers, c->synack_ts);
            if (v.outcome == TD_OUT_ACCEPT_QUEUE_FULL) {
                group *g = group_of(aq, listener);
                group_add(g, cr, c->first_ts, client);
                g->a++;
            } else if (ce->syn_count > 1) {
                /* Linux clients send a SYN again that a full queue dropped:
                 * a single SYN is a scanner's or an impatient client's. */
                g_ptr_array_add(l->dropped, cr);
            }
        }
        wmem_free(NULL, listener);
        wmem_free(NULL, server);
        wmem_free(NULL, client);
    }

    double span;
    g_hash_table_iter_init(&it, flood);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        guint most;
        guint sources = max_in_window(g, pref_flood_window, &most, &span);
        /* Without a single SYN-ACK, many clients retrying look the same as
         * a flood: an outage, not a finding of this kind. */
        if (most < MAX(pref_flood_min, 1u) || sources < MAX(pref_flood_sources, 1u) || g->a == 0)
            continue;
        sources = g_hash_table_size(g->distinct);
        GString *t = g_string_new(NULL);
        g_string_printf(t, "SYN flood toward %s: %u connection attempts from %u source "
                        "addresses left half-open or unanswered, up to %u within %.1f s; %u "
                        "answered with SYN-ACK, %u never answered",
                        (const char *)k, g->convs->len, sources, most, span, g->a,
                        g->convs->len - g->a);
        if (g->c > 0)
            g_string_append_printf(t, "; of %u SYN-ACKs older than 1.5 s, %u were retransmitted",
                                   g->c, g->b);
        if (g->c > 0 && g->b * 2 < g->c)
            g_string_append(t, ": most never were, so the server answered with SYN cookies and "
                               "kept no state for them (net.ipv4.tcp_syncookies)");
        else if (g->b > 0 && g->convs->len > g->a)
            g_string_append(t, ", and later SYNs got no answer: the listen queue filled up "
                               "(no SYN cookies)");
        add_finding(TD_FIND_SYN_FLOOD, (const char *)k, g, g_string_free(t, FALSE));
    }
    g_hash_table_iter_init(&it, scan);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        guint most;
        guint in_window = max_in_window(g, pref_scan_window, &most, &span);
        guint targets = g_hash_table_size(g->distinct);
        if (in_window < MAX(pref_scan_min, 1u) ||
            (guint64)g->a * 100 < (guint64)g->convs->len * pref_scan_failed_pct)
            continue;
        add_finding(TD_FIND_SCAN, (const char *)k, g, g_strdup_printf(
            "Scan from %s: SYNs to %u targets (address and port) in %u conversations, up to %u "
            "within %.1f s; %u (%u%%) refused, rejected or unanswered",
            (const char *)k, targets, g->convs->len, most, span, g->a,
            g->convs->len ? (guint)((guint64)g->a * 100 / g->convs->len) : 0));
    }
    g_hash_table_iter_init(&it, leak);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        if (g->convs->len < MAX(pref_leak_min, 1u))
            continue;
        add_finding(TD_FIND_CLOSE_WAIT_LEAK, (const char *)k, g, g_strdup_printf(
            "%s ends the capture with %u connections in CLOSE_WAIT from %u client addresses: its "
            "clients closed, its application never called close() on them",
            (const char *)k, g->convs->len, g_hash_table_size(g->distinct)));
    }
    g_hash_table_iter_init(&it, tw);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        if (g->a < MAX(pref_tw_min, 1u) && g->b < MAX(pref_tw_reuse_min, 1u))
            continue;
        add_finding(TD_FIND_TIME_WAIT_CHURN, (const char *)k, g, g_strdup_printf(
            "Client %s ends the capture holding %u connections in TIME_WAIT (closed by it first "
            "in the last 60 s); %u of its new connections reused a port it still held in TIME_WAIT",
            (const char *)k, g->a, g->b));
    }
    g_hash_table_iter_init(&it, burst);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        guint most;
        (void)max_in_window(g, pref_burst_window_ms / 1000.0, &most, &span);
        if (most < MAX(pref_burst_min, 1u))
            continue;
        add_finding(TD_FIND_SHUTDOWN_BURST, (const char *)k, g, g_strdup_printf(
            "Server %s reset or closed without an acknowledgement %u connections, up to %u "
            "within %.1f ms: a shutdown with clients connected; %u of them reset, %u left in "
            "FIN_WAIT1 with the FIN never acknowledged", (const char *)k, g->convs->len, most,
            span * 1e3, g->b, g->a));
    }
    g_hash_table_iter_init(&it, ping);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        GString *ports = g_string_new(NULL);
        GHashTableIter pit;
        gpointer pk;
        g_hash_table_iter_init(&pit, g->distinct);
        while (g_hash_table_iter_next(&pit, &pk, NULL))
            g_string_append_printf(ports, "%s%s", ports->len ? ", " : "", (const char *)pk);
        add_finding(TD_FIND_PING_NO_TCP, (const char *)k, g, g_strdup_printf(
            "%s answered %u ICMP echo requests, but %u connection attempts to %s were never "
            "answered: the host is up and reachable, a firewall drops the TCP port",
            (const char *)k, GPOINTER_TO_UINT(g_hash_table_lookup(echo_hosts, k)),
            g->convs->len, ports->str));
        g_string_free(ports, TRUE);
    }
    g_hash_table_iter_init(&it, aq);
    while (g_hash_table_iter_next(&it, &k, &val)) {
        group *g = (group *)val;
        listener_seen *l = (listener_seen *)g_hash_table_lookup(seen, k);
        /* Only while the queue is shown full: from the first conversation
         * it did not take to the last one's end, a second either side. */
        double span_lo = G_MAXDOUBLE, span_hi = -G_MAXDOUBLE;
        for (guint i = 0; i < g->convs->len; i++) {
            td_conv scratch;
            const td_conv *c = conv_view((conv_rec *)g_ptr_array_index(g->convs, i), &scratch);
            /* The queue was shown full until the server took it, reset
             * it, or last sent its SYN-ACK again. */
            double until = c->late_open_frame ? c->late_open_ts
                           : c->rst_frame ? c->rst_ts : c->last_synack_ts;
            span_lo = MIN(span_lo, c->first_ts - 1.0);
            span_hi = MAX(span_hi, until + 1.0);
        }
        if (l)
            g_array_sort(l->answers, cmp_double);
        for (guint i = 0; l && i < l->dropped->len; i++) {
            conv_rec *cr = (conv_rec *)g_ptr_array_index(l->dropped, i);
            td_conv scratch;
            const td_conv *c = conv_view(cr, &scratch);
            const double first = c->syn0_ts, last = c->last_syn_ts;
            if (last < span_lo || first > span_hi)
                continue;
            if (answered_others_meanwhile(l, first, last, c->synack_frame ? c->synack_ts : -1.0)) {
                const address ca = conv_addr(cr, c->client);
                char *client = address_to_str(NULL, &ca);
                group_add(g, cr, c->first_ts, client);
                wmem_free(NULL, client);
                g->b++;
            }
        }
        add_finding(TD_FIND_ACCEPT_QUEUE, (const char *)k, g, g_strdup_printf(
            "Listener %s: accept queue full: %u connection%s whose handshake ACK it did not take "
            "(its SYN-ACK sent again, or the listener's reset), and %u connection attempt%s whose "
            "SYNs went unanswered or had to be sent again while it answered other clients' (Linux "
            "drops SYNs while the accept queue is full): its application does not call accept() "
            "fast enough; raise the listen() backlog (capped by net.core.somaxconn) or accept faster",
            (const char *)k, g->a, g->a == 1 ? "" : "s", g->b, g->b == 1 ? "" : "s"));
    }
    if (oneway->convs->len >= 2 && oneway->convs->len == convs_started) {
        const guint clients = oneway_clients;
        add_finding(TD_FIND_ONE_WAY_CAPTURE, "capture", oneway, g_strdup_printf(
            "Every one of the %u TCP conversations in this capture shows one direction only (%u "
            "only the client's packets, %u only the server's), and their acknowledgements prove "
            "the other direction carried packets: the capture point sees one direction of the "
            "traffic (asymmetric routing, a one-way tap or SPAN port, a capture filter); capture "
            "where both directions pass to diagnose the connections", oneway->convs->len,
            clients, oneway->convs->len - clients));
    }
    g_hash_table_destroy(oneway_t);
    g_hash_table_destroy(aq);
    g_hash_table_destroy(seen);
    g_hash_table_destroy(flood);
    g_hash_table_destroy(scan);
    g_hash_table_destroy(leak);
    g_hash_table_destroy(tw);
    g_hash_table_destroy(burst);
    g_hash_table_destroy(ping);
    index_findings();
}

guint tcpdiag_findings(const tcpdiag_finding_row **out, wmem_allocator_t *scope)
{
    tcpdiag_finding_row *rows;

    findings_compute();
    rows = wmem_alloc0_array(scope, tcpdiag_finding_row, findings->len + 1);
    for (guint i = 0; i < findings->len; i++) {
        const finding *f = (const finding *)g_ptr_array_index(findings, i);
        rows[i].token = td_finding_info[f->kind].token;
        rows[i].key = f->key;
        rows[i].text = f->text;
        rows[i].count = f->count;
    }
    *out = rows;
    return findings->len;
}

guint findings_of(guint32 stream, finding **out)
{
    guint n = 0;

    if (!findings || stream >= find_streams)
        return 0;
    for (guint32 i = find_start[stream]; i < find_start[stream + 1] && n < FINDINGS_SHOWN; i++)
        out[n++] = (finding *)g_ptr_array_index(findings, find_ids[i]);
    return n;
}

gboolean findings_known(void)
{
    return findings_done;
}

void findings_init(void)
{
    echo_hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    findings_done = FALSE;
    findings_at = 0;
}

void findings_cleanup(void)
{
    if (echo_hosts) {
        g_hash_table_destroy(echo_hosts);
        echo_hosts = NULL;
    }
    if (findings) {
        g_ptr_array_free(findings, TRUE);
        findings = NULL;
    }
    g_free(find_start);
    g_free(find_ids);
    find_start = find_ids = NULL;
    find_streams = 0;
    findings_done = FALSE;
}

void findings_register_prefs(module_t *module)
{
    prefs_register_uint_preference(module, "flood_min", "SYN flood: attempts",
        "Half-open or unanswered connection attempts toward one listener within the window "
        "that make a SYN flood", 10, &pref_flood_min);
    prefs_register_uint_preference(module, "flood_sources", "SYN flood: source addresses",
        "...coming from at least this many source addresses", 10, &pref_flood_sources);
    prefs_register_uint_preference(module, "flood_window_s", "SYN flood: window (s)",
        "The time window for the SYN flood count", 10, &pref_flood_window);
    prefs_register_uint_preference(module, "scan_min", "Scan: targets",
        "Distinct targets (address and port) one source sends SYNs to within the window", 10,
        &pref_scan_min);
    prefs_register_uint_preference(module, "scan_window_s", "Scan: window (s)",
        "The time window for the scan count", 10, &pref_scan_window);
    prefs_register_uint_preference(module, "scan_failed_pct", "Scan: failed (%)",
        "Share of the source's attempts that were refused, rejected or unanswered", 10,
        &pref_scan_failed_pct);
    prefs_register_uint_preference(module, "close_wait_min", "CLOSE_WAIT leak: connections",
        "Connections one server (address and port) leaves in CLOSE_WAIT", 10, &pref_leak_min);
    prefs_register_uint_preference(module, "time_wait_min", "TIME_WAIT churn: connections",
        "Connections one client address leaves in TIME_WAIT", 10, &pref_tw_min);
    prefs_register_uint_preference(module, "time_wait_reuse_min", "TIME_WAIT churn: port reuses",
        "...or new connections reusing a port it still holds in TIME_WAIT", 10, &pref_tw_reuse_min);
    prefs_register_uint_preference(module, "burst_min", "Shutdown burst: connections",
        "Connections one server closes or resets within the window", 10, &pref_burst_min);
    prefs_register_uint_preference(module, "burst_window_ms", "Shutdown burst: window (ms)",
        "The time window for the shutdown burst count", 10, &pref_burst_window_ms);
}
