/*
 * chart.h - images/D_daily_papers.png: the papers per day over the last
 * days up to D, as bars, with a 7-day moving average line and the
 * cumulative total on a second axis; D is highlighted; days that were never
 * fetched are gaps (no bar, a break in the lines), not zeros.
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
