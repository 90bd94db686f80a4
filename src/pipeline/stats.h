/*
 * stats.h - what a window of days was about (`paperboy stats`): research
 * areas by papers and the most frequent keywords, written to
 * stats/D_last_Nd.json with a trend chart of the window.
 */
#ifndef PB_PIPELINE_STATS_H
#define PB_PIPELINE_STATS_H

#include "archive/archive.h"
#include "core/err.h"
#include "core/run.h"
#include "insights/insights.h"

struct window_summary {
	size_t days_known;   /* days in the window the archive holds */
	size_t papers;
	char *areas;         /* "语言模型(120)、强化学习(80)、…"; caller frees */
	struct keyword_list keywords; /* most frequent first */
	char *json_path;     /* OUT/stats/D_last_Nd.json; caller frees */
	char *chart_path;    /* OUT/images/D_last_Nd_papers.png; caller frees */
};

/* Keyword frequencies and areas over the `days` days ending at date. */
int pipeline_window_stats(struct archive *a, const struct pb_run *run, const char *date, size_t days,
			  size_t top, struct window_summary *out, struct pb_err *err);
void window_summary_release(struct window_summary *w);

#endif
