/*
 * wordcloud.h - images/D_keywords_wordcloud.png: a real word cloud.
 *
 * Words are placed biggest first along an Archimedean spiral from the
 * centre; each candidate spot is tested against an occupancy bitmap (4 px
 * cells) built from the glyphs' actual ink, with a summed-area table so an
 * empty spot is accepted in O(1). Sizes follow frequency, about a third of the
 * Latin words are set vertically, colours come from the calm palette, text goes
 * through pango with a CJK font. The same words give the same bytes: every
 * choice is seeded by a hash of the word.
 */
#ifndef PB_WORDCLOUD_H
#define PB_WORDCLOUD_H

#include "core/err.h"

#include <stddef.h>

#define WORDCLOUD_WIDTH 1200
#define WORDCLOUD_HEIGHT 675
#define WORDCLOUD_MAX_WORDS 80

struct cloud_word {
	const char *text;
	double weight; /* e.g. a count; > 0 */
};

/* words: most important first. *placed (optional) gets how many fitted. */
int wordcloud_render_png(const struct cloud_word *words, size_t n, const char *path,
			 size_t *placed, struct pb_err *err);

#endif
