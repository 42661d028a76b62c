/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the engine: sequences of segments in, states and verdicts
 * out.  No Wireshark involved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_engine.h"

#include "td_check.h"

static void test_refused(void)
{
    TEST_CONV(c);
    start(&c, "refused");
    td_step st = seg(&c, 0.0, C, SYN, 1000, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    CHECK(st.changed);
    CHECK_EQ_INT(c.role_basis, TD_ROLE_SYN);
    CHECK_EQ_INT(verdict(&c, 0.0).outcome, TD_OUT_SYN_PENDING);
    st = seg(&c, 0.001, S, RST | ACK, 0, 1001, 0);
    CHECK(st.changed);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    td_verdict v = verdict(&c, 5.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_REFUSED);
    CHECK_EQ_INT(v.client_error, TD_ERR_ECONNREFUSED);
    CHECK_EQ_INT(v.key_frame, 2);
    CHECK_EQ_INT(v.answer_frame, 2);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 5.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "port 80");
    CHECK_CONTAINS(buf, "Connection refused");
    CHECK_CONTAINS(buf, "1.0 ms");
}

static void test_rst_with_wrong_ack_is_ignored(void)
{
    TEST_CONV(c);
    start(&c, "rst-wrong-ack");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, RST | ACK, 0, 7777, 0); /* does not acknowledge the SYN */
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    td_verdict v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
}

static void test_syn_unanswered(void)
{
    TEST_CONV(c);
    start(&c, "syn-unanswered");
    seg(&c, 100.0, C, SYN, 1000, 0, 0);
    td_step st = seg(&c, 101.0, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_SYN_RETRANS);
    CHECK_EQ_INT(st.count, 1);
    CHECK(st.interval > 0.999 && st.interval < 1.001);
    st = seg(&c, 103.0, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_SYN_RETRANS);
    CHECK_EQ_INT(st.count, 2);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    CHECK_EQ_INT(c.ep[C].syn_count, 3);

    /* Right after the last SYN: the retransmissions already prove the
     * earlier SYNs went unanswered; whether the client gave up is open. */
    td_verdict v = verdict(&c, 103.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(!v.client_gave_up);
    CHECK_EQ_INT(v.key_frame, 3);
    /* Long enough to call it unanswered, but the next retry (at +4 s)
     * could still come: the client has not given up. */
    v = verdict(&c, 106.5);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(!v.client_gave_up);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);
    /* Past the next retry: the client gave up. */
    v = verdict(&c, 108.5);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(v.client_gave_up);
    CHECK_EQ_INT(v.client_error, TD_ERR_ETIMEDOUT);

    char buf[512];
    CHECK_SUMMARY(&c, &v, 108.5, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "SYN sent 3 times over 3.0 s (at 0.00, 1.00, 3.00 s)");
    CHECK_CONTAINS(buf, "Connection timed out");
    CHECK_EQ_INT(td_conv_syn_schedule(&c, buf, sizeof buf), strlen("0.00, 1.00, 3.00"));
    CHECK(strcmp(buf, "0.00, 1.00, 3.00") == 0);
}

static void test_single_syn(void)
{
    TEST_CONV(c);
    start(&c, "single-syn");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(verdict(&c, 0.3).outcome, TD_OUT_SYN_PENDING);
    td_verdict v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(v.client_gave_up);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE); /* the application gave up itself */
    char buf[512];
    CHECK_SUMMARY(&c, &v, 10.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "the client application gave up by itself");
    prefs.answer_wait = 20.0;
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_SYN_PENDING);
    td_prefs_default(&prefs);
}

static void test_many_syns(void)
{
    /* Linux default: 1 + tcp_syn_retries(6) SYNs at 0,1,3,7,15,31,63 s. */
    TEST_CONV(c);
    static const double at[] = { 0, 1, 3, 7, 15, 31, 63, 127, 255 };
    start(&c, "many-syns");
    for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++)
        seg(&c, at[i], C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(c.ep[C].syn_count, 9);
    char buf[256];
    /* The whole schedule: its length and its text. */
    CHECK_EQ_INT(td_conv_syn_schedule(&c, buf, sizeof buf),
                 strlen("0.00, 1.00, 3.00, 7.00, 15.00, 31.00, 63.00, 127.00, ... 255.00"));
    CHECK_CONTAINS(buf, "0.00, 1.00, 3.00, 7.00, 15.00, 31.00, 63.00, 127.00, ... 255.00");
    td_verdict v = verdict(&c, 300.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(!v.client_gave_up); /* the next would be due at 511 s */
    v = verdict(&c, 600.0);
    CHECK(v.client_gave_up);
}

static void test_graceful_close_client_first(void)
{
    TEST_CONV(c);
    start(&c, "close-client-first");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    seg(&c, 0.01, S, SYN | ACK, 5000, 1001, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    CHECK_EQ_INT(verdict(&c, 0.01).outcome, TD_OUT_SYNACK_PENDING);
    seg(&c, 0.02, C, ACK, 1001, 5001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK(c.flags & TD_C_HANDSHAKE);
    CHECK_EQ_INT(c.hs_ack_frame, 3);
    CHECK_EQ_INT(verdict(&c, 0.02).outcome, TD_OUT_ESTABLISHED);
    seg(&c, 0.03, C, ACK | TD_TH_PSH, 1001, 5001, 18);
    seg(&c, 0.04, S, ACK | TD_TH_PSH, 5001, 1019, 21);
    seg(&c, 0.05, C, ACK | FIN, 1019, 5022, 0);
    CHECK_STATE(&c, TD_FIN_WAIT1, TD_ESTABLISHED);
    CHECK_EQ_INT(verdict(&c, 0.05).outcome, TD_OUT_CLOSING);
    seg(&c, 0.06, S, ACK, 5022, 1020, 0);
    CHECK_STATE(&c, TD_FIN_WAIT2, TD_CLOSE_WAIT);
    seg(&c, 0.07, S, ACK | FIN, 5022, 1020, 0);
    CHECK_STATE(&c, TD_FIN_WAIT2, TD_LAST_ACK);
    seg(&c, 0.08, C, ACK, 1020, 5023, 0);
    CHECK_STATE(&c, TD_TIME_WAIT, TD_CLOSED);
    td_verdict v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_CLOSED);
    CHECK_EQ_INT(v.answer_frame, 2);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "RTT 20.0 ms");
    CHECK_CONTAINS(buf, "18 bytes from the client, 21 from the server");
    CHECK_CONTAINS(buf, "the client closed first");
}

static void test_three_way_close_server_first(void)
{
    TEST_CONV(c);
    start(&c, "close-server-first-3way");
    handshake(&c, 0.0);
    seg(&c, 0.1, S, ACK | FIN, 5001, 1001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_FIN_WAIT1);
    /* The client acknowledges the FIN and sends its own in one segment. */
    seg(&c, 0.2, C, ACK | FIN, 1001, 5002, 0);
    CHECK_STATE(&c, TD_LAST_ACK, TD_FIN_WAIT2);
    seg(&c, 0.3, S, ACK, 5002, 1002, 0);
    CHECK_STATE(&c, TD_CLOSED, TD_TIME_WAIT);
    td_verdict v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_CLOSED);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "the server closed first");
}

static void test_simultaneous_close(void)
{
    TEST_CONV(c);
    start(&c, "simultaneous-close");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.1, S, ACK | FIN, 5001, 1001, 0); /* crossed: acks nothing new */
    CHECK_STATE(&c, TD_FIN_WAIT1, TD_FIN_WAIT1);
    seg(&c, 0.2, C, ACK, 1002, 5002, 0);
    CHECK_STATE(&c, TD_CLOSING, TD_FIN_WAIT2);
    seg(&c, 0.2, S, ACK, 5002, 1002, 0);
    CHECK_STATE(&c, TD_TIME_WAIT, TD_TIME_WAIT);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_CLOSED);
}

static void test_synack_unanswered(void)
{
    TEST_CONV(c);
    start(&c, "synack-unanswered");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, SYN | ACK, 5000, 1001, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    td_step st = seg(&c, 1.0, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_SYN_RETRANS);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    st = seg(&c, 1.001, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(st.event, TD_EV_SYNACK_RETRANS);
    CHECK_EQ_INT(st.count, 1);
    seg(&c, 3.0, C, SYN, 1000, 0, 0);
    seg(&c, 3.001, S, SYN | ACK, 5000, 1001, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    CHECK_EQ_INT(c.syn_retries_after_synack, 2);
    td_verdict v = verdict(&c, 4.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYNACK_UNANSWERED);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE); /* the client may still retry */
    v = verdict(&c, 9.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYNACK_UNANSWERED);
    CHECK_EQ_INT(v.client_error, TD_ERR_ETIMEDOUT);
    CHECK_EQ_INT(v.key_frame, 6);
    CHECK_EQ_INT(v.answer_frame, 2);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 9.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "SYN-ACK 3 times over 3.0 s");
    CHECK_CONTAINS(buf, "re-sent its SYN twice");
}

static void test_synack_single_pending(void)
{
    TEST_CONV(c);
    start(&c, "synack-single-pending");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(verdict(&c, 0.5).outcome, TD_OUT_SYNACK_PENDING);
    CHECK_EQ_INT(verdict(&c, 5.0).outcome, TD_OUT_SYNACK_UNANSWERED);
}

static void test_linux_syn_limit(void)
{
    /* Seed 002: 7 SYNs over 63 s, the capture stops at the last one. */
    TEST_CONV(c);
    static const double at[] = { 0, 1.01, 3.03, 7.07, 15.1, 31.2, 63.5 };
    start(&c, "linux-syn-limit");
    for (unsigned i = 0; i < 7; i++)
        seg(&c, at[i], C, SYN, 1000, 0, 0);
    CHECK(td_conv_syn_limit_reached(&c));
    td_verdict v = verdict(&c, 63.5);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYN_UNANSWERED);
    CHECK(v.client_gave_up);
    CHECK_EQ_INT(v.client_error, TD_ERR_ETIMEDOUT);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 63.5, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "SYN sent 7 times over 63.5 s");
    CHECK_CONTAINS(buf, "tcp_syn_retries = 6");
    CHECK_CONTAINS(buf, "Connection timed out");
    /* A schedule that does not double is not Linux's. */
    start(&c, "not-linux-schedule");
    for (unsigned i = 0; i < 7; i++)
        seg(&c, i * 3.0, C, SYN, 1000, 0, 0);
    CHECK(!td_conv_syn_limit_reached(&c));
}

static void test_synack_unanswered_spoofed(void)
{
    /* A SYN from a source that never answers (SYN flood style). */
    TEST_CONV(c);
    start(&c, "synack-unanswered-spoofed");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 1.001, S, SYN | ACK, 5000, 1001, 0);
    td_verdict v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SYNACK_UNANSWERED);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);
}

static void test_client_aborted(void)
{
    TEST_CONV(c);
    start(&c, "client-aborted");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 3.0, S, SYN | ACK, 5000, 1001, 0);
    /* Linux answers a SYN-ACK for a socket it no longer has with a bare
     * RST whose sequence number is the SYN-ACK's ack. */
    seg(&c, 3.0001, C, RST, 1001, 0, 0);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    td_verdict v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_CLIENT_ABORTED);
    CHECK_EQ_INT(v.key_frame, 4);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);
}

static void test_reset_after_handshake(void)
{
    TEST_CONV(c);
    start(&c, "reset-after-handshake-server");
    handshake(&c, 0.0);
    seg(&c, 0.03, S, RST | ACK, 5001, 1001, 0);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    td_verdict v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_RESET_AFTER_HANDSHAKE);
    CHECK_EQ_INT(v.client_error, TD_ERR_ECONNRESET);
    CHECK_EQ_INT(v.key_frame, 4);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "the server reset the connection 10.0 ms later before any data");

    start(&c, "reset-after-handshake-client");
    handshake(&c, 0.0);
    seg(&c, 0.03, C, RST | ACK, 1001, 5001, 0);
    v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_RESET_AFTER_HANDSHAKE);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);
    CHECK_EQ_INT(c.rst_by, C);

    /* The server got 100 bytes it never answered, then reset: what
     * Linux does when close() finds unread data. */
    start(&c, "reset-unread-data");
    handshake(&c, 0.0);
    seg(&c, 0.03, C, ACK, 1001, 5001, 100);
    seg(&c, 0.04, S, RST | ACK, 5001, 1101, 0);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_RESET_UNREAD_DATA);
    CHECK_EQ_INT(verdict(&c, 1.0).client_error, TD_ERR_ECONNRESET);

    /* The reset acknowledges less than the peer sent: unread as well. */
    start(&c, "reset-unacked-data");
    handshake(&c, 0.0);
    seg(&c, 0.03, S, ACK, 5001, 1001, 50);
    seg(&c, 0.04, C, ACK, 1001, 5051, 100);
    seg(&c, 0.05, S, ACK, 5051, 1101, 10);
    seg(&c, 0.06, C, RST | ACK, 1101, 5051, 0);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_RESET_UNREAD_DATA);

    /* Both sides talked, everything acknowledged: an abortive close. */
    start(&c, "reset-after-data");
    handshake(&c, 0.0);
    seg(&c, 0.03, C, ACK, 1001, 5001, 100);
    seg(&c, 0.04, S, ACK, 5001, 1101, 80);
    seg(&c, 0.05, C, RST | ACK, 1101, 5081, 0);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_RESET);
    CHECK_EQ_INT(verdict(&c, 1.0).client_error, TD_ERR_NONE);
    CHECK(strcmp(td_conv_reset_by(&c), "client") == 0);
}

static void test_icmp(void)
{
    static const struct {
        uint8_t type, code;
        bool v6;
        td_client_error err;
    } cases[] = {
        { 3, 0, false, TD_ERR_ENETUNREACH },
        { 3, 1, false, TD_ERR_EHOSTUNREACH },
        { 3, 3, false, TD_ERR_ECONNREFUSED },
        { 3, 13, false, TD_ERR_EHOSTUNREACH },
        { 3, 10, false, TD_ERR_EHOSTUNREACH },
        { 11, 0, false, TD_ERR_EHOSTUNREACH },
        { 1, 0, true, TD_ERR_ENETUNREACH },
        { 1, 1, true, TD_ERR_EACCES },
        { 1, 3, true, TD_ERR_EHOSTUNREACH },
        { 1, 4, true, TD_ERR_ECONNREFUSED },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TEST_CONV(c);
        td_icmp m = { cases[i].type, cases[i].code, cases[i].v6, false, C, 0 };
        start(&c, "icmp");
        seg(&c, 0.0, C, SYN, 1000, 0, 0);
        td_step st = td_conv_on_icmp(&c, 2, 0.002, &m);
        CHECK_EQ_INT(st.event, TD_EV_ICMP_ERROR);
        CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
        td_verdict v = verdict(&c, 10.0);
        CHECK_EQ_INT(v.outcome, TD_OUT_ICMP_UNREACHABLE);
        CHECK_EQ_INT(v.client_error, cases[i].err);
        CHECK_EQ_INT(v.key_frame, 2);
        CHECK_EQ_INT(v.answer_frame, 2);
    }
    TEST_CONV(c);
    td_icmp m = { 3, 13, false, false, C, 0 };
    start(&c, "icmp-summary");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    td_conv_on_icmp(&c, 2, 0.0005, &m);
    td_verdict v = verdict(&c, 1.0);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 1.0, "192.0.2.1", buf, sizeof buf);
    CHECK_CONTAINS(buf, "communication administratively prohibited");
    CHECK_CONTAINS(buf, "from 192.0.2.1 (a router or firewall on the path)");
    CHECK_CONTAINS(buf, "No route to host");

    /* An ICMP error after the handshake does not rewrite history. */
    start(&c, "icmp-after-handshake");
    handshake(&c, 0.0);
    td_conv_on_icmp(&c, 4, 0.5, &m);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_ESTABLISHED);

    /* An error for a conversation never started is ignored. */
    conv_reset(&c, 1, 2);
    td_conv_on_icmp(&c, 1, 0.0, &m);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_NONE);
}

static void test_midstream(void)
{
    TEST_CONV(c);
    /* First packet is the server's data: port 80 is the server anyway. */
    current = "midstream";
    frame_no = 0;
    conv_reset(&c, 80, 40000);
    seg(&c, 0.0, 0, ACK | TD_TH_PSH, 5000, 1000, 100);
    CHECK_EQ_INT(c.client, 1);
    CHECK_EQ_INT(c.role_basis, TD_ROLE_PORT);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    seg(&c, 0.1, 1, ACK, 1000, 5100, 0);
    seg(&c, 0.2, 1, ACK | FIN, 1000, 5100, 0);
    CHECK_STATE(&c, TD_FIN_WAIT1, TD_ESTABLISHED);
    seg(&c, 0.3, 0, ACK | FIN, 5100, 1001, 0);
    CHECK_STATE(&c, TD_FIN_WAIT2, TD_LAST_ACK);
    seg(&c, 0.4, 1, ACK, 1001, 5101, 0);
    CHECK_STATE(&c, TD_TIME_WAIT, TD_CLOSED);
    td_verdict v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_MIDSTREAM);
    CHECK_EQ_INT(v.key_frame, 1);
    char buf[512];
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "port 80 by its port number");

    /* Two ephemeral ports: the lower one is taken for the server. */
    conv_reset(&c, 50000, 40000);
    seg(&c, 0.0, 0, ACK, 1, 1, 10);
    CHECK_EQ_INT(c.client, 0);
    /* 8080 facing an ephemeral port is the service. */
    conv_reset(&c, 8080, 45000);
    seg(&c, 0.0, 0, ACK, 1, 1, 10);
    CHECK_EQ_INT(c.client, 1);
    /* Same port both ends: first sender is the client. */
    conv_reset(&c, 179, 179);
    seg(&c, 0.0, 1, ACK, 1, 1, 10);
    CHECK_EQ_INT(c.client, 1);
    CHECK_EQ_INT(c.role_basis, TD_ROLE_FIRST);
    /* A capture that begins with a reset. */
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, 0, RST, 1, 0, 0);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_MIDSTREAM);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
}

static void test_synack_first(void)
{
    TEST_CONV(c);
    current = "synack-first";
    frame_no = 0;
    conv_reset(&c, 80, 40000);
    seg(&c, 0.0, 0, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(c.client, 1);
    CHECK_EQ_INT(c.role_basis, TD_ROLE_SYNACK);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    seg(&c, 0.01, 1, ACK, 1001, 5001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_ESTABLISHED);
}

static void test_simultaneous_open(void)
{
    TEST_CONV(c);
    start(&c, "simultaneous-open");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.0001, S, SYN, 5000, 0, 0);
    CHECK(c.flags & TD_C_SIMOPEN);
    CHECK_EQ_INT(c.simopen_frame, 2);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_SENT);
    CHECK_EQ_INT(verdict(&c, 0.0001).outcome, TD_OUT_SIMULTANEOUS_OPEN);
    /* RFC 9293 figure 8: each answers the other's SYN with SYN-ACK. */
    seg(&c, 0.001, C, SYN | ACK, 1000, 5001, 0);
    CHECK_STATE(&c, TD_SYN_RECV, TD_SYN_SENT);
    td_step st = seg(&c, 0.0011, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(st.event, TD_EV_NONE); /* not a retransmission */
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    td_verdict v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_SIMULTANEOUS_OPEN);
    CHECK_EQ_INT(v.key_frame, 2);
    CHECK_EQ_INT(v.answer_frame, 4); /* the server's SYN-ACK, not the client's */
}

static void test_new_isn(void)
{
    TEST_CONV(c);
    start(&c, "new-isn");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    td_step st = seg(&c, 1.0, C, SYN, 9000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_SYN_NEW_ISN);
    seg(&c, 1.01, S, SYN | ACK, 5000, 9001, 0);
    seg(&c, 1.02, C, ACK, 9001, 5001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
}

static void test_review_sequences(void)
{
    TEST_CONV(c);
    td_verdict v;

    /* A: a bare RST to a SYN is ignored by the client, which retries and
     * connects. */
    start(&c, "ignored-bare-rst");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    td_step st = seg(&c, 0.001, S, RST, 0, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_RST_IGNORED);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.001, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 1.002, C, ACK, 1001, 5001, 0);
    seg(&c, 1.003, C, ACK, 1001, 5001, 100);
    seg(&c, 1.004, S, ACK, 5001, 1101, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(verdict(&c, 5.0).outcome, TD_OUT_ESTABLISHED);

    /* B: RFC 9293 figure 9: an old SYN-ACK is reset by the client, which
     * stays in SYN-SENT; the server forgets it and the handshake redoes. */
    start(&c, "rfc9293-figure9");
    seg(&c, 0.0, C, SYN, 100, 0, 0);
    seg(&c, 0.001, S, SYN | ACK, 300, 91, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    seg(&c, 0.002, C, RST, 91, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    seg(&c, 1.0, C, SYN, 100, 0, 0);
    seg(&c, 1.001, S, SYN | ACK, 400, 101, 0);
    seg(&c, 1.002, C, ACK, 101, 401, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    v = verdict(&c, 5.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_ESTABLISHED);

    /* Two RSTs: the ignored one is not the answer. */
    start(&c, "two-rsts");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, RST, 0, 0, 0);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.001, S, RST | ACK, 0, 1001, 0);
    v = verdict(&c, 5.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_REFUSED);
    CHECK_EQ_INT(v.answer_frame, 4);
    CHECK_EQ_INT(v.key_frame, 4);

    /* A SYN captured twice is one SYN. */
    start(&c, "duplicate-syn");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    st = seg(&c, 0.000005, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_NONE);
    CHECK_EQ_INT(c.ep[C].syn_count, 1);
    CHECK_EQ_INT(verdict(&c, 0.05).outcome, TD_OUT_SYN_PENDING);

    /* ICMP fragmentation needed does not end the connect. */
    start(&c, "frag-needed");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    td_icmp m = { 3, 4, false, false, C, 0 };
    td_conv_on_icmp(&c, 2, 0.001, &m);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.001, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 1.002, C, ACK, 1001, 5001, 0);
    CHECK_EQ_INT(verdict(&c, 5.0).outcome, TD_OUT_ESTABLISHED);

    /* A client that retries after a host-unreachable (Linux soft error
     * while connect() held the socket) and is rejected again. */
    start(&c, "icmp-twice");
    td_icmp h = { 3, 1, false, false, C, 0 };
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    td_conv_on_icmp(&c, 2, 0.001, &h);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    td_conv_on_icmp(&c, 4, 1.001, &h);
    v = verdict(&c, 5.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_ICMP_UNREACHABLE);
    CHECK_EQ_INT(v.key_frame, 2);

    /* Crossed SYNs then a reset: the outcome moves on, so it is not
     * "settled" at the second SYN. */
    start(&c, "simopen-rst");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, SYN, 5000, 0, 0);
    seg(&c, 0.002, S, RST | ACK, 5001, 1001, 0);
    CHECK(verdict(&c, 1.0).outcome != TD_OUT_SIMULTANEOUS_OPEN);
}

static void test_teardown(void)
{
    TEST_CONV(c);
    td_verdict v;
    td_step st;
    char buf[600];

    /* CLOSE_WAIT: the server acknowledges the client's FIN, never closes. */
    start(&c, "close-wait");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK, 5001, 1002, 0);
    CHECK_STATE(&c, TD_FIN_WAIT2, TD_CLOSE_WAIT);
    v = verdict(&c, 10.2);
    CHECK_EQ_INT(v.outcome, TD_OUT_CLOSE_WAIT);
    CHECK_EQ_INT(v.key_frame, 5);
    CHECK_SUMMARY(&c, &v, 10.2, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "it sat in CLOSE_WAIT for 10.0 s up to the end of the capture");

    /* FIN_WAIT1: the client's FIN is retransmitted and never acknowledged. */
    start(&c, "fin-unacked");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    CHECK_EQ_INT(verdict(&c, 0.2).outcome, TD_OUT_CLOSING);
    st = seg(&c, 0.3, C, ACK | FIN, 1001, 5001, 0);
    CHECK_EQ_INT(st.event, TD_EV_FIN_RETRANS);
    CHECK_EQ_INT(st.count, 1);
    seg(&c, 0.7, C, ACK | FIN, 1001, 5001, 0);
    CHECK_STATE(&c, TD_FIN_WAIT1, TD_ESTABLISHED);
    v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_FIN_UNACKED);
    CHECK_EQ_INT(v.key_frame, 6);
    CHECK_EQ_INT(c.ep[C].fin_count, 3);

    /* LAST_ACK: the passive closer's FIN is never acknowledged. */
    start(&c, "last-ack");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK, 5001, 1002, 0);
    seg(&c, 0.3, S, ACK | FIN, 5001, 1002, 0);
    seg(&c, 0.5, S, ACK | FIN, 5001, 1002, 0);
    CHECK_STATE(&c, TD_FIN_WAIT2, TD_LAST_ACK);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_LAST_ACK);

    /* FIN_WAIT2 expired: the server's late FIN is answered by a bare RST. */
    start(&c, "fin-wait2-expired");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK, 5001, 1002, 0);
    seg(&c, 4.2, S, ACK | FIN, 5001, 1002, 0);
    seg(&c, 4.2001, C, RST, 1002, 0, 0);
    v = verdict(&c, 5.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_FIN_WAIT2_EXPIRED);
    CHECK(strcmp(td_conv_reset_by(&c), "client") == 0);
    CHECK_SUMMARY(&c, &v, 5.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "sent its own FIN only 4.1 s later");

    /* Data to a client that closed its socket: RST after FIN. */
    start(&c, "reset-after-fin");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK, 5001, 1002, 0);
    seg(&c, 0.3, S, ACK, 5001, 1002, 80);
    seg(&c, 0.3001, C, RST, 1002, 0, 0);
    v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_RESET_AFTER_FIN);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);

    /* Close types. */
    start(&c, "four-way");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK, 5001, 1002, 0);
    seg(&c, 0.3, S, ACK | FIN, 5001, 1002, 0);
    seg(&c, 0.4, C, ACK, 1002, 5002, 0);
    CHECK(strcmp(td_conv_close_type(&c), "four-way") == 0);
    CHECK(strcmp(td_conv_closed_by(&c), "client") == 0);
    CHECK(strcmp(td_conv_time_wait_side(&c), "client") == 0);

    /* Impossible sequences. */
    start(&c, "data-after-fin");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    st = seg(&c, 0.2, C, ACK, 1002, 5001, 10);
    CHECK_EQ_INT(st.event, TD_EV_DATA_AFTER_FIN);
    start(&c, "after-rst");
    handshake(&c, 0.0);
    seg(&c, 0.1, S, RST | ACK, 5001, 1001, 0);
    st = seg(&c, 0.2, S, ACK, 5001, 1001, 10);
    CHECK_EQ_INT(st.event, TD_EV_AFTER_RST);
}

/* Zeek's conn_state and history on sequences from its documentation and
 * test baselines. */
static void test_zeek(void)
{
    TEST_CONV(c);

    start(&c, "zeek-S0");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "S0") == 0);
    CHECK(strcmp(c.zeek.history, "S") == 0);

    start(&c, "zeek-REJ");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.1, S, RST | ACK, 0, 1001, 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "REJ") == 0);
    CHECK(strcmp(c.zeek.history, "Sr") == 0);

    start(&c, "zeek-S1");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.1, S, SYN | ACK, 5000, 1001, 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "S1") == 0);
    CHECK(strcmp(c.zeek.history, "Sh") == 0);

    start(&c, "zeek-SF");
    handshake(&c, 0.0);
    seg(&c, 0.03, C, ACK, 1001, 5001, 18);
    seg(&c, 0.04, S, ACK, 5001, 1019, 0);
    seg(&c, 0.05, S, ACK, 5001, 1019, 80);
    seg(&c, 0.06, C, ACK | FIN, 1019, 5081, 0);
    seg(&c, 0.07, S, ACK | FIN, 5081, 1020, 0);
    seg(&c, 0.08, C, ACK, 1020, 5082, 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "SF") == 0);
    CHECK(strcmp(c.zeek.history, "ShADadFf") == 0);

    start(&c, "zeek-RSTOS0");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.1, C, RST, 1001, 0, 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "RSTOS0") == 0);
    CHECK(strcmp(c.zeek.history, "SR") == 0);

    /* A SYN-ACK from a likely server port seen first: roles flip. */
    current = "zeek-flip";
    frame_no = 0;
    conv_reset(&c, 80, 56730);
    seg(&c, 0.0, 0, SYN | ACK, 5000, 1001, 0);
    CHECK(strcmp(c.zeek.history, "^h") == 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "OTH") == 0);

    /* Midstream data both ways: OTH. */
    current = "zeek-OTH";
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, 0, ACK, 1000, 5000, 10);
    seg(&c, 0.1, 1, ACK, 5000, 1010, 10);
    seg(&c, 0.2, 0, ACK, 1010, 5010, 0);
    CHECK(strcmp(c.zeek.history, "DdA") == 0);
    CHECK(strcmp(td_zeek_conn_state(&c.zeek), "OTH") == 0);

    /* Retransmitted payload: T at the 1st and 10th. */
    start(&c, "zeek-T");
    handshake(&c, 0.0);
    for (int i = 0; i < 11; i++)
        seg(&c, 0.1 + i * 0.2, C, ACK, 1001, 5001, 10);
    CHECK(strcmp(c.zeek.history, "ShADTT") == 0);

    /* A hole in the client's data acknowledged by the server: G, once. */
    start(&c, "zeek-G");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK, 1001, 5001, 100);
    seg(&c, 0.2, C, ACK, 1201, 5001, 100);   /* 1101-1200 never captured */
    seg(&c, 0.3, S, ACK, 5001, 1301, 0);
    seg(&c, 0.4, S, ACK, 5001, 1301, 0);
    CHECK(strcmp(c.zeek.history, "ShADaG") == 0);
    /* A FIN acknowledged is no gap. */
    start(&c, "zeek-no-G-for-FIN");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK | FIN, 1001, 5001, 0);
    seg(&c, 0.2, S, ACK | FIN, 5001, 1002, 0);
    seg(&c, 0.3, C, ACK, 1002, 5002, 0);
    CHECK(strcmp(c.zeek.history, "ShAFf") == 0);

    CHECK(td_zeek_likely_server_port(443));
    CHECK(!td_zeek_likely_server_port(40000));
    CHECK(strcmp(td_zeek_conn_state_meaning("REJ"), "attempt rejected") == 0);
}

static void test_port_reuse(void)
{
    TEST_CONV(old);
    TEST_CONV(c);
    char buf[700];

    /* The server closed first and holds TIME_WAIT; 0.3 s later the client
     * connects again from the same port. */
    start(&old, "port-reuse-old");
    handshake(&old, 0.0);
    seg(&old, 0.1, S, ACK | FIN, 5001, 1001, 0);
    seg(&old, 0.2, C, ACK | FIN, 1001, 5002, 0);
    seg(&old, 0.3, S, ACK, 5002, 1002, 0);
    CHECK(strcmp(td_conv_time_wait_side(&old), "server") == 0);

    start(&c, "port-reuse-new");
    td_conv_set_reuse(&c, &old, 7);
    td_step st = seg(&c, 0.6, C, SYN, 90000, 0, 0);
    CHECK_EQ_INT(st.event, TD_EV_PORT_REUSE);
    seg(&c, 0.601, S, SYN | ACK, 70000, 90001, 0);
    seg(&c, 0.602, C, ACK, 90001, 70001, 0);
    td_verdict v = verdict(&c, 1.0);
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "same addresses and ports as stream 7, whose last packet was 300.0 ms before this SYN");
    CHECK_CONTAINS(buf, "the server still in TIME_WAIT");
    CHECK_CONTAINS(buf, "the server accepted the new SYN with a SYN-ACK");

    /* TIME-WAIT answers a SYN it will not take with an ACK for the old
     * connection; the client resets that ACK and stays in SYN_SENT. */
    start(&c, "port-reuse-challenge");
    td_conv_set_reuse(&c, &old, 7);
    seg(&c, 0.6, C, SYN, 900, 0, 0);
    seg(&c, 0.601, S, ACK, 5002, 1002, 0);
    seg(&c, 0.602, C, RST, 1002, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);
    CHECK_EQ_INT(c.ack_to_syn_frame, 2);
    v = verdict(&c, 0.7);
    CHECK_SUMMARY(&c, &v, 0.7, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "answered the new SYN with an ACK for the old connection (frame 2)");
}

static void test_fast_open(void)
{
    /* RFC 7413: data in the SYN, acknowledged by the SYN-ACK. */
    TEST_CONV(c);
    start(&c, "fast-open");
    seg(&c, 0.0, C, SYN, 1000, 0, 50);
    seg(&c, 0.01, S, SYN | ACK, 5000, 1051, 0);
    seg(&c, 0.02, C, ACK, 1051, 5001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    /* But a SYN-ACK acknowledging more than was sent is not an answer. */
    start(&c, "synack-acks-too-much");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.01, S, SYN | ACK, 5000, 1051, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    CHECK(!(c.ep[C].know & TD_K_SYN_ACKED));
}

static void test_sequence_wrap(void)
{
    TEST_CONV(c);
    start(&c, "sequence-wrap");
    seg(&c, 0.0, C, SYN, 0xffffffffu, 0, 0);
    seg(&c, 0.01, S, SYN | ACK, 0xfffffff0u, 0, 0);
    CHECK_STATE(&c, TD_SYN_SENT, TD_SYN_RECV);
    seg(&c, 0.02, C, ACK, 0, 0xfffffff1u, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
}

static void test_names(void)
{
    current = "names";
    CHECK(strcmp(td_state_name(TD_SYN_RECV), "SYN_RECV") == 0);
    CHECK(strcmp(td_state_name(TD_TIME_WAIT), "TIME_WAIT") == 0);
    CHECK(strcmp(td_state_name((td_state)99), "UNKNOWN") == 0);
    CHECK(strcmp(td_outcome_info[TD_OUT_SYN_UNANSWERED].token, "syn-unanswered") == 0);
    CHECK(td_outcome_is_settled(TD_OUT_REFUSED));
    CHECK(!td_outcome_is_settled(TD_OUT_SIMULTANEOUS_OPEN));
    CHECK(!td_outcome_is_settled(TD_OUT_SYN_UNANSWERED));
    CHECK(strcmp(td_client_error_text[TD_ERR_ECONNREFUSED], "Connection refused") == 0);
    /* Tokens are unique, lowercase and hyphenated (and not empty: the
     * loop over an empty token's characters would check nothing). */
    for (int i = 0; i < TD_OUT_COUNT; i++) {
        CHECK(td_outcome_info[i].token[0] != '\0');
        for (const char *p = td_outcome_info[i].token; *p; p++)
            CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
        for (int j = i + 1; j < TD_OUT_COUNT; j++)
            CHECK(strcmp(td_outcome_info[i].token, td_outcome_info[j].token) != 0);
    }
}

/* The summary of c written into buffers of n bytes (followed by canary
 * bytes): it must be the whole summary's first n - 1 bytes (all of it if
 * shorter), NUL-terminated, with td_conv_summary returning its length and
 * writing nothing past n.  Returns what went wrong, or NULL. */
static const char *summary_cut_fault(const td_conv *c, const td_verdict *v, int run)
{
    enum { CANARY = 0x5a, MAX_N = 200, PAD = 8 };
    /* No buffer, one byte (the NUL alone), a few, and a cut that moves
     * along the text from run to run. */
    const size_t sizes[] = { 0, 1, 2, 16, 1 + (size_t)run % MAX_N };
    char full[8192], area[MAX_N + PAD];
    size_t full_len = td_conv_summary(c, v, 100.0, true, "x", full, sizeof full);

    if (full_len != strlen(full))
        return "the return value is not the length of the summary";
    if (full_len == 0)
        return "the summary is empty";
    if (full_len + 1 >= sizeof full)
        return "the summary does not fit the large buffer: cannot compare the cut ones with it";
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const size_t n = sizes[i];
        memset(area, CANARY, sizeof area);
        size_t len = td_conv_summary(c, v, 100.0, true, "x", area, n);
        size_t want = n == 0 ? 0 : (full_len < n - 1 ? full_len : n - 1);
        if (len != want)
            return "the return value is not the length of the (cut) summary";
        if (n > 0 && memchr(area, '\0', n) == NULL)
            return "no NUL within the buffer";
        if (n > 0 && strlen(area) != want)
            return "the cut summary is not as long as the return value says";
        if (memcmp(area, full, len) != 0)
            return "the cut summary is not the start of the whole one";
        for (size_t k = n; k < sizeof area; k++)
            if ((unsigned char)area[k] != CANARY)
                return "a byte past the buffer was written";
    }
    return NULL;
}

/* Hostile input: random segments must leave every state and outcome valid,
 * and every summary cut to its buffer (summary_cut_fault). */
static void test_random_sequences(void)
{
    uint32_t x = 12345;
    current = "random";
    int bad = 0, bad_cut = 0;
    for (int run = 0; run < 2000; run++) {
        TEST_CONV(c);
        conv_reset(&c, (uint16_t)(x & 0xffff), (uint16_t)(x >> 16));
        frame_no = 0;
        for (int i = 0; i < 40; i++) {
            x = x * 1103515245u + 12345u;
            uint8_t fl = (uint8_t)(x >> 8) & 0x1f;
            uint32_t base = (x >> 20) & 3;
            seg(&c, i * 0.1, (int)((x >> 16) & 1), fl, 1000 + base, 5000 + ((x >> 3) & 3), (x >> 24) & 7);
            if ((x & 0xff) == 7) {
                td_icmp m = { 3, (uint8_t)(x >> 9) & 15, false, false, (uint8_t)((x >> 5) & 1), 0 };
                td_conv_on_icmp(&c, ++frame_no, i * 0.1, &m);
            }
            if (c.ep[0].state >= TD_STATE_COUNT || c.ep[1].state >= TD_STATE_COUNT)
                bad++;
        }
        td_verdict v = verdict(&c, 100.0);
        if (v.outcome >= TD_OUT_COUNT)
            bad++;
        const char *fault = summary_cut_fault(&c, &v, run);
        if (fault && bad_cut++ == 0)
            printf("FAIL %s: run %d (outcome %s): %s\n", current, run,
                   td_outcome_info[v.outcome < TD_OUT_COUNT ? v.outcome : 0].token, fault);
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(bad_cut, 0);
    /* A sender index out of range is ignored. */
    TEST_CONV(c);
    conv_reset(&c, 1, 2);
    seg(&c, 0.0, 7, SYN, 1, 0, 0);
    CHECK(!(c.flags & TD_C_STARTED));
}


/* ---- RST forensics ------------------------------------------------------ */

/* A segment with its IP header: TTL (hop limit), IPv4 identification, DF. */
static td_step segip(td_conv *c, double ts, int sender, uint8_t flags, uint32_t seq,
                     uint32_t ack, uint32_t len, uint8_t ip, uint8_t ttl, uint16_t id, bool df)
{
    td_segment s = make_seg(ts, sender, flags, seq, ack, len);
    s.ip = ip;
    s.ttl = ttl;
    s.ip_id = id;
    s.df = df;
    return td_conv_on_segment(c, &s);
}

static td_rst_view rview;

/* Reset i's assessment, into rview.  A reset that was never recorded
 * reads as genuine with no findings, which would pass the checks of a
 * genuine reset: so it fails here. */
static td_rst_level assess(const td_conv *c, uint32_t i)
{
    check(i < c->nrsts, "the reset assessed was recorded (i < c->nrsts)", __LINE__);
    td_rst_assess(c, i, true, &rview);
    return rview.level;
}

#define FOUND(f) ((rview.found & (1u << (f))) != 0)

/* Capture at the server: the client is one hop away (TTL 63) with a
 * per-connection IP ID counter; the server's SYN-ACK carries ID 0. */
static void hs_v4(td_conv *c, double rtt_server, double rtt_client)
{
    segip(c, 0.0, C, SYN, 1000, 0, 0, 4, 63, 500, true);
    segip(c, rtt_server, S, SYN | ACK, 5000, 1001, 0, 4, 64, 0, true);
    segip(c, rtt_server + rtt_client, C, ACK, 1001, 5001, 0, 4, 63, 501, true);
}

/* Seed 001: a reset "from the client" right after the handshake, then
 * the client's request, then the server's reset answering it. */
static void test_rst_injected_after_handshake(void)
{
    TEST_CONV(c);
    td_step st;
    char buf[1024];

    start(&c, "rst: injected after the handshake");
    hs_v4(&c, 0.0002, 0.010);
    st = segip(&c, 0.0105, C, RST | ACK, 1001, 5001, 0, 4, 64, 1, false);
    CHECK(st.rst_news);
    CHECK_EQ_INT(c.nrsts, 1);
    CHECK(c.rsts[0].accepted);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_IN_PATH_DEVICE);  /* single pass so far */
    CHECK(FOUND(TD_RF_TTL));
    CHECK(!FOUND(TD_RF_IPID));      /* two packets: too few to know the counter */
    CHECK(!FOUND(TD_RF_CONTINUED));
    CHECK_CONTAINS(rview.text[TD_RF_TTL], "TTL 64 (0 hops from 64) where the client's 2 other packets had 63 (1 hop)");
    st = segip(&c, 0.300, C, ACK | TD_TH_PSH, 1001, 5001, 78, 4, 63, 502, true);
    CHECK(st.rst_news);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_LIKELY_FORGED);
    CHECK(FOUND(TD_RF_CONTINUED));
    CHECK_CONTAINS(rview.text[TD_RF_CONTINUED], "the client went on sending 78 bytes of new data 289.5 ms after this reset (frame 5)");
    CHECK(FOUND(TD_RF_IPID));       /* the request showed the counter */
    CHECK_CONTAINS(rview.text[TD_RF_IPID], "IP ID 1 where the client's per-connection counter stood at 501 (expected 502 to 1525)");
    segip(&c, 0.3001, S, RST, 5001, 0, 0, 4, 64, 0, true);
    CHECK_EQ_INT(c.nrsts, 2);
    CHECK_EQ_INT(assess(&c, 1), TD_RST_GENUINE);
    CHECK(FOUND(TD_RF_ANSWERS));
    CHECK_EQ_INT(td_conv_rst_worst(&c, NULL), TD_RST_LIKELY_FORGED);
    td_verdict v = verdict(&c, 1.0);
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "Reset injected by a device in the path: the reset in frame 4 claiming to come from the client is likely forged (");
    CHECK_CONTAINS(buf, "new data");
    CHECK_CONTAINS(buf, "then a reset claiming to come from the client ended the connection");
    CHECK(strstr(buf, "client application aborted") == NULL);
    CHECK_EQ_INT(v.client_error, TD_ERR_ECONNRESET);  /* from the server's answering reset */
    CHECK_EQ_INT(td_baseline_ttl(&c.ep[C].base), 63);
    CHECK(strcmp(td_baseline_ipid(&c.ep[C].base), "per-connection") == 0);
    CHECK(td_conv_rtt_via(&c, C) > 0.0099 && td_conv_rtt_via(&c, C) < 0.0101);
    td_conv_free(&c);
    CHECK(c.rsts == NULL);
}

/* An application's abort: exact sequence number, same TTL, counter +1. */
static void test_rst_genuine_abort(void)
{
    TEST_CONV(c);
    char buf[1024];

    start(&c, "rst: genuine abort");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.021, S, ACK, 5001, 1101, 0, 4, 64, 7000, true);
    segip(&c, 1.0, C, RST | ACK, 1101, 5001, 0, 4, 63, 503, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
    CHECK_EQ_INT(rview.found, 0);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    td_verdict v = verdict(&c, 2.0);
    CHECK_SUMMARY(&c, &v, 2.0, NULL, buf, sizeof buf);
    CHECK(strstr(buf, "device in the path") == NULL);
}

/* RFC 5961: a reset beyond what the server has (its data was lost),
 * the server's challenge ACK, the client's kernel answering with the
 * exact number. */
static void test_rst_challenge_ack_exchange(void)
{
    TEST_CONV(c);
    td_step st;

    start(&c, "rst: challenge-ACK exchange");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.021, S, ACK, 5001, 1101, 0, 4, 64, 7000, true);
    st = segip(&c, 0.05, C, RST | ACK, 1601, 5001, 0, 4, 63, 504, true);
    CHECK_EQ_INT(st.event, TD_EV_RST_IGNORED);
    CHECK(!c.rsts[0].accepted);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);   /* waits for the challenge exchange */
    CHECK(!FOUND(TD_RF_SEQ_BEYOND));
    segip(&c, 0.0501, S, ACK, 5001, 1101, 0, 4, 64, 7001, true);
    st = segip(&c, 0.0602, C, RST, 1101, 0, 0, 4, 63, 0, true);
    CHECK(st.rst_news);
    CHECK(c.rsts[1].accepted);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
    CHECK(FOUND(TD_RF_CHALLENGE));
    CHECK(!FOUND(TD_RF_SEQ_BEYOND));
    CHECK_CONTAINS(rview.text[TD_RF_CHALLENGE], "challenge ACK for 101 (frame 7)");
    CHECK_EQ_INT(assess(&c, 1), TD_RST_GENUINE);
    CHECK(FOUND(TD_RF_CHALLENGE));
    CHECK(FOUND(TD_RF_ANSWERS));
    CHECK(FOUND(TD_RF_NO_SOCKET));
    CHECK(!FOUND(TD_RF_BURST));
}

/* An off-path injector guessing: three resets at offsets, none exact.
 * The server ignores them; the client goes on. */
static void test_rst_guessing_burst(void)
{
    TEST_CONV(c);
    td_step st;

    start(&c, "rst: guessing burst");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    for (int k = 0; k < 3; k++) {
        st = segip(&c, 0.022 + k * 0.0001, C, RST | ACK, 1101 + 5000u * (k + 1), 5001, 0,
                   4, 64, (uint16_t)(1 + k), false);
        CHECK_EQ_INT(st.event, TD_EV_RST_IGNORED);
    }
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(assess(&c, 1), TD_RST_LIKELY_FORGED);
    CHECK(FOUND(TD_RF_BURST));
    CHECK(!FOUND(TD_RF_SEQ_BEYOND));   /* not until the claimed sender goes on */
    CHECK_CONTAINS(rview.text[TD_RF_BURST], "3 resets from the client within 0.2 ms");
    segip(&c, 0.03, S, ACK | TD_TH_PSH, 5001, 1101, 50, 4, 64, 7001, true);
    segip(&c, 0.04, C, ACK, 1101, 5051, 0, 4, 63, 503, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_LIKELY_FORGED);
    CHECK(FOUND(TD_RF_SEQ_BEYOND));
    CHECK(FOUND(TD_RF_CONTINUED));
    CHECK_CONTAINS(rview.text[TD_RF_CONTINUED], "went on acknowledging 50 bytes the server sent after this reset");
}

/* A reset that acknowledges data the peer never sent. */
static void test_rst_ack_of_unsent_data(void)
{
    TEST_CONV(c);

    start(&c, "rst: ack of unsent data");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.5, S, RST | ACK, 5001, 4101, 0, 4, 64, 7000, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_SUSPICIOUS);
    CHECK(FOUND(TD_RF_ACK_UNSENT));
    CHECK_CONTAINS(rview.text[TD_RF_ACK_UNSENT], "acknowledges 3000 bytes the client never sent");
}

/* A reset that acknowledges data sooner than a round trip to its sender
 * allows. */
static void test_rst_too_soon(void)
{
    TEST_CONV(c);

    start(&c, "rst: too soon");
    hs_v4(&c, 0.080, 0.0003);     /* capture near the client, server 80 ms away */
    segip(&c, 0.1, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 64, 502, true);
    segip(&c, 0.102, S, RST | ACK, 5001, 1101, 0, 4, 63, 1, false);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_IN_PATH_DEVICE);
    CHECK(FOUND(TD_RF_TOO_SOON));
    CHECK_CONTAINS(rview.text[TD_RF_TOO_SOON], "passed the capture point 2.0 ms earlier, but a round trip from here to the server takes 80.0 ms");
}

/* A reset beyond the sequence space seen, its sender silent after it:
 * data lost before the capture point, genuine. */
static void test_rst_beyond_silent_sender(void)
{
    TEST_CONV(c);

    start(&c, "rst: beyond, silent sender");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.05, C, RST | ACK, 1601, 5001, 0, 4, 63, 504, true);
    segip(&c, 0.0501, S, ACK, 5001, 1101, 0, 4, 64, 7001, true);
    segip(&c, 5.0, S, ACK | TD_TH_PSH, 5001, 1101, 10, 4, 64, 7002, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
}

/* A reset beyond the sequence space seen, its sender going on after it:
 * not the sender's. */
static void test_rst_beyond_sender_goes_on(void)
{
    TEST_CONV(c);

    start(&c, "rst: beyond, sender goes on");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.05, C, RST | ACK, 1601, 5001, 0, 4, 63, 504, true);
    segip(&c, 0.5, C, ACK | TD_TH_PSH, 1101, 5001, 10, 4, 63, 505, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_LIKELY_FORGED);
    CHECK(FOUND(TD_RF_SEQ_BEYOND));
    CHECK(FOUND(TD_RF_CONTINUED));
    CHECK_CONTAINS(rview.text[TD_RF_SEQ_BEYOND], "sequence number 601 is 500 beyond the client's next (101)");
}

/* A handshake that starts over after the client's reset (a SYN meeting
 * TIME_WAIT, answered with a bare ACK): what follows is not the client
 * going on after its reset. */
static void test_rst_handshake_restarted(void)
{
    TEST_CONV(c);

    start(&c, "rst: handshake restarted");
    segip(&c, 0.0, C, SYN, 1000, 0, 0, 4, 63, 500, true);
    segip(&c, 0.001, S, ACK, 9000, 7777, 0, 4, 64, 300, true);
    segip(&c, 0.002, C, RST, 7777, 0, 0, 4, 63, 0, true);
    segip(&c, 1.0, C, SYN, 1000, 0, 0, 4, 63, 501, true);
    segip(&c, 1.001, S, SYN | ACK, 5000, 1001, 0, 4, 64, 0, true);
    segip(&c, 1.002, C, ACK, 1001, 5001, 0, 4, 63, 502, true);
    segip(&c, 1.003, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 503, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
    CHECK(!FOUND(TD_RF_CONTINUED));
}

/* Linux accepts a reset carrying the sender's FIN sequence number. */
static void test_rst_seq_of_fin(void)
{
    TEST_CONV(c);
    td_step st;

    start(&c, "rst: seq of the FIN");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | FIN, 1001, 5001, 0, 4, 63, 502, true);
    segip(&c, 0.021, S, ACK, 5001, 1002, 0, 4, 64, 7000, true);
    st = segip(&c, 0.03, C, RST | ACK, 1001, 5001, 0, 4, 63, 503, true);
    CHECK(st.event != TD_EV_RST_IGNORED);
    CHECK(c.rsts[0].accepted);
}

/* A SYN-ACK with a new ISN starts the server's sequence space over: its
 * later abort is exact and accepted. */
static void test_rst_new_synack_isn(void)
{
    TEST_CONV(c);
    td_step st;

    start(&c, "rst: new SYN-ACK ISN");
    segip(&c, 0.0, C, SYN, 1000, 0, 0, 4, 63, 500, true);
    segip(&c, 0.001, S, SYN | ACK, 5000000, 1001, 0, 4, 64, 0, true);
    segip(&c, 1.0, C, SYN, 1000, 0, 0, 4, 63, 501, true);
    segip(&c, 1.001, S, SYN | ACK, 100, 1001, 0, 4, 64, 0, true);
    segip(&c, 1.002, C, ACK, 1001, 101, 0, 4, 63, 502, true);
    segip(&c, 1.003, S, ACK | TD_TH_PSH, 101, 1001, 10, 4, 64, 9000, true);
    st = segip(&c, 1.004, S, RST | ACK, 111, 1001, 0, 4, 64, 9001, true);
    CHECK(st.rst_news);
    CHECK(st.event != TD_EV_RST_IGNORED);
    CHECK_STATE(&c, TD_CLOSED, TD_CLOSED);
    CHECK(c.rsts[0].accepted);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
}

/* Data sent before the reset but captured just after it. */
static void test_rst_reordered_data(void)
{
    TEST_CONV(c);

    start(&c, "rst: reordered data");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK | TD_TH_PSH, 1001, 5001, 100, 4, 63, 502, true);
    segip(&c, 0.03, C, RST | ACK, 1201, 5001, 0, 4, 63, 504, true);
    segip(&c, 0.03002, C, ACK | TD_TH_PSH, 1101, 5001, 100, 4, 63, 503, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
    CHECK(!FOUND(TD_RF_CONTINUED));
    CHECK(!FOUND(TD_RF_SEQ_BEYOND));
}

/* The capture missed server data the client had acknowledged. */
static void test_rst_acked_data_the_capture_missed(void)
{
    TEST_CONV(c);

    start(&c, "rst: acknowledged data the capture missed");
    hs_v4(&c, 0.0002, 0.010);
    segip(&c, 0.02, C, ACK, 1001, 6001, 0, 4, 63, 502, true);
    segip(&c, 0.03, C, RST | ACK, 1001, 6001, 0, 4, 63, 503, true);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
    CHECK(!FOUND(TD_RF_ACK_UNSENT));
}

/* A host-wide counter after a long idle time. */
static void test_rst_shared_ipid_after_idle(void)
{
    TEST_CONV(c);

    start(&c, "rst: shared IP ID counter after idle");
    segip(&c, 0.0, C, SYN, 1000, 0, 0, 4, 63, 100, true);
    segip(&c, 0.001, S, SYN | ACK, 5000, 1001, 0, 4, 64, 20000, true);
    segip(&c, 0.002, C, ACK, 1001, 5001, 0, 4, 63, 101, true);
    segip(&c, 0.003, S, ACK | TD_TH_PSH, 5001, 1001, 10, 4, 64, 20010, true);
    segip(&c, 0.004, S, ACK | TD_TH_PSH, 5011, 1001, 10, 4, 64, 20031, true);
    segip(&c, 120.0, S, RST | ACK, 5021, 1001, 0, 4, 64, 61000, true);
    CHECK(strcmp(td_baseline_ipid(&c.ep[S].base), "incrementing") == 0);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
}

/* Data completing the handshake seconds late is no round trip. */
static void test_rst_late_handshake_completion(void)
{
    TEST_CONV(c);

    start(&c, "rst: late handshake completion");
    segip(&c, 0.0, C, SYN, 1000, 0, 0, 4, 64, 500, true);
    segip(&c, 0.001, S, SYN | ACK, 5000, 1001, 0, 4, 63, 0, true);
    segip(&c, 0.002, S, ACK | TD_TH_PSH, 5001, 1001, 10, 4, 63, 900, true);
    segip(&c, 3.0, C, ACK | TD_TH_PSH, 1001, 5011, 10, 4, 64, 501, true);
    segip(&c, 3.01, S, ACK | TD_TH_PSH, 5011, 1011, 10, 4, 63, 901, true);
    segip(&c, 3.02, C, RST | ACK, 1011, 5021, 0, 4, 64, 502, true);
    CHECK(td_conv_rtt_via(&c, C) < 0.0);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_GENUINE);
}

/* IPv6: hop limit. */
static void test_rst_ipv6_hop_limit(void)
{
    TEST_CONV(c);

    start(&c, "rst: IPv6 hop limit");
    segip(&c, 0.0, C, SYN, 1000, 0, 0, 6, 63, 0, false);
    segip(&c, 0.001, S, SYN | ACK, 5000, 1001, 0, 6, 64, 0, false);
    segip(&c, 0.002, C, ACK, 1001, 5001, 0, 6, 63, 0, false);
    segip(&c, 0.003, C, RST | ACK, 1001, 5001, 0, 6, 64, 0, false);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_IN_PATH_DEVICE);
    CHECK_CONTAINS(rview.text[TD_RF_TTL], "hop limit 64");
    CHECK(!FOUND(TD_RF_IPID));
}

/* Hostile: more resets than records; no IP information at all.  The
 * sequence numbers are arbitrary (a fixed generator, the same on every
 * libc), none the receiver's next: each reset is ignored, and nothing
 * but resets follows, so no sender goes on.  Each side's 8 recorded
 * resets (one every 2 ms) form a guessing burst, the one finding and
 * of the forgery kind: every reset is suspicious, the first the worst. */
static void test_rst_many_resets(void)
{
    TEST_CONV(c);

    start(&c, "rst: many resets");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.001, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 0.002, C, ACK, 1001, 5001, 0);
    uint32_t guess = 20240601u;
    for (int k = 0; k < 40; k++) {
        guess = guess * 1103515245u + 12345u;
        seg(&c, 0.01 + k * 0.001, k % 2 ? S : C, RST, guess, 0, 0);
    }
    CHECK_EQ_INT(c.nrsts, TD_MAX_RSTS);
    CHECK_EQ_INT(c.rsts_seen, 40);
    CHECK(td_conv_rst_index(&c, 4) == 0);
    CHECK(td_conv_rst_index(&c, 43) == -1);
    uint32_t worst_at = TD_MAX_RSTS;
    CHECK_EQ_INT(td_conv_rst_worst(&c, &worst_at), TD_RST_SUSPICIOUS);
    CHECK_EQ_INT(worst_at, 0);
    CHECK_EQ_INT(assess(&c, 0), TD_RST_SUSPICIOUS);
    CHECK_EQ_INT(rview.found, 1u << TD_RF_BURST);
    CHECK_CONTAINS(rview.text[TD_RF_BURST], "8 resets from the client within 14.0 ms");
    CHECK_EQ_INT(assess(&c, TD_MAX_RSTS - 1), TD_RST_SUSPICIOUS);
    CHECK_CONTAINS(rview.text[TD_RF_BURST], "8 resets from the server within 14.0 ms");
}

/* The baseline helpers: initial TTLs, the classes of IP ID counters, too
 * many TTLs to keep. */
static void test_rst_baseline_helpers(void)
{
    current = "rst: baseline helpers";
    CHECK_EQ_INT(td_initial_ttl(30), 32);
    CHECK_EQ_INT(td_initial_ttl(63), 64);
    CHECK_EQ_INT(td_initial_ttl(113), 128);
    CHECK_EQ_INT(td_initial_ttl(250), 255);
    td_baseline b;
    memset(&b, 0, sizeof b);
    CHECK(strcmp(td_baseline_ipid(&b), "") == 0);
    td_segment s;
    memset(&s, 0, sizeof s);
    s.ip = 4;
    s.ttl = 64;
    for (int k = 0; k < 5; k++)
        td_baseline_add(&b, &s);
    CHECK(strcmp(td_baseline_ipid(&b), "zero") == 0);
    memset(&b, 0, sizeof b);
    for (int k = 0; k < 5; k++) {
        s.ip_id = (uint16_t)(100 + 37 * k);
        td_baseline_add(&b, &s);
    }
    CHECK(strcmp(td_baseline_ipid(&b), "incrementing") == 0);
    memset(&b, 0, sizeof b);
    for (int k = 0; k < 6; k++) {
        s.ip_id = (uint16_t)(k * 20011);
        td_baseline_add(&b, &s);
    }
    CHECK(strcmp(td_baseline_ipid(&b), "random") == 0);
    memset(&b, 0, sizeof b);
    for (int k = 0; k < 7; k++) {
        s.ttl = (uint8_t)(60 + k);
        td_baseline_add(&b, &s);
    }
    CHECK_EQ_INT(b.ttl_distinct, TD_TTL_SLOTS + 1);
}

/* Only one direction in the capture (issue 12): what the seen side sends
 * proves the other side's part; controls that must not be taken for it. */
static void test_one_way(void)
{
    TEST_CONV(c);
    char buf[2048];
    uint32_t unseen = 0;

    start(&c, "one way: only the client's packets, from its SYN");
    seg(&c, 0.000, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);   /* a SYN alone proves nothing */
    seg(&c, 0.010, C, ACK, 1001, 5001, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    seg(&c, 0.011, C, ACK, 1001, 5001, 100);
    seg(&c, 0.030, C, ACK, 1101, 5201, 0);          /* 200 bytes of the server's */
    seg(&c, 0.040, C, ACK | FIN, 1101, 5201, 0);
    /* The server's receipt of the FIN is not proven (its ACK is unseen). */
    CHECK_STATE(&c, TD_FIN_WAIT1, TD_ESTABLISHED);
    CHECK_EQ_INT(td_conv_one_way(&c, &unseen), C);
    CHECK_EQ_INT(unseen, 200);
    td_verdict v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_ONE_WAY);
    CHECK_EQ_INT(v.key_frame, 2);
    CHECK_EQ_INT(v.client_error, TD_ERR_NONE);
    CHECK_SUMMARY(&c, &v, 10.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "Only the client's packets are in this capture (5), none of the server's");
    CHECK_CONTAINS(buf, "its segment in frame 2 acknowledges a SYN-ACK from the server");
    CHECK_CONTAINS(buf, "it acknowledged 200 bytes of the server's sequence space after its first");
    CHECK_CONTAINS(buf, "What the client sent is seen, up to its FIN; what it received is not, so "
                        "neither side's state is proven");
    CHECK(!(c.flags & TD_C_HANDSHAKE));   /* inferred, not seen */
    /* The server's packets after all: no longer one way. */
    seg(&c, 0.050, S, ACK | FIN, 5201, 1102, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK(verdict(&c, 10.0).outcome != TD_OUT_ONE_WAY);

    start(&c, "one way: only the server's packets, from its SYN-ACK");
    seg(&c, 0.000, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    seg(&c, 0.020, S, ACK, 5001, 1051, 300);        /* after 50 bytes of the client's */
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    seg(&c, 0.021, S, ACK | FIN, 5301, 1051, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, &unseen), S);
    CHECK_EQ_INT(unseen, 50);
    v = verdict(&c, 10.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_ONE_WAY);
    CHECK_EQ_INT(v.key_frame, 2);
    CHECK_SUMMARY(&c, &v, 10.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "Only the server's packets are in this capture (3), none of the client's");
    CHECK_CONTAINS(buf, "its SYN-ACK answers a SYN from the client, and its segment in frame 2");

    start(&c, "one way: the server's acknowledgement of the client's data proves the handshake");
    seg(&c, 0.000, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 0.020, S, ACK, 5001, 1039, 0);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);
    CHECK_EQ_INT(td_conv_one_way(&c, &unseen), S);
    CHECK_EQ_INT(unseen, 38);
    CHECK_EQ_INT(verdict(&c, 10.0).key_frame, 2);

    start(&c, "one way: midstream, acknowledgements moving");
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, C, ACK, 1000, 7000, 10);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_MIDSTREAM);   /* nothing proven yet */
    seg(&c, 0.2, C, ACK, 1010, 7040, 10);
    v = verdict(&c, 1.0);
    CHECK_EQ_INT(v.outcome, TD_OUT_ONE_WAY);
    CHECK_EQ_INT(v.key_frame, 2);   /* the first acknowledgement that moved */
    CHECK_SUMMARY(&c, &v, 1.0, NULL, buf, sizeof buf);
    CHECK_CONTAINS(buf, "the capture also began in the middle of the conversation");
    CHECK_CONTAINS(buf, "it acknowledged 40 bytes of the server's sequence space");

    start(&c, "one way: midstream, acknowledgements reordered: counted from the lowest");
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, C, ACK, 1000, 5301, 0);
    seg(&c, 0.1, C, ACK, 1000, 5101, 0);
    seg(&c, 0.2, C, ACK, 1000, 5201, 0);
    seg(&c, 0.3, C, ACK, 1000, 5401, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, &unseen), C);
    CHECK_EQ_INT(unseen, 300);

    start(&c, "control: acknowledgements that jump (an ACK flood) prove nothing");
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, C, ACK, 1000, 7000, 0);
    seg(&c, 0.1, C, ACK, 1000, 7000 + 0x40000000u, 0);
    seg(&c, 0.2, C, ACK, 1000, 7100 + 0x40000000u, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK_EQ_INT(verdict(&c, 1.0).outcome, TD_OUT_MIDSTREAM);

    start(&c, "control: an ICMP error from the silent side's own host");
    conv_reset(&c, 40000, 80);
    seg(&c, 0.0, C, ACK, 1000, 7000, 10);
    seg(&c, 0.2, C, ACK, 1010, 7040, 10);
    {
        td_icmp m = { 3, 3, false, true, C, 0 };
        td_conv_on_icmp(&c, ++frame_no, 0.3, &m);
    }
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);

    start(&c, "one way: a client's SYN with data (TCP Fast Open), then its ACKs");
    seg(&c, 0.000, C, SYN, 1000, 0, 18);
    seg(&c, 0.010, C, ACK, 1019, 5001, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), C);
    CHECK_STATE(&c, TD_ESTABLISHED, TD_ESTABLISHED);

    start(&c, "control: the SYN-ACK arrives late (clocks apart): the capture's packets decide");
    seg(&c, 0.000, C, SYN, 1000, 0, 0);
    seg(&c, 0.010, C, ACK, 1001, 5001, 0);
    seg(&c, 0.011, C, ACK, 1001, 5001, 38);
    seg(&c, 0.400, C, ACK, 1001, 5001, 38);
    seg(&c, 1.005, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK(!(c.flags & TD_C_INFERRED_HS));
    CHECK(verdict(&c, 10.0).outcome != TD_OUT_ACCEPT_QUEUE_FULL);

    start(&c, "the SYN-ACK not captured, the server's packets after: a normal close");
    seg(&c, 0.000, C, SYN, 1000, 0, 0);
    seg(&c, 0.010, C, ACK, 1001, 5001, 0);
    seg(&c, 0.011, C, ACK, 1001, 5001, 38);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_ONE_WAY);
    seg(&c, 0.020, S, ACK, 5001, 1039, 80);
    CHECK(c.flags & TD_C_HANDSHAKE);
    CHECK_EQ_INT(c.hs_ack_frame, 2);
    seg(&c, 0.021, C, ACK | FIN, 1039, 5081, 0);
    seg(&c, 0.022, S, ACK | FIN, 5081, 1040, 0);
    seg(&c, 0.023, C, ACK, 1040, 5082, 0);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_CLOSED);
    CHECK_STATE(&c, TD_TIME_WAIT, TD_CLOSED);

    start(&c, "the SYN-ACK not captured, then the server's reset after data: not a refusal");
    seg(&c, 0.000, C, SYN, 1000, 0, 0);
    seg(&c, 0.010, C, ACK, 1001, 5001, 50);
    seg(&c, 0.020, S, RST | ACK, 5001, 1051, 0);
    CHECK(verdict(&c, 10.0).outcome != TD_OUT_REFUSED);
    CHECK_EQ_INT(verdict(&c, 10.0).client_error, TD_ERR_ECONNRESET);

    start(&c, "a new SYN (new ISN) after a one-way attempt starts over");
    seg(&c, 0.000, C, SYN, 1000, 0, 0);
    seg(&c, 0.010, C, ACK, 1001, 5001, 0);
    seg(&c, 0.011, C, ACK, 1001, 5001, 10);
    seg(&c, 5.000, C, SYN, 90000, 0, 0);
    CHECK_EQ_INT(c.ep[C].state, TD_SYN_SENT);
    CHECK(!(c.flags & TD_C_INFERRED_HS));

    start(&c, "control: the server's data, then its SYN-ACK again: never taken (half-open)");
    seg(&c, 0.000, S, SYN | ACK, 5000, 1019, 0);
    seg(&c, 0.001, S, ACK, 5001, 1019, 80);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), S);
    seg(&c, 1.000, S, SYN | ACK, 5000, 1019, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_SYNACK_UNANSWERED);

    start(&c, "control: SYNs sent again, no answer: unanswered, not one way");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 1.0, C, SYN, 1000, 0, 0);
    seg(&c, 3.0, C, SYN, 1000, 0, 0);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_SYN_UNANSWERED);

    start(&c, "control: SYN-ACKs sent again alone: half-open, not one way");
    seg(&c, 0.0, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 1.0, S, SYN | ACK, 5000, 1001, 0);
    CHECK_EQ_INT(verdict(&c, 10.0).outcome, TD_OUT_SYNACK_UNANSWERED);

    start(&c, "control: the client's ACK not at the sequence after its SYN");
    seg(&c, 0.0, C, SYN, 1000, 0, 0);
    seg(&c, 0.1, C, ACK, 3000, 5001, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK_STATE(&c, TD_SYN_SENT, TD_CLOSED);

    start(&c, "control: the server's pure ACK of nothing new after its SYN-ACK proves nothing");
    seg(&c, 0.0, S, SYN | ACK, 5000, 1001, 0);
    seg(&c, 0.1, S, ACK, 5001, 1001, 0);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);

    start(&c, "control: both directions");
    handshake(&c, 0.0);
    seg(&c, 0.1, C, ACK, 1001, 5001, 10);
    CHECK_EQ_INT(td_conv_one_way(&c, NULL), -1);
    CHECK(!(c.flags & TD_C_INFERRED_HS));
}

int main(void)
{
    td_prefs_default(&prefs);
    test_refused();
    test_rst_with_wrong_ack_is_ignored();
    test_syn_unanswered();
    test_single_syn();
    test_many_syns();
    test_graceful_close_client_first();
    test_three_way_close_server_first();
    test_simultaneous_close();
    test_synack_unanswered();
    test_synack_unanswered_spoofed();
    test_synack_single_pending();
    test_linux_syn_limit();
    test_client_aborted();
    test_reset_after_handshake();
    test_icmp();
    test_midstream();
    test_synack_first();
    test_simultaneous_open();
    test_new_isn();
    test_sequence_wrap();
    test_review_sequences();
    test_fast_open();
    test_port_reuse();
    test_teardown();
    test_zeek();
    test_names();
    test_random_sequences();
    test_rst_injected_after_handshake();
    test_rst_genuine_abort();
    test_rst_challenge_ack_exchange();
    test_rst_guessing_burst();
    test_rst_ack_of_unsent_data();
    test_rst_too_soon();
    test_rst_beyond_silent_sender();
    test_rst_beyond_sender_goes_on();
    test_rst_handshake_restarted();
    test_rst_seq_of_fin();
    test_rst_new_synack_isn();
    test_rst_reordered_data();
    test_rst_acked_data_the_capture_missed();
    test_rst_shared_ipid_after_idle();
    test_rst_late_handshake_completion();
    test_rst_ipv6_hop_limit();
    test_rst_many_resets();
    test_rst_baseline_helpers();
    test_one_way();
    printf("engine: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
