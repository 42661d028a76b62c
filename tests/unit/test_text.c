/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of td_text: an explanation cut into lines that fit a tree
 * item, nothing lost but the separators between clauses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "td_text.h"

static int passed, failed;

#define CHECK(cond) check((cond), #cond, __LINE__)

static void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL test_text.c:%d: %s\n", line, what);
    }
}

/* The lines of `text` joined with '|'. */
static const char *joined(const char *text, size_t max_len)
{
    static char buf[4096];
    td_span lines[64];
    size_t n = td_text_lines(text, max_len, lines, 64), at = 0;

    buf[0] = '\0';
    for (size_t k = 0; k < n && k < 64; k++)
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", k ? "|" : "",
                               (int)lines[k].len, text + lines[k].start);
    return buf;
}

/* What may be left out between lines: "; " or ". " between clauses (an
 * empty clause leaves two), or a space where a line was wrapped. */
static int is_clause_gap(const char *g, size_t len)
{
    size_t i = 0;

    while (i < len) {
        if (i + 1 < len && (g[i] == ';' || g[i] == '.') && g[i + 1] == ' ')
            i += 2;
        else if (g[i] == ' ')
            i++;
        else
            return 0;
    }
    return 1;
}

/* Every line fits, lines are in order, and only separators are left out. */
static int lines_are_sound(const char *text, size_t max_len)
{
    td_span lines[512];
    size_t n = td_text_lines(text, max_len, lines, 512), at = 0;

    if (n > 512)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (lines[k].len == 0 || lines[k].len > max_len || lines[k].start < at)
            return 0;
        if (lines[k].start > at && !is_clause_gap(text + at, lines[k].start - at))
            return 0;
        at = lines[k].start + lines[k].len;
    }
    return is_clause_gap(text + at, strlen(text) - at);
}

static void test_clauses(void)
{
    CHECK(!strcmp(joined("a b; c d; e", 200), "a b|c d|e"));
    CHECK(!strcmp(joined("One thing. Two things; three", 200), "One thing|Two things|three"));
    /* Decimal points and separators inside parentheses are not clause ends. */
    CHECK(!strcmp(joined("RTT 1.4 ms (at 0.00, 1.00 s; then 3.02 s). Done; end", 200),
                  "RTT 1.4 ms (at 0.00, 1.00 s; then 3.02 s)|Done|end"));
    CHECK(!strcmp(joined("lower. case stays", 200), "lower. case stays"));
    CHECK(!strcmp(joined("", 200), ""));
    CHECK(td_text_lines("", 200, NULL, 0) == 0);
    CHECK(td_text_lines(NULL, 200, NULL, 0) == 0);
}

static void test_long_clause(void)
{
    /* Inside the parentheses first, packing what fits. */
    const char *t = "Reset likely forged (aaaa aaaa; bbbb bbbb; cccc cccc) then more";
    CHECK(!strcmp(joined(t, 32), "Reset likely forged (aaaa aaaa;|bbbb bbbb; cccc cccc) then more"));
    CHECK(!strcmp(joined(t, 42), "Reset likely forged (aaaa aaaa; bbbb bbbb;|cccc cccc) then more"));
    /* Then at commas, then at spaces, then anywhere. */
    CHECK(!strcmp(joined("one two three, four five six, seven", 16),
                  "one two three,|four five six,|seven"));
    CHECK(!strcmp(joined("abcdefghijklmnopqrstuvwxyz", 10), "abcdefghij|klmnopqrst|uvwxyz"));
    CHECK(lines_are_sound("abcdefghijklmnopqrstuvwxyz", 10));
}

static void test_utf8(void)
{
    /* 12 two-byte characters, cut at 9 bytes: 8 bytes (4 characters) each. */
    const char *t = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    td_span lines[8];
    size_t n = td_text_lines(t, 9, lines, 8);
    CHECK(n == 3);
    for (size_t k = 0; k < n && k < 8; k++)
        CHECK(lines[k].len == 8 && (lines[k].start % 2) == 0);
}

static void test_fit(void)
{
    const char *t = "first clause; second clause; third clause";
    CHECK(td_text_fit(t, 100) == strlen(t));
    CHECK(td_text_fit(t, 30) == strlen("first clause; second clause"));
    CHECK(td_text_fit(t, 14) == strlen("first clause"));
    CHECK(td_text_fit(t, 8) == strlen("first"));
    CHECK(td_text_fit("", 10) == 0);
    /* A long second clause does not push the cut back into the first. */
    const char *t2 = "The client closed first; the server acknowledged the FIN, kept sending, "
                     "and never closed its own side, so it sits in CLOSE_WAIT while the client "
                     "waits in FIN_WAIT2 until its timer runs out; the client reports nothing";
    CHECK(td_text_fit(t2, 190) == strlen(t2) - strlen("; the client reports nothing"));
    /* ... and with much room left, it goes on into the next clause. */
    CHECK(td_text_fit(t2, 100) == strlen("The client closed first; the server acknowledged the FIN, kept sending,"));
    CHECK(td_text_fit(t2, 40) == strlen("The client closed first; the server"));
    CHECK(td_text_fit(t2, 30) == strlen("The client closed first"));
    /* The first clause alone too long: after its last "; " inside
     * parentheses, then ", ", then a space. */
    const char *t3 = "Reset likely forged (the client went on sending; TTL 64 where 63) then more";
    CHECK(td_text_fit(t3, 60) == strlen("Reset likely forged (the client went on sending;"));
    CHECK(td_text_fit("one two three, four five six", 20) == strlen("one two three,"));
    CHECK(td_text_fit("one two three four five six", 12) == strlen("one two"));
    CHECK(td_text_fit("abcdefghijklmnopqrstuvwxyz", 10) == 10);
    CHECK(td_text_fit("; leading separator and more words", 12) == strlen("; leading"));
}

/* A real explanation (seed 001's reset), at Wireshark's label length. */
static void test_real_summary(void)
{
    const char *t =
        "Reset injected by a device in the path: the reset in frame 4 claiming to come from the "
        "client is likely forged (the client went on sending 39 bytes of new data 298.9 ms after "
        "this reset (frame 5); TTL 64 (0 hops from 64) where the client's 3 other packets had 63 "
        "(1 hop); IP ID 1 where the client's per-connection counter stood at 54648 (expected "
        "54649 to 55672)). Handshake completed (RTT 37 us), then a reset claiming to come from "
        "the client ended the connection 1.4 ms later before any data; the client reports "
        "Connection reset by peer";
    CHECK(lines_are_sound(t, 200));
    CHECK(!strcmp(joined(t, 200),
                  "Reset injected by a device in the path: the reset in frame 4 claiming to come "
                  "from the client is likely forged (the client went on sending 39 bytes of new "
                  "data 298.9 ms after this reset (frame 5);|"
                  "TTL 64 (0 hops from 64) where the client's 3 other packets had 63 (1 hop); IP "
                  "ID 1 where the client's per-connection counter stood at 54648 (expected 54649 "
                  "to 55672))|"
                  "Handshake completed (RTT 37 us), then a reset claiming to come from the client "
                  "ended the connection 1.4 ms later before any data|"
                  "the client reports Connection reset by peer"));
    size_t fit = td_text_fit(t, 230);
    CHECK(fit <= 230 && fit > 100);
    CHECK(t[fit] == ' ' || t[fit] == ';' || t[fit] == '.');
}

/* Random texts of words, separators and parentheses: always sound. */
static void test_random(void)
{
    static const char *const parts[] = { "word", "longerword", "x", "1.5", "; ", ". ", ", ",
                                         " ", "(", ")", "Upper", "\xc3\xa9t\xc3\xa9",
                                         "averyveryveryverylongwordwithoutanyspaceatall" };
    char text[2048];
    unsigned seed = 20261130u;

    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        int nparts;
        seed = seed * 1103515245u + 12345u;
        nparts = (int)((seed >> 16) % 80);
        for (int p = 0; p < nparts; p++) {
            seed = seed * 1103515245u + 12345u;
            const char *w = parts[(seed >> 16) % (sizeof parts / sizeof parts[0])];
            size_t wl = strlen(w);
            if (len + wl + 1 >= sizeof text)
                break;
            memcpy(text + len, w, wl);
            len += wl;
        }
        text[len] = '\0';
        seed = seed * 1103515245u + 12345u;
        size_t max_len = 8 + (seed >> 16) % 120;
        if (!lines_are_sound(text, max_len)) {
            CHECK(!"lines are sound");
            printf("  max %zu: \"%s\" -> \"%s\"\n", max_len, text, joined(text, max_len));
            return;
        }
        size_t fit = td_text_fit(text, max_len);
        if ((len > max_len && (fit > max_len || fit == 0)) || (len <= max_len && fit != len) ||
            (fit < len && (text[fit] & 0xc0) == 0x80)) {
            CHECK(!"fit within max, not empty, on a character boundary");
            printf("  max %zu fit %zu: \"%s\"\n", max_len, fit, text);
            return;
        }
    }
    passed++;
}

int main(void)
{
    test_clauses();
    test_long_clause();
    test_utf8();
    test_fit();
    test_real_summary();
    test_random();
    printf("%d checks passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
