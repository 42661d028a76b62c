/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of td_cmdline: which tshark command lines let tcpdiag take
 * -T fields' tree as unseen (fields_only) and keep nothing per frame (no
 * two_pass).  Every command line that prints the tree or names tcpdiag's
 * fields, however it hides it, must not be fields_only.
 */
#include <stdio.h>
#include <string.h>

#include "td_cmdline.h"

static int passed, failed;

#define MAXW 48

/* words: the command line, split at '|'.  want: "F" fields_only, "2"
 * two_pass, "T" tshark (any of them; the rest must be false). */
static void check(const char *words, const char *want)
{
    char buf[1024];
    const char *argv[MAXW];
    int argc = 0;

    snprintf(buf, sizeof buf, "%s", words);
    for (char *w = buf, *bar; w && argc < MAXW; w = bar ? bar + 1 : NULL) {
        bar = strchr(w, '|');
        if (bar)
            *bar = '\0';
        argv[argc++] = w;
    }
    const td_cmdline c = td_cmdline_read(argc, argv);
    const bool f = strchr(want, 'F') != NULL, two = strchr(want, '2') != NULL,
               t = strchr(want, 'T') != NULL;
    /* Every wanted field is a value of -e on the line. */
    bool wanted_ok = c.nwanted >= 0 && c.nwanted <= TD_CMDLINE_WANTED_MAX;
    for (int i = 0; wanted_ok && i < c.nwanted; i++)
        wanted_ok = strncmp(c.wanted[i], "tcpdiag", 7) == 0 && strstr(words, c.wanted[i]);
    if (c.fields_only == f && c.two_pass == two && c.tshark == t && wanted_ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: fields_only %d two_pass %d tshark %d, wanted %s\n", words,
               c.fields_only, c.two_pass, c.tshark, want);
    }
}

int main(void)
{
    /* -T fields that reads nothing of tcpdiag's. */
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream", "TF");
    check("/usr/bin/tshark|-r|x.pcap|-Tfields|-e|tcp.stream", "TF");
    check("tshark|-nr|x.pcap|-T|fields|-e|frame.number|-e|_ws.col.Info", "TF");
    check("tshark|-nT|fields|-e|tcp.stream|-r|x.pcap", "TF");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-Y|tcp.flags.syn == 1", "TF");
    check("tshark|-r|x.pcap|-2|-T|fields|-e|tcp.stream", "TF2");
    check("tshark|-r|x.pcap|-T|fields|-E|separator=,|-e|tcp.stream", "TF");
    check("tshark|-r|x.pcap|-T|fields|-T|fields|-e|tcp.stream", "TF");
    /* File names may name tcpdiag; so may tcpdiag's own preferences. */
    check("tshark|-r|/home/me/tcpdiag/x.pcap|-T|fields|-e|tcp.stream", "TF");
    check("tshark|-r/home/me/tcpdiag/x.pcap|-T|fields|-e|tcp.stream", "TF");
    check("tshark|-nr|tcpdiag.pcap|-w|tcpdiag-out.pcap|-l|-T|fields|-e|tcp.stream", "TF");
    check("tshark|-r|x.pcap|-o|tcpdiag.answer_wait_ms:5000|-T|fields|-e|tcp.stream", "TF");
    check("tshark|-r|x.pcap|-otcpdiag.answer_wait_ms:5000|-T|fields|-e|tcp.stream", "TF");

    /* The tree is printed. */
    check("tshark|-r|x.pcap", "T");
    check("tshark|-r|x.pcap|-V", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-V", "T");
    check("tshark|-r|x.pcap|-nVT|fields|-e|tcp.stream", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-O|tcp", "T");
    check("tshark|-r|x.pcap|-T|pdml", "T");
    check("tshark|-r|x.pcap|-T|fields|-T|pdml|-e|tcp.stream", "T");
    check("tshark|-r|x.pcap|-T|json|-T|fields|-e|tcp.stream", "T");
    check("tshark|-r|x.pcap|-Tek|-T|fields|-e|tcp.stream", "T");
    check("tshark|-r|x.pcap|-T", "T");
    /* ... hidden behind a long option whose value may or may not be the
     * next word: read both ways. */
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|--elastic-mapping-filter|-r|-T|pdml", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|--capture-comment|-V", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|--log-level|-Tpdml", "T");
    /* ... or behind a short option whose value it may be (-r's value here
     * is read as a name, and also as an option). */
    check("tshark|-T|fields|-e|tcp.stream|-r|-V|x.pcap", "T");
    check("tshark|-T|fields|-e|tcp.stream|-r|-T|pdml", "T");

    /* tcpdiag's own -e fields: primed by tcpdiag, as 4.4 primes them. */
    check("tshark|-r|x.pcap|-T|fields|-e|tcpdiag.outcome|-e|tcpdiag.summary", "TF");
    check("tshark|-r|x.pcap|-T|fields|-etcpdiag.outcome", "TF");
    check("tshark|-r|x.pcap|-T|fields|-etcpdiag", "T");   /* the label of its item */
    check("tshark|-r|x.pcap|-T|fields|-e|tcpdiag", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcpdiag.noted.tcp", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcpdiag.a|-e|tcpdiag.b|-e|tcpdiag.c|-e|tcpdiag.d|-e|tcpdiag.e|"
          "-e|tcpdiag.f|-e|tcpdiag.g|-e|tcpdiag.h", "TF");
    check("tshark|-T|fields|-e|tcpdiag.a|-e|tcpdiag.b|-e|tcpdiag.c|-e|tcpdiag.d|-e|tcpdiag.e|"
          "-e|tcpdiag.f|-e|tcpdiag.g|-e|tcpdiag.h|-e|tcpdiag.i|-e|tcpdiag.j|-e|tcpdiag.k|-e|tcpdiag.l|"
          "-e|tcpdiag.m|-e|tcpdiag.n|-e|tcpdiag.o|-e|tcpdiag.p|-e|tcpdiag.q", "T");   /* 17: too many */

    /* tcpdiag's fields are named elsewhere. */
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-Y|tcpdiag", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-Ytcpdiag.outcome == \"refused\"", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-R|tcpdiag|-2", "T2");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-e|_ws.expert", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|frame.number|-e|text", "T");   /* tcpdiag's lines */
    check("tshark|-r|x.pcap|-T|fields|-e|frame.number|-etext", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-Y|${problems}", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|--display-filter=tcpdiag", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|--display-filter|tcpdiag", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-z|io,stat,0,tcpdiag.outcome", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-o|gui.column.format:\"D\",\"%Cus:tcpdiag.outcome\"", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-X|lua_script:/tmp/tcpdiag.lua", "T");
    /* ... also where the word after a name option is not its value. */
    check("tshark|-T|fields|-e|tcp.stream|-r|-Y|tcpdiag", "T");
    check("tshark|-r|x.pcap|-T|fields|-e|tcp.stream|-Yx|tcpdiag", "T");

    /* Not tshark: Wireshark keeps its records (the glue asks for tshark). */
    check("wireshark|-r|x.pcap|-T|fields|-e|tcp.stream", "");
    check("/usr/bin/tshark-wrapper|-T|fields|-e|tcp.stream", "");
    check("", "");

    /* -2 however written, and what might be -2 (kept: errs towards more). */
    check("tshark|-n2|-r|x.pcap", "T2");
    check("tshark|-2n|-r|x.pcap", "T2");
    check("tshark|-r|x.pcap|-c|1000|-2", "T2");
    check("tshark|-r|x.pcap|-c20", "T2");
    check("tshark|-r|x.pcap|--disable-protocol|http2", "T");

    /* The wanted fields, in order, inline or not. */
    {
        const char *argv[] = { "tshark", "-r", "x", "-T", "fields", "-e", "tcp.stream", "-e",
                               "tcpdiag.outcome", "-etcpdiag.summary", "-nE", "header=y" };
        const td_cmdline c = td_cmdline_read(12, argv);
        if (c.fields_only && c.nwanted == 2 && strcmp(c.wanted[0], "tcpdiag.outcome") == 0 &&
            strcmp(c.wanted[1], "tcpdiag.summary") == 0) {
            passed++;
        } else {
            failed++;
            printf("FAIL wanted: fields_only %d nwanted %d\n", c.fields_only, c.nwanted);
        }
    }

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
