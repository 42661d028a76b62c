/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-conv.c - the conversation records (tcpdiag-conv.h).
 *
 * While a conversation has seen only opening segments (td_log.h) it is
 * kept as those segments and rebuilt when asked for; past its opening it
 * has the engine's state (td_conv) and the records of the frames where
 * the endpoint states changed or an event happened: nothing is kept for
 * the others.
 */
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/address.h>
#include <epan/to_str.h>

#include "tcpdiag-conv.h"
#include "tcpdiag-input.h"
#include "tcpdiag-wants.h"

#if GLIB_SIZEOF_VOID_P == 8
/* The sizes the README gives ("How it reads packets, and what it costs"). */
G_STATIC_ASSERT(sizeof(conv_rec) == 56);
G_STATIC_ASSERT(sizeof(frame_rec) == 16);
G_STATIC_ASSERT(sizeof(td_conv) == 856);
G_STATIC_ASSERT(sizeof(conv_state) == 896);
G_STATIC_ASSERT(sizeof(verdict_cache) == 56);
G_STATIC_ASSERT(sizeof(td_more) == 432);
G_STATIC_ASSERT(sizeof(td_rst) == 168);
#endif

/* The origins (td_origin) of the few conversations that reuse an earlier
 * one's addresses and ports, by tcp.stream: kept aside, not in every
 * record. */
static GHashTable *reuse_origins;

/* Conversations indexed by tcp.stream. */
static conv_rec **convs;
static guint32 convs_cap;
/* The latest conversation on each pair of addresses and ports, to tell a
 * new connection on the same ports (port reuse) where it came from: open
 * addressing, tcp.stream + 1 in each slot (0: empty), at most half full. */
static guint32 *latest;
static guint32 latest_cap, latest_used;
static double capture_last_ts;
static gboolean capture_started;
static nstime_t capture_base;   /* first frame's time: times are relative to it */

guint tcpdiag_pref_answer_wait_ms = 3000;
static guint64 packets_read;

td_prefs tcpdiag_engine_prefs(void)
{
    td_prefs p;
    td_prefs_default(&p);
    p.answer_wait = tcpdiag_pref_answer_wait_ms / 1000.0;
    return p;
}

/* Seconds since the first frame.  Relative, so that a double keeps
 * nanoseconds (epoch seconds in a double keep only ~0.2 us). */
double conv_frame_time(const packet_info *pinfo)
{
    return (double)(pinfo->abs_ts.secs - capture_base.secs) +
           (pinfo->abs_ts.nsecs - capture_base.nsecs) * 1e-9;
}

conv_rec *conv_lookup(guint32 stream)
{
    return stream < convs_cap ? convs[stream] : NULL;
}

conv_rec *conv_create(guint32 stream, const address *src, const address *dst,
                             guint16 sport, guint16 dport)
{
    conv_rec *cr;

    if (!tcpdiag_ip_address(src) || !tcpdiag_ip_address(dst))
        return NULL;
    if (stream >= convs_cap) {
        guint32 ncap = convs_cap ? convs_cap : 1024;
        while (ncap <= stream && ncap < G_MAXUINT32 / 2)
            ncap *= 2;
        if (ncap <= stream)
            return NULL;
        convs = (conv_rec **)g_realloc_n(convs, ncap, sizeof *convs);
        memset(convs + convs_cap, 0, (ncap - convs_cap) * sizeof *convs);
        convs_cap = ncap;
    }
    cr = g_new0(conv_rec, 1);
    cr->stream = stream;
    /* Both of a family, except in crafted input (an exported PDU can
     * name any two addresses). */
    cr->v6 = (guint8)((src->type == AT_IPv6 ? 1u : 0u) | (dst->type == AT_IPv6 ? 2u : 0u));
    cr->port[0] = sport;
    cr->port[1] = dport;
    memcpy(cr->addr_data[0], src->data, (size_t)src->len);
    memcpy(cr->addr_data[1], dst->data, (size_t)dst->len);
    convs[stream] = cr;
    return cr;
}

/* The address of endpoint i (pointing into the record). */
address conv_addr(const conv_rec *cr, int i)
{
    address a;

    const gboolean v6 = (cr->v6 >> i) & 1u;

    set_address(&a, v6 ? AT_IPv6 : AT_IPv4, v6 ? 16 : 4, cr->addr_data[i]);
    return a;
}

/* What a kept conversation is rebuilt from. */
static td_origin origin_of(const conv_rec *cr)
{
    if (cr->reused) {
        const td_origin *o = (const td_origin *)g_hash_table_lookup(reuse_origins,
                                                                    GUINT_TO_POINTER(cr->stream + 1));
        if (o)
            return *o;
    }
    td_origin o;
    memset(&o, 0, sizeof o);
    o.port[0] = cr->port[0];
    o.port[1] = cr->port[1];
    return o;
}

/* Rebuild a kept conversation from its first n segments; the step of
 * each in `steps` (may be NULL), the last one's returned. */
td_step conv_replay(const conv_rec *cr, guint32 n, td_conv *c, td_step *steps)
{
    const td_origin o = origin_of(cr);
    return td_log_replay(c, &o, cr->u.log, n, steps);
}

/* The conversation's engine state: its own, or rebuilt from its kept
 * segments into `scratch`. */
const td_conv *conv_view(const conv_rec *cr, td_conv *scratch)
{
    if (cr->full)
        return &cr->u.state->conv;
    conv_replay(cr, cr->nlog, scratch, NULL);
    return scratch;
}

/* From now on a td_conv: past its opening, or about to be told of an ICMP
 * error.  The kept segments' steps become its per-frame records. */
conv_state *conv_state_of(conv_rec *cr)
{
    if (!cr->full) {
        td_step steps[TD_LOG_MAX];
        conv_state *cs = g_new0(conv_state, 1);
        conv_replay(cr, cr->nlog, &cs->conv, steps);
        for (guint32 i = 0; i < cr->nlog; i++)
            conv_record_step(cs, cr->u.log[i].frame, &steps[i]);
        g_free(cr->u.log);
        cr->u.state = cs;
        cr->full = TRUE;
        cr->nlog = 0;
    }
    return cr->u.state;
}

/* Hash of a conversation's endpoints, the same either way round. */
static guint32 ports_hash(const conv_rec *cr)
{
    const address a0 = conv_addr(cr, 0), a1 = conv_addr(cr, 1);
    guint32 h = add_address_to_hash(cr->port[0], &a0) ^ add_address_to_hash(cr->port[1], &a1);

    /* Mixed (MurmurHash3's finalizer): the table takes the low bits. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static gboolean ports_equal(const conv_rec *x, const conv_rec *y)
{
    for (int k = 0; k < 2; k++) {
        const address x0 = conv_addr(x, 0), x1 = conv_addr(x, 1);
        const address y0 = conv_addr(y, k), y1 = conv_addr(y, 1 - k);
        if (x->port[0] == y->port[k] && x->port[1] == y->port[1 - k] &&
            addresses_equal(&x0, &y0) && addresses_equal(&x1, &y1))
            return TRUE;
    }
    return FALSE;
}

/* The slot of cr's addresses and ports in `latest`: its conversation, or
 * the empty slot where it goes. */
static guint32 *latest_slot(const conv_rec *cr)
{
    const guint32 mask = latest_cap - 1;

    for (guint32 i = ports_hash(cr) & mask;; i = (i + 1) & mask) {
        const conv_rec *o = latest[i] ? conv_lookup(latest[i] - 1) : NULL;
        if (!latest[i] || (o && ports_equal(o, cr)))
            return &latest[i];
    }
}

static void latest_grow(void)
{
    guint32 *old = latest, old_cap = latest_cap;

    latest_cap = latest_cap ? latest_cap * 2 : 1024;
    latest = g_new0(guint32, latest_cap);
    for (guint32 i = 0; i < old_cap; i++) {
        const conv_rec *o = old[i] ? conv_lookup(old[i] - 1) : NULL;
        if (o)
            *latest_slot(o) = old[i];
    }
    g_free(old);
}

/* Before its first segment: tie a new conversation to the latest one on
 * the same addresses and ports, and make it the latest. */
void conv_link_port_reuse(conv_rec *cr)
{
    if ((guint64)(latest_used + 1) * 2 > latest_cap) {
        if (latest_cap >= G_MAXUINT32 / 4)
            return; /* a billion conversations: no more port reuse links */
        latest_grow();
    }
    guint32 *slot = latest_slot(cr);
    conv_rec *prev = *slot ? conv_lookup(*slot - 1) : NULL;

    if (prev && prev != cr) {
        td_conv scratch, fresh;
        td_conv_init(&fresh, cr->port[0], cr->port[1]);
        td_conv_set_reuse(&fresh, conv_view(prev, &scratch), prev->stream);
        td_origin *o = g_new(td_origin, 1);
        *o = td_origin_of(&fresh);
        g_hash_table_replace(reuse_origins, GUINT_TO_POINTER(cr->stream + 1), o);
        cr->reused = TRUE;
    }
    if (!*slot)
        latest_used++;
    *slot = cr->stream + 1;
}

static void conv_free(conv_rec *cr)
{
    if (cr->full) {
        conv_state *cs = cr->u.state;
        td_conv_free(&cs->conv);
        g_free(cs->recs);
        g_free(cs->icmp_source);
        if (cs->cache) {
            g_free(cs->cache->summary);
            g_free(cs->cache->lines);
            g_free(cs->cache);
        }
        g_free(cs);
    } else {
        g_free(cr->u.log);
    }
    g_free(cr);
}

/* Which endpoint sent a segment with these addresses and ports. */
int conv_endpoint_of(const conv_rec *cr, const address *src, guint16 sport, guint16 dport)
{
    const guint16 *port = cr->port;

    if (port[0] != port[1]) {
        if (sport == port[0] && dport == port[1])
            return 0;
        if (sport == port[1] && dport == port[0])
            return 1;
        return -1;
    }
    if (sport != port[0])
        return -1;
    for (int i = 0; i < 2; i++) {
        const address a = conv_addr(cr, i);
        if (addresses_equal(src, &a))
            return i;
    }
    return -1;
}

void conv_record_step(conv_state *cs, guint32 frame, const td_step *st)
{
    frame_rec *r;

    if (!st->changed || tcpdiag_single_pass())
        return;
    if (cs->nrecs == cs->caprecs) {
        cs->caprecs = cs->caprecs ? cs->caprecs * 2 : 4;
        cs->recs = (frame_rec *)g_realloc_n(cs->recs, cs->caprecs, sizeof *cs->recs);
    }
    r = &cs->recs[cs->nrecs++];
    r->frame = frame;
    r->client_state = st->client_state;
    r->server_state = st->server_state;
    r->event = st->event;
    r->pad = 0;
    r->count = st->count;
    r->interval = (float)st->interval;
}

/* The step as it was on the first pass: the last record at or before the
 * frame gives the states; an event only if the record is this frame's. */
td_step conv_recorded_step(const conv_rec *cr, guint32 frame)
{
    td_step st;

    memset(&st, 0, sizeof st);
    if (!cr->full) {
        /* Replayed: every segment of the conversation is in its log. */
        td_step steps[TD_LOG_MAX];
        td_conv scratch;
        guint32 i = 0;
        while (i < cr->nlog && cr->u.log[i].frame <= frame)
            i++;
        if (i == 0)
            return st;
        conv_replay(cr, i, &scratch, steps);
        st.client_state = steps[i - 1].client_state;
        st.server_state = steps[i - 1].server_state;
        if (cr->u.log[i - 1].frame == frame && steps[i - 1].changed) {
            st.event = steps[i - 1].event;
            st.count = steps[i - 1].count;
            st.interval = (float)steps[i - 1].interval; /* as a record keeps it */
        }
        return st;
    }

    const conv_state *cs = cr->u.state;
    guint32 lo = 0, hi = cs->nrecs;
    while (lo < hi) {
        guint32 mid = lo + (hi - lo) / 2;
        if (cs->recs[mid].frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return st;
    const frame_rec *r = &cs->recs[lo - 1];
    st.client_state = r->client_state;
    st.server_state = r->server_state;
    if (r->frame == frame) {
        st.event = r->event;
        st.count = r->count;
        st.interval = r->interval;
    }
    return st;
}

char *conv_endpoint_str(const address *a, guint16 port, wmem_allocator_t *scope)
{
    char *s = address_to_str(scope, a);
    char *r = a->type == AT_IPv6 ? wmem_strdup_printf(scope, "[%s]:%u", s, port)
                                 : wmem_strdup_printf(scope, "%s:%u", s, port);
    wmem_free(scope, s);
    return r;
}

void conv_clock_tick(const packet_info *pinfo)
{
    if (!capture_started) {
        capture_base = pinfo->abs_ts;
        capture_started = TRUE;
    }
    const double ts = conv_frame_time(pinfo);
    if (ts > capture_last_ts)
        capture_last_ts = ts;
    packets_read++;
}

double conv_capture_end(void)
{
    return capture_last_ts;
}

/* First-pass packets read: what was computed from every conversation is
 * computed again when it moved (a live capture in the GUI re-dissects
 * packets while it goes on). */
guint64 conv_packets_read(void)
{
    return packets_read;
}

guint32 conv_slots(void)
{
    return convs_cap;
}

void conv_init(void)
{
    capture_last_ts = 0.0;
    capture_started = FALSE;
    nstime_set_zero(&capture_base);
    packets_read = 0;
    reuse_origins = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
}

void conv_cleanup(void)
{
    for (guint32 i = 0; i < convs_cap; i++)
        if (convs[i])
            conv_free(convs[i]);
    g_free(convs);
    convs = NULL;
    convs_cap = 0;
    g_free(latest);
    latest = NULL;
    latest_cap = latest_used = 0;
    if (reuse_origins) {
        g_hash_table_destroy(reuse_origins);
        reuse_origins = NULL;
    }
}
