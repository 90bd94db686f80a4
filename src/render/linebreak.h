/*
 * linebreak.h - lines for CJK and Latin text that a reader does not trip
 * over: breaks only where ICU's line break iterator allows one (no line
 * starts with "，" or "）", none ends with "（") and, inside Chinese, only
 * between words (ICU's dictionary word boundaries), so "高效推理" is never
 * cut into "高效推 / 理". Spans glued with linebreak_glue() ("高效推理(11)")
 * stay whole. The last line is never an orphan of one or two characters:
 * words move down from the line above until it has three or more.
 *
 * The caller measures: the width of a line in its font, so the same rule
 * serves pango layouts and the unit tests' fixed-width characters.
 *
 *     struct wrapped w;
 *     linebreak_wrap(text, 800, 3, measure, font, &w);
 *     for (size_t i = 0; i < w.n; i++) ... w.lines[i] ...
 *     wrapped_release(&w);
 */
#ifndef PB_LINEBREAK_H
#define PB_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

/* The width of one line of UTF-8 text, in the caller's unit. */
typedef double linebreak_measure_fn(void *userdata, const char *text);

struct wrapped {
	char **lines;    /* without the glue, no leading or trailing spaces */
	size_t n;
	bool truncated;  /* more than max_lines: the last line ends with "…" */
};

/* The last line is an orphan when it has this many characters or fewer (spaces not counted). */
#define LINEBREAK_ORPHAN_MAX 2

/*
 * Lines of at most `width` (a single word wider than that is cut by
 * character), at most max_lines of them (0: no limit; the last one then
 * ellipsised). Invalid UTF-8 is replaced, never refused.
 */
void linebreak_wrap(const char *text, double width, int max_lines, linebreak_measure_fn *measure,
		    void *userdata, struct wrapped *out);
void wrapped_release(struct wrapped *w);
/* The lines joined with "\n". */
char *wrapped_join(const struct wrapped *w);

/* s with U+2060 WORD JOINER between its characters: linebreak_wrap never breaks inside it. */
char *linebreak_glue(const char *s);

#endif
