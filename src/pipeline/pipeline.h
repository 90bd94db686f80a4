/*
 * pipeline.h - the stages in order, each reading from and writing to the
 * archive, so each can run alone, be rerun safely, and resume after a crash.
 *
 *     struct pipeline p = {.date = "2025-12-26", .out_dir = ".", .archive = a,
 *                          .config = &cfg, .log = &log};
 *     pipeline_fetch(&p, &fetched, &err);
 *     pipeline_render(&p, &paths, &err);
 *
 * Each stage records a row in the archive's runs table with its outcome.
 * Stages never print; they log through p->log and return errors.
 */
#ifndef PB_PIPELINE_H
#define PB_PIPELINE_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/run.h"
#include "net/http.h"
#include "render/newsletter.h"
#include "speak/speak.h"
#include "insights/insights.h"
#include "translate/translate.h"

struct pipeline {
	const char *date;
	const char *out_dir;
	struct archive *archive;
	const struct pb_config *config;
	const struct pb_log *log;
	const volatile sig_atomic_t *stop; /* NULL: never stopped */
};

struct fetch_summary {
	size_t papers;  /* valid papers in the API's answer */
	size_t skipped; /* entries that failed validation */
	size_t n_new;   /* new to the day's list */
	size_t total;   /* the day's list after the merge */
	int requests;   /* HTTP requests, retries included */
};

/* HTTP settings from the config (timeouts, stall limit, deadline, retries). */
void pipeline_http_options(const struct pb_config *cfg, struct net_options *out);

struct render_summary {
	size_t papers;
	size_t untranslated; /* shown in English */
	char *hot_topics;    /* 热门领域 as printed; caller frees */
	size_t cloud_words;  /* words the cloud fitted */
};

int pipeline_fetch(struct pipeline *p, struct fetch_summary *summary, struct pb_err *err);
/* Translate the day (see translate.h); the run is recorded as ok, partial or failed. */
int pipeline_translate(struct pipeline *p, const struct translate_options *o,
		       struct translate_report *report, struct pb_err *err);
/*
 * The day's outputs from the archive: the newsletter (Markdown + HTML), the
 * word cloud, the trend chart, the poster and the stats, all per date.
 */
int pipeline_render(struct pipeline *p, struct newsletter_paths *paths,
		    struct render_summary *summary, struct pb_err *err);

#define TREND_DAYS 30

/* Rewrite only the Markdown and HTML (e.g. to link the audio once it exists). */
int pipeline_render_newsletter(struct pipeline *p, struct pb_err *err);

/* The audio broadcast (see speak.h), recorded as a run. */
int pipeline_speak(struct pipeline *p, const struct speak_options *o, struct speak_result *r,
		   struct pb_err *err);

/* OUT/feed/podcast.xml over every recorded broadcast; *path is NULL when [feed] base_url
 * is unset (no feed, said at info level). */
int pipeline_feed(struct pipeline *p, char **path, struct pb_err *err);

/* What a window of days was about (paperboy stats). */
struct window_summary {
	size_t days_known;   /* days in the window the archive holds */
	size_t papers;
	char *areas;         /* "语言模型(120)、强化学习(80)、…"; caller frees */
	struct keyword_list keywords; /* most frequent first */
	char *json_path;     /* OUT/stats/D_last_Nd.json; caller frees */
	char *chart_path;    /* OUT/images/D_last_Nd_papers.png; caller frees */
};

/*
 * Keyword frequencies and areas over the `days` days ending at p->date,
 * written to stats/D_last_Nd.json with a trend chart of the window.
 */
int pipeline_window_stats(struct pipeline *p, size_t days, size_t top, struct window_summary *out,
			  struct pb_err *err);
void window_summary_release(struct window_summary *w);

/* Is this translate report partial (failed or unfinished papers)? */
bool translate_report_is_partial(const struct translate_report *r);

#endif
