/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_count.h - counters that stop at their largest value instead of
 * wrapping: a hostile capture can hold 65536 FINs of one conversation,
 * and a count that went back to 0 would unsay what it counted.
 */
#ifndef TD_COUNT_H
#define TD_COUNT_H

#include <stdint.h>

static inline void td_count16(uint16_t *n)
{
    if (*n < UINT16_MAX)
        (*n)++;
}

static inline void td_count32(uint32_t *n)
{
    if (*n < UINT32_MAX)
        (*n)++;
}

#endif /* TD_COUNT_H */
