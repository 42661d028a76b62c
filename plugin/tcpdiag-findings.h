/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcpdiag-findings.h - capture-wide findings: patterns across many
 * conversations (floods, scans, leaks), decided by the core
 * (core/td_findings.h) once every conversation has ended.
 */
#ifndef TCPDIAG_FINDINGS_H
#define TCPDIAG_FINDINGS_H

#include <wireshark.h>
#include <epan/prefs.h>
#include <epan/wmem_scopes.h>

#include "core/td_diag.h"
#include "core/td_findings.h"
#include "core/td_text.h"

/* The lines of a finding's text, once a visible tree showed them. */
typedef struct {
    td_span *lines;
    size_t   nlines;
} finding_lines;

/* An ICMP echo reply in this frame's notes: its sender answers pings. */
void findings_note_echo_reply(void);
/* Compute them (again if packets were read since). */
void findings_compute(void);
/* Computed at least once. */
gboolean findings_known(void);
/* What the findings add to conversation `stream`'s verdict (once known). */
void findings_refine(guint32 stream, td_verdict *v);
/* The findings conversation `stream` is part of, and their lines (out and
 * lines: TD_FINDINGS_SHOWN each). */
guint findings_of(guint32 stream, const td_found **out, finding_lines **lines);

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
