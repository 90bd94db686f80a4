/*
 * pictures.h - the pictures stage: for one edition, the day's insights
 * (areas and keywords, persisted in the archive), the word cloud, the trend
 * chart, the poster and stats/D_stats.json, each recorded in the archive as
 * an artefact so the stages after it (the broadcast's cover, the edition)
 * read them from there.
 */
#ifndef PB_PICTURES_H
#define PB_PICTURES_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/run.h"
#include "insights/insights.h"
#include "lang/lang.h"

#define TREND_DAYS 30
#define PICTURES_HOT_TOPICS 5 /* areas in 热门领域, on the poster and in the edition */

struct pictures_summary {
	size_t papers;
	size_t untranslated; /* shown in English */
	char *hot_topics;    /* 热门领域 as printed; caller frees */
	size_t cloud_words;  /* words the cloud fitted */
	char *paths[4];      /* word cloud, chart, poster, stats (under OUT); caller frees */
};

void pictures_summary_release(struct pictures_summary *s);

/* Store a day's areas (zh-CN only: they are language-independent) and keywords in the archive. */
int pictures_store_insights(struct archive *a, const char *date, const char *lang,
			    const struct insights *in, const struct paper_list *papers,
			    const struct day_insights *d, struct pb_err *err);

/* cfg (may be NULL) gives the poster its brand and, with [site] base_url, the edition's URL. */
/*
 * The areas stored for the `days` days ending at last_date, ranked into d->areas
 * (papers per area; areas the taxonomy no longer has are left out).
 */
int pictures_load_areas(struct archive *a, const struct insights *in, const char *last_date,
			size_t days, struct day_insights *d, struct pb_err *err);

/*
 * Days of the `days` days ending at date whose insights are not stored (fetched before they
 * were persisted, or changed since): compute and store them once, so windows and the site
 * read tables instead of segmenting text again.
 */
int pictures_fill_insights(struct archive *a, const struct pb_run *run, const struct insights *in,
			   const char *date, size_t days, struct pb_err *err);

int render_pictures(struct archive *a, const struct day_edition *ed, const struct pb_config *cfg,
		    const struct pb_run *run, struct pictures_summary *summary, struct pb_err *err);

#endif
