/* suggest.c - edit distance and the nearest name, for "did you mean". */
#include "core/common.h"

#include "core/suggest.h"

#include <stdlib.h>
#include <string.h>

size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* Three rows of the (n+1) x (m+1) table: two back for a swap. */
	size_t *prev2 = xcalloc(m + 1, sizeof(size_t)), *prev = xcalloc(m + 1, sizeof(size_t)),
	       *cur = xcalloc(m + 1, sizeof(size_t));
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j] + 1;                  /* deletion */
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;              /* insertion */
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;          /* substitution */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;            /* swap */
			cur[j] = best;
		}
		size_t *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	size_t d = prev[m];
	free(prev2);
	free(prev);
	free(cur);
	return d;
}

const char *suggest_closest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	for (size_t i = 0; i < n; i++) {
		if (!candidates[i] || !strcmp(candidates[i], word))
			continue;
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	if (!best || best_d > 2 || best_d * 2 >= len)
		return NULL;
	return best;
}
