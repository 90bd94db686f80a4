/*
 * poster.h - posters/D_poster.png: a shareable phone poster, 1080 px wide,
 * as tall as its content: a header with the date and the paper count, one
 * card per paper (its number in the edition, Chinese title, one-sentence
 * summary, upvotes, topics) for the top papers by upvotes, the ranking
 * stated ("按点赞排序"), "另有 N 篇" when there are more, and a footer with
 * the edition's URL and a QR code of it when the URL is known. Long titles
 * wrap and never overflow; lines break between words (render/linebreak.h),
 * never leave one or two characters alone on a last line, and never cut
 * a topic chip such as "高效推理(11)".
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
	size_t number;        /* the paper's number in the edition (API order); 0: the card's place */
};

struct poster {
	const char *date;
	size_t total;                      /* papers that day */
	const struct poster_paper *papers; /* the cards, best first (at most POSTER_MAX_CARDS) */
	size_t n;
	const char *hot_topics;            /* e.g. "强化学习(2)、多模态(2)" */
	const char *url;                   /* the edition's URL, printed and as a QR code; NULL: none */
	const char *brand;                 /* who made it, "由 {brand} 生成"; NULL: "paperboy" */
};

/* base_url + relpath with exactly one "/" between them (caller frees). */
char *poster_join_url(const char *base_url, const char *relpath);

int poster_render_png(const struct poster *p, const struct ui_strings *ui, const char *path,
		      struct pb_err *err);

#endif
