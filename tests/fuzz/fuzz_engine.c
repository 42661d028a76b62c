/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_engine.c - libFuzzer target for tcpdiag's engine.
 *
 * The input is one conversation: a header (the endpoints' initial
 * sequence numbers, ports, an earlier conversation on the same ports) and
 * a sequence of packets, segments or ICMP errors, as the glue would feed
 * them.  The target feeds them to a td_conv and, after every packet,
 * reads everything the glue and the tables read, and checks:
 *
 *   - every state is a netstat state, every outcome, event, error, reset
 *     level and Zeek conn_state one of the table's, every text a line of
 *     printable UTF-8 that fits its buffer and is cut for the tree and
 *     the expert message within the text and between characters;
 *   - no counter wraps, and none but a count of the current attempt goes
 *     down;
 *   - the report and the per-packet steps are a pure function of the
 *     packets: a second conversation fed the same packets without being
 *     read in between gives the same, byte for byte; so does one kept as
 *     its opening segments first, as the glue keeps it (td_log), rebuilt
 *     from them, then fed the rest.
 *
 * Any failure aborts (a crash for libFuzzer), after printing what differs.
 * The input format is in fuzz_format.h; how to run it, in the README's
 * "Hostile and broken captures".
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_engine.h"
#include "td_log.h"
#include "td_text.h"
#include "td_zeek.h"

#include "fuzz_format.h"

/* An input may repeat a segment (FZ_OP_REPEAT) to push counters past
 * 65535; all repeats of an input together stop here. */
#define MAX_PACKETS 80000u

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("fuzz_engine: invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) \
            fail(__VA_ARGS__); \
    } while (0)

/* ---- one packet of the input ------------------------------------------ */

typedef struct {
    bool     icmp;
    uint32_t repeat;   /* sent this many times more, on the frames after */
    double   step;     /* ... each this much later, with the next IPv4 identification */
    td_segment s;      /* s.frame, s.ts: of an ICMP error too */
    td_icmp  m;
} packet;

/* Copy t of the packet (0: itself). */
static td_segment copy_of(const packet *pk, uint32_t t)
{
    td_segment s = pk->s;

    s.frame += t;
    s.ts += (double)t * pk->step;
    s.ip_id = (uint16_t)(s.ip_id + t);
    return s;
}

/* What the input asks of the reader (header byte 12). */
static bool opt_no_icmp_source, opt_listener_busy;

typedef struct {
    uint32_t isn[2];
    uint16_t port[2];
    uint8_t  cfg;
    uint32_t nxt[2];   /* the highest end of sequence space each side used */
    bool     sent[2];
    double   ts;
    uint32_t frame;
} cursor;

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }

static const struct { uint8_t type, code; bool v6; } icmp_kinds[] = {
    {3, 0, false}, {3, 1, false}, {3, 3, false}, {3, 4, false}, {3, 9, false}, {3, 10, false},
    {3, 13, false}, {11, 0, false}, {12, 0, false}, {4, 0, false}, {5, 0, false},
    {1, 0, true}, {1, 1, true}, {1, 3, true}, {1, 4, true}, {2, 0, true}, {3, 0, true},
    {4, 0, true}, {8, 0, false}, {128, 0, true}, {0, 0, false}, {255, 255, true},
    {3, 2, false}, {3, 5, false}, {3, 7, false}, {3, 8, false}, {1, 5, true}, {1, 6, true},
};

/* Seconds from a time code: m * 10^(e-6), e = code >> 5; 0xff steps back. */
static double time_step(uint8_t code)
{
    static const double scale[8] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

    if (code == 0xff)
        return -0.001;
    return (double)(code & 31) * scale[code >> 5];
}

static void decode(cursor *k, const uint8_t *r, packet *pk)
{
    const uint8_t op = r[0];
    const uint8_t sender = op & FZ_OP_SENDER1 ? 1 : 0;
    const uint16_t extra = rd16(r + 18);

    memset(pk, 0, sizeof *pk);
    pk->step = time_step(r[15]);
    k->ts += pk->step;
    k->frame++;
    if ((op & FZ_OP_KIND) == FZ_OP_ICMP) {
        unsigned i = extra % (sizeof icmp_kinds / sizeof icmp_kinds[0]);

        pk->icmp = true;
        pk->m.type = icmp_kinds[i].type;
        pk->m.code = icmp_kinds[i].code;
        pk->m.v6 = icmp_kinds[i].v6;
        pk->m.about = sender;
        pk->m.from_destination = (op & FZ_OP_DF) != 0;
        pk->m.mtu = rd16(r + 12);
        pk->s.frame = k->frame;
        pk->s.ts = k->ts;
        return;
    }
    td_segment *s = &pk->s;
    s->frame = k->frame;
    s->ts = k->ts;
    s->sender = sender;
    s->flags = r[1] & 0x3f;
    s->payload_len = rd16(r + 2);
    uint32_t seq = rd32(r + 4), ack = rd32(r + 8);
    /* Absolute: an offset from the sender's (the peer's) initial sequence
     * number.  Relative: a signed 16-bit step from where that side got to. */
    s->seq = op & FZ_OP_SEQ_REL ? k->nxt[sender] + (uint32_t)(int32_t)(int16_t)seq
                                : k->isn[sender] + seq;
    s->ack = op & FZ_OP_ACK_REL ? k->nxt[1 - sender] + (uint32_t)(int32_t)(int16_t)ack
                                : k->isn[1 - sender] + ack;
    s->window = rd16(r + 12);
    s->ttl = r[14];
    s->ip_id = rd16(r + 16);
    s->ip = op & FZ_OP_IP6 ? 6 : 4;
    s->df = (op & FZ_OP_DF) != 0;
    if (op & FZ_OP_SACK) {
        s->sack_left = s->ack + (extra & 0xff) * 100u;
        s->sack_right = s->sack_left + (extra >> 8) * 100u;
    }
    if ((op & FZ_OP_KIND) == FZ_OP_REPEAT)
        pk->repeat = extra == 0xffff ? 65536u : extra & 0xffu;
    uint32_t end = s->seq + s->payload_len + (s->flags & TD_TH_SYN ? 1u : 0) +
                   (s->flags & TD_TH_FIN ? 1u : 0);
    if (!k->sent[sender] || td_seq_gt(end, k->nxt[sender]))
        k->nxt[sender] = end;
    k->sent[sender] = true;
}

/* ---- the report: everything the glue and the tables read -------------- */

typedef struct {
    char  *buf;
    size_t len, cap;
} report;

static void put(report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(report *r, const char *fmt, ...)
{
    va_list ap;

    if (!r->buf) {
        r->cap = 4096;
        r->buf = malloc(r->cap);
        CHECK(r->buf != NULL, "out of memory");
    }
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(r->buf + r->len, r->cap - r->len, fmt, ap);
        va_end(ap);
        CHECK(n >= 0, "vsnprintf failed");
        if ((size_t)n < r->cap - r->len) {
            r->len += (size_t)n;
            return;
        }
        r->cap = r->cap * 2 + (size_t)n;
        r->buf = realloc(r->buf, r->cap);
        CHECK(r->buf != NULL, "out of memory");
    }
}

static const char *const netstat[TD_STATE_COUNT] = {
    "CLOSED", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
    "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};

static const char *state_word(unsigned s)
{
    CHECK(s < TD_STATE_COUNT, "state %u is not a netstat state", s);
    const char *name = td_state_name((td_state)s);
    CHECK(name && strcmp(name, netstat[s]) == 0, "state %u is named %s", s, name ? name : "NULL");
    return name;
}

/* A line of printable UTF-8 (no control characters, whole characters). */
static void check_text(const char *what, const char *t, size_t len, size_t room)
{
    CHECK(len < room, "%s: %zu bytes in a buffer of %zu", what, len, room);
    CHECK(strlen(t) == len, "%s: length %zu, returned %zu", what, strlen(t), len);
    for (size_t i = 0; i < len;) {
        const unsigned char ch = (unsigned char)t[i];
        size_t n = ch < 0x80 ? 1 : (ch & 0xe0) == 0xc0 ? 2 : (ch & 0xf0) == 0xe0 ? 3
                 : (ch & 0xf8) == 0xf0 ? 4 : 0;
        CHECK(n != 0 && i + n <= len, "%s: not UTF-8 at byte %zu: %s", what, i, t);
        CHECK(ch >= 0x20 && ch != 0x7f, "%s: control character at byte %zu: %s", what, i, t);
        for (size_t j = 1; j < n; j++)
            CHECK(((unsigned char)t[i + j] & 0xc0) == 0x80, "%s: not UTF-8 at byte %zu: %s", what, i, t);
        i += n;
    }
}

static bool utf8_inside(const char *t, size_t at)
{
    return ((unsigned char)t[at] & 0xc0) == 0x80;
}

/* The text cut for the tree (td_text_lines) and for an expert message
 * (td_text_fit): lines in order, within the text and the width, never
 * inside a UTF-8 character. */
static void check_cut(const char *what, const char *t, size_t len)
{
    td_span sp[96];
    const size_t width = 40;
    size_t n = td_text_lines(t, width, sp, sizeof sp / sizeof sp[0]), end = 0;

    CHECK(len == 0 || n > 0, "%s: no line for %zu bytes", what, len);
    for (size_t i = 0; i < n && i < sizeof sp / sizeof sp[0]; i++) {
        CHECK(sp[i].start >= end && sp[i].start + sp[i].len <= len && sp[i].len <= width &&
              !utf8_inside(t, sp[i].start) && !utf8_inside(t, sp[i].start + sp[i].len),
              "%s: line %zu (%zu+%zu) of %zu bytes: %s", what, i, sp[i].start, sp[i].len, len, t);
        end = sp[i].start + sp[i].len;
    }
    if (len > 60) {
        size_t fit = td_text_fit(t, 60);
        CHECK(fit > 0 && fit <= 60 && !utf8_inside(t, fit), "%s: fit at %zu: %s", what, fit, t);
    }
}

/* A text writer called with a large buffer and a small one: the small
 * one holds a prefix of the large one's text. */
#define TEXT_ROOM 2048
#define SMALL_ROOM 24
#define PUT_TEXT(r, what, call_big, call_small) \
    do { \
        char big_[TEXT_ROOM], small_[SMALL_ROOM]; \
        size_t nb_ = (call_big), ns_ = (call_small); \
        check_text(what, big_, nb_, sizeof big_); \
        check_cut(what, big_, nb_); \
        CHECK(ns_ < sizeof small_ && strlen(small_) == ns_ && strncmp(big_, small_, ns_) == 0, \
              "%s: cut to %zu bytes it is not a prefix: \"%s\" of \"%s\"", what, ns_, small_, big_); \
        put(r, "%s: %s\n", what, big_); \
    } while (0)

static void report_verdict(report *r, const td_conv *c, double now, bool final, const td_prefs *p,
                           uint32_t last_frame)
{
    td_verdict v = td_conv_verdict(c, now, p);
    td_verdict again = td_conv_verdict(c, now, p);

    CHECK(memcmp(&v, &again, sizeof v) == 0, "td_conv_verdict differs when asked twice");
    CHECK((unsigned)v.outcome < TD_OUT_COUNT, "outcome %u", (unsigned)v.outcome);
    CHECK((unsigned)v.client_error < TD_ERR_COUNT, "client error %u", (unsigned)v.client_error);
    CHECK(v.subject <= 2, "subject %u", v.subject);
    CHECK(v.key_frame <= last_frame && v.answer_frame <= last_frame,
          "key frame %u / answer frame %u after the last frame %u", v.key_frame, v.answer_frame,
          last_frame);
    v.listener_busy = opt_listener_busy;
    put(r, "verdict@%.6f: %s %s key %u answer %u gave_up %d subject %u/%d\n", now,
        td_outcome_info[v.outcome].token, td_client_error_name[v.client_error], v.key_frame,
        v.answer_frame, v.client_gave_up, v.subject, v.gave_up);
    const char *source = opt_no_icmp_source ? NULL : "198.51.100.1";
    PUT_TEXT(r, final ? "summary(final)" : "summary",
             td_conv_summary(c, &v, now, final, source, big_, sizeof big_),
             td_conv_summary(c, &v, now, final, source, small_, sizeof small_));
    bool rec0 = false, rec1 = false;
    double zw0 = td_flow_zero_window(c, 0, now, &rec0), zw1 = td_flow_zero_window(c, 1, now, &rec1);
    CHECK(zw0 >= 0 && zw1 >= 0 && isfinite(zw0) && isfinite(zw1), "zero window %g %g", zw0, zw1);
    put(r, "zero windows %.6f/%d %.6f/%d\n", zw0, rec0, zw1, rec1);
}

static void report_resets(report *r, const td_conv *c)
{
    CHECK(c->nrsts <= TD_MAX_RSTS && c->nrsts <= c->rsts_seen && (c->nrsts == 0 || c->rsts),
          "%u resets recorded of %u seen", c->nrsts, c->rsts_seen);
    for (uint32_t i = 0; i < c->nrsts; i++) {
        static td_rst_view v; /* large: not on the stack */
        td_rst_assess(c, i, true, &v);
        CHECK((unsigned)v.level < TD_RST_LEVEL_COUNT, "reset level %u", (unsigned)v.level);
        CHECK(v.level == td_rst_level_of(c, i), "reset %u: level %u with words, %u without", i,
              (unsigned)v.level, (unsigned)td_rst_level_of(c, i));
        CHECK(v.found < 1u << TD_RF_COUNT, "reset %u: findings %#x", i, v.found);
        int at = td_conv_rst_index(c, c->rsts[i].frame);
        CHECK(at >= 0 && (uint32_t)at <= i && c->rsts[at].frame == c->rsts[i].frame,
              "reset %u (frame %u) is found at %d", i, c->rsts[i].frame, at);
        put(r, "reset %u frame %u: %s %#x\n", i, c->rsts[i].frame, td_rst_level_info[v.level].token,
            v.found);
        for (int f = 0; f < TD_RF_COUNT; f++) {
            if (!(v.found & 1u << f))
                continue;
            check_text("reset finding", v.text[f], strlen(v.text[f]), TD_RST_TEXT);
            put(r, "  %s: %s\n", td_rst_finding_info_table[f].token, v.text[f]);
        }
        PUT_TEXT(r, "reset summary", td_rst_summary(c, i, big_, sizeof big_),
                 td_rst_summary(c, i, small_, sizeof small_));
    }
    uint32_t which = 0;
    td_rst_level worst = td_conv_rst_worst(c, &which);
    CHECK((unsigned)worst < TD_RST_LEVEL_COUNT && (c->nrsts == 0 || which < c->nrsts),
          "worst reset %u at %u", (unsigned)worst, which);
    put(r, "worst reset: %s at %u\n", td_rst_level_info[worst].token, c->nrsts ? which : 0);
}

static void make_report(report *r, const td_conv *c, double end, const td_prefs *p,
                        uint32_t last_frame)
{
    r->len = 0;
    put(r, "packets %u client %u (%s) flags %#x\n", c->packets, c->client,
        td_role_basis_name((td_role_basis)c->role_basis), c->flags);
    CHECK(c->client <= 1, "client %u", c->client);
    CHECK(c->role_basis <= TD_ROLE_FIRST, "role basis %u", c->role_basis);
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &c->ep[i];
        put(r, "ep%d %s know %#x syn %u synack %u fin %u rst %u bytes %llu ttl %u/%u ipid %s rtt %.6f\n",
            i, state_word(e->state), e->know, e->syn_count, e->synack_count, e->fin_count,
            e->rst_count, (unsigned long long)e->bytes, td_baseline_ttl(&e->base),
            td_initial_ttl(td_baseline_ttl(&e->base)), td_baseline_ipid(&e->base),
            td_conv_rtt_via(c, i));
        PUT_TEXT(r, "retransmissions", td_flow_rtx_schedule(c, i, big_, sizeof big_),
                 td_flow_rtx_schedule(c, i, small_, sizeof small_));
    }
    put(r, "client %s server %s\n", state_word(td_client_state(c)), state_word(td_server_state(c)));
    uint32_t unseen = 0;
    int one_way = td_conv_one_way(c, &unseen);
    CHECK(one_way >= -1 && one_way <= 1, "one way %d", one_way);
    put(r, "one-way %d (%u) time-wait %s closed-by %s close %s reset-by %s syn-limit %d\n",
        one_way, unseen, td_conv_time_wait_side(c), td_conv_closed_by(c), td_conv_close_type(c),
        td_conv_reset_by(c), td_conv_syn_limit_reached(c));
    PUT_TEXT(r, "syn schedule", td_conv_syn_schedule(c, big_, sizeof big_),
             td_conv_syn_schedule(c, small_, sizeof small_));
    const char *zs = td_zeek_conn_state(&c->zeek);
    /* Nothing before the first segment (the glue starts a conversation
     * with one). */
    CHECK(zs && (c->packets == 0 ? !c->zeek.started
                 : td_zeek_conn_state_meaning(zs) && *td_zeek_conn_state_meaning(zs)),
          "Zeek conn_state \"%s\" after %u segments", zs ? zs : "NULL", c->packets);
    CHECK(c->zeek.hist_len <= TD_ZEEK_HISTORY_MAX &&
          strlen(c->zeek.history) == c->zeek.hist_len, "Zeek history %u bytes", c->zeek.hist_len);
    for (unsigned i = 0; i < c->zeek.hist_len; i++)
        CHECK(strchr("SsHhAaDdFfRrCcGgIiQqTtWw^", c->zeek.history[i]) != NULL,
              "Zeek history letter %c", c->zeek.history[i]);
    put(r, "zeek %s %s\n", zs, c->zeek.history);
    report_resets(r, c);
    report_verdict(r, c, c->last_ts, false, p, last_frame);
    report_verdict(r, c, end, true, p, last_frame);
}

/* ---- counters never wrap ---------------------------------------------- */

/* Counts of what happened in the whole conversation never go down; a
 * count of the current attempt (a SYN's retransmissions: a new attempt
 * on the same ports starts it over at 1) may, but never from its largest
 * value to 0 (a wrap: they are read after every packet, which adds one). */
typedef struct {
    uint64_t v[40], max[40];
    const char *name[40];
    bool attempt[40];
    unsigned n;
} counters;

#define COUNTER(k, x, per_attempt) \
    ((k)->name[(k)->n] = #x, (k)->attempt[(k)->n] = (per_attempt), \
     (k)->max[(k)->n] = sizeof(x) >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * sizeof(x))) - 1, \
     (k)->v[(k)->n++] = (uint64_t)(x))

/* Called after every packet of a long run: not traced for coverage. */
__attribute__((no_sanitize("coverage")))
static void take_counters(const td_conv *c, counters *k)
{
    const td_more *m = td_more_of(c);

    k->n = 0;
#define C(x) COUNTER(k, x, false)
    C(c->packets); C(c->rsts_seen); C(c->syn_retries_after_synack); C(c->synack_after_hs);
    C(c->zeek.hist_len); C(m->too_big_count);
    for (int i = 0; i < 2; i++) {
        const td_endpoint *e = &c->ep[i];
        COUNTER(k, e->syn_count, true);
        C(e->bytes); C(e->synack_count); C(e->fin_count); C(e->rst_count);
        C(e->base.id_n); C(e->base.id_zero); C(e->base.id_step1); C(e->base.id_small);
        C(m->ep[i].rtx_total); C(m->ep[i].ka_total); C(m->ep[i].zw_episodes);
        C(c->zeek.ep[i].fin_cnt); C(c->zeek.ep[i].rxmit); C(c->zeek.ep[i].win0);
        C(c->zeek.ep[i].gap);
    }
#undef C
}

__attribute__((no_sanitize("coverage")))
static void check_counters(const counters *before, const counters *after, uint32_t frame)
{
    for (unsigned i = 0; i < after->n; i++) {
        const uint64_t was = before->v[i], now = after->v[i];
        CHECK(!(was == after->max[i] && now == 0), "%s wrapped at frame %u: %llu -> 0",
              after->name[i], frame, (unsigned long long)was);
        CHECK(after->attempt[i] || now >= was, "%s went down at frame %u: %llu -> %llu",
              after->name[i], frame, (unsigned long long)was, (unsigned long long)now);
    }
}

/* The steps the glue keeps per frame for later passes, folded (FNV-1a). */
static uint64_t fold_step(uint64_t h, const td_step *st)
{
    uint64_t bits;
    const uint64_t v[] = {st->client_state, st->server_state, st->event, st->changed, st->count,
                          st->rst_news};

    memcpy(&bits, &st->interval, sizeof bits);
    for (size_t i = 0; i <= sizeof v / sizeof v[0]; i++)
        h = (h ^ (i < sizeof v / sizeof v[0] ? v[i] : bits)) * 0x100000001b3ull;
    return h;
}

static void check_step(const td_step *st, const td_conv *c)
{
    state_word(st->client_state);
    state_word(st->server_state);
    CHECK(st->client_state == td_client_state(c) && st->server_state == td_server_state(c),
          "the step's states %u/%u are not the conversation's %u/%u", st->client_state,
          st->server_state, td_client_state(c), td_server_state(c));
    CHECK(st->event < TD_EV_COUNT, "event %u", st->event);
    CHECK(isfinite(st->interval), "interval %g", st->interval);
}

/* ---- the target --------------------------------------------------------- */

/* An earlier conversation on the same addresses and ports. */
static void make_previous(td_conv *prev, uint8_t kind, const cursor *k, double t0)
{
    static const uint8_t closes[3][4] = {
        {TD_TH_FIN | TD_TH_ACK, TD_TH_FIN | TD_TH_ACK, TD_TH_ACK, 0},  /* client closes first */
        {TD_TH_ACK, TD_TH_FIN | TD_TH_ACK, TD_TH_FIN | TD_TH_ACK, TD_TH_ACK}, /* server first */
        {TD_TH_RST, 0, 0, 0}};
    td_conv_init(prev, k->port[0], k->port[1]);
    td_segment s = {.frame = 1, .ts = t0, .seq = 1000, .flags = TD_TH_SYN, .ip = 4, .ttl = 64};
    td_conv_on_segment(prev, &s);
    s = (td_segment){.frame = 2, .ts = t0 + 0.001, .seq = 5000, .ack = 1001,
                     .flags = TD_TH_SYN | TD_TH_ACK, .sender = 1, .ip = 4, .ttl = 64};
    td_conv_on_segment(prev, &s);
    s = (td_segment){.frame = 3, .ts = t0 + 0.002, .seq = 1001, .ack = 5001, .flags = TD_TH_ACK,
                     .ip = 4, .ttl = 64};
    td_conv_on_segment(prev, &s);
    uint32_t nxt[2] = {1001, 5001};
    for (int i = 0; i < 4 && closes[kind][i]; i++) {
        uint8_t from = (uint8_t)((kind == 1) ^ (i & 1));
        s = (td_segment){.frame = 4u + (uint32_t)i, .ts = t0 + 0.01 * (i + 1), .seq = nxt[from],
                         .ack = nxt[1 - from], .flags = closes[kind][i], .sender = from, .ip = 4,
                         .ttl = 64};
        td_conv_on_segment(prev, &s);
        if (closes[kind][i] & TD_TH_FIN)
            nxt[from]++;
    }
}

static void start(td_conv *c, const cursor *k, const td_conv *prev)
{
    td_conv_init(c, k->port[0], k->port[1]);
    if (prev)
        td_conv_set_reuse(c, prev, 7);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < FZ_HEADER)
        return 0;
    cursor k = {.isn = {rd32(data), rd32(data + 4)}, .port = {rd16(data + 8), rd16(data + 10)},
                .cfg = data[12], .ts = 1.7e9};
    td_prefs prefs;
    td_prefs_default(&prefs);
    if (data[13] & 0x80)
        prefs.answer_wait = (double)(data[13] & 0x7f) / 4.0;
    const double tail = (double)(k.cfg >> 2 & 3) * 45.0; /* the capture goes on after the last packet */
    const size_t npk = (size - FZ_HEADER) / FZ_RECORD;
    packet *pks = calloc(npk ? npk : 1, sizeof *pks);
    CHECK(pks != NULL, "out of memory");

    td_conv prev, a, b, g, scratch;
    const bool reuse = (k.cfg & 3) != 3;
    static const double reuse_gap[4] = {0.5, 5, 30, 100};
    opt_no_icmp_source = (k.cfg & 0x40) != 0;
    opt_listener_busy = (k.cfg & 0x80) != 0;
    if (reuse)
        make_previous(&prev, k.cfg & 3, &k, k.ts - 0.05 - reuse_gap[k.cfg >> 4 & 3]);
    start(&a, &k, reuse ? &prev : NULL);
    const td_origin origin = td_origin_of(&a);

    report ra = {0}, rb = {0};
    counters before, after;
    take_counters(&a, &before);
    uint32_t total = 0;
    size_t used = 0;
    bool long_run = false;
    uint64_t steps_a = 0xcbf29ce484222325ull, steps_b = steps_a, steps_g = steps_a;
    for (; used < npk && total < MAX_PACKETS; used++) {
        packet *pk = &pks[used];
        decode(&k, data + FZ_HEADER + used * FZ_RECORD, pk);
        if (pk->repeat > 255) {
            /* One long run per input: the time goes to fuzzing. */
            if (long_run)
                pk->repeat &= 255;
            long_run = true;
        }
        if (pk->repeat > MAX_PACKETS - total - 1)
            pk->repeat = MAX_PACKETS - total - 1;
        for (uint32_t t = 0; t <= pk->repeat; t++) {
            td_segment s = copy_of(pk, t);
            td_step st = pk->icmp ? td_conv_on_icmp(&a, s.frame, s.ts, &pk->m)
                                  : td_conv_on_segment(&a, &s);
            check_step(&st, &a);
            steps_a = fold_step(steps_a, &st);
            take_counters(&a, &after);
            check_counters(&before, &after, s.frame);
            before = after;
            total++;
        }
        k.frame += pk->repeat;
        k.ts += (double)pk->repeat * pk->step;
        /* Read it all, as a single pass does after every packet (after
         * every 16th of a long input: the time goes to the fuzzing). */
        if (npk <= 64 || used % 16 == 0)
            make_report(&ra, &a, a.last_ts + tail, &prefs, k.frame);
    }
    make_report(&ra, &a, a.last_ts + tail, &prefs, k.frame);

    /* The same packets again, not read in between. */
    start(&b, &k, reuse ? &prev : NULL);
    for (size_t i = 0; i < used; i++) {
        for (uint32_t t = 0; t <= pks[i].repeat; t++) {
            td_segment s = copy_of(&pks[i], t);
            td_step st = pks[i].icmp ? td_conv_on_icmp(&b, s.frame, s.ts, &pks[i].m)
                                     : td_conv_on_segment(&b, &s);
            steps_b = fold_step(steps_b, &st);
        }
    }
    make_report(&rb, &b, a.last_ts + tail, &prefs, k.frame);
    if (ra.len != rb.len || memcmp(ra.buf, rb.buf, ra.len) != 0)
        fail("the report depends on when it was read:\n--- read after every packet:\n%s"
             "--- read at the end only:\n%s", ra.buf, rb.buf);
    CHECK(steps_a == steps_b, "the per-packet steps differ between two runs of the same packets");

    /* As the glue keeps it: its opening segments only, the conversation
     * rebuilt from them at every packet, until the first other packet
     * makes it a conversation for good (rebuilt once more, then fed). */
    td_logged log[TD_LOG_MAX];
    uint32_t nlog = 0;
    bool full = false;
    for (size_t i = 0; i < used; i++) {
        for (uint32_t t = 0; t <= pks[i].repeat; t++) {
            td_segment s = copy_of(&pks[i], t);
            td_step st;
            if (!full && !pks[i].icmp && td_log_takes(nlog, &s)) {
                log[nlog++] = td_log_entry(&s);
                st = td_log_replay(&scratch, &origin, log, nlog, NULL);
                steps_g = fold_step(steps_g, &st);
                continue;
            }
            if (!full) {
                td_log_replay(&g, &origin, log, nlog, NULL);
                full = true;
            }
            st = pks[i].icmp ? td_conv_on_icmp(&g, s.frame, s.ts, &pks[i].m)
                             : td_conv_on_segment(&g, &s);
            steps_g = fold_step(steps_g, &st);
        }
    }
    if (!full)
        td_log_replay(&g, &origin, log, nlog, NULL);
    make_report(&rb, &g, a.last_ts + tail, &prefs, k.frame);
    if (ra.len != rb.len || memcmp(ra.buf, rb.buf, ra.len) != 0)
        fail("kept as its %u opening segments first, the report differs:\n--- fed:\n%s"
             "--- kept, rebuilt, fed:\n%s", nlog, ra.buf, rb.buf);
    CHECK(steps_a == steps_g, "the per-packet steps differ when the opening segments were kept");
    /* TCPDIAG_FUZZ_PRINT=1 fuzz_engine INPUT: what the engine made of it. */
    if (getenv("TCPDIAG_FUZZ_PRINT"))
        fwrite(ra.buf, 1, ra.len, stdout);
    td_conv_free(&a);
    td_conv_free(&b);
    td_conv_free(&g);
    if (reuse)
        td_conv_free(&prev);
    free(ra.buf);
    free(rb.buf);
    free(pks);
    return 0;
}
