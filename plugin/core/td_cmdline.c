/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_cmdline.c - reading tshark's command line (see td_cmdline.h).
 */
#include <string.h>

#include "td_cmdline.h"

/* tshark's short options that take a value (its getopt string, 4.0 to 4.6). */
#define TSHARK_VALUE_OPTIONS "aAbBcCdeEfFGHijJKMNoOrRsStTuUwWXyYz"
/* Of those, the ones whose value is a file or interface name. */
#define TSHARK_NAME_OPTIONS "rwHKi"

/* Text that names tcpdiag's items, or may (a display filter macro). */
static bool names_tcpdiag(const char *v)
{
    return strstr(v, "tcpdiag") || strstr(v, "_ws.expert") || strstr(v, "${");
}

/* A field of tcpdiag's post-dissector's subtree.  Not the protocol
 * itself: -e tcpdiag prints its item's label, which an invisible tree
 * does not make. */
static bool own_field(const char *v)
{
    return strncmp(v, "tcpdiag.", 8) == 0 && strncmp(v, "tcpdiag.noted", 13) != 0 && !strchr(v, '$');
}

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

td_cmdline td_cmdline_read(int argc, const char *const *argv)
{
    td_cmdline r;
    bool fields = false, ok = true;
    int name_at = 0;   /* the word that a name option's value may be */

    memset(&r, 0, sizeof r);
    if (argc < 1 || !argv[0])
        return r;
    r.tshark = strcmp(basename_of(argv[0]), "tshark") == 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] != '-' && strchr(a, '2'))
            r.two_pass = true;
        if (a[0] != '-' || a[1] == '\0') {
            /* A value, a file name or a capture filter. */
            ok = ok && (i == name_at || !names_tcpdiag(a));
            continue;
        }
        if (a[1] == '-') {
            /* A long option: its value follows '=', or is the next word
             * (read there), if it takes one. */
            const char *eq = strchr(a, '=');
            ok = ok && !names_tcpdiag(eq ? eq + 1 : a);
            continue;
        }
        for (const char *o = a + 1; *o; o++) {
            if (*o == 'V' || *o == 'O') {
                ok = false;   /* the tree is printed */
                break;
            }
            if (!strchr(TSHARK_VALUE_OPTIONS, *o))
                continue;
            const char *v = o[1] ? o + 1 : (i + 1 < argc ? argv[i + 1] : "");
            const bool own_pref = *o == 'o' && strncmp(v, "tcpdiag.", 8) == 0;
            const bool own_e = *o == 'e' && own_field(v);
            if (own_e) {
                if (r.nwanted < TD_CMDLINE_WANTED_MAX)
                    r.wanted[r.nwanted++] = v;
                else
                    ok = false;   /* more than it keeps */
            } else if (*o == 'e' && strcmp(v, "text") == 0) {
                ok = false;   /* the generic text items: tcpdiag's lines among them */
            } else if (*o == 'T') {
                if (strcmp(v, "fields") == 0)
                    fields = true;
                else
                    ok = false;   /* another output, before or after -T fields */
            } else if (!own_pref && !strchr(TSHARK_NAME_OPTIONS, *o)) {
                ok = ok && !names_tcpdiag(v);
            }
            /* The next word, if it is this value, has been read here. */
            if (!o[1] && (*o == 'T' || own_pref || own_e || strchr(TSHARK_NAME_OPTIONS, *o)))
                name_at = i + 1;
            break;   /* the value ends the cluster */
        }
    }
    r.fields_only = r.tshark && ok && fields;
    return r;
}
