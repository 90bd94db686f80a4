/*
 * stats.h - stats/D_stats.json: the day in numbers for other tools
 * (the site, chat pushes): paper count, areas with counts, top keywords,
 * and the daily counts of the trend chart's window (null for days never
 * fetched).
 */
#ifndef PB_STATS_H
#define PB_STATS_H

#include "core/err.h"
#include "insights/insights.h"

struct day_stats {
	const char *date;
	size_t papers;
	const struct insights *insights;
	const struct day_insights *day;
	size_t top_keywords;
	const struct day_count *window;
	size_t window_days;
};

int stats_write_json(const struct day_stats *s, const char *path, struct pb_err *err);

#endif
