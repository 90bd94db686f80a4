/*
 * fidelity.h - checks that a translation says what the original says:
 * it is Chinese, and every number of the English abstract survives.
 * Pure functions over strings.
 */
#ifndef PB_FIDELITY_H
#define PB_FIDELITY_H

#include "core/buf.h"

/* Share of CJK ideographs among letters (CJK + Latin), 0..1; 0 for text without letters. */
double cjk_ratio(const char *text);
/* At least one CJK ideograph? */
bool has_cjk(const char *text);

/*
 * The numbers of an English text, in order, without duplicates, as a
 * NULL-terminated array (free with numbers_free). A number is a digit run
 * with an optional decimal part ("14.36", the 1 of "1%", 10 and 30 of
 * "10-30%"); digits glued to letters are names or units and do not count
 * ("3D", "GPT-4o", "Llama-3", "1.5B", "ImageNet-1K"). Thousands separators
 * are ignored ("10,000" is 10000).
 */
char **numbers_extract(const char *text);
void numbers_free(char **numbers);

/* Append to missing (", "-separated) each number of `numbers` not found in text; returns the count. */
size_t numbers_missing(char *const *numbers, const char *text, struct buf *missing);

#endif
