/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of td_log: a conversation rebuilt from its kept segments is
 * the conversation that saw them, byte for byte, whatever they were.
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
            ts += (next() % 4) * 0.25;
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
            td_conv_free(&built);
        }
        td_conv_free(&live);
    }
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
    test_replay_equals_live();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
