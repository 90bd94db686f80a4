/*
 * suggest.h - "did you mean": the closest of a list of names to a mistyped
 * one, by edit distance (optimal string alignment: an insertion, deletion,
 * substitution or swap of two neighbours costs one).
 *
 *     const char *s = suggest_closest("rnu", names, n);    "run"
 */
#ifndef PB_SUGGEST_H
#define PB_SUGGEST_H

#include <stddef.h>

/* Edits between a and b (bytes, case-sensitive). */
size_t edit_distance(const char *a, const char *b);
/*
 * The candidate nearest to word, or NULL when none is near enough to be
 * a likely typo: at most 2 edits, and fewer than half of word's length.
 * Ties go to the first candidate. A candidate equal to word is not offered.
 */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

#endif
