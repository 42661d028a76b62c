/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the capture-wide findings (td_findings.c): conversations
 * built with the engine, fed with their verdicts, findings and texts out.
 * Each kind at and just below its threshold, the windows, and the order.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_engine.h"
#include "td_findings.h"

#include "td_check.h"

#define CHECK_STR(a, b) check_str((a), (b), __LINE__)

static void check_str(const char *a, const char *b, int line)
{
    if (a && strcmp(a, b) == 0) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d:\n  got      \"%s\"\n  expected \"%s\"\n", current, line,
               a ? a : "(null)", b);
    }
}

static td_findings *F;
static td_findings_prefs P;
static double now_;
/* The conversation being built: one scratch copy, as the glue has. */
static td_conv conv;

static td_addr ip4(const char *s)
{
    uint8_t b[16] = { 0 };
    if (inet_pton(AF_INET, s, b) != 1)
        abort();
    return td_addr_of(4, b);
}

static td_addr ip6(const char *s)
{
    uint8_t b[16];
    if (inet_pton(AF_INET6, s, b) != 1)
        abort();
    return td_addr_of(6, b);
}

/* A test's run: the preferences P, the capture ending at `now`. */
static void begin(const char *name, double now)
{
    current = name;
    now_ = now;
    td_findings_begin(F, &P, now);
}

/* The conversation built in `conv`, endpoint C at `client`, S at `server`,
 * with its verdict at the end of the capture; destroyed after. */
static void feed(uint32_t id, const char *client, const char *server)
{
    td_addr a[2];
    a[C] = strchr(client, ':') ? ip6(client) : ip4(client);
    a[S] = strchr(server, ':') ? ip6(server) : ip4(server);
    const td_verdict v = td_conv_verdict(&conv, now_, &prefs);
    /* The glue's scratch copy dies after the call: nothing may be read
     * from it later. */
    td_conv *scratch = (td_conv *)malloc(sizeof *scratch);
    if (!scratch)
        abort();
    *scratch = conv;
    td_findings_add(F, id, scratch, a, &v);
    memset(scratch, 0xa5, sizeof *scratch);
    free(scratch);
}

static void end(void)
{
    td_findings_end(F);
}

/* The finding of this kind and key, or NULL. */
static const td_found *found(td_finding kind, const char *key)
{
    for (size_t i = 0; i < td_findings_count(F); i++) {
        const td_found *x = td_findings_get(F, i);
        if (x->kind == kind && strcmp(x->key, key) == 0)
            return x;
    }
    return NULL;
}

static size_t count_of(td_finding kind)
{
    size_t n = 0;
    for (size_t i = 0; i < td_findings_count(F); i++)
        n += td_findings_get(F, i)->kind == kind;
    return n;
}

/* The kind of finding i, TD_FIND_NONE if there is none. */
static td_finding kind_at(size_t i)
{
    const td_found *x = td_findings_get(F, i);
    return x ? x->kind : TD_FIND_NONE;
}

static const char *key_at(size_t i)
{
    const td_found *x = td_findings_get(F, i);
    return x ? x->key : "(no such finding)";
}

static const char *text_of(td_finding kind, const char *key)
{
    const td_found *x = found(kind, key);
    return x ? x->text : "(no such finding)";
}

/* ---- conversations ---------------------------------------------------- */

/* The client's SYN at t, sent `syns` times (1, 2, 4 s apart), unanswered. */
static void syns(uint16_t cport, uint16_t sport, double t, int n)
{
    conv_reset(&conv, cport, sport);
    for (double gap = 1.0; n-- > 0; t += gap, gap *= 2)
        seg(&conv, t, C, SYN, 1000, 0, 0);
}

/* A SYN at t answered by a SYN-ACK `after` later, sent `synacks` times
 * 1 s apart; the client never acknowledges. */
static void half_open(uint16_t cport, uint16_t sport, double t, double after, int synacks)
{
    conv_reset(&conv, cport, sport);
    seg(&conv, t, C, SYN, 1000, 0, 0);
    for (int i = 0; i < synacks; i++)
        seg(&conv, t + after + i, S, SYN | ACK, 5000, 1001, 0);
}

static void refused(uint16_t cport, uint16_t sport, double t)
{
    conv_reset(&conv, cport, sport);
    seg(&conv, t, C, SYN, 1000, 0, 0);
    seg(&conv, t + 0.001, S, RST | ACK, 0, 1001, 0);
}

/* Handshake at t; the client closes, the server acknowledges, never closes. */
static void close_wait(uint16_t cport, double t)
{
    conv_reset(&conv, cport, 80);
    handshake(&conv, t);
    seg(&conv, t + 0.25, C, ACK | FIN, 1001, 5001, 0);
    seg(&conv, t + 0.5, S, ACK, 5001, 1002, 0);
}

/* Handshake at t; the client closes first: TIME_WAIT from t + 0.75. */
static void time_wait(uint16_t cport, double t)
{
    conv_reset(&conv, cport, 80);
    handshake(&conv, t);
    seg(&conv, t + 0.25, C, ACK | FIN, 1001, 5001, 0);
    seg(&conv, t + 0.5, S, ACK | FIN, 5001, 1002, 0);
    seg(&conv, t + 0.75, C, ACK, 1002, 5002, 0);
}

/* A new connection on the ports of one the client left in TIME_WAIT,
 * established and still open. */
static void reuses_time_wait(uint16_t cport, double t)
{
    td_conv old;
    time_wait(cport, t);
    old = conv;   /* no resets, nothing allocated */
    conv_reset(&conv, cport, 80);
    td_conv_set_reuse(&conv, &old, 1);
    seg(&conv, t + 1.0, C, SYN, 90000, 0, 0);
    seg(&conv, t + 1.01, S, SYN | ACK, 70000, 90001, 0);
    seg(&conv, t + 1.02, C, ACK, 90001, 70001, 0);
}

/* Handshake at t, the client's data, the server's reset at `at`. */
static void server_reset(uint16_t cport, double t, double at)
{
    conv_reset(&conv, cport, 80);
    handshake(&conv, t);
    seg(&conv, t + 0.05, C, ACK, 1001, 5001, 10);
    seg(&conv, at, S, RST, 5001, 0, 0);
}

/* Handshake at t, the server's FIN at `at`, never acknowledged. */
static void server_fin_unacked(uint16_t cport, double t, double at)
{
    conv_reset(&conv, cport, 80);
    handshake(&conv, t);
    seg(&conv, at, S, ACK | FIN, 5001, 1001, 0);
}

/* Only the client's packets, which prove the server's SYN-ACK. */
static void one_way_client(uint16_t cport, double t)
{
    conv_reset(&conv, cport, 80);
    seg(&conv, t, C, SYN, 1000, 0, 0);
    seg(&conv, t + 0.01, C, ACK, 1001, 5001, 0);
    seg(&conv, t + 0.02, C, ACK, 1001, 5001, 100);
}

/* Only the server's packets: its SYN-ACK, then data after the client's. */
static void one_way_server(uint16_t cport, double t)
{
    conv_reset(&conv, cport, 80);
    seg(&conv, t, S, SYN | ACK, 5000, 1001, 0);
    seg(&conv, t + 0.02, S, ACK, 5001, 1051, 300);
}

/* The listener answers the SYN at t with a SYN-ACK at `synack`, takes no
 * ACK and resets it 40 us later (tcp_abort_on_overflow = 1). */
static void queue_reset(uint16_t cport, double t, double synack)
{
    conv_reset(&conv, cport, 80);
    seg(&conv, t, C, SYN, 1000, 0, 0);
    seg(&conv, synack, S, SYN | ACK, 5000, 1001, 0);
    seg(&conv, synack + 0.01, C, ACK, 1001, 5001, 0);
    seg(&conv, synack + 0.01004, S, RST, 5001, 0, 0);
}

/* ---- the kinds -------------------------------------------------------- */

static void test_syn_flood(void)
{
    td_findings_prefs_default(&P);
    P.flood_min = 5;
    P.flood_sources = 3;

    /* At the threshold: 5 attempts from 3 sources within 4 s, 3 answered
     * once long ago (SYN cookies), 2 never. */
    begin("syn flood: at the threshold", 100.0);
    static const char *const src[] = { "198.51.100.1", "198.51.100.2", "198.51.100.3",
                                       "198.51.100.1", "198.51.100.2" };
    for (int i = 0; i < 5; i++) {
        if (i < 3)
            half_open((uint16_t)(40000 + i), 80, i, 0.01, 1);
        else
            syns((uint16_t)(40000 + i), 80, i, 1);
        feed((uint32_t)(10 + i), src[i], "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 1);
    CHECK_STR(text_of(TD_FIND_SYN_FLOOD, "192.0.2.1:80"),
              "SYN flood toward 192.0.2.1:80: 5 connection attempts from 3 source addresses left "
              "half-open or unanswered, up to 5 within 4.0 s; 3 answered with SYN-ACK, 2 never "
              "answered; of 3 SYN-ACKs older than 1.5 s, 0 were retransmitted: most never were, "
              "so the server answered with SYN cookies and kept no state for them "
              "(net.ipv4.tcp_syncookies)");
    const td_found *x = found(TD_FIND_SYN_FLOOD, "192.0.2.1:80");
    CHECK(x && x->count == 5 && x->ids[0] == 10 && x->ids[4] == 14);
    CHECK(td_findings_has(F, 12, TD_FIND_SYN_FLOOD));

    /* One attempt fewer. */
    begin("syn flood: one attempt below", 100.0);
    for (int i = 0; i < 4; i++) {
        half_open((uint16_t)(40000 + i), 80, i, 0.01, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 0);

    /* Enough attempts from one source fewer. */
    begin("syn flood: one source below", 100.0);
    for (int i = 0; i < 5; i++) {
        half_open((uint16_t)(40000 + i), 80, i, 0.01, 1);
        feed((uint32_t)i, i % 2 ? "198.51.100.1" : "198.51.100.2", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 0);

    /* Not a single SYN-ACK: an outage, not a flood. */
    begin("syn flood: no SYN-ACK at all", 100.0);
    for (int i = 0; i < 5; i++) {
        syns((uint16_t)(40000 + i), 80, i, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 0);

    /* The window: 5 attempts over exactly 10 s count, over 10.25 s not. */
    begin("syn flood: the window's edge is in it", 100.0);
    for (int i = 0; i < 5; i++) {
        half_open((uint16_t)(40000 + i), 80, i * 2.5, 0.01, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    x = found(TD_FIND_SYN_FLOOD, "192.0.2.1:80");
    CHECK(x != NULL);
    CHECK_CONTAINS(x ? x->text : "", "up to 5 within 10.0 s");
    begin("syn flood: just past the window", 100.0);
    for (int i = 0; i < 5; i++) {
        half_open((uint16_t)(40000 + i), 80, i == 4 ? 10.25 : i * 2.5, 0.01, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 0);

    /* Distinct sources within one window, not over the whole capture:
     * A B A B in 3 s, then C D 20 s later: 4 sources in all, 2 at once. */
    P.flood_min = 4;
    static const char *const abcd[] = { "198.51.100.1", "198.51.100.2", "198.51.100.1",
                                        "198.51.100.2", "198.51.100.3", "198.51.100.4" };
    static const double at[] = { 0, 1, 2, 3, 23, 24 };
    begin("syn flood: sources counted within a window", 100.0);
    for (int i = 0; i < 6; i++) {
        half_open((uint16_t)(40000 + i), 80, at[i], 0.01, 1);
        feed((uint32_t)i, abcd[i], "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SYN_FLOOD), 0);
    begin("syn flood: a third source inside the window", 100.0);
    for (int i = 0; i < 6; i++) {
        half_open((uint16_t)(40000 + i), 80, i == 4 ? 5.0 : at[i], 0.01, 1);
        feed((uint32_t)i, abcd[i], "192.0.2.1");
    }
    end();
    x = found(TD_FIND_SYN_FLOOD, "192.0.2.1:80");
    CHECK(x != NULL);
    /* The text gives all the sources, and the busiest window. */
    CHECK_CONTAINS(x ? x->text : "", "6 connection attempts from 4 source addresses left half-open "
                                     "or unanswered, up to 5 within 5.0 s");

    /* SYN-ACKs sent again and attempts never answered: no SYN cookies. */
    P.flood_min = 5;
    begin("syn flood: the listen queue filled up", 100.0);
    for (int i = 0; i < 5; i++) {
        if (i < 2)
            half_open((uint16_t)(40000 + i), 80, i, 0.01, 2);
        else
            syns((uint16_t)(40000 + i), 80, i, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    CHECK_STR(text_of(TD_FIND_SYN_FLOOD, "192.0.2.1:80"),
              "SYN flood toward 192.0.2.1:80: 5 connection attempts from 3 source addresses left "
              "half-open or unanswered, up to 5 within 4.0 s; 2 answered with SYN-ACK, 3 never "
              "answered; of 2 SYN-ACKs older than 1.5 s, 2 were retransmitted, and later SYNs got "
              "no answer: the listen queue filled up (no SYN cookies)");

    /* Half of the old SYN-ACKs sent again is not "most never were". */
    begin("syn flood: half the SYN-ACKs retransmitted", 100.0);
    for (int i = 0; i < 5; i++) {
        if (i < 2)
            half_open((uint16_t)(40000 + i), 80, i, 0.01, i ? 1 : 2);
        else
            syns((uint16_t)(40000 + i), 80, i, 1);
        feed((uint32_t)i, src[i], "192.0.2.1");
    }
    end();
    CHECK_CONTAINS(text_of(TD_FIND_SYN_FLOOD, "192.0.2.1:80"),
                   "; of 2 SYN-ACKs older than 1.5 s, 1 were retransmitted, and later SYNs got "
                   "no answer: the listen queue filled up (no SYN cookies)");

    /* The 1.5 s age of a SYN-ACK: at 1.5 s it counts, before it not. */
    P.flood_min = 1;
    P.flood_sources = 1;
    begin("syn flood: a SYN-ACK 1.5 s old", 2.0);
    half_open(40000, 80, 0.0, 0.5, 1);
    feed(1, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_CONTAINS(text_of(TD_FIND_SYN_FLOOD, "192.0.2.1:80"),
                   "; of 1 SYN-ACKs older than 1.5 s, 0 were retransmitted: most never were");
    begin("syn flood: a SYN-ACK younger than 1.5 s", 1.875);
    half_open(40000, 80, 0.0, 0.5, 1);
    feed(1, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_STR(text_of(TD_FIND_SYN_FLOOD, "192.0.2.1:80"),
              "SYN flood toward 192.0.2.1:80: 1 connection attempts from 1 source addresses left "
              "half-open or unanswered, up to 1 within 0.0 s; 1 answered with SYN-ACK, 0 never "
              "answered");
}

static void test_scan(void)
{
    td_findings_prefs_default(&P);
    P.scan_min = 5;

    /* 5 targets, 4 refused and 1 answered: 80 %, the threshold. */
    begin("scan: at the thresholds", 100.0);
    for (int i = 0; i < 5; i++) {
        if (i < 4)
            refused(50000, (uint16_t)(20 + i), i);
        else
            half_open(50000, (uint16_t)(20 + i), i, 0.01, 1);
        feed((uint32_t)i, "203.0.113.9", "192.0.2.1");
    }
    end();
    CHECK_STR(text_of(TD_FIND_SCAN, "203.0.113.9"),
              "Scan from 203.0.113.9: SYNs to 5 targets (address and port) in 5 conversations, "
              "up to 5 within 4.0 s; 4 (80%) refused, rejected or unanswered");

    begin("scan: one failure below the share", 100.0);
    for (int i = 0; i < 5; i++) {
        if (i < 3)
            refused(50000, (uint16_t)(20 + i), i);
        else
            half_open(50000, (uint16_t)(20 + i), i, 0.01, 1);
        feed((uint32_t)i, "203.0.113.9", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SCAN), 0);

    /* Targets, not conversations: 6 conversations to 4 targets. */
    begin("scan: one target below", 100.0);
    for (int i = 0; i < 6; i++) {
        refused(50000, (uint16_t)(20 + i % 4), i);
        feed((uint32_t)i, "203.0.113.9", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SCAN), 0);

    /* Targets within the window: 5 targets, the fifth 60.25 s later. */
    begin("scan: the fifth target past the window", 100.0);
    for (int i = 0; i < 5; i++) {
        refused(50000, (uint16_t)(20 + i), i < 4 ? i : 60.25);
        feed((uint32_t)i, "203.0.113.9", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SCAN), 0);
    begin("scan: the fifth target at the window's edge", 100.0);
    for (int i = 0; i < 5; i++) {
        refused(50000, (uint16_t)(20 + i), i < 4 ? i : 60.0);
        feed((uint32_t)i, "203.0.113.9", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SCAN), 1);

    /* Hosts count as targets too, and an IPv6 source is its address. */
    begin("scan: IPv6, one port on many hosts", 100.0);
    static const char *const hosts[] = { "2001:db8::1", "2001:db8::2", "2001:db8::3",
                                         "2001:db8::4", "2001:db8::5" };
    for (int i = 0; i < 5; i++) {
        syns(50000, 22, i, 1);
        feed((uint32_t)i, "2001:db8:0:0:1:0:0:9", hosts[i]);
    }
    end();
    CHECK_STR(text_of(TD_FIND_SCAN, "2001:db8::1:0:0:9"),
              "Scan from 2001:db8::1:0:0:9: SYNs to 5 targets (address and port) in 5 "
              "conversations, up to 5 within 4.0 s; 5 (100%) refused, rejected or unanswered");
}

static void test_close_wait_leak(void)
{
    td_findings_prefs_default(&P);
    P.leak_min = 3;

    begin("close-wait leak: at the threshold", 100.0);
    for (int i = 0; i < 3; i++) {
        close_wait((uint16_t)(40000 + i), i);
        feed((uint32_t)i, i ? "198.51.100.2" : "198.51.100.1", "192.0.2.1");
    }
    end();
    CHECK_STR(text_of(TD_FIND_CLOSE_WAIT_LEAK, "192.0.2.1:80"),
              "192.0.2.1:80 ends the capture with 3 connections in CLOSE_WAIT from 2 client "
              "addresses: its clients closed, its application never called close() on them");

    begin("close-wait leak: one below", 100.0);
    for (int i = 0; i < 2; i++) {
        close_wait((uint16_t)(40000 + i), i);
        feed((uint32_t)i, "198.51.100.1", "192.0.2.1");
    }
    time_wait(40002, 3);   /* closed both ways: not a leak */
    feed(2, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_CLOSE_WAIT_LEAK), 0);

    /* A threshold of 0 counts as 1. */
    P.leak_min = 0;
    begin("close-wait leak: a threshold of 0", 100.0);
    close_wait(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_CLOSE_WAIT_LEAK), 1);
    begin("close-wait leak: a threshold of 0, nothing in CLOSE_WAIT", 100.0);
    time_wait(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_CLOSE_WAIT_LEAK), 0);
}

static void test_time_wait_churn(void)
{
    td_findings_prefs_default(&P);
    P.tw_min = 3;
    P.tw_reuse_min = 2;

    /* TIME_WAIT entered at 0.75, 1.75, 2.75; the capture ends 60 s after
     * the first: it no longer counts. */
    begin("time-wait churn: the first one's 60 s are over", 60.75);
    for (int i = 0; i < 3; i++) {
        time_wait((uint16_t)(40000 + i), i);
        CHECK(conv.ep[C].state_ts == i + 0.75);
        feed((uint32_t)i, "198.51.100.7", "192.0.2.1");
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_TIME_WAIT_CHURN), 0);

    begin("time-wait churn: all three within 60 s", 60.5);
    for (int i = 0; i < 3; i++) {
        time_wait((uint16_t)(40000 + i), i);
        feed((uint32_t)i, "198.51.100.7", "192.0.2.1");
    }
    end();
    CHECK_STR(text_of(TD_FIND_TIME_WAIT_CHURN, "198.51.100.7"),
              "Client 198.51.100.7 ends the capture holding 3 connections in TIME_WAIT (closed "
              "by it first in the last 60 s); 0 of its new connections reused a port it still "
              "held in TIME_WAIT");

    /* Port reuse alone: at its threshold and one below. */
    begin("time-wait churn: two reuses", 1000.0);
    for (int i = 0; i < 2; i++) {
        reuses_time_wait((uint16_t)(40000 + i), i * 10);
        CHECK_EQ_INT(conv.reuse_time_wait & 1, 1);
        feed((uint32_t)(5 + i), "198.51.100.7", "192.0.2.1");
    }
    end();
    CHECK_STR(text_of(TD_FIND_TIME_WAIT_CHURN, "198.51.100.7"),
              "Client 198.51.100.7 ends the capture holding 0 connections in TIME_WAIT (closed "
              "by it first in the last 60 s); 2 of its new connections reused a port it still "
              "held in TIME_WAIT");
    const td_found *x = found(TD_FIND_TIME_WAIT_CHURN, "198.51.100.7");
    CHECK(x && x->count == 2 && x->ids[0] == 5 && x->ids[1] == 6);
    begin("time-wait churn: one reuse", 1000.0);
    reuses_time_wait(40000, 0);
    feed(5, "198.51.100.7", "192.0.2.1");
    time_wait(40001, 990);   /* and one in TIME_WAIT: both below */
    feed(6, "198.51.100.7", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_TIME_WAIT_CHURN), 0);
}

static void test_shutdown_burst(void)
{
    td_findings_prefs_default(&P);
    P.burst_min = 3;

    /* Two resets and a FIN never acknowledged within 50 ms. */
    begin("shutdown burst: at the threshold", 100.0);
    server_reset(40000, 0, 10.0);
    feed(1, "198.51.100.1", "192.0.2.1");
    server_reset(40001, 1, 10.03125);
    feed(2, "198.51.100.2", "192.0.2.1");
    server_fin_unacked(40002, 2, 10.0625);
    feed(3, "198.51.100.3", "192.0.2.1");
    close_wait(40003, 3);   /* the client closed: not the server going away */
    feed(4, "198.51.100.3", "192.0.2.1");
    end();
    CHECK_STR(text_of(TD_FIND_SHUTDOWN_BURST, "192.0.2.1"),
              "Server 192.0.2.1 reset or closed without an acknowledgement 3 connections, up to 3 "
              "within 62.5 ms: a shutdown with clients connected; 2 of them reset, 1 left in "
              "FIN_WAIT1 with the FIN never acknowledged");

    /* The same three over 125 ms: 2 at most within 100 ms. */
    begin("shutdown burst: spread past the window", 100.0);
    server_reset(40000, 0, 10.0);
    feed(1, "198.51.100.1", "192.0.2.1");
    server_reset(40001, 1, 10.0625);
    feed(2, "198.51.100.2", "192.0.2.1");
    server_fin_unacked(40002, 2, 10.125);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SHUTDOWN_BURST), 0);
    P.burst_window_ms = 125;
    begin("shutdown burst: a wider window", 100.0);
    server_reset(40000, 0, 10.0);
    feed(1, "198.51.100.1", "192.0.2.1");
    server_reset(40001, 1, 10.0625);
    feed(2, "198.51.100.2", "192.0.2.1");
    server_fin_unacked(40002, 2, 10.125);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SHUTDOWN_BURST), 1);
}

static void test_ping_no_tcp(void)
{
    td_findings_prefs_default(&P);

    /* Without replies: nothing, whatever the attempts. */
    begin("ping-no-tcp: no echo reply", 100.0);
    syns(40000, 443, 0, 3);
    feed(1, "198.51.100.1", "192.0.2.5");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_PING_NO_TCP), 0);

    /* Ports in port order, whatever order the attempts came in; replies
     * from another host and attempts still pending do not count. */
    td_addr h = ip4("192.0.2.5"), other = ip4("192.0.2.6");
    td_findings_echo_reply(F, &h);
    td_findings_echo_reply(F, &other);
    begin("ping-no-tcp: two ports", 100.0);
    syns(40000, 443, 0, 3);
    feed(1, "198.51.100.1", "192.0.2.5");
    td_findings_echo_reply(F, &h);   /* counted until the end */
    syns(40001, 22, 1, 3);
    feed(2, "198.51.100.1", "192.0.2.5");
    syns(40002, 8080, 99.5, 1);      /* pending at the end */
    feed(3, "198.51.100.1", "192.0.2.5");
    syns(40003, 22, 1, 3);
    feed(4, "198.51.100.2", "192.0.2.7");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_PING_NO_TCP), 1);
    CHECK_STR(text_of(TD_FIND_PING_NO_TCP, "192.0.2.5"),
              "192.0.2.5 answered 2 ICMP echo requests, but 2 connection attempts to "
              "192.0.2.5:22, 192.0.2.5:443 were never answered: the host is up and reachable, a "
              "firewall drops the TCP port");

    /* begin() forgets the conversations and findings, not the replies. */
    begin("ping-no-tcp: begin keeps the echo counts", 100.0);
    end();
    CHECK_EQ_INT(td_findings_count(F), 0);
    CHECK_EQ_INT(td_findings_of(F, 1, NULL), 0);
    CHECK(!td_findings_has(F, 1, TD_FIND_PING_NO_TCP));
    begin("ping-no-tcp: begin keeps the echo counts", 100.0);
    td_findings_echo_reply(F, &h);
    syns(40000, 443, 0, 3);
    feed(1, "198.51.100.1", "192.0.2.5");
    end();
    CHECK_CONTAINS(text_of(TD_FIND_PING_NO_TCP, "192.0.2.5"),
                   "192.0.2.5 answered 3 ICMP echo requests, but 1 connection attempts to "
                   "192.0.2.5:443 were never");

    /* IPv6: the host's address alone, the listener in brackets. */
    td_addr h6 = ip6("2001:db8::80");
    td_findings_echo_reply(F, &h6);
    begin("ping-no-tcp: IPv6", 100.0);
    syns(40000, 443, 0, 3);
    feed(1, "2001:db8::9", "2001:db8::80");
    end();
    CHECK_STR(text_of(TD_FIND_PING_NO_TCP, "2001:db8::80"),
              "2001:db8::80 answered 1 ICMP echo requests, but 1 connection attempts to "
              "[2001:db8::80]:443 were never answered: the host is up and reachable, a firewall "
              "drops the TCP port");
}

static void test_accept_queue(void)
{
    td_findings_prefs_default(&P);
    static const char *const exact =
        "Listener 192.0.2.1:80: accept queue full: 1 connection whose handshake ACK it did not "
        "take (its SYN-ACK sent again, or the listener's reset), and 1 connection attempt whose "
        "SYNs went unanswered or had to be sent again while it answered other clients' (Linux "
        "drops SYNs while the accept queue is full): its application does not call accept() "
        "fast enough; raise the listen() backlog (capped by net.core.somaxconn) or accept faster";

    /*
     * The queue is shown full from 29 s (its SYN at 30 s) to 31.51004 s
     * (its reset, + 1 s); its own SYN-ACK at 30.5 s.  A client's SYNs at
     * 28.25 and 29.25 s, unanswered, count when the listener answered
     * another client at most 1 s before the first or after the last:
     * from 27.25 to 30.25 s.
     */
    static const double answers_at[] = { 30.25, 27.25, 30.375, 27.125 };
    static const bool counts[] = { true, true, false, false };
    for (int k = 0; k < 4; k++) {
        begin("accept queue: another client answered around the dropped SYNs", 100.0);
        queue_reset(40000, 30.0, 30.5);
        CHECK_EQ_INT(verdict(&conv, now_).outcome, TD_OUT_ACCEPT_QUEUE_FULL);
        feed(1, "198.51.100.1", "192.0.2.1");
        syns(40001, 80, 28.25, 2);
        CHECK_EQ_INT(verdict(&conv, now_).outcome, TD_OUT_SYN_UNANSWERED);
        feed(2, "198.51.100.2", "192.0.2.1");
        half_open(40002, 80, answers_at[k] - 0.125, 0.125, 1);
        CHECK(conv.synack_ts == answers_at[k]);
        feed(3, "198.51.100.3", "192.0.2.1");
        end();
        const td_found *x = found(TD_FIND_ACCEPT_QUEUE, "192.0.2.1:80");
        CHECK(x != NULL);
        if (!x)
            continue;
        CHECK_EQ_INT(x->count, counts[k] ? 2 : 1);
        CHECK_EQ_INT(x->ids[0], 1);
        CHECK_EQ_INT(td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE), counts[k]);
        CHECK(!td_findings_has(F, 3, TD_FIND_ACCEPT_QUEUE));
        if (counts[k]) {
            CHECK_EQ_INT(x->ids[1], 2);
            if (k == 0)
                CHECK_STR(x->text, exact);
        } else {
            CHECK_CONTAINS(x->text, "1 connection whose handshake ACK it did not take (its "
                                    "SYN-ACK sent again, or the listener's reset), and 0 "
                                    "connection attempts whose SYNs");
        }
    }

    /*
     * Until when the queue is shown full: the listener took the connection
     * late (2.501 s), else its last SYN-ACK (1.01 s).  Dropped SYNs from
     * 3.25 s count only after the first, from 1.75 s after either.
     */
    for (int late = 0; late < 2; late++) {
        begin(late ? "accept queue: shown full until it took the connection"
                   : "accept queue: shown full until its last SYN-ACK", 100.0);
        conv_reset(&conv, 40000, 80);
        handshake(&conv, 0.0);
        seg(&conv, 0.021, C, ACK, 1001, 5001, 18);
        seg(&conv, 0.300, C, ACK, 1001, 5001, 18);   /* its data again: not taken */
        seg(&conv, 1.010, S, SYN | ACK, 5000, 1001, 0);
        seg(&conv, 1.011, C, ACK, 1019, 5001, 0);
        if (late) {
            seg(&conv, 2.5, C, ACK, 1001, 5001, 18);
            seg(&conv, 2.501, S, ACK, 5001, 1019, 0);
            CHECK(conv.late_open_frame != 0);
        }
        CHECK_EQ_INT(verdict(&conv, now_).outcome, TD_OUT_ACCEPT_QUEUE_FULL);
        feed(1, "198.51.100.1", "192.0.2.1");
        syns(40001, 80, 3.25, 2);
        feed(2, "198.51.100.2", "192.0.2.1");
        syns(40002, 80, 1.75, 2);
        feed(3, "198.51.100.3", "192.0.2.1");
        half_open(40003, 80, 3.0, 0.125, 1);
        feed(4, "198.51.100.4", "192.0.2.1");
        end();
        CHECK_EQ_INT(td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE), late);
        CHECK(td_findings_has(F, 3, TD_FIND_ACCEPT_QUEUE));
        const td_found *x = found(TD_FIND_ACCEPT_QUEUE, "192.0.2.1:80");
        CHECK(x && x->count == (late ? 3u : 2u) && x->ids[0] == 1);
        /* The dropped ones in the order added. */
        CHECK(x && (!late || (x->ids[1] == 2 && x->ids[2] == 3)));
    }

    /* Until the listener's reset, not its SYN-ACK a second before it:
     * SYNs from 32 to 33 s count while it answered another at 33.5 s. */
    begin("accept queue: shown full until the listener's reset", 100.0);
    conv_reset(&conv, 40000, 80);
    seg(&conv, 30.0, C, SYN, 1000, 0, 0);
    seg(&conv, 30.5, S, SYN | ACK, 5000, 1001, 0);
    seg(&conv, 31.5, C, ACK, 1001, 5001, 0);
    seg(&conv, 31.50004, S, RST, 5001, 0, 0);
    CHECK_EQ_INT(verdict(&conv, now_).outcome, TD_OUT_ACCEPT_QUEUE_FULL);
    feed(1, "198.51.100.1", "192.0.2.1");
    syns(40001, 80, 32.0, 2);
    feed(2, "198.51.100.2", "192.0.2.1");
    half_open(40002, 80, 33.375, 0.125, 1);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK(td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE));
    /* What it adds to a verdict: an unanswered SYN of a member was dropped
     * by a busy listener; nothing for another outcome or a non-member. */
    td_verdict rv;
    memset(&rv, 0, sizeof rv);
    rv.outcome = TD_OUT_SYN_UNANSWERED;
    td_findings_refine(F, 2, &rv);
    CHECK(rv.listener_busy);
    rv.listener_busy = false;
    td_findings_refine(F, 9, &rv);
    CHECK(!rv.listener_busy);
    rv.outcome = TD_OUT_REFUSED;
    td_findings_refine(F, 2, &rv);
    CHECK(!rv.listener_busy);

    /* The conversation's own SYN-ACK is no other client's answer. */
    begin("accept queue: its own late SYN-ACK", 100.0);
    queue_reset(40000, 30.0, 30.5);
    feed(1, "198.51.100.1", "192.0.2.1");
    conv_reset(&conv, 40001, 80);
    seg(&conv, 28.25, C, SYN, 1000, 0, 0);
    seg(&conv, 29.25, C, SYN, 1000, 0, 0);
    seg(&conv, 29.5, S, SYN | ACK, 5000, 1001, 0);
    seg(&conv, 29.51, C, ACK, 1001, 5001, 0);
    feed(2, "198.51.100.2", "192.0.2.1");
    end();
    CHECK(found(TD_FIND_ACCEPT_QUEUE, "192.0.2.1:80") != NULL);
    CHECK(!td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE));

    /* Dropped SYNs outside the time the queue is shown full. */
    begin("accept queue: SYNs dropped long before", 100.0);
    queue_reset(40000, 30.0, 30.5);
    feed(1, "198.51.100.1", "192.0.2.1");
    syns(40001, 80, 27.5, 2);      /* 27.5 and 28.5 s: before 29 s */
    feed(2, "198.51.100.2", "192.0.2.1");
    half_open(40002, 80, 27.0, 0.125, 1);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK(found(TD_FIND_ACCEPT_QUEUE, "192.0.2.1:80") != NULL);
    CHECK(!td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE));

    /* A single SYN is not one a full queue dropped (Linux sends it again). */
    begin("accept queue: a single SYN", 100.0);
    queue_reset(40000, 30.0, 30.5);
    feed(1, "198.51.100.1", "192.0.2.1");
    syns(40001, 80, 29.25, 1);
    feed(2, "198.51.100.2", "192.0.2.1");
    half_open(40002, 80, 29.0, 0.125, 1);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK(!td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE));

    /* Another listener's answers do not count. */
    begin("accept queue: another listener's answer", 100.0);
    queue_reset(40000, 30.0, 30.5);
    feed(1, "198.51.100.1", "192.0.2.1");
    syns(40001, 80, 28.25, 2);
    feed(2, "198.51.100.2", "192.0.2.1");
    half_open(40002, 81, 29.0, 0.125, 1);
    feed(3, "198.51.100.3", "192.0.2.1");
    end();
    CHECK(!td_findings_has(F, 2, TD_FIND_ACCEPT_QUEUE));
    CHECK_EQ_INT(count_of(TD_FIND_ACCEPT_QUEUE), 1);
}

static void test_one_way_capture(void)
{
    td_findings_prefs_default(&P);
    static const char *const two_one =
        "Every one of the 3 TCP conversations in this capture shows one direction only (2 only "
        "the client's packets, 1 only the server's), and their acknowledgements prove the other "
        "direction carried packets: the capture point sees one direction of the traffic "
        "(asymmetric routing, a one-way tap or SPAN port, a capture filter); capture where both "
        "directions pass to diagnose the connections";

    begin("one-way capture: every conversation", 100.0);
    one_way_client(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    one_way_server(40001, 1);
    feed(2, "198.51.100.1", "192.0.2.1");
    conv_reset(&conv, 40003, 80);   /* never started: does not count */
    feed(9, "198.51.100.1", "192.0.2.1");
    one_way_client(40002, 2);
    feed(3, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(td_findings_count(F), 1);
    CHECK_STR(text_of(TD_FIND_ONE_WAY_CAPTURE, "capture"), two_one);
    const td_found *x = found(TD_FIND_ONE_WAY_CAPTURE, "capture");
    CHECK(x && x->count == 3 && x->ids[0] == 1 && x->ids[1] == 2 && x->ids[2] == 3);
    CHECK(!td_findings_has(F, 9, TD_FIND_ONE_WAY_CAPTURE));

    begin("one-way capture: a single conversation", 100.0);
    one_way_client(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_ONE_WAY_CAPTURE), 0);

    begin("one-way capture: one conversation both ways", 100.0);
    one_way_client(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    one_way_client(40001, 1);
    feed(2, "198.51.100.1", "192.0.2.1");
    time_wait(40002, 2);
    feed(3, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(count_of(TD_FIND_ONE_WAY_CAPTURE), 0);

    /* One-way conversations are in no other finding. */
    P.tw_min = 1;
    P.scan_min = 1;
    P.scan_failed_pct = 0;
    begin("one-way capture: no other finding of them", 100.0);
    one_way_client(40000, 0);
    feed(1, "198.51.100.1", "192.0.2.1");
    one_way_client(40001, 1);
    feed(2, "198.51.100.1", "192.0.2.1");
    end();
    CHECK_EQ_INT(td_findings_count(F), 1);
    CHECK_EQ_INT(td_findings_of(F, 1, NULL), 1);
}

/* ---- across kinds ------------------------------------------------------ */

static void test_order_and_keys(void)
{
    td_findings_prefs_default(&P);
    P.leak_min = 1;
    P.scan_min = 1;

    /* Added: a leak on IPv6, on 192.0.2.10, on 192.0.2.9 port 443 and 80;
     * then a scan.  Out: the scan (its kind first), then the leaks by
     * address numerically (9 before 10), IPv4 before IPv6, then port. */
    begin("order: by kind, then key", 100.0);
    close_wait(40000, 0);
    feed(1, "2001:db8::5", "2001:db8::1");
    close_wait(40001, 0);
    feed(2, "198.51.100.1", "192.0.2.10");
    conv_reset(&conv, 40002, 443);
    handshake(&conv, 0);
    seg(&conv, 0.25, C, ACK | FIN, 1001, 5001, 0);
    seg(&conv, 0.5, S, ACK, 5001, 1002, 0);
    feed(3, "198.51.100.1", "192.0.2.9");
    close_wait(40003, 0);
    feed(4, "198.51.100.1", "192.0.2.9");
    refused(40004, 25, 1);
    feed(5, "203.0.113.1", "192.0.2.1");
    end();
    static const char *const keys[] = { "203.0.113.1", "192.0.2.9:80", "192.0.2.9:443",
                                        "192.0.2.10:80", "[2001:db8::1]:80" };
    CHECK_EQ_INT(td_findings_count(F), 5);
    for (size_t i = 0; i < 5; i++)
        CHECK_STR(key_at(i), keys[i]);
    CHECK_EQ_INT(kind_at(0), TD_FIND_SCAN);
    CHECK_EQ_INT(kind_at(4), TD_FIND_CLOSE_WAIT_LEAK);
    CHECK(td_findings_get(F, 5) == NULL);
    CHECK_STR(text_of(TD_FIND_CLOSE_WAIT_LEAK, "[2001:db8::1]:80"),
              "[2001:db8::1]:80 ends the capture with 1 connections in CLOSE_WAIT from 1 client "
              "addresses: its clients closed, its application never called close() on them");

    /* A conversation's findings, in finding order. */
    const uint32_t *idx = NULL;
    CHECK_EQ_INT(td_findings_of(F, 4, &idx), 1);
    CHECK(idx && idx[0] == 1);
    CHECK_EQ_INT(td_findings_of(F, 77, &idx), 0);
    CHECK(idx == NULL);

    /* Outside begin() .. end(): nothing added, the findings stay. */
    close_wait(40010, 0);
    feed(6, "198.51.100.1", "192.0.2.77");
    end();
    CHECK_EQ_INT(td_findings_count(F), 5);
    CHECK(found(TD_FIND_CLOSE_WAIT_LEAK, "192.0.2.77:80") == NULL);
    CHECK_STR(key_at(1), "192.0.2.9:80");

    /* IPv4-mapped IPv6 addresses stay IPv6 (after every IPv4 address). */
    begin("keys: an IPv4-mapped IPv6 address", 100.0);
    close_wait(40000, 0);
    feed(1, "198.51.100.1", "::ffff:192.0.2.1");
    close_wait(40001, 0);
    feed(2, "198.51.100.1", "192.0.2.200");
    end();
    CHECK_EQ_INT(td_findings_count(F), 2);
    CHECK_STR(key_at(0), "192.0.2.200:80");
    CHECK_STR(key_at(1), "[::ffff:192.0.2.1]:80");
}

static void test_membership(void)
{
    td_findings_prefs_default(&P);
    P.tw_reuse_min = 1;
    P.burst_min = 1;

    /* One conversation in two findings: it reused a port its client held
     * in TIME_WAIT, and its server reset it. */
    begin("membership: two kinds", 100.0);
    reuses_time_wait(40000, 0);
    seg(&conv, 1.5, S, RST, 70001, 0, 0);
    feed(3, "198.51.100.1", "192.0.2.1");
    end();
    const uint32_t *idx = NULL;
    CHECK_EQ_INT(td_findings_of(F, 3, &idx), 2);
    CHECK(idx && kind_at(idx[0]) == TD_FIND_TIME_WAIT_CHURN &&
          kind_at(idx[1]) == TD_FIND_SHUTDOWN_BURST);
    CHECK(td_findings_has(F, 3, TD_FIND_SHUTDOWN_BURST));
    CHECK(!td_findings_has(F, 3, TD_FIND_SCAN));

    /*
     * At most TD_FINDINGS_SHOWN per conversation, the first in finding
     * order.  A conversation is in one group per kind, so only an id
     * given to several conversations reaches the cap: here 8 clients'
     * reuses and one server's reset, all with id 7.
     */
    begin("membership: the cap of 8", 100.0);
    for (int i = 0; i < 8; i++) {
        char client[32];
        snprintf(client, sizeof client, "198.51.100.%d", i + 1);
        reuses_time_wait((uint16_t)(40000 + i), 0);
        feed(7, client, "192.0.2.1");
    }
    server_reset(40100, 0, 1.0);
    feed(7, "198.51.100.99", "192.0.2.1");
    server_reset(40101, 0, 1.0);
    feed(8, "198.51.100.99", "192.0.2.1");
    end();
    CHECK_EQ_INT(td_findings_count(F), 9);
    CHECK_EQ_INT(count_of(TD_FIND_TIME_WAIT_CHURN), 8);
    CHECK_EQ_INT(td_findings_of(F, 7, &idx), TD_FINDINGS_SHOWN);
    for (uint32_t i = 0; i < TD_FINDINGS_SHOWN && idx; i++)
        CHECK_EQ_INT(idx[i], i);
    /* The ninth is not shown, so not "had": as the glue's in_finding. */
    CHECK(!td_findings_has(F, 7, TD_FIND_SHUTDOWN_BURST));
    CHECK(td_findings_has(F, 8, TD_FIND_SHUTDOWN_BURST));
    const td_found *x = found(TD_FIND_SHUTDOWN_BURST, "192.0.2.1");
    CHECK(x && x->count == 2 && x->ids[0] == 7 && x->ids[1] == 8);
}

static void test_ipv6_texts(void)
{
    td_findings_prefs_default(&P);
    P.flood_min = 2;
    P.flood_sources = 2;
    P.tw_min = 1;
    P.burst_min = 1;

    begin("IPv6: keys in the texts", 100.0);
    half_open(40000, 443, 0, 0.01, 1);
    feed(1, "2001:db8::a", "2001:db8:0:1::1");
    half_open(40001, 443, 1, 0.01, 1);
    feed(2, "2001:db8::b", "2001:db8:0:1::1");
    time_wait(40002, 90);
    feed(3, "2001:db8::c", "2001:db8:0:1::1");
    server_reset(40003, 0, 1.0);
    feed(4, "2001:db8::c", "2001:db8:0:1::2");
    end();
    CHECK_CONTAINS(text_of(TD_FIND_SYN_FLOOD, "[2001:db8:0:1::1]:443"),
                   "SYN flood toward [2001:db8:0:1::1]:443: 2 connection attempts from 2 source");
    CHECK_CONTAINS(text_of(TD_FIND_TIME_WAIT_CHURN, "2001:db8::c"),
                   "Client 2001:db8::c ends the capture holding 1 connections in TIME_WAIT");
    CHECK_CONTAINS(text_of(TD_FIND_SHUTDOWN_BURST, "2001:db8:0:1::2"),
                   "Server 2001:db8:0:1::2 reset or closed");
}

/* Many: the echo table and the lists grow; ids added in any order. */
static void test_many(void)
{
    td_findings_prefs_default(&P);
    P.scan_min = 1000;
    P.scan_window_s = 3600;

    /* The hosts of the first 300 targets answer pings. */
    for (int i = 0; i < 300; i++) {
        td_addr h = ip4("192.0.2.0");
        h.bytes[2] = (uint8_t)(2 + i / 250);
        h.bytes[3] = (uint8_t)(i % 250);
        td_findings_echo_reply(F, &h);
    }
    begin("many: 1000 targets of one scanner", 4000.0);
    for (int i = 0; i < 1000; i++) {
        char server[32];
        snprintf(server, sizeof server, "192.0.%d.%d", 2 + i / 250, i % 250);
        syns(50000, (uint16_t)(1 + i % 7), i, 1);
        feed((uint32_t)(1000 - i), "203.0.113.9", server);
    }
    end();
    CHECK_EQ_INT(count_of(TD_FIND_SCAN), 1);
    const td_found *x = found(TD_FIND_SCAN, "203.0.113.9");
    CHECK(x && x->count == 1000 && x->ids[0] == 1000 && x->ids[999] == 1);
    CHECK_EQ_INT(td_findings_of(F, 1000 - 10, NULL), 2);  /* the scan, its host's ping-no-tcp */
    CHECK_EQ_INT(td_findings_of(F, 1000 - 500, NULL), 1);
    CHECK_EQ_INT(count_of(TD_FIND_PING_NO_TCP), 300);
}

int main(void)
{
    td_prefs_default(&prefs);
    F = td_findings_new();
    if (!F)
        return 1;
    td_findings_prefs_default(&P);
    CHECK_EQ_INT(P.flood_min, 100);
    CHECK_EQ_INT(P.flood_sources, 10);
    CHECK_EQ_INT(P.flood_window_s, 10);
    CHECK_EQ_INT(P.scan_min, 20);
    CHECK_EQ_INT(P.scan_window_s, 60);
    CHECK_EQ_INT(P.scan_failed_pct, 80);
    CHECK_EQ_INT(P.leak_min, 10);
    CHECK_EQ_INT(P.tw_min, 20);
    CHECK_EQ_INT(P.tw_reuse_min, 3);
    CHECK_EQ_INT(P.burst_min, 10);
    CHECK_EQ_INT(P.burst_window_ms, 100);

    test_syn_flood();
    test_scan();
    test_close_wait_leak();
    test_time_wait_churn();
    test_shutdown_burst();
    test_ping_no_tcp();
    test_accept_queue();
    test_one_way_capture();
    test_order_and_keys();
    test_membership();
    test_ipv6_texts();
    test_many();
    td_findings_free(F);
    td_conv_free(&conv);
    printf("findings: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
