/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_words.h - building the one-line explanations: appending to a bounded
 * buffer, durations and counts in the words a person reads best.  Shared by
 * the engine's summaries (td_engine.c) and the after-the-handshake rules
 * (td_flow.c).  Plain C.
 */
#ifndef TD_WORDS_H
#define TD_WORDS_H

#include <stddef.h>

typedef struct {
    char  *buf;
    size_t n, len;
} td_text;

/* Append; the text is cut at n - 1 bytes and always NUL terminated. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void td_put(td_text *t, const char *fmt, ...);

/* "850 us", "12.5 ms", "3.2 s" (negative durations read as 0). */
void td_put_duration(td_text *t, double d);

/* "once", "twice", "5 times". */
void td_put_times(td_text *t, unsigned count);

/* "0.00, 0.21, 0.63" - offsets of `n` times from the first, in seconds
 * with `decimals` decimals; `total` > n adds ", ... LAST" with the last
 * time. */
void td_put_schedule(td_text *t, const double *times, unsigned n, unsigned total, double last,
                     int decimals);

#endif /* TD_WORDS_H */
