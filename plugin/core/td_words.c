/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_words.c - see td_words.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "td_words.h"

void td_put(td_text *t, const char *fmt, ...)
{
    va_list ap;
    int r;

    if (t->len + 1 >= t->n)
        return;
    va_start(ap, fmt);
    r = vsnprintf(t->buf + t->len, t->n - t->len, fmt, ap);
    va_end(ap);
    if (r < 0)
        return;
    t->len += (size_t)r;
    if (t->len >= t->n)
        t->len = t->n - 1;
}

void td_put_duration(td_text *t, double d)
{
    if (!(d > 0))
        d = 0;
    if (d < 0.001)
        td_put(t, "%.0f us", d * 1e6);
    else if (d < 1.0)
        td_put(t, "%.1f ms", d * 1e3);
    else
        td_put(t, "%.1f s", d);
}

void td_put_times(td_text *t, unsigned count)
{
    if (count == 1)
        td_put(t, "once");
    else if (count == 2)
        td_put(t, "twice");
    else
        td_put(t, "%u times", count);
}

void td_put_schedule(td_text *t, const double *times, unsigned n, unsigned total, double last,
                     int decimals)
{
    for (unsigned i = 0; i < n; i++)
        td_put(t, "%s%.*f", i ? ", " : "", decimals, times[i] - times[0]);
    if (total > n && n > 0)
        td_put(t, ", ... %.*f", decimals, last - times[0]);
}
