/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_findings.c - the capture-wide findings (td_findings.h).
 *
 * td_findings_add() turns a conversation into the few members it gives
 * the groups it belongs to: per kind of finding, the group's key (a
 * listener, a client or a server), a time, a source or target (the
 * "what" counted distinct) and what it adds to the group's counters.
 * td_findings_end() sorts each kind's members by key, so that a group is
 * a run of equal keys, and compares every group with the thresholds.
 * Sorting instead of hashing makes the order of the findings the same
 * every time, and the memory stays proportional to the conversations.
 */
#include "td_findings.h"

#include <arpa/inet.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

/*
 * The Linux timers these rules rely on are the engine's (td_engine.h):
 * TIME_WAIT lasts TD_TIME_WAIT_S (TCP_TIMEWAIT_LEN; 240 s elsewhere), so
 * only connections that entered it within that time before the end of
 * the capture still hold their port at its end; an unanswered SYN-ACK is
 * sent again first after 1 s (TCP_TIMEOUT_INIT), seen at the capture
 * point by TD_FIRST_RTX_MAX_S at the latest, so one older and never sent
 * again was a SYN cookie (the server kept no state to retransmit from).
 * The findings' texts print both numbers.
 */

/* Accept queue: how far before and after another conversation's SYN-ACK
 * a dropped SYN still counts as dropped while the listener answered
 * others; and how far the queue is shown full around the conversations it
 * did not take. */
#define QUEUE_AROUND_S 1.0

/* A group's key, or a member's source or target: an address, with a port
 * for a listener. */
typedef struct {
    td_addr  addr;   /* family 0: none (a member without source or target) */
    uint16_t port;   /* a listener's; 0 for an address alone */
} ep_key;

/* What one conversation gives one group. */
typedef struct {
    ep_key   key, what;
    double   ts;            /* the time the windows count */
    /* Accept queue: a conversation it did not take: its first packet and
     * when the queue stopped showing full (from, until); one whose SYNs it
     * may have dropped: its first and last SYN (from, until) and its own
     * SYN-ACK's time (own, -1 if none). */
    double   from, until, own;
    uint32_t id;
    size_t   order;         /* when it was added: a group keeps that order */
    uint8_t  a, b, c;       /* added to the group's counters (their meaning is per kind) */
} member;

typedef struct {
    member *v;
    size_t  n, cap;
} member_list;

typedef struct {
    td_found pub;
    char     *key, *text;
    uint32_t *ids;
} result;

typedef struct {
    td_addr  host;
    unsigned count;         /* replies; 0 and !used: empty slot */
    bool     used;
} echo_slot;

struct td_findings {
    td_findings_prefs prefs;
    double      now;
    /* Per kind, the members of its groups; PING_NO_TCP's are candidates
     * until the end (the echo replies are counted until then). */
    member_list kind[TD_FIND_COUNT];
    member_list answers;    /* listeners' SYN-ACKs (key, ts) */
    member_list dropped;    /* attempts whose SYNs a full accept queue may have dropped */
    size_t      added;      /* members added: the next one's order */
    unsigned    started, oneway_clients;
    bool        open;       /* between begin() and end() */
    bool        oom;        /* memory ran out since begin(): no findings */
    /* The findings. */
    result     *res;
    size_t      nres, capres;
    /* Which findings each conversation is in (the first TD_FINDINGS_SHOWN):
     * ids ascending, the findings of memb_id[i] at
     * memb_idx[memb_start[i] .. memb_start[i + 1]). */
    uint32_t   *memb_id, *memb_idx;
    size_t     *memb_start, nmemb;
    /* Echo replies per host: open addressing, at most half full. */
    echo_slot  *echo;
    size_t      echo_cap, echo_used;
};

void td_findings_prefs_default(td_findings_prefs *p)
{
    p->flood_min = TD_FLOOD_MIN_DEFAULT;
    p->flood_sources = TD_FLOOD_SOURCES_DEFAULT;
    p->flood_window_s = TD_FLOOD_WINDOW_S_DEFAULT;
    p->scan_min = TD_SCAN_MIN_DEFAULT;
    p->scan_window_s = TD_SCAN_WINDOW_S_DEFAULT;
    p->scan_failed_pct = TD_SCAN_FAILED_PCT_DEFAULT;
    p->leak_min = TD_LEAK_MIN_DEFAULT;
    p->tw_min = TD_TW_MIN_DEFAULT;
    p->tw_reuse_min = TD_TW_REUSE_MIN_DEFAULT;
    p->burst_min = TD_BURST_MIN_DEFAULT;
    p->burst_window_ms = TD_BURST_WINDOW_MS_DEFAULT;
}

/* A threshold of 0 would make a finding of nothing. */
static unsigned at_least_1(unsigned x)
{
    return x > 1u ? x : 1u;
}

/* ---- addresses and keys ---------------------------------------------- */

/* The unused bytes zeroed, the family 4 or 6: equal addresses compare
 * equal byte for byte. */
static td_addr addr_norm(const td_addr *a)
{
    return td_addr_of(a->family, a->bytes);
}

static ep_key key_of(const td_addr *a, uint16_t port)
{
    ep_key k;

    memset(&k, 0, sizeof k);
    k.addr = addr_norm(a);
    k.port = port;
    return k;
}

static const ep_key no_key;

/* IPv4 before IPv6, then the address's bytes, then the port. */
static int key_cmp(const ep_key *x, const ep_key *y)
{
    if (x->addr.family != y->addr.family)
        return x->addr.family < y->addr.family ? -1 : 1;
    const int d = memcmp(x->addr.bytes, y->addr.bytes, sizeof x->addr.bytes);
    if (d)
        return d < 0 ? -1 : 1;
    return x->port < y->port ? -1 : x->port > y->port;
}

#define ADDR_TEXT_MAX INET6_ADDRSTRLEN
#define KEY_TEXT_MAX  (ADDR_TEXT_MAX + 8)   /* "[", "]:" and a port */

/* An address as Wireshark's address_to_str() writes it: dotted decimal,
 * or inet_ntop()'s IPv6 text (which Wireshark uses too). */
static void addr_text(const td_addr *a, char *out)
{
    if (!inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->bytes, out, ADDR_TEXT_MAX))
        out[0] = '\0';  /* cannot happen: the buffer is large enough */
}

/* A listener: "addr:port", "[v6addr]:port"; else the address alone. */
static void key_text(const ep_key *k, bool with_port, char *out)
{
    char a[ADDR_TEXT_MAX];

    addr_text(&k->addr, a);
    if (!with_port)
        snprintf(out, KEY_TEXT_MAX, "%s", a);
    else if (k->addr.family == 6)
        snprintf(out, KEY_TEXT_MAX, "[%s]:%u", a, (unsigned)k->port);
    else
        snprintf(out, KEY_TEXT_MAX, "%s:%u", a, (unsigned)k->port);
}

/* ---- echo replies ------------------------------------------------------ */

static uint32_t addr_hash(const td_addr *a)
{
    uint32_t h = 2166136261u;   /* FNV-1a */

    h = (h ^ a->family) * 16777619u;
    for (size_t i = 0; i < sizeof a->bytes; i++)
        h = (h ^ a->bytes[i]) * 16777619u;
    return h;
}

/* The slot of `host` (normalised), or the empty slot where it goes. */
static echo_slot *echo_slot_of(echo_slot *tab, size_t cap, const td_addr *host)
{
    const size_t mask = cap - 1;

    for (size_t i = addr_hash(host) & mask;; i = (i + 1) & mask)
        if (!tab[i].used || memcmp(&tab[i].host, host, sizeof *host) == 0)
            return &tab[i];
}

static bool echo_grow(td_findings *f)
{
    const size_t cap = f->echo_cap ? f->echo_cap * 2 : 64;
    echo_slot *tab = (echo_slot *)calloc(cap, sizeof *tab);

    if (!tab)
        return false;
    for (size_t i = 0; i < f->echo_cap; i++)
        if (f->echo[i].used)
            *echo_slot_of(tab, cap, &f->echo[i].host) = f->echo[i];
    free(f->echo);
    f->echo = tab;
    f->echo_cap = cap;
    return true;
}

void td_findings_echo_reply(td_findings *f, const td_addr *host)
{
    const td_addr h = addr_norm(host);

    if ((f->echo_used + 1) * 2 > f->echo_cap && !echo_grow(f))
        return;   /* a host more or less: only ping-no-tcp looks at them */
    echo_slot *s = echo_slot_of(f->echo, f->echo_cap, &h);
    if (!s->used) {
        s->used = true;
        s->host = h;
        f->echo_used++;
    }
    s->count++;
}

/* The replies `host` sent; *seen: it sent any. */
static unsigned echo_count(const td_findings *f, const td_addr *host, bool *seen)
{
    const echo_slot *s = f->echo_cap ? echo_slot_of(f->echo, f->echo_cap, host) : NULL;

    *seen = s && s->used;
    return *seen ? s->count : 0;
}

/* ---- members ----------------------------------------------------------- */

static void push(td_findings *f, member_list *l, const member *m)
{
    if (l->n == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 64;
        member *v = (member *)realloc(l->v, cap * sizeof *v);
        if (!v) {
            f->oom = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = *m;
    l->v[l->n].order = f->added++;
    l->n++;
}

static member member_of(uint32_t id, const ep_key *key, const ep_key *what, double ts)
{
    member m;

    memset(&m, 0, sizeof m);
    m.id = id;
    m.key = *key;
    m.what = *what;
    m.ts = ts;
    return m;
}

/* Outcomes of an attempt left half-open or unanswered (SYN flood). */
static bool half_open(td_outcome o)
{
    return o == TD_OUT_SYN_PENDING || o == TD_OUT_SYN_UNANSWERED ||
           o == TD_OUT_SYNACK_PENDING || o == TD_OUT_SYNACK_UNANSWERED;
}

/* Outcomes a scanner's probe has when nothing listens or a firewall
 * stands in the way (SYN-ACKs, answered probes, are the ports it found). */
static bool probe_failed(td_outcome o)
{
    return o == TD_OUT_REFUSED || o == TD_OUT_ICMP_UNREACHABLE || o == TD_OUT_SYN_PENDING ||
           o == TD_OUT_SYN_UNANSWERED || o == TD_OUT_CLIENT_ABORTED;
}

/* When a server ended a conversation it had accepted by going away: its
 * reset, or a FIN its client never acknowledged (FIN_WAIT1: the client
 * was gone or cut off when the server went down).  A server that closes
 * normally (HTTP/1.0, idle timeouts) does not count.  -1: neither. */
static double server_cut_at(const td_conv *c, int sv)
{
    const td_endpoint *se = &c->ep[sv];

    if (c->first_fin_by == sv && se->state == TD_FIN_WAIT1 && !c->rst_frame)
        return se->fin_ts;
    if (c->rst_frame && c->rst_by == sv)
        return c->rst_ts;
    return -1.0;
}

/* When the listener's accept queue stopped showing full for a
 * conversation it did not take: the server took it at last, reset it, or
 * last sent its SYN-ACK again. */
static double queue_full_until(const td_conv *c)
{
    return c->late_open_frame ? c->late_open_ts : c->rst_frame ? c->rst_ts : c->last_synack_ts;
}

void td_findings_add(td_findings *f, uint32_t id, const td_conv *c, const td_addr addr[2],
                     const td_verdict *v)
{
    if (!f->open || !(c->flags & TD_C_STARTED))
        return;
    f->started++;
    const int sender = td_conv_one_way(c, NULL);
    if (sender >= 0) {
        /* The other side's states are inferred: no finding about them. */
        member m = member_of(id, &no_key, &no_key, c->first_ts);
        push(f, &f->kind[TD_FIND_ONE_WAY_CAPTURE], &m);
        f->oneway_clients += sender == c->client;
        return;
    }
    const int cl = c->client, sv = 1 - c->client;
    const td_endpoint *ce = &c->ep[cl], *se = &c->ep[sv];
    const ep_key listener = key_of(&addr[sv], c->port[sv]);
    const ep_key server = key_of(&addr[sv], 0), client = key_of(&addr[cl], 0);
    const bool attempt = c->role_basis == TD_ROLE_SYN;
    const double now = f->now;
    member m;

    if (attempt && half_open(v->outcome)) {
        m = member_of(id, &listener, &client, c->first_ts);
        m.a = se->synack_count > 0;
        /* SYN-ACKs old enough that Linux would have retransmitted them
         * unless they were SYN cookies. */
        if (se->synack_count > 0 && now - c->synack_ts >= TD_FIRST_RTX_MAX_S) {
            m.c = 1;
            m.b = se->synack_count > 1;
        }
        push(f, &f->kind[TD_FIND_SYN_FLOOD], &m);
    }
    if (attempt) {
        m = member_of(id, &client, &listener, c->first_ts);
        m.a = probe_failed(v->outcome);
        push(f, &f->kind[TD_FIND_SCAN], &m);
    }
    if (se->state == TD_CLOSE_WAIT) {
        m = member_of(id, &listener, &client, c->first_ts);
        push(f, &f->kind[TD_FIND_CLOSE_WAIT_LEAK], &m);
    }
    const bool tw_now = ce->state == TD_TIME_WAIT && now - ce->state_ts < TD_TIME_WAIT_S;
    const bool reused_tw = c->reuse_of && (c->reuse_time_wait & 1);
    if (tw_now || reused_tw) {
        m = member_of(id, &client, &no_key, c->last_ts);
        m.a = tw_now;
        m.b = reused_tw;
        push(f, &f->kind[TD_FIND_TIME_WAIT_CHURN], &m);
    }
    if (c->flags & TD_C_HANDSHAKE) {
        const double t = server_cut_at(c, sv);
        if (t >= 0.0) {
            m = member_of(id, &server, &no_key, t);
            m.a = se->state == TD_FIN_WAIT1;
            m.b = c->rst_frame && c->rst_by == sv;
            push(f, &f->kind[TD_FIND_SHUTDOWN_BURST], &m);
        }
    }
    if (v->outcome == TD_OUT_SYN_UNANSWERED) {
        /* Kept whether its server answered pings or not: the replies are
         * counted until the end. */
        m = member_of(id, &server, &listener, c->first_ts);
        push(f, &f->kind[TD_FIND_PING_NO_TCP], &m);
    }
    if (attempt) {
        /* The listener's answers, and SYNs it may have dropped. */
        if (c->synack_frame) {
            m = member_of(id, &listener, &no_key, c->synack_ts);
            push(f, &f->answers, &m);
        }
        if (v->outcome == TD_OUT_ACCEPT_QUEUE_FULL) {
            m = member_of(id, &listener, &client, c->first_ts);
            m.a = 1;
            m.from = c->first_ts;
            m.until = queue_full_until(c);
            push(f, &f->kind[TD_FIND_ACCEPT_QUEUE], &m);
        } else if (ce->syn_count > 1) {
            /* Linux clients send a SYN again that a full queue dropped:
             * a single SYN is a scanner's or an impatient client's. */
            m = member_of(id, &listener, &client, c->first_ts);
            m.from = c->syn0_ts;
            m.until = c->last_syn_ts;
            m.own = c->synack_frame ? c->synack_ts : -1.0;
            push(f, &f->dropped, &m);
        }
    }
}

/* ---- groups ------------------------------------------------------------ */

static int cmp_member(const void *x, const void *y)
{
    const member *a = (const member *)x, *b = (const member *)y;
    const int k = key_cmp(&a->key, &b->key);

    if (k)
        return k;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Answers: by listener, then time. */
static int cmp_answer(const void *x, const void *y)
{
    const member *a = (const member *)x, *b = (const member *)y;
    const int k = key_cmp(&a->key, &b->key);

    if (k)
        return k;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : a->ts > b->ts;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* (qsort must not be given the NULL of a list never allocated.) */
static void sort_members(member_list *l, int (*cmp)(const void *, const void *))
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp);
}

/* The length of the run of members with m[0]'s key. */
static size_t run_length(const member *m, size_t n)
{
    size_t k = 1;

    while (k < n && key_cmp(&m[k].key, &m[0].key) == 0)
        k++;
    return k;
}

/* The first of the n members (sorted by key) whose key is not below `key`. */
static size_t lower_bound(const member *m, size_t n, const ep_key *key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(&m[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#define NO_WHAT UINT32_MAX

typedef struct {
    ep_key   what;
    uint32_t i;
} what_ref;

static int cmp_what_ref(const void *x, const void *y)
{
    const what_ref *a = (const what_ref *)x, *b = (const what_ref *)y;
    const int k = key_cmp(&a->what, &b->what);

    if (k)
        return k;
    return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * The sources or targets of a group's n members, numbered in key order:
 * rank[i] for member i (NO_WHAT if it has none); first[r] (may be NULL)
 * a member with the r-th.  Returns how many distinct, or -1 if out of
 * memory.
 */
static long rank_whats(const member *m, size_t n, uint32_t *rank, uint32_t *first)
{
    what_ref *refs = (what_ref *)malloc((n ? n : 1) * sizeof *refs);
    size_t k = 0;
    long distinct = 0;

    if (!refs)
        return -1;
    for (size_t i = 0; i < n; i++) {
        rank[i] = NO_WHAT;
        if (m[i].what.addr.family) {
            refs[k].what = m[i].what;
            refs[k].i = (uint32_t)i;
            k++;
        }
    }
    qsort(refs, k, sizeof *refs, cmp_what_ref);
    for (size_t j = 0; j < k; j++) {
        if (j == 0 || key_cmp(&refs[j].what, &refs[j - 1].what) != 0) {
            if (first)
                first[distinct] = refs[j].i;
            distinct++;
        }
        rank[refs[j].i] = (uint32_t)(distinct - 1);
    }
    free(refs);
    return distinct;
}

typedef struct {
    double   t;
    uint32_t rank;
} stamp;

static int cmp_stamp(const void *x, const void *y)
{
    const double a = ((const stamp *)x)->t, b = ((const stamp *)y)->t;

    return a < b ? -1 : a > b;
}

/* What the busiest windows of a group hold. */
typedef struct {
    unsigned most;       /* the most members within any window */
    double   span;       /* the first such window's, first to last member */
    unsigned distinct;   /* the most distinct sources or targets within any window */
    unsigned all;        /* distinct sources or targets of the whole group */
} window_count;

/* Within any `window` seconds of the n members' times.  False if out of
 * memory. */
static bool count_in_window(const member *m, size_t n, double window, window_count *out)
{
    uint32_t *rank = (uint32_t *)malloc((n ? n : 1) * sizeof *rank);
    stamp *st = (stamp *)malloc((n ? n : 1) * sizeof *st);
    uint32_t *in = NULL;
    long distinct = -1;

    memset(out, 0, sizeof *out);
    if (rank && st)
        distinct = rank_whats(m, n, rank, NULL);
    if (distinct >= 0)
        in = (uint32_t *)calloc(distinct ? (size_t)distinct : 1, sizeof *in);
    if (!in) {
        free(rank);
        free(st);
        return false;
    }
    out->all = (unsigned)distinct;
    for (size_t i = 0; i < n; i++) {
        st[i].t = m[i].ts;
        st[i].rank = rank[i];
    }
    qsort(st, n, sizeof *st, cmp_stamp);
    /* Which member a time belongs to does not matter: members with equal
     * times enter the window at the same step of `hi` as far as the
     * counts go. */
    unsigned inwin = 0;
    size_t lo = 0;
    for (size_t hi = 0; hi < n; hi++) {
        if (st[hi].rank != NO_WHAT && in[st[hi].rank]++ == 0)
            inwin++;
        while (st[hi].t - st[lo].t > window) {
            if (st[lo].rank != NO_WHAT && --in[st[lo].rank] == 0)
                inwin--;
            lo++;
        }
        if (hi - lo + 1 > out->most) {
            out->most = (unsigned)(hi - lo + 1);
            out->span = st[hi].t - st[lo].t;
        }
        if (inwin > out->distinct)
            out->distinct = inwin;
    }
    free(in);
    free(rank);
    free(st);
    return true;
}

/* A group's counters: the sums of its members'. */
typedef struct {
    unsigned a, b, c;
} counters;

static counters sum_counters(const member *m, size_t n)
{
    counters s = { 0, 0, 0 };

    for (size_t i = 0; i < n; i++) {
        s.a += m[i].a;
        s.b += m[i].b;
        s.c += m[i].c;
    }
    return s;
}

/* ---- texts ------------------------------------------------------------- */

typedef struct {
    char  *s;
    size_t len, cap;
    bool   oom;
} text_buf;

static void text_add(text_buf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(text_buf *t, const char *fmt, ...)
{
    va_list ap;

    if (t->oom)
        return;
    va_start(ap, fmt);
    const int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->oom = true;
        return;
    }
    if (!t->s || t->len + (size_t)n >= t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap <= t->len + (size_t)n)
            cap *= 2;
        char *s = (char *)realloc(t->s, cap);
        if (!s) {
            t->oom = true;
            return;
        }
        t->s = s;
        t->cap = cap;
        va_start(ap, fmt);
        vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
    }
    t->len += (size_t)n;
}

/* ---- findings ---------------------------------------------------------- */

static void free_results(td_findings *f)
{
    for (size_t i = 0; i < f->nres; i++) {
        free(f->res[i].key);
        free(f->res[i].text);
        free(f->res[i].ids);
    }
    f->nres = 0;
    free(f->memb_id);
    free(f->memb_start);
    free(f->memb_idx);
    f->memb_id = f->memb_idx = NULL;
    f->memb_start = NULL;
    f->nmemb = 0;
}

static char *dup_text(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

/* A finding of the n members' conversations, and the `extra` of `more`
 * after them; takes `text` (NULL: out of memory). */
static void add_result(td_findings *f, td_finding kind, const char *key, text_buf *text,
                       const member *m, size_t n, const member *const *more, size_t extra)
{
    result r;

    memset(&r, 0, sizeof r);
    r.key = dup_text(key);
    r.text = text->oom ? NULL : text->s;
    r.ids = (uint32_t *)malloc((n + extra > 0 ? n + extra : 1) * sizeof *r.ids);
    if (f->nres == f->capres) {
        const size_t cap = f->capres ? f->capres * 2 : 16;
        result *v = (result *)realloc(f->res, cap * sizeof *v);
        if (v) {
            f->res = v;
            f->capres = cap;
        }
    }
    if (!r.key || !r.text || !r.ids || f->nres == f->capres) {
        free(r.key);
        free(text->s);
        free(r.ids);
        f->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        r.ids[i] = m[i].id;
    for (size_t i = 0; i < extra; i++)
        r.ids[n + i] = more[i]->id;
    r.pub.kind = kind;
    r.pub.key = r.key;
    r.pub.text = r.text;
    r.pub.count = (uint32_t)(n + extra);
    r.pub.ids = r.ids;
    f->res[f->nres++] = r;
}

static void syn_flood(td_findings *f, const member *m, size_t n, const char *key)
{
    window_count w;

    if (!count_in_window(m, n, (double)f->prefs.flood_window_s, &w)) {
        f->oom = true;
        return;
    }
    const counters g = sum_counters(m, n);
    const unsigned len = (unsigned)n;
    /* Without a single SYN-ACK, many clients retrying look the same as a
     * flood: an outage, not a finding of this kind. */
    if (w.most < at_least_1(f->prefs.flood_min) || w.distinct < at_least_1(f->prefs.flood_sources) ||
        g.a == 0)
        return;
    text_buf t = { 0 };
    text_add(&t, "SYN flood toward %s: %u connection attempts from %u source "
             "addresses left half-open or unanswered, up to %u within %.1f s; %u "
             "answered with SYN-ACK, %u never answered",
             key, len, w.all, w.most, w.span, g.a, len - g.a);
    if (g.c > 0)
        text_add(&t, "; of %u SYN-ACKs older than %.1f s, %u were retransmitted", g.c, TD_FIRST_RTX_MAX_S, g.b);
    if (g.c > 0 && g.b * 2 < g.c)
        text_add(&t, "%s", ": most never were, so the server answered with SYN cookies and "
                 "kept no state for them (net.ipv4.tcp_syncookies)");
    else if (g.b > 0 && len > g.a)
        text_add(&t, "%s", ", and later SYNs got no answer: the listen queue filled up "
                 "(no SYN cookies)");
    add_result(f, TD_FIND_SYN_FLOOD, key, &t, m, n, NULL, 0);
}

static void scan(td_findings *f, const member *m, size_t n, const char *key)
{
    window_count w;

    if (!count_in_window(m, n, (double)f->prefs.scan_window_s, &w)) {
        f->oom = true;
        return;
    }
    const counters g = sum_counters(m, n);
    const unsigned len = (unsigned)n;
    if (w.distinct < at_least_1(f->prefs.scan_min) ||
        (uint64_t)g.a * 100 < (uint64_t)len * f->prefs.scan_failed_pct)
        return;
    text_buf t = { 0 };
    text_add(&t, "Scan from %s: SYNs to %u targets (address and port) in %u conversations, up to %u "
             "within %.1f s; %u (%u%%) refused, rejected or unanswered",
             key, w.all, len, w.most, w.span, g.a,
             len ? (unsigned)((uint64_t)g.a * 100 / len) : 0);
    add_result(f, TD_FIND_SCAN, key, &t, m, n, NULL, 0);
}

static void close_wait_leak(td_findings *f, const member *m, size_t n, const char *key)
{
    if (n < at_least_1(f->prefs.leak_min))
        return;
    uint32_t *rank = (uint32_t *)malloc(n * sizeof *rank);
    const long clients = rank ? rank_whats(m, n, rank, NULL) : -1;
    free(rank);
    if (clients < 0) {
        f->oom = true;
        return;
    }
    text_buf t = { 0 };
    text_add(&t, "%s ends the capture with %u connections in CLOSE_WAIT from %u client addresses: its "
             "clients closed, its application never called close() on them",
             key, (unsigned)n, (unsigned)clients);
    add_result(f, TD_FIND_CLOSE_WAIT_LEAK, key, &t, m, n, NULL, 0);
}

static void time_wait_churn(td_findings *f, const member *m, size_t n, const char *key)
{
    const counters g = sum_counters(m, n);   /* a: in TIME_WAIT now, b: reused one */

    if (g.a < at_least_1(f->prefs.tw_min) && g.b < at_least_1(f->prefs.tw_reuse_min))
        return;
    text_buf t = { 0 };
    text_add(&t, "Client %s ends the capture holding %u connections in TIME_WAIT (closed by it first "
             "in the last %.0f s); %u of its new connections reused a port it still held in TIME_WAIT",
             key, g.a, TD_TIME_WAIT_S, g.b);
    add_result(f, TD_FIND_TIME_WAIT_CHURN, key, &t, m, n, NULL, 0);
}

static void shutdown_burst(td_findings *f, const member *m, size_t n, const char *key)
{
    window_count w;

    if (!count_in_window(m, n, f->prefs.burst_window_ms / 1000.0, &w)) {
        f->oom = true;
        return;
    }
    if (w.most < at_least_1(f->prefs.burst_min))
        return;
    const counters g = sum_counters(m, n);   /* a: FIN unacknowledged, b: reset */
    text_buf t = { 0 };
    text_add(&t, "Server %s reset or closed without an acknowledgement %u connections, up to %u "
             "within %.1f ms: a shutdown with clients connected; %u of them reset, %u left in "
             "FIN_WAIT1 with the FIN never acknowledged", key, (unsigned)n, w.most,
             w.span * 1e3, g.b, g.a);
    add_result(f, TD_FIND_SHUTDOWN_BURST, key, &t, m, n, NULL, 0);
}

/* No threshold: one unanswered attempt to a host that answers pings
 * already says the port, not the host, is filtered. */
static void ping_no_tcp(td_findings *f, const member *m, size_t n, const char *key)
{
    bool seen;
    const unsigned echoes = echo_count(f, &m[0].key.addr, &seen);

    if (!seen)
        return;
    uint32_t *rank = (uint32_t *)malloc(n * sizeof *rank);
    uint32_t *first = (uint32_t *)malloc(n * sizeof *first);
    const long ports = rank && first ? rank_whats(m, n, rank, first) : -1;
    text_buf list = { 0 }, t = { 0 };
    for (long r = 0; r < ports; r++) {
        char listener[KEY_TEXT_MAX];
        key_text(&m[first[r]].what, true, listener);
        text_add(&list, "%s%s", r ? ", " : "", listener);
    }
    free(rank);
    free(first);
    if (ports < 0 || list.oom) {
        free(list.s);
        f->oom = true;
        return;
    }
    text_add(&t, "%s answered %u ICMP echo requests, but %u connection attempts to %s were never "
             "answered: the host is up and reachable, a firewall drops the TCP port",
             key, echoes, (unsigned)n, list.s ? list.s : "");
    free(list.s);
    add_result(f, TD_FIND_PING_NO_TCP, key, &t, m, n, NULL, 0);
}

/* SYNs from `first` to `last` unanswered (or answered late) while the
 * listener answered another conversation's SYN at most QUEUE_AROUND_S
 * before or after; `own` is the conversation's own SYN-ACK's time.  The
 * listener's n answers are sorted by time. */
static bool answered_others_meanwhile(const member *answers, size_t n, double first, double last,
                                      double own)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {   /* the first answer at or after first - 1 s */
        const size_t mid = lo + (hi - lo) / 2;
        if (answers[mid].ts < first - QUEUE_AROUND_S)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n; i++) {
        const double t = answers[i].ts;
        if (t > last + QUEUE_AROUND_S)
            break;
        if (t != own)
            return true;
    }
    return false;
}

/* The n conversations whose handshake ACK the listener did not take, and
 * those of its attempts whose SYNs it dropped meanwhile.  No threshold:
 * one conversation not taken is already the listener's queue full. */
static void accept_queue(td_findings *f, const member *m, size_t n, const char *key)
{
    const size_t a0 = lower_bound(f->answers.v, f->answers.n, &m[0].key);
    const size_t d0 = lower_bound(f->dropped.v, f->dropped.n, &m[0].key);
    const size_t na = a0 < f->answers.n && key_cmp(&f->answers.v[a0].key, &m[0].key) == 0
                      ? run_length(f->answers.v + a0, f->answers.n - a0) : 0;
    const size_t nd = d0 < f->dropped.n && key_cmp(&f->dropped.v[d0].key, &m[0].key) == 0
                      ? run_length(f->dropped.v + d0, f->dropped.n - d0) : 0;
    /* (No arithmetic on a list never allocated.) */
    const member *answers = na ? f->answers.v + a0 : NULL, *dropped = nd ? f->dropped.v + d0 : NULL;
    const member **taken = (const member **)malloc((nd ? nd : 1) * sizeof *taken);
    size_t ntaken = 0;

    if (!taken) {
        f->oom = true;
        return;
    }
    /* Only while the queue is shown full: from the first conversation it
     * did not take to the last one's end, a second either side. */
    double span_lo = DBL_MAX, span_hi = -DBL_MAX;
    for (size_t i = 0; i < n; i++) {
        const double lo = m[i].from - QUEUE_AROUND_S, hi = m[i].until + QUEUE_AROUND_S;
        span_lo = span_lo < lo ? span_lo : lo;
        span_hi = span_hi > hi ? span_hi : hi;
    }
    for (size_t i = 0; i < nd; i++) {
        const member *d = &dropped[i];
        if (d->until < span_lo || d->from > span_hi)
            continue;
        if (answered_others_meanwhile(answers, na, d->from, d->until, d->own))
            taken[ntaken++] = d;
    }
    const unsigned not_taken = sum_counters(m, n).a, dropped_syns = (unsigned)ntaken;
    text_buf t = { 0 };
    text_add(&t, "Listener %s: accept queue full: %u connection%s whose handshake ACK it did not take "
             "(its SYN-ACK sent again, or the listener's reset), and %u connection attempt%s whose "
             "SYNs went unanswered or had to be sent again while it answered other clients' (Linux "
             "drops SYNs while the accept queue is full): its application does not call accept() "
             "fast enough; raise the listen() backlog (capped by net.core.somaxconn) or accept faster",
             key, not_taken, not_taken == 1 ? "" : "s", dropped_syns, dropped_syns == 1 ? "" : "s");
    add_result(f, TD_FIND_ACCEPT_QUEUE, key, &t, m, n, taken, ntaken);
    free(taken);
}

/* Every conversation shows one direction only (at least two of them: one
 * alone may be a conversation whose other side was not captured). */
static void one_way_capture(td_findings *f)
{
    const member_list *l = &f->kind[TD_FIND_ONE_WAY_CAPTURE];
    const unsigned n = (unsigned)l->n;

    if (n < 2 || n != f->started)
        return;
    text_buf t = { 0 };
    text_add(&t, "Every one of the %u TCP conversations in this capture shows one direction only (%u "
             "only the client's packets, %u only the server's), and their acknowledgements prove "
             "the other direction carried packets: the capture point sees one direction of the "
             "traffic (asymmetric routing, a one-way tap or SPAN port, a capture filter); capture "
             "where both directions pass to diagnose the connections", n,
             f->oneway_clients, n - f->oneway_clients);
    add_result(f, TD_FIND_ONE_WAY_CAPTURE, "capture", &t, l->v, l->n, NULL, 0);
}

typedef void group_rule(td_findings *f, const member *m, size_t n, const char *key);

/* The kinds decided per group, in the table's order, and whether a
 * group's key is a listener (address and port). */
static const struct {
    td_finding  kind;
    group_rule *rule;
    bool        listener;
} group_rules[] = {
    { TD_FIND_SYN_FLOOD,       syn_flood,       true },
    { TD_FIND_SCAN,            scan,            false },
    { TD_FIND_CLOSE_WAIT_LEAK, close_wait_leak, true },
    { TD_FIND_TIME_WAIT_CHURN, time_wait_churn, false },
    { TD_FIND_SHUTDOWN_BURST,  shutdown_burst,  false },
    { TD_FIND_PING_NO_TCP,     ping_no_tcp,     false },
    { TD_FIND_ACCEPT_QUEUE,    accept_queue,    true },
};

typedef struct {
    uint32_t id, finding;
    size_t   pos;
} membership;

static int cmp_membership(const void *x, const void *y)
{
    const membership *a = (const membership *)x, *b = (const membership *)y;

    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Which findings each conversation is in: the first TD_FINDINGS_SHOWN in
 * finding order.  False if out of memory. */
static bool index_findings(td_findings *f)
{
    size_t total = 0;

    for (size_t i = 0; i < f->nres; i++)
        total += f->res[i].pub.count;
    membership *all = (membership *)malloc((total ? total : 1) * sizeof *all);
    f->memb_id = (uint32_t *)malloc((total ? total : 1) * sizeof *f->memb_id);
    f->memb_start = (size_t *)malloc((total + 1) * sizeof *f->memb_start);
    f->memb_idx = (uint32_t *)malloc((total ? total : 1) * sizeof *f->memb_idx);
    if (!all || !f->memb_id || !f->memb_start || !f->memb_idx) {
        free(all);
        return false;
    }
    size_t k = 0;
    for (size_t i = 0; i < f->nres; i++)
        for (uint32_t j = 0; j < f->res[i].pub.count; j++, k++) {
            all[k].id = f->res[i].ids[j];
            all[k].finding = (uint32_t)i;
            all[k].pos = k;
        }
    qsort(all, total, sizeof *all, cmp_membership);
    size_t nidx = 0, shown = 0;
    for (size_t j = 0; j < total; j++) {
        if (j == 0 || all[j].id != all[j - 1].id) {
            f->memb_id[f->nmemb] = all[j].id;
            f->memb_start[f->nmemb++] = nidx;
            shown = 0;
        }
        if (shown < TD_FINDINGS_SHOWN) {
            f->memb_idx[nidx++] = all[j].finding;
            shown++;
        }
    }
    f->memb_start[f->nmemb] = nidx;
    free(all);
    return true;
}

/* ---- life cycle -------------------------------------------------------- */

td_findings *td_findings_new(void)
{
    td_findings *f = (td_findings *)calloc(1, sizeof *f);

    if (f)
        td_findings_prefs_default(&f->prefs);
    return f;
}

/* The members are only needed to decide: a capture's worth of them is
 * not kept beside the findings. */
static void free_members(td_findings *f)
{
    for (size_t k = 0; k < TD_FIND_COUNT; k++) {
        free(f->kind[k].v);
        memset(&f->kind[k], 0, sizeof f->kind[k]);
    }
    free(f->answers.v);
    free(f->dropped.v);
    memset(&f->answers, 0, sizeof f->answers);
    memset(&f->dropped, 0, sizeof f->dropped);
}

void td_findings_begin(td_findings *f, const td_findings_prefs *p, double now)
{
    free_results(f);
    free_members(f);
    f->open = true;
    f->added = 0;
    f->started = f->oneway_clients = 0;
    f->oom = false;
    f->prefs = *p;
    f->now = now;
}

void td_findings_end(td_findings *f)
{
    if (!f->open)
        return;
    f->open = false;
    free_results(f);
    if (f->oom) {
        free_members(f);
        return;
    }
    sort_members(&f->answers, cmp_answer);
    sort_members(&f->dropped, cmp_member);
    for (size_t r = 0; r < sizeof group_rules / sizeof group_rules[0] && !f->oom; r++) {
        member_list *l = &f->kind[group_rules[r].kind];
        sort_members(l, cmp_member);
        for (size_t i = 0; i < l->n && !f->oom;) {
            const size_t n = run_length(l->v + i, l->n - i);
            char key[KEY_TEXT_MAX];
            key_text(&l->v[i].key, group_rules[r].listener, key);
            group_rules[r].rule(f, l->v + i, n, key);
            i += n;
        }
    }
    if (!f->oom)
        one_way_capture(f);
    if (f->oom || !index_findings(f))
        free_results(f);   /* all or nothing */
    free_members(f);
}

void td_findings_free(td_findings *f)
{
    if (!f)
        return;
    free_results(f);
    free(f->res);
    free_members(f);
    free(f->echo);
    free(f);
}

/* ---- results ----------------------------------------------------------- */

size_t td_findings_count(const td_findings *f)
{
    return f->nres;
}

const td_found *td_findings_get(const td_findings *f, size_t i)
{
    return i < f->nres ? &f->res[i].pub : NULL;
}

size_t td_findings_of(const td_findings *f, uint32_t id, const uint32_t **found_idx)
{
    size_t lo = 0, hi = f->nmemb;

    if (found_idx)
        *found_idx = NULL;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (f->memb_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == f->nmemb || f->memb_id[lo] != id)
        return 0;
    if (found_idx)
        *found_idx = f->memb_idx + f->memb_start[lo];
    return f->memb_start[lo + 1] - f->memb_start[lo];
}

bool td_findings_has(const td_findings *f, uint32_t id, td_finding kind)
{
    const uint32_t *idx;
    const size_t n = td_findings_of(f, id, &idx);

    for (size_t i = 0; i < n; i++)
        if (f->res[idx[i]].pub.kind == kind)
            return true;
    return false;
}

void td_findings_refine(const td_findings *f, uint32_t id, td_verdict *v)
{
    if (v->outcome == TD_OUT_SYN_UNANSWERED && td_findings_has(f, id, TD_FIND_ACCEPT_QUEUE))
        v->listener_busy = true;
}
