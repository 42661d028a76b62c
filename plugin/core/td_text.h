/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_text.h - cutting an explanation into lines a tree item can show.
 *
 * Wireshark cuts every item label (and expert message) at 240 bytes, and
 * a summary with its numbers is often longer.  The packet tree shows it as
 * one line per clause; these functions find the clauses.  Plain C.
 */
#ifndef TD_TEXT_H
#define TD_TEXT_H

#include <stddef.h>

/* A line: `len` bytes of the text from `start`. */
typedef struct {
    size_t start, len;
} td_span;

/*
 * Cut `text` into lines of at most `max_len` bytes (max_len >= 8), in
 * order, covering the whole text:
 *   - first at each clause: "; " and ". " (before an upper-case letter)
 *     outside parentheses; those separators are dropped;
 *   - a clause still too long at "; " inside parentheses, then at ", ",
 *     then at a space, packing as many pieces as fit in a line; these
 *     separators stay at the end of the line, only the space is dropped;
 *   - a word longer than a line is cut, never inside a UTF-8 character.
 * Returns the number of lines; fills at most `cap` of them (call again
 * with more room if the return value is larger).
 */
size_t td_text_lines(const char *text, size_t max_len, td_span *out, size_t cap);

/*
 * Where to cut `text` to show it in at most `max_len` bytes (an expert
 * message): its whole length if it fits; else after the last whole clause
 * that fits, if that keeps two thirds of the room; else after the last
 * "; " or ", " that does; else at the last space that does; else at the
 * latest of these, or at a UTF-8 character boundary.  Never 0 for a text
 * longer than max_len (max_len > 0).
 */
size_t td_text_fit(const char *text, size_t max_len);

#endif
