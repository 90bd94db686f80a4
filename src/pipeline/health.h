/*
 * health.h - is the newsletter still going out? `paperboy health` reads the
 * archive (days, runs, deliveries, artefacts) and OUT, and lists each
 * problem of the last days once, with a stable key so an alert about it is
 * sent only once.
 *
 *     struct health_options ho = {.today = "2025-12-26", .days = 7, .now = time(NULL), ...};
 *     struct health_report r = {0};
 *     health_check(archive, cfg, &ho, &run, &r, &err);
 *     for (i...) puts(r.items[i].text);
 *     health_report_release(&r);
 *
 * Problems: a weekday never fetched; a day fetched but not (fully)
 * translated; translated but without its edition; an edition without its
 * broadcast (when audio is on); a channel not delivered; the site older
 * than the newest edition; a failed, partial or killed run not since
 * redone; and staleness: no new edition for more than [health]
 * max_age_hours of weekday time.
 */
#ifndef PB_HEALTH_H
#define PB_HEALTH_H

#include "archive/archive.h"
#include "core/config.h"
#include "core/run.h"

#include <time.h>

struct health_options {
	const char *today;          /* the last day looked at, YYYY-MM-DD */
	size_t days;                /* how many days, ending at today */
	time_t now;                 /* for staleness */
	bool audio;                 /* broadcasts are expected */
	const char *site_dir;       /* the site to compare with the newest edition; NULL: none */
	const char *const *langs;   /* the editions expected */
	size_t n_langs;
};

struct health_problem {
	char *key;  /* "untranslated:2025-12-26": what alerts are keyed by */
	char *text; /* "2025-12-26: 3 of 7 papers not translated (paperboy run --date 2025-12-26)" */
};

struct health_report {
	struct health_problem *items;
	size_t n, cap;
	size_t days_seen;  /* days of the window the archive holds */
};

int health_check(struct archive *a, const struct pb_config *cfg, const struct health_options *ho,
		 const struct pb_run *run, struct health_report *out, struct pb_err *err);
void health_report_release(struct health_report *r);

#endif
