/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-wants.c - who reads what tcpdiag adds (tcpdiag-wants.h).  Nothing
 * is formatted for nobody: tcpdiag runs on every TCP packet.
 */
#include <dlfcn.h>
#include <string.h>

#include <wireshark.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/column-info.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/tap.h>
#include "ws-compat.h"

#include "tcpdiag-wants.h"

/*
 * What tcpdiag reads from tshark's command line (td_cmdline), once per
 * file.  A program not named tshark (Wireshark), or a command line that
 * cannot be read, leaves both FALSE.
 *
 * single_pass: tshark without -2 never visits a frame again, so nothing is
 *   kept per frame for later passes.
 *
 * fields_cmdline: tshark -T fields before 4.4 builds a *visible* tree for
 *   every packet (print_details is set for -T fields) and then reads the -e
 *   fields from it without priming them, so a dissector cannot tell that
 *   tree from the one -V prints; 4.4 primes the -e fields and leaves the
 *   tree invisible.  With a command line that prints no tree and names no
 *   field of tcpdiag's but as -e fields, tcpdiag makes its part of 4.0's
 *   tree as 4.4 would: while its post-dissector runs, the tree is
 *   invisible and its -e fields are primed (fields_enter, fields_leave),
 *   so Wireshark fakes every item nobody asked for.  What the command line
 *   does not show is checked at the file's first such tree (fields_decide):
 *   Lua scripts (one may walk every field), a tap that reads the tree, a
 *   filter on the generic "text" field, every tree forced visible, an
 *   Expert column (set from the expert items on the tree).
 */
static gboolean single_pass, fields_cmdline;
static int proto_tcpdiag = -1, proto_ws_expert = -1, expert_tap = -1;
static int fields_only = -1;            /* this file: -1 until its first -T fields tree */
static char *fields_wanted[TD_CMDLINE_WANTED_MAX];   /* -e fields of tcpdiag's */
static int nfields_wanted;
static int wanted_hf[TD_CMDLINE_WANTED_MAX + 1];     /* their hf ids, and the protocol's */
static int nwanted_hf;

static void forget_fields_wanted(void)
{
    for (int i = 0; i < nfields_wanted; i++)
        g_free(fields_wanted[i]);
    nfields_wanted = 0;
}

static void read_command_line(void)
{
    gchar *buf = NULL;
    const char **argv;
    gsize len = 0;
    int argc = 0;

    single_pass = fields_cmdline = FALSE;
    forget_fields_wanted();
    if (!g_file_get_contents("/proc/self/cmdline", &buf, &len, NULL) || len == 0 || buf[len - 1] != '\0') {
        g_free(buf);
        return;
    }
    /* NUL-separated: make it a vector. */
    for (gsize i = 0; i < len; i++)
        argc += buf[i] == '\0';
    argv = g_new0(const char *, (gsize)argc + 1);
    for (gsize i = 0, k = 0; k < (gsize)argc; i += strlen(buf + i) + 1)
        argv[k++] = buf + i;
    const td_cmdline cl = td_cmdline_read(argc, argv);
    single_pass = cl.tshark && !cl.two_pass;
#if TD_WS_AT_LEAST(4, 4)
    fields_cmdline = FALSE;   /* 4.4 and later leave -T fields' tree invisible */
#else
    fields_cmdline = cl.fields_only;
#endif
    for (int i = 0; fields_cmdline && i < cl.nwanted; i++)
        fields_wanted[nfields_wanted++] = g_strdup(cl.wanted[i]);
    g_free(argv);
    g_free(buf);
}

gboolean tcpdiag_tree_visible(proto_tree *tree)
{
    return tree && PTREE_DATA(tree) && PTREE_DATA(tree)->visible;
}

/* Counts the Lua scripts loaded (wslua_plugins_get_descriptions). */
static void count_script(const char *name _U_, const char *version _U_, const char *type _U_,
                         const char *filename _U_, void *n)
{
    (*(int *)n)++;
}

/*
 * Whether Lua scripts are loaded: one may read every field of the tree
 * (all_field_infos).  Those loaded from the plugin folders or by -X
 * lua_script (Wireshark's list of them), and those in the plugin folders
 * and the personal init.lua (wslua_count_plugins).  These functions are
 * exported by libwireshark but in no installed header, and absent from a
 * build without Lua.
 */
static gboolean lua_scripts(void)
{
    void (*list)(void (*)(const char *, const char *, const char *, const char *, void *), void *) =
        (void (*)(void (*)(const char *, const char *, const char *, const char *, void *), void *))
            dlsym(RTLD_DEFAULT, "wslua_plugins_get_descriptions");
    int (*count)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "wslua_count_plugins");
    int n = 0;

    if (list)
        list(count_script, &n);
    return n > 0 || (count && count() > 0);
}

/*
 * Whether something asked Wireshark for every tree to be visible
 * (epan_set_always_visible: a Lua post-dissector or listener asking for
 * all fields, wherever it was loaded from, or a C plugin).  Seen in a tree
 * made for the asking, invisible unless forced.  On 4.0 making and freeing
 * it primes nothing (Lua primes its field extractors when a packet is
 * dissected) and touches no tap, expert info or column.
 */
static gboolean trees_forced_visible(packet_info *pinfo)
{
    epan_dissect_t *edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
    const gboolean forced = edt->tree && PTREE_DATA(edt->tree)->visible;

    epan_dissect_free(edt);
    return forced;
}

/* At the first packet of a file with -T fields' tree (tree made visible
 * by tshark, not seen): what the command line cannot show. */
static void fields_decide(packet_info *pinfo)
{
    const char *why = NULL;

    fields_only = FALSE;
    if (!fields_cmdline)
        return;
    if (lua_scripts())
        why = "a Lua script is loaded";
    else if (union_of_tap_listener_flags() & TL_REQUIRES_PROTO_TREE)
        why = "a tap reads the tree";
    else if (hf_text_only >= 0 && proto_registrar_get_nth((guint)hf_text_only)->ref_type != HF_REF_TYPE_NONE)
        why = "a filter reads the text items";   /* the lines of tcpdiag's long texts among them */
    else if (trees_forced_visible(pinfo))
        why = "every tree is made visible";
    else if (pinfo->cinfo && pinfo->cinfo->col_first[COL_EXPERT] >= 0)
        why = "an Expert column";
    fields_only = !why;
    nwanted_hf = 0;
    for (int i = 0; fields_only && i < nfields_wanted; i++) {
        const int hf = proto_registrar_get_id_byname(fields_wanted[i]);
        if (hf > 0)
            wanted_hf[nwanted_hf++] = hf;
    }
    if (fields_only && nwanted_hf)
        wanted_hf[nwanted_hf++] = proto_tcpdiag;   /* primed as their parent */
    if (fields_only)
        ws_log("tcpdiag", LOG_LEVEL_INFO, "tshark -T fields: tcpdiag adds only the fields asked for");
    else
        ws_log("tcpdiag", LOG_LEVEL_INFO, "tshark -T fields: tcpdiag adds all its items (%s)", why);
}

/* Whether this packet's tree is -T fields' tree, to be made as 4.4 makes it.
 * Decided at the first such packet of the file (with -2, the first pass
 * makes no visible tree); the columns are the same for every packet of it. */
gboolean tcpdiag_fields_packet(packet_info *pinfo, proto_tree *tree)
{
    if (!fields_cmdline || !tcpdiag_tree_visible(tree))
        return FALSE;
    if (fields_only < 0)
        fields_decide(pinfo);
    return fields_only;
}

static gboolean in_fields_tree;   /* between fields_enter and fields_leave */

void tcpdiag_fields_enter(proto_tree *tree, fields_saved *sv)
{
    in_fields_tree = TRUE;
    sv->visible = proto_tree_set_visible(tree, FALSE);
    for (int i = 0; i < nwanted_hf; i++) {
        header_field_info *hfi = proto_registrar_get_nth((guint)wanted_hf[i]);
        sv->ref[i] = hfi->ref_type;
        if (hfi->ref_type == HF_REF_TYPE_NONE)
            hfi->ref_type = wanted_hf[i] == proto_tcpdiag && i == nwanted_hf - 1 ? HF_REF_TYPE_INDIRECT
                                                                                   : HF_REF_TYPE_DIRECT;
    }
}

void tcpdiag_fields_leave(proto_tree *tree, const fields_saved *sv)
{
    for (int i = nwanted_hf - 1; i >= 0; i--)
        proto_registrar_get_nth((guint)wanted_hf[i])->ref_type = sv->ref[i];
    proto_tree_set_visible(tree, sv->visible);
    in_fields_tree = FALSE;
}

td_wants tcpdiag_wants_of(proto_tree *tree, const packet_info *pinfo)
{
    td_wants w;

    w.items = tree && (tcpdiag_tree_visible(tree) || proto_field_is_referenced(tree, proto_tcpdiag) ||
                       (proto_ws_expert > 0 && proto_field_is_referenced(tree, proto_ws_expert)));
    /* -T fields' tree (in_fields_tree) is not shown: experts there only if read. */
    w.experts = (tree != NULL && (!in_fields_tree || w.items)) ||
                (pinfo->cinfo && col_get_writable(pinfo->cinfo, COL_EXPERT)) ||
                (expert_tap >= 0 && have_tap_listener(expert_tap));
    w.column = pinfo->cinfo != NULL;
    return w;
}

gboolean tcpdiag_single_pass(void)
{
    return single_pass;
}

void tcpdiag_wants_init(int proto)
{
    proto_tcpdiag = proto;
    expert_tap = find_tap_id("expert");
    read_command_line();
    fields_only = -1;
    /* Registered after the plugins' handoff: looked up here. */
    proto_ws_expert = proto_get_id_by_filter_name("_ws.expert");
}

void tcpdiag_wants_cleanup(void)
{
    forget_fields_wanted();
}
