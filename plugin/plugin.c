/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plugin.c - hand-written plugin registration (Wireshark 4.0 does not ship
 * the script that generates it for out-of-tree plugins).  Wireshark loads
 * a plugin only if plugin_want_major/minor are its own series: the values
 * come from the headers the plugin was built against.
 */
#define WS_BUILD_DLL
#include <wireshark.h>
#include <epan/proto.h>

#include "packet-tcpdiag.h"
#include "ws-compat.h"

#ifndef TCPDIAG_VERSION
#define TCPDIAG_VERSION "0.0.0"
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = TCPDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

#if TD_HAVE_PLUGIN_DESCRIBE
/* 4.4 and later: the type About > Plugins and tshark -G plugins show. */
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_tcpdiag;
    plug.register_handoff = proto_reg_handoff_tcpdiag;
    proto_register_plugin(&plug);
}
