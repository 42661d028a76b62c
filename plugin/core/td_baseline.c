/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_baseline.c - an endpoint's IP baseline: the TTLs or hop limits its
 * packets carry and how its IPv4 identification moves, from its packets
 * other than resets.  The reset forensics (td_rst.c) compare each reset
 * with its claimed sender's baseline.
 */
#include "td_baseline.h"
#include "td_count.h"

void td_baseline_add(td_baseline *b, const td_segment *s)
{
    int k;

    if (s->ip != 4 && s->ip != 6)
        return;
    if (b->ip && b->ip != s->ip)
        return; /* one conversation, one IP version: an oddity, not a baseline */
    b->ip = s->ip;
    for (k = 0; k < b->ttl_distinct && k < TD_TTL_SLOTS; k++) {
        if (b->ttl[k] == s->ttl) {
            td_count32(&b->ttl_n[k]);
            break;
        }
    }
    if (k == b->ttl_distinct && k < TD_TTL_SLOTS) {
        b->ttl[k] = s->ttl;
        b->ttl_n[k] = 1;
        b->ttl_distinct++;
    } else if (k == TD_TTL_SLOTS) {
        b->ttl_distinct = TD_TTL_SLOTS + 1;
    }
    if (s->ip != 4)
        return;
    td_count32(&b->id_n);
    if (s->ip_id == 0) {
        td_count32(&b->id_zero);
        return;
    }
    if (b->id_n - b->id_zero > 1) {
        uint16_t d = (uint16_t)(s->ip_id - b->id_last);
        if (d == 1)
            td_count32(&b->id_step1);
        else if (d >= 2 && d <= TD_IPID_STEP_MAX)
            td_count32(&b->id_small);
    }
    b->id_last = s->ip_id;
}

uint8_t td_baseline_ttl(const td_baseline *b)
{
    uint8_t best = 0;
    uint32_t n = 0;

    for (int k = 0; k < b->ttl_distinct && k < TD_TTL_SLOTS; k++) {
        if (b->ttl_n[k] > n) {
            n = b->ttl_n[k];
            best = b->ttl[k];
        }
    }
    return best;
}

uint8_t td_initial_ttl(uint8_t ttl)
{
    if (ttl <= 32)
        return 32;
    if (ttl <= 64)
        return 64;
    if (ttl <= 128)
        return 128;
    return 255;
}

td_ipid_class td_baseline_ipid_class(const td_baseline *b)
{
    uint32_t nz = b->id_n - b->id_zero;

    if (b->id_n < 3)
        return TD_IPID_UNKNOWN;
    if (nz == 0)
        return TD_IPID_ZERO;
    if (nz < 3)
        return TD_IPID_UNKNOWN;
    uint32_t steps = nz - 1;
    if (b->id_step1 * 5 >= steps * 4)
        return TD_IPID_PER_CONN;
    if ((b->id_step1 + b->id_small) * 5 >= steps * 4)
        return TD_IPID_SHARED;
    return TD_IPID_RANDOM;
}

const char *td_baseline_ipid(const td_baseline *b)
{
    switch (td_baseline_ipid_class(b)) {
    case TD_IPID_ZERO:     return "zero";
    case TD_IPID_PER_CONN: return "per-connection";
    case TD_IPID_SHARED:   return "incrementing";
    case TD_IPID_RANDOM:   return "random";
    default:               return "";
    }
}
