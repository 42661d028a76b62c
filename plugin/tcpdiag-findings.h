/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-findings.h - capture-wide findings: patterns across many
 * conversations (floods, scans, leaks), computed once every conversation
 * has ended.
 */
#ifndef TCPDIAG_FINDINGS_H
#define TCPDIAG_FINDINGS_H

#include <wireshark.h>
#include <epan/prefs.h>
#include <epan/wmem_scopes.h>

#include "core/td_diag.h"
#include "core/td_text.h"

typedef struct {
    td_finding kind;
    guint32    count;
    char      *key;   /* listener, source, server or host */
    char      *text;
    td_span   *lines; /* of text, once a visible tree showed them */
    size_t     nlines;
    guint32   *streams; /* the count conversations involved */
} finding;

/* A conversation shows at most this many of the findings it is part of. */
#define FINDINGS_SHOWN 8

/* An ICMP echo reply in this frame's notes: its sender answers pings. */
void findings_note_echo_reply(void);
/* Compute them (again if packets were read since). */
void findings_compute(void);
/* Computed at least once. */
gboolean findings_known(void);
gboolean findings_has(guint32 stream, td_finding kind);
/* The findings conversation `stream` is part of (out: FINDINGS_SHOWN). */
guint findings_of(guint32 stream, finding **out);

/* The findings as the tables show them. */
typedef struct {
    const char *token, *key, *text;
    guint32     count;   /* conversations involved */
} tcpdiag_finding_row;
guint tcpdiag_findings(const tcpdiag_finding_row **rows, wmem_allocator_t *scope);

void findings_register_prefs(module_t *module);
void findings_init(void);
void findings_cleanup(void);

#endif
