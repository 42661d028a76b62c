/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of td_log: a conversation rebuilt from its kept segments is
 * the conversation that saw them, byte for byte: random opening sequences
 * (any flags, IP header details, times to the nanosecond, port reuse)
 * and the longest log Linux makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_log.h"

static int passed, failed;

static void check(int ok, const char *what, unsigned round, unsigned i)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL round %u segment %u: %s\n", round, i, what);
    }
}

/* A small deterministic generator (xorshift32): the same rounds every run. */
static uint32_t rng = 2463534242u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static td_segment random_segment(uint32_t frame, double ts)
{
    static const uint8_t flags[] = {
        TD_TH_SYN, TD_TH_SYN | TD_TH_ACK, TD_TH_SYN | TD_TH_PSH, TD_TH_SYN | TD_TH_ACK | TD_TH_PSH,
        TD_TH_ACK, TD_TH_RST, TD_TH_RST | TD_TH_ACK, TD_TH_FIN | TD_TH_ACK, TD_TH_SYN | TD_TH_FIN,
        TD_TH_SYN | TD_TH_RST,
    };
    /* Sequence numbers from a few ISNs so that some acknowledge others. */
    static const uint32_t isn[] = { 1000u, 5000u, 0xfffffff0u, 0u };
    td_segment s;

    memset(&s, 0, sizeof s);
    s.frame = frame;
    s.ts = ts;
    s.sender = (uint8_t)(next() % 2);
    s.flags = flags[next() % (sizeof flags / sizeof flags[0])];
    s.seq = isn[next() % 4] + next() % 3;
    s.ack = isn[next() % 4] + next() % 3;
    s.payload_len = next() % 5 == 0 ? 100 : 0;
    s.window = (uint16_t)next();
    s.ip = (uint8_t)((const uint8_t[]){ 4, 4, 6, 0 }[next() % 4]);
    s.ttl = (uint8_t)(next() % 3 == 0 ? 128 : 64);
    s.ip_id = (uint16_t)(next() % 4);
    s.df = next() % 2;
    return s;
}

/* Feed random segments to a live conversation and keep those td_log
 * takes; after each kept one, the rebuilt conversation and the step of
 * its last segment must equal the live ones. */
static void test_replay_equals_live(void)
{
    for (unsigned round = 0; round < 20000; round++) {
        td_conv live, prev, built;
        td_logged log[TD_LOG_MAX];
        td_step steps[TD_LOG_MAX];
        uint32_t n = 0;
        double ts = 0.0;

        td_conv_init(&live, (uint16_t)(40000 + round % 7), (uint16_t)(round % 5 ? 80 : 40000));
        if (round % 3 == 0) {
            td_conv_init(&prev, live.port[1], live.port[0]);
            prev.last_ts = 1.5;
            prev.ep[0].state = TD_TIME_WAIT;
            td_conv_set_reuse(&live, &prev, round);
        }
        const td_origin o = td_origin_of(&live);
        for (unsigned i = 0; i < 12; i++) {
            /* Times a float would not hold (nanoseconds). */
            ts += (next() % 4) * 0.25 + (next() % 1000000) * 1e-9;
            td_segment s = random_segment(i + 1, ts);
            const int takes = td_log_takes(n, &s);
            td_step st = td_conv_on_segment(&live, &s);
            if (!takes)
                break;
            log[n++] = td_log_entry(&s);
            td_step got = td_log_replay(&built, &o, log, n, steps);
            check(memcmp(&built, &live, sizeof live) == 0, "rebuilt conversation == live one", round, i);
            check(memcmp(&got, &st, sizeof st) == 0, "step of the last segment == live step", round, i);
            check(memcmp(&steps[n - 1], &st, sizeof st) == 0, "stored step == live step", round, i);
            check(built.rsts == NULL && built.more == NULL, "a kept conversation allocates nothing",
                  round, i);
            td_conv_free(&built);
        }
        td_conv_free(&live);
    }
}

/* Linux's schedule: a SYN and six retransmissions (1, 3, 7, 15, 31, 63 s),
 * then a SYN-ACK: the 8 segments a log keeps, from two IP versions of
 * header detail; a ninth is refused. */
static void test_full_log(void)
{
    static const double at[] = { 0.0, 1.000123457, 3.001234567, 7.002345678, 15.003456789,
                                 31.004567891, 63.005678912 };
    td_conv live, built;
    td_logged log[TD_LOG_MAX];
    uint32_t n = 0;
    td_origin o;

    td_conv_init(&live, 40000, 443);
    o = td_origin_of(&live);
    for (unsigned i = 0; i < TD_LOG_MAX; i++) {
        td_segment s;
        memset(&s, 0, sizeof s);
        s.frame = 10 * i + 1;
        s.ts = i < 7 ? at[i] : 63.5;
        s.sender = i < 7 ? 0 : 1;
        s.flags = i < 7 ? TD_TH_SYN : TD_TH_SYN | TD_TH_ACK;
        s.seq = i < 7 ? 1000u : 9000u;
        s.ack = i < 7 ? 0u : 1001u;
        s.window = 64240;
        s.ip = 6;
        s.ttl = (uint8_t)(64 - i);
        s.df = true;
        check(td_log_takes(n, &s), "a SYN or the SYN-ACK is kept", 0, i);
        td_step st = td_conv_on_segment(&live, &s);
        log[n++] = td_log_entry(&s);
        td_step got = td_log_replay(&built, &o, log, n, NULL);
        check(memcmp(&built, &live, sizeof live) == 0, "rebuilt == live (full log)", 0, i);
        check(memcmp(&got, &st, sizeof st) == 0, "step == live step (full log)", 0, i);
    }
    check(built.ep[0].syn_count == 7 && built.ep[1].synack_count == 1, "7 SYNs and a SYN-ACK", 0, 8);
    td_segment ninth;
    memset(&ninth, 0, sizeof ninth);
    ninth.flags = TD_TH_SYN;
    check(!td_log_takes(n, &ninth), "a ninth is refused", 0, 8);
}

static void test_takes(void)
{
    td_segment s;

    memset(&s, 0, sizeof s);
    s.flags = TD_TH_SYN;
    check(td_log_takes(0, &s), "a SYN", 0, 0);
    check(!td_log_takes(TD_LOG_MAX, &s), "a SYN beyond TD_LOG_MAX", 0, 0);
    s.flags = TD_TH_SYN | TD_TH_ACK;
    check(td_log_takes(1, &s), "a SYN-ACK", 0, 0);
    s.payload_len = 1;
    check(!td_log_takes(1, &s), "a SYN-ACK with payload (kept only without)", 0, 0);
    s.payload_len = 0;
    s.flags = TD_TH_ACK;
    check(!td_log_takes(1, &s), "a bare ACK", 0, 0);
    s.flags = TD_TH_SYN | TD_TH_RST;
    check(!td_log_takes(1, &s), "a SYN with RST", 0, 0);
    s.flags = TD_TH_SYN | TD_TH_FIN;
    check(!td_log_takes(1, &s), "a SYN with FIN", 0, 0);
    s.flags = TD_TH_SYN;
    s.ip = 5;
    check(!td_log_takes(1, &s), "a SYN in an IP version other than 4 or 6", 0, 0);
    s.ip = 0;
    check(td_log_takes(1, &s), "a SYN whose IP header is not known", 0, 0);
    s.sender = 2;
    check(!td_log_takes(1, &s), "a segment of no endpoint", 0, 0);
}

int main(void)
{
    test_takes();
    test_full_log();
    test_replay_equals_live();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
