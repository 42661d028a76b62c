/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td-profile - write the Wireshark configuration profile "TCP diagnosis"
 * from the diagnosis table (plugin/core/td_diag.h): columns, colouring
 * rules and filter buttons.  The build runs it; the profile is installed
 * with the plugin.
 *
 *   td-profile DIR    writes DIR/preferences, DIR/recent, DIR/colorfilters
 *                     and DIR/dfilter_buttons
 *
 * Every outcome belongs to one look (a colour and the filter buttons that
 * find it).  The switch in look_of() has no default: a new outcome does
 * not build until it is given one.
 */
#include <stdio.h>
#include <string.h>

#include "td_engine.h"

/* DIR/NAME, opened for writing. */
static FILE *open_in(const char *dir, const char *name)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return fopen(path, "w");
}

typedef enum {
    LOOK_NONE,         /* a normal outcome: not coloured */
    LOOK_PENDING,      /* the capture ended too soon to tell */
    LOOK_UNANSWERED,
    LOOK_REFUSED,
    LOOK_ICMP,
    LOOK_HALF_OPEN,
    LOOK_RESET,
    LOOK_STUCK_CLOSING,
    LOOK_STALLED,      /* after the handshake: data or window stuck, path cut */
    LOOK_COUNT
} look;

static look look_of(td_outcome o)
{
    switch (o) {
    case TD_OUT_NONE:
    case TD_OUT_SIMULTANEOUS_OPEN:
    case TD_OUT_MIDSTREAM:
    case TD_OUT_ONE_WAY:    /* a limit of the capture, not of the connection */
    case TD_OUT_ESTABLISHED:
    case TD_OUT_CLOSING:
    case TD_OUT_CLOSED:
    case TD_OUT_COUNT:
        return LOOK_NONE;
    case TD_OUT_SYN_PENDING:
    case TD_OUT_SYNACK_PENDING:
        return LOOK_PENDING;
    case TD_OUT_SYN_UNANSWERED:
        return LOOK_UNANSWERED;
    case TD_OUT_REFUSED:
        return LOOK_REFUSED;
    case TD_OUT_ICMP_UNREACHABLE:
        return LOOK_ICMP;
    case TD_OUT_SYNACK_UNANSWERED:
        return LOOK_HALF_OPEN;
    case TD_OUT_CLIENT_ABORTED:
    case TD_OUT_SERVER_ABORTED:
    case TD_OUT_RESET_AFTER_HANDSHAKE:
    case TD_OUT_RESET:
    case TD_OUT_RESET_AFTER_FIN:
    case TD_OUT_RESET_UNREAD_DATA:
        return LOOK_RESET;
    case TD_OUT_CLOSE_WAIT:
    case TD_OUT_FIN_UNACKED:
    case TD_OUT_LAST_ACK:
    case TD_OUT_FIN_WAIT2_EXPIRED:
        return LOOK_STUCK_CLOSING;
    case TD_OUT_ACCEPT_QUEUE_FULL:
        return LOOK_HALF_OPEN;
    case TD_OUT_KEEPALIVE_TIMEOUT:
        return LOOK_RESET;
    case TD_OUT_RETRANS_TIMEOUT:
    case TD_OUT_PMTU_BLACK_HOLE:
    case TD_OUT_IDLE_TIMEOUT:
    case TD_OUT_ZERO_WINDOW:
        return LOOK_STALLED;
    }
    return LOOK_NONE;
}

/* Colouring rule per look: name, background and foreground (RGB). */
static const struct {
    const char *name;
    unsigned    bg, fg;
} look_colour[LOOK_COUNT] = {
    [LOOK_NONE]          = { NULL, 0, 0 },
    [LOOK_PENDING]       = { "tcpdiag: too soon to tell", 0xe4e4e4, 0x000000 },
    [LOOK_UNANSWERED]    = { "tcpdiag: unanswered", 0xffd699, 0x000000 },
    [LOOK_REFUSED]       = { "tcpdiag: refused", 0xffb3b3, 0x000000 },
    [LOOK_ICMP]          = { "tcpdiag: rejected by ICMP", 0xd9c2ff, 0x000000 },
    [LOOK_HALF_OPEN]     = { "tcpdiag: half-open", 0xfff3a0, 0x000000 },
    [LOOK_RESET]         = { "tcpdiag: reset", 0xff99cc, 0x000000 },
    [LOOK_STUCK_CLOSING] = { "tcpdiag: stuck closing", 0xb3d9ff, 0x000000 },
    [LOOK_STALLED]       = { "tcpdiag: stalled after the handshake", 0xf2c48d, 0x000000 },
};

/* Before every outcome colour: a reset judged forged. */
#define FORGED_NAME   "tcpdiag: likely forged reset"
#define FORGED_FILTER "tcpdiag.reset_assessment == \"likely-forged\""
#define FORGED_BG     0xa00000u
#define FORGED_FG     0xffffffu

/* "tcpdiag.outcome in {...}" for the outcomes whose look is in `looks`
 * (a bit per look), or whose severity is at least `min_severity`. */
static void outcome_set(char *out, size_t n, unsigned looks, td_severity min_severity)
{
    size_t at = (size_t)snprintf(out, n, "tcpdiag.outcome in {");
    int first = 1;

    for (int o = 0; o < TD_OUT_COUNT && at < n; o++) {
        const int by_look = (looks >> look_of((td_outcome)o)) & 1u;
        const int by_severity = min_severity != TD_SEV_NONE &&
                                td_outcome_info[o].severity >= min_severity;
        if (!by_look && !by_severity)
            continue;
        at += (size_t)snprintf(out + at, n - at, "%s\"%s\"", first ? "" : ", ", td_outcome_info[o].token);
        first = 0;
    }
    if (at < n)
        snprintf(out + at, n - at, "}");
}

/* Wireshark keeps colours as 16-bit components. */
static void colour16(FILE *f, unsigned rgb)
{
    fprintf(f, "[%u,%u,%u]", ((rgb >> 16) & 0xff) * 257u, ((rgb >> 8) & 0xff) * 257u,
            (rgb & 0xff) * 257u);
}

static int write_colorfilters(const char *dir)
{
    char filter[2048];
    FILE *f = open_in(dir, "colorfilters");

    if (!f)
        return -1;
    fprintf(f, "# Colouring rules of the profile \"TCP diagnosis\", made by td-profile from the\n"
               "# diagnosis table of tcpdiag.  Only conversations with a diagnosis are\n"
               "# coloured: every packet of the conversation, by its outcome.\n");
    fprintf(f, "@%s@%s@", FORGED_NAME, FORGED_FILTER);
    colour16(f, FORGED_BG);
    colour16(f, FORGED_FG);
    fprintf(f, "\n");
    for (int l = LOOK_COUNT - 1; l > LOOK_NONE; l--) {
        outcome_set(filter, sizeof filter, 1u << l, TD_SEV_NONE);
        fprintf(f, "@%s@%s@", look_colour[l].name, filter);
        colour16(f, look_colour[l].bg);
        colour16(f, look_colour[l].fg);
        fprintf(f, "\n");
    }
    return fclose(f);
}

/* A UAT string: quotes and backslashes escaped as \xNN. */
static void uat_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            fprintf(f, "\\x%02x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static void button(FILE *f, const char *label, const char *filter, const char *comment)
{
    fputs("\"TRUE\",", f);
    uat_string(f, label);
    fputc(',', f);
    uat_string(f, filter);
    fputc(',', f);
    uat_string(f, comment);
    fputc('\n', f);
}

static int write_dfilter_buttons(const char *dir)
{
    char filter[2048];
    FILE *f = open_in(dir, "dfilter_buttons");

    if (!f)
        return -1;
    fprintf(f, "# Filter buttons of the profile \"TCP diagnosis\", made by td-profile.\n");
    outcome_set(filter, sizeof filter, 0, TD_SEV_WARN);
    button(f, "Problems", filter, "Conversations whose outcome is a diagnosis (Warning or Error)");
    outcome_set(filter, sizeof filter,
                1u << LOOK_UNANSWERED | 1u << LOOK_REFUSED | 1u << LOOK_ICMP | 1u << LOOK_HALF_OPEN,
                TD_SEV_NONE);
    button(f, "Not opened", filter, "Connection attempts that never opened: unanswered, refused, rejected by ICMP, half-open");
    outcome_set(filter, sizeof filter, 1u << LOOK_RESET, TD_SEV_NONE);
    button(f, "Reset", filter, "Conversations ended by a reset");
    button(f, "Forged resets", "tcpdiag.reset_assessment in {\"suspicious\", \"likely-forged\"}",
           "Conversations with a reset of doubtful origin or likely forged");
    outcome_set(filter, sizeof filter, 1u << LOOK_STUCK_CLOSING, TD_SEV_NONE);
    button(f, "Stuck closing", filter, "Conversations stuck in CLOSE_WAIT, FIN_WAIT1, LAST_ACK, or cut in FIN_WAIT2");
    button(f, "SYN retries", "tcpdiag.event.syn_retransmission || tcpdiag.event.synack_retransmission",
           "Retransmitted SYNs and SYN-ACKs");
    button(f, "Findings", "tcpdiag.finding", "Conversations that are part of a capture-wide finding (flood, scan, leak)");
    return fclose(f);
}

/* The packet list's columns: title, Wireshark's column format, and width
 * in pixels (-1: Wireshark's own), wide enough for the longest token so
 * that "synack-unanswered" is not cut to "synack-una...". */
static const struct {
    const char *title, *format;
    int         width;
} columns[] = {
    { "No.", "%m", -1 },
    { "Time", "%t", -1 },
    { "Source", "%s", -1 },
    { "Destination", "%d", -1 },
    { "Protocol", "%p", -1 },
    { "Length", "%L", -1 },
    { "Client state", "%Cus:tcpdiag.client_state:0:R", 105 },
    { "Server state", "%Cus:tcpdiag.server_state:0:R", 105 },
    { "Outcome", "%Cus:tcpdiag.outcome:0:R", 175 },
    { "Reset", "%Cus:tcpdiag.reset_assessment:0:R", 115 },
    { "Info", "%i", -1 },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static int write_preferences(const char *dir)
{
    FILE *f = open_in(dir, "preferences");

    if (!f)
        return -1;
    fprintf(f, "# Preferences of the profile \"TCP diagnosis\", made by td-profile: the\n"
               "# packet list shows both endpoints' states, the outcome and the reset\n"
               "# assessment of each packet's conversation.\n"
               "gui.column.format:\n");
    for (size_t i = 0; i < NCOLUMNS; i++)
        fprintf(f, "\t\"%s\", \"%s\"%s\n", columns[i].title, columns[i].format,
                i + 1 < NCOLUMNS ? "," : "");
    return fclose(f);
}

/* Column widths, in the profile's recent file; Wireshark names a custom
 * column there without its occurrence and resolution ("%Cus:FIELD"). */
static int write_recent(const char *dir)
{
    FILE *f = open_in(dir, "recent");

    if (!f)
        return -1;
    fprintf(f, "# Recent settings of the profile \"TCP diagnosis\", made by td-profile:\n"
               "# the widths of the packet list's columns (-1: Wireshark's own).\n"
               "column.width:\n");
    for (size_t i = 0; i < NCOLUMNS; i++) {
        const char *fmt = columns[i].format;
        if (strncmp(fmt, "%Cus:", 5) == 0)
            fprintf(f, "\t\"%.*s\", %d%s\n", (int)(strchr(fmt + 5, ':') - fmt), fmt,
                    columns[i].width, i + 1 < NCOLUMNS ? "," : "");
        else
            fprintf(f, "\t%s, %d%s\n", fmt, columns[i].width, i + 1 < NCOLUMNS ? "," : "");
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: td-profile DIR\n");
        return 2;
    }
    if (write_preferences(argv[1]) || write_recent(argv[1]) || write_colorfilters(argv[1]) ||
        write_dfilter_buttons(argv[1])) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
