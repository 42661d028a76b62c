/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * packet-tcpdiag.c - the Wireshark side of tcpdiag: notes the TCP and ICMP
 * headers the IP layer hands on (from the "ip.proto" table, see
 * layer_note), and a post-dissector that feeds them to the engine (core/),
 * keeps what the engine says per frame, and shows it as fields, expert
 * items and an Info-column note to whoever looks (td_wants).  No diagnosis
 * is decided here.
 *
 * Passes: on the first pass (frame not yet visited) every TCP segment is fed
 * to its conversation's engine, and a record is kept for frames where the
 * endpoint states changed or an event happened; nothing is allocated for
 * the others.  On later passes (the GUI, tshark -2) states are looked up
 * from those records and the outcome is the one known at the end of the
 * capture.
 */
#include <dlfcn.h>
#include <math.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/address.h>
#include <epan/column-info.h>
#include <epan/conversation.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/exceptions.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/ftypes/ftypes.h>
#include <epan/tap.h>
#include <epan/ipproto.h>
#include <epan/dissectors/packet-ip.h>
#include <epan/dissectors/packet-tcp.h>
#include "ws-compat.h"

#include "core/td_cmdline.h"
#include "core/td_engine.h"
#include "core/td_log.h"
#include "core/td_text.h"
#include "packet-tcpdiag.h"

static int proto_tcpdiag = -1;
int tcpdiag_tap = -1;

static int hf_stream = -1;
static int hf_client_state = -1;
static int hf_server_state = -1;
static int hf_outcome = -1;
static int hf_outcome_final = -1;
static int hf_summary = -1;
static int hf_client_errno = -1;
static int hf_client_error = -1;
static int hf_role_basis = -1;
static int hf_syn_count = -1;
static int hf_synack_count = -1;
static int hf_syn_schedule = -1;
static int hf_syn_frame = -1;
static int hf_answer_frame = -1;
static int hf_synack_delay = -1;
static int hf_handshake_rtt = -1;
static int hf_unanswered_for = -1;
static int hf_retransmission = -1;
static int hf_retransmission_interval = -1;
static int hf_icmp_about = -1;
static int hf_conn_state = -1;
static int hf_closed_by = -1;
static int hf_close_type = -1;
static int hf_time_wait = -1;
static int hf_reset_by = -1;
static int hf_client_bytes = -1;
static int hf_server_bytes = -1;
static int hf_client_fins = -1;
static int hf_server_fins = -1;
static int hf_idle = -1;
static int hf_reuse_of = -1;
static int hf_history = -1;
static int hf_client_ttl = -1;
static int hf_client_hops = -1;
static int hf_server_ttl = -1;
static int hf_server_hops = -1;
static int hf_client_ipid = -1;
static int hf_server_ipid = -1;
static int hf_client_rtt = -1;
static int hf_server_rtt = -1;
static int hf_reset_assessment = -1;
static int hf_rst_claimed = -1;
static int hf_rst_assessment = -1;
static int hf_rst_evidence = -1;
static int hf_rst_finding = -1;
static int hf_rst_accepted = -1;
static int hf_rst_ttl = -1;
static int hf_rst_hops = -1;
static int hf_rst_ip_id = -1;
static int hf_rst_seq_offset = -1;
static int hf_rst_ack_offset = -1;
static int hf_finding = -1;
static int hf_client_retransmissions = -1;
static int hf_server_retransmissions = -1;
static int hf_retransmission_schedule = -1;
static int hf_zero_window_for = -1;
static int hf_zero_window_probes = -1;
static int hf_keepalives = -1;
static int hf_idle_before_cut = -1;
static int hf_path_mtu = -1;
static int hf_opened_late_by = -1;
static int hf_finding_text = -1;

static gint ett_tcpdiag = -1;
static gint ett_rst = -1;
static gint ett_text = -1;
static gint ett_text_line = -1;

/* Wireshark cuts item labels at ITEM_LABEL_LENGTH bytes: a line of an
 * explanation keeps well within it. */
#define TEXT_LINE_MAX   (ITEM_LABEL_LENGTH - 40)
#define EXPERT_CUT_MARK " [...]"

static expert_field ei_outcome[TD_OUT_COUNT];
static expert_field ei_event[TD_EV_COUNT];
static expert_field ei_rst[TD_RST_LEVEL_COUNT];
static expert_field ei_finding[TD_FIND_COUNT];

static dissector_handle_t tcpdiag_handle;

/* Preferences. */
static guint pref_answer_wait_ms = 3000;
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

static layer_note tcp_note, icmp_note;
static dissector_handle_t tcp_handle, icmp_handle, icmpv6_handle;
static protocol_t *tcpdiag_protocol;
static int proto_tcp = -1, proto_ws_expert = -1, expert_tap = -1;
static int proto_noted_tcp = -1, proto_noted_icmp = -1, proto_noted_icmpv6 = -1;

/* A protocol in name only standing in front of `parent` (see the handoff). */
static int register_noted(const char *parent, const char *name, const char *filter)
{
    const int id = proto_get_id_by_filter_name(parent);

    return id > 0 ? proto_register_protocol_in_name_only(name, name, filter, id, FT_PROTOCOL) : -1;
}

/* What we keep for a frame: only frames where something changed. */
typedef struct {
    guint32 frame;
    guint8  client_state, server_state, event, pad;
    guint32 count;
    float   interval;
} frame_rec;

/* The end-of-capture verdict of a conversation, kept for later passes
 * (allocated on the first of them: a single pass has none). */
typedef struct {
    double     now;
    td_verdict verdict;
    char      *summary;
    td_span   *lines;           /* its lines, once a visible tree showed them */
    guint32    nlines;
    td_rst_level rst_worst;
} verdict_cache;

/* A conversation past its opening: the engine's state and what the glue
 * keeps beside it. */
typedef struct {
    td_conv    conv;
    frame_rec *recs;
    guint32    nrecs, caprecs;
    char      *icmp_source; /* who sent the ICMP error, as text */
    verdict_cache *cache;
    /* First pass: the worst reset assessment an expert item has shown. */
    td_rst_level rst_shown;
} conv_state;

/*
 * One conversation.  While it has seen only opening segments (td_log.h)
 * it is kept as those segments, and rebuilt when asked for: the record of
 * a conversation of a SYN flood or a scan is this struct and its log.
 */
typedef struct {
    guint32    stream;      /* tcp.stream */
    guint16    port[2];     /* ports of endpoints 0 and 1 */
    guint8     v6;          /* bit i: endpoint i's address is IPv6 (else IPv4) */
    guint8     full;        /* u.state, else u.log */
    guint8     nlog;        /* segments in u.log */
    guint8     reused;      /* its origin is in `reuse_origins` */
    guint8     addr_data[2][16]; /* addresses of endpoints 0 and 1 */
    union {
        conv_state *state;
        td_logged  *log;
    } u;
} conv_rec;

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

/* tshark without -2: frames are never visited again, so nothing is kept
 * per frame for later passes (the GUI and tshark -2 keep it). */
static gboolean single_pass;

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

static td_prefs engine_prefs(void)
{
    td_prefs p;
    td_prefs_default(&p);
    p.answer_wait = pref_answer_wait_ms / 1000.0;
    return p;
}

/* Seconds since the first frame.  Relative, so that a double keeps
 * nanoseconds (epoch seconds in a double keep only ~0.2 us). */
static double frame_time(const packet_info *pinfo)
{
    return (double)(pinfo->abs_ts.secs - capture_base.secs) +
           (pinfo->abs_ts.nsecs - capture_base.nsecs) * 1e-9;
}

/* Only IP addresses are noted: TCP can also be reached without them (an
 * exported PDU naming the ip.proto table), and then nothing is noted. */
static gboolean ip_address(const address *a)
{
    return (a->type == AT_IPv4 && a->len == 4) || (a->type == AT_IPv6 && a->len == 16);
}

static conv_rec *conv_lookup(guint32 stream)
{
    return stream < convs_cap ? convs[stream] : NULL;
}

static conv_rec *conv_create(guint32 stream, const address *src, const address *dst,
                             guint16 sport, guint16 dport)
{
    conv_rec *cr;

    if (!ip_address(src) || !ip_address(dst))
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
static address conv_addr(const conv_rec *cr, int i)
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
static td_step conv_replay(const conv_rec *cr, guint32 n, td_conv *c, td_step *steps)
{
    const td_origin o = origin_of(cr);
    return td_log_replay(c, &o, cr->u.log, n, steps);
}

/* The conversation's engine state: its own, or rebuilt from its kept
 * segments into `scratch`. */
static const td_conv *conv_view(const conv_rec *cr, td_conv *scratch)
{
    if (cr->full)
        return &cr->u.state->conv;
    conv_replay(cr, cr->nlog, scratch, NULL);
    return scratch;
}

static void record_step(conv_state *cs, guint32 frame, const td_step *st);

/* From now on a td_conv: past its opening, or about to be told of an ICMP
 * error.  The kept segments' steps become its per-frame records. */
static conv_state *conv_state_of(conv_rec *cr)
{
    if (!cr->full) {
        td_step steps[TD_LOG_MAX];
        conv_state *cs = g_new0(conv_state, 1);
        conv_replay(cr, cr->nlog, &cs->conv, steps);
        for (guint32 i = 0; i < cr->nlog; i++)
            record_step(cs, cr->u.log[i].frame, &steps[i]);
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
static void link_port_reuse(conv_rec *cr)
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
static int endpoint_of(const conv_rec *cr, const address *src, guint16 sport, guint16 dport)
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

static void record_step(conv_state *cs, guint32 frame, const td_step *st)
{
    frame_rec *r;

    if (!st->changed || single_pass)
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
static td_step recorded_step(const conv_rec *cr, guint32 frame)
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

/* ---- presentation --------------------------------------------------- */

static void add_reltime(proto_tree *tree, int hf, tvbuff_t *tvb, double secs)
{
    nstime_t t;

    if (!(secs >= 0.0))
        secs = 0.0;
    t.secs = (time_t)floor(secs);
    t.nsecs = (int)((secs - floor(secs)) * 1e9);
    if (t.nsecs >= 1000000000) {
        t.secs++;
        t.nsecs -= 1000000000;
    }
    proto_item_set_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &t));
}

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *s)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, s));
}

static void add_uint(proto_tree *tree, int hf, tvbuff_t *tvb, guint32 v)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, v));
}

/* The PI_* value of a severity or group: its name (td_diag.h) looked up in
 * Wireshark's own table of names, so that what tcpdiag registers and what
 * its reference says are the same.  A name Wireshark does not know is a
 * programming error, caught when the plugin registers. */
static int expert_value(const char *name, const value_string *vals)
{
    for (int i = 0; vals[i].strptr; i++)
        if (strcmp(vals[i].strptr, name) == 0)
            return (int)vals[i].value;
    ws_error("tcpdiag: Wireshark has no expert severity or group named \"%s\"", name);
    return 0;
}

static int severity_pi(td_severity s)
{
    return expert_value(td_severity_name(s), expert_severity_vals);
}

static int group_pi(td_group g)
{
    return expert_value(td_group_name(g), expert_group_vals);
}

/*
 * What tcpdiag reads from tshark's command line (td_cmdline), once per
 * file.  A program not named tshark (Wireshark), or a command line that
 * cannot be read, leaves both FALSE.
 *
 * single_pass: tshark without -2 never visits a frame again, so nothing is
 *   kept per frame for later passes.
 *
 * fields_cmdline: tshark -T fields before 4.4 builds a *visible* tree for
 *   every packet (print_details is set for -T fields) and then reads the -e
 *   fields from it without priming them, so a dissector cannot tell that
 *   tree from the one -V prints; 4.4 primes the -e fields and leaves the
 *   tree invisible.  With a command line that prints no tree and names no
 *   field of tcpdiag's but as -e fields, tcpdiag makes its part of 4.0's
 *   tree as 4.4 would: while its post-dissector runs, the tree is
 *   invisible and its -e fields are primed (fields_enter, fields_leave),
 *   so Wireshark fakes every item nobody asked for.  What the command line
 *   does not show is checked at the file's first such tree (fields_decide):
 *   Lua scripts (one may walk every field), a tap that reads the tree, a
 *   filter on the generic "text" field, every tree forced visible, an
 *   Expert column (set from the expert items on the tree).
 */
static gboolean fields_cmdline;
static int fields_only = -1;            /* this file: -1 until its first -T fields tree */
static char *fields_wanted[TD_CMDLINE_WANTED_MAX];   /* -e fields of tcpdiag's */
static int nfields_wanted;
static int wanted_hf[TD_CMDLINE_WANTED_MAX + 1];     /* their hf ids, and the protocol's */
static int nwanted_hf;

static void forget_fields_wanted(void)
{
    for (int i = 0; i < nfields_wanted; i++)
        g_free(fields_wanted[i]);
    nfields_wanted = 0;
}

static void read_command_line(void)
{
    gchar *buf = NULL;
    const char **argv;
    gsize len = 0;
    int argc = 0;

    single_pass = fields_cmdline = FALSE;
    forget_fields_wanted();
    if (!g_file_get_contents("/proc/self/cmdline", &buf, &len, NULL) || len == 0 || buf[len - 1] != '\0') {
        g_free(buf);
        return;
    }
    /* NUL-separated: make it a vector. */
    for (gsize i = 0; i < len; i++)
        argc += buf[i] == '\0';
    argv = g_new0(const char *, (gsize)argc + 1);
    for (gsize i = 0, k = 0; k < (gsize)argc; i += strlen(buf + i) + 1)
        argv[k++] = buf + i;
    const td_cmdline cl = td_cmdline_read(argc, argv);
    single_pass = cl.tshark && !cl.two_pass;
#if TD_WS_AT_LEAST(4, 4)
    fields_cmdline = FALSE;   /* 4.4 and later leave -T fields' tree invisible */
#else
    fields_cmdline = cl.fields_only;
#endif
    for (int i = 0; fields_cmdline && i < cl.nwanted; i++)
        fields_wanted[nfields_wanted++] = g_strdup(cl.wanted[i]);
    g_free(argv);
    g_free(buf);
}

static gboolean tree_visible(proto_tree *tree)
{
    return tree && PTREE_DATA(tree) && PTREE_DATA(tree)->visible;
}

/* Counts the Lua scripts loaded (wslua_plugins_get_descriptions). */
static void count_script(const char *name _U_, const char *version _U_, const char *type _U_,
                         const char *filename _U_, void *n)
{
    (*(int *)n)++;
}

/*
 * Whether Lua scripts are loaded: one may read every field of the tree
 * (all_field_infos).  Those loaded from the plugin folders or by -X
 * lua_script (Wireshark's list of them), and those in the plugin folders
 * and the personal init.lua (wslua_count_plugins).  These functions are
 * exported by libwireshark but in no installed header, and absent from a
 * build without Lua.
 */
static gboolean lua_scripts(void)
{
    void (*list)(void (*)(const char *, const char *, const char *, const char *, void *), void *) =
        (void (*)(void (*)(const char *, const char *, const char *, const char *, void *), void *))
            dlsym(RTLD_DEFAULT, "wslua_plugins_get_descriptions");
    int (*count)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "wslua_count_plugins");
    int n = 0;

    if (list)
        list(count_script, &n);
    return n > 0 || (count && count() > 0);
}

/*
 * Whether something asked Wireshark for every tree to be visible
 * (epan_set_always_visible: a Lua post-dissector or listener asking for
 * all fields, wherever it was loaded from, or a C plugin).  Seen in a tree
 * made for the asking, invisible unless forced.  On 4.0 making and freeing
 * it primes nothing (Lua primes its field extractors when a packet is
 * dissected) and touches no tap, expert info or column.
 */
static gboolean trees_forced_visible(packet_info *pinfo)
{
    epan_dissect_t *edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
    const gboolean forced = edt->tree && PTREE_DATA(edt->tree)->visible;

    epan_dissect_free(edt);
    return forced;
}

/* At the first packet of a file with -T fields' tree (tree made visible
 * by tshark, not seen): what the command line cannot show. */
static void fields_decide(packet_info *pinfo)
{
    const char *why = NULL;

    fields_only = FALSE;
    if (!fields_cmdline)
        return;
    if (lua_scripts())
        why = "a Lua script is loaded";
    else if (union_of_tap_listener_flags() & TL_REQUIRES_PROTO_TREE)
        why = "a tap reads the tree";
    else if (hf_text_only >= 0 && proto_registrar_get_nth((guint)hf_text_only)->ref_type != HF_REF_TYPE_NONE)
        why = "a filter reads the text items";   /* the lines of tcpdiag's long texts among them */
    else if (trees_forced_visible(pinfo))
        why = "every tree is made visible";
    else if (pinfo->cinfo && pinfo->cinfo->col_first[COL_EXPERT] >= 0)
        why = "an Expert column";
    fields_only = !why;
    nwanted_hf = 0;
    for (int i = 0; fields_only && i < nfields_wanted; i++) {
        const int hf = proto_registrar_get_id_byname(fields_wanted[i]);
        if (hf > 0)
            wanted_hf[nwanted_hf++] = hf;
    }
    if (fields_only && nwanted_hf)
        wanted_hf[nwanted_hf++] = proto_tcpdiag;   /* primed as their parent */
    if (fields_only)
        ws_log("tcpdiag", LOG_LEVEL_INFO, "tshark -T fields: tcpdiag adds only the fields asked for");
    else
        ws_log("tcpdiag", LOG_LEVEL_INFO, "tshark -T fields: tcpdiag adds all its items (%s)", why);
}

/* Whether this packet's tree is -T fields' tree, to be made as 4.4 makes it.
 * Decided at the first such packet of the file (with -2, the first pass
 * makes no visible tree); the columns are the same for every packet of it. */
static gboolean fields_packet(packet_info *pinfo, proto_tree *tree)
{
    if (!fields_cmdline || !tree_visible(tree))
        return FALSE;
    if (fields_only < 0)
        fields_decide(pinfo);
    return fields_only;
}

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

static gboolean in_fields_tree;   /* between fields_enter and fields_leave */

static void fields_enter(proto_tree *tree, fields_saved *sv)
{
    in_fields_tree = TRUE;
    sv->visible = proto_tree_set_visible(tree, FALSE);
    for (int i = 0; i < nwanted_hf; i++) {
        header_field_info *hfi = proto_registrar_get_nth((guint)wanted_hf[i]);
        sv->ref[i] = hfi->ref_type;
        if (hfi->ref_type == HF_REF_TYPE_NONE)
            hfi->ref_type = wanted_hf[i] == proto_tcpdiag && i == nwanted_hf - 1 ? HF_REF_TYPE_INDIRECT
                                                                                   : HF_REF_TYPE_DIRECT;
    }
}

static void fields_leave(proto_tree *tree, const fields_saved *sv)
{
    for (int i = nwanted_hf - 1; i >= 0; i--)
        proto_registrar_get_nth((guint)wanted_hf[i])->ref_type = sv->ref[i];
    proto_tree_set_visible(tree, sv->visible);
    in_fields_tree = FALSE;
}

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

static td_wants wants_of(proto_tree *tree, const packet_info *pinfo)
{
    td_wants w;

    w.items = tree && (tree_visible(tree) || proto_field_is_referenced(tree, proto_tcpdiag) ||
                       (proto_ws_expert > 0 && proto_field_is_referenced(tree, proto_ws_expert)));
    /* -T fields' tree (in_fields_tree) is not shown: experts there only if read. */
    w.experts = (tree != NULL && (!in_fields_tree || w.items)) ||
                (pinfo->cinfo && col_get_writable(pinfo->cinfo, COL_EXPERT)) ||
                (expert_tap >= 0 && have_tap_listener(expert_tap));
    w.column = pinfo->cinfo != NULL;
    return w;
}

/*
 * The lines of a long text (td_text_lines), in `scope`; *n is their
 * number.  Most texts have a few: one pass into a buffer on the stack.
 */
static td_span *text_lines(const char *text, wmem_allocator_t *scope, size_t *n)
{
    td_span few[16];
    td_span *lines;

    *n = td_text_lines(text, TEXT_LINE_MAX, few, G_N_ELEMENTS(few));
    lines = wmem_alloc_array(scope, td_span, *n ? *n : 1);
    if (*n <= G_N_ELEMENTS(few))
        memcpy(lines, few, *n * sizeof *lines);
    else
        td_text_lines(text, TEXT_LINE_MAX, lines, *n);
    return lines;
}

/*
 * An explanation (summary, capture-wide finding): the field's value is the
 * whole text, for filters, columns and -T fields.  A text that fits in an
 * item's label is shown as it is.  A longer one would be cut by Wireshark:
 * its label shows the headline, and a visible tree shows the whole text
 * below it, one line per clause.  `lines` (n of them) may be given, else
 * they are worked out here.
 */
static proto_item *add_long_text(proto_tree *tree, int hf, tvbuff_t *tvb, packet_info *pinfo,
                                 const char *text, const char *headline,
                                 const td_span *lines, size_t n)
{
    proto_item *ti;
    proto_tree *lt;

    if (strlen(text) <= TEXT_LINE_MAX) {
        ti = proto_tree_add_string(tree, hf, tvb, 0, 0, text);
        proto_item_set_generated(ti);
        return ti;
    }
    ti = proto_tree_add_string_format_value(tree, hf, tvb, 0, 0, text, "%s", headline);
    proto_item_set_generated(ti);
    if (!tree_visible(tree))
        return ti;
    if (!lines)
        lines = text_lines(text, pinfo->pool, &n);
    lt = proto_item_add_subtree(ti, ett_text);
    for (size_t k = 0; k < n; k++) {
        proto_item *li;
        proto_tree_add_subtree_format(lt, tvb, 0, 0, ett_text_line, &li, "%.*s",
                                      (int)lines[k].len, text + lines[k].start);
        proto_item_set_generated(li);
    }
    return ti;
}

/*
 * An expert message of a long text.  Wireshark labels the expert item
 * "Expert Info (Severity/Group): message" within ITEM_LABEL_LENGTH bytes
 * (and the Expert Information dialog shows the message): a longer text is
 * cut where td_text_fit says (after a clause, a "; " or ", ", or a word,
 * using most of the room), and said to be cut.
 */
static void expert_add_text(packet_info *pinfo, proto_item *ti, expert_field *ei,
                            const td_diag_info *info, const char *text)
{
    const char *sev = val_to_str_const((guint32)severity_pi(info->severity), expert_severity_vals, "");
    const char *grp = val_to_str_const((guint32)group_pi(info->group), expert_group_vals, "");
    const size_t room = ITEM_LABEL_LENGTH - 1 - strlen("Expert Info (/): ") - strlen(sev) - strlen(grp);
    const size_t len = strlen(text);

    if (len <= room) {
        expert_add_info_format(pinfo, ti, ei, "%s", text);
    } else {
        const size_t fit = td_text_fit(text, room - strlen(EXPERT_CUT_MARK));
        expert_add_info_format(pinfo, ti, ei, "%.*s" EXPERT_CUT_MARK, (int)fit, text);
    }
}

static void show_endpoint_ip(proto_tree *dt, tvbuff_t *tvb, const td_conv *c, int i,
                             int hf_ttl, int hf_hops, int hf_ipid, int hf_rtt)
{
    const td_baseline *b = &c->ep[i].base;

    /* Not wanted by a filter, a column or a visible tree: skip the work
     * (this runs on every packet). */
    if (proto_field_is_referenced(dt, hf_ttl) || proto_field_is_referenced(dt, hf_hops)) {
        const guint8 ttl = td_baseline_ttl(b);
        if (ttl) {
            add_uint(dt, hf_ttl, tvb, ttl);
            add_uint(dt, hf_hops, tvb, (guint32)(td_initial_ttl(ttl) - ttl));
        }
    }
    if (proto_field_is_referenced(dt, hf_ipid)) {
        const char *ipid = td_baseline_ipid(b);
        if (*ipid)
            add_string(dt, hf_ipid, tvb, ipid);
    }
    if (proto_field_is_referenced(dt, hf_rtt)) {
        const double rtt = td_conv_rtt_via(c, i);
        if (rtt >= 0.0)
            add_reltime(dt, hf_rtt, tvb, rtt);
    }
}

/* The reset in this frame: its assessment and each finding in words. */
static void show_rst(tvbuff_t *tvb, packet_info *pinfo, proto_tree *dt, conv_state *cs, const td_wants *w)
{
    const td_conv *c = &cs->conv;
    int i = c->nrsts ? td_conv_rst_index(c, pinfo->num) : -1;
    proto_item *ti;
    proto_tree *rt;

    if (i < 0)
        return; /* not a reset, or one past the first TD_MAX_RSTS */
    const td_rst *r = &c->rsts[i];
    /* Large (TD_RF_COUNT texts): in packet scope, not on the stack. */
    td_rst_view *v = wmem_new(pinfo->pool, td_rst_view);
    td_rst_assess(c, (guint32)i, TRUE, v);
    const td_diag_info *li = &td_rst_level_info[v->level];
    const char *who = td_role_word(c, r->sender);

    if (!pinfo->fd->visited && v->level > cs->rst_shown)
        cs->rst_shown = v->level;
    if (w->column && li->severity != TD_SEV_NONE)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: rst %s]", li->token);
    if (!w->items && !(w->experts && li->severity != TD_SEV_NONE))
        return;
    ti = proto_tree_add_string(dt, hf_rst_assessment, tvb, 0, 0, li->token);
    proto_item_set_generated(ti);
    rt = proto_item_add_subtree(ti, ett_rst);
    add_string(rt, hf_rst_claimed, tvb, who);
    proto_item_set_generated(proto_tree_add_boolean(rt, hf_rst_accepted, tvb, 0, 0, r->accepted));
    if (r->ip) {
        add_uint(rt, hf_rst_ttl, tvb, r->ttl);
        add_uint(rt, hf_rst_hops, tvb, (guint32)(td_initial_ttl(r->ttl) - r->ttl));
    }
    if (r->ip == 4)
        add_uint(rt, hf_rst_ip_id, tvb, r->ip_id);
    if (r->have_snd)
        proto_item_set_generated(proto_tree_add_int(rt, hf_rst_seq_offset, tvb, 0, 0,
                                                    (gint32)(r->seq - r->snd_nxt)));
    if ((r->flags & TD_TH_ACK) && r->have_peer)
        proto_item_set_generated(proto_tree_add_int(rt, hf_rst_ack_offset, tvb, 0, 0,
                                                    (gint32)(r->ack - r->peer_nxt)));
    wmem_strbuf_t *all = wmem_strbuf_new(pinfo->pool, "");
    for (int f = 0; f < TD_RF_COUNT; f++) {
        if (!(v->found & (1u << f)))
            continue;
        add_string(rt, hf_rst_finding, tvb, td_rst_finding_info_table[f].token);
        add_string(rt, hf_rst_evidence, tvb, v->text[f]);
        if (td_rst_finding_info_table[f].kind != TD_RK_BENIGN)
            wmem_strbuf_append_printf(all, "%s%s", wmem_strbuf_get_len(all) ? "; " : "", v->text[f]);
    }
    if (w->experts && li->severity != TD_SEV_NONE)
        expert_add_text(pinfo, ti, &ei_rst[v->level], li,
                        wmem_strdup_printf(pinfo->pool, "Reset claiming to come from the %s: %s (%s)",
                                           who, li->headline, wmem_strbuf_get_str(all)));
}

/*
 * What tcpdiag adds to a packet of conversation cr: c is its engine state
 * (conv_view), cs its full record (NULL while it is kept as its segments:
 * then nothing is cached, and there is no reset or ICMP error to show).
 */
static td_verdict shown_verdict(const conv_rec *cr, const td_conv *c, double now, gboolean final);

static proto_item *show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const conv_rec *cr,
                         const td_conv *c, conv_state *cs, const td_step *st, gboolean is_icmp,
                         const td_wants *w)
{
    const guint32 stream = cr->stream;
    const gboolean final = pinfo->fd->visited;
    const double now = capture_last_ts;
    td_verdict v;
    const char *summary = NULL;
    proto_item *top = NULL, *ti = NULL;
    proto_tree *dt = NULL;

    td_rst_level rst_worst;
    verdict_cache *vc = NULL;
    if (final && cs) {
        if (!cs->cache) {
            cs->cache = g_new0(verdict_cache, 1);
            cs->cache->now = -1.0;
        }
        vc = cs->cache;
    }
    if (vc && vc->now == now) {
        v = vc->verdict;
        summary = vc->summary;
        rst_worst = vc->rst_worst;
    } else {
        v = shown_verdict(cr, c, now, final);
        rst_worst = c->nrsts ? td_conv_rst_worst(c, NULL) : TD_RST_GENUINE;
        if (vc) {
            vc->now = now;
            vc->verdict = v;
            vc->rst_worst = rst_worst;
            g_free(vc->summary);
            vc->summary = NULL;
            g_free(vc->lines);
            vc->lines = NULL;
            vc->nlines = 0;
        }
    }

    const td_diag_info *oi = &td_outcome_info[v.outcome];
    const gboolean diag_here = v.key_frame == pinfo->num && oi->severity != TD_SEV_NONE &&
                               (final || td_outcome_is_settled(v.outcome));
    const gboolean want_summary = (diag_here && w->experts) ||
                                  (w->items && proto_field_is_referenced(tree, hf_summary));

    if (want_summary && !summary) {
        char buf[2048];
        td_conv_summary(c, &v, now, final, cs ? cs->icmp_source : NULL, buf, sizeof buf);
        if (vc) {
            vc->summary = g_strdup(buf);
            summary = vc->summary;
        } else {
            summary = wmem_strdup(pinfo->pool, buf);
        }
    }

    if (w->items || w->experts) {
        /* Expert items hang on the top item (NULL when nobody sees the tree). */
        top = proto_tree_add_item(w->items ? tree : NULL, proto_tcpdiag, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(top);
    }
    if (w->items) {
        dt = proto_item_add_subtree(top, ett_tcpdiag);
        proto_item_set_text(top, "TCP connection diagnosis: %s, client %s, server %s", oi->token,
                            td_state_name((td_state)st->client_state),
                            td_state_name((td_state)st->server_state));

        add_uint(dt, hf_stream, tvb, stream);
        add_string(dt, hf_client_state, tvb, td_state_name((td_state)st->client_state));
        add_string(dt, hf_server_state, tvb, td_state_name((td_state)st->server_state));
        add_string(dt, hf_outcome, tvb, oi->token);
        proto_item_set_generated(proto_tree_add_boolean(dt, hf_outcome_final, tvb, 0, 0, final));
        if (summary) {
            /* After the first pass the summary is the same on every packet of
             * the conversation: so are its lines. */
            const gboolean cached = vc && summary == vc->summary;
            if (cached && !vc->lines && tree_visible(dt) && strlen(summary) > TEXT_LINE_MAX) {
                size_t n;
                vc->lines = text_lines(summary, NULL, &n);  /* g_malloc'd */
                vc->nlines = (guint32)n;
            }
            if (cached && vc->lines)
                add_long_text(dt, hf_summary, tvb, pinfo, summary, oi->headline, vc->lines,
                              vc->nlines);
            else
                add_long_text(dt, hf_summary, tvb, pinfo, summary, oi->headline, NULL, 0);
        }
        if (v.client_error != TD_ERR_NONE) {
            add_string(dt, hf_client_errno, tvb, td_client_error_name[v.client_error]);
            add_string(dt, hf_client_error, tvb, td_client_error_text[v.client_error]);
        }
        add_string(dt, hf_role_basis, tvb, td_role_basis_name((td_role_basis)c->role_basis));
        if (c->zeek.started) {
            const char *zcs = td_zeek_conn_state(&c->zeek);
            ti = proto_tree_add_string(dt, hf_conn_state, tvb, 0, 0, zcs);
            proto_item_set_generated(ti);
            proto_item_append_text(ti, " (%s)", td_zeek_conn_state_meaning(zcs));
            add_string(dt, hf_history, tvb, c->zeek.history);
        }

        const td_endpoint *cl = &c->ep[c->client], *sv = &c->ep[1 - c->client];
        if (cl->syn_count)
            add_uint(dt, hf_syn_count, tvb, cl->syn_count);
        if (sv->synack_count)
            add_uint(dt, hf_synack_count, tvb, sv->synack_count);
        if (cl->syn_count > 1 && proto_field_is_referenced(dt, hf_syn_schedule)) {
            char sched[128];
            td_conv_syn_schedule(c, sched, sizeof sched);
            add_string(dt, hf_syn_schedule, tvb, sched);
        }
        if (c->syn_frame) {
            ti = proto_tree_add_uint(dt, hf_syn_frame, tvb, 0, 0, c->syn_frame);
            proto_item_set_generated(ti);
        }
        if (v.answer_frame) {
            ti = proto_tree_add_uint(dt, hf_answer_frame, tvb, 0, 0, v.answer_frame);
            proto_item_set_generated(ti);
        }
        if (c->synack_frame && c->syn_frame)
            add_reltime(dt, hf_synack_delay, tvb, c->synack_ts - c->hs_syn_ts);
        if ((c->flags & TD_C_HANDSHAKE) && c->syn_frame)
            add_reltime(dt, hf_handshake_rtt, tvb, c->hs_ack_ts - c->hs_syn_ts);
        if (v.outcome == TD_OUT_SYN_PENDING || v.outcome == TD_OUT_SYN_UNANSWERED)
            add_reltime(dt, hf_unanswered_for, tvb, now - c->last_syn_ts);
        else if (v.outcome == TD_OUT_SYNACK_PENDING || v.outcome == TD_OUT_SYNACK_UNANSWERED)
            add_reltime(dt, hf_unanswered_for, tvb, now - c->last_synack_ts);

        /* Teardown. */
        if (cl->bytes || sv->bytes) {
            proto_item_set_generated(proto_tree_add_uint64(dt, hf_client_bytes, tvb, 0, 0, cl->bytes));
            proto_item_set_generated(proto_tree_add_uint64(dt, hf_server_bytes, tvb, 0, 0, sv->bytes));
        }
        if (cl->fin_count)
            add_uint(dt, hf_client_fins, tvb, cl->fin_count);
        if (sv->fin_count)
            add_uint(dt, hf_server_fins, tvb, sv->fin_count);
        const char *closed_by = td_conv_closed_by(c), *close_type = td_conv_close_type(c);
        const char *time_wait = td_conv_time_wait_side(c), *reset_by = td_conv_reset_by(c);
        if (*closed_by)
            add_string(dt, hf_closed_by, tvb, closed_by);
        if (*close_type)
            add_string(dt, hf_close_type, tvb, close_type);
        if (*time_wait)
            add_string(dt, hf_time_wait, tvb, time_wait);
        if (*reset_by)
            add_string(dt, hf_reset_by, tvb, reset_by);
        if (v.outcome == TD_OUT_ESTABLISHED || v.outcome == TD_OUT_MIDSTREAM)
            add_reltime(dt, hf_idle, tvb, now - c->last_ts);
        if (c->reuse_of)
            add_uint(dt, hf_reuse_of, tvb, c->reuse_of - 1);

        /* After the handshake. */
        const td_more *more = td_more_of(c);
        const td_flow_more *clm = &more->ep[c->client], *svm = &more->ep[1 - c->client];
        if (clm->rtx_total)
            add_uint(dt, hf_client_retransmissions, tvb, clm->rtx_total);
        if (svm->rtx_total)
            add_uint(dt, hf_server_retransmissions, tvb, svm->rtx_total);
        if (v.subject >= 1 && v.subject <= 2 && v.outcome != TD_OUT_ZERO_WINDOW &&
            more->ep[v.subject - 1].rtx_count && proto_field_is_referenced(dt, hf_retransmission_schedule)) {
            char sched[160];
            td_flow_rtx_schedule(c, v.subject - 1, sched, sizeof sched);
            add_string(dt, hf_retransmission_schedule, tvb, sched);
        }
        if (v.outcome == TD_OUT_ZERO_WINDOW && v.subject >= 1 && v.subject <= 2) {
            bool recovered = false;
            const td_flow_more *zf = &more->ep[v.subject - 1];
            add_reltime(dt, hf_zero_window_for, tvb,
                        td_flow_zero_window(c, v.subject - 1, now, &recovered));
            add_uint(dt, hf_zero_window_probes, tvb, recovered ? zf->zw_longest_probes : zf->zw_probes);
        }
        if (clm->ka_total + svm->ka_total)
            add_uint(dt, hf_keepalives, tvb, (guint32)clm->ka_total + svm->ka_total);
        if (v.outcome == TD_OUT_IDLE_TIMEOUT)
            add_reltime(dt, hf_idle_before_cut, tvb,
                        c->rst_frame && c->rst_frame == v.key_frame ? more->rst_trigger_idle
                        : v.subject >= 1 && v.subject <= 2 ? more->ep[v.subject - 1].rtx_idle : 0.0);
        if (more->too_big_frame)
            add_uint(dt, hf_path_mtu, tvb, more->too_big_mtu);
        if (v.outcome == TD_OUT_ACCEPT_QUEUE_FULL && c->late_open_frame)
            add_reltime(dt, hf_opened_late_by, tvb, c->late_open_ts - c->hs_ack_ts);

        /* Each endpoint's IP baseline, and the resets' forensics. */
        show_endpoint_ip(dt, tvb, c, c->client, hf_client_ttl, hf_client_hops, hf_client_ipid, hf_client_rtt);
        show_endpoint_ip(dt, tvb, c, 1 - c->client, hf_server_ttl, hf_server_hops, hf_server_ipid, hf_server_rtt);
        if (c->rsts_seen)
            add_string(dt, hf_reset_assessment, tvb, td_rst_level_info[rst_worst].token);
    }
    if (!is_icmp && cs)
        show_rst(tvb, pinfo, dt, cs, w);

    /* This frame's own event, as its row of the table says (ICMP errors
     * are shown below, with the conversation they are about). */
    const td_diag_info *ev = &td_event_info[st->event < TD_EV_COUNT ? st->event : TD_EV_NONE];
    if (st->event != TD_EV_NONE && !(ev->shown & TD_SHOWN_ICMP)) {
        /* As a later pass keeps it (frame_rec: a float), in every pass. */
        const double interval = (double)(float)st->interval;
        ti = top;
        if (w->items && (ev->shown & TD_SHOWN_RETRANSMISSION)) {
            ti = proto_tree_add_uint(dt, hf_retransmission, tvb, 0, 0, st->count);
            proto_item_set_generated(ti);
            add_reltime(dt, hf_retransmission_interval, tvb, interval);
        }
        if (w->experts) {
            char text[256];
            td_event_text((td_event)st->event, st->count, interval, stream, c->syn_frame,
                          oi->token, text, sizeof text);
            expert_add_info_format(pinfo, ti, &ei_event[st->event], "%s", text);
        }
        if (w->column && (ev->shown & TD_SHOWN_COUNT))
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s %u]", ev->token, st->count);
        else if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]", ev->token);
    }
    if (is_icmp) {
        if (w->items) {
            ti = proto_tree_add_uint(dt, hf_icmp_about, tvb, 0, 0, c->syn_frame ? c->syn_frame : c->first_frame);
            proto_item_set_generated(ti);
        }
        if (w->experts) {
            char text[256];
            const td_event ev_icmp = st->event == TD_EV_ICMP_TOO_BIG ? TD_EV_ICMP_TOO_BIG : TD_EV_ICMP_ERROR;
            td_event_text(ev_icmp, st->count, 0.0, stream, c->syn_frame, oi->token, text, sizeof text);
            expert_add_info_format(pinfo, w->items ? ti : top, &ei_event[ev_icmp], "%s", text);
        }
        if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: stream %u %s]",
                                stream, oi->token);
    }

    if (diag_here) {
        if (w->experts)
            expert_add_text(pinfo, top, &ei_outcome[v.outcome], oi, summary);
        if (w->column)
            col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]", oi->token);
    }
    return top;
}

/* ---- the notes of the layers below (first pass) ---------------------- */

static gboolean note_addresses(layer_note *n, const packet_info *pinfo)
{
    const address *src = &pinfo->src, *dst = &pinfo->dst;

    if (!ip_address(src) || !ip_address(dst))
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
    if (hlen > 20 && (n->th[13] & 0x10) && caplen >= (gint)hlen)
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
        n->df = (ip4->ip_off & 0x4000) != 0;
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
static gboolean tcp_stream_of(conversation_t *cv, guint32 *stream)
{
    const struct tcp_analysis *tcpd =
        cv ? (const struct tcp_analysis *)conversation_get_proto_data(cv, proto_tcp) : NULL;

    if (!tcpd)
        return FALSE;
    *stream = tcpd->stream;
    return TRUE;
}

/* ---- the post-dissector --------------------------------------------- */

/*
 * An ICMP error quotes the IP header and at least 8 bytes of the segment
 * it is about (RFC 792; RFC 4443 2.4).  The quoted addresses and ports are
 * read from the ICMP message itself, so that errors quoting too little for
 * Wireshark to give them a tcp.stream are still tied to their conversation
 * through TCP's conversation table.
 */
static gboolean icmp_error(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const td_wants *w)
{
    const layer_note *n = &icmp_note;
    const gboolean v6 = n->ip == 6;
    const guint8 *b = n->msg, *q = n->msg + 8;
    const gint avail = n->len;
    address qsrc, qdst;
    guint16 sport, dport;
    guint32 stream;

    if (!td_icmp_is_error(b[0], v6))
        return FALSE;
    if (!v6) {
        gint ihl;
        if (avail < 8 + 20 || (q[0] >> 4) != 4 || q[9] != 6)
            return TRUE;
        ihl = (q[0] & 0x0f) * 4;
        if (ihl < 20 || avail < 8 + ihl + 4)
            return TRUE;
        set_address(&qsrc, AT_IPv4, 4, q + 12);
        set_address(&qdst, AT_IPv4, 4, q + 16);
        sport = td_ntoh16(q + ihl);
        dport = td_ntoh16(q + ihl + 2);
    } else {
        if (avail < 8 + 40 + 4 || (q[0] >> 4) != 6 || q[6] != 6)
            return TRUE;
        set_address(&qsrc, AT_IPv6, 16, q + 8);
        set_address(&qdst, AT_IPv6, 16, q + 24);
        sport = td_ntoh16(q + 40);
        dport = td_ntoh16(q + 42);
    }

    conversation_t *cv = find_conversation(pinfo->num, &qsrc, &qdst, CONVERSATION_TCP, sport, dport, 0);
    conv_rec *cr = tcp_stream_of(cv, &stream) ? conv_lookup(stream) : NULL;
    if (!cr || (!cr->full && cr->nlog == 0))
        return TRUE; /* an error about a conversation we never saw */
    int about = endpoint_of(cr, &qsrc, sport, dport);
    if (about < 0)
        return TRUE;

    td_icmp m;
    m.type = b[0];
    m.code = b[1];
    m.v6 = v6;
    m.about = (guint8)about;
    m.from_destination = addresses_equal(&n->src, &qdst);
    /* The MTU of the next hop: ICMP fragmentation needed carries it in the
     * low half of its second word (RFC 1191 4), ICMPv6 packet too big in
     * the whole word (RFC 4443 3.2). */
    m.mtu = v6 ? (guint16)MIN(td_ntoh32(b + 4), G_MAXUINT16) : td_ntoh16(b + 6);
    conv_state *cs = conv_state_of(cr);
    if (!(cs->conv.flags & TD_C_STARTED))
        return TRUE;
    td_step st = td_conv_on_icmp(&cs->conv, pinfo->num, frame_time(pinfo), &m);
    if (cs->conv.icmp_frame == pinfo->num) {
        g_free(cs->icmp_source);
        cs->icmp_source = address_to_str(NULL, &n->src);
    }
    record_step(cs, pinfo->num, &st);
    /* The only per-frame allocation: ICMP errors are few. */
    if (!single_pass)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_tcpdiag, 0, GUINT_TO_POINTER(cr->stream + 1));
    if (w->items || w->experts || w->column)
        show(tvb, pinfo, tree, cr, &cs->conv, cs, &st, TRUE, w);
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
    return TRUE;
}

/*
 * Single pass: evidence about a reset often comes later (its claimed
 * sender goes on sending).  When that makes the conversation's worst
 * reset look worse than any expert item has said so far, say it on this
 * packet.  With two passes the reset's own frame carries the final word.
 */
static void rst_escalation(packet_info *pinfo, proto_item *top, conv_state *cs, const td_wants *w)
{
    const td_conv *c = &cs->conv;
    guint32 which;
    td_rst_level worst = td_conv_rst_worst(c, &which);

    if (worst <= cs->rst_shown)
        return;
    cs->rst_shown = worst;
    if (which >= c->nrsts || c->rsts[which].frame == pinfo->num)
        return; /* the reset's own frame showed it */
    const td_diag_info *li = &td_rst_level_info[worst];
    if (w->experts) {
        char buf[512];
        td_rst_summary(c, which, buf, sizeof buf);
        expert_add_text(pinfo, top, &ei_rst[worst], li,
                        wmem_strdup_printf(pinfo->pool, "This packet changes the assessment of the reset in frame %u to %s: %s",
                                           c->rsts[which].frame, li->token, buf));
    }
    if (w->column)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: rst in %u %s]",
                            c->rsts[which].frame, li->token);
}

/* ---- capture-wide findings --------------------------------------------- */

typedef struct {
    td_finding kind;
    guint32    count;
    char      *key;   /* listener, source, server or host */
    char      *text;
    td_span   *lines; /* of text, once a visible tree showed them */
    size_t     nlines;
    guint32   *streams; /* the count conversations involved */
} finding;

static GPtrArray *findings;     /* finding *, once computed */
static gboolean findings_done;
/* First-pass packets read; findings are computed again when it moved (a
 * live capture in the GUI re-dissects packets while it goes on). */
static guint64 packets_read, findings_at;
static GHashTable *echo_hosts;  /* address text -> echo replies it sent */

/* An ICMP echo reply: its sender answers pings (seed 000's first clue). */
static void note_echo_reply(void)
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
#define FINDINGS_SHOWN 8
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
    find_streams = convs_cap;
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

static const char *endpoint_str(const address *a, guint16 port, wmem_allocator_t *scope);

/*
 * Group every conversation by what it has in common with others and
 * compare the groups with the thresholds (preferences).  Needs every
 * conversation's end: done once, after the first pass (later passes, the
 * GUI, the tables).
 */
/* Is conversation `stream` in a finding of this kind? */
static gboolean in_finding(guint32 stream, td_finding kind)
{
    if (!findings || stream >= find_streams)
        return FALSE;
    for (guint32 i = find_start[stream]; i < find_start[stream + 1]; i++)
        if (((const finding *)g_ptr_array_index(findings, find_ids[i]))->kind == kind)
            return TRUE;
    return FALSE;
}

/* The verdict as shown: the engine's, with what the capture-wide findings
 * add once they are known (after the first pass). */
static td_verdict shown_verdict(const conv_rec *cr, const td_conv *c, double now, gboolean final)
{
    const td_prefs prefs = engine_prefs();
    td_verdict v = td_conv_verdict(c, now, &prefs);

    if (final && v.outcome == TD_OUT_SYN_UNANSWERED && in_finding(cr->stream, TD_FIND_ACCEPT_QUEUE))
        v.listener_busy = true;
    return v;
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

static void compute_findings(void)
{
    GHashTable *flood, *scan, *leak, *tw, *burst, *ping, *aq, *seen, *oneway_t;
    group *oneway;
    guint convs_started = 0, oneway_clients = 0;
    GHashTableIter it;
    gpointer k, val;
    const td_prefs prefs = engine_prefs();
    const double now = capture_last_ts;

    if (findings_done && findings_at == packets_read)
        return;
    if (findings)
        g_ptr_array_free(findings, TRUE);
    findings_done = TRUE;
    findings_at = packets_read;
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

    for (guint32 i = 0; i < convs_cap; i++) {
        conv_rec *cr = convs[i];
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
        char *listener = (char *)endpoint_str(&sa, c->port[sv], NULL);
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

static void show_findings(tvbuff_t *tvb, packet_info *pinfo, proto_tree *dt, proto_item *top,
                          const conv_rec *cr, const td_conv *c, const td_wants *w)
{
    if (cr->stream >= find_streams)
        return;
    for (guint32 i = find_start[cr->stream]; i < find_start[cr->stream + 1]; i++) {
        finding *f = (finding *)g_ptr_array_index(findings, find_ids[i]);
        proto_item *ti = NULL;
        if (w->items) {
            ti = proto_tree_add_string(dt, hf_finding, tvb, 0, 0, td_finding_info[f->kind].token);
            proto_item_set_generated(ti);
            if (!f->lines && tree_visible(dt) && strlen(f->text) > TEXT_LINE_MAX)
                f->lines = text_lines(f->text, NULL, &f->nlines);  /* g_malloc'd */
            add_long_text(dt, hf_finding_text, tvb, pinfo, f->text, td_finding_info[f->kind].headline,
                          f->lines, f->nlines);
        }
        if (pinfo->num == c->first_frame) {
            if (w->experts)
                expert_add_text(pinfo, w->items ? ti : top, &ei_finding[f->kind],
                                &td_finding_info[f->kind], f->text);
            if (w->column)
                col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[tcpdiag: %s]",
                                    td_finding_info[f->kind].token);
        }
    }
}

guint tcpdiag_findings(const tcpdiag_finding_row **out, wmem_allocator_t *scope)
{
    tcpdiag_finding_row *rows;

    compute_findings();
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

/* First pass: the headers from the notes of the layers below. */
static void first_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    const layer_note *n = &tcp_note;
    conv_rec *cr;
    td_step st;
    td_segment seg;
    guint32 stream;

    if (icmp_note.frame == pinfo->num) {
        const td_wants w = wants_of(tree, pinfo);
        note_echo_reply();
        /* An ICMP error, perhaps about one of our conversations. */
        if (icmp_error(tvb, pinfo, tree, &w))
            return;
    }
    if (n->frame != pinfo->num)
        return;

    /* Ports, sequence, acknowledgement, flags and window: RFC 9293 3.1. */
    const guint16 sport = td_ntoh16(n->th), dport = td_ntoh16(n->th + 2);
    /* A socket connected to itself (same address and port on both ends)
     * is one endpoint talking to itself: no two sides to diagnose. */
    if (sport == dport && addresses_equal(&n->src, &n->dst))
        return;
    conversation_t *cv = find_conversation(pinfo->num, &n->src, &n->dst, CONVERSATION_TCP, sport, dport, 0);
    if (!tcp_stream_of(cv, &stream))
        return; /* TCP kept no conversation for it */

    cr = conv_lookup(stream);
    if (!cr) {
        cr = conv_create(stream, &n->src, &n->dst, sport, dport);
        if (!cr)
            return;
        link_port_reuse(cr);
    }
    int sender = endpoint_of(cr, &n->src, sport, dport);
    if (sender < 0)
        return;
    memset(&seg, 0, sizeof seg);
    seg.frame = pinfo->num;
    seg.ts = frame_time(pinfo);
    seg.seq = td_ntoh32(n->th + 4);
    seg.ack = td_ntoh32(n->th + 8);
    seg.payload_len = n->payload_len;
    seg.flags = (guint8)(n->th[13] & 0x3f);  /* FIN SYN RST PSH ACK URG */
    seg.window = td_ntoh16(n->th + 14);
    seg.sack_left = n->sack_left;
    seg.sack_right = n->sack_right;
    seg.sender = (guint8)sender;
    seg.ip = n->ip;
    seg.ttl = n->ttl;
    seg.ip_id = n->ip_id;
    seg.df = n->df;
    td_conv scratch;
    const td_conv *c;
    conv_state *cs = NULL;
    if (!cr->full && td_log_takes(cr->nlog, &seg)) {
        /* Still opening: keep the segment, rebuild the conversation.  Room
         * for 1, 2, 4 and 8 segments. */
        if ((cr->nlog & (cr->nlog - 1u)) == 0)
            cr->u.log = (td_logged *)g_realloc_n(cr->u.log, cr->nlog ? cr->nlog * 2u : 1u, sizeof *cr->u.log);
        cr->u.log[cr->nlog++] = td_log_entry(&seg);
        st = conv_replay(cr, cr->nlog, &scratch, NULL);
        c = &scratch;
    } else {
        cs = conv_state_of(cr);
        st = td_conv_on_segment(&cs->conv, &seg);
        record_step(cs, pinfo->num, &st);
        c = &cs->conv;
    }
    const td_wants w = wants_of(tree, pinfo);
    if (w.items || w.experts || w.column) {
        proto_item *top = show(tvb, pinfo, tree, cr, c, cs, &st, FALSE, &w);
        if (st.rst_news && cs)
            rst_escalation(pinfo, top, cs, &w);
    } else if (st.rst_news && cs) {
        rst_escalation(pinfo, NULL, cs, &w); /* shows nothing: keeps count of what is known */
    }
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
}

/* Later passes: states from the records, the conversation from TCP's. */
static void later_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    conv_rec *cr = NULL;
    gboolean is_icmp = FALSE;
    void *icmp_stream = p_get_proto_data(wmem_file_scope(), pinfo, proto_tcpdiag, 0);
    guint32 stream;

    if (icmp_stream) {
        cr = conv_lookup(GPOINTER_TO_UINT(icmp_stream) - 1);
        is_icmp = TRUE;
    } else if (pinfo->ptype == PT_TCP &&
               tcp_stream_of(find_conversation_pinfo(pinfo, 0), &stream)) {
        cr = conv_lookup(stream);
    }
    if (!cr)
        return;
    const td_wants w = wants_of(tree, pinfo);
    if (w.items || w.experts || w.column) {
        td_step st = recorded_step(cr, pinfo->num);
        td_conv scratch;
        const td_conv *c = conv_view(cr, &scratch);
        compute_findings();
        proto_item *top = show(tvb, pinfo, tree, cr, c, cr->full ? cr->u.state : NULL, &st, is_icmp, &w);
        show_findings(tvb, pinfo, proto_item_get_subtree(top), top, cr, c, &w);
    }
    tap_queue_packet(tcpdiag_tap, pinfo, cr);
}

static void dissect_pass(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (!pinfo->fd->visited) {
        if (!capture_started) {
            capture_base = pinfo->abs_ts;
            capture_started = TRUE;
        }
        double ts = frame_time(pinfo);
        if (ts > capture_last_ts)
            capture_last_ts = ts;
        packets_read++;
        first_pass(tvb, pinfo, tree);
        /* A frame a read filter rejects gives its number to the next one:
         * its notes must not be read again. */
        tcp_note.frame = icmp_note.frame = 0;
    } else {
        later_pass(tvb, pinfo, tree);
    }
}

static int dissect_tcpdiag(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (fields_packet(pinfo, tree)) {
        /* What was changed is put back, whatever is thrown. */
        fields_saved sv;
        fields_enter(tree, &sv);
        TRY {
            dissect_pass(tvb, pinfo, tree);
        }
        FINALLY {
            fields_leave(tree, &sv);
        }
        ENDTRY;
    } else {
        dissect_pass(tvb, pinfo, tree);
    }
    return 0;
}

/* ---- the tables (tcpdiag-stats.c) ------------------------------------ */

static const char *endpoint_str(const address *a, guint16 port, wmem_allocator_t *scope)
{
    char *s = address_to_str(scope, a);
    char *r = a->type == AT_IPv6 ? wmem_strdup_printf(scope, "[%s]:%u", s, port)
                                 : wmem_strdup_printf(scope, "%s:%u", s, port);
    wmem_free(scope, s);
    return r;
}

void tcpdiag_row_get(const void *handle, tcpdiag_row *row, gboolean with_summary,
                     wmem_allocator_t *scope)
{
    const conv_rec *cr = (const conv_rec *)handle;
    td_conv scratch;
    const td_conv *c = conv_view(cr, &scratch);
    const address ca = conv_addr(cr, c->client), sa = conv_addr(cr, 1 - c->client);
    const double now = capture_last_ts;
    const int cl = c->client, sv = 1 - c->client;
    td_verdict v = shown_verdict(cr, c, now, findings_done);
    char buf[2048];

    memset(row, 0, sizeof *row);
    row->handle = handle;
    row->stream = cr->stream;
    row->client = endpoint_str(&ca, c->port[cl], scope);
    row->server = endpoint_str(&sa, c->port[sv], scope);
    row->server_addr = address_to_str(scope, &sa);
    row->server_port = c->port[sv];
    row->outcome = td_outcome_info[v.outcome].token;
    row->problem = td_outcome_info[v.outcome].severity >= TD_SEV_WARN;
    row->conn_state = c->zeek.started ? td_zeek_conn_state(&c->zeek) : "";
    row->history = c->zeek.started ? wmem_strdup(scope, c->zeek.history) : "";
    row->client_state = td_state_name((td_state)c->ep[cl].state);
    row->server_state = td_state_name((td_state)c->ep[sv].state);
    row->client_errno = v.client_error != TD_ERR_NONE ? td_client_error_name[v.client_error] : "";
    if (with_summary) {
        td_conv_summary(c, &v, now, TRUE, cr->full ? cr->u.state->icmp_source : NULL, buf, sizeof buf);
        row->summary = wmem_strdup(scope, buf);
    } else {
        row->summary = "";
    }
    row->reset_assessment = c->rsts_seen ? td_rst_level_info[td_conv_rst_worst(c, NULL)].token : "";
    row->syns = c->ep[cl].syn_count;
    row->start = c->first_ts;
    row->duration = c->last_ts - c->first_ts;
    row->client_bytes = c->ep[cl].bytes;
    row->server_bytes = c->ep[sv].bytes;
}

/* ---- life cycle ----------------------------------------------------- */

static void tcpdiag_init(void)
{
    /* Frame numbers start again with each capture: so do the notes. */
    tcp_note.frame = icmp_note.frame = 0;
    expert_tap = find_tap_id("expert");
    read_command_line();
    fields_only = -1;
    /* Registered after the plugins' handoff: looked up here. */
    proto_ws_expert = proto_get_id_by_filter_name("_ws.expert");
    capture_last_ts = 0.0;
    capture_started = FALSE;
    reuse_origins = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    echo_hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    findings_done = FALSE;
    packets_read = findings_at = 0;
    nstime_set_zero(&capture_base);
}

static void tcpdiag_cleanup(void)
{
    forget_fields_wanted();
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
    tcp_note.frame = icmp_note.frame = 0;
}

/* "syn-unanswered" -> "tcpdiag.diag.syn_unanswered" (field names take no '-'). */
static char *expert_name(const char *prefix, const char *token)
{
    char *s = g_strconcat(prefix, token, NULL);
    for (char *p = s; *p; p++)
        if (*p == '-')
            *p = '_';
    return s;
}

/* ei: `count` entries of static storage (Wireshark keeps pointers into it
 * for the life of the program; static, it is no leak at exit). */
static void register_expert_table(expert_module_t *em, expert_field *fields,
                                  const td_diag_info *info, int count, const char *prefix,
                                  ei_register_info *ei)
{
    int n = 0;

    for (int i = 0; i < count; i++) {
        fields[i].ei = EI_INIT_EI;
        fields[i].hf = EI_INIT_HF;
        if (info[i].severity == TD_SEV_NONE)
            continue; /* normal outcomes and TD_EV_NONE have no expert item */
        ei[n].ids = &fields[i];
        ei[n].eiinfo.name = expert_name(prefix, info[i].token);
        ei[n].eiinfo.group = group_pi(info[i].group);
        ei[n].eiinfo.severity = severity_pi(info[i].severity);
        ei[n].eiinfo.summary = info[i].headline;
        ei[n].eiinfo.hf_info.p_id = &fields[i].hf;
        ei[n].eiinfo.hf_info.hfinfo.name = info[i].headline;
        ei[n].eiinfo.hf_info.hfinfo.abbrev = ei[n].eiinfo.name;
        ei[n].eiinfo.hf_info.hfinfo.type = FT_NONE;
        ei[n].eiinfo.hf_info.hfinfo.display = BASE_NONE;
        ei[n].eiinfo.hf_info.hfinfo.id = -1;
        ei[n].eiinfo.hf_info.hfinfo.parent = 0;
        ei[n].eiinfo.hf_info.hfinfo.same_name_prev_id = -1;
        ei[n].eiinfo.orig_severity = EI_INIT_EI;
        n++;
    }
    expert_register_field_array(em, ei, n);
}

void proto_register_tcpdiag(void)
{
    static hf_register_info hf[] = {
        { &hf_stream, { "TCP stream", "tcpdiag.stream", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The tcp.stream this packet belongs to (also for ICMP errors quoting it)", HFILL } },
        { &hf_client_state, { "Client state", "tcpdiag.client_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "The client's state after this packet, as observed at the capture point (netstat spelling)", HFILL } },
        { &hf_server_state, { "Server state", "tcpdiag.server_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "The server's state after this packet, as observed at the capture point (netstat spelling)", HFILL } },
        { &hf_outcome, { "Outcome", "tcpdiag.outcome", FT_STRING, BASE_NONE, NULL, 0x0,
          "What became of the conversation (final in the GUI and tshark -2, best known so far in one pass)", HFILL } },
        { &hf_outcome_final, { "Outcome is final", "tcpdiag.outcome_final", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "True when the outcome was computed after the whole capture was read", HFILL } },
        { &hf_summary, { "Summary", "tcpdiag.summary", FT_STRING, BASE_NONE, NULL, 0x0,
          "One line explaining the outcome, with its numbers", HFILL } },
        { &hf_client_errno, { "Client errno", "tcpdiag.client_errno", FT_STRING, BASE_NONE, NULL, 0x0,
          "The errno the client application was given (Linux), where the capture shows it", HFILL } },
        { &hf_client_error, { "Client error", "tcpdiag.client_error", FT_STRING, BASE_NONE, NULL, 0x0,
          "The error message the client application reports (Linux strerror)", HFILL } },
        { &hf_role_basis, { "Roles decided by", "tcpdiag.role_basis", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the client was told from the server: syn, syn-ack, port or first-packet", HFILL } },
        { &hf_syn_count, { "SYN attempts", "tcpdiag.syn_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "SYNs the client sent, retransmissions included", HFILL } },
        { &hf_synack_count, { "SYN-ACK attempts", "tcpdiag.synack_count", FT_UINT32, BASE_DEC, NULL, 0x0,
          "SYN-ACKs the server sent, retransmissions included", HFILL } },
        { &hf_syn_schedule, { "SYN schedule", "tcpdiag.syn_schedule", FT_STRING, BASE_NONE, NULL, 0x0,
          "Seconds from the first SYN at which each SYN was sent", HFILL } },
        { &hf_syn_frame, { "First SYN", "tcpdiag.syn_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
          "The frame of the client's first SYN", HFILL } },
        { &hf_answer_frame, { "Answer", "tcpdiag.answer_frame", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
          "The frame that answered the SYN: SYN-ACK, RST or ICMP error", HFILL } },
        { &hf_synack_delay, { "SYN to SYN-ACK", "tcpdiag.synack_delay", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the SYN to the server's first SYN-ACK, at the capture point", HFILL } },
        { &hf_handshake_rtt, { "Handshake RTT", "tcpdiag.handshake_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the answered SYN to the ACK that completed the handshake", HFILL } },
        { &hf_unanswered_for, { "Unanswered for", "tcpdiag.unanswered_for", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the capture went on after the last unanswered SYN or SYN-ACK", HFILL } },
        { &hf_retransmission, { "Retransmission", "tcpdiag.retransmission", FT_UINT32, BASE_DEC, NULL, 0x0,
          "This SYN, SYN-ACK, FIN or data segment is the n-th retransmission", HFILL } },
        { &hf_retransmission_interval, { "Since previous attempt", "tcpdiag.retransmission_interval", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time since the previous transmission of the same SYN, SYN-ACK, FIN or data", HFILL } },
        { &hf_client_retransmissions, { "Client data retransmissions", "tcpdiag.client_retransmissions", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Segments in which the client sent data again that the server had not acknowledged", HFILL } },
        { &hf_server_retransmissions, { "Server data retransmissions", "tcpdiag.server_retransmissions", FT_UINT32, BASE_DEC, NULL, 0x0,
          "Segments in which the server sent data again that the client had not acknowledged", HFILL } },
        { &hf_retransmission_schedule, { "Retransmission schedule", "tcpdiag.retransmission_schedule", FT_STRING, BASE_NONE, NULL, 0x0,
          "Seconds from the first transmission of the data never acknowledged to each retransmission of it", HFILL } },
        { &hf_zero_window_for, { "Zero window for", "tcpdiag.zero_window_for", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the stalled reader kept its window closed (the longest spell)", HFILL } },
        { &hf_zero_window_probes, { "Zero-window probes", "tcpdiag.zero_window_probes", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The sender's probes of the closed window in that spell", HFILL } },
        { &hf_keepalives, { "Keepalive probes", "tcpdiag.keepalives", FT_UINT32, BASE_DEC, NULL, 0x0,
          "TCP keepalive probes of both sides", HFILL } },
        { &hf_idle_before_cut, { "Idle before the cut", "tcpdiag.idle_before_cut", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "How long the connection sat idle before the segment that was never answered or was reset: the path device's idle timeout is shorter", HFILL } },
        { &hf_path_mtu, { "Path MTU (ICMP)", "tcpdiag.path_mtu", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The MTU named by the first ICMP fragmentation-needed or packet-too-big about this conversation", HFILL } },
        { &hf_opened_late_by, { "Opened late by", "tcpdiag.opened_late_by", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time from the client's handshake ACK to the server's first segment after it sent its SYN-ACK again (accept queue full)", HFILL } },
        { &hf_conn_state, { "Zeek conn_state", "tcpdiag.conn_state", FT_STRING, BASE_NONE, NULL, 0x0,
          "Zeek's conn_state code for the conversation (S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH)", HFILL } },
        { &hf_history, { "Zeek history", "tcpdiag.history", FT_STRING, BASE_NONE, NULL, 0x0,
          "Zeek's history string: originator's letters upper case, responder's lower case", HFILL } },
        { &hf_closed_by, { "Closed first by", "tcpdiag.closed_by", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side sent the first FIN: client, server, or both (simultaneous close)", HFILL } },
        { &hf_close_type, { "Close", "tcpdiag.close_type", FT_STRING, BASE_NONE, NULL, 0x0,
          "How both FINs were exchanged: four-way, three-way (FIN and ACK in one segment) or simultaneous", HFILL } },
        { &hf_time_wait, { "In TIME_WAIT", "tcpdiag.time_wait", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side is in TIME_WAIT at the end: client, server or both", HFILL } },
        { &hf_reset_by, { "Reset by", "tcpdiag.reset_by", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which side sent the first reset: client or server", HFILL } },
        { &hf_client_bytes, { "Client bytes", "tcpdiag.client_bytes", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Payload bytes the client sent (retransmissions included)", HFILL } },
        { &hf_server_bytes, { "Server bytes", "tcpdiag.server_bytes", FT_UINT64, BASE_DEC, NULL, 0x0,
          "Payload bytes the server sent (retransmissions included)", HFILL } },
        { &hf_client_fins, { "Client FINs", "tcpdiag.client_fins", FT_UINT32, BASE_DEC, NULL, 0x0,
          "FIN segments the client sent, retransmissions included", HFILL } },
        { &hf_server_fins, { "Server FINs", "tcpdiag.server_fins", FT_UINT32, BASE_DEC, NULL, 0x0,
          "FIN segments the server sent, retransmissions included", HFILL } },
        { &hf_idle, { "Idle", "tcpdiag.idle", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "For a conversation still open: time from its last packet to the end of the capture (or this packet)", HFILL } },
        { &hf_reuse_of, { "Ports reused from stream", "tcpdiag.reuse_of", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The earlier tcp.stream on the same addresses and ports (port reuse)", HFILL } },
        { &hf_client_ttl, { "Client TTL", "tcpdiag.client_ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The TTL (hop limit) most of the client's packets carry at the capture point, resets not counted", HFILL } },
        { &hf_client_hops, { "Client hops", "tcpdiag.client_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops between the client and the capture point, from its TTL and the usual initial values 32, 64, 128, 255", HFILL } },
        { &hf_server_ttl, { "Server TTL", "tcpdiag.server_ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The TTL (hop limit) most of the server's packets carry at the capture point, resets not counted", HFILL } },
        { &hf_server_hops, { "Server hops", "tcpdiag.server_hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops between the server and the capture point, from its TTL and the usual initial values 32, 64, 128, 255", HFILL } },
        { &hf_client_ipid, { "Client IP ID", "tcpdiag.client_ipid", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the client's IPv4 identification behaves: zero, per-connection (+1 per packet), incrementing, random", HFILL } },
        { &hf_server_ipid, { "Server IP ID", "tcpdiag.server_ipid", FT_STRING, BASE_NONE, NULL, 0x0,
          "How the server's IPv4 identification behaves: zero, per-connection (+1 per packet), incrementing, random", HFILL } },
        { &hf_client_rtt, { "Round trip to client", "tcpdiag.client_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "From the capture point to the client and back: SYN-ACK to the ACK completing the handshake", HFILL } },
        { &hf_server_rtt, { "Round trip to server", "tcpdiag.server_rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "From the capture point to the server and back: SYN to SYN-ACK", HFILL } },
        { &hf_reset_assessment, { "Reset assessment", "tcpdiag.reset_assessment", FT_STRING, BASE_NONE, NULL, 0x0,
          "The worst assessment of the conversation's resets: genuine, in-path-device, suspicious, likely-forged", HFILL } },
        { &hf_rst_assessment, { "Reset forensics", "tcpdiag.rst.assessment", FT_STRING, BASE_NONE, NULL, 0x0,
          "Whether this reset came from the endpoint it claims: genuine, in-path-device, suspicious, likely-forged", HFILL } },
        { &hf_rst_claimed, { "Claimed sender", "tcpdiag.rst.claimed_sender", FT_STRING, BASE_NONE, NULL, 0x0,
          "The endpoint whose address and port the reset carries: client or server", HFILL } },
        { &hf_rst_accepted, { "Accepted", "tcpdiag.rst.accepted", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "The receiver acts on this reset (RFC 9293 3.10.7, RFC 5961 3.2)", HFILL } },
        { &hf_rst_ttl, { "TTL", "tcpdiag.rst.ttl", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The reset's TTL or hop limit", HFILL } },
        { &hf_rst_hops, { "Hops", "tcpdiag.rst.hops", FT_UINT8, BASE_DEC, NULL, 0x0,
          "Hops the reset travelled, from its TTL and the usual initial values", HFILL } },
        { &hf_rst_ip_id, { "IP ID", "tcpdiag.rst.ip_id", FT_UINT16, BASE_DEC, NULL, 0x0,
          "The reset's IPv4 identification", HFILL } },
        { &hf_rst_seq_offset, { "Sequence offset", "tcpdiag.rst.seq_offset", FT_INT32, BASE_DEC, NULL, 0x0,
          "The reset's sequence number minus the claimed sender's next sequence number as seen (0: exact)", HFILL } },
        { &hf_rst_ack_offset, { "Acknowledgement offset", "tcpdiag.rst.ack_offset", FT_INT32, BASE_DEC, NULL, 0x0,
          "The reset's acknowledgement minus the peer's next sequence number as seen (> 0: data never sent)", HFILL } },
        { &hf_rst_finding, { "Finding", "tcpdiag.rst.finding", FT_STRING, BASE_NONE, NULL, 0x0,
          "Token of each piece of evidence about this reset (see the README)", HFILL } },
        { &hf_rst_evidence, { "Evidence", "tcpdiag.rst.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
          "Each piece of evidence about this reset, in words with its numbers", HFILL } },
        { &hf_finding, { "Capture-wide finding", "tcpdiag.finding", FT_STRING, BASE_NONE, NULL, 0x0,
          "A pattern across conversations this one is part of: syn-flood, scan, close-wait-leak, time-wait-churn, shutdown-burst, ping-no-tcp (GUI and tshark -2)", HFILL } },
        { &hf_finding_text, { "Finding", "tcpdiag.finding_text", FT_STRING, BASE_NONE, NULL, 0x0,
          "The capture-wide finding in words, with its numbers", HFILL } },
        { &hf_icmp_about, { "ICMP error about", "tcpdiag.icmp_about", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
          "The SYN of the conversation this ICMP error refers to", HFILL } },
    };
    static gint *ett[] = { &ett_tcpdiag, &ett_rst, &ett_text, &ett_text_line };
    module_t *module;
    expert_module_t *em;

    proto_tcpdiag = proto_register_protocol("TCP connection diagnosis", "tcpdiag", "tcpdiag");
    proto_noted_tcp = register_noted("tcp", "TCP (headers noted by tcpdiag)", "tcpdiag.noted.tcp");
    proto_noted_icmp = register_noted("icmp", "ICMP (headers noted by tcpdiag)", "tcpdiag.noted.icmp");
    proto_noted_icmpv6 = register_noted("icmpv6", "ICMPv6 (headers noted by tcpdiag)", "tcpdiag.noted.icmpv6");
    proto_register_field_array(proto_tcpdiag, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));

    em = expert_register_protocol(proto_tcpdiag);
    static ei_register_info ei_outcome_reg[TD_OUT_COUNT], ei_event_reg[TD_EV_COUNT],
        ei_rst_reg[TD_RST_LEVEL_COUNT], ei_finding_reg[TD_FIND_COUNT];
    register_expert_table(em, ei_outcome, td_outcome_info, TD_OUT_COUNT, "tcpdiag.diag.", ei_outcome_reg);
    register_expert_table(em, ei_event, td_event_info, TD_EV_COUNT, "tcpdiag.event.", ei_event_reg);
    register_expert_table(em, ei_rst, td_rst_level_info, TD_RST_LEVEL_COUNT, "tcpdiag.rst.", ei_rst_reg);
    register_expert_table(em, ei_finding, td_finding_info, TD_FIND_COUNT, "tcpdiag.finding.",
                          ei_finding_reg);

    module = prefs_register_protocol(proto_tcpdiag, NULL);
    prefs_register_uint_preference(module, "answer_wait_ms",
        "Wait before calling a SYN unanswered (ms)",
        "How long the capture must go on after the last SYN (or SYN-ACK) before it counts "
        "as never answered; a capture that ends sooner reports syn-pending / synack-pending.",
        10, &pref_answer_wait_ms);
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

    tcpdiag_tap = register_tap("tcpdiag");
    tcpdiag_register_stats();

    register_init_routine(tcpdiag_init);
    register_cleanup_routine(tcpdiag_cleanup);
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

void proto_reg_handoff_tcpdiag(void)
{
    tcpdiag_handle = create_dissector_handle(dissect_tcpdiag, proto_tcpdiag);
    register_postdissector(tcpdiag_handle);
    tcpdiag_protocol = find_protocol_by_id(proto_tcpdiag);
    proto_tcp = proto_get_id_by_filter_name("tcp");
    note_in_front_of("tcp", IP_PROTO_TCP, dissect_tcp_noted, proto_noted_tcp, &tcp_handle);
    note_in_front_of("icmp", IP_PROTO_ICMP, dissect_icmp_noted, proto_noted_icmp, &icmp_handle);
    note_in_front_of("icmpv6", IP_PROTO_ICMPV6, dissect_icmpv6_noted, proto_noted_icmpv6, &icmpv6_handle);
}
