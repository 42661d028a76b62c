/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * td_text.c - cutting an explanation into lines (see td_text.h).
 */
#include <string.h>

#include "td_text.h"

/* How a too-long piece is cut, coarsest first. */
enum {
    CUT_CLAUSE = 0, /* "; " or ". X" outside parentheses: separator dropped */
    CUT_INNER,      /* "; " inside the first parentheses */
    CUT_COMMA,      /* ", " */
    CUT_SPACE,      /* " " */
    CUT_HARD        /* anywhere, on a UTF-8 character boundary */
};

typedef struct {
    const char *text;
    size_t      max_len;
    td_span    *out;
    size_t      cap, n;
} line_sink;

static void push(line_sink *s, size_t start, size_t len)
{
    if (len == 0)
        return;
    if (s->n < s->cap) {
        s->out[s->n].start = start;
        s->out[s->n].len = len;
    }
    s->n++;
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Parentheses still open after text[from..to), starting with `depth`. */
static int depth_after(const char *t, size_t from, size_t to, int depth)
{
    for (size_t i = from; i < to; i++) {
        if (t[i] == '(')
            depth++;
        else if (t[i] == ')' && depth > 0)
            depth--;
    }
    return depth;
}

/*
 * Whether a separator of `level` starts at t[i] (`depth`: parentheses open
 * before i).  If so, returns the bytes to drop after the `*keep` bytes of
 * it that stay at the end of the line; 0 otherwise.
 */
static size_t separator_at(const char *t, size_t i, size_t end, int level, int depth, size_t *keep)
{
    const int before_space = i + 1 < end && t[i + 1] == ' ';

    *keep = 0;
    switch (level) {
    case CUT_CLAUSE:
        if (depth == 0 && before_space &&
            (t[i] == ';' || (t[i] == '.' && i + 2 < end && is_upper(t[i + 2]))))
            return 2;
        return 0;
    case CUT_INNER:
        if (depth == 1 && before_space && t[i] == ';') {
            *keep = 1;
            return 1;
        }
        return 0;
    case CUT_COMMA:
        if (before_space && t[i] == ',') {
            *keep = 1;
            return 1;
        }
        return 0;
    case CUT_SPACE:
        return t[i] == ' ' ? 1 : 0;
    default:
        return 0;
    }
}

static void cut_piece(line_sink *s, size_t start, size_t end, int level);

/* The piece [start, end) (no parenthesis open at start) on as few lines as
 * fit, cut at separators of `level`, and finer where a part is too long. */
static void pack(line_sink *s, size_t start, size_t end, int level)
{
    const char *t = s->text;
    size_t cur = start;
    int depth_cur = 0;

    while (cur < end) {
        size_t best_end = 0, best_next = 0, first_end = end, first_next = end;
        int depth = depth_cur;

        if (end - cur <= s->max_len) {
            push(s, cur, end - cur);
            return;
        }
        for (size_t i = cur; i < end; i++) {
            size_t keep, drop = i > cur ? separator_at(t, i, end, level, depth, &keep) : 0;
            if (drop) {
                if (first_end == end) {
                    first_end = i + keep;
                    first_next = i + keep + drop;
                }
                if (i + keep - cur > s->max_len)
                    break;
                best_end = i + keep;
                best_next = i + keep + drop;
            }
            depth = depth_after(t, i, i + 1, depth);
        }
        if (best_end) {
            push(s, cur, best_end - cur);
        } else {
            /* The first part alone is too long: cut it finer. */
            cut_piece(s, cur, first_end, level + 1);
            best_next = first_next;
        }
        depth_cur = depth_after(t, cur, best_next, depth_cur);
        cur = best_next;
    }
}

static void cut_piece(line_sink *s, size_t start, size_t end, int level)
{
    const char *t = s->text;

    if (level == CUT_CLAUSE) {
        /* Every clause on its own line, however short. */
        /* The common case, on every packet a visible tree shows: one
         * tight scan (the same test as separator_at(CUT_CLAUSE)). */
        size_t from = start;
        int depth = 0;
        for (size_t i = start; i + 1 < end; i++) {
            const char c = t[i];
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth -= depth > 0;
            } else if ((c == ';' || c == '.') && depth == 0 && t[i + 1] == ' ' &&
                       (c == ';' || (i + 2 < end && is_upper(t[i + 2])))) {
                cut_piece(s, from, i, CUT_INNER);
                from = i + 2;
                i++;
            }
        }
        cut_piece(s, from, end, CUT_INNER);
        return;
    }
    if (end - start <= s->max_len) {
        push(s, start, end - start);
        return;
    }
    if (level == CUT_HARD) {
        while (start < end) {
            size_t len = end - start;
            if (len > s->max_len) {
                len = s->max_len;
                /* Back off UTF-8 continuation bytes (10xxxxxx). */
                while (len > 1 && ((unsigned char)t[start + len] & 0xc0) == 0x80)
                    len--;
            }
            push(s, start, len);
            start += len;
        }
        return;
    }
    pack(s, start, end, level);
}

size_t td_text_lines(const char *text, size_t max_len, td_span *out, size_t cap)
{
    line_sink s = { text, max_len < 8 ? 8 : max_len, out, cap, 0 };

    if (text && *text)
        cut_piece(&s, 0, strlen(text), CUT_CLAUSE);
    return s.n;
}

size_t td_text_fit(const char *text, size_t max_len)
{
    const size_t len = text ? strlen(text) : 0;
    size_t clause_end = 0, semicolon = 0, comma = 0, space = 0, cut;
    int depth = 0;

    if (len <= max_len)
        return len;
    if (max_len == 0)
        return 0;
    /* The last end of a clause, "; " or ", ", and space that fit. */
    for (size_t i = 0; i <= max_len && i < len; i++) {
        size_t keep, drop = separator_at(text, i, len, CUT_CLAUSE, depth, &keep);
        if (drop && i > 0)
            clause_end = i;
        if (i > 0 && i + 1 < len && text[i + 1] == ' ' && i + 1 <= max_len) {
            if (text[i] == ';')
                semicolon = i + 1;
            else if (text[i] == ',')
                comma = i + 1;
        }
        if (i > 0 && text[i] == ' ')
            space = i;
        depth = depth_after(text, i, i + 1, depth);
    }
    /* Whichever comes first of a clause's end, a "; " or ", ", a space,
     * that uses at least two thirds of the room. */
    {
        const size_t inner = semicolon > comma ? semicolon : comma;
        const size_t enough = max_len - max_len / 3;
        if (clause_end >= enough)
            return clause_end;
        if (inner >= enough)
            return inner;
        if (space >= enough)
            return space;
        cut = clause_end > inner ? clause_end : inner;
        if (space > cut)
            cut = space;
        if (cut)
            return cut;
    }
    cut = max_len;
    while (cut > 1 && ((unsigned char)text[cut] & 0xc0) == 0x80)
        cut--;
    return cut;
}
