/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_seq.h - sequence and acknowledgement numbers compared modulo 2^32
 * (RFC 9293 3.4): a is before b when b - a, taken as a signed 32-bit
 * number, is positive.  Every such comparison in the core goes through
 * these, never through a raw cast of a difference.
 */
#ifndef TD_SEQ_H
#define TD_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* How far a is past b (negative: before it). */
static inline int32_t td_seq_diff(uint32_t a, uint32_t b) { return (int32_t)(a - b); }

static inline bool td_seq_lt(uint32_t a, uint32_t b) { return td_seq_diff(a, b) < 0; }
static inline bool td_seq_le(uint32_t a, uint32_t b) { return td_seq_diff(a, b) <= 0; }
static inline bool td_seq_gt(uint32_t a, uint32_t b) { return td_seq_diff(a, b) > 0; }
static inline bool td_seq_ge(uint32_t a, uint32_t b) { return td_seq_diff(a, b) >= 0; }

#endif /* TD_SEQ_H */
