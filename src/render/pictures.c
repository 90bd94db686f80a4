/* pictures.c - the pictures stage: insights, word cloud, trend chart, poster, stats. */
#include "core/common.h"

#include "render/pictures.h"
#include "core/layout.h"
#include "core/text.h"
#include "insights/insights.h"
#include "lang/lang.h"
#include "render/chart.h"
#include "render/poster.h"
#include "render/stats.h"
#include "render/wordcloud.h"

#include <stdlib.h>
#include <string.h>

#define POSTER_TOPICS 3      /* area chips per poster card */
#define STATS_KEYWORDS 30

void pictures_summary_release(struct pictures_summary *s)
{
	free(s->hot_topics);
	for (size_t i = 0; i < PB_ARRAY_LEN(s->paths); i++)
		free(s->paths[i]);
	memset(s, 0, sizeof(*s));
}

/* -v shows where the stage's time goes. */
static void lap(const struct pb_run *run, const char *what, double *t)
{
	double now = pb_monotonic_s();
	pb_debug(run->log, "pictures %s: %.3f s", what, now - *t);
	*t = now;
}

static int render_wordcloud(const struct day_insights *d, const char *path, size_t *placed,
			    struct pb_err *err)
{
	size_t n = d->keywords.n < WORDCLOUD_MAX_WORDS ? d->keywords.n : WORDCLOUD_MAX_WORDS;
	struct cloud_word *words = xcalloc(n + 1, sizeof(*words));
	for (size_t i = 0; i < n; i++) {
		words[i].text = d->keywords.items[i].word;
		/* Papers that use the word; among equals, the more often said a little larger. */
		const struct keyword_count *k = &d->keywords.items[i];
		words[i].weight = (double)k->count;
		if (k->mentions > k->count)
			words[i].weight += 0.5 * (1.0 - (double)k->count / (double)k->mentions);
	}
	int rc = wordcloud_render_png(words, n, path, placed, err);
	free(words);
	return rc;
}

/*
 * The card's one line: the 一句话总结; untranslated, the API's own summary
 * (English, but still a summary); the abstract's first sentence only when
 * there is neither. Caller frees.
 */
static char *card_summary(const struct paper *p)
{
	if (p->title_zh && p->summary_zh && *p->summary_zh)
		return xstrdup(p->summary_zh);
	if (!p->title_zh && p->ai_summary && *p->ai_summary)
		return xstrdup(p->ai_summary);
	const char *abstract = p->title_zh && p->abstract_zh ? p->abstract_zh : p->abstract;
	return abstract && *abstract ? first_sentence(abstract) : NULL;
}

/*
 * The cards are the day's best papers by upvotes, best first (equal upvotes
 * keep the day's order): on a 50-paper day the poster is a top ten, and the
 * header says so. Each card shows the paper's number in the edition, which
 * keeps the API's order, so "paper 12" is one paper in both.
 */
static int render_poster(const struct day_edition *ed, const struct pb_config *cfg,
			 const struct insights *in, const struct paper_list *papers,
			 const struct day_insights *d, const char *hot_topics, const char *path,
			 struct pb_err *err)
{
	size_t *order = xcalloc(papers->n + 1, sizeof(*order));
	for (size_t i = 0; i < papers->n; i++) {
		size_t j = i;
		while (j > 0 && papers->items[order[j - 1]].upvotes < papers->items[i].upvotes) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	size_t n = papers->n < POSTER_MAX_CARDS ? papers->n : POSTER_MAX_CARDS;
	struct poster_paper *cards = xcalloc(n + 1, sizeof(*cards));
	char **topics = xcalloc(n + 1, sizeof(*topics));
	char **summaries = xcalloc(n + 1, sizeof(*summaries));
	for (size_t k = 0; k < n; k++) {
		const struct paper *paper = &papers->items[order[k]];
		topics[k] = insights_area_names(in, ed->ui, d->paper_areas[order[k]], POSTER_TOPICS);
		cards[k].title = paper->title_zh ? paper->title_zh : paper->title;
		summaries[k] = card_summary(paper);
		cards[k].summary = summaries[k];
		cards[k].upvotes = paper->upvotes;
		cards[k].number = order[k] + 1;
		cards[k].topics = topics[k];
	}
	char *url = NULL;
	if (cfg && cfg->site_base_url) {
		/* The QR code opens the day's page on the published site. */
		char *rel = layout_site_day(ed->date, ed->lang);
		url = poster_join_url(cfg->site_base_url, rel);
		free(rel);
	}
	struct poster poster = {ed->date, papers->n, cards, n, hot_topics, url,
				cfg ? cfg->brand : NULL};
	int rc = poster_render_png(&poster, ed->ui, path, err);
	for (size_t k = 0; k < n; k++) {
		free(topics[k]);
		free(summaries[k]);
	}
	free(url);
	free(summaries);
	free(topics);
	free(cards);
	free(order);
	return rc;
}

/* The day's areas and keywords into the archive, for stats and the pages that list days. */
/* Another edition's keywords: the zh-CN ones in its script. */
static int convert_keywords(const struct day_edition *ed, struct keyword_list *words,
			    struct pb_err *err)
{
	struct lang_converter *cv;
	if (lang_converter_new(ed->language, &cv, err))
		return PB_ERR;
	for (size_t i = 0; i < words->n; i++) {
		char *converted = lang_convert(cv, words->items[i].word);
		free(words->items[i].word);
		words->items[i].word = converted;
	}
	lang_converter_free(cv);
	return 0;
}

int pictures_load_areas(struct archive *a, const struct insights *in, const char *last_date,
			size_t days, struct day_insights *d, struct pb_err *err)
{
	struct archive_area_list areas = {0};
	size_t *counts = xcalloc(insights_area_count(in) + 1, sizeof(*counts));
	int rc = archive_window_areas(a, last_date, days, &areas, err);
	for (size_t i = 0; i < areas.n && !rc; i++) {
		long k = insights_area_find(in, areas.items[i].area);
		if (k >= 0)
			counts[k] = (size_t)areas.items[i].papers;
	}
	if (!rc)
		insights_rank_areas(in, counts, d);
	free(counts);
	archive_area_list_release(&areas);
	return rc;
}

int pictures_store_insights(struct archive *a, const char *date, const char *lang,
			    const struct insights *in, const struct paper_list *papers,
			    const struct day_insights *d, struct pb_err *err)
{
	/* Areas are matched on the English text and the zh-CN translation: stored once, with zh-CN. */
	bool source = layout_lang_is_default(lang);
	size_t n_areas = 0;
	struct archive_paper_area *areas =
		xcalloc(papers->n * insights_area_count(in) + 1, sizeof(*areas));
	for (size_t i = 0; i < papers->n && source && i < d->n_papers; i++)
		for (size_t k = 0; k < insights_area_count(in); k++)
			if ((d->paper_areas[i] >> k) & 1)
				areas[n_areas++] = (struct archive_paper_area){papers->items[i].id,
									       insights_area_name(in, k)};
	struct archive_keyword *words = xcalloc(d->keywords.n + 1, sizeof(*words));
	for (size_t i = 0; i < d->keywords.n; i++)
		words[i] = (struct archive_keyword){d->keywords.items[i].word, d->keywords.items[i].count};
	int rc = archive_put_day_insights(a, date, lang, papers->n, areas, n_areas, words,
					  d->keywords.n, err);
	free(words);
	free(areas);
	return rc;
}

/* Days fetched before insights were persisted (or changed since): compute and store them once. */
int pictures_fill_insights(struct archive *a, const struct pb_run *run, const struct insights *in,
			   const char *date, size_t days, struct pb_err *err)
{
	struct archive_date_list missing = {0};
	int rc = archive_window_missing_insights(a, date, days, LAYOUT_DEFAULT_LANG, &missing, err);
	if (!rc && missing.n)
		pb_info(run->log, "computing the insights of %zu days once; later windows read them "
			"from the archive", missing.n);
	for (size_t i = 0; i < missing.n && !rc; i++) {
		struct paper_list papers = {0};
		struct day_insights d = {0};
		rc = archive_load_day(a, missing.items[i].date, NULL, &papers, err);
		if (rc == PB_ERR_NO_PAPERS) { /* a day listed with no papers: nothing to count */
			pb_err_clear(err);
			rc = 0;
		}
		if (!rc) {
			insights_day(in, &papers, &d);
			rc = pictures_store_insights(a, missing.items[i].date, LAYOUT_DEFAULT_LANG, in,
						     &papers, &d, err);
		}
		day_insights_release(&d);
		paper_list_release(&papers);
	}
	archive_date_list_release(&missing);
	return rc;
}

int render_pictures(struct archive *a, const struct day_edition *ed, const struct pb_config *cfg,
		    const struct pb_run *run, struct pictures_summary *summary, struct pb_err *err)
{
	memset(summary, 0, sizeof(*summary));
	struct paper_list papers = {0}, source = {0};
	struct insights *in = NULL;
	struct day_insights d = {0};
	struct day_count window[TREND_DAYS];
	double t = pb_monotonic_s();
	bool is_source = layout_lang_is_default(ed->lang);
	/* Insights are read from the zh-CN translation (the taxonomy and stop words are in
	 * Simplified Chinese); another edition shows them converted into its script. */
	int rc = archive_load_day(a, ed->date, ed->lang, &papers, err);
	if (!rc && !is_source)
		rc = archive_load_day(a, ed->date, NULL, &source, err);
	if (!rc)
		rc = insights_new(&in, err);
	if (!rc) {
		for (size_t i = 0; i < papers.n; i++)
			summary->untranslated += papers.items[i].title_zh == NULL;
		summary->papers = papers.n;
		insights_day(in, is_source ? &papers : &source, &d);
		if (!is_source)
			rc = convert_keywords(ed, &d.keywords, err);
	}
	if (!rc) {
		summary->hot_topics = insights_hot_topics(in, ed->ui, &d, PICTURES_HOT_TOPICS);
		rc = pictures_store_insights(a, ed->date, ed->lang, in, &papers, &d, err);
		lap(run, "insights", &t);
	}
	static const enum artefact kinds[] = {ART_WORDCLOUD, ART_CHART, ART_POSTER, ART_STATS};
	for (size_t i = 0; i < PB_ARRAY_LEN(kinds) && !rc; i++)
		summary->paths[i] = layout_path(run->layout, kinds[i], ed->date, ed->lang);
	if (!rc) {
		rc = render_wordcloud(&d, summary->paths[0], &summary->cloud_words, err);
		lap(run, "word cloud", &t);
	}
	if (!rc)
		rc = archive_day_counts(a, ed->date, TREND_DAYS, window, err);
	if (!rc) {
		rc = chart_render_png(window, TREND_DAYS, ed->ui, summary->paths[1], err);
		lap(run, "chart", &t);
	}
	if (!rc) {
		rc = render_poster(ed, cfg, in, &papers, &d, summary->hot_topics, summary->paths[2], err);
		lap(run, "poster", &t);
	}
	if (!rc) {
		struct day_stats st = {ed->date, papers.n, in, &d, STATS_KEYWORDS, window, TREND_DAYS};
		rc = stats_write_json(&st, summary->paths[3], err);
	}
	/* What was written is recorded: the broadcast takes its cover from there. */
	for (size_t i = 0; i < PB_ARRAY_LEN(kinds) && !rc; i++)
		rc = archive_record_artefact(a, run->layout, kinds[i], ed->date, ed->lang, err);
	day_insights_release(&d);
	insights_free(in);
	paper_list_release(&source);
	paper_list_release(&papers);
	return rc;
}
