/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_cmdline.h - what tshark's command line tells tcpdiag about the work
 * that will be asked of it.  Plain C, no Wireshark headers: the glue reads
 * the command line (Linux's /proc/self/cmdline) and hands it here.
 *
 * The reading errs one way only: where it could be wrong, it says tshark
 * may visit frames again and may show tcpdiag's items.
 */
#ifndef TD_CMDLINE_H
#define TD_CMDLINE_H

#include <stdbool.h>

/* -e fields of tcpdiag's taken; more make fields_only false. */
#define TD_CMDLINE_WANTED_MAX 16

typedef struct {
    /* The program is tshark (not Wireshark, not another program). */
    bool tshark;
    /* A -2 anywhere, even as what might be another option's value (-c20
     * counts): frames may be visited again.  Without it tshark makes a
     * single pass. */
    bool two_pass;
    /* tshark -T fields, and nothing on the command line that prints the
     * tree (-V, -O, another -T) or names tcpdiag's fields (tcpdiag,
     * _ws.expert, or a display filter macro that might expand to them)
     * other than as the -e fields in `wanted`. */
    bool fields_only;
    /* The -e fields of tcpdiag's that -T fields prints (pointers into
     * argv): tshark 4.0 reads them from its tree without priming them. */
    const char *wanted[TD_CMDLINE_WANTED_MAX];
    int nwanted;
} td_cmdline;

/* argv[0] is the program.  Every word is read both as an option and as the
 * value of the option before it: which of tshark's long options take a
 * value is not known here, so no reading of the line may hide a -V, an -O,
 * a -T or a name.  Exempt from the name check: the word naming a file or
 * an interface after -r, -w, -H, -K or -i (a path may well contain
 * "tcpdiag"), tcpdiag's own preferences (-o tcpdiag.NAME:VALUE), and the
 * value of -e when it is a field of tcpdiag's subtree ("tcpdiag.*" but
 * not "tcpdiag.noted.*"): those go to `wanted`.  Whatever reads a
 * field through a display filter (-Y, -R, -z) primes it, but a filter
 * naming tcpdiag is still taken as reading the tree. */
td_cmdline td_cmdline_read(int argc, const char *const *argv);

#endif
