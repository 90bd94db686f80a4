/*
 * chart.h - images/D_daily_papers.png: the papers per day over the last
 * days up to D, as bars, with a 7-day moving average line and the
 * cumulative total on a second axis; D is highlighted; days that were never
 * fetched are gaps (no bar, a break in the lines), not zeros.
 */
#ifndef PB_CHART_H
#define PB_CHART_H

#include "core/err.h"
#include "core/paper.h" /* struct day_count */

#define CHART_WIDTH 1200
#define CHART_HEIGHT 600

/* days: consecutive calendar days, oldest first, the last one is D (highlighted). */
int chart_render_png(const struct day_count *days, size_t n, const char *path, struct pb_err *err);

#endif
