/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of td_conv_facts (td_facts.c): what a conversation's packets
 * show besides its states and outcome, and what they leave out.
 */
#include "td_check.h"
#include "td_facts.h"

static td_facts facts_at(const td_conv *c, double now)
{
    td_facts f;
    const td_verdict v = verdict(c, now);
    td_conv_facts(c, &v, now, &f);
    return f;
}

#define CHECK_TIME(x, want) CHECK((x) > (want) - 1e-6 && (x) < (want) + 1e-6)

static void test_unanswered(void)
{
    TEST_CONV(c);

    start(&c, "facts: SYNs never answered");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 3.0, C, SYN, 1000, 0, 0);
    td_facts f = facts_at(&c, 10.0);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_SYN_UNANSWERED);
    CHECK_EQ_INT(f.syn_count, 3);
    CHECK_EQ_INT(f.synack_count, 0);
    CHECK_EQ_INT(f.syn_frame, 1);
    CHECK_EQ_INT(f.answer_frame, 0);
    CHECK_TIME(f.unanswered_for, 7.0);       /* since the last SYN */
    CHECK(f.synack_delay < 0 && f.handshake_rtt < 0 && f.idle < 0);
    CHECK(!f.has_bytes && !f.rsts_seen && f.rtx_schedule_of == -1);
    CHECK(f.zero_window_for < 0 && f.idle_before_cut < 0 && f.opened_late_by < 0);
    CHECK(strcmp(f.client_state, "SYN_SENT") == 0);
    CHECK(strcmp(f.server_state, "CLOSED") == 0);
    CHECK(strcmp(f.closed_by, "") == 0 && strcmp(f.reset_by, "") == 0);
    CHECK(f.conn_state && strcmp(f.conn_state, "S0") == 0);
    CHECK_TIME(f.start, 0.0);
    CHECK_TIME(f.duration, 3.0);
}

static void test_refused(void)
{
    TEST_CONV(c);

    start(&c, "facts: refused");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, RST | ACK, 0, 1001, 0);
    td_facts f = facts_at(&c, 5.0);
    CHECK_EQ_INT(verdict(&c, 5.0).outcome, TD_OUT_REFUSED);
    CHECK_EQ_INT(f.answer_frame, 2);
    CHECK(f.unanswered_for < 0);             /* answered: no waiting time */
    CHECK(f.rsts_seen);
    CHECK(strcmp(f.reset_by, "") != 0);
    CHECK(strcmp(f.conn_state, "REJ") == 0);
}

static void test_open_and_closed(void)
{
    TEST_CONV(c);

    start(&c, "facts: open, then closed");
    handshake(&c, 0.0);
    seg(&c, 0.030, C, ACK, 1001, 5001, 38);
    seg(&c, 0.031, S, ACK, 5001, 1039, 80);
    td_facts f = facts_at(&c, 2.0);
    CHECK_EQ_INT(verdict(&c, 2.0).outcome, TD_OUT_ESTABLISHED);
    CHECK_TIME(f.synack_delay, 0.010);
    CHECK_TIME(f.handshake_rtt, 0.020);
    CHECK_TIME(f.idle, 2.0 - 0.031);         /* open: idle since the last packet */
    CHECK(f.has_bytes);
    CHECK_EQ_INT(f.client_bytes, 38);
    CHECK_EQ_INT(f.server_bytes, 80);
    seg(&c, 0.040, C, FIN | ACK, 1039, 5081, 0);
    seg(&c, 0.041, S, FIN | ACK, 5081, 1040, 0);
    seg(&c, 0.042, C, ACK, 1040, 5082, 0);
    f = facts_at(&c, 2.0);
    CHECK_EQ_INT(verdict(&c, 2.0).outcome, TD_OUT_CLOSED);
    CHECK(f.idle < 0);                       /* closed: no idle time */
    CHECK_EQ_INT(f.client_fins, 1);
    CHECK_EQ_INT(f.server_fins, 1);
    CHECK(strcmp(f.closed_by, "client") == 0);
    CHECK(strcmp(f.time_wait, "client") == 0);
    CHECK(strcmp(f.client_state, "TIME_WAIT") == 0);
    CHECK(strcmp(f.history, "ShADdFf") == 0);    /* the server sent no pure ACK: no "a" */
}

static void test_reordered_times(void)
{
    TEST_CONV(c);

    start(&c, "facts: a SYN-ACK stamped before its SYN shows 0, not a negative time");
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.5, S, SYN | ACK, 5000, 1001, 0);
    td_facts f = facts_at(&c, 1.0);
    CHECK(f.synack_delay == 0.0);
}

int main(void)
{
    td_prefs_default(&prefs);
    test_unanswered();
    test_refused();
    test_open_and_closed();
    test_reordered_times();
    printf("facts: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
