/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ws-compat.h - the one place where tcpdiag's Wireshark side meets the
 * differences between the Wireshark series it supports (4.0, 4.2, 4.4,
 * 4.6).  Everything else is written once against the names defined here.
 *
 * A plugin is built for one major.minor series: these are compile-time
 * guards, never run-time checks.  What changed, and where it began:
 *
 *   4.2  field_info.value became a pointer (fvalue_t *)
 *   4.4  plugins describe themselves with plugin_describe() (About >
 *        Plugins shows the type "unknown" without it)
 *   4.6  pntoh16/pntoh32 were renamed pntohu16/pntohu32
 *   4.6  a stat_tap_ui's init callback returns bool (false: the -z
 *        argument was refused)
 */
#ifndef TCPDIAG_WS_COMPAT_H
#define TCPDIAG_WS_COMPAT_H

#include <ws_version.h>
#include <wireshark.h>
#include <epan/proto.h>
#include <wsutil/pint.h>

#define TD_WS_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

#if !TD_WS_AT_LEAST(4, 0) || TD_WS_AT_LEAST(4, 7)
#error "tcpdiag supports Wireshark 4.0, 4.2, 4.4 and 4.6"
#endif

/* Big-endian reads of header bytes. */
#if TD_WS_AT_LEAST(4, 6)
#define td_ntoh16(p) pntohu16(p)
#define td_ntoh32(p) pntohu32(p)
#else
#define td_ntoh16(p) pntoh16(p)
#define td_ntoh32(p) pntoh32(p)
#endif

/* plugin_describe() and its flags. */
#if TD_WS_AT_LEAST(4, 4)
#define TD_HAVE_PLUGIN_DESCRIBE 1
#include <wsutil/plugins.h>
#else
#define TD_HAVE_PLUGIN_DESCRIBE 0
#endif

/* The -z init callback of a stat_tap_ui: returns whether the argument was
 * taken (4.6), or nothing (before).  TD_STAT_TAP_INIT_RETURN(ok) ends it. */
#if TD_WS_AT_LEAST(4, 6)
typedef bool td_stat_tap_init_ret;
#define TD_STAT_TAP_INIT_RETURN(ok) return (ok)
#else
typedef void td_stat_tap_init_ret;
#define TD_STAT_TAP_INIT_RETURN(ok) do { (void)(ok); return; } while (0)
#endif

#endif
