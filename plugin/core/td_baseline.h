/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_baseline.h - what one endpoint's IP headers usually look like (TTL or
 * hop limit, IPv4 identification), learned from its packets other than
 * resets; td_rst.c judges its resets against it.
 */
#ifndef TD_BASELINE_H
#define TD_BASELINE_H

#include <stdint.h>

#include "td_segment.h"

/* The largest step between two IPv4 identifications still in line with
 * one counter (a TSO burst moves a per-connection counter by a few
 * hundred at most). */
#define TD_IPID_STEP_MAX 1024u

/* What one endpoint's packets look like, for telling its own resets from
 * forged ones.  Only packets other than resets count. */
#define TD_TTL_SLOTS 4
typedef struct {
    uint32_t ttl_n[TD_TTL_SLOTS]; /* packets per distinct TTL / hop limit */
    uint8_t  ttl[TD_TTL_SLOTS];
    uint8_t  ttl_distinct;        /* slots used; TD_TTL_SLOTS + 1: more values than slots */
    uint8_t  ip;                  /* IP version of its packets (4 or 6), 0 unknown */
    uint16_t id_last;             /* last non-zero IPv4 identification */
    uint32_t id_n, id_zero;       /* IPv4 packets, of which with identification 0 */
    uint32_t id_step1, id_small;  /* steps between non-zero ones: +1, +2..+TD_IPID_STEP_MAX */
} td_baseline;

/* Learn from one of its segments (not a reset). */
void td_baseline_add(td_baseline *b, const td_segment *s);

/* The endpoint's usual TTL / hop limit (0: none seen), the initial value
 * it implies (32, 64, 128 or 255) and the hop count. */
uint8_t td_baseline_ttl(const td_baseline *b);
uint8_t td_initial_ttl(uint8_t ttl);
/* "zero", "per-connection", "incrementing", "random", or "" (too few). */
const char *td_baseline_ipid(const td_baseline *b);

/* How its IPv4 identification behaves (td_baseline_ipid() in words). */
typedef enum {
    TD_IPID_UNKNOWN = 0,  /* too few packets */
    TD_IPID_ZERO,         /* always 0 */
    TD_IPID_PER_CONN,     /* +1 per packet: a counter of this connection */
    TD_IPID_SHARED,       /* small steps: a counter shared with other traffic */
    TD_IPID_RANDOM
} td_ipid_class;

td_ipid_class td_baseline_ipid_class(const td_baseline *b);

#endif /* TD_BASELINE_H */
