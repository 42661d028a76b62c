/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_check.h - the checks of the engine's unit tests (test_engine.c,
 * test_flow.c): each counts a pass or prints what failed, with the line.
 */
#ifndef TD_CHECK_H
#define TD_CHECK_H

#include <stdio.h>
#include <string.h>

#include "td_engine.h"

static int passed, failed;
static const char *current;

#define CHECK(cond) check((cond), #cond, __LINE__)
#define CHECK_EQ_INT(a, b) check_int((long long)(a), (long long)(b), #a, __LINE__)
#define CHECK_STATE(c, cs, ss) check_states((c), (cs), (ss), __LINE__)
#define CHECK_CONTAINS(hay, needle) check_contains((hay), (needle), __LINE__)
#define CHECK_SUMMARY(c, v, now, icmp_source, buf, n) \
    check_summary((c), (v), (now), (icmp_source), (buf), (n), __LINE__)

static inline void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: %s\n", current, line, what);
    }
}

static inline void check_int(long long a, long long b, const char *what, int line)
{
    if (a == b) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: %s is %lld, expected %lld\n", current, line, what, a, b);
    }
}

static inline void check_states(const td_conv *c, td_state cs, td_state ss, int line)
{
    if (td_client_state(c) == cs && td_server_state(c) == ss) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: states %s/%s, expected %s/%s\n", current, line,
               td_state_name(td_client_state(c)), td_state_name(td_server_state(c)),
               td_state_name(cs), td_state_name(ss));
    }
}

static inline void check_contains(const char *hay, const char *needle, int line)
{
    if (strstr(hay, needle)) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: \"%s\" does not contain \"%s\"\n", current, line, hay, needle);
    }
}

/* The summary at the end of the capture (td_conv_summary, final) into buf:
 * its return value must be the text's length, and the text must not have
 * been cut by the buffer (the checks of its words would miss what fell
 * off, or pass on a prefix). */
static inline void check_summary(const td_conv *c, const td_verdict *v, double now,
                                 const char *icmp_source, char *buf, size_t n, int line)
{
    size_t len = td_conv_summary(c, v, now, true, icmp_source, buf, n);

    if (len == strlen(buf) && len + 1 < n) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s:%d: summary: returned %zu, %zu long, in a buffer of %zu (cut?)\n", current,
               line, len, strlen(buf), n);
    }
}

/* Endpoint 0 is the client in most tests: port 40000 -> 80. */
#define C 0
#define S 1
#define SYN TD_TH_SYN
#define ACK TD_TH_ACK
#define FIN TD_TH_FIN
#define RST TD_TH_RST

static uint32_t frame_no;

/* The next frame's segment (window 64240, no IP header); callers set more. */
static inline td_segment make_seg(double ts, int sender, uint8_t flags, uint32_t seq,
                                  uint32_t ack, uint32_t len)
{
    td_segment s;
    memset(&s, 0, sizeof s);
    s.frame = ++frame_no;
    s.ts = ts;
    s.seq = seq;
    s.ack = ack;
    s.payload_len = len;
    s.flags = flags;
    s.window = 64240;
    s.sender = (uint8_t)sender;
    return s;
}

static inline td_step seg(td_conv *c, double ts, int sender, uint8_t flags, uint32_t seq,
                   uint32_t ack, uint32_t len)
{
    td_segment s = make_seg(ts, sender, flags, seq, ack, len);
    return td_conv_on_segment(c, &s);
}

static td_prefs prefs;

static inline td_verdict verdict(const td_conv *c, double now)
{
    return td_conv_verdict(c, now, &prefs);
}

/* A test's conversation: zeroed, and released when it goes out of scope
 * (GCC's and Clang's cleanup attribute), so the sanitizer build finds no
 * leak of the tests' own making. */
#define TEST_CONV(name) td_conv name __attribute__((cleanup(td_conv_free))) = { 0 }

/* A conversation begun anew: what the previous case kept is released. */
static inline void conv_reset(td_conv *c, uint16_t port0, uint16_t port1)
{
    td_conv_free(c);
    td_conv_init(c, port0, port1);
}

static inline void start(td_conv *c, const char *name)
{
    current = name;
    frame_no = 0;
    conv_reset(c, 40000, 80);
}

/* Client ISN 1000, server ISN 5000. */
static inline void handshake(td_conv *c, double t0)
{
    seg(c, t0, C, SYN, 1000, 0, 0);
    seg(c, t0 + 0.010, S, SYN | ACK, 5000, 1001, 0);
    seg(c, t0 + 0.020, C, ACK, 1001, 5001, 0);
}

#endif /* TD_CHECK_H */
