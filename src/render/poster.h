/*
 * poster.h - posters/D_poster.png: a shareable phone poster, 1080 px wide,
 * as tall as its content: a header with the date and the paper count, one
 * card per paper (rank, Chinese title, one-sentence summary, upvotes,
 * topics) for the top papers by upvotes, "另有 N 篇" when there are more,
 * and a footer. Long titles wrap and never overflow.
 *
 * It draws the text it is given: the papers' titles, summaries and topics
 * as passed (a zh-TW caller passes Traditional text), its own words from
 * the UI strings (poster.*, date.* in data/lang/<code>.ini).
 */
#ifndef PB_POSTER_H
#define PB_POSTER_H

#include "core/err.h"
#include "lang/lang.h"

#include <stddef.h>

#define POSTER_WIDTH 1080
#define POSTER_MAX_CARDS 10

struct poster_paper {
	const char *title;    /* Chinese title (or English when untranslated) */
	const char *summary;  /* one-sentence summary; may be NULL */
	long upvotes;
	const char *topics;   /* e.g. "强化学习 · 多模态"; may be empty */
};

struct poster {
	const char *date;
	size_t total;                      /* papers that day */
	const struct poster_paper *papers; /* the cards, best first (at most POSTER_MAX_CARDS) */
	size_t n;
	const char *hot_topics;            /* e.g. "强化学习(2)、多模态(2)" */
};

int poster_render_png(const struct poster *p, const struct ui_strings *ui, const char *path,
		      struct pb_err *err);

#endif
