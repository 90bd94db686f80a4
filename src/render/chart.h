/*
 * chart.h - images/D_daily_papers.png: the papers per day over the last
 * days up to D, as bars, with a 7-day moving average line and the
 * cumulative total on a second axis; D is highlighted (and has its own
 * legend entry). A day fetched and found empty is a zero (known, count 0);
 * only a day never fetched is a gap: hatched, no bar, a break in the
 * average. The cumulative total never breaks: it runs flat through a gap.
 *
 * Every word on it (title, legend, axis captions, "no data") comes from the
 * UI strings it is given (chart.* in data/lang/<code>.ini), so a zh-TW
 * caller gets a Traditional chart; the file name is the caller's (layout.h).
 */
#ifndef PB_CHART_H
#define PB_CHART_H

#include "core/err.h"
#include "core/paper.h" /* struct day_count */
#include "lang/lang.h"

#define CHART_WIDTH 1200
#define CHART_HEIGHT 600

/* days: consecutive calendar days, oldest first, the last one is D (highlighted). */
int chart_render_png(const struct day_count *days, size_t n, const struct ui_strings *ui,
		     const char *path, struct pb_err *err);

#endif
