/*
 * backfill.h - the day runner over a range of dates, oldest first: days
 * whose stages are all complete (by the archive's records) are skipped, so
 * a backfill killed halfway resumes where it stopped without paying twice;
 * a stop ends it between days or inside one; the archive-wide stages (the
 * podcast feed, later the site) run once at the end, not per day.
 */
#ifndef PB_BACKFILL_H
#define PB_BACKFILL_H

#include "pipeline/pipeline.h"

#include <stdio.h>

struct backfill_day {
	char date[PB_DATE_LEN + 1];
	enum day_outcome outcome;
	size_t papers, translated, failed;
};

struct backfill_report {
	struct backfill_day *days;
	size_t n_days;
	size_t done, skipped, empty, partial, failed;
	bool stopped;
	char stopped_at[PB_DATE_LEN + 1];
	char *feed_path;     /* when the feed was written; caller frees */
	struct site_summary site; /* when the site was built ([site] dir) */
	double wall_s;
};

void backfill_report_release(struct backfill_report *b);

/* Called after each day (index of total), for a progress line. */
typedef void backfill_day_fn(void *userdata, size_t index, size_t total, const struct day_report *r);

/*
 * Run o->stages (the per-day ones) for every date from..to, then the
 * archive-wide ones. Returns 0 when the range ran (see b for how each day
 * went); an error only for a bad range or an archive that cannot be read.
 */
int pipeline_backfill(struct archive *a, const struct pipeline_options *o, const char *from,
		      const char *to, const struct pb_run *run, backfill_day_fn *on_day,
		      void *userdata, struct backfill_report *b, struct pb_err *err);

/* "2025-12-26  7 papers · translated 7 · ok" */
void backfill_day_line(const struct day_report *r, char *out, size_t size);
/* The summary table: date, papers, translated, failed, status. */
void backfill_print_table(const struct backfill_report *b, FILE *f);

#endif
