/*
 * insights.h - what a day is about: research areas (热门领域) from a
 * taxonomy, and keywords with their frequencies, for the newsletter, the
 * word cloud, the poster and stats/D_stats.json.
 *
 * Owns: data/insights/ (taxonomy.tsv, aliases.tsv, phrases_zh.txt, stopwords_*.txt).
 *   - Areas: English patterns match whole words in the original title and
 *     abstract ("RL" never fires on "world"), Chinese patterns the
 *     translation. An area counts papers, not mentions.
 *   - Keywords: the Chinese title and abstract segmented with ICU's word
 *     break iterator, domain phrases (多模态, 强化学习) kept whole; English
 *     acronyms and two-word terms from the original; the API's ai_keywords.
 *     One concept, one word: aliases.tsv folds variants into the Chinese
 *     form (RL, reinforcement learning -> 强化学习). Stop words dropped, and
 *     segmented words that open with a negation or degree adverb (没有,
 *     非常: qualifiers, not terms). A keyword counts papers, not mentions
 *     (document frequency), so one paper cannot dominate a day; two-word
 *     English terms need two papers. Prompt labels never count: only the
 *     stored title and abstract fields are read.
 *   - Matching reads the zh-CN translation whatever the edition's language;
 *     only the names shown come from the UI strings (area.* keys).
 *
 *     struct insights *in;
 *     insights_new(&in, &err);
 *     struct day_insights d;
 *     insights_day(in, &papers, &d);
 *     char *hot = insights_hot_topics(in, ui, &d, 5); "强化学习(2)、多模态(2)"
 *     day_insights_release(&d);
 *     insights_free(in);
 */
#ifndef PB_INSIGHTS_H
#define PB_INSIGHTS_H

#include "core/err.h"
#include "core/paper.h"
#include "lang/lang.h"

#define INSIGHTS_MAX_AREAS 64

struct insights;

struct area_count {
	size_t area;   /* index into the taxonomy */
	size_t papers;
};

struct keyword_count {
	char *word;
	long count;    /* papers that use it (document frequency) */
	long mentions; /* times they use it, all told (0 when not known) */
};

struct keyword_list {
	struct keyword_count *items; /* most papers first; ties by mentions, then word (bytes) */
	size_t n, cap;
};

struct day_insights {
	struct area_count *areas;  /* areas with papers, most first; ties in taxonomy order */
	size_t n_areas;
	uint64_t *paper_areas;     /* per paper (same order as the list): bit i = area i */
	size_t n_papers;
	struct keyword_list keywords;
};

int insights_new(struct insights **out, struct pb_err *err);
void insights_free(struct insights *in);

size_t insights_area_count(const struct insights *in);
/* The area's identity: its zh-CN name in taxonomy.tsv (stats JSON, the ui key "area.<name>"). */
const char *insights_area_name(const struct insights *in, size_t area);
/* The index of the area with that identity, or -1 (an area the taxonomy no longer has). */
long insights_area_find(const struct insights *in, const char *name);

/* The areas of one paper (a bit per taxonomy entry). */
uint64_t insights_paper_areas(const struct insights *in, const struct paper *p);

/* Keyword frequencies: word -> papers (and mentions), over a day or any window of days. */
struct keyword_counter;

struct keyword_counter *keyword_counter_new(void);
void keyword_counter_free(struct keyword_counter *c);
/* n more papers (and n more mentions) for word. */
void keyword_counter_add(struct keyword_counter *c, const char *word, long n);
/* The counts, most frequent first (ties by word), at most max (0: all). */
void keyword_counter_sorted(const struct keyword_counter *c, size_t max, struct keyword_list *out);

/* Add one paper to c: 1 to each of its keywords' counts, its occurrences to their mentions. */
void insights_count_keywords(const struct insights *in, const struct paper *p,
			     struct keyword_counter *c);

void insights_day(const struct insights *in, const struct paper_list *papers,
		  struct day_insights *out);
void day_insights_release(struct day_insights *d);
/* Fill d->areas from papers-per-area counts (indexed by area): most first, ties in taxonomy order. */
void insights_rank_areas(const struct insights *in, const size_t *counts, struct day_insights *d);
void keyword_list_release(struct keyword_list *l);

/*
 * "强化学习(2)、多模态(2)、视频生成(1)" for the top max areas, in ui's
 * language (zh-TW: "強化學習(2)、多模態(2)、影片生成(1)"); hot_topics.none
 * ("综合") when none. Caller frees.
 */
char *insights_hot_topics(const struct insights *in, const struct ui_strings *ui,
			  const struct day_insights *d, size_t max);
/* "强化学习 · 多模态" for a paper's first max areas (taxonomy order), in ui's language; "" when
 * none. Caller frees. */
char *insights_area_names(const struct insights *in, const struct ui_strings *ui, uint64_t areas,
			  size_t max);

#endif
